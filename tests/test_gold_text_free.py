"""Text-free gold files (spans and hashes only, the text read from the source) and category-only gold."""
import json

import pytest

from eval.annotate import GoldBuilder
from eval.gold import load_gold, main as gold_main
from eval.score import score_gold

TEXT = ("Inclusion criteria:\n  1. Age >= 18 years;\n  2. ECOG 0-1;\nExclusion criteria:\n"
        "  1. Prior chemotherapy within 4 weeks;\n")


def _write(tmp_path, with_facts: bool):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "NCT00000001.txt").write_text(TEXT, encoding="utf-8")
    repo = tmp_path / "repo" / "annotations"
    repo.mkdir(parents=True)
    b = GoldBuilder("NCT00000001", "text", "../shared/NCT00000001.txt", fields={"text": TEXT})
    c = b.criterion("text", "Age >= 18 years", "inclusion", ["age"])
    if with_facts:
        b.fact(c, "age", "Age >= 18 years", comparator=">=", value=18, unit="a")
    b.criterion("text", "ECOG 0-1", "inclusion", ["performance_status"])
    b.criterion("text", "Prior chemotherapy within 4 weeks", "exclusion", ["prior_therapy"])
    full = repo / "full" / "NCT00000001.json"
    full.parent.mkdir()
    b.save(str(full), annotator="T1", notes="")
    return shared, repo, full


def test_text_free_copy_loads_back_to_the_same_gold_and_holds_no_text(tmp_path):
    shared, repo, full = _write(tmp_path, with_facts=True)
    assert gold_main(["--text-free", str(repo / "free"), str(full)]) == 0
    stored = (repo / "free" / full.name).read_text(encoding="utf-8")
    for phrase in ("Age >= 18 years", "ECOG 0-1", "Prior chemotherapy"):
        assert phrase not in stored
    a, b = load_gold(full), load_gold(repo / "free" / full.name)
    assert a.trial.model_dump() == b.trial.model_dump() and a.fields == b.fields and b.scope == "full"
    assert b.trial.criteria[0].facts[0].text == "Age >= 18 years"


def test_changed_or_missing_source_text_is_refused_naming_the_file(tmp_path):
    shared, repo, full = _write(tmp_path, with_facts=False)
    gold_main(["--text-free", str(repo / "free"), str(full)])
    free = repo / "free" / full.name
    (shared / "NCT00000001.txt").write_text(TEXT.replace("18", "21"), encoding="utf-8")
    with pytest.raises(ValueError, match="not the text the spans were made on"):
        load_gold(free)
    (shared / "NCT00000001.txt").unlink()
    with pytest.raises(ValueError, match=f"{free.name}.*not found"):
        load_gold(free)


def test_category_only_gold_scores_categories_but_not_facts(tmp_path):
    shared, repo, full = _write(tmp_path, with_facts=False)
    gold_main(["--text-free", str(repo / "free"), "--scope", "categories", str(full)])
    g = load_gold(repo / "free" / full.name)
    assert g.scope == "categories"
    (tmp_path / "b").mkdir()
    with_facts = load_gold(_write(tmp_path / "b", with_facts=True)[2]).trial
    pred = g.trial.model_copy(deep=True)
    pred.criteria[0].facts = with_facts.criteria[0].facts
    pred.criteria[2].categories = ["concomitant_therapy"]
    report = score_gold({g.trial.trial_id: g}, {pred.trial_id: pred}, n_boot=10)
    assert report.facts_overall.pred == 0 and report.facts_overall.strict.fp == 0
    assert report.categories.micro.f1 == pytest.approx(2 / 3)
    assert any("categories only" in n for n in report.notes)


def test_category_scope_with_facts_is_refused(tmp_path):
    shared, repo, full = _write(tmp_path, with_facts=True)
    data = json.loads(full.read_text(encoding="utf-8")) | {"scope": "categories"}
    full.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="scope 'categories' but facts"):
        load_gold(full)


def test_lct_category_gold_loads_from_shared_and_holds_no_criterion_text():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "annotations" / "dev-lct").glob("*.json"))
    if not (root.parent / "shared" / "data" / "lct").is_dir():
        pytest.skip("../shared (the LCT texts) is not beside the checkout")
    assert len(files) >= 100
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert "fields" not in data and all("text" not in c for c in data["criteria"])
        g = load_gold(path)
        assert g.scope == "categories" and g.trial.criteria
        assert all(g.fields[c.field][c.span[0]:c.span[1]] == c.text for c in g.trial.criteria)
