"""The working-day calendar: days off, make-up working days (调休), durations and deadlines."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType

import attrs

from microgov._checks import aware_datetime
from microgov._time import SHANGHAI
from microgov.calendar._official import OfficialSchedule, official_schedule
from microgov.calendar._period import Period, PeriodUnit
from microgov.errors import CalendarError, PolicyError

__all__ = ["SHANGHAI", "WorkCalendar", "default_calendar"]

"""The default time zone, Asia/Shanghai (UTC+8 all year, no daylight saving time)."""

_DEFAULT_ZONE: tzinfo = SHANGHAI
_ONE_DAY = timedelta(days=1)


def _freeze_overrides(value: Mapping[date, bool]) -> Mapping[date, bool]:
    if not isinstance(value, Mapping):
        raise PolicyError(
            f"overrides must be a mapping of date to bool, not {type(value).__name__}.",
            f"overrides 应为“日期 → 是否工作日”的映射，而不是 {type(value).__name__}。",
            code="calendar.bad_override",
        )
    for day, working in value.items():
        if type(day) is not date or type(working) is not bool:
            raise PolicyError(
                f"Override {day!r}: {working!r} must map a date (not a datetime) to True "
                "(a working day) or False (a day off).",
                f"调整项 {day!r}: {working!r} 应把一个日期（不是日期时间）映射为 True（上班）"
                "或 False（放假）。",
                code="calendar.bad_override",
                override=repr(day),
            )
    return MappingProxyType(dict(sorted(value.items())))


def _freeze_years(value: Iterable[int]) -> frozenset[int]:
    try:
        if isinstance(value, str | bytes):
            raise TypeError
        years = frozenset(value)
    except TypeError:
        raise PolicyError(
            f"covered_years must be a set of years such as {{2027}}, not {value!r:.40}.",
            f"covered_years 应为年份集合（如 {{2027}}），而不是 {value!r:.40}。",
            code="calendar.bad_year",
            year=repr(value),
        ) from None
    for year in years:
        if type(year) is not int or not 1 <= year <= 9999:
            raise PolicyError(
                f"covered_years must hold years such as 2027, not {year!r}.",
                f"covered_years 应为年份（如 2027），而不是 {year!r}。",
                code="calendar.bad_year",
                year=repr(year),
            )
    return years


def _check_zone(_: object, __: attrs.Attribute[tzinfo], value: object) -> None:
    if not isinstance(value, tzinfo):
        raise PolicyError(
            f"zone must be a time zone such as ZoneInfo('Asia/Shanghai'), not {value!r}.",
            f"zone 应为时区（如 ZoneInfo('Asia/Shanghai')），而不是 {value!r}。",
            code="calendar.bad_zone",
        )


def _aware(value: datetime, name: str) -> datetime:
    return aware_datetime(value, name, error=PolicyError, argument=name)


def _plain_date(value: date, name: str) -> date:
    if type(value) is not date:
        raise PolicyError(
            f"{name} must be a date, not {type(value).__name__}; for a datetime pass .date() "
            "in the calendar's zone.",
            f"{name} 应为日期（date），而不是 {type(value).__name__}。",
            code="calendar.not_date",
            argument=name,
        )
    return value


def _count(n: int, name: str) -> int:
    if type(n) is not int or n < 0:
        raise PolicyError(
            f"{name} must be a whole number ≥ 0, not {n!r}.",
            f"{name} 应为不小于 0 的整数，而不是 {n!r}。",
            code="calendar.negative_count",
            argument=name,
            value=repr(n),
        )
    return n


def _past_the_end(start: date) -> CalendarError:
    return CalendarError(
        f"Counting from {start.isoformat()} runs past 9999-12-31, the last representable date.",
        f"从 {start.isoformat()} 起算超出了 9999-12-31（可表示的最后一天）。",
        code="calendar.not_covered",
        year=10000,
        day=start.isoformat(),
    )


def _next_day(day: date) -> date:
    if day == date.max:
        raise _past_the_end(day)
    return day + _ONE_DAY


def _years_text(years: Iterable[int]) -> str:
    ordered = sorted(years)
    return ", ".join(str(y) for y in ordered) if ordered else "none"


@attrs.frozen(kw_only=True)
class WorkCalendar:
    """China's working days (工作日) with the official days off and make-up days (调休).

    A day is decided, in this order, by:

    1. ``overrides`` — a local table, ``True`` for a working day and ``False`` for a
       day off (a town's own adjustment, or next year's official schedule before the
       data package has it);
    2. for a year in ``covered_years``: Monday–Friday work, Saturday and Sunday do
       not — the overrides are taken to be the *complete* list of that year's
       exceptions, and the official data, if any, is not consulted for it;
    3. the official national schedule (:attr:`official_years`);
    4. otherwise :class:`~microgov.errors.CalendarError` — microgov never guesses.

    Days are dates in :attr:`zone`; a datetime is turned into a date in that zone.

    Args:
        overrides: Date → working day (True) or day off (False).
        covered_years: Years fully described by ``overrides`` (see above).
        zone: The time zone deadlines are counted in (default Asia/Shanghai).

    Raises:
        PolicyError: ``calendar.bad_override``, ``calendar.bad_year`` or
            ``calendar.bad_zone`` for a malformed table, year or zone.

    Example:
        >>> from datetime import date
        >>> cal = WorkCalendar()
        >>> cal.is_working_day(date(2026, 2, 14))   # Saturday, a make-up working day
        True
        >>> cal.is_working_day(date(2026, 2, 16))   # Spring Festival
        False
        >>> town = WorkCalendar(overrides={date(2027, 1, 1): False}, covered_years={2027})
        >>> town.is_working_day(date(2027, 1, 1)), town.is_working_day(date(2027, 1, 4))
        (False, True)
    """

    overrides: Mapping[date, bool] = attrs.field(
        factory=dict, converter=_freeze_overrides, hash=False
    )
    covered_years: frozenset[int] = attrs.field(factory=frozenset, converter=_freeze_years)
    zone: tzinfo = attrs.field(default=_DEFAULT_ZONE, validator=_check_zone)

    @property
    def _official(self) -> OfficialSchedule:
        return official_schedule()

    @property
    def official_years(self) -> range:
        """The years the official national schedule covers, e.g. ``range(2004, 2027)``.

        Example:
            >>> 2026 in WorkCalendar().official_years
            True
        """
        return range(self._official.first_year, self._official.last_year + 1)

    @property
    def source(self) -> str:
        """The official data's package and version, e.g. ``'chinesecalendar 1.11.0'``.

        Example:
            >>> WorkCalendar().source
            'chinesecalendar ...'
        """
        return self._official.source

    def covers(self, year: int) -> bool:
        """Whether every day of ``year`` is decided (officially or by ``covered_years``).

        A year that is not covered may still have some days decided by ``overrides``.

        Args:
            year: A calendar year.

        Returns:
            True if :meth:`is_working_day` answers for every date of the year.

        Example:
            >>> WorkCalendar().covers(2026), WorkCalendar().covers(2027)
            (True, False)
            >>> WorkCalendar(covered_years={2027}).covers(2027)
            True
        """
        return year in self.covered_years or self._official.covers(year)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (工作日), make-up days (调休上班) included.

        Args:
            day: A date (not a datetime).

        Returns:
            True for a working day, False for a weekend or day off.

        Raises:
            CalendarError: ``calendar.not_covered`` (``details["year"]``) when no
                override decides ``day`` and its year is not covered.
            PolicyError: ``calendar.not_date`` if ``day`` is not a date.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar()
            >>> cal.is_working_day(date(2026, 10, 10)), cal.is_working_day(date(2026, 10, 7))
            (True, False)
            >>> cal.is_working_day(date(2027, 3, 1))
            Traceback (most recent call last):
            ...
            microgov.errors.CalendarError: No working-day data for 2027 ... [calendar.not_covered]
        """
        _plain_date(day, "day")
        decided = self.overrides.get(day)
        if decided is not None:
            return decided
        if day.year in self.covered_years:
            return day.weekday() < 5
        if self._official.covers(day.year):
            return self._official.is_working_day(day)
        raise self._not_covered(day)

    def _not_covered(self, day: date) -> CalendarError:
        first, last = self._official.first_year, self._official.last_year
        local = _years_text(self.covered_years)
        year = day.year
        return CalendarError(
            f"No working-day data for {year} (asked about {day.isoformat()}): the official "
            f"schedule covers {first}–{last} ({self.source}) and this calendar's overrides "
            f"cover years: {local}. Add that year's days off (False) and make-up working "
            f"days (True) as overrides and declare it, e.g. "
            f"WorkCalendar(overrides={{date({year}, 1, 1): False, ...}}, "
            f"covered_years={{{year}}}).",
            f"缺少 {year} 年的工作日数据（查询 {day.isoformat()}）：官方放假调休安排覆盖 "
            f"{first}–{last} 年（{self.source}），本日历的 overrides 覆盖年份："
            f"{'无' if not self.covered_years else local}。请把该年的放假日（False）和调休上班日"
            f"（True）加入 overrides，并设置 covered_years={{{year}}}。",
            code="calendar.not_covered",
            year=year,
            day=day.isoformat(),
            official_years=f"{first}-{last}",
        )

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted).

        ``add_working_days(day, 0)`` is ``day`` itself, working day or not. For every
        ``n``, ``working_days_between(day, add_working_days(day, n)) == n``.

        Args:
            day: The day to count from.
            n: How many working days, ≥ 0.

        Returns:
            The date of the ``n``-th working day after ``day``.

        Raises:
            CalendarError: If the count runs into a year that is not covered.
            PolicyError: ``calendar.negative_count`` if ``n`` is negative.

        Complexity: O(days walked), about 1.5 × ``n``.

        Example:
            >>> from datetime import date
            >>> WorkCalendar().add_working_days(date(2026, 2, 13), 2)  # Sat 14 works
            datetime.date(2026, 2, 24)
        """
        _plain_date(day, "day")
        remaining = _count(n, "n")
        current = day
        while remaining:
            current = _next_day(current)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in ``(start, end]`` — after ``start``, up to ``end``.

        The convention matches :meth:`add_working_days`: the start day is the day the
        period begins (not counted), the end day is counted. If ``end`` is before
        ``start`` the result is negative: ``-working_days_between(end, start)``.

        Args:
            start: The day after which counting begins.
            end: The last day counted.

        Returns:
            The number of working days, negative when ``end < start``.

        Raises:
            CalendarError: If a day in the range is in a year that is not covered.

        Complexity: O(days in the range).

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar()
            >>> cal.working_days_between(date(2026, 9, 30), date(2026, 10, 7))  # National Day
            0
            >>> cal.working_days_between(date(2026, 9, 30), date(2026, 10, 10))  # 8, 9, Sat 10
            3
            >>> cal.working_days_between(date(2026, 10, 10), date(2026, 9, 30))
            -3
        """
        _plain_date(start, "start")
        _plain_date(end, "end")
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += _ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def _local_midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def deadline(self, start: datetime, period: Period) -> datetime:
        """The instant ``period`` has elapsed after ``start`` (in the calendar's zone).

        * ``CALENDAR_DAYS``: the start day (the date of ``start`` in :attr:`zone`) is
          not counted; the period ends at midnight (00:00) at the start of the day
          after the ``amount``-th calendar day following it — i.e. at the end of
          that day. A 3-day notice posted any time on 10-01 ends at 10-05 00:00.
        * ``WORKING_DAYS``: the same, counted in working days
          (:meth:`add_working_days`): it ends at midnight after the ``amount``-th
          working day following the start day.
        * ``HOURS``: exactly ``amount`` hours after ``start`` (elapsed time, computed
          in UTC, so exact even in a zone with daylight saving time).

        An ``amount`` of 0 ends at the end of the start day (days) or at ``start``
        (hours). The result is expressed in :attr:`zone`; ``start`` may be in any zone.

        Args:
            start: When the period begins; timezone-aware.
            period: How long it lasts (:class:`~microgov.calendar.Period`).

        Returns:
            The aware datetime at which the period has elapsed.

        Raises:
            PolicyError: ``time.not_aware`` for a naive ``start``;
                ``calendar.negative_count`` for a negative amount.
            CalendarError: If working days run into a year that is not covered.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import Period, PeriodUnit
            >>> cal = WorkCalendar()
            >>> start = datetime(2026, 2, 13, 15, 30, tzinfo=SHANGHAI)
            >>> cal.deadline(start, Period(amount=5, unit=PeriodUnit.WORKING_DAYS))
            datetime.datetime(2026, 2, 28, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
            >>> cal.deadline(start, Period(amount=5, unit=PeriodUnit.CALENDAR_DAYS)).isoformat()
            '2026-02-19T00:00:00+08:00'
            >>> cal.deadline(start, Period(amount=12, unit=PeriodUnit.HOURS)).isoformat()
            '2026-02-14T03:30:00+08:00'
        """
        _aware(start, "start")
        amount = _count(period.amount, "period.amount")
        start_day = start.astimezone(self.zone).date()
        try:
            if period.unit is PeriodUnit.HOURS:
                return (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(self.zone)
            if period.unit is PeriodUnit.WORKING_DAYS:
                last = self.add_working_days(start_day, amount)
            else:
                last = start_day + timedelta(days=amount)
        except OverflowError:
            raise _past_the_end(start_day) from None
        return self._local_midnight(_next_day(last))

    def elapsed(self, start: datetime, period: Period, now: datetime) -> bool:
        """Whether ``period``, begun at ``start``, has elapsed at ``now``.

        Args:
            start: When the period began; timezone-aware.
            period: How long it lasts.
            now: The instant to judge at (passed in, never read from a clock).

        Returns:
            True if ``now`` is at or after :meth:`deadline`.

        Raises:
            PolicyError: ``time.not_aware`` for a naive ``start`` or ``now``.
            CalendarError: If working days run into a year that is not covered.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import Period, PeriodUnit
            >>> cal, notice = WorkCalendar(), Period(amount=1, unit=PeriodUnit.WORKING_DAYS)
            >>> start = datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI)
            >>> cal.elapsed(start, notice, datetime(2026, 10, 8, 23, 59, tzinfo=SHANGHAI))
            False
            >>> cal.elapsed(start, notice, datetime(2026, 10, 9, 0, 0, tzinfo=SHANGHAI))
            True
        """
        _aware(now, "now")
        return now >= self.deadline(start, period)


@functools.cache
def default_calendar() -> WorkCalendar:
    """The national calendar in Asia/Shanghai, with no local overrides (cached).

    Returns:
        The shared :class:`WorkCalendar` (immutable, safe to share).

    Example:
        >>> default_calendar() is default_calendar()
        True
        >>> dict(default_calendar().overrides)
        {}
    """
    return WorkCalendar()
