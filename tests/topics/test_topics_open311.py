"""Open311 GeoReport v2: the 17 fields, the extension, strict reading, the round trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from _topics_world import AREA, RESIDENT, SOCIAL_WORKER, H, at, fresh, topics
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.errors import DataFormatError
from microgov.topics import (
    EXTENSION_KEY,
    OPEN311_FIELDS,
    AuthorKind,
    Topic,
    acknowledge,
    convert,
    dumps_open311,
    from_open311,
    loads_open311,
    resolve,
    respond,
    to_open311,
)
from profiles import examples


def worked() -> Topic:
    """A topic answered, acknowledged and resolved, with a neighbour's comment."""
    t = fresh()
    t, _ = respond(t, author="n-1", kind=AuthorKind.RESIDENT, at=at(2, 7, 50), text="+1")
    t, _ = respond(t, author=SOCIAL_WORKER, kind=AuthorKind.OFFICIAL, at=at(2, 8, 15))
    t, _ = acknowledge(t, actor=SOCIAL_WORKER, at=at(2, 8, 15), hierarchy=H)
    t, _ = resolve(t, actor=SOCIAL_WORKER, at=at(3, 13, 30), hierarchy=H)
    return t


def problems_of(err: DataFormatError) -> list[tuple[str | None, str]]:
    return [(p.field, p.message_en) for p in err.problems]


def test_all_17_fields_in_the_spec_order_then_the_extension() -> None:
    assert OPEN311_FIELDS == (
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
    req = to_open311(fresh())
    assert list(req) == [*OPEN311_FIELDS, EXTENSION_KEY]


def test_a_resolved_topic_as_a_service_request_hand_checked() -> None:
    due = datetime(2026, 3, 2, 9, 0, tzinfo=at(2, 0).tzinfo)
    req = to_open311(worked(), expected_at=due, hierarchy=H, zipcode="201908")
    assert req == {
        "service_request_id": "t-1",
        "status": "closed",
        "status_notes": "已解决 / resolved",
        "service_name": "停车管理",
        "service_code": "parking",
        "description": "晚上没有车位。",
        "agency_responsible": "美罗家园佳翔苑居委会",
        "service_notice": None,
        "requested_datetime": "2026-03-02T07:40:00+08:00",
        "updated_datetime": "2026-03-03T13:30:00+08:00",
        "expected_datetime": "2026-03-02T09:00:00+08:00",
        "address": req["address"],
        "address_id": AREA,
        "zipcode": "201908",
        "lat": None,
        "long": None,
        "media_url": None,
        EXTENSION_KEY: {
            "format": "microgov.topic",
            "version": 1,
            "title": "车位紧张",
            "author": RESIDENT,
            "state": "resolved",
            "project_id": None,
            "responses": [
                {
                    "author": "n-1",
                    "kind": "resident",
                    "at": "2026-03-02T07:50:00+08:00",
                    "text": "+1",
                },
                {
                    "author": SOCIAL_WORKER,
                    "kind": "official",
                    "at": "2026-03-02T08:15:00+08:00",
                    "text": "",
                },
            ],
            "history": [
                {
                    "command": "acknowledge",
                    "actor": SOCIAL_WORKER,
                    "at": "2026-03-02T08:15:00+08:00",
                },
                {"command": "resolve", "actor": SOCIAL_WORKER, "at": "2026-03-03T13:30:00+08:00"},
            ],
        },
    }
    assert isinstance(req["address"], str)
    assert req["address"].startswith("罗店镇")
    assert req["address"].endswith("美罗家园佳翔苑居委会")
    assert from_open311(req) == worked()


def test_status_open_and_closed_and_notes() -> None:
    assert to_open311(fresh())["status"] == "open"
    t, _ = respond(fresh(), author=SOCIAL_WORKER, kind=AuthorKind.OFFICIAL, at=at(2, 8))
    t, _ = acknowledge(t, actor=SOCIAL_WORKER, at=at(2, 8), hierarchy=H)
    assert (to_open311(t)["status"], to_open311(t)["status_notes"]) == (
        "open",
        "已回应 / acknowledged",
    )
    c, _ = convert(t, project_id="p-7", actor=SOCIAL_WORKER, at=at(5, 9), hierarchy=H)
    req = to_open311(c)
    assert (req["status"], req["status_notes"]) == (
        "closed",
        "已转为项目 / converted to a project: p-7",
    )
    assert req[EXTENSION_KEY]["project_id"] == "p-7"  # type: ignore[index]


def test_agency_override_custom_category_and_other_zones() -> None:
    t = fresh(category="团购规则", raised_at=datetime(2026, 3, 1, 23, 40, tzinfo=UTC))
    req = to_open311(t, agency="罗店镇社区管理办")
    assert req["agency_responsible"] == "罗店镇社区管理办"
    assert (req["service_code"], req["service_name"]) == ("团购规则", "团购规则")
    assert req["requested_datetime"] == "2026-03-01T23:40:00+00:00"
    assert req["address"] is None


def test_naive_expected_datetime_is_refused() -> None:
    with pytest.raises(DataFormatError) as info:
        to_open311(fresh(), expected_at=datetime(2026, 3, 2, 9))
    assert info.value.code == "time.not_aware"


@settings(max_examples=examples(60), deadline=None)
@given(topics(), st.one_of(st.none(), st.just(at(2, 9))), st.booleans())
def test_round_trip_is_the_identity_on_every_valid_topic(
    topic: Topic, due: datetime | None, through_json: bool
) -> None:
    req = to_open311(topic, expected_at=due)
    if through_json:
        req = json.loads(json.dumps(req, ensure_ascii=False))
    back = from_open311(req)
    assert back == topic
    # Equal as instants, and with the same UTC offsets.
    assert back.raised_at.utcoffset() == topic.raised_at.utcoffset()
    assert [r.at.utcoffset() for r in back.responses] == [r.at.utcoffset() for r in topic.responses]
    assert back.state == topic.state
    assert back.first_response_at == topic.first_response_at


@settings(max_examples=examples(15), deadline=None)
@given(st.lists(topics(), max_size=3, unique_by=lambda t: t.id))
def test_dumps_loads_round_trip(many: list[Topic]) -> None:
    text = dumps_open311(many)
    assert loads_open311(text) == tuple(many)
    assert dumps_open311(loads_open311(text)) == text


def test_dumps_is_deterministic_and_carries_due_times() -> None:
    t = worked()
    text = dumps_open311([t, fresh(id="t-2")], expected={"t-2": at(2, 9)}, hierarchy=H)
    data = json.loads(text)
    assert [d["expected_datetime"] for d in data] == [None, "2026-03-02T09:00:00+08:00"]
    assert text == dumps_open311([t, fresh(id="t-2")], expected={"t-2": at(2, 9)}, hierarchy=H)
    assert "车位紧张" in text  # Chinese kept as it is
    assert loads_open311(text.encode("utf-8"), hierarchy=H) == (t, fresh(id="t-2"))


def test_dumps_refuses_duplicate_ids() -> None:
    with pytest.raises(DataFormatError) as info:
        dumps_open311([fresh(), fresh()])
    assert info.value.code == "topic.duplicate_id"


# -- strict reading -----------------------------------------------------------------


def good() -> dict[str, Any]:
    return json.loads(json.dumps(to_open311(worked())))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"service_request_id": 7}, "$.service_request_id", "expected a string"),
        ({"status": None}, "$.status", "expected a string"),
        ({"status": "open"}, "$.status", "does not match state 'resolved'"),
        ({"requested_datetime": "2026-03-02T07:40:00"}, "$.requested_datetime", "UTC offset"),
        ({"requested_datetime": "yesterday"}, "$.requested_datetime", "not an ISO 8601"),
        ({"updated_datetime": "2026-03-02T07:40:00+08:00"}, "$.updated_datetime", "latest"),
        ({"expected_datetime": "2026-03-02"}, "$.expected_datetime", "UTC offset"),
        ({"lat": "31.4"}, "$.lat", "expected a number"),
        ({"long": True}, "$.long", "expected a number"),
        ({"zipcode": 201908}, "$.zipcode", "expected a string"),
        ({"media_url": []}, "$.media_url", "expected a string"),
        ({"address_id": ""}, "$.address_id", "non-empty"),
        ({"service_code": " parking"}, "$.service_code", "surrounding spaces"),
        ({"description": None}, "$.description", "expected a string"),
        ({"extra": 1}, "$", "unknown field(s): extra"),
    ],
)
def test_bad_fields_are_named(change: dict[str, object], field: str, words: str) -> None:
    req = {**good(), **change}
    with pytest.raises(DataFormatError) as info:
        from_open311(req)
    assert info.value.code == "data.records"
    found = problems_of(info.value)
    assert any(f == field and words in m for f, m in found), found


def test_lat_long_numbers_are_accepted_and_not_kept() -> None:
    req = {**good(), "lat": 31.41, "long": 121.35}
    assert from_open311(req) == worked()


def test_missing_fields_are_each_named() -> None:
    req = good()
    del req["status"], req[EXTENSION_KEY]
    with pytest.raises(DataFormatError) as info:
        from_open311(req)
    fields = {f for f, _ in problems_of(info.value)}
    assert fields == {"$.status", f"$.{EXTENSION_KEY}"}
    assert all(m == "required field missing" for _, m in problems_of(info.value))


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        (("format",), "other", "format", "expected 'microgov.topic'"),
        (("version",), 2, "version", "unsupported version"),
        (("version",), "1", "version", "expected an integer"),
        (("state",), "open", "state", "does not follow"),
        (("responses", 0, "kind"), "staff", "responses[0].kind", "unknown value 'staff'"),
        (("responses", 1, "at"), "2026-03-01T08:00:00+08:00", "responses[1].at", "before"),
        (("history", 0, "command"), "resolve", "history[0].command", "cannot be issued"),
        (("history",), {"a": 1}, "history", "expected a list"),
        (("project_id",), "p-1", "project_id", "does not match state"),
        (("title",), "", "title", "non-empty"),
    ],
)
def test_bad_extension_fields_are_named(
    path: tuple[str | int, ...], value: object, field: str, words: str
) -> None:
    req = good()
    target: Any = req[EXTENSION_KEY]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(DataFormatError) as info:
        from_open311(req)
    found = problems_of(info.value)
    assert any(f == f"$.{EXTENSION_KEY}.{field}" and words in m for f, m in found), found


def test_a_naive_response_time_is_refused_on_reading() -> None:
    req = good()
    req[EXTENSION_KEY]["responses"][0]["at"] = "2026-03-02T07:50:00"
    with pytest.raises(DataFormatError) as info:
        from_open311(req)
    assert problems_of(info.value)[0][0] == f"$.{EXTENSION_KEY}.responses[0].at"


def test_unknown_scope_with_a_hierarchy() -> None:
    req = {**good(), "address_id": "area-99"}
    assert from_open311(req).scope == "area-99"  # without a graph, any id
    with pytest.raises(DataFormatError) as info:
        from_open311(req, hierarchy=H)
    assert problems_of(info.value)[0][0] == "$.address_id"


def test_not_an_object_not_an_array_not_json() -> None:
    with pytest.raises(DataFormatError) as info:
        from_open311([good()])  # type: ignore[arg-type]
    assert info.value.code == "data.shape"
    with pytest.raises(DataFormatError) as info:
        loads_open311(json.dumps(good()))
    assert info.value.code == "data.shape"
    with pytest.raises(DataFormatError) as info:
        loads_open311("[{")
    assert info.value.code == "data.json"
    with pytest.raises(DataFormatError) as info:
        loads_open311("[" * 100_000)
    assert info.value.code == "data.json"
    with pytest.raises(DataFormatError) as info:
        loads_open311(b"\xff\xfe[]")
    assert info.value.code == "data.encoding"


def test_loads_reports_every_bad_request_by_index() -> None:
    bad = {**good(), "status": 3}
    worse = {**good(), "service_request_id": "t-3"}
    worse[EXTENSION_KEY] = {**worse[EXTENSION_KEY], "state": "closed"}
    with pytest.raises(DataFormatError) as info:
        loads_open311(json.dumps([good(), bad, worse, 5]), source="topics.json")
    fields = [f for f, _ in problems_of(info.value)]
    assert "$[1].status" in fields
    assert "$[3]" in fields
    assert info.value.details["source"] == "topics.json"
    with pytest.raises(DataFormatError) as info:
        loads_open311(json.dumps([*[good(), {**good(), "address_id": "x"}][::-1], good()]))
    assert info.value.code == "topic.duplicate_id"


def test_a_second_earlier_updated_datetime_is_refused() -> None:
    req = good()
    late = datetime.fromisoformat(req["updated_datetime"]) + timedelta(seconds=1)
    req["updated_datetime"] = late.isoformat()
    with pytest.raises(DataFormatError):
        from_open311(req)
