"""Stored events: exact round trips, verification after loading, strict reading."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from audit_world import HEAVY, SHANGHAI, logs, simple_log
from hypothesis import given

from microgov.audit import AuditLog, canonical_json, dumps_events, loads_events, verify
from microgov.errors import AuditError, DataFormatError
from microgov.policy import Citation, Verdict


@HEAVY
@given(logs())
def test_round_trip_is_exact_and_still_verifies(log: AuditLog) -> None:
    text = dumps_events(log)
    events = loads_events(text)
    assert events == tuple(log.events)
    assert [canonical_json(e) for e in events] == [canonical_json(e) for e in log]
    assert verify(events, head=log.head).ok
    assert dumps_events(events) == text  # deterministic


def test_round_trip_keeps_verdicts_and_citations() -> None:
    verdict = Verdict(
        rule="quorum.residents_meeting",
        passed=True,
        code="quorum.met",
        message_en="31 of 60 present.",
        message_zh="到会 31 人。",
        figures={"present": 31, "day": datetime(2026, 1, 1, tzinfo=UTC).date()},
        citation=Citation(source="城市居民委员会组织法", article="第九条", verified=False),
    )
    log = AuditLog()
    log.append(
        stream="s", type="t", actor="u", at=datetime(2026, 1, 1, tzinfo=UTC), verdicts=[verdict]
    )
    (event,) = loads_events(dumps_events(log))
    assert event.verdicts == (verdict,)
    assert event.verdicts[0].citation == verdict.citation


def test_times_come_back_in_the_zone_asked_for() -> None:
    log = simple_log(1)
    (event,) = loads_events(dumps_events(log))
    assert event.at.tzinfo == SHANGHAI
    assert event.at == log.events[0].at
    (event,) = loads_events(dumps_events(log), zone=UTC)
    assert event.at.tzinfo is UTC
    assert event.at == log.events[0].at


def test_bytes_and_bom_are_accepted() -> None:
    text = dumps_events(simple_log(2))
    assert len(loads_events(text.encode())) == 2
    assert len(loads_events(("\ufeff" + text).encode())) == 2
    assert loads_events(dumps_events([])) == ()


def test_tampering_with_stored_text_is_found_after_loading() -> None:
    log = simple_log(3)
    doc = json.loads(dumps_events(log))
    doc["events"][1]["payload"]["n"] = 1000
    events = loads_events(json.dumps(doc))
    report = verify(events, head=log.head)
    assert [(f.code, f.sequence) for f in report.findings] == [("audit.hash_mismatch", 2)]


def _doc_with(change: Any) -> str:
    doc = json.loads(dumps_events(simple_log(2)))
    change(doc["events"][0])
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda e: e["payload"].__setitem__("n", 1.5), "$.events[0].payload.n", "float"),
        (lambda e: e.__setitem__("sequence", "1"), "$.events[0].sequence", "integer"),
        (lambda e: e.__setitem__("sequence", True), "$.events[0].sequence", "integer"),
        (lambda e: e.pop("actor"), "$.events[0].actor", "missing"),
        (lambda e: e.__setitem__("extra", 1), "$.events[0]", "unknown field"),
        (
            lambda e: e.__setitem__("at", {"$datetime": "2026-03-02T09:00:00"}),
            "$.events[0].at",
            "canonical datetime",
        ),
        (lambda e: e.__setitem__("at", "2026-03-02"), "$.events[0].at", "$datetime"),
        (
            lambda e: e["payload"].__setitem__("share", {"$fraction": "2/4"}),
            "$.events[0].payload.share.$fraction",
            "lowest terms",
        ),
        (
            lambda e: e["payload"].__setitem__("x", {"$money": "1"}),
            "$.events[0].payload.x.$money",
            "reserved",
        ),
        (
            lambda e: e["payload"].__setitem__("when", {"$date": "2026-02-30"}),
            "$.events[0].payload.when.$date",
            "not a date",
        ),
        (lambda e: e["payload"].__setitem__("n", 2**60), "$.events[0].payload.n", "2**53"),
        (lambda e: e.__setitem__("payload", [1]), "$.events[0].payload", "object"),
        (
            lambda e: e.__setitem__("payload", {"$date": "2026-01-01"}),
            "$.events[0].payload",
            "object",
        ),
        (lambda e: e["payload"].__setitem__("s", "\ud800"), "$.events[0].payload.s", "Unicode"),
        (lambda e: e["payload"].__setitem__("n", float("nan")), "$.events[0].payload.n", "float"),
        (lambda e: e.__setitem__("verdicts", {}), "$.events[0].verdicts", "list"),
        (
            lambda e: e.__setitem__("verdicts", [{"rule": "r"}]),
            "$.events[0].verdicts[0].passed",
            "missing",
        ),
        (lambda e: e.__setitem__("hash", "ABC"), "$.events[0].hash", "64 lowercase hex"),
        (lambda e: e.__setitem__("actor", ""), "$.events[0].actor", "non-empty"),
    ],
)
def test_bad_fields_are_named(change: Any, field: str, words: str) -> None:
    with pytest.raises(DataFormatError) as info:
        loads_events(_doc_with(change), source="log.json")
    err = info.value
    assert err.code == "data.records"
    assert "log.json" in err.message_en
    assert any(p.field == field and words in p.message_en for p in err.problems), err.problems


def test_every_bad_field_is_listed() -> None:
    def change(e: dict[str, Any]) -> None:
        e["sequence"] = "x"
        e["payload"]["a"] = 0.5
        e["payload"]["b"] = [0.25]

    with pytest.raises(DataFormatError) as info:
        loads_events(_doc_with(change))
    assert sorted(p.field or "" for p in info.value.problems) == [
        "$.events[0].payload.a",
        "$.events[0].payload.b[0]",
        "$.events[0].sequence",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "data.json"),
        (b"\xff\xfe", "data.encoding"),
        ("[]", "data.format_version"),
        ('{"format": "microgov.hierarchy", "version": 1, "events": []}', "data.format_version"),
        ('{"format": "microgov.audit", "version": 2, "events": []}', "data.format_version"),
        ('{"format": "microgov.audit", "version": 1}', "data.format_version"),
        ('{"format": "microgov.audit", "version": 1, "events": {}}', "data.shape"),
        ('{"format": "microgov.audit", "version": 1, "events": [3]}', "data.records"),
        ("[" * 100_000 + "]" * 100_000, "data.json"),
    ],
)
def test_unusable_documents(text: str | bytes, code: str) -> None:
    with pytest.raises(DataFormatError) as info:
        loads_events(text)
    assert info.value.code == code
    assert info.value.message_zh


def test_dumps_refuses_what_is_not_an_event() -> None:
    with pytest.raises(AuditError) as info:
        dumps_events([{"id": "x"}])  # type: ignore[list-item]
    assert info.value.code == "audit.event_type"


def test_loaded_log_can_be_resumed() -> None:
    log = simple_log(3)
    resumed = AuditLog.from_events(loads_events(dumps_events(log)))
    e = resumed.append(
        stream="project:p-1", type="t", actor="u", at=log.events[-1].at + timedelta(hours=1)
    )
    assert e.prev_hash == log.head
    assert e.sequence == 4
