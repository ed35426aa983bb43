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
from ..model import Block, Claim, Finding
from ..sources.base import Label, Reference, Source
from ..sources.formats import source_for
from ..sources.labels import equations_only, written

RULE = "ML006"


def finding(ref: Reference) -> Finding:
    return Finding(RULE, ref.line, f"`{written(ref)}` cites the label `{ref.label}`, which no equation of the "
                                   "files checked has")


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


def across_files(files: list[tuple[str, str, list[Finding]]]) -> list[list[Finding]]:
    """The findings of each (path, text, findings) of a run, without the dangling references
    that an equation of another file of the run resolves."""
    if len(files) < 2:
        return [found for _, _, found in files]
    read = []
    for path, text, _ in files:
        source = source_for(path)
        read.append((source.references(text), source.labels(text)))
    every_label = [lab for _, labels in read for lab in labels]
    cited = Counter(r.label for refs, _ in read for r in refs)
    texts = [text for _, text, _ in files]
    out = []
    for (_, text, found), (refs, labels) in zip(files, read):
        alone = dangling(refs, labels, [text])
        together = {finding(r) for r in dangling(alone, every_label, texts, cited)}
        resolved = {finding(r) for r in alone} - together
        out.append([f for f in found if f not in resolved])
    return out
