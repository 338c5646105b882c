"""China's working-day calendar (工作日历): days off, make-up working days (调休), deadlines.

Notice periods (公示期) and response times are counted in calendar days, working days
or hours. :class:`WorkCalendar` answers whether a date is a working day — the
official national schedule of days off and make-up working days included — counts
working days, and turns a start instant and a :class:`Period` into the
instant the period has elapsed. All of it is pure: the current time is always an
argument.

Note — the data source. The national schedule comes from PyPI ``chinesecalendar``
(``import chinese_calendar``; 1.11.0 covers 2004–2026). It was compared with PyPI
``holidays`` (``holidays.China``, 0.109): both encode the 2026 schedule correctly
(Spring Festival off 02-15…02-23; make-up working days 01-04, 02-14, 02-28, 05-09,
09-20, 10-10), but for 2027, before the State Council has published it,
``chinesecalendar`` refuses while ``holidays`` silently returns a rule-based guess
with no make-up working days. microgov never guesses, so a date in a year the data
does not cover raises :class:`~microgov.errors.CalendarError` (``calendar.not_covered``)
until the caller supplies that year's schedule as ``overrides`` with
``covered_years``. Only the private ``_official`` module touches the package.

Example:
    >>> from datetime import date
    >>> from microgov.calendar import default_calendar
    >>> cal = default_calendar()
    >>> cal.is_working_day(date(2026, 2, 28))   # a Saturday make-up working day
    True
    >>> cal.add_working_days(date(2026, 2, 13), 5)
    datetime.date(2026, 2, 27)
"""

from microgov._public import publish as _publish
from microgov.calendar._calendar import SHANGHAI, WorkCalendar, default_calendar
from microgov.calendar._period import Period, PeriodUnit

__all__ = ["SHANGHAI", "Period", "PeriodUnit", "WorkCalendar", "default_calendar"]

_publish(__name__, globals(), __all__)
