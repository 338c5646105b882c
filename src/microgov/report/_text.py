"""The report's words in Chinese and English, and number formats (display only)."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from microgov.lifecycle import PROJECT
from microgov.report._errors import ReportError

__all__ = ["Lang", "check_lang", "hours", "percent", "state_label", "t", "yuan"]

Lang = Literal["zh", "en"]

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("社区微治理年度报告", "Community micro-governance report"),
    "synthetic": (
        "演示数据：治理规则真实，人员、数量与金额为合成数据。",
        "Demo data: the rules are real; people, counts and amounts are synthetic.",
    ),
    "period": ("时段", "Period"),
    "node": ("范围", "Scope"),
    "source": ("数据来源", "Data source"),
    "contents": ("目录", "Contents"),
    "table": ("数据表", "Data table"),
    "sec.hierarchy": ("治理网格：居民区与微网格", "The grid: residential areas and micro-grids"),
    "sec.pipeline": ("微项目流程", "The micro-project pipeline"),
    "sec.participation": ("举手表决参与率", "Hand-raising participation"),
    "sec.funds": ("专项资金", "Special funds"),
    "sec.responses": ("议题响应时长", "Response times to residents' topics"),
    "sec.indicators": ("治理指标同比", "Indicators against the previous year"),
    "sec.audit": ("审计链状态", "The audit chain"),
    "cap.hierarchy": (
        "每个方块是一个居民区，面积与户数成正比；方块内的细分是其微网格（同样按户数）。",
        "Each block is a residential area, its size proportional to households; "
        "the divisions inside are its micro-grids (also by households).",
    ),
    "cap.pipeline": (
        "本时段提出的微项目中，到达各状态的项目数（每个项目每个状态只计一次）。",
        "Of the micro-projects proposed in the period, how many reached each state "
        "(each project counted once per state).",
    ),
    "cap.stages": (
        "各阶段用时的中位数（天），只计两端状态都已到达的项目。",
        "Median days per stage, over the projects that reached both ends.",
    ),
    "cap.participation": (
        "各居民区举手表决中，举手户数占应到户数的比例（所有表决合计）。",
        "Per residential area, hands raised over households entitled, over all its votes.",
    ),
    "cap.funds": (
        "各居民区本年度专项资金：拨入、授予项目（扣除退款）、项目支出、年末退回镇统筹资金池（元）。",
        "Each area's special fund this year: received, granted to projects (less refunds), "
        "spent by projects, returned to the town pool at year end (yuan).",
    ),
    "cap.rules": (
        "同一轮分配在不同规则下授予各居民区项目的金额（元），并列比较。",
        "Money the same allocation round grants each area's projects under each rule "
        "(yuan), side by side.",
    ),
    "cap.responses": (
        "各居民区议题首次官方回应用时的分布（按时长分段的占比），而不只是平均值。",
        "Per area, the distribution of time to the first official response (share of "
        "topics per band), not only the mean.",
    ),
    "cap.indicators": (
        "各项指标本年相对上年的变化（%）；上年为 0 的指标不计变化。",
        "Each indicator's change this year against the previous year (%); none where the "
        "previous year was 0.",
    ),
    "col.area": ("居民区", "Area"),
    "col.households": ("户数", "Households"),
    "col.grids": ("微网格", "Micro-grids"),
    "col.state": ("状态", "State"),
    "col.reached": ("到达项目数", "Projects reached"),
    "col.stage": ("阶段", "Stage"),
    "col.median_days": ("中位天数", "Median days"),
    "col.projects": ("项目数", "Projects"),
    "col.votes": ("表决次数", "Votes"),
    "col.hands": ("举手户数", "Hands"),
    "col.entitled": ("应到户数", "Entitled"),
    "col.share": ("参与率", "Share"),
    "col.budget": ("拨入", "Received"),
    "col.granted": ("授予项目", "Granted"),
    "col.spent": ("支出", "Spent"),
    "col.returned": ("退回资金池", "Returned to pool"),
    "col.topics": ("议题数", "Topics"),
    "col.mean": ("平均", "Mean"),
    "col.median": ("中位数", "Median"),
    "col.p90": ("P90", "P90"),
    "col.within": ("{h} 小时内回应", "Within {h} h"),
    "col.overdue": ("超时", "Overdue"),
    "col.rank": ("排名", "Rank"),
    "col.indicator": ("指标", "Indicator"),
    "col.current": ("本年", "This year"),
    "col.previous": ("上年", "Last year"),
    "col.change": ("变化", "Change"),
    "band.unanswered": ("未回应", "not answered"),
    "band.over": ("> {h} 小时", "> {h} h"),
    "band.upto": ("≤ {h} 小时", "≤ {h} h"),
    "axis.share": ("占比（%）", "share (%)"),
    "axis.projects": ("项目数", "projects"),
    "axis.days": ("天", "days"),
    "axis.yuan": ("万元", "¥10,000"),
    "axis.change": ("变化（%）", "change (%)"),
    "audit.ok": ("哈希链校验通过", "Hash chain verified"),
    "audit.broken": ("哈希链校验失败", "Hash chain BROKEN"),
    "audit.events": ("事件数", "Events"),
    "audit.head": ("链头哈希", "Head hash"),
    "audit.findings": ("问题", "Findings"),
    "audit.explain": (
        "每条记录都含有前一条记录的哈希值；任何事后修改都会使校验失败。链头哈希可公开，"
        "任何人都能用它核对同一份记录。",
        "Each record holds the hash of the one before; any later edit breaks the check. "
        "The head hash can be published so that anyone can check they hold the same record.",
    ),
    "summary.households": ("户", "households"),
    "summary.areas": ("个居民区", "residential areas"),
    "summary.grids": ("个微网格", "micro-grids"),
    "summary.pool": (
        "镇统筹资金池：年初 {start}，年末 {end}（元）。",
        "Town pool: {start} at the start of the year, {end} at the end (yuan).",
    ),
    "summary.participation": ("全部表决参与率：{share}", "Participation over all votes: {share}"),
    "none": ("本时段无数据。", "No data in this period."),
    "generated": (
        "由 microgov {version} 生成；本文件离线可读，不加载任何外部资源。",
        "Made by microgov {version}; this file reads offline and loads nothing from outside.",
    ),
}


def check_lang(lang: str) -> Lang:
    """``lang`` if it is ``'zh'`` or ``'en'``.

    Raises:
        ReportError: ``report.bad_language`` otherwise.

    Example:
        >>> check_lang("en")
        'en'
    """
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise ReportError(
        f"Unknown report language {lang!r}: use 'zh' or 'en'.",
        f"未知的报告语言 {lang!r}：请使用 'zh' 或 'en'。",
        code="report.bad_language",
        lang=lang,
    )


def t(key: str, lang: Lang, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled.

    Example:
        >>> t("col.within", "en", h=4)
        'Within 4 h'
    """
    zh, en = _TEXT[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def state_label(state: str, lang: Lang) -> str:
    """A project state's label from the lifecycle table.

    Example:
        >>> state_label("soliciting", "zh")
        '意见征集'
    """
    label = PROJECT.state(state)
    return label.label_zh if lang == "zh" else label.label_en


def percent(value: Fraction | None, places: int = 0) -> str:
    """A share as a percentage, ``'–'`` for None.

    Example:
        >>> percent(Fraction(1, 3), 1)
        '33.3%'
    """
    return "–" if value is None else f"{float(value) * 100:.{places}f}%"


def hours(value: Fraction | None) -> str:
    """Hours with one decimal, ``'–'`` for None.

    Example:
        >>> hours(Fraction(7, 4))
        '1.8 h'
    """
    return "–" if value is None else f"{float(value):.1f} h"


def yuan(fen: int) -> str:
    """An amount in fen as whole yuan with thousands separators (display only).

    Example:
        >>> yuan(123_456_78)
        '¥123,457'
    """
    whole = (abs(fen) + 50) // 100
    return f"{'-' if fen < 0 else ''}¥{whole:,}"
