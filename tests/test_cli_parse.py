"""``mathlint parse`` as a user runs it."""

import json
import os
import subprocess
import sys

import pytest

from mathlint.app.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_has_blocks_with_positions_and_sympy(capsys, softmax_post):
    code, out, err = run(capsys, "parse", str(softmax_post), "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["summary"]["unparsed"] == 0
    typo = next(b for b in doc["blocks"] if "log(1-logP" in b["latex"])
    assert typo["status"] == "parsed" and typo["kind"] == "display"
    rhs = typo["statements"][0]["sides"][1]
    assert "log(1 - log(P(x[i])))" in rhs["sympy"]
    assert "Function('P', event='Y=1')" in rhs["srepr"]
    assert set(typo) >= {"line", "column", "latex", "status", "statements"}


def test_text_output_one_line_per_span(capsys, tmp_path):
    post = tmp_path / "p.md"
    post.write_text("# t\n\n$$a = b \\\\ = c$$\n\nand $x \\foo y$\n", encoding="utf-8")
    code, out, _ = run(capsys, "parse", str(post))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{post}:3:3: parsed display a = b \\\\ = c"
    assert lines[1] == "    3: a = b = c"
    assert lines[2].startswith(f"{post}:5:6: unparsed inline")
    assert "\\foo" in lines[3]
    assert lines[-1] == "2 math spans: 1 parsed, 1 unparsed"


def test_unparsed_span_has_a_reason_and_the_run_goes_on(capsys, tmp_path):
    post = tmp_path / "p.md"
    post.write_text("$a = \\weird{b}$ then $c = d$\n", encoding="utf-8")
    code, out, _ = run(capsys, "parse", str(post), "--format", "json")
    blocks = json.loads(out)["blocks"]
    assert [b["status"] for b in blocks] == ["unparsed", "parsed"]
    assert "\\weird" in blocks[0]["error"]
    assert main(["parse", str(post), "--strict"]) == 1


def _bad_inputs(tmp_path):
    (tmp_path / "bin.md").write_bytes(b"\x7fELF\x00\x00\x01")
    (tmp_path / "gbk.md").write_bytes("中文 $x=1$".encode("gbk"))
    return {
        "missing": (str(tmp_path / "nope.md"), "no such file"),
        "directory": (str(tmp_path), "is a directory"),
        "binary": (str(tmp_path / "bin.md"), "binary"),
        "non-utf8": (str(tmp_path / "gbk.md"), "not UTF-8"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "binary", "non-utf8"])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, case):
    path, words = _bad_inputs(tmp_path)[case]
    code, out, err = run(capsys, "parse", path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err and err.startswith("mathlint: error: ")


@pytest.mark.parametrize("content", ["", "no math here\n\n```\n$a=b$\n```\n"])
def test_empty_or_math_free_file_is_zero_blocks(capsys, tmp_path, content):
    post = tmp_path / "p.md"
    post.write_text(content, encoding="utf-8")
    code, out, _ = run(capsys, "parse", str(post), "--format", "json")
    assert code == 0 and json.loads(out)["blocks"] == []


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["parse", "x.md", "--format", "yaml"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_console_script_never_shows_a_traceback(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "mathlint")
    if not os.path.exists(exe):
        pytest.skip("the mathlint console script is not installed in this environment")
    res = subprocess.run([exe, "parse", str(tmp_path)], capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    why = "is a directory, expected a file (`mathlint check` reads folders)"
    assert res.stderr.strip() == f"mathlint: error: {tmp_path}: {why}"
