""".ci/run's control flow, run for real against stand-in commands (python3 and carextract replaced by stubs
that log what they were asked): the README's test command exactly, no tests collected is a failure, the steps
needing ../shared skipped by name without it, and a missing ../shared failing the run under CI=true."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="needs bash")

STUB = """#!/usr/bin/env bash
echo "$(basename "$0") $*" >> "$CI_STUB_LOG"
if [ "$1 $2" = "-m pytest" ]; then exit "${CI_STUB_PYTEST_STATUS:-0}"; fi
if [ "$1" = "-" ]; then cat > /dev/null; fi
exit 0
"""


@pytest.fixture
def workspace(tmp_path):
    repo = tmp_path / "main"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name in ("python3", "carextract"):
        path = stubs / name
        path.write_text(STUB, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def ci(workspace: Path, **env) -> tuple[int, str, list[str]]:
    log = workspace / "calls.log"
    log.write_text("", encoding="utf-8")
    full = {"PATH": f"{workspace / 'bin'}:{os.environ['PATH']}", "CI_STUB_LOG": str(log), "HOME": str(workspace)}
    full.update(env)
    p = subprocess.run([BASH, str(workspace / "main" / ".ci" / "run")], capture_output=True, text=True, env=full)
    return p.returncode, p.stdout + p.stderr, log.read_text(encoding="utf-8").splitlines()


def make_shared(workspace: Path) -> None:
    for d in ("seeds/gold", "dev/gold", "tools", "data"):
        (workspace / "shared" / d).mkdir(parents=True, exist_ok=True)
    (workspace / "shared" / "tools" / "validate_gold.py").write_text("", encoding="utf-8")


def test_without_shared_the_rest_passes_and_the_skipped_steps_are_named(workspace):
    code, out, calls = ci(workspace)
    assert code == 0, out
    assert "python3 -m pytest" in calls  # the README's test command, exactly
    assert "carextract evaluate corpus --floors ci/corpus_floors.json" in calls
    assert not [c for c in calls if "shared" in c]
    for step in ("corpus validation", "seed evaluation", "development set evaluation"):
        assert f"SKIPPED: {step}" in out
    assert "3 step(s) skipped" in out


def test_under_ci_a_missing_shared_fails(workspace):
    code, out, calls = ci(workspace, CI="true")
    assert code != 0 and "../shared is absent" in out
    assert "python3 -m pytest" not in calls  # it fails at once, not after the long steps


def test_with_shared_every_step_runs(workspace):
    make_shared(workspace)
    code, out, calls = ci(workspace, CI="true")
    assert code == 0, out
    assert "carextract evaluate ../shared/seeds/gold --floors ci/seed_floors.json" in calls
    assert "carextract evaluate ../shared/dev/gold --floors ci/dev_floors.json" in calls
    assert any(c.startswith("python3 ../shared/tools/validate_gold.py corpus") for c in calls)
    assert "SKIPPED" not in out and "every step run" in out


@pytest.mark.parametrize("status, message", [(5, "collected no tests"), (1, "exited with status 1")])
def test_a_failing_or_empty_test_run_fails_ci(workspace, status, message):
    code, out, calls = ci(workspace, CI_STUB_PYTEST_STATUS=str(status))
    assert code != 0 and message in out
    assert not [c for c in calls if c.startswith("carextract")]
