"""Case variants of undefined functions read as one name: a claim that holds so is not refuted
(the mismatch is a notation finding, ML002, not a wrong identity)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.walk import replace as replace_nodes
from ..expr.walk import subexpressions

if TYPE_CHECKING:
    from ..claims.build import Claim


def label(fn) -> str:
    """An undefined function's name as the notation findings write it: ``H(·)``, ``P(Y=1|·)``."""
    event = getattr(fn, "_kwargs", {}).get("event")
    return f"{fn.__name__}({event}|·)" if event else f"{fn.__name__}(·)"


def case_reading(claim: Claim) -> dict:
    """Undefined functions of the claim that differ from another of its functions, or a defined
    one, only in case (``p(Y=1|x)``, ``P(y=1|x)`` beside ``P(Y=1|x)``) → the one read in their
    place: the defined one, else the first by name."""
    calls = {type(a) for side in (claim.lhs, claim.rhs) if side is not None
             for a in subexpressions([side], (AppliedUndef,))}
    defined = {type(g.reference.target) for g in claim.definitions if isinstance(g.reference.target, AppliedUndef)}
    groups: dict[str, set] = {}
    for fn in calls | defined:
        groups.setdefault(label(fn).lower(), set()).add(fn)
    out = {}
    for group in groups.values():
        if len({label(fn) for fn in group}) < 2 or not group & calls:
            continue
        canon = min(group, key=lambda fn: (fn not in defined, label(fn)))
        out.update({fn: canon for fn in group & calls if label(fn) != label(canon)})
    return out


def read_as(expr: sp.Basic, reading: dict) -> sp.Basic:
    return replace_nodes(expr, lambda e: isinstance(e, AppliedUndef) and type(e) in reading,
                         lambda e: reading[type(e)](*e.args), evaluate=False)
