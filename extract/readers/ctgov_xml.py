"""Legacy ClinicalTrials.gov XML: ``<clinical_study>`` alone or several under a wrapper."""
from __future__ import annotations

from pathlib import PurePath
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..record import Record, ReadError
from .common import Item, name_unidentified, put, require_eligibility, set_registry

FORMAT = "ctgov-xml"


def read(path: str, data: bytes | None = None, stem: str | None = None) -> Iterator[Item]:
    """Records of an XML file (or of ``data`` read from it, e.g. a zip member)."""
    stem = stem or PurePath(path).stem
    try:
        if data is None:
            with open(path, "rb") as fh:
                data = fh.read()
        root = fromstring(data)  # the parser decides the encoding from the XML declaration
    except OSError as e:
        yield ReadError(path, f"cannot read: {e.strerror}")
        return
    except (ParseError, DefusedXmlException, ValueError) as e:
        yield ReadError(path, f"invalid XML: {' '.join(str(e).split())}")
        return
    studies = [root] if root.tag == "clinical_study" else list(root.iter("clinical_study"))
    if not studies:
        yield ReadError(path, "no <clinical_study> element")
        return
    yield from name_unidentified(((n, study_record(s, path)) for n, s in enumerate(studies, 1)), stem)


def _text(el: Element, xpath: str) -> str | None:
    found = el.find(xpath)
    return None if found is None else found.text


def study_record(study: Element, path: str) -> Record:
    # Text is kept as the parser decoded it (no strip, no dedent): spans point into it.
    nct = _text(study, "id_info/nct_id")
    rec = Record(trial_id=nct.strip() if nct else "", format=FORMAT, path=path)
    put(rec, "eligibility", _text(study, "eligibility/criteria/textblock"))
    put(rec, "brief_summary", _text(study, "brief_summary/textblock"))
    put(rec, "detailed_description", _text(study, "detailed_description/textblock"))
    for i, arm in enumerate(study.findall("arm_group")):
        put(rec, f"arm_group:{i}", _text(arm, "description"))
    require_eligibility(rec)
    set_registry(rec, _text(study, "eligibility/minimum_age"), _text(study, "eligibility/maximum_age"),
                 _text(study, "eligibility/gender"), _text(study, "eligibility/healthy_volunteers"))
    return rec
