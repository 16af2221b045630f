"""consistency.py: CQC's scoring rule, used to warn (never to correct)."""

import pytest
from hypothesis import given, settings, strategies as st

from carextract.consistency import check, rating_for_score, score_from_statements
from carextract.results import Council, CouncilAssessment, Rating
from carextract.vocab import statements

SIDS = sorted(statements())
CAMDEN = Council(code="E09000007", name="London Borough of Camden", short_name="Camden", as_written="Camden")


@pytest.mark.parametrize("score, rating", [
    (25, Rating.INADEQUATE), (38, Rating.INADEQUATE),
    (39, Rating.REQUIRES_IMPROVEMENT), (62, Rating.REQUIRES_IMPROVEMENT),
    (63, Rating.GOOD), (87, Rating.GOOD),
    (88, Rating.OUTSTANDING), (100, Rating.OUTSTANDING),
])
def test_rating_bands(score, rating):
    assert rating_for_score(score) is rating


@pytest.mark.parametrize("values, expected", [
    ([3] * 9, 75), ([4] * 9, 100), ([1] * 9, 25), ([2] * 9, 50),
    ([3] * 8 + [2], 72), ([3] * 7 + [2] * 2, 69), ([4] * 5 + [3] * 4, 89), ([2] * 5 + [1] * 4, 39),
])
def test_score_from_nine_statements(values, expected):
    assert score_from_statements(dict(zip(SIDS, values))) == expected


@pytest.mark.parametrize("n", [0, 1, 8])
def test_score_needs_all_nine(n):
    assert score_from_statements(dict(zip(SIDS[:n], [3] * n))) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=9, max_size=9))
def test_score_rule_property(values):
    score = score_from_statements(dict(zip(SIDS, values)))
    assert 25 <= score <= 100
    exact = sum(values) / 36 * 100
    assert abs(score - exact) <= 0.5


def assessment(**kw):
    return CouncilAssessment(council=CAMDEN, **kw)


def codes(a):
    return [w.code for w in check(a)]


NINE_THREES = dict.fromkeys(SIDS, 3)


@pytest.mark.parametrize("kw, expected", [
    (dict(), []),
    (dict(rating=Rating.GOOD), []),
    (dict(score=72), []),
    (dict(rating=Rating.GOOD, score=72), []),
    (dict(rating=Rating.OUTSTANDING, score=72), ["rating_mismatch"]),
    (dict(rating=Rating.GOOD, score=62), ["rating_mismatch"]),
    (dict(quality_statements=NINE_THREES), []),
    (dict(quality_statements=NINE_THREES, score=75, rating=Rating.GOOD), []),
    (dict(quality_statements=NINE_THREES, score=70, rating=Rating.GOOD), ["score_mismatch"]),
    (dict(quality_statements=NINE_THREES, rating=Rating.REQUIRES_IMPROVEMENT), ["rating_mismatch"]),
    (dict(quality_statements=NINE_THREES, score=60, rating=Rating.GOOD), ["score_mismatch", "rating_mismatch"]),
    (dict(quality_statements={"safeguarding": 1}, score=90, rating=Rating.OUTSTANDING), []),
    (dict(quality_statement_counts={"3": 7, "2": 2}), []),
    (dict(quality_statement_counts={"3": 8, "2": 2}), ["counts_exceed_nine"]),
])
def test_check(kw, expected):
    assert codes(assessment(**kw)) == expected


def test_check_never_changes_the_assessment():
    a = assessment(quality_statements=NINE_THREES, score=60, rating=Rating.OUTSTANDING)
    before = a.model_dump()
    warnings = check(a)
    assert a.model_dump() == before
    assert all(w.council == "E09000007" for w in warnings)
    assert any("75" in w.message and "60" in w.message for w in warnings)


def test_of_two_conflicting_ratings_the_one_the_score_gives_wins_with_a_warning_naming_both():
    import carextract

    text = ("Leeds City Council's adult social care was rated good by the CQC, a local paper reported. "
            "The CQC report rates Leeds City Council requires improvement, with an overall score of 58%.")
    r = carextract.extract(text)
    a = r.assessments[0]
    assert a.rating.value == "requires_improvement" and a.score == 58
    w = [w for w in r.warnings if w.code == "conflicting_ratings"]
    assert w and {e.text for e in w[0].evidence} >= {e.text for e in a.evidence_for("rating")}
    assert len(w[0].evidence) >= 2
