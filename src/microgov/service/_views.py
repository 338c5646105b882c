"""What the service shows: read views computed from the stored facts."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from microgov.funds import Account
from microgov.lifecycle import PROJECT
from microgov.service._facts import Facts, HistoryItem, ProjectFacts, TopicFacts, VoteFacts
from microgov.voting import Choice

__all__ = ["Deadline", "ProjectView", "Step", "TopicView", "VoteView"]


@attrs.frozen
class Step:
    """One recorded event in an item's history.

    Example:
        >>> from datetime import datetime, timezone
        >>> Step(3, "project.accepted", datetime(2026, 3, 2, tzinfo=timezone.utc), "u").type
        'project.accepted'
    """

    sequence: int
    type: str
    at: datetime
    actor: str


@attrs.frozen
class Deadline:
    """The next date a project waits for: a vote closing or a notice period ending.

    Example:
        >>> from datetime import datetime, timezone
        >>> Deadline("notice_ends", datetime(2026, 3, 9, tzinfo=timezone.utc)).kind
        'notice_ends'
    """

    kind: str
    at: datetime


@attrs.frozen(kw_only=True)
class ProjectView:
    """A micro-project as the service holds it (a community page's project card).

    Attributes:
        id: The project.
        scope: Its node (fixed by its first event).
        proposer: Who proposed it.
        origin: The topic it came from, if any.
        title_zh: Its title in Chinese.
        title_en: Its title in English.
        cost_fen: The cost recorded when it was proposed.
        state: Its lifecycle state key.
        state_zh: The state's Chinese label.
        history: Every recorded event of the project, oldest first.
        next_deadline: The vote closing or the notice period ending next, if any.
        votes: Its votes' ids.
        grant_fen: The grant promised (None if not funded).
        paid_fen: Tranches paid to it so far.
        held_fen: What it holds now (paid less spent and refunded).
        percent: The progress recorded (0–100).
        milestones: The milestones recorded, oldest first.
        checks: The inspection checks recorded: name → passed.
        objections_outstanding: Objections raised and not resolved.
        comments: Residents' comments.
        scores: Score cards recorded.

    Example:
        >>> from microgov.service import sandbox, walk_to
        >>> service, clock = sandbox()
        >>> walk_to(service, clock, "p-1", "funded")
        >>> v = service.project("p-1")
        >>> v.state_zh, v.grant_fen, v.held_fen
        ('已拨款', 300000, 150000)
    """

    id: str
    scope: str
    proposer: str
    origin: str | None
    title_zh: str
    title_en: str
    cost_fen: int
    state: str
    state_zh: str
    history: tuple[Step, ...]
    next_deadline: Deadline | None
    votes: tuple[str, ...]
    grant_fen: int | None
    paid_fen: int
    held_fen: int
    percent: int
    milestones: tuple[str, ...]
    checks: dict[str, bool]
    objections_outstanding: int
    comments: int
    scores: int


@attrs.frozen(kw_only=True)
class VoteView:
    """A vote as recorded: window, hands so far, and its tally once closed.

    Attributes:
        id: The vote.
        project: The project it decides.
        scope: Whose residents vote.
        question_zh: The question.
        opens_at: When hands may first be raised.
        closes_at: When it closes.
        entitled: Entitled when it opened (the roll snapshot).
        hands: Hands standing now (or at closing).
        in_favour: Hands in favour.
        against: Hands against.
        abstain: Hands abstaining.
        closed: Whether it was closed and counted.
        passed: The recorded tally's decision (False until closed).
        present: The recorded tally's hands present (None until closed).
        preset: The quorum preset applied (None until closed).
        decided_on: The decision date (None until closed).

    Example:
        >>> from microgov.service import sandbox, walk_to
        >>> service, clock = sandbox()
        >>> walk_to(service, clock, "p-1", "counted")
        >>> v = service.vote("p-1-vote")
        >>> v.closed, v.passed, str(v.decided_on)
        (True, True, '2026-03-08')
    """

    id: str
    project: str
    scope: str
    question_zh: str
    opens_at: datetime
    closes_at: datetime
    entitled: int
    hands: int
    in_favour: int
    against: int
    abstain: int
    closed: bool
    passed: bool
    present: int | None
    preset: str | None
    decided_on: str | None


@attrs.frozen(kw_only=True)
class TopicView:
    """A topic (议题) with its first response time.

    Attributes:
        id: The topic.
        scope: Its node.
        title_zh: Its title.
        state: Its lifecycle state.
        raised_at: When it was raised.
        first_response_at: When someone other than the raiser first acted on it.
        response_time: The time to that first response (None while unanswered).
        project: The project it became, if any.

    Example:
        >>> from microgov.service import sandbox
        >>> service, clock = sandbox()
        >>> _ = service.raise_topic("t-1", actor="r1", topic="t-1", scope="a", title_zh="x")
        >>> service.topics("a")[0].response_time is None
        True
    """

    id: str
    scope: str
    title_zh: str
    state: str
    raised_at: datetime
    first_response_at: datetime | None
    response_time: timedelta | None
    project: str | None


_LABELS = {s.key: s.label_zh for s in PROJECT.states}


def _steps(history: list[HistoryItem]) -> tuple[Step, ...]:
    return tuple(Step(h.sequence, h.type, h.at, h.actor) for h in history)


def project_view(facts: Facts, p: ProjectFacts, now: datetime) -> ProjectView:
    """The view of one project."""
    deadline: Deadline | None = None
    for vote_id in p.votes:
        vote = facts.votes[vote_id]
        if vote.closed is None:
            deadline = Deadline("vote_closes", vote.closes_at)
    if deadline is None and p.state == "publicised" and p.notice_ends_at is not None:
        deadline = Deadline("notice_ends", p.notice_ends_at)
    account = Account.project(p.id)
    grant = facts.grants.get(p.id)
    paid = sum(
        posting.delta(account).fen
        for posting in facts.ledger.history(account)
        if posting.id.startswith("tranche:")
    )
    return ProjectView(
        id=p.id,
        scope=p.scope,
        proposer=p.proposer,
        origin=p.origin,
        title_zh=p.title_zh,
        title_en=p.title_en,
        cost_fen=p.cost_fen,
        state=p.state,
        state_zh=_LABELS.get(p.state, p.state),
        history=_steps(p.history),
        next_deadline=deadline,
        votes=tuple(p.votes),
        grant_fen=None if grant is None or grant.refunded else grant.grant_fen,
        paid_fen=paid,
        held_fen=facts.ledger.balance(account).fen,
        percent=p.percent,
        milestones=tuple(m for m, _ in p.milestones),
        checks={name: c[0] for name, c in sorted(p.checks.items())},
        objections_outstanding=p.outstanding_objections,
        comments=p.comments,
        scores=len(p.scores),
    )


def vote_view(v: VoteFacts) -> VoteView:
    """The view of one vote."""
    counts = dict.fromkeys(Choice, 0)
    for hand in v.hands.values():
        counts[hand.choice] += 1
    closed = v.closed
    present = closed.get("present") if closed is not None else None
    preset = closed.get("preset") if closed is not None else None
    decided = closed.get("decided_on") if closed is not None else None
    return VoteView(
        id=v.id,
        project=v.project,
        scope=v.scope,
        question_zh=v.question_zh,
        opens_at=v.opens_at,
        closes_at=v.closes_at,
        entitled=v.entitled,
        hands=len(v.hands),
        in_favour=counts[Choice.IN_FAVOUR],
        against=counts[Choice.AGAINST],
        abstain=counts[Choice.ABSTAIN],
        closed=closed is not None,
        passed=v.passed,
        present=present if isinstance(present, int) else None,
        preset=preset if isinstance(preset, str) else None,
        decided_on=decided if isinstance(decided, str) else None,
    )


def topic_view(t: TopicFacts) -> TopicView:
    """The view of one topic."""
    return TopicView(
        id=t.id,
        scope=t.scope,
        title_zh=t.title_zh,
        state=t.state,
        raised_at=t.raised_at,
        first_response_at=t.first_response_at,
        response_time=None if t.first_response_at is None else t.first_response_at - t.raised_at,
        project=t.project,
    )
