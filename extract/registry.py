"""Structured registry fields (age limits, sex, healthy volunteers) from their string forms."""
from __future__ import annotations

import re

from .models import AgeValue, Registry

# ClinicalTrials.gov writes "18 Years", "6 Months", "N/A"; units map to UCUM.
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?|hours?|minutes?)\s*$", re.I)
_UCUM = {"year": "a", "month": "mo", "week": "wk", "day": "d", "hour": "h", "minute": "min"}
_SEX = {"all": "all", "both": "all", "female": "female", "male": "male"}
_BOOL = {"yes": True, "no": False, "true": True, "false": False, "accepts healthy volunteers": True}


def parse_age(value: object) -> AgeValue | None:
    """``"18 Years"`` -> ``AgeValue(18, "a")``; ``"N/A"``, empty or unknown -> None."""
    if value is None:
        return None
    m = _AGE.match(str(value))
    if not m:
        return None
    unit = m.group(2).lower().rstrip("s")
    number = float(m.group(1))
    return AgeValue(value=int(number) if number.is_integer() else number, unit=_UCUM[unit])


def parse_sex(value: object) -> str | None:
    if value is None:
        return None
    return _SEX.get(str(value).strip().lower())


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    return _BOOL.get(str(value).strip().lower())


def make_registry(minimum_age=None, maximum_age=None, sex=None, healthy_volunteers=None) -> Registry | None:
    """A Registry from raw strings, or None when the source gave none of them."""
    reg = Registry(
        minimum_age=parse_age(minimum_age),
        maximum_age=parse_age(maximum_age),
        sex=parse_sex(sex),
        healthy_volunteers=parse_bool(healthy_volunteers),
    )
    if reg == Registry():
        return None
    return reg
