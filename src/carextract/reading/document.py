"""SourceDocument: the text carextract reads from a file, with its metadata and a map back to the original.

Positions are always str indices (code points). "The decoded original" is the file's content decoded to
str (a UTF-8 byte-order mark removed), before any other change: line endings are NOT normalised in it,
HTML tags and entities are still there. Evidence offsets found in ``SourceDocument.text`` map back to it
with :meth:`SourceDocument.to_original`.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import re
from bisect import bisect_right
from dataclasses import dataclass, field

__all__ = ["KINDS", "OffsetMap", "OffsetMapBuilder", "SourceDocument", "iso_date"]

KINDS = ("plain", "html", "feed", "pdf")


class OffsetMap:
    """A compact map from positions in a derived text to positions in the text it came from.

    It is a sorted list of runs: run ``i`` covers derived positions ``[starts[i], starts[i+1])`` and maps
    them 1:1 onto ``origins[i] + (pos - starts[i])``; ``origins[i] == -1`` marks a synthetic run (characters
    the reader inserted, such as paragraph breaks, "- " list prefixes or table tabs) that has no original
    position. Look-up is a bisect, so a map costs two ints per run, not per character.
    """

    __slots__ = ("starts", "origins", "length")

    def __init__(self, starts: tuple[int, ...], origins: tuple[int, ...], length: int):
        self.starts = starts
        self.origins = origins
        self.length = length

    def lookup(self, pos: int) -> int | None:
        """Original position of derived position ``pos`` (0 <= pos < length), None inside a synthetic run."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        o = self.origins[i]
        return None if o < 0 else o + (pos - self.starts[i])

    def runs(self):
        """(derived_start, length, original_start or None) for each run."""
        n = len(self.starts)
        for i in range(n):
            end = self.starts[i + 1] if i + 1 < n else self.length
            o = self.origins[i]
            yield self.starts[i], end - self.starts[i], (None if o < 0 else o)

    @property
    def single_run_origin(self) -> int | None:
        """When the whole derived text is one contiguous slice of the original: where it starts there."""
        if self.length == 0:
            return None
        if len(self.starts) == 1 and self.origins[0] >= 0:
            return self.origins[0]
        return None

    def compose(self, base: "OffsetMap | None") -> "OffsetMap":
        """Map derived -> base's derived -> base's original (``base`` None: the identity)."""
        if base is None:
            return self
        b = OffsetMapBuilder()
        bstarts, n = base.starts, len(base.starts)
        for t0, ln, o0 in self.runs():
            if o0 is None:
                b.add(ln, None)
                continue
            pos, end = o0, o0 + ln
            i = max(bisect_right(bstarts, pos) - 1, 0)
            while pos < end:
                run_end = bstarts[i + 1] if i + 1 < n else max(base.length, end)
                piece_end = min(end, run_end)
                bo = base.origins[i]
                b.add(piece_end - pos, None if bo < 0 else bo + (pos - bstarts[i]))
                pos = piece_end
                i += 1
                if i >= n:  # past the base's last run: keep extending it
                    i = n - 1
        return b.build()

    def __repr__(self) -> str:
        return f"OffsetMap(runs={len(self.starts)}, length={self.length})"


class OffsetMapBuilder:
    """Builds an OffsetMap piece by piece; contiguous pieces merge into one run."""

    __slots__ = ("_starts", "_origins", "_length", "_next_origin")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._length = 0
        self._next_origin: int | None = None  # the origin that would continue the last run

    def add(self, length: int, origin: int | None) -> None:
        """Append ``length`` derived characters that map to ``origin``, ``origin + 1``, ... (None: synthetic)."""
        if length <= 0:
            return
        o = -1 if origin is None else origin
        if self._starts and (
            (o < 0 and self._origins[-1] < 0) or (o >= 0 and self._next_origin is not None and o == self._next_origin)
        ):
            pass  # continues the last run
        else:
            self._starts.append(self._length)
            self._origins.append(o)
        self._length += length
        self._next_origin = None if o < 0 else o + length

    @property
    def length(self) -> int:
        return self._length

    def build(self) -> OffsetMap:
        return OffsetMap(tuple(self._starts), tuple(self._origins), self._length)


@dataclass(frozen=True)
class SourceDocument:
    """One document read from a source, ready for ``carextract.extract(doc.text)``.

    ``kind`` is 'plain', 'html', 'feed' (one item of an RSS/Atom feed or of a flattened feed dump) or 'pdf'.
    ``date`` is an ISO date 'YYYY-MM-DD' when the source states one (feed item date, HTML
    article:published_time, PDF creation date), as written (not converted to UTC).

    ``offsets_exact`` is True when ``text`` is exactly ``original[origin_start:origin_start + len(text)]``,
    so an evidence span (start, end) in ``text`` is (start + origin_start, end + origin_start) in the
    decoded original. When it is False, use :meth:`to_original`, which still maps exactly wherever the
    reader kept a map (HTML, plain text with CR/LF line endings, flattened feeds).
    """

    text: str
    kind: str = "plain"
    path: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    offsets_exact: bool = False
    origin_start: int | None = None
    offset_map: OffsetMap | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError(f"text must be str, got {type(self.text).__name__}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.offsets_exact and self.origin_start is None:
            raise ValueError("offsets_exact=True needs origin_start")

    def to_original(self, pos: int, *, end: bool = False) -> int | None:
        """Position in the decoded original of position ``pos`` of ``text`` (0 <= pos <= len(text)).

        ``pos == len(text)`` maps to just after the last character, so end offsets of spans map too. For the
        end of any span pass ``end=True`` (``to_original(ev.end, end=True)``): an end that falls on text the
        reader inserted (the line break after a list item or a paragraph) maps to just after the original
        character before it.
        Returns None where there is no original position:

        * characters the reader inserted: paragraph breaks between HTML blocks, "- " before list items, tabs
          between table cells, the blank line between a feed item's title and its body, the space left for a
          run of collapsed HTML whitespace when the run could not be located;
        * every position of PDF documents and of RSS/Atom XML feed items (the text is rebuilt from parsed
          structures; there is no character-level correspondence to keep);
        * HTML text the aligner could not find in the source (rare: text the parser moved, e.g. stray text
          inside a <table>).

        An HTML entity maps to its '&'; a run of collapsed whitespace maps to its first character.
        """
        n = len(self.text)
        if not 0 <= pos <= n:
            raise IndexError(f"position {pos} outside text of length {n}")
        if end and 0 < pos < n:
            here = self.to_original(pos)
            if here is not None:
                return here
            before = self.to_original(pos - 1)
            return None if before is None else before + 1
        if self.offset_map is not None:
            if pos == n:
                if n == 0:
                    return self.origin_start
                last = self.offset_map.lookup(n - 1)
                return None if last is None else last + 1
            return self.offset_map.lookup(pos)
        if self.offsets_exact and self.origin_start is not None:
            return self.origin_start + pos
        return None

    def span_to_original(self, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) of a non-empty span of ``text`` in the decoded original, or None when either end
        cannot be mapped. The end maps via the span's last character, so it never lands on inserted text."""
        if end <= start:
            raise ValueError(f"empty span ({start}, {end})")
        a = self.to_original(start)
        b = self.to_original(end - 1)
        if a is None or b is None:
            return None
        return a, b + 1


_ISO_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_DMY_RE = re.compile(r"\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def iso_date(value: object) -> str | None:
    """'YYYY-MM-DD' from an ISO 8601 date/time, an RFC 822 date ('Mon, 17 Mar 2025 08:22:28 +0000'),
    '17 March 2025', a PDF date ('D:20250317082228Z'), a date or a datetime; None when not a date.
    The calendar date is the one written (no conversion to UTC)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    s = str(value).strip()
    if not s:
        return None
    if s.startswith("D:") and len(s) >= 10 and s[2:10].isdigit():  # PDF date string
        return _valid(int(s[2:6]), int(s[6:8]), int(s[8:10]))
    m = _ISO_RE.match(s)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        parsed = email.utils.parsedate_tz(s)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed and parsed[0] and parsed[1] and parsed[2]:
        return _valid(parsed[0], parsed[1], parsed[2])
    m = _DMY_RE.match(s)
    if m:
        month = _MONTHS.get(m.group(2)[:3].lower())
        if month:
            return _valid(int(m.group(3)), month, int(m.group(1)))
    return None
