"""The report of ``microgov demo``: its simulated season, fund year and topic years."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from microgov._time import SHANGHAI
from microgov.audit import AuditEvent, EventDraft, verify
from microgov.calendar import WorkCalendar
from microgov.funds import Outcome, Posting
from microgov.hierarchy import Hierarchy, Level
from microgov.metrics import year_on_year
from microgov.report._collect import (
    areas_under,
    audit_section,
    funds_section,
    hierarchy_section,
    indicator_section,
    participation_section,
    pipeline_section,
    response_section,
    year_end,
)
from microgov.report._model import Report
from microgov.report._store import copy_events
from microgov.report._whatif import ROUND_EVENT, round_event_payload
from microgov.sla import PatrolSchedule, SlaPolicy
from microgov.store import EventStore

__all__ = ["demo_report", "record_demo"]

_S = TypeVar("_S", bound=EventStore)


def demo_report(
    hierarchy: Hierarchy | None = None,
    *,
    seed: int = 2026,
    node: str | None = None,
    year: int = 2026,
) -> Report:
    """The report of the demo's simulated year on the 美兰西湖 community (synthetic data).

    The same simulations as ``microgov demo`` prints: a season of topics, hand-raising
    votes and projects (its hash-chained audit log), a year of special funds allocated
    by MES and by greedy (the ledger under MES), and a year of topics with the year
    before (response times, indicators).

    Args:
        hierarchy: The governance graph (default: the embedded 美兰西湖 dataset).
        seed: The simulations' seed, as ``microgov demo --seed``.
        node: The node to report on (default: the large community, else the first root).
        year: The year reported.

    Returns:
        The report.

    Raises:
        ReportError: ``report.unknown_node`` for a node the graph does not hold.

    Example:
        >>> r = demo_report(node="area-01")
        >>> r.node_name, r.audit.ok, r.synthetic
        ('美罗家园佳翔苑居委会', True, True)
    """
    from microgov.datasets import meilan_xihu
    from microgov.simulation import simulate_fund_year, simulate_season, simulate_topics

    h = hierarchy if hierarchy is not None else meilan_xihu()
    if node is None:
        community = h.nodes_at(Level.LARGE_COMMUNITY)
        node = community[0].id if community else h.roots[0].id
    areas = areas_under(h, node)
    start, end = date(year, 1, 1), date(year, 12, 31)
    season = simulate_season(h, seed=seed, start=date(year, 3, 2))
    events = season.log.events
    fund_year = simulate_fund_year(h, seed=seed, year=year)
    scopes = {p.id: p.scope for p in fund_year.instance.projects if p.scope is not None}

    def granted(selected: tuple[str, ...]) -> dict[str, int]:
        money: dict[str, int] = {}
        for project in selected:
            proposal = fund_year.instance.project(project)
            if proposal.scope is not None:
                money[proposal.scope] = money.get(proposal.scope, 0) + int(proposal.cost)
        return money

    funds = funds_section(
        fund_year.ledger,
        h,
        [a for a in areas if a in fund_year.area_budgets],
        project_scope=scopes,
        start=start,
        end=end,
        by_rule={
            "MES + add1": granted(fund_year.mes.selected),
            "greedy": granted(fund_year.greedy.selected),
        },
    )
    # Topics posted late on 31 December wait for the first patrol of the next year,
    # whose official schedule is not published: the demo knows only 元旦 (as the CLI).
    calendar = WorkCalendar(overrides={date(year + 1, 1, 1): False}, covered_years={year + 1})
    this_year = simulate_topics(h, seed=seed, year=year, calendar=calendar)
    last_year = simulate_topics(h, seed=seed - 1, year=year - 1, calendar=calendar)
    policy = SlaPolicy(schedule=PatrolSchedule(calendar=calendar))
    responses = response_section(this_year, h, areas, node=node, policy=policy, now=year_end(year))
    yoy = year_on_year(h, year=year, topics=(*last_year, *this_year), under=node)
    report = verify(events, genesis=season.log.genesis, head=season.log.head)
    return Report(
        node=node,
        node_name=h.node(node).name,
        start=start,
        end=end,
        source_zh=f"microgov 演示模拟（种子 {seed}，合成数据，规则真实）",
        source_en=f"microgov demo simulation (seed {seed}; synthetic data, real rules)",
        synthetic=True,
        hierarchy=hierarchy_section(h, node),
        pipeline=pipeline_section(events, areas, start=start, end=end),
        participation=participation_section(events, h, areas, start=start, end=end),
        funds=funds,
        responses=responses,
        indicators=indicator_section(yoy, node),
        audit=audit_section(report.ok, report.count, season.log.head, report.findings),
    )


def record_demo(
    store: _S,
    hierarchy: Hierarchy | None = None,
    *,
    seed: int = 2026,
    year: int = 2026,
    areas: int | None = None,
) -> _S:
    """Record the demo's simulated year in ``store``, in time order.

    The season's events (topics, projects, hand-raising votes with their tallies), the
    special-fund ledger under the MES allocation (stream ``ledger:YEAR``, one
    ``funds.posted`` event per posting) and the allocation round itself (an
    ``allocation.round`` event on stream ``allocation:YEAR``: the projects, the
    households' approvals, the areas' funds and the pool, rule ``mes-add1`` own area
    first, and the funded set) — what a what-if replay or a report reads back.

    Args:
        store: An empty event store.
        hierarchy: The governance graph (default: the embedded 美兰西湖 dataset).
        seed: The simulations' seed.
        year: The year.
        areas: Only the first ``areas`` residential areas (all by default).

    Returns:
        The store.

    Raises:
        microgov.store.StoreError: As :meth:`~microgov.store.EventStore.append` (e.g. a store that
            already holds later events).

    Example:
        >>> from microgov.store import MemoryStore
        >>> store = record_demo(MemoryStore(), areas=2)
        >>> store.verify().ok, store.version("allocation:2026")
        (True, 1)
    """
    from microgov.datasets import meilan_xihu
    from microgov.simulation import simulate_fund_year, simulate_season
    from microgov.store import LedgerRepository

    h = hierarchy if hierarchy is not None else meilan_xihu()
    season = simulate_season(h, seed=seed, start=date(year, 3, 2), areas=areas)
    fund_year = simulate_fund_year(h, seed=seed, year=year, areas=areas)
    round_at = datetime(year, 3, 31, 10, tzinfo=SHANGHAI)
    payload = round_event_payload(
        rule="mes-add1",
        instance=fund_year.instance,
        area_budgets={a: m.fen for a, m in fund_year.area_budgets.items()},
        pool=fund_year.pool.fen,
        selected=fund_year.mes.selected,
        pool_funded=[
            e.project for e in fund_year.mes.explanations if e.outcome is Outcome.FUNDED_BY_POOL
        ],
    )
    items: list[tuple[datetime, int, object]] = [
        (e.at, i, e)
        for i, e in enumerate(season.log.events)
        if not e.stream.startswith("ledger:")  # the money story is the fund year's ledger
    ]
    items += [(p.at, len(items) + i, p) for i, p in enumerate(fund_year.ledger.postings)]
    items.append((round_at, len(items), "round"))
    items.sort(key=lambda item: (item[0], item[1]))
    ledger = LedgerRepository(store)
    batch: list[AuditEvent] = []

    def flush() -> None:
        if batch:
            copy_events(batch, store)
            batch.clear()

    for _, _, item in items:
        if isinstance(item, AuditEvent):
            if batch and batch[-1].stream != item.stream:
                flush()
            batch.append(item)
            continue
        flush()
        if isinstance(item, Posting):
            ledger.post(str(year), item, actor="demo", recorded_at=item.at)
        else:
            stream = f"allocation:{year}"
            draft = EventDraft(
                stream=stream, type=ROUND_EVENT, at=round_at, actor="demo", payload=payload
            )
            store.append(stream, [draft], expected_version=store.version(stream))
    flush()
    return store
