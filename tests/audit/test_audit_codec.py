"""The public codec of one event, and the canonical JSON checked against ``rfc8785``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import pytest
from audit_world import HEAVY, SHANGHAI, keys, logs, payload_values, safe_ints
from hypothesis import given
from hypothesis import strategies as st

from microgov.audit import (
    AuditLog,
    EventDraft,
    canonical_datetime,
    canonical_json,
    canonical_text,
    decode_event,
    dumps_events,
    encode_event,
)
from microgov.errors import AuditError, DataFormatError


@HEAVY
@given(log=logs(min_size=1, max_size=5))
def test_one_event_round_trips_as_the_log_stores_it(log: AuditLog) -> None:
    lines = ",\n".join(encode_event(e).decode() for e in log.events)
    assert dumps_events(log) == (
        f'{{"format": "microgov.audit", "version": 1, "events": [\n{lines}\n]}}'
    )
    for event in log.events:
        data = encode_event(event)
        back = decode_event(data, zone=SHANGHAI)
        assert back == event
        assert decode_event(data.decode(), zone=UTC) == event  # the same instants


def test_a_bad_event_names_its_fields() -> None:
    event = AuditLog().append(
        stream="s", type="t", actor="u", at=datetime(2026, 1, 1, tzinfo=UTC), payload={"n": 1}
    )
    good = json.loads(encode_event(event))
    bad = {**good, "payload": {"n": 1.5}, "sequence": "1"}
    with pytest.raises(DataFormatError) as info:
        decode_event(json.dumps(bad), source="row 7")
    assert info.value.code == "data.records"
    fields = {p.field for p in info.value.problems}
    assert {"$.payload.n", "$.sequence"} <= fields
    assert "row 7" in info.value.message_en
    with pytest.raises(DataFormatError, match=r"data\.json"):
        decode_event("{not json")
    with pytest.raises(DataFormatError, match=r"data\.shape"):
        decode_event("[1]")
    with pytest.raises(AuditError, match=r"audit\.event_type"):
        encode_event(good)  # type: ignore[arg-type]


def test_canonical_datetime_is_the_utc_instant() -> None:
    at = datetime(2026, 10, 1, 8, 0, tzinfo=SHANGHAI)
    assert canonical_datetime(at) == "2026-10-01T00:00:00.000000+00:00"
    with pytest.raises(AuditError, match=r"time\.not_aware"):
        canonical_datetime(datetime(2026, 10, 1))


@given(
    value=st.one_of(
        payload_values,
        st.dictionaries(keys, st.one_of(st.none(), st.booleans(), safe_ints, st.text())),
        st.text(),
    )
)
def test_canonical_text_is_canonical_json_as_text(value: Any) -> None:
    assert canonical_text(value) == canonical_json(value).decode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        {"\ud800": 1},
        {"a": "\udfff"},
        "\ud800",
        {"a": 2**53},
        {"$a": 1},
        {1: "a"},
        {"a": 1.5},
    ],
)
def test_canonical_text_refuses_what_canonical_json_refuses(value: Any) -> None:
    with pytest.raises(AuditError) as fast:
        canonical_text(value)
    with pytest.raises(AuditError) as exact:
        canonical_json(value)
    assert fast.value.code == exact.value.code


def test_keys_beyond_the_basic_plane_sort_as_utf16() -> None:
    # U+FF21 sorts after U+1F600 by code point but before it in UTF-16 (a surrogate pair)
    value = {"\uff21": 1, "\U0001f600": 2, "a": 3}
    assert canonical_text(value) == '{"a":3,"\U0001f600":2,"\uff21":1}'
    assert canonical_text(value) == canonical_json(value).decode()


_plain_keys = st.one_of(
    st.text(max_size=4),
    st.sampled_from(["\uff21", "\U0001f600", "a\ue000", "$x", "\ud800"]),
)
_nested = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        safe_ints,
        st.text(max_size=6),
        st.sampled_from([2**53, "\udfff", 1.5]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_plain_keys, inner, max_size=3),
        st.dictionaries(_plain_keys, inner, max_size=3).map(MappingProxyType),
    ),
    max_leaves=10,
)


@given(st.dictionaries(_plain_keys, _nested, max_size=4))
def test_canonical_text_of_nested_payloads_is_canonical_json(value: dict[str, Any]) -> None:
    try:
        exact = canonical_json(value).decode("utf-8")
    except AuditError as err:
        code = err.code
    else:
        assert canonical_text(value) == exact
        return
    with pytest.raises(AuditError) as fast:
        canonical_text(value)
    assert fast.value.code == code


def test_canonical_text_of_a_frozen_nested_payload() -> None:
    draft = EventDraft(
        stream="s",
        type="t",
        actor="u",
        at=datetime(2026, 1, 1, tzinfo=SHANGHAI),
        payload={"rows": [{"b": 1, "a": "宽"}, {"\uff21": [True, None]}], "n": 2},
    )
    text = canonical_text(draft.payload)
    assert text == '{"n":2,"rows":[{"a":"宽","b":1},{"\uff21":[true,null]}]}'
    assert text == canonical_json(draft.payload).decode("utf-8")
