"""The ``mathlint`` command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line message on usage errors."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"mathlint: error: {message}\n")


def _cmd_parse(args: argparse.Namespace) -> int:
    from .parse_report import FORMATS
    from .reader import read_markdown
    from .source import read_source

    text = read_source(args.file)
    blocks = read_markdown(text)
    sys.stdout.write(FORMATS[args.format](args.file, blocks))
    if args.strict and any(b.status != "parsed" for b in blocks):
        return EXIT_FINDINGS
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from .check_report import FORMATS
    from .engine import CheckOptions, check_text
    from .report_machine import render_github, render_junit, render_sarif

    FORMATS.update(sarif=render_sarif, junit=render_junit, github=render_github)
    from .source import read_source

    from .config import find_config

    text = read_source(args.file)
    cfg = find_config(Path(args.file))
    args.seed = args.seed if args.seed is not None else (cfg.seed if cfg.seed is not None else 0)
    args.timeout = args.timeout if args.timeout is not None else (cfg.timeout or 20.0)
    if args.timeout <= 0:
        raise _Usage("--timeout must be positive")
    derivation = _derivation(args.derivation, text)
    opts = CheckOptions(seed=args.seed, timeout=args.timeout, suggest=not args.no_fix)
    if args.report and Path(args.report).suffix not in (".pdf", ".tex"):
        raise _Usage("--report must end in .pdf or .tex")
    start = time.monotonic()
    result = check_text(text, opts, derivation=derivation)
    result.findings = [f for f in result.findings if cfg.severity.get(f["rule"]) != "off"]
    if args.format == "text":
        rendered = FORMATS["text"](args.file, result, args.seed, verbosity=args.verbose - args.quiet)
    else:
        rendered = FORMATS[args.format](args.file, result, args.seed)
    if args.output:
        from .report_pdf import write_atomic
        write_atomic(Path(args.output), rendered.encode("utf-8"))
    elif args.format == "text" and sys.stdout.isatty():
        _print_colored(rendered)
    else:
        sys.stdout.write(rendered)
    if args.report:
        from .report_pdf import write_report
        msg = write_report(Path(args.report), args.file, result, text, args.seed, time.monotonic() - start,
                           derivation.name if derivation else "none")
        print(f"mathlint: {msg}", file=sys.stderr)
    failing = [c for c in result.claims if c.verdict in cfg.fail_on and not c.extra.get("suppressed")]
    failing += [f for f in result.findings if cfg.severity.get(f["rule"]) == "error"]
    return EXIT_FINDINGS if failing else EXIT_OK


def _derivation(name: str, text: str):
    """The derivation to apply: by name, none, or (auto) the bundled one the post matches."""
    if name == "none":
        return None
    from checks.derivation import coverage
    from derivations import REGISTRY

    if name != "auto":
        if name not in REGISTRY:
            raise _Usage(f"unknown derivation '{name}' (known: {', '.join(sorted(REGISTRY))}, auto, none)")
        return REGISTRY[name]
    from .extract import code_spans
    from .reader import read_markdown

    blocks, codes = read_markdown(text), code_spans(text)
    scored = [(coverage(d, blocks, codes), d) for d in REGISTRY.values()]
    score, best = max(scored, key=lambda s: s[0], default=(0.0, None))
    return best if score >= AUTO_COVERAGE else None


AUTO_COVERAGE = 0.6


def _print_colored(text: str) -> None:
    """The text report with verdicts and rule codes coloured (only ever called on a TTY)."""
    from rich.console import Console
    from rich.highlighter import RegexHighlighter
    from rich.theme import Theme

    class _Verdicts(RegexHighlighter):
        base_style = "ml."
        highlights = [r"(?P<refuted>\brefuted\b)", r"(?P<proved>\bproved\b)", r"(?P<consistent>\bconsistent\b)",
                      r"(?P<assume>\bneeds-assumption\b)", r"(?P<other>\b(unparsed|timeout|unchecked)\b)",
                      r"(?P<rule>\bML\d{3}\b)", r"(?P<where>^[^\s:]+:\d+:)"]

    theme = Theme({"ml.refuted": "bold red", "ml.proved": "green", "ml.consistent": "cyan",
                   "ml.assume": "yellow", "ml.other": "magenta", "ml.rule": "bold", "ml.where": "dim"})
    console = Console(highlighter=_Verdicts(), theme=theme, soft_wrap=True)
    for line in text.splitlines():
        console.print(line, markup=False)


class _Usage(Exception):
    """A bad option value found after argument parsing."""


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mathlint", description="Check the math of a Markdown post, step by step.")
    p.add_argument("--version", action="version", version=f"mathlint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    parse = sub.add_parser("parse", help="read every math span into SymPy and show the result")
    parse.add_argument("file", metavar="FILE", help="Markdown file")
    parse.add_argument("--format", choices=("text", "json"), default="text")
    parse.add_argument("--strict", action="store_true", help="exit 1 when any span is unparsed")
    parse.set_defaults(run=_cmd_parse)
    check = sub.add_parser("check", help="check every relation of a post: proved, consistent or refuted")
    check.add_argument("file", metavar="FILE", help="Markdown file")
    check.add_argument("--format", choices=("text", "json", "sarif", "junit", "github"), default="text")
    check.add_argument("--output", metavar="FILE", help="write the --format output to FILE (atomically) "
                                                        "instead of standard output")
    check.add_argument("--seed", type=int, default=None, help="random seed for numeric checks (default 0)")
    check.add_argument("--timeout", type=float, default=None, metavar="S",
                       help="time budget per claim in seconds (default 20)")
    check.add_argument("--derivation", default="auto", metavar="NAME",
                       help="encoded derivation to apply: a name (softmax), auto (default: the bundled one "
                            "the post matches) or none")
    check.add_argument("--no-fix", action="store_true", help="do not search suggested fixes (faster)")
    check.add_argument("-q", "--quiet", action="count", default=0, help="text format: the summary line only")
    check.add_argument("-v", "--verbose", action="count", default=0,
                       help="text format: also every claim that holds or was not checked")
    check.add_argument("--report", metavar="PATH", help="also write a report: PATH.pdf (LaTeX + xelatex) or PATH.tex")
    check.set_defaults(run=_cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    from .config import ConfigError
    from .source import InputError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (InputError, _Usage, ConfigError) as exc:
        print(f"mathlint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mathlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
