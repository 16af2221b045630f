"""CQC's own page layouts, and label lines, read off the layout's lines.

- The page's council: a title line "Blackpool Council: local authority assessment" (or "Local authority
  assessment: ...", "... – adult social care assessment") names the council the page is about; the facts of
  the page's blocks below go to it (`attrs["council"]`), where no other council is named for them.
- The summary block: a council-name line (a bullet or not), its rating alone on the next line, "Score: 68"
  under it; the same without the council line, under "Overall rating" or on a page whose title names the
  council; pilot pages' "Indicative rating" and "Indicative score".
- Quality statement blocks: a statement's name on a line of its own with "Score: 2" (or "2 - Evidence shows
  some shortfalls") on one of the next two lines, on a summary page's "Quality statement scores" list or a
  quality statement page.
- Label lines: "Overall rating: Good", "Score (%): 71", "Indicative score: 60"; a statement's name with a
  score in words after it ("Assessing needs: good standard", "Safeguarding – requires improvement").
- A numbered list of the nine areas in CQC's order ("1. ... 9."), each item ending in a score: an item that
  uses a theme's name ("Leadership (governance) – 3") maps to the statement of its number.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from ..grammar import piece, scanner
from ..layout import layout
from ..mentions import Kind, Mention
from ..segment import Document
from .councils import _lexicon
from .tables import ORDER, rating_of, statement_of_label, statement_score_of

_TITLE = piece("pages:title")
_TRIGGER = scanner("pages:trigger")


@cache
def _trigger_literals() -> frozenset[str]:
    from ..segment import _anchor_literals

    return _anchor_literals(_TRIGGER.pattern)


_LEAD_MARKS = piece("pages:lead_marks")
_COUNCIL_RATING = piece("pages:council_rating")
_LINE_SCORE = piece("pages:line_score")
_LOOSE_TITLE = piece("pages:loose_title")
_SCORE_LABEL = piece("pages:score_label")
_SCORE_LINE = piece("pages:score_line")
_STATEMENT_SCORE_LINE = piece("pages:statement_score_line")
_LABEL_VALUE = piece("pages:label_value")
_NUMBERED_LINE = piece("pages:numbered_line")  # the seventh item of a numbered list
_NUMBERED = piece("pages:numbered")
_BULLET = piece("pages:bullet")
_THEME_WORDS = piece("pages:theme_words")
_ITEM_SCORE = piece("pages:item_score")


def _councils(text: str, s: int, e: int) -> list[tuple[int, int, str]]:
    pattern, form_to_code = _lexicon()[0], _lexicon()[1]
    return [(m.start(), m.end(), form_to_code[m.group()]) for m in pattern.finditer(text, s, e)]


def _names_another(text: str, code: str) -> bool:
    """Whether the text names a council other than `code` (the scan stops at the first)."""
    pattern, form_to_code = _lexicon()[0], _lexicon()[1]
    return any(form_to_code[m.group()] != code for m in pattern.finditer(text))


# a key-value block's council line: "Council: Derby", "Local authority - Rutland"
_COUNCIL_LABEL = piece("pages:council_label")
_BLANK_LINE = piece("pages:blank_line")


def _block_councils(text: str, lines: list[tuple[int, int]]) -> list[str | None]:
    """For each line, the council its key-value block names ("Council: Derby" above "Rating: Good" and
    "Score: 64", up to the next blank line or the next council line); None outside such blocks."""
    out: list[str | None] = []
    current: str | None = None
    prev_end = 0
    for s, e in lines:
        if _BLANK_LINE.search(text, prev_end, s):
            current = None  # a blank line ends a block
        label = _COUNCIL_LABEL.match(text, s, e)
        if label:
            named = _councils(text, label.end(), e)
            current = named[0][2] if len(named) == 1 else None
        out.append(current)
        prev_end = e
    return out


# a line holding a rating word and nothing else but marks: the rating of a summary block
_RATING_ALONE = piece("pages:rating_alone")
_SENTENCE_END = piece("pages:sentence_end")
_TITLE_DASH = piece("pages:title_dash")
_NOT_A_HEADING = piece("pages:not_a_heading")  # a figure or a table's gap: not a name alone on its line
_SPEAKS_OF_RATINGS = piece("pages:speaks_of_ratings")  # a summary block's label line
_SCORE_VALUE = piece("pages:score_value")  # a score alone: "68%", "68/100"
_RATING_KEY = piece("pages:rating_key")
_SCORE_KEY = piece("pages:score_key")


class PageRecognizer:
    name = "page"

    def __call__(self, doc: Document) -> list[Mention]:
        text = doc.text
        lines = [ln for ln in layout(doc).lines if ln[0] < ln[1]]
        if not lines:
            return []
        page, strict = self._page_council(text, lines)
        block = _block_councils(text, lines)
        out: list[Mention] = []
        # only the short lines holding a word of a rating, a score or a statement are read (one scan finds them)
        starts = [s for s, _ in lines]
        wanted = sorted({bisect_right(starts, p) - 1 for p in doc.literal_positions(_trigger_literals())})
        for i in wanted:
            s, e = lines[i]
            if e - s > 110 or i < 0:
                continue
            b = _BULLET.match(text, s, e)
            body_s = b.end() if b else s
            line = text[body_s:e]
            # a rating alone on its line: the summary block
            rating = rating_of(line) if len(line) <= 40 and "|" not in line else None
            if rating and _RATING_ALONE.fullmatch(line):
                out += self._summary(text, lines, i, rating, page)
                continue
            named = self._council_line(text, body_s, e)
            if named:
                out += named
                continue
            kv = _LABEL_VALUE.match(text, body_s, e)
            if kv:
                labelled = self._label(text, kv, block[i] or page)
                out += labelled
                kv = kv if labelled else None  # ("Partnerships and communities - Newham (...)": a title, not a label)
            # a statement heading with its score on one of the next two lines
            sid = statement_of_label(line) if len(line) <= 70 and not kv else None
            if sid is None and not kv and len(line) <= 110:
                # a page title "Partnerships and communities - Newham (CQC local authority assessment)": the
                # statement before the dash
                head = _TITLE_DASH.split(line, 1)[0]
                sid = statement_of_label(head) if head != line else None
            if sid and not _SENTENCE_END.search(line) and self._is_heading(line):
                out += self._heading_score(text, lines, i, sid, page)
        out += self._numbered(text, lines, page)
        kept: dict[tuple, Mention] = {}
        for m in out:  # one mention per span and kind: a block's reading (with its council) before a label's
            key = (m.kind, m.start, m.end)
            if key not in kept or ("council" in m.attrs and "council" not in kept[key].attrs):
                kept[key] = m
        out = list(kept.values())
        if page and not strict and out and _names_another(text, page):
            for m in out:  # a title naming the council loosely speaks for the page only if no other is named
                if m.attrs.get("council") == page:
                    del m.attrs["council"]
        return out

    def _heading_score(self, text: str, lines: list[tuple[int, int]], i: int, sid: str,
                       page: str | None) -> list[Mention]:
        """The score of statement heading i on one of the next two lines ("Score: 2", "3", "Good standard",
        "Evidence shows some shortfalls"), unless another statement's heading comes first."""
        s = lines[i][0]
        for k in (i + 1, i + 2):
            if k >= len(lines):
                break
            ls, le = lines[k]
            m = _STATEMENT_SCORE_LINE.match(text, ls, le)
            if m:
                return [self._m(Kind.STATEMENT_SCORE, s, m.end(1), (sid, int(m.group(1))), "page:statement_heading", page)]
            value = statement_score_of(text[ls:le]) if le - ls <= 45 else None
            if value is not None:
                return [self._m(Kind.STATEMENT_SCORE, s, le, (sid, value), "page:statement_heading", page)]
            if statement_of_label(text[ls:le]) and len(text[ls:le]) <= 70:
                break
        return []

    def _council_line(self, text: str, s: int, e: int) -> list[Mention]:
        """'Wigan – Outstanding (88%)', 'Oldham: Requires improvement, score 55%': a line (a list item, mostly)
        opening with a council's name, its rating after a separator, and perhaps its score."""
        lead = _LEAD_MARKS.match(text, s, e)
        pattern, form_to_code = _lexicon()[0], _lexicon()[1]
        c = pattern.match(text, lead.end(), e)
        if not c:
            return []
        m = _COUNCIL_RATING.match(text, c.end(), e)
        if not m:
            return []
        code = form_to_code[c.group()]
        rating = rating_of(m.group("rating"))
        if rating is None:
            return []
        out = [self._m(Kind.RATING, c.start(), m.end("rating"), rating, "page:council_line", code)]
        pct = _LINE_SCORE.match(text, m.end(), e)
        if pct and 10 <= int(pct.group(1)) <= 100:
            out.append(self._m(Kind.SCORE, c.start(), pct.end(1), int(pct.group(1)), "page:council_line", code))
        return out

    @staticmethod
    def _is_heading(line: str) -> bool:
        """A statement's name alone on its line (a 'Quality statement:' label before it at most)."""
        return len(line.split()) <= 10 and not _NOT_A_HEADING.search(line)

    @staticmethod
    def _m(kind: Kind, s: int, e: int, value, rule: str, council: str | None) -> Mention:
        return Mention(kind, s, e, value, rule, attrs={"council": council} if council else {})

    @staticmethod
    def _page_council(text: str, lines: list[tuple[int, int]]) -> tuple[str | None, bool]:
        """The council a page's title names, and whether the title is CQC's own ('Blackpool Council: local
        authority assessment') or a looser one ('Stockport Council: how we were rated')."""
        for s, e in lines[:3]:
            if e - s > 120:
                continue
            strict = _TITLE.search(text, s, e) is not None
            if strict or _LOOSE_TITLE.search(text, s, e):
                found = _councils(text, s, e)
                if found:
                    return found[0][2], strict
        # a fact file or briefing whose heading lines name one council, and which names no other, is about it
        for s, e in lines[:3]:
            found = _councils(text, s, e) if e - s <= 120 else []
            if found:
                return (found[0][2], False) if not _names_another(text, found[0][2]) else (None, False)
        return None, False

    def _summary(self, text, lines, i, rating, page) -> list[Mention]:
        s, e = lines[i]
        council = None
        if i > 0:
            ps, pe = lines[i - 1]
            found = _councils(text, ps, pe)
            b = _BULLET.match(text, ps, pe)
            start = b.end() if b else ps
            if found and found[0][0] - start <= 2 and pe - found[0][1] <= 12:
                council = found[0][2]  # "- Blackpool Council" over "Requires improvement"
            elif not _SPEAKS_OF_RATINGS.search(text[ps:pe]) or pe - ps > 60:
                # a rating word alone under some other line, or under a sentence that speaks of ratings ("... the
                # ratings can be: Outstanding / Good / ..."): not a summary block under its label
                return []
        council = council or page
        out = [self._m(Kind.RATING, s, e, rating, "page:summary_rating", council)]
        if i + 1 < len(lines):
            ns, ne = lines[i + 1]
            m = _SCORE_LINE.match(text, ns, ne)
            if m and 5 <= int(m.group(1)) <= 100:
                out.append(self._m(Kind.SCORE, ns, m.end(1), int(m.group(1)), "page:summary_score", council))
            elif i + 2 < len(lines) and _SCORE_LABEL.fullmatch(text, ns, ne):  # "Score" over "68%"
                vs, ve = lines[i + 2]
                v = _SCORE_VALUE.fullmatch(text[vs:ve])
                if v and 5 <= int(v.group(1)) <= 100:
                    out.append(self._m(Kind.SCORE, ns, vs + v.end(1), int(v.group(1)), "page:summary_score", council))
        return out

    def _label(self, text, kv: re.Match, page) -> list[Mention]:
        """'Overall rating: Good', 'Score (%): 71', 'Assessing needs: good standard'."""
        key, value = kv.group(1), kv.group(2)
        vs, ve = kv.start(2), kv.end(2)
        if _RATING_KEY.fullmatch(key.strip()):
            r = rating_of(value)
            if r and len(value) <= 30:
                return [self._m(Kind.RATING, kv.start(1), ve, r, "page:label_rating", page)]
            return []
        if _SCORE_KEY.fullmatch(key.strip()):
            m = _SCORE_VALUE.fullmatch(value.rstrip())
            if m and 5 <= int(m.group(1)) <= 100:
                return [self._m(Kind.SCORE, kv.start(1), vs + m.end(1), int(m.group(1)), "page:label_score", page)]
            return []
        sid = statement_of_label(key) if len(key) <= 60 else None
        if sid and (page or not value[:1].isdecimal()):  # numbers alone are the statement recognizer's
            score = statement_score_of(value)
            if score is not None and len(value) <= 45:
                return [self._m(Kind.STATEMENT_SCORE, kv.start(1), ve, (sid, score), "page:label_statement", page)]
        return []

    def _numbered(self, text, lines, page) -> list[Mention]:
        """A numbered list of the nine areas in CQC's order, each item ending in its score."""
        out: list[Mention] = []
        run: list[tuple[int, int, int]] = []  # (number, start, end)

        def flush():
            if len(run) >= 7 and [k for k, _, _ in run] == list(range(1, len(run) + 1)):
                named = sum(1 for k, s, e in run if statement_of_label(text[s:e]) or _THEME_WORDS.search(text, s, e))
                if named >= len(run) - 2:
                    for k, s, e in run:
                        m = _ITEM_SCORE.search(text, s, e)
                        if m:
                            g = 1 if m.group(1) else 2
                            sid = statement_of_label(text[s:m.start()])
                            if sid is None or _THEME_WORDS.search(text, s, m.start()):
                                sid = ORDER[k - 1]
                            out.append(self._m(Kind.STATEMENT_SCORE, s, m.end(g), (sid, int(m.group(g))),
                                               "page:numbered_area", page))
            run.clear()

        if "7" not in text or not _NUMBERED_LINE.search(text):
            return out  # (no numbered list of seven or more items)
        for s, e in lines:
            m = _NUMBERED.match(text, s, e)
            if m:
                run.append((int(m.group(1)), s, e))
            elif run:
                flush()
        flush()
        return out
