"""results.py: the typed result models and their carextract-gold/1 record form."""

import datetime as dt
import json
from pathlib import Path

import pydantic
import pytest

from carextract.results import (
    SCHEMA, Comparator, Council, CouncilAssessment, DocumentExtraction, Evidence, Finding, MetricComparison,
    Polarity, Rating, Tally, Visit,
)

CAMDEN = Council(code="E09000007", name="London Borough of Camden", short_name="Camden", as_written="Camden Council")


def ev(start=0, end=5, text="abcde", rule="x:y", field=None):
    return Evidence(start=start, end=end, text=text, rule=rule, field=field)


def finding(theme, polarity, start=0, end=10):
    return Finding(polarity=Polarity(polarity), theme=theme, quality_statement="assessing_needs", confidence=0.9,
                   evidence=[ev(start, end, "x" * (end - start), "finding:test", "finding")])


def metric(**kw):
    base = dict(metric="direct_payments", label="direct payments", value=31.2, comparator=Comparator.ENGLAND,
                comparator_value=26.7)
    base.update(kw)
    return MetricComparison(**base)


def test_enum_values_match_labelling_vocabularies():
    assert [r.value for r in Rating] == ["outstanding", "good", "requires_improvement", "inadequate"]
    assert {p.value for p in Polarity} == {"strength", "improvement"}
    assert {c.value for c in Comparator} == {"england", "london", "regional", "comparator_group", "other"}


def test_models_forbid_unknown_fields():
    with pytest.raises(pydantic.ValidationError):
        Evidence(start=0, end=1, text="a", rule="r", colour="red")
    with pytest.raises(pydantic.ValidationError):
        CouncilAssessment(council=CAMDEN, stars=5)


def test_finding_confidence_bounds():
    with pytest.raises(pydantic.ValidationError):
        Finding(polarity=Polarity.STRENGTH, theme="prevention", quality_statement="x", confidence=1.5)


def test_strengths_and_improvements_are_sorted_sets():
    a = CouncilAssessment(council=CAMDEN, findings=[
        finding("workforce", "improvement"), finding("prevention", "strength"), finding("equity", "strength"),
        finding("prevention", "strength", 20, 30), finding("prevention", "improvement")])
    assert a.strengths == ["equity", "prevention"]
    assert a.improvements == ["prevention", "workforce"]


def test_evidence_for():
    a = CouncilAssessment(council=CAMDEN, evidence=[ev(field="council"), ev(field="rating"), ev(field="rating")])
    assert len(a.evidence_for("rating")) == 2 and len(a.evidence_for("score")) == 0


def test_assessment_lookup_is_case_insensitive():
    r = DocumentExtraction(assessments=[CouncilAssessment(council=CAMDEN)])
    for key in ("E09000007", "e09000007", "camden", "LONDON BOROUGH OF CAMDEN"):
        assert r.assessment(key) is r.assessments[0]
    assert r.assessment("Barnet") is None


def test_ok_reflects_error():
    from carextract.results import ErrorInfo

    assert DocumentExtraction().ok
    assert not DocumentExtraction(error=ErrorInfo(type="ReadError", message="bad")).ok


def full_result() -> DocumentExtraction:
    a = CouncilAssessment(
        council=CAMDEN, rating=Rating.GOOD, score=72, quality_statements={"safeguarding": 3},
        quality_statement_counts={"3": 7, "2": 2},
        visit=Visit(start=dt.date(2024, 7, 22), end=dt.date(2024, 7, 24)),
        metrics=[metric(), metric(approximate=True, value=50.0), metric(comparator=None, comparator_value=None),
                 metric(comparator_value=None)],
        findings=[finding("waiting_times", "improvement", 50, 60), finding("partnerships", "strength", 10, 20)])
    return DocumentExtraction(
        assessments=[a], tallies=[Tally(councils=26, good=14, inadequate=0)],
        sector=[finding("workforce", "improvement", 80, 90), finding("prevention", "strength", 5, 15)])


def test_to_record():
    rec = full_result().to_record(id="doc")
    assert rec["schema"] == SCHEMA and rec["id"] == "doc"
    [a] = rec["assessments"]
    assert a == {
        "council": "E09000007", "rating": "good", "score": 72, "quality_statements": {"safeguarding": 3},
        "quality_statement_counts": {"3": 7, "2": 2}, "visit": {"start": "2024-07-22", "end": "2024-07-24"},
        # approximate figures and comparisons without a comparator or benchmark are not recorded
        "metrics": [{"metric": "direct_payments", "value": 31.2, "comparator": "england", "comparator_value": 26.7}],
        "strengths": ["partnerships"], "improvements": ["waiting_times"],
    }
    assert rec["sector"] == {"strengths": ["prevention"], "improvements": ["workforce"]}
    assert rec["tallies"] == [{"councils": 26, "outstanding": None, "good": 14, "requires_improvement": None,
                               "inadequate": 0}]
    assert [(s["start"], s["council"]) for s in rec["finding_spans"]] == [
        (5, None), (10, "E09000007"), (50, "E09000007"), (80, None)]
    json.dumps(rec)


@pytest.mark.parametrize("visit, expected", [
    (None, None),
    (Visit(), None),
    (Visit(start=dt.date(2024, 7, 22)), {"start": "2024-07-22", "end": None}),
])
def test_visit_record(visit, expected):
    rec = DocumentExtraction(assessments=[CouncilAssessment(council=CAMDEN, visit=visit)]).to_record()
    assert rec["assessments"][0]["visit"] == expected


def test_empty_counts_become_null():
    rec = DocumentExtraction(assessments=[CouncilAssessment(council=CAMDEN, quality_statement_counts={})]).to_record()
    assert rec["assessments"][0]["quality_statement_counts"] is None


def test_json_round_trip():
    r = full_result()
    again = DocumentExtraction.model_validate_json(r.model_dump_json())
    assert again == r
    assert again.to_record() == r.to_record()


def test_json_schema_lists_the_top_level_fields():
    schema = DocumentExtraction.model_json_schema()
    assert {"assessments", "metrics", "tallies", "sector", "warnings", "error"} <= set(schema["properties"])


def test_built_equals_model_construct_and_validates():
    import pickle

    from carextract.results import Evidence, Finding, Polarity

    ev = dict(start=3, end=9, text="abcdef", rule="finding:model:clause:equity", field="finding")
    assert Evidence.built(**ev) == Evidence.model_construct(**ev)
    f = Finding.built(polarity=Polarity.STRENGTH, theme="equity", quality_statement="equity_in_experience",
                      confidence=0.5, evidence=[Evidence.built(**ev)])
    assert f.model_dump() == Finding.model_validate(f.model_dump()).model_dump()
    assert pickle.loads(pickle.dumps(f)) == f
    assert f.model_fields_set == set(Finding.model_fields)
    partial = Evidence.built(start=1, end=2, text="x", rule="r")  # a field left out: model_construct's defaults
    assert partial.field is None


# -- short views, JSON paths, the kept text -----------------------------------------------------------

SAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "sample_news.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample():
    import carextract

    return carextract.extract(SAMPLE)


def test_repr_and_str_are_short_and_useful(sample):
    r, s = repr(sample), str(sample)
    assert len(r) < 200 and r.startswith("DocumentExtraction(") and "E08000033" in r and "good" in r
    assert len(s) < 800 and "Calderdale (E08000033): good, score 69%" in s and "safeguarding 3" in s
    assert "metrics" in s and "findings" in s
    # a model dump is many thousands of characters: these are not it
    assert len(repr(sample.model_dump())) > 10 * len(r)


def test_notebook_view_is_a_compact_summary(sample):
    html = sample._repr_html_()
    assert len(html) < 2000
    for needle in ("Calderdale", "E08000033", "good", "69%", "safeguarding: 3", "metrics", "findings", "warnings"):
        assert needle in html
    broken = DocumentExtraction(error={"type": "ReadError", "message": "<bad> file"})
    assert "&lt;bad&gt;" in broken._repr_html_() and "no council assessed" in broken._repr_html_()
    assert "error" in repr(broken) and "ReadError" in str(broken)


def test_json_paths(sample):
    with pytest.raises(TypeError):  # what users try first: dates and enums are not JSON
        json.dumps(DocumentExtraction(assessments=[CouncilAssessment(
            council=CAMDEN, visit=Visit(start=dt.date(2024, 6, 3)))]).model_dump())
    assert json.loads(json.dumps(sample.to_record(id="x")))["schema"] == SCHEMA
    assert json.loads(json.dumps(sample.model_dump(mode="json"))) == json.loads(sample.model_dump_json())
    assert "json.dumps" in DocumentExtraction.to_record.__doc__ and "mode=\"json\"" in DocumentExtraction.to_record.__doc__


def test_kept_text_is_a_reference_left_out_of_dumps_pickles_and_equality(sample):
    import pickle

    assert sample.text is not None and sample.text == SAMPLE
    assert "text" not in sample.model_dump() and SAMPLE[:40] not in sample.model_dump_json()
    blob = pickle.dumps(sample)
    assert SAMPLE[:40].encode() not in blob  # the text never travels with a pickled result
    back = pickle.loads(blob)
    assert back.text is None and back == sample
    assert DocumentExtraction.model_validate_json(sample.model_dump_json()) == sample
    copy = back.model_copy()
    assert copy.drop_text() is copy and copy.text is None


def test_warnings_carry_evidence():
    from carextract.results import ExtractionWarning

    w = ExtractionWarning(code="x", message="y")
    assert w.evidence == []
    assert "evidence" in ExtractionWarning.model_fields


# -- the record format's own description (docs/RECORD_FORMAT.md) ----------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "RECORD_FORMAT.md"


def test_record_format_doc_names_every_key_and_vocabulary(sample):
    from carextract.vocab import metrics, statements, themes

    doc = DOC.read_text(encoding="utf-8")
    record = sample.to_record(id="x")
    keys = set(record) | set(record["assessments"][0]) | {"text", "text_file", "source", "councils"}
    keys |= {k for t in (record["finding_spans"] or [{}]) for k in t}
    for key in keys:
        assert f"`{key}`" in doc, key
    vocab = ([r.value for r in Rating] + [c.value for c in Comparator] + [p.value for p in Polarity]
             + list(statements()) + list(themes()) + list(metrics()))
    for value in vocab:
        assert f"`{value}`" in doc, value
    assert SCHEMA in doc


def test_record_format_doc_example_is_a_record_evaluate_reads(tmp_path):
    import re

    from carextract.evaluation import load_records

    [example] = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    (tmp_path / "example.json").write_text(example, encoding="utf-8")
    [(record, text)] = load_records(tmp_path)
    assert record["schema"] == SCHEMA and text.startswith("Eastshire")


def test_record_format_doc_is_written_in_our_own_words(shared):
    """No sentence of ../shared/LABELLING.md (the labelling guide the corpus follows) is copied here."""
    import re

    guide = shared("LABELLING.md")

    def runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9']+", text.lower())
        return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}

    tables = re.compile(r"^\|.*$", re.M)  # vocabulary tables carry ids and names, which are facts
    shared = runs(tables.sub("", guide.read_text(encoding="utf-8")))
    ours = runs(tables.sub("", DOC.read_text(encoding="utf-8")))
    assert not shared & ours, sorted(shared & ours)[:5]
