"""Imaging: modality, tracer, contrast and time window ("PET-DOTATOC performed within 4 months
prior to inclusion", "contrast-enhanced CT", "CT/MRI/18F-FDG-PET"). Vocabulary: data/imaging.json."""
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..data_files import load_json
from ..windows import find_window
from .base import Batched, Draft

_NUCLEAR = {"PET", "PET/CT", "PET/MRI", "SPECT", "scintigraphy"}  # the modalities a tracer belongs to
_JOIN = re.compile(r"[\s/-]*(?:scan|imaging)?[\s-]*$", re.I)  # what may stand between a tracer and its modality


def _alternation(table: dict[str, list[str]], case_sensitive_prefix: str = "") -> tuple[re.Pattern, list[str]]:
    """One regex for a whole vocabulary (one pass over the text), with the name of each branch.
    Branches starting with ``case_sensitive_prefix`` match as written ("CT", "MRI"); the rest in any case."""
    names, branches = [], []
    for name, patterns in table.items():
        for p in patterns:
            body = p if case_sensitive_prefix and p.startswith(case_sensitive_prefix) else f"(?i:{p})"
            branches.append(f"(?P<b{len(names)}>{body})")
            names.append(name)
    return re.compile("|".join(branches)), names


@lru_cache(maxsize=1)
def _vocab():
    spec = load_json("imaging.json")
    tracers = _alternation(spec["tracers"])
    modalities = _alternation(spec["modalities"], case_sensitive_prefix="(?<![A-Za-z])")
    return (tracers, modalities, re.compile(spec["contrast"], re.I), spec["modality_for_tracer"],
            re.compile(spec["tracer_context"], re.I))


def _find(vocab: tuple[re.Pattern, list[str]], text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    rx, names = vocab
    return [(m.start(), m.end(), names[int(m.lastgroup[1:])]) for m in rx.finditer(text, start, end)]


def _non_overlapping(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for a, b, name in sorted(found, key=lambda x: (x[0], -(x[1] - x[0]))):
        if not out or a >= out[-1][1]:
            out.append((a, b, name))
    return out


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    cues = load_json("imaging.json")["cues"]
    return tuple(cues["as_written"]), tuple(cues["any_case"])


def find_imaging(text: str, start: int, end: int) -> list[dict]:
    """Imaging mentions in ``text[start:end]``: each a dict with start, end, modality, tracer, contrast."""
    piece = text[start:end]
    as_written, any_case = _cues()
    if not any(c in piece for c in as_written):
        low = piece.lower()
        if not any(c in low for c in any_case):
            return []  # the vocabulary's regexes are the costliest part of the pipeline: skip them
    tracers, modalities, contrast, modality_for, tracer_context = _vocab()
    t_found = _non_overlapping(_find(tracers, text, start, end))
    m_found = _non_overlapping([f for f in _find(modalities, text, start, end)
                                if not any(a <= f[0] < b for a, b, _ in t_found)])
    out = []
    used = set()
    for a, b, modality in m_found:
        mention = {"start": a, "end": b, "modality": modality, "tracer": None, "contrast": None}
        for i, (ta, tb, tracer) in enumerate(t_found):  # "68Ga-DOTA-PET", "PET-DOTATOC"
            if modality not in _NUCLEAR:
                break
            if i not in used and ((tb <= a and _JOIN.fullmatch(text[tb:a])) or (ta >= b and _JOIN.fullmatch(text[b:ta]))):
                mention.update(start=min(a, ta), end=max(b, tb), tracer=tracer)
                used.add(i)
                break
        out.append(mention)
    imaging_talk = bool(tracer_context.search(text, start, end))
    for i, (ta, tb, tracer) in enumerate(t_found):
        if i not in used and imaging_talk:  # a tracer on its own implies its modality
            out.append({"start": ta, "end": tb, "modality": modality_for.get(tracer, "PET"), "tracer": tracer, "contrast": None})
    for mention in out:  # "contrast-enhanced CT", "MRI with contrast": the cue must touch the mention
        for c in contrast.finditer(text, max(start, mention["start"] - 30), min(end, mention["end"] + 25)):
            if 0 <= mention["start"] - c.end() <= 2 or 0 <= c.start() - mention["end"] <= 2 or \
                    (c.start() <= mention["start"] and mention["end"] <= c.end()):
                mention["contrast"] = True
                mention["start"], mention["end"] = min(mention["start"], c.start()), max(mention["end"], c.end())
    out.sort(key=lambda m: m["start"])
    merged: list[dict] = []
    for m in out:  # "FluDeoxyGlucose-Positron emission tomography (FDG-PET)": one mention
        prev = merged[-1] if merged else None
        if prev and (prev["modality"], prev["tracer"]) == (m["modality"], m["tracer"]) \
                and text[prev["end"]:m["start"]].strip() in ("(", "[", "/"):
            close = text.find(")", m["end"], m["end"] + 2)
            prev["end"] = close + 1 if close >= 0 else m["end"]
            continue
        merged.append(m)
    return merged


@Language.factory("elig_imaging")
def make_imaging(nlp: Language, name: str):
    return ImagingFacts()


class ImagingFacts(Batched):
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        for item in doc._.criteria or []:
            mentions = find_imaging(text, item.start, item.end)
            for k, m in enumerate(mentions):
                stop = mentions[k + 1]["start"] if k + 1 < len(mentions) else item.end
                win = find_window(text, m["end"], min(stop, m["end"] + 60))
                end = m["end"]
                fields = {"modality": m["modality"], "tracer": m["tracer"], "contrast": m["contrast"], "window": None}
                if win:
                    fields["window"], end = win[0], win[2]
                item.facts.append(Draft("imaging", m["start"], end, fields))
        return doc
