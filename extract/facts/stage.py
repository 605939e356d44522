"""Stage: systems (AJCC, ENETS, UICC, TNM, BCLC, Ann Arbor, FIGO), stages ("stage 4", "stage
IIIB-IV"), TNM strings ("T1-2N0M0") and extent words ("metastatic", "locally advanced",
"unresectable")."""
import re

from spacy.language import Language
from spacy.tokens import Doc

from .base import Batched, Draft

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}
_SYSTEM = r"(?P<system>(?:ENETS|AJCC|UICC|TNM|BCLC|FIGO|Ann\s+Arbor|IASLC|ISS|R-ISS)(?:\s*/\s*(?:ENETS|AJCC|UICC|TNM))?)"
_STAGE = re.compile(
    rf"(?:{_SYSTEM}\s*(?:\(?\s*\d+(?:st|nd|rd|th)\s+edition\s*\)?\s*)?)?(?:clinical\s+|pathologic(?:al)?\s+)?stages?\s*:?\s*"
    r"(?P<value>(?:IV|I{1,3}|[0-4])[ABC]?\d?(?:\s*(?:-|–|to|or|/)\s*(?:IV|I{1,3}|[0-4])[ABC]?\d?)?)(?![A-Za-z0-9])"
    r"|(?P<bclc>BCLC\s+(?:stage\s+)?(?P<bv>[0ABCD])\b)", re.I)
_TNM = re.compile(r"(?<![A-Za-z0-9])(?P<tnm>[cpy]?T(?:[0-4][a-d]?|is|x)(?:\s*-\s*[0-4][a-d]?)?\s*N(?:[0-3][a-c]?|x)(?:\s*-\s*[0-3])?\s*(?:M[01][a-c]?|Mx)?)(?![A-Za-z0-9])")
_EXTENT = re.compile(r"\b(?P<extent>metastatic|metastasi[sz]ed|non-?metastatic|locally\s+advanced|advanced|unresectable|"
                     r"inoperable|(?:borderline\s+)?resectable|oligometastatic|disseminated|limited[- ]stage|extensive[- ]stage)\b"
                     r"(?!\s+(?:age|maternal|directives?|care\s+planning|practice))", re.I)


_CUES = ("stage", "metasta", "advanced", "resect", "operable", "dissemin", "limited", "extensive", "bclc")
_TNM_CUE = re.compile(r"T(?:[0-4x]|is)")


def find_stages(text: str, start: int, end: int) -> list[tuple[int, int, dict]]:
    low = text[start:end].lower()
    if not any(c in low for c in _CUES) and not _TNM_CUE.search(text, start, end):
        return []  # no stage word: skip the patterns
    found = []
    for m in _STAGE.finditer(text, start, end):
        if m.group("bclc"):
            found.append((m.start(), m.end(), {"system": "BCLC", "value": m.group("bv").upper(), "metastatic": None}))
            continue
        value = re.sub(r"\s+", "", m.group("value")).upper().replace("TO", "-").replace("–", "-")
        value = re.sub(r"(?<![IV])([1-4])", lambda x: _ROMAN[x.group(1)], value)
        system = re.sub(r"\s+", " ", m.group("system")).upper().replace(" / ", "/").replace("ANN ARBOR", "Ann Arbor") if m.group("system") else None
        found.append((m.start(), m.end(), {"system": system, "value": value, "metastatic": True if value.startswith("IV") else None}))
    for m in _TNM.finditer(text, start, end):
        tnm = re.sub(r"\s+", "", m.group("tnm"))
        found.append((m.start(), m.end(), {"system": "TNM", "value": tnm, "metastatic": True if "M1" in tnm else (False if "M0" in tnm else None)}))
    for m in _EXTENT.finditer(text, start, end):
        word = m.group("extent").lower()
        metastatic = True if word.startswith(("metasta", "oligometa", "dissem")) else (False if word.startswith("non") else None)
        found.append((m.start(), m.end(), {"system": None, "value": None, "metastatic": metastatic, "_extent": word}))
    found.sort(key=lambda x: x[0])
    out = []
    for a, b, f in found:  # "metastatic (stage 4)": the extent word joins the stage next to it
        if out and a - out[-1][1] <= 3 and "_extent" in out[-1][2] and "_extent" not in f:
            pa, _, pf = out.pop()
            f["metastatic"] = f["metastatic"] if f["metastatic"] is not None else pf["metastatic"]
            a = pa
        out.append((a, b, f))
    return [(a, b, {k: v for k, v in f.items() if not k.startswith("_")}) for a, b, f in out]


@Language.factory("elig_stage")
def make_stage(nlp: Language, name: str):
    return StageFacts()


class StageFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        for item in doc._.criteria or []:
            for a, b, fields in find_stages(text, item.start, item.end):
                item.facts.append(Draft("stage", a, b, fields))
        return doc
