r"""Einstein's convention, where the text states it: an index repeated within one product is summed
(``x_i a_{ij} x_j`` is ``\sum_i \sum_j x_i a_{ij} x_j``), over the range of an unbounded ``\sum_i``.

Read only when the prose around the claim names the convention; a claim that holds so is
proved or consistent under that reading (named), one that fails so refutes nothing.
"""

from __future__ import annotations

import re
from collections import Counter

import sympy as sp

from ..expr.symbols import SUM_BOUND
from ..expr.walk import subexpressions

#: prose that says repeated indices are summed
STATED = re.compile(r"Einstein|summation convention|repeated ind\w* (?:are |is )?summ", re.IGNORECASE)


def stated(prose: str) -> bool:
    return bool(STATED.search(prose))


def summed(e: sp.Basic) -> sp.Basic:
    """``e`` with each product's repeated indices summed over ``1 … N_*`` (products inside a
    derivative too; the variable of a derivative is never summed)."""
    if isinstance(e, sp.Add):
        return sp.Add(*[summed(a) for a in e.args], evaluate=False)
    if isinstance(e, sp.Derivative):
        return sp.Derivative(summed(e.expr), *e.variable_count, evaluate=False)
    if isinstance(e, sp.Mul):
        return _summed_product(e)
    if isinstance(e, sp.Indexed):
        return e
    if e.args and not isinstance(e, (sp.Sum, sp.Product)):
        args = [summed(a) for a in e.args]
        return e if args == list(e.args) else e.func(*args, evaluate=False)
    return e


def _summed_product(m: sp.Mul) -> sp.Basic:
    bound = {v for s in subexpressions([m], (sp.Sum, sp.Product)) for v, *_ in s.limits}
    by = {v for d in subexpressions([m], (sp.Derivative,)) for v in d.variables}  # ``dx_i/dx_k``: k is free
    count: Counter = Counter()
    for factor in m.args:
        count.update({s for i in subexpressions([factor], (sp.Indexed,)) if i not in by
                      for s in i.indices if isinstance(s, sp.Symbol)} - bound)
    repeated = sorted((s for s, n in count.items() if n >= 2), key=lambda s: s.name)
    if not repeated:
        return m
    return sp.Sum(m, *[(s, 1, SUM_BOUND) for s in repeated])


def reading(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic] | None:
    """The sides with repeated indices summed, or None when nothing is repeated."""
    out = summed(lhs), summed(rhs)
    return None if out == (lhs, rhs) else out
