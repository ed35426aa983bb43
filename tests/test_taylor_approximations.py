"""``\\approx`` beside a small increment means equal up to terms of higher order: the terms kept are
checked (to the highest power of the increment the text writes), with the text's functions or with
random smooth ones in place of undefined functions. Nothing is ever refuted: an approximation may
also be a modelling one."""

import pytest

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

OPTIONS = CheckOptions(timeout=60.0)  # verdicts, not speed
INTRO = "We write $\\approx$ for equality up to higher-order terms.\n\n"


def _approximation(equation: str, before: str = "") -> tuple[str, str]:
    claims = [c for c in check_text(f"{INTRO}{before}$${equation}$$\n", OPTIONS).claims if c.role == "approximation"]
    assert len(claims) == 1, [c.message for c in claims]
    return claims[0].verdict, claims[0].message


@pytest.mark.parametrize("equation", [
    r"f(x+\epsilon) \approx f(x) + \epsilon \frac{df}{dx}(x)",
    r"\epsilon \frac{df}{dx}(x) \approx f(x+\epsilon) - f(x)",
    r"\frac{df}{dx}(x) \approx \frac{f(x+\epsilon) - f(x)}{\epsilon}",
    r"f(x) \approx \frac{1}{2}\frac{d^2f}{dx^2}(x_0)(x-x_0)^{2}+ \frac{df}{dx}(x_0)(x-x_0) + f(x_0)",
    r"f(x+h) \approx f(x) + h f'(x) + \frac{h^2}{2} f''(x)",
])
def test_a_taylor_approximation_of_an_undefined_function_is_consistent(equation):
    verdict, message = _approximation(equation)
    assert verdict == "consistent", message
    assert "random smooth functions in place of f" in message and "higher order" in message


@pytest.mark.parametrize("equation", [
    r"f(x+\epsilon) \approx f(x) + 2\epsilon \frac{df}{dx}(x)",
    r"f(x+\epsilon) \approx f(x) - \epsilon \frac{df}{dx}(x)",
    r"f(x) \approx \frac{d^2f}{dx^2}(x_0)(x-x_0)^{2}+ \frac{df}{dx}(x_0)(x-x_0) + f(x_0)",
    r"f(x+h) \approx f(x) + h f'(x) + h^2 f''(x)",
    r"\frac{df}{dx}(x) \approx \frac{f(x+\epsilon) - f(x)}{2\epsilon}",
])
def test_a_wrong_term_is_found_at_its_order_and_never_refuted(equation):
    verdict, message = _approximation(equation)
    assert verdict == "unchecked", message
    assert "the sides differ at order" in message and "nothing is refuted" in message


def test_with_the_text_s_function_the_kept_terms_are_proved_symbolically():
    before = "Let $g(x, y) = \\log(e^x + e^y)$.\n\n"
    verdict, message = _approximation(r"g(\epsilon_1, \ln (2) + \epsilon_2) \approx \ln (3) + \frac{1}{3}\epsilon_1 "
                                      r"+ \frac{2}{3}\epsilon_2", before)
    assert verdict == "proved" and "to order 1 in \\epsilon_1, \\epsilon_2" in message, message
    verdict, message = _approximation(r"g(\epsilon_1, \ln (2) + \epsilon_2) \approx \ln (3) + \frac{2}{3}\epsilon_1 "
                                      r"+ \frac{1}{3}\epsilon_2", before)
    assert verdict == "unchecked", message


def test_an_approximation_without_an_increment_is_a_modelling_one():
    verdict, message = _approximation(r"c_j \approx c_0 + c_a j")
    assert verdict == "unchecked" and "modelling goal" in message, message
