"""Several funds at once: headings with their own budgets, eligibility, caps and fill order.

A community spends more than one pot: each residential area's special fund (专项资金),
its self-governance fund (自治金), town-wide and district funds.  A :class:`Heading`
is one pot; :func:`allocate_headings` fills the headings one after the other, running
the rule on the projects still waiting that each heading may pay for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

import attrs

from microgov.errors import FundsError
from microgov.funds.allocation._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
    Proposal,
)
from microgov.funds.allocation._override import Override, OverrideAction
from microgov.funds.allocation._rules._compiled import _replace
from microgov.funds.allocation._rules.greedy import greedy
from microgov.funds.allocation._rules.own_area_first import _sub_instance
from microgov.funds.allocation._ties import Tie

__all__ = ["Heading", "allocate_headings"]


def _amount(value: int | Fraction) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise FundsError(
            f"An amount must be an int or a Fraction, not {type(value).__name__}.",
            f"金额必须是整数或分数，而不是 {type(value).__name__}。",
            code="funds.bad_amount",
        )
    if value < 0:
        raise FundsError(
            "A heading's budget or cap is negative.",
            "资金科目的预算或上限为负数。",
            code="funds.negative_budget",
        )
    return Fraction(value)


def _optional_amount(value: int | Fraction | None) -> Fraction | None:
    return None if value is None else _amount(value)


def _optional_set(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@attrs.frozen(kw_only=True)
class Heading:
    """One funding heading (资金科目): a pot with its budget, eligibility and cap.

    Attributes:
        id: The heading's id; the ledger account of the same id
            (``Account.heading(id)``) pays its grants.
        budget: Its money, exactly (fen for microgov's own money).
        name: A human name (e.g. "自治金 self-governance fund").
        scopes: The project scopes (residential areas) it may pay for; None for any.
        categories: The project categories it may pay for (a project qualifies when
            it has one of them); None for any.
        cap: The most it pays for one project; a project costing more is not
            eligible under it (None: no cap).
        partial: Whether it may fund a project partly: when the rule has run, the
            money left goes to the first project that did not fit, and a later
            heading under which that project is eligible pays the rest first.

    Raises:
        FundsError: ``funds.negative_budget``, ``funds.bad_amount``.

    Example:
        >>> h = Heading(id="self-gov", budget=50_000, scopes=["area-1"], cap=20_000)
        >>> h.eligible(Proposal(id="p", cost=15_000, scope="area-1"))
        True
        >>> h.eligible(Proposal(id="q", cost=25_000, scope="area-1"))
        False
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    budget: Fraction = attrs.field(converter=_amount)
    name: str = ""
    scopes: frozenset[str] | None = attrs.field(default=None, converter=_optional_set)
    categories: frozenset[str] | None = attrs.field(default=None, converter=_optional_set)
    cap: Fraction | None = attrs.field(default=None, converter=_optional_amount)
    partial: bool = False

    def eligible(self, project: Proposal) -> bool:
        """Whether this heading may pay for the project (scope, category and cap).

        Example:
            >>> Heading(id="green", budget=1, categories=["green"]).eligible(
            ...     Proposal(id="p", cost=1, categories=["sport", "green"]))
            True
        """
        if self.scopes is not None and project.scope not in self.scopes:
            return False
        if self.categories is not None and not (self.categories & project.categories):
            return False
        return self.cap is None or project.cost <= self.cap


def _check(
    instance: AllocationInstance, headings: Sequence[Heading], overrides: Sequence[Override]
) -> None:
    ids = [h.id for h in headings]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise FundsError(
            f"Heading id {dup!r:.40} appears twice.",
            f"资金科目编号 {dup!r:.40} 重复。",
            code="funds.duplicate_heading",
            heading=dup,
        )
    known = {p.id for p in instance.projects}
    seen: set[str] = set()
    for o in overrides:
        if o.project not in known:
            instance.project(o.project)  # raises funds.unknown_project
        if o.project in seen:
            raise FundsError(
                f"Project {o.project!r:.40} has two overrides.",
                f"项目 {o.project!r:.40} 有两条人工调整。",
                code="funds.duplicate_override",
                project=o.project,
            )
        seen.add(o.project)
        if o.heading is not None and o.heading not in ids:
            raise FundsError(
                f"Override of {o.project!r:.40} names no heading here: {o.heading!r:.40}.",
                f"项目 {o.project!r:.40} 的人工调整指定的资金科目 {o.heading!r:.40} 不存在。",
                code="funds.unknown_heading",
                project=o.project,
                heading=o.heading,
            )


def allocate_headings(
    instance: AllocationInstance,
    headings: Sequence[Heading],
    *,
    rule: Callable[[AllocationInstance], Allocation] = greedy,
    overrides: Sequence[Override] = (),
    name: str | None = None,
) -> Allocation:
    """Fill several headings in order, each with the projects it may pay for.

    1. Officers' overrides come first: a skipped project is left out everywhere; a
       project funded by override is paid by the heading the override names (even
       against its eligibility), else by the first heading, in fill order, under
       which it is eligible and that still has the money.
    2. Then each heading in ``headings`` order: projects it partly funded earlier are
       topped up, then ``rule`` runs on the waiting projects eligible under it, with
       the money it has left; the voters are those who approve one of them.
    3. A heading with ``partial=True`` gives what it has left after its rule to the
       first project its rule could not fund; later headings pay the rest first.

    A project eligible under several headings is considered by each in turn until
    one funds it.  ``instance.budget`` is not used: the headings' budgets are.

    Args:
        instance: The election; projects carry ``scope`` and ``categories``.
        headings: The headings, in the order they are filled.
        rule: Any rule taking an instance (e.g. ``functools.partial(equal_shares,
            completion="add1")``).
        overrides: Officers' decisions, shown in the explanations.
        name: The rule name to record (default ``"headings(<rule>)"``).

    Returns:
        One allocation over all headings: each explanation's ``grants`` says which
        heading paid how much; ``budget`` is the headings' total.

    Raises:
        FundsError: ``funds.duplicate_heading``, ``funds.unknown_heading``,
            ``funds.unknown_project``, ``funds.duplicate_override``, and
            ``funds.override_does_not_fit`` when no heading can pay an override.

    Example:
        >>> from microgov.funds import Override, OverrideAction
        >>> inst = AllocationInstance(budget=0,
        ...     projects=[Proposal(id="a", cost=60, scope="A", categories=["green"]),
        ...               Proposal(id="b", cost=40, scope="A", categories=["sport"]),
        ...               Proposal(id="c", cost=30, scope="B", categories=["green"])],
        ...     ballots=[{"a", "b"}, {"a"}, {"c"}, {"b"}])
        >>> headings = [Heading(id="area-A", budget=70, scopes=["A"]),
        ...             Heading(id="green", budget=40, categories=["green"])]
        >>> result = allocate_headings(inst, headings)
        >>> [(e.project, e.outcome.value, e.grants) for e in result.explanations]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('a', 'funded', (('area-A', Fraction(60, 1)),)),
         ('c', 'funded', (('green', Fraction(30, 1)),)),
         ('b', 'does_not_fit', ())]
        >>> skip = Override(project="a", action=OverrideAction.SKIP, reason="site",
        ...                 author="Wang")
        >>> print(allocate_headings(inst, headings, overrides=[skip]).explanation("a")
        ...       .describe())  # doctest: +NORMALIZE_WHITESPACE
        a: rank 3, 2 votes, cost 60, not funded: skipped by an officer's override; officer
        override by Wang: skip (site); money left 0
    """
    _check(instance, headings, overrides)
    left = {h.id: h.budget for h in headings}
    by_id = {p.id: p for p in instance.projects}
    approvals = instance.approvals()
    grants: dict[str, list[tuple[str, Fraction]]] = {}
    need: dict[str, Fraction] = {}  # partly funded: what is still missing
    done: dict[str, Explanation] = {}
    waiting: dict[str, Explanation] = {}
    funded_order: list[str] = []
    ties: list[Tie] = []
    inner = "rule"
    override_of = {o.project: o for o in overrides}
    skipped = {o.project for o in overrides if o.action is OverrideAction.SKIP}

    def base(pid: str, outcome: Outcome) -> Explanation:
        return Explanation(
            project=pid,
            rank=0,
            votes=approvals[pid],
            score=None,
            cost=by_id[pid].cost,
            outcome=outcome,
            money_left=Fraction(0),
            override=override_of.get(pid),
        )

    for o in overrides:
        if o.action is not OverrideAction.FUND:
            continue
        p = by_id[o.project]
        payer = next(
            (
                h
                for h in headings
                if (h.id == o.heading or (o.heading is None and h.eligible(p)))
                and left[h.id] >= p.cost
            ),
            None,
        )
        if payer is None:
            raise FundsError(
                f"No heading can pay the override of {p.id!r:.40} (cost {p.cost}).",
                f"没有资金科目能支付项目 {p.id!r:.40} 的人工调整（费用 {p.cost}）。",
                code="funds.override_does_not_fit",
                project=p.id,
            )
        left[payer.id] -= p.cost
        grants[p.id] = [(payer.id, p.cost)]
        done[p.id] = _replace(base(p.id, Outcome.FUNDED_BY_OVERRIDE), money_left=left[payer.id])
        funded_order.append(p.id)

    for h in headings:
        for pid in [q for q in need if h.eligible(by_id[q]) and left[h.id] > 0]:
            pay = min(need[pid], left[h.id])
            left[h.id] -= pay
            grants[pid].append((h.id, pay))
            need[pid] -= pay
            if not need[pid]:
                del need[pid]
                done[pid] = _replace(done[pid], outcome=Outcome.FUNDED)
        open_ids = [
            p.id
            for p in instance.projects
            if p.id not in done and p.id not in skipped and h.eligible(p)
        ]
        if not open_ids:
            continue
        result = rule(_sub_instance(instance, open_ids, left[h.id]))
        inner = result.rule
        ties.extend(result.ties)
        for e in result.explanations:
            if e.funded:
                left[h.id] -= e.cost
                grants[e.project] = [(h.id, e.cost)]
                done[e.project] = _replace(e, override=override_of.get(e.project))
                funded_order.append(e.project)
                waiting.pop(e.project, None)
            else:
                waiting[e.project] = e
        if h.partial and left[h.id] > 0:
            first = next((e for e in result.explanations if not e.funded and e.votes), None)
            if first is not None and first.project in waiting:
                pay = left[h.id]
                left[h.id] = Fraction(0)
                grants[first.project] = [(h.id, pay)]
                need[first.project] = first.cost - pay
                done[first.project] = _replace(
                    waiting.pop(first.project),
                    outcome=Outcome.FUNDED_PARTIALLY,
                    money_left=Fraction(0),
                )
                funded_order.append(first.project)

    explanations = [_replace(done[pid], grants=grants[pid]) for pid in funded_order]
    for p in sorted(instance.projects, key=lambda p: (-approvals[p.id], p.id)):
        if p.id in done:
            continue
        if p.id in skipped:
            explanations.append(base(p.id, Outcome.SKIPPED_BY_OVERRIDE))
        elif p.id in waiting:
            explanations.append(waiting[p.id])
        else:
            explanations.append(base(p.id, Outcome.NO_HEADING))
    total = sum((h.budget for h in headings), Fraction(0))
    return Allocation(
        rule=name or f"headings({inner})",
        budget=total,
        selected=tuple(funded_order),
        explanations=tuple(_replace(e, rank=i) for i, e in enumerate(explanations, start=1)),
        ties=ties,
    )
