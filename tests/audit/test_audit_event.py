"""Events and drafts: freezing a payload, and sealing a draft without freezing it twice."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from audit_world import BASE, drafts, logs, payload_values, payloads
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov._checks import require_text
from microgov.audit import AuditEvent, AuditLog, EventDraft, compute_hash, encode_event
from microgov.audit._canonical import (
    MAX_SAFE_INTEGER,
    check_int,
    check_key,
    check_text,
    format_datetime,
    jcs,
    refuse_float,
    refuse_type,
    sha256_hex,
)
from microgov.audit._event import event_data, event_text
from microgov.errors import AuditError, MicrogovError
from profiles import examples


def _reference(value: object, path: str) -> object:
    """The payload freezing as first written: every value through every check, in order."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        check_text(value, path)
        return value
    if isinstance(value, int):
        check_int(value, path)
        return value
    if isinstance(value, float):
        raise refuse_float(value, path)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, datetime):
        format_datetime(value, path)
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            name = check_key(key, path)
            out[name] = _reference(item, f"{path}.{name}")
        return MappingProxyType(out)
    if isinstance(value, (list, tuple)):
        return tuple(_reference(v, f"{path}[{i}]") for i, v in enumerate(value))
    raise refuse_type(value, path)


class _Text(str):
    pass


class _Small(enum.IntEnum):
    ONE = 1


_unusual = st.sampled_from([_Text("sub"), _Text("宽"), _Small.ONE, "宽", "", 0, True])
_bad = st.sampled_from(
    [
        1.5,
        "\ud800",
        "宽\udc00",
        MAX_SAFE_INTEGER + 1,
        -MAX_SAFE_INTEGER - 1,
        b"bytes",
        {1, 2},
        datetime(2026, 1, 1),
        object(),
    ]
)
_keys = st.one_of(
    st.text(max_size=4),
    st.text(max_size=4),
    st.text(max_size=4),
    st.sampled_from(["$x", 1, _Text("k")]),
)
_values = st.recursive(
    st.one_of(payload_values, _unusual, payload_values, _unusual, _bad),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_keys, inner, max_size=4),
    ),
    max_leaves=8,
)


def _same(a: object, b: object) -> bool:
    """Equal, of the same types all the way down (a str subclass is kept as it is)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Mapping):
        assert isinstance(b, Mapping)
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, tuple):
        assert isinstance(b, tuple)
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@settings(max_examples=examples(200), deadline=None)
@given(st.dictionaries(_keys, _values, max_size=4))
def test_a_payload_is_frozen_and_checked_as_the_reference_does(payload: dict[Any, object]) -> None:
    refused: AuditError | None = None
    try:
        expected = _reference(payload, "payload")
    except AuditError as err:
        refused = err
    if refused is not None:
        with pytest.raises(AuditError) as caught:
            EventDraft(stream="s", type="t", actor="u", at=BASE, payload=payload)
        assert (caught.value.code, caught.value.details) == (refused.code, refused.details)
        assert str(caught.value) == str(refused)
        return
    draft = EventDraft(stream="s", type="t", actor="u", at=BASE, payload=payload)
    assert _same(draft.payload, expected)


def _constructed(draft: EventDraft, **position: Any) -> AuditEvent:
    sequence = position["stream_sequence"]
    return AuditEvent(
        id=draft.id if draft.id is not None else f"{draft.stream}:{sequence}",
        stream=draft.stream,
        type=draft.type,
        at=draft.at,
        actor=draft.actor,
        payload=draft.payload,
        verdicts=draft.verdicts,
        **position,
    )


@settings(max_examples=examples(50), deadline=None)
@given(drafts(min_size=1, max_size=3), st.integers(1, 10**6), st.integers(1, 10**6), st.data())
def test_from_draft_equals_the_constructor(
    batch: list[EventDraft], sequence: int, stream_sequence: int, data: st.DataObject
) -> None:
    for draft in batch:
        if data.draw(st.booleans()):
            draft = attrs.evolve(draft, id=data.draw(st.sampled_from(["k-1", "命令-2"])))
        position = {
            "sequence": sequence,
            "stream_sequence": stream_sequence,
            "prev_hash": "0" * 64,
            "hash": "f" * 64,
        }
        made = AuditEvent.from_draft(draft, **position)
        assert made == _constructed(draft, **position)
        assert attrs.asdict(made, recurse=False) == attrs.asdict(
            _constructed(draft, **position), recurse=False
        )
        assert made.payload is draft.payload  # shared, not frozen a second time


def test_from_draft_sets_every_field() -> None:
    draft = EventDraft(stream="s", type="t", actor="u", at=BASE, payload={"n": [1]})
    made = AuditEvent.from_draft(
        draft, sequence=2, stream_sequence=1, prev_hash="0" * 64, hash="a" * 64
    )
    for field in attrs.fields(AuditEvent):
        getattr(made, field.name)  # a slot left unset would raise AttributeError
    assert made.id == "s:1"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.actor = "other"  # type: ignore[misc]
    assert made == _constructed(
        draft, sequence=2, stream_sequence=1, prev_hash="0" * 64, hash="a" * 64
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"sequence": 0}, "audit.field"),
        ({"sequence": True}, "audit.field"),
        ({"stream_sequence": -1}, "audit.field"),
        ({"prev_hash": "0" * 63}, "audit.field"),
        ({"hash": "ABC"}, "audit.field"),
    ],
)
def test_from_draft_checks_what_the_draft_does_not_hold(
    changes: dict[str, object], code: str
) -> None:
    draft = EventDraft(stream="s", type="t", actor="u", at=BASE)
    position: dict[str, object] = {
        "sequence": 1,
        "stream_sequence": 1,
        "prev_hash": "0" * 64,
        "hash": "a" * 64,
    }
    position.update(changes)
    with pytest.raises(AuditError) as caught:
        AuditEvent.from_draft(draft, **position)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_from_draft_takes_only_a_draft() -> None:
    with pytest.raises(AuditError) as caught:
        AuditEvent.from_draft(
            {"stream": "s"},  # type: ignore[arg-type]
            sequence=1,
            stream_sequence=1,
            prev_hash="0" * 64,
            hash="a" * 64,
        )
    assert caught.value.code == "audit.draft_type"
    assert isinstance(caught.value, MicrogovError)


def test_a_subclass_of_draft_takes_the_checking_constructor() -> None:
    @attrs.frozen(kw_only=True)
    class Loose(EventDraft):
        pass

    loose = Loose(stream="s", type="t", actor="u", at=BASE + timedelta(hours=1), payload={"a": 1})
    made = AuditEvent.from_draft(
        loose, sequence=1, stream_sequence=1, prev_hash="0" * 64, hash="a" * 64
    )
    assert made.payload == {"a": 1}
    assert made.payload is not loose.payload


@given(payloads)
def test_sealed_events_keep_the_drafts_frozen_payload(payload: dict[str, Any]) -> None:
    draft = EventDraft(stream="s", type="t", actor="u", at=BASE, payload=payload)
    made = AuditEvent.from_draft(
        draft, sequence=1, stream_sequence=1, prev_hash="0" * 64, hash="a" * 64
    )
    with pytest.raises(TypeError):
        made.payload["new"] = 1  # type: ignore[index]


def _reference_name(value: object) -> None:
    check_text(require_text(value, "actor", error=AuditError, padded=False), "actor")


_names = st.one_of(
    st.text(max_size=5),
    st.text(alphabet=st.sampled_from(" \t\x1c\x1fa宽\u3000\ud800"), max_size=4),
    st.sampled_from([7, None, b"u", _Text("u")]),
)


@settings(max_examples=examples(200), deadline=None)
@given(_names)
def test_a_name_is_checked_as_the_reference_does(value: object) -> None:
    refused: AuditError | None = None
    try:
        _reference_name(value)
    except AuditError as err:
        refused = err
    if refused is None:
        assert EventDraft(stream="s", type="t", actor=value, at=BASE).actor is value  # type: ignore[arg-type]
        return
    with pytest.raises(AuditError) as caught:
        EventDraft(stream="s", type="t", actor=value, at=BASE)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.details) == (refused.code, refused.details)


_edge_times = st.builds(
    lambda naive, minutes: naive.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.one_of(
        st.datetimes(max_value=datetime(1, 1, 3)),
        st.datetimes(min_value=datetime(9999, 12, 29)),
        st.datetimes(),
    ),
    st.integers(-(24 * 60) + 1, 24 * 60 - 1),
)


@settings(max_examples=examples(200), deadline=None)
@given(_edge_times)
def test_a_time_is_checked_as_the_reference_does(at: datetime) -> None:
    refused: AuditError | None = None
    try:
        format_datetime(at, "at")
    except AuditError as err:
        refused = err
    if refused is None:
        assert EventDraft(stream="s", type="t", actor="u", at=at).at is at
        return
    with pytest.raises(AuditError) as caught:
        EventDraft(stream="s", type="t", actor="u", at=at)
    assert caught.value.code == refused.code == "audit.datetime_range"


@settings(max_examples=examples(100), deadline=None)
@given(logs(min_size=1, max_size=4))
def test_an_events_text_is_jcs_of_its_data_model(log: AuditLog) -> None:
    for event in log.events:
        for with_hash in (False, True):
            assert event_text(event, with_hash=with_hash).encode("utf-8") == jcs(
                event_data(event, with_hash=with_hash)
            )
        assert compute_hash(event) == sha256_hex(jcs(event_data(event, with_hash=False)))
        assert encode_event(event) == jcs(event_data(event, with_hash=True))


def test_an_events_text_with_keys_the_c_encoder_orders_otherwise() -> None:
    payload = {"\uff21": 1, "\U0001f600": {"\uff21": [1], "\U0001f600": None}, "a": "宽"}
    event = AuditLog().append(stream="s", type="t", actor="u", at=BASE, payload=payload)
    assert event.hash == sha256_hex(jcs(event_data(event, with_hash=False)))
    assert encode_event(event) == jcs(event_data(event, with_hash=True))
    assert b'{"a":"\xe5\xae\xbd","\xf0\x9f\x98\x80":{"\xf0\x9f\x98\x80":null' in encode_event(event)
