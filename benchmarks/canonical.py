"""Benchmark of the canonical JSON: microgov's hand-written RFC 8785 writer against ``rfc8785``.

Usage::

    python benchmarks/canonical.py              # 2,000 events, median of 5
    python benchmarks/canonical.py --quick      # tiny sizes, one run (smoke test)

What is measured, on the data model of realistic stored events (ledger postings with
Chinese memos and full-width punctuation, lifecycle events with verdicts):

* **microgov** ``encode_event(event)``: the whole public path from an
  :class:`~microgov.audit.AuditEvent` to its stored bytes — building its data model,
  checking every value (no floats, safe integers, valid Unicode, no ``$`` keys), then the
  writer (the C JSON encoder, or the exact writer when a key holds a character at or
  above U+E000);
* **rfc8785** ``rfc8785.dumps(data)``: the package's writer alone, on the data model
  built beforehand — a lower bound for what adopting it would cost;
* **microgov** ``canonical_text(payload)``: the store's path for one payload.

Ratios are rfc8785 time ÷ microgov time (above 1: microgov faster).  Times are
``time.perf_counter`` medians of ``--repeat`` runs.  Both must give the same bytes for
every event; the run fails if they do not (``tests/audit/test_audit_rfc8785.py`` checks
it over random data too).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from microgov.audit import AuditEvent, AuditLog, canonical_text, encode_event
from microgov.calendar import SHANGHAI
from microgov.policy import Citation, Verdict

AT = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)


def events(count: int) -> list[AuditEvent]:
    """``count`` realistic events."""
    log = AuditLog()
    quorum = Verdict(
        passed=True,
        rule="quorum.residents_meeting",
        code="quorum.met",
        message_en="More than half of the households were present (61 of 100).",
        message_zh="过半数户代表出席（100 户中 61 户）。",
        figures={"present": 61, "entitled": 100},
        citation=Citation(source="城市居民委员会组织法", article="第十四条"),
    )
    for i in range(count):
        if i % 4 == 3:
            log.append(
                stream=f"project:p-{i % 50}",
                type="project.accepted",
                actor=f"u-{i % 97}",
                at=AT + timedelta(seconds=i),
                payload={"vote": f"v-{i}", "scope": "area-01"},
                verdicts=[quorum],
            )
        else:
            log.append(
                stream=f"ledger:area-{i % 30:02d}",
                type="funds.posted",
                actor=f"u-{i % 97}",
                at=AT + timedelta(seconds=i),
                payload={
                    "posting": f"c-{i}",
                    "project": f"p-{i % 1000}",
                    "fen": 10_000 + i,
                    "memo_zh": "晾衣架改造第一期拨款（楼组议事角通过）",
                },
            )
    return list(log.events)


def median_rate(repeat: int, count: int, run: Callable[[], None]) -> float:
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.repeat = 100, 1
    try:
        import rfc8785
    except ImportError:
        print("rfc8785 is not installed (pip install 'microgov[test]'): nothing to compare")
        return 0
    stored = events(args.events)
    data = [json.loads(encode_event(e)) for e in stored]
    payloads = [e.payload for e in stored]
    for event, d in zip(stored, data, strict=True):
        if encode_event(event) != rfc8785.dumps(d):
            print(f"DIFFERENT bytes for event {event.id}", file=sys.stderr)
            return 1
    n = len(data)

    def each(write: Callable[[Any], bytes | str], values: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for value in values:
                write(value)

        return run

    ours = median_rate(args.repeat, n, each(encode_event, stored))
    theirs = median_rate(args.repeat, n, each(rfc8785.dumps, data))
    ours_payload = median_rate(args.repeat, n, each(canonical_text, payloads))
    theirs_payload = median_rate(args.repeat, n, each(rfc8785.dumps, [dict(p) for p in payloads]))
    print(
        f"canonical JSON of {n:,} stored events, median of {args.repeat}; "
        f"Python {sys.version.split()[0]}, rfc8785 {getattr(rfc8785, '__version__', '?')}"
    )
    print(f"  {'measure':<58} {'events/s':>10} {'ratio':>7}")
    rows = [
        ("microgov encode_event(event), data model + checks", ours, None),
        ("rfc8785.dumps(data model), writer alone", theirs, ours),
        ("microgov canonical_text(payload) (the store's path)", ours_payload, None),
        ("rfc8785.dumps(payload)", theirs_payload, ours_payload),
    ]
    for label, rate, versus in rows:
        ratio = "" if versus is None else f"{versus / rate:>6.2f}x"
        print(f"  {label:<58} {rate:>10,.0f} {ratio:>7}")
    print("  (ratio: how many times faster microgov is)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
