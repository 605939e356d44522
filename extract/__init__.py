"""elig: clinical-trial eligibility criteria as structured, span-exact facts.

``build_nlp()`` gives the spaCy pipeline (``doc._.criteria`` after it runs);
``extract_record`` / ``extract_records`` turn reader ``Record``s into contract ``Trial``s.
"""
import warnings as _warnings

from loguru import logger as _logger

# medspaCy pulls in PyRuSH, which logs every call at DEBUG through loguru
_logger.disable("PyRuSH")
# medspaCy's Sectionizer keeps an empty token Matcher beside its regex rules; spaCy warns on every doc
_warnings.filterwarnings("ignore", message=r"\[W036\]")

from .models import SCHEMA_VERSION, Trial, json_schema  # noqa: E402
from .pipeline import build_nlp, extract_record, extract_records  # noqa: E402
from .record import ReadError, Record  # noqa: E402

__all__ = ["SCHEMA_VERSION", "Trial", "json_schema", "build_nlp", "extract_record",
           "extract_records", "ReadError", "Record"]
