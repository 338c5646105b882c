"""The allocation rules, one module per rule (as pabutools lays out ``pabutools/rules``).

* :mod:`.greedy` — greedy by support (greedy, greedy-no-skip, greedy-threshold);
* :mod:`.mes` — the Method of Equal Shares with its completions;
* :mod:`.own_area_first` — each area's own fund first, then the town pool;
* :mod:`.registry` — the rules by name, and running the rule a pabulib file names.

What the rules share (an instance compiled to integers) is in :mod:`._compiled`.
"""

from __future__ import annotations

from microgov.funds.allocation._rules.greedy import greedy
from microgov.funds.allocation._rules.mes import equal_shares
from microgov.funds.allocation._rules.own_area_first import own_area_first
from microgov.funds.allocation._rules.registry import (
    RULES,
    allocate_election,
    default_rank_by,
    run_rule,
)

__all__ = [
    "RULES",
    "allocate_election",
    "default_rank_by",
    "equal_shares",
    "greedy",
    "own_area_first",
    "run_rule",
]
