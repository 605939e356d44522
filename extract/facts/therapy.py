"""Prior and concomitant therapies and procedures with class and window: "Previous treatment with
PRRT", "Concomitant systemic anti-tumor therapy other than somatostatin analogue (SSA)", "Major
non-pancreatic surgery within 4 weeks prior to study treatment start". A therapy named as an
exception ("other than SSA") stays in the fact it qualifies; one named as a time reference
("at least 28 days prior the PRRT") is not a fact. Classes and cues: data/therapies.json."""
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_json
from ..windows import find_window
from .base import Batched, Draft, merge_restatements, criteria

_EXCEPTION = re.compile(r"(?:other\s+than|except(?:\s+for)?|excluding|apart\s+from|besides|but\s+not|with\s+the\s+exception\s+of)\s+(?:\w+\s+){0,3}$", re.I)
_REFERENCE = re.compile(r"(?:prior|before|after|following|since|until)\s+(?:to\s+)?the\s+(?:first\s+(?:dose|cycle)\s+of\s+)?(?:start\s+of\s+)?$", re.I)
_LOOK = 60


@lru_cache(maxsize=1)
def _spec():
    spec = load_json("therapies.json")
    return set(spec["procedure_classes"]), re.compile(spec["prior_cues"], re.I), re.compile(spec["concomitant_cues"], re.I)


_LIST = re.compile(r"[^.;]{0,60}?(?:,|\bor\b|\band\b|/)[^.;]{0,40}", re.I)


@Language.factory("elig_therapy")
def make_therapy(nlp: Language, name: str):
    return TherapyFacts()


class TherapyFacts(Batched):
    @staticmethod
    def _kind(cls: str, before: str, after: str):
        """The fact type and its cue: the cue nearest before the therapy, else the first after it."""
        procedures, prior_cues, concomitant_cues = _spec()
        if cls in procedures:
            cues = [m for rx in (prior_cues, concomitant_cues) for m in rx.finditer(before)]
            return "procedure", (min(cues, key=lambda m: m.start()) if cues else None)
        cues = [(m.end(), "prior_therapy", m) for m in prior_cues.finditer(before)] + \
               [(m.end(), "concomitant_therapy", m) for m in concomitant_cues.finditer(before)]
        if cues:
            _, kind, cue = max(cues, key=lambda c: c[0])
            return kind, cue
        later = [(m.start(), "prior_therapy") for m in prior_cues.finditer(after)] + \
                [(m.start(), "concomitant_therapy") for m in concomitant_cues.finditer(after)]
        if later:
            return min(later)[1], None
        return None, None

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        for item, ents in criteria(doc):
            mentions = merge_restatements(text, [e for e in ents if e.label_ == "THERAPY"], "THERAPY")
            last = None
            for k, ent in enumerate(mentions):
                # cues of the fact before ("... 28 days prior the PRRT or ...") are not this one's
                floor = max(item.start, ent.start_char - _LOOK, last.end if last is not None else 0)
                before = text[floor:ent.start_char]
                if _EXCEPTION.search(text[max(item.start, ent.start_char - _LOOK):ent.start_char]):
                    if last is not None:  # the exception belongs to the fact it qualifies
                        last.end = max(last.end, ent.end_char)
                    continue
                if _REFERENCE.search(before[-25:]):
                    continue
                cls = ent.ent_id_
                after = text[ent.end_char:min(item.end, ent.end_char + 80)]
                kind, cue = self._kind(cls, before, after)
                if kind is None and last is not None and _LIST.fullmatch(text[last.end:ent.start_char]):
                    kind = last.type  # "Prior EBRT ... or liver SIRT within 12 weeks": one cue for the list
                if kind is None:
                    # a washout says it all: "Radiotherapy to ... within 4 weeks before the first dose"
                    washout = find_window(text, ent.end_char, min(item.end, ent.end_char + 80))
                    if washout and washout[0]["relation"] in ("within", "before", "at_least"):
                        kind = "prior_therapy"
                if kind is None:
                    continue
                start = ent.start_char  # the fact starts at its cue ("Previous treatment with PRRT")
                if cue is not None:
                    cue_at = ent.start_char - len(before) + cue.start()
                    if not any(cue_at <= m.start_char < ent.start_char for m in mentions[:k]):
                        start = cue_at
                stop = mentions[k + 1].start_char if k + 1 < len(mentions) else item.end
                win = find_window(text, ent.end_char, item.end)
                end, window = ent.end_char, None
                if win and (win[1] - ent.end_char < 80):
                    window, end = win[0], (win[2] if win[1] < stop else end)
                last = Draft(kind, start, end, {"name": ent.text, "class": cls, "window": window})
                item.facts.append(last)
        return doc
