"""A content-addressed cache of parse and check results (``.mathlint-cache/``).

An entry's key is a hash of what the result depends on: the input (a side's LaTeX, a
claim's two expressions with its context, a whole file's text), the options that change
the result, and the code: mathlint's version, the hash of its own source files and the
versions of SymPy, NumPy and the LaTeX parser. Anything else can never be served stale.
Entries are pickles written atomically; an unreadable entry is a miss. Only results that
do not depend on the machine's load are stored (no timeouts, no checker errors).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import interrupts_deferred, write_atomic
from .memo import ByIdentity

DEFAULT_DIR = ".mathlint-cache"
MISS = object()
_ROOT = Path(__file__).resolve().parent
_DEPENDENCIES = ("sympy", "numpy", "latex2sympy2_extended", "antlr4-python3-runtime", "markdown-it-py",
                 "mdit-py-plugins")


@lru_cache(maxsize=1)
def code_version() -> str:
    """mathlint's version, a hash of its source files and its dependencies' versions."""
    from importlib import metadata  # here, not at the top: 20 ms that a run without the cache does not need

    h = hashlib.sha256(__version__.encode())
    for folder in (_ROOT, _ROOT.parent / "derivations"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for dist in _DEPENDENCIES:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


_DUMMY = re.compile(r"Dummy\('([^']*)', dummy_index=(\d+)\)")


def _srepr(expr) -> str:
    """``srepr`` that keeps what plain ``srepr`` drops (the event of ``P(Y=1|x)``, stored on
    the function class) and renumbers SymPy's per-process dummy indices by first appearance."""
    import sympy as sp
    from sympy.core.function import AppliedUndef

    if isinstance(expr, sp.Basic):
        for f in sorted({type(a) for a in expr.atoms(AppliedUndef)}, key=str):
            kwargs = getattr(f, "_kwargs", None)
            if kwargs:
                expr = expr.replace(f, sp.Function(f"{f.__name__}|{fingerprint(kwargs)}"))
    elif isinstance(expr, sp.FunctionClass):
        return f"Function({expr.__name__!r}, {fingerprint(getattr(expr, '_kwargs', {}))})"
    seen: dict[str, int] = {}
    return _DUMMY.sub(lambda m: f"Dummy('{m.group(1)}', {seen.setdefault(m.group(2), len(seen))})",
                      sp.srepr(expr))


def _is_sympy(obj: Any) -> bool:
    if "sympy" not in sys.modules:
        return False
    import sympy as sp

    return isinstance(obj, (sp.Basic, sp.FunctionClass, sp.matrices.MatrixBase))


_SREPRS = ByIdentity(20_000)  # SymPy object → its text: definitions recur in every claim's key


def fingerprint(obj: Any) -> str:
    """A canonical text of ``obj``: equal for equal content, in any process, any hash seed."""
    if isinstance(obj, (str, int, float, bool, type(None))):
        return repr(obj)
    if _is_sympy(obj):
        text = _SREPRS.get((obj,))
        return text if text is not None else _SREPRS.put((obj,), _srepr(obj))
    if isinstance(obj, (list, tuple)):
        return "(" + ",".join(fingerprint(x) for x in obj) + ")"
    if isinstance(obj, (set, frozenset)):
        return "{" + ",".join(sorted(fingerprint(x) for x in obj)) + "}"
    if isinstance(obj, dict):
        return "{" + ",".join(sorted(f"{fingerprint(k)}:{fingerprint(v)}" for k, v in obj.items())) + "}"
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        inner = ",".join(f"{f.name}={fingerprint(getattr(obj, f.name))}" for f in dataclasses.fields(obj))
        return f"{type(obj).__name__}({inner})"
    if callable(obj) and hasattr(obj, "__qualname__"):
        return f"<{getattr(obj, '__module__', '')}.{obj.__qualname__}>"
    return repr(obj)


class Cache:
    """Entries under ``root/KIND/ab/abcdef…``; ``get`` returns :data:`MISS` when absent."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.hits = self.misses = 0
        self._write_failed = False
        self._keys = ByIdentity(4096)  # parts → key: a miss is looked up, then stored, with the same parts

    def key(self, kind: str, parts: Any) -> str:
        key = self._keys.get((parts,), kind)
        if key is None:
            key = self._keys.put((parts,), hashlib.sha256(
                f"{code_version()}\0{kind}\0{fingerprint(parts)}".encode()).hexdigest(), kind)
        return key

    def _path(self, kind: str, parts: Any) -> Path:
        k = self.key(kind, parts)
        return self.root / kind / k[:2] / k

    def get(self, kind: str, parts: Any) -> Any:
        try:
            value = pickle.loads(self._path(kind, parts).read_bytes())
        except Exception:  # absent, truncated by a crash, written by another version: a miss
            self.misses += 1
            return MISS
        self.hits += 1
        return value

    def put(self, kind: str, parts: Any, value: Any) -> None:
        """Store ``value`` atomically; a cache that cannot be written is skipped, not fatal."""
        if self._write_failed:
            return
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            with interrupts_deferred():  # a Ctrl-C waits for the entry: no staged file is left behind
                write_atomic(self._path(kind, parts), data)
            _tag(self.root)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            self._write_failed = True


def _tag(root: Path) -> None:
    """Mark the folder as a cache (backup tools and git leave it alone)."""
    tag = root / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# mathlint's cache; safe to delete.\n")
        (root / ".gitignore").write_text("*\n")
