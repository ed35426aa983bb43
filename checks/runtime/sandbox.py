"""The process a post's code runs in. Posts are untrusted, and the allow-list in
:mod:`mathlint.check.snippet` is one wall; this module is the second, for whatever gets past it (a numpy
bug, a missed node type). What runs from a post runs in a forked child that:

- has CPU, address-space, file-size (0: it can write no file), process (0: it cannot fork or
  exec) and open-file limits, and no core dumps; Ctrl-C, SIGTERM or the death of the process
  that forked it ends it;
- works in an empty folder that is deleted as soon as it is entered, and holds no descriptor of
  the parent's (stdin/stdout/stderr are /dev/null; the only other one is the result pipe);
- sends its results back as plain numeric data (a JSON header and raw array bytes, never a
  pickle), which the parent checks against the header before trusting any of it.

The parent kills it past a wall clock or an output cap; every way it can fail is a
:class:`NotRun` (:class:`LimitExceeded` for a limit), never a crash of the linter."""

from __future__ import annotations

import gc
import json
import math
import os
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from types import CodeType

import numpy as np

from ..model import Verdict
from .budget import address_space


class NotRun(Exception):
    """The snippet gave no result: ``verdict`` is what its check becomes, ``message`` says why."""
    verdict, what = Verdict.UNCHECKED, "the snippet gave no result"

    def __init__(self, reason: str, line: int = 1):
        super().__init__(reason)
        self.reason, self.line = reason, line

    @property
    def message(self) -> str:
        return f"{self.what}: {self.reason}"


class LimitExceeded(NotRun):
    """The snippet's process hit a resource limit (CPU, memory, wall clock, output size)."""
    verdict, what = Verdict.TIMEOUT, "the snippet was stopped"


@dataclass
class Run:
    """What a snippet left: its numbers, and the error that stopped it (a finding, not a crash)."""
    namespace: dict  # the snippet's numeric values (arrays and numbers) after it ran
    error: str | None = None  # "NameError: name 'db' is not defined"
    error_line: int | None = None  # 1-based line within the snippet


@dataclass(frozen=True)
class Limits:
    """What the child may use; the CPU seconds come from the caller's budget (:func:`snippet_budget`)."""
    cpu_seconds: int = 5
    memory_bytes: int = 1 << 30  # address space; see _address_space
    open_files: int = 8
    result_bytes: int = 64 << 20

    @property
    def wall_seconds(self) -> float:
        return 2.0 * self.cpu_seconds + 3.0


_LIMITS: ContextVar[Limits] = ContextVar("snippet_limits", default=Limits())  # noqa: B039 (frozen)
_DTYPE = re.compile(r"[<>|=]?[biufc]\d{1,2}")
_MEMORY_HEADROOM = 256 << 20  # a forked worker that is already large still leaves the snippet this much
_INTERRUPTS = {signal.SIGINT, signal.SIGTERM, signal.SIGALRM}
_PRCTL = None
try:  # loaded before any fork: the child only calls them
    import ctypes
    import fcntl
    import resource

    _PRCTL = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
except (ImportError, OSError):  # not a Unix: run_in_child refuses to run without os.fork
    pass


@contextmanager
def snippet_budget(seconds: float):
    """Snippets run inside this block get a CPU limit from the caller's budget (1 to 5 s)."""
    cpu = max(1, min(5, math.ceil(seconds))) if math.isfinite(seconds) else 5
    token = _LIMITS.set(replace(_LIMITS.get(), cpu_seconds=cpu))
    try:
        yield
    finally:
        _LIMITS.reset(token)


def run_in_child(code: list[tuple[int, CodeType]], names: dict, builtins: dict) -> Run:
    """Run the compiled statements (``(line, code)``, stopping at the first error) with ``names``
    as globals and only ``builtins`` as builtins, in a limited child; return its numbers.
    Raises :class:`NotRun` (:class:`LimitExceeded` for a limit) when there is no result."""
    if not hasattr(os, "fork") or not hasattr(signal, "pthread_sigmask"):
        raise NotRun("code checks need os.fork to run a snippet in a limited process")
    limits = _LIMITS.get()
    workdir = tempfile.mkdtemp(prefix="mathlint-snippet-")
    address_space = _address_space(limits)
    read_end, write_end = os.pipe()
    parent, pid = os.getpid(), None
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)  # none lands between fork and _child
        try:
            pid = os.fork()
            if pid == 0:  # the child: never returns
                _child(code, names, builtins, limits, address_space, write_end, workdir, parent, blocked)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(write_end)
        write_end = None
        data, status = _collect(read_end, pid, limits)
        pid = None
    finally:
        if pid:  # interrupted (Ctrl-C, an enclosing budget): the child does not outlive the call
            _kill(pid)
        for fd in (read_end, write_end):
            if fd is not None:
                os.close(fd)
        shutil.rmtree(workdir, ignore_errors=True)
    return _decode(data, status, limits)


def _address_space(limits: Limits) -> int:
    """``limits.memory_bytes``, or what the forked process already maps plus a headroom if more."""
    return max(limits.memory_bytes, address_space() + _MEMORY_HEADROOM)


def _child(code, names: dict, builtins: dict, limits: Limits, address_space: int, fd: int, workdir: str,
           parent: int, blocked: set):
    """Isolate and limit this process, run the snippet, send back its numbers, exit."""
    status = 1
    try:
        for sig in _INTERRUPTS:  # Ctrl-C or SIGTERM ends it at once; no handler of the parent runs here
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        gc.freeze()  # the parent's leftover objects are never finalized here (no flush, no close)
        if _PRCTL is not None:
            _PRCTL(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG: killed with the process that forked it
        if os.getppid() != parent:
            os._exit(1)
        _isolate(fd, workdir)
        _set_limits(limits, address_space)
        ns = {"__builtins__": {**builtins, "__import__": _import_loaded}, **names}
        error = line = limit = None
        for line, stmt in code:  # noqa: B007 (``line`` names the failing statement after the loop)
            try:
                exec(stmt, ns)  # noqa: S102 - allow-listed syntax, limited process
            except MemoryError:
                limit = f"the {address_space >> 20} MiB memory limit"
                break
            except Exception as exc:  # the snippet's own error is a finding, not a crash
                error = f"{type(exc).__name__}: {exc}"[:500]
                break
        else:
            line = None
        _send(3, error, line, limit, ns, limits.result_bytes)
        os.close(3)  # the parent's read ends now, not after this process's memory is torn down
        status = 0
    except BaseException:  # noqa: S110 - the parent reports a child that ends without a result
        pass
    finally:
        os._exit(status)


def _import_loaded(name, globals=None, locals=None, fromlist=(), level=0):
    """numpy's C code imports its helpers lazily through the running frame's builtins (the
    snippet's): serve numpy's modules already loaded, load nothing. No snippet can name it."""
    if level == 0 and name.partition(".")[0] == "numpy" and name in sys.modules:
        return sys.modules[name] if fromlist else sys.modules["numpy"]
    raise ImportError(f"{name} cannot be imported in a checked snippet")


def _isolate(fd: int, workdir: str) -> None:
    """stdin/stdout/stderr on /dev/null, the pipe as descriptor 3, nothing else open; the working
    folder is ``workdir``, empty and at once removed (nothing can be created in it, nothing is left)."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 16)
    null = os.open(os.devnull, os.O_RDWR)
    for k in (0, 1, 2):
        os.dup2(null, k)
    os.dup2(high, 3)
    os.closerange(4, max(os.sysconf("SC_OPEN_MAX"), high + 1))
    os.chdir(workdir)
    os.rmdir(workdir)


def _set_limits(limits: Limits, address_space: int) -> None:
    wanted = {"RLIMIT_CPU": (limits.cpu_seconds, limits.cpu_seconds + 1), "RLIMIT_AS": (address_space,) * 2,
              "RLIMIT_FSIZE": (0, 0), "RLIMIT_NPROC": (0, 0), "RLIMIT_NOFILE": (limits.open_files,) * 2,
              "RLIMIT_CORE": (0, 0)}
    for name, (soft, hard) in wanted.items():
        res = getattr(resource, name, None)
        if res is None:
            continue
        _, current = resource.getrlimit(res)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(res, (soft, hard))  # an error ends the child: fail closed


def _numeric(value) -> np.ndarray | None:
    """The value as a numeric array, or None (not sent back)."""
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, (bool, int, float, complex, np.bool_, np.number)):
        try:
            arr = np.asarray(value)
        except OverflowError:
            return None
    else:
        return None
    return arr if arr.dtype.kind in "biufc" and _DTYPE.fullmatch(arr.dtype.str) else None


def _send(fd: int, error, line, limit, ns: dict, cap: int) -> None:
    """A JSON header (what each value is) and the values' raw bytes: no pickle on either side."""
    values, blobs, total = [], [], 0
    for name, value in ns.items():
        arr = _numeric(value) if isinstance(name, str) and not name.startswith("__") else None
        if arr is None or total + arr.nbytes > cap:
            continue
        total += arr.nbytes
        values.append([name, arr.dtype.str, list(arr.shape), not isinstance(value, np.ndarray)])
        blobs.append(np.ascontiguousarray(arr).tobytes())
    head = json.dumps({"error": error, "line": line, "limit": limit, "values": values}).encode()
    for chunk in (struct.pack(">Q", len(head)), head, *blobs):
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view):]


def _collect(fd: int, pid: int, limits: Limits) -> tuple[bytes, int]:
    """Everything the child writes, then its exit status; kills it past the wall clock or cap."""
    deadline, chunks, size = time.monotonic() + limits.wall_seconds, [], 0
    while _ready(fd, deadline):
        chunk = os.read(fd, 1 << 16)
        if not chunk:  # the child closed the pipe: it is exiting
            status = _exit_status(pid, deadline)
            if status is None:
                break
            return b"".join(chunks), status
        size += len(chunk)
        if size > limits.result_bytes + (1 << 20):
            _kill(pid)
            raise LimitExceeded(f"the snippet's values exceed {limits.result_bytes >> 20} MiB")
        chunks.append(chunk)
    _kill(pid)
    raise LimitExceeded(f"the snippet did not finish within its {limits.wall_seconds:g} s wall-clock limit")


def _ready(fd: int, deadline: float) -> bool:
    """``fd`` is readable (or closed) before ``deadline`` (poll: any descriptor number works)."""
    left = deadline - time.monotonic()
    if left <= 0:
        return False
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(math.ceil(left * 1000)))


def _exit_status(pid: int, deadline: float) -> int | None:
    """The child's wait status once it has exited; None if it is still running at ``deadline``."""
    try:
        exited = os.pidfd_open(pid)  # readable when the process ends: no polling
    except (AttributeError, OSError):
        exited = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            if exited is None:
                time.sleep(0.002)
                if time.monotonic() > deadline:
                    return None
            elif not _ready(exited, deadline):
                return None
    finally:
        if exited is not None:
            os.close(exited)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _decode(data: bytes, status: int, limits: Limits) -> Run:
    """The child's numbers, checked against the header it sent (a subverted child sends only data)."""
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise LimitExceeded(f"the snippet used up its {limits.cpu_seconds} s CPU limit")
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or len(data) < 8:
        raise NotRun("the snippet's process ended without a result")
    (n,) = struct.unpack(">Q", data[:8])
    try:
        head = json.loads(data[8:8 + n])
        if not (isinstance(head["error"], (str, type(None))) and isinstance(head["line"], (int, type(None)))
                and isinstance(head["limit"], (str, type(None)))):
            raise TypeError("header")
        ns, at = {}, 8 + n
        for name, dtype, shape, scalar in head["values"]:
            if not (isinstance(name, str) and name.isidentifier() and _DTYPE.fullmatch(dtype)):
                raise ValueError(name)
            dt, shape = np.dtype(dtype), tuple(int(k) for k in shape)
            size = dt.itemsize * math.prod(shape)
            arr = np.frombuffer(data[at:at + size], dtype=dt).reshape(shape).copy()
            at += size
            ns[name] = arr.item() if scalar else arr
        if at != len(data):
            raise ValueError("trailing bytes")
    except (ValueError, TypeError, KeyError, struct.error, RecursionError) as exc:
        raise NotRun(f"the snippet's process sent malformed data ({type(exc).__name__})") from None
    if head["limit"]:
        raise LimitExceeded(f"the snippet exceeded {head['limit']}", head["line"] or 1)
    return Run(ns, head["error"], head["line"])
