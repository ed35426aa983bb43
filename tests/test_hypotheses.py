"""Hypotheses stated in prose are assumptions of the claims in their scope, and a proof that
splits logs names the positivity it used: from the text's hypotheses, else as needs-assumption."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

LOG = r"$$\log\frac{x^2}{y} = 2\log x-\log y$$"


def _by_latex(text: str) -> dict:
    return {c.latex: c for c in check_text(text, CheckOptions()).claims}


def test_a_log_split_under_stated_hypotheses_is_proved_naming_them():
    got = _by_latex(f"A log identity, with $x>0$ and $y>0$:\n\n{LOG}\n")
    claim = got[r"\ln \frac{x^2}{y} = 2\ln x-\ln y"]
    assert claim.verdict == "proved", claim.message
    assert claim.assumptions == ["x > 0 (line 1)", "y > 0 (line 1)"]
    assert got["x > 0"].role == "hypothesis" and got["x > 0"].verdict == "unchecked"


def test_a_log_split_without_hypotheses_needs_the_positivity_it_used():
    result = check_text(f"A log identity:\n\n{LOG}\n", CheckOptions())
    (claim,) = result.claims
    assert claim.verdict == "needs-assumption", claim.message
    assert claim.assumptions == ["x > 0, y > 0"]
    assert [(f.rule, f.line) for f in result.findings] == [("ML101", 3)]


def test_one_bound_on_several_names_and_a_condition_after_the_claim():
    got = _by_latex("$$\\log(ab) = \\log a + \\log b$$\n\nfor $a, b > 0$.\n")
    claim = got[r"\ln (ab) = \ln a + \ln b"]
    assert claim.verdict == "proved", claim.message
    assert claim.assumptions == ["a > 0 (line 3)", "b > 0 (line 3)"]


def test_a_hypothesis_is_in_force_only_in_its_part_and_for_the_names_it_bounds():
    result = check_text(f"# One\n\nWith $x > 0$ and $y > 0$:\n\n{LOG}\n\n$$\\log(t^2) = 2\\log t$$\n\n"
                        f"# Two\n\n{LOG}\n", CheckOptions())
    first, other, second = [c for c in result.claims if c.role == "equation"]
    assert first.verdict == "proved", first.message
    assert (other.verdict, other.assumptions) == ("needs-assumption", ["t > 0"]), other.message
    assert (second.verdict, second.assumptions) == ("needs-assumption", ["x > 0, y > 0"]), second.message


def test_a_probability_hypothesis_makes_one_minus_p_positive():
    got = _by_latex("For $0 < p < 1$:\n\n$$\\log\\frac{p}{1-p} = \\log p - \\log(1-p)$$\n")
    claim = got[r"\ln \frac{p}{1-p} = \ln p - \ln (1-p)"]
    assert claim.verdict == "proved", claim.message
    assert claim.assumptions == ["0 < p < 1 (line 1)"]


def test_logs_of_positive_expressions_need_no_assumption():
    got = _by_latex("$$\\log\\frac{e^a}{e^a + e^b} = a - \\log(e^a + e^b)$$\n\n"
                    "$$\\log(1 + x^2) - \\log(1 + x^2) = 0$$\n")
    for claim in got.values():
        assert claim.verdict == "proved" and claim.assumptions == [], (claim.latex, claim.message)
