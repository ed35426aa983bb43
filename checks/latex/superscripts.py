"""Parenthesised superscripts: ``\\mathbf{x}^{(i)}``, ``\\mathbf{W}^{(1)}``, ``\\mathbf H_t^{(l)}``,
``e^{(k+1)}`` are indices (the example, the layer, the step), never powers; ``\\hat y^{(FM)}`` is a
label, part of the name; ``f^{(2)}(x)`` is the second derivative (``f^{(n)}(x)``, of a symbolic
order, is left to the grammar, and a failure under that reading is no refutation).

The index is on an axis of its own: ``x^{(i)}_j`` is entry ``(i, j)`` of the name ``x^{()}``, other
than ``x_{ij}`` (entry ``(i, j)`` of ``x``). A power of such an entry is written around it
(``(e^{(k)})^2``, ``{\\mathbf x^{(i)}}^2``) and read as one.
"""

from __future__ import annotations

import re

import sympy as sp

from . import ellipsis  # noqa: F401  (registers the elided sums first: they run before this, whoever imports first)
from .constructs import Parse, Placeholders, construct, derivative_at
from .names import GREEK, _base_name
from .texscan import match_group, split_top_level

_GREEK = "(?:" + "|".join(sorted(GREEK, key=len, reverse=True)) + ")(?![A-Za-z])"
_LETTER = r"(?:[A-Za-z]|\\" + _GREEK + ")"
_BASE = (r"(?P<base>\\(?:hat|tilde|bar)\{\s*\\(?:mathbf|boldsymbol)\{\s*" + _LETTER + r"\s*\}\s*\}"
         r"|\\(?:mathbf|boldsymbol|hat|tilde|bar)\{\s*" + _LETTER + r"\s*\}"
         r"|\\text\{(?:e|mlph\d+)\}|\\" + _GREEK + r"|(?<![A-Za-z\\])[A-Za-z])")
_SUB = r"\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9])"
#: what a parenthesised superscript holds: a number, an index (``i``, ``k+1``, ``t-1``) or a word label
_INNER = r"(?P<inner>\d+|[A-Za-z](?:\s*[+-]\s*\d+)?|[A-Za-z]{2,}|\\ell(?:\s*[+-]\s*\d+)?)"
PAREN_SUPERSCRIPT = re.compile(_BASE + r"(?P<sub1>" + _SUB + r")?\s*\^\s*\{\s*\(\s*" + _INNER + r"\s*\)\s*\}"
                               r"(?P<sub2>" + _SUB + r")?")
_SIMPLE_ARGUMENT = re.compile(r"\s*(?:[A-Za-z](?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?|\d+)\s*")


def _indices(sub: str | None, parse: Parse) -> list[sp.Basic]:
    if not sub:
        return []
    text = sub.strip()[1:].strip()
    if text.startswith("{"):
        text = text[1:-1]
    return [parse(p) for _, p in split_top_level(text, re.compile(","))]


def _name(base: str, ph: Placeholders) -> str | None:
    """The name the readers give ``base``; a placeholder only when it stands for a plain name."""
    m = re.fullmatch(r"\\text\{(mlph\d+)\}", base)
    if m:
        value = ph.values.get(m.group(1))
        return value.name if isinstance(value, sp.Symbol) else None
    if base == "\\text{e}":
        return "e"
    return _base_name(base)


def _call(m: re.Match, text: str) -> int:
    """``f^{(n)}(x)``: a plain letter applied to one plain argument (a name, an entry, a number);
    the index past the call, or -1 (``y^{(i)}(1 - y^{(i)})`` is a product)."""
    if m.group("sub1") or m.group("sub2") or not re.fullmatch(r"[A-Za-z]", m.group("base")) \
            or not text.startswith("(", m.end()) or re.fullmatch(r"[A-Za-z]{2,}", m.group("inner")):
        return -1
    end = match_group(text, m.end())
    return end if end > 0 and _SIMPLE_ARGUMENT.fullmatch(text[m.end() + 1:end - 1]) else -1


def _derivative(m: re.Match, text: str, end: int, parse: Parse) -> sp.Basic | None:
    """The n-th derivative ``f^{(2)}(x)`` (``_call``); None for a symbolic order (left as written)."""
    arg = parse(text[m.end() + 1:end - 1])
    f, order = sp.Function(m.group("base"))(arg), re.sub(r"\s+", "", m.group("inner"))
    if not order.isdigit():  # a symbolic order (Taylor's ``f^{(n)}(x_0)``): the checks cannot expand it
        return None
    return derivative_at(m.group("base"), arg, int(order)) if int(order) > 0 else f


def _entry(m: re.Match, parse: Parse, ph: Placeholders) -> sp.Basic | None:
    name = _name(m.group("base"), ph)
    if name is None:
        return None
    inner = re.sub(r"\s+", "", m.group("inner"))
    subs = _indices(m.group("sub1"), parse) + _indices(m.group("sub2"), parse)
    if re.fullmatch(r"[A-Za-z]{2,}", inner):  # ``\hat y^{(FM)}``: a label, part of the name
        labelled = "%s^{(%s)}" % (name, inner)
        return sp.Indexed(sp.IndexedBase(labelled), *subs) if subs else sp.Symbol(labelled)
    index = parse(inner.replace("\\ell", "\\ell "))
    return sp.Indexed(sp.IndexedBase(name + "^{()}"), index, *subs)


@construct("paren-superscript", before="gamma")
def paren_superscript(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\mathbf{x}^{(i)}``, ``\mathbf{W}^{(1)}``, ``\mathbf H_t^{(l)}``, ``x^{(i)}_j``, ``e^{(k+1)}``
    → entries of the name ``x^{()}`` (the parenthesised index first, on an axis of its own; never a
    power, never Euler's e); ``\hat y^{(FM)}`` → the name ``hat{y}^{(FM)}``; ``f^{(2)}(x)`` → the
    second derivative of f at x (a symbolic order, ``f^{(n)}(x)``, is left as written)."""
    if "^" not in text or "(" not in text:
        return text
    out, i = [], 0
    for m in PAREN_SUPERSCRIPT.finditer(text):
        if m.start() < i:
            continue
        end = _call(m, text)
        try:
            value = _entry(m, parse, ph) if end < 0 else _derivative(m, text, end, parse)
        except Exception:  # noqa: BLE001 - an index the readers cannot read: left as written
            continue
        if value is None:
            continue
        end = m.end() if end < 0 else end
        out += [text[i:m.start()], ph.new(value, text[m.start():end])]
        i = end
    out.append(text[i:])
    return "".join(out)


def unread(latex: str) -> list[str]:
    """The parenthesised superscripts of (normalized) ``latex`` the construct above does not read:
    those it leaves a power (``x^{(a+b)}``, after a base it does not know)."""
    spans = [(m.start(), m.end()) for m in PAREN_SUPERSCRIPT.finditer(latex) if _reads(m, latex)]
    return [m.group(0).strip() for m in _ANY.finditer(latex)
            if not any(s <= m.start() and m.end() <= e for s, e in spans)]


def also_bare(latex: str) -> str | None:
    """The first read superscript (``x^{(1)}``) whose base (``x``) the text also writes without a
    parenthesised superscript (``x^{i}``, ``\\frac{x}{2}``), or None: then ``(1)`` may be an index
    substituted into a power (a sum written out), and a failure under the index reading proves nothing."""
    for m in PAREN_SUPERSCRIPT.finditer(latex):
        if not _reads(m, latex) or _call(m, latex) > 0:
            continue
        base = re.escape(m.group("base"))
        alone = re.compile(rf"(?<![A-Za-z\\]){base}(?![A-Za-z])(?!(?:{_SUB})?\s*\^\s*\{{\s*\()")
        if alone.search(latex):
            return m.group(0).strip()
    return None


def read_index(latex: str) -> str | None:
    """The first superscript of (normalized) ``latex`` read as an index (``x^{(1)}``, ``w^{(i)}``; not
    a label, not a derivative's order), or None: ``(x^{(1)})^2 = x^{(2)}`` holds read as powers."""
    for m in PAREN_SUPERSCRIPT.finditer(latex):
        if _call(m, latex) < 0 and not re.fullmatch(r"[A-Za-z]{2,}", m.group("inner").strip()):
            return m.group(0).strip()
    return None


def _reads(m: re.Match, text: str) -> bool:
    end = _call(m, text)
    return end < 0 or m.group("inner").isdigit()


_ANY = re.compile(r"\^\s*\{\s*\(\s*(?:[A-Za-z]+|\d+|[A-Za-z]\s*[+-]\s*\d+)\s*\)\s*\}")


def as_powers(latex: str) -> str:
    """``latex`` with its index superscripts as powers: ``x^{(2)}`` → ``x^{2}``."""
    def power(m: re.Match) -> str:
        if _call(m, latex) >= 0 or re.fullmatch(r"[A-Za-z]{2,}", m.group("inner").strip()):
            return m.group(0)
        return _PAREN.sub(r"^{\1}", m.group(0), count=1)
    return PAREN_SUPERSCRIPT.sub(power, latex)


_PAREN = re.compile(r"\^\s*\{\s*\(\s*(.*?)\s*\)\s*\}")
