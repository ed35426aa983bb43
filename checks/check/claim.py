"""Claims checked in budgeted workers: definitions substituted, ``check_pair`` jobs run
(from the cache when decided before), verdicts applied to the claims."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

import sympy as sp
from sympy.core.function import AppliedUndef

from ..claims.assume import Assumption, Context, standard_candidates
from ..claims.build import Claim, DefinitionGroup
from ..expr.printing import to_text
from ..expr.symbols import DerivativeWrt
from ..expr.walk import replace as replace_nodes
from ..expr.walk import subexpressions
from ..model import CheckResult, Verdict, line_words, lines_words
from ..proof.expectation import by_the_rules, facts_of
from ..proof.generic import generic_zero, given_by, what_is_generic, zero_where
from ..proof.probability import probability_rules
from ..relations import RELATIONS
from ..runtime.memo import ByIdentity
from . import dependence, einstein, entries, layouts, quadrature, recursion, taylor, vectors
from .boldnames import ordered_product, tie_bold, untied
from .calls import (
    Call,
    PairJob,
    Substituted,
    pair_key,
    run_calls,
)
from .outcome import HOLDS_UNDER, refutation, sizes_text, verdict_of_outcome, with_random_functions
from .reading import (
    case_reading,
    label,
    misreading,
    nearby_prose,
    positive_scales,
    read_as,
    stated_value,
    sum_scope,
)
from .relation import Setting, evaluate
from .vectors import as_vectors, vector_names

if TYPE_CHECKING:
    from ..options import CheckOptions

DEFAULT_SIZES = (2, 3, 4)
MAX_ROUNDS = 8


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
                out = DerivativeWrt(out, v, evaluate=False)
        return out

    if groups and expr.has(sp.Derivative):
        expr = replace_nodes(expr, lambda e: isinstance(e, sp.Derivative) and by_defined(e), by_expression,
                             evaluate=False)
    for _ in range(MAX_ROUNDS):
        before = expr
        for g in groups:
            d = g.reference
            if not d.recursive and _mentions(expr, d.target):  # a recursion: unrolled on both sides (sides_of)
                new = replace_nodes(expr, d.matches, d.expand, evaluate=False)
                if new != expr and used is not None:
                    used.add(d.line)
                expr = new
        if expr == before:
            break
    if groups and expr.has(sp.Subs):  # ``f'(3)``, f defined: its derivative at the point, now computable
        expr = replace_nodes(expr, _at_a_point, _derivative_at, evaluate=False)
    return expr


def _at_a_point(e: sp.Basic) -> bool:
    return isinstance(e, sp.Subs) and isinstance(e.expr, sp.Derivative) and not e.has(AppliedUndef)


def _derivative_at(e: sp.Subs) -> sp.Basic:
    """The derivative differentiated, then taken at the point (sums and integrals left as they are)."""
    d = e.expr
    return sp.diff(d.expr, *d.variable_count).xreplace(dict(zip(e.variables, e.point)))


_PRESENT = ByIdentity(512, name="mentions")  # expression → (its subexpressions, the functions it calls)


def _mentions(expr: sp.Basic, target: sp.Basic) -> bool:
    """``expr.has`` for a definition's target: the symbol, the indexed name's base or a call
    of the function; one walk per expression for all the names asked about."""
    present = _PRESENT.get((expr,))
    if present is None:
        nodes = subexpressions([expr], (sp.Basic,))
        present = _PRESENT.put((expr,), (nodes, {type(n) for n in nodes if isinstance(n, AppliedUndef)}))
    nodes, calls = present
    if isinstance(target, AppliedUndef):
        return target.func in calls
    return target in nodes or isinstance(target, sp.Indexed) and target.base in nodes


def setting_for(ctx: Context, opts: CheckOptions) -> Setting:
    return Setting(domains=ctx.effective_domains(), equal_groups=ctx.equal_groups,
                   sizes=ctx.sizes or DEFAULT_SIZES, points=opts.points, seed=opts.seed,
                   known_sizes=ctx.size_symbols, vectors=ctx.vectors, prove=opts.prove)


def check_pair(report, lhs, rhs, relation, conditions, ctx: Context, opts: CheckOptions, key: str,
               generic: bool = False) -> CheckResult:
    """:func:`_check_pair`, named for the quadrature or limit it rests on, which refutes nothing."""
    return quadrature.checked(_check_pair, report, lhs, rhs, relation, conditions, ctx, opts, key, generic)


def _check_pair(report, lhs, rhs, relation, conditions, ctx: Context, opts: CheckOptions, key: str,
                generic: bool = False) -> CheckResult:
    """Verdict of ``lhs relation rhs`` (runs in a budgeted child; ``report`` sends partial verdicts);
    ``generic``: a failure for some values of an undefined function refutes (see :func:`unsure`)."""
    rel = RELATIONS[relation]
    if rel.holds is None:
        return CheckResult(Verdict.UNCHECKED, reason=rel.why_not)
    stated = [a.text for a in ctx.assumptions]
    o = evaluate(lhs, rhs, rel, conditions, setting_for(ctx, opts), key,
                 on_numeric=lambda partial: report(verdict_of_outcome(partial, stated)))
    if o.status in ("cannot", "inconclusive") and opts.prove and rel.provable and rel.signs and 0 in rel.signs \
            and not conditions and (v := _symbolic(lhs, rhs, o, stated, ctx)):  # no numbers, yet proved
        return v
    if o.status in ("cannot", "inconclusive") or o.status == "fails" and o.depends_on and not generic:
        v = verdict_of_outcome(o, stated, generic)  # unchecked: tried with random functions for f, g undefined
        drawn = with_random_functions(lhs, rhs, rel, conditions, setting_for(ctx, opts), key) \
            if v.verdict == Verdict.UNCHECKED else None
        if drawn is None:
            return v
        return replace(drawn, assumptions=tuple(stated)) if drawn.verdict == Verdict.CONSISTENT \
            else replace(v, details=(*v.details, *drawn.details))
    if o.status != "fails":
        return verdict_of_outcome(o, stated, generic)
    for cand in standard_candidates(lhs, rhs, ctx, o.size_groups):
        o2 = evaluate(lhs, rhs, rel, conditions, replace(setting_for(ctx, opts).assuming(cand), prove=False), key)
        if o2.status == "holds":
            how = "proved" if o2.proved else "holds numerically"
            return replace(verdict_of_outcome(o2, [*stated, cand.text]), verdict=Verdict.NEEDS_ASSUMPTION,
                           counterexample=o.counterexample, reason=f"holds only if {cand.text} ({how}{sizes_text(o2)})",
                           details=(f"without it {refutation(o.counterexample)}",))
    return verdict_of_outcome(o, stated, generic)


def _symbolic(lhs, rhs, o, stated: list[str], ctx: Context) -> CheckResult | None:
    """A proof without numbers: for every undefined function, or where a series converges (the
    condition is the verdict's assumption unless the domains give it)."""
    not_sampled = (f"not sampled: {o.reason}",) if o.reason else ()
    if generic_zero(lhs, rhs):
        return CheckResult(Verdict.PROVED, "symbolic (generic)", f"proved {what_is_generic(lhs, rhs)}",
                           not_sampled, assumptions=tuple(stated))
    cond = zero_where(lhs, rhs)
    if cond is None:
        return None
    text = re.sub(r"Abs\(([^()]*)\)", r"|\1|", to_text(cond))  # |gamma| < 1
    if given_by(cond, ctx.effective_domains()):
        return CheckResult(Verdict.PROVED, "symbolic (generic)", f"proved symbolically where the sum converges "
                           f"({text}, which the stated domains give)", not_sampled, assumptions=tuple(stated))
    return CheckResult(Verdict.NEEDS_ASSUMPTION, "symbolic (generic)", f"holds only if {text} (proved under it: "
                       f"the sum converges only there)", not_sampled, assumptions=(*stated, text))


def sides_of(claim: Claim, reading: dict | None = None) -> tuple[sp.Basic, sp.Basic, set[int]]:
    """The claim's two sides with definitions substituted, and the definition lines used; with
    a ``reading`` (function → the case variant read in its place), renamed first."""
    used: set[int] = set()
    lhs = claim.group.first.expand(claim.lhs) if claim.role == "restatement" else claim.lhs
    if reading:
        lhs, rhs = (read_as(side, reading) for side in (lhs, claim.rhs))
        claim = replace(claim, rhs=rhs)
    lhs = substitute(lhs, claim.definitions, used)
    rhs = substitute(claim.rhs, claim.definitions, used)
    if loops := recursion.recursive(claim.definitions):
        lhs, rhs = recursion.unroll(lhs, rhs, loops, used)
        lhs, rhs = (substitute(side, claim.definitions, used) for side in (lhs, rhs))
    if claim.role == "restatement":
        used.add(claim.group.first.line)
    return lhs, rhs, used


def pair_call(job: PairJob) -> Call:
    """The ``check_pair`` call of a job, under the job's key."""
    return Call(check_pair, tuple(job), pair_key(job))


def apply_verdict(claim: Claim, v: CheckResult, used: Collection[int] = ()) -> None:
    """The claim takes the check's verdict: its reason (after the edge's ``why``, if any), its
    details, then which definitions it used, each a note of the message."""
    claim.verdict, claim.method = v.verdict, v.method
    claim.counterexample, claim.assumptions = v.counterexample, list(v.assumptions)
    why = claim.extra.get("why")
    claim.reason = f"{why}: {v.reason}" if why else v.reason
    claim.notes = list(v.details)
    claim.stopped = v.stopped
    mentioned = set().union(*(e.free_symbols for e in (claim.lhs, claim.rhs) if isinstance(e, sp.Basic)),
                            *(g.reference.body.free_symbols - set(g.reference.params) for g in claim.definitions
                              if g.reference.line in used and not g.first.value))  # a parameter is no use
    values = {g.first.line: g.first for g in claim.definitions if g.first.value and g.first.target in mentioned}
    claim.notes += [f"{_assigned(values[line])} from {line_words(line)}" for line in sorted(used) if line in values]
    others = sorted(line for line in used if line not in values)
    if others:
        claim.notes.append(f"uses the definitions at {lines_words(others)}")


def _assigned(d) -> str:
    """``x := 4``: the value a name was given (a setting's text says so already)."""
    return d.latex if ":=" in d.latex else d.latex.replace(" = ", " := ", 1)


def check_claims(claims: list[Claim], contexts: list[Context], opts: CheckOptions) -> None:
    """Check independent claims, ``opts.jobs`` worker processes at a time."""
    for claim, verdict in zip(claims, run_calls(claim_calls(claims, contexts, opts), opts)):
        apply_verdict(claim, verdict, verdict.used or ())


#: a bold capital (the matrix reading, whose refutations the prose next to the claim can withdraw), a
#: derivative or a norm (the prose may fix the layout or say the norm is spectral: ``check/layouts``)
_BOLD_CAPITAL = re.compile(r"\\(?:mathbf|boldsymbol|bm)\s*\{?\s*(?:[A-Z]|\\[A-Z])|\\nabla|\\partial|\\\||\\[lr]?Vert")


def claim_calls(claims: list[Claim], contexts: list[Context], opts: CheckOptions) -> list[Call]:
    """``check_claim`` calls for ``claims``, keyed: the definitions are substituted in the
    workers, so the key names what the substitution depends on (the definitions in force)."""
    calls = []
    for claim, ctx in zip(claims, contexts):
        first = claim.group.first if claim.role == "restatement" else None
        prose = nearby_prose(claim)
        key = (claim.lhs, claim.rhs, claim.role, first and (first.target, first.body, first.line),
               [(g.reference.target, g.reference.body, g.reference.line) for g in claim.definitions],
               claim.relation, claim.conditions, ctx, claim.latex,
               prose if _BOLD_CAPITAL.search(claim.latex) else "",  # the prose decides only there
               vectors.facts(claim, prose),  # patterns, declared matrices, the text's own norms (claims/patterns)
               einstein.stated(prose),  # repeated indices summed (check/einstein)
               str(layouts.stated_layout(prose)),  # the layout the prose fixes (``\frac{d}{d\mathbf x}``)
               facts_of(claim))  # stated laws, independence (proof/expectation)
        calls.append(Call(check_claim, (claim, ctx, opts), key))
    return calls


def check_claim(report, claim: Claim, ctx: Context, opts: CheckOptions) -> CheckResult:
    """``check_pair`` of the claim's sides with its definitions substituted; the verdict names
    the definition lines used (``used``), also in every partial report."""
    try:
        lhs, rhs, used = sides_of(claim)
    except Exception as exc:  # a definition that does not fit where it is used
        return CheckResult(Verdict.UNCHECKED, reason=f"cannot substitute the definitions: {exc}", used=())
    lines = tuple(sorted(used))
    report(Substituted(lines))
    # ``f(x+\epsilon) \approx f(x) + \epsilon f'(x)``, ``… = … + \mathcal{O}(\epsilon^2)``: up to higher orders
    v = taylor.routed(claim.role, claim.relation, lhs, rhs, claim.latex, opts.seed, ctx.vectors)
    if v is not None or claim.role == "approximation":
        return replace(v or CheckResult(Verdict.UNCHECKED, reason=claim.reason), used=lines)
    if why := recursion.hidden_dependence(lhs, rhs, recursion.recursive(claim.definitions)):
        return CheckResult(Verdict.UNCHECKED, reason=why, used=lines)
    # ``∂f/∂u`` with ``f(u, v)`` defined: read through the network of the definitions (check/dependence)
    if (chain := dependence.reading(lhs, rhs, claim.definitions, claim.relation, ctx.vectors)) is not None:
        return dependence.verdict(chain, lambda left, right, rep: check_pair(
            rep, left, right, claim.relation, claim.conditions, ctx, opts, claim.latex), report, lines)
    generic = claim.role == "derivation"
    ruled = probability_rules(lhs, rhs, claim.latex, facts_of(claim))  # P(A|B) = P(A,B)/P(B), linearity of E, Var, Cov
    lhs, rhs = ruled.lhs, ruled.rhs
    patterns, excluded = claim.extra.get("components", {}), claim.extra.get("not_vectors", frozenset())
    prose = nearby_prose(claim)
    if why := untied(lhs, rhs, patterns) or vectors.unread(lhs, rhs, claim.latex, prose,
                                                           claim.extra.get("defined", {})):
        return CheckResult(Verdict.UNCHECKED, reason=why, used=lines)

    if why := entries.redefined(claim):  # ``A = 3`` in force: the bare A is no matrix
        return CheckResult(Verdict.UNCHECKED, reason=why, used=lines)
    lhs, rhs, ties = entries.tie(lhs, rhs)  # u_{ik} as the entries of \mathbf U (check/entries)
    if einstein.stated(prose) and (summed := einstein.reading(*tie_bold(lhs, rhs, patterns)[:2])):  # x_i a_{ij} x_j
        v = _as_einstein(check_pair(lambda partial: None, *summed, claim.relation, claim.conditions, ctx, opts,
                                    claim.latex, generic))
        return replace(entries.named(v, ties, claim.latex), used=lines)

    def checked(left, right) -> CheckResult:  # bold names in norms and inner products read as vectors
        return as_vectors(lambda a, b, c, quiet: check_pair(
            (lambda partial: None) if quiet else lambda partial: report(replace(partial, used=lines)), a, b,
            claim.relation, claim.conditions, c, opts, claim.latex, generic), left, right, ctx, excluded)

    written, (lhs, rhs, tied) = (lhs, rhs), tie_bold(lhs, rhs, patterns)  # \mathbf{x} as the vector of its x_i
    try:
        v = layouts.in_layouts(checked, lhs, rhs, claim.latex, prose)  # by a vector: layouts
    except MemoryError:
        raise
    except Exception:  # the tied reading does not fit the claim (a vector where a number must be): as written
        if not tied:
            raise
        (lhs, rhs), tied = written, set()
        v = layouts.in_layouts(checked, lhs, rhs, claim.latex, prose)  # by a vector: layouts
    reading = case_reading(claim) if v.verdict in (Verdict.REFUTED, Verdict.UNCHECKED) else {}
    if reading:
        read = _checked_as_read(report, claim, ctx, opts, reading, generic)
        if read is not None and read.verdict in HOLDS_UNDER:
            return read
        if read is not None and read.verdict == Verdict.REFUTED:
            # literally unsure (a function the text does not define): the reading the text supports
            # decides; literally refuted: a detail
            v = read if v.verdict == Verdict.UNCHECKED else replace(v, details=(*v.details, read.reason))
    if v.verdict == Verdict.REFUTED:
        v = _supported(claim, ctx, opts, lhs, rhs, v, generic)
    v = layouts.named_readings(v, claim, prose, lhs, rhs)  # ‖M‖_2 of a matrix entrywise, H f(x) the Hessian
    if v.verdict in (Verdict.REFUTED, Verdict.NEEDS_ASSUMPTION) and (loops := recursion.mentioned(claim, (lhs, rhs),
                                                                                                used)):
        v = CheckResult(Verdict.UNCHECKED, reason=recursion.why_unrefuted(loops),
                        details=(f"as mathlint reads it, {v.reason}",), assumptions=v.assumptions)
    elif v.verdict in (Verdict.REFUTED, Verdict.NEEDS_ASSUMPTION) and (
            why := dependence.read_as_numbers(lhs, rhs, claim.definitions, claim.latex)):  # u bare, u(x) defined
        v = CheckResult(Verdict.UNCHECKED, reason=why, details=(f"as mathlint reads it, {v.reason}",),
                        assumptions=v.assumptions)
    elif v.verdict in HOLDS_UNDER and (why := ordered_product(*written, {*ctx.vectors, *tied,
                                                                         *vector_names(lhs, rhs, excluded)})):
        v = CheckResult(Verdict.UNCHECKED, reason=why, details=(f"as mathlint reads it: {v.reason}",),
                        assumptions=v.assumptions)
    v = entries.named(v, ties, claim.latex)  # the readings of matrix names it relies on
    return replace(by_the_rules(v, ruled.rules, ruled.constants, ruled.undecided, ruled.readings), used=lines)


def _as_einstein(v: CheckResult) -> CheckResult:
    """A verdict read with repeated indices summed, as the text says: named; a failure refutes nothing."""
    how = "reading each index repeated in a product as summed (Einstein's convention, which the text states)"
    if v.verdict in HOLDS_UNDER:
        return replace(v, reason=f"{how}: {v.reason}")
    return CheckResult(Verdict.UNCHECKED, reason=f"does not hold {how}" if v.verdict == Verdict.REFUTED else
                       f"{how}: {v.reason}", details=(f"so read, {v.reason}",) if v.verdict == Verdict.REFUTED
                       else v.details, assumptions=v.assumptions)


def _supported(claim: Claim, ctx: Context, opts: CheckOptions, lhs, rhs, v: CheckResult, generic: bool) -> CheckResult:
    """A refutation kept only under a reading the notation supports: a sum's scope widened to the
    terms using its index, ``\\sigma > 0``, or unchecked when it rests on a misreading (named)."""
    quiet = lambda partial: None  # noqa: E731 - the literal verdict was reported already
    wide = sum_scope(lhs), sum_scope(rhs)
    if wide != (lhs, rhs):
        w = check_pair(quiet, *wide, claim.relation, claim.conditions, ctx, opts, claim.latex, generic)
        if w.verdict in HOLDS_UNDER:
            return replace(w, reason=f"holds reading each sum as covering the terms after it that use its index: "
                                     f"{w.reason}", details=(*w.details, f"read literally, {v.reason}"))
    for name in positive_scales(lhs, rhs):
        pos = Assumption("positive", name, f"\\{name} > 0")
        w = check_pair(quiet, lhs, rhs, claim.relation, claim.conditions,
                       replace(ctx, assumptions=[*ctx.assumptions, pos]), opts, claim.latex, generic)
        if w.verdict in (Verdict.PROVED, Verdict.CONSISTENT):
            return replace(w, verdict=Verdict.NEEDS_ASSUMPTION, counterexample=v.counterexample,
                           reason=f"holds only if {pos.text} (a standard deviation): {w.reason}",
                           details=(f"without it {v.reason}",))
    why = misreading(claim, v.counterexample) or stated_value(lhs, rhs)
    if why:
        return CheckResult(Verdict.UNCHECKED, reason=why, details=(f"as mathlint reads it, {v.reason}",),
                           assumptions=v.assumptions)
    return v


def _checked_as_read(report, claim: Claim, ctx: Context, opts: CheckOptions, reading: dict,
                     generic: bool) -> CheckResult | None:
    """The claim's verdict with its case variants read as one name, the reading named in its
    reason (the case mismatch stays a notation finding, ML002); None when it cannot be read so."""
    try:
        lhs, rhs, used = sides_of(claim, reading)
    except Exception:  # a definition that does not fit the renamed call
        return None
    by_target: dict[str, list[str]] = {}
    for fn, canon in reading.items():
        by_target.setdefault(label(canon), []).append(f"`{label(fn)}`")
    how = "; ".join(f"{' and '.join(sorted(names))} as `{target}`" for target, names in sorted(by_target.items()))
    lines = tuple(sorted(used))

    def named(v: CheckResult) -> CheckResult:
        holds = v.verdict in HOLDS_UNDER
        head = f"holds reading {how} (case variants as one name)" if holds else f"reading {how}"
        return replace(v, used=lines, reason=f"{head}: {v.reason}")

    return named(check_pair(lambda partial: report(named(partial)), lhs, rhs, claim.relation, claim.conditions,
                            ctx, opts, claim.latex, generic))


def context_for(ctx: Context, claim: Claim) -> Context:
    from ..claims.assume import parse_assumption

    extra = [a for a in (parse_assumption(t) for t in claim.extra.get("assume", ())) if a]
    extra += [a for a in claim.hypotheses if a not in ctx.assumptions]
    return replace(ctx, assumptions=ctx.assumptions + extra) if extra else ctx
