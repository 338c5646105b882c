"""Funds: allocation rules that choose projects, and a ledger that moves the money.

Two halves with no import between them:

* :mod:`microgov.funds.allocation` — the election (:class:`AllocationInstance`,
  :class:`Proposal`), the rules (:func:`greedy`, :func:`equal_shares`,
  :func:`own_area_first`, by name with :func:`run_rule`), their explained result
  (:class:`Allocation`) and pabulib files;
* :mod:`microgov.funds.ledger` — :class:`Money` in whole fen, the double-entry
  :class:`Ledger` of special funds (专项资金) and the helpers that build its postings:
  :func:`fund_area` posts a budget to an area, :func:`grant_tranche` pays a project
  (amounts from :func:`tranche_amounts`), :func:`spend`, :func:`refund` on
  cancellation, :func:`close_period` at year end and :func:`reallocate` from the town
  pool.

Every public name of both halves is exported here too.

Example:
    >>> from datetime import datetime
    >>> from fractions import Fraction
    >>> from microgov.calendar import SHANGHAI
    >>> from microgov.funds import Account, Ledger, Money, fund_area, grant_tranche
    >>> from microgov.funds import tranche_amounts
    >>> at = datetime(2026, 3, 1, 10, tzinfo=SHANGHAI)
    >>> area, project = Account.area("xihu-1"), Account.project("p-1")
    >>> first, rest = tranche_amounts(Money.parse("9,999.99"), (Fraction(1, 2), Fraction(1, 2)))
    >>> ledger = Ledger().post(fund_area(area, Money.of_yuan(50_000), id="c1", at=at))
    >>> ledger = ledger.post(grant_tranche(project, area, first, id="c2", at=at))
    >>> str(first), str(rest), str(ledger.balance(area)), str(ledger.total())
    ('¥5,000.00', '¥4,999.99', '¥45,000.00', '¥0.00')
"""

from __future__ import annotations

from microgov.funds._postings import allocation_postings
from microgov.funds.allocation import (
    RULES,
    VOTE_TYPES,
    Allocation,
    AllocationInstance,
    AreaShare,
    CategoryShare,
    EjrCheck,
    Explanation,
    Fairness,
    Heading,
    Outcome,
    Override,
    OverrideAction,
    PbElection,
    PbProject,
    PbVoter,
    Proposal,
    Tie,
    TieBreak,
    allocate_election,
    allocate_headings,
    default_rank_by,
    dump_pabulib,
    ejr_up_to_one,
    equal_shares,
    fairness,
    fairness_table,
    greedy,
    load_pabulib,
    lot_order,
    own_area_first,
    read_pabulib,
    run_rule,
    write_pabulib,
)
from microgov.funds.ledger import (
    EXTERNAL,
    TOWN_POOL,
    Account,
    AccountKind,
    Ledger,
    Money,
    Posting,
    TrancheSchedule,
    close_period,
    fund_area,
    fund_heading,
    grant_tranche,
    postings_for_event,
    reallocate,
    refund,
    spend,
    tranche_amounts,
)
from microgov.funds.ledger import (
    allocate as allocate,  # deprecated: fund_area
)

__all__ = [
    "EXTERNAL",
    "RULES",
    "TOWN_POOL",
    "VOTE_TYPES",
    "Account",
    "AccountKind",
    "Allocation",
    "AllocationInstance",
    "AreaShare",
    "CategoryShare",
    "EjrCheck",
    "Explanation",
    "Fairness",
    "Heading",
    "Ledger",
    "Money",
    "Outcome",
    "Override",
    "OverrideAction",
    "PbElection",
    "PbProject",
    "PbVoter",
    "Posting",
    "Proposal",
    "Tie",
    "TieBreak",
    "TrancheSchedule",
    "allocate_election",
    "allocate_headings",
    "allocation_postings",
    "close_period",
    "default_rank_by",
    "dump_pabulib",
    "ejr_up_to_one",
    "equal_shares",
    "fairness",
    "fairness_table",
    "fund_area",
    "fund_heading",
    "grant_tranche",
    "greedy",
    "load_pabulib",
    "lot_order",
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
