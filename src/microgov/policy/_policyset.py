"""Policy sets (政策参数): what a town sets and a community or residential area may override.

A :class:`PolicySet` holds every parameter the rules read (quorum family, meeting
mode, second hands, periods, tranches, caps …).  A :class:`PolicyBook` holds
effective-dated :class:`PolicyOverride` entries per node of the governance graph and
resolves, for a node and a day, the set in force there — inherited from the root
down, each level overriding what it sets.

None of the default values comes from a law: they are neutral starting points for a
town to replace with its own (see each field).
"""

from __future__ import annotations

import contextlib
import enum
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from microgov.calendar import Period, PeriodUnit
from microgov.errors import PolicyError, Problem
from microgov.policy._quorum import PRESETS, MeetingMode, QuorumPreset, preset_for

if TYPE_CHECKING:
    from microgov.hierarchy import Hierarchy

__all__ = [
    "DEFAULT_SOURCE",
    "POLICY_FIELDS",
    "PolicyBook",
    "PolicyEntry",
    "PolicyOverride",
    "PolicySet",
    "SecondHand",
]

DEFAULT_SOURCE: Final = "default"
"""The source :meth:`PolicyBook.resolve_explained` names for a value nobody overrode."""


class SecondHand(enum.Enum):
    """What happens to a second hand raised by the same household (一户一票).

    Example:
        >>> SecondHand("replace") is SecondHand.REPLACE
        True
    """

    REFUSE = "refuse"
    """The second hand is refused; the first one stands."""
    REPLACE = "replace"
    """The second hand replaces the first one."""


_DEFAULT_PATROL_WINDOWS: Final[tuple[tuple[time, time], ...]] = (
    (time(8, 30), time(9, 30)),
    (time(13, 30), time(14, 30)),
    (time(17, 0), time(18, 0)),
)
"""The default daily patrol windows, equal to ``microgov.sla.DEFAULT_WINDOWS``."""

_FOUR_HOURS: Final = timedelta(hours=4)
"""The default response target, equal to ``microgov.sla.FOUR_HOURS`` (reported average)."""

_ONE_MINUTE: Final = timedelta(minutes=1)


class _Targets(Mapping[str, timedelta]):
    """A read-only, hashable, picklable mapping of category → target, sorted by category.

    It compares equal to any mapping with the same items (``== {}`` when empty).
    """

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, timedelta]] = ()) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> timedelta:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __reduce__(self) -> tuple[type[_Targets], tuple[tuple[tuple[str, timedelta], ...]]]:
        return (_Targets, (tuple(self._items.items()),))


def _targets(value: Mapping[str, timedelta]) -> Mapping[str, timedelta]:
    if not isinstance(cast(object, value), Mapping):
        return value  # reported by validation
    items = list(value.items())
    with contextlib.suppress(TypeError):  # keys of mixed types: reported by validation
        items.sort()
    return _Targets(items)


def _optional_targets(value: Mapping[str, timedelta] | None) -> Mapping[str, timedelta] | None:
    return None if value is None else _targets(value)


def _window_tuple(value: Iterable[tuple[time, time]]) -> tuple[tuple[time, time], ...]:
    if isinstance(cast(object, value), str | bytes):
        return cast(tuple[tuple[time, time], ...], value)  # reported by validation
    try:
        items = tuple(value)
    except TypeError:
        return cast(tuple[tuple[time, time], ...], value)  # not iterable: reported
    return tuple(cast(tuple[time, time], tuple(w)) if isinstance(w, list) else w for w in items)


def _optional_window_tuple(
    value: Iterable[tuple[time, time]] | None,
) -> tuple[tuple[time, time], ...] | None:
    return None if value is None else _window_tuple(value)


def _fraction_tuple(value: Iterable[Fraction]) -> tuple[Fraction, ...]:
    try:
        return tuple(value)
    except TypeError:
        return cast(tuple[Fraction, ...], value)  # not iterable: reported by validation


def _optional_fraction_tuple(value: Iterable[Fraction] | None) -> tuple[Fraction, ...] | None:
    return None if value is None else _fraction_tuple(value)


def _is_int(value: object) -> bool:
    return type(value) is int


def _check_field(name: str, value: object) -> list[tuple[str, str]]:
    """Problems of one field's value, as (English, Chinese) messages; none if valid."""
    if name == "quorum_family":
        if not isinstance(value, str):
            return [("must be a string", "必须是字符串")]
        families = sorted({p.family for p in PRESETS.values()})
        if value not in families:
            known = ", ".join(families)
            return [
                (
                    f"unknown quorum family {value!r}; known: {known}",
                    f"未知的法定人数规则类别 {value!r}；可用：{known}",
                )
            ]
        return []
    if name == "meeting_mode":
        ok = isinstance(value, MeetingMode)
        return [] if ok else [("must be a MeetingMode", "必须是会议组成方式（MeetingMode）")]
    if name == "second_hand":
        ok = isinstance(value, SecondHand)
        return [] if ok else [("must be a SecondHand", "必须是 SecondHand（refuse 或 replace）")]
    if name in ("solicitation_period", "notice_period", "vote_period"):
        ok = isinstance(value, Period)
        return [] if ok else [("must be a Period", "必须是期限（Period）")]
    if name == "tranches":
        return _check_tranches(value)
    if name == "project_cap_fen":
        if value is None or (_is_int(value) and cast(int, value) >= 0):
            return []
        return [
            (
                f"must be a non-negative integer number of fen or None, got {value!r:.40}",
                "必须是非负整数（分）或不设上限",
            )
        ]
    if name == "min_support":
        if type(value) is Fraction and 0 <= value <= 1:
            return []
        return [
            (f"must be a Fraction between 0 and 1, got {value!r:.40}", "必须是 0 到 1 之间的分数")
        ]
    if name == "evaluation_pass_mark":
        if _is_int(value) and 0 <= cast(int, value) <= 100:
            return []
        return [(f"must be an integer from 0 to 100, got {value!r:.40}", "必须是 0 到 100 的整数")]
    if name == "ranking_min_sample":
        if _is_int(value) and cast(int, value) >= 0:
            return []
        return [(f"must be a non-negative integer, got {value!r:.40}", "必须是非负整数")]
    if name == "patrol_windows":
        return _check_windows(value)
    if name == "owners_decide_common_parts":
        ok = type(value) is bool
        return [] if ok else [(f"must be True or False, got {value!r:.40}", "必须是 True 或 False")]
    if name == "patrols_on_working_days_only":
        ok = type(value) is bool
        return [] if ok else [(f"must be True or False, got {value!r:.40}", "必须是 True 或 False")]
    if name == "response_target":
        return _check_minutes("the target", "目标时长", value)
    if name == "category_targets":
        return _check_category_targets(value)
    raise AssertionError(name)  # pragma: no cover - every field is listed above


def _hhmm(value: time) -> str:
    return f"{value:%H:%M}" if value.second == value.microsecond == 0 else value.isoformat()


def _check_windows(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, tuple) or not value:
        return [
            (
                "must be a non-empty list of (start, end) local times",
                "必须是非空的（开始, 结束）当地时刻列表",
            )
        ]
    out: list[tuple[str, str]] = []
    shaped: dict[int, tuple[time, time]] = {}
    for i, window in enumerate(value):
        if (
            not isinstance(window, tuple)
            or len(window) != 2
            or not all(type(t) is time and t.tzinfo is None for t in window)
        ):
            out.append(
                (
                    f"window {i} must be a (start, end) pair of local times without a time "
                    f"zone, got {window!r:.60}",
                    f"第 {i} 个巡查时段必须是不带时区的（开始, 结束）当地时刻",
                )
            )
            continue
        start, end = shaped[i] = window
        if any(t.second or t.microsecond for t in window):
            out.append(
                (
                    f"window {i} must start and end on a whole minute, got "
                    f"{_hhmm(start)}-{_hhmm(end)}",
                    f"第 {i} 个巡查时段的起止时刻必须是整分钟",
                )
            )
        elif end <= start:
            out.append(
                (
                    f"window {i} must end after it starts, got {_hhmm(start)}-{_hhmm(end)}",
                    f"第 {i} 个巡查时段 {_hhmm(start)}-{_hhmm(end)} 的结束时刻必须晚于开始时刻",
                )
            )
    for i, j in pairwise(range(len(value))):
        before, after = shaped.get(i), shaped.get(j)
        if before is not None and after is not None and after[0] < before[1]:
            a = f"{_hhmm(before[0])}-{_hhmm(before[1])}"
            b = f"{_hhmm(after[0])}-{_hhmm(after[1])}"
            out.append(
                (
                    f"windows must be in order and must not overlap: window {i} {a} "
                    f"then window {j} {b}",
                    f"巡查时段必须按时间顺序排列且互不重叠：第 {i} 个 {a} 之后是第 {j} 个 {b}",
                )
            )
    return out


def _check_minutes(what_en: str, what_zh: str, value: object) -> list[tuple[str, str]]:
    if type(value) is not timedelta or value <= timedelta(0) or value % _ONE_MINUTE:
        return [
            (
                f"{what_en} must be a positive timedelta of whole minutes, got {value!r:.60}",
                f"{what_zh}必须是正的整分钟时长（timedelta）",
            )
        ]
    return []


def _check_category_targets(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, Mapping):
        return [
            (
                f"must map a category to a timedelta, got {value!r:.40}",
                "必须是“类别 → 时长”的映射",
            )
        ]
    out: list[tuple[str, str]] = []
    for key, target in cast(Mapping[object, object], value).items():
        if type(key) is not str or not key:
            out.append(
                (
                    f"a category must be a non-empty string, got {key!r:.40}",
                    f"类别必须是非空字符串，而不是 {key!r:.40}",
                )
            )
        else:
            out.extend(
                _check_minutes(f"the target of {key!r:.40}", f"类别 {key!r:.40} 的目标", target)
            )
    return out


def _check_tranches(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, tuple) or not value:
        return [("must be a non-empty list of shares", "必须是非空的比例列表")]
    out: list[tuple[str, str]] = []
    for i, share in enumerate(value):
        if type(share) is not Fraction:
            out.append(
                (f"share {i} must be a Fraction, got {share!r:.40}", f"第 {i} 期比例必须是分数")
            )
        elif share <= 0:
            out.append((f"share {i} must be more than 0, got {share}", f"第 {i} 期比例必须大于 0"))
    if not out:
        total = sum(value, Fraction(0))
        if total != 1:
            out.append(
                (
                    f"shares must sum to exactly 1, got {total}",
                    f"各期比例之和必须恰好为 1，而不是 {total}",
                )
            )
    return out


def _raise_if_problems(kind: str, problems: list[Problem]) -> None:
    if not problems:
        return
    listing = "".join(f"\n  - {p.message_en}" for p in problems)
    listing_zh = "；".join(p.message_zh for p in problems)
    raise PolicyError(
        f"Invalid {kind}: {len(problems)} problem(s):{listing}",
        f"{kind} 有 {len(problems)} 处错误：{listing_zh}。",
        code="policy.invalid",
        fields=tuple(p.field for p in problems),
        problems=tuple(problems),
    )


def _problem(kind: str, name: str, en: str, zh: str) -> Problem:
    return Problem(
        code="policy.invalid_field",
        message_en=f"'{name}': {en}",
        message_zh=f"“{name}”：{zh}",
        subject=kind,
        field=name,
    )


def _mode_problem(family: str, mode: MeetingMode) -> Problem | None:
    family_presets = [p for p in PRESETS.values() if p.family == family]
    if not family_presets or any(mode in p.quorum for p in family_presets):
        return None
    return _problem(
        "PolicySet",
        "meeting_mode",
        f"{mode.value!r} is not allowed by quorum family {family!r}",
        f"“{mode.label_zh}”不是 {family!r} 规则允许的会议组成方式",
    )


@attrs.frozen(kw_only=True)
class PolicySet:
    """The parameters the rules read, as a town sets them (or as resolved for a node).

    Every field is checked when the set is built; a set with a bad field never
    exists.  Change one with :func:`attrs.evolve` (checked again) or resolve one from
    a :class:`PolicyBook`.

    Attributes:
        quorum_family: The quorum preset family (``'residents_meeting'`` or
            ``'village_meeting'``); the preset in force on a day is
            :meth:`quorum_preset`.
        meeting_mode: How a residents' meeting is composed; must be a mode the family
            allows (default: household representatives, 每户派代表).
        second_hand: What a second hand from the same household does (default: refused).
        solicitation_period: How long opinions are solicited (意见征集); default
            7 calendar days.
        notice_period: How long a result is publicly noticed (公示期); default 5
            working days.  No Shanghai-wide figure exists: set your own.
        tranches: The shares of a grant paid per stage, exact and summing to exactly 1
            (default: one payment).
        project_cap_fen: The largest grant to one project in fen (分), or None for no cap.
        min_support: The share of households whose hands are needed on top of the
            quorum (default 0: the quorum and majority alone decide).
        vote_period: How long a hand-raising vote stays open from when it opens
            (default 3 calendar days; the service closes the window by it).
        evaluation_pass_mark: The mean score (0–100) the residents' evaluation (评价) of a
            project must reach to pass (default 60: a setting, not a law).
        ranking_min_sample: How many topics an area needs before it is ranked (default 10).
        patrol_windows: The daily patrol windows (一日三巡) as ``(start, end)`` pairs of
            naive local clock times on whole minutes, ``[start, end)``, in order and not
            overlapping (touching is allowed); at least one.  Default: 08:30–09:30,
            13:30–14:30, 17:00–18:00, the same as ``microgov.sla.DEFAULT_WINDOWS``
            (illustrative clock times, not from a published source).
        patrols_on_working_days_only: Patrol on working days only (default True, make-up
            working days included) or every day (False).
        response_target: How long after a patrol first sees a topic it is due an answer,
            a positive timedelta of whole minutes.  Default 4 hours: the 美兰西湖
            community's own reported *average* response time
            (``microgov.sla.AVERAGE_RESPONSE_CITATION``, ``verified=False``) — a
            parameter, not a law and not a legal deadline.
        category_targets: Targets of their own per topic category (read-only,
            sorted by category; default none).  An override replaces the whole mapping.
        owners_decide_common_parts: Whether a micro-project that touches the owners'
            common parts (共有部分, e.g. charging posts in a common area) must be decided
            by the owners (业主共同决定, 民法典 第二百七十八条) instead of a residents'
            vote (default False); see :meth:`vote_family`.

    Raises:
        PolicyError: ``policy.invalid`` listing every bad field in
            ``details["problems"]`` (one :class:`~microgov.errors.Problem` each) and
            their names in ``details["fields"]``.

    Example:
        >>> from fractions import Fraction
        >>> ps = PolicySet(tranches=(Fraction(1, 2), Fraction(1, 2)))
        >>> ps.notice_period, ps.meeting_mode.value
        (Period(amount=5, unit=<PeriodUnit.WORKING_DAYS: 'working_days'>), 'households')
        >>> PolicySet(tranches=(Fraction(1, 2), Fraction(1, 3)), project_cap_fen=-1)
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Invalid PolicySet: 2 problem(s):
          - 'tranches': shares must sum to exactly 1, got 5/6
          - 'project_cap_fen': must be a non-negative integer ...

        The response SLA's fields (read by ``microgov.sla.SlaPolicy.from_policy_set``):

        >>> from datetime import time, timedelta
        >>> ps = PolicySet(patrol_windows=((time(9), time(10)), (time(15), time(16))),
        ...                category_targets={"safety": timedelta(hours=1)})
        >>> ps.response_target, ps.patrols_on_working_days_only, ps.category_targets
        (datetime.timedelta(seconds=14400), True, {'safety': datetime.timedelta(seconds=3600)})
        >>> PolicySet(patrol_windows=((time(9), time(10)), (time(9, 30), time(11)), (time(12), time(12))),
        ...           response_target=timedelta(0))
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Invalid PolicySet: 3 problem(s):
          - 'patrol_windows': window 2 must end after it starts, got 12:00-12:00
          - 'patrol_windows': windows must be in order and must not overlap: window 0 09:00-10:00 then window 1 09:30-11:00
          - 'response_target': the target must be a positive timedelta of whole minutes, ...
    """  # noqa: E501

    quorum_family: str = "residents_meeting"
    meeting_mode: MeetingMode = MeetingMode.HOUSEHOLDS
    second_hand: SecondHand = SecondHand.REFUSE
    solicitation_period: Period = Period(7, PeriodUnit.CALENDAR_DAYS)
    notice_period: Period = Period(5, PeriodUnit.WORKING_DAYS)
    tranches: tuple[Fraction, ...] = attrs.field(default=(Fraction(1),), converter=_fraction_tuple)
    project_cap_fen: int | None = None
    min_support: Fraction = Fraction(0)
    vote_period: Period = Period(3, PeriodUnit.CALENDAR_DAYS)
    evaluation_pass_mark: int = 60
    ranking_min_sample: int = 10
    patrol_windows: tuple[tuple[time, time], ...] = attrs.field(
        default=_DEFAULT_PATROL_WINDOWS, converter=_window_tuple
    )
    patrols_on_working_days_only: bool = True
    response_target: timedelta = _FOUR_HOURS
    category_targets: Mapping[str, timedelta] = attrs.field(factory=_Targets, converter=_targets)
    owners_decide_common_parts: bool = False

    def __attrs_post_init__(self) -> None:
        problems = [
            _problem("PolicySet", name, en, zh)
            for name in POLICY_FIELDS
            for en, zh in _check_field(name, getattr(self, name))
        ]
        if not problems:
            mode_problem = _mode_problem(self.quorum_family, self.meeting_mode)
            if mode_problem is not None:
                problems.append(mode_problem)
        _raise_if_problems("PolicySet", problems)

    def quorum_preset(self, on: date) -> QuorumPreset:
        """The quorum preset of :attr:`quorum_family` in force on ``on``.

        Raises:
            PolicyError: ``policy.no_preset_in_force`` if none is in force that day.

        Example:
            >>> from datetime import date
            >>> PolicySet().quorum_preset(date(2026, 3, 1)).key
            'residents_meeting_2025'
        """
        return preset_for(self.quorum_family, on)

    def vote_family(self, *, touches_common_parts: bool) -> str:
        """Which vote decides a micro-project: the residents' or the owners'.

        Args:
            touches_common_parts: Whether the project changes or uses the owners'
                common parts (共有部分).

        Returns:
            ``'owners_decision'`` (judged with :func:`owners_decision`) when the project
            touches common parts and :attr:`owners_decide_common_parts` is set;
            otherwise :attr:`quorum_family`.

        Example:
            >>> PolicySet().vote_family(touches_common_parts=True)
            'residents_meeting'
            >>> PolicySet(owners_decide_common_parts=True).vote_family(touches_common_parts=True)
            'owners_decision'
        """
        if touches_common_parts and self.owners_decide_common_parts:
            return "owners_decision"
        return self.quorum_family


POLICY_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in attrs.fields(PolicySet))
"""The names of the fields of :class:`PolicySet` (and :class:`PolicyOverride`), in order.

Example:
    >>> POLICY_FIELDS[:2]
    ('quorum_family', 'meeting_mode')
"""


@attrs.frozen(kw_only=True)
class PolicyOverride:
    """The fields of a :class:`PolicySet` that one node sets; None means "inherit".

    Each field given is checked as in :class:`PolicySet`; whether the fields fit
    together (a meeting mode the family allows) is checked when a set is resolved.
    A cap set higher up cannot be lifted to "no cap" below (None means inherit); set
    a larger cap instead.

    Attributes:
        quorum_family: See :class:`PolicySet`.
        meeting_mode: See :class:`PolicySet`.
        second_hand: See :class:`PolicySet`.
        solicitation_period: See :class:`PolicySet`.
        notice_period: See :class:`PolicySet`.
        tranches: See :class:`PolicySet`.
        project_cap_fen: See :class:`PolicySet`.
        min_support: See :class:`PolicySet`.
        vote_period: See :class:`PolicySet`.
        evaluation_pass_mark: See :class:`PolicySet`.
        ranking_min_sample: See :class:`PolicySet`.
        patrol_windows: See :class:`PolicySet`.
        patrols_on_working_days_only: See :class:`PolicySet`.
        response_target: See :class:`PolicySet`.
        category_targets: See :class:`PolicySet`; replaces the inherited mapping whole.
        owners_decide_common_parts: See :class:`PolicySet`.

    Raises:
        PolicyError: ``policy.invalid`` listing every bad field.

    Example:
        >>> o = PolicyOverride(notice_period=Period(7, PeriodUnit.WORKING_DAYS))
        >>> o.fields_set()
        ('notice_period',)
    """

    quorum_family: str | None = None
    meeting_mode: MeetingMode | None = None
    second_hand: SecondHand | None = None
    solicitation_period: Period | None = None
    notice_period: Period | None = None
    tranches: tuple[Fraction, ...] | None = attrs.field(
        default=None, converter=_optional_fraction_tuple
    )
    project_cap_fen: int | None = None
    min_support: Fraction | None = None
    vote_period: Period | None = None
    evaluation_pass_mark: int | None = None
    ranking_min_sample: int | None = None
    patrol_windows: tuple[tuple[time, time], ...] | None = attrs.field(
        default=None, converter=_optional_window_tuple
    )
    patrols_on_working_days_only: bool | None = None
    response_target: timedelta | None = None
    category_targets: Mapping[str, timedelta] | None = attrs.field(
        default=None, converter=_optional_targets
    )
    owners_decide_common_parts: bool | None = None

    def __attrs_post_init__(self) -> None:
        problems = [
            _problem("PolicyOverride", name, en, zh)
            for name in POLICY_FIELDS
            if getattr(self, name) is not None
            for en, zh in _check_field(name, getattr(self, name))
        ]
        _raise_if_problems("PolicyOverride", problems)

    def fields_set(self) -> tuple[str, ...]:
        """The names of the fields this override sets, in :data:`POLICY_FIELDS` order.

        Example:
            >>> PolicyOverride().fields_set()
            ()
        """
        return tuple(name for name in POLICY_FIELDS if getattr(self, name) is not None)


def _check_node_id(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise PolicyError(
            f"A policy entry's node_id must be a non-empty string, got {value!r:.40}.",
            "政策条目的节点编号必须是非空字符串。",
            code="policy.bad_entry",
            field="node_id",
        )


def _check_day(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise PolicyError(
            f"A policy entry's effective_from must be a date, got {value!r:.40}.",
            "政策条目的生效日期必须是日期（date）。",
            code="policy.bad_entry",
            field="effective_from",
        )


def _check_override(
    instance: object, attribute: attrs.Attribute[PolicyOverride], value: object
) -> None:
    if not isinstance(value, PolicyOverride):
        raise PolicyError(
            f"A policy entry's overrides must be a PolicyOverride, got {type(value).__name__}.",
            "政策条目的参数必须是 PolicyOverride。",
            code="policy.bad_entry",
            field="overrides",
        )


@attrs.frozen(kw_only=True)
class PolicyEntry:
    """What one node of the governance graph sets, from one day on.

    Attributes:
        node_id: The node (a town, large community, residential area, grid …).
        effective_from: The first day the overrides apply; they apply until the
            node's next entry.
        overrides: The fields the node sets.

    Raises:
        PolicyError: ``policy.bad_entry`` for an empty node id, a non-date or a
            non-override.

    Example:
        >>> from datetime import date
        >>> e = PolicyEntry(node_id="luodian", effective_from=date(2024, 1, 1),
        ...                 overrides=PolicyOverride(project_cap_fen=5_000_000))
        >>> e.overrides.project_cap_fen
        5000000
    """

    node_id: str = attrs.field(validator=_check_node_id)
    effective_from: date = attrs.field(validator=_check_day)
    overrides: PolicyOverride = attrs.field(validator=_check_override)


def _sorted_entries(entries: Iterable[PolicyEntry]) -> tuple[PolicyEntry, ...]:
    items = tuple(entries)
    for item in items:
        if not isinstance(item, PolicyEntry):
            raise PolicyError(
                f"A policy book holds PolicyEntry values, got {type(item).__name__}.",
                "政策簿只能包含 PolicyEntry。",
                code="policy.bad_entry",
            )
    return tuple(sorted(items, key=lambda e: (e.node_id, e.effective_from)))


_Index = Mapping[str, tuple[tuple[date, ...], tuple[PolicyOverride, ...]]]


def _check_defaults(instance: object, attribute: attrs.Attribute[PolicySet], value: object) -> None:
    if not isinstance(value, PolicySet):
        raise PolicyError(
            f"A policy book's defaults must be a PolicySet, got {type(value).__name__}.",
            "政策簿的默认值必须是 PolicySet。",
            code="policy.bad_defaults",
        )


@attrs.frozen(kw_only=True)
class PolicyBook:
    """Effective-dated policy entries per node, resolved down the governance graph.

    Entries are kept sorted by node and date; two entries of one node on one day
    are refused.

    Attributes:
        defaults: The values before any node sets anything.
        entries: The entries, sorted by ``(node_id, effective_from)``.

    Raises:
        PolicyError: ``policy.duplicate_entry`` for two entries of one node and day.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy([Node(id="town", level=Level.TOWN, name="罗店镇"),
        ...                Node(id="a1", level=Level.RESIDENTIAL_AREA, name="一", parent="town"),
        ...                Node(id="a2", level=Level.RESIDENTIAL_AREA, name="二", parent="town")])
        >>> book = PolicyBook().add("town", date(2024, 1, 1),
        ...     PolicyOverride(notice_period=Period(5, PeriodUnit.WORKING_DAYS))
        ... ).add("a1", date(2025, 1, 1),
        ...     PolicyOverride(notice_period=Period(7, PeriodUnit.WORKING_DAYS)))
        >>> str(book.resolve(h, "a1", date(2024, 12, 31)).notice_period)
        '5 working days'
        >>> str(book.resolve(h, "a1", date(2025, 1, 1)).notice_period)
        '7 working days'
        >>> str(book.resolve(h, "a2", date(2025, 1, 1)).notice_period)
        '5 working days'
    """

    defaults: PolicySet = attrs.field(factory=PolicySet, validator=_check_defaults)
    entries: tuple[PolicyEntry, ...] = attrs.field(default=(), converter=_sorted_entries)
    _index: _Index = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, tuple[list[date], list[PolicyOverride]]] = {}
        problems: list[Problem] = []
        for entry in self.entries:
            days, overrides = index.setdefault(entry.node_id, ([], []))
            if days and days[-1] == entry.effective_from:
                problems.append(
                    Problem(
                        code="policy.duplicate_entry",
                        message_en=(
                            f"two entries for {entry.node_id!r} "
                            f"from {entry.effective_from.isoformat()}"
                        ),
                        message_zh=(
                            f"节点 {entry.node_id!r} 在 {entry.effective_from.isoformat()} "
                            "有两条政策条目"
                        ),
                        subject=entry.node_id,
                        field="effective_from",
                    )
                )
            days.append(entry.effective_from)
            overrides.append(entry.overrides)
        if problems:
            raise PolicyError(
                "A policy book has duplicate entries: "
                + "; ".join(p.message_en for p in problems)
                + ".",
                "政策簿存在重复条目：" + "；".join(p.message_zh for p in problems) + "。",
                code="policy.duplicate_entry",
                problems=tuple(problems),
            )
        frozen = {node: (tuple(d), tuple(o)) for node, (d, o) in index.items()}
        object.__setattr__(self, "_index", frozen)  # private, never handed out

    def add(self, node_id: str, effective_from: date, overrides: PolicyOverride) -> PolicyBook:
        """A new book with one more entry; this one is unchanged.

        Args:
            node_id: The node that sets the values.
            effective_from: The first day they apply.
            overrides: The values.

        Returns:
            The new book.

        Raises:
            PolicyError: If the node already has an entry on that day, or the entry is bad.

        Example:
            >>> from datetime import date
            >>> len(PolicyBook().add("town", date(2024, 1, 1), PolicyOverride()).entries)
            1
        """
        entry = PolicyEntry(node_id=node_id, effective_from=effective_from, overrides=overrides)
        return PolicyBook(defaults=self.defaults, entries=(*self.entries, entry))

    def effective(self, node_id: str, on: date) -> PolicyOverride | None:
        """The overrides ``node_id`` itself sets on ``on``: its latest entry on or before it.

        Args:
            node_id: The node.
            on: The day.

        Returns:
            The overrides, or None if the node has no entry in force that day.

        Example:
            >>> from datetime import date
            >>> book = PolicyBook().add("t", date(2025, 1, 1), PolicyOverride(min_support=None))
            >>> book.effective("t", date(2024, 12, 31)) is None
            True
            >>> book.effective("t", date(2025, 1, 1))
            PolicyOverride(quorum_family=None, ...)

        Complexity:
            O(log k) for k entries of the node.
        """
        found = self._index.get(node_id)
        if found is None:
            return None
        days, overrides = found
        i = bisect_right(days, on)
        return overrides[i - 1] if i else None

    def resolve_explained(
        self, hierarchy: Hierarchy, node_id: str, on: date
    ) -> tuple[PolicySet, Mapping[str, str]]:
        """The policy set in force at ``node_id`` on ``on``, and where each value came from.

        Starts from :attr:`defaults`, then applies, from the root down to the node
        itself, each node's entry in force on ``on`` (:meth:`effective`).  The tree
        is the hierarchy as given: pass ``hierarchy.as_of(on)`` if it has changed.

        Args:
            hierarchy: The governance graph.
            node_id: The node.
            on: The day.

        Returns:
            The set, and a read-only mapping from each field name to the id of the node
            that set it, or :data:`DEFAULT_SOURCE` (``'default'``).

        Raises:
            NodeNotFound: If ``node_id`` is not in the hierarchy.
            PolicyError: ``policy.invalid`` if the values combined do not fit together
                (e.g. a meeting mode the inherited quorum family does not allow);
                ``details`` names the node and day.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> book = PolicyBook().add("luodian", date(2024, 1, 1),
            ...                         PolicyOverride(ranking_min_sample=20))
            >>> ps, source = book.resolve_explained(meilan_xihu(), "grid-01-1", date(2025, 1, 1))
            >>> ps.ranking_min_sample, source["ranking_min_sample"], source["notice_period"]
            (20, 'luodian', 'default')

        Complexity:
            O(depth × (log k + fields)).
        """
        chain = [node.id for node in reversed(hierarchy.ancestors(node_id))]
        chain.append(node_id)
        changes: dict[str, Any] = {}
        sources = dict.fromkeys(POLICY_FIELDS, DEFAULT_SOURCE)
        for nid in chain:
            override = self.effective(nid, on)
            if override is None:
                continue
            for name in override.fields_set():
                changes[name] = getattr(override, name)
                sources[name] = nid
        try:
            resolved = attrs.evolve(self.defaults, **changes)
        except PolicyError as err:
            raise PolicyError(
                f"The policy resolved for {node_id!r} on {on.isoformat()} is invalid: "
                f"{err.message_en}",
                f"{on.isoformat()} 节点 {node_id!r} 的政策参数无效：{err.message_zh}",
                code=err.code,
                node_id=node_id,
                on=on,
                sources=MappingProxyType(sources),
                **err.details,
            ) from None
        return resolved, MappingProxyType(sources)

    def resolve(self, hierarchy: Hierarchy, node_id: str, on: date) -> PolicySet:
        """The policy set in force at ``node_id`` on ``on`` (see :meth:`resolve_explained`).

        Raises:
            NodeNotFound: If ``node_id`` is not in the hierarchy.
            PolicyError: If the values combined do not fit together.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> PolicyBook().resolve(meilan_xihu(), "luodian", date(2025, 1, 1)) == PolicySet()
            True
        """
        return self.resolve_explained(hierarchy, node_id, on)[0]
