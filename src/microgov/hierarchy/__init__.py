"""The governance graph (治理层级图): levels, nodes, links, codes, changes and queries.

The containment tree runs town (镇/街道) → large community (大居) → residential area
(居民区) → micro-grid (微网格) → building group (楼组), optionally below a district,
city, province or nation.  Beside it sit typed links: resources serving grids,
people holding roles, pairings with households.  See :class:`Hierarchy`.

Example:
    >>> from microgov.datasets import meilan_xihu
    >>> h = meilan_xihu()
    >>> h.is_within("grid-01-1", "luodian")
    True
"""

from microgov._numbers import (
    credit_check_char,
    identity_check_char,
    is_credit_code,
    is_identity_number,
    mask_identity_number,
    parse_credit_code,
    parse_identity_number,
)
from microgov._public import publish as _publish
from microgov.hierarchy._changes import (
    AddLink,
    AddNode,
    Change,
    ChangeCode,
    ChangeStatus,
    EndLink,
    MergeNodes,
    MoveNode,
    RemoveLink,
    RemoveNode,
    Rename,
    SetCounts,
    SplitNode,
)
from microgov.hierarchy._codes import (
    URBAN_RURAL_CLASSES,
    CommitteeKind,
    TownKind,
    committee_kind,
    division_prefix,
    grid_code,
    is_division_code,
    is_grid_code,
    is_stat_code,
    is_town_code,
    parse_class_code,
    parse_division_code,
    parse_grid_code,
    parse_stat_code,
    parse_town_code,
    town_kind,
)
from microgov.hierarchy._graph import Hierarchy, HierarchyDiff
from microgov.hierarchy._levels import Level
from microgov.hierarchy._model import (
    CodeScheme,
    Link,
    Node,
    NodeStatus,
    Pairing,
    Resource,
    ResourceKind,
    Role,
    RoleAssignment,
)
from microgov.hierarchy._validate import validate

__all__ = [
    "URBAN_RURAL_CLASSES",
    "AddLink",
    "AddNode",
    "Change",
    "ChangeCode",
    "ChangeStatus",
    "CodeScheme",
    "CommitteeKind",
    "EndLink",
    "Hierarchy",
    "HierarchyDiff",
    "Level",
    "Link",
    "MergeNodes",
    "MoveNode",
    "Node",
    "NodeStatus",
    "Pairing",
    "RemoveLink",
    "RemoveNode",
    "Rename",
    "Resource",
    "ResourceKind",
    "Role",
    "RoleAssignment",
    "SetCounts",
    "SplitNode",
    "TownKind",
    "committee_kind",
    "credit_check_char",
    "division_prefix",
    "grid_code",
    "identity_check_char",
    "is_credit_code",
    "is_division_code",
    "is_grid_code",
    "is_identity_number",
    "is_stat_code",
    "is_town_code",
    "mask_identity_number",
    "parse_class_code",
    "parse_credit_code",
    "parse_division_code",
    "parse_grid_code",
    "parse_identity_number",
    "parse_stat_code",
    "parse_town_code",
    "town_kind",
    "validate",
]

_publish(__name__, globals(), __all__)
