"""A definition whose body names its parameters in subscript labels (``p_X`` in a definition of
``H(X)``, ``p_{X,Y}`` in one of ``I(X, Y)``) is expanded with the labels renamed as the
parameters are: ``H(Y)`` uses ``p_Y``. Without it, ``I(X, Y) = I(Y, X)`` was "proved" by
expanding both sides to the same body, a proof that shows nothing."""

from __future__ import annotations

import sympy as sp

from mathlint.claims.build import Definition
from mathlint.model import Verdict
from mathlint.pipeline.engine import check_text

ENTROPY = "The entropy is\n\n$$H(X) = -\\sum_{i=1}^{n} p_X(i) \\log p_X(i).$$\n\n"


def verdicts(text: str) -> dict[int, Verdict]:
    return {c.line: c.verdict for c in check_text(text).claims}


def test_a_labelled_definition_is_used_with_its_labels_renamed():
    text = ENTROPY + "Hence $$H(Y) + 1 = 1 - \\sum_{i=1}^{n} p_Y(i) \\log p_Y(i).$$\n"
    assert verdicts(text)[5] == Verdict.PROVED


def test_the_old_label_after_renaming_is_not_proved():
    text = ENTROPY + "Hence $$H(Y) + 1 = 1 - \\sum_{i=1}^{n} p_X(i) \\log p_X(i).$$\n"
    assert verdicts(text)[5] != Verdict.PROVED


def test_symmetry_is_not_proved_by_an_unrenamed_joint_density():
    text = ("$$I(X, Y) = E_{x} E_{y} \\left\\{ p_{X, Y}(x, y) \\log\\frac{p_{X, Y}(x, y)}{p_X(x) p_Y(y)} "
            "\\right\\}.$$\n\nSymmetric: $I(X, Y) = I(Y, X)$.\n")
    assert verdicts(text)[3] != Verdict.PROVED


def test_labels_are_renamed_simultaneously_and_keep_their_keywords():
    X, Y, x, y = sp.symbols("X Y x y")
    joint = sp.Function("p_{X,Y}", given=1)
    d = Definition(sp.Function("I")(X, Y), joint(x, y) / (sp.Function("p_X")(x) * sp.Function("p_Y")(y)), 1, "")
    out = d.expand(sp.Function("I")(Y, X))
    assert sp.expand(out) == sp.Function("p_{Y,X}", given=1)(x, y) / (sp.Function("p_Y")(x) * sp.Function("p_X")(y))


def test_a_label_parameter_given_an_expression_is_not_expanded():
    X, x, n = sp.symbols("X x n")
    d = Definition(sp.Function("H")(X), sp.Function("p_X")(x), 1, "")
    call = sp.Function("H")(n + 1)
    assert d.expand(call) == call


def test_the_value_of_an_expectation_defines_no_function_e():
    """``E[\\bar x] = \\mu`` read as the definition ``E(y) = \\mu`` made ``E[2\\bar x + 1] = 2\\mu + 1`` 'refuted'."""
    text = ("Let $\\bar{x} = \\frac{1}{n}\\sum_{i=1}^n x_i$. Then\n\n$$E[\\bar{x}] = \\mu.$$\n\n"
            "$$E[2\\bar{x} + 1] = 2\\mu + 1.$$\n")
    assert verdicts(text)[5] != Verdict.REFUTED
