"""Criterion category classifier: multi-label, word and character n-grams plus the fact types and
rule categories the rule components give, with calibrated probabilities.

Rules and model each keep the labels they are best at: for every label, cross-validation on the
training trials picks the rules' decision, the model's, or their union, whichever scores the
higher F1; the choice is saved with the model. A criterion that would get only `other` gets
instead the specific label nearest its cut-off when that one is nearer than `other` is to its own.
"""

from collections import Counter

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from scipy.special import expit
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from spacy.language import Language
from spacy.tokens import Doc

from ..models import CATEGORIES
from .data import Example
from .features import WordCachedCounts, char_wb_3_4
from .store import MODELS, load

NAME = "category"
REBUILD = "elig train category --data annotations/dev --data annotations/dev-lct -o models/category"
MIN_POSITIVES = 8  # a label with fewer training examples stays with the rules
THRESHOLD = 0.5
CALIBRATION_FOLDS = 3
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)  # per-label cut-offs tried in cross-validation


def rows(examples: list[Example]) -> np.ndarray:
    """Two text columns: the criterion, and markers of section, facts and rule categories."""
    markers = [" ".join([f"SEC_{e.section}"] + [f"FACT_{t}" for t in e.facts] + [f"RULE_{c}" for c in e.rules])
               for e in examples]
    return np.array([[e.text, m] for e, m in zip(examples, markers)], dtype=object)


def make_pipeline(seed: int = 0) -> Pipeline:
    features = ColumnTransformer([
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=15000, sublinear_tf=True), 0),
        ("chars", Pipeline([("counts", WordCachedCounts(analyzer=char_wb_3_4, min_df=2, max_features=20000)),
                            ("tfidf", TfidfTransformer(sublinear_tf=True))]), 0),
        ("markers", CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True), 1),
    ])
    base = LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced", random_state=seed)
    # one classifier per label, its probabilities calibrated by 3-fold cross-validation (not an
    # ensemble of three: a third of the size on disk)
    clf = OneVsRestClassifier(CalibratedClassifierCV(base, method="sigmoid", cv=CALIBRATION_FOLDS, ensemble=False))
    return Pipeline([("features", features), ("clf", clf)])


def _matrix(examples: list[Example], labels: list[str], attr: str) -> np.ndarray:
    return np.array([[lab in getattr(e, attr) for lab in labels] for e in examples], dtype=int)


def train(examples: list[Example], seed: int = 0, folds: int = 5) -> dict:
    """Fit the classifier and choose, per label, rules, model or their union by cross-validation."""
    counts = Counter(lab for e in examples for lab in e.gold)
    labels = [lab for lab in CATEGORIES if counts[lab] >= MIN_POSITIVES]
    X, Y = rows(examples), _matrix(examples, labels, "gold")
    rules = _matrix(examples, labels, "rules")
    groups = [e.trial_id for e in examples]
    proba = np.zeros(Y.shape)
    for tr, te in GroupKFold(n_splits=folds).split(X, Y, groups):
        # a label too rare in this fold's training trials to calibrate keeps probability 0 here
        fit = Y[tr].sum(axis=0) >= CALIBRATION_FOLDS
        model = make_pipeline(seed).fit(X[tr], Y[tr][:, fit])
        proba[np.ix_(te, np.flatnonzero(fit))] = model.predict_proba(X[te])
    strategy, thresholds = {}, {}
    for j, lab in enumerate(labels):
        best = ("rules", THRESHOLD, f1_score(Y[:, j], rules[:, j], zero_division=0))  # ties go to the rules
        for t in THRESHOLDS:
            by_model = (proba[:, j] >= t).astype(int)
            for how, pred in (("union", rules[:, j] | by_model), ("model", by_model)):
                score = f1_score(Y[:, j], pred, zero_division=0)
                if score > best[2] + 1e-9:
                    best = (how, t, score)
        strategy[lab], thresholds[lab] = best[0], best[1]
    model = make_pipeline(seed).fit(X, Y)
    for _, vectorizer, _ in model.named_steps["features"].transformers_:
        counts = vectorizer.named_steps["counts"] if isinstance(vectorizer, Pipeline) else vectorizer
        if hasattr(counts, "stop_words_"):
            counts.stop_words_ = None  # the terms min_df dropped: only for inspection, and large
        if hasattr(counts, "vocabulary_"):
            # max_features leaves numpy integers as column numbers, which skops writes as one file
            # each (two thirds of the saved model); plain ints are the same columns
            counts.vocabulary_ = {term: int(col) for term, col in counts.vocabulary_.items()}
    for est in model.named_steps["clf"].estimators_:
        for calibrated in est.calibrated_classifiers_:
            # the weights are most of the file; float32 halves them and moves scores by ~1e-7
            calibrated.estimator.coef_ = calibrated.estimator.coef_.astype(np.float32)
    return {"pipeline": model, "labels": labels, "strategy": strategy, "thresholds": thresholds}


def combine(model: dict, rule_cats: list[str], proba: np.ndarray) -> tuple[list[str], dict[str, float]]:
    """Final categories of one criterion and its category scores."""
    scores = {lab: round(float(p), 4) for lab, p in zip(model["labels"], proba)}
    chosen = set(c for c in rule_cats if c not in model["strategy"])
    for lab, how in model["strategy"].items():
        by_model = scores[lab] >= model["thresholds"][lab]
        if (how == "rules" and lab in rule_cats) or (how == "model" and by_model) or \
                (how == "union" and (lab in rule_cats or by_model)):
            chosen.add(lab)
    if len(chosen) > 1:
        chosen.discard("other")
    if chosen <= {"other"}:
        # `other` is the label for criteria no other label fits; before settling on it, let the
        # specific label nearest its cut-off compete with `other` (ratio of score to cut-off)
        near = [(scores[lab] / model["thresholds"][lab], lab) for lab, how in model["strategy"].items()
                if lab != "other" and how != "rules"]
        other = scores["other"] / model["thresholds"]["other"] if "other" in scores else 0.0
        ratio, lab = max(near, default=(0.0, None))
        if lab is not None and ratio > other:
            return [lab], scores
    return sorted(chosen or {"other"}), scores


def linear_form(pipeline: Pipeline) -> tuple:
    """The fitted classifiers as arrays: per label, the logistic regression's weights and
    intercept and the sigmoid calibration's a and b (one calibrated classifier each, ensemble=False)."""
    weights, intercepts, a, b = [], [], [], []
    for est in pipeline.named_steps["clf"].estimators_:
        (calibrated,) = est.calibrated_classifiers_
        (calibrator,) = calibrated.calibrators
        weights.append(calibrated.estimator.coef_[0])
        intercepts.append(calibrated.estimator.intercept_[0])
        a.append(calibrator.a_)
        b.append(calibrator.b_)
    return np.vstack(weights).T, np.array(intercepts), np.array(a), np.array(b)


def predict_proba(model: dict, X: np.ndarray, linear: tuple | None = None) -> np.ndarray:
    """``model["pipeline"].predict_proba(X)``, as one matrix product for all labels instead of
    one scikit-learn call (and its input checks) per label; ``linear`` is the model's
    ``linear_form``, when the caller keeps it."""
    weights, intercepts, a, b = linear or linear_form(model["pipeline"])
    decision = model["pipeline"].named_steps["features"].transform(X) @ weights + intercepts
    return expit(-(a * decision + b))


def predict(model: dict, examples: list[Example], linear: tuple | None = None) -> list[tuple[list[str], dict[str, float]]]:
    if not examples:
        return []
    proba = predict_proba(model, rows(examples), linear)
    return [combine(model, e.rules, p) for e, p in zip(examples, proba)]


@Language.factory("elig_category_model", default_config={"path": None})
def make_category_model(nlp: Language, name: str, path):
    return CategoryModel(load(MODELS / NAME / "model.skops" if path is None else path, REBUILD))


class CategoryModel:
    """Replaces each criterion's rule categories by the combined ones and sets its scores."""

    def __init__(self, model: dict):
        self.model = model
        self.linear = linear_form(model["pipeline"])

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 256):
        """Predict for many docs at once: a scikit-learn call costs the same for 1 row or 500."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._predict(batch)
                batch = []
        if batch:
            yield from self._predict(batch)

    def _predict(self, docs: list[Doc]):
        pairs = [(i, Example("", d._.text[i.start:i.end], i.section, sorted({f.type for f in i.facts}), list(i.categories), []))
                 for d in docs for i in (d._.criteria or [])]
        for (item, _), (cats, scores) in zip(pairs, predict(self.model, [e for _, e in pairs], self.linear)):
            item.categories, item.category_scores = cats, scores
        return docs
