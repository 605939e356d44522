"""`elig extract` and `elig schema` as a user runs them."""
import json
import subprocess
import sys
import zipfile

import jsonschema
import pytest


def elig(*args, **kw):
    return subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)],
                          capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def schema():
    proc = elig("schema")
    assert proc.returncode == 0
    return json.loads(proc.stdout)


def test_extract_seeds_to_file_validates(shared, tmp_path, schema):
    out = tmp_path / "out.jsonl"
    proc = elig("extract", shared / "seeds", "-o", out)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    validator = jsonschema.Draft202012Validator(schema)
    for line in lines:
        validator.validate(json.loads(line))


def test_bad_inputs_are_reported_and_the_batch_goes_on(shared, tmp_path, schema):
    good = tmp_path / "good.json"
    study = json.loads((shared / "data/ctgov/ctg-studies-dev.json").read_text(encoding="utf-8"))["studies"][0]
    good.write_text(json.dumps(study), encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"studies": [', encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02garbage\xff" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Inclusion Criteria:\n- Âge ≥ 18 ans\n".encode("utf-8").replace(
        "Â".encode(), "\xc2".encode("latin-1")))
    empty_elig = dict(study)
    empty_elig["protocolSection"] = dict(study["protocolSection"])
    empty_elig["protocolSection"]["eligibilityModule"] = {"eligibilityCriteria": ""}
    (tmp_path / "noelig.json").write_text(json.dumps(empty_elig), encoding="utf-8")
    huge = tmp_path / "huge.json"
    big = dict(study)
    big["protocolSection"] = dict(study["protocolSection"])
    big["protocolSection"]["eligibilityModule"] = {"eligibilityCriteria": "Inclusion Criteria:\n" + "* Age 18 or older\n" * 300_000}
    huge.write_text(json.dumps(big), encoding="utf-8")

    out = tmp_path / "out.jsonl"
    proc = elig("extract", tmp_path, "-o", out)
    assert proc.returncode == 0, proc.stderr
    err_lines = [l for l in proc.stderr.splitlines() if l.startswith("elig: error")]
    assert any("broken.json" in l for l in err_lines)
    assert any("binary.bin" in l for l in err_lines)
    assert any("empty.txt" in l for l in err_lines)
    assert all("Traceback" not in l for l in proc.stderr.splitlines())
    trials = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    by_path = {t["source"]["path"].rsplit("/", 1)[-1]: t for t in trials}
    assert by_path["good.json"]["criteria"] and by_path["good.json"]["errors"] == []
    assert by_path["noelig.json"]["errors"] and by_path["noelig.json"]["criteria"] == []
    assert "characters" in by_path["huge.json"]["errors"][0]["message"]
    assert by_path["latin1.txt"]["errors"]  # decoded with a note, not dropped
    validator = jsonschema.Draft202012Validator(schema)
    for t in trials:
        validator.validate(t)
    # --strict turns record errors into a failing exit status
    assert elig("extract", tmp_path, "-o", out, "--strict").returncode == 1


def test_nothing_readable_fails(tmp_path):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    proc = elig("extract", tmp_path / "broken.json")
    assert proc.returncode == 1
    assert "broken.json" in proc.stderr


def test_stdout_and_zip(shared, tmp_path):
    studies = json.loads((shared / "data/ctgov/ctg-studies-dev.json").read_text(encoding="utf-8"))["studies"][:3]
    archive = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for s in studies:
            zf.writestr(s["protocolSection"]["identificationModule"]["nctId"] + ".json", json.dumps(s))
    proc = elig("extract", archive)
    assert proc.returncode == 0, proc.stderr
    ids = [json.loads(l)["trial_id"] for l in proc.stdout.splitlines()]
    assert ids == [s["protocolSection"]["identificationModule"]["nctId"] for s in studies]
