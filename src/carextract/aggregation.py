"""One row per council from many documents' extractions, keeping disagreements visible.

    rows = aggregate(results)            # results as for frames.to_frames
    write_table(rows, "councils.csv")

Each document counts once per value. The main value of a field is the value most documents give;
a tie gives None. Whenever documents disagree, every value is kept (`score_values`, ...) and the
field is named in `conflicts` ('rating', 'score', 'visit', 'quality_statements.<id>').
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .frames import iter_documents
from .results import Evidence, Rating


class ValueSource(BaseModel):
    """Where one value of a council's field came from."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="'rating', 'score', 'visit' or 'quality_statements.<id>'")
    value: Any = Field(description="the value this document gives (a visit is (start, end))")
    document: str = Field(description="document id")
    evidence: list[Evidence] = Field(default_factory=list)


class CouncilRow(BaseModel):
    """Everything the documents say about one council (by ONS code)."""

    model_config = ConfigDict(extra="forbid")

    code: str
    name: str
    short_name: str
    region: str | None = None
    council_type: str | None = None
    rating: Rating | None = None
    rating_values: list[Rating] = Field(default_factory=list, description="distinct values, most supported first")
    score: int | None = None
    score_values: list[int] = Field(default_factory=list)
    quality_statements: dict[str, int | None] = Field(default_factory=dict)
    quality_statement_values: dict[str, list[int]] = Field(default_factory=dict)
    visit_start: dt.date | None = None
    visit_end: dt.date | None = None
    visit_values: list[tuple[dt.date | None, dt.date | None]] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list, description="ids of the documents assessing this council")
    sources: list[ValueSource] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list)


def _vote(values: list[Hashable]) -> tuple[Any, list[Any], bool]:
    """(majority value or None on a tie, distinct values by support then first appearance, disagreement)."""
    counts = Counter(values)
    ranked = sorted(counts, key=lambda v: (-counts[v], values.index(v)))
    if not ranked:
        return None, [], False
    tie = len(ranked) > 1 and counts[ranked[0]] == counts[ranked[1]]
    return (None if tie else ranked[0]), ranked, len(ranked) > 1


def aggregate(results: Any) -> list[CouncilRow]:
    """Fold extractions into one CouncilRow per council, sorted by ONS code.

    `results` is a DocumentExtraction, an iterable of them or a dict id -> extraction (ids as in
    `frames.iter_documents`). Failed documents are skipped.
    """
    rows: dict[str, CouncilRow] = {}
    votes: dict[str, dict[str, list[Any]]] = {}
    for doc_id, r in iter_documents(results):
        if not r.ok:
            continue
        for a in r.assessments:
            c = a.council
            row = rows.get(c.code)
            if row is None:
                row = rows[c.code] = CouncilRow(code=c.code, name=c.name, short_name=c.short_name,
                                                region=c.region, council_type=c.council_type)
                votes[c.code] = {}
            if doc_id not in row.documents:
                row.documents.append(doc_id)

            def give(field: str, value: Any, evidence: list[Evidence]) -> None:
                votes[c.code].setdefault(field, []).append(value)
                row.sources.append(ValueSource(field=field, value=value, document=doc_id, evidence=evidence))

            if a.rating is not None:
                give("rating", Rating(a.rating), a.evidence_for("rating"))
            if a.score is not None:
                give("score", a.score, a.evidence_for("score"))
            for sid, value in a.quality_statements.items():
                give(f"quality_statements.{sid}", value, a.evidence_for(f"quality_statements.{sid}"))
            if a.visit is not None and (a.visit.start or a.visit.end):
                give("visit", (a.visit.start, a.visit.end), a.visit.evidence or a.evidence_for("visit"))
    for code, row in rows.items():
        for field, values in votes[code].items():
            best, distinct, conflict = _vote(values)
            if conflict:
                row.conflicts.append(field)
            if field == "rating":
                row.rating, row.rating_values = best, distinct
            elif field == "score":
                row.score, row.score_values = best, distinct
            elif field == "visit":
                row.visit_start, row.visit_end = best if best else (None, None)
                row.visit_values = distinct
            else:
                sid = field.split(".", 1)[1]
                row.quality_statements[sid] = best
                row.quality_statement_values[sid] = distinct
        row.conflicts.sort(key=_field_order)
    return [rows[code] for code in sorted(rows)]


def _field_order(field: str) -> tuple[int, str]:
    head = field.split(".", 1)[0]
    return ({"rating": 0, "score": 1, "quality_statements": 2, "visit": 3}.get(head, 4), field)


def _statement_ids(rows: list[CouncilRow]) -> list[str]:
    from .vocab import statements

    known = list(statements())
    extra = sorted({sid for r in rows for sid in r.quality_statements} - set(known))
    return known + extra


def _cell(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, dt.date):
        return x.isoformat()
    return str(getattr(x, "value", x))


def write_table(rows: list[CouncilRow], path: str | Path) -> Path:
    """Write rows to a CSV file (UTF-8) and return its path.

    Columns: code, name, short_name, region, council_type, rating, rating_values, score, score_values,
    visit_start, visit_end, qs_<id> for every catalogue statement (catalogue order, then any other ids),
    documents, conflicts. List cells are joined by ';'; an empty cell means no value or a tie.
    """
    path = Path(path)
    sids = _statement_ids(rows)
    header = ["code", "name", "short_name", "region", "council_type", "rating", "rating_values", "score",
              "score_values", "visit_start", "visit_end", *[f"qs_{s}" for s in sids], "documents", "conflicts"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow([
                r.code, r.name, r.short_name, _cell(r.region), _cell(r.council_type), _cell(r.rating),
                ";".join(_cell(v) for v in r.rating_values), _cell(r.score),
                ";".join(_cell(v) for v in r.score_values), _cell(r.visit_start), _cell(r.visit_end),
                *[_cell(r.quality_statements.get(s)) for s in sids],
                ";".join(r.documents), ";".join(r.conflicts),
            ])
    return path


__all__ = ["CouncilRow", "ValueSource", "aggregate", "write_table"]
