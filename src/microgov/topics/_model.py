"""Topics (议题): the value, its responses and state changes, and the pure operations on it."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Final, Protocol, TypeVar

import attrs

from microgov._checks import aware_datetime, require_text
from microgov.errors import DataFormatError, NodeNotFound
from microgov.hierarchy import Hierarchy
from microgov.lifecycle import TOPIC, Command, Context, Event, apply

__all__ = [
    "CATEGORIES",
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
    "lookup_category",
    "project_link",
    "raise_topic",
    "reopen",
    "resolve",
    "respond",
    "start",
    "topics_by_project",
]


_T = TypeVar("_T")

# -- field checks -------------------------------------------------------------------


def _bad(field: str, value: object, what_en: str, what_zh: str) -> DataFormatError:
    return DataFormatError(
        f"{field} must be {what_en}, got {value!r:.60}.",
        f"{field} 须为{what_zh}，实际为 {value!r:.60}。",
        code="topic.bad_field",
        field=field,
    )


def _check_text(field: str, value: object, *, empty: bool = False) -> None:
    if type(value) is not str or (not empty and not value):
        if empty:
            raise _bad(field, value, "a string", "字符串")
        raise _bad(field, value, "a non-empty string", "非空字符串")


def _check_key(field: str, value: object) -> None:
    """A non-empty string without surrounding whitespace (ids, categories)."""
    require_text(value, field, padded=False)


def _check_aware(field: str, value: object) -> None:
    aware_datetime(value, field)


def _before_post(field: str, at: datetime, raised_at: datetime) -> DataFormatError:
    return DataFormatError(
        f"{field} ({at.isoformat()}) is before the topic was raised ({raised_at.isoformat()}).",
        f"{field}（{at.isoformat()}）早于议题发布时间（{raised_at.isoformat()}）。",
        code="topic.before_post",
        field=field,
    )


# -- categories ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TopicCategory:
    """A kind of topic (议题类别), with its labels.

    Attributes:
        key: The stable key stored on a topic (and used as the Open311 ``service_code``).
        label_zh: The Chinese label (the Open311 ``service_name``).
        label_en: The English label.

    Example:
        >>> TopicCategory(key="parking", label_zh="停车管理", label_en="parking").label_zh
        '停车管理'
    """

    key: str = attrs.field(validator=lambda _, __, v: _check_key("key", v))
    label_zh: str = attrs.field(validator=lambda _, __, v: _check_text("label_zh", v))
    label_en: str = attrs.field(validator=lambda _, __, v: _check_text("label_en", v))


def _cat(key: str, zh: str, en: str) -> TopicCategory:
    return TopicCategory(key=key, label_zh=zh, label_en=en)


CATEGORIES: Final[tuple[TopicCategory, ...]] = (
    _cat("environment", "环境卫生", "environment and sanitation"),
    _cat("safety", "安全隐患", "safety"),
    _cat("parking", "停车管理", "parking"),
    _cat("greening", "绿化养护", "greening"),
    _cat("elderly_care", "为老服务", "elderly care"),
    _cat("repair", "设施报修", "facilities repair"),
    _cat("neighbours", "邻里纠纷", "neighbour disputes"),
    _cat("other", "其他", "other"),
)
"""The default catalogue of topic categories (a residential area may use others).

A topic's ``category`` is a free key: these eight are the defaults the simulation and
the Open311 export know by name; any other non-empty key is a custom category,
labelled by its key.

Example:
    >>> [c.key for c in CATEGORIES]
    ['environment', 'safety', 'parking', 'greening', 'elderly_care', 'repair', 'neighbours', 'other']
"""  # noqa: E501

_BY_KEY: Final[Mapping[str, TopicCategory]] = MappingProxyType({c.key: c for c in CATEGORIES})


def lookup_category(key: str, catalogue: Iterable[TopicCategory] = CATEGORIES) -> TopicCategory:
    """The category with key ``key`` from a catalogue, or a custom one labelled by its key.

    Args:
        key: The category key of a topic.
        catalogue: The categories known by name; :data:`CATEGORIES` by default.

    Returns:
        The catalogue's category, or ``TopicCategory(key=key, label_zh=key, label_en=key)``.

    Raises:
        DataFormatError: ``topic.bad_field`` if ``key`` is not a non-empty string
            without surrounding spaces.

    Example:
        >>> lookup_category("greening").label_en
        'greening'
        >>> lookup_category("团购规则").label_zh
        '团购规则'
    """
    _check_key("category", key)
    known = _BY_KEY if catalogue is CATEGORIES else {c.key: c for c in catalogue}
    found = known.get(key)
    return found if found is not None else TopicCategory(key=key, label_zh=key, label_en=key)


# -- responses and state changes -----------------------------------------------------


class AuthorKind(enum.Enum):
    """Who wrote a response: an official (social worker, grid staff, cadre) or a resident.

    Example:
        >>> AuthorKind("official") is AuthorKind.OFFICIAL
        True
    """

    OFFICIAL = "official"
    """A social worker, grid leader, liaison, committee member or party secretary (回应)."""
    RESIDENT = "resident"
    """A resident: the author or a neighbour (评论/跟帖)."""


@attrs.frozen(kw_only=True)
class Response:
    """A response or comment on a topic.

    Attributes:
        author: The writer's pseudonymous id.
        kind: :attr:`AuthorKind.OFFICIAL` for an answer by staff, :attr:`AuthorKind.RESIDENT`
            for a resident's comment.
        at: When it was posted (timezone-aware).
        text: What it says (may be empty).

    Raises:
        DataFormatError: ``time.not_aware`` for a naive ``at``, ``topic.bad_field``
            for another bad field.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> r = Response(author="sw-1", kind=AuthorKind.OFFICIAL, text="已安排保洁。",
        ...              at=datetime(2026, 3, 2, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
        >>> r.kind.value
        'official'
        >>> Response(author="sw-1", kind=AuthorKind.OFFICIAL, text="", at=datetime(2026, 3, 2))
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: at=... is a naive datetime; ... [time.not_aware]
    """

    author: str
    kind: AuthorKind
    at: datetime
    text: str = ""

    def __attrs_post_init__(self) -> None:
        _check_key("author", self.author)
        if not isinstance(self.kind, AuthorKind):
            raise _bad("kind", self.kind, "an AuthorKind", " AuthorKind")
        _check_aware("at", self.at)
        _check_text("text", self.text, empty=True)


@attrs.frozen(kw_only=True)
class StateChange:
    """One accepted lifecycle command in a topic's history (the state follows from the table).

    Attributes:
        command: The :data:`~microgov.lifecycle.TOPIC` command, e.g. ``"acknowledge"``.
        actor: Who issued it.
        at: When (timezone-aware).

    Example:
        >>> from datetime import datetime, timezone
        >>> StateChange(command="resolve", actor="sw-1",
        ...             at=datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)).command
        'resolve'
    """

    command: str
    actor: str
    at: datetime

    def __attrs_post_init__(self) -> None:
        _check_key("command", self.command)
        _check_key("actor", self.actor)
        _check_aware("at", self.at)


def _check_items(field: str, value: object, kind: type[_T]) -> tuple[_T, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise _bad(field, value, "a sequence", "序列")
    out = tuple(value)
    for item in out:
        if not isinstance(item, kind):
            raise _bad(field, item, f"a sequence of {kind.__name__}", f" {kind.__name__} 序列")
    return out  # every item checked above


def _responses(value: Iterable[Response]) -> tuple[Response, ...]:
    if type(value) is tuple and all(type(r) is Response for r in value):
        return value
    return _check_items("responses", value, Response)


def _history(value: Iterable[StateChange]) -> tuple[StateChange, ...]:
    if type(value) is tuple and all(type(s) is StateChange for s in value):
        return value
    return _check_items("history", value, StateChange)


# -- the topic ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Topic:
    """A topic (议题) a resident raised on a residential area's page, and what followed.

    A topic is an immutable value: the operations (:func:`respond`, :func:`acknowledge`,
    :func:`resolve`, :func:`convert` …) return a new topic and the events emitted.
    ``state`` is not given but derived from ``history`` through the
    :data:`~microgov.lifecycle.TOPIC` table, so a topic can never be in a state its
    history does not lead to.

    Attributes:
        id: The topic's id.
        scope: The id of the node (residential area, or a grid inside it) it was raised on.
        category: The category key (see :data:`CATEGORIES`; custom keys allowed).
        author: The resident's pseudonymous id.
        raised_at: When it was posted (timezone-aware).
        title: Its title.
        text: Its text (may be empty).
        responses: Responses by officials and comments by residents, in the order given;
            none before ``raised_at``.
        history: The lifecycle commands accepted, oldest first; none before ``raised_at``
            and never going back in time.
        project_id: The micro-project it was converted into; set exactly when ``state``
            is ``"converted"``.
        state: The state key of :data:`~microgov.lifecycle.TOPIC` (derived, not an argument).

    Raises:
        DataFormatError: ``time.not_aware``, ``topic.before_post`` (a response or
            command before the post), ``topic.out_of_order`` (history going back in time),
            ``topic.bad_history`` (a command its state does not allow), ``topic.project_id``
            (``project_id`` without conversion or the reverse), ``topic.bad_field``.

    Complexity:
        Building a topic is O(responses + history).

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> t = Topic(id="t-1", scope="area-01", category="parking", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="车位紧张",
        ...           responses=[Response(author="sw-1", kind=AuthorKind.OFFICIAL,
        ...                               at=datetime(2026, 3, 2, 8, 15, tzinfo=sh))],
        ...           history=[StateChange(command="acknowledge", actor="sw-1",
        ...                                at=datetime(2026, 3, 2, 8, 15, tzinfo=sh))])
        >>> t.state, t.first_response_at.strftime("%H:%M"), t.resolved_at
        ('acknowledged', '08:15', None)
        >>> Topic(id="t-1", scope="area-01", category="parking", author="r-1",
        ...       raised_at=datetime(2026, 3, 2, 7, 40), title="车位紧张")
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: raised_at=... is a naive datetime; ... [time.not_aware]
    """

    id: str
    scope: str
    category: str
    author: str
    raised_at: datetime
    title: str
    text: str = ""
    responses: tuple[Response, ...] = attrs.field(default=(), converter=_responses)
    history: tuple[StateChange, ...] = attrs.field(default=(), converter=_history)
    project_id: str | None = None
    state: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        for field in ("id", "scope", "category", "author"):
            _check_key(field, getattr(self, field))
        _check_text("title", self.title)
        _check_text("text", self.text, empty=True)
        _check_aware("raised_at", self.raised_at)
        raised = self.raised_at
        for n, response in enumerate(self.responses):
            if response.at < raised:
                raise _before_post(f"responses[{n}].at", response.at, raised)
        state = TOPIC.initial
        last = raised
        for n, step in enumerate(self.history):
            if step.at < raised:
                raise _before_post(f"history[{n}].at", step.at, raised)
            if step.at < last:
                raise DataFormatError(
                    f"history[{n}] ({step.at.isoformat()}) is before the command it follows "
                    f"({last.isoformat()}).",
                    f"history[{n}]（{step.at.isoformat()}）早于其前一条命令（{last.isoformat()}）。",
                    code="topic.out_of_order",
                    field=f"history[{n}].at",
                )
            transition = TOPIC.transition(state, step.command)
            if transition is None:
                raise DataFormatError(
                    f"history[{n}]: command {step.command!r} cannot be issued in state {state!r}.",
                    f"history[{n}]：状态 {state!r} 下不能执行命令 {step.command!r}。",
                    code="topic.bad_history",
                    field=f"history[{n}].command",
                )
            state = transition.target
            last = step.at
        if self.project_id is not None:
            _check_key("project_id", self.project_id)
        if (self.project_id is not None) != (state == "converted"):
            raise DataFormatError(
                f"project_id {self.project_id!r} does not match state {state!r}: a topic "
                "has a project id exactly when it was converted into a project.",
                f"project_id {self.project_id!r} 与状态 {state!r} 不符："
                "仅已转为项目的议题有项目编号。",
                code="topic.project_id",
                field="project_id",
            )
        object.__setattr__(self, "state", state)

    def _with(
        self,
        *,
        responses: tuple[Response, ...] | None = None,
        step: StateChange | None = None,
        state: str | None = None,
        project_id: str | None = None,
    ) -> Topic:
        """A copy with one more response or one more (already checked) state change.

        The operations check the new response or command themselves; re-checking the
        whole topic through ``__init__`` would make a topic's n-th step cost O(n).
        """
        new = object.__new__(Topic)
        put = object.__setattr__
        for field in ("id", "scope", "category", "author", "raised_at", "title", "text"):
            put(new, field, getattr(self, field))
        put(new, "responses", self.responses if responses is None else responses)
        put(new, "history", self.history if step is None else (*self.history, step))
        put(new, "project_id", project_id if step is not None else self.project_id)
        put(new, "state", self.state if state is None else state)
        return new

    @property
    def first_response_at(self) -> datetime | None:
        """When an official first responded (not a resident, not the author); None if none.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> Topic(id="t", scope="a", category="other", author="r", raised_at=at,
            ...       title="x").first_response_at is None
            True
        """
        found: datetime | None = None
        for r in self.responses:
            if (
                r.kind is AuthorKind.OFFICIAL
                and r.author != self.author
                and (found is None or r.at < found)
            ):
                found = r.at
        return found

    @property
    def resolved_at(self) -> datetime | None:
        """When the topic was resolved, if its state is ``"resolved"``; None otherwise.

        A topic reopened after a resolution has no ``resolved_at`` until it is
        resolved again; a converted or closed topic has none (see :attr:`closed_at`).

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> Topic(id="t", scope="a", category="other", author="r", raised_at=at,
            ...       title="x").resolved_at is None
            True
        """
        if self.state != "resolved":
            return None
        return self.history[-1].at

    @property
    def closed_at(self) -> datetime | None:
        """When the topic reached its final state (resolved, converted or closed); else None.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> Topic(id="t", scope="a", category="other", author="r", raised_at=at,
            ...       title="x", history=[StateChange(command="close", actor="s", at=at)]
            ...       ).closed_at == at
            True
        """
        if not TOPIC.is_final(self.state):
            return None
        return self.history[-1].at

    @property
    def updated_at(self) -> datetime:
        """The time of the latest post, response or state change.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
            >>> Topic(id="t", scope="a", category="other", author="r", raised_at=at,
            ...       title="x").updated_at == at
            True
        """
        latest = self.raised_at
        for r in self.responses:
            if r.at > latest:
                latest = r.at
        if self.history and self.history[-1].at > latest:
            latest = self.history[-1].at
        return latest


# -- operations -----------------------------------------------------------------------


def raise_topic(
    hierarchy: Hierarchy,
    *,
    id: str,
    scope: str,
    category: str,
    author: str,
    at: datetime,
    title: str,
    text: str = "",
) -> tuple[Topic, tuple[Event, ...]]:
    """A resident raises a topic on a node's page (a residential area, or a grid in it).

    Args:
        hierarchy: The governance graph; ``scope`` must be one of its nodes.
        id: The new topic's id.
        scope: The node id of the page it is raised on.
        category: Its category key (:data:`CATEGORIES` or a custom key).
        author: The resident's pseudonymous id.
        at: When it is posted (timezone-aware).
        title: Its title.
        text: Its text.

    Returns:
        The open topic and one ``topic.raised`` event (payload: scope and category).

    Raises:
        NodeNotFound: ``hierarchy.unknown_node`` if ``scope`` is not in the graph.
        DataFormatError: For a naive ``at`` or another bad field (see :class:`Topic`).

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> at = datetime(2026, 3, 2, 23, 50, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> t, events = raise_topic(meilan_xihu(), id="t-1", scope="area-01",
        ...                         category="environment", author="r-1", at=at,
        ...                         title="垃圾房异味")
        >>> t.state, events[0].type
        ('open', 'topic.raised')
        >>> raise_topic(meilan_xihu(), id="t-2", scope="area-99", category="other",
        ...             author="r-1", at=at, title="x")
        Traceback (most recent call last):
        ...
        microgov.errors.NodeNotFound: Topic 't-2' is raised on 'area-99', ...
    """
    topic = Topic(
        id=id, scope=scope, category=category, author=author, raised_at=at, title=title, text=text
    )
    if scope not in hierarchy:
        raise NodeNotFound(
            f"Topic {id!r} is raised on {scope!r}, which is not a node of the governance graph.",
            f"议题 {id!r} 所在页面 {scope!r} 不是治理层级图中的节点。",
            node_id=scope,
            topic=id,
        )
    event = Event(
        type="topic.raised",
        item=id,
        actor=author,
        at=at,
        payload={"scope": scope, "category": category},
        verdicts=(),
    )
    return topic, (event,)


def respond(
    topic: Topic, *, author: str, kind: AuthorKind, at: datetime, text: str = ""
) -> tuple[Topic, tuple[Event, ...]]:
    """Add an official's response or a resident's comment to a topic.

    A response does not change the state: an official who answers usually also
    :func:`acknowledge`\\ s the topic, a separate, authorized command.  Responses are
    allowed in every state (residents comment on resolved topics too).

    Args:
        topic: The topic.
        author: The writer's pseudonymous id.
        kind: :attr:`AuthorKind.OFFICIAL` or :attr:`AuthorKind.RESIDENT`.
        at: When it is posted (timezone-aware, not before the topic).
        text: What it says.

    Returns:
        The topic with the response added, and one event: ``topic.responded`` for an
        official, ``topic.commented`` for a resident (payload: ``kind``).

    Raises:
        DataFormatError: ``time.not_aware`` for a naive ``at``,
            ``topic.before_post`` for a response before the topic was raised.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="x")
        >>> t2, events = respond(t, author="sw-1", kind=AuthorKind.OFFICIAL,
        ...                      at=datetime(2026, 3, 2, 8, 5, tzinfo=sh), text="收到")
        >>> t2.first_response_at.strftime("%H:%M"), events[0].type, t.responses
        ('08:05', 'topic.responded', ())
        >>> respond(t, author="sw-1", kind=AuthorKind.OFFICIAL,
        ...         at=datetime(2026, 3, 2, 7, 0, tzinfo=sh))
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: responses[0].at (...) is before the topic ... [topic.before_post]
    """  # noqa: E501
    response = Response(author=author, kind=kind, at=at, text=text)
    if response.at < topic.raised_at:
        raise _before_post(f"responses[{len(topic.responses)}].at", response.at, topic.raised_at)
    new = topic._with(responses=(*topic.responses, response))
    official = response.kind is AuthorKind.OFFICIAL
    event = Event(
        type="topic.responded" if official else "topic.commented",
        item=topic.id,
        actor=author,
        at=at,
        payload={"kind": response.kind.value},
        verdicts=(),
    )
    return new, (event,)


def act(
    topic: Topic,
    command: str,
    *,
    actor: str,
    at: datetime,
    hierarchy: Hierarchy,
    project_id: str | None = None,
) -> tuple[Topic, tuple[Event, ...]]:
    """Apply one :data:`~microgov.lifecycle.TOPIC` command to a topic.

    The command goes through :func:`microgov.lifecycle.apply` with the topic's scope,
    so who may act is checked on the governance graph; the emitted events are ordinary
    lifecycle :class:`~microgov.lifecycle.Event` values (``topic.acknowledged`` …).

    Args:
        topic: The topic.
        command: ``acknowledge``, ``start``, ``resolve``, ``convert``, ``close`` or ``reopen``.
        actor: Who issues it.
        at: When (timezone-aware; not before the topic nor its last state change).
        hierarchy: The governance graph.
        project_id: For ``convert`` only (and required there): the micro-project's id,
            recorded on the topic and in the event's payload.

    Returns:
        The new topic and the lifecycle events; on any error nothing is changed.

    Raises:
        TransitionRefused: If the table or the graph refuses the command.
        DataFormatError: ``topic.before_post`` / ``topic.out_of_order`` for a time before
            the topic or its last state change, ``topic.project_id`` for a ``project_id``
            missing on ``convert`` or given on another command, ``time.not_aware``.
        NodeNotFound: If the command names roles (all but ``reopen``) and the topic's
            scope is not in ``hierarchy``.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="x")
        >>> t2, events = act(t, "acknowledge", actor="person-0007", hierarchy=meilan_xihu(),
        ...                  at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))
        >>> t2.state, events[0].type
        ('acknowledged', 'topic.acknowledged')
        >>> act(t, "acknowledge", actor="r-1", hierarchy=meilan_xihu(),
        ...     at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))
        Traceback (most recent call last):
        ...
        microgov.errors.TransitionRefused: Command 'acknowledge' on 't-1' ... [auth.outside_jurisdiction]
    """  # noqa: E501
    _check_aware("at", at)
    if at < topic.raised_at:
        raise _before_post("at", at, topic.raised_at)
    if topic.history and at < topic.history[-1].at:
        last = topic.history[-1].at
        raise DataFormatError(
            f"at ({at.isoformat()}) is before the topic's last state change ({last.isoformat()}).",
            f"at（{at.isoformat()}）早于议题上一次状态变更（{last.isoformat()}）。",
            code="topic.out_of_order",
            field="at",
        )
    if (command == "convert") != (project_id is not None):
        raise DataFormatError(
            "A project_id is required for 'convert' and allowed for no other command "
            f"(command {command!r}, project_id {project_id!r}).",
            f"仅 'convert' 命令须且只能提供 project_id"
            f"（命令 {command!r}，project_id {project_id!r}）。",
            code="topic.project_id",
            field="project_id",
        )
    if project_id is not None:
        _check_key("project_id", project_id)
    payload: Mapping[str, object] = {} if project_id is None else {"project_id": project_id}
    cmd = Command(name=command, item=topic.id, actor=actor, at=at, payload=payload)
    state, events = apply(TOPIC, topic.state, cmd, Context(hierarchy=hierarchy, scope=topic.scope))
    step = StateChange(command=command, actor=actor, at=at)
    new = topic._with(
        step=step, state=state, project_id=project_id if state == "converted" else None
    )
    return new, events


class TopicCommand(Protocol):
    """The signature of :func:`acknowledge`, :func:`start`, :func:`resolve`, :func:`close`
    and :func:`reopen`: each is :func:`act` with its command name filled in.

    Example:
        >>> from microgov.topics import acknowledge
        >>> command: TopicCommand = acknowledge
        >>> command.__name__
        'acknowledge'
    """

    __name__: str

    def __call__(
        self, topic: Topic, *, actor: str, at: datetime, hierarchy: Hierarchy
    ) -> tuple[Topic, tuple[Event, ...]]:
        """Apply the command to ``topic``; see :func:`act`."""
        ...


def _command(name: str, doc: str) -> TopicCommand:
    """:func:`act` with the command ``name`` filled in, documented by ``doc``."""

    def command(
        topic: Topic, *, actor: str, at: datetime, hierarchy: Hierarchy
    ) -> tuple[Topic, tuple[Event, ...]]:
        return act(topic, name, actor=actor, at=at, hierarchy=hierarchy)

    command.__name__ = command.__qualname__ = name
    command.__doc__ = doc
    return command


acknowledge: Final = _command(
    "acknowledge",
    """Acknowledge an open topic (已回应): ``act(topic, "acknowledge", ...)``.

    Field staff may acknowledge (grid leader, liaison, building leaders, social worker,
    committee member, party secretary) at the topic's scope or above.

    Raises:
        TransitionRefused: See :func:`act`.
        DataFormatError: See :func:`act`.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="x")
        >>> acknowledge(t, actor="person-0007", hierarchy=meilan_xihu(),
        ...             at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))[0].state
        'acknowledged'
    """,
)


start: Final = _command(
    "start",
    """Start work on an acknowledged topic (办理中): ``act(topic, "start", ...)``.

    Raises:
        TransitionRefused: See :func:`act`.
        DataFormatError: See :func:`act`.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> sh, h = ZoneInfo("Asia/Shanghai"), meilan_xihu()
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="x")
        >>> t, _ = acknowledge(t, actor="person-0007", hierarchy=h,
        ...                    at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))
        >>> start(t, actor="person-0007", hierarchy=h,
        ...       at=datetime(2026, 3, 2, 9, 0, tzinfo=sh))[0].state
        'in_progress'
    """,
)


resolve: Final = _command(
    "resolve",
    """Resolve an acknowledged or in-progress topic (已解决): ``act(topic, "resolve", ...)``.

    Raises:
        TransitionRefused: See :func:`act`.
        DataFormatError: See :func:`act`.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> sh, h = ZoneInfo("Asia/Shanghai"), meilan_xihu()
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="x")
        >>> t, _ = acknowledge(t, actor="person-0007", hierarchy=h,
        ...                    at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))
        >>> t, _ = resolve(t, actor="person-0007", hierarchy=h,
        ...                at=datetime(2026, 3, 3, 10, 0, tzinfo=sh))
        >>> t.state, t.resolved_at.isoformat()
        ('resolved', '2026-03-03T10:00:00+08:00')
    """,
)


def convert(
    topic: Topic, *, project_id: str, actor: str, at: datetime, hierarchy: Hierarchy
) -> tuple[Topic, tuple[Event, ...]]:
    """Convert a topic into a micro-project (转为项目): ``act(topic, "convert", ...)``.

    The topic records ``project_id`` and the ``topic.converted`` event carries it in
    its payload; :func:`project_link` gives the project side's reference.

    Raises:
        TransitionRefused: See :func:`act` (office roles only: social worker and above).
        DataFormatError: See :func:`act`.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> sh, h = ZoneInfo("Asia/Shanghai"), meilan_xihu()
        >>> t = Topic(id="t-1", scope="area-01", category="repair", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="晾衣架老化")
        >>> t, _ = acknowledge(t, actor="person-0007", hierarchy=h,
        ...                    at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))
        >>> t, events = convert(t, project_id="p-9", actor="person-0007", hierarchy=h,
        ...                     at=datetime(2026, 3, 9, 10, 0, tzinfo=sh))
        >>> t.state, t.project_id, dict(events[0].payload)
        ('converted', 'p-9', {'project_id': 'p-9'})
    """
    return act(topic, "convert", actor=actor, at=at, hierarchy=hierarchy, project_id=project_id)


close: Final = _command(
    "close",
    """Close a topic without resolving it (已关闭; a duplicate, out of scope …).

    Raises:
        TransitionRefused: See :func:`act`.
        DataFormatError: See :func:`act`.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="x")
        >>> close(t, actor="person-0007", hierarchy=meilan_xihu(),
        ...       at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))[0].state
        'closed'
    """,
)


reopen: Final = _command(
    "reopen",
    """Reopen a resolved or closed topic (anyone may; a converted topic cannot be reopened).

    Raises:
        TransitionRefused: See :func:`act` (``lifecycle.no_transition`` for a converted topic).
        DataFormatError: See :func:`act`.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> sh, h = ZoneInfo("Asia/Shanghai"), meilan_xihu()
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r-1",
        ...           raised_at=datetime(2026, 3, 2, 7, 40, tzinfo=sh), title="x")
        >>> t, _ = close(t, actor="person-0007", hierarchy=h,
        ...              at=datetime(2026, 3, 2, 8, 5, tzinfo=sh))
        >>> reopen(t, actor="r-1", hierarchy=h, at=datetime(2026, 3, 4, 20, 0, tzinfo=sh))[0].state
        'open'
    """,
)


# -- the link to projects -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ProjectLink:
    """The link between a converted topic and its micro-project, as the project side keeps it.

    Attributes:
        project_id: The micro-project's id.
        topic_id: The topic it came from.
        scope: The topic's scope node (the project's natural scope).
        at: When the topic was converted.

    Example:
        >>> from datetime import datetime, timezone
        >>> ProjectLink(project_id="p-1", topic_id="t-1", scope="area-01",
        ...             at=datetime(2026, 3, 2, tzinfo=timezone.utc)).payload()
        {'origin': 'topic', 'topic_id': 't-1', 'scope': 'area-01'}
    """

    project_id: str
    topic_id: str
    scope: str
    at: datetime

    def payload(self) -> dict[str, str]:
        """The reference to store with the project (e.g. in its first event's payload).

        Example:
            >>> from datetime import datetime, timezone
            >>> ProjectLink(project_id="p", topic_id="t", scope="s",
            ...             at=datetime(2026, 3, 2, tzinfo=timezone.utc)).payload()["topic_id"]
            't'
        """
        return {"origin": "topic", "topic_id": self.topic_id, "scope": self.scope}


def project_link(topic: Topic) -> ProjectLink | None:
    """The project side's reference to a converted topic; None if it was not converted.

    Args:
        topic: The topic.

    Returns:
        A :class:`ProjectLink`, or None.

    Example:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> t = Topic(id="t-1", scope="area-01", category="other", author="r", raised_at=at,
        ...           title="x", project_id="p-1",
        ...           history=[StateChange(command="acknowledge", actor="s", at=at),
        ...                    StateChange(command="convert", actor="s", at=at)])
        >>> project_link(t).project_id
        'p-1'
    """
    if topic.project_id is None:
        return None
    return ProjectLink(
        project_id=topic.project_id, topic_id=topic.id, scope=topic.scope, at=topic.history[-1].at
    )


def topics_by_project(topics: Iterable[Topic]) -> Mapping[str, tuple[str, ...]]:
    """From project id to the ids of the topics converted into it (the link the other way).

    Args:
        topics: Any topics; those not converted are skipped.

    Returns:
        A read-only mapping, project ids sorted, topic ids in the order given.

    Complexity:
        O(n log n) for n topics.

    Example:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> steps = [StateChange(command="acknowledge", actor="s", at=at),
        ...          StateChange(command="convert", actor="s", at=at)]
        >>> ts = [Topic(id=f"t-{i}", scope="a", category="other", author="r", raised_at=at,
        ...             title="x", project_id="p-1", history=steps) for i in (1, 2)]
        >>> dict(topics_by_project(ts))
        {'p-1': ('t-1', 't-2')}
    """
    found: dict[str, list[str]] = {}
    for t in topics:
        if t.project_id is not None:
            found.setdefault(t.project_id, []).append(t.id)
    return MappingProxyType({k: tuple(found[k]) for k in sorted(found)})
