"""Run a function under a wall-clock budget in a forked child process.

Unlike ``signal.alarm`` this works from any thread and inside worker processes.
The child may report partial results (``report(x)``) before its final one; on
timeout the parent gets the last partial result, if any.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class Budgeted:
    status: str  # "ok" | "timeout" | "error"
    result: Any = None
    partial: Any = None
    error: str = ""


def _child(conn, fn, args):
    def report(value):
        conn.send(("partial", value))
    try:
        conn.send(("ok", fn(report, *args)))
    except BaseException as exc:  # the parent decides what to do with it
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
        os._exit(0)


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
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args), daemon=False)
    proc.start()
    send.close()
    deadline = time.monotonic() + timeout
    partial = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not recv.poll(left):
                return Budgeted("timeout", partial=partial)
            try:
                kind, value = recv.recv()
            except EOFError:
                return Budgeted("error", partial=partial, error="worker died")
            if kind == "partial":
                partial = value
            elif kind == "ok":
                return Budgeted("ok", value, partial)
            else:
                return Budgeted("error", partial=partial, error=value)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()


def run_many(fn: Callable[..., Any], arg_list: list[tuple], timeout: float, jobs: int = 2,
             on_done: Callable[[int, Budgeted], None] | None = None) -> list[Budgeted]:
    """``run`` for each argument tuple, with up to ``jobs`` children at a time; results in order.

    Each child has its own budget from its own start, so the results do not depend on the
    scheduling (only on each call's arguments). ``on_done(k, result)`` is called as each ends.
    """
    if jobs <= 1 or len(arg_list) <= 1 or "fork" not in mp.get_all_start_methods():
        out = []
        for k, args in enumerate(arg_list):
            out.append(run(fn, args, timeout))
            if on_done:
                on_done(k, out[-1])
        return out
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork")
    results: list[Budgeted | None] = [None] * len(arg_list)
    pending = list(enumerate(arg_list))
    live: dict = {}  # connection → (index, process, deadline, partial)
    try:
        while pending or live:
            while pending and len(live) < jobs:
                k, args = pending.pop(0)
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(send, fn, args), daemon=False)
                proc.start()
                send.close()
                live[recv] = [k, proc, time.monotonic() + timeout, None]
            now = time.monotonic()
            soonest = min(v[2] for v in live.values())
            for conn in wait(list(live), timeout=max(0.0, soonest - now)):
                k, proc, deadline, partial = live[conn]
                try:
                    kind, value = conn.recv()
                except EOFError:
                    kind, value = "died", None
                if kind == "partial":
                    live[conn][3] = value
                    continue
                results[k] = (Budgeted("ok", value, partial) if kind == "ok" else
                              Budgeted("error", partial=partial, error=value or "worker died"))
                _close(conn, proc)
                del live[conn]
                if on_done:
                    on_done(k, results[k])
            now = time.monotonic()
            for conn in [c for c, v in live.items() if v[2] <= now]:
                k, proc, _, partial = live.pop(conn)
                results[k] = Budgeted("timeout", partial=partial)
                _close(conn, proc)
                if on_done:
                    on_done(k, results[k])
    finally:
        for conn, (_, proc, _, _) in live.items():
            _close(conn, proc)
    return results


def _close(conn, proc) -> None:
    if proc.is_alive():
        proc.kill()
    proc.join()
    conn.close()
