"""verify(): a clean chain passes; every kind of tampering is found and named."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from audit_world import HEAVY, logs, reseal, simple_log
from hypothesis import given
from hypothesis import strategies as st

from microgov.audit import AuditEvent, AuditLog, Finding, VerifyReport, genesis_hash, verify
from microgov.errors import AuditError
from microgov.policy import Verdict

EXTRA = Verdict(rule="forged", passed=True, code="forged.ok", message_en="ok", message_zh="好")


def codes(report: VerifyReport) -> list[tuple[str, int]]:
    return [(f.code, f.sequence) for f in report.findings]


def test_clean_logs_verify() -> None:
    log = simple_log(6, streams=("a", "b", "c"))
    report = verify(log.events, head=log.head)
    assert report.ok
    assert bool(report)
    assert report.findings == ()
    assert (report.count, report.head) == (6, log.head)
    assert verify(iter(log), head=log.head).ok  # any iterable, read once
    assert verify([]).ok
    assert verify([]).count == 0


@pytest.mark.parametrize(
    "change",
    [
        {"payload": {"n": 99}},
        {"actor": "intruder"},
        {"type": "project.cancelled"},
        {"stream": "b"},
        {"verdicts": (EXTRA,)},
    ],
)
def test_an_edit_is_named(change: dict[str, object]) -> None:
    events = list(simple_log(4).events)
    events[2] = attrs.evolve(events[2], **change)  # type: ignore[arg-type]
    report = verify(events)
    assert not report.ok
    first = report.findings[0]
    assert (first.code, first.sequence, first.event_id) == (
        "audit.hash_mismatch",
        3,
        "project:p-1:3",
    )
    assert "changed" in first.message_en
    assert "修改" in first.message_zh
    assert "'project:p-1:3'" in str(first)


def test_an_edited_time_is_named() -> None:
    events = list(simple_log(4).events)
    events[1] = attrs.evolve(events[1], at=events[1].at + timedelta(minutes=1))
    assert codes(verify(events)) == [("audit.hash_mismatch", 2)]
    events[1] = attrs.evolve(events[1], at=events[0].at - timedelta(days=1))
    assert codes(verify(events)) == [("audit.hash_mismatch", 2), ("audit.time_order", 2)]


def test_an_edited_verdict_is_named() -> None:
    log = AuditLog()
    base = simple_log(1).events[0]
    log.append(stream="s", type="t", actor="u", at=base.at, verdicts=[EXTRA])
    log.append(stream="s", type="t", actor="u", at=base.at)
    events = list(log.events)
    flipped = attrs.evolve(EXTRA, passed=False)
    events[0] = attrs.evolve(events[0], verdicts=(flipped,))
    assert codes(verify(events)) == [("audit.hash_mismatch", 1)]
    changed_figures = attrs.evolve(EXTRA, figures={"present": 31})
    events[0] = attrs.evolve(log.events[0], verdicts=(changed_figures,))
    assert codes(verify(events)) == [("audit.hash_mismatch", 1)]


def test_a_deletion_is_named_once() -> None:
    events = list(simple_log(5).events)
    del events[1]
    report = verify(events)
    assert codes(report) == [
        ("audit.broken_link", 2),
        ("audit.sequence_gap", 2),
        ("audit.stream_gap", 2),
    ]
    assert "1 to 3" in report.findings[1].message_en
    assert "2 are missing" in report.findings[1].message_en


def test_a_deletion_with_forged_links_is_still_caught_by_sequence_numbers() -> None:
    events = list(simple_log(4).events)
    del events[1]
    events[1] = reseal(events[1], prev_hash=events[0].hash)
    events[2] = reseal(events[2], prev_hash=events[1].hash)
    assert codes(verify(events)) == [("audit.sequence_gap", 2), ("audit.stream_gap", 2)]


def test_cutting_off_the_end_needs_the_published_head() -> None:
    log = simple_log(4)
    events = list(log.events)[:-1]
    assert verify(events).ok  # undetectable from the events alone
    report = verify(events, head=log.head)
    assert codes(report) == [("audit.head_mismatch", 3)]
    assert "truncated" in report.findings[0].message_en
    empty = verify([], head=log.head)
    assert [(f.code, f.sequence, f.event_id) for f in empty.findings] == [
        ("audit.head_mismatch", 0, None)
    ]


def test_a_swap_is_named() -> None:
    events = list(simple_log(4).events)
    events[1], events[2] = events[2], events[1]
    report = verify(events)
    assert report.findings[0].code == "audit.broken_link"
    assert report.findings[0].sequence == 2
    assert {f.sequence for f in report.findings} <= {2, 3, 4}
    assert ("audit.sequence_order", 3) in codes(report)


def test_an_insertion_is_named() -> None:
    events = list(simple_log(3).events)
    copy = events[0]
    events.insert(2, copy)
    report = verify(events)
    assert report.findings[0].sequence == 3
    assert {"audit.broken_link", "audit.sequence_order", "audit.duplicate_id"} <= {
        f.code for f in report.findings
    }


def test_a_rewritten_event_breaks_the_next_link() -> None:
    events = list(simple_log(3).events)
    events[1] = reseal(events[1], payload={"n": 1000})
    assert codes(verify(events)) == [("audit.broken_link", 3)]


def test_duplicate_ids_time_and_stream_order_are_named() -> None:
    events = list(simple_log(3).events)
    dup = list(events)
    dup[2] = reseal(dup[2], id=dup[0].id)
    assert codes(verify(dup)) == [("audit.duplicate_id", 3)]
    late = list(events)
    late[2] = reseal(late[2], at=late[0].at - timedelta(seconds=1))
    assert codes(verify(late)) == [("audit.time_order", 3)]
    restart = list(events)
    restart[2] = reseal(restart[2], stream_sequence=1)
    assert codes(verify(restart)) == [("audit.stream_order", 3)]
    first = list(events)
    first[0] = reseal(first[0], sequence=2, prev_hash="1" * 64)
    assert codes(verify(first)) == [
        ("audit.broken_link", 1),
        ("audit.sequence_gap", 1),
        ("audit.broken_link", 2),
        ("audit.sequence_order", 2),
    ]


def test_chain_genesis_is_checked() -> None:
    log = AuditLog(chain_id="area-01")
    log.append(stream="s", type="t", actor="u", at=simple_log(1).events[0].at)
    assert codes(verify(log.events)) == [("audit.broken_link", 1)]
    assert verify(log.events, genesis=genesis_hash("area-01")).ok


def test_verify_refuses_what_is_not_an_event() -> None:
    with pytest.raises(AuditError) as info:
        verify([simple_log(1).events[0], {"id": "x"}])  # type: ignore[list-item]
    assert info.value.code == "audit.event_type"


def test_finding_text() -> None:
    f = Finding(
        code="audit.sequence_gap", sequence=4, event_id="s:5", message_en="m", message_zh="z"
    )
    assert str(f) == "#4 s:5: m / z [audit.sequence_gap]"


TAMPERINGS = ("payload", "actor", "time", "verdict", "delete", "swap", "insert", "rewrite")


def _tamper(
    events: list[AuditEvent], kind: str, i: int
) -> tuple[list[AuditEvent], int | None, str | None]:
    """Apply one tampering at index i; return the events, the first finding's expected
    position (None when only the head can tell) and its expected code."""
    n = len(events)
    out = list(events)
    e = out[i]
    if kind in ("payload", "actor", "time", "verdict"):
        if kind == "payload":
            old = e.payload.get("tampered")
            out[i] = attrs.evolve(e, payload={**e.payload, "tampered": 2 if old == 1 else 1})
        elif kind == "actor":
            out[i] = attrs.evolve(e, actor="intruder")
        elif kind == "time":
            out[i] = attrs.evolve(e, at=e.at + timedelta(microseconds=1))
        else:
            out[i] = attrs.evolve(e, verdicts=(*e.verdicts, EXTRA))
        return out, i + 1, "audit.hash_mismatch"
    if kind == "delete":
        del out[i]
        return out, (i + 1 if i < n - 1 else None), "audit.broken_link"
    if kind == "swap":
        j = i + 1 if i + 1 < n else i - 1
        if j < 0:  # a single event cannot be swapped: delete it instead
            return _tamper(events, "delete", i)
        a, b = min(i, j), max(i, j)
        out[a], out[b] = out[b], out[a]
        return out, a + 1, "audit.broken_link"
    if kind == "insert":
        # A careful forger: right sequence, link to the event before, own hash right.
        before = out[i - 1] if i else None
        in_stream = sum(1 for x in out[:i] if x.stream == e.stream)
        forged = reseal(
            e,
            id="forged",
            sequence=i + 1,
            stream_sequence=in_stream + 1,
            prev_hash=before.hash if before else "0" * 64,
            at=e.at if before is None else before.at,
            payload={"forged": True},
        )
        out.insert(i, forged)
        return out, i + 2, "audit.broken_link"
    # rewrite: edit and re-hash; the next link breaks
    out[i] = reseal(e, actor="intruder")
    return out, (i + 2 if i < n - 1 else None), "audit.broken_link"


@HEAVY
@given(logs(min_size=1), st.sampled_from(TAMPERINGS), st.data())
def test_any_single_tampering_is_found_where_it_happened(
    log: AuditLog, kind: str, data: st.DataObject
) -> None:
    events = list(log.events)
    i = data.draw(st.integers(min_value=0, max_value=len(events) - 1), label="index")
    tampered, position, code = _tamper(events, kind, i)
    report = verify(tampered, head=log.head)
    assert not report.ok
    first = report.findings[0]
    if position is None:  # the end was cut off or rewritten: only the head tells
        assert [f.code for f in report.findings] == ["audit.head_mismatch"]
    else:
        assert (first.code, first.sequence) == (code, position)
        assert first.event_id == tampered[position - 1].id
    assert verify(events, head=log.head).ok  # the original is untouched
