"""The public surface of microgov.voting, and the states refusing impossible contents."""

from __future__ import annotations

import inspect

import pytest
from voting_world import at

import microgov.voting
from microgov.errors import DataFormatError
from microgov.voting import Choice, Hand, ScoreCard, ScoringState, VoteState


def test_all_is_sorted_unique_and_documented() -> None:
    exported = list(microgov.voting.__all__)

    # isort-style, as ruff's RUF022 keeps it: constants, then classes, then functions.
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert exported == sorted(exported, key=kind)
    assert len(set(exported)) == len(exported)
    assert microgov.voting.__doc__
    for name in exported:
        value = getattr(microgov.voting, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
            assert ">>>" in (inspect.getdoc(value) or ""), f"{name} has no example"
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if attr.startswith("_") or not (callable(member) or isinstance(member, property)):
                    continue
                assert inspect.getdoc(member), f"{name}.{attr} has no docstring"
    public = {n for n in dir(microgov.voting) if not n.startswith("_")}
    assert public - set(exported) == set()


def test_a_state_holds_one_hand_per_voter() -> None:
    hand = Hand(voter="r1", household="h1", choice=Choice.IN_FAVOUR, at=at(12, 2))
    with pytest.raises(DataFormatError) as caught:
        VoteState(vote_id="v1", hands=(hand, hand))
    assert caught.value.code == "voting.invalid_state"
    card = ScoreCard(voter="r1", scores={"c1": 1}, at=at(12, 2))
    with pytest.raises(DataFormatError):
        ScoringState(ballot_id="s", cards=(card, card))


def test_choice_labels() -> None:
    assert [(c.label_zh, c.label_en) for c in Choice] == [
        ("赞成", "in favour"),
        ("反对", "against"),
        ("弃权", "abstain"),
    ]


def test_wrong_argument_types_are_data_errors() -> None:
    from voting_world import graph, roll, vote

    from microgov.voting import ScoringBallot, Vote, cast_scores, raise_hand, tally

    with pytest.raises(DataFormatError) as caught:
        Vote(
            id="v",
            scope="a1",
            question_zh=" ",
            question_en="?",
            opens_at=at(12, 1),
            closes_at=at(12, 2),
            mode=vote().mode,
        )
    assert caught.value.details["field"] == "question_zh"
    with pytest.raises(DataFormatError) as caught:
        Hand(voter="r1", household="h1", choice=Choice.AGAINST, at="2025-12-02")  # type: ignore[arg-type]
    assert caught.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as caught:
        raise_hand(
            vote(),
            "state",  # type: ignore[arg-type]
            roll(),
            graph(),
            voter="r1",
            choice=Choice.AGAINST,
            at=at(12, 2),
        )
    assert caught.value.code == "voting.invalid_state"
    with pytest.raises(DataFormatError):
        tally("vote", VoteState.start("v1"), roll(), graph())  # type: ignore[arg-type]
    with pytest.raises(DataFormatError) as caught:
        cast_scores(
            vote(),  # type: ignore[arg-type]
            ScoringState.start("v1"),
            roll(),
            graph(),
            voter="r1",
            scores={},
            at=at(12, 2),
        )
    assert caught.value.code == "voting.invalid_state"
    assert ScoringBallot.__doc__
