"""Saving and loading models with skops: only the types listed here are trusted; a file that
holds anything else is refused, never unpickled."""
from __future__ import annotations

import zipfile
from pathlib import Path

import skops.io as sio

MODELS = Path(__file__).resolve().parents[2] / "models"

TRUSTED = [
    "sklearn.pipeline.Pipeline", "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.feature_extraction.text.CountVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer", "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.multiclass.OneVsRestClassifier", "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.calibration.CalibratedClassifierCV", "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration", "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.preprocessing._label.MultiLabelBinarizer", "sklearn.utils._bunch.Bunch",
    "sklearn.compose._column_transformer._RemainderColsList",
    "numpy.ndarray", "numpy.dtype", "numpy.float64", "numpy.int64", "numpy.int32", "numpy.bool_", "numpy.str_",
    "scipy.sparse._csr.csr_matrix", "builtins.slice", "collections.defaultdict", "builtins.dict",
    "numpy.core.multiarray._reconstruct", "builtins.bytes", "builtins.frozenset",
    "extract.learn.features.char_wb_3_4", "extract.learn.features.WordCachedCounts",
]


class ModelError(RuntimeError):
    pass


def save(obj, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # deflated: the vectorizers' vocabularies are stored as JSON, which packs several times smaller
    sio.dump(obj, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)


def load(path: Path, rebuild: str):
    """The model at ``path``; a missing, untrusted or unreadable file raises ModelError naming ``rebuild``."""
    if not path.exists():
        raise ModelError(f"model file {path} is missing; rebuild it with: {rebuild}")
    try:
        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED]
    except Exception as exc:
        raise ModelError(f"model file {path} cannot be read ({exc}); rebuild it with: {rebuild}") from exc
    if untrusted:
        raise ModelError(f"model file {path} holds types that are not trusted ({', '.join(untrusted[:5])}); "
                         f"refusing to load it; rebuild it with: {rebuild}")
    try:
        return sio.load(path, trusted=TRUSTED)
    except Exception as exc:
        raise ModelError(f"model file {path} cannot be loaded ({type(exc).__name__}: {exc}); rebuild it with: {rebuild}") from exc
