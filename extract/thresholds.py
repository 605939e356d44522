"""Numeric thresholds as criteria write them: comparator, value or range, unit, ULN multiple.

``find_thresholds(text, start, end)`` returns every threshold in a stretch of clean text, each
with its character span. The grammar's vocabulary (comparator phrases, range separators,
units) lives in ``data/comparators.json`` and ``data/units.json``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .data_files import load_json
from .numerals import NUM, parse_number
from .units import convert


@dataclass
class Threshold:
    start: int
    end: int
    comparator: Optional[str]  # <, <=, >, >=, =, between; None for a bare value
    value: Optional[float]
    value_high: Optional[float] = None
    unit: Optional[str] = None  # UCUM
    unit_text: Optional[str] = None
    relative_to: Optional[str] = None  # ULN / LLN
    low_inclusive: bool = True  # for "between"
    high_inclusive: bool = True


def _phrases(items: list[str]) -> str:
    out = []
    for p in sorted(set(items), key=len, reverse=True):
        esc = re.escape(p).replace(r"\ ", r"\s+")
        out.append(rf"(?<![A-Za-z]){esc}(?![A-Za-z])" if p[0].isalpha() else esc)
    return "|".join(out)


@lru_cache(maxsize=1)
def _grammar():
    comps = load_json("comparators.json")
    units = load_json("units.json")
    pre_map = {p.lower(): c for c, ps in comps["prefix"].items() for p in ps}
    post_map = {p.lower(): c for c, ps in comps["postfix"].items() for p in ps}
    pre = _phrases(list(pre_map))
    post = _phrases(list(post_map))
    sep = _phrases(comps["range_separators"])
    unit_alts, unit_info = [], []
    for i, u in enumerate(units["units"]):
        body = u["pattern"] if not u.get("case") else f"(?-i:{u['pattern']})"
        unit_alts.append(f"(?P<u_{i}>{body})")
        unit_info.append(u)
    unit = "|".join(unit_alts)
    unit1 = unit.replace("(?P<u_", "(?P<a_")  # a unit after the first value of a range
    rel = "|".join(f"(?P<r_{k}>{v})" for k, v in units["relative"].items())
    rel0 = rel.replace("(?P<r_", "(?P<z_")
    pattern = rf"""
        (?:(?P<pre>{pre})\s*(?:(?:than|of|to)\s+)?)?
        (?:between\s+|from\s+)?
        (?P<v1>{NUM})
        (?:[\s-]*(?P<unit1>{unit1}))?
        (?:\s*(?P<sep>{sep})\s*(?:(?P<pre2>{pre})\s*)?(?P<v2>{NUM}))?
        (?:[\s-]*(?:{rel}|(?P<unit>{unit})))?
        (?:(?:[\s-]+(?:of\s+age|old|of\s+life|in\s+age))?\s*(?P<post>{post})(?!\s*(?:\d|than\b)))?
      | (?P<pre0>{pre})\s*(?:the\s+)?(?:{rel0})
    """
    # what may stand before a number, read backwards from it: "at least", "≥", "between", "less than"
    reversed_pre = "|".join(_phrases([p[::-1] for p in pre_map]).split("|"))
    backwards = re.compile(rf"\s*(?:(?:neewteb|morf)(?![A-Za-z])\s*)?(?:{reversed_pre}|(?:naht|fo|ot)(?![A-Za-z])\s*(?:{reversed_pre}))?", re.I)
    no_number = re.compile(rf"(?P<pre0>{pre})\s*(?:the\s+)?(?:{rel0})", re.I)
    return (re.compile(pattern, re.I | re.X), pre_map, post_map, unit_info, backwards,
            re.compile(NUM, re.I), no_number)


def prefix_comparators() -> dict[str, str]:
    """Comparator phrases written before a number, lower-cased, to their symbols."""
    return _grammar()[1]


def _unit_of(m: re.Match, prefix: str, info: list[dict]) -> tuple[Optional[str], Optional[str], bool]:
    if not m.group("unit" if prefix == "u" else "unit1"):
        return None, None, False
    for i, u in enumerate(info):
        text = m.group(f"{prefix}_{i}")
        if text:
            return u["ucum"], text, bool(u.get("per_count"))
    return None, None, False


def _relative(m: re.Match, prefix: str) -> Optional[str]:
    for k in ("ULN", "LLN"):
        if m.group(f"{prefix}_{k}"):
            return k
    return None


def _norm(s: Optional[str], table: dict[str, str]) -> Optional[str]:
    if not s:
        return None
    return table.get(re.sub(r"\s+", " ", s.lower()))


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t,":
        end -= 1
    return end


_LOOK_BACK = 60  # longest comparator phrase with "between"/"than" before a number


def _matches(text: str, start: int, end: int):
    """Grammar matches, tried only where a number starts (or a comparator before it does):
    a regex tried at every character would spend most of its time on plain words."""
    rx, _, _, _, backwards, num, no_number = _grammar()
    pos = start
    for n in num.finditer(text, start, end):
        p = n.start()
        if p < pos:
            continue
        behind = text[max(pos, p - _LOOK_BACK):p][::-1]
        b = backwards.match(behind)
        begin = p
        if b and behind[:b.end()].strip():
            begin = p - b.end()
            while begin < p and text[begin].isspace():
                begin += 1
        m = rx.match(text, begin, end) or rx.match(text, p, end)
        if m and m.end() > p:
            yield m
            pos = m.end()
    low = text[start:end].lower()
    if "uln" in low or "lln" in low or "limit" in low or "normal" in low:
        for m in no_number.finditer(text, start, end):  # "≤ ULN": a limit with no number
            yield m


def find_thresholds(text: str, start: int = 0, end: Optional[int] = None) -> list[Threshold]:
    """Every threshold in ``text[start:end]``, left to right."""
    _, pre_map, post_map, info, _, _, _ = _grammar()
    out = []
    for m in _matches(text, start, len(text) if end is None else end):
        if m.group("pre0"):
            out.append(Threshold(m.start(), m.end(), _norm(m.group("pre0"), pre_map), 1, relative_to=_relative(m, "z")))
            continue
        unit, unit_text, per_count = _unit_of(m, "u", info)
        unit1, unit1_text, per_count1 = _unit_of(m, "a", info)
        unit, unit_text = unit or unit1, unit_text or unit1_text
        per_count = per_count or per_count1
        v1 = parse_number(m.group("v1"), per_count)
        v2 = parse_number(m.group("v2"), per_count) if m.group("v2") else None
        pre = _norm(m.group("pre"), pre_map)
        post = _norm(m.group("post"), post_map)
        t = Threshold(m.start(), m.end(), pre or post, v1, unit=unit, unit_text=unit_text, relative_to=_relative(m, "r"))
        if t.comparator is None and t.relative_to and re.search(r"(?:higher|greater|more|above)\s+than", m.group(), re.I):
            t.comparator = ">"  # "twice higher than normal"
        if v2 is not None:
            pre2 = _norm(m.group("pre2"), pre_map)
            if pre2:
                # "≥ 18 and ≤ 80 years": two limits as written, each its own threshold
                second = m.start("pre2")
                t.end = _strip_end(text, m.start(), m.start("sep"))
                t.unit, t.unit_text = (unit1, unit1_text) if unit1 else (unit, unit_text)
                out.append(t)
                out.append(Threshold(second, m.end(), pre2, v2, unit=unit, unit_text=unit_text,
                                     relative_to=_relative(m, "r")))
                continue
            if unit1 and unit and unit1 != unit:  # "6 months to 17 years": both ends in the last unit
                v1 = convert(v1, unit1, unit) if convert(v1, unit1, unit) is not None else v1
            t.comparator, t.value, t.value_high = "between", min(v1, v2), max(v1, v2)
        if t.value is None:
            continue
        out.append(t)
    out.sort(key=lambda t: t.start)
    return out
