"""Jupyter notebooks (``.ipynb``), read with nbformat: the math, headings, annotations and
references of the markdown cells (each cell read by the Markdown source on its own, as a
notebook renders it), the code cells as code spans (so that a derivation binds its code), raw
cells and outputs ignored.

The stages read a notebook as one text: its cells in order, each followed by one blank line
(``"\\n\\n".join``), so that a cell's last line is never the line before the next cell's first
(an ``ignore`` annotation never reaches across cells). :meth:`NotebookSource.locate` turns a
line of that text back into the cell, the line within it, and the line of the notebook file
where that source line is written.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..model import Annotation, Location, MathSpan
from ..runtime.memo import cached
from .base import CodeSpan, Heading, Label, Reference, Source
from .markdown import MarkdownSource

#: the language of code cells when the notebook's metadata names none
DEFAULT_LANGUAGE = "python"


@dataclass(frozen=True)
class _Cell:
    number: int  # 1-based, every cell counted (as notebook interfaces count)
    kind: str  # "markdown" | "code" | "raw"
    text: str
    line: int  # the checked text's line of the cell's first line
    offset: int  # the checked text's offset of the cell's first character
    file_lines: tuple[int, ...]  # the notebook file's line of each line of the cell (may be empty)


@dataclass(frozen=True)
class _Notebook:
    cells: tuple[_Cell, ...]
    language: str

    def cell_at(self, line: int) -> _Cell | None:
        """The cell that holds ``line`` (the one before, for a separating blank line)."""
        k = bisect.bisect_right([c.line for c in self.cells], line) - 1
        return self.cells[k] if k >= 0 else None


class NotebookSource(Source):
    """A Jupyter notebook (nbformat 4, older versions converted)."""

    def __init__(self):
        self.markdown = MarkdownSource()

    def check_readable(self, text: str) -> None:
        _notebook(text)

    def math_spans(self, text: str) -> list[MathSpan]:
        return self._each(text, self.markdown.math_spans,
                          lambda s, c: replace(s, line=s.line + c.line - 1, offset=s.offset + c.offset))

    def code_spans(self, text: str) -> list[CodeSpan]:
        nb = _notebook(text)
        return [CodeSpan("fence", nb.language, c.text, c.line) for c in nb.cells if c.kind == "code"]

    def headings(self, text: str) -> list[Heading]:
        return self._each(text, self.markdown.headings, lambda h, c: h._replace(line=h.line + c.line - 1))

    def annotations(self, text: str) -> list[Annotation]:
        return self._each(text, self.markdown.annotations, lambda a, c: replace(a, line=a.line + c.line - 1))

    def references(self, text: str) -> list[Reference]:
        return self._each(text, self.markdown.references, lambda r, c: r._replace(line=r.line + c.line - 1))

    def locate(self, text: str, line: int) -> Location:
        cell = _notebook(text).cell_at(line)
        if cell is None or line < 1:
            return Location(line, line)
        k = min(line - cell.line, cell.text.count("\n"))  # a separating line: the cell's last
        file_line = cell.file_lines[min(k, len(cell.file_lines) - 1)] if cell.file_lines else 1
        return Location(line, file_line, cell.number, k + 1)

    def naming(self, text: str) -> Callable[[int], Location]:
        return functools.partial(self.locate, text)

    def labels(self, text: str) -> list[Label]:
        """Every label of every markdown cell (an ``align``'s one per row), at the checked text's line."""
        return self._each(text, self.markdown.labels, lambda lab, c: lab._replace(line=lab.line + c.line - 1))

    def positions(self, text: str, lines: Iterable[int]) -> dict[int, Location]:
        return {line: self.locate(text, line) for line in set(lines) if line >= 1}

    @staticmethod
    def _each(text: str, read: Callable[[str], list], moved: Callable) -> list:
        """``read`` on every markdown cell's text, each item moved to the cell's place."""
        return [moved(item, c) for c in _notebook(text).cells if c.kind == "markdown" for item in read(c.text)]


@cached("notebook-cells", maxsize=8)
def _notebook(text: str) -> _Notebook:
    """The cells of the notebook ``text`` (its JSON), parsed once for every reader above;
    ``ValueError`` with a one-line reason when it is not a notebook."""
    import nbformat  # only for notebooks

    try:
        with warnings.catch_warnings():  # nbformat warns about missing cell ids and the like
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4, capture_validation_error={})
        raw_cells = nb.get("cells")
        if not isinstance(raw_cells, list):
            raise ValueError("it has no list of cells")
    except Exception as exc:  # nbformat raises what its reading meets: JSON, schema, attribute errors
        raise ValueError(f"not a valid Jupyter notebook ({_reason(exc)})") from None
    positions = _source_positions(text)
    cells, line, offset = [], 1, 0
    for k, cell in enumerate(raw_cells):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(kind, str) or not isinstance(source, str):
            raise ValueError(f"not a valid Jupyter notebook (cell {k + 1} has no cell_type or source)")
        source = source.replace("\r\n", "\n").replace("\r", "\n")
        cells.append(_Cell(k + 1, kind, source, line, offset, positions[k] if k < len(positions) else ()))
        line, offset = line + source.count("\n") + 2, offset + len(source) + 2
    language = _language(nb.get("metadata") or {})
    return _Notebook(tuple(cells), language)


def _reason(exc: Exception) -> str:
    """Why nbformat refused a file, in a few words (never the file's text)."""
    from nbformat.reader import NotJSONError

    if isinstance(exc, NotJSONError):
        return "not JSON"
    if isinstance(exc, (AttributeError, TypeError, KeyError, IndexError)):
        return "its JSON is not laid out as a notebook"
    if isinstance(exc, RecursionError):
        return "its JSON is nested too deeply"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first[:160]


def _language(metadata: dict) -> str:
    for key in ("kernelspec", "language_info"):
        entry = metadata.get(key)
        value = entry.get("language" if key == "kernelspec" else "name") if isinstance(entry, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return DEFAULT_LANGUAGE


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


class _Unexpected(Exception):
    """The JSON is not laid out as an nbformat 4 notebook: no file lines (cells still read)."""


def _source_positions(text: str) -> list[tuple[int, ...]]:
    """For each cell of the notebook JSON ``text``, the file line of each line of its source:
    where its ``source`` list's element holding that line starts (a source written as one string
    is on one line of the file). Top-level values other than ``cells`` and cell keys other than
    ``source`` are skipped by the C decoder; empty lists when the layout is not nbformat 4's."""
    newlines = [m.start() for m in re.finditer("\n", text)]

    def file_line(offset: int) -> int:
        return bisect.bisect_left(newlines, offset) + 1

    try:
        return _Scan(text, file_line).notebook()
    except (_Unexpected, ValueError, IndexError, RecursionError):
        return []


class _Scan:
    """A scanner of the few JSON paths that carry positions (``cells[k].source``); flat, so
    that no nesting of the user's JSON can exhaust the stack."""

    def __init__(self, text: str, file_line: Callable[[int], int]):
        self.text, self.file_line, self.pos = text, file_line, 0

    def space(self) -> str:
        self.pos = _SPACE.match(self.text, self.pos).end()
        return self.text[self.pos:self.pos + 1]

    def expect(self, char: str) -> None:
        if self.space() != char:
            raise _Unexpected(char)
        self.pos += 1

    def skip(self) -> object:
        value, self.pos = _DECODER.raw_decode(self.text, _SPACE.match(self.text, self.pos).end())
        return value

    def members(self):
        """Each key of the object at the position; the caller reads or skips its value."""
        self.expect("{")
        if self.space() == "}":
            self.pos += 1
            return
        while True:
            key = self.skip()
            self.expect(":")
            yield key
            if self.space() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return

    def items(self):
        self.expect("[")
        if self.space() == "]":
            self.pos += 1
            return
        while True:
            yield
            if self.space() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return

    def notebook(self) -> list[tuple[int, ...]]:
        cells: list[tuple[int, ...]] = []
        for key in self.members():
            if key == "cells":
                cells = [self.cell() for _ in self.items()]
            else:
                self.skip()
        return cells

    def cell(self) -> tuple[int, ...]:
        lines: tuple[int, ...] = ()
        for key in self.members():
            if key == "source":
                lines = self.source()
            else:
                self.skip()
        return lines

    def source(self) -> tuple[int, ...]:
        """The file line of each line of a source (a string or a list of strings)."""
        if self.space() != "[":
            at = self.pos  # the string's opening quote
            value = self.skip()
            return (self.file_line(at),) * (value.count("\n") + 1) if isinstance(value, str) else ()
        out: list[int] = []
        starts = True  # the next element begins a line of the source
        for _ in self.items():
            self.space()
            at = self.pos
            piece = self.skip()
            if not isinstance(piece, str) or not piece:
                continue
            piece = piece.replace("\r\n", "\n").replace("\r", "\n")
            ends = piece.endswith("\n")
            out += [self.file_line(at)] * (starts + piece.count("\n") - ends)
            starts = ends
        return tuple(out)
