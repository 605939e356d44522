"""Numbers as criteria write them: decimal commas, thousands separators, number words."""
from __future__ import annotations

import re

from .data_files import load_json

WORDS: dict[str, int] = load_json("numbers.json")["words"]
_WORD_ALT = "|".join(sorted((re.escape(w) for w in WORDS), key=len, reverse=True))
# thousands groups first ("75,000", "50.000"), then plain decimals ("8,0", "1.5")
NUM = (r"(?<![\d/A-Za-z])(?:\d{1,3}(?:[,.\u202f\u00a0]\d{3})+(?:[.,]\d+)?(?![\d])|\d+(?:[.,]\d+)?|[.,]\d+"
       rf"|(?<![A-Za-z])(?:{_WORD_ALT})(?![A-Za-z-]))(?!\d)(?![.,]\d)(?!\s?/\s?\d)")


def parse_number(text: str, per_count: bool = False) -> float | int | None:
    """``"8,0"`` -> 8.0, ``"75,000"`` -> 75000, ``"50.000"`` -> 50000 when the unit counts cells
    per volume (else 50.0), ``"eighteen"`` -> 18. Integral values come back as int."""
    s = text.strip().lower().replace("\u202f", ",").replace("\u00a0", ",")
    if s in WORDS:
        return WORDS[s]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", s) or (per_count and re.fullmatch(r"\d{1,3}\.\d{3}", s)):
        s = s.replace(".", "")
    elif re.fullmatch(r"\d*,\d+", s):
        s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in s else value


def tidy(value: float | None, digits: int = 6) -> float | int | None:
    """Round away float noise from unit conversion; ints stay ints."""
    if value is None:
        return None
    rounded = float(f"{value:.{digits}g}")
    return int(rounded) if rounded.is_integer() else rounded
