"""What every recognizer shares: template expansion, number words, the Recognizer protocol."""

from __future__ import annotations

import re
from functools import cache
from typing import Protocol

from ..mentions import Mention
from ..segment import Document
from ..vocab import patterns
from ..trie import scanning


class Recognizer(Protocol):
    """Text in, mentions out. `name` prefixes every Mention.rule it emits."""

    name: str

    def __call__(self, doc: Document) -> list[Mention]: ...


@cache
def number_words() -> dict[str, int]:
    return dict(patterns()["number_words"])


@cache
def _placeholders() -> dict[str, str]:
    p = patterns()
    ratings = "|".join(f"(?:{v})" for v in p["rating_words"].values())
    words = sorted(number_words(), key=len, reverse=True)
    tens = [w for w, n in number_words().items() if n >= 20 and n % 10 == 0 and n < 100]
    units = [w for w, n in number_words().items() if 1 <= n <= 9 and " " not in w]
    compound = r"(?:" + "|".join(tens) + r")[- ](?:" + "|".join(units) + r")"  # "twenty-four"
    num = r"(?:\d{1,3}|" + compound + "|" + "|".join(re.escape(w) for w in words) + r")"
    months = "|".join(m[:3] + f"(?:{m[3:]})?" for m in p["months"])
    return {
        "{R}": f"(?P<rating>{ratings})",
        "{R2}": f"(?P<rating2>{ratings})",
        "{R3}": f"(?P<rating3>{ratings})",
        "{Q}": p["quote"],
        "{NUM}": num,
        "{SC}": r"(?P<score>100|[2-9]\d)",
        "{MONTH}": months,
    }


@cache
def rating_trigger() -> re.Pattern[str]:
    """The words without which a sentence states no rating (ratings and tallies gate on it)."""
    return scanning(patterns()["rating_trigger"], re.IGNORECASE)


class CaselessSearch:
    """A pattern searched for, ignoring case, in short strings (the words before or after a mention), answering
    only whether it occurs. An ASCII string is lower-cased and searched with the pattern compiled to match case:
    the same answer several times faster, when the pattern holds no upper-case letter (escapes such as \\b aside),
    no character given by number, no inline flags and no other character that has a case (ignoring case then
    only lets its letters match upper-case ones, which lower-casing an ASCII string removes)."""

    __slots__ = ("rx", "lower_rx")

    def __init__(self, pattern: str):
        self.rx = scanning(pattern, re.IGNORECASE)
        self.lower_rx = scanning(pattern, 0) if _folds_plainly(pattern) else None

    def search(self, s: str) -> bool:
        if self.lower_rx is not None and s.isascii():
            return self.lower_rx.search(s.lower()) is not None
        return self.rx.search(s) is not None


def _folds_plainly(pattern: str) -> bool:
    """Whether ignoring case in `pattern` only lets its ASCII letters match upper-case ones (see CaselessSearch)."""
    if re.search(r"\\[uUNx0-7]|\(\?[aiLmsux-]+[:)]", pattern):
        return False  # characters given by number, inline flags
    # escapes of ASCII characters (\b, \s, \-, \\) aside, no upper-case ASCII letter and no other character that
    # has a case
    bare = re.sub(r"\\(.)", lambda m: "" if m.group(1).isascii() else m.group(1), pattern, flags=re.DOTALL)
    return not any("A" <= c <= "Z" or not c.isascii() and (c.lower() != c or c.upper() != c) for c in bare)


def expand(template: str) -> str:
    for key, value in _placeholders().items():
        template = template.replace(key, value)
    return template


def compile_template(template: str, *, case_sensitive: bool = False, multiline: bool = False) -> re.Pattern[str]:
    flags = 0 if case_sensitive else re.IGNORECASE
    if multiline:
        flags |= re.MULTILINE
    return scanning(expand(template), flags)


def parse_count(token: str | None) -> int | None:
    """'14' -> 14, 'fourteen' -> 14, 'none' -> 0; None when not a count."""
    if token is None:
        return None
    t = " ".join(token.lower().split())
    if t.isdigit():
        return int(t)
    if t in number_words():
        return number_words()[t]
    tens, _, unit = t.replace("-", " ").partition(" ")  # "twenty-four"
    a, b = number_words().get(tens), number_words().get(unit)
    if a is not None and b is not None and a % 10 == 0 and 20 <= a < 100 and 1 <= b <= 9:
        return a + b
    return None


def normalise_rating(word: str) -> str:
    """A matched rating word -> its vocabulary value."""
    w = word.lower()
    if w.startswith("outstanding"):
        return "outstanding"
    if w.startswith("good"):
        return "good"
    if w.startswith("inadequate"):
        return "inadequate"
    return "requires_improvement"


def sentences_matching(doc: Document, trigger: re.Pattern[str], *, neighbours: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the sentences holding a match of `trigger` (with the sentences either side, if asked,
    for patterns that run over a label line and its value), merged where they touch: recognizers run their
    many patterns over these few spans, not the whole text."""
    wanted = set(doc.sentences_with(trigger))
    last = len(doc.sentences) - 1
    if neighbours:
        wanted.update([j for i in list(wanted) for j in (i - 1, i + 1) if 0 <= j <= last])
    spans: list[tuple[int, int]] = []
    for i in sorted(wanted):
        s = doc.sentences[i]
        if spans and s.start <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], s.end)
        else:
            spans.append((s.start, s.end))
    return spans


def windows_around(doc: Document, spans: list[tuple[int, int]], anchor: re.Pattern[str], before: int,
                   after: int) -> list[tuple[int, int]]:
    """The parts of `spans` within `before` characters before and `after` after a match of `anchor`, merged.

    A recognizer whose every pattern holds an anchor (a rating word, say) and reaches at most that far on
    either side of it runs its patterns over these windows instead of whole sentences.
    """
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for m in doc.finditer(anchor, s, e):
            lo, hi = max(s, m.start() - before), min(e, m.end() + after)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
    return out


def scan(rx: re.Pattern[str], doc: Document, windows: list[tuple[int, int]]):
    """rx's matches in the windows, left to right and never overlapping, as one scan of their span would find."""
    return doc.finditer_windows(rx, windows)
