"""Check every claim of a document: read it, build the claims, check them (each under a time
budget, in :mod:`mathlint.check.claim`) with the restatements resolved, then repair chains, run the
derivation's code and search fixes together (:mod:`mathlint.pipeline.finish`), and list the findings."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import sympy as sp

from ..check import taylor
from ..check.calls import PairJob, run_calls
from ..check.claim import apply_verdict, check_claims, claim_calls, context_for, pair_call, substitute
from ..check.declarations import check_declarations
from ..check.unread import withdraw_unread
from ..claims.assume import Context, context_from
from ..claims.build import Claim, DefinitionGroup, build_claims
from ..claims.scope import Scope
from ..findings.references import link_references
from ..latex.reader import read_text
from ..model import HOLDS, CheckResult, Finding, Result, Verdict, line_words, lines_named, lines_words
from ..options import CheckOptions
from ..sources.base import Source
from ..sources.formats import source_for
from .finish import finish


@dataclass
class _Restated:
    """A name whose first definition and every restatement were refuted: if the restatements
    agree with each other (``jobs`` check that), the first definition is the culprit."""
    group: DefinitionGroup
    claims: list[Claim]  # the restatements' claims
    jobs: list[PairJob]


def _restated_groups(claims: list[Claim], ctx: Context, opts: CheckOptions) -> list[_Restated]:
    by_group: dict[int, list[Claim]] = {}
    for c in claims:
        if c.role == "restatement":
            by_group.setdefault(id(c.group), []).append(c)
    out = []
    for rs in by_group.values():
        if len(rs) < 2 or not all(r.verdict == Verdict.REFUTED for r in rs):
            continue
        group = rs[0].group
        if len(group.restatements) != len(rs):  # a claim read as a restatement that is not one of the
            continue  # group's (``t = t + 1``): the claims and the restatements would not line up
        ref = group.restatements[0]
        jobs = [PairJob(substitute(ref.body, r.definitions), substitute(d.body, r.definitions), "eq", [], ctx, opts,
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
    calls = claim_calls(steps, [context_for(ctx, c) for c in steps], opts)
    vs_jobs = [j for r in restated for j in r.jobs]
    verdicts = run_calls([pair_call(j) for j in vs_jobs] + calls, opts)
    vs, verdicts = verdicts[:len(vs_jobs)], verdicts[len(vs_jobs):]
    undone: set[int] = set()
    for r in restated:
        checks, vs = vs[:len(r.jobs)], vs[len(r.jobs):]
        if all(v.verdict in HOLDS for v in checks):
            _first_is_wrong(r, checks, claims)
        else:
            undone.add(r.group.reference.line)
            r.group.reference = r.group.first
    again = []
    for claim, verdict in zip(steps, verdicts):
        used = set(verdict.used or ())
        if used & undone:
            again.append(claim)
        else:
            apply_verdict(claim, verdict, used)
    if again:
        check_claims(again, [context_for(ctx, c) for c in again], opts)


def _first_is_wrong(r: _Restated, checks: list[CheckResult], claims: list[Claim]) -> None:
    """The verdicts once the restatements are found to agree: the first definition refuted."""
    group, rs = r.group, r.claims
    ref = group.restatements[0]
    first_claim = next(c for c in claims if c.role == "definition" and c.group is group)
    others = lines_words(x.line for x in rs)
    first_claim.verdict, first_claim.method = Verdict.REFUTED, rs[0].method
    first_claim.counterexample = rs[0].counterexample
    first_claim.reason = (f"disagrees with the restatements at {others}, which agree with each other: "
                          f"{rs[0].reason}")
    first_claim.notes = []
    apply_verdict(rs[0], checks[0])
    rs[0].reason = f"agrees with {line_words(rs[1].line)}"
    rs[0].notes = [f"the definition at {line_words(group.first.line)} disagrees"]
    for x, v in zip(rs[1:], checks):
        apply_verdict(x, v)
        x.notes.append(f"checked against {line_words(ref.line)} (the definition at {line_words(group.first.line)} "
                       "is refuted)")


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


def check_text(text: str, opts: CheckOptions | None = None, derivation=None, source: Source | None = None) -> Result:
    """Read, build claims and check every claim of a text (and of ``derivation``); ``source`` reads
    the text's format (Markdown by default). Messages that name another line name it where the
    user reads it (a notebook's cell and line: :meth:`Source.naming`)."""
    source = source or source_for()
    with lines_named(source.naming(text)):
        return _check_text(text, opts, derivation, source)


def _check_text(text: str, opts: CheckOptions | None, derivation, source: Source) -> Result:
    from ..numeric.sample import warm_up

    opts = opts or CheckOptions()
    if opts.file_budget is not None and opts.deadline is None:
        opts = replace(opts, deadline=time.monotonic() + opts.file_budget)
    warm_up()
    blocks = read_text(text, opts.cache, opts.deadline, opts.file_budget, source)  # not read in time: unparsed
    scope = Scope.of(source.headings(text))  # where definitions are in force
    claims, domains, vectors = build_claims(blocks, opts.definitions, scope)
    ctx = context_from(source.annotations(text), domains, vectors, opts.deadline, opts.file_budget)
    ctx.size_symbols = _sum_bounds(claims)
    ctx.vectors = _vectors(claims, ctx.vectors)
    extra_claims, extra_findings, where = [], [], {}
    if derivation is not None:
        from ..derivations.framework import edge_claims, locate

        where = locate(derivation, blocks, source.code_spans(text))
        extra_claims, extra_findings = edge_claims(derivation, where)
        final = claims[-1].definitions if claims else []
        for c in extra_claims:
            c.definitions = next((x.definitions for x in reversed(claims) if x.line <= c.line), final)
    def wanted(c: Claim) -> bool:
        return opts.only_lines is None or c.line in opts.only_lines

    restated = [c for c in claims if c.role == "restatement" and wanted(c)]
    check_claims(restated, [ctx] * len(restated), opts)
    todo = [c for c in claims + extra_claims
            if (c.role in ("step", "equation") or c.role == "derivation" and c.lhs is not None
                or c.role == "approximation" and taylor.expandable(c.lhs, c.rhs, c.latex)) and wanted(c)]
    _check_steps(claims, todo, ctx, opts)
    check_declarations(claims)  # a declared shape of a defined name: checked against its definition
    withdraw_unread(claims)  # a refutation through a definition mathlint leaves unread is a guess
    code = [(cc, where[cc.node]) for cc in derivation.code if cc.node in where] \
        if derivation is not None and opts.only_lines is None else []
    ordered = sorted(claims + extra_claims, key=lambda c: c.line)
    results = finish(blocks, claims, ordered, code, ctx, opts)
    if derivation is not None and opts.only_lines is None:
        extra_claims += _code_claims(code, results, derivation, where)
        extra_findings += _code_findings(derivation, where)
    claims = sorted(claims + extra_claims, key=lambda c: c.line)
    findings = sorted(_findings(blocks, claims, ctx) + extra_findings + link_references(claims, blocks, source, text),
                      key=Finding.order)
    ignored = ctx.ignored if opts.inline_suppressions else []
    return Result(blocks, claims, ctx, _suppress(claims, findings, ignored))


def _suppress(claims: list[Claim], findings: list[Finding], ignored: list[tuple[int, str]]) -> list[Finding]:
    """``<!-- mathlint: ignore ML100 -->`` silences those rules (all, when none is named) on
    the next line; a silenced claim keeps its verdict but no longer fails the run."""
    from ..rule_codes import rule_of

    rules_at: dict[int, set[str]] = {}
    for line, arg in ignored:
        rules_at.setdefault(line + 1, set()).update(arg.replace(",", " ").split() or {"*"})

    def silenced(line: int, rule: str | None) -> bool:
        names = rules_at.get(line, set())
        return rule is not None and ("*" in names or rule in names)

    for c in claims:
        if silenced(c.line, rule_of(c)):
            c.extra["suppressed"] = True
    return [f for f in findings if not silenced(f.line, f.rule)]


def _code_findings(derivation, where) -> list[Finding]:
    from ..check.snippet import lint_snippet

    out = []
    for cc in derivation.code:
        loc = where.get(cc.node)
        if loc is not None:
            out += lint_snippet(loc.code.content, loc.line)
    return out


def _code_claims(code: list, results: list, derivation, where) -> list[Claim]:
    """Claims for the derivation's code checks (run in the last batch) and its other checks."""
    out = []
    for (cc, loc), found in zip(code, results):
        lines = loc.code.content.splitlines()
        for offset, verdict, message in found:
            text = lines[offset - 1] if 0 < offset <= len(lines) else loc.code.content
            out.append(Claim(loc.line + offset - 1, text.strip(), "code", None, None, "code", verdict=verdict,
                             method="execution", reason=f"{cc.why}: {message}"))
    for check in derivation.checks:
        for name, verdict, message in check(where):
            loc = where[name]
            out.append(Claim(loc.line, loc.code.content if loc.code else loc.block.span.latex.strip(), "eq",
                             None, None, "numbers", verdict=verdict, method="exact arithmetic", reason=message))
    return out


def _findings(blocks, claims: list[Claim], ctx: Context) -> list[Finding]:
    from ..findings.notation import Document, findings_of

    out = [Finding("ML001", line, msg) for line, msg in ctx.notes]
    for c in claims:
        if c.verdict == Verdict.NEEDS_ASSUMPTION:
            out.append(Finding("ML101", c.line,
                               f"this step silently assumes {c.assumptions[-1]}; state it in the text"))
    return out + findings_of(Document(blocks, claims))
