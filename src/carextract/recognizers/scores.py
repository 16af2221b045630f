"""Overall % scores: Mention(kind='score', value=25..100).

Patterns (patterns.json:score) accept a number only where it is called a
score or sits with a rating: "a score of 89", "scored 78%", "(good, 70)",
"good (70%)", "78% overall". Statement scores (1-4) never match: the value
must be 25-100 and may not be followed by "/4" or "out of 4".
"""

from __future__ import annotations

import re
from functools import cache

from ..grammar import piece, scanner
from ..mentions import Kind, Mention
from ..rules import records_of
from ..segment import Document
from ..trie import scanning
from ..vocab import patterns
from .base import CaselessSearch, compile_template, scan, sentences_matching, windows_around

# every score pattern holds a number 25-100 ({SC}) and reaches at most this far before and after it
_NUMBER = scanning(r"(?<!\d)(?:100|[2-9]\d)(?!\d)")
_BEFORE, _AFTER = 150, 80


@cache
def _compiled():
    p = patterns()
    records = records_of("scores.json")
    rules = [(r.id.split(":", 1)[1], compile_template(r.regex, multiline=r.multiline)) for r in records]
    return (rules, CaselessSearch(p["score_negative_before"]), scanning(p["score_trigger"], re.IGNORECASE),
            re.compile(p["score_negative_after"], re.IGNORECASE), {r.id.split(":", 1)[1] for r in records if r.needs_context})


_SCORE_WORD = scanner("scores:score_word")


def _speaks_of_scores(doc: Document, pos: int) -> bool:
    """Whether the sentence holding `pos`, or the one before, speaks of scores."""
    i = doc.sentence_at(pos)
    return doc.has(_SCORE_WORD, i) or (i > 0 and doc.has(_SCORE_WORD, i - 1))


# the councils of a round-up listed after one "scored" or a league place: "Darlington scored 67 per cent, Hartlepool
# 69 per cent and Stockton-on-Tees 64 per cent", "followed by Calderdale on 69 per cent and East Riding on 66 per
# cent" (each item a capitalised name, then its percentage)
_GAPPED_ITEM = piece("scores:gapped_item")
_MAX_GAPPED = 12  # items read after one "scored" (a round-up names a handful)


_RESPECTIVELY = scanner("scores:respectively")
_FIGURE = piece("scores:figure")


def _respectively(doc: Document) -> list[Mention]:
    """Scores listed in the order of the councils named before them: "Dudley and Wolverhampton were both rated good,
    with scores of 67 and 69 per cent respectively", "X and Y were also rated good, on 69% and 75%." Each figure is
    a mention whose `respectively` (k, n) tells attribution to give it the k-th of the last n councils its sentence
    names before it."""
    text, out = doc.text, []
    for m in doc.finditer(_RESPECTIVELY):
        figures = list(_FIGURE.finditer(text, m.start("list"), m.end("list")))
        for k, f in enumerate(figures):
            out.append(Mention(Kind.SCORE, f.start(), f.end(), int(f.group()), "score:respectively",
                               attrs={"number": f.span(), "respectively": (k, len(figures))}))
    return out


def _gapped(text: str, scored: list[Mention], doc: Document) -> list[Mention]:
    out = []
    for m in scored:
        _, hi = doc.bounds_at(m.start)
        pos = m.end
        for _ in range(_MAX_GAPPED):
            g = _GAPPED_ITEM.match(text, pos, hi)
            if not g:
                break
            out.append(Mention(Kind.SCORE, g.start("name"), g.end(), int(g.group("score")), "score:gapped",
                               attrs={"number": g.span("score")}))
            pos = g.end()
    return out


class ScoreRecognizer:
    name = "score"

    def __call__(self, doc: Document) -> list[Mention]:
        rules, negative, trigger, negative_after, needs_context = _compiled()
        text = doc.text
        found = []  # (start, rule order, rule name, match) of every rule, the context test still to come
        spans = sentences_matching(doc, trigger, neighbours=True)
        windows = windows_around(doc, spans, _NUMBER, _BEFORE, _AFTER)
        for order, (name, rx) in enumerate(rules):
            for m in scan(rx, doc, windows):
                value = int(m.group("score"))
                if not 25 <= value <= 100:
                    continue
                if negative.search(text[max(0, m.start() - 40): m.start()]):
                    continue
                if negative_after.match(text, m.end(), min(len(text), m.end() + 60)):
                    continue  # a range ("63 to 87 per cent") or a statement's mark ("75% in governance")
                found.append((m.start(), order, name, m))
        out = []
        scored: set[int] = set()  # sentences holding a score read so far, in text order
        for start, order, name, m in sorted(found, key=lambda f: (f[0], f[1])):
            i = doc.sentence_at(start)
            if name in needs_context and not _speaks_of_scores(doc, start) and not scored & {i - 1, i - 2}:
                continue  # (a league table's rows go on from the sentence that gave a score before them)
            scored.add(i)
            out.append(Mention(Kind.SCORE, m.start(), m.end(), int(m.group("score")), f"score:{name}",
                               attrs={"number": m.span("score")}))
        rank = {f"score:{name}": k for k, (name, _) in enumerate(rules)}
        out.sort(key=lambda mention: rank[mention.rule])  # in rule order, as overlaps are resolved
        listing = [m for m in out if m.rule in ("score:scored", "score:league_place")]
        return out + _gapped(text, listing, doc) + _respectively(doc)
