"""Projects, ledgers and graph snapshots saved to and loaded from every store."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from store_world import Backend

from microgov._time import SHANGHAI
from microgov.audit import EventDraft
from microgov.datasets import meilan_xihu
from microgov.errors import FundsError, PolicyError, TransitionRefused
from microgov.funds import Account, Money, fund_area, grant_tranche
from microgov.hierarchy import Hierarchy, Level, Node, Role
from microgov.lifecycle import TOPIC, Command, Context
from microgov.store import (
    ConcurrencyError,
    EventStore,
    GraphRepository,
    LedgerRepository,
    ProjectRepository,
    StoreError,
)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
AREA = Account.area("area-01")
GRAPH = meilan_xihu()


def leader() -> str:
    return next(iter(GRAPH.holders("area-01", on=AT.date(), role=Role.PARTY_SECRETARY))).person


# ---------------------------------------------------------------------------- projects


def test_a_project_is_its_replayed_events(store: EventStore) -> None:
    repo = ProjectRepository(store)
    ctx = Context(hierarchy=GRAPH, scope="area-01")
    who = leader()
    steps = ["open_solicitation", "raise_hands", "reject"]
    for n, name in enumerate(steps):
        cmd = Command(name=name, item="p-1", actor=who, at=AT + timedelta(hours=n))
        result = repo.execute(cmd, ctx, command_id=f"c-{n}")
        assert result.version == n + 1
        assert not result.retried
    record = repo.load("p-1")
    assert (record.state, record.version) == ("rejected", 3)
    assert [e.type for e in record.events] == [
        "project.solicitation_opened",
        "project.hands_raised",
        "project.rejected",
    ]
    # a retried command is answered from the store, not refused by the new state
    again = repo.execute(
        Command(name="reject", item="p-1", actor=who, at=AT + timedelta(hours=2)),
        ctx,
        command_id="c-2",
    )
    assert again.retried
    assert again.version == 3
    with pytest.raises(TransitionRefused):
        repo.execute(
            Command(name="raise_hands", item="p-1", actor=who, at=AT + timedelta(hours=3)),
            ctx,
            command_id="c-9",
        )
    assert repo.load("p-1").version == 3
    assert store.verify().ok


def test_a_project_changed_meanwhile_is_not_overwritten(store: EventStore) -> None:
    repo = ProjectRepository(store)
    ctx = Context(hierarchy=GRAPH, scope="area-01")
    seen = repo.load("p-2")
    cmd = Command(name="open_solicitation", item="p-2", actor=leader(), at=AT)
    repo.execute(cmd, ctx, command_id="a")
    from microgov.lifecycle import PROJECT, apply

    _, events = apply(PROJECT, seen.state, cmd, ctx)
    with pytest.raises(ConcurrencyError):
        repo.save("p-2", events, expected_version=seen.version, command_id="b")
    assert repo.load("p-2").version == 1


def test_topics_use_their_own_table_and_prefix(store: EventStore) -> None:
    repo = ProjectRepository(store, lifecycle=TOPIC, prefix="topic:")
    ctx = Context(hierarchy=GRAPH, scope="area-01")
    repo.execute(Command(name="close", item="t-1", actor=leader(), at=AT), ctx, command_id="x")
    assert repo.load("t-1").state == "closed"
    assert store.version("topic:t-1") == 1
    wrong = ProjectRepository(store, prefix="topic:")  # the project table cannot replay it
    with pytest.raises(PolicyError, match=r"lifecycle\.replay_mismatch"):
        wrong.load("t-1")


# ---------------------------------------------------------------------------- ledgers


def test_a_ledger_posts_once_and_never_overdraws(store: EventStore) -> None:
    repo = LedgerRepository(store)
    repo.post("luodian", fund_area(AREA, Money.of_yuan(100), id="c1", at=AT), actor="u-1")
    grant = grant_tranche(Account.project("p-1"), AREA, Money.of_yuan(70), id="c2", at=AT)
    assert repo.post("luodian", grant, actor="u-1").version == 2
    assert repo.post("luodian", grant, actor="u-1").retried
    too_much = grant_tranche(Account.project("p-2"), AREA, Money.of_yuan(31), id="c3", at=AT)
    with pytest.raises(FundsError, match=r"funds\.insufficient"):
        repo.post("luodian", too_much, actor="u-1")
    other = grant_tranche(Account.project("p-1"), AREA, Money.of_yuan(1), id="c2", at=AT)
    with pytest.raises(FundsError, match=r"funds\.conflicting_retry"):
        repo.post("luodian", other, actor="u-1")
    fresh = LedgerRepository(store).load("luodian")
    assert fresh.version == 2
    assert str(fresh.ledger.balance(AREA)) == "¥30.00"
    assert fresh.ledger.posted("c2") == grant
    assert fresh.ledger.total() == Money(fen=0)


def test_a_posting_stored_without_its_key_is_still_posted_once(store: EventStore) -> None:
    from microgov.store._repos import POSTED, _posting_payload

    budget = fund_area(AREA, Money.of_yuan(10), id="c1", at=AT)
    stored = store.append(
        "ledger:l",
        [
            EventDraft(
                stream="ledger:l", type=POSTED, actor="u", at=AT, payload=_posting_payload(budget)
            )
        ],
        expected_version=0,
    )
    again = LedgerRepository(store).post("l", budget, actor="u")
    assert again == stored
    assert again.retried
    assert store.version("ledger:l") == 1


def test_a_stale_ledger_cache_is_brought_up_to_date(backend: Backend) -> None:
    with backend.open() as one_store:
        two_store = one_store if not backend.persistent else backend.open()
        one, two = LedgerRepository(one_store), LedgerRepository(two_store)
        one.post("l", fund_area(AREA, Money.of_yuan(10), id="c1", at=AT), actor="u-1")
        assert two.load("l").version == 1
        one.post(
            "l",
            grant_tranche(Account.project("p"), AREA, Money.of_yuan(8), id="c2", at=AT),
            actor="u-1",
        )
        late = grant_tranche(Account.project("q"), AREA, Money.of_yuan(5), id="c3", at=AT)
        with pytest.raises(FundsError, match=r"funds\.insufficient"):
            two.post("l", late, actor="u-2")  # checked against the stored ledger, not the cache
        assert two.load("l").version == 2
        two_store.close()


def test_a_foreign_event_in_a_ledger_stream_is_reported(store: EventStore) -> None:
    store.append(
        "ledger:l",
        [EventDraft(stream="ledger:l", type="funds.posted", actor="u", at=AT, payload={"x": 1})],
        expected_version=0,
    )
    with pytest.raises(StoreError, match=r"store\.bad_record") as info:
        LedgerRepository(store).load("l")
    assert info.value.details["stream"] == "ledger:l"


# ---------------------------------------------------------------------------- graphs


def test_graph_snapshots_are_versioned(store: EventStore) -> None:
    town = Node(id="t", level=Level.TOWN, name="罗店镇", code="310113101")
    small = Hierarchy([town])
    bigger = Hierarchy(
        [town, Node(id="a", level=Level.RESIDENTIAL_AREA, name="美兰湖", parent="t")]
    )
    repo = GraphRepository(store)
    first = repo.save("meilan", small, actor="u-1", at=AT, expected_version=0, command_id="g1")
    assert first.version == 1
    assert repo.save("meilan", small, actor="u-1", at=AT, expected_version=0, command_id="g1")
    repo.save("meilan", bigger, actor="u-1", at=AT, expected_version=1)
    with pytest.raises(ConcurrencyError):
        repo.save("meilan", bigger, actor="u-1", at=AT, expected_version=1)
    loaded = repo.load("meilan")
    assert loaded.version == 2
    assert loaded.hierarchy == bigger
    assert loaded.at == AT
    assert repo.load("meilan", version=1).hierarchy == small
    with pytest.raises(StoreError, match=r"store\.bad_argument"):
        repo.load("meilan", version="1")  # type: ignore[arg-type]
    for missing in ({"name": "meilan", "version": 3}, {"name": "other"}):
        with pytest.raises(StoreError, match=r"store\.not_found"):
            repo.load(**missing)  # type: ignore[arg-type]
    store.append(
        "graph:bad",
        [
            EventDraft(
                stream="graph:bad",
                type="graph.snapshot",
                actor="u",
                at=AT,
                payload={"document": "{}"},
            )
        ],
        expected_version=0,
    )
    with pytest.raises(StoreError, match=r"store\.bad_record"):
        repo.load("bad")
