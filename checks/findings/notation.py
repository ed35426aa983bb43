"""Findings that are not a claim's verdict: notation, unstated assumptions, symbols used once.

Each rule's code and description are declared in :mod:`mathlint.rule_codes` (docs/rules.md
lists them); its function, registered here with :func:`check`, maps the checked
document to ``(line, message)`` pairs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from ..claims.build import Claim
from ..expr.printing import function_label
from ..model import Block, Finding, line_words
from ..rule_codes import RULES


@dataclass
class Document:
    blocks: list[Block]
    claims: list[Claim]


#: code → function of the checked document returning ``(line, message)`` pairs
CHECKS: dict[str, Callable[[Document], list[tuple[int, str]]]] = {}


def check(code: str):
    """Register a lint rule's function under its code (declared in :mod:`mathlint.rule_codes`)."""
    def deco(fn):
        assert code in RULES, f"{code} is not declared in checks/rule_codes.py"
        CHECKS[code] = fn
        return fn
    return deco


def _functions(blocks: list[Block]) -> list[tuple[int, AppliedUndef]]:
    out = []
    for b in blocks:
        for st in b.all_statements():
            for s in st.sides:
                if s.expr is not None:
                    out.extend((s.line, f) for f in s.expr.atoms(AppliedUndef))
    return out


def _related(blocks: list[Block]) -> set[frozenset[str]]:
    """Pairs of functions a statement sets against each other (``F(x) = \\int_0^x f(y)\\,dy``,
    ``\\frac{dF}{dx} = f``): written on the two sides of one relation, they are two functions on purpose."""
    out: set[frozenset[str]] = set()
    for b in blocks:
        for st in b.all_statements():
            sides = [{function_label(type(f)) for f in s.expr.atoms(AppliedUndef)} for s in st.sides
                     if s.expr is not None]
            out |= {frozenset((a, c)) for k, left in enumerate(sides) for right in sides[k + 1:]
                    for a in left for c in right if a != c and a.lower() == c.lower()}
    return out


@check("ML002")
def case_variants(doc: Document) -> list[tuple[int, str]]:
    seen: dict[str, tuple[str, int]] = {}
    counts = Counter(function_label(type(f)) for _, f in _functions(doc.blocks))
    related = _related(doc.blocks)
    out = []
    for line, f in _functions(doc.blocks):
        label = function_label(type(f))
        key = label.lower()
        if key in seen and seen[key][0] != label and frozenset((label, seen[key][0])) not in related:
            other, other_line = seen[key]
            major, minor = (other, label) if counts[other] >= counts[label] else (label, other)
            if label == minor:
                out.append((line, f"`{minor}` differs from `{major}` ({line_words(other_line)}) only in case; "
                                  f"read literally it is a different function"))
        else:
            seen.setdefault(key, (label, line))
    return sorted(set(out))


def _side_names(expr: sp.Basic) -> tuple[set[str], set[str]]:
    """(names, index names) of one side."""
    indices = {ix.name for i in expr.atoms(sp.Indexed) for ix in i.indices if isinstance(ix, sp.Symbol)}
    names = {x.name for x in expr.free_symbols if isinstance(x, sp.Symbol)} | indices
    names |= {i.base.label.name for i in expr.atoms(sp.Indexed)}
    return names, indices


def _sides(blocks: list[Block]):
    for b in blocks:
        for st in b.all_statements():
            for s in st.sides:
                if s.expr is not None:
                    yield s


@check("ML003")
def used_once(doc: Document) -> list[tuple[int, str]]:
    counts: Counter = Counter()
    index_names: set[str] = set()
    for s in _sides(doc.blocks):
        names, indices = _side_names(s.expr)
        counts.update(names)
        index_names |= indices
    out = []
    for s in _sides(doc.blocks):
        names, indices = _side_names(s.expr)
        for n in sorted(names):
            if counts[n] != 1 or n.startswith("N_"):
                continue
            near = [m for m, k in counts.items() if k >= 3 and m != n and _near(n, m)
                    and (len(n) > 1 or (n in indices and m in index_names))]
            if near:
                what = "index" if n in indices else "name"
                out.append((s.line, f"{what} `{n}` appears only here; did you mean `{near[0]}`?"))
    return sorted(set(out))


def _near(a: str, b: str) -> bool:
    if a.lower() == b.lower():
        return True
    if abs(len(a) - len(b)) != 1 or min(len(a), len(b)) < 3:
        return False
    short, long_ = sorted((a, b), key=len)
    return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))


@check("ML004")
def set_braces(doc: Document) -> list[tuple[int, str]]:
    out = []
    for b in doc.blocks:
        for m in re.finditer(r"=\s*\{(?=[^{}]*,)", b.span.latex):
            if b.span.latex[m.end() - 2:m.end()] != "\\{":
                out.append((b.span.line, "`{…}` groups and prints no braces: write `\\{…\\}` for a set"))
    return out


@check("ML005")
def blackboard(doc: Document) -> list[tuple[int, str]]:
    return [(b.span.line, "`R^n` is R to the power n: write `\\mathbb{R}^n` for the real vectors")
            for b in doc.blocks if re.search(r"\\in\s*R\^", b.span.latex)]


def findings_of(doc: Document, ignored: set[tuple[int, str]] = frozenset()) -> list[Finding]:
    """Every finding of the registered lint rules, sorted by line."""
    out = [Finding(code, line, msg) for code, run in CHECKS.items() for line, msg in run(doc)]
    return sorted(out, key=Finding.order)
