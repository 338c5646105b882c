"""The embedded 美兰西湖 dataset: real facts from the NBS rows, synthetic flags, determinism."""

from __future__ import annotations

import csv
import io
import runpy
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from microgov.datasets import committees_csv, meilan_xihu
from microgov.hierarchy import Hierarchy, Level, NodeStatus, Pairing, Resource, Role, RoleAssignment

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_meilan_xihu.py"
SHIPPED = ROOT / "src" / "microgov" / "datasets" / "meilan_xihu.json"

REAL_LEVELS = {Level.TOWN, Level.LARGE_COMMUNITY, Level.RESIDENTIAL_AREA}


@pytest.fixture(scope="module")
def h() -> Hierarchy:
    return meilan_xihu()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """The CSV rows of the 30 areas (MRJY + MAYBE), in code order."""
    found = [
        row
        for row in csv.DictReader(io.StringIO(committees_csv()))
        if row["meilan_group"] in {"MRJY", "MAYBE"}
    ]
    return sorted(found, key=lambda row: row["code"])


def test_the_shipped_csv_has_the_expected_groups(rows: list[dict[str, str]]) -> None:
    groups = Counter(row["meilan_group"] for row in rows)
    assert groups == {"MRJY": 28, "MAYBE": 2}


def test_town_and_large_community_are_real(h: Hierarchy) -> None:
    town, community = h["luodian"], h["meilan-xihu"]
    assert (town.level, town.name, town.code, town.parent) == (
        Level.TOWN,
        "罗店镇",
        "310113101",
        None,
    )
    assert (community.level, community.name, community.code, community.parent) == (
        Level.LARGE_COMMUNITY,
        "美兰西湖大型居住社区",
        None,
        "luodian",
    )


def test_thirty_areas_under_the_large_community(h: Hierarchy) -> None:
    areas = h.children("meilan-xihu")
    assert [a.id for a in areas] == [f"area-{n:02d}" for n in range(1, 31)]
    assert {a.level for a in areas} == {Level.RESIDENTIAL_AREA}
    assert len(h.nodes_at(Level.RESIDENTIAL_AREA)) == 30


def test_area_codes_and_names_match_the_csv(h: Hierarchy, rows: list[dict[str, str]]) -> None:
    for number, row in enumerate(rows, start=1):
        area = h[f"area-{number:02d}"]
        assert (area.code, area.name) == (row["code"], row["name"])
        assert area.class_code == (row["class_code_2016"] or None)
        assert area.status is NodeStatus.CONSTITUTED
        assert (area.households, area.residents) == (0, 0)
    assert h["area-01"].code == "310113101018"
    assert h["area-22"].code == "310113101043"


def test_renumbered_committees_keep_their_ids(h: Hierarchy, rows: list[dict[str, str]]) -> None:
    before = h.as_of(date(2023, 1, 1))
    renumbered = {
        f"area-{n:02d}": row for n, row in enumerate(rows, start=1) if row["old_code_pre2023"]
    }
    assert len(renumbered) == 7
    assert sorted(row["code"][-3:] for row in renumbered.values()) == [
        "043", "044", "045", "046", "047", "048", "049"
    ]  # fmt: skip
    for area_id, row in renumbered.items():
        old = before[area_id]
        assert old.code == row["old_code_pre2023"]
        assert "401" <= old.code[-3:] <= "407"
        assert old.name == row["name"] == h[area_id].name
        assert old.status is NodeStatus.PREPARATORY
        assert h[area_id].code == row["code"]
        # The grids were re-prefixed with the area's code, and kept their ids.
        for grid in h.nodes_at(Level.MICRO_GRID, under=area_id):
            old_grid_code = before[grid.id].code
            assert old_grid_code is not None
            assert old_grid_code.startswith(row["old_code_pre2023"])
            assert grid.code == row["code"] + old_grid_code[12:]


def test_status_history(h: Hierarchy) -> None:
    def constituted(on: date) -> int:
        return sum(
            a.status is NodeStatus.CONSTITUTED for a in h.as_of(on).nodes_at(Level.RESIDENTIAL_AREA)
        )

    assert constituted(date(2022, 1, 1)) == 3  # 018–020, listed in 2020
    assert constituted(date(2022, 6, 30)) == 3 + 15  # the 15 committees 去筹 in 2022
    assert constituted(date(2023, 6, 30)) == 30


def test_ninety_nine_micro_grids(h: Hierarchy) -> None:
    grids = h.nodes_at(Level.MICRO_GRID)
    assert len(grids) == 99
    assert len(h.baseline.nodes_at(Level.MICRO_GRID)) == 99
    per_area = Counter(len(h.children(a.id)) for a in h.children("meilan-xihu"))
    assert per_area == {4: 9, 3: 21}


def test_every_grid_code_extends_its_area_code(h: Hierarchy) -> None:
    for on in (date(2022, 1, 1), date(2022, 12, 31), date(2023, 6, 30), date(2025, 1, 1)):
        state = h.as_of(on)
        for grid in state.nodes_at(Level.MICRO_GRID):
            area = state.parent(grid.id)
            assert area is not None
            if area.code is None:
                assert grid.code is None
            else:
                assert grid.code is not None
                assert grid.code.startswith(area.code)
                assert len(grid.code) == 15


def test_synthetic_flags(h: Hierarchy) -> None:
    for state in (h.baseline, h):
        for node_id in state:
            node = state[node_id]
            assert node.synthetic is (node.level not in REAL_LEVELS), node_id
        assert state.links
        assert all(link.synthetic for link in state.links)


def test_the_graph_validates(h: Hierarchy) -> None:
    assert h.validate() == ()
    assert h.baseline.validate() == ()
    assert h.as_of(date(2023, 1, 1)).validate() == ()


def test_synthetic_totals_follow_the_reported_figures(h: Hierarchy) -> None:
    residents = h.rollup("residents")["meilan-xihu"]
    assert 75_000 <= residents <= 85_000
    for group in h.nodes_at(Level.BUILDING_GROUP):
        assert 20 <= group.households <= 60
        assert group.households * 2.4 - 1 <= group.residents <= group.households * 2.8
    for grid in h.baseline.nodes_at(Level.MICRO_GRID):
        assert 10 <= len(h.baseline.children(grid.id)) <= 14
    roles = Counter(link.role for link in h.links if isinstance(link, RoleAssignment))
    assert roles[Role.SECOND_BUILDING_LEADER] == 136
    assert roles[Role.TALENT] == 92
    assert roles[Role.PARTY_MEMBER] == 2700
    assert roles[Role.VOLUNTEER] == 300
    resources = [link for link in h.links if isinstance(link, Resource)]
    assert all(link.name.startswith("（示例）") for link in resources)
    per_area = Counter(
        next(a.id for a in h.ancestors(r.node) if a.level is Level.RESIDENTIAL_AREA)
        for r in resources
    )
    assert len(per_area) == 30
    assert set(per_area.values()) <= {5, 6}


def test_every_grid_has_one_leader_and_one_liaison(h: Hierarchy) -> None:
    on = date(2024, 6, 1)
    for grid in h.nodes_at(Level.MICRO_GRID):
        leaders = h.holders(grid.id, role=Role.GRID_LEADER, on=on)
        liaisons = h.holders(grid.id, role=Role.LIAISON, on=on)
        assert len(leaders) == len(liaisons) == 1
        assert leaders[0].person != liaisons[0].person
        paired = h.pairings(person=leaders[0].person, on=on)
        assert len(paired) == 1
        assert h.is_within(paired[0].node, grid.id)


def test_grid_leader_handover(h: Hierarchy) -> None:
    new = h.holders("grid-01-1", role=Role.GRID_LEADER, on=date(2024, 6, 1))
    old = h.holders("grid-01-1", role=Role.GRID_LEADER, on=date(2023, 6, 1))
    assert [a.node for a in new] == [a.node for a in old] == ["grid-01-1"]
    assert new[0].person != old[0].person
    assert new[0].start == date(2024, 3, 1)
    assert old[0].end == date(2024, 2, 29)
    assert h.may_act(new[0].person, "bg-01-1-01", on=date(2024, 6, 1))
    assert not h.may_act(old[0].person, "bg-01-1-01", on=date(2024, 6, 1))
    assert len([p for p in h.links if isinstance(p, Pairing)]) == 100


def test_one_building_group_moves_in_2024(h: Hierarchy) -> None:
    diff = h.diff(date(2024, 8, 31), date(2024, 9, 1))
    assert not diff.added
    assert not diff.removed
    assert [(b.parent, a.parent) for b, a in diff.changed] == [("grid-05-1", "grid-05-2")]


def test_regeneration_is_byte_identical() -> None:
    script: dict[str, Any] = runpy.run_path(str(SCRIPT), run_name="generate_meilan_xihu")
    assert script["render"]() == SHIPPED.read_bytes()
    assert script["main"](["--check"]) == 0
