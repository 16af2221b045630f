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
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from itertools import chain, repeat
from typing import TYPE_CHECKING

import ahocorasick

from ..grammar import piece, scanner
from ..segment import Document, lower_same_length, occurrences
from ..vocab import load_json

if TYPE_CHECKING:
    import numpy as np

_NEGATORS = {"not", "no", "never", "without", "nor", "lack", "lacked", "didn't", "wasn't", "weren't", "hadn't"}
_MIN_CLAUSE = 25  # characters; shorter pieces stay with their neighbour


@cache
def _cues():
    """An Aho-Corasick automaton over every cue phrase, each phrase's tags ('pos', 'neg', 'kw_<theme>'), and the
    clause splitter.

    A phrase also carries the tags of the cue phrases written inside it ("no waiting list" is a strength cue
    and, through "waiting list", a waiting_times keyword), so one non-overlapping scan loses nothing.
    """
    d = load_json("finding_cues.json")
    lists = [("pos", d["strength"]), ("neg", d["improvement"]), ("score", d.get("score", [])),
             ("method", d.get("method", []))]
    lists += [(f"kw_{t}", words) for t, words in sorted(d["themes"].items())]
    tags: dict[str, set[str]] = {}
    for tag, words in lists:
        for w in words:
            tags.setdefault(w.lower(), set()).add(tag)
    names = {w.lower() for w in d.get("names", [])}
    for w in names:  # a name carries no cue: its words are masked ("the Carers Hub" is not about carers)
        tags[w] = {"name"}
    fixed = {w.lower(): set(t) for w, t in d.get("fixed", {}).items()}
    for w, t in fixed.items():  # exactly these tags ("prevent, reduce or delay" is prevention, not a delay)
        tags[w] = t
    for phrase in list(tags):
        if phrase in names or phrase in fixed:
            continue
        words = phrase.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                inner = " ".join(words[i:j])
                if inner != phrase and inner in tags:
                    tags[phrase] |= tags[inner]
    phrases = sorted(tags)
    # leftmost-longest, non-overlapping occurrences (over the lower-cased text); each carries its length, its
    # index among the sorted phrases and whether it begins with a word character (for the word boundary)
    scan = ahocorasick.Automaton()
    for i, p in enumerate(phrases):
        scan.add_word(p, (len(p) - 1, i, _word_char(p[0])))
    scan.make_automaton()
    contrast = "|".join(sorted((re.escape(w) for w in d["contrast"]), key=len, reverse=True))
    # a clause ends at a semicolon, or at a colon, comma or spaced dash before a contrast word; the pattern
    # starts with the punctuation so that `re` jumps between candidates (clauses() checks the dash is spaced),
    # and is one branch with no case folding (it reads the lower-cased text): twice as fast as the two branches
    # "[;:,–—-]\s+(?=contrast)|;\s+" with IGNORECASE, and it finds the same starts
    split = re.compile(r"[;:,–—-]\s+(?:(?=(?:" + contrast.lower() + r")\b)|(?<=;\s))")
    return scan, {p: frozenset(t) for p, t in tags.items()}, split


def _word_char(c: str) -> bool:
    """Whether `c` is a word character as `re`'s \\b sees it."""
    return c.isalnum() or c == "_"


def _scan_cues(lower: str) -> tuple[list[int], list[int], list[int]]:
    """(starts, ends, phrase indices) of the cue phrases in `lower`: leftmost-longest, never overlapping, each
    beginning at a word boundary."""
    scan = _cues()[0]
    starts: list[int] = []
    ends: list[int] = []
    ids: list[int] = []
    for last, (back, i, word) in scan.iter_long(lower):
        s = last - back
        if word == (s > 0 and _word_char(lower[s - 1])):  # no word boundary before it
            continue
        starts.append(s)
        ends.append(last + 1)
        ids.append(i)
    return starts, ends, ids


def _masked(plain: str, starts: list[int], ends: list[int], ids: list[int]) -> str:
    """The plain text with every name of `names` (finding_cues.json) made one word 'qname' and spaces (length kept)."""
    import numpy as np

    is_name = _cue_table()[6]
    if not ids:
        return plain
    hits = np.flatnonzero(is_name[np.asarray(ids, dtype=np.int64)]).tolist()
    if not hits:
        return plain
    parts, last = [], 0
    for k in hits:
        s, e = starts[k], ends[k]
        parts += [plain[last:s], ("qname" + " " * (e - s))[:e - s] if e - s >= 5 else "q" * (e - s)]
        last = e
    parts.append(plain[last:])
    return "".join(parts)


# feed headers and links; a tag other than the ones that wrap a paragraph's text (<p>, <li>, <strong>, ...)
_MARKUP_RESIDUE = piece("findings:markup_residue")
_WRAPPING_TAGS = piece("findings:wrapping_tags")  # "<p>", "</li>"


def clauses(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of every clause of every sentence that may state a finding, in order.

    Headings (titles, crossheads) and lines holding markup residue (feed dumps' ']]>' and URLs) are left out.
    """
    split = _cues()[2]
    text = doc.text
    cuts_all: list[int] = []
    for m in split.finditer(doc.lower):
        c = m.start()
        if text[c] in "–—-":  # a dash cuts only when spaced: the cut is at the space before it
            if c == 0 or not text[c - 1].isspace():
                continue
            while c > 0 and text[c - 1].isspace():
                c -= 1
        cuts_all.append(c)
    residue = [m.end() for m in doc.finditer(_MARKUP_RESIDUE)]
    out: list[tuple[int, int]] = []
    for s in doc.sentences:
        if s.heading:
            continue
        r = bisect_right(residue, s.start)
        if r < len(residue) and residue[r] <= s.end:
            continue
        start = s.start
        for c in cuts_all[bisect_left(cuts_all, s.start):bisect_left(cuts_all, s.end)]:
            if c - start >= _MIN_CLAUSE and s.end - c >= _MIN_CLAUSE:
                out.append(_strip(text, start, c))
                start = c
        out.append(_strip(text, start, s.end))
    return [c for c in out if c[1] > c[0]]


_PIECE_SPLIT = piece("findings:piece_split")
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
    """The span without white space, list punctuation or wrapping tags ("<p>", "</li>") at either end."""
    while start < end and (text[start].isspace() or text[start] in ",;:–—-•*"):
        start += 1
    if start < end and text[start] == "<":
        tags = _WRAPPING_TAGS.match(text, start, end)
        if tags:
            return _strip(text, tags.end(), end)
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ">":
        k = text.rfind("<", start, end)
        if k > start and _WRAPPING_TAGS.fullmatch(text, k, end):
            return _strip(text, start, k)
    return start, end


# Words: runs of ASCII letters and digits, lower-cased, with an apostrophe inside a word kept ("didn't").
# A text is recast once, keeping its length, so that a span's words are text[start:end].split().
_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789'"
_WORD_BYTES = bytes(c if c in _KEEP else 32 for c in range(256))
_STRAY_APOSTROPHE = piece("findings:stray_apostrophe")


def _plain(lower: str) -> str:
    """The lower-cased text with every character that is not part of a word made a space (length kept)."""
    plain = lower.replace("’", "'")
    if "'" in plain:
        plain = _STRAY_APOSTROPHE.sub(" ", plain)
    return plain.encode("ascii", "replace").translate(_WORD_BYTES).decode("ascii")


def tokens(clause: str) -> list[str]:
    return _plain(lower_same_length(clause)).split()


_QUOTE = piece("findings:quote")
# "Cllr Jane Smith, cabinet member for adult social care, said:" / "said the chief inspector"
_ATTRIBUTION_WORDS = ("said", "says", "added", "adds", "commented", "explained", "told")


def _attribution_words(lower: str) -> list[tuple[int, int]]:
    """(start, end) of every whole word "said", "says", "told", ... in the lower-cased text, in order: a search
    for each word (str.find runs at memory speed) beats a pattern tried at every position."""
    found = []
    for word in _ATTRIBUTION_WORDS:
        for i in occurrences(lower, word):
            j = i + len(word)
            if (i == 0 or not _word_char(lower[i - 1])) and (j == len(lower) or not _word_char(lower[j])):
                found.append((i, j))
    found.sort()
    return found
_COUNCIL_VOICE = scanner("findings:council_voice")
_REGULATOR_VOICE = scanner("findings:regulator_voice")
_FIRST_PERSON = frozenset({"we", "our", "us", "i", "we're", "we've", "my"})
_PLANS = frozenset({"will", "plans", "plan", "planned", "intends", "intend", "aims", "aim", "going", "committed",
                    "commit", "next", "future", "would", "we'll"})


@cache
def _cue_table():
    """The cue phrases' tags by their index among the sorted phrases (the index the cue scan reports), and
    the same as arrays: strength cue, improvement cue, and the themes they are keywords of (as index ranges
    into one array of theme names)."""
    import numpy as np

    _, tags, _ = _cues()
    phrases = sorted(tags)
    themes = sorted({t[3:] for ts in tags.values() for t in ts if t.startswith("kw_")})
    theme_index = {t: i for i, t in enumerate(themes)}
    pos = np.array([("pos" in tags[p]) for p in phrases], dtype=bool)
    neg = np.array([("neg" in tags[p]) for p in phrases], dtype=bool)
    kw = [sorted(theme_index[t[3:]] for t in tags[p] if t.startswith("kw_")) for p in phrases]
    indptr = np.cumsum([0] + [len(k) for k in kw]).astype(np.int64)
    kw_theme = np.array([i for k in kw for i in k], dtype=np.int64)
    name = np.array([("name" in tags[p]) for p in phrases], dtype=bool)
    score = np.array([("score" in tags[p]) for p in phrases], dtype=bool)
    return [tags[p] for p in phrases], pos, neg, indptr, kw_theme, themes, name, score


@cache
def _method_flags():
    """Whether each cue phrase (by index among the sorted phrases) describes how an assessment is done or what
    a text is about rather than what was found ("spoke to", "will publish", "based on")."""
    import numpy as np

    tags = _cue_table()[0]
    return np.array([("method" in t) for t in tags], dtype=bool)


class CueIndex:
    """A text's words, cue phrases, quotes and speech attributions, each found in one scan of the whole text;
    what lies inside any span, by bisection.

    The features of a span (clause_feature_pairs, for training and extraction alike) read its words and cues
    from here.
    """

    def __init__(self, text: str, lower: str | None = None):
        import numpy as np

        lower = lower_same_length(text) if lower is None else lower
        self.text = text
        self.lower = lower  # cue phrases are matched here
        # cue phrases are written with a straight apostrophe ("weren't", "carers' centre"); published text mostly
        # has the curly one (one character for one: offsets hold)
        self.starts, self.ends, ids = _scan_cues(lower.replace("’", "'") if "’" in lower else lower)
        self.plain = _masked(_plain(lower), self.starts, self.ends, ids)  # words are read here
        self.phrase_ids = np.asarray(ids, dtype=np.int64)
        self._keywords: tuple | None = None
        self.cue_starts = np.asarray(self.starts, dtype=np.int64)  # the same, as arrays for many spans at once
        self.cue_ends = np.asarray(self.ends, dtype=np.int64)
        # opening and closing curly double quotes, to tell quoted speech from reported findings
        quotes = [(m.start(), m.group() == "“") for m in _QUOTE.finditer(text)]
        self.quote_pos: list[int] = [q[0] for q in quotes]
        self.quote_open: list[bool] = [q[1] for q in quotes]
        self._said: tuple[list[int], list[str]] | None = None
        self._word_ids: tuple | None = None
        self._cumulative: tuple | None = None
        self._method_cum = None

    @property
    def said_pos(self) -> list[int]:
        return self._attributions()[0]

    @property
    def said_voice(self) -> list[str]:
        return self._attributions()[1]

    def _attributions(self) -> tuple[list[int], list[str]]:
        """Each attribution ("..., said:") outside quotes, with its speaker's voice; found on first use (only
        quoted speech needs them)."""
        if self._said is not None:
            return self._said
        text, lower = self.text, self.lower
        pos: list[int] = []
        voices: list[str] = []
        for start, end in _attribution_words(lower) if self.quote_pos else ():
            if self.quoted(start):
                continue
            floor = max(0, start - 160)  # bounded: a long text without quotes must not be searched from its start
            lo = max(text.rfind("\n", floor, start), text.rfind("”", floor, start), floor - 1)
            hi = min(end + 120, len(text))
            nl = text.find("\n", end, hi)
            window = text[lo + 1: nl if nl != -1 else hi]
            voice = "council" if _COUNCIL_VOICE.search(window) else "regulator" if _REGULATOR_VOICE.search(window) else ""
            if voice:
                pos.append(start)
                voices.append(voice)
        self._said = (pos, voices)
        return self._said

    def method_cumulative(self):
        """Running count of method phrases over the text's cue phrases, with a leading 0 (computed once)."""
        if self._method_cum is None:
            import numpy as np

            self._method_cum = np.concatenate(([0], _method_flags()[self.phrase_ids].cumsum()))
        return self._method_cum

    def cumulative(self):
        """Running counts over the text's cue phrases, each with a leading 0: strength cues, improvement cues,
        statement score phrases, and strength or improvement cues that are not score phrases (computed once)."""
        if self._cumulative is None:
            import numpy as np

            _, is_pos, is_neg, _, _, _, _, is_score = _cue_table()
            pid = self.phrase_ids
            pos, neg, score = is_pos[pid].copy(), is_neg[pid].copy(), is_score[pid]
            self._negated_criticism(pos, neg)
            self._cumulative = tuple(np.concatenate(([0], a.cumsum())) for a in (pos, neg, score, (pos | neg) & ~score))
        return self._cumulative

    def _negated_criticism(self, pos, neg) -> None:
        """A criticism denied is praise: an improvement cue right after a negator ("there weren't any waiting lists",
        "no delays", "without a backlog") counts as a strength cue, and a negator that is itself an improvement cue
        ("weren't") counts as nothing (in place, on the per-occurrence arrays)."""
        import numpy as np

        for k in np.flatnonzero(neg).tolist():
            m = _NEGATED_BEFORE.search(self.plain, max(0, self.starts[k] - _NEGATION_REACH), self.starts[k])
            if m is None:
                continue
            neg[k], pos[k] = False, True
            j = k - 1
            while j >= 0 and self.ends[j] > m.start():
                if neg[j] and self.starts[j] >= m.start():
                    neg[j] = False  # the negator's own cue ("weren't")
                j -= 1

    def keyword(self, start: int, end: int, theme: int) -> tuple[int, int] | None:
        """(start, end) of the first keyword of theme number `theme` (an index into the sorted theme names) wholly
        inside text[start:end], if any: the word a finding is said of, so that "praising Camden for its carers
        and Barnet for its reablement" splits. Every keyword of the text is filed by theme on first use."""
        if self._keywords is None:
            import numpy as np

            _, _, _, indptr, kw_theme, themes, _, _ = _cue_table()
            counts = indptr[self.phrase_ids + 1] - indptr[self.phrase_ids]
            _, idx = _ranges(indptr[self.phrase_ids], indptr[self.phrase_ids + 1])
            owner = np.repeat(np.arange(len(self.phrase_ids)), counts)
            theme_of = kw_theme[idx]
            order = np.lexsort((owner, theme_of))
            bounds = np.searchsorted(theme_of[order], np.arange(len(themes) + 1))
            phrase = owner[order]
            self._keywords = (bounds.tolist(), self.cue_starts[phrase].tolist(), self.cue_ends[phrase].tolist())
        bounds, starts, ends = self._keywords
        if theme + 1 >= len(bounds):
            return None
        k = bisect_left(starts, start, bounds[theme], bounds[theme + 1])
        if k < bounds[theme + 1] and ends[k] <= end:
            return starts[k], ends[k]
        return None

    def words(self, start: int, end: int) -> list[str]:
        """The words of text[start:end]."""
        return self.plain[start:end].split()

    def word_ranges(self, table: "FeatureTable", starts, ends):
        """(word ids of the whole text, lo, hi): the words of span k are ids[lo[k]:hi[k]], each word of the text
        looked up once however many spans hold it. None when a span begins or ends inside a word (its words
        are then not whole words of the text)."""
        import numpy as np

        if self._word_ids is None or self._word_ids[0] is not table:
            space = np.frombuffer(self.plain.encode("ascii"), dtype=np.uint8) == 32
            word = ~space
            first = np.flatnonzero(word & np.concatenate(([True], space[:-1])))
            last = np.flatnonzero(word & np.concatenate((space[1:], [True]))) + 1
            self._word_ids = (table, table.word_ids(self.plain.split()), first, last)
        _, ids, first, last = self._word_ids
        if not first.size:
            none = np.zeros(len(starts), dtype=np.int64)
            return ids, none, none
        lo = first.searchsorted(starts, side="left")
        hi = last.searchsorted(ends, side="right")
        # a span cuts a word when the word before its first whole one runs past its start (or after its end)
        k = lo - 1
        if ((k >= 0) & (last[np.maximum(k, 0)] > starts)).any():
            return None
        if ((hi < first.size) & (first[np.minimum(hi, first.size - 1)] < ends)).any():
            return None
        return ids, lo, np.maximum(hi, lo)

    def quoted(self, start: int) -> bool:
        """Whether position `start` lies inside “...” (the last curly double quote before it opens)."""
        i = bisect_left(self.quote_pos, start + 1) - 1
        return i >= 0 and self.quote_open[i]

    def cue_ranges(self, starts, ends):
        """For spans [start, end) (arrays), the index range [lo, hi) of the cue phrases lying wholly inside each."""
        import numpy as np

        lo = self.cue_starts.searchsorted(starts, side="left")
        hi = np.minimum(self.cue_starts.searchsorted(ends, side="left"), self.cue_ends.searchsorted(ends, side="right"))
        return lo, np.maximum(hi, lo)

    def theme_pairs(self, starts, ends):
        """(span, theme index) for every theme keyword wholly inside each span (arrays; repeats kept); theme
        indices point into the sorted theme names."""
        _, _, _, indptr, kw_theme, _, _, _ = _cue_table()
        span, idx = _ranges(*self.cue_ranges(starts, ends))
        phrase = self.phrase_ids[idx]
        which, kw = _ranges(indptr[phrase], indptr[phrase + 1])
        return span[which], kw_theme[kw]

    def n_themes(self, starts, ends):
        """How many different themes have keywords wholly inside each span (arrays)."""
        import numpy as np

        span, theme = self.theme_pairs(starts, ends)
        width = len(_cue_table()[5])
        distinct = _distinct(span * width + theme) // width
        return np.bincount(distinct, minlength=len(starts))


# a negator just before an improvement cue, with at most "any", "a", "an", "real", "significant", "long" between
_NEGATED_BEFORE = piece("findings:negated_before")
_NEGATION_REACH = 40
_SPEAKER_REACH = 800  # characters from an attribution to the quoted speech it introduces


def span_context(doc: Document, spans: list[tuple[int, int]]):
    """For each span (clauses in text order, as `clauses` gives them): its lead (the line that introduces the list
    a bullet item is in, else the nearest heading before it) and the clause before it in its paragraph, as an
    int array (n x 7): lead start, lead end, previous start, previous end (-1 where there is none), 1 when
    the span is a bullet item, and the nearest heading's start and end ("Key findings for this quality
    statement", "What people expect", "Safeguarding").

    A list item takes its polarity from its lead ("Areas for improvement:", "Key strengths"), and "This was
    praised" from the clause before it; one pass over the sentences, then a lookup per span.
    """
    import numpy as np

    out = np.full((len(spans), 8), -1, dtype=np.int64)
    out[:, 4] = 0
    if not spans or not doc.sentences:
        return out
    # start, end, paragraph, heading, bullet of each sentence
    sent = np.fromiter(chain.from_iterable(doc.sentences), dtype=np.int64, count=5 * len(doc.sentences)).reshape(-1, 5)
    index = np.arange(len(sent))
    bullet = sent[:, 4] > 0

    # for each sentence, the last heading and the last sentence that is no bullet item strictly before it (-1: none)
    latest = np.full((2, len(sent) + 1), -1, dtype=np.int64)
    np.maximum.accumulate(np.where(np.stack(((sent[:, 3] > 0) & ~bullet, ~bullet)), index, -1), axis=1, out=latest[:, 1:])
    heading_of = latest[0, :-1]
    lead_of = np.where(bullet, latest[1, :-1], heading_of)
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    i = np.maximum(sent[:, 0].searchsorted(bounds[:, 0], side="right") - 1, 0)  # each span's sentence
    for col, of in ((0, lead_of[i]), (5, heading_of[i])):
        has = of >= 0
        out[has, col] = sent[of[has], 0]
        out[has, col + 1] = sent[of[has], 1]
    out[:, 4] = bullet[i]
    # the clause before, when it ends before this one starts in the same paragraph
    prev = np.zeros(len(spans), dtype=bool)
    prev[1:] = (sent[i[:-1], 2] == sent[i[1:], 2]) & (bounds[:-1, 1] <= bounds[1:, 0])
    out[1:, 2] = np.where(prev[1:], bounds[:-1, 0], -1)
    out[1:, 3] = np.where(prev[1:], bounds[:-1, 1], -1)
    # the quality statement of the last statement heading before each span ("Care provision, integration and
    # continuity" on a CQC page; its findings follow "Key findings for this quality statement" further down)
    heads = np.flatnonzero((sent[:, 3] > 0) & (sent[:, 1] - sent[:, 0] <= _MAX_STATEMENT_HEADING))
    if heads.size:
        named = [(int(sent[h, 0]), k) for h in heads.tolist()
                 for k in (statement_named(doc.text, int(sent[h, 0]), int(sent[h, 1])),) if k >= 0]
        if named:
            at = np.array([a for a, _ in named], dtype=np.int64)
            which = np.array([k for _, k in named], dtype=np.int64)
            j = at.searchsorted(bounds[:, 0], side="right") - 1
            out[:, 7] = np.where(j >= 0, which[np.maximum(j, 0)], -1)
    return out


_HEADING_WORD = re.compile(r"[A-Za-z]{2,}")
_MAX_STATEMENT_HEADING = 80  # characters: a longer heading is a headline that mentions a statement


@cache
def _statement_patterns():
    """(statement ids sorted, one pattern naming any statement: group k + 1 is statement k) from statements.json."""
    from ..vocab import statements

    table = statements()
    ids = sorted(table)
    return ids, re.compile("|".join(f"({'|'.join(f'(?:{p})' for p in table[k]['patterns'])})" for k in ids),
                           re.IGNORECASE)


def statement_ids() -> list[str]:
    """The quality statements, sorted: the numbering of span_context's statement column."""
    return _statement_patterns()[0]


def statement_named(text: str, start: int, end: int) -> int:
    """The index (into statement_ids()) of the one quality statement a heading names, or -1: the heading must be
    short, no table row, and hold little besides the statement's name ("Quality statement: Safeguarding",
    "Assessing needs - Score: 3"), so that a headline merely mentioning safeguarding does not count."""
    if end - start > _MAX_STATEMENT_HEADING:
        return -1
    return _statement_heading(text[start:end])


@lru_cache(maxsize=4096)
def _statement_heading(heading: str) -> int:
    """statement_named for a heading's text (headings repeat: "Key findings for this quality statement")."""
    if "|" in heading or "\t" in heading or "   " in heading:
        return -1
    found, rest = -1, heading
    for m in _statement_patterns()[1].finditer(heading):
        k = m.lastindex - 1
        if found >= 0 and k != found:
            return -1
        found = k
        rest = rest[:m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    if found >= 0 and len(_HEADING_WORD.findall(rest)) > 4:
        return -1
    return found


CONTEXT_NAMES = ("__lead_pos", "__lead_neg", "__prev_pos", "__prev_neg", "__bullet", "__score", "__method")


def context_marks(cues: "CueIndex", starts, ends, context) -> dict:
    """The context markers of spans (arrays), shared by both feature paths: the polarity of the span's lead and
    of the clause before it (more strength cues than improvement cues, or the reverse), a bullet item, and a
    statement score or rating phrase in the span itself ("scored 3", "rated good for")."""
    import numpy as np

    cum_pos, cum_neg, cum_score, _ = cues.cumulative()
    n = len(starts)
    cum_method = cues.method_cumulative()
    if context is None:
        marks = {name: np.zeros(n, dtype=bool) for name in CONTEXT_NAMES}
        if cum_score[-1] or cum_method[-1]:
            lo, hi = cues.cue_ranges(starts, ends)
            marks["__score"] = cum_score[hi] > cum_score[lo]
            marks["__method"] = cum_method[hi] > cum_method[lo]
        return marks
    # the span itself, its lead and the clause before it, in one lookup of cue ranges
    lead, prev = context[:, 0] >= 0, context[:, 2] >= 0
    lo, hi = cues.cue_ranges(np.concatenate((starts, np.where(lead, context[:, 0], 0), np.where(prev, context[:, 2], 0))),
                             np.concatenate((ends, np.where(lead, context[:, 1], 0), np.where(prev, context[:, 3], 0))))
    marks = {"__score": cum_score[hi[:n]] > cum_score[lo[:n]], "__method": cum_method[hi[:n]] > cum_method[lo[:n]]}
    p = cum_pos[hi[n:]] - cum_pos[lo[n:]]
    q = cum_neg[hi[n:]] - cum_neg[lo[n:]]
    has = np.concatenate((lead, prev))
    more_pos, more_neg = has & (p > q), has & (q > p)
    marks["__lead_pos"], marks["__prev_pos"] = more_pos[:n], more_pos[n:]
    marks["__lead_neg"], marks["__prev_neg"] = more_neg[:n], more_neg[n:]
    marks["__bullet"] = context[:, 4] > 0
    return marks


def lead_polarity(cues: "CueIndex", context):
    """+1 (strength), -1 (improvement) or 0 for each span that is a bullet item whose lead has more cues of one
    polarity than of the other ("The report also listed key strengths:", "Areas for improvement:")."""
    import numpy as np

    s, e = context[:, 0], context[:, 1]
    has = (s >= 0) & (context[:, 4] > 0)
    if not has.any():
        return np.zeros(len(s), dtype=np.int64)
    cum_pos, cum_neg, _, _ = cues.cumulative()
    lo, hi = cues.cue_ranges(np.where(has, s, 0), np.where(has, e, 0))
    balance = (cum_pos[hi] - cum_pos[lo]) - (cum_neg[hi] - cum_neg[lo])
    return np.where(has, np.sign(balance), 0)


@cache
def _inline_leads() -> re.Pattern[str]:
    """One pattern for finding_cues.json's inline leads, matched at a clause's start: group 'improvement' or
    'strength' says which."""
    cues = load_json("finding_cues.json")
    groups = "|".join(f"(?P<{polarity}>(?:{'|'.join(cues['inline_leads'][polarity])}))"
                      for polarity in ("improvement", "strength"))
    return re.compile(r"[\W_]{0,4}(?:" + groups + ")" + cues["inline_lead_verbs"], re.IGNORECASE)


def inline_lead_polarity(text: str, spans) -> "np.ndarray":
    """+1 (strength), -1 (improvement) or 0 for each span that opens with a lead of its own ("Areas for improvement
    included access to advice, carer support and transitions."): the list in the rest of it takes that polarity."""
    import numpy as np

    rx = _inline_leads()
    out = np.zeros(len(spans), dtype=np.int64)
    for k, (start, end) in enumerate(spans):
        m = rx.match(text, start, end)
        if m is not None:
            out[k] = -1 if m.group("improvement") else 1
    return out


def cue_theme_names() -> list[str]:
    """The themes that have keywords, sorted: the numbering CueIndex.keyword and theme_pairs use."""
    return _cue_table()[5]


@cache
def _non_finding_headings() -> frozenset[str]:
    return frozenset(h.lower() for h in load_json("finding_cues.json").get("non_finding_headings", []))


def under_non_finding_heading(text: str, context):
    """Whether each span sits under a heading that introduces no findings (CQC's "What people expect" and "The
    local authority commitment" state what people and the council aim for, not what inspectors found)."""
    import numpy as np

    headings = _non_finding_headings()
    seen: dict[int, bool] = {}
    out = []
    for hs, he in zip(context[:, 5].tolist(), context[:, 6].tolist()):
        if hs not in seen:
            seen[hs] = hs >= 0 and text[hs:he].strip(" :.").lower() in headings
        out.append(seen[hs])
    return np.array(out, dtype=bool)


def score_only(cues: "CueIndex", starts, ends):
    """Whether each span (arrays) holds a statement score or rating phrase and no other strength or improvement
    cue: "Safeguarding was scored 3", "rated good for partnerships" state a score, not a finding."""
    import numpy as np

    _, _, cum_score, cum_other = cues.cumulative()
    if not cum_score[-1]:
        return np.zeros(len(starts), dtype=bool)
    lo, hi = cues.cue_ranges(starts, ends)
    return (cum_score[hi] > cum_score[lo]) & (cum_other[hi] == cum_other[lo])


def clause_features(text: str, spans: list[tuple[int, int]], cues: CueIndex | None = None,
                    context=None) -> list[list[str]]:
    """The feature names of each span of `text` (sorted): what training sees.

    There is one implementation of the features, `clause_feature_pairs`, which extraction runs over the model's
    vocabulary; here it runs over every feature this text could have (its words, each pair of adjacent words, a
    word after a negator, the markers, cue themes and statements), and the ids it gives are named.
    """
    cues = cues if cues is not None else CueIndex(text)
    names = _open_vocabulary(cues, spans)
    rows, ids = clause_feature_pairs(text, spans, {name: i for i, name in enumerate(names)}, cues, context)
    out: list[list[str]] = [[] for _ in spans]
    for r, i in zip(rows.tolist(), ids.tolist()):
        out[r].append(names[i])
    return [sorted(f) for f in out]


def _open_vocabulary(cues: CueIndex, spans: list[tuple[int, int]]) -> list[str]:
    """Every feature name the spans could give, sorted: unigrams, bigrams and negations of their words, and the
    fixed names (markers, cue themes, statements)."""
    names = set(_SPECIAL_NAMES)
    names.update(f"__kw_{t}" for t in _cue_table()[5])
    names.update(f"__qs_{k}" for k in statement_ids())
    for start, end in spans:
        w = cues.words(start, end)
        names.update(w)
        names.update(f"NOT_{x}" for x in w)
        names.update(f"{a} {b}" for a, b in zip(w, w[1:]))
    return sorted(names)


_DENSE_PAIRS = 16_000_000  # at most this many cells in a dense bigram table (2 bytes each, 4 past 32,767 features)


class FeatureTable:
    """A vocabulary (feature name -> id) recast as arrays over word ids and cue phrases, so that extraction
    looks each word of a text up once and finds every feature of every clause with numpy."""

    def __init__(self, vocab: dict[str, int]):
        import numpy as np

        self.size = len(vocab)
        words: set[str] = set(_NEGATORS | _FIRST_PERSON | _PLANS)
        bigrams = []
        for name in vocab:
            if name.startswith("__"):
                continue
            if name.startswith("NOT_"):
                words.add(name[4:])
            elif " " in name:
                a, b = name.split(" ", 1)
                bigrams.append((a, b, name))
                words.update((a, b))
            else:
                words.add(name)
        self.word_id = {w: i for i, w in enumerate(sorted(words), start=1)}  # 0: any other word
        n = len(self.word_id) + 1
        self.n_words = n
        ids = lambda names: np.array([vocab.get(x, -1) for x in names], dtype=np.int64)  # noqa: E731
        known = [""] + sorted(words)
        self.unigram = ids(known)
        self.unigram[0] = -1
        self.negation = ids(f"NOT_{w}" for w in known)
        self.negation[0] = -1
        self.negator = np.array([w in _NEGATORS for w in known], dtype=bool)
        self.first_person = np.array([w in _FIRST_PERSON for w in known], dtype=bool)
        self.plan = np.array([w in _PLANS for w in known], dtype=bool)
        # every (first word of a bigram, second word of a bigram) -> its feature id (-1: none), as one dense
        # table when it is small enough (row and column 0 stand for any other word: all -1), else as sorted
        # keys over word ids searched by bisection
        keys = np.array([self.word_id[a] * n + self.word_id[b] for a, b, _ in bigrams], dtype=np.int64)
        ids_ = np.array([vocab[name] for _, _, name in bigrams], dtype=np.int64)
        firsts = sorted({self.word_id[a] for a, _, _ in bigrams})
        seconds = sorted({self.word_id[b] for _, b, _ in bigrams})
        self.row_of = np.zeros(n, dtype=np.int64)
        self.row_of[firsts] = np.arange(1, len(firsts) + 1)
        self.col_of = np.zeros(n, dtype=np.int64)
        self.col_of[seconds] = np.arange(1, len(seconds) + 1)
        self.n_cols = len(seconds) + 1
        self.pairs = None
        if (len(firsts) + 1) * self.n_cols <= _DENSE_PAIRS and self.size < 2 ** 31:
            self.pairs = np.full((len(firsts) + 1) * self.n_cols, -1, dtype=np.int16 if self.size < 2 ** 15 else np.int32)
            cells = np.array([self.row_of[self.word_id[a]] * self.n_cols + self.col_of[self.word_id[b]]
                              for a, b, _ in bigrams], dtype=np.int64)
            self.pairs[cells] = ids_
        order = np.argsort(keys, kind="stable")
        self.bigram_keys = keys[order]
        self.bigram_ids = ids_[order]
        self.special = {name: vocab.get(name, -1) for name in _SPECIAL_NAMES}
        self.theme_ids = ids(f"__kw_{t}" for t in _cue_table()[5])
        self.statement_ids = ids(f"__qs_{k}" for k in statement_ids())

    def word_ids(self, words: list[str]):
        import numpy as np

        return np.fromiter(map(self.word_id.get, words, repeat(0)), dtype=np.int64, count=len(words))

    def bigrams(self, ids):
        """The bigram feature id of each adjacent pair of words (ids[k], ids[k + 1]), -1 where none."""
        import numpy as np

        if self.pairs is not None:
            return self.pairs[self.row_of[ids[:-1]] * self.n_cols + self.col_of[ids[1:]]].astype(np.int64)
        keys = ids[:-1] * self.n_words + ids[1:]
        if not self.bigram_keys.size or not keys.size:
            return np.full(keys.size, -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.bigram_keys, keys), self.bigram_keys.size - 1)
        return np.where(self.bigram_keys[at] == keys, self.bigram_ids[at], -1)


def _distinct(keys):
    """The sorted distinct values of an integer array (np.unique, by sorting: several times faster here)."""
    import numpy as np

    keys = keys.copy()
    keys.sort()
    if keys.size < 2:
        return keys
    new = np.empty(keys.size, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    return keys[new]


def _ranges(lo, hi):
    """Concatenated index ranges [lo[k], hi[k]) and, for each index, its k."""
    import numpy as np

    n = np.maximum(hi - lo, 0)
    rows = np.arange(lo.size).repeat(n)
    before = n.cumsum() - n
    idx = np.arange(int(n.sum()), dtype=np.int64) + (lo - before).repeat(n)
    return rows, idx


def clause_feature_pairs(text: str, spans: list[tuple[int, int]], vocab: "dict[str, int] | FeatureTable",
                         cues: CueIndex | None = None, context=None):
    """The features of many spans at once, as sorted unique (span, vocabulary id) pairs in two numpy arrays: the
    one implementation of the features (`clause_features` names what it gives, for training).

    Three steps: the words of each span (`_span_words`: one dictionary lookup per word of the text), the features
    of its words (`_word_features`: unigrams, bigrams, a word after a negator), and its markers (`_span_marks`:
    cue counts, cue themes, the statement of the heading above, quoted speech and whose, the context marks).
    """
    import numpy as np

    table = vocab if isinstance(vocab, FeatureTable) else FeatureTable(vocab)
    cues = cues if cues is not None else CueIndex(text)
    span_arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
    starts, ends = span_arr[:, 0], span_arr[:, 1]
    ids, lo, hi = _span_words(table, cues, spans, starts, ends)
    rows, cols = _word_features(table, ids, lo, hi)
    marks, extra_rows, extra_cols = _span_marks(table, cues, ids, lo, hi, starts, ends, context)
    rows += extra_rows
    cols += extra_cols
    names = list(marks)
    r, k = np.array([marks[name] for name in names]).T.nonzero()
    rows.append(r)
    cols.append(np.array([table.special[name] for name in names], dtype=np.int64)[k])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    keep = c >= 0
    width = table.size + 1
    key = _distinct(r[keep] * width + c[keep])
    return key // width, key % width


def _span_words(table: FeatureTable, cues: CueIndex, spans: list[tuple[int, int]], starts, ends):
    """(word ids, lo, hi): the words of span k are ids[lo[k]:hi[k]]."""
    import numpy as np

    whole = cues.word_ranges(table, starts, ends)
    if whole is not None:
        return whole
    # some span cuts a word: each span's words as its own text
    plain = cues.plain
    words: list[str] = []
    counts = []
    for start, end in spans:
        w = plain[start:end].split()
        words += w
        counts.append(len(w))
    hi = np.cumsum(np.asarray(counts, dtype=np.int64))
    lo = hi - np.asarray(counts, dtype=np.int64)
    return table.word_ids(words), lo, hi


def _word_features(table: FeatureTable, ids, lo, hi) -> tuple[list, list]:
    """(rows, feature ids) of unigrams, then of bigrams and negations (pairs k, k + 1 within a span)."""
    import numpy as np

    rows, cols = [], []
    r, idx = _ranges(lo, hi)
    rows.append(r)
    cols.append(table.unigram[ids[idx]])
    r, idx = _ranges(lo, hi - 1)
    if ids.size > 1:
        rows += [r, r]
        cols.append(table.bigrams(ids)[idx])
        cols.append(np.where(table.negator[ids[:-1]], table.negation[ids[1:]], -1)[idx])
    return rows, cols


def _span_marks(table: FeatureTable, cues: CueIndex, ids, lo, hi, starts, ends, context):
    """The clause-level markers, as one boolean column per name ({name: bool array}), and the (rows, ids) of the
    cue themes and of the statement of the heading above."""
    import numpy as np

    marks: dict[str, object] = {}
    # first person and plans anywhere in the span
    for words_marked, name in ((table.first_person, "__first_person"), (table.plan, "__plan")):
        cum = np.concatenate(([0], words_marked[ids].cumsum()))
        marks[name] = cum[hi] > cum[lo]
    # cue phrases wholly inside the span: counts of strength and improvement cues, the themes of keywords
    c_lo, c_hi = cues.cue_ranges(starts, ends)
    cum_pos, cum_neg, _, _ = cues.cumulative()
    n_pos = cum_pos[c_hi] - cum_pos[c_lo]
    n_neg = cum_neg[c_hi] - cum_neg[c_lo]
    for k in (1, 2, 3):
        marks[f"__pos{k}"] = n_pos >= k
        marks[f"__neg{k}"] = n_neg >= k
    marks["__pos_gt_neg"] = n_pos > n_neg
    marks["__neg_gt_pos"] = n_neg > n_pos
    marks.update(context_marks(cues, starts, ends, context))
    marks.update(_quote_marks(cues, starts))
    span, theme = cues.theme_pairs(starts, ends)
    rows, cols = [span], [table.theme_ids[theme]]
    if context is not None:  # the quality statement of the heading above
        under = np.flatnonzero(context[:, 7] >= 0)
        rows.append(under)
        cols.append(table.statement_ids[context[under, 7]])
    return marks, rows, cols


def _quote_marks(cues: CueIndex, starts) -> dict:
    """Quoted speech, and whose: the council's or the regulator's (by the nearest attribution before it)."""
    import numpy as np

    if not cues.quote_pos:
        return {}
    q = np.asarray(cues.quote_pos, dtype=np.int64).searchsorted(starts + 1, side="left") - 1
    quoted = (q >= 0) & np.asarray(cues.quote_open, dtype=bool)[np.maximum(q, 0)]
    marks = {"__quoted": quoted}
    if quoted.any() and cues.said_pos:
        said = np.asarray(cues.said_pos, dtype=np.int64)
        s = said.searchsorted(starts, side="left") - 1
        near = quoted & (s >= 0) & (starts - said[np.maximum(s, 0)] < _SPEAKER_REACH)
        voice = np.asarray(cues.said_voice, dtype=object)[np.maximum(s, 0)]
        marks["__quote_council"] = near & (voice == "council")
        marks["__quote_regulator"] = near & (voice == "regulator")
    return marks


_SPECIAL_NAMES = ("__pos1", "__pos2", "__pos3", "__neg1", "__neg2", "__neg3", "__pos_gt_neg", "__neg_gt_pos",
                  "__quoted", "__quote_council", "__quote_regulator", "__first_person", "__plan") + CONTEXT_NAMES


def features(clause: str) -> list[str]:
    """The feature names of one clause on its own (sorted)."""
    return clause_features(clause, [(0, len(clause))])[0]
