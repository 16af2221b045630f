"""Reading views of strings handed to `extract`: markup read as `read` reads HTML, PDF text repaired.

    view = reading_view(text)      # None when the text needs no view (plain prose: the common case)
    view.text                      # what the recognizers read
    view.to_original(start, end)   # a span of view.text -> the span of `text` it came from

- HTML (a page or a fragment: block tags, entities, `<li>`, `<td>`, `<span class="score">`): the visible
  text with blocks on lines of their own, list items as "- ", table cells tab-separated
  (`html.html_to_text`, selectolax), mapped back to the string given.
- PDF-extracted text (only when the text shows a PDF's marks: page numbers on lines of their own, form
  feeds, words broken over line ends, letter-spaced rating words, dotted leaders): page-number lines and
  the running headers and footers repeated around them are left out, "assess-⏎ment" and "in- dicative" are
  joined, "R equires  improvement" and "G ood" are read whole, and dotted leaders read as a column gap.

Every repair only leaves characters out or reads one character as another in its place (a dot of a leader
as a space), so every position of the view maps to one position of the given string, and a fact's evidence,
mapped back, is exactly the characters of the given string that it covers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from .document import OffsetMap, OffsetMapBuilder

__all__ = ["View", "compose", "reading_view", "looks_like_html", "looks_like_pdf_text", "remap_evidence"]

_HTML_MARK = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<body[\s>]", re.I)
_BLOCK_TAG = re.compile(r"</?(?:p|div|span|br|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|h[1-6]|strong|em|b|"
                        r"section|article|header|footer|main|blockquote|a)(?=[\s/>])[^<>]{0,400}>", re.I)
# an RSS, RDF or Atom feed given as a string: read as markup, each item's title and text in blocks of their own
_FEED_ROOT = re.compile(r"\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,500}?-->\s*)*<(?:rss|feed|rdf:RDF)[\s>]", re.S)
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{2,5}|#x[0-9a-f]{2,4});", re.I)

_PAGE_LINE = re.compile(r"^[ \t]*(?:(?:page|p\.)[ \t]*\d{1,3}(?:[ \t]*(?:of|/)[ \t]*\d{1,3})?|\d{1,3}[ \t]*(?:of|/)[ \t]*\d{1,3}|"
                        r"[-–—]?[ \t]*\d{1,3}[ \t]*[-–—]?)[ \t]*$", re.I | re.M)
_DIGITS = re.compile(r"\d+")
_PAGE_IN_LINE = re.compile(r"\bpage\s+#(?:\s+of\s+#)?\b", re.I)
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n[ \t]*")  # a word broken over a line end, when letters stand either side
_INLINE_HYPHEN = re.compile(r"\b([a-z]{1,6})- ([a-z]{3,})\b")
_LEADER = re.compile(r"(?:\.[ ]?){4,}|…{2,}")


@cache
def _split_words() -> re.Pattern[str]:
    """The words whose letter-spaced or split forms are read whole: rating words and the words of the labels
    around scores. A split is one or two spaces, or a hyphen and space, between two letters."""
    words = ["requires", "require", "improvement", "outstanding", "inadequate", "good", "indicative", "rating",
             "score", "safeguarding", "assessment", "assessing", "evidence", "shortfalls", "standard",
             "exceptional", "statement", "governance", "sustainability", "partnerships", "communities",
             "integration", "continuity", "innovation", "learning", "healthier", "pathways", "transitions",
             "equity", "outcomes", "council", "overall", "provision", "management"]
    gap = r"(?:[ ]{1,2}|-[ ]|-\n[ \t]*)?"
    alts = []
    for w in sorted(words, key=len, reverse=True):
        alts.append(gap.join(re.escape(ch) for ch in w))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w])", re.I)


_SPLIT_HINT = re.compile(r"\b[A-Za-z] [a-z]{2,}|[a-z]- [a-z]{2,}|[a-z] {2,3}(?i:improvement|shortfalls|standard)\b")
_WIDE_PHRASE = re.compile(r"(?<=[a-z])( {2,3})(?=(?i:improvement|shortfalls|standard)\b)")
def _plain_wrap(text: str, k: int) -> bool:
    """Whether the line break at k wraps a line of running text (no column gap before it, no indent after):
    in a table laid out with spaces the name's parts stay in their column."""
    start = text.rfind("\n", 0, k) + 1
    return "  " not in text[start:k].strip() and not text.startswith("  ", k + 1) and "\t" not in text[start:k]


@cache
def _wrapped_names() -> re.Pattern[str]:
    """Statement names of several words split by a line break (the names' own patterns allow any white space)."""
    from ..vocab import statements

    names = [p for st in statements().values() for p in st["patterns"] if "\\s" in p]
    return re.compile(r"\b(?:" + "|".join(names) + r")\b(?=[^\n]*\S)", re.I)


_NOT_SPLIT = re.compile(r"in\s+adequate|out\s+standing|good\s|a\s+rating", re.I)


@dataclass(frozen=True)
class View:
    text: str
    offset_map: OffsetMap
    kind: str  # html, pdf or columns

    def to_original(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the given string that view span [start, end) covers (None when it covers only
        characters the reader inserted)."""
        m = self.offset_map
        if end <= start:
            return None
        s = _first_mapped(m, start, end)
        e = _last_mapped(m, start, end)
        if s is None or e is None:
            return None
        return s, e + 1


def _first_mapped(m: OffsetMap, start: int, end: int) -> int | None:
    i = max(bisect_right(m.starts, start) - 1, 0)
    pos = start
    while pos < end and i < len(m.starts):
        run_end = m.starts[i + 1] if i + 1 < len(m.starts) else m.length
        if m.origins[i] >= 0 and pos < run_end:
            return m.origins[i] + (pos - m.starts[i])
        i += 1
        pos = max(pos, m.starts[i] if i < len(m.starts) else end)
    return None


def _last_mapped(m: OffsetMap, start: int, end: int) -> int | None:
    i = bisect_right(m.starts, end - 1) - 1
    pos = end - 1
    while pos >= start and i >= 0:
        if m.origins[i] >= 0:
            return m.origins[i] + (pos - m.starts[i])
        pos = m.starts[i] - 1
        i -= 1
    return None


def _hyphen_breaks(text: str):
    """'assess-⏎ment': a hyphen at a line's end between lower-case letters (found by its literal, then checked)."""
    n = len(text)
    for m in _HYPHEN_BREAK.finditer(text):
        if m.start() > 0 and text[m.start() - 1].islower() and m.end() < n and text[m.end()].islower():
            yield m


_PAGE_OF = re.compile(r"age\s+\d{1,3}\s+of\s+\d{1,3}\b")  # ("Page 3 of 20", led by a literal)
# a running header or footer ending with its page number: "Wirral Adult Social Care Local Account 2024/25   page 6"
_PAGE_AT_END = re.compile(r"age[ \t]+\d{1,3}(?:[ \t]+of[ \t]+\d{1,3})?[ \t]*$", re.M)
_PAGE_START = re.compile(r"\n[ \t]*(?:[Pp]|[-–—]?[ \t]*\d)")  # led by a line break: found at memchr speed


def _page_lines(text: str, enough: int = 2) -> int:
    """How many lines hold only a page number ("Page 3 of 20", "- 4 -"; a bare number counts when a
    "Page" line is also there), counted up to `enough`."""
    found = 0
    worded = False
    for m in _PAGE_START.finditer(text, 0, 200000):
        e = text.find("\n", m.start() + 1)
        line = _PAGE_LINE.fullmatch(text, m.start() + 1, len(text) if e == -1 else e)
        if line:
            found += 1
            worded = worded or not line.group().strip().lstrip("-–— ")[:1].isdigit()
            if found >= enough and worded:
                return found
    return min(found, 1)


def _count(rx: re.Pattern[str], text: str, enough: int) -> int:
    n = 0
    for _ in rx.finditer(text, 0, 200000):
        n += 1
        if n >= enough:
            break
    return n


def _has_leader(text: str) -> bool:
    return "...." in text or ". . . ." in text or "……" in text


def looks_like_html(text: str) -> bool:
    """A page or fragment of markup: an html/body tag, or block tags and entities making up a noticeable
    share of the text (a sentence quoting '<p>' is not markup)."""
    head = text[:65536]
    if _HTML_MARK.search(head) or _FEED_ROOT.match(head):
        return True
    if "<" not in head:
        return False
    n, chars = 0, 0
    for m in _BLOCK_TAG.finditer(head):
        n += 1
        chars += m.end() - m.start()
        if n >= 12:
            return True
    return n >= 3 and chars >= 0.04 * len(head)


def looks_like_pdf_text(text: str) -> bool:
    """Text pulled out of a PDF: page-number lines or form feeds with more marks (hyphenated line ends,
    letter-spaced words, dotted leaders), or two kinds of those marks."""
    marks = 0
    if "\f" in text:
        marks += 1
    marks += max(min(2, _page_lines(text)),
                 max(min(2, _count(_PAGE_OF, text, 2)), min(2, _count(_PAGE_AT_END, text, 2))) if "age " in text else 0)
    # (two pages' numbers make a PDF text by themselves: on lines of their own or in running headers)
    breaks = 0
    for _ in _hyphen_breaks(text):
        breaks += 1
        if breaks == 3:
            break
    marks += 2 if breaks >= 3 else 1 if breaks else 0  # (three words broken over line ends: a PDF's by themselves)
    if _has_leader(text):
        marks += 1
    if marks == 1 and _SPLIT_HINT.search(text) and any(" " in m.group() or "-" in m.group()
                                                      for m in _split_words().finditer(text)):
        marks += 1  # (the costliest mark is looked for only when it decides)
    return marks >= 2


def reading_view(text: str) -> View | None:
    """The reading view of a string given to `extract`, or None when it needs none."""
    if not text or len(text) < 20:
        return None
    if ("<" in text or "&" in text) and looks_like_html(text):
        from ..errors import ReadError
        from .html import html_to_text

        try:
            h = html_to_text(text)
        except ReadError:  # markup nested past Limits.max_depth: read as it is, not parsed
            return None
        return View(h.text, h.offset_map, "html")
    from .columns import two_columns

    cols = two_columns(text)
    if cols is None:
        return _repair_pdf(text) if looks_like_pdf_text(text) else None
    if not looks_like_pdf_text(cols.text):
        return View(cols.text, cols.offset_map, "columns")
    repaired = _repair_pdf(cols.text)  # the columns read one after the other, then repaired as PDF text
    return View(repaired.text, compose(repaired.offset_map, cols.offset_map), "pdf")


def compose(outer: OffsetMap, inner: OffsetMap) -> OffsetMap:
    """The map of a view of a view: `outer` maps positions of the last text into the middle one, `inner` those of
    the middle one into the given string (linear in the runs of both)."""
    b = OffsetMapBuilder()
    starts, origins = inner.starts, inner.origins
    j = 0
    for start, length, origin in outer.runs():
        if origin is None:
            b.add(length, None)
            continue
        pos, end = origin, origin + length
        j = max(0, min(j, len(starts) - 1))
        while j > 0 and starts[j] > pos:
            j -= 1
        while j + 1 < len(starts) and starts[j + 1] <= pos:
            j += 1
        while pos < end:
            run_end = starts[j + 1] if j + 1 < len(starts) else inner.length
            take = min(end, run_end) - pos
            b.add(take, None if origins[j] < 0 else origins[j] + (pos - starts[j]))
            pos += take
            j += 1
    return b.build()


def _running_lines(text: str) -> set[tuple[int, int]]:
    """Page-number lines, and lines repeated around them (a running header or footer: a line that occurs at
    least twice, each time within two lines of a page number or a form feed)."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    page = [bool(_PAGE_LINE.fullmatch(text, s, e)) and text[s:e].strip() != "" for s, e in lines]
    feed = ["\f" in text[s:e] for s, e in lines]
    near = [any(page[k] or feed[k] for k in range(max(0, i - 2), min(len(lines), i + 3))) for i in range(len(lines))]
    counts: dict[str, int] = {}
    keys = [_DIGITS.sub("#", text[s:e].strip()) for s, e in lines]  # "Page 2 of 22" and "Page 3 of 22" alike
    for key in keys:
        if key:
            counts[key] = counts.get(key, 0) + 1
    drop = set()
    seen: set[str] = set()  # a running header's first occurrence stays: it is often the report's title
    for i, (s, e) in enumerate(lines):
        key = keys[i]
        if _PAGE_IN_LINE.search(key) and counts[key] >= 2:
            near[i] = True  # a header or footer that carries the page number itself
        if not key:
            continue
        first = key not in seen
        seen.add(key)
        if page[i] and len(key) <= 15:
            drop.add((s, e))
        elif near[i] and counts[key] >= 2 and not first and len(key) <= 140 and not re.fullmatch(
                r"(?:score|rating)\b.*|.{0,40}\b(?:good|outstanding|inadequate|improvement)\W*", key, re.I):
            drop.add((s, e))
    return drop


def _repair_pdf(text: str) -> View:
    cut: list[tuple[int, int]] = []  # spans of the given string left out of the view
    swap: dict[int, str] = {}  # position -> the character read in its place
    for s, e in sorted(_running_lines(text)):
        cut.append((s, min(len(text), e + 1)))  # the line and its line break
    for m in _hyphen_breaks(text):
        cut.append((m.start(), m.end()))
    for m in _split_words().finditer(text):
        g = m.group()
        if (" " in g or "-" in g or "\n" in g) and not _NOT_SPLIT.fullmatch(g):
            for k, ch in enumerate(g):
                if ch in " -\n\t":
                    cut.append((m.start() + k, m.start() + k + 1))
    for m in _WIDE_PHRASE.finditer(text):  # "Requires  improvement": one space between the words
        cut.append((m.start(1) + 1, m.end(1)))
    for m in _INLINE_HYPHEN.finditer(text):
        # "in- dicative": a short piece before a hyphen and space, whose other piece is no word of its own
        if (m.group(1) + m.group(2)).lower() in _JOINABLE:
            cut.append((m.start(1) + len(m.group(1)), m.start(2)))
    for m in _wrapped_names().finditer(text):
        # a statement's name wrapped over lines ("Care provision, integration and⏎continuity  3") reads as one line
        for k in range(m.start(), m.end()):
            if text[k] == "\n" and _plain_wrap(text, k):
                swap[k] = " "
                j = k
                while j > 0 and text[j - 1] in " \t":
                    j -= 1
                if j < k:  # the spaces that pad the line's first part to its column: one space joins the parts
                    cut.append((j, k))
    for m in _LEADER.finditer(text) if _has_leader(text) else ():
        for k in range(m.start(), m.end()):
            swap[k] = " "
    cut.sort()
    merged: list[tuple[int, int]] = []
    for s, e in cut:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    b = OffsetMapBuilder()
    parts: list[str] = []
    pos = 0
    for s, e in merged + [(len(text), len(text))]:
        if s > pos:
            piece = text[pos:s]
            if swap:
                piece = "".join(swap.get(pos + k, ch) for k, ch in enumerate(piece))
            parts.append(piece)
            b.add(s - pos, pos)
        pos = max(pos, e)
    return View("".join(parts), b.build(), "pdf")


_JOINABLE = frozenset({
    "indicative", "assessment", "assessments", "improvement", "requires", "inadequate", "outstanding",
    "safeguarding", "statement", "statements", "integration", "continuity", "governance", "sustainability",
    "innovation", "partnerships", "communities", "transitions", "pathways", "evidence", "shortfalls",
    "exceptional", "standard", "overall", "rating", "council", "authority", "provision", "management",
})


def remap_evidence(result, original: str, view: View) -> None:
    """Move every evidence span of `result` from the view onto the given string (each Evidence once)."""
    seen: set[int] = set()
    for ev in _evidence(result):
        if id(ev) in seen:
            continue
        seen.add(id(ev))
        span = view.to_original(ev.start, ev.end)
        if span is None:
            continue
        s, e = span
        d = ev.__dict__  # set without validation: the values are of the fields' types
        d["start"], d["end"], d["text"] = s, e, original[s:e]


def _evidence(obj):
    from ..results import Evidence

    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, Evidence):
            yield o
        elif isinstance(o, (list, tuple)):
            stack.extend(o)
        elif isinstance(o, dict):
            stack.extend(o.values())
        elif hasattr(o, "__pydantic_fields__") or hasattr(o, "model_fields"):
            for name in type(o).model_fields:
                v = getattr(o, name, None)
                if v is not None and not isinstance(v, (str, int, float, bool)):
                    stack.append(v)
