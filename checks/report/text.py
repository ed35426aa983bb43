"""Records and text output of ``mathlint check``."""

from __future__ import annotations

import json
from collections.abc import Callable

from .. import __version__
from ..model import Citation, Claim, Finding, Location, Result, Verdict
from ..relations import RELATIONS
from ..rule_codes import rule_of
from .safetext import one_line, path_text

VERDICTS = tuple(Verdict)  # the summary's order


def claim_record(c: Claim, where: Location | None = None, cited: Callable[[int], Location] | None = None) -> dict:
    """A claim's JSON; ``where`` its user's position (a notebook's ``cell`` and ``line``), ``cited``
    the user's position of a line of the file (for the equations it cites)."""
    return {
        "rule": rule_of(c),
        **(where or Location(c.line, c.line)).fields(),
        "latex": c.latex,
        "relation": c.relation,
        "role": c.role,
        "verdict": c.verdict,
        "method": c.method,
        "message": c.message,
        "counterexample": c.counterexample,
        "assumptions": c.assumptions,
        "suggestion": _suggestion(c, where),
        "conditions": [f"{a} {_sign(r)} {b}" for r, a, b in c.conditions],
        **({"label": c.label} if c.label else {}),  # its equation's label, and the equations it cites
        **({"cites": [_citation(x, cited) for x in c.cites]} if c.cites else {}),
    }


def _citation(x: Citation, cited: Callable[[int], Location] | None) -> dict:
    """A cited equation's JSON: its label, and where it is (``line``, a notebook's ``cell`` and
    ``line``, an included file's ``file``; another checked file's ``file`` and ``line``)."""
    if x.line is None or x.file is not None or cited is None:
        return x.to_dict()
    return {"label": x.label, **cited(x.line).fields()}


def _sign(relation: str) -> str:
    """A condition's sign from the relation registry (``x > 0`` is no ``x ≠ 0``)."""
    r = RELATIONS.get(relation)
    return r.sign if r else relation


def _suggestion(c: Claim, where: Location | None) -> dict | None:
    """The fix's JSON; its line is the claim's file's, as the claim's (the cell's in a notebook; an
    included file's own line: a fix is in the claim's cell or file)."""
    if c.suggestion is None:
        return None
    out = c.suggestion.to_dict()
    if where is not None and where.cell is not None:
        out["line"] = out["line"] - where.line + where.cell_line
    elif where is not None:
        out["line"] = out["line"] - where.line + where.file_line
    return out


def finding_record(f: Finding, result: Result) -> dict:
    """A finding's JSON: ``rule``, the position's keys (``cell`` and ``line`` in a notebook), ``message``."""
    out = f.to_dict()
    if f.line >= 1 and result.positions:
        rule, _ = out.pop("rule"), out.pop("line")
        out = {"rule": rule, **result.where(f.line).fields(), **out}
    return out


def at(where: Location, path: str) -> str:
    """``path:5`` (``path`` as printed), ``path:cell 3:5``, or an included file's ``part.tex:5``."""
    return where.at(path_text(where.file) if where.file else path)


def summary(claims: list[Claim]) -> dict:
    return {v: sum(c.verdict == v for c in claims) for v in VERDICTS}


def _file_doc(path: str, result: Result, seed: int) -> dict:
    return {"mathlint": __version__, "file": path, "seed": seed, "summary": summary(result.claims),
            "claims": [claim_record(c, result.where(c.line), result.where) for c in result.claims],
            "findings": [finding_record(f, result) for f in result.findings]}


def render_json(path: str, result: Result, seed: int) -> str:
    return json.dumps(_file_doc(path, result, seed), ensure_ascii=False, indent=2) + "\n"


def render_json_many(files: list[tuple[str, Result]], seed: int) -> str:
    """One file: the file's document; several: ``{"files": [...]}`` with a total summary."""
    if len(files) == 1:
        return render_json(*files[0], seed)
    docs = [_file_doc(p, r, seed) for p, r in files]
    total = {v: sum(d["summary"][v] for d in docs) for v in VERDICTS}
    doc = {"mathlint": __version__, "seed": seed, "summary": total, "files": docs}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_text(path: str, result: Result, seed: int, verbosity: int = 0) -> str:
    """One line per finding, ``file:line: RULE verdict equation`` (claims) or
    ``file:line: RULE message`` (other findings), details indented below; then a summary.
    ``verbosity`` -1 prints the summary only, 1 also every claim that holds or was not checked."""
    entries = []
    path = path_text(path)
    for c in result.claims:
        rule = rule_of(c)
        if rule is None and (verbosity < 1 or c.role in ("definition", "condition", "domain", "hypothesis")
                             and c.verdict == Verdict.UNCHECKED):
            continue
        lines = [f"{at(result.where(c.line), path)}: {rule + ' ' if rule else ''}{c.verdict} {one_line(c.latex)}",
                 f"    {c.role + ': ' if verbosity >= 1 else ''}{one_line(c.message)}"]  # -v: the role
        if c.assumptions:
            lines.append(f"    assuming: {one_line('; '.join(c.assumptions))}")
        if c.suggestion:
            lines.append(f"    fix ({one_line(c.suggestion.message)}): {one_line(c.suggestion.latex)}")
        entries.append((c.line, lines))
    entries += [(f.line, [f"{at(result.where(f.line), path)}: {f.rule} {one_line(f.message)}"])
                for f in result.findings]
    out = [] if verbosity < 0 else [ln for _, lines in sorted(entries, key=lambda e: e[0]) for ln in lines]
    counts = summary(result.claims)
    out.append(f"{path}: {_counts(counts)}; {len(result.findings)} findings "
               f"({len(result.claims)} claims, seed {seed})")
    return "\n".join(out) + "\n"


def render_text_many(files: list[tuple[str, Result]], seed: int, verbosity: int = 0) -> str:
    """Each file's report; with several files, a total line at the end."""
    out = "".join(render_text(p, r, seed, verbosity) for p, r in files)
    if len(files) > 1:
        claims = [c for _, r in files for c in r.claims]
        counts = summary(claims)
        out += (f"{len(files)} files: {_counts(counts)}; {sum(len(r.findings) for _, r in files)} findings "
                f"({len(claims)} claims, seed {seed})\n")
    return out


def _counts(counts: dict) -> str:
    return ", ".join(f"{n} {v}" for v, n in counts.items() if n) or "nothing to check"


