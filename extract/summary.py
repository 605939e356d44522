"""The trial-level eligibility profile: age, sex, performance status and labs, with the
places where the criteria text and the registry's structured fields disagree."""
from __future__ import annotations

from typing import Optional

from .models import AgeBound, Conflict, Criterion, Registry, Summary, SummaryAge, SummaryLab


def summarize(registry: Optional[Registry], criteria: list[Criterion]) -> Summary:
    text_min, text_max = _text_age(criteria)
    reg_min = _years(registry.minimum_age) if registry else None
    reg_max = _years(registry.maximum_age) if registry else None
    conflicts = []
    for name, reg, txt in (("minimum_age", reg_min, text_min), ("maximum_age", reg_max, text_max)):
        if reg is not None and txt is not None and abs(reg - txt[0].value) > 1e-6:
            conflicts.append(Conflict(field=name, registry=reg, text=txt[0].value, criterion_id=txt[1]))
    age = None
    if any(x is not None for x in (reg_min, reg_max, text_min, text_max)):
        source = "both" if (reg_min is not None or reg_max is not None) and (text_min or text_max) else \
            ("text" if (text_min or text_max) else "registry")
        lo = text_min[0] if text_min else (AgeBound(value=reg_min) if reg_min is not None else None)
        hi = text_max[0] if text_max else (AgeBound(value=reg_max) if reg_max is not None else None)
        age = SummaryAge(min=lo, max=hi, unit="a", source=source)
    return Summary(age=age, sex=_sex(registry, criteria), performance_status=_performance(criteria),
                   labs=_labs(criteria), conflicts=conflicts)


def _years(age) -> Optional[float]:
    if age is None:
        return None
    factor = {"a": 1, "mo": 1 / 12, "wk": 7 / 365.25, "d": 1 / 365.25}.get(age.unit)
    return None if factor is None else round(age.value * factor, 4)


def _text_age(criteria):
    lo = hi = None
    for c in criteria:
        for f in c.facts:
            if f.type != "age" or len(f.eligible) != 1:
                continue
            iv = f.eligible[0]
            if iv.low is not None and (lo is None or iv.low > lo[0].value):
                lo = (AgeBound(value=iv.low, inclusive=iv.low_inclusive), c.id)
            if iv.high is not None and (hi is None or iv.high < hi[0].value):
                hi = (AgeBound(value=iv.high, inclusive=iv.high_inclusive), c.id)
    return lo, hi


def _sex(registry, criteria) -> Optional[str]:
    if registry is not None and registry.sex:
        return registry.sex
    for c in criteria:
        for f in c.facts:
            if f.type == "sex":
                if c.polarity == "include":
                    return f.value
                if f.value != "all":
                    return "male" if f.value == "female" else "female"
    return None


def _performance(criteria) -> dict[str, list[int]]:
    out: dict[str, set[int]] = {}
    for c in criteria:
        for f in c.facts:
            if f.type == "performance_status":
                out[f.scale] = out[f.scale] & set(f.allowed) if f.scale in out else set(f.allowed)
    return {k: sorted(v) for k, v in out.items()}


def _labs(criteria) -> list[SummaryLab]:
    out = []
    for c in criteria:
        for f in c.facts:
            if f.type == "lab" and f.eligible:
                unit = f.normalized.unit if f.normalized else f.unit
                out.append(SummaryLab(analyte=f.analyte, eligible=f.eligible, unit=unit,
                                      relative_to=f.relative_to, criterion_id=c.id))
    return out
