"""Layout: the blocks of a text, with offsets, found in one pass over its lines.

    text -> lines -> blocks (heading, paragraph, list item, key-value line, table)
                  -> tables (rows of cells, the head row, the kind of table)

Tables are looked for only when the text holds a table-like line (a pipe, a tab, a run of spaces inside a
line, or a line of commas), so a text of plain prose pays one scan of a few C-level searches. Every table,
whatever carried it, has one shape: `Table.rows`, each `Row` a list of `Cell`s with offsets into the text
(markup of bold and emphasis, status glyphs and emoji stay in the text but are left out of `Cell.clean`).

Kinds of table read:
- ``pipe``: markdown or plain pipe tables, with or without outer pipes and alignment rows, and pipe tables
  whose rows were broken over lines by a web page copy (cells stay cells, line breaks inside them do not
  end a row while the row has fewer cells than the head);
- ``tab``: tab-separated rows (HTML tables read as text become these);
- ``csv``: comma-separated rows, at least three lines of one count of commas;
- ``fixed``: plain text laid out in columns, a head row over a rule of dashes, '=' or '+', or at least
  three lines whose column gaps line up; cells go to the head's columns by where they sit.

`layout(doc)` is cached on the Document, so every recognizer asking for it shares one pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import Enum
from typing import Iterator

from .grammar import piece

__all__ = ["Block", "Cell", "Layout", "Row", "Table", "layout", "lines"]

# where a table may begin (one scan each, at C speed): a pipe; a tab after a word; two lines running with gaps of
# spaces inside them (not after a sentence's end); a rule; two lines each opening with two commas or semicolons
# close together. Text with none of these has no table, and pays only these scans.
_MARK_PIPE = piece("layout:mark_pipe")
_MARK_TAB = piece("layout:mark_tab")
_MARK_GAPS = piece("layout:mark_gaps")
_MARK_RULE = piece("layout:mark_rule")
_MARK_COMMAS = piece("layout:mark_commas")
_MARK_DASHES = piece("layout:mark_dashes")
_TABLE_MARKS = (  # (the literal a mark needs, looked for first; its pattern)
    ("|", _MARK_PIPE), ("\t", _MARK_TAB), ("  ", _MARK_GAPS), ("", _MARK_RULE), ("", _MARK_COMMAS), (" – ", _MARK_DASHES),
)
_DASH = piece("layout:dash")
_RULE = piece("layout:rule")
_RULE_CHARS = piece("layout:rule_chars")
_GAP = piece("layout:gap")
_MARKS = piece("layout:marks")
_SPACES = re.compile(r"\s+")
_KEY_VALUE = piece("layout:key_value")
_BULLET = piece("layout:bullet")


# a code defined in words: "SC% = overall score", "RI: requires improvement" (a legend line, not a table row)
_DEFINITION = piece("layout:definition")


@dataclass(slots=True)
class Cell:
    start: int
    end: int
    text: str

    @property
    def clean(self) -> str:
        """The cell's words without bold markers, glyphs and emoji, white space collapsed."""
        return _SPACES.sub(" ", _MARKS.sub(" ", self.text)).strip()


class TableKind(str, Enum):
    """How a table's rows are written."""

    PIPE = "pipe"  # markdown or pipe rows: "| Camden | Good | 72 |"
    TAB = "tab"  # tab-separated rows
    CSV = "csv"  # comma- or semicolon-separated rows, quotes respected
    DASH = "dash"  # short fields set apart by dashes: "84% – good – Shropshire"
    FIXED = "fixed"  # fixed-width columns found by alignment


@dataclass(slots=True)
class Row:
    start: int
    end: int
    cells: list[Cell]


@dataclass(slots=True)
class Table:
    kind: TableKind
    rows: list[Row]
    head: int | None = None  # index of the head row in rows (None: no head found)
    start: int = 0
    end: int = 0

    @property
    def body(self) -> list[Row]:
        return self.rows if self.head is None else self.rows[self.head + 1:]

    @property
    def cells(self) -> list[Cell]:
        """Every non-empty cell of the body, in reading order (rows broken over lines read as one stream)."""
        return [c for r in self.body for c in r.cells if c.text]

    @property
    def head_row(self) -> Row | None:
        return None if self.head is None else self.rows[self.head]


@dataclass(slots=True)
class Block:
    kind: str  # heading, paragraph, list_item, key_value, table
    start: int
    end: int
    key: tuple[int, int] | None = None  # key-value lines: the key's span
    value: tuple[int, int] | None = None  # and the value's


_BLANK = " \t\r\f\v\xa0"


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, white space at either end left out (start == end: a blank line)."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        n = len(raw)
        body = raw.strip(_BLANK)
        if body:
            s = pos + n - len(raw.lstrip(_BLANK))
            out.append((s, s + len(body)))
        else:
            out.append((pos, pos))
        pos += n + 1
    return out


def _cells_split(text: str, s: int, e: int, sep: re.Pattern[str]) -> list[Cell]:
    out = []
    pos = s
    for m in sep.finditer(text, s, e):
        out.append(_cell(text, pos, m.start()))
        pos = m.end()
    out.append(_cell(text, pos, e))
    return out


def _cell(text: str, s: int, e: int) -> Cell:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Cell(s, e, text[s:e])


_PIPE = re.compile(r"\|")
_TAB = re.compile(r"\t")
_COMMA = re.compile(r",")
_WORD = re.compile(r"\S+")


def _pipe_cells(text: str, s: int, e: int) -> list[Cell]:
    cells = _cells_split(text, s, e, _PIPE)
    if cells and not cells[0].text and text[s] == "|":
        cells = cells[1:]
    if cells and not cells[-1].text and text[e - 1] == "|":
        cells = cells[:-1]
    return cells


_FIGURE = piece("layout:figure")
_ALIGNMENT = piece("layout:alignment")


def _is_rule(text: str, s: int, e: int) -> bool:
    """A line of dashes, '=' or '+' (a fixed-width table's rule), or a markdown alignment row ('|:--|--:|')."""
    if e - s < 3 or not _RULE.fullmatch(text, s, e):
        return False
    return bool(_RULE_CHARS.search(text, s, e)) or bool(_ALIGNMENT.fullmatch(text, s, e))


def _quoted_cells(text: str, s: int, e: int, sep: str) -> list[Cell] | None:
    """Cells of a comma- or semicolon-separated line, a separator inside double quotes kept in its cell
    (the quotes are left out of the cell); None when a quote is left open."""
    cells = []
    pos = s
    k = s
    quoted = False
    while k < e:
        ch = text[k]
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            cells.append(_unquoted(text, pos, k))
            pos = k + 1
        k += 1
    if quoted:
        return None
    cells.append(_unquoted(text, pos, e))
    return cells


def _unquoted(text: str, s: int, e: int) -> Cell:
    c = _cell(text, s, e)
    if len(c.text) >= 2 and c.text[0] == '"' and c.text[-1] == '"':
        return Cell(c.start + 1, c.end - 1, text[c.start + 1:c.end - 1])
    return c


class Layout:
    """The blocks and tables of one text; each computed on first use."""

    def __init__(self, text: str):
        self.text = text
        self._lines: list[tuple[int, int]] | None = None
        self._tables: list[Table] | None = None
        self._blocks: list[Block] | None = None
        self.tableish = any((not lit or lit in text) and rx.search(text) for lit, rx in _TABLE_MARKS)

    @property
    def lines(self) -> list[tuple[int, int]]:
        if self._lines is None:
            self._lines = lines(self.text)
        return self._lines

    @property
    def tables(self) -> list[Table]:
        if self._tables is None:
            self._tables = self._find_tables() if self.tableish else []
        return self._tables

    @property
    def blocks(self) -> list[Block]:
        if self._blocks is None:
            self._blocks = list(self._find_blocks())
        return self._blocks

    def table_at(self, pos: int) -> Table | None:
        for t in self.tables:
            if t.start <= pos < t.end:
                return t
        return None

    # -- blocks ------------------------------------------------------------------------------------
    def _find_blocks(self) -> Iterator[Block]:
        text = self.text
        spans = [(t.start, t.end) for t in self.tables]
        k = 0
        para: tuple[int, int] | None = None
        for s, e in self.lines:
            while k < len(spans) and spans[k][1] <= s:
                k += 1
            in_table = k < len(spans) and spans[k][0] <= s < spans[k][1]
            if s == e or in_table:
                if para:
                    yield Block("paragraph", *para)
                    para = None
                if in_table and s == spans[k][0]:
                    yield Block("table", *spans[k])
                continue
            b = _BULLET.match(text, s, e)
            kv = _KEY_VALUE.match(text, b.end() if b else s, e)
            line = text[s:e]
            if b:
                kind = "list_item"
            elif kv and len(line) <= 100:
                kind = "key_value"
            elif len(line) <= 90 and line[-1] not in ".!?;,:\"”’" and not line[0].islower():
                kind = "heading"
            else:
                para = (para[0], e) if para else (s, e)
                continue
            if para:
                yield Block("paragraph", *para)
                para = None
            yield Block(kind, s, e, (kv.start(1), kv.end(1)) if kv else None, (kv.start(2), kv.end(2)) if kv else None)
        if para:
            yield Block("paragraph", *para)

    # -- tables ------------------------------------------------------------------------------------
    def _find_tables(self) -> list[Table]:
        text = self.text
        ls = self.lines
        out: list[Table] = []
        starts = [s for s, _ in ls]
        candidates = sorted({bisect_right(starts, m.start()) - 1 for lit, rx in _TABLE_MARKS
                             if not lit or lit in text for m in rx.finditer(text)})
        i = 0
        for k in candidates:
            if k < i:
                continue  # inside the table found last
            i = k
            s, e = ls[i]
            if s == e:
                continue
            found = None
            if "|" in text[s:e]:
                found = self._pipe_table(i)
            if found is None and "\t" in text[s:e]:
                found = self._split_table(i, TableKind.TAB, _TAB, "\t")
            for char in ",;":
                if found is None and text.count(char, s, e) >= 2:
                    found = self._split_table(i, TableKind.CSV, _COMMA, char)
            if found is None and text.count(" – ", s, e) + text.count(" — ", s, e) >= 2:
                found = self._split_table(i, TableKind.DASH, _DASH, " – ")
            if found is None and (_GAP.search(text, s, e) or _is_rule(text, s, e)):
                found = self._fixed_table(i)
            if found is None:
                continue
            table, j = found
            out.append(table)
            i = j
        return out

    def _pipe_table(self, i: int) -> tuple[Table, int] | None:
        """Consecutive lines holding pipes, one row a line. A web page copied as text may break a row's cells
        over several lines: single-cell lines before an alignment rule of w cells are joined into the head,
        and the recognizers read such tables as a stream of cells (`Table.cells`)."""
        text, ls = self.text, self.lines
        rows: list[Row] = []
        head = None
        j = i
        while j < len(ls):
            s, e = ls[j]
            if s == e or "|" not in text[s:e]:
                break
            if _is_rule(text, s, e) and "-" in text[s:e]:
                if rows and head is None:
                    width = len(_pipe_cells(text, s, e))
                    singles = 0
                    while singles < len(rows) and len(rows[-1 - singles].cells) == 1:
                        singles += 1
                    if width > 1 and singles == width and len(rows) == width:
                        cells = [r.cells[0] for r in rows]
                        rows = [Row(rows[0].start, rows[-1].end, cells)]
                    head = len(rows) - 1
                j += 1
                continue
            cells = _pipe_cells(text, s, e)
            if len(cells) < 2 and not (text[s] == "|" or text[e - 1] == "|"):
                break
            rows.append(Row(s, e, cells))
            j += 1
        if len(rows) < 2 and not (rows and head is not None):
            return None
        if head is None and not any(_FIGURE.fullmatch(c.clean) for c in rows[0].cells) \
                and any(_FIGURE.fullmatch(c.clean) for r in rows[1:] for c in r.cells):
            head = 0  # no alignment row: a first row of words over rows of figures is the head
        return Table(TableKind.PIPE, rows, head, rows[0].start, rows[-1].end), j

    def _split_table(self, i: int, kind: TableKind, sep: re.Pattern[str], char: str) -> tuple[Table, int] | None:
        """Tab-separated rows (two lines or more), or comma- or semicolon-separated ones (three lines or more
        with one number of cells, quotes respected)."""
        text, ls = self.text, self.lines
        rows: list[Row] = []
        j = i
        count = None
        while j < len(ls):
            s, e = ls[j]
            if s == e:
                break
            if kind is TableKind.TAB:
                if "\t" not in text[s:e]:
                    break
                cells = _cells_split(text, s, e, sep)
            elif kind is TableKind.DASH:  # "84% – good – Shropshire": short fields set apart by dashes
                cells = _cells_split(text, s, e, sep)
                if len(cells) < 3 or (count is not None and len(cells) != count) or any(len(c.text) > 40 for c in cells):
                    break
                count = len(cells)
            else:
                if _SENTENCE_GAP.search(text[s:e]) or text[e - 1] in ".!?" and " " in text[s:e]:
                    break  # a sentence with commas, not a row
                if _DEFINITION.search(text, s, e):
                    break  # a legend ("CPI = care provision, integration and continuity; P&C = ..."), not a row
                cells = _quoted_cells(text, s, e, char)
                if cells is None or len(cells) < 3 or (count is not None and len(cells) != count) \
                        or any(len(c.text) > 60 or c.text.count(" ") > 7 for c in cells[:-1]) \
                        or len(cells[-1].text) > 160:
                    break  # (a cell of a table is a name or a value, not a clause; the last one may be a note)
                count = len(cells)
            rows.append(Row(s, e, cells))
            j += 1
        if len(rows) < (2 if kind is TableKind.TAB else 3):
            return None
        head = None if any(_FIGURE.fullmatch(c.text) for c in rows[0].cells) else 0  # no head: data from the start
        return Table(kind, rows, head, rows[0].start, rows[-1].end), j

    def _row_cells(self, s: int, e: int) -> list[Cell]:
        """A fixed-width row's cells: split on its last line's gaps; a label begun on lines before joins the
        first cell."""
        text = self.text
        last = text.rfind("\n", s, e) + 1 or s
        while last < e and text[last] in " \t":
            last += 1
        cells = _cells_split(text, last, e, _GAP)
        if last > s and cells:
            cells[0] = Cell(s, cells[0].end, text[s:cells[0].end])
        return cells

    def _on_line(self, c: Cell) -> tuple[int, int]:
        """Where a cell sits on its last line: (first column, end column)."""
        start = max(c.start, self.text.rfind("\n", 0, c.end) + 1)
        line = self.text.rfind("\n", 0, start) + 1
        return start - line, c.end - line

    def _carried_on(self, row: tuple[int, int], s: int, e: int) -> bool:
        """Whether a line with no gap carries on a cell of the row above: it is indented under a later column, or
        the row's first cell ends with a word that runs on ("Barking and", "Kingston upon"), and the line itself
        does not."""
        text = self.text
        line = text[s:e]
        if not line.strip() or _RUNS_ON.search(line) or e - s > 80:
            return False
        indent = s - (text.rfind("\n", 0, s) + 1) + len(line) - len(line.lstrip(" "))
        if indent >= 8:
            # (unless the next line goes on at the same indent: "Equity in experience" over "and outcomes  2" is
            # a label wrapped forward)
            nxt = text.find("\n", e)
            after = text[nxt + 1: text.find("\n", nxt + 1) if text.find("\n", nxt + 1) != -1 else len(text)] \
                if nxt != -1 else ""
            return not after.strip() or len(after) - len(after.lstrip(" ")) != indent
        first = _GAP.search(text, row[0], row[1])
        return first is not None and bool(_RUNS_ON.search(text, row[0], first.start()))

    def _label_start(self, j: int) -> bool:
        """Whether line j is the first part of a label wrapped over lines: short, no gap in it, not a sentence's
        end, and the next line (or the one after) holds a gap."""
        text, ls = self.text, self.lines
        s, e = ls[j]
        if s == e or e - s > 60 or _GAP.search(text, s, e) or text[e - 1] in ".!?:;" or _is_rule(text, s, e):
            return False
        for k in (j + 1, j + 2):
            if k >= len(ls) or ls[k][0] == ls[k][1] or _is_rule(text, *ls[k]):
                return False
            if _GAP.search(text, *ls[k]):
                return True
            if ls[k][1] - ls[k][0] > 60:
                return False
        return False

    def _fixed_table(self, i: int) -> tuple[Table, int] | None:
        """Columns laid out with spaces: a head row (optionally over a rule), then rows whose cells are
        separated by two or more spaces; a rule between rows, a page's running header or a blank line
        inside the table do not end it when the lines after it line up with the head. Two steps: the rows'
        lines (`_fixed_rows`), then each row's cells placed under the head's columns (`_fixed_cells`)."""
        raw, carried, head, j = self._fixed_rows(i)
        if len(raw) < 2 or (head is None and len(raw) < 3):
            return None
        if head is None:
            head = 0
        # the head's columns: where its cells sit on their (last) line
        hs, he = raw[head]
        head_cells = [piece for c in self._row_cells(hs, he) for piece in _codes(self.text, c)]
        if len(head_cells) < 2:
            return None
        cols = [self._on_line(c) for c in head_cells]
        rows = [Row(hs, he, head_cells)]
        rows += [self._fixed_cells(s, e, cols, carried.get(r, ())) for r, (s, e) in enumerate(raw) if r != head]
        rows.sort(key=lambda r: r.start)
        head_index = next(k for k, r in enumerate(rows) if r.start == hs)
        return Table(TableKind.FIXED, rows, head_index, rows[0].start, rows[-1].end), j

    def _fixed_rows(self, i: int) -> tuple[list[tuple[int, int]], dict[int, list[tuple[int, int]]], int | None, int]:
        """From line i: the rows' spans, the lines each row's cells are carried onto, the head row's index (the
        row over the first rule; None without one) and the line after the table."""
        text, ls = self.text, self.lines
        j = i
        raw: list[tuple[int, int]] = []
        carried: dict[int, list[tuple[int, int]]] = {}  # raw row -> the lines its cells are carried onto
        head = None
        prefix = None  # a row's label wrapped over lines: where its first line starts
        if i > 0 and self._label_start(i - 1):
            prefix = ls[i - 1][0]  # the first row's label began on the line before
        while j < len(ls):
            s, e = ls[j]
            if s == e:
                break
            if _is_rule(text, s, e):
                if raw and head is None:
                    head = len(raw) - 1
                j += 1
                continue
            # a cell of the row above carried onto this line ("Barking and" over "Dagenham", an indented
            # "improvement" under "Requires"): it joins that row
            if raw and not _GAP.search(text[s:e].strip()) and self._carried_on(raw[-1], s, e):
                carried.setdefault(len(raw) - 1, []).append((s, e))
                j += 1
                continue
            if not _GAP.search(text, s, e):
                # a label wrapped onto the next line or two ("Care provision, integration and" over "continuity  2")
                if raw and self._label_start(j):
                    prefix = s if prefix is None else prefix
                    j += 1
                    continue
                break
            raw.append((s, e) if prefix is None else (prefix, e))
            prefix = None
            j += 1
        return raw, carried, head, j

    def _fixed_cells(self, s: int, e: int, cols: list, carried) -> Row:
        """The row text[s:e] with each cell under the head column it lines up with, and the cells carried onto
        later lines joined to the cell above them (an empty cell where a column has none)."""
        text = self.text
        placed: list[Cell | None] = [None] * len(cols)
        for c in self._row_cells(s, e):
            k = _column(cols, *self._on_line(c))
            if placed[k] is None:
                placed[k] = c
            else:  # two cells in one column: one cell with the gap inside
                p = placed[k]
                placed[k] = Cell(p.start, c.end, text[p.start:c.end])
        for cs, ce in carried:
            c = _cell(text, cs, ce)
            k = _column(cols, *self._on_line(c))
            p = placed[k]
            # (the cell's words joined across the line break; its span reaches from its first to its last)
            placed[k] = c if p is None else Cell(p.start, c.end, f"{p.text} {c.text}")
            e = ce
        return Row(s, e, [c if c is not None else Cell(e, e, "") for c in placed])


# the last word of a cell that runs on onto the next line: "Barking and", "Kingston upon", "Care provision,"
_SENTENCE_GAP = piece("layout:sentence_gap")  # one sentence ending and the next beginning inside a line
_RUNS_ON = piece("layout:runs_on")
_CODE_WORD = piece("layout:code_word")


def _codes(text: str, c: Cell) -> list[Cell]:
    """A head cell of short codes set one space apart ("S1 S2 S3 ... S9 Overall"): one cell per code."""
    words = list(_WORD.finditer(c.text))
    if len(words) >= 3 and sum(1 for w in words if _CODE_WORD.fullmatch(w.group())) >= 3:
        return [Cell(c.start + w.start(), c.start + w.end(), w.group()) for w in words]
    return [c]


def _column(cols: list[tuple[int, int]], s: int, e: int) -> int:
    """The head column a cell at [s, e) on its line belongs to: the stretch from one head cell's start to the
    next one's that it overlaps most (a right-aligned figure sits under its head's end, a centred one in its
    middle)."""
    best, best_overlap = 0, -1
    for k in range(len(cols)):
        lo = cols[k][0] if k else 0
        hi = cols[k + 1][0] if k + 1 < len(cols) else 10 ** 6
        overlap = min(e, hi) - max(s, lo)
        if overlap > best_overlap:
            best, best_overlap = k, overlap
    return best


def layout(doc) -> Layout:
    """The Layout of a Document (or a str), computed once and cached on the Document."""
    if isinstance(doc, str):
        return Layout(doc)
    memo = doc._memo
    found = memo.get("layout")
    if found is None:
        found = memo["layout"] = Layout(doc.text)
    return found
