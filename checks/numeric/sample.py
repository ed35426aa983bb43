"""Numeric evidence: evaluate both sides at random points of each symbol's domain."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.printing import function_label
from ..expr.walk import subexpressions, xreplace
from ..relations import ATOL, PRECISE_ATOL, PRECISE_RTOL, RTOL  # noqa: F401 (named here for callers)
from ..runtime.memo import ByIdentity, once
from .integrals import unconverged

PROBABILITY_NAMES = {"p", "q", "P", "Q", "Pr", "prob", "probs", "pi"}


def base_name(sym: sp.Symbol) -> str:
    return re.split(r"[\[(]", sym.name, maxsplit=1)[0]


def opaque(exprs: list[sp.Basic], labels: dict | None = None) -> tuple[list[sp.Basic], dict[sp.Symbol, str]]:
    """Replace calls of undefined functions by symbols; returns exprs and symbol → domain hints
    (and fills ``labels`` with symbol → the function's name, ``H(·)`` or ``P(Y=1|·)``, so a
    failure can say which undefined function it depends on)."""
    hints: dict[sp.Symbol, str] = {}
    mapping = {}
    for e in exprs:
        for app in subexpressions([e], (AppliedUndef,)):
            fn = type(app)
            keywords = getattr(fn, "_kwargs", {})
            event = keywords.get("event")
            args = ", ".join(str(a) for a in app.args)
            # every keyword names the function (``E`` over ``x ~ p`` is not ``E`` over ``x ~ q``)
            others = ", ".join(f"{k}={v}" for k, v in sorted(keywords.items()) if k != "event")
            head = f"{fn.__name__}[{others}]" if others else fn.__name__
            sym = sp.Symbol(f"{head}({event}|{args})" if event else f"{head}({args})")
            mapping[app] = sym
            if labels is not None:
                labels[sym] = function_label(fn)
            if event or fn.__name__ in PROBABILITY_NAMES:
                hints[sym] = "probability"
    return [xreplace(e, mapping, evaluate=False) for e in exprs], hints


def domain_of(sym: sp.Symbol, domains: dict[str, str], hints: dict) -> str:
    if sym in hints:
        return hints[sym]
    base = base_name(sym)
    if base in domains:
        return domains[base]
    return "probability" if base in PROBABILITY_NAMES else "real"


def sample(symbols: list[sp.Symbol], domains: dict[str, str], hints: dict, lengths: dict[str, int],
           rng: np.random.Generator, k: int) -> dict[sp.Symbol, np.ndarray]:
    """``k`` random values for each symbol; simplex and one-hot bases are drawn jointly."""
    values: dict[sp.Symbol, np.ndarray] = {}
    joint: dict[str, list[sp.Symbol]] = {}
    for s in symbols:
        d = domain_of(s, domains, hints)
        if d in ("simplex", "onehot"):
            joint.setdefault(base_name(s), []).append(s)
        elif d == "probability":
            values[s] = rng.uniform(0.05, 0.95, k)
        elif d == "positive":
            values[s] = rng.uniform(0.1, 3.0, k)
        elif d == "binary":
            values[s] = rng.integers(0, 2, k).astype(float)
        elif d == "count":  # the argument of a factorial or a binomial coefficient
            values[s] = rng.integers(0, 11, k).astype(float)
        else:
            values[s] = rng.uniform(-2.0, 2.0, k)
    for base, syms in joint.items():
        n = max(lengths.get(base, 0), *(_pos(s) for s in syms))
        if domains.get(base) == "onehot":
            hot = rng.integers(0, n, k)
            table = np.eye(n)[hot]
        else:
            table = rng.dirichlet(np.ones(n), k)
        for s in syms:
            values[s] = table[:, _pos(s) - 1]
    return values


def _pos(s: sp.Symbol) -> int:
    m = re.search(r"\[(\d+)\]$", s.name)
    return int(m.group(1)) if m else 1


@dataclass
class Comparison:
    valid: int  # points where both sides are finite
    mismatch: dict | None  # counterexample, if any
    failed_points: int = 0
    one_sided: int = 0  # points where one side is real and finite and the other is not


def _as_array(v, k):
    a = np.asarray(v, dtype=complex if np.iscomplexobj(v) else float)
    return np.broadcast_to(a, (k,)) if a.shape != (k,) else a


@once
def warm_up() -> None:
    """Import, once and before worker processes are forked, what each check would otherwise
    import again in its own child: the compiler's NumPy namespace, mpmath and ``numpy.random``
    (not ``lambdify``'s namespace: only nodes the compiler does not know need it)."""
    import mpmath  # noqa: F401
    import numpy.random  # noqa: F401

    x = sp.Symbol("x")
    fast_lambdify([x], [sp.exp(x)])(1.0)


def fast_lambdify(syms: list[sp.Symbol], exprs, target: str = "numpy"):
    """A function of ``syms`` giving the value of ``exprs`` (a list of them, or one), over
    NumPy arrays or (``target="mpmath"``) mpmath numbers: a list of operations built by
    :mod:`mathlint.numeric.codegen`, or ``lambdify`` (symbols renamed to plain identifiers first) when
    there is a node that it does not know."""
    many = isinstance(exprs, (list, tuple))
    items = [sp.sympify(e) for e in (exprs if many else [exprs])]
    fn = _compiled(tuple(syms), tuple(items), target)
    return fn if many else (lambda *a: fn(*a)[0])


_COMPILED = ByIdentity(64, name="compiled-functions")  # (symbols, expressions) and target → function


def _compiled(syms: tuple, items: tuple, target: str):
    """The function for these very objects, built once: retries of a check under an
    assumption evaluate the same expressions at other points."""
    from .codegen import Unsupported, compile_exprs

    tag = (target, len(syms))  # where the symbols end and the expressions begin
    fn = _COMPILED.get(syms + items, tag)
    if fn is not None:
        return fn
    try:
        fn = compile_exprs(list(syms), list(items), target)
    except Unsupported:
        plain = [sp.Symbol(f"_v{k}") for k in range(len(syms))]
        mapping = dict(zip(syms, plain))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # ``1/(n-1)`` at n = 1 is SymPy's zoo, which lambdify cannot print: undefined there (NaN: skipped)
            fn = sp.lambdify(plain, [e.xreplace({**mapping, sp.zoo: sp.nan}) for e in items], modules=target,
                             dummify=False)
    return _COMPILED.put(syms + items, fn, tag)


def compare(lhs: list[sp.Basic], rhs: list[sp.Basic], relation_ok, values: dict, k: int,
            confirm: bool = True, count: bool = True) -> Comparison:
    """Evaluate component lists ``lhs``/``rhs``; ``relation_ok(a, b)`` → boolean array. With
    ``confirm``, a failing point counts only once it fails at 50 digits too, and a point that
    ``relation_ok.unsure`` (when it has one) doubts counts as failing once it fails there.
    Without ``count`` only the first counterexample is wanted, and ``failed_points`` counts it
    and the points after it unconfirmed."""
    syms = sorted(values, key=lambda s: s.name)
    fn = fast_lambdify(syms, list(lhs) + list(rhs))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            out = fn(*[values[s] for s in syms])
    out = [_as_array(v, k) for v in out]
    n = len(lhs)
    real = [np.isfinite(a) & (np.abs(np.imag(a)) < 1e-12 if np.iscomplexobj(a) else True) for a in out]
    left, right = np.logical_and.reduce(real[:len(lhs)]), np.logical_and.reduce(real[len(lhs):])
    valid = left & right
    bad = np.zeros(k, dtype=bool)
    first = None
    precise = _Precise(syms, list(lhs) + list(rhs), values)
    unsure = getattr(relation_ok, "unsure", None)
    for c in range(n):
        a, b = np.real(out[c]), np.real(out[n + c])
        with np.errstate(all="ignore"):
            wrong = valid & ~relation_ok(a, b)
            doubt = valid & ~wrong & unsure(a, b) if confirm and unsure is not None else None
        if wrong.any() and confirm and (count or first is None):
            wrong = precise.confirm(wrong, c, n, relation_ok, count)
        if doubt is not None and doubt.any() and (count or first is None):
            wrong = wrong | precise.refute(doubt, c, n, relation_ok)
        if wrong.any() and first is None:
            p = int(np.argmax(wrong))
            first = {"component": c + 1 if n > 1 else None,
                     "values": {s.name: _round(values[s][p]) for s in syms},
                     "lhs": _round(a[p]), "rhs": _round(b[p])}
        bad |= wrong
    one_sided = (left ^ right) & ~unconverged(lhs, out[:n]) & ~unconverged(rhs, out[n:])  # a NaN quadrature: unknown
    return Comparison(int(valid.sum()), first, int(bad.sum()), int(one_sided.sum()))


class _Precise:
    """The same expressions at 50 digits (mpmath), to confirm that a point where the floats
    disagree is a counterexample and not rounding (``1 - σ(40)`` cancels in float64), and to
    decide the points the floats cannot tell from equal (``10^{-20} x`` and ``0``)."""

    CHECKED = 8  # failing (or doubtful) points re-evaluated per component

    def __init__(self, syms, exprs, values):
        self.syms, self.exprs, self.values, self.fn = syms, exprs, values, None
        self._at: dict = {}  # point → its 50-digit values (or None): components share them

    def _values(self, p: int):
        """Every expression at point ``p``, to 50 digits, or None when that fails."""
        import mpmath

        if p not in self._at:
            if self.fn is None:
                self.fn = fast_lambdify(self.syms, self.exprs, "mpmath")
            try:
                with mpmath.workdps(50):
                    self._at[p] = list(self.fn(*[mpmath.mpf(float(self.values[s][p])) for s in self.syms]))
            except MemoryError:  # the worker's memory limit: never a reason to keep a float verdict
                raise
            except Exception:  # cannot be evaluated precisely: the float verdict stands
                self._at[p] = None
        return self._at[p]

    def _holds(self, p: int, c: int, n: int, relation_ok) -> bool | None:
        """Whether the relation holds at point ``p`` for component ``c`` at 50 digits."""
        import mpmath

        vals = self._values(p)
        if vals is None:
            return None
        try:
            a, b = (mpmath.re(mpmath.mpmathify(vals[i])) for i in (c, n + c))
        except Exception:
            return None
        exact = getattr(relation_ok, "precise", None)
        if exact is not None:
            return exact(a, b)
        with np.errstate(all="ignore"):
            return bool(relation_ok(np.array([float(a)]), np.array([float(b)]))[0])

    def confirm(self, wrong: np.ndarray, c: int, n: int, relation_ok, every: bool = True) -> np.ndarray:
        """``wrong`` without the points (among the first few) that hold at high precision;
        when none of those is confirmed, no point is. Without ``every``, it stops at the first
        confirmed point (the points after it are left as the floats say)."""
        confirmed = np.zeros_like(wrong)
        for p in np.flatnonzero(wrong)[:self.CHECKED]:
            if not every and confirmed.any():
                rest = wrong.copy()
                rest[:p] = False
                return confirmed | rest
            holds = self._holds(p, c, n, relation_ok)
            confirmed[p] = holds is None or not holds  # not evaluable precisely: keep the float verdict
        if confirmed.any():
            rest = wrong.copy()
            rest[np.flatnonzero(wrong)[:self.CHECKED]] = False
            return confirmed | rest
        return confirmed

    def refute(self, doubt: np.ndarray, c: int, n: int, relation_ok) -> np.ndarray:
        """The doubtful points (among the first few) that fail at high precision; when one
        does, the doubtful points not re-evaluated fail too."""
        failed = np.zeros_like(doubt)
        checked = np.flatnonzero(doubt)[:self.CHECKED]
        for p in checked:
            failed[p] = self._holds(p, c, n, relation_ok) is False
        if failed.any():
            rest = doubt.copy()
            rest[checked] = False
            return failed | rest
        return failed


def moved_by(lhs: list[sp.Basic], rhs: list[sp.Basic], values: dict, candidates, domains: dict[str, str],
             hints: dict, rng: np.random.Generator, k: int, draws: int = 2) -> list[sp.Symbol]:
    """The ``candidates`` whose values change ``lhs − rhs`` (some component, some point) when
    redrawn with the other symbols kept: a failure that moves with the value of an undefined
    function's call holds or fails by that value, not by anything the text says."""
    syms = sorted(values, key=lambda s: s.name)
    fn = fast_lambdify(syms, list(lhs) + list(rhs))
    n = len(lhs)

    def differences(vals: dict) -> list[np.ndarray]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                out = [np.real(_as_array(v, k)) for v in fn(*[vals[s] for s in syms])]
                return [out[c] - out[n + c] for c in range(n)]

    base = differences(values)
    moved = []
    for s in candidates:
        for _ in range(draws):
            other = differences({**values, s: sample([s], domains, hints, {}, rng, k)[s]})
            with np.errstate(all="ignore"):
                if any((np.isfinite(a) & np.isfinite(b) & ~close(a, b)).any() for a, b in zip(base, other)):
                    moved.append(s)
                    break
    return moved


def _round(v: float) -> float:
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return v
    return float(f"{v:.6g}")


def close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Equal as floats: within RTOL relatively, or ATOL absolutely (float rounding near zero)."""
    return np.abs(a - b) <= ATOL + RTOL * np.maximum(np.abs(a), np.abs(b))
