"""Streaming rows of a delimited table (CSV, AACT pipe files), decoded line by line.

Quoted fields may span lines (csv module rules). A stray opening quote in a file written
without quoting would swallow the following rows into one field; such a row (wrong column
count, or a field holding a line that starts like a new record) is re-read line by line
without quoting, so one bad row costs one row, not the rest of the file.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator


@dataclass
class Row:
    line: int                     # first physical line of the row, 1-based
    offset: int                   # byte offset of that line
    fields: list[str] | None      # None when the row could not be read
    problem: str | None = None    # why fields is None
    bad_utf8: int | None = None   # byte offset of the first non-UTF-8 byte in the row


def _lines(fh: BinaryIO, start: int) -> Iterator[tuple[int, str, int | None]]:
    fh.seek(start)
    pos = start
    for raw in fh:
        try:
            text, bad = raw.decode("utf-8"), None
        except UnicodeDecodeError as e:
            text, bad = raw.decode("cp1252", "replace"), pos + e.start
        if pos == 0:
            text = text.removeprefix("\ufeff")
        yield pos, text, bad
        pos += len(raw)


def _first_bad(lines) -> int | None:
    return next((bad for _, _, bad in lines if bad is not None), None)


def iter_rows(fh: BinaryIO, delimiter: str, ncols: int | None = None,
              start: int = 0, line: int = 1) -> Iterator[Row]:
    """Rows from byte offset ``start`` (physical line number ``line``) on; blank rows skipped.

    The first row read fixes ``ncols`` when it is not given (a header row).
    """
    d = re.escape(delimiter)
    record_start = rf"(?:\d+{d})?NCT\d{{8}}{d}"
    swallowed = re.compile(r"\n" + record_start)
    starts_record = re.compile(record_start)
    buf: list[tuple[int, str, int | None]] = []

    def feed():
        for item in _lines(fh, start):
            buf.append(item)
            yield item[1]

    reader = csv.reader(feed(), delimiter=delimiter, quotechar='"', strict=False)
    lineno = line
    while True:
        try:
            fields, problem = next(reader), None
        except StopIteration:
            return
        except csv.Error as e:
            fields, problem = None, f"unreadable row: {e}"
        consumed = buf[:]
        buf.clear()
        if not consumed:
            return
        if fields is not None and not any(f.strip() for f in fields):
            pass
        elif fields is not None and ncols is None:
            ncols = len(fields)
            yield Row(lineno, consumed[0][0], fields, bad_utf8=_first_bad(consumed))
        elif fields is not None and len(fields) == ncols and not any(
                "\n" in f and swallowed.search(f) for f in fields):
            yield Row(lineno, consumed[0][0], fields, bad_utf8=_first_bad(consumed))
        else:
            yield from _unquoted(consumed, lineno, delimiter, ncols, starts_record, problem)
        lineno += len(consumed)


def _unquoted(lines, lineno, delimiter, ncols, starts_record, problem) -> Iterator[Row]:
    """Re-read ``lines`` without quoting: a line that starts like a record starts a row."""
    groups: list[list[int]] = []
    for i, (_, text, _) in enumerate(lines):
        if not groups or starts_record.match(text):
            groups.append([])
        groups[-1].append(i)
    for group in groups:
        part = [lines[i] for i in group]
        text = "".join(t for _, t, _ in part).rstrip("\r\n")
        if not text.strip():
            continue
        fields = text.split(delimiter)
        here = Row(lineno + group[0], part[0][0], None, bad_utf8=_first_bad(part))
        if len(fields) == ncols:
            here.fields = fields
        else:
            here.problem = problem or f"expected {ncols} columns, found {len(fields)}"
        yield here
