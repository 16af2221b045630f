"""VisitRecognizer: full dates of the on-site visit; a month alone, or no year anywhere, gives nothing."""

import datetime as dt

import pytest

from carextract.recognizers.visits import VisitRecognizer
from carextract.segment import segment

recognize = VisitRecognizer()


def visit(text):
    ms = recognize(segment(text))
    return [d.isoformat() for d in ms[0].value] if ms else None


@pytest.mark.cases("visits.json", "positive")
def test_positive(case):
    assert visit(case["text"]) == case["visit"]


@pytest.mark.cases("visits.json", "negative")
def test_negative(case):
    assert visit(case["text"]) == case["visit"]


@pytest.mark.parametrize("month, number", [
    ("January", 1), ("Feb", 2), ("March", 3), ("April", 4), ("May", 5), ("June", 6), ("Jul", 7), ("August", 8),
    ("Sept", 9), ("October", 10), ("Nov", 11), ("December", 12),
])
def test_every_month(month, number):
    assert visit(f"Inspectors visited on 3 to 5 {month} 2024.") == [f"2024-{number:02d}-03", f"2024-{number:02d}-05"]


def test_mention_shape():
    text = "Inspectors visited between 22 July and 24 July 2024."
    [m] = recognize(segment(text))
    assert m.kind == "visit" and m.rule == "visit:date_range"
    assert m.value == (dt.date(2024, 7, 22), dt.date(2024, 7, 24))
    assert text[m.start:m.end] == "22 July and 24 July 2024"


def test_end_never_before_start_and_within_a_month():
    text = "Inspectors visited from 1 to 30 June 2024. Assessors were on site from 5 to 4 May 2024."
    for m in recognize(segment(text)):
        start, end = m.value
        assert start <= end and (end - start).days <= 31


def test_the_visit_record_examples_through_the_pipeline():
    import datetime

    import carextract
    from carextract.rules import records_of

    [record] = records_of("visits.json")
    for text, (first, last) in record.examples:
        visit = carextract.extract(text).assessments[0].visit
        assert (visit.start, visit.end) == (datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
        assert visit.evidence[0].rule == record.id
    for text in record.counter_examples:
        assert all(a.visit is None for a in carextract.extract(text).assessments)
