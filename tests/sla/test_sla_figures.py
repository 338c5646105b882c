"""One topic's SLA figures, pinned on hand-checked cases, and the errors for bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

import attrs
import pytest

from microgov.calendar import SHANGHAI
from microgov.errors import CalendarError, DataFormatError, MicrogovError, PolicyError
from microgov.sla import (
    AVERAGE_RESPONSE_CITATION,
    FOUR_HOURS,
    PatrolSchedule,
    SlaPolicy,
    SlaTopic,
    nearest_rank,
    topic_sla,
)


@attrs.frozen(kw_only=True)
class Post:
    """A minimal topic satisfying :class:`SlaTopic`."""

    id: str = "t1"
    scope: str = "area-01"
    category: str = "parking"
    raised_at: datetime
    first_response_at: datetime | None = None


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=SHANGHAI)


def test_post_satisfies_the_protocol() -> None:
    post: SlaTopic = Post(raised_at=sh(2026, 10, 12, 9))
    assert post.first_response_at is None


# --- hand-checked cases -------------------------------------------------------------------


def test_post_at_23_50_before_national_day() -> None:
    # 2026-09-30 (Wed) 23:50; 10-01…10-07 are days off; the first patrol is 10-08 08:30.
    post = Post(raised_at=sh(2026, 9, 30, 23, 50), first_response_at=sh(2026, 10, 8, 9, 10))
    s = topic_sla(post, now=sh(2026, 10, 9))
    assert s.patrol.day == date(2026, 10, 8)
    assert s.patrol.number == 1
    assert s.clock_start == sh(2026, 10, 8, 8, 30)
    assert s.due_at == sh(2026, 10, 8, 12, 30)
    assert s.next_patrol.start == sh(2026, 10, 8, 13, 30)
    assert s.response_time == timedelta(days=7, hours=9, minutes=20)
    assert s.overdue is False
    assert s.answered_before_next_patrol is True
    assert s.within is False  # more than 4 hours after the post itself
    assert s.answered is True


def test_post_at_23_50_before_national_day_unanswered() -> None:
    post = Post(raised_at=sh(2026, 9, 30, 23, 50))
    # Nobody patrols during the holiday: not overdue on 10-07, nor at 10-08 12:30 exactly.
    assert topic_sla(post, now=sh(2026, 10, 7, 23, 59)).overdue is False
    assert topic_sla(post, now=sh(2026, 10, 8, 12, 30)).overdue is False
    late = topic_sla(post, now=sh(2026, 10, 8, 12, 30, 0, 1))
    assert late.overdue is True
    assert late.response_time is None
    assert late.answered_before_next_patrol is None
    assert late.within is False


def test_post_at_23_50_every_day_patrols() -> None:
    policy = SlaPolicy(schedule=PatrolSchedule(working_days_only=False))
    s = topic_sla(Post(raised_at=sh(2026, 9, 30, 23, 50)), policy, now=sh(2026, 10, 2))
    assert s.patrol.start == sh(2026, 10, 1, 8, 30)
    assert s.due_at == sh(2026, 10, 1, 12, 30)
    assert s.overdue is True


def test_post_during_a_patrol_window() -> None:
    # Monday 2026-10-12 13:45, during the 13:30–14:30 patrol: the clock starts at the post.
    raised = sh(2026, 10, 12, 13, 45)
    on_time = topic_sla(
        Post(raised_at=raised, first_response_at=sh(2026, 10, 12, 17, 45)), now=sh(2026, 10, 13)
    )
    assert on_time.patrol.number == 2
    assert on_time.clock_start == raised
    assert on_time.due_at == sh(2026, 10, 12, 17, 45)
    assert on_time.overdue is False  # answered exactly at the due time
    assert on_time.within is True  # exactly 4 hours
    assert on_time.answered_before_next_patrol is False  # the 17:00 patrol had started
    late = topic_sla(
        Post(raised_at=raised, first_response_at=sh(2026, 10, 12, 17, 45, 0, 1)),
        now=sh(2026, 10, 13),
    )
    assert late.overdue is True
    assert late.within is False


def test_make_up_working_day_2026_10_10() -> None:
    # Friday 10-09 18:30: the next patrol is on Saturday 10-10, a make-up working day.
    s = topic_sla(Post(raised_at=sh(2026, 10, 9, 18, 30)), now=sh(2026, 10, 10, 12))
    assert s.patrol.start == sh(2026, 10, 10, 8, 30)
    assert s.due_at == sh(2026, 10, 10, 12, 30)
    assert s.overdue is False
    assert s.within is False  # unanswered 17.5 h after the post: the 4 h have lapsed
    # Saturday 10-10 18:05: Sunday 10-11 is off, so the topic waits for Monday 10-12.
    s = topic_sla(Post(raised_at=sh(2026, 10, 10, 18, 5)), now=sh(2026, 10, 12, 12, 30))
    assert s.patrol.start == sh(2026, 10, 12, 8, 30)
    assert s.due_at == sh(2026, 10, 12, 12, 30)
    assert s.overdue is False


def test_make_up_working_day_before_spring_festival() -> None:
    # Saturday 02-14 works; 02-15…02-23 off. A post at 02-14 18:00 waits for 02-24.
    s = topic_sla(Post(raised_at=sh(2026, 2, 14, 18)), now=sh(2026, 2, 24, 12))
    assert s.patrol.start == sh(2026, 2, 24, 8, 30)
    assert s.due_at == sh(2026, 2, 24, 12, 30)
    assert s.overdue is False


def test_answered_before_the_next_patrol() -> None:
    # Monday 10:00, between patrols: waits for 13:30; the next patrol starts at 17:00.
    raised = sh(2026, 10, 12, 10)
    early = topic_sla(
        Post(raised_at=raised, first_response_at=sh(2026, 10, 12, 16, 59)), now=sh(2026, 10, 13)
    )
    assert early.clock_start == sh(2026, 10, 12, 13, 30)
    assert early.due_at == sh(2026, 10, 12, 17, 30)
    assert early.next_patrol.start == sh(2026, 10, 12, 17)
    assert early.answered_before_next_patrol is True
    assert early.response_time == timedelta(hours=6, minutes=59)
    assert early.overdue is False
    at_next = topic_sla(
        Post(raised_at=raised, first_response_at=sh(2026, 10, 12, 17)), now=sh(2026, 10, 13)
    )
    assert at_next.answered_before_next_patrol is False
    # Answered before its own patrol even began.
    before = topic_sla(
        Post(raised_at=raised, first_response_at=sh(2026, 10, 12, 10, 5)), now=sh(2026, 10, 13)
    )
    assert before.answered_before_next_patrol is True
    assert before.within is True


def test_category_targets() -> None:
    policy = SlaPolicy(category_targets={"safety": timedelta(hours=1)})
    raised = sh(2026, 10, 12, 8)
    s = topic_sla(Post(category="safety", raised_at=raised), policy, now=sh(2026, 10, 12, 9, 31))
    assert s.target == timedelta(hours=1)
    assert s.due_at == sh(2026, 10, 12, 9, 30)
    assert s.overdue is True
    other = topic_sla(Post(raised_at=raised), policy, now=sh(2026, 10, 12, 9, 31))
    assert other.target == FOUR_HOURS
    assert other.overdue is False


def test_a_response_after_now_is_not_known_yet() -> None:
    post = Post(raised_at=sh(2026, 10, 12, 8), first_response_at=sh(2026, 10, 12, 15))
    s = topic_sla(post, now=sh(2026, 10, 12, 13))
    assert s.first_response_at is None
    assert s.response_time is None
    assert s.overdue is True  # due 12:30, unanswered at 13:00
    assert s.within is False  # 5 h after the post


def test_within_is_undecided_while_the_threshold_runs() -> None:
    s = topic_sla(Post(raised_at=sh(2026, 10, 12, 8)), now=sh(2026, 10, 12, 12))
    assert s.within is None
    assert (
        topic_sla(Post(raised_at=sh(2026, 10, 12, 8)), now=sh(2026, 10, 12, 12, 0, 0, 1)).within
        is False
    )


def test_a_response_at_the_post_instant_is_allowed() -> None:
    raised = sh(2026, 10, 12, 8)
    s = topic_sla(Post(raised_at=raised, first_response_at=raised), now=raised)
    assert s.response_time == timedelta(0)
    assert s.overdue is False


def test_other_zones_give_the_same_figures() -> None:
    a = topic_sla(
        Post(raised_at=sh(2026, 9, 30, 23, 50), first_response_at=sh(2026, 10, 8, 9, 10)),
        now=sh(2026, 10, 9),
    )
    utc8 = timezone(timedelta(hours=8))
    b = topic_sla(
        Post(
            raised_at=datetime(2026, 9, 30, 15, 50, tzinfo=UTC),
            first_response_at=datetime(2026, 10, 8, 9, 10, tzinfo=utc8),
        ),
        now=datetime(2026, 10, 8, 16, tzinfo=UTC),
    )
    assert (a.patrol, a.due_at, a.response_time, a.overdue) == (
        b.patrol,
        b.due_at,
        b.response_time,
        b.overdue,
    )


def test_the_four_hours_are_the_communitys_average_not_a_law() -> None:
    policy = SlaPolicy()
    assert policy.target == policy.within == timedelta(hours=4)
    assert policy.citation is AVERAGE_RESPONSE_CITATION
    assert AVERAGE_RESPONSE_CITATION.verified is False
    assert "not a law" in (AVERAGE_RESPONSE_CITATION.note or "")


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["raised_at", "first_response_at"])
def test_naive_topic_times_are_refused(field: str) -> None:
    times = {"raised_at": sh(2026, 10, 12, 8), "first_response_at": sh(2026, 10, 12, 9)}
    times[field] = times[field].replace(tzinfo=None)
    with pytest.raises(DataFormatError) as info:
        topic_sla(Post(id="t9", **times), now=sh(2026, 10, 13))  # type: ignore[arg-type]
    err = info.value
    assert err.code == "time.not_aware"
    assert err.details == {"topic_id": "t9", "field": field, "reason": "naive"}
    assert "t9" in err.message_en
    assert "时区" in err.message_zh


def test_a_topic_time_that_is_not_a_datetime_is_refused() -> None:
    with pytest.raises(DataFormatError) as info:
        topic_sla(Post(raised_at=date(2026, 10, 12)), now=sh(2026, 10, 13))  # type: ignore[arg-type]
    assert info.value.code == "time.not_aware"


def test_a_response_before_the_post_is_refused() -> None:
    post = Post(id="t3", raised_at=sh(2026, 10, 12, 9), first_response_at=sh(2026, 10, 12, 8, 59))
    with pytest.raises(DataFormatError) as info:
        topic_sla(post, now=sh(2026, 10, 13))
    assert info.value.code == "sla.response_before_post"
    assert info.value.details["topic_id"] == "t3"
    assert isinstance(info.value, MicrogovError)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        topic_sla(Post(raised_at=sh(2026, 10, 12, 8)), now=datetime(2026, 10, 13))
    assert info.value.code == "time.not_aware"


def test_now_before_the_post_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        topic_sla(Post(raised_at=sh(2026, 10, 12, 8)), now=sh(2026, 10, 12, 7))
    assert info.value.code == "sla.now_before_post"


def test_a_post_needing_2027_patrols_raises_calendar_error() -> None:
    with pytest.raises(CalendarError) as info:
        topic_sla(Post(raised_at=sh(2026, 12, 31, 18, 30)), now=sh(2027, 1, 1))
    assert info.value.details["year"] == 2027


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"target": timedelta(0)}, "sla.bad_target"),
        ({"target": 4}, "sla.bad_target"),
        ({"within": timedelta(hours=-1)}, "sla.bad_target"),
        ({"category_targets": {"x": timedelta(0)}}, "sla.bad_target"),
        ({"category_targets": {1: timedelta(hours=1)}}, "sla.bad_target"),
        ({"category_targets": [("x", timedelta(hours=1))]}, "sla.bad_target"),
        ({"min_sample": 0}, "sla.bad_min_sample"),
        ({"min_sample": True}, "sla.bad_min_sample"),
        ({"schedule": None}, "sla.bad_schedule"),
    ],
)
def test_bad_policies_are_refused(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(PolicyError) as info:
        SlaPolicy(**kwargs)  # type: ignore[arg-type]
    assert info.value.code == code


def test_policies_are_values() -> None:
    a = SlaPolicy(category_targets={"safety": timedelta(hours=1)})
    b = SlaPolicy(category_targets={"safety": timedelta(hours=1)})
    assert a == b
    assert hash(a) == hash(b)
    with pytest.raises(TypeError):
        a.category_targets["x"] = timedelta(hours=2)  # type: ignore[index]


# --- nearest rank -------------------------------------------------------------------------


def test_nearest_rank() -> None:
    values = list(range(1, 11))
    assert nearest_rank(values, Fraction(1, 2)) == 5  # the lower median
    assert nearest_rank(values, Fraction(9, 10)) == 9
    assert nearest_rank(values, Fraction(91, 100)) == 10
    assert nearest_rank(values, 1) == 10
    assert nearest_rank([1, 2, 3], Fraction(1, 2)) == 2
    assert nearest_rank([timedelta(hours=1)], Fraction(1, 100)) == timedelta(hours=1)
    for bad in (Fraction(0), Fraction(11, 10), 0.5):
        with pytest.raises(PolicyError):
            nearest_rank(values, bad)  # type: ignore[arg-type]
    with pytest.raises(PolicyError):
        nearest_rank([], Fraction(1, 2))
