"""Sources: a user's files opened safely, and the math spans, code spans and annotations of each format."""
