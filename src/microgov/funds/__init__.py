"""Funds: money in integer fen and a double-entry ledger of special funds (专项资金).

:class:`Money` holds whole fen and parses amounts strictly; :class:`Ledger` is an
immutable double-entry ledger in which every :class:`Posting` balances, no account
but an EXTERNAL one goes below zero unless allowed, and a command id posts once.
The helpers build the postings of the funds' life: :func:`allocate` a budget to an
area, :func:`grant_tranche` to a project (amounts from :func:`tranche_amounts`),
:func:`spend`, :func:`refund` on cancellation, :func:`close_period` at year end and
:func:`reallocate` from the town pool.

Example:
    >>> from datetime import datetime
    >>> from fractions import Fraction
    >>> from microgov._time import SHANGHAI
    >>> from microgov.funds import Account, Ledger, Money, allocate, grant_tranche
    >>> from microgov.funds import tranche_amounts
    >>> at = datetime(2026, 3, 1, 10, tzinfo=SHANGHAI)
    >>> area, project = Account.area("xihu-1"), Account.project("p-1")
    >>> first, rest = tranche_amounts(Money.parse("9,999.99"), (Fraction(1, 2), Fraction(1, 2)))
    >>> ledger = Ledger().post(allocate(area, Money.of_yuan(50_000), id="c1", at=at))
    >>> ledger = ledger.post(grant_tranche(project, area, first, id="c2", at=at))
    >>> str(first), str(rest), str(ledger.balance(area)), str(ledger.total())
    ('¥5,000.00', '¥4,999.99', '¥45,000.00', '¥0.00')
"""

from __future__ import annotations

from microgov.funds._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
    Proposal,
    TieBreak,
)
from microgov.funds._ledger import (
    EXTERNAL,
    TOWN_POOL,
    Account,
    AccountKind,
    Ledger,
    Posting,
    allocate,
    close_period,
    grant_tranche,
    reallocate,
    refund,
    spend,
    tranche_amounts,
)
from microgov.funds._money import Money
from microgov.funds._pabulib import (
    VOTE_TYPES,
    PbElection,
    PbProject,
    PbVoter,
    dump_pabulib,
    load_pabulib,
    read_pabulib,
    write_pabulib,
)
from microgov.funds._rules import (
    RULES,
    allocate_election,
    equal_shares,
    greedy,
    own_area_first,
    run_rule,
)
from microgov.funds._tranches import TrancheSchedule, postings_for_event

__all__ = [
    "EXTERNAL",
    "RULES",
    "TOWN_POOL",
    "VOTE_TYPES",
    "Account",
    "AccountKind",
    "Allocation",
    "AllocationInstance",
    "Explanation",
    "Ledger",
    "Money",
    "Outcome",
    "PbElection",
    "PbProject",
    "PbVoter",
    "Posting",
    "Proposal",
    "TieBreak",
    "TrancheSchedule",
    "allocate",
    "allocate_election",
    "close_period",
    "dump_pabulib",
    "equal_shares",
    "grant_tranche",
    "greedy",
    "load_pabulib",
    "own_area_first",
    "postings_for_event",
    "read_pabulib",
    "reallocate",
    "refund",
    "run_rule",
    "spend",
    "tranche_amounts",
    "write_pabulib",
]
