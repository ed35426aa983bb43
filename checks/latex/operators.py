r"""Extrema over an index or a set: ``\max_k o_k``, ``\operatorname{argmax}_j \hat y_j``,
``\max_{a \in \mathcal A} \{ … \}``, ``\underset{\pi}{\operatorname{argmax}} V^\pi(s_0)``.

mathlint does not compute an extremum over what the text ranges over, but it reads one, so the
claim around it is read: each becomes an undefined function of its operand and its index
(``argmax(V(s_0), pi)``). A claim that depends on one is then left unchecked ("depends on
argmax(·)"), never refuted on values drawn for it; ``\max(0, x)`` with parentheses and no
subscript is the ordinary maximum and is not touched here.
"""

from __future__ import annotations

import re

import sympy as sp

from .constructs import Parse, Placeholders, construct
from .texscan import match_group

_OPERATOR = (r"(?:\\(?:operatorname|text|textrm|mathrm)\{(?P<word>arg\s*max|arg\s*min|max|min|sup|inf)\}"
             r"|\\(?P<command>max|min|sup|inf)(?![A-Za-z]))")
_SUBSCRIPTED = re.compile(_OPERATOR + r"\s*_\s*")
_UNDERSET = re.compile(r"\\underset\s*\{")
_UNDER_OPERATOR = re.compile(r"\s*\{\s*" + _OPERATOR + r"\s*\}\s*")
#: an operand without brackets: a name with its scripts and its call (``V^\pi(s_0)``, ``\hat{y}_j``)
_TERM = re.compile(r"\s*(?:\\[A-Za-z]+\s*(?:\{[^{}]*\})?|[A-Za-z])(?:\s*[_^]\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9*]+))*"
                   r"(?:\s*\([^()]*\))?")
_SET_INDEX = re.compile(r"^\s*(.+?)\s*\\in\s")  # ``a \in \mathcal{A}``: the index is ``a``


def _group(text: str, k: int) -> tuple[str, int] | None:
    """The braced group or single token at ``k`` (a subscript), and the index past it."""
    while k < len(text) and text[k] == " ":
        k += 1
    if k >= len(text):
        return None
    if text[k] == "{":
        end = match_group(text, k)
        return (text[k + 1:end - 1], end) if end > 0 else None
    m = re.compile(r"\\[A-Za-z]+|[A-Za-z0-9]").match(text, k)
    return (m.group(0), m.end()) if m else None


def _operand(text: str, k: int) -> tuple[str, int] | None:
    """What the extremum applies to: a bracketed group (``\\{ … \\}``, ``[ … ]``, ``( … )``) or a term."""
    while k < len(text) and text[k] == " ":
        k += 1
    if text.startswith("\\{", k):
        depth, j = 0, k
        while j < len(text):
            if text.startswith("\\{", j):
                depth, j = depth + 1, j + 2
                continue
            if text.startswith("\\}", j):
                depth, j = depth - 1, j + 2
                if depth == 0:
                    return text[k + 2:j - 2], j
                continue
            j += 1
        return None
    if k < len(text) and text[k] in "([":
        end = match_group(text, k)
        return (text[k + 1:end - 1], end) if end > 0 else None
    m = _TERM.match(text, k)
    return (m.group(0), m.end()) if m and m.group(0).strip() else None


def _name(m: re.Match) -> str:
    return re.sub(r"\s", "", m.group("word") or m.group("command"))


@construct("extremum", before="named-function")
def extremum(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\max_k o_k``, ``\operatorname{argmin}_{\mathbf x} f(\mathbf x)``, ``\max_{a \in \mathcal A}
    \{ … \}``, ``\underset{\pi}{\operatorname{argmax}} V^\pi(s_0)`` → the undefined function
    ``argmax(operand, index)``: read, never computed."""
    out, i = [], 0
    while True:
        found = [(m.start(), m, "sub") for m in [_SUBSCRIPTED.search(text, i)] if m] + \
                [(m.start(), m, "under") for m in [_UNDERSET.search(text, i)] if m]
        if not found:
            break
        start, m, how = min(found, key=lambda f: f[0])
        if how == "sub":
            name, over = _name(m), _group(text, m.end())
            after = over[1] if over else None
            over_text = over[0] if over else None
        else:
            end = match_group(text, m.end() - 1)
            op = _UNDER_OPERATOR.match(text, end) if end > 0 else None
            name, over_text, after = (_name(op), text[m.end():end - 1], op.end()) if op else (None, None, None)
        operand = _operand(text, after) if after is not None else None
        if name is None or over_text is None or operand is None:
            out.append(text[i:m.end()])
            i = m.end()
            continue
        index = _SET_INDEX.match(over_text)
        value = sp.Function(name)(parse(operand[0]), parse(index.group(1) if index else over_text))
        out += [text[i:start], ph.new(value, text[start:operand[1]])]
        i = operand[1]
    out.append(text[i:])
    return "".join(out)
