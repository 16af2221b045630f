"""mentions.py: Mention and resolve_overlaps, the one place where overlapping mentions compete.

Documented precedence: a tally defeats an overlapping rating or score; a
statement score defeats an overlapping overall score; other kinds never
compete; between two mentions of the same kind, the longer (then the earlier)
wins.
"""

import pytest
from hypothesis import given, settings, strategies as st

from carextract.mentions import DEFEATS, Kind, Mention, resolve_overlaps
from carextract.recognizers.ratings import RatingRecognizer
from carextract.segment import segment


def M(kind, start, end, value=None, rule=None, confidence=1.0, **attrs):
    return Mention(kind, start, end, value, rule or f"{kind}:test", confidence=confidence, attrs=attrs)


def kinds(ms):
    return sorted((m.kind, m.start, m.end) for m in ms)


def test_kinds_are_an_enum_that_equals_its_label():
    # a custom recognizer may pass the plain label; the pipeline compares with Kind members
    assert Kind("rating") is Kind.RATING and Kind.RATING == "rating" and str(Kind.STATEMENT_SCORE) == "statement_score"
    assert Mention("rating", 0, 4, "good", "rating:test").kind == Kind.RATING
    assert {k.value for k in Kind} >= {"council", "council_ref", "rating", "score", "statement_score",
                                       "statement_count", "tally", "visit", "metric", "finding", "layout_claim"}
    assert all(isinstance(k, Kind) for k in DEFEATS) and all(isinstance(v, Kind) for vs in DEFEATS.values() for v in vs)


def test_defeats_table():
    assert DEFEATS["tally"] >= {"rating", "score"}
    assert DEFEATS["statement_score"] >= {"score"}
    assert "rating" not in DEFEATS.get("score", ())  # "(good, 70)" is both
    assert "score" not in DEFEATS.get("rating", ())


@pytest.mark.parametrize("loser", ["rating", "score"])
@pytest.mark.parametrize("tally_span, loser_span", [
    ((0, 60), (10, 30)),   # tally covers it
    ((20, 30), (0, 60)),   # a shorter tally still wins
    ((0, 20), (15, 40)),   # partial overlap
])
def test_tally_defeats_rating_and_score(loser, tally_span, loser_span):
    value = "good" if loser == "rating" else 70
    out = resolve_overlaps([M("tally", *tally_span, {"good": 14}), M(loser, *loser_span, value)])
    assert [m.kind for m in out] == ["tally"]


@pytest.mark.parametrize("ss_span, score_span", [((0, 20), (5, 15)), ((5, 15), (0, 20))])
def test_statement_score_defeats_overall_score(ss_span, score_span):
    out = resolve_overlaps([M("statement_score", *ss_span, ("safeguarding", 3)), M("score", *score_span, 30)])
    assert [m.kind for m in out] == ["statement_score"]


def test_rating_and_score_share_characters():
    # "(good, 70)" is both a rating and a score
    out = resolve_overlaps([M("rating", 0, 10, "good"), M("score", 0, 10, 70)])
    assert kinds(out) == [("rating", 0, 10), ("score", 0, 10)]


def test_overlapping_statement_counts_are_all_kept_for_assembly_to_merge():
    out = resolve_overlaps([M("statement_count", 0, 40, {"3": 4}), M("statement_count", 0, 60, {"3": 4, "2": 5})])
    assert len(out) == 2


def test_statement_count_and_statement_score_do_not_compete():
    out = resolve_overlaps([M("statement_count", 0, 40, {"4": 2}), M("statement_score", 20, 40, ("safeguarding", 4))])
    assert len(out) == 2


@pytest.mark.parametrize("kind, value", [
    ("rating", "good"), ("score", 70), ("tally", {"good": 3}), ("statement_score", ("safeguarding", 3)),
])
def test_same_kind_same_value_longer_wins(kind, value):
    short, long_ = M(kind, 5, 10, value, "a"), M(kind, 0, 20, value, "b")
    assert resolve_overlaps([short, long_]) == [long_]
    assert resolve_overlaps([long_, short]) == [long_]


def test_same_kind_same_length_earlier_wins():
    first, second = M("rating", 0, 10, "good"), M("rating", 5, 15, "good")
    assert resolve_overlaps([second, first]) == [first]


def test_same_kind_different_value_longer_wins():
    long_, short = M("rating", 0, 30, "good"), M("rating", 11, 30, "outstanding")
    assert resolve_overlaps([short, long_]) == [long_]


def test_rank_phrase_resolves_to_one_rating():
    text = "Camden achieved the second-highest rating from the CQC."
    out = resolve_overlaps(RatingRecognizer()(segment(text)))
    assert {m.value for m in out} == {"good"}


@pytest.mark.parametrize("kind", ["council", "council_ref", "finding", "metric", "visit"])
def test_kinds_outside_the_rules_never_compete(kind):
    a, b = M(kind, 0, 20, "x"), M(kind, 5, 15, "x")
    assert len(resolve_overlaps([a, b])) == 2


def test_adjacent_mentions_do_not_overlap():
    a, b = M("tally", 0, 10, {}), M("rating", 10, 20, "good")
    assert not a.overlaps(b) and not b.overlaps(a)
    assert len(resolve_overlaps([a, b])) == 2


def test_overlaps_is_symmetric():
    a, b = M("rating", 0, 10), M("score", 9, 12)
    assert a.overlaps(b) and b.overlaps(a)


def test_result_sorted_by_position():
    ms = [M("score", 30, 40, 70), M("council", 0, 6, "E09000007"), M("rating", 10, 20, "good")]
    out = resolve_overlaps(ms)
    assert [m.start for m in out] == [0, 10, 30]


def test_empty():
    assert resolve_overlaps([]) == []


def test_attrs_do_not_affect_equality():
    assert M("rating", 0, 5, "good", word=(0, 4)) == M("rating", 0, 5, "good", word=(1, 3))


# -- property: the result is a position-sorted subset with no remaining defeat or duplicate ---------

KINDS = ["tally", "rating", "score", "statement_score", "statement_count", "council", "finding"]
_mention = st.builds(
    lambda kind, start, length, value, conf: M(kind, start, start + length,
                                               (f"s{value}", 3) if kind == "statement_score" else value,
                                               f"{kind}:r{value}", confidence=conf),
    st.sampled_from(KINDS), st.integers(0, 50), st.integers(1, 20), st.integers(0, 2), st.sampled_from([1.0, 0.9]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_mention, max_size=12))
def test_resolve_overlaps_properties(ms):
    out = resolve_overlaps(ms)
    assert all(any(m is x for x in ms) for m in out)
    assert out == sorted(out, key=lambda m: (m.start, m.end, m.kind))
    for a in out:
        for b in out:
            if a is b or not a.overlaps(b):
                continue
            assert a.kind not in DEFEATS.get(b.kind, ())
            assert not _same_fact(a, b) or a.kind in ("council", "finding")
    # nothing is dropped unless an overlapping mention beats it by the rules
    for m in ms:
        if not any(m is x for x in out):
            assert any(k is not m and m.overlaps(k) and _beats(k, m) for k in ms)


def _same_fact(a, b):
    """Scores of two different statements, and counts of statements, never compete; other mentions of one
    kind do."""
    if a.kind != b.kind or a.kind == "statement_count":
        return False
    return a.kind != "statement_score" or a.value[0] == b.value[0]


def _beats(k, m):
    if m.kind in DEFEATS.get(k.kind, ()):
        return True
    surer_longer_or_earlier = (k.confidence, k.end - k.start, -k.start) >= (m.confidence, m.end - m.start, -m.start)
    return _same_fact(k, m) and surer_longer_or_earlier


@pytest.mark.xfail(reason="a rating dropped because a longer overlapping rating won is lost too when that longer "
                          "rating is then defeated by a tally that only it overlaps", strict=True)
def test_duplicate_survives_when_its_winner_is_defeated():
    short = M("rating", 0, 10, "good")
    longer = M("rating", 0, 15, "good")
    tally = M("tally", 12, 14, {"good": 14})
    assert resolve_overlaps([short, longer, tally]) == [short, tally]


def test_two_ratings_read_off_different_words_do_not_compete():
    a = M("rating", 0, 10, "good", "rating:rated_as", word=(6, 10))
    b = M("rating", 0, 40, "requires_improvement", "rating:paired", word=(20, 40))
    assert kinds(resolve_overlaps([a, b])) == [("rating", 0, 10), ("rating", 0, 40)]


@pytest.mark.parametrize("text, rating, counts", [
    ("The CQC rated Lancashire County Council “requires improvement” across all nine areas.", "requires_improvement",
     {"2": 9}),
    ("Rutland County Council was rated good in all nine areas.", "good", {"3": 9}),
])
def test_one_score_in_all_nine_statements_and_the_rating_its_words_give_both_stand(text, rating, counts):
    import carextract

    [a] = carextract.extract(text).assessments
    assert (a.rating.value, a.quality_statement_counts) == (rating, counts)


def test_a_count_of_fewer_statements_still_defeats_the_rating_word_it_is_read_from():
    import carextract

    [a] = carextract.extract("Rutland County Council was rated good in seven of the nine areas.").assessments
    assert a.rating is None and a.quality_statement_counts == {"3": 7}
