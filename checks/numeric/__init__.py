"""Numeric evidence: instances at concrete sizes, fast code, sampling in each symbol's domain."""
