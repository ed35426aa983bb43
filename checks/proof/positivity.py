"""What a proof assumed: the positivity of the logs' arguments it split.

The proof rewrites split ``log(x^2/y)`` into ``2 log x - log y`` (``expand_log(force=True)``
and the rational zero test do), which holds only for ``x > 0`` and ``y > 0``. A proof that
needed such a split is a proof *under* those conditions, and the verdict must say so: named
from the text's hypotheses when they make the arguments positive (the symbols then carry
``positive=True`` and nothing is left to name), else as ``needs-assumption``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..expr.walk import free_symbols, subexpressions
from ..numeric.sample import fast_lambdify
from .rewrites import UNFORCED_STEPS


def _positive(e: sp.Basic, probabilities: dict) -> bool:
    """``e > 0`` for every value of its symbols' domains (SymPy's assumptions, probabilities
    in (0, 1) as ``1/(1 + t)`` with ``t > 0``); False when not known."""
    if e.is_positive:
        return True
    moved = sp.together(e.xreplace(probabilities)) if probabilities else sp.together(e)
    n, d = sp.fraction(sp.factor_terms(moved))
    return all(f.is_positive or isinstance(f, sp.Pow) and f.exp.is_even and f.base.is_nonzero
               for part in (n, d) for f in sp.Mul.make_args(part))


def _factors(arg: sp.Basic) -> list[sp.Basic]:
    """The factors a log's argument splits into (``x^2/y`` → ``x``, ``y``), powers stripped."""
    n, d = sp.fraction(sp.factor_terms(sp.together(arg)))
    out = []
    for part in (n, d):
        for f in sp.Mul.make_args(part):
            base = f.base if isinstance(f, sp.Pow) and f.exp.is_number else f
            if not base.is_number:
                out.append(base)
    return out


def requirements(d: sp.Basic, probability_symbols: frozenset = frozenset()) -> tuple[sp.Basic, ...]:
    """The expressions a proof that ``d = 0`` assumed positive by splitting logs: the factors of
    each log's argument not known positive; empty when no log needed splitting or ``d`` is zero
    without splitting any (``log(x) - log(x)``)."""
    probabilities = {p: 1 / (1 + sp.Dummy(f"t_{p}", positive=True)) for p in probability_symbols}
    logs = [node for node in subexpressions([d], (sp.log,)) if not _positive(node.args[0], probabilities)]
    if not logs:
        return ()
    for step in UNFORCED_STEPS:
        try:
            if step(d) == 0:
                return ()
        except MemoryError:
            raise
        except Exception:  # a rewrite that fails proves nothing
            continue
    out: list[sp.Basic] = []
    for node in logs:
        for f in _factors(node.args[0]):
            if f not in out and free_symbols(f) and not _positive(f, probabilities) \
                    and _not_positive_somewhere(f, probability_symbols):
                out.append(f)
    return tuple(out)


POINTS = 64


def _not_positive_somewhere(f: sp.Basic, probability_symbols: frozenset) -> bool:
    r"""Whether ``f <= 0`` at some point of its symbols' domains (a few fixed and random points):
    a factor SymPy cannot show positive but that is (``2 + \sin y``) is no assumption of the
    proof's, and one the search cannot evaluate is not named either (no warning on a guess)."""
    syms = sorted(free_symbols(f), key=str)
    rng = np.random.default_rng(0)
    fixed = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
    columns = []
    for s in syms:
        if s in probability_symbols:
            columns.append(rng.uniform(0.001, 0.999, POINTS))
        elif s.is_positive:
            columns.append(np.exp(rng.normal(0.0, 2.0, POINTS)))
        else:
            columns.append(np.concatenate([fixed, rng.normal(0.0, 3.0, POINTS - len(fixed))]))
    try:
        fn = fast_lambdify(syms, f)  # the checks' own evaluator: no generated source for the common nodes
        with np.errstate(all="ignore"):
            values = np.broadcast_to(np.asarray(fn(*columns), dtype=complex), (POINTS,))
    except MemoryError:
        raise
    except Exception:  # not evaluable with numpy: nothing shown, nothing named
        return False
    real = np.isfinite(values) & (np.abs(values.imag) <= 1e-12)
    return bool(np.any(real & (values.real <= 0)))
