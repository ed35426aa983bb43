"""What the text says of a claim's random quantities, for the rules of expectation
(:mod:`mathlint.proof.probability`): the laws it states (``w_0, w_1 \\sim \\mathcal{N}(0, 1)``: the
mean and variance of each), the names its prose says are independent ("$x_j$ … independent of
$w_{ij}$"), and the names its prose says are random. Each is a reading the verdict names; none
makes a refutation (a failure under a reading may be the reading's).

Only these are read: a normal law gives ``E[w] = μ`` and ``E[w^2] = σ^2 + μ^2``; independence
factors ``E[XY] = E[X]E[Y]`` only for names the prose calls independent, never two factors of
one name whose indices may coincide (``w_{ij} w_{ik}``), and never where the prose speaks of a
dependence or a negation.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

import sympy as sp

from ..claims.distributions import KEY, PROSE, REDEFINED, SECTION, STATEMENT, Stated, base_of, in_force, random_names
from ..model import CheckResult, Claim, Verdict, line_words

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n\s*\n")
_MATH = re.compile(r"\$([^$]+)\$")
#: a sentence that states independence
_INDEPENDENT = re.compile(r"\bindependen|\bi\.\s?i\.\s?d\b|\biid\b", re.IGNORECASE)
#: a sentence that denies it, weakens it (pairwise, conditionally, "only if") or relates its names (a dependence,
#: a function, a copy, a setting): no independence read from the prose at all
_DENIED = re.compile(r"\bnot\b|n't\b|\bnever\b|\bno longer\b|(?<!in)depend|(?<!un)correlat|pairwise|conditional"
                     r"|\bgiven\b|\bif\b|\bwhether\b|\bwould\b|\bshould\b|\bfunction\b|\bcop(?:y|ies)\b|\bset\b"
                     r"|\bsame\b|\bequal|\bunless\b|\bexcept\b|:=", re.IGNORECASE)
#: a sentence that makes its names random
_RANDOM = re.compile(r"\brandom|\bdrawn\b|\bsampled?\b|\bdistributed\b|\bnoise\b", re.IGNORECASE)
#: a sentence anywhere in the section that keeps its names from being read as constants under ``E``
_NOT_CONSTANT = re.compile(r"random|variable|gaussian|normal|stochastic|distribut|drawn|draw|sampl|noise|follow"
                           r"|\bcomes?\b|\bcame\b|depend|\\sim\b|uncertain",
                           re.IGNORECASE)
#: an operator inside which a name is random (``E[x]``, ``\\mathrm{Var}(x)``, ``P(x)``)
_OPERATOR = re.compile(r"(?:\\mathbb\s*\{?\s*E|\\mathbf\s*\{?\s*E|\\operatorname\s*\{?\s*E|\\mathrm\s*\{?\s*"
                       r"(?:Var|Cov|E)|\\textrm\s*\{?\s*(?:Var|Cov)|\bVar|\bCov|(?<![A-Za-z\\])[EP])\s*\}?\s*"
                       r"(?:_\{[^{}]*\}|_\\?[A-Za-z0-9]+)?\s*(?:\\left\s*)?[\[(]")
#: the leading name of a piece of inline math: ``w_{ij}`` → ``w``, ``\\epsilon_i`` → ``epsilon``
_LEAD = re.compile(r"\s*(?:\\(?:mathbf|boldsymbol|mathrm|bm)\s*\{\s*)?(\\[A-Za-z]+|[A-Za-z])")
#: the indices of a name of inline math: ``x_1`` → ``1``, ``w_{ij}`` → ``ij``
_INDEX = re.compile(r"\s*\}?\s*_\s*(\{[^{}]*\}|[A-Za-z0-9])")
_NOT_NAMES = frozenset({"mathcal", "operatorname", "textrm", "text", "frac", "sum", "prod", "left", "right",
                        "mathbb", "mathrm", "mathbf"})


@dataclass(frozen=True)
class Facts:
    """The laws stated before a claim and what its prose says of its names."""

    stated: tuple[Stated, ...] = ()
    independent: frozenset[str] = frozenset()
    #: names the prose next to the claim makes random (never read as constants under ``E``)
    random: frozenset[str] = frozenset()
    #: whether the stated laws give moments (the names stay random either way)
    laws: bool = True
    #: operators the text defines as functions of its own (``E(x) = x^2``): no rule applies to them
    redefined: frozenset[str] = frozenset()

    def law(self, variable: sp.Basic) -> Stated | None:
        """The normal law in force for ``variable`` (a symbol, an indexed name), if stated and used."""
        if not self.laws:
            return None
        s = in_force(self.stated, variable) if base_of(variable) is not None else None
        return s if s is not None and s.mean is not None else None

    @property
    def random_names(self) -> frozenset[str]:
        return random_names(self.stated) | self.random | frozenset(n.split("_")[0] for n in self.independent)

    def independent_of(self, v: sp.Basic) -> bool:
        """Whether the prose states ``v`` independent: by its exact name when the prose gives it numeric
        indices (``x_1``), by its name otherwise (``x``, ``w_{ij}``)."""
        base = base_of(v)
        if base is None:
            return False
        if isinstance(v, sp.Indexed) and all(i.is_number for i in v.indices) and \
                f"{base}_{''.join(str(i) for i in v.indices)}" in self.independent:
            return True
        return base in self.independent

    @property
    def parameters(self) -> frozenset[str]:
        """The names in the stated normal laws (``\\mu``, ``\\sigma``): constants, not random."""
        return frozenset(b for s in self.stated if s.mean is not None for p in (s.mean, s.variance)
                         for x in sp.preorder_traversal(p) if (b := base_of(x)) is not None) - self.random_names


#: nothing stated
NO_FACTS = Facts()


@dataclass
class Readings:
    """The readings a rewrite took, as the verdict names them."""

    laws: dict[str, Stated] = field(default_factory=dict)
    independent: set[str] = field(default_factory=set)

    def texts(self) -> list[str]:
        out = [f"{s.latex} as stated ({line_words(s.line)})" for s in
               sorted({s.latex: s for s in self.laws.values()}.values(), key=lambda s: s.line)]
        if self.independent:
            out.append(f"{', '.join(sorted(self.independent))} as independent, as the prose says")
        return out


def _name_of(piece: str) -> str | None:
    """``x`` of ``x``, ``w_{ij}``; ``x_1`` of ``x_1`` (numeric indices name one variable exactly)."""
    lead = _LEAD.match(piece)
    if not lead or (name := lead.group(1).lstrip("\\")) in _NOT_NAMES:
        return None
    index = _INDEX.match(piece, lead.end())
    digits = index.group(1).strip("{}").replace(",", "").replace(" ", "") if index else ""
    return f"{name}_{digits}" if digits.isdigit() else name


def _names_in(sentence: str) -> set[str]:
    out = set()
    for m in _MATH.finditer(sentence):
        for piece in m.group(1).split(","):
            if (name := _name_of(piece)) is not None:
                out.add(name)
    return out


def _bases(names: set[str]) -> set[str]:
    return {n.split("_")[0] for n in names}


def _prose_facts(prose: str) -> tuple[frozenset[str], frozenset[str]]:
    """(independent, random) names of the prose next to a claim: independence only from a sentence
    that states it plainly and whose math relates no names (``z = y``), and none at all when another
    sentence relates names it makes independent (a copy, a function of, a definition)."""
    sentences = _SENTENCE.split(prose)
    random = {n for s in sentences if _RANDOM.search(s) or _INDEPENDENT.search(s) for n in _bases(_names_in(s))}
    stating = [s for s in sentences if _INDEPENDENT.search(s)]
    if any(_DENIED.search(s) or any("=" in m for m in _MATH.findall(s)) for s in stating):
        return frozenset(), frozenset(random)
    independent = {n for s in stating for n in _names_in(s)}
    related = (s for s in sentences if not _INDEPENDENT.search(s) and (_DENIED.search(s) or "=" in s))
    if any(_bases(_names_in(s)) & _bases(independent) for s in related):
        return frozenset(), frozenset(random)
    return frozenset(independent), frozenset(random)


@functools.lru_cache(maxsize=32)  # one section's text is read for each of its claims
def _section_random(section: str) -> frozenset[str]:
    """Names its section keeps from being constants: named in a sentence that says something random of
    them, or inside an ``E``/``Var``/``P`` of any formula of the section."""
    out = {n for s in _SENTENCE.split(section) if _NOT_CONSTANT.search(s) for n in _bases(_names_in(s))}
    for m in _OPERATOR.finditer(section):
        inner = _bracketed(section, m.end() - 1)
        out |= {lead.group(1).lstrip("\\") for lead in re.finditer(r"(\\[A-Za-z]+|(?<![A-Za-z\\])[A-Za-z])", inner)}
    return frozenset(out - _NOT_NAMES)


def _bracketed(text: str, start: int) -> str:
    """The text inside the bracket opening at ``start`` (to its match, or 200 characters)."""
    depth = 0
    for k in range(start, min(len(text), start + 200)):
        depth += text[k] in "[({"
        depth -= text[k] in "])}"
        if depth == 0:
            return text[start + 1:k]
    return text[start + 1:start + 200]


def facts_of(claim: Claim) -> Facts:
    """What the text says of the claim's random quantities (hashable: part of its cache key)."""
    before, after = claim.extra.get("prose") or ("", "")
    before = claim.extra.get(PROSE, before)
    end = re.search(r"[.!?](?=\s|$)", after)
    independent, random = _prose_facts(f"{before} {after[:end.end()] if end else after[:300]}")
    section = claim.extra.get(SECTION, "")
    stated = tuple(claim.extra.get(KEY, ()))
    parameters = {n for s in stated if s.mean is not None for n in _bases_of(s.mean, s.variance)}
    fixed = {n for m in _FIXED.finditer(claim.extra.get(STATEMENT, "")) for n in _bases(_names_in(f"${m.group(1)}$"))}
    random |= _section_random(section) - (parameters - random_names(stated)) - fixed
    sd = bool(_SD.search(f"{section} {before} {after}"))
    return Facts(tuple(s if _usable(s, random_names(stated), sd) else replace(s, mean=None, variance=None)
                       for s in stated), independent, random, redefined=frozenset(claim.extra.get(REDEFINED, ())))


#: ``m(x) = E[…]``: the claim's statement makes its expectation a function of ``x``, held fixed under ``E``
_FIXED = re.compile(r"(?<![A-Za-z\\])[A-Za-z]\s*\(([^()=]*)\)\s*=\s*(?:\\mathbb\s*\{?\s*E|\\mathrm\s*\{?\s*E|E)"
                    r"\s*\}?\s*[\[(]")
#: prose that may mean the second parameter of a normal law is a standard deviation
_SD = re.compile(r"standard\s+deviation|\bstd\b|\bs\.\s?d\.", re.IGNORECASE)


def _bases_of(*exprs: sp.Basic) -> set[str]:
    return {b for e in exprs for x in sp.preorder_traversal(e) if (b := base_of(x)) is not None}


def _usable(s: Stated, random: frozenset[str], sd: bool) -> bool:
    """Whether a stated normal law gives moments: not when its mean or variance holds a name the text
    states random (``w \\sim \\mathcal N(\\mu, 1)`` after ``\\mu \\sim …``), nor when its second parameter
    may be a standard deviation (a name not squared, with the prose speaking of one)."""
    if s.mean is None:
        return True
    if _bases_of(s.mean, s.variance) & random:
        return False
    return not (sd and not s.variance.is_number and not (isinstance(s.variance, sp.Pow) and s.variance.exp == 2))


def moment(body: sp.Basic, facts: Facts, readings: Readings) -> sp.Basic | None:
    """``E[body]`` by a stated normal law: ``E[w] = μ``, ``E[w^2] = σ^2 + μ^2``; None otherwise."""
    power = 1
    if isinstance(body, sp.Pow) and body.exp == 2:
        body, power = body.base, 2
    law = facts.law(body) if base_of(body) is not None and not isinstance(body, sp.Function) else None
    if law is None:
        return None
    readings.laws[str(body)] = law
    return law.mean if power == 1 else law.variance + law.mean ** 2


def independent_groups(factors: list[sp.Basic], facts: Facts) -> list[sp.Basic] | None:
    """The product of ``factors`` as products of independent groups (each of one variable), when the
    prose makes them independent; None when not two groups or not all independent."""
    by_base: dict[str, list[sp.Basic]] = {}
    for f in factors:
        v = f.base if isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp > 0 else f
        base = base_of(v) if isinstance(v, (sp.Symbol, sp.Indexed)) else None
        if base is None or not facts.independent_of(v):
            return None
        by_base.setdefault(base, []).append((v, f))
    groups = []
    for pairs in by_base.values():
        variables = {v for v, _ in pairs}
        if all(isinstance(v, sp.Indexed) and all(i.is_number for i in v.indices) for v in variables):
            groups += [sp.Mul(*(f for v, f in pairs if v == u)) for u in sorted(variables, key=sp.default_sort_key)]
        else:  # ``w_{ij} w_{ik}``: the indices may coincide, one group
            groups.append(sp.Mul(*(f for _, f in pairs)))
    return groups if len(groups) > 1 else None


def _undecided(v: CheckResult, names: set[str]) -> CheckResult:
    """Not proved, with names left inside an ``E``: whether they are constants decides the claim."""
    which, plural = ", ".join(sorted(names)), "s" if len(names) > 1 else ""
    return CheckResult(Verdict.UNCHECKED,
                       reason=f"linearity of E not applied to {which}: not read as constant{plural} "
                              "under E (the text may make a name random, or a function)",
                       details=(f"as mathlint reads it, {v.reason}",), assumptions=v.assumptions)


def by_the_rules(v: CheckResult, rules: list[str], constants: set[str],
                 undecided: set[str] = frozenset(), readings: Readings | None = None) -> CheckResult:
    """The verdict of the rewritten sides, saying which rules of probability it rests on and which
    readings of the text (names as constants, stated laws, independence) it took."""
    if undecided and v.verdict not in (Verdict.PROVED, Verdict.CONSISTENT, Verdict.NEEDS_ASSUMPTION):
        return _undecided(v, set(undecided))
    if not rules:
        return v
    how = f"by the rules of probability ({'; '.join(rules)})"
    taken = [f"{', '.join(sorted(constants))} as constant{'s' if len(constants) > 1 else ''} under E"] \
        if constants else []
    taken += readings.texts() if readings else []
    if taken:
        how += f", reading {'; '.join(taken)}"
    assumed = (*(f"{n} is not random" for n in sorted(constants)), *(readings.texts() if readings else ()))
    if v.verdict == Verdict.PROVED:
        return replace(v, reason=f"proved {how}", details=(f"then {v.reason}", *v.details),
                       assumptions=(*v.assumptions, *assumed))
    if v.verdict in (Verdict.CONSISTENT, Verdict.NEEDS_ASSUMPTION):
        return replace(v, reason=f"{v.reason} {how}", assumptions=(*v.assumptions, *assumed))
    after = f"checked after applying the rules of probability ({'; '.join(rules)})"
    if v.verdict == Verdict.REFUTED and taken:  # the failure may rest on a reading
        return CheckResult(Verdict.UNCHECKED, reason=f"refuted only reading {'; '.join(taken)}",
                           details=(f"as mathlint reads it, {v.reason}", after), assumptions=v.assumptions)
    return replace(v, details=(*v.details, after))
