"""A seeded governance season told as commands to the service (a client of it)."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Generator, Iterator
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Final

import attrs

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent, VerifyReport, verify
from microgov.calendar import WorkCalendar, default_calendar
from microgov.hierarchy import AddLink, Hierarchy, Level, Role, RoleAssignment
from microgov.policy import PolicyOverride
from microgov.service import CommandRefused, ManualClock, Receipt, Service
from microgov.store import EventStore, MemoryStore
from microgov.voting import Choice, Resident

__all__ = ["TOWN_OFFICE", "Season", "SeasonLog", "demo_service", "simulate_season"]

TOWN_OFFICE: Final = "town-office"
"""The synthetic town officer (a party secretary at the graph's root) the demos add:
the embedded dataset names no one at the town, and budgets, rounds and policy are the
town's to decide."""

_TOPIC_TITLES = (
    ("晾衣架老化，希望更换", "old clothes-drying racks"),
    ("小区步道破损", "broken garden path"),
    ("电动车充电桩不足", "too few EV charging posts"),
    ("楼道堆物影响通行", "clutter in the stairwell"),
    ("垃圾分类点异味", "smell at the waste-sorting point"),
    ("健身器材需维修", "fitness equipment needs repair"),
    ("停车位紧张", "parking is short"),
)
FUND_PER_HOUSEHOLD_FEN: Final = 4_000  # ¥40 per household: the demo's setting, not a rule
FUND_FLOOR_FEN: Final = 2_000_000  # ¥20,000 at least per area: the demo's setting


@attrs.frozen
class SeasonLog:
    """A season's events as read back from its store, in chain order.

    Attributes:
        events: The events.
        genesis: The chain's genesis hash.
        head: The hash of the last event.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> s = simulate_season(meilan_xihu(), seed=3, start=date(2026, 3, 2), areas=1)
        >>> len(s.log) == s.audit.count, s.log.head == s.audit.head
        (True, True)
    """

    events: tuple[AuditEvent, ...]
    genesis: str
    head: str

    def __len__(self) -> int:
        return len(self.events)


@attrs.frozen(kw_only=True)
class Season:
    """What a simulated season produced, with its store and the store's verification.

    Attributes:
        start: The first day of the season.
        topics_raised: Topics (议题) residents raised.
        topics_converted: Topics turned into micro-projects.
        topics_resolved: Topics resolved without a project.
        projects_proposed: Micro-projects proposed.
        projects_rejected: Projects the residents' vote did not accept.
        projects_funded: Projects funded (grant and first tranche in the same write).
        projects_closed: Projects carried through to evaluation and closed.
        votes: Hand-raising votes held.
        refusals: Commands the service refused (each wrote nothing).
        hands_raised: Hands raised over all votes.
        households_entitled: Households entitled to a hand, summed over all votes.
        granted_fen: The grants promised, in fen.
        store: The event store holding every event of the season.
        audit: The verification of the hash chain read back from the store.
    """

    start: date
    topics_raised: int
    topics_converted: int
    topics_resolved: int
    projects_proposed: int
    projects_rejected: int
    projects_funded: int
    projects_closed: int
    votes: int
    refusals: int
    hands_raised: int
    households_entitled: int
    granted_fen: int
    store: EventStore = attrs.field(eq=False, repr=False)
    audit: VerifyReport

    @property
    def log(self) -> SeasonLog:
        """The season's events read back from its store (chain order, genesis, head).

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> s = simulate_season(meilan_xihu(), seed=3, start=date(2026, 3, 2), areas=1)
            >>> s.log.events[0].type
            'graph.snapshot'
        """
        return SeasonLog(
            events=self.store.read_all(), genesis=self.store.genesis, head=self.audit.head
        )

    @property
    def participation(self) -> Fraction | None:
        """Hands raised over households entitled, over all votes (exact); None without votes.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> s = simulate_season(meilan_xihu(), seed=3, start=date(2026, 3, 2), areas=1)
            >>> 0 < s.participation <= 1
            True
        """
        if not self.households_entitled:
            return None
        return Fraction(self.hands_raised, self.households_entitled)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _holder(hierarchy: Hierarchy, node: str, role: Role, on: date) -> str:
    return hierarchy.holders(node, role=role, on=on)[0].person


def _households(hierarchy: Hierarchy, area: str, rng: random.Random) -> list[Resident]:
    """The area's roll: one adult representative per household, a few not yet verified."""
    residents: list[Resident] = []
    for group in hierarchy.nodes_at(Level.BUILDING_GROUP, under=area):
        for n in range(1, group.households + 1):
            household = f"{group.id}-h{n:03d}"
            residents.append(
                Resident(
                    id=f"{household}-r1",
                    household=household,
                    home=group.id,
                    adult=True,
                    verified=rng.random() < 0.93,
                    household_representative=True,
                )
            )
    return residents


def demo_service(
    hierarchy: Hierarchy,
    *,
    start: datetime,
    chosen: list[str],
    rng: random.Random,
    year: int,
    store: EventStore | None = None,
    calendar: WorkCalendar | None = None,
    chain_id: str = "microgov-demo",
    funds: dict[str, int] | None = None,
) -> tuple[Service, ManualClock, dict[str, list[Resident]]]:
    """A service for a demo: the graph (with a synthetic town officer), grants in two
    halves, the areas' rolls, each area's special fund for ``year`` (``funds``, or
    ¥40 per household and at least ¥20,000: the demo's settings).

    Example:
        >>> import random
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.datasets import meilan_xihu
        >>> service, clock, rolls = demo_service(meilan_xihu(), chosen=["area-01"],
        ...     start=datetime(2026, 3, 1, 8, tzinfo=SHANGHAI), rng=random.Random(1), year=2026)
        >>> service.balance("area-01").fen > 0, len(rolls["area-01"]) > 100
        (True, True)
    """
    clock = ManualClock(start)
    service = Service(
        store if store is not None else MemoryStore(chain_id=chain_id),
        clock=clock,
        name=hierarchy.roots[0].id,
        calendar=calendar or default_calendar(),
    )
    root = hierarchy.roots[0].id
    office = RoleAssignment(
        id=f"ra-{TOWN_OFFICE}",
        person=TOWN_OFFICE,
        role=Role.PARTY_SECRETARY,
        node=root,
        start=date(2020, 1, 1),
        synthetic=True,
    )
    graph = hierarchy.apply(AddLink(link=office, effective=date(2020, 1, 1)))
    service.record_graph("setup:graph", actor="installer", hierarchy=graph)
    service.set_policy(
        "setup:policy",
        actor=TOWN_OFFICE,
        node=root,
        effective_from=date(2020, 1, 1),
        overrides=PolicyOverride(tranches=(Fraction(1, 2), Fraction(1, 2))),
    )
    households = hierarchy.rollup("households")
    rolls: dict[str, list[Resident]] = {}
    day = start.date()
    for area in chosen:
        rolls[area] = _households(hierarchy, area, rng)
        worker = _holder(hierarchy, area, Role.SOCIAL_WORKER, day)
        service.register_residents(f"setup:roll:{area}", actor=worker, residents=rolls[area])
        fund = max(FUND_FLOOR_FEN, households.get(area, 0) * FUND_PER_HOUSEHOLD_FEN)
        if funds is not None:
            fund = funds.get(area, 0)
        if fund:
            service.budget_area(
                f"setup:fund:{year}:{area}",
                actor=TOWN_OFFICE,
                area=area,
                amount_fen=fund,
                year=year,
            )
    return service, clock, rolls


@attrs.define
class _Story:
    """The bookkeeping of one run: the service, the counts, a refusal counter."""

    service: Service
    clock: ManualClock
    hierarchy: Hierarchy
    rng: random.Random
    rolls: dict[str, list[Resident]]
    counts: dict[str, int] = attrs.Factory(dict)
    serial: int = 0

    def bump(self, key: str, by: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + by

    def cmd(self, call: Callable[..., Receipt], **kwargs: object) -> bool:
        """Send one command; a refusal is counted (it wrote nothing)."""
        self.serial += 1
        try:
            call(f"season:{self.serial}", **kwargs)
        except CommandRefused:
            self.bump("refusals")
            return False
        return True


def _area_story(s: _Story, area: str, start: date, index: int) -> Generator[datetime, None, None]:
    """The season of one residential area, as a generator yielding when it next acts."""
    h, rng, svc = s.hierarchy, s.rng, s.service
    worker = _holder(h, area, Role.SOCIAL_WORKER, start)
    day = start + timedelta(days=index % 5)
    residents = [r for r in s.rolls[area] if r.verified]
    converted: list[str] = []
    for n in range(rng.randint(2, 4)):
        topic = f"{area}-t{n + 1}"
        title_zh, title_en = _TOPIC_TITLES[rng.randrange(len(_TOPIC_TITLES))]
        yield _at(day + timedelta(days=2 * n), 8 + n, rng.randrange(60))
        author = residents[rng.randrange(len(residents))].id
        s.cmd(
            svc.raise_topic,
            actor=author,
            topic=topic,
            scope=area,
            title_zh=title_zh,
            title_en=title_en,
        )
        s.bump("topics_raised")
        yield s.clock() + timedelta(hours=rng.randint(1, 6))  # 一日三巡
        s.cmd(svc.advance_topic, actor=worker, topic=topic, command="acknowledge")
        yield s.clock() + timedelta(days=rng.randint(1, 3))
        if n == 0 or rng.random() < 0.3:
            s.cmd(
                svc.convert_topic,
                actor=worker,
                topic=topic,
                project=f"{topic}-p",
                title_zh=title_zh,
                title_en=title_en,
                cost_fen=rng.randrange(10_000, 60_001, 100) * 100,
            )
            converted.append(topic)
            s.bump("topics_converted")
        else:
            s.cmd(svc.advance_topic, actor=worker, topic=topic, command="resolve")
            s.bump("topics_resolved")
    for topic in converted:
        yield from _project_story(s, area, f"{topic}-p", worker)


def _project_story(
    s: _Story, area: str, project: str, worker: str
) -> Generator[datetime, None, None]:
    h, rng, svc = s.hierarchy, s.rng, s.service
    cal = svc.calendar
    on = s.clock().date()
    secretary = _holder(h, area, Role.PARTY_SECRETARY, on)
    s.bump("projects_proposed")
    yield _at(s.clock().date() + timedelta(days=1), 10)
    s.cmd(svc.advance_project, actor=worker, project=project, command="open_solicitation")
    yield _at(cal.add_working_days(s.clock().date(), 5), 9)  # 意见征集: five working days
    s.cmd(svc.advance_project, actor=secretary, project=project, command="raise_hands")
    vote = f"{project}-vote"
    s.cmd(
        svc.open_vote,
        actor=secretary,
        project=project,
        vote=vote,
        question_zh="是否同意实施该微项目？",
        question_en="Do you accept this micro-project?",
    )
    s.bump("votes")
    turnout, favour = rng.uniform(0.35, 0.8), rng.uniform(0.45, 0.95)
    voters = [r for r in s.rolls[area] if r.verified]
    online: list[tuple[str, Choice]] = []
    sheets: dict[str, list[tuple[str, Choice]]] = {}
    for resident in voters:
        if rng.random() < turnout:
            choice = Choice.IN_FAVOUR if rng.random() < favour else Choice.AGAINST
            if rng.random() < 0.2:
                online.append((resident.id, choice))
            else:
                sheets.setdefault(resident.home, []).append((resident.id, choice))
    yield s.clock() + timedelta(hours=rng.randint(1, 12))
    for voter, choice in online:  # raised on the platform, one by one
        s.cmd(svc.raise_hand, actor=voter, vote=vote, choice=choice)
    yield s.clock() + timedelta(hours=24)
    for group, sheet in sorted(sheets.items()):  # paper sheets of the 楼组议事角
        counter = _holder(h, group, Role.GRID_LEADER, s.clock().date())
        s.cmd(svc.record_hands, actor=counter, vote=vote, hands=sheet)
    yield svc.vote(vote).closes_at + timedelta(hours=1)
    s.cmd(svc.close_vote, actor=secretary, vote=vote)
    tally = svc.vote(vote)
    s.bump("hands", tally.present or 0)
    s.bump("entitled", tally.entitled)
    if not tally.passed:
        s.cmd(svc.advance_project, actor=secretary, project=project, command="reject")
        s.bump("projects_rejected")
        return
    s.cmd(svc.advance_project, actor=secretary, project=project, command="accept")
    yield s.clock() + timedelta(days=1)
    s.cmd(svc.advance_project, actor=worker, project=project, command="publish_decision")
    yield s.clock() + timedelta(days=3)
    if not s.cmd(svc.fund_project, actor=secretary, project=project):
        return  # the area's fund cannot carry it this season
    s.bump("projects_funded")
    s.bump("granted", svc.grant(project) or 0)
    yield s.clock() + timedelta(days=7)
    s.cmd(svc.advance_project, actor=worker, project=project, command="start")
    for percent, milestone in ((40, "材料进场"), (80, "主体完工")):
        yield s.clock() + timedelta(days=rng.randint(7, 14))
        s.cmd(
            svc.advance_project,
            actor=worker,
            project=project,
            command="record_progress",
            percent=percent,
            milestone=milestone,
        )
    yield s.clock() + timedelta(days=7)
    grid = h.parent(voters[0].home) if voters else None
    inspector = _holder(h, grid.id, Role.GRID_LEADER, s.clock().date()) if grid else secretary
    s.cmd(svc.record_check, actor=inspector, project=project, check="safety 安全", passed=True)
    s.cmd(
        svc.record_check,
        actor=secretary,
        project=project,
        check="quality 质量",
        passed=rng.random() < 0.9,
    )
    if not s.cmd(svc.advance_project, actor=secretary, project=project, command="complete"):
        yield s.clock() + timedelta(days=5)  # 整改: fixed and checked again
        s.cmd(svc.record_check, actor=secretary, project=project, check="quality 质量", passed=True)
        s.cmd(svc.advance_project, actor=secretary, project=project, command="complete")
    yield s.clock() + timedelta(days=1)
    s.cmd(svc.advance_project, actor=worker, project=project, command="publicise")
    yield s.clock() + timedelta(hours=rng.randint(2, 30))
    for resident in voters[: max(1, len(voters) // 10)]:
        s.cmd(svc.score, actor=resident.id, project=project, score=rng.randint(45, 100))
    if rng.random() < 0.25 and voters:
        objector = voters[rng.randrange(len(voters))].id
        s.cmd(svc.advance_project, actor=objector, project=project, command="object")
        yield s.clock() + timedelta(days=2)
        s.cmd(
            svc.resolve_objection,
            actor=secretary,
            project=project,
            objection=f"{project}:o1",
            resolution="已答复并说明 / answered",
        )
        s.cmd(svc.advance_project, actor=secretary, project=project, command="resume")
    deadline = svc.project(project).next_deadline
    yield (deadline.at if deadline else s.clock()) + timedelta(hours=9)
    if s.cmd(svc.advance_project, actor=secretary, project=project, command="evaluate"):
        yield s.clock() + timedelta(days=1)
        if s.cmd(svc.advance_project, actor=secretary, project=project, command="close"):
            s.bump("projects_closed")


def _run(stories: list[Iterator[datetime]], clock: ManualClock) -> None:
    """Interleave the stories in time order: the clock never goes backwards."""
    queue: list[tuple[datetime, int, Iterator[datetime]]] = []
    for index, story in enumerate(stories):
        first = next(story, None)
        if first is not None:
            heapq.heappush(queue, (first, index, story))
    while queue:
        at, index, story = heapq.heappop(queue)
        clock.set(at)
        upcoming = next(story, None)
        if upcoming is not None:
            heapq.heappush(queue, (max(upcoming, clock()), index, story))


def simulate_season(
    hierarchy: Hierarchy,
    *,
    seed: int = 2026,
    start: date = date(2026, 3, 2),
    areas: int | None = None,
    calendar: WorkCalendar | None = None,
    store: EventStore | None = None,
) -> Season:
    """Simulate a governance season as commands to a :class:`~microgov.service.Service`.

    The story only says who does what when: residents raise topics (议题) that social
    workers answer and sometimes turn into micro-projects; the party branch calls hands
    (举手立项); households raise hands online or on the paper sheets of their building
    group's corner (楼组议事角), counted in one write; the vote is closed and counted
    by the service under the law in force, which accepts or rejects the project on that
    recorded tally; accepted projects are funded from the area's special fund (grant
    and first tranche in the same write), carried out, inspected by recorded checks
    (验收), publicised for the policy's notice period counted in working days (公示),
    sometimes objected to, and evaluated from the residents' recorded scores (评价),
    which releases the second tranche.  Every rule is the service's; the chain is
    verified from the store at the end.

    Args:
        hierarchy: The governance graph; its residential areas need a party secretary,
            a social worker and grid leaders (the embedded 美兰西湖 dataset has them).
        seed: The random seed; the same seed gives the same season, event for event.
        start: The first day of the season.
        areas: Simulate only the first ``areas`` residential areas (all by default).
        calendar: The working-day calendar (default:
            :func:`~microgov.calendar.default_calendar`).
        store: Where the events go (default: a new in-memory store).

    Returns:
        The season's figures, its store and the store's verification.

    Raises:
        CalendarError: If the season runs into a year the calendar does not cover.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> a = simulate_season(meilan_xihu(), seed=1, start=date(2026, 3, 2), areas=2)
        >>> b = simulate_season(meilan_xihu(), seed=1, start=date(2026, 3, 2), areas=2)
        >>> a == b, a.audit.ok, a.audit.head == b.audit.head
        (True, True, True)
    """
    rng = random.Random(seed)
    chosen = [n.id for n in hierarchy.nodes_at(Level.RESIDENTIAL_AREA)[:areas]]
    service, clock, rolls = demo_service(
        hierarchy,
        start=_at(start - timedelta(days=1), 8),
        chosen=chosen,
        rng=rng,
        year=start.year,
        store=store,
        calendar=calendar,
        chain_id=f"microgov-demo-{seed}",
    )
    story = _Story(service=service, clock=clock, hierarchy=hierarchy, rng=rng, rolls=rolls)
    _run([_area_story(story, area, start, i) for i, area in enumerate(chosen)], clock)
    counts = story.counts
    return Season(
        start=start,
        topics_raised=counts.get("topics_raised", 0),
        topics_converted=counts.get("topics_converted", 0),
        topics_resolved=counts.get("topics_resolved", 0),
        projects_proposed=counts.get("projects_proposed", 0),
        projects_rejected=counts.get("projects_rejected", 0),
        projects_funded=counts.get("projects_funded", 0),
        projects_closed=counts.get("projects_closed", 0),
        votes=counts.get("votes", 0),
        refusals=counts.get("refusals", 0),
        hands_raised=counts.get("hands", 0),
        households_entitled=counts.get("entitled", 0),
        granted_fen=counts.get("granted", 0),
        store=service.store,
        audit=verify(service.events(), genesis=service.store.genesis),
    )
