"""The one intermediate shape between recognizers and the rest: Mention.

Each recognizer takes a Document (the text and its sentences) and returns
Mentions. Where mentions of different kinds claim the same characters,
`resolve_overlaps` decides by the documented precedence below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(str, Enum):
    """What a mention states. A str enum: `Kind.RATING == "rating"`, so a custom recognizer may still pass the
    plain string, and `kind.value` is the label the spaCy components give their spans."""

    COUNCIL = "council"  # value: ONS code
    COUNCIL_REF = "council_ref"  # "the council", "the local authority"; value: None
    RATING = "rating"  # value: 'outstanding' | 'good' | 'requires_improvement' | 'inadequate'
    SCORE = "score"  # value: int, 25..100
    STATEMENT_SCORE = "statement_score"  # value: (statement id, 1..4)
    STATEMENT_COUNT = "statement_count"  # value: {"3": 7, "2": 2}
    TALLY = "tally"  # value: {"councils": 26, "good": 14, ...}
    VISIT = "visit"  # value: (date, date)
    METRIC = "metric"  # value: MetricComparison
    FINDING = "finding"  # value: Finding
    LAYOUT_CLAIM = "layout_claim"  # a table's span, whose own mentions replace the prose recognizers'; value: None

    def __str__(self) -> str:
        return self.value


# When two mentions overlap, the kind on the left defeats the kinds on the
# right: a tally ("none inadequate", "14 good") is not a rating or a score; a
# statement score ("Safeguarding - 3") is never an overall score. Other kinds
# never compete ("(good, 70)" is both a rating and a score; a text may count
# statement scores and name some in the same words). Between two overlapping
# mentions of the same kind the longer, more specific one wins ("second-highest
# rating" is good, not the outstanding of "highest rating"), then the earlier.
DEFEATS: dict[Kind, frozenset[Kind]] = {
    Kind.TALLY: frozenset({Kind.RATING, Kind.SCORE}),
    Kind.STATEMENT_SCORE: frozenset({Kind.SCORE, Kind.RATING}),
    Kind.STATEMENT_COUNT: frozenset({Kind.RATING}),
}
_SAME_KIND = frozenset({Kind.TALLY, Kind.RATING, Kind.SCORE, Kind.STATEMENT_SCORE, Kind.STATEMENT_COUNT})


# not frozen (a frozen dataclass is slow to build, and a text has thousands of mentions); treated as a value
@dataclass(slots=True)
class Mention:
    kind: Kind
    start: int
    end: int
    value: Any
    rule: str
    confidence: float = 1.0
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    layout: bool = False  # read off a label line or heading ("Overall rating: Good"), not a sentence

    def overlaps(self, other: "Mention") -> bool:
        return self.start < other.end and other.start < self.end


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions defeated by an overlapping mention (DEFEATS), and shorter duplicates of one kind.

    Mentions are swept in order of position and settled one overlapping cluster at a time, so the cost stays
    linear in the number of mentions however many there are. The result is sorted by position.
    """
    competing = sorted((m for m in mentions if m.kind in _SAME_KIND), key=lambda m: (m.start, m.end))
    out = [m for m in mentions if m.kind not in _SAME_KIND]
    cluster: list[Mention] = []
    cluster_end = -1
    for m in competing:
        if cluster and m.start >= cluster_end:
            out += _settle(cluster)
            cluster = []
        cluster.append(m)
        cluster_end = max(cluster_end, m.end) if len(cluster) > 1 else m.end
    out += _settle(cluster)
    return sorted(out, key=lambda m: (m.start, m.end, m.kind))


def _rivals(a: Mention, b: Mention) -> bool:
    """Two overlapping mentions of one kind state the same fact two ways, except scores of two different
    statements ("good for safeguarding and partnerships" scores both), ratings read off two different rating words,
    and counts of statements, which assembly merges (the fullest count, completed by the others)."""
    if a.kind != b.kind or a.kind == Kind.STATEMENT_COUNT:
        return False
    if a.kind == Kind.RATING:
        wa, wb = a.attrs.get("word"), b.attrs.get("word")
        # two rating words in one match ("rated good and the city requiring improvement") are two ratings
        return not (wa and wb and (wa[1] <= wb[0] or wb[1] <= wa[0]))
    return a.kind != Kind.STATEMENT_SCORE or a.value[0] == b.value[0]


_RATING_OF_SCORE = {"4": "outstanding", "3": "good", "2": "requires_improvement", "1": "inadequate"}


def _defeats(winner: Mention, m: Mention) -> bool:
    """Whether `winner`, overlapping `m`, defeats it: by DEFEATS, except that the same score in all nine statements
    ("rated 'requires improvement' across all nine areas") agrees with the rating its words also give."""
    if m.kind not in DEFEATS.get(winner.kind, ()):
        return False
    if winner.kind == Kind.STATEMENT_COUNT and m.kind == Kind.RATING and isinstance(winner.value, dict) \
            and len(winner.value) == 1:
        (score, n), = winner.value.items()
        return not (n == 9 and _RATING_OF_SCORE.get(str(score)) == m.value)
    return True


def _settle(cluster: list[Mention]) -> list[Mention]:
    if len(cluster) < 2:
        return cluster
    kept: list[Mention] = []
    for m in sorted(cluster, key=lambda m: (-m.confidence, -(m.end - m.start), m.start, m.rule)):
        if not any(m.overlaps(k) and (_defeats(k, m) or _rivals(k, m)) for k in kept):
            kept.append(m)
    # a defeated kind loses even to a shorter winner
    return [m for m in kept if not any(m.overlaps(k) and _defeats(k, m) for k in kept)]
