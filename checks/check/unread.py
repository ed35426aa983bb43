r"""Refutations that rest on a name the text defines in a form mathlint does not read.

``\phi_i(x) = i x`` (an indexed family), ``f(x+1) = \sum_{x=1}^3 (x+1)`` or ``H[P] = …`` stay
unread definitions (``claims/build``); a later claim that uses the name then reads it as an unknown
number or function, and fails for values the text rules out (``\sum_{i=1}^{3} \phi_i(1) = 6`` at
random ``\phi_1, \phi_2, \phi_3``). Such a failure is a guess, not a counterexample: the claim is
withdrawn to ``unchecked``, naming the definition, its failure kept as a detail.
"""

from __future__ import annotations

import re

from ..model import Claim, Verdict

#: the name a head starts with: ``\phi`` of ``\phi_i(x)``, ``\mathbf{H}`` of ``\mathbf{H}^{(1)}``, ``f`` of ``f(x+1)``
_LEADING = re.compile(r"\s*(\\(?:mathbf|boldsymbol|mathcal|mathrm|hat|tilde|bar)\s*\{\s*\\?[A-Za-z]+\s*\}|\\[A-Za-z]+"
                      r"|[A-Za-z](?![A-Za-z]))")
_NOT_NAMES = frozenset({"\\left", "\\frac", "\\operatorname", "\\text", "\\mathrm", "\\sum", "\\prod", "\\int"})


def _leading(latex: str) -> str | None:
    m = _LEADING.match(latex)
    return m.group(1) if m and m.group(1) not in _NOT_NAMES else None


def _mentions(latex: str, name: str) -> bool:
    return re.search(r"(?<![A-Za-z\\])" + re.escape(name) + r"(?![A-Za-z])", latex) is not None


def withdraw_unread(claims: list[Claim]) -> None:
    """Each refuted claim that uses a name an earlier unread definition defines: ``unchecked``."""
    heads = [(c.line, name, c.latex) for c in claims if c.extra.get("unread") and (name := _leading(c.latex))]
    for c in claims:
        if c.verdict != Verdict.REFUTED or c.extra.get("unread"):
            continue
        used = next(((line, name, tex) for line, name, tex in heads if line <= c.line and _mentions(c.latex, name)),
                    None)
        if used is None:
            continue
        line, name, tex = used
        c.notes = [f"as mathlint reads it, {c.reason}", *c.notes]
        c.verdict = Verdict.UNCHECKED
        c.reason = (f"uses `{name}`, which the text defines at line {line} (`{tex}`) in a form mathlint does not "
                    "read: the failure rests on reading it as an unknown")
        c.suggestion = None
