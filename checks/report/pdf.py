"""The PDF report: a LaTeX document from a jinja2 template, compiled with latexmk + xelatex.

The post is untrusted (see :mod:`mathlint.report.texsafe`): an equation is typeset as math only when it
passes the allow-list, every other piece of the post is escaped, and TeX runs without shell
escape, reading and writing only inside a fresh temporary folder, under one time budget. If an
allowed equation still breaks the LaTeX run, that equation alone is shown verbatim and the
document is compiled again. Files are written atomically.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..model import Citation, Claim, Location, Result, Verdict
from ..rule_codes import rule_of
from ..runtime.atomic import write_all
from ..sources.formats import source_for
from .safetext import one_line
from .texsafe import check_math, display_environment, tex_escape, verbatim_text
from .text import VERDICTS

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_RETRIES = 12
TEX_BUDGET = 60.0  # seconds for the whole PDF build: every latexmk run and verbatim retry
MAX_ASSUMPTIONS = 20  # shown per claim
# kpathsea settings TeX runs with, whatever texmf.cnf or the caller's environment say:
# no shell escape, and files read and written only by relative names inside the work folder
# ("p"aranoid: no absolute path, no "..", no dotfile).
TEX_ENV = {"shell_escape": "f", "openin_any": "p", "openout_any": "p"}
TEX_ENV_DROPPED = ("TEXMFOUTPUT", "LATEXMKRCSYS")

#: the verdicts listed on the report's first page as errors
ERRORS = (Verdict.REFUTED, Verdict.NEEDS_ASSUMPTION, Verdict.UNPARSED, Verdict.TIMEOUT)


def _verbatim(src: str) -> str:
    return "\\begin{Verbatim}[fontsize=\\small]\n" + verbatim_text(src) + "\n\\end{Verbatim}"


@dataclass
class _Slot:
    """An equation to typeset. It is shown verbatim when asked (code), when it is outside the
    allow-list (``refused``), or once it has broken the LaTeX run (``verbatim``)."""

    latex: str
    verbatim: bool = False
    inline: bool = False
    refused: bool = field(init=False)

    def __post_init__(self) -> None:
        self.refused = not self.verbatim and not check_math(self.latex, inline=self.inline)

    def render(self, k: int) -> str:
        marker = f"% mathlint-slot {k}\n"
        plain = self.verbatim or self.refused or not self.latex.strip()
        if self.inline:
            shown = r"\texttt{" + tex_escape(self.latex) + "}" if plain else "$" + self.latex.strip() + "$"
            return "%\n" + marker + shown + "%\n% mathlint-end\n"
        if plain:
            return marker + _verbatim(self.latex)
        if display_environment(self.latex):
            return marker + self.latex.strip() + "\n% mathlint-end\n"
        return marker + "\\begin{gather*}\n" + self.latex.strip() + "\n\\end{gather*}\n% mathlint-end\n"


def _highlight(old: str, new: str) -> tuple[str, str]:
    """Source fragments with the changed characters on a yellow background."""
    a, b = 0, 0
    while a < min(len(old), len(new)) and old[a] == new[a]:
        a += 1
    while b < min(len(old), len(new)) - a and old[len(old) - 1 - b] == new[len(new) - 1 - b]:
        b += 1

    def mark(s: str) -> str:
        mid = s[a:len(s) - b]
        return (r"\texttt{" + tex_escape(s[:a]) + r"\colorbox{fixbg}{" + (tex_escape(mid) or r"\,") + "}"
                + tex_escape(s[len(s) - b:]) + "}")
    return mark(old), mark(new)


# where an equation goes, in the rendered template: random per process, so that no text of the
# post (a heading, a message, all escaped but free to hold ``@``) can name a slot
_MARK = f"@@SLOT-{secrets.token_hex(8)}-"


def _claim_context(c: Claim, slots: list[_Slot], where: str = "",
                   cited: Callable[[int], Location] | None = None) -> dict:
    """``where``: the claim's position in words (``line 5``; ``cell 3, line 5`` in a notebook);
    ``cited``: the position of a line of the file (the equations it cites)."""
    def slot(latex: str, verbatim: bool = False, inline: bool = False) -> str:
        slots.append(_Slot(latex, verbatim, inline))
        return f"{_MARK}{len(slots) - 1}@@"

    is_code = c.role == "code" or c.role == "numbers" and not c.latex.startswith("\\")
    body = slot(c.latex, verbatim=is_code or c.verdict == Verdict.UNPARSED)
    shown = c.assumptions[:MAX_ASSUMPTIONS]
    ctx = {"line": c.line, "where": tex_escape(where or f"line {c.line}"),
           "verdict": tex_escape(c.verdict), "rule": tex_escape(rule_of(c) or ""), "body": body,
           "method": tex_escape(c.method), "message": tex_escape(c.message),
           "assumptions": ", ".join(slot(a, inline=True) if "\\" in a or "=" in a else tex_escape(a) for a in shown)
           + (", …" if len(c.assumptions) > len(shown) else ""),
           "counterexample": _counterexample(c.counterexample), "fix": bool(c.suggestion),
           "label": tex_escape(f"({c.label})") if c.label else "",  # its equation's label, and what it cites
           "cites": ", ".join(tex_escape(f"({x.label})" + _cited_at(x, cited)) for x in c.cites)}
    if c.suggestion:
        before, after = _highlight(c.suggestion.original, c.suggestion.replacement)
        ctx.update(fix_edit=tex_escape(c.suggestion.message), fix_before=before, fix_after=after,
                   fix_body=slot(c.suggestion.latex))
    return ctx


def _cited_at(x: Citation, cited: Callable[[int], Location] | None) -> str:
    """`` at line 12`` (``cell 3, line 2``; ``line 4 of ch2.md``) of a cited equation; empty when unknown."""
    if x.line is None:
        return ""
    if x.file is not None:
        return f" at {'cell %d, ' % x.cell if x.cell else ''}line {x.line} of {x.file}"
    return f" at {cited(x.line).words if cited else f'line {x.line}'}"


def _counterexample(ce: dict | None) -> str:
    if not ce:
        return ""
    items = dict(ce.get("instance", {}))
    items.update(ce.get("values", {}))
    parts = [f"{k} = {v}" for k, v in list(items.items())[:10]]
    for key, label in (("lhs", "left"), ("rhs", "right"), ("finite_difference", "finite differences"),
                       ("claimed", "claimed"), ("shape", "shape"), ("note", "note")):
        if key in ce:
            parts.append(f"{label}: {ce[key]}")
    return tex_escape("; ".join(parts))


def _finding_at(where: Location) -> str:
    """A finding's position in the table: ``5``, ``cell 3:5``, ``part.tex:5``."""
    return f"{where.file}:{where.shown}" if where.file else where.shown


def build_tex(path: str, result: Result, text: str, seed: int, seconds: float, derivation: str,
              slots: list[_Slot] | None = None, given: str | None = None) -> tuple[str, list[_Slot]]:
    """The report's LaTeX source and its equation slots (``given``: the ``--format-in``)."""
    fresh = slots is None
    slots = [] if fresh else slots
    collected: list[_Slot] = []
    heads = source_for(path, given).headings(text)
    sections, current = [], {"title": "Before the first heading", "claims": []}
    shown = [c for c in result.claims if not (c.role in ("definition", "condition", "domain", "hypothesis")
                                              and c.verdict == Verdict.UNCHECKED)]
    hi = 0
    for c in sorted(shown, key=lambda c: c.line):
        while hi < len(heads) and heads[hi][0] <= c.line:
            if current["claims"]:
                sections.append(current)
            current = {"title": tex_escape(heads[hi][2]), "claims": []}
            hi += 1
        current["claims"].append(_claim_context(c, collected, result.where(c.line).words, result.where))
    if current["claims"]:
        sections.append(current)
    if not fresh:  # keep the verbatim decisions of the previous attempt
        for old, new in zip(slots, collected):
            new.verbatim = old.verbatim
    errors = [{"line": c.line, "where": tex_escape(result.where(c.line).words),
               "text": f"\\verdict{{{tex_escape(c.verdict)}}} " + tex_escape(c.reason)}
              for c in result.claims if c.verdict in ERRORS]
    counts = [(v, sum(c.verdict == v for c in result.claims)) for v in VERDICTS]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), block_start_string="((*",
                             block_end_string="*))", variable_start_string="(((", variable_end_string=")))",
                             comment_start_string="((=", comment_end_string="=))", autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    tex = env.get_template("report.tex.j2").render(
        file=tex_escape(path), when=time.strftime("%Y-%m-%d"), seed=seed, derivation=tex_escape(derivation),
        seconds=f"{seconds:.1f}", counts=counts, errors=errors, sections=sections,
        findings=[{"line": int(f.line), "where": tex_escape(_finding_at(result.where(int(f.line)))),
                   "rule": tex_escape(f.rule), "message": tex_escape(f.message)}
                  for f in result.findings])
    tex = re.sub(re.escape(_MARK) + r"(\d+)@@", lambda m: collected[int(m.group(1))].render(int(m.group(1))), tex)
    return tex, collected


def tex_engine() -> str | None:
    """Why the PDF cannot be built here, or None when latexmk and xelatex are present."""
    missing = [t for t in ("latexmk", "xelatex") if shutil.which(t) is None]
    if missing:
        return (f"{' and '.join(missing)} not found: the .tex was written; to get the PDF install "
                "texlive-xetex texlive-lang-chinese fonts-noto-cjk latexmk (`make setup` does it)")
    return None


def _bad_slot(tex: str, log: str) -> int | None:
    m = re.search(r"^l\.(\d+)", log, re.M)
    if not m:
        return None
    lines = tex.splitlines()[:int(m.group(1))]
    for line in reversed(lines):
        if line.startswith("% mathlint-end"):
            return None
        mm = re.match(r"% mathlint-slot (\d+)", line)
        if mm:
            return int(mm.group(1))
    return None


def write_report(out: Path, path: str, result: Result, text: str, seed: int, seconds: float,
                 derivation: str, budget: float = TEX_BUDGET) -> str:
    """Write ``out`` (.tex or .pdf); returns a one-line message for the user."""
    files, message = build_report(out, path, result, text, seed, seconds, derivation, budget)
    write_all(files)
    return message


def tex_environment(tmp: Path) -> dict[str, str]:
    """The environment TeX runs in: the caller's, with the kpathsea settings of ``TEX_ENV``
    forced (kpathsea prefers program-specific spellings such as ``openin_any_xelatex``, so
    those are dropped) and TeX's temporary files under ``tmp``."""
    forced = tuple(TEX_ENV) + TEX_ENV_DROPPED
    env = {k: v for k, v in os.environ.items() if not k.startswith(forced)}
    return {**env, **TEX_ENV, "TMPDIR": str(tmp)}


# latexmk reads no rc file (-norc: neither the system's, the user's nor one in the folder) and
# runs xelatex with shell escape off, whatever the TeX configuration says.
LATEXMK = ["latexmk", "-norc", "-xelatex", "-xelatex=xelatex -no-shell-escape %O %S",
           "-interaction=nonstopmode", "-halt-on-error", "-quiet", "report.tex"]


def live_in_group(pgid: int) -> list[int]:
    """The processes of process group ``pgid`` still running (zombies are dead: they only wait
    for a parent to collect them, which an init process in a container may never do)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    live = []
    for entry in proc.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] not in "ZX":
                    live.append(int(entry.name))
    return live


def _end_session(proc: subprocess.Popen, grace: float = 2.0) -> None:
    """Kill every process of TeX's session (latexmk, xelatex, xdvipdfmx), reap latexmk and wait
    (at most ``grace`` seconds) until none runs, so none writes into a folder being removed."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if proc.stdout:
        proc.stdout.close()
    end = time.monotonic() + grace
    while live_in_group(proc.pid) and time.monotonic() < end:
        time.sleep(0.02)


def _latexmk(work: Path, timeout: float) -> tuple[int | None, str]:
    """``latexmk -xelatex`` on ``work/report.tex``: exit code (None when it overran ``timeout``
    seconds) and output. TeX runs in a session of its own with its temporary files under
    ``work``; on a timeout, Ctrl-C, SIGTERM (raised as an exception by the CLI) or any other
    exception the whole session is killed, so no TeX program outlives the run."""
    tmp = work / "tmp"
    tmp.mkdir(exist_ok=True)
    proc = subprocess.Popen(LATEXMK, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace", env=tex_environment(tmp),
                            start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=max(timeout, 0.01))
    except subprocess.TimeoutExpired:
        _end_session(proc)
        return None, ""
    except BaseException:
        _end_session(proc)
        raise
    return proc.returncode, output


def _one_line(exc: BaseException) -> str:
    return one_line(f"{type(exc).__name__}: {exc}")[:300]


def build_report(out: Path, path: str, result: Result, text: str, seed: int, seconds: float,
                 derivation: str, budget: float = TEX_BUDGET,
                 given: str | None = None) -> tuple[dict[Path, bytes], str]:
    """The report's file(s) as bytes by path (the PDF, or the .tex when it cannot be built) and a
    one-line message for the user; nothing is written to ``out``'s directory yet. The PDF build
    gets ``budget`` seconds in all. Never raises an ``Exception``: a report that cannot be built
    degrades to its .tex (or to nothing) with a message, so the caller's other outputs are still
    written; KeyboardInterrupt and other ``BaseException``\\ s propagate after TeX is stopped."""
    try:
        tex, slots = build_tex(path, result, text, seed, seconds, derivation, given=given)
    except Exception as exc:  # a bug here must not cost the user the --output file
        return {}, f"the report could not be made ({_one_line(exc)})"
    source = out.with_suffix(".tex")
    if out.suffix == ".tex":
        return {out: tex.encode("utf-8", "replace")}, f"wrote {out}"
    why = tex_engine()
    if why:
        return {source: tex.encode("utf-8", "replace")}, why
    build = _Build(out, tex, slots, time.monotonic() + budget, budget)
    try:
        return build.run(lambda previous: build_tex(path, result, text, seed, seconds, derivation, previous,
                                                    given=given))
    except Exception as exc:
        return {source: build.tex.encode("utf-8", "replace")}, \
            f"the PDF could not be built ({_one_line(exc)}); the source is in {source}"


@dataclass
class _Build:
    """One PDF build: the current source and slots, and the time it must end by."""

    out: Path
    tex: str
    slots: list[_Slot]
    deadline: float
    budget: float
    retried: int = 0

    def run(self, rebuild) -> tuple[dict[Path, bytes], str]:
        """Compile; on an error in an equation, show it verbatim and compile again."""
        source = self.out.with_suffix(".tex")
        with tempfile.TemporaryDirectory(prefix="mathlint-report-") as name:
            work = Path(name)
            for _ in range(MAX_RETRIES):
                (work / "report.tex").write_text(self.tex, encoding="utf-8", errors="replace")
                code, output = _latexmk(work, self.deadline - time.monotonic())
                if code is None:
                    return ({source: self.tex.encode("utf-8", "replace")},
                            f"LaTeX did not finish within {self.budget:g} s; the source is in {source}")
                if code == 0 and (work / "report.pdf").exists():
                    return {self.out: (work / "report.pdf").read_bytes()}, f"wrote {self.out}{self.note()}"
                log = work / "report.log"
                bad = _bad_slot(self.tex, log.read_text(encoding="utf-8", errors="replace")
                                if log.exists() else output)
                if bad is None or self.slots[bad].verbatim or self.slots[bad].refused:
                    break
                self.slots[bad].verbatim = True
                self.retried += 1
                self.tex, self.slots = rebuild(self.slots)
                for f in work.iterdir():
                    if f.name not in ("report.tex", "tmp"):
                        f.unlink()
        return ({source: self.tex.encode("utf-8", "replace")},
                f"LaTeX failed; the source is in {source} (run latexmk -xelatex on it to see why)")

    def note(self) -> str:
        refused = sum(s.refused for s in self.slots)
        notes = [f"{self.retried} equation(s) shown verbatim: LaTeX could not typeset them"] if self.retried else []
        if refused:
            notes.append(f"{refused} equation(s) shown verbatim: outside the LaTeX subset mathlint typesets")
        return f" ({'; '.join(notes)})" if notes else ""
