"""Suggested fixes: the smallest edit of a refuted equation's LaTeX that makes it hold.

Edits are generated on the post's own text (registry :data:`EDITS`), cheapest
first; each candidate is re-read and re-checked numerically, and the first one
under which the claim holds — without breaking the other steps of its chain —
becomes the suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..check.relation import Setting, evaluate
from ..claims.assume import Context, standard_candidates
from ..claims.build import Claim
from ..latex.reader import read_block
from ..model import HOLDS, Applicability, Block, Edit, Fix
from ..relations import RELATIONS
from ..runtime import budget

MAX_CANDIDATES = 80


@dataclass(frozen=True)
class Candidate:
    """One candidate edit of a span's LaTeX (offsets in the span's text), before it is checked."""

    start: int
    end: int
    replacement: str
    kind: str

    def apply(self, text: str) -> str:
        return text[:self.start] + self.replacement + text[self.end:]

    @property
    def cost(self) -> int:
        return max(self.end - self.start, len(self.replacement))


EDITS: list[tuple[str, Callable[[str], list[Candidate]]]] = []


def edit(name: str):
    def deco(fn):
        EDITS.append((name, fn))
        return fn
    return deco


def _index_letters(text: str) -> list[str]:
    found = re.findall(r"_\{?([a-zA-Z])", text) + re.findall(r"\\sum_\{?([a-z])", text)
    return sorted(set(found))


@edit("remove a function")
def drop_function(text: str) -> list[Candidate]:
    out = []
    for m in re.finditer(r"\\?(?<![A-Za-z])(log|ln|exp)(?![a-z])\s*", text):
        out.append(Candidate(m.start(), m.end(), "", "remove a function"))
    for m in re.finditer(r"e\^\{([^{}]*)\}", text):
        out.append(Candidate(m.start(), m.end(), m.group(1), "remove a function"))
    return out


@edit("change a subscript")
def change_subscript(text: str) -> list[Candidate]:
    letters = _index_letters(text)
    out = []
    for m in re.finditer(r"_([A-Za-z])", text):
        for c in letters + [m.group(1).swapcase()]:
            if c != m.group(1):
                out.append(Candidate(m.start(1), m.end(1), c, "change a subscript"))
    return out


@edit("add a subscript")
def add_subscript(text: str) -> list[Candidate]:
    out = []
    for m in re.finditer(r"(?<=[|\s(])([a-z])(?=\s*[)\]])", text):
        for c in _index_letters(text):
            out.append(Candidate(m.end(1), m.end(1), "_" + c, "add a subscript"))
    return out


@edit("flip a sign")
def flip_sign(text: str) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), "-" if m.group(0) == "+" else "+", "flip a sign")
            for m in re.finditer(r"(?<!\^)[+-]", text)]


@edit("change case")
def change_case(text: str) -> list[Candidate]:
    return [Candidate(m.start(1), m.end(1), m.group(1).swapcase(), "change case")
            for m in re.finditer(r"(?<![A-Za-z\\])([A-Za-z])(?=\s*[(=])", text)]


@edit("change a bound")
def change_bound(text: str) -> list[Candidate]:
    bounds = sorted(set(re.findall(r"\^\{([A-Za-z])\}", text)))
    out = []
    for m in re.finditer(r"\^\{([A-Za-z])\}", text):
        for b in bounds + ["N", "m"]:
            if b != m.group(1):
                out.append(Candidate(m.start(1), m.end(1), b, "change a bound"))
    return out


def candidates(text: str) -> list[Candidate]:
    seen, out = set(), []
    for _, gen in EDITS:
        for e in gen(text):
            if (e.start, e.end, e.replacement) not in seen:
                seen.add((e.start, e.end, e.replacement))
                out.append(e)
    out.sort(key=lambda e: (e.cost, e.start))
    return out[:MAX_CANDIDATES]


def _quick(report, lhs, rhs, relation, conditions, ctx, setting, key) -> bool:
    """Holds numerically, possibly under one of the standard assumptions."""
    rel = RELATIONS[relation]
    o = evaluate(lhs, rhs, rel, conditions, setting, key)
    if o.status == "holds":
        return True
    if o.status != "fails":
        return False
    for cand in standard_candidates(lhs, rhs, ctx, o.size_groups):
        if evaluate(lhs, rhs, rel, conditions, setting.assuming(cand), key).status == "holds":
            return True
    return False


def _holds(lhs, rhs, relation, conditions, ctx, setting, key, budgeted: bool = False) -> bool:
    """Candidates are small edits of an equation that was read and checked already, so the
    quick check runs in-process; the winner is confirmed under a budget of its own."""
    if budgeted:
        res = budget.run_here(_quick, (lhs, rhs, relation, conditions, ctx, setting, key), 10.0)
        return res.status == "ok" and bool(res.result)
    try:
        return _quick(None, lhs, rhs, relation, conditions, ctx, setting, key)
    except Exception:  # a candidate that breaks evaluation is not a fix
        return False


def _pairs(claim: Claim, st, substitute) -> list[tuple]:
    """The (lhs, rhs) a candidate statement must satisfy for ``claim`` to hold."""
    if claim.role == "definition":
        ref = claim.group.reference
        return [(substitute(st.sides[1].expr, claim.definitions), substitute(ref.body, claim.definitions))]
    if claim.role == "restatement":
        return [(substitute(claim.group.first.body, claim.definitions),
                 substitute(st.sides[1].expr, claim.definitions))]
    k = claim.origin[2]
    return [(substitute(st.sides[k].expr, claim.definitions), substitute(st.sides[k + 1].expr, claim.definitions))]


def suggest(claim: Claim, blocks: list[Block], claims: list[Claim], ctx: Context, setting: Setting,
            substitute) -> Fix | None:
    """The smallest edit of ``claim``'s span that makes it hold, or None."""
    if claim.origin is None:
        return None
    b_idx, s_idx, k = claim.origin
    block = blocks[b_idx]
    text = block.span.latex
    old = block.statements[s_idx]
    quick = replace(setting, prove=False, sizes=setting.sizes[:1], points=16, confirm=False)
    full = replace(setting, prove=False, confirm=False)
    siblings = [c for c in claims if c.origin and c.origin[:2] == (b_idx, s_idx) and c is not claim
                and c.verdict in HOLDS]
    substitute = _memoized(substitute)
    tried: set = set()
    for e in _edits(text):
        new_text = _apply(e, text)
        nb = read_block(replace(block.span, latex=new_text))
        if nb.status != "parsed" or len(nb.statements) != len(block.statements):
            continue
        st = nb.statements[s_idx]
        if len(st.sides) != len(old.sides):
            continue
        key = tuple(s.expr for s in st.sides)  # structural equality (events of P(·|·) included)
        if key in tried:
            continue
        tried.add(key)
        try:
            pairs = _pairs(claim, st, substitute)
        except Exception:  # an edit can make a side unusable; it is just not a fix
            continue
        if not all(_holds(lh, rh, claim.relation, claim.conditions, ctx, quick, f"fix:{claim.line}")
                   for lh, rh in pairs):
            continue
        if not all(_holds(*_pairs(c, st, substitute)[0], c.relation, c.conditions, ctx, quick, f"fix:{c.line}")
                   for c in siblings if c.origin[2] < len(st.relations)):
            continue
        if not all(_holds(lh, rh, claim.relation, claim.conditions, ctx, full, f"fix:{claim.line}", True)
                   for lh, rh in pairs):
            continue
        return _describe(e, text, new_text, block)
    return None


def _memoized(substitute):
    """``substitute`` remembering its results: most candidates leave most sides unchanged."""
    memo: dict = {}

    def sub(expr, groups):
        key = (expr, id(groups))
        if key not in memo:
            memo[key] = substitute(expr, groups)
        return memo[key]
    return sub


def _edits(text: str):
    """Single edits, cheapest first, then pairs of single-letter case changes
    (``P(y=1|x)`` and ``p(Y=1|x)`` → ``P(Y=1|x)`` together)."""
    singles = candidates(text)
    for e in singles:
        yield (e,)
    cases = [e for e in singles if e.kind == "change case"]
    for a_i, a in enumerate(cases):
        for b in cases[a_i + 1:]:
            if b.start >= a.end:
                yield (a, b)


def edit_count(text: str) -> int:
    """How many edits :func:`suggest` may try on ``text``."""
    return sum(1 for _ in _edits(text))


def _apply(edits: tuple[Candidate, ...], text: str) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = e.apply(text)
    return text


def _describe(edits: tuple[Candidate, ...], text: str, new_text: str, block: Block) -> Fix:
    """The winning edits as one :class:`Fix`: a single edit of the post from the first change to the
    end of the last (the reports show one region), ``unsafe`` since it changes what the post says."""
    first = edits[0]
    lead = len(text) - len(text.lstrip())
    line = block.span.line + text.count("\n", lead, first.start)
    col = block.span.column + first.start - lead if line == block.span.line else \
        first.start - text.rfind("\n", 0, first.start)
    parts = []
    for e in edits:
        old = text[e.start:e.end].strip()
        parts.append(f"remove `{old}`" if e.kind == "remove a function" and not e.replacement
                     else f"{e.kind}: `{old}` → `{e.replacement}`")
    lo, hi = max(0, first.start - 15), edits[-1].end + 15
    shift = len(new_text) - len(text)
    change = Edit(line, col, line, col + edits[-1].end - first.start,
                  content=new_text[first.start:edits[-1].end + shift], deleted=text[first.start:edits[-1].end])
    return Fix((change,), "; ".join(parts), Applicability.UNSAFE, kind=first.kind, latex=new_text.strip(),
               original=text[lo:hi], replacement=new_text[lo:hi + shift])
