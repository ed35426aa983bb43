"""Exact decisions (issue 14 item 6, issue 16 item 4): constants and polynomial identities are
decided by exact arithmetic, strict inequalities fail at equality, and no absolute tolerance
hides a difference a text writes, without refuting what holds."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
import sympy as sp

from mathlint.app.cli import main
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.proof.exact import show
from mathlint.relations import RELATIONS

OPTS = CheckOptions(jobs=1, timeout=20.0)
HOLDS = ("proved", "consistent")

#: claims that are false as exact math, each with a piece of the message a reader relies on
FALSE = {
    "factorial": (r"9999! = 1", "2.85e35655"),
    "big-power": (r"10^{400} = 1", "10^400"),
    "tiny-term": (r"(x+1)^2 = x^2+2x+1+10^{-20}", "10^-20 exactly"),
    "greater-at-equality": (r"0 > 0", "equal"),
    "less-than-itself": (r"x < x", ""),
    "greater-than-itself": (r"y > y", ""),
    "tiny-constants": (r"\frac{1}{10^{13}} = \frac{1}{10^{12}}", "10^-13"),
    "tiny-times-function": (r"10^{-20} \sin(x) = 0", ""),
    "near-integer": (r"e^{\pi \sqrt{163}} = 640320^3 + 744", "smaller by"),
    "rational-for-pi": (r"\pi = \frac{355}{113}", ""),
    "fraction-off": (r"\frac{x}{x+1} = 1 - \frac{1}{x+1} + 10^{-15}", "10^-15"),
}

#: claims that hold (or may stand): never refuted
TRUE = {
    "sin-pi": r"\sin(\pi) = 0",
    "log-e": r"\log(e) = 1",
    "sqrt-squared": r"\sqrt{2}^2 = 2",
    "decimals": r"0.1 + 0.2 = 0.3",
    "decimals-cancel": r"0.1 + 0.2 - 0.3 = 0",
    "decimal-order": r"0.1 + 0.2 \ge 0.3",
    "third-times-three": r"\frac{1}{3} \cdot 3 = 1",
    "gauss-sum": r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
    "log-of-power-of-two": r"\log 8 = 3 \log 2",
    "big-factorial-itself": r"9999! = 9999 \cdot 9998!",
    "pi-decimal": r"\pi = 3.14159",  # a decimal for a number without a finite expansion is its rounding
    "third-decimal": r"\frac{1}{3} = 0.3333333",
    "strict-by-one": r"x < x + 1",
    "strict-by-a-little": r"x < x + 10^{-12}",
    "le-itself": r"x \le x",
    "ge-square": r"x^2 \ge 0",
    "constant-order": r"\frac{1}{2} < \frac{2}{3}",
    "constant-ne": r"1 \ne 2",
    "pythagoras": r"\sin^2(x) + \cos^2(x) = 1",  # sin and cos are not independent variables
    "softmax-shift": r"\frac{e^{a}}{e^{a} + e^{b}} = \frac{e^{a - c}}{e^{a - c} + e^{b - c}}",
    "sigmoid": r"\frac{1}{1 + e^{-z}} = \frac{e^{z}}{e^{z} + 1}",
    "binomial-square": r"(x+1)^2 = x^2 + 2x + 1",
    "rational-function": r"\frac{x^2 - 1}{x - 1} = x + 1",
}


def _post(claims: dict) -> tuple[str, dict]:
    """A post with one display per claim, and each claim's line."""
    lines, where = ["# exact", ""], {}
    for name, latex in claims.items():
        lines += ["$$", latex, "$$", ""]
        where[name] = len(lines) - 2
    return "\n".join(lines), where


@pytest.fixture(scope="module")
def checked():
    """Every claim of both tables, checked in one post."""
    claims = {**{k: v[0] for k, v in FALSE.items()}, **TRUE}
    text, where = _post(claims)
    result = check_text(text, OPTS)
    by_line = {c.line: c for c in result.claims}
    return {name: by_line[line] for name, line in where.items()}


@pytest.mark.parametrize("name", list(FALSE))
def test_false_claims_are_refuted_with_a_checkable_counterexample(checked, name):
    claim = checked[name]
    assert claim.verdict == "refuted", f"`{claim.latex}`: {claim.verdict}: {claim.message}"
    assert FALSE[name][1] in claim.message


@pytest.mark.parametrize("name", list(TRUE))
def test_true_claims_are_never_refuted(checked, name):
    claim = checked[name]
    assert claim.verdict in HOLDS, f"`{claim.latex}`: {claim.verdict}: {claim.message}"


def test_the_tiny_term_counterexample_is_a_point_with_exact_values(checked):
    ce = checked["tiny-term"].counterexample
    assert ce["exact"] and ce["difference"] == "-10^-20"
    assert ce["values"] == {"x": "1"}
    assert "right = 4.00000000000000000001" in checked["tiny-term"].message


def test_a_value_given_in_the_text_is_compared_exactly():
    text = "With $\\epsilon = 0.0000001$:\n\n$$\n\\epsilon^2 = 0.0000000000001\n$$\n"
    claim = next(c for c in check_text(text, OPTS).claims if c.role != "definition")
    assert claim.verdict == "refuted", claim.message
    assert "10^-14" in claim.message and "10^-13" in claim.message


def test_a_number_too_large_to_compute_is_unchecked_with_its_size():
    text = "Let $N = 10^{10}$.\n\n$$\n10^{N} = 1\n$$\n"
    start = time.monotonic()
    claim = next(c for c in check_text(text, OPTS).claims if c.role != "definition")
    assert time.monotonic() - start < 15
    assert claim.verdict == "unchecked" and "too large" in claim.message


def test_a_discrete_domain_is_not_refuted_by_its_polynomial():
    # x² - x is a nonzero polynomial, but zero at both values a binary x takes
    text = "<!-- mathlint: assume x \\in \\{0,1\\} -->\n\n$$\nx^2 = x\n$$\n"
    claim = next(c for c in check_text(text, OPTS).claims if c.latex.startswith("x^2"))
    assert claim.verdict in HOLDS, claim.message


@pytest.mark.parametrize("latex", [r"9999! = 1", r"10^{400} = 1", r"(x+1)^2 = x^2+2x+1+10^{-20}",
                                   r"0 > 0", r"x < x"])
def test_the_cli_exits_1_on_each(tmp_path, capsys, latex):
    post = tmp_path / "post.md"
    post.write_text(f"$$\n{latex}\n$$\n", encoding="utf-8")
    assert main(["check", str(post), "--no-cache", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [c["verdict"] for c in doc["claims"]] == ["refuted"]


def test_the_cli_exits_0_on_exact_truths(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text("$$\n9999! = 9999 \\cdot 9998!\n$$\n\n$$\n0.1 + 0.2 = 0.3\n$$\n\n$$\nx \\le x\n$$\n",
                    encoding="utf-8")
    assert main(["check", str(post), "--no-cache"]) == 0


@pytest.mark.parametrize("rel, holds_at_equality", [("eq", True), ("le", True), ("ge", True),
                                                   ("lt", False), ("gt", False), ("ne", False)])
def test_the_relations_at_equality(rel, holds_at_equality):
    a = np.array([0.0, 1.5, -3.0, 1e-300])
    assert (RELATIONS[rel].holds(a, a.copy()) == holds_at_equality).all()


def test_only_the_absolute_tolerance_makes_a_point_unsure():
    eq = RELATIONS["eq"].holds
    a = np.array([1e-20, 1.0, 0.0, 1e-17])
    b = np.array([0.0, 1.0 + 1e-12, 0.0, 2e-17])
    assert eq(a, b).all()  # floats cannot tell any of them apart
    assert eq.unsure(a, b).tolist() == [True, False, False, True]


@pytest.mark.parametrize("value, text", [(sp.Integer(10) ** 400, "10^400"), (sp.factorial(9999), "≈ 2.85e35655"),
                                         (sp.Rational(-1, 10**20), "-10^-20"), (sp.Rational(3, 7), "3/7"),
                                         (1 + sp.Rational(1, 10**20), "1.00000000000000000001")])
def test_numbers_are_shown_as_a_reader_writes_them(value, text):
    assert show(value) == text
