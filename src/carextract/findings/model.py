"""The shipped findings model, predicting with numpy from plain arrays (no pickle, no scikit-learn).

Files (models/ in the repository, `carextract.models` when installed):
- findings.json: vocabulary, theme order, thresholds, training-data hash, card facts;
- findings.npz: w_gate, b_gate (does a clause state a finding), W_theme (n_features x 16), b_theme (16)
  (its themes, given a finding), w_pol, b_pol (strength or improvement), calibration (a, b: Platt scaling of
  P(theme) x P(polarity) fitted on held-out folds), loaded with allow_pickle=False.
  P(theme) = P(finding) x P(theme | finding).

A clause's features are looked up in the vocabulary; its vector is the
indicator of the features present (scaled by n ** -scale_power / 2, as in
training), so a prediction is a sum of a few weight rows: linear in the
clause's length.
"""

from __future__ import annotations

import copy
import json
import math
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .features import FeatureTable, clause_feature_pairs

MODEL_JSON = "findings.json"
MODEL_NPZ = "findings.npz"


def model_dir() -> Path:
    """Where the shipped model lives: the installed carextract.models package, else the repository's models/."""
    try:
        return Path(str(resources.files("carextract.models")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "models"


def polarity_of(p_strength: float) -> tuple[str, float]:
    """'strength' or 'improvement' for P(strength), and the probability of that polarity."""
    return ("strength", p_strength) if p_strength >= 0.5 else ("improvement", 1.0 - p_strength)


def calibrate(raw: float, calibration: tuple[float, float]) -> float:
    """The calibrated probability that a finding of raw confidence P(theme) x P(polarity) is right."""
    a, b = calibration
    if a == 1.0 and b == 0.0:
        return raw
    raw = min(max(raw, 1e-6), 1 - 1e-6)
    return 1.0 / (1.0 + math.exp(-(a * math.log(raw / (1.0 - raw)) + b)))


def calibrate_array(raw: np.ndarray, calibration: tuple[float, float]) -> np.ndarray:
    """`calibrate` over an array."""
    a, b = calibration
    if a == 1.0 and b == 0.0:
        return raw
    raw = np.clip(raw, 1e-6, 1 - 1e-6)
    return 1.0 / (1.0 + np.exp(-(a * np.log(raw / (1.0 - raw)) + b)))


@dataclass(frozen=True)
class Prediction:
    theme: str
    polarity: str
    theme_probability: float
    polarity_probability: float

    @property
    def confidence(self) -> float:
        return self.theme_probability * self.polarity_probability


class FindingModel:
    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]):
        try:
            self.vocab = {f: i for i, f in enumerate(meta["vocabulary"])}
            self.themes: list[str] = meta["themes"]
            self.threshold: float = float(meta["threshold"])
            self.scale_power: float = float(meta["hyperparameters"].get("scale_power", 1.0))
            self.meta = meta
            self._table: FeatureTable | None = None
            self.W = arrays["W_theme"].astype(np.float64)
            self.b = arrays["b_theme"].astype(np.float64)
            self.w_pol = arrays["w_pol"].astype(np.float64)
            self.w_gate = arrays["w_gate"].astype(np.float64)
            self.b_gate = float(arrays["b_gate"][0])
            self.b_pol = float(arrays["b_pol"][0])
            cal = arrays.get("calibration")
            # confidence = sigmoid(a * logit(P(theme) x P(polarity)) + b), fitted on held-out folds
            self.calibration = (float(cal[0]), float(cal[1])) if cal is not None else (1.0, 0.0)
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise ModelError(f"the findings model is incomplete or corrupt: {e}") from e
        if self.W.shape != (len(self.vocab), len(self.themes)) or self.w_pol.shape != (len(self.vocab),):
            raise ModelError("the findings model's arrays do not match its vocabulary")

    @classmethod
    def load(cls, folder: str | Path | None = None) -> "FindingModel":
        folder = Path(folder) if folder is not None else model_dir()
        try:
            meta = json.loads((folder / MODEL_JSON).read_text(encoding="utf-8"))
            with np.load(folder / MODEL_NPZ, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except FileNotFoundError as e:
            raise ModelError(f"no findings model in {folder}: run `carextract train`") from e
        except (OSError, ValueError, zipfile.BadZipFile, KeyError) as e:
            raise ModelError(f"cannot load the findings model from {folder}: {e}") from e
        return cls(meta, arrays)

    @property
    def table(self) -> FeatureTable:
        """The vocabulary as arrays over word ids (built on first use, shared by copies)."""
        if self._table is None:
            self._table = FeatureTable(self.vocab)
        return self._table

    def with_threshold(self, threshold: float) -> "FindingModel":
        """The same model emitting themes at another probability threshold (shares the arrays)."""
        twin = copy.copy(self)
        twin.threshold = float(threshold)
        return twin

    def scores_pairs(self, rows: np.ndarray, cols: np.ndarray, n: int, *,
                     min_gate: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """P(theme) (n x themes) and P(strength) (n) of n clauses, from their sorted unique (clause, vocabulary id)
        pairs (features.clause_feature_pairs).

        P(theme) = P(finding) x P(theme | finding), so no theme of a clause whose P(finding) is below a
        threshold reaches it: with `min_gate`, such clauses are not scored by theme (their P(theme) is 0).
        """
        zp = np.empty(n)
        zp.fill(self.b_pol)
        zg = np.empty(n)
        zg.fill(self.b_gate)
        power = -0.5 * self.scale_power
        if rows.size:
            starts, sizes = _runs(rows)
            present = rows[starts]
            scale = sizes ** power
            zp[present] += np.add.reduceat(self.w_pol[cols], starts) * scale
            zg[present] += np.add.reduceat(self.w_gate[cols], starts) * scale
        gate = 1.0 / (1.0 + np.exp(-zg))
        p_theme = np.zeros((n, len(self.themes)))
        scored = gate >= min_gate
        z = np.empty((int(scored.sum()), len(self.themes)))
        z[:] = self.b
        if rows.size:
            keep = scored[rows]
            r, c = rows[keep], cols[keep]
            if r.size:
                # the scored clauses renumbered 0.. in order; sums of their weight rows, scaled as in training
                local = scored.cumsum() - 1
                starts, sizes = _runs(r)
                z[local[r[starts]]] += np.add.reduceat(self.W[c], starts, axis=0) * (sizes ** power)[:, None]
        p_theme[scored] = gate[scored, None] / (1.0 + np.exp(-z))
        return p_theme, 1.0 / (1.0 + np.exp(-zp))

    def scores(self, clause: str) -> tuple[np.ndarray, float]:
        """P(theme) for each theme, and P(strength), of one clause."""
        pt, ps = self.scores_pairs(*clause_feature_pairs(clause, [(0, len(clause))], self.table), 1)
        return pt[0], float(ps[0])

    def decide(self, p_theme: np.ndarray, p_strength: float) -> list[Prediction]:
        """Themes at or above the threshold, each with the polarity P(strength) implies."""
        polarity, p_pol = polarity_of(float(p_strength))
        return [Prediction(self.themes[j], polarity, float(p_theme[j]), p_pol)
                for j in np.flatnonzero(p_theme >= self.threshold)]

    def predict(self, clause: str) -> list[Prediction]:
        return self.decide(*self.scores(clause))


def _runs(sorted_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values of a sorted array starts, and its length (as floats)."""
    new = np.empty(sorted_ids.size, dtype=bool)
    new[0] = True
    np.not_equal(sorted_ids[1:], sorted_ids[:-1], out=new[1:])
    starts = new.nonzero()[0]
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    ends[-1] = sorted_ids.size
    return starts, (ends - starts).astype(np.float64)


@cache
def shipped_model() -> FindingModel:
    return FindingModel.load()
