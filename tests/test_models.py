"""Learned components: training end to end on a few gold trials, deterministic results, and
model files that are missing, tampered with or untrusted are refused with the rebuild command."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from extract.learn import boundary, category
from extract.learn.data import examples, load_golds
from extract.learn.store import ModelError, load, save

ROOT = Path(__file__).resolve().parents[1]
FEW = sorted((ROOT / "annotations" / "dev").glob("NCT0*.json"))[:12]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gold")
    for f in FEW:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def rules_nlp():
    from extract import build_nlp

    return build_nlp(models=False)


def test_category_training_end_to_end_is_deterministic(tiny, rules_nlp, tmp_path):
    train = examples(rules_nlp, load_golds(tiny))
    first = category.train(train, seed=0, folds=3)
    second = category.train(train, seed=0, folds=3)
    assert first["labels"] and first["strategy"] == second["strategy"]
    save(first, tmp_path / "model.skops")
    model = load(tmp_path / "model.skops", "rebuild")
    predicted = category.predict(model, train[:20])
    again = category.predict(second, train[:20])
    assert predicted == again
    for cats, scores in predicted:
        assert cats and set(scores) == set(model["labels"])
        assert all(0.0 <= p <= 1.0 for p in scores.values())
    # column numbers are plain ints: skops would write a numpy integer per vocabulary term as a file
    for _, vectorizer, _ in model["pipeline"].named_steps["features"].transformers_:
        counts = vectorizer.named_steps["counts"] if hasattr(vectorizer, "named_steps") else vectorizer
        assert all(type(col) is int for col in counts.vocabulary_.values())


def test_boundary_training_splits_run_on_text(tiny):
    from extract import build_nlp

    nlp = build_nlp(facts=False, models=False)
    model = boundary.train(nlp, load_golds(tiny), seed=0)
    doc = nlp("Inclusion Criteria\nAge 18 years or older ECOG 0-1 Any resectable (including borderline resectable) "
              "PDAC Patient can understand verbal and written information\n")
    assert [doc.text[i.start:i.end] for i in doc._.criteria]  # the splitter still runs
    cuts = boundary.cuts(model, doc, doc.text.index("Age"), len(doc.text) - 1)
    assert all(doc.text[c].isupper() for c in cuts)


def test_elig_train_writes_model_and_card(tiny, tmp_path):
    out = tmp_path / "boundary"
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "train", "boundary", "--data", str(tiny), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "scikit-learn" in card and "Rebuild" in card
    assert load(out / "model.skops", "rebuild")["pipeline"] is not None


def test_missing_model_names_the_rebuild_command(tmp_path):
    with pytest.raises(ModelError, match="elig train category"):
        load(tmp_path / "nothing.skops", category.REBUILD)


class Payload:
    """A class of no trusted library: loading it could run anything."""


def test_untrusted_types_are_refused(tmp_path):
    path = tmp_path / "evil.skops"
    sio.dump({"pipeline": Payload()}, path)
    with pytest.raises(ModelError, match="not trusted"):
        load(path, category.REBUILD)


def test_tampered_file_is_refused(tmp_path):
    good = ROOT / "models" / "boundary" / "model.skops"
    bad = tmp_path / "model.skops"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "schema.json":  # the classifier swapped for a call to os.system
                data = data.replace(b'"__class__": "LogisticRegression"', b'"__class__": "system"')
                data = data.replace(b'"__module__": "sklearn.linear_model._logistic"', b'"__module__": "os"')
            dst.writestr(info, data)
    with pytest.raises(ModelError):
        load(bad, boundary.REBUILD)


def test_shipped_models_load_and_stay_small():
    for name, rebuild in (("category", category.REBUILD), ("boundary", boundary.REBUILD)):
        assert load(ROOT / "models" / name / "model.skops", rebuild)
        assert (ROOT / "models" / name / "MODEL_CARD.md").exists()
    assert sum(f.stat().st_size for f in (ROOT / "models").rglob("*") if f.is_file()) < 20 * 2**20


def test_fast_category_scoring_matches_scikit_learn(tiny, rules_nlp):
    """The category component's one-product scoring and word-cached character n-grams give
    scikit-learn's own probabilities and counts."""
    from sklearn.feature_extraction.text import CountVectorizer

    from extract.learn.features import WordCachedCounts, char_wb_3_4

    model = load(ROOT / "models" / "category" / "model.skops", category.REBUILD)
    X = category.rows(examples(rules_nlp, load_golds(tiny)))
    assert category.predict_proba(model, X) == pytest.approx(model["pipeline"].predict_proba(X), abs=1e-12)
    texts = list(X[:, 0]) + ["a", "ab  c", "ÄÖ\tü", ""]
    ours = WordCachedCounts(analyzer=char_wb_3_4, min_df=1).fit(texts)
    theirs = CountVectorizer(analyzer="char_wb", ngram_range=(3, 4), min_df=1).fit(texts)
    assert ours.vocabulary_ == theirs.vocabulary_
    assert (ours.transform(texts) != theirs.transform(texts)).nnz == 0


def test_other_competes_with_the_nearest_specific_label():
    from extract.learn.category import combine

    model = {"labels": ["lab", "consent", "other"],
             "strategy": {"lab": "model", "consent": "model", "other": "model"},
             "thresholds": {"lab": 0.5, "consent": 0.4, "other": 0.5}}
    # consent at 0.36 is 0.9 of its cut-off, other at 0.3 only 0.6 of its own
    assert combine(model, [], np.array([0.1, 0.36, 0.3]))[0] == ["consent"]
    assert combine(model, [], np.array([0.1, 0.2, 0.6]))[0] == ["other"]
    assert combine(model, [], np.array([0.7, 0.2, 0.6]))[0] == ["lab"]
