"""recognizers/base.py: the shared helpers."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from carextract.recognizers.base import CaselessSearch, _folds_plainly
from carextract.vocab import patterns

_NAMES = ("rating_negative_before", "bystander_before", "score_negative_before", "rating_negative_after")
_WORDS = ["Care Homes", "OFSTED", "hoping to", "Neighbouring", "NHS Trust", "below", "in 2019", "Previously",
          "ſend", "İf", "K", "children’s", "Council", " ", ".", ";", "\n", "was rated", "Sister", "close to"]


def test_caseless_search_answers_as_a_case_insensitive_search():
    texts = ["the council's care homes were", "Hoping to reach", "RATED", "in 2019 it was", "ſend", "İf only",
             "Neighbouring Barnet", "a few points below", "an NHS Trust in", ""]
    for name in _NAMES:
        pattern = patterns()[name]
        plain = re.compile(pattern, re.IGNORECASE)
        fast = CaselessSearch(pattern)
        for t in texts:
            assert fast.search(t) == bool(plain.search(t)), (name, t)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join))
def test_caseless_search_property(text):
    for name in _NAMES:
        pattern = patterns()[name]
        assert CaselessSearch(pattern).search(text) == bool(re.compile(pattern, re.IGNORECASE).search(text))


def test_only_patterns_whose_case_folds_plainly_take_the_lower_cased_path():
    assert _folds_plainly(r"care\s+homes?|ofsted")
    assert not _folds_plainly("NHS")  # an upper-case letter
    assert not _folds_plainly("(?i:x)")  # inline flags
    assert not _folds_plainly(r"\u017f")  # a character given by number
    assert not _folds_plainly("ſ")  # folds to 's'
    assert not _folds_plainly(r"\\D")  # an escaped backslash, then a letter
    assert CaselessSearch("NHS").search("nhs trust")
