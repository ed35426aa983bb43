"""Exact decisions where floats would guess: relations between constants, and polynomial
identities whose exact difference is a nonzero rational function.

Sampling compares floats within a tolerance, so ``9999! = 1`` overflows to "no point where
both sides are defined", ``10^{-20}`` is invisible next to ``1`` and ``0 > 0`` looks like a
rounding error. Here:

* two constants are compared with exact rational arithmetic when they are rational (sizes
  estimated first: nothing above :data:`MAX_DIGITS` digits is computed), else by the sign of
  their difference from SymPy's ``evalf(strict=True)``, whose digits are guaranteed;
* a decimal written in the text (a Float with at most :data:`DECIMAL_DIGITS` significant
  digits) is the exact decimal it shows; compared with a number that has no finite decimal
  expansion (π, ``1/3``) it is read as a rounding of it, to the relative tolerance of the
  numeric check (``\\pi = 3.14159``, ``\\frac{1}{3} = 0.3333333``);
* a Float with more digits is the result of float arithmetic already done by the reader
  (``0.1 + 0.2`` → ``0.30000000000000004``): there, and only there, the absolute tolerance of
  float computation near zero applies;
* an equality between rational functions of real variables with rational coefficients (no
  ``exp``/``log``/``π``/undefined-function atoms, which are not independent variables) is
  false when its exact difference is not zero: the counterexample says by how much.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from ..expr.walk import free_symbols, subexpressions
from ..relations import ATOL, RTOL

MAX_DIGITS = 200_000  # an exact value (numerator or denominator) larger than this is not computed
DECIMAL_DIGITS = 12  # a Float with at most this many significant digits is a decimal as written
DIGITS = 30  # digits of the difference of two irrational constants (guaranteed by strict evalf)
CONTINUOUS = frozenset({"real", "positive", "probability"})  # domains that are open intervals
_FACTORIALS = (sp.factorial, sp.factorial2, sp.subfactorial, sp.gamma, sp.binomial, sp.RisingFactorial,
               sp.FallingFactorial)


class TooLarge(Exception):
    """An exact value would have more than :data:`MAX_DIGITS` digits."""


@dataclass
class Decision:
    status: str  # holds | fails | cannot | undecided
    counterexample: dict | None = None
    reason: str = ""


@dataclass
class _Sign:
    """The sign of ``lhs - rhs`` (0: equal) and how the sides read."""
    sign: int
    left: str
    right: str
    how: str  # "exact" | "digits" | "tolerance" | "approximation"
    gap: str = ""  # lhs - rhs, when the sides alone do not show it


# --- sizes -----------------------------------------------------------------------------

def _int_digits(n: int) -> float:
    """log10 of ``|n|`` (0 for 0): the digits of ``n`` within one, for an integer of any size."""
    return math.log10(abs(n)) if n else 0.0


def _estimate(e: sp.Basic, memo: dict) -> tuple[float, float]:
    """Upper bounds on the decimal digits of the numerator and denominator SymPy computes for
    the constant ``e`` (0 for what stays symbolic: π, floats, functions of them)."""
    got = memo.get(e)
    if got is None:
        got = memo[e] = _estimate_node(e, memo)
    return got


def _estimate_node(e, memo):  # noqa: C901 - one case per node type
    if e.is_Rational:
        return _int_digits(e.p), _int_digits(e.q)
    if not e.args or e.is_Float:
        return 0.0, 0.0
    parts = [_estimate(a, memo) for a in e.args]
    if e.is_Add:
        den = sum(d for _, d in parts)
        return max(n + den - d for n, d in parts) + 1, den
    if e.is_Mul:
        return sum(n for n, _ in parts), sum(d for _, d in parts)
    if e.is_Pow:
        (bn, bd), k = parts[0], e.exp
        if not k.is_Rational or k.free_symbols:
            return bn, bd
        scale = abs(float(k)) if abs(k) < 10**300 else math.inf
        big = bn * scale if bn else 0.0
        small = bd * scale if bd else 0.0
        return (big, small) if k > 0 else (small, big)
    if isinstance(e, _FACTORIALS):
        return _factorial_digits(e, parts), 0.0
    return max(max(n, d) for n, d in parts), 0.0


def _factorial_digits(e, parts) -> float:
    """Digits of a factorial-like value of integer arguments (lgamma of their size)."""
    if any(max(p) > 15 for p in parts):  # an argument above 10^15: its factorial is astronomic
        return math.inf
    try:
        args = [float(a) for a in e.args]
    except TypeError:  # a symbolic argument: SymPy keeps it unevaluated
        return 0.0
    n = abs(args[0])
    if isinstance(e, sp.binomial):
        k = min(abs(args[1]), max(n - abs(args[1]), 0.0))
        return k * math.log10(max(n, 2.0))
    if isinstance(e, (sp.RisingFactorial, sp.FallingFactorial)):
        return abs(args[1]) * math.log10(max(n + abs(args[1]), 2.0))
    return math.lgamma(n + 2) / math.log(10)


def too_large(exprs) -> str | None:
    """Why evaluating ``exprs`` would compute a number too large (a power, a factorial of
    constants beyond :data:`MAX_DIGITS` digits), or None. Checked before anything evaluates
    the sides: ``10^N`` with ``N = 10^{10}`` substituted must not be computed."""
    memo: dict = {}
    huge = [e for e in subexpressions(exprs, (sp.Pow, *_FACTORIALS))
            if not free_symbols(e) and max(_estimate(e, memo)) > MAX_DIGITS]
    if not huge:
        return None
    e = min(huge, key=lambda h: (len(subexpressions([h], (sp.Basic,))), sp.default_sort_key(h)))  # the innermost
    digits = max(_estimate(e, memo))
    size = f"about {digits:.3g} digits" if math.isfinite(digits) else "far too many digits"
    return f"`{_short(e)}` is a number too large to compute exactly ({size})"


def _short(e: sp.Basic) -> str:
    text = sp.sstr(e.func(*e.args, evaluate=False) if e.args else e)
    return text if len(text) <= 60 else text[:57] + "…"


# --- values ----------------------------------------------------------------------------

def _decimal(f: sp.Float) -> sp.Rational | None:
    """The decimal a Float shows, if it is one a text writes (shortest form, few digits)."""
    if f._prec != 53:
        return None
    text = repr(float(f))
    mantissa = text.split("e")[0].replace("-", "").replace(".", "").strip("0")
    return sp.Rational(text) if len(mantissa) <= DECIMAL_DIGITS else None


@dataclass
class _Read:
    """A side with its written decimals made exact."""
    expr: sp.Basic
    decimals: bool  # a Float became its decimal
    computed: bool  # a Float left: the result of float arithmetic


def _exact_decimals(e: sp.Basic) -> _Read:
    mapping, computed = {}, False
    for f in subexpressions([e], (sp.Float,)):
        r = _decimal(f)
        if r is None:
            computed = True
        else:
            mapping[f] = r
    return _Read(e.xreplace(mapping) if mapping else e, bool(mapping), computed)


def rational_value(e: sp.Basic) -> sp.Rational | None:
    """The exact value of a constant built from rationals with ``+``, ``·``, integer powers
    and factorials of integers, or None; :class:`TooLarge` before computing a huge one."""
    if free_symbols(e):
        return None
    digits = max(_estimate(e, {}))
    if digits > MAX_DIGITS:
        raise TooLarge(f"an exact value of about {digits:.3g} digits")
    return _value(e)


def _value(e):  # noqa: C901 - one case per node type
    if e.is_Rational:
        return e
    if e.is_Add or e.is_Mul:
        vals = [_value(a) for a in e.args]
        if any(v is None for v in vals):
            return None
        out = vals[0]
        for v in vals[1:]:
            out = out + v if e.is_Add else out * v
        return out
    if e.is_Pow:
        base, k = _value(e.base), e.exp
        if base is None or not k.is_Integer or (base == 0 and k < 0):
            return None
        return base ** k
    if isinstance(e, (sp.factorial, sp.binomial, sp.Abs)):
        args = [_value(a) for a in e.args]
        if any(a is None or not a.is_Integer for a in args) or (args and args[0] < 0 and not isinstance(e, sp.Abs)):
            return None
        out = e.func(*args)
        return out if out.is_Rational else None
    return None


def show(r: sp.Rational) -> str:
    """A rational as a reader writes it: exactly when short (``3/7``, ``10^-20``,
    ``4.00000000000000000001``), else ``≈`` three significant digits (computed on integers:
    no conversion of a huge integer to a string)."""
    p, q = int(r.p), int(r.q)
    sign, a = ("-" if p < 0 else ""), abs(p)
    ten_q = _power_of_ten(q)
    if ten_q:  # a decimal
        if a == 1 and ten_q > 6:
            return f"{sign}10^-{ten_q}"
        if _int_digits(a) <= 40:
            whole, frac = divmod(a, q)
            return f"{sign}{whole}.{str(frac).zfill(ten_q).rstrip('0')}"
    if q == 1:
        ten_p = _power_of_ten(a)
        if ten_p and ten_p > 6:
            return f"{sign}10^{ten_p}"
    if _int_digits(a) <= 20 and _int_digits(q) <= 20:
        return str(p) if q == 1 else f"{p}/{q}"
    return "≈ " + _scientific(p, q)


def _power_of_ten(k: int) -> int | None:
    """``n`` when ``k = 10^n``, else None."""
    if k < 1 or _int_digits(k) > 4000:
        return None
    s = str(k)
    return len(s) - 1 if s[0] == "1" and not s[1:].strip("0") else None


def _scientific(p: int, q: int) -> str:
    """``p/q`` to three significant digits, as ``2.85e35655``."""
    if p == 0:
        return "0"
    sign = "-" if (p < 0) != (q < 0) else ""
    p, q = abs(p), abs(q)
    guess = int(math.floor(_int_digits(p) - _int_digits(q)))  # within one of floor(log10(p/q))
    for e in (guess + 1, guess, guess - 1):
        scaled = p * 10 ** max(3 - e, 0) // (q * 10 ** max(e - 3, 0))  # 4 digits when e is right
        if 1000 <= scaled < 10000:
            digits = (scaled + 5) // 10
            if digits == 1000:
                digits, e = 100, e + 1
            return f"{sign}{digits // 100}.{digits % 100:02d}e{e}"
    return f"{sign}{float(sp.Rational(p, q)):.3g}"


def _show_float(v) -> str:
    return sp.sstr(sp.Float(v, 6)) if v.is_finite else str(v)


# --- constants -------------------------------------------------------------------------

def decide_constants(lc: list, rc: list, signs: frozenset) -> Decision:
    """Whether ``lc[k] rel rc[k]`` for every component of two constant sides, where ``rel``
    holds for the signs ``signs`` of ``lhs - rhs``; ``undecided`` leaves it to sampling."""
    for k, (a, b) in enumerate(zip(lc, rc)):
        if any(isinstance(e, sp.Basic) and e.has(sp.Integral) for e in (a, b)):  # evalf: seconds; sampled instead
            return Decision("undecided")
        try:
            s = _sign_of(a, b)
        except TooLarge as exc:
            return Decision("cannot", reason=f"the sides cannot be compared exactly: {exc}")
        if s is None:
            return Decision("undecided")
        if s.sign not in signs:
            return Decision("fails", counterexample=_constant_counterexample(s, k if len(lc) > 1 else None))
    return Decision("holds")


def _sign_of(a: sp.Basic, b: sp.Basic) -> _Sign | None:
    ra, rb = _exact_decimals(a), _exact_decimals(b)
    va, vb = rational_value(ra.expr), rational_value(rb.expr)
    if va is not None and vb is not None:
        if (ra.decimals or rb.decimals) and not (_terminates(va) and _terminates(vb)):
            return _tolerance(va, vb, 0.0, "approximation")  # 0.3333333 for 1/3: a rounding of it
        return _Sign(_sgn(va - vb), show(va), show(vb), "exact")
    if ra.computed or rb.computed:
        return _tolerance(ra.expr, rb.expr, ATOL, "tolerance")
    if ra.decimals or rb.decimals:  # a decimal against an irrational constant: an approximation of it
        return _tolerance(ra.expr, rb.expr, 0.0, "approximation")
    return _digits(ra.expr, rb.expr)


def _terminates(r: sp.Rational) -> bool:
    """Whether ``r`` has a finite decimal expansion (its denominator divides a power of 10)."""
    q = int(r.q)
    for f in (2, 5):
        while q % f == 0:
            q //= f
    return q == 1


def _real(e: sp.Basic, digits: int, strict: bool):
    v = e.evalf(digits, strict=strict)
    if not v.is_Number or not v.is_finite:  # complex, infinite or unevaluated: not decided here
        return None
    return v


def _digits(a: sp.Basic, b: sp.Basic) -> _Sign | None:
    """The sign of ``a - b`` from guaranteed digits; None when SymPy cannot tell it from zero
    (an exact zero it did not simplify, such as ``\\log 8 - 3\\log 2``: sampling decides)."""
    try:
        d = _real(sp.Add(a, -b, evaluate=False), DIGITS, True)
        va, vb = _real(a, 6, False), _real(b, 6, False)
    except (PrecisionExhausted, ValueError, TypeError, ArithmeticError):
        return None
    if d is None or va is None or vb is None:
        return None
    return _Sign(_sgn(d), _show_float(va), _show_float(vb), "digits", _show_float(d))


def _tolerance(a: sp.Basic, b: sp.Basic, atol: float, how: str) -> _Sign | None:
    """The sign of ``a - b`` at high precision, zero within the relative tolerance of the
    numeric check (plus ``atol`` for results of float arithmetic near zero)."""
    try:
        va, vb = _real(a, DIGITS, False), _real(b, DIGITS, False)
    except (ValueError, TypeError, ArithmeticError):
        return None
    if va is None or vb is None:
        return None
    d = va - vb
    zero = bool(abs(d) <= atol + RTOL * max(abs(va), abs(vb)))
    left, right = (show(e) if e.is_Rational else _show_float(v) for e, v in ((a, va), (b, vb)))
    return _Sign(0 if zero else _sgn(d), left, right, how, _show_float(d))


def _sgn(d: sp.Number) -> int:
    return 1 if d > 0 else -1 if d < 0 else 0


def _constant_counterexample(s: _Sign, component: int | None) -> dict:
    where = f" (component {component + 1})" if component is not None else ""
    how = {"exact": "exact arithmetic", "digits": f"{DIGITS} exact digits of their difference",
           "tolerance": "beyond float rounding", "approximation": "beyond rounding to 6 significant digits"}[s.how]
    rel = "they are equal" if s.sign == 0 else f"the left side is {'larger' if s.sign > 0 else 'smaller'}"
    gap = f" by {s.gap.lstrip('-')}" if s.gap and s.sign else ""
    note = f"the left side{where} is {s.left}, the right side {s.right}: {rel}{gap} ({how})"
    return {"note": note, "left": s.left, "right": s.right, "exact": s.how in ("exact", "digits")}


# --- polynomial identities ---------------------------------------------------------------

def nonzero_difference(lhs: sp.Basic, rhs: sp.Basic, domains: dict) -> dict | None:
    """A counterexample to ``lhs = rhs`` when their exact difference is a nonzero rational
    function of real variables on open domains (``domains``: symbol → domain name), or None
    when that is not certain (atoms, floats, a discrete or constrained domain, no point)."""
    from .rational import exact_difference

    if any(domains.get(s) not in CONTINUOUS for s in free_symbols(lhs) | free_symbols(rhs)):
        return None
    diff = exact_difference(lhs, rhs)
    if diff is None or diff.is_zero:
        return None
    for values in sample_points(diff.symbols, domains):
        got = diff.at(values)
        if got is not None and got[2] != 0:
            return _polynomial_counterexample(diff, values, *got)
    return None


def _polynomial_counterexample(diff, values: dict, left, right, gap) -> dict:
    shown = ", ".join(f"{s} = {show(v)}" for s, v in values.items())
    if diff.is_constant:
        what = f"left side − right side = {show(gap)} exactly, at every point (exact rational arithmetic)"
    else:
        what = f"left side − right side = {_short(diff.expression())}, not 0 (exact rational arithmetic)"
    at = f"; e.g. at {shown}: left = {show(left)}, right = {show(right)}" if shown else ""
    return {"note": what + at, "values": {str(s): show(v) for s, v in values.items()},
            "difference": show(gap), "exact": True}


def sample_points(symbols: list, domains: dict, tries: int = 40):
    """Rational points of the domains, small ones first (a reader checks them by hand)."""
    simple = {"real": [1, 2, 3, -1, 5], "positive": [1, 2, 3, 5, 7],
              "probability": [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 4), sp.Rational(2, 3)]}
    rng = random.Random(0)
    for t in range(tries):
        if t < 5:
            yield {s: sp.Integer(simple[domains[s]][t]) if domains[s] != "probability"
                   else simple["probability"][t % 4] for s in symbols}
            continue
        yield {s: _random_in(domains[s], rng) for s in symbols}


def _random_in(domain: str, rng: random.Random) -> sp.Rational:
    q = rng.randint(2, 17)
    if domain == "probability":
        return sp.Rational(rng.randint(1, q - 1), q)
    p = rng.randint(1, 5 * q)
    return sp.Rational(p if domain == "positive" or rng.random() < 0.5 else -p, q)
