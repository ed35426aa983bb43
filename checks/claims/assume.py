"""Assumptions: stated ones (annotations, ``x \\in S``) and the standard ones a step may need.

Annotation syntax (HTML comments, anywhere in the file, applying to the whole file):

- ``<!-- mathlint: assume \\sum_j y_j = 1 -->``  labels ``y`` lie on the simplex
- ``<!-- mathlint: assume y one-hot -->``         labels ``y`` are one-hot
- ``<!-- mathlint: assume y_i \\in \\{0,1\\} -->`` binary values
- ``<!-- mathlint: assume 0 < p < 1 -->``         ``p`` is a probability
- ``<!-- mathlint: assume x > 0 -->``             ``x`` is positive
- ``<!-- mathlint: assume m = N -->``             sizes ``m`` and ``N`` are equal
- ``<!-- mathlint: let N = 3..5 -->``             instantiate sums and vectors at sizes 3, 4, 5
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from ..expr.symbols import name_of
from ..expr.walk import atoms
from ..latex.split import split_statements
from ..model import Annotation
from ..runtime import budget


@dataclass(frozen=True)
class Assumption:
    kind: str  # sum-one | one-hot | binary | probability | positive | sizes-equal
    base: str | None
    text: str  # how it is shown to the user

    def apply(self, domains: dict[str, str]) -> dict[str, str]:
        out = dict(domains)
        if self.kind == "sum-one":
            out[self.base] = "onehot" if out.get(self.base) == "binary" else "simplex"
        elif self.kind == "one-hot":
            out[self.base] = "onehot"
        elif self.kind in ("binary", "probability", "positive"):
            out[self.base] = self.kind
        return out


@dataclass
class Context:
    """Everything stated about a file: domains, assumptions, sizes, notes."""

    domains: dict[str, str] = field(default_factory=dict)
    assumptions: list[Assumption] = field(default_factory=list)
    sizes: tuple[int, ...] | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    ignored: list[tuple[int, str]] = field(default_factory=list)  # (line, rule)
    size_symbols: frozenset = frozenset()  # symbols the document uses as sum bounds
    vectors: dict = field(default_factory=dict)  # name → ("rows", dim symbol) | ("like", other name)

    @property
    def equal_groups(self) -> tuple:
        return tuple(tuple(a.base.split(",")) for a in self.assumptions if a.kind == "sizes-equal")

    def effective_domains(self, extra: list[Assumption] = ()) -> dict[str, str]:
        d = dict(self.domains)
        for a in [*self.assumptions, *extra]:
            d = a.apply(d)
        return d


def parse_assumption(text: str) -> Assumption | None:
    m = re.fullmatch(r"\s*([A-Za-z]+)(?:_\{?[A-Za-z]\}?)?\s+(?:is\s+)?one-?hot\s*", text)
    if m:
        return Assumption("one-hot", m.group(1), f"{m.group(1)} one-hot")
    from ..latex.parse import ParseError, parse_side
    _, sts = split_statements(text, lambda _o: 0)
    if len(sts) != 1 or not sts[0].relations:
        return None
    st = sts[0]
    try:
        exprs = [parse_side(s.latex) for s in st.sides]
    except ParseError:
        return None
    rels = st.relations
    if rels == ["eq"] and isinstance(exprs[0], sp.Sum) and exprs[1] == 1:
        inner = exprs[0].function
        if isinstance(inner, sp.Indexed):
            return Assumption("sum-one", name_of(inner), text.strip())
    if rels == ["eq"] and all(isinstance(e, sp.Symbol) for e in exprs):
        return Assumption("sizes-equal", ",".join(sorted(str(e) for e in exprs)), text.strip())
    if rels == ["in"] and isinstance(exprs[1], sp.FiniteSet) and set(exprs[1]) == {0, 1}:
        return Assumption("binary", name_of(exprs[0]), text.strip())
    if rels == ["lt", "lt"] and exprs[0] == 0 and exprs[2] == 1 and name_of(exprs[1]):
        return Assumption("probability", name_of(exprs[1]), text.strip())
    if rels in (["gt"], ["ge"]) and exprs[1] == 0 and name_of(exprs[0]):
        return Assumption("positive", name_of(exprs[0]), text.strip())
    return None


def context_from(annotations: list[Annotation], domains: dict[str, str], vectors: dict | None = None,
                 deadline: float | None = None, budget_seconds: float | None = None) -> Context:
    """The context the annotations state. With a ``deadline`` (the end of the file's budget of
    ``budget_seconds``), an assumption not read by then is a note that says so."""
    ctx = Context(domains=dict(domains), vectors=dict(vectors or {}))
    for a in annotations:
        if a.verb == "assume":
            parsed = parse_assumption(a.argument) if deadline is None else \
                budget.by(deadline, lambda arg=a.argument: parse_assumption(arg), late=False)
            if parsed is False:
                seconds = f"{budget_seconds:g} s " if budget_seconds is not None else ""
                ctx.notes.append((a.line, f"assumption not read: the file's {seconds}budget ran out while reading"))
            elif parsed is None:
                ctx.notes.append((a.line, f"assumption not understood: {a.argument}"))
            else:
                ctx.assumptions.append(parsed)
        elif a.verb == "let":
            m = re.fullmatch(r"\s*[A-Za-z_\\{}*]+\s*=\s*(\d+)(?:\s*\.\.\s*(\d+))?\s*", a.argument)
            if not m:
                ctx.notes.append((a.line, f"'let' expects `N = 3..5` or `N = 4`: {a.argument}"))
                continue
            lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
            if not 1 <= lo <= hi <= 12:
                ctx.notes.append((a.line, f"sizes must lie in 1..12: {a.argument}"))
                continue
            ctx.sizes = tuple(range(lo, hi + 1))
        elif a.verb == "ignore":
            ctx.ignored.append((a.line, a.argument))
        else:
            ctx.notes.append((a.line, f"unknown mathlint annotation '{a.verb}'"))
    return ctx


#: names that are labels by convention: Σ = 1 and one-hot are worth trying for them
LABEL_NAMES = ("y", "t")


def standard_candidates(lhs: sp.Basic, rhs: sp.Basic, ctx: Context, size_groups) -> list[Assumption]:
    """Unstated standard assumptions worth trying for a failing claim, most common first."""
    out: list[Assumption] = []
    stated = {(a.kind, a.base) for a in ctx.assumptions}
    for group in size_groups:
        if tuple(group) not in ctx.equal_groups:
            out.append(Assumption("sizes-equal", ",".join(group), " = ".join(group)))
    bases: dict[str, str] = {}
    for e in (lhs, rhs):
        for s in atoms(e, sp.Sum):
            f, (var, _, _) = s.function, s.limits[0]
            for ix in atoms(f, sp.Indexed):
                if ix.indices == (var,):
                    bases.setdefault(ix.base.label.name, var.name)
    for base, var in sorted(bases.items()):
        if base in ctx.vectors or ("sum-one", base) in stated:
            continue
        if not (ctx.domains.get(base) == "binary" or base in LABEL_NAMES):
            continue
        out.append(Assumption("sum-one", base, f"\\sum_{{{var}}} {base}_{{{var}}} = 1"))
        if ("one-hot", base) not in stated:
            out.append(Assumption("one-hot", base, f"{base} one-hot"))
    return out
