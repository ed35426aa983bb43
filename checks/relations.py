"""Registry of relation checkers: how each relation compares two numeric samples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .numeric import ATOL, RTOL, close


@dataclass(frozen=True)
class Relation:
    name: str
    holds: Callable[[np.ndarray, np.ndarray], np.ndarray] | None  # None: not checked
    provable: bool  # a symbolic zero test proves it
    existential: bool = False  # holds if true at some point (≠)
    why_not: str = ""


def _tol(a, b):
    return ATOL + RTOL * np.maximum(np.abs(a), np.abs(b))


RELATIONS: dict[str, Relation] = {}


def register(r: Relation) -> None:
    RELATIONS[r.name] = r


for _name in ("eq", "def", "equiv"):
    register(Relation(_name, close, provable=True))
register(Relation("approx", lambda a, b: np.abs(a - b) <= 1e-6 + 1e-2 * np.maximum(np.abs(a), np.abs(b)),
                  provable=False))
register(Relation("ne", lambda a, b: ~close(a, b), provable=False, existential=True))
register(Relation("lt", lambda a, b: a < b + _tol(a, b), provable=False))
register(Relation("le", lambda a, b: a <= b + _tol(a, b), provable=False))
register(Relation("gt", lambda a, b: a > b - _tol(a, b), provable=False))
register(Relation("ge", lambda a, b: a >= b - _tol(a, b), provable=False))
for _name, _why in (("in", "membership declares a domain"), ("propto", "proportionality is not checked"),
                    ("sim", "'distributed as' is not checked")):
    register(Relation(_name, None, provable=False, why_not=_why))
