"""SymPy objects mathlint adds to what the LaTeX parser produces."""

from __future__ import annotations

import sympy as sp

#: upper bound of a sum written without limits (``\sum_j``): "the index's range"
SUM_BOUND = sp.Symbol("N_*", integer=True, positive=True)
#: ``\ldots`` in a list
ELLIPSIS = sp.Symbol("...")


class DerivativeWrt(sp.Function):
    """``∂f/∂g`` where ``g`` is an expression SymPy cannot differentiate by (``e^{o_i}``)."""

    nargs = 2

    def _latex(self, printer):
        f, g = self.args
        return r"\frac{\partial %s}{\partial %s}" % (printer._print(f), printer._print(g))


def name_of(e: sp.Basic) -> str | None:
    """The name of a symbol or of an indexed name's base (``w_{ij}`` → ``w``); None for anything else."""
    if isinstance(e, sp.Symbol):
        return e.name
    if isinstance(e, sp.Indexed):
        return str(e.base.label)
    return None


def conditional(name: str, event: str) -> sp.FunctionClass:
    """The function ``P(event | ·)``: prints as ``P(x)``, distinct per event."""
    return sp.Function(name, event=event)


def is_diff_variable(expr: sp.Basic) -> bool:
    return bool(getattr(expr, "_diff_wrt", False))


def derivative(f: sp.Basic, var: sp.Basic, order: int = 1) -> sp.Basic:
    """Unevaluated ∂^order f / ∂var^order (or :class:`DerivativeWrt` for non-variables)."""
    if is_diff_variable(var):
        return sp.Derivative(f, (var, order), evaluate=False)
    out = f
    for _ in range(order):
        out = DerivativeWrt(out, var)
    return out


class Component(sp.Function):
    """Component ``j`` (1-based) of a vector expression: ``Component(∇J, j)``."""

    nargs = 2


class RealSpace(sp.Function):
    """``\\mathbb{R}^{n \\times d}``: the real space of those sizes (its arguments, in order), as a
    declaration ``x \\in \\mathbb{R}^d`` states it; a space, never a number (nothing evaluates it)."""

    def _latex(self, printer):
        return r"\mathbb{R}^{%s}" % r" \times ".join(printer._print(a) for a in self.args)
