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
from ..trie import first_chars, trie_regex
from ..vocab import load_json

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)
_NEGATORS = {"not", "no", "never", "without", "nor", "lack", "lacked", "didn't", "wasn't", "weren't", "hadn't"}
_MIN_CLAUSE = 25  # characters; shorter pieces stay with their neighbour


@cache
def _cues():
    """One trie regex over every cue phrase, each phrase's tags ('pos', 'neg', 'kw_<theme>'), and the clause splitter.

    A phrase also carries the tags of the cue phrases written inside it ("no waiting list" is a strength cue
    and, through "waiting list", a waiting_times keyword), so one non-overlapping scan loses nothing.
    """
    d = load_json("finding_cues.json")
    lists = [("pos", d["strength"]), ("neg", d["improvement"])]
    lists += [(f"kw_{t}", words) for t, words in sorted(d["themes"].items())]
    tags: dict[str, set[str]] = {}
    for tag, words in lists:
        for w in words:
            tags.setdefault(w.lower(), set()).add(tag)
    for phrase in list(tags):
        words = phrase.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                inner = " ".join(words[i:j])
                if inner != phrase and inner in tags:
                    tags[phrase] |= tags[inner]
    phrases = sorted(tags)
    scan = re.compile(first_chars(phrases) + r"\b(?:" + trie_regex(phrases) + ")")  # over the lower-cased text
    contrast = "|".join(sorted((re.escape(w) for w in d["contrast"]), key=len, reverse=True))
    split = re.compile(r"(?:[;:]\s+|,\s+|\s+[–—-]\s+)(?=(?:" + contrast + r")\b)|;\s+", re.IGNORECASE)
    return scan, {p: frozenset(t) for p, t in tags.items()}, split


_MARKUP_RESIDUE = re.compile(r"\]\]>|https?://|www\.|<[a-z/][^>]{0,40}>")


def clauses(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of every clause of every sentence that may state a finding, in order.

    Headings (titles, crossheads) and lines holding markup residue (feed dumps' ']]>' and URLs) are left out.
    """
    split = _cues()[2]
    text = doc.text
    out: list[tuple[int, int]] = []
    for s in doc.sentences:
        if s.heading or _MARKUP_RESIDUE.search(text, s.start, s.end):
            continue
        cuts = [m.start() for m in split.finditer(text, s.start, s.end)]
        start = s.start
        for c in cuts:
            if c - start >= _MIN_CLAUSE and s.end - c >= _MIN_CLAUSE:
                out.append(_strip(text, start, c))
                start = c
        out.append(_strip(text, start, s.end))
    return [c for c in out if c[1] > c[0]]


_PIECE_SPLIT = re.compile(r",\s+|\s+[–—]\s+|\s+and\s+(?=(?:its|their|the|a|an|in|it|there|that|this|those|some|many|most|staff|people|carers|leaders|partners)\b)")
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


_QUOTE = re.compile(r"[“”]")
# "Cllr Jane Smith, cabinet member for adult social care, said:" / "said the chief inspector"
_ATTRIBUTION = re.compile(r"\b(?:said|says|added|adds|commented|explained|told)\b", re.IGNORECASE)
_COUNCIL_VOICE = re.compile(r"\b(?:Cllr|Councillor|[Cc]abinet [Mm]ember|[Ll]ead [Mm]ember|[Pp]ortfolio [Hh]older|"
                            r"[Ll]eader of|[Cc]hief [Ee]xecutive|[Dd]irector of|[Dd]irector for|[Mm]ayor|[Ss]pokesperson|"
                            r"[Dd]eputy [Ll]eader)\b")
_REGULATOR_VOICE = re.compile(r"\b(?:CQC|Care Quality Commission|[Cc]hief [Ii]nspector|[Ii]nspectors?|regulator|"
                              r"watchdog|the report|assessment report)\b")
_FIRST_PERSON = frozenset({"we", "our", "us", "i", "we're", "we've", "my"})
_PLANS = frozenset({"will", "plans", "plan", "planned", "intends", "intend", "aims", "aim", "going", "committed",
                    "commit", "next", "future", "would", "we'll"})


class CueIndex:
    """Every cue phrase in a text, found in one scan; the cues inside any span by bisection."""

    def __init__(self, text: str):
        scan, tags, _ = _cues()
        lower = text.lower()
        if len(lower) != len(text):  # a few characters lengthen when lower-cased: keep offsets exact
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.lower = lower
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.tags: list[frozenset[str]] = []
        for m in scan.finditer(lower):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.tags.append(tags[m.group()])
        # opening and closing curly double quotes, to tell quoted speech from reported findings
        self.quote_pos: list[int] = []
        self.quote_open: list[bool] = []
        for m in _QUOTE.finditer(text):
            self.quote_pos.append(m.start())
            self.quote_open.append(m.group() == "“")
        # who speaks: each attribution ("..., said:") outside quotes, with its speaker's voice
        self.said_pos: list[int] = []
        self.said_voice: list[str] = []
        for m in _ATTRIBUTION.finditer(text):
            if self.quoted(m.start()):
                continue
            floor = max(0, m.start() - 160)  # bounded: a long text without quotes must not be searched from its start
            lo = max(text.rfind("\n", floor, m.start()), text.rfind("”", floor, m.start()), floor - 1)
            hi = min(m.end() + 120, len(text))
            nl = text.find("\n", m.end(), hi)
            window = text[lo + 1: nl if nl != -1 else hi]
            voice = "council" if _COUNCIL_VOICE.search(window) else "regulator" if _REGULATOR_VOICE.search(window) else ""
            if voice:
                self.said_pos.append(m.start())
                self.said_voice.append(voice)

    def speaker(self, start: int) -> str:
        """'council' or 'regulator' for quoted speech whose nearest attribution names one, else ''."""
        if not self.quoted(start):
            return ""
        i = bisect_left(self.said_pos, start) - 1
        if i >= 0 and start - self.said_pos[i] < 800:
            return self.said_voice[i]
        return ""

    def quoted(self, start: int) -> bool:
        """Whether position `start` lies inside “...” (the last curly double quote before it opens)."""
        i = bisect_left(self.quote_pos, start + 1) - 1
        return i >= 0 and self.quote_open[i]

    def inside(self, start: int, end: int) -> list[frozenset[str]]:
        i = bisect_left(self.starts, start)
        j = bisect_left(self.starts, end)
        while j > i and self.ends[j - 1] > end:
            j -= 1
        return self.tags[i:j]

    def themes(self, start: int, end: int) -> set[str]:
        """The themes whose keywords occur in text[start:end]."""
        return {t[3:] for tags in self.inside(start, end) for t in tags if t.startswith("kw_")}


def clause_features(text: str, spans: list[tuple[int, int]], cues: CueIndex | None = None) -> list[list[str]]:
    """The features of each span of `text` (sorted names); the cues come from one scan of the whole text.

    Training and extraction both call this, so both see exactly the same features.
    """
    cues = cues if cues is not None else CueIndex(text)
    out = []
    for start, end in spans:
        w = [t.replace("’", "'") for t in _TOKEN.findall(cues.lower, start, end)]
        feats = set(w)
        feats.update([f"{a} {b}" for a, b in zip(w, w[1:])])
        feats.update([f"NOT_{w[i + 1]}" for i, t in enumerate(w[:-1]) if t in _NEGATORS])
        found = cues.inside(start, end)
        n_pos = sum("pos" in t for t in found)
        n_neg = sum("neg" in t for t in found)
        feats.update(f"__pos{k}" for k in range(1, min(n_pos, 3) + 1))
        feats.update(f"__neg{k}" for k in range(1, min(n_neg, 3) + 1))
        feats.update(f"__{t}" for tags in found for t in tags if t.startswith("kw_"))
        if n_pos > n_neg:
            feats.add("__pos_gt_neg")
        elif n_neg > n_pos:
            feats.add("__neg_gt_pos")
        feats.update(_voice(w, cues, start))
        out.append(sorted(feats))
    return out


def _voice(words: list[str], cues: CueIndex, start: int) -> list[str]:
    """Who speaks and how: quoted speech, a council's own voice (first person), plans and promises."""
    out = []
    if cues.quoted(start):
        out.append("__quoted")
        voice = cues.speaker(start)
        if voice:
            out.append(f"__quote_{voice}")
    if _FIRST_PERSON.intersection(words):
        out.append("__first_person")
    if _PLANS.intersection(words):  # plans and promises state no verdict
        out.append("__plan")
    return out


def clause_feature_pairs(text: str, spans: list[tuple[int, int]], vocab: dict[str, int],
                         cues: CueIndex | None = None):
    """`clause_features` for many spans at once, as sorted unique (span, vocabulary id) pairs in two numpy arrays.

    The fast path of extraction: one dictionary lookup per token and bigram of the whole text, numpy for the
    rest. A test checks it agrees with clause_features span by span.
    """
    import numpy as np

    cues = cues if cues is not None else CueIndex(text)
    lower = cues.lower
    get = vocab.get
    words: list[str] = []
    lengths: list[int] = []
    for start, end in spans:
        w = _TOKEN.findall(lower, start, end)
        words.extend(w)
        lengths.append(len(w))
    if "’" in lower:
        words = [t.replace("’", "'") for t in words]
    n = len(spans)
    span_of = np.repeat(np.arange(n), lengths)
    uni = np.fromiter((get(t, -1) for t in words), dtype=np.int64, count=len(words))
    same = span_of[1:] == span_of[:-1]
    bi = np.fromiter((get(f"{a} {b}", -1) for a, b in zip(words, words[1:])), dtype=np.int64,
                     count=max(len(words) - 1, 0))
    neg = np.fromiter((get(f"NOT_{b}", -1) if a in _NEGATORS else -1 for a, b in zip(words, words[1:])),
                      dtype=np.int64, count=max(len(words) - 1, 0))
    rows = [span_of, span_of[:-1][same], span_of[:-1][same]]
    cols = [uni, bi[same], neg[same]]
    extra_rows, extra_cols = [], []
    special = {name: get(name, -1) for name in _SPECIAL_NAMES}
    offsets = [0]
    for length in lengths:
        offsets.append(offsets[-1] + length)
    for k, (start, end) in enumerate(spans):
        found = cues.inside(start, end)
        names: list[str] = _voice(words[offsets[k]:offsets[k + 1]], cues, start)
        if found:
            n_pos = sum("pos" in t for t in found)
            n_neg = sum("neg" in t for t in found)
            names += [f"__pos{i}" for i in range(1, min(n_pos, 3) + 1)]
            names += [f"__neg{i}" for i in range(1, min(n_neg, 3) + 1)]
            names += [f"__{t}" for tags in found for t in tags if t.startswith("kw_")]
            if n_pos != n_neg:
                names.append("__pos_gt_neg" if n_pos > n_neg else "__neg_gt_pos")
        for name in names:
            i = special.get(name, get(name, -1))
            if i >= 0:
                extra_rows.append(k)
                extra_cols.append(i)
    rows.append(np.asarray(extra_rows, dtype=np.int64))
    cols.append(np.asarray(extra_cols, dtype=np.int64))
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    keep = c >= 0
    key = np.unique(r[keep] * (len(vocab) + 1) + c[keep])
    return key // (len(vocab) + 1), key % (len(vocab) + 1)


_SPECIAL_NAMES = ("__pos1", "__pos2", "__pos3", "__neg1", "__neg2", "__neg3", "__pos_gt_neg", "__neg_gt_pos")


def features(clause: str) -> list[str]:
    """The feature names of one clause on its own (sorted)."""
    return clause_features(clause, [(0, len(clause))])[0]
