"""Splitting a paragraph without list markup into its criteria, from token shapes.

Two cues: a sentence end ("... thereafter. All other ...") and, in long run-on text whose
line breaks were lost, a capitalised word after a word that ends a phrase ("Age 18 years or
older | ECOG 0-1 | Any resectable ... PDAC | Patient can understand ..."). Word lists are in
``data/runon_words.json``. The learned boundary model may replace the second cue.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .data_files import load_json

_WORDS = load_json("runon_words.json")
FUNCTION_WORDS = frozenset(_WORDS["function_words"])
MID_CAPITALS = frozenset(_WORDS["mid_capitals"])
ABBREVIATIONS = frozenset(_WORDS["abbreviations"])
MIN_RUNON_TOKENS = _WORDS["min_runon_tokens"]


def _is_title(t: Token) -> bool:
    s = t.text
    return len(s) > 1 and s[0].isupper() and (s[1].islower() or (s[1] == "-" and len(s) > 2))


def _is_acronym(t: Token) -> bool:
    s = t.text
    return len(s) >= 2 and s.isupper() and any(c.isalpha() for c in s) and "-" not in s[:1]


def _ends_phrase(t: Token) -> bool:
    s = t.text
    if s in (")", "]"):
        return True
    if s.isalpha() and s.islower():
        return s not in FUNCTION_WORDS
    if any(c.isdigit() for c in s) and s[-1].isalnum():
        return True
    return _is_acronym(t)


def _sentence_end(tokens: list[Token], k: int) -> bool:
    p = tokens[k - 1]
    if p.text in ("?", "!"):
        return True
    if not p.text.endswith("."):
        return False
    word = p.text if p.text != "." or k < 2 else tokens[k - 2].text + "."
    if word.lower() in ABBREVIATIONS:
        return False
    core = word[:-1]
    if len(core) == 1 and core.isupper():  # an initial, "M. Pavel"
        return False
    return True


def _cuts(doc: Doc, start: int, end: int) -> list[int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    tokens = [t for t in span if not t.is_space]
    long_runon = len(tokens) >= MIN_RUNON_TOKENS
    cuts = []
    depth = 0
    for k in range(1, len(tokens)):
        p, t = tokens[k - 1], tokens[k]
        depth = max(0, depth + p.text.count("(") - p.text.count(")"))
        if depth:
            continue
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if t.text[:1].isupper() and (_sentence_end(tokens, k) or (p.text == ";" and _is_title(t))):
            cuts.append(k)
        elif long_runon and _ends_phrase(p) and _is_title(t) and t.text not in MID_CAPITALS \
                and not (nxt is not None and _is_title(nxt)):
            cuts.append(k)
        elif long_runon and p.text.isalpha() and p.text.islower() and p.text not in FUNCTION_WORDS \
                and _is_acronym(t) and nxt is not None and nxt.text[:1].isdigit():
            cuts.append(k)
    # every piece keeps at least two words
    kept, last = [], 0
    for k in cuts:
        if _words(tokens[last:k]) >= 2 and _words(tokens[k:]) >= 2:
            kept.append(k)
            last = k
    return [tokens[k].idx for k in kept]


def _words(tokens: list[Token]) -> int:
    return sum(1 for t in tokens if any(c.isalnum() for c in t.text))


def _two_words_each(text: str, start: int, end: int, cuts: list[int]) -> list[int]:
    kept, last = [], start
    for c in sorted(cuts):
        if len(re.findall(r"\w+", text[last:c])) >= 2 and len(re.findall(r"\w+", text[c:end])) >= 2:
            kept.append(c)
            last = c
    return kept


def paragraph_splitter(doc: Doc, model: dict | None = None):
    """A ``segment.Splitter`` over ``doc``: ``(start, end)`` -> the pieces' ``(start, end)``.
    With a boundary ``model`` (see ``learn.boundary``) it decides the cuts; else the rules do."""
    text = doc._.text

    def split(start: int, end: int) -> list[tuple[int, int]]:
        if model is not None:
            from .learn.boundary import cuts as model_cuts

            found = _two_words_each(text, start, end, model_cuts(model, doc, start, end))
        else:
            found = _cuts(doc, start, end)
        bounds = [start] + found + [end]
        pieces = []
        for a, b in zip(bounds, bounds[1:]):
            while b > a and (text[b - 1].isspace() or text[b - 1] in ",;"):
                b -= 1
            if b > a:
                pieces.append((a, b))
        return pieces

    return split
