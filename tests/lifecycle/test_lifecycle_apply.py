"""Applying commands: every transition's happy path, refusals with every verdict, replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from _lifecycle_world import (
    AT,
    CTX_A,
    EVALUATION_OK,
    HIERARCHY,
    NOTICE_OVER,
    PEOPLE,
    RESIDENT,
    SH,
    VOTE_FAILED,
    VOTE_OK,
    covers,
    good_command,
    no,
    ok,
)

from microgov.errors import DataFormatError, NodeNotFound, PolicyError, TransitionRefused
from microgov.lifecycle import (
    DEFAULT_GUARDS,
    PROJECT,
    TOPIC,
    Command,
    Context,
    Event,
    Lifecycle,
    Transition,
    apply,
    replay,
)
from microgov.policy import Verdict

ROWS = [
    pytest.param(lc, t, source, id=f"{lc.name}:{t.command}:{source}")
    for lc in (PROJECT, TOPIC)
    for t in lc.transitions
    for source in t.sources(lc.states)
]


@pytest.mark.parametrize(("lc", "t", "source"), ROWS)
def test_every_transition_happy_path(lc: Lifecycle, t: Transition, source: str) -> None:
    command = good_command(lc, t)
    state, events = apply(lc, source, command, CTX_A)
    assert state == t.target
    assert len(events) == 1
    (event,) = events
    assert (event.type, event.item, event.actor, event.at) == (
        t.event,
        "p-1",
        command.actor,
        AT,
    )
    assert event.payload == command.payload
    assert event.verdicts[: len(command.verdicts)] == command.verdicts
    assert all(v.passed for v in event.verdicts)
    checks = event.verdicts[len(command.verdicts) :]
    assert [v.rule for v in checks] == (["auth.may_act"] if t.roles else []) + list(t.guards)
    assert replay(lc, events, start=source) == t.target


def drive(lc: Lifecycle, commands: list[str]) -> tuple[str, list[Event]]:
    state, log = lc.initial, []
    for name in commands:
        t = lc.transition(state, name)
        assert t is not None, (state, name)
        state, events = apply(lc, state, good_command(lc, t), CTX_A)
        log.extend(events)
    return state, log


def test_project_full_path_and_replay() -> None:
    path = [
        "open_solicitation",
        "raise_hands",
        "accept",
        "publish_decision",
        "fund",
        "start",
        "record_progress",
        "record_progress",
        "complete",
        "publicise",
        "object",
        "rectify",
        "complete",
        "publicise",
        "object",
        "resume",
        "evaluate",
        "close",
    ]
    state, log = drive(PROJECT, path)
    assert state == "closed"
    assert [e.type for e in log][:4] == [
        "project.solicitation_opened",
        "project.hands_raised",
        "project.accepted",
        "project.decision_published",
    ]
    assert replay(PROJECT, log) == "closed"
    for n in range(len(log) + 1):
        assert replay(PROJECT, log[:n]) in {s.key for s in PROJECT.states}


def test_topic_reopen_and_convert() -> None:
    state, log = drive(TOPIC, ["acknowledge", "resolve", "reopen", "acknowledge", "convert"])
    assert state == "converted"
    assert replay(TOPIC, log) == "converted"
    assert TOPIC.commands_from("converted") == ()


def test_record_progress_keeps_state_and_emits() -> None:
    t = PROJECT.transition("in_progress", "record_progress")
    assert t is not None
    command = Command(
        name="record_progress",
        item="p-9",
        actor="gl-a",
        at=AT,
        payload={"milestone": "foundations poured", "percent": 40},
    )
    ctx = Context(hierarchy=HIERARCHY, scope="grid-a1")
    state, (event,) = apply(PROJECT, "in_progress", command, ctx)
    assert state == "in_progress"
    assert event.type == "project.progress_recorded"
    assert event.payload["percent"] == 40


def refusal(lc: Lifecycle, state: str, command: Command, ctx: Context = CTX_A) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as info:
        apply(lc, state, command, ctx)
    return info.value


def test_no_transition_from_this_state() -> None:
    err = refusal(PROJECT, "proposed", Command(name="close", item="p", actor="sec-a", at=AT))
    assert err.code == "lifecycle.no_transition"
    assert err.details["codes"] == ("lifecycle.no_transition",)
    assert "open_solicitation" in err.message_en
    assert refusal(
        PROJECT, "closed", Command(name="nonsense", item="p", actor="sec-a", at=AT)
    ).details["codes"] == ("lifecycle.no_transition",)


def test_refusal_collects_every_failing_verdict() -> None:
    command = Command(name="accept", item="p", actor="sec-b", at=AT, verdicts=VOTE_FAILED)
    err = refusal(PROJECT, "hand_raised", command)
    assert err.details["codes"] == ("auth.outside_jurisdiction", "vote.not_passed")
    assert err.code == "auth.outside_jurisdiction"
    assert [getattr(v, "rule", None) for v in err.verdicts] == ["auth.may_act", "vote.passed"]
    assert "sec-b" in err.message_en
    assert err.details["state"] == "hand_raised"


def test_evaluate_checks_all_three_guards() -> None:
    command = Command(
        name="evaluate",
        item="p",
        actor="com-a",
        at=AT,
        payload={"notice_ends_at": (AT + timedelta(hours=1)).isoformat(), "objections": 1},
        verdicts=(no("evaluation.residents", "evaluation.low"),),
    )
    err = refusal(PROJECT, "publicised", command)
    assert err.details["codes"] == (
        "notice.running",
        "objection.outstanding",
        "evaluation.failed",
    )
    missing = Command(name="evaluate", item="p", actor="com-a", at=AT)
    assert refusal(PROJECT, "publicised", missing).details["codes"] == (
        "notice.not_given",
        "objection.not_given",
        "evaluation.missing",
    )


def test_notice_ends_exactly_now_has_elapsed() -> None:
    command = Command(
        name="evaluate",
        item="p",
        actor="com-a",
        at=AT,
        payload={"notice_ends_at": AT.isoformat(), "objections": 0},
        verdicts=EVALUATION_OK,
    )
    assert apply(PROJECT, "publicised", command, CTX_A)[0] == "evaluated"


@pytest.mark.parametrize(
    ("verdicts", "code"),
    [
        ((), "vote.incomplete"),
        (VOTE_OK[:1], "vote.incomplete"),
        (VOTE_OK[1:], "vote.incomplete"),
        (VOTE_FAILED, "vote.not_passed"),
        ((*VOTE_OK, no("other.rule", "other.failed")), "vote.not_passed"),
    ],
)
def test_vote_passed_guard(verdicts: tuple[Verdict, ...], code: str) -> None:
    command = Command(name="accept", item="p", actor="com-a", at=AT, verdicts=verdicts)
    assert refusal(PROJECT, "hand_raised", command).details["codes"] == (code,)


def test_complete_needs_passing_inspection_verdicts() -> None:
    bad = (ok("inspection.a", "inspection.ok"), no("inspection.b", "inspection.leak"))
    err = refusal(PROJECT, "in_progress", Command(name="complete", item="p", actor="com-a", at=AT))
    assert err.details["codes"] == ("verdicts.none",)
    err = refusal(
        PROJECT,
        "in_progress",
        Command(name="complete", item="p", actor="com-a", at=AT, verdicts=bad),
    )
    assert err.details["codes"] == ("verdicts.failed",)
    assert err.verdicts[-1].figures["failed"] == "inspection.leak"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"notice_ends_at": "next tuesday", "objections": 0}, "lifecycle.bad_payload"),
        ({"notice_ends_at": "2026-03-01T00:00:00", "objections": 0}, "time.not_aware"),
        ({"notice_ends_at": 20260301, "objections": 0}, "time.not_aware"),
        ({**NOTICE_OVER, "objections": "none"}, "lifecycle.bad_payload"),
        ({**NOTICE_OVER, "objections": -1}, "lifecycle.bad_payload"),
        ({**NOTICE_OVER, "objections": True}, "lifecycle.bad_payload"),
    ],
)
def test_malformed_payload_is_a_data_error(payload: dict[str, object], code: str) -> None:
    command = Command(
        name="evaluate", item="p", actor="com-a", at=AT, payload=payload, verdicts=EVALUATION_OK
    )
    with pytest.raises(DataFormatError) as info:
        apply(PROJECT, "publicised", command, CTX_A)
    assert info.value.code == code


def test_notice_end_as_datetime_object() -> None:
    command = Command(
        name="evaluate",
        item="p",
        actor="com-a",
        at=AT,
        payload={"notice_ends_at": AT - timedelta(days=3), "objections": 0},
        verdicts=EVALUATION_OK,
    )
    assert apply(PROJECT, "publicised", command, CTX_A)[0] == "evaluated"


def test_unknown_guard_is_a_programming_error() -> None:
    ctx = Context(hierarchy=HIERARCHY, scope="area-a", guards={})
    command = Command(name="accept", item="p", actor="com-a", at=AT, verdicts=VOTE_OK)
    with pytest.raises(PolicyError) as info:
        apply(PROJECT, "hand_raised", command, ctx)
    assert info.value.code == "lifecycle.unknown_guard"
    assert info.value.details["guards"] == ("vote.passed",)


def test_guard_must_return_a_verdict() -> None:
    def broken(state: str, command: Command, context: Context) -> Any:
        return True

    ctx = Context(hierarchy=HIERARCHY, scope="area-a", guards={"vote.passed": broken})
    command = Command(name="accept", item="p", actor="com-a", at=AT)
    with pytest.raises(PolicyError) as info:
        apply(PROJECT, "hand_raised", command, ctx)
    assert info.value.code == "lifecycle.bad_guard"


def test_custom_guard_registry() -> None:
    seen: list[tuple[str, str]] = []

    def strict_vote(state: str, command: Command, context: Context) -> Verdict:
        seen.append((state, context.scope))
        return no("vote.custom", "vote.custom_refused")

    ctx = Context(hierarchy=HIERARCHY, scope="area-a", guards={"vote.passed": strict_vote})
    command = Command(name="accept", item="p", actor="com-a", at=AT, verdicts=VOTE_OK)
    assert refusal(PROJECT, "hand_raised", command, ctx).code == "vote.custom_refused"
    assert seen == [("hand_raised", "area-a")]
    assert set(DEFAULT_GUARDS) == {
        "evaluation.passed",
        "notice.elapsed",
        "objection.none",
        "verdicts.all_passed",
        "vote.passed",
    }


def test_unknown_state_and_scope() -> None:
    command = Command(name="fund", item="p", actor="sec-a", at=AT)
    with pytest.raises(PolicyError) as info:
        apply(PROJECT, "limbo", command, CTX_A)
    assert info.value.code == "lifecycle.unknown_state"
    with pytest.raises(NodeNotFound):
        apply(PROJECT, "established", command, Context(hierarchy=HIERARCHY, scope="area-z"))


def test_command_validation() -> None:
    with pytest.raises(DataFormatError) as info:
        Command(name="fund", item="p", actor="a", at=datetime(2026, 3, 2, 9))
    assert info.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as info:
        Command(name="fund", item="p", actor="a", at="2026-03-02")  # type: ignore[arg-type]
    assert info.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as info:
        Command(name="fund", item="", actor="a", at=AT)
    assert info.value.code == "lifecycle.bad_field"


def test_payload_is_a_read_only_copy() -> None:
    raw: dict[str, object] = {"objections": 0}
    command = Command(name="object", item="p", actor=RESIDENT, at=AT, payload=raw)
    raw["objections"] = 5
    assert command.payload["objections"] == 0
    with pytest.raises(TypeError):
        command.payload["x"] = 1  # type: ignore[index]


def test_authorisation_uses_the_day_in_shanghai() -> None:
    # 2023-12-31 17:00 UTC is already 2024-01-01 in Shanghai, the first day in office.
    late = datetime(2023, 12, 31, 17, 0, tzinfo=UTC)
    command = Command(name="fund", item="p", actor="sec-a", at=late)
    assert apply(PROJECT, "established", command, CTX_A)[0] == "funded"
    early = datetime(2023, 12, 31, 15, 0, tzinfo=UTC)
    err = refusal(PROJECT, "established", Command(name="fund", item="p", actor="sec-a", at=early))
    assert err.code == "auth.outside_jurisdiction"
    assert err.verdicts[0].figures["on"].isoformat() == "2023-12-31"  # type: ignore[attr-defined]


def test_grid_leader_acts_within_their_grid_only() -> None:
    command = Command(name="open_solicitation", item="p", actor="gl-a", at=AT)
    grid_ctx = Context(hierarchy=HIERARCHY, scope="grid-a1")
    assert apply(PROJECT, "proposed", command, grid_ctx)[0] == "soliciting"
    # An area-wide project is beyond a grid leader; another area's grid even more so.
    assert refusal(PROJECT, "proposed", command).code == "auth.outside_jurisdiction"
    other = Context(hierarchy=HIERARCHY, scope="grid-b1")
    assert refusal(PROJECT, "proposed", command, other).code == "auth.outside_jurisdiction"


AUTH_ROWS = [
    pytest.param(lc, t, source, person, id=f"{lc.name}:{t.command}:{source}:{person}")
    for lc in (PROJECT, TOPIC)
    for t in lc.transitions
    if t.roles
    for source in t.sources(lc.states)
    for person in [*PEOPLE, RESIDENT]
    if not covers(person, "area-a") & set(t.roles)
]


@pytest.mark.parametrize(("lc", "t", "source", "person"), AUTH_ROWS)
def test_every_command_refused_outside_jurisdiction(
    lc: Lifecycle, t: Transition, source: str, person: str
) -> None:
    """Area B's secretary, grid leaders, residents … cannot move an area-A item."""
    good = good_command(lc, t)
    command = Command(
        name=good.name,
        item=good.item,
        actor=person,
        at=good.at,
        payload=good.payload,
        verdicts=good.verdicts,
    )
    err = refusal(lc, source, command)
    assert err.code == "auth.outside_jurisdiction"
    assert err.details["codes"] == ("auth.outside_jurisdiction",)
    # The same person on their own area's item (when they hold a role there) is fine.
    role = PEOPLE.get(person)
    if role is not None and role[1] == "area-b" and role[0] in t.roles:
        ctx_b = Context(hierarchy=HIERARCHY, scope="area-b")
        assert apply(lc, source, command, ctx_b)[0] == t.target


def test_area_b_secretary_cannot_act_on_area_a() -> None:
    assert {p for p, (_, node) in PEOPLE.items() if node == "area-b"} >= {"sec-b", "com-b"}
    assert any(row.values[3] == "sec-b" for row in AUTH_ROWS)
    assert not any(row.values[3] in ("sec-a", "town-sec") for row in AUTH_ROWS)


def test_replay_errors() -> None:
    at = datetime(2026, 1, 5, 9, tzinfo=SH)

    def ev(kind: str, item: str = "p") -> Event:
        return Event(type=kind, item=item, actor="a", at=at, payload={}, verdicts=())

    with pytest.raises(PolicyError) as info:
        replay(PROJECT, [ev("project.funded")])
    assert info.value.code == "lifecycle.replay_mismatch"
    assert info.value.details["index"] == 0
    with pytest.raises(PolicyError) as info:
        replay(PROJECT, [ev("project.solicitation_opened"), ev("project.hands_raised", "q")])
    assert info.value.code == "lifecycle.mixed_items"
    with pytest.raises(PolicyError) as info:
        replay(PROJECT, [], start="limbo")
    assert info.value.code == "lifecycle.unknown_state"
    assert replay(PROJECT, []) == "proposed"
    assert replay(PROJECT, [ev("project.closed")], start="evaluated") == "closed"


def test_command_and_context_field_checks() -> None:
    command = Command(
        name="accept",
        item="p",
        actor="com-a",
        at=AT,
        payload={"k": [1, 2]},
        verdicts=list(VOTE_OK),  # type: ignore[arg-type]
    )
    assert command.verdicts == VOTE_OK
    with pytest.raises(DataFormatError) as info:
        Command(name="a", item="p", actor="x", at=AT, payload=[("k", 1)])  # type: ignore[arg-type]
    assert info.value.details["field"] == "payload"
    with pytest.raises(DataFormatError) as info:
        Command(name="a", item="p", actor="x", at=AT, verdicts=5)  # type: ignore[arg-type]
    assert info.value.details["field"] == "verdicts"
    with pytest.raises(DataFormatError) as info:
        Context(hierarchy=HIERARCHY, scope="")
    assert info.value.details["field"] == "scope"
    with pytest.raises(DataFormatError) as info:
        Context(hierarchy="h", scope="area-a")  # type: ignore[arg-type]
    assert info.value.details["field"] == "hierarchy"


def test_events_are_values() -> None:
    t = PROJECT.transition("established", "fund")
    assert t is not None
    command = good_command(PROJECT, t)
    first = apply(PROJECT, "established", command, CTX_A)
    second = apply(PROJECT, "established", command, CTX_A)
    assert first == second  # pure: the same input gives the same output
    (event,) = first[1]
    assert event.verdicts[-1].figures["scope"] == "area-a"
