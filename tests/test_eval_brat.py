"""The BRAT reader, the LCT numeric-fact mapping and the numeric scoring harness (eval/)."""
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from eval.brat import lct_numeric_facts, parse_value, read_ann
from eval.numeric import load_lct_gold, load_predictions, main, score

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
LCT = SHARED / "data" / "lct"
FIXTURES = Path(__file__).parent / "fixtures" / "brat"
COMPARATORS = {"<", "<=", ">", ">=", "=", "between", None}


@pytest.fixture(scope="module")
def lct():
    if not LCT.is_dir():
        pytest.skip("../shared/data/lct is not beside the repository")
    return LCT


def facts_of(path: Path):
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    return lct_numeric_facts(read_ann(path.with_suffix(".ann")), text)


# ---------------------------------------------------------------- predictions in the contract shape

def _fact(g) -> dict:
    fact = {"type": g.type, "text": g.text, "span": list(g.span), "comparator": g.comparator,
            "value": g.value, "value_high": g.value_high, "unit": None, "relative_to": None,
            "normalized": None, "eligible": [], "condition": None}
    if g.type == "performance_status":
        scale = "Karnofsky" if re.search(r"karnofsky|kps", g.name, re.I) else "ECOG"
        fact.update(scale=scale, allowed=[])
    elif g.type == "lab":
        fact.update(analyte=g.name, loinc=None)
    return fact


def trial_line(trial_id: str, facts, field: str = "text") -> dict:
    """One output line with a criterion per fact (criterion span = fact span)."""
    criteria = [{"id": f"{trial_id}:{field}:{n}", "field": field, "section": "inclusion",
                 "polarity": "include", "text": g.text, "span": list(g.span), "parent": None,
                 "categories": [g.type], "negated": False, "facts": [_fact(g)]}
                for n, g in enumerate(facts, 1)]
    return {"schema_version": "1", "trial_id": trial_id,
            "source": {"format": "text", "path": f"{trial_id}.txt"}, "registry": None,
            "criteria": criteria,
            "summary": {"age": None, "sex": None, "performance_status": {}, "labs": [],
                        "conflicts": []},
            "errors": []}


def write_predictions(path: Path, per_trial: dict) -> Path:
    """``per_trial``: trial id -> gold-like facts; facts the contract cannot hold are left out."""
    with path.open("w", encoding="utf-8") as fh:
        for tid, facts in per_trial.items():
            usable = [f for f in facts
                      if f.type != "other" and f.comparator and f.value is not None]
            fh.write(json.dumps(trial_line(tid, usable), ensure_ascii=False) + "\n")
    return path


def as_predictions(gold, tmp_path, edit=lambda tid, facts: facts):
    path = write_predictions(tmp_path / "pred.jsonl",
                             {tid: edit(tid, list(facts)) for tid, (_, facts) in gold.items()})
    return load_predictions(path)


# ---------------------------------------------------------------- reader and mapping, real files

def test_real_lct_file(lct):
    path = lct / "batch1" / "NCT03860038.ann"
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    ann = read_ann(path)
    assert text[29] == "≥" and ann.entities["T19"].text == "≥"  # code-point offsets
    assert ann.events["E19"].roles == (("Operator", "T19"), ("Value", "T28"))
    assert ann.attributes["T46"] == {"Eq-Operator-Value": "BETWEEN"}
    facts = lct_numeric_facts(ann, text)
    age, life, ecog = facts
    assert (age.type, age.text, age.comparator, age.value, age.value_high) == (
        "age", "Age ≥ 18", ">=", 18, None)
    assert (life.type, life.name, life.comparator, life.value, life.unit) == (
        "other", "life expectancy", ">=", 6, "months")
    assert life.text == "life expectancy of no less than 6 months"
    # Value is "2", Value2 is "0": bounds come out ordered
    assert (ecog.type, ecog.comparator, ecog.value, ecog.value_high) == (
        "performance_status", "between", 0, 2)
    assert ecog.text.endswith("score of 0~2")
    assert all(text[f.span[0]:f.span[1]] == f.text for f in facts)


def test_whole_corpus_reads(lct):
    counts = {}
    for path in sorted(lct.rglob("*.ann")):
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        ann = read_ann(path)
        assert not ann.skipped, path
        for ent in ann.entities.values():
            assert " ".join(text[s:e] for s, e in ent.spans) == ent.text, (path, ent)
        for f in lct_numeric_facts(ann, text):
            assert text[f.span[0]:f.span[1]] == f.text
            assert f.comparator in COMPARATORS
            assert f.comparator != "between" or f.value < f.value_high
            counts[f.type] = counts.get(f.type, 0) + 1
    assert counts["age"] > 300 and counts["lab"] > 100 and counts["performance_status"] > 10


# ---------------------------------------------------------------- reader and mapping, fixture

def test_fixture_discontinuous_and_odd_lines():
    ann = read_ann(FIXTURES / "TRIAL001.ann")
    neut = ann.entities["T24"]
    assert neut.spans == ((130, 140), (156, 162)) and neut.text == "Neutrophil counts"
    assert (neut.start, neut.end) == (130, 162)
    assert [n for n, _ in ann.skipped] == [71]  # the malformed T99 line; note and blank ignored
    assert ann.relations["R1"] == ("And", (("Arg1", "E5"), ("Arg2", "E7")))
    assert ann.attributes["E13"] == {"Observation-Type-Value": "vital", "Negated": True}
    assert ann.events["E4"].args("Value") == ["T9", "T10"]


def test_fixture_facts():
    got = [(f.type, f.text, f.comparator, f.value, f.value_high, f.unit)
           for f in facts_of(FIXTURES / "TRIAL001.ann")]
    assert got == [
        ("age", "Age ≥ 18 years", ">=", 18, None, "years"),
        ("performance_status", "ECOG performance status 0 or 1", "between", 0, 1, None),
        ("lab", "Platelets ≥ 100,000/mm³", ">=", 100000, None, "/mm³"),
        ("lab", "hemoglobin > 9 g/dL", ">", 9, None, "g/dL"),
        ("lab", "Neutrophil and lymphocyte counts of at least 1.5 x 10^9/L", ">=", 1.5, None,
         "10^9/L"),
        ("lab", "Creatinine clearance below 1,5 mL/s", "<", 1.5, None, "mL/s"),
        ("other", "Body weight within ±10%", None, 10, None, "%"),
    ]
    got = [(f.type, f.name, f.comparator, f.value, f.value_high)
           for f in facts_of(FIXTURES / "TRIAL002.ann")]
    assert got == [("age", "age", "between", 40, 75),
                   ("lab", "Fasting glucose", "between", 5.6, 6.9),
                   ("other", "Life expectancy", ">=", 12, None)]


@pytest.mark.parametrize("text, value", [
    ("18", 18), ("50,000", 50000), ("1,5", 1.5), ("7,8", 7.8), ("≥18", 18), ("1.5 x 10^9", 1.5),
    ("eighteen", 18), ("twice", 2), ("III", 3), ("Ⅳ", 4), ("5th", 5), ("-1", -1),
    ("20/40", None), ("doubling", None), ("C", None),
])
def test_parse_value(text, value):
    assert parse_value(text) == value


# ---------------------------------------------------------------- harness

def test_gold_against_itself_scores_one(lct, tmp_path):
    gold = load_lct_gold(lct)
    report = score(gold, as_predictions(gold, tmp_path))
    assert report.missing_predictions == [] and report.unknown_predictions == []
    for name, s in report.types.items():
        assert s.strict.tp > 0, name
        assert s.strict.f1 == s.relaxed.f1 == 1.0, name
        assert s.strict.precision == s.strict.recall == 1.0 and not s.errors


def test_fixture_gold_against_itself(tmp_path):
    gold = load_lct_gold(FIXTURES)
    assert sorted(gold) == ["TRIAL001", "TRIAL002"]
    report = score(gold, as_predictions(gold, tmp_path))
    assert {t: s.strict.tp for t, s in report.types.items()} == {
        "age": 2, "lab": 5, "performance_status": 1}
    assert report.overall.strict.f1 == 1.0


@pytest.mark.parametrize("k", [1, 3])
def test_dropping_k_facts_gives_k_false_negatives(tmp_path, k):
    gold = load_lct_gold(FIXTURES)
    labs = [f for f in gold["TRIAL001"][1] if f.type == "lab"][:k]
    pred = as_predictions(gold, tmp_path, lambda tid, fs: [f for f in fs if f not in labs])
    lab = score(gold, pred).types["lab"]
    for counts in (lab.strict, lab.relaxed):
        assert (counts.tp, counts.fp, counts.fn) == (5 - k, 0, k)
    assert [e.kind for e in lab.errors] == ["missed"] * k
    assert {e.gold for e in lab.false_negatives} == set(labs)


def test_one_changed_comparator_is_strict_error_only(tmp_path):
    gold = load_lct_gold(FIXTURES)
    hb = next(f for f in gold["TRIAL001"][1] if f.name == "hemoglobin")
    pred = as_predictions(gold, tmp_path, lambda tid, fs: [
        replace(f, comparator=">=") if f == hb else f for f in fs])
    lab = score(gold, pred).types["lab"]
    assert (lab.strict.tp, lab.strict.fp, lab.strict.fn) == (4, 1, 1)
    assert (lab.relaxed.tp, lab.relaxed.fp, lab.relaxed.fn) == (5, 0, 0)
    (err,) = lab.errors
    assert err.kind == "mismatch" and err.gold == hb and err.pred.comparator == ">="
    assert err in lab.false_positives and err in lab.false_negatives


def test_between_bounds_compare_as_a_set(tmp_path):
    gold = load_lct_gold(FIXTURES)
    pred = as_predictions(gold, tmp_path, lambda tid, fs: [
        replace(f, value=f.value_high, value_high=f.value) if f.comparator == "between" else f
        for f in fs])
    assert score(gold, pred).overall.strict.f1 == 1.0


def test_unknown_and_missing_trials_are_reported(tmp_path):
    gold = load_lct_gold(FIXTURES)
    path = write_predictions(tmp_path / "pred.jsonl", {
        "TRIAL001": gold["TRIAL001"][1], "NCT00000000": gold["TRIAL002"][1]})
    report = score(gold, load_predictions(path))
    assert report.missing_predictions == ["TRIAL002"]
    assert report.unknown_predictions == ["NCT00000000"]
    # TRIAL002's age and lab count as FN; the unknown trial's facts are not FP
    assert (report.overall.strict.tp, report.overall.strict.fp, report.overall.strict.fn) == (
        6, 0, 2)


def test_unscorable_gold_is_ignored_with_its_prediction(tmp_path):
    gold = load_lct_gold(FIXTURES)
    plus_minus = next(f for f in gold["TRIAL001"][1] if f.comparator is None)
    line = trial_line("TRIAL001", [replace(plus_minus, comparator="<=")])
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    other = score(gold, load_predictions(path), types=("other",)).types["other"]
    assert (other.ignored_gold, other.ignored_pred) == (1, 1)
    assert (other.strict.tp, other.strict.fp, other.strict.fn) == (0, 0, 1)  # life expectancy


def test_load_predictions_keeps_numeric_text_facts_only(tmp_path):
    gold = load_lct_gold(FIXTURES)
    facts = [f for f in gold["TRIAL002"][1] if f.type != "other"]
    line = trial_line("TRIAL002", facts)
    line["criteria"] += trial_line("TRIAL002", facts, field="eligibility")["criteria"]
    line["criteria"][0]["facts"].append({"type": "sex", "text": "Men and women",
                                         "span": [15, 28], "value": "all"})
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(line) + "\n\n", encoding="utf-8")
    preds = load_predictions(path)["TRIAL002"]
    assert [(p.type, p.span, p.comparator) for p in preds] == [
        ("age", (28, 44), "between"), ("lab", (49, 82), "between")]
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_predictions(path)


def test_command_line(tmp_path, capsys):
    gold = load_lct_gold(FIXTURES)
    pred = write_predictions(tmp_path / "pred.jsonl", {"TRIAL001": gold["TRIAL001"][1][:2]})
    out = tmp_path / "scores.json"
    assert main(["--gold", str(FIXTURES), "--pred", str(pred), "--json", str(out),
                 "--errors", "2"]) == 0
    printed = capsys.readouterr().out
    assert "performance_status" in printed and "TRIAL002" in printed and "missed" in printed
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["types"]["age"]["strict"] == {
        "tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert scores["missing_predictions"] == ["TRIAL002"]
    assert len(scores["errors"]["lab"]) == 5
