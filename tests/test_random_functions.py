"""Claims about functions the text never defines are checked with random smooth functions in
their place: consistent when they hold for every draw, never refuted (a failure is about the
text's own function) and never proved (a sample of functions is no proof)."""

import pytest

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

HOLDS = ("proved", "consistent")
CHAIN = r"\frac{d}{dx} g(h(x)) = g'(h(x))\, h'(x)"
LIMIT = r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}"


#: these tests are about verdicts, not speed (benchmarks/ time it): a loaded CI machine must not turn one into a timeout
OPTIONS = CheckOptions(timeout=60.0)


def _verdict(equation: str, before: str = "") -> tuple[str, str]:
    claims = [c for c in check_text(f"{before}$${equation}$$\n", OPTIONS).claims
              if c.role in ("equation", "step")]
    assert claims, equation
    return claims[-1].verdict, claims[-1].message


@pytest.mark.parametrize("equation", [CHAIN, LIMIT,
                                      r"f''(x) = \lim_{t \to 0} \frac{f(x+t) + f(x-t) - 2f(x)}{t^2}",
                                      r"\frac{d}{dx}\int_0^x f(y)\,dy = f(x)",
                                      r"\int_x^{x+t} f(u(y)) u'(y)\,dy = \int_{u(x)}^{u(x+t)} f(y)\,dy"])
def test_a_rule_about_undefined_functions_holds_with_random_ones(equation):
    verdict, message = _verdict(equation)
    assert verdict == "consistent", message
    assert "random smooth functions in place of" in message and "does not define" in message


def test_the_reason_names_the_functions_and_the_reading_of_a_bracket():
    _, message = _verdict(CHAIN)
    assert "in place of g, h (the text does not define them" in message, message
    assert "reading `g(…)` as a call of g" in message, message


@pytest.mark.parametrize("equation", [
    r"\frac{d}{dx}\left(g(x) + h(x)\right) = \frac{dg}{dx}(x) + \frac{dh}{dx}(x)",
    r"\frac{d}{dx}\left(g(x)\cdot h(x)\right) = g(x)\frac{dh}{dx}(x) + \frac{dg}{dx}(x)h(x)"])
def test_the_sum_and_product_rules_hold(equation):
    verdict, message = _verdict(equation)
    assert verdict in HOLDS, message


@pytest.mark.parametrize("equation", [
    r"\frac{d}{dx}\left(g(x) + h(x)\right) = \frac{dg}{dx}(x) - \frac{dh}{dx}(x)",
    r"\frac{d}{dx}\left(g(x) + h(x)\right) = 2\frac{dg}{dx}(x) + \frac{dh}{dx}(x)",
    r"\frac{d}{dx}\left(g(x)\cdot h(x)\right) = g(x)\frac{dh}{dx}(x) - \frac{dg}{dx}(x)h(x)",
    r"\frac{d}{dx}\left(g(x)\cdot h(x)\right) = 2g(x)\frac{dh}{dx}(x) + \frac{dg}{dx}(x)h(x)",
    r"\frac{d}{dx} g(h(x)) = -g'(h(x))\, h'(x)",
    r"\frac{d}{dx} g(h(x)) = 2g'(h(x))\, h'(x)",
    r"f'(x) = \lim_{h \to 0} \frac{f(x+h) + f(x)}{h}",
    r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{2h}",
    r"\frac{d}{dx}\int_0^x f(y)\,dy = 2f(x)",
])
def test_a_mutated_rule_is_neither_refuted_nor_consistent(equation):
    verdict, message = _verdict(equation)
    assert verdict == "unchecked", message


def test_a_claim_about_the_texts_own_function_stays_unchecked():
    verdict, message = _verdict("h(0) = 0")
    assert verdict == "unchecked", message
    assert "does not define" in message and "fails with random functions in place of h" in message


def test_a_function_the_text_defines_is_used_not_drawn():
    text = "Let $$g(x) = x^2.$$\n\n"
    limit = r"g(x) \lim_{t \to 0} \frac{h(x+t) - h(x)}{t} = "
    verdict, message = _verdict(limit + r"x^2 h'(x)", text)  # a random g would fail
    assert verdict == "consistent" and "in place of h (" in message, message
    verdict, message = _verdict(limit + r"x^3 h'(x)", text)
    assert verdict == "unchecked", message


@pytest.mark.parametrize("equation", [r"E[f(x)] = f(E[x])", r"p(x) = p(y)", r"\frac{d}{dt} f(x) = 0",
                                      r"|f'(x)| \le 100"])
def test_operators_distributions_derivatives_by_other_names_and_bounds_are_not_drawn(equation):
    verdict, message = _verdict(equation)
    assert verdict == "unchecked", message
    assert "random" not in message, message
