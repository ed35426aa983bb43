"""The result cache and checking many files at once, as a user runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE

from mathlint.app.cli import main
from mathlint.cache.store import Cache, fingerprint
from mathlint.latex.parse import parse_latex
from mathlint.options import CheckOptions
from mathlint.pipeline.engine import check_text

SMALL = """# Two steps

$$
(x+1)^2 = x^2 + 2x + 1
$$

The second one has a typo:

$$
\\log(ab) = \\log a + \\log b + 1
$$

$$
\\frac{d}{dx} e^{2x} = 2 e^{2x}
$$
"""
EXE = str(Path(sys.executable).parent / "mathlint")


def _run(*args, cwd=None, env=None):
    env = {**os.environ, **(env or {})}
    env.pop("MATHLINT_NO_CACHE", None)
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_a_cached_recheck_gives_the_same_bytes_without_loading_sympy(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(SMALL, encoding="utf-8")
    cache = tmp_path.parent / f"{tmp_path.name}-cache"  # outside the checked tree (else it is not used)
    first = _run("check", str(post), "--format", "json", "--cache-dir", str(cache))
    probe = ("import sys, runpy; sys.argv = ['mathlint', 'check', sys.argv[1], '--format', 'json', "
             "'--cache-dir', sys.argv[2]]\ntry:\n    runpy.run_module('mathlint.app.cli', run_name='__main__')\n"
             "except SystemExit as e:\n    code = e.code\nprint('SYMPY' if 'sympy' in sys.modules else 'NO-SYMPY', "
             "'ANTLR' if 'antlr4' in sys.modules else 'NO-ANTLR', file=sys.stderr)\nsys.exit(code)")
    second = subprocess.run([sys.executable, "-c", probe, str(post), str(cache)], capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "MATHLINT_NO_CACHE"}, timeout=60)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout and json.loads(first.stdout)["summary"]["refuted"] == 1
    assert "NO-SYMPY NO-ANTLR" in second.stderr
    assert (cache / "CACHEDIR.TAG").exists()


def test_a_changed_equation_rechecks_only_that_claim(tmp_path):
    cache = Cache(tmp_path / "c")
    opts = CheckOptions(jobs=1, timeout=10, cache=cache)
    before = check_text(SMALL, opts)
    assert cache.misses > 0 and [c.verdict for c in before.claims] == ["proved", "refuted", "proved"]
    cache.hits = cache.misses = 0
    fixed = check_text(SMALL.replace("\\log b + 1", "\\log b"), opts)
    # the log split holds for a, b > 0, which this text does not state
    assert [c.verdict for c in fixed.claims] == ["proved", "needs-assumption", "proved"]
    # the changed side is parsed again and its claim checked again; everything else is a hit
    assert cache.misses == 2 and cache.hits >= 7


def test_cached_verdicts_equal_fresh_ones_on_the_softmax_post(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    fresh = check_text(text, CheckOptions(suggest=False))
    cache = Cache(tmp_path / "c")
    check_text(text, CheckOptions(suggest=False, cache=cache))
    again = check_text(text, CheckOptions(suggest=False, cache=cache))
    assert cache.hits > 50
    assert [(c.line, c.verdict, c.message, c.counterexample) for c in again.claims] == \
        [(c.line, c.verdict, c.message, c.counterexample) for c in fresh.claims]


def test_chain_repairs_and_fixes_from_the_cache_equal_fresh_ones(tmp_path):
    """A chain whose middle side is wrong, with a refuted step before it: the repair and the fix
    search run as one task when fresh, and are taken from the cache on the next check."""
    text = "$$a(b+c) = ab - ac = ac + ab$$\n\n$$\\log(xy) = \\log x - \\log y$$\n"
    fresh = check_text(text, CheckOptions(suggest=True))
    cache = Cache(tmp_path / "c")
    check_text(text, CheckOptions(suggest=True, cache=cache))
    cache.hits = cache.misses = 0
    again = check_text(text, CheckOptions(suggest=True, cache=cache))
    assert cache.misses == 0 and cache.hits > 0
    seen = [(c.line, c.verdict, c.message, c.suggestion and c.suggestion.latex) for c in again.claims]
    assert seen == [(c.line, c.verdict, c.message, c.suggestion and c.suggestion.latex) for c in fresh.claims]
    assert [v for _, v, _, _ in seen] == ["refuted", "proved", "refuted"]
    assert "side before it is wrong" in seen[1][2] and seen[0][3] and seen[2][3]


def test_no_cache_writes_nothing_and_a_read_only_cache_is_not_fatal(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(SMALL, encoding="utf-8")
    xdg = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}  # the user's cache folder, for this test
    res = _run("check", str(post), "--no-cache", "-q", cwd=tmp_path, env=xdg)
    assert res.returncode == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]
    res = _run("check", str(post), "-q", cwd=tmp_path, env=xdg)
    assert res.returncode == 1 and not (tmp_path / ".mathlint-cache").exists()
    if sys.platform.startswith("linux"):  # by default, in the user's cache folder: outside the checked tree
        assert (tmp_path / "xdg" / "mathlint" / "file").is_dir()
    blocked = tmp_path.parent / f"{tmp_path.name}-blocked"  # outside the checked tree
    blocked.write_text("a file where the cache folder should be")
    res = _run("check", str(post), "-q", "--cache-dir", str(blocked))
    assert res.returncode == 1 and "1 refuted" in res.stdout and res.stderr == ""


def test_fingerprints_tell_conditional_events_and_dummies_apart():
    assert fingerprint(parse_latex("P(Y=1|x_i)")) != fingerprint(parse_latex("P(Y=0|x_i)"))
    import sympy as sp

    a, b = sp.Dummy("j"), sp.Dummy("j")
    assert fingerprint(sp.Sum(a, (a, 1, 3))) == fingerprint(sp.Sum(b, (b, 1, 3)))
    assert fingerprint({"x": {1, 2}}) == fingerprint({"x": {2, 1}})


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(SMALL, encoding="utf-8")
    (tmp_path / "a.md").write_text("# a\n\n$$\n\\frac{1}{1+e^{-x}} = \\frac{e^x}{1+e^x}\n$$\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("$$x = 1$$")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.md").write_text("$$x = 2$$")
    return tmp_path


def test_a_folder_is_checked_file_by_file_into_one_report(folder, capsys):
    assert main(["check", str(folder), "--format", "json", "--no-fix", "-j", "2"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [Path(f["file"]).relative_to(folder).as_posix() for f in doc["files"]] == ["a.md", "sub/b.md"]
    assert doc["summary"]["proved"] == 3 and doc["summary"]["refuted"] == 1
    assert main(["check", str(folder), "--no-fix", "-j", "1"]) == 1
    text = capsys.readouterr().out
    assert text.splitlines()[-1].startswith("2 files: 3 proved, 1 refuted")
    assert f"{folder / 'sub' / 'b.md'}:10: ML100 refuted" in text


def test_many_files_in_sarif_and_junit(folder, capsys):
    main(["check", str(folder), "--format", "sarif", "--no-fix"])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} == \
        {str(folder / "sub" / "b.md")}
    main(["check", str(folder), "--format", "junit", "--no-fix"])
    out = capsys.readouterr().out
    assert out.count("<testsuite ") == 2


def test_jobs_do_not_change_the_report(folder, capsys):
    outs = []
    for jobs in ("1", "2"):
        main(["check", str(folder), str(EXAMPLE), "--format", "json", "--no-fix", "--jobs", jobs])
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]


def test_bad_paths_and_options_are_usage_errors(folder, capsys):
    assert main(["check", str(folder / "sub" / "b.md"), str(folder / "missing.md"), "--no-fix", "-q"]) == 2
    captured = capsys.readouterr()
    assert "missing.md: no such file" in captured.err and "1 refuted" in captured.out
    empty = folder / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "empty: no Markdown" in err and "*.ipynb" in err and err.endswith("in this folder\n")
    assert main(["check", str(folder), "--report", str(folder / "r.pdf")]) == 2
    assert "one file" in capsys.readouterr().err
    assert main(["check", str(folder), "--jobs", "0"]) == 2



def test_a_result_cut_short_by_a_budget_is_not_cached(tmp_path):
    """A verdict the machine's load decided (the file's budget ran out while reading) is not
    kept: the next run checks again. A complete result is kept."""
    from mathlint.app.runner import Settings, check_file

    post = tmp_path / "post.md"
    post.write_text("$$x + 1 = 1 + x$$\n", encoding="utf-8")
    cut = Settings(cache_dir=str(tmp_path / "c1"), file_budget=1e-9, jobs=1, suggest=False)
    first = check_file(str(post), cut)
    assert first.result.claims[0].stopped and first.result.claims[0].verdict == "unparsed"
    assert not check_file(str(post), cut).cached
    whole = Settings(cache_dir=str(tmp_path / "c2"), jobs=1, suggest=False)
    assert not check_file(str(post), whole).result.claims[0].stopped
    assert check_file(str(post), whole).cached
