"""What of a post may reach the report's LaTeX: an allow-list of math, and escaped text.

A post is written by a stranger, and TeX is a programming language that can read and
write files, run programs and put active content into a PDF. So the post's LaTeX is
never trusted: an equation is typeset as math only when every control sequence and
environment in it is on the allow-lists below (commands that draw math and nothing
else), its braces balance and it holds none of TeX's escape mechanisms (``^^``, ``#``,
``%``, control characters). Anything else is shown verbatim. Plain text (messages,
headings, the file name) goes through :func:`tex_escape`, which leaves no character
TeX would interpret. The check is one left-to-right pass over the equation: linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .safetext import CONTROL

MAX_MATH = 4000  # characters of one equation typeset as math
MAX_TEXT = 2000  # characters of one plain-text field (a message, a heading)
MAX_VERBATIM = 4000  # characters of one equation shown verbatim
VERBATIM_WIDTH = 110  # a verbatim line is wrapped here (it would overflow the page anyway)

# Registries: name -> the control sequences in it (without the backslash).
MATH_COMMANDS: dict[str, str] = {
    "greek": "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
             "xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta "
             "Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega",
    "big operators": "sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes lim limsup "
                     "liminf sup inf max min det Pr",
    "functions": "log ln exp lg sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth "
                 "dim ker deg gcd arg hom",
    "fractions and roots": "frac dfrac tfrac cfrac binom dbinom tbinom sqrt",
    "delimiters": "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr "
                  "langle rangle lfloor rfloor lceil rceil lvert rvert lVert rVert vert Vert "
                  "lbrace rbrace backslash",
    "binary operators": "cdot times div pm mp ast star circ bullet oplus ominus otimes odot cup cap "
                        "setminus wedge vee land lor lnot neg amalg dagger",
    "relations": "le leq ge geq leqslant geqslant neq ne approx equiv sim simeq cong propto doteq "
                 "coloneqq triangleq in notin ni subset subseteq supset supseteq mid nmid parallel "
                 "perp ll gg prec succ preceq succeq models vdash",
    "arrows": "to gets leftarrow rightarrow Leftarrow Rightarrow leftrightarrow Leftrightarrow "
              "longrightarrow longleftarrow Longrightarrow Longleftarrow longleftrightarrow "
              "Longleftrightarrow iff implies impliedby mapsto longmapsto uparrow downarrow "
              "Uparrow Downarrow hookrightarrow rightharpoonup",
    "symbols": "partial nabla infty forall exists nexists emptyset varnothing top bot ell hbar Re Im "
               "aleph prime angle triangle square ldots cdots vdots ddots dots dotsc dotsb dotsm "
               "therefore because intercal imath jmath surd",
    "fonts": "mathbf mathrm mathit mathsf mathtt mathcal mathbb mathfrak boldsymbol bm operatorname "
             "displaystyle textstyle scriptstyle scriptscriptstyle",
    "accents": "hat widehat tilde widetilde bar overline underline vec dot ddot acute grave breve check "
               "overrightarrow overleftarrow overbrace underbrace stackrel overset underset",
    "spacing": "quad qquad hspace hfill enspace thinspace medspace thickspace negthinspace",
    "layout": "begin end nonumber notag tag color textcolor phantom hphantom vphantom limits nolimits "
              "substack not",
    "text": "text textrm textbf textit textsf texttt textup textnormal mbox",
}
# Inside \text{…}: text only.
TEXT_COMMANDS: dict[str, str] = {
    "text": "text textrm textbf textit textsf texttt textup textnormal mbox emph",
    "spacing": "quad qquad hspace enspace thinspace",
    "symbols": "ldots dots textbackslash textasciitilde textasciicircum",
}
# These switch to text mode for their braced argument.
TEXT_ARGUMENT = frozenset(TEXT_COMMANDS["text"].split())
# Control symbols: a backslash and one non-letter.
SYMBOLS = frozenset(", ; : ! \\ { } | % & $ # _ >".split() + [" ", "\n", "\t"])
TEXT_SYMBOLS = frozenset(", ; : ! { } % & $ # _ - /".split() + [" ", "\n", "\t"])
# Environments allowed inside an equation, and those only allowed around all of it.
ENVIRONMENTS = frozenset("aligned alignedat gathered split cases dcases matrix pmatrix bmatrix Bmatrix vmatrix "
                         "Vmatrix smallmatrix array subarray".split())
DISPLAY_ENVIRONMENTS = frozenset("align align* gather gather* equation equation* multline multline* "
                                 "alignat alignat* flalign flalign*".split())
ARRAY_SPEC = re.compile(r"[lcr| ]{1,40}")
ENV_NAME = re.compile(r"\s*\{([A-Za-z]{1,20}\*?)\}")
COUNT_ARG = re.compile(r"\s*\{\d{1,2}\}")  # alignedat{2}
_WORD = re.compile(r"[A-Za-z]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _names(registry: dict[str, str]) -> frozenset[str]:
    return frozenset(name for group in registry.values() for name in group.split())


MATH_NAMES = _names(MATH_COMMANDS)
TEXT_NAMES = _names(TEXT_COMMANDS)


class Mode(Enum):
    MATH = "math"
    TEXT = "text"


@dataclass
class Verdict:
    """Whether an equation may be typeset as math, and if not, the first reason why."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


@dataclass
class _Scan:
    """The state of one pass: brace groups (with their mode) and open environments."""

    inline: bool = False
    groups: list[Mode] = field(default_factory=lambda: [Mode.MATH])
    envs: list[str] = field(default_factory=list)
    text_next: bool = False  # the last token was \text: a braced text argument must follow


_BARE_REFUSED = {"#": "a parameter character #", "$": "a math shift $", "%": "a comment character %"}


def clean(text: str) -> str:
    """``text`` without control characters (tab and newline kept; CR read as a newline),
    Unicode line separators or lone surrogates: TeX would ignore some of them (so
    ``\\end{Verb<NUL>atim}`` would end a verbatim block) and treat others as line ends."""
    return CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def check_math(latex: str, inline: bool = False) -> Verdict:
    """May ``latex`` be typeset as math? (Inline: also no line breaks, ``&`` or environments.)"""
    if len(latex) > MAX_MATH:
        return Verdict(False, f"longer than {MAX_MATH} characters")
    if CONTROL.search(latex):
        return Verdict(False, "a control character")
    if "^^" in latex:
        return Verdict(False, "TeX's ^^ character escape")
    if _BLANK_LINE.search(latex):
        return Verdict(False, "a blank line")
    scan = _Scan(inline)
    body = _display_body(latex)
    if inline and body is not None:
        return Verdict(False, "a display environment in inline math")
    i = 0
    src = latex if body is None else body
    while i < len(src):
        i, why = _step(scan, src, i)
        if why:
            return Verdict(False, why)
    if scan.text_next:
        return Verdict(False, "a text command without its argument")
    if len(scan.groups) != 1:
        return Verdict(False, "unbalanced braces")
    if scan.envs:
        return Verdict(False, f"\\begin{{{scan.envs[-1]}}} without its \\end")
    return Verdict(True)


def display_environment(latex: str) -> str | None:
    """The display environment (``align*``…) wrapping all of ``latex``, if any: such an equation
    is typeset as it is rather than inside ``gather*``."""
    m = re.match(r"\s*\\begin\{([A-Za-z]+\*?)\}", latex)
    if m and m.group(1) in DISPLAY_ENVIRONMENTS and latex.rstrip().endswith(f"\\end{{{m.group(1)}}}"):
        return m.group(1)
    return None


def _display_body(latex: str) -> str | None:
    env = display_environment(latex)
    if env is None:
        return None
    head = re.match(r"\s*\\begin\{[A-Za-z]+\*?\}", latex)
    body = latex[head.end():len(latex.rstrip()) - len(f"\\end{{{env}}}")]
    if env.startswith("alignat"):
        m = COUNT_ARG.match(body)
        body = body[m.end():] if m else "\\end"  # an alignat without its count: refused below
    return body


def _step(scan: _Scan, src: str, i: int) -> tuple[int, str]:
    """Read the token at ``src[i]``; the index after it, and why it is refused ("" if it is not)."""
    ch = src[i]
    mode = scan.groups[-1]
    if scan.text_next and not ch.isspace() and ch != "{":
        return i, "a text command without a braced argument"
    if ch == "\\":
        return _control_sequence(scan, src, i)
    if ch in _BARE_REFUSED:
        return i, _BARE_REFUSED[ch]
    if ch == "{":
        scan.groups.append(Mode.TEXT if scan.text_next else mode)
        scan.text_next = False
    elif ch == "}":
        if len(scan.groups) == 1:
            return i, "unbalanced braces"
        scan.groups.pop()
    elif mode is Mode.TEXT and ch in "^_&":
        return i, f"{ch} in text"
    elif ch == "&" and scan.inline:
        return i, "an alignment & in inline math"
    return i + 1, ""


def _control_sequence(scan: _Scan, src: str, i: int) -> tuple[int, str]:
    mode = scan.groups[-1]
    if i + 1 >= len(src):
        return i, "a lone backslash at the end"
    word = _WORD.match(src, i + 1)
    if word is None:  # a control symbol
        sym = src[i + 1]
        allowed = TEXT_SYMBOLS if mode is Mode.TEXT else SYMBOLS
        if sym not in allowed:
            return i, f"the control symbol \\{sym}"
        if sym == "\\" and scan.inline:
            return i, "a line break in inline math"
        return i + 2, ""
    name, end = word.group(0), word.end()
    if end < len(src) and not src[end].isascii():  # XeTeX may read it as part of the name
        return i, f"\\{name} directly followed by {src[end]!r}"
    if name not in (TEXT_NAMES if mode is Mode.TEXT else MATH_NAMES):
        return i, f"\\{name} is not on the allow-list"
    if name in ("begin", "end"):
        return _environment(scan, src, end, name)
    scan.text_next = name in TEXT_ARGUMENT
    return end, ""


def _environment(scan: _Scan, src: str, i: int, which: str) -> tuple[int, str]:
    m = ENV_NAME.match(src, i)
    if m is None or m.group(1) not in ENVIRONMENTS:
        return i, f"\\{which} of an environment not on the allow-list"
    if scan.inline:
        return i, "an environment in inline math"
    env, end = m.group(1), m.end()
    if which == "end":
        if not scan.envs or scan.envs[-1] != env:
            return i, f"\\end{{{env}}} without its \\begin"
        scan.envs.pop()
        return end, ""
    scan.envs.append(env)
    if env in ("array", "subarray"):
        spec = re.match(r"\s*\{([^{}]*)\}", src[end:end + 60])
        if spec is None or not ARRAY_SPEC.fullmatch(spec.group(1)):
            return i, "an array column spec other than l, c, r and |"
        end += spec.end()
    elif env == "alignedat":
        count = COUNT_ARG.match(src, end)
        if count is None:
            return i, "alignedat without its column count"
        end = count.end()
    return end, ""


_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
            "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "[": "{[}", "]": "{]}", "\n": " ", "\t": " "}


def _escape_chars(s: str) -> str:
    return "".join(_SPECIAL.get(ch, ch) for ch in s)


def tex_escape(text: str, limit: int = MAX_TEXT) -> str:
    """Plain text for LaTeX, on one line; `code` spans become \\texttt. Every character TeX
    would act on is escaped (``[``/``]`` too: after ``\\\\`` a bracket starts an argument),
    control characters are dropped and the text is cut at ``limit`` characters."""
    text = clean(text)
    if len(text) > limit:
        text = text[:limit] + " …"
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unclosed ` is an ordinary character
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return "".join(_escape_chars(p) if k % 2 == 0 else r"\texttt{" + _escape_chars(p) + "}"
                   for k, p in enumerate(parts))


def verbatim_text(src: str) -> str:
    """``src`` made safe inside a fancyvrb ``Verbatim`` block: no control character, no line
    that would end the block (fancyvrb ends it at any line holding ``\\end{Verbatim}``), cut
    at :data:`MAX_VERBATIM` characters and wrapped at :data:`VERBATIM_WIDTH`."""
    src = clean(src).strip()
    if len(src) > MAX_VERBATIM:
        src = src[:MAX_VERBATIM] + f" … ({len(src) - MAX_VERBATIM} more characters)"
    lines = []
    for line in src.split("\n"):
        lines.extend(line[k:k + VERBATIM_WIDTH] for k in range(0, max(len(line), 1), VERBATIM_WIDTH))
    return "\n".join(lines).replace("\\end{Verbatim}", "\\end {Verbatim}")
