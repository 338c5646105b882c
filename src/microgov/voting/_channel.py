"""Where a hand comes from (举手渠道) and the counted paper sheets that carry many hands."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Final

import attrs

from microgov.errors import DataFormatError
from microgov.voting._common import aware, check_id, check_instance

__all__ = ["Channel", "Choice", "PaperSheet", "SheetLine"]

_BAD_SHEET: Final = "voting.invalid_sheet"


class Choice(enum.Enum):
    """What a raised hand says: in favour (赞成), against (反对) or abstain (弃权).

    Every hand counts as present; only ``IN_FAVOUR`` counts towards the majority.

    Example:
        >>> Choice.IN_FAVOUR.label_zh, Choice("against").label_en
        ('赞成', 'against')
    """

    IN_FAVOUR = "in_favour"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @property
    def label_zh(self) -> str:
        """The Chinese label (赞成 / 反对 / 弃权)."""
        return _LABELS_ZH[self]

    @property
    def label_en(self) -> str:
        """The English label (in favour / against / abstain)."""
        return self.value.replace("_", " ")


_LABELS_ZH = {Choice.IN_FAVOUR: "赞成", Choice.AGAINST: "反对", Choice.ABSTAIN: "弃权"}


class Channel(enum.Enum):
    """The channel a hand was raised through (举手渠道).

    Hands from every channel count in one tally, and the one-hand rule (one per
    household in ``HOUSEHOLDS`` mode, one per voter otherwise) holds across channels.

    Example:
        >>> Channel.PAPER.label_zh, Channel("online").label_en
        ('纸质表决单', 'online (Shequtong)')
    """

    ONLINE = "online"
    """Online, on the community platform (社区通线上举手)."""
    MEETING = "meeting"
    """At a meeting, hands counted in the room (会议现场举手)."""
    PAPER = "paper"
    """On a paper sheet, e.g. at a building group's discussion corner (楼组议事角纸质表决单)."""

    @property
    def label_zh(self) -> str:
        """The Chinese label, e.g. ``'纸质表决单'``."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English label, e.g. ``'paper sheet'``."""
        return _LABELS[self][1]


_LABELS: Final = {
    Channel.ONLINE: ("线上（社区通）", "online (Shequtong)"),
    Channel.MEETING: ("会议现场", "at a meeting"),
    Channel.PAPER: ("纸质表决单", "paper sheet"),
}


def _id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name, code=_BAD_SHEET)


def _choice(_: object, attribute: attrs.Attribute[Choice], value: object) -> None:
    check_instance(value, Choice, field=attribute.name, code="voting.invalid_choice")


def _counted_at(value: datetime) -> datetime:
    return aware(value, field="counted_at")


@attrs.frozen(kw_only=True)
class SheetLine:
    """One line of a counted sheet: who raised a hand and what it said.

    Attributes:
        voter: The resident's pseudonymous id.
        choice: In favour, against or abstain.

    Example:
        >>> SheetLine(voter="r1", choice=Choice.IN_FAVOUR).voter
        'r1'
    """

    voter: str = attrs.field(validator=_id)
    choice: Choice = attrs.field(validator=_choice)


def _lines(value: Iterable[SheetLine]) -> tuple[SheetLine, ...]:
    checked: object = value
    if isinstance(checked, (str, bytes)) or not isinstance(checked, Iterable):
        raise DataFormatError(
            "A sheet's lines must be a sequence of SheetLine.",
            "表决单的各行须为 SheetLine 序列。",
            code=_BAD_SHEET,
            field="lines",
        )
    lines = tuple(value)
    for line in lines:
        check_instance(line, SheetLine, field="lines", code=_BAD_SHEET)
    if not lines:
        raise DataFormatError(
            "A counted sheet must have at least one line.",
            "计票后的表决单至少应有一行。",
            code=_BAD_SHEET,
            field="lines",
        )
    return lines


def _channel(_: object, attribute: attrs.Attribute[Channel], value: object) -> None:
    check_instance(value, Channel, field="channel", code=_BAD_SHEET)
    if value is Channel.ONLINE:
        raise DataFormatError(
            "A counted sheet records paper or meeting hands, not online ones.",
            "计票单只记录纸质或会议现场的举手，不记录线上举手。",
            code=_BAD_SHEET,
            field="channel",
        )


@attrs.frozen(kw_only=True)
class PaperSheet:
    """A counted sheet of hands (计票单), entered in bulk with :func:`enter_sheet`.

    A paper sheet from a building group's discussion corner (楼组议事角), or the count
    of hands at a meeting, carries many hands at once; who counted it and its
    reference are kept on every hand it brings, so a hand can be traced to its sheet.

    Attributes:
        reference: The sheet's reference (e.g. ``'B12-2025-07'``); unique within a vote.
        counted_by: The pseudonymous id of the person who counted it (计票人).
        counted_at: When it was counted (timezone-aware); the hands are dated then and
            must fall inside the vote's window.
        lines: The hands on the sheet, at least one.
        channel: ``Channel.PAPER`` (the default) or ``Channel.MEETING``.

    Raises:
        DataFormatError: ``voting.invalid_sheet`` for a malformed field, no lines, or
            the online channel; ``time.not_aware`` for a naive ``counted_at``.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> sheet = PaperSheet(reference="B12-07", counted_by="w1",
        ...                    counted_at=datetime(2025, 7, 3, 19, tzinfo=sh),
        ...                    lines=[SheetLine(voter="r1", choice=Choice.IN_FAVOUR)])
        >>> sheet.channel.value, len(sheet.lines)
        ('paper', 1)
    """

    reference: str = attrs.field(validator=_id)
    counted_by: str = attrs.field(validator=_id)
    counted_at: datetime = attrs.field(converter=_counted_at)
    lines: tuple[SheetLine, ...] = attrs.field(converter=_lines)
    channel: Channel = attrs.field(default=Channel.PAPER, validator=_channel)
