"""The shipped findings model, predicting with numpy from plain arrays (no pickle, no scikit-learn).

Files (models/ in the repository, `carextract.models` when installed):
- findings.json: vocabulary, theme order, thresholds, training-data hash, card facts;
- findings.npz: W_theme (n_features x 16), b_theme (16), w_pol (n_features), b_pol (1),
  loaded with allow_pickle=False.

A clause's features are looked up in the vocabulary; its vector is the
indicator of the features present (scaled by n ** -scale_power / 2, as in
training), so a prediction is a sum of a few weight rows: linear in the
clause's length.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .features import features

MODEL_JSON = "findings.json"
MODEL_NPZ = "findings.npz"


def model_dir() -> Path:
    """Where the shipped model lives: the installed carextract.models package, else the repository's models/."""
    try:
        return Path(str(resources.files("carextract.models")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "models"


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
            self.W = arrays["W_theme"].astype(np.float64)
            self.b = arrays["b_theme"].astype(np.float64)
            self.w_pol = arrays["w_pol"].astype(np.float64)
            self.b_pol = float(arrays["b_pol"][0])
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
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot load the findings model from {folder}: {e}") from e
        return cls(meta, arrays)

    def _indices(self, clause: str) -> np.ndarray:
        idx = [self.vocab[f] for f in features(clause) if f in self.vocab]
        return np.asarray(idx, dtype=np.int64)

    def scores(self, clause: str) -> tuple[np.ndarray, float]:
        """P(theme) for each theme, and P(strength)."""
        idx = self._indices(clause)
        if idx.size:
            scale = idx.size ** (-0.5 * self.scale_power)
            z = self.W[idx].sum(axis=0) * scale + self.b
            zp = float(self.w_pol[idx].sum()) * scale + self.b_pol
        else:
            z, zp = self.b.copy(), self.b_pol
        return 1.0 / (1.0 + np.exp(-z)), 1.0 / (1.0 + np.exp(-zp))

    def polarity(self, clause: str) -> float:
        """P(strength) of a clause."""
        return self.scores(clause)[1]

    def predict(self, clause: str, *, polarity: float | None = None) -> list[Prediction]:
        """Themes at or above the threshold; `polarity` (a P(strength) from an enclosing clause) overrides the clause's own."""
        p_theme, p_strength = self.scores(clause)
        if polarity is not None:
            p_strength = polarity
        polarity = "strength" if p_strength >= 0.5 else "improvement"
        p_pol = p_strength if polarity == "strength" else 1.0 - p_strength
        out = []
        for j in np.flatnonzero(p_theme >= self.threshold):
            out.append(Prediction(self.themes[j], polarity, float(p_theme[j]), float(p_pol)))
        return out


@cache
def shipped_model() -> FindingModel:
    return FindingModel.load()
