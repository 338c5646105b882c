"""Meetings (会议) and a residents' committee's yearly obligations (年度义务).

A :class:`Meeting` records a residents' meeting (居民会议), a representatives'
meeting, one of the three meetings of 上海市居民委员会工作条例 第十六条 (听证会、协调会、
评议会) or a democratic review (民主评议): its agenda, the notice given, who attended —
in person or on a counted paper sign-in sheet — its minutes and the decisions it took,
linked to the micro-projects and topics they decide.  :func:`judge_attendance` counts a
residents' meeting's attendance against the roll and judges its quorum under the
preset in force on the day.  :func:`yearly_compliance` checks the recorded history of
a year, per residential area, against the yearly obligations
(:data:`microgov.policy.OBLIGATIONS`) and lists what is missing.

Codes: ``compliance.met``, ``compliance.missing`` (verdicts); ``meeting.invalid``,
``meeting.no_quorum_rule`` (errors).

Example:
    >>> from microgov.meetings import MeetingKind
    >>> [k.label_zh for k in MeetingKind if k.is_three_meetings]
    ['听证会', '协调会', '评议会']
"""

from microgov._public import publish as _publish
from microgov.meetings._compliance import (
    AreaCompliance,
    ComplianceReport,
    Publication,
    yearly_compliance,
)
from microgov.meetings._meeting import (
    Decision,
    Meeting,
    MeetingKind,
    Notice,
    NoticeMethod,
    SignInSheet,
    judge_attendance,
)

__all__ = [
    "AreaCompliance",
    "ComplianceReport",
    "Decision",
    "Meeting",
    "MeetingKind",
    "Notice",
    "NoticeMethod",
    "Publication",
    "SignInSheet",
    "judge_attendance",
    "yearly_compliance",
]

_publish(__name__, globals(), __all__)
