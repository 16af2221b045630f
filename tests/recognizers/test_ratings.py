"""RatingRecognizer: outcome constructions only, never bare rating words; ratings of other things dropped."""

import pytest

import carextract

from carextract.mentions import resolve_overlaps
from carextract.recognizers.ratings import RatingRecognizer
from carextract.recognizers.tallies import TallyRecognizer
from carextract.rules import records_of
from conftest import rule_cases, rules_behind
from carextract.segment import segment
from carextract.vocab import RATINGS

recognize = RatingRecognizer()


def ratings(text):
    return {m.value for m in recognize(segment(text))}


@pytest.mark.cases("ratings.json", "positive")
def test_positive(case):
    assert ratings(case["text"]) == set(case["ratings"])


@pytest.mark.cases("ratings.json", "negative")
def test_negative(case):
    assert ratings(case["text"]) == set(case["ratings"])


def test_mention_shape():
    text = "In May, Camden Council was rated good by the CQC."
    ms = recognize(segment(text))
    assert ms
    for m in ms:
        assert m.kind == "rating" and m.value in RATINGS
        assert m.rule.startswith("rating:")
        assert 0 <= m.start < m.end <= len(text)
    word = [m.attrs["word"] for m in ms if "word" in m.attrs]
    assert word and all(text[s:e] == "good" for s, e in word)


RECORDS = records_of("ratings.json")
(EXAMPLES, EXAMPLE_IDS), (COUNTER, COUNTER_IDS) = rule_cases("ratings.json")


@pytest.mark.parametrize("rule_id,text,value", EXAMPLES, ids=EXAMPLE_IDS)
def test_rule_example_through_the_pipeline(rule_id, text, value):
    """Each record's example gives its rating, with evidence naming the record, through the whole pipeline."""
    got = [(a.rating.value if a.rating else None, rules_behind(a)) for a in carextract.extract(text).assessments]
    assert any(v == value and rule_id in rules for v, rules in got), got


@pytest.mark.parametrize("rule_id,text", COUNTER, ids=COUNTER_IDS)
def test_rule_counter_example_through_the_pipeline(rule_id, text):
    assert not any(rule_id in rules_behind(a) for a in carextract.extract(text).assessments)


def test_every_rating_record_has_a_pattern_and_the_layout_rules_are_marked():
    assert RECORDS and all(r.kind == "rating" and r.regex for r in RECORDS)
    assert all(r.value in RATINGS for r in RECORDS if r.value is not None)  # rank phrases say what they mean
    assert {r.id for r in RECORDS if r.value} == {f"rating:rank:{v}" for v in RATINGS}
    assert {r.id for r in RECORDS if r.layout} >= {"rating:label_line", "rating:heading_dash", "rating:heading_paren"}


def test_label_and_heading_rules_mark_their_ratings_as_layout():
    label = [m for m in recognize(segment("Overall rating: Good\n")) if m.rule == "rating:label_line"]
    assert label and all(m.layout for m in label)
    prose = recognize(segment("In May, Camden Council was rated good by the CQC."))
    assert prose and not any(m.layout for m in prose)


@pytest.mark.parametrize("text", [
    "Of the 26 councils assessed, 14 were rated good, 11 requires improvement and none inadequate.",
    "So far one council has been rated outstanding, 14 good and two inadequate.",
    "Outstanding: 2, Good: 30, Requires improvement: 10, Inadequate: 1",
])
def test_tally_sentences_yield_no_rating_after_overlap_resolution(text):
    doc = segment(text)
    kept = resolve_overlaps(recognize(doc) + TallyRecognizer()(doc))
    assert [m.kind for m in kept] == ["tally"]


@pytest.mark.parametrize("text", [
    "Hertfordshire County Council received the highest rating of 4 for partnership and communities.",
    "All three were assessed as good, the second top rating behind outstanding.",
])
def test_a_rank_or_a_comparison_of_the_scale_is_no_outstanding_rating(text):
    assert "outstanding" not in {m.value for m in recognize(segment(text))}


def test_a_dash_aside_does_not_lend_its_near_miss_words_to_the_rating_after_it():
    import carextract

    text = ("Gloucestershire County Council scored 61% - two points below the 63% needed to be rated good - and has "
            "been told it \"requires improvement\".")
    [a] = carextract.extract(text).assessments
    assert (a.rating.value, a.score) == ("requires_improvement", 61)


@pytest.mark.parametrize("text, value", [
    ("Twelve months ago, Hull City Council was told its adult social care services required improvement.",
     "requires_improvement"),
])
def test_told_its_services_required_improvement(text, value):
    assert value in {m.value for m in recognize(segment(text))}


def test_an_ambition_to_be_rated_good_is_no_rating():
    assert not recognize(segment("The CQC will come back, and when it does we want to be rated good."))


@pytest.mark.parametrize("text", [
    "78% of Medway's registered care services were rated good or outstanding.",
])
def test_a_share_of_things_rated_is_no_rating(text):
    assert not recognize(segment(text))


def test_the_previous_month_is_no_previous_rating():
    text = "The report had been published the previous month with an overall rating of Requires Improvement."
    assert {m.value for m in recognize(segment(text))} == {"requires_improvement"}


def test_on_track_for_a_good_rating_is_no_rating():
    assert not recognize(segment("The adult social care department has been told it is on track for a good rating."))
