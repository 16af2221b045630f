"""The notebooks run top to bottom from a clean kernel, are stored without outputs, and, executed, show what
they promise: the result's summary, the highlighted evidence and the charts inline (not a number standing in
for them), and a pointer to the record format."""

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]


def _executed(path: Path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


@pytest.fixture(scope="module")
def executed():
    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = _executed(next(p for p in NOTEBOOKS if p.name == name))
        return cache[name]

    return get


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _data(nb, mime: str) -> list[str]:
    return [o["data"][mime] for o in _outputs(nb) if mime in o.get("data", {})]


def test_both_notebooks_are_here():
    assert NAMES == ["evaluation.ipynb", "quickstart.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_points_to_the_record_format(path):
    nb = nbformat.read(path, as_version=4)
    assert "docs/RECORD_FORMAT.md" in "".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("name", NAMES)
def test_runs_from_a_clean_kernel_without_errors(executed, name):
    nb = executed(name)
    assert not [o for o in _outputs(nb) if o.output_type == "error"]


def test_quickstart_shows_summary_highlights_and_chart(executed):
    nb = executed("quickstart.ipynb")
    html = _data(nb, "text/html")
    # the result's own summary table, not a model dump
    assert any('class="carextract-result"' in h and "Calderdale" in h for h in html)
    assert all(len(p) < 400 for p in _data(nb, "text/plain") if p.startswith("DocumentExtraction("))
    # the highlighted evidence inline (displaCy's span markup with carextract's labels), not its length
    assert any("spans" in h and "RATING good" in h for h in html)
    assert not any(p.strip().isdigit() for p in _data(nb, "text/plain"))
    assert _data(nb, "image/png"), "the comparison chart is not shown"


def test_evaluation_shows_chart_and_table(executed):
    nb = executed("evaluation.ipynb")
    assert _data(nb, "image/png"), "the P/R/F1 chart is not shown"
    assert any("<table" in h and "councils" in h for h in _data(nb, "text/html"))
    assert not any(p.strip().isdigit() for p in _data(nb, "text/plain"))
