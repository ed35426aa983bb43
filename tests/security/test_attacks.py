"""One attack post per class of issue 14, each through the real CLI in every output format and
with ``--report``: no marker file appears, no local file's content reaches an output, no
process outlives the run, every run ends within its budget, and the claims the attack did not
touch get the verdicts of the same post without the attack (docs/security.md)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from harness import (
    ROOT,
    SECRET,
    TEX,
    Outcome,
    active_content,
    attack,
    cli,
    files_left,
    prepare,
    processes_left,
    workflow_commands,
)

BASE_LINES = {4, 6}  # the clean derivation at the top of every attack post
BASE_VERDICTS = [(4, "(x+1)^2 = x^2 + 2x + 1", "proved"), (6, "(a+b)^2 = a^2 + b^2", "refuted")]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The checked-out pull request: the attacker's files, and one local file they want."""
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return tmp_path


def assert_contained(out: Outcome, *, marker: Path | None = None, budget: float = 120) -> None:
    """What every attack must leave true."""
    for fmt, run in out.runs.items():
        assert run.code in (0, 1), f"{fmt}: exit {run.code}: {run.stderr[-2000:]}"
        assert "Traceback" not in run.stderr, f"{fmt}: {run.stderr[-2000:]}"
        assert run.seconds < budget, f"{fmt}: {run.seconds:.1f} s"
    assert out.outputs["json"] and all(out.outputs.values()), "every format wrote its --output"
    assert SECRET not in out.everything()
    if marker is not None:
        assert not list(marker.parent.glob(marker.name + "*")), "a marker file appeared"
    assert not processes_left(out.folder)
    assert not files_left(out.folder)
    ET.fromstring(out.outputs["junit"].encode("utf-8"))  # valid XML
    for fmt in ("text", "github"):
        assert not workflow_commands(out.outputs[fmt]), fmt
    for run in out.runs.values():
        assert not workflow_commands(run.stderr)
    assert out.report, "the report (the PDF, or the .tex it degrades to) is written"
    if out.report.startswith(b"%PDF"):
        assert active_content(out.report) == []
    assert out.verdicts(BASE_LINES) == BASE_VERDICTS


def test_the_clean_post_as_reference(folder):
    post = prepare(folder, "base")
    out = attack(folder, post, report=True)
    assert_contained(out)
    assert out.runs["json"].code == 1


def test_tex_cannot_read_write_or_run(folder):
    """``\\input`` of a local file, ``\\write18``, ``\\openout``, a JavaScript ``\\special`` and
    an assumption annotation as a second raw channel."""
    marker = folder / "MARKER"
    post = prepare(folder, "tex-input", SECRET=str(folder / "secret.txt"), MARKER=str(marker))
    out = attack(folder, post, report=True)
    assert_contained(out, marker=marker)
    if TEX:
        assert out.report.startswith(b"%PDF"), out.runs["json"].stderr
        assert active_content(out.report) == []


def test_backtracking_input_stays_within_the_file_budget(folder):
    post = prepare(folder, "regex", SPACES=" " * 40_000)
    out = attack(folder, post, "--timeout", "5", "--file-timeout", "5", report=True)
    assert_contained(out, budget=30)


def test_a_memory_bomb_is_stopped_at_the_limit(folder):
    """A short true identity whose proof by expansion grows by tens of MB a second."""
    post = prepare(folder, "memory")
    out = attack(folder, post, "--timeout", "30", "--memory-limit", "200M", report=True)
    assert_contained(out, budget=90)
    assert out.runs["json"].max_rss_kb < 600_000, out.runs["json"].max_rss_kb
    bomb = [c for c in out.claims() if c["line"] == 10]
    assert bomb and bomb[0]["verdict"] in ("timeout", "consistent") and "memory limit" in bomb[0]["message"], bomb


def test_workflow_commands_and_control_characters_stay_inert(folder):
    post = prepare(folder, "workflow", CONTROL="\x01\x1b[31m")
    out = attack(folder, post, report=True)
    assert_contained(out)
    odd = folder / "::add-mask::x\n::warning::y.md"  # a file name the attacker chose
    shutil.copy(post, odd)
    run = cli(folder, "check", odd.name, "--no-cache", "--no-fix")
    assert run.code == 1 and not workflow_commands(run.stdout + run.stderr)
    run = cli(folder, "check", odd.name, "--no-cache", "--no-fix", "--format", "github")
    assert run.code == 1 and not workflow_commands(run.stdout + run.stderr)


def test_constants_are_compared_exactly(folder):
    post = prepare(folder, "constants")
    out = attack(folder, post, report=True)
    assert_contained(out)
    verdicts = {line: v for line, _, v in out.verdicts()}
    assert [verdicts[line] for line in (10, 12, 14)] == ["refuted"] * 3


def test_a_committed_configuration_can_be_pinned_or_ignored(folder):
    post = prepare(folder, "base")
    (folder / "mathlint.toml").write_text('fail-on = []\n', encoding="utf-8")
    assert cli(folder, "check", post.name, "--no-cache", "--no-fix").code == 0  # the attack, unpinned
    (folder / "ci.toml").write_text('[tool.mathlint]\nfail-on = ["refuted"]\n', encoding="utf-8")
    pinned = cli(folder, "check", post.name, "--no-cache", "--no-fix", "--config", "ci.toml")
    assert pinned.code == 1, pinned.stderr
    assert cli(folder, "check", post.name, "--no-cache", "--no-fix", "--isolated").code == 1
    (folder / "mathlint.toml").write_text('timeout = 1e9\n', encoding="utf-8")
    run = cli(folder, "check", post.name, "--no-cache", "--no-fix")
    assert run.code == 2 and "timeout" in run.stderr
    (folder / "mathlint.toml").write_text('fail-on = []\nrun = "touch MARKER"\n', encoding="utf-8")
    run = cli(folder, "check", post.name, "--no-cache", "--no-fix")
    assert run.code == 2 and "unknown key" in run.stderr


def test_the_configuration_search_stops_at_the_repository_root(folder):
    repo = folder / "repo"
    (repo / ".git").mkdir(parents=True)
    post = prepare(repo, "base")
    (folder / "mathlint.toml").write_text('fail-on = []\n', encoding="utf-8")  # above the repository
    assert cli(repo, "check", post.name, "--no-cache", "--no-fix").code == 1


def test_a_committed_cache_is_never_read(folder):
    """A ``.mathlint-cache/`` in the pull request, full of pickles that would run a command,
    used by default and when CI names it with ``--cache-dir``."""
    post = prepare(folder, "base")
    marker = folder / "MARKER"
    learned = folder.parent / f"{folder.name}-learned"  # filled by a real run, then committed
    first = cli(folder, "check", post.name, "--no-fix", "--cache-dir", str(learned), "--format", "json")
    assert first.code == 1
    committed = folder / ".mathlint-cache"
    shutil.copytree(learned, committed)
    import pickle

    class Bomb:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    entries = [p for p in committed.rglob("*") if p.is_file() and len(p.name) >= 32]
    for p in entries:
        os.chmod(p, 0o644)
        p.write_bytes(pickle.dumps(Bomb()))
    for p in committed.rglob("key*"):
        os.chmod(p, 0o644)  # as a clone checks it out
    assert len(entries) >= 3
    out = attack(folder, post, "--cache-dir", str(committed), report=True)
    assert_contained(out, marker=marker)
    assert "inside the checked tree" in out.runs["json"].stderr
    out = attack(folder, post, report=True)  # the default cache folder (outside the checkout)
    assert_contained(out, marker=marker)


def test_a_symlinked_cache_folder_is_not_written_through(folder):
    post = prepare(folder, "base")
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir()
    link = folder.parent / f"{folder.name}-link"  # outside the checked tree, so only the link is in question
    link.symlink_to(outside, target_is_directory=True)
    run = cli(folder, "check", post.name, "--no-fix", "--cache-dir", str(link))
    assert run.code == 1
    assert list(outside.iterdir()) == []


def test_folder_discovery_does_not_follow_links_out_of_the_folder(folder):
    posts = folder / "posts"
    posts.mkdir()
    prepare(posts, "base")
    elsewhere = folder / "elsewhere.md"
    elsewhere.write_text(f"# {SECRET}\n\n$$y = 1$$\n", encoding="utf-8")
    (posts / "link.md").symlink_to(elsewhere)
    (posts / "inside.md").symlink_to(posts / "base.md")  # a link inside the folder is fine
    for fmt in ("text", "json", "sarif"):
        run = cli(folder, "check", "posts", "--no-cache", "--no-fix", "--format", fmt)
        assert run.code == 1 and SECRET not in run.stdout + run.stderr
        assert "link.md" not in run.stdout and "inside.md" in run.stdout


def test_code_from_a_post_does_not_run(folder):
    """The bundled example's code blocks replaced by code that reaches the shell, files and the
    foreign-function interface through numpy."""
    text = (ROOT / "examples" / "softmax.md").read_text(encoding="utf-8")
    evil = ['x = np.loadtxt("secret.txt", dtype=str)\n',  # one short line per block (relative to the
            'np.ctypeslib.ctypes.CDLL(None).system(b"touch MARKER")\n',  # run's folder): the derivation
            'np.save("MARKER2", np.arange(3))\n']  # still finds every block
    head, *blocks = text.split("```python\n")
    for k, block in enumerate(blocks):
        body, close, tail = block.partition("```")
        head += "```python\n" + body + evil[k % len(evil)] + close + tail
    post = folder / "softmax.md"
    post.write_text(head, encoding="utf-8")
    out = attack(folder, post, "--derivation", "softmax", report=True)
    for run in out.runs.values():
        assert run.code in (0, 1) and "Traceback" not in run.stderr, run.stderr
    assert SECRET not in out.everything()
    assert not list(folder.glob("MARKER*"))
    assert not processes_left(folder) and not files_left(folder)
    codes = [c for c in out.claims() if c["role"] == "code"]
    refused = [c for c in codes if c["verdict"] == "unchecked" and "allow-list" in c["message"]]
    assert len(refused) >= 2, codes


def test_no_inline_suppressions_and_strict_fail_closed(folder):
    post = folder / "post.md"
    post.write_text("<!-- mathlint: ignore -->\n$$(a+b)^2 = a^2 + b^2$$\n\n$$\\operatorname{zeta}(q) = 1$$\n",
                    encoding="utf-8")
    assert cli(folder, "check", post.name, "--no-cache", "--no-fix").code == 0
    assert cli(folder, "check", post.name, "--no-cache", "--no-fix", "--no-inline-suppressions").code == 1
    clean = folder / "clean.md"
    clean.write_text("$$\\operatorname{zeta}(q) = 1$$\n", encoding="utf-8")
    assert cli(folder, "check", clean.name, "--no-cache", "--no-fix").code == 0
    assert cli(folder, "check", clean.name, "--no-cache", "--no-fix", "--strict").code == 1


def test_a_cache_folder_inside_the_checked_tree_is_not_used(folder):
    post = prepare(folder, "base")
    run = cli(folder, "check", post.name, "--no-fix", "--cache-dir", "sub/cache")
    assert run.code == 1 and "inside the checked tree" in run.stderr
    assert not (folder / "sub").exists()


def test_a_heading_cannot_name_an_equation_slot_of_the_report(folder):
    post = folder / "post.md"
    post.write_text("# Title @@SLOT0@@ @@SLOT999@@\n\n$$(a+b)^2 = a^2 + b^2$$\n", encoding="utf-8")
    run = cli(folder, "check", post.name, "--no-cache", "--no-fix", "--report", "r.tex")
    assert run.code == 1 and "Traceback" not in run.stderr, run.stderr
    tex = (folder / "r.tex").read_text(encoding="utf-8")
    assert "SLOT999" in tex and "(a+b)^2 = a^2 + b^2" in tex


def test_parse_output_carries_no_workflow_command(folder):
    post = folder / "post.md"
    post.write_text("$$a = b\n::add-mask::x$$\n", encoding="utf-8")
    run = cli(folder, "parse", post.name)
    assert run.code == 0 and not workflow_commands(run.stdout) and "::add-mask::x" in run.stdout


def test_a_link_to_a_hidden_file_inside_the_folder_is_skipped(folder):
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text(f"$${SECRET} = 1$$\n", encoding="utf-8")
    prepare(folder, "base")
    (folder / "config.md").symlink_to(folder / ".git" / "config")
    run = cli(folder, "check", ".", "--no-cache", "--no-fix")
    assert run.code == 1 and SECRET not in run.stdout + run.stderr


def test_sigterm_to_the_whole_group_of_a_folder_run_leaves_no_traceback(folder):
    import signal
    import subprocess
    import sys
    import time

    for k in range(4):
        prepare(folder, "memory").rename(folder / f"m{k}.md")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(folder)}
    proc = subprocess.Popen([sys.executable, "-m", "mathlint", "check", ".", "--no-cache", "--jobs", "2",
                             "--memory-limit", "200M"], cwd=folder, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(4)
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "Traceback" not in err, err[-2000:]
    time.sleep(0.5)
    assert not processes_left(folder)
