"""Roles from syntax and sentence (issue 16): settings, hypotheses, ranges, equations to solve,
assignments and approximations are unchecked with their role named; identities stay checked."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claims(text: str) -> dict[str, tuple[str, str]]:
    return {c.latex: (c.role, c.verdict) for c in check_text(text, CheckOptions()).claims}


def test_settings_ranges_conditions_and_goals_are_not_refuted():
    got = _claims("Common choices are $\\beta_2 = 0.999$ and we have $p_1 = 4/5$.\n\n"
                  "For $i = 1, \\ldots, n$ we need $c_i(x) \\le 0$ for all $i$.\n\n"
                  "The minimum of $f$ satisfies $\\nabla f = 0$, and $g'(x) = 0$ at a peak.\n\n"
                  "The width grows, i.e., $c_j \\approx c_0 + c_a j$. We update $x_i = \\log(x_i)$.\n")
    assert got["\\beta_2 = 0.999"] == ("setting", "unchecked")
    assert got["p_1 = 4/5"] == ("setting", "unchecked")
    assert got["i = 1, \\ldots , n"] == ("hypothesis", "unchecked")
    assert got["c_i(x) \\le 0"] == ("hypothesis", "unchecked")
    assert got["\\nabla f = 0"] == ("to-solve", "unchecked")
    assert got["g'(x) = 0"] == ("to-solve", "unchecked")
    assert got["c_j \\approx c_0 + c_a j"] == ("approximation", "unchecked")
    assert got["x_i = \\ln (x_i)"] == ("assignment", "unchecked")


def test_identities_after_claim_cues_and_conditional_claims_stay_checked():
    got = _claims("Thus $2 + 2 = 5$, hence $e^x > 0$.\n\nFor $i \\neq j$, $x_i - x_i = 1$.\n\n"
                  "We choose $\\eta = 0.1$.\n\n$$x = 3$$\n")
    assert got["2 + 2 = 5"] == ("equation", "refuted")
    assert got["e^x > 0"][1] in ("proved", "consistent")
    assert got["x_i - x_i = 1"][1] == "refuted"  # ``for`` speaks for the condition, not for this claim
    assert got["\\eta = 0.1"][0] == "setting"
    assert got["x = 3"][0] != "setting"  # a display value with no setting cue is no setting


def test_approximations_between_constants_hold_to_the_digits_written():
    got = _claims("We get $\\sqrt{5} \\approx 2.2$ and $\\exp(1-6/2) \\approx 0.14$.\n\n"
                  "The noise is $0.81 \\approx 0.283^2$, while $\\pi \\approx 3.15$.\n")
    assert got["\\sqrt{5} \\approx 2.2"][1] == "consistent"  # 2.236 rounds to 2.2 at one decimal
    assert got["\\exp(1-6/2) \\approx 0.14"][1] == "consistent"  # 0.1353 rounds to 0.14
    assert got["0.81 \\approx 0.283^2"][1] == "refuted"  # 0.080089 rounds to 0.08, not 0.81
    assert got["\\pi \\approx 3.15"][1] == "refuted"  # 3.14159 rounds to 3.14


def test_an_equation_in_one_unknown_against_a_constant_determines_it():
    got = _claims("Given the power $1 - \\beta = 0.8$, over $1/(1-\\gamma) = 10$ steps, by making "
                  "$\\cos(\\theta) = -1$.\n\nThe polynomial equation $0 = (2-\\lambda)(3-\\lambda)-2 = "
                  "(4-\\lambda)(1-\\lambda)$ follows.\n\nBut $\\sin(\\pi) = 1$ and $(x+1)^2 = x^2+2x+1$.\n\n"
                  "With a kernel $k_h = k_w = 4$. At $||x-x'|| = \\ell$, the covariance drops.\n")
    for latex in ("1 - \\beta = 0.8", "1/(1-\\gamma) = 10", "\\cos(\\theta) = -1", "0 = (2-\\lambda)(3-\\lambda)-2"):
        assert got[latex] == ("to-solve", "unchecked"), latex
    assert got["(2-\\lambda)(3-\\lambda)-2 = (4-\\lambda)(1-\\lambda)"] == ("step", "proved")  # the rest of the chain
    assert got["\\sin(\\pi) = 1"][1] == "refuted"  # no unknown: still checked
    assert got["(x+1)^2 = x^2+2x+1"][1] == "proved"
    assert got["k_h = k_w = 4"] == ("setting", "unchecked")
    assert got["||x-x'|| = \\ell"] == ("hypothesis", "unchecked")


def test_an_equation_about_a_name_with_a_value_in_force_stays_checked():
    got = _claims("Let $\\gamma = 0.5$ here. Then $1/(1-\\gamma) = 10$.\n")
    assert got["1/(1-\\gamma) = 10"][1] == "refuted"


def test_an_inequality_under_a_range_its_sentence_states_is_a_hypothesis():
    got = _claims("We show that for all $a, b, \\lambda \\in [0, 1]$ (thus $0 \\leq \\lambda a + (1-\\lambda) b "
                  "\\leq 1$) it holds.\n\nThus $x^2 + 1 \\le 0$.\n")
    assert got["0 \\le \\lambda a + (1-\\lambda) b \\le 1"] == ("hypothesis", "unchecked")
    assert got["x^2 + 1 \\le 0"][1] == "refuted"


def test_the_values_a_name_takes_are_a_setting_never_substituted():
    """``$x = -1, 0, 2$`` lists where something happens: a setting, not a definition, so a later
    derivative in ``x`` is checked as written (it was `unchecked`: the list substituted for x)."""
    claims = _claims("The minima are at $x = -1, 0, 2$ only.\n\n$$\\frac{d}{dx}(ax^2) = 2ax$$\n")
    assert claims["x = -1, 0, 2"] == ("setting", "unchecked")
    assert claims["\\frac{d}{dx}(ax^2) = 2ax"][1] == "proved"


def test_a_distribution_statement_is_a_hypothesis():
    got = _claims("Let $X \\sim \\mathcal{N}(0, 1)$ and\n\n$$Y_i \\sim \\textrm{Bernoulli}(p)$$\n")
    assert got["X \\sim \\mathcal{N}(0, 1)"] == ("hypothesis", "unchecked")


def test_an_equation_after_when_or_if_is_a_condition_even_with_a_definable_head():
    got = _claims("Note that when $\\textrm{bias}(\\hat{\\theta}_n) = 0$, it is unbiased.\n\n"
                  "The bias vanishes: $\\lim_{n \\rightarrow \\infty} \\textrm{bias}(\\hat{\\theta}_n) = 0$.\n\n"
                  "The loss is $\\ell = (y - f(x))^2$ where $f(x) = w x$.\n")
    assert got["\\operatorname{bias}(\\hat{\\theta}_n) = 0"] == ("hypothesis", "unchecked")
    assert got["\\lim_{n \\rightarrow \\infty} \\operatorname{bias}(\\hat{\\theta}_n) = 0"][1] != "proved"
    assert got["f(x) = w x"][0] == "definition"  # "where" defines
