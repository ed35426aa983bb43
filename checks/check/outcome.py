"""A relation's evaluation (:class:`~mathlint.check.relation.Outcome`) as a verdict: what holds,
what is refuted with its counterexample, and what rests on mathlint's own guess (unchecked)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..model import CheckResult, Verdict
from ..numeric.functions import DRAWS, draw, free_functions
from ..relations import Relation
from .relation import Outcome, Setting, evaluate, rng_for

NO_PROOF = "no symbolic proof found"  # the detail of a numeric-only verdict, dropped when the proof ran out
#: verdicts of a claim that holds (under an assumption it names, for needs-assumption): another
#: reading with one of them is the reading the notation supports
HOLDS_UNDER = (Verdict.PROVED, Verdict.CONSISTENT, Verdict.NEEDS_ASSUMPTION)


def sizes_text(o: Outcome) -> str:
    if not o.instantiated:
        return ""
    syms = ", ".join(sorted(str(s) for s in o.size_symbols))
    what = f"{syms} = " if syms else "size "
    return f" at {what}{', '.join(map(str, o.sizes))}" + (" (sampled index values)" if o.sampled_indices else "")


def unsure(o: Outcome, generic: bool = False) -> str | None:
    """Why a failure rests on mathlint's own guess rather than on the text, or None: shapes it
    inferred (``x`` and ``x_i`` may be different objects; ``i = 1,\\ldots,n`` is a range), or
    the values of a function the text never defines (``H(X)``), unless the claim quantifies
    over its functions (``generic``: an encoded derivation names them as the post's)."""
    ce = o.counterexample or {}
    if "shape" in ce:
        return f"the shapes do not fit under mathlint's reading: {ce['shape']}"
    if o.depends_on and not generic:
        return f"depends on {', '.join(o.depends_on)}, which the text does not define"
    if "..." in (ce.get("values") or {}):  # ``\ldots`` read as one unknown number: its value decided it
        return "depends on `\\ldots`, which mathlint reads as an unknown number, not as the terms it stands for"
    return None


def verdict_of_outcome(o: Outcome, extra: Sequence[str] = (), generic: bool = False) -> CheckResult:
    assumptions = tuple(extra)
    if o.status == "holds":
        if o.proved and o.requires:  # a proof that split logs of arguments of unknown sign
            needed = ", ".join(sorted(o.requires))
            return CheckResult(Verdict.NEEDS_ASSUMPTION, "symbolic" + (" (instantiated)" if o.instantiated else ""),
                               f"holds only if {needed} (proved under it{sizes_text(o)}: the proof splits logs)",
                               assumptions=(*assumptions, needed))
        if o.proved:
            return CheckResult(Verdict.PROVED, "symbolic" + (" (instantiated)" if o.instantiated else ""),
                               "proved" + sizes_text(o), assumptions=assumptions)
        if o.reason:  # decided otherwise than at random points (an approximation to its digits)
            return CheckResult(Verdict.CONSISTENT, "numeric", o.reason, assumptions=assumptions)
        return CheckResult(Verdict.CONSISTENT, "numeric", f"holds at {o.points} random points{sizes_text(o)}",
                           (NO_PROOF,), assumptions=assumptions)
    why = unsure(o, generic) if o.status == "fails" else None
    if why:  # not sure enough to refute: unchecked, with what the values drawn gave as a detail
        details = (f"as mathlint reads it, {refutation(o.counterexample)}",) if o.depends_on else ()
        return CheckResult(Verdict.UNCHECKED, reason=why, details=details, assumptions=assumptions)
    if o.status == "fails":
        # an exact refutation's note is "what; e.g. at …", kept whole in the counterexample (the JSON
        # output shows it as it is): its example point is a detail, as the reports have always cut it
        reason, _, point = refutation(o.counterexample).partition("; ")
        return CheckResult(Verdict.REFUTED, "numeric", reason, (point,) if point else (),
                           counterexample=o.counterexample, assumptions=assumptions)
    return CheckResult(Verdict.UNCHECKED, reason=o.reason, assumptions=assumptions)


def refutation(ce: dict | None) -> str:
    if not ce:
        return "the sides differ"
    if "shape" in ce:
        return f"the shapes do not fit: {ce['shape']}"
    if "finite_difference" in ce:
        return (f"component {ce['component']} of the derivative is wrong: finite differences give "
                f"{ce['finite_difference']}, the claimed expression {ce['claimed']}")
    if "lhs" in ce:
        comp = f" (component {ce['component']})" if ce.get("component") else ""
        if ce["lhs"] == ce["rhs"]:  # a strict inequality (or ≠) that fails where the sides are equal
            return f"the relation fails where the sides are equal{comp}: both are {ce['lhs']} at {_point(ce)}"
        return f"the sides differ{comp}: left = {ce['lhs']}, right = {ce['rhs']} at {_point(ce)}"
    return ce.get("note", "the sides differ")


def _point(ce: dict, limit: int = 6) -> str:
    items = list(ce.get("instance", {}).items()) + list(ce.get("values", {}).items())
    shown = ", ".join(f"{k} = {v}" for k, v in items[:limit])
    return shown + (", …" if len(items) > limit else "")


def with_random_functions(lhs, rhs, rel: Relation, conditions, setting: Setting, key: str) -> CheckResult | None:
    """The claim with random smooth functions in place of the functions the text leaves
    undefined (``key``: the claim's LaTeX, which seeds them): consistent when it holds for every
    draw, never proved (a sample of functions) nor refuted (a failure is about the text's own
    function); unchecked with the failure as a detail; None when no draw can be made. Equations
    only: the functions drawn are bounded on the points sampled, so an inequality that holds
    for all of them (``|f'(x)| \\le 10``) may fail for others."""
    d = free_functions(lhs, rhs, key, setting.vectors) if rel.equality else None
    if d is None:
        return None
    rng = rng_for(setting.seed, f"functions: {key}")
    names = ", ".join(d.names)
    sampled = replace(setting, prove=False)
    o = None
    for _ in range(DRAWS):
        sides = draw(d, rng)
        if sides is None:
            return None
        o = evaluate(*sides, rel, conditions, sampled, key)
        if o.status != "holds":
            return CheckResult(Verdict.UNCHECKED, details=(f"fails with random functions in place of {names}",)) \
                if o.status == "fails" and "shape" not in (o.counterexample or {}) else None
    them = "it" if len(d.names) == 1 else "them"
    read = "".join(f", reading `{n}(…)` as a call of {n}" for n in d.reread)  # not as a product
    return CheckResult(Verdict.CONSISTENT, "numeric", f"holds numerically with random smooth functions in place of "
                       f"{names} (the text does not define {them}; {DRAWS} draws{read}){sizes_text(o)}", (NO_PROOF,))
