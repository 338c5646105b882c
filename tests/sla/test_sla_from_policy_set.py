"""SlaPolicy.from_policy_set: the SLA a policy set sets gives the same figures as by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import attrs
import pytest

from microgov.calendar import SHANGHAI, default_calendar
from microgov.errors import PolicyError
from microgov.hierarchy import Hierarchy, Level, Node
from microgov.policy import PolicyBook, PolicyOverride, PolicySet
from microgov.sla import (
    AVERAGE_RESPONSE_CITATION,
    DEFAULT_WINDOWS,
    FOUR_HOURS,
    PatrolSchedule,
    PatrolWindow,
    SlaPolicy,
    topic_sla,
)


@attrs.frozen(kw_only=True)
class Post:
    """A minimal topic satisfying SlaTopic."""

    id: str = "t1"
    scope: str = "g1"
    category: str = "parking"
    raised_at: datetime
    first_response_at: datetime | None = None


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


def test_policy_set_defaults_are_the_sla_defaults() -> None:
    ps = PolicySet()
    assert tuple(PatrolWindow(start=s, end=e) for s, e in ps.patrol_windows) == DEFAULT_WINDOWS
    assert ps.patrols_on_working_days_only is PatrolSchedule().working_days_only
    assert ps.response_target == FOUR_HOURS == SlaPolicy().target
    assert dict(ps.category_targets) == dict(SlaPolicy().category_targets) == {}


def test_from_the_default_set_only_the_ranking_sample_differs() -> None:
    p = SlaPolicy.from_policy_set(PolicySet())
    assert p == SlaPolicy(min_sample=10)
    assert p.schedule == PatrolSchedule()
    assert p.target == p.within == FOUR_HOURS
    assert p.citation is AVERAGE_RESPONSE_CITATION
    assert not p.citation.verified


def test_ranking_sample_zero_is_one() -> None:
    assert SlaPolicy.from_policy_set(PolicySet(ranking_min_sample=0)).min_sample == 1
    assert SlaPolicy.from_policy_set(PolicySet(ranking_min_sample=30)).min_sample == 30


def test_the_calendar_is_passed_on() -> None:
    cal = default_calendar()
    assert SlaPolicy.from_policy_set(PolicySet(), calendar=cal).schedule.calendar is cal


def test_bad_arguments() -> None:
    with pytest.raises(PolicyError) as err:
        SlaPolicy.from_policy_set(SlaPolicy())  # type: ignore[arg-type]
    assert err.value.code == "sla.bad_policy_set"
    assert err.value.message_zh
    with pytest.raises(PolicyError) as err:
        SlaPolicy.from_policy_set(PolicySet(), calendar="cn")  # type: ignore[arg-type]
    assert err.value.code == "sla.bad_schedule"


# --- a hand-checked topic ------------------------------------------------------------------
#
# Policy: patrols 09:00–10:00 and 16:00–17:00 every day (holidays included); target
# 120 minutes, "safety" 60 minutes; ranking sample 5.
#
# A post at 12:00 on National Day 2026-10-01 (a day off) waits for the 16:00 patrol that
# same day (patrols run every day): clock start 16:00; a parking topic is due 18:00, a
# safety topic 17:00.  Answered at 17:30: 5 h 30 min after the post; the parking topic is
# on time, the safety topic overdue; both answered before the next patrol (10-02 09:00)
# and neither within 4 hours.  Under the defaults (working days only, 4 h) the same post
# waits for 2026-10-08 08:30 and is due 12:30 that day.

HAND = PolicySet(
    patrol_windows=((time(9), time(10)), (time(16), time(17))),
    patrols_on_working_days_only=False,
    response_target=timedelta(minutes=120),
    category_targets={"safety": timedelta(minutes=60)},
    ranking_min_sample=5,
)
BY_HAND = SlaPolicy(
    schedule=PatrolSchedule(
        windows=(
            PatrolWindow(start=time(9), end=time(10)),
            PatrolWindow(start=time(16), end=time(17)),
        ),
        working_days_only=False,
    ),
    target=timedelta(hours=2),
    category_targets={"safety": timedelta(hours=1)},
    min_sample=5,
)


def test_from_policy_set_equals_the_hand_built_policy() -> None:
    assert SlaPolicy.from_policy_set(HAND) == BY_HAND


@pytest.mark.parametrize(
    ("category", "due", "overdue"),
    [("parking", sh(2026, 10, 1, 18), False), ("safety", sh(2026, 10, 1, 17), True)],
)
def test_hand_checked_topic(category: str, due: datetime, overdue: bool) -> None:
    post = Post(
        category=category, raised_at=sh(2026, 10, 1, 12), first_response_at=sh(2026, 10, 1, 17, 30)
    )
    now = sh(2026, 10, 2)
    got = topic_sla(post, SlaPolicy.from_policy_set(HAND), now=now)
    assert got == topic_sla(post, BY_HAND, now=now)
    assert got.patrol.start == sh(2026, 10, 1, 16)
    assert got.next_patrol.start == sh(2026, 10, 2, 9)
    assert got.clock_start == sh(2026, 10, 1, 16)
    assert got.due_at == due
    assert got.overdue is overdue
    assert got.response_time == timedelta(hours=5, minutes=30)
    assert got.answered_before_next_patrol is True
    assert got.within is False


def test_the_same_post_under_the_defaults() -> None:
    post = Post(raised_at=sh(2026, 10, 1, 12))
    got = topic_sla(post, SlaPolicy.from_policy_set(PolicySet()), now=sh(2026, 10, 9))
    assert got == topic_sla(post, SlaPolicy(), now=sh(2026, 10, 9))
    assert (got.patrol.start, got.due_at) == (sh(2026, 10, 8, 8, 30), sh(2026, 10, 8, 12, 30))
    assert got.overdue is True


def test_a_grid_override_gives_that_grid_its_own_patrols() -> None:
    h = Hierarchy(
        [
            Node(id="town", level=Level.TOWN, name="罗店镇"),
            Node(id="a1", level=Level.RESIDENTIAL_AREA, name="一", parent="town"),
            Node(id="g1", level=Level.MICRO_GRID, name="一网格", parent="a1"),
            Node(id="g2", level=Level.MICRO_GRID, name="二网格", parent="a1"),
        ]
    )
    book = PolicyBook().add(
        "g1",
        date(2026, 1, 1),
        PolicyOverride(
            patrol_windows=((time(9), time(10)), (time(16), time(17))),
            patrols_on_working_days_only=False,
        ),
    )
    on = date(2026, 10, 1)
    g1 = SlaPolicy.from_policy_set(book.resolve(h, "g1", on))
    g2 = SlaPolicy.from_policy_set(book.resolve(h, "g2", on))
    post_g1 = Post(scope="g1", raised_at=sh(2026, 10, 1, 12))
    post_g2 = Post(scope="g2", raised_at=sh(2026, 10, 1, 12))
    now = sh(2026, 10, 9)
    assert topic_sla(post_g1, g1, now=now).due_at == sh(2026, 10, 1, 20)  # 16:00 + 4 h
    assert topic_sla(post_g2, g2, now=now).due_at == sh(2026, 10, 8, 12, 30)  # defaults
