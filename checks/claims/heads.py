r"""Definitions whose head is a call at a shifted argument: ``f(x+\epsilon) = g(x+\epsilon) + h(x+\epsilon)``.

Such an equation holds for every x and ε, and its right side depends on them only through
``x+\epsilon`` (every occurrence of x and ε is inside a bracket holding exactly the head's
argument), so it defines f at every point: ``f(t) = g(t) + h(t)``. As ``t = x + ε`` takes every
value (a shift: the argument is a name plus terms free of it), nothing is read beyond the text.

The reader takes ``g(x+\epsilon)`` for the product ``g·(x+ε)`` (and may merge the brackets of
``g(x+\epsilon)\cdot h(x+\epsilon)`` into ``(x+ε)²``), so the right side is read again from its
LaTeX with each bracket ``(x+\epsilon)`` written as a fresh name: then ``g(t)`` is a call, which
is what the text writes. Only names the text uses as functions (``g(x)``, ``\frac{dg}{dx}(x)``) are
read as calls; any other name before a bracket leaves the head unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace as with_fields

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.walk import atoms, read_as_calls, xreplace
from ..latex.parse import ParseError, parse_side
from ..model import Block, MathSpan, Side, Statement

_GREEK = ("alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|pi|rho"
          "|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|Psi|Omega")
_NAME = rf"[A-Za-z]|\\(?:{_GREEK})(?![A-Za-z])"
#: ``f(x+\epsilon)``, ``f\left(x + h\right)``: a plain name applied to one argument with no brackets inside
_CALL = re.compile(rf"\s*({_NAME})\s*(?:\\left\s*)?\(\s*([^()]+?)\s*(?:\\right\s*)?\)\s*")
#: single letters that name an operator or a distribution (``P(x+1)``, ``E(X+Y)``), not a function to define
_OPERATORS = frozenset("EPpQHIND")
#: fresh names the argument's brackets are written as, the first the side does not use
_PLACEHOLDERS = "tuvzsqrw"
#: what binds a name on the right side: a bracket ``(x+1)`` under ``\sum_{x=1}`` is no argument
_BINDERS = (sp.Sum, sp.Product, sp.Integral, sp.Limit, sp.Derivative)
#: words that deny the equation of their sentence ("it is not true that …", "… fails"): it defines nothing
_DENIAL = re.compile(r"\b(?:not|n't|false|fails?|incorrect|wrong|never)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n[ \t]*\n")


@dataclass(frozen=True)
class Shifted:
    """``f(x+ε) = body`` read as ``f(x) = body[x+ε → x]``; ``statement`` is the equation with its
    second side read with the calls it writes (``g(x+ε)·h(x+ε)``), for the steps after it."""

    target: AppliedUndef
    body: sp.Basic
    argument: str  # the head's argument as written (``x+\epsilon``), named in the reason
    statement: Statement

    @property
    def reason(self) -> str:
        (x,) = self.target.args
        body = sp.sstr(self.body)
        body = body if len(body) <= 80 else body[:79] + "…"
        return (f"defines {self.target} = {body} for every {x}: the right side depends on its "
                f"names only through `{self.argument}` (a shift, which takes every value)")


def shifted_head(st: Statement, functions: dict, span: MathSpan | None = None) -> Shifted | None:
    """The definition ``st`` makes when its head is ``f(x + c)`` (c free of x), or None. ``functions``:
    the functions the text defines before it (name → class); the statement's own calls are added.
    None too when the sentence of ``span`` (the math it is in) denies the equation."""
    if len(st.sides) < 2 or any(s.expr is None for s in st.sides) or span is not None and denied(span):
        return None
    m = _CALL.fullmatch(st.sides[0].latex)
    if m is None or m.group(1) in _OPERATORS or re.search(r"[=|,;<>]", m.group(2)):
        return None
    head = m.group(1)  # a call's name as the reader gives it (``\sigma``); a factor's is ``sigma``
    name = head.lstrip("\\")
    try:
        arg = parse_side(m.group(2))
    except ParseError:
        return None
    var = _shifted_name(arg)
    lhs = st.sides[0].expr
    if var is None or not (lhs == sp.Mul(sp.Symbol(name), arg) or isinstance(lhs, AppliedUndef)
                           and type(lhs).__name__ == head and lhs.args == (arg,)):
        return None
    calls = {**functions, **_calls(st)}
    body = _body(st.sides[1], m.group(2), arg, calls)
    if body is None:
        return None
    read, slot = body
    fn = calls.get(head) or sp.Function(head)
    side = with_fields(st.sides[1], expr=xreplace(read, {slot: arg}, evaluate=False))
    return Shifted(fn(var), xreplace(read, {slot: var}, evaluate=False), m.group(2).strip(),
                   with_fields(st, sides=[st.sides[0], side, *st.sides[2:]]))


def denied(span: MathSpan) -> bool:
    """Whether the sentence around ``span`` denies its equation ("it is not true that $…$")."""
    before = _SENTENCE_END.split(span.before)[-1]
    after = _SENTENCE_END.split(span.after, 1)[0]
    return bool(_DENIAL.search(f"{before} {after}"))


def _binds(e: sp.Basic, names: set) -> bool:
    """Whether ``e`` binds one of ``names`` (a sum's index, an integral's, a limit's, a derivative's variable)."""
    for b in atoms(e, *_BINDERS):
        bound = b.variables if isinstance(b, sp.Derivative) else [b.args[1]] if isinstance(b, sp.Limit) \
            else [lim[0] for lim in b.limits]
        if set(bound) & names:
            return True
    return False


def _shifted_name(arg: sp.Basic) -> sp.Symbol | None:
    """``x`` in ``x + \\epsilon`` (``x + 2h``, ``x - 1``): a name with coefficient 1 plus terms free
    of it, so the argument takes every value; the first such name that is no increment."""
    if not isinstance(arg, sp.Add) or arg.atoms(AppliedUndef, sp.Indexed, sp.Derivative, sp.Integral, sp.Sum):
        return None
    names = [a for a in arg.args if isinstance(a, sp.Symbol) and not (arg - a).has(a)]
    names.sort(key=lambda s: (s.name in ("epsilon", "varepsilon", "delta", "Delta", "h", "eta"), s.name))
    return names[0] if names else None


def _calls(st: Statement) -> dict:
    """The statement's functions (name → class): what its sides call."""
    return {type(c).__name__: type(c) for s in st.sides if isinstance(s.expr, sp.Basic)
            for c in atoms(s.expr, AppliedUndef)}


def _body(side: Side, arg_latex: str, arg: sp.Basic, calls: dict) -> tuple[sp.Basic, sp.Symbol] | None:
    """The side read with each bracket holding exactly ``arg_latex`` written as a fresh name (the
    body and that name), or None when the side still mentions the argument's names elsewhere, or
    a bracket after a name is neither a call of one of ``calls`` nor what the reader read."""
    tokens = re.findall(r"\\[A-Za-z]+|\S", arg_latex)
    inner = r"\s*".join(re.escape(t) + (r"(?![A-Za-z])" if t[0] == "\\" and t[1:].isalpha() else "")
                        for t in tokens)
    bracket = re.compile(rf"(\\left\s*\(|\(|\{{)\s*{inner}\s*(\\right\s*\)|\)|\}})")
    if _binds(side.expr, arg.free_symbols):
        return None  # ``\sum_{x=1}^{3} (x+1)``: that bracket is the bound x's, not the argument
    used = {str(s) for s in side.expr.free_symbols} | set(calls)
    letter = next((c for c in _PLACEHOLDERS if c not in used
                   and not re.search(rf"(?<![A-Za-z\\]){c}(?![A-Za-z])", side.latex)), None)
    if letter is None:
        return None

    def written(m: re.Match) -> str:
        opened, closed = m.group(1), m.group(2)
        if (opened == "{") != (closed == "}"):
            return m.group(0)
        return f"{opened}{letter}{closed}"

    text, count = bracket.subn(written, side.latex)
    if not count:
        return None
    try:
        read = parse_side(text)
    except ParseError:
        return None
    slot = sp.Symbol(letter)
    if read.free_symbols & arg.free_symbols or _binds(read, arg.free_symbols):
        return None  # the side depends on x or ε otherwise than through x + ε
    read = _as_calls(read, calls, text)
    if read is None or any(type(c).__name__ not in calls for c in atoms(read, AppliedUndef)):
        return None  # ``a(t)`` for the product ``a·(x+1)``: no reading the text supports
    return read, slot


def _as_calls(e: sp.Basic, calls: dict, text: str) -> sp.Basic | None:
    """``g·h(t)`` as ``g(h(t))``, ``g·(t + 1)`` as ``g(t + 1)`` for the functions ``calls`` the text
    writes as calls: the reader takes a name before a bracket holding more than a name for a factor.
    None when a product with such a name has no single bracket it applies to."""
    written = {n.lstrip("\\"): calls[n] for n in calls  # ``\sigma(x)`` calls ``\sigma``, ``\sigma·(a+b)`` has ``sigma``
               if re.search(r"(?<![A-Za-z\\])" + re.escape(n) + r"\s*(?:\\left\s*)?\(", text)}
    out, whole, _ = read_as_calls(e, written)
    if not whole or any(s.name in written for s in out.free_symbols if isinstance(s, sp.Symbol)):
        return None
    return out


def with_calls(st: Statement, functions: dict) -> Statement:
    """``st`` with ``f·(x+\\epsilon)`` read as the call ``f(x+\\epsilon)`` where the text defines f as a
    function and writes ``f(`` (each side whole or not at all); ``st`` itself when nothing changes."""
    sides, changed, names = [], False, {n.lstrip("\\") for n in functions}
    for s in st.sides:
        e = s.expr
        if isinstance(e, sp.Expr) and any(isinstance(x, sp.Symbol) and x.name in names for x in e.free_symbols):
            read = _as_calls(e, functions, s.latex)
            if read is not None and read != e:
                s, changed = with_fields(s, expr=read), True
        sides.append(s)
    return with_fields(st, sides=sides) if changed else st


def called(blocks: list[Block]) -> dict:
    """The functions a text calls anywhere (name → class): ``g(x)`` read as a call by the reader, so a
    shifted head's right side ``g(x+\\epsilon)`` is read as one too."""
    out: dict = {}
    for block in blocks:
        for st in block.statements:
            out.update(_calls(st))
    return out
