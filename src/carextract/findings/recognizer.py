"""Findings: Mention(kind='finding', value=Finding) for each clause the model classifies.

Clauses come from features.clauses (sentences split on contrast); clauses
shorter than 30 characters (bylines, bare labels) are skipped. The model's threshold
(models/findings.json, chosen on held-out folds) decides which themes a clause
states; its polarity model decides strength or improvement.
"""

from __future__ import annotations

import re

import numpy as np

from ..grammar import piece
from ..mentions import Kind, Mention
from ..results import Evidence, Finding, Polarity
from ..segment import Document
from ..vocab import themes
from .features import (CueIndex, clause_feature_pairs, clauses, inline_lead_polarity, lead_polarity, pieces,
                       score_only, span_context, under_non_finding_heading, cue_theme_names)
from .model import FindingModel, calibrate_array, shipped_model

_MIN_CHARS = 30
# "Cllr Jones, Cabinet Member for Adult Social Care and Health, said:" introduces a quote and states nothing
_INTRODUCES_QUOTE = piece("findings:introduces_quote")
_MAX_CHARS = 1200
_POLARITY = {p.value: p for p in Polarity}


def introduces_quote(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends by introducing a quote (only its last 80 characters are read)."""
    if end <= start or text[end - 1] in ".!?;)":  # the usual ends of a clause: no quote follows
        return False
    return bool(_INTRODUCES_QUOTE.search(text, max(start, end - 80), end))


_DIGIT = re.compile(r"\d")


def is_menu(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a web page's menu ("Get support | Carers | Safeguarding adults | Local
    account"): several '|' and no figure (a table row with figures may still state a finding)."""
    return text.count("|", start, end) >= 3 and not _DIGIT.search(text, start, end)


_CHUNK = 4096  # clauses scored at once


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
        every = clauses(doc)
        keep = [k for k, c in enumerate(every) if _MIN_CHARS <= c[1] - c[0] <= _MAX_CHARS
                and not introduces_quote(text, c[0], c[1]) and not is_menu(text, c[0], c[1])]
        if not keep:
            return []
        units = [every[k] for k in keep]
        context = span_context(doc, every)[keep]
        cues = CueIndex(text, doc.lower)
        spans, owner, context = self._with_pieces(text, units, context, cues)
        # scored _CHUNK clauses at a time: a clause's scores are its own, and a long text's (clause, feature) pairs
        # times the weight rows they gather would otherwise all be in memory at once (300 MB for 5 MB of text)
        scored = [self.model.scores_pairs(*clause_feature_pairs(text, spans[k:k + _CHUNK], self.model.table, cues,
                                                                context[k:k + _CHUNK]),
                                          len(spans[k:k + _CHUNK]), min_gate=self.model.threshold)
                  for k in range(0, len(spans), _CHUNK)]
        p_theme = scored[0][0] if len(scored) == 1 else np.concatenate([t for t, _ in scored])
        p_strength = scored[0][1] if len(scored) == 1 else np.concatenate([p for _, p in scored])
        # only the (unit, theme) pairs over the threshold reach Python
        rows, cols = (p_theme >= self.model.threshold).nonzero()
        if not rows.size:
            return []
        # of those, a statement's score or rating word alone ("Safeguarding was scored 3") is no finding, nor is
        # what CQC's "What people expect" and "The local authority commitment" sections say
        bounds = np.array([spans[u] for u in rows.tolist()], dtype=np.int64)
        drop = score_only(cues, bounds[:, 0], bounds[:, 1]) | under_non_finding_heading(text, context[rows])
        if drop.any():
            rows, cols = rows[~drop], cols[~drop]
        # a list item takes the polarity of its lead ("Areas for improvement:", "Key strengths") when the lead has one,
        # and a sentence with a lead of its own ("Areas for improvement included ...") takes that lead's
        lead = lead_polarity(cues, context[:len(units)])
        lead = np.where(lead != 0, lead, inline_lead_polarity(text, units))
        p_strength = p_strength[:len(units)]
        p_strength = np.where(lead > 0, np.maximum(p_strength, 1 - p_strength),
                              np.where(lead < 0, np.minimum(p_strength, 1 - p_strength), p_strength))
        clause_of = owner[rows]
        p_s = p_strength[clause_of]  # a piece keeps its clause's polarity
        confidence = calibrate_array(p_theme[rows, cols] * np.maximum(p_s, 1 - p_s), self.model.calibration)
        return self._mentions(text, spans, len(units), cues, rows, cols, clause_of, p_s, confidence)

    def _with_pieces(self, text: str, units: list[tuple[int, int]], context, cues: CueIndex):
        """The clauses and, for a clause that names two themes, its comma-separated pieces ("no waiting lists,
        thanks to prevention and good data"): the spans to score, the clause each belongs to, and their context."""
        bounds = np.array(units, dtype=np.int64)
        if self.pieces and len(cues.starts) > 1:
            several = cues.n_themes(bounds[:, 0], bounds[:, 1]) > 1
        else:  # (fewer than two cue phrases in the whole text: no clause names two themes)
            several = np.zeros(len(units), bool)
        parts = [pieces(text, s, e) if many else [] for (s, e), many in zip(units, several.tolist())]
        spans = units + [p for ps in parts for p in ps]
        # span index -> the clause it belongs to: a piece reads the context, and keeps the polarity, of its clause
        owner = np.concatenate((np.arange(len(units)), np.repeat(np.arange(len(units)), [len(ps) for ps in parts])))
        if len(spans) > len(units):
            context = context[owner]
        return spans, owner, context

    def _mentions(self, text: str, spans, n_units: int, cues: CueIndex, rows, cols, clause_of, p_s,
                  confidence) -> list[Mention]:
        """One mention per (clause, theme) over the threshold, a clause's own span before its pieces'."""
        themes_ = self.model.themes
        theme_index = self._theme_index()
        out: list[Mention] = []
        found: set[tuple[int, int]] = set()
        for u, j, clause, ps, conf in zip(rows.tolist(), cols.tolist(), clause_of.tolist(), p_s.tolist(),
                                          confidence.tolist()):
            if (clause, j) in found:
                continue
            found.add((clause, j))
            start, end = spans[u]
            m = self._mention(text, start, end, themes_[j], ps, conf, "clause" if u < n_units else "piece")
            word = cues.keyword(start, end, theme_index[j])
            if word is not None:  # the council a finding is said of is the one named nearest before its keyword
                m.attrs["word"] = word
            out.append(m)
        return out

    def _theme_index(self) -> list[int]:
        """For each of the model's themes, its index among the cue table's sorted theme names."""
        if getattr(self, "_themes_of", None) is None or self._themes_of[0] is not self.model:
            names = cue_theme_names()
            self._themes_of = (self.model, [names.index(t) if t in names else len(names) for t in self.model.themes])
        return self._themes_of[1]

    @staticmethod
    def _mention(text: str, start: int, end: int, theme: str, p_strength: float, confidence: float,
                 unit: str) -> Mention:
        polarity = "strength" if p_strength >= 0.5 else "improvement"
        rule = f"finding:model:{unit}:{theme}"
        # built without validation: every value here is already of the model's types
        evidence = Evidence.built(start=start, end=end, text=text[start:end], rule=rule, field="finding")
        finding = Finding.built(polarity=_POLARITY[polarity], theme=theme, quality_statement=themes()[theme]["statement"],
                                confidence=round(confidence, 4), evidence=[evidence])
        return Mention(Kind.FINDING, start, end, finding, rule, confidence=confidence)
