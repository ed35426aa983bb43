"""A linear combination of names set to a number (``a + b = 1``) constrains them: it can be no
identity in them, so its failure at random values is no error of the text."""

from __future__ import annotations

from mathlint.model import Verdict
from mathlint.pipeline.engine import check_text


def test_a_constraint_in_a_display_is_not_refuted():
    (claim,) = check_text("The weights are tied:\n\n$$a + 2b = 1$$\n").claims
    assert claim.verdict == Verdict.UNCHECKED
    assert "an equation to solve" in claim.message


def test_a_wrong_identity_with_a_constant_side_is_still_refuted():
    (claim,) = check_text("Expanding, $$(a + b)^2 - a^2 - b^2 = 1$$\n").claims
    assert claim.verdict == Verdict.REFUTED
