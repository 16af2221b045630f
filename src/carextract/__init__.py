"""carextract: typed, evidence-linked facts from text about CQC assessments of councils' adult social care.

    >>> import carextract
    >>> result = carextract.extract("Camden Council's adult social care was rated outstanding by the CQC.")
    >>> result.assessments[0].council.code
    'E09000007'
"""

from .errors import (
    CarextractError, CorpusError, InputTypeError, MissingDependencyError, ModelError, ReadError, RuleError,
)
from .pipeline import Extractor, extract
from .results import (
    Comparator, Council, CouncilAssessment, DocumentExtraction, ErrorInfo, Evidence, ExtractionWarning, Finding,
    MetricComparison, Polarity, Rating, SourceInfo, Tally, Visit,
)

__version__ = "0.1.0"


def __getattr__(name: str):
    """The user-facing layers load on first use (carextract.reading, .frames, .rendering, .aggregation ...)."""
    import importlib

    if name in ("reading", "frames", "rendering", "aggregation", "evaluation", "spacy_components"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'carextract' has no attribute {name!r}")


def read(source, *, limits=None):
    """The documents in a file, a folder or bytes (plain text, HTML, feeds, PDF), within `limits` (a
    carextract.reading.Limits: size, nesting, PDF pages, bytes and time); see carextract.reading."""
    from .reading import read as _read

    return _read(source, limits=limits)


def to_frames(results):
    """Tidy pandas DataFrames of results (needs the pandas extra); see carextract.frames."""
    from .frames import to_frames as _to_frames

    return _to_frames(results)


def render(result, text=None, **kwargs):
    """The text with every extracted fact highlighted (displaCy), as HTML; `text` defaults to the text the
    result keeps. Shown inline in Jupyter when it is a cell's value; see carextract.rendering."""
    from .rendering import render as _render

    return _render(result, text, **kwargs)


def aggregate(results):
    """One row per council from many documents' extractions; see carextract.aggregation."""
    from .aggregation import aggregate as _aggregate

    return _aggregate(results)


def explain(evidence):
    """The rule records behind an evidence (or a rule id): pattern, examples, counter-examples; see
    carextract.rules."""
    from .rules import explain as _explain

    return _explain(evidence)


def evaluate(paths, **kwargs):
    """Score extraction against labelled records (LABELLING.md); see carextract.evaluation."""
    from .evaluation import evaluate as _evaluate

    return _evaluate(paths, **kwargs)


__all__ = [
    "CarextractError", "Comparator", "CorpusError", "Council", "CouncilAssessment", "DocumentExtraction",
    "ErrorInfo", "Evidence", "ExtractionWarning", "Extractor", "Finding", "InputTypeError", "MetricComparison",
    "MissingDependencyError", "ModelError", "Polarity", "Rating", "ReadError", "RuleError", "SourceInfo", "Tally",
    "Visit", "aggregate", "evaluate", "explain", "extract", "read", "render", "to_frames", "__version__",
]
