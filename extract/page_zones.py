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
from spacy.tokens import Doc

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


class _LineTokenizer:
    """Whitespace tokens: page headings are whole lines, so finer tokens buy nothing."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = [], []
        for m in _TOKEN.finditer(text):
            tok = m.group()
            if tok == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
            else:
                words.append(tok)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


_TOKEN = re.compile(r"\S+|\s+")


@lru_cache(maxsize=1)
def _page_nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = _LineTokenizer(nlp.vocab)
    nlp.add_pipe("elig_sectionizer").add(_rules())
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


@lru_cache(maxsize=1)
def _page_heading() -> re.Pattern:
    """Any heading that only a page has: text with none of them is bare criteria text."""
    rules = [r for r in _rules() if r.category != "eligibility"]
    return re.compile("(?m)" + "|".join(f"(?:{r.pattern.removeprefix('(?m)')})" for r in rules), re.I)


def find_zones(text: str) -> list[Zone]:
    """Eligibility and description zones of a page; headers of eligibility zones are kept
    inside the zone so that the inclusion/exclusion headers reach the eligibility pipeline."""
    zones: list[Zone] = []
    # bare criteria text has no page heading: skip the page pass
    sections = section_ranges(_page_nlp()(text)) if _page_heading().search(text) else []
    for sec in sections:
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
