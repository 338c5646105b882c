"""Topics (议题): residents' posts on a residential area's page, and what follows them.

A resident raises a topic with a category on a node's page (a residential area, or a
grid inside it); social workers and grid staff respond, residents comment; the topic
is acknowledged, worked on, resolved, closed, reopened, or converted into a
micro-project.  A :class:`Topic` is an immutable value; every operation is a pure
function returning the new topic and the events emitted, and state changes go
through the :data:`microgov.lifecycle.TOPIC` table with :func:`microgov.lifecycle.apply`
(authorization on the governance graph), so their events are ordinary lifecycle
events.  A refused operation raises and changes nothing.

Topics travel as Open311 GeoReport v2 service requests (:func:`to_open311`,
:func:`from_open311`, :func:`dumps_open311`, :func:`loads_open311`);
:func:`microgov.simulation.simulate_topics` gives a seeded, realistic year of them.

Example:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from microgov.datasets import meilan_xihu
    >>> from microgov.topics import AuthorKind, acknowledge, raise_topic, respond
    >>> sh, h = ZoneInfo("Asia/Shanghai"), meilan_xihu()
    >>> t, _ = raise_topic(h, id="t-1", scope="area-01", category="parking", author="r-1",
    ...                    at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="车位紧张")
    >>> at = datetime(2026, 3, 2, 8, 20, tzinfo=sh)
    >>> t, _ = respond(t, author="person-0007", kind=AuthorKind.OFFICIAL, at=at, text="收到")
    >>> t, events = acknowledge(t, actor="person-0007", at=at, hierarchy=h)
    >>> t.state, t.first_response_at - t.raised_at
    ('acknowledged', datetime.timedelta(seconds=2400))
"""

from microgov._public import publish as _publish
from microgov.topics._model import (
    CATEGORIES,
    AuthorKind,
    ProjectLink,
    Response,
    StateChange,
    Topic,
    TopicCategory,
    TopicCommand,
    acknowledge,
    act,
    close,
    convert,
    lookup_category,
    project_link,
    raise_topic,
    reopen,
    resolve,
    respond,
    start,
    topics_by_project,
)
from microgov.topics._open311 import (
    EXTENSION_FORMAT,
    EXTENSION_KEY,
    EXTENSION_VERSION,
    OPEN311_FIELDS,
    dumps_open311,
    from_open311,
    loads_open311,
    to_open311,
)

__all__ = [
    "CATEGORIES",
    "EXTENSION_FORMAT",
    "EXTENSION_KEY",
    "EXTENSION_VERSION",
    "OPEN311_FIELDS",
    "AuthorKind",
    "ProjectLink",
    "Response",
    "StateChange",
    "Topic",
    "TopicCategory",
    "TopicCommand",
    "acknowledge",
    "act",
    "close",
    "convert",
    "dumps_open311",
    "from_open311",
    "loads_open311",
    "lookup_category",
    "project_link",
    "raise_topic",
    "reopen",
    "resolve",
    "respond",
    "start",
    "to_open311",
    "topics_by_project",
]

_publish(__name__, globals(), __all__)
