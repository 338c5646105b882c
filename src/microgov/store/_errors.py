"""The errors of :mod:`microgov.store`, defined in :mod:`microgov.errors` (kept importable here)."""

from __future__ import annotations

from microgov.errors import ConcurrencyError, StoreError

__all__ = ["ConcurrencyError", "StoreError"]
