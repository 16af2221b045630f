"""Statement scores and counts stated in prose, in numbers or in words.

Real writers rarely put a score right beside a statement's name. They write "a 'good' score of three in five
of these areas, including safeguarding", "'requires improvement' in areas around assessing need and equity",
"rated Good in four out of nine areas, with evidence of some shortfalls in five", "the lowest score – one – in
six of those areas". This recognizer reads such sentences as three kinds of term, each found by the rule
records in `data/rules/statement_phrases.json`:

- score terms: a score as a digit, a number word, CQC's descriptor ("some shortfalls"), a rating word used of
  statements ("rated good for ...") or a rank ("the second lowest ranking");
- count terms: how many statements ("in five of these areas", "all but two", "eight were given");
- statement names: the vocabulary's names plus the short forms writers use ("governance", "assessing need").

A sentence is cut into clauses (at "with", "while", "but", ...). In a clause, each count takes the nearest
score term, and each run of names takes the score term that governs it: the one after it when a predicate
follows the names ("X and Y were all considered good"), else the one before ("good for X and Y").
A score term next to "overall" is the overall rating, and one in an aspiration ("hopes to be rated good in all
areas") or a near miss is no score. Each mention's rule is its score or count term's record id.

Passes: one scan for the sentence gate (names or count units), one for score terms, then per gated sentence a
bounded number of rule searches.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..grammar import piece
from ..mentions import Kind, Mention
from ..segment import Document
from ..vocab import load_json, statements
from ..trie import scanning
from .base import parse_count

_N4 = r"(?:[1-4]|one|two|three|four)"
_NUM = r"(?:[1-9]|one|two|three|four|five|six|seven|eight|nine)"
_Q = r"[‘'\"“”’]?"
_CONFIDENCE = 0.9    # below the name-beside-score rules': where both read one statement, theirs stands
_MAX_PIECE = 1200    # a sentence longer than this is read in pieces (real sentences that state scores are shorter)
_NAME_GAP = 48        # names further apart than this (in characters) are two runs
_PAIR_REACH = 70      # a count and its score term, or a run of names and its score term, at most this far apart
_SEMICOLON = piece("statement_phrases:semicolon")
_LIST_MARK = piece("segment:bullet")
# an exception that follows a count's score: "... scored three except equity and safeguarding, which ..."
_EXCEPT = piece("statement_phrases:except")
_EXCEPT_END = piece("statement_phrases:except_end")
# what stands between a score and the names it governs: "good for X", "scores of two in four categories,
# including X", "'requires improvement' in areas around X", "the areas scored 2 were X", "one out of four, the
# lowest possible mark, for X"
_LEADS_TO = piece("statement_phrases:leads_to")
# "scored two across all nine statements", "'requires improvement' across all nine areas": a score just before
# "across" (not "looked across all nine areas")
_SCORED_ACROSS = piece("statement_phrases:scored_across")
_SCORE_IN = piece("statement_phrases:score_in")
_COUNT_WERE = piece("statement_phrases:count_were")
_THEN = piece("statement_phrases:then")
_ADJACENT = piece("statement_phrases:adjacent")
_PREDICATE = piece("statement_phrases:predicate")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str
    rx: re.Pattern[str]
    record: dict[str, Any]

    def value(self, m: re.Match[str]) -> int | None:
        """The score (score terms) or count (count terms) a match of this rule states."""
        r, g = self.record, m.groupdict()
        if "value" in r:
            return r["value"]
        if g.get("n"):
            return parse_count(g["n"])
        if g.get("k"):
            k = parse_count(g["k"])
            return None if k is None else 9 - k
        if g.get("w"):
            return r["word_values"][g["w"].lower()]
        if g.get("r"):
            return r["rating_values"][g["r"].split()[0].lower()]
        if g.get("rank"):
            return r["rank_values"][g["rank"].lower()]
        return None


@dataclass(frozen=True, slots=True)
class Term:
    start: int
    end: int
    value: int
    rule: str
    explicit: bool  # a number, not a word or rank


@cache
def rules() -> dict[str, Any]:
    """The rule records, compiled once: score terms, count terms, the name regex and the clause breaks."""
    data = load_json("rules/statement_phrases.json")
    unit = "(?:" + "|".join(data["units"]) + ")"

    def expand(pieces: list[str]) -> str:
        return "".join(pieces).replace("{N4}", _N4).replace("{NUM}", _NUM).replace("{UNIT}", unit).replace("{Q}", _Q)

    compiled: dict[str, list[Rule]] = {"score_term": [], "count_term": []}
    names: list[tuple[str, str]] = []
    for rec in data["rules"]:
        if rec["kind"] == "name_alias":
            names += [(sid, pat) for sid, pats in rec["aliases"].items() for pat in pats]
            continue
        compiled[rec["kind"]].append(Rule(rec["id"], rec["kind"], scanning(expand(rec["pattern"]), re.IGNORECASE), rec))
    names += [(sid, pat) for sid, s in statements().items() for pat in s["patterns"]]
    names.sort(key=lambda x: -len(x[1]))
    group_of = {f"s{i}": sid for i, (sid, _) in enumerate(names)}
    # (scanning: each pattern led by a lookahead on the characters its matches can begin with; the same matches)
    name_pattern = r"\b(?:" + "|".join(f"(?P<s{i}>{p})" for i, (_, p) in enumerate(names)) + r")\b"
    name_rx = scanning(name_pattern, re.IGNORECASE)
    return {
        "score": compiled["score_term"], "count": compiled["count_term"], "names": name_rx, "group_of": group_of,
        "unit": scanning(r"\b" + unit + r"\b", re.IGNORECASE),
        "gate": scanning(name_pattern + r"|\b(?:nine|all\s+but)\b|\b" + unit + r"\b", re.IGNORECASE),
        "breaks": scanning("|".join(data["clause_breaks"]), re.IGNORECASE),
        "refuse": scanning(data["refuse_before"], re.IGNORECASE),
        "scale_talk": scanning(data["scale_talk"], re.IGNORECASE),
        "scale": scanning(data["scale_explained"], re.IGNORECASE),
        "overall": scanning(data["overall"], re.IGNORECASE),
        "by_id": {rule.id: rule for rule in compiled["score_term"] + compiled["count_term"]},
    }


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence, or an over-long one (a list or table run together) cut at spaces into pieces of at most
    _MAX_PIECE characters, so that the work per piece is bounded and the whole stays linear in the text."""
    out = []
    while end - start > _MAX_PIECE:
        cut = text.rfind(" ", start + _MAX_PIECE // 2, start + _MAX_PIECE)
        cut = cut if cut > start else start + _MAX_PIECE
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _coalesce(windows: list[tuple[int, int]], gap: int = 4) -> list[tuple[int, int]]:
    """Sorted windows with adjacent ones joined (consecutive sentences): fewer, longer scans."""
    out: list[tuple[int, int]] = []
    for s, e in windows:
        if out and s - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _all_score_terms(doc: Document, windows: list[tuple[int, int]], r: dict[str, Any]) -> list[Term]:
    """Every score term in the windows (the gated sentences), each rule's pattern run once over them all."""
    found: list[Term] = []
    for rule in r["score"]:
        for m in doc.finditer_windows(rule.rx, windows):
            v = rule.value(m)
            if v is not None and 1 <= v <= 4:
                found.append(Term(m.start(), m.end(), v, rule.id, bool(m.groupdict().get("n"))))
    return sorted(found, key=lambda t: t.start)


def _score_terms(found: list[Term], r: dict[str, Any]) -> list[Term]:
    """A sentence's score terms, overlaps settled."""
    if any(t.explicit for t in found):  # "its highest marks ..., scoring 4 for the former": the numbers say which
        found = [t for t in found if not r["by_id"][t.rule].record.get("only_without_numbers")]
    # overlapping terms: a stated number beats a word, then the longer wins
    found.sort(key=lambda t: (not t.explicit, -(t.end - t.start), t.start))
    kept: list[Term] = []
    for t in found:
        if not any(t.start < k.end and k.start < t.end for k in kept):
            kept.append(t)
    return sorted(kept, key=lambda t: t.start)


def _refused(text: str, t: Term, clause_start: int, r: dict[str, Any]) -> bool:
    """The overall rating ("rated good overall", "an overall rating of 'Good'") or an aspiration or near miss."""
    before = text[max(clause_start, t.start - 60):t.start]
    if r["overall"].search(text, max(clause_start, t.start - 25), t.start) or r["overall"].search(text, t.end, t.end + 12):
        return True
    return bool(r["refuse"].search(before))


def _clauses(text: str, start: int, end: int, terms: list[Term], r: dict[str, Any]) -> list[tuple[int, int]]:
    """The sentence cut at clause breaks, and at semicolons between parts that each hold a score term ("X 3/4;
    Y 2/4"); a part with no score term is a list item that runs on into the next ("X; Y and Z were good")."""
    cuts = [start] + [m.start() for m in r["breaks"].finditer(text, start, end) if m.start() > start] + [end]
    out: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:]):
        parts, lo = [], a
        for m in _SEMICOLON.finditer(text, a, b):
            parts.append((lo, m.start()))
            lo = m.end()
        parts.append((lo, b))
        merged: list[tuple[int, int]] = []
        pending = None
        for ps, pe in parts:
            ps = pending if pending is not None else ps
            if any(ps <= t.start < pe for t in terms):
                merged.append((ps, pe))
                pending = None
            else:
                pending = ps
        if pending is not None:
            if merged:
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((pending, b))
        out += merged
    return [(a, b) for a, b in out if b > a]


def _pair_counts(text: str, cs: int, ce: int, terms: list[Term], unit_in_sentence: bool, r: dict[str, Any]) -> list:
    """Count terms of a clause paired one to one with score terms, nearest pairs first (statement names between
    them do not count as distance); a count that only says how many statements there are ("looked at nine
    areas") pairs with nothing."""
    names = [m.span() for m in r["names"].finditer(text, cs, ce)]
    found = []
    for rule in r["count"]:
        if rule.record.get("needs_unit_in_sentence") and not unit_in_sentence:
            continue
        for m in rule.rx.finditer(text, cs, ce):
            n = 0 if rule.record.get("remainder") else rule.value(m)  # a remainder's count is known at the end
            if n is not None and 0 <= n <= 9 and (
                    not r["scale_talk"].search(text, max(cs, m.start() - 30), m.start())
                    or _SCORED_ACROSS.search(text, max(cs, m.start() - 30), m.start())):
                found.append((m, rule, n))
    found.sort(key=lambda f: (-(f[0].end() - f[0].start()), f[0].start()))
    counts: list = []
    for f in found:
        if not any(f[0].start() < c[0].end() and c[0].start() < f[0].end() for c in counts):
            counts.append(f)
    pairs = []
    for t in terms:
        for m, rule, n in counts:
            if t.start < m.end() and m.start() < t.end:
                continue
            lo, hi = (t.end, m.start()) if t.end <= m.start() else (m.end(), t.start)
            d = hi - lo - sum(min(hi, e) - max(lo, s_) for s_, e in names if s_ < hi and lo < e)
            if t.end <= m.start() and _SCORE_IN.fullmatch(text, t.end, m.start()):
                d = -1  # "3 in seven of them": the score written just before its count
            elif m.end() <= t.start and _COUNT_WERE.fullmatch(text, m.end(), t.start):
                d = -1  # "three of the nine had been scored 3": the count, its verb, its score
            elif t.end <= m.start() and _THEN.fullmatch(text, t.end, m.start()):
                d += 50  # "... scored 3 and the remaining six had been scored 2": the count opens the next pair

            if d <= _PAIR_REACH:
                pairs.append((d, t.start, m.start(), t, m, rule, n))
    used_t, used_c, out = set(), set(), []
    for _, _, _, t, m, rule, n in sorted(pairs, key=lambda p: p[:3]):
        if id(t) not in used_t and m.start() not in used_c:
            used_t.add(id(t))
            used_c.add(m.start())
            out.append((t, m, rule, n))
    # a count of one is a count only beside another in its clause, a share of the nine ("inadequate in eight
    # areas and requiring improvement in one"); alone it names its statement ("One statement, Assessing needs,
    # was scored 2") or is no count at all ("moving from a two to a three on one statement")
    if not any(n != 1 for _, _, _, n in out):
        out = []
    return sorted(out, key=lambda p: p[1].start())


def _excepted(text: str, start: int, end: int, r: dict[str, Any]) -> int:
    """How many statements an exception right after a count takes out of it: "All nine areas scored three out of
    four except equity in experience and outcomes, which scored two" counts eight."""
    m = _EXCEPT.match(text, start, end)
    if m is None:
        return 0
    stop = _EXCEPT_END.search(text, m.end(), end)
    return len({r["group_of"][n.lastgroup] for n in r["names"].finditer(text, m.end(), stop.start() if stop else end)})


class StatementPhraseRecognizer:
    """Statement scores and counts in prose sentences (see the module's docstring)."""

    name = "statement_phrase"

    def __call__(self, doc: Document) -> list[Mention]:
        if not doc.sentences:
            return []
        r = rules()
        text = doc.text
        out: list[Mention] = []
        # "scored from 1 (significant shortfalls) to 4 (exceptional standard)" explains the scale: no sentence of it
        sents = [doc.sentences[i] for i in doc.sentences_with(r["gate"])]
        sents = [s for s in sents if not r["scale"].search(text, s.start, s.end)]
        found = _all_score_terms(doc, _coalesce([(s.start, s.end) for s in sents]), r)
        starts = [t.start for t in found]
        for sent in sents:
            for lo, hi in _pieces(text, sent.start, sent.end):
                terms = _score_terms(found[bisect_left(starts, lo):bisect_left(starts, hi)], r)
                if terms:
                    out += self._sentence(text, lo, hi, terms, r)
            if text[sent.end - 1] == ":":
                out += self._bullets_under(doc, sent, found[bisect_left(starts, sent.start):bisect_left(starts, sent.end)], r)
        return out

    @staticmethod
    def _bullets_under(doc: Document, lead, terms: list[Term], r: dict[str, Any]) -> list[Mention]:
        """The bullets under a sentence that ends with a score and a colon ("... but four required improvement:"),
        each a statement's name: that score for each."""
        text = doc.text
        live = _score_terms(terms, r)
        if not live or text.find(",", live[-1].end, lead.end) != -1 or _refused(text, live[-1], lead.start, r) \
                or lead.end - live[-1].end > 30:
            return []
        t = live[-1]
        out: list[Mention] = []
        i = doc.sentence_at(lead.start) + 1
        while i < len(doc.sentences) and doc.sentences[i].bullet and len(out) < 9:
            s = doc.sentences[i]
            mark = _LIST_MARK.match(text, s.start, s.end)
            body = mark.end() if mark else s.start
            names = list(r["names"].finditer(text, body, s.end))
            if not names or names[0].start() - body > 2 or s.end - body > 70 \
                    or len({r["group_of"][n.lastgroup] for n in names}) > 1:
                break  # a bullet that is more than one statement's name: the list is something else
            name = names[0]
            out.append(Mention(Kind.STATEMENT_SCORE, name.start(), name.end(), (r["group_of"][name.lastgroup], t.value),
                               f"{t.rule}+list", confidence=_CONFIDENCE, attrs={"name": name.span()}))
            i += 1
        return out

    def _sentence(self, text: str, start: int, end: int, terms: list[Term], r: dict[str, Any]) -> list[Mention]:
        out: list[Mention] = []
        counts: dict[str, int] = {}
        items: list[tuple[int, int, int]] = []
        rule_ids: list[str] = []
        unit_in_sentence = r["unit"].search(text, start, end) is not None
        rest: list = []

        def add(t: Term, m: re.Match[str], rule: Rule, n: int) -> None:
            key = str(t.value)
            if n <= 0 or key in counts or sum(counts.values()) + n > 9:
                return
            counts[key] = n
            items.append((min(m.start(), t.start), max(m.end(), t.end), t.value))
            rule_ids.extend((t.rule, rule.id))

        for cs, ce in _clauses(text, start, end, terms, r):
            live = [t for t in terms if cs <= t.start < ce and not _refused(text, t, cs, r)]
            if not live:
                continue
            for t, m, rule, n in _pair_counts(text, cs, ce, live, unit_in_sentence, r):
                if rule.record.get("remainder"):
                    rest.append((t, m, rule))
                else:
                    add(t, m, rule, n - _excepted(text, max(m.end(), t.end), end, r))
            out += self._names(text, cs, ce, [t for t in live if not r["by_id"][t.rule].record.get("counts_only")], r)
        # "... and the rest at 2", "threes everywhere else": what the counts and the named statements leave
        named = len({mm.value[0] for mm in out if mm.kind == Kind.STATEMENT_SCORE}) if rest else 0
        for t, m, rule in rest:
            if counts or named:
                add(t, m, rule, 9 - sum(counts.values()) - (0 if counts else named))
        if counts:
            items.sort()
            out.append(Mention(Kind.STATEMENT_COUNT, items[0][0], items[-1][1], dict(sorted(counts.items(), reverse=True)),
                               "+".join(sorted(set(rule_ids))), confidence=_CONFIDENCE, attrs={"items": items}))
        return out

    @staticmethod
    def _names(text: str, cs: int, ce: int, terms: list[Term], r: dict[str, Any]) -> list[Mention]:
        names = [(m.start(), m.end(), r["group_of"][m.lastgroup]) for m in r["names"].finditer(text, cs, ce)]
        names = [n for n in names if not any(t.start < n[1] and n[0] < t.end for t in terms)]
        runs: list[list[tuple[int, int, str]]] = []
        for n in names:
            if runs and n[0] - runs[-1][-1][1] <= _NAME_GAP and not any(runs[-1][-1][1] <= t.start < n[0] for t in terms):
                runs[-1].append(n)
            else:
                runs.append([n])
        out: list[Mention] = []
        for run in runs:
            rs, re_ = run[0][0], run[-1][1]
            after = next((t for t in terms if t.start >= re_), None)
            before = next((t for t in reversed(terms) if t.end <= rs), None)
            if after is not None and (_ADJACENT.fullmatch(text, re_, after.start) or (
                    after.start - re_ <= _PAIR_REACH and _PREDICATE.match(text, re_, after.end))):
                t = after
            elif before is not None and rs - before.end <= _PAIR_REACH and ";" not in text[before.end:rs] \
                    and _LEADS_TO.match(text, before.end, rs):
                t = before
            else:
                continue
            for s, e, sid in run:
                out.append(Mention(Kind.STATEMENT_SCORE, min(s, t.start), max(e, t.end), (sid, t.value), t.rule,
                                   confidence=_CONFIDENCE, attrs={"name": (s, e)}))
        return out
