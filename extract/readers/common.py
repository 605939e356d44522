"""Helpers every reader shares: decoding, field filling, registry, ids for unnamed records."""
from __future__ import annotations

import codecs
from itertools import chain
from typing import Iterable, Iterator

from ..record import Record, ReadError
from ..registry import make_registry, parse_age, parse_bool, parse_sex

Item = Record | ReadError


def decode_text(data: bytes, where: str) -> tuple[str, str | None]:
    """Decoded text and, when the bytes were not UTF-8, the warning to attach to each record.

    A UTF-8 BOM is dropped before decoding, so offsets are into the text without it.
    """
    if not data:
        raise ReadError(where, "empty file")
    if b"\x00" in data:
        raise ReadError(where, "binary file (NUL bytes)")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        # cp1252 leaves five bytes undefined; "replace" keeps one character per byte.
        return data.decode("cp1252", "replace"), utf8_warning(e.start)


def utf8_warning(offset: int) -> str:
    return f"not valid UTF-8 (byte offset {offset}); read as cp1252"


def has_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def put(record: Record, field: str, value: object) -> None:
    """Store ``value`` as ``field`` when it is non-blank text; note non-text values as errors."""
    if value is None:
        return
    if not isinstance(value, str):
        record.error(field, f"expected text, found {type(value).__name__}")
    elif value.strip():
        record.fields[field] = value


def require_eligibility(record: Record) -> None:
    if "eligibility" not in record.fields:
        record.error("eligibility", "no eligibility criteria text")


_NOT_GIVEN = {"", "n/a", "na", "none"}


def set_registry(record: Record, minimum_age=None, maximum_age=None, sex=None,
                 healthy_volunteers=None) -> None:
    """``record.registry`` from raw registry strings; a value given but unreadable is an error."""
    record.registry = make_registry(minimum_age, maximum_age, sex, healthy_volunteers)
    checks = (("minimum age", minimum_age, parse_age), ("maximum age", maximum_age, parse_age),
              ("sex", sex, parse_sex), ("healthy volunteers", healthy_volunteers, parse_bool))
    for name, raw, parse in checks:
        if raw is not None and str(raw).strip().lower() not in _NOT_GIVEN and parse(raw) is None:
            record.error("registry", f"unreadable {name} {str(raw)[:60]!r}")


def name_unidentified(items: Iterable[tuple[int, Item]], stem: str) -> Iterator[Item]:
    """Give records without an id of their own (``trial_id == ""``) the file stem.

    ``items`` pairs each result with its position in the file; when the file holds several
    records, an unnamed one becomes ``stem#<position>``. Only two items are held back.
    """
    it = iter(items)
    head = [x for x in (next(it, None), next(it, None)) if x is not None]
    several = len(head) > 1
    for pos, item in chain(head, it):
        if isinstance(item, Record) and not item.trial_id:
            item.trial_id = f"{stem}#{pos}" if several else stem
        yield item


def where_record(path: str, n: int, trial_id: str | None = None) -> str:
    return f"{path} record {n}" + (f" ({trial_id})" if trial_id else "")
