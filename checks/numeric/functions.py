"""Random smooth functions in place of the functions a text leaves undefined.

A claim about ``g`` and ``h`` that the text never defines (the product rule, ``f'(x)`` as the
limit of difference quotients) has no values to sample. Each such function is replaced here
by a concrete one drawn at random, ``a·sin(b·t + c) + d·t² + e·t + k`` (for several arguments a
smooth combination of them), and the derivatives, limits and integrals are carried out, so the
sides can be compared like any others. A claim that holds for a few independent draws holds
numerically for arbitrary functions; one that fails is about the text's particular function
(``h(0) = 0``) and says nothing. Only plain names are instantiated (``f``, ``g``, ``F``,
``\\phi``), applied to scalar arguments: operators and distributions (``E``, ``P``, ``p``,
``Var``, ``det``, …) are not functions to draw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.symbols import ELLIPSIS, DerivativeWrt
from ..expr.walk import atoms, read_as_calls, subexpressions, unevaluated, xreplace
from .integrals import bounded

DRAWS = 3  # independent draws of the functions
#: SymPy's integral (simple ones take 0.1 s) or limit that takes longer is done another way, or not at all
INTEGRAL_SECONDS, LIMIT_SECONDS = 1.0, 0.5
NODES = 24  # Gauss-Legendre nodes of a numeric integral (smooth integrands: near machine precision)

#: single letters that name an operator, a distribution or a set rather than a free function
_NOT_FREE = frozenset("EPpqQHINODd")
_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho "
          "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Upsilon Phi Psi Omega")
_FREE_NAME = re.compile(r"[A-Za-z]|\\(?:" + "|".join(_GREEK.split()) + r")")
#: where a limit's expression is not analytic, L'Hôpital's rule is no rule
_NOT_SMOOTH = (sp.Abs, sp.sign, sp.Piecewise, sp.floor, sp.ceiling, sp.Max, sp.Min, sp.Heaviside)
_VECTOR_PREFIXES = ("math{", "boldsymbol{", "mathbf{", "vec{")


@dataclass(frozen=True)
class Draws:
    """The functions to draw (name → number of arguments) and the sides to draw them in (with
    ``f\\,(x+h)`` read as ``f(x+h)`` where ``f`` is a function of the claim: ``reread``)."""

    lhs: sp.Basic
    rhs: sp.Basic
    arity: dict
    reread: tuple[str, ...] = ()
    #: the integrals (by their order in the walk) SymPy was too slow for: not tried again
    slow: set = field(default_factory=set)

    @property
    def names(self) -> list[str]:
        return sorted(self.arity)


def free_functions(lhs: sp.Basic, rhs: sp.Basic, text: str, vectors=()) -> Draws | None:
    """The claim's undefined functions, when every one is a plain name applied to scalar
    arguments (else None: not sure what a call means); ``text`` is the claim's LaTeX, which
    must show ``f(`` for a product ``f·(x+h)`` to be read as the call it is written as."""
    sides = (lhs, rhs)
    if not all(isinstance(s, sp.Expr) for s in sides):
        return None
    calls = subexpressions(sides, (AppliedUndef,))
    fns = {type(c) for c in calls}
    if not fns or not all(_FREE_NAME.fullmatch(f.__name__) and f.__name__ not in _NOT_FREE
                          and not getattr(f, "_kwargs", None) for f in fns):
        return None
    names = {f.__name__: f for f in fns}
    written = {n: names[n] for n in names if _called(n, text)}
    reread: set[str] = set()
    read = [_reread(s, written, reread) for s in sides]
    if any(r is None for r in read):
        return None
    lhs, rhs = (s.replace(_by_call, _by_substitution) for s in read)  # g'(h(x)): g' at h(x)
    calls = subexpressions((lhs, rhs), (AppliedUndef,))
    arity: dict = {}
    for c in calls:
        if arity.setdefault(type(c).__name__, len(c.args)) != len(c.args) or not _scalar_arguments(c, vectors):
            return None
    bound = {lim[0] for e in subexpressions((lhs, rhs), (sp.Sum, sp.Product)) for lim in e.limits}
    if any(c.free_symbols & bound for c in calls):  # ``f(i)`` over an index: no function of a real number
        return None
    symbols = {s.name for s in subexpressions((lhs, rhs), (sp.Symbol,))}
    bases = {str(i.label) for i in subexpressions((lhs, rhs), (sp.IndexedBase,))}
    if (symbols | bases) & set(arity) or any(_called(n, text) for n in symbols) \
            or atoms(lhs, DerivativeWrt) or atoms(rhs, DerivativeWrt) or of_a_bare_name(lhs, True) \
            or of_a_bare_name(rhs, True):  # a name as a number and a function (``dg/dh``, ``g(h(x))`` read
        return None  # as ``g·h(x)`` with ``g`` defined), a derivative by an expression or of a bare name
    return Draws(lhs, rhs, arity, tuple(sorted(reread)))


def _called(name: str, text: str) -> bool:
    """Whether the text writes ``name(`` (a call the reader may have taken for a product)."""
    return bool(re.search(r"(?<![A-Za-z\\])" + re.escape(name) + r"\s*(?:\\left\s*)?\(", text))


def of_a_bare_name(e: sp.Basic, integrands: bool = False) -> bool:
    """``\\frac{dF}{dx}`` with ``F`` a name, not a function of ``x``, or ``\\frac{d}{dt} f(x)`` with
    ``f`` applied to names other than ``t`` (``x`` may depend on ``t``): SymPy makes it 0, the text
    does not. ``integrands``: a call of only an integral's bound variable (``f(y)`` in
    ``\\frac{d}{dx}\\int_0^x f(y)\\,dy``) is no such call."""
    for d in atoms(e, sp.Derivative):
        wrt = set(d.variables)
        if not isinstance(d.expr, AppliedUndef) and not (d.expr.free_symbols & wrt):
            return True
        bound = {lim[0] for i in atoms(d.expr, sp.Integral) for lim in i.limits} if integrands else set()
        if any(not (f.free_symbols & wrt) and not f.free_symbols <= bound for f in atoms(d.expr, AppliedUndef)):
            return True
    return False


def _scalar_arguments(call: AppliedUndef, vectors) -> bool:
    if not call.args:
        return False
    for a in call.args:
        if not isinstance(a, sp.Expr) or isinstance(a, sp.MatrixBase) or a.has(ELLIPSIS):
            return False
        for s in a.free_symbols:
            name = str(s)
            if name.startswith(_VECTOR_PREFIXES) or name in vectors:
                return False
    return True


def _reread(e: sp.Basic, fns: dict, done: set) -> sp.Basic | None:
    """``f·(x+h)`` as ``f(x+h)`` and ``g·h(x)`` as ``g(h(x))`` for the functions ``fns`` (by
    name; the names re-read are added to ``done``): the reader takes a name before a bracket
    for a factor when the bracket holds more than a name. None when a product with ``f`` has
    no single bracket it can be applied to."""
    if not fns:
        return e
    out, whole, read = read_as_calls(e, fns)  # ``(x+e)/2 + (x-e)/2`` kept
    done |= read
    return out if whole else None


def smooth(rng: np.random.Generator, arity: int) -> sp.Lambda:
    """A random smooth function of ``arity`` real arguments: a sine of a linear form plus a
    quadratic, coefficients of one decimal (exact, so SymPy carries calculus out exactly)."""
    ts = sp.symbols(f"t1:{arity + 1}", real=True)

    def coef(lo, hi) -> sp.Rational:
        return sp.Rational(int(rng.integers(round(lo * 10), round(hi * 10) + 1)), 10)

    amplitude = coef(0.5, 1.5) * (1 if rng.random() < 0.5 else -1)
    phase = sum((coef(0.5, 1.5) * t for t in ts), coef(-1, 1))
    quad = sum(coef(-0.5, 0.5) * ts[i] * ts[j] for i in range(arity) for j in range(i, arity))
    linear = sum((coef(-1, 1) * t for t in ts), coef(-1, 1))
    return sp.Lambda(ts, amplitude * sp.sin(phase) + quad + linear)


def draw(d: Draws, rng: np.random.Generator) -> tuple[sp.Basic, sp.Basic] | None:
    """The sides with each function replaced by a random smooth one and the calculus carried
    out (None when some of it cannot be: an integral over an infinite range, a limit at ∞)."""
    classes = {type(c).__name__: type(c) for c in subexpressions((d.lhs, d.rhs), (AppliedUndef,))}
    fns = {classes[n]: smooth(rng, d.arity[n]) for n in d.names}  # in a fixed order: the same draws every run
    out, order = [], iter(range(1 << 30))  # the integrals of both sides, numbered
    for side in (d.lhs, d.rhs):
        e = side.replace(lambda n: isinstance(n, AppliedUndef) and type(n) in fns, lambda n: fns[type(n)](*n.args))
        e = _carried_out(e, d.slow, order)
        if e is None or e.has(AppliedUndef, sp.Derivative, sp.Subs, sp.Limit):  # an integral left: by quadrature
            return None
        out.append(e)
    return out[0], out[1]


def _by_call(n: sp.Basic) -> bool:
    return isinstance(n, sp.Derivative) and any(isinstance(v, AppliedUndef) for v in n.variables)


def _by_substitution(d: sp.Derivative) -> sp.Basic:
    """``g'(h(x))`` read as ``∂g(h(x))/∂h(x)``: the derivative of ``g`` at ``h(x)``."""
    e, points = d.expr, {}
    names = {v: sp.Dummy("t", real=True) for v in d.variables if isinstance(v, AppliedUndef)}
    for v, t in names.items():
        e, points[t] = e.xreplace({v: t}), v
    inner = sp.Derivative(e, *[(names.get(v, v), n) for v, n in d.variable_count])
    return sp.Subs(inner, tuple(points), tuple(points.values()))


def _carried_out(e: sp.Basic, slow: set, order) -> sp.Basic | None:
    """Derivatives, then integrals (numbered by ``order``) and limits of concrete functions,
    innermost first."""
    try:
        e = e.replace(lambda n: isinstance(n, (sp.Derivative, sp.Subs)), lambda n: n.doit())
        e = e.replace(lambda n: isinstance(n, sp.Integral), lambda n: _integral(n, next(order), slow))
        return e.replace(lambda n: isinstance(n, sp.Limit), _limit)
    except MemoryError:
        raise
    except Exception:  # SymPy could not carry something out (a RecursionError too): no draw
        return None


def _integral(i: sp.Integral, k: int, slow: set) -> sp.Basic:
    """Exactly when SymPy does it quickly (integral ``k`` of the side was not too slow in an
    earlier draw: ``slow``), else by Gauss-Legendre quadrature over finite bounds (an
    expression of the bounds, so the sides are still compared at random points)."""
    done = bounded(i.doit, INTEGRAL_SECONDS) if k not in slow else None
    if done is not None and not done.has(sp.Integral):
        return done
    slow.add(k)
    if len(i.limits) != 1 or len(i.limits[0]) != 3 or any(b.has(sp.oo, -sp.oo, sp.zoo) for b in i.limits[0][1:]):
        return i  # one finite range only: a product of quadratures is too costly to evaluate
    out = i.function
    for var, lo, hi in i.limits:
        nodes, weights = np.polynomial.legendre.leggauss(NODES)
        half, mid = (hi - lo) / 2, (hi + lo) / 2
        out = half * unevaluated(sp.Add, [sp.Float(w) * xreplace(out, {var: mid + half * sp.Float(x)}, evaluate=False)
                                          for x, w in zip(nodes, weights)])
    return out


def _limit(lim: sp.Limit) -> sp.Basic:
    """A limit at a finite point: the value where the expression is continuous there, else
    L'Hôpital's rule (the functions are analytic), else SymPy's ``limit`` if it is quick."""
    body, var, point = lim.args[0], lim.args[1], lim.args[2]
    if point.has(sp.oo, -sp.oo, sp.zoo) or body.has(*_NOT_SMOOTH):
        return lim
    num, den = sp.fraction(sp.together(body))
    for _ in range(3):
        n0, d0 = num.subs(var, point), den.subs(var, point)
        if _nonzero(d0):
            return lim if n0.has(sp.zoo, sp.oo, -sp.oo, sp.nan) else n0 / d0
        if not (d0 == 0 and n0 == 0):
            break
        num, den = sp.diff(num, var), sp.diff(den, var)
    got = bounded(lim.doit, LIMIT_SECONDS)
    return got if got is not None else lim


def _nonzero(v: sp.Basic) -> bool:
    return bool(v.is_number and v.is_zero is False)
