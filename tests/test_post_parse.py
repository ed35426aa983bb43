"""Every equation of the softmax post reads into the right SymPy form.

Runs on the bundled example and, when ../shared is beside the checkout, on the
real post (same equations).
"""

import pytest
import sympy as sp

from mathlint.expr.symbols import SUM_BOUND as K
from mathlint.expr.symbols import DerivativeWrt, conditional
from mathlint.latex.reader import read_text
from mathlint.sources.files import read_source

i, j, k, m, N, w = sp.symbols("i j k m N w")
x_, y, o, p, f, L, wv = (sp.IndexedBase(n) for n in ("x", "y", "o", "p", "f", "L", "w"))
x = sp.Symbol("x")
P1, P0 = conditional("P", "Y=1"), conditional("P", "Y=0")
J = sp.Function("J")
lam = sp.Symbol("lambda")
delta = sp.KroneckerDelta
ne = 1 - delta(i, j)

#: content anchor (unique substring of the display block) → statements → sides
DISPLAY = {
    r"P(Y=1|x)=\frac{exp": [[P1(x), sp.exp(w * x) / (1 + sp.exp(w * x))]],
    r"P(Y=0|x)=": [[P0(x), 1 / (1 + sp.exp(w * x))]],
    r"log\frac{P(y=1|x)}": [[sp.log(conditional("P", "y=1")(x) / (1 - conditional("p", "Y=1")(x))), w * x]],
    r"\prod_{i=1}^{N}": [[sp.Product(P1(x_[i]) ** y[i] * (1 - P1(x_[i])) ** (1 - y[i]), (i, 1, N))]],
    r"log(1-logP": [[J(w), -sp.Sum(y[i] * sp.log(P1(x_[i])) + (1 - y[i]) * sp.log(1 - sp.log(P1(x_[i]))),
                                   (i, 1, N)) / m]],
    r"\lbrack y_i log": [[J(w), -sp.Sum(y[i] * sp.log(P1(x_[i]) / (1 - P1(x_[i]))) + sp.log(1 - P1(x_[i])),
                                        (i, 1, N)) / m]],
    r"[y_i(w\cdot x_i)": [[J(w), -sp.Sum(y[i] * w * x_[i] - sp.log(1 + sp.exp(w * x_[i])), (i, 1, N)) / m]],
    r"\frac{\partial J(w)}{\partial w}=": [[
        sp.Derivative(J(w), w),
        -sp.Sum(y[i] * x_[i] - sp.exp(w * x_[i]) * x_[i] / (1 + sp.exp(w * x_[sp.Symbol("I")])), (i, 1, m)) / m,
        -sp.Sum(y[i] * x_[i] - P1(x_[i]) * x_[i], (i, 1, m)) / m]],
    r"\partial w_j}": [[sp.Derivative(J(w), wv[j]), sp.Sum((P1(x) - y[i]) * x_[i, j], (i, 1, m)) / m]],
    r"p_k = \frac{e^{f_k}}": [[p[k], sp.exp(f[k]) / sp.Sum(sp.exp(f[j]), (j, 1, K))],
                              [L[i], -sp.log(p[y[i]])]],
    r"\mathbb{1}(y_i = k)": [[sp.Derivative(L[i], f[k]), p[k] - delta(y[i], k)]],
    r"p_j = \frac{e^{o_j}}": [[p[j], sp.exp(o[j]) / sp.Sum(sp.exp(o[k]), (k, 1, K))]],
    r"L = -\sum_j": [[sp.Symbol("L"), -sp.Sum(y[j] * sp.log(p[j]), (j, 1, K))]],
    r"\frac{\partial  \frac{e^{o_j}}": [[
        sp.Derivative(p[j], o[i]),
        sp.Derivative(sp.exp(o[j]) / sp.Sum(sp.exp(o[k]), (k, 1, K)), o[i]),
        (DerivativeWrt(sp.exp(o[j]), sp.exp(o[i])) * sp.Sum(sp.exp(o[k]), (k, 1, K)) - sp.exp(o[j]) * sp.exp(o[i]))
        / sp.Sum(sp.exp(o[k]), (k, 1, K)) ** 2]],
    r"p_i(1 - p_i),\quad": [[sp.Derivative(p[j], o[i]), p[i] * (1 - p[i])]],
    r"-p_i p_j,\quad": [[sp.Derivative(p[j], o[i]), -p[i] * p[j]]],
    r"\frac{\partial L}{\partial o_i}": [[
        sp.Derivative(sp.Symbol("L"), o[i]),
        -sp.Sum(y[j] * sp.Derivative(sp.log(p[j]), o[i]), (j, 1, K)),
        -sp.Sum(y[j] / p[j] * sp.Derivative(p[j], o[i]), (j, 1, K)),
        -y[i] / p[i] * p[i] * (1 - p[i]) - sp.Sum(ne * y[j] / p[j] * (-p[j] * p[i]), (j, 1, K)),
        -y[i] * (1 - p[i]) + sp.Sum(ne * y[j] * p[i], (j, 1, K)),
        -y[i] + y[i] * p[i] + sp.Sum(ne * y[j] * p[i], (j, 1, K)),
        p[i] * sp.Sum(y[j], (j, 1, K)) - y[i],
        p[i] - y[i]]],
    r"dscores=\frac": [[sp.Symbol("dscores"), sp.Derivative(sp.Symbol("J"), sp.Symbol("O"))]],
    r"\frac{\partial O}{\partial W}=X^T": [[sp.Derivative(sp.Symbol("O"), sp.Symbol("W")),
                                            sp.Function("transpose")(sp.Symbol("X"))]],
    r"\frac{\partial J}{\partial W}=": [[
        sp.Derivative(sp.Symbol("J"), sp.Symbol("W")),
        sp.Derivative(sp.Symbol("J"), sp.Symbol("O")) * sp.Derivative(sp.Symbol("O"), sp.Symbol("W")),
        sp.Function("transpose")(sp.Symbol("X")) * sp.Symbol("dscores")]],
}


@pytest.fixture
def blocks(softmax_post):
    return read_text(read_source(softmax_post))


def _block(blocks, anchor):
    display = [b for b in blocks if b.span.kind == "display"]
    found = [b for b in display if b.span.latex.strip() == anchor] or [b for b in display if anchor in b.span.latex]
    assert len(found) == 1, f"anchor {anchor!r} matches {len(found)} display blocks"
    return found[0]


def test_every_display_block_is_covered(blocks):
    display = [b for b in blocks if b.span.kind == "display"]
    covered = {id(_block(blocks, a)) for a in DISPLAY}
    assert [b.span.line for b in display if id(b) not in covered] == []


@pytest.mark.parametrize("anchor", list(DISPLAY))
def test_display_block_sympy_forms(blocks, anchor):
    block = _block(blocks, anchor)
    assert block.status == "parsed", block.first_error
    got = [[s.expr for s in st.sides] for st in block.statements]
    assert got == DISPLAY[anchor]


def test_every_span_with_a_relation_is_parsed(blocks):
    bad = [(b.span.line, b.span.latex, b.first_error) for b in blocks
           if (b.span.kind == "display" or b.has_relation) and b.status != "parsed"]
    assert bad == []


def test_headline_typo_reads_literally(blocks):
    block = _block(blocks, "log(1-logP")
    (st,) = block.statements
    assert sp.log(1 - sp.log(P1(x_[i]))) in st.sides[1].expr.atoms(sp.log)


def test_conditions_of_the_case_split(blocks):
    eq = _block(blocks, r"p_i(1 - p_i),\quad").statements[0]
    neq = _block(blocks, r"-p_i p_j,\quad").statements[0]
    assert ([c.relations for c in eq.conditions], [c.relations for c in neq.conditions]) == ([["eq"]], [["ne"]])
    assert [s.expr for s in eq.conditions[0].sides] == [i, j]


def test_inline_relations(blocks):
    inline = {b.span.latex.strip(): [[s.expr for s in st.sides] for st in b.statements]
              for b in blocks if b.span.kind == "inline" and b.has_relation}
    assert inline[r"logit(p)=log(\frac{p}{1-p})"] == [[sp.Function("logit")(sp.Symbol("p")),
                                                       sp.log(sp.Symbol("p") / (1 - sp.Symbol("p")))]]
    assert inline[r"\frac{\partial e^{o_j}}{\partial e^{o_i}}=e^{o_i}"] == [
        [DerivativeWrt(sp.exp(o[j]), sp.exp(o[i])), sp.exp(o[i])]]
    assert inline[r"\frac{\partial o_j}{\partial o_i}=0"] == [[sp.Derivative(o[j], o[i]), 0]]
    assert inline[r"\frac{d}{dw} ( \frac{1}{2} \lambda w^2) = \lambda w"] == [
        [sp.Derivative(lam * w**2 / 2, w), lam * w]]
    assert inline[r"x_i\in R^n,y_i\in \{0,1\}"] == [[x_[i], sp.Symbol("R") ** sp.Symbol("n")],
                                                   [y[i], sp.FiniteSet(0, 1)]]


def test_lines_point_at_the_source(softmax_post, blocks):
    lines = softmax_post.read_text(encoding="utf-8").splitlines()
    for b in blocks:
        assert b.span.latex.strip().splitlines()[0] in lines[b.span.line - 1]
