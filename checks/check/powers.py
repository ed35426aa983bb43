"""The power reading of parenthesised superscripts: ``(x^{(1)})^2 = x^{(2)}`` fails with ``x^{(k)}`` read
as an index (an entry) and holds with it read as a power; a refutation stands only if both readings fail."""

from __future__ import annotations

import re

import sympy as sp

from ..latex.parse import parse_latex
from ..latex.superscripts import PAREN_SUPERSCRIPT, as_powers
from ..latex.texscan import split_top_level

#: how far the power reading is tried: sizes for the bounds and indices, values for the other names
_SIZES = (2, 3)
_VALUES = (sp.Rational(13, 7), sp.Rational(17, 11), sp.Rational(19, 5), sp.Rational(23, 13))
_LONGEST = 50
_RELATION = re.compile(r"(?<![<>\\!])=")


def fails_as_powers(latex: str, defined: set[str]) -> bool:
    """Whether ``lhs = rhs`` (raw ``latex``, one ``=``) also fails with its index superscripts read as
    powers (``x^{(2)}`` as ``x^2``), at sizes 2 and 3 and names set to fixed fractions: then a failure
    holds under both readings. False whenever that reading cannot be evaluated or uses a ``defined`` name."""
    sides = [s for _, s in split_top_level(latex.strip().rstrip(".,;"), _RELATION)]
    if len(sides) != 2 or any(m.group("inner").strip().isdigit() and int(m.group("inner")) > 20
                              for m in PAREN_SUPERSCRIPT.finditer(latex)):
        return False
    try:
        lhs, rhs = (parse_latex(as_powers(s)) for s in sides)
        return all(_differ(lhs, rhs, size, defined) for size in _SIZES)
    except Exception:  # noqa: BLE001 - a reading that cannot be evaluated refutes nothing
        return False


def _differ(lhs: sp.Basic, rhs: sp.Basic, size: int, defined: set[str]) -> bool:
    e = lhs - rhs
    if e.atoms(sp.Function) - e.atoms(sp.exp, sp.log) or not all(isinstance(a, sp.Basic) for a in (lhs, rhs)):
        return False  # a function, an operator: no fixed value
    bounds = {s for t in e.atoms(sp.Sum, sp.Product) for lim in t.limits for b in lim[1:] for s in b.free_symbols}
    indices = {s for x in e.atoms(sp.Indexed) for i in x.indices for s in i.free_symbols}
    names = {s.name for s in e.free_symbols} | {x.base.label.name for x in e.atoms(sp.Indexed)}
    if names & defined:
        return False
    e = e.xreplace({s: sp.Integer(size) for s in bounds | indices})
    if any(not (b.is_Integer and abs(b) <= _LONGEST) for t in e.atoms(sp.Sum, sp.Product) for lim in t.limits
           for b in lim[1:]):
        return False  # a long or infinite sum: not expanded here
    e = e.doit()
    values = iter(_VALUES * 8)
    e = e.xreplace({x: next(values) for x in sorted(e.atoms(sp.Indexed), key=sp.default_sort_key)})
    e = e.xreplace({s: next(values) for s in sorted(e.free_symbols, key=sp.default_sort_key)})
    value = sp.N(e, 30)
    return value.is_number and value.is_real is True and abs(value) > 1e-9
