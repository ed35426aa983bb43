"""Checking: one relation, one claim in a budgeted worker, the code snippets of a text."""
