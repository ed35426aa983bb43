"""Symbolic proofs: the rational zero test, targeted rewrites, exact constants, proofs shared."""
