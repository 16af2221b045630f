"""Shared fixtures and helpers for the carextract test suite.

Case tables live as JSON under tests/cases/. A test that takes a `case`
argument and carries `@pytest.mark.cases("file.json", "key", ...)` is
parametrised over the list found at that key path (dicts, or plain strings);
a dict case with an "xfail" entry is marked `xfail(strict=True)` with that
reason (a known defect the lead should fix: when it is fixed the test
XPASSes, which fails the run, and the entry must be removed).
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = Path(__file__).resolve().parent / "cases"
SHARED = ROOT.parent / "shared"
"""The project's shared material (seed texts, labelling tools), checked out beside the repository: found
relative to it, never at one machine's path. Tests that need it skip, naming what is missing."""

try:  # run with PYTHONPATH=src; fall back to the source tree when that was forgotten
    import carextract  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover
    sys.path.insert(0, str(ROOT / "src"))

from carextract.results import Evidence  # noqa: E402


def load_cases(name: str, *keys: str):
    data = json.loads((CASES_DIR / name).read_text(encoding="utf-8"))
    for k in keys:
        data = data[k]
    return data


def _case_id(case, index: int) -> str:
    if isinstance(case, dict) and "id" in case:
        return case["id"]
    text = case if isinstance(case, str) else case.get("text", "")
    slug = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:48]
    return slug or f"case{index}"


def pytest_configure(config):
    config.addinivalue_line("markers", "cases(file, *keys): parametrise `case` over a JSON case table")


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("cases")
    if marker is None or "case" not in metafunc.fixturenames:
        return
    cases = load_cases(*marker.args)
    params = []
    for i, case in enumerate(cases):
        reason = case.get("xfail") if isinstance(case, dict) else None
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(case, id=_case_id(case, i), marks=marks))
    metafunc.parametrize("case", params)


def iter_evidence(obj):
    """Every Evidence inside a result model (recursively through models, lists and dicts)."""
    if isinstance(obj, Evidence):
        yield obj
        return
    if isinstance(obj, (list, tuple)):
        for x in obj:
            yield from iter_evidence(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from iter_evidence(x)
    elif hasattr(obj, "__pydantic_fields__"):
        for name in type(obj).model_fields:
            yield from iter_evidence(getattr(obj, name))


def assert_evidence_valid(text: str, result) -> None:
    """Every evidence span of `result` is a real slice of `text`, and each finding span is too."""
    for ev in iter_evidence(result):
        assert 0 <= ev.start <= ev.end <= len(text), ev
        assert text[ev.start:ev.end] == ev.text, ev
        assert ev.rule, ev
    for span in result.to_record()["finding_spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text), span


@pytest.fixture(scope="session")
def check_evidence():
    """assert_evidence_valid, as a fixture (test modules need not import conftest)."""
    return assert_evidence_valid


def shared_path(*parts: str) -> Path:
    """../shared/<parts>; skips the calling test, naming the path, when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared beside the repository ({path} is absent)")
    return path


@pytest.fixture(scope="session")
def shared():
    """shared_path, as a fixture: `shared("seeds", "gold")` is ../shared/seeds/gold, or the test skips."""
    return shared_path


@pytest.fixture(scope="session")
def extractor():
    import carextract

    return carextract.Extractor()


@pytest.fixture(scope="session")
def record_of(extractor):
    """text -> its carextract-gold/1 record (extracted once per text per session)."""
    cache: dict[str, dict] = {}

    def run(text: str) -> dict:
        if text not in cache:
            cache[text] = extractor.extract(text).to_record()
        return copy.deepcopy(cache[text])

    return run


def rule_cases(file_name: str):
    """The examples and counter-examples of a rule file's records, ready for pytest.mark.parametrize:
    ([(rule_id, text, expected)], ids) and ([(rule_id, text)], ids)."""
    from carextract.rules import records_of

    records = records_of(file_name)
    examples = [(r.id, text, expected) for r in records for text, expected in r.examples]
    counter = [(r.id, text) for r in records for text in r.counter_examples]
    return (examples, [f"{e[0]}-{i}" for i, e in enumerate(examples)]), (counter, [f"{c[0]}-{i}" for i, c in enumerate(counter)])


def rules_behind(assessment) -> set[str]:
    """The rule ids behind an assessment's evidence, joined ids split ('score_in_count+the_rest' gives both)."""
    out = set()
    for e in assessment.evidence:
        family = e.rule.split(":", 1)[0]
        out |= {p if ":" in p else f"{family}:{p}" for p in e.rule.split("+")}
    return out
