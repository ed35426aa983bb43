r"""Approximations up to higher-order terms: ``f(x+\epsilon) \approx f(x) + \epsilon f'(x)``.

A text that writes ``\approx`` beside a small increment (``\epsilon``, ``\epsilon_i``, ``h``,
``\delta``, or ``x - x_0``) means the sides agree up to terms of higher order in it: the terms it
keeps, up to the highest power of the increment it writes (``\epsilon f'(x)``: order 1; a
quadratic Taylor polynomial: order 2), are right. That is checked: each increment becomes
``c_i t`` (random ``c_i``), and the difference of the sides and its first ``k`` derivatives by
``t`` vanish at ``t = 0``. Functions the text defines are used; functions it leaves undefined are
replaced by random smooth ones (:mod:`mathlint.numeric.functions`), which gives ``consistent``
only. A failure refutes nothing: ``\approx`` may also be a modelling approximation.

The same check serves a ``\approx`` link of a chain beside an increment, an equality with a
remainder ``\mathcal{O}(\epsilon^2)`` (to the order it leaves: :mod:`.bigo`) and an increment that
is a vector (``\boldsymbol{\epsilon}``, at sizes 2 and 3: :mod:`.taylorvec`); :func:`routed` says
which claims are such.
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
from . import bigo, taylorvec
from .relation import rng_for

#: names of a small increment (``h`` only as a plain name: ``h_t`` is a hidden state)
_SMALL = re.compile(r"^(?:(?:var)?epsilon|delta|h)$")
_SMALL_INDEXED = re.compile(r"^(?:(?:var)?epsilon|delta)$")
#: ``h`` is a step only where the formula makes it one (``f(x+h)``, ``h \to 0``): else a size (``h`` hidden units)
_STEP_H = re.compile(r"[+\-]\s*h\s*[),}]|(?<![A-Za-z\\])h\s*\\(?:to|rightarrow)\s*0")
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
    remainder: str = ""  # the text's order terms (``O(\\epsilon^{2})``), if the claim is an equality up to them


def _increments(e: sp.Basic, text: str = "") -> list[sp.Basic]:
    """Symbols and indexed names (``\\epsilon_1``) that name a small increment (``h`` not where the
    text calls it: ``h(x+\\epsilon)``, which the reader may have taken for a product)."""
    indexed = [i for i in subexpressions([e], (sp.Indexed,)) if _SMALL_INDEXED.match(str(i.base.label))]
    labels = {i.base.label for i in subexpressions([e], (sp.Indexed,))}  # ``epsilon`` of ``epsilon_1``: no name
    calls = {type(c).__name__ for c in subexpressions([e], (AppliedUndef,))}
    out = [s for s in subexpressions([e], (sp.Symbol,)) if _SMALL.match(s.name) and s not in labels
           and s.name not in calls and not taylorvec.called(s.name, text)
           and (s.name != "h" or _STEP_H.search(text))]
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


def expansion(lhs: sp.Basic, rhs: sp.Basic, text: str = "",
              remainders: tuple[bigo.Remainder, ...] = ()) -> Expansion | None:
    """The claim as an expansion in one small ``t``, or None (no increment, or one the sides do not
    use outside function arguments, which leaves no order to check). With ``remainders`` (the
    text's ``\\mathcal{O}(\\epsilon^2)``), the order is the one they leave, not the one written."""
    if not all(isinstance(s, sp.Expr) for s in (lhs, rhs)):
        return None
    sizes = [r.size for r in remainders]
    small = sorted(set().union(*(_increments(e, text) for e in (lhs, rhs, *sizes))), key=sp.default_sort_key)
    if not small and not remainders:
        lhs, rhs, small = _shift(lhs, rhs)
    if not small or len(small) > 4:
        return None
    if remainders and set(small) - set().union(*(_increments(size, text) for size in sizes)):
        return None  # ``+ \mathcal{O}(\epsilon^2)`` beside ``\delta``: the remainder says nothing of ``\delta``
    t = sp.Dummy("t", real=True)
    scale = {s: sp.Rational(k + 2, k + 3) * t for k, s in enumerate(small)}  # distinct, fixed multiples
    left, right = xreplace(lhs, scale), xreplace(rhs, scale)
    if remainders:
        degrees = [_monomial_degree(xreplace(size, scale), t) for size in sizes]
        if any(d is None for d in degrees) or not (left.has(t) or right.has(t)):
            return None
        order = min(r.kept(d) for r, d in zip(remainders, degrees))
        rest = ", ".join(r.tex for r in remainders)
    else:
        order, rest = _written_order(left, right, t), ""
    if order is None or order < 0 or order > MAX_ORDER or _one_sided(left - right, t):
        return None
    return Expansion(left, right, t, order, tuple(str(s) for s in small), rest)


def expandable(lhs: sp.Basic, rhs: sp.Basic, text: str = "") -> bool:
    """Whether an approximation is one in a small increment (of a number or of a vector)."""
    return expansion(lhs, rhs, text) is not None or bool(taylorvec.vectors_of(lhs, rhs)[1])


def _written_order(left: sp.Basic, right: sp.Basic, t: sp.Symbol) -> int | None:
    r"""The order an approximation keeps: the highest power of ``t`` it writes, and at least 1 where
    a term is a known function of ``t`` vanishing at 0 (``2\sin\epsilon``: a first-order term, not a
    limit); None if a side is not a power series form."""
    degrees = [_explicit_degree(side, t) for side in (left, right)]
    if None in degrees:
        return None
    return max(*degrees, 1 if any(_vanishing(term, t) for side in (left, right) for term in sp.Add.make_args(side))
               else 0)


def _vanishing(term: sp.Basic, t: sp.Symbol) -> bool:
    """A term of a known function of ``t`` (no undefined function) that is 0 at ``t = 0``."""
    kinds = (AppliedUndef, sp.Derivative, sp.Subs, sp.Integral)
    coefficients = {n: sp.Dummy("c") for n in subexpressions([term], kinds) if not n.has(t)}  # ``f'(x)``
    part = xreplace(term, coefficients)
    if not term.has(t) or subexpressions([part], kinds):
        return False
    try:
        return part.xreplace({t: sp.Integer(0)}).doit() == 0
    except Exception:
        return False


def _one_sided(e: sp.Basic, t: sp.Symbol) -> bool:
    """``|\\epsilon|``, ``\\operatorname{sign}``, ``\\max``, ``\\sqrt{(x+\\epsilon)^2}`` of the increment: no
    series on both sides of 0, so no expansion to check."""
    kinds = (sp.Abs, sp.sign, sp.Max, sp.Min, sp.Heaviside, sp.Piecewise)
    if any(n.has(t) for n in subexpressions([e], kinds)):
        return True
    return any(n.has(t) and not n.exp.is_integer and isinstance(n.base, sp.Pow) and n.base.exp.is_even
               for n in subexpressions([e], (sp.Pow,)))


def _monomial_degree(e: sp.Basic, t: sp.Symbol) -> int | None:
    """``k`` for ``c t^k`` (``c`` free of ``t``, ``k ≥ 1``): the size of a remainder; else None."""
    try:
        poly = sp.Poly(sp.expand(e), t)
    except Exception:
        return None
    if len(poly.terms()) != 1 or poly.degree() < 1:
        return None
    return poly.degree()


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
    degree = poly.degree() if poly.degree() >= 0 else 0
    term = _term_degree(flat, t)  # ``(g + \\epsilon g')(h + \\epsilon h')``: each factor kept to order 1
    return min(degree, term) if term is not None and term >= 1 else degree


def _term_degree(e: sp.Basic, t: sp.Symbol) -> int | None:
    """The highest power of ``t`` a single written term shows: a product of sums (a power of a sum)
    keeps each factor to its own order, so it counts as its highest factor; None if unclear."""
    if not e.has(t):
        return 0
    if e == t:
        return 1
    if isinstance(e, sp.Add):
        parts = [_term_degree(a, t) for a in e.args]
        return None if None in parts else max(parts)
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 0:
        inner = _term_degree(e.base, t)
        return None if inner is None else inner * int(e.exp) if _monomial(e.base, t) else inner
    if isinstance(e, sp.Mul):
        mono, sums = [a for a in e.args if _monomial(a, t)], [a for a in e.args if not _monomial(a, t)]
        parts = [_term_degree(a, t) for a in (*mono, *sums)]
        if None in parts:
            return None
        return sum(parts[:len(mono)]) + max(parts[len(mono):], default=0)
    return None


def _monomial(e: sp.Basic, t: sp.Symbol) -> bool:
    """``t``, ``c t^k``: a factor whose power adds to a term's order (a sum's does not)."""
    return not isinstance(e, sp.Add) and not (isinstance(e, sp.Pow) and isinstance(e.base, sp.Add))


def routed(role: str, relation: str, lhs: sp.Basic, rhs: sp.Basic, key: str, seed: int,
           vectors=()) -> CheckResult | None:
    """The verdict of a claim this module decides: an approximation (role), a ``\\approx`` link of a
    chain beside an increment, an equality with an order term in one (:mod:`.bigo`); None for
    any other claim (checked as usual)."""
    if relation == "eq" and (split := bigo.remainders(lhs, rhs)) is not None:
        left, right, rest = split
        ex = expansion(left, right, key, tuple(rest))
        if ex is None:  # no expansion in a small number (a cost ``\mathcal{O}(n^2)``): one in a vector, or as usual
            return _in_vectors(left, right, key, seed, tuple(rest)) or _unread(left, right, key, rest)
        return _safely(ex, key, seed, vectors) or CheckResult(
            Verdict.UNCHECKED, reason=f"an equality up to {ex.remainder}: SymPy cannot expand the sides")
    if role == "approximation" or relation == "approx" and expansion(lhs, rhs, key) is not None:
        return verdict(lhs, rhs, key, seed, vectors) or _in_vectors(lhs, rhs, key, seed)
    return _in_vectors(lhs, rhs, key, seed) if relation == "approx" else None


def _unread(left: sp.Basic, right: sp.Basic, key: str, rest: list) -> CheckResult | None:
    """Unchecked, with the reason, for an equality up to an order term beside a small increment
    that is no expansion mathlint checks; None where no increment is in sight (a cost)."""
    if not all(isinstance(s, sp.Expr) for s in (left, right)):
        return None
    small = set().union(*(_increments(e, key) for e in (left, right)))
    if not small:
        return None
    sized = set().union(*(_increments(r.size, key) for r in rest))
    tex = ", ".join(r.tex for r in rest)
    if small - sized:
        why = (f"the remainder {tex} names only {', '.join(_tex(str(s)) for s in sorted(sized, key=str))}, "
               f"not {', '.join(_tex(str(s)) for s in sorted(small - sized, key=str))}") if sized else \
            f"the remainder {tex} is of no increment"
    else:
        why = f"the sides are no expansion mathlint checks up to {tex} (an absolute value, a sign, a maximum " \
              "of the increment, or an order it does not read)"
    return CheckResult(Verdict.UNCHECKED, reason=f"an equality up to {tex}: {why}; not checked")


def _in_vectors(lhs: sp.Basic, rhs: sp.Basic, key: str, seed: int,
                rests: tuple[bigo.Remainder, ...] = ()) -> CheckResult | None:
    """An expansion in a bold increment (:mod:`.taylorvec`), at sizes 2 and 3; None if not one."""
    _, small = taylorvec.vectors_of(lhs, rhs)
    if not small or len(small) > 2 or not all(isinstance(s, sp.Expr) for s in (lhs, rhs)):
        return None
    if why := taylorvec.misordered(key):
        return CheckResult(Verdict.UNCHECKED, reason=why)
    t = sp.Dummy("t", real=True)
    lhs, rhs = (taylorvec.calls(s, key) for s in (lhs, rhs))
    left, right = (taylorvec.scaled(s, small, t) for s in (lhs, rhs))
    degrees = [_monomial_degree(taylorvec.scaled(r.size, small, t), t) for r in rests]
    if None in degrees:
        return None
    order = min(r.kept(d) for r, d in zip(rests, degrees)) if rests else \
        max(_explicit_degree(left, t), _explicit_degree(right, t))
    if order is None or not 0 <= order <= 2:
        return None
    ex = Expansion(lhs, rhs, t, order, tuple(str(s) for s in small), ", ".join(r.tex for r in rests))
    rng = rng_for(seed, f"taylor: {key}")
    try:
        pairs = taylorvec.sides(lhs, rhs, small, key, t, rng, functions.DRAWS)
        bad = _first_failing(ex, pairs, rng)
    except MemoryError:
        raise
    except Exception:  # a node the reading of vectors does not cover, a series SymPy cannot take
        return None
    what = f"to order {order} in {', '.join(_tex(n) for n in ex.names)}" if order else \
        f"in the limit {', '.join(_tex(n) for n in ex.names)} → 0"
    how = f"the sides differ by {ex.remainder} (the remainder the text writes)" if ex.remainder else \
        "the sides differ by terms of higher order (the approximation the text writes)"
    fns = sorted({type(c).__name__ for c in subexpressions([lhs, rhs], (AppliedUndef,))} - {"transpose"})
    drawn = f" with random smooth functions of the components in place of {', '.join(fns)}" if fns else ""
    sizes = f"vectors of sizes {', '.join(map(str, taylorvec.SIZES))}" + (
        ", reading \\nabla^2 f as the Hessian of f" if taylorvec.hessian(sp.Tuple(lhs, rhs)) else "")
    if bad is not None:
        return _unchecked(ex, what, bad, f"{drawn} ({sizes})")
    return CheckResult(Verdict.CONSISTENT, "numeric", f"holds numerically {what}{drawn} ({sizes}; "
                       f"{functions.DRAWS} draws each): {how}")


def verdict(lhs: sp.Basic, rhs: sp.Basic, key: str, seed: int, vectors=()) -> CheckResult | None:
    """Proved (defined functions only, symbolically) or consistent (numerically, or with random
    functions drawn) when the kept terms agree; unchecked with the order where they differ; None
    when the claim is no such expansion or SymPy cannot expand it."""
    ex = expansion(lhs, rhs, key)
    return None if ex is None else _safely(ex, key, seed, vectors)


def _safely(ex: Expansion, key: str, seed: int, vectors) -> CheckResult | None:
    try:
        return _verdict(ex, key, seed, vectors)
    except MemoryError:
        raise
    except Exception:  # a series SymPy cannot take (a sum over the increment, a function of a vector)
        return None


def _verdict(ex: Expansion, key: str, seed: int, vectors) -> CheckResult | None:
    what = f"to order {ex.order} in {', '.join(_tex(n) for n in ex.names)}" if ex.order else \
        f"in the limit {', '.join(_tex(n) for n in ex.names)} → 0"
    how = f"the sides differ by {ex.remainder} (the remainder the text writes)" if ex.remainder else \
        "the sides differ by terms of higher order (the approximation the text writes)"
    drawn = functions.free_functions(ex.lhs, ex.rhs, key, vectors)
    rng = rng_for(seed, f"taylor: {key}")
    if drawn is None:
        if subexpressions([ex.lhs, ex.rhs], (AppliedUndef,)):
            return None  # a function that cannot be drawn (an operator, a function of a vector)
        bad = _first_failing(ex, [(ex.lhs, ex.rhs)], rng)
        if bad is not None:
            return _unchecked(ex, what, bad)
        if _exactly(ex):
            return CheckResult(Verdict.PROVED, "symbolic", f"proved {what}: {how}")
        return CheckResult(Verdict.CONSISTENT, "numeric", f"holds numerically {what}: {how}; no symbolic proof found")
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
                           + (how if ex.remainder else "the sides differ by terms of higher order"))
    return _unchecked(ex, what, bad, f" with random smooth functions in place of {names}")


def _difference(ex: Expansion, left: sp.Basic, right: sp.Basic) -> sp.Basic:
    return (left - right).doit()


def _lowest_order(ex: Expansion, d: sp.Basic, at: dict, taylor: list | None) -> int | None:
    """The lowest power of ``t`` up to the order kept whose coefficient in the expansion of ``d``
    at ``t = 0`` (at the point ``at``) is not zero, negative powers included (``(f(x+t) - f(x))/t``);
    None if none. ``taylor``: the coefficients as ``d^(p)(0)/p!``, if ``d`` has no pole there."""
    values = [complex(c.xreplace(at).evalf()) for c in taylor] if taylor is not None else None
    if values is not None and all(np.isfinite(v) for v in values):
        return next((p for p, v in enumerate(values) if _nonzero(v)), None)
    ser = sp.series(d.xreplace(at), ex.t, 0, ex.order + 1).removeO()  # slower: seconds for nested functions
    by_power: dict = {}  # the terms of one power together: exact terms that cancel only in their sum
    for term in sp.Add.make_args(sp.expand(ser)):
        c, p = term.as_coeff_exponent(ex.t)
        by_power[p] = by_power.get(p, 0) + c
    for p in sorted(by_power, key=lambda q: float(q) if q.is_number else np.inf):
        c = sp.sympify(by_power[p])
        if p <= ex.order and c.free_symbols == set() and _nonzero(complex(c.evalf())):
            return int(p) if p.is_Integer else 0
    return None


def _coefficients(ex: Expansion, d: sp.Basic) -> list | None:
    """``d^(p)(0)/p!`` for the orders kept (functions of the other names); None where ``d`` is no
    plain function of ``t`` at 0 (a pole shows at the points, as a value that is not finite)."""
    out, dp = [], d
    for p in range(ex.order + 1):
        if p:
            dp = sp.diff(dp, ex.t)
        c = dp.subs(ex.t, 0) / sp.factorial(p)
        if c.has(sp.nan, sp.zoo, sp.oo, sp.Subs, sp.Derivative, sp.Integral, sp.Limit, AppliedUndef):
            return None
        out.append(c)
    return out


def _nonzero(v: complex) -> bool:
    return not np.isfinite(v) or abs(v) > _TOLERANCE


def _first_failing(ex: Expansion, pairs: list, rng: np.random.Generator) -> int | None:
    """The lowest order at which some pair's sides differ at a random point; None if none does."""
    for left, right in pairs:
        d = _difference(ex, left, right)
        names = sorted(d.free_symbols - {ex.t}, key=sp.default_sort_key)
        taylor = _coefficients(ex, d)
        for k in range(_POINTS):  # both signs: ``|x + \epsilon|`` is no ``|x| + \epsilon`` for ``x < 0``
            at = {s: sp.Rational((-1) ** k * int(rng.integers(3, 17)), 10) for s in names}  # exact: an exact series
            bad = _lowest_order(ex, d, at, taylor)
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


def _unchecked(ex: Expansion, what: str, order: int, drawn: str = "") -> CheckResult:
    if ex.remainder:  # refuting would rest on reading the order symbol as mathlint does: not sure enough
        return CheckResult(Verdict.UNCHECKED, reason=f"the sides differ at order {order} of the increment{drawn}, so "
                           f"the equality up to {ex.remainder} does not hold {what} as mathlint reads it; nothing is "
                           "refuted on that reading of the remainder")
    return CheckResult(Verdict.UNCHECKED, reason=f"the sides differ at order {order} of the increment{drawn}, so "
                       f"the approximation does not hold {what} as mathlint reads it; `\\approx` may also be a "
                       f"modelling approximation, so nothing is refuted")


def _tex(name: str) -> str:
    """An increment as the text writes it: ``epsilon[1]`` → ``\\epsilon_1``."""
    if m := re.fullmatch(r"(math|boldsymbol)\{\\?(\w+)\}", name):  # a bold increment
        font, inner = "mathbf" if m.group(1) == "math" else m.group(1), m.group(2)
        return "\\" + font + "{" + ("" if len(inner) == 1 else "\\") + inner + "}"
    name = re.sub(r"\[(\w+)\]$", r"_\1", name)
    return re.sub(r"^((?:var)?epsilon|delta)", r"\\\1", name)
