"""Outputs: text, JSON, SARIF, JUnit, GitHub annotations, the parse listing and the PDF report."""
