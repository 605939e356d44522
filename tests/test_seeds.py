"""The five seed pages: criteria counts, nesting, run-on splitting and registry fields."""
import pytest

from extract import extract_records
from extract.readers import read_path


@pytest.fixture(scope="module")
def seeds(shared, nlp):
    trials = {}
    for trial in extract_records(read_path(str(shared / "seeds")), nlp):
        trials[trial.source.path.rsplit("/", 1)[-1][:3]] = trial
    return trials


def by_section(trial, section):
    return [c for c in trial.criteria if c.section == section]


def test_every_span_reads_back(seeds, shared):
    for key, trial in seeds.items():
        text = open(trial.source.path, encoding="utf-8").read()
        for c in trial.criteria:
            assert text[c.span[0]:c.span[1]] == c.text
        assert trial.errors == []


def test_seed_000(seeds):
    t = seeds["000"]
    assert t.trial_id == "NCT07273409"
    assert len(by_section(t, "inclusion")) == 4
    exc = by_section(t, "exclusion")
    assert len(exc) == 8
    assert exc[6].text.startswith("The study subject does not fit into either STRATA: a) STRATUM 1")
    assert by_section(t, "inclusion")[2].text == "Age ≥ 18 years"
    assert t.registry.minimum_age.value == 18 and t.registry.minimum_age.unit == "a"
    assert t.registry.sex == "all" and t.registry.healthy_volunteers is False


def test_seed_001_wrapped_bullets(seeds):
    t = seeds["001"]
    inc, exc = by_section(t, "inclusion"), by_section(t, "exclusion")
    assert (len(inc), len(exc)) == (11, 7)
    labs = inc[9].text
    assert labs.startswith("Hemoglobin > 90 g/L") and labs.endswith("albumin > 25 g/L")
    assert inc[2].text == "Eastern Cooperative Oncology Group (ECOG) 0-1"
    assert t.registry.sex == "all"


def test_seed_002_run_on(seeds):
    t = seeds["002"]
    inc = [c.text for c in by_section(t, "inclusion")]
    assert inc[-4:] == [
        "Age 18 years or older", "ECOG 0-1",
        "Any resectable (including borderline resectable, but without need for arterial reconstruction) "
        "(before or after neoadjuvant treatment) PDAC",
        "Patient can understand verbal and written information",
    ]
    exc = [c.text for c in by_section(t, "exclusion")]
    assert len(exc) == 9
    assert exc[1] == "Uncontrolled (bacterial or fungal) infections"
    assert exc[5] == "Neuropathy \\>grade 1 (CTCAE, v 5.0)"
    assert exc[-1] == "Pre-defined need for arterial reconstruction to resect primary tumor"
    assert t.registry.minimum_age.value == 18 and t.registry.sex == "all" and t.registry.healthy_volunteers is False
    assert not any(c.text.startswith("18 Years") for c in t.criteria)


def test_seed_003_has_no_criteria(seeds):
    t = seeds["003"]
    assert t.criteria == [] and t.errors == []


def test_seed_004_nested_labs(seeds):
    t = seeds["004"]
    assert t.trial_id == "NCT06256705"
    inc, exc = by_section(t, "inclusion"), by_section(t, "exclusion")
    assert len(inc) == 9 and len(exc) == 25
    top = [c for c in exc if c.parent is None]
    assert len(top) == 18
    parent = next(c for c in exc if c.text.endswith("as assessed by the following laboratory tests:"))
    children = [c for c in exc if c.parent == parent.id]
    assert len(children) == 7
    assert children[0].text == "Platelet count \\< 75,000/mm3"
    assert children[-1].text.startswith("Glomerular Filtration Rate (GFR)")
    assert t.registry.minimum_age.value == 18
