"""Tallies of ratings across councils: Mention(kind='tally', value={'councils': 26, 'good': 14, ...}).

A tally is a set of councils and how many of them got each rating. The recognizer reads it in three steps:

1. the counts: "14 good", "none inadequate", "two outstandings and a good", "Outstanding: 2" (the 'item' records
   of data/rules/tallies.json, with the parts their 'then' names read after each count), and one rating over the whole set ("all
   received a rating of good", "Each achieved ...": 'every' records);
2. the set they count: a stated total in the sentence ("of the nine councils", "among the three", "out of the
   121 assessed": 'total' records), in the sentence before when the sentence opens with its counts or with
   "Of those", or earlier in the paragraph for a single count ("... published 120 reports. ... the four councils
   rated inadequate"); a list of named councils for 'every' ("A, B and C all received ..."); and with no total,
   the sum of the counts when all four ratings are counted;
3. what finishes it: a sentence of zeros ("None was judged outstanding or inadequate") or one opening "The
   sixth ..." / "The remaining two ..." ('rest' records) completes the tally of the sentence before (zeros that
   complete all four counts make their sum the total).

Two forms count named councils: "The 3 reports published last week are for:" and then that many lines each
naming a council and its rating ('listed'); "Knowsley was rated good, while A, B, C and D ... require improvement.
None of the five reached outstanding" ('named': each council counts under the rating word after it, when they
are exactly the stated number).

Ratings the text does not count stay None; "none" gives 0. A sentence counting one rating with no set is no
tally ("The four councils rated inadequate are ..."), nor are counts of care homes, providers or services (the
rules refuse those nouns). A council named in brackets after a count ("one outstanding (Camden)") is kept in
attrs['named'] so that it gets that rating as its own assessment.

A mention's rule is the record that gave its set (or its first count); attrs['rules'] lists every record used.
Its span covers the counts and the total, never a named council's own rating ("A, B and C all received a rating
of good" keeps its ratings for A, B and C).

Passes: one scan for the rating trigger; per gated sentence (and the sentence or two before it, for a set stated
there) a fixed number of rule searches; councils are looked up only in the sentences an 'every' record needs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import RuleError
from ..grammar import piece
from ..mentions import Kind, Mention
from ..segment import Document, segment
from ..trie import scanning
from ..vocab import load_json
from .base import compile_template, expand, normalise_rating, parse_count, rating_trigger

# each kind of record and the groups its pattern must have
KINDS = {"total": {"n"}, "item": {"n", "rating"}, "every": {"rating"}, "rest": {"rating"}, "named": {"n"},
         "listed": set()}
# the parts an item record may read after each count (data/rules/tallies.json: parts)
THEN = ("named", "also")
RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
             "tenth": 10}
# "fewer than 10", "about 20", and the ratio of "one in 20 has been judged outstanding" count nothing exactly
_HEDGED = piece("tallies:hedged")
# "one of the first three councils to be rated good": a count right after "of the" is a set, not a count
_OF_THE = piece("tallies:of_the")
_RATED = piece("tallies:rated")
_SET_CUE = piece("tallies:set_cue")
_OPENS_EVERY = piece("tallies:opens_every")
# counts of these are never tallies of councils ("Two care homes were rated good and one outstanding")
# ("Of the borough's 60 registered care services, 50 are rated good"; "Ofsted has rated 14 of the 16 councils'
# children's services good"; Scotland's and Wales's inspectorates; the star ratings of before 2010, "excellent",
# "adequate", "three stars"), though a council's "adult social care services" are the council's
_NOT_COUNCILS = piece("tallies:not_councils")
# words of a set of councils, and of a count of services ("the 65 adult social care services rated", "48 reports on
# the quality of care provided by adult social care services")
_COUNCIL_WORDS = piece("tallies:council_words")
_SERVICES_COUNTED = piece("tallies:services_counted")
_LOOK_BACK = 2  # sentences of the same paragraph in which a single count's set may be stated


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str
    rx: re.Pattern[str]
    gate: re.Pattern[str] | None = None  # the record's literals, one of which is in every match
    then: tuple[str, ...] = ()  # the parts read after each count (item records)

    def may_match(self, flat: str) -> bool:
        """Whether a span whose flattened text (see _flat) is `flat` can hold a match."""
        return self.gate is None or self.gate.search(flat) is not None


@dataclass(slots=True)
class Found:
    """A match of a rule in a sentence, read: a total, a count, a whole-set rating, or a rest."""
    rule: str
    start: int
    end: int
    n: int | None = None
    rating: str | None = None
    total: int | None = None
    names: tuple[int, int] | None = None


def _check(rec: Any, seen: set[str]) -> None:
    """A malformed record stops loading with a message naming it."""
    rid = rec.get("id") if isinstance(rec, dict) else None

    def bad(why: str) -> RuleError:
        return RuleError(f"data/rules/tallies.json: record {rid!r}: {why}")

    if not isinstance(rid, str) or not rid.startswith("tally:"):
        raise bad("needs an id starting 'tally:'")
    if rid in seen:
        raise bad("id used twice")
    seen.add(rid)
    if rec.get("kind") not in KINDS:
        raise bad(f"kind must be one of {sorted(KINDS)}")
    if not isinstance(rec.get("pattern"), list) or not all(isinstance(p, str) for p in rec["pattern"]):
        raise bad("pattern must be a list of strings")
    examples, counter = rec.get("examples"), rec.get("counter_examples")
    if not examples or not all(isinstance(e, list) and len(e) == 2 and isinstance(e[0], str)
                               and isinstance(e[1], list) for e in examples):
        raise bad("examples must be a non-empty list of [text, [tally, ...]]")
    for _, tallies in examples:
        for t in tallies:
            if not isinstance(t, dict) or set(t) != {"councils", *RATINGS}:
                raise bad(f"an expected tally must have exactly the keys councils, {', '.join(RATINGS)}")
    if not counter or not all(isinstance(c, str) for c in counter):
        raise bad("counter_examples must be a non-empty list of texts")
    literals = rec.get("literals", [])
    if not isinstance(literals, list) or not all(isinstance(x, str) and x and x == x.lower() for x in literals):
        raise bad("literals must be a list of non-empty lower-case strings")
    then = rec.get("then", [])
    if not isinstance(then, list) or not set(then) <= set(THEN) or (then and rec["kind"] != "item"):
        raise bad(f"then must be a list of parts among {list(THEN)}, on an item record")


@cache
def rules() -> dict[str, list[Rule]]:
    """The records of data/rules/tallies.json, validated and compiled once, by kind."""
    data = load_json("rules/tallies.json")
    out: dict[str, list[Rule]] = {k: [] for k in KINDS}
    seen: set[str] = set()
    for rec in data["rules"]:
        _check(rec, seen)
        try:
            rx = scanning(expand("".join(rec["pattern"])), re.IGNORECASE)  # (a lookahead on first characters)
        except re.error as e:
            raise RuleError(f"data/rules/tallies.json: record {rec['id']!r}: pattern does not compile: {e}")
        missing = KINDS[rec["kind"]] - set(rx.groupindex)
        if missing:
            raise RuleError(f"data/rules/tallies.json: record {rec['id']!r}: pattern lacks group(s) "
                                  f"{sorted(missing)}")
        literals = rec.get("literals")
        gate = re.compile("|".join(map(re.escape, sorted(literals, key=len, reverse=True)))) if literals else None
        out[rec["kind"]].append(Rule(rec["id"], rec["kind"], rx, gate, tuple(rec.get("then", ()))))
    return out


@cache
def _compiled():
    """The parts of data/rules/tallies.json (named, total_before, of_those, also) and the rating trigger."""
    parts = load_json("rules/tallies.json")["parts"]
    named, total_before, of_those, also = (compile_template("".join(parts[k]["pattern"]))
                                           for k in ("named", "total_before", "of_those", "also"))
    return named, total_before, of_those, also, rating_trigger()


def _first(m: re.Match[str], name: str) -> str | None:
    """Group `name`, or name2, name3 where a pattern splits it over alternatives: the first that matched."""
    for key in (name, f"{name}2", f"{name}3"):
        if key in m.re.groupindex and m.group(key) is not None:
            return m.group(key)
    return None


@cache
def _RATING_WORD() -> re.Pattern[str]:
    return re.compile(expand(r"\b{R}\b"), re.IGNORECASE)


@cache
def _councils():
    from .councils import CouncilRecognizer  # the tally recognizer asks for councils in a few sentences only

    return CouncilRecognizer()


def _count(token: str | None) -> int | None:
    if token is not None and token.lower() in ("a", "an", "only", "first"):  # "and a good", "the only borough rated
        # ...", "the first of the 55 authorities ... rated as inadequate"
        return 1
    return parse_count(token)


def _total(doc: Document, start: int, end: int) -> Found | None:
    """The leftmost total any 'total' record finds in text[start:end] (the earlier record on a tie)."""
    best = None
    flat = _flat(doc, start, end)
    for rule in rules()["total"]:
        m = rule.rx.search(doc.text, start, end) if rule.may_match(flat) else None
        if m is None:
            continue
        n = parse_count(m.group("n")) if m.group("n") else _ORDINALS.get((m.groupdict().get("ord") or "").lower())
        if not n:
            continue
        if best is None or m.start() < best.start:
            best = Found(rule.id, m.start(), m.end(), n=n)
    return best


class _Taken:
    """Non-overlapping spans, sorted: whether a new span overlaps one costs a bisection."""

    __slots__ = ("starts", "ends")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return (i > 0 and self.ends[i - 1] > start) or (i < len(self.starts) and self.starts[i] < end)

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _flat(doc: Document, start: int, end: int) -> str:
    """text[start:end] lower-cased with its whitespace read as single spaces: what rule literals are looked for in."""
    return " ".join(doc.lower[start:end].split())


def _items(doc: Document, start: int, end: int) -> list[Found]:
    """The counts of one rating in text[start:end], left to right, none overlapping: the item records in the
    file's order, an earlier record's count keeping its words from a later one ("three good ratings out of
    three" read more fully than "three good")."""
    named_rx, _, _, also_rx, _ = _compiled()
    text = doc.text
    found: list[Found] = []
    taken = _Taken()
    flat = _flat(doc, start, end)
    for rule in rules()["item"]:
        if not rule.may_match(flat):
            continue
        for m in doc.finditer(rule.rx, start, end):
            n = _count(_first(m, "n"))
            if n is None or _HEDGED.search(text, max(start, m.start() - 14), m.start()):
                continue  # "fewer than 10 councils have been rated outstanding" counts nothing exactly
            if _OF_THE.search(text, max(start, m.start() - 22), m.start()):
                continue
            if taken.overlaps(m.start(), m.end()):
                continue
            taken.add(m.start(), m.end())
            names = m.span("names") if "names" in rule.rx.groupindex and m.group("names") else None
            named = named_rx.match(text, m.end(), end) if "named" in rule.then and names is None else None
            if named:
                names = named.span("names") if named.group("names") else named.span("names2")
            found.append(Found(rule.id, m.start(), m.end(), n=n, rating=normalise_rating(_first(m, "rating")),
                               total=parse_count(_first(m, "total")), names=names))
            also = also_rx.match(text, m.end(), end) if "also" in rule.then else None
            if also:  # "none was rated outstanding or inadequate"
                found.append(Found(rule.id, m.start(), m.end(), n=n, rating=normalise_rating(also.group("rating"))))
    return sorted(found, key=lambda f: f.start)


def _every(doc: Document, start: int, end: int) -> Found | None:
    flat = _flat(doc, start, end)
    for rule in rules()["every"]:
        m = rule.rx.search(doc.text, start, end) if rule.may_match(flat) else None
        if m:
            n = parse_count(_first(m, "n"))
            return Found(rule.id, m.start(), m.start() + len(m.group(0).split()[0]), n=n,
                         rating=normalise_rating(m.group("rating")))
    return None


def _named(doc: Document, start: int, end: int) -> list[str]:
    """The distinct councils named in text[start:end], in order."""
    sub = doc.text[start:end]
    codes: list[str] = []
    for m in _councils()(segment(sub)):
        if m.kind == Kind.COUNCIL and m.value not in codes:
            codes.append(m.value)
    return codes


def _empty(total: int | None) -> dict[str, int | None]:
    return {"councils": total, "outstanding": None, "good": None, "requires_improvement": None, "inadequate": None}


# a set of councils named by its size: "four local authorities", "three more south London boroughs", "Of the three,",
# "four more local authority assessment reports"
_STATED_SET = piece("tallies:stated_set")


def _implied_total(value: dict[str, int | None]) -> int | None:
    """A tally's total: the one the text states, else the sum of its counts when they run along the scale without
    a gap ("The spread of judgements was 8 Good and 4 Requires Improvement": 12; the evidence's rule then ends in
    '+implied_total'). Counts that skip a rating between two counted ones ("five outstanding, 41 requiring
    improvement and three inadequate") leave a count unsaid, and the total unknown."""
    if value["councils"] is not None:
        return value["councils"]
    given = [k for k, r in enumerate(RATINGS) if value[r] is not None]
    if len(given) < 2 or given[-1] - given[0] + 1 != len(given):
        return None
    return sum(value[RATINGS[k]] for k in given)


class TallyRecognizer:
    name = "tally"

    def __call__(self, doc: Document) -> list[Mention]:
        trigger = _compiled()[4]
        out: list[Mention] = []
        previous = -2  # the sentence of the last tally
        for si in doc.sentences_with(trigger):  # no rating word: no tally
            if si <= previous:
                continue  # a line of a list already counted
            sent = doc.sentences[si]
            listed = self._listed(doc, si)
            if listed is not None:
                out.append(listed)
                previous = si + listed.value["councils"] - 1
                continue
            last = out[-1] if out and previous == si - 1 else None
            # "Five of the six ... were judged good. A, B, C, D and E all received good ratings. The sixth, Derby,
            # was rated requires improvement": a rest finishes the tally of either sentence before
            if self._rest(doc, si, out[-1] if out and previous >= si - 2 else None):
                previous = si
                continue
            items = _items(doc, sent.start, sent.end)
            if not items:
                m = self._every(doc, si) if previous < si - 2 else None  # not a tally's councils named again
                if m is not None:
                    out.append(m)
                    previous = si
                continue
            if all(f.n == 0 for f in items):
                if self._zeros(doc, si, items, last, out):
                    previous = si
                continue
            m = self._counts(doc, si, items)
            if m is not None:
                out.append(m)
                previous = si
        # a headline's "two good, one requires improvement" and the body's "Of the three assessed, two were
        # rated good and one requires improvement" are one tally: the one without a total goes
        whole = [m for m in out if m.value["councils"] is not None]
        kept = [m for m in out if m.value["councils"] is not None
                or not any(all(w.value[r] == v for r, v in m.value.items() if r != "councils" and v is not None)
                           for w in whole)]
        for m in kept:
            if m.value["councils"] is None:
                m.value["councils"] = _implied_total(m.value)
                if m.value["councils"] is not None:
                    m.rule += "+implied_total"  # the evidence says the total is the counts' sum, not stated
        return kept

    def _zeros(self, doc: Document, si: int, items: list[Found], last: Mention | None, out: list[Mention]) -> bool:
        """Counts that are all zero ("None was judged outstanding, and none inadequate.") complete the tally of the
        sentence before, and "None of the five" gives its total; with no tally before, the councils the sentence
        before names with their ratings may be the set ("Knowsley was rated good, while A, B, C and D ... require
        improvement. None of the five reached outstanding"). Whether a tally took them."""
        text, sent = doc.text, doc.sentences[si]
        flat = _flat(doc, sent.start, sent.end)
        of = next(filter(None, (r.rx.search(text, sent.start, sent.end) for r in rules()["named"]
                                if r.may_match(flat))), None)
        size = parse_count(of.group("n")) if of else None
        if last is None and size and si > 0:
            last = self._named_counts(doc, si - 1, size, of)
            if last is not None:
                out.append(last)
        if last is None:
            return False
        if last.value["councils"] is None and size == self._known(last.value):
            last.value["councils"] = size
        for f in items:
            if last.value[f.rating] is None:
                last.value[f.rating] = 0
        if last.value["councils"] is None and all(last.value[r] is not None for r in RATINGS):
            last.value["councils"] = self._known(last.value)  # all four counted: their sum
        return True

    def _counts(self, doc: Document, si: int, items: list[Found]) -> Mention | None:
        """The tally of a sentence's counts, with the total it or its neighbours state; None when the counts are
        of something else, or one rating's count has no set to be counted in."""
        text, sent = doc.text, doc.sentences[si]
        if _NOT_COUNCILS.search(text, sent.start, items[-1].end):
            return None
        total = _total(doc, sent.start, sent.end)
        total_n, used = self._total_of(doc, si, items, total)
        if total_n is None and len({f.rating for f in items}) < 2:
            return None
        if total_n is None and not (self._of_councils(doc, si) or any(f.names for f in items)):
            return None  # "It revealed that 25 were rated as good, 19 ...": of the services the sentence before counts
        if total_n is not None and (any(f.n > total_n for f in items) or self._sum(items) > total_n):
            return None
        value = _empty(total_n)
        for f in items:
            if value[f.rating] is None:
                value[f.rating] = f.n
        used += [f.rule for f in items if f.rule not in used]
        start, end = items[0].start, max(f.end for f in items)
        if total is not None and total.rule in used:
            start, end = min(start, total.start), max(end, total.end)
        named = [(f.rating, f.names) for f in items if f.names]
        return Mention(Kind.TALLY, start, end, value, used[0],
                       attrs={"named": named, "items": [(f.start, f.end) for f in items], "rules": used})

    def _total_of(self, doc: Document, si: int, items: list[Found], total: Any) -> tuple[int | None, list[str]]:
        """The number of councils the counts of sentence si are out of, and the rules that found it: stated with
        a count, in the sentence, in the sentence before (when the sentence opens with its counts or says "Of
        those"), a set of that size just before, the sum of all four ratings' counts, or a set stated earlier in
        the paragraph for a single rating's count."""
        _, total_before_rx, of_those_rx, _, _ = _compiled()
        text, sent = doc.text, doc.sentences[si]
        used: list[str] = []
        total_n = next((f.total for f in items if f.total), None)
        if total_n is not None:
            used.append(next(f.rule for f in items if f.total))
        elif total is not None:
            total_n = total.n
            used.append(total.rule)
        elif si > 0 and items[0].start - sent.start <= 4 and not self._blank_before(doc, si):
            # "All 15 councils in the region have now been assessed. Ten were rated good, ...": a sentence
            # that opens with its counts takes the total of the sentence before
            prev = doc.sentences[si - 1]
            before = _total(doc, prev.start, prev.end)
            if before:
                total_n = before.n
                used.append(before.rule)
        those = of_those_rx.match(text, sent.start, sent.end) if total_n is None else None
        if those and those.group("n"):  # "Of those 11, two were rated outstanding"
            total_n = parse_count(those.group("n"))
        elif those and si > 0:
            # "... brings the number of boroughs rated to 24. Of those, two ..."
            prev = doc.sentences[si - 1]
            stated = _total(doc, prev.start, prev.end)
            if stated is not None and stated.n < self._sum(items):
                stated = None  # "The three reports bring the number of councils rated to 70. Of those, two ..."
            if stated is not None:
                total_n = stated.n
                used.append(stated.rule)
            else:  # the first size stated before that the counts fit in
                sizes = (parse_count(next((v for k, v in b.groupdict().items() if k.startswith("total") and v), None))
                         for b in total_before_rx.finditer(text, prev.start, prev.end))
                total_n = next((n for n in sizes if n is not None and n >= self._sum(items)), None)
        if total_n is None:
            # "... published its assessments of four local authorities. Three were rated good and one requires
            # improvement", "Of the three, two were rated good": a number of councils stated just before the
            # counts is their total when the counts add up to it
            total_n = self._sum_stated(doc, si, items)
        ratings = {f.rating for f in items}
        if total_n is None and len(ratings) == 4:
            # "So far there have been 2 outstanding, 40 good, 18 requires improvement and 3 inadequate
            # ratings": four counts with no stated total are the whole set
            total_n = self._sum(items)
        if (total_n is None and len(ratings) == 1 and all(f.n > 0 for f in items)
                and all(_RATED.search(text, f.start, f.end) for f in items)):
            # "The CQC has published 120 reports. Most were rated good. But the four councils rated
            # inadequate ...": one count takes a set stated earlier in its paragraph
            back = self._paragraph_total(doc, si)
            if back is not None:
                total_n = back.n
                used.append(back.rule)
        return total_n, used

    @staticmethod
    def _listed(doc: Document, si: int) -> Mention | None:
        """'The 3 reports published last week are for:' and then that many lines, each naming one council and
        its rating: a tally of those councils."""
        if si == 0:
            return None
        prev = doc.sentences[si - 1]
        rule = next((r for r in rules()["listed"] if r.rx.search(doc.text, prev.start, prev.end)
                     and r.may_match(_flat(doc, prev.start, prev.end))), None)
        total = _total(doc, prev.start, prev.end) if rule is not None else None
        if total is None or total.n > 20 or si + total.n > len(doc.sentences):
            return None
        value = _empty(total.n)
        seen: set[str] = set()
        for j in range(si, si + total.n):
            line = doc.sentences[j]
            names = _named(doc, line.start, line.end)
            word = _RATING_WORD().search(doc.text, line.start, line.end)
            if len(names) != 1 or names[0] in seen or word is None or "\n" in doc.text[line.start:line.end]:
                return None
            seen.add(names[0])
            r = normalise_rating(word.group(0))
            value[r] = (value[r] or 0) + 1
        return Mention(Kind.TALLY, total.start, total.end, value, rule.id,
                       attrs={"named": [], "items": [(total.start, total.end)], "rules": [rule.id, total.rule]})

    @staticmethod
    def _known(value: dict[str, int | None]) -> int:
        return sum(v for k, v in value.items() if k != "councils" and v)

    @staticmethod
    def _named_counts(doc: Document, si: int, size: int, of: re.Match[str]) -> Mention | None:
        """The councils sentence si names, each counted under the first rating word after it, as a tally of
        `size` councils when they are exactly that many. Its span is the "None of the five" that states the
        size: the named councils' ratings stay theirs."""
        sent = doc.sentences[si]
        sub = doc.text[sent.start:sent.end]
        names = [m for m in _councils()(segment(sub)) if m.kind == Kind.COUNCIL]
        if len({m.value for m in names}) != size:
            return None
        words = list(_RATING_WORD().finditer(sub))
        starts = [w.start() for w in words]
        value = _empty(size)
        seen: set[str] = set()
        for m in names:
            if m.value in seen:
                continue  # named twice
            i = bisect_left(starts, m.end)
            if i == len(words):
                return None
            after = words[i]
            seen.add(m.value)
            r = normalise_rating(after.group(0))
            value[r] = (value[r] or 0) + 1
        start, end = sent.start + names[0].start, sent.start + max(w.end() for w in words)
        rule = rules()["named"][0].id
        return Mention(Kind.TALLY, of.start(), of.end(), value, rule,
                       attrs={"named": [], "items": [(start, end)], "rules": [rule]})

    @staticmethod
    def _of_councils(doc: Document, si: int) -> bool:
        """Whether counts with no stated total are of councils: the sentence, or the one before, speaks of councils
        and not of services, providers or homes counted ("of the 65 adult social care services rated"). (Counts
        that name their councils, "one outstanding (Camden)", are of councils anyway.)"""
        lo = doc.sentences[si - 1].start if si > 0 else doc.sentences[si].start
        hi = doc.sentences[si].end
        return bool(_COUNCIL_WORDS.search(doc.text, lo, hi)) and not _SERVICES_COUNTED.search(doc.text, lo, hi)

    @classmethod
    def _sum_stated(cls, doc: Document, si: int, items: list[Found]) -> int | None:
        """The number of councils the tally's sentence (before its first count) or the sentence before states, when
        it equals the sum of counts of two ratings or more."""
        want = cls._sum(items)
        if want < 2 or len({f.rating for f in items}) < 2:
            return None  # ("All five are rated outstanding": the councils just named, not a tally)
        return want if cls._states_a_set_of(doc, si, want, items[0].start) else None

    @staticmethod
    def _states_a_set_of(doc: Document, si: int, size: int, before: int) -> bool:
        """Whether the sentence before sentence si, or si itself before `before`, states a set of councils of that
        size ("three councils", "four local authorities")."""
        lo = doc.sentences[si - 1].start if si > 0 else doc.sentences[si].start
        return any(parse_count(_first(m, "n")) == size
                   and not _SERVICES_COUNTED.search(doc.text, m.start(), min(before, m.end() + 100))
                   for m in _STATED_SET.finditer(doc.text, lo, before))

    @staticmethod
    def _sum(items: list[Found]) -> int:
        seen: dict[str, int] = {}
        for f in items:
            seen.setdefault(f.rating, f.n)
        return sum(seen.values())

    @staticmethod
    def _paragraph_total(doc: Document, si: int) -> Found | None:
        """A total stated in one of the _LOOK_BACK sentences before sentence si, with no blank line between."""
        for back in range(si - 1, max(-1, si - 1 - _LOOK_BACK), -1):
            prev = doc.sentences[back]
            if TallyRecognizer._blank_before(doc, back + 1):
                return None
            found = _total(doc, prev.start, prev.end)
            if found is not None:
                return found
        return None

    @staticmethod
    def _blank_before(doc: Document, si: int) -> bool:
        """Whether a blank line (a new paragraph) separates sentence si from the one before."""
        return "\n\n" in doc.text[doc.sentences[si - 1].end:doc.sentences[si].start].replace(" ", "")

    @staticmethod
    def _rest(doc: Document, si: int, last: Mention | None) -> bool:
        """A sentence opening "The sixth, Derby, was rated requires improvement" or "The remaining two ..."
        finishes the tally of the sentence before; True when it did."""
        if last is None or last.value["councils"] is None:
            return False
        sent = doc.sentences[si]
        for rule in rules()["rest"]:
            m = rule.rx.match(doc.text, sent.start, sent.end)
            if m is None:
                continue
            rating = normalise_rating(m.group("rating"))
            value = last.value
            if value[rating] is not None and value[rating] != 0:
                return False
            known = sum(v for k, v in value.items() if k != "councils" and v)
            left = value["councils"] - known
            n = parse_count(_first(m, "n"))
            ordinal = _ORDINALS.get((m.group("ord") or "").lower())
            if ordinal is not None and ordinal != value["councils"] and m.group("ord").lower() not in ("last", "final"):
                return False
            n = left if n is None else n
            if n <= 0 or n > left:
                return False
            value[rating] = n
            last.attrs["rules"].append(rule.id)  # the span stays: "The sixth, Derby, was rated ..." is Derby's rating
            last.attrs["items"].append((m.start(), m.end()))
            return True
        return False

    @staticmethod
    def _every(doc: Document, si: int) -> Mention | None:
        """One rating over a whole set: "Three local authorities were assessed. A, B and C all received a rating
        of good" (a stated total the named councils match), "the reports on A, B and C. Each achieved a rating
        of good" (the councils named, with an assessment cue, in the sentence before)."""
        sent = doc.sentences[si]
        found = _every(doc, sent.start, sent.end)
        if found is None or _NOT_COUNCILS.search(doc.text, sent.start, sent.end):
            return None
        named_here = _named(doc, sent.start, found.start)
        total = _total(doc, sent.start, sent.end)
        prev = doc.sentences[si - 1] if si > 0 else None
        if total is None and prev is not None:
            total = _total(doc, prev.start, prev.end)
        size, rule = None, found.rule
        if total is not None and (len(named_here) == total.n or found.n == total.n):
            size, rule = total.n, total.rule
        elif (total is None and len(named_here) >= 2
              and TallyRecognizer._states_a_set_of(doc, si, len(named_here), found.start)):
            size = len(named_here)  # "... 'good' ratings at three councils. A, B and C were all assessed as 'good'"
        elif (not named_here and prev is not None and _OPENS_EVERY.match(doc.text, sent.start, sent.end)
              and _SET_CUE.search(doc.text, prev.start, prev.end)):
            names = _named(doc, prev.start, prev.end)
            if len(names) >= 2 and (found.n is None or found.n == len(names)):
                size = len(names)
        if not size:
            return None
        value = _empty(size)
        value[found.rating] = size
        return Mention(Kind.TALLY, found.start, found.end, value, rule,
                       attrs={"named": [], "items": [(found.start, found.end)], "rules": [rule, found.rule]})
