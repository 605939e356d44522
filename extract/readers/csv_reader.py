"""CSV with an NCT id column and an eligibility-criteria column (e.g. Clinical Trial Parser's
``#nct_id,title,has_us_facility,conditions,eligibility_criteria``)."""
from __future__ import annotations

from pathlib import PurePath
from typing import Iterator

from ..record import Record, ReadError
from .common import Item, name_unidentified, put, require_eligibility, utf8_warning
from .delimited import iter_rows

FORMAT = "csv"
_ID_NAMES = {"nct id", "nctid", "nct number", "nct_number"}


def column_name(raw: str) -> str:
    return raw.strip().lstrip("#").strip().lower()


def find_columns(names: list[str]) -> tuple[int | None, int | None]:
    """Indexes of the NCT id column and the criteria column (None when absent)."""
    nct = next((i for i, n in enumerate(names) if "nct_id" in n or n in _ID_NAMES), None)
    crit = next((i for i, n in enumerate(names) if "criteria" in n), None)
    if crit is None:
        crit = next((i for i, n in enumerate(names) if "eligibility" in n), None)
    return nct, crit


def read(path: str) -> Iterator[Item]:
    """Records of the CSV file at ``path``, one per data row, streamed."""
    try:
        with open(path, "rb") as fh:
            yield from name_unidentified(_items(path, fh), PurePath(path).stem)
    except OSError as e:
        yield ReadError(path, f"cannot read: {e.strerror}")


def _items(path: str, fh) -> Iterator[tuple[int, Item]]:
    rows = iter_rows(fh, ",")
    header = next(rows, None)
    if header is None or header.fields is None:
        yield 0, ReadError(path, "empty file" if header is None else "unreadable header row")
        return
    names = [column_name(n) for n in header.fields]
    nct_col, crit_col = find_columns(names)
    if crit_col is None:
        yield 0, ReadError(path, "no eligibility criteria column (a column named *criteria* or *eligibility*)")
        return
    n = 0
    for row in rows:
        if row.fields is not None and [column_name(f) for f in row.fields] == names:
            continue  # the header again: files concatenated with their headers
        n += 1
        where = f"{path} line {row.line}"
        if row.fields is None:
            yield n, ReadError(where, row.problem or "unreadable row")
            continue
        nct = row.fields[nct_col].strip() if nct_col is not None else ""
        rec = Record(trial_id=nct, format=FORMAT, path=path)
        put(rec, "eligibility", row.fields[crit_col])
        require_eligibility(rec)
        if row.bad_utf8 is not None:
            rec.error("eligibility", utf8_warning(row.bad_utf8))
        yield n, rec
