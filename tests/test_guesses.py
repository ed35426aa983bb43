"""Issue 16: a failure that rests on mathlint's own guess is no refutation. Shapes it inferred,
values it drew for a function the text never defines and case variants read literally make a
claim `unchecked` (with the reason) or let it hold under the reading named in its message."""

from __future__ import annotations

from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _claim(text: str, latex_start: str):
    result = check_text(text, CheckOptions())
    (claim,) = [c for c in result.claims if c.latex.startswith(latex_start)]
    return claim, result


def test_a_shape_conflict_is_unchecked_with_mathlints_reading_named():
    # `x` beside `x_i`: mathlint reads x as a vector, so log(x) would apply a scalar function to a vector
    claim, _ = _claim("Prose.\n\n$$\\log(x) + 1 = \\sum_{i=1}^N x_i$$\n", "\\ln")
    assert claim.verdict == "unchecked"
    assert claim.reason.startswith("the shapes do not fit under mathlint's reading: ")


def test_a_failure_that_depends_on_an_undefined_function_is_unchecked():
    claim, _ = _claim("$$H(X, Y) \\le H(X) + H(Y)$$\n", "H(X, Y)")
    assert claim.verdict == "unchecked" and claim.reason == "depends on H(·), which the text does not define"
    assert claim.counterexample is None


def test_a_failure_for_every_function_is_still_refuted_and_a_holding_claim_proved():
    wrong, _ = _claim("$$f(x) + 1 = f(x) + 2$$\n", "f(x) + 1")
    assert wrong.verdict == "refuted" and wrong.counterexample
    right, _ = _claim("$$f(x) + g(x) = g(x) + f(x)$$\n", "f(x) + g(x)")
    assert right.verdict in ("proved", "consistent")


_MODEL = "The model is\n\n$$P(Y=1|x) = \\frac{1}{1+e^{-w x}}$$\n\nso\n\n"


def test_case_variants_of_a_defined_function_are_read_as_it_and_stay_a_finding():
    claim, result = _claim(_MODEL + "$$\\log\\frac{P(y=1|x)}{1-p(Y=1|x)} = w x$$\n", "\\ln \\frac")
    assert claim.verdict in ("proved", "consistent")
    assert claim.reason.startswith("holds reading `P(y=1|·)` and `p(Y=1|·)` as `P(Y=1|·)`")
    assert [f for f in result.findings if f.rule == "ML002" and f.line == claim.line]


def test_a_claim_wrong_under_the_case_reading_too_is_refuted_under_that_reading():
    """Literally the claim depends on functions the text does not define (unsure); read as the
    text's own function it fails: wrong under every reading that makes sense, so refuted, with
    the reading named."""
    claim, _ = _claim(_MODEL + "$$\\log\\frac{P(y=1|x)}{1-p(Y=1|x)} = 2 w x$$\n", "\\ln \\frac")
    assert claim.verdict == "refuted"
    assert claim.reason.startswith("reading `P(y=1|·)` and `p(Y=1|·)` as `P(Y=1|·)`: the sides differ")


# round 2: a failure is a refutation only under a reading the notation supports


def test_bold_names_read_as_numbers_are_unchecked():
    claim, _ = _claim("$$\\mathbf{A}\\mathbf{v} = \\lambda \\mathbf{v}$$\n", "\\mathbf{A}")
    assert claim.verdict == "unchecked" and "it may be a condition on them" in claim.reason  # read as matrices


def test_a_parenthesised_superscript_is_no_power():
    claim, _ = _claim("$$\\mathbf{h}^{(0)} = \\mathbf{x}$$\n", "\\mathbf{h}")
    assert claim.verdict == "unchecked" and claim.role == "definition", claim.reason  # h^{(0)} is a name, not h^0


def test_a_capital_subscript_is_a_label_not_an_index():
    claim, _ = _claim("$$p_S(x) = p_T(x)$$\n", "p_S")  # p_S and p_T are two functions: p_S is defined so
    assert claim.verdict == "unchecked" and claim.role == "definition", claim.reason
    claim, _ = _claim("$$q_S = q_T + 1$$\n", "q_S")  # a label subscript drawn as an index refutes nothing
    assert claim.verdict == "unchecked", claim.reason


def test_terms_after_a_sum_that_use_its_index_are_read_inside_it():
    claim, _ = _claim("$$\\ln \\prod_{i=1}^n a_i b_i = \\sum_{i=1}^n \\ln a_i + \\ln b_i$$\n", "\\ln \\prod")
    assert claim.verdict == "needs-assumption", claim.message  # the log of a product splits for a_i, b_i > 0
    assert claim.reason.startswith("holds reading each sum as covering the terms after it")
    assert "a_i > 0, b_i > 0" in claim.reason
    wrong, _ = _claim("$$\\ln \\prod_{i=1}^n a_i b_i = \\sum_{i=1}^n \\ln a_i + 2 \\ln b_i$$\n", "\\ln \\prod")
    assert wrong.verdict != "proved" and wrong.verdict != "consistent"


def test_a_defined_function_read_as_a_factor_and_nabla_are_unchecked():
    text = "$$\\sigma(x) = \\frac{1}{1+\\exp(-x)}$$\n\nSo\n\n$$\\sigma(x)+\\sigma(-x) = 1$$\n"
    claim, _ = _claim(text, "\\sigma(x)+")
    assert claim.verdict == "unchecked" and "reads `\\sigma` as a number times what follows" in claim.reason
    nabla, _ = _claim("$$f(x) = \\frac{1}{2} x^2$$\n\nso\n\n$$\\nabla f(x) = x$$\n", "\\nabla")
    assert nabla.verdict == "unchecked" and "the operator `\\nabla` as a number" in nabla.reason


def test_a_law_stating_a_names_value_is_no_identity_and_sigma_is_positive():
    law, _ = _claim("$$\\log n_i = -\\alpha \\log i + c$$\n", "\\ln n_i")
    assert law.verdict == "unchecked" and law.reason.startswith("the relation states the value of `n[i]`")
    gauss, _ = _claim("$$\\frac{1}{\\sqrt{\\sigma^2}} = \\exp(-\\ln(\\sigma))$$\n", "\\frac{1}")
    assert gauss.verdict == "needs-assumption" and gauss.reason.startswith("holds only if \\sigma > 0")
