"""The allocation half of funds: elections, the rules that choose projects, pabulib files.

An :class:`AllocationInstance` (a budget, :class:`Proposal` s and households'
approvals) is what every rule reads; a rule returns an :class:`Allocation` that
explains every project (:class:`Explanation`, :class:`Outcome`).  The rules, one
module each as in pabutools: :func:`greedy` (greedy, no-skip, threshold),
:func:`equal_shares` (the Method of Equal Shares with add1 or utilitarian
completion), :func:`own_area_first`; :func:`run_rule` and :func:`allocate_election`
run them by name.  pabulib files are read and written by :func:`read_pabulib`,
:func:`load_pabulib`, :func:`write_pabulib` and :func:`dump_pabulib`.

This half imports nothing of the ledger half (:mod:`microgov.funds.ledger`): a rule
decides, the ledger records.  Every name here is also exported by
:mod:`microgov.funds`.

Example:
    >>> from microgov.funds.allocation import AllocationInstance, Proposal, greedy
    >>> inst = AllocationInstance(budget=100,
    ...     projects=[Proposal(id="a", cost=60), Proposal(id="b", cost=50)],
    ...     ballots=[{"a"}, {"a", "b"}, {"a"}])
    >>> greedy(inst).selected
    ('a',)
"""

from __future__ import annotations

from microgov._public import publish as _publish
from microgov.funds.allocation._fairness import (
    AreaShare,
    CategoryShare,
    EjrCheck,
    Fairness,
    ejr_up_to_one,
    fairness,
    fairness_table,
)
from microgov.funds.allocation._headings import Heading, allocate_headings
from microgov.funds.allocation._instance import (
    Allocation,
    AllocationInstance,
    Explanation,
    Outcome,
    Proposal,
)
from microgov.funds.allocation._override import Override, OverrideAction
from microgov.funds.allocation._pabulib import (
    VOTE_TYPES,
    PbElection,
    PbProject,
    PbVoter,
    dump_pabulib,
    load_pabulib,
    read_pabulib,
    write_pabulib,
)
from microgov.funds.allocation._rules import (
    RULES,
    allocate_election,
    default_rank_by,
    equal_shares,
    greedy,
    own_area_first,
    run_rule,
)
from microgov.funds.allocation._ties import Tie, TieBreak, lot_order

__all__ = [
    "RULES",
    "VOTE_TYPES",
    "Allocation",
    "AllocationInstance",
    "AreaShare",
    "CategoryShare",
    "EjrCheck",
    "Explanation",
    "Fairness",
    "Heading",
    "Outcome",
    "Override",
    "OverrideAction",
    "PbElection",
    "PbProject",
    "PbVoter",
    "Proposal",
    "Tie",
    "TieBreak",
    "allocate_election",
    "allocate_headings",
    "default_rank_by",
    "dump_pabulib",
    "ejr_up_to_one",
    "equal_shares",
    "fairness",
    "fairness_table",
    "greedy",
    "load_pabulib",
    "lot_order",
    "own_area_first",
    "read_pabulib",
    "run_rule",
    "write_pabulib",
]

_publish(__name__, globals(), __all__)
