"""ML002 names a function written in two cases (``P(y|x)`` beside ``p(y|x)``), unless the text sets
the two against each other in one relation (``F(x) = \\int_0^x f(y)\\,dy``): then they are two functions
on purpose, as an antiderivative and its function are."""

from __future__ import annotations

from mathlint.pipeline.engine import check_text


def case_findings(text: str) -> list:
    return [f for f in check_text(text).findings if f.rule == "ML002"]


def test_an_antiderivative_and_its_function_are_no_case_slip():
    text = ("Let $$F(x) = \\int_0^x f(y)\\,dy.$$\n\nThen $$\\int_a^b f(x)\\,dx = F(b) - F(a).$$\n")
    assert case_findings(text) == []


def test_a_case_slip_inside_one_side_is_named():
    text = "$$\\log\\frac{P(y=1|x)}{1-p(y=1|x)} = t$$\n"
    assert case_findings(text)
