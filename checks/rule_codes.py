"""Rule codes: every kind of finding, with a name and a one-line description.

Plain data (no SymPy), so that reporters can name rules without loading the checker;
:mod:`mathlint.findings.notation` attaches the lint rules' functions to their codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Claim


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str


RULES: dict[str, Rule] = {code: Rule(code, name, summary) for code, name, summary in (
    ("ML001", "annotation", "a `<!-- mathlint: … -->` annotation that mathlint does not understand"),
    ("ML002", "case-variant", "a name that differs from another name of the post only in upper/lower case, "
     "so that read literally it is a different function or variable"),
    ("ML003", "used-once", "a symbol that appears once in the whole post and is one letter or one case "
     "away from a symbol used often: probably a typo"),
    ("ML004", "set-braces", "`{…}` only groups in LaTeX and prints no braces; a set needs `\\{…\\}`"),
    ("ML005", "blackboard", "`R^n` reads as the symbol R to the power n; the real space is `\\mathbb{R}^n`"),
    ("ML100", "refuted", "a claim is false as written (a counterexample is given)"),
    ("ML101", "needs-assumption", "a claim holds only under an assumption the post does not state"),
    ("ML102", "unparsed", "an equation mathlint cannot read"),
    ("ML103", "timeout", "a claim that was not decided within its time budget"),
    ("ML200", "code", "a code snippet that does not compute what the derivation says it computes"),
    ("ML201", "numbers", "a worked example whose numbers do not follow from the formula"),
    ("ML300", "derivation-node", "an equation of the encoded derivation was not found in the post"),
)}


#: rule code of a claim by (role, verdict); None for verdicts that are not findings
def rule_of(c: Claim) -> str | None:
    if c.extra.get("suppressed"):
        return None
    if c.verdict == "refuted":
        return {"code": "ML200", "numbers": "ML201"}.get(c.role, "ML100")
    return {"needs-assumption": "ML101", "unparsed": "ML102", "timeout": "ML103"}.get(c.verdict)
