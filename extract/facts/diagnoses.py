"""Histology (tumour types) and conditions (other diseases) from the diagnosis lexicon's
mentions: "pancreatic neuroendocrine tumour", "PDAC", "MiNEN", "brain metastases". A generic
word ("cancer", "tumour") counts only as another malignancy ("other progressive cancer")."""
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_json
from .base import Batched, Draft, criteria

_OTHER = re.compile(r"(?:other|another|second|prior|previous|active|concurrent|history\s+of|invasive|progressive|known)\W+(?:\w+\W+){0,2}$", re.I)
# "surgery for pan-NET", "symptoms caused by a functional pan-NET": the disease a therapy or finding is about
_REFERENCE = re.compile(r"(?:for|of|from|to|by|caused\s+by|due\s+to)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?$", re.I)


@Language.factory("elig_diagnoses")
def make_diagnoses(nlp: Language, name: str):
    return DiagnosisFacts()


class DiagnosisFacts(Batched):
    def __init__(self):
        self.generic = set(load_json("diagnoses.json")["generic"])

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        for item, ents in criteria(doc):
            for ent in ents:
                if ent.label_ not in ("HISTOLOGY", "CONDITION"):
                    continue
                before = text[max(item.start, ent.start_char - 40):ent.start_char]
                if ent.ent_id_ in self.generic and not _OTHER.search(before):
                    continue
                kind = "histology" if ent.label_ == "HISTOLOGY" else "condition"
                role = "reference" if _REFERENCE.search(before) else ""
                if kind == "condition" and item.section == "exclusion":
                    # an excluded disease is a comorbidity (the category says so); a condition fact
                    # names the disease the trial is about, as the gold annotations do
                    item.facts.append(Draft("_excluded_disease", ent.start_char, ent.end_char, {}, role))
                    continue
                item.facts.append(Draft(kind, ent.start_char, ent.end_char, {"name": ent.text, "normalized": ent.ent_id_}, role))
        return doc
