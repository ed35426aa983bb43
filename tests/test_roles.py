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
