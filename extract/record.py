"""What a reader hands to the pipeline: one trial's raw fields, before any NLP."""
from __future__ import annotations

from dataclasses import dataclass, field

from .models import ErrorItem, Registry


@dataclass
class Record:
    """One trial as read from its source.

    ``fields`` maps a contract field name (``eligibility``, ``brief_summary``,
    ``detailed_description``, ``arm_group:<i>``, or ``text``) to its text exactly as the
    source gives it after JSON/XML decoding; every span the pipeline writes is an offset
    into one of these strings.
    """

    trial_id: str
    format: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)
    registry: Registry | None = None
    errors: list[ErrorItem] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        self.errors.append(ErrorItem(field=field_name, message=message))


class ReadError(Exception):
    """A source (file, or one record in it) that cannot be read at all.

    ``where`` names the file and, when known, the record (``file.jsonl line 7``).
    """

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
