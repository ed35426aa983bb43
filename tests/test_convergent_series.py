"""A series SymPy sums only under a condition (the geometric series for |γ| < 1) is proved under
that condition: needs-assumption naming it, proved when the text's domains give it."""

from __future__ import annotations

from mathlint.model import Verdict
from mathlint.pipeline.engine import check_text


def only(text: str):
    (claim,) = check_text(text).claims
    return claim


def test_the_geometric_series_needs_its_convergence_condition():
    claim = only("We use $$1 + \\gamma + \\gamma^2 + \\ldots = \\frac{1}{1-\\gamma}.$$\n")
    assert claim.verdict == Verdict.NEEDS_ASSUMPTION, claim.message
    assert "|gamma| < 1" in claim.message


def test_a_stated_range_gives_the_condition():
    text = "For $0 < \\beta < 1$, $$1 + \\beta + \\beta^2 + \\ldots = \\frac{1}{1-\\beta}.$$\n"
    claims = [c for c in check_text(text).claims if c.role == "equation"]
    assert [c.verdict for c in claims] == [Verdict.PROVED], [c.message for c in claims]


def test_a_wrong_sum_is_not_proved_under_any_condition():
    claim = only("We use $$1 + \\gamma + \\gamma^2 + \\ldots = \\frac{1}{1+\\gamma}.$$\n")
    assert claim.verdict not in (Verdict.PROVED, Verdict.NEEDS_ASSUMPTION, Verdict.CONSISTENT), claim.message


def test_the_domains_give_a_condition_only_for_every_value_of_each_name():
    """Names share no stand-in: ``|a - b| < 1/2`` holds where ``a = b``, not for every pair of probabilities."""
    import sympy as sp

    from mathlint.proof.generic import given_by

    a, b = sp.symbols("a b")
    both = {"a": "probability", "b": "probability"}
    assert given_by(sp.Abs(a) < 1, both)
    assert not given_by(sp.Abs(a - b) < sp.Rational(1, 2), both)
