"""Grid duties as data: the kinds, their recurrence rules, and the records that fulfil them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from itertools import pairwise
from typing import Final

import attrs
from dateutil.rrule import rrule, rrulestr

from microgov._checks import aware_datetime, require_text
from microgov._time import SHANGHAI
from microgov._verdict import Citation
from microgov.errors import DataFormatError, PolicyError

__all__ = [
    "DEFAULT_DUTIES",
    "PRACTICE",
    "Duty",
    "DutyKind",
    "DutyRecord",
    "duty_schedule",
]


class DutyKind(enum.Enum):
    """The recurring duties of a grid leader (微网格长).

    The "four ones" (四个一) — a round of visits, a diary of residents' concerns,
    a paired household, a practical thing done — and the weekly patrol and clearing
    of the grid's problems (周周巡、周周清).

    Example:
        >>> DutyKind.DIARY.label_zh, DutyKind.DIARY.label_en
        ('民情日记', "residents' concerns diary")
        >>> DutyKind("patrol") is DutyKind.PATROL
        True
    """

    VISIT_ROUND = "visit_round"
    DIARY = "diary"
    PAIRED_HOUSEHOLD = "paired_household"
    PRACTICAL_THING = "practical_thing"
    PATROL = "patrol"
    CLEAR = "clear"

    @property
    def label_zh(self) -> str:
        """The Chinese name, e.g. ``'民情日记'``."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English name, e.g. ``"residents' concerns diary"``."""
        return _LABELS[self][1]


_LABELS: Final[dict[DutyKind, tuple[str, str]]] = {
    DutyKind.VISIT_ROUND: ("走访一轮", "round of visits"),
    DutyKind.DIARY: ("民情日记", "residents' concerns diary"),
    DutyKind.PAIRED_HOUSEHOLD: ("结对一户", "paired household contact"),
    DutyKind.PRACTICAL_THING: ("办一件实事", "practical thing done"),
    DutyKind.PATROL: ("周周巡", "grid patrol"),
    DutyKind.CLEAR: ("周周清", "grid problems cleared"),
}

PRACTICE: Final = Citation(
    source="美兰西湖大居微网格“四个一”与“周周巡、周周清”工作法（社区实践，据公开报道）",
    verified=False,
    note=(
        "Community practice as reported, not law: the 'four ones' (one round of visits a "
        "week, one diary, one paired household, one practical thing) and weekly patrol and "
        "clearing. The frequencies of the diary, the paired-household contact and the "
        "practical thing are not stated in the sources; they are parameters."
    ),
)
"""The source of the default duties: community practice, marked unverified (a parameter)."""

# RFC 5545 RRULE parts a duty's rule may use.  Periods are whole local days, so the
# rule must recur daily or slower and never name an hour, a minute or a second.
_MAX_COUNT: Final = 10_000
_YEARLY_PARTS: Final = frozenset({"BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"})
_FREQS: Final = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_PARTS: Final = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "WKST",
        "BYDAY",
        "BYMONTHDAY",
        "BYMONTH",
        "BYSETPOS",
        "BYWEEKNO",
        "BYYEARDAY",
    }
)


def _bad_rule(rule: object, why_en: str, why_zh: str) -> PolicyError:
    return PolicyError(
        f"Duty rule {rule!r} is not usable: {why_en}",
        f"职责周期规则 {rule!r} 不可用：{why_zh}",
        code="duties.bad_rule",
        rule=repr(rule),
    )


def _parse_rule(rule: object, anchor: date) -> rrule:
    if not isinstance(rule, str) or not rule.strip():
        raise _bad_rule(
            rule, "give an RFC 5545 RRULE such as 'FREQ=WEEKLY;BYDAY=MO'.", "须为 RRULE"
        )
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        key, sep, value = piece.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise _bad_rule(rule, f"part {piece!r} is not NAME=VALUE.", f"{piece!r} 不是 键=值")
        if key not in _PARTS:
            raise _bad_rule(
                rule,
                f"part {key} is not allowed (periods are whole days; allowed: "
                f"{', '.join(sorted(_PARTS))}).",
                f"不允许使用 {key}（周期以整日计）。",
            )
        if key in parts:
            raise _bad_rule(rule, f"part {key} appears twice.", f"{key} 重复出现。")
        parts[key] = value.strip().upper()
    if parts.get("FREQ") not in _FREQS:
        raise _bad_rule(
            rule,
            "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.",
            "FREQ 须为 DAILY、WEEKLY、MONTHLY 或 YEARLY。",
        )
    for key in ("INTERVAL", "COUNT"):
        number = parts.get(key)
        if number is not None and not (number.isdigit() and 1 <= int(number) <= _MAX_COUNT):
            raise _bad_rule(
                rule,
                f"{key} must be a whole number from 1 to {_MAX_COUNT}.",
                f"{key} 须为 1 到 {_MAX_COUNT} 之间的整数。",
            )
    if parts["FREQ"] in ("DAILY", "WEEKLY") and (_YEARLY_PARTS & parts.keys()):
        # dateutil would search day by day until year 9999 for a daily rule that never
        # matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30): refuse such parts outright.
        raise _bad_rule(
            rule,
            f"a {parts['FREQ']} rule may not use {', '.join(sorted(_YEARLY_PARTS))}.",
            f"{parts['FREQ']} 规则不能使用 {', '.join(sorted(_YEARLY_PARTS))}。",
        )
    first = datetime(anchor.year, anchor.month, anchor.day)
    try:
        parsed = rrulestr(text, dtstart=first)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _bad_rule(rule, f"{exc}.", f"无法解析（{exc}）。") from None
    if not isinstance(parsed, rrule):  # pragma: no cover - rrulestr of one RRULE is an rrule
        raise _bad_rule(rule, "give a single RRULE.", "须为单条 RRULE。")
    if parsed.after(first, inc=True) is None:
        raise _bad_rule(rule, "it never occurs.", "该规则从不发生。")
    return parsed


def _check_kind(_: object, __: attrs.Attribute[DutyKind], value: object) -> None:
    if not isinstance(value, DutyKind):
        raise PolicyError(
            f"kind must be a DutyKind, not {value!r}.",
            f"kind 须为 DutyKind，而不是 {value!r}。",
            code="duties.bad_definition",
            field="kind",
        )


def _check_anchor(_: object, __: attrs.Attribute[date], value: object) -> None:
    if type(value) is not date:
        raise PolicyError(
            f"anchor must be a date (not a datetime), not {value!r}.",
            f"anchor 须为日期（date），而不是 {value!r}。",
            code="duties.bad_definition",
            field="anchor",
        )


def _check_times(_: object, __: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        raise PolicyError(
            f"times must be a whole number ≥ 1, not {value!r}.",
            f"times 须为不小于 1 的整数，而不是 {value!r}。",
            code="duties.bad_definition",
            field="times",
        )


def _check_flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise PolicyError(
            f"{attribute.name} must be True or False, not {value!r}.",
            f"{attribute.name} 须为 True 或 False，而不是 {value!r}。",
            code="duties.bad_definition",
            field=attribute.name,
        )


def _check_source(_: object, __: attrs.Attribute[Citation], value: object) -> None:
    if not isinstance(value, Citation):
        raise PolicyError(
            f"source must be a Citation, not {value!r}.",
            f"source 须为 Citation，而不是 {value!r}。",
            code="duties.bad_definition",
            field="source",
        )


@attrs.frozen(kw_only=True)
class Duty:
    """One recurring duty of every grid leader (微网格长) of a micro-grid.

    The rule's occurrences, from ``anchor`` on, cut time into *due periods*: a
    period runs from one occurrence (inclusive, local midnight in Asia/Shanghai) to
    the next (exclusive), and the duty is fulfilled in it when the leader records it
    at least ``times`` times in it. A period is *due* on its last day; it is owed by
    every person holding :attr:`~microgov.hierarchy.Role.GRID_LEADER` at the grid on
    that day.

    Frequencies are community practice, not law: every field is a parameter (see
    :data:`PRACTICE`).

    Attributes:
        kind: The :class:`DutyKind` (one duty per kind in a schedule).
        rule: An RFC 5545 RRULE (``"FREQ=WEEKLY;BYDAY=MO"``); DAILY, WEEKLY, MONTHLY or
            YEARLY, no BYHOUR/BYMINUTE/BYSECOND (periods are whole days).
        anchor: The rule's start date (DTSTART); the first period starts at the first
            occurrence on or after it.
        times: How many records fulfil one period (default 1).
        skip_days_off: If True, a period without a single working day (a week of the
            Spring Festival holiday) is excused rather than due; the working-day
            calendar then decides, and raises
            :class:`~microgov.errors.CalendarError` for years it does not cover.
        source: Where the duty comes from (by default :data:`PRACTICE`, unverified).

    Raises:
        PolicyError: ``duties.bad_rule`` for a rule that cannot be used,
            ``duties.bad_definition`` for any other bad field.

    Example:
        >>> from datetime import date
        >>> d = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO", anchor=date(2026, 1, 1))
        >>> d.periods(date(2026, 1, 1), date(2026, 1, 20))
        ((datetime.date(2026, 1, 5), datetime.date(2026, 1, 12)),
         (datetime.date(2026, 1, 12), datetime.date(2026, 1, 19)))
        >>> Duty(kind=DutyKind.PATROL, rule="FREQ=HOURLY")
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Duty rule 'FREQ=HOURLY' is not usable: ... [duties.bad_rule]
    """

    kind: DutyKind = attrs.field(validator=_check_kind)
    rule: str
    anchor: date = attrs.field(default=date(2024, 1, 1), validator=_check_anchor)
    times: int = attrs.field(default=1, validator=_check_times)
    skip_days_off: bool = attrs.field(default=False, validator=_check_flag)
    source: Citation = attrs.field(default=PRACTICE, validator=_check_source)
    _parsed: rrule = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_parsed", _parse_rule(self.rule, self.anchor))

    def periods(self, start: date, end: date) -> tuple[tuple[date, date], ...]:
        """The due periods that end inside ``[start, end)``: those due in that window.

        A period ``(first, stop)`` covers the days ``first <= day < stop`` and is due
        on ``stop - 1 day``; it belongs to the window when ``start < stop <= end``.
        So adjacent windows share no period, and a window ending today does not count
        the period still running.

        Args:
            start: The window's first day.
            end: The day after the window's last day.

        Returns:
            ``(first day, day after the last day)`` pairs, in order.

        Raises:
            DataFormatError: ``duties.not_date`` / ``duties.bad_window`` for a bad window.

        Example:
            >>> from datetime import date
            >>> d = Duty(kind=DutyKind.PRACTICAL_THING, rule="FREQ=MONTHLY;BYMONTHDAY=1")
            >>> [f"{a:%m-%d}→{b:%m-%d}" for a, b in d.periods(date(2026, 1, 1), date(2026, 4, 1))]
            ['01-01→02-01', '02-01→03-01', '03-01→04-01']

        Complexity:
            O(k) for the k occurrences from ``anchor`` to ``end``.
        """
        _check_window(start, end)
        lo = datetime(start.year, start.month, start.day)
        hi = datetime(end.year, end.month, end.day)
        # One pass over the occurrences: the last one on or before ``lo``, then every
        # one up to ``hi`` (rrule's before() and between() would each start over).
        bounds: list[datetime] = []
        for occurrence in self._parsed:
            if occurrence > hi:
                break
            if occurrence <= lo:
                bounds = [occurrence]
            else:
                bounds.append(occurrence)
        return tuple((a.date(), b.date()) for a, b in pairwise(bounds))


def _check_window(start: date, end: date) -> None:
    """Refuse a reporting window that is not two dates with ``start < end``."""
    for name, value in (("start", start), ("end", end)):
        if type(value) is not date:
            raise DataFormatError(
                f"{name} must be a date (not a datetime), not {value!r}.",
                f"{name} 须为日期（date），而不是 {value!r}。",
                code="duties.not_date",
                field=name,
            )
    if not start < end:
        raise DataFormatError(
            f"The window is empty: start {start.isoformat()} is not before end {end.isoformat()}.",
            f"时间窗为空：开始 {start.isoformat()} 不早于结束 {end.isoformat()}。",
            code="duties.bad_window",
            start=start.isoformat(),
            end=end.isoformat(),
        )


_WEEKLY: Final = "FREQ=WEEKLY;BYDAY=MO"
_MONTHLY: Final = "FREQ=MONTHLY;BYMONTHDAY=1"

DEFAULT_DUTIES: Final[tuple[Duty, ...]] = (
    Duty(kind=DutyKind.VISIT_ROUND, rule=_WEEKLY),
    Duty(kind=DutyKind.DIARY, rule=_WEEKLY),
    Duty(kind=DutyKind.PAIRED_HOUSEHOLD, rule=_MONTHLY),
    Duty(kind=DutyKind.PRACTICAL_THING, rule=_MONTHLY),
    Duty(kind=DutyKind.PATROL, rule=_WEEKLY),
    Duty(kind=DutyKind.CLEAR, rule=_WEEKLY),
)
"""The default duties (community practice, parameters — see :data:`PRACTICE`).

Weekly (Monday to Sunday): a round of visits (走访), a diary entry (民情日记), a patrol
(周周巡) and the clearing of the grid's problems (周周清). Monthly (calendar month): a
contact with the paired household (结对) and one practical thing done (办实事). Every
period is due even in holiday weeks (``skip_days_off=False``): residents' needs do not
stop for the Spring Festival; set ``skip_days_off=True`` to excuse periods without a
working day.
"""


def duty_schedule(duties: Iterable[Duty]) -> tuple[Duty, ...]:
    """Check a set of duties and return it in :class:`DutyKind` order.

    Args:
        duties: The duties, at most one per kind.

    Returns:
        The duties, ordered as :class:`DutyKind` lists its members.

    Raises:
        PolicyError: ``duties.bad_definition`` for a value that is not a :class:`Duty`,
            ``duties.duplicate_kind`` for two duties of one kind.

    Example:
        >>> [d.kind.value for d in duty_schedule(reversed(DEFAULT_DUTIES))][:2]
        ['visit_round', 'diary']
    """
    seen: dict[DutyKind, Duty] = {}
    for duty in duties:
        if not isinstance(duty, Duty):
            raise PolicyError(
                f"A duty schedule holds Duty values, not {duty!r}.",
                f"职责表只能包含 Duty，而不是 {duty!r}。",
                code="duties.bad_definition",
            )
        if duty.kind in seen:
            raise PolicyError(
                f"Two duties of kind {duty.kind.value!r}; keep one per kind.",
                f"“{duty.kind.label_zh}”职责重复；每类只能有一条。",
                code="duties.duplicate_kind",
                kind=duty.kind.value,
            )
        seen[duty.kind] = duty
    order = list(DutyKind)
    return tuple(sorted(seen.values(), key=lambda d: order.index(d.kind)))


def _check_record_id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    require_text(value, attribute.name)


def _check_record_kind(_: object, __: attrs.Attribute[DutyKind], value: object) -> None:
    if not isinstance(value, DutyKind):
        raise DataFormatError(
            f"kind must be a DutyKind, not {value!r}.",
            f"kind 须为 DutyKind，而不是 {value!r}。",
            code="duties.bad_record",
            field="kind",
        )


def _check_at(_: object, __: attrs.Attribute[datetime], value: object) -> None:
    aware_datetime(value, "at")


@attrs.frozen(kw_only=True)
class DutyRecord:
    """A record that a person fulfilled a duty once: a visit made, a diary entry written.

    Attributes:
        id: A stable identifier.
        kind: The :class:`DutyKind` fulfilled.
        node: Where: the micro-grid or a node inside it (a building group).
        person: The pseudonymous id of the person who did it.
        at: When (timezone-aware); its day in Asia/Shanghai decides its period.

    Raises:
        DataFormatError: ``time.not_aware`` for a naive ``at``,
            ``duties.bad_record`` for another bad field.

    Example:
        >>> from datetime import datetime, timezone
        >>> r = DutyRecord(id="r-1", kind=DutyKind.PATROL, node="grid-01-1", person="p-1",
        ...                at=datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc))
        >>> r.day   # already 2 March in Shanghai
        datetime.date(2026, 3, 2)
        >>> DutyRecord(id="r-1", kind=DutyKind.PATROL, node="g", person="p",
        ...            at=datetime(2026, 3, 1))
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: at=2026-03-01T00:00:00 is a naive ...
    """

    id: str = attrs.field(validator=_check_record_id)
    kind: DutyKind = attrs.field(validator=_check_record_kind)
    node: str = attrs.field(validator=_check_record_id)
    person: str = attrs.field(validator=_check_record_id)
    at: datetime = attrs.field(validator=_check_at)

    @property
    def day(self) -> date:
        """The record's day in Asia/Shanghai."""
        return self.at.astimezone(SHANGHAI).date()
