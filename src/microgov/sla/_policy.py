"""What the SLA reads from a topic (:class:`SlaTopic`) and its parameters (:class:`SlaPolicy`).

Example:
    >>> FOUR_HOURS
    datetime.timedelta(seconds=14400)
    >>> AVERAGE_RESPONSE_CITATION.verified, SlaPolicy().target == FOUR_HOURS
    (False, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Final, Protocol

import attrs

from microgov._verdict import Citation
from microgov.calendar import WorkCalendar
from microgov.errors import PolicyError
from microgov.policy import PolicySet
from microgov.sla._schedule import PatrolSchedule, PatrolWindow

__all__ = ["AVERAGE_RESPONSE_CITATION", "FOUR_HOURS", "SlaPolicy", "SlaTopic"]

FOUR_HOURS: Final = timedelta(hours=4)
"""Four hours: the community's reported *average* response time, the default target."""

AVERAGE_RESPONSE_CITATION: Final = Citation(
    source="美兰西湖大居「社区通」一日三巡 — reported practice (community case report)",
    verified=False,
    note=(
        "Residents' posts are reported to be answered in 4 hours on average under the "
        "three-patrols-a-day rule. This is the community's own average, not a law, "
        "regulation or standard, and an average is not a deadline: microgov uses it only "
        "as the default target, a parameter a town replaces with its own."
    ),
)
"""Where the default 4-hour target comes from (``verified=False``: a parameter, not a law)."""


class SlaTopic(Protocol):
    """What the SLA needs of a topic (议题); ``microgov.topics.Topic`` has it.

    Any object with these read-only attributes will do (an attrs class, a named tuple).
    Called ``TopicLike`` until this release: renamed because
    :class:`microgov.metrics.TopicLike` asks more of a topic (its state, project and
    resolution too); a topic that serves the metrics serves the SLA.

    Attributes:
        id: The topic's id.
        scope: The id of the governance-graph node whose page it was raised on.
        category: Its category, which selects the response target.
        raised_at: When it was posted (timezone-aware).
        first_response_at: When it was first answered (aware), or None.

    Example:
        >>> from datetime import datetime
        >>> from typing import NamedTuple
        >>> from microgov.calendar import SHANGHAI
        >>> class Post(NamedTuple):
        ...     id: str
        ...     scope: str
        ...     category: str
        ...     raised_at: datetime
        ...     first_response_at: datetime | None
        >>> post: SlaTopic = Post("t1", "area-01", "parking",
        ...                        datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), None)
        >>> post.scope
        'area-01'
    """

    @property
    def id(self) -> str:
        """The topic's id."""
        ...

    @property
    def scope(self) -> str:
        """The node id of the page the topic was raised on."""
        ...

    @property
    def category(self) -> str:
        """The topic's category."""
        ...

    @property
    def raised_at(self) -> datetime:
        """When it was posted (aware)."""
        ...

    @property
    def first_response_at(self) -> datetime | None:
        """When it was first answered (aware), or None."""
        ...


def _check_duration(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if type(value) is not timedelta or value <= timedelta(0):
        raise PolicyError(
            f"{attribute.name} must be a positive timedelta, not {value!r:.60}.",
            f"{attribute.name} 应为正的时长（timedelta），而不是 {value!r:.60}。",
            code="sla.bad_target",
            field=attribute.name,
        )


def _freeze_targets(value: Mapping[str, timedelta]) -> Mapping[str, timedelta]:
    if not isinstance(value, Mapping):
        raise PolicyError(
            f"category_targets must map a category to a timedelta, not {value!r:.60}.",
            f"category_targets 应为“类别 → 时长”的映射，而不是 {value!r:.60}。",
            code="sla.bad_target",
            field="category_targets",
        )
    for key, target in value.items():
        if type(key) is not str or type(target) is not timedelta or target <= timedelta(0):
            raise PolicyError(
                f"category_targets[{key!r:.40}] must be a positive timedelta for a category "
                f"name, not {target!r:.60}.",
                f"category_targets[{key!r:.40}] 应为类别名对应的正时长，而不是 {target!r:.60}。",
                code="sla.bad_target",
                field="category_targets",
                category=repr(key),
            )
    return MappingProxyType(dict(sorted(value.items())))


def _check_min_sample(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        raise PolicyError(
            f"min_sample must be a whole number ≥ 1, not {value!r:.40}.",
            f"min_sample 应为不小于 1 的整数，而不是 {value!r:.40}。",
            code="sla.bad_min_sample",
            field="min_sample",
        )


def _check_schedule(
    instance: object, attribute: attrs.Attribute[PatrolSchedule], value: object
) -> None:
    if not isinstance(value, PatrolSchedule):
        raise PolicyError(
            f"schedule must be a PatrolSchedule, not {value!r:.40}.",
            f"schedule 应为 PatrolSchedule，而不是 {value!r:.40}。",
            code="sla.bad_schedule",
            field="schedule",
        )


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """The parameters of the response SLA: patrols, targets, thresholds, minimum sample.

    **Due time.** A topic's SLA clock starts when a patrol can first see it: at the
    post itself if it was made during a patrol window, otherwise at the start of the
    first patrol after it (the patrol it *waited for*). It is due ``target`` of
    elapsed time after that clock start::

        clock_start = max(raised_at, patrol_waited_for.start)
        due_at      = clock_start + target_for(category)

    A post at 23:50 on the eve of a holiday therefore waits for the first patrol after
    the holiday, and its target runs from there — not over the nights and days off
    when nobody patrols. Elapsed time (not working hours) is counted from the clock
    start because the patrols are what make the community's working time; this keeps
    the rule explainable in one line. A topic answered exactly at ``due_at`` is on time.

    A town sets the patrols and targets in its policy book (``patrol_windows``,
    ``patrols_on_working_days_only``, ``response_target``, ``category_targets``,
    ``ranking_min_sample`` of :class:`~microgov.policy.PolicySet`), resolved per node;
    :meth:`from_policy_set` makes the SLA policy from the set in force.

    None of the defaults is a legal figure: the 4-hour target is the community's own
    reported average (:data:`AVERAGE_RESPONSE_CITATION`, ``verified=False``).

    Attributes:
        schedule: The patrol schedule (default: three patrols on working days).
        target: The response target for a category not in ``category_targets``
            (default 4 hours, :data:`FOUR_HOURS`).
        category_targets: Targets per category, e.g. ``{"safety": timedelta(hours=1)}``.
        within: The threshold of the "answered within" share (default 4 hours),
            measured from the post itself (raw response time), as the community's
            "answered in 4 hours" is.
        min_sample: The fewest topics an area needs before it is ranked against
            others (default 30 — a rule of thumb, not a statistical guarantee).
        citation: Where the default target comes from.

    Raises:
        PolicyError: ``sla.bad_target``, ``sla.bad_min_sample`` or
            ``sla.bad_schedule`` for a value of the wrong type or range.

    Example:
        >>> from datetime import timedelta
        >>> p = SlaPolicy(category_targets={"safety": timedelta(hours=1)})
        >>> p.target_for("safety"), p.target_for("parking")
        (datetime.timedelta(seconds=3600), datetime.timedelta(seconds=14400))
        >>> p.citation.verified
        False
        >>> SlaPolicy(target=timedelta(0))
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: target must be a positive timedelta, ... [sla.bad_target]
    """

    schedule: PatrolSchedule = attrs.field(factory=PatrolSchedule, validator=_check_schedule)
    target: timedelta = attrs.field(default=FOUR_HOURS, validator=_check_duration)
    category_targets: Mapping[str, timedelta] = attrs.field(
        factory=dict, converter=_freeze_targets, hash=False
    )
    within: timedelta = attrs.field(default=FOUR_HOURS, validator=_check_duration)
    min_sample: int = attrs.field(default=30, validator=_check_min_sample)
    citation: Citation = AVERAGE_RESPONSE_CITATION

    def target_for(self, category: str) -> timedelta:
        """The response target for ``category`` (``target`` if it has none of its own).

        Args:
            category: A topic category.

        Returns:
            The target as a timedelta.

        Example:
            >>> SlaPolicy().target_for("anything")
            datetime.timedelta(seconds=14400)
        """
        return self.category_targets.get(category, self.target)

    @classmethod
    def from_policy_set(
        cls, policy_set: PolicySet, *, calendar: WorkCalendar | None = None
    ) -> SlaPolicy:
        """The SLA policy a :class:`~microgov.policy.PolicySet` sets (e.g. resolved for a node).

        The set's ``patrol_windows`` become the schedule's :class:`PatrolWindow` values,
        ``patrols_on_working_days_only`` its ``working_days_only``, ``response_target``
        and ``category_targets`` the targets, ``ranking_min_sample`` the ``min_sample``
        (0, "rank every area", is taken as 1: an area with no topic has nothing to rank).
        ``within`` stays 4 hours (the "answered within 4 hours" indicator) and the
        citation :data:`AVERAGE_RESPONSE_CITATION`.  With the default set the result
        equals ``SlaPolicy(min_sample=10)``: the same patrols and targets as
        ``SlaPolicy()``, but the policy set's ranking sample (10, not 30).

        Args:
            policy_set: The policy set, e.g. from ``PolicyBook.resolve(hierarchy, node, on)``.
            calendar: The working-day calendar of the schedule (default: the bundled
                :func:`~microgov.calendar.default_calendar`).

        Returns:
            The SLA policy.

        Raises:
            PolicyError: ``sla.bad_policy_set`` if ``policy_set`` is not a PolicySet;
                ``sla.bad_schedule`` if ``calendar`` is not a WorkCalendar.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.policy import load_policy_book
            >>> book = load_policy_book('''
            ... format = "microgov.policy_book"
            ... version = 1
            ... [defaults]
            ... response_target = 120
            ... category_targets = { safety = 60 }
            ... [[entries]]
            ... node_id = "grid-01-1"
            ... effective_from = 2026-01-01
            ... overrides = { patrol_windows = ["09:00-10:00", "16:00-17:00"] }
            ... ''', format="toml")
            >>> ps = book.resolve(meilan_xihu(), "grid-01-1", date(2026, 3, 2))
            >>> p = SlaPolicy.from_policy_set(ps)
            >>> [str(w) for w in p.schedule.windows], p.schedule.working_days_only
            (['09:00–10:00', '16:00–17:00'], True)
            >>> p.target_for("safety"), p.target_for("parking"), p.min_sample
            (datetime.timedelta(seconds=3600), datetime.timedelta(seconds=7200), 10)
            >>> SlaPolicy.from_policy_set(PolicySet()) == SlaPolicy(min_sample=10)
            True
        """
        if not isinstance(policy_set, PolicySet):
            raise PolicyError(
                f"policy_set must be a PolicySet, not {policy_set!r:.40}.",
                f"policy_set 应为 PolicySet，而不是 {policy_set!r:.40}。",
                code="sla.bad_policy_set",
            )
        windows = tuple(PatrolWindow(start=s, end=e) for s, e in policy_set.patrol_windows)
        working = policy_set.patrols_on_working_days_only
        schedule = (
            PatrolSchedule(windows=windows, working_days_only=working)
            if calendar is None
            else PatrolSchedule(windows=windows, working_days_only=working, calendar=calendar)
        )
        return cls(
            schedule=schedule,
            target=policy_set.response_target,
            category_targets=policy_set.category_targets,
            min_sample=max(1, policy_set.ranking_min_sample),
        )
