"""Evaluate SymPy expressions over NumPy arrays or mpmath numbers, fast.

``lambdify`` prints each expression with SymPy's code printers, which order the terms of
every sum (``as_ordered_terms``): on the instantiated sides of a claim that printing cost
more than all the rest of a numeric check, and compiling the printed source cost most of the
rest. This module walks each tree once, gives every distinct subexpression one register (so
the two sides share their common parts) and lists the operations in order; running them is
a loop over that list, with nothing printed or compiled. It knows the few node types the
checker produces; anything else raises :class:`Unsupported` and the caller falls back to
``lambdify``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import sympy as sp

from ..runtime.memo import cached
from .integrals import NotNumeric, Quadrature, operands


class Unsupported(Exception):
    """The expression has a node this compiler does not translate."""


#: SymPy function → name of the function in the target namespace (same name in NumPy and mpmath)
_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
              sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh", sp.asin: "asin", sp.acos: "acos",
              sp.atan: "atan", sp.Abs: "abs", sp.gamma: "gamma"}
#: nodes computed through the gamma function (``n! = \\Gamma(n + 1)``): defined at every real point but
#: the negative integers, so both sides of ``\\binom{n}{k} = \\frac{n!}{k!(n-k)!}`` compare at random reals
_VIA_GAMMA = (sp.factorial, sp.binomial)
_NUMPY_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "abs": "absolute"}


_ADD, _MUL, _POWI, _POW, _CALL = range(5)


class _Builder:
    """Gives each distinct subexpression a register and lists the operations that fill them,
    operands first. Registers: the arguments, then constants and results as they come."""

    def __init__(self, target: str, syms: list):
        self.target, self.size = target, len(syms)
        self.regs: dict = {s: k for k, s in enumerate(syms)}  # expression → register
        self.ops: list[tuple] = []  # (register, kind, operands)
        self.consts: list[tuple] = []  # (register, value or a function giving it)

    def __call__(self, e: sp.Basic) -> int:
        got = self.regs.get(e)
        if got is None:
            got = self.regs[e] = self._code(e)
        return got

    def _new(self) -> int:
        self.size += 1
        return self.size - 1

    def _op(self, kind: int, operands: tuple) -> int:
        reg = self._new()
        self.ops.append((reg, kind, operands))
        return reg

    def _const(self, value) -> int:
        reg = self._new()
        self.consts.append((reg, value))
        return reg

    def _code(self, e: sp.Basic) -> int:  # noqa: C901 - one case per node type
        if e.is_Number:
            if e in (sp.nan, sp.zoo, sp.oo, -sp.oo):
                raise Unsupported(str(e))
            return self._const(_number(e, self.target))
        if e is sp.E or e is sp.pi:
            return self._const(_base_namespace(self.target)["e" if e is sp.E else "pi"])
        if isinstance(e, sp.Symbol):
            raise Unsupported(f"free symbol {e}")
        if isinstance(e, (sp.Add, sp.Mul)):
            return self._op(_ADD if isinstance(e, sp.Add) else _MUL, tuple(self(a) for a in e.args))
        if isinstance(e, sp.Pow):
            base = self(e.base)
            if e.exp.is_Integer and abs(int(e.exp)) <= 64:
                return self._op(_POWI, (base, int(e.exp)))
            return self._op(_POW, (base, self(e.exp)))
        if isinstance(e, _VIA_GAMMA):
            return self(e.rewrite(sp.gamma))
        if isinstance(e, sp.KroneckerDelta) and len(e.args) == 2:  # ``\\mathbf{1}(a = b)``: 1 where equal
            return self._op(_CALL, (_base_namespace(self.target)["delta"], *(self(a) for a in e.args)))
        if isinstance(e, (sp.Integral, Quadrature)):  # by quadrature at each point (numeric/integrals)
            try:
                return self._op(_CALL, operands(e, self.target, self, compile_exprs))
            except NotNumeric as exc:
                raise Unsupported(str(exc)) from None
        fn = _FUNCTIONS.get(e.func)
        if fn is not None and len(e.args) == 1:
            if self.target == "numpy":
                fn = _NUMPY_NAMES.get(fn, fn)
            return self._op(_CALL, (_base_namespace(self.target)[fn], self(e.args[0])))
        raise Unsupported(type(e).__name__)


def _number(value: sp.Number, target: str):
    """A number as the target computes with it: a float, or for mpmath a function giving it
    at the caller's precision (evaluated at each call)."""
    if target != "mpmath":
        return float(value)
    import mpmath

    if value.is_Integer:
        i = int(value)
        return lambda: mpmath.mpf(i)
    if value.is_Rational:
        p, q = int(value.p), int(value.q)
        return lambda: mpmath.mpf(p) / q
    text = str(sp.Float(value, 50))
    return lambda: mpmath.mpf(text)


class Program:
    """``program(*values)`` → the list of the values of the expressions it was built for."""

    def __init__(self, b: _Builder, outs: list[int], n_args: int):
        self.ops, self.consts, self.outs = b.ops, b.consts, outs
        self.n_args, self.size = n_args, b.size
        self.lazy = b.target == "mpmath"

    def __call__(self, *values):
        reg = list(values) + [None] * (self.size - self.n_args)
        for r, v in self.consts:
            reg[r] = v() if self.lazy and callable(v) else v
        for r, kind, x in self.ops:
            if kind == _ADD:
                acc = reg[x[0]]
                for a in x[1:]:
                    acc = acc + reg[a]
            elif kind == _MUL:
                acc = reg[x[0]]
                for a in x[1:]:
                    acc = acc * reg[a]
            elif kind == _POWI:
                acc = reg[x[0]] ** x[1]
            elif kind == _POW:
                acc = reg[x[0]] ** reg[x[1]]
            else:
                acc = x[0](*(reg[a] for a in x[1:]))
            reg[r] = acc
        return [reg[o] for o in self.outs]


def compile_exprs(syms: list[sp.Symbol], exprs: list[sp.Basic], target: str = "numpy") -> Callable:
    """``f(*values)`` → the list of the values of ``exprs`` (``target``: numpy or mpmath).
    Raises :class:`Unsupported` for a node it does not know."""
    b = _Builder(target, list(syms))
    outs = [b(sp.sympify(e)) for e in exprs]
    return Program(b, outs, len(syms))


@cached("codegen-namespaces", maxsize=2)
def _base_namespace(target: str) -> dict:
    """The functions and constants of ``target`` by name (``exp``, ``log``, … ``e``, ``pi``)."""
    if target == "mpmath":
        import mpmath

        ns = {name: getattr(mpmath, name) for name in set(_FUNCTIONS.values()) - {"abs"}}
        ns.update(e=mpmath.e, pi=mpmath.pi, abs=abs, delta=lambda a, b: mpmath.mpf(a == b))
        return ns
    import numpy as np

    names = {_NUMPY_NAMES.get(name, name) for name in _FUNCTIONS.values()} - {"gamma"}
    return {name: getattr(np, name) for name in names} | {"e": np.float64(np.e), "pi": np.float64(np.pi),
                                                          "gamma": np.vectorize(_gamma, otypes=[float]),
                                                          "delta": lambda a, b: np.equal(a, b).astype(float)}


def _gamma(x: float) -> float:
    """``math.gamma``, NaN at its poles and beyond the float range (a point to skip, not an error)."""
    try:
        return math.gamma(x)
    except (ValueError, OverflowError):
        return math.nan
