"""Matrices: explicit ``bmatrix`` values and bold capitals read as matrices at concrete sizes,
their products in the written order (``numeric/matrices``, ``numeric/matshapes``)."""

import pytest
import sympy as sp

from mathlint.expr.linalg import MatProd
from mathlint.latex.parse import parse_latex
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claim(text: str, line: int):
    result = check_text(text, CheckOptions())
    (claim,) = [c for c in result.claims if c.line == line]
    return claim


def _one(latex: str):
    return _claim(f"# t\n\n$${latex}$$\n", 3)


A, B, C, x = (sp.Symbol(f"math{{{n}}}") for n in "ABCx")


@pytest.mark.parametrize("latex, expected", [
    (r"\mathbf{A}\mathbf{B}", MatProd(A, B)),
    (r"\mathbf{B}\mathbf{A}", MatProd(B, A)),
    (r"\mathbf{x}^\top \mathbf{A} \mathbf{x}", MatProd(sp.Function("transpose")(x), A, x)),
    (r"\mathbf{A}(\mathbf{B} + \mathbf{C})", MatProd(A, B + C)),
    (r"(\mathbf{A}\mathbf{B})^{-1}", MatProd(A, B) ** -1),
])
def test_a_product_of_bold_names_keeps_its_order(latex, expected):
    assert parse_latex(latex) == expected


def test_an_inner_product_of_vectors_is_no_matrix_product():
    assert not parse_latex(r"\mathbf{u}^\top \mathbf{v}").atoms(MatProd)


def test_a_call_before_a_bracket_is_left_alone():
    value = parse_latex(r"\operatorname{softmax}(\mathbf{Q}) \mathbf{V}")
    assert not value.atoms(MatProd)


@pytest.mark.parametrize("latex", [
    r"(\mathbf{A}\mathbf{B})^\top = \mathbf{B}^\top\mathbf{A}^\top",
    r"(\mathbf{A} + \mathbf{B})^\top = \mathbf{A}^\top + \mathbf{B}^\top",
    r"(\mathbf{A}^\top)^\top = \mathbf{A}",
    r"\det(\mathbf{A}\mathbf{B}) = \det(\mathbf{A})\det(\mathbf{B})",
    r"\mathrm{tr}(\mathbf{A}\mathbf{B}) = \mathrm{tr}(\mathbf{B}\mathbf{A})",
    r"\mathbf{A}\mathbf{I} = \mathbf{A}",
    r"\mathbf{x}^\top\mathbf{A}\mathbf{x} = \mathbf{x}^\top\mathbf{A}^\top\mathbf{x}",
])
def test_matrix_identities_are_proved_at_several_sizes(latex):
    claim = _one(latex)
    assert str(claim.verdict) == "proved", claim.reason
    assert "2, 3" in claim.reason


@pytest.mark.parametrize("latex", [
    r"(\mathbf{A}\mathbf{B})^\top = \mathbf{A}^\top\mathbf{B}^\top",
    r"\mathbf{A}\mathbf{B} = \mathbf{B}\mathbf{A}",
    r"(\mathbf{A}\mathbf{B})^{-1} = \mathbf{A}^{-1}\mathbf{B}^{-1}",
])
def test_a_false_matrix_identity_is_refuted_with_the_matrices_drawn(latex):
    claim = _one(latex)
    assert str(claim.verdict) == "refuted", claim.reason
    assert claim.counterexample["instance"]["math{A}"] == "2×2"
    assert "math{B}[1,2]" in claim.counterexample["values"]


@pytest.mark.parametrize("latex, why", [
    (r"\mathbf{A}\mathbf{x} = \lambda\mathbf{x}", "condition"),  # an eigenvector's equation
    (r"\mathbf{Q}^\top\mathbf{Q} = \mathbf{I}", "special matrices"),  # an orthogonal matrix
    (r"\mathbf{x}^\top\mathbf{H}\mathbf{x} \ge 0", "special matrices"),  # a definite one
])
def test_a_property_of_special_matrices_is_not_refuted(latex, why):
    claim = _one(latex)
    assert str(claim.verdict) == "unchecked" and why in claim.reason, claim.reason


def test_a_condition_with_given_matrices_is_not_refuted():
    text = ("# t\n\n$$\\mathbf{W} = \\begin{bmatrix} 1 & 1 \\\\ -1 & 2 \\end{bmatrix}$$\n\n"
            "$$\\mathbf{A}\\mathbf{W} = \\mathbf{W}\\mathbf{A}$$\n")
    claim = _claim(text, 5)
    assert str(claim.verdict) == "unchecked" and "values the text gives" in claim.reason, claim.reason


def test_explicit_matrices_are_multiplied_entry_by_entry():
    text = ("# t\n\n$$\\mathbf{A} = \\begin{bmatrix} 2 & 0 \\\\ 0 & -1 \\end{bmatrix}$$\n\n"
            "$$\\mathbf{v} = [x, y]^\\top$$\n\n"
            "$$\\mathbf{A}\\mathbf{v} = [2x, -y]^\\top$$\n\n"
            "$$\\mathbf{A}\\mathbf{v} = [2x, y]^\\top$$\n")
    assert str(_claim(text, 7).verdict) == "proved"
    wrong = _claim(text, 9)
    assert str(wrong.verdict) != "proved"  # not a refutation either: x, y may be a condition's unknowns
    assert "sides differ" in " ".join(wrong.notes)


def test_explicit_numbers_that_multiply_wrong_are_refuted():
    text = ("# t\n\n$$\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}\\begin{bmatrix} 1 \\\\ 1 \\end{bmatrix}"
            " = \\begin{bmatrix} 3 \\\\ 8 \\end{bmatrix}$$\n")
    assert str(_claim(text, 3).verdict) == "refuted"


def test_an_unordered_product_of_matrices_stays_unchecked():
    claim = _one(r"\mathbf{A}\mathbf{B}(x+y) = \mathbf{B}\mathbf{A}(x+y)")
    assert str(claim.verdict) == "unchecked"


def test_two_digit_entry_names_are_a_row_and_a_column():
    text = ("# t\n\n$$\\mathbf{A} = \\begin{bmatrix} a_{11} & a_{12} \\\\ a_{21} & a_{22} \\end{bmatrix}$$\n\n"
            "$$\\mathbf{A} + \\mathbf{A} = "
            "\\begin{bmatrix} 2a_{11} & 2a_{12} \\\\ 2a_{21} & 2a_{22} \\end{bmatrix}$$\n")
    claim = _claim(text, 5)
    assert str(claim.verdict) == "proved", claim.reason


# --- declared shapes: a claim about non-square matrices is never checked at square ones ---

def _declared(decl: str, latex: str):
    return _claim(f"# t\n\nTake ${decl}$ here.\n\n$${latex}$$\n", 5)


M_RECT = r"\mathbf{M} \in \mathbb{R}^{m \times k}"


@pytest.mark.parametrize("decl, latex", [
    (M_RECT, r"\mathbf{M}(\mathbf{M}^\top\mathbf{M})^{-1}\mathbf{M}^\top = \mathbf{I}"),
    (M_RECT, r"\det(\mathbf{M}^\top\mathbf{M}) = \det(\mathbf{M})^2"),
    (M_RECT, r"\det(\mathbf{M}\mathbf{M}^\top) = \det(\mathbf{M}^\top\mathbf{M})"),
    (r"\mathbf{P} \in \mathbb{R}^{m \times k}, \mathbf{R} \in \mathbb{R}^{k \times m}",
     r"\mathbf{P}\mathbf{R}(\mathbf{P}\mathbf{R})^{-1} = \mathbf{I}"),
])
def test_a_claim_true_only_for_square_matrices_is_not_proved_when_the_text_declares_them_rectangular(decl, latex):
    claim = _declared(decl, latex)
    assert str(claim.verdict) in ("unchecked", "refuted"), claim.reason


def test_a_determinant_of_a_declared_rectangular_matrix_is_not_square():
    claim = _declared(M_RECT, r"\det(\mathbf{M}^\top\mathbf{M}) = \det(\mathbf{M})^2")
    assert str(claim.verdict) == "unchecked" and "declares as different sizes" in claim.reason, claim.reason


def test_an_identity_of_rectangular_matrices_is_still_proved_at_their_declared_shapes():
    claim = _declared(M_RECT, r"\mathrm{tr}(\mathbf{M}^\top\mathbf{M}) = \mathrm{tr}(\mathbf{M}\mathbf{M}^\top)")
    assert str(claim.verdict) == "proved", claim.reason
    assert "k, m" in claim.reason


# --- prose that qualifies the matrices, or says they are none: a failure is no refutation ---

@pytest.mark.parametrize("text, word", [
    ("Let $\\mathbf{P}$ and $\\mathbf{R}$ be upper triangular. Then $\\mathbf{P}\\mathbf{R} = \\mathbf{R}\\mathbf{P}$.",
     "triangular"),
    ("If $\\mathbf{P}$ is a rotation, $(\\mathbf{P}\\mathbf{R})^\\top = \\mathbf{R}^\\top\\mathbf{P}$.", "rotation"),
    ("As $\\mathbf{P}$ and $\\mathbf{R}$ commute,\n\n$$(\\mathbf{P}-\\mathbf{R})(\\mathbf{P}+\\mathbf{R}) = "
     "\\mathbf{P}^2 - \\mathbf{R}^2.$$", "commute"),
    ("Reading $\\mathbf{P}\\mathbf{R}$ entrywise, $\\mathbf{P}\\mathbf{R} = \\mathbf{R}\\mathbf{P}$.", "entrywise"),
    ("Then $\\mathbf{P}\\mathbf{R} = \\mathbf{R}\\mathbf{P}$ whenever both are powers of one matrix.", "whenever"),
])
def test_a_failure_the_prose_qualifies_is_not_refuted(text, word):
    result = check_text(f"# t\n\n{text}\n", CheckOptions())
    claim = [c for c in result.claims if c.role == "equation"][-1]
    assert str(claim.verdict) == "unchecked" and word in claim.reason, claim.reason


@pytest.mark.parametrize("prose", ["Here bold $\\mathbf{P}$ and $\\mathbf{R}$ are counts.",
                                   "The bold $\\mathbf{P}$ and $\\mathbf{R}$ are sets of tokens."])
def test_bold_names_the_prose_calls_numbers_or_sets_are_not_refuted_as_matrices(prose):
    claim = _claim(f"# t\n\n{prose}\n$$\\mathbf{{P}}\\mathbf{{R}} = \\mathbf{{R}}\\mathbf{{P}}$$\n", 4)
    assert str(claim.verdict) == "unchecked" and "may not be matrices" in claim.reason, claim.reason


def test_a_false_identity_with_plain_prose_is_still_refuted():
    claim = _claim("# t\n\nThe product of two matrices:\n\n$$\\mathbf{P}\\mathbf{R} = \\mathbf{R}\\mathbf{P}$$\n", 5)
    assert str(claim.verdict) == "refuted", claim.reason
