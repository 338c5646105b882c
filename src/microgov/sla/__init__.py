"""Response-time SLAs (响应时效): patrols (一日三巡), due times, overdue topics, rollups.

The community answers residents' posts (议题) on patrols — three a day on working
days by default (:class:`PatrolSchedule`). For each topic (:func:`topic_sla`) this
package gives the time until its first response, the patrol it waited for, its due
time and whether it is overdue; for many topics (:func:`summarize`,
:func:`rollup_sla`) the count, mean, nearest-rank median and p90, the share answered
within 4 hours and the overdue list, per node of the governance graph and its
subtree, and a ranking of areas that leaves small samples unranked.

**The due-time rule.** A topic's clock starts when a patrol can first see it — at
the post if it was made during a patrol window, otherwise at the start of the next
patrol (the patrol it *waited for*) — and it is due its category's target of elapsed
time later: ``due_at = max(raised_at, patrol.start) + target``. The default target,
4 hours, is the 美兰西湖 community's own reported *average* response time
(:data:`AVERAGE_RESPONSE_CITATION`, ``verified=False``): a parameter, not a law.

Topics are read through :class:`SlaTopic` (``id``, ``scope``, ``category``,
``raised_at``, ``first_response_at``), so any topic class will do.

Example:
    >>> from datetime import datetime
    >>> from microgov.calendar import SHANGHAI
    >>> from microgov.sla import topic_sla
    >>> class Post:   # 23:50 on the eve of National Day 2026 (10-01…10-07 off)
    ...     id, scope, category = "t1", "area-01", "parking"
    ...     raised_at = datetime(2026, 9, 30, 23, 50, tzinfo=SHANGHAI)
    ...     first_response_at = None
    >>> s = topic_sla(Post(), now=datetime(2026, 10, 8, 12, 31, tzinfo=SHANGHAI))
    >>> str(s.patrol), s.due_at.isoformat(), s.overdue
    ('2026-10-08 patrol 1 08:30–09:30', '2026-10-08T12:30:00+08:00', True)
"""

from microgov._public import deprecated_names as _deprecated_names
from microgov._public import publish as _publish
from microgov.sla._aggregate import (
    RankBy,
    RankEntry,
    Ranking,
    SlaRollup,
    SlaSummary,
    rollup_sla,
    summarize,
)
from microgov.sla._figures import TopicSla, nearest_rank, topic_sla
from microgov.sla._policy import AVERAGE_RESPONSE_CITATION, FOUR_HOURS, SlaPolicy, SlaTopic
from microgov.sla._schedule import DEFAULT_WINDOWS, Patrol, PatrolSchedule, PatrolWindow

__all__ = [
    "AVERAGE_RESPONSE_CITATION",
    "DEFAULT_WINDOWS",
    "FOUR_HOURS",
    "Patrol",
    "PatrolSchedule",
    "PatrolWindow",
    "RankBy",
    "RankEntry",
    "Ranking",
    "SlaPolicy",
    "SlaRollup",
    "SlaSummary",
    "SlaTopic",
    "TopicSla",
    "nearest_rank",
    "rollup_sla",
    "summarize",
    "topic_sla",
]

_publish(__name__, globals(), __all__)
__getattr__ = _deprecated_names(__name__, {"TopicLike": ("SlaTopic", SlaTopic)})
