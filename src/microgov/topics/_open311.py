"""Topics as Open311 GeoReport v2 service requests, and their JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final, NewType

import attrs
import cattrs

from microgov._redact import redact_text
from microgov._serde import (
    enum_hook,
    parse_json,
    records_error,
    strict_converter,
    strict_tuples,
    structure,
)
from microgov.errors import DataFormatError, MicrogovError
from microgov.hierarchy import Hierarchy, Level
from microgov.lifecycle import TOPIC
from microgov.topics._model import (
    AuthorKind,
    Response,
    StateChange,
    Topic,
    _check_aware,
    lookup_category,
)

__all__ = [
    "EXTENSION_FORMAT",
    "EXTENSION_KEY",
    "EXTENSION_VERSION",
    "OPEN311_FIELDS",
    "dumps_open311",
    "from_open311",
    "loads_open311",
    "to_open311",
]

OPEN311_FIELDS: Final[tuple[str, ...]] = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
"""The 17 fields of a GeoReport v2 service request (``GET requests``), in the spec's order.

Example:
    >>> len(OPEN311_FIELDS), OPEN311_FIELDS[0]
    (17, 'service_request_id')
"""

EXTENSION_KEY: Final = "extended_attributes"
"""The extra key holding what the 17 fields cannot (GeoReport v2 extensions' element).

Example:
    >>> EXTENSION_KEY
    'extended_attributes'
"""

EXTENSION_FORMAT: Final = "microgov.topic"
"""The ``format`` value inside :data:`EXTENSION_KEY`.

Example:
    >>> EXTENSION_FORMAT
    'microgov.topic'
"""

EXTENSION_VERSION: Final = 1
"""The version of the extension this release writes and reads.

Example:
    >>> EXTENSION_VERSION
    1
"""

# Open311 coordinates are JSON numbers; microgov holds none (no float arithmetic), it
# only checks their type when reading.
_Degrees = NewType("_Degrees", float)


@attrs.frozen(kw_only=True)
class _WireResponse:
    author: str
    kind: AuthorKind
    at: datetime
    text: str


@attrs.frozen(kw_only=True)
class _WireStep:
    command: str
    actor: str
    at: datetime


@attrs.frozen(kw_only=True)
class _Extension:
    format: str
    version: int
    title: str
    author: str
    state: str
    project_id: str | None
    responses: tuple[_WireResponse, ...]
    history: tuple[_WireStep, ...]


@attrs.frozen(kw_only=True)
class _Request:
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str | None
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str
    zipcode: str | None
    lat: _Degrees | None
    long: _Degrees | None
    media_url: str | None
    extended_attributes: _Extension


def _structure_datetime(value: object, _: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 datetime string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 datetime: {value!r:.40}") from None
    if parsed.utcoffset() is None:
        raise ValueError(f"datetime without a UTC offset: {value!r:.40}")
    return parsed


def _structure_degrees(value: object, _: object) -> _Degrees:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return _Degrees(float(value))  # checked for its type only, never computed with


def _make_converter() -> cattrs.Converter:
    conv = strict_converter()
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_structure_hook(_Degrees, _structure_degrees)
    conv.register_structure_hook(AuthorKind, enum_hook(AuthorKind))
    strict_tuples(conv)
    return conv


_CONVERTER: Final = _make_converter()


class _Problems(Exception):
    """Problems found after structuring, as ``"description @ $.path"`` messages."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages)
        self.messages = messages


def _iso(value: datetime) -> str:
    return value.isoformat()


def _status(topic: Topic) -> str:
    return "closed" if TOPIC.is_final(topic.state) else "open"


def _status_notes(topic: Topic) -> str:
    state = TOPIC.state(topic.state)
    note = f"{state.label_zh} / {state.label_en}"
    if topic.project_id is not None:
        note += f": {topic.project_id}"
    return note


def _area_names(hierarchy: Hierarchy, scope: str) -> tuple[str | None, str]:
    """The name of the residential area at or above ``scope``, and the names' path."""
    chain = [*reversed(hierarchy.ancestors(scope)), hierarchy[scope]]
    area = next(
        (n.name for n in reversed(chain) if n.level is Level.RESIDENTIAL_AREA),
        None,
    )
    path = " ".join(n.name for n in chain if n.level >= Level.TOWN)
    return area, path


def _as_written(text: str) -> str:
    return text


def to_open311(
    topic: Topic,
    *,
    expected_at: datetime | None = None,
    hierarchy: Hierarchy | None = None,
    agency: str | None = None,
    zipcode: str | None = None,
    clear_text: bool = False,
) -> dict[str, object]:
    """A topic as an Open311 GeoReport v2 service request: the 17 fields and one extension.

    A feed of requests is usually public, so residents' free text (the title, the
    description and the responses' text) has every identity and mobile number masked
    (:func:`microgov.personal.redact_text`: ``110105********002X``, ``138****5678``)
    unless ``clear_text=True``, which is for internal exchange between trusted systems
    only.

    The 17 fields, in the spec's order:

    ============================  ========================================================
    ``service_request_id``        the topic's ``id``
    ``status``                    ``"closed"`` in a final state (resolved, converted,
                                  closed), else ``"open"``
    ``status_notes``              the state's labels, e.g. ``"已解决 / resolved"``; for a
                                  converted topic followed by ``": <project_id>"``
    ``service_name``              the category's Chinese label (:func:`lookup_category`)
    ``service_code``              the category key
    ``description``               the topic's ``text``
    ``agency_responsible``        ``agency``, else the name of the residential area at or
                                  above the scope (with ``hierarchy``), else null
    ``service_notice``            null
    ``requested_datetime``        ``raised_at`` (ISO 8601 with its UTC offset)
    ``updated_datetime``          :attr:`Topic.updated_at`
    ``expected_datetime``         ``expected_at``: the SLA due time, computed by the SLA
                                  rules, or null
    ``address``                   the node names from the town down to the scope (with
                                  ``hierarchy``), else null
    ``address_id``                the scope node id
    ``zipcode``                   ``zipcode``, or null
    ``lat``, ``long``             null (microgov holds no coordinates)
    ``media_url``                 null
    ============================  ========================================================

    What the 17 fields cannot hold is under ``"extended_attributes"`` — the element the
    GeoReport v2 extensions use for extra request attributes (extra keys are allowed by
    the spec, http://wiki.open311.org/GeoReport_v2/): ``format`` (``"microgov.topic"``),
    ``version`` (1), ``title``, ``author``, ``state``, ``project_id``, ``responses``
    (``author``, ``kind``, ``at``, ``text``) and ``history`` (``command``, ``actor``, ``at``).
    :func:`from_open311` reads the topic back from the request exactly (with
    ``clear_text=True``, or when the free text holds no personal number).

    Args:
        topic: The topic.
        expected_at: The SLA due time (timezone-aware), or None.
        hierarchy: The governance graph, for ``agency_responsible`` and ``address``.
        agency: The agency responsible, overriding the one from the graph.
        zipcode: The postal code, if known.
        clear_text: Keep residents' free text as written, personal numbers included
            (internal use only; never for a public feed).

    Returns:
        A JSON-ready dict (keys in the order above, then ``extended_attributes``).

    Raises:
        DataFormatError: ``time.not_aware`` for a naive ``expected_at``.
        NodeNotFound: If ``hierarchy`` is given and the scope is not in it.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.topics import Topic
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> t = Topic(id="t-1", scope="area-01", category="parking", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 23, 50, tzinfo=sh), title="车位紧张",
        ...           text="晚上没有车位")
        >>> req = to_open311(t, hierarchy=meilan_xihu(),
        ...                  expected_at=datetime(2026, 3, 3, 9, 0, tzinfo=sh))
        >>> req["status"], req["service_code"], req["service_name"], req["address_id"]
        ('open', 'parking', '停车管理', 'area-01')
        >>> req["requested_datetime"], req["expected_datetime"]
        ('2026-03-02T23:50:00+08:00', '2026-03-03T09:00:00+08:00')
        >>> req["agency_responsible"]
        '美罗家园佳翔苑居委会'
        >>> from_open311(req) == t
        True
        >>> typed = Topic(id="t-2", scope="area-01", category="other", author="r-2",
        ...               raised_at=datetime(2026, 3, 2, tzinfo=sh), title="求助",
        ...               text="请回电 138-1234-5678")
        >>> to_open311(typed)["description"], to_open311(typed, clear_text=True)["description"]
        ('请回电 138****5678', '请回电 138-1234-5678')
    """
    if expected_at is not None:
        _check_aware("expected_at", expected_at)
    area: str | None = None
    address: str | None = None
    if hierarchy is not None:
        area, address = _area_names(hierarchy, topic.scope)
    shown = _as_written if clear_text else redact_text
    return {
        "service_request_id": topic.id,
        "status": _status(topic),
        "status_notes": _status_notes(topic),
        "service_name": lookup_category(topic.category).label_zh,
        "service_code": topic.category,
        "description": shown(topic.text),
        "agency_responsible": agency if agency is not None else area,
        "service_notice": None,
        "requested_datetime": _iso(topic.raised_at),
        "updated_datetime": _iso(topic.updated_at),
        "expected_datetime": None if expected_at is None else _iso(expected_at),
        "address": address,
        "address_id": topic.scope,
        "zipcode": zipcode,
        "lat": None,
        "long": None,
        "media_url": None,
        EXTENSION_KEY: {
            "format": EXTENSION_FORMAT,
            "version": EXTENSION_VERSION,
            "title": shown(topic.title),
            "author": topic.author,
            "state": topic.state,
            "project_id": topic.project_id,
            "responses": [
                {
                    "author": r.author,
                    "kind": r.kind.value,
                    "at": _iso(r.at),
                    "text": shown(r.text),
                }
                for r in topic.responses
            ],
            "history": [
                {"command": s.command, "actor": s.actor, "at": _iso(s.at)} for s in topic.history
            ],
        },
    }


_WIRE_NAMES: Final[Mapping[str, str]] = {
    "id": "service_request_id",
    "scope": "address_id",
    "category": "service_code",
    "raised_at": "requested_datetime",
    "text": "description",
}


def _wire_field(field: str) -> str:
    """The request path of a :class:`Topic` field named in one of its errors."""
    head = field.split("[", 1)[0].split(".", 1)[0]
    if head in _WIRE_NAMES:
        return _WIRE_NAMES[head] + field[len(head) :]
    return f"{EXTENSION_KEY}.{field}" if field else field


def _topic_of(req: _Request, path: str) -> Topic:
    """Build the topic of a structured request and cross-check the duplicated fields."""
    ext = req.extended_attributes
    where = f"{path}.{EXTENSION_KEY}"
    problems: list[str] = []
    if ext.format != EXTENSION_FORMAT:
        problems.append(f"expected {EXTENSION_FORMAT!r}, got {ext.format!r:.40} @ {where}.format")
    if ext.version != EXTENSION_VERSION:
        problems.append(f"unsupported version {ext.version} @ {where}.version")
    if problems:
        raise _Problems(problems)
    try:
        topic = Topic(
            id=req.service_request_id,
            scope=req.address_id,
            category=req.service_code,
            author=ext.author,
            raised_at=req.requested_datetime,
            title=ext.title,
            text=req.description,
            responses=tuple(
                Response(author=r.author, kind=r.kind, at=r.at, text=r.text) for r in ext.responses
            ),
            history=tuple(
                StateChange(command=s.command, actor=s.actor, at=s.at) for s in ext.history
            ),
            project_id=ext.project_id,
        )
    except MicrogovError as err:
        field = _wire_field(str(err.details.get("field", "")))
        problems.append(f"{err.message_en} @ {path}{'.' + field if field else ''}")
        raise _Problems(problems) from None
    if topic.state != ext.state:
        problems.append(
            f"state {ext.state!r:.40} does not follow from the history ({topic.state!r}) "
            f"@ {where}.state"
        )
    if req.status != _status(topic):
        problems.append(
            f"status {req.status!r:.40} does not match state {topic.state!r} "
            f"(expected {_status(topic)!r}) @ {path}.status"
        )
    if req.updated_datetime != topic.updated_at:
        problems.append(
            f"updated_datetime is not the time of the latest post, response or state change "
            f"({_iso(topic.updated_at)}) @ {path}.updated_datetime"
        )
    if problems:
        raise _Problems(problems)
    return topic


def _check_scopes(topics: Iterable[Topic], hierarchy: Hierarchy | None, paths: list[str]) -> None:
    if hierarchy is None:
        return
    bad = [
        f"scope {t.scope!r} is not a node of the governance graph @ {p}.address_id"
        for t, p in zip(topics, paths, strict=True)
        if t.scope not in hierarchy
    ]
    if bad:
        raise _Problems(bad)


def from_open311(
    request: Mapping[str, object],
    *,
    hierarchy: Hierarchy | None = None,
    source: str = "<request>",
) -> Topic:
    """Read a topic back from a service request written by :func:`to_open311`.

    Reading is strict: each of the 17 fields and ``extended_attributes`` must be
    present with its JSON type (strings, ISO 8601 datetimes with a UTC offset, numbers
    or null for ``lat``/``long``), no other key is allowed, and the fields a topic
    shares with the extension must agree (``status`` with ``state``,
    ``updated_datetime`` with the latest activity).  Fields derived for display
    (``status_notes``, ``service_name``, ``agency_responsible``, ``service_notice``,
    ``expected_datetime``, ``address``, ``zipcode``, ``lat``, ``long``, ``media_url``)
    are type-checked and otherwise ignored.

    Args:
        request: The service request, as parsed from JSON.
        hierarchy: If given, the scope (``address_id``) must be one of its nodes.
        source: A name for the input, used in error messages.

    Returns:
        The topic.

    Raises:
        DataFormatError: ``data.records`` listing every bad field by its path
            (``$.status``, ``$.extended_attributes.history[1].at`` …), or ``data.shape``
            if ``request`` is not a mapping.

    Example:
        >>> from_open311({"service_request_id": 7})
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: <request>: 18 bad field(s):
          - expected a string, got int 7 @ $.service_request_id
          - required field missing @ $.status
        ...
    """
    if not isinstance(request, Mapping):
        raise DataFormatError(
            f"{source}: expected a service request object, got {type(request).__name__}.",
            f"{source}：应为服务请求对象（JSON 对象）。",
            code="data.shape",
            source=source,
        )
    req = structure(_CONVERTER, dict(request), _Request, source=source)
    try:
        topic = _topic_of(req, "$")
        _check_scopes([topic], hierarchy, ["$"])
    except _Problems as err:
        raise records_error(err.messages, source) from None
    return topic


def dumps_open311(
    topics: Iterable[Topic],
    *,
    expected: Mapping[str, datetime] | None = None,
    hierarchy: Hierarchy | None = None,
    agency: str | None = None,
    zipcode: str | None = None,
    indent: int | None = 1,
    clear_text: bool = False,
) -> str:
    """Write topics as a JSON array of GeoReport v2 service requests (see :func:`to_open311`).

    Args:
        topics: The topics, written in the order given.
        expected: The SLA due time of each topic by id (topics not in it get null).
        hierarchy: The governance graph, for ``agency_responsible`` and ``address``.
        agency: The agency responsible, overriding the one from the graph.
        zipcode: The postal code, if known.
        indent: JSON indentation; None for the most compact form.
        clear_text: Keep residents' free text as written, personal numbers included
            (internal use only); by default every identity and mobile number in the
            title, description and responses is masked, as a public feed must be.

    Returns:
        The JSON text (UTF-8 characters kept as they are); the same input always gives
        the same text.

    Raises:
        DataFormatError: ``topic.duplicate_id`` if two topics share an id, or see
            :func:`to_open311`.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.topics import Topic
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, tzinfo=timezone.utc), title="x")
        >>> text = dumps_open311([t], indent=None)
        >>> text[:60]
        '[{"service_request_id": "t-1", "status": "open", "status_not'
        >>> loads_open311(text) == (t,)
        True
    """
    due = expected or {}
    out: list[dict[str, object]] = []
    seen: set[str] = set()
    for topic in topics:
        if topic.id in seen:
            raise DataFormatError(
                f"Two topics have the id {topic.id!r}.",
                f"有两个议题的编号均为 {topic.id!r}。",
                code="topic.duplicate_id",
                topic=topic.id,
            )
        seen.add(topic.id)
        out.append(
            to_open311(
                topic,
                expected_at=due.get(topic.id),
                hierarchy=hierarchy,
                agency=agency,
                zipcode=zipcode,
                clear_text=clear_text,
            )
        )
    return json.dumps(out, ensure_ascii=False, indent=indent)


def loads_open311(
    text: str | bytes, *, hierarchy: Hierarchy | None = None, source: str = "<string>"
) -> tuple[Topic, ...]:
    """Read topics from a JSON array of service requests written by :func:`dumps_open311`.

    Every request is checked as by :func:`from_open311`, and every problem of every
    request is reported at once, by path (``$[3].status``).

    Args:
        text: The JSON text (str, or UTF-8 bytes with or without a BOM).
        hierarchy: If given, every scope must be one of its nodes.
        source: A name for the input (a file name) used in error messages.

    Returns:
        The topics, in the order of the array.

    Raises:
        DataFormatError: ``data.json`` for text that is not JSON, ``data.shape`` for a
            document that is not an array, ``data.records`` listing every bad field,
            ``topic.duplicate_id`` for two requests with the same id.

    Example:
        >>> loads_open311("[]")
        ()
        >>> loads_open311('{"service_request_id": "t-1"}')
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: <string>: expected a JSON array ... [data.shape]
    """
    raw = parse_json(text, source)
    if not isinstance(raw, list):
        raise DataFormatError(
            f"{source}: expected a JSON array of service requests, got {type(raw).__name__}.",
            f"{source}：应为服务请求的 JSON 数组。",
            code="data.shape",
            source=source,
        )
    requests = structure(_CONVERTER, raw, tuple[_Request, ...], source=source)
    topics: list[Topic] = []
    problems: list[str] = []
    paths: list[str] = []
    for n, req in enumerate(requests):
        try:
            topics.append(_topic_of(req, f"$[{n}]"))
            paths.append(f"$[{n}]")
        except _Problems as err:
            problems.extend(err.messages)
    if not problems:
        try:
            _check_scopes(topics, hierarchy, paths)
        except _Problems as err:
            problems.extend(err.messages)
    if problems:
        raise records_error(problems, source)
    seen: dict[str, int] = {}
    for n, topic in enumerate(topics):
        if topic.id in seen:
            raise DataFormatError(
                f"{source}: requests {seen[topic.id]} and {n} have the same id {topic.id!r}.",
                f"{source}：第 {seen[topic.id]} 与第 {n} 个请求编号相同（{topic.id!r}）。",
                code="topic.duplicate_id",
                source=source,
                topic=topic.id,
            )
        seen[topic.id] = n
    return tuple(topics)
