"""A text that says repeated indices are summed (Einstein's convention) is read so: ``x_i y_i`` is a
sum, a claim that holds so is proved and one that fails refutes nothing; without that sentence the
index is read as written."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _verdict(prose: str) -> str:
    text = f"{prose}\n\n$$\\frac{{\\partial}}{{\\partial x_k}} (a_i x_i) = a_k$$\n"
    return check_text(text, CheckOptions()).claims[-1].verdict


def test_a_repeated_index_is_summed_where_the_text_says_so():
    assert _verdict("We use the Einstein summation convention: a repeated index is summed. Then") == "proved"


def test_without_the_convention_a_repeated_index_is_one_value():
    assert _verdict("For fixed indices $i$ and $k$ with $i \\neq k$ we have") == "refuted"


def _claim(prose: str, equation: str):
    return check_text(f"{prose}\n\n$${equation}$$\n", CheckOptions()).claims[-1]


EINSTEIN = "In Einstein notation, where a repeated index is summed, we have"


def test_with_the_convention_stated_repeated_indices_are_summed_and_the_claim_is_proved():
    claim = _claim(EINSTEIN, r"\frac{d}{dx_k}x_ia_{ij}x_j = a_{kj}x_j + x_ia_{ik}")
    assert claim.verdict == "proved" and "Einstein's convention" in claim.message, claim.message
    claim = _claim(EINSTEIN, r"a_{ki}x_i + x_ia_{ik} = (a_{ki} + a_{ik})x_i")
    assert claim.verdict == "proved", claim.message


def test_a_mutant_under_the_convention_refutes_nothing():
    claim = _claim(EINSTEIN, r"\frac{d}{dx_k}x_ia_{ij}x_j = 2a_{kj}x_j")
    assert claim.verdict == "unchecked" and "does not hold reading each index" in claim.message, claim.message


def test_the_cache_tells_a_claim_read_with_the_convention_from_the_same_claim_without(tmp_path):
    """The stated convention changes the verdict, so it is part of the verdict's cache key."""
    from mathlint.cache.store import Cache

    cache = Cache(tmp_path / "c")
    equation = r"\frac{d}{dx_k}x_ia_{ij}x_j = a_{kj}x_j + x_ia_{ik}"
    summed = check_text(f"{EINSTEIN}\n\n$${equation}$$\n", CheckOptions(cache=cache)).claims[-1]
    literal = check_text(f"For fixed indices we have\n\n$${equation}$$\n", CheckOptions(cache=cache)).claims[-1]
    assert summed.verdict == "proved" and literal.verdict == "unchecked", (summed.message, literal.message)
