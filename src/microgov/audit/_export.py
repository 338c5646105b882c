"""Public export of a stream's full history (全过程公开), with personal data masked."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from typing import Final

from microgov._numbers import is_identity_number, mask_identity_number
from microgov._redact import redact_text
from microgov.audit._canonical import JsonData, format_datetime, to_data
from microgov.audit._event import AuditEvent
from microgov.errors import AuditError

__all__ = ["EXPORT_FORMAT", "SENSITIVE_KEYS", "export_stream", "mask_text"]

EXPORT_FORMAT: Final = "microgov.audit.export"
"""The ``format`` value of a public export document."""

SENSITIVE_KEYS: Final = frozenset({"identity_number", "phone", "mobile"})
"""Payload keys whose values are always masked, whatever they look like.

A key matches if, lower-cased, it equals one of these or ends with ``_`` and one of
these (``contact_phone``, ``owner_identity_number``)."""

_IDENTITY: Final = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
_MOBILE: Final = re.compile(r"(?<![0-9])((?:\+|00)?86)?(1[3-9][0-9]{9})(?![0-9])")
# Every number mask_text masks holds three digits, perhaps a separator, and four digits
# (ASCII or full-width; a mobile number's ``1`` and two digits then four, an identity
# number's 6-8 digits): a text without such a run is returned as it is.  (The first
# digit is spelled alone: the regex engine skips ahead to a plain set, not to a repeat.)
_DIGIT_RUN: Final = re.compile(
    "[0-9\uff10-\uff19][0-9\uff10-\uff19]{2}[ \\-\u3000\uff0d]?[0-9\uff10-\uff19]{4}"
)


def _mask_identity(match: re.Match[str]) -> str:
    text = match.group(0)
    if is_identity_number(text):
        return mask_identity_number(text)
    return f"{text[:6]}********{text[-4:]}"


def _mask_mobile(match: re.Match[str]) -> str:
    prefix, text = match.group(1) or "", match.group(2)
    return f"{prefix}{text[:3]}****{text[-4:]}"


def mask_text(text: str) -> str:
    """Mask what looks like personal data in a string: identity and mobile numbers.

    * An 18-character identity number (17 digits and a digit or ``X``, not part of a
      longer run of digits) keeps its first 6 and last 4 characters:
      ``310113********123X`` (:func:`microgov.personal.mask_identity_number` when the
      checksum is valid; the same shape otherwise).
    * An 11-digit mainland mobile number (``1[3-9]`` and 9 digits, not part of a longer
      run of digits, optionally after ``86``, ``+86`` or ``0086``) keeps its first 3
      and last 4: ``138****5678``, ``+86138****5678``.

    * Then every number :func:`microgov.personal.scan_text` finds is masked too: a
      valid identity number or a mobile number written with separators or full-width
      digits (``138-1234-5678``, ``+86 138 1234 5678``).

    It is a safety net, not a licence: events should not carry personal data in the
    first place (use pseudonymous ids and keyed digests).

    Args:
        text: Any string.

    Returns:
        The string with every match masked; unchanged if nothing matched.

    Example:
        >>> mask_text("业主 11010519491231002X，电话 13812345678。")
        '业主 110105********002X，电话 138****5678。'
        >>> mask_text("tel:+8613812345678")
        'tel:+86138****5678'
        >>> mask_text("电话 138-1234-5678")
        '电话 138****5678'
        >>> mask_text("楼组 310113101001 第 12 号")
        '楼组 310113101001 第 12 号'

    Complexity:
        O(len(text)).  A text without three digits, perhaps a separator, and four
        digits in a row (an id such as ``bg-01-02-003-h04-r5``, a date) holds no number
        and is returned after one search.
    """
    if _DIGIT_RUN.search(text) is None:
        return text
    return redact_text(_MOBILE.sub(_mask_mobile, _IDENTITY.sub(_mask_identity, text)))


@functools.lru_cache(maxsize=4096)
def _is_sensitive(key: str) -> bool:
    lowered = key.lower()
    return any(lowered == k or lowered.endswith("_" + k) for k in SENSITIVE_KEYS)


def _mask_whole(value: str) -> str:
    if len(value) == 18:
        return f"{value[:6]}********{value[-4:]}"
    if len(value) == 11:
        return f"{value[:3]}****{value[-4:]}"
    if len(value) > 8:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def _mask_data(data: JsonData, mask: Callable[[str], str], sensitive: bool) -> JsonData:
    if isinstance(data, str):
        return _mask_whole(data) if sensitive else mask(data)
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        if sensitive:
            return _mask_whole(str(data))
        text = str(data)
        masked = mask(text)
        return data if masked == text else masked
    if isinstance(data, list):
        return [_mask_data(item, mask, sensitive) for item in data]
    return {
        (key if key.startswith("$") else mask(key)): _mask_data(
            value, mask, sensitive or _is_sensitive(key)
        )
        for key, value in data.items()
    }


def export_stream(
    events: Iterable[AuditEvent], stream: str, *, mask: Callable[[str], str] | None = None
) -> str:
    """The public JSON document of one stream's full history (全过程公开).

    For each event of ``stream`` (in log order): sequence numbers, id, type, time
    (UTC, canonical form), actor (a pseudonymous id), payload, the verdicts'
    rule, outcome, code, messages and citation, and the hashes.  Personal data is
    masked: every string passes through ``mask`` (default :func:`mask_text`: identity
    and mobile numbers), and every value under a key named ``identity_number``,
    ``phone`` or ``mobile`` (see :data:`SENSITIVE_KEYS`) is masked whatever it looks
    like (18 characters keep the first 6 and last 4, 11 keep the first 3 and last 4,
    others longer than 8 keep the last 4, shorter ones nothing; numbers become masked
    strings).  Masking is a safety net; events should not carry personal data at all.
    Payload values are written in the data model of :func:`canonical_json`
    (``$fraction``, ``$date`` and ``$datetime`` tags).

    The hashes are those of the recorded events, so a reader can match the export
    against a published head; ``"masked": true`` marks the events that masking altered
    (any field).  The export is for reading, not for re-hashing: it leaves out the
    verdicts' figures, and masked values no longer match their hash.  To
    verify a log, use the full, unmasked :func:`dumps_events` and :func:`verify`.

    Args:
        events: The events (a log, or a loaded list); events of other streams are
            skipped.
        stream: The stream to export, e.g. ``"project:p-1"``.
        mask: A function applied to every string instead of :func:`mask_text`
            (wrap :func:`mask_text` to keep its masking).

    Returns:
        The JSON document (indented, keys in a fixed order, deterministic).

    Raises:
        AuditError: ``audit.mask`` if ``mask`` does not return a string.

    Complexity:
        O(size of the stream's events) to mask and write them, plus a type check of
        every other event.  To export every stream of a large log, group the events by
        stream first and pass each stream's own events: the same text, without walking
        the whole log once per stream.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> _ = log.append(stream="project:p-1", type="project.proposed", actor="u-17",
        ...                at=datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc),
        ...                payload={"title": "晾衣架，联系 13812345678", "phone": "021-5555"})
        >>> print(export_stream(log, "project:p-1"))
        {
         "format": "microgov.audit.export",
         "version": 1,
         "stream": "project:p-1",
         "notice_en": "...",
         "notice_zh": "...",
         "events": [
          {
           "sequence": 1,
           "stream_sequence": 1,
           "id": "project:p-1:1",
           "type": "project.proposed",
           "at": "2026-03-02T01:00:00.000000+00:00",
           "actor": "u-17",
           "payload": {
            "title": "晾衣架，联系 138****5678",
            "phone": "********"
           },
           "verdicts": [],
           "prev_hash": "0000000000000000000000000000000000000000000000000000000000000000",
           "hash": "...",
           "masked": true
          }
         ]
        }
    """
    masker = mask_text if mask is None else mask
    altered = [False]  # whether masking changed anything in the current event

    def masked(text: str) -> str:
        if mask is None and _DIGIT_RUN.search(text) is None:
            return text  # what mask_text returns for it, without the call
        out = masker(text)
        if not isinstance(out, str):
            raise AuditError(
                f"The mask function returned a {type(out).__name__}, not a string.",
                f"脱敏函数返回的不是字符串，而是 {type(out).__name__}。",
                code="audit.mask",
            )
        if out != text:
            altered[0] = True
        return out

    exported: list[dict[str, JsonData]] = []
    for event in events:
        if not isinstance(event, AuditEvent):
            raise AuditError(
                f"export_stream() takes AuditEvent values, not {type(event).__name__}.",
                "export_stream() 只接受 AuditEvent。",
                code="audit.event_type",
            )
        if event.stream != stream:
            continue
        altered[0] = False
        payload = to_data(event.payload, "payload")
        shown = _mask_data(payload, masked, False)
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
    return _indented_json(document)


_encode_str: Final = json.encoder.encode_basestring  # what json.dumps uses, ensure_ascii off


class _NotDataModel(Exception):
    """A value outside the JSON data model: left to :func:`json.dumps`."""


def _scalar_json(value: object) -> str:
    # The checks of json's encoder, in its order.
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    raise _NotDataModel


def _write_indented(value: object, level: int, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        opening = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotDataModel
            out.append(opening + _encode_str(key) + ": ")
            opening = "," + inner
            if isinstance(item, (dict, list)):
                _write_indented(item, level + 1, out)
            else:
                out.append(_scalar_json(item))
        out.append("\n" + " " * level + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        if all(isinstance(item, str) for item in value):  # a list of ids: one join
            out.append("[" + inner + ("," + inner).join(map(_encode_str, value)))
        else:
            opening = "[" + inner
            for item in value:
                out.append(opening)
                opening = "," + inner
                if isinstance(item, (dict, list)):
                    _write_indented(item, level + 1, out)
                else:
                    out.append(_scalar_json(item))
        out.append("\n" + " " * level + "]")
    else:
        out.append(_scalar_json(value))


def _indented_json(document: JsonData) -> str:
    """``json.dumps(document, ensure_ascii=False, indent=1)``, the same text, faster.

    :func:`json.dumps` writes indented JSON with its pure-Python encoder (the C encoder
    does not indent); this writer does the same for the JSON data model (dicts with
    string keys, lists, strings, integers, booleans, None) with fewer calls per value.
    Anything else is left to :func:`json.dumps`.
    """
    out: list[str] = []
    try:
        _write_indented(document, 0, out)
    except _NotDataModel:
        return json.dumps(document, ensure_ascii=False, indent=1)
    return "".join(out)
