"""Dates of the on-site assessment visit: Mention(kind='visit', value=(date, date)).

"visited between 22 July and 24 July", "on-site from 17-19 June 2024". The
year comes from the match or, failing that, the nearest year written before
it (a dateline), else the first year in the text; with no year at all the
visit is not reported (LABELLING.md: a month alone is null).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import cache

from ..grammar import piece
from ..mentions import Kind, Mention
from ..rules import records_of
from ..segment import Document
from ..vocab import patterns
from .base import compile_template

_YEAR = piece("visits:year")


@cache
def _compiled():
    p = patterns()
    [record] = records_of("visits.json")  # (one rule; its id is the evidence's)
    return compile_template(record.regex), {m[:3]: i + 1 for i, m in enumerate(p["months"])}


def _year_near(years: list[tuple[int, int]], pos: int) -> int | None:
    """The last year written before `pos`, else the first after it (years: (position, year), sorted)."""
    i = bisect_right(years, (pos, 10_000)) - 1
    if i >= 0:
        return years[i][1]
    return years[0][1] if years else None


class VisitRecognizer:
    name = "visit"

    def __call__(self, doc: Document) -> list[Mention]:
        rx, months = _compiled()
        text = doc.text
        out = []
        years: list[tuple[int, int]] | None = None
        for m in doc.finditer(rx):
            m2 = months[m.group("m2")[:3].lower()]
            m1 = months[m.group("m1")[:3].lower()] if m.group("m1") else m2
            year = m.group("y2") or m.group("y1")
            if not year and years is None:
                years = [(y.start(), int(y.group(1))) for y in _YEAR.finditer(text)]
            y2 = int(year) if year else _year_near(years, m.start())
            if y2 is None:
                continue
            y1 = int(m.group("y1")) if m.group("y1") else (y2 - 1 if m1 > m2 else y2)
            try:
                start = dt.date(y1, m1, int(m.group("d1")))
                end = dt.date(y2, m2, int(m.group("d2")))
            except ValueError:
                continue
            if end < start or (end - start).days > 31:
                continue
            out.append(Mention(Kind.VISIT, m.start("d1"), m.end(), (start, end), "visit:date_range"))
        return out
