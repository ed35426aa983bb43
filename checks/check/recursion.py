"""Recursive definitions (``a_t = 2 a_{t-1}``, ``h_t = f(x_t, h_{t-1}, w)``) in the claims that use them.

Substituted like other definitions, a recursion never ends: ``a_{t-1}`` in its own body is
replaced again and again until the index leaves its range. Instead it is unrolled on both sides
of a claim together, the occurrences with the highest index first, until every occurrence has the
same index (``a_5 + 1 = 2 a_4 + 1``: ``a_5`` becomes ``2 a_4``, and the sides agree). Substituting a
definition keeps an identity true, so a proof through an unrolling holds; a difference does not
refute: the occurrences left (``a_2`` beside ``a_0``) are tied by the recursion, not independent.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from ..claims.build import Claim, Definition, DefinitionGroup
from ..expr.symbols import DerivativeWrt
from ..expr.walk import replace as replace_nodes
from ..expr.walk import subexpressions
from ..model import lines_words

MAX_UNROLLS = 8  # per recursive definition and claim


def recursive(groups: list[DefinitionGroup]) -> list[Definition]:
    """The recursive definitions in force."""
    return [g.reference for g in groups if g.reference.recursive]


def _key(e: sp.Basic) -> tuple:
    """The indices or arguments of an occurrence, as values (``(t - 1) - 1`` is ``t - 2``)."""
    return tuple(sp.expand(a.doit()) for a in (e.indices if isinstance(e, sp.Indexed) else e.args))


def _offsets(keys: list[tuple]) -> list[int] | None:
    """How far each key lies from the first (``t`` and ``t - 1``: 0 and -1); None when two are not a
    whole number of steps apart (``a_t`` beside ``a_s``)."""
    out = []
    for k in keys:
        steps = [sp.expand(a - b) for a, b in zip(k, keys[0])]
        if len(k) != len(keys[0]) or not all(s.is_Integer for s in steps):
            return None
        out.append(int(sum(steps)))
    return out


def unroll(lhs: sp.Basic, rhs: sp.Basic, definitions: list[Definition], used: set[int]) -> tuple[sp.Basic, sp.Basic]:
    """Both sides with each recursive definition unrolled where it has the highest index, until
    every occurrence has one index (or the occurrences are not comparable)."""
    for d in definitions:
        for _ in range(MAX_UNROLLS):
            found = sorted({n for n in subexpressions([lhs, rhs], (sp.Indexed, AppliedUndef)) if d.matches(n)},
                           key=sp.default_sort_key)
            keys = sorted({_key(n) for n in found}, key=sp.default_sort_key)
            offsets = _offsets(keys) if len(keys) > 1 else None
            if offsets is None:
                break
            top = {k for k, o in zip(keys, offsets) if o == max(offsets)}
            lhs, rhs = (replace_nodes(side, lambda n, d=d, top=top: d.matches(n) and _key(n) in top, d.expand,
                                      evaluate=False) for side in (lhs, rhs))
            used.add(d.line)
    return lhs, rhs


def hidden_dependence(lhs: sp.Basic, rhs: sp.Basic, definitions: list[Definition]) -> str | None:
    """A derivative of a term of a recursion left after unrolling (``\\partial h_{t-1}/\\partial w``) by a
    name its body uses: the term depends on it through earlier terms, which SymPy would take as 0."""
    if not definitions:
        return None
    uses = [d.body.free_symbols | {i.base.label for i in subexpressions([d.body], (sp.Indexed,))}
            for d in definitions]  # what each body depends on, once
    for der in sorted(subexpressions([lhs, rhs], (sp.Derivative, DerivativeWrt)), key=sp.default_sort_key):
        inside = sorted(subexpressions([der.args[0]], (sp.Indexed, AppliedUndef)), key=sp.default_sort_key)
        by = [v for v in der.args[1:] for v in ([v[0]] if isinstance(v, sp.Tuple) else [v])]
        for d, used_by_body in zip(definitions, uses):
            term = next((n for n in inside if d.matches(n)), None)
            if term is not None and any(v.free_symbols & used_by_body for v in by):
                return (f"`{term}` is a term of the recursion defined at {lines_words([d.line])}: how it depends on "
                        f"{', '.join(str(v) for v in by)} through the earlier terms is not unrolled")
    return None


def mentioned(claim: Claim, sides: tuple[sp.Basic, ...], used: set[int]) -> list[int]:
    """Lines of the recursive definitions a claim's check went through (used, or named in its sides)."""
    nodes = subexpressions([claim.lhs, claim.rhs, *sides], (sp.Indexed, AppliedUndef))
    return sorted({d.line for d in recursive(claim.definitions)
                   if d.line in used or any(d.matches(n) for n in nodes)})


def why_unrefuted(lines: list[int]) -> str:
    return (f"uses the recursive definition at {lines_words(lines)}: its terms at different indices are tied by "
            f"it, and mathlint reads the ones left after unrolling as independent unknowns")
