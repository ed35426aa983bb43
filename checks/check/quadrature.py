"""Verdicts of claims with definite integrals or limits (computed by :mod:`mathlint.numeric.integrals`).

A quadrature is evidence, not proof: a claim that holds by it is ``consistent`` (named so), or
``proved`` when a symbolic proof follows (SymPy carrying the integrals out). A claim that fails
by it is left ``unchecked``, the failure a detail: a numeric integral or a limit refutes nothing.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from ..model import CheckResult, Verdict
from ..proof.generic import generic_zero, what_is_generic
from ..proof.rewrites import with_assumptions
from ..relations import RELATIONS


def checked(pair, report, lhs, rhs, relation, conditions, ctx, opts, key, generic) -> CheckResult:
    """``pair(report, lhs, rhs, …)`` (``check_pair``'s body) with limits read two-sided, its
    verdict named for the quadrature or limit it rests on; one that holds by quadrature alone is
    tried symbolically too, as the claims no number could check are."""
    lhs, rhs = two_sided(lhs), two_sided(rhs)
    v = verdict(pair(lambda partial: report(verdict(partial, lhs, rhs)), lhs, rhs, relation, conditions, ctx, opts,
                     key, generic), lhs, rhs)
    rel = RELATIONS[relation]
    if v.verdict != Verdict.CONSISTENT or v.method != "numeric" or not numeric_parts(lhs, rhs)[0] \
            or not (opts.prove and rel.provable and rel.signs and 0 in rel.signs and not conditions):
        return v
    report(v)  # a slow proof loses nothing
    if generic_zero(*with_assumptions([lhs, rhs], ctx.effective_domains(), {})):  # ``t > 0`` where stated
        return CheckResult(Verdict.PROVED, "symbolic (generic)", f"proved {what_is_generic(lhs, rhs)}",
                           (f"numerically, {v.reason}",), assumptions=v.assumptions)
    return v


def two_sided(e):
    """``e`` with each limit at a finite point two-sided: the reader writes ``\\lim_{x \\to 0}`` and
    ``\\lim_{x \\to 0^{+}}`` alike (``dir='+'``), and only the two-sided limit is sure to be meant."""
    if not isinstance(e, sp.Basic) or not e.has(sp.Limit):
        return e
    return e.replace(lambda n: isinstance(n, sp.Limit) and str(n.args[3]) == "+" and not n.args[2].has(sp.oo, -sp.oo),
                     lambda n: sp.Limit(n.args[0], n.args[1], n.args[2], "+-"))


def numeric_parts(lhs, rhs) -> tuple[bool, bool]:
    """Whether the sides hold a definite integral (computed by quadrature) and a limit."""
    sides = [s for s in (lhs, rhs) if isinstance(s, sp.Basic)]
    integral = any(i.limits and all(len(lim) == 3 for lim in i.limits) for s in sides for i in s.atoms(sp.Integral))
    return integral, any(s.has(sp.Limit) for s in sides)


def verdict(v: CheckResult, lhs, rhs) -> CheckResult:
    """``v`` named for the quadrature or limit it rests on; a refutation by either is withdrawn
    (unchecked, the failure a detail)."""
    integral, limit = numeric_parts(lhs, rhs)
    if not (integral or limit):
        return v
    how = " and ".join(w for w, on in (("numeric quadrature", integral), ("a limit carried out by SymPy", limit))
                       if on)
    if v.verdict == Verdict.REFUTED:
        return CheckResult(Verdict.UNCHECKED, reason=f"the sides differ by {how}, which mathlint does not take as a "
                           f"refutation", details=(f"as mathlint reads it, {v.reason}", *v.details),
                           assumptions=v.assumptions)
    if v.verdict == Verdict.UNCHECKED and v.reason.startswith("no point of the domain") and integral:
        return replace(v, reason="no point where the integral converged numerically and both sides are defined")
    if v.verdict == Verdict.PROVED and v.method in ("symbolic", "symbolic (instantiated)"):  # not generic
        done = "; ".join(w for w, on in (("its integrals compared unevaluated or differentiated by the fundamental "
                                          "theorem of calculus", integral), ("SymPy carried out the limit", limit))
                         if on)
        return replace(v, reason=f"{v.reason} ({done})")
    if v.method != "numeric" or "random smooth functions" in v.reason:  # symbolic, or the functions' own calculus
        return v
    if v.verdict == Verdict.CONSISTENT:
        return replace(v, reason=f"{v.reason} (by {how})")
    return v
