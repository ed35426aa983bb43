"""Machine formats for CI: SARIF 2.1.0, JUnit XML, GitHub Actions annotations."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from .. import __version__
from ..model import Claim, Finding, Fix, Result, Verdict
from ..rule_codes import RULES, level_of, rule_of
from .safetext import one_line, path_text, xml_text
from .text import summary

SKIPPED = (Verdict.UNCHECKED, Verdict.UNPARSED, Verdict.TIMEOUT)  # JUnit: neither passed nor failed
GITHUB_CAP = 10  # annotations GitHub shows per level and step
GITHUB_LEVELS = {"note": "notice"}  # a rule's level → GitHub's command, where the names differ


@dataclass(frozen=True)
class _Item:
    """One reportable item: a finding, and the claim it is the verdict of (None for other findings)."""

    finding: Finding
    claim: Claim | None = None


def _items(path: str, result: Result) -> list[_Item]:
    """Every reportable item: claims with a rule code, then findings; sorted by line."""
    out = []
    for c in result.claims:
        rule = rule_of(c)
        if rule:
            out.append(_Item(Finding(rule, c.line, f"{c.verdict}: {c.latex} — {c.message}"), c))
    out += [_Item(f) for f in result.findings]
    return sorted(out, key=lambda i: (i.finding.line, i.finding.rule))


def _level(rule: str) -> str:
    return level_of(rule).value


def render_sarif(path: str, result: Result, seed: int) -> str:
    return render_sarif_many([(path, result)], seed)


def render_sarif_many(files: list[tuple[str, Result]], seed: int) -> str:
    """One SARIF run over every checked file."""
    rules = [{"id": r.code, "name": r.name, "shortDescription": {"text": r.summary},
              "fullDescription": {"text": r.summary}, "help": {"text": f"{r.summary}. See docs/rules.md."},
              "defaultConfiguration": {"level": r.level.value}}
             for r in sorted(RULES.values(), key=lambda r: r.code)]
    results = []
    for path, result in files:
        for item in _items(path, result):
            f = item.finding
            res = {"ruleId": f.rule, "level": _level(f.rule), "message": {"text": f.message}}
            where = result.where(f.line)
            loc = {"artifactLocation": {"uri": where.file or path}}  # an included file's own path
            if f.line >= 1:  # the file's own line: a notebook's JSON line where the source line is
                loc["region"] = {"startLine": where.file_line}
            res["locations"] = [{"physicalLocation": loc}]
            # a fix's columns are the checked text's: no replacement in a notebook (its lines are
            # the JSON's), one at the file's own line in a LaTeX document's included file
            fix = item.claim.suggestion if item.claim and where.cell is None else None
            fix = _sarif_fix(where.file or path, fix, where.file_line - where.line)
            if fix:
                res["fixes"] = [fix]
            results.append(res)
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "mathlint", "version": __version__,
                                         "informationUri": "https://pypi.org/project/mathlint/", "rules": rules}},
                     "results": results, "properties": {"seed": seed}}]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _sarif_fix(path: str, fix: Fix | None, moved: int = 0) -> dict | None:
    """A SARIF ``fix``: one replacement per edit; ``moved`` lines from the checked text's to the file's."""
    if fix is None:
        return None
    replacements = [{"deletedRegion": {"startLine": e.line + moved, "startColumn": e.column,
                                       "endLine": e.end_line + moved,
                                       "endColumn": e.end_column},
                     "insertedContent": {"text": e.content}} for e in fix.edits]
    return {"description": {"text": fix.message},
            "artifactChanges": [{"artifactLocation": {"uri": path}, "replacements": replacements}]}


def render_junit(path: str, result: Result, seed: int) -> str:
    return render_junit_many([(path, result)], seed)


def render_junit_many(files: list[tuple[str, Result]], seed: int) -> str:
    """One ``testsuite`` per file, one ``testcase`` per claim."""
    root = ET.Element("testsuites")
    for path, result in files:
        root.append(_suite(path, result, seed))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(path: str, result: Result, seed: int) -> ET.Element:
    counts = summary(result.claims)
    suite = ET.Element("testsuite", name=xml_text(f"mathlint {path}"), tests=str(len(result.claims)),
                       failures=str(counts[Verdict.REFUTED]),
                       skipped=str(sum(counts[v] for v in SKIPPED)))
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="seed", value=str(seed))
    for c in result.claims:  # every text from the post through xml_text: XML cannot hold most controls
        case = ET.SubElement(suite, "testcase", classname=xml_text(result.where(c.line).file or path),
                             name=xml_text(f"{result.where(c.line).words}: {c.latex}"))
        if c.verdict == Verdict.REFUTED:
            ET.SubElement(case, "failure", message=xml_text(c.message), type=rule_of(c) or "ML100").text = \
                xml_text(json.dumps(c.counterexample, ensure_ascii=False)) if c.counterexample else ""
        elif c.verdict in SKIPPED:
            ET.SubElement(case, "skipped", message=xml_text(f"{c.verdict}: {c.message}"))
        else:
            ET.SubElement(case, "system-out").text = xml_text(f"{c.verdict}: {c.message}")
    return suite


def _gh_escape(text: str, prop: bool = False) -> str:
    """A workflow command's message (``prop``: a property's value) escaped as GitHub's
    toolkit does, so that no text of the post can end the command or start another."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(path: str, result: Result, seed: int) -> str:
    return render_github_many([(path, result)], seed)


def render_github_many(files: list[tuple[str, Result]], seed: int) -> str:
    """``::error``/``::warning``/``::notice`` lines (at most 10 per level, as GitHub shows),
    then a Markdown summary of everything, written to ``$GITHUB_STEP_SUMMARY`` when set."""
    lines, shown = [], {"error": 0, "warning": 0, "notice": 0}
    for path, result in files:
        for item in _items(path, result):
            f = item.finding
            level = GITHUB_LEVELS.get(_level(f.rule), _level(f.rule))
            if shown[level] >= GITHUB_CAP:
                continue
            shown[level] += 1
            at = result.where(f.line)  # a notebook's: its JSON line; an included file's own path and line
            where = f"file={_gh_escape(at.file or path, True)}" + (f",line={at.file_line}" if f.line >= 1 else "")
            lines.append(f"::{level} {where},title={f.rule}::{_gh_escape(f.message)}")
    md = "\n".join(_markdown_summary(path, result, seed) for path, result in files)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(md)
        return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n\n" + md


def _markdown_summary(path: str, result: Result, seed: int) -> str:
    counts = summary(result.claims)
    out = [f"## mathlint: `{path_text(path)}`", "", "| verdict | claims |", "|---|---|"]
    out += [f"| {v} | {n} |" for v, n in counts.items() if n]
    out += ["", f"seed {seed}", "", "| line | rule | message |", "|---|---|---|"]
    for item in _items(path, result):
        f = item.finding
        message = one_line(f.message).replace("|", "\\|")
        at = result.where(f.line)
        out.append(f"| {path_text(at.file) + ':' if at.file else ''}{at.shown} | {f.rule} | {message} |")
    return "\n".join(out) + "\n"
