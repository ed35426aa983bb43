"""The input formats mathlint reads, by name and file suffix: the one registry a new format is
added to (its :class:`~mathlint.sources.base.Source` in a module of this package, and one line
here). Folder discovery, the CLI and every stage that reads a post pick the source here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..runtime.memo import cached
from .base import Source


@dataclass(frozen=True)
class InputFormat:
    title: str  # in messages: "no Markdown files (*.md, *.markdown) in this folder"
    suffixes: tuple[str, ...]  # lower case, with the dot; what folder discovery picks up
    #: ``module:Class`` in this package, imported when first used: a file answered from the
    #: cache never imports a format's parser
    source: str

    def load(self) -> Source:
        return _instance(self.source)


INPUT_FORMATS: dict[str, InputFormat] = {
    "markdown": InputFormat("Markdown", (".md", ".markdown"), ".markdown:MarkdownSource"),
}
#: the format of a file named explicitly whose suffix no format claims (``post.txt``)
DEFAULT_FORMAT = "markdown"
#: every suffix folder discovery picks up, in registry order
SUFFIXES: tuple[str, ...] = tuple(s for f in INPUT_FORMATS.values() for s in f.suffixes)


def format_of(path: str | os.PathLike | None) -> str:
    """The name of the format of ``path`` by its suffix (case ignored); the default for none."""
    suffix = Path(path).suffix.lower() if path is not None else ""
    return next((name for name, f in INPUT_FORMATS.items() if suffix in f.suffixes), DEFAULT_FORMAT)


def source_for(path: str | os.PathLike | None = None) -> Source:
    """The source that reads ``path`` (the default format's without a path: text given directly)."""
    return INPUT_FORMATS[format_of(path)].load()


def described() -> tuple[str, str]:
    """("Markdown", "*.md, *.markdown"): the formats' titles and patterns, for messages."""
    titles = " or ".join(f.title for f in INPUT_FORMATS.values())
    return titles, ", ".join(f"*{s}" for s in SUFFIXES)


@cached("input-sources", maxsize=None)
def _instance(spec: str) -> Source:
    module, _, name = spec.partition(":")
    return getattr(import_module(module, __package__), name)()
