"""Check every claim of a document: read it, build the claims, check them (each under a time
budget, in :mod:`checks.verdicts`), resolve restatements and chains, search fixes, list findings."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from . import budget
from .assume import Context, context_from
from .cache import MISS
from .claims import Claim, DefinitionGroup, build_claims
from .evaluate import Setting
from .extract import annotations
from .model import Result
from .reader import read_markdown
from .verdicts import (apply_verdict, check_claims, claim_jobs, context_for, run_pairs, setting_for, substitute,
                       time_left)


@dataclass
class CheckOptions:
    seed: int = 0
    timeout: float = 20.0  # seconds per claim
    points: int = 48
    suggest: bool = False  # search a smallest fix for each refuted claim (the CLI turns it on)
    prove: bool = True  # attempt symbolic proofs (off: numeric evidence only, faster)
    only_lines: frozenset | None = None  # check only the claims on these lines (mutation testing)
    jobs: int = max(1, min(2, os.cpu_count() or 1))  # claims checked at once, each in its own process
    cache: Any = None  # a checks.cache.Cache: parses, verdicts and fixes already computed
    definitions: bool = True  # read a first ``name = expression`` as a definition
    file_budget: float | None = None  # seconds for the whole file; claims left then are ``timeout``
    deadline: float | None = None  # time.monotonic() at which the file's budget ends (set by check_text)

    def fingerprint(self) -> tuple:
        """What of the options changes a result (not how many jobs, not the cache)."""
        return (self.seed, self.timeout, self.points, self.prove)


@dataclass
class _Restated:
    """A name whose first definition and every restatement were refuted: if the restatements
    agree with each other (``jobs`` check that), the first definition is the culprit."""
    group: DefinitionGroup
    claims: list[Claim]  # the restatements' claims
    jobs: list[tuple]


def _restated_groups(claims: list[Claim], ctx: Context, opts: CheckOptions) -> list[_Restated]:
    by_group: dict[int, list[Claim]] = {}
    for c in claims:
        if c.role == "restatement":
            by_group.setdefault(id(c.group), []).append(c)
    out = []
    for rs in by_group.values():
        if len(rs) < 2 or not all(r.verdict == "refuted" for r in rs):
            continue
        group = rs[0].group
        ref = group.restatements[0]
        jobs = [(substitute(ref.body, r.definitions), substitute(d.body, r.definitions), "eq", [], ctx, opts,
                 f"{r.line}:{r.latex}:vs:{ref.line}") for r, d in zip(rs[1:], group.restatements[1:])]
        out.append(_Restated(group, rs, jobs))
    return out


def _check_steps(claims: list[Claim], steps: list[Claim], ctx: Context, opts: CheckOptions) -> None:
    """Check the steps, together with the restatement checks that decide which definition of a
    name is in force: the steps are read with the restatement in force (what the checks decide
    when the restatements agree), and the few that use it are read again if they do not."""
    restated = _restated_groups(claims, ctx, opts)
    for r in restated:
        r.group.reference = r.group.restatements[0]
    contexts = [context_for(ctx, c) for c in steps]
    jobs, prepared = claim_jobs(steps, contexts, opts)
    vs_jobs = [j for r in restated for j in r.jobs]
    verdicts = run_pairs(vs_jobs + jobs, opts)
    vs, verdicts = verdicts[:len(vs_jobs)], verdicts[len(vs_jobs):]
    undone: set[int] = set()
    for r in restated:
        checks, vs = vs[:len(r.jobs)], vs[len(r.jobs):]
        if all(v["verdict"] in ("proved", "consistent") for v in checks):
            _first_is_wrong(r, checks, claims)
        else:
            undone.add(r.group.reference.line)
            r.group.reference = r.group.first
    again = []
    for (claim, used), verdict in zip(prepared, verdicts):
        if used & undone:
            again.append(claim)
        else:
            apply_verdict(claim, verdict, used)
    if again:
        check_claims(again, [context_for(ctx, c) for c in again], opts)


def _first_is_wrong(r: _Restated, checks: list[dict], claims: list[Claim]) -> None:
    """The verdicts once the restatements are found to agree: the first definition refuted."""
    group, rs = r.group, r.claims
    ref = group.restatements[0]
    first_claim = next(c for c in claims if c.role == "definition" and c.group is group)
    others = ", ".join(str(x.line) for x in rs)
    first_claim.verdict, first_claim.method = "refuted", rs[0].method
    first_claim.counterexample = rs[0].counterexample
    first_claim.message = (f"disagrees with the restatements at lines {others}, which agree with each "
                           f"other: {rs[0].message.split(';')[0]}")
    apply_verdict(rs[0], checks[0])
    rs[0].message = f"agrees with line {rs[1].line}; the definition at line {group.first.line} disagrees"
    for x, v in zip(rs[1:], checks):
        apply_verdict(x, v)
        x.message += f"; checked against line {ref.line} (the definition at line {group.first.line} is refuted)"


def _resolve_chains(claims: list[Claim], ctx: Context, opts: CheckOptions) -> None:
    """In a chain a = b = c with both steps refuted, if a = c holds the middle side is wrong:
    the second step is judged as a = c instead. The a = c checks run together; one whose first
    step was itself repaired by the check before it is dropped, as if run in order."""
    pairs = [(first, second) for first, second in zip(claims, claims[1:])
             if first.chain and second.chain and first.chain[0] == second.chain[0]
             and second.chain[1] == first.chain[1] + 1 and first.verdict == second.verdict == "refuted"]
    jobs = [(substitute(first.lhs, first.definitions), substitute(second.rhs, second.definitions), second.relation,
             second.conditions, ctx, opts, f"{second.line}:{second.latex}:skip") for first, second in pairs]
    for (first, second), v in zip(pairs, run_pairs(jobs, opts)):
        if first.verdict != "refuted":
            continue
        if v["verdict"] in ("proved", "consistent", "needs-assumption"):
            apply_verdict(second, v)
            second.message = "the side before it is wrong (refuted above); checked against the side before that: " \
                             + second.message


def _suggest_one(report, claim: Claim, blocks, claims: list[Claim], ctx: Context, setting: Setting):
    from .localize import suggest

    return suggest(claim, blocks, claims, ctx, setting, substitute)


def _suggest_fixes(blocks, claims: list[Claim], ctx: Context, opts: CheckOptions) -> None:
    """A fix for each refuted equation of the post, searched in worker processes (two at a
    time), each under a budget of its own."""
    refuted = [c for c in claims if c.verdict == "refuted" and c.origin is not None]
    if time_left(opts) <= 0:
        return
    setting = setting_for(ctx, opts)
    cache = opts.cache
    parts = [_fix_key(c, blocks, claims, ctx, opts) for c in refuted] if cache is not None else []
    todo = []
    for k, c in enumerate(refuted):
        c.suggestion = MISS if cache is None else cache.get("fix", parts[k])
        if c.suggestion is MISS:
            todo.append(k)
    args = [(refuted[k], blocks, claims, ctx, setting) for k in todo]
    for k, res in zip(todo, budget.run_many(_suggest_one, args, min(max(opts.timeout, 60.0), time_left(opts)),
                                                   opts.jobs)):
        refuted[k].suggestion = res.result if res.status == "ok" else None
        if cache is not None and res.status == "ok":
            cache.put("fix", parts[k], res.result)


def _fix_key(c: Claim, blocks, claims: list[Claim], ctx: Context, opts: CheckOptions) -> tuple:
    """What a fix search for ``c`` depends on: its span, its chain's claims and verdicts,
    the definitions in force, the context and the options."""
    b, s, _ = c.origin
    siblings = [(x.origin, x.relation, x.conditions, x.verdict, x.role) for x in claims
                if x.origin and x.origin[:2] == (b, s)]
    defs = [(g.reference.target, g.reference.body) for g in c.definitions]
    group = (c.group.first.body, c.group.reference.body) if c.group is not None else None
    return (blocks[b].span, c.origin, c.role, c.relation, c.conditions, defs, group, siblings, ctx,
            opts.fingerprint())


def _vectors(claims: list[Claim], declared: dict) -> dict:
    """Declared vectors (``x_i \\in R^n``) plus the plain symbols that multiply one of them
    inside ``exp``/``log`` (``w`` in ``e^{w\\cdot x_i}``): those products are dot products."""
    out = dict(declared)
    for c in claims:
        for e in (c.lhs, c.rhs):
            if not isinstance(e, sp.Basic):
                continue
            for f in sorted(e.atoms(sp.exp, sp.log), key=sp.default_sort_key):
                for m in sorted(f.atoms(sp.Mul), key=sp.default_sort_key):
                    rows = [a for a in m.args if isinstance(a, sp.Indexed) and a.base.label.name in out
                            and out[a.base.label.name][0] == "rows"]
                    rows += [a for a in m.args if isinstance(a, sp.Symbol) and a.name in out
                             and out[a.name][0] == "rows"]
                    if len(rows) == 1:
                        base = rows[0].base.label.name if isinstance(rows[0], sp.Indexed) else rows[0].name
                        for a in m.args:
                            if isinstance(a, sp.Symbol) and a.name not in out and len(a.name) == 1:
                                out[a.name] = ("like", base)
    return out


def _sum_bounds(claims: list[Claim]) -> frozenset:
    out = set()
    for c in claims:
        for e in (c.lhs, c.rhs):
            if isinstance(e, sp.Basic):
                for s in e.atoms(sp.Sum, sp.Product):
                    out |= {hi for _, _, hi in s.limits if isinstance(hi, sp.Symbol)}
    return frozenset(out)


def check_text(text: str, opts: CheckOptions | None = None, derivation=None) -> Result:
    """Read, build claims and check every claim of a Markdown text (and of ``derivation``)."""
    from .numeric import warm_up

    opts = opts or CheckOptions()
    if opts.file_budget is not None and opts.deadline is None:
        opts = replace(opts, deadline=time.monotonic() + opts.file_budget)
    warm_up()
    blocks = read_markdown(text, opts.cache)
    claims, domains, vectors = build_claims(blocks, opts.definitions)
    ctx = context_from(annotations(text), domains, vectors)
    ctx.size_symbols = _sum_bounds(claims)
    ctx.vectors = _vectors(claims, ctx.vectors)
    extra_claims, extra_findings, where = [], [], {}
    if derivation is not None:
        from .derivation import edge_claims, locate
        from .extract import code_spans

        where = locate(derivation, blocks, code_spans(text))
        extra_claims, extra_findings = edge_claims(derivation, where)
        final = claims[-1].definitions if claims else []
        for c in extra_claims:
            c.definitions = next((x.definitions for x in reversed(claims) if x.line <= c.line), final)
    def wanted(c: Claim) -> bool:
        return opts.only_lines is None or c.line in opts.only_lines

    restated = [c for c in claims if c.role == "restatement" and wanted(c)]
    check_claims(restated, [ctx] * len(restated), opts)
    todo = [c for c in claims + extra_claims
            if (c.role in ("step", "equation") or c.role == "derivation" and c.lhs is not None) and wanted(c)]
    _check_steps(claims, todo, ctx, opts)
    _resolve_chains(claims, ctx, opts)
    if derivation is not None and opts.only_lines is None:
        extra_claims += _code_claims(derivation, where, opts)
        extra_findings += _code_findings(derivation, where)
    claims = sorted(claims + extra_claims, key=lambda c: c.line)
    if opts.suggest:
        _suggest_fixes(blocks, claims, ctx, opts)
    findings = sorted(_findings(blocks, claims, ctx) + extra_findings,
                      key=lambda f: (f["line"], f["rule"], f["message"]))
    return Result(blocks, claims, ctx, _suppress(claims, findings, ctx.ignored))


def _suppress(claims: list[Claim], findings: list[dict], ignored: list[tuple[int, str]]) -> list[dict]:
    """``<!-- mathlint: ignore ML100 -->`` silences those rules (all, when none is named) on
    the next line; a silenced claim keeps its verdict but no longer fails the run."""
    from .check_report import rule_of

    rules_at: dict[int, set[str]] = {}
    for line, arg in ignored:
        rules_at.setdefault(line + 1, set()).update(arg.replace(",", " ").split() or {"*"})

    def silenced(line: int, rule: str | None) -> bool:
        names = rules_at.get(line, set())
        return rule is not None and ("*" in names or rule in names)

    for c in claims:
        if silenced(c.line, rule_of(c)):
            c.extra["suppressed"] = True
    return [f for f in findings if not silenced(f["line"], f["rule"])]


def _code_findings(derivation, where) -> list[dict]:
    from .coderun import lint_snippet

    out = []
    for cc in derivation.code:
        loc = where.get(cc.node)
        if loc is not None:
            out += [{"rule": "ML200", "line": loc.line + k - 1, "message": f"not valid Python: {m}"}
                    for k, m in lint_snippet(loc.code.content)]
    return out


def _code_claims(derivation, where, opts: CheckOptions) -> list[Claim]:
    """Run the derivation's code checks (each in a budgeted worker) and its other checks."""
    from .evaluate import rng_for

    out = []
    for cc in derivation.code:
        loc = where.get(cc.node)
        if loc is None:
            continue
        res = budget.run(lambda _r, f, src, key: f(src, rng_for(opts.seed, key)),
                         (cc.run, loc.code.content, cc.node), opts.timeout)
        results = res.result if res.status == "ok" else [(1, "timeout" if res.status == "timeout" else
                                                          "unchecked", res.error or "no verdict in time")]
        lines = loc.code.content.splitlines()
        for offset, verdict, message in results:
            text = lines[offset - 1] if 0 < offset <= len(lines) else loc.code.content
            out.append(Claim(loc.line + offset - 1, text.strip(), "code", None, None, "code", verdict=verdict,
                             method="execution", message=f"{cc.why}: {message}"))
    for check in derivation.checks:
        for name, verdict, message in check(where):
            loc = where[name]
            out.append(Claim(loc.line, loc.code.content if loc.code else loc.block.span.latex.strip(), "eq",
                             None, None, "numbers", verdict=verdict, method="exact arithmetic", message=message))
    return out


def _findings(blocks, claims: list[Claim], ctx: Context) -> list[dict]:
    from .findings import Document, findings_of

    out = [{"rule": "ML001", "line": line, "message": msg} for line, msg in ctx.notes]
    for c in claims:
        if c.verdict == "needs-assumption":
            out.append({"rule": "ML101", "line": c.line,
                        "message": f"this step silently assumes {c.assumptions[-1]}; state it in the text"})
    return out + findings_of(Document(blocks, claims))
