"""``\\approx`` between constants, decided to the precision the text writes.

``\\sqrt{5} \\approx 2.2`` is true: 2.236… rounds to 2.2 at the one decimal written. A fixed
relative tolerance cannot say so (1.6 % here, 3.4 % for ``e^{-2} \\approx 0.14``), so a
written number decides its own precision: the place of its last significant digit, i.e. its
number of decimals (``0.14``: 2), or for a decimal with no fraction its last nonzero digit
(``1.2 \\times 10^5``: ten thousands). An integer shows no precision (``3 \\approx \\pi`` is left
to the registry's tolerance). The relation holds when the other side is within
half a unit of that place of the written number (rounding, ties allowed); when both sides are
written numbers, the less precise one's place decides. A side with no written number leaves
it to sampling with the registry's tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .exact import DIGITS, Decision, TooLarge, _decimal, _exact_decimals, _real, _show_float, rational_value, show

_MAX_PLACES = 20  # decimals looked for in a written number


@dataclass(frozen=True)
class Written:
    """A number as written: its exact value and the place of its last significant digit
    (decimals: 2 for ``0.14``, 0 for ``7``, -3 for ``1000``)."""

    value: sp.Rational
    place: int

    @property
    def half_unit(self) -> sp.Rational:
        return sp.Rational(1, 2) * sp.Rational(10) ** -self.place

    def precision(self) -> str:
        if self.place > 0:
            return f"{self.place} decimal{'s' if self.place > 1 else ''}, as written in {self}"
        if self.place == 0:
            return f"whole units, as written in {self}"
        return f"the nearest {10 ** -self.place}, as written in {self}"

    def __str__(self) -> str:
        return _fixed(self.value, max(self.place, 0))

    def rounded(self, v: sp.Basic) -> str:
        """``v`` rounded to this place, as a reader writes it."""
        return _fixed(v, self.place)


def _fixed(v: sp.Basic, place: int) -> str:
    """``v`` rounded to ``place`` decimals (half up), written out: ``0.08``, ``1000``."""
    n = int(sp.floor(v * sp.Rational(10) ** place + sp.Rational(1, 2)))
    if place <= 0:
        return str(n * 10 ** -place)
    digits = str(abs(n)).zfill(place + 1)
    return f"{'-' if n < 0 else ''}{digits[:-place]}.{digits[-place:]}"


def _text(v: sp.Basic) -> str:
    """A value as a reader writes it: a terminating decimal in full, anything else to 6 digits."""
    if v.is_Rational:
        place = _place(v)
        return _fixed(v, max(place, 0)) if (v * sp.Rational(10) ** place).is_Integer else show(v)
    return _show_float(v)


def written(e: sp.Basic) -> Written | None:
    """A side that is one decimal number as written (possibly negative)."""
    if isinstance(e, sp.Mul) and len(e.args) == 2 and e.args[0] == -1:
        w = written(e.args[1])
        return Written(-w.value, w.place) if w else None
    r = _decimal(e) if isinstance(e, sp.Float) else None  # an integer (``3 \\approx \\pi``) shows no precision
    return Written(r, _place(r)) if r is not None else None


def _place(r: sp.Rational) -> int:
    for k in range(_MAX_PLACES + 1):
        if (r * 10 ** k).is_Integer:
            break
    if k or r == 0:
        return k
    n, zeros = abs(int(r)), 0
    while n % 10 == 0:
        n, zeros = n // 10, zeros + 1
    return -zeros


def _value(e: sp.Basic):
    """The exact value of a constant side (written decimals exact), or 30 digits of it."""
    read = _exact_decimals(e)
    try:
        v = rational_value(read.expr)
    except TooLarge:
        return None
    if v is not None:
        return v
    try:
        return _real(read.expr, DIGITS, False)
    except (ValueError, TypeError, ArithmeticError):
        return None


def decide_approximation(lhs: sp.Basic, rhs: sp.Basic) -> Decision:
    """``lhs \\approx rhs`` between constants: ``holds`` or ``fails`` when a side is a written
    number (its precision decides), else ``undecided``."""
    wl, wr = written(lhs), written(rhs)
    if wl is None and wr is None:
        return Decision("undecided")
    if wl is not None and wr is not None:
        w = min(wl, wr, key=lambda x: x.place)
        other = wr.value if w is wl else wl.value
    else:
        w = wl or wr
        other = _value(rhs if w is wl else lhs)
        if other is None:
            return Decision("undecided")
    left, right = (_text(v) for v in ((wl.value if wl else other), (wr.value if wr else other)))
    shown = _text(other)
    if abs(other - w.value) <= w.half_unit:
        return Decision("holds", reason=f"{shown} rounds to {w} at {w.precision()}")
    note = (f"the left side is {left}, the right side {right}: {shown} rounds to {w.rounded(other)} at "
            f"{w.precision()}, not to {w} (an approximation holds when the value rounds to the number written)")
    return Decision("fails", counterexample={"note": note, "left": left, "right": right, "exact": True})
