"""Tranches released by lifecycle events; refunds on cancellation; replay posts once."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov._time import SHANGHAI
from microgov.errors import FundsError
from microgov.funds import (
    Account,
    Ledger,
    Money,
    TrancheSchedule,
    fund_area,
    postings_for_event,
    spend,
)
from microgov.lifecycle import Event
from profiles import examples

AT = datetime(2026, 5, 6, 10, tzinfo=SHANGHAI)
AREA = Account.area("area-01")
PROJECT = Account.project("p-1")


def _event(kind: str, item: str = "p-1") -> Event:
    return Event(type=kind, item=item, actor="sec", at=AT, payload={}, verdicts=())


def _ledger(yuan: int = 50_000) -> Ledger:
    return Ledger().post(fund_area(AREA, Money.of_yuan(yuan), id="alloc", at=AT))


def _run(ledger: Ledger, kinds: list[str], grant: Money, **kw: object) -> Ledger:
    for kind in kinds:
        for posting in postings_for_event(ledger, _event(kind), grant=grant, source=AREA, **kw):  # type: ignore[arg-type]
            ledger = ledger.post(posting)
    return ledger


def test_default_schedule_pays_half_when_funded_and_half_after_evaluation() -> None:
    grant = Money.parse("10,000.01")
    ledger = _run(_ledger(), ["project.accepted", "project.funded", "project.started"], grant)
    assert ledger.balance(PROJECT) == Money.parse("5,000.01")
    ledger = _run(ledger, ["project.completed", "project.evaluated", "project.closed"], grant)
    assert ledger.balance(PROJECT) == grant
    assert ledger.balance(AREA) == Money.of_yuan(50_000) - grant
    assert [p.id for p in ledger.postings] == ["alloc", "tranche:p-1:0", "tranche:p-1:1"]


def test_replaying_the_same_events_posts_each_tranche_once() -> None:
    grant = Money.of_yuan(900)
    once = _run(_ledger(), ["project.funded", "project.evaluated"], grant)
    twice = _run(once, ["project.funded", "project.evaluated", "project.funded"], grant)
    assert twice == once


def test_cancellation_refunds_what_is_left() -> None:
    grant = Money.of_yuan(1_000)
    ledger = _run(_ledger(), ["project.funded"], grant)
    ledger = ledger.post(spend(PROJECT, Money.of_yuan(120), id="buy", at=AT))
    ledger = _run(ledger, ["project.cancelled"], grant)
    assert ledger.balance(PROJECT) == Money(fen=0)
    assert ledger.balance(AREA) == Money.of_yuan(50_000 - 120)
    assert _run(ledger, ["project.cancelled"], grant) == ledger  # nothing left: no posting


def test_three_stage_schedule_from_policy_shares() -> None:
    schedule = TrancheSchedule(
        stages=("project.decision_published", "project.completed", "project.evaluated"),
        shares=(Fraction(3, 10), Fraction(3, 10), Fraction(2, 5)),
    )
    grant = Money.of_yuan(1_000)
    ledger = _run(_ledger(), ["project.decision_published"], grant, schedule=schedule)
    assert ledger.balance(PROJECT) == Money.of_yuan(300)


@pytest.mark.parametrize(
    ("stages", "shares"),
    [
        (("a",), (Fraction(1, 2), Fraction(1, 2))),
        (("a", "b"), (Fraction(1, 2), Fraction(1, 3))),
        (("a", "b"), (Fraction(3, 2), Fraction(-1, 2))),
        (("a", "a"), (Fraction(1, 2), Fraction(1, 2))),
    ],
)
def test_bad_schedules_are_refused(stages: tuple[str, ...], shares: tuple[Fraction, ...]) -> None:
    with pytest.raises(FundsError) as info:
        TrancheSchedule(stages=stages, shares=shares)
    assert info.value.code == "funds.bad_schedule"


def test_overdraft_leaves_the_ledger_as_it_was() -> None:
    ledger = _ledger(100)
    (posting,) = postings_for_event(
        ledger, _event("project.funded"), grant=Money.of_yuan(1_000), source=AREA
    )
    with pytest.raises(FundsError):
        ledger.post(posting)
    assert ledger.balance(AREA) == Money.of_yuan(100)


EVENTS = st.sampled_from(
    ["project.funded", "project.evaluated", "project.cancelled", "project.started"]
)


@settings(max_examples=examples(100), deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["p-1", "p-2", "p-3"]), EVENTS), max_size=20),
    st.integers(1, 10_000_000 // 3),  # three full grants fit the area's fund
)
def test_money_is_conserved_under_any_event_sequence(
    events: list[tuple[str, str]], grant_fen: int
) -> None:
    ledger = Ledger().post(fund_area(AREA, Money(fen=10_000_000), id="alloc", at=AT))
    for item, kind in events:
        for posting in postings_for_event(
            ledger, _event(kind, item), grant=Money(fen=grant_fen), source=AREA
        ):
            ledger = ledger.post(posting)
        assert ledger.total() == Money(fen=0)  # double entry: every posting balances
        held = sum(ledger.balance(Account.project(p)).fen for p in ("p-1", "p-2", "p-3"))
        assert held + ledger.balance(AREA).fen == 10_000_000
        assert all(ledger.balance(Account.project(p)).fen <= grant_fen for p in ("p-1", "p-2"))
