"""From records to contract trials: zones, the spaCy pipeline, offsets back to field text."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Iterable, Iterator, Union

import spacy
from scispacy.custom_tokenizer import combined_rule_tokenizer

from .components import make_doc  # (also registers the factories)
from .abbreviations import add_abbreviations
from .context import add_context
from . import categories  # noqa: F401  (factory)
from .facts import age, ctcae, diagnoses, grade, imaging, labs, measures, performance, sex, simple, stage, therapy  # noqa: F401
from .description import candidate_sentences
from .facts.convert import to_fact
from .learn import category as _category  # noqa: F401  (factory)
from .learn.store import MODELS
from .mentions import add_mentions
from .summary import summarize
from .models import Criterion, ErrorItem, Source, Trial
from .page_zones import find_zones
from .data_files import read_text
from .record import ReadError, Record
from .sections import add_sectionizer
from .textview import TextView, make_view
from .writer import SpanError, check_spans

MAX_CHARS = 500_000

FACT_COMPONENTS = ("elig_labs", "elig_age", "elig_performance", "elig_measures", "elig_ctcae", "elig_sex",
                   "elig_imaging", "elig_stage", "elig_grade", "elig_diagnoses", "elig_therapy", "elig_simple_facts")
DESCRIPTION_ZONES = ("brief_summary", "detailed_description", "arm_groups")


def build_nlp(split_runon: bool = True, facts: bool = True, models: bool = True) -> spacy.language.Language:
    """The eligibility pipeline: scispaCy tokenizer, medspaCy Sectionizer, criterion splitter,
    then (with ``facts``) anchor mentions, scispaCy abbreviations, medspaCy ConText and one
    component per fact type; with ``models``, the shipped learned components in models/
    (criterion boundaries, categories). A missing or untrusted model file raises
    ``learn.store.ModelError`` naming the command that rebuilds it."""
    nlp = spacy.blank("en")
    with warnings.catch_warnings():  # scispaCy's infix regex trips a FutureWarning in re
        warnings.simplefilter("ignore", FutureWarning)
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    # "Hb≥90g/L", "eGFR<30": a comparator glued to a word still splits it, so lexicon terms match
    infixes = nlp.tokenizer.infix_finditer.__self__.pattern
    nlp.tokenizer.infix_finditer = re.compile(infixes + r"|[<>≤≥＜＞≦≧⩽⩾]").finditer
    nlp.max_length = MAX_CHARS + 1
    add_sectionizer(nlp)
    if facts:
        add_mentions(nlp)  # before the splitter: description criteria are chosen by what they name
    boundary = str(MODELS / "boundary" / "model.skops") if models else None
    nlp.add_pipe("elig_criteria", config={"split_runon": split_runon, "boundary_model": boundary})
    if facts:
        add_abbreviations(nlp)
        add_context(nlp)
        for name in FACT_COMPONENTS:
            nlp.add_pipe(name)
        nlp.add_pipe("elig_categories")
        if models:
            nlp.add_pipe("elig_category_model")
        nlp.add_pipe("elig_negation")
    # one page through every path (page zones, description and eligibility criteria, each fact
    # type): start-up compiles the grammars, loads pint and builds the lazy pipelines, not the first record
    warm_up = Record(trial_id="warm-up", format="text", path="-", fields={"text": read_text("warmup_page.txt")})
    list(extract_records([warm_up], nlp))
    return nlp


@dataclass
class _Job:
    field: str
    offset: int  # where the zone starts in the field text
    view: TextView
    zone: str = "eligibility"  # or "description"


def _jobs(record: Record) -> list[_Job]:
    jobs = []
    for name, text in record.fields.items():
        if name == "text":
            zones = [(z.start, z.end, "eligibility" if z.kind == "eligibility" else "description")
                     for z in find_zones(text) if z.kind == "eligibility" or z.kind in DESCRIPTION_ZONES]
        elif name == "eligibility":
            zones = [(0, len(text), "eligibility")]
        elif name in ("brief_summary", "detailed_description") or name.startswith("arm_group:"):
            zones = [(0, len(text), "description")]
        else:
            continue
        for start, end, zone in zones:
            if end - start > MAX_CHARS:
                record.error(name, f"{zone} text is {end - start:,} characters, over the "
                                   f"{MAX_CHARS:,} limit; not split into criteria")
                continue
            if zone == "description":  # only the sentences that may state eligibility
                for a, b in candidate_sentences(text[start:end]):
                    jobs.append(_Job(name, start + a, make_view(text[start + a:start + b]), zone))
                continue
            jobs.append(_Job(name, start, make_view(text[start:end]), zone))
    # criteria of a field in text order, whichever zone they come from
    return sorted(jobs, key=lambda j: (j.field != "eligibility", j.field, j.offset))


def extract_records(items: Iterable[Union[Record, ReadError]], nlp=None,
                    batch_size: int = 64) -> Iterator[Union[Trial, ReadError]]:
    """Trials in input order; a ``ReadError`` passes through in its place."""
    nlp = nlp or build_nlp()

    def tasks():
        for item in items:
            if isinstance(item, ReadError):
                yield nlp.make_doc(""), (item, None, 0, 1)
                continue
            try:
                jobs = _jobs(item)
            except Exception as exc:  # a record that breaks zoning must not stop the batch
                item.error("text", f"could not find sections: {exc}")
                jobs = []
            if not jobs:
                yield nlp.make_doc(""), (item, None, 0, 1)
            for i, job in enumerate(jobs):
                doc = make_doc(nlp, job.view.clean)
                doc.user_data["elig_zone"] = job.zone
                yield doc, (item, job, i, len(jobs))

    done: list = []
    for doc, (item, job, i, n) in nlp.pipe(tasks(), as_tuples=True, batch_size=batch_size):
        if isinstance(item, ReadError):
            yield item
            continue
        if job is not None:
            done.append((job, doc))
        if i == n - 1:
            yield to_trial(item, done)
            done = []


def extract_record(record: Record, nlp=None) -> Trial:
    """One record to one trial."""
    return next(iter(extract_records([record], nlp)))


def to_trial(record: Record, parsed: list[tuple[_Job, object]]) -> Trial:
    criteria: list[Criterion] = []
    counters: dict[str, int] = {}
    for job, doc in parsed:
        field_text = record.fields[job.field]
        ids: list[str] = []
        for item in doc._.criteria:
            a, b = job.view.to_source(item.start, item.end)
            a, b = a + job.offset, b + job.offset
            counters[job.field] = counters.get(job.field, 0) + 1
            cid = f"{record.trial_id}:{job.field}:{counters[job.field]}"
            ids.append(cid)
            facts = [to_fact(d, job.view, job.offset, field_text) for d in item.facts if not d.type.startswith("_")]
            criteria.append(Criterion(
                id=cid, field=job.field, section=item.section,
                polarity="exclude" if item.section == "exclusion" else "include",
                text=field_text[a:b], span=(a, b),
                parent=ids[item.parent] if item.parent is not None else None,
                negated=item.negated, facts=facts, categories=item.categories,
                category_scores=item.category_scores,
            ))
    trial = Trial(
        trial_id=record.trial_id,
        source=Source(format=record.format, path=record.path),
        registry=record.registry,
        criteria=criteria,
        summary=summarize(record.registry, criteria),
        errors=record.errors,
    )
    try:
        check_spans(trial, record.fields)
    except SpanError as exc:  # never write a span that does not read back; say so instead
        trial.criteria = []
        trial.errors.append(ErrorItem(field="criteria", message=f"internal span error, criteria dropped: {exc}"))
    return trial
