"""Findings that are not a claim's verdict: notation, unstated assumptions, symbols used once."""
