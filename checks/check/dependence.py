"""Derivatives of names the text defines as functions of other names, written bare (chain rules).

A text that defines ``f(u, v) = (u+v)^2``, ``u(a, b) = (a+b)^2`` and ``a(w, x) = (w+x)^2`` writes
``\\partial f/\\partial u = 2(u+v)`` and ``\\partial f/\\partial a = \\partial f/\\partial u\\,
\\partial u/\\partial a + …`` with bare names: the names are the nodes of the network the definitions
draw. Read conventionally, ``\\partial X/\\partial y`` is the partial of X's body in its own parameter
``y`` (the other parameters held), or else the total derivative of the body with the defined names
in it expanded, ``y`` itself held; the names left are then expanded on both sides to compare.

The text may mean another network (one drawn in a figure): a failure under this reading refutes
nothing (unchecked, naming the definitions); a derivative zero only because the name does not
depend on the variable at all, and a partial in a parameter another parameter depends on, are
not read (unchecked): nothing is proved through them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from ..claims.build import Definition, DefinitionGroup
from ..expr.printing import BOLD_NAME
from ..expr.walk import replace as replace_nodes
from ..expr.walk import subexpressions, xreplace
from ..model import CheckResult, Verdict, lines_words
from .outcome import refutation

MAX_DEPTH = 12  # nested definitions expanded in one name


class NotRead(Exception):
    """Why the claim is not read through the network (a cycle, a vacuous or ambiguous derivative)."""


@dataclass(frozen=True)
class Reading:
    """The claim's sides with the bare derivatives taken and the defined names expanded (or why not)."""

    lhs: sp.Basic | None
    rhs: sp.Basic | None
    names: tuple[str, ...]  # the names whose derivatives were read
    lines: tuple[int, ...]  # the definitions used
    why_not: str = ""


@dataclass
class _Network:
    defs: dict[str, Definition]
    used: set[int] = field(default_factory=set)

    def expanded(self, e: sp.Basic, held: frozenset = frozenset(), depth: int = 0) -> sp.Basic:
        """``e`` with every defined name but ``held`` replaced by its body, recursively."""
        names = {s for s in e.free_symbols if isinstance(s, sp.Symbol) and _key(s.name) in self.defs
                 and _key(s.name) not in held}
        if not names:
            return e
        if depth >= MAX_DEPTH:
            raise NotRead("the definitions name each other in a cycle")
        rule = {}
        for s in names:
            d = self.defs[_key(s.name)]
            self.used.add(d.line)
            rule[s] = self.expanded(d.body, held, depth + 1)
        return xreplace(e, rule)

    def reach(self, name: str) -> set[str]:
        """Every name the definition of ``name`` depends on, through the definitions."""
        out: set[str] = set()
        todo = [name]
        while todo:
            d = self.defs.get(todo.pop())
            for s in (d.body.free_symbols if d is not None else ()):
                if isinstance(s, sp.Symbol) and _key(s.name) not in out:
                    out.add(_key(s.name))
                    todo.append(_key(s.name))
        return out

    def derivative(self, d: sp.Derivative) -> sp.Basic:
        """``∂X/∂y`` of a bare defined name X, as the network reads it."""
        y, x = d.variable_count[0][0], _key(d.expr.name)
        if _key(y.name) == x:
            raise NotRead(f"`{d}`: a name's derivative by itself is not read")
        fn = self.defs[x]
        self.used.add(fn.line)
        own = {_key(p.name): p for p in fn.params}
        if _key(y.name) in own:
            others = [q for q in own if q != _key(y.name) and q in self.defs and _key(y.name) in self.reach(q)]
            if others:
                raise NotRead(f"`{d}`: {y} is a parameter of {x} and {others[0]} depends on it too, "
                              f"so which one the derivative holds is ambiguous")
            body = _named(fn.body, y, own[_key(y.name)])
            if y not in body.free_symbols:
                raise NotRead(f"`{d}` is zero only because the definition of {x} does not use {y}")
            return sp.diff(body, y)
        body = _named(self.expanded(fn.body, frozenset({_key(y.name)})), y)
        if y not in body.free_symbols:
            raise NotRead(f"`{d}` is zero only because {x} does not depend on {y} through the definitions")
        return sp.diff(body, y)


def _key(name: str) -> str:
    """A name as a node: ``\\sigma`` the function and ``sigma`` the symbol are one."""
    return name.lstrip("\\")


def _named(e: sp.Basic, y: sp.Symbol, *also: sp.Symbol) -> sp.Basic:
    """``e`` with every symbol named as ``y`` being ``y`` (a name is one node, whatever its assumptions)."""
    return xreplace(e, {s: y for s in e.free_symbols if isinstance(s, sp.Symbol) and _key(s.name) == _key(y.name)
                        and s != y} | {a: y for a in also if a != y})


def network(groups: list[DefinitionGroup]) -> dict[str, Definition]:
    """The functions in force defined by parameters that are plain names (``u(a, b) = …``), by name;
    not a name also defined otherwise (``a = 3`` beside ``a(w) = …``)."""
    defs = {_key(type(d.target).__name__): d for d in (g.reference for g in groups)
            if isinstance(d.target, AppliedUndef) and not d.recursive and not d.value
            and all(isinstance(p, sp.Symbol) for p in d.params) and _scalar([d.target, d.body], ())}
    others = {_key(g.reference.target.name) for g in groups if isinstance(g.reference.target, sp.Symbol)}
    return {k: d for k, d in defs.items() if k not in others}


def _bare(lhs: sp.Basic, rhs: sp.Basic, defs: dict[str, Definition]) -> list[sp.Derivative]:
    """The first derivatives of a bare defined name by a name (``\\partial f/\\partial u``); others
    (second, by an indexed name) are left as they are, unread."""
    return sorted((d for d in subexpressions([lhs, rhs], (sp.Derivative,))
                   if isinstance(d.expr, sp.Symbol) and _key(d.expr.name) in defs and len(d.variable_count) == 1
                   and d.variable_count[0][1] == 1 and isinstance(d.variable_count[0][0], sp.Symbol)),
                  key=sp.default_sort_key)


def _network_names(e: sp.Basic, defs: dict[str, Definition]) -> set[str]:
    """The names of the network's functions ``e`` uses bare (``u`` in ``u^2``, with ``u(x)`` defined)."""
    return {_key(s.name) for s in e.free_symbols if isinstance(s, sp.Symbol) and _key(s.name) in defs}


def _scalar(exprs: list[sp.Basic], vectors: Collection[str]) -> bool:
    """Whether every name is a number (the network's names as scalars): no components, no bold or
    declared vector, no matrix, whose products' order a scalar reading would lose."""
    return not subexpressions(exprs, (sp.Indexed, sp.MatrixExpr)) and not any(
        isinstance(s, sp.Symbol) and (BOLD_NAME.match(s.name) or s.name in vectors)
        for e in exprs for s in e.free_symbols)


def reading(lhs: sp.Basic, rhs: sp.Basic, groups: list[DefinitionGroup], relation: str,
            vectors: Collection[str] = ()) -> Reading | None:
    """The network reading of a claim with a bare derivative of a defined name, or None (no such
    derivative, not an equation, or names that are not all numbers)."""
    defs = network(groups) if relation == "eq" else {}
    found = _bare(lhs, rhs, defs) if defs else []
    if not found or any(isinstance(d.expr, sp.Symbol) and _key(d.expr.name) in defs and d not in found
                        for d in subexpressions([lhs, rhs], (sp.Derivative,))):  # ``d^2f/dx^2``: not read
        return None
    net = _Network(defs)
    names = tuple(sorted({_key(d.expr.name) for d in found}))
    try:
        taken = {d: net.derivative(d) for d in found}
        sides = [net.expanded(replace_nodes(s, lambda e: e in taken, taken.__getitem__)) for s in (lhs, rhs)]
    except NotRead as exc:
        return Reading(None, None, names, tuple(sorted(net.used)), str(exc))
    if not _scalar([lhs, rhs, *sides], vectors):
        return None
    return Reading(*sides, names, tuple(sorted(net.used)))


def read_as_numbers(lhs: sp.Basic, rhs: sp.Basic, groups: list[DefinitionGroup], latex: str) -> str:
    """Why a failure refutes nothing when a side uses, bare, the name of a function the text defines
    of other names (``f'(u) u'(x) = 18x`` with ``u(x) = 3x``): read as a number, it is constant where
    the text means the function of its parameters; "" otherwise."""
    defs = network(groups)
    used = {n for side in (lhs, rhs) if isinstance(side, sp.Basic) for n in _network_names(side, defs)}
    names = sorted(n for n in used
                   if not re.search(r"(?<![A-Za-z\\])\\?" + re.escape(n) + r"\s*(?:\\left\s*)?\(", latex))
    if not names:
        return ""
    lines = lines_words(sorted({defs[n].line for n in names}))
    return (f"mathlint reads {', '.join(names)} as a number, which the text defines as a function of other names "
            f"(the definitions at {lines}): it may mean that function")


def verdict(r: Reading, check: Callable[[sp.Basic, sp.Basic, Callable], CheckResult], report: Callable,
            used: tuple[int, ...]) -> CheckResult:
    """The claim's verdict under the reading: what holds, proved or numerically; anything else unchecked
    (the text may mean another network than its definitions draw). ``check(lhs, rhs, report)``."""
    lines = tuple(sorted({*used, *r.lines}))
    where = lines_words(r.lines) if r.lines else "no line"
    head = (f"reading the derivatives of {', '.join(r.names)} through the functions defined at {where} "
            f"(each name a node of the network they define)")
    if r.why_not:
        return CheckResult(Verdict.UNCHECKED, reason=f"{r.why_not} (the definitions at {where})", used=lines)
    v = check(r.lhs, r.rhs, lambda partial: report(replace(partial, reason=f"{head}: {partial.reason}",
                                                             used=lines)))
    if v.verdict in (Verdict.PROVED, Verdict.CONSISTENT):
        return replace(v, reason=f"{head}: {v.reason}", used=lines)
    if v.verdict in (Verdict.REFUTED, Verdict.NEEDS_ASSUMPTION):
        why = refutation(v.counterexample) if v.counterexample else v.reason
        return CheckResult(Verdict.UNCHECKED, reason=f"does not hold {head}; the text may mean another "
                           f"dependence than its definitions give", details=(f"under that reading, {why}",),
                           used=lines)
    return replace(v, reason=f"{head}: {v.reason}", used=lines)
