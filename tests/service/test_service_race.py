"""Two service instances on one store: a command that lost the race is decided again."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

import pytest

from microgov.service import CommandRefused, ManualClock, Service, sandbox, walk_to
from microgov.store import EventStore, MemoryStore, PostgresStore, SQLiteStore
from microgov.voting import Choice


def _second(store: EventStore) -> EventStore:
    """Another connection to the same data (the same object for the memory store)."""
    if isinstance(store, SQLiteStore):
        return SQLiteStore(store.path)
    if isinstance(store, PostgresStore):
        return PostgresStore(os.environ["MICROGOV_TEST_POSTGRES_DSN"], schema=store.schema)
    assert isinstance(store, MemoryStore)
    return store


class _Racing:
    """A clock that lets another instance act once, after this one caught up and before
    it decides: the worst moment."""

    def __init__(self, clock: ManualClock, rival: Callable[[], object]) -> None:
        self.clock, self.rival, self.done = clock, rival, False

    def __call__(self) -> datetime:
        if not self.done:
            self.done = True
            self.rival()
        return self.clock()


def test_a_command_that_lost_a_race_is_decided_again_on_fresh_facts(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-3", "funded")  # area a: 1,000,000 - 300,000 promised
    walk_to(service, clock, "p-4", "funded")  # - 300,000
    walk_to(service, clock, "p-1", "established")  # 300,000 each: room for one
    walk_to(service, clock, "p-2", "established")
    other_store = _second(store)
    try:
        other = Service(other_store, clock=clock, name="town")
        racing = _Racing(clock, lambda: other.fund_project("B", actor="sec-a", project="p-2"))
        mine = Service(store, clock=racing, name="town")
        with pytest.raises(CommandRefused) as info:
            mine.fund_project("A", actor="sec-a", project="p-1")
        assert info.value.code == "funds.insufficient"
        assert mine.project("p-2").state == "funded"
        assert mine.project("p-1").state == "established"
        assert mine.ledger().total().fen == 0
        assert mine.balance("a").fen >= 0
    finally:
        if other_store is not store:
            other_store.close()


def test_a_hand_is_never_counted_twice_across_instances(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "voting")
    other_store = _second(store)
    try:
        other = Service(other_store, clock=clock, name="town")
        racing = _Racing(
            clock,
            lambda: other.raise_hand("B", actor="r1", vote="p-1-vote", choice=Choice.AGAINST),
        )
        mine = Service(store, clock=racing, name="town")
        with pytest.raises(CommandRefused) as info:
            mine.raise_hand("A", actor="r1", vote="p-1-vote", choice=Choice.IN_FAVOUR)
        assert info.value.code == "voting.second_hand"
        view = mine.vote("p-1-vote")
        assert (view.hands, view.against) == (1, 1)
    finally:
        if other_store is not store:
            other_store.close()
