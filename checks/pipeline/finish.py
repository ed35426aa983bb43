"""The last batch of a check: chain repairs, the derivation's code checks and the fix search,
run together on the workers. A statement with a chain to repair is one task: its repairs
first (each under a claim's budget), then the fix search for what is still refuted in it, so
that the search sees the repaired verdicts without waiting for a batch of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from ..cache.store import MISS
from ..check.calls import PairJob, call, pair_key, time_left, verdict_of_run, verdict_parts
from ..check.claim import apply_verdict, check_pair, setting_for, substitute
from ..check.relation import Setting, rng_for
from ..claims.build import Claim
from ..model import CheckResult, Verdict
from ..runtime import budget

if TYPE_CHECKING:
    from ..options import CheckOptions

REPAIRED = (Verdict.PROVED, Verdict.CONSISTENT, Verdict.NEEDS_ASSUMPTION)
_NOT_RUN = CheckResult(Verdict.TIMEOUT)  # a repair check that did not run: nothing is repaired


class ChainPair(NamedTuple):
    """Adjacent refuted steps of one chain (``a = b`` then ``b = c``): ``a = c`` is checked."""

    first: Claim
    second: Claim


class CodeResult(NamedTuple):
    """One result of a derivation's code check: the line in the snippet, verdict, message."""

    offset: int
    verdict: Verdict
    message: str


class Checked(NamedTuple):
    """A repair check run in a statement task: how it ended, and its verdict."""

    status: str
    verdict: CheckResult


class Found(NamedTuple):
    """A fix search run in a statement task: how it ended, and the suggestion (or None)."""

    status: str
    value: Any


@dataclass
class StatementOutcome:
    """What a statement task sends back (also as its partial report, without ``fixes``): per
    pair, its repair check (None: not needed); per searched claim (by index), its search."""

    chains: list[Checked | None] = field(default_factory=list)
    fixes: dict[int, Found] = field(default_factory=dict)


class Kind(Enum):
    STATEMENT = "statement"  # a statement's repairs, then its fix searches
    FIX = "fix"  # the fix search of a claim outside any repaired chain
    CODE = "code"  # a derivation's code check


@dataclass(frozen=True)
class StatementWork:
    """What a statement task is for: its pairs (indices into the chain pairs) and the claims it
    searches fixes for (indices into the fix claims)."""

    pairs: list[int]
    searched: list[int]


@dataclass(frozen=True)
class Task:
    """One call of the batch: what it is for, its budget, ``(function, *arguments)``."""

    kind: Kind
    what: Any  # StatementWork, the Claim searched, or the code check
    seconds: float
    call: tuple


@dataclass
class _Batch:
    """What the batch's results are applied with: the chain pairs, their jobs and cache keys,
    the document, and (filled in) each fix's cache key and the code checks' results."""

    blocks: list
    fix_claims: list[Claim]
    ctx: Any
    opts: CheckOptions
    pairs: list[ChainPair]
    jobs: list[PairJob]
    keys: list[tuple]
    fix_keys: dict[int, tuple] = field(default_factory=dict)  # id of a claim searched alone → its cache key
    code_results: list[list[CodeResult]] = field(default_factory=list)


def finish(blocks, claims: list[Claim], fix_claims: list[Claim], code: list, ctx,
           opts: CheckOptions) -> list[list[CodeResult]]:
    """Repair the chains of ``claims`` (document order) and, with ``opts.suggest``, search a fix
    for every refuted claim of ``fix_claims``; ``code`` lists (code check, its location).
    Returns each code check's results."""
    left = time_left(opts)
    pairs = _chain_pairs(claims) if left > 0 else []
    jobs = [_chain_job(p, ctx, opts) for p in pairs]
    batch = _Batch(blocks, fix_claims, ctx, opts, pairs, jobs, [verdict_parts(pair_key(j), opts) for j in jobs])
    pending = _uncached_statements(batch)
    searching = opts.suggest and left > 0
    fix_budget = min(max(opts.timeout, 60.0), left)
    setting = setting_for(ctx, opts)
    tasks = _statement_tasks(batch, pending, searching, setting, min(opts.timeout, left), fix_budget)
    tasks += _fix_tasks(batch, pending, searching, setting, fix_budget)
    # the searches with the most edits to try first, so that the longest does not start last
    tasks.sort(key=lambda t: -_edit_count(blocks, fix_claims, t))
    tasks += _code_tasks(code, opts)  # last: user code runs after every other task has started
    results = budget.run_many(call, [t.call for t in tasks], [t.seconds for t in tasks], opts.jobs,
                              memory_limit=opts.memory_limit)
    for task, res in zip(tasks, results):
        _DONE[task.kind](batch, task.what, res)
    return batch.code_results


def _uncached_statements(batch: _Batch) -> dict[tuple, list[int]]:
    """Statement → its pairs, for the statements with a repair check not in the cache; the
    others are repaired here from the cache."""
    cache = batch.opts.cache
    pending: dict[tuple, list[int]] = {}
    for k, (first, _) in enumerate(batch.pairs):
        pending.setdefault(first.origin[:2], []).append(k)
    for stmt, ks in list(pending.items()):
        known = [MISS if cache is None else cache.get("verdict", batch.keys[k]) for k in ks]
        if not any(v is MISS for v in known):
            _repair([batch.pairs[k] for k in ks], known)
            del pending[stmt]
    return pending


def _statement_tasks(batch: _Batch, pending: dict[tuple, list[int]], searching: bool, setting: Setting,
                     claim_budget: float, fix_budget: float) -> list[Task]:
    """One task per statement with repairs to run: the repairs, then its refuted claims' fixes."""
    tasks = []
    for stmt, ks in pending.items():
        searched = [i for i, c in enumerate(batch.fix_claims) if searching and c.origin and c.origin[:2] == stmt
                    and c.verdict == Verdict.REFUTED]
        tasks.append(Task(Kind.STATEMENT, StatementWork(ks, searched), len(ks) * claim_budget
                          + len(searched) * fix_budget,
                          (_statement, [batch.pairs[k] for k in ks], [batch.jobs[k] for k in ks], searched,
                           batch.blocks, batch.fix_claims, batch.ctx, setting, claim_budget, fix_budget, batch.opts)))
    return tasks


def _fix_tasks(batch: _Batch, pending: dict[tuple, list[int]], searching: bool, setting: Setting,
               fix_budget: float) -> list[Task]:
    """A fix search for each refuted claim outside the statements with repairs, unless cached."""
    cache, tasks = batch.opts.cache, []
    for c in batch.fix_claims if searching else []:
        if c.verdict != Verdict.REFUTED or c.origin is None or c.origin[:2] in pending:
            continue
        if cache is not None:
            batch.fix_keys[id(c)] = fix_key(c, batch.blocks, batch.fix_claims, batch.ctx, batch.opts)
        c.suggestion = MISS if cache is None else cache.get("fix", batch.fix_keys[id(c)])
        if c.suggestion is MISS:
            tasks.append(Task(Kind.FIX, c, fix_budget,
                              (_suggest_one, c, batch.blocks, batch.fix_claims, batch.ctx, setting)))
    return tasks


def _code_tasks(code: list, opts: CheckOptions) -> list[Task]:
    return [Task(Kind.CODE, cc, opts.timeout, (_run_code, cc.run, loc.code.content, cc.node, opts.seed, opts.timeout))
            for cc, loc in code]


def _edit_count(blocks, fix_claims: list[Claim], task: Task) -> int:
    """How many edits a task's fix searches may try: their cost, roughly (a repair is cheap)."""
    from ..fixes.localize import edit_count

    claims = [fix_claims[i] for i in task.what.searched] if task.kind is Kind.STATEMENT else [task.what]
    return sum(edit_count(blocks[c.origin[0]].span.latex) for c in claims)


def _fix_done(batch: _Batch, claim: Claim, res: budget.Budgeted) -> None:
    claim.suggestion = res.result if res.status == "ok" else None
    if batch.opts.cache is not None and res.status == "ok":
        batch.opts.cache.put("fix", batch.fix_keys[id(claim)], res.result)


def _code_done(batch: _Batch, cc, res: budget.Budgeted) -> None:
    batch.code_results.append([CodeResult(o, Verdict(v), m) for o, v, m in res.result] if res.status == "ok" else [
        CodeResult(1, Verdict.TIMEOUT if res.status in ("timeout", "memory") else Verdict.UNCHECKED,
                   res.error or "no verdict in time")])


def _statement_done(batch: _Batch, what: StatementWork, res: budget.Budgeted) -> None:
    """A statement task's repairs applied here as in the worker; its fixes, or None if it ran out."""
    opts, ks = batch.opts, what.pairs
    got = res.result if res.status == "ok" else (res.partial or StatementOutcome())
    checked = got.chains or [None] * len(ks)
    _repair([batch.pairs[k] for k in ks], [c.verdict if c else _NOT_RUN for c in checked])
    for k, c in zip(ks, checked):
        if c and c.status == "ok" and opts.cache is not None:
            opts.cache.put("verdict", batch.keys[k], c.verdict)
    for i in what.searched:
        c = batch.fix_claims[i]
        if c.verdict != Verdict.REFUTED:
            continue
        status, value = got.fixes.get(i, Found("timeout", None))
        c.suggestion = value if status == "ok" else None
        if status == "ok" and opts.cache is not None:
            opts.cache.put("fix", fix_key(c, batch.blocks, batch.fix_claims, batch.ctx, opts), value)


#: task kind → how its result is applied
_DONE: dict[Kind, Callable[[_Batch, Any, budget.Budgeted], None]] = {
    Kind.STATEMENT: _statement_done,
    Kind.FIX: _fix_done,
    Kind.CODE: _code_done,
}


def _chain_pairs(claims: list[Claim]) -> list[ChainPair]:
    """Adjacent steps of a chain a = b = c that are both refuted: if a = c holds, b is wrong."""
    return [ChainPair(first, second) for first, second in zip(claims, claims[1:])
            if first.chain and second.chain and first.chain[0] == second.chain[0]
            and second.chain[1] == first.chain[1] + 1 and first.verdict == second.verdict == Verdict.REFUTED]


def _chain_job(pair: ChainPair, ctx, opts) -> PairJob:
    first, second = pair
    return PairJob(substitute(first.lhs, first.definitions), substitute(second.rhs, second.definitions),
                   second.relation, second.conditions, ctx, opts, f"{second.line}:{second.latex}:skip")


def _repair(pairs: list[ChainPair], verdicts: list[CheckResult]) -> None:
    """In order: a step whose first side was itself repaired by the check before is left alone."""
    for (first, second), v in zip(pairs, verdicts):
        if first.verdict == Verdict.REFUTED and v.verdict in REPAIRED:
            apply_verdict(second, v)
            second.reason, second.notes = "the side before it is wrong (refuted above)", \
                [f"checked against the side before that: {second.reason}", *second.notes]


def _statement(report, pairs: list[ChainPair], jobs: list[PairJob], searched: list[int], blocks,
               claims: list[Claim], ctx, setting: Setting, claim_budget: float, fix_budget: float,
               opts) -> StatementOutcome:
    """In a worker: a statement's repairs in order (each checked only if still needed), then the
    fix search for each of its claims still refuted. The repairs are reported before the search."""
    checked: list[Checked | None] = []
    for (first, second), job in zip(pairs, jobs):
        if first.verdict != Verdict.REFUTED:
            checked.append(None)
            continue
        res = budget.run_here(check_pair, job, claim_budget)
        checked.append(Checked(res.status, verdict_of_run(res, opts)))
        _repair([ChainPair(first, second)], [checked[-1].verdict])
    report(StatementOutcome(checked))
    fixes = {}
    for i in searched:
        if claims[i].verdict == Verdict.REFUTED:
            res = budget.run_here(_suggest_one, (claims[i], blocks, claims, ctx, setting), fix_budget)
            fixes[i] = Found(res.status, res.result)
    return StatementOutcome(checked, fixes)


def _suggest_one(report, claim: Claim, blocks, claims: list[Claim], ctx, setting: Setting):
    from ..fixes.localize import suggest

    return suggest(claim, blocks, claims, ctx, setting, substitute)


def _run_code(report, run, source: str, node: str, seed: int, seconds: float):
    """A code check; a snippet refused on its syntax tree, or stopped by a limit, is that
    check's verdict (``unchecked`` / ``timeout``) with the reason and the line it concerns."""
    from ..check.snippet import NotRun, snippet_budget

    try:
        with snippet_budget(seconds):
            return run(source, rng_for(seed, node))
    except NotRun as exc:
        return [(exc.line, exc.verdict, exc.message)]


def fix_key(c: Claim, blocks, claims: list[Claim], ctx, opts) -> tuple:
    """What a fix search for ``c`` depends on: its span, its chain's claims and verdicts,
    the definitions in force, the context and the options."""
    b, s, _ = c.origin
    siblings = [(x.origin, x.relation, x.conditions, x.verdict, x.role) for x in claims
                if x.origin and x.origin[:2] == (b, s)]
    defs = [(g.reference.target, g.reference.body) for g in c.definitions]
    group = (c.group.first.body, c.group.reference.body) if c.group is not None else None
    return (blocks[b].span, c.origin, c.role, c.relation, c.conditions, defs, group, siblings, ctx,
            opts.fingerprint())
