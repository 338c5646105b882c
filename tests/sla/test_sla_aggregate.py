"""SLA figures in bulk: summaries, rollups through the graph, rankings; agreement with
the per-topic figures and the sum of the parts at every level."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.calendar import SHANGHAI, WorkCalendar
from microgov.datasets import meilan_xihu
from microgov.errors import DataFormatError, NodeNotFound, PolicyError
from microgov.hierarchy import Hierarchy, Level
from microgov.sla import (
    PatrolSchedule,
    RankBy,
    SlaPolicy,
    SlaSummary,
    TopicSla,
    nearest_rank,
    rollup_sla,
    summarize,
    topic_sla,
)
from profiles import examples
from strategies import hierarchies

MEILAN = meilan_xihu()
POLICY = SlaPolicy(category_targets={"safety": timedelta(hours=1)})
NOW = datetime(2026, 12, 20, 12, tzinfo=SHANGHAI)


@attrs.frozen(kw_only=True)
class Post:
    """A minimal topic satisfying :class:`microgov.sla.SlaTopic`."""

    id: str
    scope: str = "area-01"
    category: str = "parking"
    raised_at: datetime
    first_response_at: datetime | None = None


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=SHANGHAI)


# --- strategies ---------------------------------------------------------------------------

ZONES = st.sampled_from(
    [SHANGHAI, UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))]
)
START = sh(2026, 1, 2)
SPAN_S = int((sh(2026, 12, 15) - START).total_seconds())


@st.composite
def posts(draw: st.DrawFn, scopes: list[str], *, max_size: int = 40) -> list[Post]:
    n = draw(st.integers(min_value=0, max_value=max_size))
    out: list[Post] = []
    for i in range(n):
        zone = draw(ZONES)
        raised = START + timedelta(
            seconds=draw(st.integers(min_value=0, max_value=SPAN_S)),
            microseconds=draw(st.sampled_from([0, 0, 1, 999_999])),
        )
        kind = draw(st.sampled_from(["none", "fast", "slow", "exact"]))
        if kind == "none":
            answer = None
        elif kind == "fast":
            answer = raised + timedelta(seconds=draw(st.integers(0, 6 * 3600)))
        elif kind == "slow":
            answer = raised + timedelta(seconds=draw(st.integers(0, 10 * 86400)))
        else:  # on a boundary: exactly 4 hours
            answer = raised + timedelta(hours=4)
        out.append(
            Post(
                id=f"t{i:03d}",
                scope=draw(st.sampled_from(scopes)),
                category=draw(st.sampled_from(["safety", "parking", "noise"])),
                raised_at=raised.astimezone(zone),
                first_response_at=None if answer is None else answer.astimezone(draw(ZONES)),
            )
        )
    return out


def expected_summary(topics: list[Post], policy: SlaPolicy, now: datetime) -> dict[str, object]:
    """The figures computed the slow way, one topic_sla at a time."""
    return expected_from([topic_sla(t, policy, now=now) for t in topics])


def expected_from(figures: list[TopicSla]) -> dict[str, object]:
    times = sorted(f.response_time for f in figures if f.response_time is not None)
    total = sum(times, timedelta(0))
    overdue = sorted((f.due_at, f.topic_id) for f in figures if f.overdue)
    return {
        "count": len(figures),
        "answered": len(times),
        "total_response": total,
        "mean": total / len(times) if times else None,
        "median": nearest_rank(times, Fraction(1, 2)) if times else None,
        "p90": nearest_rank(times, Fraction(9, 10)) if times else None,
        "within": sum(1 for f in figures if f.within),
        "decided": sum(1 for f in figures if f.within is not None),
        "answered_before_next_patrol": sum(1 for f in figures if f.answered_before_next_patrol),
        "overdue": tuple(i for _, i in overdue),
    }


def figures_of(s: SlaSummary) -> dict[str, object]:
    d = attrs.asdict(s, recurse=False)
    del d["node"], d["as_of"]
    return d


# --- summarize ----------------------------------------------------------------------------


def test_summarize_hand_checked() -> None:
    # Monday 2026-10-12: patrols 08:30, 13:30, 17:00.
    topics = [
        Post(id="a", raised_at=sh(2026, 10, 12, 8), first_response_at=sh(2026, 10, 12, 9)),  # 1 h
        Post(id="b", raised_at=sh(2026, 10, 12, 10), first_response_at=sh(2026, 10, 12, 16)),  # 6 h
        Post(id="c", raised_at=sh(2026, 10, 12, 11)),  # due 17:30, unanswered
        Post(id="d", raised_at=sh(2026, 10, 12, 12), first_response_at=sh(2026, 10, 12, 14)),  # 2 h
        Post(  # 2 h; due 12:30 on the 12th, answered after it: overdue
            id="e", raised_at=sh(2026, 10, 10, 18, 5), first_response_at=sh(2026, 10, 12, 13)
        ),
        Post(id="f", raised_at=sh(2026, 10, 12, 18)),  # undecided and not due at 20:00
    ]
    s = summarize(topics, now=sh(2026, 10, 12, 20))
    assert s.node is None
    assert (s.count, s.answered, s.unanswered) == (6, 4, 2)
    e_time = timedelta(days=1, hours=18, minutes=55)
    assert s.total_response == timedelta(hours=9) + e_time
    assert s.mean == (timedelta(hours=9) + e_time) / 4
    assert s.mean_seconds == Fraction(9 * 3600 + int(e_time.total_seconds()), 4)
    assert s.median == timedelta(hours=2)  # sorted 1, 2, 6, 42.9 h: rank ceil(2) = 2
    assert s.p90 == e_time  # rank ceil(3.6) = 4
    assert (s.within, s.decided) == (2, 5)  # a and d; f is undecided
    assert s.share_within == Fraction(2, 5)
    assert s.answered_before_next_patrol == 4  # a, d (before 13:30), b (17:00), e (13:30)
    assert s.overdue == ("e", "c")  # by due time: e 10-12 12:30, c 10-12 17:30
    assert s.overdue_count == 2


def test_summarize_empty() -> None:
    s = summarize([], now=NOW)
    assert (s.count, s.answered, s.mean, s.median, s.p90, s.share_within) == (
        0,
        0,
        None,
        None,
        None,
        None,
    )
    assert s.mean_seconds is None
    assert s.total_response == timedelta(0)


@settings(max_examples=examples(50), deadline=None)
@given(st.data())
def test_summarize_equals_the_per_topic_figures(data: st.DataObject) -> None:
    topics = data.draw(posts(["area-01"]))
    now = sh(2026, 12, 20, 12)
    assert figures_of(summarize(topics, POLICY, now=now)) == expected_summary(topics, POLICY, now)


@settings(max_examples=examples(15), deadline=None)
@given(st.data())
def test_summarize_in_a_zone_with_daylight_saving_time(data: st.DataObject) -> None:
    # A schedule kept in New York time: DST starts 2026-03-08 and ends 2026-11-01, so
    # the fast wall-clock frame cannot be used and elapsed time must still be exact.
    ny = ZoneInfo("America/New_York")
    policy = SlaPolicy(schedule=PatrolSchedule(calendar=WorkCalendar(zone=ny)))
    topics = [
        attrs.evolve(t, raised_at=t.raised_at.astimezone(ny)) for t in data.draw(posts(["a"]))
    ]
    now = datetime(2026, 12, 20, 12, tzinfo=ny)
    assert figures_of(summarize(topics, policy, now=now)) == expected_summary(topics, policy, now)


@settings(max_examples=examples(15), deadline=None)
@given(st.data())
def test_input_order_does_not_matter(data: st.DataObject) -> None:
    topics = data.draw(posts(["area-01", "grid-01-1"]))
    shuffled = data.draw(st.permutations(topics))
    assert summarize(topics, POLICY, now=NOW) == summarize(shuffled, POLICY, now=NOW)
    assert rollup_sla(MEILAN, topics, POLICY, now=NOW) == rollup_sla(
        MEILAN, shuffled, POLICY, now=NOW
    )


# --- rollups ------------------------------------------------------------------------------


@settings(max_examples=examples(40), deadline=None)
@given(hierarchies(max_nodes=25), st.data())
def test_rollups_equal_the_sum_of_their_parts(h: Hierarchy, data: st.DataObject) -> None:
    ids = [n.id for n in h.nodes()]
    topics = data.draw(posts(ids))
    rollup = rollup_sla(h, topics, POLICY, now=NOW)
    slow = [topic_sla(t, POLICY, now=NOW) for t in topics]
    for node in h.nodes():
        s = rollup.summary(node.id)
        own = expected_from([f for f in slow if f.scope == node.id])
        parts = [rollup.summary(c.id) for c in h.children(node.id)]
        # Counts, sums of durations and overdue lists add up level by level.
        for field in ("count", "answered", "within", "decided", "answered_before_next_patrol"):
            assert getattr(s, field) == own[field] + sum(getattr(p, field) for p in parts), field
        own_total = own["total_response"]
        assert isinstance(own_total, timedelta)
        assert s.total_response == own_total + sum((p.total_response for p in parts), timedelta(0))
        own_overdue = own["overdue"]
        assert isinstance(own_overdue, tuple)
        assert sorted(s.overdue) == sorted([*own_overdue, *(i for p in parts for i in p.overdue)])
        # Mean, median and p90 are recomputed from the subtree's own response times.
        inside = [f for f in slow if h.is_within(f.scope, node.id)]
        assert figures_of(s) == expected_from(inside)
    for root in h.roots:
        whole = [t for t in topics if h.is_within(t.scope, root.id)]
        assert attrs.evolve(rollup.summary(root.id), node=None) == summarize(whole, POLICY, now=NOW)


def test_rollup_over_many_scopes_matches_the_per_topic_figures() -> None:
    # More than 64 scopes below the large community: its sorted runs are merged.
    rng = random.Random(7)
    groups = [n.id for n in MEILAN.nodes_at(Level.BUILDING_GROUP)]
    topics = []
    for i in range(400):
        raised = START + timedelta(seconds=rng.randrange(SPAN_S))
        wait = rng.choice([None, rng.randrange(6 * 3600), rng.randrange(5 * 86400)])
        topics.append(
            Post(
                id=f"t{i:03d}",
                scope=rng.choice(groups),
                category=rng.choice(["safety", "parking"]),
                raised_at=raised,
                first_response_at=None if wait is None else raised + timedelta(seconds=wait),
            )
        )
    assert len({t.scope for t in topics if t.first_response_at is not None}) > 64
    rollup = rollup_sla(MEILAN, topics, POLICY, now=NOW)
    slow = [topic_sla(t, POLICY, now=NOW) for t in topics]
    for node in (MEILAN.node("luodian"), *MEILAN.nodes_at(Level.RESIDENTIAL_AREA)[:5]):
        inside = [f for f in slow if MEILAN.is_within(f.scope, node.id)]
        assert figures_of(rollup.summary(node.id)) == expected_from(inside), node.id


def test_rollup_on_meilan_xihu() -> None:
    topics = [
        Post(id="a", scope="bg-01-1-01", raised_at=sh(2026, 10, 12, 8),
             first_response_at=sh(2026, 10, 12, 9)),
        Post(id="b", scope="grid-01-1", raised_at=sh(2026, 10, 12, 10),
             first_response_at=sh(2026, 10, 12, 16)),
        Post(id="c", scope="area-01", raised_at=sh(2026, 10, 12, 11)),
        Post(id="d", scope="area-02", raised_at=sh(2026, 10, 12, 12),
             first_response_at=sh(2026, 10, 12, 14)),
    ]  # fmt: skip
    r = rollup_sla(MEILAN, topics, now=sh(2026, 10, 12, 20))
    assert list(r.summaries) == [
        "luodian", "meilan-xihu", "area-01", "grid-01-1", "bg-01-1-01", "area-02"
    ]  # fmt: skip
    assert [r.summary(i).count for i in ("luodian", "area-01", "grid-01-1", "bg-01-1-01")] == [
        4,
        3,
        2,
        1,
    ]
    assert r.summary("area-01").median == timedelta(hours=1)
    assert r.summary("area-01").p90 == timedelta(hours=6)
    assert r.summary("area-01").overdue == ("c",)
    assert r.summary("meilan-xihu").answered == 3
    areas = r.at(Level.RESIDENTIAL_AREA)
    assert len(areas) == 30
    assert [a.count for a in areas[:3]] == [3, 1, 0]
    assert [g.node for g in r.at(Level.MICRO_GRID, under="area-01")] == [
        "grid-01-1",
        "grid-01-2",
        "grid-01-3",
    ]
    assert r.summary("area-30").count == 0
    with pytest.raises(NodeNotFound):
        r.summary("area-99")


def test_an_unknown_scope_is_refused() -> None:
    topics = [Post(id="t7", scope="area-99", raised_at=sh(2026, 10, 12, 8))]
    with pytest.raises(NodeNotFound) as info:
        rollup_sla(MEILAN, topics, now=NOW)
    err = info.value
    assert err.code == "sla.unknown_scope"
    assert err.details == {"node_id": "area-99", "topic_id": "t7"}
    assert "t7" in err.message_en
    assert "area-99" in err.message_zh


# --- bad input in bulk --------------------------------------------------------------------


def test_bulk_bad_input_gives_the_same_errors_as_one_topic() -> None:
    good = Post(id="ok", raised_at=sh(2026, 10, 12, 8))
    naive = Post(id="t1", raised_at=datetime(2026, 10, 12, 8))
    with pytest.raises(DataFormatError) as info:
        summarize([good, naive], now=NOW)
    assert (info.value.code, info.value.details["topic_id"]) == ("time.not_aware", "t1")
    naive_answer = Post(id="t2", raised_at=sh(2026, 10, 12, 8),
                        first_response_at=datetime(2026, 10, 12, 9))  # fmt: skip
    with pytest.raises(DataFormatError) as info:
        rollup_sla(MEILAN, [good, naive_answer], now=NOW)
    assert (info.value.code, info.value.details["field"]) == (
        "time.not_aware",
        "first_response_at",
    )
    backwards = Post(id="t3", raised_at=sh(2026, 10, 12, 8),
                     first_response_at=sh(2026, 10, 12, 7))  # fmt: skip
    with pytest.raises(DataFormatError) as info:
        summarize([good, backwards], now=NOW)
    assert (info.value.code, info.value.details["topic_id"]) == ("sla.response_before_post", "t3")
    with pytest.raises(PolicyError) as perr:
        summarize([good], now=datetime(2026, 12, 20))
    assert perr.value.code == "time.not_aware"
    with pytest.raises(PolicyError) as perr:
        summarize([good], now=sh(2026, 10, 12, 7))
    assert perr.value.code == "sla.now_before_post"
    with pytest.raises(DataFormatError) as info:
        summarize([object()], now=NOW)  # type: ignore[list-item]
    assert info.value.code == "sla.bad_topic"
    with pytest.raises(DataFormatError) as info:
        summarize([attrs.evolve(good, scope=["a"])], now=NOW)  # type: ignore[arg-type]
    assert info.value.code == "sla.bad_topic"


# --- rankings -----------------------------------------------------------------------------


def answered(i: int, scope: str, minutes: int) -> Post:
    raised = sh(2026, 10, 12, 8) + timedelta(seconds=i)
    return Post(
        id=f"{scope}-{i:03d}",
        scope=scope,
        raised_at=raised,
        first_response_at=raised + timedelta(minutes=minutes),
    )


def test_small_areas_are_not_ranked() -> None:
    topics = [
        *(answered(i, "area-01", 60) for i in range(30)),
        *(answered(i, "area-02", 30) for i in range(30)),
        *(answered(i, "area-03", 60) for i in range(30)),
        *(answered(i, "area-04", 600) for i in range(30)),
        *(answered(i, "area-05", 1) for i in range(29)),  # fastest, but too few
    ]
    r = rollup_sla(MEILAN, topics, now=NOW)
    ranking = r.rank(Level.RESIDENTIAL_AREA)
    assert ranking.by is RankBy.MEDIAN
    assert ranking.min_sample == 30
    assert [(e.node, e.rank, e.value) for e in ranking.ranked] == [
        ("area-02", 1, timedelta(minutes=30)),
        ("area-01", 2, timedelta(hours=1)),
        ("area-03", 2, timedelta(hours=1)),  # a tie shares the rank
        ("area-04", 4, timedelta(hours=10)),
    ]
    assert all(e.ranked for e in ranking.ranked)
    first = ranking.not_ranked[0]
    assert (first.node, first.rank, first.sample, first.ranked) == ("area-05", None, 29, False)
    assert first.value == timedelta(minutes=1)
    assert first.note_en == "not ranked: too few topics (29 < 30)"
    assert first.note_zh == "未排名：议题太少（29 < 30）"
    assert len(ranking.not_ranked) == 26  # area-05 and the 25 areas without topics
    lower = r.rank(Level.RESIDENTIAL_AREA, min_sample=29)
    assert lower.ranked[0].node == "area-05"
    share = r.rank(Level.RESIDENTIAL_AREA, by=RankBy.SHARE_WITHIN, under="meilan-xihu")
    assert [(e.node, e.rank, e.value) for e in share.ranked] == [
        ("area-01", 1, Fraction(1)),
        ("area-02", 1, Fraction(1)),
        ("area-03", 1, Fraction(1)),
        ("area-04", 4, Fraction(0)),
    ]
    mean = r.rank(Level.RESIDENTIAL_AREA, by=RankBy.MEAN)
    assert [e.node for e in mean.ranked] == ["area-02", "area-01", "area-03", "area-04"]
    p90 = r.rank(Level.MICRO_GRID, by=RankBy.P90)
    assert p90.ranked == ()
    assert len(p90.not_ranked) == 99


def test_bad_ranking_arguments() -> None:
    r = rollup_sla(MEILAN, [], now=NOW)
    with pytest.raises(PolicyError) as info:
        r.rank(Level.RESIDENTIAL_AREA, min_sample=0)
    assert info.value.code == "sla.bad_min_sample"
    with pytest.raises(PolicyError) as info:
        r.rank(Level.RESIDENTIAL_AREA, by="median")  # type: ignore[arg-type]
    assert info.value.code == "sla.bad_rank_by"
    with pytest.raises(NodeNotFound):
        r.rank(Level.RESIDENTIAL_AREA, under="nowhere")
