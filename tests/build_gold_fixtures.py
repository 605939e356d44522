"""Writes the gold fixtures of tests/test_eval_harness.py (tests/fixtures/gold/) with
eval.annotate.GoldBuilder.

Three tiny trials (ctgov-json with a description field, a plain-text page with a nested list,
a CSV row) holding facts of most types. Rerun after a change:
``python tests/build_gold_fixtures.py`` (the tests check the stored files match). The script
lives outside tests/fixtures/, which test_readers.py reads whole.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "fixtures" / "gold"
sys.path.insert(0, str(HERE.parents[2]))

from eval.annotate import GoldBuilder, window  # noqa: E402

FIX001_ELIG = """Inclusion Criteria:

* Age ≥ 18 years
* ECOG performance status 0-1
* Histologically confirmed well-differentiated pancreatic neuroendocrine tumour, WHO grade 1-2
* Metastatic disease (stage IV)
* SSTR expression on 68Ga-DOTATATE PET/CT
* Hemoglobin > 9 g/dL and platelets ≥ 100 x 10^9/L

Exclusion Criteria:

* Prior PRRT within 6 months
* Pregnancy or lactation"""
FIX001_SUMMARY = ("This study treats adult patients with metastatic pancreatic neuroendocrine tumours "
                  "with 177Lu-DOTATATE. The primary outcome is progression-free survival.")

FIX002_TEXT = """Eligibility

Inclusion Criteria:
- Men and women aged 18-75 years
- Adequate organ function defined as:
  - Total bilirubin ≤ 1.5 x ULN
  - Creatinine clearance ≥ 60 mL/min
- Measurable disease per RECIST 1.1
- Signed informed consent

Exclusion Criteria:
- Grade ≥ 2 peripheral neuropathy (CTCAE v5.0)
- Life expectancy < 3 months
- Concurrent treatment with other investigational drugs
"""

FIX003_ELIG = """Inclusion Criteria:
1. Lumbar disc herniation confirmed by MRI
2. Women of childbearing potential must use effective contraception

Exclusion Criteria:
1. Spine surgery within the last 12 months
2. Body mass index > 35 kg/m2"""


def build() -> list[GoldBuilder]:
    a = GoldBuilder("FIX001", "ctgov-json", "sources/FIX001.json",
                    fields={"eligibility": FIX001_ELIG, "brief_summary": FIX001_SUMMARY},
                    registry={"minimum_age": {"value": 18, "unit": "a"}, "maximum_age": None,
                              "sex": "all", "healthy_volunteers": False})
    c = a.criterion("eligibility", "Age ≥ 18 years", "inclusion", ["age"])
    a.fact(c, "age", "Age ≥ 18 years", comparator=">=", value=18, unit="a",
           normalized={"value": 18, "value_high": None, "unit": "a"})
    c = a.criterion("eligibility", "ECOG performance status 0-1", "inclusion", ["performance_status"])
    a.fact(c, "performance_status", "ECOG performance status 0-1", scale="ECOG", comparator="between",
           value=0, value_high=1)
    c = a.criterion("eligibility", "Histologically confirmed well-differentiated pancreatic neuroendocrine "
                    "tumour, WHO grade 1-2", "inclusion", ["histology", "grade"])
    a.fact(c, "histology", "pancreatic neuroendocrine tumour", name="pancreatic neuroendocrine tumour",
           normalized="pancreatic neuroendocrine tumour")
    a.fact(c, "grade", "WHO grade 1-2", system="WHO", values=[1, 2])
    c = a.criterion("eligibility", "Metastatic disease (stage IV)", "inclusion", ["stage"])
    a.fact(c, "stage", "Metastatic disease (stage IV)", value="IV", metastatic=True)
    c = a.criterion("eligibility", "SSTR expression on 68Ga-DOTATATE PET/CT", "inclusion", ["imaging"])
    a.fact(c, "imaging", "68Ga-DOTATATE PET/CT", modality="PET/CT", tracer="68Ga-DOTATATE")
    c = a.criterion("eligibility", "Hemoglobin > 9 g/dL and platelets ≥ 100 x 10^9/L", "inclusion", ["lab"])
    a.fact(c, "lab", "Hemoglobin > 9 g/dL", analyte="hemoglobin", loinc="718-7", comparator=">", value=9, unit="g/dL",
           normalized={"value": 9, "value_high": None, "unit": "g/dL"})
    a.fact(c, "lab", "platelets ≥ 100 x 10^9/L", analyte="platelets", loinc="777-3", comparator=">=", value=100,
           unit="10*9/L", normalized={"value": 100, "value_high": None, "unit": "10*9/L"})
    c = a.criterion("eligibility", "Prior PRRT within 6 months", "exclusion", ["prior_therapy"])
    a.fact(c, "prior_therapy", "Prior PRRT within 6 months", name="PRRT", **{"class": "PRRT"},
           window=window("<=", 6, "mo", "within"))
    c = a.criterion("eligibility", "Pregnancy or lactation", "exclusion", ["pregnancy"])
    a.fact(c, "pregnancy", "Pregnancy")
    a.fact(c, "lactation", "lactation")
    c = a.criterion("brief_summary", "adult patients with metastatic pancreatic neuroendocrine tumours",
                    "description", ["age", "histology", "stage"])
    a.fact(c, "stage", "metastatic", metastatic=True)
    a.fact(c, "histology", "pancreatic neuroendocrine tumours", name="pancreatic neuroendocrine tumours",
           normalized="pancreatic neuroendocrine tumour")

    b = GoldBuilder("FIX002", "text", "sources/FIX002.txt", fields={"text": FIX002_TEXT})
    c = b.criterion("text", "Men and women aged 18-75 years", "inclusion", ["age", "sex"])
    b.fact(c, "sex", "Men and women", value="all")
    b.fact(c, "age", "aged 18-75 years", comparator="between", value=18, value_high=75, unit="a",
           normalized={"value": 18, "value_high": 75, "unit": "a"})
    parent = b.criterion("text", "Adequate organ function defined as:", "inclusion", ["lab"])
    c = b.criterion("text", "Total bilirubin ≤ 1.5 x ULN", "inclusion", ["lab"], parent=parent["id"])
    b.fact(c, "lab", "Total bilirubin ≤ 1.5 x ULN", analyte="bilirubin_total", loinc="1975-2", comparator="<=", value=1.5,
           relative_to="ULN")
    c = b.criterion("text", "Creatinine clearance ≥ 60 mL/min", "inclusion", ["lab"], parent=parent["id"])
    b.fact(c, "lab", "Creatinine clearance ≥ 60 mL/min", analyte="creatinine_clearance", loinc="2164-2", comparator=">=",
           value=60, unit="mL/min", normalized={"value": 60, "value_high": None, "unit": "mL/min"})
    c = b.criterion("text", "Measurable disease per RECIST 1.1", "inclusion", ["measurable_disease"])
    b.fact(c, "measurable_disease", "Measurable disease per RECIST 1.1", standard="RECIST 1.1")
    c = b.criterion("text", "Signed informed consent", "inclusion", ["consent"])
    b.fact(c, "consent", "Signed informed consent")
    c = b.criterion("text", "Grade ≥ 2 peripheral neuropathy (CTCAE v5.0)", "exclusion", ["comorbidity"])
    b.fact(c, "ctcae_grade", "Grade ≥ 2 peripheral neuropathy", comparator=">=", value=2,
           event="peripheral neuropathy", version="5.0")
    c = b.criterion("text", "Life expectancy < 3 months", "exclusion", ["life_expectancy"])
    b.fact(c, "life_expectancy", "Life expectancy < 3 months", comparator="<", value=3, unit="mo",
           normalized={"value": 3, "value_high": None, "unit": "mo"})
    c = b.criterion("text", "Concurrent treatment with other investigational drugs", "exclusion",
                    ["concomitant_therapy"])
    b.fact(c, "concomitant_therapy", "treatment with other investigational drugs",
           name="other investigational drugs", **{"class": "investigational drug"})

    d = GoldBuilder("FIX003", "csv", "sources/FIX003.csv", fields={"eligibility": FIX003_ELIG})
    c = d.criterion("eligibility", "Lumbar disc herniation confirmed by MRI", "inclusion",
                    ["condition", "imaging"])
    d.fact(c, "condition", "Lumbar disc herniation", name="Lumbar disc herniation", normalized=None)
    d.fact(c, "imaging", "MRI", modality="MRI")
    c = d.criterion("eligibility", "Women of childbearing potential must use effective contraception",
                    "inclusion", ["contraception"])
    d.fact(c, "contraception", "use effective contraception")
    c = d.criterion("eligibility", "Spine surgery within the last 12 months", "exclusion", ["procedure"])
    d.fact(c, "procedure", "Spine surgery within the last 12 months", name="Spine surgery",
           **{"class": "surgery"}, window=window("<=", 12, "mo", "within"))
    c = d.criterion("eligibility", "Body mass index > 35 kg/m2", "exclusion", ["other"])
    d.fact(c, "bmi", "Body mass index > 35 kg/m2", comparator=">", value=35, unit="kg/m2")
    return [a, b, d]


def rendered() -> dict[str, str]:
    """File name -> the JSON text the builder writes."""
    return {f"{g.trial_id}.json": json.dumps(g.to_dict("fixture", "test fixture, not real gold"),
                                              indent=1, ensure_ascii=False) for g in build()}


if __name__ == "__main__":
    for name, text in rendered().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print("wrote", HERE / name)
