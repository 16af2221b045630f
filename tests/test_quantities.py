"""quantities.py: percentages as people write them, approximate and hedged quantities, round-trips."""

import pytest
from hypothesis import given, settings, strategies as st

from carextract.quantities import find_quantities, parse_percent, words_to_number


def _text(case):
    return case if isinstance(case, str) else case["text"]


@pytest.mark.cases("numbers.json", "quantities")
def test_find_quantity(case):
    [q] = find_quantities(case["text"])
    expected = (case["value"], case["unit"], case["approximate"], case["hedged"])
    assert (q.value, q.unit, q.approximate, q.hedged) == expected
    assert case["text"][q.start:q.end].strip()
    assert q.end == len(case["text"])


@pytest.mark.cases("numbers.json", "quantities")
def test_parse_percent(case):
    assert parse_percent(case["text"]) == case["percent"]


@pytest.mark.cases("numbers.json", "none")
def test_no_quantity(case):
    assert find_quantities(_text(case)) == []
    assert parse_percent(_text(case)) is None


@pytest.mark.parametrize("words, n", [
    ("sixty", 60), ("sixty-five", 65), ("sixty five", 65), ("Nineteen", 19), ("one", 1), ("a hundred", 100),
    ("one hundred", 100), ("ninety-nine", 99), ("hundred and one", None), ("lots", None),
])
def test_words_to_number(words, n):
    assert words_to_number(words) == n


def test_several_quantities_in_order_with_offsets():
    text = "Some 92.9% of people, compared with 83.7 per cent in England and one in five nationally."
    qs = find_quantities(text)
    assert [q.value for q in qs] == [92.9, 83.7, 20.0]
    assert [text[q.start:q.end] for q in qs] == ["92.9%", "83.7 per cent", "one in five"]


def test_span_limits():
    text = "12% here; 34% there"
    start = text.index(";")
    assert [q.value for q in find_quantities(text, start)] == [34.0]
    assert [q.value for q in find_quantities(text, 0, start)] == [12.0]


def test_number_inside_a_word_or_decimal_is_not_a_quantity():
    assert find_quantities("grade A1.5% x") == []
    assert [q.value for q in find_quantities("rate 1.5%")] == [1.5]


# -- round-trip: every written form of a value parses back to it -------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def in_words(n: int, sep: str = "-") -> str:
    if n == 100:
        return "one hundred"
    if n < 20:
        return _UNITS[n]
    tens, units = divmod(n, 10)
    return _TENS[tens] + (f"{sep}{_UNITS[units]}" if units else "")


DIGIT_FORMS = ["{}%", "{} %", "{} per cent", "{}per cent", "{} percent", "{}percent", "{}pc", "{} pc", "{} pct"]


@st.composite
def written_values(draw):
    decimals = draw(st.integers(0, 2))
    n = draw(st.integers(0, 100 * 10 ** decimals))
    return n / 10 ** decimals, f"{n / 10 ** decimals:.{decimals}f}"


@settings(max_examples=60, deadline=None)
@given(written_values(), st.sampled_from(DIGIT_FORMS))
def test_round_trip_digits(value_and_text, form):
    value, written = value_and_text
    text = form.format(written)
    assert parse_percent(text) == value
    [q] = find_quantities(f"Some {text} of people said so.")
    assert round(q.value, 2) == round(value, 2) and q.unit == "percent" and not q.approximate


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 100), st.sampled_from(["-", " "]), st.sampled_from([" per cent", " percent", " Per Cent"]))
def test_round_trip_words(n, sep, unit):
    text = in_words(n, sep) + unit
    assert parse_percent(text) == float(n)
    assert parse_percent(text.capitalize()) == float(n)


def test_durations():
    from carextract.quantities import find_durations

    text = "The median wait was 41 days, against 27 days in the region; OT waits fell to 4 weeks (1,200 people)."
    assert [(q.value, q.unit) for q in find_durations(text)] == [(41.0, "days"), (27.0, "days"), (4.0, "weeks")]
    assert find_durations("in 2024 and 3.5% more") == []
