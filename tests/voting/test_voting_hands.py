"""Hand-raising votes: refusals, one hand per household, tallies under the law in force."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from voting_world import at, graph, person, roll, vote

from microgov.calendar import SHANGHAI
from microgov.errors import BallotRefused, DataFormatError, NodeNotFound, PolicyError
from microgov.hierarchy import Hierarchy
from microgov.policy import PRESETS, MeetingMode, SecondHand, Verdict
from microgov.voting import (
    Choice,
    Roll,
    Tally,
    Vote,
    VoteState,
    raise_hand,
    tally,
    withdraw_hand,
)
from profiles import examples

H = graph()
R = roll()
NOON = at(12, 2)


def refused(
    v: Vote,
    state: VoteState,
    voter: str,
    *,
    when: datetime = NOON,
    choice: Choice = Choice.IN_FAVOUR,
    r: Roll = R,
) -> BallotRefused:
    with pytest.raises(BallotRefused) as caught:
        raise_hand(v, state, r, H, voter=voter, choice=choice, at=when)
    return caught.value


def codes(err: BallotRefused) -> list[str]:
    out = []
    for v in err.verdicts:
        assert isinstance(v, Verdict)
        assert not v.passed
        assert v.message_en
        assert v.message_zh
        out.append(v.code)
    return out


def raised(v: Vote, *voters: str, choice: Choice = Choice.IN_FAVOUR) -> VoteState:
    state = VoteState.start(v.id)
    for voter in voters:
        state = raise_hand(v, state, R, H, voter=voter, choice=choice, at=NOON)
    return state


@pytest.mark.parametrize(
    ("mode", "voter", "when", "code"),
    [
        (MeetingMode.HOUSEHOLDS, "r1", at(12, 1, 8), "voting.not_open"),
        (MeetingMode.HOUSEHOLDS, "r1", at(12, 31, 18), "voting.closed"),
        (MeetingMode.HOUSEHOLDS, "r1", at(1, 1, 0, year=2026), "voting.closed"),
        (MeetingMode.HOUSEHOLDS, "ghost", NOON, "voting.unknown_voter"),
        (MeetingMode.ALL_ADULTS, "r5", NOON, "voting.not_verified"),
        (MeetingMode.ALL_ADULTS, "r3", NOON, "voting.not_adult"),
        (MeetingMode.GROUP_REPRESENTATIVES, "r8", NOON, "voting.outside_scope"),
        (MeetingMode.HOUSEHOLDS, "r2", NOON, "voting.not_entitled"),
        (MeetingMode.GROUP_REPRESENTATIVES, "r1", NOON, "voting.not_entitled"),
    ],
)
def test_each_refusal_reason(mode: MeetingMode, voter: str, when: datetime, code: str) -> None:
    v = vote(mode)
    before = raised(v, "r6")
    err = refused(v, before, voter, when=when)
    assert codes(err) == [code]
    assert err.code == code
    assert err.details["vote"] == "v1"
    assert "refused" in err.message_en
    assert "被拒绝" in err.message_zh


def test_a_refused_hand_leaves_the_state_equal_to_before() -> None:
    v = vote(MeetingMode.HOUSEHOLDS)
    before = raised(v, "r1", "r4")
    snapshot = VoteState(vote_id=before.vote_id, hands=before.hands)
    for voter in ("r2", "r3", "r5", "r8", "ghost"):
        refused(v, before, voter)
    refused(v, before, "r1", choice=Choice.AGAINST)
    assert before == snapshot


def test_every_failing_reason_is_reported() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    r = Roll(residents=[*R, person("kid", "h9", "b211", adult=False, verified=False)])
    err = refused(v, VoteState.start("v1"), "kid", when=at(12, 31, 20), r=r)
    assert codes(err) == [
        "voting.closed",
        "voting.not_verified",
        "voting.not_adult",
        "voting.outside_scope",
    ]
    assert err.code == "voting.closed"


def test_verdict_figures_name_what_was_checked() -> None:
    v = vote(MeetingMode.GROUP_REPRESENTATIVES)
    (verdict,) = refused(v, VoteState.start("v1"), "r8").verdicts
    assert isinstance(verdict, Verdict)
    assert dict(verdict.figures) == {"voter": "r8", "home": "b211", "scope": "a1"}
    (verdict,) = refused(v, VoteState.start("v1"), "r6", when=at(11, 30)).verdicts
    assert isinstance(verdict, Verdict)
    assert verdict.figures["opens_at"] == "2025-12-01T09:00:00+08:00"


def test_second_hand_of_a_household_refused() -> None:
    v = vote(MeetingMode.HOUSEHOLDS, second_hand=SecondHand.REFUSE)
    state = raised(v, "r9")
    err = refused(v, state, "r10", choice=Choice.AGAINST)
    assert codes(err) == ["voting.second_hand"]
    assert err.verdicts[0].figures["earlier_voter"] == "r9"  # type: ignore[attr-defined]
    # The same voter again is a second hand too.
    assert codes(refused(v, state, "r9", choice=Choice.AGAINST)) == ["voting.second_hand"]


def test_second_hand_of_a_household_replaces_under_replace() -> None:
    v = vote(MeetingMode.HOUSEHOLDS, second_hand=SecondHand.REPLACE)
    state = raised(v, "r9", "r4")
    later = at(12, 3)
    after = raise_hand(v, state, R, H, voter="r10", choice=Choice.AGAINST, at=later)
    assert [(h.voter, h.household, h.choice) for h in after.hands] == [
        ("r10", "h6", Choice.AGAINST),
        ("r4", "h2", Choice.IN_FAVOUR),
    ]
    replacing = after.hand_of("r10")
    assert replacing is not None
    assert replacing.at == later
    assert state.count() == 2
    assert state.hand_of("r9") is not None


def test_all_adults_mode_counts_each_adult_of_a_household() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    state = raised(v, "r9", "r10", "r1", "r2")
    assert state.count() == 4
    assert codes(refused(v, state, "r2", choice=Choice.ABSTAIN)) == ["voting.second_hand"]
    replace = vote(MeetingMode.ALL_ADULTS, second_hand=SecondHand.REPLACE)
    changed = raise_hand(
        replace, raised(replace, "r2"), R, H, voter="r2", choice=Choice.ABSTAIN, at=NOON
    )
    assert [(h.voter, h.choice) for h in changed.hands] == [("r2", Choice.ABSTAIN)]


def test_withdraw_hand() -> None:
    v = vote(MeetingMode.HOUSEHOLDS)
    state = raised(v, "r1", "r4")
    after = withdraw_hand(v, state, voter="r1", at=at(12, 5))
    assert [h.voter for h in after.hands] == ["r4"]
    # the household may raise again after withdrawing
    again = raise_hand(v, after, R, H, voter="r1", choice=Choice.AGAINST, at=at(12, 6))
    assert again.hand_of("r1").choice is Choice.AGAINST  # type: ignore[union-attr]
    with pytest.raises(BallotRefused) as caught:
        withdraw_hand(v, after, voter="r1", at=at(12, 5))
    assert codes(caught.value) == ["voting.no_hand"]
    with pytest.raises(BallotRefused) as caught:
        withdraw_hand(v, state, voter="r1", at=at(12, 31, 18))
    assert codes(caught.value) == ["voting.closed"]
    with pytest.raises(BallotRefused) as caught:
        withdraw_hand(v, state, voter="r2", at=at(11, 1))
    assert codes(caught.value) == ["voting.not_open", "voting.no_hand"]


def test_naive_times_and_foreign_states_are_refused() -> None:
    v = vote()
    with pytest.raises(DataFormatError) as caught:
        raise_hand(
            v,
            VoteState.start("v1"),
            R,
            H,
            voter="r1",
            choice=Choice.IN_FAVOUR,
            at=datetime(2025, 12, 2),
        )
    assert caught.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as caught:
        raise_hand(v, VoteState.start("other"), R, H, voter="r1", choice=Choice.IN_FAVOUR, at=NOON)
    assert caught.value.code == "voting.wrong_state"
    with pytest.raises(DataFormatError) as caught:
        raise_hand(v, VoteState.start("v1"), R, H, voter="r1", choice="yes", at=NOON)  # type: ignore[arg-type]
    assert caught.value.code == "voting.invalid_choice"
    with pytest.raises(NodeNotFound):
        raise_hand(
            vote(scope="zz"),
            VoteState.start("v1"),
            R,
            H,
            voter="r1",
            choice=Choice.IN_FAVOUR,
            at=NOON,
        )


def test_vote_fields_are_checked() -> None:
    with pytest.raises(DataFormatError) as caught:
        vote(opens_at=at(12, 31), closes_at=at(12, 1))
    assert caught.value.code == "voting.invalid_vote"
    with pytest.raises(DataFormatError) as caught:
        vote(closes_at=datetime(2025, 12, 31))
    assert caught.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as caught:
        vote(mode="households")  # type: ignore[arg-type]
    assert caught.value.details["field"] == "mode"
    with pytest.raises(DataFormatError):
        vote(second_hand="refuse")  # type: ignore[arg-type]
    # Times in another zone are kept in Asia/Shanghai.
    v = vote(closes_at=datetime(2025, 12, 31, 17, tzinfo=UTC))
    assert v.closes_at.tzinfo is SHANGHAI
    assert v.closes_at.hour == 1
    assert v.decision_date == date(2026, 1, 1)


def test_a_hand_at_the_opening_instant_counts() -> None:
    v = vote()
    state = raise_hand(
        v, VoteState.start("v1"), R, H, voter="r1", choice=Choice.IN_FAVOUR, at=v.opens_at
    )
    last = v.closes_at - timedelta(microseconds=1)
    state = raise_hand(v, state, R, H, voter="r4", choice=Choice.IN_FAVOUR, at=last)
    assert state.count() == 2


# --- tallies --------------------------------------------------------------------------------


def test_decision_on_2025_12_31_uses_the_2018_law() -> None:
    v = vote(closes_at=at(12, 31, 18))
    t = tally(v, raised(v, "r1", "r4", "r6"), R, H)
    assert t.decided_on == date(2025, 12, 31)
    assert t.preset_key == "residents_meeting_2018"
    for key in ("quorum", "majority"):
        assert t.verdicts[key].figures["preset"] == "residents_meeting_2018"
        citation = t.verdicts[key].citation
        assert citation is not None
        assert citation.in_force_to == date(2025, 12, 31)
        assert citation.verified
    assert t.passed


def test_decision_on_2026_01_02_uses_the_2025_revision() -> None:
    v = vote(closes_at=at(1, 2, 18, year=2026))
    t = tally(v, raised(v, "r1", "r4", "r6"), R, H)
    assert t.decided_on == date(2026, 1, 2)
    assert t.preset_key == "residents_meeting_2025"
    citation = t.verdicts["quorum"].citation
    assert citation is not None
    assert citation == PRESETS["residents_meeting_2025"].citation
    assert not citation.verified
    assert t.verdicts["majority"].figures["preset"] == "residents_meeting_2025"


def test_the_decision_date_is_the_closing_date_in_shanghai_unless_given() -> None:
    v = vote(closes_at=datetime(2025, 12, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 January
    state = raised(v, "r1")
    assert tally(v, state, R, H).preset_key == "residents_meeting_2025"
    early = vote(closes_at=at(12, 31, 18))
    assert tally(early, raised(early, "r1"), R, H, on=date(2026, 1, 2)).preset_key == (
        "residents_meeting_2025"
    )
    with pytest.raises(BallotRefused) as caught:
        tally(early, raised(early, "r1"), R, H, on=date(2025, 12, 30))
    assert caught.value.code == "voting.not_closed"
    with pytest.raises(DataFormatError):
        tally(early, raised(early, "r1"), R, H, on=datetime(2026, 1, 2, tzinfo=SHANGHAI))


def test_tally_counts_and_figures() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    state = VoteState.start("v1")
    for voter, choice in [
        ("r1", Choice.IN_FAVOUR),
        ("r2", Choice.AGAINST),
        ("r4", Choice.ABSTAIN),
        ("r9", Choice.IN_FAVOUR),
    ]:
        state = raise_hand(v, state, R, H, voter=voter, choice=choice, at=NOON)
    t = tally(v, state, R, H)
    assert (t.present, t.in_favour, t.against, t.abstain, t.entitled) == (4, 2, 1, 1, 6)
    assert t.figures["entitled"] == 6
    assert t.figures["mode"] == "all_adults"
    assert t.verdicts["quorum"].passed
    assert t.verdicts["quorum"].figures["entitled"] == 6
    # 2 of 4 in favour is not more than half: abstentions count as present.
    assert not t.verdicts["majority"].passed
    assert not t.passed
    assert [v.code for v in t.judgement.failures] == ["majority.not_met"]


def test_tally_with_a_custom_preset_mapping() -> None:
    v = vote()
    t = tally(v, raised(v, "r1"), R, H, presets=PRESETS)
    assert t.preset_key == "residents_meeting_2018"
    with pytest.raises(PolicyError):
        tally(v, raised(v, "r1"), R, H, presets={})


def big(households: int) -> Roll:
    """``households`` households in b211 (area a2), one verified adult each."""
    return Roll(residents=[person(f"p{i:02d}", f"hh{i:02d}", "b211") for i in range(households)])


def run(v: Vote, r: Roll, ballots: list[Choice]) -> Tally:
    state = VoteState.start(v.id)
    for i, choice in enumerate(ballots):
        state = raise_hand(v, state, r, H, voter=f"p{i:02d}", choice=choice, at=NOON)
    return tally(v, state, r, H)


@pytest.mark.parametrize("closes", [at(12, 31, 18), at(1, 2, 18, year=2026)])
def test_quorum_boundaries_through_the_whole_vote(closes: datetime) -> None:
    v = vote(MeetingMode.HOUSEHOLDS, scope="a2", closes_at=closes)
    r = big(10)
    yes, no, abstain = Choice.IN_FAVOUR, Choice.AGAINST, Choice.ABSTAIN
    half = run(v, r, [yes] * 5)
    assert half.entitled == 10
    assert half.present == 5
    assert half.verdicts["quorum"].code == "quorum.not_met"
    assert not half.passed
    one_more = run(v, r, [yes] * 6)
    assert one_more.verdicts["quorum"].passed
    assert one_more.passed
    tie = run(v, r, [yes] * 3 + [no] * 3)
    assert tie.verdicts["quorum"].passed
    assert not tie.verdicts["majority"].passed
    assert not tie.passed
    with_abstention = run(v, r, [yes] * 3 + [no] * 2 + [abstain])
    assert not with_abstention.passed
    four_two = run(v, r, [yes] * 4 + [no] * 2)
    assert four_two.passed
    odd = big(9)
    assert not run(v, odd, [yes] * 4).verdicts["quorum"].passed
    assert run(v, odd, [yes] * 5).verdicts["quorum"].passed


# --- properties -----------------------------------------------------------------------------

VOTERS = [x.id for x in R] + ["ghost"]

operations = st.lists(
    st.tuples(
        st.sampled_from(["raise", "withdraw"]),
        st.sampled_from(VOTERS),
        st.sampled_from(list(Choice)),
        st.integers(min_value=-2, max_value=40),  # days after 1 December (the window is 30.25)
    ),
    max_size=30,
)


@settings(max_examples=examples(150), deadline=None)
@given(
    ops=operations,
    mode=st.sampled_from(list(MeetingMode)),
    policy=st.sampled_from(list(SecondHand)),
    scope=st.sampled_from(["t", "a1", "g11"]),
)
def test_any_sequence_keeps_one_hand_per_slot_and_the_tally_counts_the_hands(
    ops: list[tuple[str, str, Choice, int]],
    mode: MeetingMode,
    policy: SecondHand,
    scope: str,
) -> None:
    v = vote(mode, scope=scope, second_hand=policy)
    hierarchy: Hierarchy = H
    state = VoteState.start("v1")
    entitled = set(R.entitled(hierarchy, scope=scope, mode=mode))
    for kind, voter, choice, days in ops:
        when = at(12, 1, 10) + timedelta(days=days)
        before = state
        try:
            if kind == "raise":
                state = raise_hand(v, state, R, hierarchy, voter=voter, choice=choice, at=when)
            else:
                state = withdraw_hand(v, state, voter=voter, at=when)
        except BallotRefused:
            assert state == before
        households = [h.household for h in state.hands]
        voters = [h.voter for h in state.hands]
        assert len(set(voters)) == len(voters)
        if mode is MeetingMode.HOUSEHOLDS:
            assert len(set(households)) == len(households)
            assert set(households) <= entitled
        else:
            assert set(voters) <= entitled
    t = tally(v, state, R, hierarchy)
    assert t.present == len(state.hands) <= t.entitled == len(entitled)
    assert t.in_favour == sum(1 for h in state.hands if h.choice is Choice.IN_FAVOUR)
    assert t.against == sum(1 for h in state.hands if h.choice is Choice.AGAINST)
    assert t.abstain == sum(1 for h in state.hands if h.choice is Choice.ABSTAIN)
    assert t.present == t.in_favour + t.against + t.abstain
    assert t.passed == (t.verdicts["quorum"].passed and t.verdicts["majority"].passed)


def test_a_roll_that_shrank_since_the_hands_were_raised_is_a_policy_error() -> None:
    v = vote(MeetingMode.ALL_ADULTS)
    state = raised(v, "r1", "r2")
    smaller = Roll(residents=[x for x in R if x.id not in {"r1", "r2", "r4", "r6", "r9"}])
    with pytest.raises(PolicyError) as caught:
        tally(v, state, smaller, H)
    assert caught.value.code == "policy.present_exceeds_entitled"
