"""CQC's scoring rule, used to warn (never to correct) when a text disagrees with itself.

The overall score is the sum of the nine statement scores as a percentage of
36, rounded; 25-38 inadequate, 39-62 requires improvement, 63-87 good, 88+
outstanding.
"""

from __future__ import annotations

from .results import CouncilAssessment, ExtractionWarning, Rating


def rating_for_score(score: int) -> Rating:
    if score >= 88:
        return Rating.OUTSTANDING
    if score >= 63:
        return Rating.GOOD
    if score >= 39:
        return Rating.REQUIRES_IMPROVEMENT
    return Rating.INADEQUATE


def score_from_statements(scores: dict[str, int]) -> int | None:
    """The overall % CQC's rule gives for nine statement scores; None unless all nine are known."""
    if len(scores) != 9:
        return None
    return int(sum(scores.values()) / 36 * 100 + 0.5)


def check(a: CouncilAssessment) -> list[ExtractionWarning]:
    out = []
    code = a.council.code
    statements = [e for e in a.evidence if e.field and e.field.startswith("quality_statements.")]
    computed = score_from_statements(a.quality_statements)
    if computed is not None and a.score is not None and computed != a.score:
        out.append(ExtractionWarning(code="score_mismatch", council=code,
                                     message=f"statement scores give {computed}% by CQC's rule; the text says {a.score}%",
                                     evidence=a.evidence_for("score") + statements))
    basis = a.score if a.score is not None else computed
    if basis is not None and a.rating is not None and rating_for_score(basis) != a.rating:
        out.append(ExtractionWarning(code="rating_mismatch", council=code,
                                     message=f"a score of {basis}% gives {rating_for_score(basis).value} by CQC's rule; "
                                             f"the text says {a.rating.value}",
                                     evidence=a.evidence_for("rating") + (a.evidence_for("score") if a.score is not None
                                                                          else statements)))
    if a.quality_statement_counts and sum(a.quality_statement_counts.values()) > 9:
        out.append(ExtractionWarning(code="counts_exceed_nine", council=code,
                                     message="statement score counts add up to more than nine",
                                     evidence=a.evidence_for("quality_statement_counts")))
    return out
