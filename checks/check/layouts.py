r"""Readings a claim about matrix calculus leaves open, tried in turn and named in the verdict.

The layout of a derivative by a vector or a matrix is a convention: the denominator layout (the
variable's axis first: ``\nabla_{\mathbf x}\mathbf A\mathbf x = \mathbf A^\top``, as d2l writes it)
or the numerator layout (transposed). A claim is checked in the layout its prose names, else in
both, where a gradient written with ``\nabla`` of a scalar keeps the variable's shape in either;
it holds in the layout named when one holds, and is refuted only when it fails in every layout
(also with its other matrices symmetric). A norm of a matrix without the subscript ``F`` may be
the spectral norm or the entrywise (Frobenius) one; mathlint computes the entrywise one only, so
a claim holds *reading it so*, is never refuted through it, and is unchecked where the prose
speaks of the spectral norm.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.linalg import (
    DENOMINATOR,
    LAYOUT_NAMES,
    NABLA_NUMERATOR,
    NUMERATOR,
    Gradient,
    MatProd,
    Norm,
    Partials,
    Vector,
)
from ..expr.printing import tex_name
from ..expr.walk import atoms
from ..expr.walk import replace as replace_nodes
from ..model import CheckResult, Verdict
from ..numeric.matshapes import bold_kind
from .outcome import HOLDS_UNDER

Checked = Callable[..., CheckResult]


def _bold(v: sp.Basic) -> bool:
    return isinstance(v, sp.Symbol) and bold_kind(v.name) is not None


#: functions a gradient's operand may call: computed on matrices (any other is left to the generic proofs)
_COMPUTED = frozenset({"transpose", "det", "tr", "trace", "Tr"})


def _by_bold(e: sp.Basic) -> bool:
    """``Derivative(f, x)`` once by a bold name, or the opaque ``d(f, x, 1)`` the reader makes of
    a derivative of an expression holding a transpose or a norm (computed here on the values); only
    of an ``f`` that names ``x`` (how an undefined ``y`` depends on ``x`` is unknown, not nil) and
    calls no undefined function (``\\nabla_{\\mathbf x} f(\\mathbf x)``: proved for every f elsewhere)."""
    if isinstance(e, sp.Derivative) and len(e.variable_count) == 1 and e.variable_count[0][1] == 1:
        f, x = e.expr, e.variable_count[0][0]
    elif isinstance(e, AppliedUndef) and type(e).__name__ == "d" and len(e.args) == 3 and e.args[2] == 1:
        f, x = e.args[0], e.args[1]
    else:
        return False
    return _bold(x) and f.has(x) and all(type(c).__name__ in _COMPUTED for c in atoms(f, AppliedUndef))


def in_layout(e: sp.Basic, layout: sp.Integer) -> sp.Basic:
    """``e`` with every derivative by a bold name a :class:`Gradient` in ``layout``."""
    if not isinstance(e, sp.Basic) or not any(_by_bold(n) for n in atoms(e, sp.Derivative, AppliedUndef)):
        return e
    return replace_nodes(e, _by_bold, lambda d: Gradient(d.args[0], d.args[1] if not isinstance(d, sp.Derivative)
                                                           else d.variable_count[0][0], layout), evaluate=False)


def _layout_text(layout: sp.Integer) -> str:
    return f"in the {LAYOUT_NAMES[layout]} layout"


#: prose that fixes the layout: the numerator one (the Jacobian formulation) or the denominator one
_STATED = ((NUMERATOR, re.compile(r"numerator[- ]layout|jacobian formulation|shape of (?:its|the) transpose",
                                  re.I)),
           (DENOMINATOR, re.compile(r"denominator[- ]layout|gradient formulation|hessian formulation", re.I)))
#: a derivative written as a fraction or an operator other than ``\nabla``
_NOT_NABLA = re.compile(r"\\partial|\\frac\s*\{\s*(?:\\mathrm\s*\{?\s*)?d|(?<![A-Za-z\\])D_")


def stated_layout(prose: str) -> sp.Integer | None:
    """The one layout the prose names, None when it names none or both."""
    named = [lay for lay, rx in _STATED if rx.search(prose)]
    return named[0] if len(named) == 1 else None


def _readings(latex: str, prose: str) -> tuple[sp.Integer, ...]:
    """The layouts a claim may mean: the one its prose names; else both, where ``\\nabla`` of a
    scalar keeps the variable's shape (only the derivatives of arrays are transposed)."""
    if (stated := stated_layout(prose)) is not None:
        return (stated,)
    nabla = "\\nabla" in latex and not _NOT_NABLA.search(latex)
    return (DENOMINATOR, NABLA_NUMERATOR if nabla else NUMERATOR)


def in_layouts(checked: Checked, lhs: sp.Basic, rhs: sp.Basic, latex: str = "", prose: str = "") -> CheckResult:
    """The verdict of ``checked(lhs, rhs)`` over the layouts the claim may mean (:func:`_readings`):
    holds in one → that one, named; refuted only when refuted in every layout, also those excluded
    (holding only there: unchecked, why named)."""
    lhs, rhs = bracket_as_vector(lhs, rhs)
    den = [in_layout(s, DENOMINATOR) for s in (lhs, rhs)]
    if den == [lhs, rhs]:
        return checked(lhs, rhs)
    readings = _readings(latex, prose)
    v = _over(checked, lhs, rhs, readings)
    if v.verdict != Verdict.REFUTED:
        return _shape_kept(v, lhs, rhs, readings)
    for lay in (DENOMINATOR, NUMERATOR):
        if lay in readings:
            continue
        other = checked(*[in_layout(s, lay) for s in (lhs, rhs)])
        if other.verdict in HOLDS_UNDER:
            why = (f"the text uses the {LAYOUT_NAMES[readings[0]]} layout" if len(readings) == 1 else
                   "a gradient of a scalar written with `\\nabla` has the variable's shape")
            return CheckResult(Verdict.UNCHECKED, reason=f"holds only {_layout_text(lay)}, but {why}; "
                               f"as mathlint reads it, {v.reason}", details=(f"{_layout_text(lay)}: {other.reason}",),
                               assumptions=v.assumptions)
    if names := _symmetric_only(checked, lhs, rhs, readings):
        return CheckResult(Verdict.UNCHECKED, reason=f"holds only if {names} symmetric; for a general matrix, as "
                           f"mathlint reads it, {v.reason}", details=v.details, assumptions=v.assumptions)
    return v


def _variables(sides) -> set[sp.Basic]:
    """The bold names the sides differentiate by."""
    return {n.variable_count[0][0] if isinstance(n, sp.Derivative) else n.args[1]
            for e in sides for n in atoms(e, sp.Derivative, AppliedUndef) if _by_bold(n)}


def _shape_kept(v: CheckResult, lhs: sp.Basic, rhs: sp.Basic, readings: tuple[sp.Integer, ...]) -> CheckResult:
    """A verdict that holds in both readings of a ``\\nabla`` by a matrix names the convention it
    rests on: the gradient of a scalar has the variable's shape."""
    if v.verdict not in HOLDS_UNDER or NABLA_NUMERATOR not in readings or "layout" in v.reason \
            or not any(bold_kind(x.name) == "matrix" for x in _variables((lhs, rhs)) if isinstance(x, sp.Symbol)):
        return v
    return replace(v, reason=f"holds {_layout_text(DENOMINATOR)} (a gradient of a scalar by a matrix has the "
                             f"matrix's shape): {v.reason}")


def _symmetric_only(checked: Checked, lhs: sp.Basic, rhs: sp.Basic, readings: tuple[sp.Integer, ...]) -> str:
    """The matrices (other than the variables) whose symmetry makes a refuted claim hold, named
    (``\\nabla_{\\mathbf X}\\mathrm{tr}(\\mathbf X^\\top\\mathbf A\\mathbf X) = 2\\mathbf A\\mathbf X``); "" when
    it still fails with each of them replaced by the symmetric ``M + M^\\top``."""
    variables = _variables((lhs, rhs))
    names = sorted({s for e in (lhs, rhs) for s in e.free_symbols
                    if bold_kind(s.name) == "matrix" and s not in variables}, key=lambda s: s.name)
    if not names:
        return ""
    symmetric = {s: sp.Add(s, sp.Function("transpose")(s), evaluate=False) for s in names}
    try:
        v = _over(checked, lhs.xreplace(symmetric), rhs.xreplace(symmetric), readings)
    except Exception:  # noqa: BLE001 - a matrix that cannot be symmetric (not square): no such reading
        return ""
    if v.verdict not in HOLDS_UNDER:
        return ""
    listed = ", ".join(f"`{tex_name(s.name)}`" for s in names)
    return f"{listed} {'is' if len(names) == 1 else 'are'}"


def _over(checked: Checked, lhs: sp.Basic, rhs: sp.Basic, readings: tuple[sp.Integer, ...]) -> CheckResult:
    """The verdict over ``readings`` (one or two layouts)."""
    results = [(lay, checked(*[in_layout(s, lay) for s in (lhs, rhs)])) for lay in readings]
    if len(results) == 1:
        return _named(results[0][1], readings[0])
    (la, a), (lb, b) = results
    if a.verdict in HOLDS_UNDER and b.verdict in HOLDS_UNDER:
        return a  # the layout does not matter
    for one, other, lay, other_lay in ((a, b, la, lb), (b, a, lb, la)):
        if one.verdict in HOLDS_UNDER:
            return replace(_named(one, lay), details=(*one.details, f"{_layout_text(other_lay)}: {other.reason}"))
    if a.verdict == b.verdict == Verdict.REFUTED:  # the same failure: the layout did not matter
        return a if a.reason == b.reason else replace(a, details=(*a.details, f"{_layout_text(lb)} too: "
                                                                              f"{b.reason}"))
    failed = next(((r, lay) for lay, r in results if r.verdict == Verdict.REFUTED), None)
    if failed is None:
        return a
    r, lay = failed
    other = b if lay == la else a
    return CheckResult(Verdict.UNCHECKED, reason=f"fails {_layout_text(lay)}, and the other layout cannot be "
                       f"checked: {other.reason}", details=(f"{_layout_text(lay)}, {r.reason}",),
                       assumptions=r.assumptions)


def bracket_as_vector(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic]:
    """``\\nabla f(x, y) = [a, b]``: the closed bracket beside a gradient is the vector ``(a, b)``,
    which the reader took for an interval."""
    def vector(side, other):
        if isinstance(other, Partials) and isinstance(side, sp.Interval) and not (side.left_open or side.right_open) \
                and len(other.args) == 2:
            return Vector(side.start, side.end)
        return side
    return vector(lhs, rhs), vector(rhs, lhs)


def _named(v: CheckResult, layout: sp.Integer) -> CheckResult:
    if v.verdict not in HOLDS_UNDER:
        return v
    return replace(v, reason=f"holds {_layout_text(layout)} (derivatives by a vector or a matrix: "
                             f"{'the variable' if layout == DENOMINATOR else 'the function'}'s axis first): {v.reason}")


#: a norm's delimiters (``\|``, ``\Vert``, ``\left\|``) and the subscript after each
_NORM_BAR = re.compile(r"(?:\\(?:left|right|[bB]igg?[lr]?)\s*)?(?:\\\||\\[lr]?Vert)"
                       r"(\s*_\s*\{?\s*(?:\\(?:textrm|mathrm|text|rm)\s*\{?\s*)?F\b)?")
#: prose saying the norm of a matrix is the spectral one, which mathlint does not compute
_SPECTRAL = re.compile(r"\bspectral\b|operator\W{1,3}norm|induced\W{1,3}(?:2-)?norm|(?:largest|maximum|top) "
                       r"singular value|matrix 2-norm", re.I)


def _unsubscripted_norm(latex: str) -> bool:
    """A norm written without the Frobenius subscript ``F`` (delimiters paired in order)."""
    bars = list(_NORM_BAR.finditer(latex))
    if len(bars) % 2:
        return True
    return any(not close.group(1) for close in bars[1::2])


#: ``\mathbf{H} f(x, y)``: read as the Hessian of ``f`` (``latex/calculus``), not a matrix times a number
_HESSIAN = re.compile(r"\\mathbf\s*\{\s*H\s*\}\s*[A-Za-z]\s*(?:\\left\s*)?\(")


def named_readings(v: CheckResult, claim, prose: str, lhs: sp.Basic, rhs: sp.Basic = None) -> CheckResult:
    """The readings of ``\\|\\mathbf M\\|_2`` and of ``\\mathbf H f(x, y)`` named in the verdict; a
    gradient of a function the text gives as a value is not refuted (:func:`_a_value`)."""
    sides = [e for e in (lhs, rhs, claim.lhs, claim.rhs) if isinstance(e, sp.Basic)]
    if any(_matrix_valued(n.args[0]) for e in sides for n in atoms(e, Norm) if n.args[1] == 2):
        v = _matrix_norm_reading(v, claim.latex, prose)
    v = _hessian_reading(v, claim.latex)
    if v.verdict == Verdict.REFUTED and (why := _a_value(claim)):
        return CheckResult(Verdict.UNCHECKED, reason=why, details=(f"as mathlint reads it, {v.reason}",),
                           assumptions=v.assumptions)
    return v


def _a_value(claim) -> str:
    """``f(x, y) = \\log(3)`` (a value at a point the prose names) differentiated as a function of its
    arguments: a misreading, named; "" otherwise."""
    called = {type(c) for side in (claim.lhs, claim.rhs) if isinstance(side, sp.Basic)
              for p in atoms(side, Partials, sp.ImmutableMatrix) for c in atoms(p, AppliedUndef)}
    for g in claim.definitions:
        d = g.reference
        if isinstance(d.target, AppliedUndef) and type(d.target) in called and d.params \
                and not set(d.params) & d.body.free_symbols:
            return (f"the gradient of `{type(d.target).__name__}`, which the text gives as a value "
                    f"(`{d.latex}`), not a function of its arguments")
    return ""


def _hessian_reading(v: CheckResult, latex: str) -> CheckResult:
    """``\\mathbf H f(x, y)`` read as the Hessian: named when it holds; a refutation withdrawn (the
    text may multiply a matrix ``\\mathbf H`` by the number ``f(x, y)``)."""
    if not _HESSIAN.search(latex):
        return v
    if v.verdict in HOLDS_UNDER:
        return replace(v, reason=f"holds reading `\\mathbf{{H}} f(…)` as the Hessian of the function: {v.reason}")
    if v.verdict == Verdict.REFUTED:
        return CheckResult(Verdict.UNCHECKED, reason="fails reading `\\mathbf{H} f(…)` as the Hessian of the "
                           "function; the text may mean a matrix H times f", details=(f"as the Hessian, {v.reason}",),
                           assumptions=v.assumptions)
    return v


def _matrix_valued(e: sp.Basic) -> bool:
    """A matrix: an explicit one (two rows and two columns or more), a bold capital, a call the
    text writes of matrices (``\\mathrm{diag}(3, 4)``), a transpose, an inverse or a power, a sum,
    multiple or product of matrices (``\\mathbf A\\mathbf x`` is a vector: a product is a matrix
    when its first and last factors are)."""
    if isinstance(e, sp.MatrixBase):
        return e.rows > 1 and e.cols > 1
    if isinstance(e, sp.Symbol):
        return bold_kind(e.name) == "matrix"
    if isinstance(e, MatProd):
        return _matrix_valued(e.args[0]) and _matrix_valued(e.args[-1])
    if isinstance(e, AppliedUndef) and type(e).__name__ in ("transpose", "diag", "inverse") and e.args:
        return type(e).__name__ == "diag" and len(e.args) > 1 or _matrix_valued(e.args[0])
    if isinstance(e, sp.Pow):
        return _matrix_valued(e.base)
    if isinstance(e, (sp.Add, sp.Mul, sp.MatMul, sp.MatAdd)):
        return any(_matrix_valued(a) for a in e.args)
    return False


def _matrix_norm_reading(v: CheckResult, latex: str, prose: str) -> CheckResult:
    r"""A norm of a matrix without the subscript ``F``: spectral where the prose says so (not
    computed: unchecked), else read entrywise: a verdict that holds names the reading; a refutation
    is withdrawn (the spectral reading is not computed)."""
    if not _unsubscripted_norm(latex):
        return v
    if m := _SPECTRAL.search(prose):
        return CheckResult(Verdict.UNCHECKED, reason=f"the text may mean the spectral norm (“{m.group(0).lower()}”), "
                           "which mathlint does not compute", details=(f"read entrywise, {v.reason}",),
                           assumptions=v.assumptions)
    if v.verdict in HOLDS_UNDER:
        return replace(v, reason=f"holds reading the norm of a matrix entrywise (the Frobenius norm, not the "
                                 f"spectral one): {v.reason}")
    if v.verdict == Verdict.REFUTED:
        return CheckResult(Verdict.UNCHECKED, reason="fails reading the norm of a matrix entrywise (the Frobenius "
                           "norm); the text may mean the spectral norm, which mathlint does not compute",
                           details=(f"read entrywise, {v.reason}",), assumptions=v.assumptions)
    return v
