r"""Linear-algebra notation: transposes, inner products, norms, ``\odot``, components of a
bracket or a call.

``u^\top v`` with two vector-like operands is :class:`~mathlint.expr.linalg.Inner`,
``[a, b]^\top`` a literal vector. Juxtaposed bold names (``\mathbf A\mathbf B``) are an ordered
:class:`~mathlint.expr.linalg.MatProd`, which the instantiation multiplies as matrices. Any
other transpose (``\mathbf X^\top``, ``(\mathbf A + \mathbf B)^\top``) stays the undefined
function ``transpose``: computed on a matrix or a vector value, opaque otherwise.
"""

from __future__ import annotations

import re

import sympy as sp

from ..expr.linalg import Entry, Hadamard, Inner, MatProd, Norm, Vector
from ..expr.symbols import Component
from .constructs import Parse, Placeholders, construct, replace_groups
from .texscan import group_ends, match_group, split_top_level, strip_outer_braces

MAX_MARKS = 64  # transposes rewritten per row; more are left as written
_COMMA = re.compile(",")

# --- atoms: the operand next to an operator, found without parsing ------------------------

_CMD = re.compile(r"\\[A-Za-z]+")
_LANGLE = re.compile(r"\\langle(?![A-Za-z])")
_RANGLE = re.compile(r"\\rangle(?![A-Za-z])")
_TOP = re.compile(r"\^\s*(?:\{\s*(?:\\top|\\intercal)\s*\}|\{T\}|"
                  r"\\top(?![A-Za-z])|\\intercal(?![A-Za-z])|T(?![A-Za-z]))")


def _openers(text: str) -> dict[int, int]:
    """Index of a closing bracket → index of its opener."""
    out: dict[int, int] = {}
    for opener in "{([":
        out.update({end - 1: start for start, end in group_ends(text, opener).items() if end > 0})
    return out


def _script_end(text: str, j: int) -> int:
    """End of the sub/superscripts and primes after ``j`` (a transpose mark is not one)."""
    while j < len(text):
        if text[j] == "'":
            j += 1
        elif text[j] in "_^" and j + 1 < len(text) and not (text[j] == "^" and _TOP.match(text, j)):
            k = j + 1
            if text[k] == "{":
                k = match_group(text, k)
            elif text[k] == "\\":
                m = _CMD.match(text, k)
                k = m.end() if m else k + 2
            else:
                k += 1
            if k <= j:
                return j
            j = k
        else:
            return j
    return j


def atom_after(text: str, i: int) -> tuple[int, int] | None:
    r"""The operand starting at ``i`` (spaces skipped): a name with its scripts and brace
    arguments (``\mathbf{u}_j``, ``\bar{\mathbf v}_o``), a bracket group, or a call ``\phi(x)``."""
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        return None
    start, c = i, text[i]
    if c in "([{":
        j = match_group(text, i)
        return (start, _script_end(text, j)) if j > 0 else None
    if c == "\\":
        m = _CMD.match(text, i)
        if not m:
            return None
        j = m.end()
        while j < len(text) and text[j] == "{":
            j = match_group(text, j)
            if j < 0:
                return None
    elif c.isalpha():
        j = i + 1
    elif c.isdigit():
        j = i + 1
        while j < len(text) and (text[j].isdigit() or text[j] == "."):
            j += 1
        return start, j
    else:
        return None
    j = _script_end(text, j)
    if j < len(text) and text[j] == "(":
        end = match_group(text, j)
        if end > 0:
            j = end
    return start, j


def atom_before(text: str, p: int, openers: dict[int, int] | None = None) -> int | None:
    """Start of the operand that ends just before ``p`` (spaces skipped), or None."""
    openers = _openers(text) if openers is None else openers
    j = p
    while j > 0 and text[j - 1] == " ":
        j -= 1
    start = _unit_before(text, j, openers)
    if start is None:
        return None
    while start > 0 and text[start - 1] in "_^'":  # a script: the base before it
        if text[start - 1] == "'":
            start -= 1
            continue
        base = _unit_before(text, start - 1, openers)
        if base is None:
            return None
        start = base
    return start


def _unit_before(text: str, j: int, openers: dict[int, int]) -> int | None:
    """Start of the name, group or call ending at ``j``."""
    if j <= 0:
        return None
    c = text[j - 1]
    if c in ")]}":
        start = openers.get(j - 1)
        if start is None:
            return None
        while c == "}" and start > 0 and (start - 1) in openers and text[start - 1] == "}":
            start = openers[start - 1]  # ``\frac{a}{b}``: every argument
        if c != "}" and start > 0 and text[start - 1] == "}" and (start - 1) in openers:
            head = openers[start - 1]  # ``\mathrm{softmax}(\mathbf o)``: the command's argument
            cmd = _command_before(text, head)
            return cmd if cmd is not None else start
        cmd = _command_before(text, start)
        if cmd is not None:
            return cmd
        if c == ")" and start > 0 and text[start - 1].isalpha() and not text[start - 2:start - 1].isalpha():
            return start - 1  # ``f(x)``
        return start
    if c.isalpha():
        k = _command_before(text, j)
        return k if k is not None else j - 1
    if c.isdigit():
        k = j - 1
        while k > 0 and text[k - 1].isdigit():
            k -= 1
        return k
    return None


def _command_before(text: str, j: int) -> int | None:
    """Start of a command whose name ends at ``j`` (``\\mathbf`` before ``{x}``)."""
    k = j
    while k > 0 and text[k - 1].isalpha():
        k -= 1
    return k - 1 if k < j and k > 0 and text[k - 1] == "\\" else None


# --- what a piece of text is --------------------------------------------------------------

_NOT_VECTOR = re.compile(r"\\(?:nabla|partial|sum|prod|frac|int|exp|ln|log|sqrt|top|det|operatorname|mathsf|text)"
                         r"(?![A-Za-z])|\\(?:mathbf|boldsymbol|textbf|bm)\s*\{\s*[A-Z]")


def vector_like(piece: str) -> bool:
    r"""A lower-case name, bold or Greek (``\mathbf{u}_j``, ``\phi(x)``, ``w``), or a bracket of
    such names: what ML texts write for a vector. Capitals are matrices; operators are not read."""
    if not piece.strip() or _NOT_VECTOR.search(piece):
        return False
    bare = _CMD.sub("", piece)
    named = any(ch.isalpha() for ch in bare) or bool(re.search(r"\\[a-z]", piece))
    return named and not any(ch.isupper() for ch in bare)


def _restore(piece: str, ph: Placeholders) -> str:
    r"""``piece`` with the placeholders of earlier constructs back as the text they stand for:
    each parse has its own placeholders, so a piece parsed again must be the original text."""
    if "mlph" not in piece:
        return piece
    for name, source in sorted(ph.sources.items(), key=lambda kv: -int(kv[0][4:])):  # newest first: it may hold older
        piece = piece.replace("\\text{%s}" % name, source)
    return piece


# --- the transpose: a text rule marks it, a construct reads it ----------------------------

def mark_transposes(s: str) -> str:
    r"""Every ``B^\top`` (``^{\top}``, ``^\intercal``, ``^T``) → ``\operatorname{transpose}(B)``,
    with ``B`` the operand before it: a name with subscripts, a bracket group (its brackets
    dropped: ``[a, b]^\top`` → ``\operatorname{transpose}(a, b)``) or a call."""
    for _ in range(MAX_MARKS):
        m = _TOP.search(s)
        if not m:
            return s
        if m.group(0).rstrip("}").endswith("T") and not _t_is_transpose(s, m.start()):
            s = s[:m.start()] + "^{ T}" + s[m.end():]  # a power: the number T
            continue
        start = atom_before(s, m.start())
        if start is None:
            return s[:m.start()] + "^{\\top }" + _mark_rest(s[m.end():])
        base, after = s[start:m.start()].strip(), m.end()
        if base[:1] in "([" and match_group(base, 0) == len(base):
            base = base[1:-1]
        elif s.startswith("_", after):  # ``\mathbf{a}^\top_{1}``: the subscript is the name's
            end = _script_end(s, after)
            base, after = base + s[after:end], end
        s = s[:start] + "\\operatorname{transpose}(" + base + ")" + s[after:]
    return s


def _angles(text: str):
    r"""Each ``\langle`` with the first ``\rangle`` after it (none past an unclosed one)."""
    for m in _LANGLE.finditer(text):
        close = _RANGLE.search(text, m.end())
        if close is None:
            return
        yield m, close


def brace_angles(s: str) -> str:
    r"""``\langle a, b\rangle`` → ``\langle{a, b}\rangle``: its comma is no list separator."""
    out, i = [], 0
    for m, close in _angles(s):
        if m.start() < i:
            continue
        out += [s[i:m.end()], "{", s[m.end():close.start()].strip(), "}"]
        i = close.start()
    out.append(s[i:])
    return "".join(out)


def _mark_rest(rest: str) -> str:
    return mark_transposes(rest) if len(rest) < 4000 else rest


_BOLD_OR_CAPITAL = re.compile(r"(?:\\(?:mathbf|boldsymbol|textbf|bm)\s*\{[^{}]*\}|[A-Z])"
                              r"(?:_(?:\{[^{}]*\}|\\?[A-Za-z0-9]+))?\s*$")


def _t_is_transpose(s: str, p: int) -> bool:
    """``^T`` is a transpose after a bold or capital name, or a bracket holding a bold name;
    after anything else T is a number (the text rule before this one writes those ``^{ T}``)."""
    head = s[max(0, p - 80):p]
    if _BOLD_OR_CAPITAL.search(head):
        return True
    start = atom_before(s, p)
    if start is None:
        return False
    if s[start] in "([":
        return bool(re.search(r"\\(?:mathbf|boldsymbol)", s[start:p]))
    return bool(re.fullmatch(r"[a-df-z](?:_.*)?", s[start:p].strip()))  # ``w^T x``: a vector (``e^T``: a power)


_MARK = re.compile(r"\\operatorname\{transpose\}\s*\(")
_CDOT = re.compile(r"\s*\\cdot(?![A-Za-z])")


@construct("transpose", before="indicator")
def transpose(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``u^\top v`` with both operands vector-like (lower-case, bold lower-case, Greek, or a
    bracket of those; ``\cdot`` between allowed) → ``Inner(u, v)``; ``[a, b]^\top``,
    ``(1, x)^\top`` → ``Vector(a, b)``; any other transpose → the undefined ``transpose(B)``
    (matrices: opaque, unchecked)."""
    def build(m: re.Match, end: int):
        inner = _restore(text[m.end():end - 1], ph)
        items = [t for _, t in split_top_level(inner, _COMMA)]
        if len(items) > 1:
            return Vector(*[parse(t) for t in items]), end
        if vector_like(inner):
            k = end
            cdot = _CDOT.match(text, k)
            k = cdot.end() if cdot else k
            nxt = atom_after(text, k)
            if nxt is not None and not _MARK.match(text, nxt[0]):
                other = _restore(text[nxt[0]:nxt[1]], ph)
                if vector_like(other):
                    return Inner(parse(inner), parse(other)), nxt[1]
        return sp.Function("transpose")(parse(inner)), end
    return replace_groups(text, _MARK, build, ph)


# --- norms, inner products, ⊙, components --------------------------------------------------

_BARS = re.compile(r"\\\||\\[lr]?Vert(?![A-Za-z])")
_NORM_SUB = re.compile(r"_\s*(\{\s*([^{}]*?)\s*\}|\\infty(?![A-Za-z])|\\(?:textrm|mathrm|text)\{(F)\}|[A-Za-z0-9])")
_P = {"": 2, "2": 2, "1": 1, "F": 2, "p": sp.Symbol("p"), "\\infty": sp.oo, "q": sp.Symbol("q")}


def _bar_pairs(text: str) -> list[tuple[re.Match, re.Match]]:
    """Norm bars paired in order within the same bracket group (``D(P\\|Q)`` has one: no pair)."""
    pairs, open_at, stack = [], {}, [-1]
    marks = {m.start(): m for m in _BARS.finditer(text)}
    i = 0
    while i < len(text):
        if i in marks:
            m, key = marks[i], stack[-1]
            if key in open_at:
                pairs.append((open_at.pop(key), m))
            else:
                open_at[key] = m
            i = m.end()
            continue
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "{([":
            stack.append(i)
        elif ch in "})]" and len(stack) > 1:
            open_at.pop(stack.pop(), None)
        i += 1
    return pairs


#: two capital (matrix) names multiplied: the numeric model would read them as numbers that commute
_MATRIX_PRODUCT = re.compile(r"(?:\\(?:mathbf|boldsymbol)\s*\{[A-Z]\}|(?<![\\A-Za-z])[A-Z])(?:_\{?\w+\}?)?"
                             r"\s*(?:\\mathbf|\\boldsymbol)\s*\{[A-Z]\}")


@construct("norm", before="indicator")
def norm(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\|e\|`` and ``\|e\|_2`` → ``Norm(e, 2)``; ``\|e\|_1``, ``\|e\|_p``, ``\|e\|_\infty``;
    ``\|\mathbf X\|_F`` → ``Norm(X, 2)`` (on the components). A power after it stays a power
    (``\|e\|_2^2``). Another subscript, or capitals multiplied unordered → ``norm(e, sub)``: opaque."""
    out, i = [], 0
    for a, b in _bar_pairs(text):
        if a.start() < i:
            continue
        inner = _restore(text[a.end():b.start()], ph)
        if not inner.strip():
            continue
        sub = _NORM_SUB.match(text, b.end())
        key = "" if sub is None else next(g for g in (sub.group(2), sub.group(3), sub.group(1)) if g is not None)
        end = b.end() if sub is None else sub.end()
        p = None if _MATRIX_PRODUCT.search(inner) and not parse(inner).has(MatProd) else _P.get(key.strip())
        value = Norm(parse(inner), p) if p is not None else sp.Function("norm")(parse(inner), parse(_restore(key, ph)))
        out.append(text[i:a.start()])
        out.append(ph.new(value, text[a.start():end]))
        i = end
    out.append(text[i:])
    return "".join(out)


@construct("inner-product", before="indicator")
def inner_product(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\langle \mathbf a, \mathbf b\rangle`` → ``Inner(a, b)``."""
    out, i = [], 0
    for m, close in _angles(text):
        if m.start() < i:
            continue
        inside = strip_outer_braces(_restore(text[m.end():close.start()], ph).strip())
        items = [t for _, t in split_top_level(inside, _COMMA)]
        if len(items) != 2:
            continue
        out.append(text[i:m.start()])
        out.append(ph.new(Inner(parse(items[0]), parse(items[1])), text[m.start():close.end()]))
        i = close.end()
    out.append(text[i:])
    return "".join(out)


_ODOT = re.compile(r"\\odot(?![A-Za-z])")


@construct("hadamard", before="indicator")
def hadamard(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""``\mathbf a \odot \mathbf b`` (the operands next to it: names, brackets, fractions, calls)
    → ``Hadamard(a, b)``, the product component by component."""
    for _ in range(MAX_MARKS):
        m = _ODOT.search(text)
        if m is None:
            return text
        start, right = atom_before(text, m.start()), atom_after(text, m.end())
        if start is None or right is None:
            return text  # unread: the grammar names ``\odot``
        left = _restore(text[start:m.start()], ph)
        value = Hadamard(parse(left), parse(_restore(text[right[0]:right[1]], ph)))
        text = text[:start] + ph.new(value, text[start:right[1]]) + text[right[1]:]
    return text


_SUBSCRIPTED_GROUP = re.compile(r"[)\]]\s*_\s*(\{[^{}]*\}|[A-Za-z0-9])")
_ONE_NAME = re.compile(r"\s*(?:\\(?:mathbf|boldsymbol|mathsf|bm|textbf)\s*\{[^{}]*\}|[A-Za-z])\s*")


@construct("component", before="indicator")
def component(text: str, parse: Parse, ph: Placeholders) -> str:
    r"""A subscript on a bracket or a call: ``[\mathbf{H}]_{i,j}`` → ``H_{i,j}`` (the entry of
    the name); ``[\mathbf{a} + \mathbf{b}]_k``, ``\mathrm{softmax}(\mathbf{o})_j``, ``f(x)_j`` →
    ``Component(…, j)``; two indices on an expression (``[\mathbf{U}\mathbf{V}]_{ib}``) →
    ``Entry(…, i, b)``, computed on the matrix at concrete sizes; more → the undefined ``entry``."""
    for _ in range(MAX_MARKS):
        m = _SUBSCRIPTED_GROUP.search(text)
        if m is None:
            return text
        close = m.start()
        openers = _openers(text)
        opener = openers.get(close)
        start = atom_before(text, close + 1, openers) if opener is not None else None
        if start is None:
            return text
        whole = _restore(text[start:close + 1], ph)
        sub = m.group(1)[1:-1] if m.group(1).startswith("{") else m.group(1)
        indices = [t for _, t in split_top_level(sub, _COMMA)] if "," in sub else (
            list(sub) if re.fullmatch(r"[a-z]{2,3}", sub.strip()) else [sub])
        inside = text[opener + 1:close]
        if start == opener and _ONE_NAME.fullmatch(inside):
            value = parse("%s_{%s}" % (_restore(inside, ph).strip(), sub))
        elif len(indices) == 1:
            value = Component(parse(whole), parse(indices[0]))
        elif len(indices) == 2:  # read at concrete sizes on the matrix's value (``numeric/matrices``)
            value = Entry(parse(whole), *[parse(t) for t in indices])
        else:
            value = sp.Function("entry")(parse(whole), *[parse(t) for t in indices])
        text = text[:start] + ph.new(value, text[start:m.end()]) + text[m.end():]
    return text

