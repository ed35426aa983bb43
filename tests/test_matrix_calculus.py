"""Derivatives by vectors and matrices checked entry by entry (issue 17): both layouts tried and
named, the norm of a matrix read entrywise and named, gradients and Hessians of functions of
several numbers compared component by component."""

import pytest

from mathlint.model import Verdict
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claims(text: str) -> dict[int, object]:
    result = check_text(text, CheckOptions())
    return {c.line: c for c in result.claims if c.role not in ("definition", "domain")}


def _one(latex: str, before: str = ""):
    return _claims(f"# t\n\n{before}\n\n$${latex}$$\n")[5]


HOLD = (Verdict.PROVED, Verdict.CONSISTENT)


@pytest.mark.parametrize("latex, layout", [
    (r"\nabla_{\mathbf{x}} \mathbf{A} \mathbf{x} = \mathbf{A}^\top", "denominator"),
    (r"\nabla_{\mathbf{x}} \mathbf{A} \mathbf{x} = \mathbf{A}", "numerator"),
    (r"\nabla_{\mathbf{x}} \mathbf{x}^\top \mathbf{A} = \mathbf{A}", "denominator"),
    (r"\nabla_{\mathbf{X}} \|\mathbf{X}\|_F^2 = 2\mathbf{X}", "denominator"),
    (r"\frac{d}{d\mathbf{X}} \|\mathbf{X}\|_F^2 = 2\mathbf{X}^\top", "numerator"),
])
def test_a_jacobian_or_matrix_gradient_holds_in_the_layout_named(latex, layout):
    c = _one(latex)
    assert c.verdict == Verdict.PROVED, c.message
    assert f"in the {layout} layout" in c.message


def test_a_gradient_of_a_scalar_holds_whatever_the_layout():
    c = _one(r"\nabla_{\mathbf{x}} \mathbf{x}^\top \mathbf{A} \mathbf{x} = (\mathbf{A} + \mathbf{A}^\top)\mathbf{x}")
    assert c.verdict == Verdict.PROVED
    assert "layout" not in c.message


@pytest.mark.parametrize("latex", [
    r"\nabla_{\mathbf{x}} \mathbf{x}^\top \mathbf{A} = 2\mathbf{A}",
    r"\nabla_{\mathbf{x}} \mathbf{A} \mathbf{x} = -\mathbf{A}^\top",
    r"\nabla_{\mathbf{x}} \mathbf{x}^\top \mathbf{A} \mathbf{x} = (\mathbf{A} - \mathbf{A}^\top)\mathbf{x}",
    r"\nabla_{\mathbf{X}} \|\mathbf{X}\|_F^2 = \mathbf{X}",
])
def test_a_wrong_matrix_derivative_does_not_hold(latex):
    assert _one(latex).verdict not in HOLD


def test_a_non_square_matrix_is_never_refuted_on_layout():
    c = _one(r"\nabla_{\mathbf{x}} \mathbf{x}^\top \mathbf{A} = 2\mathbf{A}",
             r"Let $\mathbf{A} \in \mathbb{R}^{m \times n}$.")
    assert c.verdict == Verdict.UNCHECKED
    assert "the other layout cannot be checked" in c.message


def test_the_norm_of_a_matrix_is_read_entrywise_and_named():
    good = _one(r"\frac{d}{d\mathbf{V}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_2^{2} = "
                r"-2\mathbf{U}^\top(\mathbf{X} - \mathbf{U}\mathbf{V})")
    assert good.verdict == Verdict.PROVED
    assert "entrywise" in good.message and "denominator layout" in good.message
    bad = _one(r"\frac{d}{d\mathbf{V}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_2^{2} = "
               r"2\mathbf{U}^\top(\mathbf{X} - \mathbf{U}\mathbf{V})")
    assert bad.verdict == Verdict.UNCHECKED  # the spectral norm is not computed: never refuted through it
    assert "spectral" in bad.message


def test_a_frobenius_norm_is_not_ambiguous():
    bad = _one(r"\frac{d}{d\mathbf{V}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_F^{2} = "
               r"-\mathbf{U}^\top(\mathbf{X} - \mathbf{U}\mathbf{V})")
    assert bad.verdict == Verdict.REFUTED


def test_the_jacobian_of_a_defined_vector():
    c = _claims("# t\n\nLet $\\mathbf{y} = \\mathbf{W}\\mathbf{x}$.\n\n$$\\nabla_{\\mathbf{x}}\\mathbf{y} = "
                "\\mathbf{W}^\\top$$\n")[5]
    assert c.verdict == Verdict.PROVED and "denominator layout" in c.message


def test_the_gradient_of_an_undefined_name_is_not_nil():
    c = _one(r"\nabla_{\mathbf{x}} y = \mathbf{A} \nabla_{\mathbf{u}} y")
    assert c.verdict not in HOLD


@pytest.mark.parametrize("rhs, holds", [
    (r"\left[\frac{e^x}{e^x+e^y}, \frac{e^y}{e^x+e^y}\right]", True),
    (r"\left[\frac{e^y}{e^x+e^y}, \frac{e^x}{e^x+e^y}\right]", False),
])
def test_a_bracket_beside_a_gradient_is_its_vector(rhs, holds):
    c = _claims(f"# t\n\nLet $f(x, y) = \\ln(e^x + e^y)$.\n\n$$\\nabla f(x, y) = {rhs}$$\n")[5]
    assert (c.verdict == Verdict.PROVED) == holds, c.message
    if not holds:
        assert c.verdict == Verdict.REFUTED


@pytest.mark.parametrize("rhs, holds", [
    (r"\begin{bmatrix} 2y & 2x \\ 2x & 0 \end{bmatrix}", True),
    (r"\begin{bmatrix} 2y & 2x \\ 2x & 1 \end{bmatrix}", False),
])
def test_a_hessian_is_compared_entry_by_entry_and_named(rhs, holds):
    c = _claims(f"# t\n\nLet $g(x, y) = x^2 y$.\n\n$$\\mathbf{{H}} g(x, y) = {rhs}$$\n")[5]
    if holds:
        assert c.verdict == Verdict.PROVED and "Hessian" in c.message
    else:
        assert c.verdict == Verdict.UNCHECKED  # H f may be a matrix times a number: never refuted


def test_a_value_at_a_point_is_not_differentiated():
    c = _claims("# t\n\nAt the point, $$f(x, y) = \\ln(3) \\textrm{ with gradient } "
                "\\nabla f(x, y) = \\left[\\frac{1}{3}, \\frac{2}{3}\\right].$$\n")
    assert all(v.verdict != Verdict.REFUTED for v in c.values())


_EXPLICIT = r"\left\|\begin{bmatrix} 2 & 0 \\ 0 & 5 \end{bmatrix}\right\|"


@pytest.mark.parametrize("text", [
    f"$${_EXPLICIT}_2 = 5$$",  # the spectral norm: true
    f"$${_EXPLICIT} = 5$$",
    "Let $$M = \\begin{bmatrix} 2 & 0 \\\\ 0 & 5 \\end{bmatrix}.$$\n\n$$\\|M\\|_2 = 5$$",
])
def test_the_norm_of_any_matrix_is_never_refuted_entrywise(text):
    claims = _claims(f"# t\n\n{text}\n")
    assert claims and all(c.verdict != Verdict.REFUTED for c in claims.values())


def test_an_explicit_matrix_norm_that_holds_names_the_entrywise_reading():
    c = _one(f"{_EXPLICIT}_2 = \\sqrt{{29}}")
    assert c.verdict == Verdict.PROVED and "entrywise" in c.message


@pytest.mark.parametrize("latex", [
    r"\|\mathbf{Y}\|_2^2 = \mathrm{tr}(\mathbf{Y}^\top\mathbf{Y})",
    f"{_EXPLICIT}_2 = \\sqrt{{29}}",
])
def test_prose_saying_spectral_norm_leaves_a_matrix_norm_unchecked(latex):
    c = _one(latex, r"Here $\|\cdot\|_2$ is the operator norm, the largest singular value.")
    assert c.verdict == Verdict.UNCHECKED and "spectral" in c.message


@pytest.mark.parametrize("bar", [r"\Big|_{(1,1)}", r"|_{u=1}", r"\bigg|_{u=1, v=1}"])
def test_a_gradient_evaluated_at_a_point_is_not_refuted(bar):
    c = _claims(f"# t\n\nLet $h(u, v) = u v^2$.\n\n$$\\nabla h(u, v){bar} = [1, 2]$$\n")[5]
    assert c.verdict != Verdict.REFUTED, c.message


@pytest.mark.parametrize("prose, latex", [
    ("We use the numerator layout.", r"\nabla_{\mathbf{z}} \mathbf{B} \mathbf{z} = \mathbf{B}^\top"),
    ("We use the denominator layout.", r"\frac{\partial \mathbf{B} \mathbf{z}}{\partial \mathbf{z}} = \mathbf{B}"),
    ("", r"\nabla_{\mathbf{Y}} \mathrm{tr}(\mathbf{C}\mathbf{Y}) = \mathbf{C}"),  # ∇ of a scalar: Y's shape
    ("", r"\nabla_{\mathbf{Y}} \|\mathbf{C}\mathbf{Y}\|_F^2 = 2\mathbf{Y}^\top\mathbf{C}^\top\mathbf{C}"),
])
def test_a_layout_the_text_excludes_does_not_make_a_claim_hold(prose, latex):
    c = _one(latex, prose)
    assert c.verdict == Verdict.UNCHECKED and "layout" in c.message, c.message


@pytest.mark.parametrize("prose, latex, layout", [
    ("We use the numerator layout.", r"\nabla_{\mathbf{z}} \mathbf{B} \mathbf{z} = \mathbf{B}", "numerator"),
    ("", r"\nabla_{\mathbf{Y}} \mathrm{tr}(\mathbf{C}\mathbf{Y}) = \mathbf{C}^\top", "shape"),
    ("", r"\frac{\partial}{\partial \mathbf{Y}} \mathrm{tr}(\mathbf{C}\mathbf{Y}) = \mathbf{C}", "numerator"),
])
def test_a_claim_true_in_the_layout_it_may_mean_holds(prose, latex, layout):
    c = _one(latex, prose)
    assert c.verdict == Verdict.PROVED and layout in c.message, c.message


def test_an_identity_true_only_for_a_symmetric_matrix_is_not_refuted():
    c = _one(r"\nabla_{\mathbf{Y}} \mathrm{tr}(\mathbf{Y}^\top\mathbf{C}\mathbf{Y}) = 2\mathbf{C}\mathbf{Y}")
    assert c.verdict == Verdict.UNCHECKED and "symmetric" in c.message
    wrong = _one(r"\nabla_{\mathbf{Y}} \mathrm{tr}(\mathbf{Y}^\top\mathbf{C}\mathbf{Y}) = 3\mathbf{C}\mathbf{Y}")
    assert wrong.verdict == Verdict.REFUTED


@pytest.mark.parametrize("before, latex, holds", [
    ("We use the numerator layout.", r"\frac{d}{d\mathbf{x}}(\boldsymbol\beta^\top\mathbf{x}) = \boldsymbol\beta",
     False),
    ("We use the numerator layout.", r"\frac{d}{d\mathbf{x}}(\boldsymbol\beta^\top\mathbf{x}) = \boldsymbol\beta^\top",
     True),
    ("We use the denominator layout.", r"\frac{d}{d\mathbf{x}}(\boldsymbol\beta^\top\mathbf{x}) = \boldsymbol\beta",
     True),
])
def test_the_derivative_of_a_scalar_by_a_vector_is_a_row_in_the_numerator_layout(before, latex, holds):
    c = _one(latex, before)
    assert (c.verdict in HOLD) == holds, c.message
    assert c.verdict != Verdict.REFUTED  # the other layout holds: never refuted


def test_without_a_stated_layout_the_column_answer_names_the_denominator_layout():
    c = _one(r"\frac{d}{d\mathbf{x}}(\boldsymbol\beta^\top\mathbf{x}) = \boldsymbol\beta")
    assert c.verdict == Verdict.PROVED
    assert "in the denominator layout" in c.message


@pytest.mark.parametrize("latex", [
    # y a^T, a matrix; then a column times a column
    r"\mathbf{y}\frac{\partial \mathbf{a}^\top\mathbf{x}}{\partial \mathbf{x}} = \mathbf{a}^\top\mathbf{y}",
    r"\nabla_{\mathbf{x}}(\mathbf{a}^\top\mathbf{x})\,\mathbf{b} = \mathbf{a}^\top\mathbf{b}",
])
def test_a_gradient_times_a_vector_in_a_lost_order_is_not_a_dot_product(latex):
    c = _one(latex)
    assert c.verdict not in HOLD, c.message


def test_a_product_that_is_a_number_midway_scales_the_rest():
    c = _one(r"(\mathbf{a}^\top\mathbf{A}\mathbf{x})\mathbf{A}\mathbf{b} = "
             r"\mathbf{A}\mathbf{b}(\mathbf{a}^\top\mathbf{A}\mathbf{x})")
    assert "checker error" not in c.message
