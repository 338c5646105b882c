"""The bulk SLA figures stay exactly those of the per-topic figures on the shapes the fast
paths take: overdue topics ordered through text keys (ids of any length or script, ids
that are prefixes of others, many topics sharing a due time), the fallback for ids that
are not strings, and both ways of taking percentiles across many scopes (selection
across long runs, merging of many short ones)."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from datetime import datetime, timedelta
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.calendar import SHANGHAI
from microgov.datasets import meilan_xihu
from microgov.errors import DataFormatError
from microgov.hierarchy import Hierarchy, Level
from microgov.sla import (
    SlaPolicy,
    SlaSummary,
    TopicSla,
    nearest_rank,
    rollup_sla,
    summarize,
    topic_sla,
)
from profiles import examples

MEILAN = meilan_xihu()
POLICY = SlaPolicy(category_targets={"safety": timedelta(hours=1)})
NOW = datetime(2026, 12, 20, 12, tzinfo=SHANGHAI)
START = datetime(2026, 11, 2, tzinfo=SHANGHAI)  # a Monday


@attrs.frozen(kw_only=True)
class Post:
    """A topic as the SLA reads it; ``id`` may be any value, as a caller may pass."""

    id: Hashable
    scope: object = "area-01"
    category: object = "parking"
    raised_at: datetime
    first_response_at: datetime | None = None


def naive(topics: Sequence[Post], hierarchy: Hierarchy | None) -> dict[str | None, object]:
    """Per topic ``topic_sla``; each figure pushed to its scope and every ancestor."""
    per_node: dict[str | None, list[TopicSla]] = {}
    for topic in topics:
        s = topic_sla(topic, POLICY, now=NOW)  # type: ignore[arg-type]
        nodes: list[str | None] = [None]
        if hierarchy is not None:
            scope = str(topic.scope)
            nodes = [scope, *(n.id for n in hierarchy.ancestors(scope))]
        for node in nodes:
            per_node.setdefault(node, []).append(s)
    out: dict[str | None, object] = {}
    for node, figures in per_node.items():
        times = sorted(f.response_time for f in figures if f.response_time is not None)
        total = sum(times, timedelta(0))
        late = sorted((f.due_at, f.topic_id) for f in figures if f.overdue)
        out[node] = (
            len(figures),
            len(times),
            total,
            total / len(times) if times else None,
            nearest_rank(times, Fraction(1, 2)) if times else None,
            nearest_rank(times, Fraction(9, 10)) if times else None,
            sum(1 for f in figures if f.within),
            sum(1 for f in figures if f.within is not None),
            sum(1 for f in figures if f.answered_before_next_patrol),
            tuple(i for _, i in late),
        )
    return out


def fast(s: SlaSummary) -> object:
    return (
        s.count,
        s.answered,
        s.total_response,
        s.mean,
        s.median,
        s.p90,
        s.within,
        s.decided,
        s.answered_before_next_patrol,
        s.overdue,
    )


def assert_same(topics: Sequence[Post], hierarchy: Hierarchy = MEILAN) -> None:
    expected = naive(topics, hierarchy)
    rollup = rollup_sla(hierarchy, topics, POLICY, now=NOW)  # type: ignore[arg-type]
    assert {node: fast(s) for node, s in rollup.summaries.items()} == expected
    whole = naive(topics, None).get(None, (0, 0, timedelta(0), None, None, None, 0, 0, 0, ()))
    assert fast(summarize(topics, POLICY, now=NOW)) == whole  # type: ignore[arg-type]


def posts(rng: random.Random, n: int, scopes: Sequence[str], ids: Sequence[Hashable]) -> list[Post]:
    """Posts, most made outside patrol windows (so that many share a due time)."""
    out: list[Post] = []
    for i in range(n):
        day = START + timedelta(days=rng.randrange(40))
        raised = day + timedelta(hours=rng.choice([1, 7, 10, 12, 15, 19, 22, 9]))
        raised += timedelta(microseconds=rng.choice([0, 0, 0, 1, 999_999]))
        kind = rng.random()
        answer = (
            None
            if kind < 0.3
            else raised + timedelta(minutes=rng.randrange(0, 3 * 24 * 60), microseconds=kind > 0.9)
        )
        out.append(
            Post(
                id=ids[i],
                scope=rng.choice(scopes),
                category=rng.choice(["safety", "parking"]),
                raised_at=raised,
                first_response_at=answer,
            )
        )
    return out


GRIDS = [n.id for n in MEILAN.nodes_at(Level.MICRO_GRID)]
GROUPS = [n.id for n in MEILAN.nodes_at(Level.BUILDING_GROUP)]
AREAS = [n.id for n in MEILAN.nodes_at(Level.RESIDENTIAL_AREA)]


def test_ids_that_are_prefixes_of_each_other_and_in_any_script() -> None:
    rng = random.Random(5)
    ids = ["t1", "t10", "t1a", "t", "t2", "议题-3", "议题", "z", "", "Ω", "t1 ", "t\x00"] * 1
    ids += [f"{rng.choice(['t', '议', 'a'])}{k}" for k in range(300)]
    assert_same(posts(rng, len(ids), ["area-01", "grid-01-1", "area-02"], ids))


def test_many_topics_share_a_due_time_across_scopes() -> None:
    rng = random.Random(6)
    ids = [f"t{k}" for k in rng.sample(range(10**6), 600)]
    assert_same(posts(rng, 600, AREAS[:4] + GRIDS[:6] + GROUPS[:6], ids))


def test_ids_that_are_not_strings_are_ordered_as_values() -> None:
    rng = random.Random(7)
    ids = rng.sample(range(-500, 5000), 400)  # ints: 9 < 10, not "10" < "9"
    assert_same(posts(rng, 400, AREAS[:3] + GRIDS[:3], ids))


def test_many_short_runs_are_merged_and_long_runs_selected_across() -> None:
    rng = random.Random(8)
    short = posts(rng, 300, GROUPS, [f"s{k}" for k in range(300)])  # ~1 answered per scope
    assert_same(short)
    long_scopes = (GRIDS + GROUPS)[:70]  # 70 scopes × ~70 answered: selection, no merge
    ids = [f"l{k}" for k in range(70 * 100)]
    assert_same(posts(rng, len(ids), long_scopes, ids))


@settings(max_examples=examples(30), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=4),
            st.sampled_from(["area-01", "grid-01-1", "bg-01-1-01"]),
            st.integers(0, 30 * 24),
            st.sampled_from([None, 0, 30, 180, 600, 3000]),
        ),
        max_size=30,
    )
)
def test_any_text_ids(rows: list[tuple[str, str, int, int | None]]) -> None:
    topics = [
        Post(
            id=topic_id,
            scope=scope,
            raised_at=START + timedelta(hours=hours),
            first_response_at=None
            if minutes is None
            else START + timedelta(hours=hours, minutes=minutes),
        )
        for topic_id, scope, hours, minutes in rows
    ]
    assert_same(topics)


def test_errors_with_ids_that_are_not_strings_come_in_input_order() -> None:
    at = START + timedelta(hours=1)
    late = Post(id=1, raised_at=at)  # overdue: its key cannot be text
    before = Post(id=2, raised_at=at, first_response_at=at - timedelta(seconds=1))
    with pytest.raises(DataFormatError) as caught:
        summarize([late, before], POLICY, now=NOW)  # type: ignore[list-item]
    assert caught.value.code == "sla.response_before_post"
    unhashable = Post(id=3, scope=["area-01"], raised_at=at)
    with pytest.raises(DataFormatError) as caught:
        summarize([late, unhashable, before], POLICY, now=NOW)  # type: ignore[list-item]
    assert caught.value.code == "sla.bad_topic"
    assert "3" in str(caught.value)
