"""Differentiate instantiated expressions quickly: chain rule over the tree, each shared
subexpression differentiated once, results built without SymPy's automatic evaluation.

``sp.diff`` re-evaluates every intermediate product and sum (with assumption queries on
each), which made the derivative steps of a post the slowest part of a check. The trees
built here are the same mathematical expressions, left unsimplified; nodes outside the
known set (an undefined function, ``Piecewise``, …) are handed to ``sp.diff``.
"""

from __future__ import annotations

import sympy as sp

from ..expr.walk import unevaluated

_ZERO, _ONE = sp.S.Zero, sp.S.One


def _add(terms: list[sp.Basic]) -> sp.Basic:
    terms = [t for t in terms if t is not _ZERO]
    if not terms:
        return _ZERO
    return terms[0] if len(terms) == 1 else unevaluated(sp.Add, terms)


def _mul(factors: list[sp.Basic]) -> sp.Basic:
    if any(f is _ZERO for f in factors):
        return _ZERO
    factors = [f for f in factors if f is not _ONE]
    if not factors:
        return _ONE
    return factors[0] if len(factors) == 1 else unevaluated(sp.Mul, factors)


def _neg(e: sp.Basic) -> sp.Basic:
    return _mul([sp.S.NegativeOne, e])


def _d_pow(e: sp.Pow, d) -> sp.Basic:
    base, exp = e.args
    db, de = d(base), d(exp)
    out = []
    if db is not _ZERO:  # n·b^(n-1)·b'
        lower = exp - 1 if exp.is_Number else _add([exp, sp.S.NegativeOne])
        out.append(_mul([exp, sp.Pow(base, lower, evaluate=False), db]))
    if de is not _ZERO:  # b^e·log(b)·e'
        out.append(_mul([e, sp.log(base, evaluate=False), de]))
    return _add(out)


def _d_mul(e: sp.Mul, d) -> sp.Basic:
    args = e.args
    out = []
    for k, a in enumerate(args):
        da = d(a)
        if da is not _ZERO:
            out.append(_mul([*args[:k], da, *args[k + 1:]]))
    return _add(out)


#: node type → derivative of the node given ``d`` (the memoized derivative of a child)
_RULES = {
    sp.Add: lambda e, d: _add([d(a) for a in e.args]),
    sp.Mul: _d_mul,
    sp.Pow: _d_pow,
    sp.exp: lambda e, d: _mul([e, d(e.args[0])]),
    sp.log: lambda e, d: _mul([d(e.args[0]), sp.Pow(e.args[0], -1, evaluate=False)]) if len(e.args) == 1
    else sp.diff(e, d.var),
    sp.sin: lambda e, d: _mul([sp.cos(e.args[0], evaluate=False), d(e.args[0])]),
    sp.cos: lambda e, d: _neg(_mul([sp.sin(e.args[0], evaluate=False), d(e.args[0])])),
    sp.tanh: lambda e, d: _mul([_add([_ONE, _neg(sp.Pow(e, 2, evaluate=False))]), d(e.args[0])]),
}


class _Derivative:
    def __init__(self, var: sp.Symbol):
        self.var, self.memo = var, {}

    def __call__(self, e: sp.Basic) -> sp.Basic:
        got = self.memo.get(e)
        if got is None:
            got = self.memo[e] = self._of(e)
        return got

    def _of(self, e: sp.Basic) -> sp.Basic:
        if e.is_Atom:
            return _ONE if e == self.var else _ZERO
        rule = _RULES.get(type(e))
        if rule is None:
            return sp.diff(e, self.var)
        return rule(e, self)


def differentiate(e: sp.Basic, var: sp.Symbol, order: int = 1) -> sp.Basic:
    """``∂^order e / ∂var^order`` as an unevaluated tree (``var`` a plain symbol)."""
    for _ in range(order):
        e = _Derivative(var)(e)
    return e
