"""Parsing one side into SymPy: constructs and the post-pass."""

import pytest
import sympy as sp

from mathlint.expr.symbols import SUM_BOUND, DerivativeWrt, conditional
from mathlint.latex.parse import ParseError
from mathlint.latex.parse import parse_latex as parse_side

i, j, k, N, m, w, x = sp.symbols("i j k N m w x")
y, X, o, p = (sp.IndexedBase(n) for n in "yxop")
P1 = conditional("P", "Y=1")


def test_natural_log_and_case_kept():
    assert parse_side(r"\log P") == sp.log(sp.Symbol("P"))
    assert parse_side(r"\log_{2} 8") == sp.log(8, 2)


def test_euler_e_stays_a_number():
    assert parse_side(r"e^{x}") == sp.exp(x)
    assert parse_side("e") == sp.E


def test_conditional_probability_is_a_function_of_its_argument():
    got = parse_side(r"P(Y=1|x_i)")
    assert got == P1(X[i])
    assert got != conditional("P", "Y=0")(X[i])
    assert parse_side(r"P(Y=1\mid x_i)") == got  # after normalization
    assert parse_side(r"\ln (1-\ln P(Y=1|x_i))") == sp.log(1 - sp.log(P1(X[i])))


def test_subscripts_are_indexed_and_tied_to_the_sum_index():
    got = parse_side(r"\sum_{i=1}^{N} y_i x_{ij}")
    assert got == sp.Sum(y[i] * X[i, j], (i, 1, N))
    assert i not in got.free_symbols and j in got.free_symbols
    assert got.subs(N, 2).doit() == y[1] * X[1, j] + y[2] * X[2, j]


def test_nested_and_numeric_subscripts():
    assert parse_side("p_{y_i}") == p[y[i]]
    assert parse_side("x_{i,j}") == X[i, j]
    assert parse_side("x_1") == X[1]


def test_subscripted_name_before_parentheses_is_a_product():
    assert parse_side(r"\sum_{j=1}^{3}y_j(p_i)") == sp.Sum(y[j] * p[i], (j, 1, 3))


def test_sum_without_limits_gets_the_index_range():
    assert parse_side(r"\sum_{k} e^{o_k}") == sp.Sum(sp.exp(o[k]), (k, 1, SUM_BOUND))


def test_sum_excluding_an_index():
    got = parse_side(r"\sum_{j\neq i} y_j")
    assert got == sp.Sum((1 - sp.KroneckerDelta(i, j)) * y[j], (j, 1, SUM_BOUND))
    assert got.subs(SUM_BOUND, 3).doit().subs(i, 2) == y[1] + y[3]


def test_partial_derivatives():
    J = sp.Function("J")
    assert parse_side(r"\frac{\partial J(w)}{\partial w_j}") == sp.Derivative(J(w), sp.IndexedBase("w")[j])
    assert parse_side(r"\frac{\partial^2 f}{\partial x^2}") == sp.Derivative(sp.Symbol("f"), (x, 2))
    assert parse_side(r"\frac{d}{dw} ( \frac{1}{2} \lambda w^2)") == sp.Derivative(sp.Symbol("lambda") * w**2 / 2, w)
    assert parse_side(r"\partial L_i / \partial f_k") == sp.Derivative(sp.IndexedBase("L")[i], sp.IndexedBase("f")[k])


def test_derivative_by_an_expression():
    assert parse_side(r"\frac{\partial e^{o_j}}{\partial e^{o_i}}") == DerivativeWrt(sp.exp(o[j]), sp.exp(o[i]))


def test_prime_notation():
    f = sp.Function("f")
    assert parse_side("f'(x)") == sp.Derivative(f(x), x)


def test_indicator():
    assert parse_side(r"\mathbb{1}(y_i = k)") == sp.KroneckerDelta(y[i], k)
    assert parse_side(r"\mathbb{1}\{y_i \neq k\}") == 1 - sp.KroneckerDelta(y[i], k)


def test_named_function_and_transpose():
    assert parse_side(r"\operatorname{logit}(p)") == sp.Function("logit")(sp.Symbol("p"))
    assert parse_side(r"\operatorname{transpose}(X)") == sp.Function("transpose")(sp.Symbol("X"))


def test_tuples_and_lists():
    got = parse_side(r"{(x_1,y_1), (x_2,y_2)}")
    assert got == sp.Tuple(sp.Tuple(X[1], y[1]), sp.Tuple(X[2], y[2]))


def test_unparsed_names_the_construct():
    with pytest.raises(ParseError, match=r"\\foo"):
        parse_side(r"a + \foo{b}")
    with pytest.raises(ParseError, match="empty side"):
        parse_side("  ")


def test_unparsed_message_shows_source_not_placeholders():
    with pytest.raises(ParseError) as err:
        parse_side(r"P(Y=1|x) + \foo")
    assert "mlph" not in str(err.value) and "P(Y=1|x)" in str(err.value)
