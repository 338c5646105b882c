"""``import microgov`` is cheap: subpackages and heavy dependencies load on first use.

Checked by what a fresh interpreter has in ``sys.modules``, never by timing (the times are
in ``benchmarks/startup.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import microgov


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


HEAVY = {"networkx", "cattrs", "chinese_calendar", "dateutil"}


def test_import_microgov_loads_no_subpackage_and_no_dependency() -> None:
    loaded = _modules_after("import microgov")
    assert {m for m in loaded if m.startswith("microgov")} == {"microgov", "microgov._version"}
    assert not loaded & (HEAVY | {"attrs"})


def test_import_microgov_funds_loads_neither_the_graph_nor_converters_nor_the_calendar() -> None:
    loaded = _modules_after("import microgov.funds")
    assert not loaded & HEAVY
    assert not {"microgov.hierarchy", "microgov.lifecycle", "microgov.policy"} & loaded


def test_the_calendar_data_loads_with_the_first_question() -> None:
    assert "chinese_calendar" not in _modules_after("import microgov.calendar")
    asked = (
        "import datetime, microgov.calendar as c\n"
        "c.WorkCalendar().is_working_day(datetime.date(2026, 1, 1))"
    )
    assert "chinese_calendar" in _modules_after(asked)


@pytest.mark.parametrize("name", microgov.__all__)
def test_every_public_name_resolves_and_is_listed_by_dir(name: str) -> None:
    assert getattr(microgov, name) is not None
    assert name in dir(microgov)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = microgov.nothing  # type: ignore[attr-defined]
