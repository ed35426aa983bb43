"""What a check may do and spend: the options every stage reads (a record, no behaviour)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

GiB = 1 << 30
#: address space a check worker may add to what it inherits (normal posts stay under 100 MiB)
DEFAULT_MEMORY_LIMIT = 2 * GiB
DEFAULT_FILE_BUDGET = 600.0  # seconds per file, reading included: a post cannot hold a CI job for ever


@dataclass
class CheckOptions:
    seed: int = 0
    timeout: float = 20.0  # seconds per claim
    points: int = 48
    suggest: bool = False  # search a smallest fix for each refuted claim (the CLI turns it on)
    prove: bool = True  # attempt symbolic proofs (off: numeric evidence only, faster)
    only_lines: frozenset | None = None  # check only the claims on these lines (mutation testing)
    jobs: int = max(1, min(2, os.cpu_count() or 1))  # claims checked at once, each in its own process
    cache: Any = None  # a mathlint.cache.store.Cache: parses, verdicts and fixes already computed
    definitions: bool = True  # read a first ``name = expression`` as a definition
    file_budget: float | None = DEFAULT_FILE_BUDGET  # seconds for the whole file, reading included (None: none)
    deadline: float | None = None  # time.monotonic() at which the file's budget ends (set by check_text)
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT  # bytes of address space per check worker (None: no cap)
    inline_suppressions: bool = True  # honour <!-- mathlint: ignore --> (CI may turn them off)

    def fingerprint(self) -> tuple:
        """What of the options changes a result (not how many jobs, not the cache)."""
        return (self.seed, self.timeout, self.points, self.prove)
