"""Time windows of facts: "within 4 months prior to inclusion", "at least 28 days prior"."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .data_files import load_json
from .numerals import NUM, parse_number

_UNITS = {"a": r"years?|yrs?", "mo": r"months?|mos?", "wk": r"weeks?|wks?", "d": r"days?",
          "h": r"hours?|hrs?|h(?![a-z])", "min": r"minutes?|mins?"}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, str, Optional[str]]]:
    unit = "(?P<unit>" + "|".join(f"(?:{v})" for v in _UNITS.values()) + r")(?![A-Za-z])"
    out = []
    for p in load_json("windows.json")["patterns"]:
        # "in the last 1-24 months": a range's upper end bounds the window
        rx = p["regex"].replace("{N}", rf"(?:{NUM}\s*(?:-|–|to)\s*)?(?P<n>{NUM})").replace("{U}", unit)
        out.append((re.compile(rx, re.I), p["relation"], p["comparator"]))
    return out


def _ucum(word: str) -> str:
    return next(k for k, v in _UNITS.items() if re.fullmatch(v, word, re.I))


def find_window(text: str, start: int, end: int) -> Optional[tuple[dict, int, int]]:
    """The first time window in ``text[start:end]``: (window, its start, its end)."""
    best = None
    for rx, relation, comparator in _patterns():
        m = rx.search(text, start, end)
        if m and (best is None or m.start() < best[1]):
            value = parse_number(m.group("n"))
            if value is None:
                continue
            window = {"comparator": comparator, "value": value, "unit": _ucum(m.group("unit")), "relation": relation}
            best = (window, m.start(), m.end())
    return best
