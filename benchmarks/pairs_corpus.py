"""The corpus of the ``pairs`` benchmark: ML-derivation equation pairs, equal and not.

Written for this benchmark (not taken from any dataset). Each *family* is one identity of
the kind blog posts derive (sigmoid, softmax, log-sum-exp, cross-entropy, sums, products,
derivatives …): a left side, right sides equal to it, and right sides with a realistic
typo (sign flipped, factor missing, wrong exponent, swapped index, log dropped, ``1-p``
for ``p``, bound off by one …). Every side also has a Python (mpmath) transcription,
written independently of the LaTeX, and ``build()`` checks the stated truth of every pair
numerically before writing it:

* equal: both sides agree (relative 1e-15) at every sampled point where both are defined
  (real and finite), at >= 20 points of the usual domain (probabilities in (0, 1), scales
  > 0) and, where >= 5 such points exist, also on the whole real box (-3, 3);
* unequal: the sides differ (relative 1e-6) at >= 25 % of the defined points of the usual
  domain.

Sums run over ``i = 1..N`` (``j, k = 1..K``, ``t = 0..T``); sizes are drawn from 2..5; free
indices (``k`` in ``o_k``) take every valid value. ``\\log`` is the natural log.

    .venv/bin/python benchmarks/pairs.py --regenerate     # rebuilds benchmarks/pairs.json
"""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass, field

import mpmath as mp

SIZES = ("N", "K", "T")
HELPERS = {"exp", "log", "sqrt", "pi", "S", "P", "D", "ind", "lambda"}


@dataclass
class Family:
    category: str
    lhs: str
    lhs_py: str
    equal: list[tuple] = field(default_factory=list)  # (rhs, rhs_py) or (lhs, lhs_py, rhs, rhs_py)
    unequal: list[tuple] = field(default_factory=list)  # (typo, rhs, rhs_py) or (typo, lhs, lhs_py, rhs, rhs_py)
    vec: str = ""  # names that are vectors (x_i …)
    idx: dict = field(default_factory=dict)  # free index -> its size ("k": "K")
    dom: dict = field(default_factory=dict)  # usual domain of a name: (lo, hi)


FAMILIES: list[Family] = []


def F(category: str, lhs: str, lhs_py: str, equal=(), unequal=(), vec: str = "", idx=None, dom=None) -> None:
    FAMILIES.append(Family(category, lhs, lhs_py, list(equal), list(unequal), vec, idx or {}, dom or {}))


PROB = (0.0, 1.0)
POS = (0.05, 3.0)
SMX = r"\frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}"
SMX_PY = "exp(o[k])/S(lambda j: exp(o[j]), 1, K)"
LSE = r"\log \sum_{j=1}^{K} e^{o_j}"
LSE_PY = "log(S(lambda j: exp(o[j]), 1, K))"
SIG = "1/(1+exp(-z))"

# ---------------------------------------------------------------- sigmoid
F("sigmoid", r"\frac{1}{1+e^{-z}}", SIG,
  [(r"\frac{e^{z}}{1+e^{z}}", "exp(z)/(1+exp(z))"), (r"\frac{e^{z}}{e^{z}+1}", "exp(z)/(exp(z)+1)"),
   (r"1 - \frac{1}{1+e^{z}}", "1 - 1/(1+exp(z))")],
  [("sign", r"\frac{1}{1-e^{-z}}", "1/(1-exp(-z))"), ("exponent-sign", r"\frac{1}{1+e^{z}}", "1/(1+exp(z))"),
   ("exponent-sign", r"\frac{e^{z}}{1+e^{-z}}", "exp(z)/(1+exp(-z))")])
F("sigmoid", r"1 - \frac{1}{1+e^{-z}}", "1 - " + SIG,
  [(r"\frac{1}{1+e^{z}}", "1/(1+exp(z))"), (r"\frac{e^{-z}}{1+e^{-z}}", "exp(-z)/(1+exp(-z))")],
  [("1-p-vs-p", r"\frac{1}{1+e^{-z}}", SIG), ("exponent-sign", r"\frac{e^{z}}{1+e^{-z}}", "exp(z)/(1+exp(-z))")])
F("sigmoid", r"\log \frac{1}{1+e^{-z}}", "log(1/(1+exp(-z)))",
  [(r"-\log(1+e^{-z})", "-log(1+exp(-z))"), (r"z - \log(1+e^{z})", "z - log(1+exp(z))")],
  [("sign", r"\log(1+e^{-z})", "log(1+exp(-z))"), ("sign", r"z + \log(1+e^{z})", "z + log(1+exp(z))"),
   ("exponent-sign", r"-\log(1+e^{z})", "-log(1+exp(z))")])
F("sigmoid", r"\log \frac{p}{1-p}", "log(p/(1-p))",
  [(r"\log p - \log(1-p)", "log(p) - log(1-p)"), (r"-\log\left(\frac{1}{p} - 1\right)", "-log(1/p - 1)")],
  [("sign", r"\log p + \log(1-p)", "log(p) + log(1-p)"), ("swap", r"\log(1-p) - \log p", "log(1-p) - log(p)")],
  dom={"p": PROB})
F("sigmoid", r"\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}", "(exp(z)-exp(-z))/(exp(z)+exp(-z))",
  [(r"\frac{2}{1+e^{-2z}} - 1", "2/(1+exp(-2*z)) - 1"), (r"\frac{1-e^{-2z}}{1+e^{-2z}}", "(1-exp(-2*z))/(1+exp(-2*z))")],
  [("missing-factor", r"\frac{2}{1+e^{-z}} - 1", "2/(1+exp(-z)) - 1"),
   ("swap", r"\frac{1+e^{-2z}}{1-e^{-2z}}", "(1+exp(-2*z))/(1-exp(-2*z))"),
   ("sign", r"\frac{2}{1+e^{-2z}} + 1", "2/(1+exp(-2*z)) + 1")])
F("sigmoid", r"\frac{1}{1+\exp(-(w x + b))}", "1/(1+exp(-(w*x+b)))",
  [(r"\frac{\exp(w x + b)}{1+\exp(w x + b)}", "exp(w*x+b)/(1+exp(w*x+b))")],
  [("sign", r"\frac{\exp(w x - b)}{1+\exp(w x - b)}", "exp(w*x-b)/(1+exp(w*x-b))"),
   ("exponent-sign", r"\frac{\exp(w x + b)}{1+\exp(-(w x + b))}", "exp(w*x+b)/(1+exp(-(w*x+b)))")])
F("sigmoid", r"\frac{1}{1+e^{-z}} + \frac{1}{1+e^{z}}", SIG + " + 1/(1+exp(z))",
  [(r"1", "1")],
  [("sign", r"\frac{1}{1+e^{-z}} - \frac{1}{1+e^{z}}", SIG + " - 1/(1+exp(z))", r"1", "1"),
   ("exponent-sign", r"\frac{1}{1+e^{-z}} + \frac{1}{1+e^{-z}}", "2*" + SIG, r"1", "1")])
F("sigmoid", r"\frac{e^{x}}{e^{x}+e^{y}}", "exp(x)/(exp(x)+exp(y))",
  [(r"\frac{1}{1+e^{y-x}}", "1/(1+exp(y-x))"), (r"\frac{1}{1+\exp(-(x-y))}", "1/(1+exp(-(x-y)))")],
  [("swap", r"\frac{1}{1+e^{x-y}}", "1/(1+exp(x-y))"), ("dropped-term", r"\frac{1}{e^{y-x}}", "1/exp(y-x)")])

# ---------------------------------------------------------------- cross-entropy
BCE_PY = "-(y*log(p) + (1-y)*log(1-p))"
F("cross-entropy", r"-\left(y \log p + (1-y) \log(1-p)\right)", BCE_PY,
  [(r"-y\log p - (1-y)\log(1-p)", "-y*log(p) - (1-y)*log(1-p)"),
   (r"-y \log \frac{p}{1-p} - \log(1-p)", "-y*log(p/(1-p)) - log(1-p)")],
  [("sign", r"-y\log p + (1-y)\log(1-p)", "-y*log(p) + (1-y)*log(1-p)"),
   ("1-p-vs-p", r"-y\log p - (1-y)\log p", "-y*log(p) - (1-y)*log(p)"),
   ("1-y-vs-y", r"-y\log p - y\log(1-p)", "-y*log(p) - y*log(1-p)")],
  dom={"p": PROB})
F("cross-entropy", r"-y \log \frac{1}{1+e^{-z}} - (1-y) \log \left(1 - \frac{1}{1+e^{-z}}\right)",
  "-y*log(1/(1+exp(-z))) - (1-y)*log(1 - 1/(1+exp(-z)))",
  [(r"\log(1+e^{-z}) + (1-y) z", "log(1+exp(-z)) + (1-y)*z"), (r"\log(1+e^{z}) - y z", "log(1+exp(z)) - y*z")],
  [("sign", r"\log(1+e^{z}) + y z", "log(1+exp(z)) + y*z"),
   ("1-y-vs-y", r"\log(1+e^{-z}) + y z", "log(1+exp(-z)) + y*z"),
   ("1-y-vs-y", r"\log(1+e^{z}) - (1-y) z", "log(1+exp(z)) - (1-y)*z")])
F("cross-entropy", r"-p\log p - (1-p)\log(1-p)", "-p*log(p) - (1-p)*log(1-p)",
  [(r"-\log(1-p) - p\log\frac{p}{1-p}", "-log(1-p) - p*log(p/(1-p))")],
  [("sign", r"-p\log p + (1-p)\log(1-p)", "-p*log(p) + (1-p)*log(1-p)"),
   ("1-p-vs-p", r"-p\log p - p\log(1-p)", "-p*log(p) - p*log(1-p)")],
  dom={"p": PROB})
F("cross-entropy", r"-\sum_{k=1}^{K} y_k \log p_k", "-S(lambda k: y[k]*log(p[k]), 1, K)",
  [(r"\sum_{k=1}^{K} y_k \log \frac{1}{p_k}", "S(lambda k: y[k]*log(1/p[k]), 1, K)"),
   (r"-\sum_{j=1}^{K} y_j \log p_j", "-S(lambda j: y[j]*log(p[j]), 1, K)")],
  [("sign", r"\sum_{k=1}^{K} y_k \log p_k", "S(lambda k: y[k]*log(p[k]), 1, K)"),
   ("missing-factor", r"-\sum_{k=1}^{K} \log p_k", "-S(lambda k: log(p[k]), 1, K)"),
   ("bound", r"-\sum_{k=1}^{K-1} y_k \log p_k", "-S(lambda k: y[k]*log(p[k]), 1, K-1)")],
  vec="y p", dom={"p": PROB, "y": PROB})
F("cross-entropy", r"-\log \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}", "-log(" + SMX_PY + ")",
  [(r"\log \sum_{j=1}^{K} e^{o_j} - o_k", LSE_PY + " - o[k]"),
   (r"-o_k + \log\left(\sum_{j=1}^{K} \exp(o_j)\right)", "-o[k] + " + LSE_PY)],
  [("sign", r"\log \sum_{j=1}^{K} e^{o_j} + o_k", LSE_PY + " + o[k]"),
   ("log-dropped", r"\sum_{j=1}^{K} e^{o_j} - o_k", "S(lambda j: exp(o[j]), 1, K) - o[k]"),
   ("sign", r"o_k - \log \sum_{j=1}^{K} e^{o_j}", "o[k] - " + LSE_PY)],
  vec="o", idx={"k": "K"})
CE_Y = r"-\sum_{k=1}^{K} y_k \log\frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}"
CE_Y_PY = "-S(lambda k: y[k]*log(exp(o[k])/S(lambda j: exp(o[j]), 1, K)), 1, K)"
F("cross-entropy", CE_Y, CE_Y_PY,
  [(r"-\sum_{k=1}^{K} y_k o_k + \left(\sum_{k=1}^{K} y_k\right)\log\sum_{j=1}^{K} e^{o_j}",
    "-S(lambda k: y[k]*o[k], 1, K) + S(lambda k: y[k], 1, K)*" + LSE_PY)],
  [("needs-sum-to-one", r"-\sum_{k=1}^{K} y_k o_k + \log\sum_{j=1}^{K} e^{o_j}", "-S(lambda k: y[k]*o[k], 1, K) + " + LSE_PY),
   ("sign", r"\sum_{k=1}^{K} y_k o_k + \left(\sum_{k=1}^{K} y_k\right)\log\sum_{j=1}^{K} e^{o_j}",
    "S(lambda k: y[k]*o[k], 1, K) + S(lambda k: y[k], 1, K)*" + LSE_PY)],
  vec="o y")
BCE_N = r"-\frac{1}{N}\sum_{i=1}^{N}\left(y_i\log p_i + (1-y_i)\log(1-p_i)\right)"
BCE_N_PY = "-S(lambda i: y[i]*log(p[i]) + (1-y[i])*log(1-p[i]), 1, N)/N"
F("cross-entropy", BCE_N, BCE_N_PY,
  [(r"-\frac{1}{N}\sum_{i=1}^{N} y_i\log p_i - \frac{1}{N}\sum_{i=1}^{N}(1-y_i)\log(1-p_i)",
    "-S(lambda i: y[i]*log(p[i]), 1, N)/N - S(lambda i: (1-y[i])*log(1-p[i]), 1, N)/N")],
  [("1-p-vs-p", r"-\frac{1}{N}\sum_{i=1}^{N} y_i\log p_i - \frac{1}{N}\sum_{i=1}^{N}(1-y_i)\log p_i",
    "-S(lambda i: y[i]*log(p[i]), 1, N)/N - S(lambda i: (1-y[i])*log(p[i]), 1, N)/N"),
   ("missing-factor", r"-\sum_{i=1}^{N}\left(y_i\log p_i + (1-y_i)\log(1-p_i)\right)",
    "-S(lambda i: y[i]*log(p[i]) + (1-y[i])*log(1-p[i]), 1, N)"),
   ("swap", r"-\frac{1}{N}\sum_{i=1}^{N}\left(p_i\log y_i + (1-p_i)\log(1-y_i)\right)",
    "-S(lambda i: p[i]*log(y[i]) + (1-p[i])*log(1-y[i]), 1, N)/N")],
  vec="y p", dom={"p": PROB, "y": PROB})
F("cross-entropy", r"\sum_{k=1}^{K} p_k \log\frac{p_k}{q_k}", "S(lambda k: p[k]*log(p[k]/q[k]), 1, K)",
  [(r"\sum_{k=1}^{K} p_k\log p_k - \sum_{k=1}^{K} p_k \log q_k",
    "S(lambda k: p[k]*log(p[k]), 1, K) - S(lambda k: p[k]*log(q[k]), 1, K)")],
  [("sign", r"\sum_{k=1}^{K} p_k\log q_k - \sum_{k=1}^{K} p_k \log p_k",
    "S(lambda k: p[k]*log(q[k]), 1, K) - S(lambda k: p[k]*log(p[k]), 1, K)"),
   ("missing-factor", r"\sum_{k=1}^{K} \log\frac{p_k}{q_k}", "S(lambda k: log(p[k]/q[k]), 1, K)"),
   ("swap", r"\sum_{k=1}^{K} q_k\log\frac{p_k}{q_k}", "S(lambda k: q[k]*log(p[k]/q[k]), 1, K)")],
  vec="p q", dom={"p": PROB, "q": PROB})
F("cross-entropy", r"-\log\left(\lambda^{y} e^{-\lambda}\right)", "-log(lam**y*exp(-lam))",
  [(r"\lambda - y\log\lambda", "lam - y*log(lam)")],
  [("sign", r"\lambda + y\log\lambda", "lam + y*log(lam)"), ("sign", r"-\lambda - y\log\lambda", "-lam - y*log(lam)"),
   ("missing-factor", r"\lambda - \log\lambda", "lam - log(lam)")],
  dom={"lam": POS})
F("cross-entropy", r"\exp\left(-\frac{1}{N}\sum_{i=1}^{N}\log p_i\right)", "exp(-S(lambda i: log(p[i]), 1, N)/N)",
  [(r"\left(\prod_{i=1}^{N} p_i\right)^{-\frac{1}{N}}", "P(lambda i: p[i], 1, N)**(-mpf(1)/N)")],
  [("sign", r"\left(\prod_{i=1}^{N} p_i\right)^{\frac{1}{N}}", "P(lambda i: p[i], 1, N)**(mpf(1)/N)"),
   ("exponent", r"\left(\prod_{i=1}^{N} p_i\right)^{-N}", "P(lambda i: p[i], 1, N)**(-N)")],
  vec="p", dom={"p": PROB})

# ---------------------------------------------------------------- softmax
F("softmax", SMX, SMX_PY,
  [(r"\frac{e^{o_k - m}}{\sum_{j=1}^{K} e^{o_j - m}}", "exp(o[k]-m)/S(lambda j: exp(o[j]-m), 1, K)"),
   (r"\frac{1}{\sum_{j=1}^{K} e^{o_j - o_k}}", "1/S(lambda j: exp(o[j]-o[k]), 1, K)"),
   (r"\exp\left(o_k - \log \sum_{j=1}^{K} e^{o_j}\right)", "exp(o[k] - " + LSE_PY + ")")],
  [("missing-term", r"\frac{e^{o_k - m}}{\sum_{j=1}^{K} e^{o_j}}", "exp(o[k]-m)/S(lambda j: exp(o[j]), 1, K)"),
   ("swap", r"\frac{1}{\sum_{j=1}^{K} e^{o_k - o_j}}", "1/S(lambda j: exp(o[k]-o[j]), 1, K)"),
   ("exp-dropped", r"\frac{e^{o_k}}{\sum_{j=1}^{K} o_j}", "exp(o[k])/S(lambda j: o[j], 1, K)"),
   ("bound", r"\frac{e^{o_k}}{\sum_{j=2}^{K} e^{o_j}}", "exp(o[k])/S(lambda j: exp(o[j]), 2, K)")],
  vec="o", idx={"k": "K"})
F("softmax", r"\sum_{k=1}^{K} \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}", "S(lambda k: " + SMX_PY + ", 1, K)",
  [(r"1", "1")],
  [("bound", r"\sum_{k=1}^{K-1} \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}", "S(lambda k: " + SMX_PY + ", 1, K-1)", r"1", "1"),
   ("exp-dropped", r"\sum_{k=1}^{K} \frac{e^{o_k}}{\sum_{j=1}^{K} o_j}",
    "S(lambda k: exp(o[k])/S(lambda j: o[j], 1, K), 1, K)", r"1", "1")],
  vec="o")
F("softmax", r"\frac{e^{o_k / \tau}}{\sum_{j=1}^{K} e^{o_j / \tau}}", "exp(o[k]/tau)/S(lambda j: exp(o[j]/tau), 1, K)",
  [(r"\frac{1}{\sum_{j=1}^{K} \exp\left(\frac{o_j - o_k}{\tau}\right)}", "1/S(lambda j: exp((o[j]-o[k])/tau), 1, K)")],
  [("missing-factor", r"\frac{1}{\sum_{j=1}^{K} \exp\left(o_j - o_k\right)}", "1/S(lambda j: exp(o[j]-o[k]), 1, K)"),
   ("swap", r"\frac{1}{\sum_{j=1}^{K} \exp\left(\frac{o_k - o_j}{\tau}\right)}", "1/S(lambda j: exp((o[k]-o[j])/tau), 1, K)")],
  vec="o", idx={"k": "K"}, dom={"tau": POS})
F("softmax", r"\log \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}", "log(" + SMX_PY + ")",
  [(r"o_k - \log \sum_{j=1}^{K} e^{o_j}", "o[k] - " + LSE_PY)],
  [("log-dropped", r"o_k - \sum_{j=1}^{K} e^{o_j}", "o[k] - S(lambda j: exp(o[j]), 1, K)"),
   ("log-inside", r"o_k - \sum_{j=1}^{K} o_j", "o[k] - S(lambda j: o[j], 1, K)")],
  vec="o", idx={"k": "K"})

# ---------------------------------------------------------------- log-sum-exp
F("log-sum-exp", LSE, LSE_PY,
  [(r"m + \log \sum_{j=1}^{K} e^{o_j - m}", "m + log(S(lambda j: exp(o[j]-m), 1, K))"),
   (r"\log\left(\sum_{j=1}^{K} \exp(o_j)\right)", LSE_PY)],
  [("sign", r"m + \log \sum_{j=1}^{K} e^{o_j + m}", "m + log(S(lambda j: exp(o[j]+m), 1, K))"),
   ("sign", r"m - \log \sum_{j=1}^{K} e^{o_j - m}", "m - log(S(lambda j: exp(o[j]-m), 1, K))"),
   ("missing-term", r"\log \sum_{j=1}^{K} e^{o_j - m}", "log(S(lambda j: exp(o[j]-m), 1, K))")],
  vec="o")
F("log-sum-exp", r"\log(e^{a} + e^{b})", "log(exp(a)+exp(b))",
  [(r"a + \log(1 + e^{b-a})", "a + log(1+exp(b-a))"), (r"b + \log\left(1+e^{a-b}\right)", "b + log(1+exp(a-b))")],
  [("swap", r"a + \log(1 + e^{a-b})", "a + log(1+exp(a-b))"), ("sign", r"a - \log(1+e^{b-a})", "a - log(1+exp(b-a))"),
   ("missing-term", r"\log(1+e^{b-a})", "log(1+exp(b-a))")])
F("log-sum-exp", r"\log\sum_{j=1}^{K} e^{o_j + c}", "log(S(lambda j: exp(o[j]+c), 1, K))",
  [(r"c + \log\sum_{j=1}^{K} e^{o_j}", "c + " + LSE_PY)],
  [("missing-term", r"\log\sum_{j=1}^{K} e^{o_j}", LSE_PY), ("missing-factor", r"c\log\sum_{j=1}^{K} e^{o_j}", "c*" + LSE_PY),
   ("extra-factor", r"K c + \log\sum_{j=1}^{K} e^{o_j}", "K*c + " + LSE_PY)],
  vec="o")
F("log-sum-exp", r"\log(1+e^{x})", "log(1+exp(x))",
  [(r"x + \log(1+e^{-x})", "x + log(1+exp(-x))"), (r"-\log \frac{1}{1+e^{x}}", "-log(1/(1+exp(x)))")],
  [("sign", r"x - \log(1+e^{-x})", "x - log(1+exp(-x))"), ("sign", r"-x + \log(1+e^{-x})", "-x + log(1+exp(-x))"),
   ("exponent-sign", r"x + \log(1+e^{x})", "x + log(1+exp(x))")])
F("log-sum-exp", r"\log\left(\frac{1}{N}\sum_{i=1}^{N} e^{x_i}\right)", "log(S(lambda i: exp(x[i]), 1, N)/N)",
  [(r"\log\sum_{i=1}^{N} e^{x_i} - \log N", "log(S(lambda i: exp(x[i]), 1, N)) - log(N)")],
  [("sign", r"\log\sum_{i=1}^{N} e^{x_i} + \log N", "log(S(lambda i: exp(x[i]), 1, N)) + log(N)"),
   ("log-dropped", r"\log\sum_{i=1}^{N} e^{x_i} - N", "log(S(lambda i: exp(x[i]), 1, N)) - N"),
   ("wrong-rule", r"\frac{1}{N}\log\sum_{i=1}^{N} e^{x_i}", "log(S(lambda i: exp(x[i]), 1, N))/N")],
  vec="x")

# ---------------------------------------------------------------- log
F("log", r"\log(ab)", "log(a*b)",
  [(r"\log a + \log b", "log(a) + log(b)")],
  [("wrong-rule", r"\log a \cdot \log b", "log(a)*log(b)"), ("sign", r"\log a - \log b", "log(a) - log(b)")])
F("log", r"\log \frac{a}{b}", "log(a/b)",
  [(r"\log a - \log b", "log(a) - log(b)"), (r"-\log\frac{b}{a}", "-log(b/a)")],
  [("wrong-rule", r"\frac{\log a}{\log b}", "log(a)/log(b)"), ("swap", r"\log b - \log a", "log(b) - log(a)")])
F("log", r"\log\left(x^{3}\right)", "log(x**3)",
  [(r"3\log x", "3*log(x)")],
  [("wrong-rule", r"\log(3x)", "log(3*x)"), ("exponent", r"\left(\log x\right)^{3}", "log(x)**3")])
F("log", r"\log \prod_{i=1}^{N} p_i", "log(P(lambda i: p[i], 1, N))",
  [(r"\sum_{i=1}^{N} \log p_i", "S(lambda i: log(p[i]), 1, N)")],
  [("wrong-rule", r"\prod_{i=1}^{N} \log p_i", "P(lambda i: log(p[i]), 1, N)"),
   ("bound", r"\sum_{i=1}^{N-1} \log p_i", "S(lambda i: log(p[i]), 1, N-1)")],
  vec="p", dom={"p": PROB})
LIK = r"\log \prod_{i=1}^{N} p^{y_i}(1-p)^{1-y_i}"
F("log", LIK, "log(P(lambda i: p**y[i]*(1-p)**(1-y[i]), 1, N))",
  [(r"\sum_{i=1}^{N} \left(y_i \log p + (1-y_i)\log(1-p)\right)", "S(lambda i: y[i]*log(p) + (1-y[i])*log(1-p), 1, N)"),
   (r"\log p \sum_{i=1}^{N} y_i + \log(1-p)\sum_{i=1}^{N}(1-y_i)",
    "log(p)*S(lambda i: y[i], 1, N) + log(1-p)*S(lambda i: 1-y[i], 1, N)")],
  [("1-y-vs-y", r"\sum_{i=1}^{N} \left(y_i \log p + y_i\log(1-p)\right)", "S(lambda i: y[i]*log(p) + y[i]*log(1-p), 1, N)"),
   ("sign", r"\sum_{i=1}^{N} \left(y_i \log p - (1-y_i)\log(1-p)\right)", "S(lambda i: y[i]*log(p) - (1-y[i])*log(1-p), 1, N)"),
   ("missing-factor", r"\log p \sum_{i=1}^{N} y_i + \log(1-p)\left(1-\sum_{i=1}^{N} y_i\right)",
    "log(p)*S(lambda i: y[i], 1, N) + log(1-p)*(1 - S(lambda i: y[i], 1, N))")],
  vec="y", dom={"p": PROB, "y": PROB})
F("log", r"\log\left(e^{x} \cdot e^{y}\right)", "log(exp(x)*exp(y))",
  [(r"x + y", "x + y")],
  [("wrong-rule", r"x y", "x*y"), ("sign", r"x - y", "x - y")])
F("log", r"e^{2\log x}", "exp(2*log(x))",
  [(r"x^{2}", "x**2")],
  [("wrong-rule", r"2x", "2*x"), ("exponent", r"x^{\frac{1}{2}}", "x**(mpf(1)/2)")])
F("log", r"e^{\log a + \log b}", "exp(log(a)+log(b))",
  [(r"ab", "a*b"), (r"a \cdot b", "a*b")],
  [("wrong-rule", r"a + b", "a + b")])
F("log", r"\exp(-\log p)", "exp(-log(p))",
  [(r"\frac{1}{p}", "1/p")],
  [("wrong-rule", r"-p", "-p"), ("sign", r"p", "p")],
  dom={"p": PROB})
F("log", r"-\log\left(\frac{1}{\sqrt{2\pi\sigma^2}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}\right)",
  "-log(1/sqrt(2*pi*sigma**2)*exp(-(x-mu)**2/(2*sigma**2)))",
  [(r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{(x-\mu)^2}{2\sigma^2}", "log(2*pi*sigma**2)/2 + (x-mu)**2/(2*sigma**2)"),
   (r"\log\sigma + \frac{1}{2}\log(2\pi) + \frac{(x-\mu)^2}{2\sigma^2}", "log(sigma) + log(2*pi)/2 + (x-mu)**2/(2*sigma**2)")],
  [("sign", r"\frac{1}{2}\log(2\pi\sigma^2) - \frac{(x-\mu)^2}{2\sigma^2}", "log(2*pi*sigma**2)/2 - (x-mu)**2/(2*sigma**2)"),
   ("missing-factor", r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{(x-\mu)^2}{\sigma^2}", "log(2*pi*sigma**2)/2 + (x-mu)**2/sigma**2"),
   ("missing-factor", r"\log(2\pi\sigma^2) + \frac{(x-\mu)^2}{2\sigma^2}", "log(2*pi*sigma**2) + (x-mu)**2/(2*sigma**2)")],
  dom={"sigma": POS})
F("log", r"-\sum_{i=1}^{N} \log\left(\frac{1}{\sqrt{2\pi}\sigma} e^{-\frac{(x_i-\mu)^2}{2\sigma^2}}\right)",
  "-S(lambda i: log(1/(sqrt(2*pi)*sigma)*exp(-(x[i]-mu)**2/(2*sigma**2))), 1, N)",
  [(r"\frac{N}{2}\log(2\pi) + N\log\sigma + \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2",
    "N*log(2*pi)/2 + N*log(sigma) + S(lambda i: (x[i]-mu)**2, 1, N)/(2*sigma**2)")],
  [("sign", r"\frac{N}{2}\log(2\pi) + N\log\sigma - \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2",
    "N*log(2*pi)/2 + N*log(sigma) - S(lambda i: (x[i]-mu)**2, 1, N)/(2*sigma**2)"),
   ("missing-factor", r"\frac{1}{2}\log(2\pi) + \log\sigma + \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2",
    "log(2*pi)/2 + log(sigma) + S(lambda i: (x[i]-mu)**2, 1, N)/(2*sigma**2)"),
   ("exponent", r"\frac{N}{2}\log(2\pi) + N\log\sigma + \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)",
    "N*log(2*pi)/2 + N*log(sigma) + S(lambda i: x[i]-mu, 1, N)/(2*sigma**2)")],
  vec="x", dom={"sigma": POS})

# ---------------------------------------------------------------- exp
F("exp", r"\exp(a+b)", "exp(a+b)",
  [(r"e^{a} \cdot e^{b}", "exp(a)*exp(b)"), (r"e^{a}e^{b}", "exp(a)*exp(b)")],
  [("wrong-rule", r"e^{a} + e^{b}", "exp(a) + exp(b)"), ("wrong-rule", r"e^{a b}", "exp(a*b)")])
F("exp", r"e^{a-b}", "exp(a-b)",
  [(r"\frac{e^{a}}{e^{b}}", "exp(a)/exp(b)")],
  [("swap", r"\frac{e^{b}}{e^{a}}", "exp(b)/exp(a)"), ("wrong-rule", r"e^{a} - e^{b}", "exp(a) - exp(b)")])
F("exp", r"\left(e^{x}\right)^{2}", "exp(x)**2",
  [(r"e^{2x}", "exp(2*x)")],
  [("exponent", r"e^{x^{2}}", "exp(x**2)"), ("wrong-rule", r"e^{x+2}", "exp(x+2)")])
F("exp", r"\prod_{i=1}^{N} e^{x_i}", "P(lambda i: exp(x[i]), 1, N)",
  [(r"\exp\left(\sum_{i=1}^{N} x_i\right)", "exp(S(lambda i: x[i], 1, N))")],
  [("wrong-rule", r"\sum_{i=1}^{N} e^{x_i}", "S(lambda i: exp(x[i]), 1, N)"),
   ("wrong-rule", r"\exp\left(\prod_{i=1}^{N} x_i\right)", "exp(P(lambda i: x[i], 1, N))")],
  vec="x")
F("exp", r"e^{-\frac{x^2}{2}} \cdot e^{-\frac{y^2}{2}}", "exp(-x**2/2)*exp(-y**2/2)",
  [(r"\exp\left(-\frac{x^2 + y^2}{2}\right)", "exp(-(x**2+y**2)/2)")],
  [("missing-factor", r"\exp\left(-(x^2 + y^2)\right)", "exp(-(x**2+y**2))"),
   ("wrong-rule", r"\exp\left(-\frac{(x + y)^2}{2}\right)", "exp(-(x+y)**2/2)")])
F("exp", r"\frac{e^{x} - e^{-x}}{2}", "(exp(x)-exp(-x))/2",
  [(r"\frac{e^{2x} - 1}{2e^{x}}", "(exp(2*x)-1)/(2*exp(x))")],
  [("sign", r"\frac{e^{2x} + 1}{2e^{x}}", "(exp(2*x)+1)/(2*exp(x))"), ("missing-factor", r"\frac{e^{2x} - 1}{2}", "(exp(2*x)-1)/2")])

# ---------------------------------------------------------------- power
F("power", r"(a+b)^2", "(a+b)**2",
  [(r"a^2 + 2ab + b^2", "a**2 + 2*a*b + b**2"), (r"a^{2} + 2 a b + b^{2}", "a**2 + 2*a*b + b**2")],
  [("missing-term", r"a^2 + b^2", "a**2 + b**2"), ("missing-factor", r"a^2 + ab + b^2", "a**2 + a*b + b**2")])
F("power", r"(a-b)^2", "(a-b)**2",
  [(r"a^2 - 2ab + b^2", "a**2 - 2*a*b + b**2"), (r"(b-a)^2", "(b-a)**2")],
  [("wrong-rule", r"a^2 - b^2", "a**2 - b**2"), ("sign", r"a^2 + 2ab + b^2", "a**2 + 2*a*b + b**2")])
F("power", r"x^{a} x^{b}", "x**a * x**b",
  [(r"x^{a+b}", "x**(a+b)")],
  [("wrong-rule", r"x^{ab}", "x**(a*b)")], dom={"x": POS})
F("power", r"\frac{x^{a}}{x^{b}}", "x**a / x**b",
  [(r"x^{a-b}", "x**(a-b)")],
  [("swap", r"x^{b-a}", "x**(b-a)"), ("wrong-rule", r"x^{a/b}", "x**(a/b)")], dom={"x": POS})
F("power", r"\left(x^{2}\right)^{3}", "(x**2)**3",
  [(r"x^{6}", "x**6")],
  [("exponent", r"x^{5}", "x**5"), ("exponent", r"x^{8}", "x**8")])
F("power", r"\frac{1}{\sqrt{x}}", "1/sqrt(x)",
  [(r"x^{-\frac{1}{2}}", "x**(-mpf(1)/2)")],
  [("sign", r"x^{\frac{1}{2}}", "x**(mpf(1)/2)"), ("exponent", r"x^{-2}", "x**(-2)")], dom={"x": POS})
F("power", r"(1-p)^2 - p^2", "(1-p)**2 - p**2",
  [(r"1 - 2p", "1 - 2*p")],
  [("missing-term", r"1 - 2p + 2p^2", "1 - 2*p + 2*p**2"), ("sign", r"1 + 2p", "1 + 2*p")], dom={"p": PROB})
F("power", r"p(1-p)", "p*(1-p)",
  [(r"p - p^2", "p - p**2")],
  [("sign", r"p^2 - p", "p**2 - p"), ("1-p-vs-p", r"p^{2}", "p**2")], dom={"p": PROB})
F("power", r"(a+b)^3", "(a+b)**3",
  [(r"a^3 + 3a^2 b + 3ab^2 + b^3", "a**3 + 3*a**2*b + 3*a*b**2 + b**3")],
  [("missing-factor", r"a^3 + a^2 b + ab^2 + b^3", "a**3 + a**2*b + a*b**2 + b**3"), ("missing-term", r"a^3 + b^3", "a**3 + b**3")])
F("power", r"\sqrt{x^{2} y^{4}}", "sqrt(x**2*y**4)",
  [(r"\left|x\right| y^{2}", "abs(x)*y**2")],
  [("wrong-rule", r"x y^{2}", "x*y**2"), ("exponent", r"\left|x\right| y^{4}", "abs(x)*y**4")])

# ---------------------------------------------------------------- fraction
F("fraction", r"\frac{1}{a} + \frac{1}{b}", "1/a + 1/b",
  [(r"\frac{a+b}{ab}", "(a+b)/(a*b)")],
  [("wrong-rule", r"\frac{1}{a+b}", "1/(a+b)"), ("sign", r"\frac{a-b}{ab}", "(a-b)/(a*b)")])
F("fraction", r"\frac{a}{b} \cdot \frac{c}{d}", "a/b*c/d",
  [(r"\frac{ac}{bd}", "a*c/(b*d)")],
  [("swap", r"\frac{ad}{bc}", "a*d/(b*c)"), ("wrong-rule", r"\frac{a+c}{b+d}", "(a+c)/(b+d)")])
F("fraction", r"\frac{\frac{a}{b}}{\frac{c}{d}}", "(a/b)/(c/d)",
  [(r"\frac{ad}{bc}", "a*d/(b*c)")],
  [("swap", r"\frac{ac}{bd}", "a*c/(b*d)"), ("swap", r"\frac{bc}{ad}", "b*c/(a*d)")])
F("fraction", r"\frac{p}{1-p}", "p/(1-p)",
  [(r"\frac{1}{1-p} - 1", "1/(1-p) - 1")],
  [("sign", r"\frac{1}{1-p} + 1", "1/(1-p) + 1"), ("1-p-vs-p", r"\frac{1}{p} - 1", "1/p - 1")], dom={"p": PROB})
F("fraction", r"\frac{x^2 - 1}{x - 1}", "(x**2-1)/(x-1)",
  [(r"x + 1", "x + 1")],
  [("sign", r"x - 1", "x - 1")])
F("fraction", r"\frac{y}{p} - \frac{1-y}{1-p}", "y/p - (1-y)/(1-p)",
  [(r"\frac{y - p}{p(1-p)}", "(y-p)/(p*(1-p))"), (r"\frac{y-p}{p - p^{2}}", "(y-p)/(p-p**2)")],
  [("sign", r"\frac{p-y}{p(1-p)}", "(p-y)/(p*(1-p))"), ("sign", r"\frac{y+p}{p(1-p)}", "(y+p)/(p*(1-p))")],
  dom={"p": PROB})
F("fraction", r"\frac{a}{b} - \frac{c}{d}", "a/b - c/d",
  [(r"\frac{ad - bc}{bd}", "(a*d-b*c)/(b*d)")],
  [("swap", r"\frac{ad - bc}{ab}", "(a*d-b*c)/(a*b)"), ("wrong-rule", r"\frac{a - c}{b - d}", "(a-c)/(b-d)")])

# ---------------------------------------------------------------- sum
F("sum", r"\sum_{i=1}^{N} x_i", "S(lambda i: x[i], 1, N)",
  [(r"\sum_{j=1}^{N} x_j", "S(lambda j: x[j], 1, N)"), (r"x_1 + \sum_{i=2}^{N} x_i", "x[1] + S(lambda i: x[i], 2, N)"),
   (r"\sum_{i=0}^{N-1} x_{i+1}", "S(lambda i: x[i+1], 0, N-1)")],
  [("bound", r"\sum_{i=0}^{N} x_i", "S(lambda i: x[i], 0, N)"), ("bound", r"\sum_{i=1}^{N-1} x_i", "S(lambda i: x[i], 1, N-1)"),
   ("bound", r"\sum_{i=0}^{N-1} x_i", "S(lambda i: x[i], 0, N-1)")],
  vec="x")
F("sum", r"\frac{1}{N}\sum_{i=1}^{N}(x_i-\mu)^2", "S(lambda i: (x[i]-mu)**2, 1, N)/N",
  [(r"\frac{1}{N}\sum_{i=1}^{N}x_i^2 - \frac{2\mu}{N}\sum_{i=1}^{N}x_i + \mu^2",
    "S(lambda i: x[i]**2, 1, N)/N - 2*mu/N*S(lambda i: x[i], 1, N) + mu**2")],
  [("sign", r"\frac{1}{N}\sum_{i=1}^{N}x_i^2 + \frac{2\mu}{N}\sum_{i=1}^{N}x_i + \mu^2",
    "S(lambda i: x[i]**2, 1, N)/N + 2*mu/N*S(lambda i: x[i], 1, N) + mu**2"),
   ("extra-factor", r"\frac{1}{N}\sum_{i=1}^{N}x_i^2 - \frac{2\mu}{N}\sum_{i=1}^{N}x_i + N\mu^2",
    "S(lambda i: x[i]**2, 1, N)/N - 2*mu/N*S(lambda i: x[i], 1, N) + N*mu**2"),
   ("missing-term", r"\frac{1}{N}\sum_{i=1}^{N}x_i^2 - \mu^2", "S(lambda i: x[i]**2, 1, N)/N - mu**2")],
  vec="x")
F("sum", r"\sum_{i=1}^{N} (a x_i + b)", "S(lambda i: a*x[i]+b, 1, N)",
  [(r"a\sum_{i=1}^{N} x_i + N b", "a*S(lambda i: x[i], 1, N) + N*b")],
  [("missing-factor", r"a\sum_{i=1}^{N} x_i + b", "a*S(lambda i: x[i], 1, N) + b"),
   ("extra-factor", r"N a\sum_{i=1}^{N} x_i + N b", "N*a*S(lambda i: x[i], 1, N) + N*b")],
  vec="x")
F("sum", r"\sum_{i=1}^{N}\sum_{j=1}^{K} a_i b_j", "S(lambda i: S(lambda j: a[i]*b[j], 1, K), 1, N)",
  [(r"\left(\sum_{i=1}^{N} a_i\right)\left(\sum_{j=1}^{K} b_j\right)", "S(lambda i: a[i], 1, N)*S(lambda j: b[j], 1, K)"),
   (r"\sum_{j=1}^{K}\sum_{i=1}^{N} a_i b_j", "S(lambda j: S(lambda i: a[i]*b[j], 1, N), 1, K)")],
  [("wrong-rule", r"\sum_{i=1}^{N} a_i + \sum_{j=1}^{K} b_j", "S(lambda i: a[i], 1, N) + S(lambda j: b[j], 1, K)"),
   ("swap", r"\left(\sum_{i=1}^{N} a_i\right)\left(\sum_{j=1}^{N} b_j\right)", "S(lambda i: a[i], 1, N)*S(lambda j: b[j], 1, N)")],
  vec="a b")
F("sum", r"\left(\sum_{i=1}^{N} x_i\right)^2", "S(lambda i: x[i], 1, N)**2",
  [(r"\sum_{i=1}^{N}\sum_{j=1}^{N} x_i x_j", "S(lambda i: S(lambda j: x[i]*x[j], 1, N), 1, N)"),
   (r"\sum_{i=1}^{N} x_i^2 + 2\sum_{i=1}^{N}\sum_{j=i+1}^{N} x_i x_j",
    "S(lambda i: x[i]**2, 1, N) + 2*S(lambda i: S(lambda j: x[i]*x[j], i+1, N), 1, N)")],
  [("wrong-rule", r"\sum_{i=1}^{N} x_i^2", "S(lambda i: x[i]**2, 1, N)"),
   ("missing-factor", r"\sum_{i=1}^{N} x_i^2 + \sum_{i=1}^{N}\sum_{j=i+1}^{N} x_i x_j",
    "S(lambda i: x[i]**2, 1, N) + S(lambda i: S(lambda j: x[i]*x[j], i+1, N), 1, N)")],
  vec="x")
F("sum", r"\sum_{i=1}^{N} i", "S(lambda i: i, 1, N)",
  [(r"\frac{N(N+1)}{2}", "N*(N+1)/mpf(2)")],
  [("sign", r"\frac{N(N-1)}{2}", "N*(N-1)/mpf(2)"), ("missing-term", r"\frac{N^2}{2}", "N**2/mpf(2)")])
F("sum", r"\sum_{i=1}^{N} c x_i", "S(lambda i: c*x[i], 1, N)",
  [(r"c\sum_{i=1}^{N} x_i", "c*S(lambda i: x[i], 1, N)")],
  [("extra-factor", r"N c \sum_{i=1}^{N} x_i", "N*c*S(lambda i: x[i], 1, N)")],
  vec="x")
F("sum", r"\sum_{i=1}^{N} (x_i + y_i)^2", "S(lambda i: (x[i]+y[i])**2, 1, N)",
  [(r"\sum_{i=1}^{N} x_i^2 + 2\sum_{i=1}^{N} x_i y_i + \sum_{i=1}^{N} y_i^2",
    "S(lambda i: x[i]**2, 1, N) + 2*S(lambda i: x[i]*y[i], 1, N) + S(lambda i: y[i]**2, 1, N)")],
  [("missing-factor", r"\sum_{i=1}^{N} x_i^2 + \sum_{i=1}^{N} x_i y_i + \sum_{i=1}^{N} y_i^2",
    "S(lambda i: x[i]**2, 1, N) + S(lambda i: x[i]*y[i], 1, N) + S(lambda i: y[i]**2, 1, N)"),
   ("missing-term", r"\sum_{i=1}^{N} x_i^2 + \sum_{i=1}^{N} y_i^2", "S(lambda i: x[i]**2, 1, N) + S(lambda i: y[i]**2, 1, N)"),
   ("sign", r"\sum_{i=1}^{N} x_i^2 - 2\sum_{i=1}^{N} x_i y_i + \sum_{i=1}^{N} y_i^2",
    "S(lambda i: x[i]**2, 1, N) - 2*S(lambda i: x[i]*y[i], 1, N) + S(lambda i: y[i]**2, 1, N)")],
  vec="x y")
F("sum", r"\sum_{i=1}^{N}(x_i - \mu)", "S(lambda i: x[i]-mu, 1, N)",
  [(r"\sum_{i=1}^{N} x_i - N\mu", "S(lambda i: x[i], 1, N) - N*mu")],
  [("missing-factor", r"\sum_{i=1}^{N} x_i - \mu", "S(lambda i: x[i], 1, N) - mu"),
   ("sign", r"\sum_{i=1}^{N} x_i + N\mu", "S(lambda i: x[i], 1, N) + N*mu")],
  vec="x")
VAR_M = r"\frac{1}{N}\sum_{i=1}^{N} x_i^2 - \left(\frac{1}{N}\sum_{i=1}^{N} x_i\right)^2"
F("sum", VAR_M, "S(lambda i: x[i]**2, 1, N)/N - (S(lambda i: x[i], 1, N)/N)**2",
  [(r"\frac{1}{N}\sum_{i=1}^{N}\left(x_i - \frac{1}{N}\sum_{j=1}^{N} x_j\right)^2",
    "S(lambda i: (x[i] - S(lambda j: x[j], 1, N)/N)**2, 1, N)/N")],
  [("exponent", r"\frac{1}{N}\sum_{i=1}^{N}\left(x_i - \frac{1}{N}\sum_{j=1}^{N} x_j\right)",
    "S(lambda i: x[i] - S(lambda j: x[j], 1, N)/N, 1, N)/N"),
   ("bound", r"\frac{1}{N-1}\sum_{i=1}^{N}\left(x_i - \frac{1}{N}\sum_{j=1}^{N} x_j\right)^2",
    "S(lambda i: (x[i] - S(lambda j: x[j], 1, N)/N)**2, 1, N)/(N-1)")],
  vec="x")
F("sum", r"\sum_{t=0}^{T-1} \gamma^{t}", "S(lambda t: gamma**t, 0, T-1)",
  [(r"\frac{1-\gamma^{T}}{1-\gamma}", "(1-gamma**T)/(1-gamma)")],
  [("bound", r"\frac{1-\gamma^{T+1}}{1-\gamma}", "(1-gamma**(T+1))/(1-gamma)"), ("missing-term", r"\frac{1}{1-\gamma}", "1/(1-gamma)")],
  dom={"gamma": PROB})
F("sum", r"\sum_{t=0}^{T} \gamma^{t} r_t", "S(lambda t: gamma**t*r[t], 0, T)",
  [(r"r_0 + \gamma\sum_{t=0}^{T-1}\gamma^{t} r_{t+1}", "r[0] + gamma*S(lambda t: gamma**t*r[t+1], 0, T-1)")],
  [("missing-factor", r"r_0 + \sum_{t=0}^{T-1}\gamma^{t} r_{t+1}", "r[0] + S(lambda t: gamma**t*r[t+1], 0, T-1)"),
   ("index", r"r_0 + \gamma\sum_{t=0}^{T-1}\gamma^{t} r_{t}", "r[0] + gamma*S(lambda t: gamma**t*r[t], 0, T-1)")],
  vec="r", dom={"gamma": PROB})
F("sum", r"\sum_{j=1}^{K} \left(w_j - v_j\right)^2", "S(lambda j: (w[j]-v[j])**2, 1, K)",
  [(r"\sum_{j=1}^{K} w_j^2 - 2\sum_{j=1}^{K} w_j v_j + \sum_{j=1}^{K} v_j^2",
    "S(lambda j: w[j]**2, 1, K) - 2*S(lambda j: w[j]*v[j], 1, K) + S(lambda j: v[j]**2, 1, K)")],
  [("wrong-rule", r"\sum_{j=1}^{K} w_j^2 - \sum_{j=1}^{K} v_j^2", "S(lambda j: w[j]**2, 1, K) - S(lambda j: v[j]**2, 1, K)")],
  vec="w v")

# ---------------------------------------------------------------- product
F("product", r"\prod_{i=1}^{N} p^{y_i}(1-p)^{1-y_i}", "P(lambda i: p**y[i]*(1-p)**(1-y[i]), 1, N)",
  [(r"p^{\sum_{i=1}^{N} y_i}(1-p)^{N-\sum_{i=1}^{N} y_i}", "p**S(lambda i: y[i], 1, N)*(1-p)**(N - S(lambda i: y[i], 1, N))")],
  [("1-y-vs-y", r"p^{\sum_{i=1}^{N} y_i}(1-p)^{\sum_{i=1}^{N} y_i}", "p**S(lambda i: y[i], 1, N)*(1-p)**S(lambda i: y[i], 1, N)"),
   ("missing-factor", r"p^{\sum_{i=1}^{N} y_i}(1-p)^{1-\sum_{i=1}^{N} y_i}", "p**S(lambda i: y[i], 1, N)*(1-p)**(1 - S(lambda i: y[i], 1, N))")],
  vec="y", dom={"p": PROB, "y": PROB})
F("product", r"\prod_{i=1}^{N} c x_i", "P(lambda i: c*x[i], 1, N)",
  [(r"c^{N}\prod_{i=1}^{N} x_i", "c**N*P(lambda i: x[i], 1, N)")],
  [("exponent", r"c\prod_{i=1}^{N} x_i", "c*P(lambda i: x[i], 1, N)"), ("wrong-rule", r"N c\prod_{i=1}^{N} x_i", "N*c*P(lambda i: x[i], 1, N)")],
  vec="x")
F("product", r"\prod_{i=1}^{N} \frac{x_i}{y_i}", "P(lambda i: x[i]/y[i], 1, N)",
  [(r"\frac{\prod_{i=1}^{N} x_i}{\prod_{i=1}^{N} y_i}", "P(lambda i: x[i], 1, N)/P(lambda i: y[i], 1, N)")],
  [("wrong-rule", r"\frac{\sum_{i=1}^{N} x_i}{\sum_{i=1}^{N} y_i}", "S(lambda i: x[i], 1, N)/S(lambda i: y[i], 1, N)"),
   ("swap", r"\frac{\prod_{i=1}^{N} y_i}{\prod_{i=1}^{N} x_i}", "P(lambda i: y[i], 1, N)/P(lambda i: x[i], 1, N)")],
  vec="x y")
F("product", r"\prod_{i=1}^{N} \frac{1}{\sqrt{2\pi}} e^{-\frac{x_i^2}{2}}", "P(lambda i: exp(-x[i]**2/2)/sqrt(2*pi), 1, N)",
  [(r"(2\pi)^{-\frac{N}{2}} \exp\left(-\frac{1}{2}\sum_{i=1}^{N} x_i^2\right)", "(2*pi)**(-mpf(N)/2)*exp(-S(lambda i: x[i]**2, 1, N)/2)")],
  [("missing-factor", r"(2\pi)^{-\frac{1}{2}} \exp\left(-\frac{1}{2}\sum_{i=1}^{N} x_i^2\right)",
    "(2*pi)**(-mpf(1)/2)*exp(-S(lambda i: x[i]**2, 1, N)/2)"),
   ("wrong-rule", r"(2\pi)^{-\frac{N}{2}} \exp\left(-\frac{1}{2}\left(\sum_{i=1}^{N} x_i\right)^2\right)",
    "(2*pi)**(-mpf(N)/2)*exp(-S(lambda i: x[i], 1, N)**2/2)"),
   ("exponent", r"(2\pi)^{-N} \exp\left(-\frac{1}{2}\sum_{i=1}^{N} x_i^2\right)", "(2*pi)**(-N)*exp(-S(lambda i: x[i]**2, 1, N)/2)")],
  vec="x")
F("product", r"\prod_{i=1}^{N} x_i^{2}", "P(lambda i: x[i]**2, 1, N)",
  [(r"\left(\prod_{i=1}^{N} x_i\right)^{2}", "P(lambda i: x[i], 1, N)**2")],
  [("wrong-rule", r"\left(\sum_{i=1}^{N} x_i\right)^{2}", "S(lambda i: x[i], 1, N)**2"),
   ("exponent", r"\left(\prod_{i=1}^{N} x_i\right)^{2N}", "P(lambda i: x[i], 1, N)**(2*N)")],
  vec="x")

# ---------------------------------------------------------------- derivative
F("derivative", r"\frac{d}{dz} \frac{1}{1+e^{-z}}", "D('1/(1+exp(-z))', 'z')",
  [(r"\frac{e^{-z}}{(1+e^{-z})^2}", "exp(-z)/(1+exp(-z))**2"),
   (r"\frac{1}{1+e^{-z}}\left(1-\frac{1}{1+e^{-z}}\right)", SIG + "*(1-" + SIG + ")")],
  [("exponent", r"\frac{e^{-z}}{1+e^{-z}}", "exp(-z)/(1+exp(-z))"),
   ("sign", r"\frac{-e^{-z}}{(1+e^{-z})^2}", "-exp(-z)/(1+exp(-z))**2"),
   ("sign", r"\frac{1}{1+e^{-z}}\left(1+\frac{1}{1+e^{-z}}\right)", SIG + "*(1+" + SIG + ")")])
F("derivative", r"\frac{\partial}{\partial z} \log \frac{1}{1+e^{-z}}", "D('log(1/(1+exp(-z)))', 'z')",
  [(r"\frac{e^{-z}}{1+e^{-z}}", "exp(-z)/(1+exp(-z))"), (r"1 - \frac{1}{1+e^{-z}}", "1 - " + SIG)],
  [("1-p-vs-p", r"\frac{1}{1+e^{-z}}", SIG), ("sign", r"-\frac{e^{-z}}{1+e^{-z}}", "-exp(-z)/(1+exp(-z))")])
F("derivative", r"\frac{\partial}{\partial z}\left(\log(1+e^{z}) - y z\right)", "D('log(1+exp(z)) - y*z', 'z')",
  [(r"\frac{1}{1+e^{-z}} - y", SIG + " - y"), (r"\frac{e^{z}}{1+e^{z}} - y", "exp(z)/(1+exp(z)) - y")],
  [("sign", r"y - \frac{1}{1+e^{-z}}", "y - " + SIG), ("exponent-sign", r"\frac{1}{1+e^{z}} - y", "1/(1+exp(z)) - y"),
   ("sign", r"\frac{1}{1+e^{-z}} + y", SIG + " + y")])
F("derivative", r"\frac{\partial}{\partial p}\left(-y\log p - (1-y)\log(1-p)\right)", "D('-y*log(p) - (1-y)*log(1-p)', 'p')",
  [(r"-\frac{y}{p} + \frac{1-y}{1-p}", "-y/p + (1-y)/(1-p)"), (r"\frac{p-y}{p(1-p)}", "(p-y)/(p*(1-p))")],
  [("sign", r"-\frac{y}{p} - \frac{1-y}{1-p}", "-y/p - (1-y)/(1-p)"), ("sign", r"\frac{y-p}{p(1-p)}", "(y-p)/(p*(1-p))"),
   ("missing-factor", r"\frac{p-y}{1-p}", "(p-y)/(1-p)")],
  dom={"p": PROB})
F("derivative", r"\frac{\partial}{\partial o_i}\left(\log \sum_{j=1}^{K} e^{o_j} - o_k\right)",
  "D('log(S(lambda j: exp(o[j]), 1, K)) - o[k]', 'o', i)",
  [(r"\frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}} - \mathbb{1}(i = k)", "exp(o[i])/S(lambda j: exp(o[j]), 1, K) - ind(i, k)")],
  [("sign", r"\frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}} + \mathbb{1}(i = k)", "exp(o[i])/S(lambda j: exp(o[j]), 1, K) + ind(i, k)"),
   ("index", r"\frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}} - \mathbb{1}(i = k)", "exp(o[k])/S(lambda j: exp(o[j]), 1, K) - ind(i, k)")],
  vec="o", idx={"i": "K", "k": "K"})
F("derivative", r"\frac{\partial}{\partial o_i} \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}", f"D('{SMX_PY}', 'o', i)",
  [(r"\frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}\left(\mathbb{1}(i = k) - \frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}}\right)",
    SMX_PY + "*(ind(i, k) - exp(o[i])/S(lambda j: exp(o[j]), 1, K))")],
  [("missing-factor", r"\frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}\left(1 - \frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}}\right)",
    SMX_PY + "*(1 - exp(o[i])/S(lambda j: exp(o[j]), 1, K))"),
   ("sign", r"\frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}\left(\mathbb{1}(i = k) + \frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}}\right)",
    SMX_PY + "*(ind(i, k) + exp(o[i])/S(lambda j: exp(o[j]), 1, K))")],
  vec="o", idx={"i": "K", "k": "K"})
F("derivative", r"\frac{\partial}{\partial o_k} \frac{e^{o_k}}{\sum_{j} e^{o_j}}", f"D('{SMX_PY}', 'o', k)",
  [(r"\frac{e^{o_k}}{\sum_{j} e^{o_j}} - \left(\frac{e^{o_k}}{\sum_{j} e^{o_j}}\right)^2", SMX_PY + " - (" + SMX_PY + ")**2")],
  [("exponent", r"\frac{e^{o_k}}{\sum_{j} e^{o_j}} - \frac{e^{o_k}}{\sum_{j} e^{o_j}}", "0"),
   ("missing-term", r"\frac{e^{o_k}}{\sum_{j} e^{o_j}}", SMX_PY)],
  vec="o", idx={"k": "K"})
F("derivative", r"\frac{\partial}{\partial o_k} \log \sum_{j=1}^{K} e^{o_j}", f"D('{LSE_PY}', 'o', k)",
  [(SMX, SMX_PY), (r"\exp\left(o_k - \log\sum_{j=1}^{K} e^{o_j}\right)", "exp(o[k] - " + LSE_PY + ")")],
  [("missing-factor", r"\frac{1}{\sum_{j=1}^{K} e^{o_j}}", "1/S(lambda j: exp(o[j]), 1, K)"),
   ("log-kept", r"\frac{e^{o_k}}{\log \sum_{j=1}^{K} e^{o_j}}", "exp(o[k])/" + LSE_PY),
   ("sign", r"-\frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}", "-" + SMX_PY)],
  vec="o", idx={"k": "K"})
F("derivative", r"\frac{d}{dx}\log(1+e^{x})", "D('log(1+exp(x))', 'x')",
  [(r"\frac{1}{1+e^{-x}}", "1/(1+exp(-x))")],
  [("exponent-sign", r"\frac{1}{1+e^{x}}", "1/(1+exp(x))"), ("exponent-sign", r"\frac{e^{x}}{1+e^{-x}}", "exp(x)/(1+exp(-x))"),
   ("log-kept", r"\log\frac{1}{1+e^{-x}}", "log(1/(1+exp(-x)))")])
F("derivative", r"\frac{d}{dx} x^{3}", "D('x**3', 'x')",
  [(r"3x^{2}", "3*x**2")],
  [("exponent", r"3x^{3}", "3*x**3"), ("exponent", r"3x", "3*x")])
F("derivative", r"\frac{d}{dx} e^{2x}", "D('exp(2*x)', 'x')",
  [(r"2e^{2x}", "2*exp(2*x)")],
  [("missing-factor", r"e^{2x}", "exp(2*x)"), ("exponent", r"2e^{x}", "2*exp(x)")])
F("derivative", r"\frac{d}{dx} \log(1 + x^2)", "D('log(1+x**2)', 'x')",
  [(r"\frac{2x}{1+x^2}", "2*x/(1+x**2)")],
  [("missing-factor", r"\frac{1}{1+x^2}", "1/(1+x**2)"), ("exponent", r"\frac{2x}{(1+x^2)^2}", "2*x/(1+x**2)**2"),
   ("missing-factor", r"\frac{x}{1+x^2}", "x/(1+x**2)")])
F("derivative", r"\frac{\partial}{\partial w}(y - wx)^2", "D('(y-w*x)**2', 'w')",
  [(r"-2x(y - wx)", "-2*x*(y-w*x)"), (r"2x(wx - y)", "2*x*(w*x-y)")],
  [("sign", r"2x(y - wx)", "2*x*(y-w*x)"), ("missing-factor", r"-2(y-wx)", "-2*(y-w*x)"),
   ("exponent", r"-2x(y-wx)^2", "-2*x*(y-w*x)**2")])
F("derivative", r"\frac{\partial}{\partial w} \log(1 + e^{-y w x})", "D('log(1+exp(-y*w*x))', 'w')",
  [(r"\frac{-y x}{1 + e^{y w x}}", "-y*x/(1+exp(y*w*x))"), (r"-\frac{yx e^{-ywx}}{1+e^{-ywx}}", "-y*x*exp(-y*w*x)/(1+exp(-y*w*x))")],
  [("exponent-sign", r"\frac{-yx}{1+e^{-ywx}}", "-y*x/(1+exp(-y*w*x))"), ("sign", r"\frac{yx}{1+e^{ywx}}", "y*x/(1+exp(y*w*x))")])
F("derivative", r"\frac{d}{dx} \frac{x}{1+x}", "D('x/(1+x)', 'x')",
  [(r"\frac{1}{(1+x)^2}", "1/(1+x)**2")],
  [("exponent", r"\frac{1}{1+x}", "1/(1+x)"), ("sign", r"\frac{-1}{(1+x)^2}", "-1/(1+x)**2"), ("wrong-rule", r"\frac{x}{(1+x)^2}", "x/(1+x)**2")])
F("derivative", r"\frac{d}{dx} e^{-x^2}", "D('exp(-x**2)', 'x')",
  [(r"-2xe^{-x^2}", "-2*x*exp(-x**2)")],
  [("sign", r"2xe^{-x^2}", "2*x*exp(-x**2)"), ("missing-factor", r"-2e^{-x^2}", "-2*exp(-x**2)"),
   ("missing-factor", r"-x e^{-x^2}", "-x*exp(-x**2)")])
F("derivative", r"\frac{d}{dx} \sqrt{x}", "D('sqrt(x)', 'x')",
  [(r"\frac{1}{2\sqrt{x}}", "1/(2*sqrt(x))")],
  [("missing-factor", r"\frac{1}{\sqrt{x}}", "1/sqrt(x)"), ("wrong-rule", r"\frac{\sqrt{x}}{2}", "sqrt(x)/2")], dom={"x": POS})
F("derivative", r"\frac{\partial}{\partial x} x \log x", "D('x*log(x)', 'x')",
  [(r"\log x + 1", "log(x) + 1")],
  [("missing-term", r"\log x", "log(x)"), ("wrong-rule", r"\frac{1}{x}", "1/x")], dom={"x": POS})
F("derivative", r"\frac{\partial}{\partial p}\left(p\log p + (1-p)\log(1-p)\right)", "D('p*log(p) + (1-p)*log(1-p)', 'p')",
  [(r"\log\frac{p}{1-p}", "log(p/(1-p))"), (r"\log p - \log(1-p)", "log(p) - log(1-p)")],
  [("sign", r"\log p + \log(1-p)", "log(p) + log(1-p)"), ("swap", r"\log\frac{1-p}{p}", "log((1-p)/p)"),
   ("sign", r"\log p - \log(1-p) + 2", "log(p) - log(1-p) + 2")],
  dom={"p": PROB})
TANH = r"\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}"
TANH_PY = "(exp(z)-exp(-z))/(exp(z)+exp(-z))"
F("derivative", r"\frac{d}{dz}" + TANH, f"D('{TANH_PY}', 'z')",
  [(r"1 - \left(" + TANH + r"\right)^2", f"1 - ({TANH_PY})**2"), (r"\frac{4}{(e^{z}+e^{-z})^2}", "4/(exp(z)+exp(-z))**2")],
  [("sign", r"1 + \left(" + TANH + r"\right)^2", f"1 + ({TANH_PY})**2"), ("exponent", r"1 - " + TANH, f"1 - {TANH_PY}"),
   ("missing-factor", r"\frac{2}{(e^{z}+e^{-z})^2}", "2/(exp(z)+exp(-z))**2")])
F("derivative", r"\frac{d^{2}}{dx^{2}} x^{4}", "D('x**4', 'x', n=2)",
  [(r"12x^{2}", "12*x**2")],
  [("order", r"4x^{3}", "4*x**3"), ("exponent", r"12x^{3}", "12*x**3")])
F("derivative", r"\frac{\partial}{\partial w_k} \sum_{j=1}^{K} w_j x_j", "D('S(lambda j: w[j]*x[j], 1, K)', 'w', k)",
  [(r"x_k", "x[k]")],
  [("swap", r"w_k", "w[k]"), ("wrong-rule", r"\sum_{j=1}^{K} x_j", "S(lambda j: x[j], 1, K)")],
  vec="w x", idx={"k": "K"})
F("derivative", r"\frac{\partial}{\partial w_k}\frac{\lambda}{2}\sum_{j=1}^{K} w_j^2", "D('lam/2*S(lambda j: w[j]**2, 1, K)', 'w', k)",
  [(r"\lambda w_k", "lam*w[k]")],
  [("missing-factor", r"\frac{\lambda}{2} w_k", "lam/2*w[k]"), ("exponent", r"\lambda w_k^2", "lam*w[k]**2")],
  vec="w", idx={"k": "K"})
F("derivative", r"\frac{\partial}{\partial x_k}\sum_{i=1}^{N} x_i^2", "D('S(lambda i: x[i]**2, 1, N)', 'x', k)",
  [(r"2x_k", "2*x[k]")],
  [("wrong-rule", r"2\sum_{i=1}^{N} x_i", "2*S(lambda i: x[i], 1, N)"), ("exponent", r"x_k^2", "x[k]**2")],
  vec="x", idx={"k": "N"})
F("derivative", r"\frac{\partial}{\partial a}\left(\frac{1}{2}(a - t)^2\right)", "D('(a-t)**2/2', 'a')",
  [(r"a - t", "a - t")],
  [("sign", r"t - a", "t - a"), ("extra-factor", r"2(a-t)", "2*(a-t)")])
F("derivative", r"\frac{\partial}{\partial b}\frac{1}{N}\sum_{i=1}^{N}(y_i - w x_i - b)^2", "D('S(lambda i: (y[i]-w*x[i]-b)**2, 1, N)/N', 'b')",
  [(r"-\frac{2}{N}\sum_{i=1}^{N}(y_i - w x_i - b)", "-2*S(lambda i: y[i]-w*x[i]-b, 1, N)/N")],
  [("sign", r"\frac{2}{N}\sum_{i=1}^{N}(y_i - w x_i - b)", "2*S(lambda i: y[i]-w*x[i]-b, 1, N)/N"),
   ("missing-factor", r"-\frac{1}{N}\sum_{i=1}^{N}(y_i - w x_i - b)", "-S(lambda i: y[i]-w*x[i]-b, 1, N)/N"),
   ("wrong-variable", r"-\frac{2}{N}\sum_{i=1}^{N} x_i(y_i - w x_i - b)", "-2*S(lambda i: x[i]*(y[i]-w*x[i]-b), 1, N)/N")],
  vec="x y")
F("derivative", r"\frac{\partial}{\partial w}\frac{1}{N}\sum_{i=1}^{N}(y_i - w x_i - b)^2", "D('S(lambda i: (y[i]-w*x[i]-b)**2, 1, N)/N', 'w')",
  [(r"-\frac{2}{N}\sum_{i=1}^{N} x_i(y_i - w x_i - b)", "-2*S(lambda i: x[i]*(y[i]-w*x[i]-b), 1, N)/N")],
  [("missing-factor", r"-\frac{2}{N}\sum_{i=1}^{N}(y_i - w x_i - b)", "-2*S(lambda i: y[i]-w*x[i]-b, 1, N)/N"),
   ("sign", r"\frac{2}{N}\sum_{i=1}^{N} x_i(y_i - w x_i - b)", "2*S(lambda i: x[i]*(y[i]-w*x[i]-b), 1, N)/N"),
   ("wrong-variable", r"-\frac{2}{N}\sum_{i=1}^{N} w(y_i - w x_i - b)", "-2*S(lambda i: w*(y[i]-w*x[i]-b), 1, N)/N")],
  vec="x y")
F("derivative", r"\frac{\partial}{\partial \mu} \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2",
  "D('S(lambda i: (x[i]-mu)**2, 1, N)/(2*sigma**2)', 'mu')",
  [(r"-\frac{1}{\sigma^2}\sum_{i=1}^{N}(x_i-\mu)", "-S(lambda i: x[i]-mu, 1, N)/sigma**2"),
   (r"\frac{N\mu - \sum_{i=1}^{N} x_i}{\sigma^2}", "(N*mu - S(lambda i: x[i], 1, N))/sigma**2")],
  [("sign", r"\frac{1}{\sigma^2}\sum_{i=1}^{N}(x_i-\mu)", "S(lambda i: x[i]-mu, 1, N)/sigma**2"),
   ("missing-factor", r"-\frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)", "-S(lambda i: x[i]-mu, 1, N)/(2*sigma**2)"),
   ("missing-factor", r"\frac{\mu - \sum_{i=1}^{N} x_i}{\sigma^2}", "(mu - S(lambda i: x[i], 1, N))/sigma**2")],
  vec="x", dom={"sigma": POS})
F("derivative", r"\frac{\partial}{\partial \sigma}\left(N\log\sigma + \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2\right)",
  "D('N*log(sigma) + S(lambda i: (x[i]-mu)**2, 1, N)/(2*sigma**2)', 'sigma')",
  [(r"\frac{N}{\sigma} - \frac{1}{\sigma^3}\sum_{i=1}^{N}(x_i-\mu)^2", "N/sigma - S(lambda i: (x[i]-mu)**2, 1, N)/sigma**3")],
  [("sign", r"\frac{N}{\sigma} + \frac{1}{\sigma^3}\sum_{i=1}^{N}(x_i-\mu)^2", "N/sigma + S(lambda i: (x[i]-mu)**2, 1, N)/sigma**3"),
   ("extra-factor", r"\frac{N}{\sigma} - \frac{1}{2\sigma^3}\sum_{i=1}^{N}(x_i-\mu)^2", "N/sigma - S(lambda i: (x[i]-mu)**2, 1, N)/(2*sigma**3)"),
   ("exponent", r"\frac{N}{\sigma} - \frac{1}{\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2", "N/sigma - S(lambda i: (x[i]-mu)**2, 1, N)/sigma**2")],
  vec="x", dom={"sigma": POS})
F("derivative", r"\frac{\partial}{\partial w}\left(\sum_{i=1}^{N}(y_i - w x_i)^2 + \lambda w^2\right)",
  "D('S(lambda i: (y[i]-w*x[i])**2, 1, N) + lam*w**2', 'w')",
  [(r"-2\sum_{i=1}^{N} x_i(y_i - w x_i) + 2\lambda w", "-2*S(lambda i: x[i]*(y[i]-w*x[i]), 1, N) + 2*lam*w")],
  [("sign", r"-2\sum_{i=1}^{N} x_i(y_i - w x_i) - 2\lambda w", "-2*S(lambda i: x[i]*(y[i]-w*x[i]), 1, N) - 2*lam*w"),
   ("missing-factor", r"-2\sum_{i=1}^{N} x_i(y_i - w x_i) + \lambda w", "-2*S(lambda i: x[i]*(y[i]-w*x[i]), 1, N) + lam*w"),
   ("missing-factor", r"-2\sum_{i=1}^{N}(y_i - w x_i) + 2\lambda w", "-2*S(lambda i: y[i]-w*x[i], 1, N) + 2*lam*w")],
  vec="x y")
F("derivative", r"\frac{\partial}{\partial w}\sum_{i=1}^{N}\left(\log(1+e^{w x_i}) - y_i w x_i\right)",
  "D('S(lambda i: log(1+exp(w*x[i])) - y[i]*w*x[i], 1, N)', 'w')",
  [(r"\sum_{i=1}^{N}\left(\frac{1}{1+e^{-w x_i}} - y_i\right)x_i", "S(lambda i: (1/(1+exp(-w*x[i])) - y[i])*x[i], 1, N)")],
  [("missing-factor", r"\sum_{i=1}^{N}\left(\frac{1}{1+e^{-w x_i}} - y_i\right)", "S(lambda i: 1/(1+exp(-w*x[i])) - y[i], 1, N)"),
   ("sign", r"\sum_{i=1}^{N}\left(y_i - \frac{1}{1+e^{-w x_i}}\right)x_i", "S(lambda i: (y[i] - 1/(1+exp(-w*x[i])))*x[i], 1, N)"),
   ("exponent-sign", r"\sum_{i=1}^{N}\left(\frac{1}{1+e^{w x_i}} - y_i\right)x_i", "S(lambda i: (1/(1+exp(w*x[i])) - y[i])*x[i], 1, N)")],
  vec="x y")
F("derivative", r"\frac{d}{dx}\left(x e^{x}\right)", "D('x*exp(x)', 'x')",
  [(r"(1+x)e^{x}", "(1+x)*exp(x)"), (r"e^{x} + x e^{x}", "exp(x) + x*exp(x)")],
  [("missing-term", r"x e^{x}", "x*exp(x)"), ("sign", r"(1-x)e^{x}", "(1-x)*exp(x)")])
F("derivative", r"\frac{d}{dx}\log\frac{1}{x}", "D('log(1/x)', 'x')",
  [(r"-\frac{1}{x}", "-1/x")],
  [("sign", r"\frac{1}{x}", "1/x"), ("wrong-rule", r"x", "x")], dom={"x": POS})
F("derivative", r"\frac{\partial}{\partial \theta} \log\left(\theta^{k}(1-\theta)^{n-k}\right)", "D('log(theta**k*(1-theta)**(n-k))', 'theta')",
  [(r"\frac{k}{\theta} - \frac{n-k}{1-\theta}", "k/theta - (n-k)/(1-theta)")],
  [("sign", r"\frac{k}{\theta} + \frac{n-k}{1-\theta}", "k/theta + (n-k)/(1-theta)"),
   ("missing-term", r"\frac{k}{\theta} - \frac{n}{1-\theta}", "k/theta - n/(1-theta)")],
  dom={"theta": PROB})
F("derivative", r"\frac{\partial}{\partial a} e^{a b}", "D('exp(a*b)', 'a')",
  [(r"b e^{ab}", "b*exp(a*b)")],
  [("swap", r"a e^{ab}", "a*exp(a*b)"), ("missing-factor", r"e^{ab}", "exp(a*b)")])
F("derivative", r"\frac{d}{dt}\left(1 - e^{-\lambda t}\right)", "D('1 - exp(-lam*t)', 't')",
  [(r"\lambda e^{-\lambda t}", "lam*exp(-lam*t)")],
  [("sign", r"-\lambda e^{-\lambda t}", "-lam*exp(-lam*t)"), ("missing-factor", r"e^{-\lambda t}", "exp(-lam*t)")])
F("derivative", r"\frac{d}{dx}(1-x)^{n}", "D('(1-x)**n', 'x')",
  [(r"-n(1-x)^{n-1}", "-n*(1-x)**(n-1)")],
  [("sign", r"n(1-x)^{n-1}", "n*(1-x)**(n-1)"), ("exponent", r"-n(1-x)^{n}", "-n*(1-x)**n")], dom={"x": PROB})
F("derivative", r"\frac{\partial}{\partial o_i}\left(-\sum_{k=1}^{K} y_k o_k + \left(\sum_{k=1}^{K} y_k\right)\log\sum_{j=1}^{K} e^{o_j}\right)",
  "D('-S(lambda k: y[k]*o[k], 1, K) + S(lambda k: y[k], 1, K)*log(S(lambda j: exp(o[j]), 1, K))', 'o', i)",
  [(r"-y_i + \left(\sum_{k=1}^{K} y_k\right)\frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}}",
    "-y[i] + S(lambda k: y[k], 1, K)*exp(o[i])/S(lambda j: exp(o[j]), 1, K)")],
  [("sign", r"y_i - \left(\sum_{k=1}^{K} y_k\right)\frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}}",
    "y[i] - S(lambda k: y[k], 1, K)*exp(o[i])/S(lambda j: exp(o[j]), 1, K)"),
   ("needs-sum-to-one", r"-y_i + \frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}}", "-y[i] + exp(o[i])/S(lambda j: exp(o[j]), 1, K)")],
  vec="o y", idx={"i": "K"})


# ---------------------------------------------------------------- more equal forms, in other blog styles
MORE_EQUAL: dict[str, list[tuple]] = {
    r"\frac{1}{1+e^{-z}}": [(r"\frac{1}{1+\exp(-z)}", SIG)],
    r"\log \frac{1}{1+e^{-z}}": [(r"-\log\left(1+\exp(-z)\right)", "-log(1+exp(-z))")],
    r"\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}": [(r"\frac{e^{2z}-1}{e^{2z}+1}", "(exp(2*z)-1)/(exp(2*z)+1)")],
    r"\frac{1}{1+\exp(-(w x + b))}": [(r"\frac{1}{1+e^{-w x - b}}", "1/(1+exp(-w*x-b))")],
    r"\frac{1}{1+e^{-z}} + \frac{1}{1+e^{z}}": [(r"\frac{1}{1+e^{z}} + \frac{1}{1+e^{-z}}", "1/(1+exp(z)) + " + SIG, r"1", "1")],
    r"\frac{e^{x}}{e^{x}+e^{y}}": [(r"\frac{e^{x-y}}{e^{x-y}+1}", "exp(x-y)/(exp(x-y)+1)")],
    r"-\left(y \log p + (1-y) \log(1-p)\right)": [(r"-y\log p-\log(1-p)+y\log(1-p)", "-y*log(p) - log(1-p) + y*log(1-p)")],
    r"-y \log \frac{1}{1+e^{-z}} - (1-y) \log \left(1 - \frac{1}{1+e^{-z}}\right)":
        [(r"\log\left(1+e^{-z}\right) + z - y z", "log(1+exp(-z)) + z - y*z")],
    r"-p\log p - (1-p)\log(1-p)": [(r"-p\log p-\log(1-p)+p\log(1-p)", "-p*log(p) - log(1-p) + p*log(1-p)")],
    r"-\sum_{k=1}^{K} y_k \log p_k": [(r"-\left(\sum_{k=1}^{K-1} y_k\log p_k\right) - y_K\log p_K",
                                        "-S(lambda k: y[k]*log(p[k]), 1, K-1) - y[K]*log(p[K])")],
    r"-\log \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}": [(r"\log\sum_{j=1}^{K} e^{o_j - o_k}", "log(S(lambda j: exp(o[j]-o[k]), 1, K))")],
    CE_Y: [(r"\sum_{k=1}^{K} y_k\left(\log\sum_{j=1}^{K} e^{o_j} - o_k\right)", "S(lambda k: y[k]*(" + LSE_PY + " - o[k]), 1, K)")],
    BCE_N: [(r"\frac{1}{N}\sum_{i=1}^{N}\left(-y_i\log p_i - (1-y_i)\log(1-p_i)\right)",
             "S(lambda i: -y[i]*log(p[i]) - (1-y[i])*log(1-p[i]), 1, N)/N")],
    r"\sum_{k=1}^{K} p_k \log\frac{p_k}{q_k}": [(r"-\sum_{k=1}^{K} p_k\log\frac{q_k}{p_k}", "-S(lambda k: p[k]*log(q[k]/p[k]), 1, K)")],
    r"-\log\left(\lambda^{y} e^{-\lambda}\right)": [(r"\lambda - \log\left(\lambda^{y}\right)", "lam - log(lam**y)")],
    r"\exp\left(-\frac{1}{N}\sum_{i=1}^{N}\log p_i\right)": [(r"\exp\left(-\frac{1}{N}\log\prod_{i=1}^{N} p_i\right)",
                                                             "exp(-log(P(lambda i: p[i], 1, N))/N)")],
    r"\frac{e^{o_k / \tau}}{\sum_{j=1}^{K} e^{o_j / \tau}}": [(r"\frac{e^{(o_k - m)/\tau}}{\sum_{j=1}^{K} e^{(o_j - m)/\tau}}",
                                                             "exp((o[k]-m)/tau)/S(lambda j: exp((o[j]-m)/tau), 1, K)")],
    r"\log \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}": [(r"o_k - m - \log\sum_{j=1}^{K} e^{o_j - m}",
                                                     "o[k] - m - log(S(lambda j: exp(o[j]-m), 1, K))")],
    r"\sum_{k=1}^{K} \frac{e^{o_k}}{\sum_{j=1}^{K} e^{o_j}}": [(r"\sum_{k=1}^{K} \frac{\exp(o_k)}{\sum_{j=1}^{K}\exp(o_j)}",
                                                              "S(lambda k: " + SMX_PY + ", 1, K)", r"1", "1")],
    r"\log\sum_{j=1}^{K} e^{o_j + c}": [(r"\log\left(e^{c}\sum_{j=1}^{K} e^{o_j}\right)", "log(exp(c)*S(lambda j: exp(o[j]), 1, K))")],
    r"\log(1+e^{x})": [(r"\log(e^{x}+1)", "log(exp(x)+1)"),
                       (r"-\log\left(1 - \frac{1}{1+e^{-x}}\right)", "-log(1 - 1/(1+exp(-x)))")],
    r"\log\left(\frac{1}{N}\sum_{i=1}^{N} e^{x_i}\right)": [(r"\log\sum_{i=1}^{N} e^{x_i - \log N}", "log(S(lambda i: exp(x[i]-log(N)), 1, N))")],
    r"\log(ab)": [(r"\log b + \log a", "log(b) + log(a)")],
    r"\log\left(x^{3}\right)": [(r"\log x + 2\log x", "log(x) + 2*log(x)")],
    r"\log \prod_{i=1}^{N} p_i": [(r"\log p_1 + \sum_{i=2}^{N} \log p_i", "log(p[1]) + S(lambda i: log(p[i]), 2, N)")],
    r"\log\left(e^{x} \cdot e^{y}\right)": [(r"\log e^{x+y}", "log(exp(x+y))")],
    r"e^{2\log x}": [(r"\left(e^{\log x}\right)^{2}", "exp(log(x))**2")],
    r"\exp(-\log p)": [(r"p^{-1}", "p**(-1)")],
    r"-\log\left(\frac{1}{\sqrt{2\pi\sigma^2}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}\right)":
        [(r"\frac{(x-\mu)^2}{2\sigma^2} + \frac{1}{2}\log(2\pi) + \frac{1}{2}\log\left(\sigma^2\right)",
          "(x-mu)**2/(2*sigma**2) + log(2*pi)/2 + log(sigma**2)/2")],
    r"-\sum_{i=1}^{N} \log\left(\frac{1}{\sqrt{2\pi}\sigma} e^{-\frac{(x_i-\mu)^2}{2\sigma^2}}\right)":
        [(r"\frac{N}{2}\log(2\pi\sigma^2) + \sum_{i=1}^{N}\frac{(x_i-\mu)^2}{2\sigma^2}",
          "N*log(2*pi*sigma**2)/2 + S(lambda i: (x[i]-mu)**2/(2*sigma**2), 1, N)")],
    r"\exp(a+b)": [(r"\exp(a)\exp(b)", "exp(a)*exp(b)")],
    r"e^{a-b}": [(r"e^{a} e^{-b}", "exp(a)*exp(-b)")],
    r"\left(e^{x}\right)^{2}": [(r"e^{x} \cdot e^{x}", "exp(x)*exp(x)")],
    r"\prod_{i=1}^{N} e^{x_i}": [(r"e^{\sum_{i=1}^{N} x_i}", "exp(S(lambda i: x[i], 1, N))")],
    r"e^{-\frac{x^2}{2}} \cdot e^{-\frac{y^2}{2}}": [(r"e^{-\frac{1}{2}(x^2+y^2)}", "exp(-(x**2+y**2)/2)")],
    r"\frac{e^{x} - e^{-x}}{2}": [(r"\frac{1 - e^{-2x}}{2e^{-x}}", "(1-exp(-2*x))/(2*exp(-x))")],
    r"(a+b)^2": [(r"a(a+b) + b(a+b)", "a*(a+b) + b*(a+b)")],
    r"x^{a} x^{b}": [(r"e^{(a+b)\log x}", "exp((a+b)*log(x))")],
    r"\frac{x^{a}}{x^{b}}": [(r"x^{a} x^{-b}", "x**a*x**(-b)")],
    r"\left(x^{2}\right)^{3}": [(r"x^{2} \cdot x^{4}", "x**2*x**4")],
    r"\frac{1}{\sqrt{x}}": [(r"\frac{\sqrt{x}}{x}", "sqrt(x)/x")],
    r"(1-p)^2 - p^2": [(r"(1-p-p)(1-p+p)", "(1-p-p)*(1-p+p)")],
    r"p(1-p)": [(r"\frac{1}{4} - \left(p - \frac{1}{2}\right)^2", "mpf(1)/4 - (p - mpf(1)/2)**2")],
    r"(a+b)^3": [(r"(a+b)(a+b)^2", "(a+b)*(a+b)**2")],
    r"\frac{1}{a} + \frac{1}{b}": [(r"\frac{1}{a}\left(1 + \frac{a}{b}\right)", "(1 + a/b)/a")],
    r"\frac{a}{b} \cdot \frac{c}{d}": [(r"\frac{a}{d}\cdot\frac{c}{b}", "a/d*c/b")],
    r"\frac{\frac{a}{b}}{\frac{c}{d}}": [(r"\frac{a}{b}\cdot\frac{d}{c}", "a/b*d/c")],
    r"\frac{p}{1-p}": [(r"\frac{1}{\frac{1}{p} - 1}", "1/(1/p - 1)")],
    r"\frac{x^2 - 1}{x - 1}": [(r"\frac{(x-1)(x+1)}{x-1}", "(x-1)*(x+1)/(x-1)")],
    r"\frac{a}{b} - \frac{c}{d}": [(r"\frac{ad}{bd} - \frac{bc}{bd}", "a*d/(b*d) - b*c/(b*d)")],
    r"\frac{1}{N}\sum_{i=1}^{N}(x_i-\mu)^2": [(r"\frac{1}{N}\sum_{i=1}^{N}\left(x_i^2 - 2\mu x_i + \mu^2\right)",
                                              "S(lambda i: x[i]**2 - 2*mu*x[i] + mu**2, 1, N)/N")],
    r"\sum_{i=1}^{N} (a x_i + b)": [(r"N b + a \sum_{i=1}^{N} x_i", "N*b + a*S(lambda i: x[i], 1, N)")],
    r"\sum_{i=1}^{N} i": [(r"\frac{N^2 + N}{2}", "(N**2 + N)/mpf(2)")],
    r"\sum_{i=1}^{N} c x_i": [(r"\sum_{i=1}^{N} x_i c", "S(lambda i: x[i]*c, 1, N)")],
    r"\sum_{i=1}^{N} (x_i + y_i)^2": [(r"\sum_{i=1}^{N}\left(x_i^2 + 2x_i y_i + y_i^2\right)", "S(lambda i: x[i]**2 + 2*x[i]*y[i] + y[i]**2, 1, N)")],
    r"\sum_{i=1}^{N}(x_i - \mu)": [(r"\sum_{i=1}^{N} x_i - \sum_{i=1}^{N}\mu", "S(lambda i: x[i], 1, N) - S(lambda i: mu, 1, N)")],
    VAR_M: [(r"\frac{1}{N^2}\sum_{i=1}^{N}\sum_{j=1}^{N} \frac{(x_i - x_j)^2}{2}",
             "S(lambda i: S(lambda j: (x[i]-x[j])**2/2, 1, N), 1, N)/N**2")],
    r"\sum_{t=0}^{T-1} \gamma^{t}": [(r"\frac{\gamma^{T} - 1}{\gamma - 1}", "(gamma**T - 1)/(gamma - 1)")],
    r"\sum_{t=0}^{T} \gamma^{t} r_t": [(r"\sum_{t=0}^{T-1}\gamma^{t} r_t + \gamma^{T} r_T", "S(lambda t: gamma**t*r[t], 0, T-1) + gamma**T*r[T]")],
    r"\sum_{j=1}^{K} \left(w_j - v_j\right)^2": [(r"\sum_{j=1}^{K}\left(v_j - w_j\right)^2", "S(lambda j: (v[j]-w[j])**2, 1, K)")],
    r"\prod_{i=1}^{N} p^{y_i}(1-p)^{1-y_i}": [(r"\prod_{i=1}^{N} p^{y_i} \cdot \prod_{i=1}^{N}(1-p)^{1-y_i}",
                                              "P(lambda i: p**y[i], 1, N)*P(lambda i: (1-p)**(1-y[i]), 1, N)")],
    r"\prod_{i=1}^{N} \frac{x_i}{y_i}": [(r"\prod_{i=1}^{N} x_i \prod_{i=1}^{N} \frac{1}{y_i}", "P(lambda i: x[i], 1, N)*P(lambda i: 1/y[i], 1, N)")],
    r"\prod_{i=1}^{N} \frac{1}{\sqrt{2\pi}} e^{-\frac{x_i^2}{2}}": [(r"\frac{1}{(2\pi)^{N/2}} e^{-\frac{1}{2}\sum_{i=1}^{N} x_i^2}",
                                                                    "exp(-S(lambda i: x[i]**2, 1, N)/2)/(2*pi)**(mpf(N)/2)")],
    r"\prod_{i=1}^{N} x_i^{2}": [(r"\prod_{i=1}^{N} x_i \cdot \prod_{i=1}^{N} x_i", "P(lambda i: x[i], 1, N)**2")],
    r"\frac{d}{dz} \frac{1}{1+e^{-z}}": [(r"\frac{e^{z}}{(1+e^{z})^2}", "exp(z)/(1+exp(z))**2")],
    r"\frac{\partial}{\partial z} \log \frac{1}{1+e^{-z}}": [(r"\frac{1}{1+e^{z}}", "1/(1+exp(z))")],
    r"\frac{\partial}{\partial p}\left(-y\log p - (1-y)\log(1-p)\right)": [(r"\frac{1-y}{1-p} - \frac{y}{p}", "(1-y)/(1-p) - y/p")],
    r"\frac{\partial}{\partial o_k} \frac{e^{o_k}}{\sum_{j} e^{o_j}}": [
        (r"\frac{e^{o_k}}{\sum_{j} e^{o_j}}\left(1 - \frac{e^{o_k}}{\sum_{j} e^{o_j}}\right)", SMX_PY + "*(1 - " + SMX_PY + ")")],
    r"\frac{d}{dx}\log(1+e^{x})": [(r"\frac{e^{x}}{1+e^{x}}", "exp(x)/(1+exp(x))")],
    r"\frac{d}{dx} x^{3}": [(r"x^{2} + 2x^{2}", "x**2 + 2*x**2")],
    r"\frac{d}{dx} e^{2x}": [(r"2\exp(2x)", "2*exp(2*x)")],
    r"\frac{d}{dx} \log(1 + x^2)": [(r"\frac{2x}{x^2+1}", "2*x/(x**2+1)")],
    r"\frac{d}{dx} \frac{x}{1+x}": [(r"\frac{1}{1+x} - \frac{x}{(1+x)^2}", "1/(1+x) - x/(1+x)**2")],
    r"\frac{d}{dx} e^{-x^2}": [(r"-2x\exp(-x^2)", "-2*x*exp(-x**2)")],
    r"\frac{d}{dx} \sqrt{x}": [(r"\frac{1}{2}x^{-\frac{1}{2}}", "x**(-mpf(1)/2)/2")],
    r"\frac{\partial}{\partial x} x \log x": [(r"1 + \log x", "1 + log(x)")],
    r"\frac{d^{2}}{dx^{2}} x^{4}": [(r"3 \cdot 4 x^{2}", "3*4*x**2")],
    r"\frac{\partial}{\partial w_k}\frac{\lambda}{2}\sum_{j=1}^{K} w_j^2": [(r"\lambda \cdot w_k", "lam*w[k]")],
    r"\frac{\partial}{\partial x_k}\sum_{i=1}^{N} x_i^2": [(r"x_k + x_k", "x[k] + x[k]")],
    r"\frac{\partial}{\partial a}\left(\frac{1}{2}(a - t)^2\right)": [(r"-(t-a)", "-(t-a)")],
    r"\frac{\partial}{\partial b}\frac{1}{N}\sum_{i=1}^{N}(y_i - w x_i - b)^2": [
        (r"\frac{2}{N}\sum_{i=1}^{N}(w x_i + b - y_i)", "2*S(lambda i: w*x[i]+b-y[i], 1, N)/N")],
    r"\frac{\partial}{\partial w}\frac{1}{N}\sum_{i=1}^{N}(y_i - w x_i - b)^2": [
        (r"\frac{2}{N}\sum_{i=1}^{N} x_i(w x_i + b - y_i)", "2*S(lambda i: x[i]*(w*x[i]+b-y[i]), 1, N)/N")],
    r"\frac{\partial}{\partial \sigma}\left(N\log\sigma + \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2\right)": [
        (r"\frac{N}{\sigma} - \frac{\sum_{i=1}^{N}(x_i-\mu)^2}{\sigma^3}", "N/sigma - S(lambda i: (x[i]-mu)**2, 1, N)/sigma**3")],
    r"\frac{\partial}{\partial w}\left(\sum_{i=1}^{N}(y_i - w x_i)^2 + \lambda w^2\right)": [
        (r"2\sum_{i=1}^{N} x_i(w x_i - y_i) + 2\lambda w", "2*S(lambda i: x[i]*(w*x[i]-y[i]), 1, N) + 2*lam*w")],
    r"\frac{\partial}{\partial w}\sum_{i=1}^{N}\left(\log(1+e^{w x_i}) - y_i w x_i\right)": [
        (r"\sum_{i=1}^{N} x_i\left(\frac{e^{w x_i}}{1+e^{w x_i}} - y_i\right)", "S(lambda i: x[i]*(exp(w*x[i])/(1+exp(w*x[i])) - y[i]), 1, N)")],
    r"\frac{d}{dx}\log\frac{1}{x}": [(r"-x^{-1}", "-x**(-1)")],
    r"\frac{\partial}{\partial \theta} \log\left(\theta^{k}(1-\theta)^{n-k}\right)": [
        (r"\frac{k - n\theta}{\theta(1-\theta)}", "(k - n*theta)/(theta*(1-theta))")],
    r"\frac{\partial}{\partial a} e^{a b}": [(r"b\exp(ab)", "b*exp(a*b)")],
    r"\frac{d}{dt}\left(1 - e^{-\lambda t}\right)": [(r"\frac{\lambda}{e^{\lambda t}}", "lam/exp(lam*t)")],
    r"\frac{d}{dx}(1-x)^{n}": [(r"\frac{-n(1-x)^{n}}{1-x}", "-n*(1-x)**n/(1-x)")],
    r"\frac{\partial}{\partial o_i}\left(-\sum_{k=1}^{K} y_k o_k + \left(\sum_{k=1}^{K} y_k\right)\log\sum_{j=1}^{K} e^{o_j}\right)": [
        (r"\left(\sum_{k=1}^{K} y_k\right)\frac{e^{o_i}}{\sum_{j=1}^{K} e^{o_j}} - y_i",
         "S(lambda k: y[k], 1, K)*exp(o[i])/S(lambda j: exp(o[j]), 1, K) - y[i]")],
}
_BY_LHS = {f.lhs: f for f in FAMILIES}
for _lhs, _forms in MORE_EQUAL.items():
    _BY_LHS[_lhs].equal.extend(_forms)


# ---------------------------------------------------------------- numeric truth
def _S(f, lo, hi):
    return mp.fsum(f(i) for i in range(int(lo), int(hi) + 1))


def _P(f, lo, hi):
    out = mp.mpf(1)
    for i in range(int(lo), int(hi) + 1):
        out *= f(i)
    return out


def _names(src: str) -> set[str]:
    tree = ast.parse(src, mode="eval")
    bound = {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda) for a in n.args.args}
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    out = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - bound
    for s in strings[:1]:  # the function differentiated by D(...)
        out |= _names(s)
    return out - HELPERS - {"mpf", "abs"}


class _Undefined(Exception):
    pass


def _rlog(x):
    if mp.im(x) != 0 or x <= 0:
        raise _Undefined
    return mp.log(x)


def _rsqrt(x):
    if mp.im(x) != 0 or x < 0:
        raise _Undefined
    return mp.sqrt(x)


def _rpow(a, b):
    """Real power: a negative base only with an integer exponent (no complex intermediates)."""
    if a < 0 and b != int(b):
        raise _Undefined
    if a == 0 and b < 0:
        raise _Undefined
    return mp.power(a, b)


class _Real(ast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.copy_location(ast.Call(ast.Name("_pow", ast.Load()), [node.left, node.right], []), node)
        return node


_CODE: dict[str, object] = {}


def _compiled(src: str):
    if src not in _CODE:
        tree = ast.fix_missing_locations(_Real().visit(ast.parse(src, mode="eval")))
        _CODE[src] = compile(tree, "<pair>", "eval")
    return _CODE[src]


def _evaluate(src: str, ns: dict) -> mp.mpf:
    try:
        v = eval(_compiled(src), ns)  # our own transcriptions below, never outside input
    except (ZeroDivisionError, ValueError, OverflowError):
        raise _Undefined from None
    v = mp.mpmathify(v)
    if isinstance(v, mp.mpc):
        if abs(v.imag) > mp.mpf(10) ** -25 * max(1, abs(v.real)):
            raise _Undefined
        v = v.real
    if not mp.isfinite(v):
        raise _Undefined
    return v


def _namespace(fam: Family, names: set[str], rnd: random.Random, box: dict | None) -> dict:
    ns: dict = {"exp": mp.exp, "log": _rlog, "sqrt": _rsqrt, "_pow": _rpow, "pi": mp.pi, "mpf": mp.mpf, "abs": abs,
                "S": _S, "P": _P, "ind": lambda a, b: 1 if a == b else 0}
    vecs = set(fam.vec.split())

    def draw(name: str):
        lo, hi = (box or {}).get(name, (-3.0, 3.0))
        return mp.mpf(rnd.uniform(lo, hi))

    for s in SIZES:
        ns[s] = rnd.randint(2, 5)
    for n in sorted(names):
        if n in SIZES or n in fam.idx:
            continue
        ns[n] = [draw(n) for _ in range(8)] if n in vecs else draw(n)
    for n, size in fam.idx.items():
        ns[n] = rnd.randint(1, ns[size])

    def D(src: str, var: str, k: int | None = None, n: int = 1):
        if k is None:
            return mp.diff(lambda t: _evaluate(src, {**ns, var: t}), ns[var], n)
        def f(t):
            v = list(ns[var])
            v[k] = t
            return _evaluate(src, {**ns, var: v})
        return mp.diff(f, ns[var][k], n)

    ns["D"] = D
    return ns


def _compare(fam: Family, lhs_py: str, rhs_py: str, box: dict | None, seed: str, points: int) -> tuple[int, int, int]:
    """(defined points, points where the sides differ at all, points where they differ clearly)."""
    names = _names(lhs_py) | _names(rhs_py)
    rnd = random.Random(seed)
    defined = differ = clearly = 0
    for _ in range(points):
        ns = _namespace(fam, names, rnd, box)
        try:
            a, b = _evaluate(lhs_py, ns), _evaluate(rhs_py, ns)
        except (_Undefined, TypeError):
            continue
        defined += 1
        gap, scale = abs(a - b), max(abs(a), abs(b))
        if gap > mp.mpf("1e-25") and gap > mp.mpf("1e-15") * scale:
            differ += 1
            clearly += gap > mp.mpf("1e-6") * scale
    return defined, differ, clearly


def _truth(fam: Family, lhs_py: str, rhs_py: str, claimed: bool, pid: str) -> None:
    usual = {k: v for k, v in fam.dom.items()}
    d, diff, clear = _compare(fam, lhs_py, rhs_py, usual, pid, 160)
    if claimed:
        if d < 20 or diff:
            raise AssertionError(f"{pid}: claimed equal, {diff} of {d} usual-domain points differ")
        d2, diff2, _ = _compare(fam, lhs_py, rhs_py, None, pid + "/wide", 200)
        if d2 >= 5 and diff2:
            raise AssertionError(f"{pid}: claimed equal, {diff2} of {d2} points of (-3, 3) differ")
    elif d < 20 or clear < 0.25 * d:
        raise AssertionError(f"{pid}: claimed unequal, only {clear} of {d} usual-domain points differ clearly")


def build() -> list[dict]:
    """All pairs, each checked numerically; raises on a pair whose stated truth does not hold."""
    mp.mp.dps = 40
    out: list[dict] = []
    for n, fam in enumerate(FAMILIES, 1):
        base = f"{fam.category}-{n:03d}"
        items = [(True, None, *(e if len(e) == 4 else (fam.lhs, fam.lhs_py, *e))) for e in fam.equal]
        items += [(False, u[0], *(u[1:] if len(u) == 5 else (fam.lhs, fam.lhs_py, *u[1:]))) for u in fam.unequal]
        ne = eq = 0
        for equal, typo, lhs, lhs_py, rhs, rhs_py in items:
            if equal:
                eq += 1
                pid = f"{base}-eq{eq}"
            else:
                ne += 1
                pid = f"{base}-ne{ne}"
            _truth(fam, lhs_py, rhs_py, equal, pid)
            out.append({"id": pid, "category": fam.category, "equal": equal, "typo": typo, "lhs": lhs, "rhs": rhs,
                        "domain": {k: list(v) for k, v in fam.dom.items()}})
    return out
