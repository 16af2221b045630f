"""Hostile input: every str returns a result in work linear in its length.

Each recognizer's patterns are fed the nastiest repetition of their own prefixes (a text that is nothing but
"rated good", "(good, 70)", "83.7 per cent", ...), and issue 18's reproducers (a run of figures each followed
by a benchmark phrase, forty thousand "- Safeguarding" bullets, one line of statement scores or of "%").
Nothing here reads a clock (a timed assertion fails on a busy machine): the work is counted instead, two ways,
at 20,000 and at 80,000 characters:

- lines of carextract's own Python executed (a tracer that counts them), which shows a loop that walks back
  over everything before it, a window that grows with the prefix, an `any()` over all earlier figures;
- characters scanned by `str.find` / `str.rfind` on the text (the text is passed as a str subclass that
  counts them), which shows a line's bounds looked for once per name on one long line.

Four times the text may cost at most five times the work; a quadratic path costs sixteen. Seconds per MB of
each family beside ordinary text are measured by `python benchmarks/bench.py --hostile`.
"""

import os
import sys
from pathlib import Path

import pytest

import carextract

ROOT = Path(__file__).resolve().parents[1]
SMALL, BIG = 20_000, 80_000
N = 100_000

NASTY = {
    "percent_signs": "%",
    "no_spaces": "a",
    "digits": "1",
    "open_brackets": "(",
    "rated_good": "rated good ",
    "council_names": "Barnet ",
    "statement_lines": "Safeguarding - 3\n",
    "tally_prefix": "Of the 26 councils, one good, ",
    "heading_rating": "(good, 70)\n",
    "per_cent": "83.7 per cent ",
    "benchmark_prefix": "the England average of ",
    "curly_quotes": "“",
    "newlines": "\n",
    "full_stops": ". ",
    "score_prefix": "a score of ",
    "visit_prefix": "visited 1 - ",
    "shouting": "REQUIRES IMPROVEMENT ",
    "nuls": "\x00",
    "lone_surrogates": "\ud800",
    "bullets": "- ",
    "percentage_points": "0.8pp ",
    "statement_names": "assessing needs, ",
    "rated_as_far": "rated " + "x " * 40 + "as ",
    "vs": "(10% vs 25%) ",
    "finding_cues": "however, waiting lists and carers were praised; ",
    "named_benchmarks": "London (81.9%) ",
    "table_cells": "| Barnet | good | 70% |\n",
    "list_lines": "1. Camden – outstanding, 89%\n",
    "durations": "41 days against 27 days ",
    # issue 18's reproducers
    "figure_average_run": "1% average ",
    "figure_benchmark_run": "83.7% compared with the England average of ",
    "statement_bullets": "- Safeguarding\n",
    "statement_score_line": "Safeguarding – 3, ",
    "percent_line": "5% ",
    "pp_line": "0.8pp, ",
    "per_cent_line": "12 per cent and ",
    "tags_then_text": ("<b>", "x>"),  # a line of tags ending in '>' that is no tag: tried from every '<' once
    # two columns side by side with repeated right pieces (never three different ones: no block is made, and
    # every anchor line must not send the search back over all the lines before it)
    "two_columns": "The council was rated good   Inspectors spent two weeks\nwith people\n",
    # many small tables, each with codes its legend defines: a legend is looked for near its table, not in the
    # whole text once per table
    "legend_tables": "| Council | S1 | S2 | RTG |\n| --- | --- | --- | --- |\n| Barnet | 3 | 2 | G |\n\n"
                     "Key: S1 = Assessing needs; S2 = Safeguarding; RTG = overall rating.\n\n",
}


def repeat(unit: str | tuple[str, str], n: int) -> str:
    """`unit` repeated to n characters (a (unit, end) pair: the end written last)."""
    unit, end = unit if isinstance(unit, tuple) else (unit, "")
    return (unit * (n // len(unit) + 1))[:n - len(end)] + end


class Scanned(str):
    """A text that counts the characters `find` and `rfind` read in it (slices and regexes see a plain str)."""

    chars = 0

    def find(self, sub, start=None, end=None):
        found = str.find(self, sub, start, end)
        lo = 0 if start is None else start
        hi = len(self) if end is None else min(end, len(self))
        Scanned.chars += max(0, (found + len(sub) if found >= 0 else hi) - lo)
        return found

    def rfind(self, sub, start=None, end=None):
        found = str.rfind(self, sub, start, end)
        lo = 0 if start is None else start
        hi = len(self) if end is None else min(end, len(self))
        Scanned.chars += max(0, hi - (found if found >= 0 else lo))
        return found


_SRC = os.path.dirname(carextract.__file__)


def work(fn) -> tuple[int, int]:
    """(lines of carextract's Python executed, characters scanned by find/rfind on a Scanned text) by fn()."""
    lines = 0

    def local(frame, event, arg):
        nonlocal lines
        if event == "line":
            lines += 1
        return local

    def outer(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(_SRC) else None

    Scanned.chars = 0
    previous = sys.gettrace()
    sys.settrace(outer)
    try:
        fn()
    finally:
        sys.settrace(previous)
    return lines, Scanned.chars


def _linear(small: tuple[int, int], big: tuple[int, int], name: str) -> None:
    for what, s, b in zip(("lines executed", "characters scanned"), small, big):
        assert b <= 5 * s + 50_000, f"{name}: {what} {s:,} at {SMALL:,} characters but {b:,} at {BIG:,}"


@pytest.mark.parametrize("name", sorted(NASTY))
def test_work_is_linear(extractor, name):
    unit = NASTY[name]
    counted = []
    for n in (SMALL, BIG):
        text = Scanned(repeat(unit, n))
        result = None

        def run():
            nonlocal result
            result = extractor.extract(text)

        counted.append(work(run))
        assert result.error is None
        assert all(text[ev.start:ev.end] == ev.text for a in result.assessments for ev in a.evidence)
    _linear(*counted, name)


def _plain() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "texts").glob("*.txt"))]
    return ("\n\n".join(texts) * 10)[:N]


def test_eight_times_the_text_is_at_most_nine_times_the_work(extractor):
    small = _plain()[: N // 4]
    extractor.extract(small)
    a = work(lambda: extractor.extract(Scanned(small)))
    b = work(lambda: extractor.extract(Scanned(small * 8)))
    assert b[0] <= 9 * a[0] and b[1] <= 9 * a[1] + 50_000


@pytest.mark.parametrize("unit", ["1% average ", "83.7% compared with the England average of "])
def test_a_figure_pairs_within_its_reach(extractor, monkeypatch, unit):
    """Every later figure once paired with the first of the run, its comparison window spanning the whole prefix
    (and a cache kept thousands of those windows): now each pairing step and window is bounded."""
    from carextract.recognizers import metrics

    windows = []
    real = metrics.identify
    monkeypatch.setattr(metrics, "identify", lambda w: windows.append(len(w)) or real(w))
    result = extractor.extract(repeat(unit, BIG))
    assert windows and max(windows) <= metrics.REACH + 700 + 1000  # reach, context either side, fallback
    for m in result.metrics + [m for a in result.assessments for m in a.metrics]:
        value, benchmark = (next(e for e in m.evidence if e.field == f) for f in ("value", "comparator_value"))
        assert abs(benchmark.start - value.start) <= metrics.REACH


def test_a_flat_feed_on_one_line_is_linear():
    from carextract.reading.feed import parse_flat_feed

    item = "Camden rated good https://news.example.com/{0}/ Tue, 01 Oct 2024 09:05:10 +0000 "
    counted = []
    for n in (500, 2000):
        text = Scanned("".join(item.format(i) for i in range(n)) + "\nBody\n]]>\n")
        counted.append(work(lambda: parse_flat_feed(text)))
    assert counted[1][0] <= 5 * counted[0][0] + 50_000 and counted[1][1] <= 5 * counted[0][1] + 50_000


def test_a_billion_laughs_feed_is_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
                       for i in range(1, 10))
            + b']><rss><channel><item><title>&lol9;</title></item></channel></rss>')
    with pytest.raises(carextract.ReadError, match="unsafe XML"):  # at the declarations: nothing expanded
        carextract.read(bomb)
