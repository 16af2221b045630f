"""findings/model.py: the shipped model (JSON + npz, no pickle), its provenance, and corrupt models."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from carextract.errors import CarextractError, ModelError
from carextract.findings.model import MODEL_JSON, MODEL_NPZ, FindingModel, model_dir, shipped_model
from carextract.vocab import themes

ROOT = Path(__file__).resolve().parents[2]
MODELS = model_dir()  # the repository's models/ (or carextract/models when the package ships it)
CORPUS = ROOT / "corpus"
REQUIRED_ARRAYS = {"W_theme", "b_theme", "w_pol", "b_pol"}


@pytest.fixture(scope="module")
def meta():
    return json.loads((MODELS / MODEL_JSON).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def arrays():
    with np.load(MODELS / MODEL_NPZ, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def test_model_files_present():
    assert (MODELS / MODEL_JSON).is_file() and (MODELS / MODEL_NPZ).is_file()


def test_npz_loads_without_pickle(arrays):
    assert REQUIRED_ARRAYS <= set(arrays)
    for name, a in arrays.items():
        assert a.dtype.kind == "f", name
        assert np.isfinite(a).all(), name


def test_arrays_match_vocabulary(meta, arrays):
    """W_* are features x themes, w_* one weight per feature, b_theme one bias per theme, other b_* a scalar."""
    n_features, n_themes = len(meta["vocabulary"]), len(meta["themes"])
    for name, a in arrays.items():
        expected = {"W": (n_features, n_themes), "w": (n_features,)}.get(name[0])
        if name.startswith("b_"):
            expected = (n_themes,) if name == "b_theme" else (1,)
        if name == "calibration":
            expected = (2,)
        assert a.shape == expected, name


def test_calibration_is_increasing(arrays):
    """Platt scaling keeps the order of raw confidences (a > 0) and maps them into (0, 1)."""
    from carextract.findings.model import calibrate

    cal = tuple(float(x) for x in arrays["calibration"])
    assert cal[0] > 0
    values = [calibrate(r, cal) for r in (0.05, 0.2, 0.5, 0.8, 0.99)]
    assert values == sorted(values) and all(0 < v < 1 for v in values)


def test_card_says_which_figure_is_honest(meta):
    """Every source has grouped cross-validation beside its in-sample figure, and the card names the honest one."""
    for path, e in meta["evaluation"].items():
        assert {"grouped_cv", "in_sample", "per_theme", "polarity_accuracy"} <= set(e), path
    card = (MODELS / "FINDINGS_MODEL_CARD.md").read_text(encoding="utf-8") if (MODELS / "FINDINGS_MODEL_CARD.md").is_file() \
        else (ROOT / "models" / "FINDINGS_MODEL_CARD.md").read_text(encoding="utf-8")
    assert "grouped cv is the honest figure" in card.lower().replace("**", "")
    assert "| confidence | findings | mean confidence | share correct |" in card


def test_vocabulary_and_themes(meta):
    vocab = meta["vocabulary"]
    assert len(vocab) == len(set(vocab)) > 0
    assert vocab == sorted(vocab)
    assert set(meta["themes"]) == set(themes())
    assert 0.0 < float(meta["threshold"]) < 1.0


def test_card_has_provenance(meta):
    assert len(meta["training_data_sha256"]) == 64
    assert int(meta["training_records"]) > 0


def test_shipped_model_matches_its_training_corpus(meta):
    if not CORPUS.is_dir() or not any(CORPUS.glob("*.json*")):
        pytest.skip("corpus/ is absent: cannot check the model's training-data hash")
    from carextract.training.findings import data_hash, training_records

    records = training_records([str(CORPUS)])
    assert len(records) == meta["training_records"], "corpus record count differs from the model card: retrain"
    assert data_hash(records) == meta["training_data_sha256"], (
        "models/findings.json was not trained on the current corpus/: run `carextract train`")


def test_shipped_model_matches_its_other_sources(meta):
    """Every source the model was trained on besides corpus/ (the real texts of ../shared/dev/gold) still hashes
    to what the card says, where that folder is present."""
    from carextract.training.findings import data_hash, training_records

    for source in meta.get("sources", [])[1:]:
        path = ROOT / source["path"]
        if not path.exists():
            continue
        records = training_records([str(path)])
        assert (len(records), data_hash(records)) == (source["records"], source["sha256"]), source["path"]


def test_load_and_predict():
    model = FindingModel.load(MODELS)
    p_theme, p_strength = model.scores("People waited too long for assessments.")
    assert p_theme.shape == (len(model.themes),)
    assert ((0 <= p_theme) & (p_theme <= 1)).all() and 0 <= p_strength <= 1
    for p in model.predict("People waited too long for assessments and the waiting list had grown."):
        assert p.theme in themes() and p.polarity in ("strength", "improvement")
        assert 0 <= p.confidence <= 1


def test_prediction_is_deterministic():
    clause = "Inspectors praised strong partnerships with the NHS and the voluntary sector."
    assert shipped_model().predict(clause) == FindingModel.load(MODELS).predict(clause)


def test_unknown_words_score_like_an_empty_clause():
    model = shipped_model()
    p_theme, p_strength = model.scores("zzqx wvvy")
    empty_theme, empty_strength = model.scores("")
    assert np.allclose(p_theme, empty_theme) and p_strength == pytest.approx(empty_strength)


def test_extraction_does_not_import_sklearn():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    code = "import sys, carextract; carextract.extract('x'); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# -- corrupt models ---------------------------------------------------------------------------

@pytest.fixture
def model_copy(tmp_path):
    for name in (MODEL_JSON, MODEL_NPZ):
        shutil.copy(MODELS / name, tmp_path / name)
    return tmp_path


def _rewrite_npz(folder, **changes):
    with np.load(folder / MODEL_NPZ, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    for k, v in changes.items():
        if v is None:
            arrays.pop(k)
        else:
            arrays[k] = v
    (folder / MODEL_NPZ).unlink()
    np.savez(folder / MODEL_NPZ, **arrays)


def test_copy_loads(model_copy):
    assert FindingModel.load(model_copy).themes == shipped_model().themes


@pytest.mark.parametrize("corrupt", [
    "missing_folder", "missing_npz", "missing_json", "garbage_npz", "truncated_npz", "garbage_json",
    "json_not_an_object", "missing_array", "wrong_shape", "object_array", "missing_vocabulary", "bad_threshold",
])
def test_corrupt_model_raises_model_error(model_copy, corrupt):
    folder = model_copy
    if corrupt == "missing_folder":
        folder = model_copy / "nope"
    elif corrupt == "missing_npz":
        (folder / MODEL_NPZ).unlink()
    elif corrupt == "missing_json":
        (folder / MODEL_JSON).unlink()
    elif corrupt == "garbage_npz":
        (folder / MODEL_NPZ).write_bytes(b"not a zip file at all")
    elif corrupt == "truncated_npz":
        data = (folder / MODEL_NPZ).read_bytes()
        (folder / MODEL_NPZ).write_bytes(data[: len(data) // 2])
    elif corrupt == "garbage_json":
        (folder / MODEL_JSON).write_text("{not json", encoding="utf-8")
    elif corrupt == "json_not_an_object":
        (folder / MODEL_JSON).write_text("[1, 2, 3]", encoding="utf-8")
    elif corrupt == "missing_array":
        _rewrite_npz(folder, w_pol=None)
    elif corrupt == "wrong_shape":
        _rewrite_npz(folder, W_theme=np.zeros((3, 3)))
    elif corrupt == "object_array":
        _rewrite_npz(folder, b_pol=np.array([{"a": 1}], dtype=object))
    elif corrupt == "missing_vocabulary":
        meta = json.loads((folder / MODEL_JSON).read_text(encoding="utf-8"))
        del meta["vocabulary"]
        (folder / MODEL_JSON).write_text(json.dumps(meta), encoding="utf-8")
    elif corrupt == "bad_threshold":
        meta = json.loads((folder / MODEL_JSON).read_text(encoding="utf-8"))
        meta["threshold"] = "high"
        (folder / MODEL_JSON).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError) as info:
        FindingModel.load(folder)
    assert isinstance(info.value, CarextractError)
    assert str(info.value)
