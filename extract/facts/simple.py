"""Facts without values: pregnancy, lactation, contraception (with its window), consent, and
measurable disease with its standard ("RECIST v 1.1"). Patterns: data/simple_facts.json."""
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_json
from ..windows import find_window
from .base import Batched, Draft

# a substring every match of these patterns holds (cheap test before the regexes)
_CUES = ("pregnan", "hcg", "breast", "lactat", "nursing", "contracep", "birth control", "bearing", "reproductive",
         "wocbp", "sterili", "abstinen", "condom", "intrauterine", "consent", "assent", "measurable", "evaluable")
KINDS = ("pregnancy", "lactation", "contraception", "consent", "measurable_disease")


@lru_cache(maxsize=1)
def _rules():
    spec = load_json("simple_facts.json")
    return ({k: re.compile(spec[k], re.I) for k in KINDS},
            [(name, re.compile(p, re.I)) for name, p in spec["standards"].items()])


@Language.factory("elig_simple_facts")
def make_simple(nlp: Language, name: str):
    return SimpleFacts()


class SimpleFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        kinds, standards = _rules()
        for item in doc._.criteria or []:
            low = text[item.start:item.end].lower()
            if not any(c in low for c in _CUES):
                continue  # none of these facts can be there: skip five patterns
            for kind, rx in kinds.items():
                m = rx.search(text, item.start, item.end)
                if not m:
                    continue
                start, end, fields = m.start(), m.end(), {}
                if kind == "measurable_disease":
                    std = next(((n, s) for n, rx2 in standards for s in [rx2.search(text, item.start, item.end)] if s), None)
                    fields["standard"] = std[0] if std else None
                    if std and std[1].start() >= end and std[1].start() - end < 40:
                        end = std[1].end()
                elif kind == "contraception":
                    win = find_window(text, end, item.end)
                    fields["window"] = win[0] if win else None
                    if win:
                        end = win[2]
                item.facts.append(Draft(kind, start, end, fields))
        return doc
