"""The PDF report is safe on a stranger's post: the post's LaTeX reaches TeX only through an
allow-list of math, TeX runs without shell escape and reads and writes nothing outside its
temporary folder, one time budget bounds the build, and no TeX program or temporary file
outlives it (timeout, Ctrl-C, SIGTERM)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest

from mathlint.pipeline.engine import check_text
from mathlint.report import pdf as report_pdf
from mathlint.report.texsafe import MAX_MATH, Verdict, check_math, tex_escape, verbatim_text

HAS_TEX = all(shutil.which(t) for t in ("latexmk", "xelatex", "pdftotext"))
needs_tex = pytest.mark.skipif(not HAS_TEX, reason="latexmk/xelatex/pdftotext not installed (make setup)")
SECRET = "mathlint-tex-secret-5d81"
L, R = "^^7b", "^^7d"  # TeX reads these as { and }: an attack without nested braces for the parser
# a TeX installation whose configuration allows everything (texmf.cnf, or the caller's environment)
PERMISSIVE = {"shell_escape": "t", "openin_any": "a", "openout_any": "a", "shell_escape_xelatex": "t",
              "openin_any_xelatex": "a", "openout_any_xelatex": "a", "openin_any.xelatex": "a"}
ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|URI|OpenAction|EmbeddedFile|SubmitForm|ImportData)(?![A-Za-z])")

ORDINARY = [
    r"\frac{\partial J(w)}{\partial w} = -\frac{1}{m}\sum_{i=1}^{m}[y_ix_i-P(Y=1|x_i)x_i]",
    r"\ln \frac{P(y=1|x)}{1-p(Y=1|x)} = w\cdot x", r"\mathbb{1}(y_i = k)", r"f'(x) > 0",
    r"\operatorname{transpose}(X)\cdot \text{dscores}", r"\sum_{j\neq i}y_j({{-p_jp_i}})",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", r"\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}",
    r"\begin{array}{c|l} a & b \end{array}", r"\begin{align*} a &= b \\ &= c \end{align*}",
    r"\left\{ \hat{x}, \tilde y, \bar z, \vec v, \dot q \right\} \le \sqrt[3]{x} \to \infty",
    r"\boldsymbol{\theta}^\top \bm{x} \approx \mathcal{N}(\mu, \sigma^2) \quad \text{for } n \ge 1",
    r"a \\ = b", r"\nabla_\theta \log p \mid x \sim q \quad a \neq b \in \mathbb{R}",
]
ATTACKS = {
    "input": r"\text{\input{/etc/hostname}} = 1", "include": r"x = \include{secret}",
    "write18": r"\immediate\write18{touch MARKER}", "openout": r"\immediate\openout5=marker \closeout5",
    "special": r"\special{pdf:docview <</OpenAction <</S/JavaScript/JS (app.alert(1))>> >>}",
    "href": r"\href{javascript:alert(1)}{x}", "url": r"\url{file:///etc/passwd}",
    "char escape": rf"\text{{\input{L}/etc/hostname{R}}}", "escaped backslash": r"x^^5cinput /etc/hostname",
    "catcode": r"\catcode`\[=1 x", "csname": r"\csname input\endcsname{/etc/hostname}",
    "definition": r"\def\x{\input}\x{/etc/hostname}", "loop": r"\text{\loop\iftrue\repeat} = 1",
    "parameter": r"x # 1", "comment": "x % \\\n}", "math shift": r"x $ \input{/etc/hostname} $",
    "leave the display": r"x \end{gather*} \input{/etc/hostname} \begin{gather*}",
    "verbatim env": r"\begin{Verbatim} x \end{Verbatim}", "array spec": r"\begin{array}{>{\input{/x}}c} a \end{array}",
    "unbalanced": r"x } y {", "text command in text": r"\text{\textbf{\input /etc/hostname}}",
    "unicode name": "\\inputé", "control character": "x\x00 = y", "too long": "x+" * (MAX_MATH // 2 + 1),
}


def test_ordinary_math_is_typeset_as_math():
    assert [eq for eq in ORDINARY if not check_math(eq)] == []


@pytest.mark.parametrize("latex", ATTACKS.values(), ids=ATTACKS.keys())
def test_anything_beyond_the_allow_listed_math_is_refused(latex):
    verdict = check_math(latex)
    assert not verdict and verdict.reason


def test_an_annotation_is_inline_math_only():
    assert check_math("N = m", inline=True)
    assert not check_math(r"a \\ b", inline=True) and not check_math(r"\begin{cases} a \end{cases}", inline=True)


def test_plain_text_leaves_tex_nothing_to_act_on():
    text = "a\\input{/x} $ & # _ % ~ ^^5c [1pt] \x00\x1b\r\n\tnext `code \\def` " + "y" * 5000
    out = tex_escape(text)
    groups = out.count("\\texttt{")
    rest = re.sub(r"\\(?:textbackslash|textasciitilde|textasciicircum)\{\}|\\[{}$&#_%]|\{[\[\]]\}|\\texttt\{", "", out)
    assert rest.count("}") == groups == 1  # only the \texttt group of the `code` span is left
    assert not re.search(r"[\\{$&#_%~^\[\]\x00-\x1f]", rest), rest[:200]
    assert len(out) < 3000


def test_a_verbatim_block_cannot_be_closed_by_the_post():
    for src in ("\\end{Verbatim}\n\\input{/x}", "x \\end{Verbatim} y", "\\end{Verb\x00atim}", "\\end{Verb\ratim}",
                "a\x0b\\end{Verbatim}"):
        assert not any("\\end{Verbatim}" in line for line in verbatim_text(src).split("\n")), src
    assert max(len(line) for line in verbatim_text("x" * 10_000).split("\n")) <= 120


def _one_claim(latex: str, message: str = "proved") -> object:
    result = check_text("# t\n\n$$x + 1 = 1 + x$$\n")
    result.claims[0].latex, result.claims[0].reason = latex, message
    return result


def _live_under(folder: Path) -> list[str]:
    """Running processes (zombies are dead) whose working folder is under ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if state not in "ZX" and cwd.startswith(str(folder)):
            found.append(f"{entry.name} {(entry / 'cmdline').read_bytes()[:80]!r}")
    return found


def _pdf_everything(data: bytes) -> bytes:
    """The PDF's bytes and every stream inflated: xdvipdfmx puts object dictionaries (where an
    /OpenAction would be) into compressed object streams."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[m.end():]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary folder build_report uses, to see that it is left empty."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


@pytest.fixture
def allow_everything(monkeypatch):
    """The allow-list switched off, to test what TeX itself is allowed to do."""
    monkeypatch.setattr(report_pdf, "check_math", lambda latex, inline=False: Verdict(True), raising=False)


@needs_tex
def test_tex_itself_reads_writes_and_runs_nothing_outside_its_folder(tmp_path, private_tmp, allow_everything,
                                                                     monkeypatch):
    """Second line of defence: even a command that got past the allow-list, in a TeX whose
    configuration allows shell escape and any file, is refused by TeX."""
    for key, value in PERMISSIVE.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "secret.tex").write_text(SECRET + "\n")
    result = check_text("# t\n\n$$x + 1 = 1 + x$$\n\n$$y = y$$\n\n$$z = z$$\n")
    result.claims[0].latex = rf"x + \text{{\input{{{tmp_path}/secret.tex}}}} = 1"
    result.claims[1].latex = rf"y \text{{\immediate\write18{{touch {tmp_path}/MARKER}}}} = y"
    result.claims[2].latex = rf"z \text{{\immediate\openout5={tmp_path}/MARKER2 \immediate\write5{{x}}}} = z"
    out = tmp_path / "r.pdf"
    files, message = report_pdf.build_report(out, "t.md", result, "# t\n", 0, 1.0, "none", budget=120)
    assert "\n" not in message
    assert not (tmp_path / "MARKER").exists(), "the shell command ran"
    assert not list(tmp_path.glob("MARKER2*")), "TeX wrote outside its folder"
    assert message.startswith(f"wrote {out} ("), message  # the refused commands broke their equations only
    out.write_bytes(files[out])
    assert SECRET not in _pdf_text(out)
    assert list(private_tmp.iterdir()) == []


@needs_tex
def test_a_tex_run_that_never_ends_is_stopped_by_the_budget(tmp_path, private_tmp, allow_everything):
    result = _one_claim(r"x + \text{\loop\iftrue\repeat} = 1")
    out = tmp_path / "r.pdf"
    start = time.monotonic()
    files, message = report_pdf.build_report(out, "t.md", result, "# t\n", 0, 1.0, "none", budget=4)
    assert time.monotonic() - start < 30
    assert message == f"LaTeX did not finish within 4 s; the source is in {tmp_path / 'r.tex'}"
    assert list(files) == [tmp_path / "r.tex"] and b"\\loop" in files[tmp_path / "r.tex"]
    assert list(private_tmp.iterdir()) == [], "the temporary folder is removed"
    time.sleep(0.2)
    assert _live_under(tmp_path) == [], "latexmk and xelatex were killed"


def _fake_tex(tmp_path: Path, monkeypatch) -> Path:
    """latexmk/xelatex that ignore INT and TERM, start a child (as latexmk starts xelatex) and
    never finish; the child's pid is written to a file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pids = tmp_path / "tex.pids"
    for tool in ("latexmk", "xelatex"):
        (bin_dir / tool).write_text(f"#!/bin/sh\ntrap '' INT TERM\nsleep 120 &\necho $$ $! > {pids}\nwait\n")
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    return pids


class Terminated(BaseException):
    """What the CLI raises on SIGTERM."""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_sigterm_while_tex_runs_kills_it_and_removes_its_folder(tmp_path, private_tmp, monkeypatch):
    pids = _fake_tex(tmp_path, monkeypatch)

    def terminate(signum, frame):
        raise Terminated()
    previous = signal.signal(signal.SIGALRM, terminate)
    signal.setitimer(signal.ITIMER_REAL, 1.5)
    try:
        with pytest.raises(Terminated):
            report_pdf.build_report(tmp_path / "r.pdf", "t.md", _one_claim("x = x"), "# t\n", 0, 1.0, "none")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert pids.exists(), "the fake TeX was started"
    assert list(private_tmp.iterdir()) == []
    time.sleep(0.2)
    assert _live_under(tmp_path) == []
    for pid in map(int, pids.read_text().split()):  # latexmk and its child
        state = Path(f"/proc/{pid}/stat")
        assert not state.exists() or state.read_text().rsplit(")", 1)[1].split()[0] in "ZX"


def test_the_budget_covers_a_tex_that_ignores_signals(tmp_path, private_tmp, monkeypatch):
    _fake_tex(tmp_path, monkeypatch)
    start = time.monotonic()
    files, message = report_pdf.build_report(tmp_path / "r.pdf", "t.md", _one_claim("x = x"), "# t\n", 0, 1.0,
                                             "none", budget=1)
    assert time.monotonic() - start < 10 and "did not finish within 1 s" in message
    assert list(files) == [tmp_path / "r.tex"] and list(private_tmp.iterdir()) == []


def test_an_assumption_is_allow_listed_math_or_escaped_text(tmp_path):
    result = _one_claim("x + 1 = 1 + x")
    result.claims[0].assumptions = [r"x > 0 $ \input{/etc/passwd} $", r"N = m", r"\sum_j y_j = 1 \label{\input /x}"]
    result.claims[0].reason = r"holds only if \input{/etc/passwd} ^^5cinput"
    tex, _ = report_pdf.build_tex("t.md", result, "# \\input{/x}\n", 0, 1.0, "none")
    outside = re.sub(r"\\begin\{Verbatim\}.*?\\end\{Verbatim\}", "", tex, flags=re.S)
    assert "\\input" not in outside and "^^" not in outside
    assert "$N = m$" in tex  # an ordinary assumption is still typeset as math


def _cli(cwd: Path, post: str, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    (cwd / "tmp").mkdir()
    (cwd / "post.md").write_text(post, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(cwd / "tmp"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "mathlint", "check", "post.md", "--report", "out.pdf", "--output",
                           "out.json", "--format", "json", "--no-cache", "--no-fix", "--derivation", "none"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _attack_post(folder: Path) -> tuple[str, int]:
    """A post whose equations hold, each with an attack in a \\text (mathlint reads them, so
    without the allow-list they would be typeset), and the number of such equations."""
    attacks = [rf"\input {folder}/secret.tex ", rf"\immediate\write18{L}touch {folder}/MARKER1{R}",
               rf"\immediate\openout5={folder}/MARKER2 \immediate\write5{L}x{R}\immediate\closeout5",
               rf"\special{L}pdf:docview <</OpenAction <</S/JavaScript/JS (app.alert(1))>> >>{R}"]
    eqs = "".join(f"$$x + \\text{{{a}}} = x + \\text{{{a}}}$$\n\n" for a in attacks)
    return (f"# Attacks\n\n<!-- mathlint: assume x > 0 $ \\input{{{folder}/secret.tex}} $ -->\n\n{eqs}"
            f"$$x = \\end{{Verbatim}} \\input {folder}/secret.tex $$\n\n$$x + 1 = 1 + x$$\n", len(attacks))


@pytest.fixture
def short_folder():
    """A folder whose path mathlint's reader accepts inside \\text (no _ or digits runs)."""
    base = Path("/tmp") if Path("/tmp").is_dir() else Path(tempfile.gettempdir())
    folder = base / ("mathlint" + "".join(chr(97 + b % 26) for b in os.urandom(10)))
    folder.mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@needs_tex
def test_attack_post_through_the_cli(short_folder):
    """With a TeX configured to allow everything: no file read, written or command run, no
    active content in the PDF, both outputs written, nothing left running or in TMPDIR."""
    folder = short_folder
    (folder / "secret.tex").write_text(SECRET + "\n")
    post, attacks = _attack_post(folder)
    run = _cli(folder, post, env=PERMISSIVE)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    verdicts = [c["verdict"] for c in json.loads((folder / "out.json").read_text())["claims"]]
    assert verdicts == ["proved"] * attacks + ["unparsed", "proved"], "the attacks are read as math"
    assert f"({attacks} equation(s) shown verbatim: outside the LaTeX subset" in run.stderr, run.stderr
    assert sorted(p.name for p in folder.rglob("MARKER*")) == []
    pdf = (folder / "out.pdf").read_bytes()
    assert SECRET not in _pdf_text(folder / "out.pdf") and SECRET.encode() not in _pdf_everything(pdf)
    assert ACTIVE.findall(_pdf_everything(pdf)) == []
    assert list((folder / "tmp").iterdir()) == []
    assert _live_under(folder) == []


@needs_tex
def test_a_tex_loop_in_a_post_costs_no_output(tmp_path):
    post = "# t\n\n$$x + \\text{\\loop\\iftrue\\repeat} = x + \\text{\\loop\\iftrue\\repeat}$$\n\n$$y = y$$\n"
    start = time.monotonic()
    run = _cli(tmp_path, post, timeout=120)
    assert time.monotonic() - start < 90 and run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "out.json").exists() and (tmp_path / "out.pdf").exists()
    assert list((tmp_path / "tmp").iterdir()) == [] and _live_under(tmp_path) == []


@needs_tex
def test_no_active_content_check_finds_an_action_when_there_is_one(tmp_path, allow_everything):
    """The PDF scan above can fail: with the allow-list off, a \\special puts the action in."""
    result = _one_claim(r"x \special{pdf:docview <</OpenAction <</S/JavaScript/JS (app.alert(1))>> >>} = x")
    out = tmp_path / "r.pdf"
    files, message = report_pdf.build_report(out, "t.md", result, "# t\n", 0, 1.0, "none", budget=120)
    assert message == f"wrote {out}", message
    assert ACTIVE.findall(_pdf_everything(files[out]))
    assert not ACTIVE.findall(files[out]), "the action is in a compressed object stream"
