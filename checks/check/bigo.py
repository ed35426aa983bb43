r"""Equalities up to a remainder: ``f(x+\epsilon) = f(x) + \epsilon f'(x) + \mathcal{O}(\epsilon^2)``.

An equality with a term ``\mathcal{O}(\epsilon^k)`` (or ``O(…)``) beside a small increment asserts
that the other terms agree up to order ``k - 1`` in it; with ``o(\epsilon^k)``, up to order ``k``.
The reader takes the order symbol for a call of an undefined function (``\mathcal{O}(\epsilon^2)``),
so it is found here as such a call, at the top of a side's sum, of a power of the increments; the
claim is then the Taylor check of :mod:`.taylor` of the sides without it, to that order. An order
symbol of anything else (``\mathcal{O}(n \log n)``: a cost, ``\mathcal{O}(\eta^2 f'^2(x))``) is no
remainder in an increment and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.printing import to_text
from ..expr.walk import subexpressions

#: the names the reader gives the order symbols: big O (the remainder is of that order), little o
_BIG, _LITTLE = frozenset({"\\mathcal{O}", "O"}), frozenset({"o", "\\mathcal{o}"})


@dataclass(frozen=True)
class Remainder:
    """An order term the text adds: ``big`` (``\\mathcal{O}``) or not (``o``), of ``size``."""

    big: bool
    size: sp.Basic

    def kept(self, degree: int) -> int:
        """The order up to which the other terms must agree when ``size`` is of ``degree``."""
        return degree - 1 if self.big else degree

    @property
    def tex(self) -> str:
        size = re.sub(r"Norm\(([^(),]+), 2\)", r"‖\1‖", to_text(self.size)).replace("**", "^")
        return f"{'O' if self.big else 'o'}({size})"


def _order_term(e: sp.Basic) -> Remainder | None:
    """``\\mathcal{O}(\\epsilon^2)`` or a constant multiple of it, as a :class:`Remainder`."""
    coeff, rest = e.as_coeff_Mul() if isinstance(e, sp.Expr) else (1, e)
    if isinstance(rest, AppliedUndef) and len(rest.args) == 1 and coeff != 0:
        name = type(rest).__name__
        if name in _BIG or name in _LITTLE:
            return Remainder(name in _BIG, rest.args[0])
    return None


def is_order_call(e: sp.Basic) -> bool:
    return isinstance(e, AppliedUndef) and (type(e).__name__ in _BIG or type(e).__name__ in _LITTLE)


def split(side: sp.Basic) -> tuple[sp.Basic, list[Remainder]] | None:
    """The side without its order terms and the order terms; None when an order symbol sits
    elsewhere than as a term of the side's sum (inside a product or a call: not a remainder)."""
    if not isinstance(side, sp.Expr):  # an interval, a list: no remainder
        return side, []
    terms = sp.Add.make_args(side)
    kept, found = [], []
    for term in terms:
        r = _order_term(term)
        if r is not None:
            found.append(r)
        else:
            kept.append(term)
    if any(is_order_call(c) for c in subexpressions(kept, (AppliedUndef,))):
        return None
    return sp.Add(*kept), found


def remainders(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic, list[Remainder]] | None:
    """The sides without their order terms and those terms, or None (no order term, or one that
    is not a term of a sum)."""
    left, right = split(lhs), split(rhs)
    if left is None or right is None or not (left[1] or right[1]):
        return None
    return left[0], right[0], [*left[1], *right[1]]
