"""Checks as budgeted calls: a job's arguments and cache key, the calls run in workers (from the
cache when decided before), and the verdict of a run that ran out of time or memory."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

import sympy as sp

from ..cache.store import MISS
from ..claims.assume import Context
from ..model import CheckResult, Verdict
from ..rule_codes import INTERNAL_ERROR
from ..runtime import budget
from .outcome import NO_PROOF

if TYPE_CHECKING:
    from ..options import CheckOptions


class PairJob(NamedTuple):
    """``check_pair``'s arguments after ``report``, by name (a tuple, so ``check_pair(report, *job)``)."""

    lhs: sp.Basic
    rhs: sp.Basic
    relation: str
    conditions: list
    ctx: Context
    opts: CheckOptions
    key: str  # the text that seeds the check's random points


@dataclass(frozen=True)
class Call:
    """One budgeted check: ``function(report, *arguments)``, and what its verdict depends on but
    the options (its cache key)."""

    function: Callable[..., Any]
    arguments: tuple
    key: tuple

    @property
    def packed(self) -> tuple:
        """``(function, *arguments)``, as :func:`call` takes them in a worker."""
        return (self.function, *self.arguments)


def run_calls(calls: list[Call], opts: CheckOptions) -> list[CheckResult]:
    """Verdicts of ``(function, *arguments)`` calls (``check_pair``, ``check_claim``): from the
    cache under their keys, or in budgeted workers (stored if decided)."""
    cache = opts.cache
    parts = [verdict_parts(c.key, opts) for c in calls]
    verdicts = [MISS if cache is None else cache.get("verdict", p) for p in parts]
    todo = [k for k, v in enumerate(verdicts) if v is MISS]
    # with a file budget, the time left is checked between batches; without one, all at once
    batch = max(1, opts.jobs) * 4 if opts.deadline is not None else max(1, len(todo))
    for start in range(0, len(todo), batch):
        chunk = todo[start:start + batch]
        left = time_left(opts)
        if left <= 0:
            for k in todo[start:]:
                verdicts[k] = CheckResult(Verdict.TIMEOUT, stopped=True,
                                          reason=f"not checked: the file's {opts.file_budget:g} s budget ran out")
            break
        for k, res in zip(chunk, budget.run_many(call, [calls[k].packed for k in chunk], min(opts.timeout, left),
                                                 opts.jobs, memory_limit=opts.memory_limit)):
            verdicts[k] = verdict_of_run(res, opts)
            if res.status == "timeout" and left < opts.timeout and verdicts[k].verdict == Verdict.TIMEOUT:
                verdicts[k] = replace(verdicts[k], details=(),
                                      reason=f"not finished when the file's {opts.file_budget:g} s budget ran out")
            if cache is not None and res.status == "ok":
                cache.put("verdict", parts[k], verdicts[k])
    return verdicts


def pair_key(job: PairJob) -> tuple:
    """What a ``check_pair`` job's verdict depends on, but the options: sides, relation,
    conditions, context and its key text."""
    return (job.lhs, job.rhs, job.relation, job.conditions, job.ctx), job.key


def verdict_parts(key: tuple, opts: CheckOptions) -> tuple:
    """A verdict's cache entry: what it depends on, and the options that change it."""
    return key, opts.fingerprint()


def call(report, fn, *args):
    """``fn(report, *args)``: one worker function for calls of several kinds."""
    return fn(report, *args)


def time_left(opts: CheckOptions) -> float:
    """Seconds left of the file's budget (infinite without one)."""
    return math.inf if opts.deadline is None else opts.deadline - time.monotonic()


def verdict_of_run(res: budget.Budgeted, opts: CheckOptions) -> CheckResult:
    """The verdict of a budgeted check; from a partial one when it ran out of time or memory (a
    partial report may be only the definition lines the claim uses, a :class:`Substituted`)."""
    if res.status == "ok":
        return res.result
    used = res.partial.used if res.partial is not None else None
    if res.status in ("timeout", "memory"):  # the memory limit is a budget like the time limit
        stopped = f"ran out of its {opts.timeout:g} s budget" if res.status == "timeout" else res.error
        done = res.result if isinstance(res.result, CheckResult) else None
        if done is not None and done.verdict == Verdict.PROVED:
            return replace(done, stopped=True)  # a failed allocation can lose a proof, never make one
        if done is not None and done.verdict in (Verdict.REFUTED, Verdict.NEEDS_ASSUMPTION):  # found past a
            return CheckResult(Verdict.TIMEOUT, reason=res.error,  # failed allocation: not sure enough
                               details=(f"before it stopped: {done.message}",), used=used, stopped=True)
        partial = done or res.partial
        if isinstance(partial, CheckResult):
            return replace(partial, details=(*(d for d in partial.details if d != NO_PROOF),
                                             f"the proof attempt {stopped}"), stopped=True)
        return CheckResult(Verdict.TIMEOUT, reason=f"no verdict within the {opts.timeout:g} s budget"
                           if res.status == "timeout" else res.error, used=used, stopped=True)
    return CheckResult(Verdict.UNCHECKED, method=INTERNAL_ERROR, reason=f"checker error: {res.error}", used=used,
                       stopped=True)  # ML104: a bug of mathlint's, named with its exception type


@dataclass(frozen=True)
class Substituted:
    """A check's first partial report, before any verdict: the definition lines it uses."""
    used: tuple[int, ...]
