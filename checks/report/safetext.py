"""Text from a post made safe for the line-based and XML outputs.

A post, an annotation or a file name may hold a newline or a control character. In a
line-based output (text, the GitHub format, messages on standard error) a newline would
start a line of the post's choosing, and in a CI log a line that starts with ``::`` is a
workflow command (``::add-mask::``, ``::stop-commands::``). XML 1.0 cannot hold most C0
characters at all. These functions keep every character visible and nothing else.
"""

from __future__ import annotations

import re

# C0 and C1 controls (not tab and line feed), DEL, the Unicode line and paragraph separators and
# lone surrogates: what no output should carry as it is (the PDF report's texsafe drops them too)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NEWLINES = re.compile(r"[ \t]*[\r\n]+[ \t]*")  # linear: one pass, nothing nested
# what XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets)
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape(m: re.Match) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character, newlines included, as a ``\\xNN`` escape."""
    return CONTROL.sub(_escape, str(text).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))


def one_line(text: str) -> str:
    """``text`` on one line: line breaks (and the blanks around them) become one space (LaTeX
    reads them so), other control characters are escaped."""
    return CONTROL.sub(_escape, _NEWLINES.sub(" ", str(text)))


def path_text(path: str) -> str:
    """A file name as printed at the start of a line: visible, and never starting with ``:``."""
    shown = visible(path)
    return "./" + shown if shown.startswith(":") else shown


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold escaped."""
    return _NOT_XML.sub(_escape, str(text))
