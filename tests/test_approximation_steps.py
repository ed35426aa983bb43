"""Approximations up to higher-order terms beyond a lone ``\\approx``: a ``\\approx`` link of a chain
beside a small increment, an equality with a remainder ``\\mathcal{O}(\\epsilon^2)`` or ``o(\\epsilon)``,
and increments that are vectors. The kept terms are checked to the order the text keeps; a wrong
term leaves the claim unchecked and is never refuted."""

import pytest

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

OPTIONS = CheckOptions(timeout=60.0)  # verdicts, not speed
INTRO = "We write $\\approx$ for equality up to higher-order terms.\n\n"


def _claims(display: str) -> list:
    return check_text(f"{INTRO}$${display}$$\n", OPTIONS).claims


def _link(display: str, starts: str):
    """The verdict and message of the claim of ``display`` whose LaTeX starts with ``starts``."""
    found = [c for c in _claims(display) if c.latex.replace(" ", "").startswith(starts.replace(" ", ""))]
    assert len(found) == 1, [(c.latex, c.message) for c in _claims(display)]
    return found[0].verdict, found[0].message


SUM_CHAIN = (r"\begin{aligned} u(y+\epsilon) & = g(y+\epsilon) + r(y+\epsilon) \\ & \approx " + "{rhs}"
             r" \end{aligned}")


@pytest.mark.parametrize("rhs", [
    r"g(y) + \epsilon \frac{dg}{dy}(y) + r(y) + \epsilon \frac{dr}{dy}(y)",
    r"g(y) + r(y) + \epsilon\left(\frac{dg}{dy}(y) + \frac{dr}{dy}(y)\right)",
])
def test_an_approx_link_beside_an_increment_is_checked_to_its_order(rhs):
    verdict, message = _link(SUM_CHAIN.replace("{rhs}", rhs), r"g(y+\epsilon)")
    assert verdict == "consistent", message
    assert "to order 1 in \\epsilon" in message and "random smooth functions in place of g, r" in message


@pytest.mark.parametrize("rhs", [
    r"g(y) + \epsilon \frac{dg}{dy}(y) + r(y) + 2\epsilon \frac{dr}{dy}(y)",  # a factor
    r"g(y) + \epsilon \frac{dg}{dy}(y) + r(y) - \epsilon \frac{dr}{dy}(y)",  # a sign
    r"g(y) + r(y) + \epsilon \frac{dr}{dy}(y)",  # a term dropped
    r"g(y) + \epsilon \frac{dg}{dy}(y) + r(y) + \frac{dr}{dy}(y)",  # the increment dropped
])
def test_a_wrong_term_in_an_approx_link_is_found_and_never_refuted(rhs):
    verdict, message = _link(SUM_CHAIN.replace("{rhs}", rhs), r"g(y+\epsilon)")
    assert verdict == "unchecked", message
    assert "the sides differ at order" in message and "nothing is refuted" in message


def test_without_the_increment_outside_the_calls_the_link_holds_in_the_limit():
    verdict, message = _link(SUM_CHAIN.replace("{rhs}", "g(y) + r(y)"), r"g(y+\epsilon)")
    assert verdict == "consistent" and "in the limit \\epsilon → 0" in message, message


def test_a_product_of_first_order_factors_keeps_order_one():
    chain = (r"\begin{aligned} u(y+\epsilon) & = g(y+\epsilon)\cdot r(y+\epsilon) \\ & \approx "
             r"\left(g(y) {sign} \epsilon \frac{dg}{dy}(y)\right)\cdot\left(r(y) + \epsilon \frac{dr}{dy}(y)\right)"
             r" \end{aligned}")
    verdict, message = _link(chain.replace("{sign}", "+"), r"g(y+\epsilon)")
    assert verdict == "consistent" and "to order 1" in message, message
    verdict, message = _link(chain.replace("{sign}", "-"), r"g(y+\epsilon)")
    assert verdict == "unchecked" and "order 1" in message, message


@pytest.mark.parametrize("at, holds", [("r(y)", True), ("y", False)])
def test_a_derivative_at_an_inner_call_is_the_derivative_there(at, holds):
    chain = (r"\begin{aligned} u(y+\epsilon) & = g(r(y+\epsilon)) \\ & \approx g\left(r(y) + \epsilon \frac{dr}{dy}(y)"
             r"\right) \\ & \approx g(r(y)) + \epsilon \frac{dr}{dy}(y) \frac{dg}{dr}(" + at + r") \end{aligned}")
    verdict, message = _link(chain, r"g(r(y) + \epsilon")
    assert verdict == ("consistent" if holds else "unchecked"), message


@pytest.mark.parametrize("equation, verdict", [
    (r"u(y + \epsilon) = u(y) + \epsilon u'(y) + \mathcal{O}(\epsilon^2)", "consistent"),
    (r"u(y + h) = u(y) + h u'(y) + \frac{h^2}{2} u''(y) + \mathcal{O}(h^3)", "consistent"),
    (r"u(y + \epsilon) = u(y) + \epsilon u'(y) + o(\epsilon)", "consistent"),
    (r"e^{y+h} = e^y + h e^y + O(h^2)", "proved"),
    (r"\sin(\epsilon) = \epsilon + \mathcal{O}(\epsilon^3)", "proved"),
])
def test_an_equality_up_to_a_remainder_holds_to_the_order_it_leaves(equation, verdict):
    (claim,) = _claims(equation)
    assert claim.verdict == verdict, claim.message
    assert "the remainder the text writes" in claim.message


@pytest.mark.parametrize("equation", [
    r"u(y + \epsilon) = u(y) + 2\epsilon u'(y) + \mathcal{O}(\epsilon^2)",
    r"u(y + \epsilon) = u(y) - \epsilon u'(y) + \mathcal{O}(\epsilon^2)",
    r"u(y + \epsilon) = u(y) + \mathcal{O}(\epsilon^2)",
    r"u(y + h) = u(y) + h u'(y) + h^2 u''(y) + \mathcal{O}(h^3)",
    r"u(y + \epsilon) = u(y) + o(\epsilon)",
    r"e^{y+h} = e^y + 2 h e^y + O(h^2)",
    r"\cos(\epsilon) = 1 + \mathcal{O}(\epsilon^3)",
])
def test_a_wrong_term_before_the_remainder_is_never_refuted(equation):
    (claim,) = _claims(equation)
    assert claim.verdict == "unchecked", claim.message
    assert "does not hold" in claim.message and "nothing is refuted" in claim.message


def test_an_order_symbol_of_a_cost_is_no_remainder():
    (claim,) = _claims(r"\mathcal{O}(n \cdot (m/n)) = \mathcal{O}(m)")
    assert "remainder" not in claim.message and claim.verdict != "refuted", claim.message


@pytest.mark.parametrize("equation, verdict", [
    (r"f(\mathbf{x} + \boldsymbol{\epsilon}) = f(\mathbf{x}) + \boldsymbol{\epsilon}^\top \nabla f(\mathbf{x}) "
     r"+ \mathcal{O}(\|\boldsymbol{\epsilon}\|^2)", "consistent"),
    (r"f(\mathbf{x} + \boldsymbol{\epsilon}) = f(\mathbf{x}) + \boldsymbol{\epsilon}^\top \nabla f(\mathbf{x}) "
     r"+ \frac{1}{2}\boldsymbol{\epsilon}^\top \nabla^2 f(\mathbf{x}) \boldsymbol{\epsilon} "
     r"+ \mathcal{O}(\|\boldsymbol{\epsilon}\|^3)", "consistent"),
    (r"f(\mathbf{x} + \boldsymbol{\epsilon}) = f(\mathbf{x}) - \boldsymbol{\epsilon}^\top \nabla f(\mathbf{x}) "
     r"+ \mathcal{O}(\|\boldsymbol{\epsilon}\|^2)", "unchecked"),
    (r"f(\mathbf{x} + \boldsymbol{\epsilon}) = f(\mathbf{x}) + \boldsymbol{\epsilon}^\top \nabla f(\mathbf{x}) "
     r"+ \boldsymbol{\epsilon}^\top \nabla^2 f(\mathbf{x}) \boldsymbol{\epsilon} "
     r"+ \mathcal{O}(\|\boldsymbol{\epsilon}\|^3)", "unchecked"),
    (r"L(\mathbf{w} + \boldsymbol{\epsilon}) \approx L(\mathbf{w}) + \boldsymbol{\epsilon}\cdot \nabla_{\mathbf{w}} "
     r"L(\mathbf{w})", "consistent"),
    (r"L(\mathbf{w} + \boldsymbol{\epsilon}) \approx L(\mathbf{w}) + 2\boldsymbol{\epsilon}\cdot \nabla_{\mathbf{w}} "
     r"L(\mathbf{w})", "unchecked"),
])
def test_a_vector_increment_is_checked_with_random_functions_of_the_components(equation, verdict):
    (claim,) = _claims(equation)
    assert claim.verdict == verdict, claim.message
    assert "vectors of sizes 2, 3" in claim.message


def _verdicts(text: str) -> list:
    """(verdict, message) of each claim of a whole text, its prose included."""
    return [(c.verdict, c.message) for c in check_text(text, OPTIONS).claims if c.role != "definition"]


@pytest.mark.parametrize("text", [
    "With $h$ neurons per layer the work is $$h^2 + 3h = \\mathcal{O}(h).$$\n",  # a size, not a step
    "Each of the $h$ units holds $$h^3 = O(h^2)$$ weights.\n",
])
def test_an_order_symbol_of_a_size_named_h_is_no_remainder(text):
    for verdict, message in _verdicts(text):
        assert verdict not in ("proved", "consistent"), message
        assert "in the limit" not in message, message


@pytest.mark.parametrize("product, holds", [
    (r"\boldsymbol{\delta}^\top \nabla g(\mathbf{z})", True),
    (r"\boldsymbol{\delta} \cdot \nabla g(\mathbf{z})", True),
    (r"\boldsymbol{\delta} \nabla g(\mathbf{z})", False),  # no transpose: no product
    (r"\nabla g(\mathbf{z}) \boldsymbol{\delta}", False),
    (r"\nabla g(\mathbf{z}) \boldsymbol{\delta}^\top", False),  # an outer product
])
def test_a_product_of_vectors_is_read_in_its_written_order(product, holds):
    (claim,) = _claims(r"g(\mathbf{z} + \boldsymbol{\delta}) = g(\mathbf{z}) + " + product
                       + r" + \mathcal{O}(\|\boldsymbol{\delta}\|^2)")
    if holds:
        assert claim.verdict == "consistent", claim.message
    else:
        assert claim.verdict == "unchecked" and "written" in claim.message, claim.message


@pytest.mark.parametrize("quadratic", [
    r"\frac{1}{2}\boldsymbol{\delta} \nabla^2 g(\mathbf{z}) \boldsymbol{\delta}^\top",
    r"\frac{1}{2}\nabla^2 g(\mathbf{z}) \boldsymbol{\delta} \boldsymbol{\delta}^\top",
])
def test_a_hessian_term_of_the_wrong_shape_is_not_read(quadratic):
    (claim,) = _claims(r"g(\mathbf{z} + \boldsymbol{\delta}) = g(\mathbf{z}) + \boldsymbol{\delta}^\top \nabla "
                       r"g(\mathbf{z}) + " + quadratic + r" + \mathcal{O}(\|\boldsymbol{\delta}\|^3)")
    assert claim.verdict == "unchecked" and "written" in claim.message, claim.message


@pytest.mark.parametrize("display", [
    r"|y + \epsilon| = |y| + \epsilon + \mathcal{O}(\epsilon^2)",  # false for y < 0
    r"\sqrt{y^2 + \delta} \approx y + \frac{\delta}{2y}",  # false for y < 0
    r"\frac{\delta}{|\delta|} \approx 1",  # one-sided
    r"\sqrt{(y+\epsilon)^2} \approx y + \epsilon",
])
def test_what_holds_for_positive_values_or_on_one_side_only_is_not_accepted(display):
    (claim,) = _claims(display)
    assert claim.verdict == "unchecked", claim.message


def test_a_remainder_in_one_increment_says_nothing_of_another():
    (claim,) = _claims(r"u(y+\epsilon+\delta) = u(y) + (\epsilon + \delta) u'(y) + \mathcal{O}(\epsilon^2)")
    assert claim.verdict == "unchecked" and "names only" in claim.message, claim.message


@pytest.mark.parametrize("display, verdict", [
    (r"e^{\epsilon} \approx 1 + 3\sin\epsilon", "unchecked"),  # a first-order term inside a function
    (r"\ln(1 + \delta) \approx \tan(2\delta)", "unchecked"),
    (r"\ln(1 + \delta) \approx \tan\delta", "proved"),
    (r"e^{\epsilon} \approx 1 + \sin\epsilon", "proved"),
])
def test_a_term_vanishing_with_the_increment_keeps_order_one(display, verdict):
    (claim,) = _claims(display)
    assert claim.verdict == verdict, claim.message
