"""The input formats mathlint reads, by name and file suffix: the one registry a new format is
added to (its :class:`~mathlint.sources.base.Source` in a module of this package, and one line
here). Folder discovery, the CLI and every stage that reads a post pick the source here."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..model import Location
from ..runtime.memo import cached
from .base import Source


@dataclass(frozen=True)
class InputFormat:
    title: str  # in messages: "no Markdown files (*.md, *.markdown) in this folder"
    suffixes: tuple[str, ...]  # lower case, with the dot; what folder discovery picks up
    #: ``module:Class`` in this package, imported when first used: a file answered from the
    #: cache never imports a format's parser
    source: str
    #: the checked text's lines are the file's own (False: a notebook's, located by its source)
    own_lines: bool = True
    #: reading a file may read others beside it (LaTeX's ``\\input``): their texts join its cache key
    includes: bool = False

    def load(self) -> Source:
        return _instance(self.source)


INPUT_FORMATS: dict[str, InputFormat] = {
    "markdown": InputFormat("Markdown", (".md", ".markdown"), ".markdown:MarkdownSource"),
    "quarto": InputFormat("Quarto", (".qmd",), ".markdown:MarkdownSource"),  # the Markdown reader reads
    "rmarkdown": InputFormat("R Markdown", (".rmd",), ".markdown:MarkdownSource"),  # their labels and chunks
    "notebook": InputFormat("Jupyter notebook", (".ipynb",), ".notebook:NotebookSource", own_lines=False),
    "tex": InputFormat("LaTeX", (".tex", ".latex"), ".tex:TexSource", includes=True),
}
#: the format of a file named explicitly whose suffix no format claims (``post.txt``)
DEFAULT_FORMAT = "markdown"
#: every suffix folder discovery picks up, in registry order
SUFFIXES: tuple[str, ...] = tuple(s for f in INPUT_FORMATS.values() for s in f.suffixes)


def format_of(path: str | os.PathLike | None, given: str | None = None) -> str:
    """The name of the format of ``path``: ``given`` (``--format-in``) when set, else by its suffix
    (case ignored); the default for none."""
    if given is not None:
        return checked_format(given)
    suffix = Path(path).suffix.lower() if path is not None else ""
    return next((name for name, f in INPUT_FORMATS.items() if suffix in f.suffixes), DEFAULT_FORMAT)


def checked_format(name: str) -> str:
    """The input format named ``name``, or whose suffix it is (``ipynb``, ``.qmd``, ``latex``);
    ``ValueError`` with a one-line reason naming the formats."""
    if name in INPUT_FORMATS:
        return name
    suffix = "." + name.lower().lstrip(".")
    found = next((n for n, f in INPUT_FORMATS.items() if suffix in f.suffixes or n == name.lower()), None)
    if found is None:
        raise ValueError(f"unknown input format '{name}' (known: {', '.join(INPUT_FORMATS)})")
    return found


def source_for(path: str | os.PathLike | None = None, given: str | None = None) -> Source:
    """The source that reads ``path`` (the default format's without a path: text given directly),
    in the format ``given`` when set."""
    source = INPUT_FORMATS[format_of(path, given)].load()
    return source if path is None else source.at(path)


def positions(path: str | os.PathLike | None, text: str, lines: Iterable[int],
              given: str | None = None) -> dict[int, Location] | None:
    """Where the user reads each of ``lines`` of ``path``'s checked text; None when they are the
    file's own lines (then the format's parser is not even imported: a cached file stays cheap;
    a LaTeX document is parsed only when it includes another file)."""
    fmt = INPUT_FORMATS[format_of(path, given)]
    if fmt.own_lines and not (fmt.includes and _may_include(text)):
        return None
    return source_for(path, given).positions(text, lines)


def _may_include(text: str) -> bool:
    return "\\input" in text or "\\include" in text


def described() -> tuple[str, str]:
    """("Markdown", "*.md, *.markdown"): the formats' titles and patterns, for messages."""
    names = [f.title for f in INPUT_FORMATS.values()]
    titles = " or ".join(filter(None, (", ".join(names[:-1]), names[-1])))
    return titles, ", ".join(f"*{s}" for s in SUFFIXES)


@cached("input-sources", maxsize=None)
def _instance(spec: str) -> Source:
    module, _, name = spec.partition(":")
    return getattr(import_module(module, __package__), name)()
