"""Never a traceback: a checker error is ML104 on its claim, and what used to raise deep in
SymPy (lists in arithmetic, a value put in a name's components, norms) is named where it is read."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from mathlint.app.cli import main
from mathlint.check import claim as claim_module
from mathlint.expr.walk import NotAName, replace, xreplace
from mathlint.latex.parse import ParseError, parse_side
from mathlint.model import Claim, Verdict
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.report.text import claim_record
from mathlint.rule_codes import rule_of

POST = "A step.\n\n$$(a + b)^2 = a^2 + 2ab + b^2$$\n"


def _broken(*_args, **_kw):
    raise RuntimeError("a bug of the checker")


def test_a_checker_error_is_ml104_and_the_run_goes_on(monkeypatch, tmp_path):
    monkeypatch.setattr(claim_module, "check_pair", _broken)  # the forked workers inherit it
    (c,) = [c for c in check_text(POST, CheckOptions()).claims if c.role == "equation"]
    assert (c.verdict, c.method, rule_of(c)) == (Verdict.UNCHECKED, "internal-error", "ML104")
    assert "RuntimeError: a bug of the checker" in c.message
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["check", str(post), "--no-cache", "--no-fix", "--format", "json", "--output", str(out)]) == 0
    assert [r["rule"] for r in json.loads(out.read_text(encoding="utf-8"))["claims"]] == ["ML104"]
    assert main(["check", str(post), "--no-cache", "--no-fix", "--strict", "--output", str(out)]) == 1


def test_conditions_are_shown_with_their_own_sign():
    c = Claim(1, "f(x) = 1", "eq", sp.Symbol("f"), sp.S.One, "equation",
              conditions=[("gt", sp.Symbol("x"), sp.S.Zero), ("ne", sp.Symbol("i"), sp.Symbol("j"))])
    assert claim_record(c)["conditions"] == ["x > 0", "i ≠ j"]


def test_a_list_in_arithmetic_is_unparsed_with_its_reason():
    for text in ("2(a, b)", "(a, b) - 1", "(a, b)^2"):
        try:
            parse_side(text)
        except ParseError as exc:
            assert "the list (a, b) is used as" in str(exc) and "Error" not in str(exc)
        else:
            raise AssertionError(f"{text} was read")
    assert parse_side("(a, b)") == sp.Tuple(sp.Symbol("a"), sp.Symbol("b"))  # a vector alone is read


def test_a_list_substituted_as_an_index_is_unchecked_not_a_crash():
    text = "Let $v = (1, 2)$.\n\n$$a_{v - 1} = a_{v - 1}$$\n"
    (c,) = [c for c in check_text(text, CheckOptions()).claims if c.line == 3]
    assert c.method != "internal-error" and "Error" not in c.message
    # the same expression on both sides is proved without numbers; otherwise the list as an index is named
    assert c.verdict == Verdict.PROVED and "the same expression" in c.message or c.verdict == Verdict.UNCHECKED and (
        "is used as an index" in c.message or "not a concrete integer" in c.message), c.message


def test_a_value_does_not_enter_the_components_of_a_name():
    """A definition of ``x`` does not make ``x_1`` the component 1 of its value (was: 'Zero'
    object has no attribute 'name'); a function of ``x`` with components applied to an
    expression is refused by name (was: 'Add' object has no attribute 'name')."""
    x, y = sp.symbols("x y")
    x1 = sp.IndexedBase(x)[1]
    assert replace(x1 + x, lambda e: e == x, lambda e: sp.S.Zero) == x1
    assert sp.srepr(xreplace(x1 + x, {x: y})) == sp.srepr(sp.IndexedBase(y)[1] + y)  # a name for a name
    with pytest.raises(NotAName, match="components"):
        xreplace(x1 + x, {x: x + y})


def test_norms_and_determinants_are_read_and_never_refuted_on_a_guess():
    text = "$$\\|\\mathbf{x}\\| = 1$$\n\n$$\\det(\\mathbf{A}) = 0$$\n"
    claims = check_text(text, CheckOptions()).claims
    assert len(claims) == 2 and all(c.verdict == "unchecked" for c in claims), [c.message for c in claims]
    assert not any("attribute" in c.message or "Error" in c.message for c in claims)


def test_a_list_plus_a_scalar_is_a_shape_reason_not_a_crash():
    """Its message printed ``(1, 2) - u`` with SymPy's term ordering, which fails on a list."""
    text = "Let $\\mathbf{v} = (1, 2)$.\n\n$$\\mathbf{v} - u = (1, 2)$$\n"
    (c,) = [c for c in check_text(text, CheckOptions()).claims if c.line == 3]
    assert c.verdict == Verdict.UNCHECKED and c.method != "internal-error"
    assert "Error" not in c.message and ("`(1, 2) - u`" in c.message or "the shapes do not fit" in c.message)


def test_a_failure_decided_by_the_ellipsis_is_no_refutation():
    """``\\ldots`` is read as one unknown number: a 'counterexample' that gives it a value is
    no counterexample a reader can verify (unmasked once ``x = …`` no longer crashed ``x_i``)."""
    text = "$$1 + x + \\frac{x^2}{2} + \\ldots = e^x + 1$$\n"  # no one index pattern: the dots stay unread
    (c,) = check_text(text, CheckOptions()).claims
    assert c.verdict == Verdict.UNCHECKED and "\\ldots" in c.message


def test_factorials_and_binomials_are_checked_at_whole_numbers():
    text = ("$$\\binom{n}{k} = \\frac{n!}{k!(n-k)!}$$\n\n$$\\binom{n}{k} = \\frac{n!}{k!(n-k+1)!}$$\n")
    good, bad = check_text(text, CheckOptions()).claims
    assert good.verdict in ("proved", "consistent"), good.message
    assert bad.verdict == "refuted", bad.message
    values = bad.counterexample["values"]
    assert values and all(float(v).is_integer() and float(v) >= 0 for v in values.values()), values


def test_an_indicator_of_an_equality_is_computed_not_a_checker_error():
    text = ("$$\\sum_{i=1}^n \\mathbf{1}(y_i = 1) + \\sum_{i=1}^n \\mathbf{1}(y_i \\neq 1) = n$$\n\n"
            "$$\\sum_{i=1}^n \\mathbf{1}(y_i = 1) = n$$\n")
    good, bad = check_text(text, CheckOptions()).claims
    assert good.verdict == "proved", good.message
    assert bad.verdict == "refuted" and rule_of(bad) != "ML104", bad.message


def test_a_pole_at_an_instance_and_a_deep_derivative_are_no_checker_errors():
    text = ("$$\\frac{1}{n-1}\\sum_{i=1}^n (x_i - m)^2 = \\frac{1}{n-1}\\sum_{i=1}^n (m - x_i)^2$$\n\n"
            "Let $y = f(x_1, x_2, \\ldots, x_n)$ be a function.\n\n"
            "$$\\frac{\\partial y}{\\partial x_i} = \\lim_{h \\rightarrow 0} "
            "\\frac{f(x_1, \\ldots, x_i+h, \\ldots, x_n)"
            " - f(x_1, \\ldots, x_i, \\ldots, x_n)}{h}$$\n")
    claims = check_text(text, CheckOptions()).claims
    assert not any(rule_of(c) == "ML104" for c in claims), [c.message for c in claims]


def test_an_estimator_of_a_variance_is_a_definition():
    text = "$$\\hat\\sigma^2_n = \\frac{1}{n-1}\\sum_{i=1}^n (x_i - \\hat\\mu)^2$$\n"
    (claim,) = check_text(text, CheckOptions()).claims
    assert (claim.role, claim.verdict) == ("definition", "unchecked"), claim.message


def test_an_undefined_point_in_an_instance_evaluates_to_nan_not_an_error():
    import numpy as np

    from mathlint.numeric.sample import fast_lambdify

    x = sp.Symbol("x")
    fn = fast_lambdify([x], [sp.Add(x, sp.zoo, evaluate=False)])  # 1/(n-1) at n = 1: SymPy's zoo
    assert np.isnan(fn(np.array([1.0, 2.0]))[0]).all()
