"""What every input format gives the pipeline: the math, code, headings and annotations of a
file's text, each with its position. The stages above ask a :class:`Source` (picked for the file
by :func:`mathlint.sources.formats.source_for`) and never parse a format themselves, so that a new
format (a notebook, a LaTeX document) is one module and one line of
:data:`mathlint.sources.formats.INPUT_FORMATS`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import NamedTuple

from ..model import Annotation, MathSpan


@dataclass(frozen=True)
class CodeSpan:
    """A fenced code block (``kind="fence"``) or an inline code span (``kind="inline"``)."""

    kind: str
    info: str
    content: str
    line: int  # first line of the code itself


class Heading(NamedTuple):
    """A section title (a tuple, so that ``(line, level, title)`` unpacks as before)."""

    line: int
    level: int
    title: str


class Reference(NamedTuple):
    """A place in the prose (or math) that cites an equation by its label."""

    line: int
    column: int
    label: str  # as the label is written at the equation (``eq:softmax``, ``eq-x``)
    syntax: str  # how it is cited: "eqref", "ref", "quarto", "myst", "bookdown", "d2l"


class Source(ABC):
    """One input format. Stateless: every method reads the whole text it is given, in document
    order, with 1-based lines; an implementation may parse the text once for all four."""

    @abstractmethod
    def math_spans(self, text: str) -> list[MathSpan]:
        """Every math span, with its offset, line and column."""

    @abstractmethod
    def code_spans(self, text: str) -> list[CodeSpan]:
        """Every code block and inline code span."""

    @abstractmethod
    def headings(self, text: str) -> list[Heading]:
        """Every section heading (the PDF report groups claims under them)."""

    @abstractmethod
    def annotations(self, text: str) -> list[Annotation]:
        """Every ``<!-- mathlint: VERB ARGUMENT -->`` (or the format's own form of it)."""

    def references(self, text: str) -> list[Reference]:
        """Every citation of an equation by its label, in document order (none by default)."""
        return []
