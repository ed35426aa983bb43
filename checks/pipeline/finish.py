"""The last batch of a check: chain repairs, the derivation's code checks and the fix search,
run together on the workers. A statement with a chain to repair is one task: its repairs
first (each under a claim's budget), then the fix search for what is still refuted in it, so
that the search sees the repaired verdicts without waiting for a batch of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cache.store import MISS
from ..check.claim import (
    apply_verdict,
    call,
    check_pair,
    pair_key,
    setting_for,
    substitute,
    time_left,
    verdict_of_run,
    verdict_parts,
)
from ..check.relation import Setting, rng_for
from ..claims.build import Claim
from ..runtime import budget

if TYPE_CHECKING:
    from ..options import CheckOptions

REPAIRED = ("proved", "consistent", "needs-assumption")
_NOT_RUN = {"verdict": "timeout"}  # a repair check that did not run: nothing is repaired


def finish(blocks, claims: list[Claim], fix_claims: list[Claim], code: list, ctx, opts: CheckOptions) -> list:
    """Repair the chains of ``claims`` (document order) and, with ``opts.suggest``, search a fix
    for every refuted claim of ``fix_claims``; ``code`` lists (code check, its location).
    Returns each code check's (offset, verdict, message) results."""
    cache, left = opts.cache, time_left(opts)
    pairs = _chain_pairs(claims) if left > 0 else []
    jobs = [_chain_job(p, ctx, opts) for p in pairs]
    keys = [verdict_parts(pair_key(j), opts) for j in jobs]
    pending: dict[tuple, list[int]] = {}  # statement → its pairs, when one is not in the cache
    for k, (first, _) in enumerate(pairs):
        pending.setdefault(first.origin[:2], []).append(k)
    for stmt, ks in list(pending.items()):
        known = [MISS if cache is None else cache.get("verdict", keys[k]) for k in ks]
        if not any(v is MISS for v in known):
            _repair([pairs[k] for k in ks], known)
            del pending[stmt]
    searching = opts.suggest and left > 0
    fix_budget = min(max(opts.timeout, 60.0), left)
    setting = setting_for(ctx, opts)
    tasks: list[tuple] = []  # (kind, what it is for, budget, function and arguments)
    for stmt, ks in pending.items():
        searched = [i for i, c in enumerate(fix_claims) if searching and c.origin and c.origin[:2] == stmt
                    and c.verdict == "refuted"]
        tasks.append(("statement", (ks, searched), len(ks) * min(opts.timeout, left) + len(searched) * fix_budget,
                      (_statement, [pairs[k] for k in ks], [jobs[k] for k in ks], searched, blocks, fix_claims, ctx,
                       setting, min(opts.timeout, left), fix_budget, opts)))
    fix_keys = {}  # id of a claim searched on its own → its cache key (looked up, then stored)
    for c in fix_claims if searching else []:
        if c.verdict != "refuted" or c.origin is None or c.origin[:2] in pending:
            continue
        if cache is not None:
            fix_keys[id(c)] = fix_key(c, blocks, fix_claims, ctx, opts)
        c.suggestion = MISS if cache is None else cache.get("fix", fix_keys[id(c)])
        if c.suggestion is MISS:
            tasks.append(("fix", c, fix_budget, (_suggest_one, c, blocks, fix_claims, ctx, setting)))
    # the searches with the most edits to try first, so that the longest does not start last
    tasks.sort(key=lambda t: -_edit_count(blocks, fix_claims, t))
    for cc, loc in code:  # last: user code runs after every other task has started
        tasks.append(("code", cc, opts.timeout, (_run_code, cc.run, loc.code.content, cc.node, opts.seed,
                                                 opts.timeout)))
    results = budget.run_many(call, [t[3] for t in tasks], [t[2] for t in tasks], opts.jobs,
                              memory_limit=opts.memory_limit)
    code_results = []
    for (kind, what, _, _), res in zip(tasks, results):
        if kind == "fix":
            what.suggestion = res.result if res.status == "ok" else None
            if cache is not None and res.status == "ok":
                cache.put("fix", fix_keys[id(what)], res.result)
        elif kind == "statement":
            _statement_done(what, res, pairs, keys, blocks, fix_claims, ctx, opts)
        else:
            code_results.append(res.result if res.status == "ok" else [
                (1, "timeout" if res.status in ("timeout", "memory") else "unchecked",
                 res.error or "no verdict in time")])
    return code_results


def _edit_count(blocks, fix_claims: list[Claim], task: tuple) -> int:
    """How many edits a task's fix searches may try: their cost, roughly (a repair is cheap)."""
    from ..fixes.localize import edit_count

    kind, what = task[0], task[1]
    claims = [fix_claims[i] for i in what[1]] if kind == "statement" else [what]
    return sum(edit_count(blocks[c.origin[0]].span.latex) for c in claims)


def _statement_done(what, res: budget.Budgeted, pairs, keys, blocks, fix_claims: list[Claim], ctx, opts) -> None:
    """A statement task's repairs applied here as in the worker; its fixes, or None if it ran out."""
    ks, searched = what
    got = res.result if res.status == "ok" else (res.partial or {})
    checked = got.get("chains") or [None] * len(ks)  # per pair: (status, verdict), or None if not run
    _repair([pairs[k] for k in ks], [c[1] if c else _NOT_RUN for c in checked])
    for k, c in zip(ks, checked):
        if c and c[0] == "ok" and opts.cache is not None:
            opts.cache.put("verdict", keys[k], c[1])
    found = got.get("fixes", {})
    for i in searched:
        c = fix_claims[i]
        if c.verdict != "refuted":
            continue
        status, value = found.get(i, ("timeout", None))
        c.suggestion = value if status == "ok" else None
        if status == "ok" and opts.cache is not None:
            opts.cache.put("fix", fix_key(c, blocks, fix_claims, ctx, opts), value)


def _chain_pairs(claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Adjacent steps of a chain a = b = c that are both refuted: if a = c holds, b is wrong."""
    return [(first, second) for first, second in zip(claims, claims[1:])
            if first.chain and second.chain and first.chain[0] == second.chain[0]
            and second.chain[1] == first.chain[1] + 1 and first.verdict == second.verdict == "refuted"]


def _chain_job(pair: tuple[Claim, Claim], ctx, opts) -> tuple:
    first, second = pair
    return (substitute(first.lhs, first.definitions), substitute(second.rhs, second.definitions), second.relation,
            second.conditions, ctx, opts, f"{second.line}:{second.latex}:skip")


def _repair(pairs: list[tuple[Claim, Claim]], verdicts: list[dict]) -> None:
    """In order: a step whose first side was itself repaired by the check before is left alone."""
    for (first, second), v in zip(pairs, verdicts):
        if first.verdict == "refuted" and v["verdict"] in REPAIRED:
            apply_verdict(second, v)
            second.message = "the side before it is wrong (refuted above); checked against the side before that: " \
                + second.message


def _statement(report, pairs, jobs, searched: list[int], blocks, claims: list[Claim], ctx, setting: Setting,
               claim_budget: float, fix_budget: float, opts) -> dict:
    """In a worker: a statement's repairs in order (each checked only if still needed), then the
    fix search for each of its claims still refuted. The repairs are reported before the search."""
    checked: list = []
    for (first, second), job in zip(pairs, jobs):
        if first.verdict != "refuted":
            checked.append(None)
            continue
        res = budget.run_here(check_pair, job, claim_budget)
        checked.append((res.status, verdict_of_run(res, opts)))
        _repair([(first, second)], [checked[-1][1]])
    report({"chains": checked})
    fixes = {}
    for i in searched:
        if claims[i].verdict == "refuted":
            res = budget.run_here(_suggest_one, (claims[i], blocks, claims, ctx, setting), fix_budget)
            fixes[i] = (res.status, res.result)
    return {"chains": checked, "fixes": fixes}


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
