"""A seeded, simulated year of topics (议题) on a governance graph."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Final

from microgov._time import SHANGHAI
from microgov.calendar import WorkCalendar, default_calendar
from microgov.errors import CalendarError, HierarchyError, PolicyError
from microgov.hierarchy import Hierarchy, Level, Node, Role
from microgov.topics import (
    CATEGORIES,
    AuthorKind,
    Topic,
    act,
    raise_topic,
    respond,
)

__all__ = ["PATROLS_REST_DAY", "PATROLS_WORKING_DAY", "simulate_topics"]

PATROLS_WORKING_DAY: Final[tuple[tuple[time, time], ...]] = (
    (time(8, 0), time(9, 0)),
    (time(13, 0), time(14, 0)),
    (time(17, 0), time(18, 0)),
)
"""The simulation's patrol windows on a working day ("three patrols a day", 一日三巡).

These are the simulation's assumption, not a rule: the SLA rules take their own,
configurable schedule.

Example:
    >>> [f"{a:%H:%M}-{b:%H:%M}" for a, b in PATROLS_WORKING_DAY]
    ['08:00-09:00', '13:00-14:00', '17:00-18:00']
"""

PATROLS_REST_DAY: Final[tuple[tuple[time, time], ...]] = ((time(9, 0), time(10, 0)),)
"""The simulation's patrol window on a weekend or public holiday (one duty round).

Example:
    >>> [f"{a:%H:%M}-{b:%H:%M}" for a, b in PATROLS_REST_DAY]
    ['09:00-10:00']
"""

# Posting rhythm by hour of day (relative weights): quiet nights, a morning and an
# evening peak.
# fmt: off
_HOUR_WEIGHTS: Final = (
    2, 1, 1, 1, 1, 1, 3, 8, 11, 11, 10, 9, 8, 9, 9, 9, 9, 10, 10, 11, 11, 9, 6, 4
)
# fmt: on
_CATEGORY_WEIGHTS: Final = (22, 8, 18, 8, 6, 20, 8, 10)  # in the order of CATEGORIES
_TITLES: Final[dict[str, tuple[str, ...]]] = {
    "environment": ("垃圾房异味", "楼道堆物影响通行", "垃圾分类点满溢"),
    "safety": ("电动车楼道充电", "消防通道被占", "路灯不亮"),
    "parking": ("停车位紧张", "非机动车乱停放", "外来车辆占位"),
    "greening": ("树枝遮挡窗户", "草坪枯死", "绿化带被占用种菜"),
    "elderly_care": ("希望增设助餐点", "独居老人需要探望", "老年活动室开放时间"),
    "repair": ("晾衣架老化", "健身器材损坏", "小区步道破损", "单元门禁失灵"),
    "neighbours": ("楼上噪音扰民", "空调外机滴水", "宠物扰邻"),
    "other": ("团购规则讨论", "建议增设快递柜", "社区活动建议"),
}
_STAFF_ROLES: Final = frozenset({Role.SOCIAL_WORKER, Role.COMMITTEE_MEMBER})


class _Clock:
    """Patrol windows of the year, and the next instant an official is on patrol."""

    def __init__(self, year: int, calendar: WorkCalendar) -> None:
        first = date(year, 1, 1)
        self.days = [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]
        self.working = {d: calendar.is_working_day(d) for d in self.days}
        self.end = datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
        self.windows: list[tuple[datetime, datetime]] = []
        for d in self.days:
            for a, b in PATROLS_WORKING_DAY if self.working[d] else PATROLS_REST_DAY:
                self.windows.append(
                    (
                        datetime.combine(d, a, tzinfo=SHANGHAI),
                        datetime.combine(d, b, tzinfo=SHANGHAI),
                    )
                )
        self.last_calls = [b - timedelta(minutes=5) for _, b in self.windows]

    def window_index(self, at: datetime) -> int | None:
        """The first window that ends at least 5 minutes after ``at``, or None this year."""
        index = bisect.bisect_right(self.last_calls, at)
        return index if index < len(self.windows) else None

    def on_patrol(self, at: datetime, rng: random.Random, *, skip: int = 0) -> datetime | None:
        """An instant during the first patrol after ``at`` (``skip`` more patrols later)."""
        index = self.window_index(at)
        if index is None or index + skip >= len(self.windows):
            return None
        a, b = self.windows[index + skip]
        begin = max(a, at) if skip == 0 else a
        span = int((b - begin).total_seconds())
        return begin + timedelta(seconds=rng.randrange(60, max(61, min(span, 50 * 60))))


def _households(hierarchy: Hierarchy, area: Node) -> int:
    return sum(n.households for n in hierarchy.nodes(Level.BUILDING_GROUP, under=area.id))


_Step = tuple[datetime, int, Callable[[Topic], Topic]]


class _Planner:
    """The actions taken on one topic, as (time, order, step), applied in time order."""

    def __init__(
        self, rng: random.Random, clock: _Clock, hierarchy: Hierarchy, topic: Topic
    ) -> None:
        self.rng, self.clock, self.hierarchy, self.topic = rng, clock, hierarchy, topic
        self.steps: list[_Step] = []

    def respond(self, author: str, kind: AuthorKind, at: datetime, text: str) -> None:
        def step(topic: Topic) -> Topic:
            return respond(topic, author=author, kind=kind, at=at, text=text)[0]

        self.steps.append((at, len(self.steps), step))

    def act(self, command: str, actor: str, at: datetime, project_id: str | None = None) -> None:
        hierarchy = self.hierarchy

        def step(topic: Topic) -> Topic:
            return act(
                topic, command, actor=actor, at=at, hierarchy=hierarchy, project_id=project_id
            )[0]

        self.steps.append((at, len(self.steps), step))

    def plan(self, staff: Sequence[str]) -> list[_Step]:
        rng, clock, topic = self.rng, self.clock, self.topic
        raised = topic.raised_at
        # Neighbours' comments (评论/跟帖) on about one topic in five.
        if rng.randrange(100) < 20:
            for _ in range(1 + rng.randrange(2)):
                when = raised + timedelta(minutes=rng.randrange(5, 48 * 60))
                neighbour = f"{topic.author}-neighbour-{rng.randrange(50)}"
                self.respond(neighbour, AuthorKind.RESIDENT, when, "+1")
        luck = rng.randrange(100)
        if not staff or luck < 6:  # never answered
            return self.steps
        skip = 1 + rng.randrange(3) if luck < 15 else 0  # answered late: patrols missed
        local = raised.astimezone(SHANGHAI).time()
        if not skip and time(7, 0) <= local <= time(21, 30) and rng.randrange(100) < 50:
            # Seen on the phone between patrols: answered within two hours.
            answered: datetime | None = raised + timedelta(minutes=rng.randrange(10, 121))
        else:
            answered = clock.on_patrol(raised, rng, skip=skip)
        if answered is None:
            return self.steps
        official = staff[rng.randrange(len(staff))]
        self.respond(official, AuthorKind.OFFICIAL, answered, "收到，已安排处理。")
        self.act("acknowledge", official, answered)
        outcome = rng.randrange(100)
        if outcome >= 80:  # still waiting, or being worked on, at the end of the year
            if outcome >= 90:
                at = clock.on_patrol(answered + timedelta(hours=1), rng)
                if at is not None:
                    self.act("start", official, at)
            return self.steps
        later = answered
        if outcome < 68 and rng.randrange(100) < 50:
            at = clock.on_patrol(answered + timedelta(hours=1), rng)
            if at is None:
                return self.steps
            self.act("start", official, at)
            later = at
        if outcome < 52:
            self._resolve(official, later)
        elif outcome < 68:
            at = clock.on_patrol(later + timedelta(days=rng.randrange(3, 21)), rng)
            if at is not None:
                self.act("convert", official, at, f"project-{topic.id.removeprefix('topic-')}")
        else:  # a duplicate, or not the committee's business
            at = clock.on_patrol(answered + timedelta(minutes=10), rng)
            if at is not None:
                self.act("close", official, at)
        return self.steps

    def _resolve(self, official: str, after: datetime) -> None:
        rng, clock, author = self.rng, self.clock, self.topic.author
        done = clock.on_patrol(after + timedelta(hours=rng.randrange(2, 240)), rng)
        if done is None:
            return
        self.act("resolve", official, done)
        if rng.randrange(100) >= 5:
            return
        # The author is not satisfied and reopens it; half the time it is fixed again.
        again = done + timedelta(hours=rng.randrange(12, 120))
        self.act("reopen", author, again)
        self.respond(author, AuthorKind.RESIDENT, again, "问题仍未解决。")
        back = clock.on_patrol(again, rng) if rng.randrange(2) else None
        if back is None:
            return
        self.respond(official, AuthorKind.OFFICIAL, back, "再次处理。")
        self.act("acknowledge", official, back)
        fixed = clock.on_patrol(back + timedelta(hours=rng.randrange(2, 72)), rng)
        if fixed is not None:
            self.act("resolve", official, fixed)


def simulate_topics(
    hierarchy: Hierarchy,
    *,
    seed: int,
    year: int,
    volume: int = 3000,
    calendar: WorkCalendar | None = None,
) -> tuple[Topic, ...]:
    """A seeded, realistic year of topics raised on the residential areas of a graph.

    The same graph, seed, year and volume always give the same topics.  What it draws:

    * **How many, where.**  About ``volume`` topics, shared among the residential
      areas by their households (summed over their building groups) times a take-up
      factor of 60–140 % drawn per area; one area in ten (at least one when there
      are ten or more) has a take-up of 2–5 %, so a few small areas have few topics.
    * **When.**  Any day of the year, weekends and public holidays a little more, the
      working day before a day off more still; any hour, with quiet nights and morning
      and evening peaks (so posts at 23:50 before a holiday happen).
    * **Answers.**  Officials (the area's social workers and committee members on
      1 July) answer with a response plus ``acknowledge``.  About 6 % are
      never answered and 9 % are answered one to three patrols late; of the others,
      half of those posted between 07:00 and 21:30 are answered within two hours
      (seen between patrols), the rest during the first patrol after the post:
      :data:`PATROLS_WORKING_DAY` on working days, :data:`PATROLS_REST_DAY` on days
      off (by ``calendar``, make-up working days included).  With the defaults the
      mean first response is some 7 hours, the median about 2.
    * **Then.**  Of the answered: about half resolved within ten days (one in twenty
      of them reopened by the author, half of those resolved again), 16 % converted into
      a micro-project (``project-<year>-<area>-<n>``), 12 % closed, the rest left
      acknowledged or in progress.  One topic in five gets a neighbour's comment.
    * Nothing happens after the year's end: the topics are as they stand at
      ``<year+1>-01-01T00:00+08:00``.  Topics raised after the year's last patrol
      wait for a patrol in the next year, so measuring their response time (e.g.
      with :mod:`microgov.sla`) needs a calendar that covers that year too.

    Every step goes through the public operations (:func:`raise_topic`,
    :func:`respond`, :func:`act`), so each topic is valid and authorized on the graph.

    Args:
        hierarchy: The governance graph (e.g. :func:`microgov.datasets.meilan_xihu`).
        seed: The random seed.
        year: The year simulated; ``calendar`` must cover it.
        volume: About how many topics in all (an integer >= 0).
        calendar: The working-day calendar; :func:`microgov.calendar.default_calendar`
            by default.

    Returns:
        The topics, by time raised then id; ids are ``topic-<year>-<area id>-<n>``.

    Raises:
        CalendarError: ``calendar.not_covered`` if the calendar does not cover ``year``.
        HierarchyError: ``topic.no_areas`` if the graph has no residential area.
        PolicyError: ``topic.bad_volume`` for a negative or non-integer ``volume``.

    Complexity:
        O(volume · log(patrols)) plus one pass over the year's days; a year of 3,000
        topics takes a fraction of a second.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> topics = simulate_topics(meilan_xihu(), seed=1, year=2026, volume=600)
        >>> 500 < len(topics) < 700
        True
        >>> topics == simulate_topics(meilan_xihu(), seed=1, year=2026, volume=600)
        True
        >>> sorted({t.state for t in topics})
        ['acknowledged', 'closed', 'converted', 'in_progress', 'open', 'resolved']
        >>> simulate_topics(meilan_xihu(), seed=1, year=2027)
        Traceback (most recent call last):
        ...
        microgov.errors.CalendarError: The working-day calendar does not cover 2027... [calendar.not_covered]
    """  # noqa: E501
    if type(volume) is not int or volume < 0:
        raise PolicyError(
            f"volume must be an integer >= 0, got {volume!r}.",
            f"volume 须为不小于 0 的整数，实际为 {volume!r}。",
            code="topic.bad_volume",
            volume=volume,
        )
    cal = default_calendar() if calendar is None else calendar
    if type(year) is not int or not cal.covers(year):
        raise CalendarError(
            f"The working-day calendar does not cover {year!r}; simulate a covered year "
            "or pass a calendar with that year's schedule.",
            f"工作日历不包含 {year!r} 年的数据；请模拟已覆盖的年份，或提供含该年安排的日历。",
            code="calendar.not_covered",
            year=year,
        )
    areas = hierarchy.nodes_at(Level.RESIDENTIAL_AREA)
    if not areas:
        raise HierarchyError(
            "The governance graph has no residential area to raise topics on.",
            "治理层级图中没有可发布议题的居民区。",
            code="topic.no_areas",
        )
    rng = random.Random(seed * 1_000_003 + year)
    clock = _Clock(year, cal)
    # Days of the year, weighted: days off 12, the working day before a day off 15, else 10.
    day_weights = []
    for n, d in enumerate(clock.days):
        working = clock.working[d]
        before_off = n + 1 < len(clock.days) and not clock.working[clock.days[n + 1]]
        day_weights.append(12 if not working else 15 if before_off else 10)
    day_cum = _cumulate(day_weights)
    hour_cum = _cumulate(_HOUR_WEIGHTS)
    category_cum = _cumulate(_CATEGORY_WEIGHTS)
    hours = range(24)

    low = set(rng.sample(range(len(areas)), k=len(areas) // 10))
    take_up = [
        rng.randrange(2, 6) if n in low else rng.randrange(60, 141) for n in range(len(areas))
    ]
    size = [max(1, _households(hierarchy, a)) for a in areas]
    total = sum(s * f for s, f in zip(size, take_up, strict=True)) or 1
    on = date(year, 7, 1)
    topics: list[Topic] = []
    for area, households, factor in zip(areas, size, take_up, strict=True):
        share = Fraction(volume * households * factor, total) * Fraction(
            rng.randrange(90, 111), 100
        )
        count = round(share)
        staff = sorted(
            {
                a.person
                for a in hierarchy.holders(area.id, on=on, inherited=False)
                if a.role in _STAFF_ROLES
            }
        )
        times = sorted(
            datetime.combine(
                rng.choices(clock.days, cum_weights=day_cum)[0],
                time(
                    rng.choices(hours, cum_weights=hour_cum)[0],
                    rng.randrange(60),
                    rng.randrange(60),
                ),
                tzinfo=SHANGHAI,
            )
            for _ in range(count)
        )
        residents = max(10, households // 3)
        for n, raised in enumerate(times, start=1):
            category = rng.choices(CATEGORIES, cum_weights=category_cum)[0].key
            titles = _TITLES[category]
            title = titles[rng.randrange(len(titles))]
            topic, _ = raise_topic(
                hierarchy,
                id=f"topic-{year}-{area.id}-{n:04d}",
                scope=area.id,
                category=category,
                author=f"resident-{area.id}-{rng.randrange(residents):04d}",
                at=raised,
                title=title,
                text=f"{title}，请居委会关注。",
            )
            steps = _Planner(rng, clock, hierarchy, topic).plan(staff)
            steps.sort(key=lambda s: (s[0], s[1]))
            for at, _, step in steps:
                if at >= clock.end:
                    break
                topic = step(topic)
            topics.append(topic)
    topics.sort(key=lambda t: (t.raised_at, t.id))
    return tuple(topics)


def _cumulate(weights: Sequence[int]) -> list[int]:
    out: list[int] = []
    running = 0
    for w in weights:
        running += w
        out.append(running)
    return out
