"""Bold vectors tied to their components (issue 17): a definition by a pattern with dots is not
substituted, and bold lower-case names in norms and inner products are read as vectors."""

import pytest

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

X_BY_PATTERN = r"$$\mathbf{v} = \begin{bmatrix} v_1 \\ \vdots \\ v_m \end{bmatrix}.$$"
A_BY_PATTERN = (r"$$\mathbf{M}^\top = \begin{bmatrix} m_{11} & \cdots & m_{k1} \\ \vdots & \ddots & \vdots \\ "
                r"m_{1r} & \cdots & m_{kr} \end{bmatrix}.$$")


def _claims(*displays: str) -> list:
    text = "# t\n\n" + "\n\nThen\n\n".join(displays) + "\n"
    return check_text(text, CheckOptions()).claims


def _last(*displays: str):
    return _claims(*displays)[-1]


@pytest.mark.parametrize("latex, verdict", [
    (r"\|\mathbf{v}\|_2 = \sqrt{\sum_{k=1}^m v_k^2}", "proved"),
    (r"\|\mathbf{v}\|_1 = \sum_{k=1}^m |v_k|", "proved"),
    (r"\mathbf{v}^\top\mathbf{u} = \sum_{k=1}^{m} v_k u_k", "proved"),
    (r"\|\mathbf{v}\|_2 = \sqrt{\sum_{k=1}^m v_k}", "refuted"),  # the square dropped: fails for numbers too
])
def test_a_pattern_definition_ties_the_bold_name_to_its_components(latex, verdict):
    claim = _last(X_BY_PATTERN, f"$${latex}$$")
    assert str(claim.verdict) == verdict, claim.message
    assert "matrix_pattern" not in claim.message


def test_a_pattern_definition_is_recorded_not_substituted():
    definition, claim = _claims(X_BY_PATTERN, r"$$\|\mathbf{v}\|_1 = \sum_{k=1}^m |v_k|$$")
    assert definition.role == "definition" and "not substituted" in definition.message
    assert "uses the definitions" not in claim.message


@pytest.mark.parametrize("latex, verdict", [
    (r"(\mathbf M^\top)^\top = \mathbf M", "proved"),
    (r"\mathbf M^\top + \mathbf N^\top = (\mathbf M + \mathbf N)^\top", "proved"),
    (r"(\mathbf M^\top)^\top = \mathbf M^\top", "unchecked"),  # a property of symmetric matrices: never proved
])
def test_a_transpose_defined_by_a_pattern_defines_no_function(latex, verdict):
    claim = _last(A_BY_PATTERN, f"$${latex}$$")
    assert str(claim.verdict) == verdict, claim.message


@pytest.mark.parametrize("latex", [
    r"\|\mathbf{w}\|^2 = \mathbf{w}^\top\mathbf{w}",
    r"\|\mathbf{u}+\mathbf{w}\|^2 = \|\mathbf{u}\|^2 + \|\mathbf{w}\|^2 + 2\mathbf{u}^\top\mathbf{w}",
    r"\langle \mathbf u, \mathbf w\rangle = \langle \mathbf w, \mathbf u\rangle",
    r"\|3\mathbf{w}\| = 3\|\mathbf{w}\|",
    r"\|\mathbf u+\mathbf w\| \le \|\mathbf u\|+\|\mathbf w\|",
    r"\|\mathbf w\|_2 \le \|\mathbf w\|_1",
])
def test_bold_names_in_norms_are_vectors(latex):
    claim = _last(f"$${latex}$$")
    assert str(claim.verdict) in ("proved", "consistent"), claim.message
    assert "as a vector" in claim.message or "as vectors" in claim.message


@pytest.mark.parametrize("latex", [
    r"\|\mathbf{w}\|^2 = 2\mathbf{w}^\top\mathbf{w}",
    r"\|\mathbf u+\mathbf w\| \ge \|\mathbf u\|+\|\mathbf w\|",
    r"\|\mathbf{u}+\mathbf{w}\|^2 = \|\mathbf{u}\|^2 + \|\mathbf{w}\|^2 - 2\mathbf{u}^\top\mathbf{w}",
    r"\|\mathbf w\|_1 = \|\mathbf w\|_2",
    r"\|\mathbf w\|_1 \le \|\mathbf w\|_2",
])
def test_mutants_are_never_proved(latex):
    assert str(_last(f"$${latex}$$").verdict) not in ("proved", "consistent")


def test_a_failure_only_under_the_vector_reading_is_no_refutation():
    claim = _last(r"$$\|\mathbf w\|_1 = \|\mathbf w\|_2$$")  # equal for numbers, not for vectors
    assert str(claim.verdict) == "unchecked"
    assert "does not refute on its own reading" in claim.message


def test_the_order_of_a_norm_is_no_vector():
    claim = _last(X_BY_PATTERN, r"$$\|\mathbf{v}\|_p = \left(\sum_{k=1}^m |v_k|^p\right)^{1/p}$$")
    assert str(claim.verdict) == "proved", claim.message


def test_a_transposed_row_pattern_defines_a_column():
    definition, claim = _claims(r"$$\mathbf{v} = \begin{bmatrix} v_1 & \cdots & v_m \end{bmatrix}^\top$$",
                                r"$$\|\mathbf{v}\|_2^2 = \sum_{k=1}^m v_k^2$$")
    assert str(definition.verdict) == "unchecked" and "not substituted" in definition.message
    assert str(claim.verdict) == "proved", claim.message


@pytest.mark.parametrize("latex, verdict", [
    (r"|\mathbf u^\top \mathbf w| \le \|\mathbf u\| \|\mathbf w\|", "consistent"),  # norms are numbers: they commute
    (r"(\mathbf u^\top \mathbf w - c)^2 = (c - \mathbf w^\top \mathbf u)^2", "proved"),
    (r"w^\top\phi(x) = \langle w, \phi(x)\rangle", "proved"),  # one expression: equal under every reading
    (r"\langle \mathbf M \mathbf u, \mathbf w\rangle = \langle \mathbf u, \mathbf M \mathbf w\rangle", "unchecked"),
    (r"|\mathbf u^\top \mathbf w| \ge \|\mathbf u\| \|\mathbf w\|", "unchecked"),
])
def test_scalars_of_vectors_commute(latex, verdict):
    claim = _last(f"$${latex}$$")
    assert str(claim.verdict) == verdict, claim.message


def test_the_norm_of_a_name_with_two_index_entries_is_not_the_norm_of_a_row():
    """``\\|\\mathbf X\\|_F`` beside ``\\mathbf X_{ij}``: X is a matrix, not the vector of its first
    row (that reading refuted the Frobenius norm's definition)."""
    text = "$$\\|\\mathbf{X}\\|_\\textrm{F} = \\sqrt{\\sum_{i=1}^m \\sum_{j=1}^n \\mathbf{X}_{ij}^2}$$\n"
    claims = check_text(text, CheckOptions()).claims
    assert [c.verdict for c in claims] == ["proved"], [c.message for c in claims]  # as a matrix (check/entries)


# the pattern decides which components a bold name is the vector of (s11 review): only the column
# ``v_1, …, v_m`` ties it, and only to sums over ``k = 1 … m``; any other pattern leaves it unchecked
STANDARD = X_BY_PATTERN
ZERO_BASED = r"$$\mathbf{v} = \begin{bmatrix} v_0 \\ \vdots \\ v_{m-1} \end{bmatrix}.$$"
REVERSED = r"$$\mathbf{v} = \begin{bmatrix} v_m \\ \vdots \\ v_1 \end{bmatrix}.$$"
SHIFTED = r"$$\mathbf{v} = \begin{bmatrix} v_2 \\ \vdots \\ v_{m+1} \end{bmatrix}.$$"
STRIDED = r"$$\mathbf{v} = \begin{bmatrix} v_1 \\ v_3 \\ \vdots \\ v_{2m-1} \end{bmatrix}.$$"
HALF = r"$$\mathbf{v} = \begin{bmatrix} v_1 \\ \vdots \\ v_{m/2} \end{bmatrix}.$$"
SCALED = r"$$\mathbf{v} = \begin{bmatrix} 3v_1 \\ \vdots \\ 3v_m \end{bmatrix}.$$"
ROW = r"$$\mathbf{v} = \begin{bmatrix} v_1 & \cdots & v_m \end{bmatrix}$$"
U_BY_PATTERN = r"$$\mathbf{u} = \begin{bmatrix} u_1 \\ \vdots \\ u_m \end{bmatrix}.$$"


@pytest.mark.parametrize("displays", [
    (ZERO_BASED, r"$$\|\mathbf{v}\|^2 = \sum_{k=0}^{m-1} v_k^2$$"),  # true: was refuted
    (ZERO_BASED, r"$$\|\mathbf{v}\|^2 = \sum_{k=1}^{m} v_k^2$$"),  # off by one: was proved
    (STANDARD, r"$$\|\mathbf{v}\|^2 = \sum_{k=1}^{r} v_k^2$$"),  # another size: was proved
    (REVERSED, U_BY_PATTERN, r"$$\mathbf{v}^\top\mathbf{u} = \sum_{k=1}^m v_k u_k$$"),  # was proved
    (REVERSED, U_BY_PATTERN, r"$$\mathbf{v}^\top\mathbf{u} = \sum_{k=1}^m v_{m+1-k} u_k$$"),  # was refuted
    (SHIFTED, r"$$\|\mathbf{v}\|^2 = \sum_{k=1}^{m} v_k^2$$"),
    (STRIDED, r"$$\|\mathbf{v}\|^2 = \sum_{k=1}^{m} v_k^2$$"),
    (STANDARD, HALF, r"$$\|\mathbf{v}\|^2 = \sum_{k=1}^{m} v_k^2$$"),  # redefined: the old sum no longer
    (STANDARD, SCALED, r"$$\|\mathbf{v}\|^2 = \sum_{k=1}^{m} v_k^2$$"),
    (ROW, r"$$\mathbf{v}^\top\mathbf{v} = \sum_{k=1}^m v_k^2$$"),  # a row: that product is an m×m matrix
])
def test_only_the_column_of_v_1_to_v_m_ties_the_bold_name(displays):
    claim = _last(*displays)
    assert str(claim.verdict) == "unchecked", claim.message


@pytest.mark.parametrize("latex", [
    r"\|\mathbf{v}\|^2 = \sum_{k=1}^{m} v_k^2",
    r"\|\mathbf{v}\|^2 = \sum_{k} v_k^2",  # over every component
    r"\mathbf{v}^\top\mathbf{u} = \sum_{k=1}^m v_k u_k",
])
def test_the_standard_pattern_still_ties(latex):
    claim = _last(STANDARD, U_BY_PATTERN, f"$${latex}$$")
    assert str(claim.verdict) == "proved", claim.message


@pytest.mark.parametrize("latex", [
    r"\|\mathbf{v}\|^2 = \sum_{k=1}^{m} 2 v_k^2",
    r"\|\mathbf{v}\|^2 = \sum_{k=1}^{m} v_k",
])
def test_mutants_of_the_standard_pattern_are_not_proved(latex):
    assert str(_last(STANDARD, f"$${latex}$$").verdict) not in ("proved", "consistent")


def test_a_row_pattern_is_not_read_as_a_column():
    claim = _last(ROW, r"$$\|\mathbf{v}\|^2 = \mathbf{v}^\top\mathbf{v}$$")
    assert str(claim.verdict) not in ("proved", "consistent", "refuted"), claim.message


def test_a_zero_based_sum_is_no_refutation_without_a_pattern():
    claim = _last(r"$$\|\mathbf{v}\|^2 = \sum_{k=0}^{m-1} v_k^2$$")
    assert str(claim.verdict) != "refuted", claim.message


def _text(body: str):
    return check_text("# t\n\n" + body + "\n", CheckOptions()).claims[-1]


def test_a_text_that_defines_its_inner_product_does_not_get_the_standard_one():
    claim = _text(r"We weigh by $\mathbf{A}$: $\langle \mathbf{u}, \mathbf{w} \rangle = \mathbf{u}^\top \mathbf{A} "
                  "\\mathbf{w}$. Then\n\n$$\\langle \\mathbf{u}, \\mathbf{u} \\rangle = \\|\\mathbf{u}\\|^2$$")
    assert str(claim.verdict) == "unchecked", claim.message


def test_a_name_declared_a_matrix_is_not_read_as_a_vector():
    claim = _text("Let $\\mathbf{u} \\in \\mathbb{R}^{m \\times m}$. Then\n\n"
                  "$$\\|\\mathbf{u}\\|^2 = \\mathbf{u}^\\top \\mathbf{u}$$")
    assert str(claim.verdict) not in ("proved", "consistent"), claim.message


@pytest.mark.parametrize("prose, verdict", [
    ("Here the norm is the $\\ell_1$ norm.", "unchecked"),
    ("Here we use the max norm.", "unchecked"),
    ("Here the norm is the Euclidean one.", "proved"),
    ("An $\\ell_1$ penalty ($\\ell_1$ regularization) is another choice.", "proved"),  # a penalty, not this norm
])
def test_prose_that_names_another_norm_withdraws_the_euclidean_reading(prose, verdict):
    claim = _text(f"{prose} Then\n\n$$\\|\\mathbf{{u}}\\|^2 = \\mathbf{{u}}^\\top\\mathbf{{u}}$$")
    assert str(claim.verdict) == verdict, claim.message


def test_a_declared_size_after_the_pattern_gives_the_components():
    text = (f"# t\n\n{STANDARD}\n\nFor $\\mathbf{{v}}, \\mathbf{{u}} \\in \\mathbb{{R}}^r$,\n\n"
            "$$\\mathbf{v}^\\top\\mathbf{u} = \\sum_{k=1}^r v_k u_k$$\n\n$$\\mathbf{v}^\\top\\mathbf{u} = "
            "\\sum_{k=1}^m v_k u_k$$\n")
    *_, declared, stale = check_text(text, CheckOptions()).claims
    assert str(declared.verdict) == "proved", declared.message
    assert str(stale.verdict) == "unchecked", stale.message


def test_a_complex_vector_is_not_read_as_a_real_one():
    claim = _text("Let $\\mathbf{u} \\in \\mathbb{C}^m$. Then\n\n"
                  "$$\\|\\mathbf{u}\\|^2 = \\mathbf{u}^\\top \\mathbf{u}$$")
    assert str(claim.verdict) not in ("proved", "consistent"), claim.message
