from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "softmax.md"
SHARED_POST = ROOT.parent / "shared" / "posts" / "softmax-post.md"


def _posts():
    yield pytest.param(EXAMPLE, id="example")
    yield pytest.param(
        SHARED_POST, id="shared-post",
        marks=pytest.mark.skipif(not SHARED_POST.exists(),
                                 reason="../shared/posts/softmax-post.md is not beside this checkout"),
    )


@pytest.fixture(params=list(_posts()))
def softmax_post(request) -> Path:
    """The softmax post: the bundled example, and the real post when ../shared is present."""
    return request.param


#: figures tests want shown at the end of the run (pytest hides a passing test's output)
FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("mathlint figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


# The suite checks what mathlint computes, not what an earlier run cached: the cache is off
# unless a test names a --cache-dir.
os.environ["MATHLINT_NO_CACHE"] = "1"
# and a test that turns it on by default writes to a folder of its own, never the user's cache
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME = tempfile.mkdtemp(prefix="mathlint-test-cache-")
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)


# Hypothesis profiles (tests/test_fuzz.py, tests/test_soundness.py). "default" keeps the suite
# fast; HYPOTHESIS_PROFILE=fuzz is the long campaign (2,000 examples for each cheap fuzz test,
# 100 for the checker tests: over 10,000 in all). Failing examples are kept under
# .pytest_cache (ignored by git) so a failure replays first on the next run.
from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

_HYPOTHESIS_DB = DirectoryBasedExampleDatabase(str(ROOT / ".pytest_cache" / "hypothesis"))
_HYPOTHESIS_COMMON = {"deadline": None, "database": _HYPOTHESIS_DB,
                      "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.function_scoped_fixture]}
settings.register_profile("default", max_examples=25, **_HYPOTHESIS_COMMON)
settings.register_profile("fuzz", max_examples=2000, **_HYPOTHESIS_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
