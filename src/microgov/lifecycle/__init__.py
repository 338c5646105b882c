"""Table-driven lifecycles (流程) for micro-projects (微项目) and topics (议题).

A lifecycle is data: :class:`StateDef` rows, :class:`Transition` rows, an initial
state — a :class:`Lifecycle` checked when built (every problem reported at once,
:class:`~microgov.errors.PolicyError` ``lifecycle.bad_table``).  A tracked item's state
is only its state key, a ``str``: :func:`apply` takes ``(lifecycle, state, command,
context)`` and returns the new key and the emitted :class:`Event` values, or raises
:class:`~microgov.errors.TransitionRefused` with every verdict; nothing is created per
item and nothing changes on refusal.  :func:`replay` folds events back into a state.

Who may issue a command is checked on the governance graph: a transition's ``roles``
must be held by the actor at the item's scope node or above (on the command's day in
Asia/Shanghai); ``roles=()`` means anyone (a resident).  Guards are named rules looked
up in a registry (:data:`DEFAULT_GUARDS`).

The guards judge the facts a command carries (verdicts, a notice end, an objection
count): pure and usable alone — in tests, what-if replays, other hosts.  A system that
must have the rules *enforced* sends its commands through :class:`microgov.service.Service`,
the front door, which supplies those facts from what it has recorded and never from the
caller.

Final states (DONE/FAILED) have no way out, except by commands a table names in
``final_exits`` — the topic table allows ``reopen``; the project table allows none.

The micro-project table (:data:`PROJECT`), initial state ``proposed``
(roles: L = party secretary or committee member; O = L or social worker;
S = O or grid leader; F = S, liaison, building leader or second building leader;
— = anyone)::

    command            from                          to           roles guards / note
    -----------------  ----------------------------  -----------  ----- -----------------------
    open_solicitation  proposed                      soliciting   S     (意见征集)
    raise_hands        soliciting                    hand_raised  L     (举手立项)
    accept             hand_raised                   accepted     L     vote.passed (举手接纳)
    publish_decision   accepted                      established  O     (decision published)
    reject             soliciting, hand_raised       rejected     L
    withdraw           proposed, soliciting,         withdrawn    S
                       hand_raised
    fund               established                   funded       L
    start              funded                        in_progress  O     (实施)
    record_progress    in_progress                   in_progress  F     (self-loop: progress)
    complete           in_progress                   completed    L     verdicts.all_passed (验收)
    publicise          completed                     publicised   O     (公示)
    object             publicised                    suspended    —     (an objection)
    resume             suspended                     publicised   L
    rectify            suspended                     in_progress  L     (整改)
    evaluate           publicised                    evaluated    L     notice.elapsed,
                                                                        objection.none,
                                                                        evaluation.passed (评价)
    close              evaluated                     closed       L
    cancel             accepted, established,        cancelled    L
                       funded, in_progress,
                       suspended

Final: ``closed`` (DONE); ``rejected``, ``withdrawn``, ``cancelled`` (FAILED).  A
proposal itself needs no command: an item starts in ``proposed``, recorded by whoever
stores it.  Deciding and publishing are separate steps: ``accept`` records the vote
decision, ``publish_decision`` its publication.

The topic table (:data:`TOPIC`), initial state ``open``::

    command      from                             to            roles
    -----------  -------------------------------  ------------  -----
    acknowledge  open                             acknowledged  F
    start        acknowledged                     in_progress   S
    resolve      acknowledged, in_progress        resolved      S
    convert      acknowledged, in_progress        converted     O     (转为项目)
    close        open, acknowledged, in_progress  closed        S
    reopen       resolved, closed                 open          —     (final exit)

Final: ``resolved``, ``converted``, ``closed`` (all DONE); ``converted`` cannot be
reopened (the project carries on).

Example:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from microgov.datasets import meilan_xihu
    >>> from microgov.lifecycle import TOPIC, Command, Context, apply
    >>> ctx = Context(hierarchy=meilan_xihu(), scope="area-01")
    >>> at = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> apply(TOPIC, "resolved", Command(name="reopen", item="t-7", actor="u-1", at=at),
    ...       ctx)[0]
    'open'
"""

from microgov._public import publish as _publish
from microgov.lifecycle._apply import Command, Context, Event, apply, replay
from microgov.lifecycle._builtin import (
    PROJECT,
    PROJECT_CANCELLED,
    PROJECT_EVALUATED,
    PROJECT_FUNDED,
    TOPIC,
)
from microgov.lifecycle._export import to_dot, to_mermaid
from microgov.lifecycle._guards import (
    DEFAULT_GUARDS,
    Guard,
    evaluation_passed,
    notice_elapsed,
    objection_none,
    verdicts_all_passed,
    vote_of,
    vote_passed,
)
from microgov.lifecycle._table import ANY_STATE, Category, Lifecycle, StateDef, Transition

__all__ = [
    "ANY_STATE",
    "DEFAULT_GUARDS",
    "PROJECT",
    "PROJECT_CANCELLED",
    "PROJECT_EVALUATED",
    "PROJECT_FUNDED",
    "TOPIC",
    "Category",
    "Command",
    "Context",
    "Event",
    "Guard",
    "Lifecycle",
    "StateDef",
    "Transition",
    "apply",
    "evaluation_passed",
    "notice_elapsed",
    "objection_none",
    "replay",
    "to_dot",
    "to_mermaid",
    "verdicts_all_passed",
    "vote_of",
    "vote_passed",
]

_publish(__name__, globals(), __all__)
