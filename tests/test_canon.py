"""Proofs shared between instances: only instances that are the same identity renamed share one."""

from __future__ import annotations

import sympy as sp

from mathlint.proof.sharing import canonical, proved

o1, o2, o3 = (sp.Symbol(f"o[{k}]") for k in (1, 2, 3))
x1, x2 = sp.Symbol("x[1]"), sp.Symbol("x[2]")
w, v = sp.symbols("w v")
S = sp.Add(sp.exp(o1), sp.exp(o2), sp.exp(o3), evaluate=False)


def _softmax_grad(i, j):
    """``∂p_j/∂o_i = p_j(δ_ij − p_i)`` written out at concrete ``i``, ``j`` (unevaluated, as instantiated)."""
    p = {k: sp.Mul(sp.exp(o), sp.Pow(S, -1, evaluate=False), evaluate=False) for k, o in ((1, o1), (2, o2), (3, o3))}
    return sp.Mul(p[j], sp.Add(sp.Integer(int(i == j)), sp.Mul(-1, p[i], evaluate=False), evaluate=False),
                  evaluate=False)


def test_index_values_that_play_the_same_parts_share_a_key():
    assert canonical([_softmax_grad(1, 2)], []) == canonical([_softmax_grad(2, 1)], []) \
        == canonical([_softmax_grad(1, 3)], [])
    assert canonical([_softmax_grad(1, 1)], []) == canonical([_softmax_grad(3, 3)], [])


def test_different_identities_have_different_keys():
    assert canonical([_softmax_grad(1, 1)], []) != canonical([_softmax_grad(1, 2)], [])  # i = j against i ≠ j
    assert canonical([sp.Add(x1, x2, evaluate=False)], []) != canonical([sp.Add(x1, x1, evaluate=False)], [])
    assert canonical([w * x1], []) != canonical([v * x1], [])  # names other than components are kept
    assert canonical([sp.Pow(w, v)], []) != canonical([sp.Pow(v, w)], [])  # only sums and products commute
    assert canonical([x1 - x2, x2], []) != canonical([x1 - x2, x1], [])  # one renaming for all the sides


def test_a_list_of_all_components_is_renamed_with_the_sides():
    ys = [sp.Symbol(f"y[{k}]") for k in (1, 2, 3)]
    assert canonical([ys[0] * x1], [ys]) == canonical([ys[2] * x2], [ys])
    assert canonical([ys[0] * x1], [ys]) != canonical([ys[0] * x1], [ys[:2]])


def test_a_proof_is_made_once_per_key():
    calls = []

    def prove():
        calls.append(1)
        return True
    for i, j in ((1, 2), (2, 1), (1, 3), (1, 1)):
        assert proved(lambda i=i, j=j: ("test", canonical([_softmax_grad(i, j)], [])), prove)
    assert len(calls) == 2
