"""Hypotheses stated in prose ("with $x > 0$ and $y > 0$", "for $0 < p < 1$") as assumptions
of the claims in their scope, exactly as ``<!-- mathlint: assume … -->`` states one for the
whole file: they narrow the sampling domain and the proof's symbols, and every verdict that
used one names it with its line ("x > 0 (line 3)").

A hypothesis is in force for the claims of its part of the text (up to the next heading) and
its example, from its line on, and for the claims just before it on its line or the two lines
before (``$$\\log xy = \\log x + \\log y$$`` "for $x, y > 0$"), and only for the claims that
mention its name: a condition on ``x`` says nothing about a claim on ``t``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Claim, line_words
from .assume import Assumption, parse_assumption
from .scope import Place, names

#: the kinds of stated assumption a prose hypothesis may give (an equation stated as a condition,
#: ``m = N``, is no assumption about every claim after it)
KINDS = frozenset({"positive", "probability", "binary"})
#: ``x, y > 0``: one bound on several names
_SEVERAL = re.compile(r"\s*((?:[^,<>=]+,)+[^,<>=]+?)\s*(>|\\geq?(?![a-z])|\\geqslant)\s*0\s*")
#: how many lines after a claim a hypothesis may follow it and still be its condition ("for $x > 0$")
AFTER = 2
CHECKED_ROLES = frozenset({"step", "equation", "restatement"})


@dataclass(frozen=True)
class Hypothesis:
    line: int
    place: Place
    assumption: Assumption


def assumptions_of(claim: Claim) -> list[Assumption]:
    """The assumptions a hypothesis claim states (none for other claims), named with its line."""
    if claim.role != "hypothesis":
        return []
    m = _SEVERAL.fullmatch(claim.latex)
    texts = [f"{n.strip()} {m.group(2)} 0" for n in m.group(1).split(",")] if m else [claim.latex]
    out = []
    for t in texts:
        a = parse_assumption(t)
        if a is not None and a.kind in KINDS:
            out.append(Assumption(a.kind, a.base, f"{a.text} ({line_words(claim.line)})"))
    return out


def attach(claims: list[Claim], place_of: Callable[[Claim], Place]) -> None:
    """Give each checked claim the prose hypotheses in force for it (``claim.hypotheses``)."""
    stated = [Hypothesis(c.line, place_of(c), a) for c in claims for a in assumptions_of(c)]
    if not stated:
        return
    for c in claims:
        if c.role not in CHECKED_ROLES or c.lhs is None:
            continue
        here, mentioned = place_of(c), names(c.lhs) | names(c.rhs)
        c.hypotheses = [h.assumption for h in stated
                        if h.place[1:] == here[1:] and h.line - c.line <= AFTER and h.assumption.base in mentioned]
