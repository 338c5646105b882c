"""Attacks on the front door: each refused with its reason code, nothing written."""

from __future__ import annotations

import multiprocessing
from datetime import datetime
from pathlib import Path

import pytest

from microgov._time import SHANGHAI
from microgov.service import CommandRefused, ManualClock, Service, sandbox, walk_to
from microgov.store import EventStore, SQLiteStore
from microgov.voting import Choice


def _refused(store: EventStore, code: str, call: object, *args: object, **kwargs: object) -> None:
    head = store.head
    with pytest.raises(CommandRefused) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    assert info.value.code == code, info.value
    assert info.value.message_zh
    assert info.value.message_en
    assert store.head == head  # nothing written


def test_a_command_cannot_carry_its_own_verdicts(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "hand_raised")
    with pytest.raises(TypeError):
        service.advance_project(  # type: ignore[call-arg]
            "x", actor="sec-a", project="p-1", command="accept", verdicts=("passed",)
        )
    _refused(
        store,
        "vote.no_tally",
        service.advance_project,
        "x",
        actor="sec-a",
        project="p-1",
        command="accept",
    )


def test_a_failed_tally_cannot_accept(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "voting")
    service.raise_hand("h1", actor="r1", vote="p-1-vote", choice=Choice.IN_FAVOUR)
    clock.set(service.vote("p-1-vote").closes_at)
    service.close_vote("cv", actor="sec-a", vote="p-1-vote")  # 1 of 4 present: no quorum
    _refused(
        store,
        "vote.not_passed",
        service.advance_project,
        "x",
        actor="sec-a",
        project="p-1",
        command="accept",
    )
    service.advance_project("rej", actor="sec-a", project="p-1", command="reject")
    assert service.project("p-1").state == "rejected"


def test_a_hand_from_outside_the_scope_or_a_second_hand_is_refused(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "voting")
    _refused(
        store,
        "voting.outside_scope",
        service.raise_hand,
        "h",
        actor="r5",
        vote="p-1-vote",
        choice=Choice.IN_FAVOUR,
    )
    _refused(
        store,
        "voting.unknown_voter",
        service.raise_hand,
        "h",
        actor="stranger",
        vote="p-1-vote",
        choice=Choice.IN_FAVOUR,
    )
    service.raise_hand("h1", actor="r1", vote="p-1-vote", choice=Choice.IN_FAVOUR)
    _refused(
        store,
        "voting.second_hand",
        service.raise_hand,
        "h2",
        actor="r1",
        vote="p-1-vote",
        choice=Choice.AGAINST,
    )
    _refused(
        store,
        "voting.second_hand",
        service.record_hands,
        "sheet",
        actor="gl-a",
        vote="p-1-vote",
        hands=[("r2", Choice.IN_FAVOUR), ("r1", Choice.AGAINST)],
    )
    assert service.vote("p-1-vote").hands == 1


def test_acting_on_a_project_of_another_area_is_refused(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "counted")
    # the project's scope is stored: an official of area b cannot act on it
    _refused(
        store,
        "auth.outside_jurisdiction",
        service.advance_project,
        "x",
        actor="sec-b",
        project="p-1",
        command="accept",
    )
    _refused(
        store,
        "auth.outside_jurisdiction",
        service.comment,
        "x",
        actor="r5",
        project="p-1",
        text="我来自乙小区",
    )
    with pytest.raises(TypeError):
        service.advance_project(  # type: ignore[call-arg]
            "x", actor="sec-b", project="p-1", command="accept", scope="b"
        )


def test_evaluation_waits_for_the_notice_period_across_national_day(store: EventStore) -> None:
    service, clock = sandbox(store)
    clock.set(datetime(2026, 9, 1, 9, tzinfo=SHANGHAI))
    walk_to(service, clock, "p-1", "completed")
    clock.set(datetime(2026, 9, 29, 10, tzinfo=SHANGHAI))
    service.advance_project("pub", actor="sw-a", project="p-1", command="publicise")
    for n in (1, 2, 3):
        service.score(f"s{n}", actor=f"r{n}", project="p-1", score=80)
    deadline = service.project("p-1").next_deadline
    # 5 working days after 29 Sep: 30 Sep, 8, 9, 10 (Saturday, a make-up day), 12 Oct
    assert deadline is not None
    assert deadline.at == datetime(2026, 10, 13, tzinfo=SHANGHAI)
    for day in (7, 12):  # counting calendar days / forgetting the holiday or the make-up day
        clock.set(datetime(2026, 10, day, 17, tzinfo=SHANGHAI))
        _refused(
            store,
            "notice.running",
            service.advance_project,
            f"ev{day}",
            actor="sec-a",
            project="p-1",
            command="evaluate",
        )
    clock.set(datetime(2026, 10, 13, 9, tzinfo=SHANGHAI))
    service.advance_project("ev", actor="sec-a", project="p-1", command="evaluate")
    assert service.project("p-1").state == "evaluated"


def test_an_outstanding_objection_blocks_resumption(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "suspended")
    _refused(
        store,
        "objection.outstanding",
        service.advance_project,
        "x",
        actor="sec-a",
        project="p-1",
        command="resume",
    )


def test_completion_needs_recorded_checks_and_evaluation_needs_scores(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "in_progress")
    _refused(
        store,
        "verdicts.none",
        service.advance_project,
        "x",
        actor="sec-a",
        project="p-1",
        command="complete",
    )
    _refused(
        store,
        "auth.outside_jurisdiction",
        service.record_check,
        "x",
        actor="r1",
        project="p-1",
        check="safety",
        passed=True,
    )
    service.record_check("k", actor="gl-a", project="p-1", check="safety", passed=False)
    _refused(
        store,
        "verdicts.failed",
        service.advance_project,
        "x",
        actor="sec-a",
        project="p-1",
        command="complete",
    )


def test_funding_more_than_the_area_holds_is_refused(store: EventStore) -> None:
    service, clock = sandbox(store)
    service.propose_project(
        "big", actor="r1", project="p-big", scope="a", title_zh="大项目", cost_fen=1_000_001
    )
    for name in ("open_solicitation", "raise_hands"):
        service.advance_project(f"big-{name}", actor="sec-a", project="p-big", command=name)
    service.open_vote("bv", actor="sec-a", project="p-big", vote="bv", question_zh="?")
    for n in (1, 2, 3):
        service.raise_hand(f"bh{n}", actor=f"r{n}", vote="bv", choice=Choice.IN_FAVOUR)
    clock.set(service.vote("bv").closes_at)
    service.close_vote("bc", actor="sec-a", vote="bv")
    service.advance_project("ba", actor="sec-a", project="p-big", command="accept")
    service.advance_project("bp", actor="sec-a", project="p-big", command="publish_decision")
    _refused(
        store, "funds.insufficient", service.fund_project, "bf", actor="sec-a", project="p-big"
    )
    assert service.project("p-big").state == "established"


def _fund_in_process(path: str, project: str, barrier: object, out: object) -> None:
    clock = ManualClock(datetime(2026, 6, 1, 9, tzinfo=SHANGHAI))
    with SQLiteStore(path) as store:
        service = Service(store, clock=clock, name="town")
        barrier.wait()  # type: ignore[attr-defined]
        try:
            service.fund_project(f"fund-{project}", actor="sec-a", project=project)
            out.put("funded")  # type: ignore[attr-defined]
        except CommandRefused as err:
            out.put(err.code)  # type: ignore[attr-defined]


def test_two_processes_funding_at_once_never_overspend(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    with SQLiteStore(path) as store:
        service, clock = sandbox(store)
        # area a holds 1,000,000; p-3 and p-4 take 600,000, leaving room for one more
        walk_to(service, clock, "p-3", "funded")
        walk_to(service, clock, "p-4", "funded")
        walk_to(service, clock, "p-1", "established")  # 300,000 each
        walk_to(service, clock, "p-2", "established")
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=_fund_in_process, args=(path, p, barrier, out)) for p in ("p-1", "p-2")
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
    results = sorted(out.get(timeout=5) for _ in procs)
    assert results == ["funded", "funds.insufficient"]
    with SQLiteStore(path) as store:
        again = Service(
            store, clock=ManualClock(datetime(2026, 7, 1, tzinfo=SHANGHAI)), name="town"
        )
        assert again.ledger().total().fen == 0
        assert all(
            m.fen >= 0 for a, m in again.ledger().balances().items() if a.kind.value != "external"
        )
        assert store.verify().ok
