"""A small service to try commands on: a two-area town, its roll and funds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Final

from microgov._time import SHANGHAI
from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
from microgov.policy import PolicyOverride
from microgov.service._service import ManualClock, Receipt, Service
from microgov.store import EventStore, MemoryStore
from microgov.voting import Choice, Resident

__all__ = ["STAGES", "sandbox", "sandbox_graph", "walk_to"]

STAGES: Final[tuple[str, ...]] = (
    "proposed",
    "soliciting",
    "hand_raised",
    "voting",
    "counted",
    "accepted",
    "established",
    "funded",
    "in_progress",
    "completed",
    "publicised",
    "suspended",
    "resumed",
    "evaluated",
    "closed",
)
"""The stages :func:`walk_to` can take a sandbox project to, in order.

Example:
    >>> STAGES.index("funded") < STAGES.index("publicised")
    True
"""


def sandbox_graph() -> Hierarchy:
    """The sandbox's governance graph: town → community → areas ``a`` and ``b``.

    People (pseudonymous ids): ``sec-town`` (town party secretary), ``sec-a`` and
    ``sec-b`` (area party secretaries), ``sw-a`` (social worker of ``a``), ``gl-a``
    (grid leader of ``ga``).

    Example:
        >>> sandbox_graph().is_within("b1", "a")
        True
    """
    nodes = [
        Node(id="town", level=Level.TOWN, name="示例镇"),
        Node(id="comm", level=Level.LARGE_COMMUNITY, name="示例大居", parent="town"),
        Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲小区", parent="comm"),
        Node(id="b", level=Level.RESIDENTIAL_AREA, name="乙小区", parent="comm"),
        Node(id="ga", level=Level.MICRO_GRID, name="甲一网格", parent="a"),
        Node(id="gb", level=Level.MICRO_GRID, name="乙一网格", parent="b"),
        Node(id="b1", level=Level.BUILDING_GROUP, name="1号楼", parent="ga"),
        Node(id="b2", level=Level.BUILDING_GROUP, name="2号楼", parent="gb"),
    ]
    start = date(2020, 1, 1)
    roles = [
        ("sec-town", Role.PARTY_SECRETARY, "town"),
        ("sec-a", Role.PARTY_SECRETARY, "a"),
        ("sec-b", Role.PARTY_SECRETARY, "b"),
        ("sw-a", Role.SOCIAL_WORKER, "a"),
        ("gl-a", Role.GRID_LEADER, "ga"),
    ]
    links = [
        RoleAssignment(id=f"ra-{person}", person=person, role=role, node=node, start=start)
        for person, role, node in roles
    ]
    return Hierarchy(nodes, links)


def sandbox(store: EventStore | None = None) -> tuple[Service, ManualClock]:
    """A service on the sandbox graph with a roll, a policy and funded areas.

    Residents ``r1``–``r4`` (households ``h1``–``h4``) live in ``b1`` (area ``a``),
    ``r5`` in ``b2`` (area ``b``); all verified adults and household
    representatives.  Grants are paid in two halves (on ``project.funded`` and
    ``project.evaluated``).  Area ``a`` holds ¥10,000, ``b`` ¥5,000.  The clock
    starts on Monday 2 March 2026, 09:00 in Shanghai.

    Args:
        store: The store (default: a new :class:`~microgov.store.MemoryStore`).

    Returns:
        The service and its clock.

    Example:
        >>> service, clock = sandbox()
        >>> service.vote  # doctest: +ELLIPSIS
        <bound method Service.vote of ...>
        >>> clock().isoformat()
        '2026-03-02T09:00:00+08:00'
    """
    clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI))
    service = Service(store if store is not None else MemoryStore(), clock=clock, name="town")
    service.record_graph("setup-graph", actor="installer", hierarchy=sandbox_graph())
    residents = [
        Resident(
            id=f"r{n}",
            household=f"h{n}",
            home="b1" if n <= 4 else "b2",
            adult=True,
            verified=True,
            household_representative=True,
        )
        for n in range(1, 6)
    ]
    service.register_residents("setup-roll-a", actor="sec-a", residents=residents[:4])
    service.register_residents("setup-roll-b", actor="sec-b", residents=residents[4:])
    service.set_policy(
        "setup-policy",
        actor="sec-town",
        node="town",
        effective_from=date(2020, 1, 1),
        overrides=PolicyOverride(tranches=(Fraction(1, 2), Fraction(1, 2))),
    )
    service.budget_area("setup-fund-a", actor="sec-town", area="a", amount_fen=1_000_000, year=2026)
    service.budget_area("setup-fund-b", actor="sec-town", area="b", amount_fen=500_000, year=2026)
    return service, clock


def walk_to(service: Service, clock: ManualClock, project: str, stage: str) -> None:
    """Take a sandbox project in area ``a`` to ``stage`` (one of :data:`STAGES`).

    Each step is a real command, decided by the service on its facts: three of the
    four households of ``a`` raise hands in favour, the checks pass, residents
    score 80, an objection is raised and resolved.

    Example:
        >>> service, clock = sandbox()
        >>> walk_to(service, clock, "p-1", "closed")
        >>> service.project("p-1").state, service.project("p-1").paid_fen
        ('closed', 300000)
    """
    target = STAGES.index(stage)
    day = timedelta(days=1)

    def cmd(name: str) -> str:
        return f"{project}:{name}"

    def go(name: str) -> Receipt:
        return service.advance_project(cmd(name), actor="sec-a", project=project, command=name)

    steps: list[Callable[[], object]] = []
    steps.append(
        lambda: service.propose_project(
            cmd("propose"),
            actor="r1",
            project=project,
            scope="a",
            title_zh="晾衣架更换",
            title_en="New drying racks",
            cost_fen=300_000,
        )
    )
    steps.append(lambda: go("open_solicitation"))
    steps.append(lambda: (clock.advance(day), go("raise_hands")))

    def voting() -> None:
        clock.advance(day)
        service.open_vote(
            cmd("vote"),
            actor="sec-a",
            project=project,
            vote=f"{project}-vote",
            question_zh="是否同意更换晾衣架？",
            question_en="Replace the drying racks?",
        )

    steps.append(voting)

    def counted() -> None:
        clock.advance(timedelta(hours=2))
        for n in (1, 2, 3):
            service.raise_hand(
                cmd(f"hand-{n}"), actor=f"r{n}", vote=f"{project}-vote", choice=Choice.IN_FAVOUR
            )
        clock.set(service.vote(f"{project}-vote").closes_at + timedelta(hours=1))
        service.close_vote(cmd("close-vote"), actor="sec-a", vote=f"{project}-vote")

    steps.append(counted)
    steps.append(lambda: go("accept"))
    steps.append(lambda: (clock.advance(day), go("publish_decision")))
    steps.append(lambda: (clock.advance(day), go("fund")))
    steps.append(lambda: (clock.advance(day), go("start")))

    def completed() -> None:
        clock.advance(7 * day)
        service.record_check(
            cmd("check"), actor="gl-a", project=project, check="safety", passed=True
        )
        go("complete")

    steps.append(completed)
    steps.append(lambda: (clock.advance(day), go("publicise")))

    def suspended() -> None:
        clock.advance(timedelta(hours=3))
        for n in (1, 2, 3):
            service.score(cmd(f"score-{n}"), actor=f"r{n}", project=project, score=80)
        service.advance_project(cmd("object"), actor="r4", project=project, command="object")

    steps.append(suspended)

    def resumed() -> None:
        clock.advance(timedelta(hours=3))
        service.resolve_objection(
            cmd("resolve"), actor="sec-a", project=project, objection=f"{project}:o1"
        )
        go("resume")

    steps.append(resumed)

    def evaluated() -> None:
        ends = service.project(project).next_deadline
        if ends is not None:
            clock.set(ends.at + timedelta(hours=9))
        go("evaluate")

    steps.append(evaluated)
    steps.append(lambda: (clock.advance(day), go("close")))
    for step in steps[: target + 1]:
        step()
