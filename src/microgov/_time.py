"""Time zone shared by every core: Shanghai local time (no daylight saving)."""

from __future__ import annotations

from typing import Final
from zoneinfo import ZoneInfo

__all__ = ["SHANGHAI"]

SHANGHAI: Final = ZoneInfo("Asia/Shanghai")
"""Asia/Shanghai, the default zone of every date microgov derives from a time."""
