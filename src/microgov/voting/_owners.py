"""Owners' votes (业主表决) by exclusive part: the owners' roll, ballots and the decision.

Area is exact: integer hundredths of a square metre (0.01 m²), never a float.  Owners
are pseudonymous digests (keyed digests from :mod:`microgov.personal`, never names or
identity numbers).  How owners are counted follows 最高人民法院关于审理建筑物区分所有权
纠纷案件适用法律若干问题的解释 第九条 (quoted in :data:`microgov.policy.PROVISIONS`):
"一个专有部分按一人计算。但建设单位尚未出售和虽已出售但尚未交付的部分，以及同一买受人
拥有一个以上专有部分的，按一人计算。"
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Final

import attrs

from microgov.errors import DataFormatError
from microgov.policy import (
    OWNERS_RULES,
    Matter,
    OwnersRule,
    Verdict,
    owners_decision,
    owners_rule_for,
)
from microgov.voting._channel import Channel, Choice
from microgov.voting._common import (
    aware,
    check_date,
    check_id,
    check_instance,
    check_text,
    fail,
    refuse,
)

__all__ = [
    "DEVELOPER",
    "AreaSource",
    "OwnerCounting",
    "OwnersDecision",
    "OwnersRoll",
    "OwnersState",
    "OwnersVote",
    "Unit",
    "cast_owner_vote",
    "decide_owners",
]

_BAD: Final = "voting.invalid_owners_roll"
DEVELOPER: Final = "developer"
"""The owner key of the developer's unsold or undelivered parts (they count as one owner).

Example:
    >>> DEVELOPER
    'developer'
"""


class AreaSource(enum.Enum):
    """Where a unit's area comes from, in the order 第八条 of the SPC interpretation prefers.

    Example:
        >>> AreaSource.REGISTER.label_zh
        '不动产登记簿记载的面积'
    """

    REGISTER = "register"
    SURVEY = "survey"
    CONTRACT = "contract"

    @property
    def label_zh(self) -> str:
        """The Chinese label."""
        return {
            AreaSource.REGISTER: "不动产登记簿记载的面积",
            AreaSource.SURVEY: "测绘机构的实测面积",
            AreaSource.CONTRACT: "房屋买卖合同记载的面积",
        }[self]


class OwnerCounting(enum.Enum):
    """How owners are counted for the headcount threshold.

    ``SPC_ART9`` (the default) follows the SPC interpretation 第九条 as quoted: one
    exclusive part counts as one owner, but all the developer's unsold or undelivered
    parts count as one, and several parts of the same buyer (the same set of owner
    digests) count as one.  ``PER_UNIT`` counts every exclusive part as one owner.

    Example:
        >>> OwnerCounting.SPC_ART9.value
        'spc_art9'
    """

    SPC_ART9 = "spc_art9"
    PER_UNIT = "per_unit"


def _id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name, code=_BAD)


def _area(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value <= 0:
        raise DataFormatError(
            f"A unit's area must be a positive integer of 0.01 m², got {value!r:.40}.",
            f"专有部分面积须为正整数（单位 0.01 平方米），而不是 {value!r:.40}。",
            code=_BAD,
            field="area",
        )


def _owners(value: Iterable[str]) -> tuple[str, ...]:
    checked: object = value
    if isinstance(checked, str) or not isinstance(checked, Iterable):
        raise DataFormatError(
            "A unit's owners must be a collection of owner digests.",
            "专有部分的业主须为业主摘要的集合。",
            code=_BAD,
            field="owners",
        )
    owners = tuple(sorted(set(value)))
    for owner in owners:
        check_id(owner, field="owners", code=_BAD)
        if owner == DEVELOPER:
            raise DataFormatError(
                f"{DEVELOPER!r} is reserved for the developer's parts; leave owners empty.",
                f"{DEVELOPER!r} 专指建设单位的部分，请留空业主。",
                code=_BAD,
                field="owners",
            )
    return owners


@attrs.frozen(kw_only=True)
class Unit:
    """An exclusive part (专有部分): its area and who owns it.

    Attributes:
        id: Stable id (e.g. ``'7-1203'``).
        area: Exclusive area in integer 0.01 m² (``policy.square_metres("89.50")``).
        owners: The owners' digests (co-owners of one part are one owner together);
            empty for a part the developer has not sold or not delivered.
        area_source: Where the area comes from (SPC interpretation 第八条).

    Example:
        >>> from microgov.policy import square_metres
        >>> u = Unit(id="7-1203", area=square_metres("89.50"), owners=["d-wang", "d-li"])
        >>> u.owners, u.area
        (('d-li', 'd-wang'), 8950)
    """

    id: str = attrs.field(validator=_id)
    area: int = attrs.field(validator=_area)
    owners: tuple[str, ...] = attrs.field(default=(), converter=_owners)
    area_source: AreaSource = AreaSource.REGISTER

    @property
    def owner_key(self) -> str:
        """Who votes for this part: its owners joined, or :data:`DEVELOPER`.

        Example:
            >>> Unit(id="u", area=100).owner_key
            'developer'
        """
        return "+".join(self.owners) if self.owners else DEVELOPER


def _units(value: Iterable[Unit]) -> tuple[Unit, ...]:
    try:
        units = tuple(value)
    except TypeError:
        raise DataFormatError(
            "An owners' roll needs an iterable of units.",
            "业主名册须为专有部分的集合。",
            code=_BAD,
        ) from None
    for unit in units:
        check_instance(unit, Unit, field="units", code=_BAD)
    ids = [u.id for u in units]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise DataFormatError(
            f"Units listed more than once: {', '.join(repeated)}.",
            f"专有部分重复：{'、'.join(repeated)}。",
            code=_BAD,
            units=", ".join(repeated),
        )
    return tuple(sorted(units, key=_unit_id))


def _unit_id(unit: Unit) -> str:
    return unit.id


@attrs.frozen(kw_only=True)
class OwnersRoll:
    """The owners' roll (业主名册) of one building area (建筑区划): units, areas, owners.

    Attributes:
        scope: The node the roll is for (a residential area or a building).
        units: The exclusive parts, sorted by id, ids unique.
        counting: How owners are counted (default: the SPC interpretation 第九条).

    Raises:
        DataFormatError: ``voting.invalid_owners_roll`` for a malformed or repeated unit.

    Example:
        >>> roll = OwnersRoll(scope="a1", units=[
        ...     Unit(id="1", area=9000, owners=["d-a"]), Unit(id="2", area=9000, owners=["d-a"]),
        ...     Unit(id="3", area=12000, owners=["d-b"]), Unit(id="4", area=8000),
        ...     Unit(id="5", area=8000)])
        >>> roll.total_area, roll.total_owners   # d-a once, the developer once
        (46000, 3)
        >>> OwnersRoll(scope="a1", units=roll.units, counting=OwnerCounting.PER_UNIT).total_owners
        5
    """

    scope: str = attrs.field(validator=_id)
    units: tuple[Unit, ...] = attrs.field(converter=_units)
    counting: OwnerCounting = OwnerCounting.SPC_ART9
    _by_id: Mapping[str, Unit] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({u.id: u for u in self.units}))

    def unit(self, unit_id: str) -> Unit | None:
        """The unit with this id, or None (O(1)).

        Example:
            >>> OwnersRoll(scope="a", units=[Unit(id="1", area=1)]).unit("1").area
            1
        """
        return self._by_id.get(unit_id)

    def units_of(self, owner_key: str) -> tuple[Unit, ...]:
        """Every unit the same owner key holds (all the developer's, or one buyer's).

        Example:
            >>> roll = OwnersRoll(scope="a", units=[Unit(id="1", area=1, owners=["x"]),
            ...                                    Unit(id="2", area=1, owners=["x"])])
            >>> [u.id for u in roll.units_of("x")]
            ['1', '2']
        """
        return tuple(u for u in self.units if u.owner_key == owner_key)

    def count_owners(self, units: Iterable[Unit]) -> int:
        """How many owners ``units`` make, under this roll's counting.

        Example:
            >>> roll = OwnersRoll(scope="a", units=[Unit(id="1", area=1, owners=["x"]),
            ...                                    Unit(id="2", area=1, owners=["x"])])
            >>> roll.count_owners(roll.units)
            1
        """
        chosen = list(units)
        if self.counting is OwnerCounting.PER_UNIT:
            return len({u.id for u in chosen})
        return len({u.owner_key for u in chosen})

    @property
    def total_area(self) -> int:
        """The total exclusive area, 0.01 m²."""
        return sum(u.area for u in self.units)

    @property
    def total_owners(self) -> int:
        """All owners, counted."""
        return self.count_owners(self.units)


def _vote_id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name, code="voting.invalid_vote")


def _vote_text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, field=attribute.name, code="voting.invalid_vote")


def _matter(_: object, attribute: attrs.Attribute[Matter], value: object) -> None:
    check_instance(value, Matter, field=attribute.name, code="voting.invalid_vote")


def _opens(value: datetime) -> datetime:
    return aware(value, field="opens_at")


def _closes(value: datetime) -> datetime:
    return aware(value, field="closes_at")


@attrs.frozen(kw_only=True)
class OwnersVote:
    """An owners' vote on one matter (业主共同决定事项的表决).

    Attributes:
        id: Stable id.
        scope: The roll's scope.
        matter: What is decided (民法典 第二百七十八条第一款 item).
        question_zh: The question in Chinese.
        question_en: The question in English.
        opens_at: When voting opens (aware).
        closes_at: When it closes; its date is the decision date.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> v = OwnersVote(id="ov1", scope="a1", matter=Matter.CHANGE_USE_OF_COMMON_PARTS,
        ...                question_zh="在公共区域安装充电桩？", question_en="Charging posts?",
        ...                opens_at=datetime(2025, 5, 1, tzinfo=sh),
        ...                closes_at=datetime(2025, 5, 15, tzinfo=sh))
        >>> v.decision_date
        datetime.date(2025, 5, 15)
    """

    id: str = attrs.field(validator=_vote_id)
    scope: str = attrs.field(validator=_vote_id)
    matter: Matter = attrs.field(validator=_matter)
    question_zh: str = attrs.field(validator=_vote_text)
    question_en: str = attrs.field(validator=_vote_text)
    opens_at: datetime = attrs.field(converter=_opens)
    closes_at: datetime = attrs.field(converter=_closes)

    def __attrs_post_init__(self) -> None:
        if self.closes_at <= self.opens_at:
            raise DataFormatError(
                f"Owners' vote {self.id!r} closes before it opens.",
                f"业主表决 {self.id!r} 的截止时间早于开始时间。",
                code="voting.invalid_vote",
                field="closes_at",
            )

    @property
    def decision_date(self) -> date:
        """The closing date in Asia/Shanghai."""
        return self.closes_at.date()


def _frozen_ballots(
    value: Mapping[str, tuple[Choice, Channel]],
) -> Mapping[str, tuple[Choice, Channel]]:
    return MappingProxyType(dict(value))


def _frozen_verdicts(value: Mapping[str, Verdict]) -> Mapping[str, Verdict]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class OwnersState:
    """The owners' votes so far: owner key → (choice, channel), one per owner.

    Attributes:
        vote_id: The vote.
        ballots: Read-only mapping of owner key to its choice and channel.

    Example:
        >>> OwnersState.start("ov1").ballots
        mappingproxy({})
    """

    vote_id: str = attrs.field(validator=_vote_id)
    ballots: Mapping[str, tuple[Choice, Channel]] = attrs.field(
        factory=dict,
        converter=_frozen_ballots,
        eq=attrs.cmp_using(eq=lambda a, b: a == b),
    )

    @classmethod
    def start(cls, vote_id: str) -> OwnersState:
        """The empty state.

        Example:
            >>> OwnersState.start("ov1").vote_id
            'ov1'
        """
        return cls(vote_id=vote_id)


def cast_owner_vote(
    vote: OwnersVote,
    state: OwnersState,
    roll: OwnersRoll,
    *,
    unit: str,
    choice: Choice,
    at: datetime,
    channel: Channel = Channel.ONLINE,
) -> OwnersState:
    """Record the vote of the owner of ``unit``, for all the units that owner holds.

    An owner of several parts (or the developer, for all its unsold and undelivered
    parts) votes once; the vote counts for the area of every part it holds.

    Args:
        vote: The vote.
        state: Its state.
        roll: The owners' roll of the vote's scope.
        unit: A unit of the voting owner.
        choice: In favour, against or abstain.
        at: When (aware).
        channel: Online, at the owners' meeting, or on paper.

    Returns:
        The new state.

    Raises:
        BallotRefused: ``voting.not_open``/``voting.closed``, ``voting.unknown_unit``,
            ``owners.second_vote``; nothing changes.
        DataFormatError: A naive ``at``, a state or roll of another vote.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> roll = OwnersRoll(scope="a1", units=[Unit(id="1", area=9000, owners=["d-a"]),
        ...                                      Unit(id="2", area=9000, owners=["d-a"])])
        >>> v = OwnersVote(id="ov", scope="a1", matter=Matter.HIRE_MANAGER, question_zh="换物业？",
        ...                question_en="New manager?", opens_at=datetime(2025, 5, 1, tzinfo=sh),
        ...                closes_at=datetime(2025, 5, 15, tzinfo=sh))
        >>> s = cast_owner_vote(v, OwnersState.start("ov"), roll, unit="1",
        ...                     choice=Choice.IN_FAVOUR, at=datetime(2025, 5, 2, tzinfo=sh))
        >>> cast_owner_vote(v, s, roll, unit="2", choice=Choice.AGAINST,
        ...                 at=datetime(2025, 5, 2, tzinfo=sh))
        Traceback (most recent call last):
        ...
        microgov.errors.BallotRefused: Owner's vote refused: The owner of unit '2' has ...
    """
    _check(vote, state, roll)
    at = aware(at, field="at")
    choice = check_instance(choice, Choice, field="choice", code="voting.invalid_choice")
    channel = check_instance(channel, Channel, field="channel", code="voting.invalid_channel")
    failures: list[Verdict] = []
    if at < vote.opens_at:
        failures.append(
            fail(
                "voting.owners",
                "voting.not_open",
                f"Not open yet: it opens at {vote.opens_at.isoformat()}.",
                f"尚未开始：{vote.opens_at.isoformat()} 开始。",
                at=at.isoformat(),
            )
        )
    elif at >= vote.closes_at:
        failures.append(
            fail(
                "voting.owners",
                "voting.closed",
                f"Closed at {vote.closes_at.isoformat()}.",
                f"已于 {vote.closes_at.isoformat()} 截止。",
                at=at.isoformat(),
            )
        )
    found = roll.unit(unit) if isinstance(unit, str) else None
    if found is None:
        failures.append(
            fail(
                "voting.owners",
                "voting.unknown_unit",
                f"Unit {unit!r} is not on the owners' roll.",
                f"专有部分 {unit!r} 不在业主名册上。",
                unit=str(unit),
            )
        )
    elif found.owner_key in state.ballots:
        failures.append(
            fail(
                "voting.owners",
                "owners.second_vote",
                f"The owner of unit {unit!r} has already voted, for all the units they hold.",
                f"专有部分 {unit!r} 的业主已表决，其全部专有部分只表决一次。",
                unit=str(unit),
            )
        )
    if failures or found is None:
        raise refuse(failures, "Owner's vote", "业主表决", vote=vote.id, unit=str(unit))
    return attrs.evolve(state, ballots={**state.ballots, found.owner_key: (choice, channel)})


def _check(vote: OwnersVote, state: OwnersState, roll: OwnersRoll) -> None:
    if (
        not isinstance(vote, OwnersVote)
        or not isinstance(state, OwnersState)
        or not isinstance(roll, OwnersRoll)
    ):
        raise DataFormatError(
            "Give an OwnersVote, its OwnersState and the OwnersRoll.",
            "请提供业主表决、其状态及业主名册。",
            code="voting.invalid_state",
        )
    if state.vote_id != vote.id or roll.scope != vote.scope:
        raise DataFormatError(
            f"The state or the roll does not belong to owners' vote {vote.id!r}.",
            f"状态或业主名册不属于业主表决 {vote.id!r}。",
            code="voting.wrong_state",
            vote=vote.id,
        )


@attrs.frozen(kw_only=True)
class OwnersDecision:
    """What an owners' vote decided: the four figures and both verdicts.

    Attributes:
        vote_id: The vote.
        matter: What was decided.
        decided_on: The decision date; the rule in force then applies.
        rule_key: The rule applied (``'owners_decision_2021'`` …).
        total_area: Total exclusive area, 0.01 m².
        total_owners: All owners, counted.
        participating_area: Area of the owners who voted.
        participating_owners: Owners who voted.
        in_favour_area: Area of the owners in favour.
        in_favour_owners: Owners in favour.
        verdicts: ``{"participation": …, "approval": …}``.

    Example:
        >>> from datetime import date
        >>> from microgov.policy import Verdict
        >>> ok = Verdict(rule="r", passed=True, code="owners.approved", message_en="ok",
        ...              message_zh="通过")
        >>> d = OwnersDecision(vote_id="v", matter=Matter.REBUILD, decided_on=date(2025, 1, 1),
        ...     rule_key="owners_decision_2021", total_area=1, total_owners=1,
        ...     participating_area=1, participating_owners=1, in_favour_area=1,
        ...     in_favour_owners=1, verdicts={"participation": ok, "approval": ok})
        >>> d.passed
        True
    """

    vote_id: str
    matter: Matter
    decided_on: date
    rule_key: str
    total_area: int
    total_owners: int
    participating_area: int
    participating_owners: int
    in_favour_area: int
    in_favour_owners: int
    verdicts: Mapping[str, Verdict] = attrs.field(
        converter=_frozen_verdicts,
        eq=attrs.cmp_using(eq=lambda a, b: a == b),
    )

    @property
    def passed(self) -> bool:
        """Both verdicts passed."""
        return all(v.passed for v in self.verdicts.values())


def decide_owners(
    vote: OwnersVote,
    state: OwnersState,
    roll: OwnersRoll,
    *,
    on: date | None = None,
    rules: Mapping[str, OwnersRule] = OWNERS_RULES,
) -> OwnersDecision:
    """Count an owners' vote and decide it with the rule in force on the decision date.

    Area and owners are counted from the roll: an owner who voted brings the area of
    every part they hold; owners are counted as the roll's ``counting`` says.

    Args:
        vote: The vote.
        state: Its ballots.
        roll: The owners' roll.
        on: The decision date (default: the closing date); not before it.
        rules: Where to look (default :data:`~microgov.policy.OWNERS_RULES`).

    Returns:
        The decision with its four figures and two verdicts (see
        :func:`~microgov.policy.owners_decision`).

    Raises:
        BallotRefused: ``voting.not_closed`` if ``on`` is before the closing date.
        DataFormatError: For a state or roll of another vote.
        PolicyError: If no rule is in force on ``on``.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> roll = OwnersRoll(scope="a1", units=[Unit(id=str(i), area=10000, owners=[f"d{i}"])
        ...                                      for i in range(4)])
        >>> v = OwnersVote(id="ov", scope="a1", matter=Matter.CHANGE_USE_OF_COMMON_PARTS,
        ...                question_zh="装充电桩？", question_en="Charging posts?",
        ...                opens_at=datetime(2025, 5, 1, tzinfo=sh),
        ...                closes_at=datetime(2025, 5, 15, tzinfo=sh))
        >>> s = OwnersState.start("ov")
        >>> for u in ("0", "1", "2"):
        ...     s = cast_owner_vote(v, s, roll, unit=u, choice=Choice.IN_FAVOUR,
        ...                         at=datetime(2025, 5, 2, tzinfo=sh))
        >>> d = decide_owners(v, s, roll)
        >>> d.passed, d.rule_key, d.participating_area, d.in_favour_owners
        (True, 'owners_decision_2021', 30000, 3)
    """
    _check(vote, state, roll)
    decided_on = vote.decision_date if on is None else check_date(on, field="on")
    if decided_on < vote.decision_date:
        verdict = fail(
            "voting.owners",
            "voting.not_closed",
            f"Owners' vote {vote.id!r} closes on {vote.decision_date.isoformat()}.",
            f"业主表决 {vote.id!r} 于 {vote.decision_date.isoformat()} 截止。",
            on=decided_on,
        )
        raise refuse([verdict], "Decision", "决定", vote=vote.id)
    rule = owners_rule_for(decided_on, rules=rules)
    voted = [u for u in roll.units if u.owner_key in state.ballots]
    favour = [u for u in voted if state.ballots[u.owner_key][0] is Choice.IN_FAVOUR]
    figures = {
        "total_area": roll.total_area,
        "total_owners": roll.total_owners,
        "participating_area": sum(u.area for u in voted),
        "participating_owners": roll.count_owners(voted),
        "in_favour_area": sum(u.area for u in favour),
        "in_favour_owners": roll.count_owners(favour),
    }
    participation, approval = owners_decision(rule, matter=vote.matter, on=decided_on, **figures)
    return OwnersDecision(
        vote_id=vote.id,
        matter=vote.matter,
        decided_on=decided_on,
        rule_key=rule.key,
        verdicts={"participation": participation, "approval": approval},
        **figures,
    )
