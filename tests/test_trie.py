"""trie.py: literal-phrase tries and patterns prepared for scanning long texts."""

import re

import pytest

from carextract.trie import _first_chars_of, first_chars, scanning, trie_regex


def test_trie_matches_exactly_its_phrases_longest_first():
    rx = re.compile(r"\b(?:" + trie_regex(["care", "carer", "carers", "cat"]) + r")\b")
    assert [m.group() for m in rx.finditer("carers care cat cart")] == ["carers", "care", "cat"]


def test_first_chars_lookahead():
    assert first_chars(["ab", "cd"]) == "(?=[ac])"
    assert set(first_chars(["a"], ignore_case=True)[4:-2]) == {"a", "A"}


@pytest.mark.parametrize("pattern, expected", [
    (r"\bfoo|bar", {"f", "b"}),
    (r"(?:a|b)?c", {"a", "b", "c"}),
    (r"(?<![‘'])\b(?P<r>Good|Bad)", {"G", "B"}),
    (r"^[ \t]*rating", {" ", "\t", "r"}),
    (r"\w+", None),          # a class: cannot be told
    (r"x*", None),           # can match empty
    (r"[^a]b", None),
    (r"\s+and", None),
])
def test_first_chars_of(pattern, expected):
    assert _first_chars_of(pattern, 0) == expected


@pytest.mark.parametrize("pattern, flags", [
    (r"\b(?:rated|judged)\s+(?P<rating>good|inadequate)\b", re.IGNORECASE),
    (r"^[ \t]*overall[ \t]*:[ \t]*(?P<rating>Good)", re.MULTILINE),
    (r"(?<![‘'\"“])\b(?P<rating>Requires Improvement|Inadequate)\b", 0),
    (r"(?i)rated (good)", 0),  # inline global flags: compiled as it is
    (r"\d+%", 0),
])
def test_scanning_finds_the_same_matches(pattern, flags):
    text = ("Overall: Good\nKent was Rated GOOD; Leeds was judged inadequate. Camden: Requires Improvement.\n"
            "  overall : Good\n'Inadequate' stays quoted, 45% of carers; rated good.") * 3
    plain = re.compile(pattern, flags)
    fast = scanning(pattern, flags)
    assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [(m.span(), m.groups()) for m in plain.finditer(text)]
    assert fast.groupindex == plain.groupindex


@pytest.mark.parametrize("pattern, expected", [
    (r"\bfoo\s+bar", {"foo"}),
    (r"(?:live|lead)\s+healthier", {"live", "lead"}),
    (r"(?=[ab])\b(?:rated|rating)\b", {"rated", "rating"}),
    (r"(?:a|\w)b", None),   # a class: no literal
    (r"x?y", {"x", "y"}),   # an optional first character: either it or what follows
    (r"['\"]?good", {"'", '"', "good"}),
    (r"[ \t]*rated\b", {" ", "\t", "rated"}),
    (r"\s*rated", None),     # a class may begin the match: nothing is known
    (r"rating\s*(?:of|is)", {"rating"}),
    (r"require(?:s|d)?\s+improvement", {"requires", "required", "require"}),
    (r"", None),
])
def test_literal_starts(pattern, expected):
    from carextract.trie import literal_starts

    assert literal_starts(pattern) == expected
