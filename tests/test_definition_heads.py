r"""Definitions whose head is a call at a shifted argument (``f(x+\epsilon) = g(x+\epsilon) + h(x+\epsilon)``):
they define f at every point, supersede an earlier f from their line on, and the claims after them are
checked with that f; a right side that depends on x otherwise than through the shift defines nothing."""

import pytest

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

FUNCTIONS = "For functions $g(x)$ and $h(x)$:\n\n"


def _claims(text: str) -> dict[int, list]:
    result = check_text(f"# T\n\n{text}\n", CheckOptions())
    out: dict[int, list] = {}
    for c in result.claims:
        out.setdefault(c.line, []).append(c)
    return out


def _last(text: str):
    claims = _claims(text)
    return claims[max(claims)][-1]


def _rule(body: str, derivative: str) -> str:
    return f"{FUNCTIONS}$$f(x+\\epsilon) = {body}$$\n\n$$\\frac{{df}}{{dx}}(x) = {derivative}$$"


SUM, PRODUCT = r"g(x+\epsilon) + h(x+\epsilon)", r"g(x+\epsilon)\cdot h(x+\epsilon)"
DG, DH = r"\frac{dg}{dx}(x)", r"\frac{dh}{dx}(x)"


@pytest.mark.parametrize("body, derivative", [
    (SUM, f"{DG} + {DH}"),
    (PRODUCT, f"g(x){DH} + {DG}h(x)"),
])
def test_rules_after_a_shifted_head_hold_for_every_function(body, derivative):
    claim = _last(_rule(body, derivative))
    assert claim.verdict == "proved", claim.message
    assert "for every function g, h" in claim.message


@pytest.mark.parametrize("body, derivative", [
    (SUM, f"{DG} - {DH}"),  # sign
    (r"g(x+\epsilon) - h(x+\epsilon)", f"{DG} + {DH}"),  # sign in the definition
    (PRODUCT, f"g(x){DH} + 2{DG}h(x)"),  # factor
    (PRODUCT, f"g(x){DG} + {DH}h(x)"),  # swapped derivatives
])
def test_mutated_rules_are_not_confirmed(body, derivative):
    assert _last(_rule(body, derivative)).verdict not in ("proved", "consistent")


def test_the_definition_names_what_it_defines():
    claim = _claims(_rule(SUM, f"{DG} + {DH}"))[5][0]
    assert claim.role == "definition"
    assert "g(x) + h(x)" in claim.message and "x+\\epsilon" in claim.message


@pytest.mark.parametrize("head, value, expected", [
    (r"e^{x+\epsilon}", "e^{x}", "proved"),
    (r"e^{x+\epsilon}", "2e^{x}", "refuted"),
])
def test_a_concrete_body_is_checked(head, value, expected):
    assert _last(f"Let $f(x+\\epsilon) = {head}$. Then $\\frac{{df}}{{dx}}(x) = {value}$.").verdict == expected


@pytest.mark.parametrize("value, expected", [("10", "proved"), ("11", "refuted")])
def test_a_shift_by_a_number(value, expected):
    assert _last(f"Let $f(x-1) = (x-1)^3 + 2$. Then $f(2) = {value}$.").verdict == expected


def test_a_later_definition_does_not_reach_back():
    text = "Let $f(x) = x^2$.\n\n$$f(2) = 4$$\n\nNow let $f(x+1) = (x+1)^3$.\n\n$$f(2) = 8$$"
    claims = _claims(text)
    assert claims[5][0].verdict == "proved" and "line 3" in claims[5][0].message
    assert claims[9][0].verdict == "proved" and "line 7" in claims[9][0].message


def test_a_chain_uses_its_own_first_link():
    text = (f"{FUNCTIONS}$$\n\\begin{{aligned}}\nf(x+\\epsilon) & = {SUM} \\\\\n"
            f"& = g(x) + h(x) + \\epsilon({DG} + {DH}) \\\\\n& = f(x) + \\epsilon({DG} + {DH})\n"
            "\\end{aligned}\n$$")
    last = _last(text)
    assert last.verdict == "proved" and "line 6" in last.message


@pytest.mark.parametrize("text", [
    f"{FUNCTIONS}$$f(x+\\epsilon) = g(x+\\epsilon) + h(x)$$",  # x also outside the shift
    r"Let $f(x^2+1) = \sin(x^2+1)$.",  # not every value: no shift
    r"Let $f(x+\epsilon) = g(2x+\epsilon)$ for a function $g(x)$.",  # another argument
    r"We have $f(x+1) = a(x+1)$.",  # a product, a is no function of the text
    r"Let $P(x+1) = (x+1)^2$.",  # an operator's name
])
def test_heads_that_define_nothing(text):
    claims = _claims(text)
    claim = claims[max(claims)][0]
    assert claim.role == "definition" and "a head mathlint does not read as a name" in claim.message


def test_a_defined_function_at_a_sum_is_a_call():
    assert _last(r"Let $f(x) = x^2$, so $f(a+b) = a^2 + 2ab + b^2$.").verdict == "proved"
    assert _last(r"Let $f(x) = x^2$, so $f(a+b) = a^2 + ab + b^2$.").verdict == "refuted"


@pytest.mark.parametrize("text", [
    r"Let $\sigma(x) = \frac{1}{1+e^{-x}}$. Then $\sigma(a+b) = \frac{1}{1+e^{a+b}}$.",
    "Let $f(x) = x^2$.\n\nNow $f(x+h) = \\cos(x+h)$.",
])
def test_a_concrete_shifted_head_leaves_the_function_in_force_as_it_is(text):
    """A claim about the σ in force, or a new σ? Neither is read: the earlier σ stays in force."""
    claims = _claims(text)
    claim = claims[max(claims)][-1]
    assert claim.role == "definition" and "a head mathlint does not read as a name" in claim.message


def test_the_function_in_force_is_still_used_after_a_concrete_shifted_head():
    text = "Let $f(x) = x^2$.\n\nNow $f(x+h) = \\cos(x+h)$.\n\n$$f(3) = 9$$"
    claim = _last(text)
    assert claim.verdict == "proved" and "line 3" in claim.message


def test_a_greek_function_at_a_sum_is_a_call():
    text = r"Let $\sigma(x) = \frac{1}{1+e^{-x}}$. Then $\sigma(a+b) = \frac{1}{1+e^{-a-b}}$."
    assert _last(text).verdict == "proved"


@pytest.mark.parametrize("text", [
    r"Let $f(y+2) = \sum_{y=1}^{3} (y+2)$. Then $f(5) = 12$.",  # the bracket is the sum's y, no argument
    r"Let $f(y+2) = \sum_{y=1}^{3} (y+2)$. Then $f(5) = 7$.",
    r"Let $f(y+2) = \int_0^1 (y+2)\, dy$. Then $f(5) = 5$.",
    r"Let $f(y+2) = \int_0^{y+2} 3y\, dy$. Then $f(5) = 6$.",
])
def test_a_shifted_head_whose_right_side_binds_its_name_defines_nothing(text):
    claim = _last(text)
    assert claim.verdict == "unchecked", claim.message


@pytest.mark.parametrize("denial", ["it is not true that", "it would be wrong to write", "one might guess"])
def test_a_shifted_head_in_a_sentence_that_denies_it_defines_nothing(denial):
    ending = "" if denial != "one might guess" else ", which is false"
    text = (f"{FUNCTIONS}Note {denial} $f(x+\\epsilon) = g(x+\\epsilon) h(x+\\epsilon)${ending}.\n\n"
            "Then $$f(x) = g(x) h(x).$$")
    assert _last(text).verdict != "proved"
