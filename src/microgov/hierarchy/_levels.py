"""The levels of the governance hierarchy, in order, with their Chinese and English names."""

from __future__ import annotations

import enum

__all__ = ["Level"]

_LABELS: dict[str, tuple[str, str]] = {
    "NATION": ("国家", "nation"),
    "PROVINCE": ("省级", "province"),
    "CITY": ("地级市", "city"),
    "DISTRICT": ("区县", "district"),
    "TOWN": ("镇/街道", "town"),
    "LARGE_COMMUNITY": ("大居", "large community"),
    "RESIDENTIAL_AREA": ("居民区", "residential area"),
    "MICRO_GRID": ("微网格", "micro-grid"),
    "BUILDING_GROUP": ("楼组", "building group"),
}

# Levels that a branch of the tree may skip: everything above the town (a graph may
# start at a town, a district or a city) and the large community (大居), which only
# some towns have.  The town, residential area, micro-grid and building group are
# never skipped below the root.
_OPTIONAL = frozenset({"NATION", "PROVINCE", "CITY", "DISTRICT", "LARGE_COMMUNITY"})


class Level(enum.IntEnum):
    """A level of the governance hierarchy; a smaller value is higher up the tree.

    The containment tree is town (镇/街道) → large community (大居) → residential
    area (居民区) → micro-grid (微网格) → building group (楼组), with optional levels
    above the town so that a city- or nation-wide deployment fits in one graph.

    Example:
        >>> Level.TOWN < Level.MICRO_GRID
        True
        >>> Level.MICRO_GRID.label_zh, Level.MICRO_GRID.label_en
        ('微网格', 'micro-grid')
        >>> Level.MICRO_GRID.may_be_child_of(Level.RESIDENTIAL_AREA)
        True
        >>> Level.BUILDING_GROUP.may_be_child_of(Level.RESIDENTIAL_AREA)
        False
        >>> Level.from_name("residential_area") is Level.RESIDENTIAL_AREA
        True
    """

    NATION = 0
    PROVINCE = 1
    CITY = 2
    DISTRICT = 3
    TOWN = 4
    LARGE_COMMUNITY = 5
    RESIDENTIAL_AREA = 6
    MICRO_GRID = 7
    BUILDING_GROUP = 8

    @property
    def label_zh(self) -> str:
        """The Chinese name of the level, e.g. ``'居民区'``."""
        return _LABELS[self.name][0]

    @property
    def label_en(self) -> str:
        """The English name of the level, e.g. ``'residential area'``."""
        return _LABELS[self.name][1]

    @property
    def optional(self) -> bool:
        """Whether a branch may skip this level (levels above the town, and 大居)."""
        return self.name in _OPTIONAL

    @property
    def key(self) -> str:
        """The level's name in files, lower case: ``'micro_grid'``."""
        return self.name.lower()

    def may_be_child_of(self, parent: Level) -> bool:
        """Whether a node of this level may sit directly under a node of ``parent`` level.

        The parent must be higher up, and every level in between must be optional.

        Args:
            parent: The level of the would-be parent.

        Returns:
            True if the containment is allowed.

        Example:
            >>> Level.RESIDENTIAL_AREA.may_be_child_of(Level.TOWN)   # no 大居 in between
            True
            >>> Level.RESIDENTIAL_AREA.may_be_child_of(Level.DISTRICT)  # skips the town
            False
        """
        return parent < self and all(Level(v).optional for v in range(parent + 1, self))

    @classmethod
    def from_name(cls, name: str) -> Level:
        """Look a level up by its file name (``'micro_grid'``), case-insensitively.

        Args:
            name: The level's key, e.g. ``'town'`` or ``'MICRO_GRID'``.

        Returns:
            The level.

        Raises:
            ValueError: If no level has that name.

        Example:
            >>> Level.from_name("TOWN")
            <Level.TOWN: 4>
        """
        try:
            return cls[name.strip().upper()]
        except KeyError:
            known = ", ".join(level.key for level in cls)
            raise ValueError(f"unknown level {name!r}; expected one of: {known}") from None
