"""Regenerate docs/rules.md from the rule registry: ``python -m mathlint.dev.rulesdoc``."""

from __future__ import annotations

from pathlib import Path

from ..rule_codes import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def render() -> str:
    rows = "\n".join(f"| `{r.code}` | {r.name} | {r.level.value} | {r.summary} |"
                     for r in sorted(RULES.values(), key=lambda r: r.code))
    return f"""# Rule codes

Every finding mathlint reports has a rule code. Claims carry their verdict; the
findings list (`findings` in JSON, `file:line: CODE message` in text) carries everything
else. `ML300` findings have line 0: they concern the whole file.

| code | name | level | what it reports |
|---|---|---|---|
{rows}

The level is the rule's default in SARIF and GitHub annotations (`error`, `warning`,
`note`); rules are declared, with their level, in `checks/rule_codes.py`.

Silence rules on one equation with `<!-- mathlint: ignore ML100 ML002 -->` on the line before
it; set each rule's severity (`error`, `warning`, `off`) in `[tool.mathlint]`
([ci.md](ci.md)).

Regenerate this page with `.venv/bin/python -m mathlint.dev.rulesdoc`.
"""


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
