"""The catalogue of indicators: id, names and written definition of each."""

from __future__ import annotations

from typing import Final, Literal

import attrs

from microgov.errors import PolicyError

__all__ = ["CATALOGUE", "IndicatorDef", "indicator"]


@attrs.frozen(kw_only=True)
class IndicatorDef:
    """The written definition of one indicator, for people and for the reference page.

    Attributes:
        id: The stable id, also the attribute of ``Indicators`` that holds its value.
        name_zh: The Chinese name, e.g. ``'议题提出数'``.
        name_en: The English name.
        unit: ``'count'``, ``'person-times'`` (人次), ``'hours'`` or ``'ratio'``.
        additive: True if a node's value is the sum of its children's (and its own);
            False for a ratio computed from additive parts at each node.
        definition: What is counted, exactly, in English.
        definition_zh: The same in Chinese.

    Example:
        >>> d = indicator("topics_raised")
        >>> d.name_zh, d.additive
        ('议题提出数', True)
    """

    id: str
    name_zh: str
    name_en: str
    unit: Literal["count", "person-times", "hours", "ratio"]
    additive: bool
    definition: str
    definition_zh: str


def _d(
    id: str,
    zh: str,
    en: str,
    unit: Literal["count", "person-times", "hours", "ratio"],
    definition: str,
    definition_zh: str,
    *,
    additive: bool = True,
) -> IndicatorDef:
    return IndicatorDef(
        id=id,
        name_zh=zh,
        name_en=en,
        unit=unit,
        additive=additive,
        definition=definition,
        definition_zh=definition_zh,
    )


CATALOGUE: Final[tuple[IndicatorDef, ...]] = (
    _d(
        "topics_raised",
        "议题提出数",
        "topics raised",
        "count",
        "Topics whose raised_at lies in the window, counted at their scope node.",
        "提出时间在统计期内的议题数，计入其所在节点。",
    ),
    _d(
        "topics_responded",
        "已回应议题数",
        "topics answered",
        "count",
        "Of the topics raised in the window, those with a first response (at any time).",
        "统计期内提出的议题中，已有首次回应的议题数。",
    ),
    _d(
        "topics_converted",
        "议题转项目数",
        "topics turned into projects",
        "count",
        "Of the topics raised in the window, those turned into a micro-project: state "
        "'converted' or linked to a project (project_id set).",
        "统计期内提出的议题中，已转为微项目（状态为“已转为项目”或已关联项目）的议题数。",
    ),
    _d(
        "problems_solved",
        "解决问题数",
        "problems solved",
        "count",
        "Topics whose resolved_at lies in the window, whenever they were raised.",
        "解决时间在统计期内的议题数（不论何时提出）。",
    ),
    _d(
        "mean_response_hours",
        "平均响应时长（小时）",
        "average response time (hours)",
        "hours",
        "Over the topics raised in the window that have a first response, the mean of "
        "first_response_at − raised_at in hours (exact Fraction); None when none was answered. "
        "Computed at each node from the summed durations and counts below it.",
        "统计期内提出且已回应的议题，自提出至首次回应时长的平均值（小时，精确分数）；"
        "无已回应议题时为空。各级由下级时长之和与议题数计算。",
        additive=False,
    ),
    _d(
        "talents",
        "达人数",
        "talents found",
        "count",
        "Talent registrations (TalentRecord) whose registered_at lies in the window.",
        "登记时间在统计期内的达人登记数。",
    ),
    _d(
        "projects_accepted",
        "微项目立项数",
        "micro-projects accepted",
        "count",
        "Micro-projects with a 'project.accepted' lifecycle event (举手接纳) in the window, "
        "each project counted once, at its scope node.",
        "统计期内有“举手接纳”（project.accepted）事件的微项目数，每个项目计一次。",
    ),
    _d(
        "projects_completed",
        "微项目完成数",
        "micro-projects completed",
        "count",
        "Micro-projects with a 'project.completed' lifecycle event (验收) in the window, "
        "each project counted once, at its scope node.",
        "统计期内有“验收”（project.completed）事件的微项目数，每个项目计一次。",
    ),
    _d(
        "activities",
        "活动场次",
        "activities",
        "count",
        "Activities whose held_at lies in the window.",
        "举办时间在统计期内的活动场次。",
    ),
    _d(
        "participations",
        "参与人次",
        "participations",
        "person-times",
        "Sum over the activities in the window of their number of participants.",
        "统计期内各场活动参与人数之和（人次）。",
    ),
    _d(
        "volunteer_services",
        "志愿服务人次",
        "volunteer services",
        "person-times",
        "Sum over the activities in the window of their number of volunteers.",
        "统计期内各场活动志愿者人数之和（人次）。",
    ),
    _d(
        "volunteers",
        "登记志愿者数",
        "registered volunteers",
        "count",
        "Volunteer role assignments (Role.VOLUNTEER) in the governance graph given that are "
        "in force on the window's last day (Asia/Shanghai), counted at their node; a stock.",
        "治理层级图中统计期最后一天有效的志愿者角色登记数，计入登记节点；为存量。",
    ),
    _d(
        "resources",
        "网格资源数",
        "grid resources",
        "count",
        "Resources (schools, shops, enterprises …) linked to micro-grids in the governance "
        "graph given, counted at their grid; a stock, not a flow.",
        "治理层级图中关联到微网格的资源（学校、商铺、企业等）数，计入所服务网格；为存量。",
    ),
    _d(
        "residential_areas",
        "居民区数",
        "residential areas",
        "count",
        "Residential-area nodes in the governance graph given (1 at each area).",
        "治理层级图中的居民区数。",
    ),
    _d(
        "resources_per_area",
        "居民区平均资源数",
        "resources per residential area",
        "ratio",
        "resources / residential_areas at the node (exact Fraction); None with no area.",
        "节点下网格资源数除以居民区数（精确分数）；无居民区时为空。",
        additive=False,
    ),
)
"""Every indicator, in display order: the source of the metrics reference page."""

_BY_ID: Final = {d.id: d for d in CATALOGUE}


def indicator(id: str) -> IndicatorDef:
    """The definition of one indicator.

    Args:
        id: The indicator's id, e.g. ``'problems_solved'``.

    Returns:
        Its :class:`IndicatorDef`.

    Raises:
        PolicyError: ``metrics.unknown_indicator`` for an id not in :data:`CATALOGUE`.

    Example:
        >>> indicator("mean_response_hours").unit
        'hours'
        >>> indicator("likes")
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Unknown indicator 'likes'; ... [metrics.unknown_indicator]
    """
    try:
        return _BY_ID[id]
    except (KeyError, TypeError):
        known = ", ".join(_BY_ID)
        raise PolicyError(
            f"Unknown indicator {id!r}; known: {known}.",
            f"未知指标 {id!r}；可用指标：{known}。",
            code="metrics.unknown_indicator",
            indicator=repr(id),
        ) from None
