"""spaCy components of the eligibility pipeline, registered by factory name.

(No postponed annotations here: spaCy reads factory signatures at run time.)
"""

from spacy.language import Language
from spacy.tokens import Doc

from .runon import paragraph_splitter
from .sections import section_ranges
from .segment import segment

if not Doc.has_extension("criteria"):
    Doc.set_extension("criteria", default=None)


@Language.factory("elig_criteria", default_config={"split_runon": True})
def make_criteria_splitter(nlp: Language, name: str, split_runon: bool):
    return CriteriaSplitter(split_runon)


class CriteriaSplitter:
    """Sets ``doc._.criteria``: ``segment.Item`` list (char offsets into ``doc.text``),
    from the sections the Sectionizer found and the text's list layout."""

    def __init__(self, split_runon: bool = True):
        self.split_runon = split_runon

    def __call__(self, doc: Doc) -> Doc:
        splitter = paragraph_splitter(doc) if self.split_runon else None
        doc._.criteria = segment(doc.text, section_ranges(doc), splitter)
        return doc
