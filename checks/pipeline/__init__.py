"""The pipeline: the one place that sees every stage, from a text to its result."""
