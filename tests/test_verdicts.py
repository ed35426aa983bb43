"""Verdicts as typed values: the enum written as its text, the worker's record through the
cache, the partial records of a budgeted check, and a claim's reason kept apart from its notes."""

from __future__ import annotations

import json
from enum import StrEnum

import pytest

from mathlint.cache import codec
from mathlint.cache.store import fingerprint
from mathlint.check.calls import Substituted, verdict_of_run
from mathlint.check.claim import apply_verdict
from mathlint.check.outcome import NO_PROOF
from mathlint.model import CheckResult, Claim, Verdict
from mathlint.options import CheckOptions
from mathlint.runtime.budget import Budgeted


def test_a_verdict_is_its_text():
    assert Verdict.NEEDS_ASSUMPTION == "needs-assumption" and f"{Verdict.REFUTED}" == "refuted"
    assert json.dumps({Verdict.PROVED: [Verdict.TIMEOUT]}) == '{"proved": ["timeout"]}'
    assert {"refuted": 1}[Verdict.REFUTED] == 1


def test_a_check_result_survives_the_cache_typed():
    r = CheckResult(Verdict.CONSISTENT, "numeric", "holds at 3 random points", (NO_PROOF,),
                    {"lhs": "1", "rhs": "2"}, ("x > 0",), (4, 7))
    back = codec.loads(codec.dumps(r)[0])
    assert back == r and type(back.verdict) is Verdict and fingerprint(back) == fingerprint(r)
    assert back.message == "holds at 3 random points; no symbolic proof found"


def test_a_claim_survives_the_cache_typed():
    c = Claim(3, "a = b", "eq", None, None, "step", verdict="refuted", reason="the sides differ", notes=["n"])
    back = codec.loads(codec.dumps(c)[0])
    assert back == c and back.verdict is Verdict.REFUTED and back.message == "the sides differ; n"


def test_reason_and_notes_make_the_message():
    c = Claim(1, "a = b", "eq", None, None, "step", extra={"why": "step 2"})
    apply_verdict(c, CheckResult(Verdict.CONSISTENT, "numeric", "holds", (NO_PROOF,)), {5, 2})
    assert c.reason == "step 2: holds"
    assert c.message == "step 2: holds; no symbolic proof found; uses the definitions at lines 2, 5"


def test_a_check_out_of_time_keeps_its_partial_verdict_and_lines():
    opts = CheckOptions(timeout=2)
    only_lines = verdict_of_run(Budgeted("timeout", partial=Substituted((1, 4))), opts)
    assert only_lines == CheckResult(Verdict.TIMEOUT, reason="no verdict within the 2 s budget", used=(1, 4),
                                     stopped=True)
    numeric = CheckResult(Verdict.CONSISTENT, "numeric", "holds at 9 random points", (NO_PROOF,), used=(3,))
    v = verdict_of_run(Budgeted("timeout", partial=numeric), opts)
    assert v.message == "holds at 9 random points; the proof attempt ran out of its 2 s budget" and v.used == (3,)
    assert v.stopped and not numeric.stopped  # a verdict the budget cut short depends on the machine
    refuted = CheckResult(Verdict.REFUTED, "numeric", "the sides differ")
    v = verdict_of_run(Budgeted("memory", refuted, Substituted(()), "stopped: out of memory"), opts)
    assert v.verdict is Verdict.TIMEOUT and v.message == "stopped: out of memory; before it stopped: the sides differ"


@pytest.mark.parametrize("fields", [
    {"verdict": "provedd"},  # not a verdict
    {"verdict": "proved", "reason": ["a list"]},
    {"verdict": "proved", "details": "abc"},  # a string, not a tuple of strings
    {"verdict": "proved", "used": {"tuple": ["1"]}},
])
def test_a_malformed_verdict_entry_is_undecodable(fields):
    """A signed entry whose record has fields of the wrong type is refused when read (a miss),
    not when a report reads it later."""
    full = {"verdict": "proved", "method": "", "reason": "", "details": {"tuple": []}, "counterexample": None,
            "assumptions": {"tuple": []}, "used": None, **fields}
    body = json.dumps({"dataclass": "CheckResult", "fields": full}).encode()
    with pytest.raises(codec.Undecodable):
        codec.loads(body)


def test_only_known_enums_are_encoded():
    class Colour(StrEnum):
        RED = "red"

    with pytest.raises(codec.Unencodable):
        codec.dumps({"a": Colour.RED})
    assert codec.loads(codec.dumps((Verdict.PROVED,))[0]) == ("proved",)
