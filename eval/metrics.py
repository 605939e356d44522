"""Precision, recall and F1 from counts, multi-label micro and macro averages, agreement, and
percentile bootstrap confidence intervals over trials.

Conventions: a ratio with a zero denominator is 0.0 for P/R/F1 (as `eval.numeric.Counts`) and
None (undefined) for an accuracy; a macro average runs over the labels seen on either side. In
bootstrap resamples an undefined value is NaN and left out of the percentiles.
"""
from __future__ import annotations

import math
import warnings
from typing import Callable, Iterable, Mapping, Optional, Sequence

import numpy as np

from eval.numeric import Counts  # tp / fp / fn with precision, recall, f1: one definition for both scorers

__all__ = ["Counts", "accuracy", "f1_array", "accuracy_array", "multilabel_counts", "micro",
           "macro", "macro_f1_array", "kappa", "Bootstrap"]


def accuracy(correct: int, total: int) -> Optional[float]:
    return correct / total if total else None


def f1_array(sums: np.ndarray) -> np.ndarray:
    """F1 of ``[..., (tp, fp, fn)]`` arrays: 2tp / (2tp + fp + fn), NaN where nothing was counted
    (a resample without any item of the kind says nothing about it)."""
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    den = 2 * tp + fp + fn
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), np.nan)


def accuracy_array(sums: np.ndarray) -> np.ndarray:
    """Accuracy of ``[..., (correct, total)]`` arrays, NaN where the total is 0."""
    correct, total = sums[..., 0], sums[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, correct / np.where(total > 0, total, 1), np.nan)


def multilabel_counts(pairs: Iterable[tuple[Iterable[str], Iterable[str]]],
                      into: Optional[dict[str, Counts]] = None) -> dict[str, Counts]:
    """Per-label counts over ``(gold labels, predicted labels)`` pairs: a label on both sides is a
    TP, on the predicted side only an FP, on the gold side only an FN. Pass ``(labels, ())`` for an
    unmatched gold item and ``((), labels)`` for an unmatched predicted one."""
    out = {} if into is None else into
    for gold, pred in pairs:
        g, p = set(gold), set(pred)
        for label in g | p:
            c = out.setdefault(label, Counts())
            c.add(Counts(int(label in g and label in p), int(label in p and label not in g),
                         int(label in g and label not in p)))
    return out


def micro(per_label: Mapping[str, Counts]) -> Counts:
    total = Counts()
    for c in per_label.values():
        total.add(c)
    return total


def macro(per_label: Mapping[str, Counts]) -> tuple[float, float, float]:
    """Unweighted mean (precision, recall, F1) over the labels with any count."""
    seen = [c for c in per_label.values() if c.tp + c.fp + c.fn]
    if not seen:
        return 0.0, 0.0, 0.0
    return tuple(sum(getattr(c, k) for c in seen) / len(seen) for k in ("precision", "recall", "f1"))


def macro_f1_array(sums: np.ndarray) -> np.ndarray:
    """Macro F1 of ``[B, labels, (tp, fp, fn)]``: the mean over labels with any count per row
    (NaN for a row with none)."""
    f1 = np.nan_to_num(f1_array(sums))
    seen = sums.sum(axis=-1) > 0
    n = seen.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, (f1 * seen).sum(axis=-1) / np.where(n > 0, n, 1), np.nan)


def kappa(gold: Sequence[bool], pred: Sequence[bool]) -> Optional[float]:
    """Cohen's κ of two binary label vectors; 1.0 when they agree everywhere, None when undefined
    (no items, or the label on neither side)."""
    if not any(gold) and not any(pred):
        return None
    if list(gold) == list(pred):
        return 1.0
    from sklearn.metrics import cohen_kappa_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k = cohen_kappa_score(list(gold), list(pred), labels=[False, True])
    return None if math.isnan(k) else float(k)


class Bootstrap:
    """Percentile bootstrap over trials: ``n_boot`` resamples of the trials with replacement,
    drawn once from ``seed`` and shared by every statistic (so all CIs use the same resamples).

    A statistic is computed from per-trial count rows summed over each resample, so pooled
    metrics (micro F1 over all facts of the resampled trials) are resampled as they are defined.
    """

    def __init__(self, n_trials: int, n_boot: int = 1000, seed: int = 0, level: float = 0.95):
        self.n_trials, self.n_boot, self.seed, self.level = n_trials, n_boot, seed, level
        self.weights = None
        if n_trials > 0 and n_boot > 0:
            rng = np.random.default_rng(seed)
            # how often each trial is drawn in each resample
            self.weights = rng.multinomial(n_trials, np.full(n_trials, 1.0 / n_trials),
                                           size=n_boot).astype(float)

    def ci(self, per_trial: np.ndarray, statistic: Callable[[np.ndarray], np.ndarray]
           ) -> Optional[tuple[float, float]]:
        """(low, high) of ``statistic`` over resamples; ``per_trial`` is ``[trials, ...]``."""
        if self.weights is None:
            return None
        per_trial = np.asarray(per_trial, dtype=float)
        sums = np.tensordot(self.weights, per_trial, axes=(1, 0))
        values = np.asarray(statistic(sums), dtype=float)
        if np.all(np.isnan(values)):
            return None
        tail = (1 - self.level) / 2 * 100
        low, high = np.nanpercentile(values, [tail, 100 - tail])
        return float(low), float(high)
