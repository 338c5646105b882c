"""Yearly compliance (年度合规检查): what each residential area's record lacks for a year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from microgov._verdict import Verdict
from microgov.errors import DataFormatError
from microgov.meetings._meeting import Meeting, MeetingKind, NoticeMethod
from microgov.policy import OBLIGATIONS, PUBLICATION_ITEMS, Obligation

__all__ = ["AreaCompliance", "ComplianceReport", "Publication", "yearly_compliance"]


def _item(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in PUBLICATION_ITEMS:
        known = ", ".join(PUBLICATION_ITEMS)
        raise DataFormatError(
            f"Unknown publication item {value!r:.40}; known: {known}.",
            f"未知的公开事项 {value!r:.40}；可用：{known}。",
            code="meeting.invalid",
            field="item",
        )


@attrs.frozen(kw_only=True)
class Publication:
    """Something a residents' committee made public (居务公开), as recorded.

    Attributes:
        area: The residential area.
        item: A key of :data:`microgov.policy.PUBLICATION_ITEMS`.
        published_on: The day it was published.
        method: Where.
        reference: The notice's reference, if any.

    Example:
        >>> from datetime import date
        >>> Publication(area="a1", item="work_funds", published_on=date(2025, 12, 20),
        ...             method=NoticeMethod.NOTICE_BOARD).item
        'work_funds'
    """

    area: str
    item: str = attrs.field(validator=_item)
    published_on: date
    method: NoticeMethod
    reference: str | None = None


def _frozen_verdicts(value: Mapping[str, Verdict]) -> Mapping[str, Verdict]:
    return MappingProxyType(dict(value))


def _frozen_areas(value: Mapping[str, AreaCompliance]) -> Mapping[str, AreaCompliance]:
    return MappingProxyType(dict(sorted(value.items())))


@attrs.frozen(kw_only=True)
class AreaCompliance:
    """One area's yearly obligations: a verdict each, and what is missing.

    Attributes:
        area: The residential area.
        year: The year checked.
        verdicts: Obligation key → verdict (``compliance.met``/``compliance.missing``).

    Example:
        >>> AreaCompliance(area="a1", year=2025, verdicts={}).missing
        ()
    """

    area: str
    year: int
    verdicts: Mapping[str, Verdict] = attrs.field(
        converter=_frozen_verdicts, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )

    @property
    def missing(self) -> tuple[str, ...]:
        """The keys of the obligations not met, sorted."""
        return tuple(sorted(k for k, v in self.verdicts.items() if not v.passed))

    @property
    def met(self) -> tuple[str, ...]:
        """The keys of the obligations met, sorted."""
        return tuple(sorted(k for k, v in self.verdicts.items() if v.passed))


@attrs.frozen(kw_only=True)
class ComplianceReport:
    """Every area's yearly compliance for one year.

    Attributes:
        year: The year.
        areas: Area id → its :class:`AreaCompliance`, sorted by area.

    Example:
        >>> ComplianceReport(year=2025, areas={}).compliant_areas()
        ()
    """

    year: int
    areas: Mapping[str, AreaCompliance] = attrs.field(
        converter=_frozen_areas, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )

    def compliant_areas(self) -> tuple[str, ...]:
        """The areas with nothing missing."""
        return tuple(a for a, c in self.areas.items() if not c.missing)

    def missing(self) -> Mapping[str, tuple[str, ...]]:
        """Area → the obligations it lacks (only areas lacking something)."""
        return {a: c.missing for a, c in self.areas.items() if c.missing}


_RULE: Final = "compliance.yearly"


def _obligation_verdict(
    obligation: Obligation, area: str, year: int, passed: bool, **figures: int | str
) -> Verdict:
    count = figures.get("count")
    what_en = obligation.name_en
    what_zh = obligation.name_zh
    if passed:
        en = f"{area}, {year}: {what_en} — on record."
        zh = f"{area} {year} 年：{what_zh}——已有记录。"
    else:
        lacking = figures.get("lacking")
        detail_en = f" (lacking: {lacking})" if lacking else f" ({count} on record)"
        en = f"{area}, {year}: {what_en} — missing{detail_en}."
        zh = f"{area} {year} 年：{what_zh}——缺少记录。"
    return Verdict(
        rule=f"{_RULE}.{obligation.key}",
        passed=passed,
        code="compliance.met" if passed else "compliance.missing",
        message_en=en,
        message_zh=zh,
        figures={"area": area, "year": year, "obligation": obligation.key, **figures},
        citation=obligation.citation,
    )


def yearly_compliance(
    meetings: Iterable[Meeting],
    publications: Iterable[Publication],
    *,
    areas: Iterable[str],
    year: int,
    obligations: Mapping[str, Obligation] = OBLIGATIONS,
) -> ComplianceReport:
    """Check each area's recorded history for one year against the yearly obligations.

    Like the grid duties' compliance (:mod:`microgov.duties`): for every area and every
    obligation, a verdict saying whether the record holds what is required —
    a residents' meeting **held with its quorum** (a judged ``quorum`` that passed; a
    meeting short of its quorum was not lawfully held), a democratic review, and each
    required publication item.  Only records of ``year`` (Asia/Shanghai dates) count.

    Args:
        meetings: The recorded meetings (any areas, any years).
        publications: The recorded publications.
        areas: The areas to report on (an area with no record lacks everything).
        year: The year checked.
        obligations: Which obligations (default :data:`~microgov.policy.OBLIGATIONS`).

    Returns:
        The report; ``report.missing()`` lists what each area lacks.

    Raises:
        DataFormatError: ``meeting.invalid`` for a year outside 1990–9999.

    Example:
        >>> from datetime import date, datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> review = Meeting(id="m1", area="a1", kind=MeetingKind.DEMOCRATIC_REVIEW,
        ...                  title_zh="民主评议", agenda=["评议居委会成员"],
        ...                  held_at=datetime(2025, 12, 10, 19, tzinfo=sh))
        >>> funds = Publication(area="a1", item="work_funds", published_on=date(2025, 12, 20),
        ...                     method=NoticeMethod.NOTICE_BOARD)
        >>> r = yearly_compliance([review], [funds], areas=["a1", "a2"], year=2025)
        >>> r.areas["a1"].met, r.areas["a1"].missing
        (('democratic_review_yearly',), ('publication_yearly', 'residents_meeting_yearly'))
        >>> len(r.areas["a2"].missing)
        3

    Complexity:
        O(m + p + a·o) for m meetings, p publications, a areas and o obligations.
    """
    if type(year) is not int or not 1990 <= year <= 9999:
        raise DataFormatError(
            f"year must be an integer from 1990, got {year!r:.20}.",
            f"年份须为 1990 年以后的整数，而不是 {year!r:.20}。",
            code="meeting.invalid",
            field="year",
        )
    wanted = list(dict.fromkeys(areas))
    held: dict[tuple[str, str], int] = {}
    for m in meetings:
        if m.held_on.year != year:
            continue
        if m.kind is MeetingKind.RESIDENTS_MEETING and not (m.quorum and m.quorum.passed):
            continue
        key = (m.area, m.kind.value)
        held[key] = held.get(key, 0) + 1
    published: dict[str, set[str]] = {}
    for p in publications:
        if p.published_on.year == year:
            published.setdefault(p.area, set()).add(p.item)
    report: dict[str, AreaCompliance] = {}
    for area in wanted:
        verdicts: dict[str, Verdict] = {}
        for name, obligation in obligations.items():
            if obligation.meeting_kind is not None:
                count = held.get((area, obligation.meeting_kind), 0)
                verdicts[name] = _obligation_verdict(
                    obligation,
                    area,
                    year,
                    count >= obligation.at_least,
                    count=count,
                    required=obligation.at_least,
                )
            else:
                have = published.get(area, set())
                lacking = [i for i in obligation.items if i not in have]
                verdicts[name] = _obligation_verdict(
                    obligation,
                    area,
                    year,
                    not lacking,
                    lacking=", ".join(lacking),
                    count=len(obligation.items) - len(lacking),
                    required=len(obligation.items),
                )
        report[area] = AreaCompliance(area=area, year=year, verdicts=verdicts)
    return ComplianceReport(year=year, areas=report)
