"""Instantiation at concrete sizes: values shared between checks only where they are equal."""

from __future__ import annotations

import numpy as np
import sympy as sp

from mathlint.numeric.instantiate import Evaluator, instances
from mathlint.numeric.shapes import infer_shapes

x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
i, j, N = sp.symbols("i j N")


def _insts(exprs, free=(), sizes=(2, 3)):
    sh = infer_shapes(exprs, known_sizes=frozenset({N}))
    return sh, instances(sh, list(free), list(sizes), (), [], np.random.default_rng(0))


def _names(value) -> set[str]:
    return {s.name for s in value.free_symbols}


def test_a_side_is_shared_only_at_an_equal_instance():
    side = sp.Sum(x[i], (i, 1, N))
    sh, (small, large) = _insts([side])
    at_small, at_large = Evaluator(sh, small)(side), Evaluator(sh, large)(side)
    assert _names(at_small) == {"x[1]", "x[2]"} and _names(at_large) == {"x[1]", "x[2]", "x[3]"}
    assert Evaluator(sh, small)(side) is at_small  # the same instance again: the same value
    sh2, (small2, large2) = _insts([side, sp.Symbol("z")])  # another claim's shapes, equal for this side
    assert Evaluator(sh2, small2)(side) == at_small and Evaluator(sh2, large2)(side) == at_large


def test_free_index_values_are_part_of_the_instance():
    side = x[j]
    sh, insts = _insts([side], free=[j], sizes=(3,))
    values = {str(Evaluator(sh, inst)(side)) for inst in insts}
    assert values == {"x[1]", "x[2]", "x[3]"}


def test_a_subtree_is_shared_across_free_index_values_only_if_it_does_not_mention_them():
    total = sp.Sum(x[i] ** 2, (i, 1, N))
    grad = sp.Derivative(total, x[j])  # mentions j only as the variable it differentiates by
    sh, insts = _insts([grad + total], free=[j], sizes=(3,))
    grads = [Evaluator(sh, inst)(grad) for inst in insts]
    assert [_names(g) for g in grads] == [{"x[1]"}, {"x[2]"}, {"x[3]"}]
    totals = [Evaluator(sh, inst)(total) for inst in insts]
    assert all(t is totals[0] for t in totals)  # no free index in it: evaluated once
