"""Reports policy officers can open (报告): one self-contained HTML file per node and period.

A report is data first — a :class:`Report` holding one immutable section per topic
(the grid sized by households, the project pipeline, hand-raising participation,
funds by area, response times, indicators against the previous year, the audit
chain's status) — filled from what microgov records (:func:`demo_report` for the
demo's simulated year) and rendered by :func:`render_html` into a single HTML file:
CSS and SVG charts inline, no script, no web font, nothing loaded from anywhere
(a Content-Security-Policy forbids it), Chinese set by the reader's own fonts.
Every chart has a caption naming what it shows and its data source, and the same
data as a table.

This package is an adapter at the top of the layers: the cores never import it.
Charts need the optional extra ``microgov[report]`` (matplotlib, imported only when
a chart is drawn); without it, ``render_html(..., charts=False)`` gives the tables.

Example:
    >>> report = demo_report(node="area-01")
    >>> report.pipeline.count("proposed") >= report.pipeline.count("closed")
    True
    >>> page = render_html(report, "zh", charts=False)
    >>> "<script" in page, "审计链状态" in page
    (False, True)
"""

from microgov.report._collect import (
    PIPELINE_STAGES,
    PIPELINE_STATES,
    RESPONSE_BANDS,
    areas_under,
    audit_section,
    funds_section,
    hierarchy_section,
    indicator_section,
    participation_section,
    pipeline_section,
    project_scopes,
    response_section,
)
from microgov.report._demo import demo_report, record_demo
from microgov.report._errors import ReportError
from microgov.report._html import CSP, SECTIONS, render_html, write_html
from microgov.report._model import (
    AreaSize,
    AuditSection,
    FundsRow,
    FundsSection,
    GridSize,
    HierarchySection,
    IndicatorRow,
    IndicatorSection,
    ParticipationRow,
    ParticipationSection,
    PipelineSection,
    Report,
    ResponseRow,
    ResponseSection,
    StageCount,
    StageDuration,
)
from microgov.report._store import (
    RecordedTopic,
    copy_events,
    recorded_graph,
    recorded_topics,
    store_report,
)
from microgov.report._whatif import (
    ROUND_EVENT,
    AreaMoney,
    Decision,
    Facts,
    RecordedRound,
    RecordedVote,
    RoundDiff,
    SlaDiff,
    VoteChange,
    WhatIf,
    recorded_facts,
    round_event_payload,
    what_if,
)

__all__ = [
    "CSP",
    "PIPELINE_STAGES",
    "PIPELINE_STATES",
    "RESPONSE_BANDS",
    "ROUND_EVENT",
    "SECTIONS",
    "AreaMoney",
    "AreaSize",
    "AuditSection",
    "Decision",
    "Facts",
    "FundsRow",
    "FundsSection",
    "GridSize",
    "HierarchySection",
    "IndicatorRow",
    "IndicatorSection",
    "ParticipationRow",
    "ParticipationSection",
    "PipelineSection",
    "RecordedRound",
    "RecordedTopic",
    "RecordedVote",
    "Report",
    "ReportError",
    "ResponseRow",
    "ResponseSection",
    "RoundDiff",
    "SlaDiff",
    "StageCount",
    "StageDuration",
    "VoteChange",
    "WhatIf",
    "areas_under",
    "audit_section",
    "copy_events",
    "demo_report",
    "funds_section",
    "hierarchy_section",
    "indicator_section",
    "participation_section",
    "pipeline_section",
    "project_scopes",
    "record_demo",
    "recorded_facts",
    "recorded_graph",
    "recorded_topics",
    "render_html",
    "response_section",
    "round_event_payload",
    "store_report",
    "what_if",
    "write_html",
]
