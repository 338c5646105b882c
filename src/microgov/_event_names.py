"""The lifecycle event names other cores key on, named once (ground floor: no imports).

:mod:`microgov.lifecycle` publishes them (``PROJECT_FUNDED`` …) with its tables; the
funds' tranche schedule keys its stages on them.  They live here, below both, so that
``import microgov.funds`` need not load the lifecycle tables (and the graph under them).
"""

from __future__ import annotations

from typing import Final

__all__ = ["PROJECT_CANCELLED", "PROJECT_EVALUATED", "PROJECT_FUNDED"]

PROJECT_FUNDED: Final = "project.funded"
"""The event of :data:`~microgov.lifecycle.PROJECT`'s ``fund`` command: the grant's first
tranche is due."""
PROJECT_EVALUATED: Final = "project.evaluated"
"""The event of a passed evaluation (``evaluate`` needs ``evaluation.passed``): the rest."""
PROJECT_CANCELLED: Final = "project.cancelled"
"""The event of ``cancel``: what the project holds is refunded."""
