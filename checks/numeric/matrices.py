r"""Matrices at concrete sizes: the value the instantiation gives a matrix, and its operations.

The numeric model's vector is a tuple of components (a column); a matrix is a :class:`Mat`, a
tuple of its entries row by row that knows its shape (so the comparison of two sides, which
reads components, still works). A product keeps its order (:class:`~mathlint.expr.linalg.MatProd`);
a transpose, an inverse, an integer power, ``\det`` and ``\mathrm{tr}`` are computed on the
entries. Every operation whose shapes do not fit raises :class:`MatrixMisfit`: the shapes were
mathlint's guess (a bold capital may be a number), so a misfit is no error of the text.
"""

from __future__ import annotations

import sympy as sp

from ..expr.linalg import Entry, Hadamard, Norm
from ..expr.printing import to_text

MAX_INVERSE = 4  # a symbolic inverse of a larger matrix is not computed (its entries grow fast)


class MatrixMisfit(Exception):
    """The matrix reading does not fit the claim (shapes, or an operation not defined on matrices)."""


class Mat(tuple):
    """A matrix's entries row by row, with its shape and a bound on its rank (a product through
    a smaller dimension, ``A B`` of an n×d and a d×n matrix with d < n, is singular); never a
    column (that is a plain tuple)."""

    rows: int
    cols: int
    rank: int

    def __new__(cls, rows: int, cols: int, entries, rank: int | None = None):
        out = super().__new__(cls, entries)
        out.rows, out.cols = rows, cols
        out.rank = min(rows, cols) if rank is None else min(rank, rows, cols)
        return out

    def entry(self, i: int, j: int):
        return self[i * self.cols + j]


def shape(v) -> tuple[int, int] | None:
    """(rows, columns) of a matrix or a column vector, None for a scalar."""
    if isinstance(v, Mat):
        return v.rows, v.cols
    if isinstance(v, tuple):
        return len(v), 1
    return None


def value(rows: int, cols: int, entries, rank: int | None = None) -> object:
    """The value of a matrix of these entries: a scalar (1×1), a column vector (a tuple), a Mat."""
    entries = tuple(entries)
    if rows == cols == 1:
        return entries[0]
    if cols == 1:
        return entries
    return Mat(rows, cols, entries, rank)


def rank(v) -> int:
    """An upper bound on the rank of a matrix or a vector."""
    return v.rank if isinstance(v, Mat) else min(shape(v) or (1, 1))


def _entries(v) -> list[list]:
    r, c = shape(v)
    return [[v[i * c + j] for j in range(c)] for i in range(r)]


def from_sympy(m: sp.MatrixBase, entry) -> object:
    """An explicit matrix (``\\begin{bmatrix}``), each entry evaluated by ``entry``."""
    return value(m.rows, m.cols, [entry(x) for x in m])


def _add(terms: list) -> sp.Basic:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def _mul(a, b) -> sp.Basic:
    if a == 0 or b == 0:
        return sp.Integer(0)
    if a == 1:
        return b
    if b == 1:
        return a
    return sp.Mul(a, b, evaluate=False)


def product(factors: list) -> object:
    """The ordered product of scalars, vectors and matrices (scalars may stand anywhere)."""
    scalars = [f for f in factors if shape(f) is None]
    arrays = [f for f in factors if shape(f) is not None]
    if not arrays:
        raise MatrixMisfit("a product of matrices without a matrix")
    acc = arrays[0]
    for nxt in arrays[1:]:
        if shape(acc) is None:  # ``\mathbf a^\top\mathbf A\mathbf x`` so far: a number, scaling the rest
            scalars.append(acc)
            acc = nxt
            continue
        (r, k), (k2, c) = shape(acc), shape(nxt)
        if k != k2:
            raise MatrixMisfit(f"a {r}×{k} matrix times a {k2}×{c} one")
        a, b = _entries(acc), _entries(nxt)
        acc = value(r, c, [_add([_mul(a[i][t], b[t][j]) for t in range(k)]) for i in range(r) for j in range(c)],
                    min(rank(acc), rank(nxt)))
    scale = sp.Mul(*scalars, evaluate=False) if len(scalars) > 1 else (scalars[0] if scalars else None)
    return acc if scale is None else scaled(scale, acc)


def scaled(s, v) -> object:
    if shape(v) is None:
        return _mul(s, v)
    r, c = shape(v)
    return value(r, c, [_mul(s, x) for x in v], rank(v))


def transpose(v) -> object:
    if shape(v) is None:
        return v
    r, c = shape(v)
    a = _entries(v)
    return value(c, r, [a[i][j] for j in range(c) for i in range(r)], rank(v))


def _square(v, what: str) -> sp.ImmutableMatrix:
    s = shape(v)
    if s is None or s[0] != s[1]:
        raise MatrixMisfit(f"{what} of a {'scalar' if s is None else f'{s[0]}×{s[1]} matrix, not square'}")
    return sp.ImmutableMatrix(_entries(v))


def power(v, k: sp.Basic) -> object:
    """``A^k`` for an integer ``k`` (``A^{-1}``: the inverse, by adjugate over determinant)."""
    if not (isinstance(k, sp.Integer)):
        raise MatrixMisfit("a matrix to a power that is not a whole number")
    m = _square(v, "a power")
    r = rank(v)
    if k < 0:
        if rank(v) < m.rows:
            raise MatrixMisfit(f"the inverse of a {m.rows}×{m.rows} matrix of rank at most {rank(v)} (a product "
                               "through a smaller dimension) does not exist")
        if m.rows > MAX_INVERSE:
            raise MatrixMisfit(f"the inverse of a {m.rows}×{m.rows} matrix is too large to compute")
        det = m.det(method="berkowitz")
        m = m.adjugate(method="berkowitz").applyfunc(lambda x: x / det)
        k, r = -k, m.rows
    out = value(m.rows, m.rows, [sp.Integer(int(i == j)) for i in range(m.rows) for j in range(m.rows)])
    for _ in range(int(k)):
        out = product([out, value(m.rows, m.rows, list(m), r)])
    return out


def det(v) -> sp.Basic:
    return _square(v, "a determinant").det(method="berkowitz")


def trace(v) -> sp.Basic:
    m = _square(v, "a trace")
    return _add([m[i, i] for i in range(m.rows)])


def identity(n: int) -> object:
    return value(n, n, [sp.Integer(int(i == j)) for i in range(n) for j in range(n)])


def add(parts: list, where: sp.Basic, plus) -> Mat:
    """A sum of matrices of one shape (``plus`` adds one entry's terms)."""
    if not all(isinstance(p, Mat) for p in parts) or len({shape(p) for p in parts}) != 1:
        raise MatrixMisfit(f"`{to_text(where)}` adds a matrix to a number or to an array of another shape")
    return Mat(parts[0].rows, parts[0].cols, [plus(list(c)) for c in zip(*parts)])


def of_vector_op(e: sp.Basic, args: list) -> object:
    """``A \\odot B`` of two matrices of one shape; ``\\|A\\|_F`` and ``\\|A\\|_2``, both entry by
    entry (the Frobenius norm: for ``_2`` the entrywise reading, which ``check/layouts`` names, as
    it may be the spectral norm); ``[A]_{ij}``; any other vector operation of a matrix is not read."""
    a, b = (args + [None, None])[:2]
    if isinstance(e, Entry) and isinstance(a, Mat):
        return entry(a, *args[1:])
    if isinstance(e, Hadamard) and isinstance(a, Mat) and isinstance(b, Mat) and shape(a) == shape(b):
        return Mat(a.rows, a.cols, [sp.Mul(x, y, evaluate=False) for x, y in zip(a, b)])
    if isinstance(e, Norm) and isinstance(a, Mat) and b == 2:
        return sp.sqrt(_add([sp.Pow(x, 2, evaluate=False) for x in a]), evaluate=False)
    raise MatrixMisfit(f"`{to_text(e)}` of a matrix is not read")


def entry(m: Mat, i, j) -> sp.Basic:
    """``[M]_{ij}`` (1-based) of a matrix at concrete indices; an index past its axis misfits (the
    indices' ranges were joined to the axes: ``numeric/matshapes``)."""
    if not (getattr(i, "is_Integer", False) and getattr(j, "is_Integer", False)) \
            or not (1 <= int(i) <= m.rows and 1 <= int(j) <= m.cols):
        raise MatrixMisfit(f"the entry ({i}, {j}) of a {m.rows}×{m.cols} matrix")
    return m.entry(int(i) - 1, int(j) - 1)


#: undefined functions computed on a matrix argument (``\det``, ``\mathrm{tr}``, ``^\top``)
FUNCTIONS = {"det": det, "tr": trace, "trace": trace, "Tr": trace, "transpose": transpose}
