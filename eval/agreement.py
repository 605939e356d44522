"""Inter-annotator agreement between two independent passes over the same trials.

Criteria: F1 of one-to-one matches at ≥ 50% overlap (overlap over the longer span). Categories:
Cohen's kappa per label over matched criteria, and pooled over all (criterion, label) decisions.
Facts: F1 with strict matching (type, overlapping spans, key fields equal) and relaxed matching
(type and overlap). ``python -m eval.agreement PASSES_DIR A B [A B ...]`` or with
``--assignments annotations/assignments.json`` to take every doubly annotated trial.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from extract.models import CATEGORIES

from .gold import load_gold

# the fields two annotators must agree on for a strict fact match
KEY_FIELDS = {
    "age": ("comparator", "value", "value_high"), "lab": ("analyte", "comparator", "value", "value_high"),
    "performance_status": ("scale", "comparator", "value", "value_high"), "sex": ("value",),
    "imaging": ("modality", "tracer"), "stage": ("value", "metastatic"), "grade": ("values",),
    "histology": ("normalized",), "condition": ("normalized",), "prior_therapy": ("class",),
    "concomitant_therapy": ("class",), "procedure": ("class",), "measurable_disease": ("standard",),
    "ctcae_grade": ("comparator", "value"), "nyha_class": ("comparator", "value", "value_high"),
    "life_expectancy": ("comparator", "value"), "bmi": ("comparator", "value"), "lvef": ("comparator", "value"),
    "qtc": ("comparator", "value"), "ki67": ("comparator", "value"),
}


def overlap(a, b) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_criteria(xs, ys) -> list[tuple]:
    """One-to-one pairs at ≥ 50% overlap of the longer span, same field, greedy by overlap."""
    pairs = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            if x.field != y.field:
                continue
            o = overlap(x.span, y.span)
            longer = max(x.span[1] - x.span[0], y.span[1] - y.span[0], 1)
            if o / longer >= 0.5:
                pairs.append((o, i, j))
    used_i, used_j, out = set(), set(), []
    for o, i, j in sorted(pairs, reverse=True):
        if i not in used_i and j not in used_j:
            used_i.add(i), used_j.add(j)
            out.append((xs[i], ys[j]))
    return out


def _key(f) -> tuple:
    data = f.model_dump(by_alias=True)
    return tuple(json.dumps(data.get(k), sort_keys=True) for k in KEY_FIELDS.get(f.type, ()))


def match_facts(xs, ys, strict: bool) -> int:
    used, n = set(), 0
    for field_x, x in xs:
        for j, (field_y, y) in enumerate(ys):
            if j in used or field_x != field_y or x.type != y.type or not overlap(x.span, y.span):
                continue
            if strict and _key(x) != _key(y):
                continue
            used.add(j)
            n += 1
            break
    return n


def f1(matched: int, n1: int, n2: int) -> float:
    return 2 * matched / (n1 + n2) if n1 + n2 else 1.0


def agreement(pairs: list[tuple[Path, Path]]) -> dict:
    crit_m = crit_a = crit_b = 0
    facts = {"strict": 0, "relaxed": 0, "a": 0, "b": 0}
    labels = {c: ([], []) for c in CATEGORIES}
    for pa, pb in pairs:
        a, b = load_gold(pa).trial, load_gold(pb).trial
        matched = match_criteria(a.criteria, b.criteria)
        crit_m, crit_a, crit_b = crit_m + len(matched), crit_a + len(a.criteria), crit_b + len(b.criteria)
        for x, y in matched:
            for c in CATEGORIES:
                labels[c][0].append(c in x.categories)
                labels[c][1].append(c in y.categories)
        fa = [(c.field, f) for c in a.criteria for f in c.facts]
        fb = [(c.field, f) for c in b.criteria for f in c.facts]
        facts["a"] += len(fa)
        facts["b"] += len(fb)
        facts["strict"] += match_facts(fa, fb, strict=True)
        facts["relaxed"] += match_facts(fa, fb, strict=False)
    kappas = {}
    for c, (xa, xb) in labels.items():
        if any(xa) or any(xb):
            kappas[c] = round(float(cohen_kappa_score(xa, xb)), 3) if len(set(xa) | set(xb)) > 1 else 1.0
    pooled_a = [v for c in labels for v in labels[c][0]]
    pooled_b = [v for c in labels for v in labels[c][1]]
    return {
        "trials": len(pairs),
        "criteria": {"pass_a": crit_a, "pass_b": crit_b, "matched": crit_m, "f1": round(f1(crit_m, crit_a, crit_b), 3)},
        "categories": {"kappa_pooled": round(float(cohen_kappa_score(pooled_a, pooled_b)), 3) if pooled_a else None,
                       "kappa_macro": round(sum(kappas.values()) / len(kappas), 3) if kappas else None,
                       "kappa_per_label": kappas},
        "facts": {"pass_a": facts["a"], "pass_b": facts["b"],
                  "f1_strict": round(f1(facts["strict"], facts["a"], facts["b"]), 3),
                  "f1_relaxed": round(f1(facts["relaxed"], facts["a"], facts["b"]), 3)},
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", default="annotations/passes")
    ap.add_argument("--assignments", default="annotations/assignments.json")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    spec = json.loads(Path(args.assignments).read_text(encoding="utf-8"))
    pairs = []
    for trial in spec["double"]:
        who = [a for a, ts in spec["assignments"].items() if trial in ts]
        pairs.append((Path(args.passes) / who[0] / f"{trial}.json", Path(args.passes) / who[1] / f"{trial}.json"))
    result = agreement(pairs)
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
