"""The Method of Equal Shares, exactly, with add1 and utilitarian completion.

The Method of Equal Shares (Peters, Pierczyński and Skowron, NeurIPS 2021) runs on
*budget classes*: voters who approve the same funded projects always hold the same
money, so the rule keeps, per project, how many supporters sit in each class instead
of a list of voters; identical ballots are grouped; and since a project's price ρ only
rises as voters spend, candidates wait in a heap and are re-priced lazily.
"""

from __future__ import annotations

import heapq
from collections import Counter
from fractions import Fraction
from math import gcd, lcm
from typing import Literal

from microgov.errors import FundsError
from microgov.funds.allocation._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
)
from microgov.funds.allocation._rules._compiled import (
    _Compiled,
    _eligibility,
    _replace,
    with_ties,
)
from microgov.funds.allocation._rules.greedy import greedy
from microgov.funds.allocation._ties import Tie, TieBreak, find_ties

__all__ = ["equal_shares"]

Utility = Literal["cost", "cardinality"]
Completion = Literal["add1", "utilitarian"]


class _Run:
    """One run of the Method of Equal Shares at a given per-voter budget.

    Money is kept as integers over a common denominator ``scale``: a budget class's
    value ``values[c] / scale`` is what each voter of class ``c`` holds.  Class 0 holds
    nothing; voters who approve the same funded projects share a class.
    """

    __slots__ = (
        "alpha",
        "funded",
        "group_class",
        "order",
        "rho",
        "scale",
        "spent",
        "supporters_money",
        "ties",
        "values",
    )

    def __init__(self, size: int) -> None:
        self.order: list[int] = []
        self.rho: list[Fraction | None] = [None] * size
        self.alpha: list[Fraction | None] = [None] * size
        self.supporters_money: list[Fraction | None] = [None] * size
        self.funded = [False] * size
        self.spent = Fraction(0)
        self.values: list[int] = []
        self.group_class: list[int] = []
        self.scale = 1
        self.ties: list[tuple[Fraction, list[int]]] = []

    def held(self, c: _Compiled, p: int) -> Fraction:
        """What the supporters of ``p`` hold at the end of the run."""
        classes = map(self.group_class.__getitem__, c.voters_of()[p])
        return Fraction(sum(map(self.values.__getitem__, classes)), self.scale)


def _price(counts: Counter[int], values: list[int], cost: int) -> tuple[int, int] | None:
    """The equal payment α = R / k (in scaled units) with Σ min(b_i, α) = cost, or None."""
    k = sum(counts.values())
    remaining = cost
    for cls in sorted(counts, key=values.__getitem__):
        value = values[cls]
        if value * k >= remaining:
            return remaining, k
        count = counts[cls]
        remaining -= value * count
        k -= count
    return None


def _fresh(
    p: int,
    alive: list[bool],
    supporters: list[int],
    group_class: list[int],
    values: list[int],
    cost: Fraction,
    scale: int,
    cost_utility: bool,
) -> tuple[float, int, int, int, Counter[int]] | None:
    """Re-price ``p``: (float ρ, paid, payers, ρ's denominator, class counts) or None."""
    counts = Counter(map(group_class.__getitem__, supporters))
    scaled = cost.numerator * (scale // cost.denominator)
    price = _price(counts, values, scaled)
    if price is None:
        alive[p] = False
        return None
    paid, payers = price
    denominator = payers * (scaled if cost_utility else scale)
    return paid / denominator, paid, payers, denominator, counts


def _mes(c: _Compiled, per_voter: Fraction, eligible: list[bool], cost_utility: bool) -> _Run:
    size = len(c.ids)
    run = _Run(size)
    scale = lcm(per_voter.denominator, c.cost_denominator)
    values = [0, per_voter.numerator * (scale // per_voter.denominator)]
    groups_of, costs = c.groups_of, c.cost
    voters_of = c.voters_of()
    group_class = [1] * len(c.groups)
    live = {1: sum(c.mult)}  # class -> voters in it (class 0 is not kept)
    alive = [False] * size
    # The heap holds float keys: correctly rounded, so float(x) < float(y) implies
    # x < y.  A popped project whose fresh price is below the next key wins outright;
    # projects whose keys round to the same float are re-priced and compared exactly.
    heap = [entry for entry in c.initial_keys(cost_utility) if eligible[entry[1]]]
    for _key, p in heap:
        alive[p] = True
    while heap:
        _stale, p = heapq.heappop(heap)
        if not alive[p]:
            continue
        fresh = _fresh(p, alive, voters_of[p], group_class, values, costs[p], scale, cost_utility)
        if fresh is None:
            continue
        key, paid, payers, denominator, counts = fresh
        if heap and key >= heap[0][0]:
            if key > heap[0][0]:
                heapq.heappush(heap, (key, p))
                continue
            tied = [(paid, denominator, p, payers, counts)]
            while heap and heap[0][0] == key:
                _, q = heapq.heappop(heap)
                if not alive[q]:
                    continue
                other = _fresh(
                    q, alive, voters_of[q], group_class, values, costs[q], scale, cost_utility
                )
                if other is None:
                    continue
                if other[0] == key:
                    tied.append((other[1], other[3], q, other[2], other[4]))
                else:
                    heapq.heappush(heap, (other[0], q))
            best = tied[0]
            for entry in tied[1:]:
                left, right = entry[0] * best[1], best[0] * entry[1]
                if left < right or (left == right and entry[2] < best[2]):
                    best = entry
            equal = sorted(e[2] for e in tied if e[0] * best[1] == best[0] * e[1])
            if len(equal) > 1:
                run.ties.append((Fraction(best[0], best[1]), equal))
            for entry in tied:
                if entry is not best:
                    heapq.heappush(heap, (key, entry[2]))
            paid, denominator, p, payers, counts = best
        alive[p] = False
        run.order.append(p)
        run.funded[p] = True
        run.rho[p] = Fraction(paid, denominator)
        run.alpha[p] = Fraction(paid, payers * scale)
        run.supporters_money[p] = Fraction(sum(values[k] * n for k, n in counts.items()), scale)
        run.spent += costs[p]
        common = gcd(paid, payers)
        factor, alpha = payers // common, paid // common
        if factor != 1:
            scale *= factor
            for cls in live:
                values[cls] *= factor
        moved: dict[int, int] = {}
        for cls, count in counts.items():
            if cls == 0:
                continue
            value = values[cls]
            if value > alpha:
                moved[cls] = len(values)
                live[len(values)] = count
                values.append(value - alpha)
            else:
                moved[cls] = 0
            left = live[cls] - count
            if left:
                live[cls] = left
            else:
                del live[cls]
        moved[0] = 0
        for g in groups_of[p]:
            group_class[g] = moved[group_class[g]]
    run.values, run.group_class, run.scale = values, group_class, scale
    return run


def equal_shares(
    instance: AllocationInstance,
    *,
    utility: Utility = "cost",
    completion: Completion | None = None,
    comparison: bool = False,
    step: int | Fraction | None = None,
    min_votes: int | None = None,
    max_cost: int | Fraction | None = None,
    tie: TieBreak = TieBreak.ID,
    seed: str | None = None,
    name: str | None = None,
) -> Allocation:
    """The Method of Equal Shares (MES), exactly, with optional completion.

    Each of the ``n`` voters (empty ballots count) starts with ``budget / n``.  A
    project is bought at the smallest price ρ per unit of utility at which its
    supporters can pay for it, each paying ``min(their money, ρ · utility)`` — utility
    is the project's cost (``utility="cost"``) or 1 (``"cardinality"``).  Projects
    whose supporters together hold less than the cost drop out; the rule stops when
    nothing is affordable.  Ties (equal ρ) follow ``tie`` and are reported in
    ``ties``, each named in its projects' explanations.  Without completion this is
    exactly pabutools' ``method_of_equal_shares`` (zero-cost projects are not bought).

    Completion spends what plain MES leaves:

    * ``"add1"`` (equalshares.net, and the ``equalshares/add1`` elections): rerun MES
      with per-voter budgets raised by ``step`` at a time (default: the instance's
      ``unit``, one currency unit) and keep the last outcome within the real budget.
    * ``"utilitarian"``: fund what is left by votes, greedily (equalshares.net calls it
      the less fair option).

    ``comparison=True`` adds equalshares.net's comparison step: the greedy outcome
    replaces the MES outcome only if more voters prefer it (by the same utility) than
    prefer the MES outcome.

    Args:
        instance: The election.
        utility: ``"cost"`` or ``"cardinality"``.
        completion: None, ``"add1"`` or ``"utilitarian"``.
        comparison: Compare with greedy at the end.
        step: The per-voter increase of ``add1``.
        min_votes: The minimum number of approvals, inclusive.
        max_cost: The per-project cap, inclusive.
        tie: The tie order.
        seed: The recorded seed of a public lot (required with ``TieBreak.LOT``).
        name: The rule name to record.

    Returns:
        The allocation; each funded project's explanation carries its ρ and what its
        supporters held when it was bought.

    Raises:
        FundsError: ``funds.bad_step`` for a step that is not positive;
            ``funds.no_seed`` for a lot without a seed.

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=90,
        ...     projects=[Proposal(id="x", cost=60), Proposal(id="y", cost=30),
        ...               Proposal(id="z", cost=30)],
        ...     ballots=[{"x"}, {"x"}, {"x", "y"}, {"y"}, {"z"}, {"z"}])
        >>> result = equal_shares(inst)
        >>> result.selected, result.per_voter_budget
        (('y', 'z'), Fraction(15, 1))
        >>> print(result.explanation("x").describe())  # doctest: +NORMALIZE_WHITESPACE
        x: rank 3, 3 votes, cost 60, not funded: its supporters' remaining shares do not
        cover its cost, supporters held 30; money left 30
        >>> add1 = equal_shares(inst, completion="add1")
        >>> add1.selected, add1.per_voter_budget, add1.cost
        (('x', 'z'), Fraction(24, 1), Fraction(90, 1))
    """
    c = _Compiled(instance, tie, seed=seed)
    limits = _eligibility(
        c,
        max_cost=None if max_cost is None else Fraction(max_cost),
        min_votes=min_votes,
        min_score=None,
        by_score=False,
    )
    eligible = [v is None for v in limits]
    cost_utility = utility == "cost"
    n = max(c.n, 1)
    per_voter = instance.budget / n
    run = _mes(c, per_voter, eligible, cost_utility)
    if completion == "add1":
        increase = instance.unit if step is None else Fraction(step)
        if increase <= 0:
            raise FundsError(
                "The add1 step must be positive.",
                "add1 的步长必须为正数。",
                code="funds.bad_step",
            )
        buyable = sum(1 for p in range(len(c.ids)) if eligible[p] and c.approvals[p] and c.cost[p])
        trial = per_voter
        while len(run.order) < buyable:
            trial += increase
            candidate = _mes(c, trial, eligible, cost_utility)
            if candidate.spent > instance.budget:
                break
            run, per_voter = candidate, trial
    if name is None:
        name = "mes" if utility == "cost" else "mes-cardinality"
        if completion is not None:
            name += "-" + completion
        if comparison:
            name += "-comparison"
    allocation = _mes_allocation(c, instance.budget, run, limits, per_voter, name)
    if completion == "utilitarian":
        allocation = _complete(c, instance.budget, allocation, limits)
    if comparison:
        allocation = _compare(c, instance, allocation, cost_utility, max_cost, min_votes, tie, seed)
    return allocation


def _mes_allocation(
    c: _Compiled,
    budget: Fraction,
    run: _Run,
    limits: list[Outcome | None],
    per_voter: Fraction,
    name: str,
) -> Allocation:
    explanations: list[Explanation] = []
    left = budget
    for p in run.order:
        left -= c.cost[p]
        rho, alpha = run.rho[p], run.alpha[p]
        explanations.append(
            Explanation(
                project=c.ids[p],
                rank=len(explanations) + 1,
                votes=c.approvals[p],
                score=None if not alpha else c.cost[p] / alpha,
                cost=c.cost[p],
                outcome=Outcome.FUNDED,
                money_left=left,
                rho=rho,
                supporters_money=run.supporters_money[p],
                ranked_by="effective votes",
            )
        )

    held = {p: run.held(c, p) for p in range(len(c.ids)) if not run.funded[p]}

    def closeness(p: int) -> tuple[bool, Fraction, int]:
        share = held[p] / c.cost[p] if c.cost[p] else Fraction(0)
        return (limits[p] is not None, -share, p)

    for p in sorted(held, key=closeness):
        outcome = limits[p]
        if outcome is None:
            outcome = Outcome.NO_SUPPORTERS if c.approvals[p] == 0 else Outcome.UNAFFORDABLE
        explanations.append(
            Explanation(
                project=c.ids[p],
                rank=len(explanations) + 1,
                votes=c.approvals[p],
                score=None,
                cost=c.cost[p],
                outcome=outcome,
                money_left=left,
                supporters_money=held[p],
            )
        )
    ties = [
        Tie(
            projects=[c.ids[p] for p in members],
            figure=rho,
            measure="rho",
            rule=c.tie,
            seed=c.seed,
            funded=[c.ids[p] for p in members if run.funded[p]],
        )
        for rho, members in run.ties
    ]
    return Allocation(
        rule=name,
        budget=budget,
        selected=tuple(c.ids[p] for p in run.order),
        explanations=with_ties(explanations, ties),
        per_voter_budget=per_voter,
        ties=ties,
        tie_break=c.tie,
        seed=c.seed,
    )


def _complete(
    c: _Compiled, budget: Fraction, allocation: Allocation, limits: list[Outcome | None]
) -> Allocation:
    """Utilitarian completion: fund the rest by votes while it fits."""
    index = {pid: p for p, pid in enumerate(c.ids)}
    left = allocation.left
    selected = list(allocation.selected)
    done = {e.project: e for e in allocation.explanations if e.funded}
    waiting = [e for e in allocation.explanations if not e.funded]
    waiting.sort(key=lambda e: (limits[index[e.project]] is not None, -e.votes, index[e.project]))
    explanations = list(done.values())
    for e in waiting:
        p = index[e.project]
        if limits[p] is None and c.approvals[p] > 0 and c.cost[p] <= left:
            left -= c.cost[p]
            selected.append(e.project)
            e = _replace(
                e,
                outcome=Outcome.FUNDED_BY_COMPLETION,
                money_left=left,
                score=Fraction(e.votes),
                ranked_by="votes",
            )
        else:
            e = _replace(e, money_left=left)
        explanations.append(e)
    explanations = [_replace(e, rank=i) for i, e in enumerate(explanations, start=1)]
    candidates = [e for e in waiting if limits[index[e.project]] is None and e.votes > 0]
    ties = list(allocation.ties) + find_ties(
        [e.project for e in candidates],
        [Fraction(e.votes) for e in candidates],
        frozenset(selected),
        measure="votes",
        rule=c.tie,
        seed=c.seed,
    )
    return Allocation(
        rule=allocation.rule,
        budget=budget,
        selected=tuple(selected),
        explanations=with_ties(explanations, ties[len(allocation.ties) :])
        if len(ties) > len(allocation.ties)
        else tuple(explanations),
        per_voter_budget=allocation.per_voter_budget,
        ties=ties,
        tie_break=c.tie,
        seed=c.seed,
    )


def _compare(
    c: _Compiled,
    instance: AllocationInstance,
    mes: Allocation,
    cost_utility: bool,
    max_cost: int | Fraction | None,
    min_votes: int | None,
    tie: TieBreak,
    seed: str | None,
) -> Allocation:
    """equalshares.net's comparison step: switch to greedy only if more voters prefer it."""
    other = greedy(
        instance, max_cost=max_cost, min_votes=min_votes, tie=tie, seed=seed, name=mes.rule
    )
    index = {pid: p for p, pid in enumerate(c.ids)}
    mine = {index[pid] for pid in mes.selected}
    theirs = {index[pid] for pid in other.selected}
    prefer_mes = prefer_greedy = 0
    for ballot, m in zip(c.groups, c.mult, strict=True):
        a = sum((c.cost[q] if cost_utility else 1 for q in ballot if q in mine), Fraction(0))
        b = sum((c.cost[q] if cost_utility else 1 for q in ballot if q in theirs), Fraction(0))
        if a > b:
            prefer_mes += m
        elif b > a:
            prefer_greedy += m
    return other if prefer_greedy > prefer_mes else mes
