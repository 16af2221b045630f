"""Recognizers that run their patterns only in windows around an anchor (ratings: rating words; scores: numbers)
must find exactly what they find when the windows are the whole sentences."""

from pathlib import Path

import pytest

from carextract.recognizers import ratings, scores
from carextract.segment import segment

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted((ROOT / "corpus" / "texts").glob("*.txt")) + sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))


def _found(recognizer, text):
    return sorted((m.start, m.end, str(m.value), m.rule) for m in recognizer(segment(text)))


@pytest.mark.parametrize("module, recognizer", [(ratings, ratings.RatingRecognizer), (scores, scores.ScoreRecognizer)])
def test_windows_lose_nothing(module, recognizer, monkeypatch):
    texts = [p.read_text(encoding="utf-8") for p in TEXTS]
    texts.append("Overall score:\n\n\n          74%\n\nRequires improvement\n      \n   61%\n")
    windowed = [_found(recognizer(), t) for t in texts]
    monkeypatch.setattr(module, "_BEFORE", 10**9)
    monkeypatch.setattr(module, "_AFTER", 10**9)
    whole = [_found(recognizer(), t) for t in texts]
    assert windowed == whole
    assert any(windowed)
