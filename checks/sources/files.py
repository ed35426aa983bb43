"""Find a user's input files (folders searched for every input format's suffixes) and open each
for reading, with one-line errors for every bad input."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from .formats import INPUT_FORMATS, SUFFIXES, described, format_of, source_for

MAX_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """The input cannot be read; ``str(err)`` is the one-line message for the user."""


def read_source(path: str | os.PathLike, given: str | None = None) -> str:
    """The text of ``path`` (UTF-8, newlines as ``\\n``), read as a file of the format ``given``
    (``--format-in``; None: by its suffix). Never modifies the file."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file (`mathlint check` reads folders)")
    if not p.is_file():
        raise InputError(f"{path}: not a regular file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: file too large ({size} bytes, limit {MAX_BYTES})")
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file (contains NUL bytes), expected text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. iconv -f GBK -t UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = INPUT_FORMATS[format_of(path, given)]
    if not fmt.own_lines:  # a container (a notebook's JSON): a broken one is the user's error here
        try:
            fmt.load().check_readable(text)
        except ValueError as exc:
            raise InputError(f"{path}: {exc}") from None
    return text


@dataclass(frozen=True)
class Globs:
    """Which files of a folder are checked: every file of an input format, only those that match
    an ``include`` pattern when there are some, none that matches an ``exclude`` pattern. A
    pattern matches the path relative to the folder named (``/`` between parts; ``*`` crosses
    them, as in fnmatch); one without ``/`` also matches any single part (``drafts``, ``*.ipynb``)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def selects(self, relative: str) -> bool:
        return (not self.include or _matches(relative, self.include)) and not _matches(relative, self.exclude)


def _matches(relative: str, patterns: tuple[str, ...]) -> bool:
    parts = relative.split("/")
    return any(fnmatchcase(relative, p) or "/" not in p and any(fnmatchcase(part, p) for part in parts)
               for p in patterns)


def discover(paths: list[str], globs: Callable[[Path], Globs] = lambda folder: Globs()) -> list[str]:
    """The input files named or found under the folders named, each once, in order; in a folder,
    those its ``globs`` select (a file named is always checked). In a folder, hidden entries are
    skipped and so is a symbolic link that leads out of the folder (a checked-out pull request
    may hold one that points at any file of the machine)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            chosen = globs(path)
            found = [f for f in _found_in(path) if chosen.selects(Path(f).relative_to(path).as_posix())]
            if not found:
                titles, patterns = described()
                narrowed = " selected by the include/exclude patterns" if chosen != Globs() else ""
                raise InputError(f"{p}: no {titles} files ({patterns}){narrowed} in this folder")
            out += found
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def without_included(paths: list[str], given: str | None = None) -> list[str]:
    """``paths`` without the files another of them includes (a chapter ``\\input`` by the book
    checked with it is checked as part of the book, at its own lines, not twice); files that
    include each other are both kept. ``given``: the ``--format-in`` (None: by suffix)."""
    closure: dict[Path, set[Path]] = {}
    for p in paths:
        if not INPUT_FORMATS[format_of(p, given)].includes:
            continue
        try:
            text = read_source(p, given)
        except InputError:
            continue  # reported when it is checked
        closure[Path(p).resolve()] = set(source_for(p, given).included(text))
    if len(paths) < 2 or not any(closure.values()):
        return paths
    dropped = {inc for outer, incs in closure.items() for inc in incs
               if inc != outer and outer not in closure.get(inc, ())}
    return [p for p in paths if Path(p).resolve() not in dropped]


def _found_in(folder: Path) -> list[str]:
    root = folder.resolve()
    found = []
    for here, dirs, files in os.walk(folder):  # never into a linked folder (followlinks=False)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            f = Path(here) / name
            if name.startswith(".") or f.suffix.lower() not in SUFFIXES:
                continue
            if f.is_symlink():  # only to a visible file inside the folder (not .git/config)
                target = f.resolve()
                if not target.is_relative_to(root) or not target.is_file() or \
                        any(part.startswith(".") for part in target.relative_to(root).parts):
                    continue
            elif not f.is_file():
                continue
            found.append(str(f))
    return sorted(found)
