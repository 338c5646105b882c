"""The public export writes exactly the bytes of its first, straightforward implementation.

``export_stream`` was made faster: ``mask_text`` returns a text without a run of digits
long enough to hold a number at once, the sensitive-key test is cached, and the document
is written by a dedicated writer instead of ``json.dumps(..., indent=1)`` (whose
pure-Python encoder was most of the cost).  The reference below is the first
implementation, verbatim; both must give the same text for every stream of any log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

from audit_world import BASE, HEAVY, STREAMS, keys, logs, payload_values
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov._numbers import is_identity_number, mask_identity_number
from microgov.audit import (
    EXPORT_FORMAT,
    SENSITIVE_KEYS,
    AuditEvent,
    AuditLog,
    dumps_events,
    export_stream,
)
from microgov.audit import mask_text as fast_mask_text
from microgov.audit._canonical import JsonData, format_datetime, jcs, to_data
from microgov.audit._event import event_data
from microgov.audit._export import _indented_json
from microgov.personal import redact_text
from microgov.policy import Verdict
from profiles import examples

# -- the reference: the first export, verbatim --------------------------------------------

IDENTITY = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9])((?:\+|00)?86)?(1[3-9][0-9]{9})(?![0-9])")


def mask_identity(match: re.Match[str]) -> str:
    text = match.group(0)
    if is_identity_number(text):
        return mask_identity_number(text)
    return f"{text[:6]}********{text[-4:]}"


def mask_mobile(match: re.Match[str]) -> str:
    prefix, text = match.group(1) or "", match.group(2)
    return f"{prefix}{text[:3]}****{text[-4:]}"


def reference_mask_text(text: str) -> str:
    if not any(c.isdigit() for c in text):
        return text
    return redact_text(MOBILE.sub(mask_mobile, IDENTITY.sub(mask_identity, text)))


def is_sensitive(key: str) -> bool:
    lowered = key.lower()
    return any(lowered == k or lowered.endswith("_" + k) for k in SENSITIVE_KEYS)


def mask_whole(value: str) -> str:
    if len(value) == 18:
        return f"{value[:6]}********{value[-4:]}"
    if len(value) == 11:
        return f"{value[:3]}****{value[-4:]}"
    if len(value) > 8:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def mask_data(data: JsonData, mask: Callable[[str], str], sensitive: bool) -> JsonData:
    if isinstance(data, str):
        return mask_whole(data) if sensitive else mask(data)
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        if sensitive:
            return mask_whole(str(data))
        text = str(data)
        masked = mask(text)
        return data if masked == text else masked
    if isinstance(data, list):
        return [mask_data(item, mask, sensitive) for item in data]
    return {
        (key if key.startswith("$") else mask(key)): mask_data(
            value, mask, sensitive or is_sensitive(key)
        )
        for key, value in data.items()
    }


def reference_export(events: list[AuditEvent], stream: str) -> str:
    altered = [False]

    def masked(text: str) -> str:
        out = reference_mask_text(text)
        if out != text:
            altered[0] = True
        return out

    exported: list[dict[str, JsonData]] = []
    for event in events:
        if event.stream != stream:
            continue
        altered[0] = False
        payload = to_data(event.payload, "payload")
        shown = mask_data(payload, masked, False)
        exported.append(
            {
                "sequence": event.sequence,
                "stream_sequence": event.stream_sequence,
                "id": masked(event.id),
                "type": masked(event.type),
                "at": format_datetime(event.at),
                "actor": masked(event.actor),
                "payload": shown,
                "verdicts": [
                    {
                        "rule": masked(v.rule),
                        "passed": v.passed,
                        "code": masked(v.code),
                        "message_en": masked(v.message_en),
                        "message_zh": masked(v.message_zh),
                        "citation": None if v.citation is None else masked(str(v.citation)),
                    }
                    for v in event.verdicts
                ],
                "prev_hash": event.prev_hash,
                "hash": event.hash,
                "masked": altered[0] or shown != payload,
            }
        )
    document: dict[str, JsonData] = {
        "format": EXPORT_FORMAT,
        "version": 1,
        "stream": masked(stream),
        "notice_en": "Public record of the whole process. Personal data is masked; "
        "hashes are those of the recorded events.",
        "notice_zh": "全过程公开记录。个人信息已脱敏；哈希值为原始记录事件的哈希。",
        "events": list[JsonData](exported),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


# -- texts with numbers, and logs that carry them ---------------------------------------

NUMBERS = st.one_of(
    st.from_regex(r"(\+86|0086|86)?[ -]?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}", fullmatch=True),
    st.sampled_from(["11010519491231002X", "110105 19491231 002x", "310113199001011234"]),
    st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True),
    st.sampled_from(
        [
            "１３８１２３４５６７８",
            "１３８－１２３４－５６７８",
            "１１０１０５１９４９１２３１００２Ｘ",
        ]
    ),
)
FILLERS = st.one_of(
    st.text(alphabet="abc 号，-+*\u3000²٣", max_size=4),
    st.from_regex(r"[0-9]{1,8}", fullmatch=True),
    st.sampled_from(["bg-01-02-003-h04-r5", "season:2026", "2026-03-02", "138-123", "1234-5678"]),
)
TEXTS = st.lists(st.one_of(NUMBERS, FILLERS), max_size=6).map("".join)


@settings(max_examples=examples(300), deadline=None)
@given(TEXTS)
def test_mask_text_masks_exactly_as_before(text: str) -> None:
    assert fast_mask_text(text) == reference_mask_text(text)


NUMBERED_VALUES = st.recursive(
    st.one_of(TEXTS, st.integers(min_value=0, max_value=10**15), payload_values),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(keys, st.sampled_from(["phone", "x_mobile", "note"])), inner),
    ),
    max_leaves=8,
)


@st.composite
def numbered_logs(draw: st.DrawFn) -> AuditLog:
    log = AuditLog()
    for i in range(draw(st.integers(min_value=0, max_value=6))):
        text = draw(TEXTS)
        log.append(
            stream=draw(st.sampled_from(STREAMS)),
            type="topic.raised",
            actor=draw(st.sampled_from(["u-1", "u-13812345678", text.strip() or "u-2"])),
            at=BASE + timedelta(minutes=i),
            payload=draw(
                st.dictionaries(st.sampled_from(["title", "phone", "n", "items"]), NUMBERED_VALUES)
            ),
            verdicts=[
                Verdict(
                    rule="topic.scope",
                    passed=True,
                    code="topic.ok",
                    message_en=f"Raised by {text}.",
                    message_zh=f"{text} 提出。",
                )
            ][: draw(st.integers(0, 1))],
        )
    return log


@HEAVY
@given(st.one_of(logs(), numbered_logs()))
def test_every_stream_exports_the_same_bytes_as_before(log: AuditLog) -> None:
    events = list(log.events)
    for stream in (*log.streams, "project:none"):
        assert export_stream(events, stream) == reference_export(events, stream)


# -- the writer alone against json.dumps --------------------------------------------------

JSON_DATA = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(),  # any code point: controls, quotes, backslashes, lone surrogates
        st.floats(allow_nan=True),  # not in the data model: json.dumps writes them
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(st.text(max_size=4), max_size=4),
        st.tuples(inner, inner),  # not in the data model either
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
        st.dictionaries(st.integers(0, 3), inner, max_size=2),  # non-string keys
    ),
    max_leaves=12,
)


@settings(max_examples=examples(300), deadline=None)
@given(JSON_DATA)
def test_the_writer_writes_what_json_dumps_writes(data: object) -> None:
    assert _indented_json(data) == json.dumps(data, ensure_ascii=False, indent=1)  # type: ignore[arg-type]


# -- the stored-events document -----------------------------------------------------------


def reference_dumps_events(events: list[AuditEvent]) -> str:
    lines = [jcs(event_data(event, with_hash=True)).decode("utf-8") for event in events]
    body = ",\n".join(lines)
    if not lines:
        return '{"format": "microgov.audit", "version": 1, "events": []}'
    return f'{{"format": "microgov.audit", "version": 1, "events": [\n{body}\n]}}'


@HEAVY
@given(st.one_of(logs(), numbered_logs()))
def test_dumps_events_writes_the_same_bytes_as_before(log: AuditLog) -> None:
    events = list(log.events)
    assert dumps_events(events) == reference_dumps_events(events)
