"""What every input format gives the pipeline: the math, code, headings and annotations of a
file's text, each with its position. The stages above ask a :class:`Source` (picked for the file
by :func:`mathlint.sources.formats.source_for`) and never parse a format themselves, so that a new
format (a notebook, a LaTeX document) is one module and one line of
:data:`mathlint.sources.formats.INPUT_FORMATS`."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..model import Annotation, Location, MathSpan


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


class Label(NamedTuple):
    """An equation's label where it is written (one span may hold several: an ``align`` with a
    ``\\label`` on each row)."""

    line: int
    label: str


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

    def labels(self, text: str) -> list[Label]:
        """Every equation label, in document order: by default each labelled span's, at its line."""
        return [Label(s.line, s.label) for s in self.math_spans(text) if s.label]

    def at(self, path: str | os.PathLike) -> Source:
        """This format's source for the file at ``path`` (the default: this one). A format that
        reads other files beside it (LaTeX's ``\\input``) binds the file's folder here."""
        return self

    def inputs(self, text: str) -> tuple[str, ...]:
        """The texts of the other files reading ``text`` follows (none by default): part of the
        file's cache key, so that a changed included file is checked again."""
        return ()

    def included(self, text: str) -> tuple[Path, ...]:
        """The resolved paths of the files reading ``text`` follows (none by default)."""
        return ()

    def locate(self, text: str, line: int) -> Location:
        """Where the user reads ``line`` of the checked text: the line itself in a line-based
        format (a notebook names its cell and the line in it)."""
        return Location(line, line)

    def positions(self, text: str, lines: Iterable[int]) -> dict[int, Location] | None:
        """:meth:`locate` of each of ``lines`` where the format's lines are not the file's own;
        None (the default) when every line is the file's."""
        return None

    def naming(self, text: str) -> Callable[[int], Location] | None:
        """How a message names a line of ``text`` (:func:`mathlint.model.line_words`): None (the
        default) when every line is the file's own, else :meth:`locate` on ``text``."""
        return None

    def check_readable(self, text: str) -> None:
        """Raise ``ValueError`` with a one-line reason when ``text`` is not a file of this format
        (a broken notebook); called when the file is read, so that the user gets that line."""
        return None
