"""Plain-text registry pages: the whole file is field ``text``; registry facts come from the
page's labelled (or bare) lines, matched by ``data/page_registry_patterns.json``."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePath
from typing import Iterator

from ..data_files import load_json
from ..models import Registry
from ..record import Record, ReadError
from ..registry import make_registry, parse_age, parse_bool, parse_sex
from .common import Item, decode_text

FORMAT = "text"
_PARSERS = {"minimum_age": parse_age, "maximum_age": parse_age, "sex": parse_sex,
            "healthy_volunteers": parse_bool}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, dict[str, re.Pattern], re.Pattern]:
    spec = load_json("page_registry_patterns.json")
    labelled = {
        field: re.compile(spec["labelled"].replace("{labels}", "|".join(map(re.escape, labels))))
        for field, labels in spec["labels"].items()
    }
    return re.compile(spec["trial_id"]), labelled, re.compile(spec["unlabelled"])


def page_trial_id(text: str) -> str | None:
    m = _patterns()[0].search(_unix(text))
    return m.group("value") if m else None


def page_registry(text: str) -> Registry | None:
    _, labelled, bare = _patterns()
    text = _unix(text)
    raw: dict[str, str] = {}
    for field, pattern in labelled.items():
        parse = _PARSERS[field]
        raw_value = next((m.group("value") for m in pattern.finditer(text)
                          if parse(m.group("value")) is not None), None)
        if raw_value is not None:
            raw[field] = raw_value
    m = bare.search(text)
    if m:
        for field, value in m.groupdict().items():
            if value is not None:
                raw.setdefault(field, value)
    return make_registry(**raw)


def _unix(text: str) -> str:
    # Only for matching: values are copied out, no offsets are kept.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(path: str, data: bytes | None = None) -> Iterator[Item]:
    """One Record for the page at ``path``."""
    try:
        if data is None:
            with open(path, "rb") as fh:
                data = fh.read()
        text, warning = decode_text(data, path)
    except OSError as e:
        yield ReadError(path, f"cannot read: {e.strerror}")
        return
    except ReadError as e:
        yield e
        return
    rec = Record(trial_id=page_trial_id(text) or PurePath(path).stem, format=FORMAT, path=path)
    if text.strip():
        rec.fields["text"] = text
    if warning:
        rec.error("text", warning)
    rec.registry = page_registry(text)
    yield rec
