"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """What a check decided about a claim, in the order the summaries list them. A ``StrEnum``:
    equal to its text, and written as it in JSON and in messages."""

    PROVED = "proved"
    CONSISTENT = "consistent"  # holds at every point tried, no proof
    NEEDS_ASSUMPTION = "needs-assumption"
    REFUTED = "refuted"
    UNPARSED = "unparsed"
    TIMEOUT = "timeout"
    UNCHECKED = "unchecked"


#: verdicts of a claim that holds as written
HOLDS = (Verdict.PROVED, Verdict.CONSISTENT)


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict, as a budgeted worker sends it back and the cache stores it.

    ``message`` is ``reason`` then each of ``details`` after ``"; "``: readers that want the
    short reason (the PDF's list of errors) take ``reason``, never a piece of the text. ``used``
    lists the definition lines the check substituted (None for a check of two given sides)."""

    verdict: Verdict
    method: str = ""
    reason: str = ""
    details: tuple[str, ...] = ()
    counterexample: dict | None = None
    assumptions: tuple[str, ...] = ()
    used: tuple[int, ...] | None = None
    stopped: bool = False  # a budget, the memory limit or a crash decided it: it depends on the machine

    def __post_init__(self):  # a decoded cache entry holds the plain string, and is checked
        object.__setattr__(self, "verdict", Verdict(self.verdict))
        _require(type(self.method) is str and type(self.reason) is str and _strings(self.details)
                 and _strings(self.assumptions) and type(self.counterexample) in (dict, type(None))
                 and (self.used is None or (type(self.used) is tuple and all(type(n) is int for n in self.used)))
                 and type(self.stopped) is bool,
                 "CheckResult")

    @property
    def message(self) -> str:
        return "; ".join((self.reason, *self.details))


def _strings(v) -> bool:
    return type(v) is tuple and all(type(x) is str for x in v)


def _require(ok: bool, what: str) -> None:
    """A record built from a cache entry with fields of the wrong type is refused at once (the
    cache reads it as a miss), not later in a report."""
    if not ok:
        raise ValueError(f"a {what} with fields of the wrong type")


@dataclass(frozen=True)
class MathSpan:
    """One piece of math found in a Markdown file.

    ``offset`` is the character offset of ``latex`` in the source text and
    ``line_starts`` the offsets of every source line, so that any position
    inside the span maps back to a 1-based line and column. ``before`` and ``after``
    are the prose on either side (not part of equality).
    """

    latex: str
    kind: str  # "display" | "inline"
    delimiter: str  # "$$", "$", "\\(", "\\[", "\\begin{align}", ...
    offset: int
    line: int
    column: int
    # the prose around the span (its paragraph; for a display, the paragraph that leads into it),
    # from which :mod:`mathlint.claims.roles` tells a setting or a hypothesis from a claim
    before: str = field(default="", compare=False, repr=False)
    after: str = field(default="", compare=False, repr=False)
    #: the equation's label as the format writes it (``eq:softmax`` from ``\\label{eq:softmax}``,
    #: ``eq-x`` from Quarto's ``{#eq-x}``), stripped from ``latex``; None when it has none
    label: str | None = field(default=None, compare=False)
    #: why the source could not give this span's math (a macro that never ends, an ``\\input``
    #: not followed): the reader reports the span as unparsed with this reason; None when read
    unread: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Annotation:
    """``<!-- mathlint: VERB ARGUMENT -->`` at a source line."""

    line: int
    verb: str  # "assume" | "let" | "ignore" | …
    argument: str


@dataclass(frozen=True)
class Location:
    """Where a line of the checked text is in the user's file. For a line-based format the line
    itself; for a notebook (whose cells the pipeline reads as one text) the cell, 1-based as
    notebook interfaces count, the line within it, and ``file_line``: the line of the notebook's
    JSON where that source line is written (SARIF and GitHub annotations point there); for a LaTeX
    document that includes others, ``file``: the included file's path (None: the checked file)
    and ``file_line`` the line in it."""

    line: int  # the checked text's line (what claims and findings carry)
    file_line: int
    cell: int | None = None
    cell_line: int | None = None
    file: str | None = None  # another file than the checked one (an ``\input`` file), as the user names it

    @property
    def shown(self) -> str:
        """``5``, or ``cell 3:5``: after ``file:`` in the text report."""
        return str(self.file_line) if self.cell is None else f"cell {self.cell}:{self.cell_line}"

    @property
    def words(self) -> str:
        """``line 5``, ``cell 3, line 5``, or ``line 5 of part.tex``: in JUnit names, the PDF and
        messages that name another line."""
        if self.cell is not None:
            return f"cell {self.cell}, line {self.cell_line}"
        return f"line {self.file_line}" + (f" of {self.file}" if self.file else "")

    def at(self, path: str) -> str:
        """``path:5``, ``path:cell 3:5``, or ``part.tex:5`` (an included file's own path)."""
        return f"{self.file or path}:{self.shown}"

    def fields(self) -> dict:
        """The JSON keys: ``{"line": 5}``, ``{"cell": 3, "line": 5}``, or ``{"file": "part.tex", "line": 5}``."""
        if self.cell is not None:
            return {"cell": self.cell, "line": self.cell_line}
        return ({"file": self.file} if self.file else {}) | {"line": self.file_line}


#: how the check being run names a line of its text in a message (``line 6``; a notebook's
#: ``cell 3, line 2``): set for a whole check by :func:`lines_named`, read by :func:`line_words`
_LINE_NAMER: ContextVar[Callable[[int], Location] | None] = ContextVar("mathlint_line_namer", default=None)


@contextmanager
def lines_named(locate: Callable[[int], Location] | None) -> Iterator[None]:
    """Within the block, messages that name a line of the text name it where the user reads it
    (``locate``: a format's :meth:`~mathlint.sources.base.Source.locate` of the text)."""
    token = _LINE_NAMER.set(locate)
    try:
        yield
    finally:
        _LINE_NAMER.reset(token)


def line_words(line: int) -> str:
    """``line 6`` (or ``cell 3, line 2`` in a notebook): a line of the checked text, as a message names it."""
    locate = _LINE_NAMER.get()
    return f"line {line}" if locate is None or line < 1 else locate(line).words


def lines_words(lines) -> str:
    """``line 4``, ``lines 4, 6`` (or ``cell 2, line 1 and cell 3, line 2`` in a notebook)."""
    lines = list(lines)
    if _LINE_NAMER.get() is None or len(lines) < 2:
        return line_words(lines[0]) if len(lines) == 1 else "lines " + ", ".join(map(str, lines))
    named = [line_words(n) for n in lines]
    if all(w.startswith("line ") and " " not in w[5:] for w in named):  # every line the file's own
        return "lines " + ", ".join(w[5:] for w in named)
    return ", ".join(named[:-1]) + " and " + named[-1]


@dataclass(frozen=True)
class Finding:
    """A rule's finding that is not a claim's verdict (notation, code snippets, derivation nodes);
    line 0 concerns the whole file. ``to_dict`` is its JSON form (key order kept)."""

    rule: str
    line: int
    message: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "line": self.line, "message": self.message}

    def order(self) -> tuple[int, str, str]:
        """The sort key of a findings list: line, rule, message."""
        return self.line, self.rule, self.message


class Applicability(StrEnum):
    """Whether a fix may be applied without review, as ruff says it: ``safe`` keeps the meaning,
    ``unsafe`` may change it (a suggested fix of an equation does, by design), ``display-only``
    is shown but never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True)
class Edit:
    """Replace the post's text from (``line``, ``column``) to (``end_line``, ``end_column``), 1-based,
    end exclusive, by ``content``; ``deleted`` is the text that range holds now (for reports)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str
    deleted: str


@dataclass(frozen=True)
class Fix:
    """A suggested fix (ruff's shape): its edits of the post, what it does (``message``), whether it
    may be applied unreviewed; ``latex`` is the whole corrected equation, ``original`` and
    ``replacement`` the text around the change before and after it, ``kind`` the edit's kind.
    ``to_dict`` is the JSON form (``suggestion``), key order kept."""

    edits: tuple[Edit, ...]  # one edit (checked)
    message: str
    applicability: Applicability
    kind: str
    latex: str
    original: str
    replacement: str

    def __post_init__(self):  # a decoded cache entry may hold the plain string, and is checked
        object.__setattr__(self, "applicability", Applicability(self.applicability))
        # one edit: the search makes one (a case change at several places is one range), and the
        # JSON ``suggestion`` has one range
        _require(type(self.edits) is tuple and len(self.edits) == 1 and type(self.edits[0]) is Edit
                 and all(type(getattr(self, f)) is str for f in ("message", "kind", "latex", "original",
                                                                 "replacement")), "Fix")

    def to_dict(self) -> dict:
        e = self.edits[0]
        return {"latex": self.latex, "edit": self.message, "kind": self.kind, "line": e.line, "column": e.column,
                "end_column": e.end_column, "deleted": e.deleted, "inserted": e.content, "original": self.original,
                "replacement": self.replacement}


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
    #: read, but nothing to check: (role, reason) of an inline relation with a side that is not math
    #: (``$\mathbf{p} =$ ($p_1, \ldots$)``, ``$= n$``: it continues in the prose) or of a function's
    #: type (``f: \mathbb{R} \to \mathbb{R}``: a declaration)
    fragment: tuple[str, str] | None = None

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
    stopped: bool = False  # not read because the file's budget ran out

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


@dataclass(frozen=True)
class Citation:
    """An equation a claim cites by its label: ``line`` is that equation's line in the same file
    (None when no equation of the file has the label: another file's, or none). An equation of
    another file of the run (resolved across files) has that ``file`` and its user's position
    there: ``line`` (and ``cell`` in a notebook)."""

    label: str
    line: int | None = None
    file: str | None = None
    cell: int | None = None

    def to_dict(self) -> dict:
        where = {k: v for k, v in (("file", self.file), ("cell", self.cell), ("line", self.line)) if v is not None}
        return {"label": self.label, **where}


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
    verdict: Verdict = Verdict.UNCHECKED
    method: str = ""
    reason: str = ""  # why the verdict: the start of ``message``
    notes: list[str] = field(default_factory=list)  # the rest of ``message``: details, definitions used…
    counterexample: dict | None = None
    assumptions: list[str] = field(default_factory=list)
    suggestion: Fix | None = None
    extra: dict = field(default_factory=dict)  # e.g. the derivation edge a claim comes from
    #: the prose hypotheses in force for it (``Assumption``s, :mod:`mathlint.claims.hypotheses`)
    hypotheses: list = field(default_factory=list)
    stopped: bool = False  # its verdict came from a budget, the memory limit or a crash (not cached)
    label: str | None = None  # its equation's label (``eq-x``), as the post writes it
    cites: tuple[Citation, ...] = ()  # the equations it cites, in the sentence leading into it or its line

    def __post_init__(self):  # a verdict given as text (a derivation's check, a cache entry)
        self.verdict = Verdict(self.verdict)

    @property
    def message(self) -> str:
        """The reason and its notes, as reported: ``reason; note; note``."""
        return "; ".join((self.reason, *self.notes))


@dataclass
class Result:
    """A checked document: its blocks, its claims with verdicts, its context and findings."""

    blocks: list[Block]
    claims: list[Claim]
    context: Any = None
    findings: list[Finding] = field(default_factory=list)
    #: the user's position of each line of the claims and findings where it is not the file's own
    #: line (a notebook's cell and line); None: every line is the file's (set after the cache)
    positions: dict[int, Location] | None = None

    def where(self, line: int) -> Location:
        """The user's position of ``line`` (the line itself for line-based formats)."""
        return (self.positions or {}).get(line) or Location(line, line)
