"""What a user of the repository gets without ../shared beside it: a licence, complete package metadata, the
record format in the project's own docs; and a test suite that passes on any machine at any load (no path of
one machine, no assertion on wall-clock time)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def test_licence_file_is_mit_by_the_contributors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "carextract contributors" in text
    assert "Permission is hereby granted, free of charge" in text


def test_package_metadata_is_complete():
    # an SPDX expression and the licence file (PEP 639): a licence table or classifier is deprecated
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]
    assert any(r.startswith("setuptools>=77") for r in PYPROJECT["build-system"]["requires"])
    assert PROJECT["authors"] == [{"name": "carextract contributors"}]
    assert {"Homepage", "Repository", "Documentation", "Issues"} <= set(PROJECT["urls"])
    assert all(u.startswith("https://") for u in PROJECT["urls"].values())
    assert "Programming Language :: Python :: 3.11" in PROJECT["classifiers"]
    assert PROJECT["description"] and PROJECT["readme"] == "README.md"


def test_every_folder_of_shipped_data_is_a_listed_package():
    """setuptools warns at build ('Package would be ignored') when a folder of package data is not in
    `packages`; every folder under src/carextract holding data files is listed."""
    packages = set(PYPROJECT["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    for f in (src / "carextract").rglob("*"):
        if f.suffix in (".json", ".csv") and "__pycache__" not in f.parts:
            package = ".".join(f.parent.relative_to(src).parts)
            assert package in packages, f"{package} holds {f.name} but is not in pyproject's packages"


def test_readme_points_to_the_record_format():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/RECORD_FORMAT.md" in readme
    assert (ROOT / "docs" / "RECORD_FORMAT.md").exists()


def test_readme_gives_the_json_paths():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'model_dump(mode="json")' in readme and "model_dump_json()" in readme and "to_record()" in readme


def test_readme_says_which_ci_steps_need_shared():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "../shared" in readme and "CI=true" in readme
    assert "CI=true" in run or '"${CI:-}"' in run


# -- tests that pass on any machine, at any load --------------------------------------------------------

TEST_FILES = sorted(p for p in (ROOT / "tests").rglob("test_*.py"))
CLOCK = re.compile(r"\b(?:perf_counter|monotonic|process_time)\s*\(|\btime\.time\s*\(")
ABSOLUTE = re.compile(r"""["'](?:/work/|/home/|/Users/|/tmp/|[A-Z]:\\\\)""")


def _name(p: Path) -> str:
    return p.relative_to(ROOT / "tests").as_posix()


@pytest.mark.parametrize("path", TEST_FILES, ids=[_name(p) for p in TEST_FILES])
def test_no_test_reads_the_clock(path):
    """A timed assertion fails on a busy machine; speed belongs in benchmarks/bench.py or in counted
    operations."""
    assert not CLOCK.search(path.read_text(encoding="utf-8")), f"{_name(path)} reads the clock"


@pytest.mark.parametrize("path", TEST_FILES, ids=[_name(p) for p in TEST_FILES])
def test_no_test_names_one_machines_absolute_path(path):
    """Material beside the repository is found relative to it (../shared), never at one machine's path."""
    assert not ABSOLUTE.search(path.read_text(encoding="utf-8")), f"{_name(path)} names an absolute path"
