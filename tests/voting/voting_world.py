"""A small governance graph, an electoral roll and vote builders shared by the voting tests."""

from __future__ import annotations

from datetime import datetime

from microgov.calendar import SHANGHAI
from microgov.hierarchy import Hierarchy, Level, Node
from microgov.policy import MeetingMode, SecondHand
from microgov.voting import Resident, Roll, Vote


def at(month: int, day: int, hour: int = 12, year: int = 2025) -> datetime:
    """A time in Asia/Shanghai."""
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def graph() -> Hierarchy:
    """Town → large community → two areas → grids → building groups."""
    n = Node
    return Hierarchy(
        [
            n(id="t", level=Level.TOWN, name="罗店镇"),
            n(id="lc", level=Level.LARGE_COMMUNITY, name="美兰西湖", parent="t"),
            n(id="a1", level=Level.RESIDENTIAL_AREA, name="甲", parent="lc"),
            n(id="a2", level=Level.RESIDENTIAL_AREA, name="乙", parent="lc"),
            n(id="g11", level=Level.MICRO_GRID, name="1", parent="a1"),
            n(id="g12", level=Level.MICRO_GRID, name="2", parent="a1"),
            n(id="g21", level=Level.MICRO_GRID, name="3", parent="a2"),
            n(id="b111", level=Level.BUILDING_GROUP, name="1", parent="g11"),
            n(id="b112", level=Level.BUILDING_GROUP, name="2", parent="g11"),
            n(id="b121", level=Level.BUILDING_GROUP, name="3", parent="g12"),
            n(id="b211", level=Level.BUILDING_GROUP, name="4", parent="g21"),
        ]
    )


def person(
    rid: str,
    household: str,
    home: str,
    *,
    adult: bool = True,
    verified: bool = True,
    rep: bool = False,
    group: bool = False,
) -> Resident:
    return Resident(
        id=rid,
        household=household,
        home=home,
        adult=adult,
        verified=verified,
        household_representative=rep,
        group_representative=group,
    )


def roll() -> Roll:
    """In a1: households h1 (rep r1), h2, h3, h4 (nobody verified), h6 (two adults, no rep).

    Entitled in a1 — all adults: r1 r2 r4 r6 r9 r10 (6); households: h1 h2 h3 h6 (4);
    group representatives: r6 (1).  r8 (h5) lives in a2.
    """
    return Roll(
        residents=[
            person("r1", "h1", "b111", rep=True),
            person("r2", "h1", "b111"),
            person("r3", "h1", "b111", adult=False),
            person("r4", "h2", "b112"),
            person("r5", "h2", "b112", verified=False),
            person("r6", "h3", "b121", group=True),
            person("r7", "h4", "b121", verified=False),
            person("r8", "h5", "b211", group=True),
            person("r9", "h6", "b111"),
            person("r10", "h6", "b111"),
        ]
    )


def vote(
    mode: MeetingMode = MeetingMode.HOUSEHOLDS,
    *,
    scope: str = "a1",
    second_hand: SecondHand = SecondHand.REFUSE,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    vote_id: str = "v1",
) -> Vote:
    return Vote(
        id=vote_id,
        scope=scope,
        question_zh="是否在 1 号楼安装晾衣架？",
        question_en="Install clothes-drying racks at building 1?",
        opens_at=opens_at or at(12, 1, 9),
        closes_at=closes_at or at(12, 31, 18),
        mode=mode,
        second_hand=second_hand,
    )
