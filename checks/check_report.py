"""Records and text output of ``mathlint check``."""

from __future__ import annotations

import json

from . import __version__
from .claims import Claim
from .engine import Result

VERDICTS = ("proved", "consistent", "needs-assumption", "refuted", "unparsed", "timeout", "unchecked")


#: rule code of a claim by (role, verdict); None for verdicts that are not findings
def rule_of(c: Claim) -> str | None:
    if c.verdict == "refuted":
        return {"code": "ML200", "numbers": "ML201"}.get(c.role, "ML100")
    return {"needs-assumption": "ML101", "unparsed": "ML102", "timeout": "ML103"}.get(c.verdict)


def claim_record(c: Claim) -> dict:
    return {
        "rule": rule_of(c),
        "line": c.line,
        "latex": c.latex,
        "relation": c.relation,
        "role": c.role,
        "verdict": c.verdict,
        "method": c.method,
        "message": c.message,
        "counterexample": c.counterexample,
        "assumptions": c.assumptions,
        "suggestion": c.suggestion,
        "conditions": [f"{a} {'=' if r == 'eq' else '≠'} {b}" for r, a, b in c.conditions],
    }


def summary(claims: list[Claim]) -> dict:
    return {v: sum(c.verdict == v for c in claims) for v in VERDICTS}


def render_json(path: str, result: Result, seed: int) -> str:
    doc = {"mathlint": __version__, "file": path, "seed": seed, "summary": summary(result.claims),
           "claims": [claim_record(c) for c in result.claims], "findings": result.findings}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_text(path: str, result: Result, seed: int) -> str:
    lines = []
    for c in result.claims:
        if c.role in ("definition", "condition", "domain") and c.verdict == "unchecked":
            continue
        rule = rule_of(c)
        lines.append(f"{path}:{c.line}: {rule + ' ' if rule else ''}{c.verdict} {c.latex}")
        lines.append(f"    {c.message}")
        if c.assumptions:
            lines.append(f"    assuming: {'; '.join(c.assumptions)}")
        if c.suggestion:
            lines.append(f"    fix ({c.suggestion['edit']}): {c.suggestion['latex']}")
    for f in result.findings:
        lines.append(f"{path}:{f['line']}: {f['rule']} {f['message']}")
    counts = summary(result.claims)
    lines.append(", ".join(f"{n} {v}" for v, n in counts.items() if n) + f" ({len(result.claims)} claims, seed {seed})")
    return "\n".join(lines) + "\n"


FORMATS = {"text": render_text, "json": render_json}
