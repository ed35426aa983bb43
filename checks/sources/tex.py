r"""LaTeX documents (``.tex``): the math, code, headings, annotations and references of a document,
read with pylatexenc's walker (the document's structure is never guessed with patterns).

Math comes from ``$…$``, ``\(…\)``, ``\[…\]``, ``$$…$$`` and the display environments of
:data:`MATH_ENVIRONMENTS` (delimiter ``\begin``, as the Markdown reader's amsmath spans: the
reader splits rows at ``\\`` and drops ``&`` and nested ``split``/``aligned`` the same way), so
the same math gives the same claims in both formats.
Inside math, comments are dropped and ``\label{…}`` becomes the span's label (their newlines are
kept, so every row keeps its line); the document's macros are expanded (:mod:`.texmacros`).
``\input``/``\include`` are followed inside the checked file's folder only. The checked text's lines
are then the document's as LaTeX reads it: an included file's lines come right after its ``\input``
line, and the lines after it follow them (:attr:`Parsed.segments`); :meth:`TexSource.locate` turns
such a line back into the file and its own line (see docs/formats/tex.md).
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pylatexenc import latexwalker as lw
from pylatexenc import macrospec

from ..model import Annotation, Location, MathSpan
from .base import CodeSpan, Heading, Reference, Source
from .texmacros import DEFINERS, Expander, Macro, MacroError, read_definition

#: display environments read as one span each (starred forms too), delimiter ``\begin`` as Markdown's
MATH_ENVIRONMENTS = frozenset({"equation", "align", "gather", "multline", "eqnarray", "flalign"})
#: environments whose contents are a span with the delimiter of the same math in Markdown
BARE_MATH = {"displaymath": ("display", "\\["), "math": ("inline", "\\(")}
#: ``$…$`` and friends: the delimiter's opening and closing text → kind
DELIMITERS = {"$": "inline", "\\(": "inline", "$$": "display", "\\[": "display"}
CODE_ENVIRONMENTS = ("verbatim", "lstlisting", "minted", "Verbatim")
#: sectioning commands, outermost first; the document's outermost one used is level 1
SECTIONS = ("part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph")
#: commands that cite a label → the syntax name a :class:`Reference` carries
REFERENCES = {"eqref": "eqref", "ref": "ref", "cref": "ref", "Cref": "ref", "autoref": "ref"}
INCLUDES = ("input", "include")
#: ``\input`` nesting followed (a file that inputs itself stops at once: cycles are refused)
MAX_INCLUDE_DEPTH = 8
#: a document reads at most this many included files, and this many characters of them in all: one file
#: included many times at every depth would otherwise be read a number of times exponential in the depth
MAX_INCLUDES = 256
MAX_INCLUDED_CHARS = 20 * 1024 * 1024
#: suffixes an included file may have (nothing else of the folder is read into a report)
INCLUDE_SUFFIXES = (".tex", ".latex")
#: characters of prose kept on each side of a span (as the Markdown reader keeps)
CONTEXT_CHARS = 300
_ANNOTATION = re.compile(r"\s*mathlint:\s*([A-Za-z-]+)\s*(.*?)\s*$")
#: where prose stops speaking for the next span: a blank line, a heading, an environment's edge
_PARAGRAPH = re.compile(r"\n[ \t]*\n|\\(?:part|chapter|(?:sub)*section|(?:sub)?paragraph)\b\*?(?:\[[^\]]*\])?"
                        r"(?:\{[^{}]*\})?|\\item\b|\\(?:begin|end)\s*\{[^{}]*\}")


class _VerbatimEnvironment(macrospec.VerbatimArgsParser):
    """pylatexenc reads only ``verbatim`` verbatim: the same for a listing up to its own ``\\end``."""

    def __init__(self, name: str):
        super().__init__(verbatim_arg_type="verbatim-environment")
        self.name = name

    def parse_args(self, w, pos, parsing_state=None):
        end = w.s.find("\\end{%s}" % self.name, pos)
        end = len(w.s) if end < 0 else end
        node = w.make_node(lw.LatexCharsNode, parsing_state=parsing_state, chars=w.s[pos:end], pos=pos, len=end - pos)
        return macrospec.ParsedVerbatimArgs(verbatim_chars_node=node), pos, end - pos


def _context_db():
    db = lw.get_default_latex_context_db()
    verbatim = [macrospec.EnvironmentSpec(n, args_parser=_VerbatimEnvironment(n)) for n in CODE_ENVIRONMENTS]
    macros = [macrospec.MacroSpec("autoref", "{"), macrospec.MacroSpec("Cref", "{")]
    db.add_context_category("mathlint", macros=macros, environments=verbatim, prepend=True)
    return db


_DB = _context_db()


class _Lines:
    """1-based (line, column) of offsets of one text."""

    def __init__(self, text: str):
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def at(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.starts, offset) - 1
        return k + 1, offset - self.starts[k] + 1


@dataclass
class Parsed:
    """Everything read from one document (and the files it includes), in document order."""

    spans: list[MathSpan] = field(default_factory=list)
    codes: list[CodeSpan] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # the texts of the included files read
    included: list[Path] = field(default_factory=list)  # their resolved paths
    #: (first line of the checked text, file relative to the checked file's folder or None for the
    #: checked file itself, that file's line there): where each stretch of lines comes from
    segments: list[tuple[int, str | None, int]] = field(default_factory=lambda: [(1, None, 1)])

    def where(self, line: int) -> tuple[str | None, int]:
        """The file (None: the checked one) and its own line of the checked text's ``line``."""
        k = bisect.bisect_right([first for first, _, _ in self.segments], line) - 1  # the last of equal firsts
        first, name, own = self.segments[max(k, 0)]
        return name, own + line - first


def _nodes_in(node) -> list:
    """The child nodes of ``node``: its contents and its arguments."""
    out = list(getattr(node, "nodelist", None) or [])
    args = getattr(node, "nodeargd", None)
    if args is not None:
        out += [a for a in (getattr(args, "argnlist", None) or []) if a is not None]
    return out


def _arg_text(text: str, node) -> str:
    """The text of a macro's last argument (``\\section*[short]{Title}`` → ``Title``)."""
    args = [a for a in (getattr(node.nodeargd, "argnlist", None) or []) if a is not None] if node.nodeargd else []
    if not args:
        return ""
    last = args[-1]
    raw = text[last.pos:last.pos + last.len]
    return raw[1:-1] if raw.startswith("{") and raw.endswith("}") else raw


class _Reader:
    """One walk over a document's nodes; included files are read by nested readers that share
    the macros (definitions hold from where they are made on) and the output."""

    def __init__(self, text: str, root: Path | None, out: Parsed, macros: dict[str, Macro],
                 stack: tuple[Path, ...] = (), base: int = 0):
        self.text, self.root, self.out, self.macros, self.stack = text, root, out, macros, stack
        self.base = base  # the checked text's line before this file's first
        self.shifts: list[tuple[int, int]] = []  # (own line of an \input, the lines it brought in)
        self.lines = _Lines(text)
        self.prose = text
        self.pending: list[tuple[int, int, int, str]] = []  # (index in out.spans, start, end, kind)
        self.comments: list[tuple[int, int]] = []

    # -- the walk ---------------------------------------------------------------------------
    def read(self) -> None:
        try:
            nodes, _, _ = lw.LatexWalker(self.text, latex_context=_DB, tolerant_parsing=True).get_latex_nodes()
            self.walk(nodes)
        except RecursionError:
            self.whole_file("not read: the document nests groups more deeply than mathlint follows")
        except Exception as exc:  # pylatexenc on input it does not foresee: a note, never a traceback
            self.whole_file(f"not read: pylatexenc cannot read this LaTeX ({type(exc).__name__}: {exc})")
        self.fill_context()

    def walk(self, nodes) -> None:
        skip_to = -1
        for node in nodes:
            if node is None or node.pos < skip_to:
                continue
            handler = _HANDLERS.get(type(node))
            end = handler(self, node) if handler else None
            if end is not None:
                skip_to = end
            elif not isinstance(node, (lw.LatexMathNode, lw.LatexEnvironmentNode)):
                self.walk(_nodes_in(node))

    def on_comment(self, node) -> None:
        self.comments.append((node.pos, node.pos + node.len))
        m = _ANNOTATION.fullmatch(node.comment or "")
        if not m:
            return
        line, column = self.position(node.pos)
        trailing = self.text[node.pos - column + 1:node.pos].strip() != ""
        verb = m.group(1).lower()
        # ``a = b % mathlint: ignore``: an ignore silences the next line, so a trailing one is
        # placed on the line before its own (it then speaks for the line it ends)
        self.out.annotations.append(Annotation(line - (trailing and verb == "ignore"), verb, m.group(2)))

    def on_environment(self, node) -> None:
        name = node.environmentname
        if name.rstrip("*") in MATH_ENVIRONMENTS or name in BARE_MATH:
            kind, delimiter = BARE_MATH.get(name, ("display", "\\begin"))
            # the contents without ``\begin{…}``/``\end{…}`` (which the reader drops anyway), so
            # that the first row is reported at its own line
            start, end = node.pos, node.pos + node.len
            opening, closing = "\\begin{%s}" % name, "\\end{%s}" % name
            start += len(opening) if self.text.startswith(opening, start) else 0
            end -= len(closing) if self.text.endswith(closing, start, end) else 0
            self.math(node, start, end, kind, delimiter, span_range=(node.pos, node.pos + node.len))
        elif name in CODE_ENVIRONMENTS:
            self.code(node)
        else:
            self.walk(node.nodelist or [])

    def on_math(self, node) -> None:
        opening, closing = node.delimiters
        start, end = node.pos + len(opening), node.pos + node.len
        if self.text.endswith(closing, 0, end) and end - len(closing) >= start:
            end -= len(closing)
        self.math(node, start, end, DELIMITERS.get(opening, "inline"), opening,
                  span_range=(node.pos, node.pos + node.len))

    def on_macro(self, node) -> int | None:
        name = node.macroname
        if name in DEFINERS:
            return self.define(node)
        if name in REFERENCES:
            line, column = self.position(node.pos)
            for label in _arg_text(self.text, node).split(","):
                if label.strip():
                    self.out.references.append(Reference(line, column, label.strip(), REFERENCES[name]))
        elif name in INCLUDES:
            self.include(node, _arg_text(self.text, node).strip())
        elif name in SECTIONS:
            title = " ".join(_arg_text(self.text, node).split())
            self.out.headings.append(Heading(self.position(node.pos)[0], SECTIONS.index(name), title))
        return None

    # -- math --------------------------------------------------------------------------------
    def math(self, node, start: int, end: int, kind: str, delimiter: str,
             span_range: tuple[int, int] | None = None) -> None:
        """A span of ``text[start:end]``: comments and labels cut, macros expanded."""
        cuts, labels = [], []
        self._cuts(_nodes_in(node), cuts, labels)
        pieces, last = [], start
        for lo, hi in sorted(cuts):
            if lo < last:
                continue
            pieces += [self.text[last:lo], "\n" * self.text.count("\n", lo, hi)]
            last = hi
        raw = "".join(pieces) + self.text[last:end]
        unread = None
        try:
            latex = Expander(self.macros).expand(raw)
        except MacroError as exc:
            latex, unread = raw, f"not read: {exc}"
        lead = len(latex) - len(latex.lstrip())
        line, column = self.position(start)
        newlines = latex.count("\n", 0, lead)
        if newlines:
            line, column = line + newlines, lead - latex.rfind("\n", 0, lead)
        else:
            column += lead
        offset = start + lead
        span = MathSpan(latex=latex, kind=kind, delimiter=delimiter, offset=offset, line=line, column=column,
                        label=labels[0] if labels else None, unread=unread)
        lo, hi = span_range or (start, end)
        self.pending.append((len(self.out.spans), lo, hi, kind))
        self.out.spans.append(span)

    def _cuts(self, nodes, cuts: list[tuple[int, int]], labels: list[str]) -> None:
        for n in nodes:
            if isinstance(n, lw.LatexCommentNode):
                cuts.append((n.pos, n.pos + n.len))
            elif isinstance(n, lw.LatexMacroNode) and n.macroname == "label":
                cuts.append((n.pos, n.pos + n.len))
                labels.append(_arg_text(self.text, n).strip())
            elif isinstance(n, lw.LatexMacroNode) and n.macroname in REFERENCES:
                self.on_macro(n)
                self._cuts(_nodes_in(n), cuts, labels)
            else:
                self._cuts(_nodes_in(n), cuts, labels)

    def fill_context(self) -> None:
        """Each span's prose before and after (comments blanked), as the claims stage reads it."""
        if not self.pending:
            return
        chars = list(self.text)
        for lo, hi in self.comments:
            for k in range(lo, min(hi, len(chars))):
                if chars[k] != "\n":
                    chars[k] = " "
        prose = "".join(chars).replace("~", " ")
        for index, lo, hi, kind in self.pending:
            before = prose[max(0, lo - CONTEXT_CHARS):lo]
            before = _PARAGRAPH.split(before.rstrip() if kind == "display" else before)[-1]
            after = prose[hi:hi + CONTEXT_CHARS]
            after = _PARAGRAPH.split(after.lstrip() if kind == "display" else after)[0]
            self.out.spans[index] = replace(self.out.spans[index], before=before, after=after)

    # -- definitions, includes, code ----------------------------------------------------------
    def define(self, node) -> int | None:
        got = read_definition(self.text, node.pos + 1 + len(node.macroname), node.macroname)
        if got is None:
            return None
        macro, end = got
        if DEFINERS[node.macroname] or macro.name not in self.macros:
            self.macros[macro.name] = macro
        return end

    def include(self, node, name: str) -> None:
        line, column = self.position(node.pos)
        path, why = self.resolve(name, node.macroname == "include")
        if path is not None:
            from .files import InputError, read_source

            try:
                text = read_source(path) if self.within_bounds() else None
            except InputError as exc:
                why, text = str(exc), None
            if text is None and not why:
                why = (f"the document's includes pass {MAX_INCLUDES} files or {MAX_INCLUDED_CHARS} characters: "
                       "not followed")
            if text is not None:
                # its lines come right after the ``\input``'s line, and this file's next lines after them
                own = self.lines.at(node.pos)[0]
                line = self.base + own + sum(n for at, n in self.shifts if at <= own)  # after one before on its line
                self.out.inputs.append(text)
                self.out.included.append(path)
                self.out.segments.append((line + 1, path.relative_to(self.root).as_posix(), 1))
                child = _Reader(text, self.root, self.out, self.macros, (*self.stack, path), base=line)
                child.read()
                self.shifts.append((own, child.length()))
                self.out.segments.append((line + child.length() + 1, self.name(), own + 1))
                return
        raw = self.text[node.pos:node.pos + node.len]
        self.out.spans.append(MathSpan(latex=raw, kind="display", delimiter="\\" + node.macroname, offset=node.pos,
                                       line=line, column=column, unread=f"not read: {raw}: {why}"))

    def within_bounds(self) -> bool:
        """Whether another included file may be read (:data:`MAX_INCLUDES`, :data:`MAX_INCLUDED_CHARS`)."""
        return len(self.out.inputs) < MAX_INCLUDES and sum(map(len, self.out.inputs)) < MAX_INCLUDED_CHARS

    def resolve(self, name: str, always_tex: bool) -> tuple[Path | None, str]:
        """The included file, inside the checked file's folder only; else why it is not read."""
        if self.root is None:
            return None, "the checked file's folder is unknown (text given directly)"
        if not name or os.path.isabs(name) or name.startswith("~"):
            return None, "only a path relative to the checked file's folder is followed"
        if len(self.stack) >= MAX_INCLUDE_DEPTH:
            return None, f"includes nested more than {MAX_INCLUDE_DEPTH} deep"
        names = [name + ".tex"] if always_tex or not Path(name).suffix else [name, name + ".tex"]
        for candidate in names:
            target = (self.root / candidate).resolve()
            if not target.is_relative_to(self.root) or \
                    any(part.startswith(".") for part in target.relative_to(self.root).parts):
                return None, "outside the checked file's folder (or hidden): not followed"
            if target.is_file() and target.suffix.lower() in INCLUDE_SUFFIXES:
                if target in self.stack:
                    return None, "the file includes itself (a cycle): not followed"
                return target, ""
        return None, f"no file {names[0]} in the checked file's folder"

    def code(self, node) -> None:
        content = getattr(node.nodeargd, "verbatim_text", None) or ""
        info = ""
        head = re.match(r"\s*(?:\[([^\]\n]*)\]|\{([^}\n]*)\})", content)  # minted's {lang}, listings' [language=…]
        if head:
            found = re.search(r"language\s*=\s*([\w+#-]+)", head.group(1) or "")
            info = (head.group(2) or (found.group(1) if found else "")).strip().lower()
            content = content[head.end():]
        first = node.pos + len("\\begin{%s}" % node.environmentname) + (head.end() if head else 0)
        if content.startswith("\n"):
            first, content = first + 1, content[1:]
        self.out.codes.append(CodeSpan("fence", info, content, self.position(first)[0]))

    # -- positions ----------------------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        """The checked text's (line, column) of this file's ``offset``: its own line moved past
        the lines the ``\\input``s before it brought in."""
        own, column = self.lines.at(offset)
        return self.base + own + sum(n for at, n in self.shifts if at < own), column

    def length(self) -> int:
        """The checked text's lines this file takes, with the files it includes."""
        return len(self.lines.starts) + sum(n for _, n in self.shifts)

    def name(self) -> str | None:
        """This file's path relative to the checked file's folder (None: the checked file)."""
        return self.stack[-1].relative_to(self.root).as_posix() if self.stack else None

    def whole_file(self, reason: str) -> None:
        line, column = self.position(0)
        self.out.spans.append(MathSpan(latex=self.text[:60], kind="display", delimiter="", offset=0, line=line,
                                       column=column, unread=reason))


_HANDLERS = {
    lw.LatexCommentNode: _Reader.on_comment,
    lw.LatexEnvironmentNode: _Reader.on_environment,
    lw.LatexMathNode: _Reader.on_math,
    lw.LatexMacroNode: _Reader.on_macro,
}


def _levels(headings: list[Heading]) -> list[Heading]:
    """The outermost sectioning command the document uses is level 1 (a paper's ``\\section``)."""
    top = min((h.level for h in headings), default=0)
    return [h._replace(level=h.level - top + 1) for h in headings]


def parse(text: str, root: Path | None = None) -> Parsed:
    """Everything mathlint reads in the LaTeX ``text``, following includes under ``root``."""
    out = Parsed()
    _Reader(text, root, out, {}).read()
    out.headings = _levels(out.headings)
    return out


class TexSource(Source):
    """A LaTeX document; bound to its file (:meth:`at`) it follows ``\\input`` in that folder."""

    def __init__(self, root: Path | None = None, path: str | os.PathLike | None = None):
        self.root, self.path = root, path  # the checked file's folder, and its path as the user gave it
        self._last: tuple[str, Parsed] | None = None  # the text parsed last: one parse for all readers

    def at(self, path: str | os.PathLike) -> TexSource:
        return TexSource(Path(path).resolve().parent, path)

    def parsed(self, text: str) -> Parsed:
        if self._last is None or self._last[0] != text:
            self._last = (text, parse(text, self.root))
        return self._last[1]

    def math_spans(self, text: str) -> list[MathSpan]:
        return list(self.parsed(text).spans)

    def code_spans(self, text: str) -> list[CodeSpan]:
        return list(self.parsed(text).codes)

    def headings(self, text: str) -> list[Heading]:
        return list(self.parsed(text).headings)

    def annotations(self, text: str) -> list[Annotation]:
        return list(self.parsed(text).annotations)

    def references(self, text: str) -> list[Reference]:
        return list(self.parsed(text).references)

    def inputs(self, text: str) -> tuple[str, ...]:
        return tuple(self.parsed(text).inputs)

    def included(self, text: str) -> tuple[Path, ...]:
        """The resolved paths of the files ``text`` includes (directly or not) and that were read."""
        return tuple(self.parsed(text).included)

    def locate(self, text: str, line: int) -> Location:
        """An included file's line at that file's path (beside the checked file, as the user named
        it) and its own line; a line of the checked file at its own line."""
        parsed = self.parsed(text)
        if len(parsed.segments) == 1 or line < 1:
            return Location(line, line)
        name, own = parsed.where(line)
        if name is None:
            return Location(line, own)
        folder = os.path.dirname(os.fspath(self.path)) if self.path is not None else ""
        return Location(line, own, file=os.path.join(folder, name) if folder else name)

    def positions(self, text: str, lines: Iterable[int]) -> dict[int, Location] | None:
        if len(self.parsed(text).segments) == 1:
            return None
        return {line: self.locate(text, line) for line in set(lines) if line >= 1}

    def naming(self, text: str) -> Callable[[int], Location] | None:
        return None if len(self.parsed(text).segments) == 1 else functools.partial(self.locate, text)
