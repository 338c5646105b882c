"""The demo's year of meetings and yearly obligations (演示：年度会议与合规检查).

A seeded, synthetic year of each residential area's meetings and publications, recorded
with :mod:`microgov.meetings`, then checked with
:func:`microgov.meetings.yearly_compliance`.  Self-contained so the demo (``microgov demo``)
and the simulations can call it; every figure is synthetic and labelled so.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime
from typing import TextIO

import attrs

from microgov._display import MAX_WIDTH, Table, wrap
from microgov._time import SHANGHAI
from microgov.hierarchy import Hierarchy, Level
from microgov.meetings import (
    ComplianceReport,
    Decision,
    Meeting,
    MeetingKind,
    Notice,
    NoticeMethod,
    Publication,
    SignInSheet,
    judge_attendance,
    yearly_compliance,
)
from microgov.policy import OBLIGATIONS, MeetingMode
from microgov.voting import Resident, Roll

__all__ = ["LawYear", "print_law_year", "simulate_law_year"]


@attrs.frozen(kw_only=True)
class LawYear:
    """A simulated year of meetings and publications, and its compliance report.

    Attributes:
        year: The year.
        meetings: Every meeting recorded (residents' meetings with their quorum judged).
        publications: Every publication recorded.
        report: The yearly compliance report per residential area.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> y = simulate_law_year(meilan_xihu(), year=2026, seed=1, areas=3)
        >>> y.year, len(y.report.areas)
        (2026, 3)
    """

    year: int
    meetings: tuple[Meeting, ...]
    publications: tuple[Publication, ...]
    report: ComplianceReport


def _roll(hierarchy: Hierarchy, area: str, rng: random.Random) -> Roll:
    residents: list[Resident] = []
    for group in hierarchy.nodes_at(Level.BUILDING_GROUP, under=area)[:6]:
        for h in range(rng.randint(3, 6)):
            household = f"{group.id}-h{h}"
            for member in range(rng.randint(1, 3)):
                residents.append(
                    Resident(
                        id=f"{household}-r{member}",
                        household=household,
                        home=group.id,
                        adult=True,
                        verified=rng.random() < 0.9,
                        household_representative=member == 0,
                    )
                )
    return Roll(residents=residents)


def _evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 19, tzinfo=SHANGHAI)


def _area_year(
    hierarchy: Hierarchy, area: str, year: int, rng: random.Random
) -> Iterator[Meeting | Publication]:
    roll = _roll(hierarchy, area, rng)
    households = sorted({r.household for r in roll.residents})
    if rng.random() < 0.8:  # a residents' meeting is called
        day = date(year, rng.randint(3, 11), rng.randint(1, 28))
        turnout = rng.uniform(0.5, 0.95)
        present = [roll.members(h)[0].id for h in households if rng.random() < turnout]
        half = len(present) // 2
        meeting = Meeting(
            id=f"{area}-{year}-rm",
            area=area,
            kind=MeetingKind.RESIDENTS_MEETING,
            title_zh=f"{year} 年度居民会议",
            agenda=["居委会年度工作报告", "微项目举手立项"],
            notice=Notice(given_on=date(day.year, day.month, 1), method=NoticeMethod.PLATFORM),
            held_at=_evening(day),
            mode=MeetingMode.HOUSEHOLDS,
            attendees=present[:half],
            sheets=[
                SignInSheet(reference=f"{area}-S1", counted_by="worker", attendees=present[half:])
            ],
            minutes="（模拟）会议纪要",
            decisions=[Decision(id=f"{area}-{year}-d1", text_zh="通过年度工作报告")],
        )
        yield judge_attendance(meeting, roll, hierarchy)
    if rng.random() < 0.85:
        yield Meeting(
            id=f"{area}-{year}-dr",
            area=area,
            kind=MeetingKind.DEMOCRATIC_REVIEW,
            title_zh="居委会成员民主评议",
            agenda=["评议居委会成员履职情况"],
            held_at=_evening(date(year, 12, rng.randint(1, 20))),
        )
    for item in ("three_meetings", "work_funds"):
        if rng.random() < 0.85:
            yield Publication(
                area=area,
                item=item,
                published_on=date(year, 12, rng.randint(21, 30)),
                method=NoticeMethod.NOTICE_BOARD,
            )


def simulate_law_year(
    hierarchy: Hierarchy, *, year: int = 2026, seed: int = 0, areas: int | None = None
) -> LawYear:
    """Simulate a year of meetings and publications in every residential area, then check it.

    Args:
        hierarchy: The governance graph (e.g. :func:`microgov.datasets.meilan_xihu`).
        year: The year (default 2026, the demo's year).
        seed: The random seed; the same seed gives the same year.
        areas: Only the first ``areas`` residential areas, if given.

    Returns:
        The :class:`LawYear`.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> a = simulate_law_year(meilan_xihu(), seed=3, areas=2)
        >>> a == simulate_law_year(meilan_xihu(), seed=3, areas=2)
        True
    """
    rng = random.Random(seed)
    area_ids = [n.id for n in hierarchy.nodes_at(Level.RESIDENTIAL_AREA)]
    if areas is not None:
        area_ids = area_ids[:areas]
    meetings: list[Meeting] = []
    publications: list[Publication] = []
    for area in area_ids:
        for record in _area_year(hierarchy, area, year, rng):
            if isinstance(record, Meeting):
                meetings.append(record)
            else:
                publications.append(record)
    report = yearly_compliance(meetings, publications, areas=area_ids, year=year)
    return LawYear(
        year=year, meetings=tuple(meetings), publications=tuple(publications), report=report
    )


_MARKS = {True: "✓ met 已履行", False: "✗ missing 缺"}
_TITLES = {
    "residents_meeting_yearly": "residents' mtg\n居民会议",
    "democratic_review_yearly": "review\n民主评议",
    "publication_yearly": "published\n居务公开",
}


def print_law_year(law: LawYear, hierarchy: Hierarchy, out: TextIO) -> None:
    """Print, per area, which yearly obligations were met (✓) or are missing (✗).

    Example:
        >>> import io
        >>> from microgov.datasets import meilan_xihu
        >>> h = meilan_xihu()
        >>> buffer = io.StringIO()
        >>> print_law_year(simulate_law_year(h, seed=2, areas=1), h, buffer)
        >>> "居民会议" in buffer.getvalue()
        True
    """
    keys = list(OBLIGATIONS)
    print(file=out)
    print(f"Yearly obligations 年度义务 {law.year} (synthetic records 合成记录)", file=out)
    table = Table(*((_TITLES.get(k, k), "<") for k in keys), ("area\n居民区", "<"), indent=2)
    for area, compliance in law.report.areas.items():
        table.add(*(_MARKS[compliance.verdicts[k].passed] for k in keys), hierarchy.node(area).name)
    for line in table.lines():
        print(line.rstrip(), file=out)
    met = len(law.report.compliant_areas())
    print(f"  every obligation met 全部履行: {met} of {len(law.report.areas)} areas", file=out)
    for line in wrap(
        "Checked against 上海市居民委员会工作条例 Arts. 11, 17, 18 (wording not verified); a "
        "residents' meeting counts only when held with its quorum, judged against the roll "
        "under the preset in force that day.",
        MAX_WIDTH,
        indent=2,
    ):
        print(line, file=out)
