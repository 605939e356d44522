"""Loading the data files (lexicons, patterns, section rules) shipped beside the code."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_json(name: str):
    return json.loads(read_text(name))


@lru_cache(maxsize=None)
def load_lines(name: str) -> frozenset[str]:
    """Non-empty, non-comment lines of a text data file."""
    text = read_text(name)
    return frozenset(l.strip() for l in text.splitlines() if l.strip() and not l.startswith("#"))


def read_text(name: str) -> str:
    """A data file's text."""
    return resources.files("extract.data").joinpath(name).read_text("utf-8")
