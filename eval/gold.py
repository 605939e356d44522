"""Gold annotation files: loading and checking them against the contract and their own text.

A gold file is a contract trial (``extract.models.Trial``) plus ``fields`` (the field texts the
spans point into), ``annotator`` and ``notes``. ``python -m eval.gold FILE_OR_DIR...`` checks
files and prints one line per problem.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from extract.models import Trial

EXTRA_KEYS = ("fields", "annotator", "notes")


@dataclass
class Gold:
    trial: Trial
    fields: dict[str, str]
    annotator: str
    notes: str
    path: Path


def load_gold(path: Path) -> Gold:
    """One gold file, validated; raises ValueError naming the file and the problem."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = data.get("fields") or {}
    body = {k: v for k, v in data.items() if k not in EXTRA_KEYS}
    try:
        trial = Trial.model_validate(body)
    except Exception as exc:
        raise ValueError(f"{path}: not a contract trial: {' '.join(str(exc).split())[:400]}") from exc
    problems = check(trial, fields)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))
    return Gold(trial, fields, data.get("annotator", ""), data.get("notes", ""), Path(path))


def check(trial: Trial, fields: dict[str, str]) -> list[str]:
    problems = []
    ids = [c.id for c in trial.criteria]
    if len(set(ids)) != len(ids):
        problems.append("criterion ids repeat")
    counters: dict[str, int] = {}
    for c in trial.criteria:
        text = fields.get(c.field)
        if text is None:
            problems.append(f"{c.id}: no field text for {c.field!r}")
            continue
        if text[c.span[0]:c.span[1]] != c.text:
            problems.append(f"{c.id}: span {list(c.span)} reads {text[c.span[0]:c.span[1]]!r}, not {c.text!r}")
        counters[c.field] = counters.get(c.field, 0) + 1
        if c.id != f"{trial.trial_id}:{c.field}:{counters[c.field]}":
            problems.append(f"{c.id}: expected id {trial.trial_id}:{c.field}:{counters[c.field]}")
        if c.parent is not None and c.parent not in ids:
            problems.append(f"{c.id}: parent {c.parent} is not a criterion")
        if not c.categories:
            problems.append(f"{c.id}: no category")
        if "other" in c.categories and len(c.categories) > 1:
            problems.append(f"{c.id}: 'other' beside {[x for x in c.categories if x != 'other']} "
                            "(the guideline gives 'other' only when no other label applies)")
        if (c.section == "exclusion") != (c.polarity == "exclude"):
            problems.append(f"{c.id}: polarity {c.polarity} in section {c.section}")
        for f in c.facts:
            if text[f.span[0]:f.span[1]] != f.text:
                problems.append(f"{c.id}: {f.type} fact span {list(f.span)} reads {text[f.span[0]:f.span[1]]!r}, not {f.text!r}")
    return problems


def gold_files(paths) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.json")) if p.is_dir() else [p])
    return out


def main(argv: list[str]) -> int:
    bad = 0
    files = gold_files(argv)
    for path in files:
        try:
            g = load_gold(path)
        except ValueError as exc:
            bad += 1
            print(exc)
            continue
        n_facts = sum(len(c.facts) for c in g.trial.criteria)
        print(f"ok {path}: {len(g.trial.criteria)} criteria, {n_facts} facts")
    print(f"{len(files) - bad} ok, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
