"""No clear personal data leaves microgov: the demo, every export, the audit export, errors.

Every text the library produces for the embedded 美兰西湖 dataset and its simulated
season is scanned with :func:`microgov.personal.scan_text` for clear identity numbers
(valid GB 11643 check character) and mainland mobile numbers.  A positive control
proves the scanner finds numbers in each format before it is trusted to find none.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from _personal_numbers import KEY

from microgov.audit import AuditEvent, AuditLog, dumps_events, export_stream
from microgov.cli import main
from microgov.datasets import committees_csv, meilan_xihu
from microgov.errors import MicrogovError
from microgov.funds import read_pabulib, write_pabulib
from microgov.io import dumps_hierarchy, write_graphml
from microgov.lifecycle import PROJECT, TOPIC, to_dot, to_mermaid
from microgov.personal import PersonalKind, Pseudonymizer, scan_text
from microgov.policy import (
    Period,
    PeriodUnit,
    PolicyBook,
    PolicyOverride,
    PolicySet,
    dumps_policy_book,
)
from microgov.simulation import Season, simulate_season
from microgov.topics import (
    AuthorKind,
    Topic,
    dumps_open311,
    loads_open311,
    respond,
    to_open311,
)

CLEAR_ID = "11010519491231002X"
CLEAR_MOBILE = "13812345678"
PB_FILES = sorted(
    path
    for path in (Path(__file__).parent.parent / "data" / "pabulib").glob("*/*.pb")
    if path.parent.name != "malformed"
)


def describe(found: list[object]) -> str:
    return "; ".join(map(repr, found))


@pytest.fixture(scope="module")
def season() -> Season:
    """The demo's season (the same seed as ``microgov demo``)."""
    return simulate_season(meilan_xihu(), seed=2026)


def graphml_text() -> str:
    buffer = io.BytesIO()
    write_graphml(meilan_xihu(), buffer)
    return buffer.getvalue().decode("utf-8")


def policy_book_text() -> str:
    book = PolicyBook(defaults=PolicySet(project_cap_fen=5_000_000)).add(
        "area-01",
        date(2026, 1, 1),
        PolicyOverride(
            notice_period=Period(7, PeriodUnit.WORKING_DAYS), min_support=Fraction(1, 3)
        ),
    )
    return dumps_policy_book(book)


def demo_text(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert main(["demo", *argv], out=out, err=err) == 0
    return out.getvalue() + err.getvalue()


# Residents type their numbers into free text: every form the scanner knows, all valid.
TYPED = (
    f"业主 {CLEAR_ID}，电话 {CLEAR_MOBILE}；或 138-1234-5678、+86 138 1234 5678、"
    "１３８１２３４５６７８，身份证 110105 19491231 002X"
)


def typed_topics() -> list[Topic]:
    """Topics whose title, text and responses carry valid identity and mobile numbers."""
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    topic = Topic(
        id="t-typed",
        scope="area-01",
        category="parking",
        author="r-1",
        raised_at=at,
        title=f"车位 {CLEAR_MOBILE}",
        text=TYPED,
    )
    topic, _ = respond(
        topic, author="worker-1", kind=AuthorKind.OFFICIAL, at=at + timedelta(hours=1), text=TYPED
    )
    return [topic]


def open311_text() -> str:
    topics = typed_topics()
    one = to_open311(topics[0], hierarchy=meilan_xihu())
    return dumps_open311(topics, hierarchy=meilan_xihu()) + json.dumps(one, ensure_ascii=False)


def typed_audit_export() -> str:
    log = AuditLog()
    log.append(
        stream="topic:t-typed",
        type="topic.raised",
        actor="resident:7",
        at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        payload={"title": f"车位 {CLEAR_MOBILE}", "text": TYPED},
    )
    return export_stream(log.events, "topic:t-typed")


EXPORTS: dict[str, Callable[[], str]] = {
    "cli demo": demo_text,
    "cli demo --no-season --on 2021-06-01": lambda: demo_text("--no-season", "--on", "2021-06-01"),
    "io.dumps_hierarchy": lambda: dumps_hierarchy(meilan_xihu()),
    "io.write_graphml": graphml_text,
    "datasets.committees_csv": committees_csv,
    "policy.dumps_policy_book": policy_book_text,
    "lifecycle.to_mermaid/to_dot": lambda: "\n".join(
        f(lc) for lc in (PROJECT, TOPIC) for f in (to_mermaid, to_dot)
    ),
    "topics.dumps_open311/to_open311 of typed numbers": open311_text,
    "audit.export_stream of typed numbers": typed_audit_export,
}


def test_the_typed_numbers_are_there_to_be_found() -> None:
    """Positive control: the internal option keeps every typed number, and the scanner sees them."""
    clear = dumps_open311(typed_topics(), clear_text=True)
    kinds = [f.kind for f in scan_text(clear)]
    assert kinds.count(PersonalKind.IDENTITY_NUMBER) >= 4
    assert kinds.count(PersonalKind.MOBILE) >= 8
    assert loads_open311(clear) == tuple(typed_topics())


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_library_exports_carry_no_clear_personal_number(name: str) -> None:
    text = EXPORTS[name]()
    assert text
    found = scan_text(text)
    assert not found, f"{name}: {describe(list(found))}"


@pytest.mark.parametrize("path", PB_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pabulib_round_trip_output_carries_no_clear_personal_number(path: Path) -> None:
    election = read_pabulib(path.read_bytes(), source=path.name)
    assert scan_text(write_pabulib(election)) == []


def test_season_audit_log_and_every_public_export_carry_no_clear_personal_number(
    season: Season,
) -> None:
    events = season.store.read_all()
    assert len(events) > 100
    texts = {"audit.dumps_events": dumps_events(events), "repr(season)": repr(season)}
    by_stream: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_stream.setdefault(event.stream, []).append(event)
    for stream, of_stream in sorted(by_stream.items()):
        # The export of a stream reads only its events: given them alone, it is the same
        # text (checked on one stream) without walking the whole log once per stream.
        texts[f"audit.export_stream({stream})"] = export_stream(of_stream, stream)
    first = min(by_stream)
    assert export_stream(events, first) == texts[f"audit.export_stream({first})"]
    for event in events:  # what a host would log event by event
        texts[f"event {event.id}"] = f"{event!r} {[str(v) for v in event.verdicts]}"
    leaked = {
        name: describe(list(found)) for name, text in texts.items() if (found := scan_text(text))
    }
    assert leaked == {}


def test_refusals_of_the_demo_season_carry_no_clear_personal_number(season: Season) -> None:
    # Every verdict message the season recorded (refusals included) is in the log.
    messages = [
        f"{v.message_en} {v.message_zh} {v.citation}"
        for e in season.store.read_all()
        for v in e.verdicts
    ]
    assert messages
    assert scan_text("\n".join(messages)) == []


# -- positive controls: the scanner finds what the exports would leak -----------------


def _logged(payload: dict[str, object]) -> AuditLog:
    log = AuditLog()
    log.append(
        stream="topic:t-1",
        type="topic.raised",
        actor="resident:7",
        at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        payload=payload,
    )
    return log


def test_scanner_finds_a_clear_number_in_the_unmasked_log_and_none_in_the_public_export() -> None:
    log = _logged({"note": f"业主 {CLEAR_ID}，电话 {CLEAR_MOBILE}", "contact_phone": CLEAR_MOBILE})
    full = dumps_events(log.events)
    assert {f.kind for f in scan_text(full)} == {PersonalKind.IDENTITY_NUMBER, PersonalKind.MOBILE}
    assert scan_text(export_stream(log.events, "topic:t-1")) == []


def test_pseudonymized_values_in_a_payload_leave_nothing_to_find() -> None:
    p = Pseudonymizer(key=KEY)
    resident, phone = p.identity(CLEAR_ID), p.mobile(CLEAR_MOBILE)
    log = _logged(
        {
            "resident_digest": resident.digest,
            "resident": resident.masked,
            "phone_digest": phone.digest,
            "phone": phone.masked,
        }
    )
    for text in (dumps_events(log.events), export_stream(log.events, "topic:t-1"), repr(log)):
        assert scan_text(text) == []
        assert CLEAR_ID not in text
        assert CLEAR_MOBILE not in text


# -- error messages of the personal module --------------------------------------------


def _bad_inputs() -> Iterator[tuple[str, Callable[[Pseudonymizer], object]]]:
    for wrong in ("110105194912310021", "110105194902300028", "990105194912310028"):
        yield wrong, lambda p, w=wrong: p.identity(w)
    for wrong in ("12812345678", "23812345678", "+87 138 1234 5678", "138123456789"):
        yield wrong, lambda p, w=wrong: p.mobile(w)
    yield (
        CLEAR_ID,
        lambda p: Pseudonymizer(key=KEY, key_id="other").matches(p.identity(CLEAR_ID), CLEAR_ID),
    )


@pytest.mark.parametrize(
    ("clear", "call"), list(_bad_inputs()), ids=lambda v: "" if callable(v) else v
)
def test_personal_errors_carry_no_clear_number(
    clear: str, call: Callable[[Pseudonymizer], object]
) -> None:
    with pytest.raises(MicrogovError) as info:
        call(Pseudonymizer(key=KEY))
    err = info.value
    shown = f"{err} {err!r} {dict(err.details)!r}"
    assert clear not in shown
    assert scan_text(shown) == []


# -- messages that quote bad input mask the numbers in it (MicrogovError redacts) ------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "nodes.csv",
            "id,level,name,parent,code\nt,town,罗店镇,,310113101\n"
            f"a,residential_area,业主,t,{CLEAR_ID}\n",
        ),
        (
            "h.json",
            '{"format": "microgov.hierarchy", "version": 1, "nodes": [{"id": "t", "level": "town",'
            f' "name": "x", "households": "{CLEAR_MOBILE}"}}]}}',
        ),
    ],
    ids=["node-csv-code", "json-households"],
)
def test_validate_messages_carry_no_clear_number(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(path)], out=out, err=err) != 0
    assert err.getvalue()
    assert scan_text(out.getvalue() + err.getvalue()) == []
