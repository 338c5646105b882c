"""Own area first, then the town pool: each area spends its own fund before the pool."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from microgov.funds.allocation._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
)
from microgov.funds.allocation._rules._compiled import _replace
from microgov.funds.allocation._rules.greedy import greedy
from microgov.funds.allocation._ties import Tie

__all__ = ["own_area_first"]


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

    Complexity:
        One pass over the ballots splits them by area (O(total approvals)); then the
        rule runs once per area on that area's projects and ballots, and once on the pool.
    """
    areas = sorted({p.scope for p in instance.projects if p.scope is not None})
    funded: list[str] = []
    explanations: dict[str, Explanation] = {}
    earlier: dict[str, tuple[Tie, ...]] = {}
    ties: list[Tie] = []
    total = Fraction(pool)
    by_area = _area_ballots(instance)
    for area in areas:
        budget = Fraction(area_budgets.get(area, 0))
        total += budget
        sub = AllocationInstance(
            budget=budget,
            projects=[p for p in instance.projects if p.scope == area],
            ballots=by_area.get(area, []),
            unit=instance.unit,
        )
        result = rule(sub)
        funded.extend(result.selected)
        ties.extend(result.ties)
        for e in result.explanations:
            if e.funded:
                explanations[e.project] = e
            elif e.ties:
                earlier[e.project] = e.ties
    rest = [p.id for p in instance.projects if p.id not in explanations]
    pooled = rule(_sub_instance(instance, rest, Fraction(pool)))
    funded.extend(pooled.selected)
    ties.extend(pooled.ties)
    waiting: list[Explanation] = []
    for e in pooled.explanations:
        if e.project in earlier:  # the ties it met in its area's run come first
            e = _replace(e, ties=(*earlier[e.project], *e.ties))
        if e.funded:
            explanations[e.project] = _replace(e, outcome=Outcome.FUNDED_BY_POOL)
        else:
            waiting.append(e)
    order = [explanations[pid] for pid in funded] + waiting
    return Allocation(
        rule=f"own-area-first({pooled.rule})",
        budget=total,
        selected=tuple(funded),
        explanations=tuple(_replace(e, rank=i) for i, e in enumerate(order, start=1)),
        ties=ties,
        tie_break=pooled.tie_break,
        seed=pooled.seed,
    )


def _area_ballots(instance: AllocationInstance) -> dict[str | None, list[list[str]]]:
    """Each area's ballots: what :func:`_sub_instance` keeps of them for that area's ids.

    For every area (a project's ``scope``), each ballot's approvals of that area's
    projects, in the ballot's order, the ballots that approve none of them left out.
    One pass over the ballots for all the areas (O(total approvals)) instead of one
    pass per area.
    """
    scope = {p.id: p.scope for p in instance.projects}
    out: dict[str | None, list[list[str]]] = {}
    for ballot in instance.ballots:
        parts: dict[str | None, list[str]] = {}
        for q in ballot:
            area = scope[q]
            found = parts.get(area)
            if found is None:
                parts[area] = [q]
            else:
                found.append(q)
        for area, kept in parts.items():
            found_ballots = out.get(area)
            if found_ballots is None:
                out[area] = [kept]
            else:
                found_ballots.append(kept)
    return out


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
