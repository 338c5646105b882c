"""Convening petitions (提议召集居民会议): signatures recorded one per person, household
or residents' group, judged against the roll on the day."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import ClassVar, Final

import attrs

from microgov.errors import DataFormatError
from microgov.hierarchy import Hierarchy
from microgov.policy import (
    CONVENING_RULES,
    ConveningRule,
    MeetingMode,
    PetitionBasis,
    Verdict,
    convening_met,
    convening_rule_for,
)
from microgov.voting._common import (
    Recorded,
    aware,
    check_date,
    check_id,
    check_instance,
    check_text,
    fail,
    refuse,
    unique_voters,
)
from microgov.voting._roll import Roll

__all__ = ["Petition", "PetitionState", "Signature", "judge_petition", "sign_petition"]

_BAD: Final = "voting.invalid_petition"
_RULE: Final = "voting.signature"


def _id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name, code=_BAD)


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, field=attribute.name, code=_BAD)


def _basis(_: object, attribute: attrs.Attribute[PetitionBasis], value: object) -> None:
    check_instance(value, PetitionBasis, field=attribute.name, code=_BAD)


def _opened(value: datetime) -> datetime:
    return aware(value, field="opened_at")


def _at(value: datetime) -> datetime:
    return aware(value, field="at")


@attrs.frozen(kw_only=True)
class Petition:
    """A proposal by residents that a residents' meeting be convened (提议召集居民会议).

    Attributes:
        id: Stable id.
        scope: The residential area (or other node) whose meeting is asked for.
        basis: Who signs: adults (one each), households (one each) or residents'
            groups (one each, through a group representative).
        purpose_zh: What the meeting should discuss, in Chinese.
        purpose_en: The same in English.
        opened_at: From when signatures are collected (timezone-aware).
        family: The convening rule family (default ``'residents_meeting'``).

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> p = Petition(id="p1", scope="a1", basis=PetitionBasis.HOUSEHOLDS,
        ...              purpose_zh="讨论停车收费", purpose_en="Discuss parking fees",
        ...              opened_at=datetime(2025, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
        >>> p.basis.label_zh
        '户'
    """

    id: str = attrs.field(validator=_id)
    scope: str = attrs.field(validator=_id)
    basis: PetitionBasis = attrs.field(validator=_basis)
    purpose_zh: str = attrs.field(validator=_text)
    purpose_en: str = attrs.field(validator=_text)
    opened_at: datetime = attrs.field(converter=_opened)
    family: str = attrs.field(default="residents_meeting", validator=_id)


@attrs.frozen(kw_only=True)
class Signature:
    """One signature: who signed, for which slot (person, household or group), when.

    Attributes:
        signer: The resident who signed.
        slot: What the signature counts for: the resident's id (adults), household
            id (households) or residents' group id (groups).
        at: When (Asia/Shanghai).

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> Signature(signer="r1", slot="h1",
        ...           at=datetime(2025, 3, 2, tzinfo=ZoneInfo("Asia/Shanghai"))).slot
        'h1'
    """

    signer: str = attrs.field(validator=_id)
    slot: str = attrs.field(validator=_id)
    at: datetime = attrs.field(converter=_at)


def _signatures(value: tuple[Signature, ...]) -> tuple[Signature, ...]:
    items = tuple(sorted(value, key=_slot_of))
    unique_voters([s.slot for s in items], "signatures")
    return items


def _slot_of(signature: Signature) -> str:
    return signature.slot


@attrs.frozen(kw_only=True)
class PetitionState(Recorded[Signature]):
    """The signatures collected so far, one per slot, sorted by slot.

    Attributes:
        petition_id: The petition's id.
        signatures: The signatures.

    Example:
        >>> PetitionState.start("p1").signatures
        ()
    """

    _poll_field: ClassVar[str] = "petition_id"
    _entries_field: ClassVar[str] = "signatures"
    _key: ClassVar[Callable[[Signature], str]] = staticmethod(_slot_of)

    petition_id: str = attrs.field(validator=_id)
    signatures: tuple[Signature, ...] = attrs.field(default=(), converter=_signatures)

    def slots(self) -> frozenset[str]:
        """The slots already signed for.

        Example:
            >>> PetitionState.start("p1").slots()
            frozenset()
        """
        return frozenset(s.slot for s in self.signatures)


def _check_state(petition: Petition, state: PetitionState) -> None:
    if not isinstance(petition, Petition) or not isinstance(state, PetitionState):
        raise DataFormatError(
            "Give a Petition and its PetitionState.",
            "请提供提议（Petition）及其状态（PetitionState）。",
            code="voting.invalid_state",
        )
    if state.petition_id != petition.id:
        raise DataFormatError(
            f"The state belongs to petition {state.petition_id!r}, not {petition.id!r}.",
            f"该状态属于提议 {state.petition_id!r}，而非 {petition.id!r}。",
            code="voting.wrong_state",
            petition=petition.id,
        )


def sign_petition(
    petition: Petition,
    state: PetitionState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    signer: str,
    at: datetime,
) -> PetitionState:
    """Record a signature on a convening petition; return the new state.

    The signer must be on the roll, verified, adult and live inside the scope
    (``voting.unknown_voter``, ``voting.not_verified``, ``voting.not_adult``,
    ``voting.outside_scope``), sign no earlier than ``opened_at``
    (``voting.not_open``), and — by basis — sign once (adults), once per household
    through its designated representative if it has one (households), or once per
    residents' group as one of its group representatives (groups;
    ``voting.not_entitled`` otherwise).  A second signature for the same slot is
    refused (``petition.second_signature``).

    Args:
        petition: The petition.
        state: Its current state.
        roll: The roll.
        hierarchy: The governance graph.
        signer: The resident signing.
        at: When (timezone-aware).

    Returns:
        The new state; ``state`` is unchanged.

    Raises:
        BallotRefused: Carrying every failing verdict; nothing changes.
        DataFormatError: For a naive ``at`` or a state of another petition.
        NodeNotFound: If the scope or the signer's home is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.voting import Resident
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[
        ...     Resident(id="r1", household="h1", home="b", adult=True, verified=True),
        ...     Resident(id="r2", household="h1", home="b", adult=True, verified=True)])
        >>> p = Petition(id="p", scope="a", basis=PetitionBasis.HOUSEHOLDS, purpose_zh="议停车",
        ...              purpose_en="Parking", opened_at=datetime(2025, 3, 1, tzinfo=sh))
        >>> s = sign_petition(p, PetitionState.start("p"), roll, h, signer="r1",
        ...                   at=datetime(2025, 3, 2, tzinfo=sh))
        >>> sign_petition(p, s, roll, h, signer="r2", at=datetime(2025, 3, 2, tzinfo=sh))
        Traceback (most recent call last):
        ...
        microgov.errors.BallotRefused: Signature refused: 'h1' has already signed ...
    """
    _check_state(petition, state)
    at = aware(at, field="at")
    hierarchy.node(petition.scope)
    failures: list[Verdict] = []
    if at < petition.opened_at:
        failures.append(
            fail(
                _RULE,
                "voting.not_open",
                f"The petition opens at {petition.opened_at.isoformat()}.",
                f"提议自 {petition.opened_at.isoformat()} 起征集签名。",
                at=at.isoformat(),
                opens_at=petition.opened_at.isoformat(),
            )
        )
    resident = roll.get(signer) if isinstance(signer, str) else None
    if resident is None:
        failures.append(
            fail(
                _RULE,
                "voting.unknown_voter",
                f"{signer!r} is not on the roll.",
                f"{signer!r} 不在选民名册上。",
                voter=str(signer),
            )
        )
        raise refuse(failures, "Signature", "签名", petition=petition.id, signer=str(signer))
    if not resident.verified:
        failures.append(
            fail(
                _RULE,
                "voting.not_verified",
                f"Resident {signer!r} has not passed real-name verification.",
                f"居民 {signer!r} 未通过实名认证。",
                voter=signer,
            )
        )
    if not resident.adult:
        failures.append(
            fail(
                _RULE,
                "voting.not_adult",
                f"Resident {signer!r} is not an adult (18+).",
                f"居民 {signer!r} 未满十八周岁。",
                voter=signer,
            )
        )
    if not hierarchy.is_within(resident.home, petition.scope):
        failures.append(
            fail(
                _RULE,
                "voting.outside_scope",
                f"Resident {signer!r} lives outside {petition.scope!r}.",
                f"居民 {signer!r} 不住在 {petition.scope!r} 范围内。",
                voter=signer,
                scope=petition.scope,
            )
        )
    basis = petition.basis
    if basis is PetitionBasis.HOUSEHOLDS:
        slot = resident.household
        entitled = roll.may_raise(resident, MeetingMode.HOUSEHOLDS) or not (
            resident.verified and resident.adult
        )
    elif basis is PetitionBasis.GROUPS:
        slot = roll.group_of(resident)
        entitled = resident.group_representative
    else:
        slot = resident.id
        entitled = True
    if not entitled:
        en, zh = (
            (
                f"Household {slot!r} signs through its designated representative.",
                f"户 {slot!r} 由其指定的户代表签名。",
            )
            if basis is PetitionBasis.HOUSEHOLDS
            else (
                f"Resident {signer!r} is not a representative of residents' group {slot!r}.",
                f"居民 {signer!r} 不是居民小组 {slot!r} 的代表。",
            )
        )
        failures.append(fail(_RULE, "voting.not_entitled", en, zh, voter=signer, slot=slot))
    if not failures and slot in state.slots():
        failures.append(
            fail(
                _RULE,
                "petition.second_signature",
                f"{slot!r} has already signed petition {petition.id!r}; "
                f"one signature per {basis.label_en.rstrip('s')}.",
                f"{slot!r} 已在提议 {petition.id!r} 上签名，每{basis.label_zh}只能签一次。",
                voter=signer,
                slot=slot,
                basis=basis.value,
            )
        )
    if failures:
        raise refuse(failures, "Signature", "签名", petition=petition.id, signer=signer)
    signatures = list(state.signatures)
    bisect.insort(signatures, Signature(signer=signer, slot=slot, at=at), key=_slot_of)
    return attrs.evolve(state, signatures=tuple(signatures))


def judge_petition(
    petition: Petition,
    state: PetitionState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    on: date,
    rules: Mapping[str, ConveningRule] = CONVENING_RULES,
) -> Verdict:
    """Judge a petition on the roll: must the committee convene the meeting?

    The denominator is counted from the roll at the petition's scope on the day
    judged: verified adults (adults), households that can raise a hand (households;
    see :meth:`Roll.entitled`) or residents' groups (:meth:`Roll.groups`).  Only
    signatures whose slot still counts are counted (a signer who moved away no
    longer counts).

    Args:
        petition: The petition.
        state: Its signatures.
        roll: The roll on the day judged.
        hierarchy: The governance graph.
        on: The day judged; the convening rule in force then applies.
        rules: Where to look for the rule (default :data:`~microgov.policy.CONVENING_RULES`).

    Returns:
        The :func:`~microgov.policy.convening_met` verdict (code ``convening.met`` or
        ``convening.not_met``), with the petition's id among its figures.

    Raises:
        DataFormatError: For a state of another petition or an ``on`` not a date.
        PolicyError: If no rule is in force on ``on``.
        NodeNotFound: If the scope or a home is not in the graph.

    Example:
        >>> from datetime import date, datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.voting import Resident
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[Resident(id=f"r{i}", household=f"h{i}", home="b",
        ...                                 adult=True, verified=True) for i in range(10)])
        >>> p = Petition(id="p", scope="a", basis=PetitionBasis.ADULTS, purpose_zh="议停车",
        ...              purpose_en="Parking", opened_at=datetime(2025, 3, 1, tzinfo=sh))
        >>> s = PetitionState.start("p")
        >>> for r in ("r0", "r1"):
        ...     s = sign_petition(p, s, roll, h, signer=r, at=datetime(2025, 3, 2, tzinfo=sh))
        >>> v = judge_petition(p, s, roll, h, on=date(2025, 3, 9))
        >>> v.code, v.figures["signatures"], v.figures["counted"], v.figures["required"]
        ('convening.met', 2, 10, 2)
    """
    _check_state(petition, state)
    on = check_date(on, field="on")
    rule = convening_rule_for(petition.family, on, rules=rules)
    scope = petition.scope
    if petition.basis is PetitionBasis.GROUPS:
        counted = set(roll.groups(hierarchy, scope=scope))
    elif petition.basis is PetitionBasis.HOUSEHOLDS:
        counted = set(roll.entitled(hierarchy, scope=scope, mode=MeetingMode.HOUSEHOLDS))
    else:
        counted = set(roll.entitled(hierarchy, scope=scope, mode=MeetingMode.ALL_ADULTS))
    signed = sum(1 for s in state.signatures if s.slot in counted)
    verdict = convening_met(
        rule, basis=petition.basis, signatures=signed, counted=len(counted), on=on
    )
    return attrs.evolve(verdict, figures={**verdict.figures, "petition": petition.id})
