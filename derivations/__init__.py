"""Encoded derivations of specific posts, one module per post.

Each module exposes ``DERIVATION`` (a :class:`checks.derivation.Derivation`).
:data:`REGISTRY` maps their names to them.
"""

from __future__ import annotations

from checks.derivation import Derivation

from . import softmax

REGISTRY: dict[str, Derivation] = {softmax.DERIVATION.name: softmax.DERIVATION}
