"""Text forms of parsed expressions for humans and JSON."""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.repr import ReprPrinter

#: a bold name as the reader names it: ``math{A}`` (``\\mathbf{A}``), ``boldsymbol{\\beta}``
BOLD_NAME = re.compile(r"^(math|boldsymbol)\{(.+)\}$")
#: a bold letter name (``math{A}``, ``boldsymbol{\beta}``), the letters captured
BOLD_SYMBOL = re.compile(r"^(?:math|boldsymbol)\{\\?([A-Za-z]+)\}$")
#: a bold name with scripts kept in its name (``\mathbf W^{(1)}``, ``\mathbf W_{\text{hq}}``): an array of
#: unknown kind, never a number in an ordered product
BOLD_HEAD = re.compile(r"^(?:math|boldsymbol)\{\\?[A-Za-z]+\}")


def tex_name(name: str) -> str:
    """A symbol's name as LaTeX: ``math{A}`` → ``\\mathbf{A}``, ``sigma`` → ``\\sigma``."""
    m = BOLD_NAME.match(name)
    if m:
        return f"\\{'mathbf' if m.group(1) == 'math' else 'boldsymbol'}{{{m.group(2)}}}"
    return f"\\{name}" if len(name) > 1 and name.isalpha() else name


def function_label(fn: type) -> str:
    """An undefined function's name as messages and findings write it: ``H(·)``, ``P(Y=1|·)``
    (a conditional probability with its event)."""
    event = getattr(fn, "_kwargs", {}).get("event")
    return f"{fn.__name__}({event}|·)" if event else f"{fn.__name__}(·)"


class _Repr(ReprPrinter):
    """``srepr`` that also shows the event of a conditional probability."""

    def _print_Function(self, expr):
        if isinstance(expr, AppliedUndef) and getattr(type(expr), "_kwargs", None):
            kw = ", ".join(f"{k}={v!r}" for k, v in sorted(type(expr)._kwargs.items()))
            args = ", ".join(self._print(a) for a in expr.args)
            return f"Function({type(expr).__name__!r}, {kw})({args})"
        return super()._print_Function(expr)


def to_srepr(expr: sp.Basic) -> str:
    return _shown(lambda: _Repr().doprint(expr), expr)


def to_text(expr: sp.Basic) -> str:
    return _shown(lambda: sp.sstr(expr, order="none"), expr)


def _shown(render, expr) -> str:
    """``render()``, or a note when a number is too long for Python to print (> 4300 digits)."""
    try:
        return render()
    except ValueError:
        return f"<an expression with a number too long to print ({type(expr).__name__})>"
