"""AACT pipe-delimited flat files: ``eligibilities.txt`` joined with ``brief_summaries.txt``,
``detailed_descriptions.txt`` and ``design_groups.txt`` from the same folder.

AACT's exporter (ctti-clinicaltrials/aact, ``Util::TableExporter``) writes them with PostgreSQL
``COPY ... WITH DELIMITER '|' CSV HEADER`` and then, row by row, deletes every ``""`` (so quotes
inside values are gone) and turns each newline inside a value into ``~`` (a newline followed by
a blank or another newline becomes a single ``~``). Values holding ``|`` stay quoted.
Files written by plain ``COPY ... CSV`` keep real newlines and doubled quotes instead; both
forms, and unquoted files, are read (see ``delimited``).
"""
from __future__ import annotations

import os
import re
from array import array
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Iterator

from ..record import Record, ReadError
from .common import Item, name_unidentified, put, require_eligibility, set_registry, utf8_warning
from .delimited import Row, iter_rows

FORMAT = "aact"
ELIGIBILITIES = "eligibilities.txt"
# side table -> contract field; design_groups rows become arm_group:<i> in file order.
_SIDE = {"brief_summaries.txt": "brief_summary", "detailed_descriptions.txt": "detailed_description",
         "design_groups.txt": "arm_group"}
_BOOL = {"t": "true", "f": "false"}  # PostgreSQL booleans as COPY writes them
_NCT = re.compile(r"NCT(\d{8})")


class _Newlines:
    """Undo AACT's ``~`` for newline, once a file shows it uses that form.

    A value holding a real newline means the file keeps newlines (``~`` is then literal, from
    there on); a first ``~`` seen before any newline means ``~`` stands for newline. The
    replacement keeps lengths, so the text stays one character per source character.
    """

    def __init__(self):
        self.tilde: bool | None = None

    def __call__(self, value: str) -> str:
        if "\n" in value:
            self.tilde = False
        elif self.tilde is None and "~" in value:
            self.tilde = True
        return value.replace("~", "\n") if self.tilde else value


def _header(row: Row | None) -> list[str] | None:
    return None if row is None or row.fields is None else [c.strip().lower() for c in row.fields]


class _OffsetIndex:
    """nct_id -> byte offsets of its rows, in file order.

    A full AACT dump has some 500,000 trials per table, so NCT ids are kept as numbers in two
    sorted int arrays (16 bytes a row) rather than as a dict of strings and lists.
    """

    def __init__(self):
        self.keys, self.offsets = array("q"), array("q")
        self.other: dict[str, list[int]] = {}  # ids not of the NCT######## form

    def add(self, nct_id: str, offset: int) -> None:
        m = _NCT.fullmatch(nct_id)
        if m:
            self.keys.append(int(m.group(1)))
            self.offsets.append(offset)
        else:
            self.other.setdefault(nct_id, []).append(offset)

    def freeze(self) -> None:
        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)  # stable: file order kept
        self.keys = array("q", (self.keys[i] for i in order))
        self.offsets = array("q", (self.offsets[i] for i in order))

    def get(self, nct_id: str) -> list[int]:
        m = _NCT.fullmatch(nct_id)
        if not m:
            return self.other.get(nct_id, [])
        key = int(m.group(1))
        lo, hi = bisect_left(self.keys, key), bisect_right(self.keys, key)
        return list(self.offsets[lo:hi])


class _SideTable:
    """One side table, indexed by nct_id when first opened; only byte offsets stay in memory."""

    def __init__(self, path: Path, display: str):
        self.path, self.display = path, display
        self.fh = None
        self.desc_col: int | None = None
        self.index = _OffsetIndex()
        self.newlines = _Newlines()

    def open(self) -> list[ReadError]:
        """Build the index; the problems found on the way, as ReadErrors."""
        self.fh = open(self.path, "rb")
        rows = iter_rows(self.fh, "|")
        cols = _header(next(rows, None))
        if not cols or "nct_id" not in cols or "description" not in cols:
            return [ReadError(self.display, "no nct_id and description columns; not joined")]
        self.ncols, nct_col = len(cols), cols.index("nct_id")
        problems = []
        for row in rows:
            if row.fields is None:
                problems.append(ReadError(f"{self.display} line {row.line}", row.problem or "unreadable row"))
            else:
                self.index.add(row.fields[nct_col].strip(), row.offset)
        self.index.freeze()
        self.desc_col = cols.index("description")
        return problems

    def descriptions(self, nct_id: str) -> Iterator[tuple[str, Row]]:
        if self.desc_col is None:
            return
        for offset in self.index.get(nct_id):
            row = next(iter_rows(self.fh, "|", self.ncols, start=offset), None)
            if row is not None and row.fields is not None:
                yield self.newlines(row.fields[self.desc_col]), row

    def close(self):
        if self.fh:
            self.fh.close()


def read(path: str) -> Iterator[Item]:
    """Records of an AACT eligibilities table (``path`` is the file or its folder)."""
    elig = os.path.join(path, ELIGIBILITIES) if os.path.isdir(path) else path
    folder = Path(elig).parent
    sides = {name: _SideTable(folder / name, os.path.join(os.path.dirname(elig), name))
             for name in _SIDE if (folder / name).is_file()}
    try:
        with open(elig, "rb") as fh:
            yield from name_unidentified(_items(elig, fh, sides), Path(elig).stem)
    except OSError as e:
        yield ReadError(elig, f"cannot read: {e.strerror}")
    finally:
        for side in sides.values():
            side.close()


def _items(path: str, fh, sides: dict[str, _SideTable]) -> Iterator[tuple[int, Item]]:
    rows = iter_rows(fh, "|")
    first = next(rows, None)
    cols = _header(first)
    if not cols:
        yield 0, ReadError(path, "empty file" if first is None else "unreadable header row")
        return
    if "criteria" not in cols:
        yield 0, ReadError(path, "not an AACT eligibilities table (no criteria column)")
        return
    for side in sides.values():
        for problem in side.open():
            yield 0, problem
    criteria = _Newlines()
    n = 0
    for row in rows:
        n += 1
        if row.fields is None:
            yield n, ReadError(f"{path} line {row.line}", row.problem or "unreadable row")
            continue
        yield n, _record(path, dict(zip(cols, row.fields)), row, criteria, sides)


def _record(path: str, values: dict[str, str], row: Row, criteria: _Newlines,
            sides: dict[str, _SideTable]) -> Record:
    rec = Record(trial_id=values.get("nct_id", "").strip(), format=FORMAT, path=path)
    put(rec, "eligibility", criteria(values["criteria"]))
    if row.bad_utf8 is not None:
        rec.error("eligibility", utf8_warning(row.bad_utf8))
    for name, side in sides.items():
        field = _SIDE[name]
        for i, (text, side_row) in enumerate(side.descriptions(rec.trial_id)):
            name_i = f"arm_group:{i}" if field == "arm_group" else field
            put(rec, name_i, text)
            if side_row.bad_utf8 is not None:
                rec.error(name_i, f"{utf8_warning(side_row.bad_utf8)} ({side.display})")
    require_eligibility(rec)
    hv = values.get("healthy_volunteers")
    set_registry(rec, values.get("minimum_age"), values.get("maximum_age"), values.get("gender"),
                 _BOOL.get(hv.strip().lower(), hv) if hv else None)
    return rec
