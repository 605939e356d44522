"""Sex: "female", "women", "male or female", "men only", "postmenopausal women"."""

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_json
from .base import Batched, Draft


@lru_cache(maxsize=1)
def _rules():
    spec = load_json("sex_terms.json")

    def alt(words):
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    both = re.compile(rf"\b(?:{alt(spec['all'])})\b", re.I)
    lead = rf"(?:(?:{alt(spec['lead'])})[\s,]+)*"
    one = re.compile(rf"^\W*(?:(?:sex|gender)\s*:?\s*)?{lead}(?P<term>{alt(spec['female'] + spec['male'])})\b", re.I)
    female = {w.lower() for w in spec["female"]}
    return both, one, female, re.compile(spec["not_requirement"], re.I)


_CUES = ("male", "men", "man", "girl", "boy", "sex", "gender", "ladies", "mothers", "fathers")  # "female", "women" hold these


@Language.factory("elig_sex")
def make_sex(nlp: Language, name: str):
    return SexFacts()


class SexFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        both, one, female, not_requirement = _rules()
        text = doc._.text
        for item in doc._.criteria or []:
            s = text[item.start:item.end]
            low = s.lower()
            if not any(w in low for w in _CUES):
                continue
            m = both.search(s)
            if m:
                item.facts.append(Draft("sex", item.start + m.start(), item.start + m.end(), {"value": "all"}))
                continue
            if not_requirement.search(s):
                continue
            m = one.match(s)
            if m:
                value = "female" if re.sub(r"\s+", " ", m.group("term").lower()) in female else "male"
                item.facts.append(Draft("sex", item.start + m.start("term"), item.start + m.end("term"), {"value": value}))
        return doc
