"""Points where one side is real and the other is not are not silently dropped: a claim that holds
only on the rest (``(x^3)^{1/3} (y^3)^{1/3} = xy`` for x, y ≥ 0 only, as principal roots go) is not consistent."""

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _verdict(text: str) -> tuple[str, str]:
    claims = check_text(text, CheckOptions()).claims
    return claims[-1].verdict, claims[-1].message


def test_a_claim_that_holds_only_where_one_side_is_real_is_unchecked_with_the_reason():
    verdict, message = _verdict("$$\\left(x^{3}\\right)^{1/3} \\left(y^{3}\\right)^{1/3} = x y$$\n")
    assert verdict == "unchecked", message
    assert "one side is real and the other is not" in message, message


def test_a_claim_whose_sides_share_their_domain_is_still_checked():
    verdict, message = _verdict("$$\\sqrt{x} \\sqrt{x} = x$$\n")
    assert verdict in ("proved", "consistent"), message
