"""Indicators from events: hand-checked counts, windows, errors, year on year, rollups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov._time import SHANGHAI
from microgov.datasets import meilan_xihu
from microgov.errors import DataFormatError, NodeNotFound, PolicyError
from microgov.hierarchy import (
    Hierarchy,
    Level,
    Node,
    Resource,
    ResourceKind,
)
from microgov.lifecycle import Event
from microgov.metrics import (
    CATALOGUE,
    Activity,
    Indicators,
    MetricsReport,
    TalentRecord,
    compute,
    relative_change,
    year_on_year,
    year_window,
)
from profiles import examples
from strategies import tree_nodes


@attrs.frozen(kw_only=True)
class Topic:
    """A minimal TopicLike for the tests."""

    id: str
    scope: str
    raised_at: datetime
    category: str = "环境"
    state: str = "open"
    project_id: str | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None


def sh(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


GRAPH = Hierarchy(
    [
        Node(id="t", level=Level.TOWN, name="罗店镇"),
        Node(id="lc", level=Level.LARGE_COMMUNITY, name="美兰西湖", parent="t"),
        Node(id="a1", level=Level.RESIDENTIAL_AREA, name="一苑", parent="lc"),
        Node(id="a2", level=Level.RESIDENTIAL_AREA, name="二苑", parent="lc"),
        Node(id="g1", level=Level.MICRO_GRID, name="1号网格", parent="a1"),
        Node(id="g2", level=Level.MICRO_GRID, name="2号网格", parent="a2"),
        Node(id="bg1", level=Level.BUILDING_GROUP, name="1号楼", parent="g1"),
    ],
    [
        Resource(id="res-1", kind=ResourceKind.SCHOOL, name="罗店中心校", node="g1"),
        Resource(id="res-2", kind=ResourceKind.SHOP, name="便利店", node="g1"),
        Resource(id="res-3", kind=ResourceKind.ENTERPRISE, name="物业公司", node="g2"),
    ],
)
START, END = year_window(2026)

TOPICS = [
    # Raised at the first instant of 2026 (Shanghai): counted; answered in 90 minutes.
    Topic(
        id="t1",
        scope="a1",
        raised_at=datetime(2025, 12, 31, 16, 0, tzinfo=UTC),
        state="resolved",
        first_response_at=sh(1, 1, 1, 30),
        resolved_at=sh(1, 2),
    ),
    # Answered after 4 h 30 min, converted into a project.
    Topic(
        id="t2",
        scope="g1",
        raised_at=sh(3, 2, 9),
        state="converted",
        project_id="p-1",
        first_response_at=sh(3, 2, 13, 30),
    ),
    # Linked to a project but still in progress: counts as turned into a project.
    Topic(id="t3", scope="bg1", raised_at=sh(3, 3), state="in_progress", project_id="p-4"),
    # Unanswered.
    Topic(id="t4", scope="g2", raised_at=sh(6, 1)),
    # Raised in 2025, resolved in 2026: a problem solved in 2026, not a 2026 topic.
    Topic(
        id="t5",
        scope="g2",
        raised_at=sh(12, 30, year=2025),
        state="resolved",
        first_response_at=sh(12, 30, 10, year=2025),
        resolved_at=sh(1, 3),
    ),
    # Raised at the first instant of 2027: not counted in 2026.
    Topic(id="t6", scope="a1", raised_at=datetime(2027, 1, 1, tzinfo=SHANGHAI)),
]


def _event(type: str, item: str, at: datetime) -> Event:
    return Event(type=type, item=item, actor="u-1", at=at, payload={}, verdicts=())


EVENTS = [
    _event("project.accepted", "p-1", sh(3, 10)),
    _event("project.completed", "p-1", sh(5, 10)),
    _event("project.rectification_ordered", "p-1", sh(5, 20)),
    _event("project.completed", "p-1", sh(6, 10)),  # completed again: still one project
    _event("project.accepted", "p-2", sh(12, 20, year=2025)),  # the year before
    _event("project.completed", "p-2", sh(4, 1)),
    _event("topic.acknowledged", "t-9", sh(4, 1)),  # not a project event: ignored
    _event("project.accepted", "p-3", sh(2, 1, year=2027)),  # after: no scope needed
]
SCOPES = {"p-1": "a1", "p-2": "g2"}
TALENTS = [
    TalentRecord(id="tr-1", person="r-1", node="a1", skill="木工", registered_at=sh(4, 1)),
    TalentRecord(id="tr-2", person="r-2", node="g2", skill="摄影", registered_at=sh(4, 2)),
    TalentRecord(
        id="tr-3", person="r-3", node="g2", skill="书法", registered_at=sh(4, 2, year=2025)
    ),
]
ACTIVITIES = [
    Activity(
        id="act-1",
        node="bg1",
        held_at=sh(5, 1),
        participants=["r-1", "r-2", "r-3"],
        volunteers=["v-1"],
    ),
    Activity(id="act-2", node="a2", held_at=sh(9, 1), participants=["r-1"], volunteers=[]),
    Activity(id="act-3", node="a2", held_at=sh(9, 1, year=2025), participants=["r-1", "r-4"]),
]


def _report(**kwargs: object) -> MetricsReport:
    inputs: dict[str, object] = {
        "topics": TOPICS,
        "project_events": EVENTS,
        "project_scopes": SCOPES,
        "talents": TALENTS,
        "activities": ACTIVITIES,
    }
    inputs.update(kwargs)
    return compute(GRAPH, start=START, end=END, **inputs)  # type: ignore[arg-type]


def test_hand_checked_indicators() -> None:
    report = _report()
    a1, g1, a2, town = (report.at(n) for n in ("a1", "g1", "a2", "t"))
    assert (a1.topics_raised, a1.topics_responded, a1.topics_converted) == (3, 2, 2)
    assert g1.topics_raised == 2  # t2 at the grid, t3 at its building group
    assert a1.problems_solved == 1
    # t1 answered in 1.5 h, t2 in 4.5 h: mean 3 h, exactly.
    assert a1.mean_response_hours == Fraction(3)
    assert g1.mean_response_hours == Fraction(9, 2)
    assert a2.topics_raised == 1
    assert a2.problems_solved == 1  # t5, raised the year before
    assert a2.mean_response_hours is None
    assert town.topics_raised == 4
    assert town.problems_solved == 2
    assert town.mean_response_hours == Fraction(3)
    assert (a1.projects_accepted, a1.projects_completed) == (1, 1)
    assert (a2.projects_accepted, a2.projects_completed) == (0, 1)
    assert (town.talents, a1.talents, a2.talents) == (2, 1, 1)
    assert (a1.activities, a1.participations, a1.volunteer_services) == (1, 3, 1)
    assert (a2.activities, a2.participations, a2.volunteer_services) == (1, 1, 0)
    assert (town.resources, town.residential_areas, town.resources_per_area) == (
        3,
        2,
        Fraction(3, 2),
    )
    assert (a1.resources_per_area, report.at("g1").resources_per_area) == (Fraction(2), None)
    assert report.at("bg1") == Indicators(
        topics_raised=1, topics_converted=1, activities=1, participations=3, volunteer_services=1
    )


def test_levels_and_subtrees() -> None:
    report = _report()
    assert list(report.at_level(Level.RESIDENTIAL_AREA)) == ["a1", "a2"]
    assert report.at("lc") == report.at("t")
    part = _report(under="a2")
    assert set(part.values) == {"a2", "g2"}
    assert part.at("a2") == report.at("a2")
    with pytest.raises(DataFormatError) as info:
        part.at("a1")
    assert info.value.code == "metrics.not_in_report"


def test_windows_are_half_open_in_any_zone() -> None:
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    report = compute(GRAPH, start=start, end=start + timedelta(hours=1), topics=TOPICS)
    assert report.at("t").topics_raised == 1  # t2, raised at the first instant
    report = compute(GRAPH, start=start - timedelta(hours=1), end=start, topics=TOPICS)
    assert report.at("t").topics_raised == 0


def test_year_on_year_changes_are_exact_and_none_from_zero() -> None:
    yoy = year_on_year(
        GRAPH,
        year=2026,
        topics=TOPICS,
        project_events=EVENTS,
        project_scopes=SCOPES,
        talents=TALENTS,
        activities=iter(ACTIVITIES),  # read once, used for both years
    )
    assert yoy.previous.at("t").topics_raised == 1  # t5
    assert yoy.previous.at("t").activities == 1
    change = yoy.change("t")
    assert change["topics_raised"] == Fraction(3)  # 1 → 4
    assert change["activities"] == Fraction(1)  # 1 → 2
    assert change["talents"] == Fraction(1)  # 1 → 2
    assert change["projects_accepted"] == Fraction(0)  # 1 → 1
    assert change["projects_completed"] is None  # 0 → 2
    assert change["resources"] == Fraction(0)
    assert change["mean_response_hours"] == Fraction(2)  # 1 h → 3 h: +200 %
    assert change["problems_solved"] is None
    assert set(change) == {d.id for d in CATALOGUE}


def test_year_on_year_with_the_previous_graph() -> None:
    before = Hierarchy(
        [n for n in GRAPH.nodes() if n.id != "a2" and n.parent != "a2" and n.id != "g2"],
        [r for r in GRAPH.links if isinstance(r, Resource) and r.node == "g1"],
    )
    yoy = year_on_year(GRAPH, year=2026, previous_hierarchy=before, under="a1")
    assert yoy.change("a1")["resources"] == Fraction(0)
    only_new = year_on_year(GRAPH, year=2026, previous_hierarchy=before)
    assert only_new.change("a2") == {d.id: None for d in CATALOGUE}
    assert only_new.change("t")["residential_areas"] == Fraction(1)


def test_relative_change() -> None:
    change = relative_change(
        Indicators(topics_raised=3, resources=1, residential_areas=2),
        Indicators(topics_raised=4, resources=1, residential_areas=1),
    )
    assert change["topics_raised"] == Fraction(-1, 4)
    assert change["resources_per_area"] == Fraction(-1, 2)
    assert change["mean_response_hours"] is None


def test_meilan_xihu_resources_per_area() -> None:
    h = meilan_xihu()
    report = compute(h, start=START, end=END)
    assert report.at("luodian").resources == len(h.resources())
    assert report.at("luodian").residential_areas == 30
    areas = report.at_level(Level.RESIDENTIAL_AREA)
    assert sum(a.resources for a in areas.values()) == report.at("meilan-xihu").resources
    assert all(a.resources_per_area == a.resources for a in areas.values())


# -- bad input ---------------------------------------------------------------------


def test_naive_datetimes_are_refused() -> None:
    naive = Topic(id="t", scope="a1", raised_at=datetime(2026, 3, 2, 9))
    with pytest.raises(DataFormatError) as info:
        _report(topics=[naive])
    assert info.value.code == "time.not_aware"
    assert info.value.details["field"] == "raised_at"
    answered_naive = attrs.evolve(TOPICS[1], first_response_at=datetime(2026, 3, 2, 10))
    with pytest.raises(DataFormatError) as info:
        _report(topics=[answered_naive])
    assert info.value.details["field"] == "first_response_at"
    with pytest.raises(DataFormatError) as info:
        compute(GRAPH, start=datetime(2026, 1, 1), end=END)
    assert info.value.code == "time.not_aware"
    naive_event = _event("project.accepted", "p-1", datetime(2026, 3, 1))
    with pytest.raises(DataFormatError) as info:
        _report(project_events=[naive_event])
    assert info.value.code == "time.not_aware"


def test_responses_before_the_post_are_refused() -> None:
    early = attrs.evolve(TOPICS[1], first_response_at=sh(3, 2, 8))
    with pytest.raises(DataFormatError) as info:
        _report(topics=[early])
    assert info.value.code == "metrics.before_raised"
    assert "before raised_at" in info.value.message_en
    early = attrs.evolve(TOPICS[1], resolved_at=sh(3, 1))
    with pytest.raises(DataFormatError) as info:
        _report(topics=[early])
    assert info.value.details["field"] == "resolved_at"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"topics": [Topic(id="t", scope="nowhere", raised_at=sh(3, 1))]},
        {"project_scopes": {"p-1": "nowhere", "p-2": "g2"}},
        {"talents": [attrs.evolve(TALENTS[0], node="nowhere")]},
        {"activities": [attrs.evolve(ACTIVITIES[0], node="nowhere")]},
        {"under": "nowhere"},
    ],
)
def test_unknown_nodes_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(NodeNotFound) as info:
        _report(**kwargs)
    assert info.value.details["node_id"] == "nowhere"


def test_unknown_nodes_are_refused_even_outside_the_window() -> None:
    old = Topic(id="t", scope="nowhere", raised_at=sh(3, 1, year=2020))
    with pytest.raises(NodeNotFound):
        _report(topics=[old])


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"topics": [attrs.evolve(TOPICS[0], state="done")]}, "metrics.bad_topic"),
        ({"topics": [object()]}, "metrics.bad_topic"),
        ({"project_events": [{"type": "project.accepted"}]}, "metrics.bad_event"),
        ({"project_scopes": {"p-1": "a1"}}, "metrics.unknown_project"),
        ({"talents": ["r-1"]}, "metrics.bad_record"),
        ({"activities": [("act", "a1")]}, "metrics.bad_record"),
    ],
)
def test_malformed_input_is_refused(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(DataFormatError) as info:
        _report(**kwargs)
    assert info.value.code == code
    assert info.value.message_zh


def test_bad_windows_and_years() -> None:
    with pytest.raises(DataFormatError) as info:
        compute(GRAPH, start=END, end=START)
    assert info.value.code == "metrics.bad_window"
    with pytest.raises(DataFormatError) as info:
        year_window(0)
    assert info.value.code == "metrics.bad_year"
    with pytest.raises(DataFormatError) as info:
        compute(GRAPH, start=date(2026, 1, 1), end=END)  # type: ignore[arg-type]
    assert info.value.code == "time.not_aware"


def test_bad_records() -> None:
    with pytest.raises(DataFormatError) as info:
        TalentRecord(id="x", person="p", node="a1", skill=" ", registered_at=sh(1, 1))
    assert info.value.details["field"] == "skill"
    with pytest.raises(DataFormatError) as info:
        Activity(id="x", node="a1", held_at=sh(1, 1), participants="r-1")
    assert info.value.code == "metrics.bad_record"
    with pytest.raises(DataFormatError):
        Activity(id="x", node="a1", held_at=sh(1, 1), participants=[""])
    with pytest.raises(DataFormatError):
        Activity(id="x", node="a1", held_at=sh(1, 1), participants=3)  # type: ignore[arg-type]
    with pytest.raises(DataFormatError) as info:
        Activity(id="x", node="a1", held_at=datetime(2026, 1, 1))
    assert info.value.code == "time.not_aware"


def test_indicator_values_by_id() -> None:
    with pytest.raises(PolicyError):
        Indicators().value("response_microseconds")
    assert Indicators(talents=2).as_dict()["talents"] == 2


# -- rollups add up ----------------------------------------------------------------


@st.composite
def worlds(
    draw: st.DrawFn,
) -> tuple[Hierarchy, list[Topic], list[Activity], list[TalentRecord]]:
    nodes = draw(tree_nodes(max_nodes=20, coded=False))
    ids = [n.id for n in nodes]
    grids = [n.id for n in nodes if n.level is Level.MICRO_GRID]
    links = [
        Resource(
            id=f"res-{i}", kind=ResourceKind.SHOP, name="店", node=draw(st.sampled_from(grids))
        )
        for i in range(draw(st.integers(0, 6) if grids else st.just(0)))
    ]
    when = st.integers(0, 2 * 365 * 24).map(
        lambda h: datetime(2025, 7, 1, tzinfo=SHANGHAI) + timedelta(hours=h)
    )
    delay = st.none() | st.integers(0, 10_000).map(lambda m: timedelta(minutes=m))
    topics = []
    for i in range(draw(st.integers(0, 30))):
        raised = draw(when)
        answer, solve = draw(delay), draw(delay)
        topics.append(
            Topic(
                id=f"t{i}",
                scope=draw(st.sampled_from(ids)),
                raised_at=raised,
                state=draw(st.sampled_from(["open", "resolved", "converted"])),
                project_id=draw(st.none() | st.just("p")),
                first_response_at=None if answer is None else raised + answer,
                resolved_at=None if solve is None else raised + solve,
            )
        )
    activities = [
        Activity(
            id=f"a{i}",
            node=draw(st.sampled_from(ids)),
            held_at=draw(when),
            participants=draw(st.frozensets(st.sampled_from(["r1", "r2", "r3", "r4"]))),
            volunteers=draw(st.frozensets(st.sampled_from(["v1", "v2"]))),
        )
        for i in range(draw(st.integers(0, 10)))
    ]
    talents = [
        TalentRecord(
            id=f"tr{i}",
            person=f"r{i}",
            node=draw(st.sampled_from(ids)),
            skill="技能",
            registered_at=draw(when),
        )
        for i in range(draw(st.integers(0, 10)))
    ]
    return Hierarchy(nodes, links), topics, activities, talents


@settings(max_examples=examples(40), deadline=None)
@given(worlds())
def test_rollups_equal_the_sum_of_their_parts_at_every_level(
    world: tuple[Hierarchy, list[Topic], list[Activity], list[TalentRecord]],
) -> None:
    h, topics, activities, talents = world
    report = compute(h, start=START, end=END, topics=topics, activities=activities, talents=talents)
    alone = {
        n.id: compute(
            h,
            start=START,
            end=END,
            topics=[t for t in topics if t.scope == n.id],
            activities=[a for a in activities if a.node == n.id],
            talents=[t for t in talents if t.node == n.id],
        )
        for n in h.nodes()
    }
    for node in h.nodes():
        own = alone[node.id].values[node.id]
        own = attrs.evolve(
            own,
            resources=sum(1 for r in h.resources() if r.node == node.id),
            residential_areas=int(node.level is Level.RESIDENTIAL_AREA),
        )
        children = sum((report.at(c.id) for c in h.children(node.id)), Indicators())
        assert report.at(node.id) == own + children
    # The roots hold every input raised or held in the window.
    roots = sum((report.at(r.id) for r in h.roots), Indicators())
    assert roots.topics_raised == sum(1 for t in topics if START <= t.raised_at < END)
    assert roots.participations == sum(
        len(a.participants) for a in activities if START <= a.held_at < END
    )
    assert roots.resources == len(h.resources())


def test_registered_volunteers_are_a_stock_on_the_last_day() -> None:
    from microgov.hierarchy import Role, RoleAssignment

    def vol(id: str, node: str, start: date, end: date | None = None) -> RoleAssignment:
        return RoleAssignment(
            id=id, person=f"p-{id}", role=Role.VOLUNTEER, node=node, start=start, end=end
        )

    graph = Hierarchy(
        GRAPH.nodes(),
        [
            *GRAPH.links,
            vol("v1", "a1", date(2025, 1, 1)),
            vol("v2", "bg1", date(2026, 6, 1)),
            vol("v3", "g2", date(2025, 1, 1), date(2026, 12, 30)),  # gone before 12-31
            vol("v4", "g2", date(2027, 1, 1)),  # not yet
        ],
    )
    report = compute(graph, start=START, end=END)
    assert (report.at("t").volunteers, report.at("a1").volunteers) == (2, 2)
    assert report.at("a2").volunteers == 0
    # On 2025-12-31 v1 and v3 were registered, on 2026-12-31 v1 and v2: no change.
    assert year_on_year(graph, year=2026).change("t")["volunteers"] == Fraction(0)
    assert year_on_year(graph, year=2026).previous.at("g2").volunteers == 1
    assert meilan_xihu_volunteers() == 300


def meilan_xihu_volunteers() -> int:
    return compute(meilan_xihu(), start=START, end=END).at("luodian").volunteers
