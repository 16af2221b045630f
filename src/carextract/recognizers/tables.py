"""Tables of ratings, scores and statement scores -> mentions attributed to the row's (or column's) council.

Reads every table `layout.py` finds (pipe, tab, comma or fixed-width; HTML tables arrive as tab rows), in
three orientations:

- councils as rows: the column holding council names gives each row its council; that row's rating,
  overall score and statement scores go to it (`attrs["council"]`). A row whose council is only
  "awaiting assessment" or "not yet published" makes nothing; rows naming no council (England average,
  a region, totals) make nothing.
- councils as columns: a head row of council names; each row is labelled by a statement, "Rating" or
  "Score", and each column's cells go to its council.
- one council's table: rows labelled by statements (or "Overall rating", "Score"), the value in another
  cell; attributed as prose is (to the document's council).

Column heads are read as statement names (full or short: "Equity", "Safe pathways"), codes defined by a
legend in the text ("Columns: S1 Assessing needs ...", "AN = Assessing needs", "Assessing needs (AN)"), or
S1-S9 / QS1-QS9 in CQC's order. Cells are read as rating words or codes (RI, R/I, Req. Imp., Outst., Inad.,
and codes a "Key:" defines), scores (68, 68%, 68/100) and statement scores (1-4, "3/4", "3 - good
standard", and the words of LABELLING.md: exceptional standard / outstanding 4, good standard / good 3, some
shortfalls / requires improvement 2, significant shortfalls / inadequate 1).

Each understood table also yields `layout_claim` mentions over its rows, so that the prose recognizers'
readings of the same cells (which know nothing of columns) are set aside by the pipeline.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache, lru_cache

from ..grammar import piece
from ..layout import _MARKS, Cell, Row, Table, layout
from ..mentions import Kind, Mention
from ..segment import Document
from ..vocab import councils, statements
from .councils import _lexicon

ORDER = ("assessing_needs", "supporting_healthier_lives", "equity_in_experience", "care_provision_integration",
         "partnerships_communities", "safe_pathways", "safeguarding", "governance_management",
         "learning_improvement_innovation")

_CODE = piece("tables:code")
# a numbered statement head followed by a short name: "QS1 Assess", "QS4 Care prov", "S7 Safeg"
_CODE_LED = piece("tables:code_led")
_RATING_WORDS = {
    "outstanding": "outstanding", "outst": "outstanding", "outst.": "outstanding", "out.": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement", "require improvement": "requires_improvement",
    "requires improvements": "requires_improvement", "requiring improvement": "requires_improvement",
    "ri": "requires_improvement", "r/i": "requires_improvement", "r.i.": "requires_improvement",
    "r.i": "requires_improvement", "req. imp.": "requires_improvement", "req imp": "requires_improvement",
    "req. imp": "requires_improvement", "req.imp.": "requires_improvement", "req. improvement": "requires_improvement",
    "requires imp.": "requires_improvement", "req improvement": "requires_improvement",
    "inadequate": "inadequate", "inad.": "inadequate", "inad": "inadequate",
}
# LABELLING.md: statement scores written in words
_WORDS_4 = piece("tables:words_4")
_WORDS_3 = piece("tables:words_3")
_WORDS_2 = piece("tables:words_2")
_WORDS_1 = piece("tables:words_1")
_STATEMENT_WORDS = [(_WORDS_4, 4), (_WORDS_3, 3), (_WORDS_2, 2), (_WORDS_1, 1)]
_STATEMENT_NUMBER = piece("tables:statement_number")
_SCORE_NUMBER = piece("tables:score_number")
_ARROW = piece("tables:arrow")
_PERCENT_IN = piece("tables:percent_in")
_STARS = piece("tables:stars")
_AWAITING = piece("tables:awaiting")
_SPACES = re.compile(r"\s+")
_LEGEND_REACH = 6000  # characters before and after a table within which its legend is looked for
_HEAD_COUNCIL = piece("tables:head_council")
_HEAD_RATING = piece("tables:head_rating")
_HEAD_SCORE = piece("tables:head_score")
# between a code and the words that define it: "AN = Assessing needs", "AN: assessing needs", "P&C =⏎partnerships"
_DEFINES = piece("tables:defines")
# what follows a head code in a legend that defines it as the overall rating or score
_DEFINED_ROLE = piece("tables:defined_role")
# a head over cells that each hold the nine statements' scores ("Statement scores (QS1-QS9)", "QS scores")
_HEAD_ALL_STATEMENTS = piece("tables:head_all_statements")
_NINE_SCORES = piece("tables:nine_scores")
_HEAD_SKIP = piece("tables:head_skip")
_HEAD_OTHER = piece("tables:head_other")
# a column of the council's own view of itself: "Our self-rating", "Self-assessed score" ("Our score" on a council's
# page is the CQC's score it was given)
_HEAD_SELF = piece("tables:head_self")
_ONS = piece("tables:ons")
_LABEL_RATING = piece("tables:label_rating")
_LABEL_SCORE = piece("tables:label_score")
_DENIED = piece("tables:denied")  # after a rating word in a cell: "Good? not yet"
_STATEMENT_CODE = piece("tables:statement_code")  # a head code a legend may define as a statement
_ROLE_CODE = piece("tables:role_code")  # a head code a legend may define as the rating or score
_RATING_CODE = piece("tables:rating_code")  # a cell code a key may define as a rating
_OPEN_BRACKET_END = piece("tables:open_bracket_end")  # "Assessing needs (" before a code the bracket defines
# what a key says a rating code stands for: "RI = requires improvement", "G: good"
_DEFINED_RATING = piece("tables:defined_rating")
_PERCENT_HEAD = piece("tables:percent_head")  # a statement's head that is a percentage's, not a 1-4 score's
_SCORE_HEAD = piece("tables:score_head")
_SHORT_CODE = piece("tables:short_code")  # one of nine undefined short head codes
_BRACKETED = piece("tables:bracketed")
_PERCENT_CELL = piece("tables:percent_cell")
_NON_COUNCIL = piece("tables:non_council")


@cache
def _statement_rx() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every statement's full names (statements.json), then their short labels (the grammar
    pieces "tables:label_<statement id>"): the first alternative that matches at the earliest place names the
    statement."""
    parts, groups = [], {}
    for sid, st in statements().items():
        groups[f"f{len(parts)}"] = sid
        parts.append(f"(?P<f{len(parts)}>\\b(?:" + "|".join(st["patterns"]) + "))")
    for sid in ORDER:
        pat = piece(f"tables:label_{sid}").pattern
        groups[f"f{len(parts)}"] = sid
        parts.append(f"(?P<f{len(parts)}>{pat})")
    return re.compile("|".join(parts), re.I), groups


@lru_cache(maxsize=4096)
def statement_of_label(label: str) -> str | None:
    """The statement a short label names: a full or short name ('Equity', 'Safe pathways'), or None."""
    if not label or len(label) > 130:  # (a label wrapped over two lines may carry its theme's name)
        return None
    rx, groups = _statement_rx()
    m = rx.search(label)
    return groups[m.lastgroup] if m else None


def _plain(s: str) -> str:
    """Lower case, glyphs, emoji and bold markers left out, white space collapsed, edge punctuation gone."""
    return " ".join(_MARKS.sub(" ", s).lower().split()).strip(" .:;,-–—()[]")


def rating_of(cell: str, key: dict[str, str] | None = None) -> str | None:
    """A cell's rating: a rating word or a common or legend-defined code at its start, else None."""
    arrow = _ARROW.split(cell)
    if len(arrow) > 1 and arrow[-1].strip():
        return rating_of(arrow[-1], key)  # "RI → Good": the rating it moved to
    p = _plain(cell)
    if not p:
        return None
        for code, value in key.items():
            if p == code or p.startswith(code + " "):
                return value
    if p in _RATING_WORDS:
        return _RATING_WORDS[p]
    for word in ("requires improvement", "require improvement", "requiring improvement", "outstanding",
                 "inadequate", "good"):
        if p.startswith(word) and (len(p) == len(word) or not p[len(word)].isalpha()):
            if _DENIED.match(p[len(word):]):
                return None  # "Good? not yet"
            return _RATING_WORDS[word]  # "Good (was RI)", "Good ↓": good
    first = p.split(" ")[0]
    return _RATING_WORDS.get(first) if first in ("ri", "r/i", "r.i.", "inad.", "outst.") else None


def statement_score_of(cell: str, key: dict[str, str] | None = None) -> int | None:
    """A statement cell's score: 1-4 (with '/4' or a descriptor after it), stars, or the words of
    LABELLING.md; None when the cell holds none of them."""
    c = cell.strip().replace("*", "").strip()
    if not c:
        return None
    m = _STATEMENT_NUMBER.match(c)
    if m:
        return int(m.group(1))
    if c[0].isdigit():
        return None
    stars = _STARS.fullmatch(c.replace(" ", ""))
    if stars:
        return len(stars.group())
    p = _plain(cell)
    if key and p in key:
        return {"outstanding": 4, "good": 3, "requires_improvement": 2, "inadequate": 1}[key[p]]
    for rx, score in _STATEMENT_WORDS:
        if rx.fullmatch(p):
            return score
    return None


def score_of(cell: str) -> int | None:
    m = _SCORE_NUMBER.match(_plain(cell))
    if not m:
        return None
    v = float(m.group(1))
    return int(round(v)) if 10 <= v <= 100 and v == int(v) else None


def _councils_in(text: str, start: int, end: int) -> list[str]:
    """The councils a cell names: by name, or by ONS code ("E08000010")."""
    pattern, form_to_code = _lexicon()[0], _lexicon()[1]
    found = [form_to_code[m.group()] for m in pattern.finditer(text, start, end)]
    if not found and "E" in text[start:end]:
        table = councils()
        found = [m.group() for m in _ONS.finditer(text, start, end) if m.group() in table]
    return found


class _Legend:
    """Codes the text defines for table heads and cells, looked for only when a table needs them."""

    def __init__(self, text: str, tables: list[Table]):
        self.text = text
        self.tables = tables
        self._starts = [t.start for t in tables]
        self._codes: dict[tuple, str | None] = {}
        self.lo, self.hi = 0, len(text)

    def near(self, t: Table) -> "_Legend":
        """Look for definitions only within _LEGEND_REACH characters of table t (a legend stands by its table; a
        text of many tables is not searched whole once per table and code)."""
        self.lo, self.hi = max(0, t.start - _LEGEND_REACH), min(len(self.text), t.end + _LEGEND_REACH)
        return self

    def _outside(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i < 0 or not pos < self.tables[i].end

    def statement(self, code: str) -> str | None:
        key = ("s", code, self.lo, self.hi)
        if key not in self._codes:
            self._codes[key] = self._find_statement(code)
        return self._codes[key]

    def _find_statement(self, code: str) -> str | None:
        if not _STATEMENT_CODE.fullmatch(code) or rating_of(code) or code.islower():
            return None  # a code is short and not a word of the text's own ("Good", "score")
        esc = re.escape(code)
        text = self.text
        # "S1 Assessing needs", "AN = Assessing needs", "AN: assessing needs", "Assessing needs (AN)"
        for m in re.compile(r"(?<![\w/])" + esc + r"(?![\w/])").finditer(text, self.lo, self.hi):
            if not self._outside(m.start()):
                continue
            after = text[m.end():m.end() + 80]
            lead = _DEFINES.match(after)
            rest = after[lead.end():]
            sid = _leading_statement(rest)
            if sid:
                return sid
            before = text[max(0, m.start() - 80):m.start()]
            if _OPEN_BRACKET_END.search(before):
                sid = _trailing_statement(before[:before.rfind("(")])
                if sid:
                    return sid
        return None

    def rating(self, code: str) -> str | None:
        key = ("r", code, self.lo, self.hi)
        if key not in self._codes:
            self._codes[key] = self._find_rating(code)
        return self._codes[key]

    def role(self, code: str) -> str | None:
        """'rating' or 'score' for a head code the text defines as the overall rating or score ("RTG = overall
        rating", "SC% = overall score")."""
        key = ("h", code, self.lo, self.hi)
        if key not in self._codes:
            self._codes[key] = self._find_role(code)
        return self._codes[key]

    def _find_role(self, code: str) -> str | None:
        if not _ROLE_CODE.fullmatch(code) or code.islower():
            return None
        for m in re.compile(r"(?<![\w/])" + re.escape(code) + r"(?![\w/%])").finditer(self.text, self.lo, self.hi):
            if not self._outside(m.start()):
                continue
            w = _DEFINED_ROLE.match(self.text, m.end())
            if w:
                return "rating" if w.group(1).lower().startswith("rat") else "score"
        return None

    def _find_rating(self, code: str) -> str | None:
        if not _RATING_CODE.fullmatch(code):
            return None
        for m in re.compile(r"(?<![\w/])" + re.escape(code) + r"(?![\w/])", re.I).finditer(self.text, self.lo, self.hi):
            if not self._outside(m.start()):
                continue
            after = self.text[m.end():m.end() + 40]
            w = _DEFINED_RATING.match(after)
            if w:
                return rating_of(w.group(1))
        return None


def _leading_statement(s: str) -> str | None:
    for sid, st in statements().items():
        m = re.match(r"(?:" + "|".join(st["patterns"]) + r")", s, re.I)
        if m:
            return sid
    return None


def _trailing_statement(s: str) -> str | None:
    for sid, st in statements().items():
        if re.search(r"(?:" + "|".join(st["patterns"]) + r")\s*$", s, re.I):
            return sid
    return None


class _Columns:
    """What each column of a table holds: council, rating, score, a statement, or nothing known."""

    def _from_cells(self, table: Table) -> None:
        """A table with no head: a column of percentages beside a column of ratings holds the scores."""
        width = max(len(r.cells) for r in table.rows)
        columns = [[r.cells[k].clean for r in table.rows if k < len(r.cells) and r.cells[k].text] for k in range(width)]
        rated = any(cells and sum(1 for c in cells if rating_of(c)) * 2 >= len(cells) for cells in columns)
        if rated:
            for k, cells in enumerate(columns):
                if _percent_column(cells):
                    self.role[k] = "score"

    def __init__(self, table: Table, legend: _Legend):
        self.role: dict[int, str] = {}
        head = table.head_row
        if head is None:
            self._from_cells(table)
            return
        for k, c in enumerate(head.cells):
            label = _label(c)
            if not label:
                continue
            sid = statement_of_label(label)
            if sid is None:
                code = _CODE.fullmatch(label.replace(" ", "")) or _CODE_LED.match(label)
                defined = legend.statement(label) if len(label) <= 7 else None
                if defined:
                    sid = defined
                elif code and (len(label) <= 4 or _CODE_LED.match(label)):
                    sid = ORDER[int(code.group(1)) - 1]
            defined_role = legend.role(label) if sid is None and len(label) <= 7 else None
            if defined_role and not any(rx.search(label) for rx in (_HEAD_RATING, _HEAD_SCORE, _HEAD_COUNCIL)):
                self.role[k] = defined_role
            elif _HEAD_SELF.search(label):
                self.role[k] = "self"  # the council's own view of itself: no CQC score
            elif _HEAD_OTHER.search(label):
                self.role[k] = "skip"  # "Previous rating", "England average", "Change in score"
            elif sid is None and _HEAD_ALL_STATEMENTS.search(label):
                self.role[k] = "nine"  # "Statement scores (QS1-QS9)": each cell "3-3-2-3-3-2-3-2-3"
            elif sid is not None and not _HEAD_RATING.search(label) and not _PERCENT_HEAD.search(label):
                self.role[k] = "s:" + sid
            elif _HEAD_SKIP.search(label) and not _HEAD_RATING.search(label) and not _HEAD_SCORE.search(label):
                self.role[k] = "skip"
            elif _HEAD_RATING.search(label) and not _SCORE_HEAD.search(label):
                self.role[k] = "rating"
            elif _HEAD_SCORE.search(label):
                self.role[k] = "score"
            elif _HEAD_COUNCIL.search(label):
                self.role[k] = "council"
        # nine short codes in a row that nothing defines: the nine statements in CQC's order
        unknown = [k for k, c in enumerate(head.cells) if k not in self.role and _SHORT_CODE.fullmatch(c.clean)]
        for start in range(len(unknown) - 8):
            run = unknown[start:start + 9]
            if run[-1] - run[0] == 8:
                for n, k in enumerate(run):
                    self.role[k] = "s:" + ORDER[n]
                break


_OTHER_SUBJECT = piece("tables:other_subject")
_COUNCIL_WORDS = piece("tables:council_words")


_PERCENT_LEAD = piece("tables:percent_lead")
# a head that names the council's own CQC assessment ('cqc_asc_rating', 'CQC adult social care score')
_OWN_SUBJECT = piece("tables:own_subject")


def _label(cell: Cell) -> str:
    """A head cell's words, snake_case and camel dots read as spaces ('cqc_asc_rating': 'cqc asc rating')."""
    return cell.clean.replace("_", " ")


def _label_role(cell: Cell) -> str | None:
    """'rating' or 'score' for a row label naming the overall rating or score ("Overall rating", "Score (%)"); a label
    joined with the line above it in a fixed-width layout ("Local authority assessment⏎Overall rating") is read by
    its last line too."""
    label = cell.clean
    last = label if "\n" not in cell.text else _SPACES.sub(" ", cell.text.rsplit("\n", 1)[1]).strip()
    if _LABEL_RATING.match(label) or _LABEL_RATING.match(last):
        return "rating"
    if _LABEL_SCORE.match(label) or _LABEL_SCORE.match(last):
        return "score"
    return None


def _only_a_council(text: str, cell: Cell) -> bool:
    """Whether a cell names a council and little else ('Leeds City Council (W Yorks)' yes, 'Barnet Lodge' no)."""
    pattern = _lexicon()[0]
    rest = pattern.sub(" ", cell.clean)
    rest = _BRACKETED.sub(" ", rest)
    return len(_COUNCIL_WORDS.sub("", rest)) <= 3


def _percent_column(cells: list[str]) -> bool:
    return bool(cells) and all(_PERCENT_CELL.fullmatch(c) and 10 <= int(c.rstrip("% ")) <= 100 for c in cells)


def _looks_like_value(label: str) -> bool:
    """'Good', '3 - good standard', 'RI': a cell holding a value, not a label."""
    return rating_of(label) is not None or statement_score_of(label) is not None


def _cell_at(row: Row, k: int) -> Cell | None:
    return row.cells[k] if k < len(row.cells) else None


class TableRecognizer:
    name = "table"

    def __call__(self, doc: Document) -> list[Mention]:
        lay = layout(doc)
        if not lay.tableish:
            return []
        tables = lay.tables
        if not tables:
            return []
        legend = _Legend(doc.text, tables)
        out: list[Mention] = []
        for t in tables:
            found = self._table(doc.text, t, legend.near(t))
            if found or found is None:  # (None: a table of something else, whose ratings are no council's)
                out += found or []
                out.append(Mention(Kind.LAYOUT_CLAIM, t.start, t.end, None, "table:claim"))
        return out

    def _table(self, text: str, t: Table, legend: _Legend) -> list[Mention] | None:
        if len(t.rows) < 2:
            return []
        head = t.head_row
        other = [k for k, c in enumerate(head.cells) if _OTHER_SUBJECT.search(_label(c))] if head is not None else []
        if other and not any(_OWN_SUBJECT.search(_label(c)) for c in head.cells):
            return None  # care homes, providers, children's services: not councils' adult social care
        if head is not None and len({rating_of(c.clean) for c in head.cells if len(c.clean) <= 25} - {None}) >= 3:
            return None  # heads "Outstanding | Good | Requires improvement | Inadequate": shares of things rated each
        cols = _Columns(t, legend)
        for k in other:  # a column of Ofsted's judgements beside the CQC's own: its cells are no outcome here
            cols.role[k] = "skip"
        body = t.body
        # which column names the councils: the head says so, or the one most body cells name councils in
        width = max(len(r.cells) for r in t.rows)
        named = [0] * width
        for r in body:
            for k, c in enumerate(r.cells):
                if c.text and _councils_in(text, c.start, c.end):
                    named[k] += 1
        council_col = next((k for k, v in cols.role.items() if v == "council" and named[k]), None)
        if council_col is None and max(named, default=0) >= 1:
            best = max(range(width), key=lambda k: (named[k], -k))
            if cols.role.get(best, "council") in ("council", "skip") or not cols.role.get(best, "").startswith("s:"):
                council_col = best
        if council_col is not None:
            return self._council_rows(text, t, cols, council_col, legend)
        head = t.head_row
        if head is not None:
            head_councils = {k: _councils_in(text, c.start, c.end) for k, c in enumerate(head.cells)}
            if sum(1 for v in head_councils.values() if v) >= 1 and any(
                    statement_of_label(r.cells[0].clean) or _LABEL_RATING.match(r.cells[0].clean)
                    for r in body if r.cells):
                return self._council_columns(text, t, {k: v[0] for k, v in head_councils.items() if v}, legend)
        return self._one_council(text, t, cols, legend)

    # -- orientations ----------------------------------------------------------------------------------
    def _council_rows(self, text: str, t: Table, cols: _Columns, council_col: int, legend: _Legend) -> list[Mention]:
        out: list[Mention] = []
        for r in t.body:
            cell = _cell_at(r, council_col)
            if cell is None or not cell.text:
                continue
            codes = _councils_in(text, cell.start, cell.end)
            if not codes or _NON_COUNCIL.search(cell.clean) and not cell.clean.lower().startswith(("north", "east")):
                continue
            if not _only_a_council(text, cell):
                continue  # "Barnet Lodge care home": a provider named after its place
            code = codes[0]
            row_text = text[r.start:r.end]
            found: list[Mention] = []
            for k, c in enumerate(r.cells):
                if k == council_col or not c.text:
                    continue
                found += self._value(text, c, cols.role.get(k), code, legend, "row")
            if not any(m.kind == Kind.RATING for m in found) and _AWAITING.search(row_text):
                continue  # awaiting assessment: no entry, whatever else the row holds
            if found and _ONS.fullmatch(cell.clean):  # a council named only by its code: the code names it
                out.append(Mention(Kind.COUNCIL, cell.start, cell.end, code, "table:ons_code",
                                   attrs={"as_written": cell.text}))
            out += found
        return out

    def _council_columns(self, text: str, t: Table, by_col: dict[int, str], legend: _Legend) -> list[Mention]:
        out: list[Mention] = []
        for r in t.body:
            if not r.cells:
                continue
            label = r.cells[0].clean
            sid = statement_of_label(label)
            role = ("s:" + sid) if sid else _label_role(r.cells[0])
            if role is None and len(label) <= 7:
                defined = legend.statement(label)
                role = "s:" + defined if defined else None
            if role is None:
                continue
            for k, code in by_col.items():
                c = _cell_at(r, k)
                if c is not None and c.text:
                    out += self._value(text, c, role, code, legend, "column")
        return out

    def _one_council(self, text: str, t: Table, cols: _Columns, legend: _Legend) -> list[Mention]:
        out: list[Mention] = []
        statement_cols = [k for k, v in cols.role.items() if v.startswith("s:")]
        if len(statement_cols) >= 2:  # statements as columns, one row of scores
            for r in t.body:
                for k in statement_cols:
                    c = _cell_at(r, k)
                    if c is not None and c.text:
                        out += self._value(text, c, cols.role[k], None, legend, "single")
            return out
        # a statement's (or the rating's, the score's) label, its value in one of the next two cells (not in a
        # column whose head says it holds something else: "Our self-rating", "England average")
        stream = [c for r in t.rows for k, c in enumerate(r.cells) if c.text and cols.role.get(k) != "self"]
        k = 0
        while k < len(stream):
            label = stream[k].clean
            sid = statement_of_label(label) if not _looks_like_value(label) else None
            role = ("s:" + sid) if sid else _label_role(stream[k])
            if role is None:
                k += 1
                continue
            for c in stream[k + 1:k + 3]:
                if statement_of_label(c.clean) and not _looks_like_value(c.clean):
                    break
                found = self._value(text, c, role, None, legend, "single")
                if found:
                    for m in found:
                        m.start = stream[k].start  # the evidence reads from the label to the value
                    out += found
                    break
            k += 1
        return out

    # -- cells -----------------------------------------------------------------------------------------
    def _value(self, text: str, c: Cell, role: str | None, code: str | None, legend: _Legend,
               how: str) -> list[Mention]:
        attrs = {"council": code} if code else {}
        clean = c.clean
        if role is None or role == "rating":
            value = rating_of(c.text) or (legend.rating(clean) if role == "rating" and len(clean) <= 10 else None)
            lead = _PERCENT_LEAD.match(c.text) if value is None else None
            if lead:  # "53% Requires improvement": the score, then the rating
                value = rating_of(c.text[lead.end():])
            if value:
                found = [Mention(Kind.RATING, c.start, c.end, value, f"table:{how}_rating", attrs=dict(attrs))]
                pct = _PERCENT_IN.search(c.text)  # "Good (66%)", "53% Requires improvement"
                g = (1 if pct.group(1) else 2) if pct else 0
                if pct and 10 <= int(pct.group(g)) <= 100:
                    found.append(Mention(Kind.SCORE, c.start + pct.start(g), c.start + pct.end(g), int(pct.group(g)),
                                         f"table:{how}_score", attrs=dict(attrs)))
                return found
            if role == "rating":
                return []
        if role == "score" or role is None:
            value = score_of(clean)
            if value is not None and role == "score":  # (a percentage under another head is some measure)
                return [Mention(Kind.SCORE, c.start, c.end, value, f"table:{how}_score", attrs=dict(attrs))]
            return []
        if role == "nine":  # nine scores in CQC's order in one cell
            nine = _NINE_SCORES.fullmatch(clean)
            if nine is None:
                return []
            digits = [k for k, ch in enumerate(c.text) if ch in "1234"]
            return [Mention(Kind.STATEMENT_SCORE, c.start + k, c.start + k + 1, (ORDER[n], int(c.text[k])),
                            f"table:{how}_nine_statements", attrs=dict(attrs)) for n, k in enumerate(digits)]
        if role.startswith("s:"):
            value = statement_score_of(clean) if clean else None
            if value is None:
                value = statement_score_of(c.text)  # stars
            if value is None and len(clean) <= 10:
                r = legend.rating(clean)
                value = {"outstanding": 4, "good": 3, "requires_improvement": 2, "inadequate": 1}.get(r)
            if value is not None:
                return [Mention(Kind.STATEMENT_SCORE, c.start, c.end, (role[2:], value), f"table:{how}_statement",
                                attrs=dict(attrs))]
        return []
