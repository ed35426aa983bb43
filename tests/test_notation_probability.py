"""Probability, expectation, sets, sums over sets and integrals (issue 17, family P): each
construct read as intended, and single-edit mutants of true claims never proved."""

from __future__ import annotations

import pytest
import sympy as sp

from mathlint.latex.parse import parse_latex
from mathlint.model import Verdict
from mathlint.pipeline.engine import check_text

x, y, z, s, a, X, Y = sp.symbols("x y z s a X Y")
mu, sigma, theta = sp.symbols("mu sigma theta")


def read(tex: str) -> sp.Basic:
    return parse_latex(tex)


def test_events_are_structured_and_spellings_agree():
    assert read(r"P(X=1)") == read(r"P(X = 1)") == read(r"\Pr(X=1)") == sp.Function("P", relation="=")(X, 1)
    assert read(r"P(X=1)") != read(r"P(X=2)")
    assert read(r"P(X \geq 1)") != read(r"P(X=1)")
    assert read(r"p(x \mid y)") == read(r"p(x|y)") == sp.Function("p", given=1)(x, y)
    assert read(r"p(x|y)") != read(r"p(x, y)")  # conditional, not joint
    assert read(r"\pi(a|s)") == sp.Function("pi", given=1)(a, s)
    assert read(r"p_\theta(x \mid z)") == read(r"p_{\theta}(x|z)") == sp.Function("p_theta", given=1)(x, z)
    assert read(r"p(x; \theta)") == sp.Function("p", params=1)(x, theta)
    assert read(r"p_{X,Y}(x, y)") == sp.Function("p_{X,Y}")(x, y)
    assert read(r"p_X(x)") != read(r"p_Y(x)")


def test_subscripted_lower_case_before_brackets_stays_a_product():
    p = sp.IndexedBase("p")
    i = sp.Symbol("i")
    assert read(r"p_i(1-p_i)") == p[i] * (1 - p[i])


def test_expectation_is_never_a_product():
    E = sp.Function("E")
    assert read(r"E[X]") == read(r"\mathbb{E}[X]") == read(r"E(X)") == E(X)
    assert read(r"E_{x \sim p}[x^2]") == read(r"E_{x\sim p} [x^2]") == sp.Function("E", over=r"x\simp")(x ** 2)
    assert read(r"E[X^2] - E[X]^2") == E(X ** 2) - E(X) ** 2
    nested = read(r"E_{x} E_{y} \{ x y \}")
    assert nested == sp.Function("E", over="x")(sp.Function("E", over="y")(x * y))


def test_statistics_are_named_functions():
    assert read(r"\mathrm{Var}[X]") == read(r"\textrm{Var}(X)") == sp.Function("Var")(X)
    assert read(r"\mathrm{Cov}(X, Y)") == sp.Function("Cov")(X, Y)
    P, Q = sp.symbols("P Q")
    assert read(r"D_{\mathrm{KL}}(P \| Q)") == read(r"D_{\textrm{KL}}(P\|Q)") == sp.Function("D_KL")(P, Q)
    assert read(r"D_{\mathrm{KL}}(P \| Q)") != read(r"D_{\mathrm{KL}}(Q \| P)")


def test_normal_density_and_distribution():
    got = read(r"\mathcal{N}(x; \mu, \sigma^2)")
    want = sp.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / sp.sqrt(2 * sp.pi * sigma ** 2)
    assert sp.simplify(got - want) == 0
    assert read(r"\mathcal{N}(\mu, \sigma^2)") == sp.Function("Normal")(mu, sigma ** 2)


def test_sums_over_sets():
    xs, i, j = sp.IndexedBase("x"), sp.Symbol("i"), sp.Symbol("j")
    got = read(r"\frac{1}{|\mathcal{B}|}\sum_{i \in \mathcal{B}} x_i")
    (size,) = {lim[2] for s_ in got.atoms(sp.Sum) for lim in s_.limits}
    assert size == read(r"|\mathcal{B}|")  # the bound is the text's own |B|
    assert got == sp.Sum(xs[i], (i, 1, size)) / size
    double = read(r"\sum_{i, j} x_i x_j")
    assert {lim[0] for lim in double.limits} == {i, j}
    assert read(r"\sum_{i}\sum_{j} x_i x_j").free_symbols == double.free_symbols


def test_sets_and_integrals():
    assert read(r"[a, b]\times [c, d]") == sp.ProductSet(*(sp.Interval(*sp.symbols(p)) for p in ("a b", "c d")))
    A, B = read(r"\mathcal{A}"), read(r"\mathcal{B}")
    assert read(r"\mathcal{A} \cap \mathcal{B}") == sp.Function("Intersection")(A, B)
    assert read(r"\{x : x > 0\}") != read(r"\{x : x < 0\}")
    p = sp.Function("p")
    assert read(r"\int_x p(x) dx") == sp.Integral(p(x), (x, -sp.oo, sp.oo))
    assert read(r"\int_{[a, b]\times[c, d]} f(x, y) dx dy") == read(r"\int_c^d \int_a^b f(x, y) dx dy")
    assert read(r"\int_x \int_y p(x, y) dx dy") == read(r"\int_{x, y} p(x, y) dx dy")
    opaque = read(r"\int_{\phi(U)} f(x) dx")
    assert isinstance(opaque, sp.core.function.AppliedUndef)


def _verdicts(text: str) -> list[Verdict]:
    return [c.verdict for c in check_text(text).claims]


PMF = ("Let $P(X=1) = 0.2$, $P(X=2) = 0.3$ and $P(X=3) = 0.5$.\n\n"
       "Then $$1 \\cdot P(X=1) + 2 \\cdot P(X=2) + 3 \\cdot P(X=3) = 2.3$$\n")

TRUE_CLAIMS = {
    # the minibatch mean, written over the set
    "mean": ("$$\\frac{1}{|\\mathcal{B}|}\\sum_{i \\in \\mathcal{B}} 2 x_i = "
             "\\frac{2}{|\\mathcal{B}|}\\sum_{i \\in \\mathcal{B}} x_i$$\n"),
}

MUTANTS = {
    "pmf-factor": PMF.replace("3 \\cdot P(X=3)", "2 \\cdot P(X=3)"),
    "pmf-event": PMF.replace("2 \\cdot P(X=2)", "2 \\cdot P(X=1)"),
    "mean-factor": TRUE_CLAIMS["mean"].replace("\\frac{2}{", "\\frac{3}{"),
    "expectation-sign": "$$E[X] - E[Y] = E[Y] - E[X]$$\n",
}


@pytest.mark.parametrize("name", sorted(TRUE_CLAIMS))
def test_true_claims_hold(name):
    assert _verdicts(TRUE_CLAIMS[name])[-1] in (Verdict.PROVED, Verdict.CONSISTENT)


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutants_are_never_proved(name):
    last = _verdicts(MUTANTS[name])[-1]
    assert last not in (Verdict.PROVED, Verdict.CONSISTENT, Verdict.NEEDS_ASSUMPTION)


def test_values_of_events_are_not_a_pattern():
    # P(X=1) = 0.2 is a value, not a definition of P for every event: the mean stays unchecked, unrefuted
    assert _verdicts(PMF)[-1] == Verdict.UNCHECKED


def test_expectations_are_never_sampled_as_numbers_that_refute():
    # linearity is a rule of expectation (checks/proof/probability.py), not of an arbitrary function
    assert _verdicts("$$E[2X] = 2 E[X]$$\n")[-1] == Verdict.PROVED
