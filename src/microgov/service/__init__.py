"""The service (服务): one front door that holds the facts and enforces the rules.

The cores judge whatever they are handed; :class:`Service` hands them only what it
holds itself.  It sits over any :class:`~microgov.store.EventStore` (memory,
SQLite, PostgreSQL), folds the stored events into facts — the governance graph and
policy book in force, the roll, each project's scope, proposer and origin, each
vote's hands, inspection checks, objections, scores, the ledger — and decides every
command on those facts.  A command names the items and the person; it never brings
its own verdicts, deadlines, counts or amounts.  What a command decides is written
atomically over every stream it touches, or not at all (:class:`CommandRefused`
with reason codes in Chinese and English).  Every command carries an id; a retry
returns the first :class:`Receipt`.

The events it writes (each carries ``payload["command"]``):

================================  =============  ===============================================
type                              stream         payload
================================  =============  ===============================================
``graph.snapshot``                graph:{name}   document (the graph as microgov.io JSON)
``policy.changed``                policy:{name}  node, effective_from, document (one-entry book)
``roll.resident_registered``      roll:{area}    resident, household, home, area, adult,
                                                 verified, household_representative,
                                                 group_representative [, id_digest,
                                                 id_masked, key_id]
``roll.residents_imported``       roll:{area}    area, residents (a list of the records above)
``roll.resident_removed``         roll:{area}    resident
``topic.raised``                  topic:{id}     scope, title_zh, title_en, category, state
``topic.*`` (lifecycle)           topic:{id}     state [, note, project]
``project.proposed``              project:{id}   scope, proposer, origin, title_zh, title_en,
                                                 cost_fen, state
``project.*`` (lifecycle)         project:{id}   state [, note, vote, notice_ends_at,
                                                 notice_period, objections, objection,
                                                 percent, milestone, grant_fen, source, round]
``project.check_recorded``        project:{id}   check, passed, note
``project.objection_resolved``    project:{id}   objection, resolution
``project.scored``                project:{id}   voter, household, score
``project.commented``             project:{id}   text
``project.progress_reported``     project:{id}   percent, note
``project.helper_named``          project:{id}   person, role
``vote.opened``                   vote:{id}      project, scope, question_zh, question_en, mode,
                                                 second_hand, quorum_family, opens_at,
                                                 closes_at, roll_position, entitled
``vote.hand_raised``              vote:{id}      voter, household, choice, channel, replaces
``vote.hand_withdrawn``           vote:{id}      voter, household
``vote.closed``                   vote:{id}      project, decided_on, preset, entitled, present,
                                                 in_favour, against, abstain, passed
                                                 (+ quorum and majority verdicts)
``funds.posted``                  ledger:{name}  posting, kind (budget, tranche, refund, spend,
                                                 close), project, memo_en, memo_zh,
                                                 entries [[account, fen], …] [, year]
``funds.granted``                 ledger:{name}  project, grant_fen, source, round [, released]
``round.completed``               round:{id}     rule, budget_fen, pool_fen, area_budgets,
                                                 ballots, selected, explanations [{project,
                                                 outcome, funded, votes, cost_fen, en, zh}]
================================  =============  ===============================================

Example:
    >>> from microgov.service import sandbox, walk_to
    >>> service, clock = sandbox()
    >>> walk_to(service, clock, "p-1", "closed")
    >>> view = service.project("p-1")
    >>> view.state, view.grant_fen, view.paid_fen, service.store.verify().ok
    ('closed', 300000, 300000, True)
"""

from microgov.service._errors import CommandRefused
from microgov.service._events import EVENT_TYPES, STREAM_KINDS
from microgov.service._sandbox import STAGES, sandbox, sandbox_graph, walk_to
from microgov.service._service import (
    TRANCHE_STAGES,
    Clock,
    ManualClock,
    Receipt,
    Service,
)
from microgov.service._views import Deadline, ProjectView, Step, TopicView, VoteView

__all__ = [
    "EVENT_TYPES",
    "STAGES",
    "STREAM_KINDS",
    "TRANCHE_STAGES",
    "Clock",
    "CommandRefused",
    "Deadline",
    "ManualClock",
    "ProjectView",
    "Receipt",
    "Service",
    "Step",
    "TopicView",
    "VoteView",
    "sandbox",
    "sandbox_graph",
    "walk_to",
]
