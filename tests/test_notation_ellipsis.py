"""Elided sums and products (``a_1 + a_2 + \\cdots + a_n``, ``1 + \\gamma + \\gamma^2 + \\ldots``,
``x_1 x_2 \\cdots x_n``): read as the Sum/Product the dots stand for when the pattern is certain,
left as the opaque ``\\ldots`` when it is not, or when the dots are in a list, a call or a matrix."""

import pytest
import sympy as sp

from mathlint.latex.parse import parse_latex
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

k, n, x, gamma = sp.Symbol("k", integer=True), sp.Symbol("n"), sp.Symbol("x"), sp.Symbol("gamma")
a, b, w = sp.IndexedBase("a"), sp.IndexedBase("beta"), sp.IndexedBase("x")


def _claim(latex: str):
    result = check_text(f"# t\n\n$${latex}$$\n", CheckOptions())
    (claim,) = [c for c in result.claims if c.line == 3]
    return claim


@pytest.mark.parametrize("latex, expected", [
    (r"a_1 + a_2 + \cdots + a_n", sp.Sum(a[k], (k, 1, n))),
    (r"\beta_1x_1 + \ldots + \beta_nx_n", sp.Sum(b[k] * w[k], (k, 1, n))),
    (r"1 + \gamma + \gamma^2 + \ldots", sp.Sum(gamma ** k, (k, 0, sp.oo))),
    (r"x + \dots + x^n", sp.Sum(x ** k, (k, 1, n))),
    (r"x_1 x_2 \cdots x_n", sp.Product(w[k], (k, 1, n))),
    (r"c + a_1 + a_2 + \ldots + a_{10}", sp.Symbol("c") + sp.Sum(a[k], (k, 1, 10))),
    (r"\frac{1}{n}(a_1 + \ldots + a_n)", sp.Sum(a[k], (k, 1, n)) / n),
])
def test_elided_sum_reads_as(latex, expected):
    assert parse_latex(latex) == expected


@pytest.mark.parametrize("latex", [
    r"2 + \ldots + 2n",  # 2, 3, 4, … or 2, 4, 6, …: one term does not fix a step
    r"1 + \ldots",  # one term and no last one
    r"2 + 4 + \ldots",  # 2k or 2^k
    r"1 + x + \frac{x^2}{2} + \frac{x^3}{6} + \ldots",  # no one integer is the index
    r"a_1 - a_2 + \ldots + a_n",  # alternating signs
    r"\mathbf{A}\cdot \mathbf{A}\ldots \mathbf{A} \mathbf{v}",  # how many factors is not written
    r"x_1 + x_2 + x_3 + \ldots + x_n",  # at n = 2 the sum would drop the written x_3
    r"\mathbf{A}_1 \mathbf{A}_2 \cdots \mathbf{A}_n",  # matrices: the order is the matrix reading's
])
def test_ambiguous_dots_stay_opaque(latex):
    assert sp.Symbol("...") in parse_latex(latex).free_symbols


@pytest.mark.parametrize("latex", [r"f(x_1, \ldots, x_n)", r"(s_1, a_1, \ldots)", r"[x_1, x_2, \ldots, x_n]"])
def test_dots_of_lists_and_calls_keep_their_reading(latex):
    assert not parse_latex(latex).has(sp.Sum, sp.Product)
    assert "..." in str(parse_latex(latex))


def test_dots_of_a_matrix_keep_their_reading():
    claim = _claim(r"\mathbf{A} = \begin{bmatrix} a_1 & a_2 & \ldots & a_n \end{bmatrix}")
    assert not claim.rhs.has(sp.Sum, sp.Product) and "matrix_pattern" in str(claim.rhs)


@pytest.mark.parametrize("latex", [
    r"a_1 + a_2 + \cdots + a_n = \sum_{i=1}^{n} a_i",
    r"\sum_{i = 1}^{n} w_ix_i = w_1x_1 + \ldots + w_nx_n",
    r"1 + 2 + \ldots + n = \frac{n(n+1)}{2}",
    r"1 + x + x^2 + \cdots + x^n = \frac{x^{n+1} - 1}{x - 1}",
    r"x_1 x_2 \cdots x_n = \prod_{i=1}^{n} x_i",
    r"\sum_{j=1}^{n} a_{i,j} x_j = a_{i,1}x_1 + \ldots + a_{i,n}x_n",
])
def test_true_elided_sums_are_proved(latex):
    assert _claim(latex).verdict == "proved"


@pytest.mark.parametrize("latex", [
    r"1 + x + x^2 + \cdots + x^{n+1} = \frac{x^{n+1} - 1}{x - 1}",  # wrong last term
    r"a_1 + a_2 + \cdots + a_n = \sum_{i=2}^{n} a_i",
    r"1 + 2 + \ldots + n = \frac{n(n-1)}{2}",
    r"1 + x + x^2 + \cdots + x^n = \frac{x^{n} - 1}{x - 1}",  # wrong power
    r"x_1 x_2 \cdots x_n = \prod_{i=1}^{n} x_i^2",
    r"\sum_{j=1}^{n} a_{i,j} x_j = a_{1,i}x_1 + \ldots + a_{n,i}x_n",  # swapped index
])
def test_single_edit_mutants_are_refuted_at_their_line(latex):
    claim = _claim(latex)
    assert claim.verdict == "refuted" and claim.line == 3


def test_an_ambiguous_sum_stays_unchecked():
    claim = _claim(r"2 + \ldots + 2n = n(n+1)")
    assert claim.verdict == "unchecked" and "\\ldots" in claim.message


def test_an_infinite_series_is_never_decided_without_its_convergence():
    """``1 + \\gamma + \\gamma^2 + \\ldots = 1/(1-\\gamma)`` holds only for |γ| < 1: no numbers can be
    drawn for an infinite sum, and no proof is claimed that would drop the condition."""
    for rhs in (r"\frac{1}{1-\gamma}", r"\frac{1}{1+\gamma}"):
        claim = _claim(r"1 + \gamma + \gamma^2 + \ldots = " + rhs)
        assert claim.verdict not in ("proved", "refuted", "consistent")
        assert "oo" in claim.message


def test_a_chain_of_dots_stays_a_hypothesis():
    result = check_text("# t\n\n$$\\alpha_1 > \\ldots > \\alpha_T$$\n", CheckOptions())
    assert all(c.verdict == "unchecked" for c in result.claims)


@pytest.mark.parametrize("latex", [
    r"1 + 2 + \ldots + 8 = 36",  # 1 + 2 + … + 8, or 1 + 2 + 4 + 8 = 15
    r"1 + 2 + \ldots + 8 = 15",
    r"3 + 6 + \ldots + 24 = 45",  # 3, 6, 12, 24 also runs by a ratio
])
def test_numbers_that_also_run_by_a_ratio_stay_unchecked(latex):
    claim = _claim(latex)
    assert claim.verdict == "unchecked" and "\\ldots" in claim.message


@pytest.mark.parametrize("latex", [r"1 + 2 + 3 + \ldots + 8 = 36", r"1 + 2 + \ldots + 7 = 28"])
def test_numbers_only_one_pattern_fits_are_proved(latex):
    assert _claim(latex).verdict == "proved"


@pytest.mark.parametrize("latex", [
    r"u_1 + u_2 + \ldots + u_m = 1",
    r"p_1 + \cdots + p_m = 0",
    r"\beta_1 + \ldots + \beta_m = 2",
])
def test_an_elided_sum_of_unknowns_set_to_a_value_is_a_constraint(latex):
    claim = _claim(latex)
    assert claim.verdict == "unchecked" and "equation to solve" in claim.message


def test_an_elided_sum_equal_to_a_multiple_of_an_undefined_mean_states_its_value():
    text = "# t\n\n$$z_1 + z_2 + \\ldots + z_m = m \\bar{z},$$\n\nwhere $\\bar z$ is the mean of the $z_i$.\n"
    (claim,) = [c for c in check_text(text, CheckOptions()).claims if c.line == 3]
    assert claim.verdict == "unchecked" and "states the value" in claim.message


def test_an_elided_sum_against_its_sigma_form_is_still_refuted_when_wrong():
    assert _claim(r"u_1 + u_2 + \ldots + u_m = \sum_{i=2}^{m} u_i").verdict == "refuted"
