"""HTML views: extracted facts highlighted in their text (displaCy), and evaluation reports.

    html = render(carextract.extract(text))           # the result keeps (a reference to) its text
    render_evaluation(carextract.evaluate(paths), "report.html")

`render` needs spaCy (a core dependency); `render_evaluation` needs matplotlib for its chart
(pip install 'carextract[viz]').
"""

from __future__ import annotations

import base64
import bisect
import html as _html
import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CarextractError, InputTypeError, MissingDependencyError
from .results import CouncilAssessment, DocumentExtraction, Evidence, MetricComparison, Polarity

COLORS = {
    "COUNCIL": "#c7d2fe", "RATING": "#fca5a5", "SCORE": "#fdba74", "QS": "#fde68a", "QS_COUNTS": "#fef08a",
    "VISIT": "#a5f3fc", "METRIC": "#c4b5fd", "STRENGTH": "#86efac", "IMPROVEMENT": "#f9a8d4", "TALLY": "#d6d3d1",
}
"""Highlight colour of each kind of fact (the first word of its label)."""


class TextMismatchError(CarextractError, ValueError):
    """An evidence span does not match the text given to `render` (pass the string given to `extract`)."""


@dataclass(frozen=True)
class Highlight:
    """One labelled span of the text: `kind` is the label's first word (a key of COLORS)."""

    start: int
    end: int
    kind: str
    label: str


def _num(x: float) -> str:
    return format(x, ".10g")


def _val(x: Any) -> str:
    return str(getattr(x, "value", x))


def _metric_label(m: MetricComparison) -> str:
    label = f"METRIC {m.metric} {_num(m.value)}"
    if m.comparator is not None or m.comparator_value is not None:
        label += " vs"
        if m.comparator is not None:
            label += f" {_val(m.comparator)}"
        if m.comparator_value is not None:
            label += f" {_num(m.comparator_value)}"
    return label


def _assessment_label(a: CouncilAssessment, field: str | None) -> tuple[str, str]:
    if field == "council":
        return "COUNCIL", f"COUNCIL {a.council.code}"
    if field == "rating" and a.rating is not None:
        return "RATING", f"RATING {_val(a.rating)}"
    if field == "score" and a.score is not None:
        return "SCORE", f"SCORE {a.score}"
    if field and field.startswith("quality_statements."):
        sid = field.split(".", 1)[1]
        return "QS", f"QS {sid}={a.quality_statements.get(sid, '?')}"
    if field == "quality_statement_counts" and a.quality_statement_counts:
        counts = ", ".join(f"{n} at {s}" for s, n in a.quality_statement_counts.items())
        return "QS_COUNTS", f"QS_COUNTS {counts}"
    if field == "visit" and a.visit is not None:
        return "VISIT", "VISIT " + "–".join(d.isoformat() for d in (a.visit.start, a.visit.end) if d)
    kind = (field or "fact").split(".", 1)[0].upper()
    return kind, kind


def highlights(result: DocumentExtraction) -> list[Highlight]:
    """Every evidence span of `result` with its label, sorted by offset; facts of an assessed
    council end in '· <short name>' (e.g. 'RATING good · Barnet')."""
    out: list[Highlight] = []

    def add(evidence: list[Evidence], kind: str, label: str) -> None:
        for e in evidence:
            out.append(Highlight(e.start, e.end, kind, label))

    for a in result.assessments:
        who = f" · {a.council.short_name}"
        for e in a.evidence:
            kind, label = _assessment_label(a, e.field)
            add([e], kind, label + who)
        if a.visit is not None:
            kind, label = _assessment_label(a, "visit")
            add([e for e in a.visit.evidence if e not in a.evidence], kind, label + who)
        for m in a.metrics:
            add(m.evidence, "METRIC", _metric_label(m) + who)
        for f in a.findings:
            kind = "STRENGTH" if f.polarity is Polarity.STRENGTH else "IMPROVEMENT"
            add(f.evidence, kind, f"{kind} {f.theme}{who}")
    for m in result.metrics:
        add(m.evidence, "METRIC", _metric_label(m))
    for f in result.sector:
        kind = "STRENGTH" if f.polarity is Polarity.STRENGTH else "IMPROVEMENT"
        add(f.evidence, kind, f"{kind} {f.theme}")
    for t in result.tallies:
        counts = " ".join(f"{k}={v}" for k, v in t.model_dump(exclude={"evidence"}).items() if v is not None)
        add(t.evidence, "TALLY", f"TALLY {counts}".rstrip())
    unique = dict.fromkeys(out)  # one highlight per (span, label), first-seen order
    return sorted(unique, key=lambda h: (h.start, h.end))


def _tokens(text: str, cuts: set[int]) -> tuple[list[str], list[int]]:
    """Split `text` at whitespace and at every offset in `cuts`; the tokens and their start offsets."""
    points = sorted(cuts)
    tokens, starts = [], []
    for m in re.finditer(r"\S+", text):
        inner = points[bisect.bisect_right(points, m.start()):bisect.bisect_left(points, m.end())]
        for a, b in zip([m.start(), *inner], [*inner, m.end()]):
            tokens.append(text[a:b])
            starts.append(a)
    return tokens, starts


def _check(text: str, result: DocumentExtraction, spans: list[Highlight]) -> None:
    for h in spans:
        if not 0 <= h.start <= h.end <= len(text):
            raise TextMismatchError(f"evidence {h.start}:{h.end} ({h.label}) lies outside the text "
                                    f"of length {len(text)}; pass the string given to extract")
    evidence: list[Evidence] = []
    for a in result.assessments:
        evidence += a.evidence + (a.visit.evidence if a.visit else [])
        evidence += [e for x in [*a.metrics, *a.findings] for e in x.evidence]
    evidence += [e for x in [*result.metrics, *result.sector, *result.tallies] for e in x.evidence]
    for e in evidence:
        if text[e.start:e.end] != e.text:
            raise TextMismatchError(f"evidence {e.start}:{e.end} is {e.text!r} but the text there is "
                                    f"{text[e.start:e.end]!r}; pass the string given to extract")


class HTML(str):
    """The markup `render` returns: a str (write it to a file, search it) whose repr is one short line, and
    which Jupyter shows as the highlighted text when it is a cell's value."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<carextract HTML, {len(self)} characters>"


class _ShownHTML(HTML):
    """Markup `render` has already displayed in Jupyter: shown once, not again as the cell's value."""

    _repr_html_ = None  # type: ignore[assignment]


def render(result: DocumentExtraction, text: str | None = None, *, jupyter: bool | None = None,
           title: str | None = None) -> HTML:
    """The text of `result` with every fact highlighted and labelled (displaCy 'span' style), as HTML.

    `text` defaults to the text the result keeps (`result.text`); when given, it must be the string passed
    to `extract` (evidence offsets point into it; a mismatch raises TextMismatchError). In Jupyter
    (auto-detected, or jupyter=True) the markup is a fragment, displayed inline at once; elsewhere it is
    a full HTML page. Either way the markup is returned, as an `HTML` str. Tokens are separated by single spaces in the view, so line breaks are not kept and a
    span boundary inside a word shows as a space. `title` defaults to the source's title or path.
    """
    if not isinstance(result, DocumentExtraction):
        raise InputTypeError.expected("a DocumentExtraction", result, argument="result")
    if text is None:
        text = result.text
        if text is None:
            raise InputTypeError("this result does not keep its text (extract_many(..., keep_text=False), a "
                                 "result read from JSON, or one from another process): pass it, "
                                 "render(result, text)")
    if not isinstance(text, str):
        raise InputTypeError.expected("a str", text)
    from spacy import displacy
    from spacy.util import is_in_jupyter

    spans = highlights(result)
    _check(text, result, spans)
    cuts = {h.start for h in spans} | {h.end for h in spans}
    tokens, starts = _tokens(text, cuts)
    token_ends = [s + len(t) for s, t in zip(starts, tokens)]
    parsed_spans = []
    for h in spans:
        # the tokens inside [start, end): span edges are cut points, so these are exactly its words
        first, last = bisect.bisect_left(starts, h.start), bisect.bisect_right(token_ends, h.end)
        if first < last:
            parsed_spans.append({"start_token": first, "end_token": last, "label": _html.escape(h.label)})
    if title is None and result.source is not None:
        title = result.source.title or result.source.path
    doc = {"text": text, "tokens": tokens, "spans": parsed_spans, "title": _html.escape(title) if title else None}
    colors = {_html.escape(h.label): COLORS.get(h.kind, "#ddd") for h in spans}
    in_jupyter = is_in_jupyter() if jupyter is None else jupyter
    # displaCy's own Jupyter mode displays and returns None; the markup is made here and returned instead
    markup = displacy.render(doc, style="span", manual=True, page=not in_jupyter, jupyter=False,
                             options={"colors": colors})
    if not in_jupyter:
        page_title = _html.escape(title or "carextract")
        markup = markup.replace("<head>", '<head>\n        <meta charset="utf-8">', 1)
        markup = markup.replace("<title>displaCy</title>", f"<title>{page_title}</title>", 1)
        return HTML(markup)
    try:
        from IPython.display import HTML as _IPythonHTML, display
    except ImportError:  # jupyter=True without IPython: nothing to display in, the markup is still returned
        return HTML(markup)
    display(_IPythonHTML(markup))
    return _ShownHTML(markup)


# -- evaluation reports ---------------------------------------------------------------------------

def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _score(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.3f}" if isinstance(x, float) else _html.escape(str(x))


def _fmt(v: Any) -> str:
    if isinstance(v, str):
        return v
    try:
        return json.dumps(v, default=str, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return repr(v)


def _chart(fields: list[tuple[str, Any]]) -> str:
    """A P/R/F1 bar chart of `fields` as a base64 PNG (matplotlib's Agg canvas; pyplot's backend is untouched)."""
    fig = chart_figure(fields)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def chart_figure(fields: list[tuple[str, Any]]):
    """The matplotlib Figure of an evaluation's P/R/F1 per field (`fields`: (name, scores) pairs, or a
    report's `fields.items()`); the legend sits above the axes, clear of the bars."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise MissingDependencyError("render_evaluation's chart needs matplotlib: "
                                     "pip install 'carextract[viz]' (or pass chart=False)") from e
    names = [name for name, _ in fields]
    fig = Figure(figsize=(max(4.0, 0.9 * len(names) + 1.5), 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = 0.27
    for k, metric in enumerate(("precision", "recall", "f1")):
        values = [_get(s, metric) for _, s in fields]
        values = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
        ax.bar([i + (k - 1) * width for i in range(len(names))], values, width, label=metric)
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    fig.tight_layout()
    return fig


_STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}.errors td{text-align:left;vertical-align:top}
ul{margin:0;padding-left:1.2rem}"""


def render_evaluation(report: Any, path: str | Path | None = None, *, chart: bool = True,
                      title: str = "carextract evaluation") -> str:
    """An HTML page of an evaluation report: P/R/F1 per field, a bar chart (PNG) and the errors.

    `report` is what `carextract.evaluation.evaluate` returns (or its dict form): `fields` maps a
    field name to an object with tp, fp, fn, precision, recall, f1; `errors` lists objects with id,
    false_positives and false_negatives (field -> list of values). The chart needs matplotlib
    (MissingDependencyError without it; chart=False leaves it out). Writes the page to `path` if
    given (UTF-8) and returns it.
    """
    fields = list((_get(report, "fields") or {}).items())
    esc = _html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
             f"<style>{_STYLE}</style></head><body>\n<h1>{esc(title)}</h1>\n<h2>Scores per field</h2>"]
    rows = "".join(
        f"<tr><td>{esc(str(name))}</td>"
        + "".join(f"<td>{_score(_get(s, k))}</td>" for k in ("tp", "fp", "fn", "precision", "recall", "f1"))
        + "</tr>\n" for name, s in fields)
    parts.append("<table class=\"scores\"><thead><tr><th>field</th><th>tp</th><th>fp</th><th>fn</th>"
                 "<th>precision</th><th>recall</th><th>f1</th></tr></thead>\n<tbody>\n"
                 + (rows or "<tr><td colspan=\"7\">no fields</td></tr>\n") + "</tbody></table>")
    if chart and fields:
        png = _chart([(str(n), s) for n, s in fields])
        parts.append(f"<img class=\"chart\" alt=\"precision, recall and F1 per field\" "
                     f"src=\"data:image/png;base64,{png}\">")
    errors = list(_get(report, "errors") or [])
    parts.append(f"<h2>Errors ({len(errors)} records)</h2>")
    if errors:
        parts.append("<table class=\"errors\"><thead><tr><th>record</th><th>field</th>"
                     "<th>false positives</th><th>false negatives</th></tr></thead>\n<tbody>")
        for rec in errors:
            fps = _get(rec, "false_positives") or {}
            fns = _get(rec, "false_negatives") or {}
            for field in list(dict.fromkeys([*fps, *fns])):
                cells = ["<ul>" + "".join(f"<li>{esc(_fmt(v))}</li>" for v in (d.get(field) or [])) + "</ul>"
                         for d in (fps, fns)]
                parts.append(f"<tr><td>{esc(str(_get(rec, 'id')))}</td><td>{esc(str(field))}</td>"
                             f"<td class=\"fp\">{cells[0]}</td><td class=\"fn\">{cells[1]}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No errors.</p>")
    parts.append("</body></html>\n")
    page = "\n".join(parts)
    if path is not None:
        Path(path).write_text(page, encoding="utf-8")
    return page


__all__ = ["COLORS", "HTML", "Highlight", "TextMismatchError", "chart_figure", "highlights", "render",
           "render_evaluation"]
