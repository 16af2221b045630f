"""ScoreRecognizer: overall % scores (25-100) only where the number is called a score or sits with a rating."""

import pytest

import carextract
from carextract.recognizers.scores import ScoreRecognizer
from carextract.rules import records_of
from conftest import rule_cases, rules_behind
from carextract.segment import segment
from carextract.vocab import statements

recognize = ScoreRecognizer()
RECORDS = records_of("scores.json")
(EXAMPLES, EXAMPLE_IDS), (COUNTER, COUNTER_IDS) = rule_cases("scores.json")


def scores(text):
    return {m.value for m in recognize(segment(text))}


@pytest.mark.cases("scores.json", "positive")
def test_positive(case):
    assert scores(case["text"]) == set(case["scores"])


@pytest.mark.cases("scores.json", "negative")
def test_negative(case):
    assert scores(case["text"]) == set(case["scores"])


@pytest.mark.parametrize("n", [25, 38, 39, 62, 63, 87, 88, 100])
def test_range_edges_accepted(n):
    assert scores(f"The council received an overall score of {n}%.") == {n}


@pytest.mark.parametrize("n", [0, 1, 4, 9, 10, 24])
def test_below_scale_refused(n):
    assert scores(f"The council received an overall score of {n}%.") == set()


@pytest.mark.parametrize("sid", sorted(statements()))
@pytest.mark.parametrize("template", [
    "{name} \u2013 {n}", "{name}: {n}", "{name} ({n}/4)", "It scored {n} for {name}.",
    "{name} score of {n} out of 4", "a score of {n} for {name}",
])
def test_statement_scores_never_taken_as_overall(sid, template):
    name = statements()[sid]["name"]
    for n in range(1, 5):
        text = template.format(name=name, n=n)
        assert scores(text) == set(), text


def test_mention_shape():
    text = "Hounslow was given an overall score of 70% by the CQC."
    [m] = recognize(segment(text))
    assert m.kind == "score" and m.value == 70 and m.rule == "score:score_of"
    s, e = m.attrs["number"]
    assert text[s:e] == "70"
    assert text[m.start:m.end].startswith("overall score")


def test_a_possessive_percentage_is_a_score_only_among_talk_of_scores():
    text = ("The average overall score across the 26 reports is 63%. The highest was Camden's 88% – which earned "
            "it the only outstanding rating so far – and the lowest was Nottingham's 44%.")
    got = {a.council.code: a.score for a in carextract.extract(text).assessments}
    assert got == {"E09000007": 88, "E06000018": 44}
    assert not [m for m in ScoreRecognizer()(segment("Leeds's 45% was well above the England average."))
                if m.rule == "score:possessive_percent"]


def test_a_list_line_of_rating_and_score_may_run_on_into_prose():
    text = ("The top of the table\n\nCamden - outstanding, 90%. The north London borough was the first council to be "
            "rated outstanding under the new system.\n\nHillingdon - good, 81%. It was praised for timely discharge.\n")
    got = {a.council.code: (a.rating.value, a.score) for a in carextract.extract(text).assessments}
    assert got == {"E09000007": ("outstanding", 90), "E09000017": ("good", 81)}


def test_scored_the_council_a_percentage():
    [a] = carextract.extract("The CQC looked at how Dorset Council meets its duties. It scored the council 72%.").assessments
    assert a.score == 72


def test_scoring_the_city_at_a_percentage():
    text = ("Salford City Council's adult social care has been rated good by the Care Quality Commission, with "
            "inspectors scoring the city at 78 per cent.")
    [a] = carextract.extract(text).assessments
    assert a.score == 78


@pytest.mark.parametrize("rule_id,text,value", EXAMPLES, ids=EXAMPLE_IDS)
def test_rule_example_through_the_pipeline(rule_id, text, value):
    """Each record's example gives its score, with evidence naming the record, through the whole pipeline."""
    got = [(a.score, rules_behind(a)) for a in carextract.extract(text).assessments]
    assert any(v == value and rule_id in rules for v, rules in got), got


@pytest.mark.parametrize("rule_id,text", COUNTER, ids=COUNTER_IDS)
def test_rule_counter_example_through_the_pipeline(rule_id, text):
    assert not any(rule_id in rules_behind(a) for a in carextract.extract(text).assessments)


def test_every_score_record_has_a_pattern():
    assert RECORDS and all(r.kind == "score" and r.regex for r in RECORDS)


def test_scores_listed_respectively_go_to_the_councils_in_order():
    text = ("The CQC published three reports. Rochdale Council and Oldham Council were both rated good, with scores "
            "of 66 and 70 per cent respectively.")
    r = carextract.extract(text)
    assert [(a.council.code, a.score) for a in r.assessments] == [("E08000005", 66), ("E08000004", 70)]


def test_scores_listed_respectively_with_fewer_councils_named_go_to_no_one():
    r = carextract.extract("The CQC rated Rochdale Council good, with scores of 66 and 70 per cent respectively.")
    assert [a.score for a in r.assessments] in ([None], [])


@pytest.mark.parametrize("text, scores", [
    ("Of this week's CQC reports, Rochdale, on 61%, was told to improve. Bolton is second on 59%.",
     [("E08000005", 61), ("E08000001", 59)]),
    ("Bolton sits at the top on 71% of the CQC scores in the county. Inspectors praised its hubs. "
     "Wigan is second on 69%, followed by Bury Council on 66%.",
     [("E08000001", 71), ("E08000010", 69), ("E08000002", 66)]),
])
def test_a_league_tables_rows_take_the_score_context_of_a_score_before_them(text, scores):
    assert [(a.council.code, a.score) for a in carextract.extract(text).assessments] == scores


def test_a_league_place_far_from_any_score_is_no_score():
    text = "Bolton came second on 59% in the recycling tables. Its bins are collected weekly. The town hall opened."
    assert carextract.extract(text).assessments == []
