"""carextract: typed, evidence-linked facts from text about CQC assessments of councils' adult social care.

    >>> import carextract
    >>> result = carextract.extract("Camden Council's adult social care was rated outstanding by the CQC.")
    >>> result.assessments[0].council.code
    'E09000007'
"""

from .errors import CarextractError, CorpusError, InputTypeError, MissingDependencyError, ModelError, ReadError
from .pipeline import Extractor, extract
from .results import (
    Comparator, Council, CouncilAssessment, DocumentExtraction, ErrorInfo, Evidence, ExtractionWarning, Finding,
    MetricComparison, Polarity, Rating, SourceInfo, Tally, Visit,
)

__version__ = "0.1.0"


def evaluate(paths, **kwargs):
    """Score extraction against labelled records (LABELLING.md); see carextract.evaluation."""
    from .evaluation import evaluate as _evaluate

    return _evaluate(paths, **kwargs)


__all__ = [
    "CarextractError", "Comparator", "CorpusError", "Council", "CouncilAssessment", "DocumentExtraction",
    "ErrorInfo", "Evidence", "ExtractionWarning", "Extractor", "Finding", "InputTypeError", "MetricComparison",
    "MissingDependencyError", "ModelError", "Polarity", "Rating", "ReadError", "SourceInfo", "Tally", "Visit",
    "evaluate", "extract", "__version__",
]
