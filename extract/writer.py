"""Writing trials as JSON Lines, one flushed line per trial, with span checks."""
from __future__ import annotations

from typing import IO

from .models import Trial


class SpanError(ValueError):
    pass


def check_spans(trial: Trial, fields: dict[str, str]) -> None:
    """Raise unless every criterion and fact span reads back its text from its field."""
    for c in trial.criteria:
        source = fields.get(c.field)
        if source is None or source[c.span[0]:c.span[1]] != c.text:
            raise SpanError(f"criterion {c.id}: span {list(c.span)} does not read back its text")
        for f in c.facts:
            if source[f.span[0]:f.span[1]] != f.text:
                raise SpanError(f"criterion {c.id}: {f.type} fact span {list(f.span)} does not read back its text")


class JsonlWriter:
    """Writes each trial as soon as it is ready, so an interrupted run keeps what it wrote."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.count = 0

    def write(self, trial: Trial) -> None:
        self.stream.write(trial.model_dump_json(by_alias=True))
        self.stream.write("\n")
        self.stream.flush()
        self.count += 1
