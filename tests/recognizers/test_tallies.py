"""TallyRecognizer: counts of ratings across councils ("none inadequate" is a count of 0, not a rating), and every
record of data/rules/tallies.json held to its examples and counter-examples, alone and through the pipeline."""

import json

import pytest

import carextract
from carextract.errors import RuleError
from carextract.recognizers import tallies as tallies_module
from carextract.recognizers.tallies import TallyRecognizer
from carextract.segment import segment
from carextract.vocab import load_json

recognize = TallyRecognizer()
KEYS = {"councils", "outstanding", "good", "requires_improvement", "inadequate"}
RECORDS = load_json("rules/tallies.json")["rules"]
EXAMPLES = [(r["id"], text, expected) for r in RECORDS for text, expected in r["examples"]]
COUNTER = [(r["id"], text) for r in RECORDS for text in r["counter_examples"]]


def tallies(text):
    return [m.value for m in recognize(segment(text))]


@pytest.mark.parametrize("rule", RECORDS, ids=[r["id"] for r in RECORDS])
def test_every_record_has_examples_and_counter_examples(rule):
    assert rule["examples"] and rule["counter_examples"]


@pytest.mark.parametrize("rule_id,text,expected", EXAMPLES)
def test_example_alone(rule_id, text, expected):
    ms = recognize(segment(text))
    assert [m.value for m in ms] == expected
    assert any(rule_id in m.attrs["rules"] for m in ms), f"{rule_id} built none of {[m.attrs['rules'] for m in ms]}"


@pytest.mark.parametrize("rule_id,text", COUNTER)
def test_counter_example_alone(rule_id, text):
    assert tallies(text) == []


@pytest.mark.parametrize("rule_id,text,expected", EXAMPLES)
def test_example_through_the_pipeline(rule_id, text, expected):
    """Overlap resolution keeps every tally, and each tally's evidence spans its own words."""
    result = carextract.extract(text)
    assert [t.model_dump(include=KEYS) for t in result.tallies] == expected
    for t in result.tallies:
        assert all(text[ev.start:ev.end] == ev.text and ev.rule.startswith("tally:") for ev in t.evidence)


@pytest.mark.parametrize("rule_id,text", COUNTER)
def test_counter_example_through_the_pipeline(rule_id, text):
    assert carextract.extract(text).tallies == []


def test_councils_sharing_a_rating_keep_it():
    """A tally over named councils does not swallow their own ratings."""
    text = ("Three local authorities were assessed by inspectors. Hertfordshire County Council, London Borough of "
            "Hounslow and West Berkshire Council all received a rating of 'Good'.")
    result = carextract.extract(text)
    assert [t.model_dump(include=KEYS) for t in result.tallies] == [
        {"councils": 3, "outstanding": None, "good": 3, "requires_improvement": None, "inadequate": None}]
    assert sorted((a.council.short_name, a.rating.value) for a in result.assessments) == [
        ("Hertfordshire", "good"), ("Hounslow", "good"), ("West Berkshire", "good")]


def test_councils_named_after_a_dash_take_the_counted_rating():
    text = ("The regulator has now published 120 reports on councils' adult social care. Most have been rated good. "
            "But the four councils rated inadequate - Blackpool, Birmingham, Sandwell and Thurrock - have much in "
            "common.")
    result = carextract.extract(text)
    assert [(t.councils, t.inadequate) for t in result.tallies] == [(120, 4)]
    assert {a.rating.value for a in result.assessments} == {"inadequate"} and len(result.assessments) == 4


def test_single_count_takes_no_set_across_a_blank_line():
    text = "The regulator has now published 120 reports.\n\nThe four councils rated inadequate are getting help."
    assert tallies(text) == []


def test_a_ratio_is_not_a_count():
    assert tallies("Of the 120 councils assessed, one in 20 has been judged outstanding.") == []


def test_counts_along_the_scale_with_no_stated_total_sum_to_it():
    text = "Across the councils in our network, the results so far are 6 good and 3 requires improvement."
    assert [t["councils"] for t in tallies(text)] == [9]


def test_counts_that_skip_a_rating_leave_the_total_unknown():
    text = "Nationally, 5 councils are rated outstanding, 41 require improvement and 3 are inadequate."
    assert [t["councils"] for t in tallies(text)] == [None]


def test_an_implied_total_is_named_in_the_evidence():
    import carextract
    text = "Across the councils in our network, the results so far are 6 good and 3 requires improvement."
    [tally] = carextract.extract(text).tallies
    assert tally.councils == 9 and tally.evidence[0].rule.endswith("+implied_total")
    assert [r.id for r in carextract.explain(tally.evidence[0])][-1] == "tally:implied_total"


@pytest.mark.parametrize("record, message", [
    ({"id": "nofamily", "kind": "total", "pattern": ["(?P<n>{NUM})"], "examples": [["x", []]],
      "counter_examples": ["y"]}, "id starting 'tally:'"),
    ({"id": "tally:x", "kind": "guess", "pattern": ["(?P<n>{NUM})"], "examples": [["x", []]],
      "counter_examples": ["y"]}, "kind"),
    ({"id": "tally:x", "kind": "total", "pattern": ["(?P<m>{NUM})"], "examples": [["x", []]],
      "counter_examples": ["y"]}, "lacks group"),
    ({"id": "tally:x", "kind": "total", "pattern": ["(?P<n>{NUM}"], "examples": [["x", []]],
      "counter_examples": ["y"]}, "does not compile"),
    ({"id": "tally:x", "kind": "total", "pattern": ["(?P<n>{NUM})"], "examples": [],
      "counter_examples": ["y"]}, "examples"),
    ({"id": "tally:x", "kind": "total", "pattern": ["(?P<n>{NUM})"], "examples": [["x", [{"good": 1}]]],
      "counter_examples": ["y"]}, "keys"),
    ({"id": "tally:x", "kind": "total", "pattern": ["(?P<n>{NUM})"], "examples": [["x", []]],
      "counter_examples": []}, "counter_examples"),
    ({"id": "tally:x", "kind": "total", "then": ["named"], "pattern": ["(?P<n>{NUM})"], "examples": [["x", []]],
      "counter_examples": ["y"]}, "then"),
    ({"id": "tally:x", "kind": "item", "then": ["elsewhere"], "pattern": ["(?P<n>{NUM}) {R}"],
      "examples": [["x", []]], "counter_examples": ["y"]}, "then"),
])
def test_malformed_records_are_refused_on_load(monkeypatch, record, message):
    monkeypatch.setattr(tallies_module, "load_json", lambda name: {"rules": [record]})
    tallies_module.rules.cache_clear()
    try:
        with pytest.raises(RuleError, match=message):
            tallies_module.rules()
    finally:
        tallies_module.rules.cache_clear()


def test_rule_searches_grow_linearly_with_the_text(monkeypatch):
    """The recognizer's work per sentence is bounded: counted rule searches, not time."""
    calls = {"n": 0}
    real = tallies_module._total

    def counting(*args):
        calls["n"] += 1
        return real(*args)

    monkeypatch.setattr(tallies_module, "_total", counting)
    para = ("The regulator has published 120 reports. Most have been rated good. Of the three assessed, two were "
            "rated good and one requires improvement. The four councils rated inadequate - Blackpool and "
            "Thurrock among them - have much in common. Each was rated good.\n\n")
    per = []
    for k in (5, 50):
        calls["n"] = 0
        recognize(segment(para * k))
        per.append(calls["n"] / k)
    assert per[0] == per[1]


@pytest.mark.cases("tallies.json", "positive")
def test_positive(case):
    assert tallies(case["text"]) == case["tallies"]


@pytest.mark.cases("tallies.json", "negative")
def test_negative(case):
    assert tallies(case["text"]) == case["tallies"]


@pytest.mark.parametrize("word, n", [("none", 0), ("no", 0), ("zero", 0), ("one", 1), ("a single", 1),
                                     ("eleven", 11), ("twenty", 20), ("7", 7), ("123", 123)])
def test_count_words(word, n):
    [value] = tallies(f"Of the 200 councils assessed, {word} were rated inadequate and 3 good.")
    assert value["inadequate"] == n


def test_value_has_every_rating_key():
    for value in tallies("Of the 26 councils, 14 were rated good and 12 requires improvement."):
        assert set(value) == KEYS


def test_named_council_in_brackets_is_recorded():
    text = "So far one outstanding (Camden), 14 good and 11 requires improvement."
    [m] = recognize(segment(text))
    [(rating, (s, e))] = m.attrs["named"]
    assert rating == "outstanding" and text[s:e] == "Camden"


def test_one_tally_per_sentence_and_spans_inside_it():
    text = ("Of the 26 councils, 14 were rated good and 12 requires improvement. "
            "Of the 10 councils in the region, 6 were rated good and 4 outstanding.")
    ms = recognize(segment(text))
    assert len(ms) == 2
    for m in ms:
        assert "." not in text[m.start:m.end - 1]


def test_compound_number_words():
    from carextract.recognizers.base import parse_count

    assert parse_count("Twenty-four") == 24
    assert parse_count("thirty one") == 31
    assert parse_count("twenty") == 20
    assert parse_count("four-twenty") is None


@pytest.mark.parametrize("text, councils", [
    ("The CQC has today published its assessments of four local authorities. Three were rated good and one "
     "requires improvement.", 4),
    ("Three more south London boroughs have had their assessments published. Of the three, two were rated good "
     "and one requires improvement.", 3),
])
def test_a_set_stated_just_before_the_counts_is_their_total_when_they_add_up(text, councils):
    tallies = carextract.extract(text).tallies
    assert [t.councils for t in tallies] == [councils]


def test_a_tally_in_a_text_about_ofsted_is_refused():
    text = ("OFSTED INSPECTIONS OF LOCAL AUTHORITY CHILDREN'S SERVICES - NORTH EAST\n\n"
            "Two of the eleven authorities are judged outstanding overall and two require improvement. "
            "None is inadequate.\n")
    assert carextract.extract(text).tallies == []


def test_counts_of_services_rated_are_no_tally_of_councils():
    text = ("In the latest round of inspections, the regulator revealed that of the 65 adult social care services "
            "rated in the South of England region, 10 were rated 'inadequate', 28 'require improvement', and 27 'good'.\n\n"
            "In the past week, the CQC has also published a further 48 reports on the quality of care provided by adult "
            "social care services across the Central region. It revealed that 25 were rated as good, 19 rated requires "
            "improvement and four inadequate.\n")
    assert carextract.extract(text).tallies == []


def test_a_count_reads_the_councils_it_names_and_a_second_rating_where_its_record_says_then():
    """tally:counts lists 'named' and 'also': "one outstanding (Camden)" keeps Camden, "none ... outstanding or
    inadequate" counts both."""
    [m] = recognize(segment("Of the 12 councils, one was rated outstanding (Camden) and 11 good."))
    assert m.attrs["named"] and m.value["outstanding"] == 1
    [m] = recognize(segment("Of the nine councils assessed, nine were rated good and none outstanding or inadequate."))
    assert (m.value["good"], m.value["outstanding"], m.value["inadequate"]) == (9, 0, 0)


def test_of_those_takes_the_first_size_before_that_its_counts_fit_in():
    text = ("The four reports bring the number of councils whose adult social care has been rated by the CQC to 64. "
            "Of those, two have been rated outstanding, 44 good, 16 requires improvement and two inadequate.")
    assert [t["councils"] for t in tallies(text)] == [64]


def test_councils_named_all_with_one_rating_count_against_a_set_stated_before():
    text = ("The CQC has given 'good' ratings to three councils in its first reports. "
            "Rochdale Council, Oldham Council and Wigan Council were all assessed as 'good'.")
    assert tallies(text) == [{"councils": 3, "outstanding": None, "good": 3, "requires_improvement": None,
                              "inadequate": None}]
