"""A recursive definition (``a_t = 2 a_{t-1}``, ``h_t = f(x_t, h_{t-1})``) is unrolled on both sides of
a claim together, the occurrences with the highest index first, until all have one index; and a
claim checked through one is never refuted: the occurrences left are tied by the recursion,
not independent unknowns."""

from __future__ import annotations

import sympy as sp

from mathlint.check.recursion import unroll
from mathlint.claims.build import Definition
from mathlint.model import Verdict
from mathlint.pipeline.engine import check_text

DOUBLING = "The sequence doubles:\n\n$$a_t = 2 a_{t-1}.$$\n\n"
a, h, x = sp.IndexedBase("a"), sp.IndexedBase("h"), sp.IndexedBase("x")
t, c = sp.symbols("t c")


def claim_at(text: str, line: int):
    (claim,) = [cl for cl in check_text(text).claims if cl.line == line]
    return claim


def test_a_consequence_of_a_recursion_is_proved_by_unrolling_to_one_index():
    claim = claim_at(DOUBLING + "So $$a_3 = 4 a_1.$$\n", 5)
    assert claim.verdict == Verdict.PROVED


def test_a_wrong_consequence_is_not_refuted():
    claim = claim_at(DOUBLING + "So $$a_3 = 6 a_1.$$\n", 5)
    assert claim.verdict == Verdict.UNCHECKED
    assert "recursive definition at line 3" in claim.message


def test_a_step_of_a_recurrence_is_proved():
    text = "The state is\n\n$$h_t = c h_{t-1} + x_t.$$\n\nSo $$h_{t} - x_t = c h_{t-1}.$$\n"
    assert claim_at(text, 5).verdict == Verdict.PROVED


def test_unrolling_stops_when_every_occurrence_has_one_index():
    d = Definition(h[t], c * h[t - 1] + x[t], 1, "")
    lhs, rhs = unroll(h[t] - x[t], c * h[t - 1], [d], used := set())
    assert sp.expand(lhs.doit() - rhs.doit()) == 0
    assert used == {1}


def test_occurrences_at_unrelated_indices_are_left_alone():
    s = sp.Symbol("s")
    d = Definition(a[t], 2 * a[t - 1], 1, "")
    assert unroll(a[t], a[s], [d], set()) == (a[t], a[s])


def test_a_derivative_through_an_earlier_term_is_not_proved():
    """``∂h_t/∂w = h_{t-1}`` forgets ``w ∂h_{t-1}/∂w``: with ``h_{t-1}`` read as a constant it would be "proved"."""
    text = ("The hidden state is\n\n$$h_t = w h_{t-1} + x_t.$$\n\n"
            "Its gradient is $$\\frac{\\partial h_t}{\\partial w} = h_{t-1}.$$\n")
    claim = claim_at(text, 5)
    assert claim.verdict == Verdict.UNCHECKED
    assert "term of the recursion defined at line 3" in claim.message


def test_a_restated_unrolling_is_proved_at_the_indices_where_it_is_defined():
    """``h_{t-2}`` exists only from ``t = 2`` on: the instance ``t = 1`` is skipped, not a shape error."""
    text = "The state is\n\n$$h_t = c h_{t-1} + x_t.$$\n\nUnrolled, $$h_t = c (c h_{t-2} + x_{t-1}) + x_t.$$\n"
    claim = claim_at(text, 5)
    assert claim.verdict == Verdict.PROVED, claim.message


def test_a_wrong_difference_is_refuted_where_its_indices_exist():
    text = "A difference:\n\n$$d_t = x_t - x_{t-2}.$$\n\nSo $$d_t + x_{t-2} = x_t + 1.$$\n"
    claim = claim_at(text, 5)
    assert claim.verdict == Verdict.REFUTED, claim.message
    assert claim.counterexample["instance"]["t"] >= 2


def test_an_update_rule_defines_its_sequence_and_is_no_claim():
    """``w_{t+1} = w_t - \\eta g_t`` was refuted as an identity between independent ``w_2`` and ``w_1``."""
    text = ("The update $w_{t+1} = w_t - \\eta g_t$ gives, two steps on,\n\n"
            "$$w_{t+2} = w_t - \\eta g_t - \\eta g_{t+1}.$$\n\nA slip: $$w_{t+2} = w_t - 2\\eta g_t.$$\n")
    update, two_steps, slip = check_text(text).claims
    assert update.role == "definition" and update.verdict == Verdict.UNCHECKED
    assert two_steps.verdict == Verdict.PROVED, two_steps.message
    assert slip.verdict == Verdict.UNCHECKED  # never refuted through the recursion
