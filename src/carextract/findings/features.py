"""Clauses and their features, shared by training and extraction so both see the same units.

A sentence is split into clauses at contrast words (finding_cues.json
`contrast`) that follow a comma or semicolon, and at semicolons, so that
"Reablement was a strength; however, carers waited too long" gives two
units. Features: lower-cased word unigrams and bigrams, counts of the
strength and improvement cues, a negation marker on the next word, and one
marker per theme whose keywords occur (finding_cues.json `themes`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from ..segment import Document
from ..vocab import load_json

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)
_NEGATORS = {"not", "no", "never", "without", "nor", "lack", "lacked", "didn't", "wasn't", "weren't", "hadn't"}
_MIN_CLAUSE = 25  # characters; shorter pieces stay with their neighbour


@cache
def _cues():
    d = load_json("finding_cues.json")

    def rx(words):
        alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(alts) + r")", re.IGNORECASE)

    contrast = "|".join(sorted((re.escape(w) for w in d["contrast"]), key=len, reverse=True))
    split = re.compile(r"(?:[;:]\s+|,\s+|\s+[–—-]\s+)(?=(?:" + contrast + r")\b)|;\s+", re.IGNORECASE)
    theme_rx = [(t, rx(words)) for t, words in sorted(d["themes"].items())]
    return rx(d["strength"]), rx(d["improvement"]), split, theme_rx


def clauses(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of every clause of every sentence, in order."""
    split = _cues()[2]
    text = doc.text
    out: list[tuple[int, int]] = []
    for s in doc.sentences:
        cuts = [m.start() for m in split.finditer(text, s.start, s.end)]
        start = s.start
        for c in cuts:
            if c - start >= _MIN_CLAUSE and s.end - c >= _MIN_CLAUSE:
                out.append(_strip(text, start, c))
                start = c
        out.append(_strip(text, start, s.end))
    return [c for c in out if c[1] > c[0]]


_PIECE_SPLIT = re.compile(r",\s+|\s+[–—]\s+|\s+and\s+(?=(?:its|their|the|a|an|in|it|there|staff|people|carers)\b)")
_MIN_PIECE = 30


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma- or dash-separated pieces of a clause, each at least 30 characters; none if the clause is one piece."""
    cuts = [start] + [m.end() for m in _PIECE_SPLIT.finditer(text, start, end)] + [end]
    out, s = [], start
    for c in cuts[1:]:
        if c - s >= _MIN_PIECE and end - c >= _MIN_PIECE or c == end:
            if c == end and out and c - s < _MIN_PIECE:
                out[-1] = (out[-1][0], end)
            else:
                out.append((s, c))
            s = c
    return [_strip(text, a, b) for a, b in out] if len(out) > 1 else []


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:–—-•*"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokens(clause: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(clause)]


class _Index:
    """Start positions of matches in a document, to count those inside a span by bisection."""

    __slots__ = ("starts", "ends")

    def __init__(self, matches):
        self.starts, self.ends = [], []
        for m in matches:
            self.starts.append(m.start())
            self.ends.append(m.end())

    def inside(self, start: int, end: int) -> range:
        i = bisect_left(self.starts, start)
        j = bisect_left(self.starts, end)
        while j > i and self.ends[j - 1] > end:
            j -= 1
        return range(i, j)


def clause_features(text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    """The features of each span of `text` (sorted names); each cue list scans the whole text once.

    Training and extraction both call this, so both see exactly the same features.
    """
    pos, neg, _, theme_rx = _cues()
    pos_i, neg_i = _Index(pos.finditer(text)), _Index(neg.finditer(text))
    theme_i = [(t, _Index(rx.finditer(text))) for t, rx in theme_rx]
    out = []
    for start, end in spans:
        w = [t.lower().replace("’", "'") for t in _TOKEN.findall(text, start, end)]
        feats = set(w)
        feats.update(f"{a} {b}" for a, b in zip(w, w[1:]))
        for i, t in enumerate(w[:-1]):
            if t in _NEGATORS:
                feats.add(f"NOT_{w[i + 1]}")
        n_pos, n_neg = len(pos_i.inside(start, end)), len(neg_i.inside(start, end))
        feats.update(f"__pos{k}" for k in range(1, min(n_pos, 3) + 1))
        feats.update(f"__neg{k}" for k in range(1, min(n_neg, 3) + 1))
        feats.update(f"__kw_{t}" for t, idx in theme_i if idx.inside(start, end))
        if n_pos > n_neg:
            feats.add("__pos_gt_neg")
        elif n_neg > n_pos:
            feats.add("__neg_gt_pos")
        out.append(sorted(feats))
    return out


def features(clause: str) -> list[str]:
    """The feature names of one clause on its own (sorted)."""
    return clause_features(clause, [(0, len(clause))])[0]
