"""Which council each fact is said of, and which councils were assessed.

0. Scope (scope.py): an outcome said of a care home, a provider, Ofsted's children's services, a Welsh or
   Scottish inspectorate, an NHS body, an old star rating, a peer challenge, the ombudsman, a mock inspection or a
   rating still to come is dropped before anything else.
1. Anchoring: a rating, score, statement score or count whose sentence names
   a council goes to the council named nearest before the fact's key word in
   that sentence (else the first named after it), and to every council listed
   with it ("Barnet, Enfield and Haringey were rated good"); a council named
   in brackets after a tally count takes that rating ("one outstanding
   (Camden)") and nothing else.
2. Eligible councils: the anchored ones, and *candidates* that are prominent:
   named in a sentence with an assessment cue (CQC, inspectors, rated, report
   ...) in a document about adult social care (not mostly about children's
   services, care homes or NHS trusts), and named in a heading, in the
   opening sentences or more than once.
3. Focus: a fact whose sentence names no eligible council goes to the
   document's own council (named first, in the opening sentences, with an
   assessment cue or with "the council" said to be assessed) when no other
   council is anchored; otherwise to the eligible council named most recently
   before it, else to the first named within the next few sentences (a
   headline before the council's name). A rating whose sentence names no
   council must speak of one ("the borough was rated good"). An outcome whose sentence names no council and
   opens with "Each", "Both", "All three" goes to every council of the list ending the sentence before; one said
   of "it", "we", "the council" to the council named last in the sentence before, or, in a text naming one
   council, to that one; a headline's to the council named first under it; a fact said of "the authority"
   before a council named beside it ("..., alongside Wokingham") stays with the authority. A finding whose
   sentence speaks of councils in general belongs to the sector, if the
   sentences around it speak of councils and not of the regulator's own
   process. A council is assessed when any fact is attributed to it; findings alone make no assessment in a text
   about something else (scope.py's document kind), getting ready for its assessment, or never speaking of adult
   social care or the Care Act (a story about the CQC's inspections of care services the council runs).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from .grammar import piece
from .mentions import Kind, Mention
from .recognizers.base import CaselessSearch
from .scope import CueKind, Scope
from .segment import Document
from .trie import scanning
from .vocab import patterns

# a relative clause set off by commas: ", which surrounds Blackpool,", ", whose neighbour Knowsley was rated good,"
_ASIDE = piece("attribution:aside")
# an indefinite article just before a rating word that names no council: "a 'good' rating", "an outstanding"
_INDEFINITE = piece("attribution:indefinite")
# the author of a council's own paper: "the Council" with its capital, or the first person plural
_AUTHOR = piece("attribution:author")
# "the county rated good and the city requiring improvement": a council called by its kind
_TYPE_REFERENCE = piece("attribution:type_reference")
_CHILDRENS_SERVICES = piece("attribution:childrens_services")
# kinds of text whose sector-wide findings still speak of the assessments: a paper getting ready for one (what the
# published reports found), talk of the rating scale
_SECTOR_KEPT = frozenset({"pending", "scale"})
_VENUE = piece("attribution:venue")
# a council named after a fact as where something happens: "placed in Essex", "a hub in Leicester" (not "gone to
# Blackpool", which is who got it)
_PLACED = piece("attribution:placed")
_LIST_GAP = piece("attribution:list_gap")
# "Each achieved ...", "All three were rated good": an outcome said of every council of the list before it
_DISTRIBUTIVE = piece("attribution:distributive")
# "it", "we", "the council": a sentence speaking of one council without naming it
_ONE_COUNCIL = piece("attribution:one_council")
# (a bare "our" is often the publisher's own: "according to our tracker, the five outstanding councils are ...")
_LOCATED = piece("attribution:located")
_COMPARED = piece("attribution:compared")
_THE_COUNCIL = piece("attribution:the_council")
_OWN_VOICE = piece("attribution:own_voice")  # ("the financially troubled council")
DROPPED = "-"  # attribution of a finding that is neither a council's nor the sector's
ASSESSMENT_FACTS = frozenset({Kind.RATING, Kind.SCORE, Kind.STATEMENT_SCORE, Kind.STATEMENT_COUNT})
_OPENING_SENTENCES = 4
_LOOKAHEAD_SENTENCES = 4
_SECTOR_WINDOW = 2  # sentences before a sector finding that must speak of councils or adult social care


@dataclass(frozen=True)
class _Cues:
    assessment: re.Pattern   # CQC, inspectors, rated ... : a council named with one is a candidate
    sector: re.Pattern       # councils, local authorities ...: a finding about councils in general
    single: re.Pattern       # "the council", "its": a finding about one council
    topic: re.Pattern        # CQC or adult social care: the document is on topic
    negative: CaselessSearch  # children's services, a care home ...: not this council's adult social care
    bystander: CaselessSearch  # "neighbouring", "sister": a council named beside the one assessed
    sector_topic: re.Pattern
    pending: re.Pattern      # the assessment is still to come, or the rating is of something else
    pending_document: re.Pattern  # "Getting ready for our CQC assessment", "yet to be assessed": no verdict yet
    regulator: re.Pattern    # the regulator's own process: no finding about councils
    focus_rating: re.Pattern  # "the council", "adult social care": a rating said of the focus council
    heading_assessment: re.Pattern  # the stricter cue for headings
    topics: re.Pattern  # other services' topics (children's services, care homes, NHS trusts) as group 'other',
    # adult social care's own (adult social care, the Care Act, carers) as group 'own'


@cache
def _cues() -> _Cues:
    p = patterns()
    flags = re.IGNORECASE
    return _Cues(
        assessment=scanning(p["assessment_cues"], flags), sector=scanning(p["sector_cues"], flags),
        single=scanning(p["single_council_cues"], flags),
        topic=scanning(p["assessment_topic_cues"], flags),
        negative=CaselessSearch(p["rating_negative_before"]), bystander=CaselessSearch(p["bystander_before"]),
        sector_topic=scanning(p["sector_topic_cues"], flags),
        pending=scanning(p["pending_cues"], flags), pending_document=scanning(p["pending_document_cues"], flags),
        regulator=scanning(p["regulator_process_cues"], flags),
        focus_rating=scanning(p["focus_rating_cues"], flags),
        heading_assessment=scanning(p["heading_assessment_cues"], flags),
        topics=scanning(f"(?P<other>{p['other_topic_cues']})|(?P<own>{p['own_topic_cues']})", flags))


def anchor(m: Mention) -> int:
    """The position that stands for a fact when looking for its council (a rating's word, not 'rated')."""
    word = m.attrs.get("word") or m.attrs.get("number")
    return word[0] if word else m.start


@dataclass
class Attribution:
    """Result of attribution: council per fact (None: sector / document level) and the assessed set."""

    council_of: dict[int, str | None]  # id(mention) -> code
    assessed: list[str]  # in order of first mention
    first_mention: dict[str, Mention]
    tally_ratings: dict[str, list[tuple[str, Mention]]]  # council named in a tally -> (rating, tally)
    shared: dict[int, list[str]]  # id(mention) -> the other councils of a list it is said of ("X, Y and Z were rated good")


def _topic_balance(topics: re.Pattern, doc: Document) -> int:
    """Twice the mentions of adult social care's own topics less the mentions of other services'."""
    counts = Counter(m.lastgroup for m in doc.finditer(topics))
    return 2 * counts["own"] - counts["other"]


@dataclass
class _Work:
    """What attribution's steps build up for one document."""

    council_of: dict[int, str | None] = field(default_factory=dict)  # id(mention) -> code (None: sector)
    anchored: set[str] = field(default_factory=set)  # councils an outcome is said of
    shared: dict[int, list[str]] = field(default_factory=dict)  # id(mention) -> the other councils of its list
    tally_ratings: dict[str, list[tuple[str, Mention]]] = field(default_factory=dict)
    elsewhere: set[str] = field(default_factory=set)  # councils whose headline rating was a service's (no findings)


class Attributor:
    def __init__(self, doc: Document, councils: list[Mention], references: list[Mention] = ()):
        self.doc = doc
        self.councils = sorted((c for c in councils if c.kind == Kind.COUNCIL), key=lambda c: c.start)
        by_sentence: dict[int, list[Mention]] = {}
        for c in self.councils:
            by_sentence.setdefault(doc.sentence_at(c.start), []).append(c)
        self.by_sentence = by_sentence
        self.by_code = {c.value for c in self.councils}
        cues = _cues()
        assessment_cue, topic, negative, pending = cues.assessment, cues.topic, cues.negative, cues.pending
        # on topic: about CQC or adult social care, and not mostly about children's services, care homes or NHS trusts
        self.about_cqc = next(doc.finditer(topic), None) is not None
        self.on_topic = self.about_cqc and _topic_balance(cues.topics, doc) >= 0
        self.candidates: set[str] = set()
        if self.on_topic:
            for i, cs in by_sentence.items():
                s = doc.sentences[i]
                cue = cues.heading_assessment if s.heading else assessment_cue
                # a title naming only the council ("West Northamptonshire Council") takes the cue of the
                # heading or standfirst under it ("Adult social care: our CQC assessment at a glance")
                cued = doc.search(cue, i) or (i == 0 and s.heading and len(doc.sentences) > 1
                                              and doc.search(cues.heading_assessment, 1))
                if cued and not doc.search(pending, i):
                    for c in cs:
                        if c.value in self.candidates:
                            continue  # (already one: its other mentions need not be read)
                        before = doc.text[max(s.start, c.start - 60): c.start]
                        if not negative.search(before) and not cues.bystander.search(before):
                            self.candidates.add(c.value)
        counts: dict[str, int] = {}
        for c in self.councils:
            counts[c.value] = counts.get(c.value, 0) + 1
        # the document's own council: named first, in its opening sentences, and said to be assessed
        # (named with an assessment cue, or "the council" is, as in minutes and press releases)
        self.home: str | None = None
        subjects = [c for c in self.councils if not self._place_in_heading(c)]
        if subjects and doc.sentence_at(subjects[0].start) < _OPENING_SENTENCES and self.on_topic:
            first = subjects[0].value
            ref_cued = any(doc.search(assessment_cue, doc.sentence_at(r.start))
                           and not doc.search(pending, doc.sentence_at(r.start)) for r in references)
            if first in self.candidates or ref_cued:
                self.home = first
        opening = {c.value for c in self.councils
                   if doc.sentence_at(c.start) < _OPENING_SENTENCES or doc.sentences[doc.sentence_at(c.start)].heading}
        self.prominent = {code for code, n in counts.items() if n > 1 or code in opening}
        self.scope = Scope(doc, self.councils)

    def _place_in_heading(self, c: Mention) -> bool:
        """'... Leaders' Summit, Manchester': a town named as a venue or dateline in a heading, not its subject."""
        s = self.doc.sentences[self.doc.sentence_at(c.start)]
        return s.heading and bool(_VENUE.search(self.doc.text, max(s.start, c.start - 4), c.start))

    def _index(self, eligible: set[str] | None) -> tuple[list[int], list[str]]:
        cs = [c for c in self.councils if eligible is None or c.value in eligible]
        return [c.start for c in cs], [c.value for c in cs]

    def in_sentence(self, m: Mention, index: tuple[list[int], list[str]]) -> str | None:
        """The council named nearest before the fact's anchor in its sentence, else the first named after it."""
        starts, codes = index
        pos = anchor(m)
        lo, hi = self.doc.bounds_at(pos)
        i = bisect_right(starts, pos) - 1
        typed = self._by_type(pos, lo, hi)
        if typed is not None:
            return typed
        if i >= 0 and starts[i] >= lo:
            if i > 0 and starts[i - 1] >= lo and codes[i - 1] != codes[i]:
                # "Lancashire County Council, which surrounds Blackpool, was rated ...": a council named in an aside
                # between the subject and its verb is not the one the fact is said of
                aside = _ASIDE.search(self.doc.text, starts[i - 1], pos)
                if aside is not None and aside.start() < starts[i] < aside.end() <= pos:
                    return codes[i - 1]
            return codes[i]
        if i + 1 < len(starts) and starts[i + 1] < hi:
            if _COMPARED.search(self.doc.text, pos, starts[i + 1]):
                return None  # "The overall score was 28, lower than that of Blackpool": Blackpool is the comparison
            if m.kind != Kind.FINDING and _PLACED.search(self.doc.text, max(pos, starts[i + 1] - 12), starts[i + 1]):
                return None  # "The score of 2 ... meant some residents were placed in Essex": a place, not the subject
            return codes[i + 1]
        return None

    def _by_type(self, pos: int, lo: int, hi: int) -> str | None:
        """The council "the county" or "the city" just before a fact means, when one council named in its sentence
        is of that kind ("Derbyshire County Council and Leicester City Council ..., with the county rated good and
        the city requiring improvement")."""
        ref = _TYPE_REFERENCE.search(self.doc.text, max(lo, pos - 30), pos)
        if ref is None:
            return None
        word = ref.group(1).lower()
        named = self.by_sentence.get(self.doc.sentence_at(pos), ())
        of_type = {c.value for c in named if lo <= c.start < hi and word in self.doc.text[c.start:c.end].lower()}
        return next(iter(of_type)) if len(of_type) == 1 and len({c.value for c in named}) > 1 else None

    def _respective(self, m: Mention) -> str | None:
        """For a figure listed 'respectively' (its attrs' (k, n)), the k-th of the last n councils its sentence names
        before it ("Dudley and Wolverhampton ... with scores of 67 and 69 per cent respectively"); None when the
        sentence names fewer."""
        place = m.attrs.get("respectively")
        if place is None:
            return None
        k, n = place
        named: list[str] = []
        for c in self.by_sentence.get(self.doc.sentence_at(m.start), ()):
            if c.start < m.start and (not named or named[-1] != c.value):
                named.append(c.value)
        return named[-n:][k] if len(named) >= n else None

    def listed_with(self, m: Mention, code: str) -> list[str]:
        """The councils named in one list with the council a rating or score is said of: "Barnet, Enfield and
        Haringey were rated good" gives Enfield and Haringey for Barnet."""
        i0, i1 = self.doc.bounds_at(anchor(m))
        if _TYPE_REFERENCE.search(self.doc.text, max(i0, anchor(m) - 30), anchor(m)):
            return []  # "with the county rated good and the city ...": said of one of them
        named = [c for c in self.by_sentence.get(self.doc.sentence_at(anchor(m)), ()) if i0 <= c.start < i1]
        k = next((j for j, c in enumerate(named) if c.value == code and c.start <= anchor(m)), None)
        if k is None:
            k = next((j for j, c in enumerate(named) if c.value == code), None)
        if k is None:
            return []
        lo = hi = k
        while lo > 0 and _LIST_GAP.fullmatch(self.doc.text, named[lo - 1].end, named[lo].start):
            lo -= 1
        while hi + 1 < len(named) and _LIST_GAP.fullmatch(self.doc.text, named[hi].end, named[hi + 1].start):
            hi += 1
        return [c.value for c in named[lo:hi + 1] if c.value != code]

    def focus(self, pos: int, index: tuple[list[int], list[str]]) -> str | None:
        """The indexed council named most recently before `pos`, else the first named shortly after it."""
        starts, codes = index
        i = bisect_right(starts, pos) - 1
        if i >= 0:
            return codes[i]
        if starts and self.doc.sentence_at(starts[0]) - self.doc.sentence_at(pos) <= _LOOKAHEAD_SENTENCES:
            return codes[0]
        return None

    def attribute(self, facts: list[Mention]) -> Attribution:
        """Each fact's council, in three steps: outcomes anchored in their own sentence (and the councils a tally
        names), then every other fact, then which councils were assessed."""
        work = _Work()
        self._anchor_outcomes(facts, work)
        self._drop_headlines_of_refused_ledes(facts, work)
        self._place_the_rest(facts, work)
        # findings of no council must stand among talk of councils (not a feed's NHS story), in a text about the
        # assessments (not the star ratings of 2009, care homes, Ofsted)
        off_topic = self.scope.kind is not None and self.scope.kind not in _SECTOR_KEPT
        for m in facts:
            if m.kind == Kind.FINDING and work.council_of.get(id(m)) is None and (off_topic or not self._sector_topic(m)):
                work.council_of[id(m)] = DROPPED
        self._drop_findings_without_outcome(facts, work)
        council_of = work.council_of
        # (figures and visit dates alone make no assessment: a benchmarking table, a peer team's visit)
        by_fact = {council_of[id(m)] for m in facts if id(m) in council_of and m.kind not in (Kind.METRIC, Kind.VISIT)}
        assessed = work.anchored | set(work.tally_ratings) | {c for c in by_fact if c is not None and c != DROPPED}
        first: dict[str, Mention] = {}
        for c in self.councils:
            first.setdefault(c.value, c)
        order = sorted(assessed, key=lambda code: first[code].start)
        return Attribution(council_of, order, first, work.tally_ratings, work.shared)

    def _anchor_outcomes(self, facts: list[Mention], work: "_Work") -> None:
        """1. Outcomes said of a council in their own sentence (or read off a layout), refused ones dropped; the
        councils named in a tally's counts."""
        everyone = self._index(None)
        for m in facts:
            if m.kind in ASSESSMENT_FACTS:
                code = m.attrs.get("council") or self._respective(m)  # a table row's or a page's council, read off
                # the layout, or the council a figure listed "respectively" is in the order of the names before it
                if code is None and "respectively" in m.attrs:
                    work.council_of[id(m)] = DROPPED  # fewer councils named than figures listed
                    continue
                # (a layout's council is trusted unless the whole text is about another kind of assessment: a
                # council's self-assessment, a peer challenge, Ofsted)
                if (code is None or self.scope.about_another_assessment()) and self.scope.refusal(m, anchor(m)):
                    work.council_of[id(m)] = DROPPED  # a care home's rating, Ofsted's, a star rating, a mock inspection
                    continue
                if code is None or code not in self.by_code:
                    code = self.in_sentence(m, everyone)
                    if code is not None and self._said_of_another(m, code):
                        code = None  # "awarded the authority a score of 81, ... alongside Wokingham"
                    if code is not None and m.layout and self._a_place(m, code):
                        work.council_of[id(m)] = DROPPED  # "- Newton House, Bath and North East Somerset: Good"
                        continue
                if code is not None:
                    work.council_of[id(m)] = code
                    work.anchored.add(code)
                    if m.kind in (Kind.RATING, Kind.SCORE) and "respectively" not in m.attrs:
                        others = self.listed_with(m, code)
                        if others:
                            work.shared[id(m)] = others
                            work.anchored.update(others)
            elif m.kind == Kind.TALLY:
                if self.scope.refusal(m, m.start):  # Ofsted's judgements of children's services, care homes' ratings
                    work.council_of[id(m)] = DROPPED
                    continue
                for rating, span in m.attrs.get("named", []):
                    for c in self.councils:
                        if span[0] <= c.start < span[1]:
                            work.tally_ratings.setdefault(c.value, []).append((rating, m))

    def _drop_headlines_of_refused_ledes(self, facts: list[Mention], work: "_Work") -> None:
        """A headline's rating restates its lede: "Tower Hamlets wins 'Good' rating" over "Tower Hamlets Council's
        Shared Lives service has been rated 'Good'" is the service's rating. A rating in a heading among the opening
        sentences is dropped when the sentence under it says that rating word of something else (a scope cue of
        another kind of assessment before it) and keeps no rating of that value, unless the headline itself names
        the council's adult social care."""
        doc = self.doc
        ratings = [m for m in facts if m.kind == Kind.RATING]
        for m in ratings:
            i = doc.sentence_at(anchor(m))
            code = work.council_of.get(id(m))
            if code == DROPPED or not doc.sentences[i].heading or i >= _OPENING_SENTENCES:
                continue
            lede = [j for j in range(i + 1, min(len(doc.sentences), i + 4)) if not doc.sentences[j].heading][:1]
            if any(c.rule.kind is CueKind.OWN and c.rule.category != "council" for c in self.scope.sentence(i).cues):
                continue  # the headline itself says it is the council's adult social care
            kept = any(r.value == m.value and doc.sentence_at(anchor(r)) in lede and work.council_of.get(id(r)) != DROPPED
                       for r in ratings)
            if kept or not any(self._said_of_something_else(j, m.value) for j in lede):
                continue
            work.council_of[id(m)] = DROPPED
            named = {c.value for j in lede for c in self.by_sentence.get(j, ())} | ({code} if code else set())
            for c in named:
                if not any(work.council_of.get(id(f)) == c for f in facts if f.kind in ASSESSMENT_FACTS):
                    work.anchored.discard(c)
                    work.elsewhere.add(c)

    def _said_of_something_else(self, i: int, value: str) -> bool:
        """Whether sentence i says the rating word `value` after a cue of another kind of assessment."""
        s = self.doc.sentences[i]
        word = self.doc.lower.find(value.replace("_", " "), s.start, s.end)
        return word != -1 and any(c.rule.kind is CueKind.OTHER and c.start < word for c in self.scope.sentence(i).cues)

    def _place_the_rest(self, facts: list[Mention], work: "_Work") -> None:
        """2. Every other fact: its sentence's eligible council, else the focus; findings may be sector-wide. A
        council named only in a tally ("one outstanding (Camden)") takes no other facts."""
        sector_cue, single_cue = _cues().sector, _cues().single
        council_of, anchored = work.council_of, work.anchored
        eligible = anchored | (self.candidates & self.prominent) | ({self.home} if self.home else set())
        # a document about its own council sends every unplaced fact there; otherwise the latest named wins
        default = self.home if self.home and anchored <= {self.home} else None
        index = self._index(eligible)
        everyone = self._index(None)
        # outcomes first: a council that an outcome is placed on ("services had been given an overall score of 62")
        # is eligible for the findings said before it in the text as well as after
        for m in sorted(facts, key=lambda f: f.kind not in ASSESSMENT_FACTS):
            if m.kind == Kind.TALLY or id(m) in council_of:
                continue
            if m.kind == Kind.FINDING and self._sector_sentence(m, sector_cue, single_cue):
                council_of[id(m)] = None
                continue
            if m.kind == Kind.METRIC and self._other_service(m):
                council_of[id(m)] = DROPPED  # "98% of early years settings are rated good by Ofsted": not adult care
                continue
            code = self.in_sentence(m, index)
            if code is None and m.kind == Kind.METRIC and self.in_sentence(m, everyone) is not None:
                # "In Sheffield, 43.1% of carers reported ...": a figure said of a council named in its sentence that
                # is not assessed in the text belongs to that council, not to the one in focus
                council_of[id(m)] = DROPPED
                continue
            if code is not None and m.kind in ASSESSMENT_FACTS and self._said_of_another(m, code):
                code = None
            if code is None and m.kind == Kind.RATING and self._generic(m):
                council_of[id(m)] = DROPPED  # "Opinion: A 'good' rating doesn't mean good enough": no one's
                continue
            if code is None and m.kind in ASSESSMENT_FACTS:
                listed = self._distributed(m)
                if listed:
                    council_of[id(m)] = listed[0]
                    anchored.update(listed)
                    if len(listed) > 1 and m.kind in (Kind.RATING, Kind.SCORE):
                        work.shared[id(m)] = listed[1:]
                    continue
                code = default or self._referent(m)
                if code is not None and code not in eligible:  # "The Council received ..." places the next facts too
                    eligible.add(code)
                    anchored.add(code)
                    index = self._index(eligible)
            if code is None and m.kind == Kind.RATING and not self._speaks_of_a_council(m):
                council_of[id(m)] = DROPPED  # "caring remains rated as good": said of something else
                continue
            if code is None and len(self.by_code) == 1 and self._is_the_only_councils(m, anchored):
                code = next(iter(self.by_code))
                if code not in eligible:  # it places the text's figures and findings too
                    eligible.add(code)
                    anchored.add(code)
                    index = self._index(eligible)
            council_of[id(m)] = code or default or self.focus(anchor(m), index)

    def _drop_findings_without_outcome(self, facts: list[Mention], work: "_Work") -> None:
        """3. A candidate is assessed once a fact is attributed to it; but figures alone do not make an assessment
        (a benchmarking table compares councils not yet assessed), nor do findings alone in a text that opens by
        saying the assessment is still to come (a council's page getting ready for it lists its own view of
        itself), in a text or under a heading about something else (a care home, a peer challenge, a 2008 star
        rating; scope.py), in a text that never speaks of adult social care or the Care Act (inspections of
        services the council runs: scope.speaks_of_the_assessments), or for a council a sentence names as still
        to be assessed ("which has not yet taken place in Bolton")."""
        council_of = work.council_of
        awaiting = self._awaiting_assessment()
        outcome = work.anchored | {council_of.get(id(m)) for m in facts if m.kind in ASSESSMENT_FACTS}
        waiting: set[str] | None = None
        for m in facts:
            code = council_of.get(id(m))
            if m.kind != Kind.FINDING or code in outcome or code in work.tally_ratings or code == DROPPED:
                continue
            if awaiting:
                council_of[id(m)] = DROPPED
            elif code is not None:
                if waiting is None:  # (scanned for only when a council has findings and no outcome)
                    waiting = self._waiting()
                if code in waiting or code in work.elsewhere or self.scope.kind \
                        or self.scope.section_kind(self.doc.sentence_at(m.start)) \
                        or not self.scope.speaks_of_the_assessments():
                    council_of[id(m)] = DROPPED

    def _waiting(self) -> set[str]:
        """The councils a sentence says are still to be assessed: those it names, or, when it names none and speaks
        of "the council", the council named last in the two sentences before ("Lancashire County Council ... said
        ... The council's adult social care is itself due to be assessed")."""
        out: set[str] = set()
        for i in self.scope.pending_sentences():
            named = self.by_sentence.get(i)
            if named:
                out.update(c.value for c in named)
                continue
            if self.doc.search(_THE_COUNCIL, i):
                before = next((self.by_sentence[j] for j in (i - 1, i - 2) if j >= 0 and self.by_sentence.get(j)), None)
                if before:
                    out.add(before[-1].value)
        return out

    def _a_place(self, m: Mention, code: str) -> bool:
        """Whether the council a list line's rating is read for is only where the line's subject is: a name and a
        comma come before it on the line ("- Dimensions Newton House, Bath and North East Somerset: Good")."""
        c = next((c for c in self.by_sentence.get(self.doc.sentence_at(anchor(m)), ()) if c.value == code), None)
        if c is None:
            return False
        line = self.doc.text.rfind("\n", 0, c.start) + 1
        return bool(_LOCATED.fullmatch(self.doc.text, line, c.start))

    def _distributed(self, m: Mention) -> list[str]:
        """The councils of the list that ends the sentence before, when an outcome's sentence opens with "Each",
        "Both", "All three" or "They" and names none ("... Hertfordshire, West Berkshire and Hounslow. Each
        achieved an overall rating of good")."""
        i = self.doc.sentence_at(anchor(m))
        s = self.doc.sentences[i]
        if i == 0 or not _DISTRIBUTIVE.match(self.doc.text, s.start, anchor(m)):
            return []
        memo = self.__dict__.setdefault("_lists", {})  # the list ending a sentence, found once per sentence
        if i - 1 not in memo:
            named = self.by_sentence.get(i - 1, [])
            k = len(named) - 1
            while k > 0 and _LIST_GAP.fullmatch(self.doc.text, named[k - 1].end, named[k].start):
                k -= 1
            listed = list(dict.fromkeys(c.value for c in named[max(k, 0):]))
            memo[i - 1] = listed if len(listed) > 1 else []
        return memo[i - 1]

    def _said_of_another(self, m: Mention, code: str) -> bool:
        """Whether a fact whose sentence names its council only after it is said of "the authority", "we" or "our"
        before it: "Inspectors awarded the authority a score of 81, ... alongside Wokingham"."""
        lo, _ = self.doc.bounds_at(anchor(m))
        if any(c.value == code and lo <= c.start < anchor(m) for c in self.by_sentence.get(self.doc.sentence_at(lo), ())):
            return False
        # the sentence's first "the authority" or "we" (not "it": "the CQC said it had rated ..."), found once per
        # sentence, before the fact; only one that straddles the fact is looked for again, up to it
        first = self.doc.search(_OWN_VOICE, self.doc.sentence_at(lo))
        if first is None or first.start() >= anchor(m):
            return False
        return first.end() <= anchor(m) or bool(_OWN_VOICE.search(self.doc.text, lo, anchor(m)))

    def _referent(self, m: Mention) -> str | None:
        """The council an outcome's sentence speaks of without naming it ("It was rated good", "the services
        provided by us require improvement"): the one named last in the sentence before, in the same
        paragraph; for a headline, the first named under it; else the only council the text names when the
        sentence speaks as or of "the council"."""
        i = self.doc.sentence_at(anchor(m))
        s = self.doc.sentences[i]
        if (i == 0 or s.heading) and i < _OPENING_SENTENCES and self.councils and self.councils[0].start > anchor(m):
            # a headline before any council is named: the council named first under it
            for k in range(i + 1, min(len(self.doc.sentences), i + 1 + _LOOKAHEAD_SENTENCES)):
                if self.by_sentence.get(k):
                    return self.by_sentence[k][0].value
            return None
        if not self.doc.search(_ONE_COUNCIL, i):  # (once per sentence, not once per outcome in it)
            return None
        if self.councils and self.councils[0].start > anchor(m) and self.councils[0].value in self.prominent \
                and self.doc.search(_THE_COUNCIL, i):
            # minutes that speak of "the Local Authority" before they name it: the first council the text names,
            # when it is named again or in the opening
            return self.councils[0].value
        if self.home is not None and self.doc.search(_AUTHOR, i):
            # a council's own paper calls itself "the Council" and "we" however many others it has just named
            # ("Norfolk has been rated Requires Improvement. Officers note that the Council's score of 75% ...")
            return self.home
        before = self.by_sentence.get(i - 1) if i > 0 else None
        if before and self.doc.sentences[i - 1].paragraph == s.paragraph:
            return before[-1].value
        if len(self.by_code) == 1 and self.doc.search(_OWN_VOICE, i):
            return next(iter(self.by_code))
        return None

    def _awaiting_assessment(self) -> bool:
        """Whether the text's headings or opening sentences (a web page's menus come first) say its assessment is
        still to come."""
        pending = _cues().pending_document
        return any(i < _OPENING_SENTENCES * 3 or self.doc.sentences[i].heading
                   for i in self.doc.sentences_with(pending))

    def _other_service(self, m: Mention) -> bool:
        """Whether a figure's sentence is about children's services, schools or early years (Ofsted's) and not about
        adult social care."""
        s = self.doc.sentences[self.doc.sentence_at(m.start)]
        if not _CHILDRENS_SERVICES.search(self.doc.text, s.start, s.end):
            return False
        return not any(x.lastgroup == "own" for x in _cues().topics.finditer(self.doc.text, s.start, s.end))

    def _generic(self, m: Mention) -> bool:
        """Whether a rating that its sentence says of no council follows an indefinite article ("a 'good' rating",
        "an outstanding one") in a sentence that does not speak of a council ("it was given a good rating" does):
        any council's rating, not one council's."""
        lo = self.doc.bounds_at(anchor(m))[0]
        return bool(_INDEFINITE.search(self.doc.text, max(lo, anchor(m) - 12), anchor(m))) \
            and not self.doc.search(_cues().focus_rating, self.doc.sentence_at(anchor(m)))

    def _is_the_only_councils(self, m: Mention, anchored: set[str]) -> bool:
        """Whether an unplaced outcome in a text that names one council is that council's: a statement's score or
        count when the council is said to be assessed, and a rating or score whose own sentence speaks of the
        assessment ("the CQC undertook an on-site assessment visit, and subsequently awarded a rating of 'Good'")
        in a text about the assessments."""
        if m.kind in (Kind.STATEMENT_SCORE, Kind.STATEMENT_COUNT):
            return self.by_code <= (anchored | self.candidates)
        if m.kind not in (Kind.RATING, Kind.SCORE) or not self.on_topic:
            return False
        i = self.doc.sentence_at(anchor(m))
        cues = _cues()
        return (bool(self.doc.search(cues.assessment, i)) and not self.doc.search(cues.pending, i)
                and not self.doc.search(cues.sector, i))  # ("Most councils are rated good")

    def _speaks_of_a_council(self, m: Mention) -> bool:
        s = self.doc.sentences[self.doc.sentence_at(anchor(m))]
        if s.heading or s.bullet or m.layout:
            return True
        return bool(self.doc.search(_cues().focus_rating, self.doc.sentence_at(anchor(m))))

    def _sector_topic(self, m: Mention) -> bool:
        """Whether a finding of no council stands among talk of councils in general: a topic cue in its sentence or
        the two before, no regulator's process words in its own, and no council named there unless its own
        sentence speaks of councils in general (a council's paper before its assessment: "Surrey had experienced
        increased numbers of safeguarding concerns" is Surrey's, not the sector's)."""
        i = self.doc.sentence_at(m.start)
        cues = _cues()
        if not self.about_cqc or self.doc.has(cues.regulator, i):
            return False
        if any(self.by_sentence.get(j) for j in range(max(0, i - _SECTOR_WINDOW), i + 1)) and not self.doc.has(cues.sector, i):
            return False
        return bool(self.doc.search(cues.sector_topic, i, back=_SECTOR_WINDOW))

    def _sector_sentence(self, m: Mention, sector_cue, single_cue) -> bool:
        i = self.doc.sentence_at(m.start)
        if not self.doc.has(sector_cue, i) or self.by_sentence.get(i):
            return False
        return not self.doc.has(single_cue, i)
