"""training/findings.py: training from labelled sources, grouped cross-validation per source, progress, calibration.

A tiny invented corpus keeps it fast; the shipped model's own figures are checked in test_model.py."""

import contextlib
import io
import json

import numpy as np
import pytest

from carextract.findings.model import FindingModel
from carextract.training.findings import calibrated, card_markdown, train

SENTENCES = [
    ("Inspectors praised the strong partnerships with the NHS and the voluntary sector.", "strength", "partnerships"),
    ("People waited too long for their care assessments and the waiting list had grown.", "improvement", "waiting_times"),
    ("Unpaid carers said they struggled to get a break from caring for a relative.", "improvement", "unpaid_carers"),
    ("Safeguarding enquiries were handled promptly and thoroughly by experienced staff.", "strength", "safeguarding"),
    ("Reablement services helped people regain their independence quickly after illness.", "strength", "reablement"),
    ("Young people moving to adult services faced delays and poor planning for the move.", "improvement", "transitions"),
]
BACKGROUND = "The inspection took place over three days in the spring and covered nine quality statements."


def _record(i):
    picked = [SENTENCES[(i + k) % len(SENTENCES)] for k in range(3)]
    text = "Eastshire County Council was assessed by the Care Quality Commission.\n\n" + BACKGROUND + "\n\n"
    spans = []
    for sentence, polarity, theme in picked:
        start = len(text)
        text += sentence + " "
        spans.append({"start": start, "end": start + len(sentence), "council": "E10000014",
                      "polarity": polarity, "theme": theme})
    strengths = sorted({s["theme"] for s in spans if s["polarity"] == "strength"})
    improvements = sorted({s["theme"] for s in spans if s["polarity"] == "improvement"})
    return {"schema": "carextract-gold/1", "id": f"tiny-{i:02d}", "text": text,
            "assessments": [{"council": "E10000014", "strengths": strengths, "improvements": improvements}],
            "sector": {"strengths": [], "improvements": []}, "tallies": [], "finding_spans": spans}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    for name, ids in (("a", range(0, 12)), ("b", range(12, 22))):
        folder = root / name
        folder.mkdir()
        for i in ids:
            (folder / f"tiny-{i:02d}.json").write_text(json.dumps(_record(i)), encoding="utf-8")
    out = root / "model"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        card = train([str(root / "a"), str(root / "b")], out)
    card["_stderr"] = err.getvalue()
    return card, out


def test_train_writes_a_loadable_model_and_card(trained):
    card, out = trained
    model = FindingModel.load(out)
    assert model.threshold == card["threshold"]
    assert (out / "FINDINGS_MODEL_CARD.md").is_file()
    card = {k: v for k, v in card.items() if k != "_stderr"}
    assert card_markdown(card) == (out / "FINDINGS_MODEL_CARD.md").read_text(encoding="utf-8")


def test_the_card_carries_the_notes_on_model_designs(trained):
    card, out = trained
    text = (out / "FINDINGS_MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Model designs compared" in text and "## Third pass" in text


def test_every_source_has_grouped_cv_and_in_sample_figures(trained):
    card, _ = trained
    assert [s["records"] for s in card["sources"]] == [12, 10]
    for e in card["evaluation"].values():
        for key in ("grouped_cv", "in_sample"):
            assert 0.0 <= e[key]["f1"] <= 1.0
    assert card["calibration"]["fitted_on"].endswith("b")


def test_training_prints_progress_and_an_estimate(trained):
    err = trained[0]["_stderr"]
    assert "about" in err and "s left" in err and "fold 5 of 5" in err


def test_training_is_deterministic(trained, tmp_path):
    card, out = trained
    src = [s["path"] for s in card["sources"]]
    again = train(src, tmp_path, quiet=True)
    with np.load(out / "findings.npz") as a, np.load(tmp_path / "findings.npz") as b:
        assert all(np.array_equal(a[k], b[k]) for k in a.files)
    assert again["evaluation"] == card["evaluation"]


def test_calibration_maps_into_probabilities():
    values = calibrated(np.array([0.01, 0.3, 0.9]), 0.7, 0.4)
    assert np.all((values > 0) & (values < 1)) and np.all(np.diff(values) > 0)


def test_theme_models_do_not_read_the_other_themes_words():
    """A theme's model leaves out the other themes' keyword markers and keyword words, so that a clause naming
    several themes is not pulled from one theme by another's words; its own words and everything else stay."""
    from carextract.training.findings import other_themes_words

    vocabulary = ["__kw_leadership", "__kw_workforce", "__pos1", "and", "carers", "leaders", "staff", "strong leaders",
                  "visible"]
    unread = other_themes_words(vocabulary, ["leadership", "workforce", "unpaid_carers"])
    read = {t: [f for f, off in zip(vocabulary, m) if not off] for t, m in unread.items()}
    assert read["leadership"] == ["__kw_leadership", "__pos1", "and", "leaders", "strong leaders", "visible"]
    assert read["workforce"] == ["__kw_workforce", "__pos1", "and", "staff", "strong leaders", "visible"]
    assert "carers" in read["unpaid_carers"] and "staff" not in read["unpaid_carers"]


def test_shipped_theme_weights_are_zero_for_other_themes_words():
    import numpy as np

    from carextract.findings.model import FindingModel, model_dir
    from carextract.training.findings import other_themes_words

    model = FindingModel.load(model_dir())
    vocabulary = model.meta["vocabulary"]
    unread = other_themes_words(vocabulary, model.themes)
    for j, theme in enumerate(model.themes):
        assert not np.any(model.W[unread[theme], j])
