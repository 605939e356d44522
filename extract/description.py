"""Criteria stated in description fields (brief summary, detailed description, arm/group
descriptions): the stretches that say who is eligible, as criteria of section "description".
Background sentences (incidence, rationale, procedures) give none. Rules: data/description.json."""
import re
from functools import lru_cache

from spacy.tokens import Doc

from .data_files import load_json
from .facts.grade import find_grades
from .facts.stage import find_stages
from .segment import Item

_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s+[A-Z(\"']|\s*$)|(?=\n)|$)")
_POPULATION_LABELS = {"HISTOLOGY", "ECOG", "PERF", "AGE"}
_STRONG = {"stage", "grade", "ECOG", "PERF", "AGE"}  # a cluster needs one: "disseminated PDAC" alone is no population


@lru_cache(maxsize=1)
def _rules():
    spec = load_json("description.json")
    return {k: re.compile(v, re.I) for k, v in spec.items() if not k.startswith("_")}


def candidate_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences of a description that may state who is eligible (a cheap regex look, before any NLP)."""
    prefilter = _rules()["prefilter"]
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if prefilter.search(text, m.start(), m.end())]


def description_items(doc: Doc) -> list[Item]:
    text = doc._.text
    rules = _rules()
    ents = [e for e in doc.ents if e.label_ in _POPULATION_LABELS]
    found: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        if not text[s:e].strip():
            continue
        sentence = text[s:e]
        marks = [(a, b, "stage" if f["value"] else "extent") for a, b, f in find_stages(text, s, e)] + \
                [(a, b, "grade") for a, b, _ in find_grades(text, s, e)] + \
                [(x.start_char, x.end_char, x.label_) for x in ents if s <= x.start_char and x.end_char <= e]
        found += _clusters(text, sorted(marks), rules["cluster_gap"])
        if sentence.rstrip().endswith(":"):
            continue  # "Eligible for enrolment are all patients with the following characteristics:"
        background = rules["background"].search(sentence)
        sub = rules["subject"].search(sentence)
        if sub and not background and sub.start("pop") <= 15 and \
                any(sub.start("pop") <= a - s < sub.end("pop") for a, _, _ in marks):
            found.append((s + sub.start("pop"), s + sub.end("pop")))
        if rules["goal_context"].search(sentence):
            for g in rules["goal"].finditer(sentence):
                found.append((s + g.start("goal"), s + g.end("goal")))
        if rules["requirement"].search(sentence) and not background:
            a = s + len(sentence) - len(sentence.lstrip())
            found.append((a, e - 1 if sentence.endswith(".") else e))
    return [Item(a, b, "description") for a, b in _keep_longest(found)]


def _clusters(text: str, marks: list, gap: re.Pattern) -> list[tuple[int, int]]:
    """Runs of population marks of at least two kinds that stand next to each other."""
    out, run = [], []
    for mark in marks:
        if run and not (mark[0] <= run[-1][1] or gap.match(text[run[-1][1]:mark[0]])):
            out.append(run)
            run = []
        run.append(mark)
    out.append(run)
    spans = []
    for run in out:
        kinds = {k for _, _, k in run}
        if len(kinds) >= 2 and kinds & _STRONG:
            a, b = run[0][0], max(x[1] for x in run)
            spans.append((a, b))
    return spans


def _keep_longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(spans), key=lambda x: (x[0], -(x[1] - x[0]))):
        if out and a < out[-1][1]:
            if b - a > out[-1][1] - out[-1][0]:
                out[-1] = (a, b)
            continue
        out.append((a, b))
    return out
