"""Records and text output of ``mathlint parse``."""

from __future__ import annotations

import json

from .. import __version__
from ..expr.printing import to_srepr, to_text
from ..model import Block, Side, Statement
from ..relations import RELATIONS


def side_record(side: Side) -> dict:
    if side.error:
        return {"latex": side.latex, "line": side.line, "error": side.error}
    return {"latex": side.latex, "line": side.line, "sympy": to_text(side.expr),
            "srepr": to_srepr(side.expr)}


def statement_record(st: Statement) -> dict:
    return {
        "line": st.line,
        "relations": st.relations,
        "sides": [side_record(s) for s in st.sides],
        "conditions": [statement_record(c) for c in st.conditions],
    }


def block_record(path: str, block: Block) -> dict:
    span = block.span
    return {
        "file": path,
        "line": span.line,
        "column": span.column,
        "kind": span.kind,
        "delimiter": span.delimiter,
        "latex": span.latex.strip(),
        "normalized": block.normalized,
        "status": block.status,
        "has_relation": block.has_relation,
        "error": block.first_error,
        "statements": [statement_record(s) for s in block.statements],
    }


def summary(blocks: list[Block]) -> dict:
    return {"blocks": len(blocks),
            "parsed": sum(b.status == "parsed" for b in blocks),
            "unparsed": sum(b.status == "unparsed" for b in blocks)}


def render_json(path: str, blocks: list[Block]) -> str:
    doc = {"mathlint": __version__, "file": path, "summary": summary(blocks),
           "blocks": [block_record(path, b) for b in blocks]}
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


def render_text(path: str, blocks: list[Block]) -> str:
    """One line per span and one per statement: the post's text on one line each (safetext)."""
    from .safetext import one_line, path_text

    lines = []
    path = path_text(path)
    for b in blocks:
        s = b.span
        lines.append(f"{path}:{s.line}:{s.column}: {b.status} {s.kind} {one_line(s.latex.strip())}")
        if b.error:
            lines.append(f"    error: {one_line(b.error)}")
        for st in b.statements:
            lines.append(f"    {st.line}: {one_line(_chain_text(st))}")
    sm = summary(blocks)
    lines.append(f"{sm['blocks']} math spans: {sm['parsed']} parsed, {sm['unparsed']} unparsed")
    return "\n".join(lines) + "\n"


FORMATS = {"text": render_text, "json": render_json}
