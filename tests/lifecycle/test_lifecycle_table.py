"""Lifecycle tables: every kind of broken table is refused with every problem listed."""

from __future__ import annotations

import inspect

import attrs
import pytest

import microgov.lifecycle
from microgov.errors import PolicyError, Problem
from microgov.hierarchy import Role
from microgov.lifecycle import (
    ANY_STATE,
    PROJECT,
    TOPIC,
    Category,
    Lifecycle,
    StateDef,
    Transition,
)


def s(key: str, category: Category = Category.ACTIVE) -> StateDef:
    return StateDef(key=key, category=category, label_zh=f"{key}中文", label_en=key)


def t(command: str, source: str | tuple[str, ...], target: str, event: str = "") -> Transition:
    return Transition(command=command, source=source, target=target, event=event or f"x.{command}")


GOOD_STATES = (s("new", Category.OPEN), s("busy"), s("done", Category.DONE))
GOOD_TRANSITIONS = (t("go", "new", "busy"), t("finish", "busy", "done"))


def problems_of(**changes: object) -> list[Problem]:
    fields: dict[str, object] = {
        "name": "demo",
        "states": GOOD_STATES,
        "transitions": GOOD_TRANSITIONS,
        "initial": "new",
    }
    fields.update(changes)
    with pytest.raises(PolicyError) as info:
        Lifecycle(**fields)  # type: ignore[arg-type]
    assert info.value.code == "lifecycle.bad_table"
    problems = info.value.details["problems"]
    assert isinstance(problems, tuple)
    assert info.value.details["codes"] == tuple(sorted({p.code for p in problems}))
    return list(problems)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_a_good_table_builds_and_indexes() -> None:
    lc = Lifecycle(name="demo", states=GOOD_STATES, transitions=GOOD_TRANSITIONS, initial="new")
    assert lc.commands_from("new") == ("go",)
    assert lc.transition("busy", "finish") == GOOD_TRANSITIONS[1]
    assert lc.transition("busy", "go") is None
    assert lc.commands == ("go", "finish")
    assert lc.is_final("done")
    assert not lc.is_final("busy")


def test_missing_initial_state() -> None:
    assert "lifecycle.no_initial" in codes(problems_of(initial="nowhere"))


def test_unknown_target_and_source() -> None:
    found = problems_of(transitions=(*GOOD_TRANSITIONS, t("jump", "ghost", "void")))
    unknown = [p for p in found if p.code == "lifecycle.unknown_state"]
    assert {p.message_en for p in unknown} == {
        "Target 'void' is not a state of the table.",
        "Source 'ghost' is not a state of the table.",
    }


def test_duplicate_state_command_pair() -> None:
    found = problems_of(transitions=(*GOOD_TRANSITIONS, t("go", "new", "done", "x.go2")))
    assert codes(found) == ["lifecycle.duplicate_transition"]
    assert found[0].subject == "go"


def test_duplicate_state_key() -> None:
    assert "lifecycle.duplicate_state" in codes(problems_of(states=(*GOOD_STATES, s("busy"))))


def test_unreachable_state() -> None:
    found = problems_of(states=(*GOOD_STATES, s("orphan", Category.FAILED)))
    assert codes(found) == ["lifecycle.unreachable"]
    assert found[0].subject == "orphan"


def test_trap_state() -> None:
    found = problems_of(
        states=(*GOOD_STATES, s("stuck")),
        transitions=(*GOOD_TRANSITIONS, t("park", "busy", "stuck"), t("loop", "stuck", "stuck")),
    )
    assert codes(found) == ["lifecycle.trap"]
    assert found[0].subject == "stuck"


def test_final_state_with_an_exit_needs_final_exits() -> None:
    reopen = t("reopen", "done", "busy")
    found = problems_of(transitions=(*GOOD_TRANSITIONS, reopen))
    assert codes(found) == ["lifecycle.final_has_exit"]
    lc = Lifecycle(
        name="demo",
        states=GOOD_STATES,
        transitions=(*GOOD_TRANSITIONS, reopen),
        initial="new",
        final_exits=("reopen",),
    )
    assert lc.commands_from("done") == ("reopen",)


def test_final_exits_must_name_commands() -> None:
    assert codes(problems_of(final_exits=("nope",))) == ["lifecycle.unknown_final_exit"]


def test_ambiguous_event_type() -> None:
    found = problems_of(
        states=(*GOOD_STATES, s("other", Category.DONE)),
        transitions=(*GOOD_TRANSITIONS, t("stop", "busy", "other", "x.finish")),
    )
    assert codes(found) == ["lifecycle.ambiguous_event"]


def test_bad_keys_and_names() -> None:
    found = problems_of(
        states=(s("New", Category.OPEN), s("busy"), s("done", Category.DONE)),
        transitions=(t("go", "New", "busy"), t("Finish!", "busy", "done", "x.finish")),
        initial="New",
    )
    assert codes(found) == ["lifecycle.bad_key", "lifecycle.bad_key"]


def test_empty_source_tuple() -> None:
    found = problems_of(transitions=(*GOOD_TRANSITIONS, t("nothing", (), "done")))
    assert codes(found) == ["lifecycle.empty_source"]


def test_not_states_or_transitions() -> None:
    found = problems_of(states=(*GOOD_STATES, "busy"), transitions=(*GOOD_TRANSITIONS, 42))
    assert codes(found) == ["lifecycle.bad_key", "lifecycle.bad_key"]


def test_every_problem_is_listed_at_once() -> None:
    found = problems_of(
        states=(*GOOD_STATES, s("orphan"), s("busy")),
        transitions=(*GOOD_TRANSITIONS, t("go", "new", "void", "x.other")),
        initial="new",
    )
    assert set(codes(found)) == {
        "lifecycle.duplicate_state",
        "lifecycle.unknown_state",
        "lifecycle.duplicate_transition",
        "lifecycle.unreachable",
        "lifecycle.trap",
    }


def test_any_state_source_means_every_non_final_state() -> None:
    lc = Lifecycle(
        name="demo",
        states=GOOD_STATES,
        transitions=(*GOOD_TRANSITIONS, t("note", ANY_STATE, "busy")),
        initial="new",
    )
    assert lc.transition("new", "note") is not None
    assert lc.transition("busy", "note") is not None
    assert lc.transition("done", "note") is None


def test_empty_labels_are_refused() -> None:
    with pytest.raises(PolicyError) as info:
        StateDef(key="a", category=Category.OPEN, label_zh=" ", label_en="a")
    assert info.value.code == "lifecycle.bad_field"


def test_with_labels_returns_a_new_lifecycle() -> None:
    renamed = PROJECT.with_labels({"soliciting": ("征求意见", "consultation")})
    assert renamed.state("soliciting").label_zh == "征求意见"
    assert PROJECT.state("soliciting").label_zh == "意见征集"
    assert renamed.transitions == PROJECT.transitions
    assert renamed.transition("soliciting", "raise_hands") == PROJECT.transition(
        "soliciting", "raise_hands"
    )
    with pytest.raises(PolicyError) as info:
        PROJECT.with_labels({"nowhere": ("无", "none")})
    assert info.value.code == "lifecycle.unknown_state"
    with pytest.raises(PolicyError):
        PROJECT.with_labels({"closed": ("", "closed")})
    with pytest.raises(PolicyError) as info:
        PROJECT.with_labels({"closed": "已结项"})  # type: ignore[dict-item]
    assert info.value.code == "lifecycle.bad_field"


def test_unknown_state_queries_raise_policy_error() -> None:
    for call in (
        lambda: PROJECT.state("x"),
        lambda: PROJECT.commands_from("x"),
        lambda: PROJECT.transition("x", "accept"),
    ):
        with pytest.raises(PolicyError) as info:
            call()
        assert info.value.code == "lifecycle.unknown_state"


def test_builtin_tables_shape() -> None:
    assert PROJECT.initial == "proposed"
    finals = {st.key for st in PROJECT.states if st.final}
    assert finals == {"closed", "rejected", "withdrawn", "cancelled"}
    assert PROJECT.final_exits == frozenset()
    assert TOPIC.final_exits == frozenset({"reopen"})
    assert {st.key for st in TOPIC.states if st.final} == {"resolved", "converted", "closed"}
    # 举手立项 is for the area's party secretary or committee members.
    raise_hands = PROJECT.transition("soliciting", "raise_hands")
    assert raise_hands is not None
    assert set(raise_hands.roles) == {Role.PARTY_SECRETARY, Role.COMMITTEE_MEMBER}
    accept = PROJECT.transition("hand_raised", "accept")
    assert accept is not None
    assert accept.guards == ("vote.passed",)
    evaluate = PROJECT.transition("publicised", "evaluate")
    assert evaluate is not None
    assert set(evaluate.guards) == {"notice.elapsed", "objection.none", "evaluation.passed"}
    assert PROJECT.transition("in_progress", "record_progress") is not None
    progress = PROJECT.transition("in_progress", "record_progress")
    assert progress is not None
    assert progress.target == "in_progress"


def test_tables_are_values() -> None:
    rebuilt = attrs.evolve(PROJECT)
    assert rebuilt == PROJECT
    assert rebuilt is not PROJECT


def test_public_names_are_sorted_and_documented() -> None:
    names = list(microgov.lifecycle.__all__)
    assert len(set(names)) == len(names)
    kind = {True: 0, False: 1}
    assert names == sorted(names, key=lambda n: (kind[n.isupper()], not n[0].isupper(), n))
    assert microgov.lifecycle.__doc__
    for name in names:
        value = getattr(microgov.lifecycle, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
