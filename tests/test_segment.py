"""Criterion splitting on small texts through the real pipeline."""
import pytest

from extract import Record, extract_record


def crit(nlp, text, field="eligibility"):
    trial = extract_record(Record(trial_id="T", format="ctgov-json", path="-", fields={field: text}), nlp)
    for c in trial.criteria:
        assert text[c.span[0]:c.span[1]] == c.text
    return trial.criteria


def texts(criteria):
    return [c.text for c in criteria]


def test_sections_and_polarity(nlp):
    cs = crit(nlp, "Inclusion Criteria:\n\n* Age >= 18\n* Signed consent\n\nExclusion Criteria:\n\n* Pregnancy\n")
    assert texts(cs) == ["Age >= 18", "Signed consent", "Pregnancy"]
    assert [c.section for c in cs] == ["inclusion", "inclusion", "exclusion"]
    assert [c.polarity for c in cs] == ["include", "include", "exclude"]
    assert [c.id for c in cs] == ["T:eligibility:1", "T:eligibility:2", "T:eligibility:3"]


@pytest.mark.parametrize("header,section", [
    ("Key Inclusion Criteria", "inclusion"), ("INCLUSION CRITERIA", "inclusion"),
    ("Inclusion criteria include:", "inclusion"), ("Exclusion:", "exclusion"),
    ("Key Exclusion Criteria:", "exclusion"), ("III.6 EXCLUSION CRITERIA", "exclusion"),
    ("Patients must not have any of the following:", "exclusion"),
    ("Subjects will be excluded if:", "exclusion"), ("Inclusions:", "inclusion"),
])
def test_header_variants(nlp, header, section):
    cs = crit(nlp, f"{header}\n- First criterion here\n- Second criterion here")
    assert texts(cs) == ["First criterion here", "Second criterion here"]
    assert {c.section for c in cs} == {section}


def test_no_header_is_unspecified(nlp):
    cs = crit(nlp, "- Adults aged 18 or over\n- Able to consent")
    assert [c.section for c in cs] == ["unspecified", "unspecified"]


def test_header_with_text_on_same_line(nlp):
    cs = crit(nlp, "Inclusion Criteria: Adults with asthma\nExclusion Criteria:Smokers")
    assert texts(cs) == ["Adults with asthma", "Smokers"]
    assert [c.section for c in cs] == ["inclusion", "exclusion"]


@pytest.mark.parametrize("marker", ["-", "*", "•", "·", "o", "1.", "1)", "(1)", "a.", "(a)", "i."])
def test_markers(nlp, marker):
    cs = crit(nlp, f"Inclusion Criteria:\n{marker} Age 18 or older\n{marker} Written consent")
    assert texts(cs) == ["Age 18 or older", "Written consent"]


def test_wrapped_lines_join(nlp):
    text = ("Inclusion Criteria:\n\n- Presence of histologically confirmed, advanced, inoperable\n"
            "neuroendocrine tumors of any origin\n\n- Hemoglobin > 90 g/L, platelets >100 x109/L, neutrophils > 1.5\n"
            "x109/L\n")
    cs = crit(nlp, text)
    assert len(cs) == 2
    assert cs[0].text.endswith("of any origin") and cs[1].text.endswith("x109/L")


def test_indented_nesting(nlp):
    text = ("Exclusion Criteria:\n\n* Major deficits such as:\n\n  * Cauda equina syndrome\n"
            "  * Foot drop\n* Substance abuse\n")
    cs = crit(nlp, text)
    assert texts(cs) == ["Major deficits such as:", "Cauda equina syndrome", "Foot drop", "Substance abuse"]
    assert [c.parent for c in cs] == [None, cs[0].id, cs[0].id, None]


def test_flat_nested_lab_list_ends_at_first_non_lab_item(nlp):
    text = ("Exclusion Criteria\n\n* Poor organ function as assessed by the following laboratory tests:\n\n"
            "* Platelet count \\< 75,000/mm3\n* Haemoglobin ≤ 8,0 g/dL\n* Total bilirubin \\> 3 ULN\n"
            "* Prior peptide receptor radionuclide therapy (PRRT)\n")
    cs = crit(nlp, text)
    assert len(cs) == 5
    assert [c.parent for c in cs] == [None, cs[0].id, cs[0].id, cs[0].id, None]
    assert cs[1].text == "Platelet count \\< 75,000/mm3"  # exact source text, escape kept


def test_marker_change_after_colon_nests(nlp):
    cs = crit(nlp, "Inclusion Criteria:\n* Adequate organ function:\n1. ANC >= 1.5\n2. Platelets >= 100\n* Consent")
    assert [c.parent for c in cs] == [None, cs[0].id, cs[0].id, None]


def test_inline_items_after_distributive_intro_become_children(nlp):
    cs = crit(nlp, "Inclusion Criteria:\n* Any of the following: a) ANC < 1.5, b) platelets < 100, c) Hb < 9")
    assert texts(cs) == ["Any of the following:", "ANC < 1.5", "platelets < 100", "Hb < 9"]
    assert [c.parent for c in cs][1:] == [cs[0].id] * 3


def test_inline_alternatives_stay_one_criterion(nlp):
    text = "Exclusion Criteria:\n* Does not fit either STRATA: a) STRATUM 1: less than 70%, b) STRATUM 2: no avid disease."
    cs = crit(nlp, text)
    assert len(cs) == 1 and cs[0].text.endswith("no avid disease.")


def test_inline_numbered_run_without_intro(nlp):
    cs = crit(nlp, "Exclusion Criteria:\n* 1)lower limb deficit, 2) infection of the spine. 3) prior fracture")
    assert texts(cs) == ["lower limb deficit", "infection of the spine.", "prior fracture"]


def test_run_on_paragraph_split(nlp):
    text = ("Inclusion Criteria\nAge 18 years or older ECOG 0-1 Any resectable (including borderline resectable) "
            "PDAC Patient can understand verbal and written information\n")
    assert texts(crit(nlp, text)) == ["Age 18 years or older", "ECOG 0-1", "Any resectable (including borderline resectable) PDAC",
                                     "Patient can understand verbal and written information"]


def test_run_on_keeps_names_together(nlp):
    text = ("Inclusion Criteria\nPatients with an Eastern Cooperative Oncology Group Performance Status of 0 or 1 "
            "as assessed by the treating physician at the screening visit\n")
    assert len(crit(nlp, text)) == 1


def test_sentences_of_a_paragraph_split(nlp):
    text = "Exclusion Criteria\nPrior chemotherapy within 4 weeks. Known brain metastases, e.g. untreated ones.\n"
    assert texts(crit(nlp, text)) == ["Prior chemotherapy within 4 weeks.", "Known brain metastases, e.g. untreated ones."]


def test_placeholders_and_connectors_are_not_criteria(nlp):
    assert crit(nlp, "Inclusion Criteria:\n* N/A\n\nExclusion Criteria:\n\n-\n") == []
    assert texts(crit(nlp, "Inclusion Criteria:\n* Asthma\nOR\n* COPD")) == ["Asthma", "COPD"]


def test_empty_and_blank(nlp):
    assert crit(nlp, "") == []
    assert crit(nlp, "   \n\n  ") == []
