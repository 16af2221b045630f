import csv
import datetime as dt

import carextract
from carextract.aggregation import CouncilRow, aggregate, write_table
from carextract.results import (
    Council, CouncilAssessment, DocumentExtraction, ErrorInfo, Evidence, Rating, SourceInfo, Visit,
)

BARNET = ("E09000003", "London Borough of Barnet", "Barnet")
CAMDEN = ("E09000007", "London Borough of Camden", "Camden")


def ev(text, phrase, rule, field):
    start = text.index(phrase)
    return Evidence(start=start, end=start + len(phrase), text=phrase, rule=rule, field=field)


def assessment(who, *, rating=None, score=None, qs=None, visit=None):
    """An assessment whose evidence spans index into the sentence `assessment_text` builds."""
    code, name, short = who
    text = assessment_text(who, rating=rating, score=score, qs=qs, visit=visit)
    evidence = [ev(text, f"{short} Council", "council:name", "council")]
    if rating:
        evidence.append(ev(text, f"rated {rating}", "rating:rated_as", "rating"))
    if score is not None:
        evidence.append(ev(text, f"score of {score}", "score:score_of", "score"))
    for sid, v in (qs or {}).items():
        evidence.append(ev(text, f"{v} for {sid}", "statement_score:a_for", f"quality_statements.{sid}"))
    v = None
    if visit:
        v = Visit(start=visit[0], end=visit[1], evidence=[ev(text, f"visited {visit[0]}", "visit:x", "visit")])
    return CouncilAssessment(
        council=Council(code=code, name=name, short_name=short, as_written=f"{short} Council", region="London"),
        rating=Rating(rating) if rating else None, score=score, quality_statements=qs or {}, visit=v,
        evidence=evidence)


def assessment_text(who, *, rating=None, score=None, qs=None, visit=None):
    parts = [f"{who[2]} Council"]
    if rating:
        parts.append(f"rated {rating}")
    if score is not None:
        parts.append(f"score of {score}")
    parts += [f"{v} for {sid}" for sid, v in (qs or {}).items()]
    if visit:
        parts.append(f"visited {visit[0]}")
    return ", ".join(parts) + "."


def doc(*assessments, source=None):
    return DocumentExtraction(assessments=list(assessments), source=source)


def test_agreeing_documents_one_row_with_sources():
    rows = aggregate({
        "a": doc(assessment(BARNET, rating="good", score=70, qs={"safeguarding": 3})),
        "b": doc(assessment(BARNET, rating="good", score=70, qs={"safeguarding": 3}),
                 assessment(CAMDEN, rating="outstanding")),
    })
    assert [r.code for r in rows] == ["E09000003", "E09000007"]
    barnet, camden = rows
    assert isinstance(barnet, CouncilRow)
    assert (barnet.name, barnet.short_name, barnet.region) == ("London Borough of Barnet", "Barnet", "London")
    assert (barnet.rating, barnet.score, barnet.quality_statements) == (Rating.GOOD, 70, {"safeguarding": 3})
    assert barnet.rating_values == [Rating.GOOD] and barnet.score_values == [70]
    assert barnet.conflicts == [] and barnet.documents == ["a", "b"]
    score_sources = [s for s in barnet.sources if s.field == "score"]
    assert [(s.document, s.value) for s in score_sources] == [("a", 70), ("b", 70)]
    assert [e.text for e in score_sources[0].evidence] == ["score of 70"]
    qs = next(s for s in barnet.sources if s.field == "quality_statements.safeguarding")
    assert qs.value == 3 and qs.evidence[0].rule == "statement_score:a_for"
    assert (camden.rating, camden.score, camden.documents) == (Rating.OUTSTANDING, None, ["b"])


def test_majority_wins_but_conflict_is_named():
    rows = aggregate([doc(assessment(BARNET, score=70)), doc(assessment(BARNET, score=69)),
                      doc(assessment(BARNET, score=70))])
    (barnet,) = rows
    assert barnet.score == 70
    assert barnet.score_values == [70, 69]
    assert barnet.conflicts == ["score"]
    assert [(s.document, s.value) for s in barnet.sources if s.field == "score"] == [
        ("doc-0", 70), ("doc-1", 69), ("doc-2", 70)]


def test_tie_gives_none_and_keeps_all_values():
    (barnet,) = aggregate([doc(assessment(BARNET, rating="good", score=70, qs={"safeguarding": 3})),
                           doc(assessment(BARNET, rating="requires_improvement", score=70, qs={"safeguarding": 2}))])
    assert barnet.rating is None
    assert barnet.rating_values == [Rating.GOOD, Rating.REQUIRES_IMPROVEMENT]
    assert barnet.score == 70 and barnet.score_values == [70]
    assert barnet.quality_statements == {"safeguarding": None}
    assert barnet.quality_statement_values == {"safeguarding": [3, 2]}
    assert barnet.conflicts == ["rating", "quality_statements.safeguarding"]
    ratings = {s.document: s.value for s in barnet.sources if s.field == "rating"}
    assert ratings == {"doc-0": Rating.GOOD, "doc-1": Rating.REQUIRES_IMPROVEMENT}


def test_visits():
    june = (dt.date(2024, 6, 3), dt.date(2024, 6, 5))
    july = (dt.date(2024, 7, 1), dt.date(2024, 7, 2))
    (same,) = aggregate([doc(assessment(BARNET, visit=june)), doc(assessment(BARNET, visit=june))])
    assert (same.visit_start, same.visit_end, same.conflicts) == (*june, [])
    (differ,) = aggregate([doc(assessment(BARNET, visit=june)), doc(assessment(BARNET, visit=july))])
    assert (differ.visit_start, differ.visit_end) == (None, None)
    assert differ.visit_values == [june, july] and differ.conflicts == ["visit"]
    visit_src = [s for s in differ.sources if s.field == "visit"]
    assert visit_src[1].value == july and visit_src[1].evidence[0].text == "visited 2024-07-01"


def test_document_ids_and_failed_documents():
    failed = DocumentExtraction(error=ErrorInfo(type="ReadError", message="broken"),
                                source=SourceInfo(path="bad.pdf"))
    rows = aggregate([doc(assessment(BARNET, score=70), source=SourceInfo(path="reports/barnet.txt")),
                      failed, doc(assessment(BARNET, score=70), source=SourceInfo(index=4))])
    (barnet,) = rows
    assert barnet.documents == ["reports/barnet.txt", "doc-4"]
    assert aggregate(doc(assessment(CAMDEN)))[0].documents == ["doc-0"]
    assert aggregate([]) == []


def test_write_table(tmp_path):
    rows = aggregate({"a": doc(assessment(BARNET, rating="good", score=70, qs={"safeguarding": 3},
                                          visit=(dt.date(2024, 6, 3), dt.date(2024, 6, 5)))),
                      "b": doc(assessment(BARNET, rating="inadequate", score=69, qs={"safeguarding": 3}),
                               assessment(CAMDEN, rating="outstanding"))})
    path = write_table(rows, tmp_path / "councils.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames
        recs = list(reader)
    assert header[:11] == ["code", "name", "short_name", "region", "council_type", "rating", "rating_values",
                           "score", "score_values", "visit_start", "visit_end"]
    assert header[-2:] == ["documents", "conflicts"]
    assert "qs_safeguarding" in header and "qs_assessing_needs" in header
    barnet, camden = recs
    assert barnet["code"] == "E09000003"
    assert (barnet["rating"], barnet["rating_values"]) == ("", "good;inadequate")
    assert (barnet["score"], barnet["score_values"]) == ("", "70;69")
    assert (barnet["qs_safeguarding"], barnet["qs_assessing_needs"]) == ("3", "")
    assert (barnet["visit_start"], barnet["visit_end"]) == ("2024-06-03", "2024-06-05")
    assert barnet["documents"] == "a;b" and barnet["conflicts"] == "rating;score"
    assert (camden["rating"], camden["conflicts"], camden["documents"]) == ("outstanding", "", "b")


def test_real_extractions():
    texts = {"news": "Barnet Council has been rated good by the CQC. Barnet received an overall score of 70%.",
             "blog": "Barnet Council was rated good. Barnet received an overall score of 69%."}
    results = {k: carextract.extract(t) for k, t in texts.items()}
    (barnet,) = [r for r in aggregate(results) if r.code == "E09000003"]
    assert barnet.rating == Rating.GOOD and barnet.score is None
    assert barnet.score_values == [70, 69] and barnet.conflicts == ["score"]
    for s in barnet.sources:
        for e in s.evidence:
            assert texts[s.document][e.start:e.end] == e.text
