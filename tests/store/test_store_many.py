"""One command, several streams: ``EventStore.append_many`` on memory, SQLite and PostgreSQL.

All or nothing, an expected version per stream, idempotent retries, and two processes
racing the same versions on one SQLite file or one PostgreSQL database.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_world import Backend

from audit.audit_world import drafts
from microgov._time import SHANGHAI
from microgov.audit import EventDraft, encode_event
from microgov.errors import AuditError
from microgov.store import (
    AppendResult,
    ConcurrencyError,
    EventStore,
    PostgresStore,
    SQLiteStore,
    StoreError,
    StreamAppend,
)
from profiles import examples

AT = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def draft(stream: str, n: int = 0, **kw: object) -> EventDraft:
    fields: dict[str, object] = {
        "stream": stream,
        "type": "fund.granted",
        "actor": "u-1",
        "at": AT + timedelta(minutes=n),
        "payload": {"fen": 100 + n, "note": "晾衣架"},
    }
    fields.update(kw)
    return EventDraft(**fields)  # type: ignore[arg-type]


def part(stream: str, *ns: int, expected: int | None = None) -> StreamAppend:
    return StreamAppend(
        stream=stream, events=tuple(draft(stream, n) for n in ns), expected_version=expected
    )


def snapshot(store: EventStore) -> tuple[object, ...]:
    return (store.head, store.read_all())


# ---------------------------------------------------------------------------- writing


def test_several_streams_are_written_in_order_in_one_chain(store: EventStore) -> None:
    store.append("vote:v-1", [draft("vote:v-1", 0)], expected_version=0)
    results = store.append_many(
        [
            part("project:p-1", 1, 2, expected=0),
            part("vote:v-1", 3, expected=1),
            part("ledger:luodian", 4),
        ]
    )
    assert [(r.stream, r.version, list(r.positions)) for r in results] == [
        ("project:p-1", 2, [2, 3]),
        ("vote:v-1", 2, [4]),
        ("ledger:luodian", 1, [5]),
    ]
    assert results[-1].head == store.head.hash
    assert [e.id for e in store.read("project:p-1")] == ["project:p-1:1", "project:p-1:2"]
    assert [e.stream_sequence for e in store.read("vote:v-1")] == [1, 2]
    assert [e.sequence for e in store.read_all()] == [1, 2, 3, 4, 5]
    assert store.verify(head=results[-1].head).ok


def test_append_is_append_many_of_one(store: EventStore) -> None:
    one = store.append("fund:a1", [draft("fund:a1", 0)], expected_version=0, idempotency_key="k")
    (again,) = store.append_many([part("fund:a1", 0, expected=0)], idempotency_key="k")
    assert again == one
    assert again.retried
    assert store.head.sequence == 1


# ---------------------------------------------------------------------------- all or nothing


def test_a_stale_version_on_any_stream_writes_nothing(store: EventStore) -> None:
    store.append("vote:v-1", [draft("vote:v-1", 0)], expected_version=0)
    before = snapshot(store)
    with pytest.raises(ConcurrencyError) as info:
        store.append_many([part("project:p-1", 1, expected=0), part("vote:v-1", 2, expected=0)])
    assert info.value.code == "store.concurrency"
    assert dict(info.value.details) == {"stream": "vote:v-1", "expected": 0, "actual": 1}
    assert "vote:v-1" in info.value.message_en
    assert "vote:v-1" in info.value.message_zh
    assert snapshot(store) == before
    assert store.version("project:p-1") == 0


def test_a_refused_event_in_a_later_stream_writes_nothing(store: EventStore) -> None:
    store.append("s", [draft("s", 5, id="cmd-7")], expected_version=0)
    before = snapshot(store)
    with pytest.raises(AuditError, match=r"audit\.time_order"):
        store.append_many([part("a", 6), part("b", 4)])
    with pytest.raises(AuditError, match=r"audit\.duplicate_id"):
        store.append_many(
            [
                part("a", 6),
                StreamAppend(stream="b", events=[draft("b", 7, id="x")]),
                StreamAppend(stream="c", events=[draft("c", 7, id="x")]),
            ]
        )
    with pytest.raises(AuditError, match=r"audit\.duplicate_id"):
        store.append_many(
            [part("a", 6), StreamAppend(stream="b", events=[draft("b", 7, id="cmd-7")])]
        )
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("appends", "code"),
    [
        ([], "store.empty_append"),
        ([part("a", 0), part("a", 1)], "store.bad_argument"),
        (["not a part"], "store.draft_type"),
        (part("a", 0), "store.draft_type"),
    ],
)
def test_bad_requests_are_refused_with_a_code(
    store: EventStore, appends: object, code: str
) -> None:
    with pytest.raises(StoreError) as info:
        store.append_many(appends)  # type: ignore[arg-type]
    assert info.value.code == code
    assert info.value.message_zh
    assert store.head.sequence == 0


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"stream": "a", "events": []}, "store.empty_append"),
        ({"stream": "a", "events": [draft("b")]}, "store.stream_mismatch"),
        ({"stream": "a", "events": ["x"]}, "store.draft_type"),
        ({"stream": "a", "events": "x"}, "store.draft_type"),
        ({"stream": " a", "events": [draft("a")]}, "store.bad_argument"),
        ({"stream": "a", "events": [draft("a")], "expected_version": -1}, "store.bad_argument"),
        ({"stream": "a", "events": [draft("a")], "expected_version": True}, "store.bad_argument"),
    ],
)
def test_a_broken_stream_append_never_exists(fields: dict[str, Any], code: str) -> None:
    with pytest.raises(StoreError) as info:
        StreamAppend(**fields)
    assert info.value.code == code


def test_a_stream_append_takes_a_single_draft_and_lists() -> None:
    one = StreamAppend(stream="a", events=draft("a"))  # type: ignore[arg-type]
    assert one.events == (draft("a"),)
    assert StreamAppend(stream="a", events=[draft("a")]) == one


# ---------------------------------------------------------------------------- idempotency


def test_a_retried_command_returns_every_first_result(store: EventStore) -> None:
    command = [part("project:p-1", 0, expected=0), part("ledger:l", 1, expected=0)]
    first = store.append_many(command, idempotency_key="cmd-1")
    before = snapshot(store)
    again = store.append_many(command, idempotency_key="cmd-1")
    assert again == first
    assert all(r.retried for r in again)
    assert not any(r.retried for r in first)
    assert store.recorded_many("cmd-1") == first
    assert store.recorded("cmd-1") == first[0]
    assert store.recorded_many("cmd-2") is None
    assert snapshot(store) == before


def test_a_key_reused_for_a_different_request_is_refused(store: EventStore) -> None:
    store.append_many([part("a", 0), part("b", 1)], idempotency_key="cmd-1")
    before = snapshot(store)
    for other in (
        [part("b", 1), part("a", 0)],  # the same streams in another order
        [part("a", 0)],
        [part("a", 0), part("b", 2)],
        [part("a", 0), part("b", 1), part("c", 1)],
    ):
        with pytest.raises(StoreError) as info:
            store.append_many(other, idempotency_key="cmd-1")
        assert info.value.code == "store.idempotency_conflict"
        assert info.value.details["key"] == "cmd-1"
        assert "'a'" in info.value.message_en
    assert snapshot(store) == before


def test_multi_stream_keys_survive_a_reopen(backend: Backend) -> None:
    if not backend.persistent:
        pytest.skip("nothing to reopen in memory")
    command = [part("a", 0, expected=0), part("b", 1, expected=0), part("c", 2, expected=0)]
    with backend.open() as s:
        first = s.append_many(command, idempotency_key="k")
    with backend.open() as s:
        assert s.append_many(command, idempotency_key="k") == first
        assert s.recorded_many("k") == first
        assert s.head.sequence == 3


# ---------------------------------------------------------------------------- random batches


_STREAMS = ("project:p-1", "vote:v-1", "ledger:l", "topic:t-1")


@st.composite
def _requests(draw: st.DrawFn) -> list[tuple[list[tuple[str, int, int]], str | None]]:
    """Requests: (stream, events, version offset: 0 right, 1 stale, -1 none) lists, key."""
    out = []
    for _ in range(draw(st.integers(1, 6))):
        streams = draw(st.lists(st.sampled_from(_STREAMS), min_size=1, max_size=4, unique=True))
        parts = [
            (s, draw(st.integers(1, 3)), draw(st.sampled_from((0, 0, 0, 1, -1)))) for s in streams
        ]
        out.append((parts, draw(st.sampled_from((None, None, "k1", "k2")))))
    return out


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(requests=_requests())
def test_random_batches_are_all_or_nothing(
    store: EventStore, requests: list[tuple[list[tuple[str, int, int]], str | None]]
) -> None:
    # One store serves every example: each example writes its own streams and keys.
    # Letters only: a run of digits could read as a mobile number and be masked in messages.
    prefix = "x" + os.urandom(6).hex().translate(str.maketrans("0123456789", "ghijklmnop")) + "/"
    model: dict[str, int] = {}
    keys: dict[str, tuple[object, tuple[AppendResult, ...]]] = {}
    for parts, key in requests:
        appends = [
            StreamAppend(
                stream=prefix + s,
                events=tuple(draft(prefix + s, 0, payload={"n": i}) for i in range(count)),
                expected_version=None if offset < 0 else model.get(s, 0) + offset,
            )
            for s, count, offset in parts
        ]
        full_key = None if key is None else prefix + key
        shape = [(s, count) for s, count, _ in parts]
        before = store.head
        if full_key is not None and full_key in keys:
            if keys[full_key][0] == shape:
                again = store.append_many(appends, idempotency_key=full_key)
                assert again == keys[full_key][1]
                assert all(r.retried for r in again)
            else:
                with pytest.raises(StoreError, match=r"store\.idempotency_conflict"):
                    store.append_many(appends, idempotency_key=full_key)
            assert store.head == before
            continue
        stale = [s for s, _, offset in parts if offset > 0]
        if stale:
            with pytest.raises(ConcurrencyError) as info:
                store.append_many(appends, idempotency_key=full_key)
            assert info.value.details["stream"] == prefix + stale[0]
            assert store.head == before
            continue
        results = store.append_many(appends, idempotency_key=full_key)
        position = before.sequence
        for (s, count, _), r in zip(parts, results, strict=True):
            model[s] = model.get(s, 0) + count
            assert (r.stream, r.version) == (prefix + s, model[s])
            assert r.first_sequence == position + 1
            position = r.last_sequence
            assert r.last_sequence - r.first_sequence + 1 == count
        assert store.head == attrs.evolve(before, sequence=position, hash=results[-1].head)
        if full_key is not None:
            keys[full_key] = (shape, results)
    for s, version in model.items():
        assert store.version(prefix + s) == version
    assert store.recorded_many(prefix + "never") is None


# ---------------------------------------------------------------------------- two processes

ROUNDS = 12
ctx = multiprocessing.get_context("fork")


def _open(spec: tuple[str, ...]) -> EventStore:
    if spec[0] == "sqlite":
        return SQLiteStore(spec[1])
    return PostgresStore(spec[1], schema=spec[2])


def _racer(spec: tuple[str, ...], worker: int, barrier: Any, results: Any) -> None:
    outcome: list[str] = []
    with _open(spec) as store:
        for i in range(ROUNDS):
            barrier.wait(timeout=60)  # both read the same versions, both try
            command = [
                StreamAppend(
                    stream=stream,
                    expected_version=i,
                    events=[
                        EventDraft(
                            stream=stream,
                            type="race.won",
                            actor=f"w-{worker}",
                            at=AT + timedelta(seconds=i),
                            id=f"{stream}/{i}/w{worker}",
                        )
                    ],
                )
                for stream in ("project:p-1", "vote:v-1", "ledger:l")
            ]
            try:
                store.append_many(command, idempotency_key=f"w{worker}-{i}")
                outcome.append("won")
            except ConcurrencyError as err:
                outcome.append(f"lost:{err.details['stream']}:{err.details['actual']}")
    results.put((worker, outcome))


def test_two_processes_racing_the_same_versions(shared_backend: Backend) -> None:
    with shared_backend.open() as store:
        if isinstance(store, SQLiteStore):
            spec: tuple[str, ...] = ("sqlite", store.path)
        else:
            assert isinstance(store, PostgresStore)
            spec = ("postgres", os.environ["MICROGOV_TEST_POSTGRES_DSN"], store.schema)
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [ctx.Process(target=_racer, args=(spec, w, barrier, results)) for w in (1, 2)]
    for p in procs:
        p.start()
    outcome = dict(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    for i in range(ROUNDS):
        pair = sorted((outcome[1][i], outcome[2][i]))
        # exactly one wins; the other is refused on the first stream, already moved on
        assert pair == [f"lost:project:p-1:{i + 1}", "won"], (i, pair)
    with shared_backend.open() as store:
        winners = {e.actor for e in store.read("project:p-1")}
        assert winners <= {"w-1", "w-2"}
        for stream in ("project:p-1", "vote:v-1", "ledger:l"):
            events = store.read(stream)
            assert [e.stream_sequence for e in events] == list(range(1, ROUNDS + 1))
            assert len({e.id for e in events}) == ROUNDS
        # the three events of one round are the same winner's, one after the other
        chain = store.read_all()
        assert len(chain) == 3 * ROUNDS
        for i in range(ROUNDS):
            round_events = chain[3 * i : 3 * i + 3]
            assert len({e.actor for e in round_events}) == 1
            assert [e.stream for e in round_events] == ["project:p-1", "vote:v-1", "ledger:l"]
        for w in (1, 2):
            for i in range(ROUNDS):
                recorded = store.recorded_many(f"w{w}-{i}")
                assert (recorded is not None) == (outcome[w][i] == "won")
                assert recorded is None or len(recorded) == 3
        assert store.verify().ok


@settings(max_examples=examples(30), deadline=None)
@given(batch=drafts(min_size=1, max_size=5))
def test_a_stored_row_holds_the_bytes_the_audit_codec_gives(batch: list[EventDraft]) -> None:
    with SQLiteStore(":memory:") as store:
        streams: dict[str, list[EventDraft]] = {}
        for d in batch:
            streams.setdefault(d.stream, []).append(d)
        try:
            store.append_many([StreamAppend(stream=s, events=ds) for s, ds in streams.items()])
        except AuditError:  # times out of order across streams: nothing to compare
            return
        bodies = [b for (b,) in store._db.execute("SELECT body FROM microgov_events")]
        assert bodies == [encode_event(e).decode() for e in store.read_all()]
        assert store.verify().ok
