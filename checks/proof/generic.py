"""Proofs that need no numbers: claims about functions the text leaves undefined (the chain
rule ``\\frac{d}{dx} F(u(x)) = F'(u(x))\\,u'(x)``) and integrals or sums that differ only in
the name of their bound variable (``\\int_a^b f(x)\\,dx = \\int_a^b f(z)\\,dz``).

Such claims cannot be sampled (an undefined function has no values, an integral of one cannot
be computed), but a symbolic zero of the difference, with SymPy's undefined functions kept
generic, holds for every function: it proves the claim, and never refutes (a nonzero
difference of generic functions says nothing about the text's).
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.walk import atoms
from ..numeric.functions import of_a_bare_name
from ..numeric.integrals import UNSURE_IN_A_LIMIT, bounded
from .rewrites import is_zero

#: what the numeric check cannot sample, and a generic proof handles
_UNSAMPLED = (AppliedUndef, sp.Derivative, sp.Integral, sp.Sum, sp.Product, sp.Limit)
#: seconds for the rewrites of a difference with an integral or a limit (``simplify`` would
#: integrate a step function or ``\frac{\sin x}{x}`` for as long as it takes)
CALCULUS_SECONDS = 3.0


def generic_zero(lhs: sp.Basic, rhs: sp.Basic) -> bool:
    """Whether ``lhs = rhs`` for every function left undefined: the same up to renaming bound
    variables, or a difference that is zero once derivatives are carried out."""
    if isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase):  # ``\begin{bmatrix}…`` entry by entry
        return lhs.shape == rhs.shape and all(generic_zero(a, b) or is_zero(a - b) for a, b in zip(lhs, rhs))
    if not (isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr)):  # a vector (Tuple) or a set is no case
        return False
    if not any(side.has(*_UNSAMPLED) for side in (lhs, rhs)):  # nothing here stopped the numbers: a number
        return False  # too large to compute, a point outside every domain (nothing to prove generically)
    if lhs.as_dummy() == rhs.as_dummy():
        return True
    if of_a_bare_name(lhs) or of_a_bare_name(rhs) or _a_limit_at_a_jump(lhs) or _a_limit_at_a_jump(rhs):
        return False
    if any(side.has(sp.Integral, sp.Limit) for side in (lhs, rhs)):
        return bool(bounded(lambda: _zero_difference(lhs, rhs), CALCULUS_SECONDS))
    return _zero_difference(lhs, rhs)


def _a_limit_at_a_jump(e: sp.Expr) -> bool:
    """Whether ``e`` has a limit of a function with cases, a sign or a step: SymPy takes such a
    limit as the value at the point (``\\lim_{x \\to 0}`` of x² for x ≠ 0, 5 at 0, comes out 5)."""
    return any(lim.args[0].has(*UNSURE_IN_A_LIMIT) for lim in e.atoms(sp.Limit))


def _zero_difference(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """Whether ``lhs - rhs`` rewrites to zero once its derivatives are carried out."""
    try:
        d = sp.Add(lhs, -rhs)
        d = d.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())
        return is_zero(d.as_dummy())
    except MemoryError:  # the worker's memory limit: its verdict names it
        raise
    except Exception:  # SymPy could not carry a derivative out (a RecursionError too): no proof
        return False


def what_is_generic(lhs: sp.Basic, rhs: sp.Basic) -> str:
    """How the proof's claim holds: for every undefined function it uses, up to the names of bound
    variables, or with its integrals, sums and limits carried out symbolically."""
    names = sorted({type(f).__name__ for f in atoms(lhs, AppliedUndef) | atoms(rhs, AppliedUndef)})
    if names:
        return f"for every function {', '.join(names)} (the text does not define {'it' if len(names) == 1 else 'them'})"
    if lhs.as_dummy() == rhs.as_dummy():
        return "symbolically: the sides are the same expression (up to the names of bound variables)"
    return "symbolically, carrying out the integrals, sums and limits"


def zero_where(lhs: sp.Basic, rhs: sp.Basic) -> sp.Basic | None:
    """The condition under which the sides agree once their sums are carried out, when SymPy gives
    the sum only under one (``1 + \\gamma + \\gamma^2 + \\ldots = \\frac{1}{1-\\gamma}`` for ``|\\gamma| < 1``:
    the first branch of a ``Piecewise``); None when there is no such condition or the sides differ on it."""
    if not (isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr)) or not (lhs.has(sp.Sum) or rhs.has(sp.Sum)):
        return None
    try:
        d = sp.piecewise_fold(sp.Add(lhs, -rhs).doit())
        if not isinstance(d, sp.Piecewise) or d.args[0].cond in (sp.true, sp.false):
            return None
        return d.args[0].cond if is_zero(d.args[0].expr) else None
    except MemoryError:  # the worker's memory limit: its verdict names it
        raise
    except Exception:  # SymPy could not carry a sum out: no proof
        return None


def given_by(cond: sp.Basic, domains: dict[str, str]) -> bool:
    """Whether the names' domains make ``cond`` true (a probability ``\\gamma`` gives ``|\\gamma| < 1``)."""
    def stand_in(s: sp.Symbol) -> sp.Basic:  # one positive t per name, as positivity.requirements does
        t = sp.Dummy(f"t_{s.name}", positive=True)
        return 1 / (1 + t) if domains[s.name] == "probability" else t

    subs = {s: stand_in(s) for s in cond.free_symbols if domains.get(s.name) in ("probability", "positive")}
    return bool(subs) and cond.subs(subs) is sp.true

