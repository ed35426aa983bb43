"""Definite integrals and limits: evaluated at sampled points by quadrature (or carried out by
SymPy), holding claims checked, and a failure never a refutation."""

import numpy as np
import pytest
import sympy as sp

from mathlint.numeric.codegen import compile_exprs
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claim(latex: str, before: str = "Text."):
    result = check_text(f"# t\n\n{before}\n\n$${latex}$$\n", CheckOptions())
    (claim,) = [c for c in result.claims if c.line == 5]
    return claim


@pytest.mark.parametrize("before, latex", [
    ("Text.", r"\int_0^x y^2 \, dy = \frac{x^3}{3}"),
    ("Text.", r"\int_a^b e^y \, dy = e^b - e^a"),
    ("For $t > 0$ we have", r"\int_0^\infty e^{-t x} \, dx = \frac{1}{t}"),
    ("Text.", r"\int_{-\infty}^{\infty} e^{-x^2/2} \, dx = \sqrt{2\pi}"),
    ("Text.", r"\int_0^a \int_0^b x y \, dx \, dy = \frac{a^2 b^2}{4}"),
    ("Text.", r"\int_0^{x} e^{\sin y} \, dy = \int_{-x}^{0} e^{-\sin y} \, dy"),
    ("Text.", r"\lim_{h \to 0} \frac{(x+h)^2 - x^2}{h} = 2x"),
    ("Text.", r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = e"),
])
def test_a_true_integral_or_limit_holds(before, latex):
    assert _claim(latex, before).verdict in ("proved", "consistent")


@pytest.mark.parametrize("before, latex", [
    ("Text.", r"\int_0^x y^2 \, dy = \frac{x^3}{2}"),
    ("Text.", r"\int_a^b e^y \, dy = e^a - e^b"),
    ("Text.", r"\int_x^0 y^2 \, dy = \frac{x^3}{3}"),
    ("For $t > 0$ we have", r"\int_0^\infty e^{-t x} \, dx = t"),
    ("Text.", r"\int_{-\infty}^{\infty} e^{-x^2/2} \, dx = \sqrt{\pi}"),
    ("Text.", r"\int_0^a \int_0^b x y \, dx \, dy = \frac{a^2 b}{4}"),
    ("Text.", r"\int_0^{x} e^{\sin y} \, dy = \int_{-x}^{0} e^{\sin y} \, dy"),
    ("Text.", r"\lim_{h \to 0} \frac{(x+h)^2 - x^2}{h} = x"),
    ("Text.", r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = 2"),
])
def test_a_mutated_integral_or_limit_is_unchecked_not_refuted(before, latex):
    claim = _claim(latex, before)
    assert claim.verdict == "unchecked"
    assert "does not take as a refutation" in claim.reason


def test_an_integral_only_quadrature_computes_is_consistent_and_says_so():
    claim = _claim(r"\int_0^{x} e^{\sin y} \, dy = \int_{-x}^{0} e^{-\sin y} \, dy")
    assert claim.verdict == "consistent"
    assert "numeric quadrature" in claim.reason


@pytest.mark.parametrize("latex", [r"\int_0^1 \frac{1}{y} \, dy = 0", r"\int_1^\infty \frac{1}{y} \, dy = 1"])
def test_a_divergent_integral_is_unchecked(latex):
    claim = _claim(latex)
    assert claim.verdict == "unchecked"
    assert "converged" in claim.reason


def test_quadrature_is_accurate_where_it_converges_and_nan_where_it_does_not():
    x, a = sp.symbols("x a")
    program = compile_exprs([a], [sp.Integral(x ** (a - 1), (x, 0, 1)), sp.Integral(sp.exp(-a * x ** 2),
                                                                                    (x, -sp.oo, sp.oo))])
    power, gauss = program(np.array([1.0, 2.0, 0.1]))
    assert np.allclose(power[:2], [1.0, 0.5], rtol=1e-10) and np.isnan(power[2])  # x^{-0.9}: not converged
    assert np.allclose(gauss, np.sqrt(np.pi / np.array([1.0, 2.0, 0.1])), rtol=1e-10)


def test_a_limit_is_read_two_sided_so_a_one_sided_value_proves_nothing():
    claim = _claim(r"\lim_{x \to 0} \frac{|x|}{x} = 1")  # the right limit is 1, the left one -1
    assert claim.verdict == "unchecked"


def test_a_density_integrates_to_one_by_quadrature():
    density = r"\int_{-\infty}^{\infty} \frac{1}{\sqrt{2\pi}\sigma} e^{-\frac{(x-\mu)^2}{2\sigma^2}} \, dx"
    assert _claim(f"{density} = 1", r"Let $\sigma > 0$.").verdict in ("proved", "consistent")
    assert _claim(f"{density} = \\sigma", r"Let $\sigma > 0$.").verdict == "unchecked"


STEP = r"Let $u(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}$."
PUNCTURED = r"Let $w(x) = \begin{cases} x^3 & x \ne 0 \\ 7 & x = 0 \end{cases}$."


@pytest.mark.parametrize("before, latex", [
    (PUNCTURED, r"\lim_{x \to 0} w(x) = 7"),  # SymPy takes the value at the point: the limit is 0
    (STEP, r"\lim_{x \to 0} u(x) = 0"),  # no two-sided limit at the jump
    (STEP, r"\lim_{x \to 0} u(x) - 2 = -2"),
    (STEP, r"\lim_{x \to 0^{+}} u(x) = 0"),  # the right limit is 1
])
def test_a_limit_at_a_jump_or_a_removed_point_is_not_proved(before, latex):
    claim = _claim(latex, before)
    assert claim.verdict == "unchecked", claim.reason


def test_a_limit_without_a_value_at_the_point_is_unchecked_not_an_error():
    claim = _claim(r"\lim_{y \to 0} \arctan\left(\frac{1}{y}\right) = \frac{\pi}{2}")
    assert claim.verdict == "unchecked" and claim.method != "internal-error", claim.reason


@pytest.mark.parametrize("before, latex", [
    (STEP, r"\int_{-2}^{2} u(x) \, dx = 4"),
    ("Text.", r"\int_0^\infty \frac{\sin y}{y} \, dy = \pi"),  # π/2 in truth; oscillating, no quadrature
])
def test_an_integral_sympy_cannot_settle_quickly_ends_within_the_claim_budget(before, latex):
    result = check_text(f"# t\n\n{before}\n\n$${latex}$$\n", CheckOptions(timeout=8.0))
    (claim,) = [c for c in result.claims if c.line == 5]
    assert claim.verdict in ("unchecked", "consistent", "proved") and claim.verdict != "timeout", claim.reason
    assert claim.method != "internal-error"
