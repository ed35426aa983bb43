"""Equation labels and the citations of them, as each publishing format writes them: one entry of
:data:`SYNTAXES` per syntax, saying where its label is written (inside the math, after the closing
``$$``, on the line after the display, as a directive's option) and how a citation of it is written.

A label is never math: the Markdown reader strips it before the math is read (inside the math it
is blanked to spaces, so that every other position of the span is unchanged) and keeps it as
:attr:`~mathlint.model.MathSpan.label`. The citations become
:class:`~mathlint.sources.base.Reference`\\ s, which the claims are linked through and which
:mod:`mathlint.findings.references` reports when they cite no equation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .base import Reference

#: a label's characters: no spaces, braces, parentheses or backticks; it ends in a word character
#: (``@eq-x.`` at the end of a sentence cites ``eq-x``)
_NAME = r"[\w:.\-/]*\w"


class Where(StrEnum):
    """Where a syntax writes an equation's label."""

    INSIDE = "inside"  # in the math itself: ``\\label{x}``, bookdown's ``(\\#eq:x)``
    AFTER = "after"  # after the closing ``$$`` on its line: Quarto's ``{#eq-x}``, MyST's ``(x)``
    NEXT_LINE = "next-line"  # alone on the line after the display (blank lines between allowed): d2l's ``:eqlabel:`x```
    OPTION = "option"  # an option of a math directive: MyST's ```` ```{math} ```` with ``:label: x``


@dataclass(frozen=True)
class Cite:
    """How a citation is written (group ``label``); ``equations_only``: the syntax cites
    equations and nothing else, so a label no equation has is a dangling reference (LaTeX's
    ``\\ref`` also cites figures and sections)."""

    syntax: str  # :attr:`Reference.syntax`
    pattern: re.Pattern
    written: str  # how a message shows it: ``@{}``, the label in place of ``{}``
    equations_only: bool = True


@dataclass(frozen=True)
class Syntax:
    where: Where
    label: re.Pattern  # the label as written there (group ``label``)
    cites: tuple[Cite, ...]


def _re(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(pattern.replace("NAME", _NAME), flags)


SYNTAXES: dict[str, Syntax] = {
    "quarto": Syntax(Where.AFTER, _re(r"\{#(?P<label>eq-NAME)\}"),
                     (Cite("quarto", _re(r"(?<![\w.@`])@(?P<label>eq-NAME)"), "@{}"),)),
    "myst": Syntax(Where.AFTER, _re(r"\((?P<label>NAME)\)"),
                   (Cite("myst", _re(r"\{eq\}`(?P<label>[^`\s<>]+)`"), "{{eq}}`{}`"),)),
    "myst-directive": Syntax(Where.OPTION, _re(r"^[ \t]*:label:[ \t]*(?P<label>\S+)[ \t]*$", re.M), ()),
    "bookdown": Syntax(Where.INSIDE, _re(r"\(\\#(?P<label>eq:NAME)\)"),
                       (Cite("bookdown", _re(r"\\@ref\((?P<label>eq:NAME)\)"), "\\@ref({})"),)),
    "latex": Syntax(Where.INSIDE, _re(r"\\label\{(?P<label>[^{}\s]+)\}"),
                    (Cite("eqref", _re(r"\\eqref\{(?P<label>[^{}\s]+)\}"), "\\eqref{{{}}}"),
                     Cite("ref", _re(r"\\(?:[cC]ref|autoref|ref)\{(?P<label>[^{}\s,]+)\}"), "\\ref{{{}}}",
                          equations_only=False))),
    "d2l": Syntax(Where.NEXT_LINE, _re(r"\A[ \t>]*:eqlabel:`(?P<label>[^`\s]+)`[ \t]*$"),
                  (Cite("d2l", _re(r":eqref:`(?P<label>[^`\s]+)`"), ":eqref:`{}`"),)),
    # d2l also writes it after the closing ``$$`` on the same line (gp-priors.md)
    "d2l-same-line": Syntax(Where.AFTER, _re(r":eqlabel:`(?P<label>[^`\s]+)`"), ()),
}

CITES: dict[str, Cite] = {c.syntax: c for s in SYNTAXES.values() for c in s.cites}
#: a role's argument in backticks (``:eqref:`x```, ``{eq}`x```, ``:numref:`x```): markup, not code
ROLE_BEFORE = re.compile(r"(?::[\w-]+:|\{[\w-]+\})$")


def equations_only(syntax: str) -> bool:
    """Whether a citation written in ``syntax`` cites equations only (unknown syntaxes: yes)."""
    cite = CITES.get(syntax)
    return cite is None or cite.equations_only


def written(ref: Reference) -> str:
    """The citation as its syntax writes it (``\\eqref{eq:a}``), for messages."""
    cite = CITES.get(ref.syntax)
    return cite.written.format(ref.label) if cite else ref.label


def of(where: Where) -> list[tuple[str, Syntax]]:
    return [(name, s) for name, s in SYNTAXES.items() if s.where == where]


def strip_inside(latex: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``latex`` with every label written inside it blanked to spaces (same length: positions in
    the span are unchanged), and (position, label, syntax) of each, in order."""
    matches = [(m, name) for name, syntax in of(Where.INSIDE) for m in syntax.label.finditer(latex)]
    if not matches:
        return latex, []
    chars = list(latex)
    for m, _ in matches:
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars), sorted((m.start(), m.group("label"), name) for m, name in matches)


def after_close(row: str) -> tuple[int, str, str] | None:
    """(where the closing ``$$`` starts, label, syntax) when ``row`` ends in ``$$`` followed by
    a label written after it (``… $$ {#eq-x}``, ``$$ (x)``); None otherwise."""
    for name, syntax in of(Where.AFTER):
        m = re.search(r"\$\$[ \t]*(?:" + syntax.label.pattern + r")[ \t]*$", row)
        if m:
            return m.start(), m.group("label"), name
    return None


def next_line(row: str) -> tuple[str, str] | None:
    """(label, syntax) when ``row`` is a label written alone on the line after a display."""
    for name, syntax in of(Where.NEXT_LINE):
        m = syntax.label.search(row)
        if m:
            return m.group("label"), name
    return None


def option_label(body: str) -> tuple[str, str, int, int] | None:
    """(label, syntax, start, end) of the label option of a math directive's ``body``."""
    for name, syntax in of(Where.OPTION):
        m = syntax.label.search(body)
        if m:
            return m.group("label"), name, m.start(), m.end()
    return None


def citations(text: str, line_col) -> list[Reference]:
    """Every citation written in ``text``, in order; ``line_col`` maps an offset to (line, column)."""
    found = []
    for cite in CITES.values():
        for m in cite.pattern.finditer(text):
            line, col = line_col(m.start())
            found.append((m.start(), Reference(line, col, m.group("label"), cite.syntax)))
    return [r for _, r in sorted(found, key=lambda x: x[0])]
