"""Shared helpers of the voting package: time zones, field checks, refusal verdicts."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from datetime import date, datetime
from itertools import pairwise
from typing import Any, ClassVar, Final, Generic, TypeVar, cast

from microgov._checks import aware_datetime
from microgov._time import SHANGHAI
from microgov._verdict import Figure, Verdict
from microgov.errors import BallotRefused, DataFormatError

__all__ = ["Recorded"]

_S = TypeVar("_S", bound="Recorded[Any]")
_E = TypeVar("_E")


class Recorded(Generic[_E]):
    """What one poll has recorded so far — hands, score cards or signatures.

    The shared part of :class:`~microgov.voting.VoteState`,
    :class:`~microgov.voting.ScoringState` and :class:`~microgov.voting.PetitionState`:
    the poll's id and a tuple of entries, one per voter (or slot), kept sorted. A state
    changes only through the functions that record an entry, which return a new state.

    Example:
        >>> from microgov.voting import PetitionState, Recorded, VoteState
        >>> issubclass(VoteState, Recorded), PetitionState.start("p1").signatures
        (True, ())
    """

    __slots__ = ()
    _poll_field: ClassVar[str]
    """The field naming the poll (``vote_id``, ``ballot_id``, ``petition_id``)."""
    _entries_field: ClassVar[str]
    """The field holding the entries (``hands``, ``cards``, ``signatures``)."""
    _key: ClassVar[Callable[[Any], str]]
    """What the entries are sorted and unique by (a voter's id, a petition's slot)."""

    def entry_of(self, key: str) -> _E | None:
        """The entry recorded for ``key`` — a voter's hand or card, a slot's signature — or None.

        ``VoteState.hand_of`` and ``ScoringState.card_of`` are this method.
        O(log n): the entries are sorted by their key.

        Args:
            key: A resident's id (hands, cards) or a petition's slot.

        Returns:
            The entry, or None.

        Example:
            >>> from microgov.voting import ScoringState, VoteState
            >>> VoteState.start("v1").hand_of("r1") is None
            True
            >>> ScoringState.start("s1").card_of("r1") is None
            True
        """
        entries: tuple[_E, ...] = getattr(self, self._entries_field)
        i = bisect.bisect_left(entries, key, key=type(self)._key)
        if i < len(entries) and type(self)._key(entries[i]) == key:
            return entries[i]
        return None

    @classmethod
    def start(cls: type[_S], poll_id: str) -> _S:
        """The empty state of a poll: nothing recorded yet.

        Args:
            poll_id: The id of the vote, ballot or petition.

        Returns:
            A state with no entries.

        Example:
            >>> from microgov.voting import ScoringState, VoteState
            >>> VoteState.start("v1").hands, ScoringState.start("s1").ballot_id
            ((), 's1')
        """
        make = cast(Any, cls)
        return cast(_S, make(**{cls._poll_field: poll_id}))

    def _with_entries(self: _S, entries: tuple[Any, ...]) -> _S:
        """A new state with ``entries`` already sorted and unique (no re-check: O(1) copy)."""
        new = object.__new__(type(self))
        object.__setattr__(new, self._poll_field, getattr(self, self._poll_field))
        object.__setattr__(new, self._entries_field, entries)
        return new


"""The default time zone: every date of a vote is taken in Asia/Shanghai."""

_MAX_ID: Final = 128

_T = TypeVar("_T")


def check_id(value: object, *, field: str, code: str) -> str:
    """Return ``value`` if it is a usable id (1–128 printable characters, no edge spaces)."""
    if (
        not isinstance(value, str)
        or not value
        or value != value.strip()
        or len(value) > _MAX_ID
        or not value.isprintable()
    ):
        raise DataFormatError(
            f"{field} must be 1–{_MAX_ID} printable characters without surrounding spaces, "
            f"got {value!r}.",
            f"{field} 须为 1–{_MAX_ID} 个可打印字符且首尾无空格，实际为 {value!r}。",
            code=code,
            field=field,
        )
    return value


def check_text(value: object, *, field: str, code: str) -> str:
    """Return ``value`` if it is a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise DataFormatError(
            f"{field} must be a non-empty string, got {value!r}.",
            f"{field} 须为非空字符串，实际为 {value!r}。",
            code=code,
            field=field,
        )
    return value


def check_bool(value: object, *, field: str, code: str) -> bool:
    """Return ``value`` if it is exactly True or False."""
    if not isinstance(value, bool):
        raise DataFormatError(
            f"{field} must be True or False, got {value!r}.",
            f"{field} 须为 True 或 False，实际为 {value!r}。",
            code=code,
            field=field,
        )
    return value


def check_int(value: object, *, field: str, code: str) -> int:
    """Return ``value`` if it is an int (not a bool)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise DataFormatError(
            f"{field} must be an integer, got {value!r}.",
            f"{field} 须为整数，实际为 {value!r}。",
            code=code,
            field=field,
        )
    return value


def check_instance(value: object, kind: type[_T], *, field: str, code: str) -> _T:
    """Return ``value`` if it is an instance of ``kind``."""
    if not isinstance(value, kind):
        raise DataFormatError(
            f"{field} must be a {kind.__name__}, got {value!r}.",
            f"{field} 须为 {kind.__name__}，实际为 {value!r}。",
            code=code,
            field=field,
        )
    return value


def aware(value: object, *, field: str) -> datetime:
    """Return ``value`` in Asia/Shanghai if it is a timezone-aware datetime; refuse naive ones."""
    if type(value) is datetime and value.tzinfo is SHANGHAI:
        return value  # aware (a zone always has an offset), and astimezone would return it
    return aware_datetime(value, field).astimezone(SHANGHAI)


def check_date(value: object, *, field: str) -> date:
    """Return ``value`` if it is a plain date (not a datetime)."""
    if type(value) is not date:
        raise DataFormatError(
            f"{field} must be a datetime.date, got {value!r}.",
            f"{field} 须为 datetime.date，实际为 {value!r}。",
            code="voting.not_date",
            field=field,
        )
    return value


def fail(rule: str, code: str, en: str, zh: str, **figures: Figure) -> Verdict:
    """A failing verdict of a voting rule."""
    return Verdict(
        rule=rule, passed=False, code=code, message_en=en, message_zh=zh, figures=figures
    )


def refuse(verdicts: list[Verdict], what_en: str, what_zh: str, **details: object) -> BallotRefused:
    """The error refusing a hand or ballot for the given failing verdicts."""
    reasons_en = "; ".join(v.message_en for v in verdicts)
    reasons_zh = "；".join(v.message_zh for v in verdicts)
    return BallotRefused(
        f"{what_en} refused: {reasons_en}",
        f"{what_zh}被拒绝：{reasons_zh}",
        verdicts=verdicts,
        code=verdicts[0].code,
        **details,
    )


def window_verdicts(
    rule: str, opens_at: datetime, closes_at: datetime, at: datetime
) -> list[Verdict]:
    """The failing verdicts (zero or one) of the opening window ``[opens_at, closes_at)``."""
    if opens_at <= at < closes_at:
        return []
    figures: Mapping[str, Figure] = {
        "at": at.isoformat(),
        "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(),
    }
    if at < opens_at:
        return [
            fail(
                rule,
                "voting.not_open",
                f"Not open yet: it opens at {opens_at.isoformat()}, it is {at.isoformat()}.",
                f"尚未开始：{opens_at.isoformat()} 开始，当前为 {at.isoformat()}。",
                **figures,
            )
        ]
    if at >= closes_at:
        return [
            fail(
                rule,
                "voting.closed",
                f"Closed at {closes_at.isoformat()}; it is {at.isoformat()}.",
                f"已于 {closes_at.isoformat()} 截止，当前为 {at.isoformat()}。",
                **figures,
            )
        ]
    return []


def unique_voters(voters: list[str], field: str) -> None:
    """Refuse a state in which a voter appears twice (``voters`` sorted)."""
    repeated = sorted({a for a, b in pairwise(voters) if a == b})
    if repeated:
        raise DataFormatError(
            f"{field} hold more than one entry for {', '.join(repeated)}.",
            f"{field} 中 {'、'.join(repeated)} 出现了不止一次。",
            code="voting.invalid_state",
            field=field,
        )
