"""Overall ratings: Mention(kind='rating', value='good'|...).

Only constructions that report an outcome count ("rated good", "a 'good'
rating", "the second-highest rating", "Overall rating: Good", "(good, 70)"),
never a bare rating word. A rating is dropped when the words before it in
its sentence say it is about something else or did not happen ("children's
services", "a care home", "close to", "hopes to"), see
patterns.json:rating_negative_before/after. Quoted or capitalised bare
ratings need an assessment cue (CQC, inspectors, rated, ...) in the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from ..grammar import piece
from ..mentions import Kind, Mention
from ..rules import records_of
from ..segment import Document
from ..vocab import patterns
from ..trie import scanning
from .base import CaselessSearch, compile_template, expand, normalise_rating, rating_trigger, scan, sentences_matching, windows_around


@cache
def _compiled():
    p = patterns()
    records = records_of("ratings.json")
    rules = [(r.id.split(":", 1)[1], compile_template(r.regex, case_sensitive=r.case_sensitive, multiline=r.multiline))
             for r in records if r.value is None]
    # rank phrases hold no rating word: the record says what they mean ("the second-highest rating")
    rank = [(r.id.split(":", 1)[1], r.value, scanning(r.regex, re.IGNORECASE)) for r in records if r.value is not None]
    neg_before = CaselessSearch(p["rating_negative_before"])  # (asked only whether it occurs, in short strings)
    neg_after = scanning(p["rating_negative_after"], re.IGNORECASE)
    cue = scanning(p["assessment_cues"], re.IGNORECASE)
    trigger = rating_trigger()
    word = scanning(expand("{R}"), re.IGNORECASE)
    needs_context = {r.id.split(":", 1)[1] for r in records if r.needs_context}
    layout = {r.id.split(":", 1)[1] for r in records if r.layout}
    return rules, rank, neg_before, neg_after, cue, needs_context, trigger, word, layout


# every rating pattern holds a rating word and reaches at most this far before and after it (the longest in the
# corpus and seeds: 79 and 26 characters)
_BEFORE, _AFTER = 250, 120


# a relative clause between the council and its rating says nothing about the rating ("East Sussex, which many had
# expected to do well, was rated requires improvement")
# asides whose words are not the rating's: ", which scored 59 per cent," and " - two points below the 63% needed
# to be rated good - " (a dash aside between spaces)
_ASIDE = piece("ratings:aside")


# three rating words in a row are the scale, not an outcome ("an overall rating of outstanding, good, requires
# improvement or inadequate")
@cache
def _scale() -> re.Pattern[str]:
    sep = r"(?:\s*(?:,|/|;)\s*(?:or\s+|and\s+)?|\s+(?:or|and|to)\s+)"
    return re.compile(expand(r"{R}[’'\"”]?" + sep + r"[‘'\"“]?{R2}[’'\"”]?" + sep + r"[‘'\"“]?{R3}"), re.IGNORECASE)


def _scale_spans(doc: Document, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [m.span() for m in doc.finditer_windows(_scale(), windows)]


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def negated(text: str, start: int, end: int, sent: tuple[int, int]) -> bool:
    """Whether the sentence around text[start:end] says the rating is not this council's adult social care outcome."""
    _, _, neg_before, neg_after, _, _, _, _, _ = _compiled()
    before = _ASIDE.sub(" ", text[max(sent[0], start - 80): start])
    after = text[end: min(sent[1], end + 60)]
    return bool(neg_before.search(before) or neg_after.search(after))


# an overall percentage beside the rating word ("was given good, with 65%") says as much as a cue does
_PERCENT = piece("ratings:percent")


_LEDE = 4  # sentences under a text's title that give it its context


def _has_context(doc: Document, cue, pos: int) -> bool:
    """An assessment cue or an overall percentage in the sentence, or a cue in the sentence before or after it
    ("Hull landed a requires improvement, scoring 59%. Assessors were concerned ..."); a title's context is the
    lede under it ("Leicester City Council's adult social care 'requires improvement'" over a story whose third
    sentence cites the report)."""
    i = doc.sentence_at(pos)
    if doc.search(cue, i) or doc.search(_PERCENT, i):
        return True
    after = _LEDE if i == 0 and doc.sentences[0].heading else 1
    return any(0 <= j < len(doc.sentences) and doc.search(cue, j) for j in (i - 1, *range(i + 1, i + 1 + after)))


class RatingRecognizer:
    name = "rating"

    def __call__(self, doc: Document) -> list[Mention]:
        rules, rank, _, _, cue, needs_context, trigger, word, layout = _compiled()
        text = doc.text
        out: list[Mention] = []
        spans = sentences_matching(doc, trigger, neighbours=True)
        windows = windows_around(doc, spans, word, _BEFORE, _AFTER)
        refused: dict[tuple[int, int], bool] = {}  # several rules match around one rating word: judge it once
        scale = _scale_spans(doc, windows)
        for name, rx in rules:
            for m in scan(rx, doc, windows):
                start, end = m.span("rating")
                if (start, end) not in refused:
                    refused[start, end] = negated(text, start, end, doc.bounds_at(start)) or _inside(scale, start)
                if refused[start, end]:  # the words before the rating word, the match's own included
                    continue
                if name in needs_context and not _has_context(doc, cue, start):
                    continue
                out.append(Mention(Kind.RATING, m.start(), m.end(), normalise_rating(m.group("rating")),
                                   f"rating:{name}", attrs={"word": (start, end)}, layout=name in layout))
        ranked = []
        for name, value, rx in rank:
            for m in (m for s, e in spans for m in doc.finditer(rx, s, e)):
                sent = doc.bounds_at(m.start())
                if negated(text, m.start(), m.end(), sent) or not doc.search(cue, doc.sentence_at(m.start())):
                    continue
                ranked.append(Mention(Kind.RATING, m.start(), m.end(), value, f"rating:{name}"))
        # "second-highest rating" holds "highest rating": only the longer phrase speaks
        out += [m for m in ranked if not any(o is not m and o.start <= m.start and m.end <= o.end
                                             and (o.end - o.start) > (m.end - m.start) for o in ranked)]
        return out
