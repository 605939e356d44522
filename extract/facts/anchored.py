"""Thresholds that belong to an anchor mention ("platelets >100 x109/L", "KPS of at least 70%").

Shared by the lab and measure extractors: the first threshold after the anchor (a few filler
words may stand between), further thresholds chained to it by "or"/"and", an equivalent
value in parentheses skipped, and a condition ("unless ...", "in case of ...") attached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..data_files import load_json
from ..thresholds import Threshold, find_thresholds

_SPEC = load_json("anchoring.json")
MAX_GAP = _SPEC["max_gap_chars"]
_GAP_BREAK = re.compile(_SPEC["gap_break"], re.I)
_CHAIN = re.compile(_SPEC["chain"], re.I)
_CONDITION = re.compile(_SPEC["condition_cue"], re.I)
_CONDITION_END = re.compile(_SPEC["condition_end"])


@dataclass
class Anchored:
    threshold: Threshold
    condition: Optional[str] = None
    condition_span: Optional[tuple[int, int]] = None


def thresholds_after(text: str, start: int, end: int, max_gap: int = MAX_GAP,
                     clause_end: Optional[int] = None, accept=None,
                     candidates: Optional[list[Threshold]] = None) -> list[Anchored]:
    """Thresholds of the anchor ending at ``start``, looking no further than ``end``; a condition
    after the last of them may run on to ``clause_end`` (over other mentions it names).
    ``candidates``, when given, are the criterion's thresholds to choose from."""
    if candidates is not None:  # the criterion's thresholds, parsed once
        found = [t for t in candidates if start <= t.start and t.end <= end]
    else:
        found = find_thresholds(text, start, end)
    if accept is not None:
        found = [t for t in found if accept(t)]
    if not found or found[0].start - start > max_gap or _GAP_BREAK.search(text, start, found[0].start):
        return []
    chosen = [found[0]]
    for t in found[1:]:
        gap = text[chosen[-1].end:t.start]
        if gap.strip() in ("(", "[") or re.fullmatch(r"\s*\(\s*(?:or|i\.e\.?|=)?\s*", gap):
            continue  # "1.5 x 10^9/L (1,500/mm3)": the same limit in other units
        if not _CHAIN.fullmatch(gap):
            break
        chosen.append(t)
    out = []
    for i, t in enumerate(chosen):
        stop = chosen[i + 1].start if i + 1 < len(chosen) else max(end, clause_end or end)
        out.append(_with_condition(text, t, stop))
    return out


def _with_condition(text: str, t: Threshold, stop: int) -> Anchored:
    m = _CONDITION.match(text, t.end, stop)
    if not m:
        return Anchored(t)
    cue = m.start("cue")
    closing = _CONDITION_END.search(text, cue, stop)
    c_end = closing.start() if closing else stop
    while c_end > cue and text[c_end - 1] in " ,.;)":
        c_end -= 1
    return Anchored(t, text[cue:c_end], (cue, c_end))
