"""Scoring `elig extract` output against gold, into a typed `Report`.

Two kinds of gold:

* ``gold``: contract gold files (annotations/GUIDELINE.md, read with `eval.gold`): criterion
  segmentation, section/polarity, categories, facts of every type and per-key agreement;
* ``brat``: LCT BRAT ``.ann``/``.txt`` pairs, scored for numeric facts (age, lab,
  performance_status) by `eval.numeric`.

Trials are matched by ``trial_id``. A gold trial with no prediction is *missing* (all its gold
counts as false negatives); a predicted trial with no gold is *unknown* (listed, not scored).
"""
from __future__ import annotations

import json
import math
import warnings as _warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal, Optional

import numpy as np
from pydantic import BaseModel, Field

from eval.align import MATCH_RATIO, align, greedy
from eval.gold import Gold, gold_files, load_gold
from eval.metrics import (Bootstrap, Counts, accuracy, accuracy_array, f1_array, kappa,
                          macro, macro_f1_array, micro, multilabel_counts)
from eval.numeric import same_values
from extract.models import CATEGORIES, Trial

# ---------------------------------------------------------------- what a strict fact match needs

NUMERIC = ("comparator", "value", "value_high")  # values equal within 1e-6 relative (eval.numeric)
THERAPY = ("class", "window")
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "age": NUMERIC,
    "lab": NUMERIC + ("analyte",),
    "performance_status": NUMERIC + ("scale",),
    "ctcae_grade": NUMERIC + ("event",),
    "life_expectancy": NUMERIC, "bmi": NUMERIC, "lvef": NUMERIC, "qtc": NUMERIC,
    "ki67": NUMERIC, "nyha_class": NUMERIC,
    "sex": ("value",),
    "imaging": ("modality", "tracer"),
    "stage": ("value", "metastatic"),
    "grade": ("values",),
    # `normalized`, or the name lower-cased when the gold `normalized` is null
    "histology": ("normalized",), "condition": ("normalized",),
    "prior_therapy": THERAPY, "concomitant_therapy": THERAPY, "procedure": THERAPY,
    "measurable_disease": ("standard",),
    "pregnancy": (), "lactation": (), "contraception": (), "consent": (),
}
NUMERIC_TYPES = frozenset(t for t, keys in KEY_FIELDS.items() if keys[:3] == NUMERIC)
BRAT_TYPES = ("age", "lab", "performance_status")
UNORDERED = ("values", "allowed")  # lists compared as sets
NOT_KEYS = ("type", "text", "span")

HEADLINE_FIXED = ("segmentation_f1_exact", "segmentation_f1_overlap", "section_accuracy",
                  "polarity_accuracy", "category_micro_f1", "category_macro_f1",
                  "fact_strict_f1", "fact_relaxed_f1")


def headline_names() -> list[str]:
    """Every headline metric name a report may carry (``fact_strict_f1.<type>`` per fact type)."""
    return list(HEADLINE_FIXED) + [f"fact_strict_f1.{t}" for t in KEY_FIELDS]


def same(a: Any, b: Any) -> bool:
    """Equality for fact values: numbers within 1e-6 relative, strings case- and
    whitespace-insensitive, dicts and lists element by element, booleans as booleans."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-6)
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    if isinstance(a, dict) and isinstance(b, dict):
        return all(same(a.get(k), b.get(k)) for k in set(a) | set(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def key_agrees(key: str, gold: dict, pred: dict) -> bool:
    """Do a gold and a predicted fact (contract dicts) agree on ``key``?"""
    g, p = gold.get(key), pred.get(key)
    if key == "normalized" and gold["type"] in ("histology", "condition") and g is None:
        return same((gold.get("name") or "").lower(), (pred.get("name") or "").lower())
    if key in UNORDERED and isinstance(g, list) and isinstance(p, list):
        return same(sorted(g), sorted(p))
    return same(g, p)


def differing_keys(gold: dict, pred: dict) -> list[str]:
    """The strict key fields (KEY_FIELDS) on which the two facts disagree."""
    keys = KEY_FIELDS.get(gold["type"], ())
    out = []
    if gold["type"] in NUMERIC_TYPES:
        if not same_values(SimpleNamespace(**{k: gold.get(k) for k in NUMERIC}),
                           SimpleNamespace(**{k: pred.get(k) for k in NUMERIC})):
            out += [k for k in NUMERIC if not same(gold.get(k), pred.get(k))] or ["value"]
        keys = keys[3:]
    return out + [k for k in keys if not key_agrees(k, gold, pred)]


def strict_match(gold: dict, pred: dict) -> bool:
    return gold["type"] == pred["type"] and not differing_keys(gold, pred)


# ---------------------------------------------------------------- the report


class PRF(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    ci: Optional[tuple[float, float]] = None  # bootstrap 95% CI of f1

    @classmethod
    def of(cls, c: Counts, ci=None) -> "PRF":
        return cls(tp=c.tp, fp=c.fp, fn=c.fn, precision=c.precision, recall=c.recall, f1=c.f1, ci=ci)


class Accuracy(BaseModel):
    correct: int = 0
    total: int = 0
    accuracy: Optional[float] = None  # None when nothing was compared
    ci: Optional[tuple[float, float]] = None


class Headline(BaseModel):
    value: Optional[float] = None
    ci: Optional[tuple[float, float]] = None


class Segmentation(BaseModel):
    gold: int
    pred: int
    exact: PRF
    overlap: PRF  # one-to-one matches with overlap / longer span >= 0.5
    split: int  # gold criteria covered by >= 2 predicted ones
    merged: int  # predicted criteria covering >= 2 gold ones


class LabelScore(PRF):
    support: int = 0  # gold criteria with the label
    kappa: Optional[float] = None  # Cohen's κ over matched criteria


class Macro(BaseModel):
    precision: float
    recall: float
    f1: float
    ci: Optional[tuple[float, float]] = None


class Categories(BaseModel):
    labels: dict[str, LabelScore]
    micro: PRF
    macro: Macro
    # gold label -> predicted label -> count over matched criteria; "—" is "no label" (see notes)
    confusion: dict[str, dict[str, int]]


class FactScore(BaseModel):
    gold: int = 0
    pred: int = 0
    strict: PRF = Field(default_factory=PRF)
    relaxed: PRF = Field(default_factory=PRF)
    ignored_gold: int = 0  # brat: gold thresholds the contract cannot express
    ignored_pred: int = 0


class KeyAgreement(BaseModel):
    agree: int = 0
    total: int = 0
    accuracy: Optional[float] = None


class CriterionRef(BaseModel):
    id: str
    span: tuple[int, int]
    text: str
    section: Optional[str] = None
    categories: list[str] = Field(default_factory=list)


class CriterionError(BaseModel):
    kind: Literal["missed", "spurious", "split", "merged"]
    trial_id: str
    field: str
    gold: list[CriterionRef] = Field(default_factory=list)
    pred: list[CriterionRef] = Field(default_factory=list)


class FactError(BaseModel):
    """A strict fact error: ``missed`` (FN), ``spurious`` (FP) or ``mismatch`` (an FN and an FP of
    the same type with overlapping spans, i.e. a relaxed match that fails on ``differs``)."""

    kind: Literal["missed", "spurious", "mismatch"]
    trial_id: str
    field: str
    type: str
    criterion: str  # text of the gold criterion (the predicted one for a spurious fact)
    criterion_span: Optional[tuple[int, int]] = None
    pred_criterion: Optional[str] = None  # text of the predicted criterion of a mismatch
    pred_criterion_span: Optional[tuple[int, int]] = None
    gold: Optional[dict[str, Any]] = None
    pred: Optional[dict[str, Any]] = None
    differs: list[str] = Field(default_factory=list)


class TrialRow(BaseModel):
    trial_id: str
    status: Literal["scored", "missing"]
    gold_criteria: Optional[int] = None
    pred_criteria: Optional[int] = None
    segmentation_f1_overlap: Optional[float] = None
    gold_facts: int = 0
    pred_facts: int = 0
    fact_strict_f1: float = 0.0


class FloorCheck(BaseModel):
    metric: str
    floor: float
    value: Optional[float] = None
    status: Literal["ok", "below", "not computed"]


class Report(BaseModel):
    format: Literal["gold", "brat"]
    gold_path: str = ""
    pred_path: str = ""
    gold_trials: int
    scored_trials: int
    missing: list[str]  # gold trials without a prediction: all their gold counts as FN
    unknown: list[str]  # predicted trials without gold: not scored
    bootstrap: int
    seed: int
    headline: dict[str, Headline]
    segmentation: Optional[Segmentation] = None
    section: Optional[Accuracy] = None
    polarity: Optional[Accuracy] = None
    negated: Optional[Accuracy] = None
    categories: Optional[Categories] = None
    facts: dict[str, FactScore]
    facts_overall: FactScore
    field_accuracy: dict[str, KeyAgreement]
    field_accuracy_by_type: dict[str, dict[str, KeyAgreement]]
    criterion_errors: list[CriterionError] = Field(default_factory=list)
    fact_errors: list[FactError] = Field(default_factory=list)
    trials: list[TrialRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    floors: list[FloorCheck] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json(indent=1)


NOTES_GOLD = [
    "Criteria are aligned per trial and field. Exact: identical spans. Overlap: one-to-one, greedy "
    f"by overlap / length of the longer span, kept when >= {MATCH_RATIO}.",
    "Split: a gold criterion with >= 2 non-overlapping predicted criteria each lying mostly inside "
    "it; merged: a predicted criterion with >= 2 non-overlapping gold criteria mostly inside it.",
    "Section, polarity and negation accuracy are over overlap-matched criteria.",
    "Categories: multi-label counts over overlap-matched criteria; an unmatched gold criterion "
    "counts its labels as FN, an unmatched predicted one as FP. Macro averages run over labels "
    "seen on either side. Confusion: per matched pair, shared labels on the diagonal, each missed "
    "gold label against each spurious predicted label, '—' when the other side has none.",
    "Facts are matched per trial and field, one-to-one, greedy by overlapping characters: strict "
    "pairs first, then relaxed pairs among the facts left (so every strict match is a relaxed one). "
    "Relaxed: same type and overlapping spans. Strict: also equal key fields (comparator and values within "
    "1e-6 relative, 'between' bounds as a set; analyte, scale, event, value, modality, tracer, "
    "metastatic, values, normalized (or name), class, window, standard by type). Strings compare "
    "case-insensitively.",
    "Per-key agreement is over relaxed-matched fact pairs.",
    "Confidence intervals: percentile bootstrap (95%) over gold trials, same resamples for all.",
]
NOTES_BRAT = [
    "LCT BRAT gold: numeric facts (age, lab, performance_status) scored by eval.numeric. Strict: "
    "same type, overlapping spans, same comparator and values; relaxed: type and overlap. Gold "
    "thresholds the contract cannot express are ignored together with an overlapping prediction.",
    "Per-key agreement (comparator, value, value_high) is over strict matches and mismatch pairs.",
    "Confidence intervals: percentile bootstrap (95%) over gold trials, same resamples for all.",
]


# ---------------------------------------------------------------- loading


def load_gold_trials(path: str | Path) -> tuple[dict[str, Gold], list[str]]:
    """Gold files under ``path`` (a folder or a file) by trial id; raises ValueError on a bad file."""
    out: dict[str, Gold] = {}
    notes = []
    files = gold_files([path])
    if not files:
        raise ValueError(f"{path}: no gold .json files")
    for f in files:
        g = load_gold(f)
        if g.trial.trial_id in out:
            notes.append(f"{f}: trial {g.trial.trial_id} read already from {out[g.trial.trial_id].path}, skipped")
            continue
        out[g.trial.trial_id] = g
    return out, notes


def load_predictions(path: str | Path) -> tuple[dict[str, Trial], list[str]]:
    """Contract trials by id from a JSON Lines file (or, for agreement between annotators, from
    gold files: a folder or a ``.json`` file). Raises ValueError naming the line of a bad record."""
    path = Path(path)
    if path.is_dir() or path.suffix == ".json":
        gold, notes = load_gold_trials(path)
        return {tid: g.trial for tid, g in gold.items()}, notes
    out: dict[str, Trial] = {}
    notes = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                trial = Trial.model_validate_json(line)
            except Exception as exc:
                raise ValueError(f"{path} line {n}: not a contract trial: "
                                 f"{' '.join(str(exc).split())[:300]}") from exc
            if trial.trial_id in out:
                notes.append(f"{path} line {n}: trial {trial.trial_id} written twice, first kept")
                continue
            out[trial.trial_id] = trial
    return out, notes


# ---------------------------------------------------------------- per-trial tallies


@dataclass
class Tally:
    """Counts of one trial (or of all): the rows the bootstrap resamples."""

    seg_exact: Counts = field(default_factory=Counts)
    seg_overlap: Counts = field(default_factory=Counts)
    split: int = 0
    merged: int = 0
    section: list[int] = field(default_factory=lambda: [0, 0])  # correct, total
    polarity: list[int] = field(default_factory=lambda: [0, 0])
    negated: list[int] = field(default_factory=lambda: [0, 0])
    labels: dict[str, Counts] = field(default_factory=dict)
    strict: dict[str, Counts] = field(default_factory=dict)
    relaxed: dict[str, Counts] = field(default_factory=dict)
    gold_facts: dict[str, int] = field(default_factory=Counter)
    pred_facts: dict[str, int] = field(default_factory=Counter)
    ignored: dict[str, list[int]] = field(default_factory=dict)  # brat: type -> [gold, pred]

    def add(self, o: "Tally") -> None:
        self.seg_exact.add(o.seg_exact)
        self.seg_overlap.add(o.seg_overlap)
        self.split += o.split
        self.merged += o.merged
        for name in ("section", "polarity", "negated"):
            mine, theirs = getattr(self, name), getattr(o, name)
            mine[0] += theirs[0]
            mine[1] += theirs[1]
        for name in ("labels", "strict", "relaxed"):
            mine = getattr(self, name)
            for k, c in getattr(o, name).items():
                mine.setdefault(k, Counts()).add(c)
        self.gold_facts.update(o.gold_facts)
        self.pred_facts.update(o.pred_facts)
        for k, (g, p) in o.ignored.items():
            mine = self.ignored.setdefault(k, [0, 0])
            mine[0] += g
            mine[1] += p

    def facts_total(self, which: str) -> Counts:
        return micro(getattr(self, which))


def _count(c: Counts) -> list[int]:
    return [c.tp, c.fp, c.fn]


@dataclass
class _Fact:
    data: dict  # the contract fact (aliases: "class")
    criterion: Any  # extract.models.Criterion

    @property
    def span(self) -> tuple[int, int]:
        return tuple(self.data["span"])


def _ref(c) -> CriterionRef:
    return CriterionRef(id=c.id, span=tuple(c.span), text=c.text, section=c.section,
                        categories=list(c.categories))


class _Collector:
    """Everything summed over trials that is not a per-trial count."""

    def __init__(self):
        self.confusion: dict[str, Counter] = {}
        self.kappa_pairs: list[tuple[set, set]] = []
        self.keys: dict[str, dict[str, list[int]]] = {}  # type -> key -> [agree, total]
        self.criterion_errors: list[CriterionError] = []
        self.fact_errors: list[FactError] = []

    def agree(self, ftype: str, key: str, ok: bool, times: int = 1) -> None:
        cell = self.keys.setdefault(ftype, {}).setdefault(key, [0, 0])
        cell[0] += ok * times
        cell[1] += times

    def confuse(self, gold: set, pred: set) -> None:
        for label in gold & pred:
            self.confusion.setdefault(label, Counter())[label] += 1
        missed, extra = sorted(gold - pred), sorted(pred - gold)
        for g in missed:
            for p in extra or ["—"]:
                self.confusion.setdefault(g, Counter())[p] += 1
        if not missed:
            for p in extra:
                self.confusion.setdefault("—", Counter())[p] += 1


def _score_facts(tid: str, fld: str, gold: list[_Fact], pred: list[_Fact], tally: Tally,
                 col: _Collector) -> None:
    """Strict pairs first (same type, overlap, equal key fields), then relaxed pairs (same type,
    overlap) among the rest: the relaxed matching extends the strict one, and its extra pairs are
    the ``mismatch`` errors."""
    gspans, pspans = [g.span for g in gold], [p.span for p in pred]

    def same_type(i, j):
        return gold[i].data["type"] == pred[j].data["type"]

    strict = greedy(gspans, pspans, lambda i, j, ov: ov if same_type(i, j)
                    and strict_match(gold[i].data, pred[j].data) else None)
    used_g, used_p = {i for i, _ in strict}, {j for _, j in strict}
    fn = [i for i in range(len(gold)) if i not in used_g]
    fp = [j for j in range(len(pred)) if j not in used_p]
    near = [(fn[a], fp[b]) for a, b in greedy([gspans[i] for i in fn], [pspans[j] for j in fp],
                                              lambda a, b, ov: ov if same_type(fn[a], fp[b]) else None)]
    relaxed = strict + near
    n_gold = Counter(f.data["type"] for f in gold)
    n_pred = Counter(f.data["type"] for f in pred)
    tally.gold_facts.update(n_gold)
    tally.pred_facts.update(n_pred)
    for pairs, counts in ((strict, tally.strict), (relaxed, tally.relaxed)):
        tp = Counter(gold[i].data["type"] for i, _ in pairs)
        for t in n_gold | n_pred:
            counts.setdefault(t, Counts()).add(Counts(tp[t], n_pred[t] - tp[t], n_gold[t] - tp[t]))
    for i, j in relaxed:
        g, p = gold[i].data, pred[j].data
        for key in sorted((set(g) | set(p)) - set(NOT_KEYS)):
            col.agree(g["type"], key, key_agrees(key, g, p))
    for i, j in near:
        g, p = gold[i], pred[j]
        col.fact_errors.append(FactError(
            kind="mismatch", trial_id=tid, field=fld, type=g.data["type"], criterion=g.criterion.text,
            criterion_span=g.criterion.span, pred_criterion=p.criterion.text,
            pred_criterion_span=p.criterion.span, gold=g.data, pred=p.data,
            differs=differing_keys(g.data, p.data)))
    paired_g, paired_p = {i for i, _ in near}, {j for _, j in near}
    for i in fn:
        if i not in paired_g:
            g = gold[i]
            col.fact_errors.append(FactError(kind="missed", trial_id=tid, field=fld,
                                             type=g.data["type"], criterion=g.criterion.text,
                                             criterion_span=g.criterion.span, gold=g.data))
    for j in fp:
        if j not in paired_p:
            p = pred[j]
            col.fact_errors.append(FactError(kind="spurious", trial_id=tid, field=fld,
                                             type=p.data["type"], criterion=p.criterion.text,
                                             criterion_span=p.criterion.span, pred=p.data))


def _facts_of(criteria) -> list[_Fact]:
    out = [_Fact(f.model_dump(mode="json", by_alias=True), c) for c in criteria for f in c.facts]
    return sorted(out, key=lambda f: f.span)


def _score_trial(gold: Gold, pred: Optional[Trial], col: _Collector, notes: list[str]) -> Tally:
    tally = Tally()
    tid = gold.trial.trial_id
    pred_criteria = pred.criteria if pred is not None else []
    fields = sorted({c.field for c in gold.trial.criteria} | {c.field for c in pred_criteria})
    bad_text = 0
    for fld in fields:
        G = [c for c in gold.trial.criteria if c.field == fld]
        P = [c for c in pred_criteria if c.field == fld]
        source = gold.fields.get(fld)
        if source is not None:
            bad_text += sum(1 for c in P if source[c.span[0]:c.span[1]] != c.text)
        al = align([c.span for c in G], [c.span for c in P])
        for pairs, counts in ((al.exact, tally.seg_exact), (al.matched, tally.seg_overlap)):
            counts.add(Counts(len(pairs), len(P) - len(pairs), len(G) - len(pairs)))
        tally.split += len(al.split)
        tally.merged += len(al.merged)
        label_pairs = []
        for i, j in al.matched:
            g, p = G[i], P[j]
            for name, a, b in (("section", g.section, p.section), ("polarity", g.polarity, p.polarity),
                               ("negated", g.negated, p.negated)):
                cell = getattr(tally, name)
                cell[0] += a == b
                cell[1] += 1
            gl, pl = set(g.categories), set(p.categories)
            label_pairs.append((gl, pl))
            col.kappa_pairs.append((gl, pl))
            col.confuse(gl, pl)
        matched_g, matched_p = {i for i, _ in al.matched}, {j for _, j in al.matched}
        label_pairs += [(G[i].categories, ()) for i in range(len(G)) if i not in matched_g]
        label_pairs += [((), P[j].categories) for j in range(len(P)) if j not in matched_p]
        multilabel_counts(label_pairs, tally.labels)
        errs = col.criterion_errors
        errs += [CriterionError(kind="missed", trial_id=tid, field=fld, gold=[_ref(G[i])])
                 for i in range(len(G)) if i not in matched_g]
        errs += [CriterionError(kind="spurious", trial_id=tid, field=fld, pred=[_ref(P[j])])
                 for j in range(len(P)) if j not in matched_p]
        errs += [CriterionError(kind="split", trial_id=tid, field=fld, gold=[_ref(G[i])],
                                pred=[_ref(P[j]) for j in js]) for i, js in al.split]
        errs += [CriterionError(kind="merged", trial_id=tid, field=fld, pred=[_ref(P[j])],
                                gold=[_ref(G[i]) for i in js]) for j, js in al.merged]
        if gold.scope == "full":  # category-only gold says nothing of facts
            _score_facts(tid, fld, _facts_of(G), _facts_of(P), tally, col)
    if bad_text:
        notes.append(f"{tid}: {bad_text} predicted criteria whose text is not the gold field text at "
                     "their span (was the prediction made from another version of the source?)")
    return tally


# ---------------------------------------------------------------- headline numbers and CIs


def _headline(tallies: list[Tally], total: Tally, boot: Bootstrap, fmt: str,
              fact_types: list[str]) -> dict[str, Headline]:
    out: dict[str, Headline] = {}

    def f1_metric(name, point: Counts, rows):
        out[name] = Headline(value=point.f1, ci=boot.ci(np.array(rows, dtype=float).reshape(len(tallies), 3), f1_array))

    def acc_metric(name, point: list[int], rows):
        out[name] = Headline(value=accuracy(*point),
                             ci=boot.ci(np.array(rows, dtype=float).reshape(len(tallies), 2), accuracy_array)
                             if point[1] else None)

    if fmt == "gold":
        f1_metric("segmentation_f1_exact", total.seg_exact, [_count(t.seg_exact) for t in tallies])
        f1_metric("segmentation_f1_overlap", total.seg_overlap, [_count(t.seg_overlap) for t in tallies])
        acc_metric("section_accuracy", total.section, [t.section for t in tallies])
        acc_metric("polarity_accuracy", total.polarity, [t.polarity for t in tallies])
        f1_metric("category_micro_f1", micro(total.labels), [_count(micro(t.labels)) for t in tallies])
        labels = sorted(total.labels)
        rows = np.array([[_count(t.labels.get(lb, Counts())) for lb in labels] for t in tallies],
                        dtype=float).reshape(len(tallies), len(labels), 3)
        out["category_macro_f1"] = Headline(value=macro(total.labels)[2],
                                            ci=boot.ci(rows, macro_f1_array) if labels else None)
    f1_metric("fact_strict_f1", total.facts_total("strict"), [_count(t.facts_total("strict")) for t in tallies])
    f1_metric("fact_relaxed_f1", total.facts_total("relaxed"), [_count(t.facts_total("relaxed")) for t in tallies])
    for t in fact_types:
        f1_metric(f"fact_strict_f1.{t}", total.strict.get(t, Counts()),
                  [_count(x.strict.get(t, Counts())) for x in tallies])
    return out


def _fact_scores(total: Tally, tallies: list[Tally], boot: Bootstrap, types: list[str]
                 ) -> tuple[dict[str, FactScore], FactScore]:
    def ci(which, t=None):
        rows = [_count(x.facts_total(which) if t is None else getattr(x, which).get(t, Counts()))
                for x in tallies]
        return boot.ci(np.array(rows, dtype=float).reshape(len(tallies), 3), f1_array)

    facts = {}
    for t in types:
        ig = total.ignored.get(t, [0, 0])
        facts[t] = FactScore(gold=total.gold_facts.get(t, 0), pred=total.pred_facts.get(t, 0),
                             strict=PRF.of(total.strict.get(t, Counts()), ci("strict", t)),
                             relaxed=PRF.of(total.relaxed.get(t, Counts()), ci("relaxed", t)),
                             ignored_gold=ig[0], ignored_pred=ig[1])
    overall = FactScore(gold=sum(total.gold_facts.values()), pred=sum(total.pred_facts.values()),
                        strict=PRF.of(total.facts_total("strict"), ci("strict")),
                        relaxed=PRF.of(total.facts_total("relaxed"), ci("relaxed")),
                        ignored_gold=sum(g for g, _ in total.ignored.values()),
                        ignored_pred=sum(p for _, p in total.ignored.values()))
    return facts, overall


def _key_tables(keys: dict[str, dict[str, list[int]]]
                ) -> tuple[dict[str, KeyAgreement], dict[str, dict[str, KeyAgreement]]]:
    overall: dict[str, list[int]] = {}
    by_type = {}
    for t in sorted(keys):
        by_type[t] = {}
        for k in sorted(keys[t]):
            a, n = keys[t][k]
            by_type[t][k] = KeyAgreement(agree=a, total=n, accuracy=accuracy(a, n))
            cell = overall.setdefault(k, [0, 0])
            cell[0] += a
            cell[1] += n
    return ({k: KeyAgreement(agree=a, total=n, accuracy=accuracy(a, n))
             for k, (a, n) in sorted(overall.items())}, by_type)


def _trial_row(tid: str, status: str, t: Tally, with_criteria: bool) -> TrialRow:
    return TrialRow(trial_id=tid, status=status,
                    gold_criteria=t.seg_overlap.tp + t.seg_overlap.fn if with_criteria else None,
                    pred_criteria=t.seg_overlap.tp + t.seg_overlap.fp if with_criteria else None,
                    segmentation_f1_overlap=t.seg_overlap.f1 if with_criteria else None,
                    gold_facts=sum(t.gold_facts.values()), pred_facts=sum(t.pred_facts.values()),
                    fact_strict_f1=t.facts_total("strict").f1)


def _sort_errors(col: _Collector) -> None:
    col.criterion_errors.sort(key=lambda e: (e.trial_id, e.field, (e.gold or e.pred)[0].span, e.kind))
    col.fact_errors.sort(key=lambda e: (e.trial_id, e.field, tuple((e.gold or e.pred)["span"]), e.kind))


def score_gold(gold: dict[str, Gold], pred: dict[str, Trial], n_boot: int = 1000, seed: int = 0,
               gold_path: str = "", pred_path: str = "", notes: Optional[list[str]] = None) -> Report:
    """Score contract predictions against gold files (all scores; see NOTES_GOLD)."""
    notes = list(notes or [])
    col = _Collector()
    ids = sorted(gold)
    partial = sum(1 for g in gold.values() if g.scope != "full")
    scope_note = [f"{partial} gold trials annotate criteria and categories only: their facts are not scored"] if partial else []
    tallies = [_score_trial(gold[tid], pred.get(tid), col, notes) for tid in ids]
    total = Tally()
    for t in tallies:
        total.add(t)
    boot = Bootstrap(len(ids), n_boot, seed)
    types = [t for t in KEY_FIELDS if total.gold_facts.get(t) or total.pred_facts.get(t)]
    types += sorted(t for t in set(total.gold_facts) | set(total.pred_facts) if t not in KEY_FIELDS)
    headline = _headline(tallies, total, boot, "gold", types)
    facts, overall = _fact_scores(total, tallies, boot, types)
    by_key, by_type = _key_tables(col.keys)

    def acc(cell, ci=None):
        return Accuracy(correct=cell[0], total=cell[1], accuracy=accuracy(*cell), ci=ci)

    support = Counter(lb for g in gold.values() for c in g.trial.criteria for lb in c.categories)
    labels = {}
    for lb in [x for x in CATEGORIES if x in total.labels] + sorted(set(total.labels) - set(CATEGORIES)):
        c = total.labels[lb]
        labels[lb] = LabelScore(**PRF.of(c).model_dump(), support=support.get(lb, 0),
                                kappa=kappa([lb in g for g, _ in col.kappa_pairs],
                                            [lb in p for _, p in col.kappa_pairs]))
    mp, mr, mf = macro(total.labels)
    _sort_errors(col)
    missing = [tid for tid in ids if tid not in pred]
    return Report(
        format="gold", gold_path=str(gold_path), pred_path=str(pred_path), gold_trials=len(ids),
        scored_trials=len(ids) - len(missing), missing=missing,
        unknown=sorted(set(pred) - set(gold)), bootstrap=n_boot, seed=seed, headline=headline,
        segmentation=Segmentation(
            gold=total.seg_exact.tp + total.seg_exact.fn, pred=total.seg_exact.tp + total.seg_exact.fp,
            exact=PRF.of(total.seg_exact, headline["segmentation_f1_exact"].ci),
            overlap=PRF.of(total.seg_overlap, headline["segmentation_f1_overlap"].ci),
            split=total.split, merged=total.merged),
        section=acc(total.section, headline["section_accuracy"].ci),
        polarity=acc(total.polarity, headline["polarity_accuracy"].ci),
        negated=acc(total.negated),
        categories=Categories(
            labels=labels, micro=PRF.of(micro(total.labels), headline["category_micro_f1"].ci),
            macro=Macro(precision=mp, recall=mr, f1=mf, ci=headline["category_macro_f1"].ci),
            confusion={g: dict(sorted(row.items())) for g, row in sorted(col.confusion.items())}),
        facts=facts, facts_overall=overall, field_accuracy=by_key, field_accuracy_by_type=by_type,
        criterion_errors=col.criterion_errors, fact_errors=col.fact_errors,
        trials=[_trial_row(tid, "scored" if tid in pred else "missing", t, True)
                for tid, t in zip(ids, tallies)],
        warnings=notes, notes=NOTES_GOLD + scope_note)


# ---------------------------------------------------------------- LCT BRAT gold (numeric facts)


def load_brat_gold(path: str | Path):
    """(text, numeric gold facts) per trial id from a folder of ``.ann``/``.txt`` pairs, or from one
    ``.ann`` (or ``.txt``) file."""
    from eval.brat import lct_numeric_facts, read_ann
    from eval.numeric import load_lct_gold

    path = Path(path)
    if path.is_dir():
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always")
            gold = load_lct_gold(path)
        if not gold:
            raise ValueError(f"{path}: no .ann files with a .txt beside them")
        return gold, [str(w.message) for w in caught]
    ann, txt = path.with_suffix(".ann"), path.with_suffix(".txt")
    if not ann.is_file() or not txt.is_file():
        raise ValueError(f"{path}: needs {ann.name} and {txt.name} side by side")
    text = txt.read_text(encoding="utf-8")
    return {ann.stem: (text, lct_numeric_facts(read_ann(ann), text))}, []


def _line_of(text: str, span) -> tuple[str, tuple[int, int]]:
    """The line(s) of ``text`` holding ``span`` and their span: the context of a BRAT fact."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    end = end if end >= 0 else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[start:end], (start, end)


def score_brat(gold, pred, n_boot: int = 1000, seed: int = 0, gold_path: str = "",
               pred_path: str = "", notes: Optional[list[str]] = None) -> Report:
    """Score numeric facts against LCT gold (``eval.numeric``'s loaders' output) into a Report."""
    from eval.numeric import score

    notes = list(notes or [])
    ids = sorted(gold)
    full = score(gold, pred, BRAT_TYPES)
    tallies = []
    col = _Collector()
    for tid in ids:
        one = score({tid: gold[tid]}, {tid: pred[tid]} if tid in pred else {}, BRAT_TYPES)
        t = Tally()
        for ftype, s in one.types.items():
            t.strict[ftype], t.relaxed[ftype] = s.strict, s.relaxed
            t.gold_facts[ftype] += s.strict.tp + s.strict.fn
            t.pred_facts[ftype] += s.strict.tp + s.strict.fp
            t.ignored[ftype] = [s.ignored_gold, s.ignored_pred]
            if s.strict.tp:
                for k in NUMERIC:  # strict matches agree on comparator and values
                    col.agree(ftype, k, True, s.strict.tp)
        tallies.append(t)
        text = gold[tid][0]
        bad = sum(1 for p in pred.get(tid, []) if text[p.span[0]:p.span[1]] != p.text)
        if bad:
            notes.append(f"{tid}: {bad} predicted facts whose text is not the gold .txt at their span")
    for ftype, s in full.types.items():
        for e in s.errors:
            g = asdict(e.gold) if e.gold else None
            p = asdict(e.pred) if e.pred else None
            differs = []
            if g and p:
                differs = differing_keys({**g, "type": ftype}, {**p, "type": ftype})
                for k in NUMERIC:
                    col.agree(ftype, k, k not in differs)
            text = gold[e.trial_id][0]
            line, line_span = _line_of(text, e.span)
            pline, pline_span = _line_of(text, e.pred.span) if e.gold and e.pred else (None, None)
            col.fact_errors.append(FactError(
                kind=e.kind, trial_id=e.trial_id, field="text", type=ftype, criterion=line,
                criterion_span=line_span, pred_criterion=pline, pred_criterion_span=pline_span,
                gold=g, pred=p, differs=differs))
    total = Tally()
    for t in tallies:
        total.add(t)
    boot = Bootstrap(len(ids), n_boot, seed)
    types = list(BRAT_TYPES)
    facts, overall = _fact_scores(total, tallies, boot, types)
    by_key, by_type = _key_tables(col.keys)
    _sort_errors(col)
    return Report(
        format="brat", gold_path=str(gold_path), pred_path=str(pred_path), gold_trials=len(ids),
        scored_trials=len(ids) - len(full.missing_predictions), missing=full.missing_predictions,
        unknown=full.unknown_predictions, bootstrap=n_boot, seed=seed,
        headline=_headline(tallies, total, boot, "brat", types), facts=facts, facts_overall=overall,
        field_accuracy=by_key, field_accuracy_by_type=by_type, fact_errors=col.fact_errors,
        trials=[_trial_row(tid, "scored" if tid in pred else "missing", t, False)
                for tid, t in zip(ids, tallies)],
        warnings=notes, notes=NOTES_BRAT)


# ---------------------------------------------------------------- entry point and floors


def evaluate(gold_path: str | Path, pred_path: str | Path, fmt: str = "gold", n_boot: int = 1000,
             seed: int = 0) -> Report:
    """Load gold and predictions and score them; raises ValueError on unreadable input."""
    if fmt == "gold":
        gold, notes = load_gold_trials(gold_path)
        pred, more = load_predictions(pred_path)
        return score_gold(gold, pred, n_boot, seed, str(gold_path), str(pred_path), notes + more)
    if fmt == "brat":
        from eval.numeric import load_predictions as load_numeric

        gold, notes = load_brat_gold(gold_path)
        pred = load_numeric(pred_path)
        return score_brat(gold, pred, n_boot, seed, str(gold_path), str(pred_path), notes)
    raise ValueError(f"unknown gold format {fmt!r} (gold or brat)")


def load_floors(path: str | Path) -> dict[str, float]:
    """A floors file: ``{metric name: minimum}``; raises ValueError on a name no report carries."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: floors must be a JSON object of metric name -> minimum")
    unknown = sorted(set(data) - set(headline_names()))
    if unknown:
        raise ValueError(f"{path}: unknown metric(s) {', '.join(unknown)}; known: {', '.join(headline_names())}")
    bad = [k for k, v in data.items() if isinstance(v, bool) or not isinstance(v, (int, float))]
    if bad:
        raise ValueError(f"{path}: floors must be numbers: {', '.join(bad)}")
    return {k: float(v) for k, v in data.items()}


def check_floors(report: Report, floors: dict[str, float]) -> list[FloorCheck]:
    """Each floor against the report's headline: ``below`` fails; a metric this gold does not
    give (segmentation on BRAT gold, a fact type absent on both sides) is ``not computed``."""
    out = []
    for name, floor in floors.items():
        h = report.headline.get(name)
        if h is None or h.value is None:
            out.append(FloorCheck(metric=name, floor=floor, status="not computed"))
        else:
            out.append(FloorCheck(metric=name, floor=floor, value=h.value,
                                  status="below" if h.value < floor else "ok"))
    return out
