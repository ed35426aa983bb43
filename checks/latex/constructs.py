"""Constructs the LaTeX grammar cannot read, turned into SymPy by mathlint itself.

Each construct finds its pattern in a side's LaTeX, parses the pieces with the
``parse`` callback it is given (recursively, so constructs nest) and replaces the
whole match by a placeholder symbol whose value is the SymPy object built. They
are registered in :data:`CONSTRUCTS` and applied in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from ..expr.symbols import ELLIPSIS, conditional, derivative
from .texscan import match_group, split_top_level, strip_outer_braces

Parse = Callable[[str], sp.Basic]


@dataclass
class Placeholders:
    """Placeholder name → (SymPy value, source LaTeX it stands for)."""

    values: dict[str, sp.Basic] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    sum_bounds: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def new(self, value: sp.Basic, source: str) -> str:
        name = f"mlph{len(self.values) + len(self.sum_bounds)}"
        self.values[name] = value
        self.sources[name] = source
        return "\\text{%s}" % name

    def bound(self, index: str, excluded: str | None, source: str) -> str:
        name = f"mlph{len(self.values) + len(self.sum_bounds)}"
        self.sum_bounds[name] = (index, excluded)
        self.sources[name] = source
        return "\\text{%s}" % name


@dataclass(frozen=True)
class Construct:
    name: str
    doc: str
    apply: Callable[[str, Parse, Placeholders], str]


CONSTRUCTS: list[Construct] = []


def construct(name: str):
    def deco(fn):
        CONSTRUCTS.append(Construct(name, (fn.__doc__ or "").strip(), fn))
        return fn
    return deco


def _args(text: str, parse: Parse) -> list[sp.Basic]:
    return [parse(a) for _, a in split_top_level(text, re.compile(","))]


def _replace_calls(text: str, pattern: re.Pattern, build, ph: Placeholders) -> str:
    """Replace each ``pattern`` match that ends in ``(`` together with its parenthesized
    argument by a placeholder for ``build(match, argument text)`` (None: leave it)."""
    out, i = [], 0
    for m in pattern.finditer(text):
        if m.start() < i:
            continue
        end = match_group(text, m.end() - 1)
        if end < 0:
            continue
        value = build(m, text[m.end():end - 1])
        if value is None:
            continue
        out.append(text[i:m.start()])
        out.append(ph.new(value, text[m.start():end]))
        i = end
    out.append(text[i:])
    return "".join(out)


_DIFF = re.compile(r"^\s*(\\partial|\\mathrm\{d\}|d(?![A-Za-z]))\s*(\^\{?(\d+)\}?)?\s*")
_D_OF = re.compile(r"^\s*(\\mathrm\{d\}|d)(?=\s*[A-Za-z\\])")  # ``dx^{2}`` under ``d^{2}``


@construct("derivative-fraction")
def derivative_fraction(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\frac{\partial F}{\partial x}``, ``\frac{\partial^2 F}{\partial x^2}``,
    ``\frac{dF}{dx}`` → ``Derivative(F, x)``; by an expression (``\partial e^{o_i}``)
    → ``DerivativeWrt``. The operator form ``\frac{d}{dx}(…)`` / ``\frac{\partial}{\partial x} F``
    applies to the bracketed group after it, else to the rest of the term."""
    out, i = [], 0
    while True:
        j = text.find("\\frac", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        k = j + 5
        while k < len(text) and text[k] == " ":
            k += 1
        num_end = match_group(text, k) if k < len(text) and text[k] == "{" else -1
        den_end = match_group(text, num_end) if 0 < num_end < len(text) and text[num_end] == "{" else -1
        if den_end < 0:
            out.append(text[i:j + 5])
            i = j + 5
            continue
        num, den = text[k + 1:num_end - 1], text[num_end + 1:den_end - 1]
        mn = _DIFF.match(num)
        md = _DIFF.match(den) or (_D_OF.match(den) if mn and mn.group(3) else None)
        f_text = num[mn.end():] if mn else ""
        if not (mn and md):
            out.append(text[i:j + 5])
            i = j + 5
            continue
        end = den_end
        if not f_text.strip():  # operator form: \frac{d}{dx} applies to what follows
            f_text, end = _operand(text, den_end)
            if not f_text.strip():
                out.append(text[i:j + 5])
                i = j + 5
                continue
        order = int(mn.group(3) or 1)
        var_text = re.sub(r"\^\{?\d+\}?\s*$", "", den[md.end():]) if order > 1 else den[md.end():]
        value = derivative(parse(f_text), parse(var_text), order)
        out.append(text[i:j])
        out.append(ph.new(value, text[j:end]))
        i = end


_POWER = re.compile(r"\s*\^\s*(\{|\\?[A-Za-z0-9])")


def _operand(text: str, start: int) -> tuple[str, int]:
    """What a derivative operator applies to: a bracketed group, else the rest of the
    term (up to a top-level ``+``/``-`` or the end)."""
    k = start
    while k < len(text) and text[k] == " ":
        k += 1
    if k < len(text) and text[k] in "([{":
        end = match_group(text, k)
        if end > 0:
            power = _POWER.match(text, end)
            if power:  # ``(y - wx)^2``: the operator applies to the power
                stop = match_group(text, power.end() - 1) if power.group(0).endswith("{") else power.end()
                if stop > 0:
                    return text[k:stop], stop
            return text[k + 1:end - 1], end
    pieces = split_top_level(text[k:], re.compile(r"(?<=.)[+-]"))
    first = pieces[0][1]
    return first, k + len(first)


_SLASH = re.compile(r"^\s*\\partial\s*(.+?)\s*/\s*\\partial\s*(.+?)\s*$")


@construct("derivative-slash")
def derivative_slash(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""A whole side ``\partial L_i / \partial f_k`` → ``Derivative(L_i, f_k)``."""
    m = _SLASH.match(text)
    if not m:
        return text
    return ph.new(derivative(parse(m.group(1)), parse(m.group(2))), text)


_HEAD = re.compile(r"(?<![A-Za-z\\])(\\Pr|\\mathbb\{P\}|[A-Za-z])\s*\(")


@construct("conditional-probability")
def conditional_probability(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``P(Y=1|x_i)`` → the function ``P`` of event ``Y=1`` applied to ``x_i``
    (printed ``P(x_i)``; ``P(Y=0|x)`` is a different function)."""
    def build(m: re.Match, inner: str):
        bars = split_top_level(inner, re.compile(r"\|"))
        if len(bars) != 2:
            return None
        event, arg = bars[0][1].strip(), bars[1][1]
        name = {"\\Pr": "P", "\\mathbb{P}": "P"}.get(m.group(1), m.group(1))
        return conditional(name, re.sub(r"\s+", "", event))(*_args(arg, parse))
    return _replace_calls(text, _HEAD, build, ph)


_INDICATOR = re.compile(r"\\(mathbb|mathbf|boldsymbol|mathds)\s*\{\s*[1I]\s*\}\s*(_)?\s*")


@construct("indicator")
def indicator(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\mathbb{1}(y_i = k)`` (also ``\{…\}``, ``[…]``, ``_{…}``) → ``KroneckerDelta(y_i, k)``;
    with ``\neq`` → ``1 - KroneckerDelta``."""
    out, i = [], 0
    for m in _INDICATOR.finditer(text):
        if m.start() < i:
            continue
        k = m.end()
        if text.startswith("\\{", k):
            close = text.find("\\}", k)
            inner, end = text[k + 2:close], close + 2
            if close < 0:
                continue
        elif k < len(text) and text[k] in "({[":
            end = match_group(text, k)
            if end < 0:
                continue
            inner = text[k + 1:end - 1]
        else:
            continue
        rel = re.split(r"\\neq|\\ne(?![A-Za-z])|=", inner, maxsplit=1)
        if len(rel) != 2:
            continue
        delta = sp.KroneckerDelta(parse(rel[0]), parse(rel[1]))
        value = delta if "=" in inner and "\\ne" not in inner else 1 - delta
        out.append(text[i:m.start()])
        out.append(ph.new(value, text[m.start():end]))
        i = end
    out.append(text[i:])
    return "".join(out)


_NAMED = re.compile(r"\\operatorname\{([A-Za-z]+)\}\s*\(")


@construct("named-function")
def named_function(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\operatorname{logit}(p)`` → ``logit(p)``, an undefined function of its arguments."""
    return _replace_calls(text, _NAMED, lambda m, inner: sp.Function(m.group(1))(*_args(inner, parse)), ph)


_PRIME = re.compile(r"(?<![A-Za-z\\])([A-Za-z])('+)\s*\(")


@construct("prime")
def prime(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``f'(x)``, ``f''(x)`` → ``Derivative(f(x), x)`` (of order 2)."""
    def build(m: re.Match, inner: str):
        arg = parse(inner)
        return derivative(sp.Function(m.group(1))(arg), arg, len(m.group(2)))
    return _replace_calls(text, _PRIME, build, ph)


_PRIMED = re.compile(r"(?<![A-Za-z\\])([A-Za-z])('+)(?!\s*[('^])")  # not f'^2(x), f'(x)


@construct("primed-name")
def primed_name(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``t'``, ``x''`` not applied to an argument nor raised to a power → the names ``t'``,
    ``x''``, other than ``t`` and ``x`` (``t > t'`` compares two time steps; ``f'(x)`` is the
    derivative, above)."""
    return _PRIMED.sub(lambda m: ph.new(sp.Symbol(m.group(1) + m.group(2)), m.group(0)), text)


_SUM = re.compile(r"\\(sum|prod)\s*_\s*\{([^{}=]*)\}")


@construct("sum-range")
def sum_range(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\sum_{j}`` → a sum over ``j = 1 … N_*``; ``\sum_{j\neq i}`` also leaves
    out ``j = i``; ``\sum_{i}^{N}`` → ``\sum_{i=1}^{N}``."""
    def rep(m: re.Match) -> str:
        inner = m.group(2).strip()
        parts = re.split(r"\\neq|\\ne(?![A-Za-z])", inner)
        index = parts[0].strip()
        if not re.fullmatch(r"[A-Za-z]", index):
            return m.group(0)
        excluded = parts[1].strip() if len(parts) == 2 else None
        rest = text[m.end():].lstrip()
        if rest.startswith("^") and excluded is None:
            return "\\%s_{%s=1}" % (m.group(1), index)
        return "\\%s_{%s=1}^{%s}" % (m.group(1), index, ph.bound(index, excluded, m.group(0)))
    return _SUM.sub(rep, text)


@construct("tuple")
def tuple_(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``(x_1, y_1)`` (not after a function name) → ``Tuple(x_1, y_1)``."""
    out, i = [], 0
    for m in re.finditer(r"\(", text):
        if m.start() < i:
            continue
        before = text[:m.start()].rstrip()
        if before and (before[-1].isalpha() or before[-1] in "}'"):
            continue
        end = match_group(text, m.start())
        if end < 0:
            continue
        items = split_top_level(text[m.start() + 1:end - 1], re.compile(","))
        if len(items) < 2:
            continue
        out.append(text[i:m.start()])
        out.append(ph.new(sp.Tuple(*[parse(t) for _, t in items]), text[m.start():end]))
        i = end
    out.append(text[i:])
    return "".join(out)


@construct("gamma")
def gamma(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\gamma`` → the symbol γ (a discount factor or a constant in ML posts; the grammar
    would read Euler's constant)."""
    return re.sub(r"\\gamma(?![A-Za-z])", lambda m: ph.new(sp.Symbol("gamma"), m.group(0)), text)


@construct("ellipsis")
def ellipsis(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\ldots`` → an opaque symbol ``...``."""
    if "\\ldots" not in text:
        return text
    return re.sub(r"\\ldots\s*", lambda _m: ph.new(ELLIPSIS, "\\ldots"), text)


def side_items(text: str) -> list[str]:
    """A side ``{(a,b), (c,d)}`` is a list: its top-level comma-separated items."""
    inner = strip_outer_braces(text)
    items = [t for _, t in split_top_level(inner, re.compile(","))]
    return items if len(items) > 1 else [text]
