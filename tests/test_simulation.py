"""The simulated season and fund year: clients of the service, deterministic, verified."""

from __future__ import annotations

import ast
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import attrs

import microgov.simulation
from microgov.audit import AuditEvent, verify
from microgov.datasets import meilan_xihu
from microgov.funds import EXTERNAL, TOWN_POOL, Account
from microgov.lifecycle import PROJECT, TOPIC, Event, replay
from microgov.simulation import FundYear, Season, simulate_fund_year, simulate_season


@cache
def season() -> Season:
    return simulate_season(meilan_xihu(), seed=11, start=date(2026, 3, 2), areas=6)


@cache
def events() -> tuple[AuditEvent, ...]:
    return season().store.read_all()


@cache
def fund_year() -> FundYear:
    return simulate_fund_year(meilan_xihu(), seed=11, areas=6)


def test_same_seed_same_season_other_seed_other_season() -> None:
    again = simulate_season(meilan_xihu(), seed=11, start=date(2026, 3, 2), areas=6)
    assert again == season()
    assert again.audit.head == season().audit.head
    other = simulate_season(meilan_xihu(), seed=12, start=date(2026, 3, 2), areas=6)
    assert other.audit.head != season().audit.head


def test_figures_add_up_and_match_the_store() -> None:
    s = season()
    assert s.topics_raised == s.topics_converted + s.topics_resolved
    assert s.projects_proposed == s.topics_converted
    assert s.projects_closed + s.projects_rejected <= s.projects_proposed
    assert s.projects_closed <= s.projects_funded
    assert s.votes == s.projects_proposed
    assert 0 < s.hands_raised <= s.households_entitled
    kinds = [e.type for e in events()]
    assert kinds.count("project.closed") == s.projects_closed
    assert kinds.count("project.rejected") == s.projects_rejected
    assert kinds.count("project.funded") == s.projects_funded
    assert kinds.count("topic.raised") == s.topics_raised
    assert kinds.count("vote.hand_raised") >= s.hands_raised


def test_the_chain_verifies_from_the_store_and_tampering_is_found() -> None:
    s = season()
    assert s.audit.ok
    assert s.audit.count == len(events())
    chain = list(events())
    victim = next(i for i, e in enumerate(chain) if e.type == "project.accepted")
    forged = attrs.evolve(chain[victim], actor="someone-else")
    report = verify([*chain[:victim], forged, *chain[victim + 1 :]], genesis=s.store.genesis)
    assert not report.ok
    assert report.findings[0].sequence == victim + 1


def _lifecycle(events: list[AuditEvent]) -> list[Event]:
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


def test_every_project_and_topic_replays_to_the_state_the_service_recorded() -> None:
    streams: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in events():
        streams[event.stream].append(event)
    finals: dict[tuple[str, str], int] = defaultdict(int)
    for stream, items in streams.items():
        kind = stream.split(":", 1)[0]
        if kind not in ("project", "topic"):
            continue
        table = PROJECT if kind == "project" else TOPIC
        moves = [e for e in items if e.type in {t.event for t in table.transitions}]
        state = replay(table, _lifecycle(moves))
        recorded = [e.payload["state"] for e in items if "state" in e.payload]
        assert state == recorded[-1], stream
        finals[(kind, state)] += 1
    assert finals[("project", "closed")] == season().projects_closed
    assert finals[("project", "rejected")] == season().projects_rejected
    assert finals[("topic", "converted")] == season().topics_converted


def test_votes_are_counted_under_the_preset_in_force() -> None:
    closed = [e for e in events() if e.type == "vote.closed"]
    assert len(closed) == season().votes
    assert {e.payload["preset"] for e in closed} == {"residents_meeting_2025"}
    for event in closed:
        assert {v.rule.split(".")[0] for v in event.verdicts} == {"quorum", "majority"}
    accepted = {e.stream.split(":", 1)[1] for e in events() if e.type == "project.accepted"}
    passed = {str(e.payload["project"]) for e in closed if e.payload["passed"] is True}
    assert accepted == passed


def test_the_simulation_is_a_client_of_the_service() -> None:
    """No lifecycle.apply, no EventDraft, no ledger postings in the story: the service decides."""
    forbidden = {"EventDraft", "AuditLog", "postings_for_event", "Command", "Context"}
    for path in Path(microgov.simulation.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not forbidden & names, (path.name, forbidden & names)
        assert not {"microgov.lifecycle", "microgov.audit._log"} & modules, path.name


def test_fund_year_conserves_money_and_returns_the_rest_to_the_pool() -> None:
    y = fund_year()
    ledger = y.ledger
    assert ledger.total().fen == 0
    assert all(ledger.balance(Account.area(a)).fen == 0 for a in y.area_budgets)
    put_in = sum(p.delta(EXTERNAL).fen for p in ledger.postings if p.id.startswith("budget:"))
    spent = sum(p.delta(EXTERNAL).fen for p in ledger.postings if p.id.startswith("spend:"))
    # every fen put in is either spent by a project or back in the town pool
    assert ledger.balance(TOWN_POOL).fen == -put_in - spent
    assert all(ledger.balance(Account.project(p)).fen == 0 for p in y.mes.selected)
    assert y.mes.cost <= sum(m.fen for m in y.area_budgets.values()) + y.pool.fen
    assert y.cancelled in y.mes.selected
    assert ledger.posted(f"refund:{y.cancelled}") is not None
    for project in y.mes.selected:
        tranches = [p for p in ledger.postings if p.id.startswith(f"tranche:{project}:")]
        assert len(tranches) == (1 if project == y.cancelled else 2)
    assert y.served(y.mes) >= 1
    assert y.returned.fen > 0


def test_fund_year_is_deterministic() -> None:
    assert simulate_fund_year(meilan_xihu(), seed=11, areas=6) == fund_year()
