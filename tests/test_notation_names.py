"""Family N of issue 17: names as ML texts write them (fonts, accents, stars, word labels, words,
spaces), each read as intended, true claims that use them checked, and single-edit mutants of
those claims never proved."""

from __future__ import annotations

import pytest
import sympy as sp

from mathlint.expr.symbols import RealSpace
from mathlint.latex.parse import parse_latex
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

x, y, i, j, n, d, p = sp.symbols("x y i j n d p")


def idx(base: str, *indices) -> sp.Indexed:
    return sp.Indexed(sp.IndexedBase(sp.Symbol(base)), *indices)


READINGS = [
    # bold: every spelling the same name as the braced form
    (r"\mathbf x", sp.Symbol("math{x}")),
    (r"\bm{x} + \textbf{x} + \boldsymbol{x}", 3 * sp.Symbol("math{x}")),
    (r"A({\boldsymbol\eta})", sp.Function("A")(sp.Symbol("boldsymbol{\\eta}"))),
    (r"\mathbf{\boldsymbol{\epsilon}}", sp.Symbol("boldsymbol{\\epsilon}")),
    (r"\mathbf W_k", idx("math{W}", sp.Symbol("k"))),
    # accents: distinct names; a bold accent stays bold, its component indexed
    (r"\hat y_j", idx("hat{y}", j)),
    (r"\hat\mu_n", idx("hat{\\mu}", n)),
    (r"\bar{X_n}", idx("bar{X}", n)),
    (r"\hat{\mathbf{y}}_i", idx("math{\\hat{y}}", i)),
    (r"\tilde{\mathbf H}_t", idx("math{\\tilde{H}}", sp.Symbol("t"))),
    # stars: distinct names, never a product or a power
    (r"x^*", sp.Symbol("x^*")),
    (r"x^\star + x^{\ast}", 2 * sp.Symbol("x^*")),
    (r"X_*", sp.Symbol("X_*")),
    (r"x_{*1}", idx("x_*", 1)),
    (r"\mathbf{f}_*", sp.Symbol("math{f}_*")),
    (r"V^*(s)", sp.Function("V^*")(sp.Symbol("s"))),
    # word labels: part of the name, never indices
    (r"W_{\textrm{xh}}", sp.Symbol("W_{xh}")),
    (r"n_\textrm{in} + n_\text{out}", sp.Symbol("n_{in}") + sp.Symbol("n_{out}")),
    (r"\frac{1}{n_\mathrm{in}}", 1 / sp.Symbol("n_{in}")),
    (r"\mathbf{b}_\textrm{q}", sp.Symbol("math{b}_{q}")),
    (r"k_{\textrm{RBF}}(x, y)", sp.Function("k_{RBF}")(x, y)),
    # two plain subscript letters stay two indices of a matrix
    (r"w_{ij}", idx("w", i, j)),
    # words: applied functions, known functions as SymPy's, a lone word a name
    (r"\textrm{Binomial}(n, p)", sp.Function("Binomial")(n, p)),
    (r"\mathop{\mathrm{BN}}(x)", sp.Function("BN")(x)),
    (r"\mathrm{tr}(x)", sp.Function("tr")(x)),
    (r"\textrm{tanh}(x)", sp.tanh(x)),
    (r"\operatorname{erf}(x)", sp.erf(x)),
    (r"\mathop{\mathrm{max}}(0, x)", sp.Max(0, x)),
    (r"\textrm{AUC}", sp.Symbol("AUC")),
    (r"\log_2 x", sp.log(x, 2)),
    # e with a subscript is a name, e alone Euler's number
    (r"e_{ij}", idx("e", i, j)),
    (r"\exp(e_i) + e^{x}", sp.exp(idx("e", i)) + sp.exp(x)),
    # spaces
    (r"\mathbb{R}^n", RealSpace(n)),
    (r"\mathbb R^{n \times d}", RealSpace(n, d)),
    (r"\mathbb{R}", sp.S.Reals),
    (r"\mathcal{X}", sp.Symbol("mathcal{X}")),
]


@pytest.mark.parametrize("latex,expected", READINGS, ids=[r[0] for r in READINGS])
def test_reading(latex, expected):
    assert parse_latex(latex) == expected


def test_calligraphic_and_bold_are_different_names():
    assert parse_latex(r"\mathcal{X}") != parse_latex(r"\mathbf{X}")


def test_hat_is_a_name_not_an_operator():
    assert parse_latex(r"\hat{y}") != parse_latex("y")
    assert parse_latex(r"\hat{\mathbf{y}}") != parse_latex(r"\mathbf{y}")


def test_label_before_a_spaced_bracket_is_a_factor():
    assert parse_latex(r"n_\textrm{in} (a + b)") == sp.Symbol("n_{in}") * (sp.Symbol("a") + sp.Symbol("b"))


def test_prose_words_stay_for_the_splitter():
    from mathlint.latex.normalize import normalize
    assert r"\textrm{ and }" in normalize(r"a = b \textrm{ and } c = d")


def test_domain_declaration_gives_a_space():
    result = check_text("Let $\\mathbf{q} \\in \\mathbb{R}^d$ and $x_i \\in \\mathbb{R}^{n}$.\n", CheckOptions())
    domains = [c for c in result.claims if c.role == "domain"]
    assert len(domains) == 2
    assert all("(real)" in c.reason for c in domains)


def _verdicts(text: str) -> list[str]:
    result = check_text(text, CheckOptions())
    return [str(c.verdict) for c in result.claims if c.role in ("step", "equation", "restatement")]


TRUE = {
    "label": r"$$n_\textrm{in} (a + b) = n_\textrm{in} a + n_\textrm{in} b$$",
    "star": r"$$(x^* - y)^2 = (x^*)^2 - 2 x^* y + y^2$$",
    "hat": r"$$\hat y_j (1 - \hat y_j) = \hat y_j - \hat y_j^2$$",
    "known": r"$$\textrm{tanh}(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}$$",
    "log2": r"$$\log_2 8 = 3$$",
}
MUTANTS = {
    "label": r"$$n_\textrm{in} (a + b) = n_\textrm{in} a - n_\textrm{in} b$$",
    "star": r"$$(x^* - y)^2 = (x^*)^2 + 2 x^* y + y^2$$",
    "hat": r"$$\hat y_j (1 - \hat y_j) = \hat y_j - \hat y_j^3$$",
    "known": r"$$\textrm{tanh}(x) = \frac{e^{x} + e^{-x}}{e^{x} + e^{-x}}$$",
    "log2": r"$$\log_2 8 = 4$$",
    "star-vs-plain": r"$$(x^* - y)^2 = x^2 - 2 x y + y^2$$",
    "label-vs-index": r"$$n_\textrm{in} (a + b) = n_\textrm{out} a + n_\textrm{out} b$$",
}


@pytest.mark.parametrize("name", sorted(TRUE))
def test_true_claims_hold(name):
    got = _verdicts(TRUE[name] + "\n")
    assert got and all(v in ("proved", "consistent") for v in got), got


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutants_are_refuted(name):
    got = _verdicts(MUTANTS[name] + "\n")
    assert got == ["refuted"], got
