"""Records and text output of ``mathlint parse``."""

from __future__ import annotations

import json

from .. import __version__
from ..expr.printing import to_srepr, to_text
from ..model import Block, Location, Side, Statement
from ..relations import RELATIONS

Positions = dict[int, Location] | None  # the user's position of each line (a notebook's cell and line)


def _where(line: int, positions: Positions) -> Location:
    return (positions or {}).get(line) or Location(line, line)


def side_record(side: Side, positions: Positions = None) -> dict:
    where = _where(side.line, positions).fields()
    if side.error:
        return {"latex": side.latex, **where, "error": side.error}
    return {"latex": side.latex, **where, "sympy": to_text(side.expr), "srepr": to_srepr(side.expr)}


def statement_record(st: Statement, positions: Positions = None) -> dict:
    return {
        **_where(st.line, positions).fields(),
        "relations": st.relations,
        "sides": [side_record(s, positions) for s in st.sides],
        "conditions": [statement_record(c, positions) for c in st.conditions],
    }


def block_record(path: str, block: Block, positions: Positions = None) -> dict:
    """A span's JSON: ``file`` and ``line`` (a notebook's ``cell`` and ``line``; an included file's path)."""
    span = block.span
    return {
        "file": path,
        **_where(span.line, positions).fields(),
        "column": span.column,
        "kind": span.kind,
        "delimiter": span.delimiter,
        "latex": span.latex.strip(),
        "normalized": block.normalized,
        "status": block.status,
        "has_relation": block.has_relation,
        "error": block.first_error,
        "statements": [statement_record(s, positions) for s in block.statements],
    }


def summary(blocks: list[Block]) -> dict:
    return {"blocks": len(blocks),
            "parsed": sum(b.status == "parsed" for b in blocks),
            "unparsed": sum(b.status == "unparsed" for b in blocks)}


def render_json(path: str, blocks: list[Block], positions: Positions = None) -> str:
    doc = {"mathlint": __version__, "file": path, "summary": summary(blocks),
           "blocks": [block_record(path, b, positions) for b in blocks]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _chain_text(st: Statement) -> str:
    parts = []
    for k, side in enumerate(st.sides):
        if k:
            rel = RELATIONS.get(st.relations[k - 1])
            parts.append(rel.sign if rel else st.relations[k - 1])
        parts.append(f"<{side.error}>" if side.error else to_text(side.expr))
    text = " ".join(parts)
    if st.conditions:
        text += "   if " + ", ".join(_chain_text(c) for c in st.conditions)
    return text


def render_text(path: str, blocks: list[Block], positions: Positions = None) -> str:
    """One line per span and one per statement: the post's text on one line each (safetext);
    ``path:line:column``, a notebook's ``path:cell 3:2:column``, an included file's own path."""
    from .safetext import one_line, path_text
    from .text import at

    lines = []
    path = path_text(path)
    for b in blocks:
        s = b.span
        where = at(_where(s.line, positions), path)
        lines.append(f"{where}:{s.column}: {b.status} {s.kind} {one_line(s.latex.strip())}")
        if b.error:
            lines.append(f"    error: {one_line(b.error)}")
        for st in b.statements:
            lines.append(f"    {_where(st.line, positions).shown}: {one_line(_chain_text(st))}")
    sm = summary(blocks)
    lines.append(f"{sm['blocks']} math spans: {sm['parsed']} parsed, {sm['unparsed']} unparsed")
    return "\n".join(lines) + "\n"


FORMATS = {"text": render_text, "json": render_json}
