r"""Which bold names a claim uses as matrices and vectors, and the shapes that make it fit.

A bold capital (``\mathbf A``, ``\boldsymbol\Sigma``) is read as a matrix, a bold lower-case
name as a (column) vector, only where the claim uses it so: a factor of an ordered product
(:class:`~mathlint.expr.linalg.MatProd`), the argument of ``transpose``, ``\det``,
``\mathrm{tr}`` or of an entry ``[M]_{ij}``, a name the claim uses bare and with two indices
(``\|\mathbf X\|`` beside ``\mathbf X_{ij}``); elsewhere a bold name stays what the rest of
mathlint reads (a number or the vector of its components). The shapes are unified like the other axes of
:mod:`.shapes`: a product joins the columns of a factor to the rows of the next, a sum and the
two sides of a relation join whole shapes, a power or an inverse makes a matrix square.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.linalg import DENOMINATOR, NUMERATOR, Entry, Gradient, MatProd, Vector
from ..expr.printing import BOLD_SYMBOL
from ..expr.walk import preorder

ONE = ("const", 1)
IDENTITY = "math{I}"
#: functions of a matrix (a matrix context for their argument)
MATRIX_FUNCTIONS = frozenset({"transpose", "det", "tr", "trace", "Tr"})


def bold_kind(name: str) -> str | None:
    """``matrix`` for a bold capital (Latin or Greek), ``vector`` for a bold lower-case name."""
    m = BOLD_SYMBOL.match(name)
    if m is None:
        return None
    return "matrix" if m.group(1)[0].isupper() else "vector"


def _axes(name: str, kind: str) -> tuple:
    return ("axis", name, 0), (("axis", name, 1) if kind == "matrix" else ONE)


def matrix_names(exprs: list[sp.Basic]) -> dict[str, str]:
    """Bold names the instantiation reads as matrices and vectors (name → kind)."""
    return _in_context(exprs)


def _in_context(exprs: list[sp.Basic]) -> dict[str, str]:
    """Bold names used as factors of an ordered product or as arguments of a matrix function."""
    found: dict[str, str] = {}
    for expr in exprs:
        for e in preorder(expr):
            if isinstance(e, MatProd | Entry) or isinstance(e, AppliedUndef) and type(e).__name__ in MATRIX_FUNCTIONS:
                for arg in e.args[:1] if isinstance(e, Entry) else e.args:
                    for s in _operands(arg):
                        kind = bold_kind(s.name)
                        if kind:
                            found[s.name] = kind
            if isinstance(e, Gradient) and isinstance(e.args[1], sp.Symbol) and bold_kind(e.args[1].name):
                found[e.args[1].name] = bold_kind(e.args[1].name)  # the variable of a gradient
            elif (by := _by_matrix(e)) is not None:
                found[by] = "matrix"
    for name in _bare(exprs) & _entries_of(exprs):  # ``\|\mathbf X\|`` and ``x_{ij}`` tied to it (``check/entries``)
        found.setdefault(name, "matrix")
    return found


def _entries_of(exprs: list[sp.Basic]) -> set[str]:
    r"""Bold capitals the claim indexes by two (``\mathbf X_{ij}``)."""
    return {e.base.label.name for expr in exprs for e in preorder(expr) if isinstance(e, sp.Indexed)
            and len(e.indices) == 2 and bold_kind(e.base.label.name) == "matrix"}


def _bare(exprs: list[sp.Basic]) -> set[str]:
    """Names the claim uses as they are, not as the base of an indexed entry."""
    out: set[str] = set()
    stack = list(exprs)
    while stack:
        e = stack.pop()
        if isinstance(e, sp.Symbol):
            out.add(e.name)
        elif not isinstance(e, sp.IndexedBase):
            stack.extend(e.args)
    return out


def _by_matrix(e: sp.Basic) -> str | None:
    """The bold capital a derivative is taken by (``\\nabla_{\\mathbf X}``, also the opaque
    ``d(f, X, 1)``): a matrix, whose derivatives ``check/layouts`` reads as gradients."""
    if isinstance(e, sp.Derivative) and len(e.variable_count) == 1:
        var = e.variable_count[0][0]
    elif isinstance(e, AppliedUndef) and type(e).__name__ == "d" and len(e.args) == 3:
        var = e.args[1]
    else:
        return None
    return var.name if isinstance(var, sp.Symbol) and bold_kind(var.name) == "matrix" else None


def _operands(e: sp.Basic):
    """Symbols an operand multiplies as a whole: itself, a power's base, the terms of a sum."""
    if isinstance(e, sp.Symbol):
        yield e
    elif isinstance(e, sp.Pow):
        yield from _operands(e.base)
    elif isinstance(e, sp.Add):
        for a in e.args:
            yield from _operands(a)
    elif isinstance(e, sp.Mul):
        for a in e.args:
            yield from _operands(a)


class _Unifier:
    def __init__(self, sh, names: dict[str, str]):
        self.sh, self.names = sh, names

    def join(self, a, b) -> None:
        for x, y in zip(a, b):
            for node in (x, y):
                if node[0] == "const":
                    self.sh.fixed[node] = node[1]
            self.sh.uf.union(x, y)

    def shape(self, e: sp.Basic):
        """The shape of ``e`` (rows node, columns node), None for a scalar or unknown."""
        if isinstance(e, sp.Symbol):
            kind = self.names.get(e.name)
            return _axes(e.name, kind) if kind else None
        if isinstance(e, sp.MatrixBase):
            return ("const", e.rows), ("const", e.cols) if e.cols > 1 else ONE
        if isinstance(e, Vector):
            return ("const", len(e.args)), ONE
        args = [self.shape(a) for a in e.args]
        if isinstance(e, MatProd):
            arrays = [s for s in args if s is not None]
            for left, right in zip(arrays, arrays[1:]):
                self.join((left[1],), (right[0],))
            return (arrays[0][0], arrays[-1][1]) if arrays else None
        if isinstance(e, Gradient):
            return _gradient_shape(args[0], args[1], e.args[2])
        if isinstance(e, Entry):  # ``[M]_{ij}``: i ranges over M's rows, j over its columns
            for ix, axis in zip(e.args[1:], args[0] or ()):
                if isinstance(ix, sp.Symbol):
                    self.sh.index_symbols.add(ix)  # a free index: each value in range is an instance
                    self.join((("idx", ix),), (axis,))
            return None
        if isinstance(e, AppliedUndef) and type(e).__name__ == "transpose" and len(args) == 1:
            return (args[0][1], args[0][0]) if args[0] else None
        if isinstance(e, AppliedUndef) and type(e).__name__ in MATRIX_FUNCTIONS and args and args[0]:
            self.join((args[0][0],), (args[0][1],))
            return None
        if isinstance(e, sp.Pow):
            if args[0] is not None and e.exp.is_Integer and e.exp != 1:
                self.join((args[0][0],), (args[0][1],))
            return args[0]
        if isinstance(e, sp.Add):
            return self.together(list(e.args), args)
        if isinstance(e, sp.Mul):
            arrays = [s for s in args if s is not None]
            return arrays[0] if len(arrays) == 1 else None
        if isinstance(e, sp.Sum):
            return args[0]
        return None

    def together(self, terms: list[sp.Basic], shapes: list):
        r"""Terms that must have one shape (of a sum, or the two sides): joined; a bold name among
        them, next to a matrix or vector, is one too (``\mathbf A\mathbf x + \mathbf b``, ``= \mathbf I``)."""
        arrays = [s for s in shapes if s is not None]
        if not arrays:
            return None
        for k, t in enumerate(terms):
            kind = bold_kind(t.name) if isinstance(t, sp.Symbol) and shapes[k] is None else None
            if kind and (kind == "matrix") == (arrays[0][1] != ONE):
                self.names[t.name] = kind
                arrays.append(_axes(t.name, kind))
        for other in arrays[1:]:
            self.join(arrays[0], other)
        return arrays[0]


def _gradient_shape(f, x, layout):
    """The shape of ``∂f/∂x`` (``numeric/gradients``): a scalar's gradient has the variable's shape
    (a matrix's transposed in the numerator layout); a vector's Jacobian is (x, f) in the
    denominator layout, (f, x) in the numerator one; None when a shape is unknown."""
    if x is None:
        return f
    if f is None or f == (ONE, ONE):  # a scalar (``\mathbf x^\top\mathbf A\mathbf x`` is 1×1)
        return (x[1], x[0]) if layout == NUMERATOR and x[1] != ONE else x
    if x[1] != ONE:
        return None
    m = f[0] if f[1] == ONE else f[1] if f[0] == ONE else None
    if m is None:
        return None
    return (m, x[0]) if layout != DENOMINATOR else (x[0], m)


def _entry_names(explicit: list[sp.MatrixBase]) -> set[str]:
    """Bases whose every entry in the explicit matrices is named by two digits (``a_{11}``,
    ``a_{12}``): the digits are a row and a column."""
    uses: dict[str, bool] = {}
    for m in explicit:
        for x in m:
            for i in x.atoms(sp.Indexed):
                two = len(i.indices) == 1 and i.indices[0].is_Integer and 11 <= i.indices[0] <= 99 \
                    and i.indices[0] % 10 != 0
                uses[i.base.label.name] = uses.get(i.base.label.name, True) and bool(two)
    return {name for name, two in uses.items() if two}


def infer_matrices(sh, exprs: list[sp.Basic], declared: dict | None = None) -> None:
    """Record in ``sh`` the claim's matrices and vectors (``sh.matrices``: name → kind) and
    unify their axes; the identity ``\\mathbf I`` is square. ``sh.matrix_reading`` is set when
    the claim has a matrix (a named one or an explicit ``bmatrix``). ``declared`` (the text's
    ``\\mathbf X \\in \\mathbb R^{n\\times d}``: name → ("matrix", (n, d))) gives axes their sizes; a
    claim that needs two declared sizes equal gets ``sh.declared_misfit``."""
    names = _in_context(exprs)
    explicit = [e for expr in exprs for e in preorder(expr) if isinstance(e, sp.MatrixBase)]
    sh.entry_names.update(_entry_names(explicit))
    if not names and not explicit:
        return
    sh.matrix_reading = True
    for name, kind in names.items():
        for node in _axes(name, kind):
            sh.uf.find(node)
    unifier = _Unifier(sh, names)
    sides = [unifier.shape(e) for e in exprs]
    if len(sides) == 2:
        unifier.together(exprs, sides)
    if IDENTITY in names:
        unifier.join(*[(("axis", IDENTITY, k),) for k in (0, 1)])
    sh.declared_misfit = _declared_shapes(sh, names, declared or {})
    sh.matrices.update(names)
    for name, kind in names.items():
        sh.arity[name] = max(sh.arity.get(name, 0), 1 if kind == "vector" else 2)


def declared_matrices(vectors: dict) -> dict[str, tuple]:
    """The matrices a text declares (``\\mathbf X \\in \\mathbb R^{n\\times d}``): name → (rows, columns);
    one declared with two shapes (in two sections) is left out."""
    return {name: dims for name, (kind, dims) in vectors.items() if kind == "matrix" and dims}


def _declared_shapes(sh, names: dict[str, str], declared: dict) -> str:
    """Join the axes of the claim's declared matrices to their sizes (symbols: size symbols, drawn
    distinct; numbers: fixed); why they cannot be honoured (two declared sizes the claim makes
    one axis, ``\\det(\\mathbf X)`` of an n×d matrix), or ""."""
    shapes = declared_matrices(declared)
    used = {name: shapes[name] for name, kind in names.items() if kind == "matrix" and name in shapes}
    for name, dims in used.items():
        for k, dim in enumerate(dims):
            axis = ("axis", name, k)
            if isinstance(dim, sp.Symbol):
                sh.size_symbols.add(dim)
                sh.uf.union(axis, ("size", dim))
            elif isinstance(dim, sp.Integer):
                sh.fixed[axis] = int(dim)
    sizes: dict = {}
    for name, dims in used.items():
        for k, dim in enumerate(dims):
            root = sh.uf.find(("axis", name, k))
            if sizes.setdefault(root, dim) != dim:
                return (f"the claim needs `{name}`'s sizes equal to {sizes[root]} and {dim}, which the text "
                        "declares as different sizes")
    return ""


def entry_indices(sh, name: str, e: sp.Indexed, idx: tuple, size_of) -> tuple:
    """``a_{11}`` of a matrix ``a`` (a name the claim also indexes twice, or whose entries of an
    explicit matrix are all named so): the entry (1, 1), when index 11 is past its rows and both
    digits are within its axes (sizes below 10); else ``idx`` as it is."""
    if len(idx) != 1 or not (sh.arity.get(name) == 2 or name in sh.entry_names) \
            or not e.indices[0].is_Integer or not 11 <= idx[0] <= 99:
        return idx
    pair = divmod(idx[0], 10)
    rows, cols = (size_of(("axis", name, k)) for k in (0, 1))
    if idx[0] <= rows or not (1 <= pair[0] <= rows and 1 <= pair[1] <= cols):
        return idx
    return pair
