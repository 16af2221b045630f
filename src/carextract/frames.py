"""Tidy tables of extraction results: one row per fact, with its document, council and evidence.

    tables = to_frames(results)          # needs pandas: pip install 'carextract[pandas]'
    tables["quality_statements"].groupby("statement")["score"].mean()
    write_csv_tables(results, "out/")    # standard library only

`results` is a DocumentExtraction, an iterable of them, or a dict {document id: DocumentExtraction}.
Documents without an explicit id are named `source.path`, else `doc-<source.index>`, else
`doc-<position>`. Failed documents (`error` set) contribute no rows.

Evidence columns give the first (earliest) span behind the fact: `start`, `end` (offsets into the
text passed to `extract`), `rule` and `evidence` (the span's text). The `assessments` table holds
several facts per row, so its evidence columns are prefixed by fact: `rating_start`, `rating_end`,
`rating_rule`, ... for council, rating, score, visit and qs_counts.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from .errors import InputTypeError, MissingDependencyError
from .results import CouncilAssessment, DocumentExtraction, Evidence

_EV = [("start", "int"), ("end", "int"), ("rule", "str"), ("evidence", "str")]
_WHO = [("doc_id", "str"), ("council_code", "str"), ("council_name", "str")]


def _prefixed(prefix: str) -> list[tuple[str, str]]:
    return [(f"{prefix}_{name}", kind) for name, kind in _EV[:3]]


COLUMNS: dict[str, list[tuple[str, str]]] = {
    "assessments": _WHO + [
        ("council_short_name", "str"), ("as_written", "str"), ("region", "str"), ("council_type", "str"),
        ("rating", "str"), ("score", "int"), ("visit_from", "date"), ("visit_to", "date"),
        ("qs_count_4", "int"), ("qs_count_3", "int"), ("qs_count_2", "int"), ("qs_count_1", "int"),
    ] + _prefixed("council") + _prefixed("rating") + _prefixed("score") + _prefixed("visit") + _prefixed("qs_counts"),
    "quality_statements": _WHO + [("statement", "str"), ("theme", "str"), ("score", "int")] + _EV,
    "metrics": _WHO + [
        ("metric", "str"), ("label", "str"), ("value", "float"), ("unit", "str"), ("comparator", "str"),
        ("comparator_value", "float"), ("direction", "str"), ("significant", "bool"), ("approximate", "bool"),
        ("period", "str"),
    ] + _EV,
    "findings": _WHO + [("polarity", "str"), ("theme", "str"), ("quality_statement", "str"),
                        ("confidence", "float")] + _EV,
    "tallies": [("doc_id", "str"), ("councils", "int"), ("outstanding", "int"), ("good", "int"),
                ("requires_improvement", "int"), ("inadequate", "int")] + _EV,
}
"""Column names and kinds ('str', 'int', 'float', 'bool', 'date') of each table, in order.

In `metrics` and `findings`, council_code/council_name are empty for document-level facts
(DocumentExtraction.metrics and .sector). `tallies` have no council columns.
"""

TABLES = tuple(COLUMNS)


def iter_documents(results: Any) -> list[tuple[str, DocumentExtraction]]:
    """`(document id, extraction)` pairs of a DocumentExtraction, an iterable of them, or a dict id -> extraction."""
    if isinstance(results, DocumentExtraction):
        return [(_default_id(results, 0), results)]
    if isinstance(results, Mapping):
        pairs = [(str(k), v) for k, v in results.items()]
    elif isinstance(results, (str, bytes)) or not isinstance(results, Iterable):
        raise InputTypeError.expected("a DocumentExtraction, an iterable of them or a dict of them", results,
                                      argument="results")
    else:
        pairs = [(None, r) for r in results]
    out = []
    for i, (key, r) in enumerate(pairs):
        if not isinstance(r, DocumentExtraction):
            raise InputTypeError.expected("a DocumentExtraction", r, argument=f"results[{key if key else i}]")
        out.append((key if key is not None else _default_id(r, i), r))
    return out


def _default_id(r: DocumentExtraction, position: int) -> str:
    src = r.source
    if src is not None and src.path:
        return src.path
    return f"doc-{src.index if src is not None and src.index is not None else position}"


def _val(x: Any) -> Any:
    return x.value if isinstance(x, Enum) else x


def _first(evidence: Iterable[Evidence]) -> Evidence | None:
    evidence = list(evidence)
    return min(evidence, key=lambda e: (e.start, e.end)) if evidence else None


def _ev(evidence: Iterable[Evidence], prefix: str = "") -> dict[str, Any]:
    e = _first(evidence)
    row = {f"{prefix}start": e.start if e else None, f"{prefix}end": e.end if e else None,
           f"{prefix}rule": e.rule if e else None}
    if not prefix:
        row["evidence"] = e.text if e else None
    return row


def _assessment_row(doc_id: str, a: CouncilAssessment) -> dict[str, Any]:
    c = a.council
    counts = a.quality_statement_counts or {}
    visit = a.visit
    row = {
        "doc_id": doc_id, "council_code": c.code, "council_name": c.name, "council_short_name": c.short_name,
        "as_written": c.as_written, "region": c.region, "council_type": c.council_type,
        "rating": _val(a.rating), "score": a.score,
        "visit_from": visit.start if visit else None, "visit_to": visit.end if visit else None,
        **{f"qs_count_{s}": counts.get(str(s), 0 if counts else None) for s in (4, 3, 2, 1)},
    }
    for field, prefix in (("council", "council"), ("rating", "rating"), ("score", "score"),
                          ("quality_statement_counts", "qs_counts")):
        row.update(_ev(a.evidence_for(field), prefix + "_"))
    row.update(_ev((visit.evidence if visit else []) or a.evidence_for("visit"), "visit_"))
    return row


def to_rows(results: Any) -> dict[str, list[dict[str, Any]]]:
    """The tables of `to_frames` as lists of plain dicts (no pandas needed); keys follow COLUMNS."""
    from .vocab import statements

    catalogue = statements()
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for doc_id, r in iter_documents(results):
        if not r.ok:
            continue
        for a in r.assessments:
            who = {"doc_id": doc_id, "council_code": a.council.code, "council_name": a.council.name}
            tables["assessments"].append(_assessment_row(doc_id, a))
            for sid, score in a.quality_statements.items():
                tables["quality_statements"].append({
                    **who, "statement": sid, "theme": catalogue.get(sid, {}).get("theme"), "score": score,
                    **_ev(a.evidence_for(f"quality_statements.{sid}"))})
            for m in a.metrics:
                tables["metrics"].append(_metric_row(who, m))
            for f in a.findings:
                tables["findings"].append(_finding_row(who, f))
        nobody = {"doc_id": doc_id, "council_code": None, "council_name": None}
        for m in r.metrics:
            tables["metrics"].append(_metric_row(nobody, m))
        for f in r.sector:
            tables["findings"].append(_finding_row(nobody, f))
        for t in r.tallies:
            tables["tallies"].append({"doc_id": doc_id, **t.model_dump(exclude={"evidence"}), **_ev(t.evidence)})
    return {name: [{col: row.get(col) for col, _ in COLUMNS[name]} for row in rows] for name, rows in tables.items()}


def _metric_row(who: dict[str, Any], m) -> dict[str, Any]:
    return {**who, **{k: _val(v) for k, v in m.model_dump(exclude={"evidence"}).items()}, **_ev(m.evidence)}


def _finding_row(who: dict[str, Any], f) -> dict[str, Any]:
    return {**who, "polarity": _val(f.polarity), "theme": f.theme, "quality_statement": f.quality_statement,
            "confidence": f.confidence, **_ev(f.evidence)}


_DTYPES = {"int": "Int64", "float": "Float64", "bool": "boolean", "str": "string"}
_DATE = "date"  # a column of dates: datetime64


def to_frames(results: Any) -> dict[str, Any]:
    """Tidy pandas DataFrames 'assessments', 'quality_statements', 'metrics', 'findings', 'tallies'.

    Columns use pandas' nullable dtypes (string, Int64, Float64, boolean; missing = pd.NA); visit dates
    are datetime64. Empty tables still have every column. Raises MissingDependencyError without pandas.
    """
    try:
        import pandas as pd
    except ImportError as e:
        raise MissingDependencyError("to_frames needs pandas: pip install 'carextract[pandas]'") from e
    frames = {}
    for name, rows in to_rows(results).items():
        cols = COLUMNS[name]
        df = pd.DataFrame(rows, columns=[c for c, _ in cols])
        for col, kind in cols:
            df[col] = pd.to_datetime(df[col]) if kind == _DATE else df[col].astype(_DTYPES[kind])
        frames[name] = df
    return frames


def _cell(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    return str(_val(x))


def write_csv_tables(results: Any, folder: str | Path) -> dict[str, Path]:
    """Write `<table>.csv` (UTF-8, header always) for each table into `folder`, created if needed.

    Uses only the csv module; missing values are empty cells, dates ISO 8601. Returns table -> path.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, rows in to_rows(results).items():
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            cols = [c for c, _ in COLUMNS[name]]
            w.writerow(cols)
            for row in rows:
                w.writerow([_cell(row[c]) for c in cols])
        paths[name] = path
    return paths


__all__ = ["COLUMNS", "TABLES", "iter_documents", "to_frames", "to_rows", "write_csv_tables"]
