"""Claims: what a text asserts (relations, definitions, restatements) and the assumptions in force."""
