"""The one intermediate shape between recognizers and the rest: Mention.

Each recognizer takes a Document (the text and its sentences) and returns
Mentions. Where mentions of different kinds claim the same characters,
`resolve_overlaps` decides by the documented precedence below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Higher wins when two mentions overlap. A tally ("none inadequate", "14
# good") outranks a rating ("none inadequate" is not a rating); a statement
# score outranks an overall score and a rating ("Safeguarding - 3" is never an
# overall score). Counts of statement scores do not compete: a text may count
# statements and name some in the same words ("4 for the other, safeguarding").
PRECEDENCE: dict[str, int] = {
    "tally": 60,
    "statement_score": 40,
    "score": 30,
    "rating": 20,
}


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
    """Drop mentions overlapped by one of higher precedence (kinds in PRECEDENCE only).

    Kinds outside PRECEDENCE (councils, numbers, metrics, findings) never compete.
    Ties keep the longer, then the earlier mention. The result is sorted by position.
    """
    ranked = [m for m in mentions if m.kind in PRECEDENCE]
    others = [m for m in mentions if m.kind not in PRECEDENCE]
    ranked.sort(key=lambda m: (-PRECEDENCE[m.kind], -(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in ranked:
        if not any(m.overlaps(k) for k in kept):
            kept.append(m)
    return sorted(kept + others, key=lambda m: (m.start, m.end, m.kind))
