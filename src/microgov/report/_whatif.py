"""What-if replay (反事实推演): a recorded period re-decided under other rules.

The facts stay fixed — who raised a hand, how many households were entitled, which
projects asked for how much and who approved them, when each topic was answered —
and every rule-driven decision is taken again under an alternative policy book and/or
allocation rule: whether each vote accepts its project (quorum, majority, minimum
support), which projects an allocation round funds (the rule, the per-project cap)
and how the areas' response times compare with their targets.  Nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from fractions import Fraction
from functools import partial
from typing import Any

import attrs

from microgov.audit import AuditEvent
from microgov.errors import FundsError, MicrogovError, PolicyError
from microgov.funds import (
    Allocation,
    AllocationInstance,
    Outcome,
    Proposal,
    own_area_first,
    run_rule,
)
from microgov.hierarchy import Hierarchy, Level
from microgov.policy import (
    PRESETS,
    MeetingMode,
    PolicyBook,
    PolicySet,
    Verdict,
    majority_met,
    quorum_met,
)
from microgov.report._errors import ReportError
from microgov.report._store import RecordedTopic, recorded_topics
from microgov.sla import RankBy, SlaPolicy, rollup_sla

__all__ = [
    "ROUND_EVENT",
    "AreaMoney",
    "Decision",
    "Facts",
    "RecordedRound",
    "RecordedVote",
    "RoundDiff",
    "SlaDiff",
    "VoteChange",
    "WhatIf",
    "recorded_facts",
    "round_event_payload",
    "what_if",
]

ROUND_EVENT = "allocation.round"
"""The event type of a recorded allocation round (stream ``allocation:ROUND``).

Its payload (:func:`round_event_payload`): ``rule``, ``own_area_first``, ``unit``,
``projects`` (id, cost in fen, scope, name), ``ballots`` (the approved project ids of
each household), ``area_budgets`` (fen), ``pool`` (fen) and the recorded ``selected``.

Example:
    >>> ROUND_EVENT
    'allocation.round'
"""


@attrs.frozen(kw_only=True)
class RecordedVote:
    """A tallied hand-raising vote as recorded: the counts and the verdicts taken then.

    Example:
        >>> from datetime import date
        >>> v = RecordedVote(vote="v1", project="p1", scope="area-01", decided_on=date(2026, 3, 9),
        ...                  mode=MeetingMode.HOUSEHOLDS, entitled=100, present=60,
        ...                  in_favour=40, verdicts=())
        >>> v.passed
        True
    """

    vote: str
    project: str | None
    scope: str
    decided_on: date
    mode: MeetingMode
    entitled: int
    present: int
    in_favour: int
    verdicts: tuple[Verdict, ...]

    @property
    def passed(self) -> bool:
        """Whether every recorded verdict passed."""
        return all(v.passed for v in self.verdicts)


@attrs.frozen(kw_only=True)
class RecordedRound:
    """An allocation round as recorded: the election, the money, the rule and its result.

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=10, projects=[Proposal(id="a", cost=10)],
        ...                           ballots=[{"a"}])
        >>> RecordedRound(id="r1", rule="greedy", own_area_first=False, instance=inst,
        ...               area_budgets={}, pool=0, selected=("a",)).selected
        ('a',)
    """

    id: str
    rule: str
    own_area_first: bool
    instance: AllocationInstance
    area_budgets: Mapping[str, int]
    pool: int
    selected: tuple[str, ...]
    pool_funded: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class Facts:
    """Everything a what-if replay reads, taken once from the recorded events.

    Example:
        >>> Facts(votes=(), rounds=(), topics=(), last=None).votes
        ()
    """

    votes: tuple[RecordedVote, ...]
    rounds: tuple[RecordedRound, ...]
    topics: tuple[RecordedTopic, ...]
    last: datetime | None
    policy: PolicyBook | None = None


def round_event_payload(
    *,
    rule: str,
    instance: AllocationInstance,
    area_budgets: Mapping[str, int],
    pool: int,
    selected: Sequence[str],
    pool_funded: Sequence[str] = (),
    own_area_first: bool = True,
) -> dict[str, Any]:
    """The payload of an ``allocation.round`` event recording a round (money in fen).

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=10, projects=[Proposal(id="a", cost=10, scope="x")],
        ...                           ballots=[{"a"}])
        >>> p = round_event_payload(rule="greedy", instance=inst, area_budgets={"x": 10}, pool=0,
        ...                         selected=["a"])
        >>> p["projects"], p["ballots"]
        ([{'id': 'a', 'cost': 10, 'scope': 'x', 'name': ''}], [['a']])
    """
    return {
        "rule": rule,
        "own_area_first": own_area_first,
        "unit": int(instance.unit),
        "projects": [
            {"id": p.id, "cost": int(p.cost), "scope": p.scope or "", "name": p.name or ""}
            for p in instance.projects
        ],
        "ballots": [sorted(b) for b in instance.ballots],
        "area_budgets": {area: int(fen) for area, fen in area_budgets.items()},
        "pool": int(pool),
        "selected": list(selected),
        "pool_funded": list(pool_funded),
    }


def _round(event: AuditEvent) -> RecordedRound:
    p: Any = event.payload  # read defensively: any bad shape is caught below
    try:
        projects = [
            Proposal(
                id=str(x["id"]),
                cost=int(x["cost"]),
                scope=str(x["scope"]) or None,
                name=str(x["name"]),
            )
            for x in p["projects"]
        ]
        ballots = [frozenset(str(i) for i in b) for b in p["ballots"]]
        budgets = {str(a): int(v) for a, v in p["area_budgets"].items()}
        pool = int(p["pool"])
        instance = AllocationInstance(
            budget=sum(budgets.values()) + pool,
            projects=projects,
            ballots=ballots,
            unit=int(p.get("unit", 1)),
        )
        return RecordedRound(
            id=event.stream.removeprefix("allocation:"),
            rule=str(p["rule"]),
            own_area_first=bool(p.get("own_area_first", True)),
            instance=instance,
            area_budgets=budgets,
            pool=pool,
            selected=tuple(str(s) for s in p["selected"]),
            pool_funded=tuple(str(s) for s in p["pool_funded"]) if "pool_funded" in p else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError, MicrogovError) as err:
        raise _unusable(f"allocation round {event.id} cannot be read ({err})") from err


def recorded_facts(events: Sequence[AuditEvent], hierarchy: Hierarchy | None = None) -> Facts:
    """The facts of ``events``: tallied votes, allocation rounds, topics, the policy book.

    Reads both what the demo records and what :class:`microgov.service.Service`
    records.  Votes come from ``vote.tallied`` (demo) or ``vote.closed`` (service)
    events: the counts in the payload, the quorum and majority verdicts taken then; the
    project and its scope from the project's ``project.proposed`` event.  Rounds come
    from ``allocation.round`` events (demo, :func:`round_event_payload`) or
    ``round.completed`` events (service), whose approval ballots are rebuilt from the
    recorded hands in favour on each project's accepting vote, as the service built
    them.  The recorded policy book is the sum of the ``policy.changed`` events.

    Args:
        events: Events in chain order (e.g. ``store.read_all()``).
        hierarchy: The governance graph, to place a service project's scope in its
            residential area (default: the last ``graph.snapshot`` recorded).

    Raises:
        ReportError: ``report.unusable_store`` for a recorded fact that cannot be read.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.simulation import simulate_season
        >>> s = simulate_season(meilan_xihu(), seed=7, start=date(2026, 3, 2), areas=2)
        >>> facts = recorded_facts(s.log.events)
        >>> len(facts.votes) == s.votes, len(facts.topics) == s.topics_raised
        (True, True)

        A service's store:

        >>> from microgov.service import sandbox, walk_to
        >>> service, clock = sandbox()
        >>> walk_to(service, clock, "p-1", "established")
        >>> _ = service.run_round("r-1", actor="sec-town", round="2026-1")
        >>> facts = recorded_facts(service.store.read_all())
        >>> [v.project for v in facts.votes], facts.rounds[0].selected
        (['p-1'], ('p-1',))
    """
    from microgov.report._collect import project_scopes

    scopes = project_scopes(events)
    votes: list[RecordedVote] = []
    rounds: list[RecordedRound] = []
    hands: dict[str, dict[str, tuple[str, str]]] = {}
    accepted_on: dict[str, str] = {}
    graph_doc: str | None = None
    book: PolicyBook | None = None
    for event in events:
        kind, payload = event.type, event.payload
        if kind in ("vote.tallied", "vote.closed"):
            votes.append(_vote(event, scopes))
        elif kind == ROUND_EVENT:
            rounds.append(_round(event))
        elif kind == "vote.hand_raised":
            held = hands.setdefault(event.stream.removeprefix("vote:"), {})
            replaced = payload.get("replaces")
            if isinstance(replaced, str):
                held.pop(replaced, None)
            held[str(payload.get("voter"))] = (
                str(payload.get("household")),
                str(payload.get("choice")),
            )
        elif kind == "vote.hand_withdrawn":
            hands.get(event.stream.removeprefix("vote:"), {}).pop(str(payload.get("voter")), None)
        elif kind == "project.accepted" and isinstance(payload.get("vote"), str):
            accepted_on[event.stream.removeprefix("project:")] = str(payload["vote"])
        elif kind == "graph.snapshot" and isinstance(payload.get("document"), str):
            graph_doc = str(payload["document"])
        elif kind == "policy.changed" and isinstance(payload.get("document"), str):
            book = _add_policy(book, str(payload["document"]), event)
        elif kind == "round.completed" and payload.get("explanations"):
            graph = hierarchy if hierarchy is not None else _graph(graph_doc, event)
            rounds.append(_service_round(event, graph, scopes, hands, accepted_on))
    return Facts(
        votes=tuple(votes),
        rounds=tuple(rounds),
        topics=tuple(recorded_topics(events)),
        last=events[-1].at if events else None,
        policy=book,
    )


def _graph(document: str | None, event: AuditEvent) -> Hierarchy | None:
    if document is None:
        return None
    from microgov.io import loads_hierarchy

    try:
        return loads_hierarchy(document, source="graph.snapshot")
    except MicrogovError as err:
        raise _unusable(f"the graph recorded before {event.id} cannot be read ({err})") from err


def _add_policy(book: PolicyBook | None, document: str, event: AuditEvent) -> PolicyBook:
    from microgov.policy import load_policy_book

    try:
        one = load_policy_book(document, format="json", name=event.id)
    except MicrogovError as err:
        raise _unusable(f"policy {event.id} cannot be read ({err})") from err
    result = book if book is not None else PolicyBook(defaults=one.defaults)
    for entry in one.entries:
        result = result.add(entry.node_id, entry.effective_from, entry.overrides)
    return result


def _service_round(
    event: AuditEvent,
    graph: Hierarchy | None,
    scopes: Mapping[str, str],
    hands: Mapping[str, Mapping[str, tuple[str, str]]],
    accepted_on: Mapping[str, str],
) -> RecordedRound:
    """A ``round.completed`` event of the service, its ballots rebuilt from the hands."""
    p: Any = event.payload  # read defensively: any bad shape is caught below

    def area_of(node: str) -> str | None:
        if graph is None or node not in graph:
            return None
        if graph.node(node).level is Level.RESIDENTIAL_AREA:
            return node
        return next(
            (a.id for a in graph.ancestors(node) if a.level is Level.RESIDENTIAL_AREA), None
        )

    try:
        explained = list(p["explanations"])
        ids = sorted(str(x["project"]) for x in explained)
        cost = {str(x["project"]): int(x["cost_fen"]) for x in explained}
        proposals = [Proposal(id=i, cost=cost[i], scope=area_of(scopes.get(i, ""))) for i in ids]
        by_household: dict[str, set[str]] = {}
        for project in ids:
            for household, choice in hands.get(accepted_on.get(project, ""), {}).values():
                if choice == "in_favour":
                    by_household.setdefault(household, set()).add(project)
        ballots = [tuple(sorted(b)) for _h, b in sorted(by_household.items())]
        budgets = {str(a): int(v) for a, v in p["area_budgets"].items()}
        pool = int(p["pool_fen"])
        instance = AllocationInstance(
            budget=sum(budgets.values()) + pool, projects=proposals, ballots=ballots, unit=100
        )
        rule = {"mes": "mes-add1", "greedy": "greedy"}.get(str(p["rule"]), str(p["rule"]))
        return RecordedRound(
            id=event.stream.removeprefix("round:"),
            rule=rule,
            own_area_first=True,
            instance=instance,
            area_budgets=budgets,
            pool=pool,
            selected=tuple(str(x) for x in p["selected"]),
            pool_funded=tuple(
                str(x["project"]) for x in explained if x["outcome"] == Outcome.FUNDED_BY_POOL.value
            ),
        )
    except (KeyError, TypeError, ValueError, AttributeError, MicrogovError) as err:
        raise _unusable(f"round {event.id} cannot be read ({err})") from err


def _vote(event: AuditEvent, scopes: Mapping[str, str]) -> RecordedVote:
    p = event.payload
    project = p.get("project")
    project_id = project if isinstance(project, str) else None
    scope = p.get("scope")
    if not isinstance(scope, str):
        scope = scopes.get(project_id or "")
    quorum = next((v for v in event.verdicts if v.rule.startswith("quorum.")), None)
    counts = [p.get(k) for k in ("entitled", "present", "in_favour")]
    if scope is None or quorum is None or not all(isinstance(c, int) for c in counts):
        raise _unusable(f"vote {event.id} lacks its scope, counts or quorum verdict")
    decided = quorum.figures.get("decided_on")
    mode = quorum.figures.get("mode")
    try:
        meeting = MeetingMode(mode)
    except ValueError as err:
        raise _unusable(f"vote {event.id} has an unknown meeting mode {mode!r}") from err
    return RecordedVote(
        vote=event.stream.removeprefix("vote:"),
        project=project_id,
        scope=scope,
        decided_on=decided if isinstance(decided, date) else event.at.date(),
        mode=meeting,
        entitled=int(counts[0]),  # type: ignore[arg-type]
        present=int(counts[1]),  # type: ignore[arg-type]
        in_favour=int(counts[2]),  # type: ignore[arg-type]
        verdicts=tuple(v for v in event.verdicts if v.rule.split(".")[0] in {"quorum", "majority"}),
    )


@attrs.frozen(kw_only=True)
class Decision:
    """One vote decided under one policy: the verdicts, the minimum support, the outcome.

    Example:
        >>> from fractions import Fraction
        >>> Decision(verdicts=(), support=Fraction(1, 2), min_support=Fraction(0)).passed
        True
    """

    verdicts: tuple[Verdict, ...]
    support: Fraction | None
    min_support: Fraction

    @property
    def passed(self) -> bool:
        """The verdicts all pass and the support reaches the minimum."""
        enough = self.support is not None and self.support >= self.min_support
        return all(v.passed for v in self.verdicts) and (enough or self.min_support == 0)


@attrs.frozen(kw_only=True)
class VoteChange:
    """A vote whose acceptance changes, with both decisions' figures.

    Example:
        >>> from fractions import Fraction
        >>> d = Decision(verdicts=(), support=None, min_support=Fraction(0))
        >>> VoteChange(vote="v", project="p", scope="a", recorded=d, alternative=d).project
        'p'
    """

    vote: str
    project: str | None
    scope: str
    recorded: Decision
    alternative: Decision


@attrs.frozen(kw_only=True)
class AreaMoney:
    """An area's funded projects and money (fen) under the recorded and the alternative rule.

    Example:
        >>> AreaMoney(area="a", recorded=100, alternative=50, recorded_projects=("p",),
        ...           alternative_projects=()).delta
        -50
    """

    area: str
    recorded: int
    alternative: int
    recorded_projects: tuple[str, ...]
    alternative_projects: tuple[str, ...]

    @property
    def delta(self) -> int:
        """Alternative minus recorded, in fen."""
        return self.alternative - self.recorded


@attrs.frozen(kw_only=True)
class RoundDiff:
    """An allocation round under both rules: funded sets, money per area, served, pool left.

    ``reproduced`` says whether re-running the recorded rule gave the recorded funded
    set (None: not re-run, ``verify=False``).

    Example:
        >>> RoundDiff(round="r", recorded_rule="mes-add1", alternative_rule="greedy",
        ...           reproduced=True, recorded_selected=("a",), alternative_selected=("b",),
        ...           areas=(), served=(3, 2), pool_left=(0, 10), excluded=()).added
        ('b',)
    """

    round: str
    recorded_rule: str
    alternative_rule: str
    reproduced: bool | None
    recorded_selected: tuple[str, ...]
    alternative_selected: tuple[str, ...]
    areas: tuple[AreaMoney, ...]
    served: tuple[int, int]
    pool_left: tuple[int, int]
    excluded: tuple[str, ...]

    @property
    def added(self) -> tuple[str, ...]:
        """Projects funded only under the alternative."""
        return tuple(p for p in self.alternative_selected if p not in self.recorded_selected)

    @property
    def removed(self) -> tuple[str, ...]:
        """Projects funded only under the recorded rule."""
        return tuple(p for p in self.recorded_selected if p not in self.alternative_selected)


@attrs.frozen(kw_only=True)
class SlaDiff:
    """An area's response-time figures and rank under both SLA settings.

    ``within`` is the share answered within the policy's threshold; ``overdue`` the
    topics past their due time; ``rank`` by median among the areas (None: not ranked).

    Example:
        >>> SlaDiff(area="a", topics=3, within=(None, None), overdue=(1, 0),
        ...         rank=(None, None)).overdue
        (1, 0)
    """

    area: str
    topics: int
    within: tuple[Fraction | None, Fraction | None]
    overdue: tuple[int, int]
    rank: tuple[int | None, int | None]


@attrs.frozen(kw_only=True)
class WhatIf:
    """The difference a policy and/or rule would have made to a recorded period.

    Attributes:
        votes: Votes re-decided.
        reproduced: True if re-deciding every vote (and, with ``verify``, every round)
            under the recorded policy and rule gives back exactly the recorded verdicts
            and funded sets.
        changes: Votes whose acceptance changes.
        rounds: Allocation rounds under both rules.
        sla: Response-time figures per area under both settings.
        notes: What the replay could not re-decide, and why.
    """

    votes: int
    reproduced: bool
    changes: tuple[VoteChange, ...]
    rounds: tuple[RoundDiff, ...]
    sla: tuple[SlaDiff, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON-ready data (money in fen, shares as ``"n/d"`` strings).

        Example:
            >>> WhatIf(votes=0, reproduced=True, changes=(), rounds=(), sla=(),
            ...        notes=()).to_dict()["acceptance_changes"]
            []
        """

        def share(x: Fraction | None) -> str | None:
            return None if x is None else str(x)

        def decision(d: Decision) -> dict[str, Any]:
            return {
                "accepted": d.passed,
                "support": share(d.support),
                "min_support": share(d.min_support),
                "verdicts": [
                    {
                        "rule": v.rule,
                        "passed": v.passed,
                        "code": v.code,
                        "message_en": v.message_en,
                        "message_zh": v.message_zh,
                        "figures": {k: _json(x) for k, x in v.figures.items()},
                    }
                    for v in d.verdicts
                ],
            }

        return {
            "votes": self.votes,
            "reproduced": self.reproduced,
            "acceptance_changes": [
                {
                    "vote": c.vote,
                    "project": c.project,
                    "scope": c.scope,
                    "recorded": decision(c.recorded),
                    "alternative": decision(c.alternative),
                }
                for c in self.changes
            ],
            "rounds": [
                {
                    "round": r.round,
                    "recorded_rule": r.recorded_rule,
                    "alternative_rule": r.alternative_rule,
                    "reproduced": r.reproduced,
                    "recorded_selected": list(r.recorded_selected),
                    "alternative_selected": list(r.alternative_selected),
                    "added": list(r.added),
                    "removed": list(r.removed),
                    "excluded": list(r.excluded),
                    "households_served": {"recorded": r.served[0], "alternative": r.served[1]},
                    "pool_left_fen": {"recorded": r.pool_left[0], "alternative": r.pool_left[1]},
                    "areas": [
                        {
                            "area": a.area,
                            "recorded_fen": a.recorded,
                            "alternative_fen": a.alternative,
                            "recorded_projects": list(a.recorded_projects),
                            "alternative_projects": list(a.alternative_projects),
                        }
                        for a in r.areas
                    ],
                }
                for r in self.rounds
            ],
            "sla": [
                {
                    "area": s.area,
                    "topics": s.topics,
                    "within": {"recorded": share(s.within[0]), "alternative": share(s.within[1])},
                    "overdue": {"recorded": s.overdue[0], "alternative": s.overdue[1]},
                    "rank": {"recorded": s.rank[0], "alternative": s.rank[1]},
                }
                for s in self.sla
            ],
            "notes": list(self.notes),
        }

    def describe(self, hierarchy: Hierarchy | None = None) -> str:
        """The diff as text a person can read (zh/en labels; money in yuan).

        Example:
            >>> print(WhatIf(votes=2, reproduced=True, changes=(), rounds=(), sla=(),
            ...              notes=()).describe())
            What if 假如 — 2 votes re-decided; the recorded decisions are reproduced 记录可复现: yes
            Acceptance 举手接纳: no vote changes 无变化
        """

        def name(node: str) -> str:
            if hierarchy is not None and node in hierarchy:
                return f"{hierarchy.node(node).name} ({node})"
            return node

        def yuan(fen: int) -> str:
            whole = (abs(fen) + 50) // 100
            return f"{'-' if fen < 0 else ''}¥{whole:,}"

        lines = [
            f"What if 假如 — {self.votes} votes re-decided; the recorded decisions are "
            f"reproduced 记录可复现: {'yes' if self.reproduced else 'NO'}"
        ]
        if not self.changes:
            lines.append("Acceptance 举手接纳: no vote changes 无变化")
        else:
            lines.append(f"Acceptance 举手接纳: {len(self.changes)} vote(s) change 项变化")
            for c in self.changes:
                was = "accepted 通过" if c.recorded.passed else "rejected 未通过"
                now = "accepted 通过" if c.alternative.passed else "rejected 未通过"
                lines.append(f"  {c.project or c.vote} in {name(c.scope)}: {was} → {now}")
                for label, d in (("recorded 原", c.recorded), ("what-if 假如", c.alternative)):
                    for v in d.verdicts:
                        lines.append(f"    {label}: {v.message_en} / {v.message_zh}")
                    if d.min_support:
                        lines.append(
                            f"    {label}: support {d.support} in favour of entitled, "
                            f"minimum {d.min_support}"
                        )
        for r in self.rounds:
            lines.append(
                f"Allocation round 分配轮次 {r.round}: {r.recorded_rule} → {r.alternative_rule}"
                f" (recorded result reproduced 记录可复现: {_yes(r.reproduced)})"
            )
            lines.append(
                f"  funded 入选 {len(r.recorded_selected)} → {len(r.alternative_selected)}; "
                f"households served 受益户 {r.served[0]:,} → {r.served[1]:,}; "
                f"pool left 资金池余额 {yuan(r.pool_left[0])} → {yuan(r.pool_left[1])}"
            )
            if r.added:
                lines.append(f"  now funded 新入选: {', '.join(r.added)}")
            if r.removed:
                lines.append(f"  no longer funded 落选: {', '.join(r.removed)}")
            if r.excluded:
                lines.append(f"  excluded before the round 未进入分配: {', '.join(r.excluded)}")
            changed = [
                a for a in r.areas if a.delta or a.recorded_projects != a.alternative_projects
            ]
            lines.append(f"  money per area 各居民区金额 ({len(changed)} change 变化):")
            for a in r.areas:
                mark = "  " if not a.delta else ("+ " if a.delta > 0 else "- ")
                lines.append(
                    f"  {mark}{name(a.area)}: {yuan(a.recorded)} → {yuan(a.alternative)}"
                    f" ({len(a.recorded_projects)} → {len(a.alternative_projects)} projects)"
                )
        moved = [s for s in self.sla if s.within[0] != s.within[1] or s.rank[0] != s.rank[1]
                 or s.overdue[0] != s.overdue[1]]  # fmt: skip
        if self.sla:
            lines.append(
                f"Response SLA 响应时效: {len(moved)} of {len(self.sla)} areas change 变化"
            )
            for s in moved:
                lines.append(
                    f"  {name(s.area)}: within 达标 {_pct(s.within[0])} → {_pct(s.within[1])}, "
                    f"overdue 超时 {s.overdue[0]} → {s.overdue[1]}, "
                    f"rank 排名 {s.rank[0] or '-'} → {s.rank[1] or '-'}"
                )
        for note in self.notes:
            lines.append(f"Note 说明: {note}")
        return "\n".join(lines)


def _yes(value: bool | None) -> str:
    return "not checked 未核对 (verify)" if value is None else ("yes" if value else "NO")


def _pct(value: Fraction | None) -> str:
    return "–" if value is None else f"{float(value) * 100:.0f}%"


def _json(value: object) -> object:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _decide(vote: RecordedVote, policy: PolicySet | None) -> Decision:
    """Decide ``vote`` under ``policy`` (None: under the preset recorded in its verdicts)."""
    if policy is None:
        key = next((v.figures.get("preset") for v in vote.verdicts if "preset" in v.figures), None)
        preset = PRESETS[str(key)]
        min_support = Fraction(0)
    else:
        preset = policy.quorum_preset(vote.decided_on)
        min_support = policy.min_support
    verdicts = (
        majority_met(preset, in_favour=vote.in_favour, present=vote.present, on=vote.decided_on),
        quorum_met(
            preset,
            mode=vote.mode,
            present=vote.present,
            entitled=vote.entitled,
            on=vote.decided_on,
        ),
    )
    order = {v.rule.split(".")[0]: i for i, v in enumerate(vote.verdicts)}
    ordered = tuple(sorted(verdicts, key=lambda v: order.get(v.rule.split(".")[0], 0)))
    support = Fraction(vote.in_favour, vote.entitled) if vote.entitled else None
    return Decision(verdicts=ordered, support=support, min_support=min_support)


def _excluded(rnd: RecordedRound, cap: int | None, accepted: set[str] | None) -> tuple[str, ...]:
    """The round's projects left out: over the cap, or no longer accepted by their vote."""
    return tuple(
        p.id
        for p in rnd.instance.projects
        if (cap is not None and p.cost > cap) or (accepted is not None and p.id not in accepted)
    )


def _allocate(rnd: RecordedRound, rule: str, excluded: Sequence[str]) -> Allocation:
    instance = rnd.instance
    if excluded:
        gone = set(excluded)
        instance = AllocationInstance(
            budget=instance.budget,
            projects=[p for p in instance.projects if p.id not in gone],
            ballots=[frozenset(b) - gone for b in instance.ballots],
            unit=instance.unit,
        )
    run = partial(run_rule, rule=rule)
    if rnd.own_area_first:
        return own_area_first(
            instance, area_budgets=dict(rnd.area_budgets), pool=rnd.pool, rule=run
        )
    return run(instance)


def _pool_funded(allocation: Allocation | None) -> tuple[str, ...]:
    if allocation is None:
        return ()
    return tuple(e.project for e in allocation.explanations if e.outcome is Outcome.FUNDED_BY_POOL)


def _money(
    rnd: RecordedRound, selected: Sequence[str], pool_funded: Sequence[str]
) -> tuple[dict[str, list[str]], int]:
    by_area: dict[str, list[str]] = {}
    for project in selected:
        by_area.setdefault(rnd.instance.project(project).scope or "", []).append(project)
    used = sum(int(rnd.instance.project(p).cost) for p in pool_funded)
    return by_area, rnd.pool - used


def _served(instance: AllocationInstance, selected: Iterable[str]) -> int:
    funded = frozenset(selected)
    return sum(1 for b in instance.ballots if not funded.isdisjoint(b))


def what_if(
    facts: Facts,
    hierarchy: Hierarchy,
    *,
    policy: PolicyBook | None = None,
    rule: str | None = None,
    recorded: PolicyBook | None = None,
    verify: bool = False,
) -> WhatIf:
    """Re-decide a recorded period under ``policy`` and/or ``rule``; nothing is written.

    Each vote is decided again under the policy set ``policy`` resolves for its scope
    on its decision day (quorum preset of its family, minimum support), from the
    recorded counts and meeting mode.  Each allocation round is run again under
    ``rule`` (default: the recorded one), own area first when the round was, leaving
    out projects over ``project_cap_fen`` and projects whose vote no longer accepts
    them.  Response times are judged under both policies' SLA settings.  Re-deciding
    under the recorded presets and rules must give back the recorded decisions
    exactly (``reproduced``).

    Args:
        facts: The recorded facts (:func:`recorded_facts`).
        hierarchy: The governance graph (policy inheritance, area names, SLA rollups).
        policy: The alternative policy book (default: the recorded one).
        rule: The alternative allocation rule (a name of :data:`microgov.funds.RULES`).
        recorded: The policy book in force when the period was recorded (default: the
            one the store recorded, else the defaults); its SLA settings are the baseline.
        verify: Also re-run every round under its recorded rule and check it gives the
            recorded funded set (the votes are always checked; they are cheap).  By
            default a round's recorded side is read from the record alone.

    Returns:
        The diff.

    Raises:
        ReportError: ``report.unknown_rule``; ``report.bad_policy`` when the policy
            cannot be applied (e.g. no preset of its family in force on a vote's day).

    Complexity: O(v + a + t log t) for v votes, allocation work a, t topics.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.policy import PolicyBook, PolicySet
        >>> from microgov.simulation import simulate_season
        >>> h = meilan_xihu()
        >>> s = simulate_season(h, seed=7, start=date(2026, 3, 2), areas=3)
        >>> facts = recorded_facts(s.log.events)
        >>> same = what_if(facts, h)
        >>> same.reproduced, same.changes
        (True, ())
        >>> village = PolicyBook(defaults=PolicySet(quorum_family="village_meeting"))
        >>> diff = what_if(facts, h, policy=village)
        >>> all(c.recorded.passed and not c.alternative.passed for c in diff.changes)
        True
    """
    from microgov.funds import RULES

    if rule is not None and rule not in RULES:
        raise ReportError(
            f"Unknown allocation rule {rule!r}; microgov has: {', '.join(sorted(RULES))}.",
            f"未知的分配规则 {rule!r}；可用：{', '.join(sorted(RULES))}。",
            code="report.unknown_rule",
            rule=rule,
        )
    base = recorded or facts.policy or PolicyBook()
    notes: list[str] = []
    reproduced = True
    changes: list[VoteChange] = []
    accepted_now: set[str] = set()
    decided: set[str] = set()
    try:
        for vote in facts.votes:
            again = _decide(vote, None)
            if again.verdicts != vote.verdicts:
                reproduced = False
            alt_policy = policy.resolve(hierarchy, vote.scope, vote.decided_on) if policy else None
            if alt_policy is not None and alt_policy.meeting_mode is not vote.mode:
                notes.append(
                    f"vote {vote.vote}: recorded as {vote.mode.value}; the counts cannot be "
                    f"re-taken as {alt_policy.meeting_mode.value} (kept {vote.mode.value})"
                )
            alternative = _decide(vote, alt_policy) if alt_policy is not None else again
            if vote.project is not None:
                decided.add(vote.project)
                if alternative.passed:
                    accepted_now.add(vote.project)
            if alternative.passed != again.passed:
                changes.append(
                    VoteChange(
                        vote=vote.vote,
                        project=vote.project,
                        scope=vote.scope,
                        recorded=again,
                        alternative=alternative,
                    )
                )
    except (PolicyError, KeyError) as err:
        raise ReportError(
            f"The policy cannot be applied to the recorded votes: {err}.",
            f"该政策无法用于已记录的表决：{err}。",
            code="report.bad_policy",
            field="quorum_family",
        ) from err
    rounds: list[RoundDiff] = []
    top = _top(hierarchy)
    day = facts.last.date() if facts.last is not None else None
    cap = policy.resolve(hierarchy, top, day).project_cap_fen if policy and day else None
    for rnd in facts.rounds:
        voted = {p.id for p in rnd.instance.projects if p.id in decided}
        still = None
        if voted:
            still = {p.id for p in rnd.instance.projects if p.id not in voted}
            still |= accepted_now & voted
        alt_rule = rule or rnd.rule
        excluded = _excluded(rnd, cap, still)
        try:
            rerun = None
            if verify or rnd.pool_funded is None:
                rerun = _allocate(rnd, rnd.rule, ())
            if rerun is not None and tuple(rerun.selected) != rnd.selected:
                reproduced = False
            recorded_pool = rnd.pool_funded if rnd.pool_funded is not None else _pool_funded(rerun)
            if alt_rule == rnd.rule and not excluded:
                alt_selected, alt_pool = rnd.selected, recorded_pool
            else:
                alt = _allocate(rnd, alt_rule, excluded)
                alt_selected, alt_pool = tuple(alt.selected), _pool_funded(alt)
        except FundsError as err:
            raise _unusable(f"round {rnd.id} cannot be re-run ({err})") from err
        rec_areas, rec_left = _money(rnd, rnd.selected, recorded_pool)
        alt_areas, alt_left = _money(rnd, alt_selected, alt_pool)
        areas = sorted(set(rnd.area_budgets) | set(rec_areas) | set(alt_areas))
        cost = {p.id: int(p.cost) for p in rnd.instance.projects}
        rounds.append(
            RoundDiff(
                round=rnd.id,
                recorded_rule=rnd.rule,
                alternative_rule=alt_rule,
                reproduced=None if rerun is None else tuple(rerun.selected) == rnd.selected,
                recorded_selected=rnd.selected,
                alternative_selected=alt_selected,
                areas=tuple(
                    AreaMoney(
                        area=a,
                        recorded=sum(cost[p] for p in rec_areas.get(a, [])),
                        alternative=sum(cost[p] for p in alt_areas.get(a, [])),
                        recorded_projects=tuple(sorted(rec_areas.get(a, []))),
                        alternative_projects=tuple(sorted(alt_areas.get(a, []))),
                    )
                    for a in areas
                    if a
                ),
                served=(_served(rnd.instance, rnd.selected), _served(rnd.instance, alt_selected)),
                pool_left=(rec_left, alt_left),
                excluded=excluded,
            )
        )
    sla = _sla(facts, hierarchy, base, policy or base, top) if facts.topics else ()
    return WhatIf(
        votes=len(facts.votes),
        reproduced=reproduced,
        changes=tuple(changes),
        rounds=tuple(rounds),
        sla=sla,
        notes=tuple(dict.fromkeys(notes)),
    )


def _top(hierarchy: Hierarchy) -> str:
    community = hierarchy.nodes_at(Level.LARGE_COMMUNITY)
    return community[0].id if community else hierarchy.roots[0].id


def _sla(
    facts: Facts, hierarchy: Hierarchy, before: PolicyBook, after: PolicyBook, top: str
) -> tuple[SlaDiff, ...]:
    assert facts.last is not None  # topics imply events
    now = facts.last
    topics = [t for t in facts.topics if t.scope in hierarchy]
    day = now.date()
    results = []
    for book in (before, after):
        ps = book.resolve(hierarchy, top, day)
        rollup = rollup_sla(hierarchy, topics, SlaPolicy.from_policy_set(ps), now=now)
        ranking = rollup.rank(Level.RESIDENTIAL_AREA, by=RankBy.MEDIAN, under=top)
        results.append((rollup, {e.node: e.rank for e in ranking.ranked}))
    (r0, k0), (r1, k1) = results
    out = []
    for area in hierarchy.nodes_at(Level.RESIDENTIAL_AREA, under=top):
        s0, s1 = r0.summaries.get(area.id), r1.summaries.get(area.id)
        if s0 is None or s1 is None:
            continue
        out.append(
            SlaDiff(
                area=area.id,
                topics=s0.count,
                within=(
                    Fraction(s0.within, s0.decided) if s0.decided else None,
                    Fraction(s1.within, s1.decided) if s1.decided else None,
                ),
                overdue=(len(s0.overdue), len(s1.overdue)),
                rank=(k0.get(area.id), k1.get(area.id)),
            )
        )
    return tuple(out)


def _unusable(why: str) -> ReportError:
    return ReportError(
        f"The store cannot be replayed: {why}.",
        f"无法推演该存储：{why}。",
        code="report.unusable_store",
        reason=why,
    )
