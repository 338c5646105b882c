"""Computing the indicators from events and rolling them up the governance graph."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from microgov._checks import aware_datetime
from microgov._time import SHANGHAI
from microgov.errors import DataFormatError, NodeNotFound
from microgov.hierarchy import Hierarchy, Level, Resource, Role, RoleAssignment
from microgov.lifecycle import TOPIC, Event
from microgov.metrics._catalogue import CATALOGUE, indicator
from microgov.metrics._inputs import Activity, TalentRecord, TopicLike

__all__ = [
    "Indicators",
    "MetricsReport",
    "YearOnYear",
    "compute",
    "relative_change",
    "year_on_year",
    "year_window",
]

_TOPIC_STATES: Final = frozenset(s.key for s in TOPIC.states)
_STATES_TEXT: Final = ", ".join(sorted(_TOPIC_STATES))
_MICROSECOND: Final = timedelta(microseconds=1)
_US_PER_HOUR: Final = 3_600_000_000
_TOPIC_FIELDS: Final = (
    "topics_raised",
    "topics_converted",
    "topics_responded",
    "response_microseconds",
    "problems_solved",
)
_ACCEPTED: Final = "project.accepted"
_COMPLETED: Final = "project.completed"

Value = int | Fraction | None
"""An indicator's value: a count, an exact ratio, or None when undefined."""


@attrs.frozen(kw_only=True)
class Indicators:
    """The indicators of one node over one window; counts add up (``+``).

    The counts are the additive indicators of :data:`~microgov.metrics.CATALOGUE`;
    ``response_microseconds`` is the summed response time behind
    :attr:`mean_response_hours`, so that a mean is exact at every level.

    Attributes:
        topics_raised: Topics raised in the window.
        topics_responded: Of those, the ones answered.
        topics_converted: Of those, the ones turned into a micro-project.
        problems_solved: Topics resolved in the window.
        response_microseconds: Sum of first-response times of the answered topics.
        talents: Talents registered in the window.
        projects_accepted: Micro-projects accepted (举手接纳) in the window.
        projects_completed: Micro-projects completed (验收) in the window.
        activities: Activities held in the window.
        participations: Participations in them (人次).
        volunteer_services: Volunteer services in them (人次).
        volunteers: Registered volunteers on the window's last day (a stock, from the graph).
        resources: Grid resources (a stock, from the graph).
        residential_areas: Residential areas (from the graph).

    Example:
        >>> a = Indicators(topics_raised=2, topics_responded=2,
        ...                response_microseconds=3 * 3_600_000_000)
        >>> b = Indicators(topics_raised=1, topics_responded=1,
        ...                response_microseconds=6 * 3_600_000_000)
        >>> a.mean_response_hours, (a + b).mean_response_hours, (a + b).topics_raised
        (Fraction(3, 2), Fraction(3, 1), 3)
        >>> Indicators().mean_response_hours is None
        True
    """

    topics_raised: int = 0
    topics_responded: int = 0
    topics_converted: int = 0
    problems_solved: int = 0
    response_microseconds: int = 0
    talents: int = 0
    projects_accepted: int = 0
    projects_completed: int = 0
    activities: int = 0
    participations: int = 0
    volunteer_services: int = 0
    volunteers: int = 0
    resources: int = 0
    residential_areas: int = 0

    def __add__(self, other: Indicators) -> Indicators:
        if not isinstance(other, Indicators):
            return NotImplemented
        return Indicators(**{f: getattr(self, f) + getattr(other, f) for f in _FIELDS})

    @property
    def mean_response_hours(self) -> Fraction | None:
        """Mean first-response time of the answered topics, in hours; None if none."""
        if not self.topics_responded:
            return None
        return Fraction(self.response_microseconds, self.topics_responded * _US_PER_HOUR)

    @property
    def resources_per_area(self) -> Fraction | None:
        """Grid resources per residential area; None where there is no area."""
        if not self.residential_areas:
            return None
        return Fraction(self.resources, self.residential_areas)

    def value(self, id: str) -> Value:
        """The value of the catalogue indicator ``id``.

        Raises:
            PolicyError: ``metrics.unknown_indicator`` for an unknown id.

        Example:
            >>> Indicators(resources=11, residential_areas=2).value("resources_per_area")
            Fraction(11, 2)
        """
        indicator(id)
        result: Value = getattr(self, id)
        return result

    def as_dict(self) -> dict[str, Value]:
        """Every catalogue indicator's value, in catalogue order.

        Example:
            >>> list(Indicators().as_dict())[:3]
            ['topics_raised', 'topics_responded', 'topics_converted']
        """
        return {d.id: self.value(d.id) for d in CATALOGUE}


_FIELDS: Final = tuple(a.name for a in attrs.fields(Indicators))
_ZERO: Final = Indicators()


def _freeze_values(value: Mapping[str, Indicators]) -> Mapping[str, Indicators]:
    return MappingProxyType(dict(value))


def _freeze_levels(value: Mapping[str, Level]) -> Mapping[str, Level]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class MetricsReport:
    """The indicators of every node of a subtree over ``[start, end)``.

    Attributes:
        start: The window's first instant.
        end: The instant after it.
        values: Node id → :class:`Indicators` (zeros where nothing happened); each
            node's counts are its own plus its children's.
        levels: Node id → its :class:`~microgov.hierarchy.Level`.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.hierarchy import Level
        >>> from microgov.metrics import compute, year_window
        >>> start, end = year_window(2026)
        >>> r = compute(meilan_xihu(), start=start, end=end)
        >>> r.at("meilan-xihu").residential_areas, len(r.at_level(Level.RESIDENTIAL_AREA))
        (30, 30)
    """

    start: datetime
    end: datetime
    values: Mapping[str, Indicators] = attrs.field(converter=_freeze_values)
    levels: Mapping[str, Level] = attrs.field(converter=_freeze_levels)

    def at(self, node_id: str) -> Indicators:
        """The indicators of one node.

        Args:
            node_id: A node of the reported subtree.

        Returns:
            Its :class:`Indicators` (its own counts plus those below it).

        Raises:
            DataFormatError: ``metrics.not_in_report`` if the node is not in the report.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> start, end = year_window(2026)
            >>> report = compute(meilan_xihu(), start=start, end=end, under="area-01")
            >>> report.at("area-01").residential_areas
            1
            >>> report.at("area-02")
            Traceback (most recent call last):
            ...
            microgov.errors.DataFormatError: Node 'area-02' is not part of ... [metrics...]
        """
        try:
            return self.values[node_id]
        except (KeyError, TypeError):
            raise DataFormatError(
                f"Node {node_id!r} is not part of this metrics report.",
                f"节点 {node_id!r} 不在本指标报告范围内。",
                code="metrics.not_in_report",
                node_id=repr(node_id),
            ) from None

    def at_level(self, level: Level) -> dict[str, Indicators]:
        """The indicators of the nodes of one level, in the graph's pre-order.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> start, end = year_window(2026)
            >>> list(compute(meilan_xihu(), start=start, end=end).at_level(Level.TOWN))
            ['luodian']
        """
        return {k: v for k, v in self.values.items() if self.levels[k] is level}


def year_window(year: int) -> tuple[datetime, datetime]:
    """A calendar year in Asia/Shanghai: its first instant and the next year's.

    Raises:
        DataFormatError: ``metrics.bad_year`` for a year outside 1–9998.

    Example:
        >>> [t.isoformat() for t in year_window(2026)]
        ['2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00']
    """
    if type(year) is not int or not 1 <= year <= 9998:
        raise DataFormatError(
            f"year must be a whole number between 1 and 9998, not {year!r}.",
            f"year 须为 1 到 9998 之间的整数，而不是 {year!r}。",
            code="metrics.bad_year",
            year=repr(year),
        )
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def _aware(value: object, what: str, field: str) -> datetime:
    return aware_datetime(value, field, where=what)


def _optional_aware(value: object, what: str, field: str) -> datetime | None:
    return None if value is None else _aware(value, what, field)


class _Counter:
    """Per-node counts, filled while reading the inputs (private, mutable, local)."""

    __slots__ = ("counts", "hierarchy", "known", "under")

    def __init__(self, hierarchy: Hierarchy, under: str | None) -> None:
        self.hierarchy = hierarchy
        self.under = under
        self.counts: dict[str, dict[str, int]] = {}
        self.known: dict[str, bool] = {}

    def inside(self, node_id: object) -> bool:
        """Whether the node is reported on; an unknown node raises NodeNotFound."""
        try:
            return self.known[node_id]  # type: ignore[index]
        except (KeyError, TypeError):
            pass
        if not isinstance(node_id, str) or node_id not in self.hierarchy:
            raise NodeNotFound.for_id(str(node_id))
        found = self.under is None or self.hierarchy.is_within(node_id, self.under)
        self.known[node_id] = found
        return found

    def add(self, node_id: str, field: str, n: int = 1) -> None:
        own = self.counts.setdefault(node_id, {})
        own[field] = own.get(field, 0) + n


def _read_topics(
    counter: _Counter, topics: Iterable[TopicLike], lo: datetime, hi: datetime
) -> None:
    # Per scope: raised, converted, responded, response µs, solved (see _TOPIC_FIELDS).
    counts: dict[str, list[int]] = {}
    for topic in topics:
        try:
            tid, scope, state = topic.id, topic.scope, topic.state
            raised_at, project = topic.raised_at, topic.project_id
            responded, resolved = topic.first_response_at, topic.resolved_at
        except AttributeError as exc:
            raise DataFormatError(
                f"A topic must have id, scope, category, raised_at, state, project_id, "
                f"first_response_at and resolved_at: {exc}.",
                f"议题须包含 id、scope、raised_at、state 等属性：{exc}。",
                code="metrics.bad_topic",
            ) from None
        what = f"topic {tid!r}"
        raised = _aware(raised_at, what, "raised_at")
        first = _optional_aware(responded, what, "first_response_at")
        done = _optional_aware(resolved, what, "resolved_at")
        if state not in _TOPIC_STATES:
            raise DataFormatError(
                f"{what}: unknown state {state!r}; expected one of {_STATES_TEXT}.",
                f"议题 {tid!r} 的状态 {state!r} 未知。",
                code="metrics.bad_topic",
                topic_id=repr(tid),
                field="state",
            )
        for name, when in (("first_response_at", first), ("resolved_at", done)):
            if when is not None and when < raised:
                raise DataFormatError(
                    f"{what}: {name} {when.isoformat()} is before raised_at {raised.isoformat()}.",
                    f"议题 {tid!r} 的 {name}（{when.isoformat()}）早于提出时间"
                    f"（{raised.isoformat()}）。",
                    code="metrics.before_raised",
                    topic_id=repr(tid),
                    field=name,
                )
        if not counter.inside(scope):
            continue
        if lo <= raised < hi:
            own = counts.get(scope)
            if own is None:
                own = counts[scope] = [0, 0, 0, 0, 0]
            own[0] += 1
            if state == "converted" or project is not None:
                own[1] += 1
            if first is not None:
                own[2] += 1
                own[3] += (first - raised) // _MICROSECOND
        if done is not None and lo <= done < hi:
            own = counts.get(scope)
            if own is None:
                own = counts[scope] = [0, 0, 0, 0, 0]
            own[4] += 1
    for scope, own in counts.items():
        for field, n in zip(_TOPIC_FIELDS, own, strict=True):
            if n:
                counter.add(scope, field, n)


def _read_events(
    counter: _Counter,
    events: Iterable[Event],
    scopes: Mapping[str, str],
    lo: datetime,
    hi: datetime,
) -> None:
    seen: set[tuple[str, str]] = set()
    for event in events:
        if not isinstance(event, Event):
            raise DataFormatError(
                f"Project events must be lifecycle Event values, not {type(event).__name__}.",
                f"项目事件须为 lifecycle.Event，而不是 {type(event).__name__}。",
                code="metrics.bad_event",
            )
        field = {_ACCEPTED: "projects_accepted", _COMPLETED: "projects_completed"}.get(event.type)
        if field is None:
            continue
        at = _aware(event.at, f"event {event.type} of {event.item!r}", "at")
        if not lo <= at < hi or (event.item, field) in seen:
            continue
        try:
            scope = scopes[event.item]
        except KeyError:
            raise DataFormatError(
                f"No scope node for project {event.item!r}: give it in project_scopes.",
                f"项目 {event.item!r} 缺少所属节点：请在 project_scopes 中提供。",
                code="metrics.unknown_project",
                project_id=event.item,
            ) from None
        seen.add((event.item, field))
        if counter.inside(scope):
            counter.add(scope, field)


def compute(
    hierarchy: Hierarchy,
    *,
    start: datetime,
    end: datetime,
    topics: Iterable[TopicLike] = (),
    project_events: Iterable[Event] = (),
    project_scopes: Mapping[str, str] | None = None,
    talents: Iterable[TalentRecord] = (),
    activities: Iterable[Activity] = (),
    under: str | None = None,
) -> MetricsReport:
    """Compute every indicator of :data:`~microgov.metrics.CATALOGUE` for ``[start, end)``.

    Each input is counted at its node (a topic's scope, a project's scope, a talent's
    or an activity's node, a resource's grid, a volunteer's registration) and the
    counts are rolled up the graph, so every node's value is the sum of its own and its
    children's; ratios are then computed at each node from those sums.

    Args:
        hierarchy: The governance graph (also the source of resources and areas).
        start: The window's first instant (timezone-aware).
        end: The instant after the window (timezone-aware), after ``start``.
        topics: The topics (:class:`TopicLike`).
        project_events: Lifecycle events of micro-projects (others are ignored).
        project_scopes: Project id → its scope node, for the projects in
            ``project_events`` (events carry no scope).
        talents: Talent registrations.
        activities: Activities held.
        under: Report only the subtree of this node (inputs outside it are ignored).

    Returns:
        The report for every node of the subtree.

    Raises:
        NodeNotFound: For an unknown ``under`` or node of any input.
        DataFormatError: ``time.not_aware`` for a naive time,
            ``metrics.before_raised`` for a response or resolution before its topic,
            ``metrics.bad_topic`` / ``metrics.bad_event`` / ``metrics.bad_record`` for
            malformed input, ``metrics.unknown_project`` for an event without a scope,
            ``metrics.bad_window`` for a bad window.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.datasets import meilan_xihu
        >>> class Post:
        ...     def __init__(self, id, scope, hour, answered_after):
        ...         self.id, self.scope, self.category, self.state = id, scope, "x", "resolved"
        ...         self.project_id = None
        ...         self.raised_at = datetime(2026, 5, 4, hour, tzinfo=SHANGHAI)
        ...         self.first_response_at = self.raised_at + answered_after
        ...         self.resolved_at = self.first_response_at
        >>> posts = [Post("t1", "area-01", 9, timedelta(hours=1)),
        ...          Post("t2", "grid-01-1", 10, timedelta(hours=4, minutes=30))]
        >>> start, end = year_window(2026)
        >>> r = compute(meilan_xihu(), start=start, end=end, topics=posts)
        >>> r.at("area-01").topics_raised, r.at("area-01").mean_response_hours
        (2, Fraction(11, 4))
        >>> r.at("grid-01-1").topics_raised, r.at("luodian").problems_solved
        (1, 2)

    Complexity:
        O(n + N + L log L) for n inputs, N nodes and L links (each ``is_within`` is O(1)).
    """
    lo = _aware(start, "window", "start")
    hi = _aware(end, "window", "end")
    if not lo < hi:
        raise DataFormatError(
            f"The window is empty: start {lo.isoformat()} is not before end {hi.isoformat()}.",
            f"统计期为空：开始 {lo.isoformat()} 不早于结束 {hi.isoformat()}。",
            code="metrics.bad_window",
        )
    counter = _Counter(hierarchy, under)
    if under is not None:
        counter.inside(under)
    _read_topics(counter, topics, lo, hi)
    _read_events(counter, project_events, project_scopes or {}, lo, hi)
    for talent in talents:
        if not isinstance(talent, TalentRecord):
            raise DataFormatError(
                f"Talents must be TalentRecord values, not {type(talent).__name__}.",
                f"达人记录须为 TalentRecord，而不是 {type(talent).__name__}。",
                code="metrics.bad_record",
            )
        if counter.inside(talent.node) and lo <= talent.registered_at < hi:
            counter.add(talent.node, "talents")
    for activity in activities:
        if not isinstance(activity, Activity):
            raise DataFormatError(
                f"Activities must be Activity values, not {type(activity).__name__}.",
                f"活动须为 Activity，而不是 {type(activity).__name__}。",
                code="metrics.bad_record",
            )
        if counter.inside(activity.node) and lo <= activity.held_at < hi:
            counter.add(activity.node, "activities")
            counter.add(activity.node, "participations", len(activity.participants))
            counter.add(activity.node, "volunteer_services", len(activity.volunteers))
    last_day = (hi - _MICROSECOND).astimezone(SHANGHAI).date()
    for link in hierarchy.links:
        if isinstance(link, Resource):
            if counter.inside(link.node):
                counter.add(link.node, "resources")
        elif (
            isinstance(link, RoleAssignment)
            and link.role is Role.VOLUNTEER
            and link.active_on(last_day)
            and counter.inside(link.node)
        ):
            counter.add(link.node, "volunteers")
    subtree = hierarchy.nodes(under=under)
    for node in subtree:
        if node.level is Level.RESIDENTIAL_AREA:
            counter.add(node.id, "residential_areas")
    own = {node_id: Indicators(**counts) for node_id, counts in counter.counts.items()}
    rolled = hierarchy.rollup(own, under=under)
    return MetricsReport(
        start=lo,
        end=hi,
        values={n.id: rolled.get(n.id, _ZERO) for n in subtree},
        levels={n.id: n.level for n in subtree},
    )


def relative_change(current: Indicators, previous: Indicators) -> dict[str, Fraction | None]:
    """Each catalogue indicator's change against a previous value: ``(now − then) / then``.

    Exact; None when the previous value is 0 or None, or the current one is None.

    Example:
        >>> now = Indicators(topics_raised=5, talents=3)
        >>> then = Indicators(topics_raised=4)
        >>> change = relative_change(now, then)
        >>> change["topics_raised"], change["talents"]
        (Fraction(1, 4), None)
    """
    out: dict[str, Fraction | None] = {}
    for d in CATALOGUE:
        now, then = current.value(d.id), previous.value(d.id)
        out[d.id] = None if now is None or not then else Fraction(now - then) / then
    return out


@attrs.frozen(kw_only=True)
class YearOnYear:
    """A year's indicators beside the previous year's, with the relative change.

    Attributes:
        year: The year compared.
        current: That year's report.
        previous: The previous year's report.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> yoy = year_on_year(meilan_xihu(), year=2026)
        >>> yoy.change("luodian")["resources"], yoy.change("luodian")["topics_raised"]
        (Fraction(0, 1), None)
    """

    year: int
    current: MetricsReport
    previous: MetricsReport

    def change(self, node_id: str) -> dict[str, Fraction | None]:
        """Each indicator's change at a node (all None if the node is new this year).

        Args:
            node_id: A node of this year's report.

        Returns:
            Indicator id → exact relative change, or None (see :func:`relative_change`).

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> yoy = year_on_year(meilan_xihu(), year=2026, under="area-01")
            >>> yoy.change("area-01")["residential_areas"]
            Fraction(0, 1)

        Raises:
            DataFormatError: ``metrics.not_in_report`` if the node is not in this year's
                report.
        """
        now = self.current.at(node_id)
        then = self.previous.values.get(node_id)
        if then is None:
            return {d.id: None for d in CATALOGUE}
        return relative_change(now, then)


def year_on_year(
    hierarchy: Hierarchy,
    *,
    year: int,
    topics: Iterable[TopicLike] = (),
    project_events: Iterable[Event] = (),
    project_scopes: Mapping[str, str] | None = None,
    talents: Iterable[TalentRecord] = (),
    activities: Iterable[Activity] = (),
    under: str | None = None,
    previous_hierarchy: Hierarchy | None = None,
) -> YearOnYear:
    """Compute a calendar year (Asia/Shanghai) and the year before, and compare them.

    Args:
        hierarchy: The governance graph for ``year`` (resources and areas are counted
            on it).
        year: The year.
        topics: The topics of both years (and any others: they are filtered).
        project_events: Lifecycle events of micro-projects.
        project_scopes: Project id → its scope node.
        talents: Talent registrations.
        activities: Activities.
        under: Report only this subtree.
        previous_hierarchy: The graph for the previous year (e.g.
            ``hierarchy.as_of(date(year - 1, 12, 31))``); by default ``hierarchy``.
            Every input must name nodes of both graphs.

    Returns:
        The two reports; :meth:`YearOnYear.change` gives the exact relative changes.

    Raises:
        NodeNotFound: For an unknown ``under`` or node of any input.
        DataFormatError: As :func:`compute`, and ``metrics.bad_year``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.datasets import meilan_xihu
        >>> acts = [Activity(id=f"a{y}{i}", node="area-02",
        ...                  held_at=datetime(y, 6, 1, tzinfo=SHANGHAI))
        ...         for y, n in ((2025, 4), (2026, 5)) for i in range(n)]
        >>> yoy = year_on_year(meilan_xihu(), year=2026, activities=acts)
        >>> yoy.current.at("area-02").activities, yoy.change("area-02")["activities"]
        (5, Fraction(1, 4))
    """
    this_start, this_end = year_window(year)
    last_start, last_end = year_window(year - 1)
    kept_topics = tuple(topics)
    kept_events = tuple(project_events)
    kept_talents = tuple(talents)
    kept_activities = tuple(activities)
    current = compute(
        hierarchy,
        start=this_start,
        end=this_end,
        topics=kept_topics,
        project_events=kept_events,
        project_scopes=project_scopes,
        talents=kept_talents,
        activities=kept_activities,
        under=under,
    )
    previous = compute(
        previous_hierarchy if previous_hierarchy is not None else hierarchy,
        start=last_start,
        end=last_end,
        topics=kept_topics,
        project_events=kept_events,
        project_scopes=project_scopes,
        talents=kept_talents,
        activities=kept_activities,
        under=under,
    )
    return YearOnYear(year=year, current=current, previous=previous)
