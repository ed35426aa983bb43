"""Elided sums and products: ``a_1 + a_2 + \\ldots + a_n``, ``1 + \\gamma + \\gamma^2 + \\ldots``,
``x_1 x_2 \\cdots x_n`` read as the ``Sum``/``Product`` the dots stand for.

A reading is made only when the pattern is certain: the general term is one of the written terms
with one of its integers (a subscript, a power) replaced by an index, it gives every term of the
run before the dots at consecutive index values, and the term after the dots at the upper bound
(no term after them: an infinite series). Every candidate general term that fits must give the
same reading; otherwise, and for dots in a list, a call or a matrix, the dots stay the opaque
``\\ldots`` of the ``ellipsis`` construct (an unknown number, so that the claim stays unchecked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from .constructs import Parse, Placeholders, construct
from .texscan import CLOSE, OPEN, match_group, top_level_matches

DOTS = "\\ldots"
_SIGN = re.compile(r"(?<=.)[+-]")
#: a group whose dots are no elided sum: a list or call (commas), a matrix, a set, a condition
_NOT_A_SUM = re.compile(r",|&|\\\\|\\begin|\\pm|\\mp|\||\\mid|:|=|<|>|\\le|\\ge|\\neq")
#: one factor of a product written by juxtaposition: a (bold, accented or Greek) name with scripts
_ATOM = (r"(?:\\(?:mathbf|boldsymbol|hat|tilde|bar)\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z0-9])"
         r"(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?(?:\s*\^\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?")
_FACTOR = re.compile(r"\s*(?:\\cdot|\\times)?\s*(" + _ATOM + r"|\\ldots)\s*")
_NOT_FACTOR = re.compile(r"\\(?:frac|sum|prod|int|sqrt|left|right|cdot|times|ldots)$")
MAX_START = 3  # the run before the dots starts at an index of at most this
MAX_TERMS = 8  # terms before the dots looked at
INDEX = sp.Symbol("k", integer=True)
SMALLEST_SIZE = sp.Integer(2)  # the smallest size the checks draw for a length (``check.claim.DEFAULT_SIZES``)


@dataclass(frozen=True)
class Term:
    start: int  # offset of the term's text (its sign excluded)
    text: str
    sign: str  # "+", "-" or "" (the first term)


def _innermost_group(text: str, pos: int) -> tuple[int, int]:
    """The content span (start, end) of the innermost bracket group holding ``pos``, else the text."""
    stack: list[int] = []
    i = 0
    while i < pos:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in OPEN:
            stack.append(i)
        elif ch in CLOSE and stack:
            stack.pop()
        i += 1
    for start in reversed(stack):
        end = match_group(text, start)
        if end > pos:
            return start + 1, end - 1
    return 0, len(text)


def _terms(content: str, offset: int) -> list[Term]:
    out, last, sign = [], 0, ""
    for m in top_level_matches(_SIGN, content):
        if content[:m.start()].rstrip().endswith(("^", "_")):
            continue
        out.append(Term(offset + last, content[last:m.start()], sign))
        last, sign = m.end(), m.group(0)
    out.append(Term(offset + last, content[last:], sign))
    return out


def _read(text: str, parse: Parse, ph: Placeholders) -> sp.Basic | None:
    """A term as SymPy, placeholders of the enclosing side (``\\gamma``) resolved."""
    try:
        value = parse(text)
    except Exception:  # noqa: BLE001 - a term the readers cannot read: no reading of the dots
        return None
    if any(s.name in ph.sum_bounds for s in value.free_symbols if isinstance(s, sp.Symbol)):
        return None  # ``\\sum_j`` inside a term: its range is set on the whole side, not here
    names = {sp.Symbol(k): v for k, v in ph.values.items()}
    return value.xreplace(names) if names else value


def _candidates(terms: list[sp.Basic], last: sp.Basic | None) -> list[sp.Basic]:
    """General terms in the index: a written term with one integer value replaced by the index,
    or the last term with one of its names replaced by it (``\\beta_n x_n`` → ``\\beta_k x_k``)."""
    out = []
    for t in terms:
        for v in sorted({abs(int(a)) for a in t.atoms(sp.Integer) if 0 < abs(a) <= 20}):
            swap = {sp.Integer(v): INDEX, sp.Integer(-v): -INDEX}
            out.append(t.xreplace(swap))  # everywhere (``\gamma^2 r_2``), or only in subscripts (not an order)
            out.append(t.replace(lambda e, s=swap: isinstance(e, sp.Indexed) and any(i.has(*s) for i in e.indices),
                                 lambda e, s=swap: sp.Indexed(e.base, *[i.xreplace(s) for i in e.indices])))
    if last is not None:
        out += [last.xreplace({s: INDEX}) for s in _bounds(last) if isinstance(s, sp.Symbol)]
    return [f for f in dict.fromkeys(out) if f.has(INDEX)]


def _bounds(last: sp.Basic) -> list[sp.Basic]:
    """Where the last term may carry the upper bound: its names, indices and exponents."""
    found = [s for s in last.free_symbols if isinstance(s, sp.Symbol)]
    found += [i for ix in last.atoms(sp.Indexed) for i in ix.indices]
    found += [p.exp for p in last.atoms(sp.Pow)]
    found += [sp.Integer(abs(int(a))) for a in last.atoms(sp.Integer)]
    return list(dict.fromkeys(found))


def _at(f: sp.Basic, k: sp.Basic) -> sp.Basic | None:
    try:
        return f.xreplace({INDEX: k})
    except (ValueError, TypeError, ZeroDivisionError):  # a negative order of a derivative, …
        return None


def _direct(f: sp.Basic) -> bool:
    """The index only as the whole term, a subscript or an exponent (``k``, ``a_k``, ``x^k``), never in
    arithmetic (``2k``, ``k^2``, ``a_{2k}``): one written term and the last one then fix the pattern."""
    return f == INDEX or _scripted(f)


def _scripted(f: sp.Basic) -> bool:
    if isinstance(f, sp.Indexed):
        return all(i == INDEX or not i.has(INDEX) for i in f.indices)
    if isinstance(f, sp.Pow):
        return f.exp == INDEX and not f.base.has(INDEX)
    return f != INDEX and all(_scripted(a) for a in f.args if a.has(INDEX))


def _reading(f: sp.Basic, run: list[sp.Basic], last: sp.Basic | None) -> tuple[int, int, sp.Basic] | None:
    """(how many run terms it covers, first index, upper bound) for the general term ``f``, or None."""
    near = run[-1]
    ks = [k for k in range(-1, 21) if _at(f, sp.Integer(k)) == near]
    if len(ks) != 1:
        return None
    k, m = ks[0], 1
    while m < len(run) and _at(f, sp.Integer(k - m)) == run[-1 - m]:
        m += 1
    first = k - m + 1
    if not 0 <= first <= MAX_START:
        return None
    if last is None:
        return (m, first, sp.oo) if m >= 2 else None
    bounds = [b for b in _bounds(last) if _at(f, b) == last and not (b.is_Integer and b <= k)]
    if len(bounds) != 1 or (m == 1 and not _direct(f)) or not _covers(bounds[0], k):
        return None
    return m, first, bounds[0]


def _covers(upper: sp.Basic, written: int) -> bool:
    """Whether the sum reaches the last written term at the smallest size checked (2): ``x_1 + x_2 + x_3
    + \\ldots + x_n`` at n = 2 is no sum of x_1, x_2 only, so that reading would wrong the text."""
    if upper.is_Integer or not upper.free_symbols:
        return True
    smallest = upper.xreplace({s: SMALLEST_SIZE for s in upper.free_symbols})
    return bool(smallest.is_Integer and smallest >= written)


def elided(run: list[sp.Basic], last: sp.Basic | None, kind: type) -> tuple[int, sp.Basic] | None:
    """The Sum/Product (``kind``) that ``run`` (the terms before the dots, nearest last), the dots
    and ``last`` (the term after them, or None) stand for, with how many run terms it covers;
    None unless every fitting general term gives the same reading."""
    if _geometric_too(run, last):
        return None
    readings: dict = {}
    for f in _candidates(run, last):
        got = _reading(f, run, last)
        if got is not None:  # ``a_k`` over 1 … n-1 and ``a_{k-1}`` over 2 … n are one reading
            m, first, upper = got
            shifted = (m, f.xreplace({INDEX: INDEX + first}), upper - first)
            readings.setdefault(shifted, (m, kind(f, (INDEX, first, upper))))
    if len(readings) != 1:
        return None
    (found,) = readings.values()
    return found


def _geometric_too(run: list[sp.Basic], last: sp.Basic | None) -> bool:
    """Whether numbers before the dots also run on by a ratio to the number after them (or with no
    term after them): ``1 + 2 + \\ldots + 8`` may be 1 + 2 + 4 + 8 as well as 1 + 2 + … + 8."""
    if len(run) < 2 or not all(t.is_Rational and t != 0 for t in run) or (last is not None and not last.is_Rational):
        return False
    ratio = run[1] / run[0]
    if ratio in (0, 1) or any(run[j] != run[0] * ratio**j for j in range(len(run))):
        return False
    return last is None or any(run[0] * ratio**j == last for j in range(len(run), 64))


def _sum_at(text: str, pos: int, parse: Parse, ph: Placeholders) -> tuple[int, int, sp.Basic] | None:
    """The span and value of the elided sum whose dots are at ``pos``, or None."""
    start, end = _innermost_group(text, pos)
    content = text[start:end]
    scripted = start > 0 and text[:start - 1].rstrip().endswith(("^", "_"))  # ``x_{1 + \ldots}``: an index
    if scripted or top_level_matches(_NOT_A_SUM, content):
        return None
    terms = _terms(content, start)
    at = next((j for j, t in enumerate(terms) if t.start <= pos < t.start + len(t.text)), None)
    if at is None:
        return None
    if terms[at].text.strip() != DOTS:
        return _product_at(terms[at], pos, parse, ph)
    if at == 0 or terms[at].sign != "+":
        return None
    after = terms[at + 1] if at + 1 < len(terms) else None
    if after is not None and after.sign != "+":
        return None
    before = []
    for t in reversed(terms[max(0, at - MAX_TERMS):at]):
        before.insert(0, t)
        if t.sign != "+":
            break
    if before[0].sign == "-":
        before = before[1:]
    parsed = [_read(t.text, parse, ph) for t in before]
    last = _read(after.text, parse, ph) if after is not None else None
    if not parsed or any(p is None for p in parsed) or (after is not None and last is None):
        return None
    found = elided(parsed, last, sp.Sum)
    if found is None:
        return None
    m, value = found
    end_term = after if after is not None else terms[at]
    stop = end_term.start + len(end_term.text.rstrip())
    return before[-m].start + len(before[-m].text) - len(before[-m].text.lstrip()), stop, value


def _product_at(term: Term, pos: int, parse: Parse, ph: Placeholders) -> tuple[int, int, sp.Basic] | None:
    """``x_1 x_2 \\cdots x_n``: a term that is a run of simple factors around the dots."""
    factors, i, text = [], 0, term.text
    while i < len(text.rstrip()):
        m = _FACTOR.match(text, i)
        if m is None or m.end() == i or _NOT_FACTOR.search(m.group(1)):
            if m is None or m.group(1) != DOTS:
                return None
        factors.append((term.start + m.start(1), term.start + m.end(1), m.group(1)))
        i = m.end()
    dots = [k for k, f in enumerate(factors) if f[2] == DOTS]
    if len(dots) != 1 or dots[0] == 0 or not factors[dots[0]][0] <= pos < factors[dots[0]][1]:
        return None
    if any(f[2].startswith(("\\mathbf", "\\boldsymbol")) for f in factors):
        return None  # matrices do not commute: their product's order is the matrix reading's to keep
    d = dots[0]
    before = factors[max(0, d - MAX_TERMS):d]
    after = factors[d + 1] if d + 1 < len(factors) else None
    parsed = [_read(f[2], parse, ph) for f in before]
    last = _read(after[2], parse, ph) if after is not None else None
    if any(p is None for p in parsed) or (after is not None and last is None):
        return None
    found = elided(parsed, last, sp.Product)
    if found is None:
        return None
    m, value = found
    return before[-m][0], after[1] if after is not None else factors[d][1], value


@construct("elided-sum", before="gamma")
def elided_sum(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``a_1 + a_2 + \ldots + a_n`` → ``Sum(a_k, (k, 1, n))``; ``1 + \gamma + \gamma^2 + \ldots`` →
    ``Sum(\gamma^k, (k, 0, \infty))``; ``x_1 x_2 \cdots x_n`` → ``Product(x_k, (k, 1, n))``: the
    general term is a written term with one integer (subscript, power) as the index, it must give
    each term before the dots and the one after them (the upper bound; none: an infinite series).
    Ambiguous dots, and those of a list, a call or a matrix, stay ``\ldots``."""
    skip = 0
    while True:
        pos = text.find(DOTS, skip)
        if pos < 0:
            return text
        found = _sum_at(text, pos, parse, ph)
        if found is None:
            skip = pos + len(DOTS)
            continue
        start, stop, value = found
        placeholder = ph.new(value, text[start:stop])
        text = text[:start] + placeholder + text[stop:]
        skip = start + len(placeholder)
