r"""Bold lower-case names that a claim's notation makes vectors: the operand of a norm
(``\|\mathbf w\|``, ``\|\mathbf x + \mathbf y\|``) or of an inner product (``\mathbf w^\top\mathbf w``,
``\langle \mathbf x, \mathbf y\rangle``).

Read as numbers, such names prove nothing (a norm of a number is its absolute value whatever the
subscript; :func:`~mathlint.check.boldnames.ordered_product` withdraws those verdicts). Read as
vectors of the claim's instance size (the components drawn at random), a norm and an inner
product are computed on the components, and the claim is checked at sizes 2, 3, 4. A bold
capital is left to the matrix reading (a matrix norm's subscript is ambiguous). A failure under
this reading refutes only if the claim also fails with the names read as numbers: the reading is
mathlint's, so a refutation must not rest on it alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace

import sympy as sp

from ..expr.linalg import Inner, Norm
from ..expr.printing import tex_name
from ..expr.walk import atoms
from ..model import CheckResult, Verdict

_BOLD_LOWER = re.compile(r"^(?:math|boldsymbol)\{\\?([a-z][A-Za-z]*)\}$")
#: the operands of each operation that are vectors (a norm's order is a number)
_OPERANDS: dict[type, Callable[[sp.Basic], tuple]] = {Norm: lambda e: e.args[:1], Inner: lambda e: e.args}


def _named(e: sp.Basic) -> Iterator[str]:
    """Bold lower-case names an operand is made of: itself, the terms of a sum, the one bold
    factor of a multiple (``2\\mathbf x``)."""
    if isinstance(e, sp.Symbol):
        if _BOLD_LOWER.match(e.name):
            yield e.name
    elif isinstance(e, sp.Add):
        for t in e.args:
            yield from _named(t)
    elif isinstance(e, sp.Mul):
        bold = [a for a in e.args if any(True for _ in _named(a))]
        if len(bold) == 1 and all(a.is_number for a in e.args if a is not bold[0]):
            yield from _named(bold[0])


def vector_names(lhs: sp.Basic, rhs: sp.Basic, excluded: Collection[str] = ()) -> set[str]:
    """The bold lower-case names a claim uses as operands of norms and inner products, but the
    ``excluded`` (declared matrices, rows: ``extra["not_vectors"]``)."""
    out: set[str] = set()
    for side in (lhs, rhs):
        if not isinstance(side, sp.Basic):
            continue
        for op in atoms(side, *_OPERANDS):
            for operand in _OPERANDS[type(op)](op):
                out.update(_named(operand))
    return out - set(excluded)


Check = Callable[[sp.Basic, sp.Basic, object, bool], CheckResult]


def as_vectors(check: Check, lhs: sp.Basic, rhs: sp.Basic, ctx, excluded: Collection[str] = ()) -> CheckResult:
    """``check(lhs, rhs, ctx, quiet)`` with the claim's vector names (:func:`vector_names`)
    declared vectors in ``ctx``; a refutation under that reading stands only if the claim is also
    refuted with them read as numbers (else unchecked, both results named)."""
    names = sorted(vector_names(lhs, rhs, excluded) - set(ctx.vectors))
    if not names:
        return check(lhs, rhs, ctx, False)
    vectors = {**ctx.vectors, **{n: ("vector", None) for n in names}}
    v = check(lhs, rhs, replace(ctx, vectors=vectors), False)
    which = ", ".join(f"`{tex_name(n)}`" for n in names) + (" as vectors" if len(names) > 1 else " as a vector")
    if v.verdict == Verdict.REFUTED:  # the reading is mathlint's: the claim as written decides (and its guards)
        scalar = check(lhs, rhs, ctx, True)
        if scalar.verdict != Verdict.REFUTED:
            return CheckResult(Verdict.UNCHECKED, reason=f"with {which}, {v.reason}; read as numbers it is "
                               f"{scalar.verdict}: mathlint does not refute on its own reading",
                               details=v.details, assumptions=v.assumptions)
        return replace(scalar, details=(*scalar.details, f"with {which}, {v.reason}"))
    if v.verdict in (Verdict.PROVED, Verdict.CONSISTENT, Verdict.NEEDS_ASSUMPTION):
        return replace(v, reason=f"reading {which}: {v.reason}")
    return v



#: prose that names a norm other than the Euclidean one (an unsubscripted ``\\|x\\|`` is then not it)
#: (``\\ell_1`` alone may name a penalty, "$\\ell_1$ regularization": only with the word norm after it)
_OTHER_NORM = re.compile(r"(?:\\ell_?\{?\s*(?:1|\\infty)|\bl_?\{?(?:1|\\infty)\b|\bL_?\{?1\b)[\s$}{-]{0,6}norm"
                         r"|\b(?:1|one|infinity|max(?:imum)?|manhattan)[- ]norm"
                         r"|\bspectral\b|\boperator norm|\bnuclear norm", re.IGNORECASE)
_BAR = re.compile(r"\\(?:\||[lr]?Vert)")


def unread(lhs: sp.Basic, rhs: sp.Basic, latex: str, prose: str, defined: dict) -> str | None:
    """Why a claim's norms or inner products are not the standard ones: the text defines its own
    (``defined``: (``Inner``, None) or (``Norm``, p) → its line), or the prose around the claim
    names another norm for an unsubscripted ``\\|x\\|``; None when they are."""
    ops = [op for side in (lhs, rhs) if isinstance(side, sp.Basic) for op in atoms(side, Inner, Norm)]
    for (kind, p), line in defined.items():
        if kind is Inner and any(isinstance(op, Inner) for op in ops) and "\\langle" in latex:
            return f"the text defines its own inner product (line {line}): not read as the standard one"
        if kind is Norm and any(isinstance(op, Norm) and op.args[1] == p for op in ops):
            return f"the text defines its own norm (line {line}): not read as the standard one"
    if any(isinstance(op, Norm) for op in ops) and _unsubscripted(latex) and _OTHER_NORM.search(prose):
        return ("the prose around the claim names another norm than the Euclidean one: an unsubscripted norm is not "
                "read as it")
    return None


def _unsubscripted(latex: str) -> bool:
    """Whether a norm in ``latex`` has no subscript (every second bar closes one)."""
    bars = list(_BAR.finditer(latex))
    return any(not re.match(r"\s*_", latex[m.end():]) for m in bars[1::2])


def facts(claim, prose: str) -> tuple:
    """What the text says of a claim's bold names and operations (its cache key's part): the
    patterns in force, the names that are no vectors, its own norms, another norm in the prose."""
    comps = claim.extra.get("components", {})
    return (tuple(sorted((n, c.column, c.size, c.line) for n, c in comps.items())),
            tuple(sorted(claim.extra.get("not_vectors", ()))),
            tuple(sorted((k.__name__, str(p), line) for (k, p), line in claim.extra.get("defined", {}).items())),
            bool(_OTHER_NORM.search(prose)))
