"""Fact extractors, one module per fact type; each registers a spaCy component."""
