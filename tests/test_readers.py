"""Readers on real files: the shared ClinicalTrials.gov data, the CTP sample, the seeds, and
the fixtures in tests/fixtures/ (no mocks)."""
from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.models import AgeValue, ErrorItem, Source
from extract.readers import FORMATS, Record, ReadError, detect_format, read_path, read_paths
from extract.readers.ctgov_json import study_record

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIX = Path(__file__).resolve().parent / "fixtures"
READERS = FIX / "readers"
DEV_JSON = SHARED / "data" / "ctgov" / "ctg-studies-dev.json"
CTP_CSV = SHARED / "data" / "ctp-sample" / "clinical_trials.csv"
NCT = re.compile(r"NCT\d{8}")
FIELD = re.compile(r"(eligibility|brief_summary|detailed_description|text|arm_group:\d+)")


@pytest.fixture(scope="module")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def check(items) -> tuple[list[Record], list[ReadError]]:
    """Every result is a well-formed Record or ReadError; returns both lists."""
    records, errors = [], []
    for item in items:
        if isinstance(item, ReadError):
            assert isinstance(item.where, str) and item.where
            assert isinstance(item.message, str) and item.message and "\n" not in item.message
            assert not item.message.startswith("reader failed"), item  # a reader bug, not a bad file
            errors.append(item)
            continue
        assert isinstance(item, Record)
        assert isinstance(item.trial_id, str) and item.trial_id
        Source(format=item.format, path=item.path)  # the contract's format names
        assert isinstance(item.path, str)
        for name, value in item.fields.items():
            assert FIELD.fullmatch(name), name
            assert isinstance(value, str) and value.strip(), name
        assert all(isinstance(e, ErrorItem) for e in item.errors)
        records.append(item)
    return records, errors


def by_id(records):
    return {r.trial_id: r for r in records}


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("head, fmt", [
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "zip"),
    (b'{"protocolSection": {}}', "ctgov-json"),
    (b'\xef\xbb\xbf \n {\n "studies": []}', "ctgov-json"),
    (b'[\n  {"protocolSection": {}}]', "ctgov-json"),
    (b'{"protocolSection": {}}\n{"protocolSection": {}}\n', "ctgov-json"),
    (b'<?xml version="1.0"?>\n<clinical_study rank="1">', "ctgov-xml"),
    (b'<search_results>\n <clinical_study>', "ctgov-xml"),
    (b"id|nct_id|gender|criteria\n1|NCT00000102|All|x\n", "aact"),
    (b"#nct_id,title,has_us_facility,conditions,eligibility_criteria\n", "csv"),
    (b'"nct_id","criteria"\r\n', "csv"),
    (b"{", "ctgov-json"),  # broken JSON is reported as such, not read as a page
    (b"<html><body>not a study</body></html>", "text"),
    (b"Overview\n\nStatus:\nRecruiting\n", "text"),
])
def test_detect_format_from_content(head, fmt):
    assert detect_format("x.bin", head) == fmt


@pytest.mark.parametrize("head, message", [(b"", "empty file"), (b"abc\x00def", "binary")])
def test_detect_format_rejects_empty_and_binary(head, message):
    with pytest.raises(ReadError, match=message):
        detect_format("x", head)


# ---------------------------------------------------------------- ClinicalTrials.gov JSON

def test_dev_json_all_studies(shared):
    raw = json.loads(DEV_JSON.read_text("utf-8"))["studies"]
    records, errors = check(read_path(DEV_JSON))
    assert not errors and len(records) == len(raw) == 278
    assert [r.trial_id for r in records] == [s["protocolSection"]["identificationModule"]["nctId"] for s in raw]
    assert all(NCT.fullmatch(r.trial_id) for r in records)
    for rec, study in zip(records, raw):
        section = study["protocolSection"]
        elig = section["eligibilityModule"]
        assert rec.format == "ctgov-json" and rec.path == str(DEV_JSON)
        assert rec.fields["eligibility"] == elig["eligibilityCriteria"]  # unchanged, not stripped
        assert rec.errors == []
        m = re.fullmatch(r"(\d+) Years", elig.get("minimumAge", ""))
        if m:
            assert rec.registry.minimum_age == AgeValue(value=float(m.group(1)), unit="a")
        assert rec.registry.sex == elig["sex"].lower()
        assert rec.registry.healthy_volunteers == elig.get("healthyVolunteers")
        arms = section.get("armsInterventionsModule", {}).get("armGroups", [])
        for i, arm in enumerate(arms):
            if arm.get("description", "").strip():
                assert rec.fields[f"arm_group:{i}"] == arm["description"]
        if section.get("descriptionModule", {}).get("detailedDescription", "").strip():
            assert rec.fields["detailed_description"] == section["descriptionModule"]["detailedDescription"]
    first = records[0]
    assert first.trial_id == "NCT06576635" and first.registry.minimum_age == AgeValue(value=18, unit="a")
    months = [r for r in records if r.registry.minimum_age and r.registry.minimum_age.unit == "mo"]
    assert months and months[0].registry.minimum_age.value == 18


def test_single_study_json():
    path = READERS / "NCT02385136.json"
    (rec,), errors = check(read_path(path))
    assert not errors
    assert rec.trial_id == "NCT02385136" and rec.format == "ctgov-json"
    assert rec.fields["eligibility"].startswith("Inclusion Criteria:\n\n* histologically")
    assert set(rec.fields) == {"eligibility", "brief_summary", "arm_group:0", "arm_group:1"}
    assert rec.fields["arm_group:1"] == "whole brain radiotherapy (WBRT)"
    assert rec.registry.minimum_age == AgeValue(value=18, unit="a")
    assert rec.registry.maximum_age == AgeValue(value=75, unit="a")
    assert rec.registry.sex == "all" and rec.registry.healthy_volunteers is False


def test_json_array_of_studies():
    records, errors = check(read_path(READERS / "studies_array.json"))
    assert not errors
    assert [r.trial_id for r in records] == ["NCT05032404", "NCT02283021", "NCT04204720"]
    female = records[0]
    assert female.registry.sex == "female" and female.registry.maximum_age == AgeValue(value=55, unit="a")
    assert records[1].registry.healthy_volunteers is True
    assert records[2].registry.minimum_age is None  # the source gives no ages


def test_json_lines_broken_line_is_reported_and_skipped():
    path = READERS / "studies.jsonl"
    items = list(read_path(path))
    records, errors = check(items)
    assert [r.trial_id for r in records] == ["NCT02385136", "NCT05032404", "NCT06715774", "NCT04204720"]
    assert len(errors) == 1 and errors[0].where == f"{path} line 3"
    assert "invalid JSON" in errors[0].message
    assert isinstance(items[2], ReadError)  # reported in its place, reading went on
    assert records[2].registry.minimum_age == AgeValue(value=10, unit="a")


def test_json_bad_records_and_missing_ids(tmp_path):
    study = json.loads((READERS / "NCT02385136.json").read_text("utf-8"))
    no_id = json.loads(json.dumps(study))
    del no_id["protocolSection"]["identificationModule"]["nctId"]
    no_criteria = json.loads(json.dumps(no_id))
    no_criteria["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = "  \n"
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"studies": [no_id, 42, {"derivedSection": {}}, no_criteria]}), "utf-8")
    records, errors = check(read_path(page))
    assert [r.trial_id for r in records] == ["page#1", "page#4"]
    assert [e.where for e in errors] == [f"{page} record 2", f"{page} record 3"]
    assert "eligibility" not in records[1].fields
    assert records[1].errors == [ErrorItem(field="eligibility", message="no eligibility criteria text")]
    assert records[1].registry.maximum_age == AgeValue(value=75, unit="a")

    single = tmp_path / "lonely.json"
    single.write_text(json.dumps(no_id), "utf-8")
    (rec,), _ = check(read_path(single))
    assert rec.trial_id == "lonely"

    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(study, ensure_ascii=False).encode("utf-8"))
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(study, ensure_ascii=False).replace("WBRT", "WBRT \u00e9").encode("cp1252"))
    records, errors = check(read_paths([bom, latin]))
    assert [r.trial_id for r in records] == ["NCT02385136"]
    assert errors[0].where == str(latin) and errors[0].message.startswith("not valid UTF-8")

    broken = tmp_path / "broken.json"
    broken.write_text('{"studies": [ {"protocolSection": ', "utf-8")
    records, errors = check(read_path(broken))
    assert not records and errors[0].where == str(broken) and "invalid JSON" in errors[0].message


def test_study_record_rejects_non_studies():
    assert isinstance(study_record([1, 2], "x.json", lambda nct: "x.json record 1"), ReadError)
    rec = study_record({"protocolSection": {"eligibilityModule": {"eligibilityCriteria": 7}}},
                       "x.json", lambda nct: "x")
    assert "eligibility" not in rec.fields and {e.field for e in rec.errors} == {"eligibility"}


# ---------------------------------------------------------------- legacy XML

def test_xml_single_study_text_as_decoded():
    path = READERS / "NCT02385136.xml"
    (rec,), errors = check(read_path(path))
    assert not errors and rec.trial_id == "NCT02385136" and rec.format == "ctgov-xml"
    crit = rec.fields["eligibility"]
    assert crit.startswith("\n        Inclusion Criteria:\n\n          -  histologically")  # not dedented
    assert crit.endswith("pregnancy.\n      ")  # not stripped
    assert "diameter >5cm" in crit  # &gt; decoded
    assert rec.fields["arm_group:0"] == "whole brain radiotherapy (WBRT) concomitantly with temozolomide (TMZ)"
    assert rec.registry.minimum_age == AgeValue(value=18, unit="a")
    assert rec.registry.maximum_age == AgeValue(value=75, unit="a")
    assert rec.registry.sex == "all" and rec.registry.healthy_volunteers is False


def test_xml_wrapper_with_several_studies():
    records, errors = check(read_path(READERS / "two_studies.xml"))
    assert not errors
    first, second = records
    assert (first.trial_id, second.trial_id) == ("NCT02283021", "NCT05032404")
    assert first.registry.healthy_volunteers is True  # "Accepts Healthy Volunteers"
    assert set(first.fields) == {"eligibility", "brief_summary", "detailed_description", "arm_group:0", "arm_group:1"}
    assert second.registry.sex == "female"
    assert "eligibility" not in second.fields
    assert second.errors == [ErrorItem(field="eligibility", message="no eligibility criteria text")]


def test_xml_errors(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<clinical_study><id_info><nct_id>NCT1</nct_id></clinical_study>", "utf-8")
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                    "<clinical_study><brief_title>&a;</brief_title></clinical_study>", "utf-8")
    _, errors = check(read_paths([bad, bomb]))
    assert [e.where for e in errors] == [str(bad), str(bomb)]
    assert all(e.message.startswith("invalid XML") for e in errors)


# ---------------------------------------------------------------- zip

def test_zip_bulk_download_members(tmp_path, shared):
    studies = json.loads(DEV_JSON.read_text("utf-8"))["studies"][:3]
    archive = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ctg-studies/", "")
        for s in studies:
            zf.writestr(f"ctg-studies/{s['protocolSection']['identificationModule']['nctId']}.json", json.dumps(s))
        zf.writestr("NCT02385136.xml", (READERS / "NCT02385136.xml").read_bytes())
        zf.writestr("NCT99999999.json", b'{"protocolSection": ')
        zf.writestr("README.txt", b"Downloaded from ClinicalTrials.gov")
        zf.writestr("__MACOSX/._NCT1.json", b"\x00\x05")
    records, errors = check(read_path(str(archive)))
    ids = [s["protocolSection"]["identificationModule"]["nctId"] for s in studies]
    assert [r.trial_id for r in records] == ids + ["NCT02385136"]
    assert records[0].path == f"{archive}!ctg-studies/{ids[0]}.json" and records[0].format == "ctgov-json"
    assert records[-1].format == "ctgov-xml" and records[-1].path == f"{archive}!NCT02385136.xml"
    assert [e.where for e in errors] == [f"{archive}!NCT99999999.json", f"{archive}!README.txt"]
    assert records[0].fields["eligibility"] == studies[0]["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]


def test_corrupt_zip(tmp_path):
    bad = tmp_path / "cut.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x01" * 40)
    records, errors = check(read_path(bad))
    assert not records and errors[0].where == str(bad) and "zip" in errors[0].message


# ---------------------------------------------------------------- AACT

def test_aact_folder_joins_side_tables():
    folder = FIX / "aact"
    records, errors = check(read_path(folder))  # the folder: one AACT source, not 4 text pages
    assert not errors
    got = by_id(records)
    assert list(got) == ["NCT02385136", "NCT05032404", "NCT04871997"]
    assert all(r.format == "aact" and r.path == str(folder / "eligibilities.txt") for r in records)
    first = got["NCT02385136"]
    assert first.fields["eligibility"].startswith("Inclusion Criteria:\n\n* histologically diagnosed")
    assert first.fields["eligibility"].endswith("RPA class =3; pregnancy.")
    assert first.fields["arm_group:0"] == "whole brain radiotherapy (WBRT) concomitantly with temozolomide (TMZ)"
    assert first.fields["arm_group:1"] == "whole brain radiotherapy (WBRT)"
    assert "detailed_description" not in first.fields
    assert first.registry.maximum_age == AgeValue(value=75, unit="a") and first.registry.healthy_volunteers is False
    second = got["NCT05032404"]
    assert second.registry.sex == "female"
    assert second.fields["detailed_description"].startswith("Sponsor is testing")
    third = got["NCT04871997"]  # a quoted "|" in population, doubled quotes in criteria
    assert 'If any of the above items is "No", the patient' in third.fields["eligibility"]
    assert third.registry.minimum_age == AgeValue(value=18, unit="a") and third.registry.maximum_age is None
    assert third.fields["brief_summary"].startswith("A real-world study")
    assert [r.trial_id for r in check(read_path(folder / "eligibilities.txt"))[0]] == list(got)


def test_aact_exporter_form_tilde_newlines():
    records, errors = check(read_path(FIX / "aact_export"))
    assert not errors and [r.trial_id for r in records] == ["NCT02385136", "NCT05032404", "NCT04871997"]
    crit = records[2].fields["eligibility"]
    assert "~" not in crit and crit.startswith("Inclusion Criteria:\n1. Age: ")
    assert "items is No, the patient" in crit  # the exporter deleted the quotes
    assert records[0].fields["brief_summary"].startswith("The purpose of this study")
    assert records[1].registry.sex == "female"


def test_aact_matches_source_json(shared):
    raw = {s["protocolSection"]["identificationModule"]["nctId"]: s["protocolSection"]
           for s in json.loads(DEV_JSON.read_text("utf-8"))["studies"]}
    for rec in check(read_path(FIX / "aact"))[0]:
        assert rec.fields["eligibility"] == raw[rec.trial_id]["eligibilityModule"]["eligibilityCriteria"]
        assert rec.fields["brief_summary"] == raw[rec.trial_id]["descriptionModule"]["briefSummary"]


def test_aact_unquoted_and_broken_rows(tmp_path):
    header = "id|nct_id|gender|minimum_age|maximum_age|healthy_volunteers|criteria\n"
    rows = [
        '1|NCT00000001|All|18 Years|N/A|No|"Healthy volunteers only~Age 18 or older\n',  # stray quote
        "2|NCT00000002|Female|6 Months|17 Years|t|Inclusion: ~* girls ~Exclusion: ~* none\n",
        "3|NCT00000003|All|18 Years|N/A|f|Exclusion: a|b split by a pipe\n",
        "4|NCT00000004|Male|N/A|N/A|Accepts Healthy Volunteers|\n",
    ]
    (tmp_path / "eligibilities.txt").write_text(header + "".join(rows), "utf-8")
    (tmp_path / "notes.txt").write_text("Not a page to read as a trial.\n", "utf-8")
    (tmp_path / "design_groups.txt").write_text("id|nct_id|title\n9|NCT00000002|Girls\n", "utf-8")
    items = list(read_path(tmp_path))
    records, errors = check(items)
    got = by_id(records)
    assert list(got) == ["NCT00000001", "NCT00000002", "NCT00000004"]
    assert [e.where for e in errors] == [str(tmp_path / "design_groups.txt"), f"{tmp_path / 'eligibilities.txt'} line 4"]
    assert "not joined" in errors[0].message and "expected 7 columns" in errors[1].message
    assert got["NCT00000001"].registry.healthy_volunteers is False
    assert got["NCT00000002"].registry.minimum_age == AgeValue(value=6, unit="mo")
    assert got["NCT00000002"].registry.healthy_volunteers is True
    assert got["NCT00000002"].fields["eligibility"] == "Inclusion: \n* girls \nExclusion: \n* none"
    assert got["NCT00000004"].errors == [ErrorItem(field="eligibility", message="no eligibility criteria text")]
    assert got["NCT00000004"].registry.sex == "male"


def test_aact_not_utf8(tmp_path):
    text = "id|nct_id|gender|minimum_age|maximum_age|healthy_volunteers|criteria\n" \
           "1|NCT00000001|All|18 Years|N/A|f|Creatinine < 133 \u00b5mol/L\n"
    (tmp_path / "eligibilities.txt").write_bytes(text.encode("cp1252"))
    (rec,), _ = check(read_path(tmp_path / "eligibilities.txt"))
    assert rec.fields["eligibility"] == "Creatinine < 133 \u00b5mol/L"
    offset = text.encode("cp1252").index(b"\xb5")
    assert rec.errors == [ErrorItem(field="eligibility",
                                    message=f"not valid UTF-8 (byte offset {offset}); read as cp1252")]


# ---------------------------------------------------------------- CSV

def test_ctp_sample_csv(shared):
    with open(CTP_CSV, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if r and not r[0].startswith("#")]
    records, errors = check(read_path(CTP_CSV))
    assert not errors and len(records) == len(rows) == 20
    assert [r.trial_id for r in records] == [r[0] for r in rows]
    assert all(NCT.fullmatch(r.trial_id) for r in records)
    for rec, row in zip(records, rows):
        assert rec.format == "csv" and rec.registry is None and rec.errors == []
        assert rec.fields == {"eligibility": row[4]}
    assert records[0].fields["eligibility"].startswith("\n        Inclusion Criteria:\n\n          -  age > 18 years")


def test_csv_without_ids_and_bom(tmp_path):
    path = tmp_path / "trials.csv"
    body = 'trial,Eligibility Criteria\nA,"Inclusion Criteria:\n- adults"\nB,\n'
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    records, errors = check(read_path(path, fmt="csv"))
    assert not errors and [r.trial_id for r in records] == ["trials#1", "trials#2"]
    assert records[0].fields["eligibility"] == "Inclusion Criteria:\n- adults"
    assert records[1].errors[0].field == "eligibility"


# ---------------------------------------------------------------- text pages

SEEDS = {
    "000_3f6390ae8549bc85": ("NCT07273409", 18, "all", False),
    "001_bd75ca85215470ad": ("001_bd75ca85215470ad", None, "all", False),
    "002_2cc332136353a2ff": ("002_2cc332136353a2ff", 18, "all", False),
    "003_d18e5698fe0d131c": ("003_d18e5698fe0d131c", None, None, None),
    "004_fd271c582b007065": ("NCT06256705", 18, "all", False),
}


@pytest.mark.parametrize("stem", sorted(SEEDS))
def test_seed_pages(shared, stem):
    path = shared / "seeds" / f"{stem}.txt"
    (rec,), errors = check(read_path(str(path)))
    trial_id, min_age, sex, hv = SEEDS[stem]
    assert not errors and rec.errors == []
    assert rec.trial_id == trial_id and rec.format == "text" and rec.path == str(path)
    assert rec.fields == {"text": path.read_text("utf-8")}
    if stem.startswith("003"):
        assert rec.registry is None
        return
    reg = rec.registry
    assert reg.minimum_age == (AgeValue(value=min_age, unit="a") if min_age else None)
    assert reg.maximum_age is None and reg.sex == sex and reg.healthy_volunteers is hv


def test_seed_folder_in_order(shared):
    records, errors = check(read_path(shared / "seeds"))
    assert not errors and [r.trial_id for r in records] == [SEEDS[s][0] for s in sorted(SEEDS)]


def test_cp1252_page():
    path = READERS / "page_cp1252.txt"
    (rec,), errors = check(read_path(path))
    data = path.read_bytes()
    assert not errors and rec.trial_id == "NCT02385136"
    assert rec.fields["text"] == data.decode("cp1252")
    assert "133 \u00b5mol/L" in rec.fields["text"] and "H\u00f4pital Europ\u00e9en" in rec.fields["text"]
    bad = next(i for i, b in enumerate(data) if b >= 0x80)
    assert rec.errors == [ErrorItem(field="text", message=f"not valid UTF-8 (byte offset {bad}); read as cp1252")]
    assert rec.registry.maximum_age == AgeValue(value=75, unit="a") and rec.registry.sex == "all"


def test_page_own_id_not_related_trials(tmp_path):
    page = tmp_path / "p.txt"
    page.write_bytes(b"\xef\xbb\xbfRelated Clinical Trials\nNCT02892305\n\nSee NCT ID: NCT11111111 below\n"
                     b"Eligible Sex\r\n\r\nFEMALE\r\nMinimum Age: 6 Months\r\n")
    (rec,), _ = check(read_path(page))
    assert rec.trial_id == "p"  # neither a listed related trial nor an id mid-line
    assert not rec.fields["text"].startswith("\ufeff")
    assert rec.registry.sex == "female" and rec.registry.minimum_age == AgeValue(value=6, unit="mo")


# ---------------------------------------------------------------- files, folders, errors

def test_binary_and_empty_files():
    records, errors = check(read_paths([READERS / "binary.bin", READERS / "empty.txt"]))
    assert not records
    assert [(e.where, e.message) for e in errors] == [
        (str(READERS / "binary.bin"), "binary file (NUL bytes)"), (str(READERS / "empty.txt"), "empty file")]


def test_folder_walk_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.json").write_text('{"protocolSection": {}}', "utf-8")
    (tmp_path / ".hidden.txt").write_text("NCT ID: NCT00000009\n", "utf-8")
    (tmp_path / "b" / "z.txt").write_text("NCT ID: NCT00000003\n", "utf-8")
    (tmp_path / "a.txt").write_text("NCT ID: NCT00000001\n", "utf-8")
    (tmp_path / "c.txt").write_text("NCT ID: NCT00000004\n", "utf-8")
    (tmp_path / "b" / "empty.txt").write_text("", "utf-8")
    (tmp_path / "b" / "z.ann").write_text("T1\tAge 0 3\tNCT\n", "utf-8")  # BRAT, not a record
    items = list(read_path(str(tmp_path)))
    records, errors = check(items)
    assert [r.trial_id for r in records] == ["NCT00000001", "NCT00000003", "NCT00000004"]
    assert [e.where for e in errors] == [str(tmp_path / "b" / "empty.txt")]
    assert records[1].path == str(tmp_path / "b" / "z.txt")


def test_whole_fixture_folder(tmp_path):
    records, errors = check(read_path(FIX))
    formats = {r.format for r in records}
    assert formats == {"aact", "ctgov-json", "ctgov-xml", "text"}
    assert not any(r.path.endswith(("brief_summaries.txt", "design_groups.txt")) for r in records)
    # the gold files of the evaluation tests (fixtures/gold) are JSON but not trial records
    assert sorted(e.where.rsplit("/", 1)[-1] for e in errors) == [
        "FIX001.json record 1", "FIX002.json record 1", "FIX003.json record 1",
        "binary.bin", "empty.txt", "studies.jsonl line 3"]


def test_forced_format_and_missing_path(tmp_path):
    (rec,), _ = check(read_path(READERS / "NCT02385136.json", fmt="text"))
    assert rec.format == "text" and rec.trial_id == "NCT02385136" and set(rec.fields) == {"text"}
    (err,) = read_path(tmp_path / "nowhere.json")
    assert isinstance(err, ReadError) and err.message == "no such file or directory"
    with pytest.raises(ValueError):
        read_path(READERS, fmt="pdf")
    assert FORMATS[0] == "auto"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8")),
       prefix=st.sampled_from([b"", b"{", b"[{", b"<clinical_study>", b"nct_id|criteria\n", b"nct_id,criteria\n"]))
def test_any_bytes_give_records_or_errors(tmp_path, data, prefix):
    path = tmp_path / "any"
    path.write_bytes(prefix + data)
    check(read_path(path))


def test_read_error_is_an_exception_with_where():
    err = next(iter(read_path(READERS / "empty.txt")))
    assert isinstance(err, Exception) and str(err) == f"{READERS / 'empty.txt'}: empty file"
