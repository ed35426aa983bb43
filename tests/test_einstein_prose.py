"""A text that says repeated indices are summed (Einstein's convention) is not refuted for writing
``x_i y_i`` for a sum; without that sentence the index is read as written."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _verdict(prose: str) -> str:
    text = f"{prose}\n\n$$\\frac{{\\partial}}{{\\partial x_k}} (a_i x_i) = a_k$$\n"
    return check_text(text, CheckOptions()).claims[-1].verdict


def test_a_repeated_index_is_not_refuted_where_the_text_sums_over_it():
    assert _verdict("We use the Einstein summation convention: a repeated index is summed. Then") == "unchecked"


def test_without_the_convention_a_repeated_index_is_one_value():
    assert _verdict("For fixed indices $i$ and $k$ with $i \\neq k$ we have") == "refuted"
