"""Run an attack post through the real CLI, in every output format and with ``--report``, and
collect what a reviewer of the run would look at: exit codes, outputs, files left, processes
left, time and memory."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POSTS = Path(__file__).resolve().parent / "posts"
FORMATS = ("json", "text", "sarif", "junit", "github")
SECRET = "mathlint-secret-7f3a9c1e"  # a local file's content that must reach no output
TEX = shutil.which("latexmk") is not None and shutil.which("xelatex") is not None

# Runs the CLI as a child and prints, last on standard error, the peak memory of its process tree
_WRAPPER = r"""
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
print(f"\n@@maxrss {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int


@dataclass
class Outcome:
    """Every run of one attack: the first (JSON, the PDF report), then each other format."""

    folder: Path
    runs: dict[str, Run] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # format → the --output file's text
    report: bytes = b""  # the PDF (or the .tex it degraded to)
    report_text: str = ""  # what the PDF shows (pdftotext)

    def claims(self) -> list[dict]:
        return json.loads(self.outputs["json"])["claims"]

    def verdicts(self, lines: set[int] | None = None) -> list[tuple[int, str, str]]:
        return [(c["line"], c["latex"], c["verdict"]) for c in self.claims() if lines is None or c["line"] in lines]

    def everything(self) -> str:
        """All that the run showed: standard streams, every output, the report's text and source."""
        parts = [r.stdout + r.stderr for r in self.runs.values()] + list(self.outputs.values())
        parts.append(self.report_text)
        parts.append(self.report.decode("latin-1"))
        parts += [_inflated(self.report)]
        tex = self.folder / "report.tex"
        if tex.exists():
            parts.append(tex.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)


def prepare(folder: Path, name: str, **fill: str) -> Path:
    """The attack post ``posts/NAME.md`` in ``folder``, its ``@KEY@`` placeholders filled."""
    text = (POSTS / f"{name}.md").read_text(encoding="utf-8")
    for key, value in fill.items():
        text = text.replace(f"@{key}@", value)
    post = folder / f"{name}.md"
    post.write_text(text, encoding="utf-8")
    return post


def cli(folder: Path, *args: str, timeout: float = 240, env: dict | None = None) -> Run:
    """``mathlint ARGS`` in ``folder`` with a temporary folder of its own (checked empty after)."""
    tmp = folder / "tmpdir"
    tmp.mkdir(exist_ok=True)
    full_env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("MATHLINT_NO_CACHE", None)  # each run names its cache folder, or --no-cache
    full_env.setdefault("XDG_CACHE_HOME", str(folder / "xdg-cache"))  # the default folder, never the user's
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "mathlint", *args],
                          cwd=folder, capture_output=True, text=True, timeout=timeout, env=full_env,
                          stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    m = re.search(r"\n@@maxrss (\d+)\n?$", proc.stderr)
    stderr = proc.stderr[:m.start()] if m else proc.stderr
    return Run(proc.returncode, proc.stdout, stderr, seconds, int(m.group(1)) if m else 0)


def attack(folder: Path, post: Path, *extra: str, report: bool = True, timeout: float = 240,
           env: dict | None = None) -> Outcome:
    """The post in every format: one full check (JSON and the report), then the other formats,
    from the run's own cache folder (a cached result renders the same claims)."""
    out = Outcome(folder)
    cache = ["--cache-dir", str(folder.parent / f"{folder.name}-cache")]  # outside the checked tree
    for fmt in FORMATS:
        target = folder / f"out.{fmt}"
        args = ["check", post.name, "--format", fmt, "--output", target.name, "--no-fix", *cache, *extra]
        if fmt == "json" and report:
            args += ["--report", "report.pdf"]
        out.runs[fmt] = cli(folder, *args, timeout=timeout, env=env)
        out.outputs[fmt] = target.read_text(encoding="utf-8") if target.exists() else ""
    for name in ("report.pdf", "report.tex"):
        if (folder / name).exists():
            out.report = (folder / name).read_bytes()
            break
    if (folder / "report.pdf").exists() and shutil.which("pdftotext"):
        out.report_text = subprocess.run(["pdftotext", "report.pdf", "-"], cwd=folder, capture_output=True,
                                         text=True, errors="replace").stdout
    return out


def _inflated(pdf: bytes) -> str:
    """The PDF's compressed streams, inflated: active content may hide in object streams."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


ACTIVE_PDF = re.compile(r"/(JavaScript|JS|Launch|OpenAction|AA|URI|EmbeddedFile|SubmitForm|ImportData)\b")


def active_content(pdf: bytes) -> list[str]:
    """Names of active-content entries found in the PDF (none is the goal)."""
    return sorted({m.group(1) for m in ACTIVE_PDF.finditer(pdf.decode("latin-1") + _inflated(pdf))})


def processes_left(folder: Path) -> list[str]:
    """Processes still running whose working folder or command line is inside ``folder``."""
    left = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cwd.startswith(str(folder)) or str(folder) in cmd:
            left.append(f"{proc.name}: {cmd.strip()}")
    return left


def files_left(folder: Path) -> list[str]:
    """Files in the runs' own temporary folder (TMPDIR): none may stay."""
    tmp = folder / "tmpdir"
    return sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*")) if tmp.exists() else []


def workflow_commands(text: str) -> list[str]:
    """Lines a CI log would run as workflow commands, other than mathlint's own annotations."""
    return [ln for ln in text.splitlines()
            if ln.startswith("::") and not re.match(r"::(error|warning|notice) file=", ln)]
