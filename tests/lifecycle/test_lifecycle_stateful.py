"""A stateful property test: random commands by random actors over the project lifecycle."""

from __future__ import annotations

from datetime import timedelta

from _lifecycle_world import (
    AT,
    EVALUATION_OK,
    HIERARCHY,
    PEOPLE,
    RESIDENT,
    VOTE_FAILED,
    VOTE_OK,
    covers,
    no,
    ok,
)
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from microgov.errors import TransitionRefused
from microgov.lifecycle import PROJECT, Category, Command, Context, Event, apply, replay
from microgov.policy import Verdict
from profiles import examples

SCOPES = ("area-a", "area-b", "grid-a1")
ACTORS = (*PEOPLE, RESIDENT)
KEYS = frozenset(s.key for s in PROJECT.states)
COMMANDS = (*PROJECT.commands, "nonsense")

# Guard inputs, each either satisfying or not, drawn independently.
VERDICT_SETS: tuple[tuple[Verdict, ...], ...] = (
    (),
    VOTE_OK,
    VOTE_FAILED,
    (*VOTE_OK, *EVALUATION_OK, ok("inspection.a", "inspection.ok")),
    EVALUATION_OK,
    (no("evaluation.residents", "evaluation.low"),),
    (ok("inspection.a", "inspection.ok"), no("inspection.b", "inspection.leak")),
)
NOTICE = (None, AT - timedelta(days=2), AT + timedelta(days=2))
OBJECTIONS = (None, 0, 3)


def expected_guard(name: str, verdicts: tuple[Verdict, ...], payload: dict[str, object]) -> bool:
    """An independent model of the built-in guards on the inputs drawn here."""
    if name == "vote.passed":
        rules = [v.rule for v in verdicts]
        return (
            any(r.startswith("quorum.") for r in rules)
            and any(r.startswith("majority.") for r in rules)
            and all(v.passed for v in verdicts)
        )
    if name == "verdicts.all_passed":
        return bool(verdicts) and all(v.passed for v in verdicts)
    if name == "evaluation.passed":
        scores = [v for v in verdicts if v.rule.startswith(("evaluation.", "scoring."))]
        return bool(scores) and all(v.passed for v in scores)
    if name == "notice.elapsed":
        ends = payload.get("notice_ends_at")
        return isinstance(ends, str) and ends <= AT.isoformat()
    if name == "objection.none":
        return payload.get("objections") == 0
    raise AssertionError(name)


def _fails(state: str, command: str) -> bool:
    t = PROJECT.transition(state, command)
    return t is not None and PROJECT.state(t.target).category is Category.FAILED


class ProjectMachine(RuleBasedStateMachine):
    """One project, random commands; the model predicts every outcome."""

    def __init__(self) -> None:
        super().__init__()
        self.state = PROJECT.initial
        self.events: list[Event] = []
        self.scope = "area-a"
        self.accepted = 0

    @initialize(scope=st.sampled_from(SCOPES))
    def choose_scope(self, scope: str) -> None:
        self.scope = scope

    @rule(
        name=st.sampled_from(COMMANDS),
        actor=st.sampled_from(ACTORS),
        verdicts=st.sampled_from(VERDICT_SETS),
        notice=st.sampled_from(NOTICE),
        objections=st.sampled_from(OBJECTIONS),
    )
    def issue(
        self,
        name: str,
        actor: str,
        verdicts: tuple[Verdict, ...],
        notice: object,
        objections: int | None,
    ) -> None:
        payload: dict[str, object] = {}
        if notice is not None:
            payload["notice_ends_at"] = notice.isoformat()  # type: ignore[attr-defined]
        if objections is not None:
            payload["objections"] = objections
        command = Command(
            name=name,
            item="p-1",
            actor=actor,
            at=AT,
            payload=payload,
            verdicts=verdicts,
        )
        ctx = Context(hierarchy=HIERARCHY, scope=self.scope)
        before = self.state
        t = PROJECT.transition(before, name)
        allowed = t is not None
        if t is not None:
            if t.roles and not covers(actor, self.scope) & set(t.roles):
                allowed = False
            if not all(expected_guard(g, verdicts, payload) for g in t.guards):
                allowed = False
        refused: TransitionRefused | None = None
        try:
            state, events = apply(PROJECT, before, command, ctx)
        except TransitionRefused as err:
            refused = err
        if refused is not None:
            assert not allowed, refused
            assert refused.verdicts
            assert self.state == before  # nothing changed
            codes = refused.details["codes"]
            assert isinstance(codes, tuple)
            if t is None:
                assert codes == ("lifecycle.no_transition",)
            elif t.roles and not covers(actor, self.scope) & set(t.roles):
                assert "auth.outside_jurisdiction" in codes
            return
        assert allowed, (before, name, actor, self.scope)
        assert t is not None
        assert state == t.target
        assert len(events) == 1
        assert events[0].type == t.event
        self.state = state
        self.events.extend(events)
        self.accepted += 1

    @invariant()
    def state_is_a_key_of_the_table(self) -> None:
        assert self.state in KEYS

    @invariant()
    def replay_gives_the_same_state(self) -> None:
        assert replay(PROJECT, self.events) == self.state

    @invariant()
    def finals_stay_final(self) -> None:
        if PROJECT.is_final(self.state):
            assert PROJECT.commands_from(self.state) == ()


ProjectMachine.TestCase.settings = settings(
    max_examples=examples(60), stateful_step_count=30, deadline=None
)
TestProjectMachine = ProjectMachine.TestCase


class GuidedMachine(ProjectMachine):
    """The same checks, plus commands drawn from those possible in the current state.

    Random commands rarely get far along the table; this rule walks it to the end.
    """

    @rule(
        data=st.data(),
        actor=st.sampled_from(("sec-a", "com-a", "sec-b", "town-sec", RESIDENT, "gl-a")),
        good=st.booleans(),
    )
    def issue_possible(self, data: st.DataObject, actor: str, good: bool) -> None:
        possible = PROJECT.commands_from(self.state)
        if not possible:
            return
        forward = [c for c in possible if not _fails(self.state, c)]
        if forward and data.draw(st.integers(min_value=0, max_value=9)) > 0:
            possible = tuple(forward)  # mostly go on rather than reject, withdraw or cancel
        name = data.draw(st.sampled_from(possible))
        if good:  # inputs that satisfy every built-in guard
            self.issue(name, actor, VERDICT_SETS[3], NOTICE[1], 0)
        else:
            self.issue(name, actor, (), None, None)


GuidedMachine.TestCase.settings = settings(
    max_examples=examples(60), stateful_step_count=50, deadline=None
)
TestGuidedMachine = GuidedMachine.TestCase
