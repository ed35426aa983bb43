"""Sets, sums over sets and integrals over domains, as ML texts write them.

``\\sum_{i \\in \\mathcal B}`` is a sum over ``|\\mathcal B|`` terms (the same object as the text's
``|\\mathcal B|``), ``\\sum_{i, j}`` two sums; ``\\cap``/``\\cup``/``\\setminus`` of named sets,
set-builder braces and products of intervals are set objects; ``\\int_x … dx``,
``\\int_{x, y} … dx dy``, ``\\int_{[a, b]\\times[c, d]}`` are integrals with their limits, and a
domain mathlint cannot read (``\\int_{\\phi(U)}``) stays an undefined function of the integrand.
"""

from __future__ import annotations

import re

import sympy as sp

from ..expr.symbols import SUM_BOUND
from .constructs import Parse, Placeholders, construct
from .probability import reader
from .texscan import match_escaped_braces, match_group, split_top_level

#: a named set: ``\mathcal{B}``, ``\mathcal B``, ``\mathbb{R}``, ``S``, with an optional subscript
_SET = (r"(?:\\(?:mathcal|mathbb|mathscr|mathfrak)\s*(?:\{[A-Za-z]\}|[A-Za-z])|[A-Z])"
        r"(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?")
_INDEX = r"[A-Za-z]'*"

_SET_SUM = re.compile(r"\\(sum|prod)\s*_\s*\{\s*(%s)\s*\\in\s*(%s)\s*\}" % (_INDEX, _SET))
_PAIR_SUM = re.compile(r"\\(sum|prod)\s*_\s*\{\s*([A-Za-z])\s*,\s*([A-Za-z])\s*\}(?!\s*\^)")


@construct("set-sum", before="derivative-fraction")  # before names are decorated: it reads `\\mathcal{B}`
def set_sum(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\sum_{i \in \mathcal{B}}``, ``\sum_{s' \in \mathcal S}`` → a sum over ``i = 1 … |\mathcal{B}|``
    (the bound is the text's ``|\mathcal{B}|``: the set's elements numbered); ``\sum_{i, j}`` →
    ``\sum_{i}\sum_{j}``, two sums over the indices' ranges."""
    parse = reader(parse, ph)
    def one(m: re.Match) -> str:
        index, name = m.group(2), re.sub(r"(\\[a-z]+)\s+([A-Za-z])", r"\1{\2}", m.group(3))
        size = ph.new(parse("|%s|" % name), "|%s|" % name)
        if "'" in index:  # ``s'``: a primed index, named as the ``primed-name`` construct names it
            var = ph.new(sp.Symbol(index), index)
            return "\\%s_{%s=1}^{%s}" % (m.group(1), var, size)
        return "\\%s_{%s=1}^{%s}" % (m.group(1), index, size)
    text = _SET_SUM.sub(one, text)
    def pair(m: re.Match) -> str:  # each over its index's range, as ``sum-range`` reads ``\sum_{j}``
        bound = ph.new(SUM_BOUND, m.group(0))
        return "".join("\\%s_{%s=1}^{%s}" % (m.group(1), v, bound) for v in m.group(2, 3))
    return _PAIR_SUM.sub(pair, text)


_SET_OP = re.compile(r"(%s)\s*\\(cap|cup|setminus)(?![A-Za-z])\s*(%s)" % (_SET, _SET))
_SET_OPS = {"cap": "Intersection", "cup": "Union", "setminus": "Difference"}


@construct("set-operation", before="derivative-fraction")
def set_operation(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\mathcal{A} \cap \mathcal{B}``, ``A \cup B``, ``A \setminus B`` of named sets → the undefined
    functions ``Intersection``/``Union``/``Difference`` of the two sets (``|A \cap B|`` is its size)."""
    parse = reader(parse, ph)
    def rep(m: re.Match) -> str:
        value = sp.Function(_SET_OPS[m.group(2)])(parse(m.group(1)), parse(m.group(3)))
        return ph.new(value, m.group(0))
    previous = None
    while previous != text:  # ``A \cap B \cap C``: left to right
        previous, text = text, _SET_OP.sub(rep, text, count=1)
    return text


_BUILDER_SEP = re.compile(r"(?<!\\)\||:|\\mid(?![A-Za-z])")


@construct("set-builder", before="derivative-fraction")
def set_builder(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\{x : x > 0\}``, ``\{\mathbf{x} | \mathbf{W}\mathbf{x} = \mathbf{b}\}`` → the undefined
    function ``SetOf`` of the element, its condition kept as written (keyword ``condition``)."""
    parse = reader(parse, ph)
    out, i = [], 0
    while True:
        j = text.find("\\{", i)
        if j < 0:
            break
        k = match_escaped_braces(text, j)
        if k < 0:
            break
        parts = split_top_level(text[j + 2:k - 2], _BUILDER_SEP)
        if len(parts) != 2:
            out.append(text[i:j + 2])
            i = j + 2
            continue
        element, condition = parts[0][1], re.sub(r"\s+", "", parts[1][1])
        out.append(text[i:j])
        out.append(ph.new(sp.Function("SetOf", condition=condition)(parse(element)), text[j:k]))
        i = k
    out.append(text[i:])
    return "".join(out)


_INTERVALS = re.compile(r"\[([^\[\]]*)\]\s*\\times\s*\[([^\[\]]*)\]")


def _interval(inner: str, parse: Parse) -> sp.Basic | None:
    ends = [p for _, p in split_top_level(inner, re.compile(","))]
    return sp.Interval(parse(ends[0]), parse(ends[1])) if len(ends) == 2 else None


@construct("interval-product", before="derivative-fraction")
def interval_product(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``[a, b] \times [c, d]`` → ``ProductSet(Interval(a, b), Interval(c, d))``."""
    parse = reader(parse, ph)
    def rep(m: re.Match) -> str:
        a, b = _interval(m.group(1), parse), _interval(m.group(2), parse)
        if a is None or b is None:
            return m.group(0)
        return ph.new(sp.ProductSet(a, b), m.group(0))
    return _INTERVALS.sub(rep, text)


_INT_HEAD = re.compile(r"\\int(?![A-Za-z])\s*")
_DIFFERENTIALS = re.compile(r"(?<![A-Za-z\\])(?:\s*d\s*(?:\\mathbf\s*\{[A-Za-z]\}|\\boldsymbol\s*\{\\?[A-Za-z]+\}|"
                            r"[A-Za-z](?![A-Za-z])))+")
_ONE_DIFF = re.compile(r"d\s*(\\mathbf\s*\{[A-Za-z]\}|\\boldsymbol\s*\{\\?[A-Za-z]+\}|[A-Za-z])")
_REAL_LINE = re.compile(r"\\mathbb\s*\{?R\}?")


def _heads(text: str, k: int) -> tuple[list[tuple[str | None, str | None]], int]:
    """Consecutive ``\\int`` heads from ``k``: (subscript, superscript) texts, and where they end."""
    heads = []
    while (m := _INT_HEAD.match(text, k)) is not None:
        k, sub, sup = m.end(), None, None
        for mark in "_^":
            if k < len(text) and text[k] == mark:
                j = k + 1
                while j < len(text) and text[j] == " ":
                    j += 1
                end = match_group(text, j) if j < len(text) and text[j] == "{" else j + 1
                if end < 0 or j >= len(text):
                    return heads, k
                piece = text[j + 1:end - 1] if text[j] == "{" else text[j:end]
                sub, sup = (piece, sup) if mark == "_" else (sub, piece)
                k = end
                while k < len(text) and text[k] == " ":
                    k += 1
        heads.append((sub, sup))
    return heads, k


def _limits(heads, variables: list[sp.Basic], parse: Parse) -> list[tuple] | None:
    """The limits of each variable (in the order of the differentials), or None when a domain is
    not read (an opaque integral). A head naming its variables (``\\int_x``, ``\\int_{x, y}``) takes
    them over their whole line; the other heads take the differentials innermost first
    (``\\int_c^d \\int_a^b … dx dy``: x over [a, b]), a product of intervals one per factor."""
    remaining, assigned, positional = list(variables), {}, []
    for sub, sup in heads:
        if sub is not None and sup is None:
            named = _variables(sub, parse)
            if named and all(v in remaining for v in named):
                for v in named:
                    remaining.remove(v)
                    assigned[v] = (v, -sp.oo, sp.oo)
                continue
            product = _INTERVALS.fullmatch(sub.strip())
            if product is None and not _REAL_LINE.fullmatch(sub.strip()):
                return None
            positional.append([_interval_ends(inner, parse) for inner in product.groups()] if product
                              else [(-sp.oo, sp.oo)])
        else:
            positional.append([(parse(sub), parse(sup)) if sub is not None and sup is not None else ()])
    for ends in reversed(positional):
        if len(remaining) < len(ends) or any(e is None for e in ends):
            return None
        for e in ends:
            v = remaining.pop(0)
            assigned[v] = (v, *e)
    return [assigned[v] for v in variables] if not remaining else None


def _interval_ends(inner: str, parse: Parse) -> tuple | None:
    ends = [p for _, p in split_top_level(inner, re.compile(","))]
    return (parse(ends[0]), parse(ends[1])) if len(ends) == 2 else None


def _variables(sub: str, parse: Parse) -> list[sp.Basic]:
    """``x``, ``x, y``, ``\\mathbf{x}`` as the variables they name ([] for anything else)."""
    names = [p.strip() for _, p in split_top_level(sub, re.compile(","))]
    if not all(_ONE_VAR.fullmatch(n) for n in names):
        return []
    return [parse(n) for n in names]


_ONE_VAR = re.compile(r"\\mathbf\s*\{[A-Za-z]\}|\\boldsymbol\s*\{\\?[A-Za-z]+\}|[A-Za-z]")


@construct("integral-domain", before="expectation")  # first: it takes the raw text of its integrand and domain
def integral_domain(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\int_x p(x) dx`` → ``Integral(p(x), (x, -oo, oo))`` (over the variable's whole line);
    ``\int_{x, y} … dx dy``, ``\int_x \int_y … dx dy`` → both limits; ``\int_{[a, b]\times[c, d]} f dx dy``
    → x over [a, b], y over [c, d]; ``\int_{\mathbb{R}}`` → the real line; another domain
    (``\int_{\phi(U)}``) → the undefined function ``integral`` of the integrand and variables, its
    domain kept as written. A single ``\int_a^b`` or ``\int`` is left to the grammar (which
    misreads chains of them: ``\int_c^d \int_a^b`` as powers of ``d``)."""
    parse = reader(parse, ph)
    out, i = [], 0
    while True:
        j = text.find("\\int", i)
        if j < 0:
            break
        heads, k = _heads(text, j)
        if not heads or len(heads) == 1 and (heads[0][1] is not None or heads[0][0] is None):
            out.append(text[i:j + 4])
            i = j + 4
            continue
        diffs = next((d for d in _top_level_diffs(text, k)), None)
        if diffs is None:
            out.append(text[i:j + 4])
            i = j + 4
            continue
        body = text[k:diffs.start()]
        variables = [parse(v) for v in _ONE_DIFF.findall(diffs.group(0))]
        integrand = parse(body)
        limits = _limits(heads, variables, parse)
        if limits is None:
            domain = ";".join(re.sub(r"\s+", "", sub or "") for sub, _ in heads)
            value = sp.Function("integral", domain=domain)(integrand, *variables)
        else:
            value = sp.Integral(integrand, *limits)
        out.append(text[i:j])
        out.append(ph.new(value, text[j:diffs.end()]))
        i = diffs.end()
    out.append(text[i:])
    return "".join(out)


def _top_level_diffs(text: str, start: int):
    """Runs of differentials (``dx dy``) after ``start`` outside any bracket, first to last."""
    depth = 0
    for m in _DIFFERENTIALS.finditer(text, start):
        segment = text[start:m.start()]
        depth = sum(segment.count(c) for c in "([{") - sum(segment.count(c) for c in ")]}")
        if depth == 0:
            yield m
