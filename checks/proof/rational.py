"""A fast exact zero test: an expression as a rational function of its atoms.

Each ``exp`` of a sum becomes a product of powers of atoms (``exp(a + 2b) = A·B²``) and each
``log`` the sum of the logs of its argument's factors (``log(A/(1 + A)) = a - log(1 + A)``),
as ``expand_log(force=True)`` would split them. What is left is a fraction of polynomials
with rational coefficients, built with SymPy's sparse polynomials: no assumption queries, no
``together``/``cancel`` over transcendental atoms, which were most of a proof's cost. Atoms
are treated as independent variables, so a zero numerator proves the expression zero; a
nonzero one proves nothing (another rewrite may still succeed) unless no atom was made: then
the sides are rational functions of their symbols with rational coefficients, and a nonzero
difference is exact knowledge (:func:`exact_difference`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp
from sympy import QQ
from sympy.polys.rings import PolyRing

from ..expr.walk import free_symbols, rebuilt
from ..runtime.memo import ByIdentity, register

MAX_TERMS = 5000  # a polynomial larger than this gives up (expanding products can explode)
_INFINITE = (sp.nan, sp.zoo, sp.oo, -sp.oo)


class GiveUp(Exception):
    """The expression has a node this test does not handle exactly."""


def is_rational_zero(lhs: sp.Basic, rhs: sp.Basic, sum_one: list[list[sp.Symbol]] = ()) -> bool:
    """True when ``lhs - rhs`` is zero as a rational function of its atoms; with ``sum_one``,
    the last symbol of each list is ``1 -`` the sum of the others."""
    d = difference(lhs, rhs, sum_one)
    return d is not None and d.is_zero


@dataclass
class Difference:
    """``lhs - rhs`` as a fraction of polynomials over ``ring``: the numerator over the common
    denominator, each side's own fraction, the ring's symbols, and whether it is exact (no atom
    stands for an ``exp``, a ``log``, a constant such as π or another function)."""
    num: object
    den: dict  # denominator factor → exponent
    sides: tuple  # ((numerator, denominator factors) of lhs, of rhs)
    symbols: list
    exact: bool

    @property
    def is_zero(self) -> bool:
        return not self.num

    def reduced(self) -> tuple:
        """(numerator, denominator) of the difference in lowest terms."""
        den = self.num.ring.one
        for b, k in self.den.items():
            den = den * b ** k
        return self.num.cancel(den)

    @property
    def is_constant(self) -> bool:
        num, den = self.reduced()
        return num.is_ground and den.is_ground

    def expression(self) -> sp.Basic:
        """The difference as a SymPy expression of the symbols, in lowest terms."""
        num, den = self.reduced()
        return num.as_expr(*self._gens()) / den.as_expr(*self._gens())

    def _gens(self) -> list:
        return self.symbols + [sp.S.Zero] * (self.num.ring.ngens - len(self.symbols))

    def at(self, values: dict) -> tuple | None:
        """(left, right, difference) as exact rationals at ``values`` (symbol → Rational), or
        None where a denominator vanishes."""
        point = [QQ.convert(values[s]) for s in self.symbols] + [QQ(0)] * (self.num.ring.ngens - len(self.symbols))
        out = []
        for num, den in (*self.sides, (self.num, self.den)):
            d = QQ(1)
            for b, k in den.items():
                d *= b(*point) ** k
            if not d:
                return None
            out.append(QQ.to_sympy(num(*point) / d))
        return tuple(out)


#: (lhs, rhs) → Difference or None: the proof asks again what the check asked
_DIFFERENCES = ByIdentity(64, name="rational-differences")


def difference(lhs: sp.Basic, rhs: sp.Basic, sum_one: list[list[sp.Symbol]] = ()) -> Difference | None:
    """``lhs - rhs`` as a :class:`Difference`, or None when the test gives up."""
    if sum_one:
        return _difference(lhs, rhs, sum_one)
    got = _DIFFERENCES.get((lhs, rhs))
    if got is None:
        got = _DIFFERENCES.put((lhs, rhs), (_difference(lhs, rhs, ()),))
    return got[0]


def exact_difference(lhs: sp.Basic, rhs: sp.Basic) -> Difference | None:
    """``lhs - rhs`` when both are rational functions of their symbols with rational
    coefficients (so a nonzero result proves them different), else None."""
    d = difference(lhs, rhs)
    return d if d is not None and d.exact else None


def _difference(lhs, rhs, sum_one) -> Difference | None:
    try:
        atoms = _Atoms()
        sides = [atoms.rebuild(e) for e in (lhs, rhs)]
        ring, index, gens = _ring_of(sides + [s for syms in sum_one for s in syms])
        conv = _Fractions(ring, index)
        for syms in sum_one:
            if len(syms) > 1:
                conv.fixed[syms[-1]] = ring.one - sum((ring.gens[index[s]] for s in syms[:-1]), ring.zero)
        (na, da), (nb, db) = (conv(e) for e in sides)
        den = dict(da)
        for b, k in db.items():
            den[b] = max(den.get(b, 0), k)
        num = conv.over(na, da, den) - conv.over(nb, db, den)
        exact = not (atoms.exp or atoms.other or sum_one)
        return Difference(num, den, ((na, da), (nb, db)), gens, exact)
    except Exception:  # GiveUp, or anything SymPy raises on the way: no proof here, others may follow
        return None


class _Atoms:
    """Atoms met while rebuilding: ``exp(t)`` for each term ``t`` of an exponent, and the
    opaque rest (logs of non-monomial factors, other functions, constants)."""

    def __init__(self):
        self.exp: dict = {}  # t → symbol standing for exp(t)
        self.log_of: dict = {}  # that symbol → t
        self.other: dict = {}  # key → symbol
        self._memo: dict = {}  # id(node) → (node, rebuilt)

    def exp_of(self, t: sp.Basic) -> sp.Symbol:
        if t not in self.exp:
            self.exp[t] = sym = sp.Dummy("E", positive=True)
            self.log_of[sym] = t
        return self.exp[t]

    def atom(self, key) -> sp.Symbol:
        if key not in self.other:
            self.other[key] = sp.Dummy("A")
        return self.other[key]

    def rebuild(self, x: sp.Basic, evaluate: bool = False) -> sp.Basic:
        """``x`` without ``exp`` and ``log`` (atoms instead); sums, products and powers are
        kept unevaluated unless ``evaluate`` (an exponent must be split into its terms)."""
        hit = self._memo.get((id(x), evaluate))
        if hit is not None and hit[0] is x:
            return hit[1]
        out = self._rebuild(x, evaluate)
        self._memo[(id(x), evaluate)] = (x, out)
        return out

    def _rebuild(self, x, evaluate):
        if not x.args:
            if x.is_Symbol or x.is_Rational:
                return x
            if x is sp.E:
                return self.exp_of(sp.S.One)
            if x.is_Float or x in _INFINITE:
                raise GiveUp(f"{x} is not an exact finite number")
            return self.atom(x)  # π, i: independent atoms (i² = -1 unused: a proof without it holds)
        if isinstance(x, sp.exp):
            c0, terms = self.rebuild(x.args[0], True).as_coeff_add()
            factors = [self.exp_of(sp.S.One) ** c0] if c0 else []
            for term in terms:
                c, t = term.as_coeff_Mul()
                factors.append(self.exp_of(t) ** c)
            if not all(f.exp.is_Integer for f in factors if f.is_Pow):
                raise GiveUp("exp of a fraction of a term")
            return sp.Mul(*factors, evaluate=evaluate)
        if isinstance(x, sp.log):
            return self._log(self.rebuild(x.args[0]), evaluate)
        if isinstance(x, (sp.Add, sp.Mul, sp.Pow)):
            args = [self.rebuild(a, evaluate) for a in x.args]
            if not evaluate and all(a is b for a, b in zip(args, x.args)):
                return x  # nothing inside changed
            return rebuilt(x, args, evaluate)
        return self.atom(x)  # another function: an atom, by its own expression

    def _log(self, arg: sp.Basic, evaluate: bool) -> sp.Basic:
        """The log of each factor: a monomial's atoms give their exponents (``log E = t``),
        a constant and a non-monomial factor become atoms."""
        ring, index, gens = _ring_of([arg])
        conv = _Fractions(ring, index)
        num, den = conv(arg)
        if not num:
            raise GiveUp("log 0")
        out = []
        for poly, sign in [(num, 1)] + [(b, -k) for b, k in den.items()]:
            c, low, rest = _split(poly)
            if c < 0:  # log(1 - p) = log(-(p - 1)): the factor is 1 - p
                c, rest = -c, -rest
            if c != 1:
                out.append(sign * self.atom(("log", c)))
            for g, e in zip(gens, low):
                if e:
                    out.append(sign * e * (self.log_of[g] if g in self.log_of else self.atom(("log", g))))
            if rest != 1:
                out.append(sign * self.atom(("log", rest.as_expr(*gens))))
        return sp.Add(*out, evaluate=evaluate) if out else sp.S.Zero


def _ring_of(exprs) -> tuple[PolyRing, dict, list]:
    """A polynomial ring for the free symbols of ``exprs``: the ring, each symbol's position
    and the symbols in order. The ring's own generators are placeholders, the same for every
    ring of that many variables, built (with the code SymPy generates for it) once per size."""
    found: set = set()
    for e in exprs:
        found |= free_symbols(e)
    gens = sorted(found, key=sp.default_sort_key)
    size = max(len(gens), 1)
    ring = _RINGS.get(size)
    if ring is None:
        while len(_PLACEHOLDERS) < size:
            _PLACEHOLDERS.append(sp.Dummy(f"g{len(_PLACEHOLDERS)}"))
        ring = _RINGS[size] = PolyRing(tuple(_PLACEHOLDERS[:size]), QQ)
    return ring, {g: k for k, g in enumerate(gens)}, gens


_PLACEHOLDERS: list = []
#: size → ring: SymPy builds a new ring (and its monomial code) at each call
_RINGS: dict = register("polynomial-rings", None, {})


def _split(p):
    """``p = c·m·rest``: a rational ``c``, a monomial ``m`` (as exponents) and a primitive
    ``rest`` with a positive leading coefficient and no monomial factor."""
    c, rest = p.primitive()
    if rest.LC < 0:
        c, rest = -c, -rest
    monoms = rest.monoms()
    low = tuple(min(m[k] for m in monoms) for k in range(rest.ring.ngens))
    if any(low):
        rest = rest.ring({tuple(a - b for a, b in zip(m, low)): co for m, co in rest.terms()})
    return c, low, rest


class _Fractions:
    """Expression → (numerator, {denominator factor: exponent}) over ``ring``."""

    def __init__(self, ring: PolyRing, index: dict):
        self.ring, self.index = ring, index
        self.fixed: dict = {}  # symbol → polynomial it stands for
        self._memo: dict = {}

    def over(self, num, den: dict, other: dict):
        """``num`` times the factors of ``other`` that ``den`` lacks (a common denominator)."""
        for b, k in other.items():
            if k > den.get(b, 0):
                if _power_terms(b, k - den.get(b, 0)) > MAX_TERMS:
                    raise GiveUp("too many terms")
                num = num * b ** (k - den.get(b, 0))
        return num

    def __call__(self, x):
        hit = self._memo.get(id(x))
        if hit is not None and hit[0] is x:
            return hit[1]
        out = self._convert(x)
        if len(out[0]) > MAX_TERMS:
            raise GiveUp("too many terms")
        self._memo[id(x)] = (x, out)
        return out

    def _convert(self, x):  # noqa: C901 - one case per node type
        ring = self.ring
        if x.is_Symbol:
            return self.fixed.get(x, ring.gens[self.index[x]]), {}
        if x.is_Rational:
            return ring.ground_new(QQ(x.p, x.q)), {}
        if x.is_Add:
            parts = [self(a) for a in x.args]
            den: dict = {}
            for _, d in parts:
                for b, k in d.items():
                    den[b] = max(den.get(b, 0), k)
            num = ring.zero
            for n, d in parts:
                num += self.over(n, d, den)
            return num, den
        if x.is_Mul:
            num, den = ring.one, {}
            for a in x.args:
                n, d = self(a)
                num *= n
                if len(num) > MAX_TERMS:
                    raise GiveUp("too many terms")
                for b, k in d.items():
                    den[b] = den.get(b, 0) + k
            return num, den
        if x.is_Pow and x.exp.is_Integer:
            n, d = self(x.base)
            k = int(x.exp)
            if k >= 0:
                if _power_terms(n, k) > MAX_TERMS:  # before expanding: (a+b+c+d)^{1000} has 10^8 terms
                    raise GiveUp("too many terms")
                return n ** k, {b: e * k for b, e in d.items()}
            if not n:
                raise GiveUp("division by zero")
            num = self.over(ring.one, {}, {b: e * -k for b, e in d.items()})
            c, low, rest = _split(n)
            den = {}
            if any(low):
                den[ring({low: 1})] = -k
            if rest != 1:
                den[rest] = -k
            return num * ring(1 / c ** -k), den
        raise GiveUp(type(x).__name__)


def _power_terms(p, k: int) -> float:
    """An upper bound on the number of terms of ``p**k``: the monomials of ``k`` factors, and
    the exponents' box."""
    t = len(p)
    if t <= 1 or k <= 1:
        return t
    monoms = p.monoms()
    box = math.prod(k * (max(m[v] for m in monoms) - min(m[v] for m in monoms)) + 1 for v in range(p.ring.ngens))
    return min(math.comb(t + k - 1, k) if k < 10**6 else math.inf, box)
