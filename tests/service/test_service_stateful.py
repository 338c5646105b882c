"""Random commands from random actors through the service; the invariants hold after each."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from microgov.lifecycle import PROJECT
from microgov.service import STAGES, CommandRefused, Service, sandbox, walk_to
from microgov.store import MemoryStore
from microgov.voting import Choice

ACTORS = ("sec-town", "sec-a", "sec-b", "sw-a", "gl-a", "r1", "r2", "r3", "r4", "r5", "nobody")
RESIDENTS = ("r1", "r2", "r3", "r4", "r5")
PROJECTS = ("p-0", "p-1", "p-2", "p-3", "p-4", "p-5")
COMMANDS = tuple(sorted({t.command for t in PROJECT.transitions}))
FUNDED = {"funded", "in_progress", "completed", "publicised", "suspended", "evaluated", "closed"}


class ServiceMachine(RuleBasedStateMachine):
    """The service under random commands; every refusal must leave the store unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.store = MemoryStore()
        self.service, self.clock = sandbox(self.store)
        self.n = 0
        self.steps = 0

    def _id(self) -> str:
        self.n += 1
        return f"cmd-{self.n}"

    def _try(self, call: object, *args: object, **kwargs: object) -> None:
        head = self.store.head
        refused: CommandRefused | None = None
        try:
            call(*args, **kwargs)  # type: ignore[operator]
        except CommandRefused as err:
            refused = err
        if refused is not None:
            assert refused.code
            assert refused.message_zh
            assert self.store.head == head, f"refused {refused.code} but wrote"

    def _vote_of(self, project: str) -> str | None:
        try:
            votes = self.service.project(project).votes
        except CommandRefused:
            return None
        return votes[-1] if votes else None

    @rule(hours=st.integers(1, 24 * 9))
    def tick(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    @rule(
        project=st.sampled_from(PROJECTS),
        area=st.sampled_from(("a", "b")),
        actor=st.sampled_from(ACTORS),
        cost=st.integers(0, 1_200_000),
    )
    def propose(self, project: str, area: str, actor: str, cost: int) -> None:
        self._try(
            self.service.propose_project,
            self._id(),
            actor=actor,
            project=project,
            scope=area,
            title_zh="项目",
            cost_fen=cost,
        )

    @rule(project=st.sampled_from(PROJECTS), stage=st.sampled_from(STAGES))
    def walk(self, project: str, stage: str) -> None:
        with contextlib.suppress(CommandRefused):  # a walk may meet a refusal midway
            walk_to(self.service, self.clock, project, stage)
        self.n += 1

    @rule(
        project=st.sampled_from(PROJECTS),
        actor=st.sampled_from(ACTORS),
        command=st.sampled_from(COMMANDS),
        percent=st.integers(0, 100),
    )
    def advance(self, project: str, actor: str, command: str, percent: int) -> None:
        self._try(
            self.service.advance_project,
            self._id(),
            actor=actor,
            project=project,
            command=command,
            percent=percent if command == "record_progress" else None,
        )

    @rule(project=st.sampled_from(PROJECTS), actor=st.sampled_from(ACTORS))
    def open_vote(self, project: str, actor: str) -> None:
        self._try(
            self.service.open_vote,
            self._id(),
            actor=actor,
            project=project,
            vote=f"{project}-v{self.n}",
            question_zh="是否同意？",
        )

    @rule(
        project=st.sampled_from(PROJECTS),
        voter=st.sampled_from(RESIDENTS),
        choice=st.sampled_from(Choice),
        withdraw=st.booleans(),
    )
    def hand(self, project: str, voter: str, choice: Choice, withdraw: bool) -> None:
        vote = self._vote_of(project)
        if vote is None:
            return
        if withdraw:
            self._try(self.service.withdraw_hand, self._id(), actor=voter, vote=vote)
        else:
            self._try(self.service.raise_hand, self._id(), actor=voter, vote=vote, choice=choice)

    @rule(project=st.sampled_from(PROJECTS), actor=st.sampled_from(ACTORS))
    def close_vote(self, project: str, actor: str) -> None:
        vote = self._vote_of(project)
        if vote is not None:
            self._try(self.service.close_vote, self._id(), actor=actor, vote=vote)

    @rule(
        project=st.sampled_from(PROJECTS),
        actor=st.sampled_from(ACTORS),
        passed=st.booleans(),
        score=st.integers(0, 100),
    )
    def facts(self, project: str, actor: str, passed: bool, score: int) -> None:
        s = self.service
        self._try(
            s.record_check, self._id(), actor=actor, project=project, check="c", passed=passed
        )
        self._try(s.score, self._id(), actor=actor, project=project, score=score)
        self._try(
            s.resolve_objection, self._id(), actor=actor, project=project, objection=f"{project}:o1"
        )
        self._try(s.record_spending, self._id(), actor=actor, project=project, amount_fen=score)

    @rule(
        actor=st.sampled_from(ACTORS),
        rule_name=st.sampled_from(("mes", "greedy")),
        year=st.sampled_from((2026, 2027)),
        fund=st.integers(1, 400_000),
    )
    def money(self, actor: str, rule_name: str, year: int, fund: int) -> None:
        s = self.service
        self._try(s.run_round, self._id(), actor=actor, round=f"r{self.n}", rule=rule_name)
        self._try(s.budget_area, self._id(), actor=actor, area="b", amount_fen=fund, year=year)
        self._try(s.close_year, self._id(), actor=actor, year=year)

    @invariant()
    def funded_iff_granted(self) -> None:
        for p in self.service.projects("town"):
            event(f"state {p.state}")
            assert (p.state in FUNDED) == (p.grant_fen is not None), (p.id, p.state)
            assert p.held_fen >= 0

    @invariant()
    def ledger_balances_and_nothing_below_zero(self) -> None:
        ledger = self.service.ledger()
        assert ledger.total().fen == 0
        for account, money in ledger.balances().items():
            if account.kind.value != "external":
                assert money.fen >= 0, account

    @invariant()
    def accepted_rests_on_a_recorded_passing_tally(self) -> None:
        for p in self.service.projects("town"):
            accepted = [h.at for h in p.history if h.type == "project.accepted"]
            if not accepted:
                continue
            days = [self.service.vote(v).decided_on for v in p.votes if self.service.vote(v).passed]
            assert any(
                d is not None and date.fromisoformat(d) <= accepted[0].date() for d in days
            ), p.id

    @invariant()
    def replay_gives_the_same_answers_and_the_chain_verifies(self) -> None:
        self.steps += 1
        if self.steps % 4:
            return
        again = Service(self.store, clock=self.clock, name="town")
        assert again.projects("town") == self.service.projects("town")
        assert again.balances() == self.service.balances()
        assert again.topics("town") == self.service.topics("town")
        assert self.store.verify().ok


TestServiceMachine = ServiceMachine.TestCase
TestServiceMachine.settings = settings(max_examples=25, stateful_step_count=30, deadline=None)
