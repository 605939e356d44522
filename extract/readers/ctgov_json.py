"""ClinicalTrials.gov API v2 JSON: one study, a page ``{"studies": [...]}``, an array of
studies, or JSON Lines (one study per line)."""
from __future__ import annotations

import json
from pathlib import PurePath
from typing import Iterator

from ..record import Record, ReadError
from .common import Item, name_unidentified, put, require_eligibility, set_registry, where_record

FORMAT = "ctgov-json"


def read(path: str, data: bytes | None = None, stem: str | None = None) -> Iterator[Item]:
    """Records of a JSON file (or of ``data`` read from it, e.g. a zip member)."""
    stem = stem or PurePath(path).stem
    if data is None:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            yield ReadError(path, f"cannot read: {e.strerror}")
            return
    yield from name_unidentified(_items(path, data), stem)


def _items(path: str, data: bytes) -> Iterator[tuple[int, Item]]:
    if not data.strip():
        yield 0, ReadError(path, "empty file")
        return
    try:
        doc = json.loads(data)  # bytes: json picks UTF-8/16/32 and skips a BOM itself
    except UnicodeDecodeError as e:
        yield 0, ReadError(path, f"not valid UTF-8 (byte offset {e.start})")
        return
    except json.JSONDecodeError as e:
        if _looks_like_lines(data, e):
            yield from _lines(path, data)
        else:
            yield 0, ReadError(path, f"invalid JSON: {e.msg}: line {e.lineno}, column {e.colno}")
        return
    if isinstance(doc, dict) and "studies" in doc and "protocolSection" not in doc:
        studies = doc["studies"]
        if not isinstance(studies, list):
            yield 0, ReadError(path, '"studies" is not a list')
            return
    else:
        studies = doc if isinstance(doc, list) else [doc]
    for n, study in enumerate(studies, 1):
        yield n, study_record(study, path, lambda nct, n=n: where_record(path, n, nct))


def _looks_like_lines(data: bytes, err: json.JSONDecodeError) -> bool:
    """JSON Lines: the first value parsed with more after it, or every line opens an object."""
    if err.msg == "Extra data":
        return True
    lines = [l for l in data.splitlines() if l.strip()]
    return len(lines) > 1 and all(l.lstrip().startswith(b"{") for l in lines)


def _lines(path: str, data: bytes) -> Iterator[tuple[int, Item]]:
    for n, line in enumerate(data.split(b"\n"), 1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        try:
            study = json.loads(line)
        except UnicodeDecodeError as e:
            yield n, ReadError(where, f"not valid UTF-8 (byte offset {e.start} in the line)")
        except json.JSONDecodeError as e:
            yield n, ReadError(where, f"invalid JSON: {e.msg}: column {e.colno}")
        else:
            yield n, study_record(study, path, lambda nct, where=where: where + (f" ({nct})" if nct else ""))


def _module(section: dict, name: str) -> dict:
    value = section.get(name)
    return value if isinstance(value, dict) else {}


def study_record(study: object, path: str, where) -> Item:
    """A Record from one API v2 study object; ``where(nct_id)`` names it in a ReadError."""
    section = study.get("protocolSection") if isinstance(study, dict) else None
    if not isinstance(section, dict):
        return ReadError(where(None), "not a ClinicalTrials.gov study (no protocolSection object)")
    nct = _module(section, "identificationModule").get("nctId")
    rec = Record(trial_id=nct.strip() if isinstance(nct, str) else "", format=FORMAT, path=path)
    elig = _module(section, "eligibilityModule")
    desc = _module(section, "descriptionModule")
    put(rec, "eligibility", elig.get("eligibilityCriteria"))
    put(rec, "brief_summary", desc.get("briefSummary"))
    put(rec, "detailed_description", desc.get("detailedDescription"))
    arms = _module(section, "armsInterventionsModule").get("armGroups")
    for i, arm in enumerate(arms if isinstance(arms, list) else []):
        if isinstance(arm, dict):
            put(rec, f"arm_group:{i}", arm.get("description"))
    require_eligibility(rec)
    set_registry(rec, elig.get("minimumAge"), elig.get("maximumAge"), elig.get("sex"),
                 elig.get("healthyVolunteers"))
    return rec
