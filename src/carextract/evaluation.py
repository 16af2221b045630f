"""Scoring against labelled records, exactly as LABELLING.md defines it.

Each record (gold and predicted alike) is reduced to sets of tuples per
field; precision, recall and F1 are micro-averaged over records. Numbers
match when equal after rounding to two decimals.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from .errors import CorpusError, InputTypeError
from .results import SCHEMA
from .vocab import RATINGS

_MARKUP = {".html", ".htm", ".xml", ".rss", ".atom"}
FIELDS = ("councils", "rating", "score", "quality_statements", "statement_counts",
          "metrics_strict", "metrics_relaxed", "findings", "tallies")


class FieldScore(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else (1.0 if not self.fp else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class RecordErrors(BaseModel):
    id: str
    false_positives: dict[str, list] = Field(default_factory=dict)
    false_negatives: dict[str, list] = Field(default_factory=dict)


class EvaluationReport(BaseModel):
    n_records: int = 0
    fields: dict[str, FieldScore] = Field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    errors: list[RecordErrors] = Field(default_factory=list)
    failed: list[tuple[str, str]] = Field(default_factory=list)  # (record id, the error) where extraction raised

    def summary(self) -> dict[str, dict[str, float]]:
        return {name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                       "tp": s.tp, "fp": s.fp, "fn": s.fn} for name, s in self.fields.items()}

    def table(self) -> str:
        lines = [f"{'field':<20} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
        for name, s in self.fields.items():
            lines.append(f"{name:<20} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
        return "\n".join(lines)

    def below(self, floors: dict[str, float]) -> dict[str, tuple[float, float]]:
        """Fields whose F1 is under its floor: name -> (f1, floor)."""
        out = {}
        for name, floor in floors.items():
            if name not in self.fields:
                raise CorpusError(f"unknown field in floors: {name!r} (known: {', '.join(FIELDS)})")
            if self.fields[name].f1 + 1e-9 < floor:
                out[name] = (self.fields[name].f1, floor)
        return out


def _num(x: Any) -> float | None:
    return None if x is None else round(float(x), 2)


def tuples(record: dict[str, Any], doc: str | None = None) -> dict[str, set[tuple]]:
    """A record reduced to LABELLING.md's scoring tuples, per field."""
    doc = doc if doc is not None else record.get("id", "")
    out: dict[str, set[tuple]] = {f: set() for f in FIELDS}
    for a in record.get("assessments") or []:
        c = a["council"]
        out["councils"].add((doc, c))
        if a.get("rating"):
            out["rating"].add((doc, c, a["rating"]))
        if a.get("score") is not None:
            out["score"].add((doc, c, int(a["score"])))
        for sid, s in (a.get("quality_statements") or {}).items():
            out["quality_statements"].add((doc, c, sid, int(s)))
        for s, n in (a.get("quality_statement_counts") or {}).items():
            out["statement_counts"].add((doc, c, str(s), int(n)))
        for m in a.get("metrics") or []:
            v, cv = _num(m.get("value")), _num(m.get("comparator_value"))
            out["metrics_strict"].add((doc, c, m.get("metric"), v, m.get("comparator"), cv))
            out["metrics_relaxed"].add((doc, c, v, cv))
        for theme in a.get("strengths") or []:
            out["findings"].add((doc, c, "strength", theme))
        for theme in a.get("improvements") or []:
            out["findings"].add((doc, c, "improvement", theme))
    sector = record.get("sector") or {}
    for theme in sector.get("strengths") or []:
        out["findings"].add((doc, "sector", "strength", theme))
    for theme in sector.get("improvements") or []:
        out["findings"].add((doc, "sector", "improvement", theme))
    for t in record.get("tallies") or []:
        for r in RATINGS:
            if t.get(r) is not None:
                out["tallies"].add((doc, t.get("councils"), r, int(t[r])))
    return out


def load_records(paths: Iterable[str | Path] | str | Path) -> list[tuple[dict[str, Any], str]]:
    """(record, text) pairs from folders of *.json, *.json files and *.jsonl files."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not isinstance(paths, Iterable):
        raise InputTypeError.expected("a path or a list of paths", paths, argument="paths")
    out = []
    for p in paths:
        if not isinstance(p, (str, Path)):
            raise InputTypeError.expected("a path", p, argument="paths")
        p = Path(p)
        if p.is_dir():
            files = sorted(list(p.glob("*.json")) + list(p.glob("*.jsonl")))
        elif p.exists():
            files = [p]
        else:
            raise CorpusError(f"no such corpus path: {p}")
        for f in files:
            try:
                if f.suffix == ".jsonl":
                    lines = [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
                    recs = [json.loads(ln) for ln in lines]
                else:
                    recs = [json.loads(f.read_text(encoding="utf-8"))]
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                raise CorpusError(f"{f}: not a JSON record file: {e}") from e
            for i, r in enumerate(recs):
                text = _record_text(r, f, i)
                _check_vocabulary(r, f, i)
                out.append((r, text))
    return out


def _record_text(r: dict[str, Any], f: Path, i: int) -> str:
    if not isinstance(r, dict) or r.get("schema") != SCHEMA:
        raise CorpusError(f"{f}: record {i} is not a {SCHEMA} record")
    if isinstance(r.get("text"), str):
        return r["text"]
    if isinstance(r.get("text_file"), str):
        tf = (f.parent / r["text_file"])
        if not tf.exists():
            raise CorpusError(f"{f}: text_file {r['text_file']} not found")
        if tf.suffix.lower() in _MARKUP:
            # web pages and feeds are read as users read them: visible text, one article after another
            from .reading import read

            return "\n\n".join(d.text for d in read(tf))
        return tf.read_text(encoding="utf-8")
    raise CorpusError(f"{f}: record {i} has neither text nor text_file")


def _check_vocabulary(r: dict[str, Any], f: Path, i: int) -> None:
    """The record's values come from LABELLING.md's vocabularies (a typo would silently score as an error)."""
    from .vocab import metrics, statements, themes

    def bad(what: str, value: Any) -> CorpusError:
        return CorpusError(f"{f}: record {i}: unknown {what} {value!r}")

    for a in r.get("assessments") or []:
        if a.get("rating") not in (None, *RATINGS):
            raise bad("rating", a.get("rating"))
        for sid in a.get("quality_statements") or {}:
            if sid not in statements():
                raise bad("quality statement", sid)
        for m in a.get("metrics") or []:
            if m.get("metric") not in metrics() and m.get("metric") != "other":
                raise bad("metric", m.get("metric"))
        for t in (a.get("strengths") or []) + (a.get("improvements") or []):
            if t not in themes():
                raise bad("theme", t)
    sector = r.get("sector") or {}
    for t in (sector.get("strengths") or []) + (sector.get("improvements") or []):
        if t not in themes():
            raise bad("theme", t)


def compare(gold: dict[str, Any], predicted: dict[str, Any], doc: str) -> tuple[dict[str, FieldScore], RecordErrors]:
    g, p = tuples(gold, doc), tuples(predicted, doc)
    scores, errs = {}, RecordErrors(id=doc)
    for f in FIELDS:
        tp, fp, fn = g[f] & p[f], p[f] - g[f], g[f] - p[f]
        scores[f] = FieldScore(tp=len(tp), fp=len(fp), fn=len(fn))
        if fp:
            errs.false_positives[f] = sorted((t[1:] for t in fp), key=repr)
        if fn:
            errs.false_negatives[f] = sorted((t[1:] for t in fn), key=repr)
    return scores, errs


def evaluate(paths, *, extractor=None, predict: Callable[[str], dict[str, Any]] | None = None) -> EvaluationReport:
    """Extract every labelled record's text and score it against its labels (LABELLING.md)."""
    if predict is None:
        from .pipeline import default_extractor

        ex = extractor or default_extractor()

        def predict(text: str) -> dict[str, Any]:
            return ex.extract(text).to_record()

    report = EvaluationReport()
    for i, (record, text) in enumerate(load_records(paths)):
        doc = str(record.get("id") or f"record-{i}")
        try:
            predicted = predict(text)
        except Exception as e:  # noqa: BLE001 - a record whose extraction fails is scored as finding nothing
            report.failed.append((doc, f"{type(e).__name__}: {e}"))
            predicted = {"assessments": [], "sector": {"strengths": [], "improvements": []}, "tallies": []}
        scores, errs = compare(record, predicted, doc)
        report.n_records += 1
        for f, s in scores.items():
            t = report.fields[f]
            t.tp += s.tp
            t.fp += s.fp
            t.fn += s.fn
        if errs.false_positives or errs.false_negatives:
            report.errors.append(errs)
    return report
