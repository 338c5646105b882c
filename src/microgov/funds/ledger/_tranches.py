"""Grants paid in tranches as a project's lifecycle events arrive.

A :class:`TrancheSchedule` names the lifecycle event that releases each tranche (by
default: the first share when the project is funded, the rest after a passed
evaluation) and the shares (``PolicySet.tranches``).  :func:`postings_for_event` turns
one lifecycle :class:`~microgov.lifecycle.Event` into the ledger postings it causes:
a tranche, a refund on cancellation, or nothing.  Posting ids derive from the project
and the stage, so replaying the same events posts each tranche once.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from microgov._event_names import PROJECT_CANCELLED, PROJECT_EVALUATED, PROJECT_FUNDED
from microgov.errors import FundsError
from microgov.funds.ledger._ledger import (
    Account,
    Ledger,
    Posting,
    grant_tranche,
    refund,
    tranche_amounts,
)
from microgov.funds.ledger._money import Money

if TYPE_CHECKING:  # the lifecycle (and the graph and policy under it) load only when used
    from microgov.lifecycle import Event, Lifecycle

__all__ = ["TrancheSchedule", "postings_for_event"]


def _shares(value: tuple[Fraction, ...] | list[Fraction]) -> tuple[Fraction, ...]:
    return tuple(Fraction(v) for v in value)


@attrs.frozen(kw_only=True)
class TrancheSchedule:
    """Which lifecycle event releases which share of a grant.

    Attributes:
        stages: One event type per tranche, in order (default:
            :data:`~microgov.lifecycle.PROJECT_FUNDED`, then
            :data:`~microgov.lifecycle.PROJECT_EVALUATED` — a passed evaluation, since
            the project table's ``evaluate`` transition requires ``evaluation.passed``).
        shares: One exact share per stage, summing to 1 (e.g. ``PolicySet.tranches``).
        cancel: The event type that refunds what the project holds
            (:data:`~microgov.lifecycle.PROJECT_CANCELLED`).

    A schedule names event types of a lifecycle table: :meth:`check_against` checks that
    the table it is used with emits them all.

    Raises:
        FundsError: ``funds.bad_schedule`` if stages and shares differ in number, a
            share is not positive, or the shares do not sum to exactly 1.

    Example:
        >>> s = TrancheSchedule(shares=(Fraction(3, 10), Fraction(7, 10)))
        >>> s.stages, s.share_for("project.evaluated")
        (('project.funded', 'project.evaluated'), (1, Fraction(7, 10)))
    """

    stages: tuple[str, ...] = (PROJECT_FUNDED, PROJECT_EVALUATED)
    shares: tuple[Fraction, ...] = attrs.field(
        default=(Fraction(1, 2), Fraction(1, 2)), converter=_shares
    )
    cancel: str = PROJECT_CANCELLED

    def __attrs_post_init__(self) -> None:
        problems = []
        if len(self.stages) != len(self.shares):
            problems.append(
                (
                    f"{len(self.stages)} stages but {len(self.shares)} shares",
                    f"{len(self.stages)} 个阶段却有 {len(self.shares)} 个比例",
                )
            )
        if any(share <= 0 for share in self.shares):
            problems.append(("a share is not positive", "有比例不为正数"))
        if sum(self.shares, Fraction(0)) != 1:
            problems.append(("the shares do not sum to 1", "比例之和不等于 1"))
        if len(set(self.stages)) != len(self.stages):
            problems.append(("a stage appears twice", "有阶段重复"))
        if problems:
            raise FundsError(
                f"Bad tranche schedule: {'; '.join(en for en, _ in problems)}.",
                f"分期拨付方案有误：{'；'.join(zh for _, zh in problems)}。",
                code="funds.bad_schedule",
            )

    def check_against(self, lifecycle: Lifecycle) -> TrancheSchedule:
        """Check that ``lifecycle`` emits every stage and the cancel event; return self.

        A stage no transition emits would never release its tranche, so a schedule
        and a table that do not fit are refused before any money moves.

        Args:
            lifecycle: The table whose events the schedule is used with.

        Returns:
            The schedule itself.

        Raises:
            FundsError: ``funds.bad_schedule``, naming the event types the table does
                not emit (``details["unknown"]``).

        Example:
            >>> from microgov.lifecycle import PROJECT, TOPIC
            >>> TrancheSchedule().check_against(PROJECT) == TrancheSchedule()
            True
            >>> TrancheSchedule().check_against(TOPIC)
            Traceback (most recent call last):
            ...
            microgov.errors.FundsError: Tranche schedule does not fit lifecycle 'topic': ...
        """
        emitted = set(lifecycle.event_types)
        unknown = tuple(e for e in (*self.stages, self.cancel) if e not in emitted)
        if unknown:
            raise FundsError(
                f"Tranche schedule does not fit lifecycle {lifecycle.name!r}: it emits no "
                f"{', '.join(unknown)} event.",
                f"分期拨付方案与流程 {lifecycle.name!r} 不符："
                f"该流程没有 {'、'.join(unknown)} 事件。",
                code="funds.bad_schedule",
                lifecycle=lifecycle.name,
                unknown=unknown,
            )
        return self

    def share_for(self, event_type: str) -> tuple[int, Fraction] | None:
        """The tranche index and share an event type releases, or None.

        Example:
            >>> print(TrancheSchedule().share_for("project.started"))
            None
        """
        if event_type not in self.stages:
            return None
        index = self.stages.index(event_type)
        return index, self.shares[index]


def postings_for_event(
    ledger: Ledger,
    event: Event,
    *,
    grant: Money,
    source: Account,
    schedule: TrancheSchedule | None = None,
    at: datetime | None = None,
) -> tuple[Posting, ...]:
    """The postings one lifecycle event causes for a project's grant.

    A stage event pays its tranche from ``source`` (the area fund or the town pool)
    to ``Account.project(event.item)``; the tranche amounts are ``grant`` split
    exactly by the shares (:func:`tranche_amounts`: largest remainders, no fen
    lost).  The cancel event refunds what the project still holds to ``source``.
    Any other event causes nothing.  Posting ids are ``tranche:{project}:{index}`` and
    ``refund:{project}``, so the same event twice posts once.

    Args:
        ledger: The ledger as it is (needed for refunds and to skip posted tranches).
        event: The lifecycle event.
        grant: The project's whole grant.
        source: Where the money comes from and goes back to.
        schedule: The schedule (default: half when funded, half after evaluation).
        at: When to post (default: the event's time).

    Returns:
        The postings to post, in order (empty when nothing is due).

    Raises:
        FundsError: From the ledger helpers (``funds.wrong_kind`` …).

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.funds import fund_area
        >>> from microgov.lifecycle import Event
        >>> at = datetime(2026, 4, 1, 9, tzinfo=SHANGHAI)
        >>> area = Account.area("area-01")
        >>> ledger = Ledger().post(fund_area(area, Money.of_yuan(50_000), id="a1", at=at))
        >>> funded = Event(type="project.funded", item="p-7", actor="sec", at=at,
        ...                payload={}, verdicts=())
        >>> (posting,) = postings_for_event(ledger, funded, grant=Money.parse("9,999.99"),
        ...                                 source=area)
        >>> posting.id, str(posting.delta(Account.project("p-7")))
        ('tranche:p-7:0', '¥5,000.00')
        >>> ledger = ledger.post(posting)
        >>> postings_for_event(ledger, funded, grant=Money.parse("9,999.99"), source=area)
        ()
    """
    plan = schedule or TrancheSchedule()
    when = at or event.at
    project = Account.project(event.item)
    if event.type == plan.cancel:
        posting_id = f"refund:{event.item}"
        if ledger.posted(posting_id) is not None or ledger.balance(project).fen == 0:
            return ()
        return (refund(ledger, project, source, id=posting_id, at=when),)
    stage = plan.share_for(event.type)
    if stage is None:
        return ()
    index, _share = stage
    posting_id = f"tranche:{event.item}:{index}"
    if ledger.posted(posting_id) is not None:
        return ()
    amount = tranche_amounts(grant, plan.shares)[index]
    if amount.fen == 0:
        return ()
    return (grant_tranche(project, source, amount, id=posting_id, at=when),)
