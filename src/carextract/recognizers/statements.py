"""Quality statement scores and counts.

- Mention(kind='statement_score', value=(statement_id, 1..4)): a statement's
  name with its score beside it ("Safeguarding – 3", "Safeguarding | 3",
  "Safeguarding (3/4)"), on a following "Score: 3" line under a statement
  heading, before it in prose ("scored 4 for safeguarding, partnerships and
  communities"), or listed after a count ("4 in two statements: X and Y").
- Mention(kind='statement_count', value={"3": 7, "2": 2}): counts of scores
  without names ("3 in seven of the nine statements and 2 in the other two",
  "a 3 for all but two").
"""

from __future__ import annotations

import re
from functools import cache

from ..errors import RuleError
from ..grammar import piece
from ..mentions import Kind, Mention
from ..rules import records_of
from ..segment import Document
from ..trie import scanning
from ..vocab import load_json, patterns, statements
from .base import compile_template, parse_count
from .statement_phrases import rules as phrase_rules

# each optional part takes the space after it, so that a long run of spaces (a PDF's column gap) is read once
_LIST_SEP = piece("statements:list_sep")
_LIST_INTRO = piece("statements:list_intro")
_SCORE_TOKEN = piece("statements:score_token")
_WRAPPED_SCORE = piece("statements:wrapped_score")
_LINE_BREAK_ONLY = piece("statements:line_break_only")
_OUT_OF = piece("statements:out_of")
_PLURAL_VERB = piece("statements:plural_verb")
# names set off after a count that carry their own score: "and two – Assessing needs and Safeguarding – had been
# scored 2" (the score after them, not the count's before them)
_OWN_SCORE_AFTER = piece("statements:own_score_after")
_THESE_N = piece("statements:these_n")
_THESE_WERE = piece("statements:these_were")


@cache
def _compiled():
    p = patterns()
    names = []
    for sid, s in statements().items():
        for pat in s["patterns"]:
            names.append((sid, pat))
    names.sort(key=lambda x: -len(x[1]))
    # then the short names writers use ("partnership working", "improvement and innovation"), as statement phrases
    # read them: after every full name, since the first alternative that matches wins
    aliases = next(r for r in load_json("rules/statement_phrases.json")["rules"] if r["kind"] == "name_alias")["aliases"]
    names += sorted(((sid, pat) for sid, pats in aliases.items() for pat in pats), key=lambda x: -len(x[1]))
    alternation = "|".join(f"(?P<s{i}>{pat})" for i, (_, pat) in enumerate(names))
    name_rx = scanning(r"\b(?:" + alternation + r")\b", re.IGNORECASE)
    group_ids = {f"s{i}": sid for i, (sid, _) in enumerate(names)}
    by_role: dict[str, list] = {}
    for r in records_of("statement_scores.json"):
        by_role.setdefault(r.role, []).append((r.id.split(":", 1)[1], compile_template(r.regex)))
    for role in ("after_name", "score_line", "bullet_intro"):
        if len(by_role.get(role, ())) != 1:
            raise RuleError(f"data/rules/statement_scores.json needs exactly one record of role {role!r}")
    after, score_line, bullet_intro = (by_role[role][0][1] for role in ("after_name", "score_line", "bullet_intro"))
    before = by_role.get("before_name", [])
    counts = [(r.id.split(":", 1)[1], compile_template(r.regex)) for r in records_of("statement_counts.json")]
    ctx = scanning(p["statement_count_context"], re.IGNORECASE)
    return name_rx, group_ids, after, score_line, before, counts, ctx, bullet_intro


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, len(text) if e == -1 else e


class StatementScoreRecognizer:
    name = "statement_score"

    def __call__(self, doc: Document) -> list[Mention]:
        name_rx, group_ids, after, score_line, before, _, _, bullet_intro = _compiled()
        text = doc.text
        counts = statement_counts(doc)
        by_sentence: dict[int, list[Mention]] = {}
        for c in counts:
            by_sentence.setdefault(doc.sentence_at(c.start), []).append(c)
        names = [(m, group_ids[m.lastgroup]) for m in doc.finditer(name_rx)]
        out: list[Mention] = []
        prev: tuple[int, int | None, str | None] = (-1, None, None)  # end of previous name, its score, its rule
        scored: list = []
        for idx, (m, sid) in enumerate(names):
            ls, le = doc.line_bounds(m.start())  # the text's newlines found once, not a scan per name
            score, rule, span = None, None, (m.start(), m.end())
            a = after.match(text, m.end(), le)
            if a:
                score, rule, span = int(a.group("score")), "after_name", (m.start(), a.end("score"))
            elif le - m.end() <= 2:  # a name ending a wrapped line, its score opening the next: "Assessing needs⏎3;"
                w = _WRAPPED_SCORE.match(text, m.end(), min(len(text), le + 8))
                if w:
                    score, rule, span = int(w.group(1)), "after_name", (m.start(), w.end(1))
            if score is None:
                sent = doc.sentences[doc.sentence_at(m.start())] if doc.sentences else None
                lo = max(sent.start if sent else 0, m.start() - 120)
                for bname, brx in before:
                    b = brx.search(text, lo, m.start())
                    if b:
                        value = b.group("score") or str(parse_count(b.groupdict().get("wscore")) or "")
                        if value:
                            start = b.start("score") if b.group("score") else b.start("wscore")
                            score, rule, span = int(value), bname, (start, m.end())
                            break
            if score is None and prev[1] is not None and _LIST_SEP.match(text, prev[0], m.start()) and \
                    not _LINE_BREAK_ONLY.fullmatch(text, prev[0], m.start()):  # (names on lines of their own)
                score, rule = prev[1], f"{prev[2]}+list"
            if score is None:
                score, rule = self._from_count(doc, by_sentence, m), "count_list"
                if score is None:
                    score, rule = self._from_bullet_intro(doc, bullet_intro, m), "bullet_intro"
                if score is None:
                    rule = None
            if score is None and m.start() - ls <= 12:
                nxt = names[idx + 1][0].start() if idx + 1 < len(names) else len(text)
                score, rule, span = self._score_line(text, score_line, le, nxt, m)
            if score is not None:
                out.append(Mention(Kind.STATEMENT_SCORE, span[0], span[1], (sid, score), f"statement_score:{rule}",
                                   attrs={"name": (m.start(), m.end())}))
            prev = (max(m.end(), span[1]), score, rule)  # where the name, or its score after it, ends
            scored.append((m, sid, score))
        out += self._shared_scores(text, scored)
        return out

    @staticmethod
    def _shared_scores(text: str, scored: list) -> list[Mention]:
        """'Assessing needs and safeguarding were each scored 2': names listed before a name scored after it."""
        out = []
        shared: set[int] = set()  # names that took the score of the name after them: a chain may go on
        for k in range(len(scored) - 2, -1, -1):
            m, sid, score = scored[k]
            nxt, _, nxt_score = scored[k + 1]
            if score is None and nxt_score is not None and _LIST_SEP.fullmatch(text, m.end(), nxt.start()) \
                    and (k + 1 in shared or _PLURAL_VERB.match(text, nxt.end(), nxt.end() + 40)):
                scored[k] = (m, sid, nxt_score)
                shared.add(k)
                out.append(Mention(Kind.STATEMENT_SCORE, m.start(), m.end(), (sid, nxt_score),
                                   "statement_score:listed_before", attrs={"name": (m.start(), m.end())}))
        return out

    @staticmethod
    def _score_line(text, score_line, line_end, next_name, m):
        """A 'Score: 3' line within the two lines after a statement heading, before the next statement."""
        pos = line_end
        for _ in range(3):
            if pos >= len(text) or pos >= next_name:
                break
            ls, le = _line_bounds(text, pos + 1)
            if le > next_name:
                break
            s = score_line.match(text, ls, le)
            if s:
                return int(s.group("score")), "score_line", (m.start(), s.end("score"))
            pos = le
        return None, None, (m.start(), m.end())

    @staticmethod
    def _from_bullet_intro(doc: Document, intro: re.Pattern[str], m) -> int | None:
        """A statement opening a bullet item takes the score of the line that introduces the list ("The
        statements scored 4 included:", "Highest scores (3 out of 4)")."""
        i = doc.sentence_at(m.start())
        if not doc.sentences or not doc.sentences[i].bullet or m.start() - doc.sentences[i].start > 4:
            return None
        j = i - 1
        while j >= 0 and doc.sentences[j].bullet and i - j <= 12:
            j -= 1
        if j < 0 or doc.sentences[j].bullet:
            return None
        found = intro.search(doc.text, doc.sentences[j].start, doc.sentences[j].end)
        return int(found.group("score") or found.group("score2")) if found else None

    @staticmethod
    def _from_count(doc: Document, counts: dict[int, list[Mention]], m) -> int | None:
        """A name listed right after a counted score: '4 in two statements – X and Y', '2 for the other two, X
        and Y', in the next sentence after a single count: '... 1 in five statements. These were X, Y ...', or in
        the bullets under a count that ends with a colon."""
        text = doc.text
        i = doc.sentence_at(m.start())
        if doc.sentences[i].bullet:
            # a bullet list under "... and a 2 for each of the other seven:" takes that count's score
            j = doc.bullet_lead(i)  # found once per document, not walked back over every earlier bullet
            lead = doc.sentences[j] if j >= 0 else None
            if lead is not None and text[lead.end - 1] == ":" and counts.get(j):
                return counts[j][-1].attrs["items"][-1][2]
        for c in counts.get(i, []) + counts.get(i - 1, []):
            ci = doc.sentence_at(c.start)
            if ci == i:
                before = [it for it in c.attrs["items"] if it[1] <= m.start()]
                if before and m.start() - before[-1][1] < 60 and \
                        _LIST_INTRO.search(text, before[-1][1], min(m.start(), before[-1][1] + 40)) and \
                        not _OWN_SCORE_AFTER.match(text, m.end(), min(doc.sentences[i].end, m.end() + 80)):
                    return before[-1][2]
            elif ci == i - 1 and len(c.attrs["items"]) == 1 and _THESE_WERE.match(text, doc.sentences[i].start, m.start()):
                return c.attrs["items"][0][2]
            elif ci == i - 1:
                # "... two in seven of the nine areas, and one in the other two. Those two were X and Y": the count
                # of that size
                these = _THESE_N.match(text, doc.sentences[i].start, m.start())
                n = parse_count(these.group(1)) if these else None
                scores = [int(k) for k, v in c.value.items() if v == n]
                if len(scores) == 1:
                    return scores[0]
        return None


def statement_counts(doc: Document) -> list[Mention]:
    """The counts of a document, found once: StatementCountRecognizer emits them, and the score recognizer
    reads them to score the names listed after a count ("4 in two statements: X and Y")."""
    found = doc._memo.get("statement_counts")
    if found is None:
        found = doc._memo["statement_counts"] = _find_counts(doc)
    return found


class StatementCountRecognizer:
    """Mention(kind='statement_count'): counts of scores without names ("3 in seven of the nine")."""

    name = "statement_count"

    def __call__(self, doc: Document) -> list[Mention]:
        return list(statement_counts(doc))


# what the first count of a sentence must say it counts ("Of the nine statements, ... a 2 in eight"), and what a
# "N statements scored 3" count must stand among
_COUNTS_WHAT = piece("statements:counts_what")
_COUNT_WERE_WHAT = piece("statements:count_were_what")


def _find_counts(doc: Document) -> list[Mention]:
    _, _, _, _, _, rules, ctx, _ = _compiled()
    scale = phrase_rules()["scale"]
    text = doc.text
    out: list[Mention] = []
    for i in doc.sentences_with(ctx):
        sent = doc.sentences[i]
        if not _SCORE_TOKEN.search(text, sent.start, sent.end):
            continue  # every count rule holds a score, 1-4 or one-four
        if scale.search(text, sent.start, sent.end):
            continue  # "scores of 1 (significant shortfalls) to 4 across nine statements" explains the scale
        found = sorted(((m.start(), m.end(), name, m) for name, rx in rules
                        for m in doc.finditer(rx, sent.start, sent.end)), key=lambda f: (f[0], -(f[1] - f[0])))
        if found:
            m = _sentence_counts(text, sent.start, sent.end, found)
            if m is not None:
                out.append(m)
    return out


def _sentence_counts(text: str, start: int, end: int, found: list) -> Mention | None:
    """One sentence's counts from its rule matches (sorted, overlapping ones after the first skipped)."""
    counts: dict[str, int] = {}
    spans = []
    items: list[tuple[int, int, int]] = []
    last_end = -1
    for s, e, name, m in found:
        if s < last_end:
            continue
        groups = m.groupdict()
        score = groups.get("score") or str(parse_count(groups.get("wscore")) or "")
        if not score:
            continue
        if groups.get("score") and _OUT_OF.search(text, max(0, m.start("score") - 10), m.start("score")):
            continue  # the 4 of "3 out of 4" is not a score
        n = _count_of(text, start, end, name, m, counts)
        if n is None or not 0 < n <= 9 or sum(counts.values()) + n > 9:
            continue
        counts[score] = counts.get(score, 0) + n
        spans.append((s, e))
        items.append((s, e, int(score)))
        last_end = e
    if not counts:
        return None
    return Mention(Kind.STATEMENT_COUNT, spans[0][0], spans[-1][1], counts,
                   "statement_count:" + "+".join(sorted({f[2] for f in found})), attrs={"items": items})


def _count_of(text: str, start: int, end: int, name: str, m: re.Match[str], counts: dict[str, int]) -> int | None:
    """How many statements rule `name`'s match counts, given the counts of the sentence before it (None: none)."""
    if name == "score_in_count":
        # the first count of a sentence must say what it counts; later ones continue it
        if not counts and not _COUNTS_WHAT.search(text[start: min(end, m.end() + 25)]):
            return None
        return parse_count(m.group("count"))
    if name == "count_were":  # "Eight statements scored 3 and one scored 2"
        if not counts and not _COUNT_WERE_WHAT.search(text, start, end):
            return None
        return parse_count(m.group("count"))
    if name in ("count_scored", "count_of_scores", "label_count"):
        return parse_count(m.group("count"))
    if name == "all_but":
        k = parse_count(m.group("but"))
        return None if k is None else 9 - k
    if name == "all_nine":
        return 9
    # the rest: as many as it says, else what the counts before it leave of nine
    if m.group("count"):
        return parse_count(m.group("count"))
    return 9 - sum(counts.values()) if counts else None
