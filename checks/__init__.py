"""mathlint's verifier engine: extract → normalize → split → parse → check → report."""

__version__ = "0.1.0"
