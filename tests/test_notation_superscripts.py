"""Parenthesised superscripts (``\\mathbf{x}^{(i)}``, ``\\mathbf{W}^{(1)}``, ``e^{(k+1)}``,
``\\hat y^{(FM)}``): indices on an axis of their own, or labels, never powers; ``f^{(n)}(x)`` on an
applied function is the n-th derivative."""

import pytest
import sympy as sp

from mathlint.latex.parse import parse_latex
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

i, j, k, t, ell, n, x = sp.symbols("i j k t l n x")


def _entry(name, *idx):
    return sp.Indexed(sp.IndexedBase(name + "^{()}"), *idx)


def _claims(text: str) -> dict:
    return {c.line: c for c in check_text(text, CheckOptions()).claims}


@pytest.mark.parametrize("latex, expected", [
    (r"\mathbf{x}^{(i)}", _entry("math{x}", i)),
    (r"y^{(i)}", _entry("y", i)),
    (r"\mathbf{W}^{(1)}", _entry("math{W}", 1)),
    (r"\mathbf h^{(0)}", _entry("math{h}", 0)),
    (r"\mathbf H_t^{(l)}", _entry("math{H}", ell, t)),
    (r"x^{(i)}_j", _entry("x", i, j)),
    (r"x_j^{(i)}", _entry("x", i, j)),
    (r"e^{(k+1)}", _entry("e", k + 1)),
    (r"\hat y^{(FM)}", sp.Symbol("hat{y}^{(FM)}")),
    (r"(e^{(k)})^2", _entry("e", k) ** 2),
    (r"{\mathbf x^{(i)}}^2", _entry("math{x}", i) ** 2),
    (r"f^{(2)}(x)", sp.Derivative(sp.Function("f")(x), (x, 2))),
])
def test_paren_superscript_reads_as(latex, expected):
    assert parse_latex(latex) == expected


def test_a_derivative_of_symbolic_order_is_left_as_written_and_never_refuted():
    claim = _claims("# t\n\n$$f^{(n)}(x) + 1 = 2 + x$$\n")[3]
    assert claim.verdict != "refuted"
    assert not parse_latex(r"f^{(n)}(x)").has(sp.Derivative)


def test_an_index_superscript_is_another_axis_than_a_subscript():
    assert parse_latex(r"x^{(i)}_j") != parse_latex(r"x_{ij}")


def test_e_with_a_paren_superscript_is_no_power_of_euler_e():
    e = parse_latex(r"e^{(k)}")
    assert not e.has(sp.exp) and not e.has(sp.E) and isinstance(e, sp.Indexed)


def test_a_superscript_the_reading_does_not_know_stays_a_power():
    assert parse_latex(r"x^{(a+b)}") == x ** (sp.Symbol("a") + sp.Symbol("b"))


@pytest.mark.parametrize("latex, verdict", [
    (r"(e^{(k)})^2 = e^{(k)} e^{(k)}", "proved"),
    (r"(e^{(k)})^2 = 2 e^{(k)}", "refuted"),  # wrong power
    (r"\sum_{i=1}^{n} x^{(i)} = x^{(1)} + \ldots + x^{(n)}", "proved"),
    (r"\sum_{i=1}^{n} x^{(i)} = x^{(1)} + \ldots + x^{(n-1)}", "refuted"),  # wrong last term
    (r"\sum_{i=1}^{n} x^{(i)}_j = x^{(1)}_j + \ldots + x^{(n)}_j", "proved"),
    (r"\sum_{i=1}^{n} x^{(i)}_j = x^{(j)}_1 + \ldots + x^{(j)}_n", "refuted"),  # swapped index
])
def test_claims_with_index_superscripts(latex, verdict):
    claim = _claims(f"# t\n\n$${latex}$$\n")[3]
    assert claim.verdict == verdict


def test_nth_derivative_of_a_defined_function():
    text = "# t\n\nLet $f(x) = x^3$.\n\n$$6x = f^{(2)}(x)$$\n\n$$3x^2 = f^{(2)}(x)$$\n\n$$3x^2 = f^{(1)}(x)$$\n"
    got = _claims(text)
    assert (got[5].verdict, got[7].verdict, got[9].verdict) == ("proved", "refuted", "proved")


def test_a_definition_of_an_entry_is_no_claim_about_a_power():
    claim = _claims("# t\n\n$$\\mathbf{h}^{(0)} = \\mathbf{x}$$\n")[3]
    assert claim.role != "equation" and claim.verdict == "unchecked"


def test_a_sum_written_out_with_parenthesised_values_is_never_refuted():
    """``x^{(1)}`` beside ``x^{i}`` and a bare ``x``: the value of i substituted into a power, so a
    failure under the index reading refutes nothing."""
    latex = r"\sum_{i=1}^{2} (x^{i} + \frac{x}{i}) = (x^{(1)} + \frac{x}{(1)}) + (x^{(2)} + \frac{x}{(2)})"
    claim = _claims(f"# t\n\n$${latex}$$\n")[3]
    assert claim.verdict != "refuted" and "may be a power" in claim.message


@pytest.mark.parametrize("latex", [
    r"(z^{(1)})^2 = z^{(2)}",  # true when the superscripts are powers
    r"z^{(1)} z^{(1)} = z^{(2)}",
])
def test_a_claim_that_holds_with_powers_is_never_refuted_on_the_index_reading(latex):
    claim = _claims(f"# t\n\n$${latex}$$\n")[3]
    assert claim.verdict == "unchecked" and "read as a power" in claim.message


def test_a_claim_that_fails_under_both_readings_is_refuted():
    claim = _claims("# t\n\n$$(z^{(1)})^2 = 3 z^{(1)}$$\n")[3]
    assert claim.verdict == "refuted"
