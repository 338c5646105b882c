"""Applying commands to an item's state, and replaying its events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Final

import attrs

from microgov._checks import aware_datetime
from microgov._time import SHANGHAI
from microgov._verdict import Verdict
from microgov.errors import DataFormatError, PolicyError, TransitionRefused
from microgov.hierarchy import Hierarchy
from microgov.lifecycle._guards import DEFAULT_GUARDS, Guard
from microgov.lifecycle._table import Lifecycle, _Step, _unknown_state

__all__ = ["Command", "Context", "Event", "apply", "replay"]


def _check_aware(value: object, field: str) -> None:
    aware_datetime(value, field)


def _check_id(value: object, field: str) -> None:
    if not isinstance(value, str) or not value:
        raise DataFormatError(
            f"{field} must be a non-empty string, got {value!r}.",
            f"{field} 须为非空字符串，实际为 {value!r}。",
            code="lifecycle.bad_field",
            field=field,
        )


def _freeze(value: Command | Event) -> None:
    """Make ``payload`` a read-only shallow copy and ``verdicts`` a tuple, if they are not."""
    payload: object = value.payload
    if type(payload) is not MappingProxyType:
        if not isinstance(payload, Mapping):
            raise DataFormatError(
                f"payload must be a mapping, got {type(payload).__name__}.",
                f"payload 须为映射（字典），实际为 {type(payload).__name__}。",
                code="lifecycle.bad_field",
                field="payload",
            )
        object.__setattr__(value, "payload", MappingProxyType(dict(payload)))
    verdicts: object = value.verdicts
    if type(verdicts) is not tuple:
        if isinstance(verdicts, str | bytes) or not isinstance(verdicts, Iterable):
            raise DataFormatError(
                "verdicts must be a sequence of Verdict values.",
                "verdicts 须为 Verdict 序列。",
                code="lifecycle.bad_field",
                field="verdicts",
            )
        object.__setattr__(value, "verdicts", tuple(verdicts))


_EMPTY: Final[Mapping[str, object]] = MappingProxyType({})


@attrs.frozen(kw_only=True)
class Command:
    """A request to move one item (project or topic) by one transition.

    Attributes:
        name: The command, e.g. ``"accept"``.
        item: The id of the project or topic.
        actor: The pseudonymous id of the person issuing it.
        at: When it is issued (timezone-aware; naive datetimes are refused).
        payload: JSON-like data for the guards and the event (read-only, shallow copy).
        verdicts: Outcomes computed by other rules, e.g. a vote tally's quorum and
            majority verdicts; they are kept in the emitted event.

    Raises:
        DataFormatError: ``time.not_aware`` for a naive ``at``,
            ``time.not_aware`` / ``lifecycle.bad_field`` for other bad fields.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> c = Command(name="withdraw", item="p-1", actor="u-9",
        ...             at=datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        >>> c.payload, c.verdicts
        (mappingproxy({}), ())
        >>> Command(name="withdraw", item="p-1", actor="u-9", at=datetime(2026, 3, 2))
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: at=... is a naive datetime; ... [time.not_aware]
    """

    name: str
    item: str
    actor: str
    at: datetime
    payload: Mapping[str, object] = attrs.field(default=_EMPTY, hash=False)
    verdicts: tuple[Verdict, ...] = ()

    def __attrs_post_init__(self) -> None:
        # One check for every field (this runs once per command: keep it cheap).
        name, item, actor, at = self.name, self.item, self.actor, self.at
        if not (
            type(name) is str
            and name
            and type(item) is str
            and item
            and type(actor) is str
            and actor
            and type(at) is datetime
            and at.utcoffset() is not None
        ):
            for field in ("name", "item", "actor"):
                _check_id(getattr(self, field), field)
            _check_aware(at, "at")
        _freeze(self)


@attrs.frozen(kw_only=True)
class Context:
    """What a command is judged against: the governance graph, the item's scope, the rules.

    Attributes:
        hierarchy: The governance graph, used to check who may act.
        scope: The id of the node the item belongs to (e.g. its residential area, or a
            micro-grid for a grid's own project); roles are checked at this node or above.
        guards: The rule registry, guard name → :data:`Guard`; by default
            :data:`~microgov.lifecycle.DEFAULT_GUARDS`.
        residence: Where residents live: person → their home node (a building group,
            grid or area).  With it, a command the table lets anyone issue
            (``roles=()``: an objection during 公示, reopening a topic) is accepted only
            from a resident living within the item's scope or from someone holding a
            role with authority there (``auth.outside_jurisdiction`` otherwise); without
            it (None, the default) such a command is accepted from anyone.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.lifecycle import DEFAULT_GUARDS
        >>> ctx = Context(hierarchy=meilan_xihu(), scope="area-01")
        >>> ctx.guards is DEFAULT_GUARDS
        True
    """

    hierarchy: Hierarchy
    scope: str

    def __attrs_post_init__(self) -> None:
        _check_id(self.scope, "scope")
        if not isinstance(self.hierarchy, Hierarchy):
            raise DataFormatError(
                f"hierarchy must be a Hierarchy, got {type(self.hierarchy).__name__}.",
                f"hierarchy 须为 Hierarchy，实际为 {type(self.hierarchy).__name__}。",
                code="lifecycle.bad_field",
                field="hierarchy",
            )

    guards: Mapping[str, Guard] = attrs.field(default=DEFAULT_GUARDS, repr=False, hash=False)
    residence: Mapping[str, str] | None = attrs.field(default=None, repr=False, hash=False)


@attrs.frozen(kw_only=True)
class Event:
    """What an accepted command emitted: a small value, before any audit log numbers it.

    An audit log (:mod:`microgov.audit`) assigns ids, sequence numbers and hashes; an
    event here has none.

    Attributes:
        type: The event type, from the transition (e.g. ``"project.accepted"``).
        item: The id of the project or topic.
        actor: The person who issued the command.
        at: When the command was issued.
        payload: The command's payload.
        verdicts: The command's own verdicts, then the passing verdicts of the checks
            made (authorization, guards) — why the transition was allowed.

    Example:
        >>> from datetime import datetime, timezone
        >>> e = Event(type="topic.acknowledged", item="t-1", actor="u-1",
        ...           at=datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc), payload={},
        ...           verdicts=())
        >>> e.type
        'topic.acknowledged'
    """

    type: str
    item: str
    actor: str
    at: datetime
    payload: Mapping[str, object] = attrs.field(hash=False)
    verdicts: tuple[Verdict, ...]

    def __attrs_post_init__(self) -> None:
        _freeze(self)

    @classmethod
    def _of(cls, kind: str, command: Command, verdicts: tuple[Verdict, ...]) -> Event:
        """The event of an accepted command, without re-checking what the command checked.

        ``apply`` emits one event per accepted command; building it through ``__init__``
        would check and copy fields the :class:`Command` has already checked and frozen,
        and cost most of ``apply``'s time.
        """
        event = object.__new__(cls)
        put = object.__setattr__
        put(event, "type", kind)
        put(event, "item", command.item)
        put(event, "actor", command.actor)
        put(event, "at", command.at)
        put(event, "payload", command.payload)
        put(event, "verdicts", verdicts)
        return event


def _no_transition(lifecycle: Lifecycle, state: str, command: Command) -> Verdict:
    available = ", ".join(lifecycle.commands_from(state)) or "none"
    return Verdict(
        rule="lifecycle.transition",
        passed=False,
        code="lifecycle.no_transition",
        message_en=f"Command {command.name!r} cannot be issued in state {state!r} "
        f"(possible: {available}).",
        message_zh=f"状态 {state!r} 下不能执行命令 {command.name!r}（可执行：{available}）。",
        figures={"state": state, "command": command.name},
    )


def _auth_verdict(
    step: _Step, command: Command, context: Context, day: date, passed: bool
) -> Verdict:
    roles, roles_zh = step.roles_en, step.roles_zh
    if passed:
        return Verdict(
            rule="auth.may_act",
            passed=True,
            code="auth.may_act",
            message_en=f"{command.actor!r} holds one of the roles {roles} at "
            f"{context.scope!r} or above on {day}.",
            message_zh=f"{command.actor!r} 于 {day} 在 {context.scope!r} 或其上级担任"
            f"{roles_zh}之一。",
            figures={"actor": command.actor, "scope": context.scope, "roles": roles, "on": day},
        )
    return Verdict(
        rule="auth.may_act",
        passed=False,
        code="auth.outside_jurisdiction",
        message_en=f"{command.actor!r} holds none of the roles {roles} at {context.scope!r} "
        f"or above on {day}.",
        message_zh=f"{command.actor!r} 于 {day} 在 {context.scope!r} 及其上级均未担任"
        f"{roles_zh}中的任何角色，无权执行。",
        figures={"actor": command.actor, "scope": context.scope, "roles": roles, "on": day},
    )


def _residence_verdict(command: Command, context: Context, day: date, home: str | None) -> Verdict:
    """Whether an actor may issue a command open to anyone: a resident of the scope or an
    official there."""
    hierarchy, scope = context.hierarchy, context.scope
    lives_here = home is not None and hierarchy.is_within(home, scope)
    if lives_here or hierarchy.may_act(command.actor, scope, on=day):
        why_en = "lives within" if lives_here else "holds a role with authority at or above"
        why_zh = "居住在" if lives_here else "在其上级或本级担任有权角色："
        return Verdict(
            rule="auth.may_act",
            passed=True,
            code="auth.may_act",
            message_en=f"{command.actor!r} {why_en} {scope!r} on {day}.",
            message_zh=f"{command.actor!r} 于 {day} {why_zh}{scope!r}。",
            figures={"actor": command.actor, "scope": scope, "home": home, "on": day},
        )
    return Verdict(
        rule="auth.may_act",
        passed=False,
        code="auth.outside_jurisdiction",
        message_en=f"{command.actor!r} neither lives within {scope!r} (home: {home!r}) nor "
        f"holds a role with authority there on {day}.",
        message_zh=f"{command.actor!r} 于 {day} 既不居住在 {scope!r}（住址：{home!r}），"
        f"也未在该处担任有权角色，无权执行。",
        figures={"actor": command.actor, "scope": scope, "home": home, "on": day},
    )


def _unknown_guard(lifecycle: Lifecycle, step: _Step, registry: Mapping[str, Guard]) -> PolicyError:
    missing = [g for g in step.guards if g not in registry]
    command = step.transition.command
    return PolicyError(
        f"Guard(s) {', '.join(missing)} of command {command!r} are not in the rule registry.",
        f"命令 {command!r} 的守卫规则 {'、'.join(missing)} 未在规则注册表中。",
        code="lifecycle.unknown_guard",
        lifecycle=lifecycle.name,
        command=command,
        guards=tuple(missing),
    )


def _refuse(
    lifecycle: Lifecycle, state: str, command: Command, verdicts: list[Verdict]
) -> TransitionRefused:
    failing = [v for v in verdicts if not v.passed]
    en = "; ".join(v.message_en for v in failing)
    zh = "；".join(v.message_zh for v in failing)
    return TransitionRefused(
        f"Command {command.name!r} on {command.item!r} (state {state!r}) refused: {en}",
        f"对 {command.item!r}（状态 {state!r}）的命令 {command.name!r} 被拒绝：{zh}",
        verdicts=verdicts,
        lifecycle=lifecycle.name,
        item=command.item,
        state=state,
        command=command.name,
        codes=tuple(v.code for v in failing),
    )


def apply(
    lifecycle: Lifecycle, state: str, command: Command, context: Context
) -> tuple[str, tuple[Event, ...]]:
    """Apply one command to an item in ``state``: the new state and the events emitted.

    Nothing is created per item and nothing is changed: the item's state is its key,
    and the caller stores the returned key and events.  Every check is made and every
    verdict kept (not just the first failure):

    1. the command exists from ``state`` (``lifecycle.no_transition``; when it does
       not, there is nothing else to check);
    2. when the transition names roles, the actor holds one of them at
       ``context.scope`` or above on the command's day in Asia/Shanghai
       (:meth:`Hierarchy.may_act <microgov.hierarchy.Hierarchy.may_act>`), else
       ``auth.outside_jurisdiction``; when it names none (anyone) and
       ``context.residence`` is given, the actor lives within the scope or holds a role
       with authority there, else ``auth.outside_jurisdiction``;
    3. each guard the transition names passes (looked up in ``context.guards``).

    Args:
        lifecycle: The table.
        state: The item's current state key.
        command: The command.
        context: The governance graph, the item's scope and the guard registry.

    Returns:
        ``(new_state, events)``: the transition's target and one :class:`Event`, whose
        verdicts are the command's own followed by the checks' passing verdicts.

    Raises:
        TransitionRefused: If any check fails; ``verdicts`` holds every verdict made,
            ``code`` is the first failing one's, ``details["codes"]`` all failing codes.
        PolicyError: ``lifecycle.unknown_state`` for a state not in the table,
            ``lifecycle.unknown_guard`` for a guard name missing from the registry,
            ``lifecycle.bad_guard`` for a guard that does not return a Verdict (these
            are programming errors, not refusals).
        DataFormatError: ``lifecycle.bad_payload`` if a guard's payload field is
            malformed (e.g. ``notice_ends_at`` not an aware ISO datetime).
        NodeNotFound: If roles must be checked and ``context.scope`` is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.datasets import meilan_xihu
        >>> from microgov.lifecycle import PROJECT, Command, Context
        >>> ctx = Context(hierarchy=meilan_xihu(), scope="area-01")
        >>> at = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> state, events = apply(PROJECT, "publicised",
        ...                       Command(name="object", item="p-1", actor="u-9", at=at), ctx)
        >>> state, events[0].type
        ('suspended', 'project.objection_raised')
        >>> apply(PROJECT, "publicised",
        ...       Command(name="close", item="p-1", actor="u-9", at=at), ctx)
        Traceback (most recent call last):
        ...
        microgov.errors.TransitionRefused: Command 'close' on 'p-1' ... [lifecycle.no_transition]

    Complexity:
        O(1) table look-up, plus the guards' cost and, with roles, one
        :meth:`~microgov.hierarchy.Hierarchy.may_act` (O(depth + roles held on the chain)).
    """
    by_command = lifecycle._steps.get(state) if type(state) is str else None
    if by_command is None:
        raise _unknown_state(lifecycle.name, state)
    step = by_command.get(command.name)
    if step is None:
        raise _refuse(lifecycle, state, command, [_no_transition(lifecycle, state, command)])
    checks: list[Verdict] = []
    ok = True
    roles = step.roles
    if roles is not None:
        day = command.at.astimezone(SHANGHAI).date()
        ok = context.hierarchy.may_act(command.actor, context.scope, on=day, roles=roles)
        checks.append(_auth_verdict(step, command, context, day, ok))
    elif context.residence is not None:
        day = command.at.astimezone(SHANGHAI).date()
        verdict = _residence_verdict(command, context, day, context.residence.get(command.actor))
        ok = verdict.passed
        checks.append(verdict)
    if step.guards:
        registry = context.guards
        for name in step.guards:
            try:
                guard = registry[name]
            except KeyError:
                raise _unknown_guard(lifecycle, step, registry) from None
            verdict = guard(state, command, context)
            if type(verdict) is not Verdict and not isinstance(verdict, Verdict):
                raise PolicyError(
                    f"Guard {name!r} returned {type(verdict).__name__}, not a Verdict.",
                    f"守卫规则 {name!r} 未返回 Verdict。",
                    code="lifecycle.bad_guard",
                    guard=name,
                )
            if not verdict.passed:
                ok = False
            checks.append(verdict)
    if not ok:
        raise _refuse(lifecycle, state, command, checks)
    t = step.transition
    verdicts = command.verdicts + tuple(checks) if checks else command.verdicts
    return t.target, (Event._of(t.event, command, verdicts),)


def replay(lifecycle: Lifecycle, events: Iterable[Event], *, start: str | None = None) -> str:
    """Fold an item's events back into its state.

    Each event moves the state along the transition from the current state that emits
    that event type (the table guarantees there is at most one target).  Guards and
    authorization are not re-checked: they were checked when the events were emitted,
    and their verdicts are in the events.

    Args:
        lifecycle: The table the events were emitted under.
        events: The item's events, oldest first (all of one item).
        start: The state to start from (e.g. a snapshot's); the initial state by default.

    Returns:
        The state key after the last event.

    Raises:
        PolicyError: ``lifecycle.replay_mismatch`` if an event cannot follow the state
            reached (a log of another table, or out of order); ``lifecycle.mixed_items``
            if the events are of more than one item; ``lifecycle.unknown_state`` for a
            bad ``start``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.lifecycle import TOPIC
        >>> at = datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)
        >>> events = [Event(type=t, item="t-1", actor="u-1", at=at, payload={}, verdicts=())
        ...           for t in ("topic.acknowledged", "topic.started", "topic.resolved")]
        >>> replay(TOPIC, events)
        'resolved'

    Complexity:
        O(number of events).
    """
    state = lifecycle.initial if start is None else lifecycle.state(start).key
    table = lifecycle._replay
    item: str | None = None
    for n, event in enumerate(events):
        if item is None:
            item = event.item
        elif event.item != item:
            raise PolicyError(
                f"Event {n} is of item {event.item!r}, not {item!r}: replay one item at a time.",
                f"第 {n} 个事件属于 {event.item!r} 而非 {item!r}：请逐项重放。",
                code="lifecycle.mixed_items",
                index=n,
            )
        target = table[state].get(event.type)
        if target is None:
            raise PolicyError(
                f"Event {n} ({event.type!r}) cannot follow state {state!r} in lifecycle "
                f"{lifecycle.name!r}.",
                f"第 {n} 个事件（{event.type!r}）不能出现在流程 {lifecycle.name!r} 的状态 "
                f"{state!r} 之后。",
                code="lifecycle.replay_mismatch",
                index=n,
                state=state,
                event=event.type,
            )
        state = target
    return state
