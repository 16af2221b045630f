"""TallyRecognizer: counts of ratings across councils ("none inadequate" is a count of 0, not a rating)."""

import pytest

from carextract.recognizers.tallies import TallyRecognizer
from carextract.segment import segment

recognize = TallyRecognizer()
KEYS = {"councils", "outstanding", "good", "requires_improvement", "inadequate"}


def tallies(text):
    return [m.value for m in recognize(segment(text))]


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
