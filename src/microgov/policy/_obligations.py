"""A residents' committee's yearly obligations (年度义务) under the Shanghai regulation.

References:
    - 上海市居民委员会工作条例 (上海市人民代表大会常务委员会, adopted 2017-04-20, in force
      2017-07-01, amended 2020-05-14): 第十一条 (a residents' meeting at least once a year),
      第十六条 (the three meetings: 听证会、协调会、评议会), 第十七条 (what must be made public,
      among them the three meetings and the use of work funds), 第十八条 (民主评议 at least
      once a year).  The articles' wording was **not read** (see
      :data:`microgov.policy.PROVISIONS`): every obligation below is ``verified=False``,
      a parameter encoded from the articles' summary, until the text is quoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from microgov._verdict import Citation
from microgov.policy._law import PROVISIONS

__all__ = ["OBLIGATIONS", "PUBLICATION_ITEMS", "Obligation"]

PUBLICATION_ITEMS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "three_meetings": ("三会（听证会、协调会、评议会）情况", "the three meetings held"),
        "work_funds": ("工作经费使用情况", "the use of work funds"),
    }
)
"""Items the committee must make public each year (第十七条, as summarised), key → (zh, en).

Example:
    >>> PUBLICATION_ITEMS["work_funds"][0]
    '工作经费使用情况'
"""


def _items(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Obligation:
    """A yearly obligation: what must be on record for each residential area every year.

    Attributes:
        key: Stable key, e.g. ``'residents_meeting_yearly'``.
        name_zh: Chinese name.
        name_en: English name.
        meeting_kind: The kind of meeting that fulfils it (a
            :class:`microgov.meetings.MeetingKind` value), or None for publications.
        at_least: How many per year.
        items: The publication items required (keys of :data:`PUBLICATION_ITEMS`).
        citation: The article (unverified where not read).

    Example:
        >>> OBLIGATIONS["residents_meeting_yearly"].at_least
        1
    """

    key: str
    name_zh: str
    name_en: str
    meeting_kind: str | None
    at_least: int = 1
    items: tuple[str, ...] = attrs.field(default=(), converter=_items)
    citation: Citation


OBLIGATIONS: Final[Mapping[str, Obligation]] = MappingProxyType(
    {
        o.key: o
        for o in (
            Obligation(
                key="residents_meeting_yearly",
                name_zh="居民会议每年至少召开一次",
                name_en="A residents' meeting at least once a year (held with its quorum)",
                meeting_kind="residents_meeting",
                citation=PROVISIONS["shanghai_residents_committee_regulation.art11"].citation,
            ),
            Obligation(
                key="democratic_review_yearly",
                name_zh="民主评议每年至少进行一次",
                name_en="A democratic review (民主评议) at least once a year",
                meeting_kind="democratic_review",
                citation=PROVISIONS["shanghai_residents_committee_regulation.art18"].citation,
            ),
            Obligation(
                key="publication_yearly",
                name_zh="居务公开：三会情况、工作经费使用情况",
                name_en="Make public the three meetings and the use of work funds",
                meeting_kind=None,
                items=("three_meetings", "work_funds"),
                citation=PROVISIONS["shanghai_residents_committee_regulation.art17"].citation,
            ),
        )
    }
)
"""The yearly obligations checked by :func:`microgov.meetings.yearly_compliance` (read-only).

Example:
    >>> sorted(OBLIGATIONS)
    ['democratic_review_yearly', 'publication_yearly', 'residents_meeting_yearly']
    >>> OBLIGATIONS["publication_yearly"].citation.verified
    False
"""
