"""The patrol schedule (一日三巡): windows, patrol days, the patrol a post waits for."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from microgov.calendar import SHANGHAI, WorkCalendar
from microgov.errors import CalendarError, PolicyError
from microgov.sla import DEFAULT_WINDOWS, Patrol, PatrolSchedule, PatrolWindow

SCHEDULE = PatrolSchedule()
EVERY_DAY = PatrolSchedule(working_days_only=False)


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=SHANGHAI)


def test_default_windows_are_three_patrols_a_day() -> None:
    assert [str(w) for w in DEFAULT_WINDOWS] == ["08:30–09:30", "13:30–14:30", "17:00–18:00"]
    assert SCHEDULE.windows == DEFAULT_WINDOWS
    assert SCHEDULE.working_days_only is True
    assert SCHEDULE.zone is SHANGHAI


def test_patrols_run_on_make_up_working_days_and_not_on_holidays() -> None:
    for make_up in (date(2026, 2, 14), date(2026, 2, 28), date(2026, 10, 10)):
        assert len(SCHEDULE.patrols_on(make_up)) == 3, make_up
    for day_off in (date(2026, 2, 15), date(2026, 2, 23), date(2026, 10, 1), date(2026, 10, 7)):
        assert SCHEDULE.patrols_on(day_off) == (), day_off
    assert SCHEDULE.patrols_on(date(2026, 10, 11)) == ()  # an ordinary Sunday
    assert len(EVERY_DAY.patrols_on(date(2026, 10, 1))) == 3


def test_patrols_on_gives_aware_bounds_in_the_zone() -> None:
    first, second, third = SCHEDULE.patrols_on(date(2026, 10, 10))
    assert first == Patrol(
        day=date(2026, 10, 10), number=1, start=sh(2026, 10, 10, 8, 30), end=sh(2026, 10, 10, 9, 30)
    )
    assert (second.number, second.start, second.end) == (
        2,
        sh(2026, 10, 10, 13, 30),
        sh(2026, 10, 10, 14, 30),
    )
    assert third.start == sh(2026, 10, 10, 17)


@pytest.mark.parametrize(
    ("posted", "expected_start"),
    [
        # 23:50 on the eve of National Day: 10-01…10-07 are off, 10-08 is a Thursday.
        (sh(2026, 9, 30, 23, 50), sh(2026, 10, 8, 8, 30)),
        # During a window: the patrol in progress.
        (sh(2026, 10, 12, 13, 45), sh(2026, 10, 12, 13, 30)),
        (sh(2026, 10, 12, 8, 30), sh(2026, 10, 12, 8, 30)),  # at the start: in it
        (sh(2026, 10, 12, 9, 30), sh(2026, 10, 12, 13, 30)),  # at the end: the next
        (sh(2026, 10, 12, 9, 29, 59, 999999), sh(2026, 10, 12, 8, 30)),
        # Friday evening before the Saturday make-up working day 10-10.
        (sh(2026, 10, 9, 18, 30), sh(2026, 10, 10, 8, 30)),
        # Saturday 10-10 (make-up) after the last patrol: Sunday is off, Monday 10-12.
        (sh(2026, 10, 10, 18, 5), sh(2026, 10, 12, 8, 30)),
        # Spring Festival: 02-14 (Sat) works, 02-15…02-23 off, 02-24 (Tue) works.
        (sh(2026, 2, 13, 20), sh(2026, 2, 14, 8, 30)),
        (sh(2026, 2, 14, 18), sh(2026, 2, 24, 8, 30)),
    ],
)
def test_patrol_for(posted: datetime, expected_start: datetime) -> None:
    patrol = SCHEDULE.patrol_for(posted)
    assert patrol.start == expected_start
    assert patrol.end == expected_start + timedelta(hours=1)


def test_patrol_for_every_day_ignores_days_off() -> None:
    assert EVERY_DAY.patrol_for(sh(2026, 9, 30, 23, 50)).start == sh(2026, 10, 1, 8, 30)


def test_patrol_for_reads_any_zone() -> None:
    # 2026-09-30 15:50 UTC is 23:50 in Shanghai.
    posted = datetime(2026, 9, 30, 15, 50, tzinfo=UTC)
    assert SCHEDULE.patrol_for(posted).start == sh(2026, 10, 8, 8, 30)


def test_next_patrol() -> None:
    first, second, third = SCHEDULE.patrols_on(date(2026, 9, 30))
    assert SCHEDULE.next_patrol(first) == second
    assert SCHEDULE.next_patrol(second) == third
    assert SCHEDULE.next_patrol(third).start == sh(2026, 10, 8, 8, 30)


def test_2027_is_not_guessed() -> None:
    # The last patrol of 2026 is on Thursday 12-31; what follows needs the 2027 schedule.
    last = SCHEDULE.patrols_on(date(2026, 12, 31))[-1]
    with pytest.raises(CalendarError) as info:
        SCHEDULE.next_patrol(last)
    assert info.value.code == "calendar.not_covered"
    assert info.value.details["year"] == 2027
    with pytest.raises(CalendarError):
        SCHEDULE.patrol_for(sh(2026, 12, 31, 18, 30))
    # Every-day patrols need no calendar data.
    assert EVERY_DAY.patrol_for(sh(2026, 12, 31, 18, 30)).start == sh(2027, 1, 1, 8, 30)
    # A town that supplies 2027 gets its patrols.
    town = PatrolSchedule(calendar=WorkCalendar(covered_years={2027}))
    assert town.patrol_for(sh(2026, 12, 31, 18, 30)).start == sh(2027, 1, 1, 8, 30)


def test_naive_post_time_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        SCHEDULE.patrol_for(datetime(2026, 10, 12, 9))
    assert info.value.code == "time.not_aware"
    assert "时区" in info.value.message_zh


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"windows": ()}, "sla.bad_schedule"),
        ({"windows": "08:30"}, "sla.bad_schedule"),
        ({"windows": (time(8),)}, "sla.bad_schedule"),
        (
            {
                "windows": (
                    PatrolWindow(start=time(13), end=time(14)),
                    PatrolWindow(start=time(8), end=time(9)),
                )
            },
            "sla.bad_schedule",
        ),
        (
            {
                "windows": (
                    PatrolWindow(start=time(8), end=time(10)),
                    PatrolWindow(start=time(9), end=time(11)),
                )
            },
            "sla.bad_schedule",
        ),
        ({"working_days_only": 1}, "sla.bad_schedule"),
        ({"calendar": "cn"}, "sla.bad_schedule"),
    ],
)
def test_bad_schedules_are_refused(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(PolicyError) as info:
        PatrolSchedule(**kwargs)  # type: ignore[arg-type]
    assert info.value.code == code


def test_bad_windows_are_refused() -> None:
    with pytest.raises(PolicyError, match="must end after it starts"):
        PatrolWindow(start=time(10), end=time(9))
    with pytest.raises(PolicyError) as info:
        PatrolWindow(start=time(8, tzinfo=SHANGHAI), end=time(9))
    assert info.value.code == "sla.bad_window"
    with pytest.raises(PolicyError):
        PatrolWindow(start="08:30", end=time(9))  # type: ignore[arg-type]


def test_adjacent_windows_are_allowed() -> None:
    s = PatrolSchedule(
        windows=[
            PatrolWindow(start=time(8), end=time(9)),
            PatrolWindow(start=time(9), end=time(10)),
        ]
    )
    assert s.patrol_for(sh(2026, 10, 12, 9)).number == 2


def test_a_schedule_in_another_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    s = PatrolSchedule(calendar=WorkCalendar(zone=berlin))
    patrol = s.patrol_for(datetime(2026, 10, 12, 7, 0, tzinfo=berlin))
    assert patrol.start == datetime(2026, 10, 12, 8, 30, tzinfo=berlin)
