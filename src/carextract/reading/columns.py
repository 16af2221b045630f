"""Two columns of text side by side, as a PDF's text comes out when its layout is kept (a magazine page, a report's
two-column list of quality statements), read as one column after the other.

    found = two_columns(text)        # None when no block of lines reads as two columns
    found.text, found.offset_map     # the left column's lines, then the right column's, block by block

A block is a run of lines that all keep a right column starting at one character column: a line holding both
columns has one gap of three spaces or more ending there; a line of the left column alone ends before it; a line of
the right column alone is indented to it; a blank line is a paragraph break in both (and a line where one column
is blank, a break in that column). A block is read as two columns only when at least three of its lines
hold two different pieces of prose (two words of three letters or more on each side of the gap, the left one no
label ending in ':', the right one not opening with a figure), so a table laid out with spaces (short cells, several gaps to a line, figures) is left as it is. Every character of the result is a
character of the text or an inserted line break, so evidence maps back exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import OffsetMap, OffsetMapBuilder

__all__ = ["Columns", "two_columns"]

_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")
_WORD = re.compile(r"[A-Za-z]{3,}")
_SLACK = 2  # how far a line's right column may start from the block's
_ANCHORS = 3  # lines holding prose on both sides that make a block two columns


@dataclass(frozen=True)
class Columns:
    text: str
    offset_map: OffsetMap


@dataclass(frozen=True)
class _Line:
    start: int  # position of the line in the text
    end: int
    left: tuple[int, int] | None  # (start, end) positions of its left-column piece
    right: tuple[int, int] | None
    column: int  # the character column where its right piece starts (-1: none)
    anchor: bool


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _prose(piece: str) -> bool:
    return len(_WORD.findall(piece)) >= 2


def _split(text: str, s: int, e: int) -> _Line:
    """A line's pieces when it has one wide gap, else the line as a left piece (or a right piece when indented)."""
    line = text[s:e]
    stripped = line.rstrip()
    if not stripped.strip():
        return _Line(s, e, None, None, -1, False)
    gaps = list(_GAP.finditer(stripped))
    lead = len(stripped) - len(stripped.lstrip(" "))
    if lead >= 12 and not gaps:  # indented: the right column alone
        return _Line(s, e, None, (s + lead, s + len(stripped)), lead, False)
    if len(gaps) != 1:
        return _Line(s, e, (s + lead, s + len(stripped)), None, -1, False)
    g = gaps[0]
    left, right = stripped[lead:g.start()], stripped[g.end():]
    # (a table row's value starts with a figure: "Assessing needs      4 – Exceptional standard")
    # (nor is a key-value line's: "Subject Heading:          Care Quality Commission Assessment")
    anchor = lead < 4 and _prose(left) and _prose(right) and not right[0].isdigit() and not left.endswith(":")
    return _Line(s, e, (s + lead, s + g.start()), (s + g.end(), s + len(stripped)), g.end(), anchor)


def _fits(line: _Line, column: int) -> bool:
    """Whether a line can belong to a block whose right column starts at `column`."""
    if line.left is None and line.right is None:
        return True  # a blank line: a paragraph break in either column (trimmed from the block's ends)
    if line.right is not None:
        return abs(line.column - column) <= _SLACK
    return line.left is not None and line.left[1] - line.start <= column - _SLACK - 1  # ends before the column


def _blocks(text: str, lines: list[_Line]) -> list[tuple[int, int]]:
    """(first, last + 1) line indices of the blocks read as two columns."""
    out = []
    i = floor = 0  # (a block reaches back no further than the last one's end: each line is read back once)
    while i < len(lines):
        if not lines[i].anchor:
            i += 1
            continue
        column = lines[i].column
        lo = i
        while lo > floor and _fits(lines[lo - 1], column):
            lo -= 1
        hi = i + 1
        while hi < len(lines) and _fits(lines[hi], column):
            hi += 1
        # lines of the left column alone at either end are the text around the block ("Summary of people's
        # experiences" under a two-column list), not its left column
        # (unless the left column's last line runs on into them: 'said: "Our plan is' then 'already under way."')
        while lines[lo].right is None:
            lo += 1
        end = hi
        hi = max(k for k in range(lo, end) if lines[k].right is not None) + 1
        last = next((lines[k].left for k in range(hi - 1, lo - 1, -1) if lines[k].left is not None), None)
        while hi < end and lines[hi].left is not None and last is not None and _runs_on(text, last):
            last = lines[hi].left
            hi += 1
        # (a table's column of values repeats itself: "Requires improvement" on line after line)
        pieces = {text[ln.right[0]:ln.right[1]] for ln in lines[lo:hi] if ln.anchor and abs(ln.column - column) <= _SLACK}
        if len(pieces) >= _ANCHORS:
            out.append((lo, hi))
        i = floor = hi
    return out


def _runs_on(text: str, piece: tuple[int, int]) -> bool:
    """Whether a left column's piece stops mid-sentence (ends with a letter or a comma)."""
    return text[piece[1] - 1].isalpha() or text[piece[1] - 1] == ","


def two_columns(text: str) -> Columns | None:
    """The text with each two-column block read left column first, or None when it has no such block."""
    if "   " not in text:
        return None
    spans = _lines(text)
    lines = [_split(text, s, e) for s, e in spans]
    blocks = _blocks(text, lines)
    if not blocks:
        return None
    b = OffsetMapBuilder()
    parts: list[str] = []
    pos = 0
    for lo, hi in blocks:
        start = lines[lo].start
        if start > pos:
            parts.append(text[pos:start])
            b.add(start - pos, pos)
        # each column's pieces, None where the column is blank on a line (its paragraph breaks are kept)
        pieces = [ln.left for ln in lines[lo:hi]] + [None] + [ln.right for ln in lines[lo:hi]]
        first = True
        blank = False
        for piece in pieces:
            if piece is None:
                blank = not first
                continue
            if not first:
                parts.append("\n\n" if blank else "\n")
                b.add(2 if blank else 1, None)
            s, e = piece
            parts.append(text[s:e])
            b.add(e - s, s)
            first = blank = False
        end = lines[hi - 1].end
        pos = end  # the block's last line break (if any) follows as ordinary text
    if pos < len(text):
        parts.append(text[pos:])
        b.add(len(text) - pos, pos)
    return Columns("".join(parts), b.build())
