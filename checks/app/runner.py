"""Check one file or many: the file-level cache, worker processes, progress.

A file whose text, options and mathlint code are unchanged is answered from the cache
without importing SymPy or the LaTeX parser. Several files are checked by ``jobs``
long-lived worker processes (each keeps its parser warm), in any order; the outcomes
come back in the order of the paths.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import queue
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..cache.store import MISS, Cache
from ..model import Result, Verdict
from ..runtime.budget import DEFAULT_FILE_BUDGET, DEFAULT_MEMORY_LIMIT, by
from ..runtime.memo import once
from ..sources.base import Source
from ..sources.files import InputError, read_source
from ..sources.formats import INPUT_FORMATS, format_of, positions, source_for

AUTO_COVERAGE = 0.6


class UsageError(Exception):
    """A bad option value found after argument parsing."""


@dataclass(frozen=True)
class Settings:
    seed: int = 0
    timeout: float = 20.0
    suggest: bool = True
    derivation: str = "auto"
    cache_dir: str | None = None
    jobs: int = 2
    file_budget: float | None = DEFAULT_FILE_BUDGET  # seconds per file, reading included (None: none)
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT  # bytes of address space per check worker (None: none)
    inline_suppressions: bool = True  # honour <!-- mathlint: ignore --> (off: --no-inline-suppressions)
    format_in: str | None = None  # every file read in this input format (--format-in); None: by suffix


@dataclass
class FileOutcome:
    path: str
    text: str = ""
    result: Result | None = None  # claims without their SymPy forms (what reporters use)
    derivation: str = "none"
    seconds: float = 0.0
    cached: bool = False
    error: str | None = None  # the file could not be read or checked


class ProgressBar:
    """A progress bar on a terminal (standard error) while several files are checked."""

    def __init__(self, total: int):
        self.total, self.bar = total, None

    def __enter__(self):
        if self.total > 1 and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True, console=None)
            self.bar.start()
            self.task = self.bar.add_task("checking", total=self.total)
        return self

    def advance(self, outcome: FileOutcome) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=Path(outcome.path).name)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def pick_derivation(name: str, text: str, source: Source | None = None):
    """The derivation to apply: by name, none, or (auto) the bundled one the post (read by
    ``source``, Markdown by default) matches."""
    if name == "none":
        return None
    from ..derivations import REGISTRY
    from ..derivations.framework import coverage
    from ..latex.reader import read_text

    if name != "auto":
        if name not in REGISTRY:
            raise UsageError(f"unknown derivation '{name}' (known: {', '.join(sorted(REGISTRY))}, auto, none)")
        return REGISTRY[name]
    source = source or source_for()
    blocks, codes = read_text(text, source=source), source.code_spans(text)
    scored = [(coverage(d, blocks, codes), d) for d in REGISTRY.values()]
    score, best = max(scored, key=lambda s: s[0], default=(0.0, None))
    return best if score >= AUTO_COVERAGE else None


def light(result: Result) -> Result:
    """The result without SymPy objects: what the reporters read, cheap to pickle and load."""
    claims = [replace(c, lhs=None, rhs=None, definitions=[], group=None,
                      conditions=[(r, str(a), str(b)) for r, a, b in c.conditions],
                      extra={k: v for k, v in c.extra.items() if isinstance(v, (str, int, float, bool))})
              for c in result.claims]
    return Result([], claims, None, list(result.findings))


def _load_dependent(result: Result) -> bool:
    """Whether a verdict depends on the machine's load (a budget or the memory limit ran out, a
    worker crashed): not cached."""
    return any(c.verdict == Verdict.TIMEOUT or c.stopped for c in result.claims)


def check_file(path: str, settings: Settings, jobs: int | None = None) -> FileOutcome:
    """Check one file (from the cache when nothing it depends on changed)."""
    start = time.monotonic()
    try:
        text = read_source(path, settings.format_in)
    except InputError as exc:
        return FileOutcome(path, error=str(exc))
    cache = Cache(settings.cache_dir) if settings.cache_dir else None
    kind = format_of(path, settings.format_in)
    source = source_for(path, kind)
    included = source.inputs(text) if INPUT_FORMATS[kind].includes else ()  # \input files
    parts = (kind, text, *included, settings.seed, settings.timeout, settings.suggest, settings.derivation,
             settings.inline_suppressions, settings.memory_limit)
    hit = MISS if cache is None else cache.get("file", parts)
    if hit is not MISS:
        result, derivation = hit
        return FileOutcome(path, text, located(path, text, result, kind), derivation, time.monotonic() - start,
                           cached=True)
    from ..options import CheckOptions
    from ..pipeline.engine import check_text

    fewer_collections()
    # the file's budget counts from here (imports done): choosing the derivation reads the post too
    deadline = None if settings.file_budget is None else time.monotonic() + settings.file_budget
    derivation = pick_derivation(settings.derivation, text, source) if deadline is None else \
        by(deadline, lambda: pick_derivation(settings.derivation, text, source))  # None when late: reading says so
    opts = CheckOptions(seed=settings.seed, timeout=settings.timeout, suggest=settings.suggest,
                        jobs=jobs or settings.jobs, cache=cache, file_budget=settings.file_budget,
                        deadline=deadline, memory_limit=settings.memory_limit,
                        inline_suppressions=settings.inline_suppressions)
    result = light(check_text(text, opts, derivation=derivation, source=source))
    name = derivation.name if derivation else "none"
    if cache is not None and not _load_dependent(result):
        cache.put("file", parts, (result, name))
    return FileOutcome(path, text, located(path, text, result, kind), name, time.monotonic() - start)


def located(path: str, text: str, result: Result, kind: str | None = None) -> Result:
    """``result`` with the user's position of each line it reports (a notebook's cell and line),
    set after the cache: the positions follow from the text, and storing them would cost more."""
    lines = [c.line for c in result.claims] + [f.line for f in result.findings] + \
        [e.line for c in result.claims if c.suggestion for e in c.suggestion.edits] + \
        [x.line for c in result.claims for x in c.cites if x.line is not None and x.file is None]
    result.positions = positions(path, text, lines, kind)
    return result


@once
def fewer_collections() -> None:
    """Once per process, with SymPy imported: a check allocates millions of short-lived
    objects, and with CPython's default thresholds the cycle collector ran 380 times per
    check of the softmax post (8 % of its time), three of them full scans of the 150 000
    objects that imports create. Those are frozen (they live as long as the process) and
    collections run 30 times less often; the peak memory grows by about 1 %."""
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def check_files(paths: list[str], settings: Settings,
                on_done: Callable[[FileOutcome], None] | None = None) -> list[FileOutcome]:
    """Check every file; with several files and ``jobs`` > 1, in worker processes."""
    if len(paths) == 1 or settings.jobs <= 1 or "fork" not in mp.get_all_start_methods():
        out = []
        for p in paths:
            out.append(_checked(p, settings, jobs=settings.jobs if len(paths) == 1 else 1))
            if on_done:
                on_done(out[-1])
        return _across(out, settings.format_in)
    return _across(_pool(paths, settings, on_done), settings.format_in)


def _across(outcomes: list[FileOutcome], given: str | None = None) -> list[FileOutcome]:
    """A citation of another checked file's equation is no dangling reference (ML006), and the
    claim that makes it names that file."""
    from ..findings.references import across_files

    across_files([(o.path, o.text, o.result) for o in outcomes if o.result is not None], given)
    return outcomes


def _checked(path: str, settings: Settings, jobs: int) -> FileOutcome:
    """``check_file``; a bug of mathlint's on this file is the file's error (a one-line message,
    exit 2), never a traceback, and the other files are still checked."""
    try:
        return check_file(path, settings, jobs=jobs)
    except Exception as exc:
        return FileOutcome(path, error=f"{path}: checker error: {type(exc).__name__}: {exc}")


def _worker(tasks, results, settings: Settings) -> None:
    """A file worker; a SIGTERM or Ctrl-C sent to the whole group (a cancelled CI job) ends it
    quietly: the parent reports the interruption and kills what is left."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _serve_files(tasks, results, settings)
    except KeyboardInterrupt:
        pass


def _serve_files(tasks, results, settings: Settings) -> None:
    while True:
        item = tasks.get()
        if item is None:
            return
        k, path = item
        results.put((k, _checked(path, settings, jobs=1)))


def _pool(paths: list[str], settings: Settings, on_done) -> list[FileOutcome]:
    ctx = mp.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    for k, p in enumerate(paths):
        tasks.put((k, p))
    n = min(settings.jobs, len(paths))
    for _ in range(n):
        tasks.put(None)
    # not daemonic: a worker runs each claim in a budgeted child process of its own
    procs = [ctx.Process(target=_worker, args=(tasks, results, settings), daemon=False) for _ in range(n)]
    for proc in procs:
        proc.start()
    out: list[FileOutcome | None] = [None] * len(paths)
    left = len(paths)
    try:
        while left:
            try:
                k, outcome = results.get(timeout=0.5)
            except queue.Empty:
                if not any(proc.is_alive() for proc in procs) and results.empty():
                    break
                continue
            out[k] = outcome
            left -= 1
            if on_done:
                on_done(outcome)
    finally:
        for proc in procs:
            if proc.is_alive() and left:
                proc.kill()
            proc.join()
    return [o or FileOutcome(p, error=f"{p}: checker error: its worker process died") for p, o in zip(paths, out)]
