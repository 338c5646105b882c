"""The data model of a report: one immutable value per section, no rendering in it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

__all__ = [
    "AreaSize",
    "AuditSection",
    "FundsRow",
    "FundsSection",
    "GridSize",
    "HierarchySection",
    "IndicatorRow",
    "IndicatorSection",
    "ParticipationRow",
    "ParticipationSection",
    "PipelineSection",
    "Report",
    "ResponseRow",
    "ResponseSection",
    "StageCount",
    "StageDuration",
]


def _tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    """A typed converter (``converter=tuple`` fails mypy --strict)."""
    return tuple(items)


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


@attrs.frozen(kw_only=True)
class GridSize:
    """One micro-grid (微网格) of an area and its households.

    Example:
        >>> GridSize(id="g1", name="一网格", households=120).households
        120
    """

    id: str
    name: str
    households: int = attrs.field(validator=attrs.validators.ge(0))


@attrs.frozen(kw_only=True)
class AreaSize:
    """One residential area (居民区) with its grids, sized by households.

    Example:
        >>> a = AreaSize(id="a1", name="A", households=300,
        ...              grids=(GridSize(id="g1", name="g", households=300),))
        >>> len(a.grids)
        1
    """

    id: str
    name: str
    households: int = attrs.field(validator=attrs.validators.ge(0))
    grids: tuple[GridSize, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen(kw_only=True)
class HierarchySection:
    """The governance graph under the report's node: areas and grids by households.

    Example:
        >>> s = HierarchySection(areas=(AreaSize(id="a", name="A", households=5),))
        >>> s.households, s.grids
        (5, 0)
    """

    areas: tuple[AreaSize, ...] = attrs.field(converter=_tuple)

    @property
    def households(self) -> int:
        """Households in all areas."""
        return sum(a.households for a in self.areas)

    @property
    def grids(self) -> int:
        """Micro-grids in all areas."""
        return sum(len(a.grids) for a in self.areas)


@attrs.frozen(kw_only=True)
class StageCount:
    """How many projects reached one lifecycle state.

    Example:
        >>> StageCount(state="accepted", reached=3).reached
        3
    """

    state: str
    reached: int = attrs.field(validator=attrs.validators.ge(0))


@attrs.frozen(kw_only=True)
class StageDuration:
    """The median days projects spent between two states (over those that reached both).

    Example:
        >>> from fractions import Fraction
        >>> StageDuration(start="proposed", end="accepted", median_days=Fraction(9), count=4).count
        4
    """

    start: str
    end: str
    median_days: Fraction | None
    count: int = attrs.field(validator=attrs.validators.ge(0))


@attrs.frozen(kw_only=True)
class PipelineSection:
    """The project pipeline: how many reached each state, median days per stage.

    Example:
        >>> p = PipelineSection(reached=(StageCount(state="proposed", reached=2),), stages=())
        >>> p.count("proposed"), p.count("closed")
        (2, 0)
    """

    reached: tuple[StageCount, ...] = attrs.field(converter=_tuple)
    stages: tuple[StageDuration, ...] = attrs.field(converter=_tuple)

    def count(self, state: str) -> int:
        """How many projects reached ``state`` (0 if none or unknown)."""
        return next((s.reached for s in self.reached if s.state == state), 0)


@attrs.frozen(kw_only=True)
class ParticipationRow:
    """Hand-raising (举手) participation in one area's votes.

    Example:
        >>> r = ParticipationRow(area="a", name="A", votes=2, hands=30, entitled=120)
        >>> r.share
        Fraction(1, 4)
    """

    area: str
    name: str
    votes: int = attrs.field(validator=attrs.validators.ge(0))
    hands: int = attrs.field(validator=attrs.validators.ge(0))
    entitled: int = attrs.field(validator=attrs.validators.ge(0))

    @property
    def share(self) -> Fraction | None:
        """Hands raised over households entitled (exact); None without votes."""
        return _share(self.hands, self.entitled)


@attrs.frozen(kw_only=True)
class ParticipationSection:
    """Participation per area, and over all of them.

    Example:
        >>> s = ParticipationSection(rows=(
        ...     ParticipationRow(area="a", name="A", votes=1, hands=1, entitled=2),
        ...     ParticipationRow(area="b", name="B", votes=1, hands=2, entitled=2)))
        >>> s.share
        Fraction(3, 4)
    """

    rows: tuple[ParticipationRow, ...] = attrs.field(converter=_tuple)

    @property
    def share(self) -> Fraction | None:
        """Hands over entitled households, over all votes."""
        return _share(sum(r.hands for r in self.rows), sum(r.entitled for r in self.rows))


@attrs.frozen(kw_only=True)
class FundsRow:
    """One area's special fund (专项资金) in fen: granted, spent, returned to the pool.

    ``granted``, ``spent`` and ``returned`` are what the ledger recorded; ``by_rule``
    maps an allocation rule's label to the money it granted the area's projects, when
    a round was compared under several rules (MES and greedy side by side).

    Example:
        >>> r = FundsRow(area="a", name="A", budget=100, granted=80, spent=70,
        ...              returned=20, by_rule={"MES": 80, "greedy": 60})
        >>> r.by_rule["greedy"]
        60
    """

    area: str
    name: str
    budget: int
    granted: int
    spent: int
    returned: int
    by_rule: dict[str, int] = attrs.field(factory=dict, eq=True)


@attrs.frozen(kw_only=True)
class FundsSection:
    """Funds by area, the town pool before and after, and the rules compared.

    Example:
        >>> FundsSection(rows=(), rules=("MES", "greedy"), pool_start=0, pool_end=5).rules
        ('MES', 'greedy')
    """

    rows: tuple[FundsRow, ...] = attrs.field(converter=_tuple)
    rules: tuple[str, ...] = attrs.field(converter=_tuple)
    pool_start: int
    pool_end: int


@attrs.frozen(kw_only=True)
class ResponseRow:
    """Response times of one area: the distribution, not only the mean.

    ``buckets`` counts topics per response-time band of :attr:`ResponseSection.bands`
    (the last band is "not answered").

    Example:
        >>> r = ResponseRow(area="a", name="A", count=4, answered=4, mean_hours=None,
        ...                 median_hours=None, p90_hours=None, within=3, decided=4,
        ...                 overdue=1, buckets=(3, 1), rank=None)
        >>> r.within_share
        Fraction(3, 4)
    """

    area: str
    name: str
    count: int
    answered: int
    mean_hours: Fraction | None
    median_hours: Fraction | None
    p90_hours: Fraction | None
    within: int
    decided: int
    overdue: int
    buckets: tuple[int, ...] = attrs.field(converter=_tuple)
    rank: int | None

    @property
    def within_share(self) -> Fraction | None:
        """The share answered within the threshold, of those whose outcome is known."""
        return _share(self.within, self.decided)


@attrs.frozen(kw_only=True)
class ResponseSection:
    """Response times per area; ``bands`` are the upper bounds in hours (None: unanswered).

    Example:
        >>> ResponseSection(rows=(), bands=(4, None), within_hours=4).within_hours
        4
    """

    rows: tuple[ResponseRow, ...] = attrs.field(converter=_tuple)
    bands: tuple[int | None, ...] = attrs.field(converter=_tuple)
    within_hours: int


@attrs.frozen(kw_only=True)
class IndicatorRow:
    """One indicator (指标) this year and the year before.

    Example:
        >>> from fractions import Fraction
        >>> IndicatorRow(id="x", name_zh="甲", name_en="X", unit="count",
        ...              current=Fraction(3), previous=Fraction(2), change=Fraction(1, 2)).change
        Fraction(1, 2)
    """

    id: str
    name_zh: str
    name_en: str
    unit: str
    current: Fraction | None
    previous: Fraction | None
    change: Fraction | None


@attrs.frozen(kw_only=True)
class IndicatorSection:
    """The indicators of a year against the previous year.

    Example:
        >>> IndicatorSection(year=2026, rows=()).year
        2026
    """

    year: int
    rows: tuple[IndicatorRow, ...] = attrs.field(converter=_tuple)


@attrs.frozen(kw_only=True)
class AuditSection:
    """The audit chain's status: verified or not, its length and head hash.

    Example:
        >>> AuditSection(ok=True, events=3, head="ab" * 32, findings=()).short_head
        'abababababababab'
    """

    ok: bool
    events: int
    head: str
    findings: tuple[str, ...] = attrs.field(converter=_tuple)

    @property
    def short_head(self) -> str:
        """The first 16 hex digits of the head hash."""
        return self.head[:16]


@attrs.frozen(kw_only=True)
class Report:
    """Everything a report shows, for one node and period, with where it came from.

    Attributes:
        node: The node reported on (a town, community or area id).
        node_name: Its name.
        start: The first day of the period.
        end: The last day of the period.
        source_zh: Where the data comes from, in Chinese (shown in every caption).
        source_en: The same in English.
        synthetic: True when the data is simulated (the demo).
        hierarchy: Areas and grids by households.
        pipeline: The project pipeline.
        participation: Hand-raising participation by area.
        funds: Funds by area, or None when the source records no money.
        responses: Response times by area, or None when it records no topics.
        indicators: Indicators against the previous year, or None.
        audit: The audit chain's status.

    Example:
        >>> from datetime import date
        >>> r = Report(node="t", node_name="T", start=date(2026, 1, 1), end=date(2026, 12, 31),
        ...            source_zh="演示", source_en="demo", synthetic=True,
        ...            hierarchy=HierarchySection(areas=()),
        ...            pipeline=PipelineSection(reached=(), stages=()),
        ...            participation=ParticipationSection(rows=()),
        ...            funds=None, responses=None, indicators=None,
        ...            audit=AuditSection(ok=True, events=0, head="0" * 64, findings=()))
        >>> r.period
        '2026-01-01 – 2026-12-31'
    """

    node: str
    node_name: str
    start: date
    end: date
    source_zh: str
    source_en: str
    synthetic: bool
    hierarchy: HierarchySection
    pipeline: PipelineSection
    participation: ParticipationSection
    funds: FundsSection | None
    responses: ResponseSection | None
    indicators: IndicatorSection | None
    audit: AuditSection

    @property
    def period(self) -> str:
        """The period as ``'YYYY-MM-DD – YYYY-MM-DD'``."""
        return f"{self.start.isoformat()} – {self.end.isoformat()}"
