"""Read every math span of a Markdown text into parsed blocks."""

from __future__ import annotations

from .extract import extract
from .latex import ParseError, parse_side
from .model import Block, MathSpan, Statement
from .split import split_statements


def _line_of(span: MathSpan):
    lead = len(span.latex) - len(span.latex.lstrip())

    def line_of(offset: int) -> int:
        return span.line + span.latex.count("\n", lead, max(offset, lead))
    return line_of


def _parse_statement(st: Statement) -> None:
    for side in st.sides:
        try:
            side.expr = parse_side(side.latex)
        except ParseError as exc:
            side.error = str(exc)
    for cond in st.conditions:
        _parse_statement(cond)


def read_block(span: MathSpan) -> Block:
    """Normalize, split and parse one span. Never raises for bad LaTeX."""
    try:
        normalized, statements = split_statements(span.latex, _line_of(span))
    except Exception as exc:  # a bug in a rule must not lose the span
        return Block(span, span.latex, [], error=f"cannot split `{span.latex.strip()}`: {exc}")
    if not statements:
        return Block(span, normalized, [], error="empty math span")
    for st in statements:
        _parse_statement(st)
    return Block(span, normalized, statements)


def read_markdown(text: str) -> list[Block]:
    """Every math span of ``text``, parsed, in document order."""
    return [read_block(span) for span in extract(text)]
