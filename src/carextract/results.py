"""Typed results of an extraction, and their `carextract-gold/1` record form.

Every extracted fact carries `evidence`: spans of the exact string passed to
`extract`, each naming the rule that produced it.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

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
    """Something in the text a user should look at: the text disagrees with itself, or the input looks wrong.
    `evidence` holds the spans it is about (every value of a conflict, the figures behind a mismatch)."""

    code: str
    message: str
    council: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


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

    # the string given to extract, kept by reference (not a copy, never serialised nor pickled) so that
    # carextract.render(result) needs no second argument; None when dropped (keep_text=False, or a result
    # that crossed a process boundary or was loaded from JSON)
    _text: str | None = PrivateAttr(default=None)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def text(self) -> str | None:
        """The text this result was extracted from (the very string given to `extract`), or None when it was
        not kept: `extract_many(..., keep_text=False)`, a result read back from JSON, or one that was pickled."""
        return self._text

    def drop_text(self) -> "DocumentExtraction":
        """Let go of the kept text (results held for long need not hold their texts); returns self."""
        self._text = None
        return self

    # the kept text is a convenience, not part of the result: equality and pickling ignore it
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DocumentExtraction):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        private = state.get("__pydantic_private__")
        if private and private.get("_text") is not None:
            state["__pydantic_private__"] = {**private, "_text": None}
        return state

    # -- short views: print(result), repr in a console, and a summary table in notebooks ---------------
    def summary(self) -> dict[str, Any]:
        """The headline of the result as plain values: per council its code, name, rating, score and
        statements, the counts of metrics and findings, and the warnings (code: message)."""
        councils = []
        for a in self.assessments:
            councils.append({
                "code": a.council.code, "name": a.council.short_name,
                "rating": a.rating.value if a.rating else None, "score": a.score,
                "quality_statements": dict(a.quality_statements),
                "metrics": len(a.metrics), "strengths": a.strengths, "improvements": a.improvements,
            })
        return {
            "councils": councils,
            "metrics": sum(len(a.metrics) for a in self.assessments) + len(self.metrics),
            "findings": sum(len(a.findings) for a in self.assessments) + len(self.sector),
            "tallies": len(self.tallies),
            "warnings": [f"{w.code}: {w.message}" for w in self.warnings],
            "error": f"{self.error.type}: {self.error.message}" if self.error else None,
            "source": (self.source.title or self.source.path) if self.source else None,
        }

    def __repr__(self) -> str:
        s = self.summary()
        parts = []
        if s["error"]:
            parts.append(f"error={s['error']!r}")
        for c in s["councils"]:
            bits = [c["code"], c["name"]]
            if c["rating"]:
                bits.append(c["rating"])
            if c["score"] is not None:
                bits.append(f"{c['score']}%")
            if c["quality_statements"]:
                bits.append(f"{len(c['quality_statements'])} statements")
            parts.append(" ".join(bits))
        parts.append(f"metrics={s['metrics']}")
        parts.append(f"findings={s['findings']}")
        if s["tallies"]:
            parts.append(f"tallies={s['tallies']}")
        if s["warnings"]:
            parts.append(f"warnings={len(s['warnings'])}")
        return f"DocumentExtraction({', '.join(parts)})"

    def __str__(self) -> str:
        s = self.summary()
        lines = []
        if s["source"]:
            lines.append(f"source: {s['source']}")
        if s["error"]:
            lines.append(f"error: {s['error']}")
        if not s["councils"]:
            lines.append("no council assessed")
        for c in s["councils"]:
            head = f"{c['name']} ({c['code']})"
            if c["rating"]:
                head += f": {c['rating'].replace('_', ' ')}"
            if c["score"] is not None:
                head += f", score {c['score']}%"
            lines.append(head)
            if c["quality_statements"]:
                lines.append("  statements: " + ", ".join(f"{k} {v}" for k, v in c["quality_statements"].items()))
            if c["strengths"]:
                lines.append("  strengths: " + ", ".join(c["strengths"]))
            if c["improvements"]:
                lines.append("  improvements: " + ", ".join(c["improvements"]))
        lines.append(f"{s['metrics']} metrics, {s['findings']} findings, {s['tallies']} tallies")
        for w in s["warnings"]:
            lines.append(f"warning: {w}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Jupyter's view: a small table per council, then counts and warnings (not a model dump)."""
        from html import escape

        s = self.summary()
        out = ['<div class="carextract-result">']
        if s["source"]:
            out.append(f"<p><b>source</b>: {escape(s['source'])}</p>")
        if s["error"]:
            out.append(f"<p><b>error</b>: {escape(s['error'])}</p>")
        if s["councils"]:
            out.append("<table><thead><tr><th>council</th><th>code</th><th>rating</th><th>score</th>"
                       "<th>quality statements</th><th>metrics</th><th>strengths</th><th>improvements</th>"
                       "</tr></thead><tbody>")
            for c in s["councils"]:
                qs = ", ".join(f"{k}: {v}" for k, v in c["quality_statements"].items())
                cells = [c["name"], c["code"], (c["rating"] or "").replace("_", " "),
                         "" if c["score"] is None else f"{c['score']}%", qs, str(c["metrics"]),
                         ", ".join(c["strengths"]), ", ".join(c["improvements"])]
                out.append("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in cells) + "</tr>")
            out.append("</tbody></table>")
        else:
            out.append("<p>no council assessed</p>")
        out.append(f"<p>{s['metrics']} metrics, {s['findings']} findings, {s['tallies']} tallies, "
                   f"{len(s['warnings'])} warnings</p>")
        if s["warnings"]:
            out.append("<ul>" + "".join(f"<li>{escape(w)}</li>" for w in s["warnings"]) + "</ul>")
        out.append("</div>")
        return "".join(out)

    def assessment(self, council: str) -> CouncilAssessment | None:
        """The assessment of a council by ONS code, official name or short name."""
        key = council.casefold()
        for a in self.assessments:
            c = a.council
            if key in (c.code.casefold(), c.name.casefold(), c.short_name.casefold()):
                return a
        return None

    def to_record(self, id: str | None = None) -> dict[str, Any]:
        """This extraction as a `carextract-gold/1` record (docs/RECORD_FORMAT.md): plain dicts, lists,
        strings and numbers, so `json.dumps(result.to_record())` works as it is. For the whole model as
        JSON use `result.model_dump(mode="json")` or `result.model_dump_json()` (plain `model_dump()`
        keeps dates and enums, which `json.dumps` refuses)."""
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


def failed(error: BaseException, source: SourceInfo | None = None) -> DocumentExtraction:
    """The placeholder result of a document that could not be extracted: its `error` names the exception (the
    library's own by class name, any other with its module) and says what went wrong."""
    from .errors import CarextractError

    kind = type(error).__name__ if isinstance(error, CarextractError) else f"{type(error).__module__}.{type(error).__name__}"
    return DocumentExtraction(error=ErrorInfo(type=kind, message=str(error)), source=source)
