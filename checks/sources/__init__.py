"""Sources: a user's files found and opened safely, and each input format's math spans, code
spans, headings and annotations behind one interface (``base.Source``, registry ``formats.INPUT_FORMATS``)."""
