"""Small helpers for scanning LaTeX text: brace matching and top-level splitting."""

from __future__ import annotations

import re

from ..runtime.memo import cached

OPEN = "{(["
CLOSE = "})]"


#: texts longer than this look their groups up in one table (``group_ends``) instead of
#: scanning from each opener: many unclosed openers would each be scanned to the end
LONG_TEXT = 2000


@cached("group-ends", maxsize=64)
def group_ends(text: str, opener: str) -> dict[int, int]:
    """Offset of every ``opener`` (``{``, ``(`` or ``[``) → index just past its group (-1 when it
    is not closed), in one pass; ``match_group`` for every opener at once. Escaped openers are
    not in it (``\\{``: a backslash escapes the next character)."""
    closer = CLOSE[OPEN.index(opener)]
    ends: dict[int, int] = {}
    stack: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == opener:
            stack.append(i)
            ends[i] = -1
        elif ch == closer and stack:
            ends[stack.pop()] = i + 1
        i += 1
    return ends


def match_group(text: str, start: int) -> int:
    """Index just past the group opened at ``text[start]`` (``{``, ``(`` or ``[``).

    Escaped braces (``\\{``) count as ordinary characters. Returns -1 when the
    group is not closed.
    """
    opener = text[start]
    if len(text) > LONG_TEXT:
        end = group_ends(text, opener).get(start)
        if end is not None:
            return end
    closer = CLOSE[OPEN.index(opener)]
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def match_escaped_braces(text: str, start: int) -> int:
    """Index just past the ``\\}`` closing the ``\\{`` at ``text[start]`` (nested ``\\{…\\}``
    counted; -1 when it is not closed)."""
    depth, j = 0, start
    while j < len(text):
        if text.startswith("\\{", j):
            depth, j = depth + 1, j + 2
        elif text.startswith("\\}", j):
            depth, j = depth - 1, j + 2
            if depth == 0:
                return j
        else:
            j += 1
    return -1


_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


@cached("depth-maps", maxsize=1024)
def depth_map(text: str) -> tuple[int, ...]:
    """Bracket depth before each character; ``\\{``/``\\}`` and ``\\left``-free
    brackets all count, and depth never goes below zero."""
    depths: list[int] = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "{}":
            depths.extend([depth, depth])
            depth = depth + 1 if text[i + 1] == "{" else max(depth - 1, 0)
            i += 2
            continue
        if ch == "\\":
            m = _COMMAND.match(text, i)
            n = len(m.group(0)) if m else 1
            depths.extend([depth] * n)
            i += n
            continue
        depths.append(depth)
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        i += 1
    return tuple(depths)


def top_level_matches(pattern: re.Pattern, text: str) -> list[re.Match]:
    """Matches of ``pattern`` that start at bracket depth zero."""
    depths = depth_map(text)
    return [m for m in pattern.finditer(text) if m.start() < len(depths) and depths[m.start()] == 0]


def split_top_level(text: str, pattern: re.Pattern) -> list[tuple[int, str]]:
    """Split ``text`` at top-level matches of ``pattern``; pieces with their start offsets."""
    pieces = []
    last = 0
    for m in top_level_matches(pattern, text):
        pieces.append((last, text[last:m.start()]))
        last = m.end()
    pieces.append((last, text[last:]))
    return pieces


def strip_outer_braces(text: str) -> str:
    """``{a+b}`` → ``a+b`` when one group spans the whole text (repeatedly)."""
    s = text.strip()
    while s.startswith("{") and match_group(s, 0) == len(s):
        s = s[1:-1].strip()
    return s
