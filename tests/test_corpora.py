"""Every shared record is read with no crash and every span reads back."""
import collections
import json

import jsonschema


from extract import ReadError, extract_records, json_schema
from extract.readers import read_path


def run(path, nlp):
    results = list(extract_records(read_path(str(path)), nlp))
    assert not [r for r in results if isinstance(r, ReadError)]
    return results


def check_spans(trial):
    # span read-back is checked against the record inside the pipeline; a failure shows as an error
    assert not any("span" in e.message for e in trial.errors)
    ids = {c.id for c in trial.criteria}
    assert len(ids) == len(trial.criteria)
    assert all(c.parent is None or c.parent in ids for c in trial.criteria)


def test_ctgov_api_records(shared, nlp):
    trials = run(shared / "data/ctgov/ctg-studies-dev.json", nlp)
    assert len(trials) == 278
    validator = jsonschema.Draft202012Validator(json_schema())
    for t in trials:
        validator.validate(json.loads(t.model_dump_json(by_alias=True)))
        check_spans(t)
        assert t.trial_id.startswith("NCT") and t.criteria, t.trial_id
        assert t.registry is not None
    sections = collections.Counter(c.section for t in trials for c in t.criteria)
    assert sections["inclusion"] > 1500 and sections["exclusion"] > 1500
    # nearly all records have both headers; text without one is rare
    assert sections["unspecified"] < 0.03 * sum(sections.values())


def test_lct_texts(shared, nlp):
    trials = run(shared / "data/lct", nlp)
    assert len(trials) == len(list((shared / "data/lct").glob("*/*.txt")))
    for t in trials:
        check_spans(t)
    assert sum(1 for t in trials if t.criteria) >= 0.99 * len(trials)


def test_ctp_sample_csv(shared, nlp):
    trials = run(shared / "data/ctp-sample/clinical_trials.csv", nlp)
    assert len(trials) == 20
    for t in trials:
        check_spans(t)
        assert t.source.format == "csv" and t.criteria
