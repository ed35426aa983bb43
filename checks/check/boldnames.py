"""Bold names and the readings of a claim that lose what they mean: a product of bold names read
as numbers (whose order is lost), a norm or an inner product of a name read as a number, and
``\\mathbf x`` tied to the components ``x_i`` the same claim uses."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from ..claims.patterns import Components
from ..expr.linalg import Inner, Norm, Vector, VectorOp
from ..expr.printing import BOLD_NAME, tex_name
from ..expr.symbols import SUM_BOUND
from ..expr.walk import atoms, xreplace
from ..expr.walk import replace as replace_nodes
from ..numeric.matshapes import bold_kind, matrix_names


def ordered_product(lhs: sp.Basic, rhs: sp.Basic, vectors: Collection[str] = ()) -> str | None:
    """Why a claim that holds with its bold names read as numbers proves nothing: a product of two
    bold names (``\\mathbf{A}\\mathbf{B}``), whose order the reading lost (numbers commute, matrices
    do not: ``\\mathbf{A}\\mathbf{B} = \\mathbf{B}\\mathbf{A}`` would hold); None without one."""
    bases = {i.base.label.name for e in (lhs, rhs) if isinstance(e, sp.Basic) for i in atoms(e, sp.Indexed)}
    # names read as matrices and vectors: their products are ordered (``MatProd``), a product of
    # two of them that lost its order is not evaluated (``numeric/instantiate``)
    named = matrix_names([e for e in (lhs, rhs) if isinstance(e, sp.Basic)])
    read = {n for n, kind in named.items() if kind == "matrix"}  # two vectors in a ``Mul``: a dot product
    vectors = {*(v for v in vectors if bold_kind(v) != "matrix"), *named}  # a declared matrix: not a vector
    for side in (lhs, rhs):
        if not isinstance(side, sp.Basic):
            continue
        for product in atoms(side, sp.Mul, sp.Pow):
            factors = [_bold_names(_scalars_hidden(f)) - read for f in (product.args if isinstance(product, sp.Mul) else
                                                       [product.base] * 2 if _power_of_sum(product) else [])]
            bold = sorted(set().union(*factors)) if sum(bool(f) for f in factors) > 1 else []
            if len(bold) > 1:
                names = ", ".join(f"`{tex_name(n)}`" for n in bold)
                return (f"mathlint reads {names} as numbers, which commute: the order of their product is lost, "
                        "so that the claim holds as read proves nothing about the matrices and vectors")
        if lhs == rhs:  # one expression (``w^\top\phi(x) = \langle w, \phi(x)\rangle``): a norm or inner product
            continue  # means the same on both sides, whatever its operands are (a product's order is checked above)
        for op in atoms(side, VectorOp, AppliedUndef):  # ``\mathbf x \odot \mathbf y``, ``\|x\|_1`` of a number
            plain = sorted(a.name for a in (op.args[:op.operands] if isinstance(op, VectorOp) else op.args)  # not p
                           # a name with components in the claim is a vector
                           if isinstance(a, sp.Symbol) and a.name not in vectors and a.name not in bases
                           and (BOLD_NAME.match(a.name) or not isinstance(op, Vector)))  # ``[x, y]^\top``: numbers
            if plain and (isinstance(op, VectorOp) or type(op).__name__ in _MATRIX_FUNCTIONS):
                names = ", ".join(f"`{tex_name(n)}`" for n in plain)
                return (f"mathlint reads {names} as a number, which `{_op_name(op)}` treats alike for every kind "
                        "(norms of a number agree, its inner and elementwise products too): holding so proves "
                        "nothing about the vector or matrix the text means")
    return None


#: undefined functions the linear-algebra reading leaves for matrices (``\mathbf X^\top``, a matrix norm)
_MATRIX_FUNCTIONS = frozenset({"transpose", "norm", "entry", "det", "tr", "trace", "diag"})


def _op_name(op: sp.Basic) -> str:
    return type(op).__name__


def _scalars_hidden(e: sp.Basic) -> sp.Basic:
    r"""``e`` with its norms and inner products as 1: numbers for every kind of operand, which commute
    (``\|\mathbf x\| \|\mathbf y\|`` is no product whose order matters)."""
    return replace_nodes(e, lambda x: isinstance(x, Norm | Inner), lambda x: sp.Integer(1), evaluate=False)


def _bold_names(e: sp.Basic) -> set[str]:
    return {s.name for s in e.free_symbols if isinstance(s, sp.Symbol) and BOLD_NAME.match(s.name)}


def _power_of_sum(p: sp.Pow) -> bool:
    """``(\\mathbf A + \\mathbf B)^2``: expanding it reorders the products of its terms."""
    return isinstance(p.base, sp.Add) and p.exp.is_Integer is True and p.exp > 1


def tie_bold(lhs: sp.Basic, rhs: sp.Basic, patterns: Mapping[str, Components] | None = None
             ) -> tuple[sp.Basic, sp.Basic, set[str]]:
    """``\\mathbf{x}`` read as the vector of the ``x_i`` the same claim uses (``\\mathbf{x}^\\top
    \\mathbf{w} = \\sum_i x_i w_i``): the bold name becomes the plain one, which the instantiation
    makes a vector of those components; returns the sides and the bold names so tied. A name a
    pattern defines as ``x_1, …, x_n`` (``patterns``) has its sums ``\\sum_i`` run to ``n``; call
    :func:`untied` first (a claim it names is not tied)."""
    sides = [e for e in (lhs, rhs) if isinstance(e, sp.Basic)]
    mapping, bounds = {}, {}
    for sym, plain in _ties(sides).items():
        mapping[sym] = sp.Symbol(plain)
        comp = (patterns or {}).get(sym.name)
        if comp is not None and comp.size is not None:
            bounds.update({t: _bounded(t, comp.size) for e in sides for sums, _ in _uses(e, plain) for t in sums})
    if not mapping:
        return lhs, rhs, set()
    tied = {s.name for s in mapping}
    mapping.update({k: v for k, v in bounds.items() if v is not k})
    return (*(xreplace(e, mapping) if isinstance(e, sp.Basic) else e for e in (lhs, rhs)), tied)


def _ties(sides: list[sp.Basic]) -> dict[sp.Symbol, str]:
    """Bold names whose plain letter's components the claim uses: name → the plain letter."""
    bases = {i.base.label.name for e in sides for i in atoms(e, sp.Indexed)}
    out = {}
    for e in sides:
        for sym in atoms(e, sp.Symbol):  # not ``free_symbols``: a sum whose limits do not read raises there
            m = BOLD_NAME.match(sym.name) if isinstance(sym, sp.Symbol) else None
            plain = m.group(2).lstrip("\\") if m else None
            if plain and plain in bases:
                out[sym] = plain
    return out


def _uses(e: sp.Basic, base: str, sums: tuple = ()) -> Iterator[tuple[tuple, sp.Indexed]]:
    """Each component of ``base`` in ``e`` with the sums around it (innermost last)."""
    if isinstance(e, sp.Indexed):
        if e.base.label.name == base:
            yield sums, e
        return
    if isinstance(e, sp.Sum):
        sums = (*sums, e)
    for a in e.args:
        yield from _uses(a, base, sums)


def _binding(sums: tuple, index: sp.Basic) -> sp.Sum | None:
    """The innermost of ``sums`` over ``index``."""
    return next((s for s in reversed(sums) if any(lim[0] == index for lim in s.limits)), None)


def _bounded(s: sp.Sum, n: sp.Symbol) -> sp.Sum:
    """``\\sum_i`` (to ``N_*``) over the components of a pattern of size ``n``: to ``n``."""
    limits = [(v, lo, n if hi == SUM_BOUND else hi) for v, lo, hi in s.limits]
    return sp.Sum(s.function, *limits) if [tuple(lim) for lim in s.limits] != limits else s


def untied(lhs: sp.Basic, rhs: sp.Basic, patterns: Mapping[str, Components]) -> str | None:
    """Why a claim that uses the components ``x_i`` of a bold name a pattern defines is not read
    with ``\\mathbf x`` as the vector of them: the pattern is not ``x_1, …, x_n`` (0-based, shifted,
    reversed, strided, a row, a name defined twice), or a component is no ``x_i`` of a sum over
    ``i = 1 … n`` with that ``n``. None when every such name ties (or none is defined so)."""
    sides = [e for e in (lhs, rhs) if isinstance(e, sp.Basic)]
    for sym, plain in _ties(sides).items():
        comp = patterns.get(sym.name)
        if comp is None:
            if any(lim[0] in ix.indices and lim[1] == 0 for e in sides for sums, ix in _uses(e, plain)
                   for s in sums for lim in s.limits):
                return (f"a sum over the components `{plain}_i` starts at 0 (0-based components): mathlint reads "
                        f"`{tex_name(sym.name)}` only as the vector of `{plain}_1, …, {plain}_n`")
            continue
        where = f"`{tex_name(sym.name)}` (its components as line {comp.line} gives them)"
        if comp.size is None:
            return (f"{where} is not the column of `{plain}_1, …, {plain}_n` (another range, order, stride or "
                    f"shape, or defined twice): mathlint does not read it as the vector of the `{plain}_i` "
                    "this claim uses")
        for e in sides:
            for sums, ix in _uses(e, plain):
                s = _binding(sums, ix.indices[0]) if len(ix.indices) == 1 else None
                lim = next((lim for lim in s.limits if lim[0] == ix.indices[0]), None) if s is not None else None
                to = (comp.size, SUM_BOUND) if len(sums) == 1 else (comp.size,)  # ``\\sum_i``: to n
                if lim is None or lim[1] != 1 or lim[2] not in to:
                    return (f"{where} has the components `{plain}_1, …, {plain}_{comp.size}`; this claim uses "
                            f"`{plain}` otherwise (another index or range), which mathlint does not tie to it")
    return None
