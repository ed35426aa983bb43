"""Walk SymPy trees as the graphs they are: a subexpression shared by many parents (as in
an instantiated derivative) is visited once, where ``atoms`` visits every occurrence."""

from __future__ import annotations

import sympy as sp


def subexpressions(exprs, types: tuple) -> set[sp.Basic]:
    """The distinct subexpressions of ``exprs`` that are instances of ``types``."""
    seen: set = set()
    out: set = set()
    stack = list(exprs)
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        if isinstance(e, types):
            out.add(e)
        stack.extend(e.args)
    return out
