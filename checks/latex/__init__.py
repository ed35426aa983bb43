"""Reading LaTeX: scan, normalize, split into statements, read each side into SymPy."""
