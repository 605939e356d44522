"""Tumour grade: "GI-WHO grade 1-2", "WHO grade 2", "G1/G2", "well-differentiated". A grade next to
an adverse event or CTCAE is a toxicity grade (see ``ctcae``), not this."""
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_lines
from .base import Batched, Draft

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_GRADE = re.compile(
    r"(?P<system>(?:GI-?)?WHO|ENETS|ISUP|Gleason|Fuhrman|FNCLCC|Nottingham)?[\s-]*(?:\(\d{4}\)\s*)?(?:tumou?r\s+|histologic(?:al)?\s+)?grades?\s*"
    r"(?P<a>[1-4]|I{1,3}V?)(?:\s*(?:-|–|to|or|and|/|,)\s*(?P<b>[1-4]|I{1,3}V?))?(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9])G(?P<g1>[1-3])(?:\s*(?:/|-|–|or|and|,)\s*G?(?P<g2>[1-3]))?(?![A-Za-z0-9])"
    r"|(?P<diff>well[\s-]+differentiated|moderately[\s-]+differentiated|poorly[\s-]+differentiated|undifferentiated)", re.I)
_TOXICITY = re.compile(r"ctcae|toxicit|adverse|neuropath|diarrh|nausea|vomit|mucositis|rash|fatigue|penia\b|infection|bleeding|hypersensitiv|reaction", re.I)
_G = re.compile(r"(?<![A-Za-z0-9])G[1-3](?![A-Za-z0-9])")
_DIFF = {"well": [1], "moderately": [2], "poorly": [3], "undifferentiated": [4]}


def _tumour_words() -> re.Pattern:
    words = sorted(load_lines("tumour_words.txt"), key=len, reverse=True)
    prefixes = "|".join(re.escape(w) for w in words if w.islower())
    acronyms = "|".join(re.escape(w) for w in words if not w.islower())
    return re.compile(rf"(?<![A-Za-z])(?i:{prefixes})|(?<![A-Za-z])(?:{acronyms})(?![A-Za-z])")


_TUMOUR = _tumour_words()


def _num(s: str) -> int:
    return _ROMAN.get(s.lower()) or int(s)


def find_grades(text: str, start: int, end: int) -> list[tuple[int, int, dict]]:
    low = text[start:end].lower()
    if "grade" not in low and "differentiated" not in low and not _G.search(text, start, end):
        return []  # the full pattern is costly; most criteria name no grade
    out = []
    for m in _GRADE.finditer(text, start, end):
        around = text[max(start, m.start() - 40):min(end, m.end() + 25)]
        if m.group("diff"):
            word = m.group("diff").lower().split()[0].split("-")[0]
            out.append((m.start(), m.end(), {"system": None, "values": _DIFF.get(word, [])}))
            continue
        if _TOXICITY.search(around):
            continue
        if not m.group("system") and not _TUMOUR.search(text, start, end):
            continue  # a grade without a grading system, in a criterion naming no tumour
        if m.group("g1"):
            lo, hi = int(m.group("g1")), int(m.group("g2") or m.group("g1"))
            system = None
        else:
            lo = _num(m.group("a"))
            hi = _num(m.group("b")) if m.group("b") else lo
            system = m.group("system").upper().replace("GI-", "").replace("GI", "") if m.group("system") else None
        start_at = m.start() if m.group("system") or m.group("g1") else m.start() + len(m.group()) - len(m.group().lstrip())
        out.append((start_at, m.end(), {"system": system or None, "values": list(range(min(lo, hi), max(lo, hi) + 1))}))
    return out


@Language.factory("elig_grade")
def make_grade(nlp: Language, name: str):
    return GradeFacts()


class GradeFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        for item in doc._.criteria or []:
            for a, b, fields in find_grades(text, item.start, item.end):
                item.facts.append(Draft("grade", a, b, fields))
        return doc
