"""Aligning predicted spans to gold spans of one trial field by character overlap.

Used for criteria (matched one-to-one, greedy by overlap ratio, plus split and merged criteria)
and for facts (one-to-one, greedy by overlapping characters, under a pairing condition).
Spans are ``[start, end)`` offsets into the same field text.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional, Sequence

from eval.brat import Span

MATCH_RATIO = 0.5  # a ≥50% overlap match: overlap / length of the longer span


def overlap(a: Span, b: Span) -> int:
    """Characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlap_ratio(a: Span, b: Span) -> float:
    """Overlapping characters over the length of the longer of the two spans."""
    return overlap(a, b) / max(a[1] - a[0], b[1] - b[0], 1)


def overlapping(gold: Sequence[Span], pred: Sequence[Span]) -> Iterator[tuple[int, int, int]]:
    """``(gold index, pred index, overlapping characters)`` for every pair that overlaps."""
    if not gold or not pred:
        return
    order = sorted(range(len(pred)), key=lambda j: pred[j][0])
    starts = [pred[j][0] for j in order]
    longest = max(e - s for s, e in pred)
    for i, (s, e) in enumerate(gold):
        # a pred span overlapping [s, e) starts after s - longest and before e
        for k in range(bisect_left(starts, s - longest), bisect_left(starts, e)):
            j = order[k]
            ov = overlap((s, e), pred[j])
            if ov > 0:
                yield i, j, ov


def greedy(gold: Sequence[Span], pred: Sequence[Span],
           score: Callable[[int, int, int], Optional[float]]) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, pred index)`` pairs among overlapping spans, best ``score`` first.

    ``score(i, j, overlapping characters)`` returns None when the pair may not match. Ties go to
    the closer start, then to text order; the result is sorted by gold index.
    """
    candidates = []
    for i, j, ov in overlapping(gold, pred):
        s = score(i, j, ov)
        if s is not None:
            candidates.append((-s, abs(gold[i][0] - pred[j][0]), i, j))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _containers(spans: Sequence[Span]) -> set[int]:
    """Indices of spans that hold another span of the same list entirely (a nested list's parent
    when its span includes its items)."""
    out = set()
    for i, j, _ in overlapping(spans, spans):
        if i != j and spans[i][0] <= spans[j][0] and spans[j][1] <= spans[i][1] and spans[i] != spans[j]:
            out.add(i)
    return out


def _disjoint_count(spans: list[Span]) -> int:
    """Largest number of pairwise non-overlapping spans among ``spans``."""
    n, end = 0, None
    for s, e in sorted(spans, key=lambda x: x[1]):
        if end is None or s >= end:
            n, end = n + 1, e
    return n


def _covering(outer: Sequence[Span], inner: Sequence[Span], skip_outer: set[int],
              skip_inner: set[int]) -> list[tuple[int, list[int]]]:
    """``(outer index, inner indices)`` where ≥2 disjoint inner spans each lie mostly (≥50% of
    their own length) inside the outer span."""
    inside: dict[int, list[int]] = {}
    for i, j, ov in overlapping(outer, inner):
        if i in skip_outer or j in skip_inner:
            continue
        if ov >= 0.5 * max(inner[j][1] - inner[j][0], 1):
            inside.setdefault(i, []).append(j)
    return [(i, sorted(js)) for i, js in sorted(inside.items())
            if len(js) >= 2 and _disjoint_count([inner[j] for j in js]) >= 2]


@dataclass
class Alignment:
    """Criteria of one field: ``exact`` and ``matched`` (≥50% overlap) one-to-one pairs,
    ``split`` (gold index, the pred indices covering it) and ``merged`` (pred index, the gold
    indices it covers)."""

    exact: list[tuple[int, int]] = field(default_factory=list)
    matched: list[tuple[int, int]] = field(default_factory=list)
    split: list[tuple[int, list[int]]] = field(default_factory=list)
    merged: list[tuple[int, list[int]]] = field(default_factory=list)


def align(gold: Sequence[Span], pred: Sequence[Span], ratio: float = MATCH_RATIO) -> Alignment:
    """Align the criteria spans of one field.

    A gold criterion is *split* when ≥2 non-overlapping predicted criteria each lie mostly inside
    it; a predicted criterion is *merged* when ≥2 non-overlapping gold criteria each lie mostly
    inside it. Criteria that contain another criterion of their own side (nested-list parents
    whose span includes their items) are left out of split/merged.
    """
    gold, pred = [tuple(s) for s in gold], [tuple(s) for s in pred]
    exact = greedy(gold, pred, lambda i, j, ov: 1.0 if gold[i] == pred[j] else None)
    matched = greedy(gold, pred, lambda i, j, ov: (r if (r := overlap_ratio(gold[i], pred[j])) >= ratio
                                                   else None))
    g_parents, p_parents = _containers(gold), _containers(pred)
    return Alignment(exact, matched,
                     split=_covering(gold, pred, g_parents, p_parents),
                     merged=_covering(pred, gold, p_parents, g_parents))
