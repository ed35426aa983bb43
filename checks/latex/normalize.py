"""Rewrite blog LaTeX into the dialect the parser accepts.

Each rewrite is a small named :class:`Rule` registered in :data:`RULES` and
applied in registration order. Rules are pure ``str -> str`` functions; see
docs/normalization.md for the list and how to add one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import names
from .linalg import brace_angles, mark_transposes
from .texscan import match_group


@dataclass(frozen=True)
class Rule:
    name: str
    doc: str
    apply: Callable[[str], str]


RULES: list[Rule] = []


def rule(name: str):
    """Register ``fn`` as a normalization rule; its docstring documents it."""
    def deco(fn: Callable[[str], str]) -> Callable[[str], str]:
        RULES.append(Rule(name, (fn.__doc__ or "").strip(), fn))
        return fn
    return deco


def normalize(latex: str, skip: frozenset[str] = frozenset()) -> str:
    """Apply every registered rule (except those named in ``skip``)."""
    for r in RULES:
        if r.name not in skip:
            latex = r.apply(latex)
    return latex


def _sub_group_command(text: str, command: str, keep_arg: int | None, n_args: int) -> str:
    """Replace ``\\command{a1}…{an}`` by ``{a_keep}`` (or nothing when keep_arg is None)."""
    out, i = [], 0
    pat = re.compile(re.escape(command) + r"(?![A-Za-z])\s*")
    while True:
        m = pat.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:m.start()])
        j, args = m.end(), []
        while len(args) < n_args and j < len(text) and text[j] == "{":
            end = match_group(text, j)  # linear on long texts (texscan.group_ends)
            if end < 0:
                break
            args.append(text[j + 1:end - 1])
            j = end
            while j < len(text) and text[j] == " " and len(args) < n_args:
                j += 1
        if keep_arg is not None and len(args) > keep_arg:
            out.append("{" + args[keep_arg] + "}")
        i = j


@rule("environments")
def strip_environments(s: str) -> str:
    r"""Drop ``\begin{aligned}``/``\end{aligned}`` (align, equation, gather, split,
    starred or not), ``\nonumber``, ``\label{…}``, ``\tag{…}`` and alignment ``&``."""
    s = re.sub(r"\\(begin|end)\{(aligned|align|equation|gather|gathered|split|eqnarray|multline)\*?\}", " ", s)
    s = re.sub(r"\\(label|tag)\{[^{}]*\}", " ", s)
    s = s.replace("\\nonumber", " ")
    return re.sub(r"(?<!\\)&", " ", s)


@rule("color")
def strip_color(s: str) -> str:
    r"""``{\color{red}{x}}``, ``\color{red}{x}``, ``\textcolor{red}{x}`` → ``{x}``;
    a bare ``\color{red}`` switch is dropped."""
    s = _sub_group_command(s, "\\textcolor", 1, 2)
    return _sub_group_command(s, "\\color", 1, 2)


@rule("spacing")
def strip_spacing(s: str) -> str:
    r"""Style and spacing commands (``\displaystyle``, ``\limits``, ``\,``, ``\;``,
    ``\!``, ``~``) become a space. ``\quad`` and ``\hspace`` are kept: they
    separate equations and conditions."""
    s = re.sub(r"\\(displaystyle|textstyle|scriptstyle|limits|nolimits|mathstrut)(?![A-Za-z])", " ", s)
    s = re.sub(r"\\[,;:!> ]", " ", s)
    return re.sub(r"(?<!\\)~", " ", s)


@rule("left-right")
def strip_left_right(s: str) -> str:
    r"""``\left(`` → ``(``, ``\right]`` → ``]``, ``\left.`` → nothing; same for ``\big``-sizes."""
    s = re.sub(r"\\(left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)\s*\.", " ", s)
    return re.sub(r"\\(left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)(?![A-Za-z])\s*", "", s)


@rule("bracket-commands")
def bracket_commands(s: str) -> str:
    r"""``\lbrack``/``\rbrack`` → ``[``/``]``, ``\lbrace``/``\rbrace`` → ``\{``/``\}``,
    ``\lvert``/``\rvert``/``\vert`` → ``|``."""
    for cmd, rep in (("lbrack", "["), ("rbrack", "]"), ("lbrace", "\\{"), ("rbrace", "\\}"),
                     ("lvert", "|"), ("rvert", "|"), ("vert", "|")):
        s = re.sub(r"\\" + cmd + r"(?![A-Za-z])\s*", lambda _m, r=rep: r, s)
    return s


def _sub_spaced(s: str, core: re.Pattern, replacement: str) -> str:
    r"""``re.sub(r"\s*CORE\s*", replacement, s)`` in linear time: a leading ``\s*`` is retried
    from every position of a long run of spaces that no CORE follows (quadratic)."""
    out, i = [], 0
    for m in core.finditer(s):
        out += [s[i:m.start()].rstrip(), replacement]
        i = m.end()
        while i < len(s) and s[i].isspace():
            i += 1
    out.append(s[i:])
    return "".join(out)


# names (latex/names.py): one spelling per name before the rules that look at names (``transpose``,
# ``star-product``, ``bare-words``: ``\textrm{Var}(X)`` is then ``\operatorname{Var}(X)``, protected)
rule("fonts")(names.fonts)
rule("text-names")(names.text_names)


_MID = re.compile(r"\\mid(?![A-Za-z])")


@rule("mid")
def mid_bar(s: str) -> str:
    r"""``P(Y=1\mid x)`` → ``P(Y=1|x)``: the conditioning bar."""
    return _sub_spaced(s, _MID, "|")


@rule("star-product")
def star_product(s: str) -> str:
    r"""``a*b`` → ``a \cdot b`` (``x^*`` is left alone)."""
    return re.sub(r"(?<![\^_{])\*", r" \\cdot ", s)


@rule("ellipsis")
def ellipsis(s: str) -> str:
    r"""``...``, ``\ldots``, ``\cdots``, ``\dots`` → ``\ldots`` (read as an opaque symbol)."""
    s = re.sub(r"\\(cdots|dots|dotsc|dotsb|ldots)(?![A-Za-z])", r"\\ldots ", s)
    return re.sub(r"(?<!\\)\.\.\.", r"\\ldots ", s)


@rule("trailing-punctuation")
def trailing_punctuation(s: str) -> str:
    r"""A sentence's ``.``/``,``/``;`` after the last formula is dropped (with the spaces,
    ``\quad`` and ``\qquad`` before it)."""
    s = s.rstrip()
    if not s or s[-1] not in ".,;":
        return s
    end = len(s) - 1  # scanned backwards: each step has one reading, so this is the leftmost match
    while end > 0:
        if s[end - 1].isspace():
            end -= 1
        elif s.endswith("\\quad", 0, end):
            end -= 5
        elif s.endswith("\\qquad", 0, end):
            end -= 6
        else:
            break
    return s[:end]


@rule("sum-limits")
def sum_limits(s: str) -> str:
    r"""``\sum_j`` → ``\sum_{j}``: a sum with only an index (its range is set by the parser)."""
    return re.sub(r"\\(sum|prod)_([A-Za-z])", r"\\\1_{\2}", s)


@rule("transpose")
def transpose(s: str) -> str:
    r"""``B^\top``, ``B^{\top}``, ``B^\intercal``, ``B^T`` → ``\operatorname{transpose}(B)``, with
    ``B`` the operand before it (a bold, Greek or lower-case name with subscripts, a bracket group
    without its brackets, a call; read by the ``transpose`` construct). ``T`` as a sum's bound
    (``\sum_{t=1}^{T}``) or the power of a Greek letter, a number or a lower-case letter that is
    a whole term (``\gamma^{T}``, ``1-a^{T}``) is the number T, written ``^{ T}``; ``^T`` is a
    transpose only after a bold or capital name (or a bracket holding a bold name). The pair in
    ``\langle a, b\rangle`` is braced, so that its comma separates no list."""
    power_of = r"(\\(?:sum|prod)_\{[^{}]*\}|\\[a-zA-Z]+(?<!\\top)|\d)"
    s = re.sub(power_of + r"\s*\^(?:\{T\}|T(?![A-Za-z]))", r"\1^{ T}", s)
    # a lower-case letter after + - / and with nothing to multiply after it: ``1 - a^{T}``
    s = re.sub(r"(?:(?<=[-+/])|(?<=[-+/] ))([a-z])\^(?:\{T\}|T(?![A-Za-z]))(?=\s*(?:$|[-+=,)}\]]|\\right))",
               r"\1^{ T}", s)
    return mark_transposes(brace_angles(s))


# --- bare words -------------------------------------------------------------

KNOWN_FUNCTIONS = ("log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh",
                   "arcsin", "arccos", "arctan", "sqrt", "det", "max", "min")
NAMED_FUNCTIONS = ("logit", "softmax", "sigmoid", "relu", "ReLU", "sgn", "sign", "argmax",
                   "argmin", "diag", "tr", "logsumexp", "Var", "Cov", "KL", "CE")
#: commands whose braced argument is text, not math to rescan
_TEXT_ARG = ("text", "mathrm", "operatorname", "textrm", "textbf", "mathit", "label", "mbox",
             "hspace", "color", "textcolor", "begin", "end", "mathbb", "mathcal", "mathbf")


_COMMAND_AT = re.compile(r"\\([A-Za-z]+)\s*|\\.|\\$", re.S)  # a lone trailing backslash too


def _word(run: str, nxt: str) -> str:
    if run in NAMED_FUNCTIONS and nxt == "(":
        return "\\operatorname{%s}" % run
    if run in KNOWN_FUNCTIONS:
        return "\\%s " % run
    for f in sorted(KNOWN_FUNCTIONS, key=len, reverse=True):
        rest = run[len(f):]
        if run.startswith(f) and rest and (len(rest) <= 2 or rest[0].isupper()):
            return "\\%s %s" % (f, _word(rest, nxt))
    if len(run) >= 4:
        return "\\text{%s}" % run
    return run


@rule("bare-words")
def bare_words(s: str) -> str:
    r"""Words written without a backslash: ``log``/``exp``/``ln`` → ``\log``…,
    ``logP`` → ``\log P``, ``logit(p)`` → ``\operatorname{logit}(p)``, and any
    other run of four or more letters (``dscores``) → one symbol ``\text{dscores}``.
    Subscripts (``y_ilogP`` is ``y_i`` then ``logP``) and command arguments are respected."""
    out, i, n = [], 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "\\":
            m = _COMMAND_AT.match(s, i)  # at ``i``, not on a copy of the rest: linear
            out.append(m.group(0))
            i += len(m.group(0))
            if m.group(1) in _TEXT_ARG and i < n and s[i] == "{":
                end = match_group(s, i)
                end = n if end < 0 else end
                out.append(s[i:end])
                i = end
            continue
        if ch in "_^" and i + 1 < n and s[i + 1].isalnum():
            out.append(s[i:i + 2])
            i += 2
            continue
        if ch.isascii() and ch.isalpha():
            j = i
            while j < n and s[j].isascii() and s[j].isalpha():
                j += 1
            out.append(_word(s[i:j], s[j] if j < n else ""))
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


rule("euler-subscript")(names.euler_subscript)  # after bare-words: ``\text{e}`` is not rescanned


@rule("natural-log")
def natural_log(s: str) -> str:
    r"""``\log x`` means the natural log in ML writing: → ``\ln x``. ``\log_{b}`` keeps its base."""
    return re.sub(r"\\log(?![A-Za-z_])\s*", r"\\ln ", s)


@rule("whitespace")
def collapse_whitespace(s: str) -> str:
    """Runs of whitespace (including newlines) → one space; ends trimmed."""
    return re.sub(r"\s+", " ", s).strip()
