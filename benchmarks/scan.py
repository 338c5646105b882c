"""Benchmark of the personal-number scanner and the audit exports on the demo season's log.

Usage::

    python benchmarks/scan.py               # the whole season, median of 5
    python benchmarks/scan.py --quick       # two areas' first 1,000 events, one run (smoke test)

The text is what the leak test scans: the demo season (``simulate_season(meilan_xihu(),
seed=2026)``, the same seed as ``microgov demo``) written with ``dumps_events`` (about
21 MB, 26,456 events), and each event's ``repr`` scanned one by one (many short texts:
the cost of a call).

Timed, each against the baseline in the same process:

* **microgov** ``scan_text(text)``: the core patterns searched without their leading
  look-behind, the full patterns tried only where a core matched; no full-width
  translation unless the text holds a full-width character;
* **baseline**: the scanner as first written (``tests/personal/_first_scanner.py``, the
  reference of the exactness test): the whole text translated
  from full-width, then ``finditer`` of each full pattern, look-behind first;
* ``redact_text(text)`` on the dump with numbers planted, against the baseline's pass
  plus the same splicing;
* ``dumps_events`` of the season (each event written as its stored text), against the
  first writer: each event's data model written by the generic canonical writer;
* ``export_stream`` of every stream of the season (each given its own events, as the
  leak test does), against the first export: ``json.dumps(..., indent=1)`` (its
  pure-Python encoder) and ``mask_text`` running its patterns on every string holding a
  digit, swapped in for the run.

Ratios are baseline time ÷ microgov time (above 1: microgov faster).  Times are
``time.perf_counter`` medians of ``--repeat`` runs.  Both must find the same numbers
(kind, span, masked form) in every text; the run fails (exit 1) if they do not
(``tests/personal/test_scan_exact.py`` checks it over random texts too).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import microgov.audit._export as export_module
from microgov.audit import AuditEvent, dumps_events, export_stream
from microgov.audit._canonical import jcs
from microgov.audit._event import event_data
from microgov.datasets import meilan_xihu
from microgov.personal import redact_text
from microgov.personal import scan_text as microgov_scan
from microgov.simulation import simulate_season

# -- the baseline: the first scanner (tests/personal/_first_scanner.py, also the reference
# of tests/personal/test_scan_exact.py) -----------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "personal"))
from _first_scanner import (
    reference_redact as baseline_redact,
)
from _first_scanner import (
    reference_scan as baseline_scan,
)


def baseline_mask_text(text: str) -> str:
    """``mask_text`` as first written: every string holding a digit runs the patterns."""
    if not any(c.isdigit() for c in text):
        return text
    identity, mobile = export_module._IDENTITY, export_module._MOBILE
    return redact_text(
        mobile.sub(export_module._mask_mobile, identity.sub(export_module._mask_identity, text))
    )


def baseline_dumps_events(events: list[AuditEvent]) -> str:
    """``dumps_events`` as first written: each event's data model through the writer."""
    body = ",\n".join(jcs(event_data(e, with_hash=True)).decode("utf-8") for e in events)
    return f'{{"format": "microgov.audit", "version": 1, "events": [\n{body}\n]}}'


def baseline_exports(by_stream: dict[str, list[AuditEvent]]) -> list[str]:
    writer = export_module._indented_json
    export_module._indented_json = lambda d: json.dumps(d, ensure_ascii=False, indent=1)
    try:
        return [export_stream(e, s, mask=baseline_mask_text) for s, e in by_stream.items()]
    finally:
        export_module._indented_json = writer


# -- timing ---------------------------------------------------------------------------

PLANTED = (
    "业主 11010519491231002X，电话 13812345678；或 138-1234-5678、+86 138 1234 5678、"
    "１３８１２３４５６７８，身份证 110105 19491231 002X"
)


def median_time(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="two areas, 1,000 events, one run")
    args = parser.parse_args(argv)
    areas = 2 if args.quick else None  # the quick smoke test simulates two areas only
    events = simulate_season(meilan_xihu(), seed=2026, areas=areas).store.read_all()
    if args.quick:
        events, args.repeat = events[:1_000], 1
    dump = dumps_events(events)
    reprs = [f"{e!r} {[str(v) for v in e.verdicts]}" for e in events]
    # The dump with numbers typed into it every ~100 kB (what a leak would look like).
    step = 100_000
    planted = "".join(f"{dump[i : i + step]} {PLANTED} " for i in range(0, len(dump), step))

    by_stream: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_stream.setdefault(event.stream, []).append(event)

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            f"scan_text(dumps_events(season)), {len(dump) / 1e6:.1f} MB",
            lambda: microgov_scan(dump),
            lambda: baseline_scan(dump),
        ),
        (
            f"scan_text of each event's repr, {len(reprs):,} texts",
            lambda: [microgov_scan(text) for text in reprs],
            lambda: [baseline_scan(text) for text in reprs],
        ),
        (
            "scan_text(dump with typed numbers every 100 kB)",
            lambda: microgov_scan(planted),
            lambda: baseline_scan(planted),
        ),
        (
            "redact_text(dump with typed numbers every 100 kB)",
            lambda: redact_text(planted),
            lambda: baseline_redact(planted),
        ),
        (
            f"dumps_events(season), {len(events):,} events",
            lambda: dumps_events(events),
            lambda: baseline_dumps_events(events),
        ),
        (
            f"export_stream of every stream, {len(by_stream)} streams",
            lambda: [export_stream(e, s) for s, e in by_stream.items()],
            lambda: baseline_exports(by_stream),
        ),
    ]
    print(
        f"personal-number scanner and audit exports on the demo season ({len(events):,} events), "
        f"median of {args.repeat}; Python {sys.version.split()[0]}"
    )
    print(f"  {'measure':<54} {'microgov':>9} {'baseline':>9} {'ratio':>7}")
    status = 0
    for label, ours, theirs in cases:
        ours_time, ours_result = median_time(args.repeat, ours)
        theirs_time, theirs_result = median_time(args.repeat, theirs)
        same = ours_result == theirs_result
        if not same:
            status = 1
        print(
            f"  {label:<54} {ours_time:>8.3f}s {theirs_time:>8.3f}s "
            f"{theirs_time / ours_time:>6.1f}x{'' if same else '  DIFFERENT results'}"
        )
    print("  (ratio: how many times faster microgov is; the results are compared every time)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
