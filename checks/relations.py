"""The relation registry: one :class:`Relation` per kind (``eq``, ``le``, ``approx``, …) with
everything mathlint knows about it, from the LaTeX that reads as it to how it is checked.

Every other module derives its view from :data:`RELATIONS`: the splitter's token regex
(:mod:`mathlint.latex.split`), the TeX of a claim (:mod:`mathlint.claims.build`), the signs of
the text listing (:mod:`mathlint.report.parse`), definitions, conditions and bounds (claims),
the numeric comparison (checks). Adding a kind is one :func:`register` call below. NumPy is
imported where a comparison runs, so reading a post (``mathlint parse``) does not load it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

#: Float comparison at random points: relative agreement to RTOL, and ATOL for the rounding of
#: float computation near zero (``log(xy) - log x - log y`` is 1e-16, not 0). ATOL alone never
#: decides: a point that holds only through it is compared again at 50 digits, where
#: PRECISE_ATOL (rounding of 50-digit arithmetic near zero) replaces it, and PRECISE_RTOL
#: (20 digits to spare for cancellation) tells a strict inequality from equality
#: (:class:`Signs`). Constants are not sampled: :mod:`mathlint.proof.exact` decides them.
RTOL, ATOL = 1e-6, 1e-9
PRECISE_RTOL, PRECISE_ATOL = 1e-20, 1e-30


@dataclass(frozen=True)
class Signs:
    """A relation as the signs of ``lhs - rhs`` that satisfy it (``=``: 0; ``<``: -1; ``≤``:
    -1 or 0; ``≠``: -1 or 1). In floats a difference counts as zero within
    ``ATOL + RTOL·max(|a|, |b|)``, so ``x < x`` fails and ``x \\le x`` holds through rounding.
    A point that holds only because of ``ATOL`` (two sides near zero that agree in absolute
    terms only, as ``10^{-20} x`` and ``0``) is :meth:`unsure`; it and every failing point are
    decided again at 50 digits (:meth:`precise`), where rounding is far below any difference
    a text writes."""
    signs: frozenset

    def _zero(self, d, a, b, atol: float, rtol: float):
        import numpy as np
        return np.abs(d) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))

    def __call__(self, a, b):
        d = a - b
        return self._test(d, self._zero(d, a, b, ATOL, RTOL))

    def _test(self, d, zero):
        import numpy as np
        out = zero if 0 in self.signs else np.zeros_like(zero)
        if -1 in self.signs:
            out = out | (~zero & (d < 0))
        if 1 in self.signs:
            out = out | (~zero & (d > 0))
        return out

    def unsure(self, a, b):
        """Points that hold only because the absolute tolerance made their difference zero."""
        import numpy as np
        if 0 not in self.signs:
            return np.zeros(np.shape(a), dtype=bool)
        d = a - b
        return self._zero(d, a, b, ATOL, RTOL) & ~self._zero(d, a, b, 0.0, RTOL)

    def precise(self, a, b) -> bool:
        """The relation between two 50-digit (mpmath) values. A difference within the
        tolerance counts as zero; the tolerance only ever spares a claim: relative RTOL where
        zero satisfies the relation (``=``, ``≤``: as the floats), PRECISE_RTOL where it does
        not (``<``, ``≠``: ``σ(15) < 1`` differs from equality by 3e-7 only)."""
        import numpy as np
        d = a - b  # correctly rounded: its sign and size are right at any working precision
        scale = max(abs(a), abs(b))
        zero = abs(d) <= PRECISE_ATOL + (RTOL if 0 in self.signs else PRECISE_RTOL) * scale
        return bool(self._test(np.array([1.0 if d > 0 else -1.0]), np.array([zero]))[0])


def _approximately(a, b):
    """``\\approx`` between expressions: an approximation is not exact, its tolerance is the
    claim's own (1e-2); between constants a written number's precision decides (:attr:`Relation.rounding`)."""
    import numpy as np
    return np.abs(a - b) <= 1e-6 + 1e-2 * np.maximum(np.abs(a), np.abs(b))


class Defines(Enum):
    """Whether ``name ⟨relation⟩ expression`` defines ``name`` (:mod:`mathlint.claims.build`)."""
    NEVER = "never"  # a relation between two expressions
    FIRST = "first"  # the first one defines the name; a later one in the same variables restates it
    ALWAYS = "always"  # ``:=`` defines the name anew, each time it is written


@dataclass(frozen=True)
class Relation:
    """One relation kind. ``name`` is what claims, JSON and the cache carry."""
    name: str
    holds: Callable | None  # numeric predicate on two float arrays; None: not checked
    provable: bool  # a symbolic zero test proves it
    tokens: tuple[str, ...] = ()  # LaTeX read as it (a command is not followed by a letter)
    patterns: tuple[str, ...] = ()  # regular expressions read as it, matched as written
    tex: str = ""  # LaTeX to write a claim back
    sign: str = ""  # its sign in the text listing of ``mathlint parse``
    defines: Defines = Defines.NEVER
    condition: bool = False  # ``i = j``, ``i \neq j``: a condition on index values
    domain: bool = False  # ``x \in S`` declares the domain of ``x``: a declaration, not a claim
    existential: bool = False  # holds if true at some point (≠)
    why_not: str = ""  # why it is not checked (``holds`` is None)
    signs: frozenset | None = None  # signs of lhs - rhs it asserts: exact arithmetic decides it
    #: between constants, a written number's own precision decides it (``\\sqrt{5} \\approx 2.2``:
    #: 2.236 rounds to 2.2), not ``holds`` (:mod:`mathlint.proof.rounding`)
    rounding: bool = False
    #: it states a hypothesis about a variable, never an identity (``X \\sim \\mathcal N(0, 1)``):
    #: its claims take the role ``hypothesis`` with :attr:`why_not` as the reason
    hypothesis: bool = False

    @property
    def equality(self) -> bool:
        """It asserts that two expressions are equal (so an exact nonzero difference refutes it)."""
        return self.signs == frozenset({0})

    @property
    def order(self) -> bool:
        """It compares sizes (``<``, ``≤``, ``>``, ``≥``): between a variable and a number it
        states a bound, a hypothesis rather than an identity."""
        return self.signs is not None and (-1 in self.signs) != (1 in self.signs)

    def met(self, equal: bool) -> bool:
        """Whether a :attr:`condition` holds, from whether its two sides are equal."""
        return (0 in (self.signs or ())) == equal


RELATIONS: dict[str, Relation] = {}


def register(r: Relation) -> None:
    RELATIONS[r.name] = r


def condition_met(name: str, a, b) -> bool:
    """Whether two values meet the condition ``a ⟨name⟩ b`` (``i = j`` at i=2, j=3 does not); a
    relation that is no :attr:`Relation.condition` does not restrict the values."""
    r = RELATIONS.get(name)
    return r is None or not r.condition or r.met(a == b)


def never_met(name: str, a, b) -> bool:
    """The condition ``a ⟨name⟩ b`` holds for no values: the same sides, which fail it (``i \\neq i``)."""
    r = RELATIONS.get(name)
    return r is not None and r.condition and not r.met(True) and a == b


def signed(name: str, signs: set, **fields) -> Relation:
    """A relation decided by the sign of ``lhs - rhs`` (:class:`Signs`)."""
    s = frozenset(signs)
    return Relation(name, Signs(s), fields.pop("provable", False), signs=s, **fields)


#: ``\stackrel{def}{=}``, ``\overset{\triangle}{=}``: a definition sign built over ``=``
DEFINED_OVER_EQUALS = r"\\(?:stackrel|overset)\{(?:[^{}]|\{[^{}]*\})*\}\{=\}"

# The kinds, in the order they were always registered (the splitter's one-character class follows it).
register(signed("eq", {0}, provable=True, tokens=("=",), tex="=", sign="=", defines=Defines.FIRST,
                condition=True))
register(signed("def", {0}, provable=True, tokens=(":=", "\\triangleq", "\\doteq"),
                # \coloneqq is matched as written, also before a letter (a token would not be): as always
                patterns=(DEFINED_OVER_EQUALS, r"\\coloneqq"),
                tex=":=", sign=":=", defines=Defines.ALWAYS))
register(signed("equiv", {0}, provable=True, tokens=("\\equiv",), tex="\\equiv", sign="≡",
                defines=Defines.FIRST))
register(Relation("approx", _approximately, provable=False, tokens=("\\approx",), tex="\\approx", sign="≈",
                  rounding=True))
register(signed("ne", {-1, 1}, existential=True, tokens=("\\neq", "\\ne"), tex="\\neq", sign="≠", condition=True))
register(signed("lt", {-1}, tokens=("<",), tex="<", sign="<"))
register(signed("le", {-1, 0}, tokens=("\\le", "\\leq", "\\leqslant"), tex="\\le", sign="≤"))
register(signed("gt", {1}, tokens=(">",), tex=">", sign=">"))
register(signed("ge", {0, 1}, tokens=("\\ge", "\\geq", "\\geqslant"), tex="\\ge", sign="≥"))
register(Relation("in", None, provable=False, tokens=("\\in",), tex="\\in", sign="∈", domain=True,
                  why_not="membership declares a domain"))
register(Relation("propto", None, provable=False, tokens=("\\propto",), tex="\\propto", sign="∝",
                  why_not="proportionality is not checked"))
register(Relation("sim", None, provable=False, tokens=("\\sim",), tex="\\sim", sign="~", hypothesis=True,
                  why_not="a distribution statement ('distributed as'): a hypothesis on a variable, not an identity"))
register(Relation("to", None, provable=False, tokens=("\\to", "\\rightarrow", "\\longrightarrow"), tex="\\to",
                  sign="→", hypothesis=True,
                  why_not="a limit statement ('tends to', as in n \\to \\infty): not an identity"))
