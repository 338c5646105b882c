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

from microgov._public import lazy_exports as _lazy_exports

# type checkers (mypy, pyright) read a module constant named TYPE_CHECKING as true
TYPE_CHECKING = False
if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and IDEs
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

_SOURCES = {
    "AreaShare": "microgov.funds.allocation._fairness",
    "CategoryShare": "microgov.funds.allocation._fairness",
    "EjrCheck": "microgov.funds.allocation._fairness",
    "Fairness": "microgov.funds.allocation._fairness",
    "ejr_up_to_one": "microgov.funds.allocation._fairness",
    "fairness": "microgov.funds.allocation._fairness",
    "fairness_table": "microgov.funds.allocation._fairness",
    "Heading": "microgov.funds.allocation._headings",
    "allocate_headings": "microgov.funds.allocation._headings",
    "Allocation": "microgov.funds.allocation._instance",
    "AllocationInstance": "microgov.funds.allocation._instance",
    "Explanation": "microgov.funds.allocation._instance",
    "Outcome": "microgov.funds.allocation._instance",
    "Proposal": "microgov.funds.allocation._instance",
    "Override": "microgov.funds.allocation._override",
    "OverrideAction": "microgov.funds.allocation._override",
    "VOTE_TYPES": "microgov.funds.allocation._pabulib",
    "PbElection": "microgov.funds.allocation._pabulib",
    "PbProject": "microgov.funds.allocation._pabulib",
    "PbVoter": "microgov.funds.allocation._pabulib",
    "dump_pabulib": "microgov.funds.allocation._pabulib",
    "load_pabulib": "microgov.funds.allocation._pabulib",
    "read_pabulib": "microgov.funds.allocation._pabulib",
    "write_pabulib": "microgov.funds.allocation._pabulib",
    "RULES": "microgov.funds.allocation._rules",
    "allocate_election": "microgov.funds.allocation._rules",
    "default_rank_by": "microgov.funds.allocation._rules",
    "equal_shares": "microgov.funds.allocation._rules",
    "greedy": "microgov.funds.allocation._rules",
    "own_area_first": "microgov.funds.allocation._rules",
    "run_rule": "microgov.funds.allocation._rules",
    "Tie": "microgov.funds.allocation._ties",
    "TieBreak": "microgov.funds.allocation._ties",
    "lot_order": "microgov.funds.allocation._ties",
}

_lazy = _lazy_exports(__name__, globals(), _SOURCES)


def __getattr__(name: str) -> object:
    """Import an exported name from its private module on first use (PEP 562).

    ``import microgov.funds.allocation`` loads none of the rules or readers; the
    first name read from a private module loads that module alone.
    """
    return _lazy(name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
