"""Issue 14, item 4: reading is linear and budgeted, workers have a memory limit.

A post is untrusted: its text must not buy more than linear time from the readers (regular
expressions that backtrack, a group scanned again from every opener), a span too long or
nested too deep is ``unparsed`` with the reason, reading counts against ``--file-timeout``,
and a check that allocates past the memory limit ends with a verdict naming the limit while
the file's other claims are still checked. Each reading runs in a forked child under a
generous outer limit, so that a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mathlint.app.runner import Settings
from mathlint.claims.assume import context_from
from mathlint.claims.build import build_claims
from mathlint.latex.normalize import mid_bar, trailing_punctuation
from mathlint.latex.reader import MAX_SPAN_CHARS, read_text
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text
from mathlint.runtime import budget
from mathlint.sources.markdown import annotation_matches, annotations

ROOT = Path(__file__).resolve().parents[2]
N = 40_000  # characters of each adversarial run in prose (the 40 KB)
S = MAX_SPAN_CHARS - 100  # and in a span: just under the cap, so that every rewrite reads it
READ_LIMIT = 5.0  # seconds any of them may take to read (each takes well under 2 s; the old readers 5 s to minutes)
OUTER = 60.0  # the child is killed past this: a hang is a failure, not a stuck suite

#: text → a Markdown post built around it; each once took seconds to minutes to read
ADVERSARIAL = {
    "spaces in display math": "$$y = 1" + " " * S + "$$\n",
    "spaces then a full stop": "$$y = 1" + " " * S + "x.$$\n",
    "quads then a full stop": "$$y = 1" + "\\quad " * (S // 6) + "x.$$\n",
    "spaces before no \\mid": "$$P(a" + " " * S + "b)$$\n",
    "unclosed \\color groups": "$$" + "\\color{" * (S // 7) + "$$\n",
    "open braces": "$$" + "{" * S + "$$\n",
    "braces 9,000 deep": "$$" + "{" * 9_000 + "x" + "}" * 9_000 + " = x$$\n",
    "row breaks": "$$" + "\\\\" * (S // 2) + "$$\n",
    "row breaks with an open [": "$$" + "\\\\[" * (S // 3) + "$$\n",
    "ampersands": "$$" + "&" * S + "$$\n",
    "underscores": "$$x" + "_" * S + "$$\n",
    "carets": "$$x" + "^" * S + "$$\n",
    "a span past the cap": "$$y = 1" + " " * N + "x.$$\n",
    "ten thousand dollars": "$" * 10_000 + "\n",
    "unclosed \\[ in prose": "\\\\[" * 33_000 + "\n",
    "unclosed annotation": "<!-- mathlint: assume " + " " * 100_000 + "\n",
    "annotation with spaces": "<!-- mathlint: assume y > 0" + " " * N + "x -->\n",
    "many unclosed annotations": "<!-- mathlint: x " * (N // 17) + "\n",
    "many annotations on a line": "<!-- mathlint: ignore --> " * (N // 26) + "\n",
}


def _read(text: str) -> float:
    """Everything the engine reads of a post, without checking: seconds taken."""
    start = time.monotonic()
    claims, domains, vectors = build_claims(read_text(text))
    context_from(annotations(text), domains, vectors)
    return time.monotonic() - start


@pytest.mark.parametrize("key", list(ADVERSARIAL))
def test_adversarial_text_is_read_in_linear_time(key):
    res = budget.run(lambda _report, text: _read(text), (ADVERSARIAL[key],), OUTER)
    assert res.status == "ok", f"{key}: {res.status} {res.error}"
    assert res.result < READ_LIMIT, f"{key}: read in {res.result:.1f} s"


def _old_trailing(s: str) -> str:
    return re.sub(r"(\s|\\quad|\\qquad)*[.,;]\s*$", "", s.rstrip())


def _old_mid(s: str) -> str:
    return re.sub(r"\s*\\mid(?![A-Za-z])\s*", "|", s)


_OLD_ANNOTATION = re.compile(r"<!--\s*mathlint:\s*([A-Za-z-]+)\s*(.*?)\s*-->", re.S)


def _texts(atoms: list[str], count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))


def test_the_linear_rewrites_read_text_as_the_regular_expressions_did():
    """Same results as the backtracking patterns they replace, on every mix of their pieces."""
    pieces = [" ", "\n", "\\quad", "\\qquad", "\\quadx", ".", ",", ";", "x", "\\mid", "\\midx", "\\", "a b"]
    for s in _texts(pieces, 20_000, 1):
        assert trailing_punctuation(s) == _old_trailing(s), repr(s)
        assert mid_bar(s) == _old_mid(s), repr(s)
    pieces = ["<!--", " mathlint:", "mathlint:", " ", "\n", "ignore", "assume", "-", "--", "-->", ">", "x"]
    for s in _texts(pieces, 20_000, 2):
        old = [(m.start(), m.end(), m.group(1), m.group(2).strip()) for m in _OLD_ANNOTATION.finditer(s)]
        assert annotation_matches(s) == old, repr(s)


def test_repeated_annotations_are_each_on_their_own_line():
    text = "<!-- mathlint: ignore -->\n<!-- mathlint: ignore -->\n<!-- mathlint: ignore -->\n"
    assert [a.line for a in annotations(text)] == [1, 2, 3]


def test_a_span_longer_than_the_cap_is_unparsed_with_the_cap_named():
    long = "a+" * (MAX_SPAN_CHARS // 2) + "b = c"
    text = f"$$x = 1$$\n\n$${long}$$\n\n$$(x+1)^2 = x^2 + 2x + 1$$\n"
    claims, _, _ = build_claims(read_text(text))
    assert [(c.line, c.role) for c in claims] == [(1, "definition"), (3, "unparsed"), (5, "equation")]
    assert claims[1].verdict == "unparsed" and f"{MAX_SPAN_CHARS}" in claims[1].message
    assert len(claims[1].latex) < 100  # the claim quotes its start, not 20,000 characters


@pytest.mark.parametrize("nested", [
    "{" * 10_000 + "x" + "}" * 10_000,
    "(" * 3_000 + "x" + ")" * 3_000,
    "\\sqrt{" * 2_000 + "x" + "}" * 2_000,
    "- " * 1_900 + "x",
])
def test_deep_nesting_is_refused_with_a_reason(nested):
    res = budget.run(lambda _report: [(c.verdict, c.message) for c in
                                      build_claims(read_text(f"$${nested} = x$$\n"))[0]], (), OUTER)
    assert res.status == "ok", res.error  # no RecursionError, no hang
    [(verdict, message)] = res.result
    assert verdict == "unparsed" and message


def test_reading_counts_against_the_file_budget():
    """Sides that cost the grammar many seconds each: reading stops at the file's budget, and
    what was not read by then is unparsed with that reason."""
    slow = "\n\n".join("$$" + "x^" * 700 + f"{k} = 1$$" for k in range(2, 6))
    text = "$$(x+1)^2 = x^2 + 2x + 1$$\n\n" + slow + "\n"
    start = time.monotonic()
    claims = check_text(text, CheckOptions(timeout=5, file_budget=3, suggest=False)).claims
    assert time.monotonic() - start < 3 + 10  # the budget, the listing grace and a worker's start
    late = [c for c in claims if "budget ran out while reading" in c.message]
    assert late and all(c.verdict == "unparsed" and "3 s" in c.message for c in late)
    assert len(claims) == 5


def test_a_post_of_spaces_ends_within_its_budget_through_the_cli(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("$$(x+1)^2 = x^2 + 2x + 1$$\n\n$$y = 1" + " " * N + "$$\n\n<!-- mathlint: assume "
                    + " " * N + "\n", encoding="utf-8")
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "mathlint", "check", str(post), "--timeout", "5",
                          "--file-timeout", "5", "--no-cache", "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - start < 20, "took longer than its budget"
    assert "Traceback" not in run.stderr, run.stderr
    claims = json.loads(run.stdout)["claims"]
    assert (claims[0]["line"], claims[0]["verdict"]) == (1, "proved")


def test_defaults_bound_every_file_and_every_worker():
    assert Settings().file_budget == CheckOptions().file_budget == budget.DEFAULT_FILE_BUDGET
    assert Settings().memory_limit == CheckOptions().memory_limit == budget.DEFAULT_MEMORY_LIMIT
    import resource

    res = budget.run(lambda _report: resource.getrlimit(resource.RLIMIT_AS)[0], (), OUTER)
    assert res.status == "ok" and res.result != resource.RLIM_INFINITY


def _hog(_report):
    blocks = []
    while True:
        blocks.append(bytearray(10 * budget.MiB))


def test_a_worker_past_its_memory_limit_is_stopped_and_replaced():
    results = budget.run_many(lambda report, k: _hog(report) if k == 1 else k, [(0,), (1,), (2,)], OUTER,
                              jobs=1, memory_limit=100 * budget.MiB)
    assert [r.status for r in results] == ["ok", "memory", "ok"]
    assert results[1].error == "stopped: the 100 MiB memory limit per check was reached"


def test_a_timer_whose_ring_is_swallowed_rings_again():
    """A ring raised where Python swallows it (a ``__del__``, a library's catch-all) must not
    leave the work unbounded: the timer rings again until the block ends."""
    swallowed: list[float] = []
    give_up = time.monotonic() + 5.0  # without a second ring the loop ends here, and the test fails

    def stubborn() -> None:
        while time.monotonic() < give_up:
            try:
                while time.monotonic() < give_up:
                    pass
            except budget.OutOfTime:
                if swallowed:
                    raise
                swallowed.append(time.monotonic())

    start = time.monotonic()
    assert not budget.within(start + 0.2, stubborn)
    assert swallowed and time.monotonic() - swallowed[0] < 2.0
