"""microgov — community micro-governance (社区微治理) as a typed, exact, pure-Python library.

The subpackages hold the cores — :mod:`microgov.hierarchy` (the governance graph),
:mod:`microgov.policy` (verdicts, quorum presets, policy sets), :mod:`microgov.calendar`
(working days), :mod:`microgov.voting` (hand-raising and scoring),
:mod:`microgov.lifecycle` (project and topic state machines), :mod:`microgov.audit`
(the hash-chained log), :mod:`microgov.funds` (money in fen, the ledger, allocation
rules, pabulib files), :mod:`microgov.topics` (议题 and Open311), :mod:`microgov.sla`
(response times under "three patrols a day"),
:mod:`microgov.duties` (grid leaders' recurring duties), :mod:`microgov.metrics` (the
community's indicators) and :mod:`microgov.personal` (identity and mobile numbers kept
as keyed digests) — with :mod:`microgov.store` (event stores: memory, SQLite,
PostgreSQL), :mod:`microgov.io` (files), :mod:`microgov.datasets` (the embedded
美兰西湖 community) and :mod:`microgov.simulation` (the demo season) at the edges.
The most used names are re-exported here.

Example:
    >>> import microgov
    >>> h = microgov.datasets.meilan_xihu()
    >>> h.is_within("grid-01-1", "luodian")
    True
    >>> isinstance(microgov.NodeNotFound.for_id("x"), microgov.MicrogovError)
    True
"""

from microgov import (
    audit,
    calendar,
    datasets,
    duties,
    errors,
    funds,
    hierarchy,
    io,
    lifecycle,
    metrics,
    personal,
    policy,
    sla,
    store,
    topics,
    voting,
)
from microgov._version import __version__
from microgov.errors import (
    ChangeRefused,
    DataFormatError,
    HierarchyError,
    HierarchyValidationError,
    InvalidCodeError,
    MicrogovError,
    NodeNotFound,
    Problem,
)
from microgov.hierarchy import Hierarchy, Level, Node

__all__ = [
    "ChangeRefused",
    "DataFormatError",
    "Hierarchy",
    "HierarchyError",
    "HierarchyValidationError",
    "InvalidCodeError",
    "Level",
    "MicrogovError",
    "Node",
    "NodeNotFound",
    "Problem",
    "__version__",
    "audit",
    "calendar",
    "datasets",
    "duties",
    "errors",
    "funds",
    "hierarchy",
    "io",
    "lifecycle",
    "metrics",
    "personal",
    "policy",
    "sla",
    "store",
    "topics",
    "voting",
]
