"""StatementScoreRecognizer / StatementCountRecognizer: quality statement scores (1-4) and counts of scores."""

import pytest

import carextract
from carextract.recognizers.statements import StatementCountRecognizer, StatementScoreRecognizer
from carextract.rules import records_of
from conftest import rule_cases, rules_behind
from carextract.segment import segment
from carextract.vocab import statements

recognize = StatementScoreRecognizer()
count = StatementCountRecognizer()


def found(text):
    doc = segment(text)
    ms = recognize(doc) + count(doc)
    named = {m.value[0]: m.value[1] for m in ms if m.kind == "statement_score"}
    counts = [m.value for m in ms if m.kind == "statement_count"]
    return named, counts


@pytest.mark.cases("statements.json", "positive")
def test_positive(case):
    assert found(case["text"]) == (case["scores"], case["counts"])


@pytest.mark.cases("statements.json", "negative")
def test_negative(case):
    assert found(case["text"]) == (case["scores"], case["counts"])


def test_nine_statements_in_vocabulary():
    assert len(statements()) == 9


@pytest.mark.parametrize("sid", sorted(statements()))
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_every_statement_name_with_score(sid, n):
    text = f"{statements()[sid]['name']} \u2013 {n}"
    assert found(text) == ({sid: n}, [])


@pytest.mark.parametrize("n", [0, 5, 9])
def test_scores_outside_one_to_four_refused(n):
    assert found(f"Safeguarding \u2013 {n}") == ({}, [])


def test_every_statement_in_one_table():
    lines = [f"{s['name']} | {i % 4 + 1}" for i, s in enumerate(statements().values())]
    named, _ = found("\n".join(lines))
    assert named == {sid: i % 4 + 1 for i, sid in enumerate(statements())}


def test_mention_spans_and_rules():
    text = "Safeguarding \u2013 3. It scored 2 for assessing needs."
    ms = [m for m in recognize(segment(text)) if m.kind == "statement_score"]
    assert {m.value for m in ms} == {("safeguarding", 3), ("assessing_needs", 2)}
    for m in ms:
        assert m.rule.startswith("statement_score:")
        s, e = m.attrs["name"]
        assert m.start <= s < e <= m.end
        assert str(m.value[1]) in text[m.start:m.end]


def test_counts_never_exceed_nine():
    text = "It scored 3 in seven statements and 2 in five statements."
    for m in StatementCountRecognizer()(segment(text)):
        assert sum(m.value.values()) <= 9


def test_count_needs_statement_context():
    assert StatementCountRecognizer()(segment("The team scored 3 in seven matches.")) == []


def test_count_mention_records_items():
    text = "The council scored 3 in seven of the nine statements and 2 in the other two."
    [m] = StatementCountRecognizer()(segment(text))
    assert m.value == {"3": 7, "2": 2}
    assert [score for _, _, score in m.attrs["items"]] == [3, 2]
    assert text[m.start:m.end].startswith("scored 3") or text[m.start:m.end].startswith("3 in")


def test_names_set_off_after_a_count_with_their_own_score_after_them():
    import carextract

    text = ("Derby City Council was rated good by the CQC. Seven of the nine quality statements had been scored 3, "
            "and two – Assessing needs and Safe systems, pathways and transitions – had been scored 2.")
    [a] = carextract.extract(text).assessments
    assert a.quality_statements == {"assessing_needs": 2, "safe_pathways": 2}
    assert a.quality_statement_counts == {"3": 7, "2": 2}


def test_those_two_were_names_the_statements_of_the_count_of_two():
    import carextract

    text = ("Bradford Council was rated requires improvement by the CQC. It scored 3 in seven of the nine statements "
            "and 1 in the other two. Those two were assessing needs and safeguarding.")
    [a] = carextract.extract(text).assessments
    assert a.quality_statements == {"assessing_needs": 1, "safeguarding": 1}


(SCORE_EXAMPLES, SCORE_IDS), (SCORE_COUNTER, SCORE_COUNTER_IDS) = rule_cases("statement_scores.json")
(COUNT_EXAMPLES, COUNT_IDS), (COUNT_COUNTER, COUNT_COUNTER_IDS) = rule_cases("statement_counts.json")


@pytest.mark.parametrize("rule_id,text,expected", SCORE_EXAMPLES + COUNT_EXAMPLES, ids=SCORE_IDS + COUNT_IDS)
def test_rule_example_through_the_pipeline(rule_id, text, expected):
    """Each record's example gives its scores or counts, with evidence naming the record, through the pipeline."""
    ok = []
    for a in carextract.extract(text).assessments:
        if "scores" in expected:
            got = {k: v for k, v in a.quality_statements.items() if k in expected["scores"]}
            ok.append(got == expected["scores"] and rule_id in rules_behind(a))
        else:
            ok.append(a.quality_statement_counts == expected["counts"] and rule_id in rules_behind(a))
    assert any(ok)


@pytest.mark.parametrize("rule_id,text", SCORE_COUNTER + COUNT_COUNTER, ids=SCORE_COUNTER_IDS + COUNT_COUNTER_IDS)
def test_rule_counter_example_through_the_pipeline(rule_id, text):
    assert not any(rule_id in rules_behind(a) for a in carextract.extract(text).assessments)


def test_every_role_of_the_statement_score_records_is_filled():
    roles = [r.role for r in records_of("statement_scores.json")]
    assert roles.count("after_name") == roles.count("score_line") == roles.count("bullet_intro") == 1
    assert set(roles) == {"after_name", "score_line", "bullet_intro", "before_name"}


def test_the_short_names_writers_use_are_read_where_full_names_are():
    """A statement named by the short form statement phrases know ("improvement and innovation", "governance")
    takes a score beside it or from a counted list, as a full name does; a full name still wins where it matches."""
    import carextract

    text = ("Merton Council scored 4 in three of the quality statements. These were partnerships and communities; "
            "safeguarding; and leadership, improvement and innovation.\n\nSupporting people to lead healthier lives\n\n"
            "We gave this quality statement a score of 2.\n")
    [a] = carextract.extract(text).assessments
    assert a.quality_statements == {"partnerships_communities": 4, "safeguarding": 4,
                                    "learning_improvement_innovation": 4, "supporting_healthier_lives": 2}
