"""Performance status: ECOG/WHO/Zubrod, Karnofsky and Lansky scores with their allowed values.

"ECOG 0-1", "ECOG PS ≤ 2", "ECOG performance status of 0, 1 or 2", an exclusion "ECOG 2 or
more"; "KPS of at least 70%". A bare "performance status" counts as ECOG only for scores of
0-5; no score is carried across scales.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..thresholds import Threshold
from .anchored import thresholds_after
from .base import Batched, Draft, allowed, criteria, eligible, item_thresholds, numeric_fields, polarity

SCALES = {"ECOG": ("ECOG", range(0, 6)), "KARNOFSKY": ("Karnofsky", range(0, 101, 10)),
          "LANSKY": ("Lansky", range(0, 101, 10)), "PERF": ("ECOG", range(0, 6))}
# "0, 1 or 2", "0,1,2", "0 or 1", "0/1": a list of allowed scores
_LIST = re.compile(r"(?:of\s+|score\s+|status\s+|:\s*|=\s*)*(?P<list>\d{1,3}(?:\s*(?:,|/|or|and|,\s*or)\s*\d{1,3})+)\b")
_GAP = 40


@Language.factory("elig_performance")
def make_performance(nlp: Language, name: str):
    return PerformanceFacts()


class PerformanceFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        for item, ents in criteria(doc):
            anchors = [e for e in ents if e.label_ in SCALES]
            pol = polarity(item)
            seen_end = -1
            for k, ent in enumerate(anchors):
                if ent.start_char < seen_end:
                    continue
                # "Eastern Cooperative Oncology Group (ECOG) performance status 0-1": one anchor run
                j = k
                while j + 1 < len(anchors) and anchors[j + 1].start_char - anchors[j].end_char <= 12:
                    j += 1
                scale_label = next((a.label_ for a in anchors[k:j + 1] if a.label_ != "PERF"), "PERF")
                scale, scores = SCALES[scale_label]
                start, anchor_end = ent.start_char, anchors[j].end_char
                stop = anchors[j + 1].start_char if j + 1 < len(anchors) else item.end
                t = _score_list(text, anchor_end, stop) or _first(text, anchor_end, stop, item_thresholds(doc, item))
                if t is None:
                    continue
                if scale_label == "PERF" and (t.value > 5 or (t.value_high or 0) > 5):
                    continue  # a bare "performance status ≥ 70" names no scale: no guessing
                fields = numeric_fields(t, pol)
                if t.comparator == "=" and getattr(t, "listed", None):
                    fields["eligible"] = [iv for v in t.listed for iv in eligible("=", v, None, "include")]
                    if pol == "exclude":
                        fields["eligible"] = [{"low": v, "low_inclusive": True, "high": v, "high_inclusive": True}
                                              for v in scores if v not in t.listed]
                fields.update(scale=scale, allowed=allowed(fields["eligible"], scores), unit=None)
                item.facts.append(Draft("performance_status", start, t.end, fields))
                seen_end = t.end
        return doc


def _first(text: str, start: int, stop: int, candidates) -> Threshold | None:
    found = thresholds_after(text, start, stop, _GAP, candidates=candidates)
    return found[0].threshold if found else None


def _score_list(text: str, start: int, stop: int) -> Threshold | None:
    """"0, 1 or 2" -> between 0 and 2 when the scores run on; "0 or 2" -> the listed values."""
    m = _LIST.search(text, start, stop)
    if not m or m.start() - start > _GAP or any(c.isdigit() for c in text[start:m.start()]):
        return None
    values = sorted({int(v) for v in re.findall(r"\d{1,3}", m.group("list"))})
    t = Threshold(m.start("list"), m.end("list"), "between", values[0], values[-1])
    if values != list(range(values[0], values[-1] + 1)) and values != list(range(values[0], values[-1] + 1, 10)):
        t.comparator, t.value_high = "=", None
        t.listed = values
    return t
