"""Effective-dated changes: each kind, atomicity, history, as_of and diff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from microgov.errors import ChangeRefused, MicrogovError, NodeNotFound
from microgov.hierarchy import (
    AddLink,
    AddNode,
    Change,
    ChangeCode,
    ChangeStatus,
    EndLink,
    Hierarchy,
    Level,
    MergeNodes,
    MoveNode,
    Node,
    NodeStatus,
    RemoveLink,
    RemoveNode,
    Rename,
    Resource,
    ResourceKind,
    Role,
    RoleAssignment,
    SetCounts,
    SplitNode,
)
from microgov.io import dumps_hierarchy, loads_hierarchy
from profiles import examples
from strategies import hierarchies

A, G, B = Level.RESIDENTIAL_AREA, Level.MICRO_GRID, Level.BUILDING_GROUP
D1, D2, D3 = date(2022, 6, 30), date(2023, 6, 30), date(2024, 9, 1)


def area() -> Hierarchy:
    return Hierarchy(
        [
            Node(id="t", level=Level.TOWN, name="罗店镇", code="310113101"),
            Node(
                id="a",
                level=A,
                name="金丰苑第一",
                parent="t",
                code="310113101401",
                status=NodeStatus.PREPARATORY,
            ),
            Node(id="a2", level=A, name="别的", parent="t", code="310113101018"),
            Node(id="g1", level=G, name="1", parent="a", code="310113101401001"),
            Node(id="g2", level=G, name="2", parent="a", code="310113101401002"),
            Node(id="b1", level=B, name="1号楼", parent="g1", households=30),
            Node(id="b2", level=B, name="2号楼", parent="g1", households=40),
            Node(id="b3", level=B, name="3号楼", parent="g2", households=50),
        ],
        [
            RoleAssignment(id="r1", person="p1", role=Role.GRID_LEADER, node="g1", start=D1),
            Resource(id="s1", kind=ResourceKind.SHOP, name="店", node="g2"),
        ],
    )


def test_the_2023_renumbering_keeps_identity_and_recodes_grids() -> None:
    h = area().apply_all(
        [
            ChangeCode(node_id="a", code="310113101043", effective=D2),
            ChangeStatus(node_id="a", status=NodeStatus.CONSTITUTED, effective=D2),
        ]
    )
    assert h["a"].code == "310113101043"
    assert h["a"].status is NodeStatus.CONSTITUTED
    assert h["a"].status_since == D2
    assert [h[g].code for g in ("g1", "g2")] == ["310113101043001", "310113101043002"]
    before = h.as_of(D2 - timedelta(days=1))
    assert before["a"].code == "310113101401"
    assert before["g1"].code == "310113101401001"
    assert before["a"].status is NodeStatus.PREPARATORY
    assert h.as_of(D2) == h
    diff = h.diff(D1, D2)
    assert [(b.id, a.code) for b, a in diff.changed] == [
        ("a", "310113101043"),
        ("g1", "310113101043001"),
        ("g2", "310113101043002"),
    ]
    assert not diff.added
    assert not diff.removed


def test_change_code_refuses_a_code_in_use_or_outside_the_town() -> None:
    h = area()
    with pytest.raises(ChangeRefused) as caught:
        h.apply(ChangeCode(node_id="a", code="310113101018", effective=D2))
    assert caught.value.code == "hierarchy.duplicate_code"
    with pytest.raises(ChangeRefused) as caught:
        h.apply(ChangeCode(node_id="a", code="310114101043", effective=D2))
    assert caught.value.code == "hierarchy.code_prefix"
    with pytest.raises(ChangeRefused) as caught:
        h.apply(ChangeCode(node_id="a", code="31011310104", effective=D2))
    assert caught.value.code == "hierarchy.bad_code"


def test_move_a_building_group_and_refuse_cycles_and_levels() -> None:
    h = area().apply(MoveNode(node_id="b2", new_parent="g2", effective=D3))
    assert [n.id for n in h.children("g2")] == ["b2", "b3"]
    assert h.rollup("households")["g2"] == 90
    assert area().rollup("households")["g2"] == 50  # the original is untouched
    with pytest.raises(ChangeRefused) as caught:
        h.apply(MoveNode(node_id="a", new_parent="g1", effective=D3))
    assert caught.value.code == "hierarchy.cycle"
    with pytest.raises(ChangeRefused) as caught:
        h.apply(MoveNode(node_id="b1", new_parent="a2", effective=D3))
    assert caught.value.code == "hierarchy.level_order"
    with pytest.raises(NodeNotFound):
        h.apply(MoveNode(node_id="b1", new_parent="zz", effective=D3))


def test_moving_a_coded_grid_to_another_area_needs_a_new_code() -> None:
    h = area()
    with pytest.raises(ChangeRefused) as caught:
        h.apply(MoveNode(node_id="g2", new_parent="a2", effective=D3))
    assert caught.value.code == "hierarchy.code_prefix"
    moved = h.apply(MoveNode(node_id="g2", new_parent="a2", code="310113101018009", effective=D3))
    assert moved["g2"].code == "310113101018009"
    assert moved.is_within("b3", "a2")


def test_remove_needs_cascade_for_children_and_links() -> None:
    h = area()
    with pytest.raises(ChangeRefused) as caught:
        h.apply(RemoveNode(node_id="g1", effective=D3))
    assert caught.value.code == "hierarchy.has_children"
    leafless = h.apply_all(
        [RemoveNode(node_id="b1", effective=D3), RemoveNode(node_id="b2", effective=D3)]
    )
    with pytest.raises(ChangeRefused) as caught:
        leafless.apply(RemoveNode(node_id="g1", effective=D3))
    assert caught.value.code == "hierarchy.has_links"
    assert caught.value.details["links"] == ("r1",)
    gone = h.apply(RemoveNode(node_id="a", cascade=True, effective=D3))
    assert [n.id for n in gone.nodes()] == ["t", "a2"]
    assert gone.links == ()
    assert gone.validate() == ()
    assert h.as_of(D3) != gone
    assert gone.as_of(D3 - timedelta(days=1)) == h


def test_split_and_merge_grids() -> None:
    g3 = Node(id="g3", level=G, name="3", parent="a", code="310113101401003")
    split = area().apply(
        SplitNode(node_id="g1", new_nodes=(g3,), moves=(("b2", "g3"),), effective=D3)
    )
    assert [n.id for n in split.children("g1")] == ["b1"]
    assert [n.id for n in split.children("g3")] == ["b2"]
    merged = split.apply(MergeNodes(sources=("g3", "g2"), into="g1", effective=D3))
    assert [n.id for n in merged.children("g1")] == ["b1", "b2", "b3"]
    assert "g2" not in merged
    assert merged.link("s1").node == "g1"  # links follow the merge
    assert merged.validate() == ()
    with pytest.raises(ChangeRefused) as caught:
        area().apply(MergeNodes(sources=("a2",), into="g1", effective=D3))
    assert caught.value.code == "hierarchy.merge_shape"
    wrong = Node(id="g9", level=G, name="9", parent="a2", code="310113101018009")
    with pytest.raises(ChangeRefused) as caught:
        area().apply(SplitNode(node_id="g1", new_nodes=(wrong,), effective=D3))
    assert caught.value.code == "hierarchy.split_shape"
    with pytest.raises(ChangeRefused) as caught:
        area().apply(SplitNode(node_id="g1", new_nodes=(g3,), moves=(("b3", "g3"),), effective=D3))
    assert caught.value.code == "hierarchy.split_child"


def test_merge_recodes_numbered_building_groups() -> None:
    from microgov.hierarchy import CodeScheme

    scheme = CodeScheme(building_sequence_width=2)
    h = Hierarchy(
        [
            Node(id="a", level=A, name="a", code="310113101043"),
            Node(id="g1", level=G, name="1", parent="a", code="310113101043001"),
            Node(id="g2", level=G, name="2", parent="a", code="310113101043002"),
            Node(id="b1", level=B, name="b", parent="g1", code="31011310104300101"),
            Node(id="b2", level=B, name="b", parent="g2", code="31011310104300202"),
            Node(id="b3", level=B, name="b", parent="g2", code="31011310104300201"),
        ],
        scheme=scheme,
    )
    with pytest.raises(ChangeRefused) as caught:  # b3 would become …001 01, b1's code
        h.apply(MergeNodes(sources=("g2",), into="g1", effective=D3))
    assert caught.value.code == "hierarchy.duplicate_code"
    ok = h.apply_all(
        [
            RemoveNode(node_id="b3", effective=D3),
            MergeNodes(sources=("g2",), into="g1", effective=D3),
        ]
    )
    assert ok["b2"].code == "31011310104300102"


def test_rename_counts_and_links() -> None:
    h = area().apply_all(
        [
            Rename(node_id="g1", name="东区", effective=D3),
            SetCounts(node_id="b1", households=31, residents=80, effective=D3),
            EndLink(link_id="r1", effective=D3),
            AddLink(
                link=RoleAssignment(
                    id="r2", person="p2", role=Role.GRID_LEADER, node="g1", start=D3
                ),
                effective=D3,
            ),
            RemoveLink(link_id="s1", effective=D3),
        ]
    )
    assert h["g1"].name == "东区"
    assert (h["b1"].households, h["b1"].residents) == (31, 80)
    assert h.link("r1").end == D3 - timedelta(days=1)  # type: ignore[union-attr]
    assert [a.person for a in h.holders("b1", on=D3, role=Role.GRID_LEADER)] == ["p2"]
    assert h.resources() == ()
    for bad, code in [
        (Rename(node_id="g1", name=" ", effective=D3), "hierarchy.bad_name"),
        (SetCounts(node_id="b1", households=-1, residents=0, effective=D3), "hierarchy.bad_counts"),
        (EndLink(link_id="s1", effective=D3), "hierarchy.not_endable"),
        (EndLink(link_id="r1", effective=D1), "hierarchy.link_dates"),
        (RemoveLink(link_id="nope", effective=D3), "hierarchy.unknown_link"),
        (
            AddLink(
                link=Resource(id="s2", kind=ResourceKind.SHOP, name="x", node="a"), effective=D3
            ),
            "hierarchy.link_level",
        ),
        (
            AddLink(
                link=Resource(id="r1", kind=ResourceKind.SHOP, name="x", node="g1"), effective=D3
            ),
            "hierarchy.duplicate_id",
        ),
        (
            AddNode(node=Node(id="g1", level=G, name="x", parent="a"), effective=D3),
            "hierarchy.duplicate_id",
        ),
    ]:
        with pytest.raises(ChangeRefused) as caught:
            area().apply(bad)
        assert caught.value.code == code, bad


def test_a_failing_batch_applies_nothing() -> None:
    h = area()
    snapshot = dumps_hierarchy(h)
    with pytest.raises(ChangeRefused):
        h.apply_all(
            [
                Rename(node_id="g1", name="新", effective=D3),
                RemoveNode(node_id="g1", effective=D3),
            ]
        )
    assert dumps_hierarchy(h) == snapshot
    assert h["g1"].name == "1"


def test_back_dated_changes_replay_and_conflicts_are_refused() -> None:
    h = area().apply(Rename(node_id="g1", name="later", effective=D3))
    earlier = h.apply(Rename(node_id="g2", name="earlier", effective=D2))
    assert [c.effective for c in earlier.changes] == [D2, D3]
    assert earlier.as_of(D2)["g2"].name == "earlier"
    assert earlier.as_of(D2)["g1"].name == "1"
    with pytest.raises(ChangeRefused) as caught:
        h.apply(RemoveNode(node_id="g1", cascade=True, effective=D2))
    assert caught.value.code == "hierarchy.conflicts_with_later"
    assert caught.value.details["cause"] == "hierarchy.unknown_node"


def test_not_a_change_is_refused() -> None:
    with pytest.raises(ChangeRefused) as caught:
        area().apply("rename everything")  # type: ignore[arg-type]
    assert caught.value.code == "hierarchy.not_a_change"


def test_as_of_needs_a_date() -> None:
    with pytest.raises(TypeError):
        area().as_of("2024-01-01")  # type: ignore[arg-type]


class GraphChanges(RuleBasedStateMachine):
    """Random sequences of changes: valid ones keep the graph valid, refused ones change nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.h = area()
        self.day = D1
        self.serial = 0

    def _next_day(self, step: int) -> date:
        self.day += timedelta(days=step)
        return self.day

    def _ids(self, level: Level) -> list[str]:
        return [n.id for n in self.h.nodes_at(level)]

    def _try(self, change: Change) -> None:
        before = self.h
        snapshot = dumps_hierarchy(before)
        try:
            self.h = before.apply(change)
        except MicrogovError:
            assert dumps_hierarchy(before) == snapshot
            assert self.h is before
        else:
            assert dumps_hierarchy(before) == snapshot  # the old value never changes

    @rule(data=st.data(), step=st.integers(0, 30))
    def add_building_group(self, data: st.DataObject, step: int) -> None:
        grids = self._ids(G)
        if not grids:
            return
        self.serial += 1
        parent = data.draw(st.sampled_from(grids))
        node = Node(
            id=f"nb{self.serial}",
            level=B,
            name="楼",
            parent=parent,
            households=data.draw(st.integers(0, 99)),
        )
        self._try(AddNode(node=node, effective=self._next_day(step)))

    @rule(data=st.data(), step=st.integers(0, 30))
    def add_grid(self, data: st.DataObject, step: int) -> None:
        areas = self._ids(A)
        if not areas:
            return
        self.serial += 1
        parent = data.draw(st.sampled_from(areas))
        node = Node(id=f"ng{self.serial}", level=G, name="格", parent=parent)
        self._try(AddNode(node=node, effective=self._next_day(step)))

    @rule(data=st.data(), step=st.integers(0, 30))
    def move_anything_anywhere(self, data: st.DataObject, step: int) -> None:
        ids = list(self.h)
        node = data.draw(st.sampled_from(ids))
        target = data.draw(st.sampled_from(ids))
        self._try(MoveNode(node_id=node, new_parent=target, effective=self._next_day(step)))

    @rule(data=st.data(), cascade=st.booleans(), step=st.integers(0, 30))
    def remove(self, data: st.DataObject, cascade: bool, step: int) -> None:
        ids = [i for i in self.h if i != "t"]
        if ids:
            node = data.draw(st.sampled_from(ids))
            self._try(RemoveNode(node_id=node, cascade=cascade, effective=self._next_day(step)))

    @rule(data=st.data(), step=st.integers(0, 30))
    def merge(self, data: st.DataObject, step: int) -> None:
        grids = self._ids(G)
        if len(grids) >= 2:
            a, b = data.draw(st.lists(st.sampled_from(grids), min_size=2, max_size=2, unique=True))
            self._try(MergeNodes(sources=(a,), into=b, effective=self._next_day(step)))

    @rule(data=st.data(), step=st.integers(0, 30))
    def split(self, data: st.DataObject, step: int) -> None:
        grids = self._ids(G)
        if not grids:
            return
        source = self.h[data.draw(st.sampled_from(grids))]
        self.serial += 1
        new = Node(id=f"ns{self.serial}", level=G, name="新格", parent=source.parent)
        kids = [c.id for c in self.h.children(source.id)]
        moving = data.draw(st.lists(st.sampled_from(kids), unique=True)) if kids else []
        self._try(
            SplitNode(
                node_id=source.id,
                new_nodes=(new,),
                moves=tuple((k, new.id) for k in moving),
                effective=self._next_day(step),
            )
        )

    @rule(
        data=st.data(),
        code=st.sampled_from(
            ["310113101043", "310113101018", "310113101050", "310113101401", "bad"]
        ),
        step=st.integers(0, 30),
    )
    def recode_area(self, data: st.DataObject, code: str, step: int) -> None:
        areas = self._ids(A)
        if not areas:
            return
        node = data.draw(st.sampled_from(areas))
        self._try(ChangeCode(node_id=node, code=code, effective=self._next_day(step)))

    @rule(data=st.data(), step=st.integers(0, 30))
    def assign_or_end_role(self, data: st.DataObject, step: int) -> None:
        self.serial += 1
        node = data.draw(st.sampled_from(list(self.h)))
        role = data.draw(st.sampled_from(list(Role)))
        day = self._next_day(step)
        self._try(
            AddLink(
                link=RoleAssignment(
                    id=f"nr{self.serial}", person="p", role=role, node=node, start=day
                ),
                effective=day,
            )
        )
        links = [link.id for link in self.h.links]
        if links:
            self._try(
                EndLink(link_id=data.draw(st.sampled_from(links)), effective=self._next_day(1))
            )

    @precondition(lambda self: len(self.h.changes) > 0)
    @rule(data=st.data())
    def back_dated_rename(self, data: st.DataObject) -> None:
        node = data.draw(st.sampled_from(list(self.h)))
        first = self.h.changes[0].effective
        self._try(Rename(node_id=node, name="补录", effective=first - timedelta(days=1)))

    @invariant()
    def graph_is_valid_and_round_trips(self) -> None:
        assert self.h.validate() == ()
        assert loads_hierarchy(dumps_hierarchy(self.h)) == self.h
        assert self.h.as_of(self.day + timedelta(days=1)) == self.h
        for node_id in self.h:
            for child in self.h.children(node_id):
                assert child.level.may_be_child_of(self.h[node_id].level)


TestGraphChanges = GraphChanges.TestCase
TestGraphChanges.settings = settings(
    max_examples=examples(40), stateful_step_count=25, deadline=None
)


@given(hierarchies(max_nodes=25))
def test_rebuilding_from_nodes_gives_an_equal_hierarchy(h: Hierarchy) -> None:
    assert Hierarchy(h.nodes(), h.links, scheme=h.scheme) == h
