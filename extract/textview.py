"""A cleaned reading of field text that maps back to exact source offsets.

Registry text escapes markdown (``\\<``, ``\\>``, ``\\*``); the NLP reads the escaped
characters while every span written out stays an offset into the source field text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from array import array
from bisect import bisect_left

# Backslash escapes of markdown punctuation, as ClinicalTrials.gov writes them.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~=^])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")


@dataclass(frozen=True)
class TextView:
    """``clean`` text plus, for each of its characters, where it starts and ends in the source."""

    source: str
    clean: str
    starts: array  # starts[i]: source offset of clean[i]; starts[len] == len(source)
    ends: array    # ends[i]: source offset just after clean[i]

    def to_clean(self, start: int, end: int) -> tuple[int, int]:
        """Clean ``[start, end)`` of the source range ``[start, end)`` (the clean characters it holds)."""
        a = bisect_left(self.starts, start, 0, len(self.clean))
        b = bisect_left(self.starts, end, 0, len(self.clean))
        return a, max(a, b)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source ``[start, end)`` of the clean range ``[start, end)``."""
        if end <= start:
            pos = self.starts[start]
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def make_view(source: str) -> TextView:
    """Unescape markdown and blank control characters (same length), remembering offsets."""
    if "\\" not in source and not _CONTROL.search(source):
        n = len(source)
        return TextView(source, source, array("l", range(n + 1)), array("l", range(1, n + 1)))
    parts: list[str] = []
    starts = array("l")
    ends = array("l")
    pos = 0
    for m in _ESCAPE.finditer(source):
        chunk = source[pos:m.start()]
        parts.append(chunk)
        starts.extend(range(pos, m.start()))
        ends.extend(range(pos + 1, m.start() + 1))
        parts.append(m.group(1))
        starts.append(m.start())
        ends.append(m.end())
        pos = m.end()
    parts.append(source[pos:])
    starts.extend(range(pos, len(source)))
    ends.extend(range(pos + 1, len(source) + 1))
    starts.append(len(source))
    clean = _CONTROL.sub(" ", "".join(parts))
    return TextView(source, clean, starts, ends)
