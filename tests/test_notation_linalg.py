"""Linear algebra and calculus notation (family L of issue 17): transposes, inner products,
norms, ⊙, components of brackets and calls, derivative fractions and subscripted operators."""

import pytest
import sympy as sp

from mathlint.expr.linalg import Hadamard, Inner, Norm, Vector
from mathlint.expr.symbols import Component
from mathlint.latex.linalg import _bar_pairs
from mathlint.latex.normalize import normalize
from mathlint.latex.parse import parse_latex
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

x, w, y, p = sp.symbols("x w y p")
X = sp.IndexedBase("x")


def _verdict(latex: str) -> str:
    result = check_text(f"# t\n\n$${latex}$$\n", CheckOptions())
    (claim,) = [c for c in result.claims if c.line == 3]
    return str(claim.verdict)


@pytest.mark.parametrize("latex, expected", [
    (r"w^\top x", Inner(w, x)),
    (r"w^{\top} x", Inner(w, x)),
    (r"w^\intercal x", Inner(w, x)),
    (r"w^T x", Inner(w, x)),
    (r"w^\top \cdot x", Inner(w, x)),
    (r"[x, y]^\top", Vector(x, y)),
    (r"(1, x)^{\top}", Vector(1, x)),
    (r"\langle w, x \rangle", Inner(w, x)),
    (r"\|x\|", Norm(x, 2)),
    (r"\|x\|_2^2", Norm(x, 2) ** 2),
    (r"\|x\|_1", Norm(x, 1)),
    (r"\|x\|_p", Norm(x, p)),
    (r"\|x\|_\infty", Norm(x, sp.oo)),
    (r"w \odot x", Hadamard(w, x)),
    (r"[w + x]_k", Component(w + x, sp.Symbol("k"))),
    (r"\frac{df}{dx_1}", sp.Derivative(sp.Symbol("f"), X[1])),
    (r"\frac{d}{dx_k} x_k", sp.Derivative(X[sp.Symbol("k")], X[sp.Symbol("k")])),
    (r"\frac{d^2f}{dx_idx_j}", sp.Derivative(sp.Symbol("f"), X[sp.Symbol("j")], X[sp.Symbol("i")])),
    (r"\partial_x f", sp.Derivative(sp.Symbol("f"), x)),
    (r"D_x f", sp.Derivative(sp.Symbol("f"), x)),
    (r"\nabla_{x} (x^2)", sp.Derivative(x ** 2, x)),
])
def test_construct_reads_as(latex, expected):
    assert parse_latex(latex) == expected


def test_transpose_of_a_matrix_stays_opaque():
    assert parse_latex(r"\mathbf{X}^\top \mathbf{y}").atoms(sp.core.function.AppliedUndef)
    assert "transpose" in str(parse_latex(r"(\mathbf{A} + \mathbf{B})^\top"))


def test_t_is_a_number_where_it_is_a_power():
    assert normalize(r"\sum_{t=1}^T a_t").endswith("^{ T} a_t")
    assert "transpose" not in normalize(r"(1-\beta)^T")
    assert "transpose" not in normalize(r"e^T")


def test_kl_bars_are_no_norm():
    assert _bar_pairs(r"D(P\|Q) + D(Q\|P)") == []  # one bar per bracket: a divergence, read elsewhere
    assert len(_bar_pairs(r"\|x\| \|y\|")) == 2


def test_derivative_of_an_opaque_matrix_expression_is_opaque():
    value = parse_latex(r"\frac{d}{dx_k}(\mathbf{x}^\top A \mathbf{x})")
    assert not isinstance(value, sp.Derivative) and "transpose" in str(value)


@pytest.mark.parametrize("latex", [
    r"x^\top w = \sum_{i=1}^n x_i w_i",
    r"\langle a, b \rangle = \sum_{i=1}^n a_i b_i",
    r"\|x\|^2 = \sum_{i=1}^n x_i^2",
    r"\|x\|_1 = \sum_{i=1}^n |x_i|",
    r"\frac{d}{dx_k} \sum_{i=1}^n x_i^2 = 2 x_k",
    r"\frac{\partial^2}{\partial x_1 \partial x_2} (x_1 x_2^2) = 2 x_2",
    r"\partial_{x_1} (x_1^2 x_2) = 2 x_1 x_2",
    r"[a \odot b]_j = a_j b_j",
])
def test_true_claims_are_proved(latex):
    assert _verdict(latex) == "proved"


@pytest.mark.parametrize("latex", [
    r"x^\top w = -\sum_{i=1}^n x_i w_i",  # sign
    r"x^\top w = 2\sum_{i=1}^n x_i w_i",  # factor
    r"\|x\|^2 = \sum_{i=1}^n x_i",  # norm power
    r"\|x\| = \sum_{i=1}^n x_i^2",  # norm power
    r"\|x\|_1 = \sum_{i=1}^n x_i^2",  # norm kind
    r"\frac{d}{dx_k} \sum_{i=1}^n x_i^2 = 2 x_1",  # index
    r"\partial_{x_1} (x_1^2 x_2) = 2 x_1",  # factor
    r"[a \odot b]_j = a_j b_1",  # index
])
def test_mutants_are_refuted(latex):
    assert _verdict(latex) == "refuted"


@pytest.mark.parametrize("latex", [
    r"\langle a, b \rangle = \sum_{i=1}^n a_i a_i",  # transposed operand: never proved
    r"\mathbf{A}^\top \mathbf{B} = \mathbf{B}^\top \mathbf{A}",  # transpose of matrices: opaque
])
def test_mutants_are_never_proved(latex):
    assert _verdict(latex) != "proved"


def test_einstein_notation_is_no_refutation():
    assert _verdict(r"\frac{d}{dx_k}x_ia_{ij}x_j = a_{kj}x_j + x_ia_{ik}") != "refuted"
