"""Queries on the governance graph: structure, jurisdiction, roles, rollup."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgov.errors import HierarchyValidationError, NodeNotFound
from microgov.hierarchy import (
    Hierarchy,
    Level,
    Node,
    Pairing,
    Resource,
    ResourceKind,
    Role,
    RoleAssignment,
)
from strategies import hierarchies, tree_nodes

D = date(2024, 6, 1)


def small() -> Hierarchy:
    """Two areas under one large community, grids and building groups, and links."""
    n = Node
    return Hierarchy(
        [
            n(id="t", level=Level.TOWN, name="罗店镇", code="310113101"),
            n(id="lc", level=Level.LARGE_COMMUNITY, name="美兰西湖", parent="t"),
            n(id="a1", level=Level.RESIDENTIAL_AREA, name="甲", parent="lc", code="310113101018"),
            n(id="a2", level=Level.RESIDENTIAL_AREA, name="乙", parent="lc", code="310113101019"),
            n(id="g11", level=Level.MICRO_GRID, name="g", parent="a1", code="310113101018001"),
            n(id="g12", level=Level.MICRO_GRID, name="g", parent="a1", code="310113101018002"),
            n(id="g21", level=Level.MICRO_GRID, name="g", parent="a2", code="310113101019001"),
            n(id="b111", level=Level.BUILDING_GROUP, name="1", parent="g11", households=10),
            n(id="b112", level=Level.BUILDING_GROUP, name="2", parent="g11", households=20),
            n(id="b121", level=Level.BUILDING_GROUP, name="3", parent="g12", households=5),
            n(id="b211", level=Level.BUILDING_GROUP, name="4", parent="g21", households=7),
        ],
        [
            RoleAssignment(
                id="r1", person="leader", role=Role.GRID_LEADER, node="g11", start=date(2024, 1, 1)
            ),
            RoleAssignment(
                id="r2",
                person="old",
                role=Role.GRID_LEADER,
                node="g11",
                start=date(2020, 1, 1),
                end=date(2023, 12, 31),
            ),
            RoleAssignment(
                id="r3", person="sec", role=Role.PARTY_SECRETARY, node="a1", start=date(2020, 1, 1)
            ),
            RoleAssignment(
                id="r4", person="fan", role=Role.TALENT, node="a1", start=date(2020, 1, 1)
            ),
            Resource(id="s1", kind=ResourceKind.SHOP, name="便民店", node="g11"),
            Resource(id="s2", kind=ResourceKind.SCHOOL, name="小学", node="g21"),
            Pairing(id="p1", person="leader", household="h1", node="b112", start=date(2024, 1, 1)),
        ],
    )


def test_structure_queries() -> None:
    h = small()
    assert len(h) == 11
    assert [n.id for n in h.roots] == ["t"]
    assert h.parent("g11") == h["a1"]
    assert h.parent("t") is None
    assert [n.id for n in h.children("a1")] == ["g11", "g12"]
    assert h.children("b111") == ()
    assert [n.id for n in h.ancestors("b112")] == ["g11", "a1", "lc", "t"]
    assert [n.id for n in h.descendants("a1")] == ["g11", "b111", "b112", "g12", "b121"]
    assert list(h) == ["t", "lc", "a1", "g11", "b111", "b112", "g12", "b121", "a2", "g21", "b211"]
    assert h.depth("t") == 0
    assert h.depth("b211") == 4
    assert [n.id for n in h.nodes_at(Level.MICRO_GRID, under="a1")] == ["g11", "g12"]
    assert [n.id for n in h.nodes(Level.RESIDENTIAL_AREA)] == ["a1", "a2"]


def test_is_within_is_reflexive_and_directed() -> None:
    h = small()
    assert h.is_within("b111", "a1")
    assert h.is_within("a1", "a1")
    assert not h.is_within("a1", "b111")
    assert not h.is_within("b211", "a1")
    assert h.is_within("b211", "t")


def test_lowest_common_ancestor_and_path() -> None:
    h = small()
    lca = h.lowest_common_ancestor("b111", "b121")
    assert lca is not None
    assert lca.id == "a1"
    lca = h.lowest_common_ancestor("b111", "g11")
    assert lca is not None
    assert lca.id == "g11"
    assert [n.id for n in h.path("b111", "b211")] == [
        "b111",
        "g11",
        "a1",
        "lc",
        "a2",
        "g21",
        "b211",
    ]
    assert [n.id for n in h.path("g11", "g11")] == ["g11"]
    assert [n.id for n in h.path("a1", "b111")] == ["a1", "g11", "b111"]


def test_lca_and_path_across_trees() -> None:
    h = Hierarchy(
        [Node(id="x", level=Level.TOWN, name="x"), Node(id="y", level=Level.TOWN, name="y")]
    )
    assert h.lowest_common_ancestor("x", "y") is None
    with pytest.raises(NodeNotFound) as caught:
        h.path("x", "y")
    assert caught.value.code == "hierarchy.no_path"


@pytest.mark.parametrize(
    "call",
    [
        lambda h: h["nope"],
        lambda h: h.parent("nope"),
        lambda h: h.children("nope"),
        lambda h: h.ancestors("nope"),
        lambda h: h.descendants("nope"),
        lambda h: h.is_within("nope", "t"),
        lambda h: h.is_within("t", "nope"),
        lambda h: h.lowest_common_ancestor("t", "nope"),
        lambda h: h.nodes(under="nope"),
        lambda h: h.holders("nope", on=D),
        lambda h: h.rollup("households", under="nope"),
        lambda h: h.depth("nope"),
    ],
)
def test_unknown_ids_raise_node_not_found(call: object) -> None:
    h = small()
    with pytest.raises(NodeNotFound) as caught:
        call(h)  # type: ignore[operator]
    assert caught.value.code == "hierarchy.unknown_node"
    assert caught.value.details["node_id"] == "nope"


def test_holders_inherit_down_the_tree_and_respect_dates() -> None:
    h = small()
    assert [a.id for a in h.holders("b111", on=D)] == ["r1", "r3", "r4"]
    assert [a.id for a in h.holders("b111", on=date(2023, 6, 1))] == ["r2", "r3", "r4"]
    assert [a.id for a in h.holders("b111", on=D, inherited=False)] == []
    assert [a.id for a in h.holders("g11", on=D, role=Role.GRID_LEADER)] == ["r1"]
    assert h.holders("g21", on=D, role=Role.GRID_LEADER) == ()


def test_may_act_needs_an_authority_role_inside_jurisdiction() -> None:
    h = small()
    assert h.may_act("leader", "b111", on=D)
    assert not h.may_act("leader", "g12", on=D)  # another grid of the same area
    assert not h.may_act("leader", "a1", on=D)  # not above their grid
    assert not h.may_act("old", "b111", on=D)  # their term ended
    assert h.may_act("old", "b111", on=date(2023, 12, 31))
    assert h.may_act("sec", "b211", on=D) is False
    assert h.may_act("sec", "b121", on=D)
    assert not h.may_act("fan", "a1", on=D)  # a talent is not an authority
    assert h.may_act("fan", "a1", on=D, roles=[Role.TALENT])


def test_links_resources_and_pairings() -> None:
    h = small()
    assert [link.id for link in h.links] == ["p1", "r1", "r2", "r3", "r4", "s1", "s2"]
    assert [r.id for r in h.resources(under="a1")] == ["s1"]
    assert [r.id for r in h.resources(kind=ResourceKind.SCHOOL)] == ["s2"]
    assert [link.id for link in h.links_at("g11")] == ["r1", "r2", "s1"]
    assert [p.id for p in h.pairings(person="leader", on=D)] == ["p1"]
    assert h.pairings(on=date(2023, 1, 1)) == ()
    assert h.link("s1").node == "g11"
    with pytest.raises(NodeNotFound) as caught:
        h.link("zz")
    assert caught.value.code == "hierarchy.unknown_link"


def test_rollup_counts_values_and_custom_combine() -> None:
    h = small()
    totals = h.rollup("households")
    assert totals["g11"] == 30
    assert totals["a1"] == 35
    assert totals["t"] == 42
    assert h.rollup("households", under="a2") == {"a2": 7, "g21": 7, "b211": 7}
    grids = h.rollup(lambda n: 1 if n.level is Level.MICRO_GRID else None)
    assert grids == {"t": 3, "lc": 3, "a1": 2, "a2": 1, "g11": 1, "g12": 1, "g21": 1}
    shares = h.rollup({"b111": Fraction(1, 3), "b211": Fraction(1, 6)})
    assert shares["t"] == Fraction(1, 2)
    deepest = h.rollup(lambda n: h.depth(n.id), combine=max)
    assert deepest["a1"] == 4
    with pytest.raises(TypeError):
        h.rollup("name")  # type: ignore[call-overload]


def test_to_networkx_is_a_copy_of_the_tree() -> None:
    h = small()
    g = h.to_networkx()
    assert nx.is_arborescence(g)
    assert g.nodes["a1"]["node"] == h["a1"]
    g.remove_node("a1")
    assert "a1" in h


def test_equality_and_repr() -> None:
    assert small() == small()
    assert small() != Hierarchy()
    assert "11 nodes" in repr(small())
    with pytest.raises(TypeError):
        hash(small())


def test_constructor_reports_every_problem() -> None:
    with pytest.raises(HierarchyValidationError) as caught:
        Hierarchy(
            [
                Node(id="t", level=Level.TOWN, name="t"),
                Node(id="b", level=Level.BUILDING_GROUP, name="b", parent="t"),
                Node(id="g", level=Level.MICRO_GRID, name="g", parent="missing"),
            ]
        )
    assert {p.code for p in caught.value.problems} == {"hierarchy.level_order", "hierarchy.orphan"}


def _naive_within(h: Hierarchy, node: str, container: str) -> bool:
    current: str | None = node
    while current is not None:
        if current == container:
            return True
        current = h[current].parent
    return False


@given(tree_nodes(max_nodes=30), st.data())
def test_is_within_agrees_with_the_naive_walk(nodes: list[Node], data: st.DataObject) -> None:
    h = Hierarchy(nodes)
    ids = [n.id for n in nodes]
    for _ in range(20):
        a = data.draw(st.sampled_from(ids))
        b = data.draw(st.sampled_from(ids))
        assert h.is_within(a, b) == _naive_within(h, a, b)
        lca = h.lowest_common_ancestor(a, b)
        common = [x for x in ids if _naive_within(h, a, x) and _naive_within(h, b, x)]
        if lca is None:
            assert common == []
        else:
            assert lca.id in common
            assert all(_naive_within(h, lca.id, x) for x in common)


@given(hierarchies())
def test_rollup_equals_sum_over_descendants(h: Hierarchy) -> None:
    totals = h.rollup("households")
    for node_id in h:
        expected = h[node_id].households + sum(n.households for n in h.descendants(node_id))
        assert totals[node_id] == expected


@given(tree_nodes(max_nodes=30))
def test_order_does_not_depend_on_input_order(nodes: list[Node]) -> None:
    assert list(Hierarchy(nodes)) == list(Hierarchy(reversed(nodes)))
    assert Hierarchy(nodes) == Hierarchy(reversed(nodes))


def test_may_act_agrees_with_the_holders_on_the_chain() -> None:
    """may_act (indexed by person) answers as the definition does: a holder on the chain."""
    from microgov.datasets import meilan_xihu

    h = meilan_xihu()
    people = sorted({link.person for link in h.links if isinstance(link, RoleAssignment)})[::37]
    nodes = list(h)[::23]
    for day in (date(2023, 1, 1), date(2024, 6, 1)):
        for node in nodes:
            holders = h.holders(node, on=day)
            for person in people:
                expected = any(a.person == person and a.role.authority for a in holders)
                assert h.may_act(person, node, on=day) == expected
                talent = any(a.person == person and a.role is Role.TALENT for a in holders)
                assert h.may_act(person, node, on=day, roles=[Role.TALENT]) == talent
