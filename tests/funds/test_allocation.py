"""Allocation rules: hand-checked cases, pabutools agreement, real cities' results, properties."""

from __future__ import annotations

import itertools
import json
import lzma
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.errors import FundsError, MicrogovError
from microgov.funds import (
    RULES,
    AllocationInstance,
    Outcome,
    PbElection,
    Proposal,
    TieBreak,
    allocate_election,
    equal_shares,
    greedy,
    load_pabulib,
    own_area_first,
    read_pabulib,
    run_rule,
)
from microgov.funds.allocation._rules.own_area_first import _area_ballots, _sub_instance
from profiles import examples

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"
REFERENCE = json.loads((DATA / "pabutools-1.2.3-results.json").read_text("utf-8"))


def _path(name: str) -> Path | None:
    for local in (DATA / "real" / name, DATA / "large" / f"{name}.xz"):
        if local.exists():
            return local
    return None


_ELECTIONS: dict[str, PbElection] = {}
_CACHE: dict[str, AllocationInstance] = {}


def _election(name: str) -> PbElection:
    if name not in _ELECTIONS:
        path = _path(name)
        assert path is not None, name
        if path.suffix == ".xz":
            _ELECTIONS[name] = read_pabulib(lzma.decompress(path.read_bytes()), source=name)
        else:
            _ELECTIONS[name] = load_pabulib(path)
    return _ELECTIONS[name]


def _instance(name: str) -> AllocationInstance:
    if name not in _CACHE:
        _CACHE[name] = AllocationInstance.from_pabulib(_election(name))
    return _CACHE[name]


def _inst(
    budget: int, costs: dict[str, int], ballots: list[str] | list[list[str]], **kw: object
) -> AllocationInstance:
    """Ballots as strings of one-letter ids ("ab") or lists of ids."""
    return AllocationInstance(
        budget=budget,
        projects=[Proposal(id=k, cost=v) for k, v in costs.items()],
        ballots=[set(b) for b in ballots],
        **kw,  # type: ignore[arg-type]
    )


# -- agreement with pabutools 1.2.3 -------------------------------------------------------

TASKS = {
    "greedy_cost": lambda i: greedy(i),
    "mes_cost": lambda i: equal_shares(i),
    "mes_card": lambda i: equal_shares(i, utility="cardinality"),
}


def test_the_reference_covers_twelve_elections() -> None:
    assert len(REFERENCE["instances"]) == 12
    assert REFERENCE["env"]["pabutools"] == "1.2.3"
    assert len(list((DATA / "real").glob("*.pb"))) == 8  # the other four are large:
    assert len(list((DATA / "large").glob("*.pb.xz"))) == 4  # xz-compressed
    assert all(_path(e["file"]) is not None for e in REFERENCE["instances"])


@pytest.mark.parametrize("task", sorted(TASKS))
@pytest.mark.parametrize("entry", REFERENCE["instances"], ids=lambda e: e["file"][:-3])
def test_same_selection_as_pabutools(entry: dict[str, object], task: str) -> None:
    instance = _instance(str(entry["file"]))
    expected = entry["results"][task]["selected_in_order"]  # type: ignore[index]
    result = TASKS[task](instance)
    assert list(result.selected) == expected
    assert result.cost <= instance.budget


OFFICIAL = [e["file"] for e in REFERENCE["instances"] if e["file_selected"]]


@pytest.mark.parametrize("name", OFFICIAL, ids=lambda n: n[:-3])
def test_official_winners_reproduced_by_the_files_rule(name: str) -> None:
    election = _election(name)
    assert election.rule in {"greedy", "greedy-threshold", "equalshares/add1"} | {
        "equalshares/add1-comparison"
    }
    result = allocate_election(election)
    assert frozenset(result.selected) == election.selected


def test_wieliczka_add1_keeps_46_and_not_66_67() -> None:
    instance = _instance("Poland_Wieliczka_2023_Green_Budget.pb")
    result = equal_shares(instance, completion="add1")
    assert "46" in result.selected
    assert "66" not in result.selected
    assert "67" not in result.selected
    assert result.per_voter_budget is not None
    # 1,000,000 / 6,586 + 164 = 315.84 zł; the city's page says 313 zł, and every
    # per-voter budget from 306 zł up to this one gives the official outcome
    assert result.per_voter_budget == Fraction(1_000_000, 6586) + 164
    assert result.cost <= instance.budget
    plain = equal_shares(instance)
    assert plain.cost < result.cost  # completion spends more of the budget


def test_threshold_rule_excludes_projects_below_it() -> None:
    election = load_pabulib(DATA / "real" / "Poland_Warszawa_2018_rejon_6.pb")
    result = allocate_election(election)
    below = [e for e in result.explanations if e.outcome is Outcome.BELOW_THRESHOLD]
    assert below
    assert all(e.score is not None and e.score < 274 for e in below)
    assert all(e.score is not None and e.score >= 274 for e in result.explanations if e.funded)


# -- greedy -------------------------------------------------------------------------------


def test_greedy_skips_and_no_skip_stops() -> None:
    inst = _inst(100, {"a": 60, "b": 50, "c": 40}, ["ab", "abc", "ac", "b"])
    skip = greedy(inst)
    assert skip.selected == ("a", "c")
    assert [e.outcome for e in skip.explanations] == [
        Outcome.FUNDED,
        Outcome.DOES_NOT_FIT,
        Outcome.FUNDED,
    ]
    assert [e.money_left for e in skip.explanations] == [40, 40, 0]
    stop = greedy(inst, skip=False)
    assert stop.selected == ("a",)
    assert stop.rule == "greedy-no-skip"
    assert [e.outcome for e in stop.explanations][1:] == [Outcome.STOPPED, Outcome.STOPPED]


def test_greedy_ties_by_id_as_strings_then_other_orders() -> None:
    inst = _inst(100, {"9": 50, "10": 50, "2": 30}, [["9"], ["10"], ["2"]])
    assert greedy(inst).selected == ("10", "2")  # "10" < "2" < "9" as strings
    assert greedy(inst, tie=TieBreak.ID_DESC).selected == ("9", "2")
    assert greedy(inst, tie=TieBreak.COST).selected == ("2", "10")


def test_greedy_by_score_threshold_cap_and_min_votes() -> None:
    inst = AllocationInstance(
        budget=1000,
        projects=[
            Proposal(id="a", cost=100, score=5),
            Proposal(id="b", cost=900, score=50),
            Proposal(id="c", cost=200),
        ],
        ballots=[{"a"}, {"a"}, {"a", "c"}, {"b"}],
    )
    assert greedy(inst).selected == ("a", "b")
    assert greedy(inst, by="score").selected == ("b", "a")
    result = greedy(inst, by="score", min_score=5)
    assert result.rule == "greedy-threshold"
    assert result.explanation("c").outcome is Outcome.BELOW_THRESHOLD  # falls back to 1 vote
    capped = greedy(inst, max_cost=500)
    assert capped.explanation("b").outcome is Outcome.OVER_CAP
    assert capped.selected == ("a", "c")
    assert greedy(inst, min_votes=2).selected == ("a",)


# -- the Method of Equal Shares -------------------------------------------------------------


def test_mes_hand_checked() -> None:
    # 6 voters, budget 90: 15 each. y and z cost 30 with 2 supporters: rho = 15/30 = 1/2.
    inst = _inst(90, {"x": 60, "y": 30, "z": 30}, ["x", "x", "xy", "y", "z", "z"])
    result = equal_shares(inst)
    assert result.selected == ("y", "z")
    y = result.explanation("y")
    assert (y.rho, y.supporters_money, y.score) == (Fraction(1, 2), 30, 2)
    x = result.explanation("x")
    assert x.outcome is Outcome.UNAFFORDABLE
    assert x.supporters_money == 30  # voter 3 paid 15 towards y
    assert result.left == 30
    assert equal_shares(inst, completion="utilitarian").selected == ("y", "z")
    # from 20 each x is bought first (voters 1-3 pay 20) and y's voter 3 is broke; at 25
    # voter 4 alone could pay for y (25 >= 30 - 5), which would cost 120 > 90: keep 24.
    add1 = equal_shares(inst, completion="add1")
    assert add1.selected == ("x", "z")
    assert add1.per_voter_budget == 24
    assert add1.explanation("y").outcome is Outcome.UNAFFORDABLE


def test_mes_poor_supporters_pay_all_they_have() -> None:
    # 6 voters, 10 each. b (15, 4 supporters, rho 1/4) is bought first; voter 1 keeps 6.25
    # and pays all of it towards a (24): the two others pay (24 - 6.25) / 2 = 8.875 each.
    inst = _inst(60, {"a": 24, "b": 15}, ["ab", "a", "a", "b", "b", "b"])
    result = equal_shares(inst)
    assert result.selected == ("b", "a")
    a = result.explanation("a")
    assert a.supporters_money == Fraction(105, 4)
    assert a.rho == Fraction(71, 8) / 24
    assert result.left == 21


def test_cardinality_differs_from_cost_utility() -> None:
    # 5 voters with 20 each. Cost utility: rho = 1 / supporters, so big (5) goes first,
    # everyone pays 18 and the small ones are out of reach. Cardinality: rho = the
    # payment, s1 and s2 (2.50 each) go first and big is out of reach.
    inst = _inst(100, {"big": 90, "s1": 10, "s2": 10}, [["big", "s1", "s2"]] * 4 + [["big"]])
    assert equal_shares(inst).selected == ("big",)
    assert equal_shares(inst, utility="cardinality").selected == ("s1", "s2")


def test_utilitarian_completion_fills_by_votes() -> None:
    inst = _inst(100, {"a": 50, "b": 60, "c": 40}, ["a", "b", "b", "b", "c"])
    result = equal_shares(inst, completion="utilitarian")
    plain = equal_shares(inst)
    assert set(plain.selected) < set(result.selected)
    extra = [e for e in result.explanations if e.outcome is Outcome.FUNDED_BY_COMPLETION]
    assert extra
    assert result.cost <= 100


def test_comparison_switches_only_when_more_voters_prefer_greedy() -> None:
    inst = _inst(100, {"a": 60, "b": 40, "c": 60}, ["a", "a", "a", "ab", "c", "c"])
    mes = equal_shares(inst, completion="add1")
    compared = equal_shares(inst, completion="add1", comparison=True)
    grd = greedy(inst)
    assert compared.selected in (mes.selected, grd.selected)


def test_add1_step_must_be_positive_and_unit_scales_it() -> None:
    inst = _inst(90, {"x": 60, "y": 30}, ["x", "xy", "y"])
    with pytest.raises(FundsError) as info:
        equal_shares(inst, completion="add1", step=0)
    assert info.value.code == "funds.bad_step"
    fen = _inst(9000, {"x": 6000, "y": 3000}, ["x", "xy", "y"], unit=100)
    assert equal_shares(fen, completion="add1").per_voter_budget == 3000


def test_own_area_first_then_pool() -> None:
    inst = AllocationInstance(
        budget=0,
        projects=[
            Proposal(id="a1", cost=50, scope="A"),
            Proposal(id="a2", cost=50, scope="A"),
            Proposal(id="b1", cost=30, scope="B"),
            Proposal(id="t", cost=10),
        ],
        ballots=[{"a1", "a2"}, {"a1"}, {"b1"}, {"t"}],
    )
    result = own_area_first(inst, area_budgets={"A": 60, "B": 40}, pool=55)
    assert result.selected == ("a1", "b1", "a2")
    assert result.explanation("a2").outcome is Outcome.FUNDED_BY_POOL
    assert result.explanation("t").outcome is Outcome.DOES_NOT_FIT
    assert result.budget == 155
    assert result.cost == 130


# -- instances, names, errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"budget": -1}, "funds.negative_budget"),
        ({"unit": 0}, "funds.bad_unit"),
        ({"projects": [Proposal(id="a", cost=1)] * 2}, "funds.duplicate_project"),
        ({"ballots": [{"a"}, {"zz"}]}, "funds.unknown_project"),
    ],
)
def test_bad_instances_are_refused(kwargs: dict[str, object], code: str) -> None:
    base: dict[str, object] = {
        "budget": 10,
        "projects": [Proposal(id="a", cost=1)],
        "ballots": [{"a"}],
    }
    base.update(kwargs)
    with pytest.raises(FundsError) as info:
        AllocationInstance(**base)  # type: ignore[arg-type]
    assert info.value.code == code
    assert info.value.message_zh
    assert info.value.message_en


def test_unknown_approval_names_the_ballot() -> None:
    with pytest.raises(FundsError) as info:
        _inst(10, {"a": 1}, ["a", "", "b"])
    assert info.value.details["ballot"] == 3


def test_costs_must_be_exact_and_not_negative() -> None:
    with pytest.raises(FundsError):
        Proposal(id="a", cost=1.5)  # type: ignore[arg-type]
    with pytest.raises(FundsError) as info:
        Proposal(id="a", cost=-1)
    assert info.value.code == "funds.negative_cost"


def test_rule_names_and_unknown_rule() -> None:
    inst = _inst(10, {"a": 10}, ["a"])
    for name in [*RULES, "equalshares", "equalshares/add1", "equalshares/add1-comparison"]:
        assert run_rule(inst, name).selected == ("a",)
    with pytest.raises(FundsError) as info:
        run_rule(inst, "borda")
    assert info.value.code == "funds.unknown_rule"


def test_file_without_a_rule_needs_one() -> None:
    e = read_pabulib(
        "META\nkey;value\nbudget;10\nvote_type;approval\nrule;unknown\n"
        "PROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n1;a\n"
    )
    with pytest.raises(FundsError):
        allocate_election(e)
    assert allocate_election(e, "greedy").selected == ("a",)


def test_explanations_serialise_and_describe_in_two_languages() -> None:
    inst = _inst(90, {"x": 60, "y": 30}, ["x", "xy", "y"])
    data = equal_shares(inst).to_dict()
    assert data["selected"] == list(equal_shares(inst).selected)
    assert json.loads(json.dumps(data)) == data
    e = equal_shares(inst).explanations[0]
    assert "ρ" in e.describe("zh")
    assert "rho" in e.describe()


# -- properties ------------------------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn, max_projects: int = 5, max_voters: int = 7) -> AllocationInstance:
    m = draw(st.integers(1, max_projects))
    ids = [str(i) for i in range(m)]
    costs = draw(st.lists(st.integers(1, 12), min_size=m, max_size=m))
    ballots = draw(st.lists(st.sets(st.sampled_from(ids)), min_size=1, max_size=max_voters))
    budget = draw(st.integers(0, 30))
    return AllocationInstance(
        budget=budget,
        projects=[Proposal(id=i, cost=c) for i, c in zip(ids, costs, strict=True)],
        ballots=ballots,
    )


RULE_CALLS = [
    lambda i: greedy(i),
    lambda i: greedy(i, skip=False),
    lambda i: equal_shares(i),
    lambda i: equal_shares(i, utility="cardinality"),
    lambda i: equal_shares(i, completion="add1"),
    lambda i: equal_shares(i, completion="utilitarian"),
    lambda i: equal_shares(i, completion="add1", comparison=True),
]


@settings(max_examples=examples(150), deadline=None)
@given(instances(), st.sampled_from(range(len(RULE_CALLS))))
def test_no_rule_exceeds_the_budget(instance: AllocationInstance, which: int) -> None:
    result = RULE_CALLS[which](instance)
    assert result.cost <= instance.budget
    assert len(set(result.selected)) == len(result.selected)
    assert sorted(e.project for e in result.explanations) == sorted(p.id for p in instance.projects)
    assert {e.project for e in result.explanations if e.funded} == set(result.selected)


def _naive_mes(instance: AllocationInstance, cost_utility: bool) -> list[str]:
    """A direct transcription of the rule: every voter, every project, every round."""
    n = len(instance.ballots)
    budget = [instance.budget / n] * n
    left = {p.id: p for p in instance.projects if p.cost > 0}
    chosen: list[str] = []
    while True:
        best: tuple[Fraction, str] | None = None
        for pid, p in sorted(left.items()):
            supporters = [i for i, b in enumerate(instance.ballots) if pid in b]
            if not supporters or sum(budget[i] for i in supporters) < p.cost:
                continue
            paid, k = Fraction(0), len(supporters)
            for i in sorted(supporters, key=budget.__getitem__):
                alpha = (p.cost - paid) / k
                if alpha <= budget[i]:
                    break
                paid += budget[i]
                k -= 1
            rho = alpha / p.cost if cost_utility else alpha
            if best is None or rho < best[0]:
                best = (rho, pid)
        if best is None:
            return chosen
        rho, pid = best
        pay = rho * left[pid].cost if cost_utility else rho
        for i, b in enumerate(instance.ballots):
            if pid in b:
                budget[i] -= min(budget[i], pay)
        chosen.append(pid)
        del left[pid]


@settings(max_examples=examples(300), deadline=None)
@given(instances(max_projects=6, max_voters=9), st.booleans())
def test_mes_equals_a_direct_transcription(instance: AllocationInstance, cost: bool) -> None:
    fast = equal_shares(instance, utility="cost" if cost else "cardinality")
    assert list(fast.selected) == _naive_mes(instance, cost)


def _ejr_up_to_one(instance: AllocationInstance, selected: frozenset[str]) -> bool:
    n, budget = len(instance.ballots), instance.budget
    cost = {p.id: p.cost for p in instance.projects}
    ids = sorted(cost)
    for size in range(1, len(ids) + 1):
        for group in itertools.combinations(ids, size):
            t = frozenset(group)
            need = sum(cost[p] for p in t)
            cohesive = [frozenset(b) for b in instance.ballots if t <= frozenset(b)]
            if Fraction(len(cohesive)) * budget < n * need or not cohesive:
                continue
            failing = 0
            for b in cohesive:
                have = sum(cost[p] for p in b & selected)
                if have >= need or any(have + cost[p] > need for p in t - selected):
                    continue
                failing += 1
            if Fraction(failing) * budget >= n * need:
                return False
    return True


@settings(max_examples=examples(200), deadline=None)
@given(instances(max_projects=5, max_voters=8))
def test_mes_satisfies_ejr_up_to_one(instance: AllocationInstance) -> None:
    result = equal_shares(instance)
    assert _ejr_up_to_one(instance, frozenset(result.selected))


def test_greedy_can_fail_ejr_up_to_one() -> None:
    # the check can fail: greedy gives the majority everything, the minority nothing
    inst = _inst(100, {"a": 50, "b": 50, "c": 50}, ["ab"] * 3 + ["c"] * 3)
    assert not _ejr_up_to_one(inst, frozenset(greedy(inst).selected))
    assert _ejr_up_to_one(inst, frozenset(equal_shares(inst).selected))


@settings(max_examples=examples(100), deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_order(instance: AllocationInstance, rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    projects, ballots = list(instance.projects), list(instance.ballots)
    rnd.shuffle(projects)
    rnd.shuffle(ballots)
    other = AllocationInstance(budget=instance.budget, projects=projects, ballots=ballots)
    for call in RULE_CALLS:
        assert call(instance) == call(other)


@settings(max_examples=examples(100), deadline=None)
@given(instances(), st.sampled_from(["a", "b"]))
def test_bullet_voters_get_their_project(instance: AllocationInstance, new: str) -> None:
    # enough voters approving only p (n * cost / B of them) make MES fund p
    p = Proposal(id="bullet" + new, cost=5)
    n = len(instance.ballots)
    budget = instance.budget or 10
    k = 1
    while Fraction(k) * budget < (n + k) * 5:
        k += 1
        if k > 60:
            return
    inst = AllocationInstance(
        budget=budget,
        projects=[*instance.projects, p],
        ballots=[*instance.ballots, *([{p.id}] * k)],
    )
    assert p.id in equal_shares(inst).selected


def test_errors_are_microgov_errors() -> None:
    assert issubclass(FundsError, MicrogovError)


def test_prices_that_round_to_the_same_float_are_compared_exactly() -> None:
    # Cardinality: rho = cost / supporters. "a" costs a hair more than "b" (1e-20), so the
    # two prices are one float but not one number: "b" is cheaper and must go first even
    # though "a" wins a tie by id. Only one of them fits.
    tiny = Fraction(1, 10**20)
    inst = AllocationInstance(
        budget=Fraction(3, 2),
        projects=[Proposal(id="a", cost=1 + tiny), Proposal(id="b", cost=1)],
        ballots=[{"a", "b"}, {"a", "b"}],
    )
    assert float(1 + tiny) == float(1)
    assert equal_shares(inst, utility="cardinality").selected == ("b",)
    assert equal_shares(inst).selected == ("a",)  # cost utility: rho 1/2 each, tie by id


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_own_area_first_splits_ballots_as_a_filter_per_area_would(
    data: st.DataObject,
) -> None:
    """The one-pass split by area equals filtering every ballot for each area's projects."""
    m = data.draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(m)]
    scopes = data.draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=m, max_size=m))
    inst = AllocationInstance(
        budget=0,
        projects=[Proposal(id=i, cost=1, scope=s) for i, s in zip(ids, scopes, strict=True)],
        ballots=data.draw(st.lists(st.sets(st.sampled_from(ids)), max_size=8)),
    )
    split = _area_ballots(inst)
    for area in {*scopes, "D"}:
        keep = [p.id for p in inst.projects if p.scope == area]
        naive = _sub_instance(inst, keep, Fraction(3))
        fast = AllocationInstance(
            budget=3,
            projects=[p for p in inst.projects if p.scope == area],
            ballots=split.get(area, []),
        )
        assert fast == naive
        assert fast.ballots == naive.ballots
