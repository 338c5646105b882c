"""The ``microgov`` command: ``demo``, ``validate FILE``, ``allocate FILE.pb``, ``--version``.

An adapter at the edge: it reads files, calls the library and prints; the library
never prints.  Standard output carries only the result; errors and warnings go to
standard error (with ``--json``, a failure is a JSON object ``{"error": {"code",
"message_en", "message_zh", …}}`` on standard output, so that a pipeline always
reads JSON).  Exit codes mean the same in every subcommand:

- 0: done;
- 1: the input is invalid: its problems are listed with their line and field;
- 2: the input cannot be used: a missing file, a directory, an unknown file type,
  an unknown rule or none to run;
- 141: standard output was closed early (``microgov demo | head -1``): the command
  stops quietly, as Unix tools killed by SIGPIPE do.

``report STORE --out FILE.html`` writes a store's report as one HTML file;
``what-if STORE [--policy FILE.toml] [--rule RULE] [--json]`` re-decides a store's
recorded year under another policy book or rule (1: a bad policy file, its field named).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol, TextIO

from microgov._display import (
    CHANGE_KINDS,
    MAX_WIDTH,
    OUTCOMES,
    Table,
    bilingual,
    clip,
    percent,
    width,
    wrap,
    yuan,
)
from microgov._version import __version__
from microgov.errors import DataFormatError, MicrogovError, Problem

if TYPE_CHECKING:
    from microgov.funds import (
        Allocation,
        AllocationInstance,
        Explanation,
        Fairness,
        PbElection,
        Tie,
    )
    from microgov.hierarchy import Hierarchy

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNUSABLE = 2
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell shows for a tool stopped by a closed pipe

# Error codes that mean "cannot be used at all" (exit 2): everything else a loader
# raises names what is wrong inside the input (exit 1).
_UNUSABLE = frozenset(
    {
        "data.unreadable",
        "data.too_large",
        "data.unknown_type",
        "funds.no_rule",
        "funds.no_seed",
        "funds.unknown_rule",
    }
)

SECTIONS = ("levels", "areas", "roles", "history", "season", "topics", "funds", "law")
"""The parts of ``microgov demo``, in the order printed (``--section`` picks one)."""


def _parser() -> argparse.ArgumentParser:
    from microgov.funds import RULES

    parser = argparse.ArgumentParser(
        prog="microgov",
        description="Community micro-governance (社区微治理) toolkit. Results go to standard "
        "output, errors and warnings to standard error. Exit codes: 0 done, 1 invalid input "
        "(line and field named), 2 input that cannot be used (missing file, directory, "
        "unknown type or rule).",
    )
    parser.add_argument("--version", action="version", version=f"microgov {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="show the embedded 美兰西湖 community and a simulated year",
        description="Show the embedded 美兰西湖 community (real: town, large community, 30 "
        "residential areas with their official codes; synthetic: grids, building groups, "
        "people, resources) and simulate on it, with a fixed seed: a season of raise-hand "
        "micro-projects with its audit log, a year of residents' topics with response times, "
        "and a year of special funds allocated by equal shares and by votes. Sections: "
        + ", ".join(SECTIONS)
        + ".",
    )
    demo.add_argument(
        "--seed", type=int, default=2026, help="seed of the simulations (default 2026)"
    )
    demo.add_argument(
        "--no-season", action="store_true", help="show the hierarchy only, no simulations"
    )
    demo.add_argument(
        "--on",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="show the hierarchy in force on this day (default: the latest)",
    )
    demo.add_argument(
        "--section",
        choices=SECTIONS,
        default=None,
        help="print only this part of the demo",
    )
    demo.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="FILE.html",
        help="also write the simulated year's report as one self-contained HTML file",
    )
    demo.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the --report file (default zh)",
    )
    demo.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="FILE.db",
        help="also record the simulated year in a new SQLite event store (for report, what-if)",
    )
    report = commands.add_parser(
        "report",
        help="write the report of an event store as one self-contained HTML file",
        description="Write the report of what an event store (a SQLite file) recorded: the grid "
        "by households, the project pipeline, hand-raising participation, funds, response "
        "times, indicators and the audit chain, as one HTML file that loads nothing from "
        "outside. Charts need the extra microgov[report]. Exit 0 written, 2 unusable store.",
    )
    report.add_argument("store", type=Path, help="a SQLite event store file")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.html")
    report.add_argument("--lang", choices=("zh", "en"), default="zh", help="default zh")
    report.add_argument(
        "--node", default=None, help="the node to report on (default: the large community)"
    )
    report.add_argument("--year", type=int, default=None, help="default: the last event's year")
    report.add_argument(
        "--chain-id", default=None, help="the chain id the store was created with, if any"
    )
    report.add_argument(
        "--no-charts", action="store_true", help="tables only (no matplotlib needed)"
    )
    what_if = commands.add_parser(
        "what-if",
        help="re-decide a store's recorded year under another policy book or allocation rule",
        description="Re-decide everything rule-driven in a store's recorded year — whether each "
        "vote accepts its project, which projects each allocation round funds, response-time "
        "figures — under an alternative policy book (TOML or JSON) and/or allocation rule, "
        "from the recorded facts, writing nothing. Exit 0 done, 1 bad policy file (the field "
        "named), 2 unusable store.",
    )
    what_if.add_argument("store", type=Path, help="a SQLite event store file")
    what_if.add_argument(
        "--policy", type=Path, default=None, metavar="FILE.toml", help="the alternative policy book"
    )
    what_if.add_argument(
        "--rule", default=None, choices=sorted(RULES), help="the alternative allocation rule"
    )
    what_if.add_argument("--json", action="store_true", help="print the diff as JSON")
    what_if.add_argument(
        "--verify",
        action="store_true",
        help="also re-run every allocation round under its recorded rule and check the result",
    )
    what_if.add_argument(
        "--chain-id", default=None, help="the chain id the store was created with, if any"
    )
    validate = commands.add_parser(
        "validate",
        help="check a hierarchy file (JSON or CSV)",
        description="Check a hierarchy file: microgov JSON, a node CSV or an NBS CSV. Exit 0 if "
        "valid, 1 if invalid (every problem listed with its line and field), 2 if the file "
        "cannot be used (missing, a directory, not .json or .csv).",
    )
    validate.add_argument("file", type=Path, help="a .json or .csv file")
    validate.add_argument(
        "--json", action="store_true", help="print the result (or the error) as JSON"
    )
    allocate = commands.add_parser(
        "allocate",
        help="run an allocation rule on a pabulib .pb file",
        description="Run an allocation rule on a participatory-budgeting election in pabulib "
        "format (.pb, or compressed .pb.xz/.pb.gz) and explain every project. Rules: "
        + ", ".join(sorted(RULES))
        + " (pabulib names such as equalshares/add1 work too). Default: the rule the file "
        "names. Slips of real files (a project named twice in a vote, a line break or stray "
        "quote in a name) are read with a warning on standard error; --strict refuses them. "
        "Exit 0 done, 1 invalid file (line and field named), "
        "2 missing file or no usable rule.",
    )
    allocate.add_argument("file", type=Path, help="a pabulib .pb, .pb.xz or .pb.gz file")
    allocate.add_argument("--rule", default=None, help="the rule (default: the file's META rule)")
    allocate.add_argument(
        "--strict",
        action="store_true",
        help="refuse every slip of the file instead of reading it with a warning",
    )
    allocate.add_argument(
        "--json",
        action="store_true",
        help='print {"rule", "selected", "explanations", "warnings", …} as JSON',
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


class _Streams:
    """Where a command prints: its result (``out``) and its messages (``err``)."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the ``microgov`` command.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
        out: Where the result goes (default: standard output).
        err: Where errors and warnings go (default: standard error).

    Returns:
        The exit code: 0 done, 1 invalid input, 2 unusable input, 141 output closed early.

    Example:
        >>> import io
        >>> buffer, errors = io.StringIO(), io.StringIO()
        >>> main(["demo", "--section", "areas"], out=buffer, err=errors)
        0
        >>> "310113101043" in buffer.getvalue(), errors.getvalue()
        (True, '')
        >>> main(["allocate", "missing.pb", "--json"], out=buffer, err=errors)
        2
    """
    streams = _Streams(out or sys.stdout, err or sys.stderr)
    try:
        code = _run(_parser().parse_args(argv), streams)
        streams.out.flush()
    except BrokenPipeError:
        _silence(streams.out)
        return EXIT_PIPE
    return code


def _silence(stream: TextIO) -> None:
    """After a closed pipe: send what is still buffered to /dev/null, not to a traceback."""
    if stream is not sys.stdout and stream is not sys.__stdout__:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - a stdout without a descriptor
        pass


def _run(args: argparse.Namespace, io: _Streams) -> int:
    if args.command == "demo":
        code = _demo(io, args.on, seed=args.seed, season=not args.no_season, only=args.section)
        if code == EXIT_OK and args.report is not None:
            code = _demo_report(args.report, args.lang, seed=args.seed, io=io)
        if code == EXIT_OK and args.store is not None:
            code = _demo_store(args.store, seed=args.seed, io=io)
        return code
    if args.command == "what-if":
        return _what_if(
            args.store,
            args.policy,
            args.rule,
            as_json=args.json,
            verify=args.verify,
            chain_id=args.chain_id,
            io=io,
        )
    if args.command == "report":
        return _report(
            args.store,
            args.out,
            args.lang,
            node=args.node,
            year=args.year,
            chain_id=args.chain_id,
            charts=not args.no_charts,
            io=io,
        )
    if args.command == "validate":
        return _validate(args.file, io, as_json=args.json)
    if args.command == "allocate":
        return _allocate(
            args.file,
            args.rule,
            as_json=args.json,
            strict=args.strict,
            io=io,
            options=_AllocateOptions(args.tie_break, args.seed, args.rank_by, args.analyse),
        )
    _parser().print_help(io.out)
    return EXIT_OK


def _exit_code(err: MicrogovError) -> int:
    return EXIT_UNUSABLE if err.code in _UNUSABLE else EXIT_INVALID


def _problem_dict(problem: Problem) -> dict[str, str | None]:
    return {
        "code": problem.code,
        "location": problem.location,
        "subject": problem.subject,
        "field": problem.field,
        "message_en": problem.message_en,
        "message_zh": problem.message_zh,
    }


def _json_safe(value: object) -> object:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _fail(
    err: MicrogovError, path: Path, io: _Streams, *, as_json: bool, code: int | None = None
) -> int:
    """Report ``err`` (JSON on stdout with ``--json``, text on stderr) and give its exit code.

    The exit code is ``code`` if given (the caller knows the input's role), else the one
    the error's kind means (:func:`_exit_code`).
    """
    code = _exit_code(err) if code is None else code
    problems: tuple[Problem, ...] = getattr(err, "problems", ())
    if as_json:
        error = {
            "code": err.code,
            "message_en": err.message_en,
            "message_zh": err.message_zh,
            "exit_code": code,
            "file": str(path),
            "details": {k: _json_safe(v) for k, v in err.details.items()},
            "problems": [_problem_dict(p) for p in problems],
        }
        print(json.dumps({"error": error}, ensure_ascii=False, indent=1), file=io.out)
        return code
    if problems:
        _print_problems(path, problems, io.err)
    else:
        label = "cannot use / 无法使用" if code == EXIT_UNUSABLE else "invalid / 无效"
        text = f"{err.message_en} / {err.message_zh} [{err.code}]"
        where = "" if str(path) in text else f"{path}: "
        print(f"{where}{label}: {text}", file=io.err)
    return code


def _demo(io: _Streams, on: date | None, *, seed: int, season: bool, only: str | None) -> int:
    from microgov.datasets import meilan_xihu

    h = meilan_xihu()
    if on is not None:
        h = h.as_of(on)
    out = io.out
    if only is None:
        print(f"microgov {__version__} — 美兰西湖 demo dataset 演示数据", file=out)
        print(
            "Real 真实: the town, the large community, its 30 residential areas (names, NBS 2023 "
            "codes).",
            file=out,
        )
        print(
            "Synthetic 合成: grids, building groups, counts, resources, people; simulations use "
            f"seed {seed}.",
            file=out,
        )
        if on is not None:
            print(f"Hierarchy in force on 层级生效日 {on.isoformat()}", file=out)
    printers: dict[str, Callable[[], None]] = {
        "levels": lambda: _print_levels(h, out),
        "areas": lambda: _print_areas(h, out),
        "roles": lambda: _print_roles(h, out, on),
        "history": lambda: _print_history(h, out),
        "season": lambda: _print_season(h, out, seed),
        "topics": lambda: _print_topics(h, out, seed),
        "funds": lambda: _print_funds(h, out, seed),
        "law": lambda: _print_law(h, out, seed),
    }
    simulated = ("season", "topics", "funds", "law")
    for name, printer in printers.items():
        if only == name or (only is None and (season or name not in simulated)):
            printer()
    return EXIT_OK


def _say(out: TextIO, text: str, indent: int = 2) -> None:
    """Print a paragraph wrapped to the demo's width."""
    for line in wrap(text, MAX_WIDTH, indent=indent):
        print(line, file=out)


def _heading(out: TextIO, text: str) -> None:
    print(file=out)
    print(text, file=out)


def _table_out(table: Table, out: TextIO) -> None:
    for line in table.lines():
        print(line, file=out)


def _print_levels(h: Hierarchy, out: TextIO) -> None:
    from microgov.hierarchy import Level

    _heading(out, "Levels 层级")
    table = Table(("level\n层级", "<"), ("nodes\n节点数", ">"), indent=2)
    for level in Level:
        count = len(h.nodes_at(level))
        if count:
            table.add(f"{level.label_zh} {level.label_en}", f"{count:,}")
    _table_out(table, out)


def _print_areas(h: Hierarchy, out: TextIO) -> None:
    from microgov.hierarchy import Level

    households = h.rollup("households")
    residents = h.rollup("residents")
    grids = h.rollup(lambda n: 1 if n.level is Level.MICRO_GRID else None)
    groups = h.rollup(lambda n: 1 if n.level is Level.BUILDING_GROUP else None)
    resources: dict[str, int] = {}
    for resource in h.resources():
        area = next(a for a in h.ancestors(resource.node) if a.level is Level.RESIDENTIAL_AREA)
        resources[area.id] = resources.get(area.id, 0) + 1
    _heading(out, "Residential areas 居民区")
    table = Table(
        ("code\n统计代码", "<"),
        ("status\n状态", "<"),
        ("grids\n网格", ">"),
        ("groups\n楼组", ">"),
        ("hholds\n户数", ">"),
        ("people\n人口", ">"),
        ("res.\n资源", ">"),
        ("name\n名称", "<"),
        indent=2,
    )
    areas = h.nodes_at(Level.RESIDENTIAL_AREA)
    for area in areas:
        table.add(
            area.code or "(none 无)",
            f"{area.status.label_zh} {area.status.label_en}",
            grids.get(area.id, 0),
            f"{groups.get(area.id, 0):,}",
            f"{households.get(area.id, 0):,}",
            f"{residents.get(area.id, 0):,}",
            resources.get(area.id, 0),
            area.name,
        )
    top = h.roots[0].id if h.roots else None
    if top is not None:
        table.add(
            "total 合计",
            "",
            grids.get(top, 0),
            f"{groups.get(top, 0):,}",
            f"{households.get(top, 0):,}",
            f"{residents.get(top, 0):,}",
            sum(resources.values()),
            f"{len(areas)} areas 个居民区",
        )
    _table_out(table, out)


def _print_roles(h: Hierarchy, out: TextIO, on: date | None) -> None:
    from microgov.hierarchy import Role, RoleAssignment

    roles: dict[Role, int] = {}
    for link in h.links:
        if isinstance(link, RoleAssignment) and (
            link.active_on(on) if on is not None else link.end is None
        ):
            roles[link.role] = roles.get(link.role, 0) + 1
    if not roles:
        return
    when = f"on {on.isoformat()} 于该日" if on is not None else "with no end date 在任"
    _heading(out, f"Role holders 任职 ({when})")
    table = Table(("role\n职务", "<"), ("holders\n人数", ">"), indent=2)
    for role in Role:
        if role in roles:
            table.add(f"{role.label_zh} {role.label_en}", f"{roles[role]:,}")
    _table_out(table, out)


def _print_history(h: Hierarchy, out: TextIO) -> None:
    if not h.changes:
        return
    _heading(out, "History 沿革")
    by_day: dict[tuple[date, str], int] = {}
    for change in h.changes:
        key = (change.effective, change.kind)
        by_day[key] = by_day.get(key, 0) + 1
    table = Table(
        ("effective\n生效日期", "<"), ("change\n变更", "<"), ("count\n条数", ">"), indent=2
    )
    for (day, kind), count in sorted(by_day.items()):
        en, zh = CHANGE_KINDS.get(kind, (kind, kind))
        table.add(day.isoformat(), f"{zh} {en}", count)
    _table_out(table, out)


def _print_season(h: Hierarchy, out: TextIO, seed: int) -> None:
    from microgov.simulation import simulate_season

    s = simulate_season(h, seed=seed)
    _heading(out, f"Simulated season 模拟季度 from {s.start.isoformat()} (seed {seed})")
    table = Table(("figure\n项目", "<"), ("count\n数量", ">"), indent=2)
    table.add("topics raised 提出议题", s.topics_raised)
    table.add("  resolved without a project 直接解决", s.topics_resolved)
    table.add("  turned into micro-projects 转为微项目", s.topics_converted)
    table.add("micro-projects proposed 微项目", s.projects_proposed)
    table.add(
        "  accepted by hands, closed after 公示 and evaluation 举手通过并结项", s.projects_closed
    )
    table.add("  not accepted by the vote 表决未通过", s.projects_rejected)
    accepted = s.projects_proposed - s.projects_rejected
    table.add(
        "  accepted, the area's fund too small 已通过、资金不足", accepted - s.projects_funded
    )
    table.add("  funded, still under way 已拨款、进行中", s.projects_funded - s.projects_closed)
    table.add("hand-raising votes held 举手表决", s.votes)
    table.add("funded, grant with the decision 已拨款", s.projects_funded)
    table.add("commands the service refused, nothing written 被拒绝的命令", s.refusals)
    _table_out(table, out)
    if s.participation is not None:
        _say(
            out,
            f"participation 参与率, summed over the {s.votes} votes 各次表决合计: "
            f"{s.hands_raised:,} hands of {s.households_entitled:,} entitled households "
            f"({percent(s.participation)})",
        )
    _say(
        out,
        f"grants 拨款 {yuan(s.granted_fen)}: the first tranche in the same write as the "
        "decision, the rest after evaluation 首期随决定拨付，余款评价后拨付",
    )
    verdict = "verified 校验通过" if s.audit.ok else f"BROKEN 校验失败 ({len(s.audit.findings)})"
    _say(
        out,
        f"event store 事件存储: {s.audit.count} events 条, hash chain 哈希链 {verdict}, "
        f"head {s.audit.head[:16]}…",
    )


def _print_law(h: Hierarchy, out: TextIO, seed: int) -> None:
    from microgov._law_demo import print_law_year, simulate_law_year

    print_law_year(simulate_law_year(h, seed=seed), h, out)


def _hours(value: timedelta | Fraction | None) -> str:
    if value is None:
        return "-"
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value) * 3600
    return f"{seconds / 3600:.1f}h"


def _print_topics(h: Hierarchy, out: TextIO, seed: int) -> None:
    from datetime import datetime

    from microgov._time import SHANGHAI
    from microgov.calendar import WorkCalendar
    from microgov.hierarchy import Level
    from microgov.metrics import CATALOGUE, year_on_year
    from microgov.simulation import simulate_topics
    from microgov.sla import PatrolSchedule, SlaPolicy, rollup_sla

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
    _heading(out, "A year of topics 议题 2026 (simulated 模拟)")
    print("  patrols 巡查 08:30, 13:30, 17:00 on working days 工作日", file=out)
    table = Table(("indicator\n指标", "<"), ("2026\n本年", ">"), ("vs 2025\n同比", ">"), indent=2)
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
        table.add(f"{item.name_zh} {item.name_en}", shown, trend)
    _table_out(table, out)
    _heading(
        out,
        "  Response times by residential area 各居民区响应时长 (first official response 首次回应)",
    )
    ranking = sla.rank(Level.RESIDENTIAL_AREA)
    ranks = {entry.node: entry for entry in (*ranking.ranked, *ranking.not_ranked)}
    table = Table(
        ("area\n居民区", "<"),
        ("topics\n议题", ">"),
        ("answered\n已回应", ">"),
        ("mean\n平均", ">"),
        ("median\n中位", ">"),
        ("p90\n90分位", ">"),
        ("≤4h\n4小时内", ">"),
        ("overdue\n超时", ">"),
        ("rank\n排名", ">"),
        indent=2,
    )
    unranked: list[str] = []
    answered = 0
    for summary in sla.at(Level.RESIDENTIAL_AREA):
        area_id = summary.node or ""  # a rollup's summaries always name their node
        node = h.node(area_id)
        share = summary.share_within
        entry = ranks.get(area_id)
        if entry is not None and entry.rank is None:
            unranked.append(node.name)
        if entry is not None:
            answered += entry.sample
        table.add(
            node.name,
            summary.count,
            "-" if entry is None else entry.sample,
            _hours(summary.mean),
            _hours(summary.median),
            _hours(summary.p90),
            percent(share, 0),
            len(summary.overdue),
            "-" if entry is None or entry.rank is None else entry.rank,
        )
    whole = sla.summary(top)
    table.add(
        "all 全部",
        f"{whole.count:,}",
        f"{answered:,}",
        _hours(whole.mean),
        _hours(whole.median),
        _hours(whole.p90),
        percent(whole.share_within, 0),
        len(whole.overdue),
        "",
    )
    _table_out(table, out)
    _say(
        out,
        f"rank by median 按中位数排名; not ranked (-) with fewer than {ranking.min_sample} "
        f"answered topics 已回应议题少于 {ranking.min_sample} 条不排名"
        + (f": {len(unranked)} areas 个居民区" if unranked else ""),
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
    _heading(out, "  Fairness 公平性 (synthetic households' hands 合成数据)")
    for line in fairness_table(instance, allocations, households=homes):
        print(f"  {line}", file=out)


def _print_funds(h: Hierarchy, out: TextIO, seed: int) -> None:
    from microgov.funds import TOWN_POOL, Account, Outcome
    from microgov.hierarchy import Level
    from microgov.simulation import simulate_fund_year

    y = simulate_fund_year(h, seed=seed)
    total = sum(m.fen for m in y.area_budgets.values())
    asked = sum(int(p.cost) for p in y.instance.projects)
    _heading(out, f"Special funds 专项资金 {y.year} (synthetic amounts, real rules 金额为合成)")
    _say(
        out,
        f"area funds 居民区资金 {yuan(total)} over {len(y.area_budgets)} areas; "
        f"town pool 镇统筹 {yuan(y.pool.fen)} returned from {y.year - 1}",
    )
    _say(
        out,
        f"{len(y.instance.projects)} hand-accepted projects 举手通过的项目 ask {yuan(asked)} "
        f"({y.rejected} not accepted by the vote 表决未通过); "
        f"{len(y.instance.ballots):,} households raised hands in favour 户举手赞成",
    )
    table = Table(
        ("rule\n规则", "<"),
        ("funded\n资助", ">"),
        ("cost\n金额", ">"),
        ("by pool\n统筹", ">"),
        ("households served\n受益户数", ">"),
        indent=2,
    )
    for label, allocation in (
        ("equal shares 均等份额 (MES + add1)", y.mes),
        ("greedy by votes 按票数", y.greedy),
    ):
        pooled = sum(1 for e in allocation.explanations if e.outcome is Outcome.FUNDED_BY_POOL)
        table.add(
            label,
            len(allocation.selected),
            yuan(int(allocation.cost)),
            pooled,
            f"{y.served(allocation):,}",
        )
    _table_out(table, out)
    _print_fairness(h, y.instance, {"MES + add1": y.mes, "greedy": y.greedy}, out)
    names = {n.id: n for n in h.nodes_at(Level.RESIDENTIAL_AREA)}
    _heading(out, "  Who gets what 各居民区所得 (funded/projects 资助/项目数, amount granted 金额)")
    table = Table(
        ("area\n居民区", "<"),
        ("area fund\n本区资金", ">"),
        ("MES\n均等", ">"),
        ("MES granted\n均等金额", ">"),
        ("greedy\n按票数", ">"),
        ("greedy granted\n按票数金额", ">"),
        indent=2,
    )
    mes = frozenset(y.mes.selected)
    grd = frozenset(y.greedy.selected)
    for area, fund in y.area_budgets.items():
        mine = [p for p in y.instance.projects if p.scope == area]
        a = [p for p in mine if p.id in mes]
        b = [p for p in mine if p.id in grd]
        node = names.get(area)
        table.add(
            node.name if node else area,
            yuan(fund.fen),
            f"{len(a)}/{len(mine)}",
            yuan(int(sum(p.cost for p in a))),
            f"{len(b)}/{len(mine)}",
            yuan(int(sum(p.cost for p in b))),
        )
    _table_out(table, out)
    first = next(iter(y.area_budgets), None)
    if first is not None:
        node = names.get(first)
        _print_why(y.mes.explanations, y.instance, first, node.name if node else first, out)
    ledger = y.ledger
    areas_hold = sum(ledger.balance(Account.area(a)).fen for a in y.area_budgets)
    print(file=out)
    _say(
        out,
        f"ledger 台账: {len(ledger.postings)} postings 笔, balanced 借贷平衡 "
        f"(sum 合计 {yuan(ledger.total().fen)}); cancelled and refunded 取消并退款: "
        f"{y.cancelled or '-'}",
    )
    _say(
        out,
        f"year end 年末: {yuan(y.returned.fen)} unspent area money returned to the pool "
        f"退回统筹; pool now 统筹余额 {yuan(ledger.balance(TOWN_POOL).fen)}; areas hold 各区余额 "
        f"{yuan(areas_hold)}",
    )


_WHY_TEXT = (
    (
        "How equal shares work: every household that raised a hand for one of the area's "
        "projects holds an equal share of the area's fund (add1 raises all shares together "
        "while that funds more). A project is funded when its supporters' shares together "
        "pay its cost, each supporter paying the same amount, or all it has left if that is "
        "less; 'each pays' is that amount, 'held' what their shares still held."
    ),
    (
        "均等份额：为本区任一项目举手的每户家庭平均持有本区资金的一份"
        "（add1 在能多资助项目时同步提高各份额）。支持者的份额合计足以支付费用时项目获资助，"
        "每户支持者分担相同金额（不足者付出全部余额）；"
        "“每户分担”即该金额，“持有”是支持者份额当时的余额。"
    ),
    (
        "Money left is the area's fund left after each decision. Projects the area cannot fund "
        "are tried again with the town pool, a second pot: the money left shown for them is "
        "the pool's, so it can be higher than the area's figure above it."
    ),
    (
        "剩余资金是每次决定后本区资金的余额。本区资金不足的项目随后用镇统筹资金再评选，那是另一笔钱："
        "其后显示的剩余资金是统筹资金的余额，因此可能高于上面本区的数字。"
    ),
)


def _store_error(err: MicrogovError, path: Path, code: int, io: _Streams, *, as_json: bool) -> int:
    """Report an error of ``report``/``what-if`` with the exit code its input's role gives."""
    return _fail(err, path, io, as_json=as_json, code=code)


def _missing_store(path: Path) -> MicrogovError:
    from microgov.report import ReportError

    return ReportError(
        f"No such store file {str(path)!r}.",
        f"找不到存储文件 {str(path)!r}。",
        code="report.unusable_store",
        path=str(path),
    )


def _demo_report(path: Path, lang: str, *, seed: int, io: _Streams) -> int:
    from microgov.report import demo_report, write_html

    try:
        written = write_html(demo_report(seed=seed), path, lang)
    except MicrogovError as err:
        return _store_error(err, path, EXIT_UNUSABLE, io, as_json=False)
    print(f"Report 报告 written to {written}", file=io.err)
    return EXIT_OK


def _demo_store(path: Path, *, seed: int, io: _Streams) -> int:
    from microgov.report import ReportError, record_demo
    from microgov.store import SQLiteStore

    try:
        if path.exists():
            raise ReportError(
                f"{str(path)!r} exists; the demo records into a new store.",
                f"{str(path)!r} 已存在；演示只写入新的存储。",
                code="report.unusable_store",
                path=str(path),
            )
        with SQLiteStore(str(path), durable=False) as store:
            record_demo(store, seed=seed)
            head = store.head
    except MicrogovError as err:
        return _store_error(err, path, EXIT_UNUSABLE, io, as_json=False)
    print(
        f"Store 事件存储 written to {path}: {head.sequence:,} events, head {head.hash[:16]}…",
        file=io.err,
    )
    return EXIT_OK


def _what_if(
    store_path: Path,
    policy_path: Path | None,
    rule: str | None,
    *,
    as_json: bool,
    verify: bool,
    chain_id: str | None,
    io: _Streams,
) -> int:
    from microgov.datasets import meilan_xihu
    from microgov.policy import PolicyBook, load_policy_book
    from microgov.report import ReportError, recorded_facts, recorded_graph, what_if
    from microgov.store import SQLiteStore

    book: PolicyBook | None = None
    if policy_path is not None:
        try:
            book = load_policy_book(policy_path)
        except MicrogovError as err:
            code = EXIT_UNUSABLE if err.code in _UNUSABLE else EXIT_INVALID
            return _store_error(err, policy_path, code, io, as_json=as_json)
    try:
        if not store_path.is_file():
            raise _missing_store(store_path)
        with SQLiteStore(str(store_path), chain_id=chain_id) as store:
            events = store.read_all()
        hierarchy = recorded_graph(events) or meilan_xihu()
        facts = recorded_facts(events, hierarchy)
        if not facts.votes and not facts.rounds and not facts.topics:
            raise ReportError(
                "The store holds no recorded decision to re-decide.",
                "该存储中没有可重新推演的决定。",
                code="report.unusable_store",
                path=str(store_path),
            )
        result = what_if(facts, hierarchy, policy=book, rule=rule, verify=verify)
    except MicrogovError as err:
        if err.code == "report.bad_policy" and policy_path is not None:
            return _store_error(err, policy_path, EXIT_INVALID, io, as_json=as_json)
        return _store_error(err, store_path, EXIT_UNUSABLE, io, as_json=as_json)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1), file=io.out)
    else:
        print(result.describe(hierarchy), file=io.out)
    return EXIT_OK


def _report(
    store_path: Path,
    path: Path,
    lang: str,
    *,
    node: str | None,
    year: int | None,
    chain_id: str | None,
    charts: bool,
    io: _Streams,
) -> int:
    from microgov.report import store_report, write_html
    from microgov.store import SQLiteStore

    try:
        if not store_path.is_file():
            raise _missing_store(store_path)
        with SQLiteStore(str(store_path), chain_id=chain_id) as store:
            report = store_report(store, node=node, year=year)
    except MicrogovError as err:
        return _store_error(err, store_path, EXIT_UNUSABLE, io, as_json=False)
    try:
        written = write_html(report, path, lang, charts=charts)
    except MicrogovError as err:
        return _store_error(err, path, EXIT_UNUSABLE, io, as_json=False)
    print(f"{written}: report of {report.node_name} {report.period} / 报告已写入", file=io.err)
    return EXIT_OK


def _print_why(
    explanations: Sequence[Explanation],
    instance: AllocationInstance,
    area: str,
    name: str,
    out: TextIO,
) -> None:
    _heading(out, f"  Why 为什么 — {name}, by equal shares 均等份额 (MES + add1)")
    for paragraph in _WHY_TEXT:
        _say(out, paragraph)
    table = Table(
        ("rank\n位次", ">"),
        ("project\n项目", "<"),
        ("votes\n票数", ">"),
        ("cost\n费用", ">"),
        ("outcome\n结果", "<"),
        ("each pays\n每户分担", ">"),
        ("held\n持有", ">"),
        ("money left\n剩余资金", ">"),
        indent=1,  # eight columns of yuan: one space less keeps it within 100 columns
    )
    for e in explanations:
        if instance.project(e.project).scope != area:
            continue
        pays = "-" if e.rho is None or not e.funded else yuan(round(e.rho * e.cost))
        held = "-" if e.supporters_money is None else yuan(round(e.supporters_money))
        table.add(
            e.rank,
            e.project,
            e.votes,
            yuan(int(e.cost)),
            bilingual(OUTCOMES.get(e.outcome.value, (e.outcome.value, e.outcome.value))),
            pays,
            held,
            yuan(round(e.money_left)),
        )
    _table_out(table, out)


def _validate(path: Path, io: _Streams, *, as_json: bool) -> int:
    from microgov.io import hierarchy_from_csv, load_hierarchy

    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            h = load_hierarchy(path)
        elif suffix == ".csv":
            h = hierarchy_from_csv(path)
        else:
            raise DataFormatError(
                f"{path}: unknown file type {suffix or '(none)'!r}; use .json or .csv.",
                f"{path}：无法识别的文件类型 {suffix or '（无）'!r}，请使用 .json 或 .csv。",
                code="data.unknown_type",
                source=str(path),
            )
    except MicrogovError as err:
        return _fail(err, path, io, as_json=as_json)
    if as_json:
        result = {
            "file": str(path),
            "valid": True,
            "nodes": len(h),
            "links": len(h.links),
            "changes": len(h.changes),
        }
        print(json.dumps(result, ensure_ascii=False, indent=1), file=io.out)
        return EXIT_OK
    print(
        f"{path}: valid / 有效 — {len(h)} nodes 个节点, {len(h.links)} links 条关联, "
        f"{len(h.changes)} changes 条变更",
        file=io.out,
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
    strict: bool,
    io: _Streams,
    options: _AllocateOptions = _DEFAULT_OPTIONS,
) -> int:
    from microgov.funds import TieBreak, allocate_election, load_pabulib

    try:
        election = load_pabulib(path, strict=strict)
        result = allocate_election(
            election,
            rule,
            rank_by=options.rank_by,
            tie=TieBreak(options.tie_break),
            seed=options.seed,
        )
    except MicrogovError as err:
        return _fail(err, path, io, as_json=as_json)
    warnings = election.warnings
    if as_json:
        data = dict(result.to_dict())
        if options.analyse:
            data["fairness"] = _fairness(election, result).to_dict()
        data["warnings"] = [_problem_dict(w) for w in warnings]
        print(json.dumps(data, ensure_ascii=False, indent=1), file=io.out)
        return EXIT_OK
    for warning in warnings:
        print(f"warning / 警告: {warning}", file=io.err)
    out = io.out
    meta = election.meta
    money = _money(election)
    place = " / ".join(v for v in (meta.get("unit"), meta.get("subunit")) if v)
    print(f"{path.name}: {place or 'election'}", file=out)
    print(
        f"{len(election.voters):,} voters 投票人, {len(election.projects)} projects 个项目, "
        f"budget 预算 {money(result.budget)}",
        file=out,
    )
    print(f"rule 规则: {result.rule}" + (f" (file: {election.rule})" if rule else ""), file=out)
    if result.per_voter_budget is not None:
        print(f"per-voter budget 每人份额: {money(result.per_voter_budget, 2)}", file=out)
    print(
        f"selected 入选 {len(result.selected)}: cost 费用 {money(result.cost)}, "
        f"left 余额 {money(result.left)}",
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
    for line in _projects_table(election, result, money, by_score=by_score):
        print(line, file=out)
    _print_ties(result.ties, result.tie_break.label_en, out)
    if options.analyse:
        print(file=out)
        print("fairness 公平性指标:", file=out)
        for line in _fairness(election, result).lines():
            print(f"  {line}", file=out)
    return EXIT_OK


def _projects_table(
    election: PbElection, result: Allocation, money: _Format, *, by_score: bool
) -> list[str]:
    """One row per project, every column headed, aligned by display width, ≤ 100 columns.

    The project column shows the id and the file's name, cut (``…``) to what the
    other columns leave of :data:`MAX_WIDTH`; amounts are in the file's currency
    (``¥1,234.00`` for CNY).
    """
    names = {p.id: p.fields.get("name", "") for p in election.projects}
    currency = (election.meta.get("currency") or "").upper()
    mes = any(e.rho is not None or e.supporters_money is not None for e in result.explanations)
    columns = [("rank\n名次", ">"), ("project\n项目", "<")]
    if by_score:
        columns.append(("score\n得分", ">"))
    cost_head = f"cost ({currency})" if currency and money is _amount else "cost"
    columns += [("votes\n票数", ">"), (f"{cost_head}\n费用", ">"), ("outcome\n结果", "<")]
    if mes:
        columns += [("ρ (MES)\n单价", ">"), ("supporters held\n支持者所持", ">")]
    rows: list[list[str]] = []
    for e in result.explanations:
        label = OUTCOMES.get(e.outcome.value)
        row = [str(e.rank), f"{e.project} {names.get(e.project, '')}".rstrip()]
        if by_score:
            row.append(money(e.score) if e.score is not None else "")
        row += [f"{e.votes:,}", money(e.cost), bilingual(label) if label else e.outcome.value]
        if mes:
            row.append(f"{float(e.rho):.6g}" if e.rho is not None else "")
            row.append(money(e.supporters_money, 2) if e.supporters_money is not None else "")
        rows.append(row)
    indent = 2
    full = Table(*columns, indent=indent)
    for row in rows:
        full.add(*row)
    sizes = full.widths()
    room = MAX_WIDTH - indent - 2 * (len(sizes) - 1) - (sum(sizes) - sizes[1])
    table = Table(*columns, indent=indent)
    for row in rows:
        ident = row[1].split(" ", 1)[0]
        table.add(*row[:1], clip(row[1], max(room, width(ident))), *row[2:])
    return table.lines()


class _Format(Protocol):
    def __call__(self, value: Fraction, places: int = 0) -> str: ...


def _money(election: PbElection) -> _Format:
    """How the amounts of ``election`` are shown: ``¥1,234.00`` for CNY, else plain."""
    currency = (election.meta.get("currency") or "").upper()
    return _yuan if currency in _YUAN else _amount


_YUAN = frozenset({"CNY", "RMB"})


def _yuan(value: Fraction, places: int = 0) -> str:
    """An exact amount in yuan as ``¥1,234.00`` (rounded to the fen for display)."""
    del places  # yuan always show their two decimals
    return yuan(round(value * 100))


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
