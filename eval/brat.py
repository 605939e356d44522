"""BRAT standoff reader and the mapping of LCT numeric annotations to numeric gold facts.

BRAT offsets are Unicode code-point offsets into the ``.txt`` read as UTF-8, the same coordinates
as the spans `elig extract` writes for a plain-text file (field ``text``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

Span = tuple[int, int]


@dataclass(frozen=True)
class Entity:
    """A ``T`` line: a typed text-bound annotation, possibly discontinuous."""

    type: str
    spans: tuple[Span, ...]
    text: str

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


@dataclass(frozen=True)
class Event:
    """An ``E`` line: a trigger entity and its (role, target id) arguments, in file order."""

    type: str
    trigger_id: str
    roles: tuple[tuple[str, str], ...]

    def args(self, role: str) -> list[str]:
        """Targets of ``role`` and its numbered repeats (``Value``, ``Value2``, ...), in order."""
        return [t for r, t in self.roles if re.fullmatch(re.escape(role) + r"\d*", r)]


@dataclass
class Annotation:
    """One ``.ann`` file. ``skipped`` keeps (line number, line) of lines that could not be read."""

    entities: dict[str, Entity] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    attributes: dict[str, dict[str, str | bool]] = field(default_factory=dict)
    relations: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)


_T_LINE = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)$")


def parse_ann(source: str) -> Annotation:
    """Parse the text of a ``.ann`` file; notes (``#``), blank and malformed lines are tolerated."""
    ann = Annotation()
    for n, raw in enumerate(source.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        ident, _, rest = line.partition("\t")
        body, _, text = rest.partition("\t")
        kind, words = ident[:1], body.split()
        try:
            if kind == "T":
                m = _T_LINE.match(body.strip())
                spans = tuple(tuple(map(int, p.split())) for p in m.group(2).split(";"))
                if any(s > e for s, e in spans):
                    raise ValueError
                ann.entities[ident] = Entity(m.group(1), spans, text)
            elif kind == "E":
                pairs = [tuple(w.split(":", 1)) for w in words]
                if not pairs or any(len(p) != 2 for p in pairs):
                    raise ValueError
                (etype, trigger), roles = pairs[0], pairs[1:]
                ann.events[ident] = Event(etype, trigger, tuple(roles))
            elif kind == "A" or kind == "M":
                name, target, *value = words
                ann.attributes.setdefault(target, {})[name] = value[0] if value else True
            elif kind == "R":
                rtype, *args = words
                ann.relations[ident] = (rtype, tuple(tuple(a.split(":", 1)) for a in args))
            else:
                raise ValueError
        except (AttributeError, ValueError):
            ann.skipped.append((n, line))
    return ann


def read_ann(path: str | Path) -> Annotation:
    """Read a ``.ann`` file (UTF-8)."""
    return parse_ann(Path(path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- LCT numeric facts

@dataclass(frozen=True)
class GoldFact:
    """A numeric threshold from the gold standard, in the coordinates of the ``.txt``.

    ``comparator`` or ``value`` is None when the annotation cannot be expressed in the contract
    (``±`` tolerances, "doubling", "below the lower limit of normal"); ``notes`` says what the
    mapping had to repair or guess, for reading disagreements.
    """

    type: str
    span: Span
    text: str
    name: str
    comparator: Optional[str]
    value: Optional[float]
    value_high: Optional[float] = None
    unit: Optional[str] = None
    event_id: str = ""
    notes: tuple[str, ...] = ()


_PS = re.compile(
    r"ECOG|Eastern Cooperative Oncology Group|WHO performance|Zubrod|Karnofsky|KPS|Lansky"
    r"|performance (?:status|score)", re.I)
_BARE_PS = re.compile(r"\bPS\b")  # case-sensitive: "ps" inside words or prose is not a scale
LAB_NAMES = (
    "hemoglobin", "haemoglobin", "hb", "hgb", "platelets?", "neutrophils?", "anc", "wbc",
    "leu[ck]ocytes?", "white blood cells?", "creatinine", "clearance", "e?gfr", "bilirubin",
    "ast", "alt", "aspartate aminotransferase", "alanine aminotransferase", "albumin", "inr",
    "glucose", "hba1c", "a1c", "potassium", "sodium", "cd4", "psa", "testosterone", "ldl", "hdl",
    "triglycerides?", "tsh",
)
_LAB = re.compile(r"\b(?:%s)\b" % "|".join(LAB_NAMES), re.I)

_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WORDS.update(thirty=30, forty=40, fifty=50, sixty=60, seventy=70, eighty=80, ninety=90,
              hundred=100, twice=2, thrice=3)
_ROMAN = {r: i for i, r in enumerate("I II III IV V VI VII VIII IX X".split(), 1)}
_NUMBER = re.compile(r"(?<![\d.,])[-−]?\d+(?:[.,]\d+)*")
# "1.5 x 10^9/L": the contract keeps 1.5 and moves the power of ten into the unit
_POWER = re.compile(r"\s*[x×*]\s*10\s*\^?\s*[-−]?\d+")


def _number(token: str) -> float:
    neg = token[0] in "-−"
    digits = token.lstrip("-−")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):  # thousands separators
        digits = digits.replace(",", "")
    elif re.fullmatch(r"\d+,\d+", digits):  # a decimal comma ("7,8 mmol/l")
        digits = digits.replace(",", ".")
    x = float(digits)
    x = -x if neg else x
    return int(x) if x.is_integer() and "." not in digits else x


def numbers_in(text: str) -> list[float]:
    """Every number written with digits in ``text``, in order."""
    out = []
    for tok in _NUMBER.findall(_POWER.sub("", text)):
        try:
            out.append(_number(tok))
        except ValueError:
            pass
    return out


def parse_value(text: str) -> Optional[float]:
    """The number an Eq-Value text stands for, or None when it is not one number.

    ``"50,000"`` → 50000, ``"1,5"`` → 1.5, ``"≥18"`` → 18, ``"eighteen"`` → 18, ``"III"`` → 3,
    ``"5th"`` → 5; ``"20/40"`` (two numbers) and ``"doubling"`` → None.
    """
    t = unicodedata.normalize("NFKC", text).strip()
    if t.lower() in _WORDS:
        return _WORDS[t.lower()]
    if t in _ROMAN:
        return _ROMAN[t]
    nums = numbers_in(re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", t))
    return nums[0] if len(nums) == 1 else None


def _fact_type(event_type: str, name: str, obs_type, unit: Optional[str]) -> str:
    if event_type == "Age":
        return "age"
    # a bare "PS" with a unit is something else ("probing depth (PS) > 6 mm")
    if _PS.search(name) or (_BARE_PS.search(name) and unit is None):
        return "performance_status"
    if obs_type == "lab" or (obs_type is None and _LAB.search(name)):
        return "lab"
    return "other"


def _unit(ann: Annotation, ev: Event, text: str) -> Optional[str]:
    """Unit entities next to each other ("g" "/" "dL", "mL/" "min" "1.73 m2") read as one."""
    ents = sorted(((ann.entities[t], r) for r in ("Unit", "Temporal-Unit", "Per")
                   for t in ev.args(r) if t in ann.entities), key=lambda x: x[0].start)
    if not ents:
        return None
    start, end = ents[0][0].start, ents[0][0].end
    for e, _ in ents[1:]:
        if e.start >= end and re.fullmatch(r"[\s/]*(?:per\s*)?", text[end:e.start]):
            end = e.end
        elif e.start >= end:
            break
    if ents[0][1] == "Per":  # a lone denominator ("200/μL", "50,000 per ul") keeps its "/"
        start -= len(re.search(r"(?:/|\bper)?\s*$", text[:start]).group())
    return text[start:end].strip()


def _comparison(ann: Annotation, cmp: Event, linked: set[str]):
    """(comparator, value, value_high, notes) of an Eq-Comparison event.

    ``Eq-Operator-Value`` GT, GTEQ, LT, LTEQ, EQ, BETWEEN give ``>``, ``>=``, ``<``, ``<=``, ``=``,
    ``between`` (bounds ordered); a value with no operator is ``=``; PLUS-MINUS has no comparator.
    """
    notes = []
    op_ents = sorted((t for t in cmp.args("Operator") if t in ann.entities),
                     key=lambda t: ann.entities[t].start)
    anchor = ann.entities[cmp.trigger_id]
    if not op_ents:
        # an operator annotated inside the comparison but linked to no event ("≥ 50 mL/min")
        op_ents = [i for i, e in ann.entities.items() if e.type == "Eq-Operator" and i not in linked
                   and anchor.start <= e.start and e.end <= anchor.end]
        op_ents.sort(key=lambda t: ann.entities[t].start)
        if op_ents:
            notes.append("unlinked operator inside the comparison used")
    ops = []
    for t in op_ents:
        op = ann.attributes.get(t, {}).get("Eq-Operator-Value")
        if op is None:
            notes.append(f"operator {ann.entities[t].text!r} has no Eq-Operator-Value")
        else:
            ops.append(op)
    value_ents = sorted({ann.entities[t] for t in cmp.args("Value") if t in ann.entities},
                        key=lambda e: e.start)  # a span annotated twice counts once
    values = [v for v in (parse_value(e.text) for e in value_ents) if v is not None]
    if len(values) < len(value_ents):
        notes.append("unparsed value " + ", ".join(
            repr(e.text) for e in value_ents if parse_value(e.text) is None))
    whole = anchor.text
    if not value_ents:
        values = numbers_in(whole)[:1]
        if values:
            notes.append("value read from the comparison text")

    if "PLUS-MINUS" in ops:
        notes.append("± tolerance: no comparator")
        return None, values[0] if values else None, None, notes
    if "BETWEEN" in ops:
        pair = values[:2]
        if len(pair) < 2 and len(numbers_in(whole)) >= 2:
            pair = numbers_in(whole)[:2]
            notes.append("BETWEEN bounds read from the comparison text")
        if len(pair) == 2:
            if len(values) > 2:
                notes.append(f"BETWEEN with {len(values)} values: first two kept")
            in_roles = [parse_value(ann.entities[t].text) for t in cmp.args("Value")
                        if t in ann.entities]
            if len(in_roles) >= 2 and None not in in_roles[:2] and in_roles[0] > in_roles[1]:
                notes.append("BETWEEN values in reverse role order")
            return "between", min(pair), max(pair), notes
        notes.append("BETWEEN with one value: ignored")
        ops = [o for o in ops if o != "BETWEEN"]
    value = values[0] if values else None
    directed = [o for o in ops if o in ("GT", "GTEQ", "LT", "LTEQ")]
    if directed:
        if len(set(ops)) > 1:
            notes.append("operators combined: " + " ".join(ops))
        # "less than" (LT) + "or equal" (GTEQ) is "<=": the first gives the direction,
        # any inclusive one the "or equal"
        less = directed[0].startswith("LT")
        inclusive = any(o.endswith("EQ") and o != "EQ" for o in directed)
        return ("<" if less else ">") + ("=" if inclusive else ""), value, None, notes
    if not ops and len(values) >= 2:
        ints = sorted(set(values))
        if all(float(v).is_integer() for v in ints) and ints == list(
                range(int(ints[0]), int(ints[0]) + len(ints))):
            notes.append("consecutive values without operator ('0 or 1') read as between")
            return "between", ints[0], ints[-1], notes
        notes.append("several values without operator: first kept")
    if not ops and value is not None:
        notes.append("no operator: '='")
    return ("=" if value is not None or "EQ" in ops else None), value, None, notes


def lct_numeric_facts(ann: Annotation, text: str) -> list[GoldFact]:
    """Numeric facts of an LCT annotation: each ``Age`` or ``Observation`` event's
    ``Numeric-Filter`` pointing to an ``Eq-Comparison`` event, in text order."""
    facts = []
    linked = {t for ev in ann.events.values() for _, t in ev.roles}
    for eid, ev in ann.events.items():
        if ev.type not in ("Age", "Observation") or ev.trigger_id not in ann.entities:
            continue
        trigger = ann.entities[ev.trigger_id]
        names = [ann.entities[t].text for t in ev.args("Name") if t in ann.entities]
        name = "age" if ev.type == "Age" else (names[0] if names else trigger.text)
        obs_type = (ann.attributes.get(eid, {}).get("Observation-Type-Value")
                    or ann.attributes.get(ev.trigger_id, {}).get("Observation-Type-Value"))
        for cid in ev.args("Numeric-Filter"):
            cmp = ann.events.get(cid)
            if cmp is None or cmp.type != "Eq-Comparison" or cmp.trigger_id not in ann.entities:
                continue
            anchor = ann.entities[cmp.trigger_id]
            start, end = min(trigger.start, anchor.start), max(trigger.end, anchor.end)
            comparator, value, high, notes = _comparison(ann, cmp, linked)
            unit = _unit(ann, cmp, text)
            ftype = _fact_type(ev.type, " ".join(names) or trigger.text, obs_type, unit)
            facts.append(GoldFact(ftype, (start, end), text[start:end], name, comparator,
                                  value, high, unit, f"{eid}/{cid}", tuple(notes)))
    return sorted(facts, key=lambda f: (f.span, f.event_id))
