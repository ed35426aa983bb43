"""The rules of probability applied before a claim is checked: conditional probability as a ratio
of joints, linearity of expectation, variance and covariance by definition. True claims are
proved naming the rules; single-edit mutants are never proved, and independence is never assumed."""

from __future__ import annotations

import pytest

from mathlint.model import Verdict
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claim(latex: str):
    result = check_text(f"# t\n\n$${latex}$$\n", CheckOptions())
    (claim,) = [c for c in result.claims if c.line == 3]
    return claim


@pytest.mark.parametrize("latex, rule", [
    (r"P(A, y_2 \mid \mathbf{c}) = P(A \mid \mathbf{c}) P(y_2 \mid A, \mathbf{c})", "P(A|B) = P(A,B)/P(B)"),  # chain
    (r"P(A \mid B) = \frac{P(B \mid A) P(A)}{P(B)}", "P(A|B) = P(A,B)/P(B)"),  # Bayes
    (r"P(B, A) = P(B \mid A) P(A)", "P(A,B) = P(B,A)"),  # product rule, the joint in either order
    (r"p_\theta(x, z) = p_\theta(x \mid z) p_\theta(z)", "P(A|B) = P(A,B)/P(B)"),
    (r"p(x, z; \theta) = p(x \mid z; \theta) p(z; \theta)", "P(A|B) = P(A,B)/P(B)"),
    (r"E[2X + 3] = 2E[X] + 3", "linearity of E"),
    (r"E[\sum_j w_j x_j] = \sum_j E[w_j x_j]", "linearity of E"),
    (r"E[(X - E[X])^2] = E[X^2] - E[X]^2", "linearity of E"),
    (r"\mathrm{Var}(2X) = 4\,\mathrm{Var}(X)", "Var(X) = E[X^2] - E[X]^2"),
    (r"\mathrm{Var}(X + 3) = \mathrm{Var}(X)", "Var(X) = E[X^2] - E[X]^2"),
    (r"\mathrm{Cov}(X, X) = \mathrm{Var}(X)", "Cov(X,Y) = E[XY] - E[X]E[Y]"),
])
def test_true_by_the_rules_is_proved_naming_them(latex, rule):
    claim = _claim(latex)
    assert claim.verdict == Verdict.PROVED, claim.reason
    assert "rules of probability" in claim.reason and rule in claim.reason


@pytest.mark.parametrize("latex, names", [
    (r"E(\hat\theta - \theta) = E(\hat\theta) - \theta", "theta"),
    (r"E[w_0 + w_1 x] = E[w_0] + E[w_1] x", "x"),
    (r"E[u v] = u E[v]", "u"),
    (r"E[c + V] = c + E[V]", "c"),
])
def test_a_name_written_outside_every_expectation_is_pulled_out_as_a_named_reading(latex, names):
    claim = _claim(latex)  # the claim holds only if the name is a constant: proved so, saying so
    assert claim.verdict == Verdict.PROVED, claim.reason
    assert f"reading {names} as constant under E" in claim.reason


@pytest.mark.parametrize("latex, names", [
    (r"E[\eta (2 + \eta)] = \eta E[2 + \eta]", "eta"),  # eta is random: it is inside an E on the same side
])
def test_a_name_is_never_pulled_out_of_an_expectation(latex, names):
    claim = _claim(latex)
    assert claim.verdict == Verdict.UNCHECKED
    assert f"linearity of E not applied to {names}" in claim.reason


@pytest.mark.parametrize("latex", [
    r"E[\sigma(a t)] = \sigma(a E[t])",  # a function applied, read as the product sigma a t
    r"E[\sigma(t + 1)] = \sigma(E[t] + 1)",
    r"E[g(a t)] = g(a E[t])",
    r"E[\phi(t + 1)] = E[\phi t] + E[\phi]",
])
def test_an_expectation_of_a_function_is_not_split(latex):
    claim = _claim(latex)
    assert claim.verdict == Verdict.UNCHECKED and "linearity of E not applied" in claim.reason


def test_the_index_of_a_sum_is_not_named_as_a_name_left_inside():
    claim = _claim(r"\sum_{k=1}^{m} E[u_k^2 v_k^2] = \sum_{k=1}^{m} E[u_k^2] E[v_k^2]")
    assert claim.verdict == Verdict.UNCHECKED and "not applied to k" not in claim.reason


def _claims(text: str) -> dict:
    return {c.line: c for c in check_text(text, CheckOptions()).claims}


def test_a_name_the_prose_makes_random_is_not_a_constant():
    claims = _claims("# t\n\nLet $u \\sim \\mathcal{N}(0, 1)$ and $v$ be random.\n\n$$E[u v + 1] = u E[v] + 1$$\n\n"
                     "$$n = u + v$$\n\n$$E[u n] = u E[n]$$\n")
    assert claims[5].verdict == Verdict.UNCHECKED and "not applied to u" in claims[5].reason
    assert claims[9].verdict == Verdict.UNCHECKED


@pytest.mark.parametrize("latex", [
    r"P(A, y_2 \mid \mathbf{c}) = P(A \mid \mathbf{c}) P(A \mid y_2, \mathbf{c})",  # swapped conditioning
    r"P(A \mid B) = \frac{P(B \mid A) P(B)}{P(A)}",  # Bayes with the marginals swapped
    r"P(A \mid B) = P(B \mid A)",
    r"P(A, B) = P(B \mid A)",  # missing factor
    r"p(x, z; \theta) = p(x \mid z; \theta) p(x; \theta)",
    r"E[(X - E[X])^2] = E[X^2] + E[X]^2",  # wrong sign
    r"\mathrm{Var}(2X) = 2\,\mathrm{Var}(X)",  # missing factor
    r"\mathrm{Var}(X + 3) = \mathrm{Var}(X) + 9",
    r"E[XY] = E[X] E[Y]",  # independence, not stated
    r"E[XY] = X E[Y]",  # a capital letter is a random variable
    r"E_{x \sim p}[a x] = x E_{x \sim p}[a]",  # the variable of the expectation is random
    r"E_{x \sim p}[f(x) E[g(x)]] = E[g(x)] E_{x \sim p}[f(x)]",  # an inner E of the variable may depend on it
    r"E[w_0 + w_1 x] = E[w_0] + E[w_1]",  # missing factor
])
def test_single_edit_mutants_are_not_proved(latex):
    assert _claim(latex).verdict not in (Verdict.PROVED, Verdict.CONSISTENT)


@pytest.mark.parametrize("latex", [
    r"E[XY] = E[X] E[Y]",
    r"E(\hat\theta - \theta) = E(\hat\theta) + \theta",  # refuted only if theta is a number: unchecked
    r"P(A \mid B) = P(B \mid A)",
    r"\mathrm{Var}(2X) = 2\,\mathrm{Var}(X)",  # holds where Var(X) = 0
])
def test_failures_that_rest_on_unknown_values_or_readings_are_not_refuted(latex):
    assert _claim(latex).verdict == Verdict.UNCHECKED


def test_a_failure_for_every_value_is_refuted():
    assert _claim(r"E[2X + 3] = 2E[X] - 3").verdict == Verdict.REFUTED


def test_joints_of_functions_the_claim_never_conditions_stay_ordered():
    assert _claim(r"Q(s, a) = Q(a, s)").verdict != Verdict.PROVED
