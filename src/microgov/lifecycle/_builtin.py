"""The built-in lifecycle tables: micro-projects (微项目) and topics (议题).

The tables are documented in :mod:`microgov.lifecycle`'s module docstring.
"""

from __future__ import annotations

from typing import Final

from microgov._event_names import PROJECT_CANCELLED, PROJECT_EVALUATED, PROJECT_FUNDED
from microgov.hierarchy import Role
from microgov.lifecycle._table import Category, Lifecycle, StateDef, Transition

__all__ = ["PROJECT", "PROJECT_CANCELLED", "PROJECT_EVALUATED", "PROJECT_FUNDED", "TOPIC"]

# Who may issue what.  Roles are checked at the item's scope node or above, so a grid
# leader acts on the projects and topics of their own grid, a committee member on
# those of their residential area, a town party secretary on the whole town.
_LEADERS: Final = (Role.PARTY_SECRETARY, Role.COMMITTEE_MEMBER)
_OFFICE: Final = (*_LEADERS, Role.SOCIAL_WORKER)
_STAFF: Final = (*_OFFICE, Role.GRID_LEADER)
_FIELD: Final = (*_STAFF, Role.LIAISON, Role.BUILDING_LEADER, Role.SECOND_BUILDING_LEADER)
_ANYONE: Final = ()

_O, _A, _D, _F = Category.OPEN, Category.ACTIVE, Category.DONE, Category.FAILED


def _s(key: str, category: Category, zh: str, en: str) -> StateDef:
    return StateDef(key=key, category=category, label_zh=zh, label_en=en)


def _t(
    command: str,
    source: str | tuple[str, ...],
    target: str,
    event: str,
    roles: tuple[Role, ...],
    guards: tuple[str, ...] = (),
) -> Transition:
    return Transition(
        command=command, source=source, target=target, event=event, roles=roles, guards=guards
    )


PROJECT: Final = Lifecycle(
    name="project",
    initial="proposed",
    states=(
        _s("proposed", _O, "已提议", "proposed"),
        _s("soliciting", _O, "意见征集", "soliciting opinions"),
        _s("hand_raised", _A, "举手立项", "hands raised"),
        _s("accepted", _A, "已举手接纳（待公布）", "accepted (to be published)"),
        _s("established", _A, "已立项", "established"),
        _s("funded", _A, "已拨款", "funded"),
        _s("in_progress", _A, "实施中", "in progress"),
        _s("completed", _A, "已验收", "completed"),
        _s("publicised", _A, "公示中", "publicised"),
        _s("suspended", _A, "公示暂停（有异议）", "suspended (objection)"),
        _s("evaluated", _A, "已评价", "evaluated"),
        _s("closed", _D, "已结项", "closed"),
        _s("rejected", _F, "未获通过", "rejected"),
        _s("withdrawn", _F, "已撤回", "withdrawn"),
        _s("cancelled", _F, "已取消", "cancelled"),
    ),
    transitions=(
        _t("open_solicitation", "proposed", "soliciting", "project.solicitation_opened", _STAFF),
        _t("raise_hands", "soliciting", "hand_raised", "project.hands_raised", _LEADERS),
        _t("accept", "hand_raised", "accepted", "project.accepted", _LEADERS, ("vote.passed",)),
        _t("publish_decision", "accepted", "established", "project.decision_published", _OFFICE),
        _t("reject", ("soliciting", "hand_raised"), "rejected", "project.rejected", _LEADERS),
        _t(
            "withdraw",
            ("proposed", "soliciting", "hand_raised"),
            "withdrawn",
            "project.withdrawn",
            _STAFF,
        ),
        _t("fund", "established", "funded", PROJECT_FUNDED, _LEADERS),
        _t("start", "funded", "in_progress", "project.started", _OFFICE),
        _t("record_progress", "in_progress", "in_progress", "project.progress_recorded", _FIELD),
        _t(
            "complete",
            "in_progress",
            "completed",
            "project.completed",
            _LEADERS,
            ("verdicts.all_passed",),
        ),
        _t("publicise", "completed", "publicised", "project.publicised", _OFFICE),
        _t("object", "publicised", "suspended", "project.objection_raised", _ANYONE),
        _t("resume", "suspended", "publicised", "project.resumed", _LEADERS),
        _t("rectify", "suspended", "in_progress", "project.rectification_ordered", _LEADERS),
        _t(
            "evaluate",
            "publicised",
            "evaluated",
            PROJECT_EVALUATED,
            _LEADERS,
            ("notice.elapsed", "objection.none", "evaluation.passed"),
        ),
        _t("close", "evaluated", "closed", "project.closed", _LEADERS),
        _t(
            "cancel",
            ("accepted", "established", "funded", "in_progress", "suspended"),
            "cancelled",
            PROJECT_CANCELLED,
            _LEADERS,
        ),
    ),
)
"""The micro-project lifecycle: 意见征集 → 举手立项 → 举手接纳 → 实施 → 验收 → 公示 → 评价."""

TOPIC: Final = Lifecycle(
    name="topic",
    initial="open",
    final_exits=("reopen",),
    states=(
        _s("open", _O, "待回应", "open"),
        _s("acknowledged", _A, "已回应", "acknowledged"),
        _s("in_progress", _A, "办理中", "in progress"),
        _s("resolved", _D, "已解决", "resolved"),
        _s("converted", _D, "已转为项目", "converted to a project"),
        _s("closed", _D, "已关闭", "closed"),
    ),
    transitions=(
        _t("acknowledge", "open", "acknowledged", "topic.acknowledged", _FIELD),
        _t("start", "acknowledged", "in_progress", "topic.started", _STAFF),
        _t("resolve", ("acknowledged", "in_progress"), "resolved", "topic.resolved", _STAFF),
        _t("convert", ("acknowledged", "in_progress"), "converted", "topic.converted", _OFFICE),
        _t("close", ("open", "acknowledged", "in_progress"), "closed", "topic.closed", _STAFF),
        _t("reopen", ("resolved", "closed"), "open", "topic.reopened", _ANYONE),
    ),
)
"""The topic (议题) lifecycle: a resident's post answered, worked on, resolved or converted."""
