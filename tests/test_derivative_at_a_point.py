"""A derivative taken at a point (``f'(3)``, ``f''(0)``, ``f^{(2)}(1)``) is the derivative of f
evaluated there, not the derivative of the number ``f(3)`` (which would be 0): with f defined in the
text, the claim is checked against that definition."""

import pytest

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _verdicts(definition: str, *claims: str) -> list[str]:
    text = f"# t\n\nLet ${definition}$. Then\n\n" + "".join(f"$${c}$$\n\n" for c in claims)
    got = {c.line: c.verdict for c in check_text(text, CheckOptions()).claims}
    return [got[5 + 2 * i] for i in range(len(claims))]


@pytest.mark.parametrize("definition, claim", [
    ("g(t) = t^3", "g'(2) = 12"),
    ("g(t) = t^3", "g''(1) = 6"),
    ("g(t) = t^3", "g^{(3)}(5) = 6"),
    ("h(s) = e^{3s}", "h^{(2)}(0) = 9"),
    ("h(s) = e^{3s}", "h^{(1)}(1) = 3 e^{3}"),
    ("h(s) = e^{3s}", "h''(2) = 9 e^{6}"),
])
def test_a_true_derivative_at_a_point_is_proved(definition, claim):
    assert _verdicts(definition, claim) == ["proved"]


@pytest.mark.parametrize("definition, claim", [
    ("g(t) = t^3", "g'(2) = 13"),
    ("g(t) = t^3", "g''(1) = 3"),
    ("h(s) = e^{3s}", "h^{(2)}(0) = 3"),
])
def test_a_wrong_derivative_at_a_point_is_refuted(definition, claim):
    assert _verdicts(definition, claim) == ["refuted"]


def test_the_derivative_at_a_name_is_still_the_derivative_function():
    assert _verdicts("g(t) = t^3", "g'(y) = 3y^2", "g''(y) = 6y", "g'(2y) = 12 y^2") == ["proved"] * 3


def test_an_undefined_function_at_a_point_is_never_refuted():
    got = check_text("# t\n\n$$u'(0) = 1$$\n", CheckOptions()).claims
    assert [c.verdict for c in got if c.line == 3] == ["unchecked"]
