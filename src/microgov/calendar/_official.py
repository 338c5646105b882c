"""The official schedule of days off and make-up working days (放假与调休安排).

This is the only module that touches the third-party data package, so that it can be
swapped for another source (or for a table shipped with microgov) without touching
:class:`~microgov.calendar.WorkCalendar`.

Note — the choice of source (checked 2026-11-27 against the official 2026 schedule,
国务院办公厅关于2026年部分节假日安排的通知: Spring Festival off 02-15…02-23; make-up
working days 01-04, 02-14, 02-28, 05-09, 09-20, 10-10):

* PyPI ``chinesecalendar`` 1.11.0 (``import chinese_calendar``) encodes every 2026
  day off and make-up working day correctly, covers 2004–2026, and raises
  ``NotImplementedError`` for 2027 ("no available data for year 2027").
* PyPI ``holidays`` 0.109 (``holidays.China``) also encodes the 2026 make-up days
  correctly, but for 2027 it *guesses*: it computes the festivals from rules and
  returns a year without any make-up working day, with no way to tell a guess from
  an official schedule.  It also pins ``python-dateutil<3``.

microgov never guesses a working day, so it uses ``chinesecalendar``, reads its
tables once, and reports the years they cover; a year outside them is an error
(:class:`~microgov.errors.CalendarError`) unless the caller supplies the schedule.
"""

from __future__ import annotations

import functools
from datetime import date

import attrs

__all__ = ["OfficialSchedule", "official_schedule"]


@attrs.frozen(kw_only=True)
class OfficialSchedule:
    """The national schedule for a contiguous range of years, as read from the source.

    Attributes:
        source: The data package and its version, e.g. ``'chinesecalendar 1.11.0'``.
        first_year: The first year covered.
        last_year: The last year covered.
        days_off: Every date the schedule lists as a public holiday or a day off
            taken in lieu (法定节假日及调休放假), weekends included.
        make_up_days: Every weekend date that is a working day (调休上班).

    Example:
        >>> s = official_schedule()
        >>> s.first_year <= 2026 <= s.last_year
        True
        >>> date(2026, 2, 14) in s.make_up_days, date(2026, 2, 16) in s.days_off
        (True, True)
    """

    source: str
    first_year: int
    last_year: int
    days_off: frozenset[date]
    make_up_days: frozenset[date]

    def covers(self, year: int) -> bool:
        """Whether the schedule has data for ``year``.

        Args:
            year: A calendar year.

        Returns:
            True if ``first_year <= year <= last_year``.

        Example:
            >>> official_schedule().covers(2026), official_schedule().covers(1999)
            (True, False)
        """
        return self.first_year <= year <= self.last_year

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day; only meaningful for a covered year.

        A make-up day works; otherwise Monday–Friday work unless listed as a day off.

        Args:
            day: A date in a covered year (the caller checks :meth:`covers`).

        Returns:
            True for a working day.

        Example:
            >>> s = official_schedule()
            >>> s.is_working_day(date(2026, 10, 10)), s.is_working_day(date(2026, 10, 1))
            (True, False)
        """
        if day in self.make_up_days:
            return True
        return day.weekday() < 5 and day not in self.days_off


def _as_dates(table: object) -> frozenset[date]:
    if not isinstance(table, dict):  # pragma: no cover - guards against a changed package
        raise TypeError(f"unexpected chinesecalendar table: {type(table).__name__}")
    return frozenset(d for d in table if isinstance(d, date))


@functools.cache
def official_schedule() -> OfficialSchedule:
    """The official schedule, read once from ``chinesecalendar`` (imported here, on first use).

    Returns:
        The schedule, with the years it covers.

    Example:
        >>> official_schedule().source.startswith("chinesecalendar ")
        True
    """
    import chinese_calendar  # type: ignore[import-untyped]

    days_off = _as_dates(chinese_calendar.holidays)
    make_up = _as_dates(chinese_calendar.workdays)
    years = [d.year for d in days_off]
    return OfficialSchedule(
        source=f"chinesecalendar {chinese_calendar.__version__}",
        first_year=min(years),
        last_year=max(years),
        days_off=days_off,
        make_up_days=make_up,
    )
