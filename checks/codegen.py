"""Compile SymPy expressions into Python functions over NumPy arrays or mpmath numbers.

``lambdify`` prints each expression with SymPy's code printers, which order the terms of
every sum (``as_ordered_terms``): on the instantiated sides of a claim that printing cost
more than all the rest of a numeric check. This compiler walks each tree once, gives every
distinct subexpression one local variable (so the two sides share their common parts), and
knows the few node types the checker produces. Anything else raises :class:`Unsupported`
and the caller falls back to ``lambdify``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import sympy as sp


class Unsupported(Exception):
    """The expression has a node this compiler does not translate."""


#: SymPy function → name of the function in the target namespace (same name in NumPy and mpmath)
_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
              sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh", sp.asin: "asin", sp.acos: "acos",
              sp.atan: "atan", sp.Abs: "abs"}
_NUMPY_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "abs": "absolute"}


class _Emitter:
    def __init__(self, target: str, arg_names: dict):
        self.target, self.names = target, dict(arg_names)
        self.lines: list[str] = []
        self.consts: dict[str, object] = {}

    def const(self, value: sp.Number) -> str:
        """A name bound to a number: a NumPy float (no Python exceptions on 1/0), or for
        mpmath an expression evaluated at call time, at the caller's precision."""
        if self.target == "mpmath":
            if value.is_Integer:
                return f"mpf({int(value)})"
            if value.is_Rational:
                return f"(mpf({int(value.p)})/{int(value.q)})"
            return f"mpf({str(sp.Float(value, 50))!r})"
        name = f"_c{len(self.consts)}"
        self.consts[name] = float(value)
        return name

    def __call__(self, e: sp.Basic) -> str:
        got = self.names.get(e)
        if got is not None:
            return got
        code = self._code(e)
        if not e.args:
            self.names[e] = code
            return code
        name = f"_t{len(self.lines)}"
        self.lines.append(f"    {name} = {code}")
        self.names[e] = name
        return name

    def _code(self, e: sp.Basic) -> str:  # noqa: C901 - one case per node type
        if e.is_Number:
            if e in (sp.nan, sp.zoo, sp.oo, -sp.oo):
                raise Unsupported(str(e))
            return self.const(e)
        if e is sp.E:
            return "e"
        if e is sp.pi:
            return "pi"
        if isinstance(e, sp.Symbol):
            raise Unsupported(f"free symbol {e}")
        if isinstance(e, sp.Add):
            return "(" + " + ".join(self(a) for a in e.args) + ")"
        if isinstance(e, sp.Mul):
            return "(" + "*".join(self(a) for a in e.args) + ")"
        if isinstance(e, sp.Pow):
            base = self(e.base)
            if e.exp.is_Integer and abs(int(e.exp)) <= 64:
                return f"({base}**{int(e.exp)})"
            return f"({base}**{self(e.exp)})"
        fn = _FUNCTIONS.get(e.func)
        if fn is not None and len(e.args) == 1:
            if self.target == "numpy":
                fn = _NUMPY_NAMES.get(fn, fn)
            return f"{fn}({self(e.args[0])})"
        raise Unsupported(type(e).__name__)


def compile_exprs(syms: list[sp.Symbol], exprs: list[sp.Basic], target: str = "numpy") -> Callable:
    """``f(*values)`` → the list of the values of ``exprs`` (``target``: numpy or mpmath).
    Raises :class:`Unsupported` for a node it does not know."""
    args = [f"_v{k}" for k in range(len(syms))]
    em = _Emitter(target, dict(zip(syms, args)))
    outs = [em(sp.sympify(e)) for e in exprs]
    src = f"def _f({', '.join(args)}):\n" + "\n".join(em.lines) + \
        f"\n    return [{', '.join(outs)}]\n"
    namespace = _namespace(target)
    namespace.update(em.consts)
    exec(compile(src, "<mathlint-codegen>", "exec"), namespace)  # noqa: S102 - source built above
    return namespace["_f"]


@lru_cache(maxsize=2)
def _base_namespace(target: str) -> dict:
    """The names the generated code calls (``exp``, ``log``, … ``e``, ``pi``) in ``target``."""
    if target == "mpmath":
        import mpmath

        ns = {name: getattr(mpmath, name) for name in set(_FUNCTIONS.values()) - {"abs"}}
        ns.update(mpf=mpmath.mpf, e=mpmath.e, pi=mpmath.pi, abs=abs)
        return ns
    import numpy as np

    names = {_NUMPY_NAMES.get(name, name) for name in _FUNCTIONS.values()}
    return {name: getattr(np, name) for name in names} | {"e": np.float64(np.e), "pi": np.float64(np.pi)}


def _namespace(target: str) -> dict:
    return dict(_base_namespace(target))
