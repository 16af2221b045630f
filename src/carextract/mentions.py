"""The one intermediate shape between recognizers and the rest: Mention.

Each recognizer takes a Document (the text and its sentences) and returns
Mentions. Where mentions of different kinds claim the same characters,
`resolve_overlaps` decides by the documented precedence below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# When two mentions overlap, the kind on the left defeats the kinds on the
# right: a tally ("none inadequate", "14 good") is not a rating or a score; a
# statement score ("Safeguarding - 3") is never an overall score. Other kinds
# never compete ("(good, 70)" is both a rating and a score; a text may count
# statement scores and name some in the same words). Between two overlapping
# mentions of the same kind the longer, more specific one wins ("second-highest
# rating" is good, not the outstanding of "highest rating"), then the earlier.
DEFEATS: dict[str, frozenset[str]] = {
    "tally": frozenset({"rating", "score"}),
    "statement_score": frozenset({"score", "rating"}),
    "statement_count": frozenset({"rating"}),
}
_SAME_KIND = frozenset({"tally", "rating", "score", "statement_score", "statement_count"})


# not frozen (a frozen dataclass is slow to build, and a text has thousands of mentions); treated as a value
@dataclass(slots=True)
class Mention:
    kind: str
    start: int
    end: int
    value: Any
    rule: str
    confidence: float = 1.0
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

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
    statements ("good for safeguarding and partnerships" scores both) and counts of statements, which assembly
    merges (the fullest count, completed by the others)."""
    if a.kind != b.kind or a.kind == "statement_count":
        return False
    return a.kind != "statement_score" or a.value[0] == b.value[0]


def _settle(cluster: list[Mention]) -> list[Mention]:
    if len(cluster) < 2:
        return cluster
    kept: list[Mention] = []
    for m in sorted(cluster, key=lambda m: (-m.confidence, -(m.end - m.start), m.start, m.rule)):
        if not any(m.overlaps(k) and (m.kind in DEFEATS.get(k.kind, ()) or _rivals(k, m)) for k in kept):
            kept.append(m)
    # a defeated kind loses even to a shorter winner
    return [m for m in kept if not any(m.overlaps(k) and m.kind in DEFEATS.get(k.kind, ()) for k in kept)]
