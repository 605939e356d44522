"""Which reader a file needs, judged from its first bytes rather than its name."""
from __future__ import annotations

import codecs
import re

from ..record import ReadError

HEAD_BYTES = 64 * 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_JSON_START = re.compile(rb"\s*[{\[]")
_XML_STUDY = re.compile(rb"<clinical_study[\s>/]")


def _columns(line: str, sep: str) -> list[str]:
    return [c.strip().strip('"').lstrip("#").strip().lower() for c in line.split(sep)]


def detect_format(path: str, head: bytes) -> str:
    """One of ``zip``, ``ctgov-json``, ``ctgov-xml``, ``aact``, ``csv``, ``text``.

    Raises ReadError for an empty or binary (NUL-holding, non-zip) head.
    """
    if not head:
        raise ReadError(path, "empty file")
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if b"\x00" in head:
        raise ReadError(path, "binary file (NUL bytes)")
    body = head[len(codecs.BOM_UTF8):] if head.startswith(codecs.BOM_UTF8) else head
    if _JSON_START.match(body):
        return "ctgov-json"
    if body.lstrip().startswith(b"<") and _XML_STUDY.search(body):
        return "ctgov-xml"
    first = body.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    if "|" in first and "nct_id" in _columns(first, "|"):
        return "aact"
    if "," in first and any("nct_id" in c for c in _columns(first, ",")):
        return "csv"
    return "text"
