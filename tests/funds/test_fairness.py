"""Fairness figures and EJR up to one; properties on small random instances."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.errors import FundsError
from microgov.funds import (
    AllocationInstance,
    Heading,
    Proposal,
    TieBreak,
    allocate_headings,
    ejr_up_to_one,
    equal_shares,
    fairness,
    greedy,
)
from profiles import examples


def _naive_ejr_up_to_one(instance: AllocationInstance, selected: frozenset[str]) -> bool:
    """Every project set, every voter: the definition, written out."""
    n, budget = len(instance.ballots), instance.budget
    cost = {p.id: p.cost for p in instance.projects}
    for size in range(1, len(cost) + 1):
        for group in itertools.combinations(sorted(cost), size):
            t = frozenset(group)
            need = sum(cost[p] for p in t)
            cohesive = [frozenset(b) for b in instance.ballots if t <= frozenset(b)]
            if not cohesive or Fraction(len(cohesive)) * budget < n * need:
                continue
            failing = 0
            for b in cohesive:
                have = sum(cost[p] for p in b & selected)
                if have >= need or any(have + cost[p] > need for p in t - selected):
                    continue
                failing += 1
            if failing and Fraction(failing) * budget >= n * need:
                return False
    return True


@st.composite
def instances(draw: st.DrawFn, max_projects: int = 6, max_voters: int = 9) -> AllocationInstance:
    m = draw(st.integers(1, max_projects))
    ids = [str(i) for i in range(m)]
    costs = draw(st.lists(st.integers(0, 12), min_size=m, max_size=m))
    ballots = draw(st.lists(st.sets(st.sampled_from(ids)), min_size=1, max_size=max_voters))
    return AllocationInstance(
        budget=draw(st.integers(0, 30)),
        projects=[
            Proposal(id=i, cost=c, scope=f"area-{int(i) % 2}", categories=[f"c{int(i) % 3}"])
            for i, c in zip(ids, costs, strict=True)
        ],
        ballots=ballots,
    )


@settings(max_examples=examples(300), deadline=None)
@given(instances(), st.data())
def test_the_fast_ejr_check_agrees_with_the_definition(
    instance: AllocationInstance, data: st.DataObject
) -> None:
    ids = [p.id for p in instance.projects]
    chosen = frozenset(data.draw(st.sets(st.sampled_from(ids))))
    check = ejr_up_to_one(instance, chosen)
    assert check.exact
    assert check.satisfied is _naive_ejr_up_to_one(instance, chosen)
    if check.satisfied is False:
        assert check.violation is not None
        assert check.group > 0


TIES = [t for t in TieBreak if t is not TieBreak.LOT]


@settings(max_examples=examples(200), deadline=None)
@given(instances(), st.sampled_from(TIES), st.booleans())
def test_mes_satisfies_ejr_up_to_one_whatever_the_tie_break(
    instance: AllocationInstance, tie: TieBreak, add1: bool
) -> None:
    result = equal_shares(instance, tie=tie, completion="add1" if add1 else None)
    assert result.cost <= instance.budget
    check = ejr_up_to_one(instance, result.selected)
    assert check.satisfied is True
    assert check.exact


@settings(max_examples=examples(200), deadline=None)
@given(instances(), st.sampled_from(TIES), st.text(min_size=1, max_size=8))
def test_every_rule_and_tie_break_stays_within_the_budget(
    instance: AllocationInstance, tie: TieBreak, seed: str
) -> None:
    for result in (
        greedy(instance, tie=tie),
        greedy(instance, tie=TieBreak.LOT, seed=seed),
        equal_shares(instance, tie=TieBreak.LOT, seed=seed),
        equal_shares(instance, tie=tie, completion="utilitarian"),
    ):
        assert result.cost <= instance.budget
        for t in result.ties:
            assert len(t.projects) > 1
            assert set(t.funded) <= set(t.projects)
            for pid in t.projects:
                assert t in result.explanation(pid).ties


@settings(max_examples=examples(150), deadline=None)
@given(instances(), st.integers(0, 20), st.integers(0, 20), st.booleans())
def test_headings_never_spend_more_than_each_heading_has(
    instance: AllocationInstance, a: int, b: int, partial: bool
) -> None:
    headings = [
        Heading(id="area-0", budget=a, scopes=["area-0"], partial=partial),
        Heading(id="c1", budget=b, categories=["c1"], cap=8),
    ]
    result = allocate_headings(instance, headings)
    spent: dict[str, Fraction] = {}
    for e in result.explanations:
        assert e.paid <= e.cost
        for h, amount in e.grants:
            spent[h] = spent.get(h, Fraction(0)) + amount
    assert spent.get("area-0", 0) <= a
    assert spent.get("c1", 0) <= b
    assert result.cost <= result.budget == a + b
    assert sorted(e.project for e in result.explanations) == sorted(p.id for p in instance.projects)


def test_greedy_fails_ejr_up_to_one_and_mes_does_not() -> None:
    inst = AllocationInstance(
        budget=100,
        projects=[Proposal(id=i, cost=50) for i in "abc"],
        ballots=[{"a", "b"}] * 3 + [{"c"}] * 3,
    )
    check = ejr_up_to_one(inst, greedy(inst).selected)
    assert check.satisfied is False
    assert check.violation == ("c",)
    assert check.group == 3
    assert "NOT satisfied: 3 voters who all approve c" in check.describe()
    assert ejr_up_to_one(inst, equal_shares(inst).selected).satisfied


def test_a_bounded_check_says_it_is_not_a_proof() -> None:
    inst = AllocationInstance(
        budget=100,
        projects=[Proposal(id=str(i), cost=10) for i in range(8)],
        ballots=[{str(i) for i in range(8)}] * 4,
    )
    check = ejr_up_to_one(inst, [str(i) for i in range(8)], limit=5)
    assert check.satisfied is None
    assert not check.exact
    assert check.sets_checked == 5
    assert "not a proof" in check.describe()
    assert "并非证明" in check.describe("zh")
    full = ejr_up_to_one(inst, [str(i) for i in range(8)])
    assert full.satisfied
    assert full.exact
    assert full.sets_checked == 2**8 - 1


def test_fairness_figures_by_hand() -> None:
    inst = AllocationInstance(
        budget=100,
        projects=[
            Proposal(id="a", cost=60, scope="A", categories=["green"]),
            Proposal(id="b", cost=40, scope="B", categories=["sport", "green"]),
            Proposal(id="c", cost=50, scope="B", categories=["sport"]),
        ],
        ballots=[{"a"}, {"a"}, {"a", "b"}, {"b"}, {"c"}, set()],
    )
    result = greedy(inst)
    assert result.selected == ("a", "b")
    f = fairness(inst, result, households={"A": 100, "B": 300})
    assert (f.voters, f.served, f.served_share) == (6, 4, Fraction(2, 3))
    area_a, area_b = f.areas
    assert (area_a.money_share, area_a.household_share) == (Fraction(3, 5), Fraction(1, 4))
    assert (area_b.money, area_b.household_share) == (40, Fraction(3, 4))
    # support: a 3 → green 3; b 2 → green 1, sport 1; c 1 → sport 1: green 4/6, sport 2/6
    # money: a 60 → green; b 40 → 20 green, 20 sport: green 80/100, sport 20/100
    green, sport = f.categories
    assert (green.support_share, green.money_share) == (Fraction(2, 3), Fraction(4, 5))
    assert (sport.support_share, sport.money_share) == (Fraction(1, 3), Fraction(1, 5))
    assert f.category_distance == Fraction(4, 15)
    assert f.ejr.exact
    lines = f.lines()
    assert lines[0] == "households with a funded project they supported: 4 of 6 (66.7%)"
    assert "area A: 60.0% of the money, 25.0% of the households" in lines
    assert any(line.startswith("有至少一个") for line in f.lines("zh"))
    assert f.to_dict()["category_distance"] == "4/15"


def test_fairness_refuses_bad_households() -> None:
    inst = AllocationInstance(budget=1, projects=[Proposal(id="a", cost=1)], ballots=[{"a"}])
    with pytest.raises(FundsError) as info:
        fairness(inst, greedy(inst), households={"A": -1})
    assert info.value.code == "funds.bad_households"
