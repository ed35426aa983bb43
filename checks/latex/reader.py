"""Read every math span of a Markdown text into parsed blocks.

Reading is bounded: a span longer than :data:`MAX_SPAN_CHARS` is not read, and with a
deadline (the file's budget) reading stops there; either way the span becomes an
``unparsed`` claim that says why, never a silent gap.
"""

from __future__ import annotations

import re
import time

from ..cache.store import MISS
from ..model import Block, MathSpan, Side, Statement
from ..runtime import budget
from ..sources.base import Source
from ..sources.formats import source_for
from .parse import ParseError, parse_side
from .split import RELATION_RE, relation_name, split_statements

#: longest span read (characters); posts' longest are a few hundred, an aligned derivation a few thousand
MAX_SPAN_CHARS = 20_000
PREVIEW_CHARS = 60
#: seconds the spans of a file may still be listed once its budget has run out (Markdown
#: parsing is linear: about 1 s per MB), so that each unread span is reported on its own line
LIST_GRACE = 2.0
#: where the whole file is reported when not even its spans could be found in time
_WHOLE_FILE = MathSpan(latex="", kind="display", delimiter="", offset=0, line=1, column=1)


def _line_of(span: MathSpan):
    lead = len(span.latex) - len(span.latex.lstrip())

    def line_of(offset: int) -> int:
        return span.line + span.latex.count("\n", lead, max(offset, lead))
    return line_of


def _parse(latex: str) -> tuple:
    try:
        return parse_side(latex), None
    except ParseError as exc:
        return None, str(exc)
    except RecursionError:  # nesting the readers did not foresee: refused, not a crash
        return None, f"cannot read `{latex[:PREVIEW_CHARS]}…`: nested too deeply"


def _parse_statement(st: Statement, cache=None) -> None:
    for side in st.sides:
        got = MISS if cache is None else cache.get("side", side.latex)
        if got is MISS:
            got = _parse(side.latex)
            if cache is not None:
                cache.put("side", side.latex, got)
        side.expr, side.error = got
    for cond in st.conditions:
        _parse_statement(cond, cache)


def unread_block(span: MathSpan, reason: str, stopped: bool = False) -> Block:
    """A span that is not read: one statement whose only side carries ``reason``, which
    :func:`mathlint.claims.build.build_claims` reports as an ``unparsed`` claim on the span's line."""
    text = span.latex.strip()
    preview = text[:PREVIEW_CHARS] + "…" if len(text) > PREVIEW_CHARS else text or "…"
    found = RELATION_RE.search(text, 0, MAX_SPAN_CHARS)
    relation = relation_name(found.group(0)) if found else "eq"
    statement = Statement(sides=[Side(preview, span.line, error=reason)], relations=[relation], line=span.line)
    return Block(span, preview, [statement], error=reason, stopped=stopped)


def read_block(span: MathSpan, cache=None) -> Block:
    """Normalize, split and parse one span (each side through ``cache``, a
    :class:`mathlint.cache.store.Cache`, when given). Never raises for bad LaTeX."""
    if span.unread is not None:  # the source could not give the math (sources/tex.py: a macro, an include)
        return unread_block(span, span.unread)
    if len(span.latex) > MAX_SPAN_CHARS:
        return unread_block(span, f"not read: the span has {len(span.latex)} characters, more than the "
                                  f"{MAX_SPAN_CHARS} mathlint reads in one span")
    try:
        normalized, statements = split_statements(span.latex, _line_of(span))
    except RecursionError:
        return unread_block(span, "not read: nested too deeply")
    except Exception as exc:  # a bug in a rule must not lose the span
        return Block(span, span.latex, [], error=f"cannot split `{span.latex.strip()}`: {exc}")
    if not statements:
        return Block(span, normalized, [], error="empty math span")
    if span.kind == "inline":
        statements = _fragments(statements)
        if not statements:  # "File $\to$ Open", "the $\approx$ sign": a relation symbol named in prose
            return Block(span, normalized, [])
    for st in statements:
        if st.relations and all(r == "to" for r in st.relations) and _SIGNATURE.match(st.sides[0].latex):
            st.fragment = ("domain", "the type of a function (its domain and codomain), a declaration, "
                                     "not an identity")
    for st in statements:
        if not st.fragment:
            _parse_statement(st, cache)
    return Block(span, normalized, statements)


_SIGNATURE = re.compile(r"\s*(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z0-9]+\}?)?\s*:\s*\S")  # ``f: \mathbb{R}``


def _fragments(statements: list[Statement]) -> list[Statement]:
    """Inline statements with a side that is not math: without any side they are a symbol named
    in prose (dropped: no relation), with one they continue in the prose (:attr:`Statement.fragment`)."""
    out = []
    for st in statements:
        empty = [not s.latex.strip() for s in st.sides]
        if st.relations and all(empty):
            continue
        if st.relations and any(empty):
            st.fragment = ("fragment", "a relation that continues in the prose around the span (a side "
                                       "is not math there): nothing to check")
        out.append(st)
    return out


def read_text(text: str, cache=None, deadline: float | None = None,
              budget_seconds: float | None = None, source: Source | None = None) -> list[Block]:
    """Every math span of ``text`` (as ``source`` finds them; Markdown by default), parsed, in
    document order. With a ``deadline`` (a ``time.monotonic()`` value: the end of the file's
    budget of ``budget_seconds``), reading stops there, between spans or inside one, and the
    spans not read by then are unparsed with that reason."""
    math_spans = (source or source_for()).math_spans
    if deadline is None:
        return [read_block(span, cache) for span in math_spans(text)]
    blocks: list[Block] = []
    # the spans are listed even a little past the deadline, so that each is reported on its line
    spans = budget.by(max(deadline, time.monotonic() + LIST_GRACE), lambda: math_spans(text))

    def read_all() -> None:
        for span in spans:
            if time.monotonic() >= deadline:  # also where no timer can interrupt
                return
            blocks.append(read_block(span, cache))

    if spans is None:
        spans = [_WHOLE_FILE]
    else:
        budget.within(deadline, read_all)
    seconds = f"{budget_seconds:g} s " if budget_seconds is not None else ""
    why = f"not read: the file's {seconds}budget ran out while reading"
    return blocks + [unread_block(span, why, stopped=True) for span in spans[len(blocks):]]
