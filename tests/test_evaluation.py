"""evaluation.py: LABELLING.md's scoring (tuples per field, micro P/R/F1, two-decimal numbers, floors)."""

import json

import pytest

import carextract
from carextract.errors import CorpusError, InputTypeError
from carextract.evaluation import FIELDS, EvaluationReport, FieldScore, compare, evaluate, load_records, tuples

CAMDEN, BARNET = "E09000007", "E09000003"


def record(assessments=(), sector=None, tallies=(), **extra):
    rec = {"schema": "carextract-gold/1", "assessments": list(assessments),
           "sector": sector or {"strengths": [], "improvements": []}, "tallies": list(tallies)}
    rec.update(extra)
    return rec


def assessment(council=CAMDEN, **kw):
    return {"council": council, **kw}


# -- tuples --------------------------------------------------------------------------------------

def test_tuples_per_field():
    rec = record(
        [assessment(rating="good", score=72, quality_statements={"safeguarding": 3},
                    quality_statement_counts={"3": 7, "2": 2},
                    metrics=[{"metric": "direct_payments", "value": 31.2, "comparator": "england",
                              "comparator_value": 26.7}],
                    strengths=["partnerships"], improvements=["waiting_times"])],
        sector={"strengths": ["prevention"], "improvements": ["workforce"]},
        tallies=[{"councils": 26, "outstanding": 1, "good": 14, "requires_improvement": None, "inadequate": 0}])
    t = tuples(rec, "d")
    assert set(t) == set(FIELDS)
    assert t["councils"] == {("d", CAMDEN)}
    assert t["rating"] == {("d", CAMDEN, "good")}
    assert t["score"] == {("d", CAMDEN, 72)}
    assert t["quality_statements"] == {("d", CAMDEN, "safeguarding", 3)}
    assert t["statement_counts"] == {("d", CAMDEN, "3", 7), ("d", CAMDEN, "2", 2)}
    assert t["metrics_strict"] == {("d", CAMDEN, "direct_payments", 31.2, "england", 26.7)}
    assert t["metrics_relaxed"] == {("d", CAMDEN, 31.2, 26.7)}
    assert t["findings"] == {("d", CAMDEN, "strength", "partnerships"), ("d", CAMDEN, "improvement", "waiting_times"),
                             ("d", "sector", "strength", "prevention"), ("d", "sector", "improvement", "workforce")}
    # a count the text does not give (null) is no tuple; "none inadequate" (0) is one
    assert t["tallies"] == {("d", 26, "outstanding", 1), ("d", 26, "good", 14), ("d", 26, "inadequate", 0)}


def test_doc_defaults_to_record_id():
    t = tuples(record([assessment()], id="abc"))
    assert t["councils"] == {("abc", CAMDEN)}


def test_null_and_omitted_mean_the_same():
    with_nulls = record([assessment(rating=None, score=None, quality_statements={}, quality_statement_counts=None,
                                    visit=None, metrics=[], strengths=[], improvements=[])])
    omitted = {"schema": "carextract-gold/1", "assessments": [{"council": CAMDEN}]}
    assert tuples(with_nulls, "d") == tuples(omitted, "d")


@pytest.mark.parametrize("gold, predicted, match", [
    (83.7, 83.70, True),
    (83.7, 83.699, True),
    (83.7, 83.7000001, True),
    (26.7, "26.70", True),
    (83.7, 83.71, False),
    (83.7, 83.69, False),
    (92, 92.0, True),
])
def test_numbers_match_after_two_decimal_rounding(gold, predicted, match):
    def rec(v):
        return record([assessment(metrics=[{"metric": "other", "value": v, "comparator": "england",
                                            "comparator_value": v}])])

    scores, _ = compare(rec(gold), rec(predicted), "d")
    assert (scores["metrics_strict"].tp == 1) is match
    assert (scores["metrics_relaxed"].tp == 1) is match


def test_relaxed_metrics_ignore_metric_and_comparator():
    gold = record([assessment(metrics=[{"metric": "feel_safe", "value": 70.1, "comparator": "england",
                                        "comparator_value": 69.7}])])
    pred = record([assessment(metrics=[{"metric": "other", "value": 70.1, "comparator": "regional",
                                        "comparator_value": 69.7}])])
    scores, _ = compare(gold, pred, "d")
    assert (scores["metrics_relaxed"].tp, scores["metrics_strict"].tp) == (1, 0)


def test_facts_are_per_council():
    gold = record([assessment(CAMDEN, rating="good"), assessment(BARNET, rating="inadequate")])
    pred = record([assessment(CAMDEN, rating="inadequate"), assessment(BARNET, rating="good")])
    scores, errs = compare(gold, pred, "d")
    assert scores["councils"].tp == 2
    assert (scores["rating"].tp, scores["rating"].fp, scores["rating"].fn) == (0, 2, 2)
    assert set(errs.false_positives["rating"]) == {(CAMDEN, "inadequate"), (BARNET, "good")}
    assert set(errs.false_negatives["rating"]) == {(CAMDEN, "good"), (BARNET, "inadequate")}


# -- precision, recall, F1 -------------------------------------------------------------------------

@pytest.mark.parametrize("tp, fp, fn, p, r, f1", [
    (0, 0, 0, 1.0, 1.0, 1.0),
    (1, 0, 0, 1.0, 1.0, 1.0),
    (1, 1, 0, 0.5, 1.0, 2 / 3),
    (1, 0, 1, 1.0, 0.5, 2 / 3),
    (0, 1, 0, 0.0, 0.0, 0.0),
    (0, 0, 1, 0.0, 0.0, 0.0),
    (3, 1, 2, 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
])
def test_field_score(tp, fp, fn, p, r, f1):
    s = FieldScore(tp=tp, fp=fp, fn=fn)
    assert (s.precision, s.recall) == pytest.approx((p, r))
    assert s.f1 == pytest.approx(f1)


def write_corpus(folder, pairs):
    """pairs of (gold record, text); each written as one *.json with inline text."""
    folder.mkdir(exist_ok=True)
    for i, (rec, text) in enumerate(pairs):
        (folder / f"r{i}.json").write_text(json.dumps({**rec, "id": f"r{i}", "text": text}), encoding="utf-8")
    return folder


def test_micro_average_over_records(tmp_path):
    gold_a = record([assessment(CAMDEN, rating="good")])
    gold_b = record([assessment(BARNET, rating="good")])
    corpus = write_corpus(tmp_path / "c", [(gold_a, "A"), (gold_b, "B")])
    predictions = {"A": record([assessment(CAMDEN, rating="good")]),
                   "B": record([assessment(BARNET, rating="inadequate"), assessment(CAMDEN, rating="good")])}
    report = evaluate([corpus], predict=predictions.__getitem__)
    assert report.n_records == 2
    rating = report.fields["rating"]
    assert (rating.tp, rating.fp, rating.fn) == (1, 2, 1)
    councils = report.fields["councils"]
    assert (councils.tp, councils.fp, councils.fn) == (2, 1, 0)
    assert report.fields["councils"].precision == pytest.approx(2 / 3)
    assert [e.id for e in report.errors] == ["r1"]
    assert set(report.summary()) == set(FIELDS)
    assert report.summary()["rating"]["tp"] == 1
    assert "rating" in report.table()


def test_perfect_prediction_scores_one(tmp_path):
    gold = record([assessment(rating="good", score=72, quality_statements={"safeguarding": 3},
                              strengths=["partnerships"])],
                  tallies=[{"councils": 9, "good": 6}])
    corpus = write_corpus(tmp_path / "c", [(gold, "text")])
    report = evaluate(corpus, predict=lambda text: gold)
    assert all(s.f1 == 1.0 for s in report.fields.values())
    assert report.errors == [] and report.below({f: 1.0 for f in FIELDS}) == {}


def test_evaluate_with_extractor(tmp_path, extractor):
    text = "Camden Council was rated good by the CQC, with an overall score of 72%."
    gold = record([assessment(rating="good", score=72)])
    corpus = write_corpus(tmp_path / "c", [(gold, text)])
    report = carextract.evaluate([corpus], extractor=extractor)
    for f in ("councils", "rating", "score"):
        assert report.fields[f].f1 == 1.0


# -- floors ----------------------------------------------------------------------------------------

def test_below_floors():
    report = EvaluationReport()
    report.fields["rating"] = FieldScore(tp=9, fp=1, fn=0)   # F1 ~0.947
    report.fields["score"] = FieldScore(tp=1, fp=0, fn=0)    # F1 1.0
    below = report.below({"rating": 0.95, "score": 1.0})
    assert set(below) == {"rating"}
    f1, floor = below["rating"]
    assert floor == 0.95 and f1 == pytest.approx(18 / 19)
    assert report.below({"rating": 18 / 19}) == {}  # exactly at the floor passes


def test_unknown_floor_field():
    with pytest.raises(CorpusError):
        EvaluationReport().below({"colour": 0.5})


# -- loading records -----------------------------------------------------------------------------------

def test_load_folder_json_and_jsonl(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("Text A", encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(record(id="a", text_file="texts/a.txt")), encoding="utf-8")
    lines = [json.dumps(record(id=f"j{i}", text=f"Text {i}")) for i in range(2)]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    loaded = load_records(tmp_path)
    assert [(r["id"], t) for r, t in loaded] == [("a", "Text A"), ("j0", "Text 0"), ("j1", "Text 1")]
    assert [r["id"] for r, _ in load_records(tmp_path / "b.jsonl")] == ["j0", "j1"]
    assert [r["id"] for r, _ in load_records([str(tmp_path / "a.json")])] == ["a"]


@pytest.mark.parametrize("content", [
    {"schema": "other/1", "text": "x"},
    {"text": "x"},
    {"schema": "carextract-gold/1"},
    {"schema": "carextract-gold/1", "text_file": "missing.txt"},
    ["not", "a", "record"],
])
def test_malformed_records(tmp_path, content):
    (tmp_path / "r.json").write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(CorpusError):
        load_records(tmp_path)


def test_missing_path():
    with pytest.raises(CorpusError):
        load_records("/no/such/corpus")


@pytest.mark.parametrize("bad", [42, [42], None])
def test_wrong_path_types(bad):
    with pytest.raises(InputTypeError):
        load_records(bad)


def test_invalid_json_is_a_corpus_error(tmp_path):
    (tmp_path / "r.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CorpusError):
        load_records(tmp_path)


def test_bad_vocabulary_is_a_corpus_error(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps(record([assessment(rating="excellent")], text="x")),
                                     encoding="utf-8")
    with pytest.raises(CorpusError):
        load_records(tmp_path)


def test_a_record_whose_extraction_raises_is_scored_as_nothing_and_named(tmp_path):
    """One failing record does not stop the evaluation: it counts as finding nothing and is listed."""
    good = record([assessment(rating="good")], id="ok", text="Camden Council was rated good by the CQC.")
    bad = record([assessment(rating="good")], id="broken", text="Camden Council was rated good by the CQC.")
    (tmp_path / "a.json").write_text(json.dumps(good), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(bad), encoding="utf-8")
    calls = []

    def predict(text):
        calls.append(text)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return carextract.extract(text).to_record()

    report = evaluate([str(tmp_path)], predict=predict)
    assert report.n_records == 2
    assert [d for d, _ in report.failed] == ["broken"] or [d for d, _ in report.failed] == ["ok"]
    assert "RuntimeError: boom" in report.failed[0][1]
    assert report.fields["rating"].tp == 1 and report.fields["rating"].fn == 1
