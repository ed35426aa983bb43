"""Check every claim of a document: definitions substituted, each claim under a time budget."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from . import budget
from .assume import Context, context_from, standard_candidates
from .cache import MISS
from .claims import Claim, DefinitionGroup, build_claims
from .evaluate import Outcome, Setting, evaluate
from .extract import annotations
from .model import Result
from .reader import read_markdown
from .relations import RELATIONS
from .symbols import DerivativeWrt

DEFAULT_SIZES = (2, 3, 4)
MAX_ROUNDS = 8


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


def substitute(expr: sp.Basic, groups: list[DefinitionGroup], used: set[int] | None = None) -> sp.Basic:
    """Replace defined names by their definitions (in force), repeatedly. A derivative by a
    defined name (``∂L/∂p_k`` with ``p_k`` defined) becomes a derivative by its expression.
    The result is left unevaluated: the checks evaluate what they need, and SymPy's automatic
    evaluation of the whole tree is slow."""
    def by_defined(d: sp.Derivative) -> bool:
        return any(g.reference.matches(v) for v in d.variables for g in groups)

    def by_expression(d: sp.Derivative) -> sp.Basic:
        out = d.expr
        for v, n in d.variable_count:
            for _ in range(n):
                out = DerivativeWrt(out, v)
        return out

    with sp.evaluate(False):
        if groups and expr.has(sp.Derivative):
            expr = expr.replace(lambda e: isinstance(e, sp.Derivative) and by_defined(e), by_expression)
        for _ in range(MAX_ROUNDS):
            before = expr
            for g in groups:
                d = g.reference
                if expr.has(d.target.func if isinstance(d.target, AppliedUndef) else d.target) or \
                        isinstance(d.target, sp.Indexed) and expr.has(d.target.base):
                    new = expr.replace(d.matches, d.expand)
                    if new != expr and used is not None:
                        used.add(d.line)
                    expr = new
            if expr == before:
                break
    return expr


def _setting(ctx: Context, opts: CheckOptions) -> Setting:
    return Setting(domains=ctx.effective_domains(), equal_groups=ctx.equal_groups,
                   sizes=ctx.sizes or DEFAULT_SIZES, points=opts.points, seed=opts.seed,
                   known_sizes=ctx.size_symbols, vectors=ctx.vectors, prove=opts.prove)


def _sizes_text(o: Outcome) -> str:
    if not o.instantiated:
        return ""
    syms = ", ".join(sorted(str(s) for s in o.size_symbols))
    what = f"{syms} = " if syms else "size "
    return f" at {what}{', '.join(map(str, o.sizes))}" + (" (sampled index values)" if o.sampled_indices else "")


def _verdict(o: Outcome, extra: list[str] = ()) -> dict:
    if o.status == "holds":
        if o.proved:
            return {"verdict": "proved", "method": "symbolic" + (" (instantiated)" if o.instantiated else ""),
                    "message": "proved" + _sizes_text(o), "assumptions": list(extra)}
        return {"verdict": "consistent", "method": "numeric",
                "message": f"holds at {o.points} random points{_sizes_text(o)}; no symbolic proof found",
                "assumptions": list(extra)}
    if o.status == "fails":
        return {"verdict": "refuted", "method": "numeric", "message": _refutation(o.counterexample),
                "counterexample": o.counterexample, "assumptions": list(extra)}
    return {"verdict": "unchecked", "method": "", "message": o.reason, "assumptions": list(extra)}


def _refutation(ce: dict | None) -> str:
    if not ce:
        return "the sides differ"
    if "shape" in ce:
        return f"the shapes do not fit: {ce['shape']}"
    if "finite_difference" in ce:
        return (f"component {ce['component']} of the derivative is wrong: finite differences give "
                f"{ce['finite_difference']}, the claimed expression {ce['claimed']}")
    if "lhs" in ce:
        comp = f" (component {ce['component']})" if ce.get("component") else ""
        return f"the sides differ{comp}: left = {ce['lhs']}, right = {ce['rhs']} at {_point(ce)}"
    return ce.get("note", "the sides differ")


def _point(ce: dict, limit: int = 6) -> str:
    items = list(ce.get("instance", {}).items()) + list(ce.get("values", {}).items())
    shown = ", ".join(f"{k} = {v}" for k, v in items[:limit])
    return shown + (", …" if len(items) > limit else "")


def check_pair(report, lhs, rhs, relation, conditions, ctx: Context, opts: CheckOptions, key: str) -> dict:
    """Verdict of ``lhs relation rhs`` (runs in a budgeted child; ``report`` sends partial verdicts)."""
    rel = RELATIONS[relation]
    if rel.holds is None:
        return {"verdict": "unchecked", "method": "", "message": rel.why_not, "assumptions": []}
    stated = [a.text for a in ctx.assumptions]
    o = evaluate(lhs, rhs, rel, conditions, _setting(ctx, opts), key,
                 on_numeric=lambda partial: report(_verdict(partial, stated)))
    if o.status != "fails":
        return _verdict(o, stated)
    for cand in standard_candidates(lhs, rhs, ctx, o.size_groups):
        o2 = evaluate(lhs, rhs, rel, conditions, replace(_setting(ctx, opts).assuming(cand), prove=False), key)
        if o2.status == "holds":
            v = _verdict(o2, [*stated, cand.text])
            how = "proved" if o2.proved else "holds numerically"
            v.update(verdict="needs-assumption", counterexample=o.counterexample,
                     message=f"holds only if {cand.text} ({how}{_sizes_text(o2)}); "
                             f"without it {_refutation(o.counterexample)}")
            return v
    return _verdict(o, stated)


def _prepare(claim: Claim) -> tuple[sp.Basic, sp.Basic, set[int]]:
    """The claim's two sides with definitions substituted, and the definition lines used."""
    used: set[int] = set()
    lhs = claim.group.first.expand(claim.lhs) if claim.role == "restatement" else claim.lhs
    lhs = substitute(lhs, claim.definitions, used)
    rhs = substitute(claim.rhs, claim.definitions, used)
    if claim.role == "restatement":
        used.add(claim.group.first.line)
    return lhs, rhs, used


def _run(lhs, rhs, relation, conditions, ctx, opts, key) -> dict:
    return _run_pairs([(lhs, rhs, relation, conditions, ctx, opts, key)], opts)[0]


def _run_pairs(jobs: list[tuple], opts: CheckOptions) -> list[dict]:
    """Verdicts of ``check_pair`` jobs: from the cache, or in budgeted workers (stored if decided)."""
    cache = opts.cache
    parts = [(j[:5], j[6], opts.fingerprint()) for j in jobs]
    verdicts = [MISS if cache is None else cache.get("verdict", p) for p in parts]
    todo = [k for k, v in enumerate(verdicts) if v is MISS]
    # with a file budget, the time left is checked between batches; without one, all at once
    batch = max(1, opts.jobs) * 4 if opts.deadline is not None else max(1, len(todo))
    for start in range(0, len(todo), batch):
        chunk = todo[start:start + batch]
        left = _time_left(opts)
        if left <= 0:
            for k in todo[start:]:
                verdicts[k] = {"verdict": "timeout", "method": "", "assumptions": [],
                               "message": f"not checked: the file's {opts.file_budget:g} s budget ran out"}
            break
        for k, res in zip(chunk, budget.run_many(check_pair, [jobs[k] for k in chunk], min(opts.timeout, left),
                                                 opts.jobs)):
            verdicts[k] = _verdict_of(res, opts)
            if res.status == "timeout" and left < opts.timeout and verdicts[k]["verdict"] == "timeout":
                verdicts[k]["message"] = f"not finished when the file's {opts.file_budget:g} s budget ran out"
            if cache is not None and res.status == "ok":
                cache.put("verdict", parts[k], verdicts[k])
    return verdicts


def _time_left(opts: CheckOptions) -> float:
    """Seconds left of the file's budget (infinite without one)."""
    return math.inf if opts.deadline is None else opts.deadline - time.monotonic()


def _verdict_of(res: budget.Budgeted, opts: CheckOptions) -> dict:
    if res.status == "ok":
        return res.result
    if res.status == "timeout":
        if res.partial:
            v = dict(res.partial)
            v["message"] = v["message"].replace("; no symbolic proof found", "") + \
                f"; the proof attempt ran out of its {opts.timeout:g} s budget"
            return v
        return {"verdict": "timeout", "method": "", "assumptions": [],
                "message": f"no verdict within the {opts.timeout:g} s budget"}
    return {"verdict": "unchecked", "method": "", "assumptions": [], "message": f"checker error: {res.error}"}


def _apply(claim: Claim, v: dict, used: set[int] = ()) -> None:
    claim.verdict = v["verdict"]
    claim.method = v.get("method", "")
    claim.message = v.get("message", "")
    claim.counterexample = v.get("counterexample")
    claim.assumptions = v.get("assumptions", [])
    if claim.extra.get("why"):
        claim.message = f"{claim.extra['why']}: {claim.message}"
    if used:
        claim.message += "; uses the definitions at line" + ("s " if len(used) > 1 else " ") + \
            ", ".join(map(str, sorted(used)))


def _check_claims(claims: list[Claim], contexts: list[Context], opts: CheckOptions) -> None:
    """Check independent claims, ``opts.jobs`` worker processes at a time."""
    jobs, prepared = [], []
    for claim, ctx in zip(claims, contexts):
        try:
            lhs, rhs, used = _prepare(claim)
        except Exception as exc:  # a definition that does not fit where it is used
            _apply(claim, {"verdict": "unchecked", "message": f"cannot substitute the definitions: {exc}"})
            continue
        jobs.append((lhs, rhs, claim.relation, claim.conditions, ctx, opts, claim.latex))
        prepared.append((claim, used))
    for (claim, used), verdict in zip(prepared, _run_pairs(jobs, opts)):
        _apply(claim, verdict, used)


def _resolve_restatements(claims: list[Claim], ctx: Context, opts: CheckOptions) -> None:
    """When a name's first definition disagrees with restatements that agree with each
    other, the first definition is the culprit and the restatement takes its place."""
    by_group: dict[int, list[Claim]] = {}
    for c in claims:
        if c.role == "restatement":
            by_group.setdefault(id(c.group), []).append(c)
    for rs in by_group.values():
        if len(rs) < 2 or not all(r.verdict == "refuted" for r in rs):
            continue
        group = rs[0].group
        ref = group.restatements[0]
        checks = []
        for r, d in zip(rs[1:], group.restatements[1:]):
            lhs = substitute(ref.body, r.definitions)
            rhs = substitute(d.body, r.definitions)
            checks.append(_run(lhs, rhs, "eq", [], ctx, opts, f"{r.line}:{r.latex}:vs:{ref.line}"))
        if not all(v["verdict"] in ("proved", "consistent") for v in checks):
            continue
        first_claim = next(c for c in claims if c.role == "definition" and c.group is group)
        others = ", ".join(str(r.line) for r in rs)
        first_claim.verdict, first_claim.method = "refuted", rs[0].method
        first_claim.counterexample = rs[0].counterexample
        first_claim.message = (f"disagrees with the restatements at lines {others}, which agree with each "
                               f"other: {rs[0].message.split(';')[0]}")
        _apply(rs[0], checks[0])
        rs[0].message = f"agrees with line {rs[1].line}; the definition at line {group.first.line} disagrees"
        for r, v in zip(rs[1:], checks):
            _apply(r, v)
            r.message += f"; checked against line {ref.line} (the definition at line {group.first.line} is refuted)"
        group.reference = ref


def _resolve_chains(claims: list[Claim], ctx: Context, opts: CheckOptions) -> None:
    """In a chain a = b = c with both steps refuted, if a = c holds the middle side is wrong:
    the second step is judged as a = c instead."""
    for first, second in zip(claims, claims[1:]):
        if not (first.chain and second.chain and first.chain[0] == second.chain[0]
                and second.chain[1] == first.chain[1] + 1):
            continue
        if first.verdict != "refuted" or second.verdict != "refuted":
            continue
        lhs = substitute(first.lhs, first.definitions)
        rhs = substitute(second.rhs, second.definitions)
        v = _run(lhs, rhs, second.relation, second.conditions, ctx, opts, f"{second.line}:{second.latex}:skip")
        if v["verdict"] in ("proved", "consistent", "needs-assumption"):
            _apply(second, v)
            second.message = "the side before it is wrong (refuted above); checked against the side before that: " \
                             + second.message


def _suggest_one(report, claim: Claim, blocks, claims: list[Claim], ctx: Context, setting: Setting):
    from .localize import suggest

    return suggest(claim, blocks, claims, ctx, setting, substitute)


def _suggest_fixes(blocks, claims: list[Claim], ctx: Context, opts: CheckOptions) -> None:
    """A fix for each refuted equation of the post, searched in worker processes (two at a
    time), each under a budget of its own."""
    refuted = [c for c in claims if c.verdict == "refuted" and c.origin is not None]
    if _time_left(opts) <= 0:
        return
    setting = _setting(ctx, opts)
    cache = opts.cache
    parts = [_fix_key(c, blocks, claims, ctx, opts) for c in refuted] if cache is not None else []
    todo = []
    for k, c in enumerate(refuted):
        c.suggestion = MISS if cache is None else cache.get("fix", parts[k])
        if c.suggestion is MISS:
            todo.append(k)
    args = [(refuted[k], blocks, claims, ctx, setting) for k in todo]
    for k, res in zip(todo, budget.run_many(_suggest_one, args, min(max(opts.timeout, 60.0), _time_left(opts)),
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
    _check_claims(restated, [ctx] * len(restated), opts)
    _resolve_restatements(claims, ctx, opts)
    todo = [c for c in claims + extra_claims
            if (c.role in ("step", "equation") or c.role == "derivation" and c.lhs is not None) and wanted(c)]
    _check_claims(todo, [_with_assumptions(ctx, c) for c in todo], opts)
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


def _with_assumptions(ctx: Context, claim: Claim) -> Context:
    from .assume import parse_assumption

    extra = [a for a in (parse_assumption(t) for t in claim.extra.get("assume", ())) if a]
    return replace(ctx, assumptions=ctx.assumptions + extra) if extra else ctx


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
