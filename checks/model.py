"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MathSpan:
    """One piece of math found in a Markdown file.

    ``offset`` is the character offset of ``latex`` in the source text and
    ``line_starts`` the offsets of every source line, so that any position
    inside the span maps back to a 1-based line and column.
    """

    latex: str
    kind: str  # "display" | "inline"
    delimiter: str  # "$$", "$", "\\(", "\\[", "\\begin{align}", ...
    offset: int
    line: int
    column: int


@dataclass(frozen=True)
class Annotation:
    """``<!-- mathlint: VERB ARGUMENT -->`` at a source line."""

    line: int
    verb: str  # "assume" | "let" | "ignore" | …
    argument: str


@dataclass
class Side:
    """One side of a relation chain (normalized LaTeX) and the source line it is on."""

    latex: str
    line: int
    expr: Any = None  # sympy expression once parsed
    error: str | None = None


@dataclass
class Statement:
    """A relation chain ``s0 r0 s1 r1 s2 …`` with optional conditions (``, \\quad i = j``)."""

    sides: list[Side]
    relations: list[str]
    conditions: list[Statement] = field(default_factory=list)
    line: int = 0

    @property
    def is_relation(self) -> bool:
        return bool(self.relations)


@dataclass
class Block:
    """A math span with what the parser made of it."""

    span: MathSpan
    normalized: str
    statements: list[Statement]
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error:
            return "unparsed"
        for st in self.all_statements():
            if any(s.error for s in st.sides):
                return "unparsed"
        return "parsed"

    def all_statements(self) -> list[Statement]:
        out: list[Statement] = []
        for st in self.statements:
            out.append(st)
            out.extend(st.conditions)
        return out

    @property
    def has_relation(self) -> bool:
        return any(st.is_relation for st in self.statements)

    @property
    def first_error(self) -> str | None:
        if self.error:
            return self.error
        for st in self.all_statements():
            for side in st.sides:
                if side.error:
                    return side.error
        return None


@dataclass
class Claim:
    line: int
    latex: str
    relation: str
    lhs: Any
    rhs: Any
    role: str  # step | equation | definition | restatement | condition | domain | unparsed
    conditions: list[tuple[str, Any, Any]] = field(default_factory=list)
    definitions: list = field(default_factory=list)
    group: Any = None
    chain: tuple[int, int] | None = None  # (statement id, position of the pair)
    origin: tuple[int, int, int] | None = None  # (block index, statement index, pair index)
    verdict: str = "unchecked"
    method: str = ""
    message: str = ""
    counterexample: dict | None = None
    assumptions: list[str] = field(default_factory=list)
    suggestion: dict | None = None
    extra: dict = field(default_factory=dict)  # e.g. the derivation edge a claim comes from


@dataclass
class Result:
    """A checked document: its blocks, its claims with verdicts, its context and findings."""

    blocks: list[Block]
    claims: list[Claim]
    context: Any = None
    findings: list[dict] = field(default_factory=list)
