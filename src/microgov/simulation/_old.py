"""A seeded, simulated governance season on a hierarchy: topics, hand-raising, projects.

This module composes the cores — :mod:`microgov.lifecycle`, :mod:`microgov.voting`,
:mod:`microgov.calendar`, :mod:`microgov.audit` — the way a host system would: residents
raise topics (议题) that social workers answer and sometimes turn into micro-projects;
the party branch takes a project up by raising hands (举手立项); the households of the
residential area vote to accept it (举手接纳) under the quorum rule in force; accepted
projects are funded, carried out, inspected (验收), publicised for a notice period
counted in Chinese working days (公示) and evaluated by the residents' scoring (评价).
Every step is a lifecycle command whose events go into one hash-chained audit log,
verified at the end.

It is used by ``microgov demo``; the numbers are synthetic, the rules real.  The same
hierarchy, seed and start date always give the same season, event for event.

Example:
    >>> from datetime import date
    >>> from microgov.datasets import meilan_xihu
    >>> season = simulate_season(meilan_xihu(), seed=7, start=date(2026, 3, 2), areas=3)
    >>> season.audit.ok, season.projects_closed <= season.projects_proposed
    (True, True)
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Generator, Iterator
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from functools import partial

import attrs

from microgov._time import SHANGHAI
from microgov._verdict import Verdict
from microgov.audit import AuditLog, EventDraft, VerifyReport, verify
from microgov.calendar import Period, PeriodUnit, WorkCalendar, default_calendar
from microgov.errors import TransitionRefused
from microgov.funds import (
    TOWN_POOL,
    Account,
    Allocation,
    AllocationInstance,
    Ledger,
    Money,
    Outcome,
    Proposal,
    TrancheSchedule,
    close_period,
    equal_shares,
    fund_area,
    own_area_first,
    postings_for_event,
    spend,
)
from microgov.hierarchy import Hierarchy, Level, Role
from microgov.lifecycle import PROJECT, TOPIC, Command, Context, Event, Lifecycle, apply
from microgov.policy import MeetingMode
from microgov.voting import (
    Choice,
    Resident,
    Roll,
    ScoringBallot,
    ScoringState,
    Vote,
    VoteState,
    cast_scores,
    raise_hand,
    score_results,
    tally,
)

__all__ = ["FundYear", "Season", "simulate_fund_year", "simulate_season"]

_TOPIC_TITLES = (
    ("晾衣架老化，希望更换", "old clothes-drying racks"),
    ("小区步道破损", "broken garden path"),
    ("电动车充电桩不足", "too few EV charging posts"),
    ("楼道堆物影响通行", "clutter in the stairwell"),
    ("垃圾分类点异味", "smell at the waste-sorting point"),
    ("健身器材需维修", "fitness equipment needs repair"),
    ("停车位紧张", "parking is short"),
)
_PASS_MARK = 60  # the demo's satisfaction pass mark (out of 100): a setting, not a rule of law


@attrs.frozen(kw_only=True)
class Season:
    """What a simulated season produced, with the audit log and its verification.

    Attributes:
        start: The first day of the season.
        topics_raised: Topics (议题) residents raised.
        topics_converted: Topics turned into micro-projects.
        topics_resolved: Topics resolved without a project.
        projects_proposed: Micro-projects proposed.
        projects_rejected: Projects the residents' vote did not accept.
        projects_closed: Projects carried through to evaluation and closed.
        votes: Hand-raising votes held.
        refusals: Commands refused by a rule during the season (each left state unchanged).
        hands_raised: Hands raised over all votes.
        households_entitled: Households entitled to a hand, summed over all votes.
        log: The audit log holding every event of the season.
        audit: The result of verifying the log's hash chain.
    """

    start: date
    topics_raised: int
    topics_converted: int
    topics_resolved: int
    projects_proposed: int
    projects_rejected: int
    projects_closed: int
    votes: int
    refusals: int
    hands_raised: int
    households_entitled: int
    log: AuditLog = attrs.field(eq=False, repr=False)
    audit: VerifyReport

    @property
    def participation(self) -> Fraction | None:
        """Hands raised over households entitled, over all votes (exact); None without votes."""
        if not self.households_entitled:
            return None
        return Fraction(self.hands_raised, self.households_entitled)


@attrs.define
class _World:
    """The mutable bookkeeping of one simulation run (private to it)."""

    hierarchy: Hierarchy
    rolls: dict[str, Roll]
    log: AuditLog
    calendar: WorkCalendar
    rng: random.Random
    counts: dict[str, int] = attrs.field(factory=dict)
    hands: int = 0
    entitled: int = 0

    def bump(self, key: str, by: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + by

    def run(
        self,
        lifecycle: Lifecycle,
        state: str,
        name: str,
        item: str,
        scope: str,
        actor: str,
        at: datetime,
        payload: dict[str, object] | None = None,
        verdicts: tuple[Verdict, ...] = (),
    ) -> str:
        """Apply one command and record its events; a refusal is counted and changes nothing."""
        command = Command(
            name=name, item=item, actor=actor, at=at, payload=payload or {}, verdicts=verdicts
        )
        try:
            new_state, events = apply(
                lifecycle, state, command, Context(hierarchy=self.hierarchy, scope=scope)
            )
        except TransitionRefused:
            self.bump("refusals")
            return state
        self.log.extend(
            EventDraft(
                stream=f"{lifecycle.name}:{item}",
                type=event.type,
                at=event.at,
                actor=event.actor,
                payload=dict(event.payload),  # type: ignore[arg-type]
                verdicts=event.verdicts,
            )
            for event in events
        )
        return new_state


def _roll(hierarchy: Hierarchy, area: str, rng: random.Random) -> Roll:
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
    return Roll(residents=residents)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@attrs.define
class _Clock:
    """One story's time: never goes backwards, so the shared audit log stays in order."""

    now: datetime

    def at(self, wanted: datetime) -> datetime:
        self.now = max(self.now, wanted)
        return self.now


def _holder(hierarchy: Hierarchy, node: str, role: Role, on: date) -> str:
    return hierarchy.holders(node, role=role, on=on)[0].person


def _area_story(
    world: _World, area: str, start: date, index: int
) -> Generator[datetime, None, None]:
    """The season of one residential area, as a generator yielding when it next acts."""
    h, rng = world.hierarchy, world.rng
    secretary = _holder(h, area, Role.PARTY_SECRETARY, start)
    worker = _holder(h, area, Role.SOCIAL_WORKER, start)
    day = start + timedelta(days=index % 5)
    clock = _Clock(_at(day, 0))
    converted: list[str] = []
    for n in range(rng.randint(2, 4)):
        topic = f"{area}-t{n + 1}"
        title_zh, title_en = _TOPIC_TITLES[rng.randrange(len(_TOPIC_TITLES))]
        raised = clock.at(_at(day + timedelta(days=2 * n), 8 + n, rng.randrange(60)))
        yield raised
        world.bump("topics_raised")
        state = TOPIC.initial
        world.log.append(
            stream=f"topic:{topic}",
            type="topic.raised",
            at=raised,
            actor=f"resident:{topic}",
            payload={"scope": area, "title_zh": title_zh, "title_en": title_en},
        )
        answered = clock.at(raised + timedelta(hours=rng.randint(1, 6)))  # 一日三巡
        yield answered
        state = world.run(TOPIC, state, "acknowledge", topic, area, worker, answered)
        follow = clock.at(answered + timedelta(days=rng.randint(1, 3)))
        yield follow
        if n == 0 or rng.random() < 0.3:
            state = world.run(TOPIC, state, "convert", topic, area, worker, follow)
            converted.append(topic)
            world.bump("topics_converted")
        else:
            state = world.run(TOPIC, state, "resolve", topic, area, worker, follow)
            world.bump("topics_resolved")
    for topic in converted:
        yield from _project_story(world, area, f"{topic}-p", secretary, worker, clock)


def _project_story(
    world: _World, area: str, project: str, secretary: str, worker: str, clock: _Clock
) -> Generator[datetime, None, None]:
    h, rng, cal, roll = world.hierarchy, world.rng, world.calendar, world.rolls[area]
    world.bump("projects_proposed")
    state = PROJECT.initial
    at = clock.at(_at(clock.now.date() + timedelta(days=1), 10))
    yield at
    world.log.append(
        stream=f"project:{project}",
        type="project.proposed",
        at=at,
        actor=worker,
        payload={"scope": area},
    )
    state = world.run(PROJECT, state, "open_solicitation", project, area, worker, at)
    at = _at(cal.add_working_days(at.date(), 5), 9)  # 意见征集: five working days
    yield at
    state = world.run(PROJECT, state, "raise_hands", project, area, secretary, at)
    vote = Vote(
        id=f"{project}-vote",
        scope=area,
        question_zh="是否同意实施该微项目？",
        question_en="Do you accept this micro-project?",
        opens_at=at,
        closes_at=at + timedelta(days=3),
        mode=MeetingMode.HOUSEHOLDS,
    )
    ballots = VoteState(vote_id=vote.id)
    turnout = rng.uniform(0.35, 0.8)
    favour = rng.uniform(0.45, 0.95)
    voters = [r for r in roll.residents if r.verified]
    for resident in voters:
        if rng.random() < turnout:
            choice = Choice.IN_FAVOUR if rng.random() < favour else Choice.AGAINST
            ballots = raise_hand(
                vote,
                ballots,
                roll,
                h,
                voter=resident.id,
                choice=choice,
                at=at + timedelta(hours=rng.randint(1, 60)),
            )
    result = tally(vote, ballots, roll, h)
    world.bump("votes")
    world.hands += result.present
    world.entitled += result.entitled
    at = vote.closes_at + timedelta(hours=1)
    yield at
    world.log.append(
        stream=f"vote:{vote.id}",
        type="vote.tallied",
        at=at,
        actor=secretary,
        payload={
            "project": project,
            "entitled": result.entitled,
            "present": result.present,
            "in_favour": result.in_favour,
            "against": result.against,
            "preset": result.preset_key,
        },
        verdicts=tuple(result.judgement.verdicts),
    )
    verdicts = tuple(result.judgement.verdicts)
    state = world.run(PROJECT, state, "accept", project, area, secretary, at, verdicts=verdicts)
    if state != "accepted":
        state = world.run(PROJECT, state, "reject", project, area, secretary, at, verdicts=verdicts)
        world.bump("projects_rejected")
        clock.at(at)
        return
    for name, step in (("publish_decision", 1), ("fund", 3), ("start", 7)):
        at += timedelta(days=step)
        yield at
        state = world.run(PROJECT, state, name, project, area, secretary, at)
    for _ in range(2):
        at += timedelta(days=rng.randint(7, 14))
        yield at
        state = world.run(
            PROJECT,
            state,
            "record_progress",
            project,
            area,
            worker,
            at,
            payload={"note": "施工进度更新 / progress update"},
        )
    at += timedelta(days=7)
    yield at
    inspected = Verdict(
        rule="inspection.acceptance",
        passed=True,
        code="inspection.passed",
        message_en="Works inspected and accepted by the residents' representatives.",
        message_zh="经居民代表验收合格。",
    )
    state = world.run(
        PROJECT, state, "complete", project, area, secretary, at, verdicts=(inspected,)
    )
    at += timedelta(days=1)
    yield at
    state = world.run(PROJECT, state, "publicise", project, area, worker, at)
    notice_ends = cal.deadline(at, Period(5, PeriodUnit.WORKING_DAYS))  # 公示期: 5 working days
    ballot = ScoringBallot(
        id=f"{project}-score",
        scope=area,
        subjects=(project,),
        min_score=0,
        max_score=100,
        opens_at=at,
        closes_at=notice_ends,
    )
    scores = ScoringState(ballot_id=ballot.id)
    for resident in voters[: max(1, len(voters) // 10)]:
        scores = cast_scores(
            ballot,
            scores,
            roll,
            h,
            voter=resident.id,
            scores={project: rng.randint(45, 100)},
            at=at + timedelta(hours=rng.randint(1, 48)),
        )
    evaluation = score_results(ballot, scores, roll, h, pass_mark=_PASS_MARK).evaluation(project)
    at = notice_ends + timedelta(hours=9)
    yield at
    state = world.run(
        PROJECT,
        state,
        "evaluate",
        project,
        area,
        secretary,
        at,
        payload={"notice_ends_at": notice_ends.isoformat(), "objections": 0},
        verdicts=(evaluation,),
    )
    if state == "evaluated":
        at += timedelta(days=1)
        yield at
        state = world.run(PROJECT, state, "close", project, area, secretary, at)
        if state == "closed":
            world.bump("projects_closed")
    clock.at(at)


def simulate_season(
    hierarchy: Hierarchy,
    *,
    seed: int = 2026,
    start: date = date(2026, 3, 2),
    areas: int | None = None,
    calendar: WorkCalendar | None = None,
) -> Season:
    """Simulate a governance season on the residential areas of ``hierarchy``.

    Args:
        hierarchy: The governance graph; its residential areas need a party secretary
            and a social worker (the embedded 美兰西湖 dataset has them).
        seed: The random seed; the same seed gives the same season.
        start: The first day of the season.
        areas: Simulate only the first ``areas`` residential areas (all by default).
        calendar: The working-day calendar (default: :func:`~microgov.calendar.default_calendar`).

    Returns:
        The season's figures, its audit log and the log's verification.

    Raises:
        CalendarError: If the season runs into a year the calendar does not cover.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> a = simulate_season(meilan_xihu(), seed=1, start=date(2026, 3, 2), areas=2)
        >>> b = simulate_season(meilan_xihu(), seed=1, start=date(2026, 3, 2), areas=2)
        >>> a == b and a.log.head == b.log.head
        True
    """
    rng = random.Random(seed)
    world = _World(
        hierarchy=hierarchy,
        rolls={},
        log=AuditLog(chain_id=f"microgov-demo-{seed}"),
        calendar=calendar or default_calendar(),
        rng=rng,
    )
    chosen = hierarchy.nodes_at(Level.RESIDENTIAL_AREA)[:areas]
    # Interleave the areas' stories in time order: the audit log's record times never
    # go backwards.
    queue: list[tuple[datetime, int, Iterator[datetime]]] = []
    for index, area in enumerate(chosen):
        world.rolls[area.id] = _roll(hierarchy, area.id, rng)
        story: Iterator[datetime] = _area_story(world, area.id, start, index)
        first = next(story, None)
        if first is not None:
            heapq.heappush(queue, (first, index, story))
    while queue:
        _, index, story = heapq.heappop(queue)
        upcoming = next(story, None)
        if upcoming is not None:
            heapq.heappush(queue, (upcoming, index, story))
    counts = world.counts
    return Season(
        start=start,
        topics_raised=counts.get("topics_raised", 0),
        topics_converted=counts.get("topics_converted", 0),
        topics_resolved=counts.get("topics_resolved", 0),
        projects_proposed=counts.get("projects_proposed", 0),
        projects_rejected=counts.get("projects_rejected", 0),
        projects_closed=counts.get("projects_closed", 0),
        votes=counts.get("votes", 0),
        refusals=counts.get("refusals", 0),
        hands_raised=world.hands,
        households_entitled=world.entitled,
        log=world.log,
        audit=verify(world.log.events, genesis=world.log.genesis, head=world.log.head),
    )


# -- a year of money ---------------------------------------------------------------------

_PROJECT_KINDS = (
    ("楼道扶手加装", "stairwell handrails", 8_000, 30_000),
    ("口袋花园改造", "pocket-garden makeover", 20_000, 60_000),
    ("非机动车充电棚", "e-bike charging shed", 25_000, 80_000),
    ("健身器材更新", "new fitness equipment", 10_000, 40_000),
    ("垃圾分类亭改造", "waste-sorting kiosk", 15_000, 50_000),
    ("老年助餐点设施", "elderly canteen fittings", 12_000, 45_000),
    ("停车位重新划线", "parking bays repainted", 5_000, 20_000),
    ("楼道灯更换", "stairwell lights", 3_000, 15_000),
    ("儿童游乐区铺装", "play-area surfacing", 20_000, 70_000),
    ("信报箱更新", "new letterboxes", 6_000, 25_000),
)
_FUND_PER_HOUSEHOLD_FEN = 4_000  # ¥40 per household: the demo's setting, not a rule
_FUND_FLOOR_FEN = 2_000_000  # ¥20,000 at least per area: the demo's setting


@attrs.frozen(kw_only=True)
class FundYear:
    """A simulated year of residential areas' special funds (专项资金) and grants.

    Attributes:
        year: The budget year.
        instance: The hand-accepted projects (costs in fen, ``scope`` = area) and the
            households' approvals.
        area_budgets: Each area's special fund for the year.
        pool: The town pool at the start of the year (what areas returned last year).
        mes: The allocation by the Method of Equal Shares with add1 completion (one
            yuan per step), each area first on its own fund, then the pool.
        greedy: The same by greedy, for comparison.
        ledger: The ledger of the year under the MES allocation: funds allocated,
            tranches paid on the lifecycle events, one cancelled project refunded,
            grants spent, unspent area money returned to the pool at year end.
        cancelled: The project cancelled after its first tranche (None if none).
        returned: What the areas returned to the town pool at year end.
    """

    year: int
    instance: AllocationInstance
    area_budgets: dict[str, Money] = attrs.field(eq=False)
    pool: Money
    mes: Allocation
    greedy: Allocation
    ledger: Ledger = attrs.field(eq=False, repr=False)
    cancelled: str | None
    returned: Money

    def served(self, allocation: Allocation) -> int:
        """How many households have at least one project they approved funded.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> y = simulate_fund_year(meilan_xihu(), seed=3, areas=4)
            >>> 0 < y.served(y.mes) <= len(y.instance.ballots)
            True
        """
        funded = frozenset(allocation.selected)
        return sum(1 for ballot in self.instance.ballots if not funded.isdisjoint(ballot))


def simulate_fund_year(
    hierarchy: Hierarchy,
    *,
    seed: int = 2026,
    year: int = 2026,
    areas: int | None = None,
) -> FundYear:
    """Simulate a year of special funds: allocation by MES and by greedy, and the ledger.

    Each residential area gets a special fund (¥40 per household, at least ¥20,000 —
    the demo's settings); last year's unspent money sits in the town pool.  Each area
    has 2–5 projects its households accepted by raising hands (synthetic costs and
    approvals).  Both rules fund each area's projects from its own fund first, then the
    rest from the pool.  Under the MES allocation, tranches are paid on each project's
    ``project.funded`` and ``project.evaluated`` events; one project is cancelled after
    its first tranche and refunded; the rest is spent; on 31 December the areas'
    unspent money returns to the pool (:func:`~microgov.funds.close_period`).

    Args:
        hierarchy: The governance graph (its residential areas and household counts).
        seed: The random seed; the same seed gives the same year.
        year: The budget year.
        areas: Only the first ``areas`` residential areas (all by default).

    Returns:
        The year: both allocations, the ledger and what returned to the pool.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> y = simulate_fund_year(meilan_xihu(), seed=1, areas=3)
        >>> y.mes.cost <= y.mes.budget, y.ledger.total().fen
        (True, 0)
        >>> y == simulate_fund_year(meilan_xihu(), seed=1, areas=3)
        True
    """
    rng = random.Random(seed)
    chosen = hierarchy.nodes_at(Level.RESIDENTIAL_AREA)[:areas]
    households = hierarchy.rollup("households")
    budgets: dict[str, Money] = {}
    proposals: list[Proposal] = []
    ballots: list[tuple[str, ...]] = []
    leftovers: dict[str, Money] = {}
    for area in chosen:
        homes = households.get(area.id, 0)
        budgets[area.id] = Money(fen=max(_FUND_FLOOR_FEN, homes * _FUND_PER_HOUSEHOLD_FEN))
        leftovers[area.id] = Money(fen=rng.randrange(0, 1_500_001, 100))
        kinds = rng.sample(_PROJECT_KINDS, rng.randint(2, 5))
        ids: list[tuple[str, float]] = []
        for number, (zh, en, low, high) in enumerate(kinds, start=1):
            project_id = f"{area.id}-p{number}"
            cost = rng.randrange(low, high + 1, 100) * 100
            proposals.append(Proposal(id=project_id, cost=cost, scope=area.id, name=f"{zh} {en}"))
            ids.append((project_id, rng.uniform(0.15, 0.85)))
        voters = min(max(homes, 30), rng.randint(40, 160))
        for _ in range(voters):
            ballots.append(tuple(pid for pid, liking in ids if rng.random() < liking))
    instance = AllocationInstance(
        budget=sum((m.fen for m in budgets.values()), 0),
        projects=proposals,
        ballots=ballots,
        unit=100,
    )
    pool_start = Money(fen=sum(m.fen for m in leftovers.values()))
    fen_budgets = {area: money.fen for area, money in budgets.items()}
    mes = own_area_first(
        instance,
        area_budgets=fen_budgets,
        pool=pool_start.fen,
        rule=partial(equal_shares, completion="add1"),
    )
    by_votes = own_area_first(instance, area_budgets=fen_budgets, pool=pool_start.fen)
    ledger, cancelled = _fund_ledger(year, rng, budgets, leftovers, instance, mes)
    before = sum(ledger.balance(Account.area(a)).fen for a in budgets)
    ledger = close_period(ledger, at=datetime(year, 12, 31, 17, tzinfo=SHANGHAI))
    return FundYear(
        year=year,
        instance=instance,
        area_budgets=budgets,
        pool=pool_start,
        mes=mes,
        greedy=by_votes,
        ledger=ledger,
        cancelled=cancelled,
        returned=Money(fen=before),
    )


def _fund_ledger(
    year: int,
    rng: random.Random,
    budgets: dict[str, Money],
    leftovers: dict[str, Money],
    instance: AllocationInstance,
    allocation: Allocation,
) -> tuple[Ledger, str | None]:
    """The year's postings under ``allocation``: last year's close, funds, tranches."""
    ledger = Ledger()
    last_year = datetime(year - 1, 12, 1, 9, tzinfo=SHANGHAI)
    for area, money in leftovers.items():
        if money.fen:
            posting = fund_area(
                Account.area(area), money, id=f"fund:{year - 1}:{area}", at=last_year
            )
            ledger = ledger.post(posting)
    ledger = close_period(ledger, at=datetime(year - 1, 12, 31, 17, tzinfo=SHANGHAI))
    opening = datetime(year, 1, 5, 9, tzinfo=SHANGHAI)
    for area, money in budgets.items():
        ledger = ledger.post(
            fund_area(Account.area(area), money, id=f"fund:{year}:{area}", at=opening)
        )
    funded = [e for e in allocation.explanations if e.funded]
    cancelled = rng.choice(funded).project if funded else None
    schedule = TrancheSchedule()
    for e in funded:
        proposal = instance.project(e.project)
        grant = Money(fen=int(proposal.cost))
        source = (
            TOWN_POOL
            if e.outcome is Outcome.FUNDED_BY_POOL or proposal.scope is None
            else Account.area(proposal.scope)
        )
        stages = ["project.funded"]
        stages += ["project.cancelled"] if e.project == cancelled else ["project.evaluated"]
        for month, kind in zip((4, 10), stages, strict=True):
            at = datetime(year, month, 15, 10, tzinfo=SHANGHAI)
            event = Event(type=kind, item=e.project, actor="demo", at=at, payload={}, verdicts=())
            if kind == "project.cancelled":
                spent = Money(fen=ledger.balance(Account.project(e.project)).fen // 5)
                if spent.fen:
                    ledger = ledger.post(
                        spend(Account.project(e.project), spent, id=f"spend:{e.project}", at=at)
                    )
            for posting in postings_for_event(
                ledger, event, grant=grant, source=source, schedule=schedule
            ):
                ledger = ledger.post(posting)
        held = ledger.balance(Account.project(e.project))
        if e.project != cancelled and held.fen:
            at = datetime(year, 11, 20, 10, tzinfo=SHANGHAI)
            ledger = ledger.post(
                spend(Account.project(e.project), held, id=f"spend:{e.project}", at=at)
            )
    return ledger, cancelled
