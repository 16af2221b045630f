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
from functools import cache

from ..mentions import Mention
from ..segment import Document
from ..trie import first_chars, trie_regex
from ..vocab import councils, load_json


@cache
def _lexicon() -> tuple[re.Pattern[str], dict[str, str], dict[str, tuple[re.Pattern, re.Pattern | None]]]:
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
    return pattern, form_to_code, rules, re.compile(names["not_followed_by_any"])


@cache
def _generic() -> re.Pattern[str]:
    return re.compile(load_json("council_names.json")["generic_reference"])


class CouncilRecognizer:
    name = "council"

    def __call__(self, doc: Document) -> list[Mention]:
        pattern, form_to_code, rules, other_body = _lexicon()
        text = doc.text
        out: list[Mention] = []
        for m in pattern.finditer(text):
            form = m.group()
            if other_body.match(text, m.end(), m.end() + 60):
                continue
            rule = rules.get(form) or rules.get(form.title())
            if rule:
                after, before = rule
                if after and after.search(text[m.end(): m.end() + 40]):
                    continue
                if before and before.search(text[max(0, m.start() - 30): m.start()]):
                    continue
            out.append(Mention("council", m.start(), m.end(), form_to_code[form],
                               "council:name", attrs={"as_written": form}))
        for m in _generic().finditer(text):
            out.append(Mention("council_ref", m.start(), m.end(), None, "council:generic_reference"))
        return out
