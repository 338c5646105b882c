"""What every rule shares: an instance compiled to integers, eligibility, ranking scores.

Projects are numbered in tie order once (:class:`_Compiled`); identical ballots are
grouped; each rule then works on lists indexed by project number.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from itertools import chain, repeat
from math import lcm

import attrs

from microgov.funds.allocation._instance import AllocationInstance, Explanation, Outcome
from microgov.funds.allocation._ties import Tie, TieBreak, tie_key


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
        "seed",
        "tie",
    )

    def __init__(
        self,
        instance: AllocationInstance,
        tie: TieBreak,
        *,
        ballots: bool = True,
        seed: str | None = None,
    ) -> None:
        grouped = Counter(instance.ballots)
        projects = list(instance.projects)
        by_id = tie in (TieBreak.ID, TieBreak.ID_DESC)
        key = None if by_id else tie_key(tie, seed)
        if by_id:  # the order is known before counting: no remapping
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
        if key is not None:
            order.sort(key=lambda i: key(projects[i], approvals[i]))
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
        self.tie, self.seed = tie, (seed if tie is TieBreak.LOT else None)
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


def _replace(e: Explanation, **changes: object) -> Explanation:
    return attrs.evolve(e, **changes)  # type: ignore[arg-type]


def with_ties(explanations: list[Explanation], ties: list[Tie]) -> tuple[Explanation, ...]:
    """The explanations with each tied project's tie attached."""
    if not ties:
        return tuple(explanations)
    of: dict[str, list[Tie]] = {}
    for t in ties:
        for pid in t.projects:
            of.setdefault(pid, []).append(t)
    return tuple(
        _replace(e, ties=(*e.ties, *of[e.project])) if e.project in of else e for e in explanations
    )
