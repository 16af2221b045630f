"""The labelled corpus: its records are valid carextract-gold/1, and extraction meets ci/corpus_floors.json."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carextract.evaluation import FIELDS, evaluate

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FLOORS = ROOT / "ci" / "corpus_floors.json"
VALIDATOR = ROOT.parent / "shared" / "tools" / "validate_gold.py"


def _need_corpus():
    if not CORPUS.is_dir() or not any(CORPUS.glob("*.json*")):
        pytest.skip("corpus/ is absent")


@pytest.fixture(scope="module")
def report(extractor):
    _need_corpus()
    return evaluate([str(CORPUS)], extractor=extractor)


def test_floors_file_names_known_fields():
    if not FLOORS.exists():
        pytest.skip("ci/corpus_floors.json is absent")
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    assert floors and set(floors) <= set(FIELDS)
    assert all(0.0 <= v <= 1.0 for v in floors.values())


def test_corpus_meets_floors(report):
    if not FLOORS.exists():
        pytest.skip("ci/corpus_floors.json is absent")
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    below = report.below(floors)
    assert not below, "F1 below floor: " + ", ".join(f"{k} {f1:.3f} < {floor:.3f}" for k, (f1, floor) in below.items())


def test_corpus_records_are_valid():
    _need_corpus()
    if not VALIDATOR.exists():
        pytest.skip("../shared/tools/validate_gold.py is absent")
    out = subprocess.run([sys.executable, str(VALIDATOR), str(CORPUS), "--no-warnings",
                          "--councils", str(ROOT / "src" / "carextract" / "data" / "councils.csv")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
