"""The state machine as data: states, transitions and a validated lifecycle table."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Literal

import attrs

from microgov.errors import PolicyError, Problem
from microgov.hierarchy import Role

__all__ = ["ANY_STATE", "Category", "Lifecycle", "StateDef", "Transition"]

ANY_STATE: Final = "*"
"""The source of a transition allowed from every non-final state (OPEN or ACTIVE)."""

_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z")


class Category(enum.Enum):
    """What a state means for reporting: open, being worked on, done, or failed.

    ``DONE`` and ``FAILED`` states are *final*: a lifecycle table may leave them only by
    the commands it names in :attr:`Lifecycle.final_exits` (e.g. a topic's ``reopen``).

    Example:
        >>> Category.DONE.final, Category.ACTIVE.final
        (True, False)
    """

    OPEN = "open"
    ACTIVE = "active"
    DONE = "done"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        """Whether states of this category end the lifecycle (DONE or FAILED)."""
        return self is Category.DONE or self is Category.FAILED


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(
            f"{attribute.name} must be a non-empty string, got {value!r}.",
            f"{attribute.name} 须为非空字符串，实际为 {value!r}。",
            code="lifecycle.bad_field",
            field=attribute.name,
        )


@attrs.frozen(kw_only=True)
class StateDef:
    """One state of a lifecycle table, with its labels in Chinese and English.

    Attributes:
        key: The state's stable key (lower-case letters, digits and ``_``), e.g.
            ``"publicised"``; the state of a tracked item *is* this string.
        category: What the state means for reporting (:class:`Category`).
        label_zh: The Chinese label, e.g. ``"公示中"``.
        label_en: The English label, e.g. ``"publicised"``.

    Example:
        >>> s = StateDef(key="publicised", category=Category.ACTIVE, label_zh="公示中",
        ...              label_en="publicised")
        >>> s.final
        False
    """

    key: str = attrs.field(validator=_text)
    category: Category = attrs.field(validator=attrs.validators.instance_of(Category))
    label_zh: str = attrs.field(validator=_text)
    label_en: str = attrs.field(validator=_text)

    @property
    def final(self) -> bool:
        """Whether the state is final (its category is DONE or FAILED)."""
        return self.category.final


def _source(value: Iterable[str] | str) -> tuple[str, ...] | Literal["*"]:
    if value == ANY_STATE:
        return ANY_STATE
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _roles(value: Iterable[Role]) -> tuple[Role, ...]:
    return tuple(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen(kw_only=True)
class Transition:
    """One row of a lifecycle table: a command that moves an item from a state to another.

    Attributes:
        command: The command's name, e.g. ``"accept"``.
        source: The states it may be issued from, or ``"*"`` for every non-final state
            (a single string is taken as a one-state tuple).
        target: The state it leads to (the source itself for a self-loop).
        guards: Names of the rules that must pass, looked up in the
            :attr:`Context.guards <microgov.lifecycle.Context.guards>` registry.
        roles: Who may issue it: a person holding one of these roles at the item's scope
            or above (checked on the governance graph); ``()`` means anyone.
        event: The type of the event it emits, e.g. ``"project.accepted"``.

    Example:
        >>> from microgov.hierarchy import Role
        >>> t = Transition(command="accept", source="hand_raised", target="accepted",
        ...                guards=("vote.passed",), roles=(Role.COMMITTEE_MEMBER,),
        ...                event="project.accepted")
        >>> t.source, t.guards
        (('hand_raised',), ('vote.passed',))
    """

    command: str = attrs.field(validator=_text)
    source: tuple[str, ...] | Literal["*"] = attrs.field(converter=_source)
    target: str = attrs.field(validator=_text)
    event: str = attrs.field(validator=_text)
    guards: tuple[str, ...] = attrs.field(default=(), converter=_names)
    roles: tuple[Role, ...] = attrs.field(default=(), converter=_roles)

    def sources(self, states: Iterable[StateDef]) -> tuple[str, ...]:
        """The source states, with ``"*"`` expanded to every non-final state given.

        Args:
            states: The table's states, in table order.

        Returns:
            The source keys, in the order given (table order for ``"*"``).

        Example:
            >>> t = Transition(command="note", source="*", target="a", event="x.noted")
            >>> t.sources([StateDef(key="a", category=Category.OPEN, label_zh="甲",
            ...                     label_en="a"),
            ...            StateDef(key="z", category=Category.DONE, label_zh="终",
            ...                     label_en="z")])
            ('a',)
        """
        if self.source == ANY_STATE:
            return tuple(s.key for s in states if not s.final)
        return self.source


@attrs.frozen
class _Step:
    """A transition compiled for :func:`~microgov.lifecycle.apply`: one per (state, command)."""

    transition: Transition
    roles: frozenset[Role] | None
    guards: tuple[str, ...]
    roles_en: str
    roles_zh: str


def _tuple_states(value: Iterable[StateDef]) -> tuple[StateDef, ...]:
    return tuple(value)


def _tuple_transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple(value)


def _frozen_names(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Lifecycle:
    """A lifecycle table (state machine as data), validated when built.

    A tracked item's state is just a state key (a ``str``); :func:`apply
    <microgov.lifecycle.apply>` moves it by one command and :func:`replay
    <microgov.lifecycle.replay>` folds events back into it.  No object is created per
    item.

    The table is checked when it is built, and *every* problem is reported at once
    (like python-statemachine's factory checks):

    * state keys are unique and well-formed (``[a-z][a-z0-9_]*``), commands and event
      types are dotted lower-case names (``lifecycle.bad_key``, ``lifecycle.duplicate_state``);
    * the initial state exists (``lifecycle.no_initial``);
    * every source and target exists (``lifecycle.unknown_state``); a source tuple is not
      empty (``lifecycle.empty_source``);
    * no state has two transitions for one command (``lifecycle.duplicate_transition``),
      nor two transitions emitting one event type to different targets
      (``lifecycle.ambiguous_event``, so that :func:`replay` is unambiguous);
    * every state is reachable from the initial state (``lifecycle.unreachable``);
    * every non-final state has a way out to another state (``lifecycle.trap``);
    * a final state (DONE/FAILED) has no outgoing transition, except by a command
      named in ``final_exits`` (``lifecycle.final_has_exit``); every name there is a
      command of the table (``lifecycle.unknown_final_exit``).

    Args:
        name: The lifecycle's name, e.g. ``"project"``.
        states: The states, in display order.
        transitions: The transitions, in display order.
        initial: The key of the state every item starts in.
        final_exits: Commands explicitly allowed to leave a final state.

    Raises:
        PolicyError: ``lifecycle.bad_table``, listing every problem in
            ``details["problems"]`` (:class:`~microgov.errors.Problem` values).

    Example:
        >>> open_ = StateDef(key="open", category=Category.OPEN, label_zh="待办", label_en="open")
        >>> done = StateDef(key="done", category=Category.DONE, label_zh="完成", label_en="done")
        >>> lc = Lifecycle(name="todo", states=(open_, done), initial="open",
        ...                transitions=(Transition(command="finish", source="open",
        ...                                        target="done", event="todo.finished"),))
        >>> lc.commands_from("open")
        ('finish',)
        >>> Lifecycle(name="bad", states=(open_, done), initial="nowhere", transitions=())
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Lifecycle table 'bad' has 2 problem(s):
          - nowhere: The initial state 'nowhere' is not a state of the table. ...
          - open: A non-final state with no transition to another state (a trap). ...
    """

    name: str = attrs.field(validator=_text)
    states: tuple[StateDef, ...] = attrs.field(converter=_tuple_states)
    transitions: tuple[Transition, ...] = attrs.field(converter=_tuple_transitions)
    initial: str = attrs.field(validator=_text)
    final_exits: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen_names)
    _by_key: Mapping[str, StateDef] = attrs.field(init=False, repr=False, eq=False)
    _steps: Mapping[str, Mapping[str, _Step]] = attrs.field(init=False, repr=False, eq=False)
    _replay: Mapping[str, Mapping[str, str]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = _check(self)
        if problems:
            listing = "".join(f"\n  - {p}" for p in problems)
            raise PolicyError(
                f"Lifecycle table {self.name!r} has {len(problems)} problem(s):{listing}",
                f"流程表 {self.name!r} 存在 {len(problems)} 个问题。",
                code="lifecycle.bad_table",
                lifecycle=self.name,
                problems=problems,
                codes=tuple(sorted({p.code for p in problems})),
            )
        steps: dict[str, dict[str, _Step]] = {s.key: {} for s in self.states}
        replay: dict[str, dict[str, str]] = {s.key: {} for s in self.states}
        for t in self.transitions:
            step = _Step(
                t,
                frozenset(t.roles) if t.roles else None,
                t.guards,
                ", ".join(r.value for r in t.roles),
                "、".join(r.label_zh for r in t.roles),
            )
            for source in t.sources(self.states):
                steps[source][t.command] = step
                replay[source][t.event] = t.target
        object.__setattr__(self, "_by_key", MappingProxyType({s.key: s for s in self.states}))
        object.__setattr__(
            self, "_steps", MappingProxyType({k: MappingProxyType(v) for k, v in steps.items()})
        )
        object.__setattr__(
            self, "_replay", MappingProxyType({k: MappingProxyType(v) for k, v in replay.items()})
        )

    # -- queries -------------------------------------------------------------------

    def state(self, key: str) -> StateDef:
        """The state with key ``key``.

        Raises:
            PolicyError: ``lifecycle.unknown_state`` if the table has no such state.

        Example:
            >>> from microgov.lifecycle import PROJECT
            >>> PROJECT.state("publicised").label_zh
            '公示中'
        """
        try:
            return self._by_key[key]
        except (KeyError, TypeError):
            raise _unknown_state(self.name, key) from None

    def is_final(self, key: str) -> bool:
        """Whether the state ``key`` is final (DONE or FAILED).

        Raises:
            PolicyError: ``lifecycle.unknown_state`` if the table has no such state.

        Example:
            >>> from microgov.lifecycle import PROJECT
            >>> PROJECT.is_final("closed"), PROJECT.is_final("funded")
            (True, False)
        """
        return self.state(key).final

    def transition(self, state: str, command: str) -> Transition | None:
        """The transition ``command`` takes from ``state``, or None if there is none.

        Raises:
            PolicyError: ``lifecycle.unknown_state`` if the table has no state ``state``.

        Example:
            >>> from microgov.lifecycle import PROJECT
            >>> PROJECT.transition("hand_raised", "accept").target
            'accepted'
            >>> PROJECT.transition("proposed", "accept") is None
            True
        """
        step = self._step(state, command)
        return None if step is None else step.transition

    def commands_from(self, state: str) -> tuple[str, ...]:
        """The commands that can be issued in ``state``, in table order.

        Raises:
            PolicyError: ``lifecycle.unknown_state`` if the table has no such state.

        Example:
            >>> from microgov.lifecycle import TOPIC
            >>> TOPIC.commands_from("resolved")
            ('reopen',)
        """
        self.state(state)
        return tuple(self._steps[state])

    @property
    def event_types(self) -> tuple[str, ...]:
        """Every event type the table's transitions emit, once each, in table order.

        Example:
            >>> from microgov.lifecycle import TOPIC
            >>> TOPIC.event_types[:2]
            ('topic.acknowledged', 'topic.started')
        """
        return tuple(dict.fromkeys(t.event for t in self.transitions))

    @property
    def commands(self) -> tuple[str, ...]:
        """Every command of the table, once each, in table order."""
        return tuple(dict.fromkeys(t.command for t in self.transitions))

    def with_labels(self, overrides: Mapping[str, tuple[str, str]]) -> Lifecycle:
        """A copy of this lifecycle with some states' labels replaced.

        A town or residential area may call its states by its own names; keys,
        categories and transitions are unchanged.

        Args:
            overrides: State key → ``(label_zh, label_en)``.

        Returns:
            A new lifecycle; this one is unchanged.

        Raises:
            PolicyError: ``lifecycle.unknown_state`` if a key is not a state of the
                table; ``lifecycle.bad_field`` if a label is empty.

        Example:
            >>> from microgov.lifecycle import PROJECT
            >>> renamed = PROJECT.with_labels({"publicised": ("公示期", "on public notice")})
            >>> renamed.state("publicised").label_en, PROJECT.state("publicised").label_en
            ('on public notice', 'publicised')
        """
        for key, labels in overrides.items():
            self.state(key)
            if not isinstance(labels, tuple) or len(labels) != 2:
                raise PolicyError(
                    f"Labels of {key!r} must be a (label_zh, label_en) pair, got {labels!r}.",
                    f"状态 {key!r} 的名称须为（中文名称, 英文名称）二元组，实际为 {labels!r}。",
                    code="lifecycle.bad_field",
                    state=key,
                )
        states = []
        for s in self.states:
            if s.key in overrides:
                zh, en = overrides[s.key]
                s = attrs.evolve(s, label_zh=zh, label_en=en)
            states.append(s)
        return attrs.evolve(self, states=tuple(states))

    def _step(self, state: str, command: str) -> _Step | None:
        try:
            by_command = self._steps[state]
        except (KeyError, TypeError):
            raise _unknown_state(self.name, state) from None
        return by_command.get(command)


def _unknown_state(name: str, key: object) -> PolicyError:
    return PolicyError(
        f"Lifecycle {name!r} has no state {key!r}.",
        f"流程 {name!r} 中没有状态 {key!r}。",
        code="lifecycle.unknown_state",
        lifecycle=name,
        state=str(key),
    )


def _problem(code: str, en: str, zh: str, subject: str | None = None) -> Problem:
    return Problem(code=code, message_en=en, message_zh=zh, subject=subject)


@attrs.define
class _Scan:
    """What the checks of one table learn as they go (states by key, transitions seen)."""

    lc: Lifecycle
    keys: dict[str, StateDef] = attrs.field(factory=dict)
    seen: dict[tuple[str, str], Transition] = attrs.field(factory=dict)
    events: dict[tuple[str, str], str] = attrs.field(factory=dict)
    edges: dict[str, set[str]] = attrs.field(factory=dict)
    commands: set[str] = attrs.field(factory=set)

    @property
    def states(self) -> tuple[StateDef, ...]:
        return tuple(self.keys.values())


def _check(lc: Lifecycle) -> tuple[Problem, ...]:
    """Every problem of a table, in a stable order: one function per rule below.

    The rules on states run first, then the rules on each transition and on each of its
    sources (in table order, so problems are listed where they are), then the rules on
    the whole graph (final exits named, every state reachable, no trap).
    """
    scan = _Scan(lc)
    out = _check_states(scan)
    scan.edges = {k: set() for k in scan.keys}
    out += _check_initial(scan)
    given_transitions: tuple[object, ...] = lc.transitions
    for t in given_transitions:
        if not isinstance(t, Transition):
            out.append(
                _problem(
                    "lifecycle.bad_key", f"Not a Transition: {t!r}.", f"不是 Transition：{t!r}。"
                )
            )
            continue
        scan.commands.add(t.command)
        for transition_rule in _TRANSITION_RULES:
            out += transition_rule(scan, t)
        for source in t.sources(scan.states):
            if source not in scan.keys:
                out.append(
                    _problem(
                        "lifecycle.unknown_state",
                        f"Source {source!r} is not a state of the table.",
                        f"起始状态 {source!r} 不在状态表中。",
                        t.command,
                    )
                )
                continue
            for source_rule in _SOURCE_RULES:
                out += source_rule(scan, t, source)
    for table_rule in _TABLE_RULES:
        out += table_rule(scan)
    return tuple(out)


def _check_states(scan: _Scan) -> list[Problem]:
    """``lifecycle.bad_key``, ``lifecycle.duplicate_state``: states well-formed and unique."""
    out = []
    given_states: tuple[object, ...] = scan.lc.states
    for s in given_states:
        if not isinstance(s, StateDef):
            out.append(
                _problem("lifecycle.bad_key", f"Not a StateDef: {s!r}.", f"不是 StateDef：{s!r}。")
            )
            continue
        if not _KEY.match(s.key):
            out.append(
                _problem(
                    "lifecycle.bad_key",
                    "State keys are lower-case letters, digits and '_', starting with a letter.",
                    "状态键须由小写字母、数字和下划线组成，并以字母开头。",
                    s.key,
                )
            )
        if s.key in scan.keys:
            out.append(
                _problem(
                    "lifecycle.duplicate_state",
                    "The state is defined twice.",
                    "状态重复定义。",
                    s.key,
                )
            )
        scan.keys[s.key] = s
    return out


def _check_initial(scan: _Scan) -> list[Problem]:
    """``lifecycle.no_initial``: the initial state exists."""
    initial = scan.lc.initial
    if initial in scan.keys:
        return []
    return [
        _problem(
            "lifecycle.no_initial",
            f"The initial state {initial!r} is not a state of the table.",
            f"初始状态 {initial!r} 不在状态表中。",
            initial,
        )
    ]


def _check_names(scan: _Scan, t: Transition) -> list[Problem]:
    """``lifecycle.bad_key``: command and event names are dotted lower-case names."""
    return [
        _problem(
            "lifecycle.bad_key",
            f"The {label} name {value!r} is not a dotted lower-case name.",
            f"{label} 名称 {value!r} 须为以点分隔的小写名称。",
            t.command,
        )
        for label, value in (("command", t.command), ("event", t.event))
        if not _NAME.match(value)
    ]


def _check_target(scan: _Scan, t: Transition) -> list[Problem]:
    """``lifecycle.unknown_state``: the target exists."""
    if t.target in scan.keys:
        return []
    return [
        _problem(
            "lifecycle.unknown_state",
            f"Target {t.target!r} is not a state of the table.",
            f"目标状态 {t.target!r} 不在状态表中。",
            t.command,
        )
    ]


def _check_source_given(scan: _Scan, t: Transition) -> list[Problem]:
    """``lifecycle.empty_source``: a transition has a source."""
    if t.source == ANY_STATE or t.source:
        return []
    return [
        _problem(
            "lifecycle.empty_source",
            "The transition has no source state.",
            "该转换没有起始状态。",
            t.command,
        )
    ]


def _check_one_per_command(scan: _Scan, t: Transition, source: str) -> list[Problem]:
    """``lifecycle.duplicate_transition``: one transition per state and command."""
    duplicate = (source, t.command) in scan.seen
    scan.seen[source, t.command] = t
    if not duplicate:
        return []
    return [
        _problem(
            "lifecycle.duplicate_transition",
            f"State {source!r} has two transitions for this command.",
            f"状态 {source!r} 对该命令有两条转换。",
            t.command,
        )
    ]


def _check_replayable(scan: _Scan, t: Transition, source: str) -> list[Problem]:
    """``lifecycle.ambiguous_event``: from a state, an event type leads to one target."""
    previous = scan.events.get((source, t.event))
    scan.events[source, t.event] = t.target
    if t.target in scan.keys:
        scan.edges[source].add(t.target)
    if previous is None or previous == t.target:
        return []
    return [
        _problem(
            "lifecycle.ambiguous_event",
            f"From {source!r}, event {t.event!r} leads to both {previous!r} "
            f"and {t.target!r}: it could not be replayed.",
            f"从 {source!r} 出发，事件 {t.event!r} 同时指向 {previous!r} 和 "
            f"{t.target!r}，无法重放。",
            t.command,
        )
    ]


def _check_final_left(scan: _Scan, t: Transition, source: str) -> list[Problem]:
    """``lifecycle.final_has_exit``: a final state is left only by a named final exit."""
    if not scan.keys[source].final or t.command in scan.lc.final_exits:
        return []
    return [
        _problem(
            "lifecycle.final_has_exit",
            f"Final state {source!r} may be left only by a command named in final_exits.",
            f"终态 {source!r} 只能通过 final_exits 中列出的命令离开。",
            t.command,
        )
    ]


def _check_final_exits_named(scan: _Scan) -> list[Problem]:
    """``lifecycle.unknown_final_exit``: every final exit is a command of the table."""
    return [
        _problem(
            "lifecycle.unknown_final_exit",
            f"final_exits names {name!r}, which is not a command of the table.",
            f"final_exits 中的 {name!r} 不是流程表中的命令。",
            name,
        )
        for name in sorted(scan.lc.final_exits - scan.commands)
    ]


def _check_reachable(scan: _Scan) -> list[Problem]:
    """``lifecycle.unreachable``: every state is reachable from the initial state."""
    initial = scan.lc.initial
    if initial not in scan.keys:
        return []
    reached = {initial}
    todo = [initial]
    while todo:
        for nxt in scan.edges[todo.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    return [
        _problem(
            "lifecycle.unreachable",
            "The state cannot be reached from the initial state.",
            "从初始状态无法到达该状态。",
            key,
        )
        for key in scan.keys
        if key not in reached
    ]


def _check_no_trap(scan: _Scan) -> list[Problem]:
    """``lifecycle.trap``: every non-final state has a way out to another state."""
    return [
        _problem(
            "lifecycle.trap",
            "A non-final state with no transition to another state (a trap).",
            "非终态没有通往其他状态的转换（死状态）。",
            key,
        )
        for key, s in scan.keys.items()
        if not s.final and not (scan.edges[key] - {key})
    ]


_TRANSITION_RULES: Final = (_check_names, _check_target, _check_source_given)
_SOURCE_RULES: Final = (_check_one_per_command, _check_replayable, _check_final_left)
_TABLE_RULES: Final = (_check_final_exits_named, _check_reachable, _check_no_trap)
