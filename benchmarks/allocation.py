"""Benchmark of the allocation rules (:mod:`microgov.funds`) against pabutools 1.2.3.

Usage::

    python benchmarks/allocation.py                # Kraków 2024, Łódź 2022, Warszawa 2026
    python benchmarks/allocation.py --all          # all twelve shared elections
    python benchmarks/allocation.py --pabutools-python /path/to/venv/bin/python
    python benchmarks/allocation.py --quick        # small files, no pabutools, a few seconds

pabutools is a bench-only tool, never a dependency of microgov (it pulls in gurobipy, a
commercial solver).  It is run by the interpreter given with ``--pabutools-python``, else by
this interpreter if it can import pabutools; that interpreter needs pabutools 1.2.3 (with
gmpy2, its default exact fractions) but not microgov.  Without pabutools (and always with
``--quick``) the figures recorded in ``tests/data/pabulib/pabutools-1.2.3-results.json``
(one quiet run of each rule, each in its own subprocess) stand in for the baseline, and the
tables say so; with pabutools they are shown next to the live figures.

The elections are read from ``--data`` (default ``../shared/data/pabulib`` next to the
repository); ``--quick`` uses small real files of ``tests/data/pabulib/real/``.

Each (tool, election) runs in a fresh subprocess of this script, so that its peak RSS (VmHWM
from ``/proc/self/status``; ``ru_maxrss`` elsewhere) is its own: interpreter, imports,
parsing and both rules.  In it, each step is timed with ``time.perf_counter`` (wall; the
ratios and goals use it) and ``time.process_time`` (CPU time of the process, less disturbed
when other work shares the machine; shown for comparison):

* **parse**: microgov ``load_pabulib`` (read) + ``AllocationInstance.from_pabulib``
  (convert), against pabutools ``parse_pabulib`` (which builds its instance and profile);
  the previous repetition's objects are released first.
* **greedy**: ``greedy(instance)`` against ``greedy_utilitarian_welfare(instance, profile,
  sat_class=Cost_Sat)``.
* **MES**: ``equal_shares(instance)`` (cost utilities, no completion) against
  ``method_of_equal_shares(instance, profile, sat_class=Cost_Sat)``.

microgov's rule is timed on a freshly built ``AllocationInstance`` each repetition (built
untimed from the parsed election, with new ballot sets), since a rule compiles its instance
on every call: nothing computed by an earlier repetition helps a later one.  pabutools
reuses its parsed instance and profile across repetitions (re-parsing costs seconds), which
can only favour it.  The cyclic garbage collector stays on; ``gc.collect()`` runs before
each timed call.  Medians of ``--repeat`` runs for microgov (default 5) and of
``--pabutools-repeat`` runs for pabutools (default 1: one call takes 10–30 s and up to
2.4 GB on the large files; use 3 on a quiet machine).

The selections must be identical, project by project and in selection order (greedy and
MES, both tools, and the same on every repetition); each is printed OK or MISMATCH.  For
information, microgov's ``equal_shares(instance, completion="add1")`` (the cities'
``equalshares/add1``) is timed on Wieliczka 2023, Świecie 2023 and Assen 2024, and its
winners are checked against the file's ``selected`` column.

The goals (greedy ≥ 100× and MES ≥ 50× faster than pabutools, Łódź MES ≤ 0.6 s, a tenth of
the memory, identical selections) are printed "met" or "NOT met"; they are not asserted.
The exit status is 1 when answers disagree (a MISMATCH), 2 on a usage error (missing
data), 3 when a measuring subprocess fails or outlives ``--timeout`` (default 1800 s).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "pabulib" / "real"
RECORDED = REPO / "tests" / "data" / "pabulib" / "pabutools-1.2.3-results.json"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "pabulib"

MAIN_FILES = ("Poland_Krakow_2024.pb", "Poland_Lodz_2022.pb", "Poland_Warszawa_2026.pb")
ADD1_FILES = (
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Swiecie_2023.pb",
    "Netherlands_Assen_2024.pb",
)
QUICK_FILES = ("Netherlands_Assen_2024.pb", "Poland_Wieliczka_2023_Green_Budget.pb")
QUICK_ADD1 = ("Netherlands_Assen_2024.pb",)
LODZ = "Poland_Lodz_2022.pb"
NAMES = {
    "Poland_Krakow_2024.pb": "Kraków 2024",
    "Poland_Lodz_2022.pb": "Łódź 2022",
    "Poland_Warszawa_2026.pb": "Warszawa 2026",
    "Poland_Katowice_2023.pb": "Katowice 2023",
    "Poland_Wieliczka_2023_Green_Budget.pb": "Wieliczka 2023",
    "Poland_Swiecie_2023.pb": "Świecie 2023",
    "Netherlands_Assen_2024.pb": "Assen 2024",
    "Poland_Warszawa_2018_rejon_6.pb": "Warszawa 2018 r6",
    "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb": "Warszawa 2017 PWP",
    "poland_czestochowa_2020_grabowka.pb": "Częstochowa 2020",
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb": "Dieppe 2018",
    "Switzerland_Zurich_S5R.pb": "Zürich S5R",
}

RULES = ("greedy", "mes")
STEPS = ("parse", *RULES)
LABELS = {
    "parse": "parse (read + convert)",
    "read": "  of which read",
    "convert": "  of which convert",
    "greedy": "greedy (cost sat.)",
    "mes": "MES (cost, no completion)",
    "mes-add1": "MES add1",
}
RECORDED_TASKS = {"greedy": "greedy_cost", "mes": "mes_cost"}

GOAL_GREEDY_RATIO = 100.0
GOAL_MES_RATIO = 50.0
GOAL_LODZ_MES_S = 0.6
GOAL_MEMORY_RATIO = 10.0

# One figure: {"wall": [seconds per run], "cpu": [seconds per run]} ("cpu" may be absent).
Timing = dict[str, list[float]]


def short(name: str) -> str:
    return NAMES.get(name, Path(name).stem)


# --------------------------------------------------------------------------- children


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # not on every platform

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def timed_call(timing: Timing, fn: Callable[[], Any]) -> Any:
    """Call ``fn`` after a full collection, append its wall and CPU seconds, return its result."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    timing["wall"].append(time.perf_counter() - wall)
    timing["cpu"].append(time.process_time() - cpu)
    return result


def new_timing() -> Timing:
    return {"wall": [], "cpu": []}


def child_microgov(path: Path, repeat: int, rules: Sequence[str]) -> dict[str, Any]:
    """Parse and run the rules with microgov; the figures of one (microgov, file) run."""
    rss_start = peak_rss_mib()
    from microgov import __version__
    from microgov.funds import AllocationInstance, equal_shares, greedy, load_pabulib

    rss_imports = peak_rss_mib()
    timings = {"read": new_timing(), "convert": new_timing()}
    election: Any = None
    instance: Any = None
    for _ in range(repeat):
        election = instance = None
        election = timed_call(timings["read"], partial(load_pabulib, path))
        instance = timed_call(
            timings["convert"], partial(AllocationInstance.from_pabulib, election)
        )
    timings["parse"] = {
        kind: [a + b for a, b in zip(timings["read"][kind], timings["convert"][kind], strict=True)]
        for kind in ("wall", "cpu")
    }
    rss_parse = peak_rss_mib()
    functions: dict[str, Callable[[Any], Any]] = {
        "greedy": greedy,
        "mes": equal_shares,
        "mes-add1": partial(equal_shares, completion="add1"),
    }
    selections: dict[str, list[list[str]]] = {}
    per_voter: dict[str, float] = {}
    for rule in rules:
        timings[rule] = new_timing()
        selections[rule] = []
        for _ in range(repeat):
            instance = None
            gc.collect()
            instance = AllocationInstance.from_pabulib(election)  # fresh: nothing cached
            allocation = timed_call(timings[rule], partial(functions[rule], instance))
            selections[rule].append(list(allocation.selected))
            if allocation.per_voter_budget is not None:
                per_voter[rule] = float(allocation.per_voter_budget)
            allocation = None
    official = election.selected
    return {
        "tool": "microgov",
        "version": __version__,
        "file": path.name,
        "projects": len(election.projects),
        "voters": len(election.voters),
        "vote_type": election.vote_type,
        "file_rule": election.rule,
        "official": None if official is None else sorted(official),
        "timings": timings,
        "selections": selections,
        "per_voter_budget": per_voter,
        "rss_start": rss_start,
        "rss_imports": rss_imports,
        "rss_parse": rss_parse,
        "rss_peak": peak_rss_mib(),
    }


def child_pabutools(path: Path, repeat: int, rules: Sequence[str]) -> dict[str, Any]:
    """Parse and run the rules with pabutools; the figures of one (pabutools, file) run."""
    rss_start = peak_rss_mib()
    from pabutools import fractions as pab_fractions
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    rss_imports = peak_rss_mib()
    timings = {"parse": new_timing()}
    parsed: Any = None
    for _ in range(repeat):
        parsed = None
        parsed = timed_call(timings["parse"], partial(parse_pabulib, str(path)))
    rss_parse = peak_rss_mib()
    instance, profile = parsed
    functions: dict[str, Callable[[], Any]] = {
        "greedy": partial(greedy_utilitarian_welfare, instance, profile, sat_class=Cost_Sat),
        "mes": partial(method_of_equal_shares, instance, profile, sat_class=Cost_Sat),
    }
    selections: dict[str, list[list[str]]] = {}
    for rule in rules:
        timings[rule] = new_timing()
        selections[rule] = []
        for _ in range(repeat):
            allocation = timed_call(timings[rule], functions[rule])
            selections[rule].append([str(p.name) for p in allocation])
            allocation = None
    return {
        "tool": "pabutools",
        "version": metadata.version("pabutools"),
        "fractions": str(getattr(pab_fractions, "FRACTION", "?")),
        "gmpy2": _version_or_none("gmpy2"),
        "file": path.name,
        "timings": timings,
        "selections": selections,
        "rss_start": rss_start,
        "rss_imports": rss_imports,
        "rss_parse": rss_parse,
        "rss_peak": peak_rss_mib(),
    }


def _version_or_none(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


class ChildFailed(Exception):
    """A measuring subprocess exited with an error."""


def run_child(
    python: str,
    tool: str,
    path: Path,
    repeat: int,
    rules: Sequence[str],
    tmp: Path,
    timeout: float | None,
) -> dict[str, Any]:
    """Run one (tool, file) in a fresh subprocess and return its figures."""
    out = tmp / f"{tool}-{path.name}.json"
    cmd = [python, str(Path(__file__).resolve()), "--child", tool, "--file", str(path)]
    cmd += ["--repeat", str(repeat), "--rules", ",".join(rules), "--results-file", str(out)]
    try:
        done = subprocess.run(cmd, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ChildFailed(f"{tool} on {path.name} took over {timeout:g} s; stopped") from None
    if done.returncode != 0:
        raise ChildFailed(f"{tool} on {path.name} failed (exit status {done.returncode})")
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


# --------------------------------------------------------------------------- baselines


def recorded_baseline(reference: dict[str, Any], name: str) -> dict[str, Any] | None:
    """pabutools' figures for ``name`` as recorded in the reference file, if there."""
    for entry in reference.get("instances", ()):
        if entry["file"] != name:
            continue
        timings: dict[str, Timing] = {"parse": {"wall": [entry["parse_s"]]}}
        selections: dict[str, list[list[str]]] = {}
        peaks: list[float] = []
        for rule, task in RECORDED_TASKS.items():
            result = entry["results"][task]
            timings[rule] = {"wall": [result["rule_s"]]}
            selections[rule] = [result["selected_in_order"]]
            peaks.append(result["maxrss_mb"])
        return {
            "tool": "pabutools (recorded)",
            "version": reference["env"]["pabutools"],
            "file": name,
            "timings": timings,
            "selections": selections,
            "rss_peak": max(peaks),  # one subprocess per rule, each parse + that rule
        }
    return None


def pabutools_python(args: argparse.Namespace) -> str | None:
    """The interpreter that runs pabutools, or None to use the recorded figures."""
    if args.no_pabutools:
        return None
    if args.pabutools_python:
        return str(args.pabutools_python)
    if args.quick:
        return None
    if importlib.util.find_spec("pabutools") is not None:
        return sys.executable
    return None


# --------------------------------------------------------------------------- reporting


def median(timing: Timing | None, kind: str = "wall") -> float | None:
    if timing is None or not timing.get(kind):
        return None
    return statistics.median(timing[kind])


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds:.3f} s"


def fmt_mib(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MiB"


def ratio(baseline: float | None, mine: float | None) -> float | None:
    if baseline is None or mine is None or baseline <= 0 or mine <= 0:
        return None
    return baseline / mine


def fmt_ratio(value: float | None) -> str:
    """A ratio, rounded down (so a shown 10.0× is at least 10, as the goals test)."""
    if value is None:
        return "—"
    if value >= 100:
        return f"{math.floor(value)}×"
    if value < 1:
        return f"{math.floor(value * 100) / 100:.2f}×"
    return f"{math.floor(value * 10) / 10:.1f}×"


def compare(mine: dict[str, Any], theirs: dict[str, Any] | None, rule: str) -> tuple[bool, str]:
    """(agree, text) for one rule: microgov's selection against the baseline's, in order."""
    ours = mine["selections"][rule]
    if any(s != ours[0] for s in ours):
        return False, "MISMATCH (microgov differs between repetitions)"
    if theirs is None:
        return True, f"{len(ours[0])} projects (no baseline to compare with)"
    other = theirs["selections"][rule]
    if any(s != other[0] for s in other):
        return False, "MISMATCH (pabutools differs between repetitions)"
    if ours[0] == other[0]:
        return True, f"OK ({len(ours[0])} projects, same order)"
    if sorted(ours[0]) == sorted(other[0]):
        return False, "MISMATCH (same projects, different order)"
    only_ours = sorted(set(ours[0]) - set(other[0]))
    only_theirs = sorted(set(other[0]) - set(ours[0]))
    return False, (
        f"MISMATCH (microgov {len(ours[0])} projects, pabutools {len(other[0])}; only "
        f"microgov: {few(only_ours)}; only pabutools: {few(only_theirs)})"
    )


def few(ids: Sequence[str], shown: int = 8) -> str:
    """Some project ids for a message: ``1, 2, 3 … (+5 more)``."""
    if not ids:
        return "none"
    more = f" … (+{len(ids) - shown} more)" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def print_file(
    mine: dict[str, Any], theirs: dict[str, Any] | None, recorded: dict[str, Any] | None
) -> dict[str, Any]:
    """Print one election's block and return its summary row.

    ``theirs`` is the live pabutools run (or the recorded figures when not run);
    ``recorded`` the recorded figures shown beside a live run (None otherwise).
    """
    name = mine["file"]
    n_mine = len(mine["timings"]["parse"]["wall"])
    print(
        f"\n=== {short(name)} ({name}): {mine['projects']} projects, {mine['voters']:,} voters, "
        f"{mine['vote_type']} ==="
    )
    label = "pabutools" if theirs is None else theirs["tool"]
    if theirs is not None:
        label += f" ×{len(theirs['timings']['parse']['wall'])}"
    has_cpu = theirs is not None and "cpu" in theirs["timings"]["parse"]
    head = f"  {'wall time':<26} {'microgov ×' + str(n_mine):>13} {label:>24} {'ratio':>7}"
    head += f" │ {'CPU: microgov':>13}"
    if has_cpu:
        head += f" {'pabutools':>10} {'ratio':>7}"
    if recorded is not None:
        head += f" │ {'recorded pabutools':>18} {'ratio':>7}"
    print(head)
    row: dict[str, Any] = {"file": name, "agree": True}
    for step in (*STEPS[:1], "read", "convert", *STEPS[1:]):
        mine_t = mine["timings"][step]
        theirs_t = None if theirs is None else theirs["timings"].get(step)
        m, t = median(mine_t), median(theirs_t)
        mc, tc = median(mine_t, "cpu"), median(theirs_t, "cpu")
        text = f"  {LABELS[step]:<26} {fmt_s(m):>13}"
        if step in STEPS:
            rec = None if recorded is None else median(recorded["timings"][step])
            row[step] = {"mg": m, "pb": t, "cpu": ratio(tc, mc), "rec": ratio(rec, m)}
            text += f" {fmt_s(t):>24} {fmt_ratio(ratio(t, m)):>7}"
            text += f" │ {fmt_s(mc):>13}"
            if has_cpu:
                text += f" {fmt_s(tc):>10} {fmt_ratio(ratio(tc, mc)):>7}"
            if recorded is not None:
                text += f" │ {fmt_s(rec):>18} {fmt_ratio(ratio(rec, m)):>7}"
            if n_mine > 1:
                walls = mine_t["wall"]
                text += f"   microgov min {fmt_s(min(walls))}, max {fmt_s(max(walls))}"
        print(text)
    m_rss = mine["rss_peak"]
    t_rss = None if theirs is None else theirs["rss_peak"]
    rec_rss = None if recorded is None else recorded["rss_peak"]
    row["rss"] = {"mg": m_rss, "pb": t_rss, "rec": ratio(rec_rss, m_rss)}
    text = f"  {'peak RSS (parse + rules)':<26} {fmt_mib(m_rss):>13} {fmt_mib(t_rss):>24}"
    text += f" {fmt_ratio(ratio(t_rss, m_rss)):>7}"
    if recorded is not None:
        text += f" │ {'':>32} │ {fmt_mib(rec_rss):>18} {fmt_ratio(ratio(rec_rss, m_rss)):>7}"
    print(text)
    print(
        f"  {'':<26} microgov: {mine['rss_imports']:.0f} MiB after imports, "
        f"{mine['rss_parse']:.0f} MiB after parsing"
        + (
            ""
            if theirs is None or "rss_imports" not in theirs
            else f"; pabutools: {theirs['rss_imports']:.0f} MiB after imports, "
            f"{theirs['rss_parse']:.0f} MiB after parsing"
        )
    )
    for rule in RULES:
        agree, text = compare(mine, theirs, rule)
        row["agree"] = row["agree"] and agree
        print(f"  {'selection, ' + LABELS[rule]:<38} {text}")
    return row


def print_summary(rows: Sequence[dict[str, Any]], source: str) -> None:
    print(f"\n=== summary: medians of wall time; ratio = {source} / microgov ===")
    print(
        f"  {'election':<18} {'parse mg':>9} {'pb':>8} {'×':>5} │ {'greedy mg':>9} {'pb':>8} "
        f"{'×':>5} {'×CPU':>5} │ {'MES mg':>8} {'pb':>8} {'×':>5} {'×CPU':>5} │ "
        f"{'RSS mg':>8} {'pb':>9} {'×':>5} │ same"
    )
    for row in rows:
        cells = [f"  {short(row['file']):<18}"]
        p = row["parse"]
        cells.append(
            f" {fmt_s(p['mg']):>9} {fmt_s(p['pb']):>8} {fmt_ratio(ratio(p['pb'], p['mg'])):>5} │"
        )
        for key, width in (("greedy", 9), ("mes", 8)):
            r = row[key]
            cells.append(
                f" {fmt_s(r['mg']):>{width}} {fmt_s(r['pb']):>8} "
                f"{fmt_ratio(ratio(r['pb'], r['mg'])):>5} {fmt_ratio(r['cpu']):>5} │"
            )
        m = row["rss"]
        cells.append(
            f" {fmt_mib(m['mg']):>8} {fmt_mib(m['pb']):>9} "
            f"{fmt_ratio(ratio(m['pb'], m['mg'])):>5} │"
        )
        cells.append(" OK" if row["agree"] else " MISMATCH")
        print("".join(cells))


def print_goals(rows: Sequence[dict[str, Any]], source: str, live: bool) -> None:
    print(f"\n=== goals (against {source}) ===")
    extra = f" {'CPU time':>9} {'vs recorded':>12}" if live else ""
    print(f"  {'goal':<40} {'election':<14} {'measured':>9}{extra}  result")

    def show(goal: str, name: str, measured: str, met: bool | None, more: str = "") -> None:
        status = "n/a (no baseline)" if met is None else ("met" if met else "NOT met")
        print(f"  {goal:<40} {name:<14} {measured:>9}{more}  {status}")

    goal_rows = [r for r in rows if r["file"] in MAIN_FILES]
    if not goal_rows:
        print(
            "  (the speed and memory goals are stated for Kraków 2024, Łódź 2022 and "
            "Warszawa 2026, not run here)"
        )
    for key, goal, limit in (
        ("greedy", f"greedy ≥ {GOAL_GREEDY_RATIO:g}× faster than pabutools", GOAL_GREEDY_RATIO),
        ("mes", f"MES ≥ {GOAL_MES_RATIO:g}× faster than pabutools", GOAL_MES_RATIO),
        ("rss", f"peak RSS ≤ 1/{GOAL_MEMORY_RATIO:g} of pabutools's", GOAL_MEMORY_RATIO),
    ):
        for row in goal_rows:
            figures = row[key]
            r = ratio(figures["pb"], figures["mg"])
            more = ""
            if live:
                more = f" {fmt_ratio(figures.get('cpu')):>9} {fmt_ratio(figures['rec']):>12}"
            show(goal, short(row["file"]), fmt_ratio(r), None if r is None else r >= limit, more)
    for row in rows:
        if row["file"] == LODZ:
            m = row["mes"]["mg"]
            show(
                f"Łódź MES ≤ {GOAL_LODZ_MES_S:g} s (microgov)",
                short(LODZ),
                fmt_s(m),
                m <= GOAL_LODZ_MES_S,
                " " * len(extra),
            )
    agree = all(row["agree"] for row in rows)
    show(
        "identical selections (greedy, MES)",
        f"all {len(rows)}",
        "OK" if agree else "MISMATCH",
        agree,
        " " * len(extra),
    )


def print_add1(results: Sequence[dict[str, Any]]) -> bool:
    """Print the add1 timings; True if every winner set equals the file's ``selected``."""
    print("\n=== for information: microgov MES add1 (equal_shares(..., completion='add1')) ===")
    print(
        f"  {'election':<16} {'file rule':<28} {'median':>9} {'CPU':>9}  {'per-voter budget':>16}"
        f"  {'projects':>8}  file's selected"
    )
    all_same = True
    for r in results:
        timing = r["timings"]["mes-add1"]
        winners = r["selections"]["mes-add1"]
        stable = all(w == winners[0] for w in winners)
        if r["official"] is None:
            check = "— (no selected column)"
        elif stable and sorted(winners[0]) == r["official"]:
            check = "same"
        else:
            check = "MISMATCH"
            all_same = False
        per_voter = r["per_voter_budget"].get("mes-add1", 0.0)
        print(
            f"  {short(r['file']):<16} {r['file_rule'] or '—':<28} {fmt_s(median(timing)):>9} "
            f"{fmt_s(median(timing, 'cpu')):>9}  {per_voter:>16,.2f}  {len(winners[0]):>8}  {check}"
        )
    return all_same


# --------------------------------------------------------------------------- main


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def child_main(args: argparse.Namespace) -> int:
    rules = [r for r in args.rules.split(",") if r]
    path = Path(args.file)
    if args.child == "microgov":
        figures = child_microgov(path, args.repeat, rules)
    else:
        figures = child_pabutools(path, args.repeat, rules)
    Path(args.results_file).write_text(json.dumps(figures), encoding="utf-8")
    return 0


def resolve(data: Path, names: Sequence[str]) -> list[Path] | None:
    """The files, from ``data`` or else from the test corpus; None (and a message) if missing."""
    paths = [data / n if (data / n).exists() else SMALL / n for n in names]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        print(f"error: {', '.join(missing)} not found in {data}", file=sys.stderr)
        return None
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA if DEFAULT_DATA.is_dir() else None,
        help="the directory of the shared .pb files (default: ../shared/data/pabulib)",
    )
    parser.add_argument("--all", action="store_true", help="every .pb file of --data")
    parser.add_argument("--repeat", type=int, default=None, help="microgov runs (default 5)")
    parser.add_argument(
        "--pabutools-repeat", type=int, default=1, help="pabutools runs (default 1)"
    )
    parser.add_argument(
        "--pabutools-python", help="an interpreter with pabutools 1.2.3 (need not have microgov)"
    )
    parser.add_argument(
        "--no-pabutools", action="store_true", help="compare with the recorded figures only"
    )
    parser.add_argument("--no-add1", action="store_true", help="skip the add1 timings")
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds allowed to each measuring subprocess (default 1800)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small files, one run, no pabutools (smoke test)"
    )
    parser.add_argument("--child", choices=("microgov", "pabutools"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--rules", default=",".join(RULES), help=argparse.SUPPRESS)
    parser.add_argument("--results-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.repeat = args.repeat or 1
        return child_main(args)

    repeat = args.repeat or (1 if args.quick else 5)
    pab_repeat = args.pabutools_repeat
    if repeat < 1 or pab_repeat < 1:
        parser.error("--repeat and --pabutools-repeat must be at least 1")
    if args.quick:
        files = resolve(SMALL, QUICK_FILES)
        add1_files = resolve(SMALL, QUICK_ADD1)
    else:
        if args.data is None:
            parser.error(f"no data directory (give --data; {DEFAULT_DATA} does not exist)")
        if not args.data.is_dir():
            parser.error(f"--data {args.data} is not a directory")
        names = MAIN_FILES
        if args.all:
            found = sorted(args.data.glob("*.pb"), key=lambda p: p.stat().st_size)
            names = tuple(p.name for p in found)
        files = resolve(args.data, names)
        add1_files = resolve(args.data, ADD1_FILES)
    if files is None or add1_files is None:
        return 2
    if args.no_add1:
        add1_files = []
    # --quick runs add1 in the same subprocess as greedy and MES (one interpreter start less)
    merged = set(add1_files) & set(files) if args.quick else set()

    reference = json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.exists() else {}
    pab_python = pabutools_python(args)
    timeout = args.timeout if args.timeout > 0 else None
    import microgov

    print(
        f"microgov allocation benchmark — microgov {microgov.__version__} "
        f"({Path(microgov.__file__).parent}), Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load_average()}"
    )
    env = reference.get("env", {})
    recorded_note = (
        f"recorded on {reference.get('generated', '?')} (pabutools {env.get('pabutools', '?')}, "
        f"{env.get('fractions', '?')}, one run each)"
    )
    if pab_python is None:
        source = "pabutools (recorded)"
        print(f"pabutools: not run; its figures {recorded_note} stand in")
    else:
        source = "pabutools"
        print(
            f"pabutools: run by {pab_python}, median of {pab_repeat} run(s) per figure; "
            f"its figures {recorded_note} shown beside"
        )
    print(
        f"microgov: median of {repeat} run(s) per figure; each (tool, election) in a fresh "
        f"subprocess (its peak RSS is its own)"
    )
    sys.stdout.flush()

    rows: list[dict[str, Any]] = []
    add1_results: list[dict[str, Any]] = []
    pab_versions: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        try:
            for path in files:
                rules = (*RULES, "mes-add1") if path in merged else RULES
                mine = run_child(sys.executable, "microgov", path, repeat, rules, tmp, timeout)
                if "mes-add1" in mine["selections"]:
                    add1_results.append(mine)
                recorded = recorded_baseline(reference, path.name)
                if pab_python is None:
                    rows.append(print_file(mine, recorded, None))
                else:
                    theirs = run_child(
                        pab_python, "pabutools", path, pab_repeat, RULES, tmp, timeout
                    )
                    pab_versions.add(
                        f"pabutools {theirs['version']}, fractions {theirs['fractions']}, "
                        f"gmpy2 {theirs['gmpy2']}"
                    )
                    rows.append(print_file(mine, theirs, recorded))
                sys.stdout.flush()
            for path in add1_files:
                if path not in merged:
                    add1_results.append(
                        run_child(
                            sys.executable, "microgov", path, repeat, ("mes-add1",), tmp, timeout
                        )
                    )
        except ChildFailed as failure:
            print(f"\n{failure}")
            return 3
    if pab_versions:
        print(f"\n(pabutools side: {'; '.join(sorted(pab_versions))})")
    print_summary(rows, source)
    add1_same = print_add1(add1_results) if add1_results else True
    print_goals(rows, source, live=pab_python is not None)
    print(f"\nload average at the end: {load_average()}")
    agree = all(row["agree"] for row in rows) and add1_same
    print("answers: " + ("all selections agree" if agree else "MISMATCH — see above"))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
