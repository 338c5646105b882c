"""Hands from every channel in one tally; counted sheets entered in bulk, all or nothing."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.errors import BallotRefused, DataFormatError
from microgov.policy import MeetingMode, SecondHand
from microgov.voting import (
    Channel,
    Choice,
    PaperSheet,
    SheetLine,
    VoteState,
    enter_sheet,
    raise_hand,
    tally,
)
from profiles import examples
from voting.voting_world import at, graph, roll, vote

H, R = graph(), roll()


def _sheet(
    *lines: tuple[str, Choice],
    ref: str = "B111-01",
    channel: Channel = Channel.PAPER,
    when: tuple[int, int] = (12, 3),
) -> PaperSheet:
    return PaperSheet(
        reference=ref,
        counted_by="w1",
        counted_at=at(*when, 19),
        lines=[SheetLine(voter=v, choice=c) for v, c in lines],
        channel=channel,
    )


def test_a_hand_records_its_channel_and_online_is_the_default() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    s = raise_hand(
        v, VoteState.start("v1"), R, H, voter="r1", choice=Choice.IN_FAVOUR, at=at(12, 2)
    )
    s = raise_hand(
        v, s, R, H, voter="r4", choice=Choice.AGAINST, at=at(12, 2), channel=Channel.MEETING
    )
    assert s.hand_of("r1").channel is Channel.ONLINE
    assert s.hand_of("r4").channel is Channel.MEETING
    assert s.hand_of("r4").sheet is None
    assert dict(s.by_channel()) == {Channel.ONLINE: 1, Channel.MEETING: 1, Channel.PAPER: 0}


def test_one_hand_per_household_across_channels_refused() -> None:
    v = vote(MeetingMode.HOUSEHOLDS)
    s = raise_hand(
        v, VoteState.start("v1"), R, H, voter="r4", choice=Choice.IN_FAVOUR, at=at(12, 2)
    )
    with pytest.raises(BallotRefused) as info:
        enter_sheet(v, s, R, H, sheet=_sheet(("r4", Choice.AGAINST), ("r6", Choice.IN_FAVOUR)))
    verdict = info.value.verdicts[0]
    assert verdict.code == "voting.second_hand"
    assert verdict.figures["earlier_channel"] == "online"
    assert verdict.figures["channel"] == "paper"
    assert verdict.figures["line"] == 1
    assert verdict.figures["sheet"] == "B111-01"
    assert s.count() == 1  # nothing changed


def test_a_later_paper_hand_replaces_an_online_one_under_replace() -> None:
    v = vote(MeetingMode.HOUSEHOLDS, second_hand=SecondHand.REPLACE)
    s = raise_hand(
        v, VoteState.start("v1"), R, H, voter="r4", choice=Choice.IN_FAVOUR, at=at(12, 2)
    )
    s = enter_sheet(v, s, R, H, sheet=_sheet(("r4", Choice.AGAINST)))
    assert s.count() == 1
    hand = s.hand_of("r4")
    assert (hand.choice, hand.channel, hand.sheet, hand.counted_by) == (
        Choice.AGAINST,
        Channel.PAPER,
        "B111-01",
        "w1",
    )
    # and an online hand replaces a paper one
    s = raise_hand(v, s, R, H, voter="r4", choice=Choice.ABSTAIN, at=at(12, 4))
    assert s.hand_of("r4").channel is Channel.ONLINE
    assert s.count() == 1


def test_a_sheet_is_refused_whole_listing_every_failing_line() -> None:
    v = vote(MeetingMode.HOUSEHOLDS)
    start = VoteState.start("v1")
    sheet = _sheet(
        ("r1", Choice.IN_FAVOUR),
        ("nobody", Choice.IN_FAVOUR),
        ("r8", Choice.AGAINST),  # lives in a2
        ("r4", Choice.IN_FAVOUR),
    )
    with pytest.raises(BallotRefused) as info:
        enter_sheet(v, start, R, H, sheet=sheet)
    lines = {(x.code, x.figures["line"]) for x in info.value.verdicts}
    assert lines == {("voting.unknown_voter", 2), ("voting.outside_scope", 3)}
    assert start.count() == 0


def test_two_lines_of_one_household_on_a_sheet_are_a_duplicate() -> None:
    v = vote(MeetingMode.HOUSEHOLDS, second_hand=SecondHand.REPLACE)
    with pytest.raises(BallotRefused) as info:
        enter_sheet(
            v,
            VoteState.start("v1"),
            R,
            H,
            sheet=_sheet(("r9", Choice.IN_FAVOUR), ("r10", Choice.AGAINST)),  # both h6
        )
    (verdict,) = info.value.verdicts
    assert verdict.code == "voting.sheet_duplicate"
    assert (verdict.figures["line"], verdict.figures["earlier_line"]) == (2, 1)


def test_a_sheet_counts_once() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    s = enter_sheet(v, VoteState.start("v1"), R, H, sheet=_sheet(("r1", Choice.IN_FAVOUR)))
    with pytest.raises(BallotRefused) as info:
        enter_sheet(v, s, R, H, sheet=_sheet(("r2", Choice.IN_FAVOUR)))
    assert info.value.code == "voting.sheet_already_entered"
    assert s.sheets() == frozenset({"B111-01"})


def test_a_sheet_outside_the_window_is_refused() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    with pytest.raises(BallotRefused) as info:
        enter_sheet(
            v, VoteState.start("v1"), R, H, sheet=_sheet(("r1", Choice.IN_FAVOUR), when=(11, 30))
        )
    assert info.value.verdicts[0].code == "voting.not_open"


def test_every_channel_counts_in_one_tally() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    s = raise_hand(
        v, VoteState.start("v1"), R, H, voter="r1", choice=Choice.IN_FAVOUR, at=at(12, 2)
    )
    s = enter_sheet(
        v,
        s,
        R,
        H,
        sheet=_sheet(("r2", Choice.IN_FAVOUR), ("r4", Choice.AGAINST), channel=Channel.MEETING),
    )
    s = enter_sheet(v, s, R, H, sheet=_sheet(("r6", Choice.IN_FAVOUR), ref="B121-01"))
    t = tally(v, s, R, H)
    assert (t.present, t.entitled, t.in_favour) == (4, 6, 3)
    assert dict(t.by_channel) == {"online": 1, "meeting": 2, "paper": 1}
    assert t.figures["hands_meeting"] == 2
    assert t.passed  # 4 of 6 present, 3 of 4 in favour
    assert t.verdicts["quorum"].figures["decided_on"] == t.decided_on


def test_sheets_are_checked_when_built() -> None:
    with pytest.raises(DataFormatError) as info:
        _sheet()
    assert info.value.code == "voting.invalid_sheet"
    with pytest.raises(DataFormatError):
        _sheet(("r1", Choice.IN_FAVOUR), channel=Channel.ONLINE)
    with pytest.raises(DataFormatError):
        SheetLine(voter="r1", choice="yes")  # type: ignore[arg-type]
    with pytest.raises(DataFormatError) as naive:
        PaperSheet(
            reference="x",
            counted_by="w1",
            counted_at=at(12, 3).replace(tzinfo=None),
            lines=[SheetLine(voter="r1", choice=Choice.IN_FAVOUR)],
        )
    assert naive.value.code == "time.not_aware"
    with pytest.raises(DataFormatError):
        enter_sheet(vote(), VoteState.start("v1"), R, H, sheet="sheet")  # type: ignore[arg-type]
    with pytest.raises(DataFormatError) as bad_channel:
        raise_hand(
            vote(),
            VoteState.start("v1"),
            R,
            H,
            voter="r1",
            choice=Choice.IN_FAVOUR,
            at=at(12, 2),
            channel="paper",  # type: ignore[arg-type]
        )
    assert bad_channel.value.code == "voting.invalid_channel"


_VOTERS = ("r1", "r2", "r4", "r6", "r9", "r10", "nobody", "r8", "r5")
_CHOICES = st.sampled_from(list(Choice))
_CHANNELS = st.sampled_from([Channel.PAPER, Channel.MEETING])


@settings(max_examples=examples(60), deadline=None)
@given(
    online=st.lists(st.tuples(st.sampled_from(_VOTERS), _CHOICES), max_size=6),
    sheets=st.lists(
        st.tuples(
            st.lists(st.tuples(st.sampled_from(_VOTERS), _CHOICES), min_size=1, max_size=5),
            _CHANNELS,
        ),
        max_size=4,
    ),
    mode=st.sampled_from([MeetingMode.HOUSEHOLDS, MeetingMode.ALL_ADULTS]),
    policy=st.sampled_from(list(SecondHand)),
)
def test_property_one_slot_one_hand_and_refusals_change_nothing(
    online: list[tuple[str, Choice]],
    sheets: list[tuple[list[tuple[str, Choice]], Channel]],
    mode: MeetingMode,
    policy: SecondHand,
) -> None:
    v = vote(mode, second_hand=policy)
    s = VoteState.start("v1")
    for voter, choice in online:
        with contextlib.suppress(BallotRefused):
            s = raise_hand(v, s, R, H, voter=voter, choice=choice, at=at(12, 2))
    for number, (lines, channel) in enumerate(sheets):
        sheet = PaperSheet(
            reference=f"S{number}",
            counted_by="w1",
            counted_at=at(12, 3 + number),
            lines=[SheetLine(voter=x, choice=c) for x, c in lines],
            channel=channel,
        )
        before = s
        try:
            s = enter_sheet(v, s, R, H, sheet=sheet)
        except BallotRefused:
            assert s is before
            assert s.hands == before.hands
        else:
            assert sheet.reference in s.sheets()
    slots = [h.household if mode is MeetingMode.HOUSEHOLDS else h.voter for h in s.hands]
    assert len(slots) == len(set(slots))
    assert sum(s.by_channel().values()) == s.count()
    t = tally(v, s, R, H)
    assert sum(t.by_channel.values()) == t.present <= t.entitled
