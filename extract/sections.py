"""Inclusion/exclusion sections of eligibility text, found by medspaCy's Sectionizer.

The header rules live in ``data/eligibility_sections.json``; this module turns them into
medspaCy ``SectionRule`` regexes and reads the Sectionizer's result back as character ranges.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from medspacy.common.util import prune_overlapping_matches
from medspacy.section_detection import SectionRule, Sectionizer
from medspacy.section_detection.section import Section
from spacy.language import Language
from spacy.tokens import Doc

from .data_files import load_json
from .facts.base import Batched

SECTIONIZER = "elig_sections"
# A header starts a line, perhaps indented. The match takes the run of blank space before it from
# its first newline: a regex tried only at newlines is many times faster than one tried at every
# word, and that newline starts a whitespace token, so the match lines up with tokens (a match
# that does not makes medspaCy scan the doc token by token).
LINE_START = r"(?:\A|\n\s*)"


def section_rules() -> list[SectionRule]:
    """One regex rule per category: the Sectionizer rebuilds the doc text for every rule."""
    spec = load_json("eligibility_sections.json")
    qual = "|".join(spec["qualifiers"])
    known_lead = rf"(?:[#*_]+[ \t]*)?(?:(?:{qual})[ \t]+){{0,3}}"
    variants: dict[str, list[str]] = {}
    any_lead = r"(?:[#*_]+[ \t]*)?(?:[\w()/\-.]+[ \t]+){0,3}"
    for h in spec["headers"]:
        words = h["words"]
        lead = any_lead if h.get("any_qualifier") else known_lead
        whole_line = lead + rf"(?:{words})(?:[ \t]+[A-Za-z(][\w/()\-]*){{0,4}}[ \t]*\*?:?[ \t]*[*_]*[ \t]*$"
        prefix = lead + rf"(?:{words})[ \t]*(?:includes?|are|is)?[ \t]*\*?:"
        variants.setdefault(h["category"], []).extend([whole_line, prefix])
    for h in spec["line_headers"]:
        variants.setdefault(h["category"], []).insert(0, rf"{h['pattern']}[ \t]*$")
    # the line start once, before the alternatives: each is then tried only after a newline
    return [SectionRule(literal=category, category=category,
                        pattern="(?m)" + LINE_START + "(?:" + "|".join(f"(?:{v})" for v in alts) + ")")
            for category, alts in variants.items()]


@lru_cache(maxsize=1)
def _header_regexes() -> list[re.Pattern]:
    return [re.compile(r.pattern, re.I) for r in section_rules() if r.category in ("inclusion", "exclusion")]


def has_header(text: str) -> int | None:
    """Offset of the first inclusion/exclusion header in ``text``, or None."""
    found = [m.start() for rx in _header_regexes() for m in [rx.search(text)] if m]
    return min(found) if found else None


class _TextCached:
    """A doc whose text is read once: medspaCy's regex matcher asks for ``doc.text_with_ws``
    once per section category, and spaCy rebuilds that string from the tokens on every access."""

    def __init__(self, doc: Doc):
        self._doc = doc
        self.text = self.text_with_ws = doc._.text

    def __getattr__(self, name):
        return getattr(self._doc, name)

    def __getitem__(self, key):
        return self._doc[key]

    def __len__(self):
        return len(self._doc)

    def __iter__(self):
        return iter(self._doc)


class DocSectionizer(Batched, Sectionizer):
    """medspaCy's Sectionizer, setting ``doc._.sections`` only.

    The parent also writes the section onto every token, which nothing here reads and which
    cost more than the rest of the sectioning; rules, matching and overlap pruning stay medspaCy's.
    """

    def __call__(self, doc: Doc) -> Doc:
        if doc.user_data.get("elig_zone") == "description":
            doc._.sections = []  # description text has no inclusion/exclusion headers to find
            return doc
        matcher = self._Sectionizer__matcher
        # every rule is a regex (section_rules), so only medspaCy's regex matcher has work to do
        matches = matcher._MedspacyMatcher__regex_matcher(_TextCached(doc))
        if matcher._prune:
            matches = prune_overlapping_matches(matches)
        matches = sorted(matches, key=lambda m: (m[1], m[2]))
        sections = []
        if not matches or matches[0][1] != 0:
            sections.append(Section(None, 0, 0, 0, matches[0][1] if matches else len(doc)))
        for i, (match_id, start, end) in enumerate(matches):
            rule = self._Sectionizer__matcher.rule_map[self.nlp.vocab.strings[match_id]]
            body_end = matches[i + 1][1] if i + 1 < len(matches) else len(doc)
            sections.append(Section(rule.category, start, end, end, body_end, None, rule))
        doc._.sections = sections
        return doc


@Language.factory("elig_sectionizer")
def make_doc_sectionizer(nlp: Language, name: str):
    return DocSectionizer(nlp, name=name, rules=None, span_attrs=None)


def add_sectionizer(nlp) -> None:
    nlp.add_pipe("elig_sectionizer", name=SECTIONIZER).add(section_rules())


@dataclass(frozen=True)
class SectionRange:
    """A section of a doc in character offsets: its header (may be empty) and its body."""

    category: str | None  # inclusion, exclusion, eligibility, or None before any header
    header_start: int
    body_start: int
    end: int


def section_ranges(doc: Doc) -> list[SectionRange]:
    size = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    out = []
    for sec in doc._.sections:
        t0, t1 = sec.title_start, sec.title_end
        b1 = sec.body_end
        header_start = doc[t0].idx if t0 < len(doc) else len(doc.text)
        body_start = doc[t1 - 1].idx + len(doc[t1 - 1].text) if t1 > t0 else header_start
        end = doc[b1 - 1].idx + len(doc[b1 - 1].text) if b1 > 0 else 0
        out.append(SectionRange(sec.category, header_start, body_start, max(end, body_start)))
    if out:
        # the Sectionizer's last body stops at the last token: keep trailing text in it
        last = out[-1]
        out[-1] = SectionRange(last.category, last.header_start, last.body_start, size)
    return out
