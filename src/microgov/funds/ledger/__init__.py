"""The ledger half of funds: money in integer fen, the double-entry ledger, tranches.

:class:`Money` holds whole fen and parses amounts strictly; :class:`Ledger` is an
immutable double-entry ledger in which every :class:`Posting` balances, no account
but an EXTERNAL one goes below zero unless allowed, and a command id posts once.
The helpers build the postings of the funds' life: :func:`fund_area` posts a budget
to an area, :func:`grant_tranche` pays a project (amounts from
:func:`tranche_amounts`, stages from a :class:`TrancheSchedule`), :func:`spend`,
:func:`refund` on cancellation, :func:`close_period` at year end and
:func:`reallocate` from the town pool.

This half imports nothing of the allocation half (:mod:`microgov.funds.allocation`):
a rule decides, the ledger records.  Every name here is also exported by
:mod:`microgov.funds`.

Example:
    >>> from datetime import datetime
    >>> from microgov.calendar import SHANGHAI
    >>> from microgov.funds.ledger import Account, Ledger, Money, fund_area
    >>> at = datetime(2026, 3, 1, 10, tzinfo=SHANGHAI)
    >>> area = Account.area("xihu-1")
    >>> ledger = Ledger().post(fund_area(area, Money.of_yuan(100), id="c1", at=at))
    >>> str(ledger.balance(area))
    '¥100.00'
"""

from __future__ import annotations

from microgov._public import publish as _publish
from microgov.funds.ledger._ledger import (
    EXTERNAL,
    TOWN_POOL,
    Account,
    AccountKind,
    Ledger,
    Posting,
    close_period,
    fund_area,
    fund_heading,
    grant_tranche,
    reallocate,
    refund,
    spend,
    tranche_amounts,
)
from microgov.funds.ledger._ledger import (
    allocate as allocate,  # deprecated: fund_area
)
from microgov.funds.ledger._money import Money
from microgov.funds.ledger._tranches import TrancheSchedule, postings_for_event

__all__ = [
    "EXTERNAL",
    "TOWN_POOL",
    "Account",
    "AccountKind",
    "Ledger",
    "Money",
    "Posting",
    "TrancheSchedule",
    "close_period",
    "fund_area",
    "fund_heading",
    "grant_tranche",
    "postings_for_event",
    "reallocate",
    "refund",
    "spend",
    "tranche_amounts",
]

_publish(__name__, globals(), __all__)
