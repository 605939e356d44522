"""Lab thresholds: one fact per analyte mention with its limit, unit, ULN multiple and condition.

"Hemoglobin > 90 g/L, platelets >100 x109/L, ..." gives a fact each; "AST/ALT < 3 x ULN" gives
two; "ASAT / ALAT < 3 x ULN" shares the limit written once; a lab named inside another lab's
condition ("PT < 70% unless albumin > 30 g/L") is that condition, not a fact of its own.
"""

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ..context import is_current
from ..mentions import lab_lexicon
from ..units import convert, same_dimension
from .anchored import Anchored, thresholds_after
from .base import Batched, Draft, merge_restatements, criteria, item_thresholds, numeric_fields, polarity, within

_SHARE_GAP = 40
_NOT_LAB_UNITS = {"a", "mo", "wk", "d", "h", "min", "kg", "cm", "kg/m2"}  # "HbA1c ... within 12 weeks"  # "aspartate transaminase (ASAT)/alanine aminotransferase (ALAT) < 3 x ULN"


def normalize(analyte: dict, t) -> dict | None:
    """The threshold in the analyte's canonical unit; multiples of ULN/LLN stay multiples."""
    if t.relative_to:
        return None
    target = analyte.get("canonical_unit")
    unit = t.unit
    if unit == "10*9/L" and target and not same_dimension(unit, target) and (t.unit_text or "").strip().upper() == "G/L":
        unit = "g/L"  # "albumin 30 G/L": grams, not giga-counts
    value = convert(t.value, unit, target, analyte.get("molar_mass"))
    if value is None:
        return None
    high = convert(t.value_high, unit, target, analyte.get("molar_mass")) if t.value_high is not None else None
    return {"value": value, "value_high": high, "unit": target}


_WITHIN_NORMAL = re.compile(
    r"[\s(]*(?:levels?\s+|values?\s+|counts?\s+|must\s+be\s+|should\s+be\s+|is\s+|are\s+)*"
    r"(?:within|in)\s+(?:the\s+)?(?:institutional\s+|laboratory\s+)?normal\s+(?:limits|range|values)|[\s(]*\bWNL\b", re.I)
_LEAD_GAP = re.compile(r"\s*(?:of\s+(?:the\s+)?)?(?:serum\s+|plasma\s+|blood\s+)?")
_LIST_GAP = re.compile(r"\s*(?:,|and|or|/|,\s*and|,\s*or)\s*")


def _is_lab_limit(t) -> bool:
    """A lab limit has a lab unit, a ULN multiple or a comparator: "ACR/EULAR 2010" is not one."""
    return t.unit not in _NOT_LAB_UNITS and (t.comparator is not None or t.unit is not None or t.relative_to is not None)


def _limit_before(text: str, candidates: list, start: int, mention_start: int):
    """A limit standing right before the mention ("5% or more blasts", "1.5 times ULN of creatinine")."""
    found = [t for t in within(candidates, start, mention_start) if _is_lab_limit(t)]
    if found and _LEAD_GAP.fullmatch(text, found[-1].end, mention_start):
        return found[-1]
    return None


def _analytes(ids: str, lexicon: dict) -> list[str]:
    """"ast|alt" -> both; a group ("transaminases") -> its members."""
    out = []
    for name in ids.split("|"):
        out.extend(lexicon[name].get("members") or [name])
    return list(dict.fromkeys(out))


@Language.factory("elig_labs")
def make_labs(nlp: Language, name: str):
    return LabFacts()


class LabFacts(Batched):
    """Appends ``lab`` drafts to each criterion item's ``facts``."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        lexicon = lab_lexicon()
        for item, ents in criteria(doc):
            labs = merge_restatements(text, [e for e in ents if e.label_ == "LAB" and is_current(e)], "LAB")
            if not labs:
                continue
            candidates = item_thresholds(doc, item)
            pol = polarity(item)
            covered: list[tuple[int, int]] = []  # condition spans: mentions inside are not facts
            pending: list = []  # mentions waiting to share the next mention's limit
            seen: set = set()
            before = None  # a limit written before its analytes: "1.5 times ULN of creatinine, AST"
            for k, ent in enumerate(labs):
                if any(a <= ent.start_char < b for a, b in covered):
                    continue
                stop = labs[k + 1].start_char if k + 1 < len(labs) else item.end
                found = thresholds_after(text, ent.end_char, stop, clause_end=item.end, accept=_is_lab_limit,
                                         candidates=candidates)
                if not found:
                    lead = _limit_before(text, candidates, item.start if k == 0 else labs[k - 1].end_char, ent.start_char)
                    if lead is not None or (before is not None and _LIST_GAP.fullmatch(text[labs[k - 1].end_char:ent.start_char])):
                        before = lead or before
                        found = [Anchored(before)]
                if not found:
                    normal = _WITHIN_NORMAL.match(text, ent.end_char, stop)
                    if normal:  # "within normal limits": a requirement with no number
                        for analyte in _analytes(ent.ent_id_, lexicon):
                            fields = {"analyte": analyte, "loinc": lexicon[analyte].get("loinc")}
                            item.facts.append(Draft("lab", ent.start_char, normal.end(), fields))
                        pending = []
                        continue
                    nxt = labs[k + 1] if k + 1 < len(labs) else None
                    if nxt is not None and nxt.start_char - ent.end_char <= _SHARE_GAP \
                            and nxt.ent_id_ != ent.ent_id_ \
                            and not any(c.isdigit() for c in text[ent.end_char:nxt.start_char]):
                        pending.append(ent)
                    else:
                        pending = []
                    continue
                if found[0].threshold is not before:
                    before = None
                for mention in pending + [ent]:
                    for anchored in found:
                        t = replace(anchored.threshold)
                        if anchored.condition_span:
                            covered.append(anchored.condition_span)
                        if t.comparator is None:
                            t.comparator = "="  # a bare limit, as written ("ALT three times ULN")
                        for analyte in _analytes(mention.ent_id_, lexicon):
                            if (analyte, t.start) in seen:
                                continue  # "liver enzymes (AST and ALT) ...": each analyte once per limit
                            seen.add((analyte, t.start))
                            entry = lexicon[analyte]
                            fields = numeric_fields(t, pol, normalize(entry, t), anchored.condition)
                            fields.update(analyte=analyte, loinc=entry.get("loinc"))
                            start, end = min(mention.start_char, t.start), max(mention.end_char, t.end)
                            item.facts.append(Draft("lab", start, end, fields))
                pending = []
        return doc
