"""Quorum presets (法定人数): who must be present at a meeting, and how many must agree.

Each preset encodes one statute's rule with its :class:`~microgov.policy.Citation`
and in-force dates, so that a rule taken from a law is a value one can cite.

References (each preset's citation quotes its article verbatim, see
:data:`microgov.policy.PROVISIONS`):
    - 中华人民共和国城市居民委员会组织法 (全国人民代表大会常务委员会, 1989-12-26 通过, in force
      1990-01-01, 2018-12-29 修正), 第九条第三款: "居民会议必须有全体十八周岁以上的居民、户的
      代表或者居民小组选举的代表的过半数出席，才能举行。会议的决定，由出席人的过半数通过。"
      Preset ``residents_meeting_2018``, in force 1990-01-01 to 2025-12-31.
    - 中华人民共和国城市居民委员会组织法 (2025-10-28 修订, in force 2026-01-01): chapter 4 (居民
      会议和居民代表会议) was not read; ``residents_meeting_2025`` repeats the 2018 parameters
      and is ``verified=False``.
    - 中华人民共和国村民委员会组织法 (2018-12-29 修正), 第二十二条: "召开村民会议，应当有本村十八
      周岁以上村民的过半数，或者本村三分之二以上的户的代表参加，村民会议所作决定应当经到会
      人员的过半数通过。" Preset ``village_meeting``, to 2025-12-31; its successor
      ``village_meeting_2025`` (2025-10-28 修正) is ``verified=False``.
    - 中华人民共和国民法典, 第一千二百五十九条: "民法所称的“以上”、“以下”、“以内”、“届满”，
      包括本数；所称的“不满”、“超过”、“以外”，不包括本数。" — why "三分之二以上" is an
      *inclusive* threshold and "过半数" (more than half) an exclusive one.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

import attrs

from microgov._verdict import Citation, Verdict
from microgov.errors import PolicyError
from microgov.policy._law import PROVISIONS

__all__ = [
    "CIVIL_CODE_INCLUSIVE_NUMBERS",
    "MAJORITY_RULE_PREFIX",
    "PRESETS",
    "QUORUM_RULE_PREFIX",
    "MeetingMode",
    "QuorumPreset",
    "Threshold",
    "custom_preset",
    "majority_met",
    "preset_for",
    "quorum_met",
]

QUORUM_RULE_PREFIX: Final = "quorum."
"""The prefix of every quorum rule's name (``quorum.<family>``, e.g.
``quorum.residents_meeting``): :func:`quorum_met` names its verdicts so, and the lifecycle's
``vote.passed`` guard looks for a verdict so named.
"""

MAJORITY_RULE_PREFIX: Final = "majority."
"""The prefix of every majority rule's name (``majority.<family>``), as :func:`majority_met`
names its verdicts and the ``vote.passed`` guard reads them.
"""

CIVIL_CODE_INCLUSIVE_NUMBERS: Final = Citation(
    source="中华人民共和国民法典",
    article="第一千二百五十九条",
    in_force_from=date(2021, 1, 1),
    note=(
        "民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；所称的“不满”、“超过”、“以外”，"
        "不包括本数。 'At least' (以上) includes the number itself; 'more than' (超过, 过半数) "
        "does not."
    ),
)
"""The rule that "…以上" (at least) includes the number itself and "超过" does not.

Example:
    >>> CIVIL_CODE_INCLUSIVE_NUMBERS.article
    '第一千二百五十九条'
"""


class MeetingMode(enum.Enum):
    """Who attends a residents' or villagers' meeting (会议组成方式).

    Example:
        >>> MeetingMode.HOUSEHOLDS.label_zh, MeetingMode.HOUSEHOLDS.label_en
        ('每户派代表', 'one representative per household')
    """

    ALL_ADULTS = "all_adults"
    """All residents aged 18 and over (全体十八周岁以上居民)."""
    HOUSEHOLDS = "households"
    """One representative per household (每户派代表)."""
    GROUP_REPRESENTATIVES = "group_representatives"
    """Two or three elected representatives per residents' group (每个居民小组选举代表二至三人)."""

    @property
    def label_zh(self) -> str:
        """The Chinese label, e.g. ``'每户派代表'``."""
        return _MODE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English label, e.g. ``'one representative per household'``."""
        return _MODE_LABELS[self][1]


_MODE_LABELS: Final[Mapping[MeetingMode, tuple[str, str]]] = MappingProxyType(
    {
        MeetingMode.ALL_ADULTS: ("全体十八周岁以上居民", "all residents aged 18 and over"),
        MeetingMode.HOUSEHOLDS: ("每户派代表", "one representative per household"),
        MeetingMode.GROUP_REPRESENTATIVES: (
            "每个居民小组选举代表二至三人",
            "two or three representatives per residents' group",
        ),
    }
)

_ZH_DIGITS: Final = "零一二三四五六七八九十"


def _check_share(instance: object, attribute: attrs.Attribute[Fraction], value: object) -> None:
    if type(value) is not Fraction:
        raise PolicyError(
            f"A threshold share must be a Fraction, got {type(value).__name__} {value!r:.40}.",
            f"比例必须是分数（Fraction），而不是 {type(value).__name__}。",
            code="policy.bad_share",
            value=repr(value),
        )
    if not 0 <= value <= 1:
        raise PolicyError(
            f"A threshold share must be between 0 and 1, got {value}.",
            f"比例必须在 0 与 1 之间，而不是 {value}。",
            code="policy.bad_share",
            value=str(value),
        )


def _check_flag(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise PolicyError(
            f"'{attribute.name}' must be True or False, got {value!r:.40}.",
            f"'{attribute.name}' 必须是 True 或 False。",
            code="policy.bad_flag",
            field=attribute.name,
        )


def _check_count(name: str, value: int) -> None:
    if type(value) is not int or value < 0:
        raise PolicyError(
            f"'{name}' must be a non-negative integer, got {value!r:.40}.",
            f"'{name}' 必须是非负整数，而不是 {value!r:.40}。",
            code="policy.bad_count",
            field=name,
        )


@attrs.frozen(kw_only=True)
class Threshold:
    """A share that a count must exceed ("more than", 超过) or reach ("at least", 以上).

    Chinese law counts "…以上" *including* the number itself and "超过"/"过半数"
    *excluding* it (民法典 第一千二百五十九条, see :data:`CIVIL_CODE_INCLUSIVE_NUMBERS`):
    "more than half" of 60 needs 31, "two thirds or more" of 60 needs 40.

    Attributes:
        share: The share, an exact :class:`~fractions.Fraction` between 0 and 1.
        inclusive: False for "more than" (过半数, 超过); True for "at least" (以上).

    Raises:
        PolicyError: If ``share`` is not a Fraction in [0, 1] or ``inclusive`` not a bool
            (code ``policy.bad_share`` / ``policy.bad_flag``).

    Example:
        >>> from fractions import Fraction
        >>> half = Threshold(share=Fraction(1, 2), inclusive=False)
        >>> half.met(30, 60), half.met(31, 60), half.required(60)
        (False, True, 31)
        >>> Threshold(share=Fraction(2, 3), inclusive=True).required(60)
        40
        >>> print(half.describe_en(), "/", half.describe_zh())
        more than 1/2 / 过半数
    """

    share: Fraction = attrs.field(validator=_check_share)
    inclusive: bool = attrs.field(validator=_check_flag)

    def met(self, count: int, total: int) -> bool:
        """Whether ``count`` out of ``total`` satisfies the threshold, in exact integers.

        ``count * den > num * total`` ("more than") or ``>=`` ("at least"); no
        division, no rounding, O(1).

        Args:
            count: Those present (or in favour); a non-negative integer.
            total: The denominator (those entitled, or present); a non-negative integer.

        Returns:
            True if the threshold is met.

        Raises:
            PolicyError: If a count is negative or not an integer (``policy.bad_count``).

        Example:
            >>> from fractions import Fraction
            >>> Threshold(share=Fraction(2, 3), inclusive=True).met(40, 60)
            True
            >>> Threshold(share=Fraction(2, 3), inclusive=False).met(40, 60)
            False
        """
        _check_count("count", count)
        _check_count("total", total)
        left = count * self.share.denominator
        right = self.share.numerator * total
        return left >= right if self.inclusive else left > right

    def required(self, total: int) -> int:
        """The smallest count that meets the threshold out of ``total``.

        May exceed ``total`` when nothing can meet it (e.g. "more than all").

        Args:
            total: The denominator; a non-negative integer.

        Returns:
            The minimum count.

        Raises:
            PolicyError: If ``total`` is negative or not an integer.

        Example:
            >>> from fractions import Fraction
            >>> Threshold(share=Fraction(1, 2), inclusive=False).required(61)
            31
        """
        _check_count("total", total)
        num, den = self.share.numerator, self.share.denominator
        if self.inclusive:
            return -((-num * total) // den)  # ceiling
        return (num * total) // den + 1

    def describe_en(self) -> str:
        """The threshold in English, e.g. ``'more than 1/2'`` or ``'at least 2/3'``."""
        return f"{'at least' if self.inclusive else 'more than'} {self.share}"

    def describe_zh(self) -> str:
        """The threshold in Chinese, e.g. ``'过半数'`` or ``'三分之二以上'``."""
        num, den = self.share.numerator, self.share.denominator
        if self.share == 1:
            part = "全部"
        elif self.share == Fraction(1, 2):
            part = "半数"
        else:
            part = f"{_ZH_DIGITS[den]}分之{_ZH_DIGITS[num]}" if den <= 10 else f"{den}分之{num}"
        if self.inclusive:
            return f"{part}以上（含本数）"
        return "过半数" if part == "半数" else f"超过{part}"


HALF: Final = Threshold(share=Fraction(1, 2), inclusive=False)
TWO_THIRDS_OR_MORE: Final = Threshold(share=Fraction(2, 3), inclusive=True)


def _frozen_quorum(value: Mapping[MeetingMode, Threshold]) -> Mapping[MeetingMode, Threshold]:
    checked: object = value
    if not isinstance(checked, Mapping):
        return value  # reported by the validator
    return MappingProxyType(dict(value))


def _check_quorum(
    instance: object,
    attribute: attrs.Attribute[Mapping[MeetingMode, Threshold]],
    value: object,
) -> None:
    if not isinstance(value, Mapping) or not value:
        raise PolicyError(
            "A quorum preset's quorum must map at least one MeetingMode to a Threshold.",
            "法定人数规则至少须允许一种会议组成方式（MeetingMode → Threshold）。",
            code="policy.no_meeting_mode",
        )
    for mode, threshold in value.items():
        if not isinstance(mode, MeetingMode) or not isinstance(threshold, Threshold):
            raise PolicyError(
                f"A quorum maps a MeetingMode to a Threshold, got {mode!r:.40}: {threshold!r:.40}.",
                "法定人数须为“会议组成方式 → 比例”的对应关系。",
                code="policy.bad_quorum",
            )


def _check_threshold(
    instance: object, attribute: attrs.Attribute[Threshold], value: object
) -> None:
    if not isinstance(value, Threshold):
        raise PolicyError(
            f"'{attribute.name}' must be a Threshold, got {type(value).__name__}.",
            f"'{attribute.name}' 必须是 Threshold。",
            code="policy.bad_threshold",
            field=attribute.name,
        )


@attrs.frozen(kw_only=True)
class QuorumPreset:
    """A meeting rule from a statute: the quorum per meeting mode and the majority.

    Attributes:
        key: The preset's stable key, e.g. ``'residents_meeting_2018'``.
        family: Presets of one family are successive versions of one rule (the 2018 and
            2025 texts of the residents' committee law share ``'residents_meeting'``).
        name_zh: The Chinese name, e.g. ``'居民会议（城市居民委员会组织法 2018 年修正）'``.
        name_en: The English name.
        quorum: Per meeting mode allowed, the share of those entitled who must be
            present (read-only).  A mode not in the mapping is not allowed.
        majority: The share of those present who must agree.
        citation: The statute, article and in-force dates.

    Example:
        >>> p = PRESETS["village_meeting"]
        >>> sorted(m.value for m in p.quorum)
        ['all_adults', 'households']
        >>> p.quorum[MeetingMode.HOUSEHOLDS].describe_zh()
        '三分之二以上（含本数）'
    """

    key: str
    family: str
    name_zh: str
    name_en: str
    quorum: Mapping[MeetingMode, Threshold] = attrs.field(
        converter=_frozen_quorum,
        validator=_check_quorum,
        eq=attrs.cmp_using(eq=lambda a, b: a == b),
        hash=False,
    )
    majority: Threshold = attrs.field(validator=_check_threshold)
    citation: Citation

    def __reduce__(self) -> tuple[object, ...]:  # a mappingproxy does not pickle
        fields = {f.name: getattr(self, f.name) for f in attrs.fields(QuorumPreset)}
        return (_rebuild_preset, ({**fields, "quorum": dict(self.quorum)},))

    def in_force_on(self, day: date) -> bool:
        """Whether the preset's statute is in force on ``day`` (see :class:`Citation`).

        Example:
            >>> from datetime import date
            >>> PRESETS["residents_meeting_2018"].in_force_on(date(2026, 1, 1))
            False
        """
        return self.citation.in_force_on(day)


def _rebuild_preset(fields: dict[str, Any]) -> QuorumPreset:
    return QuorumPreset(**fields)


_RESIDENTS_2018 = QuorumPreset(
    key="residents_meeting_2018",
    family="residents_meeting",
    name_zh="居民会议（城市居民委员会组织法，1989 年通过、2018 年修正）",
    name_en=(
        "Residents' meeting (Organic Law of Urban Residents' Committees, 1989 as amended 2018)"
    ),
    quorum=dict.fromkeys(MeetingMode, HALF),
    majority=HALF,
    citation=PROVISIONS["urban_residents_committee_law.art9"].citation,
)

_RESIDENTS_2025 = QuorumPreset(
    key="residents_meeting_2025",
    family="residents_meeting",
    name_zh="居民会议（城市居民委员会组织法 2025 年修订）",
    name_en="Residents' meeting (Organic Law of Urban Residents' Committees, 2025 revision)",
    quorum=dict.fromkeys(MeetingMode, HALF),
    majority=HALF,
    citation=PROVISIONS["urban_residents_committee_law_2025.ch4"].citation,
)

_VILLAGE = QuorumPreset(
    key="village_meeting",
    family="village_meeting",
    name_zh="村民会议（村民委员会组织法 2018 年修正）",
    name_en="Villagers' meeting (Organic Law of Villagers' Committees, 2018 amendment)",
    quorum={MeetingMode.ALL_ADULTS: HALF, MeetingMode.HOUSEHOLDS: TWO_THIRDS_OR_MORE},
    majority=HALF,
    citation=PROVISIONS["villagers_committee_law.art22"].citation,
)

_VILLAGE_2025 = QuorumPreset(
    key="village_meeting_2025",
    family="village_meeting",
    name_zh="村民会议（村民委员会组织法 2025 年修正）",
    name_en="Villagers' meeting (Organic Law of Villagers' Committees, 2025 amendment)",
    quorum={MeetingMode.ALL_ADULTS: HALF, MeetingMode.HOUSEHOLDS: TWO_THIRDS_OR_MORE},
    majority=HALF,
    citation=PROVISIONS["villagers_committee_law_2025.art22"].citation,
)

PRESETS: Final[Mapping[str, QuorumPreset]] = MappingProxyType(
    {p.key: p for p in (_RESIDENTS_2018, _RESIDENTS_2025, _VILLAGE, _VILLAGE_2025)}
)
"""The built-in quorum presets by key (read-only).

Example:
    >>> sorted(PRESETS)
    ['residents_meeting_2018', 'residents_meeting_2025', 'village_meeting', 'village_meeting_2025']
    >>> PRESETS["residents_meeting_2018"].citation.in_force_from
    datetime.date(1990, 1, 1)
    >>> PRESETS["residents_meeting_2025"].citation.verified
    False
"""

FAMILIES: Final[frozenset[str]] = frozenset(p.family for p in PRESETS.values())


def preset_for(
    family: str, on: date, *, presets: Mapping[str, QuorumPreset] = PRESETS
) -> QuorumPreset:
    """The preset of ``family`` in force on ``on``.

    Args:
        family: The family, e.g. ``'residents_meeting'``.
        on: The day the meeting is held.
        presets: Where to look (default: the built-in :data:`PRESETS`); pass your own
            mapping to include presets made with :func:`custom_preset`.

    Returns:
        The preset whose citation is in force on ``on`` (the latest-starting one if
        several are).

    Raises:
        PolicyError: ``policy.unknown_preset`` if no preset has that family;
            ``policy.no_preset_in_force`` if none of the family is in force on ``on``.

    Example:
        >>> from datetime import date
        >>> preset_for("residents_meeting", date(2025, 12, 31)).key
        'residents_meeting_2018'
        >>> preset_for("residents_meeting", date(2026, 1, 2)).key
        'residents_meeting_2025'
        >>> preset_for("residents_meeting", date(2015, 6, 1)).key  # the 1989 law, in force 1990
        'residents_meeting_2018'
        >>> preset_for("residents_meeting", date(1989, 12, 31))
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: No 'residents_meeting' preset is in force on 1989-12-31. ...
    """
    family_presets = [p for p in presets.values() if p.family == family]
    if not family_presets:
        known = ", ".join(sorted({p.family for p in presets.values()}))
        raise PolicyError(
            f"Unknown quorum preset family {family!r}; known: {known}.",
            f"未知的法定人数规则类别 {family!r}；可用：{known}。",
            code="policy.unknown_preset",
            family=family,
        )
    in_force = [p for p in family_presets if p.in_force_on(on)]
    if not in_force:
        raise PolicyError(
            f"No {family!r} preset is in force on {on.isoformat()}.",
            f"{on.isoformat()} 没有有效的 {family!r} 法定人数规则。",
            code="policy.no_preset_in_force",
            family=family,
            on=on,
        )
    return max(in_force, key=lambda p: (p.citation.in_force_from or date.min, p.key))


def _require_in_force(preset: QuorumPreset, on: date) -> None:
    if not preset.in_force_on(on):
        raise PolicyError(
            f"Preset {preset.key!r} is not in force on {on.isoformat()} ({preset.citation}); "
            f"use preset_for({preset.family!r}, on).",
            f"规则 {preset.key!r} 在 {on.isoformat()} 不在有效期内；请使用当日有效的规则。",
            code="policy.preset_not_in_force",
            preset=preset.key,
            on=on,
        )


def quorum_met(
    preset: QuorumPreset, *, mode: MeetingMode, present: int, entitled: int, on: date
) -> Verdict:
    """Whether enough of those entitled are present for the meeting to be held (法定人数).

    Args:
        preset: The rule, e.g. ``preset_for("residents_meeting", on)``.
        mode: How the meeting is composed; a mode the preset does not allow gives a
            failing verdict (``quorum.mode_not_allowed``).
        present: Those present (到会人数).
        entitled: Those entitled to attend in that mode (应到人数: adults, households or
            group representatives) — the denominator.
        on: The day of the meeting.

    Returns:
        A verdict with rule ``quorum.<family>``, code ``quorum.met`` /
        ``quorum.not_met`` / ``quorum.mode_not_allowed``, figures ``present``,
        ``entitled``, ``required``, ``share``, ``inclusive``, ``mode``, ``preset``
        (the preset chosen) and ``decided_on`` (the date judged on), and the preset's
        citation.

    Raises:
        PolicyError: ``policy.bad_count`` for a negative or non-integer count,
            ``policy.present_exceeds_entitled`` if more are present than entitled,
            ``policy.preset_not_in_force`` if the preset is not in force on ``on``.

    Example:
        >>> from datetime import date
        >>> p = preset_for("residents_meeting", date(2025, 6, 1))
        >>> v = quorum_met(p, mode=MeetingMode.HOUSEHOLDS, present=30, entitled=60,
        ...                on=date(2025, 6, 1))
        >>> v.passed, v.code, v.figures["required"]
        (False, 'quorum.not_met', 31)
        >>> print(v.message_zh)
        到会 30 人（每户派代表），应到 60 人，须过半数即至少 31 人：未达到法定人数。
    """
    _check_count("present", present)
    _check_count("entitled", entitled)
    if present > entitled:
        raise PolicyError(
            f"{present} present is more than the {entitled} entitled to attend.",
            f"到会人数 {present} 超过应到人数 {entitled}。",
            code="policy.present_exceeds_entitled",
            present=present,
            entitled=entitled,
        )
    _require_in_force(preset, on)
    rule = f"{QUORUM_RULE_PREFIX}{preset.family}"
    threshold = preset.quorum.get(mode)
    if threshold is None:
        allowed_en = ", ".join(m.label_en for m in preset.quorum)
        allowed_zh = "、".join(m.label_zh for m in preset.quorum)
        return Verdict(
            rule=rule,
            passed=False,
            code="quorum.mode_not_allowed",
            message_en=(
                f"{preset.name_en} cannot be composed of {mode.label_en}; allowed: {allowed_en}."
            ),
            message_zh=f"{preset.name_zh}不允许“{mode.label_zh}”的组成方式；允许：{allowed_zh}。",
            figures={
                "present": present,
                "entitled": entitled,
                "mode": mode.value,
                "preset": preset.key,
            },
            citation=preset.citation,
        )
    passed = threshold.met(present, entitled)
    required = threshold.required(entitled)
    outcome_en = "quorum met" if passed else "quorum not met"
    outcome_zh = "达到法定人数" if passed else "未达到法定人数"
    return Verdict(
        rule=rule,
        passed=passed,
        code="quorum.met" if passed else "quorum.not_met",
        message_en=(
            f"{present} of {entitled} present ({mode.label_en}); "
            f"{threshold.describe_en()} required, i.e. at least {required}: {outcome_en}."
        ),
        message_zh=(
            f"到会 {present} 人（{mode.label_zh}），应到 {entitled} 人，"
            f"须{threshold.describe_zh()}即至少 {required} 人：{outcome_zh}。"
        ),
        figures={
            "present": present,
            "entitled": entitled,
            "required": required,
            "share": threshold.share,
            "inclusive": threshold.inclusive,
            "mode": mode.value,
            "preset": preset.key,
            "decided_on": on,
        },
        citation=preset.citation,
    )


def majority_met(preset: QuorumPreset, *, in_favour: int, present: int, on: date) -> Verdict:
    """Whether a meeting's decision passes: enough of those present agree (表决通过).

    A tie never passes a "more than half" rule.

    Args:
        preset: The rule, e.g. ``preset_for("residents_meeting", on)``.
        in_favour: Those present who agree.
        present: Those present — the denominator.
        on: The day of the meeting.

    Returns:
        A verdict with rule ``majority.<family>``, code ``majority.met`` or
        ``majority.not_met``, figures ``in_favour``, ``present``, ``required``,
        ``share``, ``inclusive``, ``preset`` and ``decided_on``, and the preset's
        citation.

    Raises:
        PolicyError: ``policy.bad_count`` for a negative or non-integer count,
            ``policy.in_favour_exceeds_present`` if more agree than are present,
            ``policy.preset_not_in_force`` if the preset is not in force on ``on``.

    Example:
        >>> from datetime import date
        >>> p = PRESETS["village_meeting"]
        >>> majority_met(p, in_favour=20, present=40, on=date(2025, 6, 1)).code
        'majority.not_met'
        >>> print(majority_met(p, in_favour=21, present=40, on=date(2025, 6, 1)).message_en)
        21 of 40 present agree; more than 1/2 required, i.e. at least 21: passed.
    """
    _check_count("in_favour", in_favour)
    _check_count("present", present)
    if in_favour > present:
        raise PolicyError(
            f"{in_favour} in favour is more than the {present} present.",
            f"赞成人数 {in_favour} 超过到会人数 {present}。",
            code="policy.in_favour_exceeds_present",
            in_favour=in_favour,
            present=present,
        )
    _require_in_force(preset, on)
    threshold = preset.majority
    passed = threshold.met(in_favour, present)
    required = threshold.required(present)
    return Verdict(
        rule=f"{MAJORITY_RULE_PREFIX}{preset.family}",
        passed=passed,
        code="majority.met" if passed else "majority.not_met",
        message_en=(
            f"{in_favour} of {present} present agree; {threshold.describe_en()} required, "
            f"i.e. at least {required}: {'passed' if passed else 'not passed'}."
        ),
        message_zh=(
            f"到会 {present} 人，赞成 {in_favour} 人，须{threshold.describe_zh()}即至少 "
            f"{required} 人：{'通过' if passed else '未通过'}。"
        ),
        figures={
            "in_favour": in_favour,
            "present": present,
            "required": required,
            "share": threshold.share,
            "inclusive": threshold.inclusive,
            "preset": preset.key,
            "decided_on": on,
        },
        citation=preset.citation,
    )


def custom_preset(
    key: str,
    *,
    quorum: Mapping[MeetingMode, Threshold],
    majority: Threshold,
    name_zh: str,
    name_en: str,
    note: str,
    family: str | None = None,
    verified: bool = False,
    in_force_from: date | None = None,
    in_force_to: date | None = None,
) -> QuorumPreset:
    """A preset for a local rule (本地规则) that no statute fixes, e.g. a stricter quorum.

    Args:
        key: The preset's key.
        quorum: Per meeting mode allowed, the share of those entitled who must attend.
        majority: The share of those present who must agree.
        name_zh: The Chinese name.
        name_en: The English name.
        note: Where the rule comes from (the document that adopted it).
        family: The family (default: ``key``).
        verified: Whether the parameters were checked against the adopting document.
        in_force_from: First day in force, if any.
        in_force_to: Last day in force, if any.

    Returns:
        The preset; its citation's source is ``'本地规则 (local rule)'``.

    Raises:
        PolicyError: If a threshold or the quorum mapping is malformed, or the dates
            are out of order (``policy.bad_dates``).

    Example:
        >>> from fractions import Fraction
        >>> p = custom_preset("luodian_hearing", quorum={MeetingMode.HOUSEHOLDS:
        ...     Threshold(share=Fraction(3, 5), inclusive=True)},
        ...     majority=Threshold(share=Fraction(2, 3), inclusive=True),
        ...     name_zh="罗店镇听证会", name_en="Luodian hearing", note="镇议事规则 2024")
        >>> p.citation.source, p.citation.verified, p.family
        ('本地规则 (local rule)', False, 'luodian_hearing')
    """
    if in_force_from is not None and in_force_to is not None and in_force_to < in_force_from:
        raise PolicyError(
            f"Preset {key!r} ends ({in_force_to}) before it starts ({in_force_from}).",
            f"规则 {key!r} 的失效日期早于生效日期。",
            code="policy.bad_dates",
            preset=key,
        )
    return QuorumPreset(
        key=key,
        family=key if family is None else family,
        name_zh=name_zh,
        name_en=name_en,
        quorum=quorum,
        majority=majority,
        citation=Citation(
            source="本地规则 (local rule)",
            in_force_from=in_force_from,
            in_force_to=in_force_to,
            verified=verified,
            note=note,
        ),
    )
