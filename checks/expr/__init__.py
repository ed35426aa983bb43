"""SymPy expressions: the objects mathlint adds to SymPy's, graph walks, printing."""
