"""Split a text into sentences and paragraphs, with character offsets, in one pass.

Rules (regex only; no model):
- a blank line ends a paragraph;
- a single newline ends a sentence unless the line looks hard-wrapped (the
  next line starts in lower case, or the line is long and ends mid-sentence),
  as in text extracted from PDFs;
- within a line, ., ! or ? followed by space and an upper-case letter, digit,
  quote or bullet ends a sentence;
- a short line with no closing punctuation is a heading; a line opening with
  a bullet ("-", "•", "*", "1.") is a bullet item.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import ahocorasick

from .grammar import piece
from .trie import _first_chars_of, _sre_parser, literal_starts

_BULLET = piece("segment:bullet")
_SENT_END = piece("segment:sent_end")
_ABBREV = piece("segment:abbrev")
_NUMBERING = piece("segment:numbering")
_WRAP_MIN = 55  # a line at least this long that ends mid-sentence is taken as wrapped
_TABLE_CELL = piece("segment:table_cell")
# a line that ends on a word no sentence or title ends on ("... had been" over "'Requires improvement'."): wrapped
_OPEN_END = piece("segment:open_end")
_ONE_TAG = piece("segment:one_tag")
_TAG_SPAN = 64  # characters a closing tag at a block's end is looked for in
_COLUMN_GAP = piece("segment:column_gap")
_PARAGRAPH_NUMBER = piece("segment:paragraph_number")


class Sentence(NamedTuple):
    """A sentence's span of the text, its paragraph's number, and whether it is a heading or a bullet item."""

    start: int
    end: int
    paragraph: int
    heading: bool = False
    bullet: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A text and its sentences; what every recognizer receives."""

    text: str
    sentences: tuple[Sentence, ...]
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def bounds_at(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence containing `pos` (the whole text when there are no sentences)."""
        if not self.sentences:
            return 0, len(self.text)
        s = self.sentences[self.sentence_at(pos)]
        return s.start, s.end

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """(start, end) of the line holding `pos` (its newline excluded), from the text's newlines found once:
        a recognizer asking once per name on a line of a million characters pays a lookup, not a scan."""
        breaks = self._memo.get("newlines")
        if breaks is None:
            breaks = self._memo["newlines"] = list(occurrences(self.text, "\n"))
        k = bisect_left(breaks, pos)
        return (breaks[k - 1] + 1 if k else 0), (breaks[k] if k < len(breaks) else len(self.text))

    def bullet_lead(self, i: int) -> int:
        """The index of the last sentence before sentence i that is no bullet item (-1 when there is none): the
        line that introduces the list sentence i is in. Found for every sentence in one pass, on first use, so a
        list of forty thousand bullets is not walked back once per bullet."""
        leads = self._memo.get("bullet_leads")
        if leads is None:
            leads, last = [], -1
            for k, s in enumerate(self.sentences):
                leads.append(last)
                if not s.bullet:
                    last = k
            leads = self._memo["bullet_leads"] = leads
        return leads[i]

    def search(self, rx: re.Pattern[str], i: int, back: int = 0) -> re.Match[str] | None:
        """The first match of `rx` in sentence i (with the `back` sentences before it), cached: recognizers ask
        the same question of a sentence once per mention, and a long sentence must not be scanned each time."""
        key = (rx, i, back)
        found = self._memo.get(key, _UNSEEN)
        if found is _UNSEEN:
            lo, hi = self.sentences[max(0, i - back)].start, self.sentences[i].end
            # (not run where none of the literals every match holds occurs)
            found = self._memo[key] = rx.search(self.text, lo, hi) if self._may_hold(rx, lo, hi) else None
        return found

    @property
    def lower(self) -> str:
        """The text lower-cased, of exactly its length (the few characters that lengthen when lower-cased stay
        as they are), so that offsets into it are offsets into the text; computed once."""
        lower = self._memo.get("lower")
        if lower is None:
            lower = self._memo["lower"] = lower_same_length(self.text)
        return lower

    def finditer(self, rx: re.Pattern[str], start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """rx.finditer over text[start:end], the same matches; where every match of rx begins with one of a
        few literal words (trie.literal_starts), rx is tried only where one of them occurs, which is several
        times faster than letting `re` try every position."""
        end = len(self.text) if end is None else end
        positions = self._anchors(rx)
        if positions is None and not self._may_hold(rx, start, end):
            return iter(())  # (none of the literals every match holds is there)
        return self._matches(rx, positions, start, end)

    def finditer_windows(self, rx: re.Pattern[str], windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
        """rx's matches inside the (sorted, disjoint) windows, left to right and never overlapping, as one scan
        of their span would find them; anchored on rx's literals as `finditer` is, with one lookup for all the
        windows."""
        positions = self._anchors(rx)
        last = -1
        if positions is None:
            needed = self._needed(rx)  # the literals one of which every match holds, if known
            lower = self.lower
            for s, e in windows:
                if needed is not None and not any(lower.find(lit, s, e) != -1 for lit in needed):
                    continue  # (a window without one cannot hold a match)
                for m in self._matches(rx, positions, max(s, last), e):
                    yield m
                    last = m.end()
            return
        # anchored: only the windows holding one of the literals can hold a match, and they are found by walking
        # the literals' positions (bisecting into the windows), not by visiting every window once per pattern
        n, k = len(windows), 0
        i = bisect_left(positions, windows[0][0]) if windows else 0
        while i < len(positions) and k < n:
            p = positions[i]
            k = bisect_right(windows, (p, _END), k) - 1
            if k < 0:
                k = 0
                i = bisect_left(positions, windows[0][0], i)
                continue
            s, e = windows[k]
            if p >= e:  # between windows: on to the next window's start
                k += 1
                if k < n:
                    i = bisect_left(positions, windows[k][0], i)
                continue
            for m in self._matches(rx, positions, max(s, last), e):
                yield m
                last = m.end()
            k += 1
            if k < n:
                i = bisect_left(positions, max(windows[k][0], last), i)

    def _anchors(self, rx: re.Pattern[str]) -> list[int] | None:
        """The sorted positions where a match of rx can begin, when few are known: where one of its literals
        occurs, or, for a pattern that opens with '^', the starts of lines; else None."""
        literals = _anchor_literals(rx.pattern)
        if literals is not None:
            return self.literal_positions(literals)
        after = _opening_condition(rx.pattern, rx.flags)
        if after is None:
            digits = _opening_digits(rx.pattern, rx.flags)
            if digits is None:
                return None
            key = ("digits", digits)
            starts = self._memo.get(key)
            if starts is None:
                starts = self._memo[key] = sorted(i for ch in digits for i in occurrences(self.text, ch))
            return starts
        key = ("after", after)
        starts = self._memo.get(key)
        if starts is None:
            starts = sorted(i + 1 for ch in after for i in occurrences(self.text, ch))
            if after == _LINE_START:
                starts.insert(0, 0)
            starts = self._memo[key] = starts
        return starts

    def _needed(self, rx: re.Pattern[str]) -> tuple[str, ...] | None:
        """The literals one of which every match of rx holds (_required_literals), to look for in the lower-cased
        text; None when they are not known, or when the text holds a character that matches an ASCII letter only
        when case is ignored ('ſ', 'ı', 'İ': the lower-cased text would not show it)."""
        required, caseless = _required_literals(rx.pattern, rx.flags)
        if required is None:
            return None
        if caseless:
            plain = self._memo.get("folds_plainly")
            if plain is None:
                text = self.text
                plain = self._memo["folds_plainly"] = text.isascii() or not any(c in text for c in _FOLD_SENSITIVE)
            if not plain:
                return None
        return required

    def _may_hold(self, rx: re.Pattern[str], start: int, end: int) -> bool:
        """False only when text[start:end] holds none of the literals one of which every match of rx holds."""
        needed = self._needed(rx)
        if needed is None:
            return True
        lower = self.lower
        return any(lower.find(lit, start, end) != -1 for lit in needed)

    def _matches(self, rx: re.Pattern[str], positions: list[int] | None, start: int,
                 end: int) -> Iterator[re.Match[str]]:
        """rx's matches in text[start:end]: tried at the given literal positions, or by `re`'s own scan where
        they are unknown (None) or so dense that a scan is cheaper."""
        if positions is not None:
            lo, hi = bisect_left(positions, start), bisect_left(positions, end)
            if (hi - lo) * _ANCHOR_DENSITY <= end - start:
                return _anchored(rx, self.text, positions[lo:hi], end)
        return rx.finditer(self.text, start, end)

    def has(self, rx: re.Pattern[str], i: int) -> bool:
        """Whether sentence i holds a match of `rx` (from one scan of the text for all sentences, cached)."""
        key = ("has", rx)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = frozenset(self.sentences_with(rx))
        return i in found

    def literal_positions(self, literals: frozenset[str]) -> list[int]:
        """Sorted positions where any of `literals` (lower case, a set _anchor_literals returned) occurs in the
        lower-cased text. Every set a pattern has anchored on so far is found in one scan of the text, done on
        first use; a set registered since costs a search of its own."""
        scanned = self._memo.get("literal_sets")
        if scanned is None:
            scanned = self._memo["literal_sets"] = _scan_literal_sets(self.lower)
        number = _LITERAL_SETS.get(literals)
        if number is not None and number < scanned[0]:
            return scanned[1].get(number, _NONE)
        key = ("literals", literals)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = sorted({i for lit in literals for i in occurrences(self.lower, lit)})
        return found

    def sentence_at(self, pos: int) -> int:
        """Index of the sentence containing position `pos` (the last one starting at or before it)."""
        starts = self._memo.get("starts")
        if starts is None:
            starts = self._memo["starts"] = [s.start for s in self.sentences]
        i = bisect_right(starts, pos) - 1
        return i if i > 0 else 0

    def sentences_with(self, rx: re.Pattern[str]) -> list[int]:
        """Indices of the sentences holding a match of `rx`, from one scan of the text, cached: several
        recognizers gate their sentences on the same trigger."""
        key = ("with", rx)
        if key not in self._memo:
            self._memo[key] = sorted({self.sentence_at(m.start()) for m in self.finditer(rx)}) \
                if self.sentences else []
        return self._memo[key]


_ANCHOR_DENSITY = 12  # trying a pattern at one place costs about as much as scanning this many characters


@cache
def _anchor_literals(pattern: str) -> frozenset[str] | None:
    """The lower-cased literals every match of `pattern` begins with, when they are few and not too common
    (no word of one or two letters, no white space) for a search on them to beat a scan; else None."""
    found = literal_starts(pattern)
    if not found or any(len(f) <= 2 and f.isalnum() or f.isspace() or len(f.lower()) != len(f) for f in found):
        return None
    lowered = frozenset(f.lower() for f in found)
    if len(lowered) > 40:
        return None
    _LITERAL_SETS.setdefault(lowered, len(_LITERAL_SETS))
    return lowered


_CASELESS_GROUP = re.compile(r"\(\?[aLmsux]*i")  # "(?i:...)": a part that ignores case
_FOLD_SENSITIVE = "\u0130\u0131\u017f"  # İ, ı, ſ: each matches an ASCII letter when case is ignored,
# which lower-casing does not show (every other character that does lower-cases to that letter)


@cache
def _required_literals(pattern: str, flags: int) -> tuple[tuple[str, ...] | None, bool]:
    """Lower-case ASCII strings one of which every match of `pattern` holds (in what it matches, not in what it
    only looks at), or None when none can be told: the best of the parts that every match goes through, read
    from the regex parser's tree (a run of literal characters, a small class, a group, alternatives that each
    hold one, a part repeated at least once); and whether any part of the pattern ignores case."""
    try:
        items = _sre_parser().parse(pattern, flags)
    except Exception:  # noqa: BLE001 - a pattern this cannot read is scanned as it is
        return None, False

    def best(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
        if a is None or b is None:
            return a if b is None else b
        return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))

    def required(items) -> frozenset[str] | None:
        found: frozenset[str] | None = None
        run = ""
        for op, av in list(items) + [(None, None)]:
            name = str(op)
            if name == "LITERAL":
                ch = chr(av)
                if not ch.isascii():
                    found, run = best(found, frozenset([run.lower()]) if run else None), ""
                    continue
                run += ch
                continue
            if run:
                found, run = best(found, frozenset([run.lower()])), ""
            if name == "IN" and len(av) <= 8 and all(str(o) == "LITERAL" and chr(a).isascii() for o, a in av):
                found = best(found, frozenset(chr(a).lower() for _, a in av))
            elif name == "SUBPATTERN":
                found = best(found, required(av[-1]))
            elif name == "BRANCH":
                each = [required(b) for b in av[1]]
                if all(e is not None for e in each):
                    found = best(found, frozenset().union(*each))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
                found = best(found, required(av[2]))
        return found

    found = required(items)
    caseless = bool(flags & re.IGNORECASE or _CASELESS_GROUP.search(pattern))
    if not found or min(map(len, found)) < 3 or len(found) > 12:
        return None, caseless  # (a short literal is everywhere, and many cost a search each: no gate)
    return tuple(sorted(found, key=len, reverse=True)), caseless


_ASCII_DIGITS = frozenset("0123456789")


@cache
def _opening_digits(pattern: str, flags: int) -> frozenset[str] | None:
    """The ASCII digits every match of `pattern` begins with one of ("(?<![\\d.])\\b(?P<n>[1-4])\\s+..."), when
    they are all it can begin with; else None."""
    found = _first_chars_of(pattern, flags)
    return frozenset(found) if found and found <= _ASCII_DIGITS else None


_LINE_START = frozenset("\n")


@cache
def _opening_condition(pattern: str, flags: int) -> frozenset[str] | None:
    """The characters one of which stands just before every match of `pattern`, when it opens (lookaheads aside)
    with '^' (the text's start, or a newline: _LINE_START) or with lookbehinds of single characters
    ("(?:(?<=\\|)|(?<=\\t))"); else None. Such a match can begin only just after one of them (or, for '^', at
    0), whatever position a search starts from."""
    try:
        items = _sre_parser().parse(pattern, flags)
    except Exception:  # noqa: BLE001 - a pattern this cannot read is scanned as it is
        return None

    def behind(item) -> str | None:  # the character of a one-character lookbehind
        op, av = item
        if str(op) == "ASSERT" and av[0] == -1 and len(av[1]) == 1 and str(av[1][0][0]) == "LITERAL":
            char = chr(av[1][0][1])
            # (a letter compared ignoring case may be any of several characters: not known)
            return char if not flags & re.IGNORECASE or char.lower() == char.upper() else None
        return None

    while True:
        for item in items:
            op, av = item
            name = str(op)
            if name == "ASSERT" and av[0] == 1 or name == "ASSERT_NOT":
                continue  # zero-width, before what decides
            if name == "AT":
                return _LINE_START if str(av) == "AT_BEGINNING" else None
            if name == "SUBPATTERN":
                items = av[-1]
                break
            if name == "BRANCH":
                chars = [behind(b[0]) if len(b) == 1 else None for b in av[1]]
                return frozenset(chars) if all(chars) else None
            char = behind(item)
            return frozenset(char) if char else None
        else:
            return None


_NONE: list[int] = []  # read only
_UNSEEN = object()  # a question not yet asked (None is an answer)
_END = float("inf")  # sorts after every window end: (p, _END) follows every window starting at p
_LITERAL_SETS: dict[frozenset[str], int] = {}  # every set of literals a pattern has anchored on -> its number
_SCANNER: list = [0, None, ()]  # (how many sets it covers, an Aho-Corasick automaton, (set, whether it may repeat)
# for each set of literals of several lengths)


def _scan_literal_sets(lower: str) -> tuple[int, dict[int, list[int]]]:
    """(the number of sets scanned for, {set number: sorted positions}): where a literal of each registered
    set occurs in `lower` (sets with no occurrence are left out), from one Aho-Corasick pass (pyahocorasick:
    its C automaton reads each character once, however many literals there are). Each occurrence is filed
    under every set its literal belongs to."""
    size, automaton, several = _SCANNER
    if size != len(_LITERAL_SETS):
        owners: dict[str, list[int]] = {}
        for literals, number in _LITERAL_SETS.items():
            for lit in literals:
                owners.setdefault(lit, []).append(number)
        automaton = None
        if owners:
            automaton = ahocorasick.Automaton()
            for lit, numbers in sorted(owners.items()):
                automaton.add_word(lit, (len(lit) - 1, tuple(numbers)))
            automaton.make_automaton()
        # occurrences come in order of their ends: a set of literals of several lengths is sorted again, and
        # one with a literal that begins another ("saf" and "safe": two occurrences may begin at one place) also
        # loses its repeats; literals of one length begin in the order they end
        several = tuple((number, any(a != b and b.startswith(a) for a in literals for b in literals))
                        for literals, number in _LITERAL_SETS.items() if len({len(lit) for lit in literals}) > 1)
        size = len(_LITERAL_SETS)
        _SCANNER[:] = [size, automaton, several]
    table: dict[int, list[int]] = {}
    if automaton is not None:
        lists: list[list[int]] = [[] for _ in range(size)]
        for end, (back, numbers) in automaton.iter(lower):
            for number in numbers:
                lists[number].append(end - back)
        for number, repeats in several:
            found = lists[number]
            if len(found) > 1:
                if repeats:
                    lists[number] = sorted(set(found))
                else:
                    found.sort()
        table = {number: found for number, found in enumerate(lists) if found}
    return size, table


def _anchored(rx: re.Pattern[str], text: str, positions: list[int], end: int) -> Iterator[re.Match[str]]:
    last = -1
    for p in positions:
        if p < last:
            continue
        m = rx.match(text, p, end)
        if m:
            yield m
            last = m.end()


def occurrences(text: str, literal: str, start: int = 0) -> Iterator[int]:
    """Where `literal` occurs in `text` from `start` on, overlaps included (str.find runs at memory speed)."""
    i = text.find(literal, start)
    while i != -1:
        yield i
        i = text.find(literal, i + 1)


def lower_same_length(text: str) -> str:
    """`text` lower-cased, of exactly its length (the few characters that lengthen when lower-cased, such as
    'İ', stay as they are), so that offsets into it are offsets into `text`."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span text[start:end] without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without the white space at either end (start == end for a blank line)."""
    out = []
    start = 0
    for line in text.split("\n"):
        head = len(line) - len(line.lstrip())
        out.append((start + head, start + len(line.rstrip())) if head < len(line) else (start, start))
        start += len(line) + 1
    if not text or text.endswith("\n"):  # nothing after the last newline (or no text): no line there
        out.pop()
    return out


def _without_trailing_tags(block: str) -> str:
    """`block` without the tags (and ']]>') it ends with, read from the end one tag at a time: a pattern
    anchored at the end would be tried from every '<' of a line of ten thousand tags."""
    end = len(block)
    while True:
        e = end
        while e and block[e - 1].isspace():
            e -= 1
        if block.endswith("]]>", 0, e):
            end = e - 3
            continue
        lt = block.rfind("<", max(0, e - _TAG_SPAN), e)
        if lt == -1 or not _ONE_TAG.fullmatch(block, lt, e):
            break
        end = lt
    return block[:end].rstrip() if end < len(block) else block


def _joins_next(text: str, line: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Whether `line` continues on `nxt` (a hard-wrapped sentence); both are trimmed line bounds."""
    s, e = line
    ns, ne = nxt
    if s == e or ns == ne:
        return False
    if _BULLET.match(text, ns, ne) or text[e - 1] in ".!?:;\"”’>" or text[ns] == "<":
        return False  # (a line of markup ends with a closing tag, or opens with a tag: not wrapped)
    if text[e - 1] == "'" and text[ns].isupper() and (text[s] == "'" or text.find(" '", s, e - 1) != -1):
        return False  # a straight quote closing one opened on its line: "... adult social care 'requires improvement'"
    if _TABLE_CELL.search(text, s, e) or _TABLE_CELL.search(text, ns, ne):  # table rows stay rows
        return False
    if text[ne - 1] == ":" and text[ns].isupper() and _BULLET.match(text, s, e):
        return False  # a list's lead after the last item of the list before ("The report found areas to improve:")
    lead = _PARAGRAPH_NUMBER.match(text, s, e)  # "3.1   The council ..." is a numbered paragraph, not a row
    if _COLUMN_GAP.search(text, lead.end() if lead else s, e):  # a table laid out with spaces: rows stay rows
        return False  # (a label wrapped onto the next line joins its row)
    return text[ns].islower() or text[e - 1] in ",-–(" or e - s >= _WRAP_MIN \
        or bool(_OPEN_END.search(text, max(s, e - 6), e))


def segment(text: str) -> Document:
    """Sentences of `text` with offsets into it."""
    sentences: list[Sentence] = []
    lines = _lines(text)
    paragraph = 0
    i = 0
    n = len(lines)
    while i < n:
        s, e = lines[i]
        if s == e:
            paragraph += 1
            i += 1
            continue
        # gather wrapped continuation lines into one block
        j = i
        while j + 1 < n and _joins_next(text, lines[j], lines[j + 1]):
            j += 1
        bs, be = s, lines[j][1]
        bullet = bool(_BULLET.match(text, bs, be))
        block = text[bs:be]
        if block[-1] == ">":  # "<p>Leaders were visible.</p>" ends where its text ends
            block = _without_trailing_tags(block) or block
        heading = (j == i and not bullet and len(block) <= 90
                   and block[-1] not in ".!?;,:\"”’" and not block[0].islower())
        cursor = bs
        for m in _SENT_END.finditer(text, bs, be):
            if _ABBREV.search(text, max(bs, m.start() - 6), m.start() + 1):
                continue
            if _NUMBERING.fullmatch(text, cursor, m.start()):  # "1. Text" is one bullet, not two sentences
                continue
            ss, se = trim(text, cursor, m.end())
            if se > ss:
                sentences.append(Sentence(ss, se, paragraph, False, bullet and ss == bs))
            cursor = m.end()
        ss, se = trim(text, cursor, be)
        if se > ss:
            sentences.append(Sentence(ss, se, paragraph, heading, bullet and ss == bs))
        i = j + 1
    return Document(text, tuple(sentences))
