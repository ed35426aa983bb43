"""Find every math span of a Markdown document, with its source position.

Markdown structure (code fences, inline code, HTML, front matter) is handled by
markdown-it-py; math delimiters by mdit-py-plugins (``$``, ``$$``, amsmath
environments) plus one small inline rule for the ``\\(…\\)`` / ``\\[…\\]``
forms, both single-backslash (LaTeX) and double-backslash (MathJax inside
kramdown, where ``\\`` escapes the backslash).

The same reader serves Quarto (``.qmd``), R Markdown (``.Rmd``) and MyST: every label syntax of
:mod:`mathlint.sources.labels` is read in every file (a display labelled after its closing
``$$``, by a block rule of its own; a label inside the math, blanked; d2l's ``:eqlabel:`` line;
MyST's ```` ```{math} ```` directive, a display, not code), and ```` ```{python} ```` chunks are code.
"""

from __future__ import annotations

import bisect
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..model import Annotation, MathSpan
from ..runtime.memo import cached
from . import labels as labelling
from .base import CodeSpan, Heading, Label, Reference, Source

_BRACKETS = (("\\\\(", "\\\\)", "inline"), ("\\\\[", "\\\\]", "display"),
             ("\\(", "\\)", "inline"), ("\\[", "\\]", "display"))

_MATH_TOKENS = {
    "math_inline": ("inline", "$"),
    "math_inline_double": ("display", "$$"),
    "math_block": ("display", "$$"),
    "math_block_label": ("display", "$$"),
    "math_directive": ("display", "```{math}"),
    "amsmath": ("display", "\\begin"),
    "bracket_math_inline": ("inline", "\\("),
    "bracket_math_display": ("display", "\\["),
}


def _bracket_math(state: StateInline, silent: bool) -> bool:
    """Inline rule for ``\\(…\\)`` and ``\\[…\\]`` with one or two backslashes."""
    src, pos = state.src, state.pos
    if src[pos] != "\\":
        return False
    for opener, closer, kind in _BRACKETS:
        if not src.startswith(opener, pos):
            continue
        start = pos + len(opener)
        # a closer missing after one opener is missing after every later one: searched once,
        # not once per opener (thousands of ``\\[`` with no ``\\]`` were quadratic)
        unclosed = state.env.setdefault("mathlint_unclosed", {})
        if start >= unclosed.get((closer, src), len(src) + 1):
            return False
        end = src.find(closer, start)
        if end < 0:
            unclosed[(closer, src)] = start
            return False
        if not silent:
            token = state.push(f"bracket_math_{kind}", "math", 0)
            token.content = src[start:end]
            token.markup = opener
        state.pos = end + len(closer)
        return True
    return False


def _labelled_display(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule for a ``$$`` display whose closing ``$$`` carries a label after it on its line
    (Quarto's ``$$ {#eq-x}``, MyST's ``$$ (x)``): without it, a ``{#eq-x}`` after the closing
    marker hides the display (dollarmath reads on to the next ``$$``)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("$$", begin):
        return False
    rows = []
    for line in range(start_line, end_line):
        lo = begin + 2 if line == start_line else state.bMarks[line] + state.tShift[line]
        row = state.src[lo:state.eMarks[line]]
        if line > start_line and not row.strip():
            return False  # a blank line: no display (as dollarmath)
        found = labelling.after_close(row) if "$$" in row else None
        if found is None:
            if "$$" in row:  # closed without a label (or not a display): dollarmath's; never read past it
                return False
            rows.append(row)
            continue
        if silent:
            return True
        close, label, syntax = found
        rows.append(row[:close])
        token = state.push("math_block_label", "math", 0)
        token.block, token.markup, token.info = True, "$$", label
        token.content = "\n".join(rows) if line > start_line else rows[0]
        token.map = [start_line, line + 1]
        token.meta = {"syntax": syntax}
        state.line = line + 1
        return True
    return False


@cached("markdown-parser", maxsize=1)
def markdown_parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
        .use(amsmath_plugin)
    )
    md.inline.ruler.before("escape", "bracket_math", _bracket_math)
    md.block.ruler.before("math_block", "labelled_math", _labelled_display,
                          {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})
    return md


class _Locator:
    """Maps character offsets of a source text to 1-based (line, column)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        idx = bisect.bisect_right(self.starts, offset) - 1
        return idx + 1, offset - self.starts[idx] + 1

    def line_offset(self, line0: int) -> int:
        return self.starts[min(line0, len(self.starts) - 1)]


@cached("markdown-tokens", maxsize=8)
def _tokens(text: str) -> tuple:
    """The Markdown tokens of ``text``, parsed once for all the readers below (a check asks
    for the math spans, the annotations and the code spans of the same text)."""
    return tuple(markdown_parser().parse(text))


def _find(text: str, needle: str, lo: int, hi: int) -> int:
    """Offset of ``needle`` in ``text[lo:hi]``, trying its first line when the whole
    needle is not verbatim (block quotes and lists strip prefixes); -1 if absent."""
    if not needle.strip():
        return -1
    at = text.find(needle, lo, hi)
    if at >= 0:
        return at
    first = needle.strip().splitlines()[0]
    return text.find(first, lo, hi)


#: characters of prose kept on each side of a span (a sentence's cue words are near the span)
CONTEXT_CHARS = 300
_OPEN = re.compile(r"(?:\$+|\\{1,2}[\[(])\s*$")
_CLOSE_DELIM = re.compile(r"^\s*(?:\$+|\\{1,2}[\])])")
_BLANK = re.compile(r"\n[ \t>]*\n")


def _context(text: str, start: int, end: int, kind: str) -> tuple[str, str]:
    """The prose before and after a span, delimiters stripped: its paragraph's, and for a
    display also the paragraph that leads into it (``… we have`` then a blank line)."""
    before = _OPEN.sub("", text[max(0, start - CONTEXT_CHARS):start])
    if kind == "display":
        before = before.rstrip()
    before = _BLANK.split(before)[-1]
    after = _CLOSE_DELIM.sub("", text[end:end + CONTEXT_CHARS])
    after = _BLANK.split(after.lstrip() if kind == "display" else after)[0]
    return before, after


def extract(text: str) -> list[MathSpan]:
    """Every math span of the Markdown ``text`` in document order (labels stripped, kept on the span)."""
    return _read(text)[0]


def _is_math(token) -> bool:
    return token.type in _MATH_TOKENS or token.type == "fence" and _language(token.info) == "{math}"


def _read(text: str) -> tuple[list[MathSpan], list[Label]]:
    """The math spans of ``text`` and every equation label (a span's first is its ``label``)."""
    loc = _Locator(text)
    spans: list[MathSpan] = []
    found: list[Label] = []
    cursor = 0

    def add(token, lo: int, hi: int) -> None:
        nonlocal cursor
        kind, delim = _MATH_TOKENS["math_directive" if token.type == "fence" else token.type]
        if token.type.startswith("bracket_math"):
            delim = token.markup
        content, labels = token.content, []
        if token.type == "fence":  # MyST's math directive: its label option is no math
            option = labelling.option_label(content)
            if option is not None:
                label, _, a, b = option
                content = content[:a] + " " * (b - a) + content[b:]
                labels.append((token.map[0] + 2 + token.content[:a].count("\n"), label))
        at = _find(text, token.content, max(lo, cursor), hi)
        if at < 0:
            at = _find(text, token.content, lo, hi)
        verbatim = at >= 0 and text.startswith(token.content, at)
        if at < 0:
            at = lo
        else:
            cursor = at + len(content.strip().splitlines()[0]) if content.strip() else at
        first = at + (len(content) - len(content.lstrip())) if verbatim else at
        line, col = loc.line_col(first)
        content, inside = labelling.strip_inside(content)
        labels += [(loc.line_col(at + k)[0] if verbatim else line, label) for k, label, _ in inside]
        if token.type == "math_block_label":
            labels.insert(0, (line, token.info))
        elif kind == "display" and token.type != "fence":
            after = _next_line_label(text, loc, at + len(content) if verbatim else None, token)
            if after is not None:
                labels.append((line, after))
        before, after_text = _context(text, at, at + len(content) if verbatim else at, kind)
        spans.append(MathSpan(latex=content, kind=kind, delimiter=delim, offset=at, line=line, column=col,
                              before=before, after=after_text, label=labels[0][1] if labels else None))
        # one label: the equation's line; several (an ``align``'s rows): each its row's
        found.extend(Label(n if len(labels) > 1 else line, label) for n, label in labels)

    for token in _tokens(text):
        if token.map is None:
            continue
        lo, hi = loc.line_offset(token.map[0]), loc.line_offset(token.map[1])
        if token.map[1] >= len(loc.starts):
            hi = len(text)
        if _is_math(token):
            add(token, lo, hi)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type in _MATH_TOKENS:
                    add(child, lo, hi)
    return spans, found


def _next_line_label(text: str, loc: _Locator, end: int | None, token) -> str | None:
    """A label written alone on the line after a display (d2l's ``:eqlabel:`x```): the line after
    the one the display closes on."""
    if end is not None:
        closing = loc.line_col(end)[0]  # 1-based line of the span's end (its closing delimiter)
    elif token.map is not None and token.block:
        closing = token.map[1]
    else:
        return None
    while closing < len(loc.starts):  # blank lines between are allowed (d2l's nli-attention.md has one)
        row_end = text.find("\n", loc.starts[closing])
        row = text[loc.starts[closing]:row_end if row_end >= 0 else len(text)]
        if row.strip(" \t>"):
            found = labelling.next_line(row)
            return found[0] if found else None
        closing += 1
    return None


_ANNOTATION_HEAD = re.compile(r"<!--\s*+mathlint:\s*+([A-Za-z-]++)")
_CLOSE = "-->"


def annotation_matches(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, verb, argument) of each ``<!-- mathlint: VERB ARGUMENT -->`` in ``text``:
    what ``<!--\\s*mathlint:\\s*([A-Za-z-]+)\\s*(.*?)\\s*-->`` (re.S) matches, in linear time.
    That pattern rescanned the rest of the text for each unclosed comment, and a long run
    of spaces before ``-->`` once per space. The verb gives back letters to a ``-->`` that
    follows it at once (``ignore-->``); the argument ends at the first ``-->`` after the verb."""
    out = []
    last_close = text.rfind(_CLOSE)
    pos = 0
    while True:
        m = _ANNOTATION_HEAD.search(text, pos)
        if m is None or m.start(1) >= last_close:  # no ``-->`` after it, nor after any later one
            return out
        verb_end = min(m.end(1), last_close)
        close = text.find(_CLOSE, verb_end)
        out.append((m.start(), close + len(_CLOSE), text[m.start(1):verb_end], text[verb_end:close].strip()))
        pos = close + len(_CLOSE)


def annotations(text: str) -> list[Annotation]:
    """``<!-- mathlint: VERB ARGS -->`` comments (HTML blocks or inline HTML), in order."""
    loc = _Locator(text)
    found: list[Annotation] = []

    def scan(token_text: str, lo: int, hi: int) -> None:
        cursor = lo  # each comment found after the one before: linear, and the right line for repeats
        for start, end, verb, argument in annotation_matches(token_text):
            whole = token_text[start:end]
            at = text.find(whole, cursor, hi)
            if at < 0:
                at = text.find(whole, lo, hi)
            else:
                cursor = at + len(whole)
            line = loc.line_col(at if at >= 0 else lo)[0]
            found.append(Annotation(line=line, verb=verb.lower(), argument=argument))

    for token in _tokens(text):
        if token.map is None:
            continue
        lo = loc.line_offset(token.map[0])
        hi = loc.line_offset(token.map[1]) if token.map[1] < len(loc.starts) else len(text)
        if token.type == "html_block":
            scan(token.content, lo, hi)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "html_inline":
                    scan(child.content, lo, hi)
    return found


def _language(info: str) -> str:
    """A fence's language: ``python`` for ```` ```python ````; Quarto's and R Markdown's chunk
    header ``{python}``, ``{r setup, echo=FALSE}`` as ``python``, ``r``; MyST's ``{math}`` kept."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        word = re.split(r"[\s,}]", info[1:], maxsplit=1)[0].lstrip(".")  # d2l: ``{.python .input}``
        return "{math}" if word == "math" else word
    return info


def _inline_code(text: str, loc: _Locator):
    """(offset or -1, line, content, is a role's argument) of every inline code span, in order: a
    role's argument (``:eqref:`x```, ``{eq}`x```) is markup, not code."""
    for token in _tokens(text):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        lo = loc.line_offset(token.map[0])
        hi = loc.line_offset(token.map[1]) if token.map[1] < len(loc.starts) else len(text)
        cursor = lo
        for child in token.children:
            if child.type == "code_inline":
                at = text.find(child.content, cursor, hi)
                cursor = at + len(child.content) if at >= 0 else cursor
                line = loc.line_col(at if at >= 0 else lo)[0]
                role = at > 0 and bool(labelling.ROLE_BEFORE.search(text, max(0, at - 40), at - len(child.markup)))
                yield at, line, child.content, role


def code_spans(text: str) -> list[CodeSpan]:
    """Every code block and inline code span of ``text``, in order (a math directive is math)."""
    loc = _Locator(text)
    out: list[tuple[int, CodeSpan]] = []
    for token in _tokens(text):
        if token.map is None or _is_math(token):
            continue
        if token.type in ("fence", "code_block"):
            first = token.map[0] + 1 + (token.type == "fence")
            out.append((first, CodeSpan("fence", _language(token.info), token.content, first)))
    out += [(line, CodeSpan("inline", "", content, line))
            for _, line, content, role in _inline_code(text, loc) if not role]
    return [c for _, c in sorted(out, key=lambda x: x[0])]


def references(text: str) -> list[Reference]:
    """Every citation of an equation label (:mod:`mathlint.sources.labels`), in the prose or the
    math, in order; none inside code or the front matter (a post that shows the syntax)."""
    loc = _Locator(text)
    skip: list[tuple[int, int]] = []
    for token in _tokens(text):
        if token.map is not None and (token.type in ("fence", "code_block", "front_matter")
                                      and not _is_math(token)):
            hi = loc.line_offset(token.map[1]) if token.map[1] < len(loc.starts) else len(text)
            skip.append((loc.line_offset(token.map[0]), hi))
    skip += [(at, at + len(content)) for at, _, content, role in _inline_code(text, loc) if at >= 0 and not role]
    return [r for r in labelling.citations(text, loc.line_col)
            if not any(lo <= loc.starts[r.line - 1] + r.column - 1 < hi for lo, hi in skip)]


def headings(text: str) -> list[Heading]:
    """(line, level, title) of every Markdown heading, in order."""
    out = []
    tokens = _tokens(text)
    for k, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None and k + 1 < len(tokens):
            out.append(Heading(token.map[0] + 1, int(token.tag[1]), tokens[k + 1].content.strip()))
    return out


class MarkdownSource(Source):
    """Markdown (CommonMark, tables, front matter, ``$``/``$$``/amsmath/``\\(…\\)`` math): the
    functions above, which share one parse of the text (:func:`_tokens`)."""

    def math_spans(self, text: str) -> list[MathSpan]:
        return extract(text)

    def code_spans(self, text: str) -> list[CodeSpan]:
        return code_spans(text)

    def references(self, text: str) -> list[Reference]:
        return references(text)

    def labels(self, text: str) -> list[Label]:
        return _read(text)[1]

    def headings(self, text: str) -> list[Heading]:
        return headings(text)

    def annotations(self, text: str) -> list[Annotation]:
        return annotations(text)
