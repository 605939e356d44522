"""`elig train`: fit a learned component on gold files, save it with skops, write its model card
with scores on held-out gold against the rules-only baseline."""
from __future__ import annotations

import datetime
import platform
from pathlib import Path

import numpy as np
import sklearn
import skops
import spacy
from sklearn.metrics import f1_score

from ..models import CATEGORIES
from . import boundary, category
from .data import examples, load_golds
from .store import save

SEED = 0
# the category model also learns from the category-only LCT gold (its text is read from ../shared);
# the boundary model learns list-free paragraphs, which that gold barely has
DEFAULT_DATA = {"category": [Path("annotations/dev"), Path("annotations/dev-lct")],
                "boundary": [Path("annotations/dev")]}


def _rules_nlp():
    from ..pipeline import build_nlp

    return build_nlp(models=False)


def _versions() -> str:
    return (f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}, spaCy {spacy.__version__}, "
            f"skops {skops.__version__}, numpy {np.__version__}")


def _micro_macro(golds: list[list[str]], preds: list[list[str]]) -> tuple[float, float]:
    Y = np.array([[c in g for c in CATEGORIES] for g in golds])
    P = np.array([[c in p for c in CATEGORIES] for p in preds])
    return (round(float(f1_score(Y, P, average="micro", zero_division=0)), 4),
            round(float(f1_score(Y, P, average="macro", zero_division=0)), 4))


def train_category(data: list[Path], out: Path, test: Path | None) -> dict:
    nlp = _rules_nlp()
    golds = load_golds(data)
    train_ex = examples(nlp, golds)
    model = category.train(train_ex, seed=SEED)
    save(model, out / "model.skops")
    scores = {"train_criteria": len(train_ex), "train_trials": len({e.trial_id for e in train_ex}),
              "category_only_trials": sum(1 for g in golds if g.scope == "categories"),
              "C": model["pipeline"].named_steps["clf"].estimator.estimator.C, "labels": model["labels"], "strategy": model["strategy"],
              "thresholds": model["thresholds"]}
    if test is not None:
        test_ex = examples(nlp, load_golds(test))
        gold = [e.gold for e in test_ex]
        scores["test_criteria"] = len(test_ex)
        scores["rules"] = _micro_macro(gold, [e.rules for e in test_ex])
        scores["combined"] = _micro_macro(gold, [c for c, _ in category.predict(model, test_ex)])
    _card(out, "category", data, test, scores)
    return scores


def boundary_scores(nlp, model, golds) -> dict:
    """F1 of criterion starts inside paragraphs without list markup, rules against the model."""
    from ..runon import _cuts

    counts = {"rules": [0, 0, 0], "model": [0, 0, 0]}  # tp, fp, fn
    for doc, a, b, gold_starts in boundary.gold_paragraphs(nlp, golds):
        truth = {s for s in gold_starts if a < s < b}
        for name, found in (("rules", set(_cuts(doc, a, b))), ("model", set(boundary.cuts(model, doc, a, b)))):
            c = counts[name]
            c[0] += len(found & truth)
            c[1] += len(found - truth)
            c[2] += len(truth - found)
    return _f1s(counts)


def runon_scores(nlp, model, golds) -> dict:
    """F1 of criterion starts in run-on text made from the gold (``boundary.runon_docs``)."""
    from ..runon import _cuts

    counts = {"rules": [0, 0, 0], "model": [0, 0, 0]}
    for doc, truth in boundary.runon_docs(nlp, golds):
        doc = nlp(doc.text)  # the splitter's tokens and sections, as at extraction time
        n = len(doc.text)
        for name, found in (("rules", set(_cuts(doc, 0, n))), ("model", set(boundary.cuts(model, doc, 0, n)))):
            c = counts[name]
            c[0] += len(found & truth)
            c[1] += len(found - truth)
            c[2] += len(truth - found)
    return _f1s(counts)


def _f1s(counts: dict) -> dict:
    out = {}
    for name, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[name] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
                     "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
    return out


def train_boundary(data: list[Path], out: Path, test: Path | None) -> dict:
    from ..pipeline import build_nlp

    nlp = build_nlp(facts=False, models=False)
    golds = load_golds(data)
    model = boundary.train(nlp, golds, seed=SEED)
    save(model, out / "model.skops")
    X, y = boundary.training_rows(nlp, golds)
    X2, y2 = boundary.runon_rows(nlp, golds)
    scores = {"train_candidates": len(y) + len(y2), "train_boundaries": int(sum(y) + sum(y2)),
              "dev": boundary_scores(nlp, model, golds)}
    if test is not None:
        test_golds = load_golds(test)
        scores["test"] = boundary_scores(nlp, model, test_golds)
        scores["test_runon"] = runon_scores(nlp, model, test_golds)
    _card(out, "boundary", data, test, scores)
    return scores


def _card(out: Path, name: str, data: list[Path], test: Path | None, scores: dict) -> None:
    today = datetime.date.today().isoformat()
    data = ", ".join(f"`{d}`" for d in ([data] if isinstance(data, (str, Path)) else data))
    if name == "category":
        n_lct = scores["category_only_trials"]
        lct = (f" and {n_lct} LCT eligibility texts of many conditions, annotated for\n  criteria and "
               "categories only") if n_lct else ""
        body = f"""# Model card: criterion category classifier

- **What it does**: multi-label classification of a criterion into the contract's categories, with
  calibrated probabilities (`category_scores`). Combined with the rule categories per label.
- **Model**: scikit-learn `Pipeline`: TF-IDF word 1-2-grams and character 3-4-grams (within words) of the criterion
  text, plus binary markers of its section, the fact types the rule components found in it and
  the rule categories; one-vs-rest logistic regression (C={scores['C']:g}, balanced class weights) with sigmoid
  calibration (3-fold cross-validated, one classifier per label). Labels with fewer than {category.MIN_POSITIVES} training examples stay with the rules.
- **Combination**: for each label, 5-fold cross-validation over the training trials (grouped by
  trial) chose the rules' decision, the model's, or their union, and the probability cut-off:
  {scores['strategy']}
  cut-offs: {scores['thresholds']}. A criterion left with only `other` gets the specific label
  nearest its cut-off instead, when that label's score-to-cut-off ratio beats `other`'s.
- **Training data**: {data} ({scores['train_trials']} trials, {scores['train_criteria']} gold criteria). Seed {SEED}; deterministic.
- **Evaluation**: `{test}` ({scores.get('test_criteria', 0)} gold criteria, never used for training or choices),
  categories of the gold criterion spans (segmentation held fixed):

| | micro-F1 | macro-F1 |
|---|---|---|
| rules only | {scores.get('rules', ('-', '-'))[0]} | {scores.get('rules', ('-', '-'))[1]} |
| rules + model | {scores.get('combined', ('-', '-'))[0]} | {scores.get('combined', ('-', '-'))[1]} |

- **Limits**: trained on {scores['train_trials']} trials: ClinicalTrials.gov records (most of them NSCLC,
  disc-herniation and digital-therapeutics trials, plus neuroendocrine tumours, COVID-19 and the CTP
  sample){lct}; most trials were annotated in one pass; the labels annotators agree on least (`other`, `condition` against
  `comorbidity`, `prior_therapy` against `concomitant_therapy`) are the model's weakest.
- **Rebuild**: `{category.REBUILD} --test annotations/test`
- **Versions**: {_versions()}; trained {today}.
"""
    else:
        dev, tst = scores["dev"], scores.get("test", {})
        rows = "\n".join(f"| {split} | {s['rules']['f1']} ({s['rules']['tp']}/{s['rules']['fp']}/{s['rules']['fn']}) | "
                         f"{s['model']['f1']} ({s['model']['tp']}/{s['model']['fp']}/{s['model']['fn']}) |"
                         for split, s in (("dev paragraphs (training data)", dev), ("test paragraphs", tst),
                                          ("test run-on text made from the gold", scores.get("test_runon", {}))) if s)
        body = f"""# Model card: criterion boundary model

- **What it does**: decides, inside eligibility text without list markup, where a new criterion
  starts (run-on text whose line breaks were lost, multi-sentence paragraphs). The splitter uses
  it in place of the run-on rules when the model is present.
- **Model**: scikit-learn `Pipeline`: `DictVectorizer` over the shapes and classes of the tokens
  around each candidate (sentence end, semicolon, capitalised word after a phrase end, line
  break), then logistic regression (balanced class weights).
- **Training data**: {data}: {scores['train_candidates']} candidate boundaries in paragraphs
  without list markup, {scores['train_boundaries']} of them gold criterion starts. Seed {SEED}; deterministic.
- **Evaluation**: F1 of criterion starts inside paragraphs without list markup (TP/FP/FN):

| data | rules | model |
|---|---|---|
{rows}

- **Limits**: paragraphs without markup are a small part of registry text, so both scores rest on
  few boundaries; the test set has fewer still.
- **Rebuild**: `{boundary.REBUILD} --test annotations/test`
- **Versions**: {_versions()}; trained {today}.
"""
    (out / "MODEL_CARD.md").write_text(body, encoding="utf-8")
