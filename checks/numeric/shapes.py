"""Shape inference: what the names of a claim are (matrices, vectors, indices, sizes).

Shapes are inferred from how names are used: ``x_{ij}`` makes ``x`` a matrix and ``x_i`` its
row; ``w_j`` next to a bare ``w`` makes ``w`` a vector; the index symbols, sum bounds and axes
that must have the same range are unified (a union-find over nodes ``("axis", name, pos)``,
``("idx", symbol)`` and ``("size", symbol)``). Each kind of evidence has its own function, in
the order :func:`infer_shapes` applies them: the union-find's insertion order is part of the
result (it orders the classes and so the instances)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from ..expr.walk import atoms, free_symbols, preorder
from .matshapes import infer_matrices


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, a):
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def classes(self) -> dict:
        out: dict = {}
        for node in list(self.parent):
            out.setdefault(self.find(node), []).append(node)
        return out


@dataclass
class Shapes:
    """What the names of a claim are: matrices, vectors, indices, sizes."""

    arity: dict[str, int] = field(default_factory=dict)
    uf: _UnionFind = field(default_factory=_UnionFind)
    index_valued: dict[str, object] = field(default_factory=dict)  # base → node of its range
    size_symbols: set = field(default_factory=set)
    fixed: dict = field(default_factory=dict)  # class root → fixed size
    index_symbols: set = field(default_factory=set)
    matrices: dict[str, str] = field(default_factory=dict)  # bold name → "matrix" | "vector" (matshapes)
    entry_names: set = field(default_factory=set)  # ``a`` of ``a_{11}``: two digits are a row and a column
    matrix_reading: bool = False  # the claim has a matrix: its shape misfits are mathlint's, not the text's
    declared_misfit: str = ""  # why the claim's matrices cannot have the shapes the text declares (matshapes)

    def vector_class(self, name: str):
        """Range node of the components of a bare symbol or a matrix row, or None."""
        n = self.arity.get(name)
        if n == 1:
            return ("axis", name, 0)
        if n == 2:
            return ("axis", name, 1)
        return None


def infer_shapes(exprs: list[sp.Basic], conditions: list[tuple[str, sp.Basic, sp.Basic]] = (),
                 known_sizes: frozenset = frozenset(), vectors: dict | None = None) -> Shapes:
    """Shapes of the names in ``exprs``; ``known_sizes`` are symbols the document uses as
    sum bounds, so a bare ``1/m`` is a size too; ``vectors`` are declared vector names
    (``x`` → ("rows", n): ``x_i`` is a vector of dimension n; ``w`` → ("like", "x"))."""
    sh = Shapes()
    _declared_vectors(sh, exprs, _names(exprs), vectors or {})
    _known_sizes(sh, exprs, known_sizes)
    for expr in exprs:
        for e in preorder(expr):
            handler = next((h for types, h in _BY_NODE if isinstance(e, types)), None)
            if handler is not None:
                handler(sh, e, exprs)
    _equal_indices(sh, conditions)
    for node in sh.index_valued.values():
        sh.uf.find(node)
    infer_matrices(sh, exprs, vectors or {})
    return sh


def _names(exprs: list[sp.Basic]) -> set[str]:
    """Every symbol's and indexed base's name."""
    names = set()
    for expr in exprs:
        names |= {s.name for s in free_symbols(expr) if isinstance(s, sp.Symbol)}
        names |= {i.base.label.name for i in atoms(expr, sp.Indexed)}
    return names


def _declared_vectors(sh: Shapes, exprs: list[sp.Basic], names: set[str], vectors: dict) -> None:
    """Declared vectors that the claim uses: ``x`` of rows (a matrix when it is indexed or has a
    partner), and ``w`` like ``x`` (its components range over ``x``'s rows)."""
    for name, (kind, other) in vectors.items():
        if name not in names:
            continue
        partners = [n for n, (k, o) in vectors.items() if k == "like" and o == name and n in names]
        indexed = any(isinstance(i, sp.Indexed) and i.base.label.name == name
                      for expr in exprs for i in atoms(expr, sp.Indexed))
        if kind == "rows" and (indexed or partners):
            sh.arity[name] = max(sh.arity.get(name, 0), 2)
            if isinstance(other, sp.Symbol):
                sh.size_symbols.add(other)
                sh.uf.union(("axis", name, 1), ("size", other))
        elif kind == "vector":  # a bold name a claim uses as a vector (check/vectors)
            sh.arity[name] = max(sh.arity.get(name, 0), 1)
        elif kind == "like" and other in vectors and other in names:
            sh.arity[name] = max(sh.arity.get(name, 0), 1)
            sh.uf.union(("axis", name, 0), ("axis", other, 1))


def _known_sizes(sh: Shapes, exprs: list[sp.Basic], known_sizes: frozenset) -> None:
    """The document's sum bounds that the claim mentions are sizes."""
    for expr in exprs:
        for s in free_symbols(expr) & known_sizes:
            sh.size_symbols.add(s)
            sh.uf.find(("size", s))


def _from_indexed(sh: Shapes, e: sp.Indexed, exprs: list[sp.Basic]) -> None:
    """``x_{ij}``: ``x`` has two axes, ranged over by ``i`` and ``j``; ``p_{y_i}``: the values of
    ``y`` pick entries along ``p``'s axis."""
    name = e.base.label.name
    sh.arity[name] = max(sh.arity.get(name, 0), len(e.indices))
    for pos, ix in enumerate(e.indices):
        axis = ("axis", name, pos)
        sh.uf.find(axis)
        if isinstance(ix, sp.Symbol):
            sh.index_symbols.add(ix)
            sh.uf.union(axis, ("idx", ix))
        elif isinstance(ix, sp.Indexed):
            sh.index_valued[ix.base.label.name] = axis
        elif ix.is_Integer:
            sh.uf.find(axis)


def _from_limits(sh: Shapes, e: sp.Sum | sp.Product, exprs: list[sp.Basic]) -> None:
    """A sum's index ranges up to its bound: a size symbol, a fixed number, or an expression
    whose free symbols (but the indices of enclosing sums) are sizes."""
    for var, _lo, hi in e.limits:
        sh.index_symbols.add(var)
        if isinstance(hi, sp.Symbol):
            sh.size_symbols.add(hi)
            sh.uf.union(("idx", var), ("size", hi))
        elif hi.is_Integer:
            sh.fixed[("idx", var)] = int(hi)
            sh.uf.find(("idx", var))
        else:  # ``T - 1``: T is a size; bounds using outer indices are left to them
            bound_vars = {v for expr2 in exprs for s2 in atoms(expr2, sp.Sum, sp.Product)
                          for v, _, _ in s2.limits}
            for s in hi.free_symbols - bound_vars:
                if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy):
                    sh.size_symbols.add(s)
                    sh.uf.find(("size", s))


def _from_delta(sh: Shapes, e: sp.KroneckerDelta, exprs: list[sp.Basic]) -> None:
    """``δ_{ij}``: ``i`` and ``j`` range alike; ``δ_{y_i k}``: ``y``'s values range like ``k``."""
    a, b = (_node(sh, x) for x in e.args)
    if a and b:
        for x, other in ((a, b), (b, a)):
            if x[0] == "values":
                sh.index_valued[x[1]] = other
        if a[0] == b[0] == "idx":
            sh.uf.union(a, b)


def _node(shapes: Shapes, e: sp.Basic):
    if isinstance(e, sp.Symbol):
        shapes.index_symbols.add(e)
        return ("idx", e)
    if isinstance(e, sp.Indexed):
        return ("values", e.base.label.name)
    return None


#: node type → what it tells about shapes (the first matching entry)
_BY_NODE: list[tuple[type | tuple[type, ...], Callable[[Shapes, sp.Basic, list[sp.Basic]], None]]] = [
    (sp.Indexed, _from_indexed),
    ((sp.Sum, sp.Product), _from_limits),
    (sp.KroneckerDelta, _from_delta),
]


def _equal_indices(sh: Shapes, conditions) -> None:
    """A condition between two index symbols (``i = j``): they range alike."""
    for _, a, b in conditions:
        if isinstance(a, sp.Symbol) and isinstance(b, sp.Symbol):
            sh.index_symbols.update((a, b))
            sh.uf.union(("idx", a), ("idx", b))


def size_groups(sh: Shapes) -> list[tuple[str, ...]]:
    """Size symbols that bound the same axis (``N`` and ``m`` both counting samples)."""
    out = []
    for members in sh.uf.classes().values():
        syms = sorted({str(m[1]) for m in members if m[0] == "size"})
        if len(syms) >= 2:
            out.append(tuple(syms))
    return sorted(out)
