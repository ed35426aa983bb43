"""Claims: what a post asserts, one relation between two expressions each.

Each adjacent pair of a relation chain is a claim with its source line. A first
equation ``name = expression`` (or ``:=``, ``\\equiv``, ``\\stackrel{def}{=}``) defines
``name`` for the rest of the file; a later equation with the same left side restates
it and is checked against it. ``x \\in S`` declares a domain, a bare ``i = j``
on a line is a condition for the equations after it on that line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.walk import replace, xreplace
from ..model import Block, Claim, Statement, Verdict
from ..relations import RELATIONS, Defines, never_met


@dataclass
class Definition:
    target: sp.Basic  # Symbol, Indexed with symbol indices, or undefined-function call
    body: sp.Basic
    line: int
    latex: str

    @property
    def params(self) -> tuple:
        if isinstance(self.target, sp.Indexed):
            return tuple(self.target.indices)
        if isinstance(self.target, AppliedUndef):
            return tuple(self.target.args)
        return ()

    def matches(self, e: sp.Basic) -> bool:
        t = self.target
        if isinstance(t, sp.Symbol):
            return e == t
        if isinstance(t, sp.Indexed):
            return isinstance(e, sp.Indexed) and e.base == t.base and len(e.indices) == len(t.indices)
        return isinstance(e, AppliedUndef) and type(e) == type(t) and len(e.args) == len(t.args)  # noqa: E721 (f == f by name)

    def expand(self, e: sp.Basic) -> sp.Basic:
        args = e.indices if isinstance(e, sp.Indexed) else getattr(e, "args", ())
        return xreplace(_fresh_bound(self.body), dict(zip(self.params, args)), evaluate=False)


def _fresh_bound(body: sp.Basic) -> sp.Basic:
    """Rename summation variables so substituting parameters cannot capture them (unevaluated:
    the checks evaluate what they need)."""
    def rename(s):
        new_limits, fn = [], s.function
        for var, lo, hi in s.limits:
            d = sp.Dummy(var.name)
            fn = xreplace(fn, {var: d}, evaluate=False)
            new_limits.append((d, lo, hi))
        return type(s)(fn, *new_limits)
    return replace(body, lambda e: isinstance(e, (sp.Sum, sp.Product)), rename, evaluate=False)


@dataclass
class DefinitionGroup:
    """A name's definition and its restatements; ``reference`` is the one in force."""

    first: Definition
    restatements: list[Definition] = field(default_factory=list)
    reference: Definition | None = None

    def __post_init__(self):
        self.reference = self.reference or self.first


def _definable(target: sp.Basic) -> bool:
    if isinstance(target, sp.Symbol):
        return len(target.name) > 1 or target.name not in "ijkln"
    if isinstance(target, sp.Indexed):
        ix = target.indices
        return all(isinstance(i, sp.Symbol) for i in ix) and len(set(ix)) == len(ix)
    if isinstance(target, AppliedUndef):
        a = target.args
        return len(a) > 0 and all(isinstance(x, (sp.Symbol, sp.Indexed)) for x in a) and len(set(a)) == len(a)
    return False


def _key(target: sp.Basic):
    if isinstance(target, sp.Indexed):
        return ("indexed", target.base.label.name, len(target.indices))
    if isinstance(target, AppliedUndef):
        return ("function", type(target))
    return ("symbol", target)


def _symbols(e: sp.Basic) -> set[str]:
    """Names an expression is about: indexed bases, functions, and plain symbols
    that are neither indices nor sum bounds."""
    indices = {i for ix in e.atoms(sp.Indexed) for i in ix.indices}
    bounds = {hi for s in e.atoms(sp.Sum, sp.Product) for _, _, hi in s.limits}
    names = {s.name for s in e.free_symbols if not isinstance(s, sp.Indexed) and s not in indices | bounds}
    names |= {i.base.label.name for i in e.atoms(sp.Indexed)}
    names |= {type(f).__name__ for f in e.atoms(AppliedUndef)}
    return names


def _is_condition(st: Statement) -> bool:
    return (len(st.sides) == 2 and RELATIONS[st.relations[0]].condition
            and all(isinstance(s.expr, sp.Symbol) and len(s.expr.name) == 1 for s in st.sides))


def _is_bound(st: Statement) -> bool:
    r"""``\lambda > 0``, ``0 \le \pi_t \le 1``, ``1 \le t \le T``, ``x < 1`` (a case of ``cases``):
    inequalities between variables and numbers state a hypothesis or a range, never an identity
    (no text claims ``x < 1`` for every x): they are not checked as one. ``x < x`` is checked."""
    def simple(e) -> bool:
        return isinstance(e, (sp.Symbol, sp.Indexed)) or e.is_number is True
    exprs = [s.expr for s in st.sides]
    return (len(exprs) >= 2 and all(RELATIONS[r].order for r in st.relations)
            and all(simple(e) for e in exprs) and any(isinstance(e, (sp.Symbol, sp.Indexed)) for e in exprs)
            and all(a != b for a, b in zip(exprs, exprs[1:])))


def _cond(st: Statement) -> tuple[str, sp.Basic, sp.Basic]:
    return (st.relations[0], st.sides[0].expr, st.sides[1].expr)


def side_text(st: Statement, a: int, b: int) -> str:
    """Sides ``a``..``b`` of a chain with their relations, as (normalized) LaTeX."""
    parts = [st.sides[a].latex]
    for k in range(a, b):
        rel = RELATIONS.get(st.relations[k])
        parts += [rel.tex if rel else st.relations[k], st.sides[k + 1].latex]
    return " ".join(parts)


def build_claims(blocks: list[Block], definitions: bool = True) -> tuple[list[Claim], dict[str, str], dict]:
    """Claims of a document in order, the domains it declares (base name → domain) and
    the vectors it declares (``x_i \\in R^n``: name → ("rows", n)). With ``definitions``
    off, ``name = expression`` is an equation to check like any other."""
    claims: list[Claim] = []
    groups: dict = {}
    domains: dict[str, str] = {}
    vectors: dict = {}
    line_conditions: dict[int, list] = {}
    stmt_id = 0
    for b_idx, block in enumerate(blocks):
        for s_idx, st in enumerate(block.statements):
            stmt_id += 1
            if not st.relations:
                continue
            latex = side_text(st, 0, len(st.sides) - 1)
            if any(s.error for s in st.sides):
                err = next(s.error for s in st.sides if s.error)
                claims.append(Claim(st.line, latex, st.relations[0], None, None, "unparsed",
                                    verdict=Verdict.UNPARSED, reason=err, stopped=block.stopped))
                continue
            conds = [_cond(c) for c in st.conditions if c.relations and all(s.expr is not None for s in c.sides)]
            conds += line_conditions.get(st.line, []) if block.span.kind == "inline" else []
            if _is_condition(st) and block.span.kind == "inline":
                line_conditions[st.line] = [_cond(st)]  # the latest condition on a line is in force
                never = never_met(st.relations[0], st.sides[0].expr, st.sides[1].expr)
                claims.append(Claim(st.line, latex, st.relations[0], st.sides[0].expr, st.sides[1].expr,
                                    "condition", method="condition",
                                    verdict=Verdict.REFUTED if never else Verdict.UNCHECKED,
                                    reason="this condition can never hold" if never else
                                    "a condition for the equations after it on this line"))
                continue
            if RELATIONS[st.relations[0]].domain:
                claims.append(_domain_claim(st, latex, domains, vectors))
                continue
            if _is_bound(st):
                claims.append(Claim(st.line, latex, st.relations[0], st.sides[0].expr, st.sides[1].expr,
                                    "hypothesis", method="hypothesis", verdict=Verdict.UNCHECKED,
                                    reason="a bound on a variable (a hypothesis or a range), not an identity"))
                continue
            first = 0
            lhs = st.sides[0].expr
            defines = RELATIONS[st.relations[0]].defines
            if definitions and defines is not Defines.NEVER and _definable(lhs) \
                    and lhs not in st.sides[1].expr.free_symbols:
                key = _key(lhs)
                d = Definition(lhs, st.sides[1].expr, st.line, side_text(st, 0, 1))
                old = groups.get(key)
                if old is None or defines is Defines.ALWAYS or not (_symbols(d.body) & _symbols(old.first.body)):
                    groups[key] = DefinitionGroup(d)
                    claims.append(Claim(st.line, side_text(st, 0, 1), st.relations[0], lhs, d.body,
                                        "definition", method="definition", reason=f"defines {lhs}",
                                        definitions=list(groups.values()), group=groups[key],
                                        origin=(b_idx, s_idx, 0)))
                    first = 1
                else:
                    old.restatements.append(d)
            for k in range(first, len(st.relations)):
                role = "step" if len(st.sides) > 2 else ("restatement" if _key(lhs) in groups
                                                         and _definable(lhs) else "equation")
                claims.append(Claim(
                    st.line, side_text(st, k, k + 1), st.relations[k], st.sides[k].expr, st.sides[k + 1].expr,
                    role, conditions=list(conds), definitions=list(groups.values()),
                    group=groups.get(_key(lhs)) if role == "restatement" else None,
                    chain=(stmt_id, k) if len(st.sides) > 2 else None, origin=(b_idx, s_idx, k)))
    return claims, domains, vectors


def _domain_claim(st: Statement, latex: str, domains: dict[str, str], vectors: dict) -> Claim:
    target, space = st.sides[0].expr, st.sides[1].expr
    base = target.base.label.name if isinstance(target, sp.Indexed) else str(target)
    kind = None
    if isinstance(target, sp.Indexed) and isinstance(space, sp.Pow) and str(space.base) in ("R", "Reals") \
            and isinstance(space.exp, sp.Symbol):
        vectors[base] = ("rows", space.exp)
    if isinstance(space, sp.FiniteSet) and set(space) == {0, 1}:
        kind = "binary"
    elif space in (sp.S.Reals,) or (isinstance(space, (sp.Pow, sp.Symbol)) and str(space).startswith("R")):
        kind = "real"
    if kind:
        domains[base] = kind
    return Claim(st.line, latex, st.relations[0], target, space, "domain", method="domain",
                 reason=f"declares the domain of {target}" + (f" ({kind})" if kind else ""))
