"""CouncilRecognizer: names and aliases -> ONS codes; longest name wins; names that are also other things."""

import pytest

from carextract.recognizers.councils import CouncilRecognizer
from carextract.segment import segment
from carextract.vocab import councils

recognize = CouncilRecognizer()


def council_mentions(text):
    return [m for m in recognize(segment(text)) if m.kind == "council"]


@pytest.mark.cases("councils.json", "positive")
def test_positive(case):
    assert [m.value for m in council_mentions(case["text"])] == case["codes"]


@pytest.mark.cases("councils.json", "negative")
def test_negative(case):
    assert [m.value for m in council_mentions(case["text"])] == case["codes"]


def test_longest_name_wins_span():
    text = "North Somerset Council was assessed."
    [m] = council_mentions(text)
    assert text[m.start:m.end] == "North Somerset Council"


@pytest.mark.parametrize("text", [
    "Camden Council was assessed. Later, CAMDEN and the London Borough of Camden.",
    "Reports for Hartlepool, Middlesbrough and Redcar and Cleveland.",
])
def test_mentions_carry_name_as_written(text):
    for m in council_mentions(text):
        assert m.attrs["as_written"] == text[m.start:m.end]
        assert m.rule == "council:name"
        assert m.value in councils()


@pytest.mark.parametrize("code", sorted(councils()))
def test_every_official_name_is_recognised(code):
    entry = councils()[code]
    text = f"The report on {entry.name} was published."
    assert [m.value for m in council_mentions(text)] == [code]


def test_153_councils():
    assert len(councils()) == 153


@pytest.mark.cases("councils.json", "generic_reference", "positive")
def test_generic_reference(case):
    refs = [m for m in recognize(segment(case)) if m.kind == "council_ref"]
    assert len(refs) == 1 and refs[0].value is None


@pytest.mark.cases("councils.json", "generic_reference", "negative")
def test_not_generic_reference(case):
    assert [m for m in recognize(segment(case)) if m.kind == "council_ref"] == []


@pytest.mark.parametrize("text", [
    "One service, Real Life Options – Darlington Road, had achieved an overall rating of Excellent.",
    "Dale Care – Stockton Home Care was downgraded to Requires Improvement.",
])
def test_a_council_name_inside_an_address_or_a_providers_name_is_no_council(text):
    assert not [m for m in CouncilRecognizer()(segment(text)) if m.kind == "council"]
