"""A seeded year of special funds told as commands to the service."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from functools import partial

import attrs

from microgov._time import SHANGHAI
from microgov.funds import (
    Allocation,
    AllocationInstance,
    Ledger,
    Money,
    equal_shares,
    greedy,
    own_area_first,
)
from microgov.hierarchy import Hierarchy, Level, Role
from microgov.service import CommandRefused
from microgov.simulation._season import TOWN_OFFICE, _holder, demo_service
from microgov.voting import Choice

__all__ = ["FundYear", "simulate_fund_year"]

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


@attrs.frozen(kw_only=True)
class FundYear:
    """A simulated year of residential areas' special funds (专项资金) and grants.

    Attributes:
        year: The budget year.
        instance: What the allocation round decided on, as the service recorded it:
            the hand-accepted projects (costs in fen, ``scope`` = area) and one
            approval ballot per household (its hands in favour).
        area_budgets: Each area's special fund for the year.
        pool: The town pool at the start of the year (what areas returned last year).
        mes: The round the service ran and funded: the Method of Equal Shares with add1
            completion, each area first on its own fund, then the pool.
        greedy: Greedy by votes on the same inputs, for comparison (not funded).
        ledger: The ledger as the service recorded it: funds, grants, tranches on the
            lifecycle events, one cancellation refunded, spending, the year-end return.
        cancelled: The project cancelled after its first tranche (None if none).
        returned: What the areas returned to the town pool at year end.
        rejected: Projects the households' vote did not accept.
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
    rejected: int = 0

    def served(self, allocation: Allocation) -> int:
        """How many households have at least one project they approved funded.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> y = simulate_fund_year(meilan_xihu(), seed=3, areas=2)
            >>> 0 < y.served(y.mes) <= len(y.instance.ballots)
            True
        """
        funded = frozenset(allocation.selected)
        return sum(1 for ballot in self.instance.ballots if not funded.isdisjoint(ballot))


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime.combine(date(year, month, day), time(hour), tzinfo=SHANGHAI)


def simulate_fund_year(
    hierarchy: Hierarchy,
    *,
    seed: int = 2026,
    year: int = 2026,
    areas: int | None = None,
) -> FundYear:
    """Simulate a year of special funds through the service: votes, a round, the ledger.

    Each residential area gets a special fund (¥40 per household, at least ¥20,000 —
    the demo's settings); last year's unspent money went back to the town pool at
    last year's close.  Each area proposes 2–5 projects (synthetic costs); its
    households raise hands on each (paper sheets per building group), and the service
    counts, accepts or rejects them.  A round by the Method of Equal Shares (add1), own
    area first, then the pool, funds the winners in the same write (grant and first
    tranche); greedy by votes on the same recorded inputs is computed for comparison.
    Funded projects are carried out, inspected, publicised and evaluated (second
    tranche) and spend their grant; one is cancelled after its first tranche and
    refunded; on 31 December the areas' unpromised money returns to the pool.

    Args:
        hierarchy: The governance graph (its residential areas and household counts).
        seed: The random seed; the same seed gives the same year.
        year: The budget year.
        areas: Only the first ``areas`` residential areas (all by default).

    Returns:
        The year: the recorded round and the greedy comparison, the ledger, what
        returned to the pool.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> y = simulate_fund_year(meilan_xihu(), seed=1, areas=2)
        >>> y.mes.cost <= y.mes.budget, y.ledger.total().fen
        (True, 0)
        >>> y == simulate_fund_year(meilan_xihu(), seed=1, areas=2)
        True
    """
    rng = random.Random(seed)
    chosen = [n.id for n in hierarchy.nodes_at(Level.RESIDENTIAL_AREA)[:areas]]
    # last year's unspent special funds (synthetic): returned to the pool at last year's close
    leftovers = {area: rng.randrange(0, 1_500_001, 100) for area in chosen}
    service, clock, rolls = demo_service(
        hierarchy,
        start=_at(year - 1, 12, 1),
        chosen=chosen,
        rng=rng,
        year=year - 1,
        funds=leftovers,
        chain_id=f"microgov-funds-{seed}",
    )
    serial = iter(range(1, 1_000_000_000))

    def cmd(call: object, **kwargs: object) -> bool:
        try:
            call(f"funds:{next(serial)}", **kwargs)  # type: ignore[operator]
        except CommandRefused:
            return False
        return True

    clock.set(_at(year - 1, 12, 31, 17))
    cmd(service.close_year, actor=TOWN_OFFICE, year=year - 1)
    pool = service.balance()
    clock.set(_at(year, 1, 5))
    budgets: dict[str, Money] = {}
    households = hierarchy.rollup("households")
    for area in chosen:
        fund = max(2_000_000, households.get(area, 0) * 4_000)
        cmd(service.budget_area, actor=TOWN_OFFICE, area=area, amount_fen=fund, year=year)
        budgets[area] = Money(fen=fund)
    # projects proposed and voted on by the households
    rejected = 0
    clock.set(_at(year, 2, 2))
    for area in chosen:
        worker = _holder(hierarchy, area, Role.SOCIAL_WORKER, clock().date())
        secretary = _holder(hierarchy, area, Role.PARTY_SECRETARY, clock().date())
        kinds = rng.sample(_PROJECT_KINDS, rng.randint(2, 5))
        voters = [r for r in rolls[area] if r.verified]
        turnout = rng.uniform(0.6, 0.85)
        present = [r for r in voters if rng.random() < turnout]
        for number, (zh, en, low, high) in enumerate(kinds, start=1):
            project = f"{area}-p{number}"
            cmd(
                service.propose_project,
                actor=worker,
                project=project,
                scope=area,
                title_zh=zh,
                title_en=en,
                cost_fen=rng.randrange(low, high + 1, 100) * 100,
            )
            for name in ("open_solicitation", "raise_hands"):
                cmd(service.advance_project, actor=secretary, project=project, command=name)
            vote = f"{project}-vote"
            cmd(
                service.open_vote,
                actor=secretary,
                project=project,
                vote=vote,
                question_zh=f"是否同意实施“{zh}”？",
                question_en=f"Do you accept “{en}”?",
            )
            liking = rng.uniform(0.35, 0.9)
            sheets: dict[str, list[tuple[str, Choice]]] = {}
            for r in present:
                choice = Choice.IN_FAVOUR if rng.random() < liking else Choice.AGAINST
                sheets.setdefault(r.home, []).append((r.id, choice))
            for group, sheet in sorted(sheets.items()):
                counter = _holder(hierarchy, group, Role.GRID_LEADER, clock().date())
                cmd(service.record_hands, actor=counter, vote=vote, hands=sheet)
        clock.advance(timedelta(hours=1))
    clock.set(max(service.vote(f"{a}-p1-vote").closes_at for a in chosen) + timedelta(hours=1))
    for area in chosen:
        secretary = _holder(hierarchy, area, Role.PARTY_SECRETARY, clock().date())
        for p in service.projects(area, state="hand_raised"):
            cmd(service.close_vote, actor=secretary, vote=p.votes[-1])
            command = "accept" if service.vote(p.votes[-1]).passed else "reject"
            rejected += command == "reject"
            cmd(service.advance_project, actor=secretary, project=p.id, command=command)
            cmd(service.advance_project, actor=secretary, project=p.id, command="publish_decision")
    # the round: MES + add1, own area first, then the pool — recorded and funded
    clock.set(_at(year, 3, 16))
    instance, area_free, pool_free = service.allocation_inputs()
    if instance is None:
        instance = AllocationInstance(budget=0, projects=[], ballots=[])
    mes_rule = partial(equal_shares, completion="add1")
    mes = own_area_first(instance, area_budgets=area_free, pool=pool_free, rule=mes_rule)
    by_votes = own_area_first(instance, area_budgets=area_free, pool=pool_free, rule=greedy)
    cmd(service.run_round, actor=TOWN_OFFICE, round=f"{year}-1", rule="mes")
    funded = [p.id for a in chosen for p in service.projects(a, state="funded")]
    cancelled = rng.choice(funded) if funded else None
    # the works: started in April; one cancelled after its first tranche and refunded
    clock.set(_at(year, 4, 15))
    for project in funded:
        scope = service.project(project).scope
        secretary = _holder(hierarchy, scope, Role.PARTY_SECRETARY, clock().date())
        cmd(service.advance_project, actor=secretary, project=project, command="start")
        if project == cancelled:
            held = service.project(project).held_fen
            if held // 5:
                cmd(service.record_spending, actor=secretary, project=project, amount_fen=held // 5)
            cmd(service.advance_project, actor=secretary, project=project, command="cancel")
    clock.set(_at(year, 9, 1))
    for project in funded:
        if project == cancelled:
            continue
        scope = service.project(project).scope
        secretary = _holder(hierarchy, scope, Role.PARTY_SECRETARY, clock().date())
        cmd(service.record_check, actor=secretary, project=project, check="验收", passed=True)
        cmd(service.advance_project, actor=secretary, project=project, command="complete")
        cmd(service.advance_project, actor=secretary, project=project, command="publicise")
        for r in [r for r in rolls[scope] if r.verified][:5]:
            cmd(service.score, actor=r.id, project=project, score=rng.randint(60, 100))
    clock.set(_at(year, 10, 20))
    for project in funded:
        if project == cancelled:
            continue
        scope = service.project(project).scope
        secretary = _holder(hierarchy, scope, Role.PARTY_SECRETARY, clock().date())
        cmd(service.advance_project, actor=secretary, project=project, command="evaluate")
        held = service.project(project).held_fen
        if held:
            cmd(service.record_spending, actor=secretary, project=project, amount_fen=held)
        cmd(service.advance_project, actor=secretary, project=project, command="close")
    clock.set(_at(year, 12, 31, 17))
    before = service.balance()
    cmd(service.close_year, actor=TOWN_OFFICE, year=year)
    return FundYear(
        year=year,
        instance=instance,
        area_budgets=budgets,
        pool=pool,
        mes=mes,
        greedy=by_votes,
        ledger=service.ledger(),
        cancelled=cancelled,
        returned=Money(fen=service.balance().fen - before.fen),
        rejected=rejected,
    )
