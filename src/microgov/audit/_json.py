"""Storing events as JSON and reading them back exactly, through a strict cattrs converter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo
from fractions import Fraction
from typing import Final

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, override

from microgov._serde import describe, field_problem, parse_json, strict
from microgov._time import SHANGHAI
from microgov._verdict import Citation, Figure, Verdict
from microgov.audit._canonical import (
    PayloadValue,
    decode_date,
    decode_datetime,
    decode_tagged,
    from_data,
)
from microgov.audit._event import AuditEvent, event_data, event_text
from microgov.errors import AuditError, DataFormatError, MicrogovError, Problem

__all__ = ["EVENTS_FORMAT", "dumps_events", "loads_events"]

EVENTS_FORMAT: Final = "microgov.audit"
"""The ``format`` value of a stored-events document."""
_VERSION: Final = 1


class _Problems(ValueError):
    """Problems collected by a hand-written hook, carried through cattrs."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.message_en} @ {p.field}" for p in problems))


def _tag_text(value: object, tag: str) -> str:
    if not isinstance(value, dict) or set(value) != {tag} or not isinstance(value[tag], str):
        raise TypeError(f'expected {{"{tag}": "..."}}, got {value!r:.60}')
    text: str = value[tag]
    return text


def _make_converter(zone: tzinfo) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, strict(str, "a string"))
    conv.register_structure_hook(bool, strict(bool, "true or false"))
    conv.register_structure_hook(int, strict(int, "an integer"))

    def structure_datetime(value: object, _: object) -> datetime:
        problems: list[Problem] = []
        result = decode_datetime(_tag_text(value, "$datetime"), "", problems, zone)
        if result is None:
            raise ValueError(problems[0].message_en)
        return result

    def structure_date(value: object, _: object) -> date:
        problems: list[Problem] = []
        result = decode_date(_tag_text(value, "$date"), "", problems)
        if result is None:
            raise ValueError(problems[0].message_en)
        return result

    def structure_payload(value: object, _: object) -> Mapping[str, PayloadValue]:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        problems: list[Problem] = []
        result = from_data(value, "$", problems, zone)
        if not problems and not isinstance(result, Mapping):
            raise TypeError("expected an object of named values, not a tagged value")
        if problems or not isinstance(result, Mapping):
            raise _Problems(problems)
        return result

    def structure_figures(value: object, _: object) -> Mapping[str, Figure]:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        problems: list[Problem] = []
        out: dict[str, Figure] = {}
        for key, raw in value.items():
            where = f"$.{key}"
            if raw is None or isinstance(raw, (bool, str, int)):
                out[key] = raw
            elif isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in _FIGURE_TAGS:
                (tag,) = raw
                decoded = decode_tagged(tag, raw[tag], where, problems, zone)
                if isinstance(decoded, (int, Fraction, date)):
                    out[key] = decoded
            else:
                problems.append(
                    Problem(
                        code="data.field",
                        message_en=f"not a figure: {raw!r:.40}",
                        message_zh=f"字段错误：不是有效的数值 {raw!r:.40}",
                        field=where,
                    )
                )
        if problems:
            raise _Problems(problems)
        return out

    def structure_verdicts(value: object, _: object) -> tuple[Verdict, ...]:
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        errors: list[Exception] = []
        out: list[Verdict] = []
        for i, item in enumerate(value):
            try:
                out.append(conv.structure(item, Verdict))
            except Exception as err:
                err.__notes__ = [*getattr(err, "__notes__", []), f"@ [{i}]"]
                errors.append(err)
        if errors:
            raise cattrs.IterableValidationError("bad verdicts", errors, tuple[Verdict, ...])
        return tuple(out)

    conv.register_structure_hook(datetime, structure_datetime)
    conv.register_structure_hook(date, structure_date)
    conv.register_structure_hook(
        Citation,
        make_dict_structure_fn(Citation, conv, _cattrs_forbid_extra_keys=True),
    )
    conv.register_structure_hook(
        Verdict,
        make_dict_structure_fn(
            Verdict,
            conv,
            _cattrs_forbid_extra_keys=True,
            figures=override(struct_hook=structure_figures),
        ),
    )
    conv.register_structure_hook(
        AuditEvent,
        make_dict_structure_fn(
            AuditEvent,
            conv,
            _cattrs_forbid_extra_keys=True,
            payload=override(struct_hook=structure_payload),
            verdicts=override(struct_hook=structure_verdicts),
        ),
    )
    conv.register_unstructure_hook(AuditEvent, lambda e: event_data(e, with_hash=True))
    return conv


_FIGURE_TAGS: Final = frozenset({"$fraction", "$date", "$datetime"})
_CONVERTERS: dict[str, cattrs.Converter] = {}


def _converter(zone: tzinfo) -> cattrs.Converter:
    key = str(zone)
    conv = _CONVERTERS.get(key)
    if conv is None:
        conv = _CONVERTERS.setdefault(key, _make_converter(zone))
    return conv


def dumps_events(events: Iterable[AuditEvent]) -> str:
    """Write events as a JSON document that :func:`loads_events` reads back exactly.

    The document is ``{"format": "microgov.audit", "version": 1, "events": [...]}``
    with one event per line, each written as its canonical JSON (see
    :func:`canonical_json`), ``hash`` included: what is stored is exactly what was
    hashed, so a third party can verify a stored log without microgov.

    Args:
        events: The events, in order (a log, or any iterable of events).

    Returns:
        The JSON text; the same events always give the same text.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog
        >>> log = AuditLog()
        >>> _ = log.append(stream="s", type="t", actor="u", payload={"n": 1},
        ...                at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> print(dumps_events(log))
        {"format": "microgov.audit", "version": 1, "events": [
        {"actor":"u","at":{"$datetime":"2026-01-01T00:00:00.000000+00:00"},"hash":"...","id":"s:1","payload":{"n":1},"prev_hash":"000...000","sequence":1,"stream":"s","stream_sequence":1,"type":"t","verdicts":[]}
        ]}
    """
    lines: list[str] = []
    for event in events:
        if not isinstance(event, AuditEvent):
            raise AuditError(
                f"dumps_events() takes AuditEvent values, not {type(event).__name__}.",
                "dumps_events() 只接受 AuditEvent。",
                code="audit.event_type",
            )
        lines.append(event_text(event, with_hash=True))  # what the converter unstructures
    body = ",\n".join(lines)
    return (
        f'{{"format": "{EVENTS_FORMAT}", "version": {_VERSION}, "events": [\n{body}\n]}}'
        if lines
        else f'{{"format": "{EVENTS_FORMAT}", "version": {_VERSION}, "events": []}}'
    )


def loads_events(
    text: str | bytes, *, source: str = "<string>", zone: tzinfo = SHANGHAI
) -> tuple[AuditEvent, ...]:
    """Read events written by :func:`dumps_events`, exactly as they were stored.

    Reading does not verify: pass the result to :func:`verify` (or
    :meth:`AuditLog.from_events`), which names any tampering.

    Args:
        text: The JSON document (str, or UTF-8 bytes with or without a BOM).
        source: A name for the input (a file name) used in error messages.
        zone: The zone datetimes are given in (default Asia/Shanghai); the instant is
            the stored one whatever the zone.

    Returns:
        The events, in stored order; equal (``==``) to those that were written.

    Raises:
        DataFormatError: If the text is not an events document; ``problems`` lists
            every bad field by its path (e.g. ``$.events[3].payload.fee``): a float,
            a naive or malformed time, a missing or unknown field, a wrong type.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.audit import AuditLog, verify
        >>> log = AuditLog()
        >>> _ = log.append(stream="s", type="t", actor="u", payload={"n": 1},
        ...                at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> events = loads_events(dumps_events(log))
        >>> events == tuple(log.events), verify(events).ok
        (True, True)
        >>> loads_events('{"format": "microgov.audit", "version": 1, "events": [{"id": 7}]}')
        Traceback (most recent call last):
        ...
        microgov.errors.DataFormatError: <string>: ... bad field(s):...
    """
    raw = parse_json(text, source)
    if not isinstance(raw, dict) or raw.get("format") != EVENTS_FORMAT:
        raise DataFormatError(
            f"{source}: not a {EVENTS_FORMAT!r} document.",
            f"{source}：不是 {EVENTS_FORMAT!r} 文档。",
            code="data.format_version",
            source=source,
        )
    if raw.get("version") != _VERSION or set(raw) != {"format", "version", "events"}:
        raise DataFormatError(
            f"{source}: expected exactly 'format', 'version' ({_VERSION}) and 'events'.",
            f"{source}：应恰好包含 'format'、'version'（{_VERSION}）和 'events'。",
            code="data.format_version",
            source=source,
        )
    items = raw["events"]
    if not isinstance(items, list):
        raise DataFormatError(
            f"{source}: 'events' must be a list.",
            f"{source}：'events' 必须是列表。",
            code="data.shape",
            source=source,
        )
    conv = _converter(zone)
    events: list[AuditEvent] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        path = f"$.events[{i}]"
        if not isinstance(item, dict):
            problems.append(
                field_problem(f"expected an object, got {type(item).__name__} @ {path}", source)
            )
            continue
        event = _structure(conv, item, path, source, problems)
        if event is not None:
            events.append(event)
    if problems:
        raise _bad_fields(problems, source)
    return tuple(events)


def structure_event(raw: dict[str, object], *, zone: tzinfo, source: str) -> AuditEvent:
    """One event from its JSON data (a decoded object), strictly; for :func:`decode_event`.

    Raises:
        DataFormatError: ``data.records``, every bad field in ``problems``.
    """
    problems: list[Problem] = []
    event = _structure(_converter(zone), raw, "$", source, problems)
    if event is None:
        raise _bad_fields(problems, source)
    return event


def _structure(
    conv: cattrs.Converter, item: object, path: str, source: str, problems: list[Problem]
) -> AuditEvent | None:
    try:
        return conv.structure(item, AuditEvent)
    except (cattrs.BaseValidationError, ValueError, TypeError, AttributeError) as err:
        problems.extend(_problems(err, path, source))
    except MicrogovError as err:  # a validator of AuditEvent (e.g. a bad hash)
        field = err.details.get("field") or err.details.get("path")
        where = f"{path}.{field}" if isinstance(field, str) else path
        problems.append(field_problem(f"{err.message_en} @ {where}", source))
    return None


def _bad_fields(problems: list[Problem], source: str) -> DataFormatError:
    listing = "".join(f"\n  - {p.field}: {p.message_en}" for p in problems[:20])
    return DataFormatError(
        f"{source}: {len(problems)} bad field(s):{listing}",
        f"{source}：{len(problems)} 个字段有误。",
        code="data.records",
        problems=problems,
        source=source,
    )


def _problems(err: BaseException, path: str, source: str) -> list[Problem]:
    """Every problem inside a (nested) cattrs error, each with its full path."""
    collected: list[Problem] = []

    def walk(exc: BaseException, where: str) -> None:
        if isinstance(exc, _Problems):
            for p in exc.problems:
                field = (p.field or "$").removeprefix("$")
                collected.append(attrs.evolve(p, field=f"{where}{field}", location=source))
        elif isinstance(exc, cattrs.BaseValidationError):
            for sub in exc.exceptions:
                walk(sub, where + _note_path(sub))
        elif isinstance(exc, MicrogovError):
            named = exc.details.get("field") or exc.details.get("path")
            at = f"{where}.{named}" if isinstance(named, str) else where
            collected.append(field_problem(f"{exc.message_en} @ {at}", source))
        else:
            collected.append(field_problem(f"{describe(exc)} @ {where}", source))

    walk(err, path)
    return collected or [field_problem(f"{describe(err)} @ {path}", source)]


def _note_path(exc: BaseException) -> str:
    for note in getattr(exc, "__notes__", []):
        if isinstance(note, AttributeValidationNote):
            return f".{note.name}"
        if isinstance(note, IterableValidationNote):
            return f"[{note.index}]"
        if isinstance(note, str) and note.startswith("@ "):
            return note[2:]
    return ""
