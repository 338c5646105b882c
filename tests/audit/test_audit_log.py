"""AuditLog: appending, atomic batches, refusals that change nothing, read-only views."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from fractions import Fraction

import attrs
import pytest
from audit_world import BASE, HEAVY, SHANGHAI, drafts, simple_log
from hypothesis import given

from microgov.audit import (
    GENESIS_HASH,
    AuditEvent,
    AuditLog,
    EventDraft,
    compute_hash,
    genesis_hash,
    verify,
)
from microgov.errors import AuditError, MicrogovError
from microgov.policy import Verdict


def test_append_sequences_links_and_hashes() -> None:
    log = simple_log(5, streams=("project:p-1", "project:p-2"))
    events = list(log.events)
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert [e.stream_sequence for e in events] == [1, 1, 2, 2, 3]
    assert [e.id for e in events] == [
        "project:p-1:1",
        "project:p-2:1",
        "project:p-1:2",
        "project:p-2:2",
        "project:p-1:3",
    ]
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert all(e.hash == compute_hash(e) for e in events)
    assert log.head == events[-1].hash
    assert len(log) == 5
    assert log.streams == ("project:p-1", "project:p-2")
    assert [e.sequence for e in log.stream("project:p-2")] == [2, 4]
    assert log.stream("nobody") == ()
    assert log.get("project:p-2:2") is events[3]
    assert log.get("project:p-9:1") is None
    assert verify(log.events, head=log.head).ok


def test_empty_log() -> None:
    log = AuditLog()
    assert len(log) == 0
    assert log.head == GENESIS_HASH == log.genesis
    assert list(log) == []
    assert verify(log.events, head=log.head).ok


@HEAVY
@given(drafts())
def test_extend_gives_a_valid_chain(batch: list[EventDraft]) -> None:
    log = AuditLog()
    made = log.extend(batch)
    assert len(made) == len(batch) == len(log)
    assert tuple(log.events) == made
    assert [e.payload for e in made] == [d.payload for d in batch]
    assert verify(log.events, head=log.head).ok


def test_caller_given_ids_are_kept_and_unique() -> None:
    log = AuditLog()
    e = log.append(stream="s", type="t", actor="u", at=BASE, id="cmd-7f3a")
    assert e.id == "cmd-7f3a"
    head = log.head
    with pytest.raises(AuditError) as info:
        log.append(stream="s", type="t", actor="u", at=BASE, id="cmd-7f3a")
    assert info.value.code == "audit.duplicate_id"
    assert (len(log), log.head) == (1, head)
    # a caller-given id may not take a default id's place either
    log.append(stream="s", type="t", actor="u", at=BASE, id="s:3")
    with pytest.raises(AuditError, match="already in the log"):
        log.append(stream="s", type="t", actor="u", at=BASE)


def test_record_time_may_not_go_backwards_but_may_repeat() -> None:
    log = simple_log(2)
    last = log.events[-1].at
    log.append(stream="s", type="t", actor="u", at=last)  # equal time is fine
    head = log.head
    with pytest.raises(AuditError) as info:
        log.append(stream="s", type="t", actor="u", at=last - timedelta(microseconds=1))
    assert info.value.code == "audit.time_order"
    assert (len(log), log.head) == (3, head)


def test_extend_is_atomic() -> None:
    log = simple_log(3)
    head, size = log.head, len(log)
    late = log.events[-1].at + timedelta(hours=1)
    batch = [
        EventDraft(stream="s", type="t", actor="u", at=late),
        EventDraft(stream="s", type="t", actor="u", at=late + timedelta(hours=1)),
        EventDraft(stream="s", type="t", actor="u", at=late),  # goes backwards
    ]
    with pytest.raises(AuditError) as info:
        log.extend(batch)
    assert info.value.code == "audit.time_order"
    assert info.value.details["index"] == 2
    assert (len(log), log.head, log.stream("s")) == (size, head, ())
    with pytest.raises(AuditError) as info:
        log.extend([batch[0], "not a draft"])  # type: ignore[list-item]
    assert info.value.code == "audit.draft_type"
    assert (len(log), log.head) == (size, head)
    made = log.extend(batch[:2])
    assert [e.sequence for e in made] == [4, 5]


def test_events_view_is_read_only_and_live() -> None:
    log = simple_log(2)
    view = log.events
    with pytest.raises(TypeError):
        view[0] = view[1]  # type: ignore[index]
    assert not hasattr(view, "append")
    assert isinstance(view[0:2], tuple)
    log.append(stream="s", type="t", actor="u", at=BASE + timedelta(days=1))
    assert len(view) == 3
    assert "3 event(s)" in repr(view)
    assert "3 event(s)" in repr(log)


def test_events_are_immutable_and_payloads_deeply_frozen() -> None:
    source = {"items": [1, {"k": "v"}], "when": date(2026, 1, 1)}
    log = AuditLog()
    e = log.append(stream="s", type="t", actor="u", at=BASE, payload=source)
    source["items"].append(2)  # type: ignore[attr-defined]
    source["new"] = 1
    assert e.payload == {"items": (1, {"k": "v"}), "when": date(2026, 1, 1)}
    with pytest.raises(TypeError):
        e.payload["x"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        e.payload["items"][1]["k"] = "w"  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        e.actor = "other"  # type: ignore[misc]
    assert e.hash == compute_hash(e)


@pytest.mark.parametrize(
    ("payload", "code", "path"),
    [
        ({"fee": 1.5}, "audit.float", "payload.fee"),
        ({"items": [1, {"share": 0.25}]}, "audit.float", "payload.items[1].share"),
        ({"at": datetime(2026, 1, 1)}, "time.not_aware", "payload.at"),
        ({1: "x"}, "audit.payload_key", "payload"),
        ({"$date": "2026-01-01"}, "audit.payload_key", "payload"),
        ({"blob": b"abc"}, "audit.payload_type", "payload.blob"),
        ({"set": {1, 2}}, "audit.payload_type", "payload.set"),
        ({"big": 2**53}, "audit.integer_range", "payload.big"),
        ({"text": "\ud800"}, "audit.text", "payload.text"),
    ],
)
def test_bad_payloads_are_refused_and_change_nothing(
    payload: dict[object, object], code: str, path: str
) -> None:
    log = simple_log(1)
    head = log.head
    with pytest.raises(AuditError) as info:
        log.append(stream="s", type="t", actor="u", at=BASE + timedelta(days=1), payload=payload)  # type: ignore[arg-type]
    assert info.value.code == code
    assert info.value.details["path"] == path
    assert info.value.message_zh
    assert (len(log), log.head) == (1, head)


def test_payload_must_be_a_mapping() -> None:
    with pytest.raises(AuditError) as info:
        EventDraft(stream="s", type="t", actor="u", at=BASE, payload=[1, 2])  # type: ignore[arg-type]
    assert info.value.code == "audit.payload_type"


def test_verdicts_are_checked_too() -> None:
    float_figure = Verdict(
        rule="r",
        passed=True,
        code="r.ok",
        message_en="ok",
        message_zh="好",
        figures={"x": 0.5},  # type: ignore[dict-item]
    )
    with pytest.raises(AuditError) as info:
        EventDraft(stream="s", type="t", actor="u", at=BASE, verdicts=[float_figure])
    assert info.value.code == "audit.float"
    assert info.value.details["path"] == "verdicts[0].figures.x"
    with pytest.raises(AuditError) as info:
        EventDraft(stream="s", type="t", actor="u", at=BASE, verdicts=["passed"])  # type: ignore[list-item]
    assert info.value.code == "audit.verdict_type"


@pytest.mark.parametrize(
    "changes",
    [
        {"at": datetime(2026, 1, 1)},
        {"at": "2026-01-01"},
        {"stream": ""},
        {"actor": " u"},
        {"type": 7},
        {"id": ""},
    ],
)
def test_bad_draft_fields_are_refused(changes: dict[str, object]) -> None:
    fields: dict[str, object] = {"stream": "s", "type": "t", "actor": "u", "at": BASE}
    fields.update(changes)
    with pytest.raises(AuditError) as info:
        EventDraft(**fields)  # type: ignore[arg-type]
    assert info.value.code in {"text.required", "time.not_aware"}
    assert isinstance(info.value, MicrogovError)


def test_naive_datetime_refused_on_append() -> None:
    with pytest.raises(AuditError, match="naive datetime") as info:
        AuditLog().append(stream="s", type="t", actor="u", at=datetime(2026, 3, 2, 9))
    assert info.value.code == "time.not_aware"


def test_event_fields_are_checked_but_not_its_hash() -> None:
    e = simple_log(1).events[0]
    forged = attrs.evolve(e, payload={"n": 99})  # constructible: verify() will find it
    assert forged.hash == e.hash != compute_hash(forged)
    for changes in ({"sequence": 0}, {"sequence": True}, {"hash": "ABC"}, {"prev_hash": "0" * 63}):
        with pytest.raises(AuditError) as info:
            attrs.evolve(e, **changes)  # type: ignore[arg-type]
        assert info.value.code == "audit.field"


def test_named_chain() -> None:
    log = AuditLog(chain_id="luodian/meilan-xihu")
    e = log.append(stream="s", type="t", actor="u", at=BASE)
    assert e.prev_hash == genesis_hash("luodian/meilan-xihu") != GENESIS_HASH
    assert not verify(log.events).ok  # the default genesis does not fit
    assert verify(log.events, genesis=log.genesis).ok
    with pytest.raises(AuditError) as info:
        AuditLog(chain_id="")
    assert info.value.code == "audit.chain_id"


def test_from_events_resumes_after_verifying() -> None:
    log = simple_log(4, streams=("a", "b"))
    resumed = AuditLog.from_events(log.events)
    assert resumed.head == log.head
    assert len(resumed) == 4
    e = resumed.append(stream="a", type="t", actor="u", at=BASE + timedelta(days=1))
    assert (e.sequence, e.stream_sequence, e.id, e.prev_hash) == (5, 3, "a:3", log.head)
    tampered = list(log.events)
    tampered[2] = attrs.evolve(tampered[2], actor="intruder")
    with pytest.raises(AuditError) as info:
        AuditLog.from_events(tampered)
    assert info.value.code == "audit.invalid_log"
    findings = info.value.details["findings"]
    assert isinstance(findings, tuple)
    assert findings[0].sequence == 3
    with pytest.raises(AuditError):
        AuditLog.from_events(log.events, chain_id="other")


def test_an_event_round_trips_through_evolve_unchanged() -> None:
    e = simple_log(1).events[0]
    same = attrs.evolve(e)
    assert same == e
    assert compute_hash(same) == e.hash
    assert isinstance(same, AuditEvent)
    assert e.payload["share"] == Fraction(1, 2)
    assert e.at.tzinfo is SHANGHAI
