"""Meetings: attendance against the roll (quorum), sign-in sheets, decisions, yearly checks."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.calendar import SHANGHAI
from microgov.errors import DataFormatError, PolicyError
from microgov.meetings import (
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
from microgov.policy import MeetingMode
from profiles import examples
from voting.voting_world import graph, roll

H, R = graph(), roll()


def _meeting(
    kind: MeetingKind = MeetingKind.RESIDENTS_MEETING,
    *,
    area: str = "a1",
    day: date = date(2025, 6, 1),
    attendees: tuple[str, ...] = (),
    sheets: tuple[SignInSheet, ...] = (),
    mode: MeetingMode | None = MeetingMode.HOUSEHOLDS,
    mid: str = "m1",
) -> Meeting:
    return Meeting(
        id=mid,
        area=area,
        kind=kind,
        title_zh=kind.label_zh,
        agenda=["年度工作报告"],
        notice=Notice(given_on=date(day.year, day.month, 1), method=NoticeMethod.PLATFORM),
        held_at=datetime(day.year, day.month, day.day, 19, tzinfo=SHANGHAI),
        mode=mode,
        attendees=attendees,
        sheets=sheets,
        minutes="会议纪要……",
        decisions=[Decision(id="d1", text_zh="同意安装晾衣架", subjects=["p-7", "t-3"])],
    )


def test_quorum_counts_households_present_on_sheets_too() -> None:
    # entitled households in a1: h1 h2 h3 h6 (4); more than half needs 3
    two = _meeting(
        attendees=("r1", "r2"),
        sheets=(SignInSheet(reference="S1", counted_by="w1", attendees=("r4",)),),
    )
    v = judge_attendance(two, R, H).quorum
    assert v is not None
    assert (v.passed, v.figures["present"], v.figures["entitled"]) == (False, 2, 4)  # r1, r2 = h1
    three = _meeting(
        attendees=("r1",),
        sheets=(SignInSheet(reference="S1", counted_by="w1", attendees=("r4", "r6", "r8", "r7")),),
    )
    v3 = judge_attendance(three, R, H).quorum
    assert v3 is not None
    assert (v3.passed, v3.figures["present"], v3.figures["meeting"]) == (True, 3, "m1")
    assert v3.figures["decided_on"] == date(2025, 6, 1)


def test_a_2015_meeting_is_judged_by_the_1990_preset_and_2026_by_the_new_law() -> None:
    old = judge_attendance(_meeting(day=date(2015, 6, 1), attendees=("r1", "r4", "r6")), R, H)
    assert old.quorum is not None
    assert old.quorum.figures["preset"] == "residents_meeting_2018"
    new = judge_attendance(_meeting(day=date(2026, 1, 2), attendees=("r1", "r4", "r6")), R, H)
    assert new.quorum is not None
    assert new.quorum.figures["preset"] == "residents_meeting_2025"
    assert new.quorum.citation is not None
    assert new.quorum.citation.verified is False


def test_only_residents_meetings_have_a_quorum() -> None:
    with pytest.raises(PolicyError) as info:
        judge_attendance(_meeting(MeetingKind.HEARING), R, H)
    assert info.value.code == "meeting.no_quorum_rule"
    with pytest.raises(PolicyError):
        judge_attendance(_meeting(mode=None), R, H)


def test_a_meeting_record_is_checked() -> None:
    m = _meeting()
    assert dict(m.decided()) == {"p-7": ("d1",), "t-3": ("d1",)}
    with pytest.raises(DataFormatError):
        Meeting(
            id="m",
            area="a1",
            kind=MeetingKind.HEARING,
            title_zh="听证会",
            agenda=[],
            held_at=datetime(2025, 1, 1, tzinfo=SHANGHAI),
        )
    with pytest.raises(DataFormatError):
        Meeting(
            id="m",
            area="a1",
            kind=MeetingKind.HEARING,
            title_zh="听证会",
            agenda=["x"],
            held_at=datetime(2025, 1, 1, tzinfo=SHANGHAI),
            notice=Notice(given_on=date(2025, 1, 2), method=NoticeMethod.OTHER),
        )
    with pytest.raises(DataFormatError) as naive:
        Meeting(
            id="m",
            area="a1",
            kind=MeetingKind.HEARING,
            title_zh="听证会",
            agenda=["x"],
            held_at=datetime(2025, 1, 1),
        )
    assert naive.value.code == "time.naive_datetime"
    with pytest.raises(DataFormatError):
        Publication(
            area="a1", item="nope", published_on=date(2025, 1, 1), method=NoticeMethod.OTHER
        )


def _held(area: str, day: date) -> Meeting:
    return judge_attendance(_meeting(area=area, day=day, attendees=("r1", "r4", "r6")), R, H)


def test_yearly_compliance_lists_what_is_missing_per_area() -> None:
    meetings = [
        _held("a1", date(2025, 6, 1)),
        _meeting(MeetingKind.DEMOCRATIC_REVIEW, day=date(2025, 12, 10), mid="m2", mode=None),
        _meeting(MeetingKind.DEMOCRATIC_REVIEW, area="a2", day=date(2024, 12, 10), mode=None),
    ]
    publications = [
        Publication(
            area="a1",
            item="three_meetings",
            published_on=date(2025, 12, 20),
            method=NoticeMethod.NOTICE_BOARD,
        ),
        Publication(
            area="a1",
            item="work_funds",
            published_on=date(2025, 12, 20),
            method=NoticeMethod.PLATFORM,
        ),
        Publication(
            area="a2",
            item="work_funds",
            published_on=date(2025, 3, 1),
            method=NoticeMethod.PLATFORM,
        ),
    ]
    report = yearly_compliance(meetings, publications, areas=["a1", "a2"], year=2025)
    assert report.compliant_areas() == ("a1",)
    assert dict(report.missing()) == {
        "a2": ("democratic_review_yearly", "publication_yearly", "residents_meeting_yearly")
    }
    lacking = report.areas["a2"].verdicts["publication_yearly"]
    assert lacking.code == "compliance.missing"
    assert lacking.figures["lacking"] == "three_meetings"
    assert lacking.citation is not None
    assert lacking.citation.verified is False  # the Shanghai regulation was not read


def test_a_residents_meeting_without_quorum_does_not_count() -> None:
    short = judge_attendance(_meeting(attendees=("r1",)), R, H)
    unjudged = _meeting(attendees=("r1", "r4", "r6"))
    report = yearly_compliance([short, unjudged], [], areas=["a1"], year=2025)
    assert "residents_meeting_yearly" in report.areas["a1"].missing
    with pytest.raises(DataFormatError):
        yearly_compliance([], [], areas=["a1"], year=1900)


@settings(max_examples=examples(40), deadline=None)
@given(
    days=st.lists(
        st.tuples(
            st.sampled_from(["a1", "a2"]),
            st.sampled_from(list(MeetingKind)),
            st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
        ),
        max_size=10,
    ),
    year=st.sampled_from([2024, 2025, 2026]),
)
def test_property_met_and_missing_partition_the_obligations(
    days: list[tuple[str, MeetingKind, date]], year: int
) -> None:
    meetings = [
        _meeting(kind, area=area, day=day, mid=f"m{i}", mode=None)
        for i, (area, kind, day) in enumerate(days)
    ]
    report = yearly_compliance(meetings, [], areas=["a1", "a2", "a3"], year=year)
    for area, c in report.areas.items():
        assert set(c.met) | set(c.missing) == set(c.verdicts)
        assert not set(c.met) & set(c.missing)
        review = any(
            k is MeetingKind.DEMOCRATIC_REVIEW and a == area and d.year == year for a, k, d in days
        )
        assert ("democratic_review_yearly" in c.met) == review
        assert "publication_yearly" in c.missing
