"""Grid duties (网格职责): the "four ones" (四个一) and weekly patrol and clearing (周周巡、周周清).

Each grid leader (微网格长) of the 美兰西湖 community keeps the "four ones": one round
of visits a week (走访), a diary of residents' concerns (民情日记), one paired household
(结对一户) and one practical thing done for residents (办一件实事); and each grid is
patrolled weekly and its problems cleared weekly. Here each of these is a recurring
:class:`Duty` (an RFC 5545 RRULE evaluated with ``dateutil.rrule``); the people who do
them file :class:`DutyRecord` values; :func:`compliance` judges, for a window, every
due period of every grid leader and rolls the counts up the governance graph (grid →
residential area → large community → town), each level's counts being the sum of its
parts.

Frequencies are community practice, not law: :data:`DEFAULT_DUTIES` (weekly visits,
diary, patrol and clearing; monthly paired-household contact and practical thing) is a
parameter set whose source, :data:`PRACTICE`, is marked unverified.

Decisions:

- **Who owes a period.** Whoever holds ``Role.GRID_LEADER`` at the grid on the period's
  last day (its due day); two leaders both owe it; none makes it a vacancy, owed by
  no one and counted apart. A record counts only for the person who made it.
- **Which periods a window holds.** Those *due* in it: ``start < stop <= end``. Adjacent
  windows share no period, and a report up to today does not count the running week.
- **Holiday weeks.** By default every period is due, holidays included. A duty with
  ``skip_days_off=True`` excuses a period with no working day at all (in 2026 only the
  Spring Festival week 02-16…02-22); the calendar raises
  :class:`~microgov.errors.CalendarError` for a year it does not cover (2027).

Example:
    >>> from datetime import date, datetime
    >>> from microgov.calendar import SHANGHAI
    >>> from microgov.datasets import meilan_xihu
    >>> from microgov.hierarchy import Role
    >>> h = meilan_xihu()
    >>> lee = h.holders("grid-01-1", role=Role.GRID_LEADER, on=date(2026, 3, 1))[0].person
    >>> visits = [DutyRecord(id=f"v{i}", kind=DutyKind.VISIT_ROUND, node="grid-01-1",
    ...                      person=lee, at=datetime(2026, 3, 2 + 7 * i, 19, tzinfo=SHANGHAI))
    ...           for i in range(4)]
    >>> report = compliance(h, visits, start=date(2026, 3, 2), end=date(2026, 3, 30),
    ...                     under="area-01")
    >>> line = next(x for x in report.leaders if x.person == lee)
    >>> line.tally
    ComplianceTally(expected=16, fulfilled=4, missed=12, vacant=0, excused=0)
    >>> report.tally("area-01").expected == sum(
    ...     report.tally(g.id).expected for g in h.children("area-01"))
    True
"""

from microgov._public import publish as _publish
from microgov.duties._compliance import (
    ComplianceReport,
    ComplianceTally,
    DuePeriod,
    LeaderCompliance,
    compliance,
)
from microgov.duties._model import (
    DEFAULT_DUTIES,
    PRACTICE,
    Duty,
    DutyKind,
    DutyRecord,
    duty_schedule,
)

__all__ = [
    "DEFAULT_DUTIES",
    "PRACTICE",
    "ComplianceReport",
    "ComplianceTally",
    "DuePeriod",
    "Duty",
    "DutyKind",
    "DutyRecord",
    "LeaderCompliance",
    "compliance",
    "duty_schedule",
]

_publish(__name__, globals(), __all__)
