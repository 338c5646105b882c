"""Whole-graph validation: every problem reported at once, with stable codes."""

from __future__ import annotations

from datetime import date

import pytest

from microgov.hierarchy import (
    CodeScheme,
    Level,
    Node,
    Pairing,
    Resource,
    ResourceKind,
    Role,
    RoleAssignment,
    validate,
)

T = Level.TOWN
A = Level.RESIDENTIAL_AREA
G = Level.MICRO_GRID
B = Level.BUILDING_GROUP


def codes(nodes: list[Node], links: list[object] = (), **kw: object) -> list[tuple[str, str]]:  # type: ignore[assignment]
    return [(p.code, p.subject or "") for p in validate(nodes, links, **kw)]  # type: ignore[arg-type]


def test_valid_graph_has_no_problems() -> None:
    nodes = [
        Node(id="t", level=T, name="罗店镇", code="310113101"),
        Node(id="a", level=A, name="a", parent="t", code="310113101043", class_code="121"),
        Node(id="g", level=G, name="g", parent="a", code="310113101043001"),
        Node(id="b", level=B, name="b", parent="g"),
    ]
    assert validate(nodes) == ()


def test_duplicate_ids() -> None:
    nodes = [Node(id="t", level=T, name="x"), Node(id="t", level=T, name="y")]
    assert codes(nodes) == [("hierarchy.duplicate_id", "t")]


def test_orphan_and_nodes_below_it_reported_once() -> None:
    nodes = [
        Node(id="a", level=A, name="a", parent="ghost"),
        Node(id="g", level=G, name="g", parent="a"),
    ]
    assert codes(nodes) == [("hierarchy.orphan", "a")]


def test_cycle_and_nodes_below_it() -> None:
    nodes = [
        Node(id="x", level=G, name="x", parent="y"),
        Node(id="y", level=G, name="y", parent="x"),
        Node(id="b", level=B, name="b", parent="x"),
        Node(id="s", level=A, name="self", parent="s"),
    ]
    assert codes(nodes) == [
        ("hierarchy.under_cycle", "b"),
        ("hierarchy.cycle", "s"),
        ("hierarchy.cycle", "x"),
        ("hierarchy.cycle", "y"),
    ]
    message = next(p for p in validate(nodes) if p.subject == "x").message_en
    assert "x → y → x" in message or "y → x → y" in message


@pytest.mark.parametrize(
    ("parent", "child", "ok"),
    [
        (T, A, True),
        (Level.LARGE_COMMUNITY, A, True),
        (A, G, True),
        (G, B, True),
        (T, G, False),
        (A, B, False),
        (Level.DISTRICT, A, False),
        (Level.CITY, T, True),
        (B, B, False),
        (G, A, False),
    ],
)
def test_level_order(parent: Level, child: Level, ok: bool) -> None:
    nodes = [Node(id="p", level=parent, name="p"), Node(id="c", level=child, name="c", parent="p")]
    assert codes(nodes) == ([] if ok else [("hierarchy.level_order", "c")])


@pytest.mark.parametrize(
    ("level", "code"),
    [
        (T, "31011310"),  # too short
        (T, "310113701"),  # town segment out of range
        (A, "310113101000"),  # the town row, not a committee
        (A, "31011310104a"),
        (A, "310113101600"),  # committee segment out of range
        (G, "310113101043"),  # a committee code, not a grid code
        (G, "310113101043000"),  # sequence 000
        (Level.DISTRICT, "310100"),  # a city code at the district level
        (Level.PROVINCE, "310113"),
        (Level.CITY, "990100"),  # no such province
    ],
)
def test_malformed_codes(level: Level, code: str) -> None:
    assert codes([Node(id="n", level=level, name="n", code=code)]) in (
        [("hierarchy.bad_code", "n")],
        [("hierarchy.code_level", "n")],
    )


def test_free_text_codes_at_levels_without_a_standard() -> None:
    nodes = [
        Node(id="lc", level=Level.LARGE_COMMUNITY, name="大居", code="MLXH"),
        Node(id="n", level=Level.NATION, name="中国", code="CN"),
    ]
    assert validate(nodes) == ()


def test_code_must_extend_the_nearest_coded_ancestor() -> None:
    nodes = [
        Node(id="t", level=T, name="t", code="310113101"),
        Node(id="lc", level=Level.LARGE_COMMUNITY, name="lc", parent="t"),
        Node(id="a", level=A, name="a", parent="lc", code="310113102043"),
        Node(id="g", level=G, name="g", parent="a", code="310113101043001"),
    ]
    assert codes(nodes) == [("hierarchy.code_prefix", "a"), ("hierarchy.code_prefix", "g")]


def test_district_and_city_prefixes() -> None:
    nodes = [
        Node(id="c", level=Level.CITY, name="上海市", code="310100"),
        Node(id="d", level=Level.DISTRICT, name="宝山区", parent="c", code="310113"),
        Node(id="t", level=T, name="罗店镇", parent="d", code="310113101"),
        Node(id="t2", level=T, name="错", parent="d", code="310114101"),
    ]
    assert codes(nodes) == [("hierarchy.code_prefix", "t2")]


def test_duplicate_codes_and_town_row_form() -> None:
    nodes = [
        Node(id="t1", level=T, name="t1", code="310113101"),
        Node(id="t2", level=T, name="t2", code="310113101000"),
    ]
    assert codes(nodes) == [("hierarchy.duplicate_code", "t2")]


def test_grid_sequence_width_is_configurable() -> None:
    nodes = [
        Node(id="a", level=A, name="a", code="310113101043"),
        Node(id="g", level=G, name="g", parent="a", code="31011310104301"),
    ]
    assert codes(nodes) == [("hierarchy.bad_code", "g")]
    assert validate(nodes, scheme=CodeScheme(grid_sequence_width=2)) == ()


def test_building_group_codes_when_the_scheme_numbers_them() -> None:
    nodes = [
        Node(id="g", level=G, name="g", code="310113101043001"),
        Node(id="b1", level=B, name="b", parent="g", code="31011310104300101"),
        Node(id="b2", level=B, name="b", parent="g", code="31011310104300100"),
        Node(id="b3", level=B, name="b", parent="g", code="31011310104300201"),
    ]
    scheme = CodeScheme(building_sequence_width=2)
    assert codes(nodes, scheme=scheme) == [
        ("hierarchy.bad_code", "b2"),
        ("hierarchy.code_prefix", "b3"),
    ]
    assert validate(nodes) == ()  # free text without the setting


def test_bad_class_code() -> None:
    assert codes([Node(id="a", level=A, name="a", class_code="999")]) == [
        ("hierarchy.bad_class_code", "a")
    ]


def test_link_problems() -> None:
    nodes = [
        Node(id="a", level=A, name="a"),
        Node(id="g", level=G, name="g", parent="a"),
        Node(id="b", level=B, name="b", parent="g"),
    ]
    d = date(2024, 1, 1)
    links = [
        Resource(id="r1", kind=ResourceKind.SHOP, name="s", node="a"),
        Resource(id="r2", kind=ResourceKind.SHOP, name="s", node="zz"),
        Resource(
            id="r3", kind=ResourceKind.SHOP, name="s", node="g", credit_code="91350100M000100Y44"
        ),
        Resource(
            id="r4", kind=ResourceKind.SHOP, name="s", node="g", credit_code="91350100M000100Y43"
        ),
        RoleAssignment(id="x1", person="p", role=Role.GRID_LEADER, node="b", start=d),
        RoleAssignment(
            id="x2", person="p", role=Role.GRID_LEADER, node="g", start=d, end=date(2023, 1, 1)
        ),
        Pairing(id="x3", person="p", household="h", node="g", start=d),
        Pairing(id="x3", person="p", household="h", node="b", start=d),
    ]
    assert codes(nodes, links) == [
        ("hierarchy.link_level", "r1"),
        ("hierarchy.link_unknown_node", "r2"),
        ("hierarchy.bad_credit_code", "r3"),
        ("hierarchy.link_level", "x1"),
        ("hierarchy.link_dates", "x2"),
        ("hierarchy.duplicate_id", "x3"),
        ("hierarchy.link_level", "x3"),
    ]


def test_every_problem_is_bilingual_and_names_its_field() -> None:
    nodes = [
        Node(id="t", level=T, name="t", code="bad"),
        Node(id="g", level=G, name="g", parent="t"),
        Node(id="o", level=A, name="o", parent="nowhere"),
    ]
    problems = validate(nodes)
    assert len(problems) == 3
    for p in problems:
        assert p.message_en
        assert p.message_zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message_zh)
        assert p.field in {"code", "parent"}
