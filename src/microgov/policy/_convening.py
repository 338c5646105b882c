"""Convening a residents' meeting on the residents' own proposal (提议召集居民会议).

References:
    - 中华人民共和国城市居民委员会组织法 (全国人民代表大会常务委员会, 1989-12-26 通过, in force
      1990-01-01, 2018-12-29 修正), 第十条第二款: "居民会议由居民委员会召集和主持。有五分之一
      以上的十八周岁以上的居民、五分之一以上的户或者三分之一以上的居民小组提议，应当召集居民
      会议。……" — "以上" includes the number itself (民法典 第一千二百五十九条).
    - The 2025 revision (in force 2026-01-01) was not read: ``residents_convening_2025``
      repeats the 2018 figures and is ``verified=False``.
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
from microgov.policy._quorum import Threshold

__all__ = [
    "CONVENING_RULES",
    "ConveningRule",
    "PetitionBasis",
    "convening_met",
    "convening_rule_for",
]


class PetitionBasis(enum.Enum):
    """Who proposes that a meeting be convened (提议主体), and so what is counted.

    Example:
        >>> PetitionBasis.GROUPS.label_zh
        '居民小组'
    """

    ADULTS = "adults"
    """Residents aged 18 and over, one signature each (十八周岁以上的居民)."""
    HOUSEHOLDS = "households"
    """Households, one signature per household (户)."""
    GROUPS = "groups"
    """Residents' groups, one signature per group (居民小组)."""

    @property
    def label_zh(self) -> str:
        """The Chinese label, e.g. ``'户'``."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English label, e.g. ``'households'``."""
        return _LABELS[self][1]


_LABELS: Final = {
    PetitionBasis.ADULTS: ("十八周岁以上的居民", "adult residents"),
    PetitionBasis.HOUSEHOLDS: ("户", "households"),
    PetitionBasis.GROUPS: ("居民小组", "residents' groups"),
}


def _frozen(value: Mapping[PetitionBasis, Threshold]) -> Mapping[PetitionBasis, Threshold]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class ConveningRule:
    """A statute's rule on when residents can make the committee convene a meeting.

    Attributes:
        key: Stable key, e.g. ``'residents_convening_2018'``.
        family: Successive versions share a family (``'residents_meeting'``).
        name_zh: Chinese name.
        name_en: English name.
        thresholds: Per basis, the share of those counted who must sign (read-only).
        citation: The article, quoted, with its in-force dates.

    Example:
        >>> r = CONVENING_RULES["residents_convening_2018"]
        >>> r.thresholds[PetitionBasis.GROUPS].describe_zh()
        '三分之一以上（含本数）'
    """

    key: str
    family: str
    name_zh: str
    name_en: str
    thresholds: Mapping[PetitionBasis, Threshold] = attrs.field(
        converter=_frozen, eq=attrs.cmp_using(eq=lambda a, b: a == b), hash=False
    )
    citation: Citation

    def in_force_on(self, day: date) -> bool:
        """Whether the rule is in force on ``day``.

        Example:
            >>> CONVENING_RULES["residents_convening_2018"].in_force_on(date(2015, 1, 1))
            True
        """
        return self.citation.in_force_on(day)


_FIFTH: Final = Threshold(share=Fraction(1, 5), inclusive=True)
_THIRD: Final = Threshold(share=Fraction(1, 3), inclusive=True)
_ARTICLE_10: Final = {
    PetitionBasis.ADULTS: _FIFTH,
    PetitionBasis.HOUSEHOLDS: _FIFTH,
    PetitionBasis.GROUPS: _THIRD,
}

CONVENING_RULES: Final[Mapping[str, ConveningRule]] = MappingProxyType(
    {
        r.key: r
        for r in (
            ConveningRule(
                key="residents_convening_2018",
                family="residents_meeting",
                name_zh="提议召集居民会议（城市居民委员会组织法第十条）",
                name_en="Convening a residents' meeting on proposal (Art. 10)",
                thresholds=_ARTICLE_10,
                citation=PROVISIONS["urban_residents_committee_law.art10"].citation,
            ),
            ConveningRule(
                key="residents_convening_2025",
                family="residents_meeting",
                name_zh="提议召集居民会议（城市居民委员会组织法 2025 年修订）",
                name_en="Convening a residents' meeting on proposal (2025 revision)",
                thresholds=_ARTICLE_10,
                citation=PROVISIONS["urban_residents_committee_law_2025.ch4"].citation,
            ),
        )
    }
)
"""The built-in convening rules by key (read-only).

Example:
    >>> sorted(CONVENING_RULES)
    ['residents_convening_2018', 'residents_convening_2025']
"""


def convening_rule_for(
    family: str, on: date, *, rules: Mapping[str, ConveningRule] = CONVENING_RULES
) -> ConveningRule:
    """The convening rule of ``family`` in force on ``on``.

    Args:
        family: E.g. ``'residents_meeting'``.
        on: The day the petition is judged.
        rules: Where to look (default :data:`CONVENING_RULES`).

    Returns:
        The latest-starting rule in force.

    Raises:
        PolicyError: ``policy.unknown_preset`` / ``policy.no_preset_in_force``.

    Example:
        >>> convening_rule_for("residents_meeting", date(2015, 5, 1)).key
        'residents_convening_2018'
        >>> convening_rule_for("residents_meeting", date(2026, 1, 2)).key
        'residents_convening_2025'
    """
    family_rules = [r for r in rules.values() if r.family == family]
    if not family_rules:
        raise PolicyError(
            f"Unknown convening rule family {family!r}.",
            f"未知的召集规则类别 {family!r}。",
            code="policy.unknown_preset",
            family=str(family),
        )
    in_force = [r for r in family_rules if r.in_force_on(on)]
    if not in_force:
        raise PolicyError(
            f"No {family!r} convening rule is in force on {on.isoformat()}.",
            f"{on.isoformat()} 没有有效的 {family!r} 召集规则。",
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


def convening_met(
    rule: ConveningRule, *, basis: PetitionBasis, signatures: int, counted: int, on: date
) -> Verdict:
    """Whether enough residents, households or groups proposed a meeting (提议召集).

    Args:
        rule: E.g. ``convening_rule_for("residents_meeting", on)``.
        basis: What signs: adults, households or residents' groups.
        signatures: Valid signatures (one per adult, household or group).
        counted: All adults, households or groups of the scope — the denominator.
        on: The day judged.

    Returns:
        A verdict, rule ``convening.<family>``, code ``convening.met`` /
        ``convening.not_met`` / ``convening.basis_not_allowed``, figures
        ``signatures``, ``counted``, ``required``, ``share``, ``inclusive``, ``basis``,
        ``rule`` and ``decided_on``; the rule's citation.

    Raises:
        PolicyError: ``policy.bad_count``; ``policy.signatures_exceed_counted``;
            ``policy.preset_not_in_force`` when the rule is not in force on ``on``.

    Example:
        >>> r = convening_rule_for("residents_meeting", date(2025, 3, 1))
        >>> v = convening_met(r, basis=PetitionBasis.HOUSEHOLDS, signatures=20, counted=100,
        ...                   on=date(2025, 3, 1))
        >>> v.code, v.figures["required"]
        ('convening.met', 20)
        >>> convening_met(r, basis=PetitionBasis.HOUSEHOLDS, signatures=19, counted=100,
        ...               on=date(2025, 3, 1)).code
        'convening.not_met'
    """
    _count("signatures", signatures)
    _count("counted", counted)
    if signatures > counted:
        raise PolicyError(
            f"{signatures} signatures is more than the {counted} counted.",
            f"签名数 {signatures} 超过应计数 {counted}。",
            code="policy.signatures_exceed_counted",
            signatures=signatures,
            counted=counted,
        )
    if not rule.in_force_on(on):
        raise PolicyError(
            f"Convening rule {rule.key!r} is not in force on {on.isoformat()}.",
            f"召集规则 {rule.key!r} 在 {on.isoformat()} 不在有效期内。",
            code="policy.preset_not_in_force",
            preset=rule.key,
            on=on,
        )
    name = f"convening.{rule.family}"
    threshold = rule.thresholds.get(basis)
    if threshold is None:
        return Verdict(
            rule=name,
            passed=False,
            code="convening.basis_not_allowed",
            message_en=f"{rule.name_en} does not count {basis.label_en}.",
            message_zh=f"{rule.name_zh}不以“{basis.label_zh}”计算提议人数。",
            figures={"basis": basis.value, "rule": rule.key, "decided_on": on},
            citation=rule.citation,
        )
    passed = counted > 0 and threshold.met(signatures, counted)
    required = max(threshold.required(counted), 1)
    return Verdict(
        rule=name,
        passed=passed,
        code="convening.met" if passed else "convening.not_met",
        message_en=(
            f"{signatures} of {counted} {basis.label_en} proposed the meeting; "
            f"{threshold.describe_en()} required, i.e. at least {required}: "
            f"{'the committee must convene it' if passed else 'not enough'}."
        ),
        message_zh=(
            f"应计{basis.label_zh} {counted}，提议 {signatures}，须{threshold.describe_zh()}"
            f"即至少 {required}：{'居民委员会应当召集居民会议' if passed else '提议人数不足'}。"
        ),
        figures={
            "signatures": signatures,
            "counted": counted,
            "required": required,
            "share": threshold.share,
            "inclusive": threshold.inclusive,
            "basis": basis.value,
            "rule": rule.key,
            "decided_on": on,
        },
        citation=rule.citation,
    )
