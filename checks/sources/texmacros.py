r"""Macros a LaTeX document defines (``\newcommand``, ``\renewcommand``, ``\providecommand``,
``\def``, ``\DeclareMathOperator``), read from the document's own text and expanded in its math.

A post is untrusted: expansion is bounded in depth (a macro that calls itself) and in output
size (a macro that doubles at each level), and either bound raises :class:`MacroError`, which
the TeX source turns into an unparsed span that says why. Expansion keeps the number of
newlines of the text it replaces, so the rows of an expanded ``align`` keep their lines.
"""

from __future__ import annotations

from dataclasses import dataclass

#: nested expansions of one macro call before it is taken for a macro that never ends
MAX_DEPTH = 32
#: characters an expanded span may have (the reader reads at most 20 000 of one span)
MAX_OUTPUT = 40_000
#: macro calls one span may expand (``\\def\\a{\\b\\b}`` over 30 levels calls 2^30 empty macros)
MAX_CALLS = 20_000
#: the definition commands read here, and whether each overrides an earlier definition
DEFINERS: dict[str, bool] = {"newcommand": True, "renewcommand": True, "providecommand": False, "def": True,
                             "gdef": True, "edef": True, "DeclareMathOperator": True}


class MacroError(Exception):
    """An expansion that does not end or grows past its bound; ``str(err)`` says which macro."""


@dataclass(frozen=True)
class Macro:
    name: str  # without the backslash
    body: str
    nargs: int = 0
    default: str | None = None  # the optional first argument's default (``\newcommand\f[2][x]{…}``)


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _group(text: str, i: int, open_: str = "{", close: str = "}") -> tuple[str, int] | None:
    """The contents of the balanced group opening at ``text[i]`` and the offset after it."""
    if i >= len(text) or text[i] != open_:
        return None
    depth, j = 0, i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return text[i + 1:j], j + 1
        j += 1
    return None


def _token(text: str, i: int) -> tuple[str, int] | None:
    """One argument at ``i``: a braced group's contents, a control sequence or one character."""
    i = _skip_space(text, i)
    if i >= len(text):
        return None
    if text[i] == "{":
        return _group(text, i)
    if text[i] == "\\":
        j = i + 1
        while j < len(text) and text[j].isalpha():
            j += 1
        return text[i:max(j, i + 2)], max(j, i + 2)
    return text[i], i + 1


def _name(text: str, i: int) -> tuple[str, int] | None:
    """A macro's name at ``i``: ``\\foo`` or ``{\\foo}``; without its backslash."""
    got = _token(text, i)
    if got is None:
        return None
    name = got[0].strip()
    if not name.startswith("\\") or len(name) < 2:
        return None
    return name[1:], got[1]


def read_definition(text: str, start: int, command: str) -> tuple[Macro, int] | None:
    """The macro defined by ``\\command`` whose arguments start at ``text[start]`` (just after
    the command's name) and the offset after the definition; None for a form not read here."""
    i = start
    if command == "DeclareMathOperator":
        star = text.startswith("*", i)
        named = _name(text, i + star)
        body = named and _group(text, _skip_space(text, named[1]))
        if not named or not body:
            return None
        return Macro(named[0], "\\operatorname%s{%s}" % ("*" if star else "", body[0])), body[1]
    if command.endswith("def"):
        named = _name(text, i)
        if not named:
            return None
        j, nargs = named[1], 0
        while text.startswith(f"#{nargs + 1}", j):  # \def\f#1#2{…}: delimited forms are not read
            nargs, j = nargs + 1, j + 2
        body = _group(text, j)
        return (Macro(named[0], body[0], nargs), body[1]) if body else None
    i = _skip_space(text, i + text.startswith("*", i))
    named = _name(text, i)
    if not named:
        return None
    j, nargs, default = _skip_space(text, named[1]), 0, None
    count = _group(text, j, "[", "]")
    if count:
        if not count[0].strip().isdigit():
            return None
        nargs, j = min(int(count[0]), 9), _skip_space(text, count[1])
        opt = _group(text, j, "[", "]")
        if opt:
            default, j = opt[0], _skip_space(text, opt[1])
    body = _group(text, j)
    return (Macro(named[0], body[0], nargs, default), body[1]) if body else None


class Expander:
    """Expands the macros of one document in a piece of math, within the bounds above."""

    def __init__(self, macros: dict[str, Macro]):
        self.macros = macros
        self.size = self.calls = 0

    def expand(self, text: str) -> str:
        """``text`` with every defined macro expanded (recursively); MacroError past a bound."""
        self.size = self.calls = 0
        return self._expand(text, 0, None)

    def _expand(self, text: str, depth: int, via: str | None) -> str:
        if depth > MAX_DEPTH:
            raise MacroError(f"macro \\{via} expands more than {MAX_DEPTH} levels deep (it calls itself?)")
        out: list[str] = []
        i = last = 0
        while True:
            i = text.find("\\", i)
            if i < 0:
                break
            j = i + 1
            while j < len(text) and text[j].isalpha():
                j += 1
            macro = self.macros.get(text[i + 1:j]) if j > i + 1 else None
            if macro is None:
                i = max(j, i + 2)  # ``\\`` and ``\{`` are one token each
                continue
            self.calls += 1
            if self.calls > MAX_CALLS:
                raise MacroError(f"macro \\{macro.name} makes more than {MAX_CALLS} macro calls")
            args, end = self._arguments(text, j, macro)
            body = macro.body
            for k, arg in enumerate(args, 1):
                body = body.replace(f"#{k}", arg)
            expanded = self._expand(body.replace("\n", " "), depth + 1, macro.name)
            # a command followed by a letter needs its space back (``\R x`` → ``\mathbb{R} x``)
            out += [text[last:i], expanded, "\n" * text.count("\n", i, end)]
            if end < len(text) and text[end].isalpha() and expanded[-1:].isalpha():
                out.append(" ")
            self.size += len(expanded)
            if self.size > MAX_OUTPUT:
                raise MacroError(f"macro \\{macro.name} expands to more than {MAX_OUTPUT} characters")
            i = last = end
        out.append(text[last:])
        return "".join(out)

    @staticmethod
    def _arguments(text: str, j: int, macro: Macro) -> tuple[list[str], int]:
        args: list[str] = []
        if macro.nargs == 0:
            return args, j
        if macro.default is not None:
            at = _skip_space(text, j)
            opt = _group(text, at, "[", "]")
            args.append(opt[0] if opt else macro.default)
            j = opt[1] if opt else j
        while len(args) < macro.nargs:
            got = _token(text, j)
            if got is None:
                raise MacroError(f"macro \\{macro.name} is missing an argument")
            args.append(got[0])
            j = got[1]
        return args, j
