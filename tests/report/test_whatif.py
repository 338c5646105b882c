"""What-if replay: the recorded facts re-decided under another policy book or rule."""

from __future__ import annotations

import io
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from microgov.cli import main
from microgov.datasets import meilan_xihu
from microgov.policy import PolicyBook, PolicySet
from microgov.report import (
    ReportError,
    copy_events,
    record_demo,
    recorded_facts,
    what_if,
)
from microgov.simulation import simulate_season
from microgov.store import MemoryStore, SQLiteStore

VILLAGE = """
format = "microgov.policy_book"
version = 1
[defaults]
quorum_family = "village_meeting"
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("whatif") / "demo.db"
    with SQLiteStore(path, durable=False) as store:
        record_demo(store, areas=8)
    return path


@pytest.fixture(scope="module")
def facts(demo_db: Path):  # type: ignore[no-untyped-def]
    with SQLiteStore(demo_db) as store:
        return recorded_facts(store.read_all())


# (2026, 8) is the demo_db fixture's year: its simulations are shared within a test run.
@pytest.mark.parametrize(("seed", "areas"), [(1, 3), (2026, 8)])
def test_same_policy_reproduces_every_recorded_decision(seed: int, areas: int) -> None:
    h = meilan_xihu()
    with SQLiteStore(":memory:", durable=False) as store:
        record_demo(store, seed=seed, areas=areas)
        facts = recorded_facts(store.read_all())
        head = store.head
        result = what_if(facts, h, verify=True)
        assert store.head == head  # nothing written
    assert result.reproduced
    assert result.changes == ()
    assert len(facts.votes) > 0
    (rnd,) = result.rounds
    assert rnd.reproduced is True
    assert rnd.added == ()
    assert rnd.removed == ()
    assert all(a.delta == 0 for a in rnd.areas)


def test_a_season_without_money_reproduces_too() -> None:
    season = simulate_season(meilan_xihu(), seed=11, start=date(2026, 3, 2), areas=4)
    store = copy_events(season.log.events, MemoryStore())
    result = what_if(recorded_facts(store.read_all()), meilan_xihu())
    assert result.reproduced
    assert result.rounds == ()


def test_village_quorum_rejects_projects_below_two_thirds(facts) -> None:  # type: ignore[no-untyped-def]
    village = PolicyBook(defaults=PolicySet(quorum_family="village_meeting"))
    result = what_if(facts, meilan_xihu(), policy=village)
    by_vote = {v.vote: v for v in facts.votes}
    expected = [
        v.vote for v in facts.votes if v.passed and Fraction(v.present, v.entitled) < Fraction(2, 3)
    ]
    assert expected  # the demo year has acceptances below two thirds
    assert [c.vote for c in result.changes] == expected
    for change in result.changes:
        vote = by_vote[change.vote]
        assert change.recorded.passed
        assert not change.alternative.passed
        quorum = next(v for v in change.alternative.verdicts if v.rule.startswith("quorum."))
        assert quorum.code == "quorum.not_met"
        assert quorum.figures["entitled"] == vote.entitled


def test_greedy_instead_of_mes_changes_the_funded_set(facts) -> None:  # type: ignore[no-untyped-def]
    result = what_if(facts, meilan_xihu(), rule="greedy")
    (rnd,) = result.rounds
    assert rnd.recorded_rule == "mes-add1"
    assert rnd.alternative_rule == "greedy"
    assert rnd.added  # eight areas' year: greedy funds another set
    assert rnd.removed
    assert set(rnd.alternative_selected) == (set(rnd.recorded_selected) - set(rnd.removed)) | set(
        rnd.added
    )
    total = sum(a.alternative for a in rnd.areas)
    (recorded,) = facts.rounds
    cost = {p.id: int(p.cost) for p in recorded.instance.projects}
    assert total == sum(cost[p] for p in rnd.alternative_selected)
    assert 0 <= rnd.pool_left[1] <= recorded.pool


def test_project_cap_leaves_big_projects_out(facts) -> None:  # type: ignore[no-untyped-def]
    capped = PolicyBook(defaults=PolicySet(project_cap_fen=3_000_000))
    result = what_if(facts, meilan_xihu(), policy=capped)
    (rnd,) = result.rounds
    (recorded,) = facts.rounds
    big = {p.id for p in recorded.instance.projects if p.cost > 3_000_000}
    assert big
    assert set(rnd.excluded) == big
    assert big.isdisjoint(rnd.alternative_selected)


def test_minimum_support_is_a_further_hurdle(facts) -> None:  # type: ignore[no-untyped-def]
    strict = PolicyBook(defaults=PolicySet(min_support=Fraction(1, 2)))
    result = what_if(facts, meilan_xihu(), policy=strict)
    assert result.changes
    for change in result.changes:
        assert change.alternative.support is not None
        assert change.alternative.support < Fraction(1, 2)


def test_stricter_sla_target_changes_the_figures(facts) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    strict = PolicyBook(defaults=PolicySet(response_target=timedelta(minutes=30)))
    result = what_if(facts, meilan_xihu(), policy=strict)
    assert result.sla
    assert sum(s.overdue[1] for s in result.sla) >= sum(s.overdue[0] for s in result.sla)


def test_json_is_the_same_diff(facts) -> None:  # type: ignore[no-untyped-def]
    result = what_if(facts, meilan_xihu(), rule="greedy")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["rounds"][0]["added"] == list(result.rounds[0].added)
    assert data["rounds"][0]["households_served"]["alternative"] == result.rounds[0].served[1]


def test_unknown_rule_is_refused(facts) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReportError) as info:
        what_if(facts, meilan_xihu(), rule="lottery")
    assert info.value.code == "report.unknown_rule"


def test_cli_village_and_greedy(demo_db: Path, tmp_path: Path) -> None:
    policy = tmp_path / "village.toml"
    policy.write_text(VILLAGE, encoding="utf-8")
    out = io.StringIO()
    assert main(["what-if", str(demo_db), "--policy", str(policy)], out=out) == 0
    assert "rejected 未通过" in out.getvalue()
    out = io.StringIO()
    assert main(["what-if", str(demo_db), "--rule", "greedy"], out=out) == 0
    text = out.getvalue()
    assert "mes-add1 → greedy" in text
    assert "money per area" in text
    out = io.StringIO()
    assert main(["what-if", str(demo_db), "--rule", "greedy", "--json"], out=out) == 0
    data = json.loads(out.getvalue())
    assert data["rounds"][0]["alternative_rule"] == "greedy"
    assert data["rounds"][0]["areas"]


def test_cli_bad_policy_file_names_the_field(demo_db: Path, tmp_path: Path) -> None:
    policy = tmp_path / "bad.toml"
    policy.write_text(VILLAGE + 'tranches = ["1/2", "1/3"]\n', encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["what-if", str(demo_db), "--policy", str(policy)], out=out, err=err) == 1
    assert "$.defaults.tranches" in err.getvalue()
    out = io.StringIO()
    assert main(["what-if", str(demo_db), "--policy", str(policy), "--json"], out=out) == 1
    error = json.loads(out.getvalue())["error"]
    assert error["exit_code"] == 1
    assert error["problems"][0]["field"] == "$.defaults.tranches"


def test_cli_unusable_store_exits_2(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["what-if", str(tmp_path / "none.db")], out=out, err=err) == 2
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database")
    assert main(["what-if", str(broken)], out=out, err=err) == 2
    with SQLiteStore(tmp_path / "empty.db"):
        pass
    assert main(["what-if", str(tmp_path / "empty.db")], out=out, err=err) == 2
    assert "report.unusable_store" in err.getvalue()
    assert out.getvalue() == ""


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
@pytest.mark.parametrize("rule", ["mes", "greedy"])
def test_a_service_store_replays_to_its_recorded_decisions(
    backend: str, rule: str, tmp_path: Path
) -> None:
    from microgov.service import sandbox, walk_to

    store = MemoryStore() if backend == "memory" else SQLiteStore(tmp_path / "s.db")
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "established")
    service.run_round("r-1", actor="sec-town", round="2026-1", rule=rule)  # type: ignore[arg-type]
    head = store.head
    facts = recorded_facts(store.read_all())
    result = what_if(facts, service.graph, verify=True)
    assert store.head == head  # nothing written
    assert result.reproduced
    assert [v.project for v in facts.votes] == ["p-1"]
    (rnd,) = result.rounds
    assert rnd.reproduced is True
    assert rnd.recorded_selected == ("p-1",)
    other = "greedy" if rule == "mes" else "mes-add1"
    again = what_if(facts, service.graph, rule=other)
    assert again.rounds[0].alternative_selected == ("p-1",)
    store.close()


def test_a_service_store_under_a_stricter_quorum(tmp_path: Path) -> None:
    from microgov.service import sandbox, walk_to

    service, clock = sandbox()
    walk_to(service, clock, "p-1", "established")
    facts = recorded_facts(service.store.read_all())
    assert facts.policy is not None  # the service records its policy book
    (vote,) = facts.votes
    share = Fraction(vote.in_favour, vote.entitled)
    strict = PolicyBook(defaults=PolicySet(min_support=share + Fraction(1, 100)))
    result = what_if(facts, service.graph, policy=strict)
    (change,) = result.changes
    assert change.project == "p-1"
    assert change.recorded.passed
    assert not change.alternative.passed
