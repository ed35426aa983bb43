"""Encoded derivations: a post's argument across blocks, as a graph of claims.

A :class:`Derivation` names the post's equations (:class:`Node`, found by a content
anchor: the equation as the derivation expects it, matched fuzzily so that fixing a
typo or adding paragraphs does not lose it) and states how they follow from each other
(:class:`Edge`, a relation from :data:`EDGE_RELATIONS`). Code snippets and worked
numbers are claims too (:class:`CodeCheck`, :class:`NumbersCheck`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from ..claims.build import Claim
from ..expr.symbols import Component
from ..model import Block, Finding, Statement, Verdict
from ..runtime.memo import cached
from ..sources.base import CodeSpan

MIN_RATIO = 0.75


@dataclass(frozen=True)
class Node:
    anchor: str  # the LaTeX (or code) the derivation expects here
    kind: str = "display"  # display | inline | code | inline-code
    after: str | None = None  # look only after this node


@dataclass(frozen=True)
class Edge:
    target: str
    relation: str  # key of EDGE_RELATIONS
    source: str | None = None
    params: dict = field(default_factory=dict)
    why: str = ""


@dataclass(frozen=True)
class CodeCheck:
    node: str
    run: Callable  # (code_text, rng) -> list[(line offset, verdict, message)]
    why: str = ""


@dataclass(frozen=True)
class Derivation:
    name: str
    title: str
    nodes: dict[str, Node]
    edges: list[Edge]
    code: list[CodeCheck] = field(default_factory=list)
    #: further checks of located nodes: (located nodes) -> [(node name, verdict, message)]
    checks: list[Callable] = field(default_factory=list)


@dataclass
class Located:
    name: str
    line: int
    ratio: float
    block: Block | None = None
    statement: Statement | None = None
    code: CodeSpan | None = None


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def locate(d: Derivation, blocks: list[Block], codes: list[CodeSpan]) -> dict[str, Located]:
    """Each node's best match (ratio ≥ MIN_RATIO) in document order constraints."""
    found: dict[str, Located] = {}
    for name, node in d.nodes.items():
        lo = found[node.after].line if node.after in found else 0
        best: Located | None = None
        if node.kind in ("display", "inline"):
            a = _squash(node.anchor)
            spans = [(k, b, _squash(b.span.latex)) for k, b in enumerate(blocks)
                     if b.span.kind == node.kind and b.span.line >= lo]
            # highest upper bound first: the exact ratio is computed only where it can win
            # (the first span in document order wins a tie, as in a plain scan)
            bounded = sorted(((_similarity(a, t, _quick_bound), k, b, t) for k, b, t in spans),
                             key=lambda x: (-x[0], x[1]))
            first = None
            for bound, k, b, t in bounded:
                if best is not None and bound < best.ratio:
                    break
                if best is not None and bound == best.ratio and k > first:
                    continue
                r = _exact_ratio(a, t)
                if best is None or r > best.ratio or r == best.ratio and k < first:
                    st = b.statements[0] if b.statements else None
                    best, first = Located(name, b.span.line, r, b, st), k
        else:
            kind = "fence" if node.kind == "code" else "inline"
            for c in codes:
                if c.kind != kind or c.line < lo:
                    continue
                r = _code_ratio(node.anchor, c.content)
                if best is None or r > best.ratio:
                    best = Located(name, c.line, r, code=c)
        if best is not None and best.ratio >= MIN_RATIO:
            found[name] = best
    return found


def _similarity(a: str, t: str, score: Callable[[str, str], float]) -> float:
    """``score`` of the anchor against the span, or against the span's start for a long anchor."""
    r = score(a, t)
    if len(a) >= 30 and len(t) > len(a):
        r = max(r, 0.98 * score(a, t[:len(a)]))
    return r


def _quick_bound(a: str, b: str) -> float:
    """``SequenceMatcher(None, a, b).quick_ratio()``: the characters in common, an upper bound
    of the ratio, in linear time."""
    if not a and not b:
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2.0 * common / (len(a) + len(b))


@cached("anchor-ratios", maxsize=4096)
def _exact_ratio(a: str, t: str) -> float:
    return _similarity(a, t, lambda x, y: difflib.SequenceMatcher(None, x, y).ratio())


@cached("code-ratios", maxsize=4096)
def _code_ratio(anchor: str, content: str) -> float:
    return difflib.SequenceMatcher(None, _squash(anchor), _squash(content)).ratio()


def coverage(d: Derivation, blocks: list[Block], codes: list[CodeSpan]) -> float:
    return len(locate(d, blocks, codes)) / max(len(d.nodes), 1)


# --- edge relations: (target, source, params) -> (lhs, rhs, relation, conditions) --------------

def _last(st: Statement) -> sp.Basic:
    return st.sides[-1].expr


def _neg_mean_log(t: Statement, s: Statement, p: dict):
    m = sp.Symbol(p.get("scale", "m"))
    return t.sides[-1].expr, -sp.log(s.sides[0].expr) / m


def _complement(t: Statement, s: Statement, p: dict):
    return t.sides[-1].expr, 1 - s.sides[-1].expr


def _component(t: Statement, s: Statement, p: dict):
    return t.sides[-1].expr, Component(_last(s), sp.Symbol(p["index"]))


def _factor(t: Statement, s: Statement, p: dict):
    prod = s.sides[0].expr
    if not isinstance(prod, sp.Product):
        raise ValueError("the source is not a product")
    (var, _, _), = prod.limits
    f = prod.function
    y, x = sp.IndexedBase(p["label"]), sp.IndexedBase(p["input"])
    f = f.subs(y[var], p["value"]).xreplace({x[var]: sp.Symbol(p["input"])})
    return t.sides[-1].expr, f


EDGE_RELATIONS: dict[str, tuple[str, Callable]] = {
    "neg-mean-log": ("is −(1/m)·log of", _neg_mean_log),
    "complement": ("is 1 minus", _complement),
    "component": ("is a component of", _component),
    "likelihood-factor": ("is the factor, at a given label, of", _factor),
    "defines": ("defines the derivation's", lambda t, s, p: (t.sides[-1].expr, p["_expected"].sides[-1].expr)),
}


def expected_statements(node: Node) -> list[Statement]:
    """The node's anchor read as LaTeX: what the derivation expects the post to say."""
    from ..latex.reader import read_block
    from ..model import MathSpan

    block = read_block(MathSpan(node.anchor, node.kind, "$$", 0, 1, 1))
    return block.statements


def edge_claims(d: Derivation, where: dict[str, Located]) -> tuple[list[Claim], list[Finding]]:
    """Claims for every edge whose nodes were found; findings for nodes that were not."""
    claims, findings = [], []
    for name in d.nodes:
        if name not in where:
            findings.append(Finding("ML300", 0, f"derivation '{d.name}': equation '{name}' was not found in the post"))
    claims += _names_as_expected(d, where)
    for e in d.edges:
        t, s = where.get(e.target), where.get(e.source) if e.source else None
        if t is None or (e.source and s is None) or t.statement is None:
            continue
        label, fn = EDGE_RELATIONS[e.relation]
        latex = t.block.span.latex.strip()
        pairs = [(t.statement, e.params)]
        if e.relation == "defines":
            expected = expected_statements(d.nodes[e.target])
            written = [st for st in t.block.statements if st.relations]
            if len(expected) != len(written):
                claims.append(Claim(t.line, latex, "eq", None, None, "derivation", verdict=Verdict.REFUTED,
                                    method="structure", reason=f"{e.why}: expected {len(expected)} equation(s), "
                                                                f"found {len(written)}"))
                continue
            pairs = [(w, {**e.params, "_expected": x}) for w, x in zip(written, expected)]
        for st, params in pairs:
            claims.append(_edge_claim(e, st, s, params, t.line, latex, fn))
    return claims, findings


def _names_as_expected(d: Derivation, where: dict[str, Located]) -> list[Claim]:
    """A node whose left side names something else than the derivation expects (``N(w)``
    written for ``J(w)``) is refuted; matching names add no claim."""
    from ..claims.build import _definable

    out = []
    defined = {e.target for e in d.edges if e.relation == "defines"}
    for name, loc in where.items():
        node = d.nodes[name]
        if loc.block is None or node.kind not in ("display", "inline") or name in defined:
            continue
        written = [st for st in loc.block.statements if st.relations]
        expected = [st for st in expected_statements(node) if st.relations]
        for w, x in zip(written, expected):
            want, got = x.sides[0].expr, w.sides[0].expr
            if want is not None and got is not None and _definable(want) and want != got:
                out.append(Claim(loc.line, loc.block.span.latex.strip(), "eq", None, None, "derivation",
                                 verdict=Verdict.REFUTED, method="structure", reason=f"the left side is {got}",
                                 notes=[f"the derivation expects {want} here"]))
    return out


def _edge_claim(e: Edge, st: Statement, s, params: dict, line: int, latex: str, fn) -> Claim:
    try:
        lhs, rhs = fn(st, s.statement if s else None, params)
    except Exception as exc:  # a node that does not have the expected form
        return Claim(line, latex, "eq", None, None, "derivation", verdict=Verdict.UNCHECKED,
                     reason=f"{e.why}: cannot build the claim ({exc})")
    expected = params.get("_expected")
    if expected is not None and expected.sides[0].expr != st.sides[0].expr:
        return Claim(line, latex, "eq", None, None, "derivation", verdict=Verdict.REFUTED, method="structure",
                     reason=f"{e.why}: the left side is {st.sides[0].expr}, the derivation defines "
                             f"{expected.sides[0].expr}")
    c = Claim(line, latex, "eq", lhs, rhs, "derivation", reason=e.why)
    c.extra = {"edge": e.relation, "why": e.why, "source_line": s.line if s else None,
               "assume": list(params.get("assume", ()))}
    return c

