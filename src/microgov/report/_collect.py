"""Filling a report's sections from what microgov records: events, ledgers, topics."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent
from microgov.funds import AccountKind, Ledger
from microgov.hierarchy import Hierarchy, Level
from microgov.lifecycle import PROJECT
from microgov.metrics import CATALOGUE, YearOnYear
from microgov.report._errors import ReportError
from microgov.report._model import (
    AreaSize,
    AuditSection,
    FundsRow,
    FundsSection,
    GridSize,
    HierarchySection,
    IndicatorRow,
    IndicatorSection,
    ParticipationRow,
    ParticipationSection,
    PipelineSection,
    ResponseRow,
    ResponseSection,
    StageCount,
    StageDuration,
)
from microgov.sla import RankBy, SlaPolicy, SlaTopic, rollup_sla

__all__ = [
    "PIPELINE_STAGES",
    "PIPELINE_STATES",
    "RESPONSE_BANDS",
    "areas_under",
    "audit_section",
    "funds_section",
    "hierarchy_section",
    "indicator_section",
    "participation_section",
    "pipeline_section",
    "project_scopes",
    "response_section",
    "year_end",
]

PIPELINE_STATES: tuple[str, ...] = (
    "proposed",
    "soliciting",
    "hand_raised",
    "accepted",
    "established",
    "funded",
    "in_progress",
    "completed",
    "publicised",
    "evaluated",
    "closed",
    "rejected",
    "withdrawn",
    "cancelled",
)
"""The project states a pipeline counts, main path first, then the ways out.

Example:
    >>> PIPELINE_STATES[:3]
    ('proposed', 'soliciting', 'hand_raised')
"""

PIPELINE_STAGES: tuple[tuple[str, str], ...] = (
    ("proposed", "hand_raised"),
    ("hand_raised", "accepted"),
    ("accepted", "funded"),
    ("funded", "completed"),
    ("completed", "evaluated"),
    ("evaluated", "closed"),
)
"""The stages whose median duration a pipeline shows: solicitation (意见征集), the vote,
funding, the works, 公示 and evaluation, closing.

Example:
    >>> PIPELINE_STAGES[0]
    ('proposed', 'hand_raised')
"""

RESPONSE_BANDS: tuple[int | None, ...] = (1, 2, 4, 8, 24, 72, 10**6, None)
"""Upper bounds (hours) of the response-time bands; the last, None, is "not answered".

Example:
    >>> RESPONSE_BANDS[2], RESPONSE_BANDS[-1]
    (4, None)
"""

_TALLIES = frozenset({"vote.tallied", "vote.closed"})  # the demo's and the service's
_STATE_OF_EVENT: dict[str, str] = {t.event: t.target for t in PROJECT.transitions}
_STATE_OF_EVENT["project.proposed"] = PROJECT.initial


def areas_under(hierarchy: Hierarchy, node: str) -> list[str]:
    """The residential areas at or under ``node``, in the graph's order.

    Args:
        hierarchy: The governance graph.
        node: A node id.

    Returns:
        The area ids.

    Raises:
        ReportError: ``report.unknown_node`` if the graph has no such node.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> areas_under(meilan_xihu(), "area-02")
        ['area-02']
        >>> len(areas_under(meilan_xihu(), "luodian"))
        30
    """
    if node not in hierarchy:
        raise ReportError(
            f"The graph has no node {node!r} to report on.",
            f"治理图中没有节点 {node!r}，无法生成报告。",
            code="report.unknown_node",
            node=node,
        )
    if hierarchy.node(node).level is Level.RESIDENTIAL_AREA:
        return [node]
    return [a.id for a in hierarchy.nodes_at(Level.RESIDENTIAL_AREA, under=node)]


def hierarchy_section(hierarchy: Hierarchy, node: str) -> HierarchySection:
    """The areas under ``node`` and their micro-grids, sized by households.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> s = hierarchy_section(meilan_xihu(), "luodian")
        >>> len(s.areas), s.grids
        (30, 99)
    """
    households = hierarchy.rollup("households")
    areas = []
    for area in areas_under(hierarchy, node):
        grids = tuple(
            GridSize(id=g.id, name=g.name, households=households.get(g.id, 0))
            for g in hierarchy.nodes_at(Level.MICRO_GRID, under=area)
        )
        areas.append(
            AreaSize(
                id=area,
                name=hierarchy.node(area).name,
                households=households.get(area, 0),
                grids=grids,
            )
        )
    return HierarchySection(areas=areas)


def _in_period(at: datetime, start: date, end: date) -> bool:
    day = at.astimezone(SHANGHAI).date()
    return start <= day <= end


def project_scopes(events: Iterable[AuditEvent]) -> dict[str, str]:
    """Project id → the scope its first event (``project.proposed``) names.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> _ = log.append(stream="project:p1", type="project.proposed", actor="w",
        ...                at=datetime(2026, 3, 2, tzinfo=SHANGHAI), payload={"scope": "area-01"})
        >>> project_scopes(log.events)
        {'p1': 'area-01'}
    """
    scopes: dict[str, str] = {}
    for event in events:
        if event.type == "project.proposed" and event.stream.startswith("project:"):
            scope = event.payload.get("scope")
            if isinstance(scope, str):
                scopes.setdefault(event.stream.removeprefix("project:"), scope)
    return scopes


def pipeline_section(
    events: Iterable[AuditEvent], areas: Sequence[str], *, start: date, end: date
) -> PipelineSection:
    """How many projects of ``areas`` proposed in the period reached each state, and
    the median days of each stage (over the projects that reached both ends).

    A state counts once per project, at the first time it was reached; a project
    counts if it was proposed in the period. O(n) for n events.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.simulation import simulate_season
        >>> s = simulate_season(meilan_xihu(), seed=7, start=date(2026, 3, 2), areas=3)
        >>> p = pipeline_section(s.log.events, ["area-01", "area-02", "area-03"],
        ...                      start=date(2026, 1, 1), end=date(2026, 12, 31))
        >>> p.count("proposed") == s.projects_proposed, p.count("closed") == s.projects_closed
        (True, True)
    """
    events = list(events)
    scopes = project_scopes(events)
    wanted = set(areas)
    reached: dict[str, dict[str, datetime]] = {}
    for event in events:
        if not event.stream.startswith("project:"):
            continue
        project = event.stream.removeprefix("project:")
        if scopes.get(project) not in wanted:
            continue
        state = _STATE_OF_EVENT.get(event.type)
        if state is None:
            continue
        if state == PROJECT.initial and not _in_period(event.at, start, end):
            continue
        seen = reached.get(project)
        if seen is None and state != PROJECT.initial:
            continue
        reached.setdefault(project, {}).setdefault(state, event.at)
    counts = tuple(
        StageCount(state=state, reached=sum(1 for seen in reached.values() if state in seen))
        for state in PIPELINE_STATES
    )
    stages = []
    for first, last in PIPELINE_STAGES:
        days = [
            Fraction(int((seen[last] - seen[first]).total_seconds()), 86_400)
            for seen in reached.values()
            if first in seen and last in seen
        ]
        stages.append(
            StageDuration(
                start=first,
                end=last,
                median_days=statistics.median(days) if days else None,
                count=len(days),
            )
        )
    return PipelineSection(reached=counts, stages=stages)


def participation_section(
    events: Iterable[AuditEvent],
    hierarchy: Hierarchy,
    areas: Sequence[str],
    *,
    start: date,
    end: date,
) -> ParticipationSection:
    """Hands raised over households entitled in each area's tallied votes of the period.

    Reads ``vote.tallied`` (demo) and ``vote.closed`` (service) events: payload
    ``entitled``, ``present`` and the ``scope`` or the ``project`` voted on. O(n) for
    n events.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.simulation import simulate_season
        >>> h = meilan_xihu()
        >>> s = simulate_season(h, seed=7, start=date(2026, 3, 2), areas=3)
        >>> p = participation_section(s.log.events, h, ["area-01", "area-02", "area-03"],
        ...                           start=date(2026, 1, 1), end=date(2026, 12, 31))
        >>> p.share == s.participation
        True
    """
    events = list(events)
    scopes = project_scopes(events)
    totals: dict[str, list[int]] = {a: [0, 0, 0] for a in areas}
    for event in events:
        if event.type not in _TALLIES or not _in_period(event.at, start, end):
            continue
        payload = event.payload
        scope = payload.get("scope")
        if not isinstance(scope, str):
            project = payload.get("project")
            scope = scopes.get(project) if isinstance(project, str) else None
        entitled, present = payload.get("entitled"), payload.get("present")
        if scope not in totals or not isinstance(entitled, int) or not isinstance(present, int):
            continue
        row = totals[scope]
        row[0] += 1
        row[1] += present
        row[2] += entitled
    return ParticipationSection(
        rows=tuple(
            ParticipationRow(
                area=a,
                name=hierarchy.node(a).name,
                votes=t[0],
                hands=t[1],
                entitled=t[2],
            )
            for a, t in totals.items()
        )
    )


def funds_section(
    ledger: Ledger,
    hierarchy: Hierarchy,
    areas: Sequence[str],
    *,
    project_scope: Mapping[str, str],
    start: date,
    end: date,
    by_rule: Mapping[str, Mapping[str, int]] | None = None,
) -> FundsSection:
    """Each area's fund from the ledger's postings in the period.

    ``budget`` is what came in from outside to the area's fund; ``granted`` what went
    to its projects' grant accounts (from its fund or the town pool) less refunds;
    ``spent`` what its projects paid out; ``returned`` what its fund gave back to the
    town pool (the year-end close). ``by_rule`` (rule label → area → fen granted) adds
    the side-by-side comparison of allocation rules. O(p) for p postings.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.simulation import simulate_fund_year
        >>> h = meilan_xihu()
        >>> y = simulate_fund_year(h, seed=1, areas=2)
        >>> scopes = {p.id: p.scope for p in y.instance.projects if p.scope}
        >>> f = funds_section(y.ledger, h, ["area-01", "area-02"], project_scope=scopes,
        ...                   start=date(2026, 1, 1), end=date(2026, 12, 31))
        >>> sum(r.returned for r in f.rows) == y.returned.fen
        True
    """
    rows = {a: [0, 0, 0, 0] for a in areas}  # budget, granted, spent, returned
    pool_start = 0
    pool_end = 0
    for posting in ledger.postings:
        day = posting.at.astimezone(SHANGHAI).date()
        pool_delta = sum(m.fen for acc, m in posting.entries if acc.kind is AccountKind.TOWN_POOL)
        if day < start:
            pool_start += pool_delta
        if day <= end:
            pool_end += pool_delta
        if not start <= day <= end:
            continue
        kinds = {acc.kind for acc, _ in posting.entries}
        for acc, money in posting.entries:
            if acc.kind is AccountKind.AREA_FUND and acc.id in rows:
                if AccountKind.EXTERNAL in kinds and money.fen > 0:
                    rows[acc.id][0] += money.fen
                elif AccountKind.TOWN_POOL in kinds and money.fen < 0:
                    rows[acc.id][3] -= money.fen
            elif acc.kind is AccountKind.PROJECT_GRANT:
                scope = project_scope.get(acc.id)
                if scope not in rows:
                    continue
                if AccountKind.EXTERNAL in kinds and money.fen < 0:
                    rows[scope][2] -= money.fen
                elif AccountKind.EXTERNAL not in kinds:
                    rows[scope][1] += money.fen
    rules = tuple(by_rule or {})
    return FundsSection(
        rows=tuple(
            FundsRow(
                area=a,
                name=hierarchy.node(a).name,
                budget=r[0],
                granted=r[1],
                spent=r[2],
                returned=r[3],
                by_rule={rule: (by_rule or {})[rule].get(a, 0) for rule in rules},
            )
            for a, r in rows.items()
        ),
        rules=rules,
        pool_start=pool_start,
        pool_end=pool_end,
    )


def _hours(value: timedelta | None) -> Fraction | None:
    if value is None:
        return None
    return Fraction(int(value.total_seconds()), 3600)


def response_section(
    topics: Sequence[SlaTopic],
    hierarchy: Hierarchy,
    areas: Sequence[str],
    *,
    node: str,
    policy: SlaPolicy | None = None,
    now: datetime,
) -> ResponseSection:
    """Response times of each area: the SLA figures, a distribution in bands, the rank.

    The figures come from :func:`microgov.sla.rollup_sla` (the mean, nearest-rank
    median and p90, the share answered within the policy's threshold, the overdue
    topics as of ``now``); the bands (:data:`RESPONSE_BANDS`) count the time from
    post to first response; the rank is by median among the areas under ``node``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.calendar import WorkCalendar
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.simulation import simulate_topics
        >>> h = meilan_xihu()
        >>> cal = WorkCalendar(overrides={}, covered_years={2027})
        >>> topics = [t for t in simulate_topics(h, seed=1, year=2026, calendar=cal)
        ...           if t.scope.startswith("area-01")][:50]
        >>> s = response_section(topics, h, ["area-01"], node="area-01",
        ...                      now=datetime(2027, 1, 1, tzinfo=SHANGHAI))
        >>> sum(s.rows[0].buckets) == s.rows[0].count
        True
    """
    rollup = rollup_sla(hierarchy, topics, policy, now=now)
    ranking = rollup.rank(Level.RESIDENTIAL_AREA, by=RankBy.MEDIAN, under=node)
    ranks = {e.node: e.rank for e in ranking.ranked}
    area_of: dict[str, str | None] = {a: a for a in areas}
    wanted = set(areas)
    buckets: dict[str, list[int]] = {a: [0] * len(RESPONSE_BANDS) for a in areas}
    for topic in topics:
        if topic.scope not in area_of:
            area_of[topic.scope] = next(
                (a.id for a in hierarchy.ancestors(topic.scope) if a.id in wanted), None
            )
        area = area_of[topic.scope]
        if area is None:
            continue
        answered = topic.first_response_at
        if answered is None:
            band = len(RESPONSE_BANDS) - 1
        else:
            hours = (answered - topic.raised_at).total_seconds() / 3600
            band = next(i for i, top in enumerate(RESPONSE_BANDS) if top is None or hours <= top)
        buckets[area][band] += 1
    rows = []
    for area in areas:
        summary = rollup.summaries.get(area)
        name = hierarchy.node(area).name
        if summary is None:
            rows.append(
                ResponseRow(
                    area=area, name=name, count=0, answered=0, mean_hours=None,
                    median_hours=None, p90_hours=None, within=0, decided=0, overdue=0,
                    buckets=buckets[area], rank=None,
                )
            )  # fmt: skip
            continue
        rows.append(
            ResponseRow(
                area=area,
                name=name,
                count=summary.count,
                answered=summary.answered,
                mean_hours=_hours(summary.mean),
                median_hours=_hours(summary.median),
                p90_hours=_hours(summary.p90),
                within=summary.within,
                decided=summary.decided,
                overdue=len(summary.overdue),
                buckets=buckets[area],
                rank=ranks.get(area),
            )
        )
    within = rollup.policy.within
    return ResponseSection(
        rows=rows, bands=RESPONSE_BANDS, within_hours=int(within.total_seconds() // 3600)
    )


def indicator_section(yoy: YearOnYear, node: str) -> IndicatorSection:
    """The catalogue's indicators at ``node`` this year and the year before.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.metrics import year_on_year
        >>> s = indicator_section(year_on_year(meilan_xihu(), year=2026, under="area-01"),
        ...                       "area-01")
        >>> s.year, s.rows[0].id
        (2026, 'topics_raised')
    """
    now = yoy.current.at(node)
    then = yoy.previous.values.get(node)
    change = yoy.change(node)

    def exact(value: object) -> Fraction | None:
        return Fraction(value) if isinstance(value, int | Fraction) else None

    rows = tuple(
        IndicatorRow(
            id=d.id,
            name_zh=d.name_zh,
            name_en=d.name_en,
            unit=d.unit,
            current=exact(now.value(d.id)),
            previous=exact(then.value(d.id)) if then is not None else None,
            change=change.get(d.id),
        )
        for d in CATALOGUE
    )
    return IndicatorSection(year=yoy.year, rows=rows)


def audit_section(
    ok: bool, events: int, head: str | None, findings: Iterable[object] = ()
) -> AuditSection:
    """The audit chain's status from a verification's outcome.

    Example:
        >>> audit_section(True, 0, None).head
        ''
    """
    return AuditSection(
        ok=ok, events=events, head=head or "", findings=tuple(str(f) for f in findings)
    )


def year_end(year: int) -> datetime:
    """The first instant of the next year, Asia/Shanghai (the "as of" of a year's SLA).

    Example:
        >>> year_end(2026).isoformat()
        '2027-01-01T00:00:00+08:00'
    """
    return datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=SHANGHAI)
