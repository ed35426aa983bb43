"""A name the text defines in a form mathlint does not read (an indexed family ``\\phi_i(x) = i x``)
is no unknown a claim can be refuted through: the failure at random values of it is a guess."""

from mathlint.model import Verdict
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claim(text: str, line: int):
    return next(c for c in check_text("# t\n\n" + text + "\n", CheckOptions()).claims
                if c.line == line and c.role != "definition")


def test_a_claim_through_an_unread_family_is_not_refuted():
    for total in (6, 7):  # true, then false: neither is decided on random values of the family
        c = _claim(f"Define $\\phi_i(x) = i x$. Then\n$$\\sum_{{i=1}}^{{3}} \\phi_i(1) = {total}.$$", 4)
        assert c.verdict == Verdict.UNCHECKED, c.message
        assert "defines at line 3" in c.message


def test_a_refutation_that_does_not_use_the_unread_name_stands():
    c = _claim("Define $\\phi_i(x) = i x$. Then\n$$2 + 2 = 5.$$", 4)
    assert c.verdict == Verdict.REFUTED
