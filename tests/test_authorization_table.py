"""Authorization everywhere: every command × every role × inside and outside jurisdiction.

The expectation is written out below, independently of :data:`microgov.lifecycle.PROJECT`
and :data:`~microgov.lifecycle.TOPIC` (it is the table of the lifecycle guide, typed
again), so a change to who may do what in the tables makes this test fail until the
statement here is changed with it.

The graph has two branches, A and B, each town → large community → residential area →
micro-grid → building group.  Every role is given to one person at every level where
it may be held, in branch A; that person then issues every command on items scoped at
their own node and at the deepest node under it (inside), and at the same nodes of
branch B (outside).  Guards are replaced by passing ones, so the only check that can
refuse is the authorization.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import pytest

from microgov.errors import TransitionRefused
from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
from microgov.lifecycle import (
    DEFAULT_GUARDS,
    PROJECT,
    TOPIC,
    Command,
    Context,
    Guard,
    Lifecycle,
    apply,
)
from microgov.policy import REASONS, Verdict

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 3, 2, 9, 30, tzinfo=SH)
START = date(2024, 1, 1)

# -- the independent statement of the tables -------------------------------------------

PS, CM, SW, GL = (
    Role.PARTY_SECRETARY,
    Role.COMMITTEE_MEMBER,
    Role.SOCIAL_WORKER,
    Role.GRID_LEADER,
)
LI, BL, SBL = Role.LIAISON, Role.BUILDING_LEADER, Role.SECOND_BUILDING_LEADER
LEADERS: Final = frozenset({PS, CM})  # L
OFFICE: Final = LEADERS | {SW}  # O
STAFF: Final = OFFICE | {GL}  # S
FIELD: Final = STAFF | {LI, BL, SBL}  # F
ANYONE: Final = None  # no role needed (a resident)

# lifecycle → command → (states it may be issued from, roles that may issue it)
EXPECTED: Final[dict[str, dict[str, tuple[frozenset[str], frozenset[Role] | None]]]] = {
    "project": {
        "open_solicitation": (frozenset({"proposed"}), STAFF),
        "raise_hands": (frozenset({"soliciting"}), LEADERS),
        "accept": (frozenset({"hand_raised"}), LEADERS),
        "publish_decision": (frozenset({"accepted"}), OFFICE),
        "reject": (frozenset({"soliciting", "hand_raised"}), LEADERS),
        "withdraw": (frozenset({"proposed", "soliciting", "hand_raised"}), STAFF),
        "fund": (frozenset({"established"}), LEADERS),
        "start": (frozenset({"funded"}), OFFICE),
        "record_progress": (frozenset({"in_progress"}), FIELD),
        "complete": (frozenset({"in_progress"}), LEADERS),
        "publicise": (frozenset({"completed"}), OFFICE),
        "object": (frozenset({"publicised"}), ANYONE),
        "resume": (frozenset({"suspended"}), LEADERS),
        "rectify": (frozenset({"suspended"}), LEADERS),
        "evaluate": (frozenset({"publicised"}), LEADERS),
        "close": (frozenset({"evaluated"}), LEADERS),
        "cancel": (
            frozenset({"accepted", "established", "funded", "in_progress", "suspended"}),
            LEADERS,
        ),
    },
    "topic": {
        "acknowledge": (frozenset({"open"}), FIELD),
        "start": (frozenset({"acknowledged"}), STAFF),
        "resolve": (frozenset({"acknowledged", "in_progress"}), STAFF),
        "convert": (frozenset({"acknowledged", "in_progress"}), OFFICE),
        "close": (frozenset({"open", "acknowledged", "in_progress"}), STAFF),
        "reopen": (frozenset({"resolved", "closed"}), ANYONE),
    },
}
TABLES: Final = {"project": PROJECT, "topic": TOPIC}

# -- the graph: two branches, every role at every level where it may be held -----------

CHAIN: Final = (
    Level.TOWN,
    Level.LARGE_COMMUNITY,
    Level.RESIDENTIAL_AREA,
    Level.MICRO_GRID,
    Level.BUILDING_GROUP,
)
DEEPEST: Final = Level.BUILDING_GROUP


def node_id(level: Level, branch: str) -> str:
    return f"{level.name.lower()}-{branch}"


def holder(role: Role, level: Level) -> str:
    return f"{role.value}@{level.name.lower()}"


HOLDERS: Final = tuple(
    (role, level) for role in Role for level in CHAIN if level in role.allowed_levels
)
ENDED: Final = "ended-committee-member"  # held CM at area A until the day before AT
RESIDENT: Final = "resident"  # holds no role


def world() -> Hierarchy:
    nodes = [
        Node(
            id=node_id(level, branch),
            level=level,
            name=f"{branch}{level.label_zh}",
            parent=node_id(CHAIN[i - 1], branch) if i else None,
        )
        for branch in "ab"
        for i, level in enumerate(CHAIN)
    ]
    links = [
        RoleAssignment(
            id=f"ra-{holder(role, level)}",
            person=holder(role, level),
            role=role,
            node=node_id(level, "a"),
            start=START,
        )
        for role, level in HOLDERS
    ]
    links.append(
        RoleAssignment(
            id="ra-ended",
            person=ENDED,
            role=CM,
            node=node_id(Level.RESIDENTIAL_AREA, "a"),
            start=START,
            end=AT.date() - timedelta(days=1),
        )
    )
    return Hierarchy(nodes, links)


HIERARCHY: Final = world()


def _passing(state: str, command: Command, context: Context) -> Verdict:
    return Verdict(
        rule="test.pass", passed=True, code="test.pass", message_en="ok", message_zh="通过"
    )


PASSING_GUARDS: Final[dict[str, Guard]] = dict.fromkeys(DEFAULT_GUARDS, _passing)


def scopes(level: Level, branch: str) -> tuple[str, ...]:
    """The holder's own node and the deepest node under it, in ``branch``."""
    return tuple(dict.fromkeys((node_id(level, branch), node_id(DEEPEST, branch))))


def cases(lc_name: str, command: str) -> Iterator[tuple[str, str, str, str, bool]]:
    """(state, actor, scope, place, allowed) for one command: every holder, every place."""
    states, roles = EXPECTED[lc_name][command]
    for state in sorted(states):
        for role, level in HOLDERS:
            allowed = roles is ANYONE or role in roles
            for scope in scopes(level, "a"):
                yield state, holder(role, level), scope, "inside", allowed
            for scope in scopes(level, "b"):
                yield state, holder(role, level), scope, "outside", roles is ANYONE
        for scope in (node_id(Level.RESIDENTIAL_AREA, "a"), node_id(DEEPEST, "a")):
            yield state, ENDED, scope, "ended", roles is ANYONE
            yield state, RESIDENT, scope, "no role", roles is ANYONE


ALL_COMMANDS: Final = [(lc, command) for lc in sorted(EXPECTED) for command in EXPECTED[lc]]
ROLE_COMMANDS: Final = [(lc, c) for lc, c in ALL_COMMANDS if EXPECTED[lc][c][1] is not ANYONE]

# -- completeness ----------------------------------------------------------------------


def test_the_statement_covers_every_command_state_and_role_of_the_tables() -> None:
    for name, lc in TABLES.items():
        assert set(EXPECTED[name]) == set(lc.commands), name
        for command, (states, _) in EXPECTED[name].items():
            table_states = {s.key for s in lc.states if lc.transition(s.key, command) is not None}
            assert states == table_states, (name, command)
    assert {role for role, _ in HOLDERS} == set(Role)
    assert {level for _, level in HOLDERS} == set(CHAIN)


def test_every_command_role_and_place_is_generated() -> None:
    for lc_name, command in ALL_COMMANDS:
        generated = {(actor, place) for _, actor, _, place, _ in cases(lc_name, command)}
        for role, level in HOLDERS:
            assert (holder(role, level), "inside") in generated
            assert (holder(role, level), "outside") in generated
        assert {(ENDED, "ended"), (RESIDENT, "no role")} <= generated


# -- the table -------------------------------------------------------------------------


def issue(lc: Lifecycle, state: str, command: str, actor: str, scope: str) -> str | None:
    """The refusal code, or None if the command was allowed."""
    ctx = Context(hierarchy=HIERARCHY, scope=scope, guards=PASSING_GUARDS)
    try:
        apply(lc, state, Command(name=command, item="item-1", actor=actor, at=AT), ctx)
    except TransitionRefused as err:
        return err.code
    return None


@pytest.mark.parametrize(("lc_name", "command"), ALL_COMMANDS)
def test_inside_allowed_exactly_as_the_table_says_outside_always_refused(
    lc_name: str, command: str
) -> None:
    lc = TABLES[lc_name]
    wrong: list[str] = []
    for state, actor, scope, place, allowed in cases(lc_name, command):
        code = issue(lc, state, command, actor, scope)
        if allowed and code is not None:
            wrong.append(f"{actor} {place} at {scope} from {state}: refused ({code})")
        if not allowed and code != "auth.outside_jurisdiction":
            wrong.append(f"{actor} {place} at {scope} from {state}: {code or 'allowed'}")
    assert wrong == []


def test_the_refusal_reason_is_catalogued() -> None:
    assert "auth.outside_jurisdiction" in REASONS
    assert not REASONS["auth.outside_jurisdiction"].passed


@pytest.mark.parametrize(("lc_name", "command"), ROLE_COMMANDS)
def test_outside_is_refused_with_its_code_even_when_the_real_guards_also_fail(
    lc_name: str, command: str
) -> None:
    states, _ = EXPECTED[lc_name][command]
    outsider = holder(PS, Level.TOWN)  # the top of branch A acting on branch B
    ctx = Context(hierarchy=HIERARCHY, scope=node_id(Level.RESIDENTIAL_AREA, "b"))
    cmd = Command(name=command, item="item-1", actor=outsider, at=AT)
    with pytest.raises(TransitionRefused) as info:
        apply(TABLES[lc_name], min(states), cmd, ctx)
    assert info.value.code == "auth.outside_jurisdiction"
    assert "auth.outside_jurisdiction" in info.value.details["codes"]
    assert all(v.code in REASONS for v in info.value.verdicts)  # type: ignore[attr-defined]


# -- with residence: commands open to anyone are open to the scope's own people only -------

# roles that carry authority to act on a node and below (the participation roles do not)
PARTICIPATION: Final = frozenset({Role.PARTY_MEMBER, Role.TALENT, Role.VOLUNTEER})
# the resident lives in branch A's building group; role holders' homes are not given
RESIDENCE: Final = {RESIDENT: node_id(DEEPEST, "a")}
ANYONE_COMMANDS: Final = [(lc, c) for lc, c in ALL_COMMANDS if EXPECTED[lc][c][1] is ANYONE]


def resident_cases(lc_name: str, command: str) -> Iterator[tuple[str, str, str, str, bool]]:
    """(state, actor, scope, place, allowed) for a command open to anyone, with residence."""
    states, _ = EXPECTED[lc_name][command]
    for state in sorted(states):
        for role, level in HOLDERS:
            for scope in scopes(level, "a"):
                yield state, holder(role, level), scope, "inside", role not in PARTICIPATION
            for scope in scopes(level, "b"):
                yield state, holder(role, level), scope, "outside", False
        for scope in (node_id(Level.RESIDENTIAL_AREA, "a"), node_id(DEEPEST, "a")):
            yield state, RESIDENT, scope, "lives here", True
            yield state, ENDED, scope, "ended", False
        for scope in (node_id(Level.RESIDENTIAL_AREA, "b"), node_id(DEEPEST, "b")):
            yield state, RESIDENT, scope, "lives elsewhere", False
            yield state, "stranger", scope, "unknown", False


def test_the_commands_open_to_anyone_are_the_objection_and_reopening() -> None:
    assert ANYONE_COMMANDS == [("project", "object"), ("topic", "reopen")]


@pytest.mark.parametrize(("lc_name", "command"), ANYONE_COMMANDS)
def test_with_residence_outside_is_always_refused_for_commands_open_to_anyone(
    lc_name: str, command: str
) -> None:
    lc = TABLES[lc_name]
    wrong: list[str] = []
    for state, actor, scope, place, allowed in resident_cases(lc_name, command):
        ctx = Context(hierarchy=HIERARCHY, scope=scope, guards=PASSING_GUARDS, residence=RESIDENCE)
        cmd = Command(name=command, item="item-1", actor=actor, at=AT)
        try:
            apply(lc, state, cmd, ctx)
            code = None
        except TransitionRefused as err:
            code = err.code
        if allowed and code is not None:
            wrong.append(f"{actor} {place} at {scope} from {state}: refused ({code})")
        if not allowed and code != "auth.outside_jurisdiction":
            wrong.append(f"{actor} {place} at {scope} from {state}: {code or 'allowed'}")
    assert wrong == []
