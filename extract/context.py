"""medspaCy ConText over criteria: negation of a criterion's main finding, and historical or
hypothetical anchors ("history of ...") that must not become current-threshold facts.

Each criterion is one ConText sentence (the splitter sets sentence starts). Targets are the
anchor mentions plus, per criterion, its last word: a negation cue whose scope reaches the
end of the criterion ("No prior PRRT", "Patients without brain metastases") negates it.
"""

from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

GROUP = "elig_context_targets"
CONTEXT = "elig_context"
_END = "CRITERION_END"
# the mentions whose ConText attributes a component reads (labs; the measures of facts/measures.py);
# ConText pairs every target with every modifier in the doc, so the others are left out
TARGET_LABELS = frozenset({"LAB", "LIFE_EXPECTANCY", "BMI", "LVEF", "QTC", "KI67"})


def add_context(nlp: Language) -> None:
    nlp.add_pipe("elig_context_targets")
    rules = resources.files("extract.data").joinpath("context_rules.json")
    nlp.add_pipe("medspacy_context", name=CONTEXT,
                 config={"input_span_type": "group", "span_group_name": GROUP, "rules": str(rules)})


@Language.component("elig_context_targets")
def context_targets(doc: Doc) -> Doc:
    targets = [e for e in doc.ents if e.label_ in TARGET_LABELS]
    for item in doc._.criteria or []:
        last = doc.char_span(item.start, item.end, alignment_mode="expand")
        if last is None or not len(last):
            continue
        i = last.end - 1
        while i > last.start and (doc[i].is_punct or doc[i].is_space):
            i -= 1
        targets.append(Span(doc, i, i + 1, label=_END))
    doc.spans[GROUP] = targets
    return doc


@Language.component("elig_negation")
def negation(doc: Doc) -> Doc:
    """``item.negated`` from ConText; numeric facts anchored in a historical mention dropped."""
    ends = {s.end_char: s for s in doc.spans.get(GROUP, []) if s.label_ == _END}
    for item in doc._.criteria or []:
        tail = [s for c, s in ends.items() if item.start < c <= item.end]
        item.negated = bool(tail) and bool(tail[-1]._.is_negated)
    return doc


def is_current(mention: Span) -> bool:
    """False for an anchor ConText marks historical or about a family member."""
    return not (mention._.is_historical or mention._.is_family)
