"""The ``mathlint`` command line."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..runtime.budget import DEFAULT_FILE_BUDGET, DEFAULT_MEMORY_LIMIT, GiB

if TYPE_CHECKING:
    from .config import Config
    from .runner import FileOutcome, Settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def visible(text: str) -> str:
    """``text`` safe for one line of standard error (imported when an error is printed)."""
    from ..report.safetext import visible as made_visible

    return made_visible(text)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line message on usage errors."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"mathlint: error: {message}\n")


def _cmd_parse(args: argparse.Namespace) -> int:
    from ..latex.reader import read_text
    from ..report.parse import FORMATS
    from ..sources.files import read_source
    from ..sources.formats import source_for

    given = _format_in(args)
    text = read_source(args.file, given)
    if not args.timeout > 0:
        raise _Usage("--timeout must be positive")
    source = source_for(args.file, given)
    blocks = read_text(text, deadline=time.monotonic() + args.timeout, budget_seconds=args.timeout, source=source)
    lines = {s.line for b in blocks for st in b.statements for s in [b.span, st, *st.sides]}
    sys.stdout.write(FORMATS[args.format](args.file, blocks, source.positions(text, lines)))
    if args.strict and any(b.status != "parsed" for b in blocks):
        return EXIT_FINDINGS
    return EXIT_OK


@dataclass(frozen=True)
class _Configs:
    """The configuration of each checked file (``--config`` pins one, ``--isolated`` none)."""

    explicit: Path | None
    isolated: bool

    def of(self, path: str) -> Config:
        from .config import find_config

        return find_config(Path(path), explicit=self.explicit, isolated=self.isolated)


def _format_in(args: argparse.Namespace) -> str | None:
    """The ``--format-in`` format (None: each file's by its suffix); an unknown one is a usage error."""
    if args.format_in is None:
        return None
    from ..sources.formats import checked_format

    try:
        return checked_format(args.format_in)
    except ValueError as exc:
        raise _Usage(f"--format-in: {exc}") from None


def _cmd_check(args: argparse.Namespace) -> int:
    """Settings, running, output, report, exit code: each a function below."""
    from ..runtime.atomic import write_all
    from ..sources.files import without_included

    given = _format_in(args)
    paths = without_included(_discovered(args), given)  # an \input file: checked as part of its includer
    _refuse_bad_options(args, paths)
    configs = _Configs(Path(args.config) if args.config else None, args.isolated)
    settings = replace(_settings(args, paths, configs.of(paths[0])), format_in=given)
    outcomes = _run(paths, settings)
    broken = [o for o in outcomes if o.error]
    for o in broken:
        print(f"mathlint: error: {visible(o.error)}", file=sys.stderr)
    done = [o for o in outcomes if not o.error]
    if not done:
        return EXIT_USAGE
    config_of = {o.path: configs.of(o.path) for o in done}
    _drop_findings_turned_off(done, config_of)
    files = _output(args, _rendered(args, done, settings.seed))
    message = None
    if args.report:
        report, message = _report(Path(args.report), done[0], settings.seed, given)
        files.update(report)
    write_all(files)  # the output and the report together, or neither (Ctrl-C while the PDF builds)
    if message:
        print(f"mathlint: {visible(message)}", file=sys.stderr)
    return _exit_code(args, done, broken, config_of)


def _discovered(args: argparse.Namespace) -> list[str]:
    """The files to check; in a folder, those the include/exclude patterns select (the flags, else
    the folder's configuration)."""
    from ..sources.files import Globs, discover
    from .config import patterns

    configs = _Configs(Path(args.config) if args.config and not args.isolated else None, args.isolated)
    include = patterns(args.include, "--include") if args.include else None
    exclude = patterns(args.exclude, "--exclude") if args.exclude else None

    def globs(folder: Path) -> Globs:
        cfg = configs.of(str(folder / "*")) if include is None or exclude is None else None
        return Globs(include if include is not None else cfg.include, exclude if exclude is not None else cfg.exclude)

    try:
        return discover(args.files, globs)
    except OSError as exc:
        raise _Usage(str(exc)) from None


def _refuse_bad_options(args: argparse.Namespace, paths: list[str]) -> None:
    """Option values that contradict each other or the files: usage errors, before any work."""
    if args.report and Path(args.report).suffix not in (".pdf", ".tex"):
        raise _Usage("--report must end in .pdf or .tex")
    if args.report and len(paths) > 1:
        raise _Usage("--report writes one file's report: name one file (use --format/--output for several)")
    if args.jobs is not None and args.jobs < 1:
        raise _Usage("--jobs must be at least 1")
    if args.derivation not in ("auto", "none"):
        from ..derivations import REGISTRY

        if args.derivation not in REGISTRY:
            raise _Usage(f"unknown derivation '{args.derivation}' (known: {', '.join(sorted(REGISTRY))}, auto, none)")
    if args.config and args.isolated:
        raise _Usage("--config and --isolated exclude each other")
    _refuse_overwriting(paths, [args.output, args.report,
                                args.report and str(Path(args.report).with_suffix(".tex"))])


def _settings(args: argparse.Namespace, paths: list[str], cfg: Config) -> Settings:
    """The options of the run: the flags, else the first file's configuration, else the defaults."""
    from .config import MAX_TIMEOUT
    from .runner import Settings

    seed = args.seed if args.seed is not None else (cfg.seed if cfg.seed is not None else 0)
    timeout = args.timeout if args.timeout is not None else (cfg.timeout or 20.0)
    if args.memory_limit is not None and 0 < args.memory_limit < GiB // 16:
        raise _Usage("--memory-limit must be at least 64M (or 0 for none)")
    for flag, value, cap in (("--timeout", timeout, MAX_TIMEOUT), ("--file-timeout", args.file_timeout, None)):
        if value is not None and not value > 0:
            raise _Usage(f"{flag} must be positive")
        if value is not None and cap is not None and value > cap:
            raise _Usage(f"{flag} must be at most {cap:g} seconds")
    return Settings(seed=seed, timeout=timeout, suggest=not args.no_fix, derivation=args.derivation,
                    cache_dir=_cache_dir(args, paths), jobs=args.jobs or max(1, min(2, os.cpu_count() or 1)),
                    file_budget=args.file_timeout, inline_suppressions=not args.no_inline_suppressions,
                    memory_limit=None if args.memory_limit == 0 else args.memory_limit)


def _cache_dir(args: argparse.Namespace, paths: list[str]) -> str | None:
    """The cache folder, or None: ``--no-cache``, ``MATHLINT_NO_CACHE`` without ``--cache-dir``, or
    a ``--cache-dir`` inside the checked tree (where the change under review could forge it)."""
    from ..cache.store import default_dir

    if args.no_cache or (os.environ.get("MATHLINT_NO_CACHE") and not args.cache_dir):
        return None
    cache_dir = args.cache_dir or str(default_dir())
    if args.cache_dir and _inside_checked_tree(cache_dir, paths):
        print(f"mathlint: warning: the cache folder {visible(cache_dir)} is inside the checked tree, where "
              "the change under review could forge it: not used (use the default, or a folder outside)",
              file=sys.stderr)
        return None
    return cache_dir


def _run(paths: list[str], settings: Settings) -> list[FileOutcome]:
    """Every file checked (a progress bar on a terminal), outcomes in the order of ``paths``."""
    from ..cache.store import Cache
    from .runner import ProgressBar, UsageError, check_files

    if settings.cache_dir:
        Cache(settings.cache_dir).usable()  # the folder and its key made or checked once, before workers fork
    try:
        with ProgressBar(len(paths)) as progress:
            return check_files(paths, settings, on_done=progress.advance)
    except UsageError as exc:
        raise _Usage(str(exc)) from None


def _drop_findings_turned_off(done: list[FileOutcome], config_of: dict[str, Config]) -> None:
    for o in done:
        o.result.findings = [f for f in o.result.findings if config_of[o.path].severity.get(f.rule) != "off"]


def _rendered(args: argparse.Namespace, done: list[FileOutcome], seed: int) -> str:
    from ..report.formats import FORMATS

    return FORMATS[args.format].render([(o.path, o.result) for o in done], seed, verbosity=args.verbose - args.quiet)


def _output(args: argparse.Namespace, rendered: str) -> dict[Path, bytes]:
    """Shows ``rendered`` now, or returns it as the file to write with ``--output``."""
    from ..report.formats import FORMATS

    if args.output:
        return {Path(args.output): rendered.encode("utf-8")}
    show = FORMATS[args.format].on_terminal
    if show is not None and sys.stdout.isatty():
        show(rendered)
    else:
        sys.stdout.write(rendered)
    return {}


def _report(out: Path, o: FileOutcome, seed: int, given: str | None = None) -> tuple[dict[Path, bytes], str | None]:
    """The PDF/TeX report of the one checked file, and a message about it (None: none)."""
    from ..report.pdf import build_report

    return build_report(out, o.path, o.result, o.text, seed, o.seconds, o.derivation, given=given)


def _exit_code(args: argparse.Namespace, done: list[FileOutcome], broken: list[FileOutcome],
               config_of: dict[str, Config]) -> int:
    if broken:
        return EXIT_USAGE
    from ..model import Verdict

    # what ``--strict`` adds to the verdicts that fail the run: a claim that was not decided
    strict = (Verdict.UNPARSED, Verdict.UNCHECKED, Verdict.TIMEOUT) if args.strict else ()
    return EXIT_FINDINGS if any(_fails(o.result, config_of[o.path], strict) for o in done) else EXIT_OK


def _inside_checked_tree(folder: str, paths: list[str]) -> bool:
    """Whether ``folder`` (as written, and with its links resolved) lies in the repository of a
    checked file (the folder holding ``.git``), or in the file's own folder outside any repository."""
    from .config import repository_root

    candidates = {Path(os.path.abspath(folder)), Path(folder).resolve()}
    for p in paths:
        start = Path(os.path.abspath(p)).parent
        root = repository_root(start) or start
        if any(c.is_relative_to(r) for c in candidates for r in {root, root.resolve()}):
            return True
    return False


def _refuse_overwriting(inputs: list[str], outputs: list[str | None]) -> None:
    """An output path that is one of the posts would replace the post: a usage error."""
    ins = {Path(p).resolve() for p in inputs}
    for out in filter(None, outputs):
        if Path(out).resolve() in ins:
            raise _Usage(f"{out} is one of the files being checked: it would be overwritten")


def _fails(result, cfg, strict: tuple[str, ...] = ()) -> bool:
    failing = set(cfg.fail_on) | set(strict)
    return any(c.verdict in failing and not c.extra.get("suppressed") for c in result.claims) or \
        any(cfg.severity.get(f.rule) == "error" for f in result.findings)


class _Usage(Exception):
    """A bad option value found after argument parsing."""


class Terminated(BaseException):
    """SIGTERM (a CI job cancelled, ``timeout``): raised in the main thread so that, as for
    Ctrl-C, every ``finally`` runs: workers and TeX are killed, temporary files removed."""


def _on_sigterm():
    """Turn SIGTERM into :class:`Terminated`; returns the previous handler (None off the main thread)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def raise_terminated(signum, frame):
        raise Terminated()
    return signal.signal(signal.SIGTERM, raise_terminated)


def _bytes(text: str) -> int:
    """``500M``, ``2G``, ``1048576``: a size in bytes (argparse type)."""
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    number, unit = text.strip()[:-1], text.strip()[-1:].upper()
    if unit.isdigit():
        number, unit = text.strip(), ""
    try:
        value = float(number) * units[unit]
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 500M or 2G") from None
    if not 0 <= value < float("inf"):  # nan, inf: no size
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 500M or 2G")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    from ..report.formats import DEFAULT_FORMAT, FORMATS
    from ..sources.formats import INPUT_FORMATS

    format_in = (f"read every file in this input format ({', '.join(INPUT_FORMATS)}) instead of the one "
                 "its suffix names")
    p = _Parser(prog="mathlint", description="Check the math of a Markdown post, step by step.")
    p.add_argument("--version", action="version", version=f"mathlint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    parse = sub.add_parser("parse", help="read every math span into SymPy and show the result")
    parse.add_argument("file", metavar="FILE", help="a file of a format read (Markdown, notebook, LaTeX, …)")
    parse.add_argument("--format", choices=("text", "json"), default="text")
    parse.add_argument("--format-in", metavar="FORMAT", help=format_in)
    parse.add_argument("--strict", action="store_true", help="exit 1 when any span is unparsed")
    parse.add_argument("--timeout", type=float, default=DEFAULT_FILE_BUDGET, metavar="S",
                       help=f"time budget for reading the file (default {DEFAULT_FILE_BUDGET:g} s): spans not "
                            "read by then are unparsed")
    parse.set_defaults(run=_cmd_parse)
    check = sub.add_parser("check", help="check every relation of a post: proved, consistent or refuted")
    check.add_argument("files", metavar="PATH", nargs="+",
                       help="files, or folders (every file of a format read: *.md, *.ipynb, …)")
    check.add_argument("--format", choices=tuple(FORMATS), default=DEFAULT_FORMAT)
    check.add_argument("--format-in", metavar="FORMAT", help=format_in)
    check.add_argument("--output", metavar="FILE", help="write the --format output to FILE (atomically) "
                                                        "instead of standard output")
    check.add_argument("--seed", type=int, default=None, help="random seed for numeric checks (default 0)")
    check.add_argument("--timeout", type=float, default=None, metavar="S",
                       help="time budget per claim in seconds (default 20)")
    check.add_argument("--file-timeout", type=float, default=DEFAULT_FILE_BUDGET, metavar="S",
                       help="time budget per file in seconds, reading included: claims not checked by then "
                            f"are `timeout` (default {DEFAULT_FILE_BUDGET:g})")
    check.add_argument("--memory-limit", type=_bytes, default=DEFAULT_MEMORY_LIMIT, metavar="SIZE",
                       help="address space each check may add, e.g. 500M or 2G (default 2G; 0: no limit); "
                            "a check that reaches it is `timeout`, naming the limit")
    check.add_argument("--derivation", default="auto", metavar="NAME",
                       help="encoded derivation to apply: a name (softmax), auto (default: the bundled one "
                            "the post matches) or none")
    check.add_argument("--no-fix", action="store_true", help="do not search suggested fixes (faster)")
    check.add_argument("-q", "--quiet", action="count", default=0, help="text format: the summary line only")
    check.add_argument("-v", "--verbose", action="count", default=0,
                       help="text format: also every claim that holds or was not checked")
    check.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="worker processes (default: up to 2): files at a time, or claims of one file")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="where results are cached (default: the user's cache folder, e.g. ~/.cache/mathlint)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    check.add_argument("--report", metavar="PATH", help="also write a report: PATH.pdf (LaTeX + xelatex) or PATH.tex")
    check.add_argument("--config", metavar="FILE",
                       help="read the configuration from FILE only (a mathlint.toml or a [tool.mathlint] table); "
                            "in CI, pins it against files the checked change adds")
    check.add_argument("--isolated", action="store_true", help="read no configuration file")
    check.add_argument("--include", action="append", metavar="GLOB",
                       help="in a folder, check only the files that match GLOB (repeatable; replaces the "
                            "configuration's include)")
    check.add_argument("--exclude", action="append", metavar="GLOB",
                       help="in a folder, skip the files that match GLOB, e.g. drafts or '*.draft.md' "
                            "(repeatable; replaces the configuration's exclude)")
    check.add_argument("--strict", action="store_true",
                       help="also fail (exit 1) when a claim is unparsed, unchecked or timeout")
    check.add_argument("--no-inline-suppressions", action="store_true",
                       help="ignore <!-- mathlint: ignore --> comments in the posts")
    check.set_defaults(run=_cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    from ..sources.files import InputError
    from .config import ConfigError

    args = build_parser().parse_args(argv)
    previous = _on_sigterm()
    try:
        return args.run(args)
    except (InputError, _Usage, ConfigError) as exc:
        print(f"mathlint: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mathlint: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("mathlint: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug of mathlint's: one line and exit 2, never a traceback or exit 1
        print(f"mathlint: internal error: {visible(f'{type(exc).__name__}: {exc}')} (please report it)",
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def run() -> None:
    """The console script: ``main``, then an immediate exit once the output is flushed. The
    interpreter's own teardown (collecting every SymPy object of the check) takes about a
    tenth of a second and changes nothing: files are written and worker processes joined."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # a reader that went away (``| head``) is not an error
        pass
    except KeyboardInterrupt:
        code = 130
    os._exit(code)


if __name__ == "__main__":  # ``python -m mathlint.app.cli``: a normal exit, for callers that go on after it
    sys.exit(main())
