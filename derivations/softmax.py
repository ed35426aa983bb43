"""The softmax post: logistic loss and gradient, cs231n's softmax gradient, the derivation of p − y.

Nodes are the post's equations as they should read (anchors are matched fuzzily, so
the post's typos and fixes both find them). Edges state what automatic mode cannot see:
how one block follows from another. Code and worked numbers are checked by running them.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..check.snippet import gradcheck, numeric_gradient, run_snippet
from .framework import CodeCheck, Derivation, Edge, Node

NODES = {
    # logistic regression
    "logit": Node(r"logit(p)=log(\frac{p}{1-p})", "inline"),
    "p1": Node(r"P(Y=1|x)=\frac{exp(w\cdot x)}{1+exp(w\cdot x)}"),
    "p0": Node(r"P(Y=0|x)=\frac{1}{1+exp(w\cdot x)}"),
    "log_odds": Node(r"log\frac{P(Y=1|x)}{1-P(Y=1|x)}=w\cdot x"),
    "data": Node(r"x_i\in R^n,y_i\in \{0,1\}", "inline"),
    "likelihood": Node(r"\prod_{i=1}^{N}[P(Y=1|x_i)]^{y_i}[1-P(Y=1|x_i)]^{1-y_i}"),
    "factor_negative": Node(r"P(Y=1\mid x)", "inline", after="likelihood"),
    "factor_positive": Node(r"1-P(Y=1\mid x)", "inline", after="likelihood"),
    "loss": Node(r"J(w)=-\frac{1}{m}\sum_{i=1}^{N}[y_ilogP(Y=1\mid x_i)+(1-y_i)log(1-P(Y=1\mid x_i))]"),
    "loss_regrouped": Node(r"J(w)=-\frac{1}{m}\sum_{i=1}^{N}\lbrack y_i log \frac{P(Y=1\mid x_i)}"
                           r"{1-P(Y=1\mid x_i)}+log(1-P(Y=1\mid x_i))\rbrack"),
    "p1_restated": Node(r"P(Y=1\mid x)=\frac{exp(w\cdot x)}{1+exp(w\cdot x)}", "inline", after="loss_regrouped"),
    "loss_linear": Node(r"J(w)=-\frac{1}{m}\sum_{i=1}^{N}[y_i(w\cdot x_i)-log(1+exp(w\cdot x_i))]"),
    "gradient": Node(r"\frac{\partial J(w)}{\partial w}=-\frac{1}{m}\sum_{i=1}^{m}[y_ix_i-\frac{1}{1+exp(w\cdot x_i)}"
                     r"*exp(w\cdot x_i)*x_i]\\=-\frac{1}{m}\sum_{i=1}^{m}[y_ix_i-P(Y=1|x_i)x_i]"),
    "gradient_j": Node(r"\frac{\partial J(w)}{\partial w_j}=\frac{1}{m}\sum_{i=1}^{m}(P(Y=1|x_i)-y_i)x_{ij}"),
    # cs231n
    "cs231n_softmax": Node(r"p_k = \frac{e^{f_k}}{ \sum_j e^{f_j} } \hspace{1in} L_i =-\log\left(p_{y_i}\right)"),
    "cs231n_gradient": Node(r"\frac{\partial L_i }{ \partial f_k } = p_k - \mathbb{1}(y_i = k)"),
    "example_p": Node("p = [0.2, 0.3, 0.5]", "inline-code"),
    "example_df": Node("df = [0.2, -0.7, 0.5]", "inline-code", after="example_p"),
    "code_dscores": Node("dscores = probs\ndscores[range(num_examples),y] -= 1\ndscores /= num_examples", "code"),
    "code_backprop": Node("dW = np.dot(X.T, dscores)\ndb = np.sum(dscores, axis=0, keepdims=True)\n"
                          "dW += reg*W", "code"),
    "regularization": Node(r"\frac{d}{dw} ( \frac{1}{2} \lambda w^2) = \lambda w", "inline"),
    # the derivation of p − y
    "softmax": Node(r"p_j = \frac{e^{o_j}}{\sum_k e^{o_k}}"),
    "cross_entropy": Node(r"L = -\sum_j y_j \log p_j"),
    "quotient_rule": Node(r"\frac{\partial p_j}{\partial o_i} = \frac{\partial  \frac{e^{o_j}}{\sum_k e^{o_k}}}"
                          r"{\partial o_i}\\=\frac{\frac{\partial e^{o_j}}{\partial o_i}\sum_k e^{o_k}-e^{o_j}e^{o_i}}"
                          r"{(\sum_k e^{o_k})^2}"),
    "case_equal": Node(r"\frac{\partial p_j}{\partial o_i} = p_i(1 - p_i),\quad i = j"),
    "case_unequal": Node(r"\frac{\partial p_j}{\partial o_i} = -p_i p_j,\quad i \neq j."),
    "loss_gradient": Node(r"\frac{\partial L}{\partial o_i}=-\sum_jy_j\frac{\partial \log p_j}{\partial o_i}"),
    "code_update": Node("dscores = probs\ndscores[range(num_examples),y] -= 1\ndscores /= num_examples\n"
                        "dW = np.dot(X.T, dscores)\nW += -step_size * dW\nb += -step_size * db", "code"),
}

EDGES = [
    # the model and the definitions the derivation relies on, as the post should state them
    Edge("logit", "defines", why="the log-odds of p"),
    Edge("p1", "defines", why="the logistic model P(Y=1|x)"),
    Edge("p0", "defines", why="the logistic model P(Y=0|x)"),
    Edge("cs231n_softmax", "defines", why="cs231n's softmax probabilities and per-example loss"),
    Edge("softmax", "defines", why="the softmax of the scores o"),
    Edge("cross_entropy", "defines", why="the cross-entropy loss"),
    # how the blocks follow from each other
    Edge("p0", "complement", "p1", why="P(Y=0|x) is 1 − P(Y=1|x)"),
    Edge("factor_negative", "likelihood-factor", "likelihood",
         {"label": "y", "input": "x", "value": 0},
         why="the likelihood's factor for a negative sample (y_i = 0)"),
    Edge("factor_positive", "likelihood-factor", "likelihood",
         {"label": "y", "input": "x", "value": 1},
         why="the likelihood's factor for a positive sample (y_i = 1)"),
    Edge("loss", "neg-mean-log", "likelihood", {"scale": "m", "assume": ["m = N"]},
         why="the loss is −(1/m)·log of the likelihood, with m = N samples"),
    Edge("gradient_j", "component", "gradient", {"index": "j"},
         why="the j-th component of the gradient above"),
]


# --- code and numbers ----------------------------------------------------------------------------

def _softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _data_loss(scores: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(-np.log(_softmax(scores)[np.arange(len(y)), y])))


def check_dscores(code: str, rng: np.random.Generator) -> list[tuple[int, str, str]]:
    n, k = 5, 3
    scores, y = rng.normal(size=(n, k)), rng.integers(0, k, n)
    run = run_snippet(code, probs=_softmax(scores), y=y, num_examples=n)
    if run.error:
        return [(run.error_line, "refuted", f"the snippet fails: {run.error}")]
    fd = numeric_gradient(lambda s: _data_loss(s, y), scores.copy())
    bad = gradcheck(run.namespace["dscores"], fd)
    if bad:
        return [(1, "refuted", f"dscores{list(bad)} differs from finite differences of the mean loss")]
    return [(1, "consistent", "dscores equals the gradient of the mean softmax loss with respect to the "
                              "scores (finite differences, 5 examples × 3 classes)")]


def check_backprop(code: str, rng: np.random.Generator) -> list[tuple[int, str, str]]:
    n, d, k, reg = 5, 4, 3, 0.1
    x, w, b, y = rng.normal(size=(n, d)), rng.normal(size=(d, k)), rng.normal(size=(1, k)), rng.integers(0, k, n)
    probs = _softmax(x @ w + b)
    dscores = probs.copy()
    dscores[range(n), y] -= 1
    dscores /= n
    run = run_snippet(code, X=x, W=w, b=b, dscores=dscores, reg=reg)
    if run.error:
        return [(run.error_line, "refuted", f"the snippet fails: {run.error}")]

    def loss(w_, b_):
        return _data_loss(x @ w_ + b_, y) + 0.5 * reg * float(np.sum(w_ * w_))
    out = []
    for name, arr, line, f in (("dW", w, 1, lambda v: loss(v, b)), ("db", b, 2, lambda v: loss(w, v))):
        bad = gradcheck(run.namespace[name], numeric_gradient(f, arr.copy()))
        out.append((line, "refuted" if bad else "consistent",
                    f"{name}{list(bad)} differs from finite differences" if bad else
                    f"{name} equals the gradient of the mean loss + ½·reg·‖W‖² (finite differences)"))
    return out


def check_update(code: str, rng: np.random.Generator) -> list[tuple[int, str, str]]:
    n, d, k = 5, 4, 3
    x, w, b, y = rng.normal(size=(n, d)), rng.normal(size=(d, k)), rng.normal(size=(1, k)), rng.integers(0, k, n)
    before = _data_loss(x @ w + b, y)
    run = run_snippet(code, probs=_softmax(x @ w + b), y=y, num_examples=n, X=x, W=w.copy(), b=b.copy(),
                      step_size=1e-2)
    if run.error:
        return [(run.error_line, "refuted", f"the snippet cannot run on its own: {run.error} "
                                            "(compute it as in the snippet above before using it)")]
    after = _data_loss(x @ run.namespace["W"] + run.namespace["b"], y)
    ok = after < before
    return [(5, "consistent" if ok else "refuted",
             "a small step against the gradient lowers the loss" if ok else "the step does not lower the loss")]


def check_example(p_text: str, df_text: str, correct: int = 1) -> tuple[str, str]:
    """df = p − onehot(correct) for the worked example (exact arithmetic)."""
    import ast
    p = [Fraction(str(v)) for v in ast.literal_eval(p_text.split("=", 1)[1].strip())]
    df = [Fraction(str(v)) for v in ast.literal_eval(df_text.split("=", 1)[1].strip())]
    expected = [v - (1 if k == correct else 0) for k, v in enumerate(p)]
    if expected == df:
        return "proved", f"df = p − 1(k = {correct + 1}) holds exactly: {[float(v) for v in expected]}"
    return "refuted", f"p − 1(k = {correct + 1}) is {[float(v) for v in expected]}, not {[float(v) for v in df]}"


CODE = [
    CodeCheck("code_dscores", check_dscores, "dscores is the gradient of the mean loss w.r.t. the scores"),
    CodeCheck("code_backprop", check_backprop, "dW, db backpropagate through scores = XW + b, with reg·W"),
    CodeCheck("code_update", check_update, "the update steps W and b against their gradients"),
]

def worked_example(where: dict) -> list[tuple[str, str, str]]:
    if "example_p" not in where or "example_df" not in where:
        return []
    verdict, message = check_example(where["example_p"].code.content, where["example_df"].code.content)
    return [("example_df", verdict, message)]


DERIVATION = Derivation(
    name="softmax",
    title="Logistic loss, softmax and the gradient p − y",
    nodes=NODES,
    edges=EDGES,
    code=CODE,
    checks=[worked_example],
)
