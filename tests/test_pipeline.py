"""pipeline.py: the public API, input types, evidence, the record form, pickling, consistency warnings."""

import json
import pickle

import pytest

import carextract
from carextract import DocumentExtraction, Extractor, InputTypeError
from carextract.errors import CarextractError
from carextract.recognizers.councils import CouncilRecognizer
from carextract.recognizers.ratings import RatingRecognizer
from carextract.results import SCHEMA, Comparator
from carextract.vocab import RATINGS, councils, metrics, statements, themes

CAMDEN = "E09000007"

RICH = (
    "Camden Council adult social care rated good\n\n"
    "Camden Council's adult social care services have been rated good by the Care Quality Commission, with an "
    "overall score of 72%. Inspectors visited between 22 July and 24 July 2024.\n\n"
    "The council scored 3 in seven of the nine quality statements and 2 in the other two. It scored 2 for "
    "safeguarding.\n\n"
    "Some 92.9% of older people were still at home 91 days after discharge, compared with the England average "
    "of 83.7%.\n\n"
    "Inspectors praised strong partnerships with the NHS. However, people waited too long for assessments.\n\n"
    "Across England, of the 26 councils assessed so far, one was rated outstanding, 14 good, 11 requires "
    "improvement and none inadequate.\n"
)

TEXTS = [
    RICH,
    "Camden Council was rated outstanding by the CQC.",
    "Hounslow (good, 70)\nInspectors praised joint work with NHS partners.\n\n"
    "Barnet (requires improvement, 58)\nPeople waited too long for care assessments.",
    "Camden\u2019s adult social care was rated \u201cgood\u201d \u2013 caf\u00e9 staff agreed. \U0001F600 Emoji too.",
    "",
]


# -- public API ---------------------------------------------------------------------------------

def test_module_extract_returns_typed_result():
    r = carextract.extract("Camden Council's adult social care was rated outstanding by the CQC.")
    assert isinstance(r, DocumentExtraction) and r.ok
    [a] = r.assessments
    assert a.council.code == CAMDEN and a.rating is carextract.Rating.OUTSTANDING
    assert a.council.as_written == "Camden Council"
    assert r.text_length == len("Camden Council's adult social care was rated outstanding by the CQC.")


def test_extractor_and_module_agree(extractor):
    for text in TEXTS:
        assert extractor.extract(text).to_record() == carextract.extract(text).to_record()


def test_rich_document(extractor):
    r = extractor.extract(RICH)
    rec = r.to_record()
    [a] = rec["assessments"]
    assert a["council"] == CAMDEN and a["rating"] == "good" and a["score"] == 72
    assert a["quality_statements"] == {"safeguarding": 2}
    assert a["quality_statement_counts"] == {"3": 7, "2": 2}
    assert a["visit"] == {"start": "2024-07-22", "end": "2024-07-24"}
    assert a["metrics"] == [{"metric": "home_91_days_after_discharge", "value": 92.9, "comparator": "england",
                             "comparator_value": 83.7}]
    assert "partnerships" in a["strengths"] and "waiting_times" in a["improvements"]
    assert rec["tallies"] == [{"councils": 26, "outstanding": 1, "good": 14, "requires_improvement": 11,
                               "inadequate": 0}]


def test_assessment_lookup(extractor):
    r = extractor.extract(RICH)
    for key in (CAMDEN, "camden", "London Borough of Camden"):
        assert r.assessment(key).council.code == CAMDEN
    assert r.assessment("Barnet") is None


def test_extract_many_keeps_order_and_survives_bad_items(extractor):
    items = ["Camden Council was rated good by the CQC.", None, b"bytes", 42,
             "Kingston Council was rated inadequate by the CQC."]
    results = list(extractor.extract_many(items))
    assert len(results) == len(items)
    assert [r.source.index for r in results] == list(range(len(items)))
    assert [r.ok for r in results] == [True, False, False, False, True]
    assert results[0].assessments[0].rating.value == "good"
    assert results[4].assessments[0].rating.value == "inadequate"
    for r in results[1:4]:
        assert r.error.type == "InputTypeError" and "str" in r.error.message


def test_extract_many_accepts_documents_with_text(extractor):
    class Doc:
        text = "Camden Council was rated good by the CQC."
        path = "camden.txt"
        title = "Camden"
        url = None
        date = "2024-08-01"

    [r] = list(extractor.extract_many([Doc()]))
    assert r.ok and r.source.path == "camden.txt" and r.source.title == "Camden" and r.source.index == 0


def test_extract_many_is_lazy(extractor):
    def endless():
        while True:
            yield "Camden Council was rated good by the CQC."

    it = extractor.extract_many(endless())
    assert next(it).ok and next(it).source.index == 1


def test_source_is_attached(extractor):
    src = carextract.SourceInfo(path="a.txt", title="A")
    assert extractor.extract("x", source=src).source == src


def test_custom_recognizers():
    ex = Extractor(recognizers=[CouncilRecognizer(), RatingRecognizer()])
    rec = ex.extract(RICH).to_record()
    [a] = rec["assessments"]
    assert a["rating"] == "good" and a["score"] is None and a["strengths"] == [] and rec["tallies"] == []


# -- wrong input types ----------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [None, b"Camden Council", bytearray(b"x"), 1, 1.5, ["text"], ("text",), {"text": "x"},
                                 object()])
@pytest.mark.parametrize("call", ["module", "extractor"])
def test_wrong_input_type(extractor, bad, call):
    fn = carextract.extract if call == "module" else extractor.extract
    with pytest.raises(InputTypeError) as info:
        fn(bad)
    err = info.value
    assert isinstance(err, TypeError) and isinstance(err, CarextractError)
    message = str(err)
    assert "str" in message and type(bad).__name__ in message


def test_str_subclass_is_accepted(extractor):
    class Text(str):
        pass

    assert extractor.extract(Text("Camden Council was rated good by the CQC.")).assessments


# -- evidence -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", TEXTS)
def test_every_evidence_span_is_exact(extractor, check_evidence, text):
    check_evidence(text, extractor.extract(text))


def test_evidence_names_its_field_and_rule(extractor):
    a = extractor.extract(RICH).assessments[0]
    assert a.evidence_for("council")[0].text == "Camden Council"
    assert a.evidence_for("rating") and all(e.rule.startswith("rating:") for e in a.evidence_for("rating"))
    assert any("72" in e.text for e in a.evidence_for("score"))
    assert a.evidence_for("quality_statements.safeguarding")
    assert a.evidence_for("quality_statement_counts")
    assert a.visit.evidence[0].rule == "visit:date_range"


# -- the record form ----------------------------------------------------------------------------------

ASSESSMENT_KEYS = {"council", "rating", "score", "quality_statements", "quality_statement_counts", "visit",
                   "metrics", "strengths", "improvements"}


@pytest.mark.parametrize("text", TEXTS)
def test_record_keys_and_vocabularies(extractor, text):
    rec = extractor.extract(text).to_record(id="doc-1")
    assert set(rec) == {"schema", "id", "assessments", "sector", "tallies", "finding_spans"}
    assert rec["schema"] == SCHEMA == "carextract-gold/1" and rec["id"] == "doc-1"
    json.dumps(rec)  # plain JSON
    for a in rec["assessments"]:
        assert set(a) == ASSESSMENT_KEYS
        assert a["council"] in councils()
        assert a["rating"] in RATINGS + (None,)
        assert a["score"] is None or (isinstance(a["score"], int) and 25 <= a["score"] <= 100)
        assert set(a["quality_statements"]) <= set(statements())
        assert all(v in (1, 2, 3, 4) for v in a["quality_statements"].values())
        if a["quality_statement_counts"] is not None:
            assert set(a["quality_statement_counts"]) <= {"1", "2", "3", "4"}
            assert all(isinstance(n, int) and n > 0 for n in a["quality_statement_counts"].values())
        if a["visit"] is not None:
            assert set(a["visit"]) == {"start", "end"} and a["visit"]["start"] <= a["visit"]["end"]
        for m in a["metrics"]:
            assert set(m) == {"metric", "value", "comparator", "comparator_value"}
            assert m["metric"] in metrics()
            assert m["comparator"] in {c.value for c in Comparator}
        assert set(a["strengths"]) | set(a["improvements"]) <= set(themes())
        assert a["strengths"] == sorted(a["strengths"])
    assert set(rec["sector"]) == {"strengths", "improvements"}
    assert set(rec["sector"]["strengths"]) | set(rec["sector"]["improvements"]) <= set(themes())
    for t in rec["tallies"]:
        assert set(t) == {"councils", "outstanding", "good", "requires_improvement", "inadequate"}
    assessed = {a["council"] for a in rec["assessments"]}
    for s in rec["finding_spans"]:
        assert set(s) == {"start", "end", "council", "polarity", "theme"}
        assert s["council"] is None or s["council"] in assessed
        assert s["polarity"] in ("strength", "improvement") and s["theme"] in themes()


@pytest.mark.parametrize("text", TEXTS)
def test_finding_spans_agree_with_theme_sets(extractor, text):
    """LABELLING.md: where a record has finding_spans, its strengths/improvements/sector are what the spans say."""
    rec = extractor.extract(text).to_record()
    for a in rec["assessments"]:
        spans = [s for s in rec["finding_spans"] if s["council"] == a["council"]]
        assert a["strengths"] == sorted({s["theme"] for s in spans if s["polarity"] == "strength"})
        assert a["improvements"] == sorted({s["theme"] for s in spans if s["polarity"] == "improvement"})
    sector = [s for s in rec["finding_spans"] if s["council"] is None]
    assert rec["sector"]["strengths"] == sorted({s["theme"] for s in sector if s["polarity"] == "strength"})
    assert rec["sector"]["improvements"] == sorted({s["theme"] for s in sector if s["polarity"] == "improvement"})


def test_record_without_id_has_no_id(extractor):
    assert "id" not in extractor.extract("x").to_record()


def test_empty_text(extractor):
    r = extractor.extract("")
    assert r.ok and r.to_record() == {"schema": SCHEMA, "assessments": [], "sector": {"strengths": [],
                                      "improvements": []}, "tallies": [], "finding_spans": []}


# -- pickling -------------------------------------------------------------------------------------

def test_extractor_pickles_small_and_works_after():
    ex = Extractor()
    data = pickle.dumps(ex)
    assert len(data) < 1000, "an Extractor should pickle without shipping its data"
    clone = pickle.loads(data)
    assert isinstance(clone, Extractor)
    assert clone.extract(RICH).to_record() == ex.extract(RICH).to_record()


def test_results_pickle(extractor):
    r = extractor.extract(RICH)
    assert pickle.loads(pickle.dumps(r)) == r


# -- consistency warnings (CQC's rule), stated values kept ----------------------------------------------

def nine_scores_text(scores: dict[str, int], stated: str) -> str:
    table = "\n".join(f"{statements()[sid]['name']}: {v}" for sid, v in scores.items())
    return f"Camden Council was assessed by the CQC. {stated}\n\nQuality statement scores\n{table}\n"


ALL_THREE = {sid: 3 for sid in statements()}  # 27/36 -> 75%, good


@pytest.mark.parametrize("stated, rating, score, warnings", [
    ("It was rated good, with an overall score of 75%.", "good", 75, set()),
    ("It was rated good, with an overall score of 70%.", "good", 70, {"score_mismatch"}),
    ("It was rated outstanding, with an overall score of 75%.", "outstanding", 75, {"rating_mismatch"}),
    ("It was rated requires improvement.", "requires_improvement", None, {"rating_mismatch"}),
    ("It was rated requires improvement, with an overall score of 60%.", "requires_improvement", 60,
     {"score_mismatch"}),
])
def test_consistency_warnings_keep_stated_values(extractor, stated, rating, score, warnings):
    r = extractor.extract(nine_scores_text(ALL_THREE, stated))
    [a] = r.assessments
    assert a.quality_statements == ALL_THREE
    assert (a.rating.value, a.score) == (rating, score)
    assert {w.code for w in r.warnings} == warnings
    assert all(w.council == CAMDEN and w.message for w in r.warnings)


def test_warning_message_gives_both_numbers(extractor):
    r = extractor.extract(nine_scores_text(ALL_THREE, "It was rated good, with an overall score of 70%."))
    [w] = r.warnings
    assert "75" in w.message and "70" in w.message


def test_conflicting_ratings_warn_and_keep_the_majority(extractor):
    text = ("Camden Council was rated good by the CQC. The CQC rated the council as good overall. "
            "A later headline said Camden Council was rated outstanding by the CQC.")
    r = extractor.extract(text)
    assert r.assessments[0].rating.value == "good"
    assert "conflicting_ratings" in {w.code for w in r.warnings}


def test_a_finding_with_a_figure_takes_the_figures_polarity(extractor):
    """'Take-up was low: 21.4% against 26.0%' is worse than the benchmark whatever words surround it."""
    from carextract.pipeline import _polarity_from_figures
    from carextract.results import Evidence, Finding, MetricComparison, Polarity

    text = "Take-up of direct payments was a strength: 21.4% used one, against a South East average of 26.0%."
    finding = Finding(polarity=Polarity.STRENGTH, theme="direct_payments", quality_statement="care_provision_integration",
                      confidence=0.5, evidence=[Evidence(start=0, end=len(text), text=text, rule="r")])
    start = text.index("21.4%")
    figure = MetricComparison(metric="direct_payments", label="direct payments", value=21.4, comparator=Comparator("regional"),
                              comparator_value=26.0, direction="worse",
                              evidence=[Evidence(start=start, end=start + 5, text="21.4%", rule="metric:value", field="value")])
    _polarity_from_figures([finding], [figure])
    assert finding.polarity is Polarity.IMPROVEMENT
    rec = extractor.extract("Camden Council was rated good by the CQC. " + text).assessments[0]
    assert {f.polarity for f in rec.findings if f.theme == "direct_payments"} <= {Polarity.IMPROVEMENT}


# -- what users hand extract (issue 17) --------------------------------------------------------------

def test_extract_takes_a_source_document_and_keeps_its_source(extractor):
    html = (b"<html><head><title>Barnet news</title></head><body>"
            b"<p>Barnet Council was rated good by the CQC.</p></body></html>")
    [doc] = carextract.read(html)
    for result in (carextract.extract(doc), extractor.extract(doc)):
        assert result.error is None and result.assessments[0].rating.value == "good"
        assert result.text is doc.text
        assert result.source.title == doc.title


def test_a_path_given_as_text_warns_and_says_to_use_read(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_text("<p>Camden Council was rated good.</p>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in ("page.html", str(page)):
        with pytest.warns(UserWarning, match=r"carextract\.read") as caught:
            result = carextract.extract(given)
        assert caught[0].filename == __file__  # the warning names the caller's line
        [w] = result.warnings
        assert w.code == "text_is_a_path" and "read" in w.message
        assert [(e.start, e.end, e.text) for e in w.evidence] == [(0, len(given), given)]
    # a word that is no file's name, or a text with spaces, is text
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert carextract.extract("Camden").warnings == []
        assert carextract.extract("page.html was rated good").warnings == []


@pytest.mark.parametrize("given, names", [(b"Camden Council was rated good.", "bytes"),
                                          (pytest.importorskip("pathlib").Path("page.html"), "Path")])
def test_path_and_bytes_get_a_message_naming_read_and_text(given, names):
    with pytest.raises(InputTypeError, match=r"carextract\.read\(") as info:
        carextract.extract(given)
    assert ".text" in str(info.value) and names in str(info.value)


def test_every_warning_carries_evidence_and_conflicts_name_their_values(extractor):
    text = ("Camden Council was rated good by the CQC. A later headline said Camden Council was rated "
            "outstanding by the CQC. Camden scored 3 for safeguarding, then 2 for safeguarding.")
    r = extractor.extract(text)
    assert r.warnings
    for w in r.warnings:
        assert w.evidence, w
        for e in w.evidence:
            assert text[e.start:e.end] == e.text
    [rating] = [w for w in r.warnings if w.code == "conflicting_ratings"]
    assert "good" in rating.message and "outstanding" in rating.message
    mismatch = extractor.extract(nine_scores_text(ALL_THREE, "It was rated good, with an overall score of 70%."))
    assert all(w.evidence for w in mismatch.warnings)


def test_extract_many_keeps_texts_unless_told_not_to(extractor):
    texts = ["Camden Council was rated good by the CQC.", "Barnet Council was rated requires improvement."]
    for n in (1, 2):
        kept = list(extractor.extract_many(texts, n_process=n))
        assert [r.text for r in kept] == texts
        assert [r.text for r in extractor.extract_many(texts, n_process=n, keep_text=False)] == [None, None]


def test_warnings_across_the_corpus_all_carry_evidence(extractor):
    from pathlib import Path

    texts = sorted((Path(__file__).resolve().parents[1] / "corpus" / "texts").glob("*.txt"))
    warned = 0
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for w in extractor.extract(text, keep_text=False).warnings:
            warned += 1
            assert w.evidence and all(text[e.start:e.end] == e.text for e in w.evidence), (path.name, w)
    assert warned > 0


@pytest.mark.parametrize("n_process", [1, 2])
def test_extract_many_progress_shows_the_total(extractor, capsys, n_process):
    texts = ["Camden Council was rated good by the CQC.", "Barnet Council was rated requires improvement."]
    results = list(extractor.extract_many(texts, n_process=n_process, progress=True))
    assert [r.text for r in results] == texts
    assert "2/2" in capsys.readouterr().err


def test_every_evidence_span_of_html_text_maps_back():
    """Spans that end a list item end on the line break the reader inserted; as ends they still map."""
    import html as _html

    from conftest import iter_evidence

    page = ("<html><body><h1>Camden news</h1><ul><li>Camden Council was rated good by the CQC</li>"
            "<li>It scored 3 for safeguarding</li><li>It scored 2 for assessing needs</li>"
            "<li>Overall score of 72%</li></ul><p>Waiting lists for assessments were too long.</p></body></html>")
    [doc] = carextract.read(page.encode())
    result = carextract.extract(doc)
    spans = list(iter_evidence(result))
    assert len(spans) >= 4
    for ev in spans:
        a, b = doc.to_original(ev.start), doc.to_original(ev.end, end=True)
        assert a is not None and b is not None, ev
        assert _html.unescape(page[a:b]) == ev.text, ev
