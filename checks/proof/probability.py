"""Rules that hold by the definition of probability and expectation, applied to both sides of a
claim before it is checked: ``P(A|B) = P(A,B)/P(B)`` (a joint's events unordered), linearity of
``E`` (numbers pulled out, ``E[c] = c``), ``Var(X) = E[X^2] - E[X]^2`` and
``Cov(X,Y) = E[XY] - E[X]E[Y]``. What stays a ``P(·)``/``E(·)`` call after them is the opaque
number it was, so a claim that holds only by another rule (independence, a normalisation) is
as unchecked as before; a claim these rules make equal is proved by them, and the verdict names
the rules.

Numbers and expectations over everything (``E[X]``, a number) are pulled out of an ``E``; a name
only when the claim writes it bare as a factor beside an ``E`` on a side where no ``E`` holds it
(``E[w_1 x] = E[w_1] x`` holds only if ``x`` is a constant), and neither the claim (``E[x]``) nor
the text (``x \\sim …``, "the inputs $x$ are random") makes it random: a reading the verdict names,
under which nothing is refuted. The laws the text states and the independence its prose states
(:mod:`mathlint.proof.expectation`) give ``E[w] = μ``, ``E[w^2] = σ^2 + μ^2`` and
``E[XY] = E[X]E[Y]``, each named as a reading too. A name neither pulled out nor stated is
named in the reason of its ``unchecked`` verdict. An ``E`` of a product holding a function
(``\\sigma(w x)``, read as ``σ·w·x``; a name the claim writes before ``(``) is left whole.
Independence is never assumed, only read where the prose states it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.symbols import ELLIPSIS, name_of
from ..numeric.functions import _called as _called_in
from .expectation import NO_FACTS, Facts, Readings, independent_groups, moment

#: heads of probabilities whose conditional is a ratio of joints (``p_\theta`` has base ``p``)
PROBABILITY_HEADS = frozenset({"P", "p", "q", "Q", "Pr"})
#: undefined functions whose arguments are random quantities of the claim
_RANDOM_HEADS = frozenset({"Var", "Cov", "Corr", "D_KL"})
#: the largest ``E`` body expanded (operations), so a post cannot make the expansion blow up
MAX_EXPAND_OPS = 80
_BOLD = re.compile(r"math|bold|\{")
#: ``X``, ``Y``: random variables by convention, never read as constants
_CAPITAL = re.compile(r"[A-Z]")
#: single-letter names that are functions by convention (``\\sigma(x)``, ``f(x)``), even where not applied
FUNCTION_NAMES = frozenset({"sigma", "phi", "varphi", "psi", "f", "g", "h"})


class Rule:
    """The names of the rules, as the verdict cites them."""

    CONDITIONAL = "P(A|B) = P(A,B)/P(B)"
    JOINT = "P(A,B) = P(B,A)"
    LINEARITY = "linearity of E"
    CONSTANT = "E[c] = c"
    VARIANCE = "Var(X) = E[X^2] - E[X]^2"
    COVARIANCE = "Cov(X,Y) = E[XY] - E[X]E[Y]"
    STATED = "E[w] = μ, E[w^2] = σ^2 + μ^2 of a stated normal law"
    INDEPENDENCE = "E[XY] = E[X]E[Y] of independent X, Y"


@dataclass
class Rewritten:
    """Both sides after the rules, the rules that changed them (in order) and the names read as
    constants under ``E``."""

    lhs: sp.Basic
    rhs: sp.Basic
    rules: list[str] = field(default_factory=list)
    constants: set[str] = field(default_factory=set)
    #: names the claim writes bare beside an ``E`` that were not pulled out of it (maybe random)
    undecided: set[str] = field(default_factory=set)
    #: the stated laws and the independence the rewrite read
    readings: Readings = field(default_factory=Readings)

    def use(self, rule: str) -> None:
        if rule not in self.rules:
            self.rules.append(rule)


def _names(e: sp.Basic) -> set[str]:
    out = set()
    for s in sp.preorder_traversal(e):
        n = name_of(s)
        if n is not None:
            out.add(n)
    return out


def _head(f: AppliedUndef) -> tuple[str, dict]:
    return type(f).__name__, dict(getattr(type(f), "_kwargs", {}))


def _is_probability(f: sp.Basic) -> bool:
    if not isinstance(f, AppliedUndef):
        return False
    name, kw = _head(f)
    return name.split("_")[0] in PROBABILITY_HEADS and "event" not in kw and "relation" not in kw


def _over_names(over: str | None) -> str:
    """The text of ``E_{over}`` that may name its random variables (``\\sim`` dropped)."""
    return (over or "").replace("\\sim", " ")


@dataclass(frozen=True)
class _Reading:
    """What the claim says of its names: the ones it writes bare (maybe numbers, never pulled out)
    and the ones written as functions."""

    bare: frozenset[str]
    #: heads (name, keywords but ``given``) the claim conditions on: its probabilities, whose joints are unordered
    conditioned: frozenset[tuple] = frozenset()
    #: names the claim's LaTeX applies (``\\sigma(``) or that are functions by convention
    functions: frozenset[str] = frozenset()
    #: names read as constants under ``E`` (:func:`_constants`)
    constants: frozenset[str] = frozenset()
    facts: Facts = NO_FACTS


def _bare(e: sp.Basic, out: set[str]) -> None:
    """Names standing outside every call of an undefined function."""
    if isinstance(e, AppliedUndef):
        return
    n = name_of(e)
    if n is not None:
        out.add(n)
        return
    for a in e.args:
        _bare(a, out)


def _random(e: sp.Basic, out: set[str]) -> None:
    """Names the claim uses as random quantities."""
    for f in sp.preorder_traversal(e):
        if not isinstance(f, AppliedUndef):
            continue
        name, kw = _head(f)
        if name == "E":
            body = f.args[0] if f.args else f
            base = body.base if isinstance(body, sp.Pow) else body
            if name_of(base) is not None:
                out.add(name_of(base))
            over = _over_names(kw.get("over"))
            out.update(n for n in _names(e) if n in over)
        else:  # P, Var, Cov, KL and any function of its own: its arguments
            for a in f.args:
                out.update(_names(a))


def _function(name: str, text: str) -> bool:
    """``name`` is a function: by convention, or the claim writes it before ``(``."""
    return name in FUNCTION_NAMES or _called_in(name, text) or _called_in("\\" + name, text)


def _inside_e(e: sp.Basic) -> set[str]:
    return {n for f in sp.preorder_traversal(e) if isinstance(f, AppliedUndef) and type(f).__name__ == "E"
            for n in _names(f)}


def _constants(lhs: sp.Basic, rhs: sp.Basic, excluded: set[str]) -> frozenset[str]:
    """Names read as constants under ``E``: written bare as a factor beside an ``E`` on a side where
    no ``E`` holds them (``E[w_1 x] = E[w_1] x``: the claim holds only if ``x`` is one), unless the
    claim or the text makes them random (``E[x]``, ``x \\sim …``, "the inputs $x$ are random")."""
    out: set[str] = set()
    for side in (lhs, rhs):
        bare: set[str] = set()
        _bare(side, bare)
        out |= bare - _inside_e(side)
    return frozenset(n for n in out - excluded if not _BOLD.search(n) and not _CAPITAL.fullmatch(n))


def _reading(lhs: sp.Basic, rhs: sp.Basic, text: str, facts: Facts = NO_FACTS) -> _Reading:
    bare: set[str] = set()
    random: set[str] = set()
    for side in (lhs, rhs):
        _bare(side, bare)
        _random(side, random)
    conditioned = frozenset(_joint_head(f) for side in (lhs, rhs) for f in sp.preorder_traversal(side)
                            if _is_probability(f) and _head(f)[1].get("given"))
    functions = frozenset(n for side in (lhs, rhs) for n in _names(side) if _function(n, text))
    bound = {name_of(lim[0]) for side in (lhs, rhs) for e in sp.preorder_traversal(side)
             if isinstance(e, (sp.Sum, sp.Product, sp.Integral)) for lim in e.limits}  # ``j`` of a sum: no name
    bare -= bound
    excluded = random | bound | functions | facts.random_names
    constants = _constants(lhs, rhs, excluded) | (facts.parameters & (_names(lhs) | _names(rhs))) - excluded \
        if any(type(f).__name__ == "E" for side in (lhs, rhs) for f in sp.preorder_traversal(side)) else frozenset()
    return _Reading(frozenset(n for n in bare - random if not _BOLD.search(n) and not _CAPITAL.fullmatch(n)),
                    conditioned, functions, constants, facts)


def _joint_head(f: AppliedUndef) -> tuple:
    name, kw = _head(f)
    kw.pop("given", None)
    return name, tuple(sorted(kw.items()))


def _order(xs: tuple) -> tuple:
    """A joint's events in a canonical order, when none is a number (``P(A, B) = P(B, A)``: the names say
    which variable each is); as written otherwise (numbers are values of positional variables,
    ``\\ldots`` a sequence)."""
    if not any(x.is_number or x.has(ELLIPSIS) for x in xs) and len(set(xs)) == len(xs):
        return tuple(sorted(xs, key=sp.default_sort_key))
    return xs


def _split_params(f: AppliedUndef, kw: dict) -> tuple[tuple, tuple]:
    k = kw.get("params", 0)
    return (f.args[:len(f.args) - k], f.args[len(f.args) - k:]) if k else (f.args, ())


def _probability(f: AppliedUndef, reading: _Reading, out: Rewritten) -> sp.Basic:
    """``P(A|B)`` → ``P(A,B)/P(B)``; a joint ``P(B,A)`` → ``P(A,B)`` (of a head the claim conditions on:
    ``Q(s, a)`` stays as it is)."""
    name, kw = _head(f)
    variables, params = _split_params(f, kw)
    k = kw.pop("given", 0)
    head = sp.Function(name, **kw) if kw else sp.Function(name)
    if not k:
        if _joint_head(f) not in reading.conditioned:
            return f
        ordered = _order(variables)
        if ordered != variables:
            out.use(Rule.JOINT)
        return head(*ordered, *params)
    events, given = variables[:len(variables) - k], variables[len(variables) - k:]
    if not events or len(given) != k:
        return f
    out.use(Rule.CONDITIONAL)
    return head(*_order(events + given), *params) / head(*_order(given), *params)


@dataclass(frozen=True)
class _Expectation:
    """``E`` (with its ``over`` keyword) and what may be pulled out of it."""

    head: type
    over: str
    reading: _Reading

    def constant(self, e: sp.Basic) -> bool:
        """Certainly not random under this ``E``: numbers, expectations over everything (numbers, unless
        of this ``E``'s variable) and their combinations; never a name."""
        if isinstance(e, AppliedUndef):
            name, kw = _head(e)
            if name != "E" or "over" in kw:
                return False
            inner = _names(e.args[0]) if e.args else set()
            return not any(n in self.over for n in inner)  # over everything: a number
        if name_of(e) is not None:
            return name_of(e) in self.reading.constants and name_of(e) not in self.over
        if isinstance(e, (sp.Symbol, sp.Indexed, sp.Dummy)):
            return False
        if e.is_number:
            return True
        if isinstance(e, (sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Piecewise)) or not e.args:
            return False
        return all(self.constant(a) for a in e.args)

    def of(self, body: sp.Basic, out: Rewritten) -> sp.Basic:
        """``E[body]`` by linearity (whole when it holds a function written as a product)."""
        if _names(body) & self.reading.functions:
            out.undecided.update(_names(body) & self.reading.functions)
            return self.head(body)
        if isinstance(body, sp.Sum) and len(body.limits) == 1 and _finite(body.limits[0]):
            out.use(Rule.LINEARITY)
            return sp.Sum(self.of(body.function, out), *body.limits)
        if self.constant(body):
            out.use(Rule.CONSTANT)
            out.constants.update(_names(body) & self.reading.constants)
            return body
        if (m := moment(body, self.reading.facts, out.readings)) is not None:
            out.use(Rule.STATED)
            return m
        expanded = _expand(body)
        terms = sp.Add.make_args(expanded)
        if len(terms) > 1:
            out.use(Rule.LINEARITY)
            return sp.Add(*(self.of(t, out) for t in terms))
        factors = sp.Mul.make_args(expanded)
        kept = [f for f in factors if not self.constant(f)]
        if len(kept) == len(factors) and (groups := independent_groups(kept, self.reading.facts)):
            out.use(Rule.INDEPENDENCE)
            out.readings.independent.update(name_of(f.base if isinstance(f, sp.Pow) else f) for f in kept)
            return sp.Mul(*(self.of(g, out) for g in groups))
        if len(kept) == len(factors):  # names the claim also writes bare: maybe constants, maybe not
            out.undecided.update(n for n in _names(body) if n in self.reading.bare and n not in self.over)
            return self.head(body)
        pulled = [f for f in factors if self.constant(f)]
        out.constants.update(_names(sp.Mul(*pulled)) & self.reading.constants)
        out.use(Rule.LINEARITY)
        return sp.Mul(*pulled) * self.of(sp.Mul(*kept), out)


def _finite(limit: tuple) -> bool:
    """A sum over a range with finite bounds, given by numbers and sizes (no random quantity)."""
    _, *bounds = limit
    return len(bounds) == 2 and all(b.is_finite is not False and not b.has(sp.oo, -sp.oo, AppliedUndef)
                                    for b in bounds)


def _expand(body: sp.Basic) -> sp.Basic:
    """Products and small integer powers of sums multiplied out (bounded: as written otherwise)."""
    if sp.count_ops(body) > MAX_EXPAND_OPS or not all(_small_power(p) for p in sp.preorder_traversal(body)
                                                       if isinstance(p, sp.Pow) and isinstance(p.base, sp.Add)):
        return body
    return sp.expand(body, deep=False, log=False, power_exp=False, power_base=False, mul=True, multinomial=True)


def _small_power(p: sp.Pow) -> bool:
    """``(a + b)^2``: a power of a sum whose expansion has at most ``MAX_EXPAND_OPS`` terms."""
    n = p.exp
    return bool(n.is_Integer and 1 < n <= 4 and len(p.base.args) ** int(n) <= MAX_EXPAND_OPS)


def _expectation(f: AppliedUndef, reading: _Reading, out: Rewritten) -> sp.Basic:
    if len(f.args) != 1:
        return f
    over = _head(f)[1].get("over")
    e = _Expectation(type(f), _over_names(over), reading)
    return e.of(f.args[0], out)


def _limits(e: sp.Basic) -> set[str]:
    """The names of the ranges of its sums (``j``, ``n_{in}``): sizes and indices, never bold names."""
    return {n for s in sp.preorder_traversal(e) if isinstance(s, (sp.Sum, sp.Product)) for lim in s.limits
            for n in _names(sp.Tuple(*lim))}


def _moment(f: AppliedUndef, reading: _Reading, out: Rewritten) -> sp.Basic:
    """``Var(X)``, ``Cov(X, Y)`` (of numbers: no subscript, no bold name) by their definition."""
    name, kw = _head(f)
    if kw or any(_BOLD.search(n) for n in _names(f) - _limits(f)) or f.has(sp.MatrixSymbol):
        return f
    E = sp.Function("E")
    if name == "Var" and len(f.args) == 1:
        (x,) = f.args
        out.use(Rule.VARIANCE)
        return _expectation(E(x ** 2), reading, out) - _expectation(E(x), reading, out) ** 2
    if name == "Cov" and len(f.args) == 2:
        x, y = f.args
        out.use(Rule.COVARIANCE)
        return (_expectation(E(x * y), reading, out)
                - _expectation(E(x), reading, out) * _expectation(E(y), reading, out))
    return f


def _rebuilt(e: sp.Basic, args: tuple) -> sp.Basic:
    if isinstance(e, (sp.Add, sp.Mul)):
        return e.func._from_args(args, is_commutative=all(a.is_commutative is not False for a in args))
    return e.func(*args, evaluate=False) if isinstance(e, sp.Pow) else e.func(*args)


def _rewrite(e: sp.Basic, reading: _Reading, out: Rewritten) -> sp.Basic:
    if not e.args or isinstance(e, (sp.Indexed, sp.Symbol)):
        return e
    args = tuple(_rewrite(a, reading, out) if isinstance(a, sp.Basic) else a for a in e.args)
    if args != e.args:  # rebuilt as the tree was (an unevaluated product may hold a vector, a Tuple)
        e = _rebuilt(e, args)
    if not isinstance(e, AppliedUndef):
        return e
    name = type(e).__name__
    if name in reading.facts.redefined:  # ``E(x) = x^2``: the text's own function, no rule of probability
        return e
    if name == "E":
        return _expectation(e, reading, out)
    if name in ("Var", "Cov"):
        return _moment(e, reading, out)
    if _is_probability(e):
        return _probability(e, reading, out)
    return e


def probability_rules(lhs: sp.Basic, rhs: sp.Basic, text: str = "", facts: Facts = NO_FACTS) -> Rewritten:
    """Both sides with the rules of probability applied (unchanged, with no rule named, when none
    applies or the sides are not expressions); ``text`` is the claim's LaTeX, which shows the
    names it applies as functions; ``facts`` what the text says of its random quantities. The stated
    laws are used only where the rules leave an ``E`` on one side alone (``E[w_0] + E[w_1] x = 0``,
    a value computed): a step between expectations holds by the rules alone or not at all."""
    if not (isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr)) or lhs == rhs or not (
            lhs.has(AppliedUndef) or rhs.has(AppliedUndef)):  # the same expression needs no rule
        return Rewritten(lhs, rhs)
    out = _rewritten(lhs, rhs, _reading(lhs, rhs, text, replace(facts, laws=False, independent=frozenset())))
    if facts.independent and not _equal(out):  # the fewest readings that make the sides equal
        out = _rewritten(lhs, rhs, _reading(lhs, rhs, text, replace(facts, laws=False)))
    if facts.stated and not _equal(out) and _has_e(out.lhs) != _has_e(out.rhs):
        out = _rewritten(lhs, rhs, _reading(lhs, rhs, text, facts))
    return out


def _equal(out: Rewritten) -> bool:
    """The rewritten sides are plainly equal (expanded, bounded), so no further reading is needed."""
    diff = out.lhs - out.rhs
    diff = diff.xreplace({d: sp.Symbol(d.name) for d in diff.atoms(sp.Dummy)})  # a sum's index, renamed apart
    if sp.count_ops(diff) > 4 * MAX_EXPAND_OPS:
        return False
    try:
        return sp.expand(diff) == 0
    except Exception:  # an unevaluated product holding a vector: not plainly equal
        return False


def _has_e(e: sp.Basic) -> bool:
    return any(isinstance(f, AppliedUndef) and type(f).__name__ == "E" for f in sp.preorder_traversal(e))


def _rewritten(lhs: sp.Basic, rhs: sp.Basic, reading: _Reading) -> Rewritten:
    out = Rewritten(lhs, rhs)
    new_l, new_r = _rewrite(lhs, reading, out), _rewrite(rhs, reading, out)
    if not out.rules:
        return Rewritten(lhs, rhs, undecided=out.undecided)
    return replace(out, lhs=new_l, rhs=new_r)
