"""Cue words: what the prose just before a span says the span is, in English and Chinese.

One registry for both questions the claims stage asks of the prose: the nearest cue word tells
a setting, a hypothesis, an equation to solve or a claim apart (:mod:`mathlint.claims.roles`),
and the lead-in ("let" right before a span, an example begun in its sentence) says how long a
definition lasts (:mod:`mathlint.claims.scope`). A new cue word is one entry of
:data:`CUES` or :data:`LEAD_INS`.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Cue(StrEnum):
    """What the words just before a span say it is: the word nearest to it (:func:`nearest_cue`,
    which tells roles apart), or how the prose leads into it (:func:`cue_of`, which scopes
    definitions: "let" right before it, or an example begun in its sentence)."""

    NONE = "none"
    EXAMPLE = "example"  # "for instance", "e.g.", "consider", "suppose", 例如 … (cue_of only)

    SETTING = "setting"
    HYPOTHESIS = "hypothesis"
    SOLVE = "solve"
    CLAIM = "claim"
    DEFINE = "define"  # ``let``, ``with``: a value the following lines use, left to the definitions


#: the cue registry (nearest word): words (lower case; phrases allowed) → what they announce. The cue nearest
#: before the span decides.
CUES: dict[Cue, tuple[str, ...]] = {
    Cue.SETTING: ("set", "sets", "setting", "choose", "chose", "choosing", "choice", "choices", "pick", "picked",
                  "picking", "take", "taking", "initialize", "initialise", "initialized", "e.g.",
                  "for example", "for instance", "such as", "say", "设", "令", "取"),
    Cue.HYPOTHESIS: ("for", "if", "when", "whenever", "where", "assume", "assuming", "assumed", "suppose",
                     "supposing", "given", "such that", "provided", "unless", "only if", "iff", "constraint",
                     "constraints", "condition", "conditions", "ensure", "ensures", "ensure that", "satisfying",
                     "若", "当", "假设", "其中", "如果"),
    # verbs that ask for the solution of what follows ("find x with …"), not nouns that name one
    # ("the minimum of …", "finding errors") that prose before an identity often has
    Cue.SOLVE: ("solve", "solving", "find", "satisfies", "satisfy", "求解", "满足"),
    Cue.CLAIM: ("thus", "hence", "so", "therefore", "we have", "we get", "we obtain", "which gives", "gives",
                "it follows", "yields", "since", "because", "show that", "prove that", "i.e.", "that is",
                "namely", "equivalently", "因此", "所以", "即", "故"),
    Cue.DEFINE: ("let", "with", "define", "defined", "denote", "denotes"),
}

_CUE_RE = {cue: re.compile("|".join(
    (re.escape(w) if not w.isascii() else rf"(?<![\w.]){re.escape(w)}(?![\w])") for w in sorted(words, key=len,
                                                                                                 reverse=True)))
    for cue, words in CUES.items()}
_INLINE_MATH = re.compile(r"\$[^$]*\$|\\\(.*?\\\)")
_SENTENCE_END = re.compile(r"(?<!\b[ie]\.[ge])[.!?;](?=\s)|[。！？；]|\n\s*\n")
_JOINED = re.compile(r"^\s*,?\s*(?:and|or|as well as)\s*$")
#: how far before a span (characters of its sentence) a cue still speaks for it
_REACH = 120


def sentence_before(before: str) -> str:
    """The sentence a span sits in, up to the span, inline math replaced by ``$``."""
    text = _INLINE_MATH.sub(" $ ", before)
    cut = 0
    for m in _SENTENCE_END.finditer(text.rstrip()):
        cut = m.end()
    return text[cut:][-_REACH:].lower()


def nearest_cue(sentence: str) -> Cue | None:
    """The cue whose words end nearest to the span (the sentence's end). A cue followed by other
    math speaks for that math, not for this span, unless ``and``/``or`` joins the two
    (``for $i = j$, $x = y$``: the ``for`` is the condition's; ``such that $a$ and $b$``: both)."""
    best, at = None, -1
    for cue, rx in _CUE_RE.items():
        for m in rx.finditer(sentence):
            if m.end() > at or m.end() == at and cue is Cue.CLAIM:
                best, at = cue, m.end()
    tail = sentence[at:] if best else ""
    if "$" in tail and not _JOINED.match(tail[tail.rindex("$") + 1:]):
        return None
    return best


def has_cue(sentence: str, cue: Cue) -> bool:
    """Whether any word of ``cue`` is in the sentence (not only the nearest)."""
    return _CUE_RE[cue].search(sentence) is not None


#: cue words, the first that matches wins; DEFINE must end the prose (it governs the span next to it)
LEAD_INS: tuple[tuple[Cue, re.Pattern], ...] = (
    (Cue.DEFINE, re.compile(r"(?i)(?:\blet|\bdefine[sd]?(?:\s+as)?|\bdenote[sd]?(?:\s+by)?|\bwe\s+set"
                            r"|[记記设設令])\s*(?:us\s*)?(?:X\s*(?:,\s*)?(?:\band\s+)?)*$")),
    (Cue.EXAMPLE, re.compile(r"(?i)\b(?:for\s+(?:instance|example)|e\.\s?g\.?"
                             r"|(?:an?|another|simple|concrete|toy)\s+example|consider|suppose"
                             r"|if\s+we\s+(?:take|pick|choose|use)|another)\b|例如|比如|假设|考虑")),
)
_LEAD_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
_LEAD_MATH = re.compile(r"\$[^$]*\$")


_ITEM = re.compile(r"(?:^|\n)[ \t]*\d+\.\s[^\n]*$")  # in a numbered item (an exercise): a new example


def cue_of(before: str) -> Cue:
    """The cue of the sentence that leads into a span (its inline math blanked out); "let" also
    speaks for a list of spans after it ("Let $a = 1$, $b = 2$ and $c = 3$")."""
    if _ITEM.search(before):
        return Cue.EXAMPLE
    tail = _LEAD_MATH.sub(" X ", before)
    sentence = _LEAD_SENTENCE_END.split(tail.strip())[-1]
    for cue, pattern in LEAD_INS:
        if pattern.search(tail if cue is Cue.DEFINE else sentence):
            return cue
    return Cue.NONE


def opening(before: str) -> str:
    """The start of the sentence (or numbered item, over its continuation lines) a span is in:
    spans of one example share it."""
    paragraph = _PARAGRAPH.split(before)[-1]
    items = list(_ITEM_START.finditer(paragraph))
    text = paragraph[items[-1].start():].split("\n", 1)[0] if items else \
        _LEAD_SENTENCE_END.split(_LEAD_MATH.sub(" X ", before).strip())[-1]
    return text.strip()[:60]


_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_ITEM_START = re.compile(r"(?m)^[ \t]*\d+\.\s")


def same_example(a: str, b: str | None) -> bool:
    """Whether two spans' openings are one sentence's (the later one reads on past the earlier)."""
    return b is not None and (a.startswith(b) or b.startswith(a))


_AFTER_END = re.compile(r"[.!?](?=\s|$)")


def prose_around(before: str, after: str, lines: int = 2) -> str:
    """The prose that speaks for a span: the last ``lines`` lines of the paragraph before it (its
    sentence's start, or the sentence before: "Let D be diagonal. Then") and the rest of its
    sentence after it."""
    head = _PARAGRAPH.split(before)[-1].split("\n")[-lines:]
    rest = _PARAGRAPH.split(after)[0]
    end = _AFTER_END.search(rest)
    return " ".join([*head, rest[:end.end()] if end else rest]).strip()

