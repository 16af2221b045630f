import base64
import datetime as dt
import re
import sys
from html.parser import HTMLParser as _StdParser
from types import SimpleNamespace

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

import carextract
from carextract.errors import InputTypeError, MissingDependencyError
from carextract.rendering import TextMismatchError, highlights, render, render_evaluation
from carextract.results import (
    Comparator, Council, CouncilAssessment, DocumentExtraction, Evidence, Finding, MetricComparison, Polarity,
    Rating, SourceInfo, Tally, Visit,
)

TEXT = ("Barnet Council was rated good with an overall score of 70. It scored 3 for safeguarding.\n\n"
        "At home 91 days after discharge: 92.96% against 83.7% in England. Reablement was strong. "
        "Visits ran from 3 to 5 June 2024. Across England waiting times remain long. "
        "Of 60 councils, 5 were rated outstanding.")


def ev(phrase, rule, field=None, text=TEXT):
    start = text.index(phrase)
    return Evidence(start=start, end=start + len(phrase), text=phrase, rule=rule, field=field)


def make_doc():
    barnet = CouncilAssessment(
        council=Council(code="E09000003", name="London Borough of Barnet", short_name="Barnet",
                        as_written="Barnet Council"),
        rating=Rating.GOOD, score=70, quality_statements={"safeguarding": 3},
        visit=Visit(start=dt.date(2024, 6, 3), end=dt.date(2024, 6, 5),
                    evidence=[ev("3 to 5 June 2024", "visit:date_range", "visit")]),
        metrics=[MetricComparison(metric="home_91_days_after_discharge", label="At home 91 days after discharge",
                                  value=92.96, comparator=Comparator.ENGLAND, comparator_value=83.7,
                                  evidence=[ev("92.96% against 83.7% in England", "metric:vs")])],
        findings=[Finding(polarity=Polarity.STRENGTH, theme="reablement",
                          quality_statement="supporting_healthier_lives", confidence=0.9, evidence=[ev("Reablement was strong.", "finding:model")])],
        evidence=[ev("Barnet Council", "council:name", "council"), ev("rated good", "rating:rated_as", "rating"),
                  ev("overall score of 70", "score:score_of", "score"),
                  ev("3 for safeguarding", "statement_score:a_for", "quality_statements.safeguarding")],
    )
    return DocumentExtraction(
        assessments=[barnet],
        tallies=[Tally(councils=60, outstanding=5,
                       evidence=[ev("Of 60 councils, 5 were rated outstanding", "tally:counts", "tally")])],
        sector=[Finding(polarity=Polarity.IMPROVEMENT, theme="waiting_times", quality_statement="assessing_needs",
                        confidence=0.7, evidence=[ev("Across England waiting times remain long.", "finding:model")])],
        source=SourceInfo(title="Barnet <report>"), text_length=len(TEXT))


EXPECTED = {  # label -> evidence text
    "COUNCIL E09000003 · Barnet": "Barnet Council",
    "RATING good · Barnet": "rated good",
    "SCORE 70 · Barnet": "overall score of 70",
    "QS safeguarding=3 · Barnet": "3 for safeguarding",
    "VISIT 2024-06-03–2024-06-05 · Barnet": "3 to 5 June 2024",
    "METRIC home_91_days_after_discharge 92.96 vs england 83.7 · Barnet": "92.96% against 83.7% in England",
    "STRENGTH reablement · Barnet": "Reablement was strong.",
    "IMPROVEMENT waiting_times": "Across England waiting times remain long.",
    "TALLY councils=60 outstanding=5": "Of 60 councils, 5 were rated outstanding",
}


def _style(node, prop):
    m = re.search(rf"{prop}:\s*([^;]+);", node.attributes.get("style") or "")
    return m.group(1).strip() if m else None


def highlighted(html):
    """Parse displaCy span markup: {label: [highlighted text, ...]}, text without spaces between tokens."""
    root = HTMLParser(html).css_first("div.spans")
    assert root is not None
    tokens = []  # (text, slices {(top, bg)}, starts {(top, bg): label})
    for node in root.iter(include_text=False):
        if node.tag != "span":
            continue
        slices, starts = set(), {}
        for child in node.iter(include_text=False):
            key = (_style(child, "top"), _style(child, "background"))
            if "border-top-left-radius" in (child.attributes.get("style") or ""):
                starts[key] = child.css_first("span").text(strip=True)
            else:
                slices.add(key)
        tokens.append((node.text(deep=False, strip=True), slices, starts))
    found = {}
    for i, (_, _, starts) in enumerate(tokens):
        for key, label in starts.items():
            words = [tokens[i][0]]
            for text, slices, later_starts in tokens[i + 1:]:
                if key not in slices or key in later_starts:
                    break
                words.append(text)
            found.setdefault(label, []).append("".join(words))
    return found


def squash(s):
    return "".join(s.split())


def test_every_fact_highlighted_and_labelled():
    html = render(make_doc(), TEXT, jupyter=False)
    found = highlighted(html)
    assert set(found) == set(EXPECTED)
    for label, text in EXPECTED.items():
        assert found[label] == [squash(text)], label


def test_page_is_full_html_with_all_text():
    html = render(make_doc(), TEXT, jupyter=False)
    tree = HTMLParser(html)
    assert tree.css_first("title").text() == "Barnet <report>"
    assert tree.css_first("h2").text(strip=True) == "Barnet <report>"  # escaped, not markup
    assert tree.css_first("meta").attributes["charset"] == "utf-8"
    visible = tree.css_first("div.spans")
    for label in EXPECTED:  # labels are inside the text; remove them to compare the words
        for node in visible.css("span"):
            if node.text(deep=False, strip=True) == label:
                node.decompose()
    assert squash(visible.text()) == squash(TEXT)


def test_html_parser_sees_labels_too():
    class Collect(_StdParser):
        def __init__(self):
            super().__init__()
            self.data = []

        def handle_data(self, data):
            if data.strip():
                self.data.append(data.strip())

    p = Collect()
    p.feed(render(make_doc(), TEXT, jupyter=False))
    for label in EXPECTED:
        assert label in p.data


def test_overlapping_and_mid_word_spans():
    text = "Barnet Council was rated good (score: 70%)."
    a = CouncilAssessment(
        council=Council(code="E09000003", name="London Borough of Barnet", short_name="Barnet",
                        as_written="Barnet Council"),
        rating=Rating.GOOD, score=70,
        evidence=[ev("Barnet Council", "council:name", "council", text),
                  ev("Barnet Council was rated good", "rating:x", "rating", text),
                  ev("70", "score:x", "score", text)])
    found = highlighted(render(DocumentExtraction(assessments=[a]), text, jupyter=False))
    assert found == {"COUNCIL E09000003 · Barnet": ["BarnetCouncil"],
                     "RATING good · Barnet": ["BarnetCouncilwasratedgood"],
                     "SCORE 70 · Barnet": ["70"]}


def test_highlights_cover_every_evidence_span():
    spans = highlights(make_doc())
    assert {(h.label, TEXT[h.start:h.end]) for h in spans} == set(EXPECTED.items())
    assert [h.start for h in spans] == sorted(h.start for h in spans)


def test_real_extraction_rendered():
    text = ("Barnet Council has been rated good by the CQC. Barnet received an overall score of 70%. "
            "Barnet scored 3 out of 4 for safeguarding and 2 for assessing needs. "
            "Of 60 councils assessed so far, 5 were rated outstanding, 40 good, 13 requires improvement "
            "and 2 inadequate.")
    result = carextract.extract(text)
    found = highlighted(render(result, text, jupyter=False))
    spans = highlights(result)
    assert {"RATING good · Barnet", "SCORE 70 · Barnet", "QS safeguarding=3 · Barnet",
            "QS assessing_needs=2 · Barnet"} <= {h.label for h in spans}
    assert any(h.kind == "TALLY" for h in spans)
    for h in spans:
        assert squash(text[h.start:h.end]) in found[h.label]


def test_jupyter_displays_the_markup_once_and_returns_it(monkeypatch):
    display = pytest.importorskip("IPython.display")
    shown = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj))
    markup = render(make_doc(), TEXT, jupyter=True)
    assert isinstance(markup, str) and "<html" not in markup and "RATING good · Barnet" in markup
    [obj] = shown
    assert obj.data == markup
    # as a cell's value it is not shown a second time, and its repr is one short line, not 60,000 characters
    assert not callable(getattr(markup, "_repr_html_", None))
    assert len(repr(markup)) < 80


def test_outside_jupyter_a_page_is_returned_that_notebooks_can_show(monkeypatch):
    display = pytest.importorskip("IPython.display")
    monkeypatch.setattr(display, "display", lambda obj: pytest.fail("displayed outside Jupyter"))
    page = render(make_doc(), TEXT, jupyter=False)
    assert page.startswith("<!DOCTYPE html>") and isinstance(page, str)
    assert page._repr_html_() == page and len(repr(page)) < 80


def test_render_uses_the_text_the_result_keeps():
    text = "Barnet Council was rated good by the CQC, with an overall score of 70."
    result = carextract.extract(text)
    assert result.text is text  # a reference, not a copy
    assert render(result, jupyter=False) == render(result, text, jupyter=False)
    assert "RATING good · Barnet" in render(result, jupyter=False)


def test_render_without_a_kept_text_says_to_pass_it():
    text = "Barnet Council was rated good by the CQC."
    for result in (carextract.extract(text, keep_text=False),
                   DocumentExtraction.model_validate_json(carextract.extract(text).model_dump_json())):
        assert result.text is None
        with pytest.raises(InputTypeError, match=r"render\(result, text\)"):
            render(result, jupyter=False)
        assert "RATING good" in render(result, text, jupyter=False)


def test_rendering_a_source_document_result():
    [doc] = carextract.read(b"<html><body><h1>News</h1><p>Barnet Council was rated good by the CQC.</p></body></html>")
    result = carextract.extract(doc)
    assert result.text == doc.text
    assert "RATING good" in render(result, jupyter=False)


def test_chart_legend_covers_no_bar():
    from matplotlib.patches import Rectangle

    from carextract.rendering import chart_figure

    perfect = score(10, 0, 0)  # bars reaching the top of the axes, where a legend inside them would sit
    fig = chart_figure([("councils", perfect), ("rating", perfect), ("findings", score(3, 2, 4))])
    fig.canvas.draw()
    [ax] = fig.axes
    legend = ax.get_legend().get_window_extent()
    bars = [p.get_window_extent() for p in ax.patches if isinstance(p, Rectangle)]
    assert bars and not any(legend.overlaps(b) for b in bars)


def test_wrong_text_or_types():
    with pytest.raises(TextMismatchError):
        render(make_doc(), TEXT.upper(), jupyter=False)
    with pytest.raises(TextMismatchError):
        render(make_doc(), TEXT[:50], jupyter=False)
    with pytest.raises(InputTypeError):
        render(make_doc(), TEXT.encode(), jupyter=False)
    with pytest.raises(InputTypeError):
        render(make_doc().model_dump(), TEXT, jupyter=False)


def test_nothing_extracted():
    html = render(DocumentExtraction(), "No facts here.", jupyter=False)
    assert highlighted(html) == {}
    assert squash(HTMLParser(html).css_first("div.spans").text()) == "Nofactshere."


# -- render_evaluation -----------------------------------------------------------------------------

def score(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return SimpleNamespace(tp=tp, fp=fp, fn=fn, precision=p, recall=r, f1=2 * p * r / (p + r) if p + r else 0.0)


REPORT = SimpleNamespace(
    fields={"rating": score(9, 1, 0), "score": score(8, 0, 2), "findings": score(3, 2, 4)},
    errors=[SimpleNamespace(id="barnet-2024", false_positives={"rating": ["E09000003:good"]},
                            false_negatives={"score": [{"council": "E09000003", "score": 70}]}),
            SimpleNamespace(id="camden <1>", false_positives={}, false_negatives={"findings": ["reablement"]})],
)


def test_render_evaluation_table_chart_and_errors(tmp_path):
    path = tmp_path / "report.html"
    page = render_evaluation(REPORT, path)
    assert path.read_text(encoding="utf-8") == page
    tree = HTMLParser(page)
    rows = [[td.text(strip=True) for td in tr.css("td")] for tr in tree.css("table.scores tbody tr")]
    assert rows == [["rating", "9", "1", "0", "0.900", "1.000", "0.947"],
                    ["score", "8", "0", "2", "1.000", "0.800", "0.889"],
                    ["findings", "3", "2", "4", "0.600", "0.429", "0.500"]]
    src = tree.css_first("img.chart").attributes["src"]
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    errors = [[td.text(strip=True) for td in tr.css("td")] for tr in tree.css("table.errors tbody tr")]
    assert errors[0] == ["barnet-2024", "rating", "E09000003:good", ""]
    assert errors[1][:3] == ["barnet-2024", "score", ""] and '"score": 70' in errors[1][3]
    assert errors[2] == ["camden <1>", "findings", "", "reablement"]


def test_render_evaluation_dict_report_without_chart():
    report = {"fields": {"rating": {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}},
              "errors": []}
    tree = HTMLParser(render_evaluation(report, chart=False))
    assert tree.css_first("img") is None
    assert [td.text() for td in tree.css("table.scores td")][0] == "rating"
    assert "No errors" in tree.body.text()


def test_render_evaluation_needs_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    with pytest.raises(MissingDependencyError, match=r"carextract\[viz\]"):
        render_evaluation(REPORT)
    assert "<img" not in render_evaluation(REPORT, chart=False)
