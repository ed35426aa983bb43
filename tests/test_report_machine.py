"""SARIF, JUnit, GitHub annotations and the text format's options, as CI and users read them."""

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from conftest import EXAMPLE

from mathlint.app.cli import main

LEVELS = {"none", "note", "warning", "error"}


@pytest.fixture(scope="module")
def sarif(tmp_path_factory):
    out = tmp_path_factory.mktemp("sarif") / "out.sarif"
    assert main(["check", str(EXAMPLE), "--format", "sarif", "--output", str(out)]) == 1
    return json.loads(out.read_text(encoding="utf-8")), out


def test_sarif_has_the_2_1_0_shape(sarif):
    doc, _ = sarif
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and "ML100" in ids
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    for res in run["results"]:
        assert res["ruleId"] in ids and res["level"] in LEVELS and res["message"]["text"]
        (loc,) = res["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == str(EXAMPLE)
        if "region" in loc["physicalLocation"]:
            assert loc["physicalLocation"]["region"]["startLine"] >= 1


def test_sarif_validates_against_the_official_2_1_0_schema(sarif):
    """tests/data/sarif-schema-2.1.0.json is the OASIS schema, as published at json.schemastore.org/sarif-2.1.0.json."""
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    doc, _ = sarif
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []


def test_sarif_carries_the_headline_fix(sarif):
    doc, out = sarif
    fixes = [r["fixes"][0] for r in doc["runs"][0]["results"] if "fixes" in r]
    change = [f for f in fixes if f["description"]["text"] == "remove `log`"]
    assert change
    (rep,) = change[0]["artifactChanges"][0]["replacements"]
    line = EXAMPLE.read_text(encoding="utf-8").splitlines()[rep["deletedRegion"]["startLine"] - 1]
    start, end = rep["deletedRegion"]["startColumn"], rep["deletedRegion"]["endColumn"]
    assert line[start - 1:end - 1] == "log" and rep["insertedContent"]["text"] == ""
    assert [p.name for p in out.parent.iterdir()] == ["out.sarif"]


def test_junit_parses_with_one_testcase_per_claim(capsys):
    main(["check", str(EXAMPLE), "--format", "junit", "--no-fix"])
    root = ET.fromstring(capsys.readouterr().out.encode())
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests")) > 40
    assert len([c for c in cases if c.find("failure") is not None]) == int(suite.get("failures")) >= 6


def test_github_annotations_are_capped_and_the_summary_has_the_rest(capsys, monkeypatch, tmp_path):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    main(["check", str(EXAMPLE), "--format", "github", "--no-fix"])
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines if ln)
    assert sum(ln.startswith("::error ") for ln in lines) <= 10
    assert all("file=" in ln and ",title=ML" in ln for ln in lines if ln)
    typo = [ln for ln in lines if "ln (1-\\ln P" in ln]
    assert typo and ",line=34," in typo[0]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## mathlint") and text.count("| ML1") > sum(ln.startswith("::error") for ln in lines)


def test_quiet_and_verbose(capsys):
    main(["check", str(EXAMPLE), "--no-fix", "-q"])
    quiet = capsys.readouterr().out.splitlines()
    assert len(quiet) == 1 and "refuted" in quiet[0] and "seed 0" in quiet[0]
    main(["check", str(EXAMPLE), "--no-fix"])
    normal = capsys.readouterr().out
    main(["check", str(EXAMPLE), "--no-fix", "-v"])
    verbose = capsys.readouterr().out
    assert " proved " not in normal and " proved " in verbose
    assert "\x1b[" not in normal + verbose  # colours only on a terminal


def test_suppression_and_configuration(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mathlint]\nfail-on = ["refuted", "needs-assumption"]\nseed = 3\nseverity = { ML004 = "off" }\n',
        encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text("<!-- mathlint: ignore ML100 -->\n$$(a+b)^2 = a^2 + b^2$$\n\n$$T={(1,2), (3,4)}$$\n",
                    encoding="utf-8")
    assert main(["check", str(post), "--no-fix"]) == 0  # the only refutation is silenced
    out = capsys.readouterr().out
    assert "ML100" not in out and "ML004" not in out and "seed 3" in out
    post.write_text("$$p\\sum_{j=1}^{n} y_j - q = p - q$$\n", encoding="utf-8")
    assert main(["check", str(post), "--no-fix"]) == 1  # needs-assumption fails by configuration
    (tmp_path / "pyproject.toml").write_text('[tool.mathlint]\ntimeout = -1\n', encoding="utf-8")
    assert main(["check", str(post)]) == 2
    assert "timeout must be a number of seconds above 0" in capsys.readouterr().err
