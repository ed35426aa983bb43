r"""Derivatives by a vector or a matrix at concrete sizes, entry by entry.

A :class:`~mathlint.expr.linalg.Gradient` is evaluated on the values of its function and its
variable (components as symbols, from ``numeric/instantiate``): a scalar by a vector is the
column of partials (the gradient; a row in the numerator layout unless written with ``\nabla``),
by a matrix the matrix of partials; a vector (a column, or
a row such as ``\mathbf x^\top\mathbf A``) by a vector is the Jacobian. The layout of the last two
is a convention the text may not state: the denominator layout (d2l's: the variable's axis
first, so ``\nabla_{\mathbf x}\mathbf A\mathbf x = \mathbf A^\top``) or the numerator layout
(transposed). A derivative of a matrix by a vector or a matrix (a tensor) is not read.
"""

from __future__ import annotations

import sympy as sp

from ..expr.linalg import DENOMINATOR, NUMERATOR
from ..expr.printing import to_text
from .diff import differentiate
from .matrices import Mat, MatrixMisfit, shape, value


def _partial(f, v: sp.Basic) -> sp.Basic:
    if isinstance(v, sp.Symbol):
        return differentiate(f, v, 1)
    raise MatrixMisfit(f"a derivative by `{to_text(v)}`, which is not a variable")


def _components(f) -> tuple | None:
    """The components of a column (a tuple) or a row (a 1×m matrix); None for anything else."""
    if isinstance(f, Mat):
        return tuple(f) if f.rows == 1 else None
    return f if isinstance(f, tuple) else None


def gradient(f, x, layout: sp.Basic, where: sp.Basic) -> object:
    """The value of ``∂f/∂x`` (``where``: the node, for messages)."""
    if shape(x) is None:  # by a scalar: entry by entry, whatever f is
        if isinstance(f, Mat):
            return Mat(f.rows, f.cols, [_partial(c, x) for c in f])
        if isinstance(f, tuple):
            return tuple(_partial(c, x) for c in f)
        return _partial(f, x)
    if isinstance(x, Mat):
        if shape(f) is not None:
            raise MatrixMisfit(f"`{to_text(where)}` is a derivative of an array by a matrix (a tensor)")
        rows, cols = (x.cols, x.rows) if layout == NUMERATOR else (x.rows, x.cols)
        entry = (lambda i, j: x.entry(j, i)) if layout == NUMERATOR else x.entry
        return value(rows, cols, [_partial(f, entry(i, j)) for i in range(rows) for j in range(cols)])
    if shape(f) is None:  # of a scalar: the column of partials, a row in the numerator layout (not under ``\nabla``)
        partials = [_partial(f, c) for c in x]
        return value(1, len(x), partials) if layout == NUMERATOR else tuple(partials)
    comps = _components(f)
    if comps is None:
        raise MatrixMisfit(f"`{to_text(where)}` is a derivative of a matrix by a vector (a tensor)")
    n, m = len(x), len(comps)
    if layout != DENOMINATOR:  # the numerator layout, also under ``\nabla`` (NABLA_NUMERATOR)
        return value(m, n, [_partial(comps[j], x[i]) for j in range(m) for i in range(n)])
    return value(n, m, [_partial(comps[j], x[i]) for i in range(n) for j in range(m)])
