"""Hostile input: every str returns a result in time linear in its length.

Each recognizer's patterns are fed the nastiest repetition of their own prefixes (a sentence of 100,000
characters that is nothing but "rated good", "(good, 70)", "83.7 per cent", ...), and the time is bounded as a
ratio to a plain text of the same length. A quadratic path shows as a ratio in the hundreds.
"""

import time
from pathlib import Path

import pytest

import carextract

N = 100_000
ROOT = Path(__file__).resolve().parents[1]

NASTY = {
    "percent_signs": "%" * N,
    "no_spaces": "a" * N,
    "digits": "1" * N,
    "open_brackets": "(" * N,
    "rated_good": "rated good ",
    "council_names": "Barnet ",
    "statement_lines": "Safeguarding - 3\n",
    "tally_prefix": "Of the 26 councils, one good, ",
    "heading_rating": "(good, 70)\n",
    "per_cent": "83.7 per cent ",
    "benchmark_prefix": "the England average of ",
    "curly_quotes": "“" * N,
    "newlines": "\n" * N,
    "full_stops": ". ",
    "score_prefix": "a score of ",
    "visit_prefix": "visited 1 - ",
    "shouting": "REQUIRES IMPROVEMENT ",
    "nuls": "\x00" * N,
    "lone_surrogates": "\ud800" * N,
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
}


def _plain() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "texts").glob("*.txt"))]
    return ("\n\n".join(texts) * 10)[:N]


@pytest.fixture(scope="module")
def baseline(extractor):
    plain = _plain()
    extractor.extract(plain)
    t0 = time.perf_counter()
    extractor.extract(plain)
    return time.perf_counter() - t0


@pytest.mark.parametrize("name", sorted(NASTY))
def test_time_is_linear(extractor, baseline, name):
    unit = NASTY[name]
    text = (unit * (N // len(unit) + 1))[:N]
    t0 = time.perf_counter()
    result = extractor.extract(text)
    elapsed = time.perf_counter() - t0
    assert result.error is None
    # measured worst case about 5x; a quadratic path gives hundreds
    assert elapsed <= 25 * baseline + 0.5, f"{name}: {elapsed:.2f}s against {baseline:.2f}s for plain text"
    # and a quarter of the text takes about a quarter of the time
    quarter = text[: N // 4]
    t0 = time.perf_counter()
    extractor.extract(quarter)
    assert elapsed <= 8 * (time.perf_counter() - t0) + 0.2, f"{name}: not linear"


def test_doubling_the_text_doubles_the_time(extractor):
    small = _plain()[: N // 4]
    big = (small * 8)
    extractor.extract(small)
    t0 = time.perf_counter()
    extractor.extract(small)
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    extractor.extract(big)
    t_big = time.perf_counter() - t0
    assert t_big <= 8 * t_small * 2 + 0.5


def test_a_billion_laughs_feed_is_refused_at_once():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
                       for i in range(1, 10))
            + b']><rss><channel><item><title>&lol9;</title></item></channel></rss>')
    t0 = time.perf_counter()
    with pytest.raises(carextract.ReadError):
        carextract.read(bomb)
    assert time.perf_counter() - t0 < 2
