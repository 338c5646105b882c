"""Hand-raising (举手表决) as a real vote: who may raise a hand, when, what the tally decides."""

from __future__ import annotations

import bisect
import enum
import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import ClassVar, TypeVar

import attrs

from microgov._verdict import Figure, Judgement, Verdict
from microgov.errors import DataFormatError
from microgov.hierarchy import Hierarchy
from microgov.policy import (
    PRESETS,
    MeetingMode,
    QuorumPreset,
    SecondHand,
    majority_met,
    preset_for,
    quorum_met,
)
from microgov.voting._channel import Channel, Choice, PaperSheet
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
    window_verdicts,
)
from microgov.voting._roll import Roll

__all__ = [
    "Hand",
    "Tally",
    "Vote",
    "VoteState",
    "enter_sheet",
    "raise_hand",
    "tally",
    "withdraw_hand",
]

_BAD_VOTE = "voting.invalid_vote"
_E = TypeVar("_E", bound=enum.Enum)
_RULE = "voting.hand"
_SHEET_RULE = "voting.sheet"


def _vote_id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name, code=_BAD_VOTE)


def _vote_text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, field=attribute.name, code=_BAD_VOTE)


def _aware_at(value: datetime) -> datetime:
    return aware(value, field="at")


def _aware_opens(value: datetime) -> datetime:
    return aware(value, field="opens_at")


def _aware_closes(value: datetime) -> datetime:
    return aware(value, field="closes_at")


def _instance(kind: type[_E]) -> Callable[[object, attrs.Attribute[_E], object], None]:
    def check(_: object, attribute: attrs.Attribute[_E], value: object) -> None:
        check_instance(value, kind, field=attribute.name, code=_BAD_VOTE)

    return check


@attrs.frozen(kw_only=True)
class Vote:
    """A hand-raising vote (举手表决) of the residents of one scope on one question.

    Hands may be raised from ``opens_at`` (inclusive) to ``closes_at`` (exclusive).
    Both are timezone-aware and kept in Asia/Shanghai; a naive datetime is refused.

    Attributes:
        id: The vote's stable id.
        scope: The node whose residents vote (a residential area, a grid, …).
        question_zh: The question, in Chinese.
        question_en: The question, in English.
        opens_at: When hands may first be raised.
        closes_at: When the vote closes; its date in Asia/Shanghai is the decision date.
        mode: Who attends (:class:`~microgov.policy.MeetingMode`): all adults, one
            representative per household, or group representatives.
        quorum_family: The quorum preset family (``preset_for(quorum_family, on)``).
        second_hand: What a second hand of the same household (``HOUSEHOLDS`` mode)
            or of the same voter (other modes) does: ``REFUSE`` (the default) refuses
            it, ``REPLACE`` replaces the earlier hand.

    Raises:
        DataFormatError: ``voting.invalid_vote`` for a malformed field or a window that
            closes before it opens; ``time.not_aware`` for a naive datetime.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.policy import MeetingMode
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> v = Vote(id="v1", scope="a1", question_zh="是否安装晾衣架？",
        ...          question_en="Install clothes-drying racks?",
        ...          opens_at=datetime(2025, 12, 1, 9, tzinfo=sh),
        ...          closes_at=datetime(2025, 12, 31, 18, tzinfo=sh),
        ...          mode=MeetingMode.HOUSEHOLDS)
        >>> v.decision_date, v.second_hand.value
        (datetime.date(2025, 12, 31), 'refuse')
        >>> Vote(id="v1", scope="a1", question_zh="?", question_en="?",
        ...      opens_at=datetime(2025, 12, 1), closes_at=datetime(2025, 12, 2),
        ...      mode=MeetingMode.HOUSEHOLDS)
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: opens_at=... is a naive datetime; ...
    """

    id: str = attrs.field(validator=_vote_id)
    scope: str = attrs.field(validator=_vote_id)
    question_zh: str = attrs.field(validator=_vote_text)
    question_en: str = attrs.field(validator=_vote_text)
    opens_at: datetime = attrs.field(converter=_aware_opens)
    closes_at: datetime = attrs.field(converter=_aware_closes)
    mode: MeetingMode = attrs.field(validator=_instance(MeetingMode))
    quorum_family: str = attrs.field(default="residents_meeting", validator=_vote_id)
    second_hand: SecondHand = attrs.field(
        default=SecondHand.REFUSE, validator=_instance(SecondHand)
    )

    def __attrs_post_init__(self) -> None:
        if self.closes_at <= self.opens_at:
            raise DataFormatError(
                f"Vote {self.id!r} closes ({self.closes_at.isoformat()}) before it opens "
                f"({self.opens_at.isoformat()}).",
                f"表决 {self.id!r} 的截止时间（{self.closes_at.isoformat()}）"
                f"早于开始时间（{self.opens_at.isoformat()}）。",
                code=_BAD_VOTE,
                field="closes_at",
                vote=self.id,
            )

    @property
    def decision_date(self) -> date:
        """The closing date in Asia/Shanghai: the default date the tally decides on."""
        return self.closes_at.date()


def _optional_id(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        check_id(value, field=attribute.name, code=_BAD_VOTE)


@attrs.frozen(kw_only=True)
class Hand:
    """One raised hand: who, for which household, what, when, through which channel.

    Attributes:
        voter: The resident's pseudonymous id.
        household: The resident's household id.
        choice: In favour, against or abstain.
        at: When the hand was raised (Asia/Shanghai).
        channel: Where it was raised: online (the default), at a meeting, on paper.
        sheet: The reference of the counted sheet that brought it, if any.
        counted_by: Who counted that sheet (计票人), if any.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> h = Hand(voter="r1", household="h1", choice=Choice.IN_FAVOUR,
        ...          at=datetime(2025, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
        >>> h.choice.label_zh, h.channel.value, h.sheet
        ('赞成', 'online', None)
    """

    voter: str = attrs.field(validator=_vote_id)
    household: str = attrs.field(validator=_vote_id)
    choice: Choice = attrs.field(validator=_instance(Choice))
    at: datetime = attrs.field(converter=_aware_at)
    channel: Channel = attrs.field(default=Channel.ONLINE, validator=_instance(Channel))
    sheet: str | None = attrs.field(default=None, validator=_optional_id)
    counted_by: str | None = attrs.field(default=None, validator=_optional_id)


def _hands(value: tuple[Hand, ...]) -> tuple[Hand, ...]:
    hands = tuple(sorted(value, key=_voter_of))
    unique_voters([h.voter for h in hands], "hands")
    return hands


def _voter_of(hand: Hand) -> str:
    return hand.voter


@attrs.frozen(kw_only=True)
class VoteState(Recorded[Hand]):
    """The hands raised so far in one vote, sorted by voter; change it only through
    :func:`raise_hand` and :func:`withdraw_hand`, which return a new state.

    Attributes:
        vote_id: The id of the vote the hands belong to.
        hands: The hands, one per voter (and, in ``HOUSEHOLDS`` mode, one per household).

    Example:
        >>> state = VoteState.start("v1")
        >>> state.hands, state.hand_of("r1")
        ((), None)
    """

    _poll_field: ClassVar[str] = "vote_id"
    _entries_field: ClassVar[str] = "hands"
    _key: ClassVar[Callable[[Hand], str]] = staticmethod(_voter_of)

    vote_id: str = attrs.field(validator=_vote_id)
    hands: tuple[Hand, ...] = attrs.field(default=(), converter=_hands)

    hand_of = Recorded.entry_of

    @functools.cached_property
    def _by_household(self) -> dict[str, Hand]:
        # In HOUSEHOLDS mode there is at most one hand per household; in the other
        # modes this keeps the last hand of each household, which is only used there
        # to find *a* hand of the household, never to count.
        return {hand.household: hand for hand in self.hands}

    def count(self, choice: Choice | None = None) -> int:
        """How many hands there are, or how many say ``choice``.

        Args:
            choice: Count only hands with this choice; all hands if None.

        Returns:
            The count.

        Example:
            >>> VoteState.start("v1").count(), VoteState.start("v1").count(Choice.AGAINST)
            (0, 0)
        """
        if choice is None:
            return len(self.hands)
        return sum(1 for hand in self.hands if hand.choice is choice)

    def by_channel(self) -> Mapping[Channel, int]:
        """How many hands came through each channel (every channel listed, zeros too).

        Returns:
            A read-only mapping from :class:`Channel` to its count, in channel order.

        Example:
            >>> {c.value: n for c, n in VoteState.start("v1").by_channel().items()}
            {'online': 0, 'meeting': 0, 'paper': 0}
        """
        counts = dict.fromkeys(Channel, 0)
        for hand in self.hands:
            counts[hand.channel] += 1
        return MappingProxyType(counts)

    def sheets(self) -> frozenset[str]:
        """The references of the counted sheets whose hands are in this state.

        Example:
            >>> VoteState.start("v1").sheets()
            frozenset()
        """
        return frozenset(h.sheet for h in self.hands if h.sheet is not None)


def _check_state(vote: Vote, state: VoteState) -> None:
    if not isinstance(vote, Vote) or not isinstance(state, VoteState):
        raise DataFormatError(
            "Give a Vote and its VoteState.",
            "请提供表决（Vote）及其状态（VoteState）。",
            code="voting.invalid_state",
        )
    if state.vote_id != vote.id:
        raise DataFormatError(
            f"The state belongs to vote {state.vote_id!r}, not {vote.id!r}.",
            f"该状态属于表决 {state.vote_id!r}，而非 {vote.id!r}。",
            code="voting.wrong_state",
            vote=vote.id,
            state_vote=state.vote_id,
        )


def _earlier_hand(vote: Vote, state: VoteState, voter: str, household: str) -> Hand | None:
    """The hand already taking this voter's slot: the household's in HOUSEHOLDS mode."""
    if vote.mode is MeetingMode.HOUSEHOLDS:
        return state._by_household.get(household)
    return state.hand_of(voter)


def raise_hand(
    vote: Vote,
    state: VoteState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    voter: str,
    choice: Choice,
    at: datetime,
    channel: Channel = Channel.ONLINE,
) -> VoteState:
    """Raise a hand (举手) in a vote, if the rules allow it; return the new state.

    A hand is refused when the vote is not open at ``at`` (``voting.not_open``,
    ``voting.closed``), the voter is not on the roll (``voting.unknown_voter``), has
    not passed real-name verification (``voting.not_verified``), is not an adult
    (``voting.not_adult``), lives outside the vote's scope (``voting.outside_scope``),
    is not entitled under the meeting mode (``voting.not_entitled``: not the
    household's designated representative, not a group representative), or — under
    ``SecondHand.REFUSE`` — the household (``HOUSEHOLDS`` mode) or the voter (other
    modes) already has a hand through any channel (``voting.second_hand``).  Under
    ``SecondHand.REPLACE`` the new hand replaces the earlier one, whatever channel
    either came through.  Every failing reason is reported.  For a counted paper
    sheet, use :func:`enter_sheet`.

    Args:
        vote: The vote.
        state: Its current state.
        roll: The electoral roll.
        hierarchy: The governance graph holding the scope and the homes.
        voter: The resident raising the hand.
        choice: In favour, against or abstain.
        at: When (timezone-aware).
        channel: Where the hand was raised (default: online); the hand records it.

    Returns:
        The new state; ``state`` itself is unchanged.

    Raises:
        BallotRefused: Carrying the failing verdicts; nothing changes.
        DataFormatError: For a naive ``at``, a state of another vote or a channel
            that is not a :class:`Channel` (``voting.invalid_channel``).
        NodeNotFound: If the scope or the voter's home is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.policy import MeetingMode
        >>> from microgov.voting import Resident
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[
        ...     Resident(id="r1", household="h1", home="b", adult=True, verified=True),
        ...     Resident(id="r2", household="h1", home="b", adult=True, verified=False)])
        >>> vote = Vote(id="v", scope="a", question_zh="装晾衣架？", question_en="Racks?",
        ...             opens_at=datetime(2025, 12, 1, tzinfo=sh),
        ...             closes_at=datetime(2025, 12, 8, tzinfo=sh), mode=MeetingMode.HOUSEHOLDS)
        >>> state = raise_hand(vote, VoteState.start("v"), roll, h, voter="r1",
        ...                    choice=Choice.IN_FAVOUR, at=datetime(2025, 12, 2, tzinfo=sh))
        >>> state.count(Choice.IN_FAVOUR)
        1
        >>> raise_hand(vote, state, roll, h, voter="r2", choice=Choice.AGAINST,
        ...            at=datetime(2025, 12, 2, tzinfo=sh))
        Traceback (most recent call last):
        ...
        microgov.errors.BallotRefused: Hand refused: Resident 'r2' has not passed ...
    """
    _check_state(vote, state)
    at = aware(at, field="at")
    channel = check_instance(channel, Channel, field="channel", code="voting.invalid_channel")
    hierarchy.node(vote.scope)
    failures, hand, earlier = _judge_hand(
        vote, state, roll, hierarchy, voter=voter, choice=choice, at=at, channel=channel
    )
    if failures or hand is None:
        raise refuse(failures, "Hand", "举手", vote=vote.id, voter=str(voter))
    return state._with_entries(_placed(state.hands, hand, earlier))


def _placed(hands: tuple[Hand, ...], hand: Hand, earlier: Hand | None) -> tuple[Hand, ...]:
    """``hands`` with ``earlier`` (if any) replaced by ``hand``, kept sorted by voter."""
    placed = list(hands)
    if earlier is not None:
        placed.remove(earlier)
    bisect.insort(placed, hand, key=_voter_of)
    return tuple(placed)


def _judge_hand(
    vote: Vote,
    state: VoteState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    voter: str,
    choice: Choice,
    at: datetime,
    channel: Channel,
    sheet: PaperSheet | None = None,
) -> tuple[list[Verdict], Hand | None, Hand | None]:
    """The failing verdicts of one hand, the hand to place and the hand it replaces."""
    choice = check_instance(choice, Choice, field="choice", code="voting.invalid_choice")
    failures = window_verdicts(_RULE, vote.opens_at, vote.closes_at, at)
    resident = roll.get(voter) if isinstance(voter, str) else None
    if resident is None:
        failures.append(
            fail(
                _RULE,
                "voting.unknown_voter",
                f"{voter!r} is not on the roll.",
                f"{voter!r} 不在选民名册上。",
                voter=str(voter),
            )
        )
        return failures, None, None  # an unknown voter always fails
    failures.extend(_voter_verdicts(vote, roll, hierarchy, voter=voter))
    if failures:
        return failures, None, None
    household = resident.household
    earlier = _earlier_hand(vote, state, voter, household)
    if earlier is not None and vote.second_hand is SecondHand.REFUSE:
        whose_en, whose_zh, each_en, each_zh = (
            (f"Household {household!r}", f"户 {household!r}", "one hand per household", "每户")
            if vote.mode is MeetingMode.HOUSEHOLDS
            else (f"Resident {voter!r}", f"居民 {voter!r}", "one hand each", "每人")
        )
        verdict = fail(
            _RULE,
            "voting.second_hand",
            f"{whose_en} has already raised a hand (by {earlier.voter!r}, "
            f"{earlier.channel.label_en}); {each_en}, whatever the channel.",
            f"{whose_zh}已举手（{earlier.voter!r}，{earlier.channel.label_zh}），"
            f"{each_zh}只能举一次手，不论渠道。",
            voter=voter,
            household=household,
            earlier_voter=earlier.voter,
            earlier_channel=earlier.channel.value,
            channel=channel.value,
            policy=vote.second_hand.value,
        )
        return [verdict], None, None
    hand = Hand(
        voter=voter,
        household=household,
        choice=choice,
        at=at,
        channel=channel,
        sheet=None if sheet is None else sheet.reference,
        counted_by=None if sheet is None else sheet.counted_by,
    )
    return [], hand, earlier


def enter_sheet(
    vote: Vote,
    state: VoteState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    sheet: PaperSheet,
) -> VoteState:
    """Enter a counted sheet of hands (纸质表决单录入) in one step: all its hands or none.

    Every line is judged as :func:`raise_hand` judges a hand, at the sheet's
    ``counted_at``, through the sheet's channel, and with the vote's
    :class:`~microgov.policy.SecondHand` policy across channels: under ``REFUSE`` a
    household (or voter) that already raised a hand online or on another sheet is
    refused, under ``REPLACE`` the sheet's hand replaces it.  The sheet is refused as
    a whole, listing every failing line (each verdict carries ``line`` and ``sheet``),
    when any line fails; when two lines of the sheet take the same slot (the same
    household in ``HOUSEHOLDS`` mode, the same voter otherwise:
    ``voting.sheet_duplicate``); or when a sheet with the same reference was already
    entered (``voting.sheet_already_entered``).  Each hand keeps the sheet's
    reference and its counter's id.

    Args:
        vote: The vote.
        state: Its current state.
        roll: The electoral roll.
        hierarchy: The governance graph.
        sheet: The counted sheet.

    Returns:
        The new state with every hand of the sheet; ``state`` itself is unchanged.

    Raises:
        BallotRefused: Carrying every failing verdict; nothing changes.
        DataFormatError: For a state of another vote or something not a
            :class:`PaperSheet`.
        NodeNotFound: If the scope or a voter's home is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.policy import MeetingMode
        >>> from microgov.voting import PaperSheet, Resident, SheetLine
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[
        ...     Resident(id=f"r{i}", household=f"h{i}", home="b", adult=True, verified=True)
        ...     for i in range(3)])
        >>> vote = Vote(id="v", scope="a", question_zh="装晾衣架？", question_en="Racks?",
        ...             opens_at=datetime(2025, 12, 1, tzinfo=sh),
        ...             closes_at=datetime(2025, 12, 8, tzinfo=sh), mode=MeetingMode.HOUSEHOLDS)
        >>> state = raise_hand(vote, VoteState.start("v"), roll, h, voter="r0",
        ...                    choice=Choice.IN_FAVOUR, at=datetime(2025, 12, 2, tzinfo=sh))
        >>> sheet = PaperSheet(reference="B1-01", counted_by="w1",
        ...                    counted_at=datetime(2025, 12, 3, 19, tzinfo=sh),
        ...                    lines=[SheetLine(voter="r1", choice=Choice.IN_FAVOUR),
        ...                           SheetLine(voter="r2", choice=Choice.AGAINST)])
        >>> state = enter_sheet(vote, state, roll, h, sheet=sheet)
        >>> {c.value: n for c, n in state.by_channel().items()}
        {'online': 1, 'meeting': 0, 'paper': 2}
        >>> state.hand_of("r2").counted_by, state.sheets()
        ('w1', frozenset({'B1-01'}))
        >>> enter_sheet(vote, state, roll, h, sheet=sheet)
        Traceback (most recent call last):
        ...
        microgov.errors.BallotRefused: Sheet refused: Sheet 'B1-01' was already entered ...

    Complexity:
        O(k·(n + k)) for a sheet of k lines on a state of n hands.
    """
    _check_state(vote, state)
    sheet = check_instance(sheet, PaperSheet, field="sheet", code="voting.invalid_sheet")
    hierarchy.node(vote.scope)
    ref = sheet.reference
    if ref in state.sheets():
        verdict = fail(
            _SHEET_RULE,
            "voting.sheet_already_entered",
            f"Sheet {ref!r} was already entered in vote {vote.id!r}; a sheet counts once.",
            f"表决单 {ref!r} 已录入表决 {vote.id!r}，每张表决单只计一次。",
            sheet=ref,
        )
        raise refuse([verdict], "Sheet", "表决单", vote=vote.id, sheet=ref)
    failures: list[Verdict] = []
    hands = state.hands
    working = state
    seen: dict[str, int] = {}
    for number, line in enumerate(sheet.lines, start=1):
        resident = roll.get(line.voter)
        slot = (
            resident.household
            if resident is not None and vote.mode is MeetingMode.HOUSEHOLDS
            else line.voter
        )
        if slot in seen:
            failures.append(
                fail(
                    _SHEET_RULE,
                    "voting.sheet_duplicate",
                    f"Line {number} of sheet {ref!r} repeats line {seen[slot]} "
                    f"({'household' if slot != line.voter else 'voter'} {slot!r}).",
                    f"表决单 {ref!r} 第 {number} 行与第 {seen[slot]} 行重复（{slot!r}）。",
                    sheet=ref,
                    line=number,
                    voter=line.voter,
                    earlier_line=seen[slot],
                )
            )
            continue
        seen[slot] = number
        verdicts, hand, earlier = _judge_hand(
            vote,
            working,
            roll,
            hierarchy,
            voter=line.voter,
            choice=line.choice,
            at=sheet.counted_at,
            channel=sheet.channel,
            sheet=sheet,
        )
        if verdicts or hand is None:
            failures.extend(
                attrs.evolve(v, figures={**v.figures, "sheet": ref, "line": number})
                for v in verdicts
            )
            continue
        hands = _placed(hands, hand, earlier)
        working = state._with_entries(hands)
    if failures:
        raise refuse(failures, "Sheet", "表决单", vote=vote.id, sheet=ref)
    return working


def _voter_verdicts(vote: Vote, roll: Roll, hierarchy: Hierarchy, *, voter: str) -> list[Verdict]:
    resident = roll[voter]
    failures: list[Verdict] = []
    if not resident.verified:
        failures.append(
            fail(
                _RULE,
                "voting.not_verified",
                f"Resident {voter!r} has not passed real-name verification.",
                f"居民 {voter!r} 未通过实名认证。",
                voter=voter,
                verified=False,
            )
        )
    if not resident.adult:
        failures.append(
            fail(
                _RULE,
                "voting.not_adult",
                f"Resident {voter!r} is not an adult (18+).",
                f"居民 {voter!r} 未满十八周岁。",
                voter=voter,
                adult=False,
            )
        )
    if not hierarchy.is_within(resident.home, vote.scope):
        failures.append(
            fail(
                _RULE,
                "voting.outside_scope",
                f"Resident {voter!r} lives in {resident.home!r}, outside {vote.scope!r}.",
                f"居民 {voter!r} 住在 {resident.home!r}，不在 {vote.scope!r} 范围内。",
                voter=voter,
                home=resident.home,
                scope=vote.scope,
            )
        )
    if not failures and not roll.may_raise(resident, vote.mode):
        if vote.mode is MeetingMode.HOUSEHOLDS:
            en = f"Household {resident.household!r} raises its hand through its designated "
            en += f"representative, not {voter!r}."
            zh = f"户 {resident.household!r} 由其指定的户代表举手，{voter!r} 不是户代表。"
        else:
            en = f"Resident {voter!r} is not a group representative."
            zh = f"居民 {voter!r} 不是居民小组代表。"
        failures.append(
            fail(
                _RULE,
                "voting.not_entitled",
                en,
                zh,
                voter=voter,
                household=resident.household,
                mode=vote.mode.value,
            )
        )
    return failures


def withdraw_hand(vote: Vote, state: VoteState, *, voter: str, at: datetime) -> VoteState:
    """Withdraw (放下) the hand ``voter`` raised, before the vote closes.

    Only the resident who raised a hand may withdraw it.

    Args:
        vote: The vote.
        state: Its current state.
        voter: The resident withdrawing.
        at: When (timezone-aware).

    Returns:
        The new state without the voter's hand.

    Raises:
        BallotRefused: ``voting.not_open``/``voting.closed`` outside the window,
            ``voting.no_hand`` if the voter has no hand; nothing changes.
        DataFormatError: For a naive ``at`` or a state of another vote.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.policy import MeetingMode
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> vote = Vote(id="v", scope="a", question_zh="装晾衣架？", question_en="Racks?",
        ...             opens_at=datetime(2025, 12, 1, tzinfo=sh),
        ...             closes_at=datetime(2025, 12, 8, tzinfo=sh), mode=MeetingMode.ALL_ADULTS)
        >>> hand = Hand(voter="r1", household="h1", choice=Choice.AGAINST,
        ...             at=datetime(2025, 12, 2, tzinfo=sh))
        >>> state = VoteState(vote_id="v", hands=(hand,))
        >>> withdraw_hand(vote, state, voter="r1", at=datetime(2025, 12, 3, tzinfo=sh)).hands
        ()
        >>> withdraw_hand(vote, state, voter="r2", at=datetime(2025, 12, 3, tzinfo=sh))
        Traceback (most recent call last):
        ...
        microgov.errors.BallotRefused: Withdrawal refused: 'r2' has no hand raised ...
    """
    _check_state(vote, state)
    at = aware(at, field="at")
    failures = window_verdicts("voting.withdraw", vote.opens_at, vote.closes_at, at)
    if state.hand_of(voter) is None:
        failures.append(
            fail(
                "voting.withdraw",
                "voting.no_hand",
                f"{voter!r} has no hand raised in vote {vote.id!r}.",
                f"{voter!r} 在表决 {vote.id!r} 中没有举手。",
                voter=str(voter),
            )
        )
    if failures:
        raise refuse(failures, "Withdrawal", "撤回举手", vote=vote.id, voter=str(voter))
    return attrs.evolve(state, hands=tuple(h for h in state.hands if h.voter != voter))


def _frozen_verdicts(value: Mapping[str, Verdict]) -> Mapping[str, Verdict]:
    return MappingProxyType(dict(value))


def _frozen_counts(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Tally:
    """The count of a closed vote and what it decided (计票结果).

    Attributes:
        vote_id: The vote counted.
        scope: Its scope.
        mode: Its meeting mode.
        decided_on: The decision date; the quorum preset in force on it applies.
        entitled: The denominator: residents, households or group representatives
            entitled to attend (see :meth:`Roll.entitled`).
        present: Hands raised (in favour + against + abstain).
        in_favour: Hands in favour.
        against: Hands against.
        abstain: Hands abstaining.
        preset_key: The key of the quorum preset applied.
        verdicts: ``{"quorum": …, "majority": …}``, each with its figures and citation
            (among them the decision date ``decided_on`` and the ``preset``).
        by_channel: Hands present per channel value (``'online'``, ``'meeting'``,
            ``'paper'``); empty for a tally made before channels were recorded.

    Example:
        >>> from datetime import date
        >>> from microgov.policy import MeetingMode, Verdict
        >>> ok = Verdict(rule="r", passed=True, code="ok", message_en="ok", message_zh="通过")
        >>> t = Tally(vote_id="v", scope="a", mode=MeetingMode.HOUSEHOLDS,
        ...           decided_on=date(2025, 12, 31), entitled=3, present=2, in_favour=2,
        ...           against=0, abstain=0, preset_key="demo",
        ...           verdicts={"quorum": ok, "majority": ok})
        >>> t.passed, t.figures["entitled"]
        (True, 3)
    """

    vote_id: str
    scope: str
    mode: MeetingMode
    decided_on: date
    entitled: int
    present: int
    in_favour: int
    against: int
    abstain: int
    preset_key: str
    verdicts: Mapping[str, Verdict] = attrs.field(
        converter=_frozen_verdicts, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )
    by_channel: Mapping[str, int] = attrs.field(
        factory=dict, converter=_frozen_counts, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )

    @property
    def passed(self) -> bool:
        """True when both the quorum and the majority verdicts passed."""
        return all(v.passed for v in self.verdicts.values())

    @property
    def judgement(self) -> Judgement:
        """The quorum and majority verdicts as one :class:`~microgov.policy.Judgement`."""
        return Judgement(tuple(self.verdicts[k] for k in sorted(self.verdicts)))

    @property
    def figures(self) -> Mapping[str, Figure]:
        """The counts and the denominator, read-only, for display and audit."""
        return MappingProxyType(
            {
                "vote": self.vote_id,
                "scope": self.scope,
                "mode": self.mode.value,
                "decided_on": self.decided_on,
                "entitled": self.entitled,
                "present": self.present,
                "in_favour": self.in_favour,
                "against": self.against,
                "abstain": self.abstain,
                "preset": self.preset_key,
                **{f"hands_{channel}": n for channel, n in self.by_channel.items()},
            }
        )


def tally(
    vote: Vote,
    state: VoteState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    on: date | None = None,
    presets: Mapping[str, QuorumPreset] = PRESETS,
) -> Tally:
    """Count a vote and decide it with the quorum preset in force on the decision date.

    The denominator is computed from the roll and the hierarchy at the vote's scope
    (:meth:`Roll.entitled`); the quorum verdict (more than half of those entitled
    present, under the 2018 law) and the majority verdict (more than half of those
    present in favour) come from ``preset_for(vote.quorum_family, on)``.  Abstentions
    count as present but not in favour.  The tally counts the hands of ``state`` as
    they were raised: give the roll the vote ran under.

    Args:
        vote: The vote.
        state: Its final state.
        roll: The electoral roll.
        hierarchy: The governance graph.
        on: The decision date; defaults to the closing date in Asia/Shanghai.  It may
            not be before the closing date.
        presets: Where to look for the quorum preset (default: the built-in
            ``microgov.policy.PRESETS``); pass your own to use a ``custom_preset``.

    Returns:
        The tally; ``tally.passed`` when both verdicts pass.

    Raises:
        BallotRefused: ``voting.not_closed`` if ``on`` is before the closing date.
        DataFormatError: For a state of another vote or an ``on`` that is not a date.
        PolicyError: If no preset of the family is in force on the decision date, or
            if the roll given entitles fewer than the hands present (a roll changed
            since the hands were raised).
        NodeNotFound: If the scope or a home is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.policy import MeetingMode
        >>> from microgov.voting import Resident
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[
        ...     Resident(id=f"r{i}", household=f"h{i}", home="b", adult=True, verified=True)
        ...     for i in range(3)])
        >>> vote = Vote(id="v", scope="a", question_zh="装晾衣架？", question_en="Racks?",
        ...             opens_at=datetime(2025, 12, 1, tzinfo=sh),
        ...             closes_at=datetime(2025, 12, 8, tzinfo=sh), mode=MeetingMode.HOUSEHOLDS)
        >>> state = VoteState.start("v")
        >>> for r in ("r0", "r1"):
        ...     state = raise_hand(vote, state, roll, h, voter=r, choice=Choice.IN_FAVOUR,
        ...                        at=datetime(2025, 12, 2, tzinfo=sh))
        >>> t = tally(vote, state, roll, h)
        >>> t.present, t.entitled, t.passed, t.decided_on
        (2, 3, True, datetime.date(2025, 12, 8))
        >>> t.verdicts["quorum"].figures["decided_on"], t.verdicts["quorum"].figures["preset"]
        (datetime.date(2025, 12, 8), 'residents_meeting_2018')
        >>> dict(t.by_channel)
        {'online': 2, 'meeting': 0, 'paper': 0}
    """
    _check_state(vote, state)
    decided_on = vote.decision_date if on is None else check_date(on, field="on")
    if decided_on < vote.decision_date:
        verdict = fail(
            "voting.tally",
            "voting.not_closed",
            f"Vote {vote.id!r} closes on {vote.decision_date.isoformat()}; it cannot be "
            f"decided on {decided_on.isoformat()}.",
            f"表决 {vote.id!r} 于 {vote.decision_date.isoformat()} 截止，"
            f"不能在 {decided_on.isoformat()} 作出决定。",
            on=decided_on,
            closes_on=vote.decision_date,
        )
        raise refuse([verdict], "Tally", "计票", vote=vote.id)
    entitled = len(roll.entitled(hierarchy, scope=vote.scope, mode=vote.mode))
    present = state.count()
    in_favour = state.count(Choice.IN_FAVOUR)
    preset = preset_for(vote.quorum_family, decided_on, presets=presets)
    quorum = quorum_met(preset, mode=vote.mode, present=present, entitled=entitled, on=decided_on)
    majority = majority_met(preset, in_favour=in_favour, present=present, on=decided_on)
    return Tally(
        vote_id=vote.id,
        scope=vote.scope,
        mode=vote.mode,
        decided_on=decided_on,
        entitled=entitled,
        present=present,
        in_favour=in_favour,
        against=state.count(Choice.AGAINST),
        abstain=state.count(Choice.ABSTAIN),
        preset_key=preset.key,
        verdicts={"quorum": quorum, "majority": majority},
        by_channel={c.value: n for c, n in state.by_channel().items()},
    )
