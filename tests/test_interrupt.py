"""Ctrl-C at any moment: exit 130, one line, no traceback, no partial or temporary files."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE

EXE = str(Path(sys.executable).parent / "mathlint")


@pytest.mark.parametrize("after", [0.8, 3.0, 8.0])
def test_ctrl_c_leaves_no_partial_files(tmp_path, after):
    out = tmp_path / "out"
    out.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([EXE, "check", str(EXAMPLE), "--output", str(out / "r.json"), "--format", "json",
                             "--report", str(out / "r.pdf"), "--cache-dir", str(tmp_path / "cache")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole process group
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("mathlint did not stop after Ctrl-C")
    if proc.returncode in (0, 1):  # it finished before the signal: everything must be complete
        assert sorted(p.name for p in out.iterdir()) == ["r.json", "r.pdf"]
        return
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert list(out.iterdir()) == [], "no report, and no half-written one"
    assert list(tmp.iterdir()) == [], "temporary files are removed"
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.name.startswith(".")
                 and p.name != ".gitignore"] if (tmp_path / "cache").exists() else []
    assert leftovers == []
    time.sleep(0.5)
    assert subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True).stdout == b"", \
        "no worker process outlives the command"


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_ctrl_c_while_the_pdf_builds_leaves_neither_output(tmp_path, how):
    """The JSON is ready before the PDF: an interrupt in between must not leave the JSON alone,
    nor a TeX program running (TeX ignores the Ctrl-C) or its temporary file. SIGTERM (a CI job
    cancelled, ``timeout``), sent to mathlint alone, ends it the same way."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker, pid_file = tmp_path / "building", tmp_path / "tex.pid"
    for tool in ("latexmk", "xelatex"):  # a TeX engine that signals it started, then takes its time
        (bin_dir / tool).write_text(f"#!/bin/sh\ntrap '' INT\necho $$ > {pid_file}\ntouch \"$TMPDIR/dvipdfmx.tmp\"\n"
                                    f"touch {marker}\nexec sleep 60\n")
        (bin_dir / tool).chmod(0o755)
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "TMPDIR": str(tmp)}
    proc = subprocess.Popen([EXE, "check", str(EXAMPLE), "--no-fix", "--no-cache", "--format", "json",
                             "--output", str(out / "r.json"), "--report", str(out / "r.pdf")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not marker.exists():
        proc.kill()
        pytest.fail(f"the report build was not reached: {proc.communicate()[1][-2000:]}")
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, "interrupted" in err or "terminated" in err) == \
        ((130, True) if how == "ctrl-c" else (143, True)), err[-2000:]
    assert "Traceback" not in err
    assert list(out.iterdir()) == []
    assert list(tmp.iterdir()) == [], "TeX's temporary files are removed"
    with pytest.raises(ProcessLookupError):  # the TeX program was ended with the run
        os.kill(int(pid_file.read_text()), 0)


def test_a_set_of_outputs_is_written_whole_or_not_at_all(tmp_path):
    from mathlint.runtime.atomic import write_all

    (tmp_path / "blocker").write_text("a file where a directory is needed")
    first, second = tmp_path / "r.json", tmp_path / "blocker" / "r.pdf"
    with pytest.raises(OSError):
        write_all({first: b"{}", second: b"%PDF"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"], "neither file, no temporary"
    write_all({first: b"{}", tmp_path / "r.pdf": b"%PDF"})
    assert first.read_bytes() == b"{}" and (tmp_path / "r.pdf").read_bytes() == b"%PDF"
