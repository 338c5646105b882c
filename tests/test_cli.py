"""The microgov command: demo, validate's exit codes, --version."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from microgov import __version__
from microgov.cli import main
from microgov.datasets import meilan_xihu
from microgov.io import dump_hierarchy

MALFORMED = Path(__file__).parent / "data" / "malformed"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_demo_shows_the_30_real_areas_and_99_grids() -> None:
    code, text = run("demo")
    assert code == 0
    h = meilan_xihu()
    for area in h.nodes_at(meilan_xihu()["area-01"].level):
        assert area.code is not None
        assert area.code in text
        assert area.name in text
    assert "微网格" in text
    grid_line = next(line for line in text.splitlines() if "micro-grid" in line)
    assert grid_line.split()[-1] == "99"
    total = next(line for line in text.splitlines() if line.strip().startswith("total"))
    assert total.split()[1] == "99"


def test_demo_as_of_a_past_date_shows_old_codes() -> None:
    code, text = run("demo", "--on", "2022-12-31")
    assert code == 0
    assert "310113101401" in text
    assert "310113101043" not in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cycle.json", 1),
        ("orphan.json", 1),
        ("duplicate_id.json", 1),
        ("level_order.json", 1),
        ("bad_codes.json", 1),
        ("wrong_types.json", 1),
        ("unknown_field.json", 1),
        ("change_on_missing_node.json", 1),
        ("bad_rows.csv", 1),
        ("nbs_bad.csv", 1),
        ("broken.json", 2),
        ("empty.json", 2),
        ("top_level_list.json", 2),
        ("wrong_format.json", 2),
        ("not_utf8.json", 2),
        ("empty.csv", 2),
        ("broken_quote.csv", 2),
        ("unknown_columns.csv", 2),
        ("ragged.csv", 2),
    ],
)
def test_validate_exit_codes_for_the_malformed_corpus(name: str, expected: int) -> None:
    code, text = run("validate", str(MALFORMED / name))
    assert code == expected, text
    assert "Traceback" not in text
    assert name in text


def test_validate_lists_every_problem() -> None:
    code, text = run("validate", str(MALFORMED / "bad_codes.json"))
    assert code == 1
    assert "hierarchy.bad_code" in text
    assert "hierarchy.code_prefix" in text


def test_validate_a_valid_file_and_odd_paths(tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    dump_hierarchy(meilan_xihu(), path)
    code, text = run("validate", str(path))
    assert code == 0
    assert "valid" in text
    assert run("validate", str(tmp_path / "missing.json"))[0] == 2
    assert run("validate", str(tmp_path / "data.xml"))[0] == 2
    assert run("validate", str(tmp_path))[0] == 2


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"microgov {__version__}"
    assert run()[0] == 0


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "microgov", "validate", str(MALFORMED / "cycle.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "hierarchy.cycle" in done.stdout
    assert done.stderr == ""


PB = Path(__file__).resolve().parent / "data" / "pabulib"


def _allocate(*args: str) -> tuple[int, str]:
    buffer = io.StringIO()
    code = main(["allocate", *args], out=buffer)
    return code, buffer.getvalue()


def test_allocate_runs_the_files_rule_and_explains_every_project() -> None:
    code, text = _allocate(str(PB / "real" / "Netherlands_Assen_2024.pb"))
    assert code == 0
    assert "rule 规则: mes-add1" in text
    assert "same as the file's selected column 与官方结果一致: yes" in text
    rows = [line for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 14  # one line per project
    assert sum("funded" in row and "funded_" not in row for row in rows) == 9


def test_allocate_json_has_rule_selected_and_explanations() -> None:
    import json

    from microgov.funds import load_pabulib

    path = PB / "real" / "Poland_Warszawa_2018_rejon_6.pb"
    code, text = _allocate(str(path), "--json")
    assert code == 0
    data = json.loads(text)
    assert data["rule"] == "greedy-threshold"
    assert frozenset(data["selected"]) == load_pabulib(path).selected
    assert len(data["explanations"]) == 39
    code, text = _allocate(str(path), "--rule", "equalshares", "--json")
    assert json.loads(text)["rule"] == "mes"


def test_allocate_malformed_file_exits_1_naming_line_and_field() -> None:
    code, text = _allocate(str(PB / "malformed" / "bad_cost.pb"))
    assert code == 1
    assert "line 12" in text
    assert "cost" in text
    assert "Traceback" not in text


def test_allocate_without_a_usable_rule_exits_2() -> None:
    code, text = _allocate(str(PB / "real" / "Switzerland_Zurich_S5R.pb"))
    assert code == 2
    assert "funds.no_rule" in text
    code, text = _allocate(str(PB / "real" / "Switzerland_Zurich_S5R.pb"), "--rule", "borda")
    assert code == 2
    assert "funds.unknown_rule" in text
    code, _ = _allocate(str(PB / "real" / "Switzerland_Zurich_S5R.pb"), "--rule", "greedy")
    assert code == 0
