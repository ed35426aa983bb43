"""Findings that are not a claim's verdict: notation, unstated assumptions, symbols used once.

Each rule is registered in :data:`RULES` with its code and a one-line description
(docs/rules.md lists them); a rule is a function of the checked document that
returns ``(line, message)`` pairs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from .claims import Claim
from .model import Block


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    run: Callable[["Document"], list[tuple[int, str]]] | None


@dataclass
class Document:
    blocks: list[Block]
    claims: list[Claim]


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str):
    def deco(fn):
        RULES[code] = Rule(code, name, summary, fn)
        return fn
    return deco


# Codes whose findings come from elsewhere (verdicts, annotations, code checks).
for _code, _name, _summary in (
    ("ML001", "annotation", "a `<!-- mathlint: … -->` annotation that mathlint does not understand"),
    ("ML100", "refuted", "a claim is false as written (a counterexample is given)"),
    ("ML101", "needs-assumption", "a claim holds only under an assumption the post does not state"),
    ("ML102", "unparsed", "an equation mathlint cannot read"),
    ("ML103", "timeout", "a claim that was not decided within its time budget"),
    ("ML200", "code", "a code snippet that does not compute what the derivation says it computes"),
    ("ML201", "numbers", "a worked example whose numbers do not follow from the formula"),
    ("ML300", "derivation-node", "an equation of the encoded derivation was not found in the post"),
):
    RULES[_code] = Rule(_code, _name, _summary, None)


def _functions(blocks: list[Block]) -> list[tuple[int, AppliedUndef]]:
    out = []
    for b in blocks:
        for st in b.all_statements():
            for s in st.sides:
                if s.expr is not None:
                    out.extend((s.line, f) for f in s.expr.atoms(AppliedUndef))
    return out


def _label(f) -> str:
    event = getattr(type(f), "_kwargs", {}).get("event")
    return f"{type(f).__name__}({event}|·)" if event else f"{type(f).__name__}(·)"


@rule("ML002", "case-variant", "a name that differs from another name of the post only in upper/lower case, "
      "so that read literally it is a different function or variable")
def case_variants(doc: Document) -> list[tuple[int, str]]:
    seen: dict[str, tuple[str, int]] = {}
    counts = Counter(_label(f) for _, f in _functions(doc.blocks))
    out = []
    for line, f in _functions(doc.blocks):
        label = _label(f)
        key = label.lower()
        if key in seen and seen[key][0] != label:
            other, other_line = seen[key]
            major, minor = (other, label) if counts[other] >= counts[label] else (label, other)
            if label == minor:
                out.append((line, f"`{minor}` differs from `{major}` (line {other_line}) only in case; "
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


@rule("ML003", "used-once", "a symbol that appears once in the whole post and is one letter or one case "
      "away from a symbol used often: probably a typo")
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


@rule("ML004", "set-braces", "`{…}` only groups in LaTeX and prints no braces; a set needs `\\{…\\}`")
def set_braces(doc: Document) -> list[tuple[int, str]]:
    out = []
    for b in doc.blocks:
        for m in re.finditer(r"=\s*\{(?=[^{}]*,)", b.span.latex):
            if b.span.latex[m.end() - 2:m.end()] != "\\{":
                out.append((b.span.line, "`{…}` groups and prints no braces: write `\\{…\\}` for a set"))
    return out


@rule("ML005", "blackboard", "`R^n` reads as the symbol R to the power n; the real space is `\\mathbb{R}^n`")
def blackboard(doc: Document) -> list[tuple[int, str]]:
    return [(b.span.line, "`R^n` is R to the power n: write `\\mathbb{R}^n` for the real vectors")
            for b in doc.blocks if re.search(r"\\in\s*R\^", b.span.latex)]


def findings_of(doc: Document, ignored: set[tuple[int, str]] = frozenset()) -> list[dict]:
    """Every finding of the registered lint rules, sorted by line."""
    out = []
    for r in RULES.values():
        if r.run is None:
            continue
        for line, msg in r.run(doc):
            out.append({"rule": r.code, "line": line, "message": msg})
    return sorted(out, key=lambda f: (f["line"], f["rule"], f["message"]))
