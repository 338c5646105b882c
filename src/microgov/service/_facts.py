"""The facts the service holds: a fold of the stored events (private to the service).

Everything here is rebuilt from the store's events, in chain order, by
:meth:`Facts.apply`; nothing comes from a caller.  Two services over one store that
have read the same events hold the same facts.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction

import attrs

from microgov.audit import AuditEvent
from microgov.funds import Account, AccountKind, Ledger, Money, Posting
from microgov.hierarchy import Hierarchy, Level, RoleAssignment
from microgov.policy import MeetingMode, PolicyBook, SecondHand, Verdict, load_policy_book
from microgov.service import _events as ev
from microgov.voting import Choice, Hand, Resident, Roll, Vote, VoteState

__all__ = ["Facts", "GrantFacts", "ProjectFacts", "TopicFacts", "VoteFacts"]

Payload = Mapping[str, object]


def _text(payload: Payload, key: str, default: str = "") -> str:
    value = payload.get(key, default)
    return value if isinstance(value, str) else default


def _int(payload: Payload, key: str, default: int = 0) -> int:
    value = payload.get(key, default)
    return value if type(value) is int else default


def _when(payload: Payload, key: str) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


@attrs.define
class HistoryItem:
    """One recorded event of an item: position, type, time, actor."""

    sequence: int
    type: str
    at: datetime
    actor: str


@attrs.define
class TopicFacts:
    id: str
    scope: str
    raiser: str
    title_zh: str
    title_en: str
    category: str
    raised_at: datetime
    state: str = "open"
    first_response_at: datetime | None = None
    project: str | None = None
    history: list[HistoryItem] = attrs.Factory(list)


@attrs.define
class ProjectFacts:
    id: str
    scope: str
    proposer: str
    origin: str | None
    title_zh: str
    title_en: str
    cost_fen: int
    proposed_at: datetime
    state: str = "proposed"
    history: list[HistoryItem] = attrs.Factory(list)
    votes: list[str] = attrs.Factory(list)
    checks: dict[str, tuple[bool, str, datetime, str]] = attrs.Factory(dict)
    notice_ends_at: datetime | None = None
    objections: dict[str, bool] = attrs.Factory(dict)  # id -> resolved
    scores: dict[str, tuple[str, int, datetime]] = attrs.Factory(dict)  # voter -> card
    score_opens_at: datetime | None = None
    helpers: dict[str, str] = attrs.Factory(dict)
    comments: int = 0
    reports: int = 0
    percent: int = 0
    milestones: list[tuple[str, datetime]] = attrs.Factory(list)
    accepted_at: datetime | None = None
    accepted_on_vote: str | None = None

    @property
    def outstanding_objections(self) -> int:
        return sum(1 for resolved in self.objections.values() if not resolved)


@attrs.define
class VoteFacts:
    id: str
    project: str
    scope: str
    question_zh: str
    question_en: str
    mode: MeetingMode
    second_hand: SecondHand
    quorum_family: str
    opens_at: datetime
    closes_at: datetime
    roll_position: int
    entitled: int
    hands: dict[str, Hand] = attrs.Factory(dict)  # voter -> hand
    by_household: dict[str, str] = attrs.Factory(dict)  # household -> voter
    closed: Payload | None = None
    closed_at: datetime | None = None
    verdicts: tuple[Verdict, ...] = ()
    core: Vote | None = None
    empty: VoteState | None = None  # the vote's state without hands (frozen: shared)

    @property
    def passed(self) -> bool:
        return self.closed is not None and self.closed.get("passed") is True


@attrs.define
class GrantFacts:
    project: str
    source: Account
    grant_fen: int
    round: str | None
    paid: set[int] = attrs.Factory(set)
    refunded: bool = False


def _account(text: str) -> Account:
    kind, _, ident = text.partition(":")
    return Account(kind=AccountKind(kind), id=ident)


def posting_of(payload: Payload, at: datetime) -> Posting:
    """The ledger posting a ``funds.posted`` payload records."""
    raw = payload.get("entries")
    entries: list[tuple[Account, Money]] = []
    if isinstance(raw, tuple | list):
        for pair in raw:
            if isinstance(pair, tuple | list) and len(pair) == 2:
                account, fen = pair
                if isinstance(account, str) and type(fen) is int:
                    entries.append((_account(account), Money(fen=fen)))
    return Posting(
        id=_text(payload, "posting"),
        at=at,
        memo_en=_text(payload, "memo_en"),
        memo_zh=_text(payload, "memo_zh"),
        entries=tuple(entries),
    )


def posting_payload(posting: Posting, kind: str, project: str | None) -> dict[str, object]:
    """The ``funds.posted`` payload of a posting."""
    return {
        "posting": posting.id,
        "kind": kind,
        "project": project,
        "memo_en": posting.memo_en,
        "memo_zh": posting.memo_zh,
        "entries": [[str(account), money.fen] for account, money in posting.entries],
    }


@attrs.define
class Facts:
    """Every fact the service decides on, folded from the stored events."""

    position: int = 0
    versions: dict[str, int] = attrs.Factory(dict)
    # per command id: the positions and types of its events (appended in place: a
    # command of n events folds in O(n), not O(n²))
    commands: dict[str, tuple[list[int], list[str]]] = attrs.Factory(dict)
    graph: Hierarchy | None = None
    book: PolicyBook = attrs.Factory(PolicyBook)
    residents: dict[str, Resident] = attrs.Factory(dict)
    resident_history: dict[str, list[tuple[int, Resident | None]]] = attrs.Factory(dict)
    personal: dict[str, tuple[str, str, str]] = attrs.Factory(dict)
    topics: dict[str, TopicFacts] = attrs.Factory(dict)
    projects: dict[str, ProjectFacts] = attrs.Factory(dict)
    votes: dict[str, VoteFacts] = attrs.Factory(dict)
    ledger: Ledger = attrs.Factory(Ledger)
    grants: dict[str, GrantFacts] = attrs.Factory(dict)
    rounds: dict[str, Payload] = attrs.Factory(dict)
    years_closed: set[int] = attrs.Factory(set)
    rolls: dict[int, Roll] = attrs.Factory(dict)
    roll_changes: list[int] = attrs.Factory(list)
    _roles: dict[str, list[RoleAssignment]] | None = None

    def roles_of(self, person: str) -> list[RoleAssignment]:
        """Every role assignment of ``person`` in the graph in force."""
        if self._roles is None:
            self._roles = {}
            if self.graph is not None:
                for link in self.graph.links:
                    if isinstance(link, RoleAssignment):
                        self._roles.setdefault(link.person, []).append(link)
        return self._roles.get(person, [])

    # -- derived -------------------------------------------------------------------

    def roll_at(self, position: int) -> Roll:
        """The roll as it stood after global position ``position`` (cached per roll change)."""
        at = bisect.bisect_right(self.roll_changes, position)
        position = self.roll_changes[at - 1] if at else 0
        found = self.rolls.get(position)
        if found is None:
            members: list[Resident] = []
            for history in self.resident_history.values():
                latest: Resident | None = None
                for seq, record in history:
                    if seq > position:
                        break
                    latest = record
                if latest is not None:
                    members.append(latest)
            found = self.rolls[position] = Roll(residents=members)
        return found

    def committed(self, account: Account) -> int:
        """Fen promised from ``account`` to funded projects but not yet paid out."""
        total = 0
        for g in self.grants.values():
            if g.source == account and not g.refunded:
                paid = sum(
                    -p.delta(account).fen
                    for p in self.ledger.history(account)
                    if p.id.startswith(f"tranche:{g.project}:")
                )
                total += max(g.grant_fen - paid, 0)
        return total

    def available(self, account: Account) -> int:
        """What ``account`` may still promise: its balance less what it has promised."""
        return self.ledger.balance(account).fen - self.committed(account)

    def area_of(self, node: str) -> str | None:
        """The residential area at or above ``node`` (None above the areas)."""
        graph = self.graph
        if graph is None or node not in graph:
            return None
        here = graph.node(node)
        if here.level is Level.RESIDENTIAL_AREA:
            return here.id
        for above in graph.ancestors(node):
            if above.level is Level.RESIDENTIAL_AREA:
                return above.id
        return None

    # -- the fold ------------------------------------------------------------------

    def apply(self, event: AuditEvent) -> None:
        """Fold one stored event into the facts (events come in chain order)."""
        self.apply_parts(
            event.sequence,
            event.stream,
            event.stream_sequence,
            event.type,
            event.at,
            event.actor,
            event.payload,
            event.verdicts,
        )

    def apply_parts(
        self,
        sequence: int,
        stream: str,
        stream_sequence: int,
        kind: str,
        at: datetime,
        actor: str,
        payload: Payload,
        verdicts: tuple[Verdict, ...],
    ) -> None:
        """Fold one event given by its parts (the service's own writes skip a re-read)."""
        self.position = sequence
        self.versions[stream] = stream_sequence
        command = payload.get("command")
        if isinstance(command, str):
            found = self.commands.get(command)
            if found is None:
                self.commands[command] = ([sequence], [kind])
            else:
                found[0].append(sequence)
                found[1].append(kind)
        family, _, ident = stream.partition(":")
        if family == "vote":
            self._vote(ident, kind, at, actor, payload, verdicts)
        elif family == "project":
            item = HistoryItem(sequence=sequence, type=kind, at=at, actor=actor)
            self._project(ident, kind, at, actor, payload, item)
        elif family == "ledger":
            self._money(kind, at, payload)
        elif family == "roll":
            self._roll(sequence, kind, payload)
        elif family == "topic":
            item = HistoryItem(sequence=sequence, type=kind, at=at, actor=actor)
            self._topic(ident, kind, at, actor, payload, item)
        elif family == "graph" and kind == ev.GRAPH_SNAPSHOT:
            from microgov.io import loads_hierarchy

            self.graph = loads_hierarchy(_text(payload, "document"), source=stream)
            self._roles = None
        elif family == "policy" and kind == ev.POLICY_CHANGED:
            entry = load_policy_book(_text(payload, "document")).entries[0]
            self.book = self.book.add(entry.node_id, entry.effective_from, entry.overrides)
        elif family == "round" and kind == ev.ROUND_COMPLETED:
            self.rounds[ident] = payload

    def _vote(
        self,
        ident: str,
        kind: str,
        at: datetime,
        actor: str,
        payload: Payload,
        verdicts: tuple[Verdict, ...],
    ) -> None:
        if kind == ev.VOTE_OPENED:
            opens, closes = _when(payload, "opens_at"), _when(payload, "closes_at")
            assert opens is not None
            assert closes is not None
            vote = VoteFacts(
                id=ident,
                project=_text(payload, "project"),
                scope=_text(payload, "scope"),
                question_zh=_text(payload, "question_zh"),
                question_en=_text(payload, "question_en"),
                mode=MeetingMode(_text(payload, "mode")),
                second_hand=SecondHand(_text(payload, "second_hand")),
                quorum_family=_text(payload, "quorum_family"),
                opens_at=opens,
                closes_at=closes,
                roll_position=_int(payload, "roll_position"),
                entitled=_int(payload, "entitled"),
            )
            self.votes[ident] = vote
            project = self.projects.get(vote.project)
            if project is not None:
                project.votes.append(ident)
            return
        vote = self.votes[ident]
        if kind == ev.HAND_RAISED:
            voter, household = _text(payload, "voter"), _text(payload, "household")
            replaced = payload.get("replaces")
            if isinstance(replaced, str) and replaced in vote.hands:
                old = vote.hands.pop(replaced)
                vote.by_household.pop(old.household, None)
            vote.hands[voter] = Hand(
                voter=voter, household=household, choice=Choice(_text(payload, "choice")), at=at
            )
            vote.by_household[household] = voter
        elif kind == ev.HAND_WITHDRAWN:
            old = vote.hands.pop(_text(payload, "voter"))
            if vote.by_household.get(old.household) == old.voter:
                del vote.by_household[old.household]
        elif kind == ev.VOTE_CLOSED:
            vote.closed = payload
            vote.closed_at = at
            vote.verdicts = verdicts

    def _project(
        self,
        ident: str,
        kind: str,
        at: datetime,
        actor: str,
        payload: Payload,
        item: HistoryItem,
    ) -> None:
        if kind == ev.PROJECT_PROPOSED:
            origin = payload.get("origin")
            self.projects[ident] = ProjectFacts(
                id=ident,
                scope=_text(payload, "scope"),
                proposer=_text(payload, "proposer", actor),
                origin=origin if isinstance(origin, str) else None,
                title_zh=_text(payload, "title_zh"),
                title_en=_text(payload, "title_en"),
                cost_fen=_int(payload, "cost_fen"),
                proposed_at=at,
                history=[item],
            )
            return
        project = self.projects[ident]
        project.history.append(item)
        state = payload.get("state")
        if isinstance(state, str):
            project.state = state
        if kind == ev.CHECK_RECORDED:
            project.checks[_text(payload, "check")] = (
                payload.get("passed") is True,
                actor,
                at,
                _text(payload, "note"),
            )
        elif kind == "project.objection_raised":
            project.objections[_text(payload, "objection")] = False
        elif kind == ev.OBJECTION_RESOLVED:
            project.objections[_text(payload, "objection")] = True
        elif kind == ev.SCORED:
            project.scores[_text(payload, "voter")] = (
                _text(payload, "household"),
                _int(payload, "score"),
                at,
            )
        elif kind == ev.COMMENTED:
            project.comments += 1
        elif kind == ev.PROGRESS_REPORTED:
            project.reports += 1
        elif kind == ev.HELPER_NAMED:
            project.helpers[_text(payload, "person")] = _text(payload, "role")
        elif kind == "project.progress_recorded":
            project.percent = _int(payload, "percent", project.percent)
            milestone = _text(payload, "milestone")
            if milestone:
                project.milestones.append((milestone, at))
        elif kind == "project.accepted":
            project.accepted_at = at
            vote = payload.get("vote")
            project.accepted_on_vote = vote if isinstance(vote, str) else None
        elif kind in ("project.publicised", "project.resumed"):
            project.notice_ends_at = _when(payload, "notice_ends_at")
            if kind == "project.publicised":
                project.score_opens_at = at
        elif kind == "project.rectification_ordered":
            project.notice_ends_at = None
            project.checks.clear()

    def _money(self, kind: str, at: datetime, payload: Payload) -> None:
        if kind == ev.POSTED:
            posting = posting_of(payload, at)
            self.ledger = self.ledger.post(posting)
            project = payload.get("project")
            grant = self.grants.get(project) if isinstance(project, str) else None
            if grant is not None:
                if posting.id.startswith("tranche:"):
                    grant.paid.add(int(posting.id.rsplit(":", 1)[1]))
                elif posting.id.startswith("refund:"):
                    grant.refunded = True
            if payload.get("kind") == "close":
                year = payload.get("year")
                if type(year) is int:
                    self.years_closed.add(year)
        elif kind == ev.GRANTED:
            project = _text(payload, "project")
            round_id = payload.get("round")
            self.grants[project] = GrantFacts(
                project=project,
                source=_account(_text(payload, "source")),
                grant_fen=_int(payload, "grant_fen"),
                round=round_id if isinstance(round_id, str) else None,
            )

    def _roll(self, sequence: int, kind: str, payload: Payload) -> None:
        if kind == ev.RESIDENTS_IMPORTED:
            records = payload.get("residents")
            if isinstance(records, tuple | list):
                for record in records:
                    if isinstance(record, Mapping):
                        self._resident(sequence, ev.RESIDENT_REGISTERED, record)
        else:
            self._resident(sequence, kind, payload)
        self.roll_changes.append(sequence)

    def _resident(self, sequence: int, kind: str, payload: Payload) -> None:
        ident = _text(payload, "resident")
        record: Resident | None = None
        if kind == ev.RESIDENT_REGISTERED:
            record = Resident(
                id=ident,
                household=_text(payload, "household"),
                home=_text(payload, "home"),
                adult=payload.get("adult") is True,
                verified=payload.get("verified") is True,
                household_representative=payload.get("household_representative") is True,
                group_representative=payload.get("group_representative") is True,
            )
            self.residents[ident] = record
            digest, masked = payload.get("id_digest"), payload.get("id_masked")
            if isinstance(digest, str) and isinstance(masked, str):
                self.personal[ident] = (digest, masked, _text(payload, "key_id"))
        else:
            self.residents.pop(ident, None)
        self.resident_history.setdefault(ident, []).append((sequence, record))

    def _topic(
        self,
        ident: str,
        kind: str,
        at: datetime,
        actor: str,
        payload: Payload,
        item: HistoryItem,
    ) -> None:
        if kind == ev.TOPIC_RAISED:
            self.topics[ident] = TopicFacts(
                id=ident,
                scope=_text(payload, "scope"),
                raiser=actor,
                title_zh=_text(payload, "title_zh"),
                title_en=_text(payload, "title_en"),
                category=_text(payload, "category", "general"),
                raised_at=at,
                history=[item],
            )
            return
        topic = self.topics[ident]
        topic.history.append(item)
        state = payload.get("state")
        if isinstance(state, str):
            topic.state = state
        if topic.first_response_at is None and actor != topic.raiser:
            topic.first_response_at = at
        if kind == "topic.converted":
            project = payload.get("project")
            topic.project = project if isinstance(project, str) else None


def fraction_text(value: Fraction | None) -> str | None:
    """An exact fraction as text (``"7/2"``), for payloads (which refuse floats)."""
    return None if value is None else str(value)


def day_of(at: datetime) -> date:
    """The calendar day of an aware datetime in Asia/Shanghai."""
    from microgov._time import SHANGHAI

    return at.astimezone(SHANGHAI).date()
