"""Every criterion span reads back its text, whatever the text."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import Record, extract_record

PIECES = st.sampled_from([
    "Inclusion Criteria:", "Exclusion Criteria", "EXCLUSION CRITERIA:", "\n", "\n\n", "  ", "\t",
    "* ", "- ", "• ", "1. ", "2) ", "(a) ", "a) ", "b) ", "o ", "i. ", "\\<", "\\>", "\\*", "≥", "＜",
    "Age 18 years or older ", "ECOG 0-1 ", "Patient can consent", "following:", "; 3. ", ". ",
    "platelets < 75,000/mm3", "é", "ﬁ", "\u200b", "\u00a0", "\r\n", "🙂", "Ω", "x10⁹/L",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40))
def test_criterion_spans_read_back(nlp, parts):
    text = "".join(parts)
    for field in ("eligibility", "text"):
        trial = extract_record(Record(trial_id="P", format="text", path="-", fields={field: text}), nlp)
        assert not trial.errors, trial.errors
        for c in trial.criteria:
            assert text[c.span[0]:c.span[1]] == c.text
            assert c.text and c.text == c.text.strip()
            assert c.parent is None or c.parent in {x.id for x in trial.criteria}
