"""Is ``a = b``? One equation pair through the whole pipeline (for benchmarks and the API)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import HOLDS, Verdict
from ..options import CheckOptions
from .engine import check_text


@dataclass(frozen=True)
class PairVerdict:
    verdict: Verdict
    message: str

    @property
    def equal(self) -> bool | None:
        """True when the pair holds, False when refuted, None when there is no verdict."""
        if self.verdict in HOLDS:
            return True
        if self.verdict in (Verdict.REFUTED, Verdict.NEEDS_ASSUMPTION):
            return False
        return None


def equivalent(lhs: str, rhs: str, opts: CheckOptions | None = None) -> PairVerdict:
    """The verdict on ``lhs = rhs`` (raw LaTeX), checked exactly as an equation of a post."""
    opts = replace(opts or CheckOptions(jobs=1), definitions=False)
    result = check_text(f"$$\n{lhs} = {rhs}\n$$\n", opts)
    steps = [c for c in result.claims if c.role in ("step", "equation")]
    if not steps:
        block = result.blocks[0] if result.blocks else None
        reason = (block.first_error if block else None) or "no relation read"
        return PairVerdict(Verdict.UNPARSED, reason)
    c = steps[0]
    return PairVerdict(c.verdict, c.message)
