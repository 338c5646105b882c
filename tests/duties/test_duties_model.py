"""Duty definitions: recurrence rules, due periods, schedules and fulfilment records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microgov.duties
from microgov._time import SHANGHAI
from microgov.duties import (
    DEFAULT_DUTIES,
    PRACTICE,
    Duty,
    DutyKind,
    DutyRecord,
    duty_schedule,
)
from microgov.errors import DataFormatError, PolicyError
from profiles import examples


def test_public_names_are_exactly_the_documented_ones() -> None:
    public = sorted(
        n for n in dir(microgov.duties) if not n.startswith("_") and n not in {"annotations"}
    )
    exported = sorted(microgov.duties.__all__)
    assert exported == sorted(set(exported))
    assert set(exported) <= set(public)
    for name in exported:
        assert getattr(microgov.duties, name).__doc__


def test_weekly_periods_are_monday_to_sunday_and_due_on_sunday() -> None:
    duty = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO")
    # 2026-03-01 is a Sunday; the week of 02-23 ends on 03-01 exclusive of 03-02.
    periods = duty.periods(date(2026, 3, 1), date(2026, 3, 16))
    assert periods == (
        (date(2026, 2, 23), date(2026, 3, 2)),
        (date(2026, 3, 2), date(2026, 3, 9)),
        (date(2026, 3, 9), date(2026, 3, 16)),
    )


def test_the_running_period_is_not_yet_due() -> None:
    duty = Duty(kind=DutyKind.DIARY, rule="FREQ=WEEKLY;BYDAY=MO")
    # Wednesday 2026-03-04: the week of 03-02 is still running.
    assert duty.periods(date(2026, 3, 2), date(2026, 3, 5)) == ()
    assert duty.periods(date(2026, 3, 2), date(2026, 3, 9)) == (
        (date(2026, 3, 2), date(2026, 3, 9)),
    )


def test_monthly_and_fortnightly_rules() -> None:
    monthly = Duty(kind=DutyKind.PRACTICAL_THING, rule="RRULE:FREQ=MONTHLY;BYMONTHDAY=1")
    assert [p[0].month for p in monthly.periods(date(2026, 1, 1), date(2027, 1, 1))] == list(
        range(1, 13)
    )
    fortnight = Duty(
        kind=DutyKind.VISIT_ROUND, rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", anchor=date(2026, 1, 5)
    )
    assert fortnight.periods(date(2026, 1, 1), date(2026, 2, 3)) == (
        (date(2026, 1, 5), date(2026, 1, 19)),
        (date(2026, 1, 19), date(2026, 2, 2)),
    )


def test_no_period_before_the_anchor() -> None:
    duty = Duty(kind=DutyKind.CLEAR, rule="FREQ=WEEKLY;BYDAY=MO", anchor=date(2026, 3, 2))
    assert duty.periods(date(2026, 1, 1), date(2026, 3, 10)) == (
        (date(2026, 3, 2), date(2026, 3, 9)),
    )


def test_a_counted_rule_stops() -> None:
    duty = Duty(kind=DutyKind.CLEAR, rule="FREQ=WEEKLY;BYDAY=MO;COUNT=3", anchor=date(2026, 3, 2))
    assert len(duty.periods(date(2026, 1, 1), date(2026, 12, 1))) == 2


@settings(max_examples=examples(50))
@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=1, max_value=200),
    st.integers(min_value=1, max_value=200),
    st.sampled_from(["FREQ=WEEKLY;BYDAY=MO", "FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=DAILY;INTERVAL=3"]),
)
def test_adjacent_windows_share_no_period_and_lose_none(
    a: date, left: int, right: int, rule: str
) -> None:
    duty = Duty(kind=DutyKind.PATROL, rule=rule)
    b = a + timedelta(days=left)
    c = b + timedelta(days=right)
    assert duty.periods(a, b) + duty.periods(b, c) == duty.periods(a, c)
    for first, stop in duty.periods(a, c):
        assert first < stop
        assert a < stop <= c


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",
        "FREQ=WEEKLY;BYHOUR=9",
        "FREQ=WEEKLY;BYDAY=MO;BYDAY=TU",
        "FREQ=WEEKLY;BYDAY",
        "BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=XX",
        "every monday",
        "FREQ=WEEKLY;INTERVAL=0",  # dateutil would loop forever
        "FREQ=WEEKLY;COUNT=-1",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # never matches; refused before searching
        "FREQ=WEEKLY;UNTIL=20230101",  # ends before the anchor: never occurs
        "FREQ=WEEKLY;UNTIL=20270101T000000Z",
        "",
        42,
    ],
)
def test_unusable_rules_are_refused(rule: object) -> None:
    with pytest.raises(PolicyError) as info:
        Duty(kind=DutyKind.PATROL, rule=rule)  # type: ignore[arg-type]
    assert info.value.code == "duties.bad_rule"
    assert info.value.message_zh


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "patrol"),
        ("anchor", datetime(2026, 1, 1, tzinfo=SHANGHAI)),
        ("times", 0),
        ("times", True),
        ("skip_days_off", 1),
        ("source", "community"),
    ],
)
def test_bad_definition_fields_are_refused(field: str, value: object) -> None:
    fields: dict[str, object] = {"kind": DutyKind.PATROL, "rule": "FREQ=WEEKLY;BYDAY=MO"}
    fields[field] = value
    with pytest.raises(PolicyError) as info:
        Duty(**fields)  # type: ignore[arg-type]
    assert info.value.code == "duties.bad_definition"
    assert info.value.details["field"] == field


def test_windows_must_be_two_ordered_dates() -> None:
    duty = DEFAULT_DUTIES[0]
    with pytest.raises(DataFormatError) as info:
        duty.periods(date(2026, 3, 1), date(2026, 3, 1))
    assert info.value.code == "duties.bad_window"
    with pytest.raises(DataFormatError) as info:
        duty.periods(datetime(2026, 3, 1, tzinfo=SHANGHAI), date(2026, 4, 1))
    assert info.value.code == "duties.not_date"


def test_default_duties_are_the_four_ones_and_weekly_patrol_and_clear() -> None:
    assert [d.kind for d in DEFAULT_DUTIES] == list(DutyKind)
    assert all(d.source is PRACTICE and not d.source.verified for d in DEFAULT_DUTIES)
    weekly = {d.kind for d in DEFAULT_DUTIES if d.rule.startswith("FREQ=WEEKLY")}
    assert weekly == {DutyKind.VISIT_ROUND, DutyKind.DIARY, DutyKind.PATROL, DutyKind.CLEAR}
    assert not any(d.skip_days_off for d in DEFAULT_DUTIES)
    assert {k.label_zh for k in DutyKind} >= {"民情日记", "周周巡", "周周清"}


def test_schedule_orders_by_kind_and_refuses_duplicates() -> None:
    assert duty_schedule(reversed(DEFAULT_DUTIES)) == DEFAULT_DUTIES
    with pytest.raises(PolicyError) as info:
        duty_schedule([DEFAULT_DUTIES[0], DEFAULT_DUTIES[0]])
    assert info.value.code == "duties.duplicate_kind"
    with pytest.raises(PolicyError) as info:
        duty_schedule(["patrol"])  # type: ignore[list-item]
    assert info.value.code == "duties.bad_definition"


def test_duties_compare_by_value() -> None:
    a = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO")
    b = Duty(kind=DutyKind.PATROL, rule="FREQ=WEEKLY;BYDAY=MO")
    assert a == b
    assert hash(a) == hash(b)


def test_record_day_is_the_shanghai_day() -> None:
    late = DutyRecord(
        id="r",
        kind=DutyKind.DIARY,
        node="g",
        person="p",
        at=datetime(2026, 3, 8, 16, 30, tzinfo=UTC),  # Monday 00:30 in Shanghai
    )
    assert late.day == date(2026, 3, 9)


def test_naive_and_malformed_records_are_refused() -> None:
    with pytest.raises(DataFormatError) as info:
        DutyRecord(id="r", kind=DutyKind.DIARY, node="g", person="p", at=datetime(2026, 3, 8))
    assert info.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as info:
        DutyRecord(
            id="r",
            kind=DutyKind.DIARY,
            node="g",
            person="p",
            at=date(2026, 3, 8),  # type: ignore[arg-type]
        )
    assert info.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as info:
        DutyRecord(
            id=" ", kind=DutyKind.DIARY, node="g", person="p", at=datetime(2026, 3, 8, tzinfo=UTC)
        )
    assert info.value.details["field"] == "id"
    with pytest.raises(DataFormatError) as info:
        DutyRecord(
            id="r",
            kind="diary",  # type: ignore[arg-type]
            node="g",
            person="p",
            at=datetime(2026, 3, 8, tzinfo=UTC),
        )
    assert info.value.details["field"] == "kind"
