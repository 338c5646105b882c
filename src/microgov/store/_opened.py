"""Stores that hold a connection: where each was opened, and a clear warning if never closed.

A store left open is closed when it is garbage-collected, with a :class:`ResourceWarning`
naming the file and line that opened it (found by walking out of this package's frames:
a few frame hops, no traceback kept), instead of the database driver's anonymous one.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Final

__all__ = ["opened_at", "warn_unclosed"]

_HERE: Final = os.path.dirname(os.path.abspath(__file__)) + os.sep


def opened_at() -> str:
    """``file:line`` of the first caller outside :mod:`microgov.store`."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_HERE):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def warn_unclosed(store: object, what: str, where: str) -> None:
    """Warn that ``store`` (already closed by the caller) was garbage-collected open."""
    warnings.warn(
        f"{what} opened at {where} was never closed; microgov closed it when it was "
        "garbage-collected. Use the store in a `with` block or call close().",
        ResourceWarning,
        source=store,
        stacklevel=2,
    )
