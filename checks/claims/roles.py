"""Roles of relations that are not identities: settings, hypotheses, equations to solve,
assignments and approximations, told apart by their syntax and the sentence around them.

A false alarm costs more than a miss: ``$k = 1$`` in prose sets a value, ``$x > 0$`` states a
hypothesis, ``$\\nabla f = 0$`` is an equation to solve and ``c_j \\approx c_0 + c_a j`` a
modelling goal; none of them claims that two expressions agree for every value of their
variables, so none is checked as if it did. Each becomes an ``unchecked`` claim whose reason
names its role. What stays checked: chains (steps), display relations without such cues, and
inline relations after a claim's cue words (thus, hence, we have, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import sympy as sp
from sympy.core.function import AppliedUndef

from ..model import Claim, MathSpan, Statement, Verdict
from ..relations import RELATIONS
from .cues import Cue, has_cue, nearest_cue, sentence_before


class Role(StrEnum):
    """The roles this module gives; each is unchecked, for the reason in :data:`REASONS`."""

    SETTING = "setting"
    HYPOTHESIS = "hypothesis"
    TO_SOLVE = "to-solve"
    ASSIGNMENT = "assignment"
    APPROXIMATION = "approximation"


REASONS: dict[Role, str] = {
    Role.SETTING: "a setting, not a claim: the text gives a name a value",
    Role.HYPOTHESIS: "a hypothesis, a condition or a range, not an identity",
    Role.TO_SOLVE: "an equation to solve (or an optimality condition), not an identity",
    Role.ASSIGNMENT: "an assignment (an update of a name by itself), not an identity",
    Role.APPROXIMATION: "an approximation stated as a modelling goal, not a derivation step",
}


_EXISTS = re.compile(r"\bthere (?:exists?|is an?)\b")
_UPDATE = re.compile(r"updat|iterat|assign|repeat|step|normaliz|更新|迭代")
_RANGE = re.compile(r"\\[lc]?dots|\.\.\.")
_INDEX = re.compile(r"^\s*[a-zA-Z](?:\s*,\s*[a-zA-Z])*\s*$")  # ``i``, ``i, j``: indices a range runs over
#: "when $\textrm{bias}(\hat\theta_n) = 0$": a condition right before the span, never a definition ("where" may define)
_CONDITIONAL = re.compile(r"(?:\b(?:if|when|whenever|unless|provided|iff)|若|当|如果)\s*$")
#: "to set $n_\textrm{in} \sigma^2 = 1$": a verb of choice right before the span
_CHOICE = re.compile(r"\b(?:set|choose|pick|impose|initiali[sz]e|require)\s*$")
#: ``At $\|x - x'\| = \ell$, …``: "at" right before a span, opening the sentence or a clause: a point
_AT_POINT = re.compile(r"(?:^|[,(])\s*(?:evaluated\s+)?at\s*$")
#: ``for all $\lambda \in [0, 1]$``: a range stated in the sentence, which the checks do not apply
_STATED_RANGE = re.compile(r"\\in\s*(?:\\left\s*)?[\[(]")
_RAW_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


@dataclass(frozen=True)
class Decision:
    role: Role
    reason: str
    covers: int | None = None  # the leading relations of a chain it covers (None: all); the rest stay steps

    def claim(self, st: Statement, latex: str) -> Claim:
        """The unchecked claim of ``st`` (its first :attr:`covers` relations) in this role."""
        end = st.sides[self.covers].expr if self.covers else st.sides[-1].expr
        return Claim(st.line, latex, st.relations[0], st.sides[0].expr, end, str(self.role),
                     method=str(self.role), verdict=Verdict.UNCHECKED, reason=self.reason)


def _name(e) -> bool:
    """A name, possibly subscripted, squared or in bars: ``k``, ``\\beta_2``, ``\\sigma^2``, ``|Y|``."""
    if isinstance(e, sp.Pow):
        return _name(e.base) and e.exp.is_Integer is True
    if isinstance(e, sp.Abs):
        return _name(e.args[0])
    return isinstance(e, (sp.Symbol, sp.Indexed))


def _computed(e, known: frozenset) -> bool:
    """A power or other expression of names that all have a value in force: a computation."""
    return isinstance(e, sp.Basic) and not isinstance(e, (sp.Symbol, sp.Indexed)) and bool(e.free_symbols) \
        and e.free_symbols <= known


def _constant(e) -> bool:
    return isinstance(e, sp.Basic) and not e.free_symbols and not e.has(sp.Tuple)


def _gradient_zero(st: Statement) -> bool:
    """``\\nabla f = 0``, ``f'(x) = 0``: a derivative set to zero."""
    lhs, rhs = st.sides[0].expr, st.sides[-1].expr
    if not (isinstance(rhs, sp.Basic) and rhs == 0 and isinstance(lhs, sp.Basic)):
        return False
    if any(isinstance(d.expr, AppliedUndef) for d in lhs.atoms(sp.Derivative)):
        return True  # f'(x) = 0: where the derivative of a function vanishes (a computed one stays checked)
    return any("nabla" in s.name for s in lhs.free_symbols if isinstance(s, sp.Symbol))


def _self_update(st: Statement) -> bool:
    """``x_i = \\log(x_i)``, ``t := t + 1``: a name on both sides of one relation."""
    lhs, rhs = st.sides[0].expr, st.sides[1].expr
    return (len(st.sides) == 2 and isinstance(lhs, (sp.Symbol, sp.Indexed, AppliedUndef)) and isinstance(rhs, sp.Basic)
            and rhs != lhs and rhs.has(lhs))


def _unknown(e, other, display: bool):
    """The one unknown ``e`` determines when ``other`` is a constant (``1 - \\beta = 0.8``,
    ``\\cos\\theta = -1``; in a display only a polynomial set to zero, ``0 = (2-\\lambda)(3-\\lambda)-2``)."""
    if not (isinstance(e, sp.Basic) and isinstance(other, sp.Basic) and other.is_number is True) or _name(e) \
            or e.atoms(AppliedUndef, sp.Derivative, sp.Indexed):  # a name = a value: a setting or a definition
        return None
    syms = e.free_symbols
    if len(syms) != 1 or display and not (other == 0 and e.is_polynomial(*syms)):
        return None
    return next(iter(syms))


def _determined(st: Statement, inline: bool, known: frozenset) -> Decision | None:
    """An equation in one unknown against a constant determines the unknown (a setting or an
    equation to solve), unless the name already has a value in force; in a chain, its first link."""
    a, b = st.sides[0].expr, st.sides[1].expr
    name = _unknown(a, b, not inline) or _unknown(b, a, not inline)
    if name is None or name in known:
        return None
    return Decision(Role.TO_SOLVE, f"an equation that determines {name} (a setting or an equation to solve), "
                                   "not an identity", covers=1 if len(st.sides) > 2 else None)


def _raw_sentence(before: str) -> str:
    return _RAW_SENTENCE.split(before[-400:])[-1]


def classify(st: Statement, span: MathSpan, definable: bool,  # noqa: C901 - one rule per role, in order
             known: frozenset = frozenset()) -> Decision | None:
    """The role of a relation that is not an identity, or None (leave it to the claim builder).
    ``definable``: its left side may be defined by it (``name = expression``); ``known``: the
    names with a value in force (an equation about them is a computation to check)."""
    rels = [RELATIONS[r] for r in st.relations]
    exprs = [s.expr for s in st.sides]
    inline = span.kind == "inline"
    sentence = sentence_before(span.before)
    cue = nearest_cue(sentence)
    equal = all(r.equality for r in rels)
    if all(r.hypothesis for r in rels):  # ``X \sim \mathcal N(\mu, \sigma^2)``
        return Decision(Role.HYPOTHESIS, rels[0].why_not)
    if cue is Cue.HYPOTHESIS and _EXISTS.search(sentence):  # "there exist $\alpha$ … such that": for some values
        return Decision(Role.HYPOTHESIS, "an existence statement ('there exists … such that'), not an identity")
    if equal and len(exprs) == 2 and _INDEX.match(st.sides[0].latex) and isinstance(exprs[1], sp.Tuple) \
            and _RANGE.search(st.sides[1].latex) and not exprs[1].atoms(sp.Tuple, sp.Indexed) - {exprs[1]}:
        return Decision(Role.HYPOTHESIS, "a range of an index, not an identity")
    if equal and _self_update(st) and (inline or st.relations[0] == "def" or _UPDATE.search(sentence)):
        return Decision(Role.ASSIGNMENT, REASONS[Role.ASSIGNMENT])
    if st.relations == ["approx"] and not all(_constant(e) for e in exprs):
        return Decision(Role.APPROXIMATION, REASONS[Role.APPROXIMATION])
    if equal and len(exprs) == 2 and _name(exprs[0]) and isinstance(exprs[1], sp.Tuple) \
            and all(_constant(v) for v in exprs[1].args):  # ``x = -1, 0, 2``: the values a name takes
        return Decision(Role.SETTING, "the values a name takes (a list), not an identity or a definition")
    computed = any(_computed(e, known) for e in exprs)  # ``\epsilon^2 = 10^{-14}`` with ``\epsilon`` set: checked
    if equal and not computed and all(_name(e) for e in exprs[:-1]) and _constant(exprs[-1]) \
            and (inline and (cue is not Cue.DEFINE or len(exprs) > 2) or cue is Cue.SETTING):
        return Decision(Role.SETTING, REASONS[Role.SETTING])  # "with $k_h = k_w = 4$": a chain is no definition
    if equal and inline and _AT_POINT.search(sentence):
        return Decision(Role.HYPOTHESIS, "the point the text evaluates at, not an identity")
    if equal and cue is not Cue.CLAIM and st.relations[0] in ("eq",) and (inline or len(exprs) == 2):
        determined = _determined(st, inline, known)
        if determined is not None:
            return determined
    if equal and inline and _gradient_zero(st):
        return Decision(Role.TO_SOLVE, REASONS[Role.TO_SOLVE])
    if equal and cue is Cue.SOLVE and (inline or len(exprs) == 2):
        return Decision(Role.TO_SOLVE, REASONS[Role.TO_SOLVE])
    order = all(r.order or r.condition and not r.equality for r in rels)
    if order and inline and cue is not Cue.CLAIM:
        return Decision(Role.HYPOTHESIS, "an inequality stated in prose: a hypothesis or a condition, not a claim")
    if order and inline and _STATED_RANGE.search(_raw_sentence(span.before)):
        return Decision(Role.HYPOTHESIS, "an inequality under the range its sentence states (mathlint does not "
                                         "apply that range), not an identity")
    if order and not inline and len(exprs) == 2 and has_cue(sentence, Cue.HYPOTHESIS) \
            and nearest_cue(sentence.replace("we have", "")) is not Cue.CLAIM \
            and any(e.atoms(AppliedUndef) for e in exprs if isinstance(e, sp.Basic)):
        return Decision(Role.HYPOTHESIS, "a property of a function stated as a condition, not an identity")
    if equal and inline and cue is Cue.SETTING and not computed and all(_name(e) for e in exprs):
        return Decision(Role.SETTING, REASONS[Role.SETTING])
    if equal and inline and not computed and not definable and _CHOICE.search(sentence):
        return Decision(Role.SETTING, "a condition the text chooses to impose (a setting), not an identity")
    if equal and inline and cue is Cue.HYPOTHESIS and (not definable or _CONDITIONAL.search(sentence)):
        return Decision(Role.HYPOTHESIS, "an equation stated as a condition, not an identity")
    return None
