"""The shipped findings model (findings.json, findings.npz, FINDINGS_MODEL_CARD.md), installed as carextract.models."""
