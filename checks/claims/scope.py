"""Where a definition is in force: sections, examples, cue words, values, unread heads.

A book reuses names: ``f(x)`` in one section is another function than ``f(x)`` in the next,
and ``x = 4`` in one example is no fact about every later ``x``. So a definition is compared
with a later one of the same name only when the text presents the same object again (same
section, no new example, same argument list, the same ingredients); a value (a name set to a
number) is in force only in its own section and never for a variable that is differentiated,
integrated or summed over; and an equation whose left side reads as the head of a definition
mathlint cannot substitute (``H[P] = …``, ``l^{(i)}(\\mathbf w, b) = …``, "Let
``\\sigma_t^2 = …``") is a definition, not a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import sympy as sp
from sympy.core.function import AppliedUndef

from ..expr.symbols import DerivativeWrt
from .cues import Cue


class Place(NamedTuple):
    """Where a line is: its top-level section, its innermost part (under any heading) and the
    example it is in (the count of examples begun before it)."""

    section: int
    part: int
    example: int = 0


@dataclass(frozen=True)
class Scope:
    """The document's sections: a restatement is compared with a definition of its own
    top-level section; a value or an example's definition lasts until the next heading."""

    sections: tuple[int, ...] = ()  # lines of the top-level headings, ascending
    parts: tuple[int, ...] = ()  # lines of every heading, ascending

    @classmethod
    def of(cls, headings: list) -> Scope:
        """Top level: the shallowest heading level used more than once (a title used once
        opens no section; a post's ``####`` steps inside one ``###`` topic stay one section)."""
        levels = Counter(h.level for h in headings)
        top = min((lv for lv, n in levels.items() if n > 1), default=min(levels, default=1))
        return cls(tuple(h.line for h in headings if h.level <= top), tuple(h.line for h in headings))

    def at(self, line: int, example: int = 0) -> Place:
        return Place(bisect_right(self.sections, line), bisect_right(self.parts, line), example)


def is_value(body: sp.Basic) -> bool:
    """``x = 4``, ``\\eta = 0.1``: a setting of one example, not a fact about the name."""
    return isinstance(body, sp.Basic) and body.is_number is True


def varied(exprs) -> set:
    """Variables a claim differentiates, integrates or sums over: a value never replaces them."""
    out: set = set()
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for d in e.atoms(sp.Derivative):
            out |= set(d.variables)
        for d in e.atoms(DerivativeWrt):
            out.add(d.args[1])
        for s in e.atoms(sp.Integral, sp.Sum, sp.Product):
            out |= {lim[0] for lim in s.limits}
    return out


def names(e: sp.Basic, params: tuple = ()) -> set[str]:
    """The names an expression mentions (plain symbols, indexed bases, functions), parameters aside."""
    if not isinstance(e, sp.Basic):
        return set()
    out = {s.name for s in e.free_symbols if isinstance(s, sp.Symbol) and s not in params}
    out |= {i.base.label.name for i in e.atoms(sp.Indexed)}
    out |= {type(f).__name__ for f in e.atoms(AppliedUndef)}
    return out


def same_object(first_body: sp.Basic, body: sp.Basic, params: tuple, defined: set[str]) -> bool:
    """Whether a new body presents the first one's object again: it shares a name with it
    (parameters aside) and brings in no name that is neither in it nor defined elsewhere
    (``H = \\sigma(XW + b)`` after ``H = XW + b`` is a new formula, not a restatement)."""
    old, new = names(first_body, params), names(body, params)
    return bool(old & new) and not (new - old - defined)


_ARG = r"(?:\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\])"
_GREEK = ("alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|pi|rho"
          "|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|Psi|Omega|ell")
_BASE = (r"(?:\\(?:mathbf|boldsymbol|mathrm|hat|tilde|bar|mathcal)\s*\{[^{}]*\}"
         rf"|\\(?:{_GREEK})(?![A-Za-z])|[A-Za-z])")
_SCRIPT = r"(?:_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z0-9]+)|\^\s*\{\s*\((?:[^{}]|\{[^{}]*\})*\)\s*\})"
_HEAD = re.compile(rf"\s*({_BASE})\s*(?:{_SCRIPT}\s*)*({_ARG})?\s*")
_POWER = re.compile(rf"\s*({_BASE})\s*(?:{_SCRIPT}\s*)*\^\s*(?:\{{[^{{}}]*\}}|[A-Za-z0-9])\s*")
_NUMBER = re.compile(r"\s*[-+]?[\d.]+\s*")
#: ``\sigma_X^2``, ``\sigma_{\text{train}}^2``: a name with a label subscript (an upper-case letter or a
#: word), or ``\sigma`` itself, squared: the text states or defines that quantity (a variance) rather than
#: squaring a variable
_LABEL = r"_\s*(?:\{\s*(?:[A-Z]|\\(?:text|mathrm)\{[^{}]*\})\s*\}|[A-Z])"
_LABELLED_POWER = re.compile(rf"\s*(\\sigma(?![A-Za-z])|{_BASE}\s*{_LABEL})\s*\^\s*(?:\{{\s*2\s*\}}|2)\s*")


#: ``\hat{\sigma}^2_n``, ``\sigma_t^2``: a variance (or its estimator) stated or defined, σ not on the right
_VARIANCE = re.compile(r"\s*(\\(?:hat|tilde|bar)\s*\{?\s*\\sigma\s*\}?|\\sigma)(?![A-Za-z])\s*"
                       r"(?:_\s*(?:\{[^{}]*\}|\w)\s*)?\^\s*(?:\{\s*2\s*\}|2)\s*(?:_\s*(?:\{[^{}]*\}|\w)\s*)?")


def unread_head(lhs_latex: str, rhs_latex: str, cue: Cue) -> str | None:
    """The left side's name when it reads as a definition's head: a name with subscripts,
    ``^{(i)}`` indices and an argument list of names (``H[P]``, ``J_{t_1,t_2}``,
    ``l^{(i)}(\\mathbf w, b)``), or after "let"/"define" also a power (``\\sigma_t^2``), or a
    labelled name squared (``\\sigma_X^2``, a stated variance); the name must not occur on the
    right (``x_t = x_{t-1} + 1`` is a recurrence)."""
    variance = _VARIANCE.fullmatch(lhs_latex)
    if variance and "\\sigma" not in rhs_latex:
        return variance.group(1).strip()
    m = _HEAD.fullmatch(lhs_latex) or (_POWER.fullmatch(lhs_latex) if cue is Cue.DEFINE else None)
    if m is None:
        labelled = _LABELLED_POWER.fullmatch(lhs_latex)  # σ_X^2 = p(1-p): σ_X itself must not recur
        head = re.sub(r"[\s{}]", "", labelled.group(1)) if labelled else None
        return labelled.group(1).strip() if head and head not in re.sub(r"[\s{}]", "", rhs_latex) else None
    args = m.group(2) if m.re is _HEAD else None
    if args and any(_NUMBER.fullmatch(a) for a in args[1:-1].split(",")):
        return None  # h(0) = 0: a value of a function, not its definition
    if m.re is _HEAD and not args and cue is not Cue.DEFINE and "_" not in lhs_latex and "^" not in lhs_latex:
        return None  # a bare name: the definable case, or an equation about it
    base = m.group(1)
    if superscript_index(lhs_latex):  # H^{(2)} = σ(H^{(1)} …): the indexed head itself must not recur
        head = lhs_latex[:m.start(2)] if args else lhs_latex
        return None if re.sub(r"\s", "", head) in re.sub(r"\s", "", rhs_latex) else base
    word = re.escape(base) + (r"(?![A-Za-z])" if base.startswith("\\") else "")
    if re.search(rf"(?<![A-Za-z\\]){word}", rhs_latex):
        return None
    return base


_INDEX_SUPERSCRIPT = re.compile(r"\^\s*\{\s*\(")


def superscript_index(lhs_latex: str) -> bool:
    """``\\mathbf{H}^{(1)}``, ``l^{(i)}``: a layer or sample index, read by the grammar as a power
    (``H^{(1)}`` as ``H``): the head names another object than the bare name."""
    return bool(_INDEX_SUPERSCRIPT.search(lhs_latex))
