"""Claims about functions the text leaves undefined are proved symbolically (for every such
function) when the difference vanishes; they are never refuted on drawn values."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _verdicts(text: str) -> list[tuple[str, str]]:
    return [(c.verdict, c.message) for c in check_text(text, CheckOptions()).claims]


def test_a_product_rule_and_a_renamed_integral_are_proved_for_every_function():
    (rule, rule_msg), (renamed, _) = _verdicts(
        "$$\\frac{d}{dx} (f(x) g(x)) = f(x) \\frac{d}{dx} g(x) + g(x) \\frac{d}{dx} f(x)$$\n\n"
        "$$\\int_a^b f(x) dx = \\int_a^b f(z) dz$$\n")
    assert rule == "proved" and "for every function f, g" in rule_msg, rule_msg
    assert renamed == "proved"


def test_wrong_rules_on_undefined_functions_are_never_proved_nor_refuted():
    got = _verdicts("$$\\frac{d}{dx} (f(x) g(x)) = f(x) \\frac{d}{dx} g(x) - g(x) \\frac{d}{dx} f(x)$$\n\n"
                    "$$\\int_a^b f(x) dx = \\int_a^b f(z) dx$$\n\n"
                    "$$\\frac{dF}{dx} = 0$$\n")
    assert [v for v, _ in got] == ["unchecked"] * 3, got


def test_a_derivative_of_a_function_of_other_names_is_not_proved_zero():
    # ``x`` may depend on ``t``: SymPy's d/dt f(x) = 0 is no proof for every function
    got = _verdicts("$$\\frac{d}{dt} f(x) = 0$$\n\n$$\\frac{\\partial}{\\partial y} g(x) = 0$$\n")
    assert [v for v, _ in got] == ["unchecked"] * 2, got
