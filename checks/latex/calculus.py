r"""Derivative operators written with a subscript: ``\partial_x f``, ``\nabla_{\mathbf x} f``,
``D_x f``, ``\partial_{o_j} l(\mathbf y, \hat{\mathbf y})``.

The fractions (``\frac{df}{dx_1}``, ``\frac{d^2 f}{dx_i dx_j}``) are the ``derivative-fraction``
construct of :mod:`.constructs`; this module reads the operator forms beside them.
"""

from __future__ import annotations

import re

import sympy as sp

from ..expr.linalg import Partials
from . import linalg
from .constructs import _VAR, Parse, Placeholders, _operand, construct, opaque_derivative
from .texscan import match_group, split_top_level

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


#: ``\nabla f(x, y)`` (no subscript) and ``\mathbf{H} f(0, 0)``: an operator, a one-letter function, its arguments
_OF_CALL = re.compile(r"(?:(\\nabla)|\\mathbf\s*\{\s*H\s*\})\s*([A-Za-z])\s*(?:\\left\s*)?\(")
_RIGHT = re.compile(r"\\right\s*$")
#: an evaluation bar after the call (``\nabla f(x, y)\big|_{(1, 2)}``): the value at a point, not read
_BAR = re.compile(r"\s*(?:\\(?:right|[bB]igg?r?|middle)\s*)?(?:\||\\vert\b|\\rvert\b)")
MAX_ARGUMENTS = 6


def _partial(f: sp.Basic, params: tuple, *by: int) -> sp.Basic:
    return sp.Derivative(f(*params), *[params[i] for i in by], evaluate=False)


@construct("gradient-of-call", before="partial-subscript")
def gradient_of_call(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\nabla f(x, y)`` → the vector of partials ``Partials(∂f/∂x, ∂f/∂y)``; ``\mathbf{H} f(x, y)``
    → the matrix of second partials (the Hessian); for a function of two to six arguments written
    as distinct names (one, ``\nabla f(\mathbf x)``, is the gradient by a vector, not read here)."""
    out, i = [], 0
    for m in _OF_CALL.finditer(text):
        if m.start() < i:
            continue
        end = match_group(text, m.end() - 1)
        if end < 0 or _BAR.match(text, end):
            continue
        inside = _RIGHT.sub("", text[m.end():end - 1])
        items = [t for _, t in split_top_level(linalg._restore(inside, ph), re.compile(","))]
        if not 2 <= len(items) <= MAX_ARGUMENTS:
            continue
        params = tuple(parse(t) for t in items)
        if not all(isinstance(p, sp.Symbol) for p in params) or len(set(params)) < len(params):
            continue  # at a point (``f(0, 0)``): SymPy's ``Subs`` of several variables compares unequal ones equal
        f, n = sp.Function(m.group(2)), len(params)
        if m.group(1):
            value = Partials(*[_partial(f, params, k) for k in range(n)])
        else:
            value = sp.ImmutableMatrix([[_partial(f, params, r, c) for c in range(n)] for r in range(n)])
        out.append(text[i:m.start()])
        out.append(ph.new(value, text[m.start():end]))
        i = end
    out.append(text[i:])
    return "".join(out)
