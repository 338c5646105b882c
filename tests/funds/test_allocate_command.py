"""``microgov allocate``: --tie-break prints the ties met, --rank-by, --analyse."""

from __future__ import annotations

import io
import json
from pathlib import Path

from microgov.cli import TIE_BREAKS, main
from microgov.funds import TieBreak

PB = Path(__file__).resolve().parents[1] / "data" / "pabulib"
TIED = """META
key;value
num_projects;3
num_votes;4
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes
1534;100;2
64;100;2
7;10;0
VOTES
voter_id;vote
1;1534
2;1534
3;64
4;64
"""


CJK = """META
key;value
description;hand-made: three projects, one with a Chinese name
num_projects;3
num_votes;4
budget;150000
currency;CNY
vote_type;approval
rule;greedy
unit;罗店镇
subunit;美兰湖
PROJECTS
project_id;cost;votes;name
1;100000;3;美兰湖社区花园改造
2;80000;3;Bike racks
3;30000;1;楼道灯
VOTES
voter_id;vote
1;1,2
2;1,3
3;1,2
4;2
"""


def _allocate(*args: str) -> tuple[int, str]:
    """Exit code and everything printed (the result on out, messages on err)."""
    buffer, errors = io.StringIO(), io.StringIO()
    code = main(["allocate", *args], out=buffer, err=errors)
    return code, buffer.getvalue() + errors.getvalue()


def test_tie_break_values_are_the_enums() -> None:
    assert tuple(t.value for t in TieBreak) == TIE_BREAKS


def test_the_ties_met_are_printed_with_the_rule_used(tmp_path: Path) -> None:
    path = tmp_path / "tied.pb"
    path.write_text(TIED, encoding="utf-8")
    code, text = _allocate(str(path))
    assert code == 0
    assert "ties 同票: 1 met, 1 decisive (tie-break: project id as text)" in text
    assert "* tie at 2 votes between 1534, 64" in text
    code, text = _allocate(str(path), "--tie-break", "number")
    assert "tie at 2 votes between 64, 1534, broken by project id as a number" in text
    code, text = _allocate(str(path), "--tie-break", "lot", "--seed", "draw 2026-05-01")
    assert code == 0
    assert "public lot (seed 'draw 2026-05-01')" in text
    code, text = _allocate(str(path), "--tie-break", "lot")
    assert code == 2
    assert "funds.no_seed" in text


def test_rank_by_shows_the_figure_ranked_by() -> None:
    path = PB / "real" / "poland_czestochowa_2020_grabowka.pb"
    code, text = _allocate(str(path))
    assert code == 0
    assert "ranked by 排序依据: score" in text
    assert "score  votes" in text
    code, text = _allocate(str(path), "--rank-by", "votes")
    assert "ranked by" not in text


def test_analyse_prints_the_fairness_figures() -> None:
    path = PB / "real" / "Poland_Warszawa_2018_rejon_6.pb"
    code, text = _allocate(str(path), "--analyse")
    assert code == 0
    assert "households with a funded project they supported: 1988 of 2736 (72.7%)" in text
    assert "EJR up to one project: NOT satisfied" in text
    assert "category distance (L1, support vs money)" in text
    code, text = _allocate(str(path), "--analyse", "--json", "--rule", "mes-add1")
    data = json.loads(text)
    assert data["fairness"]["ejr_up_to_one"]["satisfied"] is True
    assert data["tie_break"] == "id"


def test_the_demo_shows_fairness_for_mes_and_greedy_side_by_side() -> None:
    buffer = io.StringIO()
    assert main(["demo"], out=buffer) == 0
    text = buffer.getvalue()
    start = text.index("Fairness 公平性")
    table = text[start:].splitlines()[1:5]
    assert "MES + add1" in table[0]
    assert "greedy" in table[0]
    assert table[1].lstrip().startswith("households served")
    assert "areas: money vs households (L1)" in table[2]
    assert "EJR up to one project" in table[3]


def _split(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["allocate", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_table_heads_every_column_and_aligns_chinese_by_display_width(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cjk.pb"
    path.write_text(CJK, encoding="utf-8")
    code, out, err = _split(str(path))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "cjk.pb: 罗店镇 / 美兰湖",
        "4 voters 投票人, 3 projects 个项目, budget 预算 ¥150,000.00",
        "rule 规则: greedy",
        "selected 入选 2: cost 费用 ¥130,000.00, left 余额 ¥20,000.00",
        "",
        "  rank  project               votes         cost  outcome",
        "  名次  项目                   票数         费用  结果",
        "  ----  --------------------  -----  -----------  ---------------------",
        "     1  1 美兰湖社区花园改造      3  ¥100,000.00  funded 资助",
        "     2  2 Bike racks              3   ¥80,000.00  does not fit 资金不足",
        "     3  3 楼道灯                  1   ¥30,000.00  funded 资助",
        "",
        "ties 同票: 1 met, 1 decisive (tie-break: project id as text)",
        "  * tie at 3 votes between 1, 2, broken by project id as text: 1 first; funded 1;"
        " not funded 2",
    ]


def test_equal_shares_adds_the_price_and_the_supporters_money(tmp_path: Path) -> None:
    path = tmp_path / "cjk.pb"
    path.write_text(CJK, encoding="utf-8")
    code, out, _ = _split(str(path), "--rule", "mes-add1")
    assert code == 0
    lines = out.splitlines()
    assert lines[3] == "per-voter budget 每人份额: ¥48,888.00"
    assert lines[6:11] == [
        "  rank  project               votes         cost  outcome                 ρ (MES)"
        "  supporters held",
        "  名次  项目                   票数         费用  结果                       单价"
        "       支持者所持",
        "  ----  --------------------  -----  -----------  ---------------------  --------"
        "  ---------------",
        "     1  1 美兰湖社区花园改造      3  ¥100,000.00  funded 资助            0.333333"
        "      ¥146,664.00",
        "     2  2 Bike racks              3   ¥80,000.00  unaffordable 份额不足          "
        "       ¥79,997.33",
    ]


def test_every_line_fits_100_columns_and_every_outcome_has_a_label() -> None:
    from microgov._display import MAX_WIDTH, OUTCOMES, width
    from microgov.funds import Outcome

    assert {o.value for o in Outcome} <= set(OUTCOMES)
    for name in ("Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb", "Netherlands_Assen_2024.pb"):
        for rule in ("greedy", "mes-add1"):
            code, out, _ = _split(str(PB / "real" / name), "--rule", rule)
            assert code == 0
            assert max(width(line) for line in out.splitlines()) <= MAX_WIDTH
            assert "does_not_fit" not in out
            assert "funded_" not in out


def test_long_names_are_cut_to_fit_and_json_is_unchanged() -> None:
    path = PB / "real" / "poland_czestochowa_2020_grabowka.pb"
    code, out, _ = _split(str(path))
    assert code == 0
    assert "     1  196 Doświetlenie przejścia dla pieszych przy …    435" in out
    code, out, _ = _split(str(path), "--json")
    data = json.loads(out)
    assert data["explanations"][0]["outcome"] == "funded"
