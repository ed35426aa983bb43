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

from ..expr.symbols import ELLIPSIS, derivative, is_diff_variable
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


def construct(name: str, before: str | None = None):
    """Register a construct, at the end or just before the construct named ``before`` (a module
    of its own places its constructs where they must run)."""
    def deco(fn):
        c = Construct(name, (fn.__doc__ or "").strip(), fn)
        at = next((k for k, o in enumerate(CONSTRUCTS) if o.name == before), len(CONSTRUCTS))
        CONSTRUCTS.insert(at, c)
        return fn
    return deco


def _args(text: str, parse: Parse) -> list[sp.Basic]:
    return [parse(a) for _, a in split_top_level(text, re.compile(","))]


def replace_groups(text: str, pattern: re.Pattern, build, ph: Placeholders) -> str:
    """Each ``pattern`` match that ends in an opening bracket, with its group: ``build(match, end)``
    (``end``: the index past the group) gives ``(value, stop)`` to replace ``text[match.start():stop]``
    by a placeholder for ``value`` (``stop`` may reach past the group), or None to leave it."""
    out, i = [], 0
    for m in pattern.finditer(text):
        if m.start() < i:
            continue
        end = match_group(text, m.end() - 1)
        if end < 0:
            continue
        got = build(m, end)
        if got is None:
            continue
        value, stop = got
        out.append(text[i:m.start()])
        out.append(ph.new(value, text[m.start():stop]))
        i = stop
    out.append(text[i:])
    return "".join(out)


def replace_calls(text: str, pattern: re.Pattern, build, ph: Placeholders) -> str:
    """Replace each ``pattern`` match that ends in ``(`` together with its parenthesized
    argument by a placeholder for ``build(match, argument text)`` (None: leave it)."""
    def whole(m: re.Match, end: int):
        value = build(m, text[m.end():end - 1])
        return None if value is None else (value, end)
    return replace_groups(text, pattern, whole, ph)


_DIFF = re.compile(r"^\s*(\\partial|\\mathrm\{d\}|d(?![A-Za-z]))\s*(\^\{?(\d+)\}?)?\s*")
#: a numerator ``dF``, ``d^2 f``, ``\partial^{2} L``: the operator, its order, then the function
_D_OF = re.compile(r"^\s*(\\partial|\\mathrm\{d\}|d)\s*(?:\^\s*\{?\s*(\d+)\s*\}?)?\s*")
#: one differential of a denominator: ``dx``, ``dx_1``, ``dv_{ab}``, ``d\mathbf{x}``, ``\partial x_i``,
#: ``dx^{2}``; a denominator is a run of them (``dx_idx_j``: a mixed partial)
_VAR = r"(?:\\(?:mathbf|boldsymbol|bm)\s*\{\\?[A-Za-z]+\}|\\[A-Za-z]+|[A-Za-z])(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?"
_ONE_DIFF = re.compile(r"\s*(?:\\partial|\\mathrm\{d\}|d)\s*(" + _VAR + r")\s*(?:\^\s*\{?\s*(\d+)\s*\}?)?\s*")


def _differentials(den: str) -> list[tuple[str, int]] | None:
    """``dx_idx_j`` → [(x_i, 1), (x_j, 1)]; None unless the whole denominator is differentials."""
    out, i = [], 0
    while i < len(den):
        m = _ONE_DIFF.match(den, i)
        if not m or m.end() == i:
            return None
        out.append((m.group(1), int(m.group(2) or 1)))
        i = m.end()
    return out or None


@construct("derivative-fraction")
def derivative_fraction(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\frac{\partial F}{\partial x}``, ``\frac{\partial^2 F}{\partial x^2}``,
    ``\frac{dF}{dx}``, ``\frac{df}{dx_1}``, ``\frac{d}{d\mathbf{x}}`` → ``Derivative(F, x)``;
    ``\frac{d^2f}{dx_idx_j}`` → ``Derivative(f, x_j, x_i)`` (each differential of the denominator,
    their orders adding up to the numerator's); by an expression (``\partial e^{o_i}``)
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
        value, end = _fraction_derivative(text, num, den, den_end, parse)
        if value is None:
            out.append(text[i:j + 5])
            i = j + 5
            continue
        out.append(text[i:j])
        out.append(ph.new(value, text[j:end]))
        i = end


def _fraction_derivative(text: str, num: str, den: str, den_end: int, parse: Parse):
    """The derivative ``\\frac{num}{den}`` stands for and where it ends, or (None, 0)."""
    mn = _D_OF.match(num)
    diffs = _differentials(den) if mn else None
    if not diffs:  # ``\partial e^{o_i}``: by an expression
        mn, md = _DIFF.match(num), _DIFF.match(den)
        if not (mn and md) or mn.group(3) or not den[md.end():].strip():
            return None, 0
        diffs = [(den[md.end():], 1)]
    order = int(mn.group(2) or 1) if mn.re is _D_OF else 1
    if sum(k for _, k in diffs) != order and not (len(diffs) == 1 and diffs[0][1] == 1):
        return None, 0
    if len(diffs) == 1 and diffs[0][1] == 1:
        diffs = [(diffs[0][0], order)]
    f_text, end = num[mn.end():], den_end
    at = _point(text, den_end)
    if f_text.strip() and len(diffs) == 1 and at and at.group(1).strip() == diffs[0][0].strip() \
            and re.fullmatch(r"\s*[A-Za-z]\s*", f_text):  # ``\frac{dg}{dx}(x)``: g's derivative at x
        f_text, end = "%s(%s)" % (f_text.strip(), at.group(1)), den_end + at.end()
    elif f_text.strip() and len(diffs) == 1 and at and at.group(1).strip() and "," not in at.group(1) \
            and mn.group(1) != "\\partial" and re.fullmatch(r"\s*[A-Za-z]\s*", f_text) \
            and re.fullmatch(r"\s*\\?[A-Za-z]+(?:_\{?\w+\}?)?\s*", diffs[0][0]):
        # ``\frac{df}{dx}(x_0)``, ``\frac{dg}{dh}(h(x))``: f's derivative taken at the point (a placeholder
        # applied to the point before)
        return derivative_at(f_text.strip(), parse(at.group(1)), diffs[0][1]), den_end + at.end()
    if not f_text.strip():  # operator form: \frac{d}{dx} applies to what follows
        f_text, end = _operand(text, den_end)
        if not f_text.strip():
            return None, 0
    value = parse(f_text)
    for var, k in reversed(diffs):
        value = opaque_derivative(value, parse(var), k)
    return value, end


def _point(text: str, k: int) -> re.Match | None:
    """The bracket right after a derivative fraction (``\\frac{dg}{dh}(h(x))``): a match whose group 1
    is its content, balanced; None without one."""
    m = re.match(r"\s*\(", text[k:])
    end = match_group(text, k + m.end() - 1) if m else -1
    return re.match(r"\s*\((.*)\)", text[k:end], re.S) if end > 0 else None


#: undefined functions the linear-algebra reader stands in for what it does not compute
OPAQUE = frozenset({"transpose", "norm", "entry"})


def opaque_derivative(f: sp.Basic, var: sp.Basic, order: int = 1) -> sp.Basic:
    """``derivative``, except of an expression holding an opaque stand-in (``transpose(A)``): its
    dependence on ``var`` is unknown (not nil), so the derivative is the undefined ``d(f, var)``."""
    if any(type(a).__name__ in OPAQUE for a in f.atoms(sp.core.function.AppliedUndef)):
        return sp.Function("d")(f, var, order)
    return derivative(f, var, order)


_POWER = re.compile(r"\s*\^\s*(\{|\\?[A-Za-z0-9])")
#: a norm as a derivative's operand: its bars, subscript and power (no bars inside)
_NORM_OPERAND = re.compile(r"\\\|(?:[^|\\]|\\(?!\|))*\\\|"
                           r"(?:_(?:\{[^{}]*\}|\\?[A-Za-z0-9]+))?(?:\^(?:\{[^{}]*\}|\\?[A-Za-z0-9]))?")


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
    bars = _NORM_OPERAND.match(text, k)
    if bars:  # ``\frac{d}{d\mathbf{V}} \|\mathbf{X} - \mathbf{U}\mathbf{V}\|_2^2``: the norm, not its first term
        return text[k:bars.end()], bars.end()
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


# ``conditional-probability`` (and the rest of the probability notation): latex/probability.py


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
    def build(m: re.Match, inner: str) -> sp.Basic:  # earlier constructs' placeholders back as text: the
        for name, source in sorted(ph.sources.items(), key=lambda kv: -len(kv[0])):  # inner parse has its own
            inner = inner.replace("\\text{%s}" % name, source)
        return sp.Function(m.group(1))(*_args(inner, parse))
    return replace_calls(text, _NAMED, build, ph)


_PRIME = re.compile(r"(?<![A-Za-z\\])([A-Za-z])('+)\s*\(")


@construct("prime")
def prime(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``f'(x)``, ``f''(x)`` → ``Derivative(f(x), x)`` (of order 2)."""
    return replace_calls(text, _PRIME, lambda m, inner: derivative_at(m.group(1), parse(inner), len(m.group(2))), ph)


#: the bound variable of a derivative taken at a point (a name no LaTeX reads to, so no definition replaces it)
AT = sp.Symbol("ξ")


def derivative_at(name: str, arg: sp.Basic, order: int) -> sp.Basic:
    """``f'(x)`` → ``Derivative(f(x), x)``; at a point (``f''(0)``) the derivative of f taken there,
    ``Subs(Derivative(f(ξ), (ξ, 2)), ξ, 0)``: differentiating the value ``f(0)`` would give 0."""
    f = sp.Function(name)
    if is_diff_variable(arg):
        return derivative(f(arg), arg, order)
    return sp.Subs(sp.Derivative(f(AT), (AT, order), evaluate=False), AT, arg)


_PRIMED = re.compile(r"(?<![A-Za-z\\])([A-Za-z])('+)(?!\s*[('^_])")  # not f'^2(x), f'(x); p'_{ij}: below
_PRIMED_SUB = re.compile(r"(?<![A-Za-z\\])([A-Za-z])('+)(_(?:\{[^{}]*\}|[A-Za-z0-9]))(?!\s*[('^])")


@construct("primed-name")
def primed_name(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``t'``, ``x''`` not applied to an argument nor raised to a power → the names ``t'``,
    ``x''``, other than ``t`` and ``x`` (``t > t'`` compares two time steps; ``f'(x)`` is the
    derivative, above)."""
    text = _PRIMED_SUB.sub(lambda m: ph.new(_primed_entry(m, parse), m.group(0)), text)
    return _PRIMED.sub(lambda m: ph.new(sp.Symbol(m.group(1) + m.group(2)), m.group(0)), text)


def _primed_entry(m: re.Match, parse: Parse) -> sp.Basic:
    """``p'_{ij}`` → the entry ``p'[i, j]`` (a placeholder name would otherwise carry the index)."""
    entry = parse(m.group(1) + m.group(3))
    if isinstance(entry, sp.Indexed):
        return sp.IndexedBase(m.group(1) + m.group(2))[entry.indices]
    return sp.Symbol(m.group(0))


_SUM = re.compile(r"\\(sum|prod)\s*_\s*\{([^{}]*)\}")
#: ``{\sum_{j}} a_j``: braces around the operator alone, its summand after the group
_BRACED_SUM = re.compile(r"\{\s*(\\(?:sum|prod)\s*_\s*\{[^{}]*\}(?:\s*\^\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?)\s*\}")


@construct("sum-range")
def sum_range(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\sum_{j}`` → a sum over ``j = 1 … N_*``; ``\sum_{j\neq i}`` also leaves
    out ``j = i``; ``\sum_{i}^{N}`` → ``\sum_{i=1}^{N}``; ``\sum_{j=0}`` (no upper bound) → a sum
    over ``j = 0 … N_*``; ``{\sum_{j}} a_j`` is ``\sum_{j} a_j``."""
    text = _BRACED_SUM.sub(r"\1", text)

    def rep(m: re.Match) -> str:
        inner = m.group(2).strip()
        rest = text[m.end():].lstrip()
        if "=" in inner:  # ``\sum_{j=1}`` with no upper bound: up to the index's range
            index, _, low = inner.partition("=")
            if rest.startswith("^") or not re.fullmatch(r"\s*[A-Za-z]\s*", index) or not low.strip():
                return m.group(0)
            return "\\%s_{%s=%s}^{%s}" % (m.group(1), index.strip(), low.strip(),
                                          ph.bound(index.strip(), None, m.group(0)))
        parts = re.split(r"\\neq|\\ne(?![A-Za-z])", inner)
        index = parts[0].strip()
        if not re.fullmatch(r"[A-Za-z]", index):
            return m.group(0)
        excluded = parts[1].strip() if len(parts) == 2 else None
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

