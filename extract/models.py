"""Typed models of the output contract (``../shared/CONTRACT.md``, version 1).

`elig schema` publishes ``Trial.model_json_schema()``; every line `elig extract` writes is
built from these models, so it is validated against that schema before it is written.
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1"

SourceFormat = Literal["ctgov-json", "ctgov-xml", "aact", "csv", "text"]
Section = Literal["inclusion", "exclusion", "description", "unspecified"]
Polarity = Literal["include", "exclude"]
Comparator = Literal["<", "<=", ">", ">=", "=", "between"]
SexValue = Literal["all", "female", "male"]
Category = Literal[
    "age", "sex", "performance_status", "lab", "imaging", "stage", "grade", "histology",
    "condition", "prior_therapy", "concomitant_therapy", "procedure", "pregnancy",
    "contraception", "consent", "life_expectancy", "measurable_disease", "comorbidity", "other",
]
# ints stay ints in the JSON ("18", not "18.0"), as the contract's examples write them
Number = Union[int, float]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _span_fits_text(model):
    start, end = model.span
    if not 0 <= start <= end:
        raise ValueError(f"span {model.span} is not an ordered pair of offsets")
    if end - start != len(model.text):
        raise ValueError(f"span {model.span} does not have the length of text {model.text!r}")
    return model


# ---------------------------------------------------------------- facts

class Interval(_Model):
    low: Optional[Number] = None
    low_inclusive: bool = False
    high: Optional[Number] = None
    high_inclusive: bool = False


class Normalized(_Model):
    value: Optional[Number] = None
    value_high: Optional[Number] = None
    unit: Optional[str] = None


class Window(_Model):
    comparator: Optional[Comparator] = None
    value: Optional[Number] = None
    unit: Optional[str] = None
    relation: Literal["within", "at_least", "before", "after"]


class _Fact(_Model):
    type: str  # narrowed to a Literal by each fact type; first key in the JSON
    text: str
    span: tuple[int, int]

    _span = model_validator(mode="after")(_span_fits_text)


class _Numeric(_Fact):
    comparator: Optional[Comparator] = None
    value: Optional[Number] = None
    value_high: Optional[Number] = None
    unit: Optional[str] = None
    relative_to: Optional[Literal["ULN", "LLN"]] = None
    normalized: Optional[Normalized] = None
    eligible: list[Interval] = Field(default_factory=list)
    condition: Optional[str] = None


class AgeFact(_Numeric):
    type: Literal["age"] = "age"


class SexFact(_Fact):
    type: Literal["sex"] = "sex"
    value: SexValue


class PerformanceStatusFact(_Numeric):
    type: Literal["performance_status"] = "performance_status"
    scale: Literal["ECOG", "Karnofsky", "Lansky"]
    allowed: list[int] = Field(default_factory=list)


class LabFact(_Numeric):
    type: Literal["lab"] = "lab"
    analyte: str
    loinc: Optional[str] = None


class MeasureFact(_Numeric):
    type: Literal["life_expectancy", "bmi", "lvef", "qtc", "ki67", "nyha_class"]


class CtcaeGradeFact(_Numeric):
    type: Literal["ctcae_grade"] = "ctcae_grade"
    event: Optional[str] = None
    version: Optional[str] = None


class ImagingFact(_Fact):
    type: Literal["imaging"] = "imaging"
    modality: Optional[str] = None
    tracer: Optional[str] = None
    contrast: Optional[bool] = None
    window: Optional[Window] = None


class StageFact(_Fact):
    type: Literal["stage"] = "stage"
    system: Optional[str] = None
    value: Optional[str] = None
    metastatic: Optional[bool] = None


class GradeFact(_Fact):
    type: Literal["grade"] = "grade"
    system: Optional[str] = None
    values: list[int] = Field(default_factory=list)


class DiagnosisFact(_Fact):
    type: Literal["histology", "condition"]
    name: str
    normalized: Optional[str] = None


class TherapyFact(_Fact):
    type: Literal["prior_therapy", "concomitant_therapy", "procedure"]
    name: str
    class_: Optional[str] = Field(default=None, alias="class")
    window: Optional[Window] = None


class MeasurableDiseaseFact(_Fact):
    type: Literal["measurable_disease"] = "measurable_disease"
    standard: Optional[str] = None


class PlainFact(_Fact):
    type: Literal["pregnancy", "lactation", "contraception", "consent"]
    window: Optional[Window] = None  # "contraception ... up to six months after the end of treatment"


Fact = Annotated[
    Union[
        AgeFact, SexFact, PerformanceStatusFact, LabFact, MeasureFact, CtcaeGradeFact,
        ImagingFact, StageFact, GradeFact, DiagnosisFact, TherapyFact,
        MeasurableDiseaseFact, PlainFact,
    ],
    Field(discriminator="type"),
]


# ---------------------------------------------------------------- criteria and trials

class Criterion(_Model):
    id: str
    field: str
    section: Section
    polarity: Polarity
    text: str
    span: tuple[int, int]
    parent: Optional[str] = None
    categories: list[Category] = Field(default_factory=list)
    category_scores: Optional[dict[str, float]] = None
    negated: bool = False
    facts: list[Fact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _facts_inside(self):
        _span_fits_text(self)
        start, end = self.span
        for fact in self.facts:
            if not (start <= fact.span[0] and fact.span[1] <= end):
                raise ValueError(f"fact span {fact.span} lies outside criterion span {self.span}")
        return self


class AgeValue(_Model):
    value: Number
    unit: str


class Registry(_Model):
    minimum_age: Optional[AgeValue] = None
    maximum_age: Optional[AgeValue] = None
    sex: Optional[SexValue] = None
    healthy_volunteers: Optional[bool] = None


class Source(_Model):
    format: SourceFormat
    path: str


class AgeBound(_Model):
    value: Number
    inclusive: bool = True


class SummaryAge(_Model):
    min: Optional[AgeBound] = None
    max: Optional[AgeBound] = None
    unit: str = "a"
    source: Literal["text", "registry", "both"]


class SummaryLab(_Model):
    analyte: str
    eligible: list[Interval] = Field(default_factory=list)
    unit: Optional[str] = None
    relative_to: Optional[Literal["ULN", "LLN"]] = None
    criterion_id: str


class Conflict(_Model):
    field: str
    registry: Optional[Union[int, float, str, bool]] = None
    text: Optional[Union[int, float, str, bool]] = None
    criterion_id: Optional[str] = None


class Summary(_Model):
    age: Optional[SummaryAge] = None
    sex: Optional[SexValue] = None
    performance_status: dict[str, list[int]] = Field(default_factory=dict)
    labs: list[SummaryLab] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)


class ErrorItem(_Model):
    field: str
    message: str


class Trial(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    trial_id: str
    source: Source
    registry: Optional[Registry] = None
    criteria: list[Criterion] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    errors: list[ErrorItem] = Field(default_factory=list)


def json_schema() -> dict:
    """The JSON Schema of one output line."""
    schema = Trial.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "elig extract output line (contract version 1)"
    return schema
