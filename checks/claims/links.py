"""Link each claim to its equation's label and to the equations it cites, after the claims are
built: a citation (``\\eqref{a}``, ``@eq-a``, ``:eqref:`a```…) belongs to the claims of the math
it is written in (those on its line, when the math has several), else to the math it directly
follows on its line (``$x = y$ by \\eqref{a}``), else to the math its sentence leads into
(``by :eqref:`a`, we have $$…$$``). The positions are lines and columns, as every source gives them."""

from __future__ import annotations

import re

from ..model import Block, Citation, Claim, MathSpan
from ..sources.base import Label, Reference

#: columns between the end of the math and a citation written right after it (``$ by ``, ``$, from ``)
_NEAR = 12
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\\$])|\n[ \t>]*\n")


def _start(span: MathSpan) -> tuple[int, int]:
    return span.line, span.column


def _end(span: MathSpan) -> tuple[int, int]:
    body = span.latex.lstrip()
    rows = body.split("\n")
    if len(rows) == 1:
        return span.line, span.column + len(body)
    return span.line + len(rows) - 1, len(rows[-1]) + 1


def _leads_into(ref: Reference, span: MathSpan) -> bool:
    """Whether ``ref`` is written in the sentence that leads into ``span`` (its prose before it)."""
    last = _SENTENCE_END.split(span.before.rstrip())[-1]
    return ref.label in last and span.line - ref.line <= last.count("\n") + 4  # a blank line, `$$`


def _target(ref: Reference, spans: list[MathSpan], claimed: dict) -> int | None:
    """The index of the span ``ref`` cites from (see the module's docstring), or None; math that
    states nothing (``$-y$`` in ``replacing $y$ by $-y$ in @eq-a gives``) cites nothing."""
    where = (ref.line, ref.column)
    for k, span in enumerate(spans):
        if _start(span) <= where < _end(span):
            return k
    before = [k for k, span in enumerate(spans) if _end(span) <= where and _end(span)[0] == ref.line
              and k in claimed]
    if before and ref.column - _end(spans[before[-1]])[1] <= _NEAR:  # ``$x = y$ by \eqref{a}``
        return before[-1]
    leads = []  # the math its sentence leads into: the display it ends in, else the first math
    for k in (k for k, span in enumerate(spans) if _start(span) > where):
        if not _leads_into(ref, spans[k]):
            break
        if k in claimed:
            leads.append(k)
    if leads:
        return next((k for k in leads if spans[k].kind == "display"), leads[0])
    return None


def _block_at(line: int, spans: list[MathSpan]) -> int | None:
    return next((k for k, span in enumerate(spans) if span.line <= line <= _end(span)[0]), None)


def link(claims: list[Claim], blocks: list[Block], labels: list[Label], references: list[Reference]) -> None:
    """Set each claim's ``label`` and ``cites`` (a claim outside the math, a code check's, is left)."""
    if not labels and not references:
        return
    spans = [b.span for b in blocks]
    line_of: dict[str, int] = {}
    for lab in labels:
        line_of.setdefault(lab.label, lab.line)
    by_block: dict[int, list[Claim]] = {}
    for c in claims:
        k = c.origin[0] if c.origin is not None else _block_at(c.line, spans)  # unparsed: by its line
        if k is not None and k < len(blocks):
            by_block.setdefault(k, []).append(c)
    for k, cs in by_block.items():
        span = spans[k]
        if span.label is None:
            continue
        lo, hi = span.line, _end(span)[0] + 1
        inside = [lab for lab in labels if lo <= lab.line <= hi]
        if len(inside) <= 1:
            for c in cs:
                c.label = span.label
            continue
        for lab in inside:  # an align's rows: each label to the claims of the row it is written on
            rows = [c.line for c in cs if c.line <= lab.line]
            for c in cs:
                if rows and c.line == max(rows) and c.label is None:
                    c.label = lab.label
    for ref in references:
        k = _target(ref, spans, by_block)
        if k is None:
            continue
        cs = by_block[k]
        on_line = [c for c in cs if c.line == ref.line and _start(spans[k]) <= (ref.line, ref.column)]
        for c in on_line if on_line and len({c.line for c in cs}) > 1 else cs:
            if all(x.label != ref.label for x in c.cites):
                c.cites += (Citation(ref.label, line_of.get(ref.label)),)
