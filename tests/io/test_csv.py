"""CSV readers: node tables and NBS code tables, every bad row reported by line."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgov.datasets import committees_csv
from microgov.errors import DataFormatError, HierarchyValidationError, MicrogovError
from microgov.hierarchy import Level, NodeStatus
from microgov.io import hierarchy_from_csv, nodes_from_csv, nodes_from_nbs_csv

MALFORMED = Path(__file__).parent.parent / "data" / "malformed"


def test_node_csv_with_every_column() -> None:
    text = (
        "id,level,name,parent,code,class_code,status,status_since,households,residents,synthetic\n"
        "t,town,罗店镇,,310113101,,,,,,\n"
        "a,residential_area,某居委会,t,310113101043,121,constituted,2023-06-30,1200,3100,false\n"
        "\n"
        "g,micro_grid,一号网格,a,310113101043001,,,,,,true\n"
    )
    nodes = nodes_from_csv(text.encode("utf-8-sig"))
    assert [n.id for n in nodes] == ["t", "a", "g"]
    area = nodes[1]
    assert area.level is Level.RESIDENTIAL_AREA
    assert area.status is NodeStatus.CONSTITUTED
    assert (area.households, area.residents, area.class_code) == (1200, 3100, "121")
    assert nodes[2].synthetic


def test_every_bad_row_is_reported_with_its_line() -> None:
    with pytest.raises(DataFormatError) as caught:
        nodes_from_csv((MALFORMED / "bad_rows.csv").read_text(), source="bad_rows.csv")
    problems = caught.value.problems
    assert [(p.location, p.field) for p in problems] == [
        ("bad_rows.csv, line 4", "level"),
        ("bad_rows.csv, line 5", "name"),
    ]


def test_counts_dates_and_flags_are_checked() -> None:
    text = (
        "id,level,name,households,status_since,synthetic,status\nt,town,t,-3,2024-13-01,maybe,x\n"
    )
    with pytest.raises(DataFormatError) as caught:
        nodes_from_csv(text)
    assert sorted(p.field or "" for p in caught.value.problems) == [
        "households",
        "status",
        "status_since",
        "synthetic",
    ]


def test_graph_problems_name_the_csv_line(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("id,level,name,parent\nt,town,t,\nb,building_group,b,t\n", encoding="utf-8")
    with pytest.raises(HierarchyValidationError) as caught:
        hierarchy_from_csv(path)
    (problem,) = caught.value.problems
    assert problem.code == "hierarchy.level_order"
    assert problem.location == f"{path}, line 3"


def test_nbs_table_of_luodian() -> None:
    nodes = nodes_from_nbs_csv(committees_csv(), source="luodian-committees.csv")
    town, *committees = nodes
    assert (town.id, town.level, town.code) == ("nbs-310113101", Level.TOWN, "310113101")
    assert len(committees) == 71
    assert all(c.parent == "nbs-310113101" for c in committees)
    assert committees[0].class_code == "121"


def test_nbs_town_row_gives_the_town_name() -> None:
    text = "code,name\n310113101000,罗店镇\n310113101043,美罗家园金丰苑第一居委会\n"
    town, area = nodes_from_nbs_csv(text)
    assert (town.name, town.code, area.parent) == ("罗店镇", "310113101", town.id)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.csv", "data.empty"),
        ("broken_quote.csv", "data.csv"),
        ("unknown_columns.csv", "data.csv_header"),
        ("ragged.csv", "data.csv_shape"),
        ("nbs_bad.csv", "data.records"),
    ],
)
def test_malformed_csv_corpus(name: str, code: str) -> None:
    with pytest.raises(DataFormatError) as caught:
        hierarchy_from_csv(MALFORMED / name)
    assert caught.value.code == code


def test_duplicate_codes_in_an_nbs_table(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("code,name\n310113101043,甲\n310113101043,乙\n", encoding="utf-8")
    with pytest.raises(HierarchyValidationError) as caught:
        hierarchy_from_csv(path)
    assert {p.code for p in caught.value.problems} == {"hierarchy.duplicate_id"}


@given(st.text(max_size=300))
def test_arbitrary_text_never_escapes_as_another_exception(text: str) -> None:
    for reader in (nodes_from_csv, nodes_from_nbs_csv):
        with contextlib.suppress(MicrogovError):
            reader(text)
