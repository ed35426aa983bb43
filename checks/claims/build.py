"""Claims: what a post asserts, one relation between two expressions each.

Each adjacent pair of a relation chain is a claim with its source line. A first
equation ``name = expression`` (or ``:=``, ``\\equiv``, ``\\stackrel{def}{=}``) defines
``name`` from there on; a later equation with the same left side restates it and is checked
against it only when it presents the same object again (:mod:`.scope`: same section, no new
example, …), else it is a new definition. ``x \\in S`` declares a domain, a bare ``i = j``
on a line is a condition for the equations after it on that line.
"""

from __future__ import annotations

import re
from dataclasses import replace as with_fields

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.symbols import RealSpace
from ..expr.walk import xreplace
from ..model import Block, Claim, Statement, Verdict
from ..relations import RELATIONS, Defines, never_met
from .cues import Cue, cue_of, opening, same_example
from .definitions import Definition, DefinitionGroup
from .distributions import attach as attach_distributions
from .heads import Shifted, called, shifted_head, with_calls
from .hypotheses import attach as attach_hypotheses
from .patterns import components, in_force, pattern_definition
from .roles import Role, classify
from .scope import (
    Place,
    Scope,
    is_value,
    names,
    same_object,
    superscript_index,
    unread_head,
    varied,
)


def _definable(target: sp.Basic) -> bool:
    if isinstance(target, sp.Symbol):
        return len(target.name) > 1 or target.name not in "ijkln"
    if isinstance(target, sp.Indexed):
        ix = target.indices
        return all(isinstance(i, sp.Symbol) for i in ix) and len(set(ix)) == len(ix)
    if isinstance(target, AppliedUndef):
        a = target.args
        return len(a) > 0 and all(isinstance(x, (sp.Symbol, sp.Indexed)) for x in a) and len(set(a)) == len(a) \
            and type(target).__name__ not in OPERATORS
    return False


#: operators whose value at one argument defines nothing for others: ``E[\bar x] = \mu`` is no ``E(y) = \mu``
OPERATORS = frozenset({"E", "Var", "Cov", "transpose"})  # ``\mathbf A^\top = …`` defines no function ``transpose``


def _key(target: sp.Basic):
    if isinstance(target, sp.Indexed):
        return ("indexed", target.base.label.name, len(target.indices))
    if isinstance(target, AppliedUndef):
        return ("function", type(target))
    return ("symbol", target)


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


def build_claims(blocks: list[Block], definitions: bool = True,
                 scope: Scope | None = None) -> tuple[list[Claim], dict[str, str], dict]:
    """Claims of a document in order, the domains it declares (base name → domain) and
    the vectors it declares (``x_i \\in R^n``: name → ("rows", n)). With ``definitions``
    off, ``name = expression`` is an equation to check like any other. ``scope`` (the
    document's sections) limits where a definition is restated and a value is in force."""
    scope = scope or Scope()
    claims: list[Claim] = []
    groups: dict = {}
    domains: dict[str, str] = {}
    vectors: dict = {}
    line_conditions: dict[int, list] = {}
    stmt_id = 0
    settings: list[tuple[str, DefinitionGroup]] = []  # (the sentence's opening, a value it sets)
    example_at: dict[int, int] = {}  # line → the example it is in (where a hypothesis is in force)
    examples, example = 0, None  # examples begun so far ("for instance", an exercise), the latest's opening
    calls = called(blocks)  # the functions the text calls: ``f(x+\epsilon) = g(x+\epsilon)`` calls g (heads.py)
    for b_idx, block in enumerate(blocks):
        cue = cue_of(block.span.before)
        if cue is Cue.EXAMPLE and not same_example(opening(block.span.before), example):
            examples, example = examples + 1, opening(block.span.before)  # the last example's definitions end
        for s_idx, st in enumerate(block.statements):
            stmt_id += 1
            example_at.setdefault(st.line, examples)
            if not st.relations:
                continue
            latex = side_text(st, 0, len(st.sides) - 1)
            if st.fragment:
                role, why = st.fragment
                claims.append(Claim(st.line, latex, st.relations[0], None, None, role, method=role,
                                    verdict=Verdict.UNCHECKED, reason=why))
                continue
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
            place = scope.at(st.line, examples)
            sentence = opening(block.span.before)
            st = with_calls(st, _functions(_in_force(groups, place, (), sentence)))  # ``f(x+\epsilon)``, f in force
            # a display states something general ("At the point $x = 0$ … $$f(x) = f(0) + x f'(0) + …$$"):
            # only the inline math of the setting's own sentence computes with its value
            set_here = [g for made, g in settings if g.first.place[1:] == place[1:] and same_example(sentence, made)
                        ] if block.span.kind == "inline" else []
            known = frozenset(g.first.target for g in [*_in_force(groups, place, (), sentence), *set_here]
                              if g.first.value)
            role = classify(st, block.span, _definable(st.sides[0].expr), known)  # settings, hypotheses, … (roles.py)
            if role is not None:
                claims.append(role.claim(st, side_text(st, 0, role.covers) if role.covers else latex))
                if role.role is Role.APPROXIMATION:  # checked up to higher-order terms (check/taylor)
                    claims[-1].definitions = _in_force(groups, place, (claims[-1].lhs, claims[-1].rhs), sentence)
                if role.role is Role.SETTING:
                    settings += [(sentence, g) for g in _settings_of(st, place)]
                if not role.covers:
                    continue
            shift = shifted_head(st, {**calls, **_functions(groups.values())}, block.span) \
                if definitions and not role else None
            st = shift.statement if shift else st  # its right side read with the calls it writes
            lhs = st.sides[0].expr
            example_sentence = sentence if cue is Cue.EXAMPLE and block.span.kind == "inline" else None
            first = role.covers if role else _define(st, cue, place, groups, claims, (b_idx, s_idx, 0),
                                                     example_sentence, shift) \
                if definitions else 0
            if first == 1 and not role and _names_a_call(st, groups):  # ``u = f(x) = 3x^2 - 4x``: f defined too
                first += _define(with_fields(st, sides=st.sides[1:], relations=st.relations[1:]), cue, place, groups,
                                 claims, (b_idx, s_idx, 1), example_sentence)
            group = groups.get(_key(lhs)) if _definable(lhs) else None
            restated = group is not None and not group.ambiguous and _lasts(group.first, place) \
                and group.first.params == _params(lhs)
            for k in range(first, len(st.relations)):
                role = "step" if len(st.sides) > 2 else ("restatement" if restated else "equation")
                pair = (st.sides[k].expr, st.sides[k + 1].expr)
                claims.append(Claim(
                    st.line, side_text(st, k, k + 1), st.relations[k], *pair,
                    role, conditions=list(conds),
                    definitions=_in_force(groups, place, pair, sentence) + _set(set_here, pair),
                    group=group if role == "restatement" else None,
                    chain=(stmt_id, k) if len(st.sides) > 2 else None, origin=(b_idx, s_idx, k),
                    extra={"prose": (block.span.before, block.span.after)}))  # what the prose says (check/reading)
    attach_hypotheses(claims, lambda c: scope.at(c.line, example_at.get(c.line, 0)))
    attach_distributions(claims, lambda line: scope.at(line, example_at.get(line, 0)), blocks)  # laws, section text
    in_force(claims)  # the pattern definitions (and the norms and inner products) each claim is read with
    return claims, domains, vectors


def _settings_of(st: Statement, place: Place) -> list[DefinitionGroup]:
    """The values a setting gives its names (``\\epsilon = 0.0000001``, ``k_h = k_w = 4``): in force
    for the rest of its sentence only (:func:`_set`), never file-wide."""
    value = st.sides[-1].expr
    return [DefinitionGroup(Definition(s.expr, value, st.line, f"{s.latex.strip()} := {st.sides[-1].latex.strip()}",
                                       place, value=True, local=True))
            for s in st.sides[:-1] if isinstance(s.expr, sp.Symbol) and is_value(value)]


def _set(set_here: list[DefinitionGroup], pair: tuple) -> list[DefinitionGroup]:
    """The sentence's settings a claim is read with: each name's latest, none for a variable the
    claim differentiates, integrates or sums over."""
    bound = varied(pair)
    latest = {g.first.target: g for g in set_here if g.first.target not in bound}
    return list(latest.values())


def _define(st: Statement, cue: Cue, place: Place, groups: dict, claims: list[Claim], origin: tuple,
            sentence: str | None = None, shift: Shifted | None = None) -> int:
    """The definition claim a statement starts with, if any (appended to ``claims``), and how many of
    its relations it takes (0 or 1; all of them after "let" when the left side is no plain name).
    ``shift``: its head read as a call at a shifted argument (:mod:`.heads`)."""
    lhs, body = st.sides[0].expr, st.sides[1].expr
    defines = RELATIONS[st.relations[0]].defines
    if defines is Defines.NEVER:
        return 0
    indexed = superscript_index(st.sides[0].latex)
    if (why := pattern_definition(lhs, body, st.sides[1].latex)) is not None:  # ``\mathbf x = [x_1; …; x_n]``
        claims.append(Claim(st.line, side_text(st, 0, 1), st.relations[0], lhs, body, "definition",
                            method="definition", verdict=Verdict.UNCHECKED, reason=why, origin=origin,
                            extra={"pattern": components(lhs, body, st.sides[1].latex, st.line)}))
        return 1
    lhs, body = _recurrence(lhs, body)
    if _definable(lhs) and not indexed and not _element(lhs) and not _mentions_itself(lhs, body):
        value = is_value(body)
        d = Definition(lhs, body, st.line, side_text(st, 0, 1), place, value, value or cue is Cue.EXAMPLE, sentence)
        old = groups.get(_key(lhs))
        if old is not None and not old.ambiguous and defines is not Defines.ALWAYS and _restates(old, d, cue, groups):
            old.restatements.append(d)
            return 0
        groups[_key(lhs)] = group = DefinitionGroup(d, ambiguous=old is not None and old.first.line == st.line)
        claims.append(Claim(st.line, side_text(st, 0, 1), st.relations[0], lhs, body, "definition",
                            method="definition", reason=f"defines {lhs}",
                            definitions=_in_force(groups, place, (), sentence),
                            group=group, origin=origin))
        return 1
    kept = shift is not None and _kept(shift, groups, place, cue, sentence)  # σ(a+b) = … with σ in force
    if shift is not None and not kept and not _mentions_itself(shift.target, shift.body):
        d = Definition(shift.target, shift.body, st.line, side_text(st, 0, 1), place, False, cue is Cue.EXAMPLE,
                       sentence)
        old = groups.get(_key(d.target))  # a new f (of g and h), not a restatement of the earlier one
        groups[_key(d.target)] = group = DefinitionGroup(d, ambiguous=old is not None and old.first.line == st.line)
        claims.append(Claim(st.line, side_text(st, 0, 1), st.relations[0], d.target, d.body, "definition",
                            method="definition", reason=shift.reason,
                            definitions=_in_force(groups, place, (), sentence), group=group, origin=origin))
        return 1
    # ``:=`` always defines its head: ``\hat\sigma^2 := …`` is no claim about a power
    unread = cue is Cue.DEFINE or unread_head(st.sides[0].latex, st.sides[1].latex, cue)
    if lhs.is_number is not True and (kept or defines is Defines.ALWAYS or unread and (
            indexed or cue is Cue.DEFINE or not _defined_name(lhs, groups))):
        taken = len(st.relations) if cue is Cue.DEFINE else 1
        claims.append(Claim(st.line, side_text(st, 0, taken), st.relations[0], lhs, st.sides[taken].expr,
                            "definition", method="definition", verdict=Verdict.UNCHECKED,
                            reason=f"defines {st.sides[0].latex.strip()}: a head mathlint does not read as a name,"
                                   " not a claim", origin=origin, extra={"unread": True}))
        return taken
    return 0


def _kept(shift: Shifted, groups: dict, place: Place, cue: Cue, sentence: str | None) -> bool:
    r"""Whether a shifted head leaves the f in force as it is (its line read as before: an unread head):
    f is defined in this section, nothing ("let") says a new one begins, and the right side calls only
    functions the text defines (``\sigma(a+b) = 1/(1+e^{a+b})``: a claim about σ, or a new σ?). A right
    side of functions it leaves open (``f(x+\epsilon) = g(x+\epsilon)h(x+\epsilon)``) sets out a new f."""
    old = groups.get(_key(shift.target))
    if old is None or cue is not Cue.NONE or not _lasts(old.first, place) \
            or old not in _in_force(groups, place, (), sentence):
        return False
    defined = set(_functions(groups.values()).values())
    return all(type(c) in defined for c in shift.body.atoms(AppliedUndef))


def _functions(groups) -> dict:
    """The functions among the definitions ``groups`` (an iterable of groups): name → class."""
    return {type(g.first.target).__name__: type(g.first.target) for g in groups
            if isinstance(g.first.target, AppliedUndef)}


def _names_a_call(st: Statement, groups: dict) -> bool:
    """``u = f(x) = 3x^2 - 4x``: the chain defines ``u`` as a call of an undefined ``f`` of plain names,
    then says what that call is, which can only define ``f``."""
    if len(st.sides) < 3 or st.relations[1] not in ("eq", "def"):
        return False
    call = st.sides[1].expr
    return isinstance(call, AppliedUndef) and st.sides[0].expr != call and len(set(call.args)) == len(call.args) \
        and all(isinstance(a, sp.Symbol) for a in call.args) and _key(call) not in groups


def _recurrence(lhs: sp.Basic, body: sp.Basic) -> tuple[sp.Basic, sp.Basic]:
    """``w_{t+1} = w_t - \\eta g_t`` as the definition ``w_t = w_{t-1} - \\eta g_{t-1}`` of the sequence (its
    head at a plain index, so :mod:`mathlint.check.recursion` unrolls it); other equations unchanged."""
    if not isinstance(lhs, sp.Indexed) or not any(isinstance(n, sp.Indexed) and n.base == lhs.base
                                                  for n in sp.preorder_traversal(body)):
        return lhs, body
    shifted = [(k, i) for k, i in enumerate(lhs.indices) if not isinstance(i, sp.Symbol)]
    if len(shifted) != 1:
        return lhs, body
    k, index = shifted[0]
    step = sp.expand(index.doit()) if isinstance(index, sp.Expr) else None
    free = list(step.free_symbols) if step is not None else []
    if len(free) != 1 or not (step - free[0]).is_Integer or free[0] in lhs.indices:
        return lhs, body
    (t,) = free
    earlier = [sp.expand(n.indices[k].doit() - step) for n in sp.preorder_traversal(body)
               if isinstance(n, sp.Indexed) and n.base == lhs.base and len(n.indices) == len(lhs.indices)]
    if not earlier or not all(d.is_Integer and d < 0 for d in earlier):
        return lhs, body  # ``a_{v-1} = a_{v-1}``: no earlier term, no recurrence
    back = {t: t - (step - t)}  # w_{t+1}: t ↦ t - 1 in the body
    indices = [t if j == k else i for j, i in enumerate(lhs.indices)]
    return lhs.base[tuple(indices)], xreplace(body, back, evaluate=False)


def _mentions_itself(target: sp.Basic, body: sp.Basic) -> bool:
    """``I(X, Y) = I(Y, X)``, ``t = t + 1``: a property or an update of the name, not its definition
    (``h_t = \\phi(W h_{t-1})`` stays one: a recurrence defines the family)."""
    if isinstance(target, AppliedUndef):
        return body.has(target.func)
    return target in body.free_symbols


def _element(target: sp.Basic) -> bool:
    """``c_J = \\log J``: one element, at a size (an upper-case index), not a rule for every index."""
    return isinstance(target, sp.Indexed) and any(isinstance(i, sp.Symbol) and len(i.name) == 1 and i.name.isupper()
                                                  for i in target.indices)


def _params(target: sp.Basic) -> tuple:
    return Definition(target, target, 0, "").params


def _restates(old: DefinitionGroup, d: Definition, cue: Cue, groups: dict) -> bool:
    """Whether ``d`` presents ``old``'s object again (a restatement checked against it) rather
    than a new definition of the name: same section, no "for instance"/"let" before it, the same
    argument list, and the same ingredients (:func:`scope.same_object`), none of them defined
    anew since (``O = HW + b`` after ``H`` got an activation is another ``O``); never a value."""
    f = old.first
    defined = {str(k[1]): g.first.line for k, g in groups.items()}  # a symbol, indexed base or function
    anew = {n for n, line in defined.items() if line > f.line}
    return (_lasts(f, d.place) and cue is Cue.NONE and f.params == d.params and not (f.value or d.value)
            and same_object(f.body, d.body, f.params, set(defined)) and not (names(d.body, d.params) & anew))


def _defined_name(lhs: sp.Basic, groups: dict) -> bool:
    """Whether the left side mentions a name the text defines (``f(0, 0) = a`` is about ``f``)."""
    targets = [g.first.target for g in groups.values()]
    return any(lhs.has(t.func if isinstance(t, AppliedUndef) else t.base if isinstance(t, sp.Indexed) else t)
               for t in targets) if isinstance(lhs, sp.Basic) else False


def _lasts(d: Definition, place: Place) -> bool:
    """Whether a definition reaches ``place`` as the same object (a restatement's section)."""
    return d.place.section == place.section and (not d.local or d.place[1:] == place[1:])


def _in_force(groups: dict, place: Place, pair: tuple, sentence: str | None = None) -> list[DefinitionGroup]:
    """The definitions a claim is read with: every name's latest; a value or an example's only
    in its own part (an inline example's only in its sentence), and a value never for a variable
    the claim differentiates, integrates or sums over."""
    bound = varied(pair)
    return [g for g in groups.values() if not g.ambiguous and (not g.first.local or (
        g.first.place[1:] == place[1:] and not (g.first.value and g.first.target in bound)
        and (g.first.sentence is None or sentence is not None and same_example(sentence, g.first.sentence))))]


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
    elif isinstance(space, RealSpace):  # ``\mathbb{R}^{n \times d}`` (latex/names.py)
        kind = "real"
        if isinstance(target, sp.Indexed) and len(space.args) == 1 and isinstance(space.args[0], sp.Symbol):
            vectors[base] = ("rows", space.args[0])
        elif isinstance(target, sp.Symbol) and len(space.args) == 2 \
                and re.match(r"(?:math|boldsymbol)\{\\?[A-Z]", target.name):
            dims = tuple(space.args)  # ``\mathbf X \in \mathbb R^{n\times d}`` (numeric/matshapes); declared twice
            vectors[base] = ("matrix", dims if vectors.get(base, ("matrix", dims))[1] == dims else None)  # unsure
    if kind:
        domains[base] = kind
    return Claim(st.line, latex, st.relations[0], target, space, "domain", method="domain",
                 reason=f"declares the domain of {target}" + (f" ({kind})" if kind else ""))
