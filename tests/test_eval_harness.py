"""`elig eval`: alignment, metrics, scoring against gold files and LCT BRAT, HTML/JSON, floors.

Predictions are contract trials built from the gold fixtures (tests/fixtures/gold, written by
eval.annotate.GoldBuilder through tests/build_gold_fixtures.py) and edited on purpose, or real `elig extract` output.
"""
import importlib.util
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.align import align, greedy, overlap_ratio, overlapping
from eval.cli import run
from eval.metrics import Bootstrap, Counts, f1_array, macro, multilabel_counts
from eval.numeric import load_lct_gold
from eval.numeric import load_predictions as load_numeric_predictions
from eval.numeric import score as numeric_score
from eval.report_html import render
from eval.score import (BRAT_TYPES, HEADLINE_FIXED, KEY_FIELDS, evaluate, headline_names,
                        load_floors, load_gold_trials, load_predictions, score_gold)
from extract.models import Fact, Trial

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "gold"
BRAT = ROOT / "tests" / "fixtures" / "brat"
N_CRITERIA, N_FACTS = 22, 27


def elig(*args, **kw):
    return subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def gold():
    trials, notes = load_gold_trials(GOLD)
    assert not notes
    return trials


def contract(gold) -> dict[str, dict]:
    """The gold trials in the contract shape `elig extract` writes (no fields/annotator/notes)."""
    return {tid: g.trial.model_dump(mode="json", by_alias=True) for tid, g in gold.items()}


def as_trials(lines: dict[str, dict]) -> dict[str, Trial]:
    return {tid: Trial.model_validate(d) for tid, d in lines.items()}


def write_jsonl(path: Path, lines: dict[str, dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines.values()),
                    encoding="utf-8")
    return path


def criterion(lines, tid, text):
    return next(c for c in lines[tid]["criteria"] if c["text"] == text)


def counts(prf):
    return prf.tp, prf.fp, prf.fn


# ---------------------------------------------------------------- fixtures and tables


def test_fixtures_are_valid_gold_written_by_the_builder(gold):
    spec = importlib.util.spec_from_file_location("build_gold_fixtures",
                                                  ROOT / "tests" / "build_gold_fixtures.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    rendered = build.rendered()
    assert sorted(rendered) == sorted(p.name for p in GOLD.glob("*.json"))
    for name, text in rendered.items():
        assert (GOLD / name).read_text(encoding="utf-8") == text, "rerun tests/build_gold_fixtures.py"
    assert sum(len(g.trial.criteria) for g in gold.values()) == N_CRITERIA
    assert sum(len(c.facts) for g in gold.values() for c in g.trial.criteria) == N_FACTS


def test_key_fields_cover_every_fact_type_of_the_contract():
    union = typing.get_args(typing.get_args(Fact)[0])
    types = {t for model in union for t in typing.get_args(model.model_fields["type"].annotation)}
    assert types == set(KEY_FIELDS)
    floors = json.loads((ROOT / "eval" / "floors.json").read_text(encoding="utf-8"))
    assert set(floors) <= set(headline_names())  # every floor names a metric a report can carry
    assert load_floors(ROOT / "eval" / "floors.json") == {k: float(v) for k, v in floors.items()}


# ---------------------------------------------------------------- alignment and metrics


def test_align_exact_overlap_split_merged():
    gold = [(0, 10), (10, 20), (30, 40)]
    al = align(gold, [(0, 20), (30, 38)])
    assert al.exact == [] and al.matched == [(0, 0), (2, 1)]  # 10/20 = 0.5 counts, 8/10 too
    assert al.merged == [(0, [0, 1])] and al.split == []
    al = align([(0, 20)], [(0, 9), (9, 20)])
    assert al.split == [(0, [0, 1])] and al.matched == [(0, 1)] and al.merged == []
    assert overlap_ratio((0, 10), (5, 25)) == 0.25
    # a nested list's parent whose span holds its items is neither split nor merged
    nested = [(0, 30), (5, 15), (15, 30)]
    al = align(nested, nested)
    assert al.exact == al.matched == [(0, 0), (1, 1), (2, 2)] and not al.split and not al.merged


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)), max_size=12),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)), max_size=12))
def test_overlapping_pairs_are_all_and_only_the_overlapping_ones(a, b):
    a = [(s, s + n) for s, n in a]
    b = [(s, s + n) for s, n in b]
    brute = {(i, j, min(x[1], y[1]) - max(x[0], y[0])) for i, x in enumerate(a) for j, y in enumerate(b)
             if min(x[1], y[1]) > max(x[0], y[0])}
    assert set(overlapping(a, b)) == brute
    pairs = greedy(a, b, lambda i, j, ov: ov)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)


def test_multilabel_counts_and_bootstrap():
    per_label = multilabel_counts([({"age", "sex"}, {"age"}), ({"lab"}, ()), ((), {"other"})])
    assert {k: (c.tp, c.fp, c.fn) for k, c in per_label.items()} == {
        "age": (1, 0, 0), "sex": (0, 0, 1), "lab": (0, 0, 1), "other": (0, 1, 0)}
    assert macro(per_label) == (0.25, 0.25, 0.25)
    rows = [[3, 1, 0], [0, 0, 2], [5, 0, 1]]
    a, b = Bootstrap(3, 300, seed=7), Bootstrap(3, 300, seed=7)
    ci = a.ci(rows, f1_array)
    assert ci == b.ci(rows, f1_array) and 0 <= ci[0] <= ci[1] <= 1
    assert Bootstrap(3, 0).ci(rows, f1_array) is None
    assert Counts(8, 1, 3).f1 == pytest.approx(16 / 20)


# ---------------------------------------------------------------- scoring against gold files


def test_perfect_prediction_scores_one_everywhere(gold, tmp_path):
    report = evaluate(GOLD, write_jsonl(tmp_path / "pred.jsonl", contract(gold)), n_boot=200)
    assert set(report.headline) == set(HEADLINE_FIXED) | {
        f"fact_strict_f1.{t}" for t in report.facts}
    for name, h in report.headline.items():
        assert h.value == 1.0 and h.ci == (1.0, 1.0), name
    seg = report.segmentation
    assert (seg.gold, seg.pred, seg.split, seg.merged) == (N_CRITERIA, N_CRITERIA, 0, 0)
    assert counts(seg.exact) == counts(seg.overlap) == (N_CRITERIA, 0, 0)
    for acc in (report.section, report.polarity, report.negated):
        assert (acc.correct, acc.total, acc.accuracy) == (N_CRITERIA, N_CRITERIA, 1.0)
    for label, s in report.categories.labels.items():
        assert (s.precision, s.recall, s.f1, s.kappa) == (1.0, 1.0, 1.0, 1.0), label
    assert all(g == p for g, row in report.categories.confusion.items() for p in row)
    assert len(report.facts) == 20 and report.facts_overall.gold == N_FACTS
    for t, s in list(report.facts.items()) + [("all", report.facts_overall)]:
        assert s.strict.f1 == s.relaxed.f1 == 1.0 and s.gold == s.pred, t
    assert report.field_accuracy and all(a.accuracy == 1.0 for a in report.field_accuracy.values())
    assert not (report.criterion_errors or report.fact_errors or report.missing or report.unknown
                or report.warnings)


@pytest.mark.parametrize("k", [1, 3])
def test_dropping_k_facts_adds_exactly_k_false_negatives(gold, k):
    lines = contract(gold)
    crit = criterion(lines, "FIX001", "Hemoglobin > 9 g/dL and platelets ≥ 100 x 10^9/L")
    dropped = [crit["facts"].pop()]  # platelets
    if k == 3:
        dropped.append(criterion(lines, "FIX002", "Men and women aged 18-75 years")["facts"].pop(0))  # sex
        dropped.append(criterion(lines, "FIX003", "Lumbar disc herniation confirmed by MRI")["facts"].pop())  # imaging
    report = score_gold(gold, as_trials(lines), n_boot=0)
    facts = report.facts_overall
    assert counts(facts.strict) == counts(facts.relaxed) == (N_FACTS - k, 0, k)
    for d in dropped:
        s = report.facts[d["type"]]
        assert counts(s.strict) == counts(s.relaxed) == (s.gold - 1, 0, 1)
    assert sorted(e.gold["text"] for e in report.fact_errors) == sorted(d["text"] for d in dropped)
    assert {e.kind for e in report.fact_errors} == {"missed"}
    assert counts(report.segmentation.overlap) == (N_CRITERIA, 0, 0)
    assert report.headline["category_micro_f1"].value == 1.0


def test_corrupted_comparator_moves_one_strict_tp_to_fp_and_fn(gold):
    lines = contract(gold)
    hb = criterion(lines, "FIX001", "Hemoglobin > 9 g/dL and platelets ≥ 100 x 10^9/L")["facts"][0]
    assert hb["analyte"] == "hemoglobin" and hb["comparator"] == ">"
    hb["comparator"] = ">="
    report = score_gold(gold, as_trials(lines), n_boot=0)
    lab = report.facts["lab"]
    assert counts(lab.strict) == (3, 1, 1) and counts(lab.relaxed) == (4, 0, 0)
    assert counts(report.facts_overall.strict) == (N_FACTS - 1, 1, 1)
    assert counts(report.facts_overall.relaxed) == (N_FACTS, 0, 0)
    (err,) = report.fact_errors
    assert (err.kind, err.type, err.differs) == ("mismatch", "lab", ["comparator"])
    assert err.gold["comparator"] == ">" and err.pred["comparator"] == ">="
    assert err.criterion.startswith("Hemoglobin")
    comparator = report.field_accuracy["comparator"]
    assert (comparator.agree, comparator.total) == (comparator.total - 1, 10)
    assert report.field_accuracy_by_type["lab"]["comparator"].agree == 3
    assert report.field_accuracy["value"].accuracy == 1.0


def test_dropping_a_criterion_gives_a_segmentation_false_negative(gold):
    lines = contract(gold)
    gone = criterion(lines, "FIX002", "Life expectancy < 3 months")
    lines["FIX002"]["criteria"].remove(gone)
    report = score_gold(gold, as_trials(lines), n_boot=0)
    seg = report.segmentation
    assert counts(seg.exact) == counts(seg.overlap) == (N_CRITERIA - 1, 0, 1)
    assert (seg.split, seg.merged) == (0, 0)
    (err,) = report.criterion_errors
    assert (err.kind, err.trial_id, err.field, err.gold[0].text, err.pred) == (
        "missed", "FIX002", "text", "Life expectancy < 3 months", [])
    assert counts(report.categories.labels["life_expectancy"]) == (0, 0, 1)
    n_labels = sum(len(c.categories) for g in gold.values() for c in g.trial.criteria)
    assert counts(report.categories.micro) == (n_labels - 1, 0, 1)
    assert counts(report.facts["life_expectancy"].strict) == (0, 0, 1)
    assert report.section.total == N_CRITERIA - 1 and report.section.accuracy == 1.0


def test_split_and_merged_criteria_are_counted_and_listed(gold):
    lines = contract(gold)
    text = gold["FIX002"].fields["text"]
    men = criterion(lines, "FIX002", "Men and women aged 18-75 years")
    start, end = men["span"]
    cut = start + len("Men and women ")
    first = dict(men, text=text[start:cut - 1], span=[start, cut - 1], facts=[men["facts"][0]],
                 categories=["sex"])
    second = dict(men, text=text[cut:end], span=[cut, end], facts=[men["facts"][1]], categories=["age"])
    crits = lines["FIX002"]["criteria"]
    crits[crits.index(men):crits.index(men) + 1] = [first, second]
    elig_text = gold["FIX003"].fields["eligibility"]
    surgery = criterion(lines, "FIX003", "Spine surgery within the last 12 months")
    bmi = criterion(lines, "FIX003", "Body mass index > 35 kg/m2")
    merged = dict(surgery, text=elig_text[surgery["span"][0]:bmi["span"][1]],
                  span=[surgery["span"][0], bmi["span"][1]], facts=surgery["facts"] + bmi["facts"],
                  categories=["other", "procedure"])
    lines["FIX003"]["criteria"][2:4] = [merged]
    report = score_gold(gold, as_trials(lines), n_boot=0)
    seg = report.segmentation
    assert (seg.split, seg.merged) == (1, 1)
    # "aged 18-75 years" covers 16/30 of its gold criterion: a ≥50% match; "Men and women" not
    assert counts(seg.overlap) == (N_CRITERIA - 1, 1, 1)
    assert counts(seg.exact) == (N_CRITERIA - 3, 3, 3)
    kinds = {e.kind: e for e in report.criterion_errors}
    assert [c.text for c in kinds["split"].pred] == ["Men and women", "aged 18-75 years"]
    assert [c.text for c in kinds["merged"].gold] == ["Spine surgery within the last 12 months",
                                                      "Body mass index > 35 kg/m2"]
    # facts are matched across the field, not per criterion: all still found
    assert report.facts_overall.strict.f1 == 1.0


def test_unknown_and_missing_trials_are_reported(gold, tmp_path):
    lines = contract(gold)
    stranger = json.loads(json.dumps(lines["FIX001"]).replace("FIX001", "NCT00000000"))
    pred = {"FIX001": lines["FIX001"], "NCT00000000": stranger}
    report = evaluate(GOLD, write_jsonl(tmp_path / "pred.jsonl", pred), n_boot=100)
    assert report.missing == ["FIX002", "FIX003"] and report.unknown == ["NCT00000000"]
    assert (report.gold_trials, report.scored_trials) == (3, 1)
    n_crit = len(gold["FIX001"].trial.criteria)
    n_facts = sum(len(c.facts) for c in gold["FIX001"].trial.criteria)
    # the missing trials' gold is all FN; the unknown trial's predictions are not FP
    assert counts(report.segmentation.overlap) == (n_crit, 0, N_CRITERIA - n_crit)
    assert counts(report.facts_overall.strict) == (n_facts, 0, N_FACTS - n_facts)
    assert {t.trial_id: t.status for t in report.trials} == {
        "FIX001": "scored", "FIX002": "missing", "FIX003": "missing"}
    lo, hi = report.headline["segmentation_f1_overlap"].ci
    assert lo < report.headline["segmentation_f1_overlap"].value < hi or lo == hi
    html = render(report)
    assert "NCT00000000" in html and "FIX003" in html and "without a prediction" in html


def test_bootstrap_is_reproducible_from_the_seed(gold):
    lines = contract(gold)
    del lines["FIX003"]
    pred = as_trials(lines)
    a, b = score_gold(gold, pred, n_boot=300, seed=3), score_gold(gold, pred, n_boot=300, seed=3)
    assert a.headline == b.headline
    for h in a.headline.values():
        assert h.ci is None or h.ci[0] <= h.value <= h.ci[1]
    assert score_gold(gold, pred, n_boot=0).headline["fact_strict_f1"].ci is None


def test_gold_files_as_predictions_measure_agreement(gold):
    report = evaluate(GOLD, GOLD, n_boot=0)
    assert report.headline["segmentation_f1_exact"].value == report.headline["fact_strict_f1"].value == 1.0


# ---------------------------------------------------------------- LCT BRAT gold


def test_brat_perfect_prediction_and_numeric_scorer_agree(tmp_path):
    gold = load_lct_gold(BRAT)
    lines = {}
    for tid, (text, facts) in gold.items():
        crits = []
        for n, f in enumerate((f for f in facts if f.type in BRAT_TYPES and f.comparator), 1):
            fact = {"type": f.type, "text": f.text, "span": list(f.span), "comparator": f.comparator,
                    "value": f.value, "value_high": f.value_high}
            fact.update({"lab": {"analyte": f.name}, "performance_status": {"scale": "ECOG"}}.get(f.type, {}))
            crits.append({"id": f"{tid}:text:{n}", "field": "text", "section": "inclusion",
                          "polarity": "include", "text": f.text, "span": list(f.span),
                          "categories": ["lab"], "facts": [fact]})
        lines[tid] = {"trial_id": tid, "source": {"format": "text", "path": f"{tid}.txt"},
                      "criteria": crits}
    pred_path = write_jsonl(tmp_path / "pred.jsonl", {t: Trial.model_validate(d).model_dump(
        mode="json", by_alias=True) for t, d in lines.items()})
    report = evaluate(BRAT, pred_path, fmt="brat", n_boot=100)
    assert report.format == "brat" and report.segmentation is None and report.categories is None
    assert set(report.headline) == {"fact_strict_f1", "fact_relaxed_f1"} | {
        f"fact_strict_f1.{t}" for t in BRAT_TYPES}
    assert all(h.value == 1.0 for h in report.headline.values())
    assert {t: s.gold for t, s in report.facts.items()} == {"age": 2, "lab": 5, "performance_status": 1}
    # one file works as well as the folder
    one = evaluate(BRAT / "TRIAL002.ann", pred_path, fmt="brat", n_boot=0)
    assert one.gold_trials == 1 and one.unknown == ["TRIAL001"]


def test_brat_end_to_end_with_the_extractor(tmp_path):
    pred = tmp_path / "pred.jsonl"
    proc = elig("extract", BRAT, "-o", pred)
    assert proc.returncode == 0, proc.stderr
    out, page = tmp_path / "scores.json", tmp_path / "report.html"
    floors = tmp_path / "floors.json"  # the repo's floors are for annotations/test, not this fixture
    floors.write_text(json.dumps({"segmentation_f1_overlap": 0.9, "fact_strict_f1": 0.0}), encoding="utf-8")
    proc = elig("eval", "--gold", BRAT, "--format", "brat", "--pred", pred, "--json", out,
                "--report", page, "--bootstrap", "50", "--floors", floors)
    assert proc.returncode == 0, proc.stderr
    assert "not checked" in proc.stderr  # segmentation floors do not apply to BRAT gold
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["format"] == "brat" and scores["missing"] == [] and scores["unknown"] == []
    # same counts as eval.numeric on the same files
    reference = numeric_score(load_lct_gold(BRAT), load_numeric_predictions(pred))
    for t, s in reference.types.items():
        assert scores["facts"][t]["strict"]["tp"] == s.strict.tp
        assert scores["facts"][t]["strict"]["fp"] == s.strict.fp
        assert scores["facts"][t]["relaxed"]["fn"] == s.relaxed.fn
    assert "data:image/png;base64," in page.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the command


def test_command_end_to_end_writes_html_and_json(gold, tmp_path):
    lines = contract(gold)
    criterion(lines, "FIX001", "Hemoglobin > 9 g/dL and platelets ≥ 100 x 10^9/L")["facts"][0]["comparator"] = ">="
    lines["FIX002"]["criteria"].remove(criterion(lines, "FIX002", "Life expectancy < 3 months"))
    lines["NCT00000000"] = json.loads(json.dumps(lines["FIX003"]).replace("FIX003", "NCT00000000"))
    pred = write_jsonl(tmp_path / "pred.jsonl", lines)
    out, page = tmp_path / "scores.json", tmp_path / "report.html"
    proc = elig("eval", "--gold", GOLD, "--pred", pred, "--report", page, "--json", out,
                "--bootstrap", "100", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    assert "segmentation_f1_overlap" in proc.stdout and "NCT00000000" in proc.stdout
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert set(HEADLINE_FIXED) <= set(scores["headline"])
    assert scores["headline"]["segmentation_f1_exact"]["value"] == pytest.approx(2 * 21 / 43)
    assert scores["unknown"] == ["NCT00000000"] and scores["bootstrap"] == 100 and scores["seed"] == 1
    assert [e["kind"] for e in scores["criterion_errors"]] == ["missed"]
    assert sorted(e["kind"] for e in scores["fact_errors"]) == ["mismatch", "missed"]
    html = page.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 3  # fact F1, confusion, per-label P/R
    assert "Fact mismatches" in html and "Missed criteria" in html
    assert "Life expectancy &lt; 3 months" in html  # the missed criterion in the error list
    assert '<span class="diff">comparator=&gt;=</span>' in html  # the differing key, side by side
    assert not re.search(r'(?:src|href)="(?!data:|#)', html) and "<script" not in html


def test_error_list_is_capped_with_the_total(gold):
    lines = contract(gold)
    for trial in lines.values():
        for c in trial["criteria"]:
            c["facts"] = []
    html = render(score_gold(gold, as_trials(lines), n_boot=0), max_errors=5)
    assert f"{N_FACTS} in all, first 5 shown" in html


def test_floor_above_the_score_exits_non_zero(gold, tmp_path):
    lines = contract(gold)
    lines["FIX002"]["criteria"].remove(criterion(lines, "FIX002", "Life expectancy < 3 months"))
    pred = write_jsonl(tmp_path / "pred.jsonl", lines)
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"segmentation_f1_overlap": 0.99, "fact_strict_f1": 0.5}), encoding="utf-8")
    proc = elig("eval", "--gold", GOLD, "--pred", pred, "--floors", floors, "--bootstrap", "0")
    assert proc.returncode == 1
    assert "segmentation_f1_overlap" in proc.stderr and "below its floor" in proc.stderr
    assert "fact_strict_f1 " not in proc.stderr


def test_floors_in_process(gold, tmp_path, capsys):
    pred = write_jsonl(tmp_path / "pred.jsonl", contract(gold))
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"fact_strict_f1.lab": 1.0, "category_macro_f1": 0.9}), encoding="utf-8")
    assert run(GOLD, pred, floors=floors, bootstrap=0) == 0
    floors.write_text(json.dumps({"fact_strict_f1.lvef": 0.5}), encoding="utf-8")
    assert run(GOLD, pred, floors=floors, bootstrap=0) == 0  # no lvef facts: not computed, noted
    assert "not checked" in capsys.readouterr().err
    floors.write_text(json.dumps({"segmentation_f1": 0.5}), encoding="utf-8")
    assert run(GOLD, pred, floors=floors, bootstrap=0) == 2
    assert "unknown metric(s) segmentation_f1" in capsys.readouterr().err


def test_unreadable_input_exits_2(gold, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    lines = contract(gold)
    bad.write_text(json.dumps(lines["FIX001"]) + "\n{not json\n", encoding="utf-8")
    assert run(GOLD, bad, bootstrap=0) == 2
    assert "line 2" in capsys.readouterr().err
    broken = tmp_path / "gold"
    broken.mkdir()
    data = json.loads((GOLD / "FIX003.json").read_text(encoding="utf-8"))
    data["criteria"][0]["span"] = [1, 40]
    (broken / "FIX003.json").write_text(json.dumps(data), encoding="utf-8")
    assert run(broken, write_jsonl(tmp_path / "p.jsonl", lines), bootstrap=0) == 2
    assert "FIX003.json" in capsys.readouterr().err
    assert run(GOLD, tmp_path / "nothing.jsonl", bootstrap=0) == 2
    assert run(GOLD, bad, fmt="xml") == 2


def test_duplicate_predictions_and_text_mismatch_are_warned(gold, tmp_path):
    lines = contract(gold)
    pred = tmp_path / "pred.jsonl"
    write_jsonl(pred, lines)
    with pred.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(lines["FIX001"]) + "\n")
    shifted = json.loads(json.dumps(lines["FIX003"]))
    for c in shifted["criteria"]:
        c["text"] = "x" * len(c["text"])
        c["facts"] = []
    report = score_gold(gold, {**as_trials(lines), "FIX003": Trial.model_validate(shifted)}, n_boot=0)
    assert any("FIX003: 4 predicted criteria whose text" in w for w in report.warnings)
    trials, notes = load_predictions(pred)
    assert len(trials) == 3 and "written twice" in notes[0]
