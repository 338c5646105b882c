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
    assert "score   votes" in text
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
