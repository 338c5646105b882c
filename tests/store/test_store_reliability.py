"""Reliability with real processes: two instances spending one fund, and SIGKILL mid-append.

These run on the stores several processes share: SQLite (one file) and PostgreSQL.
Processes are forked (``multiprocessing`` "fork" context) and open their own stores.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import datetime, timedelta
from typing import Any

from store_world import Backend

from microgov._time import SHANGHAI
from microgov.audit import EventDraft
from microgov.errors import FundsError
from microgov.funds import Account, Money, fund_area, grant_tranche
from microgov.store import (
    ConcurrencyError,
    EventStore,
    LedgerRepository,
    PostgresStore,
    SQLiteStore,
)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
AREA = Account.area("area-01")
BUDGET = Money.of_yuan(300)
ROUNDS = 30
BATCH = 200

ctx = multiprocessing.get_context("fork")


def _spec(backend: Backend, store: EventStore) -> tuple[str, ...]:
    if isinstance(store, SQLiteStore):
        return ("sqlite", store.path)
    assert isinstance(store, PostgresStore)
    return ("postgres", os.environ["MICROGOV_TEST_POSTGRES_DSN"], store.schema)


def _open(spec: tuple[str, ...], cls: type[Any] | None = None) -> EventStore:
    if spec[0] == "sqlite":
        return (cls or SQLiteStore)(spec[1])  # type: ignore[no-any-return]
    return (cls or PostgresStore)(spec[1], schema=spec[2])  # type: ignore[no-any-return]


# ------------------------------------------------------------------ one fund, two instances


def _spender(spec: tuple[str, ...], worker: int, start: Any, results: Any) -> None:
    store = _open(spec)
    conflicts = 0
    original = store.append

    def counting_append(*args: Any, **kwargs: Any) -> Any:
        nonlocal conflicts
        try:
            return original(*args, **kwargs)
        except ConcurrencyError:
            conflicts += 1
            raise

    store.append = counting_append  # type: ignore[method-assign]
    repo = LedgerRepository(store)
    accepted: list[str] = []
    refused = 0
    start.wait()
    for i in range(ROUNDS):
        fen = 100 * (7 + (i * 5 + worker * 3) % 11)  # ¥7 … ¥17
        grant = grant_tranche(
            Account.project(f"p-{worker}-{i}"), AREA, Money(fen=fen), id=f"w{worker}-{i}", at=AT
        )
        try:
            repo.post("luodian", grant, actor=f"u-{worker}")
            accepted.append(grant.id)
        except FundsError as err:
            if err.code != "funds.insufficient":
                raise
            refused += 1
    # every accepted grant, retried (a client that lost the answer): recorded once
    for i in range(ROUNDS):
        if f"w{worker}-{i}" in accepted:
            fen = 100 * (7 + (i * 5 + worker * 3) % 11)
            grant = grant_tranche(
                Account.project(f"p-{worker}-{i}"),
                AREA,
                Money(fen=fen),
                id=f"w{worker}-{i}",
                at=AT,
            )
            assert repo.post("luodian", grant, actor=f"u-{worker}").retried
    store.close()
    results.put((worker, accepted, refused, conflicts))


def test_two_processes_never_spend_one_fund_twice(shared_backend: Backend) -> None:
    with shared_backend.open() as store:
        LedgerRepository(store).post(
            "luodian", fund_area(AREA, BUDGET, id="budget", at=AT), actor="u-0"
        )
        spec = _spec(shared_backend, store)
    start = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [ctx.Process(target=_spender, args=(spec, w, start, results)) for w in (1, 2)]
    for p in procs:
        p.start()
    outcome = {
        w: (acc, ref, conf) for w, acc, ref, conf in (results.get(timeout=60) for _ in procs)
    }
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    accepted = outcome[1][0] + outcome[2][0]
    assert all(outcome[w][1] + len(outcome[w][0]) == ROUNDS for w in (1, 2))
    assert outcome[1][1] + outcome[2][1] > 0, "the budget must run out for the test to bite"
    with shared_backend.open() as store:
        ledger = LedgerRepository(store).load("luodian").ledger  # replay re-checks every posting
        ids = [p.id for p in ledger.postings]
        assert len(ids) == len(set(ids)) == 1 + len(accepted)
        assert set(ids) == {"budget", *accepted}
        granted = sum(ledger.posted(i).delta(AREA).fen for i in accepted)  # type: ignore[union-attr]
        assert ledger.balance(AREA).fen == BUDGET.fen + granted >= 0
        assert ledger.total() == Money(fen=0)
        assert store.version("ledger:luodian") == 1 + len(accepted)
        assert store.verify().ok


# ---------------------------------------------------------------------------- SIGKILL mid-append


class _DiesMidBatch:
    """A store that kills its own process after writing half of a batch's rows."""

    armed = False

    def _insert_rows(self, rows: list[tuple[Any, ...]]) -> None:
        if not self.armed:
            super()._insert_rows(rows)  # type: ignore[misc]
            return
        super()._insert_rows(rows[: len(rows) // 2])  # type: ignore[misc]
        os.kill(os.getpid(), signal.SIGKILL)


class _DyingSQLite(_DiesMidBatch, SQLiteStore):
    pass


class _DyingPostgres(_DiesMidBatch, PostgresStore):
    pass


def _batch(stream: str, n: int) -> list[EventDraft]:
    return [
        EventDraft(
            stream=stream,
            type="grid.visit",
            actor="u-1",
            at=AT + timedelta(seconds=n),
            payload={"n": i, "household": f"h-{i}"},
        )
        for i in range(BATCH)
    ]


def _dies_mid_batch(spec: tuple[str, ...]) -> None:
    store = _open(spec, _DyingSQLite if spec[0] == "sqlite" else _DyingPostgres)
    for n in range(3):
        store.append(f"batch:{n}", _batch(f"batch:{n}", n), expected_version=0)
    store.armed = True  # type: ignore[attr-defined]
    store.append("batch:3", _batch("batch:3", 3), expected_version=0, idempotency_key="k3")
    os._exit(3)  # not reached


def _appends_forever(spec: tuple[str, ...], done: Any) -> None:
    store = _open(spec)
    n = 0
    while True:
        store.append(f"loop:{n}", _batch(f"loop:{n}", n), expected_version=0)
        done.send(n)
        n += 1


def _check_whole_batches(store: EventStore, prefix: str, count: int) -> None:
    for n in range(count):
        assert store.version(f"{prefix}:{n}") in (0, BATCH)


def test_sigkill_in_the_middle_of_a_batch_leaves_no_partial_batch(
    shared_backend: Backend,
) -> None:
    with shared_backend.open() as store:
        spec = _spec(shared_backend, store)
    child = ctx.Process(target=_dies_mid_batch, args=(spec,))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    with shared_backend.open() as store:
        assert [store.version(f"batch:{n}") for n in range(4)] == [BATCH, BATCH, BATCH, 0]
        assert store.head.sequence == 3 * BATCH
        assert store.recorded("k3") is None
        assert store.verify().ok
        # the lock died with the process: the batch can be sent again, whole
        again = store.append("batch:3", _batch("batch:3", 3), expected_version=0)
        assert again.version == BATCH
        assert store.verify(head=again.head).ok


def test_sigkill_at_any_moment_of_a_stream_of_appends(shared_backend: Backend) -> None:
    with shared_backend.open() as store:
        spec = _spec(shared_backend, store)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_appends_forever, args=(spec, send))
    child.start()
    for _ in range(3):
        assert receive.poll(60)
        receive.recv()
    os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    with shared_backend.open() as store:
        head = store.head.sequence
        assert head % BATCH == 0
        assert head >= 3 * BATCH
        _check_whole_batches(store, "loop", head // BATCH + 2)
        assert store.verify().ok
