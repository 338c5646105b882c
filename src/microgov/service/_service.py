"""The service: commands in, decided on stored facts, written atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import partial
from typing import Final, Literal

import attrs

from microgov.audit import AuditEvent, EventDraft
from microgov.calendar import WorkCalendar, default_calendar
from microgov.errors import AuditError, BallotRefused, MicrogovError, TransitionRefused
from microgov.funds import (
    EXTERNAL,
    TOWN_POOL,
    Account,
    Allocation,
    AllocationInstance,
    Ledger,
    Money,
    Outcome,
    Posting,
    Proposal,
    equal_shares,
    greedy,
    own_area_first,
    tranche_amounts,
)
from microgov.hierarchy import Hierarchy, Level, Role
from microgov.lifecycle import (
    PROJECT,
    PROJECT_EVALUATED,
    PROJECT_FUNDED,
    TOPIC,
    Command,
    Context,
    Lifecycle,
    apply,
)
from microgov.personal import Pseudonymizer
from microgov.policy import (
    PolicyBook,
    PolicyOverride,
    PolicySet,
    Verdict,
    dumps_policy_book,
)
from microgov.service import _events as ev
from microgov.service import _views as views
from microgov.service._errors import CommandRefused, refusal, verdict
from microgov.service._facts import Facts, ProjectFacts, VoteFacts, day_of, posting_payload
from microgov.service._views import ProjectView, TopicView, VoteView
from microgov.service._write import Append, append_many
from microgov.store import ConcurrencyError, EventStore, StoreError
from microgov.voting import (
    Choice,
    Resident,
    ScoreCard,
    ScoringBallot,
    ScoringState,
    Vote,
    VoteState,
    raise_hand,
    score_results,
    tally,
)

__all__ = ["Clock", "ManualClock", "Receipt", "Service"]

Clock = Callable[[], datetime]
"""Where the service reads the time: a callable returning an aware datetime."""

_LEADERS: Final = (Role.PARTY_SECRETARY, Role.COMMITTEE_MEMBER)
_OFFICE: Final = (*_LEADERS, Role.SOCIAL_WORKER)
_STAFF: Final = (*_OFFICE, Role.GRID_LEADER)
_FIELD: Final = (*_STAFF, Role.LIAISON, Role.BUILDING_LEADER, Role.SECOND_BUILDING_LEADER)

TRANCHE_STAGES: Final = (PROJECT_FUNDED, PROJECT_EVALUATED)
"""The lifecycle events that release a grant's tranches, in order: with one share
(``PolicySet.tranches``) the whole grant is paid with ``project.funded``; with two, the
second share after a passed evaluation; with more, all but the last are paid with
``project.funded`` and the last after the evaluation."""

_RETRIES: Final = 5


@attrs.define
class ManualClock:
    """A clock a test, a replay or a simulation sets by hand (时钟).

    Attributes:
        now: The time it tells (timezone-aware).

    Example:
        >>> from datetime import datetime, timedelta
        >>> from microgov.calendar import SHANGHAI
        >>> clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI))
        >>> clock.advance(timedelta(hours=2)).hour
        11
        >>> clock().hour
        11
    """

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def set(self, at: datetime) -> datetime:
        """Set the time (it never goes back: an earlier time keeps the current one).

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI))
            >>> clock.set(datetime(2026, 3, 1, tzinfo=SHANGHAI)).day
            2
        """
        self.now = max(self.now, at)
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        """Move the time forward by ``delta``.

        Example:
            >>> from datetime import datetime, timedelta
            >>> from microgov.calendar import SHANGHAI
            >>> ManualClock(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)).advance(
            ...     timedelta(days=1)).day
            3
        """
        self.now = self.now + delta
        return self.now


@attrs.frozen
class Receipt:
    """What a command wrote: the global positions and types of its events.

    Attributes:
        command_id: The command's id.
        positions: The global positions of its events in the store, in order.
        types: Their event types.
        retried: True when this command id had already been executed: nothing was
            written and the first execution's receipt is returned.

    Example:
        >>> r = Receipt("cmd-1", (7, 8), ("project.funded", "funds.posted"))
        >>> r.retried, r.types[0]
        (False, 'project.funded')
    """

    command_id: str
    positions: tuple[int, ...]
    types: tuple[str, ...]
    retried: bool = attrs.field(default=False, eq=False)


@attrs.define
class _Draft:
    stream: str
    type: str
    payload: dict[str, object]
    verdicts: tuple[Verdict, ...] = ()


def _payload_value(value: object) -> object:
    return value


class Service:
    """The front door of microgov (服务): commands in, decided on stored facts.

    The service holds every fact a rule needs — the governance graph and the policy
    book in force, the roll of residents, each project's scope, proposer and origin,
    each vote's hands, the inspection checks, objections and scores, the ledger — as
    a fold of the events in ``store``, and decides each command on those facts
    alone.  A command names the items it acts on and the person acting; it can never
    bring its own verdicts, deadlines, counts or amounts.  What a command decides is
    written in one atomic append over every stream it touches (project, vote,
    ledger …), or, when refused, not at all: :class:`CommandRefused` carries the
    reason codes and messages in Chinese and English.

    Every command carries an id: a retry with the same id returns the first
    :class:`Receipt` (``retried=True``) and writes nothing.  Several services (in
    several processes) may share one SQL store: each catches up on the others' events
    before deciding, and a command that lost a race is decided again on the fresh
    facts (or refused).

    Args:
        store: Any :class:`~microgov.store.EventStore`.
        clock: Where the time is read (e.g. :class:`ManualClock`); never the system
            clock inside a rule.
        name: The deployment's name (a town or district id): the graph, policy and
            ledger streams are ``graph:{name}``, ``policy:{name}``, ``ledger:{name}``.
        calendar: The working-day calendar (default:
            :func:`~microgov.calendar.default_calendar`).
        pseudonymizer: Keeps identity numbers as keyed digests and masks (needed
            only to register residents with their identity number).

    Example:
        >>> from microgov.service import sandbox
        >>> service, clock = sandbox()
        >>> r = service.propose_project("c-1", actor="sec-a", project="p-1", scope="a",
        ...                             title_zh="晾衣架", title_en="Drying racks",
        ...                             cost_fen=300_000)
        >>> service.project("p-1").state, service.project("p-1").scope
        ('proposed', 'a')
        >>> service.propose_project("c-1", actor="sec-a", project="p-1", scope="a",
        ...                         title_zh="晾衣架", title_en="Drying racks",
        ...                         cost_fen=300_000).retried
        True
    """

    def __init__(
        self,
        store: EventStore,
        *,
        clock: Clock,
        name: str = "town",
        calendar: WorkCalendar | None = None,
        pseudonymizer: Pseudonymizer | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.name = name
        self.calendar = calendar or default_calendar()
        self.pseudonymizer = pseudonymizer
        self._facts = Facts()
        self.catch_up()

    # -- reading the store ------------------------------------------------------------

    @property
    def position(self) -> int:
        """The global position of the last event the service has read.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> service.position == service.store.head.sequence
            True
        """
        return self._facts.position

    def catch_up(self) -> int:
        """Read the events other writers appended since the last read; return how many.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> service.catch_up()
            0
        """
        count = 0
        while True:
            batch = self.store.read_all(from_position=self._facts.position, limit=10_000)
            for event in batch:
                self._facts.apply(event)
            count += len(batch)
            if len(batch) < 10_000:
                return count

    def events(self, *, from_position: int = 0, limit: int | None = None) -> tuple[AuditEvent, ...]:
        """The stored events after ``from_position`` (a host's catch-up subscription).

        A host keeping its own read tables stores the last position it handled and
        asks again from there.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> [e.type for e in service.events(limit=2)]
            ['graph.snapshot', 'roll.residents_imported']
        """
        return self.store.read_all(from_position=from_position, limit=limit)

    # -- the facts in force -------------------------------------------------------------

    def _graph(self, command: str) -> Hierarchy:
        graph = self._facts.graph
        if graph is None:
            raise refusal(
                command,
                [
                    verdict(
                        "service.graph",
                        False,
                        "service.no_graph",
                        "No governance graph is recorded yet.",
                        "尚未记录治理结构图。",
                    )
                ],
            )
        return graph

    def policy(self, node: str, on: date | None = None) -> PolicySet:
        """The policy set in force at ``node`` on ``on`` (default: today by the clock).

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> str(service.policy("a").notice_period)
            '5 working days'
        """
        day = on if on is not None else day_of(self.clock())
        graph = self._facts.graph
        if graph is None or node not in graph:
            return PolicySet()
        return self._facts.book.resolve(graph, node, day)

    # -- authorization ------------------------------------------------------------------

    def _may(
        self, actor: str, node: str, roles: Sequence[Role], on: date, rule: str = "auth.may_act"
    ) -> Verdict:
        graph = self._facts.graph
        ok = graph is not None and node in graph and graph.may_act(actor, node, on=on, roles=roles)
        names = ", ".join(r.value for r in roles)
        if ok:
            return verdict(
                rule,
                True,
                "auth.may_act",
                f"{actor!r} holds one of the roles {names} at {node!r} or above on {day_str(on)}.",
                f"{actor!r} 于 {day_str(on)} 在 {node!r} 或其上级担任所需角色之一。",
                actor=actor,
                scope=node,
                on=on,
            )
        return verdict(
            rule,
            False,
            "auth.outside_jurisdiction",
            f"{actor!r} holds none of the roles {names} at {node!r} or above on {day_str(on)}.",
            f"{actor!r} 于 {day_str(on)} 在 {node!r} 及其上级均未担任所需角色，无权执行。",
            actor=actor,
            scope=node,
            on=on,
        )

    def _may_within(self, actor: str, node: str, roles: Sequence[Role], on: date) -> Verdict:
        """Like :meth:`_may`, but a role held at a node inside ``node`` counts too (a grid
        leader of a grid of the area records a check on the area's project)."""
        found = self._may(actor, node, roles, on)
        graph = self._facts.graph
        if found.passed or graph is None or node not in graph:
            return found
        for link in self._facts.roles_of(actor):
            if link.role in roles and link.active_on(on) and graph.is_within(link.node, node):
                return verdict(
                    "auth.may_act",
                    True,
                    "auth.may_act",
                    f"{actor!r} holds the role {link.role.value} at {link.node!r}, within "
                    f"{node!r}, on {day_str(on)}.",
                    f"{actor!r} 于 {day_str(on)} 在 {node!r} 范围内的 {link.node!r} 担任"
                    f"{link.role.value}。",
                    actor=actor,
                    scope=node,
                    on=on,
                )
        return found

    def _resident_or_official(self, actor: str, node: str, on: date) -> Verdict:
        """A resident living within ``node`` (from the roll), or an official there."""
        graph = self._facts.graph
        resident = self._facts.residents.get(actor)
        home = None if resident is None else resident.home
        if (
            graph is not None
            and home is not None
            and home in graph
            and node in graph
            and graph.is_within(home, node)
        ):
            return verdict(
                "auth.may_act",
                True,
                "auth.resident",
                f"{actor!r} lives within {node!r} (the roll).",
                f"{actor!r} 居住在 {node!r} 范围内（名册）。",
                actor=actor,
                scope=node,
                home=home,
            )
        if graph is not None and node in graph and self._may_within(actor, node, _FIELD, on).passed:
            return verdict(
                "auth.may_act",
                True,
                "auth.may_act",
                f"{actor!r} holds a role with authority at {node!r} on {day_str(on)}.",
                f"{actor!r} 于 {day_str(on)} 在 {node!r} 担任有权角色。",
                actor=actor,
                scope=node,
            )
        return verdict(
            "auth.may_act",
            False,
            "auth.outside_jurisdiction",
            f"{actor!r} neither lives within {node!r} (home: {home!r}) nor holds a role "
            f"with authority there on {day_str(on)}.",
            f"{actor!r} 于 {day_str(on)} 既不居住在 {node!r}（住址：{home!r}），"
            "也未在该处担任有权角色，无权执行。",
            actor=actor,
            scope=node,
            home=home,
        )

    def _root(self, graph: Hierarchy) -> str:
        return graph.roots[0].id

    # -- executing a command --------------------------------------------------------------

    def _execute(
        self, command_id: str, name: str, decide: Callable[[datetime], list[_Draft]], actor: str
    ) -> Receipt:
        if not isinstance(command_id, str) or not command_id:
            raise refusal(
                name,
                [
                    verdict(
                        "service.command",
                        False,
                        "service.no_command_id",
                        "Every command needs a non-empty id (retries send the same id).",
                        "每条命令都需要非空的编号（重试时使用相同编号）。",
                    )
                ],
            )
        if not isinstance(actor, str) or not actor:
            raise refusal(
                name,
                [
                    verdict(
                        "service.command",
                        False,
                        "service.no_actor",
                        "Every command needs the id of the person issuing it.",
                        "每条命令都需要注明执行人。",
                    )
                ],
            )
        for _attempt in range(_RETRIES):
            self.catch_up()
            done = self._facts.commands.get(command_id)
            if done is not None:
                return Receipt(command_id, tuple(done[0]), tuple(done[1]), retried=True)
            at = self.clock()
            drafts = decide(at)
            appends = self._appends(command_id, drafts, actor, at)
            try:
                results = append_many(self.store, appends, key=command_id)
            except ConcurrencyError:
                continue  # another writer moved a stream on: decide again on fresh facts
            except StoreError as err:
                if err.code == "store.idempotency_conflict":
                    continue  # the same command won elsewhere: its receipt is read next
                raise
            if any(r.retried for r in results):
                continue
            first = min(r.first_sequence for r in results)
            if first == self._facts.position + 1 and len(results) == len(appends):
                self._fold_own(appends, results)
            else:
                self.catch_up()
            done = self._facts.commands[command_id]
            return Receipt(command_id, tuple(done[0]), tuple(done[1]))
        raise ConcurrencyError(
            f"Command {command_id!r} lost the race {_RETRIES} times; retry it later.",
            f"命令 {command_id!r} 连续 {_RETRIES} 次并发冲突，请稍后重试。",
            command=command_id,
        )

    def _appends(
        self, command_id: str, drafts: list[_Draft], actor: str, at: datetime
    ) -> list[Append]:
        by_stream: dict[str, list[EventDraft]] = {}
        for d in drafts:
            payload = dict(d.payload)
            payload["command"] = command_id
            by_stream.setdefault(d.stream, []).append(
                EventDraft(
                    stream=d.stream,
                    type=d.type,
                    at=at,
                    actor=actor,
                    payload=payload,  # type: ignore[arg-type]
                    verdicts=d.verdicts,
                )
            )
        return [
            Append(stream, tuple(events), self._facts.versions.get(stream, 0))
            for stream, events in by_stream.items()
        ]

    def _fold_own(self, appends: list[Append], results: Sequence[object]) -> None:
        """Fold what this service just wrote without reading it back from the store."""
        order: list[tuple[int, int, EventDraft]] = []
        for append, result in zip(appends, results, strict=True):
            first = getattr(result, "first_sequence")  # noqa: B009
            base = append.expected_version
            for i, draft in enumerate(append.events):
                order.append((first + i, base + i + 1, draft))
        order.sort(key=lambda t: t[0])
        for sequence, stream_sequence, d in order:
            self._facts.apply_parts(
                sequence, d.stream, stream_sequence, d.type, d.at, d.actor, d.payload, d.verdicts
            )

    # -- helpers deciding --------------------------------------------------------------

    def _project(self, command: str, project: str) -> ProjectFacts:
        found = self._facts.projects.get(project) if isinstance(project, str) else None
        if found is None:
            raise refusal(
                command,
                [
                    verdict(
                        "service.project",
                        False,
                        "service.unknown_project",
                        f"No project {project!r} is recorded.",
                        f"没有记录项目 {project!r}。",
                        project=str(project),
                    )
                ],
                project=str(project),
            )
        return found

    def _vote(self, command: str, vote: str) -> VoteFacts:
        found = self._facts.votes.get(vote) if isinstance(vote, str) else None
        if found is None:
            raise refusal(
                command,
                [
                    verdict(
                        "service.vote",
                        False,
                        "service.unknown_vote",
                        f"No vote {vote!r} is recorded.",
                        f"没有记录表决 {vote!r}。",
                        vote=str(vote),
                    )
                ],
                vote=str(vote),
            )
        return found

    def _transition(
        self,
        lifecycle: Lifecycle,
        item: str,
        state: str,
        scope: str,
        name: str,
        actor: str,
        at: datetime,
        payload: Mapping[str, object] | None = None,
        verdicts: tuple[Verdict, ...] = (),
    ) -> _Draft:
        """Apply one lifecycle command with the facts the service supplies."""
        graph = self._graph(name)
        residence = {r.id: r.home for r in (self._facts.residents.get(actor),) if r is not None}
        cmd = Command(
            name=name, item=item, actor=actor, at=at, payload=payload or {}, verdicts=verdicts
        )
        try:
            new_state, events = apply(
                lifecycle,
                state,
                cmd,
                Context(hierarchy=graph, scope=scope, residence=residence),
            )
        except TransitionRefused as err:
            raise refusal(name, [v for v in err.verdicts if isinstance(v, Verdict)]) from None
        (event,) = events
        out = dict(event.payload)
        out["state"] = new_state
        return _Draft(f"{lifecycle.name}:{item}", event.type, out, event.verdicts)

    def _exists(self, command: str, stream: str, what_en: str, what_zh: str, ident: str) -> None:
        if self._facts.versions.get(stream, 0):
            raise refusal(
                command,
                [
                    verdict(
                        "service.unique",
                        False,
                        "service.already_exists",
                        f"{what_en} {ident!r} already exists.",
                        f"{what_zh} {ident!r} 已存在。",
                        id=ident,
                    )
                ],
            )

    # == setup: graph, policy, roll ==========================================================

    def record_graph(self, command_id: str, *, actor: str, hierarchy: Hierarchy) -> Receipt:
        """Record the governance graph in force from now on (``graph.snapshot``).

        The first graph may be recorded by whoever installs the service; every later
        one only by a party secretary or committee member at the graph's root.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> graph = service.graph
            >>> service.record_graph("g-2", actor="nobody", hierarchy=graph)
            Traceback (most recent call last):
            ...
            microgov.service._errors.CommandRefused: Command 'record_graph' refused: ...
        """

        def decide(at: datetime) -> list[_Draft]:
            if not isinstance(hierarchy, Hierarchy):
                raise _bad("record_graph", "hierarchy", "a Hierarchy")
            current = self._facts.graph
            if current is not None:
                check = self._may(actor, self._root(current), _LEADERS, day_of(at))
                if not check.passed:
                    raise refusal("record_graph", [check])
            from microgov.io import dumps_hierarchy

            return [
                _Draft(
                    f"graph:{self.name}",
                    ev.GRAPH_SNAPSHOT,
                    {"document": dumps_hierarchy(hierarchy, indent=None)},
                )
            ]

        return self._execute(command_id, "record_graph", decide, actor)

    @property
    def graph(self) -> Hierarchy:
        """The governance graph in force (the last recorded snapshot).

        Raises:
            CommandRefused: ``service.no_graph`` before any graph is recorded.

        Example:
            >>> from microgov.service import sandbox
            >>> sandbox()[0].graph.node("a").name
            '甲小区'
        """
        return self._graph("graph")

    def set_policy(
        self,
        command_id: str,
        *,
        actor: str,
        node: str,
        effective_from: date,
        overrides: PolicyOverride,
    ) -> Receipt:
        """Record a policy change at ``node`` from ``effective_from`` (``policy.changed``).

        Only a party secretary or committee member at ``node`` or above may change
        its policy; the change itself is a recorded event.

        Example:
            >>> from datetime import date
            >>> from microgov.policy import Period, PeriodUnit, PolicyOverride
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> _ = service.set_policy("pol-1", actor="sec-town", node="a",
            ...     effective_from=date(2026, 1, 1),
            ...     overrides=PolicyOverride(notice_period=Period(7, PeriodUnit.WORKING_DAYS)))
            >>> str(service.policy("a").notice_period)
            '7 working days'
        """

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("set_policy")
            if not isinstance(overrides, PolicyOverride) or not isinstance(effective_from, date):
                raise _bad("set_policy", "overrides", "a PolicyOverride and a date")
            if node not in graph:
                raise _unknown_node("set_policy", node)
            check = self._may(actor, node, _LEADERS, day_of(at))
            if not check.passed:
                raise refusal("set_policy", [check])
            book = PolicyBook().add(node, effective_from, overrides)
            self._facts.book.add(node, effective_from, overrides)  # refuses a clash
            return [
                _Draft(
                    f"policy:{self.name}",
                    ev.POLICY_CHANGED,
                    {
                        "node": node,
                        "effective_from": effective_from.isoformat(),
                        "document": dumps_policy_book(book, indent=None),
                    },
                    (check,),
                )
            ]

        return self._execute(command_id, "set_policy", decide, actor)

    def register_resident(
        self,
        command_id: str,
        *,
        actor: str,
        resident: Resident,
        identity_number: str | None = None,
    ) -> Receipt:
        """Put a resident on the roll, or change their record (``roll.resident_registered``).

        A social worker, committee member or party secretary of the resident's
        residential area registers them.  An identity number, if given, is kept only as
        the service's keyed digest and masked form (:mod:`microgov.personal`).

        Example:
            >>> from microgov.service import sandbox
            >>> from microgov.voting import Resident
            >>> service, _ = sandbox()
            >>> r = Resident(id="r-new", household="h-new", home="b1", adult=True,
            ...              verified=True, household_representative=True)
            >>> service.register_resident("reg-9", actor="sw-a", resident=r).types
            ('roll.resident_registered',)
        """

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("register_resident")
            if not isinstance(resident, Resident):
                raise _bad("register_resident", "resident", "a Resident")
            if resident.home not in graph:
                raise _unknown_node("register_resident", resident.home)
            area = self._facts.area_of(resident.home)
            if area is None:
                raise _unknown_node("register_resident", resident.home)
            check = self._may(actor, resident.home, _OFFICE, day_of(at))
            if not check.passed:
                raise refusal("register_resident", [check])
            payload: dict[str, object] = {
                "resident": resident.id,
                "household": resident.household,
                "home": resident.home,
                "area": area,
                "adult": resident.adult,
                "verified": resident.verified,
                "household_representative": resident.household_representative,
                "group_representative": resident.group_representative,
            }
            if identity_number is not None:
                if self.pseudonymizer is None:
                    raise _bad(
                        "register_resident", "identity_number", "a service with a pseudonymizer"
                    )
                kept = self.pseudonymizer.identity(identity_number)
                payload.update(id_digest=kept.digest, id_masked=kept.masked, key_id=kept.key_id)
            return [_Draft(f"roll:{area}", ev.RESIDENT_REGISTERED, payload, (check,))]

        return self._execute(command_id, "register_resident", decide, actor)

    def register_residents(
        self, command_id: str, *, actor: str, residents: Iterable[Resident]
    ) -> Receipt:
        """Put many residents on the roll in one atomic write (an import of a register):
        one ``roll.residents_imported`` event per residential area.

        Example:
            >>> from microgov.service import sandbox
            >>> from microgov.voting import Resident
            >>> service, _ = sandbox()
            >>> rs = [Resident(id=f"n{i}", household=f"nh{i}", home="b1", adult=True,
            ...                verified=True, household_representative=True) for i in range(3)]
            >>> service.register_residents("imp-1", actor="sw-a", residents=rs).types
            ('roll.residents_imported',)
        """
        given = list(residents)

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("register_residents")
            day = day_of(at)
            by_area: dict[str, list[object]] = {}
            checked: dict[str, Verdict] = {}
            for resident in given:
                if not isinstance(resident, Resident):
                    raise _bad("register_residents", "residents", "Resident values")
                area = self._facts.area_of(resident.home) if resident.home in graph else None
                if area is None:
                    raise _unknown_node("register_residents", resident.home)
                check = checked.get(area)
                if check is None:
                    check = checked[area] = self._may(actor, area, _OFFICE, day)
                if not check.passed:
                    raise refusal("register_residents", [check])
                by_area.setdefault(area, []).append(
                    {
                        "resident": resident.id,
                        "household": resident.household,
                        "home": resident.home,
                        "adult": resident.adult,
                        "verified": resident.verified,
                        "household_representative": resident.household_representative,
                        "group_representative": resident.group_representative,
                    }
                )
            if not by_area:
                raise _bad("register_residents", "residents", "at least one resident")
            return [
                _Draft(
                    f"roll:{area}",
                    ev.RESIDENTS_IMPORTED,
                    {"area": area, "residents": records},
                    (checked[area],),
                )
                for area, records in sorted(by_area.items())
            ]

        return self._execute(command_id, "register_residents", decide, actor)

    def remove_resident(self, command_id: str, *, actor: str, resident: str) -> Receipt:
        """Take a resident off the roll (moved away) (``roll.resident_removed``).

        Votes opened before keep the roll they opened with.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> service.remove_resident("rm-1", actor="sw-a", resident="r1").types
            ('roll.resident_removed',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._facts.residents.get(resident)
            if found is None:
                raise refusal(
                    "remove_resident",
                    [
                        verdict(
                            "service.roll",
                            False,
                            "voting.unknown_voter",
                            f"{resident!r} is not on the roll.",
                            f"{resident!r} 不在名册上。",
                            voter=str(resident),
                        )
                    ],
                )
            check = self._may(actor, found.home, _OFFICE, day_of(at))
            if not check.passed:
                raise refusal("remove_resident", [check])
            area = self._facts.area_of(found.home) or found.home
            return [_Draft(f"roll:{area}", ev.RESIDENT_REMOVED, {"resident": resident}, (check,))]

        return self._execute(command_id, "remove_resident", decide, actor)

    # == topics ===========================================================================

    def raise_topic(
        self,
        command_id: str,
        *,
        actor: str,
        topic: str,
        scope: str,
        title_zh: str,
        title_en: str = "",
        category: str = "general",
    ) -> Receipt:
        """A resident (or an official) raises a topic (议题) on a node's page.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> service.raise_topic("t-1", actor="r1", topic="t-1", scope="a",
            ...                     title_zh="步道破损").types
            ('topic.raised',)
        """

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("raise_topic")
            if scope not in graph:
                raise _unknown_node("raise_topic", scope)
            self._exists("raise_topic", f"topic:{topic}", "Topic", "议题", topic)
            check = self._resident_or_official(actor, scope, day_of(at))
            if not check.passed:
                raise refusal("raise_topic", [check])
            return [
                _Draft(
                    f"topic:{topic}",
                    ev.TOPIC_RAISED,
                    {
                        "scope": scope,
                        "title_zh": title_zh,
                        "title_en": title_en,
                        "category": category,
                        "state": TOPIC.initial,
                    },
                    (check,),
                )
            ]

        return self._execute(command_id, "raise_topic", decide, actor)

    def advance_topic(
        self, command_id: str, *, actor: str, topic: str, command: str, note: str = ""
    ) -> Receipt:
        """Move a topic by one command of the topic table (acknowledge, start, resolve,
        close, reopen); conversion into a project is :meth:`convert_topic`.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> _ = service.raise_topic("t-1", actor="r1", topic="t-1", scope="a",
            ...                         title_zh="步道破损")
            >>> service.advance_topic("t-2", actor="sw-a", topic="t-1",
            ...                       command="acknowledge").types
            ('topic.acknowledged',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._facts.topics.get(topic)
            if found is None:
                raise _unknown("advance_topic", "topic", topic)
            if command == "convert":
                raise _bad("advance_topic", "command", "not 'convert' (use convert_topic)")
            payload = {"note": note} if note else {}
            return [
                self._transition(
                    TOPIC, topic, found.state, found.scope, command, actor, at, payload
                )
            ]

        return self._execute(command_id, command, decide, actor)

    def convert_topic(
        self,
        command_id: str,
        *,
        actor: str,
        topic: str,
        project: str,
        title_zh: str,
        title_en: str = "",
        cost_fen: int = 0,
    ) -> Receipt:
        """Turn a topic into a micro-project, in one write: ``topic.converted`` and
        ``project.proposed`` (scope = the topic's, origin = the topic, proposer = the
        topic's raiser).

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> _ = service.raise_topic("t-1", actor="r1", topic="t-1", scope="a",
            ...                         title_zh="步道破损")
            >>> _ = service.advance_topic("t-2", actor="sw-a", topic="t-1", command="acknowledge")
            >>> service.convert_topic("t-3", actor="sw-a", topic="t-1", project="p-9",
            ...                       title_zh="步道修复", cost_fen=100_000).types
            ('topic.converted', 'project.proposed')
            >>> service.project("p-9").origin
            't-1'
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._facts.topics.get(topic)
            if found is None:
                raise _unknown("convert_topic", "topic", topic)
            self._exists("convert_topic", f"project:{project}", "Project", "项目", project)
            _check_cost("convert_topic", cost_fen)
            moved = self._transition(
                TOPIC,
                topic,
                found.state,
                found.scope,
                "convert",
                actor,
                at,
                {"project": project},
            )
            proposed = _Draft(
                f"project:{project}",
                ev.PROJECT_PROPOSED,
                {
                    "scope": found.scope,
                    "proposer": found.raiser,
                    "origin": topic,
                    "title_zh": title_zh,
                    "title_en": title_en,
                    "cost_fen": cost_fen,
                    "state": PROJECT.initial,
                },
            )
            return [moved, proposed]

        return self._execute(command_id, "convert_topic", decide, actor)

    # == projects ===========================================================================

    def propose_project(
        self,
        command_id: str,
        *,
        actor: str,
        project: str,
        scope: str,
        title_zh: str,
        title_en: str = "",
        cost_fen: int = 0,
    ) -> Receipt:
        """Propose a micro-project at ``scope``; its scope, proposer and origin are fixed.

        A resident of the scope (from the roll) or an official there may propose.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> service.propose_project("c-1", actor="r1", project="p-1", scope="a",
            ...                         title_zh="晾衣架", cost_fen=300_000).types
            ('project.proposed',)
            >>> service.propose_project("c-2", actor="r1", project="p-2", scope="b",
            ...                         title_zh="晾衣架")
            Traceback (most recent call last):
            ...
            microgov.service._errors.CommandRefused: Command 'propose_project' refused: ...
        """

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("propose_project")
            if scope not in graph:
                raise _unknown_node("propose_project", scope)
            self._exists("propose_project", f"project:{project}", "Project", "项目", project)
            _check_cost("propose_project", cost_fen)
            check = self._resident_or_official(actor, scope, day_of(at))
            if not check.passed:
                raise refusal("propose_project", [check])
            return [
                _Draft(
                    f"project:{project}",
                    ev.PROJECT_PROPOSED,
                    {
                        "scope": scope,
                        "proposer": actor,
                        "origin": None,
                        "title_zh": title_zh,
                        "title_en": title_en,
                        "cost_fen": cost_fen,
                        "state": PROJECT.initial,
                    },
                    (check,),
                )
            ]

        return self._execute(command_id, "propose_project", decide, actor)

    def advance_project(
        self,
        command_id: str,
        *,
        actor: str,
        project: str,
        command: str,
        note: str = "",
        percent: int | None = None,
        milestone: str = "",
    ) -> Receipt:
        """Move a project by one command of the project table, on the stored facts.

        The service supplies every fact a guard reads: ``accept`` and ``reject`` the
        recorded tally of the project's last closed vote; ``complete`` the recorded
        inspection checks; ``publicise`` and ``resume`` compute when the notice period
        ends (working-day calendar, the policy's ``notice_period``); ``evaluate`` reads
        that end, the objections still outstanding and the recorded scores against
        the pass mark; ``fund`` posts the grant (see :meth:`fund_project`); ``cancel``
        refunds what the project holds, in the same write.  ``record_progress`` takes
        a ``percent`` and a ``milestone``.

        Args:
            command_id: The command's id (a retry sends the same).
            actor: Who issues it.
            project: The project.
            command: The command of :data:`~microgov.lifecycle.PROJECT`.
            note: A free note kept in the event.
            percent: For ``record_progress``: the progress, 0–100.
            milestone: For ``record_progress``: a milestone reached.

        Returns:
            The receipt.

        Raises:
            CommandRefused: With every failing verdict; nothing is written.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> _ = service.propose_project("c-1", actor="r1", project="p-1", scope="a",
            ...                             title_zh="晾衣架", cost_fen=300_000)
            >>> _ = service.advance_project("c-2", actor="sec-a", project="p-1",
            ...                             command="open_solicitation")
            >>> _ = service.advance_project("c-3", actor="sec-a", project="p-1",
            ...                             command="raise_hands")
            >>> service.advance_project("c-4", actor="sec-a", project="p-1", command="accept")
            Traceback (most recent call last):
            ...
            microgov.service._errors.CommandRefused: Command 'accept' refused: No vote of ...
        """
        if command == "fund":
            return self.fund_project(command_id, actor=actor, project=project)

        def decide(at: datetime) -> list[_Draft]:
            found = self._project(command, project)
            return self._decide_project(found, command, actor, at, note, percent, milestone)

        return self._execute(command_id, command, decide, actor)

    def _decide_project(
        self,
        found: ProjectFacts,
        command: str,
        actor: str,
        at: datetime,
        note: str,
        percent: int | None,
        milestone: str,
    ) -> list[_Draft]:
        payload: dict[str, object] = {"note": note} if note else {}
        verdicts: tuple[Verdict, ...] = ()
        extra: list[_Draft] = []
        policy = self.policy(found.scope, day_of(at))
        if command in ("accept", "reject") and found.state == "hand_raised":
            vote = self._last_closed_vote(found)
            if vote is None:
                raise refusal(
                    command,
                    [
                        verdict(
                            "vote.passed",
                            False,
                            "vote.no_tally",
                            f"No vote of project {found.id!r} has been closed and counted.",
                            f"项目 {found.id!r} 尚无已截止并计票的表决。",
                            project=found.id,
                        )
                    ],
                )
            verdicts = vote.verdicts
            payload["vote"] = vote.id
            if command == "reject" and vote.passed:
                raise refusal(
                    command,
                    [
                        verdict(
                            "vote.passed",
                            False,
                            "vote.passed_cannot_reject",
                            f"Vote {vote.id!r} passed: the project cannot be rejected on it.",
                            f"表决 {vote.id!r} 已通过，不能据此否决项目。",
                            vote=vote.id,
                        )
                    ],
                )
        elif command == "complete":
            verdicts = self._check_verdicts(found)
        elif command in ("publicise", "resume"):
            if command == "resume" and found.outstanding_objections:
                raise refusal(command, [_objections_verdict(found)])
            ends = self.calendar.deadline(at, policy.notice_period)
            payload["notice_ends_at"] = ends.isoformat()
            payload["notice_period"] = str(policy.notice_period)
        elif command == "evaluate":
            if found.notice_ends_at is not None:
                payload["notice_ends_at"] = found.notice_ends_at.isoformat()
            payload["objections"] = found.outstanding_objections
            verdicts = (self._evaluation_verdict(found, policy),)
        elif command == "record_progress":
            if percent is not None:
                if type(percent) is not int or not 0 <= percent <= 100:
                    raise _bad("record_progress", "percent", "an integer from 0 to 100")
                payload["percent"] = percent
            if milestone:
                payload["milestone"] = milestone
            if actor in found.helpers and found.state == "in_progress":
                check = verdict(
                    "auth.may_act",
                    True,
                    "auth.named_helper",
                    f"{actor!r} is named on project {found.id!r} as {found.helpers[actor]}.",
                    f"{actor!r} 是项目 {found.id!r} 的{found.helpers[actor]}。",
                    actor=actor,
                )
                payload["state"] = found.state
                return [
                    _Draft(f"project:{found.id}", "project.progress_recorded", payload, (check,))
                ]
        elif command == "object":
            payload["objection"] = f"{found.id}:o{len(found.objections) + 1}"
        moved = self._transition(
            PROJECT, found.id, found.state, found.scope, command, actor, at, payload, verdicts
        )
        if command == "cancel":
            extra.extend(self._refund(found, at))
        else:
            extra.extend(self._tranche(found, moved.type, at))
        return [moved, *extra]

    def _last_closed_vote(self, found: ProjectFacts) -> VoteFacts | None:
        for vote_id in reversed(found.votes):
            vote = self._facts.votes[vote_id]
            if vote.closed is not None:
                return vote
        return None

    def _check_verdicts(self, found: ProjectFacts) -> tuple[Verdict, ...]:
        out = []
        for check, (passed, who, when, note) in sorted(found.checks.items()):
            out.append(
                verdict(
                    f"inspection.{check}",
                    passed,
                    "inspection.passed" if passed else "inspection.failed",
                    f"Check {check!r} recorded by {who!r} on {day_str(day_of(when))}: "
                    f"{'passed' if passed else 'failed'}. {note}".strip(),
                    f"验收项 {check!r}（{who!r}，{day_str(day_of(when))}）："
                    f"{'合格' if passed else '不合格'}。{note}".strip(),
                    check=check,
                    by=who,
                )
            )
        return tuple(out)

    def _evaluation_verdict(self, found: ProjectFacts, policy: PolicySet) -> Verdict:
        mark = policy.evaluation_pass_mark
        graph = self._graph("evaluate")
        if not found.scores:
            return verdict(
                "evaluation.satisfaction",
                False,
                "evaluation.missing",
                "No resident has scored the project yet.",
                "尚无居民对项目打分。",
                pass_mark=mark,
                count=0,
            )
        ballot = self._scoring_ballot(found)
        cards = tuple(
            ScoreCard(voter=voter, scores={found.id: score}, at=when)
            for voter, (_household, score, when) in found.scores.items()
        )
        state = ScoringState(ballot_id=ballot.id, cards=cards)
        roll = self._facts.roll_at(self._facts.position)
        return score_results(ballot, state, roll, graph, pass_mark=mark).evaluation(found.id)

    def _scoring_ballot(self, found: ProjectFacts) -> ScoringBallot:
        opens = found.score_opens_at or found.proposed_at
        closes = found.notice_ends_at or (opens + timedelta(days=365))
        if closes <= opens:
            closes = opens + timedelta(seconds=1)
        return ScoringBallot(
            id=f"{found.id}-evaluation",
            scope=found.scope,
            subjects=(found.id,),
            min_score=0,
            max_score=100,
            opens_at=opens,
            closes_at=closes + timedelta(days=3650),
        )

    # -- money moving with the decisions ---------------------------------------------------

    def _ledger_stream(self) -> str:
        return f"ledger:{self.name}"

    def _schedule(self, policy: PolicySet) -> tuple[tuple[str, ...], tuple[Fraction, ...]]:
        shares = policy.tranches
        if len(shares) == 1:
            return (PROJECT_FUNDED,), shares
        first = sum(shares[:-1], Fraction(0))
        return TRANCHE_STAGES, (first, shares[-1])

    def _tranche(self, found: ProjectFacts, event_type: str, at: datetime) -> list[_Draft]:
        grant = self._facts.grants.get(found.id)
        if grant is None or grant.refunded:
            return []
        policy = self.policy(found.scope, day_of(at))
        stages, shares = self._schedule(policy)
        if event_type not in stages:
            return []
        index = stages.index(event_type)
        if index in grant.paid:
            return []
        amount = tranche_amounts(Money(fen=grant.grant_fen), shares)[index]
        if amount.fen == 0:
            return []
        posting = _move(
            f"tranche:{found.id}:{index}",
            at,
            grant.source,
            Account.project(found.id),
            amount.fen,
            f"Tranche {index + 1} of the grant to {found.id} on {event_type}",
            f"项目 {found.id} 第 {index + 1} 期拨款（{event_type}）",
        )
        return [
            _Draft(self._ledger_stream(), ev.POSTED, posting_payload(posting, "tranche", found.id))
        ]

    def _refund(self, found: ProjectFacts, at: datetime) -> list[_Draft]:
        grant = self._facts.grants.get(found.id)
        held = self._facts.ledger.balance(Account.project(found.id)).fen
        if grant is None or grant.refunded:
            return []
        posting_id = f"refund:{found.id}"
        drafts: list[_Draft] = []
        if held > 0:
            posting = _move(
                posting_id,
                at,
                Account.project(found.id),
                grant.source,
                held,
                f"Refund of what project {found.id} did not spend, on cancellation",
                f"项目 {found.id} 取消，退回未使用资金",
            )
            drafts.append(
                _Draft(
                    self._ledger_stream(), ev.POSTED, posting_payload(posting, "refund", found.id)
                )
            )
        else:  # nothing held: the promise is released all the same
            drafts.append(
                _Draft(
                    self._ledger_stream(),
                    ev.GRANTED,
                    {
                        "project": found.id,
                        "grant_fen": 0,
                        "source": str(grant.source),
                        "round": grant.round,
                        "released": True,
                    },
                )
            )
        return drafts

    def fund_project(
        self, command_id: str, *, actor: str, project: str, source: Literal["area", "pool"] = "area"
    ) -> Receipt:
        """Fund an established project with its recorded cost, in one write:
        ``project.funded``, the grant (``funds.granted``) and its first tranche.

        The grant is the cost recorded when the project was proposed, capped by the
        policy's ``project_cap_fen``; it comes from the project's residential-area fund
        or from the town pool.  Refused (``funds.insufficient``) when the source holds
        less than the grant beyond what it has already promised.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "established")
            >>> service.fund_project("f-1", actor="sec-a", project="p-1").types
            ('project.funded', 'funds.granted', 'funds.posted')
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("fund", project)
            return self._decide_fund(found, actor, at, source, None)

        return self._execute(command_id, "fund", decide, actor)

    def _source(self, found: ProjectFacts, source: str) -> Account:
        if source == "pool":
            return TOWN_POOL
        area = self._facts.area_of(found.scope)
        return TOWN_POOL if area is None else Account.area(area)

    def _decide_fund(
        self,
        found: ProjectFacts,
        actor: str,
        at: datetime,
        source: str,
        round_id: str | None,
        *,
        available: dict[Account, int] | None = None,
    ) -> list[_Draft]:
        if source not in ("area", "pool"):
            raise _bad("fund", "source", "'area' or 'pool'")
        policy = self.policy(found.scope, day_of(at))
        grant = found.cost_fen
        cap = policy.project_cap_fen
        if cap is not None:
            grant = min(grant, cap)
        account = self._source(found, source)
        moved = self._transition(
            PROJECT,
            found.id,
            found.state,
            found.scope,
            "fund",
            actor,
            at,
            {
                "grant_fen": grant,
                "source": str(account),
                **({"round": round_id} if round_id else {}),
            },
        )
        free = available[account] if available is not None else self._facts.available(account)
        if grant <= 0 or free < grant:
            raise refusal(
                "fund",
                [
                    verdict(
                        "funds.available",
                        False,
                        "funds.insufficient",
                        f"{account} can promise {Money(fen=max(free, 0))}, less than the grant "
                        f"{Money(fen=grant)} to {found.id}."
                        if grant > 0
                        else f"Project {found.id} has no recorded cost to fund.",
                        f"{account} 可用 {Money(fen=max(free, 0))}，不足以拨付项目 {found.id} 的 "
                        f"{Money(fen=grant)}。"
                        if grant > 0
                        else f"项目 {found.id} 没有登记的费用。",
                        available_fen=free,
                        grant_fen=grant,
                    )
                ],
            )
        if available is not None:
            available[account] = free - grant
        granted = _Draft(
            self._ledger_stream(),
            ev.GRANTED,
            {"project": found.id, "grant_fen": grant, "source": str(account), "round": round_id},
        )
        stages, shares = self._schedule(policy)
        drafts = [moved, granted]
        if PROJECT_FUNDED in stages:
            amount = tranche_amounts(Money(fen=grant), shares)[stages.index(PROJECT_FUNDED)]
            if amount.fen:
                posting = _move(
                    f"tranche:{found.id}:{stages.index('project.funded')}",
                    at,
                    account,
                    Account.project(found.id),
                    amount.fen,
                    f"Tranche 1 of the grant to {found.id} on project.funded",
                    f"项目 {found.id} 第 1 期拨款（立项拨款）",
                )
                drafts.append(
                    _Draft(
                        self._ledger_stream(),
                        ev.POSTED,
                        posting_payload(posting, "tranche", found.id),
                    )
                )
        return drafts

    def budget_area(
        self, command_id: str, *, actor: str, area: str, amount_fen: int, year: int
    ) -> Receipt:
        """Put a year's special fund (专项资金) into a residential area's account.

        Only a party secretary or committee member at the graph's root (the town)
        may budget.

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> _ = service.budget_area("b-9", actor="sec-town", area="b", amount_fen=50_000,
            ...                         year=2026)
            >>> service.balances()["area_fund:b"]
            550000
        """

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("budget_area")
            if area not in graph or graph.node(area).level is not Level.RESIDENTIAL_AREA:
                raise _unknown_node("budget_area", area)
            if type(amount_fen) is not int or amount_fen <= 0:
                raise _bad("budget_area", "amount_fen", "a positive integer of fen")
            check = self._may(actor, self._root(graph), _LEADERS, day_of(at))
            if not check.passed:
                raise refusal("budget_area", [check])
            posting = _move(
                f"budget:{year}:{area}:{command_id}",
                at,
                EXTERNAL,
                Account.area(area),
                amount_fen,
                f"Special fund {year} for {area}",
                f"{area} {year} 年专项资金",
            )
            payload = posting_payload(posting, "budget", None)
            payload["year"] = year
            return [_Draft(self._ledger_stream(), ev.POSTED, payload, (check,))]

        return self._execute(command_id, "budget_area", decide, actor)

    def record_spending(
        self, command_id: str, *, actor: str, project: str, amount_fen: int, note: str = ""
    ) -> Receipt:
        """Record money a project paid out (to contractors, for materials).

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "funded")
            >>> service.record_spending("s-1", actor="sec-a", project="p-1",
            ...                         amount_fen=10_000).types
            ('funds.posted',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("record_spending", project)
            check = self._may(actor, found.scope, _OFFICE, day_of(at))
            if not check.passed:
                raise refusal("record_spending", [check])
            held = self._facts.ledger.balance(Account.project(found.id)).fen
            if type(amount_fen) is not int or amount_fen <= 0 or amount_fen > held:
                raise refusal(
                    "record_spending",
                    [
                        verdict(
                            "funds.available",
                            False,
                            "funds.insufficient",
                            f"Project {found.id} holds {Money(fen=held)}; it cannot pay "
                            f"{amount_fen!r} fen.",
                            f"项目 {found.id} 仅有 {Money(fen=held)}，不能支出 {amount_fen!r} 分。",
                            held_fen=held,
                        )
                    ],
                )
            posting = _move(
                f"spend:{found.id}:{command_id}",
                at,
                Account.project(found.id),
                EXTERNAL,
                amount_fen,
                f"Paid by project {found.id}. {note}".strip(),
                f"项目 {found.id} 支出。{note}".strip(),
            )
            return [
                _Draft(
                    self._ledger_stream(),
                    ev.POSTED,
                    posting_payload(posting, "spend", found.id),
                    (check,),
                )
            ]

        return self._execute(command_id, "record_spending", decide, actor)

    def close_year(self, command_id: str, *, actor: str, year: int) -> Receipt:
        """Year-end close: each area's money not promised to a project returns to the
        town pool (镇统筹资金池).

        Example:
            >>> from microgov.service import sandbox
            >>> service, _ = sandbox()
            >>> _ = service.close_year("y-1", actor="sec-town", year=2026)
            >>> service.balances()["town_pool:town-pool"] > 0
            True
        """

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("close_year")
            check = self._may(actor, self._root(graph), _LEADERS, day_of(at))
            if not check.passed:
                raise refusal("close_year", [check])
            if year in self._facts.years_closed:
                raise refusal(
                    "close_year",
                    [
                        verdict(
                            "funds.close",
                            False,
                            "funds.year_closed",
                            f"The year {year} is already closed.",
                            f"{year} 年已结账。",
                            year=year,
                        )
                    ],
                )
            drafts = []
            for account, money in sorted(
                self._facts.ledger.balances().items(), key=lambda i: str(i[0])
            ):
                if account.kind.value != "area_fund":
                    continue
                free = money.fen - self._facts.committed(account)
                if free <= 0:
                    continue
                posting = _move(
                    f"close:{year}:{account.id}",
                    at,
                    account,
                    TOWN_POOL,
                    free,
                    f"Year-end {year}: {account.id}'s unspent, unpromised money to the pool",
                    f"{year} 年终结账：{account.id} 未使用且未承诺的资金归入镇统筹资金池",
                )
                payload = posting_payload(posting, "close", None)
                payload["year"] = year
                drafts.append(_Draft(self._ledger_stream(), ev.POSTED, payload, (check,)))
            if not drafts:
                payload = {
                    "posting": f"close:{year}",
                    "kind": "close",
                    "project": None,
                    "year": year,
                    "entries": [],
                }
                drafts.append(_Draft(self._ledger_stream(), "funds.year_closed", payload, (check,)))
            return drafts

        return self._execute(command_id, "close_year", decide, actor)

    def run_round(
        self,
        command_id: str,
        *,
        actor: str,
        round: str,
        rule: Literal["mes", "greedy"] = "mes",
    ) -> Receipt:
        """An allocation round over the established, unfunded projects, funding the winners.

        Approval ballots come from the recorded hands in favour (one ballot per
        household: the projects whose accepted vote it raised a hand for); each area
        spends its own fund first, then the town pool (:func:`~microgov.funds.own_area_first`)
        by the Method of Equal Shares with add1 completion (``"mes"``) or greedy by
        votes (``"greedy"``).  The round (``round.completed``, every project's
        explanation) and the winners' funding are one write.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "established")
            >>> r = service.run_round("r-1", actor="sec-town", round="2026-1")
            >>> r.types[0], service.project("p-1").state
            ('round.completed', 'funded')
        """

        def decide(at: datetime) -> list[_Draft]:
            graph = self._graph("run_round")
            check = self._may(actor, self._root(graph), _LEADERS, day_of(at))
            if not check.passed:
                raise refusal("run_round", [check])
            self._exists("run_round", f"round:{round}", "Round", "分配轮次", round)
            if rule not in ("mes", "greedy"):
                raise _bad("run_round", "rule", "'mes' or 'greedy'")
            return self._decide_round(round, rule, actor, at, check)

        return self._execute(command_id, "run_round", decide, actor)

    def allocation_inputs(self) -> tuple[AllocationInstance | None, dict[str, int], int]:
        """What an allocation round would decide on now: the instance, the areas' free
        funds and the town pool's (what :meth:`run_round` passes to the rule).

        The instance holds the established, unfunded projects with a cost (``scope``
        = their residential area) and one approval ballot per household: the projects
        whose accepted vote it raised a hand in favour of.  None when no project waits.
        Use it for a what-if with another rule.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "established")
            >>> instance, budgets, pool = service.allocation_inputs()
            >>> [p.id for p in instance.projects], budgets, pool
            (['p-1'], {'a': 1000000, 'b': 500000}, 0)
        """
        candidates = [
            p
            for p in self._facts.projects.values()
            if p.state == "established" and p.id not in self._facts.grants and p.cost_fen > 0
        ]
        candidates.sort(key=lambda p: p.id)
        proposals = []
        ballots_by_household: dict[str, set[str]] = {}
        for p in candidates:
            area = self._facts.area_of(p.scope)
            proposals.append(Proposal(id=p.id, cost=p.cost_fen, scope=area, name=p.title_zh))
            vote = self._facts.votes.get(p.accepted_on_vote or "")
            if vote is not None:
                for hand in vote.hands.values():
                    if hand.choice is Choice.IN_FAVOUR:
                        ballots_by_household.setdefault(hand.household, set()).add(p.id)
        budgets = {}
        for account, money in self._facts.ledger.balances().items():
            if account.kind.value == "area_fund":
                free = money.fen - self._facts.committed(account)
                if free > 0:
                    budgets[account.id] = free
        budgets = dict(sorted(budgets.items()))
        pool = max(self._facts.available(TOWN_POOL), 0)
        if not proposals:
            return None, budgets, pool
        ballots = [tuple(sorted(b)) for _h, b in sorted(ballots_by_household.items())]
        instance = AllocationInstance(
            budget=sum(budgets.values()) + pool, projects=proposals, ballots=ballots, unit=100
        )
        return instance, budgets, pool

    def _decide_round(
        self, round_id: str, rule: str, actor: str, at: datetime, check: Verdict
    ) -> list[_Draft]:
        instance, budgets, pool = self.allocation_inputs()
        candidates = [self._facts.projects[p.id] for p in (instance.projects if instance else ())]
        payload: dict[str, object] = {
            "rule": rule,
            "budget_fen": sum(budgets.values()),
            "pool_fen": pool,
            "area_budgets": dict(budgets),
            "ballots": len(instance.ballots) if instance else 0,
        }
        drafts: list[_Draft] = []
        if instance is None or not (sum(budgets.values()) + pool):
            payload.update(selected=[], explanations=[])
            return [_Draft(f"round:{round_id}", ev.ROUND_COMPLETED, payload, (check,))]
        chosen: Callable[[AllocationInstance], Allocation]
        chosen = partial(equal_shares, completion="add1") if rule == "mes" else greedy
        allocation = own_area_first(
            instance,
            area_budgets=budgets,
            pool=pool,
            rule=chosen,
        )
        explanations = []
        for e in allocation.explanations:
            explanations.append(
                {
                    "project": e.project,
                    "outcome": e.outcome.value,
                    "funded": e.funded,
                    "votes": e.votes,
                    "cost_fen": int(e.cost),
                    "en": e.describe("en"),
                    "zh": e.describe("zh"),
                }
            )
        payload.update(selected=list(allocation.selected), explanations=explanations)
        drafts.append(_Draft(f"round:{round_id}", ev.ROUND_COMPLETED, payload, (check,)))
        available: dict[Account, int] = {Account.area(a): f for a, f in budgets.items()}
        available[TOWN_POOL] = pool
        by_id = {p.id: p for p in candidates}
        for e in allocation.explanations:
            if not e.funded:
                continue
            project = by_id[e.project]
            source = "pool" if e.outcome is Outcome.FUNDED_BY_POOL else "area"
            account = self._source(project, source)
            available.setdefault(account, self._facts.available(account))
            try:
                drafts.extend(
                    self._decide_fund(project, actor, at, source, round_id, available=available)
                )
            except CommandRefused:
                continue  # the rule's arithmetic and the ledger disagree: not funded
        return drafts

    # == votes =================================================================================

    def open_vote(
        self,
        command_id: str,
        *,
        actor: str,
        project: str,
        vote: str,
        question_zh: str,
        question_en: str = "",
    ) -> Receipt:
        """Open the hand-raising vote (举手接纳) of a project whose hands were called.

        The service records the question, the project's scope, the meeting mode, the
        second-hand rule and the quorum family of the policy in force, the window
        (from now, for the vote period) and the roll as it stands (its position and
        the number entitled).

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "hand_raised")
            >>> service.open_vote("v-1", actor="sec-a", project="p-1", vote="v-1",
            ...                   question_zh="是否同意？").types
            ('vote.opened',)
            >>> service.vote("v-1").entitled
            4
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("open_vote", project)
            graph = self._graph("open_vote")
            self._exists("open_vote", f"vote:{vote}", "Vote", "表决", vote)
            check = self._may(actor, found.scope, _LEADERS, day_of(at))
            if not check.passed:
                raise refusal("open_vote", [check])
            if found.state != "hand_raised":
                raise refusal(
                    "open_vote",
                    [
                        verdict(
                            "lifecycle.transition",
                            False,
                            "lifecycle.no_transition",
                            f"A vote opens only once hands are called (state hand_raised); "
                            f"project {found.id!r} is {found.state!r}.",
                            f"只有在举手立项后才能发起表决；项目 {found.id!r} "
                            f"当前为 {found.state!r}。",
                            state=found.state,
                        )
                    ],
                )
            if any(self._facts.votes[v].closed is None for v in found.votes):
                raise refusal(
                    "open_vote",
                    [
                        verdict(
                            "service.vote",
                            False,
                            "service.vote_open",
                            f"Project {found.id!r} already has an open vote.",
                            f"项目 {found.id!r} 已有进行中的表决。",
                        )
                    ],
                )
            policy = self.policy(found.scope, day_of(at))
            closes = self.calendar.deadline(at, policy.vote_period)
            roll = self._facts.roll_at(self._facts.position)
            entitled = len(roll.entitled(graph, scope=found.scope, mode=policy.meeting_mode))
            return [
                _Draft(
                    f"vote:{vote}",
                    ev.VOTE_OPENED,
                    {
                        "project": found.id,
                        "scope": found.scope,
                        "question_zh": question_zh,
                        "question_en": question_en or question_zh,
                        "mode": policy.meeting_mode.value,
                        "second_hand": policy.second_hand.value,
                        "quorum_family": policy.quorum_family,
                        "opens_at": at.isoformat(),
                        "closes_at": closes.isoformat(),
                        "roll_position": self._facts.position,
                        "entitled": entitled,
                    },
                    (check,),
                )
            ]

        return self._execute(command_id, "open_vote", decide, actor)

    def _core_vote(self, v: VoteFacts) -> Vote:
        if v.core is None:
            v.core = self._make_vote(v)
        return v.core

    def _make_vote(self, v: VoteFacts) -> Vote:
        return Vote(
            id=v.id,
            scope=v.scope,
            question_zh=v.question_zh or "?",
            question_en=v.question_en or "?",
            opens_at=v.opens_at,
            closes_at=v.closes_at,
            mode=v.mode,
            quorum_family=v.quorum_family,
            second_hand=v.second_hand,
        )

    def _hand_draft(
        self, v: VoteFacts, voter: str, choice: Choice, channel: str, at: datetime, command: str
    ) -> _Draft:
        if not isinstance(choice, Choice):
            raise _bad(command, "choice", "a Choice")
        graph = self._graph(command)
        roll = self._facts.roll_at(v.roll_position)
        resident = roll.get(voter) if isinstance(voter, str) else None
        earlier_voter = v.by_household.get(resident.household) if resident is not None else None
        if v.mode.value != "households":
            earlier_voter = voter if voter in v.hands else None
        earlier = v.hands.get(earlier_voter) if earlier_voter else None
        if earlier is not None:
            state = VoteState(vote_id=v.id, hands=(earlier,))
        else:
            if v.empty is None:
                v.empty = VoteState.start(v.id)
            state = v.empty
        try:
            raise_hand(self._core_vote(v), state, roll, graph, voter=voter, choice=choice, at=at)
        except BallotRefused as err:
            raise refusal(
                command, [x for x in err.verdicts if isinstance(x, Verdict)], vote=v.id
            ) from None
        return _Draft(
            f"vote:{v.id}",
            ev.HAND_RAISED,
            {
                "voter": voter,
                "household": resident.household if resident is not None else "",
                "choice": choice.value,
                "channel": channel,
                "replaces": earlier.voter if earlier is not None else None,
            },
        )

    def raise_hand(
        self, command_id: str, *, actor: str, vote: str, choice: Choice, channel: str = "online"
    ) -> Receipt:
        """A resident raises a hand (举手) in an open vote; the actor is the voter.

        The roll the vote opened with decides who may: verified adults living within
        the scope, one hand per household (its representative) when the meeting is of
        households; a second hand is refused or replaces the first, as the policy says.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> from microgov.voting import Choice
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "voting")
            >>> service.raise_hand("h-1", actor="r1", vote="p-1-vote",
            ...                    choice=Choice.IN_FAVOUR).types
            ('vote.hand_raised',)
            >>> service.raise_hand("h-2", actor="r1", vote="p-1-vote", choice=Choice.AGAINST)
            Traceback (most recent call last):
            ...
            microgov.service._errors.CommandRefused: Command 'raise_hand' refused: Household ...
        """

        def decide(at: datetime) -> list[_Draft]:
            v = self._vote("raise_hand", vote)
            return [self._hand_draft(v, actor, choice, channel, at, "raise_hand")]

        return self._execute(command_id, "raise_hand", decide, actor)

    def record_hands(
        self,
        command_id: str,
        *,
        actor: str,
        vote: str,
        hands: Sequence[tuple[str, Choice]],
        channel: str = "paper",
    ) -> Receipt:
        """Import counted hands (paper sheets from a 楼组议事角, a meeting) in one write.

        The counter must hold a field role at the vote's scope; every hand is checked
        as if raised by its voter (at the time of the import), and one refused hand
        refuses the whole sheet: nothing is written.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> from microgov.voting import Choice
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "voting")
            >>> sheet = [("r1", Choice.IN_FAVOUR), ("r3", Choice.AGAINST)]
            >>> len(service.record_hands("sheet-1", actor="sw-a", vote="p-1-vote",
            ...                          hands=sheet).positions)
            2

        Complexity:
            O(n) for a sheet of n hands (each judged once against the roll, and folded
            once into the service's facts), besides the store's append of n events.
        """
        sheet = list(hands)

        def decide(at: datetime) -> list[_Draft]:
            v = self._vote("record_hands", vote)
            check = self._may_within(actor, v.scope, _FIELD, day_of(at))
            if not check.passed:
                raise refusal("record_hands", [check])
            if not sheet:
                raise _bad("record_hands", "hands", "at least one hand")
            out = []
            seen: dict[str, str] = {}
            for voter, choice in sheet:
                draft = self._hand_draft(v, voter, choice, channel, at, "record_hands")
                household = str(draft.payload["household"])
                key = household if v.mode.value == "households" else voter
                if key in seen and v.second_hand.value == "refuse":
                    raise refusal(
                        "record_hands",
                        [
                            verdict(
                                "voting.hand",
                                False,
                                "voting.second_hand",
                                f"The sheet holds two hands of {key!r} ({seen[key]!r}, {voter!r}).",
                                f"该表中 {key!r} 举手两次（{seen[key]!r}、{voter!r}）。",
                                voter=voter,
                            )
                        ],
                    )
                seen[key] = voter
                out.append(draft)
            return out

        return self._execute(command_id, "record_hands", decide, actor)

    def withdraw_hand(self, command_id: str, *, actor: str, vote: str) -> Receipt:
        """A resident withdraws (放下) their hand while the vote is open.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> from microgov.voting import Choice
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "voting")
            >>> _ = service.raise_hand("h-1", actor="r1", vote="p-1-vote", choice=Choice.AGAINST)
            >>> service.withdraw_hand("h-2", actor="r1", vote="p-1-vote").types
            ('vote.hand_withdrawn',)
        """

        def decide(at: datetime) -> list[_Draft]:
            v = self._vote("withdraw_hand", vote)
            failures = []
            if not v.opens_at <= at < v.closes_at:
                failures.append(
                    verdict(
                        "voting.withdraw",
                        False,
                        "voting.closed",
                        f"Vote {v.id!r} closed at {v.closes_at.isoformat()}.",
                        f"表决 {v.id!r} 已于 {v.closes_at.isoformat()} 截止。",
                    )
                )
            hand = v.hands.get(actor)
            if hand is None:
                failures.append(
                    verdict(
                        "voting.withdraw",
                        False,
                        "voting.no_hand",
                        f"{actor!r} has no hand raised in vote {v.id!r}.",
                        f"{actor!r} 在表决 {v.id!r} 中没有举手。",
                        voter=actor,
                    )
                )
            if failures or hand is None:
                raise refusal("withdraw_hand", failures)
            return [
                _Draft(
                    f"vote:{v.id}",
                    ev.HAND_WITHDRAWN,
                    {"voter": actor, "household": hand.household},
                )
            ]

        return self._execute(command_id, "withdraw_hand", decide, actor)

    def close_vote(self, command_id: str, *, actor: str, vote: str) -> Receipt:
        """Close a vote after its window and record the tally (``vote.closed``).

        The tally counts the recorded hands against the roll the vote opened with,
        under the quorum preset in force on the decision date (the closing date);
        the preset and the date are among the recorded figures, and the quorum and
        majority verdicts are kept with the event.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "counted")
            >>> t = service.vote("p-1-vote")
            >>> t.passed, t.present, t.in_favour, t.preset
            (True, 3, 3, 'residents_meeting_2025')
        """

        def decide(at: datetime) -> list[_Draft]:
            v = self._vote("close_vote", vote)
            graph = self._graph("close_vote")
            found = self._project("close_vote", v.project)
            check = self._may(actor, v.scope, _LEADERS, day_of(at))
            failures = [] if check.passed else [check]
            if v.closed is not None or at < v.closes_at:
                failures.append(
                    verdict(
                        "voting.close",
                        False,
                        "voting.not_closed" if v.closed is None else "voting.closed",
                        f"Vote {v.id!r} closes at {v.closes_at.isoformat()}."
                        if v.closed is None
                        else f"Vote {v.id!r} is already counted.",
                        f"表决 {v.id!r} 于 {v.closes_at.isoformat()} 截止。"
                        if v.closed is None
                        else f"表决 {v.id!r} 已计票。",
                    )
                )
            if failures:
                raise refusal("close_vote", failures)
            roll = self._facts.roll_at(v.roll_position)
            state = VoteState(vote_id=v.id, hands=tuple(v.hands.values()))
            result = tally(self._core_vote(v), state, roll, graph)
            return [
                _Draft(
                    f"vote:{v.id}",
                    ev.VOTE_CLOSED,
                    {
                        "project": found.id,
                        "decided_on": result.decided_on.isoformat(),
                        "preset": result.preset_key,
                        "entitled": result.entitled,
                        "present": result.present,
                        "in_favour": result.in_favour,
                        "against": result.against,
                        "abstain": result.abstain,
                        "passed": result.passed,
                    },
                    tuple(result.judgement.verdicts),
                )
            ]

        return self._execute(command_id, "close_vote", decide, actor)

    # == inspection, objections, evaluation, participation ====================================

    def record_check(
        self,
        command_id: str,
        *,
        actor: str,
        project: str,
        check: str,
        passed: bool,
        note: str = "",
    ) -> Receipt:
        """Record one acceptance-inspection check (验收) by a person with a field role.

        ``complete`` then reads every recorded check (the latest of each name).

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "in_progress")
            >>> service.record_check("k-1", actor="gl-a", project="p-1", check="safety",
            ...                      passed=True).types
            ('project.check_recorded',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("record_check", project)
            who = self._may_within(actor, found.scope, _FIELD, day_of(at))
            failures = [] if who.passed else [who]
            if found.state != "in_progress":
                failures.append(_state_verdict(found, "in_progress"))
            if not isinstance(check, str) or not check or type(passed) is not bool:
                raise _bad("record_check", "check", "a name and True or False")
            if failures:
                raise refusal("record_check", failures)
            return [
                _Draft(
                    f"project:{found.id}",
                    ev.CHECK_RECORDED,
                    {"check": check, "passed": passed, "note": note},
                    (who,),
                )
            ]

        return self._execute(command_id, "record_check", decide, actor)

    def resolve_objection(
        self, command_id: str, *, actor: str, project: str, objection: str, resolution: str = ""
    ) -> Receipt:
        """Record that an objection raised during 公示 was answered and resolved.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "suspended")
            >>> service.resolve_objection("o-2", actor="sec-a", project="p-1",
            ...                           objection="p-1:o1").types
            ('project.objection_resolved',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("resolve_objection", project)
            who = self._may(actor, found.scope, _LEADERS, day_of(at))
            if not who.passed:
                raise refusal("resolve_objection", [who])
            if found.objections.get(objection) is not False:
                raise refusal(
                    "resolve_objection",
                    [
                        verdict(
                            "objection.resolve",
                            False,
                            "objection.unknown",
                            f"No outstanding objection {objection!r} on {found.id!r}.",
                            f"项目 {found.id!r} 没有待处理的异议 {objection!r}。",
                        )
                    ],
                )
            return [
                _Draft(
                    f"project:{found.id}",
                    ev.OBJECTION_RESOLVED,
                    {"objection": objection, "resolution": resolution},
                    (who,),
                )
            ]

        return self._execute(command_id, "resolve_objection", decide, actor)

    def score(self, command_id: str, *, actor: str, project: str, score: int) -> Receipt:
        """A resident scores a publicised project (评价打分), 0–100, once.

        Entitled are the verified adults living within the project's scope (the roll).

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "publicised")
            >>> service.score("sc-1", actor="r1", project="p-1", score=80).types
            ('project.scored',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("score", project)
            graph = self._graph("score")
            if found.state not in ("publicised", "suspended"):
                raise refusal("score", [_state_verdict(found, "publicised")])
            if actor in found.scores:
                raise refusal(
                    "score",
                    [
                        verdict(
                            "voting.score",
                            False,
                            "voting.second_ballot",
                            f"{actor!r} has already scored {found.id!r}.",
                            f"{actor!r} 已对 {found.id!r} 打过分。",
                            voter=actor,
                        )
                    ],
                )
            from microgov.voting import cast_scores

            ballot = self._scoring_ballot(found)
            roll = self._facts.roll_at(self._facts.position)
            try:
                cast_scores(
                    ballot,
                    ScoringState(ballot_id=ballot.id),
                    roll,
                    graph,
                    voter=actor,
                    scores={found.id: score},
                    at=at,
                )
            except BallotRefused as err:
                raise refusal(
                    "score", [x for x in err.verdicts if isinstance(x, Verdict)]
                ) from None
            resident = roll[actor]
            return [
                _Draft(
                    f"project:{found.id}",
                    ev.SCORED,
                    {"voter": actor, "household": resident.household, "score": score},
                )
            ]

        return self._execute(command_id, "score", decide, actor)

    def comment(self, command_id: str, *, actor: str, project: str, text: str) -> Receipt:
        """A resident of the scope (or an official) comments on a project (全过程参与).

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "soliciting")
            >>> service.comment("cm-1", actor="r2", project="p-1", text="同意").types
            ('project.commented',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("comment", project)
            who = self._resident_or_official(actor, found.scope, day_of(at))
            if not who.passed:
                raise refusal("comment", [who])
            if not isinstance(text, str) or not text.strip():
                raise _bad("comment", "text", "a non-empty text")
            return [_Draft(f"project:{found.id}", ev.COMMENTED, {"text": text}, (who,))]

        return self._execute(command_id, "comment", decide, actor)

    def report_progress(
        self, command_id: str, *, actor: str, project: str, percent: int, note: str = ""
    ) -> Receipt:
        """A resident of the scope reports what they see of the works (a resident's
        report; the official progress is ``advance_project(..., "record_progress")``).

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "in_progress")
            >>> service.report_progress("rp-1", actor="r2", project="p-1", percent=30).types
            ('project.progress_reported',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("report_progress", project)
            who = self._resident_or_official(actor, found.scope, day_of(at))
            failures = [] if who.passed else [who]
            if found.state != "in_progress":
                failures.append(_state_verdict(found, "in_progress"))
            if failures:
                raise refusal("report_progress", failures)
            if type(percent) is not int or not 0 <= percent <= 100:
                raise _bad("report_progress", "percent", "an integer from 0 to 100")
            return [
                _Draft(
                    f"project:{found.id}",
                    ev.PROGRESS_REPORTED,
                    {"percent": percent, "note": note},
                    (who,),
                )
            ]

        return self._execute(command_id, "report_progress", decide, actor)

    def name_helper(
        self,
        command_id: str,
        *,
        actor: str,
        project: str,
        person: str,
        role: Literal["talent", "volunteer"] = "talent",
    ) -> Receipt:
        """Name a resident talent (达人) or volunteer on a project; they may then record
        its progress.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "in_progress")
            >>> _ = service.name_helper("nh-1", actor="sw-a", project="p-1", person="r2")
            >>> service.advance_project("pr-1", actor="r2", project="p-1",
            ...                         command="record_progress", percent=50).types
            ('project.progress_recorded',)
        """

        def decide(at: datetime) -> list[_Draft]:
            found = self._project("name_helper", project)
            who = self._may(actor, found.scope, _OFFICE, day_of(at))
            if not who.passed:
                raise refusal("name_helper", [who])
            if role not in ("talent", "volunteer"):
                raise _bad("name_helper", "role", "'talent' or 'volunteer'")
            lives = self._resident_or_official(person, found.scope, day_of(at))
            if not lives.passed:
                raise refusal("name_helper", [lives])
            return [
                _Draft(
                    f"project:{found.id}",
                    ev.HELPER_NAMED,
                    {"person": person, "role": role},
                    (who,),
                )
            ]

        return self._execute(command_id, "name_helper", decide, actor)

    # == queries ===============================================================================

    def project(self, project: str) -> ProjectView:
        """A project as stored: facts, state, history, next deadline, money.

        Raises:
            CommandRefused: ``service.unknown_project``.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "counted")
            >>> view = service.project("p-1")
            >>> view.state, view.next_deadline is None, [h.type for h in view.history][:2]
            ('hand_raised', True, ['project.proposed', 'project.solicitation_opened'])
        """
        return views.project_view(self._facts, self._project("project", project), self.clock())

    def projects(self, node: str, *, state: str | None = None) -> tuple[ProjectView, ...]:
        """The projects at ``node`` or below it, optionally only those in ``state``.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "soliciting")
            >>> [p.id for p in service.projects("town", state="soliciting")]
            ['p-1']
        """
        graph = self._graph("projects")
        return tuple(
            views.project_view(self._facts, p, self.clock())
            for p in sorted(self._facts.projects.values(), key=lambda p: p.id)
            if (state is None or p.state == state)
            and p.scope in graph
            and node in graph
            and graph.is_within(p.scope, node)
        )

    def vote(self, vote: str) -> VoteView:
        """A vote with its hands so far and, once closed, its recorded tally.

        Example:
            >>> from microgov.service import sandbox, walk_to
            >>> service, clock = sandbox()
            >>> walk_to(service, clock, "p-1", "voting")
            >>> service.vote("p-1-vote").closed
            False
        """
        return views.vote_view(self._vote("vote", vote))

    def balances(self) -> dict[str, int]:
        """Every account's balance in fen (``"area_fund:a"``, ``"town_pool:town-pool"``…).

        Example:
            >>> from microgov.service import sandbox
            >>> sandbox()[0].balances()["area_fund:a"]
            1000000
        """
        return {
            str(a): m.fen
            for a, m in sorted(self._facts.ledger.balances().items(), key=lambda i: str(i[0]))
        }

    def balance(self, area: str | None = None) -> Money:
        """The balance of an area's special fund, or of the town pool (``area=None``).

        Example:
            >>> from microgov.service import sandbox
            >>> str(sandbox()[0].balance("a")), str(sandbox()[0].balance())
            ('¥10,000.00', '¥0.00')
        """
        account = TOWN_POOL if area is None else Account.area(area)
        return self._facts.ledger.balance(account)

    def topics(self, node: str) -> tuple[TopicView, ...]:
        """The topics at ``node`` or below, with their first response times.

        Example:
            >>> from microgov.service import sandbox
            >>> service, clock = sandbox()
            >>> _ = service.raise_topic("t-1", actor="r1", topic="t-1", scope="a",
            ...                         title_zh="步道破损")
            >>> [t.id for t in service.topics("a")]
            ['t-1']
        """
        graph = self._graph("topics")
        return tuple(
            views.topic_view(t)
            for t in sorted(self._facts.topics.values(), key=lambda t: t.id)
            if t.scope in graph and node in graph and graph.is_within(t.scope, node)
        )

    def ledger(self) -> Ledger:
        """The ledger as recorded (every posting of the service).

        Example:
            >>> from microgov.service import sandbox
            >>> sandbox()[0].ledger().total().fen
            0
        """
        return self._facts.ledger

    def grant(self, project: str) -> int | None:
        """The grant promised to a project, in fen (None when not funded).

        Example:
            >>> from microgov.service import sandbox
            >>> sandbox()[0].grant("p-1") is None
            True
        """
        found = self._facts.grants.get(project)
        return None if found is None or found.refunded else found.grant_fen

    def round(self, round: str) -> Mapping[str, object]:
        """The recorded payload of an allocation round (selected, explanations …).

        Example:
            >>> from microgov.service import sandbox
            >>> sandbox()[0].round("none")
            Traceback (most recent call last):
            ...
            microgov.service._errors.CommandRefused: Command 'round' refused: No round 'none' ...
        """
        found = self._facts.rounds.get(round)
        if found is None:
            raise _unknown("round", "round", round)
        return found


def day_str(day: date) -> str:
    return day.isoformat()


def _move(
    posting_id: str,
    at: datetime,
    source: Account,
    target: Account,
    fen: int,
    memo_en: str,
    memo_zh: str,
) -> Posting:
    return Posting(
        id=posting_id,
        at=at,
        memo_en=memo_en,
        memo_zh=memo_zh,
        entries=((source, Money(fen=-fen)), (target, Money(fen=fen))),
    )


def _bad(command: str, field: str, wanted: str) -> CommandRefused:
    return refusal(
        command,
        [
            verdict(
                "service.input",
                False,
                "service.bad_input",
                f"{field} must be {wanted}.",
                f"{field} 须为 {wanted}。",
                field=field,
            )
        ],
    )


def _unknown(command: str, what: str, ident: str) -> CommandRefused:
    return refusal(
        command,
        [
            verdict(
                f"service.{what}",
                False,
                "service.unknown_topic" if what == "topic" else "service.unknown_round",
                f"No {what} {ident!r} is recorded.",
                f"没有记录 {ident!r}。",
                id=str(ident),
            )
        ],
    )


def _unknown_node(command: str, node: str) -> CommandRefused:
    return refusal(
        command,
        [
            verdict(
                "service.graph",
                False,
                "hierarchy.unknown_node",
                f"Node {node!r} is not in the governance graph in force.",
                f"现行治理结构图中没有节点 {node!r}。",
                node=str(node),
            )
        ],
    )


def _check_cost(command: str, cost_fen: object) -> None:
    if type(cost_fen) is not int or cost_fen < 0:
        raise _bad(command, "cost_fen", "a non-negative integer of fen")


def _state_verdict(found: ProjectFacts, wanted: str) -> Verdict:
    return verdict(
        "lifecycle.transition",
        False,
        "lifecycle.no_transition",
        f"Project {found.id!r} is {found.state!r}, not {wanted!r}.",
        f"项目 {found.id!r} 当前为 {found.state!r}，不是 {wanted!r}。",
        state=found.state,
    )


def _objections_verdict(found: ProjectFacts) -> Verdict:
    return verdict(
        "objection.none",
        False,
        "objection.outstanding",
        f"{found.outstanding_objections} objection(s) to {found.id!r} are not resolved.",
        f"项目 {found.id!r} 尚有 {found.outstanding_objections} 项异议未处理。",
        objections=found.outstanding_objections,
    )


_UNUSED: Final = (AuditError, MicrogovError, _payload_value)
