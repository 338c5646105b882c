"""Stateful test of the store contract: random appends, stale versions, retries, conflicts."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule
from store_world import postgres_dsn

from microgov._time import SHANGHAI
from microgov.audit import EventDraft
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
STREAMS = ("fund:a1", "fund:a2", "project:p-1")


class StoreMachine(RuleBasedStateMachine):
    """The store against a model: per stream the payloads appended, per key the result."""

    keys = Bundle("keys")

    def __init__(self) -> None:
        super().__init__()
        self.store: EventStore = type(self).make()
        self.model: dict[str, list[int]] = {s: [] for s in STREAMS}
        self.results: dict[str, tuple[str, list[EventDraft], AppendResult]] = {}
        self.clock = 0
        self.total = 0

    @classmethod
    def make(cls) -> EventStore:
        return MemoryStore()

    def teardown(self) -> None:
        self.store.close()

    def _drafts(self, stream: str, payloads: list[int]) -> list[EventDraft]:
        self.clock += 1
        at = AT + timedelta(minutes=self.clock)
        return [
            EventDraft(stream=stream, type="t", actor="u", at=at, payload={"v": v})
            for v in payloads
        ]

    @rule(
        target=keys,
        stream=st.sampled_from(STREAMS),
        payloads=st.lists(st.integers(0, 9), min_size=1, max_size=4),
        keyed=st.booleans(),
    )
    def append(self, stream: str, payloads: list[int], keyed: bool) -> str:
        key = f"k-{uuid.uuid4().hex[:8]}" if keyed else ""
        version = len(self.model[stream])
        drafts = self._drafts(stream, payloads)
        result = self.store.append(
            stream,
            drafts,
            expected_version=version,
            idempotency_key=key or None,
        )
        assert result.version == version + len(payloads)
        assert result.first_sequence == self.total + 1
        assert not result.retried
        self.model[stream].extend(payloads)
        self.total += len(payloads)
        if key:
            self.results[key] = (stream, drafts, result)
        return key

    @rule(stream=st.sampled_from(STREAMS), behind=st.integers(1, 3))
    def stale_append_is_refused(self, stream: str, behind: int) -> None:
        version = len(self.model[stream])
        stale = version - behind if version >= behind else version + behind
        with pytest.raises(ConcurrencyError):
            self.store.append(stream, self._drafts(stream, [0]), expected_version=stale)

    @precondition(lambda self: any(self.results))
    @rule(key=keys)
    def retry_returns_the_first_result(self, key: str) -> None:
        if not key:
            return
        stream, drafts, result = self.results[key]
        again = self.store.append(
            stream, drafts, expected_version=len(self.model[stream]), idempotency_key=key
        )
        assert again == result
        assert again.retried
        assert self.store.recorded(key) == result

    @rule(key=keys)
    def reusing_a_key_for_other_events_is_refused(self, key: str) -> None:
        if not key:
            return
        stream = self.results[key][0]
        with pytest.raises(StoreError, match=r"store\.idempotency_conflict"):
            self.store.append(
                stream,
                self._drafts(stream, [42]),
                expected_version=len(self.model[stream]),
                idempotency_key=key,
            )

    @invariant()
    def streams_hold_exactly_what_was_accepted(self) -> None:
        for stream, payloads in self.model.items():
            events = self.store.read(stream)
            assert [e.payload["v"] for e in events] == payloads
            assert self.store.version(stream) == len(payloads)
        assert self.store.head.sequence == self.total

    @invariant()
    def chain_verifies(self) -> None:
        if self.total % 3 == 0:  # verify is O(store): not after every step
            assert self.store.verify().ok


class SQLiteMachine(StoreMachine):
    @classmethod
    def make(cls) -> EventStore:
        return SQLiteStore(":memory:")


class PostgresMachine(StoreMachine):
    dsn = ""

    @classmethod
    def make(cls) -> EventStore:
        return PostgresStore(cls.dsn, schema=f"h_{uuid.uuid4().hex[:16]}")

    def teardown(self) -> None:
        schema = self.store.schema  # type: ignore[attr-defined]
        self.store._db.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[attr-defined]
        self.store.close()


FEW = settings(max_examples=examples(15), stateful_step_count=12, deadline=None)

TestMemoryStore = StoreMachine.TestCase
TestMemoryStore.settings = FEW
TestSQLiteStore = SQLiteMachine.TestCase
TestSQLiteStore.settings = FEW


def test_postgres_store_contract() -> None:
    PostgresMachine.dsn = postgres_dsn()
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        PostgresMachine,
        settings=settings(max_examples=examples(5), stateful_step_count=10, deadline=None),
    )
