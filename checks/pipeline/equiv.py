"""Is ``a = b``? One equation pair through the whole pipeline (for benchmarks and the API)."""

from __future__ import annotations

from collections.abc import Sequence
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


def equivalent(lhs: str, rhs: str, opts: CheckOptions | None = None, assume: Sequence[str] = ()) -> PairVerdict:
    """The verdict on ``lhs = rhs`` (raw LaTeX), checked exactly as an equation of a post, under
    the assumptions ``assume`` (each as ``<!-- mathlint: assume … -->`` states it: ``\\sigma > 0``)."""
    opts = replace(opts or CheckOptions(jobs=1), definitions=False)
    stated = "".join(f"<!-- mathlint: assume {a} -->\n" for a in assume)
    result = check_text(f"{stated}\n$$\n{lhs} = {rhs}\n$$\n", opts)
    steps = [c for c in result.claims if c.role in ("step", "equation")]
    if not steps and result.claims:  # read as another role (``0 = x^2/10^{13}``: an equation to solve)
        c = result.claims[0]
        return PairVerdict(c.verdict, f"read as a {c.role}: {c.message}")
    if not steps:
        block = result.blocks[0] if result.blocks else None
        reason = (block.first_error if block else None) or "no relation read"
        return PairVerdict(Verdict.UNPARSED, reason)
    c = steps[0]
    return PairVerdict(c.verdict, c.message)


_GREEK = {"lam": "lambda"}  # a name spelled so in Python, not in LaTeX


def domain_assumptions(domain: dict[str, tuple[float, float]] | None) -> list[str]:
    """``{"sigma": (0.05, 3)}`` → ``["\\sigma > 0"]``, ``{"p": (0, 1)}`` → ``["0 < p < 1"]``: a pair's stated
    ranges as the assumptions :func:`equivalent` takes (a range not within (0, ∞) states nothing)."""
    out = []
    for name, (low, high) in (domain or {}).items():
        tex = _GREEK.get(name, name)
        tex = f"\\{tex}" if len(tex) > 1 else tex
        if low >= 0 and high <= 1:
            out.append(f"0 < {tex} < 1")
        elif low >= 0:
            out.append(f"{tex} > 0")
    return out
