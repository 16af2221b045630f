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
from .features import clauses, pieces
from .model import FindingModel, shipped_model

_MIN_CHARS = 30
_MAX_CHARS = 1200


class FindingRecognizer:
    name = "finding"

    def __init__(self, model: FindingModel | None = None, *, pieces: bool = True):
        self._model = model
        self.pieces = pieces

    @property
    def model(self) -> FindingModel:
        if self._model is None:
            self._model = shipped_model()
        return self._model

    def __call__(self, doc: Document) -> list[Mention]:
        text = doc.text
        out: list[Mention] = []
        for start, end in clauses(doc):
            if not _MIN_CHARS <= end - start <= _MAX_CHARS:
                continue
            clause_preds = self.model.predict(text[start:end])
            found = {p.theme for p in clause_preds}
            out += [self._mention(text, start, end, p, "clause") for p in clause_preds]
            if not self.pieces:
                continue
            # a long clause may list several findings ("no waiting lists, thanks to prevention and good data"):
            # each comma-separated piece is classified too, keeping the clause's polarity
            polarity = self.model.polarity(text[start:end])
            for ps, pe in pieces(text, start, end):
                for p in self.model.predict(text[ps:pe], polarity=polarity):
                    if p.theme not in found:
                        found.add(p.theme)
                        out.append(self._mention(text, ps, pe, p, "piece"))
        return out

    @staticmethod
    def _mention(text: str, start: int, end: int, p, unit: str) -> Mention:
        rule = f"finding:model:{unit}:{p.theme}"
        finding = Finding(polarity=Polarity(p.polarity), theme=p.theme,
                          quality_statement=themes()[p.theme]["statement"], confidence=round(p.confidence, 4),
                          evidence=[Evidence(start=start, end=end, text=text[start:end], rule=rule, field="finding")])
        return Mention("finding", start, end, finding, rule, confidence=p.confidence)
