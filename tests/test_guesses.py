"""Issue 16: a failure that rests on mathlint's own guess is no refutation. Shapes it inferred,
values it drew for a function the text never defines and case variants read literally make a
claim `unchecked` (with the reason) or let it hold under the reading named in its message."""

from __future__ import annotations

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claim(text: str, latex_start: str):
    result = check_text(text, CheckOptions())
    (claim,) = [c for c in result.claims if c.latex.startswith(latex_start)]
    return claim, result


def test_a_shape_conflict_is_unchecked_with_mathlints_reading_named():
    # `x` beside `x_i`: mathlint reads x as a vector, so log(x) would apply a scalar function to a vector
    claim, _ = _claim("Prose.\n\n$$\\log(x) + 1 = \\sum_{i=1}^N x_i$$\n", "\\ln")
    assert claim.verdict == "unchecked"
    assert claim.reason.startswith("the shapes do not fit under mathlint's reading: ")


def test_a_failure_that_depends_on_an_undefined_function_is_unchecked():
    claim, _ = _claim("$$H(X, Y) \\le H(X) + H(Y)$$\n", "H(X, Y)")
    assert claim.verdict == "unchecked" and claim.reason == "depends on H(·), which the text does not define"
    assert claim.counterexample is None


def test_a_failure_for_every_function_is_still_refuted_and_a_holding_claim_proved():
    wrong, _ = _claim("$$f(x) + 1 = f(x) + 2$$\n", "f(x) + 1")
    assert wrong.verdict == "refuted" and wrong.counterexample
    right, _ = _claim("$$f(x) + g(x) = g(x) + f(x)$$\n", "f(x) + g(x)")
    assert right.verdict in ("proved", "consistent")


_MODEL = "The model is\n\n$$P(Y=1|x) = \\frac{1}{1+e^{-w x}}$$\n\nso\n\n"


def test_case_variants_of_a_defined_function_are_read_as_it_and_stay_a_finding():
    claim, result = _claim(_MODEL + "$$\\log\\frac{P(y=1|x)}{1-p(Y=1|x)} = w x$$\n", "\\ln \\frac")
    assert claim.verdict in ("proved", "consistent")
    assert claim.reason.startswith("holds reading `P(y=1|·)` and `p(Y=1|·)` as `P(Y=1|·)`")
    assert [f for f in result.findings if f.rule == "ML002" and f.line == claim.line]


def test_a_claim_wrong_under_the_case_reading_too_is_not_refuted_but_says_so():
    claim, _ = _claim(_MODEL + "$$\\log\\frac{P(y=1|x)}{1-p(Y=1|x)} = 2 w x$$\n", "\\ln \\frac")
    assert claim.verdict == "unchecked" and "which the text does not define" in claim.reason
    assert any(n.startswith("reading `P(y=1|·)` and `p(Y=1|·)` as `P(Y=1|·)`: the sides differ") for n in claim.notes)
