"""A small governance graph with two residential areas, and commands that pass every check."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
from microgov.lifecycle import Command, Context, Lifecycle, Transition
from microgov.policy import Verdict

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 3, 2, 9, 30, tzinfo=SH)
START = date(2024, 1, 1)

# person → (role, node): every role that matters for the two tables, in both areas.
PEOPLE: dict[str, tuple[Role, str]] = {
    "town-sec": (Role.PARTY_SECRETARY, "t"),
    "sec-a": (Role.PARTY_SECRETARY, "area-a"),
    "com-a": (Role.COMMITTEE_MEMBER, "area-a"),
    "sw-a": (Role.SOCIAL_WORKER, "area-a"),
    "gl-a": (Role.GRID_LEADER, "grid-a1"),
    "li-a": (Role.LIAISON, "grid-a1"),
    "bl-a": (Role.BUILDING_LEADER, "bg-a1"),
    "talent-a": (Role.TALENT, "area-a"),
    "sec-b": (Role.PARTY_SECRETARY, "area-b"),
    "com-b": (Role.COMMITTEE_MEMBER, "area-b"),
    "sw-b": (Role.SOCIAL_WORKER, "area-b"),
    "gl-b": (Role.GRID_LEADER, "grid-b1"),
}
RESIDENT = "resident-1"  # holds no role anywhere

PARENT = {
    "area-a": "t",
    "area-b": "t",
    "grid-a1": "area-a",
    "grid-b1": "area-b",
    "bg-a1": "grid-a1",
}


def world() -> Hierarchy:
    """Town t → areas A and B → one grid each (and one building group under grid A1)."""
    nodes = [
        Node(id="t", level=Level.TOWN, name="罗店镇"),
        Node(id="area-a", level=Level.RESIDENTIAL_AREA, name="甲居民区", parent="t"),
        Node(id="area-b", level=Level.RESIDENTIAL_AREA, name="乙居民区", parent="t"),
        Node(id="grid-a1", level=Level.MICRO_GRID, name="甲1网格", parent="area-a"),
        Node(id="grid-b1", level=Level.MICRO_GRID, name="乙1网格", parent="area-b"),
        Node(id="bg-a1", level=Level.BUILDING_GROUP, name="1号楼组", parent="grid-a1"),
    ]
    links = [
        RoleAssignment(id=f"ra-{person}", person=person, role=role, node=node, start=START)
        for person, (role, node) in PEOPLE.items()
    ]
    return Hierarchy(nodes, links)


HIERARCHY = world()
CTX_A = Context(hierarchy=HIERARCHY, scope="area-a")


def covers(person: str, scope: str) -> set[Role]:
    """The roles ``person`` holds at ``scope`` or above (an independent model of may_act)."""
    if person not in PEOPLE:
        return set()
    role, node = PEOPLE[person]
    cursor: str | None = scope
    while cursor is not None:
        if cursor == node:
            return {role}
        cursor = PARENT.get(cursor)
    return set()


def ok(rule: str, code: str) -> Verdict:
    return Verdict(rule=rule, passed=True, code=code, message_en="ok", message_zh="通过")


def no(rule: str, code: str) -> Verdict:
    return Verdict(rule=rule, passed=False, code=code, message_en="no", message_zh="未通过")


VOTE_OK = (ok("quorum.residents_meeting", "quorum.met"), ok("majority.residents", "majority.met"))
VOTE_FAILED = (
    ok("quorum.residents_meeting", "quorum.met"),
    no("majority.residents", "majority.not_met"),
)
EVALUATION_OK = (ok("scoring.satisfaction", "scoring.passed"),)
NOTICE_OVER = {"notice_ends_at": (AT - timedelta(days=1)).isoformat(), "objections": 0}


def passing_inputs(t: Transition) -> tuple[dict[str, object], tuple[Verdict, ...]]:
    """A payload and verdicts that satisfy every guard of ``t``."""
    payload: dict[str, object] = {}
    verdicts: list[Verdict] = []
    for guard in t.guards:
        if guard == "vote.passed":
            verdicts.extend(VOTE_OK)
        elif guard == "verdicts.all_passed":
            verdicts.append(ok("inspection.works", "inspection.passed"))
        elif guard == "evaluation.passed":
            verdicts.extend(EVALUATION_OK)
        elif guard in ("notice.elapsed", "objection.none"):
            payload.update(NOTICE_OVER)
    return payload, tuple(verdicts)


def authorised_actor(t: Transition, scope: str = "area-a") -> str:
    """Someone who may issue ``t`` on an item of ``scope``."""
    if not t.roles:
        return RESIDENT
    for person in PEOPLE:
        if covers(person, scope) & set(t.roles):
            return person
    raise AssertionError(f"nobody may issue {t.command}")


def good_command(lc: Lifecycle, t: Transition, *, item: str = "p-1") -> Command:
    payload, verdicts = passing_inputs(t)
    return Command(
        name=t.command,
        item=item,
        actor=authorised_actor(t),
        at=AT,
        payload=payload,
        verdicts=verdicts,
    )
