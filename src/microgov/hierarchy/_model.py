"""Immutable values of the governance graph: nodes and the links beside the tree."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from microgov.hierarchy._levels import Level

__all__ = [
    "CodeScheme",
    "Link",
    "Node",
    "NodeStatus",
    "Pairing",
    "Resource",
    "ResourceKind",
    "Role",
    "RoleAssignment",
]

_MAX_ID = 128


def _check_id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
    if not value or value != value.strip() or len(value) > _MAX_ID or not value.isprintable():
        raise ValueError(
            f"{attribute.name} must be 1–{_MAX_ID} printable characters without surrounding "
            f"spaces, got {value!r}"
        )


def _check_optional_id(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        _check_id(_, attribute, value)  # type: ignore[arg-type]


def _check_text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


def _check_optional_text(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        _check_text(_, attribute, value)  # type: ignore[arg-type]


def _check_count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be an integer, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{attribute.name} must be zero or more, got {value}")


def _check_date(_: object, attribute: attrs.Attribute[date], value: object) -> None:
    # datetime is a date subclass; a time of day has no place in an effective date.
    if type(value) is not date:
        raise TypeError(f"{attribute.name} must be a datetime.date, not {type(value).__name__}")


def _check_optional_date(_: object, attribute: attrs.Attribute[date | None], value: object) -> None:
    if value is not None:
        _check_date(_, attribute, value)  # type: ignore[arg-type]


def _check_bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be True or False, not {type(value).__name__}")


class _Labelled(enum.Enum):
    """An enum whose members carry a Chinese and an English label."""

    @property
    def label_zh(self) -> str:
        """The Chinese label."""
        return _ENUM_LABELS[type(self).__name__][self.name][0]

    @property
    def label_en(self) -> str:
        """The English label."""
        return _ENUM_LABELS[type(self).__name__][self.name][1]


class NodeStatus(_Labelled):
    """The status of a node; a residential area goes from preparatory to constituted (去筹).

    Example:
        >>> NodeStatus.PREPARATORY.label_zh, NodeStatus.CONSTITUTED.label_zh
        ('筹建', '正式')
        >>> NodeStatus("constituted") is NodeStatus.CONSTITUTED
        True
    """

    ACTIVE = "active"
    PREPARATORY = "preparatory"
    CONSTITUTED = "constituted"


class ResourceKind(_Labelled):
    """The kinds of grid resource (网格资源) that serve a micro-grid.

    Example:
        >>> ResourceKind.SCHOOL.label_zh
        '学校'
    """

    SHOP = "shop"
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    PUBLIC_SERVICE = "public_service"
    AGENCY = "agency"
    SOCIAL_ORGANISATION = "social_organisation"


class Role(_Labelled):
    """A role a person holds at a node, with the levels where it may be held.

    Roles whose :attr:`authority` is true let their holder act on the node and
    everything inside it (see :meth:`Hierarchy.may_act`); the others (party member
    registered to a grid, talent, volunteer) record participation.

    Example:
        >>> Role.GRID_LEADER.label_zh
        '微网格长'
        >>> Role.GRID_LEADER.allowed_levels
        frozenset({<Level.MICRO_GRID: 7>})
        >>> Role.TALENT.authority
        False
    """

    GRID_LEADER = "grid_leader"
    LIAISON = "liaison"
    BUILDING_LEADER = "building_leader"
    SECOND_BUILDING_LEADER = "second_building_leader"
    SOCIAL_WORKER = "social_worker"
    COMMITTEE_MEMBER = "committee_member"
    PARTY_SECRETARY = "party_secretary"
    PARTY_MEMBER = "party_member"
    TALENT = "talent"
    VOLUNTEER = "volunteer"

    @property
    def allowed_levels(self) -> frozenset[Level]:
        """The levels of node at which this role may be held."""
        return _ROLE_LEVELS[self]

    @property
    def authority(self) -> bool:
        """Whether the role lets its holder act on the node and what lies inside it."""
        return self not in _PARTICIPATION_ROLES


_ENUM_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "NodeStatus": {
        "ACTIVE": ("在用", "active"),
        "PREPARATORY": ("筹建", "preparatory"),
        "CONSTITUTED": ("正式", "constituted"),
    },
    "ResourceKind": {
        "SHOP": ("商铺", "shop"),
        "SCHOOL": ("学校", "school"),
        "ENTERPRISE": ("企业", "enterprise"),
        "PUBLIC_SERVICE": ("公共服务场所", "public-service venue"),
        "AGENCY": ("机关单位", "agency"),
        "SOCIAL_ORGANISATION": ("社会组织", "social organisation"),
    },
    "Role": {
        "GRID_LEADER": ("微网格长", "grid leader"),
        "LIAISON": ("联络员", "liaison"),
        "BUILDING_LEADER": ("楼组长", "building leader"),
        "SECOND_BUILDING_LEADER": ("第二楼组长", "second building leader"),
        "SOCIAL_WORKER": ("社工", "social worker"),
        "COMMITTEE_MEMBER": ("居委委员", "committee member"),
        "PARTY_SECRETARY": ("党组织书记", "party-branch secretary"),
        "PARTY_MEMBER": ("报到党员", "party member registered to a grid"),
        "TALENT": ("达人", "talent"),
        "VOLUNTEER": ("志愿者", "volunteer"),
    },
}

_ROLE_LEVELS: dict[Role, frozenset[Level]] = {
    Role.GRID_LEADER: frozenset({Level.MICRO_GRID}),
    Role.LIAISON: frozenset({Level.MICRO_GRID}),
    Role.BUILDING_LEADER: frozenset({Level.BUILDING_GROUP}),
    Role.SECOND_BUILDING_LEADER: frozenset({Level.BUILDING_GROUP}),
    Role.SOCIAL_WORKER: frozenset({Level.RESIDENTIAL_AREA, Level.MICRO_GRID}),
    Role.COMMITTEE_MEMBER: frozenset({Level.RESIDENTIAL_AREA}),
    Role.PARTY_SECRETARY: frozenset({Level.TOWN, Level.LARGE_COMMUNITY, Level.RESIDENTIAL_AREA}),
    Role.PARTY_MEMBER: frozenset({Level.MICRO_GRID}),
    Role.TALENT: frozenset({Level.RESIDENTIAL_AREA, Level.MICRO_GRID}),
    Role.VOLUNTEER: frozenset({Level.RESIDENTIAL_AREA, Level.MICRO_GRID, Level.BUILDING_GROUP}),
}
_PARTICIPATION_ROLES = frozenset({Role.PARTY_MEMBER, Role.TALENT, Role.VOLUNTEER})


@attrs.frozen(kw_only=True)
class Node:
    """A node of the governance tree: a town, a residential area, a micro-grid, …

    Nodes are immutable; a change to the graph replaces a node with an evolved copy.
    Whether the code is well-formed for the level, and whether the parent exists and
    sits at an allowed level, is checked by :func:`validate` (which reports every
    problem at once), not here.

    Attributes:
        id: A stable identifier, kept when the official code changes.
        level: The node's :class:`Level`.
        name: The official or usual name, e.g. ``'美罗家园佳翔苑居委会'``.
        parent: The id of the containing node, or None for a root.
        code: The official code, if any (12 digits for a residential area, …).
        class_code: The NBS urban–rural class code (城乡分类代码), if known.
        status: The node's :class:`NodeStatus`.
        status_since: The date the status took effect, if known.
        households: Number of households (户), 0 if unknown.
        residents: Number of residents (人), 0 if unknown.
        synthetic: True for data made up for demonstrations, never real.

    Example:
        >>> area = Node(id="ra-043", level=Level.RESIDENTIAL_AREA, name="美罗家园铂翠苑居委会",
        ...             parent="mlxh", code="310113101043")
        >>> area.level.label_zh
        '居民区'
        >>> Node(id="", level=Level.TOWN, name="罗店镇")
        Traceback (most recent call last):
        ...
        ValueError: id must be 1–128 printable characters without surrounding spaces, got ''
    """

    id: str
    level: Level
    name: str
    parent: str | None = None
    code: str | None = None
    class_code: str | None = None
    status: NodeStatus = NodeStatus.ACTIVE
    status_since: date | None = None
    households: int = 0
    residents: int = 0
    synthetic: bool = False

    def __attrs_post_init__(self) -> None:
        # One check for the whole node rather than a validator per field: a national
        # graph builds a million nodes.  The fast path tests the common, valid case
        # inline; anything unusual goes through the field checks for a precise message.
        i, n, p = self.id, self.name, self.parent
        if not (
            type(i) is str
            and 0 < len(i) <= _MAX_ID
            and i.isprintable()
            and i == i.strip()
            and type(n) is str
            and n.strip()
            and (
                p is None
                or (type(p) is str and 0 < len(p) <= _MAX_ID and p.isprintable() and p == p.strip())
            )
            and type(self.level) is Level
            and type(self.status) is NodeStatus
            and type(self.households) is int
            and self.households >= 0
            and type(self.residents) is int
            and self.residents >= 0
            and type(self.synthetic) is bool
            and (self.code is None or (type(self.code) is str and self.code.strip()))
            and (self.class_code is None or (type(self.class_code) is str and self.class_code))
            and (self.status_since is None or type(self.status_since) is date)
        ):
            self._explain_invalid()

    def _explain_invalid(self) -> None:
        fields = _NODE_FIELDS
        _check_id(self, fields.id, self.id)
        _check_text(self, fields.name, self.name)
        _check_optional_id(self, fields.parent, self.parent)
        if type(self.level) is not Level:
            raise TypeError(f"level must be a Level, not {type(self.level).__name__}")
        if type(self.status) is not NodeStatus:
            raise TypeError(f"status must be a NodeStatus, not {type(self.status).__name__}")
        _check_count(self, fields.households, self.households)
        _check_count(self, fields.residents, self.residents)
        _check_bool(self, fields.synthetic, self.synthetic)
        _check_optional_text(self, fields.code, self.code)
        _check_optional_text(self, fields.class_code, self.class_code)
        _check_optional_date(self, fields.status_since, self.status_since)
        raise AssertionError("unreachable: a node failed the fast check but passed every field")


_NODE_FIELDS = attrs.fields(Node)


@attrs.frozen(kw_only=True)
class Resource:
    """A grid resource (网格资源): a shop, school, enterprise, … serving a micro-grid.

    Attributes:
        id: A stable identifier.
        kind: The :class:`ResourceKind`.
        name: Its name.
        node: The id of the micro-grid it serves.
        credit_code: Its unified social credit code (统一社会信用代码, GB 32100), if known.
        synthetic: True for made-up data.

    Example:
        >>> r = Resource(id="res-1", kind=ResourceKind.SCHOOL, name="罗店中心校", node="g-1")
        >>> r.kind.label_en
        'school'
    """

    id: str = attrs.field(validator=_check_id)
    kind: ResourceKind = attrs.field(validator=attrs.validators.instance_of(ResourceKind))
    name: str = attrs.field(validator=_check_text)
    node: str = attrs.field(validator=_check_id)
    credit_code: str | None = attrs.field(default=None, validator=_check_optional_text)
    synthetic: bool = attrs.field(default=False, validator=_check_bool)


@attrs.frozen(kw_only=True)
class RoleAssignment:
    """A person holding a :class:`Role` at a node from ``start`` to ``end`` (both inclusive).

    ``person`` is a pseudonymous id chosen by the host system; microgov keeps no
    names or identity numbers in the graph.

    Attributes:
        id: A stable identifier of the assignment.
        person: The person's pseudonymous id.
        role: The :class:`Role`.
        node: The id of the node where the role is held.
        start: The first day in the role.
        end: The last day in the role, or None while it lasts.
        synthetic: True for made-up data.

    Example:
        >>> from datetime import date
        >>> a = RoleAssignment(id="ra-1", person="p-1", role=Role.GRID_LEADER, node="g-1",
        ...                    start=date(2024, 1, 1))
        >>> a.active_on(date(2025, 6, 1)), a.active_on(date(2023, 12, 31))
        (True, False)
    """

    id: str = attrs.field(validator=_check_id)
    person: str = attrs.field(validator=_check_id)
    role: Role = attrs.field(validator=attrs.validators.instance_of(Role))
    node: str = attrs.field(validator=_check_id)
    start: date = attrs.field(validator=_check_date)
    end: date | None = attrs.field(default=None, validator=_check_optional_date)
    synthetic: bool = attrs.field(default=False, validator=_check_bool)

    def active_on(self, day: date) -> bool:
        """Whether the person holds the role on ``day``.

        Args:
            day: The day asked about.

        Returns:
            True if ``start <= day`` and (no ``end`` or ``day <= end``).
        """
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen(kw_only=True)
class Pairing:
    """A pairing (结对): a person — usually a grid leader — paired with one household.

    The "four ones" (四个一) ask each grid leader to keep one paired household.

    Attributes:
        id: A stable identifier.
        person: The pseudonymous id of the person who keeps the pairing.
        household: The pseudonymous id of the paired household.
        node: The id of the building group where the household lives.
        start: The first day of the pairing.
        end: The last day, or None while it lasts.
        synthetic: True for made-up data.

    Example:
        >>> from datetime import date
        >>> Pairing(id="pr-1", person="p-1", household="h-1", node="bg-1",
        ...         start=date(2024, 3, 1)).active_on(date(2024, 3, 1))
        True
    """

    id: str = attrs.field(validator=_check_id)
    person: str = attrs.field(validator=_check_id)
    household: str = attrs.field(validator=_check_id)
    node: str = attrs.field(validator=_check_id)
    start: date = attrs.field(validator=_check_date)
    end: date | None = attrs.field(default=None, validator=_check_optional_date)
    synthetic: bool = attrs.field(default=False, validator=_check_bool)

    def active_on(self, day: date) -> bool:
        """Whether the pairing holds on ``day`` (``start`` and ``end`` inclusive)."""
        return self.start <= day and (self.end is None or day <= self.end)


Link = Resource | RoleAssignment | Pairing
"""Any of the typed links that sit beside the containment tree."""


@attrs.frozen(kw_only=True)
class CodeScheme:
    """How codes below the residential area are formed.

    No Shanghai (DB31) standard for micro-grid codes was found, so the width of a
    grid's sequence number after its committee's 12-digit code is a setting. The
    default, 3, gives the 15-digit unit-grid code of GB/T 30428.1.

    Attributes:
        grid_sequence_width: Digits after the committee code in a micro-grid code (1–6).
        building_sequence_width: If set, a building group's code is its grid's code
            plus this many digits; if None, building-group codes are free text.

    Example:
        >>> CodeScheme().grid_sequence_width
        3
        >>> CodeScheme(grid_sequence_width=9)
        Traceback (most recent call last):
        ...
        ValueError: 'grid_sequence_width' must be <= 6: 9
    """

    grid_sequence_width: int = attrs.field(
        default=3,
        validator=[
            attrs.validators.instance_of(int),
            attrs.validators.ge(1),
            attrs.validators.le(6),
        ],
    )
    building_sequence_width: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            [attrs.validators.instance_of(int), attrs.validators.ge(1), attrs.validators.le(6)]
        ),
    )
