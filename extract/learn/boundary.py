"""Criterion-boundary model: where, inside text without list markup, a new criterion starts.

Candidates are the places the rule splitter also looks at (a sentence end, a semicolon, a
capitalised word after a word that ends a phrase, a line break); a logistic regression over
the shapes of the tokens around each decides. Trained on the gold segmentation: paragraphs
without list markers, and run-on text made by joining consecutive gold criteria (the lost line
breaks of seed 002). Used by the splitter where bullets and numbering are absent.
"""
from __future__ import annotations

import re

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from spacy.tokens import Doc

from ..runon import ABBREVIATIONS, FUNCTION_WORDS, MID_CAPITALS
from ..sections import section_ranges
from ..segment import line_items

NAME = "boundary"
REBUILD = "elig train boundary --data annotations/dev -o models/boundary"


def _shape(s: str) -> str:
    if not s:
        return "none"
    if s.isdigit() or re.fullmatch(r"[\d.,-]+", s):
        return "num"
    if s.isupper() and any(c.isalpha() for c in s):
        return "CAPS"
    if s[:1].isupper():
        return "Title"
    if s[:1].islower():
        return "lower"
    return "punct:" + s[:1]


def paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """The stretches of an eligibility doc that have no list markup (one per unmarked item)."""
    out = []
    for sec in section_ranges(doc):
        out += [(i.start, i.end) for i in line_items(doc._.text, sec, "x") if i.kind is None]
    return out


def candidates(doc: Doc, start: int, end: int) -> list[tuple[int, dict]]:
    """Token starts inside ``[start, end)`` where a criterion could begin, with their features."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    tokens = [t for t in span if not t.is_space]
    text = doc._.text
    from ..runon import _cuts

    by_rules = set(_cuts(doc, start, end))  # the rules' decision is one feature among the rest
    out = []
    for k in range(1, len(tokens)):
        p, t = tokens[k - 1], tokens[k]
        gap = text[p.idx + len(p.text):t.idx]
        nxt = tokens[k + 1].text if k + 1 < len(tokens) else ""
        if not (t.text[:1].isupper() or "\n" in gap or p.text in (";", ".", ":") or t.text[:1].isdigit()):
            continue
        out.append((t.idx, {
            "prev": p.lower_ if p.lower_ in FUNCTION_WORDS or not p.is_alpha else "<word>",
            "prev_shape": _shape(p.text), "cur_shape": _shape(t.text), "next_shape": _shape(nxt),
            "prev_punct": p.text if p.is_punct else "", "newline": "\n" in gap,
            "prev_abbrev": (p.text.lower() + ".") in ABBREVIATIONS or p.text.lower() in ABBREVIATIONS,
            "cur_mid_capital": t.text in MID_CAPITALS, "cur_function": t.lower_ in FUNCTION_WORDS,
            "cur": t.lower_ if t.lower_ in FUNCTION_WORDS or t.text in MID_CAPITALS else "<word>",
            "from_start": min(k, 12) // 3, "to_end": min(len(tokens) - k, 12) // 3,
            "prev_is_paren": p.text in (")", "]"), "cur_is_paren": t.text in ("(", "["),
            "rules_cut": t.idx in by_rules,
        }))
    return out


def make_pipeline(seed: int = 0) -> Pipeline:
    return Pipeline([("features", DictVectorizer()),
                     ("clf", LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced", random_state=seed))])


def gold_paragraphs(nlp, golds):
    """Each paragraph without list markup in the gold eligibility text: (doc, start, end, gold starts)."""
    from ..textview import make_view

    for g in golds:
        for field in ("eligibility", "text"):
            if field not in g.fields:
                continue
            view = make_view(g.fields[field])
            starts = {view.to_clean(*c.span)[0] for c in g.trial.criteria if c.field == field}
            doc = nlp(view.clean)
            for a, b in paragraphs(doc):
                yield doc, a, b, starts


def training_rows(nlp, golds) -> tuple[list[dict], list[int]]:
    """Candidate boundaries in the gold eligibility text without list markup, labelled by the gold."""
    X, y = [], []
    for doc, a, b, starts in gold_paragraphs(nlp, golds):
        for pos, feats in candidates(doc, a, b):
            X.append(feats)
            y.append(int(pos in starts))
    return X, y


RUN = 4  # criteria joined into one run-on stretch


def runon_docs(nlp, golds) -> list[tuple[Doc, set[int]]]:
    """Run-on text made from the gold: consecutive criteria of one section joined by a space, as
    when a registry loses the line breaks between them (seed 002), with the true starts."""
    out = []
    for g in golds:
        top = [c for c in g.trial.criteria if c.parent is None and c.section in ("inclusion", "exclusion")]
        for i in range(0, len(top) - 1, RUN):
            group = [c for c in top[i:i + RUN] if c.section == top[i].section]
            if len(group) < 2:
                continue
            text, starts = "", set()
            for c in group:
                piece = " ".join(c.text.split()).rstrip(".;,")
                starts.add(len(text) + (1 if text else 0))
                text = f"{text} {piece}" if text else piece
            starts.discard(0)
            out.append((nlp.make_doc(text), starts))
    return out


def runon_rows(nlp, golds) -> tuple[list[dict], list[int]]:
    X, y = [], []
    for doc, starts in runon_docs(nlp, golds):
        for pos, feats in candidates(doc, 0, len(doc.text)):
            X.append(feats)
            y.append(int(pos in starts))
    return X, y


def train(nlp, golds, seed: int = 0) -> dict:
    X, y = training_rows(nlp, golds)
    X2, y2 = runon_rows(nlp, golds)
    return {"pipeline": make_pipeline(seed).fit(X + X2, y + y2), "threshold": 0.5}


_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z(]")


def cuts(model: dict, doc: Doc, start: int, end: int) -> list[int]:
    """Where new criteria start in ``[start, end)``: the model decides in run-on text (no sentence
    ends: lost line breaks); text written in sentences keeps the rules' sentence splitting."""
    if _SENTENCE_END.search(doc._.text, start, end):
        from ..runon import _cuts

        return _cuts(doc, start, end)
    found = candidates(doc, start, end)
    if not found:
        return []
    proba = model["pipeline"].predict_proba([f for _, f in found])[:, 1]
    return [pos for (pos, _), p in zip(found, proba) if p >= model["threshold"]]
