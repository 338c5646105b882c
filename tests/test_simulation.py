"""The simulated season: deterministic, consistent, and its audit log verifies and replays."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

import attrs

from microgov.audit import AuditEvent, verify
from microgov.datasets import meilan_xihu
from microgov.lifecycle import PROJECT, TOPIC, Event, replay
from microgov.simulation import Season, simulate_season


@cache
def season() -> Season:
    return simulate_season(meilan_xihu(), seed=11, start=date(2026, 3, 2), areas=6)


def test_same_seed_same_season_other_seed_other_season() -> None:
    again = simulate_season(meilan_xihu(), seed=11, start=date(2026, 3, 2), areas=6)
    assert again == season()
    assert again.log.head == season().log.head
    other = simulate_season(meilan_xihu(), seed=12, start=date(2026, 3, 2), areas=6)
    assert other.log.head != season().log.head


def test_figures_add_up() -> None:
    s = season()
    assert s.topics_raised == s.topics_converted + s.topics_resolved
    assert s.projects_proposed == s.topics_converted
    assert s.projects_closed + s.projects_rejected <= s.projects_proposed
    assert s.votes == s.projects_proposed
    assert 0 < s.hands_raised <= s.households_entitled
    events = s.log.events
    assert sum(e.type == "project.closed" for e in events) == s.projects_closed
    assert sum(e.type == "project.rejected" for e in events) == s.projects_rejected
    assert sum(e.type == "topic.raised" for e in events) == s.topics_raised


def test_the_audit_chain_verifies_and_tampering_is_found() -> None:
    s = season()
    assert s.audit.ok
    assert s.audit.count == len(s.log.events)
    events = list(s.log.events)
    victim = next(i for i, e in enumerate(events) if e.type == "project.accepted")
    forged = attrs.evolve(events[victim], actor="someone-else")
    report = verify([*events[:victim], forged, *events[victim + 1 :]], genesis=s.log.genesis)
    assert not report.ok
    assert report.findings[0].sequence == victim + 1


def _as_lifecycle_events(events: list[AuditEvent]) -> list[Event]:
    return [
        Event(
            type=e.type,
            item=e.stream.split(":", 1)[1],
            actor=e.actor,
            at=e.at,
            payload=e.payload,
            verdicts=e.verdicts,
        )
        for e in events
    ]


def test_every_stream_replays_to_a_state_of_its_lifecycle() -> None:
    streams: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in season().log.events:
        streams[event.stream].append(event)
    finals = defaultdict(int)
    for stream, events in streams.items():
        kind = stream.split(":", 1)[0]
        if kind == "vote":
            continue
        lifecycle = PROJECT if kind == "project" else TOPIC
        moved = [e for e in events if e.type not in ("project.proposed", "topic.raised")]
        state = replay(lifecycle, _as_lifecycle_events(moved))
        finals[(kind, state)] += 1
    assert finals[("project", "closed")] == season().projects_closed
    assert finals[("project", "rejected")] == season().projects_rejected
    assert finals[("topic", "converted")] == season().topics_converted


def test_votes_use_the_preset_in_force() -> None:
    tallies = [e for e in season().log.events if e.type == "vote.tallied"]
    assert tallies
    assert {e.payload["preset"] for e in tallies} == {"residents_meeting_2025"}
    for event in tallies:
        assert {v.rule.split(".")[0] for v in event.verdicts} == {"quorum", "majority"}


def test_fund_year_conserves_money_and_returns_the_rest_to_the_pool() -> None:
    from microgov.datasets import meilan_xihu
    from microgov.funds import EXTERNAL, TOWN_POOL, Account
    from microgov.simulation import simulate_fund_year

    y = simulate_fund_year(meilan_xihu(), seed=11, areas=6)
    ledger = y.ledger
    assert ledger.total().fen == 0
    assert all(ledger.balance(Account.area(a)).fen == 0 for a in y.area_budgets)
    put_in = sum(m.fen for m in y.area_budgets.values()) + y.pool.fen
    spent = 0
    for project in y.mes.selected:
        posting = ledger.posted(f"spend:{project}")
        assert posting is not None
        amount = posting.delta(Account.project(project)).fen
        if project != y.cancelled:
            assert -amount == int(y.instance.project(project).cost)  # the whole grant
        spent -= amount
    # every fen put in is either spent by a project or back in the town pool
    assert ledger.balance(TOWN_POOL).fen + spent == put_in
    assert ledger.balance(EXTERNAL).fen == spent - put_in
    assert all(ledger.balance(Account.project(p)).fen == 0 for p in y.mes.selected)
    granted = sum(int(y.instance.project(p).cost) for p in y.mes.selected)
    assert y.mes.cost == granted
    assert y.mes.cost <= sum(m.fen for m in y.area_budgets.values()) + y.pool.fen
    assert y.cancelled in y.mes.selected
    assert ledger.posted(f"refund:{y.cancelled}") is not None
    assert y.served(y.mes) >= 1
