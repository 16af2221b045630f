"""Tallies of ratings across councils: Mention(kind='tally', value={'councils': 26, 'good': 14, ...}).

A sentence is a tally when it counts councils by rating at least twice
("one outstanding, 14 good, 11 requires improvement and none inadequate"),
or gives a total with one counted rating ("of the nine councils assessed, six
were rated good"). Ratings the text does not count stay None; "none" gives 0.
A sentence opening "Of those" takes its total from the sentence before.
A council named in brackets after a count ("one outstanding (Camden)") is
kept in attrs['named'] so that it gets that rating as its own assessment.
"""

from __future__ import annotations

import re
from functools import cache

from ..mentions import Mention
from ..segment import Document
from ..vocab import patterns
from .base import compile_template, normalise_rating, parse_count, rating_trigger


@cache
def _compiled():
    t = patterns()["tally"]
    return (compile_template(t["total"]), compile_template(t["item"]), compile_template(t["named"]),
            compile_template(t["total_before"]), compile_template(t["of_those"]), compile_template(t["also"]),
            rating_trigger())


_HEDGED = re.compile(r"(?:\b(?:fewer|less|more)\s+than|\b(?:over|under|almost|nearly|around|about|roughly|some))\s+$",
                     re.IGNORECASE)


def _total(m) -> int | None:
    """The total of councils a match of the 'total' pattern gives (whichever of its alternatives matched)."""
    return parse_count(next((v for k, v in m.groupdict().items() if k.startswith("total") and v), None))


class TallyRecognizer:
    name = "tally"

    def __call__(self, doc: Document) -> list[Mention]:
        total_rx, item_rx, named_rx, total_before_rx, of_those_rx, also_rx, trigger = _compiled()
        text = doc.text
        out = []
        previous = -2  # the sentence of the last tally
        for si in doc.sentences_with(trigger):  # no rating word: no tally
            sent = doc.sentences[si]
            items = []
            total_in = None
            for m in doc.finditer(item_rx, sent.start, sent.end):
                n = parse_count(m.group("count") or m.group("count2") or m.group("count3"))
                if n is None or _HEDGED.search(text, max(sent.start, m.start() - 14), m.start()):
                    continue  # "fewer than 10 councils have been rated outstanding" counts nothing exactly
                if m.group("total_in"):  # "Two of the three councils were rated good"
                    total_in = parse_count(m.group("total_in"))
                named = named_rx.match(text, m.end(), sent.end)
                names = None
                if named:
                    names = named.span("names") if named.group("names") else named.span("names2")
                items.append((m, normalise_rating(m.group("rating") or m.group("rating2") or m.group("rating3")),
                              n, names))
                also = also_rx.match(text, m.end(), sent.end)  # "none was rated outstanding or inadequate"
                if also:
                    items.append((m, normalise_rating(also.group("rating")), n, None))
            if not items:
                continue
            if all(n == 0 for _, _, n, _ in items) and out and previous == si - 1:
                # "Ten were rated good and five requires improvement. None was judged outstanding, and none
                # inadequate.": the zeros complete the tally of the sentence before
                for _, rating, _, _ in items:
                    if out[-1].value[rating] is None:
                        out[-1].value[rating] = 0
                continue
            total = total_rx.search(text, sent.start, sent.end)
            total_n = total_in
            if total and total_n is None:
                total_n = _total(total)
            elif si > 0 and items[0][0].start() - sent.start <= 4 and not total:
                # "All 15 councils in the region have now been assessed. Ten were rated good, ...": a sentence
                # that opens with its counts takes the total of the sentence before
                prev = doc.sentences[si - 1]
                before = total_rx.search(text, prev.start, prev.end)
                if before:
                    total_n = _total(before)
            those = of_those_rx.match(text, sent.start, sent.end) if total_n is None else None
            if those and those.group("n"):  # "Of those 11, two were rated outstanding"
                total_n = parse_count(those.group("n"))
            elif those and si > 0:
                # "... brings the number of boroughs rated to 24. Of those, two ..."
                prev = doc.sentences[si - 1]
                before = total_before_rx.search(text, prev.start, prev.end)
                if before:
                    total_n = _total(before)
            ratings = {r for _, r, _, _ in items}
            if len(ratings) < 2 and total_n is None:
                continue
            if total_n is not None and any(n > total_n for _, _, n, _ in items):
                continue
            value: dict[str, int | None] = {"councils": total_n, "outstanding": None, "good": None,
                                            "requires_improvement": None, "inadequate": None}
            for _, rating, n, _ in items:
                if value[rating] is None:
                    value[rating] = n
            start = min([items[0][0].start()] + ([total.start()] if total else []))
            end = max(items[-1][0].end(), total.end() if total else 0)
            named = [(r, span) for _, r, _, span in items if span]
            out.append(Mention("tally", start, end, value, "tally:counts",
                               attrs={"named": named, "items": [(m.start(), m.end()) for m, _, _, _ in items]}))
            previous = si
        return out
