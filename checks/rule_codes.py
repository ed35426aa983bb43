"""Rule codes: every kind of finding, with a name, a one-line description and a default level.

Plain data (no SymPy), so that reporters can name rules without loading the checker;
:mod:`mathlint.findings.notation` attaches the lint rules' functions to their codes.
Adding a rule code is one entry in :data:`RULES` (docs/rules.md is generated from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Claim, Verdict


class Level(StrEnum):
    """How a rule's findings are shown by default (SARIF ``level``; GitHub ``::error``/``::warning``/``::notice``)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


#: what ``severity`` in ``[tool.mathlint]`` may set a rule to: ``error`` fails the run, ``off`` hides it
SEVERITIES = ("error", "warning", "off")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    level: Level = Level.WARNING


RULES: dict[str, Rule] = {r.code: r for r in (
    Rule("ML001", "annotation", "a `<!-- mathlint: … -->` annotation that mathlint does not understand"),
    Rule("ML002", "case-variant", "a name that differs from another name of the post only in upper/lower case, "
         "so that read literally it is a different function or variable (not when one relation sets the two "
         "against each other, as `F(x) = \\int_0^x f(y)\\,dy` does)"),
    Rule("ML003", "used-once", "a symbol that appears once in the whole post and is one letter or one case "
         "away from a symbol used often: probably a typo"),
    Rule("ML004", "set-braces", "`{…}` only groups in LaTeX and prints no braces; a set needs `\\{…\\}`"),
    Rule("ML005", "blackboard", "`R^n` reads as the symbol R to the power n; the real space is `\\mathbb{R}^n`"),
    Rule("ML006", "dangling-reference", "a citation of an equation (`\\eqref`, `@eq-`, `:eqref:`…) whose label no "
         "equation of the files checked has"),
    Rule("ML100", "refuted", "a claim is false as written (a counterexample is given)", Level.ERROR),
    Rule("ML101", "needs-assumption", "a claim holds only under an assumption the post does not state"),
    Rule("ML102", "unparsed", "an equation mathlint cannot read", Level.NOTE),
    Rule("ML103", "timeout", "a claim that was not decided within its time budget", Level.NOTE),
    Rule("ML104", "internal-error", "a claim left unchecked because mathlint's checker raised an error on it "
         "(a bug of mathlint's, not of the post; the run goes on)", Level.NOTE),
    Rule("ML200", "code", "a code snippet that does not compute what the derivation says it computes",
         Level.ERROR),
    Rule("ML201", "numbers", "a worked example whose numbers do not follow from the formula", Level.ERROR),
    Rule("ML300", "derivation-node", "an equation of the encoded derivation was not found in the post", Level.NOTE),
)}


def level_of(code: str) -> Level:
    """A rule's default level (warning for a code not in :data:`RULES`)."""
    rule = RULES.get(code)
    return rule.level if rule else Level.WARNING


#: ``Claim.method`` of a claim whose check raised: unchecked, under ML104 rather than silently
INTERNAL_ERROR = "internal-error"


#: rule code of a claim by (role, verdict); None for verdicts that are not findings
def rule_of(c: Claim) -> str | None:
    if c.extra.get("suppressed"):
        return None
    if c.verdict == Verdict.REFUTED:
        return {"code": "ML200", "numbers": "ML201"}.get(c.role, "ML100")
    if c.verdict == Verdict.UNCHECKED and c.method == INTERNAL_ERROR:
        return "ML104"
    return {Verdict.NEEDS_ASSUMPTION: "ML101", Verdict.UNPARSED: "ML102", Verdict.TIMEOUT: "ML103"}.get(c.verdict)
