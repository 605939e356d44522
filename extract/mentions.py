"""Mentions that anchor facts, as ``doc.ents`` from a spaCy EntityRuler.

Patterns come from data files: lab analyte terms (``lab_analytes.json``, label ``LAB`` with
the analyte as entity id) and the other anchors (``mention_patterns.jsonl``: ``AGE``, ``ECOG``,
``KARNOFSKY``, ``NYHA``, ...). Slash-joined analytes the tokenizer keeps as one token
("AST/ALT") become one ``LAB`` mention naming every analyte.
"""

import json
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

from .data_files import load_json

RULER = "elig_mentions"


@lru_cache(maxsize=1)
def lab_lexicon() -> dict[str, dict]:
    """Analyte name -> its lexicon entry."""
    return {a["name"]: a for a in load_json("lab_analytes.json")["analytes"]}


@lru_cache(maxsize=1)
def lab_terms() -> dict[str, str]:
    """Lower-cased term -> analyte name."""
    return {t.lower(): a["name"] for a in lab_lexicon().values() for t in a["terms"]}


def _lexicon_patterns(label: str, table: dict[str, list[str]], ambiguous: set[str]) -> list[dict]:
    """Phrase patterns on lower case; short ambiguous forms ("NET", "ALL") only as written in capitals."""
    out = []
    for name, terms in table.items():
        for term in terms:
            if term in ambiguous:
                forms = {term.upper(), term.upper()[:-1] + "s"} if term.endswith("s") else {term.upper()}
                out += [{"label": label, "pattern": [{"ORTH": f}], "id": name} for f in forms]
            else:
                out.append({"label": label, "pattern": term, "id": name})
    return out


def _patterns() -> list[dict]:
    lines = resources.files("extract.data").joinpath("mention_patterns.jsonl").read_text("utf-8").splitlines()
    patterns = [p for p in map(json.loads, filter(None, lines)) if "label" in p]
    patterns += [{"label": "LAB", "pattern": term, "id": name} for term, name in lab_terms().items()]
    diagnoses = load_json("diagnoses.json")
    ambiguous = set(diagnoses["ambiguous"])
    patterns += _lexicon_patterns("HISTOLOGY", diagnoses["histology"], ambiguous)
    patterns += _lexicon_patterns("CONDITION", diagnoses["condition"], ambiguous)
    patterns += _lexicon_patterns("THERAPY", load_json("therapies.json")["classes"], {"ssa", "tki", "trt", "rfa", "sirt", "cbt", "adt"})
    return patterns


def add_mentions(nlp: Language) -> None:
    ruler = nlp.add_pipe("entity_ruler", name=RULER, config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns(_patterns())
    nlp.add_pipe("elig_slash_labs")


@Language.component("elig_slash_labs")
def slash_labs(doc: Doc) -> Doc:
    """"AST/ALT", "ASAT/ALAT": one token, several analytes -> one LAB mention with id "ast|alt"."""
    terms = lab_terms()
    taken = {t.i for e in doc.ents for t in e}
    extra = []
    for tok in doc:
        if "/" in tok.text and tok.i not in taken:
            parts = [p for p in tok.lower_.split("/") if p]
            names = [terms.get(p) for p in parts]
            if len(parts) > 1 and all(names):
                span = Span(doc, tok.i, tok.i + 1, label="LAB", span_id="|".join(dict.fromkeys(names)))
                extra.append(span)
    if extra:
        doc.ents = sorted(list(doc.ents) + extra, key=lambda s: s.start)
    return doc
