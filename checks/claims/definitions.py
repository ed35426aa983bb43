"""Definitions: a name's definition (target, body, parameters, where it is in force) and the
group of its restatements; a body is substituted with its bound variables renamed (no capture) and
the parameters' subscript labels renamed with them (``H(Y)`` uses ``p_Y``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.walk import atoms, replace, xreplace
from .scope import Place


@dataclass
class Definition:
    target: sp.Basic  # Symbol, Indexed with symbol indices, or undefined-function call
    body: sp.Basic
    line: int
    latex: str
    place: Place = Place(0, 0)  # a restatement is checked only within its section
    value: bool = False  # a name set to a number (scope.is_value): never for a varied variable
    local: bool = False  # a value or an example's definition: in force only in its part
    #: an inline example's definition ("For instance, the function $f(x) = …$ is convex"): in force
    #: only in that sentence (the opening of :func:`~mathlint.claims.cues.opening`) and what it leads into
    sentence: str | None = None

    @property
    def params(self) -> tuple:
        if isinstance(self.target, sp.Indexed):
            return tuple(self.target.indices)
        if isinstance(self.target, AppliedUndef):
            return tuple(self.target.args)
        return ()

    @property
    def recursive(self) -> bool:
        """Its body names its own target at another index or argument (``h_t = f(h_{t-1})``)."""
        t = self.target
        if isinstance(t, sp.Indexed):
            return any(n.base == t.base for n in atoms(self.body, sp.Indexed))
        return isinstance(t, AppliedUndef) and any(type(n) == type(t) for n in atoms(self.body, AppliedUndef))  # noqa: E721

    def matches(self, e: sp.Basic) -> bool:
        t = self.target
        if isinstance(t, sp.Symbol):
            return e == t
        if isinstance(t, sp.Indexed):
            return isinstance(e, sp.Indexed) and e.base == t.base and len(e.indices) == len(t.indices)
        return isinstance(e, AppliedUndef) and type(e) == type(t) and len(e.args) == len(t.args)  # noqa: E721 (f == f by name)

    def expand(self, e: sp.Basic) -> sp.Basic:
        args = e.indices if isinstance(e, sp.Indexed) else getattr(e, "args", ())
        mapping = dict(zip(self.params, args))
        for p, a in zip(self.params, args):  # ``P(w_o|w_c)`` used as ``P(w_j|w_c)``: ``o`` is ``j`` in the body too
            if isinstance(p, sp.Indexed) and isinstance(a, sp.Indexed) and p.base == a.base \
                    and len(p.indices) == len(a.indices):
                for i, j in zip(p.indices, a.indices):
                    if isinstance(i, sp.Symbol) and mapping.setdefault(i, j) != j:
                        return e  # one index read as two: not this definition's pattern
        body = _fresh_bound(self.body)
        labels = _relabelled(body, mapping)
        if labels is None:
            return e  # a parameter named in a label (``p_{X,Y}``) given an expression: no faithful expansion
        return xreplace(body, {**mapping, **labels}, evaluate=False)


_LABELLED = re.compile(r"^(.+?)_(?:\{([^{}]*)\}|([A-Za-z]))$")


def _relabelled(body: sp.Basic, mapping: dict) -> dict | None:
    """Names in ``body`` whose subscript label names parameters (``p_{X,Y}``, ``p_X`` in a definition
    of ``I(X, Y)``), renamed as the parameters are: ``I(Y, X)`` uses ``p_{Y,X}``, not ``p_{X,Y}``.
    None when a labelled parameter is given an expression (no name to write in the label)."""
    renamed = {p.name: a for p, a in mapping.items() if isinstance(p, sp.Symbol) and a != p}
    if not renamed:
        return {}
    out: dict = {}
    named = [*atoms(body, sp.Symbol), *{type(f) for f in atoms(body, AppliedUndef)}]
    for thing in named:
        m = _LABELLED.match(thing.name if isinstance(thing, sp.Symbol) else thing.__name__)
        parts = [q.strip() for q in (m.group(2) or m.group(3)).split(",")] if m else []
        if not any(q in renamed for q in parts):
            continue
        if any(q in renamed and not isinstance(renamed[q], sp.Symbol) for q in parts):
            return None
        label = ",".join(renamed[q].name if q in renamed else q for q in parts)
        name = f"{m.group(1)}_{{{label}}}" if len(parts) > 1 or m.group(2) else f"{m.group(1)}_{label}"
        if isinstance(thing, sp.Symbol):
            out[thing] = sp.Symbol(name, **thing.assumptions0)
        else:
            for call in atoms(body, thing):
                out[call] = sp.Function(name, **dict(getattr(thing, "_kwargs", {})))(*call.args)
    return out


#: extrema over an index, read as ``max(operand, index)`` (latex/operators.py): the index is bound
_EXTREMA = frozenset({"max", "min", "argmax", "argmin", "sup", "inf"})


def _fresh_bound(body: sp.Basic) -> sp.Basic:
    """Rename bound variables (of sums, products and extrema over an index) so substituting
    the body cannot capture them: ``\\bar o := \\max_k o_k`` inside ``\\sum_k \\exp(o_k - \\bar o)``
    keeps its own k (unevaluated: the checks evaluate what they need)."""
    def rename(s):
        new_limits, fn = [], s.function
        for var, lo, hi in s.limits:
            d = sp.Dummy(var.name)
            fn = xreplace(fn, {var: d}, evaluate=False)
            new_limits.append((d, lo, hi))
        return type(s)(fn, *new_limits)

    def extremum(e) -> bool:
        return isinstance(e, AppliedUndef) and e.func.__name__ in _EXTREMA and len(e.args) == 2 \
            and isinstance(e.args[1], sp.Symbol)

    def rename_index(e):
        d = sp.Dummy(e.args[1].name)
        return e.func(xreplace(e.args[0], {e.args[1]: d}, evaluate=False), d)

    body = replace(body, lambda e: isinstance(e, (sp.Sum, sp.Product)), rename, evaluate=False)
    return replace(body, extremum, rename_index, evaluate=False)


@dataclass
class DefinitionGroup:
    """A name's definition and its restatements; ``reference`` is the one in force."""

    first: Definition
    restatements: list[Definition] = field(default_factory=list)
    reference: Definition | None = None
    ambiguous: bool = False  # defined twice on one line (cases: ``h(x) = … if …; otherwise h(x) = 1``)

    def __post_init__(self):
        self.reference = self.reference or self.first
