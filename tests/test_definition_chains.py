"""A chain that defines a name as a call of an undefined function and then says what the call is
(``u = f(x) = 3x^2 - 4x``) defines the function too: later claims about f are checked with it."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claims(text: str) -> list:
    return check_text(text, CheckOptions()).claims


def test_the_second_link_of_a_definition_chain_defines_the_function():
    claims = _claims("Define $u = f(x) = 3x^2-4x$.\n\nWe see that $f'(1) = 2$.\n\nAlso $f'(2) = 9$.\n")
    assert [(c.role, c.verdict) for c in claims] == [
        ("definition", "unchecked"), ("definition", "unchecked"), ("equation", "proved"), ("equation", "refuted")
    ], [c.message for c in claims]


def test_a_function_the_text_already_defines_is_not_defined_again_by_a_chain():
    claims = _claims("Let $f(x) = x^2$.\n\nThen $u = f(x) = x \\cdot x$.\n\nSo $f'(3) = 6$.\n")
    assert [(c.role, c.verdict) for c in claims][-2:] == [("step", "proved"), ("equation", "proved")], \
        [c.message for c in claims]
