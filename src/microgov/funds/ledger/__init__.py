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

from microgov._public import lazy_exports as _lazy_exports

# type checkers (mypy, pyright) read a module constant named TYPE_CHECKING as true
TYPE_CHECKING = False
if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and IDEs
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

_SOURCES = {
    "EXTERNAL": "microgov.funds.ledger._ledger",
    "TOWN_POOL": "microgov.funds.ledger._ledger",
    "Account": "microgov.funds.ledger._ledger",
    "AccountKind": "microgov.funds.ledger._ledger",
    "Ledger": "microgov.funds.ledger._ledger",
    "Posting": "microgov.funds.ledger._ledger",
    "close_period": "microgov.funds.ledger._ledger",
    "fund_area": "microgov.funds.ledger._ledger",
    "fund_heading": "microgov.funds.ledger._ledger",
    "grant_tranche": "microgov.funds.ledger._ledger",
    "reallocate": "microgov.funds.ledger._ledger",
    "refund": "microgov.funds.ledger._ledger",
    "spend": "microgov.funds.ledger._ledger",
    "tranche_amounts": "microgov.funds.ledger._ledger",
    "allocate": "microgov.funds.ledger._ledger",
    "Money": "microgov.funds.ledger._money",
    "TrancheSchedule": "microgov.funds.ledger._tranches",
    "postings_for_event": "microgov.funds.ledger._tranches",
}

_lazy = _lazy_exports(__name__, globals(), _SOURCES)


def __getattr__(name: str) -> object:
    """Import an exported name from its private module on first use (PEP 562).

    ``import microgov.funds.ledger`` loads nothing; :class:`Money` alone loads only the
    money module.
    """
    return _lazy(name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
