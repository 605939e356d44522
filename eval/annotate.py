"""Writing gold files by hand: offsets found from the text you choose, ids and intervals computed.

An annotator reads the trial, decides each criterion and fact (see annotations/GUIDELINE.md) and
writes them with this builder; it does no extraction of its own::

    b = GoldBuilder("NCT04318938", "ctgov-json", "annotations/sources/test/NCT04318938.json",
                    fields={"eligibility": text}, registry={...})
    c = b.criterion("eligibility", "Age ≥ 18 years of age at time of consent", "inclusion", ["age"])
    b.fact(c, "age", "Age ≥ 18 years", comparator=">=", value=18, unit="a")
    b.save("annotations/passes/A1/NCT04318938.json", annotator="A1", notes="")
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from extract.facts.base import allowed as _allowed
from extract.facts.base import eligible

NUMERIC = {"age", "performance_status", "lab", "life_expectancy", "bmi", "lvef", "qtc", "ki67",
           "nyha_class", "ctcae_grade"}
DEFAULTS = {
    "sex": {"value": None},
    "performance_status": {"scale": None, "allowed": []},
    "lab": {"analyte": None, "loinc": None},
    "ctcae_grade": {"event": None, "version": None},
    "imaging": {"modality": None, "tracer": None, "contrast": None, "window": None},
    "stage": {"system": None, "value": None, "metastatic": None},
    "grade": {"system": None, "values": []},
    "histology": {"name": None, "normalized": None},
    "condition": {"name": None, "normalized": None},
    "prior_therapy": {"name": None, "class": None, "window": None},
    "concomitant_therapy": {"name": None, "class": None, "window": None},
    "procedure": {"name": None, "class": None, "window": None},
    "measurable_disease": {"standard": None},
}
SCORES = {"ECOG": range(0, 6), "Karnofsky": range(0, 101, 10), "Lansky": range(0, 101, 10)}


class GoldBuilder:
    def __init__(self, trial_id: str, fmt: str, source_path: str, fields: dict[str, str],
                 registry: Optional[dict] = None):
        self.trial_id = trial_id
        self.source = {"format": fmt, "path": source_path}
        self.fields = fields
        self.registry = registry
        self.criteria: list[dict] = []
        self._cursor: dict[str, int] = {}

    def find(self, field: str, text: str, start: Optional[int] = None, end: Optional[int] = None) -> tuple[int, int]:
        """Offsets of ``text`` in the field, searching from ``start`` (default: after the last criterion)."""
        source = self.fields[field]
        begin = self._cursor.get(field, 0) if start is None else start
        at = source.find(text, begin, len(source) if end is None else end)
        if at < 0:
            raise ValueError(f"{text!r} not found in {field} from offset {begin}")
        return at, at + len(text)

    def criterion(self, field: str, text: str, section: str, categories: list[str], parent: Optional[str] = None,
                  negated: bool = False, start: Optional[int] = None) -> dict:
        a, b = self.find(field, text, start)
        self._cursor[field] = b
        n = 1 + sum(1 for c in self.criteria if c["field"] == field)
        c = {"id": f"{self.trial_id}:{field}:{n}", "field": field, "section": section,
             "polarity": "exclude" if section == "exclusion" else "include", "text": text, "span": [a, b],
             "parent": parent, "categories": sorted(set(categories)), "category_scores": None,
             "negated": negated, "facts": []}
        self.criteria.append(c)
        return c

    def fact(self, criterion: dict, type_: str, text: str, **keys) -> dict:
        """A fact inside ``criterion``; numeric facts get ``eligible`` (and ``allowed``) from their keys."""
        a, b = self.find(criterion["field"], text, criterion["span"][0], criterion["span"][1])
        fact = {"type": type_, "text": text, "span": [a, b], **DEFAULTS.get(type_, {})}
        if type_ in NUMERIC:
            fact.update({"comparator": None, "value": None, "value_high": None, "unit": None, "relative_to": None,
                         "normalized": None, "condition": None})
        fact.update(keys)
        if type_ in NUMERIC and "eligible" not in keys:
            norm = fact.get("normalized") or {}
            low = norm.get("value", fact["value"]) if norm else fact["value"]
            high = norm.get("value_high", fact["value_high"]) if norm else fact["value_high"]
            fact["eligible"] = eligible(fact["comparator"], low, high, criterion["polarity"])
        if type_ == "performance_status" and "allowed" not in keys and fact.get("scale") in SCORES:
            fact["allowed"] = _allowed(fact["eligible"], SCORES[fact["scale"]])
        criterion["facts"].append(fact)
        return fact

    def to_dict(self, annotator: str, notes: str = "") -> dict:
        return {"schema_version": "1", "trial_id": self.trial_id, "source": self.source, "registry": self.registry,
                "fields": self.fields, "criteria": self.criteria,
                "summary": {"age": None, "sex": None, "performance_status": {}, "labs": [], "conflicts": []},
                "errors": [], "annotator": annotator, "notes": notes}

    def save(self, path: str, annotator: str, notes: str = "") -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(self.to_dict(annotator, notes), indent=1, ensure_ascii=False), encoding="utf-8")


def window(comparator: str, value: float, unit: str, relation: str) -> dict:
    return {"comparator": comparator, "value": value, "unit": unit, "relation": relation}
