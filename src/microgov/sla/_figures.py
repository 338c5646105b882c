"""One topic's SLA figures (:func:`topic_sla`) and the nearest-rank percentile."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import TypeVar

import attrs

from microgov._checks import aware_datetime
from microgov.errors import DataFormatError, PolicyError
from microgov.sla._policy import SlaPolicy, SlaTopic
from microgov.sla._schedule import Patrol, _aware

__all__ = ["TopicSla", "nearest_rank", "topic_sla"]

T = TypeVar("T")


def _topic_time(topic: SlaTopic, name: str, value: object) -> datetime:
    """``value`` (the topic's ``name``) as an aware datetime, or DataFormatError."""
    topic_id = getattr(topic, "id", None)
    return aware_datetime(value, name, where=f"Topic {topic_id!r}", topic_id=str(topic_id))


def _response_before_post(
    topic_id: object, raised: datetime, response: datetime
) -> DataFormatError:
    return DataFormatError(
        f"Topic {topic_id!r}: its first response ({response.isoformat()}) is before it was "
        f"raised ({raised.isoformat()}).",
        f"议题 {topic_id!r}：首次回复时间（{response.isoformat()}）早于发帖时间"
        f"（{raised.isoformat()}）。",
        code="sla.response_before_post",
        topic_id=str(topic_id),
        field="first_response_at",
    )


def _now_before_post(topic_id: object, raised: datetime, now: datetime) -> PolicyError:
    return PolicyError(
        f"Topic {topic_id!r} was raised at {raised.isoformat()}, after now="
        f"{now.isoformat()}: judge topics as of a time after they were raised.",
        f"议题 {topic_id!r} 的发帖时间 {raised.isoformat()} 晚于 now={now.isoformat()}；"
        "请在发帖之后的时间点评估。",
        code="sla.now_before_post",
        topic_id=str(topic_id),
    )


def _topic_times(topic: SlaTopic) -> tuple[datetime, datetime | None]:
    raised = _topic_time(topic, "raised_at", topic.raised_at)
    response = topic.first_response_at
    if response is not None:
        response = _topic_time(topic, "first_response_at", response)
        if response < raised:
            raise _response_before_post(topic.id, raised, response)
    return raised, response


@attrs.frozen(kw_only=True)
class TopicSla:
    """One topic's response-time figures as of a given instant.

    Attributes:
        topic_id: The topic's id.
        scope: The node the topic was raised on.
        category: Its category.
        raised_at: When it was posted.
        as_of: The instant judged at (``now``).
        patrol: The patrol it waited for (the one it was posted in, or the first
            starting after the post).
        next_patrol: The patrol after that one.
        clock_start: ``max(raised_at, patrol.start)``: when the SLA clock starts.
        target: The response target for its category.
        due_at: ``clock_start + target``.
        first_response_at: The first response, if made by ``as_of`` (a response
            after ``as_of`` is not known yet), else None.
        response_time: ``first_response_at - raised_at`` (time until the first
            response), or None while unanswered.
        overdue: Answered after ``due_at``, or unanswered with ``as_of`` after ``due_at``.
        answered_before_next_patrol: Answered before ``next_patrol.start``; None while
            unanswered.
        within: Answered within the policy's ``within`` threshold of the post (True),
            not (False), or None while unanswered and the threshold has not passed.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> class Post:
        ...     id, scope, category = "t1", "area-01", "parking"
        ...     raised_at = datetime(2026, 9, 30, 23, 50, tzinfo=SHANGHAI)
        ...     first_response_at = datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI)
        >>> s = topic_sla(Post(), now=datetime(2026, 10, 9, tzinfo=SHANGHAI))
        >>> s.due_at.isoformat(), s.overdue, s.answered_before_next_patrol
        ('2026-10-08T12:30:00+08:00', False, True)
        >>> s.response_time, s.within, s.answered
        (datetime.timedelta(days=7, seconds=36600), False, True)
    """

    topic_id: str
    scope: str
    category: str
    raised_at: datetime
    as_of: datetime
    patrol: Patrol
    next_patrol: Patrol
    clock_start: datetime
    target: timedelta
    due_at: datetime
    first_response_at: datetime | None
    response_time: timedelta | None
    overdue: bool
    answered_before_next_patrol: bool | None
    within: bool | None

    @property
    def answered(self) -> bool:
        """Whether the topic had a response by :attr:`as_of`."""
        return self.first_response_at is not None


def topic_sla(topic: SlaTopic, policy: SlaPolicy | None = None, *, now: datetime) -> TopicSla:
    """The SLA figures of one topic as of ``now`` (see :class:`SlaPolicy` for the rules).

    This walks the patrol schedule for the one topic; for many topics use
    :func:`~microgov.sla.summarize` or :func:`~microgov.sla.rollup_sla`, which give
    the same figures in bulk.

    Args:
        topic: Any :class:`SlaTopic`.
        policy: The SLA parameters (default :class:`SlaPolicy`).
        now: The instant to judge at (aware), not before the post.

    Returns:
        The :class:`TopicSla`.

    Raises:
        DataFormatError: ``time.not_aware`` for a topic
            time that is naive or not a datetime; ``sla.response_before_post``.
        PolicyError: ``time.not_aware`` for a naive ``now``;
            ``sla.now_before_post`` if the topic was raised after ``now``.
        CalendarError: If the patrol search needs a year the calendar does not cover.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> class Post:   # posted during the morning patrol, still unanswered
        ...     id, scope, category = "t2", "area-01", "parking"
        ...     raised_at = datetime(2026, 10, 10, 9, 0, tzinfo=SHANGHAI)
        ...     first_response_at = None
        >>> s = topic_sla(Post(), now=datetime(2026, 10, 10, 13, 30, tzinfo=SHANGHAI))
        >>> s.clock_start.isoformat(), s.due_at.isoformat(), s.overdue
        ('2026-10-10T09:00:00+08:00', '2026-10-10T13:00:00+08:00', True)
    """
    policy = SlaPolicy() if policy is None else policy
    _aware(now, "now")
    raised, response = _topic_times(topic)
    if raised > now:
        raise _now_before_post(topic.id, raised, now)
    if response is not None and response > now:
        response = None
    schedule = policy.schedule
    zone = schedule.zone
    patrol = schedule.patrol_for(raised)
    following = schedule.next_patrol(patrol)
    clock_start = max(raised, patrol.start).astimezone(zone)
    target = policy.target_for(topic.category)
    due_at = (clock_start.astimezone(UTC) + target).astimezone(zone)  # elapsed time
    threshold = raised.astimezone(UTC) + policy.within
    if response is None:
        response_time = None
        overdue = now > due_at
        before_next = None
        within: bool | None = False if now > threshold else None
    else:
        response_time = response - raised
        overdue = response > due_at
        before_next = response < following.start
        within = response_time <= policy.within
    return TopicSla(
        topic_id=topic.id,
        scope=topic.scope,
        category=topic.category,
        raised_at=raised,
        as_of=now,
        patrol=patrol,
        next_patrol=following,
        clock_start=clock_start,
        target=target,
        due_at=due_at,
        first_response_at=response,
        response_time=response_time,
        overdue=overdue,
        answered_before_next_patrol=before_next,
        within=within,
    )


def nearest_rank(ordered: Sequence[T], p: Fraction | int) -> T:
    """The ``p``-th percentile of sorted values by the nearest-rank method.

    The value of rank ``ceil(p × n)`` (1-based) in ascending order: always one of the
    values, exact for timedeltas and integers (no interpolation). The median used
    throughout :mod:`microgov.sla` is ``nearest_rank(values, Fraction(1, 2))``: the
    lower median for an even count.

    Args:
        ordered: The values, sorted ascending (not checked).
        p: The percentile as a fraction, ``0 < p <= 1`` (``Fraction(9, 10)`` for p90).

    Returns:
        The value at that rank.

    Raises:
        PolicyError: ``sla.bad_percentile`` for an empty sequence or ``p`` outside (0, 1].

    Example:
        >>> from fractions import Fraction
        >>> values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        >>> nearest_rank(values, Fraction(1, 2)), nearest_rank(values, Fraction(9, 10))
        (5, 9)
        >>> nearest_rank([7], Fraction(9, 10))
        7
    """
    if not isinstance(p, Fraction | int) or not 0 < p <= 1 or not ordered:
        raise PolicyError(
            f"A nearest-rank percentile needs values and 0 < p <= 1 (got p={p!r:.40} and "
            f"{len(ordered)} values).",
            f"最近秩百分位数需要至少一个数值且 0 < p <= 1（p={p!r:.40}，数值 {len(ordered)} 个）。",
            code="sla.bad_percentile",
        )
    q = Fraction(p)
    rank = -(-q.numerator * len(ordered) // q.denominator)
    return ordered[rank - 1]
