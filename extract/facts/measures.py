"""Other numeric facts anchored by a mention: life expectancy, BMI, LVEF, QTc, Ki-67, NYHA class.

Life expectancy is normalized to months; NYHA classes may be roman ("class III-IV").
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..context import is_current
from ..thresholds import Threshold
from ..units import convert
from .anchored import thresholds_after
from .base import Batched, Draft, criteria, item_thresholds, numeric_fields, polarity

# label -> (fact type, canonical unit or None, units accepted (None: any))
MEASURES = {
    "LIFE_EXPECTANCY": ("life_expectancy", "mo", {"a", "mo", "wk", "d"}),
    "BMI": ("bmi", "kg/m2", {"kg/m2", None}),
    "LVEF": ("lvef", "%", {"%", None}),
    "QTC": ("qtc", "ms", {"ms", "s", None}),
    "KI67": ("ki67", "%", {"%", None}),
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NYHA = re.compile(
    r"\s*(?:\(nyha\)\s*)?(?:functional\s+)?(?:class(?:es|ification)?\s*)?(?:of\s+)?"
    r"(?P<pre>≥|>=|>|≤|<=|<|greater than|more than|at least|higher than|or higher)?\s*(?:class\s*)?"
    r"(?P<a>iv|i{1,3}|[1-4])\b(?:\s*(?:-|–|to|or|and|/|,)\s*(?:class\s*)?(?P<b>iv|i{1,3}|[1-4])\b)?"
    r"(?P<post>\s*(?:or|and)\s+(?:higher|greater|above|more|worse))?", re.I)
_CMP = {"≥": ">=", ">=": ">=", ">": ">", "≤": "<=", "<=": "<=", "<": "<", "greater than": ">",
        "more than": ">", "at least": ">=", "higher than": ">"}


@Language.factory("elig_measures")
def make_measures(nlp: Language, name: str):
    return MeasureFacts()


class MeasureFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        for item, ents in criteria(doc):
            pol = polarity(item)
            for k, ent in enumerate(ents):
                stop = ents[k + 1].start_char if k + 1 < len(ents) else item.end
                if ent.label_ == "NYHA":
                    t = _nyha(text, ent.end_char, stop)
                    if t:
                        item.facts.append(Draft("nyha_class", ent.start_char, t.end, numeric_fields(t, pol)))
                    continue
                if ent.label_ not in MEASURES or not is_current(ent):
                    continue
                kind, canonical, units = MEASURES[ent.label_]
                for anchored in thresholds_after(text, ent.end_char, stop, candidates=item_thresholds(doc, item)):
                    t = anchored.threshold
                    if t.unit not in units or t.relative_to:
                        break
                    normalized = None
                    if canonical and t.unit and t.unit != canonical:
                        normalized = {"value": convert(t.value, t.unit, canonical),
                                      "value_high": convert(t.value_high, t.unit, canonical), "unit": canonical}
                        if normalized["value"] is None:
                            normalized = None
                    fields = numeric_fields(t, pol, normalized, anchored.condition)
                    item.facts.append(Draft(kind, ent.start_char, t.end, fields))
        return doc


def _nyha(text: str, start: int, stop: int) -> Threshold | None:
    m = _NYHA.match(text, start, stop)
    if not m:
        return None
    a = _class(m.group("a"))
    b = _class(m.group("b")) if m.group("b") else None
    if b is not None:
        return Threshold(m.start("a"), m.end("b"), "between", min(a, b), max(a, b))
    comparator = _CMP.get((m.group("pre") or "").lower()) or (">=" if m.group("post") else "=")
    end = m.end("post") if m.group("post") else m.end("a")
    return Threshold(m.start("pre") if m.group("pre") else m.start("a"), end, comparator, a)


def _class(s: str) -> int:
    return _ROMAN.get(s.lower()) or int(s)
