"""CTCAE toxicity grades with their event and version: "Neuropathy >grade 1 (CTCAE, v 5.0)"."""

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_lines
from ..thresholds import Threshold
from .base import Batched, Draft, criteria, numeric_fields, polarity

_CMP = r"≥|>=|=>|>|≤|<=|=<|<|greater than|more than|at least|higher than|less than|above|below|of"
_GRADE = re.compile(
    rf"(?P<pre>{_CMP})?\s*(?:(?:nci[\s-]*)?ctcae\s*(?:v(?:ersion)?\.?\s*\d+(?:\.\d+)?\s*)?|nci\s+|toxicity\s+|\(ctcae\)\s*)?grades?\s*(?P<pre2>{_CMP})?\s*(?P<a>[0-5]|iv|v|i{{1,3}})\b"
    r"(?:\s*(?:-|–|to|or|and|/)\s*(?:grade\s*)?(?P<b>[0-5]|iv|v|i{1,3})\b)?"
    r"(?P<post>\s*(?:or|and)\s+(?:higher|greater|above|more|worse|over))?", re.I)
_VERSION = re.compile(r"\bv(?:ersion|\.)?\s*(\d+(?:\.\d+)?)", re.I)
_SYMBOL = {"≥": ">=", ">=": ">=", "=>": ">=", ">": ">", "≤": "<=", "<=": "<=", "=<": "<=", "<": "<",
           "greater than": ">", "more than": ">", "at least": ">=", "higher than": ">", "less than": "<",
           "above": ">", "below": "<"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_TUMOUR = re.compile(r"\b(?:tumou?r|histolog|who|enets|gleason|fuhrman|isup|nuclear|differentiat|g[1-4]\b|net\b|glioma|lymphoma)", re.I)


@lru_cache(maxsize=1)
def _events() -> re.Pattern:
    words = sorted(load_lines("ctcae_events.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:peripheral\s+|sensory\s+|motor\s+)?(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


@Language.factory("elig_ctcae")
def make_ctcae(nlp: Language, name: str):
    return CtcaeFacts()


class CtcaeFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        events = _events()
        for item, ents in criteria(doc):
            s = text[item.start:item.end]
            if "grade" not in s.lower():
                continue
            names_ctcae = any(e.label_ == "CTCAE" for e in ents)
            version = _VERSION.search(s) if names_ctcae else None
            for m in _GRADE.finditer(text, item.start, item.end):
                before = text[max(item.start, m.start() - 50):m.start()]
                after = text[m.end():min(item.end, m.end() + 50)]
                ev = list(events.finditer(before))
                event = ev[-1] if ev else events.match(after.lstrip())
                if event is None and not names_ctcae:
                    continue
                if event is None and _TUMOUR.search(before[-25:] + after[:15]):
                    continue
                t = _threshold(m)
                fields = numeric_fields(t, polarity(item))
                fields.update(event=event.group().lower() if event else None,
                              version=version.group(1) if version else None)
                start, end = m.start(), t.end
                if ev:
                    start = m.start() - (len(before) - ev[-1].start())
                elif event is not None:
                    end = m.end() + (len(after) - len(after.lstrip())) + event.end()
                while text[start].isspace():
                    start += 1
                item.facts.append(Draft("ctcae_grade", start, end, fields))
        return doc


def _threshold(m: re.Match) -> Threshold:
    def num(s):
        return _ROMAN.get(s.lower()) if s.lower() in _ROMAN else int(s)
    a = num(m.group("a"))
    end = m.end("post") if m.group("post") else (m.end("b") if m.group("b") else m.end("a"))
    if m.group("b"):
        b = num(m.group("b"))
        return Threshold(m.start(), end, "between", min(a, b), max(a, b))
    cmp_text = (m.group("pre2") or m.group("pre") or "").lower()
    comparator = _SYMBOL.get(cmp_text) or (">=" if m.group("post") else "=")
    return Threshold(m.start(), end, comparator, a)
