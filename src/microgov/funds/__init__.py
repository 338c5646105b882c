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

from microgov._public import lazy_exports as _lazy_exports

# type checkers (mypy, pyright) read a module constant named TYPE_CHECKING as true
TYPE_CHECKING = False
if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and IDEs
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

_SOURCES = {
    "allocation": "microgov.funds.allocation",
    "ledger": "microgov.funds.ledger",
    "allocation_postings": "microgov.funds._postings",
    "RULES": "microgov.funds.allocation",
    "VOTE_TYPES": "microgov.funds.allocation",
    "Allocation": "microgov.funds.allocation",
    "AllocationInstance": "microgov.funds.allocation",
    "AreaShare": "microgov.funds.allocation",
    "CategoryShare": "microgov.funds.allocation",
    "EjrCheck": "microgov.funds.allocation",
    "Explanation": "microgov.funds.allocation",
    "Fairness": "microgov.funds.allocation",
    "Heading": "microgov.funds.allocation",
    "Outcome": "microgov.funds.allocation",
    "Override": "microgov.funds.allocation",
    "OverrideAction": "microgov.funds.allocation",
    "PbElection": "microgov.funds.allocation",
    "PbProject": "microgov.funds.allocation",
    "PbVoter": "microgov.funds.allocation",
    "Proposal": "microgov.funds.allocation",
    "Tie": "microgov.funds.allocation",
    "TieBreak": "microgov.funds.allocation",
    "allocate_election": "microgov.funds.allocation",
    "allocate_headings": "microgov.funds.allocation",
    "default_rank_by": "microgov.funds.allocation",
    "dump_pabulib": "microgov.funds.allocation",
    "ejr_up_to_one": "microgov.funds.allocation",
    "equal_shares": "microgov.funds.allocation",
    "fairness": "microgov.funds.allocation",
    "fairness_table": "microgov.funds.allocation",
    "greedy": "microgov.funds.allocation",
    "load_pabulib": "microgov.funds.allocation",
    "lot_order": "microgov.funds.allocation",
    "own_area_first": "microgov.funds.allocation",
    "read_pabulib": "microgov.funds.allocation",
    "run_rule": "microgov.funds.allocation",
    "write_pabulib": "microgov.funds.allocation",
    "EXTERNAL": "microgov.funds.ledger",
    "TOWN_POOL": "microgov.funds.ledger",
    "Account": "microgov.funds.ledger",
    "AccountKind": "microgov.funds.ledger",
    "Ledger": "microgov.funds.ledger",
    "Money": "microgov.funds.ledger",
    "Posting": "microgov.funds.ledger",
    "TrancheSchedule": "microgov.funds.ledger",
    "close_period": "microgov.funds.ledger",
    "fund_area": "microgov.funds.ledger",
    "fund_heading": "microgov.funds.ledger",
    "grant_tranche": "microgov.funds.ledger",
    "postings_for_event": "microgov.funds.ledger",
    "reallocate": "microgov.funds.ledger",
    "refund": "microgov.funds.ledger",
    "spend": "microgov.funds.ledger",
    "tranche_amounts": "microgov.funds.ledger",
    "allocate": "microgov.funds.ledger",
}

_lazy = _lazy_exports(__name__, globals(), _SOURCES)


def __getattr__(name: str) -> object:
    """Import an exported name from its private module on first use (PEP 562).

    ``import microgov.funds`` loads neither half; a name loads the half it comes from.
    """
    return _lazy(name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
