"""Greedy by support, the rule cities, Decidim and CONSUL run (greedy, no-skip, threshold)."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from microgov.funds.allocation._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
)
from microgov.funds.allocation._rules._compiled import (
    _Compiled,
    _eligibility,
    _rank_score,
    with_ties,
)
from microgov.funds.allocation._ties import TieBreak, find_ties

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
    seed: str | None = None,
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

    Every group of eligible projects with the same ranking figure is a :class:`Tie`,
    reported in ``ties`` and named in each member's explanation, which also shows the
    figure it was ranked by.

    Args:
        instance: The election.
        by: ``"votes"`` or ``"score"``.
        skip: Skip a project that does not fit (True) or stop there (False).
        min_score: The minimum ranking score, inclusive.
        min_votes: The minimum number of approvals, inclusive.
        max_cost: The per-project cap, inclusive.
        tie: The tie order.
        seed: The recorded seed of a public lot (required with ``TieBreak.LOT``).
        name: The rule name to record (default: derived from the options).

    Returns:
        The allocation, with an explanation for every project.

    Raises:
        FundsError: ``funds.no_seed`` for a lot without a seed.

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=100,
        ...     projects=[Proposal(id="a", cost=60), Proposal(id="b", cost=50),
        ...               Proposal(id="c", cost=40)],
        ...     ballots=[{"a", "b"}, {"a", "b", "c"}, {"a", "c"}, {"b"}])
        >>> greedy(inst).selected, greedy(inst, skip=False).selected
        (('a', 'c'), ('a',))
        >>> print(greedy(inst).explanation("b").describe())
        b: rank 2, 3 votes, cost 50, skipped: it does not fit in the money left; tie at 3 votes
        between a, b, broken by project id as text: a first; funded a; not funded b; money left 40
    """
    c = _Compiled(instance, tie, ballots=False, seed=seed)
    by_score = by == "score"
    limits = _eligibility(
        c,
        max_cost=None if max_cost is None else Fraction(max_cost),
        min_votes=min_votes,
        min_score=None if min_score is None else Fraction(min_score),
        by_score=by_score,
    )
    scores = [_rank_score(c, p, by_score) for p in range(len(c.ids))]
    measure = "score" if by_score and any(x is not None for x in c.score) else "votes"
    order = sorted(range(len(c.ids)), key=lambda p: (limits[p] is not None, -scores[p], p))
    left = instance.budget
    before = [Fraction(0)] * len(c.ids)  # the money left when each project came up
    stopped = False
    selected: list[str] = []
    explanations: list[Explanation] = []
    for rank, p in enumerate(order, start=1):
        outcome = limits[p]
        before[p] = left if not stopped else Fraction(-1)
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
                ranked_by=measure,
            )
        )
    if name is None:
        name = "greedy" if skip else "greedy-no-skip"
        if min_score is not None:
            name = "greedy-threshold"
    eligible = [p for p in order if limits[p] is None]
    ties = find_ties(
        [c.ids[p] for p in eligible],
        [scores[p] for p in eligible],
        frozenset(selected),
        measure=measure,
        rule=tie,
        seed=c.seed,
        costs=[c.cost[p] for p in eligible],
        money_before=[before[p] for p in eligible],
    )
    return Allocation(
        rule=name,
        budget=instance.budget,
        selected=tuple(selected),
        explanations=with_ties(explanations, ties),
        ties=ties,
        tie_break=tie,
        seed=c.seed,
    )
