"""Numeric evaluation of SymPy trees: the same values as SymPy's own evaluation."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from mathlint.numeric.codegen import Unsupported, compile_exprs

x, y = sp.symbols("x y")
SHARED = sp.exp(x * y) / (1 + sp.exp(x * y))
EXPRS = [
    SHARED - SHARED ** 2,  # a shared part, an integer power
    sp.log(1 + x ** 2) * sp.Rational(3, 7) + sp.pi * y - sp.E,  # constants
    x ** y * sp.sin(x) + sp.Abs(y) ** sp.Rational(1, 3) + sp.atan(y) / sp.Float("0.25"),  # symbolic powers
    sp.Integer(5),  # a constant alone
]


def test_numpy_values_match_sympy():
    xs, ys = np.array([0.3, 1.7, 2.2]), np.array([-1.1, 0.4, 1.9])
    got = compile_exprs([x, y], EXPRS)(xs, ys)
    for e, g in zip(EXPRS, got):
        want = [complex(e.evalf(30, subs={x: a, y: b})) for a, b in zip(xs, ys)]
        np.testing.assert_allclose(np.broadcast_to(g, xs.shape).astype(complex), want, rtol=1e-12)


def test_mpmath_values_are_computed_at_the_callers_precision():
    f = compile_exprs([x, y], [sp.Rational(1, 3) + x, sp.pi * y], "mpmath")
    with mpmath.workdps(50):
        third, pi = f(mpmath.mpf(0), mpmath.mpf(1))
        assert mpmath.nstr(third, 45) == mpmath.nstr(mpmath.mpf(1) / 3, 45)
        assert abs(pi - mpmath.pi) < mpmath.mpf(10) ** -45


def test_unknown_nodes_are_refused():
    with pytest.raises(Unsupported):
        compile_exprs([x], [sp.zeta(x)])
    with pytest.raises(Unsupported):
        compile_exprs([x], [x + y])  # y is not an argument


def test_gamma_factorial_and_indicator_nodes_are_computed_elementwise():
    import numpy as np
    fn = compile_exprs([x, y], [sp.factorial(x), sp.binomial(x, y), sp.KroneckerDelta(x, y)])
    fact, binom, delta = fn(np.array([4.0, 5.0]), np.array([2.0, 5.0]))
    assert list(fact) == [24.0, 120.0] and list(binom) == [6.0, 1.0] and list(delta) == [0.0, 1.0]
