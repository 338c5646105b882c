"""The event-store contract, the same on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from store_world import Backend

from audit.audit_world import drafts
from microgov._time import SHANGHAI
from microgov.audit import AuditLog, EventDraft, dumps_events, genesis_hash, verify
from microgov.errors import AuditError, MicrogovError
from microgov.store import (
    AppendResult,
    ConcurrencyError,
    EventStore,
    MemoryStore,
    PostgresStore,
    SQLiteStore,
    StoreError,
)
from profiles import examples

AT = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def draft(stream: str = "fund:a1", n: int = 0, **kw: object) -> EventDraft:
    fields: dict[str, object] = {
        "stream": stream,
        "type": "fund.granted",
        "actor": "u-1",
        "at": AT + timedelta(minutes=n),
        "payload": {"fen": 100 + n, "note": "晾衣架"},
    }
    fields.update(kw)
    return EventDraft(**fields)  # type: ignore[arg-type]


def snapshot(store: EventStore) -> tuple[object, ...]:
    return (store.head, store.read_all())


# ---------------------------------------------------------------------------- appending


def test_append_numbers_chains_and_reads_back(store: EventStore) -> None:
    r1 = store.append("fund:a1", [draft(n=0), draft(n=1)], expected_version=0)
    r2 = store.append("fund:a2", [draft("fund:a2", n=2)], expected_version=0)
    r3 = store.append("fund:a1", [draft(n=3)], expected_version=2)
    assert (r1.version, r1.first_sequence, r1.last_sequence) == (2, 1, 2)
    assert (r2.version, list(r2.positions)) == (1, [3])
    assert (r3.version, r3.first_sequence) == (3, 4)
    assert r3.head == store.head.hash
    assert store.head.sequence == 4
    a1 = store.read("fund:a1")
    assert [e.id for e in a1] == ["fund:a1:1", "fund:a1:2", "fund:a1:3"]
    assert [e.sequence for e in a1] == [1, 2, 4]
    assert a1[0].payload == {"fen": 100, "note": "晾衣架"}
    assert a1[0].at == AT
    everything = store.read_all()
    assert [e.sequence for e in everything] == [1, 2, 3, 4]
    assert verify(everything, genesis=store.genesis, head=store.head.hash).ok
    assert store.verify(head=r3.head).ok
    assert store.version("fund:a1") == 3
    assert store.version("fund:none") == 0


def test_reads_from_a_version_or_position(store: EventStore) -> None:
    for n in range(5):
        store.append("s", [draft("s", n)], expected_version=n)
    assert [e.stream_sequence for e in store.read("s", from_version=3)] == [4, 5]
    assert store.read("s", from_version=5) == ()
    assert [e.sequence for e in store.read_all(from_position=1, limit=2)] == [2, 3]
    assert store.read_all(limit=0) == ()
    assert store.read("unknown") == ()


def test_store_holds_exactly_what_an_audit_log_would(store: EventStore) -> None:
    batch = [draft("project:p-1", 0), draft("project:p-2", 1), draft("project:p-1", 2)]
    log = AuditLog(chain_id="luodian")
    log.extend(batch)
    chained = MemoryStore(chain_id="luodian")
    for d in batch:
        chained.append(d.stream, [d], expected_version=None)
    assert chained.read_all() == tuple(log.events)
    for d in batch:
        store.append(d.stream, [d], expected_version=None)
    plain = AuditLog()
    plain.extend(batch)
    assert dumps_events(store.read_all()) == dumps_events(plain)


@settings(max_examples=examples(15), deadline=None)
@given(batch=drafts(min_size=1, max_size=6))
def test_any_drafts_are_sealed_as_the_audit_log_seals_them(batch: list[EventDraft]) -> None:
    log = AuditLog()
    log.extend(batch)
    with SQLiteStore(":memory:") as store:
        for d in batch:
            store.append(d.stream, [d], expected_version=None)
        assert store.read_all() == tuple(log.events)
        assert store.verify(head=log.head).ok


# ---------------------------------------------------------------------------- concurrency


def test_stale_expected_version_is_refused_and_writes_nothing(store: EventStore) -> None:
    store.append("fund:a1", [draft(n=0)], expected_version=0)
    before = snapshot(store)
    with pytest.raises(ConcurrencyError) as info:
        store.append("fund:a1", [draft(n=1), draft(n=2)], expected_version=0)
    err = info.value
    assert err.code == "store.concurrency"
    assert dict(err.details) == {"stream": "fund:a1", "expected": 0, "actual": 1}
    assert "reload" in err.message_en
    assert "重新读取" in err.message_zh
    assert isinstance(err, StoreError)
    assert isinstance(err, MicrogovError)
    with pytest.raises(ConcurrencyError):
        store.append("fund:a1", [draft(n=1)], expected_version=5)
    assert snapshot(store) == before
    assert store.append("fund:a1", [draft(n=1)], expected_version=None).version == 2


def test_a_second_instance_with_a_stale_version_is_refused(backend: Backend) -> None:
    if not backend.persistent:
        pytest.skip("the in-memory store is one instance")
    with backend.open() as one, backend.open() as two:
        seen = two.version("fund:a1")
        one.append("fund:a1", [draft(n=0)], expected_version=seen)
        with pytest.raises(ConcurrencyError):
            two.append("fund:a1", [draft(n=1)], expected_version=seen)
        assert two.read("fund:a1") == one.read("fund:a1")
        assert two.append("fund:a1", [draft(n=1)], expected_version=1).first_sequence == 2
        assert one.verify().ok


# ---------------------------------------------------------------------------- idempotency


def test_a_retried_command_is_a_no_op_returning_the_first_result(store: EventStore) -> None:
    first = store.append("fund:a1", [draft(n=0)], expected_version=0, idempotency_key="cmd-1")
    store.append("fund:a2", [draft("fund:a2", 1)], expected_version=0)
    before = snapshot(store)
    again = store.append("fund:a1", [draft(n=0)], expected_version=0, idempotency_key="cmd-1")
    assert again == first
    assert again.retried
    assert not first.retried
    assert attrs.asdict(again) == {**attrs.asdict(first), "retried": True}
    # the retry is recognised before the (now stale) version is checked
    also = store.append("fund:a1", [draft(n=0)], expected_version=None, idempotency_key="cmd-1")
    assert also == first
    assert snapshot(store) == before
    assert store.recorded("cmd-1") == first
    assert store.recorded("cmd-2") is None


def test_the_same_key_with_other_events_is_refused(store: EventStore) -> None:
    store.append("fund:a1", [draft(n=0)], expected_version=0, idempotency_key="cmd-1")
    before = snapshot(store)
    for other in (
        [draft(n=0, payload={"fen": 999})],
        [draft(n=0), draft(n=1)],
        [draft(n=0, actor="u-2")],
    ):
        with pytest.raises(StoreError) as info:
            store.append("fund:a1", other, expected_version=1, idempotency_key="cmd-1")
        assert info.value.code == "store.idempotency_conflict"
        assert info.value.details["key"] == "cmd-1"
    with pytest.raises(StoreError, match=r"store\.idempotency_conflict"):
        store.append("fund:a2", [draft("fund:a2", 0)], expected_version=0, idempotency_key="cmd-1")
    assert snapshot(store) == before


def test_keys_and_events_survive_a_reopen(backend: Backend) -> None:
    if not backend.persistent:
        pytest.skip("nothing to reopen in memory")
    with backend.open(chain_id="luodian") as s:
        first = s.append("fund:a1", [draft(n=0)], expected_version=0, idempotency_key="k")
        head = s.head
    with backend.open(chain_id="luodian") as s:
        assert s.head == head
        assert s.append("fund:a1", [draft(n=0)], expected_version=0, idempotency_key="k") == first
        assert s.genesis == genesis_hash("luodian")
        assert s.verify(head=head.hash).ok
    with pytest.raises(StoreError) as info:
        backend.open(chain_id="another-town")
    assert info.value.code == "store.genesis_mismatch"


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("fund:a1", []), "store.empty_append"),
        (("fund:a1", [draft("fund:a2")]), "store.stream_mismatch"),
        (("fund:a1", ["not a draft"]), "store.draft_type"),
        (("", [draft("x")]), "store.bad_argument"),
    ],
)
def test_bad_appends_are_refused_with_a_code(
    store: EventStore, args: tuple[str, list[object]], code: str
) -> None:
    with pytest.raises(StoreError) as info:
        store.append(*args, expected_version=None)  # type: ignore[arg-type]
    assert info.value.code == code
    assert info.value.message_zh
    assert store.head.sequence == 0


@pytest.mark.parametrize("bad", [-1, True, "1", 1.0])
def test_bad_expected_versions_and_keys_are_refused(store: EventStore, bad: object) -> None:
    with pytest.raises(StoreError, match=r"store\.bad_argument"):
        store.append("s", [draft("s")], expected_version=bad)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=r"store\.bad_argument"):
        store.append("s", [draft("s")], expected_version=0, idempotency_key=" k")
    assert store.head.sequence == 0


def test_time_may_not_go_backwards_and_ids_are_unique(store: EventStore) -> None:
    store.append("s", [draft("s", 5, id="cmd-7")], expected_version=0)
    before = snapshot(store)
    with pytest.raises(AuditError, match=r"audit\.time_order"):
        store.append("s", [draft("s", 6), draft("s", 4)], expected_version=1)
    with pytest.raises(AuditError, match=r"audit\.duplicate_id"):
        store.append("t", [draft("t", 6, id="cmd-7")], expected_version=0)
    with pytest.raises(AuditError, match=r"audit\.duplicate_id"):
        store.append("t", [draft("t", 6, id="x"), draft("t", 7, id="x")], expected_version=0)
    assert snapshot(store) == before
    assert store.append("s", [draft("s", 5)], expected_version=1).version == 2  # equal time


def test_results_are_values() -> None:
    r = AppendResult(stream="s", version=1, first_sequence=1, last_sequence=1, head="0" * 64)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.version = 2  # type: ignore[misc]


# ---------------------------------------------------------------------------- verify


def _filled(store: EventStore) -> None:
    store.append("fund:a1", [draft(n=0), draft(n=1)], expected_version=0)
    store.append("fund:a2", [draft("fund:a2", 2)], expected_version=0)
    store.append("fund:a1", [draft(n=3)], expected_version=2)
    assert store.verify().ok


def _tamper_memory(store: EventStore, index: int, **changes: object) -> None:
    events = store._events  # type: ignore[attr-defined]
    events[index] = attrs.evolve(events[index], **changes)


def test_verify_names_a_row_edited_behind_the_librarys_back(backend: Backend) -> None:
    with backend.open() as store:
        _filled(store)
        if backend.execute_sql is None:
            _tamper_memory(store, 1, payload={"fen": 9_999, "note": "晾衣架"})
        else:
            backend.execute_sql(
                "UPDATE microgov_events SET body = replace(body, '\"fen\":101', '\"fen\":9999') "
                "WHERE sequence = 2"
            )
        report = store.verify()
    assert not report.ok
    assert report.count == 4
    (finding,) = report.findings
    assert finding.code == "audit.hash_mismatch"
    assert (finding.sequence, finding.stream, finding.stream_sequence) == (2, "fund:a1", 2)
    assert finding.event_id == "fund:a1:2"
    assert "fund:a1 v2" in str(finding)


def test_verify_names_unreadable_rows_columns_and_deletions(backend: Backend) -> None:
    if backend.execute_sql is None:
        pytest.skip("rows and columns are SQL only")
    with backend.open() as store:
        _filled(store)
        backend.execute_sql("UPDATE microgov_events SET body = '{\"x\": 1}' WHERE sequence = 3")
        backend.execute_sql("UPDATE microgov_events SET stream_sequence = 7 WHERE sequence = 4")
        report = store.verify()
        codes = [(f.code, f.sequence, f.stream) for f in report.findings]
        assert ("store.unreadable_row", 3, "fund:a2") in codes
        assert ("store.column_mismatch", 4, "fund:a1") in codes
        with pytest.raises(StoreError, match=r"store\.corrupt"):
            store.read_all()
        backend.execute_sql("DELETE FROM microgov_events WHERE sequence IN (3, 4)")
        backend.execute_sql("DELETE FROM microgov_events WHERE sequence = 1")
        report = store.verify(head="f" * 64)
        codes = [(f.code, f.sequence) for f in report.findings]
        assert ("audit.broken_link", 2) in codes
        assert codes[-1][0] == "audit.head_mismatch"


@pytest.mark.parametrize("events", [None, "abc", {"a": 1}, 7])
def test_appending_something_not_a_list_of_drafts_is_refused(
    store: EventStore, events: object
) -> None:
    with pytest.raises(StoreError, match=r"store\.draft_type"):
        store.append("s", events, expected_version=None)  # type: ignore[arg-type]
    assert store.head.sequence == 0


def test_a_single_draft_is_a_batch_of_one(store: EventStore) -> None:
    assert store.append("s", draft("s"), expected_version=0).version == 1  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- failures


def test_a_closed_or_unreachable_store_raises_a_store_error(tmp_path: object) -> None:
    store = SQLiteStore(":memory:")
    store.close()
    for call in (
        lambda: store.read_all(),
        lambda: store.append("s", [draft("s")], expected_version=0),
    ):
        with pytest.raises(StoreError, match=r"store\.unavailable"):
            call()
    with pytest.raises(StoreError, match=r"store\.unavailable"):
        SQLiteStore("/nonexistent-directory/x/events.db")
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match=r"store\.unavailable"):
        PostgresStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_postgres_without_psycopg_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"microgov\[postgres\]") as info:
        PostgresStore("postgresql://nobody@127.0.0.1:1/none")
    assert info.value.code == "store.unavailable"
