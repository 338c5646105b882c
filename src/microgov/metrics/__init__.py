"""The community's indicators (社区治理指标), computed from events, never typed in.

Topics raised, answered, turned into projects and solved, the average response time,
talents (达人) found, micro-projects accepted and completed, activities, participations
and volunteer services, registered volunteers, and grid resources per residential
area — each with a written definition in :data:`CATALOGUE` (id, Chinese and English
names, unit, definition), the source of the metrics reference page.

:func:`compute` counts every input at its node and rolls the counts up the governance
graph (grid → residential area → large community → town), so each level is exactly
the sum of its parts; ratios (the mean response time, resources per area) are computed
at each node from those sums, as exact :class:`~fractions.Fraction` values.
:func:`year_on_year` compares a calendar year (Asia/Shanghai) with the one before:
``(now − then) / then`` exactly, None when the previous year is 0.

Inputs: topics are any :class:`TopicLike` (``microgov.topics`` provides one);
micro-projects are read from lifecycle :class:`~microgov.lifecycle.Event` values
(``project.accepted``, ``project.completed``) with a project → scope mapping, since
events carry no scope; talents are :class:`TalentRecord` values; activities are
:class:`Activity` values; resources, registered volunteers and residential areas are
stocks read from the graph given (``hierarchy.as_of(day)`` gives another day's graph).

The figures the 美兰西湖 community reports for its platform — 4,032 topics raised, 764
turned into projects, 19,368 problems solved, answers in 4 hours on average; 92
talents found, 35 micro-projects, 294 activities and 9,882 participations — are the
community's own published figures, quoted here as such: microgov does not reproduce
them, and their counting rules are not published (19,368 problems solved outnumber
the 4,032 topics, so the community counts problems that are not platform topics).

Example:
    >>> from microgov.datasets import meilan_xihu
    >>> from microgov.hierarchy import Level
    >>> start, end = year_window(2026)
    >>> report = compute(meilan_xihu(), start=start, end=end)
    >>> town = report.at("luodian")
    >>> town.resources == sum(a.resources for a in report.at_level(Level.RESIDENTIAL_AREA).values())
    True
    >>> town.resources_per_area
    Fraction(16, 3)
    >>> [d.id for d in CATALOGUE][:4]
    ['topics_raised', 'topics_responded', 'topics_converted', 'problems_solved']
"""

from microgov._public import publish as _publish
from microgov.metrics._catalogue import CATALOGUE, IndicatorDef, indicator
from microgov.metrics._compute import (
    Indicators,
    MetricsReport,
    YearOnYear,
    compute,
    relative_change,
    year_on_year,
    year_window,
)
from microgov.metrics._inputs import Activity, TalentRecord, TopicLike

__all__ = [
    "CATALOGUE",
    "Activity",
    "IndicatorDef",
    "Indicators",
    "MetricsReport",
    "TalentRecord",
    "TopicLike",
    "YearOnYear",
    "compute",
    "indicator",
    "relative_change",
    "year_on_year",
    "year_window",
]

_publish(__name__, globals(), __all__)
