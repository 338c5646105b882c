"""Benchmark of the event stores (:mod:`microgov.store`): durable appends and replay.

Usage::

    python benchmarks/store.py                       # SQLite; PostgreSQL too if a DSN is set
    python benchmarks/store.py --events 100000 --batch 1000 --repeat 5
    python benchmarks/store.py --postgres-dsn postgresql://postgres@127.0.0.1:5432/microgov
    python benchmarks/store.py --quick               # tiny sizes, one run (smoke test)

PostgreSQL runs when ``--postgres-dsn`` or ``MICROGOV_TEST_POSTGRES_DSN`` is given (e.g.
after ``eval "$(bash .ci/postgres.sh start)"``, a server on loopback) and psycopg is
installed; each run uses a fresh schema, dropped afterwards.

What is measured (every append durable: SQLite in WAL mode with ``synchronous=FULL``,
PostgreSQL with its defaults, ``fsync`` and ``synchronous_commit`` on):

* **batched**: ``--events`` events appended in batches of ``--batch`` (one stream per
  batch, one transaction per append): events/s.  Each append checks the stream
  version, numbers the events, chains and hashes each one (SHA-256 of its canonical
  JSON), stores it and commits.
* **single**: ``--single`` appends of one event each (one transaction, one durable
  commit per event): events/s.
* **many**: ``--single`` commands of :meth:`~microgov.store.EventStore.append_many`, each
  writing one event to each of three streams (project, vote, ledger) with an expected
  version per stream, in one transaction: commands/s (ratio against **single**: what a
  three-stream command costs against a one-event append).
* **baselines**, in the same process on the same database engine and settings: plain
  inserts of pre-built rows of the same size, (a) one row per transaction (the naive
  way) and (b) ``executemany`` in transactions of ``--batch`` rows.  Ratios are
  microgov ÷ baseline: what the store's checks and hash chain cost (batched vs b) and
  what batching gains over the naive way (batched vs a).
* **replay**: ``read_all()`` of the whole store back into
  :class:`~microgov.audit.AuditEvent` values (strict decoding), and ``verify()`` (every
  row decoded, every hash recomputed, every link followed): events/s.

Times are ``time.perf_counter`` medians of ``--repeat`` runs, each on a new database.
The goal checked at the end: ≥ 20,000 events/s batched on SQLite with durability on.
The exit status is non-zero only if a store's content is wrong (it is checked after
each run).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from microgov._time import SHANGHAI
from microgov.audit import EventDraft
from microgov.store import EventStore, PostgresStore, SQLiteStore, StreamAppend

AT = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
GOAL_BATCHED = 20_000


def drafts(count: int, batch: int) -> list[list[EventDraft]]:
    """``count`` realistic events (a grant each), in batches of ``batch``, one stream each."""
    out: list[list[EventDraft]] = []
    for b in range(0, count, batch):
        stream = f"ledger:area-{b // batch:05d}"
        out.append(
            [
                EventDraft(
                    stream=stream,
                    type="funds.posted",
                    actor=f"u-{i % 97}",
                    at=AT + timedelta(seconds=b // batch),
                    payload={
                        "posting": f"c-{i}",
                        "project": f"p-{i % 1000}",
                        "fen": 10_000 + i,
                        "memo_zh": "晾衣架改造第一期拨款",
                    },
                )
                for i in range(b, min(b + batch, count))
            ]
        )
    return out


Timing = tuple[float, float, int]  # wall seconds, this process's CPU seconds, events


def timed(run: Callable[[], int]) -> Timing:
    start, cpu = time.perf_counter(), time.process_time()
    n = run()
    return time.perf_counter() - start, time.process_time() - cpu, n


def median_rate(repeat: int, run: Callable[[], Timing]) -> tuple[float, float]:
    """Median events/s over ``repeat`` runs: by wall-clock time and by process CPU time."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, n = run()
        walls.append(n / wall)
        cpus.append(n / max(cpu, 1e-9))
    return statistics.median(walls), statistics.median(cpus)


# ---------------------------------------------------------------------------- backends


class Engine:
    """Opens fresh stores (and raw connections for the baselines) on one database engine."""

    name = ""

    def store(self) -> EventStore:
        raise NotImplementedError

    def baseline(self, rows: list[tuple[int, str, str]], batch: int) -> Timing:
        raise NotImplementedError

    def cleanup(self) -> None:
        """Remove what the last run created."""


class SQLiteEngine(Engine):
    name = "SQLite (WAL, synchronous=FULL)"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "none.db"

    def store(self) -> EventStore:
        self.cleanup()
        self.path = self.directory / f"{uuid.uuid4().hex}.db"
        return SQLiteStore(self.path)

    def baseline(self, rows: list[tuple[int, str, str]], batch: int) -> Timing:
        self.cleanup()
        self.path = self.directory / f"{uuid.uuid4().hex}.db"
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, body TEXT NOT NULL)")
        start, cpu = time.perf_counter(), time.process_time()
        if batch == 1:
            for row in rows:
                db.execute("BEGIN")
                db.execute("INSERT INTO t VALUES (?, ?, ?)", row)
                db.execute("COMMIT")
        else:
            for i in range(0, len(rows), batch):
                db.execute("BEGIN")
                db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows[i : i + batch])
                db.execute("COMMIT")
        timing = (time.perf_counter() - start, time.process_time() - cpu, len(rows))
        db.close()
        return timing

    def cleanup(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class PostgresEngine(Engine):
    name = "PostgreSQL (loopback, fsync on)"

    def __init__(self, dsn: str) -> None:
        import psycopg

        self.dsn = dsn
        self.admin: Any = psycopg.connect(dsn, autocommit=True)
        self.schemas: list[str] = []

    def _schema(self) -> str:
        self.cleanup()
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        self.schemas.append(schema)
        return schema

    def store(self) -> EventStore:
        return PostgresStore(self.dsn, schema=self._schema())

    def baseline(self, rows: list[tuple[int, str, str]], batch: int) -> Timing:
        import psycopg

        schema = self._schema()
        self.admin.execute(f'CREATE SCHEMA "{schema}"')
        db: Any = psycopg.connect(self.dsn, autocommit=True)
        table = f'"{schema}".t'
        db.execute(f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, k TEXT NOT NULL, body TEXT)")
        sql = f"INSERT INTO {table} VALUES (%s, %s, %s)"
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(rows), batch):
            with db.transaction(), db.cursor() as cur:
                cur.executemany(sql, rows[i : i + batch])
        timing = (time.perf_counter() - start, time.process_time() - cpu, len(rows))
        db.close()
        return timing

    def cleanup(self) -> None:
        while self.schemas:
            self.admin.execute(f'DROP SCHEMA IF EXISTS "{self.schemas.pop()}" CASCADE')


# ---------------------------------------------------------------------------- measures


def append_batches(store: EventStore, batches: list[list[EventDraft]]) -> int:
    n = 0
    for batch in batches:
        result = store.append(batch[0].stream, batch, expected_version=0)
        n += len(batch)
        if result.last_sequence != n:
            raise SystemExit(f"wrong position {result.last_sequence} after {n} events")
    return n


def append_singles(store: EventStore, events: list[EventDraft]) -> int:
    for version, event in enumerate(events):
        store.append(event.stream, [event], expected_version=version)
    return len(events)


def append_commands(store: EventStore, events: list[EventDraft]) -> int:
    """One ``append_many`` per event: the same event written to three streams."""
    for version, event in enumerate(events):
        store.append_many(
            [
                StreamAppend(
                    stream=stream,
                    expected_version=version,
                    events=(
                        EventDraft(
                            stream=stream,
                            type=event.type,
                            actor=event.actor,
                            at=event.at,
                            payload=event.payload,
                        ),
                    ),
                )
                for stream in ("project:p-1", "vote:v-1", "ledger:single")
            ]
        )
    return len(events)


def run_engine(engine: Engine, args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    batches = drafts(args.events, args.batch)
    singles = [
        EventDraft(stream="ledger:single", type=d.type, actor=d.actor, at=d.at, payload=d.payload)
        for d in drafts(args.single, args.single)[0]
    ]
    example = SQLiteStore(":memory:")
    append_batches(example, batches[:1])
    body_size = len(example._db.execute("SELECT body FROM microgov_events").fetchone()[0])
    example.close()
    rows = [(i, f"k-{i}", "x" * body_size) for i in range(args.events)]
    out: dict[str, tuple[float, float]] = {}

    def batched() -> Timing:
        with engine.store() as store:
            timing = timed(lambda: append_batches(store, batches))
            if store.head.sequence != args.events:
                raise SystemExit("the store lost events")
        return timing

    def single() -> Timing:
        with engine.store() as store:
            return timed(lambda: append_singles(store, singles))

    def many() -> Timing:
        with engine.store() as store:
            return timed(lambda: append_commands(store, singles))

    out["batched"] = median_rate(args.repeat, batched)
    out["single"] = median_rate(args.repeat, single)
    out["many"] = median_rate(args.repeat, many)
    out["baseline_batched"] = median_rate(args.repeat, lambda: engine.baseline(rows, args.batch))
    out["baseline_single"] = median_rate(
        args.repeat, lambda: engine.baseline(rows[: args.single], 1)
    )
    with engine.store() as store:
        append_batches(store, batches)

        def read() -> Timing:
            return timed(lambda: len(store.read_all()))

        def verify() -> Timing:
            def check() -> int:
                report = store.verify()
                if not report.ok:
                    raise SystemExit(f"verify found {report.findings[:3]}")
                return report.count

            return timed(check)

        out["read_all"] = median_rate(args.repeat, read)
        out["verify"] = median_rate(args.repeat, verify)
    engine.cleanup()
    return out


def report(name: str, r: dict[str, tuple[float, float]], args: argparse.Namespace) -> None:
    print(f"\n{name}")
    print(f"  {'measure':<46} {'events/s':>10} {'ratio':>8} {'per CPU-s':>11}")
    lines = [
        (f"append, batches of {args.batch} (microgov)", "batched", None),
        (f"  baseline: plain executemany, {args.batch} rows/txn", "baseline_batched", "batched"),
        ("  baseline: plain insert, 1 row/txn (naive)", "baseline_single", "batched"),
        ("append, 1 event per append (microgov)", "single", None),
        ("  baseline: plain insert, 1 row/txn", "baseline_single", "single"),
        ("append_many, 3 streams x 1 event (commands/s)", "many", None),
        ("  ratio append_many ÷ append (per command)", "single", "many"),
        ("replay: read_all() into AuditEvents", "read_all", None),
        ("verify(): decode, rehash, follow every link", "verify", None),
    ]
    for label, key, versus in lines:
        wall, cpu = r[key]
        ratio = "" if versus is None else f"{r[versus][0] / wall:>7.2f}x"
        print(f"  {label:<46} {wall:>10,.0f} {ratio:>8} {cpu:>11,.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=50_000, help="events for batched/replay")
    parser.add_argument("--batch", type=int, default=1_000, help="events per batched append")
    parser.add_argument("--single", type=int, default=300, help="single-event appends")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres-dsn", default=os.environ.get("MICROGOV_TEST_POSTGRES_DSN"))
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.batch, args.single, args.repeat = 2_000, 500, 20, 1
    print(
        f"microgov.store benchmark: {args.events:,} events (batches of {args.batch:,}), "
        f"{args.single:,} single appends, median of {args.repeat}; "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="microgov-bench-") as tmp:
        engine = SQLiteEngine(Path(tmp))
        results["sqlite"] = run_engine(engine, args)
        report(engine.name, results["sqlite"], args)
    if args.postgres_dsn:
        try:
            pg = PostgresEngine(args.postgres_dsn)
        except ImportError:
            print(
                "\nPostgreSQL: skipped (psycopg is not installed: pip install 'microgov[postgres]')"
            )
        else:
            results["postgres"] = run_engine(pg, args)
            report(pg.name, results["postgres"], args)
            pg.admin.close()
    else:
        print("\nPostgreSQL: skipped (no --postgres-dsn and no MICROGOV_TEST_POSTGRES_DSN)")
    rate, cpu_rate = results["sqlite"]["batched"]
    met = "met" if rate >= GOAL_BATCHED else "NOT met"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nGoal: >= {GOAL_BATCHED:,} events/s batched on SQLite, durable: {rate:,.0f} — {met} "
        f"({cpu_rate:,.0f} per CPU-second of this process; load average {load} "
        f"on {os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
