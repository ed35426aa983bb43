"""Records and text output of ``mathlint check``."""

from __future__ import annotations

import json

from . import __version__
from .claims import Claim
from .engine import Result

VERDICTS = ("proved", "consistent", "needs-assumption", "refuted", "unparsed", "timeout", "unchecked")


#: rule code of a claim by (role, verdict); None for verdicts that are not findings
def rule_of(c: Claim) -> str | None:
    if c.extra.get("suppressed"):
        return None
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


def render_text(path: str, result: Result, seed: int, verbosity: int = 0) -> str:
    """One line per finding, ``file:line: RULE verdict equation`` (claims) or
    ``file:line: RULE message`` (other findings), details indented below; then a summary.
    ``verbosity`` -1 prints the summary only, 1 also every claim that holds or was not checked."""
    entries = []
    for c in result.claims:
        rule = rule_of(c)
        if rule is None and (verbosity < 1 or c.role in ("definition", "condition", "domain")
                             and c.verdict == "unchecked"):
            continue
        lines = [f"{path}:{c.line}: {rule + ' ' if rule else ''}{c.verdict} {c.latex}", f"    {c.message}"]
        if c.assumptions:
            lines.append(f"    assuming: {'; '.join(c.assumptions)}")
        if c.suggestion:
            lines.append(f"    fix ({c.suggestion['edit']}): {c.suggestion['latex']}")
        entries.append((c.line, lines))
    entries += [(f["line"], [f"{path}:{f['line']}: {f['rule']} {f['message']}"]) for f in result.findings]
    out = [] if verbosity < 0 else [ln for _, lines in sorted(entries, key=lambda e: e[0]) for ln in lines]
    counts = summary(result.claims)
    out.append(f"{path}: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n)
               + f"; {len(result.findings)} findings ({len(result.claims)} claims, seed {seed})")
    return "\n".join(out) + "\n"


FORMATS = {"text": render_text, "json": render_json}
