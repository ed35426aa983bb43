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
