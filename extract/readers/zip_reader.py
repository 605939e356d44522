"""ClinicalTrials.gov bulk-download zip: per-study JSON (or XML) members, one at a time."""
from __future__ import annotations

import zipfile
import zlib
from pathlib import PurePosixPath
from typing import Iterator

from ..record import ReadError
from . import ctgov_json, ctgov_xml
from .common import Item
from .detect import HEAD_BYTES, detect_format

_MEMBER_READERS = {"ctgov-json": ctgov_json.read, "ctgov-xml": ctgov_xml.read}


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return name.endswith("/") or any(p.startswith(".") or p == "__MACOSX" for p in parts)


def read(path: str) -> Iterator[Item]:
    """Records of every study member; a member is named ``archive.zip!member.json``."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        yield ReadError(path, f"not a readable zip archive: {e}")
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir() or _skipped(info.filename):
                continue
            member = f"{path}!{info.filename}"
            try:
                data = archive.read(info)  # one member in memory at a time
                kind = detect_format(member, data[:HEAD_BYTES])
            except ReadError as e:
                yield e
                continue
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as e:
                yield ReadError(member, f"cannot extract: {e}")
                continue
            reader = _MEMBER_READERS.get(kind)
            if reader is None:
                yield ReadError(member, f"not a study record (looks like {kind}); skipped")
                continue
            yield from reader(member, data, PurePosixPath(info.filename).stem)
