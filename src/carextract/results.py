"""Typed results of an extraction, and their `carextract-gold/1` record form.

Every extracted fact carries `evidence`: spans of the exact string passed to
`extract`, each naming the rule that produced it.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "carextract-gold/1"


_FIELDS: dict[type, frozenset[str]] = {}  # each model's field names, read once


class _Model(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid", use_enum_values=False)

    @classmethod
    def built(cls, **values: Any):
        """An instance from values already of the fields' types, every field given: no validation, as
        `model_construct`, at a third of its cost (recognizers build thousands of these per document)."""
        fields = _FIELDS.get(cls)
        if fields is None:
            fields = _FIELDS[cls] = frozenset(cls.model_fields)
        if values.keys() != fields:
            return cls.model_construct(**values)
        obj = cls.__new__(cls)
        object.__setattr__(obj, "__dict__", values)
        object.__setattr__(obj, "__pydantic_fields_set__", set(values))
        object.__setattr__(obj, "__pydantic_extra__", None)
        object.__setattr__(obj, "__pydantic_private__", None)
        return obj


class Rating(str, Enum):
    """CQC's four overall ratings, valued as in LABELLING.md."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"


class Polarity(str, Enum):
    STRENGTH = "strength"
    IMPROVEMENT = "improvement"


class Comparator(str, Enum):
    ENGLAND = "england"
    LONDON = "london"
    REGIONAL = "regional"
    COMPARATOR_GROUP = "comparator_group"
    OTHER = "other"


class Evidence(_Model):
    """A span of the input text behind a fact; `text == input[start:end]`."""

    start: int
    end: int
    text: str
    rule: str = Field(description="recognizer and pattern that produced the fact, e.g. 'rating:rated_as'")
    field: str | None = Field(default=None, description="which fact this span supports, e.g. 'rating'")


class Council(_Model):
    code: str = Field(description="ONS (GSS) code")
    name: str = Field(description="official name")
    short_name: str
    as_written: str = Field(description="the name as first written in the text")
    region: str | None = None
    council_type: str | None = None


class Visit(_Model):
    start: dt.date | None = None
    end: dt.date | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class MetricComparison(_Model):
    """A figure compared with a benchmark."""

    metric: str = Field(description="metric id from the catalogue, or 'other'")
    label: str = Field(description="the measure as written")
    value: float
    unit: str = "percent"
    comparator: Comparator | None = None
    comparator_value: float | None = None
    direction: Literal["better", "worse", "higher", "lower", "same"] | None = None
    significant: bool = False
    approximate: bool = False
    period: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Finding(_Model):
    polarity: Polarity
    theme: str
    quality_statement: str
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)


class Tally(_Model):
    councils: int | None = None
    outstanding: int | None = None
    good: int | None = None
    requires_improvement: int | None = None
    inadequate: int | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class ExtractionWarning(_Model):
    code: str
    message: str
    council: str | None = None


class ErrorInfo(_Model):
    """Why a document in a batch failed; set on DocumentExtraction.error."""

    type: str
    message: str


class SourceInfo(_Model):
    path: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    index: int | None = None


class CouncilAssessment(_Model):
    council: Council
    rating: Rating | None = None
    score: int | None = None
    quality_statements: dict[str, int] = Field(default_factory=dict)
    quality_statement_counts: dict[str, int] | None = None
    visit: Visit | None = None
    metrics: list[MetricComparison] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    def evidence_for(self, field: str) -> list[Evidence]:
        """Evidence spans supporting one fact ('council', 'rating', 'score', 'quality_statements.safeguarding', ...)."""
        return [e for e in self.evidence if e.field == field]

    @property
    def strengths(self) -> list[str]:
        return sorted({f.theme for f in self.findings if f.polarity is Polarity.STRENGTH})

    @property
    def improvements(self) -> list[str]:
        return sorted({f.theme for f in self.findings if f.polarity is Polarity.IMPROVEMENT})


def _metric_record(m: MetricComparison) -> dict[str, Any]:
    return {
        "metric": m.metric,
        "value": m.value,
        "comparator": m.comparator.value if m.comparator else None,
        "comparator_value": m.comparator_value,
    }


def _recordable(m: MetricComparison) -> bool:
    return not m.approximate and m.comparator is not None and m.comparator_value is not None


class DocumentExtraction(_Model):
    """Everything extracted from one document."""

    assessments: list[CouncilAssessment] = Field(default_factory=list)
    metrics: list[MetricComparison] = Field(
        default_factory=list, description="comparisons not attributable to an assessed council")
    tallies: list[Tally] = Field(default_factory=list)
    sector: list[Finding] = Field(default_factory=list)
    warnings: list[ExtractionWarning] = Field(default_factory=list)
    error: ErrorInfo | None = None
    source: SourceInfo | None = None
    text_length: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def assessment(self, council: str) -> CouncilAssessment | None:
        """The assessment of a council by ONS code, official name or short name."""
        key = council.casefold()
        for a in self.assessments:
            c = a.council
            if key in (c.code.casefold(), c.name.casefold(), c.short_name.casefold()):
                return a
        return None

    def to_record(self, id: str | None = None) -> dict[str, Any]:
        """This extraction as a `carextract-gold/1` record (see LABELLING.md)."""
        assessments = []
        for a in self.assessments:
            assessments.append({
                "council": a.council.code,
                "rating": a.rating.value if a.rating else None,
                "score": a.score,
                "quality_statements": dict(a.quality_statements),
                "quality_statement_counts": dict(a.quality_statement_counts) if a.quality_statement_counts else None,
                "visit": ({"start": a.visit.start.isoformat() if a.visit.start else None,
                           "end": a.visit.end.isoformat() if a.visit.end else None}
                          if a.visit and a.visit.start else None),
                "metrics": [_metric_record(m) for m in a.metrics if _recordable(m)],
                "strengths": a.strengths,
                "improvements": a.improvements,
            })
        record: dict[str, Any] = {"schema": SCHEMA}
        if id is not None:
            record["id"] = id
        record["assessments"] = assessments
        record["sector"] = {
            "strengths": sorted({f.theme for f in self.sector if f.polarity is Polarity.STRENGTH}),
            "improvements": sorted({f.theme for f in self.sector if f.polarity is Polarity.IMPROVEMENT}),
        }
        record["tallies"] = [
            {k: getattr(t, k) for k in ("councils", "outstanding", "good", "requires_improvement", "inadequate")}
            for t in self.tallies
        ]
        spans = []
        for a in self.assessments:
            spans += [_span(f, a.council.code) for f in a.findings]
        spans += [_span(f, None) for f in self.sector]
        record["finding_spans"] = sorted(spans, key=lambda s: (s["start"], s["end"], s["theme"]))
        return record


def _span(f: Finding, council: str | None) -> dict[str, Any]:
    ev = f.evidence[0]
    return {"start": ev.start, "end": ev.end, "council": council,
            "polarity": f.polarity.value, "theme": f.theme}
