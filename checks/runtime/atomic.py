"""Atomic file writes: a reader sees the old file or the new one, never half of one.

``write_all`` extends this to a set of files (a run's --output and --report): all are staged
first and renamed together with Ctrl-C held back, so an interrupted run leaves none of them.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from pathlib import Path


def _stage(path: Path, data: bytes) -> str:
    """Write ``data`` to a temporary file beside ``path``; returns its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over ``path``."""
    tmp = _stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: stage all, then rename all while SIGINT is held back.

    A Ctrl-C that arrives during the renames is dropped: the work it would interrupt is done.
    """
    if len(files) == 1:
        write_atomic(*next(iter(files.items())))
        return
    staged: dict[Path, str] = {}
    try:
        for path, data in files.items():
            staged[path] = _stage(path, data)
        with interrupts_deferred(drop=True):
            for path, tmp in list(staged.items()):
                os.replace(tmp, path)
                del staged[path]
    finally:
        for tmp in staged.values():
            if os.path.exists(tmp):
                os.unlink(tmp)


class interrupts_deferred:
    """SIGINT held back (in this thread) for a short step that must not be cut in two: a forked
    child's start-up (it lets SIGINT through once its own code runs), a cache entry's write.
    On leaving, a SIGINT that came meanwhile is delivered; with ``drop`` it is discarded (the
    renames of ``write_all``: the work it would interrupt is done), in the main thread only,
    where the handler can be set aside. With ``drop``, SIGTERM is held back too and delivered
    on leaving (the run then ends with every file renamed)."""

    def __init__(self, drop: bool = False):
        self.drop = drop
        self.signals = {signal.SIGINT, signal.SIGTERM} if drop else {signal.SIGINT}

    def __enter__(self):
        self.held = hasattr(signal, "pthread_sigmask") and \
            (not self.drop or threading.current_thread() is threading.main_thread())
        if self.held:
            signal.pthread_sigmask(signal.SIG_BLOCK, self.signals)

    def __exit__(self, *exc):
        if not self.held:
            return
        if self.drop and signal.SIGINT in signal.sigpending():
            handler = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a pending ignored signal is dropped
            signal.pthread_sigmask(signal.SIG_UNBLOCK, self.signals)
            signal.signal(signal.SIGINT, handler)
        else:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, self.signals)
