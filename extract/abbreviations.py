"""Abbreviations a trial defines ("absolute granulocyte count (AGC)") resolve its later lone uses.

scispaCy's AbbreviationDetector pairs each short form with its long form across the whole
eligibility text; a short form whose long form names a lab analyte becomes a ``LAB`` mention
wherever it stands, even when the lexicon does not know it.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span
from scispacy import abbreviation as _abbreviation  # noqa: F401  (registers "abbreviation_detector")
from spacy.util import filter_spans

from .mentions import lab_terms


def add_abbreviations(nlp: Language) -> None:
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe("elig_abbreviations")


@Language.component("elig_abbreviations")
def resolve_abbreviations(doc: Doc) -> Doc:
    terms = lab_terms()
    found = []
    for short in doc._.abbreviations:
        long_form = short._.long_form
        analyte = terms.get(long_form.text.lower()) if long_form is not None else None
        if analyte is None and long_form is not None:
            # "serum absolute neutrophil count (ANC)": the long form may hold extra words first
            words = long_form.text.lower().split()
            analyte = next((terms[" ".join(words[i:])] for i in range(1, len(words)) if " ".join(words[i:]) in terms), None)
        if analyte:
            found.append(Span(doc, short.start, short.end, label="LAB", span_id=analyte))
    # a mention the lexicon already found stays as it is; the short form fills the gaps
    found = [f for f in found if not any(e.start < f.end and f.start < e.end for e in doc.ents)]
    if found:
        doc.ents = filter_spans(list(doc.ents) + found)
    return doc
