"""Criterion categories from the facts found and, where none tells, from keywords; ``other`` when
nothing applies, so that no criterion goes uncategorised. Rules: data/categories.json."""
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .data_files import load_json

_OTHER_DISEASE = re.compile(r"\b(?:other|another|second|prior|previous|history\s+of|concurrent|active)\b", re.I)


@lru_cache(maxsize=1)
def _rules():
    spec = load_json("categories.json")
    # matched against the lowercased text, which is twice as fast as re.I; so no capitals in them
    if any(re.search(r"(?<!\\)[A-Z]", rx) for rx in spec["keywords"].values()):
        raise ValueError("categories.json: keyword rules must be lowercase (they match lowercased text)")
    return spec["from_facts"], [(cat, re.compile(rx)) for cat, rx in spec["keywords"].items()]


def categorize(text: str, section: str, facts: list) -> list[str]:
    """Categories of one criterion from its text, section and fact drafts."""
    from_facts, keywords = _rules()
    cats = set()
    for f in facts:
        cat = from_facts.get(f.type)
        if f.type in ("histology", "condition") and (section == "exclusion" or _OTHER_DISEASE.search(text)):
            if getattr(f, "role", "") == "reference":
                continue  # "Previous surgery for pan-NET" is about the surgery
            cat = "comorbidity" if not (f.type == "histology" and section != "exclusion") else cat
        if cat:
            cats.add(cat)
    low = text.lower()
    for cat, rx in keywords:
        if cat not in cats and rx.search(low):
            if cat in ("stage", "histology") and section == "exclusion":
                continue
            cats.add(cat)
    if len(cats) > 1:
        cats.discard("other")
    return sorted(cats or {"other"})


@Language.component("elig_categories")
def categories(doc: Doc) -> Doc:
    text = doc._.text
    for item in doc._.criteria or []:
        item.categories = categorize(text[item.start:item.end], item.section, item.facts)
    return doc
