"""Readers: trial records from files in any supported format, as ``Record``s.

``read_path`` never raises for a bad file or record: it yields a ``ReadError`` for it and goes
on with the next one.
"""
from __future__ import annotations

import os
from itertools import chain
from typing import Iterable, Iterator

from ..record import Record, ReadError
from . import aact, csv_reader, ctgov_json, ctgov_xml, text_page, zip_reader
from .detect import HEAD_BYTES, detect_format

FORMATS = ("auto", "ctgov-json", "ctgov-xml", "aact", "csv", "text")
_READERS = {"ctgov-json": ctgov_json.read, "ctgov-xml": ctgov_xml.read, "aact": aact.read,
            "csv": csv_reader.read, "text": text_page.read, "zip": zip_reader.read}

_NOT_RECORDS = (".ann",)  # BRAT standoff: annotations of a text, not a trial record

__all__ = ["FORMATS", "Record", "ReadError", "detect_format", "read_file", "read_path", "read_paths"]


def read_path(path: str | os.PathLike, fmt: str = "auto") -> Iterator[Record | ReadError]:
    """Records of a file, or of every regular file under a directory (sorted, hidden skipped).

    A folder holding ``eligibilities.txt`` is one AACT source; its other ``.txt`` files are
    its side tables, not text pages. BRAT ``.ann`` files (annotations of the ``.txt`` beside
    them) are not records and are skipped in a folder. ``fmt`` forces a format instead of
    detecting it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = os.fspath(path)
    if os.path.isdir(path):
        return _read_dir(path, fmt)
    return read_file(path, fmt)


def read_paths(paths: Iterable[str | os.PathLike], fmt: str = "auto") -> Iterator[Record | ReadError]:
    """``read_path`` over several paths, in the order given."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return chain.from_iterable(read_path(p, fmt) for p in paths)


def read_file(path: str, fmt: str = "auto") -> Iterator[Record | ReadError]:
    """Records of one file; its format detected from content unless ``fmt`` forces one."""
    try:
        if not os.path.isfile(path):
            what = "not a regular file" if os.path.exists(path) else "no such file or directory"
            yield ReadError(path, what)
            return
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
        kind = detect_format(path, head)
        if fmt != "auto" and kind != "zip":  # a zip stays a container whatever is forced
            kind = fmt
        yield from _READERS[kind](path)
    except ReadError as e:
        yield e
    except OSError as e:
        yield ReadError(path, f"cannot read: {e.strerror or e}")
    except Exception as e:  # a reader bug must not stop a batch; name it and go on
        yield ReadError(path, f"reader failed: {type(e).__name__}: {' '.join(str(e).split())}")


def _read_dir(root: str, fmt: str) -> Iterator[Record | ReadError]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as e:
        yield ReadError(root, f"cannot list: {e.strerror}")
        return
    entries = [e for e in entries if not e.name.startswith(".")]
    is_aact = fmt in ("auto", "aact") and any(e.name == aact.ELIGIBILITIES and e.is_file() for e in entries)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _read_dir(os.path.join(root, entry.name), fmt)
        elif not entry.is_file() or entry.name.endswith(_NOT_RECORDS):
            continue
        elif entry.name == aact.ELIGIBILITIES and is_aact:
            yield from read_file(os.path.join(root, entry.name), "aact")
        elif is_aact and entry.name.lower().endswith(".txt"):
            continue  # an AACT side table, read with eligibilities.txt
        else:
            yield from read_file(os.path.join(root, entry.name), fmt)
