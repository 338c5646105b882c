"""Where the two halves meet: the ledger postings of an allocation's grants.

The allocation half decides and the ledger half records; neither imports the other.
This module reads an :class:`~microgov.funds.Allocation` and builds the postings
that pay its grants, each from the account of the heading that pays it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from fractions import Fraction

import attrs

from microgov.errors import FundsError
from microgov.funds.allocation import Allocation
from microgov.funds.ledger import Account, Money, Posting, grant_tranche

__all__ = ["allocation_postings"]


def _fen(project: str, value: Fraction) -> Money:
    if value.denominator != 1:
        raise FundsError(
            f"Project {project!r:.40} would get {value} fen, not a whole number of fen.",
            f"项目 {project!r:.40} 的拨款 {value} 分不是整数分。",
            code="funds.not_whole_fen",
            project=project,
        )
    return Money(fen=value.numerator)


def allocation_postings(
    allocation: Allocation,
    *,
    id: str,
    at: datetime,
    accounts: Mapping[str, Account] | None = None,
    source: Account | None = None,
) -> tuple[Posting, ...]:
    """The postings that pay an allocation's grants (heading → project), one per grant.

    An allocation over headings (:func:`~microgov.funds.allocate_headings`) pays each
    grant from its heading's account: ``accounts[heading id]`` where given (an area's
    special fund, say), else ``Account.heading(heading id)``.  An allocation made
    without headings pays every funded project its cost from ``source``.  A posting
    of a project an officer's override funded names the override in its memo.

    Posting ids are ``f"{id}:{project}:{heading}"``, so posting the same allocation
    twice posts each grant once (:meth:`~microgov.funds.Ledger.post` is idempotent).

    Args:
        allocation: The allocation (amounts in fen).
        id: The command id the posting ids derive from.
        at: When (timezone-aware).
        accounts: The ledger account of each heading, where not ``Account.heading``.
        source: For an allocation without headings: the account that pays.

    Returns:
        The postings, in the order the allocation funded the projects.

    Raises:
        FundsError: ``funds.not_whole_fen`` for an amount that is not whole fen;
            ``funds.no_source`` for an allocation without headings and no
            ``source``; the ledger's ``funds.wrong_kind`` for an account that cannot
            pay a grant.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.funds import (AllocationInstance, Heading, Ledger, Money,
        ...     Override, OverrideAction, Proposal, allocate_headings, fund_heading)
        >>> inst = AllocationInstance(budget=0,
        ...     projects=[Proposal(id="p1", cost=30_000), Proposal(id="p2", cost=50_000)],
        ...     ballots=[{"p1"}, {"p1"}, {"p2"}])
        >>> heading = Heading(id="self-gov", budget=60_000)
        >>> boost = Override(project="p2", action=OverrideAction.FUND,
        ...                  reason="fire safety", author="officer Li")
        >>> result = allocate_headings(inst, [heading], overrides=[boost])
        >>> at = datetime(2026, 4, 1, tzinfo=SHANGHAI)
        >>> ledger = Ledger().post(fund_heading(Account.heading("self-gov"),
        ...                        Money(fen=60_000), id="budget", at=at))
        >>> for posting in allocation_postings(result, id="alloc-2026", at=at):
        ...     ledger = ledger.post(posting)
        ...     print(posting.id, "|", posting.memo_en)  # doctest: +NORMALIZE_WHITESPACE
        alloc-2026:p2:self-gov | Grant ¥500.00 to project p2 from heading self-gov
        (officer override by officer Li: fund (fire safety))
        >>> str(ledger.balance(Account.heading("self-gov")))
        '¥100.00'
    """
    postings: list[Posting] = []
    for pid in allocation.selected:
        e = allocation.explanation(pid)
        if e.grants:
            pays = [(accounts or {}).get(h) or Account.heading(h) for h, _a in e.grants]
            amounts = [a for _h, a in e.grants]
            names = [h for h, _a in e.grants]
        elif source is None:
            raise FundsError(
                "An allocation without headings needs the account that pays (source=...).",
                "未按资金科目分配时，必须指定付款账户（source=...）。",
                code="funds.no_source",
            )
        else:
            pays, amounts, names = [source], [e.paid], [source.id]
        project = Account.project(pid)
        note_en = note_zh = ""
        if e.override is not None:
            note_en = f" ({e.override.describe()})"
            note_zh = f"（{e.override.describe('zh')}）"
        for payer, amount, name in zip(pays, amounts, names, strict=True):
            money = _fen(pid, amount)
            grant = grant_tranche(project, payer, money, id=f"{id}:{pid}:{name}", at=at)
            postings.append(
                attrs.evolve(
                    grant,
                    memo_en=f"Grant {money} to project {pid} from heading {name}{note_en}",
                    memo_zh=f"资金科目 {name} 向项目 {pid} 拨款 {money}{note_zh}",
                )
            )
    return tuple(postings)
