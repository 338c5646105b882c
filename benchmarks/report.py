"""Benchmark of what-if replay and report generation (:mod:`microgov.report`).

Usage::

    python benchmarks/report.py                 # demo year + a 300-area district-year, 3 runs
    python benchmarks/report.py --areas 600 --repeat 5
    python benchmarks/report.py --quick         # tiny sizes, one run (smoke test)

**The demo year.** ``record_demo`` writes the demo's simulated year (the season's
topics, projects and hand-raising votes, the special-fund ledger, the MES allocation
round) into a SQLite file (not timed).  Timed, median of ``--repeat`` runs:

* what-if, the village meeting's quorum instead of the residents' meeting: open the
  store, read every event, take the facts, re-decide (``microgov what-if --policy``);
* what-if, greedy instead of MES (``--rule greedy``);
* the same-policy replay with ``verify=True`` (every round re-run under its recorded
  rule: MES with add1 completion, one yuan per step — the slow part);
* report generation from the store: ``store_report`` + ``render_html`` with charts
  (``microgov report``), and ``demo_report`` + ``render_html`` (the simulations included,
  ``microgov demo --report``).

**A simulated district-year** (``--areas``, default 300): 10 towns, 3 micro-grids and
4 building groups per area (20–120 households each); per area 4 projects put to a
hand-raising vote (35–80 % turnout, real quorum and majority verdicts), one allocation
round per town over the accepted projects (MES + add1, own area first, 40–160
households' approvals per area), 100 topics per area answered 1–30 hours later.  The
events are built in memory with an :class:`~microgov.audit.AuditLog` (not timed).
Timed: facts from the events plus the what-if under the village quorum (votes flip,
their projects leave the rounds, every round is re-run under MES) and under greedy.

Goals (issue 11): demo year ≤ 2 s, district-year ≤ 60 s, report for the demo ≤ 5 s.
Nothing is asserted on time; the script exits non-zero only if a same-policy replay
does not reproduce the recorded decisions.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from microgov._time import SHANGHAI
from microgov.audit import AuditLog, EventDraft
from microgov.datasets import meilan_xihu
from microgov.funds import AllocationInstance, Outcome, Proposal, own_area_first, run_rule
from microgov.hierarchy import Hierarchy, Level, Node
from microgov.policy import MeetingMode, PolicyBook, PolicySet, majority_met, preset_for, quorum_met
from microgov.report import (
    ROUND_EVENT,
    demo_report,
    record_demo,
    recorded_facts,
    render_html,
    round_event_payload,
    store_report,
    what_if,
)
from microgov.store import SQLiteStore

T = TypeVar("T")
VILLAGE = PolicyBook(defaults=PolicySet(quorum_family="village_meeting"))


def median_of(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    """The median wall time of ``repeat`` runs (GC off during each), and the last result."""
    times = []
    result: T
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times), result


def district(areas: int, rng: random.Random) -> Hierarchy:
    """A district of ``areas`` residential areas in 10 towns (synthetic)."""
    nodes = [Node(id="d", level=Level.DISTRICT, name="模拟区", synthetic=True)]
    towns = 10
    for t in range(towns):
        nodes.append(
            Node(id=f"t{t:02d}", level=Level.TOWN, name=f"第{t + 1}镇", parent="d", synthetic=True)
        )
    for a in range(areas):
        area = f"t{a % towns:02d}-a{a:03d}"
        nodes.append(
            Node(
                id=area,
                level=Level.RESIDENTIAL_AREA,
                name=f"第{a + 1}居委会",
                parent=f"t{a % towns:02d}",
                synthetic=True,
            )
        )
        for g in range(3):
            grid = f"{area}-g{g}"
            nodes.append(
                Node(id=grid, level=Level.MICRO_GRID, name=f"{g + 1}号网格", parent=area,
                     synthetic=True)
            )  # fmt: skip
            for b in range(4):
                homes = rng.randint(20, 120)
                nodes.append(
                    Node(id=f"{grid}-b{b}", level=Level.BUILDING_GROUP, name=f"{b + 1}号楼组",
                         parent=grid, households=homes, residents=homes * 5 // 2, synthetic=True)
                )  # fmt: skip
    return Hierarchy(nodes)


def district_events(h: Hierarchy, rng: random.Random, year: int = 2026) -> list:  # type: ignore[type-arg]
    """A district-year of events, in time order (see the module docstring)."""
    drafts: list[EventDraft] = []
    households = h.rollup("households")
    preset = preset_for("residents_meeting", date(year, 6, 1))
    accepted: dict[str, list[tuple[str, int]]] = {}
    for index, area in enumerate(h.nodes_at(Level.RESIDENTIAL_AREA)):
        entitled = households.get(area.id, 0)
        for n in range(4):
            project = f"{area.id}-p{n}"
            day = date(year, 3, 2) + timedelta(days=(index * 4 + n) % 60)
            at = datetime(year, day.month, day.day, 9, tzinfo=SHANGHAI)
            drafts.append(
                EventDraft(stream=f"project:{project}", type="project.proposed", at=at,
                           actor="sw", payload={"scope": area.id})
            )  # fmt: skip
            present = int(entitled * rng.uniform(0.35, 0.8))
            favour = int(present * rng.uniform(0.45, 0.95))
            on = day + timedelta(days=10)
            verdicts = (
                majority_met(preset, in_favour=favour, present=present, on=on),
                quorum_met(
                    preset, mode=MeetingMode.HOUSEHOLDS, present=present, entitled=entitled, on=on
                ),
            )
            drafts.append(
                EventDraft(
                    stream=f"vote:{project}-vote", type="vote.tallied",
                    at=datetime(year, on.month, on.day, 18, tzinfo=SHANGHAI), actor="sec",
                    payload={"project": project, "entitled": entitled, "present": present,
                             "in_favour": favour, "against": present - favour,
                             "preset": preset.key},
                    verdicts=verdicts,
                )
            )  # fmt: skip
            if all(v.passed for v in verdicts):
                accepted.setdefault(area.parent or "", []).append(
                    (project, rng.randrange(5_000, 80_000) * 100)
                )
    round_at = datetime(year, 6, 30, 10, tzinfo=SHANGHAI)
    for town, projects in sorted(accepted.items()):
        proposals = [Proposal(id=p, cost=c, scope=p.rsplit("-p", 1)[0]) for p, c in projects]
        budgets = {
            a.id: max(2_000_000, households.get(a.id, 0) * 4_000)
            for a in h.nodes_at(Level.RESIDENTIAL_AREA, under=town)
        }
        ballots = []
        for area in budgets:
            mine = [p.id for p in proposals if p.scope == area]
            likes = {p: rng.uniform(0.15, 0.85) for p in mine}
            for _ in range(rng.randint(40, 160)):
                ballots.append(tuple(p for p in mine if rng.random() < likes[p]))
        pool = rng.randrange(0, 3_000_001, 100)
        instance = AllocationInstance(
            budget=sum(budgets.values()) + pool, projects=proposals, ballots=ballots, unit=100
        )
        result = own_area_first(
            instance, area_budgets=budgets, pool=pool, rule=lambda i: run_rule(i, "mes-add1")
        )
        drafts.append(
            EventDraft(
                stream=f"allocation:{town}-{year}", type=ROUND_EVENT, at=round_at, actor="town",
                payload=round_event_payload(
                    rule="mes-add1", instance=instance, area_budgets=budgets, pool=pool,
                    selected=result.selected,
                    pool_funded=[e.project for e in result.explanations
                                 if e.outcome is Outcome.FUNDED_BY_POOL],
                ),
            )
        )  # fmt: skip
    grids = h.nodes_at(Level.MICRO_GRID)
    start = datetime(year, 1, 2, tzinfo=SHANGHAI)
    for n in range(100 * len(h.nodes_at(Level.RESIDENTIAL_AREA))):
        raised = start + timedelta(minutes=rng.randrange(0, 340 * 24 * 60))
        scope = grids[rng.randrange(len(grids))].id
        drafts.append(
            EventDraft(stream=f"topic:t{n}", type="topic.raised", at=raised, actor="resident",
                       payload={"scope": scope, "category": "repair"})
        )  # fmt: skip
        drafts.append(
            EventDraft(stream=f"topic:t{n}", type="topic.acknowledged",
                       at=raised + timedelta(minutes=rng.randrange(60, 30 * 60)), actor="sw")
        )  # fmt: skip
    drafts.sort(key=lambda d: d.at)
    log = AuditLog(chain_id="district-bench")
    log.extend(drafts)
    return list(log.events)


def main() -> int:
    """Run the benchmark and print medians against the goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=300, help="areas of the district-year")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    demo_areas = 4 if args.quick else None
    areas = 20 if args.quick else args.areas
    ok = True
    rows: list[tuple[str, float, float | None]] = []
    h = meilan_xihu()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        with SQLiteStore(path, durable=False) as store:
            record_demo(store, h, seed=args.seed, areas=demo_areas)
            events = len(store.read_all())
        print(f"demo year: {events:,} events in a SQLite store")

        def replay(**options: object) -> object:
            with SQLiteStore(path) as store:
                facts = recorded_facts(store.read_all(), h)
            return what_if(facts, h, **options)  # type: ignore[arg-type]

        t, village = median_of(repeat, lambda: replay(policy=VILLAGE))
        rows.append(("what-if demo year: village quorum", t, 2.0))
        t, _ = median_of(repeat, lambda: replay(rule="greedy"))
        rows.append(("what-if demo year: greedy instead of MES", t, 2.0))
        t, same = median_of(repeat, lambda: replay(verify=True))
        rows.append(("same-policy replay, rounds re-run (verify)", t, None))
        ok = ok and bool(getattr(same, "reproduced", False))
        print(f"  village quorum: {len(getattr(village, 'changes', ()))} acceptance changes")

        def report_from_store() -> str:
            with SQLiteStore(path) as store:
                return render_html(store_report(store, h), "zh")

        t, _ = median_of(repeat, report_from_store)
        rows.append(("report from the demo store (microgov report)", t, 5.0))
        if not args.quick:  # the full demo's simulations: too slow for a smoke test
            t, _ = median_of(repeat, lambda: render_html(demo_report(h, seed=args.seed), "zh"))
            rows.append(("demo report incl. simulations (demo --report)", t, None))
    rng = random.Random(args.seed)
    built = time.perf_counter()
    d = district(areas, rng)
    log = district_events(d, rng)
    print(
        f"district-year: {areas} areas, {len(log):,} events "
        f"(built in {time.perf_counter() - built:.1f} s, not timed)"
    )

    def district_replay(**options: object) -> object:
        return what_if(recorded_facts(log, d), d, **options)  # type: ignore[arg-type]

    t, result = median_of(repeat, lambda: district_replay(policy=VILLAGE))
    rows.append((f"what-if {areas}-area district-year: village quorum", t, 60.0))
    print(f"  village quorum: {len(getattr(result, 'changes', ()))} acceptance changes")
    t, _ = median_of(repeat, lambda: district_replay(rule="greedy"))
    rows.append((f"what-if {areas}-area district-year: greedy", t, 60.0))
    t, same = median_of(1, lambda: district_replay(verify=True))
    rows.append((f"{areas}-area same-policy replay, rounds re-run (1 run)", t, None))
    ok = ok and bool(getattr(same, "reproduced", False))
    print()
    print(f"{'measure':<58}{'median s':>10}{'goal s':>8}  ")
    for name, seconds, goal in rows:
        verdict = "" if goal is None else ("met" if seconds <= goal else "NOT met")
        ratio = "" if goal is None else f"{seconds / goal:>6.2f}× goal"
        print(
            f"{name:<58}{seconds:>10.2f}{'' if goal is None else f'{goal:.0f}':>8}  "
            f"{verdict} {ratio}"
        )
    print(f"same-policy replays reproduce the recorded decisions: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
