"""Zones of a plain-text registry page: where its eligibility and description text lie.

A page saved from a registry website is one field (`text`); its headings ("Brief Summary",
"Eligibility Criteria", "Minimum Eligible Age", ...) are found by medspaCy's Sectionizer with
the rules in ``data/page_sections.json``. Subtitle boilerplate under a heading is skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from medspacy.section_detection import SectionRule

from .data_files import load_json, load_lines
from .sections import has_header, section_ranges

ZONES = ("eligibility", "brief_summary", "detailed_description", "arm_groups")


@dataclass(frozen=True)
class Zone:
    kind: str
    start: int
    end: int


def _rules() -> list[SectionRule]:
    spec = load_json("page_sections.json")
    rules = []
    for group in spec["headings"]:
        # one alternation a zone: the Sectionizer runs each regex over the whole page
        titles = "|".join(group["titles"])
        pattern = rf"(?m)(?<![^\n])(?:{titles})[ \t]*$"
        rules.append(SectionRule(literal=group["zone"], category=group["zone"], pattern=pattern))
    rules.append(SectionRule(literal="registry lines", category="other",
                             pattern=rf"(?m)(?<![^\n]){spec['registry_lines']}$"))
    return rules


@lru_cache(maxsize=1)
def _page_nlp():
    nlp = spacy.blank("en")
    sectionizer = nlp.add_pipe("medspacy_sectionizer", config={"rules": None, "span_attrs": None})
    sectionizer.add(_rules())
    return nlp


def _skip_boilerplate(text: str, start: int, end: int) -> int:
    """Move ``start`` past blank lines and registry subtitle lines."""
    boilerplate = load_lines("page_boilerplate.txt")
    pos = start
    for m in re.finditer(r"[^\n]*(?:\n|$)", text[start:end]):
        line = m.group().strip()
        if line and line not in boilerplate:
            break
        pos = start + m.end()
        if not m.group():
            break
    return min(pos, end)


def find_zones(text: str) -> list[Zone]:
    """Eligibility and description zones of a page; headers of eligibility zones are kept
    inside the zone so that the inclusion/exclusion headers reach the eligibility pipeline."""
    doc = _page_nlp()(text)
    zones: list[Zone] = []
    for sec in section_ranges(doc):
        kind = sec.category
        if kind not in ZONES:
            continue
        if kind == "eligibility":
            start = sec.header_start
            if zones and zones[-1].kind == "eligibility" and zones[-1].end == start:
                start = zones.pop().start  # "Eligibility Criteria" then "Inclusion Criteria"
        else:
            start = _skip_boilerplate(text, sec.body_start, sec.end)
        zones.append(Zone(kind, start, sec.end))
    zones = [z for z in zones if text[z.start:z.end].strip()]
    if not any(z.kind == "eligibility" for z in zones):
        # a page of bare criteria text (no page headings): from its first inclusion/exclusion header on
        first = has_header(text)
        if first is not None:
            zones.append(Zone("eligibility", first, len(text)))
    return zones
