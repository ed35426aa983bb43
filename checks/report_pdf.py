"""The PDF report: a LaTeX document from a jinja2 template, compiled with latexmk + xelatex.

Each equation is typeset as written; if one equation breaks the LaTeX run, that equation
alone is shown verbatim and the document is compiled again. Files are written atomically.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .atomic import write_all
from .check_report import VERDICTS, rule_of
from .extract import headings
from .model import Claim, Result

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_RETRIES = 12
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
            "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex_escape(text: str) -> str:
    """Plain text for LaTeX; `code` spans become \\texttt."""
    def esc(s: str) -> str:
        return "".join(_SPECIAL.get(ch, ch) for ch in s)
    parts = re.split(r"`([^`]*)`", str(text))
    return "".join(esc(p) if k % 2 == 0 else r"\texttt{" + esc(p) + "}" for k, p in enumerate(parts))


def _verbatim(src: str) -> str:
    src = src.replace("\\end{Verbatim}", "\\end {Verbatim}")
    return "\\begin{Verbatim}[fontsize=\\small]\n" + src.strip() + "\n\\end{Verbatim}"


@dataclass
class _Slot:
    """An equation to typeset; shown verbatim once it has broken the LaTeX run."""

    latex: str
    verbatim: bool = False

    def render(self, k: int) -> str:
        marker = f"% mathlint-slot {k}\n"
        if self.verbatim or not self.latex.strip():
            return marker + _verbatim(self.latex)
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


def _claim_context(c: Claim, slots: list[_Slot]) -> dict:
    def slot(latex: str, verbatim: bool = False) -> str:
        slots.append(_Slot(latex, verbatim))
        return f"@@SLOT{len(slots) - 1}@@"

    is_code = c.role == "code" or c.role == "numbers" and not c.latex.startswith("\\")
    body = slot(c.latex, verbatim=is_code or c.verdict == "unparsed")
    ctx = {"line": c.line, "verdict": c.verdict, "rule": rule_of(c), "body": body,
           "method": tex_escape(c.method), "message": tex_escape(c.message),
           "assumptions": ", ".join(f"${a}$" if "\\" in a or "=" in a else tex_escape(a) for a in c.assumptions),
           "counterexample": _counterexample(c.counterexample), "fix": bool(c.suggestion)}
    if c.suggestion:
        before, after = _highlight(c.suggestion["original"], c.suggestion["replacement"])
        ctx.update(fix_edit=tex_escape(c.suggestion["edit"]), fix_before=before, fix_after=after,
                   fix_body=slot(c.suggestion["latex"]))
    return ctx


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


def build_tex(path: str, result: Result, text: str, seed: int, seconds: float, derivation: str,
              slots: list[_Slot] | None = None) -> tuple[str, list[_Slot]]:
    """The report's LaTeX source and its equation slots."""
    fresh = slots is None
    slots = [] if fresh else slots
    collected: list[_Slot] = []
    heads = headings(text)
    sections, current = [], {"title": "Before the first heading", "claims": []}
    shown = [c for c in result.claims if not (c.role in ("definition", "condition", "domain")
                                              and c.verdict == "unchecked")]
    hi = 0
    for c in sorted(shown, key=lambda c: c.line):
        while hi < len(heads) and heads[hi][0] <= c.line:
            if current["claims"]:
                sections.append(current)
            current = {"title": tex_escape(heads[hi][2]), "claims": []}
            hi += 1
        current["claims"].append(_claim_context(c, collected))
    if current["claims"]:
        sections.append(current)
    if not fresh:  # keep the verbatim decisions of the previous attempt
        for old, new in zip(slots, collected):
            new.verbatim = old.verbatim
    errors = [{"line": c.line, "text": f"\\verdict{{{c.verdict}}} " + tex_escape(c.message.split(';')[0])}
              for c in result.claims if c.verdict in ("refuted", "needs-assumption", "unparsed", "timeout")]
    counts = [(v, sum(c.verdict == v for c in result.claims)) for v in VERDICTS]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), block_start_string="((*",
                             block_end_string="*))", variable_start_string="(((", variable_end_string=")))",
                             comment_start_string="((=", comment_end_string="=))", autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    tex = env.get_template("report.tex.j2").render(
        file=tex_escape(path), when=time.strftime("%Y-%m-%d"), seed=seed, derivation=tex_escape(derivation),
        seconds=f"{seconds:.1f}", counts=counts, errors=errors, sections=sections,
        findings=[{"line": f["line"], "rule": f["rule"], "message": tex_escape(f["message"])}
                  for f in result.findings])
    tex = re.sub(r"@@SLOT(\d+)@@", lambda m: collected[int(m.group(1))].render(int(m.group(1))), tex)
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
                 derivation: str) -> str:
    """Write ``out`` (.tex or .pdf); returns a one-line message for the user."""
    files, message = build_report(out, path, result, text, seed, seconds, derivation)
    write_all(files)
    return message


def _latexmk(work: Path) -> tuple[int, str]:
    """``latexmk -xelatex`` on ``work/report.tex``: exit code and output. TeX runs in a session
    of its own with its temporary files under ``work``; if this process is interrupted (Ctrl-C)
    or the build overruns, the whole session is killed, so no TeX program outlives the run and
    nothing is left in the user's temporary folder."""
    tmp = work / "tmp"
    tmp.mkdir(exist_ok=True)
    proc = subprocess.Popen(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-quiet",
                             "report.tex"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "TMPDIR": str(tmp)}, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=300)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return proc.returncode, output


def build_report(out: Path, path: str, result: Result, text: str, seed: int, seconds: float,
                 derivation: str) -> tuple[dict[Path, bytes], str]:
    """The report's file(s) as bytes by path (the PDF, or the .tex when it cannot be built) and a
    one-line message for the user; nothing is written to ``out``'s directory yet."""
    tex, slots = build_tex(path, result, text, seed, seconds, derivation)
    if out.suffix == ".tex":
        return {out: tex.encode("utf-8")}, f"wrote {out}"
    why = tex_engine()
    if why:
        return {out.with_suffix(".tex"): tex.encode("utf-8")}, why
    verbatim = 0
    with tempfile.TemporaryDirectory(prefix="mathlint-report-") as work:
        for _ in range(MAX_RETRIES):
            src = Path(work) / "report.tex"
            src.write_text(tex, encoding="utf-8")
            code, output = _latexmk(Path(work))
            pdf = Path(work) / "report.pdf"
            if code == 0 and pdf.exists():
                note = f" ({verbatim} equation(s) shown verbatim: LaTeX could not typeset them)" if verbatim else ""
                return {out: pdf.read_bytes()}, f"wrote {out}{note}"
            log = (Path(work) / "report.log").read_text(encoding="utf-8", errors="replace") \
                if (Path(work) / "report.log").exists() else output
            bad = _bad_slot(tex, log)
            if bad is None or slots[bad].verbatim:
                break
            slots[bad].verbatim = True
            verbatim += 1
            tex, slots = build_tex(path, result, text, seed, seconds, derivation, slots)
            for f in Path(work).iterdir():
                if f.name not in ("report.tex", "tmp"):
                    f.unlink()
    return ({out.with_suffix(".tex"): tex.encode("utf-8")},
            f"LaTeX failed; the source is in {out.with_suffix('.tex')} (run latexmk -xelatex on it to see why)")
