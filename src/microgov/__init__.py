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
The most used names are re-exported here.  Subpackages load on first use
(``microgov.funds`` imports the funds package the first time it is read), so that
``import microgov`` is quick; ``import microgov.funds`` loads only what funds needs.

Example:
    >>> import microgov
    >>> h = microgov.datasets.meilan_xihu()
    >>> h.is_within("grid-01-1", "luodian")
    True
    >>> isinstance(microgov.NodeNotFound.for_id("x"), microgov.MicrogovError)
    True
"""

import sys

from microgov._version import __version__

# ``typing`` alone costs more than the rest of ``import microgov``; type checkers
# (mypy, pyright) read a module constant named TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and IDEs
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
        meetings,
        metrics,
        personal,
        policy,
        sla,
        store,
        topics,
        voting,
    )
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
    "meetings",
    "metrics",
    "personal",
    "policy",
    "sla",
    "store",
    "topics",
    "voting",
]

_SUBPACKAGES = frozenset(
    {
        "audit",
        "calendar",
        "datasets",
        "duties",
        "errors",
        "funds",
        "hierarchy",
        "io",
        "lifecycle",
        "meetings",
        "metrics",
        "personal",
        "policy",
        "sla",
        "store",
        "topics",
        "voting",
    }
)
_NAMES = {
    "ChangeRefused": "microgov.errors",
    "DataFormatError": "microgov.errors",
    "HierarchyError": "microgov.errors",
    "HierarchyValidationError": "microgov.errors",
    "InvalidCodeError": "microgov.errors",
    "MicrogovError": "microgov.errors",
    "NodeNotFound": "microgov.errors",
    "Problem": "microgov.errors",
    "Hierarchy": "microgov.hierarchy",
    "Level": "microgov.hierarchy",
    "Node": "microgov.hierarchy",
}


def _load(module: str) -> object:
    __import__(module)
    return sys.modules[module]


def __getattr__(name: str) -> object:
    """Import a subpackage or a re-exported name on first use (PEP 562).

    ``import microgov`` stays cheap: networkx, cattrs and the calendar data load only
    when the part that needs them is first used.  Once loaded, the value is cached in
    the module, so later lookups cost nothing.
    """
    if name in _SUBPACKAGES:
        value: object = _load(f"microgov.{name}")
    elif name in _NAMES:
        value = getattr(_load(_NAMES[name]), name)
    else:
        raise AttributeError(f"module 'microgov' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
