"""Outputs: text, JSON, SARIF, JUnit, GitHub annotations (``formats.FORMATS``, the ``--format``
registry of ``check``), the parse listing and the PDF report."""
