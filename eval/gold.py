"""Gold annotation files: loading and checking them against the contract and their own text.

A gold file is a contract trial (``extract.models.Trial``) plus ``fields`` (the field texts the
spans point into), ``annotator`` and ``notes``. ``python -m eval.gold FILE_OR_DIR...`` checks
files and prints one line per problem.

A *text-free* gold file is for sources whose text may not be copied into the repository (the LCT
corpus): it keeps only spans, with ``field_sha256`` in place of ``fields`` and no criterion or
fact text; loading reads the text from ``source.path`` (relative to a folder above the gold file,
e.g. ``../shared/...`` from the checkout), checks its hash and fills the texts back in.
``scope`` says what was annotated: ``full`` (the default) or ``categories`` (criteria, sections
and categories, no facts). ``python -m eval.gold --text-free OUT FILE...`` writes text-free copies.
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from extract.models import Trial

EXTRA_KEYS = ("fields", "annotator", "notes", "scope", "field_sha256")
SCOPES = ("full", "categories")


@dataclass
class Gold:
    trial: Trial
    fields: dict[str, str]
    annotator: str
    notes: str
    path: Path
    scope: str = "full"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _source_fields(path: Path, data: dict) -> dict[str, str]:
    """The field texts of a text-free gold file, read from its source and checked against its hashes."""
    from extract.readers import read_path

    rel = (data.get("source") or {}).get("path", "")
    found = next((base / rel for base in Path(path).resolve().parents if (base / rel).is_file()), None)
    if found is None:
        raise ValueError(f"{path}: source text {rel!r} not found above the gold file "
                         "(text-free gold reads its text from there, e.g. ../shared beside the checkout)")
    fields = next(iter(read_path(found))).fields
    for name, digest in data["field_sha256"].items():
        if name not in fields or _sha256(fields[name]) != digest:
            raise ValueError(f"{path}: field {name!r} of {found} is not the text the spans were made on")
    return {name: fields[name] for name in data["field_sha256"]}


def _fill_texts(data: dict, fields: dict[str, str]) -> None:
    for c in data.get("criteria", []):
        text = fields.get(c.get("field"), "")
        c["text"] = text[c["span"][0]:c["span"][1]]
        for f in c.get("facts", []):
            f["text"] = text[f["span"][0]:f["span"][1]]


def text_free(data: dict) -> dict:
    """A gold file's content without its source text: hashes of the fields, spans only."""
    out = {k: v for k, v in data.items() if k != "fields"}
    out["field_sha256"] = {name: _sha256(t) for name, t in (data.get("fields") or {}).items()}
    out["criteria"] = [{k: v for k, v in c.items() if k != "text"} | {"facts": [
        {k: v for k, v in f.items() if k != "text"} for f in c.get("facts", [])]} for c in data.get("criteria", [])]
    return out


def load_gold(path: Path) -> Gold:
    """One gold file, validated; raises ValueError naming the file and the problem."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if "field_sha256" in data and "fields" not in data:
        fields = _source_fields(path, data)
        _fill_texts(data, fields)
    else:
        fields = data.get("fields") or {}
    scope = data.get("scope", "full")
    if scope not in SCOPES:
        raise ValueError(f"{path}: scope {scope!r} is not one of {SCOPES}")
    body = {k: v for k, v in data.items() if k not in EXTRA_KEYS}
    try:
        trial = Trial.model_validate(body)
    except Exception as exc:
        raise ValueError(f"{path}: not a contract trial: {' '.join(str(exc).split())[:400]}") from exc
    problems = check(trial, fields)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))
    if scope == "categories" and any(c.facts for c in trial.criteria):
        raise ValueError(f"{path}: scope 'categories' but facts are given")
    return Gold(trial, fields, data.get("annotator", ""), data.get("notes", ""), Path(path), scope)


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


def write_text_free(out: Path, argv: list[str], scope: str = "full") -> int:
    """Text-free copies of the given gold files in ``out``; the originals must check clean."""
    out.mkdir(parents=True, exist_ok=True)
    for path in gold_files(argv):
        load_gold(path)
        data = json.loads(Path(path).read_text(encoding="utf-8")) | {"scope": scope}
        (out / Path(path).name).write_text(json.dumps(text_free(data), ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--text-free"]:  # --text-free OUT [--scope S] FILE...
        scope = argv[3] if argv[2:3] == ["--scope"] else "full"
        return write_text_free(Path(argv[1]), argv[4:] if argv[2:3] == ["--scope"] else argv[2:], scope)
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
