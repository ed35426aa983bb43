"""Extrema over an index, relations that continue in prose and function types are read (not
unparsed) and never refuted on a guess."""

import sympy as sp

from mathlint.latex.normalize import normalize
from mathlint.latex.parse import parse_side
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text


def _read(latex: str) -> sp.Basic:
    return parse_side(normalize(latex))


def test_extrema_over_an_index_or_a_set_are_undefined_functions_of_operand_and_index():
    o, k, a = sp.IndexedBase("o"), sp.Symbol("k"), sp.Symbol("a")
    assert _read(r"\max_k o_k") == sp.Function("max")(o[k], k)
    assert _read(r"\operatorname{argmax}_j \hat{y}_j").func == sp.Function("argmax")
    assert _read(r"\max_{a \in \mathcal{A}} \{ r(s, a) \}").args[1] == a
    assert _read(r"\underset{\pi}{\text{argmax}} V(s_0)").func == sp.Function("argmax")
    assert _read(r"\max(0, x)") == sp.Max(0, sp.Symbol("x"))  # no subscript: the ordinary maximum


def test_claims_with_an_extremum_are_never_refuted_on_drawn_values():
    claims = check_text("$$\\max_k o_k \\ge o_1$$\n\n$$\\max_k (o_k - c) = \\max_k o_k - c$$\n",
                        CheckOptions()).claims
    assert [c.verdict for c in claims] == ["unchecked", "unchecked"], [c.message for c in claims]
    assert all("depends on max" in c.message for c in claims)


def test_a_relation_symbol_in_prose_is_no_claim_and_a_fragment_is_read_unchecked():
    claims = check_text("Use File $\\to$ Open. The vector $\\mathbf{p} =$ ($p_1, p_2$) and "
                        "$f: \\mathbb{R} \\to \\mathbb{R}$.\n", CheckOptions()).claims
    assert [(c.role, c.verdict) for c in claims] == [("fragment", "unchecked"), ("domain", "unchecked")]


def test_a_bold_name_is_the_vector_of_its_components_in_the_same_claim():
    text = ("$$\\mathbf{x}^\\top \\mathbf{w} = \\sum_i x_i w_i$$\n\n$$\\|\\mathbf{x}\\|^2 = \\sum_{i=1}^n x_i^2$$\n\n"
            "$$\\mathbf{x}^\\top \\mathbf{w} = \\sum_i x_i w_i + 1$$\n\n"
            "$$\\|\\mathbf{x}\\|^2 = \\sum_{i=1}^n x_i^3$$\n\n"
            "$$\\mathbf{x}\\odot\\mathbf{y} = \\mathbf{x}^\\top\\mathbf{y}$$\n\n$$\\|x\\|_1 = \\|x\\|_2$$\n")
    verdicts = [c.verdict for c in check_text(text, CheckOptions()).claims]
    # true, true, two mutants refuted, and no proof about bold names or norms read as plain numbers
    assert verdicts == ["proved", "proved", "refuted", "refuted", "unchecked", "unchecked"], verdicts


def test_expectations_over_different_distributions_are_different_objects():
    text = ("$$\\mathbb{E}_{x\\sim p}[f(x)] = \\mathbb{E}_{x\\sim q}[f(x)]$$\n\n"
            "$$\\int_A f(x)\\,dx = \\int_B f(x)\\,dx$$\n")
    assert [c.verdict for c in check_text(text, CheckOptions()).claims] == ["unchecked", "unchecked"]


def test_a_defined_extremum_keeps_its_own_index_inside_a_sum_over_the_same_letter():
    """``\\bar o := \\max_k o_k`` substituted into ``\\sum_k \\exp(o_k - \\bar o)``: the k of the max is
    not the k of the sum (it was captured, and the true step differed numerically)."""
    text = ("$$\\bar{o} := \\max_k o_k$$\n\n"
            "$$\\frac{\\exp(o_j - \\bar{o}) \\exp \\bar{o}}{\\sum_{k} \\exp (o_k - \\bar{o}) \\exp \\bar{o}} "
            "= \\frac{\\exp(o_j - \\bar{o})}{\\sum_{k} \\exp (o_k - \\bar{o})}$$\n\n"
            "$$\\frac{\\exp(o_j - \\bar{o})}{\\sum_{k} \\exp (o_k - \\bar{o}) \\exp \\bar{o}} "
            "= \\frac{\\exp(o_j - \\bar{o})}{\\sum_{k} \\exp (o_k - \\bar{o})}$$\n")
    claims = [c for c in check_text(text, CheckOptions()).claims if c.role != "definition"]
    assert [c.verdict for c in claims] == ["proved", "unchecked"], [c.message for c in claims]
