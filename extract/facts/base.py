"""What every fact extractor shares: the fact draft, criterion context and eligible intervals."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..thresholds import Threshold, find_thresholds


class Batched:
    """``pipe`` for a component: each batch goes through this component before the next one does,
    so its patterns and lexicons stay in the CPU caches (a doc at a time through every component
    ran about 40% slower)."""

    def pipe(self, docs, batch_size: int = 128):
        for batch in minibatch(docs, batch_size):
            for doc in batch:
                self(doc)
            yield from batch


@dataclass
class Draft:
    """A fact found in a criterion, in clean-text offsets; the pipeline maps it to the source."""

    type: str
    start: int
    end: int
    fields: dict = field(default_factory=dict)
    role: str = ""  # not written out: "reference" for a disease named as what a therapy treats


def criteria(doc: Doc) -> Iterator[tuple[object, list[Span]]]:
    """Each criterion item of the doc with the mention entities inside it. Computed once per doc,
    as every fact component asks and ``doc.ents`` builds new spans each time; the fact components
    come after the last one that sets ``doc.ents`` (abbreviations) and only read them."""
    items = doc._.criteria or []
    key = (id(items), len(items))
    cached = doc.user_data.get("elig_item_ents")
    if cached is None or cached[0] != key:
        cached = (key, list(_item_ents(doc, items)))
        doc.user_data["elig_item_ents"] = cached
    return iter(cached[1])


def _item_ents(doc: Doc, items) -> Iterator[tuple[object, list[Span]]]:
    ents = list(doc.ents)
    k = 0
    for item in items:
        while k < len(ents) and ents[k].start_char < item.start:
            k += 1
        inside, j = [], k
        while j < len(ents) and ents[j].end_char <= item.end:
            if ents[j].start_char >= item.start:
                inside.append(ents[j])
            j += 1
        yield item, inside


def item_thresholds(doc: Doc, item) -> list[Threshold]:
    """The thresholds of a whole criterion, parsed once for all fact components. They are shared:
    a component that changes one works on ``dataclasses.replace(t)``."""
    cache = doc.user_data.setdefault("elig_thresholds", {})
    key = (item.start, item.end)
    if key not in cache:
        cache[key] = find_thresholds(doc._.text, item.start, item.end)
    return cache[key]


def within(found: list[Threshold], start: int, end: int) -> list[Threshold]:
    return [t for t in found if start <= t.start and t.end <= end]


def merge_restatements(text: str, mentions: list, label: str) -> list:
    """"absolute neutrophil count (ANC)", "external beam radiation therapy (EBRT)": a mention and its
    restatement in brackets (same id) become one mention, from the long form to the bracket."""
    out = []
    for m in mentions:
        if out and out[-1].ent_id_ == m.ent_id_ and text[out[-1].end_char:m.start_char].strip() in ("(", "[", "", "/"):
            prev = out.pop()
            end = m.end + 1 if m.end < len(m.doc) and m.doc[m.end].text in (")", "]") else m.end
            merged = m.doc[prev.start:end]
            merged.label_, merged.id_ = label, prev.ent_id_
            out.append(merged)
        else:
            out.append(m)
    return out


def polarity(item) -> str:
    return "exclude" if item.section == "exclusion" else "include"


def _interval(low=None, low_inclusive=False, high=None, high_inclusive=False) -> dict:
    return {"low": low, "low_inclusive": low_inclusive, "high": high, "high_inclusive": high_inclusive}


def eligible(comparator: Optional[str], value, value_high=None, polarity: str = "include",
             low_inclusive: bool = True, high_inclusive: bool = True) -> list[dict]:
    """Intervals a participant must fall in: the stated range, or its complement for an exclusion."""
    if comparator is None or value is None:
        return []
    if comparator == "between" and value_high is None:
        comparator = "="
    stated = {
        ">=": [_interval(value, True)], ">": [_interval(value, False)],
        "<=": [_interval(high=value, high_inclusive=True)], "<": [_interval(high=value, high_inclusive=False)],
        "=": [_interval(value, True, value, True)],
        "between": [_interval(value, low_inclusive, value_high, high_inclusive)],
    }[comparator]
    if polarity == "include":
        return stated
    return {
        ">=": [_interval(high=value, high_inclusive=False)], ">": [_interval(high=value, high_inclusive=True)],
        "<=": [_interval(value, False)], "<": [_interval(value, True)],
        "=": [_interval(high=value, high_inclusive=False), _interval(value, False)],
        "between": [_interval(high=value, high_inclusive=not low_inclusive),
                    _interval(value_high, not high_inclusive)],
    }[comparator]


def allowed(intervals: list[dict], scores: range) -> list[int]:
    """The integer scores that fall in any of the intervals."""
    def inside(x, iv):
        lo, hi = iv["low"], iv["high"]
        if lo is not None and (x < lo or (x == lo and not iv["low_inclusive"])):
            return False
        if hi is not None and (x > hi or (x == hi and not iv["high_inclusive"])):
            return False
        return True
    return [s for s in scores if any(inside(s, iv) for iv in intervals)]


def numeric_fields(t: Threshold, polarity_: str, normalized: Optional[dict] = None,
                   condition: Optional[str] = None) -> dict:
    """The contract's numeric keys from a threshold; ``eligible`` in the normalized unit when there is one."""
    if normalized:
        lo, hi = normalized.get("value"), normalized.get("value_high")
    else:
        lo, hi = t.value, t.value_high
    return {
        "comparator": t.comparator, "value": t.value, "value_high": t.value_high, "unit": t.unit,
        "relative_to": t.relative_to, "normalized": normalized,
        "eligible": eligible(t.comparator, lo, hi, polarity_, t.low_inclusive, t.high_inclusive),
        "condition": condition,
    }
