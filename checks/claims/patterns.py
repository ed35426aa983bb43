r"""Definitions by a pattern of components: ``\mathbf x = [x_1; \vdots; x_n]``, ``\mathbf A^\top =
[a_{11} \cdots a_{m1}; \vdots \ddots \vdots; …]``.

Such an equation says what the bold name *is* (the vector of its components ``x_i``, the matrix
of its entries ``a_{ij}``), at every size; it is no value to substitute. Read as one, the
pattern (an undefined ``matrix_pattern`` of the cells written, :mod:`mathlint.latex.environments`)
would replace the bold name in every later claim, which then depends on a function the text
never defines. So the definition is recorded, not substituted: the bold name stays a vector or
matrix, and a claim that uses its components reads it as the vector of them
(:func:`mathlint.check.boldnames.tie_bold`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.linalg import Inner, Norm
from ..expr.printing import BOLD_SYMBOL, tex_name
from ..expr.symbols import RealSpace
from ..expr.walk import atoms
from ..latex.environments import cells, outermost
from ..relations import RELATIONS
from .cues import Cue, cue_of

PATTERN = "matrix_pattern"


def is_pattern(e: sp.Basic) -> bool:
    """A matrix written with ``\\vdots``/``\\cdots`` cells (the reader's ``matrix_pattern``)."""
    return isinstance(e, AppliedUndef) and type(e).__name__ == PATTERN


def _named(target: sp.Basic) -> sp.Symbol | None:
    """The name a pattern defines: ``\\mathbf x``, or ``\\mathbf A`` of ``\\mathbf A^\\top``."""
    if isinstance(target, sp.Symbol):
        return target
    if isinstance(target, sp.Indexed):  # ``\mathbf H_f``: a name with a label
        return target.base.label
    if isinstance(target, AppliedUndef) and type(target).__name__ == "transpose" and len(target.args) == 1 \
            and isinstance(target.args[0], sp.Symbol):
        return target.args[0]
    return None


def component_base(body: sp.Basic) -> str | None:
    """The one name whose components are every cell of a pattern (``x`` of ``x_1, …, x_n``), or None."""
    bases = set()
    for cell in body.args:
        if not isinstance(cell, sp.Indexed):
            return None
        bases.add(cell.base.label.name)
    return bases.pop() if len(bases) == 1 else None


def pattern_definition(target: sp.Basic, body: sp.Basic, latex: str = "") -> str | None:
    """Why ``target = body`` is a definition by a pattern that is not substituted (the reason of
    its claim), or None when it is none; ``latex`` (the body as written) tells a column from a row."""
    comp = components(target, body, latex, 0) if latex else None
    if isinstance(body, AppliedUndef) and type(body).__name__ == "transpose" and len(body.args) == 1:
        body = body.args[0]  # ``[x_1, \ldots, x_n]^\top``: a column written as a transposed row
    name = _named(target) if isinstance(body, sp.Basic) and is_pattern(body) else None
    if name is None:
        return None
    base = component_base(body)
    m = BOLD_SYMBOL.match(name.name)
    letter = m.group(1) if m else name.name
    what = "matrix" if letter[:1].isupper() or len({len(c.indices) for c in atoms(body, sp.Indexed)} - {1}) else \
        "vector"
    if base is not None and base == letter and comp is not None and comp.size is not None:
        return (f"defines `{tex_name(name.name)}` as the {what} of its components `{base}_1, …, {base}_{comp.size}` "
                f"(written with dots): a claim that uses them reads `{tex_name(name.name)}` as the {what} of them; "
                "not substituted")
    if base is not None and base == letter:
        return (f"defines `{tex_name(name.name)}` by a pattern of its components `{base}_i` that is not the column "
                f"`{base}_1, …, {base}_n`: it stays an undefined {what}, not substituted nor tied to them")
    of = f" of `{tex_name(base)}`" if base else ""
    return (f"defines `{tex_name(name.name)}` by a pattern of entries{of} written with dots: it stays an undefined "
            f"{what}, not substituted")


@dataclass(frozen=True)
class Components:
    """What a pattern definition makes its bold name at the claims after it: a vector (one column,
    or a transposed row) or not, and the size ``n`` of the standard ``x_1, …, x_n``, the only
    pattern a claim's components ``x_i`` are tied to (another range, order or stride, or a name
    defined twice, has no size: its claims that use components are left unchecked)."""

    name: str  # the bold symbol's name (``math{x}``)
    line: int
    column: bool
    size: sp.Symbol | None
    latex: str


def components(target: sp.Basic, body: sp.Basic, latex: str, line: int) -> Components | None:
    """The facts of a definition by a pattern (``\\mathbf x = [x_1; \\vdots; x_n]``), or None."""
    transposed = isinstance(body, AppliedUndef) and type(body).__name__ == "transpose" and len(body.args) == 1
    pattern = body.args[0] if transposed else body
    name = _named(target) if is_pattern(pattern) else None
    if name is None or not isinstance(target, sp.Symbol):  # ``\mathbf A^\top = …``: no vector
        return None
    shape = _shape(latex)
    column = shape is not None and (shape[0] == 1 if transposed else shape[1] == 1)
    m = BOLD_SYMBOL.match(name.name)
    letter = m.group(1) if m else None
    standard = column and letter is not None and component_base(pattern) == letter
    indices = [c.indices[0] if len(c.indices) == 1 else None for c in pattern.args] if standard else []
    size = indices[-1] if len(indices) > 1 and isinstance(indices[-1], sp.Symbol) else None
    if size is None or indices[:-1] != [sp.Integer(k) for k in range(1, len(indices))]:
        size = None  # not x_1, x_2, …, x_n: 0-based, shifted, reversed, strided, or of entries
    return Components(name.name, line, column, size, " ".join(latex.split()))


def _shape(latex: str) -> tuple[int, int] | None:
    """Rows and columns of the one environment a side is written with (cells with dots counted)."""
    envs = outermost(latex)
    rows = cells(envs[0].body) if len(envs) == 1 else []
    widths = {len(r) for r in rows}
    return (len(rows), widths.pop()) if len(widths) == 1 else None


#: ``\\mathbf x \\in \\mathbb C^n``: a complex vector, whose norm is no sum of squares
_COMPLEX = re.compile(r"\\mathbf\s*\{\s*([A-Za-z])\s*\}\s*\\in\s*\\mathbb\s*\{?\s*C\b")


def in_force(claims: list) -> None:
    """Give every claim what the text before it says of its bold names and operations:
    ``extra["components"]`` (bold name → the latest :class:`Components`; a name defined twice by
    different patterns has no size), ``extra["not_vectors"]`` (bold names declared matrices,
    ``\\mathbf w \\in \\mathbb R^{n\\times n}``, or defined by a pattern that is no column) and
    ``extra["defined"]`` (the operations it defines itself: ``\\langle x, y\\rangle = x^\\top M y``)."""
    latest: dict[str, Components] = {}
    no_vectors: set[str] = set()
    defined: dict[tuple, int] = {}
    for claim in claims:
        if (op := defined_operation(claim)) is not None:
            defined.setdefault(op, claim.line)
        if latest:
            claim.extra["components"] = dict(latest)
        if not_vectors := no_vectors | {n for n, c in latest.items() if not c.column}:
            claim.extra["not_vectors"] = frozenset(not_vectors)
        if defined:
            claim.extra["defined"] = dict(defined)
        comp = claim.extra.get("pattern")
        if isinstance(comp, Components):
            old = latest.get(comp.name)
            redefined = old is not None and old.latex != comp.latex
            latest[comp.name] = replace(comp, size=None) if redefined else comp
        no_vectors.update(f"math{{{m.group(1)}}}" for m in _COMPLEX.finditer(claim.latex))  # its norm: a conjugate
        if claim.role == "domain" and isinstance(claim.rhs, RealSpace):
            names = [s.name for s in (claim.lhs.args if isinstance(claim.lhs, sp.Tuple) else [claim.lhs])
                     if isinstance(s, sp.Symbol)]
            if len(claim.rhs.args) > 1:
                no_vectors.update(names)
            for n in names:  # ``\\mathbf x \\in \\mathbb R^d`` after ``x_1, …, x_n``: its components are x_1, …, x_d
                if n in latest and latest[n].size is not None and isinstance(claim.rhs.args[0], sp.Symbol):
                    latest[n] = replace(latest[n], size=claim.rhs.args[0], line=claim.line)


def defined_operation(claim) -> tuple | None:
    """``(Inner, None)`` or ``(Norm, p)`` when the claim states what its own ``\\langle x, y\\rangle`` (``\\|x\\|``) of
    plain names is with more than those names and their components (a weight ``\\mathbf M``, a
    variable of integration): the text's own inner product or norm, not the standard one."""
    lhs, rhs = claim.lhs, claim.rhs
    if not isinstance(lhs, Inner | Norm) or not isinstance(rhs, sp.Basic) or claim.relation not in RELATIONS \
            or not RELATIONS[claim.relation].equality:
        return None
    operands = lhs.args if isinstance(lhs, Inner) else lhs.args[:1]
    if not all(isinstance(a, sp.Symbol) and _letter(a)[:1].islower() for a in operands):
        return None  # a matrix norm (``\\|\\mathbf X\\|_F``) says nothing of the vectors' one
    own = {a.name for a in operands} | {_letter(a) for a in operands}
    own |= {str(x) for a in lhs.args[1:] if isinstance(lhs, Norm) for x in a.free_symbols}  # the order p
    sums = {str(x) for s in atoms(rhs, sp.Sum) for lim in s.limits for x in lim}
    others = {s.name for s in atoms(rhs, sp.Symbol)} - own - sums
    others |= {type(f).__name__ for f in atoms(rhs, AppliedUndef)} - {"transpose"}
    before = (claim.extra.get("prose") or ("",))[0]
    defines = claim.relation == "def" or claim.role == "definition" or cue_of(before) is Cue.DEFINE
    if defines and isinstance(lhs, Norm) and lhs.args[1] == 2 and not (
            isinstance(rhs, sp.Pow) and rhs.exp == sp.S.Half):  # ``:=``, "define": no claim to refute
        others.add("not a square root")  # ``\\|x\\| = \\sum_i |x_i|``: no Euclidean norm
    return (type(lhs), lhs.args[1] if isinstance(lhs, Norm) else None) if others else None


def _letter(s: sp.Symbol) -> str:
    """``x`` of ``\\mathbf x`` (and of ``x``)."""
    m = BOLD_SYMBOL.match(s.name)
    return m.group(1) if m else s.name
