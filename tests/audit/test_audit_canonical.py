"""Canonical JSON: deterministic, order-independent, exact, and re-implementable."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

import pytest
from audit_world import HEAVY, SHANGHAI, payload_values, payloads, simple_log
from hypothesis import given
from hypothesis import strategies as st

from microgov.audit import (
    GENESIS_HASH,
    MAX_SAFE_INTEGER,
    AuditLog,
    canonical_json,
    compute_hash,
    genesis_hash,
)
from microgov.audit._canonical import to_data
from microgov.errors import AuditError
from microgov.policy import Citation, Verdict


def _shuffled(value: Any, rnd: random.Random) -> Any:
    if isinstance(value, dict) or hasattr(value, "items"):
        items = [(k, _shuffled(v, rnd)) for k, v in value.items()]
        rnd.shuffle(items)
        return dict(items)
    if isinstance(value, (list, tuple)):
        return [_shuffled(v, rnd) for v in value]
    return value


@HEAVY
@given(payloads, st.randoms(use_true_random=False))
def test_same_value_same_bytes_whatever_the_key_order(value: Any, rnd: random.Random) -> None:
    first = canonical_json(value)
    assert canonical_json(value) == first
    assert canonical_json(_shuffled(value, rnd)) == first


@given(payload_values)
def test_bytes_are_jcs_of_the_data_model(value: Any) -> None:
    """An independent re-implementation (the standard json module, keys by UTF-16)."""
    data = to_data(value)
    text = canonical_json(value)

    def reference(x: Any) -> str:
        if isinstance(x, dict):
            keys = sorted(x, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
            return (
                "{"
                + ",".join(json.dumps(k, ensure_ascii=False) + ":" + reference(x[k]) for k in keys)
                + "}"
            )
        if isinstance(x, list):
            return "[" + ",".join(reference(v) for v in x) + "]"
        return json.dumps(x, ensure_ascii=False)

    assert text == reference(data).encode("utf-8")
    assert json.loads(text) == data


def test_known_bytes() -> None:
    value = {
        "money_fen": 1_250_000,
        "share": Fraction(-6, 4),
        "whole": Fraction(2),
        "day": date(2026, 3, 2),
        "at": datetime(2026, 3, 2, 9, 30, 0, 5, tzinfo=SHANGHAI),
        "flags": [True, False, None],
        "名称": '晾衣架\n"A"\t\u0001\u2028',
    }
    assert canonical_json(value) == (
        '{"at":{"$datetime":"2026-03-02T01:30:00.000005+00:00"},"day":{"$date":"2026-03-02"},'
        '"flags":[true,false,null],"money_fen":1250000,"share":{"$fraction":"-3/2"},'
        '"whole":{"$fraction":"2/1"},"名称":"晾衣架\\n\\"A\\"\\t\\u0001\u2028"}'
    ).encode("utf-8")


def test_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 is D83D DE00 in UTF-16, before U+E000, although its code point is larger.
    assert canonical_json({"\ue000": 1, "\U0001f600": 2, "a": 3}) == (
        '{"a":3,"\U0001f600":2,"\ue000":1}'.encode()
    )


def test_the_same_instant_in_any_zone_gives_the_same_bytes() -> None:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    for other in (at.astimezone(UTC), at.astimezone(timezone(timedelta(hours=-7)))):
        assert canonical_json(other) == canonical_json(at)
    assert canonical_json(at) != canonical_json(at + timedelta(microseconds=1))


def test_types_are_kept_apart() -> None:
    distinct = [1, True, "1", Fraction(1), date(2026, 1, 1), "2026-01-01", [1], {"a": 1}, None]
    assert len({canonical_json(v) for v in distinct}) == len(distinct)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    assert canonical_json(moment) != canonical_json(moment.date())


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0.1, "audit.float"),
        ({"a": [1, 2.0]}, "audit.float"),
        (float("nan"), "audit.float"),
        (datetime(2026, 1, 1), "time.not_aware"),
        ({"a": {1: 2}}, "audit.payload_key"),
        ({"$fraction": "1/2"}, "audit.payload_key"),
        (object(), "audit.payload_type"),
        (b"bytes", "audit.payload_type"),
        (MAX_SAFE_INTEGER + 1, "audit.integer_range"),
        (-MAX_SAFE_INTEGER - 1, "audit.integer_range"),
        ("\udc00", "audit.text"),
        (datetime.min.replace(tzinfo=timezone(timedelta(hours=1))), "audit.datetime_range"),
    ],
)
def test_unrepresentable_values_are_refused(value: object, code: str) -> None:
    with pytest.raises(AuditError) as info:
        canonical_json(value)
    assert info.value.code == code
    assert info.value.message_en
    assert info.value.message_zh


def test_floats_are_refused_with_a_clear_message() -> None:
    with pytest.raises(AuditError, match=r"\$\.fee: float 12\.5 refused.*integer fen"):
        canonical_json({"fee": 12.5})


def test_safe_integer_limits_are_accepted() -> None:
    assert canonical_json([MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER]) == (
        b"[9007199254740991,-9007199254740991]"
    )


def test_verdicts_and_citations_encode_every_field() -> None:
    verdict = Verdict(
        rule="quorum.residents_meeting",
        passed=False,
        code="quorum.not_met",
        message_en="30 of 60 present.",
        message_zh="到会 30 人。",
        figures={"present": 30, "threshold": Fraction(1, 2)},
        citation=Citation(source="城市居民委员会组织法", article="第九条", verified=False),
    )
    data = json.loads(canonical_json(verdict))
    assert data == {
        "rule": "quorum.residents_meeting",
        "passed": False,
        "code": "quorum.not_met",
        "message_en": "30 of 60 present.",
        "message_zh": "到会 30 人。",
        "figures": {"present": 30, "threshold": {"$fraction": "1/2"}},
        "citation": {
            "source": "城市居民委员会组织法",
            "article": "第九条",
            "in_force_from": None,
            "in_force_to": None,
            "verified": False,
            "note": None,
        },
    }


def test_an_event_hash_can_be_recomputed_without_microgov() -> None:
    event = simple_log(2).events[1]
    data = json.loads(canonical_json(event))
    stored_hash = data.pop("hash")
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(body.encode()).hexdigest() == stored_hash == compute_hash(event)


def test_golden_hash_pins_the_format() -> None:
    """If this changes, every stored log stops verifying: change the format deliberately."""
    log = AuditLog()
    event = log.append(
        stream="project:p-1",
        type="project.proposed",
        actor="u-17",
        at=datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI),
        payload={"title": "晾衣架", "budget_fen": 1_250_000, "share": Fraction(1, 3)},
    )
    assert event.hash == GOLDEN


GOLDEN = "fcdf224a4b72a0d9a26fd14551b9e56b7e7aa1e321d8d09256fc848202e02e52"


def test_genesis() -> None:
    assert genesis_hash() == GENESIS_HASH == "0" * 64
    expected = hashlib.sha256(b'{"chain":"luodian"}').hexdigest()
    assert genesis_hash("luodian") == expected
