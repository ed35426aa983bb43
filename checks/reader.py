"""Read every math span of a Markdown text into parsed blocks."""

from __future__ import annotations

from .cache import MISS
from .extract import extract
from .latex import ParseError, parse_side
from .model import Block, MathSpan, Statement
from .split import split_statements


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


def read_block(span: MathSpan, cache=None) -> Block:
    """Normalize, split and parse one span (each side through ``cache``, a
    :class:`checks.cache.Cache`, when given). Never raises for bad LaTeX."""
    try:
        normalized, statements = split_statements(span.latex, _line_of(span))
    except Exception as exc:  # a bug in a rule must not lose the span
        return Block(span, span.latex, [], error=f"cannot split `{span.latex.strip()}`: {exc}")
    if not statements:
        return Block(span, normalized, [], error="empty math span")
    for st in statements:
        _parse_statement(st, cache)
    return Block(span, normalized, statements)


def read_markdown(text: str, cache=None) -> list[Block]:
    """Every math span of ``text``, parsed, in document order."""
    return [read_block(span, cache) for span in extract(text)]
