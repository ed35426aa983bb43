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
    """``fn(report, *args)`` in a child; killed after ``timeout`` seconds."""
    if "fork" not in mp.get_all_start_methods():
        def report(_):
            return None
        try:
            return Budgeted("ok", fn(report, *args))
        except Exception as exc:
            return Budgeted("error", error=f"{type(exc).__name__}: {exc}")
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
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
