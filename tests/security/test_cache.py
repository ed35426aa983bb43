"""The cache is untrusted input: data only, authenticated, never reached through a link.

Every run here names its cache folder or sets ``XDG_CACHE_HOME``: no test writes into the real
user cache.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from mathlint.cache import codec as cache_codec
from mathlint.cache.store import KEY_FILE, MISS, Cache, default_dir, mac
from mathlint.latex.reader import read_text
from mathlint.model import CheckResult

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "softmax.md"
EXE = str(Path(sys.executable).parent / "mathlint")
WRONG = "$$\n(a+b)^2 = a^2+b^2\n$$\n"
TIMING = ("seconds", "elapsed", "duration", "time")


def _run(cwd: Path, *args: str, xdg: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MATHLINT_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(xdg or cwd / "xdg-cache")  # the default cache folder: the test's own
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def _verdicts(stdout: str) -> list[str]:
    return [c["verdict"] for c in json.loads(stdout)["claims"]]


def _entries(root: Path) -> list[Path]:
    """The entry files of a cache folder (their names are 64 hex digits)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and len(p.name) == 64)


def _without_timings(doc):
    if isinstance(doc, dict):
        return {k: _without_timings(v) for k, v in doc.items() if not any(t in k for t in TIMING)}
    if isinstance(doc, list):
        return [_without_timings(x) for x in doc]
    return doc


class Bomb:
    """Unpickling it creates ``marker`` (what a committed pickle did to the old cache)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.fixture()
def post(tmp_path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    path = repo / "post.md"
    path.write_text(WRONG, encoding="utf-8")
    return path


def test_a_committed_pickle_cache_is_never_loaded(post, tmp_path):
    """Pickles that run a command, at every path a run reads, in a ``.mathlint-cache/`` committed
    beside the post (with a committed key): ignored by default and when named with --cache-dir."""
    learn = tmp_path / "learn"
    assert _run(tmp_path, "check", str(post), "--no-fix", "--cache-dir", str(learn)).returncode == 1
    committed = post.parent / ".mathlint-cache"
    marker = tmp_path / "MARKER"
    for entry in _entries(learn):
        planted = committed / entry.relative_to(learn)
        planted.parent.mkdir(parents=True, exist_ok=True)
        planted.write_bytes(pickle.dumps(Bomb(marker)))
    (committed / KEY_FILE).write_bytes(os.urandom(32))
    os.chmod(committed / KEY_FILE, 0o644)  # as git checks it out
    assert len(_entries(committed)) >= 3
    for flags in ((), ("--cache-dir", ".mathlint-cache")):
        run = _run(post.parent, "check", post.name, "--no-fix", "--format", "json", *flags, xdg=tmp_path / "xdg")
        assert not marker.exists()
        assert run.returncode == 1 and _verdicts(run.stdout) == ["refuted"], run.stderr
    assert "not used" in run.stderr and "Traceback" not in run.stderr


def test_even_an_authenticated_pickle_is_not_loaded(tmp_path):
    cache = Cache(tmp_path / "c")
    cache.put("verdict", "parts", {"verdict": "proved"})
    path = cache.path("verdict", "parts")
    secret = (tmp_path / "c" / KEY_FILE).read_bytes()
    marker = tmp_path / "MARKER"
    body = pickle.dumps(Bomb(marker))
    path.write_bytes(mac(secret, "verdict", path.name, body) + b"\n" + body)
    assert Cache(tmp_path / "c").get("verdict", "parts") is MISS
    assert not marker.exists()


def _forge(root: Path, secret: bytes) -> int:
    """Rewrite every entry of ``root`` so that each claim and verdict says "proved", signed with
    ``secret``; returns how many entries were changed."""
    def proved(v):
        if isinstance(v, CheckResult) and v.verdict == "refuted":
            return dataclasses.replace(v, verdict="proved", reason="FORGED-ENTRY", details=())
        if type(v).__name__ == "Claim":
            v.verdict, v.reason, v.notes = "proved", "FORGED-ENTRY", []
        if type(v).__name__ == "Result":
            for c in v.claims:
                proved(c)
        if isinstance(v, tuple):
            return tuple(proved(x) for x in v)
        return v

    changed = 0
    for entry in _entries(root):
        kind = entry.relative_to(root).parts[0]
        body = entry.read_bytes().partition(b"\n")[2]
        value = cache_codec.loads(body)
        forged, _ = cache_codec.dumps(proved(value))
        changed += forged != body
        entry.write_bytes(mac(secret, kind, entry.name, forged) + b"\n" + forged)
    return changed


def test_a_forged_entry_does_not_change_a_verdict(post, tmp_path):
    """Data-only entries that say ``(a+b)^2 = a^2+b^2`` is proved, where the run reads them, signed
    with the attacker's own key: the claim stays refuted. Signed with the cache's key (which only
    its owner has), the same entries are read: they are where the run looks."""
    cache = tmp_path / "cache"
    first = _run(tmp_path, "check", str(post), "--no-fix", "--format", "json", "--cache-dir", str(cache))
    assert first.returncode == 1 and _verdicts(first.stdout) == ["refuted"]
    assert _forge(cache, os.urandom(32)) >= 2  # the file's result and the claim's verdict
    run = _run(tmp_path, "check", str(post), "--no-fix", "--format", "json", "--cache-dir", str(cache))
    assert run.returncode == 1 and _verdicts(run.stdout) == ["refuted"]
    assert "FORGED-ENTRY" not in run.stdout
    _forge(cache, (cache / KEY_FILE).read_bytes())
    run = _run(tmp_path, "check", str(post), "--no-fix", "--format", "json", "--cache-dir", str(cache))
    assert run.returncode == 0 and _verdicts(run.stdout) == ["proved"]


def test_a_forged_side_entry_does_not_change_how_latex_is_read(tmp_path):
    a, b = sp.symbols("a b")
    cache = Cache(tmp_path / "c")
    read_text(WRONG, cache)
    path = cache.path("side", "(a+b)^2")
    assert path.is_file()
    body, _ = cache_codec.dumps((a**2 + b**2, None))
    path.write_bytes(mac(os.urandom(32), "side", path.name, body) + b"\n" + body)
    again = Cache(tmp_path / "c")
    side = read_text(WRONG, again)[0].statements[0].sides[0]
    assert side.expr == sp.Pow(a + b, 2) and again.misses == 1 and again.hits == 1
    # the same entry signed with the folder's key is read: the test forged the right one
    path.write_bytes(mac((tmp_path / "c" / KEY_FILE).read_bytes(), "side", path.name, body) + b"\n" + body)
    assert read_text(WRONG, Cache(tmp_path / "c"))[0].statements[0].sides[0].expr == a**2 + b**2


def test_a_symlinked_cache_folder_gets_nothing_written(post, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside, target_is_directory=True)
    run = _run(tmp_path, "check", str(post), "--no-fix", "--format", "json", "--cache-dir", "link")
    assert run.returncode == 1 and _verdicts(run.stdout) == ["refuted"]
    assert list(outside.iterdir()) == []
    assert "symbolic link" in run.stderr


@pytest.mark.parametrize("linked", ["file", "side", KEY_FILE])
def test_links_inside_the_cache_are_not_followed(post, tmp_path, linked):
    """A kind's folder or the key file replaced by a link to a folder (or a file) elsewhere."""
    cache = tmp_path / "cache"
    assert _run(tmp_path, "check", str(post), "--no-fix", "--cache-dir", str(cache)).returncode == 1
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside
    if linked == KEY_FILE:
        target = outside / "stolen-key"
        target.write_bytes((cache / KEY_FILE).read_bytes())
        os.chmod(target, 0o600)
    shutil.rmtree(cache / "file")  # the next run reads (and writes) every kind
    if linked == KEY_FILE:
        (cache / linked).unlink()
    elif linked != "file":
        shutil.rmtree(cache / linked)
    (cache / linked).symlink_to(target)
    before = sorted(outside.rglob("*"))
    run = _run(tmp_path, "check", str(post), "--no-fix", "--format", "json", "--cache-dir", str(cache))
    assert run.returncode == 1 and _verdicts(run.stdout) == ["refuted"]
    assert sorted(outside.rglob("*")) == before
    assert (cache / linked).is_symlink()


def test_a_linked_entry_is_not_read_nor_written_through(tmp_path):
    cache = Cache(tmp_path / "c")
    cache.put("verdict", "parts", {"verdict": "refuted"})
    path = cache.path("verdict", "parts")
    outside = tmp_path / "outside-entry"
    path.rename(outside)
    path.symlink_to(outside)
    kept = outside.read_bytes()
    again = Cache(tmp_path / "c")
    assert again.get("verdict", "parts") is MISS
    again.put("verdict", "parts", {"verdict": "proved"})
    assert outside.read_bytes() == kept  # the link was replaced, its target left alone
    assert not path.is_symlink() and Cache(tmp_path / "c").get("verdict", "parts") == {"verdict": "proved"}


def test_a_key_file_with_mode_0644_disables_the_cache(post, tmp_path, capsys):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / KEY_FILE).write_bytes(os.urandom(32))
    os.chmod(cache / KEY_FILE, 0o644)
    run = _run(tmp_path, "check", str(post), "--no-fix", "--format", "json", "--cache-dir", str(cache))
    assert run.returncode == 1 and _verdicts(run.stdout) == ["refuted"]
    assert sorted(p.name for p in cache.iterdir()) == [KEY_FILE]  # nothing written
    assert [line for line in run.stderr.splitlines() if "cache" in line] == \
        [f"mathlint: warning: the cache in {cache} is not used: its key file is not a private file of yours "
         "(mode 0644); delete the folder to start a new cache"]
    direct = Cache(cache)
    direct.put("verdict", "parts", {"verdict": "proved"})
    assert direct.get("verdict", "parts") is MISS and "0644" in direct.problem


def test_a_new_cache_is_private(tmp_path):
    cache = Cache(tmp_path / "deep" / "c")
    cache.put("side", "x", (None, "an error"))
    root = tmp_path / "deep" / "c"
    assert (root.stat().st_mode & 0o777, (root / KEY_FILE).stat().st_mode & 0o777) == (0o700, 0o600)
    assert {p.stat().st_mode & 0o777 for p in root.rglob("*") if p.is_dir()} == {0o700}
    assert (root / "CACHEDIR.TAG").is_file() and cache.get("side", "x") == (None, "an error")


def test_the_default_folder_is_the_users_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert default_dir() == tmp_path / "xdg" / "mathlint"
    assert ROOT not in default_dir().parents


def _json(run: subprocess.CompletedProcess) -> dict:
    assert run.returncode in (0, 1), run.stderr
    return _without_timings(json.loads(run.stdout))


def test_a_check_from_the_cache_gives_the_same_json_on_the_example(tmp_path):
    """Fresh, fresh with the cache, from the file's entry, and from the entries of each side,
    verdict and fix (the file's entry removed): the same JSON."""
    cache = tmp_path / "cache"
    args = ("check", str(EXAMPLE), "--format", "json", "--seed", "0")
    fresh = _json(_run(tmp_path, *args, "--no-cache"))
    assert _json(_run(tmp_path, *args, "--cache-dir", str(cache))) == fresh
    inodes = {p: p.stat().st_ino for p in _entries(cache)}
    assert sum(p.relative_to(cache).parts[0] == "side" for p in inodes) > 50
    assert _json(_run(tmp_path, *args, "--cache-dir", str(cache))) == fresh
    for p in (cache / "file").rglob("*"):
        if p.is_file():
            p.unlink()
    assert _json(_run(tmp_path, *args, "--cache-dir", str(cache))) == fresh
    # no side, verdict or fix entry was written again: each was read back
    for p, inode in inodes.items():
        if p.relative_to(cache).parts[0] != "file":
            assert p.stat().st_ino == inode, p


# --- the codec -------------------------------------------------------------------------------

def _round_trip(value):
    body, _ = cache_codec.dumps(value)
    return cache_codec.loads(body)


def test_sympy_values_come_back_equal_and_unevaluated():
    from mathlint.expr.symbols import DerivativeWrt, conditional

    x, n = sp.Symbol("x", positive=True), sp.Symbol("n", integer=True)
    j = sp.Dummy("j")
    p = conditional("P", "Y=1")
    values = [
        sp.Add(x, x, evaluate=False), sp.Pow(sp.Integer(2), 3, evaluate=False), sp.Eq(x, x, evaluate=False),
        sp.Float("0.1", 30), sp.Float("2.5"), sp.Rational(-1, 12), sp.S.Half, sp.zoo, sp.S.true, sp.Reals,
        sp.Interval(0, 1, True), sp.FiniteSet(0, 1), sp.Max(1, sp.floor(x), evaluate=False),
        p(sp.IndexedBase("x")[sp.Idx("i", n)]), DerivativeWrt(sp.exp(x), sp.exp(n)),
        sp.Limit(x**2, x, 0), sp.Integral(sp.Function("f")(x), (x, 0, 1)),
    ]
    for v in values:
        back = _round_trip(v)
        assert back == v and sp.srepr(back) == sp.srepr(v), v
    assert _round_trip(p(x)) != conditional("P", "Y=0")(x)
    s = _round_trip(sp.Sum(j**2, (j, 1, n)))
    (k,) = s.atoms(sp.Dummy)
    assert isinstance(k, sp.Dummy) and k != j and s == sp.Sum(k**2, (k, 1, n))  # one Dummy, a new one


def test_decoding_does_not_switch_sympys_evaluate(monkeypatch):
    from sympy.core import parameters

    cleared = []
    monkeypatch.setattr(parameters, "clear_cache", lambda: cleared.append(1))
    x = sp.Symbol("x")
    assert _round_trip(sp.Add(x, x, sp.Mul(2, x, evaluate=False), evaluate=False)).args[0] == x
    assert cleared == [] and parameters.global_parameters.evaluate is True


@pytest.mark.parametrize("body", [
    b'{"sympy":["Symbol2","x",{}]}',  # an unknown class
    b'{"sympy":["system","touch x"]}',
    b'{"sympy":["Integer","1+1"]}',  # data of the wrong type (sympify would evaluate a string)
    b'{"sympy":["Rational","1/2",1]}',
    b'{"sympy":["Add",["Symbol","x",{}],"__import__(\'os\')"]}',
    b'{"object":"os.system"}',  # an unknown tag
    b'{"dataclass":"Popen","fields":{}}',
    b'{"dataclass":"Claim","fields":{"line":1}}',  # fields missing
    b'{"sympy":["AppliedUndef","f",{"__class__":1}]}',
])
def test_unknown_tags_and_classes_are_misses(tmp_path, body):
    with pytest.raises(Exception):  # noqa: B017 (any error: the point is that nothing is built)
        cache_codec.loads(body)
    cache = Cache(tmp_path / "c")
    cache.put("verdict", "parts", {"verdict": "refuted"})
    path = cache.path("verdict", "parts")
    path.write_bytes(mac((tmp_path / "c" / KEY_FILE).read_bytes(), "verdict", path.name, body) + b"\n" + body)
    assert Cache(tmp_path / "c").get("verdict", "parts") is MISS


def test_what_the_codec_cannot_write_is_not_stored(tmp_path):
    cache = Cache(tmp_path / "c")
    for k, value in enumerate([sp.Matrix([[1]]), sp.Function("f"), {1, 2}, len, sp.IndexedBase("x", offset=1)]):
        cache.put("fix", k, value)
        assert cache.get("fix", k) is MISS
    assert not cache._write_failed
    cache.put("fix", "ok", {"latex": "x"})
    assert cache.get("fix", "ok") == {"latex": "x"}


def test_entries_are_signed_over_their_key(tmp_path):
    """An entry moved to another key's path (a valid MAC for another input) is a miss."""
    cache = Cache(tmp_path / "c")
    cache.put("verdict", "a", {"verdict": "proved"})
    cache.put("verdict", "b", {"verdict": "refuted"})
    cache.path("verdict", "a").replace(cache.path("verdict", "b"))
    assert Cache(tmp_path / "c").get("verdict", "b") is MISS
