"""Figures compared with a benchmark: Mention(kind='metric', value=MetricComparison).

Per sentence:
1. quantities (quantities.py) are found; a quantity is a *benchmark* when a
   comparator phrase of metrics.json sits right before it ("the England
   average of 83.7pc", "national average (2.9%)") or right after it ("83.7%
   nationally"), or when it follows "vs"/"compared with" another figure;
2. each benchmark is paired with the nearest unpaired figure before it in the
   sentence (else after it); a sentence that opens with "This"/"It"/"which"
   and holds only a benchmark pairs with the last figure of the sentence
   before ("45pc of carers ... This was worse than the England average of 26.7%");
3. a table row with a figure per column is paired through its header
   ("Measure | Council | England");
4. the metric is the catalogue entry whose cues score highest in the words of
   the comparison; below `min_cue_score` it is `other`.
A sentence with no percentage but a rate "per 100,000" compares its bare
numbers the same way (unit "per 100,000", metric `other`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from ..grammar import piece
from ..mentions import Kind, Mention
from ..quantities import RATE_BASE, Quantity, find_durations, find_quantities, find_rates
from ..results import Comparator, Evidence, MetricComparison
from ..segment import Document
from ..vocab import load_json
from ..trie import literal_starts, scanning

_VS = piece("metrics:vs")
_FIGURE_CELL = piece("metrics:figure_cell")  # a table cell that is only a figure
_VS_WORD = piece("metrics:vs_word")  # "vs" alone between two figures calls the second a benchmark
# a sentence that opens by pointing back, or with the benchmark itself ("The England average is 62.9%.",
# "Nationally, the figure was 80%"), compares the last figure of the sentence before
_ANAPHORA = piece("metrics:anaphora")
_PERIOD = piece("metrics:period")
_SIGNIFICANT = piece("metrics:significant")
_TABLE_SPLIT = piece("metrics:table_split")
_DURATIONS = frozenset({"days", "weeks", "months"})
_TIME_UNIT = piece("metrics:time_unit")
_CELL_BAR = piece("metrics:cell_bar")  # a table row's cell separator
_LABEL_STOP = piece("metrics:label_stop")
_TARGET = piece("metrics:target")
_WINDOW = 70
_CONTEXT = 300
# A figure is compared with a benchmark at most this many characters away (start to start; the corpus's widest
# pair is 217): in a run of thousands of figures each followed by a benchmark phrase, a benchmark pairs within
# its reach, never with a figure at the head of the run, so each pairing step and its window stay bounded.
REACH = 300
_FALLBACK = 1000  # characters before a comparison's window that its sentence-before fallback may add


@dataclass(frozen=True)
class _Benchmark:
    q: Quantity
    comparator: Comparator
    phrase: tuple[int, int]


_NUMBER_CELL = piece("metrics:number_cell")


def _percent_cells(text: str, start: int, end: int) -> list[Quantity]:
    """The numbers of a table row whose measure says it is a percentage ('Older people ... (%) | 88.1 | 84.0'):
    cells holding a bare number, as percentages."""
    row = text[start:end]
    if "|" not in row and "\t" not in row:
        return []
    first = _CELL_BAR.split(row.strip().strip("|"), maxsplit=1)[0]
    if "%" not in first and "per cent" not in first.lower():
        return []
    return [Quantity(m.start(1), m.end(1), float(m.group(1)), "percent", False, False)
            for m in _NUMBER_CELL.finditer(text, start, end)]


def _source_codes(source: str) -> list[str]:
    """Patterns for a measure's ASCOF code(s), as scrutiny reports cite them: 'ASCOF 2B(1)' -> '2B(1)' or
    '2B (1)'; a code without a bracket ('ASCOF 2D') only after the word ASCOF."""
    if not source.startswith("ASCOF "):
        return []
    out = []
    for code in source[len("ASCOF "):].split("/"):
        head, _, rest = code.partition("(")
        if rest:
            out.append(rf"\b{re.escape(head)}\s*\(\s*{re.escape(rest.rstrip(')'))}\s*\)")
        else:
            out.append(rf"\bASCOF\s+(?:measure\s+)?{re.escape(head)}\b")
    return out


@cache
def _catalogue():
    data = load_json("metrics.json")
    metrics = []
    for m in data["metrics"]:
        cues = [(scanning(c, re.IGNORECASE), w) for c, w in m["cues"]]
        cues += [(scanning(c, re.IGNORECASE), data["source_code_weight"]) for c in _source_codes(m.get("source", ""))]
        excludes = [scanning(e, re.IGNORECASE) for e in m.get("excludes", [])]
        metrics.append((m["id"], cues, excludes, m["higher_is_better"], m["unit"]))
    order = ["london", "regional", "comparator_group", "england", "other"]
    comps = [(Comparator(k), scanning(data["comparators"][k], re.IGNORECASE)) for k in order]
    between = piece("metrics:comparator_then_figure").pattern
    before = [(c, re.compile(f"(?:{rx.pattern}){between}", re.IGNORECASE)) for c, rx in comps]
    lead = piece("metrics:figure_then_comparator").pattern
    after = [(c, re.compile(f"{lead}(?:{rx.pattern})", re.IGNORECASE))
             for c, rx in comps if c is not Comparator.OTHER]
    return metrics, comps, before, after, data["min_cue_score"]


@lru_cache(maxsize=4096)
def identify(window: str) -> tuple[str, float]:
    """The catalogue metric whose cues score highest in `window`, or ('other', score). Runs of white space
    count as one space ("a break from\ncaring" in a PDF's wrapped lines)."""
    metrics, _, _, _, min_score = _catalogue()
    window = " ".join(window.split())
    present = _cue_literals_in(window)
    best, best_score = "other", 0.0
    for mid, cues, excludes, _, _ in metrics:
        if any(_may_match(e, present) and e.search(window) for e in excludes):
            continue
        score = sum(w for rx, w in cues if _may_match(rx, present) and rx.search(window))
        if score > best_score:
            best, best_score = mid, score
    return (best, best_score) if best_score >= min_score else ("other", best_score)


@cache
def _cue_literals() -> tuple[dict[re.Pattern[str], frozenset[str]], "ahocorasick.Automaton | None"]:
    """For each cue and exclusion pattern of the catalogue, the lower-cased literals one of which begins every
    match (trie.literal_starts; none known: the pattern is always tried), and one automaton over them all."""
    starts: dict[re.Pattern[str], frozenset[str]] = {}
    for _, cues, excludes, _, _ in _catalogue()[0]:
        for rx in [rx for rx, _ in cues] + excludes:
            found = literal_starts(rx.pattern)
            if found and all(len(f.lower()) == len(f) for f in found):
                starts[rx] = frozenset(f.lower() for f in found)
    literals = sorted(set().union(*starts.values())) if starts else []
    automaton = None
    if literals:
        automaton = ahocorasick.Automaton()
        for lit in literals:
            automaton.add_word(lit, lit)
        automaton.make_automaton()
    return starts, automaton


def _cue_literals_in(window: str) -> frozenset[str]:
    """The cue literals occurring in `window` (lower-cased), from one pass."""
    _, automaton = _cue_literals()
    return frozenset(lit for _, lit in automaton.iter(window.lower())) if automaton is not None else frozenset()


def _may_match(rx: re.Pattern[str], present: frozenset[str]) -> bool:
    """False when none of the literals every match of `rx` begins with occurs in the window."""
    needed = _cue_literals()[0].get(rx)
    return needed is None or not needed.isdisjoint(present)


def _higher_is_better(metric: str) -> bool | None:
    for mid, _, _, hib, _ in _catalogue()[0]:
        if mid == metric:
            return hib
    return None


@cache
def _any_comparator() -> re.Pattern[str]:
    """Any comparator's phrase: where none occurs, no benchmark pattern can match (one search, not seven)."""
    return scanning("|".join(f"(?:{rx.pattern})" for _, rx in _catalogue()[1]), re.IGNORECASE)


def _benchmark(text: str, q: Quantity, sent_start: int, sent_end: int) -> _Benchmark | None:
    _, _, before, after, _ = _catalogue()
    left = text[max(sent_start, q.start - _WINDOW): q.start]
    right = text[q.end: min(sent_end, q.end + 45)]
    if not _any_comparator().search(left) and not _any_comparator().search(right):
        return None
    for comp, rx in (() if _SOURCE.search(left) else before):
        m = rx.search(left)
        if m:
            off = q.start - len(left)
            return _Benchmark(q, comp, (off + m.start(), off + m.end()))
    for comp, rx in after:
        m = rx.search(right)
        if m:
            return _Benchmark(q, comp, (q.end + m.start(), q.end + m.end()))
    return None


# where a figure comes from, not what it is compared with: "According to the latest national figures, 90.4% of ..."
_SOURCE = piece("metrics:source")
_BACK_REFERENCE = piece("metrics:back_reference")
_LABEL_THEN_SUBJECT = piece("metrics:label_then_subject")
_PAST = piece("metrics:past")


def _past(text: str, q: Quantity) -> bool:
    return bool(_PAST.search(text, max(0, q.start - 30), q.start))


def _sentence_comparator(doc: Document, i: int) -> tuple[Comparator, tuple[int, int]] | None:
    for comp, rx in _catalogue()[1]:
        m = doc.search(rx, i)
        if m:
            return comp, m.span()
    return None


def _cell_comparator(cell: str) -> Comparator | None:
    for comp, rx in _catalogue()[1]:
        if rx.search(cell):
            return comp
    return None


class _Figures:
    """A text's figures, found once: every percentage, and durations in the sentences naming a unit of time (a digit
    is everywhere; "week" is not); `of_sentence` gives a sentence's figures, trying percentages, then percent
    table cells, rates and durations."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.percents = [q for q in find_quantities(doc.text, lower=doc.lower) if q.unit == "percent"]
        self.starts = [q.start for q in self.percents]
        self.durations = [q for i in doc.sentences_with(_TIME_UNIT)
                          for q in find_durations(doc.text, doc.sentences[i].start, doc.sentences[i].end)]
        self.duration_starts = [q.start for q in self.durations]

    def of_sentence(self, start: int, end: int) -> list[Quantity]:
        text = self.doc.text
        qs = self.percents[bisect_left(self.starts, start): bisect_left(self.starts, end)]
        return [q for q in qs if q.end <= end] or _percent_cells(text, start, end) or \
            find_rates(text, start, end, lower=self.doc.lower) or \
            [q for q in self.durations[bisect_left(self.duration_starts, start): bisect_left(self.duration_starts, end)]
             if q.end <= end]


def mark_benchmarks(doc: Document, si: int, qs: list[Quantity]) -> dict[int, _Benchmark]:
    """The figures of sentence si that are benchmarks (index into qs -> the benchmark): a figure with a comparator
    phrase ("the England average of 83.7%"), or the second of "71.6% compared with 64.7%" when the sentence names
    the comparator elsewhere; a council's own figure after a labelled benchmark, or its own "average" before a
    named one, is not."""
    text, sent = doc.text, doc.sentences[si]
    marks: dict[int, _Benchmark] = {}
    borrowed: set[int] = set()  # figures whose comparator is named elsewhere in the sentence
    for i, q in enumerate(qs):
        b = _benchmark(text, q, sent.start, sent.end)
        if b is not None and _LABEL_THEN_SUBJECT.match(text, q.end) and \
                text[b.phrase[1] - 2: b.phrase[1]].strip().endswith(":"):
            b = None  # "at roughly the national rate: 47.0% said ..." - the council's own figure
        if b is not None and q.unit in _DURATIONS and b.comparator is Comparator.OTHER and \
                _TARGET.search(text, b.phrase[0], b.phrase[1]):
            b = None  # "down to 9 weeks, and the target is 6 weeks": a goal, not a benchmark
        if b is not None and b.comparator is Comparator.OTHER and not _TARGET.search(text, b.phrase[0], b.phrase[1]):
            # "... in the region, where the average was 37.0%": the sentence names whose average (a target is
            # nobody's average: "surpasses the target of 78% and exceeds the London average")
            found = _sentence_comparator(doc, si)
            if found and found[0] is not Comparator.OTHER:
                b = _Benchmark(q, found[0], found[1])
                borrowed.add(i)
        if b is None and i > 0 and i - 1 not in marks and _VS.match(text[qs[i - 1].end: q.start]):
            # "(10% vs 25%)", "71.6% compared with 64.7%": the benchmark is named elsewhere in the
            # sentence ("than carers nationally"); "vs" alone is enough to call it one
            found = _sentence_comparator(doc, si)
            if found or _VS_WORD.search(text[qs[i - 1].end: q.start]):
                comp, span = found if found else (Comparator.OTHER, (q.start, q.end))
                b = _Benchmark(q, comp, span)
        if b is not None:
            marks[i] = b
    last_of = {b.comparator: j for j, b in sorted(marks.items())}  # each comparator's last benchmark
    for i in [i for i, b in marks.items() if text[b.phrase[1] - 2: b.phrase[1]].strip().endswith(":")
              and "(" not in text[max(sent.start, b.phrase[0] - 2): b.phrase[0] + 1]]:  # ("(England: 83.8%)" is one)
        # "below the national picture: 80.9% of older people ..., compared with 83.7% in England": a
        # figure after a labelled benchmark is the council's own when a later figure is the benchmark
        if last_of[marks[i].comparator] > i:
            del marks[i]
    last_own = {b.comparator: j for j, b in sorted(marks.items()) if j not in borrowed}
    for i in sorted(borrowed):
        # "waited an average of 78 days, against a regional average of 45 days": a bare "average" before a
        # figure that a named benchmark of its own kind follows is the council's own average
        if i in marks and last_own.get(marks[i].comparator, -1) > i:
            del marks[i]
    return marks


class _Pairing:
    """Which figure each benchmark of a sentence compares. One figure may be compared with several benchmarks
    ("86% against London's 84.9% and England's 83.7%"); a past figure ("up from 38% in 2021") is not the one
    compared. The figure before each benchmark, and the first unused one after it, are found in linear time (a
    sentence may hold thousands): a union-find over the figures that are no benchmark."""

    def __init__(self, text: str, qs: list[Quantity], marks: dict[int, _Benchmark]):
        self.qs = qs
        self.before_of: dict[int, int | None] = {}
        last_value = None
        for j in range(len(qs)):
            if j in marks:
                self.before_of[j] = last_value
            elif not _past(text, qs[j]):
                last_value = j
        self.free = [j for j in range(len(qs)) if j not in marks]
        self.skip = list(range(len(self.free) + 1))  # the first unused position at or after each

    def _first_unused(self, k: int) -> int:
        skip = self.skip
        while skip[k] != k:
            skip[k] = skip[skip[k]]
            k = skip[k]
        return k

    def value_for(self, i: int, b: _Benchmark) -> Quantity | None:
        """The figure benchmark i compares, taken so that a later benchmark's search forward passes it by."""
        qs, free = self.qs, self.free
        v_idx = self.before_of[i]
        if v_idx is not None and b.q.start - qs[v_idx].start > REACH:
            v_idx = None  # out of reach: "1% average 1% average ..." pairs neighbours, not the first
        if v_idx is None:
            k = self._first_unused(bisect_left(free, i + 1))
            v_idx = free[k] if k < len(free) and qs[free[k]].start - b.q.start <= REACH else None
        if v_idx is None:
            return None
        k = bisect_left(free, v_idx)
        if k < len(free) and free[k] == v_idx:
            self.skip[k] = k + 1
        return qs[v_idx]


class MetricRecognizer:
    name = "metric"

    def __call__(self, doc: Document) -> list[Mention]:
        """The comparisons of each sentence holding figures, in four steps: find its figures, mark the benchmarks
        among them, pair each benchmark with the figure compared, name the measure (`_mention`)."""
        out: list[Mention] = []
        previous: list[Quantity] = []  # the figures of the sentence before that no benchmark took ("This was ...")
        prev_start = 0
        figures = _Figures(doc)
        last_si = -1
        for si in self._sentences_with_figures(doc, figures.percents, figures.durations):
            sent = doc.sentences[si]
            if si != last_si + 1:  # the sentences between held no figures
                previous, prev_start = [], doc.sentences[si - 1].start
            last_si = si
            qs = figures.of_sentence(sent.start, sent.end)
            if not qs:
                previous, prev_start = [], sent.start
                continue
            table = self._table_row(doc, si, qs)
            if table:
                out.extend(table)
                previous, prev_start = [], sent.start
                continue
            marks = mark_benchmarks(doc, si, qs)
            out.extend(self._pairs(doc, si, qs, marks, previous, prev_start))
            previous, prev_start = [q for j, q in enumerate(qs) if j not in marks], sent.start
        return out

    def _pairs(self, doc: Document, si: int, qs: list[Quantity], marks: dict[int, _Benchmark],
               previous: list[Quantity], prev_start: int) -> list[Mention]:
        """Each benchmark of sentence si with the figure compared: the figure before it, else the first unused one
        after it, else (in "This was ...") the last free figure of the sentence before; then the measure named."""
        text, sent = doc.text, doc.sentences[si]
        out: list[Mention] = []
        last_end = sent.start  # where the previous comparison of this sentence ended
        pick = _Pairing(text, qs, marks)
        for i, b in sorted(marks.items()):
            value_q = pick.value_for(i, b)
            window_start = sent.start
            if value_q is None and previous and _ANAPHORA.match(text, sent.start, sent.end) and \
                    b.q.start - previous[-1].start <= REACH:
                value_q = previous[-1]
                window_start = prev_start
            if value_q is None:
                continue
            # the words of the comparison: its sentence (with the one before for "This was ..."), at most
            # _CONTEXT characters before the figures so that a huge sentence costs no more per figure
            window_start = max(window_start, min(value_q.start, b.q.start) - _CONTEXT)
            if value_q.start >= last_end:  # a second comparison in the sentence speaks of its own measure
                window_start = max(window_start, last_end)
            window_end = min(max(b.q.end, value_q.end) + 40, sent.end)
            # "Some 34.5pc were receiving one": the measure may be named in the sentence before
            back = prev_start if window_start >= sent.start and si > 0 else window_start
            back = max(back, window_start - _FALLBACK)  # (a sentence before of a million characters)
            out.append(self._mention(text, value_q, b, text[window_start:window_end], window_start,
                                     min(sent.end, window_end + 40), fallback=text[back:window_end]))
            last_end = max(b.q.end, value_q.end)
        return out

    @staticmethod
    def _sentences_with_figures(doc: Document, percents: list[Quantity], durations: list[Quantity]) -> list[int]:
        """The sentences that may hold a comparison: those with a percentage, a duration, a table cell (a '|' or
        a tab) or a rate base ('per 100,000'); a sentence with none of them holds no figure to compare."""
        text = doc.text
        places = [q.start for q in percents] + [q.start for q in durations]
        for mark in ("|", "\t"):
            i = text.find(mark)
            while i != -1:
                places.append(i)
                i = text.find(mark, i + 1)
        found = {doc.sentence_at(p) for p in places}
        found.update(doc.sentences_with(RATE_BASE))
        return sorted(i for i in found if i < len(doc.sentences))

    def _mention(self, text: str, v: Quantity, b: _Benchmark, window: str, window_start: int,
                 sent_end: int, fallback: str | None = None) -> Mention:
        metric, _ = identify(window)
        if metric == "other" and fallback is not None and fallback != window and _BACK_REFERENCE.search(window):
            metric, _ = identify(fallback)
        hib = _higher_is_better(metric)
        if v.value == b.q.value:
            direction = "same"
        elif hib is None:
            direction = "higher" if v.value > b.q.value else "lower"
        else:
            direction = "better" if (v.value > b.q.value) == hib else "worse"
        label = self._label(text, v, b, window_start)
        period = _PERIOD.search(text, window_start, sent_end)
        evidence = [
            Evidence(start=v.start, end=v.end, text=text[v.start:v.end], rule="metric:value", field="value"),
            Evidence(start=b.q.start, end=b.q.end, text=text[b.q.start:b.q.end], rule="metric:benchmark",
                     field="comparator_value"),
            Evidence(start=b.phrase[0], end=b.phrase[1], text=text[b.phrase[0]:b.phrase[1]],
                     rule=f"metric:comparator:{b.comparator.value}", field="comparator"),
            Evidence(start=label[0], end=label[1], text=text[label[0]:label[1]], rule=f"metric:measure:{metric}",
                     field="measure"),
        ]
        if v.unit != "percent":
            metric = "other"  # the catalogue's measures are all percentages
        mc = MetricComparison(
            metric=metric, label=text[label[0]:label[1]], value=v.value, unit=v.unit,
            comparator=b.comparator, comparator_value=b.q.value, direction=direction,
            significant=bool(_SIGNIFICANT.search(window)), approximate=v.approximate or b.q.approximate,
            period=(period.group(1) or period.group(2)) if period else None, evidence=evidence)
        start, end = min(v.start, b.q.start), max(v.end, b.q.end)
        return Mention(Kind.METRIC, start, end, mc, f"metric:{metric}", attrs={"number": (v.start, v.end)})

    @staticmethod
    def _label(text: str, v: Quantity, b: _Benchmark, window_start: int) -> tuple[int, int]:
        """The measure as written: the words after the figure up to the comparison, else before it."""
        stop = _LABEL_STOP.search(text[v.end: v.end + 160])
        end = v.end + (stop.start() if stop else min(120, len(text) - v.end))
        s, e = v.end, end
        while s < e and text[s] in " ,.:;":
            s += 1
        while e > s and text[e - 1] in " ,.:;-–":
            e -= 1
        if e - s >= 8:
            return s, e
        s = max(window_start, v.start - 120)
        return s, v.start

    def _table_row(self, doc: Document, si: int, qs: list[Quantity]) -> list[Mention]:
        """A row 'Measure | 41.2% | 36.3%' under a header naming a comparator column."""
        text = doc.text
        sent = doc.sentences[si]
        row = text[sent.start: sent.end]
        if len(qs) < 2 or not _TABLE_SPLIT.search(row) or ("|" not in row and "\t" not in row and "  " not in row):
            return []
        cells = [c for c in _TABLE_SPLIT.split(row) if c]
        if len(cells) < 3:
            return []
        for back in range(1, 15):
            if si - back < 0:
                return []
            h = doc.sentences[si - back]
            header = text[h.start: h.end]
            hcells = [c for c in _TABLE_SPLIT.split(header) if c]
            if all(set(c) <= set("-:=+ ") for c in hcells):  # the rule under a markdown header
                continue
            if len(hcells) != len(cells) or find_quantities(text, h.start, h.end, lower=doc.lower) or \
                    any(_FIGURE_CELL.fullmatch(c) for c in hcells[1:]):
                continue  # a row of figures above (written without '%'), not the head
            comp_cols = []  # a column per benchmark: "Measure | Council | North East | England"
            for ci, cell in enumerate(hcells):
                found = _cell_comparator(cell)
                if found is not None and (found is not Comparator.OTHER or ci > 1):
                    comp_cols.append((ci, found))
            if not comp_cols:
                return []
            q_by_col = {}
            cursor = sent.start
            q_starts = [q.start for q in qs]
            for ci, cell in enumerate(cells):
                pos = text.find(cell, cursor, sent.end)
                cursor = pos + len(cell)
                k = bisect_left(q_starts, pos)  # the first figure in the cell (a row of thousands of cells)
                q_by_col[ci] = qs[k] if k < len(qs) and qs[k].start < cursor else None
            benchmark_cols = {c for c, _ in comp_cols}
            vq = next((q_by_col[c] for c in range(1, len(cells)) if c not in benchmark_cols and q_by_col.get(c)), None)
            out = []
            for col, comparator in comp_cols:
                bq = q_by_col.get(col)
                if bq is not None and vq is not None:
                    out.append(self._mention(text, vq, _Benchmark(bq, comparator, (bq.start, bq.end)), row,
                                             sent.start, sent.end))
            return out
        return []
