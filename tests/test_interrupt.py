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
