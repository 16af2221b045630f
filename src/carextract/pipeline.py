"""The one place that assembles the pipeline: Extractor.

    text -> reading view -> segment -> recognizers -> table claims -> resolve overlaps
         -> scope and attribution -> assemble -> consistency warnings

The stages and the passes each makes over the text:
- reading view (reading/view.py): HTML or PDF text given as a string is read into a view with an offset map;
  one look for markup or PDF marks.
- segment (segment.py): sentences, paragraphs, headings, bullets, one pass over the lines; on first use, one
  Aho-Corasick pass finds every literal the rule patterns begin with and every findings cue.
- recognizers (`default_recognizers`, each `Document -> list[Mention]`): councils (one trie-regex scan),
  tallies, ratings and scores (windows around rating words and numbers), statement scores, counts and
  phrases (the sentences naming a statement or counting areas), visits, metrics (sentences with figures),
  findings (clauses of the cue-marked sentences), tables and CQC pages (the lines the layout pass marks).
- `Extractor.mentions`: table claims (a table the layout layer read speaks for its cells) and one precedence
  rule between overlapping mentions (mentions.resolve_overlaps).
- scope and attribution (scope.py, attribution.py): per outcome, bisection over cues and councils' positions.
- assembly: typed results with evidence, one small step per field, and consistency.py's warnings.

`python benchmarks/bench.py --passes` counts the whole-text passes per document by stage (about 25 on the corpus:
attribution and assembly 7, metrics 4, councils 3, statement scores 3, tallies, scores and statement phrases 2
each, visits and findings 1; every other scan reads single sentences or windows).

Each stage is a plain callable; `Extractor.recognizers` lists them in order and can be replaced for
experiments. Nothing here imports scikit-learn or spaCy: extraction needs only the standard library, numpy,
pydantic and pyahocorasick.
"""

from __future__ import annotations

import os
import warnings
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from typing import Any

from . import consistency
from .attribution import DROPPED, Attribution, Attributor
from .errors import InputTypeError
from .findings.recognizer import FindingRecognizer
from .mentions import Kind, Mention, resolve_overlaps
from .recognizers.councils import CouncilRecognizer
from .recognizers.metrics import MetricRecognizer
from .recognizers.ratings import RatingRecognizer
from .recognizers.scores import ScoreRecognizer
from .recognizers.statement_phrases import StatementPhraseRecognizer
from .recognizers.pages import PageRecognizer
from .recognizers.statements import StatementCountRecognizer, StatementScoreRecognizer
from .recognizers.tables import TableRecognizer
from .recognizers.tallies import TallyRecognizer
from .recognizers.visits import VisitRecognizer
from .results import (
    Council, CouncilAssessment, DocumentExtraction, Evidence, ExtractionWarning, Finding, Polarity,
    Rating, SourceInfo, Tally, Visit, failed,
)
from .reading.view import reading_view, remap_evidence
from .segment import Document, segment
from .vocab import councils


def default_recognizers() -> list:
    return [CouncilRecognizer(), TallyRecognizer(), RatingRecognizer(), ScoreRecognizer(),
            StatementScoreRecognizer(), StatementCountRecognizer(), StatementPhraseRecognizer(), VisitRecognizer(),
            MetricRecognizer(), FindingRecognizer(), TableRecognizer(), PageRecognizer()]


def _ev(text: str, m: Mention, field: str | None) -> Evidence:
    """The evidence of a mention: its span of the text and the rule that found it."""
    # built without validation: a mention's offsets are ints and its rule a str already
    return Evidence.built(start=m.start, end=m.end, text=text[m.start:m.end], rule=m.rule, field=field)


def _choose(values: list[tuple[Any, Mention]]) -> tuple[Any, list[Mention], bool]:
    """Most frequent value (first written wins ties), the mentions behind it, and whether others disagreed."""
    counts = Counter(v for v, _ in values)
    first: dict[Any, int] = {}
    for i, (v, _) in enumerate(values):
        first.setdefault(v, i)
    best = max(counts, key=lambda v: (counts[v], -first[v]))
    return best, [m for v, m in values if v == best], len(counts) > 1


def _rating_by_rule(ms: list[Mention]) -> str | None:
    """The rating CQC's rule gives for a council's stated overall score, else for its nine statement scores."""
    scores = [(m.value, m) for m in ms if m.kind == Kind.SCORE]
    if scores:
        return consistency.rating_for_score(_choose(scores)[0]).value
    by_statement: dict[str, int] = {}
    for m in ms:
        if m.kind == Kind.STATEMENT_SCORE:
            by_statement.setdefault(m.value[0], m.value[1])
    computed = consistency.score_from_statements(by_statement)
    return None if computed is None else consistency.rating_for_score(computed).value


class Extractor:
    """Loads the vocabularies and the findings model once; extracts from many texts.

    >>> Extractor().extract("Camden Council was rated outstanding by the CQC.").assessments[0].rating.value
    'outstanding'
    """

    def __init__(self, recognizers: list | None = None):
        self._custom = recognizers is not None
        self.recognizers = recognizers if recognizers is not None else default_recognizers()
        councils()  # load the data files now, not on the first document

    # pickling ships no data: a worker rebuilds the default recognizers from the package's files
    def __reduce__(self):
        return (Extractor, (self.recognizers,) if self._custom else ())

    def extract(self, text: str, *, source: SourceInfo | None = None, keep_text: bool = True) -> DocumentExtraction:
        """Everything in `text` (a str, or a SourceDocument from `carextract.read`, whose title, url and date
        go to `result.source`). The result keeps a reference to the text (`result.text`, for
        `carextract.render(result)`) unless keep_text=False."""
        given = text
        text, source, suspicious = _as_text(text, source)
        view = reading_view(text) if isinstance(given, str) else None  # markup or PDF text given as a string
        doc = segment(view.text if view is not None else text)
        result = self._attribute_and_assemble(doc, self.mentions(doc))
        if view is not None:
            remap_evidence(result, text, view)
            result.text_length = len(text)
        result.source = source
        if suspicious is not None:
            result.warnings.insert(0, suspicious)
        if keep_text:
            result._text = text
        return result

    def mentions(self, doc: Document) -> list[Mention]:
        """Every recognizer's mentions of a segmented text, table rows' claims applied and overlaps resolved:
        the one path from text to mentions, for `extract` and the spaCy 'carextract_mentions' stage alike."""
        mentions: list[Mention] = []
        for recognize in self.recognizers:
            mentions.extend(recognize(doc))
        return resolve_overlaps(_apply_claims(mentions))

    def assemble_mentions(self, text: str, mentions: list[Mention]) -> DocumentExtraction:
        """Attribution and assembly of mentions found elsewhere (the spaCy 'carextract_assemble' stage)."""
        return self._attribute_and_assemble(segment(text), resolve_overlaps(list(mentions)))

    def _attribute_and_assemble(self, doc: Document, mentions: list[Mention]) -> DocumentExtraction:
        council_mentions = [m for m in mentions if m.kind == Kind.COUNCIL]
        references = [m for m in mentions if m.kind == Kind.COUNCIL_REF]
        facts = [m for m in mentions if m.kind not in (Kind.COUNCIL, Kind.COUNCIL_REF)]
        attribution = Attributor(doc, council_mentions, references).attribute(facts)
        return self._assemble(doc, facts, attribution)

    def extract_many(self, texts: Iterable[Any], *, batch_size: int = 64, n_process: int = 1,
                     progress: bool = False, keep_text: bool = True) -> Iterator[DocumentExtraction]:
        """Extract from many texts (str or SourceDocument), streamed in input order.

        One failing document never stops the batch: its result has `error` set. Memory stays bounded
        whatever the number of texts; `n_process` > 1 runs a process pool (see batch.py). Each result
        keeps a reference to its text (for `render(result)`); keep_text=False lets the texts go, so that
        results kept in a list do not hold every text as well.
        """
        from .batch import extract_many

        if not keep_text or n_process == 1:
            results = extract_many(self, texts, batch_size=batch_size, n_process=n_process, progress=progress)
            return results if keep_text else (r.drop_text() for r in results)
        # results come back from worker processes without their texts (pickling leaves them out): the texts
        # handed to the pool wait here, at most the pool's window ahead, and rejoin their results in order
        pending: deque = deque()

        def rejoin(results: Iterator[DocumentExtraction]) -> Iterator[DocumentExtraction]:
            for r in results:
                t = pending.popleft() if pending else None
                if r.error is None and t is not None and len(t) == r.text_length:
                    r._text = t
                yield r

        if isinstance(texts, (str, bytes)) or not isinstance(texts, Iterable):
            return extract_many(self, texts, batch_size=batch_size, n_process=n_process, progress=progress)
        remembered = (_SizedRemembering if hasattr(texts, "__len__") else _Remembering)(texts, pending)
        return rejoin(extract_many(self, remembered, batch_size=batch_size, n_process=n_process, progress=progress))

    # -- assembly ---------------------------------------------------------------------------
    def _assemble(self, doc: Document, facts: list[Mention], attr: Attribution) -> DocumentExtraction:
        text = doc.text
        table = councils()
        per: dict[str, list[Mention]] = {code: [] for code in attr.assessed}
        loose: list[Mention] = []
        for m in facts:
            code = attr.council_of.get(id(m))
            if code in per:
                per[code].append(m)
            elif code is None:
                loose.append(m)
            for other in attr.shared.get(id(m), ()):
                per[other].append(m)
        tallies: dict[tuple, Tally] = {}
        for m in facts:
            if m.kind == Kind.TALLY and attr.council_of.get(id(m)) != DROPPED:
                key = tuple(sorted(m.value.items()))
                if key in tallies:
                    tallies[key].evidence.append(_ev(text, m, "tally"))
                else:
                    tallies[key] = Tally(**m.value, evidence=[_ev(text, m, "tally")])
        result = DocumentExtraction(tallies=list(tallies.values()), text_length=len(text))
        for code in attr.assessed:
            entry = table[code]
            first = attr.first_mention[code]
            a = CouncilAssessment(council=Council(code=code, name=entry.name, short_name=entry.short_name,
                                                  as_written=first.attrs.get("as_written", text[first.start:first.end]),
                                                  region=entry.region, council_type=entry.council_type),
                                  evidence=[_ev(text, first, "council")])
            self._fill(a, text, per[code], attr.tally_ratings.get(code, []), result.warnings)
            result.assessments.append(a)
            result.warnings.extend(consistency.check(a))
        for m in loose:
            if m.kind == Kind.METRIC:
                result.metrics.append(m.value)
            elif m.kind == Kind.FINDING:
                result.sector.append(m.value)
        _polarity_from_figures(result.sector, result.metrics)
        return result

    @staticmethod
    def _fill(a: CouncilAssessment, text: str, ms: list[Mention], named: list[tuple[str, Mention]],
              warnings: list[ExtractionWarning]) -> None:
        """One council's assessment from its mentions: one small function per field (_FILLERS)."""
        for fill in _FILLERS:
            fill(a, text, ms, named, warnings)
        _polarity_from_figures(a.findings, a.metrics)


def _fill_rating(a: CouncilAssessment, text: str, ms: list[Mention], named: list[tuple[str, Mention]],
                 warnings: list[ExtractionWarning]) -> None:
    ratings = [(m.value, m) for m in ms if m.kind == Kind.RATING] + named  # (a tally's named councils too)
    if not ratings:
        return
    value, support, conflict = _choose(ratings)
    basis = _rating_by_rule(ms) if conflict else None
    if basis is not None and basis != value and any(v == basis for v, _ in ratings):
        # two ratings disagree: the one CQC's rule gives for the stated score (or the nine statement
        # scores) wins; the warning below carries the evidence of both
        value, support = basis, [m for v, m in ratings if v == basis]
    a.rating = Rating(value)
    _keep_evidence(a, text, warnings, ("rating", "rating", "conflicting_ratings"), ratings, value, support, conflict)


def _fill_score(a: CouncilAssessment, text: str, ms: list[Mention], named: list[tuple[str, Mention]],
                warnings: list[ExtractionWarning]) -> None:
    scores = [(m.value, m) for m in ms if m.kind == Kind.SCORE]
    if not scores:
        return
    value, support, conflict = _choose(scores)
    a.score = value
    _keep_evidence(a, text, warnings, ("score", "overall score", "conflicting_scores"), scores, value, support, conflict)


def _fill_statements(a: CouncilAssessment, text: str, ms: list[Mention], named: list[tuple[str, Mention]],
                     warnings: list[ExtractionWarning]) -> None:
    by_statement: dict[str, list[tuple[int, Mention]]] = {}
    for m in ms:
        if m.kind == Kind.STATEMENT_SCORE:
            by_statement.setdefault(m.value[0], []).append((m.value[1], m))
    for sid, vals in by_statement.items():
        value, support, conflict = _choose(vals)
        a.quality_statements[sid] = value
        _keep_evidence(a, text, warnings, (f"quality_statements.{sid}", f"score for {sid}", "conflicting_statement_scores"),
                       vals, value, support, conflict)


def _fill_counts(a: CouncilAssessment, text: str, ms: list[Mention], named: list[tuple[str, Mention]],
                 warnings: list[ExtractionWarning]) -> None:
    counts = sorted((m for m in ms if m.kind == Kind.STATEMENT_COUNT), key=lambda m: (-sum(m.value.values()), m.start))
    if not counts:
        return
    # the fullest count, completed by counts of other scores said elsewhere ("The remaining four were 2")
    merged = dict(counts[0].value)
    support = [counts[0]]
    for m in counts[1:]:
        if not set(m.value) & set(merged) and sum(merged.values()) + sum(m.value.values()) <= 9:
            merged.update(m.value)
            support.append(m)
    a.quality_statement_counts = dict(sorted(merged.items(), reverse=True))
    a.evidence += [_ev(text, m, "quality_statement_counts") for m in support]


def _fill_visit(a: CouncilAssessment, text: str, ms: list[Mention], named: list[tuple[str, Mention]],
                warnings: list[ExtractionWarning]) -> None:
    visits = [m for m in ms if m.kind == Kind.VISIT]
    if visits:
        start, end = visits[0].value
        a.visit = Visit(start=start, end=end, evidence=[_ev(text, visits[0], "visit")])


def _fill_metrics_and_findings(a: CouncilAssessment, text: str, ms: list[Mention], named: list[tuple[str, Mention]],
                               warnings: list[ExtractionWarning]) -> None:
    a.metrics = [m.value for m in ms if m.kind == Kind.METRIC]
    seen = set()
    for m in ms:
        if m.kind == Kind.FINDING:
            f: Finding = m.value
            key = (f.polarity, f.theme, m.start, m.end)
            if key not in seen:
                seen.add(key)
                a.findings.append(f)


# assembly, one field at a time (each takes the assessment, the text, the council's mentions, the councils a tally
# names with their ratings, and the result's warnings)
_FILLERS = (_fill_rating, _fill_score, _fill_statements, _fill_counts, _fill_visit, _fill_metrics_and_findings)


def _keep_evidence(a: CouncilAssessment, text: str, warnings: list[ExtractionWarning], names: tuple[str, str, str],
                   values: list[tuple[Any, Mention]], value: Any, support: list[Mention], conflict: bool) -> None:
    """The evidence of the value kept for a field; where the text gave other values too, a warning (`names`: the
    field, how the message calls it, the warning's code) carrying the evidence of every value."""
    field, what, code = names
    a.evidence += [_ev(text, m, field) for m in support]
    if conflict:
        warnings.append(ExtractionWarning(code=code, council=a.council.code, message=_conflict(what, values, value),
                                          evidence=[_ev(text, m, field) for _, m in values]))


def _conflict(what: str, values: list[tuple[Any, Mention]], kept: Any) -> str:
    """'the text gives more than one rating (good, requires_improvement); kept good'."""
    shown = ", ".join(str(getattr(v, "value", v)) for v in dict.fromkeys(v for v, _ in values))
    return f"the text gives more than one {what} ({shown}); kept {getattr(kept, 'value', kept)}"


_CLAIMED = frozenset({Kind.RATING, Kind.SCORE, Kind.STATEMENT_SCORE, Kind.STATEMENT_COUNT})


def _apply_claims(mentions: list[Mention]) -> list[Mention]:
    """A table the layout layer has read claims its rows: the prose recognizers' ratings and scores inside it
    (read without knowing the columns) give way to the cell-by-cell reading; the claims themselves go."""
    claims = sorted((m.start, m.end) for m in mentions if m.kind == Kind.LAYOUT_CLAIM)
    if not claims:
        return mentions
    starts = [s for s, _ in claims]
    out = []
    for m in mentions:
        if m.kind == Kind.LAYOUT_CLAIM:
            continue
        if m.kind in _CLAIMED and not m.rule.startswith(("table:", "page:")):
            i = bisect_left(starts, m.start + 1) - 1
            if i >= 0 and claims[i][0] <= m.start < claims[i][1]:
                continue
        out.append(m)
    return out


def _polarity_from_figures(findings: list[Finding], metrics: list) -> None:
    """A finding whose clause holds a figure compared with a benchmark ("only 19.4% received direct payments,
    against 25.5% nationally") takes its polarity from the comparison, when the measure says which way is
    better: the figures are surer than the words around them."""
    directions = sorted((ev.start, mc.direction) for mc in metrics if mc.direction in ("better", "worse")
                        for ev in mc.evidence if ev.field == "value")
    if not directions:
        return
    starts = [pos for pos, _ in directions]
    for f in findings:
        span = f.evidence[0]
        found = {d for _, d in directions[bisect_left(starts, span.start):bisect_left(starts, span.end)]}
        if len(found) == 1:
            f.polarity = Polarity.STRENGTH if found.pop() == "better" else Polarity.IMPROVEMENT


class _Remembering:
    """Iterates over items, noting each one's text (or None) in `pending` as it is handed on."""

    def __init__(self, items: Iterable[Any], pending: deque):
        self.items, self.pending = items, pending

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            try:
                t = item if isinstance(item, str) else getattr(item, "text", None)
            except Exception:  # noqa: BLE001 - an item whose .text raises fails in the batch, in its place
                t = None
            self.pending.append(t if isinstance(t, str) else None)
            yield item


class _SizedRemembering(_Remembering):
    def __len__(self) -> int:  # so a progress bar knows the total
        return len(self.items)  # type: ignore[arg-type]


_default: Extractor | None = None


def default_extractor() -> Extractor:
    global _default
    if _default is None:
        _default = Extractor()
    return _default


def extract(text: str, *, keep_text: bool = True) -> DocumentExtraction:
    """Extract everything from one text (a str, or a SourceDocument from `carextract.read`) with the default
    Extractor (created on first use)."""
    return default_extractor().extract(text, keep_text=keep_text)


_PATH_LIKE_MAX = 260  # a "text" this short, with no whitespace, that names an existing file is a path by mistake


def _as_text(text: Any, source: SourceInfo | None) -> tuple[str, SourceInfo | None, ExtractionWarning | None]:
    """The text to extract from `text`, the source info to keep, and a warning when the text looks like a
    path given by mistake. A SourceDocument gives its text and its title, url, path and date."""
    if isinstance(text, str):
        if len(text) <= _PATH_LIKE_MAX and text and not any(c.isspace() for c in text):
            return text, source, _path_warning(text)
        return text, source, None
    from .reading.document import SourceDocument

    if isinstance(text, SourceDocument):
        if source is None:
            source = SourceInfo(path=text.path, title=text.title, url=text.url, date=text.date)
        return text.text, source, None
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise InputTypeError(f"text must be a str, got {type(text).__name__}: for the bytes of a file use "
                             "carextract.read(data), which decodes them, and extract each document "
                             "(or its .text)")
    if isinstance(text, os.PathLike):
        raise InputTypeError(f"text must be a str, got {type(text).__name__}: to extract from a file use "
                             "carextract.read(path) and extract each document (or its .text)")
    raise InputTypeError.expected("a str or a SourceDocument", text)


def _caller_level() -> int:
    """The stacklevel of the first frame outside carextract, so a warning names the user's line."""
    import sys

    package = os.path.dirname(__file__)
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.dirname(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _path_warning(text: str) -> ExtractionWarning | None:
    try:
        is_file = os.path.isfile(text)
    except (OSError, ValueError):  # a NUL, a name too long: not a file
        return None
    if not is_file:
        return None
    message = (f"the text {text!r} is the name of an existing file, not its content: to extract from a file use "
               "carextract.read(path) and extract each document (or its .text)")
    warnings.warn(message, UserWarning, stacklevel=_caller_level())
    return ExtractionWarning(code="text_is_a_path", message=message,
                             evidence=[Evidence.built(start=0, end=len(text), text=text, rule="input:path_like",
                                                      field="text")])


__all__ = ["Extractor", "default_extractor", "default_recognizers", "extract", "failed"]
