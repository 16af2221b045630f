"""Findings: Mention(kind='finding', value=Finding) for each clause the model classifies.

Clauses come from features.clauses (sentences split on contrast); clauses
shorter than 30 characters (bylines, bare labels) are skipped. The model's threshold
(models/findings.json, chosen on held-out folds) decides which themes a clause
states; its polarity model decides strength or improvement.
"""

from __future__ import annotations

from ..mentions import Mention
from ..results import Evidence, Finding, Polarity
from ..segment import Document
from ..vocab import themes
from .features import clauses
from .model import FindingModel, shipped_model

_MIN_CHARS = 30
_MAX_CHARS = 1200


class FindingRecognizer:
    name = "finding"

    def __init__(self, model: FindingModel | None = None):
        self._model = model

    @property
    def model(self) -> FindingModel:
        if self._model is None:
            self._model = shipped_model()
        return self._model

    def __call__(self, doc: Document) -> list[Mention]:
        text = doc.text
        theme_table = themes()
        out: list[Mention] = []
        for start, end in clauses(doc):
            if not _MIN_CHARS <= end - start <= _MAX_CHARS:
                continue
            clause = text[start:end]
            for p in self.model.predict(clause):
                finding = Finding(
                    polarity=Polarity(p.polarity), theme=p.theme,
                    quality_statement=theme_table[p.theme]["statement"], confidence=round(p.confidence, 4),
                    evidence=[Evidence(start=start, end=end, text=clause, rule=f"finding:model:{p.theme}",
                                       field="finding")])
                out.append(Mention("finding", start, end, finding, f"finding:model:{p.theme}",
                                   confidence=p.confidence))
        return out
