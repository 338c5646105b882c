"""Hypothesis strategies and helpers for the audit tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs
from hypothesis import settings
from hypothesis import strategies as st

from microgov.audit import AuditEvent, AuditLog, EventDraft, PayloadValue, compute_hash
from microgov.audit._canonical import MAX_SAFE_INTEGER
from microgov.policy import Citation, Verdict
from profiles import examples

HEAVY = settings(max_examples=examples(40), deadline=None)
"""For properties over whole logs: fewer, larger examples keep the suite fast."""

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
STREAMS = ("project:p-1", "project:p-2", "topic:t-1")
TYPES = ("project.proposed", "project.established", "topic.raised", "fund.granted")
# Zones without daylight saving in the drawn years: a datetime in a repeated hour never
# equals one in another zone (PEP 495), which would make == useless for round trips.
ZONES = (UTC, SHANGHAI, timezone(timedelta(hours=-5, minutes=-30)))

keys = st.text(max_size=6).filter(lambda k: not k.startswith("$"))
safe_ints = st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
fractions = st.fractions(max_denominator=10**6)
aware = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(ZONES),
)
scalars: st.SearchStrategy[PayloadValue] = st.one_of(
    st.none(), st.booleans(), safe_ints, st.text(max_size=12), fractions, st.dates(), aware
)
payload_values: st.SearchStrategy[PayloadValue] = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=6,
)
payloads = st.dictionaries(keys, payload_values, max_size=3)
figures = st.dictionaries(
    keys,
    st.one_of(st.none(), st.booleans(), safe_ints, st.text(max_size=8), fractions, st.dates()),
    max_size=3,
)
citations = st.builds(
    Citation,
    source=st.text(min_size=1, max_size=10),
    article=st.none() | st.text(max_size=5),
    in_force_from=st.none() | st.dates(),
    verified=st.booleans(),
)
verdicts = st.builds(
    Verdict,
    rule=st.sampled_from(("quorum.residents_meeting", "funds.cap")),
    passed=st.booleans(),
    code=st.sampled_from(("quorum.met", "quorum.not_met", "funds.within_cap")),
    message_en=st.text(max_size=10),
    message_zh=st.text(max_size=10),
    figures=figures,
    citation=st.none() | citations,
)


@st.composite
def drafts(draw: st.DrawFn, *, min_size: int = 0, max_size: int = 8) -> list[EventDraft]:
    """Drafts in non-decreasing record time (equal times included)."""
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    out: list[EventDraft] = []
    at = BASE
    for _ in range(count):
        at += timedelta(minutes=draw(st.integers(min_value=0, max_value=600)))
        out.append(
            EventDraft(
                stream=draw(st.sampled_from(STREAMS)),
                type=draw(st.sampled_from(TYPES)),
                at=at.astimezone(draw(st.sampled_from(ZONES))),
                actor=draw(st.sampled_from(("u-1", "u-2", "u-17"))),
                payload=draw(payloads),
                verdicts=draw(st.lists(verdicts, max_size=2)),
            )
        )
    return out


@st.composite
def logs(draw: st.DrawFn, *, min_size: int = 0, max_size: int = 8) -> AuditLog:
    log = AuditLog()
    log.extend(draw(drafts(min_size=min_size, max_size=max_size)))
    return log


def reseal(event: AuditEvent, **changes: object) -> AuditEvent:
    """The event with ``changes`` applied and its own hash recomputed (a careful forger)."""
    changed = attrs.evolve(event, **changes)  # type: ignore[misc]
    return attrs.evolve(changed, hash=compute_hash(changed))


def simple_log(n: int, *, streams: tuple[str, ...] = ("project:p-1",)) -> AuditLog:
    log = AuditLog()
    for i in range(n):
        log.append(
            stream=streams[i % len(streams)],
            type="project.note",
            actor=f"u-{i}",
            at=BASE + timedelta(hours=i),
            payload={"n": i, "when": date(2026, 3, 1), "share": Fraction(1, i + 2)},
        )
    return log
