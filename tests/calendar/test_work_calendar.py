"""The working-day calendar: 2026 holidays and 调休, coverage, counting, deadlines."""

from __future__ import annotations

import inspect
import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import chinese_calendar  # type: ignore[import-untyped]
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import microgov.calendar
from microgov.calendar import SHANGHAI, WorkCalendar, default_calendar
from microgov.errors import CalendarError, PolicyError
from microgov.policy import Period, PeriodUnit

CAL = default_calendar()
MAKE_UP_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def sh(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def wd(n: int) -> Period:
    return Period(amount=n, unit=PeriodUnit.WORKING_DAYS)


# --- the official 2026 schedule -------------------------------------------------------


def test_spring_festival_2026() -> None:
    assert CAL.is_working_day(date(2026, 2, 13))  # Friday before
    assert CAL.is_working_day(date(2026, 2, 14))  # Saturday, 调休上班
    assert not any(CAL.is_working_day(d) for d in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert CAL.is_working_day(date(2026, 2, 24))  # Tuesday after
    assert CAL.is_working_day(date(2026, 2, 28))  # Saturday, 调休上班
    assert not CAL.is_working_day(date(2026, 3, 1))  # an ordinary Sunday


def test_every_2026_make_up_day_is_a_weekend_working_day() -> None:
    for day in MAKE_UP_2026:
        assert day.weekday() >= 5, day
        assert CAL.is_working_day(day), day
    weekend_working = [d for d in days(date(2026, 1, 1), date(2026, 12, 31)) if d.weekday() >= 5]
    assert [d for d in weekend_working if CAL.is_working_day(d)] == MAKE_UP_2026


def test_national_day_and_mid_autumn_2026() -> None:
    assert not any(CAL.is_working_day(d) for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert not any(CAL.is_working_day(d) for d in days(date(2026, 9, 25), date(2026, 9, 27)))
    assert CAL.is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert CAL.is_working_day(date(2026, 10, 8))
    assert CAL.is_working_day(date(2026, 10, 10))  # Saturday, 调休上班
    assert not CAL.is_working_day(date(2026, 10, 11))


def test_agrees_with_the_data_package_on_every_day_2024_to_2026() -> None:
    for day in days(date(2024, 1, 1), date(2026, 12, 31)):
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day


def test_official_years_and_source() -> None:
    assert 2004 in CAL.official_years
    assert 2026 in CAL.official_years
    assert 2027 not in CAL.official_years
    assert CAL.source == f"chinesecalendar {chinese_calendar.__version__}"


# --- a five-working-day notice started on 2026-02-13 ---------------------------------


def test_five_working_day_notice_over_spring_festival() -> None:
    start = sh(2026, 2, 13, 16, 0)
    # Counted: Sat 02-14 (调休), then 02-24, 25, 26, 27 after the holiday.
    assert CAL.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    end = CAL.deadline(start, wd(5))
    assert end == sh(2026, 2, 28)
    assert end.tzinfo is SHANGHAI
    assert not CAL.elapsed(start, wd(5), end - timedelta(microseconds=1))
    assert CAL.elapsed(start, wd(5), end)
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_calendar_days_deadline_is_midnight_after_the_last_counted_day() -> None:
    start = sh(2026, 2, 13, 23, 59)
    period = Period(amount=5, unit=PeriodUnit.CALENDAR_DAYS)
    assert CAL.deadline(start, period) == sh(2026, 2, 19)
    # Holidays do not matter for calendar days.
    assert CAL.deadline(sh(2026, 9, 30, 8), Period(amount=7, unit=PeriodUnit.CALENDAR_DAYS)) == sh(
        2026, 10, 8
    )


def test_the_start_day_is_the_date_in_the_calendars_zone() -> None:
    # 20:00 UTC on 02-13 is 04:00 on 02-14 in Shanghai: the start day is 02-14.
    start = datetime(2026, 2, 13, 20, 0, tzinfo=UTC)
    one_day = Period(amount=1, unit=PeriodUnit.CALENDAR_DAYS)
    assert CAL.deadline(start, one_day) == sh(2026, 2, 16)
    # One working day after Sat 02-14 is Tue 02-24 (the festival lies between).
    assert CAL.deadline(start, wd(1)) == sh(2026, 2, 25)


def test_zero_periods() -> None:
    start = sh(2026, 2, 15, 10)  # a day off
    assert CAL.deadline(start, Period(amount=0, unit=PeriodUnit.HOURS)) == start
    assert CAL.deadline(start, Period(amount=0, unit=PeriodUnit.CALENDAR_DAYS)) == sh(2026, 2, 16)
    assert CAL.deadline(start, wd(0)) == sh(2026, 2, 16)
    assert CAL.add_working_days(date(2026, 2, 15), 0) == date(2026, 2, 15)


@pytest.mark.parametrize("unit", list(PeriodUnit))
def test_negative_amounts_are_refused_even_past_periods_own_check(unit: PeriodUnit) -> None:
    with attrs.validators.disabled():
        backwards = Period(amount=-1, unit=unit)
    with pytest.raises(PolicyError) as info:
        CAL.deadline(sh(2026, 3, 2, 9), backwards)
    assert info.value.code == "calendar.negative_count"


def test_negative_working_day_count_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        CAL.add_working_days(date(2026, 3, 2), -1)
    assert info.value.code == "calendar.negative_count"


# --- hours ---------------------------------------------------------------------------


def test_hours_across_midnight() -> None:
    start = sh(2026, 2, 13, 22, 30)
    four_hours = Period(amount=4, unit=PeriodUnit.HOURS)
    assert CAL.deadline(start, four_hours) == sh(2026, 2, 14, 2, 30)
    assert CAL.deadline(start, four_hours).tzinfo is SHANGHAI
    assert not CAL.elapsed(start, four_hours, sh(2026, 2, 14, 2, 29, 59))
    assert CAL.elapsed(start, four_hours, sh(2026, 2, 14, 2, 30))


def test_hours_ignore_holidays_and_coverage() -> None:
    # Hours are elapsed time: no calendar data needed, even across into 2027.
    start = sh(2026, 12, 31, 22)
    assert CAL.deadline(start, Period(amount=4, unit=PeriodUnit.HOURS)) == sh(2027, 1, 1, 2)


def test_hours_from_another_zone_are_the_same_instant() -> None:
    start = datetime(2026, 2, 13, 14, 30, tzinfo=UTC)  # 22:30 in Shanghai
    end = CAL.deadline(start, Period(amount=4, unit=PeriodUnit.HOURS))
    assert end == start + timedelta(hours=4)
    assert end.isoformat() == "2026-02-14T02:30:00+08:00"


def test_hours_are_exact_elapsed_time_even_in_a_zone_with_dst() -> None:
    berlin = WorkCalendar(zone=ZoneInfo("Europe/Berlin"))
    start = datetime(2026, 3, 28, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # DST starts 03-29
    end = berlin.deadline(start, Period(amount=24, unit=PeriodUnit.HOURS))
    assert end.isoformat() == "2026-03-29T13:00:00+02:00"
    # (Python subtracts same-zone datetimes by wall clock; compare as UTC instants.)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)


def test_shanghai_has_no_daylight_saving_time() -> None:
    for day in days(date(2024, 1, 1), date(2026, 12, 31)):
        for hour in (0, 2, 12):
            moment = sh(day.year, day.month, day.day, hour)
            assert moment.utcoffset() == timedelta(hours=8)
            assert moment.dst() == timedelta(0)
    # So 24 hours from a midnight is exactly the next midnight.
    start = sh(2026, 3, 8)
    assert CAL.deadline(start, Period(amount=24, unit=PeriodUnit.HOURS)) == sh(2026, 3, 9)


# --- naive datetimes -------------------------------------------------------------------


def test_naive_start_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        CAL.deadline(datetime(2026, 2, 13, 9), wd(5))
    assert info.value.code == "time.not_aware"
    assert not isinstance(info.value, CalendarError)
    assert "time zone" in info.value.message_en
    assert "时区" in info.value.message_zh


def test_naive_now_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        CAL.elapsed(sh(2026, 2, 13, 9), wd(5), datetime(2026, 3, 1))
    assert info.value.code == "time.not_aware"
    assert info.value.details["argument"] == "now"


def test_a_date_is_not_a_start_instant() -> None:
    with pytest.raises(PolicyError) as info:
        CAL.deadline(date(2026, 2, 13), wd(5))  # type: ignore[arg-type]
    assert info.value.code == "time.not_aware"


def test_a_datetime_is_not_a_day() -> None:
    with pytest.raises(PolicyError) as info:
        CAL.is_working_day(sh(2026, 2, 14, 9))
    assert info.value.code == "calendar.not_date"


# --- coverage and overrides -------------------------------------------------------------


def test_2027_is_not_covered_and_never_guessed() -> None:
    with pytest.raises(CalendarError) as info:
        CAL.is_working_day(date(2027, 10, 1))
    err = info.value
    assert err.code == "calendar.not_covered"
    assert err.details["year"] == 2027
    assert err.details["day"] == "2027-10-01"
    assert "2004–2026" in err.message_en
    assert "covered_years" in err.message_en
    assert "overrides" in err.message_en
    assert "2027" in err.message_zh
    assert "covered_years" in err.message_zh
    assert isinstance(err, PolicyError)
    assert pickle.loads(pickle.dumps(err)).details["year"] == 2027


def test_counting_into_an_uncovered_year_raises() -> None:
    with pytest.raises(CalendarError):
        CAL.add_working_days(date(2026, 12, 30), 3)
    with pytest.raises(CalendarError):
        CAL.working_days_between(date(2026, 12, 30), date(2027, 1, 5))
    with pytest.raises(CalendarError):
        CAL.deadline(sh(2026, 12, 31, 9), Period(amount=1, unit=PeriodUnit.WORKING_DAYS))


def test_a_year_covered_by_overrides() -> None:
    # An illustrative (not official) schedule for the first days of 2027.
    town = WorkCalendar(
        overrides={date(2027, 1, 1): False, date(2027, 1, 2): False, date(2027, 1, 3): False},
        covered_years={2027},
    )
    assert town.covers(2027)
    assert not town.is_working_day(date(2027, 1, 1))  # Friday, a day off
    assert town.is_working_day(date(2027, 1, 4))  # Monday
    assert not town.is_working_day(date(2027, 1, 9))  # Saturday
    # 2026 still comes from the official data, and counting crosses the year.
    assert town.is_working_day(date(2026, 2, 14))
    assert town.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)  # Thu 31, Mon 4
    assert town.deadline(sh(2026, 12, 31, 9), wd(1)) == sh(2027, 1, 5)


def test_a_single_override_decides_only_its_day() -> None:
    cal = WorkCalendar(overrides={date(2027, 1, 1): False})
    assert not cal.covers(2027)
    assert not cal.is_working_day(date(2027, 1, 1))
    with pytest.raises(CalendarError) as info:
        cal.is_working_day(date(2027, 1, 4))
    assert "none" in info.value.message_en


def test_overrides_win_over_the_official_schedule() -> None:
    town = WorkCalendar(overrides={date(2026, 2, 14): False, date(2026, 2, 16): True})
    assert not town.is_working_day(date(2026, 2, 14))
    assert town.is_working_day(date(2026, 2, 16))
    assert CAL.is_working_day(date(2026, 2, 14))  # the default calendar is untouched


def test_covered_years_replace_the_official_data_for_that_year() -> None:
    # Declaring a year covered makes the overrides its complete list of exceptions.
    own = WorkCalendar(covered_years={2026})
    assert own.is_working_day(date(2026, 2, 16))  # a Monday; no override says otherwise
    assert not own.is_working_day(date(2026, 2, 14))  # a Saturday


def test_uncovered_message_lists_the_covered_override_years() -> None:
    cal = WorkCalendar(covered_years={2028, 2027})
    with pytest.raises(CalendarError) as info:
        cal.is_working_day(date(2029, 5, 1))
    assert "2027, 2028" in info.value.message_en


@pytest.mark.parametrize(
    "overrides",
    [
        {datetime(2026, 2, 14, tzinfo=SHANGHAI): True},
        {date(2026, 2, 14): 1},
        {"2026-02-14": True},
        [(date(2026, 2, 14), True)],
    ],
)
def test_malformed_overrides_are_refused(overrides: object) -> None:
    with pytest.raises(PolicyError) as info:
        WorkCalendar(overrides=overrides)  # type: ignore[arg-type]
    assert info.value.code == "calendar.bad_override"


@pytest.mark.parametrize("years", [{"2027"}, {0}, {True}, 2027, "2027", [[2027]]])
def test_malformed_covered_years_are_refused(years: object) -> None:
    with pytest.raises(PolicyError) as info:
        WorkCalendar(covered_years=years)  # type: ignore[arg-type]
    assert info.value.code == "calendar.bad_year"


def test_a_zone_must_be_a_tzinfo() -> None:
    with pytest.raises(PolicyError) as info:
        WorkCalendar(zone="Asia/Shanghai")  # type: ignore[arg-type]
    assert info.value.code == "calendar.bad_zone"


# --- immutability and the default ----------------------------------------------------


def test_calendar_is_immutable_and_keeps_no_reference_to_the_callers_table() -> None:
    table = {date(2026, 2, 14): False}
    cal = WorkCalendar(overrides=table)
    table[date(2026, 2, 14)] = True
    assert not cal.is_working_day(date(2026, 2, 14))
    with pytest.raises(TypeError):
        cal.overrides[date(2026, 2, 14)] = True  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cal.zone = UTC  # type: ignore[misc]


def test_calendars_compare_and_hash_by_value() -> None:
    a = WorkCalendar(overrides={date(2026, 2, 14): False}, covered_years=[2027])
    b = WorkCalendar(overrides={date(2026, 2, 14): False}, covered_years={2027})
    assert a == b
    assert hash(a) == hash(b)
    assert a != WorkCalendar(overrides={date(2026, 2, 14): True}, covered_years={2027})


def test_default_calendar() -> None:
    assert default_calendar() is default_calendar()
    assert default_calendar() == WorkCalendar()
    assert dict(default_calendar().overrides) == {}
    assert default_calendar().covered_years == frozenset()
    assert default_calendar().zone is SHANGHAI


def test_fixed_offset_zone() -> None:
    cal = WorkCalendar(zone=timezone(timedelta(hours=8)))
    end = cal.deadline(datetime(2026, 2, 13, 9, tzinfo=UTC), wd(5))
    assert end == sh(2026, 2, 28)


def test_public_surface() -> None:
    exported = microgov.calendar.__all__
    assert exported[0] == "SHANGHAI"
    assert exported[1:] == sorted(exported[1:])
    assert set(exported) == {"SHANGHAI", "Period", "PeriodUnit", "WorkCalendar", "default_calendar"}
    for name in exported:
        value = getattr(microgov.calendar, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
    for attr, member in vars(WorkCalendar).items():
        if not attr.startswith("_") and (callable(member) or isinstance(member, property)):
            assert inspect.getdoc(member), attr


# --- counting properties within 2024–2026 --------------------------------------------

covered_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31))


@given(day=covered_days, n=st.integers(min_value=0, max_value=30))
def test_between_inverts_add(day: date, n: int) -> None:
    later = CAL.add_working_days(day, n)
    assert CAL.working_days_between(day, later) == n
    assert later >= day
    if n:
        assert CAL.is_working_day(later)
        assert CAL.working_days_between(day, later - timedelta(days=1)) == n - 1


@example(start=date(2024, 1, 13), end=date(2024, 1, 12))  # a Saturday back to the Friday
@given(start=covered_days, end=covered_days)
def test_add_reaches_the_last_working_day_up_to_end(start: date, end: date) -> None:
    k = CAL.working_days_between(start, end)
    assert CAL.working_days_between(end, start) == -k
    if start <= end:
        assert k >= 0
        reached = CAL.add_working_days(start, k)
        assert reached <= end
        assert CAL.working_days_between(reached, end) == 0
    else:  # backwards: no working day in (end, start] counts 0, e.g. Sat 13th back to Fri 12th
        assert k <= 0


@given(a=covered_days, b=covered_days, c=covered_days)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == (
        CAL.working_days_between(a, c)
    )


@given(start=covered_days, n=st.integers(min_value=0, max_value=30))
def test_working_day_deadline_matches_add_working_days(start: date, n: int) -> None:
    moment = sh(start.year, start.month, start.day, 9)
    end = CAL.deadline(moment, wd(n))
    after_last = CAL.add_working_days(start, n) + timedelta(days=1)
    assert end == sh(after_last.year, after_last.month, after_last.day)
    assert CAL.elapsed(moment, wd(n), end)
    assert not CAL.elapsed(moment, wd(n), end - timedelta(microseconds=1))


@pytest.mark.parametrize("unit", list(PeriodUnit))
def test_periods_past_the_last_representable_date_raise(unit: PeriodUnit) -> None:
    cal = WorkCalendar(covered_years={9999})
    with pytest.raises(CalendarError) as info:
        cal.deadline(sh(9999, 12, 30, 9), Period(amount=10**9, unit=unit))
    assert info.value.details["year"] == 10000


def test_working_days_past_the_last_representable_date_raise() -> None:
    cal = WorkCalendar(covered_years={9999})
    assert cal.add_working_days(date(9999, 12, 30), 1) == date(9999, 12, 31)
    with pytest.raises(CalendarError):
        cal.add_working_days(date(9999, 12, 30), 2)
    with pytest.raises(CalendarError):
        cal.deadline(sh(9999, 12, 30, 9), wd(1))
