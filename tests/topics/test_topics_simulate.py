"""The simulated year of topics: deterministic, realistic in shape, valid topic by topic."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from functools import cache

import pytest
from _topics_world import SH, H

from microgov.calendar import default_calendar
from microgov.errors import CalendarError, HierarchyError, PolicyError
from microgov.hierarchy import Hierarchy, Level, Node
from microgov.simulation import PATROLS_REST_DAY, PATROLS_WORKING_DAY, simulate_topics
from microgov.simulation._topics import _Clock
from microgov.topics import AuthorKind, Topic, topics_by_project

CAL = default_calendar()


@cache
def year() -> tuple[Topic, ...]:
    return simulate_topics(H, seed=2026, year=2026)


def test_deterministic_and_seeded() -> None:
    assert simulate_topics(H, seed=2026, year=2026, volume=300) == simulate_topics(
        H, seed=2026, year=2026, volume=300
    )
    assert simulate_topics(H, seed=1, year=2026, volume=300) != simulate_topics(
        H, seed=2, year=2026, volume=300
    )
    assert simulate_topics(H, seed=1, year=2026, volume=0) == ()


def test_some_thousands_over_30_areas_of_different_sizes() -> None:
    topics = year()
    assert 2500 <= len(topics) <= 3500
    per_area = Counter(t.scope for t in topics)
    areas = {n.id for n in H.nodes_at(Level.RESIDENTIAL_AREA)}
    assert set(per_area) == areas
    counts = sorted(per_area.values())
    assert counts[0] < 20
    assert counts[2] < 20
    assert counts[-1] > 120
    assert counts[3] > 50
    assert len({t.id for t in topics}) == len(topics)
    assert [t.raised_at for t in topics] == sorted(t.raised_at for t in topics)


def test_posts_at_all_hours_and_before_days_off() -> None:
    topics = year()
    hours = Counter(t.raised_at.astimezone(SH).hour for t in topics)
    assert set(hours) == set(range(24))
    assert hours[3] < hours[9]
    assert hours[20] > hours[4]
    before_off = [
        t
        for t in topics
        if CAL.is_working_day(t.raised_at.date())
        and t.raised_at.date() < date(2026, 12, 31)
        and not CAL.is_working_day(t.raised_at.date() + timedelta(days=1))
        and t.raised_at.hour >= 22
    ]
    assert len(before_off) > 10
    assert all(t.raised_at.year == 2026 for t in topics)
    end = datetime(2027, 1, 1, tzinfo=SH)
    assert all(t.updated_at < end for t in topics)


def in_patrol(moment: datetime) -> bool:
    local = moment.astimezone(SH)
    windows = PATROLS_WORKING_DAY if CAL.is_working_day(local.date()) else PATROLS_REST_DAY
    return any(a <= local.time() < b for a, b in windows)


def test_answers_come_in_patrols_or_soon_some_late_some_never() -> None:
    topics = year()
    waits = []
    for t in topics:
        first = t.first_response_at
        if first is None:
            continue
        wait = first - t.raised_at
        assert in_patrol(first) or wait <= timedelta(hours=2)
        waits.append(wait)
        # Every answer is acknowledged at the same time, by the same official.
        official = next(r for r in t.responses if r.kind is AuthorKind.OFFICIAL)
        assert t.history[0].command == "acknowledge"
        assert t.history[0].at == first
        assert t.history[0].actor == official.author
    unanswered = len(topics) - len(waits)
    assert 0.03 * len(topics) < unanswered < 0.12 * len(topics)
    within_4h = sum(w <= timedelta(hours=4) for w in waits)
    assert within_4h > 0.5 * len(waits)
    assert sum(w > timedelta(hours=24) for w in waits) > 20  # some answered late
    mean = sum(waits, timedelta()) / len(waits)
    assert timedelta(hours=3) < mean < timedelta(hours=12)


def test_outcomes_resolved_converted_closed_reopened() -> None:
    topics = year()
    states = Counter(t.state for t in topics)
    assert set(states) == {"open", "acknowledged", "in_progress", "resolved", "converted", "closed"}
    assert states["resolved"] > 0.35 * len(topics)
    assert 0.08 * len(topics) < states["converted"] < 0.25 * len(topics)
    reopened = [t for t in topics if any(s.command == "reopen" for s in t.history)]
    assert len(reopened) > 10
    converted = [t for t in topics if t.state == "converted"]
    links = topics_by_project(topics)
    assert len(links) == len(converted)
    assert all(links[t.project_id] == (t.id,) for t in converted if t.project_id)
    assert any(
        r.kind is AuthorKind.RESIDENT and r.author != t.author for t in topics for r in t.responses
    )


def test_every_simulated_topic_is_valid_as_built_from_scratch() -> None:
    for t in year()[::7]:
        again = Topic(
            id=t.id,
            scope=t.scope,
            category=t.category,
            author=t.author,
            raised_at=t.raised_at,
            title=t.title,
            text=t.text,
            responses=t.responses,
            history=t.history,
            project_id=t.project_id,
        )
        assert again == t
        assert again.state == t.state


# -- the patrol clock, hand-checked ---------------------------------------------------


def clock_answer(moment: datetime, *, skip: int = 0) -> datetime | None:
    return _Clock(2026, CAL).on_patrol(moment, random.Random(0), skip=skip)


def sh(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def test_a_post_at_23_50_before_national_day_waits_for_the_holiday_patrol() -> None:
    answer = clock_answer(sh(9, 30, 23, 50))  # Wednesday; 10-01 is a public holiday
    assert answer is not None
    assert answer.date() == date(2026, 10, 1)
    assert time(9, 1) <= answer.time() < time(10, 0)


def test_a_post_during_a_patrol_is_answered_in_that_patrol() -> None:
    answer = clock_answer(sh(3, 2, 8, 20))
    assert answer is not None
    assert sh(3, 2, 8, 21) <= answer < sh(3, 2, 9, 0)
    # Too late in the window (less than 5 minutes left): the next patrol.
    answer = clock_answer(sh(3, 2, 8, 57))
    assert answer is not None
    assert sh(3, 2, 13, 0) <= answer < sh(3, 2, 14, 0)


def test_a_make_up_working_day_has_three_patrols() -> None:
    # Sunday 2026-09-20 is a make-up working day (调休上班): patrols from 08:00.
    answer = clock_answer(sh(9, 19, 22, 0))
    assert answer is not None
    assert sh(9, 20, 8, 0) <= answer < sh(9, 20, 9, 0)
    # An ordinary Sunday has the one rest-day patrol at 09:00.
    answer = clock_answer(sh(9, 12, 22, 0))
    assert answer is not None
    assert sh(9, 13, 9, 0) <= answer < sh(9, 13, 10, 0)


def test_late_answers_skip_patrols_and_nothing_after_the_year() -> None:
    answer = clock_answer(sh(3, 2, 7, 0), skip=2)  # 08:00 and 13:00 missed
    assert answer is not None
    assert sh(3, 2, 17, 0) <= answer < sh(3, 2, 18, 0)
    assert clock_answer(sh(12, 31, 23, 0)) is None


# -- bad input --------------------------------------------------------------------


def test_an_uncovered_year_is_refused() -> None:
    with pytest.raises(CalendarError) as info:
        simulate_topics(H, seed=1, year=2027)
    assert info.value.code == "calendar.not_covered"
    assert info.value.details["year"] == 2027


@pytest.mark.parametrize("volume", [-1, 2.5, True])
def test_a_bad_volume_is_refused(volume: object) -> None:
    with pytest.raises(PolicyError) as info:
        simulate_topics(H, seed=1, year=2026, volume=volume)  # type: ignore[arg-type]
    assert info.value.code == "topic.bad_volume"


def test_a_graph_without_areas_is_refused() -> None:
    town = Hierarchy([Node(id="t", level=Level.TOWN, name="罗店镇")])
    with pytest.raises(HierarchyError) as info:
        simulate_topics(town, seed=1, year=2026)
    assert info.value.code == "topic.no_areas"


def test_a_simulated_year_round_trips_through_open311() -> None:
    from microgov.topics import dumps_open311, loads_open311

    sample = year()[::10]
    assert loads_open311(dumps_open311(sample, hierarchy=H), hierarchy=H) == sample
