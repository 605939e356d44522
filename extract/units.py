"""UCUM units to canonical units through pint, with molar masses for mol <-> mass."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import pint

from .numerals import tidy

# UCUM code -> (factor, pint expression): "10*9/L" is 1e9 per litre, and so on
_PINT: dict[str, tuple[float, str]] = {
    "10*9/L": (1e9, "1/L"), "10*12/L": (1e12, "1/L"), "10*3/uL": (1e3, "1/uL"), "10*6/uL": (1e6, "1/uL"),
    "/mm3": (1, "1/mm**3"), "/uL": (1, "1/uL"), "/L": (1, "1/L"),
    "g/dL": (1, "g/dL"), "g/L": (1, "g/L"), "mg/dL": (1, "mg/dL"), "mg/L": (1, "mg/L"),
    "ug/dL": (1, "ug/dL"), "ug/L": (1, "ug/L"), "ug/mL": (1, "ug/mL"), "ng/mL": (1, "ng/mL"),
    "ng/dL": (1, "ng/dL"), "ng/L": (1, "ng/L"), "pg/mL": (1, "pg/mL"),
    "mmol/L": (1, "mmol/L"), "umol/L": (1, "umol/L"), "nmol/L": (1, "nmol/L"), "pmol/L": (1, "pmol/L"),
    "meq/L": (1, "mmol/L"), "U/L": (1, "U/L"), "ukat/L": (1, "ukat/L"),
    "mL/min": (1, "mL/min"), "mL/s": (1, "mL/s"),
    "s": (1, "s"), "ms": (1, "ms"), "min": (1, "min"), "h": (1, "h"), "d": (1, "day"), "wk": (1, "week"),
    "mo": (1, "month"), "a": (1, "year"), "kg/m2": (1, "kg/m**2"), "mm[Hg]": (1, "mmHg"),
    "mg/g": (1, "mg/g"), "g/(24.h)": (1, "g/day"), "mg/(24.h)": (1, "mg/day"), "%": (1, "percent"),
}


@lru_cache(maxsize=1)
def _ureg() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def convert(value: Optional[float], unit: Optional[str], target: Optional[str],
            molar_mass: Optional[float] = None) -> Optional[float]:
    """``value`` in ``unit`` expressed in ``target`` (both UCUM), or None when no conversion applies."""
    if value is None or unit is None or target is None:
        return None
    if unit == target:
        return tidy(value)
    factor = _factor(unit, target, molar_mass)
    return None if factor is None else tidy(value * factor)


@lru_cache(maxsize=4096)
def _factor(unit: str, target: str, molar_mass: Optional[float]) -> Optional[float]:
    """How many ``target`` one ``unit`` is, from pint (every unit here is a plain multiple, none
    has an offset); None when the two do not convert. Cached: a pint conversion costs far more
    than the multiplication."""
    if unit not in _PINT or target not in _PINT:
        return None
    ureg = _ureg()
    f1, u1 = _PINT[unit]
    f2, u2 = _PINT[target]
    q = ureg.Quantity(f1, u1)
    try:
        return q.to(u2).magnitude / f2
    except pint.DimensionalityError:
        pass
    if molar_mass:
        mass = ureg.Quantity(molar_mass, "g/mol")
        for candidate in (q * mass, q / mass):
            try:
                return candidate.to(u2).magnitude / f2
            except pint.DimensionalityError:
                continue
    return None


def same_dimension(unit: Optional[str], target: Optional[str]) -> bool:
    """Do two UCUM units measure the same kind of quantity?"""
    if unit is None or target is None or unit not in _PINT or target not in _PINT:
        return False
    ureg = _ureg()
    return ureg.Quantity(1, _PINT[unit][1]).dimensionality == ureg.Quantity(1, _PINT[target][1]).dimensionality
