"""Regenerate the rule tables of docs/normalization.md: ``python -m mathlint.dev.docgen``."""

from __future__ import annotations

import re
from pathlib import Path

from ..latex.normalize import RULES
from ..latex.parse import (
    CONSTRUCTS,  # with the constructs of latex/probability.py, latex/sets.py and latex/environments.py
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "normalization.md"


def row(name: str, doc: str) -> str:
    return f"| `{name}` | {' '.join(doc.split()).replace('|', chr(92) + '|')} |"


def tables() -> dict[str, list[str]]:
    return {"rules": [row(r.name, r.doc) for r in RULES],
            "constructs": [row(c.name, c.doc) for c in CONSTRUCTS]}


def render(text: str) -> str:
    """``text`` with the rows between each ``<!-- table:NAME -->`` marker and the next blank line replaced."""
    for name, rows in tables().items():
        text = re.sub(rf"(<!-- table:{name} -->\n\| [^\n]*\n\|---\|---\|\n)(?:\|[^\n]*\n)*",
                      lambda m, rows=rows: m.group(1) + "\n".join(rows) + "\n", text)
    return text


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
