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
# statement scores and name some in the same words). Between two mentions of
# the same kind, the longer (then the earlier) wins.
DEFEATS: dict[str, frozenset[str]] = {
    "tally": frozenset({"rating", "score"}),
    "statement_score": frozenset({"score"}),
}
_SAME_KIND = frozenset({"tally", "rating", "score", "statement_score", "statement_count"})


@dataclass(frozen=True)
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

    The result is sorted by position.
    """
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.rule))
    kept: list[Mention] = []
    for m in ordered:
        beaten = any(
            m.overlaps(k) and (m.kind in DEFEATS.get(k.kind, ()) or (k.kind == m.kind and m.kind in _SAME_KIND
                                                                      and k.value == m.value))
            for k in kept)
        if not beaten:
            kept.append(m)
    # a defeated kind loses even to a shorter winner
    kept = [m for m in kept if not any(m.overlaps(k) and m.kind in DEFEATS.get(k.kind, ()) for k in kept)]
    return sorted(kept, key=lambda m: (m.start, m.end, m.kind))
