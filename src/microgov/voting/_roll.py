"""Residents and the electoral roll (选民名册), and who is entitled under each meeting mode."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType

import attrs

from microgov.errors import DataFormatError, Problem
from microgov.hierarchy import Hierarchy
from microgov.policy import MeetingMode
from microgov.voting._common import check_bool, check_id

__all__ = ["Resident", "Roll"]

_BAD_RESIDENT = "voting.invalid_resident"


def _id(field: str) -> Callable[[object, attrs.Attribute[str], object], None]:
    def check(_: object, attribute: attrs.Attribute[str], value: object) -> None:
        check_id(value, field=field, code=_BAD_RESIDENT)

    return check


def _optional_id(field: str) -> Callable[[object, attrs.Attribute[str | None], object], None]:
    def check(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
        if value is not None:
            check_id(value, field=field, code=_BAD_RESIDENT)

    return check


def _flag(field: str) -> Callable[[object, attrs.Attribute[bool], object], None]:
    def check(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
        check_bool(value, field=field, code=_BAD_RESIDENT)

    return check


@attrs.frozen(kw_only=True)
class Resident:
    """A resident on the roll: pseudonymous, with only what a vote needs (no personal data).

    Attributes:
        id: A pseudonymous, stable id (never a name, an identity or a phone number).
        household: The pseudonymous id of the household (户) the resident belongs to.
        home: The id of the building group (楼组) node where the household lives.
        adult: Whether the resident is 18 or older (the residents' meeting consists of
            residents aged 18+, 城市居民委员会组织法 2018 Art. 9).
        verified: Whether the resident passed real-name verification (实名认证).
        household_representative: Whether the household designated this resident as
            its representative (户代表); at most one per household.
        group_representative: Whether the resident is an elected representative of a
            residents' group (居民小组代表).
        group: The residents' group (居民小组, 城市居民委员会组织法 第十四条) the resident
            belongs to; None means the group is the home building group (楼组), as most
            Shanghai residents' committees draw their groups.  See :meth:`Roll.group_of`.

    Raises:
        DataFormatError: ``voting.invalid_resident`` for a malformed field.

    Example:
        >>> r = Resident(id="r1", household="h1", home="b111", adult=True, verified=True)
        >>> r.household_representative, r.group_representative
        (False, False)
        >>> Resident(id="", household="h1", home="b111", adult=True, verified=True)
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: id must be 1–128 printable characters ...
    """

    id: str = attrs.field(validator=_id("id"))
    household: str = attrs.field(validator=_id("household"))
    home: str = attrs.field(validator=_id("home"))
    adult: bool = attrs.field(validator=_flag("adult"))
    verified: bool = attrs.field(validator=_flag("verified"))
    household_representative: bool = attrs.field(
        default=False,
        validator=_flag("household_representative"),
    )
    group_representative: bool = attrs.field(
        default=False,
        validator=_flag("group_representative"),
    )
    group: str | None = attrs.field(default=None, validator=_optional_id("group"))


def _residents(value: Iterable[Resident]) -> tuple[Resident, ...]:
    try:
        items = tuple(value)
    except TypeError:
        raise DataFormatError(
            f"A roll needs an iterable of residents, got {type(value).__name__}.",
            f"选民名册须为居民的集合，实际为 {type(value).__name__}。",
            code="voting.invalid_roll",
        ) from None
    return items


@attrs.frozen(kw_only=True)
class Roll:
    """The electoral roll (选民名册): residents by id, validated as a whole.

    The roll is checked when it is built, and every problem is reported at once:
    ids are unique, a household has at most one designated representative, and all
    the members of a household live in the same building group.

    Who is *entitled* depends on the meeting mode (城市居民委员会组织法 Art. 9):

    * ``ALL_ADULTS``: each verified adult whose home is inside the scope; the
      denominator is the number of such residents.
    * ``HOUSEHOLDS``: one hand per household.  A household that designated a
      representative (``household_representative``) raises its hand through that
      person only; a household that did not may raise it through any of its verified
      adults.  The denominator is the number of households in the scope that can
      raise a hand (that have at least one such eligible member).
    * ``GROUP_REPRESENTATIVES``: each verified adult flagged as a group
      representative whose home is inside the scope.

    Real-name verification (实名认证) is a platform rule, not the law's: residents
    who have not verified are neither counted as entitled nor allowed to raise a hand.

    ``roll[id]`` gives a resident (raising :class:`~microgov.errors.DataFormatError`
    ``voting.unknown_voter`` for an id not on the roll), :meth:`get` gives None instead.

    Args:
        residents: The residents, in any order (kept sorted by id).

    Raises:
        DataFormatError: ``voting.invalid_roll``, with one :class:`~microgov.errors.Problem`
            per problem found.

    Example:
        >>> roll = Roll(residents=[
        ...     Resident(id="r2", household="h1", home="b1", adult=True, verified=True),
        ...     Resident(id="r1", household="h1", home="b1", adult=True, verified=True,
        ...              household_representative=True),
        ... ])
        >>> [r.id for r in roll], roll["r1"].household, "r9" in roll
        (['r1', 'r2'], 'h1', False)
        >>> roll["r9"]
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: 'r9' is not on the roll. ...
        >>> Roll(residents=[roll["r1"], roll["r1"]])
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: The roll has 1 problem(s): ...
    """

    residents: tuple[Resident, ...] = attrs.field(converter=_residents)
    _by_id: Mapping[str, Resident] = attrs.field(init=False, eq=False, repr=False)
    _by_household: Mapping[str, tuple[Resident, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )
    # Per meeting mode, filled on first use by _by_home (the roll is frozen, so the
    # index never goes stale; two threads racing fill it with the same value).
    _entitled_by_home: dict[MeetingMode, tuple[tuple[str, tuple[str, ...]], ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        by_id: dict[str, Resident] = {}
        by_household: dict[str, list[Resident]] = {}
        items: tuple[object, ...] = self.residents
        for position, resident in enumerate(items):
            if not isinstance(resident, Resident):
                problems.append(
                    Problem(
                        code="voting.not_a_resident",
                        message_en=f"Item {position} is not a Resident: {resident!r}.",
                        message_zh=f"第 {position} 项不是居民（Resident）：{resident!r}。",
                        location=f"item {position}",
                    )
                )
                continue
            if resident.id in by_id:
                problems.append(
                    Problem(
                        code="voting.duplicate_resident",
                        message_en=f"Resident id {resident.id!r} appears more than once.",
                        message_zh=f"居民编号 {resident.id!r} 重复。",
                        subject=resident.id,
                        field="id",
                    )
                )
                continue
            by_id[resident.id] = resident
            by_household.setdefault(resident.household, []).append(resident)
        for household, members in sorted(by_household.items()):
            reps = sorted(m.id for m in members if m.household_representative)
            if len(reps) > 1:
                problems.append(
                    Problem(
                        code="voting.two_household_representatives",
                        message_en=f"Household {household!r} has {len(reps)} designated "
                        f"representatives ({', '.join(reps)}); at most one is allowed.",
                        message_zh=f"户 {household!r} 指定了 {len(reps)} 名户代表"
                        f"（{'、'.join(reps)}），每户至多一名。",
                        subject=household,
                        field="household_representative",
                    )
                )
            homes = sorted({m.home for m in members})
            if len(homes) > 1:
                problems.append(
                    Problem(
                        code="voting.household_split",
                        message_en=f"Household {household!r} lives in more than one building "
                        f"group ({', '.join(homes)}).",
                        message_zh=f"户 {household!r} 的成员分属多个楼组（{'、'.join(homes)}）。",
                        subject=household,
                        field="home",
                    )
                )
        if problems:
            listing = "".join(f"\n  - {p}" for p in problems[:20])
            raise DataFormatError(
                f"The roll has {len(problems)} problem(s):{listing}",
                f"选民名册存在 {len(problems)} 个问题。",
                code="voting.invalid_roll",
                problems=problems,
            )
        object.__setattr__(self, "residents", tuple(sorted(by_id.values(), key=_resident_id)))
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(
            self,
            "_by_household",
            MappingProxyType(
                {h: tuple(sorted(m, key=_resident_id)) for h, m in by_household.items()}
            ),
        )

    def __len__(self) -> int:
        return len(self.residents)

    def __iter__(self) -> Iterator[Resident]:
        return iter(self.residents)

    def __contains__(self, resident_id: object) -> bool:
        return resident_id in self._by_id

    def __getitem__(self, resident_id: str) -> Resident:
        try:
            return self._by_id[resident_id]
        except (KeyError, TypeError):
            raise DataFormatError(
                f"{resident_id!r} is not on the roll.",
                f"{resident_id!r} 不在选民名册上。",
                code="voting.unknown_voter",
                resident=str(resident_id),
            ) from None

    def get(self, resident_id: str) -> Resident | None:
        """The resident with this id, or None.

        Args:
            resident_id: A resident's pseudonymous id.

        Returns:
            The resident, or None if the roll has no such id.

        Example:
            >>> roll = Roll(residents=[Resident(id="r1", household="h1", home="b1",
            ...                                 adult=True, verified=True)])
            >>> roll.get("r1").home, roll.get("nobody")
            ('b1', None)
        """
        return self._by_id.get(resident_id)

    def members(self, household: str) -> tuple[Resident, ...]:
        """The residents of a household, sorted by id (empty for an unknown household).

        Args:
            household: A household id.

        Returns:
            Its members on the roll.

        Example:
            >>> roll = Roll(residents=[Resident(id="r1", household="h1", home="b1",
            ...                                 adult=True, verified=True)])
            >>> [r.id for r in roll.members("h1")], roll.members("h9")
            (['r1'], ())
        """
        return self._by_household.get(household, ())

    def group_of(self, resident: Resident) -> str:
        """The residents' group (居民小组) of ``resident``: its ``group``, else its home.

        Args:
            resident: A resident.

        Returns:
            The group's id.

        Example:
            >>> roll = Roll(residents=[
            ...     Resident(id="r1", household="h1", home="b1", adult=True, verified=True),
            ...     Resident(id="r2", household="h2", home="b1", adult=True, verified=True,
            ...              group="g-east")])
            >>> roll.group_of(roll["r1"]), roll.group_of(roll["r2"])
            ('b1', 'g-east')
        """
        return resident.home if resident.group is None else resident.group

    def groups(self, hierarchy: Hierarchy, *, scope: str) -> tuple[str, ...]:
        """The residents' groups (居民小组) with residents inside ``scope``, sorted.

        The denominator of a convening petition by groups (城市居民委员会组织法 第十条:
        "三分之一以上的居民小组").

        Args:
            hierarchy: The governance graph.
            scope: The node (usually a residential area).

        Returns:
            Sorted group ids.

        Raises:
            NodeNotFound: If the scope or a resident's home is not in the graph.

        Example:
            >>> from microgov.hierarchy import Hierarchy, Level, Node
            >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
            ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
            ...                Node(id="b1", level=Level.BUILDING_GROUP, name="1", parent="g"),
            ...                Node(id="b2", level=Level.BUILDING_GROUP, name="2", parent="g")])
            >>> roll = Roll(residents=[
            ...     Resident(id="r1", household="h1", home="b1", adult=True, verified=True),
            ...     Resident(id="r2", household="h2", home="b2", adult=True, verified=True)])
            >>> roll.groups(h, scope="a")
            ('b1', 'b2')
        """
        hierarchy.node(scope)
        within = hierarchy.is_within
        return tuple(sorted({self.group_of(r) for r in self.residents if within(r.home, scope)}))

    def may_raise(self, resident: Resident, mode: MeetingMode) -> bool:
        """Whether ``resident`` may raise a hand under ``mode``, wherever the vote is.

        Verified adults only; in ``HOUSEHOLDS`` mode only the household's designated
        representative if it has one; in ``GROUP_REPRESENTATIVES`` mode only group
        representatives.  The scope is checked separately (see :meth:`entitled`).

        Args:
            resident: A resident of this roll.
            mode: The meeting mode.

        Returns:
            True if the resident is eligible.

        Example:
            >>> from microgov.policy import MeetingMode
            >>> roll = Roll(residents=[
            ...     Resident(id="r1", household="h1", home="b1", adult=True, verified=True,
            ...              household_representative=True),
            ...     Resident(id="r2", household="h1", home="b1", adult=True, verified=True)])
            >>> roll.may_raise(roll["r2"], MeetingMode.ALL_ADULTS)
            True
            >>> roll.may_raise(roll["r2"], MeetingMode.HOUSEHOLDS)
            False
        """
        if not (resident.verified and resident.adult):
            return False
        if mode is MeetingMode.HOUSEHOLDS:
            designated = [m for m in self.members(resident.household) if m.household_representative]
            return not designated or designated[0].id == resident.id
        if mode is MeetingMode.GROUP_REPRESENTATIVES:
            return resident.group_representative
        return True

    def entitled(self, hierarchy: Hierarchy, *, scope: str, mode: MeetingMode) -> tuple[str, ...]:
        """Who is entitled to attend a meeting of ``scope`` under ``mode``: the denominator.

        Args:
            hierarchy: The governance graph the homes and the scope belong to.
            scope: The node the vote is about (a residential area, a grid, …).
            mode: The meeting mode.

        Returns:
            Sorted resident ids (``ALL_ADULTS``, ``GROUP_REPRESENTATIVES``) or household
            ids (``HOUSEHOLDS``); its length is the quorum's denominator.

        Raises:
            NodeNotFound: If the scope or a resident's home is not in the graph.

        Example:
            >>> from microgov.hierarchy import Hierarchy, Level, Node
            >>> from microgov.policy import MeetingMode
            >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
            ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
            ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
            >>> roll = Roll(residents=[
            ...     Resident(id="r1", household="h1", home="b", adult=True, verified=True),
            ...     Resident(id="r2", household="h1", home="b", adult=True, verified=True),
            ...     Resident(id="r3", household="h2", home="b", adult=False, verified=True)])
            >>> roll.entitled(h, scope="a", mode=MeetingMode.ALL_ADULTS)
            ('r1', 'r2')
            >>> roll.entitled(h, scope="a", mode=MeetingMode.HOUSEHOLDS)
            ('h1',)

        Complexity:
            O(n) the first time for a mode (the roll is indexed by home then); after
            that O(h + k log k) for the roll's h distinct homes (one O(1) ``is_within``
            each) and the k ids returned.
        """
        hierarchy.node(scope)
        within = hierarchy.is_within
        out: list[str] = []
        for home, ids in self._by_home(mode):
            if within(home, scope):
                out += ids
        out.sort()
        return tuple(out)

    def _by_home(self, mode: MeetingMode) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Every home of the roll with the ids entitled there under ``mode``, if in scope.

        One pair per distinct home, in the order a walk over the roll meets it first
        (residents by id; households in the roll's order for ``HOUSEHOLDS``), so that an
        unknown home is reported as the resident-by-resident walk would report it.  The
        ids of a home are those :meth:`entitled` returns when the home is inside the
        scope: resident ids (or household ids) that :meth:`may_raise` admits.  Built
        once per roll and mode, in O(n).
        """
        index = self._entitled_by_home.get(mode)
        if index is not None:
            return index
        homes: dict[str, list[str]] = {}
        if mode is MeetingMode.HOUSEHOLDS:
            for household, members in self._by_household.items():
                ids = homes.setdefault(members[0].home, [])
                if any(self.may_raise(m, mode) for m in members):
                    ids.append(household)
        else:
            for r in self.residents:
                ids = homes.setdefault(r.home, [])
                if self.may_raise(r, mode):
                    ids.append(r.id)
        index = tuple((home, tuple(ids)) for home, ids in homes.items())
        self._entitled_by_home[mode] = index
        return index


def _resident_id(resident: Resident) -> str:
    return resident.id
