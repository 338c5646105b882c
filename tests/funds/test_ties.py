"""Ties: every tie-break rule on hand-made ties, announced and explained; rank-by."""

from __future__ import annotations

import hashlib
import lzma
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from microgov.calendar import SHANGHAI
from microgov.errors import FundsError
from microgov.funds import (
    AllocationInstance,
    Proposal,
    TieBreak,
    allocate_election,
    default_rank_by,
    equal_shares,
    greedy,
    load_pabulib,
    lot_order,
    own_area_first,
    read_pabulib,
    run_rule,
)

PB = Path(__file__).resolve().parents[1] / "data" / "pabulib" / "real"


def _tied(*projects: Proposal, budget: int, votes: int = 272) -> AllocationInstance:
    """Every project gets ``votes`` approvals from its own voters: a tie on votes."""
    ballots = [{p.id} for p in projects for _ in range(votes)]
    return AllocationInstance(budget=budget, projects=projects, ballots=ballots)


def test_numeric_ids_compared_as_numbers_or_as_text() -> None:
    # Warszawa 2026: 1534 and 64, both 272 votes, room for one; the city funded 64
    inst = _tied(Proposal(id="1534", cost=100), Proposal(id="64", cost=100), budget=150)
    as_text = greedy(inst)  # pabutools' order: "1534" < "64"
    as_number = greedy(inst, tie=TieBreak.NUMBER)
    assert as_text.selected == ("1534",)
    assert as_number.selected == ("64",)
    (tie,) = as_number.ties
    assert tie.projects == ("64", "1534")
    assert tie.figure == 272
    assert tie.measure == "votes"
    assert tie.rule is TieBreak.NUMBER
    assert tie.decisive
    assert tie.funded == ("64",)
    why = as_number.explanation("1534").describe()
    assert "tie at 272 votes between 64, 1534" in why
    assert "project id as a number" in why
    assert "funded 64; not funded 1534" in why
    assert "同为 272 票" in as_number.explanation("64").describe("zh")
    assert as_number.to_dict()["ties"][0]["rule"] == "number"  # type: ignore[index]


def test_natural_order_of_mixed_ids() -> None:
    ids = ["L203", "L21", "9", "10", "a"]
    inst = _tied(*(Proposal(id=i, cost=1) for i in ids), budget=5, votes=1)
    order = [e.project for e in greedy(inst, tie=TieBreak.NUMBER).explanations]
    assert order == ["9", "10", "L21", "L203", "a"]


@pytest.mark.parametrize(
    ("tie", "funded"),
    [
        (TieBreak.ID, "b"),
        (TieBreak.ID_DESC, "c"),
        (TieBreak.NUMBER, "b"),
        (TieBreak.COST, "c"),
        (TieBreak.HIGHER_COST, "b"),
        (TieBreak.SUBMISSION, "c"),
    ],
)
def test_every_deterministic_tie_break(tie: TieBreak, funded: str) -> None:
    early, late = datetime(2026, 3, 1, tzinfo=SHANGHAI), datetime(2026, 3, 9, tzinfo=SHANGHAI)
    inst = _tied(
        Proposal(id="b", cost=80, submitted=late),
        Proposal(id="c", cost=60, submitted=early),
        budget=100,
        votes=5,
    )
    result = greedy(inst, tie=tie)
    assert result.selected == (funded,)
    assert result.tie_break is tie
    (t,) = result.ties
    assert t.projects[0] == funded
    assert t.decisive
    assert tie.label_en in result.explanation("b").describe()
    assert tie.label_zh in result.explanation("c").describe("zh")


def test_submission_without_times_falls_back_to_numbers() -> None:
    inst = _tied(Proposal(id="10", cost=1), Proposal(id="9", cost=1), budget=1, votes=2)
    assert greedy(inst, tie=TieBreak.SUBMISSION).selected == ("9",)
    with pytest.raises(FundsError) as info:
        Proposal(id="x", cost=1, submitted=datetime(2026, 3, 1))
    assert info.value.code == "time.not_aware"


def test_a_public_lot_is_redrawn_identically_from_its_seed() -> None:
    ids = [str(i) for i in range(1, 9)]
    inst = _tied(*(Proposal(id=i, cost=10) for i in ids), budget=30, votes=3)
    seed = "2026-05-01 罗店镇 public draw: 17 42 8"
    first = greedy(inst, tie=TieBreak.LOT, seed=seed)
    again = greedy(inst, tie=TieBreak.LOT, seed=seed)
    assert first == again
    assert first.seed == seed
    assert first.to_dict()["seed"] == seed
    drawn = lot_order(ids, seed)
    assert first.selected == drawn[:3]
    # anyone can redraw it with any SHA-256 tool
    by_hand = sorted(ids, key=lambda p: hashlib.sha256(f"{seed}\x00{p}".encode()).digest())
    assert tuple(by_hand) == drawn
    (tie,) = first.ties
    assert tie.seed == seed
    assert tie.projects == drawn
    assert repr(seed) in first.explanation(drawn[5]).describe()
    other = greedy(inst, tie=TieBreak.LOT, seed="another seed")
    assert other.ties[0].projects == lot_order(ids, "another seed")


def test_a_lot_needs_a_seed() -> None:
    inst = _tied(Proposal(id="a", cost=1), Proposal(id="b", cost=1), budget=1, votes=1)
    for call in (
        lambda: greedy(inst, tie=TieBreak.LOT),
        lambda: equal_shares(inst, tie=TieBreak.LOT),
        lambda: lot_order(["a"], ""),
    ):
        with pytest.raises(FundsError) as info:
            call()
        assert info.value.code == "funds.no_seed"


def test_mes_ties_are_named_too() -> None:
    # two voters, each approves both: the same price; room for one
    inst = AllocationInstance(
        budget=100,
        projects=[Proposal(id="9", cost=100), Proposal(id="10", cost=100)],
        ballots=[{"9", "10"}, {"9", "10"}],
    )
    text = equal_shares(inst)
    number = equal_shares(inst, tie=TieBreak.NUMBER)
    assert text.selected == ("10",)
    assert number.selected == ("9",)
    (tie,) = number.ties
    assert tie.measure == "rho"
    assert tie.projects == ("9", "10")
    assert tie.decisive
    assert "tie at rho" in number.explanation("10").describe()


def test_a_tie_that_decides_nothing_is_still_named_but_not_decisive() -> None:
    inst = _tied(Proposal(id="a", cost=10), Proposal(id="b", cost=90), budget=50, votes=4)
    result = greedy(inst)
    (tie,) = result.ties
    assert tie.funded == ("a",)
    assert not tie.decisive


def test_no_tie_no_tie_record() -> None:
    inst = AllocationInstance(
        budget=10, projects=[Proposal(id="a", cost=5), Proposal(id="b", cost=5)], ballots=[{"a"}]
    )
    assert greedy(inst).ties == ()
    assert greedy(inst).explanation("a").ties == ()


# -- rank-by --------------------------------------------------------------------------------


CUMULATIVE = """META
key;value
num_projects;3
num_votes;4
budget;100
vote_type;cumulative
rule;greedy
PROJECTS
project_id;cost;votes;score
loud;80;1;10
wide;60;3;3
small;40;2;2
VOTES
voter_id;vote;points
1;loud;10
2;wide,small;1,1
3;wide,small;1,1
4;wide;1
"""


def test_a_cumulative_ballot_file_ranked_both_ways() -> None:
    election = read_pabulib(CUMULATIVE)
    assert default_rank_by(election) == "score"  # the file has a score column
    by_points = allocate_election(election)
    by_voters = allocate_election(election, rank_by="votes")
    assert by_points.selected == ("loud",)  # 10 points from one voter
    assert by_voters.selected == ("wide", "small")  # 3 and 2 supporters
    # every explanation shows the figure it was ranked by
    assert [e.describe().split(", cost")[0] for e in by_points.explanations] == [
        "loud: rank 1, ranked by score 10, 1 votes",
        "wide: rank 2, ranked by score 3, 3 votes",
        "small: rank 3, ranked by score 2, 2 votes",
    ]
    assert all(e.ranked_by == "votes" and e.score == e.votes for e in by_voters.explanations)


def test_katowice_ranked_by_points_or_by_supporters() -> None:
    path = PB.parent / "large" / "Poland_Katowice_2023.pb.xz"
    election = read_pabulib(lzma.decompress(path.read_bytes()), source=path.name)
    assert election.meta["vote_type"] == "cumulative"
    by_points = allocate_election(election)
    by_voters = allocate_election(election, rank_by="votes")
    # ranked by points, rank 12 has fewer supporters than rank 13, and the table says why
    twelve, thirteen = by_points.explanations[11], by_points.explanations[12]
    assert twelve.votes < thirteen.votes
    assert twelve.score > thirteen.score
    assert f"ranked by score {twelve.score}" in twelve.describe()
    assert [e.project for e in by_points.explanations] != [
        e.project for e in by_voters.explanations
    ]
    # both reproduce the city's result on this file (the closing note's table)
    assert frozenset(by_points.selected) == election.selected
    assert frozenset(by_voters.selected) == election.selected


def test_rank_by_score_without_scores_counts_votes() -> None:
    inst = AllocationInstance(
        budget=10, projects=[Proposal(id="a", cost=5)], ballots=[{"a"}, {"a"}]
    )
    e = run_rule(inst, "greedy", by="score").explanations[0]
    assert e.ranked_by == "votes"
    assert e.score == 2


def test_approval_files_default_to_votes() -> None:
    election = load_pabulib(PB / "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb")
    assert default_rank_by(election) == "votes"
    grabowka = load_pabulib(PB / "poland_czestochowa_2020_grabowka.pb")
    assert default_rank_by(grabowka) == "score"
    assert frozenset(allocate_election(election).selected) == election.selected


def test_default_tie_break_stays_pabutools_order() -> None:
    inst = _tied(Proposal(id="1534", cost=1), Proposal(id="64", cost=1), budget=1, votes=1)
    assert greedy(inst).tie_break is TieBreak.ID
    assert greedy(inst).ties[0].figure == Fraction(1)


def test_own_area_first_reports_the_ties_of_every_run() -> None:
    inst = AllocationInstance(
        budget=0,
        projects=[
            Proposal(id="10", cost=50, scope="A"),
            Proposal(id="9", cost=50, scope="A"),
            Proposal(id="x", cost=10, scope="B"),
        ],
        ballots=[{"10"}, {"9"}, {"x"}],
    )
    result = own_area_first(inst, area_budgets={"A": 60, "B": 10}, pool=50)
    assert result.selected == ("10", "x", "9")  # "10" wins A's tie as text; the pool pays 9
    (tie,) = result.ties
    assert tie.projects == ("10", "9")
    assert tie in result.explanation("9").ties


def test_krakow_2024_is_reproduced_ranked_by_its_points_not_its_supporters() -> None:
    # scripts/greedy_settings.py: the other greedy-family files are reproduced either way
    path = PB.parent / "large" / "Poland_Krakow_2024.pb.xz"
    election = read_pabulib(lzma.decompress(path.read_bytes()), source=path.name)
    assert election.meta["vote_type"] == "ordinal"
    assert default_rank_by(election) == "score"
    for tie in (TieBreak.ID, TieBreak.NUMBER):
        assert frozenset(allocate_election(election, tie=tie).selected) == election.selected
        by_voters = allocate_election(election, rank_by="votes", tie=tie)
        assert frozenset(by_voters.selected) != election.selected
