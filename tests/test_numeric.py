"""Numeric facts through the real pipeline, on the forms registry text uses."""
import pytest

from extract import Record, extract_record


def facts(nlp, line, section="Inclusion Criteria", kind=None, registry=None):
    text = f"{section}:\n* {line}\n"
    trial = extract_record(Record(trial_id="T", format="ctgov-json", path="-", fields={"eligibility": text},
                                  registry=registry), nlp)
    out = []
    for c in trial.criteria:
        for f in c.facts:
            assert text[f.span[0]:f.span[1]] == f.text
            assert c.span[0] <= f.span[0] and f.span[1] <= c.span[1]
            if kind is None or f.type == kind:
                out.append(f)
    return out if registry is None else (out, trial)


def one(nlp, line, kind, section="Inclusion Criteria"):
    found = facts(nlp, line, section, kind)
    assert len(found) == 1, [f.text for f in found]
    return found[0]


def iv(f):
    return [(i.low, i.low_inclusive, i.high, i.high_inclusive) for i in f.eligible]


@pytest.mark.parametrize("line,comparator,value,high", [
    ("Age ≥18 years", ">=", 18, None), ("18 years or older", ">=", 18, None), ("aged 18-75", "between", 18, 75),
    ("Patients over 18 years of age", ">", 18, None), ("Adults (18+)", ">=", 18, None), ("Age under 18", "<", 18, None),
    ("Between 18 and 65 years of age", "between", 18, 65), ("At least eighteen years of age", ">=", 18, None),
    ("Age ＞ 18 years", ">", 18, None), ("Age ≧ 18 years", ">=", 18, None), ("Age ⩽ 75 years", "<=", 75, None),
    ("Age =< 75 years", "<=", 75, None), ("Age < or = 75 years", "<=", 75, None), ("Men or women 18 years of age or older", ">=", 18, None),
    ("Patient must be over the age of 21", ">", 21, None), ("Minimum age: 18 years", ">=", 18, None),
])
def test_age_forms(nlp, line, comparator, value, high):
    f = one(nlp, line, "age")
    assert (f.comparator, f.value, f.value_high, f.unit) == (comparator, value, high, "a")


def test_age_two_limits_and_months(nlp):
    a, b = facts(nlp, "Age ≥ 18 and ≤ 80 years", kind="age")
    assert (a.comparator, a.value, b.comparator, b.value) == (">=", 18, "<=", 80)
    f = one(nlp, "Children aged 6 months to 17 years", "age")
    assert (f.value, f.value_high) == (0.5, 17)
    f = one(nlp, "Infants aged at least 6 months", "age")
    assert f.unit == "mo" and f.normalized.value == 0.5 and f.normalized.unit == "a"


def test_durations_are_not_ages(nlp):
    assert facts(nlp, "Diabetes diagnosed more than 5 years ago", kind="age") == []
    assert facts(nlp, "More than 2 years of handball practice", kind="age") == []
    assert facts(nlp, "At least one measurable lesion", kind="age") == []


def test_age_summary_and_registry_conflict(nlp):
    from extract.registry import make_registry
    _, trial = facts(nlp, "Age ≥ 21 years", registry=make_registry("18 Years", None, "ALL", "No"))
    assert trial.summary.age.min.value == 21 and trial.summary.age.source == "both"
    [conflict] = trial.summary.conflicts
    assert (conflict.field, conflict.registry, conflict.text) == ("minimum_age", 18, 21)


@pytest.mark.parametrize("line,value", [
    ("Female", "female"), ("Women aged 18-65", "female"), ("Male or female", "all"), ("Men only", "male"),
    ("Postmenopausal women", "female"), ("Healthy male volunteers", "male"),
])
def test_sex(nlp, line, value):
    assert one(nlp, line, "sex").value == value


def test_women_of_childbearing_potential_is_not_a_sex_limit(nlp):
    assert facts(nlp, "Women of childbearing potential must use effective contraception", kind="sex") == []


@pytest.mark.parametrize("line,section,scale,allowed", [
    ("ECOG 0-1", "Inclusion Criteria", "ECOG", [0, 1]),
    ("ECOG PS ≤ 2", "Inclusion Criteria", "ECOG", [0, 1, 2]),
    ("ECOG performance status of 0, 1 or 2", "Inclusion Criteria", "ECOG", [0, 1, 2]),
    ("ECOG 2 or more", "Exclusion Criteria", "ECOG", [0, 1]),
    ("WHO performance status 0 or 1", "Inclusion Criteria", "ECOG", [0, 1]),
    ("Karnofsky ≥ 60", "Inclusion Criteria", "Karnofsky", [60, 70, 80, 90, 100]),
    ("KPS of at least 70%", "Inclusion Criteria", "Karnofsky", [70, 80, 90, 100]),
    ("Lansky play-performance score ≥ 50", "Inclusion Criteria", "Lansky", [50, 60, 70, 80, 90, 100]),
])
def test_performance_status(nlp, line, section, scale, allowed):
    f = one(nlp, line, "performance_status", section)
    assert (f.scale, f.allowed) == (scale, allowed)


def test_no_guessing_across_scales(nlp):
    assert facts(nlp, "Performance status ≥ 70", kind="performance_status") == []


@pytest.mark.parametrize("line,analyte,value,unit,norm", [
    ("Haemoglobin ≤ 8,0 g/dL", "hemoglobin", 8.0, "g/dL", 8),
    ("Hemoglobin > 90 g/L", "hemoglobin", 90, "g/L", 9),
    ("Platelet count \\< 75,000/mm3", "platelets", 75000, "/mm3", 75),
    ("Platelets ≥ 50.000 /mmc", "platelets", 50000, "/mm3", 50),
    ("ANC ≥ 1.5 x 10^9/L", "neutrophils", 1.5, "10*9/L", 1.5),
    ("ANC ≥ 1.5 × 10⁹/L", "neutrophils", 1.5, "10*9/L", 1.5),
    ("Neutrophils > 1.5x109/L", "neutrophils", 1.5, "10*9/L", 1.5),
    ("Platelets ≥ 100 x 10(9)/L", "platelets", 100, "10*9/L", 100),
    ("Neutrophils ≥ 1.5 G/L", "neutrophils", 1.5, "10*9/L", 1.5),
    ("Absolute neutrophil count ≥ 1500/µL", "neutrophils", 1500, "/uL", 1.5),
    ("Total bilirubin ≤ 34.2 µmol/L", "bilirubin_total", 34.2, "umol/L", 2),
    ("Serum creatinine ≤ 88.4 umol/L", "creatinine", 88.4, "umol/L", 1),
    ("Creatinine clearance ≥ 60 mL/min (Cockcroft-Gault)", "creatinine_clearance", 60, "mL/min", 60),
    ("eGFR ≥ 45 mL/min/1.73 m2", "egfr", 45, "mL/min/{1.73_m2}", 45),
])
def test_lab_values_and_units(nlp, line, analyte, value, unit, norm):
    f = one(nlp, line, "lab")
    assert (f.analyte, f.value, f.unit) == (analyte, value, unit)
    assert f.normalized is not None and f.normalized.value == pytest.approx(norm, rel=1e-3)


@pytest.mark.parametrize("line,value", [
    ("Total bilirubin < 3 x ULN", 3), ("Bilirubin ≤ 2.5 × upper limit of normal", 2.5),
    ("Total bilirubin > 3 ULN", 3), ("Bilirubin ≤ ULN", 1), ("Bilirubin no more than 1.5 times the institutional ULN", 1.5),
])
def test_uln_multiples(nlp, line, value):
    f = one(nlp, line, "lab")
    assert (f.value, f.relative_to, f.unit, f.normalized) == (value, "ULN", None, None)


def test_one_fact_per_analyte(nlp):
    found = facts(nlp, "Hemoglobin > 90 g/L, platelets >100 x109/L, leukocytes > 3.0x109/L, neutrophils > 1.5 x109/L, "
                       "aspartate transaminase (ASAT)/alanine aminotransferase (ALAT) < 3 x ULN, "
                       "bilirubin < 2 x upper limit of normal (ULN), albumin > 25 g/L", kind="lab")
    assert [f.analyte for f in found] == ["hemoglobin", "platelets", "leukocytes", "neutrophils", "ast", "alt",
                                          "bilirubin_total", "albumin"]
    two = facts(nlp, "AST/ALT ≤ 3 × ULN", kind="lab")
    assert [(f.analyte, f.value) for f in two] == [("ast", 3), ("alt", 3)]


def test_conditions(nlp):
    f = one(nlp, "Prothrombin time \\< 70% unless albumin \\> 30g/L", "lab", "Exclusion Criteria")
    assert (f.analyte, f.comparator, f.value, f.unit, f.condition) == ("pt", "<", 70, "%", "unless albumin > 30g/L")
    a, b = facts(nlp, "AST and ALT ≤ 2.5 × ULN or ≤ 5 × ULN in case of liver metastases", kind="lab")[:2]
    found = facts(nlp, "AST and ALT ≤ 2.5 × ULN or ≤ 5 × ULN in case of liver metastases", kind="lab")
    assert sorted((f.analyte, f.value, f.condition) for f in found) == [
        ("alt", 2.5, None), ("alt", 5, "in case of liver metastases"),
        ("ast", 2.5, None), ("ast", 5, "in case of liver metastases")]


def test_eligible_follows_polarity(nlp):
    f = one(nlp, "Platelet count \\< 75,000/mm3", "lab", "Exclusion Criteria")
    assert f.comparator == "<"  # as written
    assert iv(f) == [(75, True, None, False)]  # in normalized 10*9/L
    f = one(nlp, "Hemoglobin ≥ 9 g/dL", "lab")
    assert iv(f) == [(9, True, None, False)]


def test_abbreviation_defined_in_the_trial(nlp):
    text = ("Inclusion Criteria:\n* Absolute neutrophil count (ANEU) measured at screening\n"
            "* ANEU ≥ 1.5 x 10^9/L\n")
    trial = extract_record(Record(trial_id="T", format="ctgov-json", path="-", fields={"eligibility": text}), nlp)
    [f] = [f for c in trial.criteria for f in c.facts]
    assert (f.type, f.analyte, f.text) == ("lab", "neutrophils", "ANEU ≥ 1.5 x 10^9/L")


@pytest.mark.parametrize("line,kind,comparator,value,high,extra", [
    ("Life expectancy > 6 months", "life_expectancy", ">", 6, None, {}),
    ("Life expectancy of at least 12 weeks", "life_expectancy", ">=", 12, None, {"unit": "wk"}),
    ("NYHA 3 or 4 heart failure", "nyha_class", "between", 3, 4, {}),
    ("NYHA class III-IV", "nyha_class", "between", 3, 4, {}),
    ("Neuropathy \\>grade 1 (CTCAE, v 5.0)", "ctcae_grade", ">", 1, None, {"event": "neuropathy", "version": "5.0"}),
    ("BMI < 30 kg/m2", "bmi", "<", 30, None, {"unit": "kg/m2"}),
    ("LVEF ≥ 50%", "lvef", ">=", 50, None, {"unit": "%"}),
    ("QTcF > 470 ms", "qtc", ">", 470, None, {"unit": "ms"}),
    ("Ki-67 index ≤ 20%", "ki67", "<=", 20, None, {}),
])
def test_other_numeric_facts(nlp, line, kind, comparator, value, high, extra):
    f = one(nlp, line, kind)
    assert (f.comparator, f.value, f.value_high) == (comparator, value, high)
    for key, want in extra.items():
        assert getattr(f, key) == want


def test_life_expectancy_normalized_to_months(nlp):
    f = one(nlp, "Life expectancy of at least 12 weeks", "life_expectancy")
    assert f.normalized.unit == "mo" and f.normalized.value == pytest.approx(2.76, abs=0.01)


def test_negation_from_context(nlp):
    text = "Exclusion Criteria:\n* No prior PRRT\n* Patients without brain metastases\n* Prior PRRT\n"
    trial = extract_record(Record(trial_id="T", format="ctgov-json", path="-", fields={"eligibility": text}), nlp)
    assert [c.negated for c in trial.criteria] == [True, True, False]


def test_history_of_a_lab_is_not_a_current_limit(nlp):
    assert facts(nlp, "Family history of hemoglobin < 8 g/dL", kind="lab") == []


def test_within_normal_limits_has_no_number(nlp):
    f = one(nlp, "Serum potassium within normal limits", "lab")
    assert (f.analyte, f.comparator, f.value, f.eligible) == ("potassium", None, None, [])


def test_context_sees_every_mention_a_fact_component_asks_about():
    from extract.context import TARGET_LABELS
    from extract.facts.measures import MEASURES

    assert set(MEASURES) | {"LAB"} <= TARGET_LABELS


def test_history_of_a_measure_is_not_a_current_limit(nlp):
    assert facts(nlp, "History of BMI > 40 kg/m2", kind="bmi") == []
    assert facts(nlp, "BMI > 40 kg/m2", kind="bmi") != []


@pytest.mark.parametrize("line,values", [
    ("Metastatic pan-NET, grade 1-2", [1, 2]),
    ("Histologically confirmed NET G1/G2", [1, 2]),
    ("WHO grade 2", [2]),
])
def test_tumour_grade(nlp, line, values):
    assert one(nlp, line, "grade").values == values


@pytest.mark.parametrize("line", [
    "Participants with ACLF grade 2 and above",
    "Major motor impairment, paresis grade 3 or more using a Medical Research Council (MRC) score",
    "Cardiac insufficiency of grade II or above",
])
def test_grade_of_another_disease_is_not_a_tumour_grade(nlp, line):
    assert facts(nlp, line, kind="grade") == []
