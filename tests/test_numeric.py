"""Numeric comparison: a float disagreement is a counterexample only once 50 digits confirm it."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from mathlint.numeric.sample import close, compare

x = sp.Symbol("x")
# equal, but 1/(1+e^{-40}) rounds to 1 in floats: the left side is 0 there, the right side 1
LEFT = sp.exp(x) * (1 - 1 / (1 + sp.exp(-x)))
RIGHT = sp.exp(x) * sp.exp(-x) / (1 + sp.exp(-x))


@pytest.mark.parametrize("count", [True, False], ids=["every-point", "first-only"])
def test_the_counterexample_is_the_first_point_that_fails_at_high_precision(count):
    values = {x: np.array([40.0, 0.5, 40.0, 1.5])}
    wrong = RIGHT + (x - 40) * (x - 1.5)  # off at x = 0.5 only; at 40 the floats disagree by rounding
    got = compare([LEFT], [wrong], close, values, 4, confirm=True, count=count)
    assert got.mismatch is not None and got.mismatch["values"] == {"x": 0.5}
    if count:
        assert got.failed_points == 1


def test_rounding_alone_is_not_a_counterexample():
    values = {x: np.array([40.0, 41.0, 0.5])}
    assert compare([LEFT], [RIGHT], close, values, 3, confirm=True, count=False).mismatch is None
