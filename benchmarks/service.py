"""Benchmark of the service (:mod:`microgov.service`): whole commands per second, durable.

Usage::

    python benchmarks/service.py                    # SQLite, durable (synchronous=FULL)
    python benchmarks/service.py --households 4000 --online 2100 --projects 6 --repeat 3
    python benchmarks/service.py --quick            # tiny sizes, one run (smoke test)

``--online`` must reach the quorum of ``--households`` (about half of them under the
residents' meeting quorum), or the votes fail and the mix stops at ``accept``.

What is measured, on a durable :class:`~microgov.store.SQLiteStore` (WAL,
``synchronous=FULL``: every command is one transaction and one durable commit), in a
fresh database per run:

* **mix**: whole commands through :class:`~microgov.service.Service`, one by one, in a
  realistic mix where hands dominate: for each of ``--projects`` projects of one
  residential area of ``--households`` households, the whole raise-hand life —
  propose, solicit, call hands, open the vote, ``--online`` hands raised one by one
  online, close and count, accept, publish, fund (grant and first tranche in the same
  write), start, progress, an inspection check, complete, publicise, ten scores,
  evaluate (second tranche), close.  Each command catches up on the store, decides on
  its facts, and appends every stream it touches in one transaction: commands/s.
* **paper**: a batch import of counted paper hands (``record_hands``: one command,
  one transaction, every hand checked against the roll the vote opened with and
  recorded as its own event): hands/s.
* **baselines**, in the same run, on the same kind of store: the bare store's
  single-event append (one event, one durable commit: events/s) for **mix**, and one
  append of as many pre-built events in one stream for **paper** (events/s).  The
  ratio service ÷ bare says what deciding on the stored facts costs on top of a
  durable append.

Medians of ``--repeat`` runs (``time.perf_counter``).  Goals (issue 10): ≥ 1,000
commands/s single-command durable, ≥ 20,000 hands/s for a batch of paper hands.  A
single-command durable rate is bounded by the disk's commit rate (one ``fsync`` per
commit): the bare single append is reported beside it for that reason.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from microgov._time import SHANGHAI
from microgov.audit import EventDraft
from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
from microgov.service import ManualClock, Service
from microgov.store import SQLiteStore
from microgov.voting import Choice, Resident

START = datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)


def _graph(groups: int) -> Hierarchy:
    nodes = [
        Node(id="town", level=Level.TOWN, name="镇"),
        Node(id="comm", level=Level.LARGE_COMMUNITY, name="大居", parent="town"),
        Node(id="a", level=Level.RESIDENTIAL_AREA, name="小区", parent="comm"),
        Node(id="g", level=Level.MICRO_GRID, name="网格", parent="a"),
    ]
    nodes += [
        Node(id=f"b{i}", level=Level.BUILDING_GROUP, name=f"{i}号楼", parent="g")
        for i in range(groups)
    ]
    day = date(2020, 1, 1)
    links = [
        RoleAssignment(
            id="ra-1", person="sec-town", role=Role.PARTY_SECRETARY, node="town", start=day
        ),
        RoleAssignment(id="ra-2", person="sec-a", role=Role.PARTY_SECRETARY, node="a", start=day),
        RoleAssignment(id="ra-3", person="gl-a", role=Role.GRID_LEADER, node="g", start=day),
    ]
    return Hierarchy(nodes, links)


def _service(path: Path, households: int) -> tuple[Service, ManualClock]:
    clock = ManualClock(START)
    service = Service(SQLiteStore(path), clock=clock, name="town")
    service.record_graph("g", actor="installer", hierarchy=_graph(max(households // 50, 1)))
    residents = [
        Resident(
            id=f"r{n}",
            household=f"h{n}",
            home=f"b{n % max(households // 50, 1)}",
            adult=True,
            verified=True,
            household_representative=True,
        )
        for n in range(households)
    ]
    service.register_residents("roll", actor="sec-a", residents=residents)
    service.budget_area("fund", actor="sec-town", area="a", amount_fen=10**9, year=2026)
    return service, clock


def _mix(service: Service, clock: ManualClock, projects: int, online: int) -> int:
    """The whole life of ``projects`` projects; returns the number of commands sent."""
    n = 0
    second = timedelta(seconds=1)

    def send(call: Callable[..., object], **kwargs: object) -> None:
        nonlocal n
        n += 1
        clock.advance(second)
        call(f"c{n}", **kwargs)

    for k in range(projects):
        p = f"p{k}"
        send(
            service.propose_project,
            actor="sec-a",
            project=p,
            scope="a",
            title_zh="项目",
            cost_fen=100_000,
        )
        for name in ("open_solicitation", "raise_hands"):
            send(service.advance_project, actor="sec-a", project=p, command=name)
        send(service.open_vote, actor="sec-a", project=p, vote=f"v{k}", question_zh="同意？")
        for voter in range(online):
            send(service.raise_hand, actor=f"r{voter}", vote=f"v{k}", choice=Choice.IN_FAVOUR)
        clock.set(service.vote(f"v{k}").closes_at)
        send(service.close_vote, actor="sec-a", vote=f"v{k}")
        for name in ("accept", "publish_decision", "fund", "start"):
            send(service.advance_project, actor="sec-a", project=p, command=name)
        send(
            service.advance_project, actor="sec-a", project=p, command="record_progress", percent=50
        )
        send(service.record_check, actor="gl-a", project=p, check="safety", passed=True)
        for name in ("complete", "publicise"):
            send(service.advance_project, actor="sec-a", project=p, command=name)
        for voter in range(10):
            send(service.score, actor=f"r{voter}", project=p, score=80)
        deadline = service.project(p).next_deadline
        assert deadline is not None
        clock.set(deadline.at)
        for name in ("evaluate", "close"):
            send(service.advance_project, actor="sec-a", project=p, command=name)
        assert service.project(p).state == "closed"
    return n


def _median(runs: list[float]) -> float:
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--online", type=int, default=600, help="online hands per vote")
    parser.add_argument("--paper", type=int, default=None, help="hands on the paper import")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.households, args.projects, args.online, args.repeat = 100, 1, 60, 1
    paper = args.paper or args.households
    mix, bare, hands, bare_batch = [], [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            service, clock = _service(Path(tmp) / "mix.db", args.households)
            t = time.perf_counter()
            count = _mix(service, clock, args.projects, args.online)
            mix.append(count / (time.perf_counter() - t))
            # the paper import: one command, every hand checked and recorded
            service.propose_project(
                "pp", actor="sec-a", project="pp", scope="a", title_zh="纸质", cost_fen=1
            )
            for name in ("open_solicitation", "raise_hands"):
                service.advance_project(f"pp-{name}", actor="sec-a", project="pp", command=name)
            service.open_vote("pv", actor="sec-a", project="pp", vote="pv", question_zh="同意？")
            sheet = [(f"r{v}", Choice.IN_FAVOUR) for v in range(min(paper, args.households))]
            t = time.perf_counter()
            service.record_hands("sheet", actor="gl-a", vote="pv", hands=sheet)
            hands.append(len(sheet) / (time.perf_counter() - t))
            assert service.vote("pv").hands == len(sheet)
            assert service.store.verify().ok
            service.store.close()
            # the bare store, same kind, same settings
            with SQLiteStore(Path(tmp) / "bare.db") as store:
                at = START
                t = time.perf_counter()
                for i in range(count):
                    at += timedelta(seconds=1)
                    draft = EventDraft(
                        stream="vote:v",
                        type="vote.hand_raised",
                        actor=f"r{i}",
                        at=at,
                        payload={"voter": f"r{i}", "choice": "in_favour"},
                    )
                    store.append("vote:v", [draft], expected_version=i, idempotency_key=f"k{i}")
                bare.append(count / (time.perf_counter() - t))
                drafts = [
                    EventDraft(
                        stream="vote:w",
                        type="vote.hand_raised",
                        actor="gl-a",
                        at=at + timedelta(seconds=1),
                        payload={
                            "voter": f"r{i}",
                            "household": f"h{i}",
                            "choice": "in_favour",
                            "channel": "paper",
                        },
                    )
                    for i in range(len(sheet))
                ]
                t = time.perf_counter()
                store.append("vote:w", drafts, expected_version=0, idempotency_key="batch")
                bare_batch.append(len(drafts) / (time.perf_counter() - t))
    m, b, h, bb = _median(mix), _median(bare), _median(hands), _median(bare_batch)
    print(
        f"service benchmark: durable SQLite, {args.households} households "
        "(the paper import holds all of them), "
        f"{args.projects} project lives with {args.online} online hands each, "
        f"median of {args.repeat}"
    )
    print(
        f"  mix of whole commands   {m:>10,.0f} commands/s   bare single append "
        f"{b:>8,.0f} events/s   ratio {m / b:.2f}"
    )
    print(
        f"  paper hands (1 command) {h:>10,.0f} hands/s      bare batch append  "
        f"{bb:>8,.0f} events/s   ratio {h / bb:.2f}"
    )
    print(
        f"  goals: >= 1,000 commands/s: {'met' if m >= 1000 else 'NOT met'}; "
        f">= 20,000 hands/s: {'met' if h >= 20000 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
