"""pyproject.toml declares exactly the Pythons that CI (.ci/run) tests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLASSIFIER = re.compile(r"Programming Language :: Python :: (3\.\d+)")


def _ci_pythons(script: str) -> tuple[str, list[str]]:
    main = re.search(r"^MAIN_PYTHON=(3\.\d+)$", script, re.MULTILINE)
    others = re.search(r"^OTHER_PYTHONS=\(([^)]*)\)$", script, re.MULTILINE)
    assert main is not None, ".ci/run names its main Python as MAIN_PYTHON=3.X"
    assert others is not None, ".ci/run lists the other Pythons as OTHER_PYTHONS=(3.X ...)"
    return main.group(1), others.group(1).split()


def test_pyproject_declares_exactly_the_pythons_ci_tests() -> None:
    run = ROOT / ".ci" / "run"
    if not run.exists():  # an sdist carries the tests but not .ci/
        pytest.skip(".ci/run is not part of this source tree")
    main, others = _ci_pythons(run.read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [
        m.group(1) for c in project["classifiers"] if (m := CLASSIFIER.fullmatch(c)) is not None
    ]
    tested = sorted([main, *others], key=lambda v: tuple(map(int, v.split("."))))
    assert set(declared) == set(tested)
    assert project["requires-python"] == f">={tested[0]}"
