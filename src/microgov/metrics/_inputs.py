"""What the indicators are computed from: topics, talents, activities (and lifecycle events)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

import attrs

from microgov._checks import aware_datetime, require_text
from microgov.errors import DataFormatError
from microgov.sla import SlaTopic

__all__ = ["Activity", "TalentRecord", "TopicLike"]


class TopicLike(SlaTopic, Protocol):
    """What the indicators read from a topic (议题); any object with these attributes will do.

    Everything the SLA reads (:class:`microgov.sla.SlaTopic`: ``id``, ``scope``,
    ``category``, ``raised_at``, ``first_response_at``) and its state, project and
    resolution time.

    ``microgov.topics`` provides one; a host system may pass its own (an attrs class,
    a named tuple).

    Example:
        >>> from datetime import datetime
        >>> from typing import NamedTuple
        >>> from microgov.calendar import SHANGHAI
        >>> class Post(NamedTuple):
        ...     id: str
        ...     scope: str
        ...     category: str
        ...     raised_at: datetime
        ...     state: str
        ...     project_id: str | None
        ...     first_response_at: datetime | None
        ...     resolved_at: datetime | None
        >>> post: TopicLike = Post("t-1", "area-01", "parking",
        ...                        datetime(2026, 3, 2, 9, tzinfo=SHANGHAI), "open", None,
        ...                        None, None)
        >>> post.state
        'open'
    """

    @property
    def state(self) -> str:
        """Its topic-lifecycle state (``open``, ``acknowledged``, … see ``lifecycle.TOPIC``)."""

    @property
    def project_id(self) -> str | None:
        """The micro-project it was turned into, if any."""

    @property
    def resolved_at(self) -> datetime | None:
        """When it was resolved (timezone-aware), or None."""


def _check_text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    require_text(value, attribute.name)


def _check_aware(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    aware_datetime(value, attribute.name)


def _people(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str | bytes):
        raise DataFormatError(
            f"A set of person ids is expected, not the single string {value!r}.",
            f"应为人员编号的集合，而不是单个字符串 {value!r}。",
            code="metrics.bad_record",
        )
    try:
        people = frozenset(value)
    except TypeError:
        raise DataFormatError(
            f"A set of person ids is expected, not {value!r}.",
            f"应为人员编号的集合，而不是 {value!r}。",
            code="metrics.bad_record",
        ) from None
    for person in people:
        if type(person) is not str or not person.strip():
            raise DataFormatError(
                f"Person ids must be non-empty strings, not {person!r}.",
                f"人员编号须为非空字符串，而不是 {person!r}。",
                code="metrics.bad_record",
            )
    return people


@attrs.frozen(kw_only=True)
class TalentRecord:
    """A resident found and registered as a talent (达人) with a skill.

    Attributes:
        id: A stable identifier of the registration.
        person: The resident's pseudonymous id.
        node: Where they were registered (a residential area or a grid).
        skill: The talent or skill, free text (e.g. ``'木工'``, ``'摄影'``).
        registered_at: When (timezone-aware).

    Raises:
        DataFormatError: ``time.not_aware`` for a naive ``registered_at``,
            ``metrics.bad_record`` for another bad field.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> TalentRecord(id="tr-1", person="p-1", node="area-01", skill="木工",
        ...              registered_at=datetime(2026, 4, 1, 10, tzinfo=SHANGHAI)).skill
        '木工'
        >>> TalentRecord(id="tr-1", person="p-1", node="area-01", skill="木工",
        ...              registered_at=datetime(2026, 4, 1, 10))
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: registered_at=2026-04-01T10:00:00 is a naive ...
    """

    id: str = attrs.field(validator=_check_text)
    person: str = attrs.field(validator=_check_text)
    node: str = attrs.field(validator=_check_text)
    skill: str = attrs.field(validator=_check_text)
    registered_at: datetime = attrs.field(validator=_check_aware)


@attrs.frozen(kw_only=True)
class Activity:
    """A community activity (活动) held at a node, with who took part and who volunteered.

    Participations and volunteer services are counted in person-times (人次): a
    resident at two activities is two participations.

    Attributes:
        id: A stable identifier.
        node: Where it was held (a residential area, a grid, a building group …).
        held_at: When it started (timezone-aware).
        participants: The pseudonymous ids of the residents who took part.
        volunteers: The pseudonymous ids of those who served as volunteers (志愿者).
        organiser: The talent (达人) or group who organised it, if recorded.

    Raises:
        DataFormatError: ``time.not_aware`` for a naive ``held_at``,
            ``metrics.bad_record`` for another bad field.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> a = Activity(id="act-1", node="area-01", held_at=datetime(2026, 5, 1, 9,
        ...              tzinfo=SHANGHAI), participants=["p-1", "p-2", "p-1"],
        ...              volunteers=["v-1"])
        >>> sorted(a.participants), sorted(a.volunteers)
        (['p-1', 'p-2'], ['v-1'])
    """

    id: str = attrs.field(validator=_check_text)
    node: str = attrs.field(validator=_check_text)
    held_at: datetime = attrs.field(validator=_check_aware)
    participants: frozenset[str] = attrs.field(default=frozenset(), converter=_people)
    volunteers: frozenset[str] = attrs.field(default=frozenset(), converter=_people)
    organiser: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_check_text)
    )
