"""A regex for a large set of literal phrases, factored by common prefix.

Python's `re` tries the alternatives of `a|b|c|...` one by one at every position;
factored into a trie (`(?:a(?:b|c)|d)`), a scan dispatches on each character
instead, so one pass over a text costs about the same however many phrases
there are. At a given position the longest phrase wins.
"""

from __future__ import annotations

import re


def trie_regex(phrases: list[str]) -> str:
    """A regex (without flags or boundaries) matching exactly `phrases`, longest first at each position."""
    trie: dict = {}
    for w in phrases:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def first_chars(phrases: list[str], *, ignore_case: bool = False) -> str:
    """A lookahead on the phrases' first characters, to put before a scanning pattern: Python's `re` then
    jumps from one candidate character to the next instead of trying the whole pattern at every position."""
    chars = {p[0] for p in phrases if p}
    if ignore_case:
        chars |= {c.swapcase() for c in chars}
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"
