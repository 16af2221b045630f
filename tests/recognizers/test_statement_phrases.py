"""StatementPhraseRecognizer: every rule record's examples and counter-examples, alone and through the pipeline."""

import pytest

import carextract
from carextract.recognizers.statement_phrases import StatementPhraseRecognizer
from carextract.segment import segment
from carextract.vocab import load_json

RECORDS = load_json("rules/statement_phrases.json")["rules"]
KIND = {r["id"]: r["kind"] for r in RECORDS}
EXAMPLES = [(r["id"], text, expected) for r in RECORDS for text, expected in r["examples"]]
COUNTER = [(r["id"], text) for r in RECORDS for text in r["counter_examples"]]
LEAD = "The Care Quality Commission has published its assessment of Leeds City Council's adult social care. "
recognize = StatementPhraseRecognizer()


def found(text, rule_id=None):
    ms = recognize(segment(text))
    if rule_id is not None and ms and KIND[rule_id] != "name_alias":  # the example's rule is among those that fired
        assert any(rule_id in m.rule for m in ms)
    named = {m.value[0]: m.value[1] for m in ms if m.kind == "statement_score"}
    counts = [m.value for m in ms if m.kind == "statement_count"]
    return named, counts[0] if counts else {}


@pytest.mark.parametrize("rule", RECORDS, ids=[r["id"] for r in RECORDS])
def test_every_record_has_examples_and_counter_examples(rule):
    assert rule["examples"] and rule["counter_examples"]


@pytest.mark.parametrize("rule_id,text,expected", EXAMPLES)
def test_example_alone(rule_id, text, expected):
    assert found(text, rule_id) == (expected.get("scores", {}), expected.get("counts", {}))


@pytest.mark.parametrize("rule_id,text", COUNTER)
def test_counter_example_alone(rule_id, text):
    assert found(text) == ({}, {})


@pytest.mark.parametrize("rule_id,text,expected", EXAMPLES)
def test_example_through_the_pipeline(rule_id, text, expected):
    """Each example yields its scores and counts for the council (where a rule of the name-beside-score
    recognizer reads the same words, its evidence stands: see mentions.resolve_overlaps)."""
    a = carextract.extract(LEAD + text).assessments[0]
    for sid, score in expected.get("scores", {}).items():
        assert a.quality_statements.get(sid) == score
    if expected.get("counts"):
        assert a.quality_statement_counts == expected["counts"]


@pytest.mark.parametrize("rule_id,text", COUNTER)
def test_counter_example_through_the_pipeline(rule_id, text):
    for a in carextract.extract(LEAD + text).assessments:
        assert not any(rule_id in ev.rule for ev in a.evidence)


def test_overall_rating_beside_statement_numbers_is_not_a_statement_score():
    named, counts = found("Leeds was rated good overall, and safeguarding was scored 2.")
    assert named == {"safeguarding": 2} and counts == {}


def test_shortfalls_alone_give_no_score():
    assert found("There were shortfalls in safeguarding and in assessing needs.") == ({}, {})


def test_scale_explanation_is_not_a_count():
    assert found("Each of the nine quality statements is scored from 1 (significant shortfalls) to 4.") == ({}, {})


def test_aspiration_is_not_a_score():
    assert found("We are on the way to being good in all nine areas.") == ({}, {})


def test_an_exception_after_a_count_takes_its_statements_out():
    text = ("Medway Council was rated good by the CQC. All nine areas looked at by inspectors scored three out of "
            "four except equity in experience and outcomes, which scored two.")
    [a] = carextract.extract(text).assessments
    assert a.quality_statement_counts == {"3": 8} and a.quality_statements == {"equity_in_experience": 2}


def test_as_was_carries_a_score_to_the_next_statement():
    text = ("Warrington Borough Council was rated good by the CQC. Safeguarding was scored three, as was care "
            "provision, integration and continuity.")
    [a] = carextract.extract(text).assessments
    assert a.quality_statements == {"safeguarding": 3, "care_provision_integration": 3}


def test_a_score_across_all_nine_statements_counts_nine():
    text = ("Lancashire County Council was rated requires improvement by the CQC. The county scored two across all nine "
            "statements.")
    [a] = carextract.extract(text).assessments
    assert a.quality_statement_counts == {"2": 9}


def test_where_it_scored_after_the_names():
    text = ("Redcar and Cleveland Borough Council was rated requires improvement by the CQC. It received its lowest "
            "scores for assessing needs and for supporting people to live healthier lives, where it scored 2.")
    [a] = carextract.extract(text).assessments
    assert a.quality_statements == {"assessing_needs": 2, "supporting_healthier_lives": 2}
