"""Allocation rules: greedy as cities and CONSUL run it, and the Method of Equal Shares.

Every rule is a pure function of an :class:`AllocationInstance` returning an
:class:`Allocation`; arithmetic is exact (``Fraction``), ties follow a named
:class:`TieBreak` (project ids as strings by default, as in pabutools 1.2.3).

The Method of Equal Shares (Peters, Pierczyński and Skowron, NeurIPS 2021) runs on
*budget classes*: voters who approve the same funded projects always hold the same
money, so the rule keeps, per project, how many supporters sit in each class instead
of a list of voters; identical ballots are grouped; and since a project's price ρ only
rises as voters spend, candidates wait in a heap and are re-priced lazily.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Mapping
from fractions import Fraction
from itertools import chain, repeat
from math import gcd, lcm
from typing import Literal

import attrs

from microgov.errors import FundsError
from microgov.funds._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
    TieBreak,
)
from microgov.funds._pabulib import PbElection

__all__ = [
    "RULES",
    "allocate_election",
    "equal_shares",
    "greedy",
    "own_area_first",
    "run_rule",
]

Utility = Literal["cost", "cardinality"]
Completion = Literal["add1", "utilitarian"]


class _Compiled:
    """An instance as integers: projects in tie order, identical ballots grouped."""

    __slots__ = (
        "_keys",
        "_voters_of",
        "approvals",
        "cost",
        "cost_denominator",
        "groups",
        "groups_of",
        "ids",
        "mult",
        "n",
        "score",
    )

    def __init__(
        self, instance: AllocationInstance, tie: TieBreak, *, ballots: bool = True
    ) -> None:
        grouped = Counter(instance.ballots)
        projects = list(instance.projects)
        if tie is not TieBreak.COST:  # the order is known before counting: no remapping
            projects.sort(key=lambda p: p.id, reverse=tie is TieBreak.ID_DESC)
        index = {p.id: i for i, p in enumerate(projects)}
        position = index.__getitem__
        self.groups: list[tuple[int, ...]] = []
        self.mult: list[int] = []
        self.groups_of: list[list[int]] = [[] for _ in projects]
        approvals = [0] * len(projects)
        if ballots:
            distinct = [ballot for ballot in grouped if ballot]
            self.mult = [grouped[ballot] for ballot in distinct]
            self.groups = [tuple(map(position, ballot)) for ballot in distinct]
            groups_of = self.groups_of
            for g, members in enumerate(self.groups):
                for q in members:
                    groups_of[q].append(g)
            weight = self.mult.__getitem__
            approvals = [sum(map(weight, gs)) for gs in self.groups_of]
        else:
            for ballot, voters in grouped.items():
                for q in map(position, ballot):
                    approvals[q] += voters
        order = list(range(len(projects)))
        if tie is TieBreak.COST:
            order.sort(key=lambda i: (projects[i].cost, -approvals[i], projects[i].id))
        if order != list(range(len(projects))):
            rank = [0] * len(order)
            for r, i in enumerate(order):
                rank[i] = r
            self.groups = [tuple(rank[q] for q in members) for members in self.groups]
            self.groups_of = [self.groups_of[i] for i in order]
        self.ids = [projects[i].id for i in order]
        self.cost = [projects[i].cost for i in order]
        self.score = [projects[i].score for i in order]
        self.approvals = [approvals[i] for i in order]
        self.cost_denominator = lcm(1, *(p.cost.denominator for p in projects))
        self.n = len(instance.ballots)
        self._keys: dict[bool, list[tuple[float, int]]] = {}
        self._voters_of: list[list[int]] | None = None

    def voters_of(self) -> list[list[int]]:
        """Per project, its supporters' group ids, each repeated once per voter."""
        if self._voters_of is None:
            weight = self.mult.__getitem__
            self._voters_of = [
                list(chain.from_iterable(map(repeat, gs, map(weight, gs)))) for gs in self.groups_of
            ]
        return self._voters_of

    def initial_keys(self, cost_utility: bool) -> list[tuple[float, int]]:
        """Every buyable project's starting price ρ as a float, sorted (a heap), cached.

        Before anyone pays, ρ = 1 / supporters (cost utility) or cost / supporters
        (cardinality), whatever the per-voter budget.
        """
        if cost_utility not in self._keys:
            keys = [
                (1 / a if cost_utility else cost.numerator / (cost.denominator * a), p)
                for p, (a, cost) in enumerate(zip(self.approvals, self.cost, strict=True))
                if a > 0 and cost > 0
            ]
            keys.sort()
            self._keys[cost_utility] = keys
        return self._keys[cost_utility]


def _eligibility(
    c: _Compiled,
    *,
    max_cost: Fraction | None,
    min_votes: int | None,
    min_score: Fraction | None,
    by_score: bool,
) -> list[Outcome | None]:
    """None for an eligible project, else the outcome that excludes it."""
    verdicts: list[Outcome | None] = []
    for p in range(len(c.ids)):
        if max_cost is not None and c.cost[p] > max_cost:
            verdicts.append(Outcome.OVER_CAP)
        elif (min_votes is not None and c.approvals[p] < min_votes) or (
            min_score is not None and _rank_score(c, p, by_score) < min_score
        ):
            verdicts.append(Outcome.BELOW_THRESHOLD)
        else:
            verdicts.append(None)
    return verdicts


def _rank_score(c: _Compiled, p: int, by_score: bool) -> Fraction:
    given = c.score[p]
    if by_score and given is not None:
        return given
    return Fraction(c.approvals[p])


def greedy(
    instance: AllocationInstance,
    *,
    by: Literal["votes", "score"] = "votes",
    skip: bool = True,
    min_score: int | Fraction | None = None,
    min_votes: int | None = None,
    max_cost: int | Fraction | None = None,
    tie: TieBreak = TieBreak.ID,
    name: str | None = None,
) -> Allocation:
    """Fund projects by support, most first, while money lasts (what cities and CONSUL do).

    Projects are ranked by votes (approvals), or by each project's given ``score``
    where ``by="score"`` (a project without one falls back to its votes), ties by
    ``tie``.  Each project that fits in the money left is funded; one that does not is
    skipped (``skip=True``, "greedy") or ends the rule (``skip=False``,
    "greedy-no-skip").  ``min_score`` ("greedy-threshold": the ranking score must be at
    least this), ``min_votes`` and ``max_cost`` (the per-project cap) make projects
    ineligible before ranking.  With votes and the default tie order this is exactly
    pabutools' ``greedy_utilitarian_welfare`` with ``Cost_Sat``.

    Args:
        instance: The election.
        by: ``"votes"`` or ``"score"``.
        skip: Skip a project that does not fit (True) or stop there (False).
        min_score: The minimum ranking score, inclusive.
        min_votes: The minimum number of approvals, inclusive.
        max_cost: The per-project cap, inclusive.
        tie: The tie order.
        name: The rule name to record (default: derived from the options).

    Returns:
        The allocation, with an explanation for every project.

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=100,
        ...     projects=[Proposal(id="a", cost=60), Proposal(id="b", cost=50),
        ...               Proposal(id="c", cost=40)],
        ...     ballots=[{"a", "b"}, {"a", "b", "c"}, {"a", "c"}, {"b"}])
        >>> greedy(inst).selected, greedy(inst, skip=False).selected
        (('a', 'c'), ('a',))
        >>> print(greedy(inst).explanation("b").describe())
        b: rank 2, 3 votes, cost 50, skipped: it does not fit in the money left; money left 40
    """
    c = _Compiled(instance, tie, ballots=False)
    by_score = by == "score"
    limits = _eligibility(
        c,
        max_cost=None if max_cost is None else Fraction(max_cost),
        min_votes=min_votes,
        min_score=None if min_score is None else Fraction(min_score),
        by_score=by_score,
    )
    scores = [_rank_score(c, p, by_score) for p in range(len(c.ids))]
    order = sorted(range(len(c.ids)), key=lambda p: (limits[p] is not None, -scores[p], p))
    left = instance.budget
    stopped = False
    selected: list[str] = []
    explanations: list[Explanation] = []
    for rank, p in enumerate(order, start=1):
        outcome = limits[p]
        if outcome is None:
            if stopped:
                outcome = Outcome.STOPPED
            elif c.cost[p] <= left:
                outcome = Outcome.FUNDED
                left -= c.cost[p]
                selected.append(c.ids[p])
            elif skip:
                outcome = Outcome.DOES_NOT_FIT
            else:
                outcome = Outcome.STOPPED
                stopped = True
        explanations.append(
            Explanation(
                project=c.ids[p],
                rank=rank,
                votes=c.approvals[p],
                score=scores[p],
                cost=c.cost[p],
                outcome=outcome,
                money_left=left,
            )
        )
    if name is None:
        name = "greedy" if skip else "greedy-no-skip"
        if min_score is not None:
            name = "greedy-threshold"
    return Allocation(
        rule=name,
        budget=instance.budget,
        selected=tuple(selected),
        explanations=tuple(explanations),
    )


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
    name: str | None = None,
) -> Allocation:
    """The Method of Equal Shares (MES), exactly, with optional completion.

    Each of the ``n`` voters (empty ballots count) starts with ``budget / n``.  A
    project is bought at the smallest price ρ per unit of utility at which its
    supporters can pay for it, each paying ``min(their money, ρ · utility)`` — utility
    is the project's cost (``utility="cost"``) or 1 (``"cardinality"``).  Projects
    whose supporters together hold less than the cost drop out; the rule stops when
    nothing is affordable.  Ties (equal ρ) follow ``tie``.  Without completion this is
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
        name: The rule name to record.

    Returns:
        The allocation; each funded project's explanation carries its ρ and what its
        supporters held when it was bought.

    Raises:
        FundsError: ``allocation.bad_step`` for a step that is not positive.

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
    c = _Compiled(instance, tie)
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
                code="allocation.bad_step",
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
        allocation = _compare(c, instance, allocation, cost_utility, max_cost, min_votes, tie)
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
    return Allocation(
        rule=name,
        budget=budget,
        selected=tuple(c.ids[p] for p in run.order),
        explanations=tuple(explanations),
        per_voter_budget=per_voter,
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
            e = _replace(e, outcome=Outcome.FUNDED_BY_COMPLETION, money_left=left)
        else:
            e = _replace(e, money_left=left)
        explanations.append(e)
    explanations = [_replace(e, rank=i) for i, e in enumerate(explanations, start=1)]
    return Allocation(
        rule=allocation.rule,
        budget=budget,
        selected=tuple(selected),
        explanations=tuple(explanations),
        per_voter_budget=allocation.per_voter_budget,
    )


def _replace(e: Explanation, **changes: object) -> Explanation:
    return attrs.evolve(e, **changes)  # type: ignore[arg-type]


def _compare(
    c: _Compiled,
    instance: AllocationInstance,
    mes: Allocation,
    cost_utility: bool,
    max_cost: int | Fraction | None,
    min_votes: int | None,
    tie: TieBreak,
) -> Allocation:
    """equalshares.net's comparison step: switch to greedy only if more voters prefer it."""
    other = greedy(instance, max_cost=max_cost, min_votes=min_votes, tie=tie, name=mes.rule)
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


def own_area_first(
    instance: AllocationInstance,
    *,
    area_budgets: Mapping[str, int | Fraction],
    pool: int | Fraction,
    rule: Callable[[AllocationInstance], Allocation] = greedy,
) -> Allocation:
    """Fund each area's projects from its own fund first, then the rest from the town pool.

    For every area (a project's ``scope``) the rule runs on that area's projects with
    that area's budget; the area's voters are those who approve at least one of its
    projects.  The projects left over (and those without a scope) then compete for
    ``pool`` under the same rule.  An area with no budget sends its projects to the pool.

    Args:
        instance: The election; projects carry their area in ``scope``.
        area_budgets: Each area's special fund.
        pool: The town pool.
        rule: Any rule taking an instance (e.g. ``functools.partial(equal_shares,
            completion="add1")``).

    Returns:
        One allocation whose budget is the areas' funds plus the pool; projects funded
        by the pool say so (``Outcome.FUNDED_BY_POOL``).

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=0,
        ...     projects=[Proposal(id="a1", cost=50, scope="A"),
        ...               Proposal(id="a2", cost=50, scope="A"),
        ...               Proposal(id="b1", cost=30, scope="B")],
        ...     ballots=[{"a1", "a2"}, {"a1"}, {"b1"}])
        >>> result = own_area_first(inst, area_budgets={"A": 60, "B": 40}, pool=50)
        >>> result.selected, result.explanation("a2").outcome.value, result.left
        (('a1', 'b1', 'a2'), 'funded_by_pool', Fraction(20, 1))
    """
    areas = sorted({p.scope for p in instance.projects if p.scope is not None})
    funded: list[str] = []
    explanations: dict[str, Explanation] = {}
    total = Fraction(pool)
    for area in areas:
        budget = Fraction(area_budgets.get(area, 0))
        total += budget
        ids = [p.id for p in instance.projects if p.scope == area]
        sub = _sub_instance(instance, ids, budget)
        result = rule(sub)
        funded.extend(result.selected)
        explanations.update({e.project: e for e in result.explanations if e.funded})
    rest = [p.id for p in instance.projects if p.id not in explanations]
    pooled = rule(_sub_instance(instance, rest, Fraction(pool)))
    funded.extend(pooled.selected)
    for e in pooled.explanations:
        explanations[e.project] = _replace(e, outcome=Outcome.FUNDED_BY_POOL) if e.funded else e
    order = [explanations[pid] for pid in funded] + [e for e in pooled.explanations if not e.funded]
    return Allocation(
        rule=f"own-area-first({pooled.rule})",
        budget=total,
        selected=tuple(funded),
        explanations=tuple(_replace(e, rank=i) for i, e in enumerate(order, start=1)),
    )


def _sub_instance(
    instance: AllocationInstance, ids: list[str], budget: Fraction
) -> AllocationInstance:
    keep = frozenset(ids)
    ballots = [[q for q in b if q in keep] for b in instance.ballots]
    return AllocationInstance(
        budget=budget,
        projects=[p for p in instance.projects if p.id in keep],
        ballots=[b for b in ballots if b],
        unit=instance.unit,
    )


def _threshold(election: PbElection) -> Fraction:
    text = election.meta.get("min_project_score_threshold")
    try:
        return Fraction(text) if text else Fraction(0)
    except ValueError:
        raise FundsError(
            f"META min_project_score_threshold is not a number: {text!r:.40}.",
            f"META 中的 min_project_score_threshold 不是数字：{text!r:.40}。",
            code="allocation.bad_threshold",
            field="min_project_score_threshold",
        ) from None


RULES: Mapping[str, str] = {
    "greedy": "rank by votes (the file's score for pabulib files), skip what does not fit",
    "greedy-no-skip": "rank by votes, stop at the first project that does not fit",
    "greedy-threshold": "greedy among projects whose score reaches the file's threshold",
    "mes": "Method of Equal Shares, cost utilities, no completion",
    "mes-cardinality": "Method of Equal Shares, cardinality utilities, no completion",
    "mes-add1": "MES (cost) raising per-voter budgets one unit at a time (equalshares/add1)",
    "mes-add1-comparison": "mes-add1, then equalshares.net's comparison with greedy",
    "mes-utilitarian": "MES (cost), then greedy by votes on what is left",
}
"""The rule names :func:`run_rule` and ``microgov allocate`` accept, with a summary.

pabulib's names are accepted too: ``equalshares`` (= ``mes``), ``equalshares/add1``
and ``equalshares/add1-comparison``.

Example:
    >>> sorted(RULES)[:3]
    ['greedy', 'greedy-no-skip', 'greedy-threshold']
"""

_ALIASES = {
    "equalshares": "mes",
    "equalshares/add1": "mes-add1",
    "equalshares/add1-comparison": "mes-add1-comparison",
    "mes-cost": "mes",
}


def run_rule(
    instance: AllocationInstance,
    rule: str,
    *,
    by: Literal["votes", "score"] = "votes",
    threshold: int | Fraction | None = None,
) -> Allocation:
    """Run a rule by name (see :data:`RULES`; pabulib's names are accepted too).

    Args:
        instance: The election.
        rule: The rule's name.
        by: What greedy rules rank by.
        threshold: The minimum score for ``greedy-threshold`` (default 0).

    Raises:
        FundsError: ``allocation.unknown_rule`` naming the rules there are.

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=10, projects=[Proposal(id="a", cost=10)],
        ...                           ballots=[{"a"}])
        >>> run_rule(inst, "equalshares/add1").selected
        ('a',)
    """
    key = _ALIASES.get(rule, rule)
    if key == "greedy":
        return greedy(instance, by=by, name="greedy")
    if key == "greedy-no-skip":
        return greedy(instance, by=by, skip=False, name="greedy-no-skip")
    if key == "greedy-threshold":
        limit = Fraction(0) if threshold is None else Fraction(threshold)
        return greedy(instance, by=by, min_score=limit, name="greedy-threshold")
    if key == "mes":
        return equal_shares(instance, name="mes")
    if key == "mes-cardinality":
        return equal_shares(instance, utility="cardinality", name="mes-cardinality")
    if key == "mes-add1":
        return equal_shares(instance, completion="add1", name="mes-add1")
    if key == "mes-add1-comparison":
        return equal_shares(
            instance, completion="add1", comparison=True, name="mes-add1-comparison"
        )
    if key == "mes-utilitarian":
        return equal_shares(instance, completion="utilitarian", name="mes-utilitarian")
    names = ", ".join(sorted(RULES))
    raise FundsError(
        f"Unknown allocation rule {rule!r:.40}; the rules are: {names}.",
        f"未知的分配规则 {rule!r:.40}；可用的规则：{names}。",
        code="allocation.unknown_rule",
        rule=rule,
    )


def allocate_election(election: PbElection, rule: str | None = None) -> Allocation:
    """Run a rule on a pabulib election as the file says (or as ``rule`` says).

    Greedy rules rank by the file's ``score`` column, else its ``votes`` column, else
    by counted approvals; ``greedy-threshold`` takes META
    ``min_project_score_threshold``.  Without ``rule``, the file's META ``rule`` is used.

    Raises:
        FundsError: ``allocation.unknown_rule`` for an unknown ``rule``;
            ``allocation.no_rule`` when ``rule`` is None and the file names no rule
            microgov has (``rule;unknown``).
        DataFormatError: If the election has no usable budget.

    Example:
        >>> from microgov.funds import read_pabulib
        >>> e = read_pabulib("META\\nkey;value\\nbudget;100\\nvote_type;approval\\n"
        ...     "rule;greedy\\nPROJECTS\\nproject_id;cost;votes\\na;60;2\\nb;50;1\\n"
        ...     "VOTES\\nvoter_id;vote\\n1;a,b\\n2;a\\n")
        >>> allocate_election(e).selected, allocate_election(e, "mes").selected
        (('a',), ('a',))
    """
    name = rule or election.rule or "unknown"
    if rule is None and name not in RULES and name not in _ALIASES:
        names = ", ".join(sorted(RULES))
        raise FundsError(
            f"The file does not name a rule microgov has (rule: {name!r:.40}); "
            f"choose one of: {names}.",
            f"文件未写明 microgov 支持的规则（rule：{name!r:.40}）；请从以下规则中选择：{names}。",
            code="allocation.no_rule",
            rule=name,
        )
    instance = AllocationInstance.from_pabulib(election)
    return run_rule(instance, name, by="score", threshold=_threshold(election))
