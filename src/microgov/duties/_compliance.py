"""Compliance of grid leaders with their duties over a window, rolled up the graph."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from fractions import Fraction
from types import MappingProxyType

import attrs

from microgov.calendar import WorkCalendar, default_calendar
from microgov.duties._model import DEFAULT_DUTIES, Duty, DutyKind, DutyRecord, _check_window
from microgov.duties._model import duty_schedule as _schedule
from microgov.errors import DataFormatError
from microgov.hierarchy import Hierarchy, Level, Role

__all__ = [
    "ComplianceReport",
    "ComplianceTally",
    "DuePeriod",
    "LeaderCompliance",
    "compliance",
]

_ONE_DAY = timedelta(days=1)


@attrs.frozen(kw_only=True)
class ComplianceTally:
    """Counts of due periods: owed, fulfilled, missed, vacant, excused.

    ``expected == fulfilled + missed`` always holds; tallies add up (``+``), so the
    tally of a residential area is the sum of its grids'.

    Attributes:
        expected: Periods owed by a grid leader.
        fulfilled: Of those, the periods with enough records.
        missed: Of those, the periods without.
        vacant: Periods due while the grid had no grid leader (owed by no one).
        excused: Periods without a working day, for duties that skip them.

    Example:
        >>> t = ComplianceTally(expected=4, fulfilled=3, missed=1)
        >>> (t + t).expected, t.rate
        (8, Fraction(3, 4))
        >>> ComplianceTally().rate is None
        True
    """

    expected: int = 0
    fulfilled: int = 0
    missed: int = 0
    vacant: int = 0
    excused: int = 0

    def __add__(self, other: ComplianceTally) -> ComplianceTally:
        if not isinstance(other, ComplianceTally):
            return NotImplemented
        return ComplianceTally(
            expected=self.expected + other.expected,
            fulfilled=self.fulfilled + other.fulfilled,
            missed=self.missed + other.missed,
            vacant=self.vacant + other.vacant,
            excused=self.excused + other.excused,
        )

    @property
    def rate(self) -> Fraction | None:
        """``fulfilled / expected`` exactly, or None when nothing was owed."""
        return Fraction(self.fulfilled, self.expected) if self.expected else None


@attrs.frozen(kw_only=True)
class DuePeriod:
    """One due period of one duty at one grid, as judged.

    Attributes:
        kind: The duty.
        grid: The micro-grid's id.
        person: The grid leader who owed it, or None for a vacancy.
        first: The period's first day.
        stop: The day after its last day (its due day is ``stop - 1 day``).
        required: Records needed.
        done: Records found (by that person, in that grid, in the period).

    Example:
        >>> from datetime import date
        >>> p = DuePeriod(kind=DutyKind.DIARY, grid="g-1", person="p-1",
        ...               first=date(2026, 1, 5), stop=date(2026, 1, 12), required=1, done=0)
        >>> p.due, p.fulfilled
        (datetime.date(2026, 1, 11), False)
    """

    kind: DutyKind
    grid: str
    person: str | None
    first: date
    stop: date
    required: int
    done: int

    @property
    def due(self) -> date:
        """The period's last day, when it falls due."""
        return self.stop - _ONE_DAY

    @property
    def fulfilled(self) -> bool:
        """Whether enough records were found."""
        return self.done >= self.required


@attrs.frozen(kw_only=True)
class LeaderCompliance:
    """One grid leader's compliance at one grid over the window.

    Attributes:
        person: The grid leader's pseudonymous id.
        grid: The micro-grid's id.
        tally: Expected, fulfilled and missed periods (``vacant`` and ``excused`` are 0).
        missed: The missed periods, by due day then kind.

    Example:
        >>> LeaderCompliance(person="p-1", grid="g-1", tally=ComplianceTally(),
        ...                  missed=()).tally.rate is None
        True
    """

    person: str
    grid: str
    tally: ComplianceTally
    missed: tuple[DuePeriod, ...]


def _frozen_totals(value: Mapping[str, ComplianceTally]) -> Mapping[str, ComplianceTally]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class ComplianceReport:
    """Grid leaders' compliance over ``[start, end)``, per leader and per node.

    Attributes:
        start: The window's first day.
        end: The day after its last day.
        leaders: One line per (grid leader, grid): grids in the graph's pre-order, then
            people by id.
        vacancies: Periods due while a grid had no leader, by grid, due day, kind.
        totals: Node id → :class:`ComplianceTally` for every node of the reported
            subtree (zeros where there is nothing); a node's tally is the sum of its
            grids'.

    Example:
        >>> from datetime import date
        >>> r = ComplianceReport(start=date(2026, 1, 1), end=date(2026, 2, 1), leaders=(),
        ...                      vacancies=(), totals={"t": ComplianceTally()})
        >>> r.tally("t").expected
        0
    """

    start: date
    end: date
    leaders: tuple[LeaderCompliance, ...]
    vacancies: tuple[DuePeriod, ...]
    totals: Mapping[str, ComplianceTally] = attrs.field(converter=_frozen_totals)

    def tally(self, node_id: str) -> ComplianceTally:
        """The tally of one node of the report.

        Args:
            node_id: A node of the reported subtree.

        Returns:
            Its tally (zeros if nothing was due there).

        Raises:
            DataFormatError: ``duties.not_in_report`` if the node is not in the report.

        Example:
            >>> r = ComplianceReport(start=date(2026, 1, 1), end=date(2026, 2, 1), leaders=(),
            ...                      vacancies=(), totals={"g": ComplianceTally(vacant=4)})
            >>> r.tally("g").vacant
            4
            >>> r.tally("elsewhere")
            Traceback (most recent call last):
            ...
            microgov.errors.DataFormatError: Node 'elsewhere' is not part of ... [duties...]
        """
        try:
            return self.totals[node_id]
        except KeyError:
            raise DataFormatError(
                f"Node {node_id!r} is not part of this compliance report.",
                f"节点 {node_id!r} 不在本考核报告范围内。",
                code="duties.not_in_report",
                node_id=node_id,
            ) from None


def _grid_of(hierarchy: Hierarchy, record: DutyRecord) -> str:
    node = hierarchy.node(record.node)  # NodeNotFound for an unknown node
    if node.level is Level.MICRO_GRID:
        return node.id
    for above in hierarchy.ancestors(node.id):
        if above.level is Level.MICRO_GRID:
            return above.id
    raise DataFormatError(
        f"Duty record {record.id!r} is at node {record.node!r}, which is not inside a micro-grid.",
        f"履职记录 {record.id!r} 的节点 {record.node!r} 不在任何微网格内。",
        code="duties.record_outside_grid",
        record_id=record.id,
        node_id=record.node,
    )


def _has_working_day(calendar: WorkCalendar, first: date, stop: date) -> bool:
    day = first
    while day < stop:
        if calendar.is_working_day(day):
            return True
        day += _ONE_DAY
    return False


def compliance(
    hierarchy: Hierarchy,
    records: Iterable[DutyRecord],
    *,
    start: date,
    end: date,
    duties: Iterable[Duty] = DEFAULT_DUTIES,
    under: str | None = None,
    calendar: WorkCalendar | None = None,
) -> ComplianceReport:
    """Judge every grid leader's duties due in ``[start, end)`` and roll the counts up.

    For each micro-grid (inside ``under``), each duty and each of its periods due in
    the window (see :meth:`Duty.periods`), the people holding
    :attr:`~microgov.hierarchy.Role.GRID_LEADER` at the grid on the due day owe it;
    a period is fulfilled for a person when at least ``duty.times`` of their records
    of that kind, at the grid or a node inside it, fall on the period's days (in
    Asia/Shanghai). A period with no leader is a vacancy; a period without a working
    day, for a duty with ``skip_days_off``, is excused.

    Args:
        hierarchy: The governance graph (grids, and who leads them when).
        records: The fulfilment records; records of other grids or windows are ignored.
        start: The window's first day.
        end: The day after the window's last day.
        duties: The duties (default :data:`DEFAULT_DUTIES`), one per kind.
        under: Report only the subtree of this node (default: the whole graph).
        calendar: The working-day calendar for ``skip_days_off`` duties (default
            :func:`~microgov.calendar.default_calendar`).

    Returns:
        The report: a line per leader with missed periods, vacancies, and tallies for
        every node, each node's tally being the sum of its grids'.

    Raises:
        NodeNotFound: If ``under`` or a record's node is not in the graph.
        DataFormatError: ``duties.record_outside_grid`` for a record above grid level,
            ``duties.not_date``/``duties.bad_window`` for a bad window,
            ``duties.bad_record`` for a value that is not a :class:`DutyRecord`.
        PolicyError: For a bad duty schedule (``duties.duplicate_kind`` …).
        CalendarError: If a ``skip_days_off`` duty needs a year the calendar lacks.

    Example:
        >>> from datetime import date, datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
        >>> h = Hierarchy([
        ...     Node(id="t", level=Level.TOWN, name="罗店镇"),
        ...     Node(id="a", level=Level.RESIDENTIAL_AREA, name="某苑", parent="t"),
        ...     Node(id="g", level=Level.MICRO_GRID, name="1号网格", parent="a"),
        ... ], [RoleAssignment(id="r1", person="lee", role=Role.GRID_LEADER, node="g",
        ...                    start=date(2026, 1, 1))])
        >>> patrol = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO")
        >>> done = [DutyRecord(id="d1", kind=DutyKind.PATROL, node="g", person="lee",
        ...                    at=datetime(2026, 1, 7, 10, tzinfo=SHANGHAI))]
        >>> report = compliance(h, done, start=date(2026, 1, 5), end=date(2026, 1, 19),
        ...                     duties=[patrol])
        >>> report.tally("t")
        ComplianceTally(expected=2, fulfilled=1, missed=1, vacant=0, excused=0)
        >>> [(m.kind.value, m.first.isoformat(), m.due.isoformat())
        ...  for m in report.leaders[0].missed]
        [('patrol', '2026-01-12', '2026-01-18')]

    Complexity:
        O(G · P · (d + log r)) for G grids, P periods, d graph depth and r records per
        leader, plus O(r · d) to place the records.
    """
    _check_window(start, end)
    schedule = _schedule(duties)
    grids = hierarchy.nodes_at(Level.MICRO_GRID, under=under)
    periods = {duty.kind: duty.periods(start, end) for duty in schedule}
    excused: dict[DutyKind, frozenset[tuple[date, date]]] = {}
    for duty in schedule:
        if duty.skip_days_off:
            cal = calendar if calendar is not None else default_calendar()
            excused[duty.kind] = frozenset(
                p for p in periods[duty.kind] if not _has_working_day(cal, *p)
            )

    # Place the records: (grid, person, kind) → sorted local days.
    days: dict[tuple[str, str, DutyKind], list[date]] = {}
    for record in records:
        if not isinstance(record, DutyRecord):
            raise DataFormatError(
                f"Duty records must be DutyRecord values, not {type(record).__name__}.",
                f"履职记录须为 DutyRecord，而不是 {type(record).__name__}。",
                code="duties.bad_record",
            )
        grid_id = _grid_of(hierarchy, record)
        days.setdefault((grid_id, record.person, record.kind), []).append(record.day)
    for found in days.values():
        found.sort()

    lines: list[LeaderCompliance] = []
    vacancies: list[DuePeriod] = []
    per_grid: dict[str, ComplianceTally] = {}
    for grid in grids:
        owed: dict[str, list[DuePeriod]] = {}
        leaders_on: dict[date, list[str]] = {}
        grid_tally = ComplianceTally()
        for duty in schedule:
            skip = excused.get(duty.kind, frozenset())
            for first, stop in periods[duty.kind]:
                if (first, stop) in skip:
                    grid_tally += ComplianceTally(excused=1)
                    continue
                due = stop - _ONE_DAY
                leaders = leaders_on.get(due)
                if leaders is None:
                    leaders = leaders_on[due] = sorted(
                        {
                            a.person
                            for a in hierarchy.holders(
                                grid.id, on=due, role=Role.GRID_LEADER, inherited=False
                            )
                        }
                    )
                if not leaders:
                    vacancies.append(
                        DuePeriod(
                            kind=duty.kind,
                            grid=grid.id,
                            person=None,
                            first=first,
                            stop=stop,
                            required=duty.times,
                            done=0,
                        )
                    )
                    grid_tally += ComplianceTally(vacant=1)
                    continue
                for person in leaders:
                    found = days.get((grid.id, person, duty.kind), [])
                    done = bisect_left(found, stop) - bisect_left(found, first)
                    owed.setdefault(person, []).append(
                        DuePeriod(
                            kind=duty.kind,
                            grid=grid.id,
                            person=person,
                            first=first,
                            stop=stop,
                            required=duty.times,
                            done=done,
                        )
                    )
        for person in sorted(owed):
            judged = owed[person]
            fulfilled = sum(1 for p in judged if p.fulfilled)
            tally = ComplianceTally(
                expected=len(judged), fulfilled=fulfilled, missed=len(judged) - fulfilled
            )
            missed = tuple(
                sorted(
                    (p for p in judged if not p.fulfilled),
                    key=lambda p: (p.stop, list(DutyKind).index(p.kind)),
                )
            )
            lines.append(LeaderCompliance(person=person, grid=grid.id, tally=tally, missed=missed))
            grid_tally += tally
        per_grid[grid.id] = grid_tally

    rolled = hierarchy.rollup(per_grid, under=under)
    subtree = hierarchy.nodes(under=under) if under is not None else hierarchy.nodes()
    totals = {n.id: rolled.get(n.id, ComplianceTally()) for n in subtree}
    vacancies.sort(key=lambda p: (p.grid, p.stop, list(DutyKind).index(p.kind)))
    return ComplianceReport(
        start=start,
        end=end,
        leaders=tuple(lines),
        vacancies=tuple(vacancies),
        totals=totals,
    )
