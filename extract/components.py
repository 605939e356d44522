"""spaCy components of the eligibility pipeline, registered by factory name.

(No postponed annotations here: spaCy reads factory signatures at run time.)
"""

from pathlib import Path
from typing import Optional

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .description import description_items
from .facts.base import Batched
from .runon import paragraph_splitter
from .sections import section_ranges
from .segment import segment

if not Doc.has_extension("criteria"):
    Doc.set_extension("criteria", default=None)
if not Doc.has_extension("text"):
    # spaCy rebuilds doc.text from its tokens on every access; the components read it often
    Doc.set_extension("text", getter=lambda doc: doc.user_data.get("elig_text") or doc.text)


def make_doc(nlp: Language, text: str) -> Doc:
    """A tokenized doc that remembers its text (``doc._.text``) without rebuilding it."""
    doc = nlp.make_doc(text)
    doc.user_data["elig_text"] = text
    return doc


@Language.factory("elig_criteria", default_config={"split_runon": True, "boundary_model": None})
def make_criteria_splitter(nlp: Language, name: str, split_runon: bool, boundary_model: Optional[str]):
    model = None
    if boundary_model:
        from .learn.boundary import REBUILD
        from .learn.store import load

        model = load(Path(boundary_model), REBUILD)
    return CriteriaSplitter(split_runon, model)


class CriteriaSplitter(Batched):
    """Sets ``doc._.criteria``: ``segment.Item`` list (char offsets into ``doc.text``),
    from the sections the Sectionizer found and the text's list layout."""

    def __init__(self, split_runon: bool = True, boundary_model: Optional[dict] = None):
        self.split_runon = split_runon
        self.boundary_model = boundary_model

    def __call__(self, doc: Doc) -> Doc:
        if "elig_text" not in doc.user_data:
            doc.user_data["elig_text"] = doc.text
        if "elig_items" in doc.user_data:  # criteria given from outside (gold spans, another splitter)
            doc._.criteria = doc.user_data.pop("elig_items")
        elif doc.user_data.get("elig_zone") == "description":
            doc._.criteria = description_items(doc)
        else:
            splitter = paragraph_splitter(doc, self.boundary_model) if self.split_runon else None
            doc._.criteria = segment(doc._.text, section_ranges(doc), splitter)
        _criteria_as_sentences(doc)
        return doc


def _criteria_as_sentences(doc: Doc) -> None:
    """One sentence per criterion, so that ConText scopes stop at criterion ends."""
    if not len(doc):
        return
    starts = numpy.full((len(doc), 1), -1, dtype="int32")
    starts[0, 0] = 1
    for item in doc._.criteria:
        span = doc.char_span(item.start, item.end, alignment_mode="expand")
        if span is not None and len(span):
            starts[span.start, 0] = 1
            if span.end < len(doc):
                starts[span.end, 0] = 1
    doc.from_array([SENT_START], starts.astype("uint64"))  # spaCy reads -1 from its unsigned form
