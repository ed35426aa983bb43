"""The output formats of ``mathlint check``, by name: the one registry a new format is added to
(its renderers in a module of this package, and one line of :data:`FORMATS`). The CLI takes its
``--format`` choices, default and dispatch from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Result

    Files = list[tuple[str, Result]]


@dataclass(frozen=True)
class OutputFormat:
    #: ``"module:function"`` in this package, ``(files, seed) -> str``: one document for every file
    #: checked (imported when used: a run loads only its own format's renderer)
    renderer: str
    verbosity: bool = False  # its renderers take ``verbosity`` (-q / -v); the others ignore the flags
    #: how the document is shown when standard output is a terminal (None: written as is)
    on_terminal: Callable[[str], None] | None = None

    def render(self, files: Files, seed: int, verbosity: int = 0) -> str:
        module, _, name = self.renderer.partition(":")
        render = getattr(import_module(module, __package__), name)
        return render(files, seed, **self._options(verbosity))

    def _options(self, verbosity: int) -> dict:
        return {"verbosity": verbosity} if self.verbosity else {}


def print_colored(text: str) -> None:
    """The text report with verdicts and rule codes coloured (only ever called on a TTY)."""
    from rich.console import Console
    from rich.highlighter import RegexHighlighter
    from rich.theme import Theme

    class _Verdicts(RegexHighlighter):
        base_style = "ml."
        highlights = [r"(?P<refuted>\brefuted\b)", r"(?P<proved>\bproved\b)", r"(?P<consistent>\bconsistent\b)",
                      r"(?P<assume>\bneeds-assumption\b)", r"(?P<other>\b(unparsed|timeout|unchecked)\b)",
                      r"(?P<rule>\bML\d{3}\b)", r"(?P<where>^[^\s:]+:\d+:)"]

    theme = Theme({"ml.refuted": "bold red", "ml.proved": "green", "ml.consistent": "cyan",
                   "ml.assume": "yellow", "ml.other": "magenta", "ml.rule": "bold", "ml.where": "dim"})
    console = Console(highlighter=_Verdicts(), theme=theme, soft_wrap=True)
    for line in text.splitlines():
        console.print(line, markup=False)


#: in the order ``--help`` lists them; the first is the default
FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat(".text:render_text_many", verbosity=True, on_terminal=print_colored),
    "json": OutputFormat(".text:render_json_many"),
    "sarif": OutputFormat(".machine:render_sarif_many"),
    "junit": OutputFormat(".machine:render_junit_many"),
    "github": OutputFormat(".machine:render_github_many"),
}
DEFAULT_FORMAT = "text"
