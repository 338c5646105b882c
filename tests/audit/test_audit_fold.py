"""State as a fold over events: pure, deterministic, replayable."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType

import pytest
from audit_world import BASE, HEAVY, logs
from hypothesis import given

from microgov.audit import (
    AuditEvent,
    AuditLog,
    accumulate,
    by_type,
    dumps_events,
    fold,
    loads_events,
)
from microgov.errors import AuditError

State = Mapping[str, tuple[int, ...]]


def sequences_by_stream(state: State, event: AuditEvent) -> State:
    """A pure reducer: a new mapping each time, the old one untouched."""
    new = dict(state)
    new[event.stream] = (*state.get(event.stream, ()), event.sequence)
    return MappingProxyType(new)


EMPTY: State = MappingProxyType({})


@HEAVY
@given(logs())
def test_fold_is_deterministic_and_survives_storage(log: AuditLog) -> None:
    first = fold(log, EMPTY, sequences_by_stream)
    assert fold(log.events, EMPTY, sequences_by_stream) == first
    assert fold(loads_events(dumps_events(log)), EMPTY, sequences_by_stream) == first
    assert dict(first) == {s: tuple(e.sequence for e in log.stream(s)) for s in log.streams}
    states = list(accumulate(log, EMPTY, sequences_by_stream))
    assert len(states) == len(log)
    assert (states[-1] if states else EMPTY) == first


def test_fold_of_nothing_is_the_initial_state() -> None:
    assert fold([], 42, lambda s, e: s + 1) == 42
    assert list(accumulate([], 42, lambda s, e: s + 1)) == []


def _project_log() -> AuditLog:
    log = AuditLog()
    for hours, kind in enumerate(("proposed", "commented", "established", "completed")):
        log.append(
            stream="project:p-1",
            type=f"project.{kind}",
            actor="u-1",
            at=BASE + timedelta(hours=hours),
            payload={"budget_fen": 1000 * hours},
        )
    return log


def test_by_type_dispatches_and_ignores_unknown_types() -> None:
    log = _project_log()
    reducer = by_type(
        {
            "project.proposed": lambda s, e: "proposed",
            "project.established": lambda s, e: "established",
            "project.completed": lambda s, e: "completed",
        }
    )
    assert list(accumulate(log, "none", reducer)) == [
        "proposed",
        "proposed",
        "established",
        "completed",
    ]


def test_by_type_strict_refuses_unknown_types() -> None:
    reducer = by_type({"project.proposed": lambda s, e: s + 1}, strict=True)
    with pytest.raises(AuditError) as info:
        fold(_project_log(), 0, reducer)
    assert info.value.code == "audit.unknown_type"
    assert info.value.details["type"] == "project.commented"
