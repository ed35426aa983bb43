"""The rational-function zero test behind most proofs: exact when it says zero, silent otherwise."""

from __future__ import annotations

import sympy as sp

from mathlint.proof.rational import is_rational_zero

a, b, p, x = sp.symbols("a b p x")
o = sp.symbols("o1:4")
y = sp.symbols("y1:4")


def softmax(k):
    return sp.exp(o[k]) / sum(sp.exp(t) for t in o)


def test_proves_the_identities_of_the_post():
    # ∂p_j/∂o_i at n = 3, i = j = 1, as the instantiated derivative reads
    assert is_rational_zero(sp.diff(softmax(0), o[0]), softmax(0) * (1 - softmax(0)))
    # log σ(a) + log(1 - σ(a)) against a - 2 log(1 + e^a)
    sig = sp.exp(a) / (1 + sp.exp(a))
    assert is_rational_zero(sp.log(sig) + sp.log(1 - sig), a - 2 * sp.log(1 + sp.exp(a)))
    # log-sum-exp shift: log(e^a + e^b) = a + log(1 + e^{b - a})
    assert is_rational_zero(sp.log(sp.exp(a) + sp.exp(b)), a + sp.log(1 + sp.exp(b - a)))
    # exponents split into their terms: e^{2a - b} = (e^a)^2 / e^b
    assert is_rational_zero(sp.exp(2 * a - b), sp.exp(a) ** 2 / sp.exp(b))


def test_unevaluated_trees_are_read_as_they_are():
    lhs = sp.Add(sp.Mul(2, x, evaluate=False), sp.Mul(-1, x, evaluate=False), evaluate=False)
    assert is_rational_zero(lhs, x)
    assert not is_rational_zero(lhs, 2 * x)


def test_sum_to_one_is_applied_only_when_given():
    grad = -sum(yk * (softmax(0) - (1 if k == 0 else 0)) for k, yk in enumerate(y))
    assert not is_rational_zero(-grad, softmax(0) - y[0])
    assert is_rational_zero(-grad, softmax(0) - y[0], [list(y)])


def test_never_proves_what_is_not_zero():
    assert not is_rational_zero(x, x + sp.Rational(1, 10**12))  # below any numeric tolerance
    assert not is_rational_zero(sp.exp(2 * x), sp.exp(x) ** 2 + sp.Rational(1, 10**12))
    assert not is_rational_zero(sp.log(1 - p), sp.log(p - 1))  # they differ by iπ
    assert not is_rational_zero(sp.log(2 * x), sp.log(x) + sp.log(3))
    assert not is_rational_zero(x / (x + 1), sp.Integer(1))


def test_gives_up_rather_than_guess():
    assert not is_rational_zero(x, x + sp.Float(1e-12))  # a float is not exact
    assert not is_rational_zero(1 / (x - x), sp.Integer(0))  # 1/0
    assert not is_rational_zero(sp.sqrt(x) ** 3, x * sp.sqrt(x))  # not a rational function of x
    assert not is_rational_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1))  # atoms are independent
    many = sp.symbols("z1:15")
    big = sp.Mul(*[1 + z for z in many], evaluate=False)  # 2^14 terms once expanded
    assert not is_rational_zero(big, big)
