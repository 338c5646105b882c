"""Repositories: projects, ledgers and graph snapshots saved to and loaded from a store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import cast

import attrs

from microgov.audit import AuditEvent, EventDraft, PayloadValue
from microgov.errors import DataFormatError, FundsError
from microgov.funds import Account, AccountKind, Ledger, Money, Posting
from microgov.hierarchy import Hierarchy
from microgov.io import dumps_hierarchy, loads_hierarchy
from microgov.lifecycle import PROJECT, Command, Context, Event, Lifecycle, apply, replay
from microgov.store._base import EventStore
from microgov.store._errors import ConcurrencyError, StoreError
from microgov.store._results import AppendResult

__all__ = [
    "GraphRecord",
    "GraphRepository",
    "LedgerRecord",
    "LedgerRepository",
    "ProjectRecord",
    "ProjectRepository",
]

POSTED = "funds.posted"
SNAPSHOT = "graph.snapshot"


def _bad_record(event: AuditEvent, why: str) -> StoreError:
    return StoreError(
        f"Event {event.id!r} (stream {event.stream!r}, version {event.stream_sequence}) "
        f"cannot be decoded: {why}.",
        f"事件 {event.id!r}（流 {event.stream!r}，版本 {event.stream_sequence}）无法解码：{why}。",
        code="store.bad_record",
        stream=event.stream,
        stream_sequence=event.stream_sequence,
    )


def _key(stream: str, command_id: str | None) -> str | None:
    return None if command_id is None else f"{stream}#{command_id}"


# ---------------------------------------------------------------------------- projects


@attrs.frozen(kw_only=True)
class ProjectRecord:
    """A project (or topic) as loaded: its state replayed from its events.

    Attributes:
        id: The project's id.
        state: Its lifecycle state key (the initial state if it has no events).
        version: Its stream's version: pass it as ``expected_version`` to save.
        events: Its stored events, oldest first.

    Example:
        >>> ProjectRecord(id="p-1", state="proposed", version=0, events=()).state
        'proposed'
    """

    id: str
    state: str
    version: int
    events: tuple[AuditEvent, ...]


class ProjectRepository:
    """Loads and saves lifecycle items (projects, topics) as event streams.

    Item ``p`` lives in stream ``"{prefix}{p}"``; its state is the
    :func:`~microgov.lifecycle.replay` of its events.  :meth:`execute` is the whole
    command: load, :func:`~microgov.lifecycle.apply`, append with the version read
    (a concurrent change raises :class:`ConcurrencyError`), idempotent by command id.

    Args:
        store: The event store.
        lifecycle: The table (default :data:`~microgov.lifecycle.PROJECT`).
        prefix: The stream name prefix (default ``"project:"``).

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.hierarchy import Role
        >>> from microgov.lifecycle import Command, Context
        >>> from microgov.store import MemoryStore
        >>> graph = meilan_xihu()
        >>> ctx = Context(hierarchy=graph, scope="area-01")
        >>> at = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
        >>> leader = next(iter(graph.holders("area-01", on=at.date(),
        ...                                  role=Role.PARTY_SECRETARY))).person
        >>> repo = ProjectRepository(MemoryStore())
        >>> cmd = Command(name="withdraw", item="p-1", actor=leader, at=at)
        >>> repo.execute(cmd, ctx, command_id="c-1").version
        1
        >>> repo.execute(cmd, ctx, command_id="c-1").retried
        True
        >>> repo.load("p-1").state
        'withdrawn'
    """

    def __init__(
        self, store: EventStore, *, lifecycle: Lifecycle = PROJECT, prefix: str = "project:"
    ) -> None:
        self.store = store
        self.lifecycle = lifecycle
        self.prefix = prefix

    def stream(self, item: str) -> str:
        """The stream name of an item.

        Example:
            >>> from microgov.store import MemoryStore
            >>> ProjectRepository(MemoryStore()).stream("p-1")
            'project:p-1'
        """
        return f"{self.prefix}{item}"

    def load(self, item: str) -> ProjectRecord:
        """Load an item: its events and the state they replay to.

        Args:
            item: The item's id.

        Returns:
            The record (the initial state at version 0 for an item never saved).

        Raises:
            PolicyError: ``lifecycle.replay_mismatch`` if the stored events do not
                follow the table.
            StoreError: ``store.corrupt`` if a row cannot be read.

        Example:
            >>> from microgov.store import MemoryStore
            >>> ProjectRepository(MemoryStore()).load("p-9").version
            0
        """
        events = self.store.read(self.stream(item))
        state = replay(
            self.lifecycle,
            (
                Event(
                    type=e.type,
                    item=item,
                    actor=e.actor,
                    at=e.at,
                    payload=e.payload,
                    verdicts=e.verdicts,
                )
                for e in events
            ),
        )
        return ProjectRecord(id=item, state=state, version=len(events), events=events)

    def save(
        self,
        item: str,
        events: Iterable[Event],
        *,
        expected_version: int | None,
        command_id: str | None = None,
    ) -> AppendResult:
        """Append an item's lifecycle events (as emitted by ``apply``) to its stream.

        Args:
            item: The item's id.
            events: The emitted events.
            expected_version: The version the command was decided on.
            command_id: The command's id (idempotency key, scoped to the stream).

        Returns:
            The append's result.

        Raises:
            ConcurrencyError: the item changed since ``expected_version``.
            StoreError: as :meth:`EventStore.append`.

        Example:
            >>> from datetime import datetime, timezone
            >>> from microgov.lifecycle import Event
            >>> from microgov.store import MemoryStore
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> repo = ProjectRepository(MemoryStore())
            >>> e = Event(type="project.withdrawn", item="p-1", actor="u-1", at=at,
            ...           payload={}, verdicts=())
            >>> repo.save("p-1", [e], expected_version=0).version
            1
        """
        stream = self.stream(item)
        drafts = [
            EventDraft(
                stream=stream,
                type=e.type,
                at=e.at,
                actor=e.actor,
                payload=cast(Mapping[str, PayloadValue], e.payload),
                verdicts=e.verdicts,
            )
            for e in events
        ]
        return self.store.append(
            stream,
            drafts,
            expected_version=expected_version,
            idempotency_key=_key(stream, command_id),
        )

    def execute(self, command: Command, context: Context, *, command_id: str) -> AppendResult:
        """Run one lifecycle command against the stored item: load, apply, append.

        A command already recorded under ``command_id`` is not run again: its first
        result is returned (``retried=True``).

        Args:
            command: The command (``command.item`` names the item).
            context: The graph, scope and guards it is judged against.
            command_id: The command's id, unique per item.

        Returns:
            The append's result.

        Raises:
            TransitionRefused: the command is refused (nothing is written).
            ConcurrencyError: the item changed between load and append (reload and
                decide again).

        Example:
            >>> ProjectRepository.execute.__name__
            'execute'
        """
        stream = self.stream(command.item)
        done = self.store.recorded(f"{stream}#{command_id}")
        if done is not None:
            return done
        record = self.load(command.item)
        _, emitted = apply(self.lifecycle, record.state, command, context)
        return self.save(
            command.item, emitted, expected_version=record.version, command_id=command_id
        )


# ---------------------------------------------------------------------------- ledgers


@attrs.frozen(kw_only=True)
class LedgerRecord:
    """A ledger as loaded: replayed from its stream.

    Attributes:
        id: The ledger's id.
        ledger: The ledger.
        version: Its stream's version.

    Example:
        >>> LedgerRecord(id="luodian", ledger=Ledger(), version=0).version
        0
    """

    id: str
    ledger: Ledger
    version: int


def _posting_payload(posting: Posting) -> dict[str, PayloadValue]:
    return {
        "posting": posting.id,
        "at": posting.at,
        "memo_en": posting.memo_en,
        "memo_zh": posting.memo_zh,
        "entries": [
            {"kind": account.kind.value, "account": account.id, "fen": delta.fen}
            for account, delta in posting.entries
        ],
    }


def _posting_of(event: AuditEvent) -> Posting:
    p = event.payload
    try:
        pid, at, en, zh, raw = p["posting"], p["at"], p["memo_en"], p["memo_zh"], p["entries"]
        if not (
            isinstance(pid, str)
            and isinstance(at, datetime)
            and isinstance(en, str)
            and isinstance(zh, str)
            and isinstance(raw, tuple)
        ):
            raise _bad_record(event, "a posting field has the wrong type")
        entries: list[tuple[Account, Money]] = []
        for item in raw:
            if not isinstance(item, Mapping):
                raise _bad_record(event, "an entry is not an object")
            kind, account, fen = item["kind"], item["account"], item["fen"]
            if not (isinstance(kind, str) and isinstance(account, str) and type(fen) is int):
                raise _bad_record(event, "an entry field has the wrong type")
            entries.append((Account(kind=AccountKind(kind), id=account), Money(fen=fen)))
        return Posting(id=pid, at=at, memo_en=en, memo_zh=zh, entries=tuple(entries))
    except (KeyError, ValueError, FundsError) as err:
        raise _bad_record(event, f"not a posting ({err})") from err


class LedgerRepository:
    """Loads and posts to ledgers kept as event streams, safely from many processes.

    Ledger ``L`` lives in stream ``"{prefix}{L}"``, one ``funds.posted`` event per
    :class:`~microgov.funds.Posting`.  :meth:`post` checks the posting against the
    ledger as stored (no overdraft, idempotent by the posting's id) and appends it
    with the version it checked against: when another instance posted in between,
    the append is refused, the ledger reloaded and the posting checked again, so two
    instances can never spend the same money twice.  Loaded ledgers are cached per
    repository and brought up to date by reading only the newer events.

    Args:
        store: The event store.
        allow_overdraft: Accounts allowed to go below zero, as for
            :class:`~microgov.funds.Ledger`.
        prefix: The stream name prefix (default ``"ledger:"``).

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.funds import Account, Money, fund_area, grant_tranche
        >>> from microgov.store import MemoryStore
        >>> at = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
        >>> area = Account.area("xihu-1")
        >>> repo = LedgerRepository(MemoryStore())
        >>> _ = repo.post("luodian", fund_area(area, Money.of_yuan(100), id="c1", at=at),
        ...               actor="u-1")
        >>> grant = grant_tranche(Account.project("p-1"), area, Money.of_yuan(60), id="c2",
        ...                       at=at)
        >>> repo.post("luodian", grant, actor="u-1").version
        2
        >>> repo.post("luodian", grant, actor="u-1").retried
        True
        >>> str(repo.load("luodian").ledger.balance(area))
        '¥40.00'
    """

    def __init__(
        self,
        store: EventStore,
        *,
        allow_overdraft: Iterable[Account] = (),
        prefix: str = "ledger:",
    ) -> None:
        self.store = store
        self.allow_overdraft = frozenset(allow_overdraft)
        self.prefix = prefix
        self._cache: dict[str, LedgerRecord] = {}

    def stream(self, ledger_id: str) -> str:
        """The stream name of a ledger.

        Example:
            >>> from microgov.store import MemoryStore
            >>> LedgerRepository(MemoryStore()).stream("luodian")
            'ledger:luodian'
        """
        return f"{self.prefix}{ledger_id}"

    def load(self, ledger_id: str) -> LedgerRecord:
        """The ledger as stored now (postings replayed and checked).

        Args:
            ledger_id: The ledger's id.

        Returns:
            The record (an empty ledger at version 0 if never posted to).

        Raises:
            StoreError: ``store.bad_record`` for an event that is not a posting.
            FundsError: a stored posting the ledger refuses (e.g. an overdraft).

        Example:
            >>> from microgov.store import MemoryStore
            >>> LedgerRepository(MemoryStore()).load("luodian").ledger.postings
            ()
        """
        cached = self._cache.get(ledger_id) or LedgerRecord(
            id=ledger_id, ledger=Ledger(allow_overdraft=self.allow_overdraft), version=0
        )
        newer = self.store.read(self.stream(ledger_id), from_version=cached.version)
        if not newer:
            return cached
        ledger = cached.ledger
        for event in newer:
            if event.type != POSTED:
                raise _bad_record(event, f"type {event.type!r} is not {POSTED!r}")
            ledger = ledger.post(_posting_of(event))
        record = LedgerRecord(id=ledger_id, ledger=ledger, version=newer[-1].stream_sequence)
        self._cache[ledger_id] = record
        return record

    def post(
        self,
        ledger_id: str,
        posting: Posting,
        *,
        actor: str,
        recorded_at: datetime | None = None,
        attempts: int = 100,
    ) -> AppendResult:
        """Post once, checked against the stored ledger, under optimistic concurrency.

        Args:
            ledger_id: The ledger's id.
            posting: The posting; its id is the command id (idempotency key).
            actor: The pseudonymous id of who posts it.
            recorded_at: The record time of the event (default ``posting.at``).
            attempts: How many times to reload and retry when another instance
                posted in between.

        Returns:
            The append's result; ``retried=True`` if this posting was already posted.

        Raises:
            FundsError: ``funds.insufficient`` (would overdraw; nothing is written),
                ``funds.conflicting_retry`` (the id was posted with other content).
            ConcurrencyError: still contended after ``attempts`` tries.

        Example:
            >>> LedgerRepository.post.__name__
            'post'
        """
        stream = self.stream(ledger_id)
        key = f"{stream}#{posting.id}"
        last: ConcurrencyError | None = None
        for _ in range(max(attempts, 1)):
            record = self.load(ledger_id)
            after = record.ledger.post(posting)  # raises if refused
            if after is record.ledger:  # already posted, same content: a retry
                return self._posted(stream, key, posting.id)
            draft = EventDraft(
                stream=stream,
                type=POSTED,
                at=posting.at if recorded_at is None else recorded_at,
                actor=actor,
                payload=_posting_payload(posting),
            )
            try:
                return self.store.append(
                    stream, [draft], expected_version=record.version, idempotency_key=key
                )
            except ConcurrencyError as err:
                last = err
        assert last is not None
        raise last

    def _posted(self, stream: str, key: str, posting_id: str) -> AppendResult:
        done = self.store.recorded(key)
        if done is not None:
            return done
        for event in self.store.read(stream):  # posted under another key: find its event
            if event.payload.get("posting") == posting_id:
                return AppendResult(
                    stream=stream,
                    version=event.stream_sequence,
                    first_sequence=event.sequence,
                    last_sequence=event.sequence,
                    head=event.hash,
                    retried=True,
                )
        raise StoreError(  # pragma: no cover - the ledger was replayed from this stream
            f"Posting {posting_id!r} is in the ledger but not in {stream!r}.",
            f"记账 {posting_id!r} 在账本中，却不在流 {stream!r} 中。",
            code="store.bad_record",
            stream=stream,
        )


# ---------------------------------------------------------------------------- graphs


@attrs.frozen(kw_only=True)
class GraphRecord:
    """A governance-graph snapshot as loaded.

    Attributes:
        name: The graph's name.
        hierarchy: The graph.
        version: The snapshot's version (1 for the first saved).
        at: When the snapshot was saved.

    Example:
        >>> GraphRecord.__name__
        'GraphRecord'
    """

    name: str
    hierarchy: Hierarchy
    version: int
    at: datetime


class GraphRepository:
    """Saves and loads snapshots of a governance graph (:class:`~microgov.hierarchy.Hierarchy`).

    Graph ``g`` lives in stream ``"{prefix}{g}"``: each save is one ``graph.snapshot``
    event holding the :func:`~microgov.io.dumps_hierarchy` document (changes and their
    history included), so every version stays readable and the chain vouches for it.

    Args:
        store: The event store.
        prefix: The stream name prefix (default ``"graph:"``).

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.store import MemoryStore
        >>> graph = Hierarchy([Node(id="t", level=Level.TOWN, name="罗店镇", code="310113101")])
        >>> repo = GraphRepository(MemoryStore())
        >>> at = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
        >>> repo.save("luodian", graph, actor="u-1", at=at, expected_version=0).version
        1
        >>> repo.load("luodian").hierarchy == graph
        True
    """

    def __init__(self, store: EventStore, *, prefix: str = "graph:") -> None:
        self.store = store
        self.prefix = prefix

    def stream(self, name: str) -> str:
        """The stream name of a graph.

        Example:
            >>> from microgov.store import MemoryStore
            >>> GraphRepository(MemoryStore()).stream("meilan")
            'graph:meilan'
        """
        return f"{self.prefix}{name}"

    def save(
        self,
        name: str,
        hierarchy: Hierarchy,
        *,
        actor: str,
        at: datetime,
        expected_version: int | None,
        command_id: str | None = None,
    ) -> AppendResult:
        """Save a snapshot of the graph as its next version.

        Args:
            name: The graph's name.
            hierarchy: The graph.
            actor: Who saves it.
            at: When (timezone-aware).
            expected_version: The version the change was made on (None: any).
            command_id: The command's id (idempotency key, scoped to the stream).

        Returns:
            The append's result; ``version`` is the snapshot's version.

        Raises:
            ConcurrencyError: another snapshot was saved since ``expected_version``.

        Example:
            >>> GraphRepository.save.__name__
            'save'
        """
        stream = self.stream(name)
        draft = EventDraft(
            stream=stream,
            type=SNAPSHOT,
            at=at,
            actor=actor,
            payload={"document": dumps_hierarchy(hierarchy, indent=None)},
        )
        return self.store.append(
            stream,
            [draft],
            expected_version=expected_version,
            idempotency_key=_key(stream, command_id),
        )

    def load(self, name: str, *, version: int | None = None) -> GraphRecord:
        """Load the latest snapshot, or a given version.

        Args:
            name: The graph's name.
            version: The version to load (None: the latest).

        Returns:
            The record.

        Raises:
            StoreError: ``store.not_found`` (no such graph or version),
                ``store.bad_record`` (the stored document is not a graph).

        Example:
            >>> from microgov.store import MemoryStore
            >>> GraphRepository(MemoryStore()).load("none")
            Traceback (most recent call last):
            ...
            microgov.store.StoreError: No snapshot ... [store.not_found]
        """
        stream = self.stream(name)
        if version is None:
            version = self.store.version(stream)
        elif type(version) is not int:
            raise StoreError(
                f"version must be an int or None, got {version!r:.40}.",
                "version 必须是整数或 None。",
                code="store.bad_argument",
                field="version",
            )
        found = self.store.read(stream, from_version=version - 1) if version >= 1 else ()
        if not found:
            raise StoreError(
                f"No snapshot {version} of graph {name!r}.",
                f"图 {name!r} 没有第 {version} 版快照。",
                code="store.not_found",
                stream=stream,
                version=version,
            )
        event = found[0]
        document = event.payload.get("document")
        if event.type != SNAPSHOT or not isinstance(document, str):
            raise _bad_record(event, "not a graph snapshot")
        try:
            hierarchy = loads_hierarchy(document, source=f"{stream} v{version}")
        except DataFormatError as err:
            raise _bad_record(event, err.message_en) from err
        return GraphRecord(name=name, hierarchy=hierarchy, version=version, at=event.at)
