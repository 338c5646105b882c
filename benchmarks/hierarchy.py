"""Benchmark of the governance graph core (:mod:`microgov.hierarchy`) at city and national scale.

Usage::

    python benchmarks/hierarchy.py                       # both scales (the default)
    python benchmarks/hierarchy.py --scale city --repeat 5
    python benchmarks/hierarchy.py --quick               # tiny graphs, a few seconds (smoke test)
    python benchmarks/hierarchy.py --scale national --profile   # cProfile of the build

Two synthetic graphs come from one seeded :class:`random.Random` (``--seed``, default 2026):

* **city**: a Shanghai-like city (上海市, code 310100) with its 16 real districts (GB/T 2260
  codes 310101…310151), about 215 towns (9-digit codes, 街道 001–099 and 镇 101–199), about
  6,000 residential areas (12-digit codes, committee 001–199, then 400–499), 3–4 micro-grids
  per area (15-digit codes) and 8–14 building groups per grid (no code) carrying the
  household and resident counts: about 260,000 nodes.
* **national**: a nation root over the 31 mainland provinces (real prefixes 11–65), 3
  cities per province, 3–5 districts per city, 4–6 towns per district, 10–15 areas per
  town, then grids and building groups as above: about 1,000,000 nodes.

Every node is ``synthetic=True``.  The graphs must validate with no problem (asserted).

What is timed (``time.perf_counter``, median of ``--repeat`` runs):

* (a) constructing the :class:`~microgov.hierarchy.Node` objects from plain tuples (the
  generation of those tuples is not timed) and (b) ``Hierarchy(nodes)``, which builds and
  validates (and builds the pre-order index that ``is_within`` and ``rollup`` use); (c) the
  first ``is_within``, which would include building that index were it built lazily.  For
  reference only, building the networkx ``DiGraph`` of the same tree (no validation at all)
  is timed once.
* 100,000 ``is_within`` checks on random (node, container) pairs, half of them true, against
  the naive networkx baselines on the same ``DiGraph`` (edges parent → child): (i) walking
  up with ``G.predecessors`` until the container or the root, (ii) ``nx.has_path`` from the
  container to the node (slow: 1,000 pairs, scaled per check).  All three must give the
  expected answer on every pair (asserted).
* ``rollup("households")`` and ``rollup(callable)`` over the whole graph, against the same
  totals accumulated over ``nx.dfs_postorder_nodes``; the results must be equal (asserted).
* Peak RSS (``ru_maxrss``) right after the build phase and at the end.  With ``--scale both``
  each scale runs in its own subprocess of this script, so each peak is that scale's own.

The last table compares the results with the goals.  The exit status is 0 whether or not a
goal is met; it is non-zero only if an assertion (the answers disagree) fails.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import networkx as nx

from microgov.hierarchy import Hierarchy, Level, Node, validate

if TYPE_CHECKING:
    DiGraph = nx.DiGraph[str]
else:
    DiGraph = nx.DiGraph

T = TypeVar("T")

# One node before construction: id, level, name, parent, code, households, residents.
Spec = tuple[str, Level, str, str | None, str | None, int, int]

# GB/T 2260 province-level prefixes of mainland China, with their names.
PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}

# The 16 districts of Shanghai (GB/T 2260 codes in force since 2016).
SHANGHAI_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("310101", "黄浦区"),
    ("310104", "徐汇区"),
    ("310105", "长宁区"),
    ("310106", "静安区"),
    ("310107", "普陀区"),
    ("310109", "虹口区"),
    ("310110", "杨浦区"),
    ("310112", "闵行区"),
    ("310113", "宝山区"),
    ("310114", "嘉定区"),
    ("310115", "浦东新区"),
    ("310116", "金山区"),
    ("310117", "松江区"),
    ("310118", "青浦区"),
    ("310120", "奉贤区"),
    ("310151", "崇明区"),
)

GOAL_BUILD_S = 10.0
GOAL_RSS_MB = 2048.0
GOAL_WITHIN_US = 2.0
GOAL_WITHIN_RATIO = 100.0
GOAL_ROLLUP_S = 1.0


class Sizes(NamedTuple):
    """Inclusive (low, high) ranges of children per parent, level by level."""

    provinces: int  # national only: how many of PROVINCES
    cities: tuple[int, int]  # national only
    districts: tuple[int, int]  # national: per city; city scale: how many of SHANGHAI_DISTRICTS
    towns: tuple[int, int]
    areas: tuple[int, int]
    grids: tuple[int, int]
    buildings: tuple[int, int]
    pairs: int  # is_within checks
    path_pairs: int  # of which checked with nx.has_path


CITY = Sizes(0, (0, 0), (16, 16), (11, 16), (24, 32), (3, 4), (8, 14), 100_000, 1_000)
NATIONAL = Sizes(31, (3, 3), (3, 5), (4, 6), (10, 15), (3, 4), (8, 14), 100_000, 1_000)
CITY_QUICK = Sizes(0, (0, 0), (1, 1), (2, 3), (3, 5), (3, 4), (8, 14), 2_000, 200)
NATIONAL_QUICK = Sizes(2, (1, 2), (2, 2), (2, 2), (3, 3), (3, 4), (8, 14), 2_000, 200)


# --------------------------------------------------------------------------- generation


def _committee_segment(k: int) -> int:
    """The committee part of the k-th area of a town: 001–199 居委会, then 400–499 类似居委会."""
    if k <= 199:
        return k
    if k <= 299:
        return 400 + (k - 200)
    raise ValueError(f"a town cannot hold {k} residential areas in this scheme")


def _grow_district(
    specs: list[Spec], rng: random.Random, sizes: Sizes, district_id: str, code: str, name: str
) -> None:
    """Append the towns of a district and everything below them."""
    n_towns = rng.randint(*sizes.towns)
    n_sub = rng.randint(n_towns // 3, (2 * n_towns) // 3)  # 街道 001–, the rest 镇 101–
    for t in range(1, n_towns + 1):
        if t <= n_sub:
            seg, town_name = t, f"{name}第{t}街道"
        else:
            seg, town_name = 100 + t - n_sub, f"{name}第{t - n_sub}镇"
        town_code = f"{code}{seg:03d}"
        town_id = f"t-{town_code}"
        specs.append((town_id, Level.TOWN, town_name, district_id, town_code, 0, 0))
        for a in range(1, rng.randint(*sizes.areas) + 1):
            area_code = f"{town_code}{_committee_segment(a):03d}"
            area_id = f"a-{area_code}"
            specs.append(
                (
                    area_id,
                    Level.RESIDENTIAL_AREA,
                    f"{town_name}{a}号居委会",
                    town_id,
                    area_code,
                    0,
                    0,
                )
            )
            for g in range(1, rng.randint(*sizes.grids) + 1):
                grid_code = f"{area_code}{g:03d}"
                grid_id = f"g-{grid_code}"
                specs.append((grid_id, Level.MICRO_GRID, f"{g}号微网格", area_id, grid_code, 0, 0))
                for b in range(1, rng.randint(*sizes.buildings) + 1):
                    households = rng.randint(20, 120)
                    residents = households * rng.randint(220, 290) // 100
                    specs.append(
                        (
                            f"b-{grid_code}-{b:02d}",
                            Level.BUILDING_GROUP,
                            f"{b}号楼组",
                            grid_id,
                            None,
                            households,
                            residents,
                        )
                    )


def generate(scale: str, sizes: Sizes, rng: random.Random) -> list[Spec]:
    """The nodes of one synthetic graph, root first, as plain tuples."""
    specs: list[Spec] = []
    if scale == "city":
        root = "c-310100"
        specs.append((root, Level.CITY, "上海市", None, "310100", 0, 0))
        for code, name in SHANGHAI_DISTRICTS[: sizes.districts[1]]:
            district_id = f"d-{code}"
            specs.append((district_id, Level.DISTRICT, name, root, code, 0, 0))
            _grow_district(specs, rng, sizes, district_id, code, name)
        return specs
    specs.append(("CN", Level.NATION, "中华人民共和国", None, None, 0, 0))
    for prefix, province in list(PROVINCES.items())[: sizes.provinces]:
        province_id = f"p-{prefix}"
        specs.append((province_id, Level.PROVINCE, province, "CN", f"{prefix}0000", 0, 0))
        for c in range(1, rng.randint(*sizes.cities) + 1):
            city_code = f"{prefix}{c:02d}00"
            city_id = f"c-{city_code}"
            city_name = f"{province}第{c}市"
            specs.append((city_id, Level.CITY, city_name, province_id, city_code, 0, 0))
            for d in range(1, rng.randint(*sizes.districts) + 1):
                code = f"{city_code[:4]}{d:02d}"
                district_id = f"d-{code}"
                name = f"{city_name}第{d}区"
                specs.append((district_id, Level.DISTRICT, name, city_id, code, 0, 0))
                _grow_district(specs, rng, sizes, district_id, code, name)
    return specs


def make_nodes(specs: Sequence[Spec]) -> list[Node]:
    """Construct the :class:`Node` objects: step (a) of the build."""
    return [
        Node(
            id=i,
            level=level,
            name=name,
            parent=parent,
            code=code,
            households=households,
            residents=residents,
            synthetic=True,
        )
        for i, level, name, parent, code, households, residents in specs
    ]


def make_pairs(
    specs: Sequence[Spec], count: int, rng: random.Random
) -> tuple[list[tuple[str, str]], list[bool]]:
    """Random (node, container) pairs, about half true, with the expected answers.

    The node is drawn uniformly (so mostly building groups); the container is one of its
    ancestors or itself (the root excluded), or, for a false pair, another node of that
    same level.
    """
    parent_of = {s[0]: s[3] for s in specs}
    level_of = {s[0]: s[1] for s in specs}
    by_level: dict[Level, list[str]] = {}
    for s in specs:
        by_level.setdefault(s[1], []).append(s[0])
    pairs: list[tuple[str, str]] = []
    expected: list[bool] = []
    n = len(specs)
    while len(pairs) < count:
        node = specs[rng.randrange(1, n)][0]
        chain = [node]
        parent = parent_of[node]
        while parent is not None and parent_of[parent] is not None:
            chain.append(parent)
            parent = parent_of[parent]
        anchor = rng.choice(chain)
        pool = by_level[level_of[anchor]]
        if rng.random() < 0.5 or len(pool) == 1:
            pairs.append((node, anchor))
            expected.append(True)
        else:
            other = anchor
            while other == anchor:
                other = rng.choice(pool)
            pairs.append((node, other))
            expected.append(False)
    return pairs, expected


# --------------------------------------------------------------------------- baselines


def nx_graph(specs: Sequence[Spec], nodes: Sequence[Node]) -> DiGraph:
    """The same tree as a networkx DiGraph, edges parent → child."""
    graph: DiGraph = nx.DiGraph()
    for spec, node in zip(specs, nodes, strict=True):
        graph.add_node(spec[0], node=node, households=spec[5])
    graph.add_edges_from((s[3], s[0]) for s in specs if s[3] is not None)
    return graph


def nx_is_within(graph: DiGraph, node: str, container: str) -> bool:
    """Baseline (i): walk up with ``predecessors`` until the container or the root."""
    predecessors = graph.predecessors
    current: str | None = node
    while current is not None:
        if current == container:
            return True
        current = next(predecessors(current), None)
    return False


def nx_rollup(graph: DiGraph, root: str, own: Callable[[str], Any]) -> dict[str, Any]:
    """Baseline rollup: children's totals accumulated over a depth-first post-order."""
    totals: dict[str, Any] = {}
    successors = graph.successors
    for n in nx.dfs_postorder_nodes(graph, root):
        acc = own(n)
        for child in successors(n):
            value = totals.get(child)
            if value is not None:
                acc = value if acc is None else acc + value
        if acc is not None:
            totals[n] = acc
    return totals


# --------------------------------------------------------------------------- measuring


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Seconds taken by ``fn()`` and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_of(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    """Median seconds of ``repeat`` calls of ``fn`` and the last result."""
    times: list[float] = []
    result: T
    for _ in range(repeat):
        seconds, result = timed(fn)
        times.append(seconds)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check_all(fn: Callable[[str, str], bool], pairs: Sequence[tuple[str, str]]) -> list[bool]:
    return [fn(a, b) for a, b in pairs]


def run_scale(scale: str, sizes: Sizes, seed: int, repeat: int) -> dict[str, Any]:
    """Generate, build and query one scale; print its report and return the figures."""
    rng = random.Random(seed)
    rss_start = peak_rss_mb()
    gen_s, specs = timed(lambda: generate(scale, sizes, rng))
    counts: dict[str, int] = {}
    for s in specs:
        counts[s[1].key] = counts.get(s[1].key, 0) + 1
    n = len(specs)
    rss_generated = peak_rss_mb()
    print(f"\n=== {scale} scale: {n:,} nodes (seed {seed}, median of {repeat}) ===")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"  generating the node tuples (not timed below): {gen_s:.2f} s")

    # (a) Node objects, (b) Hierarchy(nodes) build + validate, (c) the first query.
    a_times: list[float] = []
    b_times: list[float] = []
    c_times: list[float] = []
    root = specs[0][0]
    h: Hierarchy | None = None
    nodes: list[Node] = []
    for _ in range(repeat):
        h, nodes = None, []
        gc.collect()
        t0 = time.perf_counter()
        nodes = make_nodes(specs)
        t1 = time.perf_counter()
        h = Hierarchy(nodes)
        t2 = time.perf_counter()
        h.is_within(root, root)
        t3 = time.perf_counter()
        a_times.append(t1 - t0)
        b_times.append(t2 - t1)
        c_times.append(t3 - t2)
    assert h is not None
    rss_build = peak_rss_mb()
    ab_times = [a + b for a, b in zip(a_times, b_times, strict=True)]
    a_s, b_s, ab_s, c_s = map(statistics.median, (a_times, b_times, ab_times, c_times))

    def spread(times: list[float]) -> str:
        return f"(min {min(times):.3f}, max {max(times):.3f})"

    print("\n  build (median, then min and max of the runs)")
    print(f"    (a) Node construction        {a_s:8.3f} s   {a_s / n * 1e6:6.2f} µs/node  ", end="")
    print(spread(a_times))
    print(f"    (b) Hierarchy() build+valid. {b_s:8.3f} s   {b_s / n * 1e6:6.2f} µs/node  ", end="")
    print(spread(b_times))
    print(
        f"    (a)+(b)                      {ab_s:8.3f} s   {ab_s / n * 1e6:6.2f} µs/node  ", end=""
    )
    print(spread(ab_times))
    print(f"    (c) first is_within          {c_s:8.3f} s   (builds the index if (b) did not)")

    v_s, problems = timed(lambda: validate(nodes))
    assert problems == (), problems[:5]
    assert len(h) == n
    assert len(h.nodes_at(Level.RESIDENTIAL_AREA)) == counts["residential_area"]
    print(f"    validate(nodes) alone        {v_s:8.3f} s   (no problems: asserted)")

    g_s, graph = timed(lambda: nx_graph(specs, nodes))
    print(
        f"    reference: nx.DiGraph of the same tree, no validation: {g_s:.3f} s "
        f"(= {g_s / b_s:.2f}× (b))"
    )

    # is_within
    pairs, expected = make_pairs(specs, sizes.pairs, rng)
    path_pairs = pairs[: sizes.path_pairs]
    within = h.is_within
    mg_s, mg_out = median_of(repeat, lambda: check_all(within, pairs))
    b1_s, b1_out = median_of(
        repeat, lambda: check_all(lambda a, b: nx_is_within(graph, a, b), pairs)
    )
    b2_s, b2_out = median_of(
        repeat, lambda: check_all(lambda a, b: nx.has_path(graph, b, a), path_pairs)
    )
    assert mg_out == expected, "microgov is_within disagrees with the generator"
    assert b1_out == expected, "baseline (i) disagrees with the generator"
    assert b2_out == expected[: len(path_pairs)], "baseline (ii) disagrees with the generator"
    mg_us = mg_s / len(pairs) * 1e6
    b1_us = b1_s / len(pairs) * 1e6
    b2_us = b2_s / len(path_pairs) * 1e6
    true_share = sum(expected) / len(expected)
    print(f"\n  is_within: {len(pairs):,} random pairs, {true_share:.1%} true (answers agree)")
    print(f"    microgov Hierarchy.is_within          {mg_us:9.3f} µs/check")
    print(
        f"    (i)  nx predecessors walk             {b1_us:9.3f} µs/check   "
        f"ratio {b1_us / mg_us:8.1f}×"
    )
    print(
        f"    (ii) nx.has_path ({len(path_pairs):,} pairs)        {b2_us:9.3f} µs/check   "
        f"ratio {b2_us / mg_us:8.1f}×"
    )

    # rollup
    def own_callable(node: Node) -> int | None:
        return node.residents if node.level is Level.BUILDING_GROUP else None

    attrs = graph.nodes
    rh_s, rh = median_of(repeat, lambda: h.rollup("households"))
    bh_s, bh = median_of(repeat, lambda: nx_rollup(graph, root, lambda k: attrs[k]["households"]))
    assert rh == bh, "rollup('households') disagrees with the networkx totals"
    rc_s, rc = median_of(repeat, lambda: h.rollup(own_callable))
    bc_s, bc = median_of(
        repeat, lambda: nx_rollup(graph, root, lambda k: own_callable(attrs[k]["node"]))
    )
    assert rc == bc, "rollup(callable) disagrees with the networkx totals"
    print(f"\n  rollup over all {n:,} nodes (totals agree)")
    print(
        f"    rollup('households')   microgov {rh_s:7.3f} s   nx post-order {bh_s:7.3f} s   "
        f"ratio {bh_s / rh_s:5.1f}×"
    )
    print(
        f"    rollup(callable)       microgov {rc_s:7.3f} s   nx post-order {bc_s:7.3f} s   "
        f"ratio {bc_s / rc_s:5.1f}×"
    )
    rss_end = peak_rss_mb()
    print("\n  peak RSS (ru_maxrss)")
    print(f"    at start (interpreter, imports)  {rss_start:8.0f} MiB")
    print(f"    after generating the tuples      {rss_generated:8.0f} MiB")
    print(f"    after the build phase            {rss_build:8.0f} MiB   (goal figure)")
    print(f"    at the end (+ nx graph, pairs)   {rss_end:8.0f} MiB")
    return {
        "scale": scale,
        "nodes": n,
        "repeat": repeat,
        "construct_s": a_s,
        "construct_build_s": ab_s,
        "build_s": b_s,
        "index_s": c_s,
        "rss_build_mb": rss_build,
        "rss_end_mb": rss_end,
        "within_us": mg_us,
        "within_nx_walk_us": b1_us,
        "within_nx_has_path_us": b2_us,
        "rollup_households_s": rh_s,
        "rollup_callable_s": rc_s,
        "rollup_nx_households_s": bh_s,
        "rollup_nx_callable_s": bc_s,
    }


def goal_rows(r: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(goal, measured, met) for one scale's results."""
    ratio = r["within_nx_walk_us"] / r["within_us"]
    build_ab = r["construct_build_s"]
    return [
        (f"(a)+(b) construct + build + validate ≤ {GOAL_BUILD_S:g} s", f"{build_ab:.2f} s",
         build_ab <= GOAL_BUILD_S),
        (f"(b) Hierarchy() build + validate ≤ {GOAL_BUILD_S:g} s", f"{r['build_s']:.2f} s",
         r["build_s"] <= GOAL_BUILD_S),
        ("peak RSS after the build ≤ 2 GB", f"{r['rss_build_mb']:.0f} MiB",
         r["rss_build_mb"] <= GOAL_RSS_MB),
        (f"is_within ≤ {GOAL_WITHIN_US:g} µs/check", f"{r['within_us']:.3f} µs",
         r["within_us"] <= GOAL_WITHIN_US),
        (f"is_within ≥ {GOAL_WITHIN_RATIO:g}× baseline (i)", f"{ratio:.1f}×",
         ratio >= GOAL_WITHIN_RATIO),
        (f"rollup('households') ≤ {GOAL_ROLLUP_S:g} s", f"{r['rollup_households_s']:.3f} s",
         r["rollup_households_s"] <= GOAL_ROLLUP_S),
        (f"rollup(callable) ≤ {GOAL_ROLLUP_S:g} s", f"{r['rollup_callable_s']:.3f} s",
         r["rollup_callable_s"] <= GOAL_ROLLUP_S),
    ]  # fmt: skip


def print_goals(results: Sequence[dict[str, Any]]) -> None:
    print("\n=== goals (stated for the 1M-node national graph; city shown for comparison) ===")
    print(f"  {'scale':<9} {'nodes':>10}  {'goal':<44} {'measured':>12}  result")
    for r in results:
        for goal, measured, met in goal_rows(r):
            status = "met" if met else "NOT met"
            print(f"  {r['scale']:<9} {r['nodes']:>10,}  {goal:<44} {measured:>12}  {status}")


def profile_build(scale: str, sizes: Sizes, seed: int) -> None:
    """cProfile of (a) Node construction, (b) Hierarchy() and (c) the first query, once."""
    specs = generate(scale, sizes, random.Random(seed))
    root = specs[0][0]
    profiler = cProfile.Profile()
    profiler.enable()
    nodes = make_nodes(specs)
    h = Hierarchy(nodes)
    h.is_within(root, root)
    profiler.disable()
    print(f"\n=== cProfile: {scale} scale, {len(specs):,} nodes, (a) + (b) + (c) ===")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(25)


# --------------------------------------------------------------------------- main


def sizes_for(scale: str, quick: bool) -> Sizes:
    if scale == "city":
        return CITY_QUICK if quick else CITY
    return NATIONAL_QUICK if quick else NATIONAL


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", choices=("city", "national", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=None, help="runs per median (default 3)")
    parser.add_argument("--quick", action="store_true", help="tiny graphs, for a smoke test")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--in-process", action="store_true", help="with --scale both: no subprocesses"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the build instead")
    parser.add_argument("--results-file", help=argparse.SUPPRESS)  # set for the subprocesses
    args = parser.parse_args(argv)
    repeat = args.repeat or 3
    scales = ("city", "national") if args.scale == "both" else (args.scale,)

    if args.profile:
        for scale in scales:
            profile_build(scale, sizes_for(scale, args.quick), args.seed)
        return 0

    print(
        f"microgov hierarchy benchmark — Python {sys.version.split()[0]}, networkx {nx.__version__}"
    )
    results: list[dict[str, Any]] = []
    if len(scales) == 1 or args.in_process:
        if len(scales) > 1:
            print("(both scales in one process: the national peak RSS includes the city run)")
        for scale in scales:
            results.append(run_scale(scale, sizes_for(scale, args.quick), args.seed, repeat))
    else:
        print("(each scale runs in its own subprocess, so its peak RSS is its own)")
        sys.stdout.flush()
        with tempfile.TemporaryDirectory() as tmp:
            for scale in scales:
                out = Path(tmp) / f"{scale}.json"
                cmd = [sys.executable, __file__, "--scale", scale, "--repeat", str(repeat)]
                cmd += ["--seed", str(args.seed), "--results-file", str(out)]
                if args.quick:
                    cmd.append("--quick")
                done = subprocess.run(cmd, check=False)
                if done.returncode != 0:
                    print(f"\n{scale} scale failed (exit status {done.returncode})")
                    return done.returncode
                results.extend(json.loads(out.read_text(encoding="utf-8")))
    if args.results_file:
        Path(args.results_file).write_text(json.dumps(results), encoding="utf-8")
    else:
        print_goals(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
