"""The patrol schedule (一日三巡): daily patrol windows on working days or every day.

Example:
    >>> [str(w) for w in DEFAULT_WINDOWS]
    ['08:30–09:30', '13:30–14:30', '17:00–18:00']
    >>> PatrolSchedule().zone
    zoneinfo.ZoneInfo(key='Asia/Shanghai')
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Final, cast

import attrs

from microgov._checks import aware_datetime
from microgov.calendar import WorkCalendar, default_calendar
from microgov.errors import PolicyError

__all__ = ["DEFAULT_WINDOWS", "Patrol", "PatrolSchedule", "PatrolWindow"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY: Final = timedelta(days=1)
_MAX_GAP_DAYS: Final = 400
"""How many days without a patrol the schedule looks ahead before giving up."""
_MAX_FRAME_DAYS: Final = 7400
"""Beyond about 20 years of data the fast frame's offset check is skipped (UTC frame)."""


def _frame(zone: tzinfo, now: datetime, values: list[timedelta]) -> bool:
    """Whether ``zone`` keeps one UTC offset over ``values`` (offsets from local midnight of
    ``now``'s day) and the day either side, so that same-zone datetime subtraction (wall
    clock, fast) equals elapsed time.  Asia/Shanghai always does; a zone with daylight
    saving time across the span does not.
    """
    epoch = _local_epoch(zone, now)
    offset = epoch.utcoffset()
    if offset is None or not values:
        return False
    low, high = min(values), max(values)
    if (high - low).days > _MAX_FRAME_DAYS:
        return False
    try:
        first = (epoch + low).date() - _ONE_DAY
        last = (epoch + high).date() + _ONE_DAY
    except OverflowError:  # at the ends of the datetime range: take the exact frame
        return False
    day = first
    while day <= last:
        if datetime.combine(day, time(0), tzinfo=zone).utcoffset() != offset:
            return False
        day += _ONE_DAY
    return True


def _local_epoch(zone: tzinfo, now: datetime) -> datetime:
    """Local midnight of ``now``'s day in ``zone``: the origin of the fast frame."""
    return datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)


def _check_time(instance: PatrolWindow, attribute: attrs.Attribute[time], value: object) -> None:
    if type(value) is not time or value.tzinfo is not None:
        raise PolicyError(
            f"A patrol window's {attribute.name} must be a local clock time without a time "
            f"zone, such as time(8, 30), not {value!r:.60}.",
            f"巡查时段的 {attribute.name} 应为不带时区的当地时刻（如 time(8, 30)），"
            f"而不是 {value!r:.60}。",
            code="sla.bad_window",
            field=attribute.name,
        )


@attrs.frozen(kw_only=True)
class PatrolWindow:
    """One daily patrol window (巡查时段), ``[start, end)`` in local clock time.

    A post made at ``start`` or later and before ``end`` is made *during* the patrol.
    A window lies within one day (it cannot run past midnight).

    Attributes:
        start: When the patrol begins, a naive :class:`~datetime.time` read in the
            schedule's calendar zone (Asia/Shanghai by default).
        end: When it ends (exclusive); after ``start``.

    Raises:
        PolicyError: ``sla.bad_window`` if a bound is not a naive time or ``end`` is not
            after ``start``.

    Example:
        >>> from datetime import time
        >>> w = PatrolWindow(start=time(8, 30), end=time(9, 30))
        >>> str(w)
        '08:30–09:30'
        >>> PatrolWindow(start=time(9), end=time(9))
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Patrol window 09:00–09:00 must end after it starts. ...
    """

    start: time = attrs.field(validator=_check_time)
    end: time = attrs.field(validator=_check_time)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise PolicyError(
                f"Patrol window {self} must end after it starts.",
                f"巡查时段 {self} 的结束时刻应晚于开始时刻。",
                code="sla.bad_window",
            )

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


DEFAULT_WINDOWS: Final = (
    PatrolWindow(start=time(8, 30), end=time(9, 30)),
    PatrolWindow(start=time(13, 30), end=time(14, 30)),
    PatrolWindow(start=time(17, 0), end=time(18, 0)),
)
"""Three daily patrols (一日三巡): 08:30–09:30, 13:30–14:30, 17:00–18:00.

The rule of three patrols a day is the 美兰西湖 community's own practice; these clock
times are illustrative defaults (not from a published source), a parameter a town
replaces with its own.
"""


def _windows(value: Iterable[PatrolWindow]) -> tuple[PatrolWindow, ...]:
    try:
        if isinstance(cast(object, value), str | bytes):
            raise TypeError
        windows = tuple(value)
    except TypeError:
        raise PolicyError(
            f"windows must be a sequence of PatrolWindow, not {value!r:.60}.",
            f"windows 应为 PatrolWindow 序列，而不是 {value!r:.60}。",
            code="sla.bad_schedule",
        ) from None
    if not windows:
        raise PolicyError(
            "A patrol schedule needs at least one daily window.",
            "巡查安排至少需要一个每日巡查时段。",
            code="sla.bad_schedule",
        )
    for w in windows:
        if not isinstance(w, PatrolWindow):
            raise PolicyError(
                f"windows must hold PatrolWindow values, not {w!r:.60}.",
                f"windows 中应为 PatrolWindow，而不是 {w!r:.60}。",
                code="sla.bad_schedule",
            )
    for before, after in pairwise(windows):
        if after.start < before.end:
            raise PolicyError(
                f"Patrol windows must be in order and must not overlap: {before} then {after}.",
                f"巡查时段应按时间顺序排列且互不重叠：{before} 之后是 {after}。",
                code="sla.bad_schedule",
            )
    return windows


def _check_bool(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise PolicyError(
            f"{attribute.name} must be True or False, not {value!r:.40}.",
            f"{attribute.name} 应为 True 或 False，而不是 {value!r:.40}。",
            code="sla.bad_schedule",
            field=attribute.name,
        )


def _check_calendar(
    instance: object, attribute: attrs.Attribute[WorkCalendar], value: object
) -> None:
    if not isinstance(value, WorkCalendar):
        raise PolicyError(
            f"calendar must be a WorkCalendar, not {value!r:.40}.",
            f"calendar 应为 WorkCalendar，而不是 {value!r:.40}。",
            code="sla.bad_schedule",
            field="calendar",
        )


def _aware(value: object, name: str) -> datetime:
    return aware_datetime(value, name, error=PolicyError, argument=name)


@attrs.frozen(kw_only=True)
class Patrol:
    """One patrol on one day: the ``number``-th window of ``day``, ``[start, end)``.

    Attributes:
        day: The local date of the patrol.
        number: Which patrol of the day, from 1 (第一巡).
        start: When it begins (aware, in the schedule's zone).
        end: When it ends (aware, exclusive).

    Example:
        >>> from datetime import date
        >>> p = PatrolSchedule().patrols_on(date(2026, 10, 10))[0]   # a make-up working day
        >>> p.number, p.start.isoformat(), p.end.isoformat()
        (1, '2026-10-10T08:30:00+08:00', '2026-10-10T09:30:00+08:00')
        >>> str(p)
        '2026-10-10 patrol 1 08:30–09:30'
    """

    day: date
    number: int
    start: datetime
    end: datetime

    def __str__(self) -> str:
        return f"{self.day.isoformat()} patrol {self.number} {self.start:%H:%M}–{self.end:%H:%M}"


@attrs.frozen(kw_only=True)
class PatrolSchedule:
    """When the community's patrols (一日三巡) look at residents' posts.

    Each patrol day has the same daily :attr:`windows`. With ``working_days_only``
    (the default) patrols run on working days only, as decided by :attr:`calendar`:
    make-up working days (调休, e.g. Saturday 2026-10-10) have patrols, official days
    off (e.g. the 2026 Spring Festival, 02-15…02-23) have none. With
    ``working_days_only=False`` patrols run every day and the calendar is only used
    for its time zone.

    Attributes:
        windows: The daily windows, in order, not overlapping (default
            :data:`DEFAULT_WINDOWS`).
        working_days_only: Patrol on working days only (True) or every day (False).
        calendar: The working-day calendar; its zone is the zone of the windows.

    Raises:
        PolicyError: ``sla.bad_schedule`` for no windows, overlapping or unordered
            windows, or a field of the wrong type.

    Example:
        >>> from datetime import date
        >>> s = PatrolSchedule()
        >>> [str(w) for w in s.windows]
        ['08:30–09:30', '13:30–14:30', '17:00–18:00']
        >>> len(s.patrols_on(date(2026, 2, 14))), len(s.patrols_on(date(2026, 2, 16)))
        (3, 0)
        >>> len(PatrolSchedule(working_days_only=False).patrols_on(date(2026, 2, 16)))
        3
    """

    windows: tuple[PatrolWindow, ...] = attrs.field(default=DEFAULT_WINDOWS, converter=_windows)
    working_days_only: bool = attrs.field(default=True, validator=_check_bool)
    calendar: WorkCalendar = attrs.field(factory=default_calendar, validator=_check_calendar)

    @property
    def zone(self) -> tzinfo:
        """The zone the windows are read in: the calendar's (Asia/Shanghai by default)."""
        return self.calendar.zone

    def is_patrol_day(self, day: date) -> bool:
        """Whether patrols run on ``day``.

        Args:
            day: A local date.

        Returns:
            True on a working day (or every day if not ``working_days_only``).

        Raises:
            CalendarError: ``calendar.not_covered`` for a year the calendar has no
                data for (with ``working_days_only``), e.g. 2027.

        Example:
            >>> from datetime import date
            >>> s = PatrolSchedule()
            >>> s.is_patrol_day(date(2026, 10, 10)), s.is_patrol_day(date(2026, 10, 1))
            (True, False)
        """
        return not self.working_days_only or self.calendar.is_working_day(day)

    def patrols_on(self, day: date) -> tuple[Patrol, ...]:
        """The patrols of one local date, in order (none on a day without patrols).

        Args:
            day: A local date.

        Returns:
            One :class:`Patrol` per window, or ``()``.

        Raises:
            CalendarError: For a year the calendar does not cover.

        Example:
            >>> from datetime import date
            >>> [str(p) for p in PatrolSchedule().patrols_on(date(2026, 10, 8))]
            ['2026-10-08 patrol 1 08:30–09:30', '2026-10-08 patrol 2 13:30–14:30',
             '2026-10-08 patrol 3 17:00–18:00']
        """
        if not self.is_patrol_day(day):
            return ()
        zone = self.zone
        return tuple(
            Patrol(
                day=day,
                number=n,
                start=datetime.combine(day, w.start, tzinfo=zone),
                end=datetime.combine(day, w.end, tzinfo=zone),
            )
            for n, w in enumerate(self.windows, start=1)
        )

    def _first_patrol_from(self, day: date) -> Patrol:
        """The first patrol on ``day`` or a later day."""
        current = day
        for _ in range(_MAX_GAP_DAYS):
            patrols = self.patrols_on(current)
            if patrols:
                return patrols[0]
            current += _ONE_DAY
        raise PolicyError(
            f"No patrol day in the {_MAX_GAP_DAYS} days from {day.isoformat()}: check the "
            "calendar's overrides.",
            f"自 {day.isoformat()} 起 {_MAX_GAP_DAYS} 天内没有巡查日，请检查日历的调整项。",
            code="sla.no_patrol",
            day=day.isoformat(),
        )

    def patrol_for(self, at: datetime) -> Patrol:
        """The patrol a post made at ``at`` waits for.

        That is the patrol in progress at ``at`` (``start <= at < end``), or else the
        first patrol starting after ``at``.

        Args:
            at: When the post was made; timezone-aware (any zone).

        Returns:
            The :class:`Patrol`.

        Raises:
            PolicyError: ``time.not_aware`` for a naive ``at``.
            CalendarError: If the search runs into a year the calendar does not cover.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> s = PatrolSchedule()
            >>> str(s.patrol_for(datetime(2026, 9, 30, 23, 50, tzinfo=SHANGHAI)))  # National Day
            '2026-10-08 patrol 1 08:30–09:30'
            >>> str(s.patrol_for(datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI)))   # during one
            '2026-10-08 patrol 1 08:30–09:30'
        """
        _aware(at, "at")
        local = at.astimezone(self.zone)
        for patrol in self.patrols_on(local.date()):
            if at < patrol.end:
                return patrol
        return self._first_patrol_from(local.date() + _ONE_DAY)

    def next_patrol(self, after: Patrol) -> Patrol:
        """The patrol that follows ``after``.

        Args:
            after: A patrol of this schedule.

        Returns:
            The next :class:`Patrol` (later the same day, or on the next patrol day).

        Raises:
            CalendarError: If the search runs into a year the calendar does not cover.

        Example:
            >>> from datetime import date
            >>> s = PatrolSchedule()
            >>> last = s.patrols_on(date(2026, 9, 30))[-1]
            >>> str(s.next_patrol(last))
            '2026-10-08 patrol 1 08:30–09:30'
        """
        todays = self.patrols_on(after.day)
        if after.number < len(todays):
            return todays[after.number]
        return self._first_patrol_from(after.day + _ONE_DAY)

    def _table(
        self, epoch: datetime, first: timedelta, last: timedelta
    ) -> tuple[list[timedelta], list[timedelta]]:
        """Patrol starts and ends covering every post in ``[first, last]``.

        Times are offsets from ``epoch`` (``datetime - epoch``; see ``_frame``).  For
        every ``t`` in the range, ``i = bisect_right(ends, t)`` is the patrol a post at
        ``t`` waits for and ``i + 1`` the next one: both exist.  The patrols of each
        local date are computed once (a day table).
        """
        zone = self.zone
        day = (epoch + first).astimezone(zone).date()
        starts: list[timedelta] = []
        ends: list[timedelta] = []
        bounds = [(w.start, w.end) for w in self.windows]
        gap = 0
        while True:
            if self.is_patrol_day(day):
                gap = 0
                for start, end in bounds:
                    # elapsed time from epoch, exact even outside a verified fast frame
                    starts.append(datetime.combine(day, start, tzinfo=zone).astimezone(UTC) - epoch)
                    ends.append(datetime.combine(day, end, tzinfo=zone).astimezone(UTC) - epoch)
                if len(ends) - bisect_right(ends, last) >= 2:
                    return starts, ends
            else:
                gap += 1
                if gap >= _MAX_GAP_DAYS:
                    self._first_patrol_from(day)  # raises sla.no_patrol
            day += _ONE_DAY
