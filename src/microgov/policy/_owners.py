"""Owners' joint decisions (业主共同决定): the double thresholds of area and headcount.

References:
    - 中华人民共和国民法典 (全国人民代表大会, 2020-05-28 通过, in force 2021-01-01),
      第二百七十八条第二款: "业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且
      人数占比三分之二以上的业主参与表决。决定前款第六项至第八项规定的事项，应当经参与表决
      专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。决定前款其他事项，
      应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。"
      Rule ``owners_decision_2021``.
    - 中华人民共和国物权法 (2007-03-16 通过, in force 2007-10-01, repealed 2021-01-01),
      第七十六条: items (五) 筹集和使用维修资金 and (六) 改建、重建 need two thirds or more
      of the *total* exclusive area and of *all* owners to agree; the others more than half
      of both. Not read from an official text: rule ``owners_decision_2007`` is
      ``verified=False``.
    - 最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释, 第八条 (area as
      registered, else surveyed, else as in the sale contract) and 第九条 (one exclusive part
      counts as one owner; the developer's unsold or undelivered parts, and several parts of
      one buyer, count as one): see :class:`microgov.voting.OwnersRoll`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from microgov._verdict import Citation, Verdict
from microgov.errors import PolicyError
from microgov.policy._law import PROVISIONS
from microgov.policy._quorum import MAJORITY_RULE_PREFIX, QUORUM_RULE_PREFIX, Threshold

__all__ = [
    "OWNERS_RULES",
    "Matter",
    "OwnersRule",
    "format_area",
    "owners_decision",
    "owners_rule_for",
    "square_metres",
]


class Matter(enum.Enum):
    """What the owners decide (业主共同决定事项), as 民法典 第二百七十八条第一款 lists them.

    Example:
        >>> Matter.CHANGE_USE_OF_COMMON_PARTS.item, Matter.CHANGE_USE_OF_COMMON_PARTS.label_zh
        ('（八）', '改变共有部分的用途或者利用共有部分从事经营活动')
    """

    RULES_OF_PROCEDURE = "rules_of_procedure"
    MANAGEMENT_COVENANT = "management_covenant"
    ELECT_COMMITTEE = "elect_committee"
    HIRE_MANAGER = "hire_manager"
    USE_MAINTENANCE_FUND = "use_maintenance_fund"
    RAISE_MAINTENANCE_FUND = "raise_maintenance_fund"
    REBUILD = "rebuild"
    CHANGE_USE_OF_COMMON_PARTS = "change_use_of_common_parts"
    OTHER_MAJOR = "other_major"

    @property
    def item(self) -> str:
        """The item's number in 民法典 第二百七十八条第一款, e.g. ``'（六）'``."""
        return _MATTERS[self][0]

    @property
    def label_zh(self) -> str:
        """The item's wording in 民法典 第二百七十八条第一款."""
        return _MATTERS[self][1]


_MATTERS: Final = {
    Matter.RULES_OF_PROCEDURE: ("（一）", "制定和修改业主大会议事规则"),
    Matter.MANAGEMENT_COVENANT: ("（二）", "制定和修改管理规约"),
    Matter.ELECT_COMMITTEE: ("（三）", "选举业主委员会或者更换业主委员会成员"),
    Matter.HIRE_MANAGER: ("（四）", "选聘和解聘物业服务企业或者其他管理人"),
    Matter.USE_MAINTENANCE_FUND: ("（五）", "使用建筑物及其附属设施的维修资金"),
    Matter.RAISE_MAINTENANCE_FUND: ("（六）", "筹集建筑物及其附属设施的维修资金"),
    Matter.REBUILD: ("（七）", "改建、重建建筑物及其附属设施"),
    Matter.CHANGE_USE_OF_COMMON_PARTS: (
        "（八）",
        "改变共有部分的用途或者利用共有部分从事经营活动",
    ),
    Matter.OTHER_MAJOR: ("（九）", "有关共有和共同管理权利的其他重大事项"),
}


def square_metres(text: str) -> int:
    """Parse an area in square metres with at most two decimals into integer 0.01 m².

    Args:
        text: E.g. ``'89.5'`` or ``'120.37'``.

    Returns:
        The area in hundredths of a square metre (``'120.37'`` → ``12037``).

    Raises:
        PolicyError: ``policy.bad_area`` for anything else (more decimals, a sign, a float).

    Example:
        >>> square_metres("120.37"), square_metres("89.5"), square_metres("60")
        (12037, 8950, 6000)
        >>> format_area(12037)
        '120.37 m²'
    """
    if not isinstance(text, str):
        raise PolicyError(
            f"Give an area as text like '120.37', got {type(text).__name__}.",
            "面积须以文本给出，如 '120.37'。",
            code="policy.bad_area",
        )
    whole, dot, frac = text.strip().partition(".")
    if (
        not whole.isdigit()
        or not whole.isascii()
        or (dot and not (frac.isdigit() and len(frac) <= 2))
    ):
        raise PolicyError(
            f"An area is square metres with at most two decimals, got {text!r:.40}.",
            f"面积须为最多两位小数的平方米数，而不是 {text!r:.40}。",
            code="policy.bad_area",
        )
    return int(whole) * 100 + int((frac or "0").ljust(2, "0"))


def format_area(hundredths: int) -> str:
    """An area of integer 0.01 m² as text, e.g. ``12037`` → ``'120.37 m²'``.

    Example:
        >>> format_area(5)
        '0.05 m²'
    """
    return f"{hundredths // 100}.{hundredths % 100:02d} m²"


_HALF: Final = Threshold(share=Fraction(1, 2), inclusive=False)
_TWO_THIRDS: Final = Threshold(share=Fraction(2, 3), inclusive=True)
_THREE_QUARTERS: Final = Threshold(share=Fraction(3, 4), inclusive=True)


def _frozen_matters(value: frozenset[Matter]) -> frozenset[Matter]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class OwnersRule:
    """A statute's double-threshold rule for owners' decisions.

    Attributes:
        key: Stable key, e.g. ``'owners_decision_2021'``.
        family: ``'owners_decision'`` for both versions.
        name_zh: Chinese name.
        name_en: English name.
        participation: The share of the total exclusive area *and* of all owners who
            must take part, or None when the rule has no participation threshold.
        special_matters: The matters that need ``special`` agreement.
        special: The share needed for the special matters.
        ordinary: The share needed for the other matters.
        of_participants: True when agreement is counted among those who took part
            (民法典); False when among all owners and the total area (物权法).
        citation: The article, quoted if read, with in-force dates.

    Example:
        >>> r = OWNERS_RULES["owners_decision_2021"]
        >>> r.participation.describe_zh(), r.special.describe_zh(), r.ordinary.describe_zh()
        ('三分之二以上（含本数）', '四分之三以上（含本数）', '过半数')
    """

    key: str
    family: str
    name_zh: str
    name_en: str
    participation: Threshold | None
    special_matters: frozenset[Matter] = attrs.field(converter=_frozen_matters)
    special: Threshold
    ordinary: Threshold
    of_participants: bool
    citation: Citation

    def threshold_for(self, matter: Matter) -> Threshold:
        """The agreement threshold for ``matter``.

        Example:
            >>> OWNERS_RULES["owners_decision_2021"].threshold_for(Matter.REBUILD).share
            Fraction(3, 4)
        """
        return self.special if matter in self.special_matters else self.ordinary

    def in_force_on(self, day: date) -> bool:
        """Whether the rule is in force on ``day``.

        Example:
            >>> OWNERS_RULES["owners_decision_2007"].in_force_on(date(2020, 12, 31))
            True
        """
        return self.citation.in_force_on(day)


OWNERS_RULES: Final[Mapping[str, OwnersRule]] = MappingProxyType(
    {
        r.key: r
        for r in (
            OwnersRule(
                key="owners_decision_2007",
                family="owners_decision",
                name_zh="业主共同决定（物权法第七十六条）",
                name_en="Owners' joint decision (Property Law, Art. 76)",
                participation=None,
                special_matters=frozenset(
                    {Matter.USE_MAINTENANCE_FUND, Matter.RAISE_MAINTENANCE_FUND, Matter.REBUILD}
                ),
                special=_TWO_THIRDS,
                ordinary=_HALF,
                of_participants=False,
                citation=PROVISIONS["property_law.art76"].citation,
            ),
            OwnersRule(
                key="owners_decision_2021",
                family="owners_decision",
                name_zh="业主共同决定（民法典第二百七十八条）",
                name_en="Owners' joint decision (Civil Code, Art. 278)",
                participation=_TWO_THIRDS,
                special_matters=frozenset(
                    {
                        Matter.RAISE_MAINTENANCE_FUND,
                        Matter.REBUILD,
                        Matter.CHANGE_USE_OF_COMMON_PARTS,
                    }
                ),
                special=_THREE_QUARTERS,
                ordinary=_HALF,
                of_participants=True,
                citation=PROVISIONS["civil_code.art278"].citation,
            ),
        )
    }
)
"""The built-in owners' decision rules by key (read-only).

Example:
    >>> sorted(OWNERS_RULES)
    ['owners_decision_2007', 'owners_decision_2021']
"""


def owners_rule_for(
    on: date, *, family: str = "owners_decision", rules: Mapping[str, OwnersRule] = OWNERS_RULES
) -> OwnersRule:
    """The owners' decision rule in force on ``on``.

    Raises:
        PolicyError: ``policy.unknown_preset`` / ``policy.no_preset_in_force``.

    Example:
        >>> owners_rule_for(date(2020, 12, 31)).key, owners_rule_for(date(2021, 1, 1)).key
        ('owners_decision_2007', 'owners_decision_2021')
    """
    family_rules = [r for r in rules.values() if r.family == family]
    if not family_rules:
        raise PolicyError(
            f"Unknown owners' rule family {family!r}.",
            f"未知的业主共同决定规则类别 {family!r}。",
            code="policy.unknown_preset",
            family=str(family),
        )
    in_force = [r for r in family_rules if r.in_force_on(on)]
    if not in_force:
        raise PolicyError(
            f"No {family!r} rule is in force on {on.isoformat()}.",
            f"{on.isoformat()} 没有有效的 {family!r} 规则。",
            code="policy.no_preset_in_force",
            family=family,
            on=on,
        )
    return max(in_force, key=lambda r: (r.citation.in_force_from or date.min, r.key))


def _count(name: str, value: int) -> None:
    if type(value) is not int or value < 0:
        raise PolicyError(
            f"'{name}' must be a non-negative integer, got {value!r:.40}.",
            f"'{name}' 必须是非负整数。",
            code="policy.bad_count",
            field=name,
        )


def _check_order(names: tuple[str, str, str], values: tuple[int, int, int]) -> None:
    for (small, big), (a, b) in zip(
        ((names[2], names[1]), (names[1], names[0])),
        ((values[2], values[1]), (values[1], values[0])),
        strict=True,
    ):
        if a > b:
            raise PolicyError(
                f"{small} ({a}) cannot exceed {big} ({b}).",
                f"{small}（{a}）不能超过 {big}（{b}）。",
                code="policy.owners_counts_inconsistent",
                field=small,
            )


def owners_decision(
    rule: OwnersRule,
    *,
    matter: Matter,
    total_area: int,
    total_owners: int,
    participating_area: int,
    participating_owners: int,
    in_favour_area: int,
    in_favour_owners: int,
    on: date,
) -> tuple[Verdict, Verdict]:
    """Judge an owners' decision on both thresholds, area and headcount.

    Areas are integer 0.01 m² (:func:`square_metres`); owners are counted as the rule's
    interpretation says (see :class:`microgov.voting.OwnersRoll`).

    Args:
        rule: E.g. ``owners_rule_for(on)``.
        matter: What is decided.
        total_area: The exclusive area of the building area (建筑区划), 0.01 m².
        total_owners: All owners, counted.
        participating_area: The exclusive area of the owners who took part.
        participating_owners: The owners who took part.
        in_favour_area: The exclusive area of the owners who agreed.
        in_favour_owners: The owners who agreed.
        on: The decision date.

    Returns:
        ``(participation, approval)`` verdicts.  Participation has rule
        ``quorum.owners_decision`` and code ``owners.participation_met``,
        ``owners.participation_not_met`` or ``owners.participation_not_required``;
        approval has rule ``majority.owners_decision`` and code ``owners.approved`` or
        ``owners.not_approved``.  Each carries the four figures (area and owners,
        numerator and denominator), what each requires, whether each threshold was
        met (``area_met``, ``owners_met``), the matter, the ``rule`` and ``decided_on``.

    Raises:
        PolicyError: ``policy.bad_count`` for a negative or non-integer figure,
            ``policy.owners_counts_inconsistent`` if in favour > participating > total,
            ``policy.preset_not_in_force`` if the rule is not in force on ``on``.

    Example:
        >>> from datetime import date
        >>> r = owners_rule_for(date(2025, 5, 1))
        >>> p, a = owners_decision(r, matter=Matter.CHANGE_USE_OF_COMMON_PARTS,
        ...     total_area=300000, total_owners=30, participating_area=200000,
        ...     participating_owners=20, in_favour_area=150000, in_favour_owners=14,
        ...     on=date(2025, 5, 1))
        >>> p.code, a.code, a.figures["area_met"], a.figures["owners_met"]
        ('owners.participation_met', 'owners.not_approved', True, False)
    """
    for name, value in (
        ("total_area", total_area),
        ("total_owners", total_owners),
        ("participating_area", participating_area),
        ("participating_owners", participating_owners),
        ("in_favour_area", in_favour_area),
        ("in_favour_owners", in_favour_owners),
    ):
        _count(name, value)
    _check_order(
        ("total_area", "participating_area", "in_favour_area"),
        (total_area, participating_area, in_favour_area),
    )
    _check_order(
        ("total_owners", "participating_owners", "in_favour_owners"),
        (total_owners, participating_owners, in_favour_owners),
    )
    if not rule.in_force_on(on):
        raise PolicyError(
            f"Rule {rule.key!r} is not in force on {on.isoformat()}; use owners_rule_for(on).",
            f"规则 {rule.key!r} 在 {on.isoformat()} 不在有效期内。",
            code="policy.preset_not_in_force",
            preset=rule.key,
            on=on,
        )
    common = {"matter": matter.value, "rule": rule.key, "decided_on": on}
    if rule.participation is None:
        participation = Verdict(
            rule=f"{QUORUM_RULE_PREFIX}{rule.family}",
            passed=True,
            code="owners.participation_not_required",
            message_en=f"{rule.name_en} sets no participation threshold.",
            message_zh=f"{rule.name_zh}未规定参与表决的比例。",
            figures={
                "participating_area": participating_area,
                "total_area": total_area,
                "participating_owners": participating_owners,
                "total_owners": total_owners,
                **common,
            },
            citation=rule.citation,
        )
    else:
        t = rule.participation
        area_ok = total_area > 0 and t.met(participating_area, total_area)
        owners_ok = total_owners > 0 and t.met(participating_owners, total_owners)
        passed = area_ok and owners_ok
        participation = Verdict(
            rule=f"{QUORUM_RULE_PREFIX}{rule.family}",
            passed=passed,
            code="owners.participation_met" if passed else "owners.participation_not_met",
            message_en=(
                f"Owners holding {format_area(participating_area)} of {format_area(total_area)} "
                f"and {participating_owners} of {total_owners} owners took part; "
                f"{t.describe_en()} of both required: {'met' if passed else 'not met'}."
            ),
            message_zh=(
                f"参与表决的业主专有部分面积 {format_area(participating_area)}（总面积 "
                f"{format_area(total_area)}），人数 {participating_owners}（总人数 "
                f"{total_owners}），须面积和人数均{t.describe_zh()}："
                f"{'达到' if passed else '未达到'}。"
            ),
            figures={
                "participating_area": participating_area,
                "total_area": total_area,
                "participating_owners": participating_owners,
                "total_owners": total_owners,
                "required_area": t.required(total_area),
                "required_owners": t.required(total_owners),
                "share": t.share,
                "inclusive": t.inclusive,
                "area_met": area_ok,
                "owners_met": owners_ok,
                **common,
            },
            citation=rule.citation,
        )
    t = rule.threshold_for(matter)
    base_area, base_owners = (
        (participating_area, participating_owners)
        if rule.of_participants
        else (total_area, total_owners)
    )
    area_ok = base_area > 0 and t.met(in_favour_area, base_area)
    owners_ok = base_owners > 0 and t.met(in_favour_owners, base_owners)
    passed = participation.passed and area_ok and owners_ok
    of_en = "of those taking part" if rule.of_participants else "of all"
    of_zh = "参与表决" if rule.of_participants else "全体"
    approval = Verdict(
        rule=f"{MAJORITY_RULE_PREFIX}{rule.family}",
        passed=passed,
        code="owners.approved" if passed else "owners.not_approved",
        message_en=(
            f"Matter {matter.item}: owners holding {format_area(in_favour_area)} of "
            f"{format_area(base_area)} and {in_favour_owners} of {base_owners} owners "
            f"{of_en} agree; {t.describe_en()} of both required: "
            f"{'approved' if passed else 'not approved'}."
        ),
        message_zh=(
            f"事项{matter.item}{matter.label_zh}：同意的业主专有部分面积 "
            f"{format_area(in_favour_area)}（{of_zh}面积 {format_area(base_area)}），人数 "
            f"{in_favour_owners}（{of_zh}人数 {base_owners}），须面积和人数均"
            f"{t.describe_zh()}：{'通过' if passed else '未通过'}。"
        ),
        figures={
            "in_favour_area": in_favour_area,
            "base_area": base_area,
            "in_favour_owners": in_favour_owners,
            "base_owners": base_owners,
            "required_area": t.required(base_area),
            "required_owners": t.required(base_owners),
            "share": t.share,
            "inclusive": t.inclusive,
            "area_met": area_ok,
            "owners_met": owners_ok,
            "participation_met": participation.passed,
            **common,
        },
        citation=rule.citation,
    )
    return participation, approval
