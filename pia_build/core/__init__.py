"""Vocabulary shared by every stage: diagnostics and locations, printed labels, 和暦 dates, the project config."""
