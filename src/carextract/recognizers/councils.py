"""Council names -> Mention(kind='council', value=ONS code); generic references -> kind='council_ref'.

All names and aliases of councils.csv (plus council_names.json's extras) go
into one trie-shaped regex, matched case-sensitively on word boundaries, so
the longest name at a position wins ("North Somerset" over "Somerset") and
one scan costs about the same whatever the number of names. Names that are
also ordinary words or parts of other places' names are filtered by the
context rules of council_names.json.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import NamedTuple

from ..mentions import Kind, Mention
from ..segment import Document
from ..trie import first_chars, trie_regex
from ..vocab import councils, load_json


class _OtherBody(NamedTuple):
    """What makes a council's name part of another body's name: words after it, words before it, a newspaper's."""

    after: re.Pattern[str]
    before: re.Pattern[str]
    paper: re.Pattern[str]


_FULL_NAME_ENDS = ("council", "borough", "authority")  # "Wirral Council News" is the council's own news


@cache
def _lexicon() -> tuple[re.Pattern[str], dict[str, str], dict[str, tuple[re.Pattern, re.Pattern | None]],
                       re.Pattern[str], re.Pattern[str]]:
    form_to_code: dict[str, str] = {}
    for code, c in councils().items():
        for form in c.surface_forms():
            form_to_code.setdefault(form, code)
            # "&" and "and" are written interchangeably; headlines and letterheads shout
            for variant in {form, form.replace(" and ", " & ")}:
                form_to_code.setdefault(variant, code)
                if len(variant) >= 6:
                    form_to_code.setdefault(variant.upper(), code)
    forms = sorted(form_to_code)
    pattern = re.compile(first_chars(forms) + r"(?<![\w-])(?:" + trie_regex(forms) + r")(?![\w-]|&\w)")
    rules = {}
    names = load_json("council_names.json")
    for name, rule in names["context_rules"].items():
        after = re.compile(rule["not_followed_by"]) if rule.get("not_followed_by") else None
        before = re.compile(rule["not_preceded_by"]) if rule.get("not_preceded_by") else None
        rules[name] = (after, before)
    other_body = _OtherBody(re.compile(names["not_followed_by_any"]), re.compile(names["not_preceded_by_any"]),
                            re.compile(names["newspaper_after"], re.MULTILINE))
    return pattern, form_to_code, rules, other_body, re.compile(names["descriptor_after_the"])


@cache
def _generic() -> re.Pattern[str]:
    return re.compile(load_json("council_names.json")["generic_reference"])


@cache
def _head_words() -> dict[str, str | None]:
    """First word of a several-word short name -> its council (None when two councils share it)."""
    stop = set(load_json("council_names.json")["short_head_stoplist"])
    _, form_to_code, _, _, _ = _lexicon()
    heads: dict[str, str | None] = {}
    for code, c in councils().items():
        words = c.short_name.split()
        if len(words) < 2 or words[0] in stop or len(words[0]) < 4 or not words[0][0].isupper():
            continue
        head = words[0].strip(",")
        heads[head] = None if head in heads and heads[head] != code else code
    for head in list(heads):
        if head in form_to_code and form_to_code[head] != heads[head]:
            heads[head] = None  # already another council's name
    return heads


class CouncilRecognizer:
    name = "council"

    @staticmethod
    def _heads(text: str, found: list[Mention]) -> list[Mention]:
        """'Kingston' later in a text that named 'Royal Borough of Kingston upon Thames'."""
        heads = _head_words()
        named = {m.value for m in found}
        wanted = {h: code for h, code in heads.items() if code in named}
        if not wanted:
            return []
        covered = sorted((m.start, m.end) for m in found)
        starts = [s for s, _ in covered]
        out = []
        rx = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in sorted(wanted)) + r")\b(?![\w-])")
        for m in rx.finditer(text, starts[0]):
            i = bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < covered[i][1]:  # inside a full name already found
                continue
            out.append(Mention(Kind.COUNCIL, m.start(), m.end(), wanted[m.group()], "council:short_head",
                               attrs={"as_written": m.group()}))
        return out

    def __call__(self, doc: Document) -> list[Mention]:
        pattern, form_to_code, rules, other_body, descriptor = _lexicon()
        text = doc.text
        out: list[Mention] = []
        for m in pattern.finditer(text):
            form = m.group()
            if other_body.after.match(text, m.end(), m.end() + 60) \
                    or other_body.before.search(text, max(0, m.start() - 30), m.start()) \
                    or (not form.lower().endswith(_FULL_NAME_ENDS)
                        and other_body.paper.match(text, m.end(), m.end() + 40)):
                continue  # "Manchester University NHS Trust", "the University of Manchester", "Lancashire Post"
            if text[max(0, m.start() - 4):m.start()].lower() == "the " and descriptor.match(text, m.end(), m.end() + 30):
                continue  # "the Essex authority": a description of another council
            rule = rules.get(form) or rules.get(form.title())
            if rule:
                after, before = rule
                if after and after.search(text[m.end(): m.end() + 40]):
                    continue
                if before and before.search(text[max(0, m.start() - 30): m.start()]):
                    continue
            out.append(Mention(Kind.COUNCIL, m.start(), m.end(), form_to_code[form],
                               "council:name", attrs={"as_written": form}))
        out += self._heads(text, out)
        for m in doc.finditer(_generic()):
            out.append(Mention(Kind.COUNCIL_REF, m.start(), m.end(), None, "council:generic_reference"))
        return out
