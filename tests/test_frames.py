import csv
import datetime as dt
import sys

import pytest

import carextract
from carextract.errors import InputTypeError, MissingDependencyError
from carextract.frames import COLUMNS, TABLES, iter_documents, to_frames, to_rows, write_csv_tables
from carextract.results import (
    Comparator, Council, CouncilAssessment, DocumentExtraction, ErrorInfo, Evidence, Finding, MetricComparison,
    Polarity, Rating, SourceInfo, Tally, Visit,
)

TEXT = ("Barnet Council was rated good with an overall score of 70. It scored 3 for safeguarding. "
        "At home 91 days after discharge: 92.96% against 83.7% in England. Reablement was strong. "
        "Visits ran from 3 to 5 June 2024. Camden Council was rated outstanding. "
        "Across England waiting times remain long, 61% of people waited. "
        "Of 60 councils, 5 were rated outstanding.")


def ev(phrase, rule, field=None, text=TEXT):
    start = text.index(phrase)
    return Evidence(start=start, end=start + len(phrase), text=phrase, rule=rule, field=field)


def council(code, name, short):
    return Council(code=code, name=name, short_name=short, as_written=f"{short} Council", region="London",
                   council_type="london_borough")


def make_doc(source=None):
    barnet = CouncilAssessment(
        council=council("E09000003", "London Borough of Barnet", "Barnet"),
        rating=Rating.GOOD, score=70, quality_statements={"safeguarding": 3},
        quality_statement_counts={"3": 7, "2": 2},
        visit=Visit(start=dt.date(2024, 6, 3), end=dt.date(2024, 6, 5),
                    evidence=[ev("from 3 to 5 June 2024", "visit:date_range", "visit")]),
        metrics=[MetricComparison(metric="home_91_days_after_discharge", label="At home 91 days after discharge",
                                  value=92.96, comparator=Comparator.ENGLAND, comparator_value=83.7,
                                  direction="better", evidence=[ev("92.96% against 83.7% in England", "metric:vs")])],
        findings=[Finding(polarity=Polarity.STRENGTH, theme="reablement",
                          quality_statement="supporting_healthier_lives", confidence=0.9, evidence=[ev("Reablement was strong.", "finding:model")])],
        evidence=[ev("Barnet Council", "council:name", "council"), ev("rated good", "rating:rated_as", "rating"),
                  ev("overall score of 70", "score:score_of", "score"),
                  ev("3 for safeguarding", "statement_score:a_for", "quality_statements.safeguarding")],
    )
    camden = CouncilAssessment(
        council=council("E09000007", "London Borough of Camden", "Camden"), rating=Rating.OUTSTANDING,
        evidence=[ev("Camden Council", "council:name", "council"),
                  ev("rated outstanding.", "rating:rated_as", "rating")])
    return DocumentExtraction(
        assessments=[barnet, camden],
        metrics=[MetricComparison(metric="other", label="people waited", value=61.0, approximate=True,
                                  evidence=[ev("61% of people waited", "metric:bare")])],
        tallies=[Tally(councils=60, outstanding=5, evidence=[ev("Of 60 councils, 5 were rated outstanding",
                                                                  "tally:counts", "tally")])],
        sector=[Finding(polarity=Polarity.IMPROVEMENT, theme="waiting_times", quality_statement="assessing_needs",
                        confidence=0.7, evidence=[ev("waiting times remain long", "finding:model")])],
        source=source, text_length=len(TEXT))


def test_tables_one_row_per_fact_with_columns():
    frames = to_frames(make_doc())
    assert set(frames) == set(TABLES)
    for name, df in frames.items():
        assert list(df.columns) == [c for c, _ in COLUMNS[name]]
    assert len(frames["assessments"]) == 2
    assert len(frames["quality_statements"]) == 1
    assert len(frames["metrics"]) == 2
    assert len(frames["findings"]) == 2
    assert len(frames["tallies"]) == 1
    assert set(frames["assessments"]["doc_id"]) == {"doc-0"}


def test_assessments_values_and_evidence():
    import pandas as pd

    df = to_frames(make_doc())["assessments"].set_index("council_code")
    b = df.loc["E09000003"]
    assert (b.council_name, b.rating, b.score) == ("London Borough of Barnet", "good", 70)
    assert b.visit_from.date() == dt.date(2024, 6, 3) and b.visit_to.date() == dt.date(2024, 6, 5)
    assert (b.qs_count_4, b.qs_count_3, b.qs_count_2, b.qs_count_1) == (0, 7, 2, 0)
    assert TEXT[b.rating_start:b.rating_end] == "rated good" and b.rating_rule == "rating:rated_as"
    assert TEXT[b.score_start:b.score_end] == "overall score of 70"
    assert TEXT[b.council_start:b.council_end] == "Barnet Council"
    assert TEXT[b.visit_start:b.visit_end] == "from 3 to 5 June 2024"
    c = df.loc["E09000007"]
    assert c.rating == "outstanding"
    assert pd.isna(c.score)
    assert str(df["score"].dtype) == "Int64"


def test_fact_tables_values_and_evidence():
    import pandas as pd

    frames = to_frames(make_doc())
    qs = frames["quality_statements"].iloc[0]
    assert (qs.council_code, qs.statement, qs.theme, qs.score) == ("E09000003", "safeguarding", "ensuring_safety", 3)
    assert TEXT[qs.start:qs.end] == qs.evidence == "3 for safeguarding"

    metrics = frames["metrics"]
    m = metrics[metrics.metric == "home_91_days_after_discharge"].iloc[0]
    assert (m.council_code, m.value, m.comparator, m.comparator_value, m.direction) == (
        "E09000003", 92.96, "england", 83.7, "better")
    assert TEXT[m.start:m.end] == "92.96% against 83.7% in England" and m.rule == "metric:vs"
    loose = metrics[metrics.metric == "other"].iloc[0]
    assert pd.isna(loose.council_code) and bool(loose.approximate) is True

    findings = frames["findings"].set_index("theme")
    assert findings.loc["reablement", "polarity"] == "strength"
    assert findings.loc["reablement", "council_name"] == "London Borough of Barnet"
    assert pd.isna(findings.loc["waiting_times", "council_code"])
    assert findings.loc["waiting_times", "evidence"] == "waiting times remain long"

    t = frames["tallies"].iloc[0]
    assert (t.councils, t.outstanding) == (60, 5) and t.good is pd.NA
    assert TEXT[t.start:t.end] == "Of 60 councils, 5 were rated outstanding"


def test_document_ids():
    a = make_doc(SourceInfo(path="reports/barnet.txt"))
    b = make_doc(SourceInfo(index=7))
    c = make_doc()
    assert [i for i, _ in iter_documents([a, b, c])] == ["reports/barnet.txt", "doc-7", "doc-2"]
    assert [i for i, _ in iter_documents({"x": a, "y": c})] == ["x", "y"]
    assert [i for i, _ in iter_documents(a)] == ["reports/barnet.txt"]
    frames = to_frames((d for d in [a, c]))  # any iterable, consumed once
    assert list(frames["tallies"]["doc_id"]) == ["reports/barnet.txt", "doc-1"]


def test_failed_and_empty_documents():
    failed = DocumentExtraction(error=ErrorInfo(type="ReadError", message="broken"))
    frames = to_frames([failed, DocumentExtraction()])
    assert all(len(df) == 0 for df in frames.values())
    assert list(frames["metrics"].columns) == [c for c, _ in COLUMNS["metrics"]]
    assert all(len(df) == 0 for df in to_frames([]).values())


def test_bad_input():
    with pytest.raises(InputTypeError):
        to_rows("Barnet Council was rated good")
    with pytest.raises(InputTypeError):
        to_rows([make_doc(), {"not": "an extraction"}])


def test_missing_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'carextract\[pandas\]'"):
        to_frames(make_doc())


def test_write_csv_tables_without_pandas(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    paths = write_csv_tables({"d1": make_doc()}, tmp_path / "out")
    assert set(paths) == set(TABLES)
    for name, path in paths.items():
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == [c for c, _ in COLUMNS[name]]
    with paths["assessments"].open(newline="", encoding="utf-8") as fh:
        recs = {r["council_code"]: r for r in csv.DictReader(fh)}
    b = recs["E09000003"]
    assert (b["doc_id"], b["rating"], b["score"], b["visit_from"]) == ("d1", "good", "70", "2024-06-03")
    assert recs["E09000007"]["score"] == ""
    with paths["metrics"].open(newline="", encoding="utf-8") as fh:
        m = next(r for r in csv.DictReader(fh) if r["metric"] != "other")
    assert (m["value"], m["comparator"], m["start"]) == ("92.96", "england", str(TEXT.index("92.96%")))


def test_csv_matches_frames(tmp_path):
    import pandas as pd

    doc = make_doc()
    frames = to_frames(doc)
    paths = write_csv_tables(doc, tmp_path)
    back = pd.read_csv(paths["quality_statements"])
    assert back.to_dict("records") == frames["quality_statements"].astype(object).to_dict("records")


def test_with_real_extraction():
    text = ("Barnet Council has been rated good by the CQC. Barnet received an overall score of 70%. "
            "Barnet scored 3 out of 4 for safeguarding. Inspectors visited Barnet between 3 and 5 June 2024.")
    frames = to_frames(carextract.extract(text))
    a = frames["assessments"].iloc[0]
    assert (a.council_code, a.rating, a.score) == ("E09000003", "good", 70)
    qs = frames["quality_statements"].iloc[0]
    assert (qs.statement, qs.score) == ("safeguarding", 3)
    assert text[qs.start:qs.end] == qs.evidence
