"""The ``microgov`` command: ``demo``, ``validate FILE``, ``allocate FILE.pb``, ``--version``.

An adapter at the edge: it reads files, calls the library and prints; the library
never prints.  Exit codes of ``validate``: 0 valid, 1 invalid (every problem is
listed), 2 unusable input (unreadable, not JSON or CSV, wrong shape).  Exit codes of
``allocate``: 0 done, 1 malformed ``.pb`` file (line and field named), 2 no rule to
run (unknown name, or the file names none microgov has).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TextIO

from microgov._version import __version__
from microgov.errors import DataFormatError, FundsError, MicrogovError, Problem
from microgov.funds import RULES

if TYPE_CHECKING:
    from microgov.funds import Allocation, AllocationInstance, Fairness, PbElection, Tie
from microgov.hierarchy import Hierarchy, Level, Role, RoleAssignment

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNUSABLE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microgov",
        description="Community micro-governance (社区微治理) toolkit.",
    )
    parser.add_argument("--version", action="version", version=f"microgov {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="show the embedded 美兰西湖 community",
        description="Show the embedded "
        "美兰西湖 community: levels, residential areas with their codes, grids and resources.",
    )
    demo.add_argument(
        "--seed", type=int, default=2026, help="seed of the simulated season (default 2026)"
    )
    demo.add_argument(
        "--no-season", action="store_true", help="show the hierarchy only, no simulated season"
    )
    demo.add_argument(
        "--on",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="show the hierarchy in force on this day (default: the latest)",
    )
    validate = commands.add_parser(
        "validate",
        help="check a hierarchy file (JSON or CSV)",
        description="Check a hierarchy file: microgov JSON, a node CSV or an NBS CSV. Exit 0 if "
        "valid, 1 if invalid (every problem listed), 2 if the file cannot be used at all.",
    )
    validate.add_argument("file", type=Path, help="a .json or .csv file")
    allocate = commands.add_parser(
        "allocate",
        help="run an allocation rule on a pabulib .pb file",
        description="Run an allocation rule on a participatory-budgeting election in pabulib "
        "format and explain every project. Rules: "
        + ", ".join(sorted(RULES))
        + " (pabulib names such as equalshares/add1 work too). Default: the rule the file "
        "names. Exit 0 done, 1 malformed file, 2 no usable rule.",
    )
    allocate.add_argument("file", type=Path, help="a pabulib .pb file")
    allocate.add_argument("--rule", default=None, help="the rule (default: the file's META rule)")
    allocate.add_argument(
        "--json",
        action="store_true",
        help='print {"rule", "selected", "explanations", …} as JSON',
    )
    allocate.add_argument(
        "--tie-break",
        choices=TIE_BREAKS,
        default="id",
        help="how equally supported projects are ordered (default: id, as text, as pabutools "
        "does); the ties met are printed",
    )
    allocate.add_argument(
        "--seed", default=None, help="the recorded seed of a public lot (--tie-break lot)"
    )
    allocate.add_argument(
        "--rank-by",
        choices=("votes", "score"),
        default=None,
        help="what greedy ranks by: votes (supporters) or score (the file's points); default: "
        "score where the file has a score column",
    )
    allocate.add_argument(
        "--analyse",
        action="store_true",
        help="print the fairness figures (households served, categories, EJR up to one)",
    )
    return parser


TIE_BREAKS = ("id", "id-desc", "number", "cost", "higher-cost", "submission", "lot")
"""The values of ``microgov allocate --tie-break`` (those of :class:`microgov.funds.TieBreak`)."""


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the ``microgov`` command.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
        out: Where to print (default: standard output).

    Returns:
        The exit code.

    Example:
        >>> import io
        >>> buffer = io.StringIO()
        >>> main(["demo"], out=buffer)
        0
        >>> "310113101043" in buffer.getvalue()
        True
    """
    stream = out or sys.stdout
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return _demo(stream, args.on, seed=args.seed, season=not args.no_season)
    if args.command == "validate":
        return _validate(args.file, stream)
    if args.command == "allocate":
        return _allocate(
            args.file,
            args.rule,
            as_json=args.json,
            out=stream,
            options=_AllocateOptions(args.tie_break, args.seed, args.rank_by, args.analyse),
        )
    _parser().print_help(stream)
    return EXIT_OK


def _demo(out: TextIO, on: date | None, *, seed: int, season: bool) -> int:
    from microgov.datasets import meilan_xihu

    h = meilan_xihu()
    if on is not None:
        h = h.as_of(on)
    print(f"microgov {__version__} — 美兰西湖 demo dataset", file=out)
    print(
        "Real: town, large community, 30 residential areas (names, NBS 2023 codes). "
        "Synthetic: grids, building groups, counts, resources, people.",
        file=out,
    )
    if on is not None:
        print(f"Hierarchy in force on {on.isoformat()}", file=out)
    print(file=out)
    print("Levels 层级", file=out)
    for level in Level:
        count = len(h.nodes_at(level))
        if count:
            print(f"  {_pad(level.label_zh, 8)}{level.label_en:<18}{count:>6}", file=out)
    _print_areas(h, out, on)
    _print_history(h, out)
    if season:
        _print_season(h, out, seed)
        _print_topics(h, out, seed)
        _print_funds(h, out, seed)
    return EXIT_OK


def _print_season(h: Hierarchy, out: TextIO, seed: int) -> None:
    from microgov.simulation import simulate_season

    s = simulate_season(h, seed=seed)
    print(file=out)
    print(f"Simulated season 模拟季度 from {s.start.isoformat()} (seed {seed})", file=out)
    print(
        f"  topics raised 议题 {s.topics_raised}: resolved {s.topics_resolved}, "
        f"turned into micro-projects {s.topics_converted}",
        file=out,
    )
    print(
        f"  micro-projects 微项目 {s.projects_proposed}: accepted by raising hands and closed "
        f"after 公示 and evaluation {s.projects_closed}, not accepted by the vote "
        f"{s.projects_rejected}",
        file=out,
    )
    if s.participation is not None:
        print(
            f"  hand-raising votes 举手表决 {s.votes}: {s.hands_raised:,} of "
            f"{s.households_entitled:,} entitled households raised a hand "
            f"({float(s.participation):.1%})",
            file=out,
        )
    print(f"  commands refused by a rule (nothing changed) {s.refusals}", file=out)
    verdict = "verified 校验通过" if s.audit.ok else f"BROKEN 校验失败 ({len(s.audit.findings)})"
    print(
        f"  audit log 审计日志: {s.audit.count} events, hash chain {verdict}, "
        f"head {(s.log.head or '')[:16]}…",
        file=out,
    )


def _hours(value: timedelta | Fraction | None) -> str:
    if value is None:
        return "-"
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value) * 3600
    return f"{seconds / 3600:.1f}h"


def _print_topics(h: Hierarchy, out: TextIO, seed: int) -> None:
    from datetime import datetime

    from microgov._time import SHANGHAI
    from microgov.calendar import WorkCalendar
    from microgov.metrics import CATALOGUE, year_on_year
    from microgov.sla import PatrolSchedule, SlaPolicy, rollup_sla
    from microgov.topics import simulate_topics

    # Topics posted late on 31 December wait for the first patrol of 2027, whose official
    # holiday schedule is not published yet: the demo knows only 元旦 (1 January, by law).
    calendar = WorkCalendar(overrides={date(2027, 1, 1): False}, covered_years={2027})
    this_year = simulate_topics(h, seed=seed, year=2026, calendar=calendar)
    last_year = simulate_topics(h, seed=seed - 1, year=2025, calendar=calendar)
    policy = SlaPolicy(schedule=PatrolSchedule(calendar=calendar))
    sla = rollup_sla(h, this_year, policy, now=datetime(2027, 1, 1, tzinfo=SHANGHAI))
    community = next((n for n in h.nodes_at(Level.LARGE_COMMUNITY)), None)
    top = community.id if community else h.roots[0].id
    yoy = year_on_year(h, year=2026, topics=(*last_year, *this_year), under=top)
    now_values = yoy.current.at(top)
    change = yoy.change(top)
    print(file=out)
    print(
        "A year of topics 议题 2026 (simulated; patrols 08:30, 13:30, 17:00 on working days)",
        file=out,
    )
    print(f"  {'indicator 指标':<50}{'2026':>10}{'vs 2025':>10}", file=out)
    for item in CATALOGUE:
        value = now_values.value(item.id)
        if value is None or value == 0:
            continue
        shown = (
            _hours(value)
            if item.id == "mean_response_hours" and isinstance(value, Fraction)
            else f"{float(value):,.2f}"
            if isinstance(value, Fraction) and value.denominator != 1
            else f"{int(value):,}"
        )
        delta = change.get(item.id)
        trend = "-" if delta is None else f"{float(delta):+.1%}"
        label = f"{item.name_zh} {item.name_en}"
        print(f"  {_pad(label, 52)}{shown:>10}{trend:>10}", file=out)
    print(file=out)
    print(
        "  Response times by residential area 各居民区响应时长 (first official response)", file=out
    )
    print(
        f"  {'area':<26}{'topics':>7}{'mean':>8}{'median':>8}{'p90':>8}{'≤4h':>7}"
        f"{'overdue':>8}  rank by median",
        file=out,
    )
    ranking = sla.rank(Level.RESIDENTIAL_AREA)
    ranks = {entry.node: entry for entry in (*ranking.ranked, *ranking.not_ranked)}
    for summary in sla.at(Level.RESIDENTIAL_AREA):
        area_id = summary.node or ""  # a rollup's summaries always name their node
        node = h.node(area_id)
        share = summary.share_within
        entry = ranks.get(area_id)
        place = (
            str(entry.rank)
            if entry is not None and entry.rank is not None
            else (entry.note_zh if entry is not None else "-")
        )
        print(
            f"  {_pad(node.name, 26)}{summary.count:>7}{_hours(summary.mean):>8}"
            f"{_hours(summary.median):>8}{_hours(summary.p90):>8}"
            f"{'-' if share is None else f'{float(share):.0%}':>7}"
            f"{len(summary.overdue):>8}  {place}",
            file=out,
        )
    whole = sla.summary(top)
    share = whole.share_within
    print(
        f"  {'all 全部':<25}{whole.count:>7}{_hours(whole.mean):>8}{_hours(whole.median):>8}"
        f"{_hours(whole.p90):>8}{'-' if share is None else f'{float(share):.0%}':>7}"
        f"{len(whole.overdue):>8}",
        file=out,
    )


def _print_fairness(
    h: Hierarchy,
    instance: AllocationInstance,
    allocations: dict[str, Allocation],
    out: TextIO,
) -> None:
    """The fairness figures of the rules side by side (households served, areas, EJR)."""
    from microgov.funds import fairness_table

    areas = {p.scope for p in instance.projects if p.scope is not None}
    homes = {a: n for a, n in h.rollup("households").items() if a in areas}
    print(file=out)
    print("  Fairness 公平性 (synthetic households' hands)", file=out)
    for line in fairness_table(instance, allocations, households=homes):
        print(f"  {line}", file=out)


def _print_funds(h: Hierarchy, out: TextIO, seed: int) -> None:
    from microgov.funds import TOWN_POOL, Account, Money, Outcome
    from microgov.simulation import simulate_fund_year

    y = simulate_fund_year(h, seed=seed)
    total = Money(fen=sum(m.fen for m in y.area_budgets.values()))
    asked = Money(fen=sum(int(p.cost) for p in y.instance.projects))
    print(file=out)
    print(f"Special funds 专项资金 {y.year} (synthetic amounts, real rules)", file=out)
    print(
        f"  area funds {total} over {len(y.area_budgets)} areas; town pool 统筹 {y.pool} "
        f"returned from {y.year - 1}",
        file=out,
    )
    print(
        f"  {len(y.instance.projects)} hand-accepted projects ask {asked}; "
        f"{len(y.instance.ballots):,} households raised hands",
        file=out,
    )
    print(
        f"  {'rule':<27}{'funded':>7}{'cost':>16}{'by pool':>8}{'households served':>19}",
        file=out,
    )
    for label, allocation in (("MES + add1 (equal shares)", y.mes), ("greedy by votes", y.greedy)):
        pooled = sum(1 for e in allocation.explanations if e.outcome is Outcome.FUNDED_BY_POOL)
        print(
            f"  {label:<27}{len(allocation.selected):>7}"
            f"{Money(fen=int(allocation.cost))!s:>16}{pooled:>8}"
            f"{y.served(allocation):>19,}",
            file=out,
        )
    _print_fairness(h, y.instance, {"MES + add1": y.mes, "greedy": y.greedy}, out)
    names = {n.id: n for n in h.nodes_at(Level.RESIDENTIAL_AREA)}
    print(file=out)
    print("  Who gets what 各居民区 (MES | greedy): funded/projects, ¥ granted", file=out)
    mes = frozenset(y.mes.selected)
    grd = frozenset(y.greedy.selected)
    for area, fund in y.area_budgets.items():
        mine = [p for p in y.instance.projects if p.scope == area]
        a = [p for p in mine if p.id in mes]
        b = [p for p in mine if p.id in grd]
        node = names.get(area)
        print(
            f"  {_pad(node.name if node else area, 14)}{fund!s:>13}  "
            f"{len(a)}/{len(mine)} {Money(fen=int(sum(p.cost for p in a)))!s:>12}  |  "
            f"{len(b)}/{len(mine)} {Money(fen=int(sum(p.cost for p in b)))!s:>12}",
            file=out,
        )
    first = next(iter(y.area_budgets), None)
    if first is not None:
        print(file=out)
        node = names.get(first)
        print(
            f"  Why 为什么 — {node.name if node else first}, by MES (yuan; shares as raised "
            f"by add1; the money left of unfunded projects is the town pool's):",
            file=out,
        )
        for e in y.mes.explanations:
            if y.instance.project(e.project).scope == first:
                print(f"    {e.describe('zh', unit=100)}", file=out)
    ledger = y.ledger
    print(file=out)
    print(
        f"  ledger 台账: {len(ledger.postings)} postings, balanced (sum {ledger.total()}); "
        f"cancelled and refunded: {y.cancelled or '-'}",
        file=out,
    )
    print(
        f"  year end 年末: {y.returned} of unspent area money returned to the town pool; "
        f"pool now {ledger.balance(TOWN_POOL)}; areas hold "
        f"{Money(fen=sum(ledger.balance(Account.area(a)).fen for a in y.area_budgets))}",
        file=out,
    )


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def _print_areas(h: Hierarchy, out: TextIO, on: date | None) -> None:
    households = h.rollup("households")
    residents = h.rollup("residents")
    grids = h.rollup(lambda n: 1 if n.level is Level.MICRO_GRID else None)
    groups = h.rollup(lambda n: 1 if n.level is Level.BUILDING_GROUP else None)
    resources: dict[str, int] = {}
    for resource in h.resources():
        area = next(a for a in h.ancestors(resource.node) if a.level is Level.RESIDENTIAL_AREA)
        resources[area.id] = resources.get(area.id, 0) + 1
    print(file=out)
    print("Residential areas 居民区", file=out)
    header = f"  {'code':<13}{'status':<8}{'grids':>6}{'groups':>7}{'hholds':>8}{'people':>8}"
    print(f"{header}{'res.':>6}  name", file=out)
    areas = h.nodes_at(Level.RESIDENTIAL_AREA)
    for area in areas:
        print(
            f"  {area.code or '(none)':<13}{_pad(area.status.label_zh, 8)}"
            f"{grids.get(area.id, 0):>6}{groups.get(area.id, 0):>7}"
            f"{households.get(area.id, 0):>8}{residents.get(area.id, 0):>8}"
            f"{resources.get(area.id, 0):>6}  {area.name}",
            file=out,
        )
    top = h.roots[0].id if h.roots else None
    if top is not None:
        print(
            f"  {'total':<11}{'':<8}{grids.get(top, 0):>6}{groups.get(top, 0):>7}"
            f"{households.get(top, 0):>8}{residents.get(top, 0):>8}"
            f"{sum(resources.values()):>6}  {len(areas)} areas",
            file=out,
        )
    roles: dict[Role, int] = {}
    for link in h.links:
        if isinstance(link, RoleAssignment) and (
            link.active_on(on) if on is not None else link.end is None
        ):
            roles[link.role] = roles.get(link.role, 0) + 1
    if roles:
        print(file=out)
        when = f"on {on.isoformat()}" if on is not None else "with no end date"
        print(f"Role holders 任职 ({when})", file=out)
        for role in Role:
            if role in roles:
                print(f"  {_pad(role.label_zh, 12)}{role.label_en:<34}{roles[role]:>6}", file=out)


def _print_history(h: Hierarchy, out: TextIO) -> None:
    if not h.changes:
        return
    print(file=out)
    print("History 沿革", file=out)
    by_day: dict[tuple[date, str], int] = {}
    for change in h.changes:
        key = (change.effective, change.kind)
        by_day[key] = by_day.get(key, 0) + 1
    for (day, kind), count in sorted(by_day.items()):
        print(f"  {day.isoformat()}  {kind:<14}{count:>4}", file=out)


def _validate(path: Path, out: TextIO) -> int:
    from microgov.io import hierarchy_from_csv, load_hierarchy

    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            h = load_hierarchy(path)
        elif suffix == ".csv":
            h = hierarchy_from_csv(path)
        else:
            print(
                f"{path}: unknown file type {suffix or '(none)'!r}; use .json or .csv. / "
                f"无法识别的文件类型，请使用 .json 或 .csv。",
                file=out,
            )
            return EXIT_UNUSABLE
    except DataFormatError as err:
        if not err.problems:
            print(f"unusable / 无法使用: {err}", file=out)
            return EXIT_UNUSABLE
        _print_problems(path, err.problems, out)
        return EXIT_INVALID
    except MicrogovError as err:
        problems: tuple[Problem, ...] = getattr(err, "problems", ())
        if problems:
            _print_problems(path, problems, out)
        else:
            print(f"{path}: invalid / 无效: {err}", file=out)
        return EXIT_INVALID
    print(
        f"{path}: valid / 有效 — {len(h)} nodes, {len(h.links)} links, {len(h.changes)} changes",
        file=out,
    )
    return EXIT_OK


def _print_problems(path: Path, problems: Sequence[Problem], out: TextIO) -> None:
    print(f"{path}: {len(problems)} problem(s) / {len(problems)} 个问题", file=out)
    for problem in problems:
        print(f"  - {problem}", file=out)


class _AllocateOptions(NamedTuple):
    tie_break: str = "id"
    seed: str | None = None
    rank_by: Literal["votes", "score"] | None = None
    analyse: bool = False


_DEFAULT_OPTIONS = _AllocateOptions()


def _allocate(
    path: Path,
    rule: str | None,
    *,
    as_json: bool,
    out: TextIO,
    options: _AllocateOptions = _DEFAULT_OPTIONS,
) -> int:
    import json

    from microgov.funds import TieBreak, allocate_election, load_pabulib

    try:
        election = load_pabulib(path)
    except DataFormatError as err:
        problems = err.problems or ()
        if problems:
            _print_problems(path, problems, out)
        else:
            print(f"malformed / 格式错误: {err}", file=out)
        return EXIT_INVALID
    try:
        result = allocate_election(
            election,
            rule,
            rank_by=options.rank_by,
            tie=TieBreak(options.tie_break),
            seed=options.seed,
        )
    except FundsError as err:
        print(f"{path}: {err}", file=out)
        return EXIT_UNUSABLE
    except DataFormatError as err:
        print(f"malformed / 格式错误: {err}", file=out)
        return EXIT_INVALID
    if as_json:
        data = result.to_dict()
        if options.analyse:
            data["fairness"] = _fairness(election, result).to_dict()
        print(json.dumps(data, ensure_ascii=False, indent=1), file=out)
        return EXIT_OK
    meta = election.meta
    place = " / ".join(v for v in (meta.get("unit"), meta.get("subunit")) if v)
    print(
        f"{path.name}: {place or 'election'}, {len(election.voters):,} voters, "
        f"{len(election.projects)} projects, budget {_amount(result.budget)}",
        file=out,
    )
    print(f"rule 规则: {result.rule}" + (f" (file: {election.rule})" if rule else ""), file=out)
    if result.per_voter_budget is not None:
        print(f"per-voter budget 每人份额: {_amount(result.per_voter_budget, 2)}", file=out)
    print(
        f"selected 入选 {len(result.selected)}: cost {_amount(result.cost)}, "
        f"left {_amount(result.left)}",
        file=out,
    )
    if election.selected is not None:
        same = frozenset(result.selected) == election.selected
        print(
            f"same as the file's selected column 与官方结果一致: {'yes' if same else 'NO'}",
            file=out,
        )
    by_score = any(e.ranked_by == "score" for e in result.explanations)
    if by_score:
        print("ranked by 排序依据: score (the file's points) 得分", file=out)
    print(file=out)
    score_head = f"{'score':>10}" if by_score else ""
    print(f"  {'rank':>4}  {'project':<16}{score_head}{'votes':>8}{'cost':>14}  outcome", file=out)
    for e in result.explanations:
        mes = ""
        if e.rho is not None:
            mes = f"  ρ={float(e.rho):.6g}"
        if e.supporters_money is not None:
            mes += f"  supporters held {_amount(e.supporters_money, 2)}"
        score = ""
        if by_score:
            score = f"{_amount(e.score) if e.score is not None else '':>10}"
        print(
            f"  {e.rank:>4}  {e.project[:16]:<16}{score}{e.votes:>8,}{_amount(e.cost):>14}  "
            f"{e.outcome.value}{mes}",
            file=out,
        )
    _print_ties(result.ties, result.tie_break.label_en, out)
    if options.analyse:
        print(file=out)
        print("fairness 公平性指标:", file=out)
        for line in _fairness(election, result).lines():
            print(f"  {line}", file=out)
    return EXIT_OK


def _print_ties(ties: Sequence[Tie], rule: str, out: TextIO) -> None:
    print(file=out)
    if not ties:
        print(f"ties 同票: none met (tie-break: {rule})", file=out)
        return
    decisive = sum(1 for t in ties if t.decisive)
    print(f"ties 同票: {len(ties)} met, {decisive} decisive (tie-break: {rule})", file=out)
    for t in ties:
        print(f"  {'*' if t.decisive else '-'} {t.describe()}", file=out)


def _fairness(election: PbElection, result: Allocation) -> Fairness:
    from microgov.funds import AllocationInstance, fairness

    return fairness(AllocationInstance.from_pabulib(election), result)


def _amount(value: Fraction, places: int = 0) -> str:
    """A readable decimal of an exact amount (display only: the library stays exact)."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.{max(places, 2)}f}"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
