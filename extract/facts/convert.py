"""Fact drafts (clean-text offsets) to contract fact models (source offsets)."""
from __future__ import annotations

from ..models import (AgeFact, CtcaeGradeFact, DiagnosisFact, GradeFact, ImagingFact, LabFact, MeasurableDiseaseFact,
                      MeasureFact, PerformanceStatusFact, PlainFact, SexFact, StageFact, TherapyFact)
from ..textview import TextView
from .base import Draft

MODEL_OF = {
    "age": AgeFact, "sex": SexFact, "performance_status": PerformanceStatusFact, "lab": LabFact,
    "life_expectancy": MeasureFact, "bmi": MeasureFact, "lvef": MeasureFact, "qtc": MeasureFact,
    "ki67": MeasureFact, "nyha_class": MeasureFact, "ctcae_grade": CtcaeGradeFact,
    "imaging": ImagingFact, "stage": StageFact, "grade": GradeFact, "histology": DiagnosisFact,
    "condition": DiagnosisFact, "prior_therapy": TherapyFact, "concomitant_therapy": TherapyFact,
    "procedure": TherapyFact, "measurable_disease": MeasurableDiseaseFact, "pregnancy": PlainFact,
    "lactation": PlainFact, "contraception": PlainFact, "consent": PlainFact,
}


def to_fact(draft: Draft, view: TextView, offset: int, field_text: str):
    a, b = view.to_source(draft.start, draft.end)
    a, b = a + offset, b + offset
    return MODEL_OF[draft.type](type=draft.type, text=field_text[a:b], span=(a, b), **draft.fields)
