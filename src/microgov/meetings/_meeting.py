"""Meeting records (会议记录): agenda, notice, attendance against the roll, minutes, decisions."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Final

import attrs

from microgov._time import SHANGHAI
from microgov._verdict import Verdict
from microgov.errors import DataFormatError, PolicyError
from microgov.hierarchy import Hierarchy
from microgov.policy import PRESETS, MeetingMode, QuorumPreset, preset_for, quorum_met
from microgov.voting import Roll

__all__ = [
    "Decision",
    "Meeting",
    "MeetingKind",
    "Notice",
    "NoticeMethod",
    "SignInSheet",
    "judge_attendance",
]

_BAD: Final = "meeting.invalid"


class MeetingKind(enum.Enum):
    """The kinds of meeting a residents' committee holds.

    The residents' meeting (居民会议, 城市居民委员会组织法 第九条) and the representatives'
    meeting (居民代表会议); the three meetings (三会) of 上海市居民委员会工作条例 第十六条 —
    hearing (听证会), coordination (协调会), evaluation (评议会); and the democratic review of
    the committee (民主评议, 第十八条).

    Example:
        >>> MeetingKind.HEARING.label_zh, MeetingKind.HEARING.is_three_meetings
        ('听证会', True)
    """

    RESIDENTS_MEETING = "residents_meeting"
    REPRESENTATIVES_MEETING = "representatives_meeting"
    HEARING = "hearing"
    COORDINATION = "coordination"
    EVALUATION = "evaluation"
    DEMOCRATIC_REVIEW = "democratic_review"

    @property
    def label_zh(self) -> str:
        """The Chinese name."""
        return _KINDS[self][0]

    @property
    def label_en(self) -> str:
        """The English name."""
        return _KINDS[self][1]

    @property
    def is_three_meetings(self) -> bool:
        """Whether it is one of the three meetings (三会)."""
        return self in (MeetingKind.HEARING, MeetingKind.COORDINATION, MeetingKind.EVALUATION)


_KINDS: Final = {
    MeetingKind.RESIDENTS_MEETING: ("居民会议", "residents' meeting"),
    MeetingKind.REPRESENTATIVES_MEETING: ("居民代表会议", "residents' representatives' meeting"),
    MeetingKind.HEARING: ("听证会", "hearing"),
    MeetingKind.COORDINATION: ("协调会", "coordination meeting"),
    MeetingKind.EVALUATION: ("评议会", "evaluation meeting"),
    MeetingKind.DEMOCRATIC_REVIEW: ("民主评议", "democratic review"),
}


class NoticeMethod(enum.Enum):
    """How a meeting or a publication was made known (告知方式).

    Example:
        >>> NoticeMethod.NOTICE_BOARD.value
        'notice_board'
    """

    NOTICE_BOARD = "notice_board"
    """The residential area's notice board (公告栏)."""
    PLATFORM = "platform"
    """The community platform (社区通)."""
    DOOR_TO_DOOR = "door_to_door"
    """Told door to door or through building leaders (上门告知)."""
    OTHER = "other"


def _id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise DataFormatError(
            f"{attribute.name} must be a non-empty id, got {value!r:.40}.",
            f"{attribute.name} 须为非空标识，而不是 {value!r:.40}。",
            code=_BAD,
            field=attribute.name,
        )


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise DataFormatError(
            f"{attribute.name} must be non-empty text.",
            f"{attribute.name} 须为非空文本。",
            code=_BAD,
            field=attribute.name,
        )


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    checked: object = value
    if isinstance(checked, str) or not isinstance(checked, Iterable):
        raise DataFormatError(
            "Expected a list of texts or ids.", "应为文本或标识的列表。", code=_BAD
        )
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise DataFormatError(
                f"Expected non-empty texts, got {item!r:.40}.",
                "列表项须为非空文本。",
                code=_BAD,
            )
    return items


@attrs.frozen(kw_only=True)
class Notice:
    """The notice given before a meeting (会前告知): when and how.

    Attributes:
        given_on: The day notice was given.
        method: How.

    Example:
        >>> from datetime import date
        >>> Notice(given_on=date(2025, 3, 1), method=NoticeMethod.PLATFORM).method.value
        'platform'
    """

    given_on: date
    method: NoticeMethod


@attrs.frozen(kw_only=True)
class SignInSheet:
    """A paper sign-in sheet (签到表), counted: who signed in, who counted it.

    Attributes:
        reference: The sheet's reference.
        counted_by: Who counted it.
        attendees: Resident ids on the sheet.

    Example:
        >>> SignInSheet(reference="S1", counted_by="w1", attendees=["r1", "r2"]).attendees
        ('r1', 'r2')
    """

    reference: str = attrs.field(validator=_id)
    counted_by: str = attrs.field(validator=_id)
    attendees: tuple[str, ...] = attrs.field(converter=_strings)


@attrs.frozen(kw_only=True)
class Decision:
    """A decision taken at a meeting, linked to the projects and topics it decides.

    Attributes:
        id: Stable id.
        text_zh: What was decided, in Chinese.
        subjects: Ids of the micro-projects or topics it decides (may be empty).

    Example:
        >>> Decision(id="d1", text_zh="同意安装晾衣架", subjects=["p-7"]).subjects
        ('p-7',)
    """

    id: str = attrs.field(validator=_id)
    text_zh: str = attrs.field(validator=_text)
    subjects: tuple[str, ...] = attrs.field(default=(), converter=_strings)


def _held_at(value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise DataFormatError(
            "held_at must be a timezone-aware datetime.",
            "held_at 须为带时区的时间。",
            code="time.naive_datetime",
            field="held_at",
        )
    return value.astimezone(SHANGHAI)


def _sheets(value: Iterable[SignInSheet]) -> tuple[SignInSheet, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, SignInSheet):
            raise DataFormatError("Expected SignInSheet records.", "应为签到表。", code=_BAD)
    return items


def _decisions(value: Iterable[Decision]) -> tuple[Decision, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, Decision):
            raise DataFormatError("Expected Decision records.", "应为决定记录。", code=_BAD)
    return items


@attrs.frozen(kw_only=True)
class Meeting:
    """A meeting held in a residential area, as recorded (会议记录).

    Attributes:
        id: Stable id.
        area: The residential area (or other node) whose meeting it is.
        kind: What kind of meeting.
        title_zh: Its title.
        agenda: The agenda items (议程), at least one.
        notice: The notice given, if any.
        held_at: When it was held (aware; kept in Asia/Shanghai).
        mode: For a residents' meeting, how it is composed (会议组成方式).
        attendees: Resident ids signed in in person (e.g. on the platform).
        sheets: Counted paper sign-in sheets; their attendees count too.
        minutes: The minutes (会议纪要), if written.
        decisions: The decisions taken.
        quorum: The quorum verdict, once :func:`judge_attendance` has judged it.

    Raises:
        DataFormatError: ``meeting.invalid`` for a malformed field, an empty agenda or
            notice given after the meeting; ``time.naive_datetime`` for a naive time.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> m = Meeting(id="m1", area="a1", kind=MeetingKind.HEARING, title_zh="加装电梯听证会",
        ...             agenda=["加装电梯方案"],
        ...             held_at=datetime(2025, 4, 2, 19, tzinfo=ZoneInfo("Asia/Shanghai")),
        ...             attendees=["r1"], sheets=[SignInSheet(reference="S1", counted_by="w1",
        ...                                                  attendees=["r1", "r2"])])
        >>> m.present(), m.held_on
        (('r1', 'r2'), datetime.date(2025, 4, 2))
    """

    id: str = attrs.field(validator=_id)
    area: str = attrs.field(validator=_id)
    kind: MeetingKind
    title_zh: str = attrs.field(validator=_text)
    agenda: tuple[str, ...] = attrs.field(converter=_strings)
    held_at: datetime = attrs.field(converter=_held_at)
    notice: Notice | None = None
    mode: MeetingMode | None = None
    attendees: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    sheets: tuple[SignInSheet, ...] = attrs.field(default=(), converter=_sheets)
    minutes: str | None = None
    decisions: tuple[Decision, ...] = attrs.field(default=(), converter=_decisions)
    quorum: Verdict | None = None

    def __attrs_post_init__(self) -> None:
        if not self.agenda:
            raise DataFormatError(
                f"Meeting {self.id!r} has no agenda.",
                f"会议 {self.id!r} 没有议程。",
                code=_BAD,
                field="agenda",
            )
        if self.notice is not None and self.notice.given_on > self.held_at.date():
            raise DataFormatError(
                f"Meeting {self.id!r}: notice given after the meeting.",
                f"会议 {self.id!r} 的告知晚于会议召开。",
                code=_BAD,
                field="notice",
            )

    @property
    def held_on(self) -> date:
        """The day held, in Asia/Shanghai."""
        return self.held_at.date()

    def present(self) -> tuple[str, ...]:
        """Everyone present: in-person attendees and those on counted sheets, once each.

        Example:
            >>> from datetime import datetime, timezone
            >>> Meeting(id="m", area="a", kind=MeetingKind.EVALUATION, title_zh="评议会",
            ...         agenda=["x"], held_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
            ...         attendees=["r2", "r1"]).present()
            ('r1', 'r2')
        """
        names = set(self.attendees)
        for sheet in self.sheets:
            names.update(sheet.attendees)
        return tuple(sorted(names))

    def decided(self) -> Mapping[str, tuple[str, ...]]:
        """Subject id (project or topic) → the ids of the decisions about it.

        Example:
            >>> from datetime import datetime, timezone
            >>> m = Meeting(id="m", area="a", kind=MeetingKind.COORDINATION, title_zh="协调会",
            ...             agenda=["x"], held_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
            ...             decisions=[Decision(id="d1", text_zh="同意", subjects=["p1"])])
            >>> dict(m.decided())
            {'p1': ('d1',)}
        """
        out: dict[str, list[str]] = {}
        for decision in self.decisions:
            for subject in decision.subjects:
                out.setdefault(subject, []).append(decision.id)
        return {k: tuple(v) for k, v in sorted(out.items())}


def judge_attendance(
    meeting: Meeting,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    family: str = "residents_meeting",
    presets: Mapping[str, QuorumPreset] = PRESETS,
) -> Meeting:
    """Count a residents' meeting's attendance against the roll and judge its quorum.

    Those present (in person and on counted sign-in sheets) are counted as the meeting
    mode counts: adults, households (any member present counts the household) or group
    representatives; only those the roll entitles at the meeting's area count.  The
    preset in force on the day held applies (:func:`~microgov.policy.preset_for`).

    Args:
        meeting: A residents' meeting with a ``mode``.
        roll: The roll on the day.
        hierarchy: The governance graph.
        family: The quorum preset family.
        presets: Where to look.

    Returns:
        The meeting with its ``quorum`` verdict (``quorum.met``/``quorum.not_met``,
        figures with ``decided_on`` and ``preset``, plus ``meeting``).

    Raises:
        PolicyError: ``meeting.no_quorum_rule`` for a meeting that is not a residents'
            meeting or has no mode; ``policy.no_preset_in_force``.
        NodeNotFound: If the area or a home is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.voting import Resident
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[Resident(id=f"r{i}", household=f"h{i}", home="b",
        ...                                 adult=True, verified=True) for i in range(4)])
        >>> m = Meeting(id="m", area="a", kind=MeetingKind.RESIDENTS_MEETING,
        ...             title_zh="年度居民会议", agenda=["年度工作报告"],
        ...             held_at=datetime(2015, 6, 1, 19, tzinfo=ZoneInfo("Asia/Shanghai")),
        ...             mode=MeetingMode.HOUSEHOLDS, attendees=["r0", "r1"],
        ...             sheets=[SignInSheet(reference="S1", counted_by="w", attendees=["r2"])])
        >>> v = judge_attendance(m, roll, h).quorum
        >>> v.code, v.figures["present"], v.figures["entitled"], v.figures["preset"]
        ('quorum.met', 3, 4, 'residents_meeting_2018')
    """
    if meeting.kind is not MeetingKind.RESIDENTS_MEETING or meeting.mode is None:
        raise PolicyError(
            f"Meeting {meeting.id!r} is not a residents' meeting with a mode; the law sets "
            "no quorum for it.",
            f"会议 {meeting.id!r} 不是注明组成方式的居民会议，法律未规定其法定人数。",
            code="meeting.no_quorum_rule",
            meeting=meeting.id,
        )
    mode = meeting.mode
    entitled = set(roll.entitled(hierarchy, scope=meeting.area, mode=mode))
    present_slots: set[str] = set()
    for rid in meeting.present():
        resident = roll.get(rid)
        if resident is None:
            continue
        slot = resident.household if mode is MeetingMode.HOUSEHOLDS else resident.id
        if slot in entitled:
            present_slots.add(slot)
    day = meeting.held_on
    preset = preset_for(family, day, presets=presets)
    verdict = quorum_met(
        preset, mode=mode, present=len(present_slots), entitled=len(entitled), on=day
    )
    verdict = attrs.evolve(verdict, figures={**verdict.figures, "meeting": meeting.id})
    return attrs.evolve(meeting, quorum=verdict)
