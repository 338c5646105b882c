"""Greedy by support, the rule cities, Decidim and CONSUL run (greedy, no-skip, threshold)."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from microgov.funds.allocation._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
    TieBreak,
)
from microgov.funds.allocation._rules._compiled import _Compiled, _eligibility, _rank_score

__all__ = ["greedy"]


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
