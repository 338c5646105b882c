"""The whole raise-hand life of projects through the service, on every store."""

from __future__ import annotations

from datetime import timedelta

from microgov.service import Service, sandbox, walk_to
from microgov.store import EventStore
from microgov.voting import Choice


def _views(service: Service) -> object:
    return (
        service.projects("town"),
        [service.vote(v) for p in service.projects("town") for v in p.votes],
        service.balances(),
        service.topics("town"),
    )


def test_topic_to_closed_project_with_money(store: EventStore) -> None:
    service, clock = sandbox(store)
    # a resident raises a topic; the social worker answers and turns it into a project
    service.raise_topic("c1", actor="r2", topic="t-1", scope="a", title_zh="晾衣架老化")
    clock.advance(timedelta(hours=3))
    service.advance_topic("c2", actor="sw-a", topic="t-1", command="acknowledge")
    service.convert_topic(
        "c3", actor="sw-a", topic="t-1", project="p-1", title_zh="晾衣架更换", cost_fen=400_000
    )
    project = service.project("p-1")
    assert (project.scope, project.origin, project.proposer) == ("a", "t-1", "r2")
    assert service.topics("a")[0].response_time == timedelta(hours=3)
    # solicitation, hands called, the vote with real hands (one replaced, one withdrawn)
    service.advance_project("c4", actor="sw-a", project="p-1", command="open_solicitation")
    service.comment("c5", actor="r3", project="p-1", text="支持")
    clock.advance(timedelta(days=5))
    service.advance_project("c6", actor="sec-a", project="p-1", command="raise_hands")
    service.open_vote("c7", actor="sec-a", project="p-1", vote="v-1", question_zh="是否同意？")
    assert service.project("p-1").next_deadline is not None
    clock.advance(timedelta(hours=1))
    service.raise_hand("c8", actor="r1", vote="v-1", choice=Choice.IN_FAVOUR)
    service.raise_hand("c9", actor="r2", vote="v-1", choice=Choice.AGAINST)
    service.withdraw_hand("c10", actor="r2", vote="v-1")
    service.raise_hand("c11", actor="r2", vote="v-1", choice=Choice.IN_FAVOUR)
    service.record_hands(
        "c12", actor="gl-a", vote="v-1", hands=[("r3", Choice.IN_FAVOUR), ("r4", Choice.ABSTAIN)]
    )
    clock.set(service.vote("v-1").closes_at)
    service.close_vote("c13", actor="sec-a", vote="v-1")
    tally = service.vote("v-1")
    assert (tally.passed, tally.present, tally.in_favour, tally.entitled) == (True, 4, 3, 4)
    service.advance_project("c14", actor="sec-a", project="p-1", command="accept")
    service.advance_project("c15", actor="sw-a", project="p-1", command="publish_decision")
    # an allocation round funds it from the area's fund, with the first tranche
    service.run_round("c16", actor="sec-town", round="2026-spring", rule="mes")
    explained = service.round("2026-spring")["explanations"]
    assert [e["project"] for e in explained] == ["p-1"]  # type: ignore[index, union-attr]
    funded = service.project("p-1")
    assert (funded.state, funded.grant_fen, funded.paid_fen) == ("funded", 400_000, 200_000)
    assert service.balance("a").fen == 1_000_000 - 200_000
    # works, progress by a named talent, checks, completion
    service.advance_project("c17", actor="sw-a", project="p-1", command="start")
    service.name_helper("c18", actor="sw-a", project="p-1", person="r4")
    service.advance_project(
        "c19", actor="r4", project="p-1", command="record_progress", percent=60, milestone="拆除"
    )
    service.report_progress("c20", actor="r1", project="p-1", percent=70)
    service.record_spending("c21", actor="sw-a", project="p-1", amount_fen=150_000)
    clock.advance(timedelta(days=10))
    service.record_check("c22", actor="gl-a", project="p-1", check="safety", passed=True)
    service.record_check("c23", actor="sec-a", project="p-1", check="quality", passed=True)
    service.advance_project("c24", actor="sec-a", project="p-1", command="complete")
    # 公示, an objection and its resolution, scores, evaluation after the notice period
    service.advance_project("c25", actor="sw-a", project="p-1", command="publicise")
    for n, mark in ((1, 90), (2, 70), (3, 65)):
        service.score(f"c26-{n}", actor=f"r{n}", project="p-1", score=mark)
    service.advance_project("c27", actor="r4", project="p-1", command="object")
    service.resolve_objection("c28", actor="sec-a", project="p-1", objection="p-1:o1")
    service.advance_project("c29", actor="sec-a", project="p-1", command="resume")
    deadline = service.project("p-1").next_deadline
    assert deadline is not None
    assert deadline.kind == "notice_ends"
    clock.set(deadline.at + timedelta(hours=9))
    service.advance_project("c30", actor="sec-a", project="p-1", command="evaluate")
    after = service.project("p-1")
    assert (after.state, after.paid_fen) == ("evaluated", 400_000)
    service.advance_project("c31", actor="sec-a", project="p-1", command="close")
    closed = service.project("p-1")
    assert closed.state == "closed"
    assert closed.percent == 60
    assert closed.milestones == ("拆除",)
    assert closed.comments == 1
    assert closed.scores == 3
    assert store.verify().ok
    # a second service over the same store holds the same facts
    assert _views(Service(store, clock=clock, name="town")) == _views(service)


def test_cancellation_refunds_what_was_not_spent(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "in_progress")
    service.record_spending("s1", actor="sw-a", project="p-1", amount_fen=50_000)
    before = service.balance("a").fen
    service.advance_project("x1", actor="sec-a", project="p-1", command="cancel")
    view = service.project("p-1")
    assert (view.state, view.held_fen, view.grant_fen) == ("cancelled", 0, None)
    assert service.balance("a").fen == before + 100_000  # the half paid, less 50,000 spent
    assert service.ledger().total().fen == 0
    assert store.verify().ok


def test_year_end_returns_unpromised_money_to_the_pool(store: EventStore) -> None:
    service, clock = sandbox(store)
    walk_to(service, clock, "p-1", "funded")  # promises 300,000 of a's 1,000,000
    service.close_year("y1", actor="sec-town", year=2026)
    assert service.balance("a").fen == 150_000  # the second tranche stays promised
    assert service.balance().fen == 1_000_000 - 300_000 + 500_000
    walk_to(service, clock, "p-1", "evaluated")
    assert service.project("p-1").paid_fen == 300_000
    assert service.balance("a").fen == 0


def test_a_retry_returns_the_first_receipt_and_writes_nothing(store: EventStore) -> None:
    service, clock = sandbox(store)
    first = service.propose_project(
        "same", actor="r1", project="p-1", scope="a", title_zh="x", cost_fen=1
    )
    head = store.head
    clock.advance(timedelta(minutes=5))
    again = service.propose_project(
        "same", actor="r1", project="p-1", scope="a", title_zh="x", cost_fen=1
    )
    assert again == first
    assert again.retried
    assert store.head == head
    other = Service(store, clock=clock, name="town")
    assert other.propose_project(
        "same", actor="r1", project="p-1", scope="a", title_zh="x", cost_fen=1
    ).retried


def test_a_sheet_of_many_hands_gets_one_receipt_with_every_position_in_order() -> None:
    service, clock = sandbox()
    walk_to(service, clock, "p-1", "voting")
    sheet = [("r1", Choice.IN_FAVOUR), ("r3", Choice.AGAINST), ("r4", Choice.ABSTAIN)]
    receipt = service.record_hands("sheet-1", actor="sw-a", vote="p-1-vote", hands=sheet)
    first = receipt.positions[0]
    assert receipt.positions == (first, first + 1, first + 2)
    assert receipt.types == ("vote.hand_raised",) * 3
    again = service.record_hands("sheet-1", actor="sw-a", vote="p-1-vote", hands=sheet)
    assert (again.positions, again.types, again.retried) == (
        receipt.positions,
        receipt.types,
        True,
    )
    assert isinstance(again.positions, tuple)
    assert isinstance(again.types, tuple)
