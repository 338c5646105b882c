"""Audit and transparency (审计与公开): an append-only, hash-chained event log.

Every command becomes an :class:`AuditEvent` in an :class:`AuditLog`.  Each event
carries the SHA-256 of its own canonical JSON (:func:`canonical_json`) and the hash of
the event before it, so that :func:`verify` finds any edit, deletion, reordering or
insertion and names where; state is a :func:`fold` over events; :func:`export_stream`
publishes a project's whole history with personal data masked (全过程公开);
:func:`dumps_events` / :func:`loads_events` store and reload a log exactly, and
:func:`encode_event` / :func:`decode_event` one event (how the event stores keep them).

Renamed (the old name still works, with a :class:`DeprecationWarning`): ``replay`` is
:func:`accumulate`.

Example:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from microgov.audit import AuditLog, verify
    >>> log = AuditLog()
    >>> _ = log.append(stream="project:p-1", type="project.proposed", actor="u-17",
    ...                at=datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
    ...                payload={"title": "晾衣架", "budget_fen": 1_250_000})
    >>> verify(log.events, head=log.head).ok
    True
"""

from microgov._public import deprecated_names as _deprecated_names
from microgov._public import publish as _publish
from microgov.audit._canonical import (
    GENESIS_HASH,
    MAX_SAFE_INTEGER,
    JsonData,
    PayloadValue,
    canonical_json,
    genesis_hash,
)
from microgov.audit._codec import canonical_datetime, canonical_text, decode_event, encode_event
from microgov.audit._event import AuditEvent, EventDraft, Payload, compute_hash
from microgov.audit._export import EXPORT_FORMAT, SENSITIVE_KEYS, export_stream, mask_text
from microgov.audit._fold import accumulate, by_type, fold
from microgov.audit._json import EVENTS_FORMAT, dumps_events, loads_events
from microgov.audit._log import AuditLog, EventsView
from microgov.audit._verify import Finding, VerifyReport, verify

__all__ = [
    "EVENTS_FORMAT",
    "EXPORT_FORMAT",
    "GENESIS_HASH",
    "MAX_SAFE_INTEGER",
    "SENSITIVE_KEYS",
    "AuditEvent",
    "AuditLog",
    "EventDraft",
    "EventsView",
    "Finding",
    "JsonData",
    "Payload",
    "PayloadValue",
    "VerifyReport",
    "accumulate",
    "by_type",
    "canonical_datetime",
    "canonical_json",
    "canonical_text",
    "compute_hash",
    "decode_event",
    "dumps_events",
    "encode_event",
    "export_stream",
    "fold",
    "genesis_hash",
    "loads_events",
    "mask_text",
    "verify",
]

_publish(__name__, globals(), __all__)
__getattr__ = _deprecated_names(__name__, {"replay": ("accumulate", accumulate)})
