"""Compliance reports: hand-checked cases, holidays, errors, and rollups that add up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov._time import SHANGHAI
from microgov.datasets import meilan_xihu
from microgov.duties import (
    DEFAULT_DUTIES,
    ComplianceTally,
    Duty,
    DutyKind,
    DutyRecord,
    compliance,
)
from microgov.errors import CalendarError, DataFormatError, NodeNotFound
from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
from profiles import examples
from strategies import tree_nodes

PATROL = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO")
DIARY = Duty(kind=DutyKind.DIARY, rule="FREQ=WEEKLY;BYDAY=MO", times=2)
START, END = date(2026, 3, 2), date(2026, 3, 16)  # two Monday-to-Sunday weeks


def _leader(
    id: str, person: str, grid: str, start: date, end: date | None = None
) -> RoleAssignment:
    return RoleAssignment(
        id=id, person=person, role=Role.GRID_LEADER, node=grid, start=start, end=end
    )


GRAPH = Hierarchy(
    [
        Node(id="t", level=Level.TOWN, name="罗店镇"),
        Node(id="lc", level=Level.LARGE_COMMUNITY, name="美兰西湖", parent="t"),
        Node(id="a1", level=Level.RESIDENTIAL_AREA, name="一苑", parent="lc"),
        Node(id="a2", level=Level.RESIDENTIAL_AREA, name="二苑", parent="lc"),
        Node(id="g1", level=Level.MICRO_GRID, name="1号网格", parent="a1"),
        Node(id="g2", level=Level.MICRO_GRID, name="2号网格", parent="a1"),
        Node(id="g3", level=Level.MICRO_GRID, name="3号网格", parent="a2"),
        Node(id="bg1", level=Level.BUILDING_GROUP, name="1号楼", parent="g1"),
    ],
    [
        _leader("r-ann", "ann", "g1", date(2026, 1, 1)),
        _leader("r-bob", "bob", "g2", date(2025, 1, 1), date(2026, 3, 10)),
        _leader("r-cat", "cat", "g2", date(2026, 3, 11)),
        RoleAssignment(
            id="r-dan", person="dan", role=Role.LIAISON, node="g2", start=date(2025, 1, 1)
        ),
    ],
)


def _rec(n: int, kind: DutyKind, node: str, person: str, at: datetime) -> DutyRecord:
    return DutyRecord(id=f"d{n}", kind=kind, node=node, person=person, at=at)


def _sh(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


RECORDS = [
    _rec(1, DutyKind.PATROL, "g1", "ann", _sh(3, 3)),
    _rec(2, DutyKind.PATROL, "bg1", "ann", _sh(3, 10)),  # a building group of g1 counts
    _rec(3, DutyKind.DIARY, "g1", "ann", _sh(3, 3)),
    _rec(4, DutyKind.DIARY, "g1", "ann", _sh(3, 4)),
    _rec(5, DutyKind.DIARY, "g1", "ann", _sh(3, 10)),  # one of two: week 2 missed
    _rec(6, DutyKind.PATROL, "g2", "bob", datetime(2026, 3, 1, 17, tzinfo=UTC)),  # 03-02 01:00
    _rec(7, DutyKind.PATROL, "g1", "cat", _sh(3, 10)),  # wrong grid: no use to g2
    _rec(8, DutyKind.DIARY, "g2", "cat", _sh(3, 12)),
    _rec(9, DutyKind.DIARY, "g2", "cat", _sh(3, 15, 23)),
    _rec(10, DutyKind.PATROL, "g2", "dan", _sh(3, 5)),  # a liaison's patrol is not cat's
    _rec(11, DutyKind.PATROL, "g1", "ann", _sh(3, 20)),  # after the window
]


def test_hand_checked_report() -> None:
    report = compliance(GRAPH, RECORDS, start=START, end=END, duties=[DIARY, PATROL])
    lines = {(x.grid, x.person): x for x in report.leaders}
    assert list(lines) == [("g1", "ann"), ("g2", "bob"), ("g2", "cat")]
    assert lines["g1", "ann"].tally == ComplianceTally(expected=4, fulfilled=3, missed=1)
    (ann_missed,) = lines["g1", "ann"].missed
    assert (ann_missed.kind, ann_missed.first, ann_missed.due) == (
        DutyKind.DIARY,
        date(2026, 3, 9),
        date(2026, 3, 15),
    )
    assert (ann_missed.required, ann_missed.done) == (2, 1)
    # bob led g2 until Tuesday 03-10: he owes the first week, cat the second.
    assert lines["g2", "bob"].tally == ComplianceTally(expected=2, fulfilled=1, missed=1)
    assert [m.kind for m in lines["g2", "bob"].missed] == [DutyKind.DIARY]
    assert lines["g2", "cat"].tally == ComplianceTally(expected=2, fulfilled=1, missed=1)
    assert [(m.kind, m.done) for m in lines["g2", "cat"].missed] == [(DutyKind.PATROL, 0)]
    # g3 has no leader: four vacant periods, owed by no one.
    assert [(v.grid, v.kind, v.due) for v in report.vacancies] == [
        ("g3", DutyKind.DIARY, date(2026, 3, 8)),
        ("g3", DutyKind.PATROL, date(2026, 3, 8)),
        ("g3", DutyKind.DIARY, date(2026, 3, 15)),
        ("g3", DutyKind.PATROL, date(2026, 3, 15)),
    ]
    assert all(v.person is None for v in report.vacancies)
    assert report.tally("g1") == ComplianceTally(expected=4, fulfilled=3, missed=1)
    assert report.tally("g2") == ComplianceTally(expected=4, fulfilled=2, missed=2)
    assert report.tally("g3") == ComplianceTally(vacant=4)
    assert report.tally("a1") == ComplianceTally(expected=8, fulfilled=5, missed=3)
    assert report.tally("a2") == ComplianceTally(vacant=4)
    assert (
        report.tally("lc")
        == report.tally("t")
        == ComplianceTally(expected=8, fulfilled=5, missed=3, vacant=4)
    )
    assert report.tally("bg1") == ComplianceTally()
    assert report.tally("t").rate == pytest.approx(5 / 8)
    assert report.tally("t").rate.denominator == 8  # type: ignore[union-attr]


def test_report_under_an_area() -> None:
    report = compliance(GRAPH, RECORDS, start=START, end=END, duties=[DIARY, PATROL], under="a1")
    assert set(report.totals) == {"a1", "g1", "g2", "bg1"}
    assert report.vacancies == ()
    assert report.tally("a1").expected == 8
    with pytest.raises(DataFormatError) as info:
        report.tally("t")
    assert info.value.code == "duties.not_in_report"


def test_two_leaders_at_once_both_owe_the_duty() -> None:
    graph = Hierarchy(
        [
            Node(id="t", level=Level.TOWN, name="镇"),
            Node(id="a", level=Level.RESIDENTIAL_AREA, name="苑", parent="t"),
            Node(id="g", level=Level.MICRO_GRID, name="网格", parent="a"),
        ],
        [_leader("r1", "p1", "g", date(2026, 1, 1)), _leader("r2", "p2", "g", date(2026, 1, 1))],
    )
    done = [_rec(1, DutyKind.PATROL, "g", "p1", _sh(3, 3))]
    report = compliance(graph, done, start=START, end=date(2026, 3, 9), duties=[PATROL])
    assert [(x.person, x.tally.fulfilled, x.tally.missed) for x in report.leaders] == [
        ("p1", 1, 0),
        ("p2", 0, 1),
    ]
    assert report.tally("t") == ComplianceTally(expected=2, fulfilled=1, missed=1)


def test_holiday_weeks_are_due_by_default_and_excusable() -> None:
    start, end = date(2026, 2, 9), date(2026, 3, 2)  # three weeks around the Spring Festival
    due = compliance(GRAPH, [], start=start, end=end, duties=[PATROL])
    assert due.tally("g1") == ComplianceTally(expected=3, missed=3)
    skipping = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO", skip_days_off=True)
    report = compliance(GRAPH, [], start=start, end=end, duties=[skipping])
    # Only 02-16…02-22 has no working day (02-14 is a make-up Saturday, 02-24 a working day).
    assert report.tally("g1") == ComplianceTally(expected=2, missed=2, excused=1)
    assert [m.first for m in report.leaders[0].missed] == [date(2026, 2, 9), date(2026, 2, 23)]
    assert report.tally("t").excused == 3  # one per grid, vacant grid included


def test_skipping_holidays_in_a_year_without_calendar_data_raises() -> None:
    skipping = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO", skip_days_off=True)
    with pytest.raises(CalendarError) as info:
        compliance(GRAPH, [], start=date(2027, 1, 4), end=date(2027, 1, 11), duties=[skipping])
    assert info.value.details["year"] == 2027
    # Without skipping, 2027 needs no calendar.
    report = compliance(GRAPH, [], start=date(2027, 1, 4), end=date(2027, 1, 11), duties=[PATROL])
    assert report.tally("t").expected == 2


def test_default_duties_over_a_month() -> None:
    report = compliance(GRAPH, RECORDS, start=date(2026, 3, 1), end=date(2026, 4, 1))
    # March 2026 holds four whole weeks due in it plus the week of 02-23 (due 03-01),
    # and one monthly period: 5 weeks × 4 weekly duties + 2 monthly duties per grid.
    assert report.tally("g3").vacant == 5 * 4 + 2
    assert report.tally("g1").expected == 5 * 4 + 2
    # Three patrols (03-03, 03-10, 03-20) and two diary weeks (one entry a week by default).
    assert report.tally("g1").fulfilled == 3 + 2


def test_records_above_a_grid_or_at_unknown_nodes_are_refused() -> None:
    with pytest.raises(DataFormatError) as info:
        compliance(GRAPH, [_rec(1, DutyKind.PATROL, "a1", "ann", _sh(3, 3))], start=START, end=END)
    assert info.value.code == "duties.record_outside_grid"
    assert info.value.details["node_id"] == "a1"
    with pytest.raises(NodeNotFound):
        compliance(GRAPH, [_rec(1, DutyKind.PATROL, "g9", "ann", _sh(3, 3))], start=START, end=END)
    with pytest.raises(DataFormatError) as info:
        compliance(GRAPH, ["patrol"], start=START, end=END)  # type: ignore[list-item]
    assert info.value.code == "duties.bad_record"
    with pytest.raises(NodeNotFound):
        compliance(GRAPH, [], start=START, end=END, under="nowhere")
    with pytest.raises(DataFormatError) as info:
        compliance(GRAPH, [], start=END, end=START)
    assert info.value.code == "duties.bad_window"


def test_meilan_xihu_leader_change_splits_the_year() -> None:
    h = meilan_xihu()
    changed = [
        g.id
        for g in h.nodes_at(Level.MICRO_GRID)
        if len(
            [
                a
                for a in h.links_at(g.id)
                if isinstance(a, RoleAssignment) and a.role is Role.GRID_LEADER
            ]
        )
        > 1
    ]
    assert changed
    grid = changed[0]
    report = compliance(h, [], start=date(2024, 1, 1), end=date(2025, 1, 1), under=grid)
    people = [x.person for x in report.leaders]
    assert len(people) == 2
    total = report.tally(grid)
    assert total.expected + total.vacant == sum(
        len(d.periods(date(2024, 1, 1), date(2025, 1, 1))) for d in DEFAULT_DUTIES
    )


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Hierarchy, list[DutyRecord]]:
    nodes = draw(tree_nodes(max_nodes=14, coded=False))
    grids = [n.id for n in nodes if n.level is Level.MICRO_GRID]
    inside = [n for n in nodes if n.level in (Level.MICRO_GRID, Level.BUILDING_GROUP)]
    people = ["p1", "p2", "p3"]
    links: list[RoleAssignment] = []
    for i, grid in enumerate(grids):
        for j in range(draw(st.integers(min_value=0, max_value=2))):
            start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 60)))
            length = draw(st.none() | st.integers(0, 60))
            end = None if length is None else start + timedelta(days=length)
            links.append(_leader(f"r{i}-{j}", draw(st.sampled_from(people)), grid, start, end))
    records: list[DutyRecord] = []
    if inside:
        for k in range(draw(st.integers(min_value=0, max_value=40))):
            records.append(
                _rec(
                    k,
                    draw(st.sampled_from(list(DutyKind))),
                    draw(st.sampled_from(inside)).id,
                    draw(st.sampled_from(people)),
                    datetime(2026, 1, 1, tzinfo=SHANGHAI)
                    + timedelta(hours=draw(st.integers(0, 24 * 90))),
                )
            )
    return Hierarchy(nodes, links), records


@settings(max_examples=examples(40), deadline=None)
@given(worlds())
def test_rollups_equal_the_sum_of_their_parts_at_every_level(
    world: tuple[Hierarchy, list[DutyRecord]],
) -> None:
    h, records = world
    report = compliance(h, records, start=date(2026, 1, 1), end=date(2026, 3, 2))
    own: dict[str, ComplianceTally] = {}
    for line in report.leaders:
        own[line.grid] = own.get(line.grid, ComplianceTally()) + line.tally
        assert line.tally.expected == line.tally.fulfilled + line.tally.missed
        assert len(line.missed) == line.tally.missed
        assert all(m.done < m.required and m.person == line.person for m in line.missed)
    for vacancy in report.vacancies:
        own[vacancy.grid] = own.get(vacancy.grid, ComplianceTally()) + ComplianceTally(vacant=1)
    assert set(report.totals) == set(h)
    for node in h.nodes():
        children = sum((report.tally(c.id) for c in h.children(node.id)), ComplianceTally())
        assert report.tally(node.id) == own.get(node.id, ComplianceTally()) + children
        t = report.tally(node.id)
        assert t.expected == t.fulfilled + t.missed
    # A plain re-count: every period once per leader on its due day, or once as a vacancy.
    periods = {d: d.periods(date(2026, 1, 1), date(2026, 3, 2)) for d in DEFAULT_DUTIES}
    for grid in h.nodes_at(Level.MICRO_GRID):
        expected = fulfilled = vacant = 0
        for duty in DEFAULT_DUTIES:
            for first, stop in periods[duty]:
                due = stop - timedelta(days=1)
                leaders = {
                    a.person
                    for a in h.holders(grid.id, on=due, role=Role.GRID_LEADER, inherited=False)
                }
                vacant += not leaders
                expected += len(leaders)
                fulfilled += sum(
                    any(
                        r.kind is duty.kind
                        and r.person == person
                        and h.is_within(r.node, grid.id)
                        and first <= r.day < stop
                        for r in records
                    )
                    for person in leaders
                )
        assert report.tally(grid.id) == ComplianceTally(
            expected=expected, fulfilled=fulfilled, missed=expected - fulfilled, vacant=vacant
        )
