"""Code from posts (issue 14, item 1): a ```python block is checked against an allow-list on its
syntax tree before anything runs, and what runs, runs in a limited child process."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from mathlint.check import snippet as coderun
from mathlint.check.snippet import LimitExceeded, NotRun, UnsafeCode, run_snippet, snippet_budget
from mathlint.derivations.softmax import check_backprop, check_dscores
from mathlint.pipeline.finish import _run_code
from mathlint.runtime import sandbox

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "softmax.md"

# (snippet, what the refusal names): each of these ran, or could run, before issue 14
ATTACKS = {
    "foreign function": ('np.ctypeslib.ctypes.CDLL(None).system(b"touch MARKER")', "np.ctypeslib"),
    "pickle load": ('a = np.load("data.npy", allow_pickle=True)', "np.load"),
    "file write": ('np.save("MARKER2", 1)', "np.save"),
    "memory map": ('a = np.memmap("f.bin", mode="w+", shape=(3,))', "np.memmap"),
    "text read": ('a = np.loadtxt("/etc/passwd")', "np.loadtxt"),
    "import statement": ("import os", "Import"),
    "__import__": ('__import__("os").system("touch MARKER")', "__import__"),
    "class walk": ("s = ().__class__.__bases__[0].__subclasses__()", "__class__"),
    "getattr": ('f = getattr(np, "load")', "getattr"),
    "open": ('a = open("/etc/passwd")', "open"),
    "lambda": ("f = lambda: 1", "Lambda"),
    "lambda call": ("a = (lambda g: g)(x)", "called"),
    "np.lib": ("a = np.lib.format.read_array(x)", "np.lib"),
    "np.__dict__": ('np.__dict__["load"]("data.npy")', "np.__dict__"),
    "np.f2py": ("np.f2py.compile(x)", "np.f2py"),
    "np.testing": ("np.testing.assert_equal(x, x)", "np.testing"),
    "module alias": ("m = np", "np.NAME"),
    "function alias": ("f = np.dot", "np.dot"),
    "rebinding np": ("np = x", "np"),
    "raw memory": ("p = x.ctypes", ".ctypes"),
    "array to file": ('x.tofile("MARKER")', ".tofile"),
    "object dtype": ("a = x.astype(object)", ".astype"),
    "dtype by string": ('a = np.zeros(3, "O")', "string"),
    "out=": ("np.sum(x, out=x)", "out="),
    "**kwargs": ("a = np.sum(x, **x)", "**"),
    "loop": ("while True:\n    pass", "While"),
    "comprehension": ("a = [v for v in range(3)]", "ListComp"),
}


@pytest.fixture
def no_fork(monkeypatch):
    """A refused snippet must not get as far as the child process."""
    def forbidden():
        raise AssertionError("a refused snippet reached os.fork")
    monkeypatch.setattr(sandbox.os, "fork", forbidden)


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_is_refused_on_the_syntax_tree_with_its_reason(name, no_fork):
    src, named = ATTACKS[name]
    with pytest.raises(UnsafeCode) as caught:
        run_snippet(src, x=np.ones(3))
    assert named in caught.value.message
    assert caught.value.verdict == "unchecked"


def test_a_refused_snippet_is_unchecked_with_the_reason_on_its_line():
    code = "dW = np.dot(X.T, dscores)\ndb = np.sum(dscores, axis=0, keepdims=True)\ndW += reg*W\n" \
           'np.save("MARKER2", 1)\n'
    (line, verdict, message), = _run_code(None, check_backprop, code, "code_backprop", 0, 20.0)
    assert (line, verdict) == (4, "unchecked")
    assert "np.save" in message and "not run" in message


def test_allowed_numpy_runs_and_only_numbers_come_back():
    run = run_snippet("a = np.dot(x, x.T)\nb = x.astype(float).sum(axis=0, keepdims=True)\n"
                      "n = len(x)\nm = x.mean()\nlst = [1, 2]\nr = range(3)\nd = a / 0.0\ne = 1 / 0", x=np.ones((2, 2)))
    assert run.error == "ZeroDivisionError: division by zero" and run.error_line == 8
    assert set(run.namespace) == {"x", "a", "b", "n", "m", "d"}  # the list and the range are dropped
    assert run.namespace["a"].tolist() == [[2.0, 2.0], [2.0, 2.0]] and run.namespace["n"] == 2


def test_inputs_are_not_changed_in_the_caller():
    probs = np.ones((2, 3))
    run = run_snippet("dscores = probs\ndscores[range(2), 0] -= 1", probs=probs)
    assert probs.tolist() == [[1.0] * 3] * 2 and run.namespace["dscores"][0, 0] == 0.0


def test_a_4_gib_allocation_is_a_clean_memory_limit_verdict():
    with pytest.raises(LimitExceeded) as caught:
        run_snippet("a = np.ones((2**16, 2**13))")  # 4 GiB of float64
    assert "memory limit" in caught.value.message and caught.value.verdict == "timeout"
    code = "dscores = probs\ndscores[range(num_examples),y] -= 1\nbig = np.zeros((2**29,))\n"
    (line, verdict, message), = _run_code(None, check_dscores, code, "code_dscores", 0, 20.0)
    assert (line, verdict) == (3, "timeout") and "memory limit" in message


def test_a_runaway_computation_stops_at_the_cpu_limit():
    started = time.monotonic()
    with snippet_budget(1), pytest.raises(LimitExceeded) as caught:
        run_snippet("a = 9 ** 9 ** 9 ** 9")  # no loops are allowed: this is the longest a snippet can spin
    assert "CPU limit" in caught.value.message
    assert time.monotonic() - started < 30


def _probe():
    """What the snippet's process sees, as numbers (installed as a builtin by the test below)."""
    fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
    try:
        cwd_gone = float(not os.path.exists(os.getcwd()))
    except FileNotFoundError:
        cwd_gone = 1.0
    null = float(all(os.readlink(f"/proc/self/fd/{k}") == "/dev/null" for k in (0, 1, 2)))
    limits = [resource.getrlimit(getattr(resource, r))[1] for r in
              ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NPROC", "RLIMIT_NOFILE")]
    return np.array([len(fds), max(fds), cwd_gone, null, *limits], dtype=float)


def test_the_child_is_limited_isolated_and_inherits_no_descriptors(monkeypatch, tmp_path):
    monkeypatch.setitem(coderun.BUILTINS, "probe", _probe)
    extra = os.open(tmp_path / "open-in-parent", os.O_CREAT | os.O_RDWR)  # must not reach the child
    try:
        seen = run_snippet("p = probe()").namespace["p"]
    finally:
        os.close(extra)
    n_fds, top_fd, cwd_gone, null, cpu, address, fsize, nproc, nofile = seen.tolist()
    # 0-2 on /dev/null, 3 the pipe to the parent (listing /proc/self/fd opens one more while it runs)
    assert n_fds <= 5 and top_fd <= 4 and null == 1.0
    assert cwd_gone == 1.0  # an empty folder, removed once entered: nothing can be written there
    assert cpu <= 6 and fsize == 0 and nproc == 0 and nofile <= 8
    # 1 GiB; a forked process that already maps more (a worker grown large) leaves 256 MiB to the snippet
    mapped = next(int(x.split()[1]) << 10 for x in Path("/proc/self/status").read_text().splitlines()
                  if x.startswith("VmSize:"))
    assert address <= max(1 << 30, mapped + (256 << 20) + (64 << 20))


def test_a_forged_result_is_not_unpickled_or_trusted():
    head = json.dumps({"error": None, "line": None, "limit": None, "values": [["a", "|O", [1], False]]}).encode()
    forged = len(head).to_bytes(8, "big") + head + b"\0" * 8
    with pytest.raises(NotRun, match="malformed"):
        sandbox._decode(forged, 0, sandbox.Limits())


def _ppid(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return int(status.split("PPid:")[1].split()[0])


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_the_snippet_process_dies_with_the_worker_that_started_it():
    worker = os.fork()
    if worker == 0:  # a worker killed mid-check, as budget.run_many kills one past its budget
        try:
            with snippet_budget(5):
                run_snippet("a = 9 ** 9 ** 9 ** 9")
        finally:
            os._exit(0)
    try:
        deadline, child = time.monotonic() + 20, None
        while child is None and time.monotonic() < deadline:
            child = next((int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(int(p)) == worker), None)
            time.sleep(0.01)
        assert child is not None, "the worker did not start a snippet process"
    finally:
        os.kill(worker, signal.SIGKILL)
        os.waitpid(worker, 0)
    deadline = time.monotonic() + 3  # well before its 5 s CPU limit would end it
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(child)


def test_the_bundled_example_code_checks_find_what_they_found():
    blocks = [b.split("```")[0] for b in EXAMPLE.read_text().split("```python\n")[1:]]
    dscores, backprop = (_run_code(None, fn, src, node, 0, 20.0) for fn, src, node in
                         ((check_dscores, blocks[0], "code_dscores"), (check_backprop, blocks[1], "code_backprop")))
    assert [v for _, v, _ in dscores] == ["consistent"]
    assert [v for _, v, _ in backprop] == ["consistent", "consistent"]


def test_attack_post_through_the_cli_writes_no_file(tmp_path):
    """The example with the attack in two of its code blocks, checked as CI would (sarif)."""
    text = EXAMPLE.read_text()
    backprop = "dW = np.dot(X.T, dscores)\ndb = np.sum(dscores, axis=0, keepdims=True)\ndW += reg*W\n"
    update = "b += -step_size * db\n"
    assert backprop in text and update in text
    text = text.replace(backprop, backprop + 'np.save("MARKER2", 1)\n', 1)
    text = text.replace(update, 'np.ctypeslib.ctypes.CDLL(None).system(b"touch MARKER")\n' + update, 1)
    (tmp_path / "post.md").write_text(text)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = {}
    for fmt in ("sarif", "json"):
        proc = subprocess.run([sys.executable, "-m", "mathlint", "check", "post.md", "--format", fmt, "--no-cache",
                               "--output", f"out.{fmt}"], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode in (0, 1), proc.stderr
        out[fmt] = json.loads((tmp_path / f"out.{fmt}").read_text())
        assert not list(tmp_path.rglob("MARKER*"))
        assert not any((ROOT / name).exists() for name in ("MARKER", "MARKER2", "MARKER2.npy"))
    assert out["sarif"]["runs"]
    code = {c["message"].split(": ", 1)[1]: c["verdict"] for c in out["json"]["claims"] if c["role"] == "code"}
    assert code["the snippet was not run: np.save is not on mathlint's allow-list of pure numpy functions"] \
        == "unchecked"
    assert code["the snippet was not run: np.ctypeslib is not on mathlint's allow-list of pure numpy functions"] \
        == "unchecked"
    assert "consistent" in code.values()  # the untouched dscores block is still checked
