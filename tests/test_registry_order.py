"""The constructs run in one order whichever module a process imports first: the order decides
how a text reads, so it must not depend on the entry point (CLI, tests, docgen)."""

from __future__ import annotations

import subprocess
import sys

import pytest

ORDER = "from mathlint.latex.constructs import CONSTRUCTS; print([c.name for c in CONSTRUCTS])"


@pytest.mark.parametrize("first", ["mathlint.check.reading", "mathlint.latex.superscripts", "mathlint.app.cli"])
def test_constructs_run_in_one_order_whatever_is_imported_first(first):
    def order(module: str) -> str:
        code = f"import {module}; import mathlint.latex.parse; {ORDER}"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert order(first) == order("mathlint.latex.parse")
