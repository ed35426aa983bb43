"""Each normalization rule, by example; every registered rule must have examples here."""

import pytest

from mathlint.latex.normalize import RULES, normalize

EXAMPLES = {
    "environments": [(r"\begin{aligned} a &= b \\ &= c \end{aligned}", r"a = b \\ = c"),
                     (r"\begin{align*}x\label{e1}\end{align*}", "x")],
    "color": [(r"{\color{red}{-p_jp_i}}", "{{-p_jp_i}}"), (r"\color{blue}{y}+1", "{y}+1"),
              (r"\textcolor{red}{a}", "{a}")],
    "spacing": [(r"\displaystyle a\,b\;c\!d", "a b c d")],
    "left-right": [(r"\left(p_{y_i}\right)", "(p_{y_i})"), (r"\left. x \right|", "x |")],
    "bracket-commands": [(r"\lbrack y \rbrack", "[y ]"), (r"\lbrace 0 \rbrace", r"\{0 \}")],
    "fonts": [(r"\mathbf X + \bm{x} + \textbf{y}", r"\mathbf{X} + \mathbf{x} + \mathbf{y}"),
              (r"A({\boldsymbol\eta})", r"A(\boldsymbol{\eta})"), (r"\hat{\mathbf y}_j", r"\hat{\mathbf{y}}_j"),
              (r"\hat\mu_n", r"\hat{\mu}_n"), (r"\bar{X_n}", r"\bar{X}_n"),
              (r"\frac{\mathbf{x}}{2}", r"\frac{\mathbf{x}}{2}")],
    "text-names": [(r"\textrm{Var}(X)", r"\operatorname{Var}(X)"), (r"\textrm{AUC}", r"\text{AUC}"),
                   (r"\mathop{\mathrm{tanh}}(x)", r"\tanh (x)"), (r"a \textrm{ and } b", r"a \textrm{ and } b"),
                   (r"\mathrm{d}x", r"\mathrm{d}x")],
    "euler-subscript": [(r"\exp(e_{ij})", r"\exp(\text{e}_{ij})"), (r"e^{x}", r"e^{x}")],
    "mid": [(r"P(Y=1\mid x_i)", "P(Y=1|x_i)")],
    "star-product": [("a*b", r"a \cdot b"), ("x^*", "x^*")],
    "ellipsis": [("a,...,b", r"a,\ldots ,b"), (r"1+\cdots+n", r"1+\ldots +n")],
    "trailing-punctuation": [(r"-p_i p_j,\quad i \neq j.", r"-p_i p_j,\quad i \neq j"), ("a=b,", "a=b")],
    "sum-limits": [(r"\sum_j y_j", r"\sum_{j} y_j"), (r"\sum_jy_j", r"\sum_{j}y_j"),
                   (r"\sum_{i=1}^{N}", r"\sum_{i=1}^{N}")],
    "transpose": [("X^T", r"\operatorname{transpose}(X)"), (r"X^{\top}y", r"\operatorname{transpose}(X)y"),
                  ("x^T", r"\operatorname{transpose}(x)"), (r"\sum_{t=1}^{T} a_t", r"\sum_{t=1}^{ T} a_t"),
                  (r"\gamma^{T}", r"\gamma^{ T}"), ("2^T", "2^{ T}"), (r"1-a^{T}", r"1-a^{ T}"),
                  (r"w^T x", r"\operatorname{transpose}(w) x"), (r"(1-\beta)^T", r"(1-\beta)^{ T}"),
                  (r"\mathbf{u}_j^\top \mathbf{v}", r"\operatorname{transpose}(\mathbf{u}_j) \mathbf{v}"),
                  (r"[x, y]^\top", r"\operatorname{transpose}(x, y)"),
                  (r"\langle a, b\rangle", r"\langle{a, b}\rangle")],
    "bare-words": [("y_ilogP(x)", r"y_i\log P(x)"), ("log(1-p)", r"\log (1-p)"),
                   ("exp(w)", r"\exp (w)"), ("logit(p)", r"\operatorname{logit}(p)"),
                   ("dscores=1", r"\text{dscores}=1"), (r"\frac{a}{b}", r"\frac{a}{b}"),
                   (r"\text{hello} xy", r"\text{hello} xy")],
    "natural-log": [(r"\log x", r"\ln x"), (r"\log_{2} x", r"\log_{2} x")],
    "whitespace": [("a \n  b ", "a b")],
}


def test_every_rule_has_examples():
    assert {r.name for r in RULES} == set(EXAMPLES)


def test_every_rule_is_documented():
    for r in RULES:
        assert r.doc, r.name


@pytest.mark.parametrize("name,src,expected",
                         [(n, s, e) for n, pairs in EXAMPLES.items() for s, e in pairs])
def test_rule(name, src, expected):
    rule = next(r for r in RULES if r.name == name)
    assert " ".join(rule.apply(src).split()) == expected


def test_pipeline_on_the_headline_typo():
    src = r"(1-y_i)log(1-logP(Y=1\mid x_i))"
    assert normalize(src) == r"(1-y_i)\ln (1-\ln P(Y=1|x_i))"


def test_skip_leaves_a_rule_out():
    assert normalize(r"\log x", skip=frozenset({"natural-log"})) == r"\log x"
