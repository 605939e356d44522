"""Splitting eligibility text into single criteria, with nesting.

Pure functions over text and its sections: lines become items (a marker starts one, wrapped
lines continue one), items nest by indentation and by a colon-ended parent, inline ``a) ...
b) ...`` enumerations become children. Run-on paragraphs are split by a callback that sees
tokens (see ``runon``). Offsets are into the text given (the cleaned view of a field).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from .data_files import load_json, load_lines
from .sections import SectionRange

_LAYOUT = load_json("list_layout.json")
MARKER = re.compile(_LAYOUT["marker"])
INLINE_MARKER = re.compile(_LAYOUT["inline_marker"])
CONNECTOR = re.compile(_LAYOUT["connector_lines"])
NUMERIC_SHAPE = re.compile(_LAYOUT["numeric_shape"], re.I)
CONTINUES = re.compile(_LAYOUT["continuation_end"], re.I)
SPLIT_INTRO = re.compile(_LAYOUT["inline_split_intro"], re.I)
EMPTY_ITEM = re.compile(_LAYOUT["empty_items"], re.I)
LEADING_ENUM = re.compile(_LAYOUT["leading_enumerator"])
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}

SECTION_OF = {"inclusion": "inclusion", "exclusion": "exclusion"}


@dataclass
class Item:
    """One criterion candidate: ``[start, end)`` in the text, its list marker and nesting."""

    start: int
    end: int
    section: str
    indent: int = 0
    kind: Optional[str] = None  # marker kind: "bullet:*", "num", "alpha", "ALPHA", "roman"; None unmarked
    label: str = ""
    parent: Optional[int] = None  # index of the parent item in the final list
    facts: list = field(default_factory=list)  # fact drafts, filled by the fact components
    negated: bool = False
    categories: list = field(default_factory=list)
    category_scores: Optional[dict] = None


def _marker_kind(marker: str, prev_kind: Optional[str]) -> tuple[str, str]:
    core = marker.strip("().")
    if core.isdigit():
        return "num", core
    if len(marker.rstrip(".)").lstrip("(")) == 1 and not core.isalpha():
        return f"bullet:{marker}", marker
    if core.lower() in _ROMAN and (prev_kind == "roman" or (core.lower() == "i" and prev_kind != "alpha")):
        return "roman", core.lower()
    if core.isalpha() and len(core) == 1:
        return ("alpha" if core.islower() else "ALPHA"), core.lower()
    if core.lower() in _ROMAN:
        return "roman", core.lower()
    return f"bullet:{marker}", marker


def _lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def line_items(text: str, sec: SectionRange, section: str) -> list[Item]:
    """Items of one section body, one per marker or paragraph, wrapped lines joined."""
    boilerplate = load_lines("page_boilerplate.txt")
    items: list[Item] = []
    prev_blank = True
    prev_kind: Optional[str] = None
    content_col = 0  # column where the current item's text starts
    for ls, le in _lines(text, sec.body_start, sec.end):
        line = text[ls:le]
        stripped = line.strip()
        if not stripped:
            prev_blank = True
            continue
        if stripped in boilerplate or CONNECTOR.match(stripped) or EMPTY_ITEM.match(stripped):
            prev_blank = True
            continue
        m = MARKER.match(line)
        if m and m.end() < len(line.rstrip()):
            indent = len(m.group("indent").expandtabs(4))
            kind, label = _marker_kind(m.group("marker"), prev_kind)
            prev_kind = kind
            s, e = _strip(text, ls + m.end(), le)
            if EMPTY_ITEM.match(text[s:e]):
                prev_blank = True
                continue
            items.append(Item(s, e, section, indent, kind, label))
            content_col = m.end()
            prev_blank = False
            continue
        indent = len(line) - len(line.lstrip())
        s, e = _strip(text, ls, le)
        if items and _continues(text, items[-1], s, prev_blank, indent, content_col):
            items[-1].end = e
        else:
            items.append(Item(s, e, section, indent, None))
            content_col = indent
        prev_blank = False
    return items


def _continues(text: str, prev: Item, start: int, prev_blank: bool, indent: int, content_col: int) -> bool:
    """Is a line without a marker the wrapped continuation of the item before it?"""
    prev_text = text[prev.start:prev.end]
    if prev_text.endswith(":"):
        return False
    if prev_blank:
        # a paragraph indented under a marked item's text belongs to it
        return prev.kind is not None and indent >= max(content_col - 1, 1)
    first = text[start]
    if first.islower() or first.isdigit() or first in "([{,;.&/%<>=≤≥+":
        return True
    if prev.kind is not None and indent >= max(content_col - 1, 1):
        return True
    return bool(CONTINUES.search(prev_text))


def _signature(text: str, item: Item) -> tuple[bool, bool]:
    s = text[item.start:item.end]
    return bool(NUMERIC_SHAPE.search(s)), s[:1].islower()


@dataclass
class _Level:
    indent: int
    kind: Optional[str]
    parent: Optional[int]  # item index owning this level
    flat: bool = False  # children written with the parent's own marker and indent
    signature: tuple = ()


def nest(text: str, items: list[Item]) -> None:
    """Set ``parent`` from indentation, marker changes and colon-ended parents."""
    stack: list[_Level] = []
    prev: Optional[int] = None
    for i, item in enumerate(items):
        if not stack:
            stack.append(_Level(item.indent, item.kind, None))
        elif prev is not None and text[items[prev].start:items[prev].end].endswith(":") \
                and items[prev].section == item.section:
            top = stack[-1]
            flat = item.indent <= top.indent and item.kind == top.kind
            stack.append(_Level(item.indent, item.kind, prev, flat, _signature(text, item)))
        elif prev is not None and item.indent > stack[-1].indent + 1 and item.kind is not None:
            stack.append(_Level(item.indent, item.kind, prev))
        else:
            while len(stack) > 1 and not _fits(text, stack[-1], item):
                stack.pop()
        item.parent = stack[-1].parent
        prev = i


def _fits(text: str, level: _Level, item: Item) -> bool:
    if level.flat:
        return (item.indent == level.indent and item.kind == level.kind
                and _signature(text, item) == level.signature)
    if item.indent > level.indent + 1:
        return True
    return item.indent >= level.indent - 1 and item.kind == level.kind


def inline_children(text: str, item: Item) -> tuple[int, list[tuple[int, int]]]:
    """Where the first inline marker starts and the ``[start, end)`` of each enumerated part
    ("a) ... b) ..."), when there are two or more parts."""
    s = text[item.start:item.end]
    marks = [m for m in INLINE_MARKER.finditer(s)]
    run: list[re.Match] = []
    expected = None
    for m in marks:
        label = m.group("label") or m.group("num")
        if expected is None or label != expected:
            if label in ("a", "1", "i") or (m.group("num") and not run):
                run = [m]
            else:
                continue
        else:
            run.append(m)
        expected = _next_label(label)
    if len(run) < 2:
        return item.end, []
    intro = s[:run[0].start()].strip()
    if intro and intro[-1] in ";." and len(intro) > 3:
        return item.start, [_strip(text, item.start, item.start + run[0].start())] + _parts(text, item, s, run)
    if intro and not SPLIT_INTRO.search(intro):
        return item.end, []
    return item.start + run[0].start(), _parts(text, item, s, run)


def _parts(text: str, item: Item, s: str, run: list) -> list[tuple[int, int]]:
    parts = []
    for k, m in enumerate(run):
        stop = run[k + 1].start() if k + 1 < len(run) else len(s)
        a, b = _strip(text, item.start + m.end(), item.start + stop)
        b = _drop_connector(text, a, b)
        if b > a:
            parts.append((a, b))
    return parts


def _next_label(label: str) -> str:
    if label.isdigit():
        return str(int(label) + 1)
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"]
    if label in romans[1:] or label == "i":
        return romans[romans.index(label) + 1] if label != romans[-1] else ""
    return chr(ord(label) + 1)


def _drop_connector(text: str, start: int, end: int) -> int:
    m = re.search(r"[\s,;]+(?:and|or|and/or)$", text[start:end])
    return start + m.start() if m else end


Splitter = Callable[[int, int], list[tuple[int, int]]]


def segment(text: str, sections: list[SectionRange], split_paragraph: Optional[Splitter] = None) -> list[Item]:
    """All criteria of a text, in order, with parents set."""
    out: list[Item] = []
    for sec in sections:
        section = SECTION_OF.get(sec.category or "", "unspecified")
        items = line_items(text, sec, section)
        if split_paragraph is not None:
            items = _split_paragraphs(items, split_paragraph)
        nest(text, items)
        out.extend(_with_inline(text, items, base=len(out)))
    return out


def _split_paragraphs(items: list[Item], split: Splitter) -> list[Item]:
    result = []
    for item in items:
        if item.kind is not None:
            result.append(item)
            continue
        for a, b in split(item.start, item.end):
            result.append(Item(a, b, item.section, item.indent, None))
    return result


def _with_inline(text: str, items: list[Item], base: int) -> list[Item]:
    """Re-index items into the running list, adding inline enumerated children."""
    new_index: dict[int, int] = {}
    result: list[Item] = []
    for i, item in enumerate(items):
        parent = new_index.get(item.parent) if item.parent is not None else None
        first_marker, parts = inline_children(text, item)
        intro_end = _strip(text, item.start, first_marker)[1]
        me = Item(item.start, item.end, item.section, item.indent, item.kind, item.label, parent)
        lead = LEADING_ENUM.match(text, item.start, item.end) if not parts and item.kind else None
        if lead:
            me.start = lead.end()
        if parts and intro_end > item.start:
            me.end = intro_end
        if parts and intro_end <= item.start:
            # nothing before "a)": the parts stand in the item's place
            for a, b in parts:
                result.append(Item(a, b, item.section, item.indent, "inline", "", parent))
            new_index[i] = base + len(result) - 1
            continue
        result.append(me)
        new_index[i] = base + len(result) - 1
        for a, b in parts:
            result.append(Item(a, b, item.section, item.indent + 1, "inline", "", new_index[i]))
    return result
