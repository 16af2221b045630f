"""Findings: Mention(kind='finding', value=Finding) for each clause the model classifies.

Clauses come from features.clauses (sentences split on contrast); clauses
shorter than 30 characters (bylines, bare labels) are skipped. The model's threshold
(models/findings.json, chosen on held-out folds) decides which themes a clause
states; its polarity model decides strength or improvement.
"""

from __future__ import annotations

import re

from ..mentions import Mention
from ..results import Evidence, Finding, Polarity
from ..segment import Document
from ..vocab import themes
from .features import CueIndex, clause_feature_ids, clauses, pieces
from .model import FindingModel, shipped_model

_MIN_CHARS = 30
# "Cllr Jones, Cabinet Member for Adult Social Care and Health, said:" introduces a quote and states nothing
_INTRODUCES_QUOTE = re.compile(r"(?:\b(?:said|says|added|adds|commented|explained|stated|told \w+)\s*[:,]?|:)\s*[“\"]?$")
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
        units = [c for c in clauses(doc) if _MIN_CHARS <= c[1] - c[0] <= _MAX_CHARS
                 and not _INTRODUCES_QUOTE.search(text, c[0], c[1])]
        cues = CueIndex(text)
        # a clause that names two themes may list several findings ("no waiting lists, thanks to prevention and
        # good data"): each comma-separated piece is classified too, keeping the clause's polarity
        parts = [pieces(text, s, e) if self.pieces and len(cues.themes(s, e)) > 1 else [] for s, e in units]
        spans = units + [p for ps in parts for p in ps]
        if not spans:
            return []
        p_theme, p_strength = self.model.scores_ids(clause_feature_ids(text, spans, self.model.vocab, cues))
        out: list[Mention] = []
        k = len(units)
        for i, (start, end) in enumerate(units):
            preds = self.model.decide(p_theme[i], p_strength[i])
            found = {p.theme for p in preds}
            out += [self._mention(text, start, end, p, "clause") for p in preds]
            for ps, pe in parts[i]:
                for p in self.model.decide(p_theme[k], p_strength[i]):
                    if p.theme not in found:
                        found.add(p.theme)
                        out.append(self._mention(text, ps, pe, p, "piece"))
                k += 1
        return out

    @staticmethod
    def _mention(text: str, start: int, end: int, p, unit: str) -> Mention:
        rule = f"finding:model:{unit}:{p.theme}"
        finding = Finding(polarity=Polarity(p.polarity), theme=p.theme,
                          quality_statement=themes()[p.theme]["statement"], confidence=round(p.confidence, 4),
                          evidence=[Evidence(start=start, end=end, text=text[start:end], rule=rule, field="finding")])
        return Mention("finding", start, end, finding, rule, confidence=p.confidence)
