r"""Definite integrals and limits in the numeric check.

An instance's ``\int_a^b f(y)\,dy`` becomes a :class:`Quadrature` of its scalar integrand (the
bound variable a fresh dummy), and the compiled program (:mod:`.codegen`) evaluates it at every
sampled point by double-exponential quadrature (tanh-sinh on a finite range, exp-sinh and
sinh-sinh on infinite ones), vectorised over the points. A point counts only where the
quadrature has converged: two step sizes agree, the outermost nodes contribute nothing and the
integrand is finite at every node but an endpoint; elsewhere it is NaN (a point skipped, like
any point where a side is undefined). A divergent integral thus leaves no point, never a value.

A limit is carried out symbolically (continuity, else SymPy's two-sided ``limit`` under a time
bound); it is never extrapolated from numbers. :mod:`mathlint.check.quadrature` names the
verdicts resting on either, keeps them from refuting and tries the symbolic proof.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..runtime.budget import OutOfTime, stop_after

#: finest step of the double-exponential rule and the range of its parameter: 257 nodes per axis
STEP, REACH = 1 / 32, 4.0
#: agreement of the two step sizes (the finer one's error is about the square of it) and weight of
#: the outermost nodes (what the truncated range misses), relative to ``∑|w f|``
AGREED, CONVERGED = 1e-7, 1e-10
MAX_AXES = 2  # nested integrals: at most a double one (257² nodes per point)
LIMIT_SECONDS = 1.0  # SymPy's limit that takes longer is not carried out
MP_DEGREE = 8  # mpmath's quadrature degree at the 50-digit confirmation of a point
_NOT_SMOOTH = (sp.Abs, sp.sign, sp.Piecewise, sp.floor, sp.ceiling, sp.Max, sp.Min, sp.Heaviside)
#: what SymPy's limit gets wrong at a jump: it evaluates a ``Piecewise`` branch at the point itself
#: (``\lim_{x \to 0}`` of 1 for x > 0, else 0, comes out 0); a limit of these is not carried out
UNSURE_IN_A_LIMIT = (sp.Piecewise, sp.sign, sp.floor, sp.ceiling, sp.frac, sp.Max, sp.Min, sp.Heaviside)
_UNDEFINED_VALUES = (sp.AccumBounds, sp.nan, sp.zoo, sp.oo, -sp.oo)


class NotNumeric(Exception):
    """The integral or limit cannot be evaluated here; the message says why."""


# --- instantiation ------------------------------------------------------------------------------

def instantiated(e: sp.Basic, scalar) -> sp.Basic:
    """The instance's value of an integral or a limit: ``scalar(x, bound)`` evaluates ``x`` at the
    instance with the names of ``bound`` (variable → dummy) bound. Raises :class:`NotNumeric`."""
    if isinstance(e, sp.Limit):
        return _limit(e, scalar)
    if any(len(lim) != 3 for lim in e.limits):
        raise NotNumeric("an integral without bounds")
    if len(e.limits) + sum(len(i.limits) for i in e.function.atoms(sp.Integral)) > MAX_AXES:
        raise NotNumeric(f"more than {MAX_AXES} nested integrals")
    bound: dict = {}
    limits = []
    for var, lo, hi in reversed(e.limits):  # outermost first: an inner bound may use an outer variable
        d = sp.Dummy(getattr(var, "name", "t"), real=True)
        limits.insert(0, (d, scalar(lo, bound), scalar(hi, bound)))
        bound[var] = d
    body = scalar(e.function, bound)
    dummies = set(bound.values())
    for call in body.atoms(AppliedUndef):
        if call.free_symbols & dummies:  # ``f(y)`` of a function the text does not define: no values
            raise NotNumeric(f"the integrand calls `{type(call).__name__}`, which the text does not define")
    for d, lo, hi in limits:  # innermost first
        body = Quadrature(body, d, lo, hi)
    return body


class Quadrature(sp.Function):
    """``∫_lo^hi body d(var)`` at an instance: computed by quadrature only, opaque to ``simplify``
    (which would try to integrate it, for as long as it takes, at every instance); the proof
    carries the claim's own integrals out once (:mod:`mathlint.check.quadrature`)."""

    nargs = 4

    @property
    def free_symbols(self):
        body, var, lo, hi = self.args
        return (body.free_symbols - {var}) | lo.free_symbols | hi.free_symbols

    def _eval_derivative(self, s):
        """Leibniz's rule: the integrand at each finite bound that moves, and the integral of its
        derivative (``\\frac{d}{dx}\\int_0^x f(y)\\,dy = f(x)``)."""
        body, var, lo, hi = self.args
        out = [sign * body.xreplace({var: b}) * sp.diff(b, s) for sign, b in ((1, hi), (-1, lo))
               if not b.has(sp.oo, -sp.oo) and b.has(s)]
        inner = sp.diff(body, s)
        return sp.Add(*out, Quadrature(inner, var, lo, hi) if inner != 0 else 0)


def _limit(e: sp.Limit, scalar) -> sp.Basic:
    """``\\lim_{x \\to a} g``: ``g`` at ``a`` where it is continuous, else SymPy's two-sided limit
    (at ±∞ its one-sided one) within :data:`LIMIT_SECONDS`."""
    body, var, point = e.args[0], e.args[1], e.args[2]
    d = sp.Dummy(getattr(var, "name", "t"), real=True)
    g, at = scalar(body, {var: d}), scalar(point, {})
    if g.atoms(AppliedUndef) and any(c.free_symbols & {d} for c in g.atoms(AppliedUndef)):
        raise NotNumeric("the limit is of a function the text does not define")
    g = g.doit() if g.has(sp.Derivative) else g
    if g.has(*UNSURE_IN_A_LIMIT):
        raise NotNumeric("a limit of a function with a jump (cases, sign, floor, a step) is not carried out")
    infinite = at.has(sp.oo, -sp.oo, sp.zoo)
    if not infinite and not g.has(*_NOT_SMOOTH):
        value = g.subs(d, at)  # ``\arctan(1/x)`` at 0: AccumBounds, no value
        if not value.has(*_UNDEFINED_VALUES) and value.is_finite:
            return value
    value = bounded(lambda: sp.limit(g, d, at, "-" if at == sp.oo else "+" if at == -sp.oo else "+-"))
    if value is None or value.has(sp.Limit, *_UNDEFINED_VALUES):
        raise NotNumeric("SymPy could not carry the limit out")
    return value


def bounded(fn, seconds: float = LIMIT_SECONDS):
    """``fn()``, or None when it fails or takes longer than ``seconds``."""
    alarm = stop_after(seconds)
    try:
        with alarm:
            return fn()
    except OutOfTime as exc:
        if exc is not alarm.token:
            raise
        return None
    except MemoryError:
        raise
    except Exception:  # SymPy could not do it (a RecursionError too, or left and right limits differ)
        return None


# --- compilation --------------------------------------------------------------------------------

def operands(e: sp.Basic, target: str, code, compile_exprs) -> tuple:
    """The operands of a call computing ``e`` in a compiled program: the quadrature function,
    then the registers (``code(x)``) of its finite bounds and of the names the integrand uses
    (``compile_exprs``: the integrand's compiler, :func:`~mathlint.numeric.codegen.compile_exprs`)."""
    if isinstance(e, Quadrature):
        body, var, lo, hi = e.args
    else:
        (var, lo, hi), outer = e.limits[-1], e.limits[:-1]
        body = sp.Integral(e.function, *outer) if outer else e.function
    sign = 1
    if lo in (sp.oo,) or hi in (-sp.oo,):  # ∫_∞^a = -∫_a^∞
        lo, hi, sign = hi, lo, -1
    kind = (lo == -sp.oo, hi == sp.oo)
    if any(b.has(sp.oo, -sp.oo, sp.zoo, sp.nan) for b, inf in zip((lo, hi), kind) if not inf):
        raise NotNumeric("an infinite bound inside an expression")
    names = sorted(body.free_symbols - {var}, key=lambda s: s.name)
    program = compile_exprs([var, *names], [body], target)
    finite = [b for b, inf in zip((lo, hi), kind) if not inf]
    fn = (_mp_quadrature if target == "mpmath" else _np_quadrature)(program, kind, sign, len(finite))
    return (fn, *(code(b) for b in finite), *(code(s) for s in names))


def _mapping(kind: tuple[bool, bool]):
    """``map(t, *finite bounds)`` → the nodes ``x`` and ``dx/dt`` at the parameter values ``t``
    (arrays broadcast), for a range of ``kind`` (lower infinite, upper infinite)."""
    def parts(t):
        return np.pi / 2 * np.sinh(t), np.pi / 2 * np.cosh(t)

    def both(t):  # sinh-sinh
        u, du = parts(t)
        return np.sinh(u), np.cosh(u) * du

    def half(t, a):  # exp-sinh from the finite end
        u, du = parts(t)
        return a + (1.0 if kind[1] else -1.0) * np.exp(u), np.exp(u) * du

    def finite(t, a, b):  # tanh-sinh: each half measured from its own end, so no node is the end itself
        u, du = parts(t)
        left, right = _sigmoid(2 * u), _sigmoid(-2 * u)
        x = np.where(t < 0, a + (b - a) * left, b - (b - a) * right)
        return x, (b - a) * 2 * left * right * du

    return both if kind == (True, True) else half if kind[0] or kind[1] else finite


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _np_quadrature(program, kind, sign, n_bounds):
    """``f(*bounds, *names)`` → the integral at every point (arrays broadcast), NaN where the rule
    has not converged."""
    t = np.arange(-REACH, REACH + STEP / 2, STEP)
    even = (np.round(t / STEP).astype(int) % 2) == 0
    outermost = np.zeros(len(t), dtype=bool)
    outermost[[0, 1, -2, -1]] = True
    mapping = _mapping(kind)

    def quad(*args):
        bounds = [np.asarray(b, dtype=float)[None, ...] for b in args[:n_bounds]]
        names = [np.asarray(a)[None, ...] for a in args[n_bounds:]]
        shape = np.broadcast_shapes(*(np.shape(a)[1:] for a in (*bounds, *names)))
        full = (len(t), *shape)
        with np.errstate(all="ignore"):
            x, dx = mapping(t.reshape((len(t),) + (1,) * len(shape)), *bounds)
            x, dx = np.broadcast_to(x, full), np.broadcast_to(dx, full)
            f = np.broadcast_to(np.asarray(program(x, *names)[0]), full)
            if np.iscomplexobj(f):
                f = np.where(np.abs(np.imag(f)) < 1e-12, np.real(f), np.nan)
            c = np.where(_at_an_end(x, bounds, kind) & ~np.isfinite(f), 0.0, f * dx)
            fine = STEP * c.sum(axis=0)
            coarse = 2 * STEP * c[even].sum(axis=0)
            scale = STEP * np.abs(c).sum(axis=0)
            tail = STEP * np.abs(c[outermost]).sum(axis=0)
            ok = np.isfinite(fine) & (np.abs(fine - coarse) <= AGREED * scale + 1e-300) \
                & (tail <= CONVERGED * scale + 1e-300)
        return sign * np.where(ok, fine, np.nan)

    return quad


def _at_an_end(x, bounds, kind):
    """Nodes the rounding put on a finite end, or beyond 10¹⁵ towards an infinite one: a
    singularity there is the end's, not the integrand's."""
    out = np.abs(x) > 1e15
    finite = iter(bounds)
    for inf in kind:
        if not inf:
            out = out | (x == next(finite))
    return out


def _mp_quadrature(program, kind, sign, n_bounds):
    """The same integral at the caller's mpmath precision (a 50-digit confirmation); raises
    when mpmath's own error estimate is not small."""
    import mpmath

    def quad(*args):
        bounds, names = list(args[:n_bounds]), args[n_bounds:]
        ends = iter(bounds)
        lo, hi = (-mpmath.inf if kind[0] else next(ends)), (mpmath.inf if kind[1] else next(ends))
        value, err = mpmath.quad(lambda x: program(x, *names)[0], [lo, hi], error=True, maxdegree=MP_DEGREE)
        if not mpmath.isfinite(value) or err > mpmath.mpf(10) ** (10 - mpmath.mp.dps) * max(1, abs(value)):
            raise ArithmeticError("the quadrature did not converge")
        return sign * value

    return quad


def unconverged(exprs: list, values: list) -> np.ndarray | bool:
    """The points where a quadrature in ``exprs`` gave NaN (``values``: theirs): not a side
    that is not real there, a value not known."""
    if not any(isinstance(e, sp.Basic) and e.has(sp.Integral, Quadrature) for e in exprs):
        return False
    return np.logical_or.reduce([np.isnan(v) for v in values])
