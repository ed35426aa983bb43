"""Citations of equations that cite no equation (ML006), and the linking of claims to the
equations they cite (:mod:`mathlint.claims.links`), for one file and across the files of a run.

A citation whose syntax cites equations only (``\\eqref``, ``@eq-``, ``{eq}``, ``:eqref:``,
``\\@ref(eq:…)``) dangles when no equation of the files checked has its label. LaTeX's generic
``\\ref`` also cites figures, tables and sections, whose labels mathlint does not read: it dangles
only when its label is written nowhere else in the files checked. A chapter that cites another
chapter's equation is resolved when both are checked together (``mathlint check DIR``)."""

from __future__ import annotations

import re
from collections import Counter

from ..claims.links import link
from ..model import Block, Citation, Claim, Finding, Location, Result
from ..sources.base import Label, Reference, Source
from ..sources.formats import source_for
from ..sources.labels import equations_only, written

RULE = "ML006"


def finding(ref: Reference) -> Finding:
    shown = written(ref)  # as code, unless it holds backticks itself (``{eq}`x` ``, ``:eqref:`x` ``)
    return Finding(RULE, ref.line, f"{shown if '`' in shown else f'`{shown}`'} cites the label `{ref.label}`, "
                                   "which no equation of the files checked has")


def _written_elsewhere(label: str, texts: list[str], citations: int) -> bool:
    """Whether ``label`` is written in ``texts`` more often than it is cited (a figure's label)."""
    pattern = re.compile(r"(?<![\w:.\-/])" + re.escape(label) + r"(?![\w:\-/])")
    return sum(len(pattern.findall(t)) for t in texts) > citations


def dangling(references: list[Reference], labels: list[Label], texts: list[str],
             cited: Counter | None = None) -> list[Reference]:
    """The references of ``references`` that cite no equation of ``labels`` (see the module);
    ``cited`` counts the citations of each label in ``texts`` (by default, ``references``)."""
    known = {lab.label for lab in labels}
    cited = cited if cited is not None else Counter(r.label for r in references)
    return [r for r in references if r.label not in known
            and (equations_only(r.syntax) or not _written_elsewhere(r.label, texts, cited[r.label]))]


def link_references(claims: list[Claim], blocks: list[Block], source: Source, text: str) -> list[Finding]:
    """Link the claims to their labels and the equations they cite; the findings of the file's
    dangling references."""
    refs, labels = source.references(text), source.labels(text)
    link(claims, blocks, labels, refs)
    return [finding(r) for r in dangling(refs, labels, [text])]


def across_files(files: list[tuple[str, str, Result]], given: str | None = None) -> None:
    """Across the (path, text, result) of a run: drop the dangling references that an equation of
    another file resolves, and name that file and the equation's position in it in the citing
    claims' ``cites``. ``given`` is the run's ``--format-in`` (None: by suffix)."""
    if len(files) < 2:
        return
    read = []
    for path, text, _ in files:
        source = source_for(path, given)
        read.append((source, source.references(text), source.labels(text)))
    every_label = [lab for _, _, labels in read for lab in labels]
    cited = Counter(r.label for _, refs, _ in read for r in refs)
    texts = [text for _, text, _ in files]
    home: dict[str, tuple[str, Location]] = {}  # a label's first equation: its file and position
    for (path, text, _), (source, _, labels) in zip(files, read):
        for lab in labels:
            home.setdefault(lab.label, (path, source.locate(text, lab.line)))
    for (path, text, result), (_, refs, labels) in zip(files, read):
        alone = dangling(refs, labels, [text])
        together = {finding(r) for r in dangling(alone, every_label, texts, cited)}
        resolved = {finding(r) for r in alone} - together
        result.findings = [f for f in result.findings if f not in resolved]
        for c in result.claims:
            c.cites = tuple(_elsewhere(x, path, home) for x in c.cites)


def _elsewhere(x: Citation, path: str, home: dict[str, tuple[str, Location]]) -> Citation:
    """``x`` with the file and position of the equation another file of the run labels."""
    if x.line is not None or x.file is not None or x.label not in home or home[x.label][0] == path:
        return x
    other, where = home[x.label]
    return Citation(x.label, where.cell_line if where.cell is not None else where.file_line,
                    where.file or other, where.cell)
