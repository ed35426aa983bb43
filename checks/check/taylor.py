r"""Approximations up to higher-order terms: ``f(x+\epsilon) \approx f(x) + \epsilon f'(x)``.

A text that writes ``\approx`` beside a small increment (``\epsilon``, ``\epsilon_i``, ``h``,
``\delta``, or ``x - x_0``) means the sides agree up to terms of higher order in it: the terms it
keeps, up to the highest power of the increment it writes (``\epsilon f'(x)``: order 1; a
quadratic Taylor polynomial: order 2), are right. That is checked: each increment becomes
``c_i t`` (random ``c_i``), and the difference of the sides and its first ``k`` derivatives by
``t`` vanish at ``t = 0``. Functions the text defines are used; functions it leaves undefined are
replaced by random smooth ones (:mod:`mathlint.numeric.functions`), which gives ``consistent``
only. A failure refutes nothing: ``\approx`` may also be a modelling approximation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.walk import subexpressions, xreplace
from ..model import CheckResult, Verdict
from ..numeric import functions
from .relation import rng_for

#: names of a small increment (``h`` only as a plain name: ``h_t`` is a hidden state)
_SMALL = re.compile(r"^(?:(?:var)?epsilon|delta|h)$")
_SMALL_INDEXED = re.compile(r"^(?:(?:var)?epsilon|delta)$")
_POINTS, _TOLERANCE = 4, 1e-7
MAX_ORDER = 3


@dataclass(frozen=True)
class Expansion:
    """The claim with its increments as multiples of one ``t``, and the order the text keeps."""

    lhs: sp.Basic
    rhs: sp.Basic
    t: sp.Symbol
    order: int
    names: tuple[str, ...]  # the increments, as the verdict names them


def _increments(e: sp.Basic) -> list[sp.Basic]:
    """Symbols and indexed names (``\\epsilon_1``) that name a small increment."""
    indexed = [i for i in subexpressions([e], (sp.Indexed,)) if _SMALL_INDEXED.match(str(i.base.label))]
    labels = {i.base.label for i in subexpressions([e], (sp.Indexed,))}  # ``epsilon`` of ``epsilon_1``: no name
    out = [s for s in subexpressions([e], (sp.Symbol,)) if _SMALL.match(s.name) and s not in labels]
    return sorted(set(out + indexed), key=sp.default_sort_key)


def _shift(lhs: sp.Basic, rhs: sp.Basic) -> tuple[sp.Basic, sp.Basic, list]:
    """``x - x_0`` as the increment: ``x`` becomes ``x_0 + h`` where the text expands about ``x_0``."""
    for s in sorted(subexpressions([lhs, rhs], (sp.Indexed,)), key=sp.default_sort_key):
        if len(s.indices) == 1 and s.indices[0] == 0:
            x, at = sp.Symbol(str(s.base.label)), sp.Symbol(f"{s.base.label}_0")
            sides = [xreplace(side, {s: at}) for side in (lhs, rhs)]
            if any(x in side.free_symbols for side in sides) and not any(
                    str(i.base.label) == x.name for i in subexpressions(sides, (sp.Indexed,))):
                h = sp.Symbol(f"{x} - {at}")  # the increment, named as the text writes it
                return xreplace(sides[0], {x: at + h}), xreplace(sides[1], {x: at + h}), [h]
    return lhs, rhs, []


def expansion(lhs: sp.Basic, rhs: sp.Basic) -> Expansion | None:
    """The claim as an expansion in one small ``t``, or None (no increment, or one the sides do not
    use outside function arguments, which leaves no order to check)."""
    if not all(isinstance(s, sp.Expr) for s in (lhs, rhs)):
        return None
    small = sorted(set(_increments(lhs)) | set(_increments(rhs)), key=sp.default_sort_key)
    if not small:
        lhs, rhs, small = _shift(lhs, rhs)
    if not small or len(small) > 4:
        return None
    t = sp.Dummy("t", real=True)
    scale = {s: sp.Rational(k + 2, k + 3) * t for k, s in enumerate(small)}  # distinct, fixed multiples
    left, right = xreplace(lhs, scale), xreplace(rhs, scale)
    order = max(_explicit_degree(left, t), _explicit_degree(right, t))
    if order is None or order > MAX_ORDER:
        return None
    return Expansion(left, right, t, order, tuple(str(s) for s in small))


def _explicit_degree(e: sp.Basic, t: sp.Symbol) -> int | None:
    """The highest power of ``t`` the side writes outside function arguments, derivatives and
    integrals (0 when it has ``t`` only there or divides by it); None if not a power series form."""
    opaque = {n: sp.Dummy("F") for n in subexpressions([e], (AppliedUndef, sp.Function, sp.Derivative,
                                                              sp.Integral, sp.Subs)) if n.has(t)}
    flat = xreplace(e, opaque) if opaque else e
    try:
        poly = sp.Poly(sp.expand(flat), t)
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return 0
    except Exception:
        return None
    return poly.degree() if poly.degree() >= 0 else 0


def verdict(lhs: sp.Basic, rhs: sp.Basic, key: str, seed: int, vectors=()) -> CheckResult | None:
    """Proved (defined functions only, symbolically) or consistent (numerically, or with random
    functions drawn) when the kept terms agree; unchecked with the order where they differ; None
    when the claim is no such expansion or SymPy cannot expand it."""
    ex = expansion(lhs, rhs)
    if ex is None:
        return None
    try:
        return _verdict(ex, key, seed, vectors)
    except MemoryError:
        raise
    except Exception:  # a series SymPy cannot take (a sum over the increment, a function of a vector)
        return None


def _verdict(ex: Expansion, key: str, seed: int, vectors) -> CheckResult | None:
    what = f"to order {ex.order} in {', '.join(_tex(n) for n in ex.names)}" if ex.order else \
        f"in the limit {', '.join(_tex(n) for n in ex.names)} → 0"
    drawn = functions.free_functions(ex.lhs, ex.rhs, key, vectors)
    rng = rng_for(seed, f"taylor: {key}")
    if drawn is None:
        if subexpressions([ex.lhs, ex.rhs], (AppliedUndef,)):
            return None  # a function that cannot be drawn (an operator, a function of a vector)
        bad = _first_failing(ex, [(ex.lhs, ex.rhs)], rng)
        if bad is not None:
            return _unchecked(what, bad)
        if _exactly(ex):
            return CheckResult(Verdict.PROVED, "symbolic", f"proved {what}: the sides differ by terms of higher "
                               "order (the approximation the text writes)")
        return CheckResult(Verdict.CONSISTENT, "numeric", f"holds numerically {what}: the sides differ by terms of "
                           "higher order (the approximation the text writes); no symbolic proof found")
    pairs = []
    for _ in range(functions.DRAWS):
        sides = functions.draw(drawn, rng)
        if sides is None:
            return None
        pairs.append(sides)
    bad = _first_failing(ex, pairs, rng)
    names = ", ".join(drawn.names)
    if bad is None:
        them = "it" if len(drawn.names) == 1 else "them"
        return CheckResult(Verdict.CONSISTENT, "numeric", f"holds numerically {what} with random smooth functions "
                           f"in place of {names} (the text does not define {them}; {functions.DRAWS} draws): "
                           "the sides differ by terms of higher order")
    return _unchecked(what, bad, f" with random smooth functions in place of {names}")


def _difference(ex: Expansion, left: sp.Basic, right: sp.Basic) -> sp.Basic:
    return (left - right).doit()


def _lowest_order(ex: Expansion, d: sp.Basic) -> int | None:
    """The lowest power of ``t`` up to the order kept whose coefficient in the expansion of ``d``
    at ``t = 0`` is not zero (negative powers included: ``(f(x+t) - f(x))/t``); None if none."""
    ser = sp.series(d, ex.t, 0, ex.order + 1).removeO()
    for term in sorted(sp.Add.make_args(sp.expand(ser)), key=lambda a: a.as_coeff_exponent(ex.t)[1]):
        c, p = term.as_coeff_exponent(ex.t)
        if p <= ex.order and c.free_symbols == set() and _nonzero(complex(c.evalf())):
            return int(p) if p.is_Integer else 0
    return None


def _nonzero(v: complex) -> bool:
    return not np.isfinite(v) or abs(v) > _TOLERANCE


def _first_failing(ex: Expansion, pairs: list, rng: np.random.Generator) -> int | None:
    """The lowest order at which some pair's sides differ at a random point; None if none does."""
    for left, right in pairs:
        d = _difference(ex, left, right)
        names = sorted(d.free_symbols - {ex.t}, key=sp.default_sort_key)
        for _ in range(_POINTS):
            at = {s: sp.Rational(int(rng.integers(3, 17)), 10) for s in names}  # exact: the series stays exact
            bad = _lowest_order(ex, d.xreplace(at))
            if bad is not None:
                return bad
    return None


def _exactly(ex: Expansion) -> bool:
    """Whether the kept terms agree symbolically (the expansion's terms simplify to zero)."""
    try:
        ser = sp.series(_difference(ex, ex.lhs, ex.rhs), ex.t, 0, ex.order + 1).removeO()
        return sp.simplify(ser) == 0
    except Exception:
        return False


def _unchecked(what: str, order: int, drawn: str = "") -> CheckResult:
    return CheckResult(Verdict.UNCHECKED, reason=f"the sides differ at order {order} of the increment{drawn}, so "
                       f"the approximation does not hold {what} as mathlint reads it; `\\approx` may also be a "
                       f"modelling approximation, so nothing is refuted")


def _tex(name: str) -> str:
    """An increment as the text writes it: ``epsilon[1]`` → ``\\epsilon_1``."""
    name = re.sub(r"\[(\w+)\]$", r"_\1", name)
    return re.sub(r"^((?:var)?epsilon|delta)", r"\\\1", name)
