"""Pathological posts through the real command line, in bounded time and memory (issue 7).

Each test runs ``mathlint check FILE --no-fix --timeout 2 --format json`` in a subprocess
(its own session, so a hung worker is killed with it) under ``RLIMIT_AS`` = 3 GB, with a
generous outer limit, and asserts what a user relies on: it finishes, exits 0, 1 or 2
without a traceback, stays within a memory bound, and every equation ends with a verdict
and a reason — ``timeout``/``unchecked``/``unparsed`` or a correct verdict.

Each ends with a verdict and a reason within its bound: a number too large to compute, or brackets
nested deeper than mathlint reads, is `unparsed` with that reason.
The one-equation posts are all started at once (a hanging one costs its limit, so they
share it), then each test collects its own run.

The 2,000-equation post runs under a file budget (``--file-timeout``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mathlint.report.text import VERDICTS

ROOT = Path(__file__).resolve().parent.parent
MATHLINT = ROOT / ".venv" / "bin" / "mathlint"
COMMAND = [str(MATHLINT)] if MATHLINT.exists() else [sys.executable, "-m", "mathlint"]

ADDRESS_SPACE = 3 * 1024 ** 3  # RLIMIT_AS of the child: a runaway allocation fails instead of swapping
PEAK_RSS_MB = 1536  # what a run may use (the largest seen here is ~0.2 GB)
#: seconds for the one-equation posts, all running at once (alone, each takes ~1 s; the claim budget is 2 s)
ONE_EQUATION_LIMIT = 40.0

HOLDS = ("proved", "consistent")
NO_VERDICT = ("timeout", "unchecked", "unparsed")
FALSE_OR_UNKNOWN = NO_VERDICT + ("refuted",)  # for an equation false as written (x is free)
TRUE_OR_UNKNOWN = NO_VERDICT + HOLDS


@dataclass
class Run:
    finished: bool
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float

    def report(self) -> dict:
        assert self.finished, f"did not finish within its limit ({self.seconds:.0f} s)"
        assert self.returncode in (0, 1, 2), f"exit code {self.returncode}\n{self.stderr}"
        assert "Traceback" not in self.stderr, self.stderr
        assert self.peak_rss_mb < PEAK_RSS_MB, f"peak RSS {self.peak_rss_mb:.0f} MB"
        return json.loads(self.stdout)


class Started:
    """``mathlint ARGS`` started in ``cwd``; :meth:`wait` collects it or kills its whole
    process group once ``limit`` seconds have passed since the start. The peak RSS is the
    child's (and its reaped workers'), from ``wait4``."""

    def __init__(self, *args: str, cwd: Path, tag: str = ""):
        env = dict(os.environ, MATHLINT_NO_CACHE="1", PYTHONPATH=str(ROOT))
        self.out, self.err = cwd / f".stdout{tag}", cwd / f".stderr{tag}"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen([*COMMAND, *args], cwd=cwd, env=env, stdout=out, stderr=err,
                                         start_new_session=True)
        # set before the interpreter has even started importing (no preexec_fn: not thread-safe)
        resource.prlimit(self.proc.pid, resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        self.start = time.monotonic()
        self.run: Run | None = None

    def wait(self, limit: float) -> Run:
        if self.run is None:
            finished = False
            while time.monotonic() - self.start < limit:
                pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
                if pid:
                    finished = True
                    break
                time.sleep(0.05)
            if not finished:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(self.proc.pid, 0)
            self.proc.returncode = os.waitstatus_to_exitcode(status)
            self.run = Run(finished, self.proc.returncode if finished else None,
                           self.out.read_text(errors="replace"), self.err.read_text(errors="replace"),
                           time.monotonic() - self.start, usage.ru_maxrss / 1024)
        return self.run


def mathlint(*args: str, cwd: Path, limit: float) -> Run:
    return Started(*args, cwd=cwd).wait(limit)


def start_check(cwd: Path, text: str, *extra: str) -> Started:
    (cwd / "post.md").write_text(text, encoding="utf-8")
    return Started("check", "post.md", "--no-fix", "--timeout", "2", "--format", "json", *extra, cwd=cwd)


def check(cwd: Path, text: str, limit: float) -> Run:
    return start_check(cwd, text).wait(limit)


def assert_verdicts_with_reasons(claims: list[dict]) -> None:
    for c in claims:
        assert c["verdict"] in VERDICTS
        if c["verdict"] not in HOLDS:
            assert c["message"].strip(), f"line {c['line']}: {c['verdict']} without a reason"


# --- one equation: huge numbers, deep nesting --------------------------------------------

def _nested_fraction(levels: int) -> str:
    s = "1"
    for _ in range(levels):
        s = r"\frac{1}{1+" + s + "}"
    return s


#: id → (the post's only equation, the verdicts that are right for it, marks)
ONE_EQUATION = {
    "power-tower": (r"9^{9^{9^9}} = x", FALSE_OR_UNKNOWN, ()),
    "10^10^10": (r"10^{10^{10}} = x", FALSE_OR_UNKNOWN, ()),
    "2^10^6": (r"2^{10^{6}} = x", FALSE_OR_UNKNOWN, ()),
    "sum-10^12-terms": (r"\sum_{i=1}^{10^{12}} i = y", FALSE_OR_UNKNOWN, ()),
    "sum-10^12-true": (r"\sum_{i=1}^{10^{12}} i = 500000000000500000000000", TRUE_OR_UNKNOWN, ()),
    "fraction-1000-levels": (_nested_fraction(1000) + " = x", FALSE_OR_UNKNOWN, ()),
    "fraction-20-levels": (_nested_fraction(20) + " = x", FALSE_OR_UNKNOWN, ()),
    "braces-1000": ("{" * 1000 + "x" + "}" * 1000 + " = x", TRUE_OR_UNKNOWN, ()),
    "sqrt-300": (r"\sqrt{" * 300 + "x" + "}" * 300 + " = x", FALSE_OR_UNKNOWN, ()),
    "negative-huge-exponent": (r"10^{-10^{10}} = x", FALSE_OR_UNKNOWN, ()),
    "huge-factorial": (r"(10^{9})! = x", FALSE_OR_UNKNOWN, ()),
    "factorial-of-factorial": (r"100!! = x", FALSE_OR_UNKNOWN, ()),
    "factorial-recursion": (r"3000!! = x", FALSE_OR_UNKNOWN, ()),
    "huge-binomial": (r"\binom{10^{12}}{10^{6}} = x", FALSE_OR_UNKNOWN, ()),
    "tower-beside-subscript": (r"(9^{9^{9}})^{2} x_i = y", FALSE_OR_UNKNOWN, ()),
    "parentheses-1000": ("(" * 1000 + "x" + ")" * 1000 + " = x", TRUE_OR_UNKNOWN, ()),
    "exponents-300": ("x^{" * 300 + "2" + "}" * 300 + " = x", FALSE_OR_UNKNOWN, ()),
    "binomial-of-e": (r"\binom{e}{2000} = x", FALSE_OR_UNKNOWN, pytest.mark.xfail(strict=True, reason=(
        "hangs in parse_side (> 120 s, also under --file-timeout 5, and `mathlint parse`): latex._guard refuses "
        "only binomial arguments > 1e4, SymPy expands binomial(E, 2000) as a product of 2000 exact irrational "
        "factors; reading is not under the file budget"))),
}


@pytest.fixture(scope="module")
def one_equation_runs(tmp_path_factory):
    started = {key: start_check(tmp_path_factory.mktemp(key), f"$${equation}$$\n")
               for key, (equation, _, _) in ONE_EQUATION.items()}
    yield started
    for s in started.values():
        s.wait(0)  # kills what is still running


@pytest.mark.parametrize("key", [pytest.param(k, id=k, marks=m) for k, (_, _, m) in ONE_EQUATION.items()])
def test_one_pathological_equation_ends_with_a_verdict_in_bounded_time(one_equation_runs, key):
    _, allowed, _ = ONE_EQUATION[key]
    report = one_equation_runs[key].wait(ONE_EQUATION_LIMIT).report()
    claims = [c for c in report["claims"] if c["role"] in ("equation", "step", "unparsed")]
    assert len(claims) == 1, report["claims"]
    assert_verdicts_with_reasons(claims)
    assert claims[0]["verdict"] in allowed, claims[0]


# --- size --------------------------------------------------------------------------------

def _many_equations(n: int) -> str:
    return "\n".join(f"Step {i}: $$ {i}x + {i + 1}x = {2 * i + 1}x $$\n" for i in range(1, n + 1))


def test_a_post_with_many_equations_finishes_with_a_verdict_for_each(tmp_path):
    claims = check(tmp_path, _many_equations(200), 120.0).report()["claims"]
    assert len(claims) == 200
    assert_verdicts_with_reasons(claims)
    assert not [c for c in claims if c["verdict"] in ("refuted", "needs-assumption")], "true steps refuted"


def test_thousands_of_equations_end_within_the_file_budget(tmp_path):
    """2,000 equations under ``--file-timeout 5``: what is not checked by then is ``timeout``
    with the reason, and the run ends soon after (reading the file comes on top)."""
    run = start_check(tmp_path, _many_equations(2000), "--file-timeout", "5").wait(150.0)
    claims = run.report()["claims"]
    assert len(claims) == 2000
    assert_verdicts_with_reasons(claims)
    late = [c for c in claims if c["verdict"] == "timeout"]
    assert all("budget ran out" in c["message"] for c in late)
    assert not [c for c in claims if c["verdict"] in ("refuted", "needs-assumption")], "true steps refuted"


def test_slow_to_read_equations_end_within_the_file_budget(tmp_path):
    """Deep towers cost the grammar seconds each: past the nesting limit they are not read."""
    towers = "\n".join("$$" + "x^{" * 24 + str(k) + "}" * 24 + " = x$$\n" for k in range(2, 14))
    run = start_check(tmp_path, towers, "--file-timeout", "5").wait(20.0)
    claims = run.report()["claims"]
    assert len(claims) == 12
    assert_verdicts_with_reasons(claims)


def test_a_5_mb_post_of_prose_with_some_math_is_checked(tmp_path):
    para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 10 + "\n\n"
    parts = []
    for k in range(5 * 1024 * 1024 // len(para) + 1):
        parts.append(para)
        if k % 500 == 0:
            c = k // 500 % 7 + 1
            parts.append(f"$$ (x+{c})^2 = x^2 + {2 * c}x + {c * c} $$\n\n")
    text = "".join(parts)
    assert len(text.encode()) >= 5 * 1024 * 1024
    claims = check(tmp_path, text, 120.0).report()["claims"]
    assert len(claims) == text.count("$$") // 2
    assert all(c["verdict"] in HOLDS for c in claims), [c["verdict"] for c in claims]


# --- files -------------------------------------------------------------------------------

def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


POST = "# A post\n\n$$a(b+c) = ab + ac$$\n\n$$(x+1)^2 = x^2 + 2x + 2$$\n"


def test_the_input_is_never_modified(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    os.utime(post, ns=(1_000_000_000, 1_000_000_000))
    before = _fingerprint(post)
    run = mathlint("check", "post.md", "--no-fix", "--timeout", "2", "--format", "json", "--output", "out.json",
                   "--report", "report.tex", cwd=tmp_path, limit=60.0)
    assert run.finished and run.returncode == 1, run.stderr  # the second equation is refuted
    assert _fingerprint(post) == before
    json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".std")) == \
        ["out.json", "post.md", "report.tex"]


def test_output_to_the_input_path_is_refused(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    before = _fingerprint(post)
    run = mathlint("check", "post.md", "--no-fix", "--timeout", "2", "--format", "json", "--output", "post.md",
                   cwd=tmp_path, limit=60.0)
    assert _fingerprint(post) == before
    assert run.returncode == 2 and run.stderr.startswith("mathlint: error:")


def test_concurrent_output_to_one_path_leaves_one_complete_report(tmp_path):
    posts = []
    for k in range(4):
        p = tmp_path / f"post{k}.md"
        p.write_text(POST + "".join(f"\n$$ {j}y + y = {j + 1}y $$\n" for j in range(k * 5)), encoding="utf-8")
        posts.append(p)
    runs = [Started("check", p.name, "--no-fix", "--timeout", "2", "--format", "json", "--output", "report.json",
                    cwd=tmp_path, tag=str(k)) for k, p in enumerate(posts)]
    codes = [r.wait(120.0).returncode for r in runs]
    assert all(rc in (0, 1) for rc in codes), codes
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    written_by = next(p for p in posts if p.name == report["file"])
    assert len(report["claims"]) == 2 + 5 * posts.index(written_by)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.json")] == []
