r"""Derivative operators written with a subscript: ``\partial_x f``, ``\nabla_{\mathbf x} f``,
``D_x f``, ``\partial_{o_j} l(\mathbf y, \hat{\mathbf y})``.

The fractions (``\frac{df}{dx_1}``, ``\frac{d^2 f}{dx_i dx_j}``) are the ``derivative-fraction``
construct of :mod:`.constructs`; this module reads the operator forms beside them.
"""

from __future__ import annotations

import re

from . import linalg
from .constructs import _VAR, Parse, Placeholders, _operand, construct, opaque_derivative

#: ``\partial_x``, ``\nabla_{\mathbf{x}}``, ``D_{x_i}``: the operator and its subscript
_OPERATOR = re.compile(r"(\\partial|\\nabla|(?<![A-Za-z\\])D)\s*_\s*"
                       r"(\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\[A-Za-z]+|[A-Za-z0-9])")
_VARIABLE = re.compile(r"\s*" + _VAR + r"\s*")


@construct("partial-subscript", before="indicator")
def partial_subscript(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\partial_x f``, ``\partial_{o_j} l(…)``, ``\nabla_{\mathbf{x}} f(\mathbf{x})``, ``D_x f``
    → ``Derivative(f, x)`` (by a vector: the gradient, per component), applied to the bracketed
    group after it, else to the rest of the term. A subscript that is no variable
    (``D_{\textrm{KL}}``, ``\nabla_{\mathbf{W}^{(l)}}``) is left alone."""
    out, i = [], 0
    for m in _OPERATOR.finditer(text):
        if m.start() < i:
            continue
        sub = m.group(2)
        var = sub[1:-1] if sub.startswith("{") else sub
        if not _VARIABLE.fullmatch(var):
            continue
        f_text, end = _operand(text, m.end())
        f_text = linalg._restore(f_text, ph)
        if not f_text.strip():
            continue
        out.append(text[i:m.start()])
        out.append(ph.new(opaque_derivative(parse(f_text), parse(linalg._restore(var, ph))), text[m.start():end]))
        i = end
    out.append(text[i:])
    return "".join(out)
