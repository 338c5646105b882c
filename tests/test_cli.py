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
    """Exit code and everything printed (result and messages)."""
    code, out, err = run_split(*argv)
    return code, out + err


def run_split(*argv: str) -> tuple[int, str, str]:
    """Exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


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
    assert total.split()[2] == "99"


def test_demo_as_of_a_past_date_shows_old_codes() -> None:
    code, text = run("demo", "--on", "2022-12-31", "--section", "areas")
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
        ("broken.json", 1),
        ("empty.json", 1),
        ("top_level_list.json", 1),
        ("wrong_format.json", 1),
        ("not_utf8.json", 1),
        ("empty.csv", 1),
        ("broken_quote.csv", 1),
        ("unknown_columns.csv", 1),
        ("ragged.csv", 1),
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
    assert "hierarchy.cycle" in done.stderr
    assert done.stdout == ""


PB = Path(__file__).resolve().parent / "data" / "pabulib"


def _allocate(*args: str) -> tuple[int, str]:
    return run("allocate", *args)


def test_allocate_runs_the_files_rule_and_explains_every_project() -> None:
    code, text = _allocate(str(PB / "real" / "Netherlands_Assen_2024.pb"))
    assert code == 0
    assert "rule 规则: mes-add1" in text
    assert "same as the file's selected column 与官方结果一致: yes" in text
    rows = [line for line in text.splitlines() if line[:1] == " " and line.strip()[:1].isdigit()]
    assert len(rows) == 14  # one line per project
    assert sum("funded 资助" in row for row in rows) == 9


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


# -- a CLI in a pipeline: stdout for the result, stderr for messages, exit codes ----------


def test_errors_go_to_stderr_and_stdout_stays_empty(tmp_path: Path) -> None:
    code, out, err = run_split("validate", str(MALFORMED / "cycle.json"))
    assert (code, out) == (1, "")
    assert "hierarchy.cycle" in err
    code, out, err = run_split("allocate", str(PB / "malformed" / "bad_cost.pb"))
    assert (code, out) == (1, "")
    assert "line 12" in err


def test_a_missing_file_or_a_directory_exits_2_and_is_never_called_malformed(
    tmp_path: Path,
) -> None:
    for argv in (
        ("allocate", str(tmp_path / "missing.pb")),
        ("validate", str(tmp_path / "missing.json")),
        ("allocate", str(tmp_path)),
        ("validate", str(tmp_path / "x.xml")),
    ):
        code, out, err = run_split(*argv)
        assert (code, out) == (2, ""), argv
        assert "malformed" not in err
        assert "格式错误" not in err
    _, _, err = run_split("allocate", str(tmp_path / "missing.pb"))
    assert "No such file or directory" in err
    zh = err.rsplit(" / ", 1)[1]
    assert "missing.pb" in zh
    assert "文件或目录不存在" in zh
    assert "No such file" not in zh


def test_json_failures_are_json_on_stdout_with_the_same_exit_codes(tmp_path: Path) -> None:
    import json

    code, out, err = run_split("allocate", str(tmp_path / "missing.pb"), "--json")
    assert (code, err) == (2, "")
    error = json.loads(out)["error"]
    assert error["code"] == "data.unreadable"
    assert error["exit_code"] == 2
    assert "missing.pb" in error["message_en"]
    assert "missing.pb" in error["message_zh"]
    assert "文件或目录不存在" in error["message_zh"]
    code, out, _ = run_split("allocate", str(PB / "malformed" / "bad_cost.pb"), "--json")
    assert code == 1
    error = json.loads(out)["error"]
    assert error["code"] == "data.records"
    assert [(p["code"], p["field"]) for p in error["problems"]] == [("pabulib.number", "cost")]
    code, out, _ = run_split(
        "allocate", str(PB / "real" / "Switzerland_Zurich_S5R.pb"), "--rule", "borda", "--json"
    )
    assert code == 2
    assert json.loads(out)["error"]["code"] == "funds.unknown_rule"
    code, out, _ = run_split("validate", str(MALFORMED / "cycle.json"), "--json")
    assert code == 1
    assert json.loads(out)["error"]["problems"]


def test_allocate_warns_on_stderr_and_in_json_and_strict_refuses() -> None:
    import json

    path = PB / "anomalies" / "repeated_project_in_vote.pb"
    code, out, err = run_split("allocate", str(path))
    assert code == 0
    assert "warning / 警告" in err
    assert "line 16: vote" in err
    assert "warning" not in out
    code, out, err = run_split("allocate", str(path), "--json")
    assert code == 0
    warnings = json.loads(out)["warnings"]
    assert [(w["code"], w["location"], w["field"]) for w in warnings] == [
        ("pabulib.repeated_project", f"{path}, line 16", "vote")
    ]
    assert err == ""
    code, out, err = run_split("allocate", str(path), "--strict")
    assert (code, out) == (1, "")
    assert "pabulib.repeated_project" in err


def test_allocate_reads_compressed_files() -> None:
    plain = run_split("allocate", str(PB / "wellformed" / "minimal.pb"))
    for name in ("minimal.pb.xz", "minimal.pb.gz"):
        code, out, err = run_split("allocate", str(PB / "wellformed" / name))
        assert (code, err) == (0, "")
        assert out.splitlines()[1:] == plain[1].splitlines()[1:]


def _head(*argv: str) -> subprocess.CompletedProcess[bytes]:
    """``python -m microgov ARGS | head -1`` through a real pipe."""
    producer = subprocess.Popen(
        [sys.executable, "-m", "microgov", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert producer.stdout is not None
    head = subprocess.run(["head", "-1"], stdin=producer.stdout, capture_output=True, check=False)
    producer.stdout.close()  # only head holds the pipe now: its exit closes the read end
    _, err = producer.communicate()
    return subprocess.CompletedProcess(argv, producer.returncode, head.stdout, err)


def test_demo_piped_into_head_ends_quietly() -> None:
    done = _head("demo")
    assert done.stdout.decode().startswith("microgov ")
    assert done.stdout.count(b"\n") == 1
    assert done.stderr == b""
    assert done.returncode in (0, 141)


def test_allocate_piped_into_head_ends_quietly() -> None:
    done = _head("allocate", str(PB / "real" / "Poland_Warszawa_2018_rejon_6.pb"))
    assert done.stdout.count(b"\n") == 1
    assert done.stderr == b""
    assert done.returncode in (0, 141)


def test_a_pipe_closed_before_the_first_write_ends_quietly_with_141() -> None:
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write meets a broken pipe
    try:
        done = subprocess.run(
            [sys.executable, "-m", "microgov", "demo", "--section", "levels"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == 141


# -- the demo reads well in both languages ------------------------------------------------


@pytest.fixture(scope="module")
def demo_text() -> str:
    code, out, err = run_split("demo")
    assert (code, err) == (0, "")
    return out


def test_demo_stays_within_100_columns(demo_text: str) -> None:
    from microgov._display import width

    assert max(width(line) for line in demo_text.splitlines()) <= 100


def test_demo_columns_align_by_display_width(demo_text: str) -> None:
    from microgov._display import width

    lines = demo_text.splitlines()
    start = lines.index("Residential areas 居民区")
    rows = lines[start + 4 : start + 34]
    assert len(rows) == 30
    # the name column starts at the same display column on every row and the heading
    heading = lines[start + 1]
    column = width(heading[: heading.index("name")])
    for row in rows:
        name = row.split()[-1]
        assert width(row[: row.index(name)]) == column, row


def test_demo_amounts_are_always_yuan_with_two_decimals(demo_text: str) -> None:
    import re

    funds = demo_text[demo_text.index("Special funds") :]
    assert re.findall(r"¥[0-9,]+\.[0-9]{2}", funds)
    assert not re.search(r"¥(?![0-9,]+\.[0-9]{2}\b)", funds)
    assert "yuan;" not in funds


def test_demo_labels_are_bilingual(demo_text: str) -> None:
    assert "正式 constituted" in demo_text
    assert "代码变更 code changed" in demo_text
    assert "funded 资助" in demo_text
    assert "change_code" not in demo_text
    assert "does_not_fit" not in demo_text
    assert "summed over the 45 votes 各次表决合计" in demo_text
    assert "a second pot" in demo_text
    assert "each pays" in demo_text


def test_demo_season_figures_agree(demo_text: str) -> None:
    import re

    def figure(label: str) -> int:
        match = re.search(re.escape(label) + r"\s+([0-9,]+)", demo_text)
        assert match, label
        return int(match.group(1).replace(",", ""))

    raised = figure("topics raised 提出议题")
    assert raised == figure("resolved without a project 直接解决") + figure(
        "turned into micro-projects 转为微项目"
    )
    assert figure("micro-projects proposed 微项目") == (
        figure("accepted by hands, closed after 公示 and evaluation 举手通过并结项")
        + figure("not accepted by the vote 表决未通过")
        + figure("accepted, the area's fund too small 已通过、资金不足")
        + figure("funded, still under way 已拨款、进行中")
    )
    assert figure("funded, grant with the decision 已拨款") >= figure(
        "accepted by hands, closed after 公示 and evaluation 举手通过并结项"
    )


@pytest.mark.parametrize("section", ["levels", "areas", "roles", "history"])
def test_demo_section_prints_one_part(section: str, demo_text: str) -> None:
    code, out, err = run_split("demo", "--section", section)
    assert (code, err) == (0, "")
    assert not out.startswith("microgov")
    assert out.strip() in demo_text
    assert len(out) < len(demo_text) / 2


def test_demo_help_describes_the_simulations(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("30 residential areas", "raise-hand", "topics", "special funds", "--section"):
        assert words in text


# -- the Chinese half carries the same facts as the English half -------------------------


@pytest.mark.parametrize(
    "argv",
    [
        *(
            ("validate", str(MALFORMED / name))
            for name in sorted(p.name for p in MALFORMED.iterdir())
        ),
        *(
            ("allocate", str(path))
            for path in sorted((PB / "malformed").iterdir())
            if path.name not in {"wrong_cell_count.pb"}  # a short row: no file name to repeat
        ),
        ("allocate", "missing.pb"),
        ("validate", "missing.json"),
    ],
    ids=lambda argv: f"{argv[0]}-{Path(argv[1]).name}",
)
def test_the_chinese_half_names_the_file_when_the_english_half_does(argv: tuple[str, str]) -> None:
    import json

    code, out, err = run_split(*argv, "--json")
    assert code in (1, 2)
    assert err == ""
    error = json.loads(out)["error"]
    name = Path(argv[1]).name
    messages = [(error["message_en"], error["message_zh"])]
    messages += [(p["message_en"], p["message_zh"]) for p in error["problems"]]
    for en, zh in messages:
        if name in en:
            assert name in zh, (en, zh)
        assert not any(word in zh for word in ("No such file", "Is a directory", "Permission")), zh


def test_report_writes_a_self_contained_file_from_a_store(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from datetime import date

    from microgov.datasets import meilan_xihu
    from microgov.report import copy_events
    from microgov.simulation import simulate_season
    from microgov.store import SQLiteStore

    season = simulate_season(meilan_xihu(), seed=3, start=date(2026, 3, 2), areas=3)
    with SQLiteStore(tmp_path / "year.db") as store:
        copy_events(season.log.events, store)
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "r.html"
    args = ["report", str(tmp_path / "year.db"), "--out", str(target), "--lang", "en"]
    assert main(args, out=out, err=err) == 0, err.getvalue()
    page = target.read_text(encoding="utf-8")
    assert "default-src 'none'" in page
    assert "<svg" in page


def test_report_of_a_missing_or_broken_store_exits_2(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = str(tmp_path / "r.html")
    assert main(["report", str(tmp_path / "none.db"), "--out", target], out=out, err=err) == 2
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all")
    assert main(["report", str(broken), "--out", target], out=out, err=err) == 2
    assert "store.unavailable" in err.getvalue()
    assert out.getvalue() == ""


def test_demo_writes_its_report(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "demo.html"
    args = ["demo", "--section", "areas", "--report", str(target), "--lang", "en"]
    assert main(args, out=out, err=err) == 0
    assert target.stat().st_size > 10_000
    assert str(target) in err.getvalue()


def test_demo_response_time_total_agrees_with_the_indicators(demo_text: str) -> None:
    # The "all" row of the response-time table counts the same topics and answers as the
    # year's indicator lines above it.
    import re

    def figure(label: str) -> str:
        match = re.search(rf"{label}\s+([\d,]+)\s", demo_text)
        assert match is not None, label
        return match.group(1)

    row = re.search(r"all 全部\s+([\d,]+)\s+([\d,]+)\s", demo_text)
    assert row is not None
    assert row.group(1) == figure("topics raised")
    assert row.group(2) == figure("topics answered")
