"""Age limits: "Age ≥18 years", "aged 18-75", "18 years or older", "under 18", "Adults (18+)",
"over the age of 18", "Minimum age: 18 years", "Men or women 18 years of age or older".

A threshold is an age when an ``AGE`` mention stands next to it, when only subject words
("Patients", "Male and female") precede it at the start of a criterion, or when it is chained
to an age limit ("age > 21 or less than 2"). Word lists: ``data/age_context.json``.
"""
import re
from dataclasses import replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_json
from ..numerals import NUM, parse_number
from ..thresholds import Threshold, prefix_comparators
from ..units import convert
from .base import Batched, Draft, criteria, item_thresholds, numeric_fields, polarity

_TIME_UNITS = {"a", "mo", "wk", "d", "h", None}
_UNIT_CUES = ("year", "yr", "y/o", "yo", "month", "mo", "week", "wk", "day", "hour", "hr", "age", "old")
_NEAR = 30  # characters between an age word and its threshold


@lru_cache(maxsize=1)
def _spec():
    spec = load_json("age_context.json")
    pre = prefix_comparators()
    alt = "|".join(sorted((re.escape(p).replace(r"\ ", r"\s+") for p in pre), key=len, reverse=True))
    the_age_of = re.compile(rf"(?P<cmp>{alt})\s+{spec['the_age_of']}(?P<n>{NUM})", re.I)
    return (frozenset(spec["subject_words"]), re.compile(spec["not_age_after"], re.I),
            re.compile(spec["chain"], re.I), spec["bounds"], the_age_of, pre, frozenset(spec["subject_nouns"]))


@Language.factory("elig_age")
def make_age(nlp: Language, name: str):
    return AgeFacts()


class AgeFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        subject_words, not_after, chain, bounds, the_age_of, pre, subject_nouns = _spec()
        for item, ents in criteria(doc):
            anchors = [e for e in ents if e.label_ == "AGE"]
            if not anchors:  # without an age word, an age needs a time unit or a comparator symbol
                piece = text[item.start:item.end]
                low = piece.lower()
                if not any(u in low for u in _UNIT_CUES) and not any(c in piece for c in "<>≤≥＜＞≦≧⩽⩾+"):
                    continue
            found = [replace(t) for t in item_thresholds(doc, item)]
            ages_of = the_age_of.finditer(text, item.start, item.end) if "age of" in text[item.start:item.end].lower() else ()
            for m in ages_of:  # "over the age of 18"
                found.append(Threshold(m.start(), m.end(), pre.get(re.sub(r"\s+", " ", m.group("cmp").lower())),
                                       parse_number(m.group("n"))))
            found.sort(key=lambda t: t.start)
            previous = None
            for t in found:
                if t.unit not in _TIME_UNITS or t.relative_to or t.value is None:
                    previous = None
                    continue
                anchor = next((a for a in anchors if _near(text, a, t)), None)
                is_age = anchor is not None
                if not is_age and previous is not None and chain.fullmatch(text[previous.end:t.start]):
                    is_age = True
                if not is_age and (t.unit == "a" or (t.unit is None and t.comparator and 0 < t.value <= 120)):
                    words = re.findall(r"[\w.:-]+", text[item.start:t.start].lower())
                    is_age = all(w in subject_words or re.fullmatch(r"[\d.]+|[a-z][.)]", w) for w in words) \
                        and (t.comparator is not None or t.unit == "a") and not not_after.match(text, t.end) \
                        and (t.unit == "a" or (bool(words) and words[-1] in subject_nouns))
                if not is_age or (t.unit is None and t.comparator is None and anchor is None):
                    previous = None
                    continue
                if t.comparator is None and anchor is not None:
                    t.comparator = bounds.get(anchor.text.lower().split()[0])
                    if t.comparator is None:
                        previous = None
                        continue
                unit = t.unit or "a"
                normalized = None
                if unit != "a":
                    normalized = {"value": convert(t.value, unit, "a"), "value_high": convert(t.value_high, unit, "a"), "unit": "a"}
                t.unit = unit
                item.facts.append(Draft("age", t.start, t.end, numeric_fields(t, polarity(item), normalized)))
                previous = t
        return doc


def _near(text: str, anchor, t) -> bool:
    """Is the age word next to the threshold, with no other number between them?"""
    if anchor.end_char <= t.start:
        gap = text[anchor.end_char:t.start]
    elif anchor.start_char >= t.end:
        gap = text[t.end:anchor.start_char]
    else:
        return True
    return len(gap) <= _NEAR and not re.search(r"\d", gap) and ";" not in gap
