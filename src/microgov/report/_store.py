"""The report of what an event store recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

from microgov.audit import AuditEvent, EventDraft
from microgov.errors import MicrogovError
from microgov.funds import Account, AccountKind, Ledger, Money, Posting
from microgov.hierarchy import Hierarchy, Level
from microgov.lifecycle import Event
from microgov.metrics import year_on_year
from microgov.report._collect import (
    areas_under,
    audit_section,
    funds_section,
    hierarchy_section,
    indicator_section,
    participation_section,
    pipeline_section,
    project_scopes,
    response_section,
    year_end,
)
from microgov.report._errors import ReportError
from microgov.report._model import FundsSection, Report
from microgov.store import EventStore

__all__ = ["RecordedTopic", "copy_events", "recorded_graph", "recorded_topics", "store_report"]

_S = TypeVar("_S", bound=EventStore)

_ANSWERS = frozenset(
    {"topic.acknowledged", "topic.responded", "topic.resolved", "topic.converted", "topic.closed"}
)


class RecordedTopic(NamedTuple):
    """A topic (议题) as its recorded events show it (an ``SlaTopic`` for SLA and metrics).

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> t = RecordedTopic("t1", "area-01", "other", datetime(2026, 3, 2, tzinfo=SHANGHAI),
        ...                   "open", None, None, None)
        >>> t.first_response_at is None
        True
    """

    id: str
    scope: str
    category: str
    raised_at: datetime
    state: str
    project_id: str | None
    first_response_at: datetime | None
    resolved_at: datetime | None


def recorded_topics(events: Sequence[AuditEvent]) -> list[RecordedTopic]:
    """The topics of ``events``: raised by ``topic.raised``, answered by the first
    acknowledgement, response, resolution or conversion recorded after it.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.simulation import simulate_season
        >>> s = simulate_season(meilan_xihu(), seed=7, start=date(2026, 3, 2), areas=2)
        >>> topics = recorded_topics(s.log.events)
        >>> len(topics) == s.topics_raised, all(t.first_response_at for t in topics)
        (True, True)
    """
    raised: dict[str, AuditEvent] = {}
    answered: dict[str, datetime] = {}
    state: dict[str, str] = {}
    resolved: dict[str, datetime] = {}
    for event in events:
        if not event.stream.startswith("topic:"):
            continue
        topic = event.stream.removeprefix("topic:")
        if event.type == "topic.raised":
            raised.setdefault(topic, event)
            state.setdefault(topic, "open")
        elif event.type in _ANSWERS:
            answered.setdefault(topic, event.at)
            state[topic] = event.type.removeprefix("topic.")
            if event.type in {"topic.resolved", "topic.converted"}:
                resolved.setdefault(topic, event.at)
    topics = []
    for topic, first in raised.items():
        scope = first.payload.get("scope")
        category = first.payload.get("category")
        if not isinstance(scope, str):
            continue
        topics.append(
            RecordedTopic(
                id=topic,
                scope=scope,
                category=category if isinstance(category, str) else "other",
                raised_at=first.at,
                state=state[topic],
                project_id=f"{topic}-p" if state[topic] == "converted" else None,
                first_response_at=answered.get(topic),
                resolved_at=resolved.get(topic),
            )
        )
    return topics


def copy_events(events: Sequence[AuditEvent], store: _S) -> _S:
    """Append ``events`` (e.g. an :class:`~microgov.audit.AuditLog`'s) to ``store``, in order.

    Each event keeps its stream, type, time, actor, payload and verdicts; the store
    numbers and chains them anew.  Used to keep a simulated season in a store.

    Args:
        events: Events in chain order.
        store: The store to append to; its streams must be new.

    Returns:
        The store.

    Raises:
        microgov.store.StoreError: As :meth:`~microgov.store.EventStore.append`.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.audit import AuditLog
        >>> from microgov.store import MemoryStore
        >>> log = AuditLog()
        >>> _ = log.append(stream="topic:t1", type="topic.raised", actor="r",
        ...                at=datetime(2026, 3, 2, tzinfo=SHANGHAI), payload={"scope": "area-01"})
        >>> copy_events(log.events, MemoryStore()).version("topic:t1")
        1
    """
    pending: list[EventDraft] = []
    for index, event in enumerate(events):
        pending.append(
            EventDraft(
                stream=event.stream,
                type=event.type,
                at=event.at,
                actor=event.actor,
                payload=event.payload,
                verdicts=event.verdicts,
            )
        )
        following = events[index + 1] if index + 1 < len(events) else None
        if following is None or following.stream != event.stream:
            store.append(event.stream, pending, expected_version=store.version(event.stream))
            pending = []
    return store


def store_report(
    store: EventStore,
    hierarchy: Hierarchy | None = None,
    *,
    node: str | None = None,
    year: int | None = None,
) -> Report:
    """The report of the facts ``store`` recorded, for a node and a calendar year.

    Reads every event once: projects and their states, tallied votes, topics and
    their first answers, ledger postings (``funds.posted`` on ``ledger:…`` streams, as
    the service or :class:`~microgov.store.LedgerRepository` writes them), and the
    chain's verification.  Nothing is written.

    Args:
        store: Any event store.
        hierarchy: The governance graph (default: the embedded 美兰西湖 dataset).
        node: The node to report on (default: the large community, else the first root).
        year: The calendar year (default: the year of the last recorded event).

    Returns:
        The report.

    Raises:
        ReportError: ``report.unusable_store`` for an empty or unreadable store;
            ``report.unknown_node``.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.simulation import simulate_season
        >>> from microgov.store import MemoryStore
        >>> s = simulate_season(meilan_xihu(), seed=7, start=date(2026, 3, 2), areas=2)
        >>> store = copy_events(s.log.events, MemoryStore())
        >>> r = store_report(store, node="area-01")
        >>> r.audit.ok, r.pipeline.count("proposed") > 0
        (True, True)
    """
    from microgov.datasets import meilan_xihu

    try:
        events = store.read_all()
        check = store.verify()
    except MicrogovError as err:
        raise _unusable(str(err)) from err
    if not events:
        raise _unusable("it holds no event")
    h = hierarchy if hierarchy is not None else (recorded_graph(events) or meilan_xihu())
    if node is None:
        community = h.nodes_at(Level.LARGE_COMMUNITY)
        node = community[0].id if community else h.roots[0].id
    areas = areas_under(h, node)
    if year is None:
        year = events[-1].at.year
    start, end = date(year, 1, 1), date(year, 12, 31)
    scopes = project_scopes(events)
    topics = recorded_topics(events)
    in_scope = [t for t in topics if t.scope in h]
    funds: FundsSection | None = None
    ledger = _recorded_ledger(events)
    if ledger is not None:
        funds = funds_section(ledger, h, areas, project_scope=scopes, start=start, end=end)
    project_events = [
        Event(
            type=e.type,
            item=e.stream.removeprefix("project:"),
            actor=e.actor,
            at=e.at,
            payload={},
            verdicts=(),
        )
        for e in events
        if e.stream.startswith("project:") and e.stream.removeprefix("project:") in scopes
    ]
    yoy = year_on_year(
        h,
        year=year,
        topics=in_scope,
        project_events=project_events,
        project_scopes={p: s for p, s in scopes.items() if s in h},
        under=node,
    )
    return Report(
        node=node,
        node_name=h.node(node).name,
        start=start,
        end=end,
        source_zh=f"事件存储（{check.count} 条事件）",
        source_en=f"event store ({check.count} events)",
        synthetic=False,
        hierarchy=hierarchy_section(h, node),
        pipeline=pipeline_section(events, areas, start=start, end=end),
        participation=participation_section(events, h, areas, start=start, end=end),
        funds=funds,
        responses=response_section(in_scope, h, areas, node=node, now=year_end(year))
        if in_scope
        else None,
        indicators=indicator_section(yoy, node),
        audit=audit_section(check.ok, check.count, check.head, check.findings),
    )


def recorded_graph(events: Sequence[AuditEvent]) -> Hierarchy | None:
    """The last governance graph recorded (a service's ``graph.snapshot``), or None.

    Raises:
        ReportError: ``report.unusable_store`` if the recorded graph cannot be read.

    Example:
        >>> from microgov.service import sandbox
        >>> service, _ = sandbox()
        >>> recorded_graph(service.store.read_all()).roots[0].id
        'town'
        >>> recorded_graph(()) is None
        True
    """
    from microgov.io import loads_hierarchy

    document = next(
        (
            e.payload["document"]
            for e in reversed(events)
            if e.type == "graph.snapshot" and isinstance(e.payload.get("document"), str)
        ),
        None,
    )
    if document is None:
        return None
    try:
        return loads_hierarchy(str(document), source="graph.snapshot")
    except MicrogovError as err:
        raise _unusable(f"the recorded graph cannot be read ({err})") from err


def _recorded_ledger(events: Sequence[AuditEvent]) -> Ledger | None:
    """The ledger of the store's ``funds.posted`` events on ``ledger:…`` streams, as the
    service writes them (entries ``[account, fen]``) or as
    :class:`~microgov.store.LedgerRepository` does (entries ``{kind, account, fen}``)."""
    posted = [e for e in events if e.type == "funds.posted" and e.stream.startswith("ledger:")]
    if not posted:
        return None
    ledger = Ledger()
    try:
        for e in posted:
            entries = []
            raw: Any = e.payload["entries"]
            for entry in raw:
                if isinstance(entry, Mapping):
                    kind, ident, fen = entry["kind"], entry["account"], entry["fen"]
                else:
                    (account, fen) = entry
                    kind, _, ident = str(account).partition(":")
                entries.append(
                    (Account(kind=AccountKind(kind), id=str(ident)), Money(fen=int(fen)))
                )
            when = e.payload.get("at")
            ledger = ledger.post(
                Posting(
                    id=str(e.payload.get("posting", e.id)),
                    at=when if isinstance(when, datetime) else e.at,
                    memo_en=str(e.payload.get("memo_en", "")),
                    memo_zh=str(e.payload.get("memo_zh", "")),
                    entries=tuple(entries),
                )
            )
    except (MicrogovError, ValueError, TypeError, KeyError) as err:
        raise _unusable(f"its ledger cannot be read ({err})") from err
    return ledger


def _unusable(why: str) -> ReportError:
    return ReportError(
        f"The store cannot be reported on: {why}.",
        f"无法根据该存储生成报告：{why}。",
        code="report.unusable_store",
        reason=why,
    )
