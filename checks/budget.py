"""Run a function under a wall-clock budget in a forked child process.

Unlike ``signal.alarm`` this works from any thread and inside worker processes.
The child may report partial results (``report(x)``) before its final one; on
timeout the parent gets the last partial result, if any. ``run_many`` runs many
calls on a few forked workers, each call with its own budget; ``run_here`` runs a
short call inside a worker under an interval timer, without forking again.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from .atomic import interrupts_deferred


@dataclass
class Budgeted:
    status: str  # "ok" | "timeout" | "error"
    result: Any = None
    partial: Any = None
    error: str = ""


def _interrupts_on() -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def run(fn: Callable[..., Any], args: tuple, timeout: float) -> Budgeted:
    """``fn(report, *args)`` in a child; killed after ``timeout`` seconds. Children are not
    daemonic so that a budgeted function may itself run budgeted work; they are always
    killed and joined here."""
    if "fork" not in mp.get_all_start_methods():
        def report(_):
            return None
        try:
            return Budgeted("ok", fn(report, *args))
        except Exception as exc:
            return Budgeted("error", error=f"{type(exc).__name__}: {exc}")
    return run_many(fn, [args], timeout, jobs=1)[0]


class _OutOfTime(BaseException):
    """Raised by the interval timer of ``run_here`` (not an Exception: nothing on the way swallows it)."""


def run_here(fn: Callable[..., Any], args: tuple, timeout: float) -> Budgeted:
    """``run`` in this process, stopped by an interval timer: for a short check inside a worker
    that is itself budgeted (no fork, no cold start). Calls nest: an enclosing ``run_here``
    whose budget ends first still interrupts, and its timer goes on afterwards. Where no timer
    can interrupt this thread (not the main thread, no SIGALRM), it is ``run``."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return run(fn, args, timeout)
    partial: list = [None]

    def report(value):
        partial[0] = value

    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    if 0 < outer <= timeout:  # the enclosing budget ends first and interrupts this call too
        try:
            return Budgeted("ok", fn(report, *args), partial[0])
        except Exception as exc:
            return Budgeted("error", partial=partial[0], error=f"{type(exc).__name__}: {exc}")
    mine = _OutOfTime()

    def ring(signum, frame):
        raise mine

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, ring)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            return Budgeted("ok", fn(report, *args), partial[0])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # a one-shot timer: if it rang here, it is spent
    except _OutOfTime as exc:
        if exc is not mine:
            raise
        return Budgeted("timeout", partial=partial[0])
    except Exception as exc:
        return Budgeted("error", partial=partial[0], error=f"{type(exc).__name__}: {exc}")
    finally:
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # the enclosing timer, with what is left of it (overdue: it rings at once)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-6))


def run_many(fn: Callable[..., Any], arg_list: list[tuple], timeout: float | list[float], jobs: int = 2,
             on_done: Callable[[int, Budgeted], None] | None = None) -> list[Budgeted]:
    """``run`` for each argument tuple, up to ``jobs`` at a time; results in order. ``timeout``
    is one budget for every call, or a list with each call's.

    Up to ``jobs`` forked workers each take one call after another (they inherit the
    arguments, so nothing is pickled but the results, and what one call has computed
    stays cached for the next). Each call has its own budget from its own start: a call
    that overruns it is reported as a timeout and its worker is killed and replaced, so
    the results do not depend on the scheduling. ``on_done(k, result)`` is called as each ends.
    """
    if not arg_list:
        return []
    budgets = list(timeout) if isinstance(timeout, (list, tuple)) else [timeout] * len(arg_list)
    if "fork" not in mp.get_all_start_methods():
        out = []
        for k, args in enumerate(arg_list):
            out.append(run(fn, args, budgets[k]))
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
        proc = ctx.Process(target=_serve, args=(there, fn, arg_list), daemon=False)
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
                except EOFError:
                    kind, value = "died", None
                if kind == "partial":
                    w.partial = value
                    continue
                finish(w, Budgeted("ok", value, w.partial) if kind == "ok" else
                       Budgeted("error", partial=w.partial, error=value or "worker died"))
                if kind == "died":
                    _close(conn, w.proc)
                    del live[conn]
                    if queue:
                        spawn()
                else:
                    give(w)
            now = time.monotonic()
            for w in [w for w in live.values() if w.deadline <= now]:
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


def _serve(conn, fn, arg_list) -> None:
    """A worker: run ``fn`` on the argument tuples whose indices arrive, until the parent ends it."""
    def report(value):
        conn.send(("partial", value))
    try:
        _interrupts_on()  # a Ctrl-C that came during the fork is raised here, inside the try
        while True:
            k = conn.recv()
            try:
                conn.send(("ok", fn(report, *arg_list[k])))
            except BaseException as exc:  # the parent decides what to do with it
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
    except BaseException:  # Ctrl-C or a closed pipe while waiting: the parent handles it
        pass
    finally:
        conn.close()
        os._exit(0)


def _close(conn, proc) -> None:
    if proc.pid is not None:  # started
        if proc.is_alive():
            proc.kill()
        proc.join()
    conn.close()
