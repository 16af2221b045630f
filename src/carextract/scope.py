"""Scope: whether an outcome speaks of a council's own Care Act assessment by the CQC, or of something else.

The same words report a care home's rating, Ofsted's judgement of children's services, a 2008 star rating, a
peer challenge, a mock inspection or a rating still to come. The cues are rule records in
`data/rules/scope.json` (each with its literals, examples and counter-examples).

- An outcome (rating, score, statement score or count) is refused when the nearest clause before it that holds
  a cue opens with an 'other' cue ("A care home run by Bradford Council has been rated inadequate"; "after a
  mock inspection ... judged them to be good"); a council's name counts as an 'own' cue unless it only
  qualifies an 'other' one ("Derby supported living service", "Oldham Council's in-house reablement service"),
  or names a place ("a service in Derby").
  With no cue before it in its sentence, an 'other' cue later in its clause refuses it ("rated the service good
  in all five areas: safe, effective, caring, ..."). A hope or a forecast refuses it wherever it stands in the
  clause ("confident of a good rating when the CQC visits"); an inspectorate named just after it refuses it
  ("rated good by Ofsted"); ", which rated ..." is said by what was named before the comma; an old rating
  followed by a 'modern' cue in the sentence ("once awarded three stars, now rated ... under the Care Act")
  refuses nothing.
- A text whose title or opening sentences are about something else (its *document kind*: a provider, an NHS
  body, children's services, a Welsh or Scottish regulator, an old star rating, a peer challenge, the
  ombudsman, a mock inspection, an assessment still to come, the rating scale), and a section under a heading
  that is ("Scotland", "Care homes"), refuse outcomes in sentences that name no council and hold no 'own' cue
  (a sentence about "the council" is kept in a text about providers, the NHS or the rating scale). Findings
  alone make no assessment in such a text. In a text about children's services, a Welsh or Scottish regulator,
  a peer challenge, the ombudsman, a mock inspection or an assessment still to come, even a named council's
  outcome needs the CQC or an 'own' cue in its sentence. A text about old ratings refuses every outcome whose
  sentence holds no 'modern' cue.
- A line of a block of short lines (a list, or a table set with single spaces) whose first line is a provider's,
  an NHS body's or children's services' head ("Surgery Name Town Rating") is that kind's row: its outcome is
  refused even where it names a council, which is then the row's place.

Cost: the cues are looked for only in the opening sentences and in the sentences of outcomes, each sentence
once, and each cue's pattern only where the sentence holds one of its literals; a text pays for the sentences
that report outcomes, not for its length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import Enum
from functools import cache

from .grammar import piece
from .mentions import Kind, Mention
from .segment import Document
from .trie import first_chars, scanning, trie_regex
from .vocab import load_json

HISTORIC = "historic"  # the category of cues of old ratings (2008 star ratings, the CSCI)
_OPENING = 3  # sentences after the title that say what a text is about
_CLAUSE_BREAK = piece("scope:clause_break")
_AFTER_BREAK = piece("scope:after_break")
_AFTER_REACH = 80
# a council's name that only qualifies what follows: "Derby supported living service", "Oldham Council's in-house"
_QUALIFIER_GAP = piece("scope:qualifier_gap")
_QUALIFIED = frozenset({"provider", "nhs", "children"})
_DATELINE = 60  # characters at the start of a text read as one for a dateline broken over short lines
_BLOCK_REACH = 40  # lines of a block of short lines looked back over for its first line
# kinds of text in which "the council was rated good" may still be the council's own assessment (a page about the
# care market, the rating scale, the NHS); in the others (a peer challenge, a 2008 rating) it is more of the same
_COUNCIL_SENTENCE_KEPT = frozenset({"provider", "scale", "nhs"})
# a body that judges something else, named just after the outcome: "rated good by Ofsted"
_AGENTS = frozenset({"children", "devolved", "peer", "mock", "ombudsman", HISTORIC})
_AGENT_REACH = 25
# kinds of text in which even a named council's outcome must say it is the CQC's or the council's adult social care
_ANOTHER_ASSESSMENT = frozenset({"mock", "peer"})
_NAMED_NEEDS_CUE = frozenset({"children", "devolved", "peer", "ombudsman", "mock", "pending"})
_CQC = piece("scope:cqc")
_RELATIVE = piece("scope:relative")
_PLACE = piece("scope:place")
# "the council was rated good": a sentence about the council itself, whatever the text is about
_ONE_COUNCIL = piece("scope:one_council")


class CueKind(str, Enum):
    """What a scope cue says of the outcome near it."""

    OTHER = "other"  # about something else: a care home, Ofsted, a peer challenge
    OWN = "own"  # about the council's own adult social care or CQC's assessment of it
    MODERN = "modern"  # a date or word of the assessments since 2023 (a historic text's cue does not hold there)


@dataclass(frozen=True)
class ScopeRule:
    id: str
    kind: CueKind
    category: str
    document: bool
    pattern: str
    anywhere: bool = False  # refuses wherever it stands in the clause (a hope, a forecast)
    literals: tuple[str, ...] = ()  # one of these (lower case) is in every match: a sentence without any is skipped


@cache
def rules() -> tuple[ScopeRule, ...]:
    return tuple(ScopeRule(r["id"], CueKind(r["kind"]), r["category"], r["document"], "".join(r["pattern"]),
                           r.get("anywhere", False), tuple(r["literals"]))
                 for r in load_json("rules/scope.json")["rules"])


@cache
def _compiled() -> tuple[tuple[tuple[ScopeRule, re.Pattern[str]], ...], re.Pattern[str], dict[str, frozenset[int]]]:
    """Each rule with its pattern; one trie-shaped pattern of every rule's literals; and for each literal, the rules
    one of whose literals it holds ("local authority assessment" holds "assessment")."""
    table = rules()
    literals = sorted({lit for r in table for lit in r.literals})
    owners = {lit: frozenset(k for k, r in enumerate(table) if any(x in lit for x in r.literals)) for lit in literals}
    finder = scanning(first_chars(literals) + "(?:" + trie_regex(literals) + ")")
    return tuple((r, scanning(r.pattern, re.IGNORECASE)) for r in table), finder, owners


@cache
def _adult_social_care() -> re.Pattern[str]:
    """The words that name adult social care or the Care Act (patterns.json: findings_subject_cues)."""
    return scanning(load_json("patterns.json")["findings_subject_cues"], re.IGNORECASE)


@cache
def _subject_cues() -> tuple[re.Pattern[str], ...]:
    """The patterns of the 'own' rules, and the words that name adult social care."""
    return tuple(rx for rule, rx in _compiled()[0] if rule.kind is CueKind.OWN) + (_adult_social_care(),)


@cache
def _historic_rules() -> frozenset[int]:
    """The rules whose cue makes a text's opening about old ratings: 'historic' document cues ('modern' ones are no
    cue)."""
    return frozenset(k for k, r in enumerate(rules()) if r.category == HISTORIC and r.document and r.kind is not CueKind.MODERN)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    rule: ScopeRule


class _Sentence:
    """One sentence's cues ('other' and 'own' ones, councils named as subjects among the 'own'), sorted, and what
    every outcome in it asks, worked out once: its clauses, which of them hold cues, its 'modern' cues, whether it
    mentions the CQC or "the council". Each outcome then costs a few bisections, however many share the sentence."""

    __slots__ = ("cues", "starts", "named", "has_own", "categories", "last_modern", "_one_council", "_cqc",
                 "bounds", "first", "nearest", "relative", "anywhere", "anywhere_starts", "text", "lo", "hi")

    def __init__(self, text: str, lo: int, hi: int, cues: list[Cue], modern: list[int]):
        self.text, self.lo, self.hi = text, lo, hi
        self.cues = cues
        self.starts = [c.start for c in cues]
        self.named = any(c.rule is _COUNCIL for c in cues)
        self.has_own = any(c.rule.kind is CueKind.OWN and c.rule is not _COUNCIL for c in cues)
        self.categories = {c.rule.category for c in cues}
        self.last_modern = max(modern, default=-1)
        # the rest is worked out when an outcome first asks (a sentence scanned only for the document's kind
        # never does)
        self._one_council = self._cqc = self.bounds = None

    @property
    def one_council(self) -> bool:
        if self._one_council is None:
            self._one_council = bool(_ONE_COUNCIL.search(self.text, self.lo, self.hi))
        return self._one_council

    @property
    def cqc(self) -> bool:
        if self._cqc is None:
            self._cqc = bool(_CQC.search(self.text, self.lo, self.hi))
        return self._cqc

    def _clauses(self) -> None:
        text, lo, hi, starts = self.text, self.lo, self.hi, self.starts
        self.bounds = bounds = [lo] + [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, hi)] + [hi]
        # the first cue at or after each clause's start; the last clause at or before each one that holds a cue
        self.first = [bisect_left(starts, b) for b in bounds]
        self.nearest = []
        for k in range(len(bounds) - 1):
            holds = self.first[k] < len(starts) and starts[self.first[k]] < bounds[k + 1]
            self.nearest.append(k if holds else (self.nearest[-1] if self.nearest else -1))
        self.relative = [k > 0 and bool(_RELATIVE.match(text, bounds[k])) for k in range(len(bounds) - 1)]
        self.anywhere = [c for c in self.cues if c.rule.anywhere]
        self.anywhere_starts = [c.start for c in self.anywhere]

    def between(self, lo: int, hi: int) -> list[Cue]:
        return self.cues[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]

    def _anywhere_in(self, lo: int, hi: int) -> Cue | None:
        j = bisect_left(self.anywhere_starts, lo)
        return self.anywhere[j] if j < len(self.anywhere) and self.anywhere_starts[j] < hi else None

    def verdict(self, anchor: int) -> Cue | None:
        """The first cue of the nearest clause before `anchor` that holds one (a hope or a forecast wherever it
        stands in it; for ", which rated ...", the last cue before the comma); None when no cue precedes it."""
        n_before = bisect_left(self.starts, anchor)
        if not n_before:
            return None
        if self.bounds is None:
            self._clauses()
        bounds = self.bounds
        k = max(0, bisect_right(bounds, anchor, 0, len(bounds) - 1) - 1)
        if self.relative[k]:
            # "..., which rated its adult social care as good": said by the last thing named before the comma
            j = bisect_left(self.starts, bounds[k]) - 1
            if j >= 0 and self.starts[j] >= bounds[k - 1]:
                return self.cues[j]
        if self.first[k] < n_before:  # a cue in the outcome's own clause, before it
            return self._anywhere_in(bounds[k], anchor) or self.cues[self.first[k]]
        j = self.nearest[k - 1] if k > 0 else -1
        if j < 0:
            return self.cues[0]
        return self._anywhere_in(bounds[j], bounds[j + 1]) or self.cues[self.first[j]]


class Scope:
    """The scope decisions for one document. Cues are looked for only in the sentences asked about (those of
    outcomes) and the opening ones, each scanned once."""

    def __init__(self, doc: Document, councils: list[Mention] = ()):
        self.doc = doc
        self.councils = sorted((c for c in councils if c.kind == Kind.COUNCIL), key=lambda c: c.start)
        self.council_starts = [c.start for c in self.councils]
        self._sentences: dict[int, _Sentence] = {}
        self.kind = self._document_kind()
        self._assessments: bool | None = None
        self._headings: list[int] | None = None  # the headings' sentence numbers, found on first need

    def sentence(self, i: int) -> _Sentence:
        found = self._sentences.get(i)
        if found is None:
            found = self._sentences[i] = self._scan(i)
        return found

    def _scan(self, i: int) -> _Sentence:
        doc = self.doc
        s = doc.sentences[i]
        compiled, finder, owners = _compiled()
        gated: set[int] = set()
        for m in finder.finditer(doc.lower, s.start, s.end):
            gated |= owners[m.group()]
        cues: list[Cue] = []
        modern: list[int] = []
        for k in sorted(gated):
            rule, rx = compiled[k]
            for m in rx.finditer(doc.text, s.start, s.end):
                if rule.kind is CueKind.MODERN:
                    modern.append(m.start())
                else:
                    cues.append(Cue(m.start(), m.end(), rule))
        other_starts = [c.start for c in cues if c.rule.kind is CueKind.OTHER and c.rule.category in _QUALIFIED]
        # a council named as the subject is an 'own' cue; one that only qualifies a provider, an NHS body or
        # children's services, or names a place, is not
        for c in self.councils[bisect_left(self.council_starts, s.start):bisect_left(self.council_starts, s.end)]:
            k = bisect_left(other_starts, c.end)
            if k < len(other_starts) and _QUALIFIER_GAP.fullmatch(doc.text, c.end, other_starts[k]):
                continue
            if _PLACE.search(doc.text, max(s.start, c.start - 30), c.start):
                continue  # "a service in Derby": a place, not the subject
            cues.append(Cue(c.start, c.end, _COUNCIL))
        return _Sentence(doc.text, s.start, s.end, sorted(cues, key=lambda c: (c.start, -c.end)), modern)

    def _document_kind(self) -> str | None:
        """'historic' when the opening sentences speak of old ratings (a press release dated 2008, the CSCI's
        star ratings); else the category of the first 'other' document cue of the title (the first sentence)
        when no 'own' cue comes before it there."""
        n = len(self.doc.sentences)
        if any(self._historic(i) for i in range(min(n, _OPENING + 1))) or self._historic_dateline():
            return HISTORIC
        # the title: the first sentence, and the heading under it when the first only names the council
        # ("Redcar & Cleveland Borough Council" over "Adult Social Care Self-Assessment 2025 - Summary")
        # or the sentence under a first heading that says nothing ("Agenda item", "News") of what the text is about
        title = [0] if n else []
        first = self.sentence(0).cues if n else ()
        label = n > 1 and not first and len(self.doc.text[self.doc.sentences[0].start:self.doc.sentences[0].end].split()) <= 3
        if n > 1 and self.doc.sentences[0].heading and (self.doc.sentences[1].heading or label) and \
                all(c.rule is _COUNCIL for c in first):
            title.append(1)
        for i in title:
            for c in self.sentence(i).cues:
                if c.rule.kind is CueKind.OTHER and c.rule.document:
                    if c.rule.category == "children" and self._names_adult_social_care(i):
                        return None  # an agenda's opening that lists adult social care beside SEND is about both
                    return c.rule.category
                if c.rule is not _COUNCIL and c.rule.kind is CueKind.OWN:
                    return None
        return None

    def _names_adult_social_care(self, i: int) -> bool:
        s = self.doc.sentences[i]
        return _adult_social_care().search(self.doc.text, s.start, s.end) is not None

    def _historic_dateline(self) -> bool:
        """Whether the text's first lines, read across the sentence breaks that short lines make, hold a historic
        document cue: a dateline set one word a line ("Oxford,\n13\nNovember\n2017")."""
        sentences = self.doc.sentences
        if len(sentences) < 2 or sentences[0].end > _DATELINE:
            return False  # (an opening sentence of any length is read on its own)
        end = min(_DATELINE, len(self.doc.text))
        compiled = _compiled()[0]
        return any(compiled[k][1].search(self.doc.text, 0, end) for k in _historic_rules())

    def _historic(self, i: int) -> bool:
        """Whether sentence i holds a 'historic' document cue: from its cues when it has been scanned, else from a
        search for those rules' patterns alone (the opening sentences are asked only this)."""
        if i == 0 or i in self._sentences:
            return any(c.rule.category == HISTORIC and c.rule.document for c in self.sentence(i).cues)
        s = self.doc.sentences[i]
        compiled, finder, owners = _compiled()
        wanted = _historic_rules()
        gated: set[int] = set()
        for m in finder.finditer(self.doc.lower, s.start, s.end):
            gated |= owners[m.group()] & wanted
        return any(compiled[k][1].search(self.doc.text, s.start, s.end) for k in gated)

    def about_another_assessment(self) -> bool:
        """Whether the text's title says it is about another assessment of the same services (a mock inspection,
        a council's self-assessment, a peer challenge): its tables and label lines score that one. (A text about
        Ofsted may still tabulate CQC's ratings beside Ofsted's: its tables say which column is which.)"""
        return self.kind in _ANOTHER_ASSESSMENT

    def refusal(self, m: Mention, anchor: int) -> str | None:
        """The id of the rule that says outcome `m` (its key word at `anchor`) is not a council's Care Act
        assessment, or None."""
        doc = self.doc
        i = doc.sentence_at(anchor)
        _, hi = doc.bounds_at(anchor)
        sent = self.sentence(i)
        verdict = sent.verdict(anchor)
        before = verdict is not None
        if not before:
            verdict = self._after(sent, m, anchor, hi)
        if verdict is None or verdict.rule.kind is not CueKind.OTHER:
            verdict = self._agent_after(sent, m, hi) or verdict
        if verdict is not None and verdict.rule.kind is CueKind.OTHER and not (
                verdict.rule.category == HISTORIC and sent.last_modern > verdict.start):
            return verdict.rule.id
        if self.kind in _NAMED_NEEDS_CUE and not sent.cqc:
            # in a text about a mock inspection (a peer challenge, Ofsted), a sentence that names that kind of
            # assessment before the outcome, and not the CQC, speaks of it, whatever framework words follow ("the
            # mock assessors scored it three in seven of the nine quality statements and two for assessing needs")
            same = next((c for c in sent.between(sent.lo, anchor)
                         if c.rule.kind is CueKind.OTHER and c.rule.category == self.kind), None)
            if same is not None:
                return same.rule.id
        if self.kind == HISTORIC and sent.last_modern < 0:
            return "scope:historic_document"
        if self.kind in _NAMED_NEEDS_CUE and not sent.has_own and not sent.cqc:
            return f"scope:{self.kind}_document"  # "Of the 10 authorities with an outstanding rating, six - Dorset, ..."
        block = self.block_kind(i)
        if block is not None:
            return f"scope:{block}_table"  # "Surgery Name Place Rating" over "The Simpson Centre Buckinghamshire ⭐Outstanding"
        if before or sent.named:
            return None
        for kind, where in ((self.kind, "document"), (self.section_kind(i), "section")):
            if kind and (kind not in _COUNCIL_SENTENCE_KEPT or not sent.one_council or kind in sent.categories):
                return f"scope:{kind}_{where}"
        return None

    def pending_sentences(self) -> list[int]:
        """The sentences that say an assessment is still to come ("which has not yet taken place in Bolton"),
        from one scan of the text (asked only when a council has findings and no outcome)."""
        rx = next(rx for rule, rx in _compiled()[0] if rule.category == "pending")
        return self.doc.sentences_with(rx)

    def speaks_of_the_assessments(self) -> bool:
        """Whether the text anywhere holds an 'own' cue (a local authority assessment, the council's adult social
        care, a quality statement) or names adult social care or the Care Act (patterns.json:
        findings_subject_cues): one scan, asked only when a council has findings and no outcome (a news story about
        the CQC's inspections of a council's own care services holds none; a date since 2023, a 'modern' cue, says
        nothing of what was inspected)."""
        if self._assessments is None:
            self._assessments = any(next(self.doc.finditer(rx), None) is not None for rx in _subject_cues())
        return self._assessments

    def block_kind(self, i: int) -> str | None:
        """For a line of a block of short lines (a list or a table with single spaces, no blank line between them),
        the category of the 'other' document cue its first line opens with ("Surgery Name Place Rating", "Care home
        Town Rating"): its rows are that kind's, and a council named in one is a place. None for a line that is
        not such a row, or a block whose first line says nothing or names a council first."""
        sentences = self.doc.sentences
        if not sentences[i].heading:
            return None
        first = i
        while first > 0 and i - first < _BLOCK_REACH and sentences[first - 1].heading and \
                self.doc.text.count("\n", sentences[first - 1].end, sentences[first].start) == 1:
            first -= 1
        cues = self.sentence(first).cues if first < i else ()
        head = cues[0].rule if cues else None  # (the first line's first cue: a council named first is no head)
        if head is not None and head.kind is CueKind.OTHER and head.document and head.category in _QUALIFIED:
            return head.category
        return None

    def section_kind(self, i: int) -> str | None:
        """The category of the first 'other' document cue of the heading sentence i stands under ("Scotland",
        "Care homes in the borough"), when no 'own' cue or council comes before it there."""
        if self._headings is None:
            self._headings = [k for k, s in enumerate(self.doc.sentences) if s.heading]
        k = bisect_left(self._headings, i + 1) - 1
        if k < 0 or self._headings[k] == i:
            return None
        for c in self.sentence(self._headings[k]).cues:
            if c.rule.kind is CueKind.OTHER and c.rule.document:
                return c.rule.category
            if c.rule.kind is CueKind.OWN:
                return None
        return None

    def _agent_after(self, sent: _Sentence, m: Mention, hi: int) -> Cue | None:
        """Ofsted, a Welsh or Scottish inspectorate, a peer team or the CSCI named just after the outcome."""
        return next((c for c in sent.between(m.end, min(hi, m.end + _AGENT_REACH))
                     if c.rule.kind is CueKind.OTHER and c.rule.category in _AGENTS
                     and not _AFTER_BREAK.search(self.doc.text, m.end, c.start)), None)

    def _after(self, sent: _Sentence, m: Mention, anchor: int, hi: int) -> Cue | None:
        """An 'other' cue after the outcome in its clause."""
        reach = min(hi, m.end + _AFTER_REACH)
        stop = _AFTER_BREAK.search(self.doc.text, m.end, reach)
        return next((c for c in sent.between(anchor, stop.start() if stop else reach) if c.rule.kind is CueKind.OTHER), None)


_COUNCIL = ScopeRule("council", CueKind.OWN, "council", False, "")

__all__ = ["Scope", "ScopeRule", "rules"]
