"""Registry of relation checkers: how each relation compares two numeric samples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Float comparison at random points: relative agreement to RTOL, and ATOL for the rounding of
#: float computation near zero (``log(xy) - log x - log y`` is 1e-16, not 0). ATOL alone never
#: decides: a point that holds only through it is compared again at 50 digits, where
#: PRECISE_ATOL (rounding of 50-digit arithmetic near zero) replaces it, and PRECISE_RTOL
#: (20 digits to spare for cancellation) tells a strict inequality from equality
#: (:class:`Signs`). Constants are not sampled: :mod:`mathlint.proof.exact` decides them.
RTOL, ATOL = 1e-6, 1e-9
PRECISE_RTOL, PRECISE_ATOL = 1e-20, 1e-30


@dataclass(frozen=True)
class Signs:
    """A relation as the signs of ``lhs - rhs`` that satisfy it (``=``: 0; ``<``: -1; ``≤``:
    -1 or 0; ``≠``: -1 or 1). In floats a difference counts as zero within
    ``ATOL + RTOL·max(|a|, |b|)``, so ``x < x`` fails and ``x \\le x`` holds through rounding.
    A point that holds only because of ``ATOL`` (two sides near zero that agree in absolute
    terms only, as ``10^{-20} x`` and ``0``) is :meth:`unsure`; it and every failing point are
    decided again at 50 digits (:meth:`precise`), where rounding is far below any difference
    a text writes."""
    signs: frozenset

    def _zero(self, d, a, b, atol: float, rtol: float):
        return np.abs(d) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = a - b
        return self._test(d, self._zero(d, a, b, ATOL, RTOL))

    def _test(self, d, zero):
        out = zero if 0 in self.signs else np.zeros_like(zero)
        if -1 in self.signs:
            out = out | (~zero & (d < 0))
        if 1 in self.signs:
            out = out | (~zero & (d > 0))
        return out

    def unsure(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Points that hold only because the absolute tolerance made their difference zero."""
        if 0 not in self.signs:
            return np.zeros(np.shape(a), dtype=bool)
        d = a - b
        return self._zero(d, a, b, ATOL, RTOL) & ~self._zero(d, a, b, 0.0, RTOL)

    def precise(self, a, b) -> bool:
        """The relation between two 50-digit (mpmath) values. A difference within the
        tolerance counts as zero; the tolerance only ever spares a claim: relative RTOL where
        zero satisfies the relation (``=``, ``≤``: as the floats), PRECISE_RTOL where it does
        not (``<``, ``≠``: ``σ(15) < 1`` differs from equality by 3e-7 only)."""
        d = a - b  # correctly rounded: its sign and size are right at any working precision
        scale = max(abs(a), abs(b))
        zero = abs(d) <= PRECISE_ATOL + (RTOL if 0 in self.signs else PRECISE_RTOL) * scale
        return bool(self._test(np.array([1.0 if d > 0 else -1.0]), np.array([zero]))[0])


@dataclass(frozen=True)
class Relation:
    name: str
    holds: Callable[[np.ndarray, np.ndarray], np.ndarray] | None  # None: not checked
    provable: bool  # a symbolic zero test proves it
    existential: bool = False  # holds if true at some point (≠)
    why_not: str = ""
    signs: frozenset | None = None  # signs of lhs - rhs it asserts: exact arithmetic decides it

    @property
    def equality(self) -> bool:
        """It asserts that two expressions are equal (so an exact nonzero difference refutes it)."""
        return self.signs == frozenset({0})


RELATIONS: dict[str, Relation] = {}


def register(r: Relation) -> None:
    RELATIONS[r.name] = r


def _signed(name: str, signs: set, provable: bool = False, existential: bool = False) -> Relation:
    s = frozenset(signs)
    return Relation(name, Signs(s), provable=provable, existential=existential, signs=s)


for _name in ("eq", "def", "equiv"):
    register(_signed(_name, {0}, provable=True))
# an approximation is not exact: its tolerance is the claim's own
register(Relation("approx", lambda a, b: np.abs(a - b) <= 1e-6 + 1e-2 * np.maximum(np.abs(a), np.abs(b)),
                  provable=False))
register(_signed("ne", {-1, 1}, existential=True))
register(_signed("lt", {-1}))
register(_signed("le", {-1, 0}))
register(_signed("gt", {1}))
register(_signed("ge", {0, 1}))
for _name, _why in (("in", "membership declares a domain"), ("propto", "proportionality is not checked"),
                    ("sim", "'distributed as' is not checked")):
    register(Relation(_name, None, provable=False, why_not=_why))
