"""Run a function under a wall-clock budget in a forked child process.

Unlike ``signal.alarm`` this works from any thread and inside worker processes.
The child may report partial results (``report(x)``) before its final one; on
timeout the parent gets the last partial result, if any. ``run_many`` runs many
calls on a few forked workers, each call with its own budget; ``run_here`` runs a
short call inside a worker under an interval timer, without forking again;
``stop_after`` bounds a block of the calling process itself (the reading of a file).

Each worker also has an address-space limit (``RLIMIT_AS``): a call that exceeds it is
reported with the status ``"memory"`` (its message names the limit), never as a crash.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..options import DEFAULT_FILE_BUDGET, DEFAULT_MEMORY_LIMIT, GiB  # noqa: F401 (the defaults live there)
from .atomic import interrupts_deferred

MiB = 1 << 20


@dataclass
class Budgeted:
    status: str  # "ok" | "timeout" | "memory" | "error"
    result: Any = None  # for "memory": what the call returned, if it finished past a failed allocation
    partial: Any = None
    error: str = ""  # for "memory": the message naming the limit


def memory_text(limit: int) -> str:
    """``2 GiB``, ``300 MiB``: a limit in binary units."""
    if limit % GiB == 0:
        return f"{limit // GiB} GiB"
    return f"{limit / MiB:.0f} MiB"


def memory_message(limit: int | None) -> str:
    """The message of a call stopped for memory (``limit`` None: the machine ran out)."""
    if limit is None:
        return "stopped: out of memory"
    return f"stopped: the {memory_text(limit)} memory limit per check was reached"


_limit_here: list = [None]  # the limit set in this (worker) process, for ``run_here``'s message
_cap_here: list = [None]  # the address-space cap (bytes) set in this process
#: a worker whose peak address space came this close to its cap had an allocation fail
LIMIT_MARGIN = 64 * MiB


def address_space() -> int:
    """Bytes of address space this process holds now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(limit: int | None) -> None:
    """Cap this process's address space at what it holds now plus ``limit`` bytes (None: no cap).
    Relative, not absolute: a worker inherits the parent's mappings (NumPy, OpenBLAS's
    per-thread buffers, several hundred MiB on a many-core machine) and must not start out
    of memory; the limit is what one check may add."""
    if limit is None:
        return
    try:
        import resource
    except ImportError:  # not POSIX: no limit
        return
    _limit_here[0] = limit
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = address_space() + limit
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
            _cap_here[0] = want
        except (ValueError, OSError):  # a platform that refuses it (macOS): no limit
            pass


def _peaked(pid: int | str = "self") -> bool:
    """Whether a process's peak address space came within ``LIMIT_MARGIN`` of its cap
    (``RLIMIT_AS``): an allocation failed then (Linux; elsewhere False)."""
    try:
        with open(f"/proc/{pid}/limits") as fh:
            cap = next(line.split()[3] for line in fh if line.startswith("Max address space"))
        with open(f"/proc/{pid}/status") as fh:
            peak = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return cap.isdigit() and peak >= int(cap) - LIMIT_MARGIN


def reached_limit() -> bool:
    """Whether this worker's allocations reached its cap, even where the code that got the
    MemoryError went on (a proof step that catches every Exception and tries the next)."""
    return _cap_here[0] is not None and _peaked()


def _interrupts_on() -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def run(fn: Callable[..., Any], args: tuple, timeout: float,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT) -> Budgeted:
    """``fn(report, *args)`` in a child; killed after ``timeout`` seconds. Children are not
    daemonic so that a budgeted function may itself run budgeted work; they are always
    killed and joined here."""
    if "fork" not in mp.get_all_start_methods():
        def report(_):
            return None
        try:
            return Budgeted("ok", fn(report, *args))
        except MemoryError:
            return Budgeted("memory", error=memory_message(memory_limit))
        except Exception as exc:
            return Budgeted("error", error=f"{type(exc).__name__}: {exc}")
    return run_many(fn, [args], timeout, jobs=1, memory_limit=memory_limit)[0]


#: seconds between the rings of an overdue timer whose first ring was swallowed
RING_AGAIN = 0.05


class OutOfTime(BaseException):
    """Raised by the interval timer of ``run_here`` and ``stop_after`` (not an Exception:
    nothing on the way swallows it)."""


def can_interrupt() -> bool:
    """Whether an interval timer can interrupt this thread (the main thread, with SIGALRM)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class stop_after:
    """Raise ``self.token`` (an :class:`OutOfTime`) inside the ``with`` block once ``seconds``
    have passed: the caller tells it from an enclosing timer's by ``exc is self.token``. Calls
    nest like ``run_here``: an enclosing timer that ends first still interrupts (``token`` is
    then None), and it goes on afterwards. Where no timer can interrupt this thread the block
    runs unbounded (``token`` None): callers also check the time themselves. The timer may
    ring on entering or leaving the block; the previous handler is restored either way."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.token: OutOfTime | None = OutOfTime()
        self.armed = False

    def __enter__(self) -> OutOfTime | None:
        self.outer, self.outer_interval = signal.getitimer(signal.ITIMER_REAL) if can_interrupt() else (0.0, 0.0)
        if not can_interrupt() or 0 < self.outer <= self.seconds:  # nothing to do, or the enclosing ends first
            self.token = None
            return None
        token = self.token

        def ring(signum, frame):
            # not once ``_disarm`` has begun, nor in ``__exit__`` before: the next ring is 50 ms away
            if self.armed and frame is not None and frame.f_code not in _OWN_CODE:
                raise token

        self.started = time.monotonic()
        self.previous = signal.signal(signal.SIGALRM, ring)
        self.armed = True
        try:
            # it rings again until disarmed: a raise swallowed on the way (in a ``__del__``) is not the end
            signal.setitimer(signal.ITIMER_REAL, max(self.seconds, 1e-6), RING_AGAIN)  # 0 would disarm it
            return token
        except BaseException:  # it rang at once: leave as if the block had started
            self._disarm()
            raise

    def __exit__(self, *exc) -> None:
        if self.armed:
            self._disarm()

    def _disarm(self) -> None:
        self.armed = False  # first: a ring from here on does nothing
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, self.previous)
            if self.outer > 0:  # the enclosing timer, with what is left of it (overdue: it rings at once)
                signal.setitimer(signal.ITIMER_REAL, max(self.outer - (time.monotonic() - self.started), 1e-6),
                                 self.outer_interval)


_OWN_CODE = (stop_after.__exit__.__code__, stop_after._disarm.__code__)


def within(deadline: float, fn: Callable[[], Any]) -> bool:
    """``fn()`` in this process, stopped at ``deadline`` (a ``time.monotonic()`` value); whether
    it finished. What it did by then stays done: it keeps its results where its caller sees
    them. For work that cannot fork (the reading of a file, which fills caches the checks
    use); where no timer can interrupt, ``fn`` runs to its end and checks the time itself."""
    if time.monotonic() >= deadline:
        return False
    alarm = stop_after(deadline - time.monotonic())
    try:
        with alarm:
            fn()
        return True
    except OutOfTime as exc:
        if exc is not alarm.token:
            raise
        return False


def by(deadline: float, fn: Callable[[], Any], late: Any = None) -> Any:
    """``fn()`` if it finishes by ``deadline`` (see :func:`within`), else ``late``."""
    got: list = []
    return got[0] if within(deadline, lambda: got.append(fn())) else late


def run_here(fn: Callable[..., Any], args: tuple, timeout: float) -> Budgeted:
    """``run`` in this process, stopped by an interval timer: for a short check inside a worker
    that is itself budgeted (no fork, no cold start). Calls nest: an enclosing ``run_here``
    whose budget ends first still interrupts, and its timer goes on afterwards. Where no timer
    can interrupt this thread (not the main thread, no SIGALRM), it is ``run``."""
    if not can_interrupt():
        return run(fn, args, timeout, _limit_here[0] or DEFAULT_MEMORY_LIMIT)
    partial: list = [None]

    def report(value):
        partial[0] = value

    alarm = stop_after(timeout)
    try:
        with alarm:
            return Budgeted("ok", fn(report, *args), partial[0])
    except OutOfTime as exc:
        if exc is not alarm.token:
            raise
        return Budgeted("timeout", partial=partial[0])
    except MemoryError:  # the worker's address-space limit: the call is stopped, the worker goes on
        return Budgeted("memory", partial=partial[0], error=memory_message(_limit_here[0]))
    except Exception as exc:
        return Budgeted("error", partial=partial[0], error=f"{type(exc).__name__}: {exc}")


def run_many(fn: Callable[..., Any], arg_list: list[tuple], timeout: float | list[float], jobs: int = 2,
             on_done: Callable[[int, Budgeted], None] | None = None,
             memory_limit: int | None = DEFAULT_MEMORY_LIMIT) -> list[Budgeted]:
    """``run`` for each argument tuple, up to ``jobs`` at a time; results in order. ``timeout``
    is one budget for every call, or a list with each call's.

    Up to ``jobs`` forked workers each take one call after another (they inherit the
    arguments, so nothing is pickled but the results, and what one call has computed
    stays cached for the next). Each call has its own budget from its own start: a call
    that overruns it is reported as a timeout and its worker is killed and replaced, so
    the results do not depend on the scheduling. ``on_done(k, result)`` is called as each ends.
    Each worker's address space is capped (``memory_limit`` bytes beyond what it inherits,
    None: no cap); a call that exceeds it is ``"memory"`` and its worker is replaced.
    """
    if not arg_list:
        return []
    budgets = list(timeout) if isinstance(timeout, (list, tuple)) else [timeout] * len(arg_list)
    if "fork" not in mp.get_all_start_methods():
        out = []
        for k, args in enumerate(arg_list):
            out.append(run(fn, args, budgets[k], memory_limit))
            if on_done:
                on_done(k, out[-1])
        return out
    from collections import deque
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork")
    results: list[Budgeted | None] = [None] * len(arg_list)
    queue = deque(range(len(arg_list)))
    live: dict = {}  # connection → _Worker

    def finish(w: _Worker, res: Budgeted) -> None:
        results[w.task] = res
        if on_done:
            on_done(w.task, res)
        w.task = None

    def give(w: _Worker) -> None:
        """The next call to ``w``, or its end when none is left."""
        if queue:
            w.task, w.partial = queue.popleft(), None
            w.deadline = time.monotonic() + budgets[w.task]
            w.conn.send(w.task)
        else:
            _close(w.conn, w.proc)  # still in ``live`` until it is joined: a Ctrl-C here leaves it to ``finally``
            del live[w.conn]

    def spawn() -> None:
        here, there = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(there, fn, arg_list, memory_limit), daemon=False)
        w = live[here] = _Worker(here, proc)  # known before it starts: a Ctrl-C cannot orphan it
        with interrupts_deferred():  # nor cut its start-up short (a traceback in the child)
            proc.start()
        there.close()
        give(w)

    try:
        for _ in range(min(max(1, jobs), len(arg_list))):
            spawn()
        while live:
            soonest = min(w.deadline for w in live.values())
            for conn in wait(list(live), timeout=max(0.0, soonest - time.monotonic())):
                w = live[conn]
                try:
                    kind, value = conn.recv()
                except (EOFError, OSError):  # a worker killed mid-message resets the pipe
                    kind, value = "died", None
                if kind == "partial":
                    w.partial = value
                    continue
                if kind == "died" and _killed_for_memory(w.proc):
                    kind = "memory"
                finish(w, Budgeted("ok", value, w.partial) if kind == "ok" else
                       Budgeted("memory", value, w.partial, memory_message(memory_limit)) if kind == "memory"
                       else Budgeted("error", partial=w.partial, error=value or "worker died"))
                if kind in ("died", "memory"):  # a worker out of memory is not reused: its heap is spent
                    _close(conn, w.proc)
                    del live[conn]
                    if queue:
                        spawn()
                else:
                    give(w)
            now = time.monotonic()
            for w in [w for w in live.values() if w.deadline <= now]:
                if memory_limit is not None and _peaked(w.proc.pid):  # stuck retrying failed allocations
                    finish(w, Budgeted("memory", partial=w.partial, error=memory_message(memory_limit)))
                else:
                    finish(w, Budgeted("timeout", partial=w.partial))
                _close(w.conn, w.proc)
                del live[w.conn]
                if queue:
                    spawn()
    finally:
        for w in live.values():
            _close(w.conn, w.proc)
    return results


@dataclass
class _Worker:
    conn: Any
    proc: Any
    task: int | None = None
    deadline: float = 0.0
    partial: Any = None


def _serve(conn, fn, arg_list, memory_limit: int | None = None) -> None:
    """A worker: run ``fn`` on the argument tuples whose indices arrive, until the parent ends it
    (or a call runs out of memory: the worker reports it and ends)."""
    def report(value):
        conn.send(("partial", value))
    try:
        _interrupts_on()  # a Ctrl-C that came during the fork is raised here, inside the try
        limit_memory(memory_limit)
        while True:
            k = conn.recv()
            out_of_memory, result = False, None
            try:
                result = fn(report, *arg_list[k])
                out_of_memory = reached_limit()  # a MemoryError that was caught on the way
                if not out_of_memory:
                    conn.send(("ok", result))
            except MemoryError:  # sent once the except block has released the call's frames
                out_of_memory = True
            except BaseException as exc:  # the parent decides what to do with it
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
            if out_of_memory:  # the result, if any, is what the call made of it without the memory
                conn.send(("memory", result))
                return
    except BaseException:  # Ctrl-C or a closed pipe while waiting: the parent handles it
        pass
    finally:
        conn.close()
        os._exit(0)


def _killed_for_memory(proc) -> bool:
    """Whether a worker that died was killed by the kernel (SIGKILL, which only the kernel's
    out-of-memory killer sends it: the parent kills a worker only past its budget)."""
    proc.join(1.0)
    return proc.exitcode == -signal.SIGKILL


def _close(conn, proc) -> None:
    if proc.pid is not None:  # started
        if proc.is_alive():
            proc.kill()
        proc.join()
    conn.close()
