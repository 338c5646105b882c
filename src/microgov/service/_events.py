"""The service's streams and event types: the stable record other tools read.

Every event the service writes carries ``payload["command"]``, the id of the
command that wrote it (one command may write several streams in one atomic
append).  Times are the service clock's; money is integer fen; choices, modes and
states are the cores' string values.  The table is documented in
:mod:`microgov.service`.
"""

from __future__ import annotations

from typing import Final

__all__ = ["EVENT_TYPES", "STREAM_KINDS"]

STREAM_KINDS: Final[tuple[str, ...]] = (
    "graph",
    "policy",
    "roll",
    "topic",
    "project",
    "vote",
    "ledger",
    "round",
)
"""The kinds of stream the service writes; a stream is named ``"{kind}:{id}"``.

Example:
    >>> "vote" in STREAM_KINDS
    True
"""

GRAPH_SNAPSHOT: Final = "graph.snapshot"
POLICY_CHANGED: Final = "policy.changed"
RESIDENT_REGISTERED: Final = "roll.resident_registered"
RESIDENTS_IMPORTED: Final = "roll.residents_imported"
RESIDENT_REMOVED: Final = "roll.resident_removed"
TOPIC_RAISED: Final = "topic.raised"
PROJECT_PROPOSED: Final = "project.proposed"
CHECK_RECORDED: Final = "project.check_recorded"
OBJECTION_RESOLVED: Final = "project.objection_resolved"
SCORED: Final = "project.scored"
COMMENTED: Final = "project.commented"
PROGRESS_REPORTED: Final = "project.progress_reported"
HELPER_NAMED: Final = "project.helper_named"
VOTE_OPENED: Final = "vote.opened"
HAND_RAISED: Final = "vote.hand_raised"
HAND_WITHDRAWN: Final = "vote.hand_withdrawn"
VOTE_CLOSED: Final = "vote.closed"
POSTED: Final = "funds.posted"
GRANTED: Final = "funds.granted"
ROUND_COMPLETED: Final = "round.completed"

EVENT_TYPES: Final[dict[str, str]] = {
    GRAPH_SNAPSHOT: "graph:{name} — document: the graph (microgov.io JSON)",
    POLICY_CHANGED: "policy:{name} — node, effective_from, document (a one-entry policy book)",
    RESIDENT_REGISTERED: "roll:{area} — resident, household, home, adult, verified, "
    "household_representative, group_representative, id_digest, id_masked, key_id",
    RESIDENTS_IMPORTED: "roll:{area} — residents: a list of the records above (a register)",
    RESIDENT_REMOVED: "roll:{area} — resident",
    TOPIC_RAISED: "topic:{id} — scope, title_zh, title_en, category",
    PROJECT_PROPOSED: "project:{id} — scope, proposer, origin, title_zh, title_en, cost_fen",
    CHECK_RECORDED: "project:{id} — check, passed, note",
    OBJECTION_RESOLVED: "project:{id} — objection, resolution",
    SCORED: "project:{id} — voter, household, score",
    COMMENTED: "project:{id} — text",
    PROGRESS_REPORTED: "project:{id} — percent, note (a resident's report)",
    HELPER_NAMED: "project:{id} — person, role",
    VOTE_OPENED: "vote:{id} — project, scope, question_zh, question_en, mode, second_hand, "
    "quorum_family, opens_at, closes_at, roll_position, entitled",
    HAND_RAISED: "vote:{id} — voter, household, choice, channel, replaces",
    HAND_WITHDRAWN: "vote:{id} — voter, household",
    VOTE_CLOSED: "vote:{id} — project, decided_on, preset, entitled, present, in_favour, "
    "against, abstain, passed (+ the quorum and majority verdicts)",
    POSTED: "ledger:{name} — posting, kind, project, memo, entries [[account, fen], ...]",
    GRANTED: "ledger:{name} — project, grant_fen, source, round",
    ROUND_COMPLETED: "round:{id} — rule, budget_fen, pool_fen, selected, explanations",
}
"""Every event type the service writes of its own, with its stream and payload fields.

The project and topic lifecycle events (``project.accepted``, ``topic.converted`` …)
are the lifecycle tables' own (:data:`microgov.lifecycle.PROJECT`); the service adds
to their payload the facts it decided on (``notice_ends_at``, ``objections``,
``objection``, ``percent``, ``milestone``, ``vote``).

Example:
    >>> EVENT_TYPES["vote.hand_raised"].split(" — ")[0]
    'vote:{id}'
"""
