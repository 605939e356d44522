"""Age limits: "Age ≥18 years", "aged 18-75", "18 years or older", "under 18", "Adults (18+)".

A threshold counts as an age when an ``AGE`` mention ("age", "aged", "years old", "of age",
"older") stands right before or after it and its unit, if any, is a time unit.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..thresholds import find_thresholds
from ..units import convert
from .base import Draft, criteria, numeric_fields, polarity

_TIME_UNITS = {"a", "mo", "wk", "d", None}
_NEAR = 30  # characters between an age word and its threshold
_NO_NUMBER = re.compile(r"\d")
_ADULT = re.compile(r"\b(?:adults?|adult patients)\b", re.I)


@Language.factory("elig_age")
def make_age(nlp: Language, name: str):
    return AgeFacts()


class AgeFacts:
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        for item, ents in criteria(doc):
            anchors = [e for e in ents if e.label_ == "AGE"]
            if not anchors:
                continue
            taken = {(f.start, f.end) for f in item.facts}
            for t in find_thresholds(text, item.start, item.end):
                if t.unit not in _TIME_UNITS or t.relative_to or (t.start, t.end) in taken:
                    continue
                if not any(_near(text, a, t) for a in anchors):
                    continue
                if t.unit is None and t.comparator is None:
                    continue
                unit = t.unit or "a"
                normalized = None
                if unit != "a":
                    normalized = {"value": convert(t.value, unit, "a"), "value_high": convert(t.value_high, unit, "a"), "unit": "a"}
                t.unit = unit
                item.facts.append(Draft("age", t.start, t.end, numeric_fields(t, polarity(item), normalized)))
        return doc


def _near(text: str, anchor, t) -> bool:
    """Is the age word next to the threshold, with no other number between them?"""
    if anchor.end_char <= t.start:
        gap = text[anchor.end_char:t.start]
    elif anchor.start_char >= t.end:
        gap = text[t.end:anchor.start_char]
    else:
        return True
    return len(gap) <= _NEAR and not _NO_NUMBER.search(gap) and ";" not in gap
