"""A content-addressed cache of parse and check results, in the user's cache folder.

An entry's key is a hash of what the result depends on: the input (a side's LaTeX, a
claim's two expressions with its context, a whole file's text), the options that change
the result, and the code: mathlint's version, the hash of its own source files and the
versions of SymPy, NumPy and the LaTeX parser. Anything else can never be served stale.
Only results that do not depend on the machine's load are stored (no timeouts, no checker
errors).

The folder is untrusted input like the posts (a pull request may commit one, a CI cache may be
shared): entries are data only (JSON through :mod:`mathlint.cache.codec`, never pickles), each
authenticated by an HMAC-SHA256 of its kind, key and content under a secret made on first use
and kept in the folder (``key``, mode 0600): an entry written without that secret is a miss, and
a key file that is not a private regular file of the user's (a committed one is 0644) turns the
cache off for the run. Nothing is read or written through a symbolic link: every folder and file
is opened relative to the real cache folder, with ``O_NOFOLLOW``. An unreadable entry is a miss;
a cache that cannot be written is skipped.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import hmac
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..runtime.atomic import interrupts_deferred
from ..runtime.memo import ByIdentity, cached
from . import codec as cache_codec

MISS = object()
KEY_FILE = "key"
_SECRET_BYTES = 32
_ENTRY_LIMIT = 64 << 20  # bytes: a bigger file is not one of ours
_MAC_CONTEXT = b"mathlint cache entry 1"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)  # a FIFO: no wait
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
#: whether this system opens files relative to a folder without following links (POSIX)
_SAFE = bool(_NOFOLLOW) and hasattr(os, "O_DIRECTORY") and hasattr(os, "fchmod") and \
    {os.open, os.mkdir, os.rename, os.link, os.unlink} <= os.supports_dir_fd
_ROOT = Path(__file__).resolve().parents[1]  # the mathlint package
_DEPENDENCIES = ("sympy", "numpy", "latex2sympy2_extended", "antlr4-python3-runtime", "markdown-it-py",
                 "mdit-py-plugins")


def _source_folders() -> list[Path]:
    """The package's folder and its derivations' (a folder of their own in a checkout)."""
    from importlib.util import find_spec

    spec = find_spec("mathlint.derivations")
    extra = [Path(p).resolve() for p in (spec.submodule_search_locations or [])] if spec else []
    return [_ROOT] + [p for p in extra if _ROOT not in p.parents]


def _sources(folder: Path) -> list[Path]:
    """The ``.py`` and ``.j2`` files under ``folder``, sorted; ``__pycache__`` is not walked."""
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found += [Path(top, f) for f in files if f.endswith((".py", ".j2"))]
    return sorted(found)


@cached("code-version", maxsize=1)
def code_version() -> str:
    """mathlint's version, a hash of its source files and its dependencies' versions."""
    from importlib import metadata  # here, not at the top: 20 ms that a run without the cache does not need

    h = hashlib.sha256(__version__.encode())
    for folder in _source_folders():
        for path in _sources(folder):
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


_SREPRS = ByIdentity(20_000, name="srepr")  # SymPy object → its text: definitions recur in every claim's key


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


class Unusable(Exception):
    """Why the cache folder is not used for this run (said once on stderr)."""


def default_dir() -> Path:
    """The user's cache folder for mathlint (``$XDG_CACHE_HOME/mathlint``, ``~/.cache/mathlint``,
    ``~/Library/Caches/mathlint``): outside the checked tree, where a pull request puts no file."""
    import platformdirs  # here: the cached re-check of a file does not need it

    return Path(platformdirs.user_cache_dir("mathlint", appauthor=False))


class Cache:
    """Entries under ``root/KIND/ab/abcdef…``; ``get`` returns :data:`MISS` when absent, forged,
    or when the folder is not usable (:attr:`problem` says why)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.hits = self.misses = 0
        self.problem: str | None = None
        self._secret: bytes | None = None
        self._write_failed = False
        self._tagged = False
        self._keys = ByIdentity(4096)  # parts → key: a miss is looked up, then stored, with the same parts

    def key(self, kind: str, parts: Any) -> str | None:
        """The entry's key; None when ``parts`` has no canonical text (an integer of more digits
        than Python prints, a tree too deep): such a result is neither looked up nor stored."""
        key = self._keys.get((parts,), kind)
        if key is None:
            try:
                text = fingerprint(parts)
            except (ValueError, RecursionError, MemoryError):
                return None
            key = self._keys.put((parts,), hashlib.sha256(f"{code_version()}\0{kind}\0{text}".encode()).hexdigest(),
                                 kind)
        return key

    def path(self, kind: str, parts: Any) -> Path:
        """Where the entry for ``parts`` is (read only through :meth:`get`)."""
        k = self.key(kind, parts)
        return self.root / kind / k[:2] / k

    def get(self, kind: str, parts: Any) -> Any:
        key = self.key(kind, parts) if self.usable() else None
        value = MISS if key is None else self._read(kind, key)
        if value is MISS:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, kind: str, parts: Any, value: Any) -> None:
        """Store ``value`` atomically if it survives the codec unchanged; a cache that cannot be
        written is skipped, not fatal."""
        if self._write_failed or not self.usable():
            return
        body = _faithful(value)
        if body is None:
            return
        key = self.key(kind, parts)
        if key is None:
            return
        try:
            with interrupts_deferred():  # a Ctrl-C waits for the entry: no staged file is left behind
                self._write(kind, key, mac(self._secret, kind, key, body) + b"\n" + body)
        except OSError:
            self._write_failed = True

    def usable(self) -> bool:
        """Whether the folder is usable: opened and its secret read (or made) on first use; if
        not, said once on stderr (asked before worker processes fork, it is said once per run)."""
        if self._secret is None and self.problem is None:
            try:
                self._secret = _open_secret(self.root)
            except Unusable as exc:
                self.problem = str(exc)
                _warn(f"the cache in {self.root} is not used: {exc}")
            except OSError as exc:  # not a folder, not writable: as without a cache, silently
                self.problem = exc.strerror or str(exc)
        return self._secret is not None

    def _read(self, kind: str, key: str) -> Any:
        try:
            tag, _, body = _read_file(self.root, (kind, key[:2]), key).partition(b"\n")
            if not hmac.compare_digest(tag, mac(self._secret, kind, key, body)):
                return MISS  # forged, or written with another secret
            return cache_codec.loads(body)
        except Exception:  # absent, truncated by a crash, of another format or version: a miss
            return MISS

    def _write(self, kind: str, key: str, data: bytes) -> None:
        fd = os.open(self.root, _DIR_FLAGS)
        try:
            if not self._tagged:
                _tag(fd)
                self._tagged = True
            sub = _subfolder(fd, (kind, key[:2]), create=True)
            try:
                _replace(sub, key, data)
            finally:
                os.close(sub)
        finally:
            os.close(fd)


def mac(secret: bytes, kind: str, key: str, body: bytes) -> bytes:
    """An entry's first line: the HMAC-SHA256 (hex) of its kind, key and content."""
    message = b"\0".join((_MAC_CONTEXT, kind.encode(), key.encode(), body))
    return hmac.new(secret, message, hashlib.sha256).hexdigest().encode()


def _faithful(value: Any) -> bytes | None:
    """``value`` encoded, if its decoding is the same value (equal, with the same ``srepr``;
    up to the renaming of dummies); None otherwise: then it is not stored."""
    try:
        body, dummies = cache_codec.dumps(value)
        back = cache_codec.loads(body)
        same = fingerprint(back) == fingerprint(value) and (dummies or back == value)
    except Exception:  # not encodable (a matrix, a class, a huge integer…): not stored
        return None
    return body if same else None


_WARNED: set[str] = set()


def _warn(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"mathlint: warning: {message}", file=sys.stderr)


def _open_secret(root: Path) -> bytes:
    """The folder's secret, made on first use; :class:`Unusable` when the folder or its key
    cannot be trusted."""
    if not _SAFE:
        raise Unusable("this system cannot open files without following symbolic links")
    if root.is_symlink():
        raise Unusable("it is a symbolic link")
    root.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.mkdir(root, 0o700)
    except FileExistsError:
        pass
    fd = os.open(root, _DIR_FLAGS)
    try:
        if os.fstat(fd).st_uid != os.getuid():
            raise Unusable("the folder belongs to another user")
        try:
            return _read_secret(fd)
        except FileNotFoundError:
            _make_secret(fd)
            return _read_secret(fd)
    finally:
        os.close(fd)


def _read_secret(fd: int) -> bytes:
    try:
        kfd = os.open(KEY_FILE, _READ_FLAGS, dir_fd=fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unusable(f"its {KEY_FILE} file is a symbolic link") from None
        raise
    try:
        st = os.fstat(kfd)
        mode = stat.S_IMODE(st.st_mode)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or mode != 0o600:
            raise Unusable(f"its {KEY_FILE} file is not a private file of yours (mode {mode:04o}); "
                           "delete the folder to start a new cache")
        secret = os.read(kfd, _SECRET_BYTES + 1)
    finally:
        os.close(kfd)
    if len(secret) != _SECRET_BYTES:
        raise Unusable(f"its {KEY_FILE} file is not a key of {_SECRET_BYTES} bytes")
    return secret


def _make_secret(fd: int) -> None:
    """A new secret, written whole under a temporary name, then linked as the key file: a process
    that starts at the same time reads either no key or the whole one (the first link wins)."""
    tmp = f".{KEY_FILE}.{os.urandom(8).hex()}"
    kfd = os.open(tmp, _NEW_FLAGS, 0o600, dir_fd=fd)
    try:
        try:
            os.fchmod(kfd, 0o600)  # whatever the umask
            os.write(kfd, os.urandom(_SECRET_BYTES))
        finally:
            os.close(kfd)
        try:
            os.link(tmp, KEY_FILE, src_dir_fd=fd, dst_dir_fd=fd)
        except FileExistsError:
            pass  # another process made it first: its key is the one
    finally:
        os.unlink(tmp, dir_fd=fd)


def _subfolder(fd: int, names: tuple[str, ...], create: bool) -> int:
    """The folder ``names`` below the folder ``fd``, opened without following links (made with
    mode 0700 when ``create``); the caller closes it."""
    cur = fd
    for name in names:
        if create:
            try:
                os.mkdir(name, 0o700, dir_fd=cur)
            except FileExistsError:
                pass
        try:
            nxt = os.open(name, _DIR_FLAGS, dir_fd=cur)
        finally:
            if cur != fd:
                os.close(cur)
        cur = nxt
    return cur


def _read_file(root: Path, folders: tuple[str, ...], name: str) -> bytes:
    """A regular file's bytes, reached from ``root`` without following links."""
    fd = os.open(root, _DIR_FLAGS)
    try:
        sub = _subfolder(fd, folders, create=False)
        try:
            efd = os.open(name, _READ_FLAGS, dir_fd=sub)
        finally:
            os.close(sub)
    finally:
        os.close(fd)
    with os.fdopen(efd, "rb") as fh:
        st = os.fstat(efd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _ENTRY_LIMIT:
            raise OSError(f"{name}: not a cache entry")
        return fh.read(_ENTRY_LIMIT + 1)


def _replace(fd: int, name: str, data: bytes) -> None:
    """Write ``name`` in the folder ``fd`` atomically: a new file (never through a link), renamed
    over the old one."""
    tmp = f".{name}.{os.urandom(6).hex()}"
    tfd = os.open(tmp, _NEW_FLAGS, 0o600, dir_fd=fd)
    try:
        with os.fdopen(tfd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=fd)
        except OSError:
            pass
        raise


_TAGS = {"CACHEDIR.TAG": b"Signature: 8a477f597d28d172789f06886806bc55\n# mathlint's cache; safe to delete.\n",
         ".gitignore": b"*\n"}


def _tag(fd: int) -> None:
    """Mark the folder as a cache (backup tools and git leave it alone); a name already taken,
    by a file or a link, is left alone."""
    for name, text in _TAGS.items():
        try:
            tfd = os.open(name, _NEW_FLAGS, 0o644, dir_fd=fd)
        except FileExistsError:
            continue
        with os.fdopen(tfd, "wb") as fh:
            fh.write(text)
