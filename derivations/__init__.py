"""Encoded derivations of specific posts, one module per post.

Each module exposes ``DERIVATION`` (a :class:`mathlint.derivations.framework.Derivation`).
:data:`REGISTRY` maps their names to them.
"""

from __future__ import annotations

from . import softmax
from .framework import Derivation

REGISTRY: dict[str, Derivation] = {softmax.DERIVATION.name: softmax.DERIVATION}
