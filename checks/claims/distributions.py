"""Distributions the text states (``w_0, w_1 \\sim \\mathcal{N}(0, 1)``), given to the claims after
them, so the rules of expectation (:mod:`mathlint.proof.expectation`) may use a stated mean and
variance, and never read a name stated random as a constant under ``E``.

Every statement ``… \\sim …`` before a claim is kept in order (the latest statement about a name
is the one in force there): a normal law gives its mean and variance; any other law (``\\mathcal{GP}``,
``\\operatorname{Bernoulli}``, a density) only says the names are random.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.symbols import name_of
from ..model import Block, Claim
from .hypotheses import CHECKED_ROLES
from .scope import Place

#: the key under which a claim keeps the statements in force for it (``claim.extra``)
KEY = "distributions"
#: the key of the prose before a claim that goes on with the sentence of the display before it
PROSE = "prose_before"
#: the key of the text of a claim's section: its prose and the names its claims take expectations of
SECTION = "section_text"
#: the key of the math of the claim's own line (its whole statement: ``m(x) = E[f(x)] = …``)
STATEMENT = "statement_text"
#: the key of the operators the text defines itself (``E(x) = x^2``): no rule of probability applies to them
REDEFINED = "redefined_heads"
#: operators whose rules a definition of the text's own overrides
OPERATORS = frozenset({"E", "Var", "Cov", "Corr"})


@dataclass(frozen=True)
class Stated:
    """``variable \\sim law`` at ``line``: the law's mean and variance when it is a normal one."""

    variable: sp.Basic
    line: int
    latex: str
    mean: sp.Basic | None = None
    variance: sp.Basic | None = None


def base_of(e: sp.Basic) -> str | None:
    """The name of a variable: a symbol's, an indexed name's base, an applied function's head."""
    return type(e).__name__ if isinstance(e, AppliedUndef) else name_of(e)


def _variables(lhs: sp.Basic) -> list[sp.Basic]:
    """``w_0, w_1`` (a tuple), ``X``: the variables a statement is about; every name in anything else."""
    parts = list(lhs.args) if isinstance(lhs, sp.Tuple) else [lhs]
    out = []
    for p in parts:
        if base_of(p) is not None:
            out.append(p)
        else:  # ``f(x_1), …`` in a matrix, ``\\mathbf f | \\mathbf y``: random, no law read
            out += [s for s in sp.preorder_traversal(p) if isinstance(s, (sp.Symbol, sp.Indexed, AppliedUndef))]
    return out


def _law(rhs: sp.Basic) -> tuple[sp.Basic | None, sp.Basic | None]:
    if isinstance(rhs, AppliedUndef) and type(rhs).__name__ == "Normal" and len(rhs.args) == 2:
        return rhs.args[0], rhs.args[1]
    return None, None


def statements(claim: Claim) -> list[Stated]:
    """What a ``\\sim`` claim states of each of its variables (none for other claims)."""
    if claim.relation != "sim" or claim.lhs is None or not isinstance(claim.lhs, sp.Basic):
        return []
    mean, variance = _law(claim.rhs) if isinstance(claim.rhs, sp.Basic) else (None, None)
    return [Stated(v, claim.line, claim.latex, mean, variance) for v in _variables(claim.lhs)]


def attach(claims: list[Claim], place_at: Callable[[int], Place] | None = None, blocks: Sequence[Block] = ()) -> None:
    """Give each checked claim the statements made before it and in force at it (``claim.extra[KEY]``),
    the prose before it with the sentence it goes on with (``claim.extra[PROSE]``: "… the mean of
    $o_i$: $$…$$ and the variance: $$…$$"), its section's text (``claim.extra[SECTION]``) and the
    operators the text defines itself (``claim.extra[REDEFINED]``)."""
    place_at = place_at or (lambda line: Place(0, 0))
    places = [place_at(c.line) for c in claims]
    redefined = frozenset(h for c in claims if (h := _defined_head(c)) is not None)
    sections: dict[int, dict[str, int]] = {}  # a section's texts (a span with its prose) and their lines
    for b in blocks:
        texts = sections.setdefault(place_at(b.span.line).section, {})
        texts.setdefault(f"{b.span.before} ${b.span.latex}$ {b.span.after}", b.span.line)
        texts.setdefault(f"{b.span.before} {b.span.after}", -1)  # its prose, read for every claim
    made: list[tuple[Stated, Place, bool]] = []  # a statement, where it is made, whether in an example
    last, said = "", ""  # the prose before the latest checked claim, and with what it goes on with
    for c, place in zip(claims, places):
        before = (c.extra.get("prose") or ("",))[0]
        if c.role in CHECKED_ROLES and c.lhs is not None:
            if here := tuple(s for s, at, example in made if _reaches(at, example, place)):
                c.extra[KEY] = here
            if before != last:
                said = f"{said[-2000:]}\n{before}" if said and _CONTINUES.fullmatch(before) else before
                last = before
            if said != before:
                c.extra[PROSE] = said
            own = [b.span.latex for b in blocks if b.span.line == c.line]
            c.extra[SECTION] = _section(sections.get(place.section, {}), c.line, own)
            c.extra[STATEMENT] = "\n".join(own)
            if redefined:
                c.extra[REDEFINED] = redefined
        example = any(_EXAMPLE.search(_sentence(b.span.before, b.span.after)) for b in blocks
                      if b.span.line == c.line and c.latex in b.span.latex)
        made += [(s, place, example) for s in statements(c)]


def _section(texts: dict[str, int], line: int, own: list[str]) -> str:
    """The text of a section for a claim at ``line``: its math spans with their prose, but the claim's
    own math (which may write a name both inside ``E`` and as a constant beside it)."""
    text = "\n".join(t for t, at in texts.items() if at != line)[:20000]
    for latex in own:
        text = text.replace(latex, " ")
    return text


#: a sentence that states a law for an example only ("for example, take …", "as a toy case")
_EXAMPLE = re.compile(r"for (?:example|instance)|\be\.\s?g\.|\btoy\b|as an (?:example|illustration)"
                      r"|\bexercise", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _sentence(before: str, after: str) -> str:
    """The sentence a span is in (its prose on both sides)."""
    head = _SENTENCE_END.split(before)[-1]
    tail = _SENTENCE_END.split(after)[0]
    return f"{head} {tail}"


def _reaches(at: Place, example: bool, place: Place) -> bool:
    """A law lasts to the end of the text (until stated anew); one stated in an example ("for example,
    take …") only to the next heading and within its example."""
    return not example or at == place


def _defined_head(c: Claim) -> str | None:
    """``E`` of ``E(x) = x^2``: an operator the text defines as a function of its own."""
    lhs = c.lhs
    if c.role == "definition" and isinstance(lhs, AppliedUndef) and type(lhs).__name__ in OPERATORS:
        return type(lhs).__name__
    return None


#: prose that goes on with the sentence before the display before it ("and the variance:")
_CONTINUES = re.compile(r"\s*(?:and|or|then|while|whereas|so|hence|thus)\b[^.!?$]*")


def in_force(stated: tuple[Stated, ...], variable: sp.Basic) -> Stated | None:
    """The latest statement about ``variable``'s name, when it is about this very variable (``w_1``
    after ``w_0, w_1 \\sim …``, any ``w_k`` after ``w_i \\sim …``); None when a later statement is
    about the whole name (``w \\sim \\mathcal{N}(u, S)``, the vector)."""
    base = base_of(variable)
    for s in reversed(stated):
        if base_of(s.variable) != base:
            continue
        if s.variable == variable or _any_index(s.variable, variable):
            return s
        if not _component(s.variable):  # the whole name (``w``), or ``w_i`` of another rank: shadowed
            return None
    return None


def _component(e: sp.Basic) -> bool:
    """``w_0``, ``w_{1,2}``: one variable of a name, other than another one of it."""
    return isinstance(e, sp.Indexed) and all(i.is_number for i in e.indices)


def _any_index(pattern: sp.Basic, variable: sp.Basic) -> bool:
    """``w_i`` (indices that are names) stands for every ``w_k`` of as many indices."""
    return (isinstance(pattern, sp.Indexed) and isinstance(variable, sp.Indexed)
            and len(pattern.indices) == len(variable.indices)
            and all(isinstance(i, sp.Symbol) for i in pattern.indices))


def random_names(stated: tuple[Stated, ...]) -> frozenset[str]:
    """The names the text has stated random (whatever their law)."""
    return frozenset(b for s in stated if (b := base_of(s.variable)) is not None)
