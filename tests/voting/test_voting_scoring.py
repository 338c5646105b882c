"""Scoring ballots: who may score, range checks, and exact results."""

from __future__ import annotations

import statistics
from datetime import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from voting_world import at, graph, person, roll

from microgov.errors import BallotRefused, DataFormatError, NodeNotFound
from microgov.policy import Verdict
from microgov.voting import (
    Roll,
    ScoreCard,
    ScoringBallot,
    ScoringState,
    cast_scores,
    score_results,
)
from profiles import examples

H = graph()
R = roll()
NOON = at(12, 2)


def ballot(subjects: tuple[str, ...] = ("c1", "c2", "c3"), scope: str = "a1") -> ScoringBallot:
    return ScoringBallot(
        id="s2025",
        scope=scope,
        subjects=subjects,
        min_score=0,
        max_score=100,
        opens_at=at(12, 1, 9),
        closes_at=at(12, 15, 18),
    )


def refused_codes(
    b: ScoringBallot,
    state: ScoringState,
    voter: str,
    scores: dict[str, object],
    *,
    when: datetime = NOON,
    r: Roll = R,
) -> list[str]:
    with pytest.raises(BallotRefused) as caught:
        cast_scores(b, state, r, H, voter=voter, scores=scores, at=when)  # type: ignore[arg-type]
    out = []
    for v in caught.value.verdicts:
        assert isinstance(v, Verdict)
        assert v.message_en
        assert v.message_zh
        out.append(v.code)
    assert caught.value.code == out[0]
    return out


@pytest.mark.parametrize(
    ("voter", "scores", "when", "codes"),
    [
        ("r1", {"c1": 90}, at(12, 1, 8), ["voting.not_open"]),
        ("r1", {"c1": 90}, at(12, 15, 18), ["voting.closed"]),
        ("ghost", {"c1": 90}, NOON, ["voting.unknown_voter"]),
        ("r5", {"c1": 90}, NOON, ["voting.not_verified"]),
        ("r3", {"c1": 90}, NOON, ["voting.not_adult"]),
        ("r8", {"c1": 90}, NOON, ["voting.outside_scope"]),
        ("r1", {}, NOON, ["voting.empty_card"]),
        ("r1", {"zz": 90}, NOON, ["voting.unknown_subject"]),
        ("r1", {"c1": 101}, NOON, ["voting.score_out_of_range"]),
        ("r1", {"c1": -1}, NOON, ["voting.score_out_of_range"]),
        ("r1", {"c1": 90.0}, NOON, ["voting.score_out_of_range"]),
        ("r1", {"c1": True}, NOON, ["voting.score_out_of_range"]),
        ("r1", {"c1": Fraction(181, 2)}, NOON, ["voting.score_out_of_range"]),
        (
            "r1",
            {"c1": 200, "c2": 50, "zz": 1},
            NOON,
            ["voting.score_out_of_range", "voting.unknown_subject"],
        ),
    ],
)
def test_each_refusal_reason(
    voter: str, scores: dict[str, object], when: datetime, codes: list[str]
) -> None:
    state = ScoringState.start("s2025")
    assert refused_codes(ballot(), state, voter, scores, when=when) == codes
    assert state == ScoringState.start("s2025")


def test_one_card_per_resident_and_no_self_scoring() -> None:
    b = ballot(subjects=("c1", "r2"))
    state = cast_scores(
        b, ScoringState.start("s2025"), R, H, voter="r1", scores={"c1": 90}, at=NOON
    )
    before = state
    assert refused_codes(b, state, "r1", {"r2": 80}) == ["voting.second_ballot"]
    assert refused_codes(b, state, "r2", {"c1": 80}) == ["voting.self_scoring"]
    assert state == before
    assert [c.voter for c in state.cards] == ["r1"]


def test_cards_may_score_some_subjects_and_the_bounds_are_inclusive() -> None:
    b = ballot()
    state = ScoringState.start("s2025")
    state = cast_scores(b, state, R, H, voter="r1", scores={"c1": 0, "c3": 100}, at=NOON)
    state = cast_scores(b, state, R, H, voter="r2", scores={"c1": 100}, at=b.opens_at)
    results = score_results(b, state, R, H)
    assert [(s.subject, s.count) for s in results.subjects] == [("c1", 2), ("c2", 0), ("c3", 1)]
    c2 = results.of("c2")
    assert (c2.mean, c2.median, c2.minimum, c2.maximum) == (None, None, None, None)
    assert c2.participation == 0
    with pytest.raises(DataFormatError) as caught:
        results.of("zz")
    assert caught.value.code == "voting.unknown_subject"


def test_participation_keeps_both_numbers() -> None:
    b = ballot()
    state = ScoringState.start("s2025")
    for voter in ("r1", "r2", "r4"):
        state = cast_scores(b, state, R, H, voter=voter, scores={"c1": 80, "c2": 70}, at=NOON)
    state = cast_scores(b, state, R, H, voter="r6", scores={"c1": 65}, at=NOON)
    results = score_results(b, state, R, H)
    # Entitled in a1: the verified adults r1 r2 r4 r6 r9 r10.
    assert (results.ballots, results.entitled, results.participation) == (4, 6, Fraction(2, 3))
    c2 = results.of("c2")
    assert (c2.count, c2.entitled, c2.participation) == (3, 6, Fraction(1, 2))
    c1 = results.of("c1")
    assert (c1.mean, c1.median, c1.minimum, c1.maximum) == (
        Fraction(305, 4),
        Fraction(80),
        65,
        80,
    )


def test_nobody_entitled_gives_no_participation() -> None:
    b = ballot(scope="b211")
    results = score_results(b, ScoringState.start("s2025"), Roll(residents=[]), H)
    assert results.entitled == 0
    assert results.participation is None
    assert results.of("c1").participation is None


def test_ballot_fields_are_checked() -> None:
    good = {
        "id": "s",
        "scope": "a1",
        "subjects": ("c1",),
        "min_score": 0,
        "max_score": 10,
        "opens_at": at(12, 1),
        "closes_at": at(12, 2),
    }
    bad: list[dict[str, object]] = [
        {"subjects": ()},
        {"subjects": ("c1", "c1")},
        {"subjects": "c1"},
        {"subjects": 5},
        {"subjects": ("",)},
        {"min_score": 11},
        {"max_score": 10.0},
        {"min_score": False},
        {"closes_at": at(11, 30)},
        {"opens_at": datetime(2025, 12, 1)},
    ]
    for change in bad:
        with pytest.raises(DataFormatError):
            ScoringBallot(**{**good, **change})  # type: ignore[arg-type]
    assert ScoringBallot(**good).subjects == ("c1",)  # type: ignore[arg-type]


def test_bad_calls_are_data_errors() -> None:
    b = ballot()
    state = ScoringState.start("s2025")
    with pytest.raises(DataFormatError) as caught:
        cast_scores(b, state, R, H, voter="r1", scores=[("c1", 1)], at=NOON)  # type: ignore[arg-type]
    assert caught.value.code == "voting.invalid_scores"
    with pytest.raises(DataFormatError) as caught:
        cast_scores(b, state, R, H, voter="r1", scores={"c1": 1}, at=datetime(2025, 12, 2))
    assert caught.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as caught:
        cast_scores(b, ScoringState.start("x"), R, H, voter="r1", scores={"c1": 1}, at=NOON)
    assert caught.value.code == "voting.wrong_state"
    with pytest.raises(DataFormatError):
        score_results(b, ScoringState.start("x"), R, H)
    with pytest.raises(NodeNotFound):
        cast_scores(ballot(scope="nowhere"), state, R, H, voter="r1", scores={"c1": 1}, at=NOON)


@settings(max_examples=examples(100), deadline=None)
@given(
    cards=st.lists(
        st.dictionaries(
            st.sampled_from(["c1", "c2", "c3"]),
            st.integers(min_value=-5, max_value=5),
            min_size=1,
        ),
        max_size=40,
    )
)
def test_results_are_exact_on_random_data(cards: list[dict[str, int]]) -> None:
    b = ScoringBallot(
        id="s",
        scope="t",
        subjects=("c1", "c2", "c3"),
        min_score=-5,
        max_score=5,
        opens_at=at(12, 1),
        closes_at=at(12, 2),
    )
    r = Roll(residents=[person(f"v{i:02d}", f"hv{i:02d}", "b211") for i in range(40)])
    state = ScoringState.start("s")
    for i, scores in enumerate(cards):
        state = cast_scores(b, state, r, H, voter=f"v{i:02d}", scores=scores, at=at(12, 1, 13))
    results = score_results(b, state, r, H)
    assert results.ballots == len(cards)
    assert results.participation == Fraction(len(cards), 40)
    for subject in b.subjects:
        given_scores = [Fraction(card[subject]) for card in cards if subject in card]
        result = results.of(subject)
        assert result.count == len(given_scores)
        assert result.participation == Fraction(len(given_scores), 40)
        if not given_scores:
            assert result.mean is None
            assert result.median is None
            continue
        assert result.mean == statistics.mean(given_scores)
        assert result.median == statistics.median(given_scores)
        assert type(result.mean) is Fraction
        assert type(result.median) is Fraction
        assert result.minimum == min(given_scores)
        assert result.maximum == max(given_scores)


def test_score_cards_are_values() -> None:
    card = ScoreCard(voter="r1", scores={"c2": 1, "c1": 2}, at=NOON)
    assert list(card.scores) == ["c1", "c2"]
    assert card == ScoreCard(voter="r1", scores={"c1": 2, "c2": 1}, at=NOON)
    with pytest.raises(TypeError):
        card.scores["c1"] = 5  # type: ignore[index]
