"""Several funds and headings: eligibility, caps, fill order, overlap, partial funding,
officers' overrides in the explanation and in the ledger."""

from __future__ import annotations

import functools
from datetime import datetime
from fractions import Fraction

import pytest

from microgov.calendar import SHANGHAI
from microgov.errors import FundsError
from microgov.funds import (
    Account,
    AllocationInstance,
    Heading,
    Ledger,
    Money,
    Outcome,
    Override,
    OverrideAction,
    Proposal,
    allocate_headings,
    allocation_postings,
    equal_shares,
    fund_heading,
    greedy,
)

AT = datetime(2026, 4, 1, 9, tzinfo=SHANGHAI)


def _instance() -> AllocationInstance:
    # fen: 60,000 = ¥600
    return AllocationInstance(
        budget=0,
        projects=[
            Proposal(id="rack", cost=60_000, scope="A", categories=["facilities"]),
            Proposal(id="path", cost=50_000, scope="A", categories=["green"]),
            Proposal(id="garden", cost=40_000, scope="B", categories=["green"]),
            Proposal(id="ev", cost=90_000, scope="B", categories=["facilities"]),
        ],
        ballots=[{"rack", "path"}] * 5 + [{"garden"}] * 4 + [{"ev"}] * 3 + [{"path"}] * 2,
    )


HEADINGS = [
    Heading(id="area-A", budget=70_000, scopes=["A"]),
    Heading(id="area-B", budget=50_000, scopes=["B"]),
    Heading(id="green", budget=60_000, categories=["green"], cap=55_000),
]


def test_each_heading_pays_what_it_may() -> None:
    result = allocate_headings(_instance(), HEADINGS)
    paid = {e.project: e.grants for e in result.explanations if e.funded}
    # area A: path (7 votes) first, then rack does not fit in the 20,000 left
    assert paid["path"] == (("area-A", 50_000),)
    assert paid["garden"] == (("area-B", 40_000),)
    # rack is in A's scope but not green: no other heading may pay for it
    assert result.explanation("rack").outcome is Outcome.DOES_NOT_FIT
    # ev is not green and over area B's money: not funded
    assert not result.explanation("ev").funded
    assert result.budget == 180_000
    assert result.cost == 90_000
    assert result.rule == "headings(greedy)"


def test_overlapping_headings_fill_in_order() -> None:
    inst = _instance()
    # "path" is eligible under area-A and under green; fill green first and it pays
    first_green = [HEADINGS[2], HEADINGS[0], HEADINGS[1]]
    result = allocate_headings(inst, first_green)
    assert result.explanation("path").grants == (("green", 50_000),)
    # then area A still has all its money, and funds rack
    assert result.explanation("rack").grants == (("area-A", 60_000),)
    # garden (green, B) was not reached by green (10,000 left), area-B pays it
    assert result.explanation("garden").grants == (("area-B", 40_000),)
    # the other order: area A pays path, green pays garden, area B has room for nothing
    other = allocate_headings(inst, HEADINGS)
    assert other.explanation("path").grants == (("area-A", 50_000),)
    assert other.explanation("garden").grants == (("area-B", 40_000),)


def test_a_project_eligible_nowhere_says_so() -> None:
    inst = AllocationInstance(
        budget=0,
        projects=[Proposal(id="x", cost=1, scope="C"), Proposal(id="y", cost=1, scope="A")],
        ballots=[{"x"}, {"y"}],
    )
    result = allocate_headings(inst, [Heading(id="area-A", budget=5, scopes=["A"])])
    assert result.explanation("x").outcome is Outcome.NO_HEADING
    assert "not eligible under any heading" in result.explanation("x").describe()
    assert result.selected == ("y",)


def test_a_heading_cap_makes_a_project_ineligible_there() -> None:
    heading = Heading(id="small-works", budget=100_000, cap=45_000)
    result = allocate_headings(_instance(), [heading])
    assert result.selected == ("garden",)


def test_partial_funding_and_top_up_by_a_later_heading() -> None:
    inst = AllocationInstance(
        budget=0,
        projects=[Proposal(id="big", cost=100), Proposal(id="small", cost=30)],
        ballots=[{"big"}] * 3 + [{"small"}],
    )
    partly = Heading(id="self-gov", budget=70, partial=True)
    alone = allocate_headings(inst, [partly])
    # greedy: big (3 votes) does not fit, small does; the 40 left go to big, partly
    big = alone.explanation("big")
    assert alone.explanation("small").grants == (("self-gov", 30),)
    assert big.outcome is Outcome.FUNDED_PARTIALLY
    assert big.paid == 40
    assert big.grants == (("self-gov", 40),)
    assert "partly funded (40 from self-gov)" in big.describe()
    assert alone.cost == 70
    assert "big" in alone.selected
    topped = allocate_headings(inst, [partly, Heading(id="town", budget=80)])
    big = topped.explanation("big")
    assert big.outcome is Outcome.FUNDED
    assert big.paid == 100
    assert big.grants == (("self-gov", 40), ("town", 60))
    assert topped.cost == 130


def test_any_rule_runs_under_headings() -> None:
    mes = functools.partial(equal_shares, completion="add1")
    result = allocate_headings(_instance(), HEADINGS, rule=mes)
    assert result.rule == "headings(mes-add1)"
    assert result.cost <= result.budget


def test_an_override_shows_in_the_explanation_and_the_ledger() -> None:
    inst = _instance()
    fund_ev = Override(
        project="ev",
        action=OverrideAction.FUND,
        reason="charging posts promised after the 2025 fire inspection",
        author="officer Wang (罗店镇)",
        heading="area-B",
    )
    skip_path = Override(
        project="path", action=OverrideAction.SKIP, reason="site not ready", author="officer Li"
    )
    headings = [HEADINGS[0], Heading(id="area-B", budget=100_000, scopes=["B"]), HEADINGS[2]]
    result = allocate_headings(inst, headings, overrides=[fund_ev, skip_path])
    ev, path = result.explanation("ev"), result.explanation("path")
    assert ev.outcome is Outcome.FUNDED_BY_OVERRIDE
    assert ev.override == fund_ev
    assert ev.grants == (("area-B", 90_000),)
    assert "officer override by officer Wang (罗店镇): fund" in ev.describe()
    assert "人工调整（officer Wang (罗店镇)）" in ev.describe("zh")
    assert path.outcome is Outcome.SKIPPED_BY_OVERRIDE
    assert "site not ready" in path.describe()
    # the override took 90,000 of area B before its rule ran: green pays garden
    assert result.explanation("garden").grants == (("green", 40_000),)
    assert result.explanation("rack").grants == (("area-A", 60_000),)
    data = result.to_dict()["explanations"]
    assert any(e["override"] and e["override"]["author"] == "officer Li" for e in data)  # type: ignore[index, union-attr]

    ledger = Ledger()
    for h in headings:
        ledger = ledger.post(
            fund_heading(Account.heading(h.id), Money(fen=int(h.budget)), id=h.id, at=AT)
        )
    for posting in allocation_postings(result, id="alloc-2026", at=AT):
        ledger = ledger.post(posting)
    history = ledger.history(Account.project("ev"))
    assert [p.id for p in history] == ["alloc-2026:ev:area-B"]
    assert "officer Wang" in history[0].memo_en
    assert "charging posts" in history[0].memo_zh
    assert ledger.balance(Account.project("ev")) == Money(fen=90_000)
    assert ledger.balance(Account.heading("green")) == Money(fen=20_000)
    assert ledger.balance(Account.heading("area-B")) == Money(fen=10_000)
    assert not ledger.history(Account.project("path"))


def test_postings_go_to_the_right_heading_account() -> None:
    result = allocate_headings(_instance(), HEADINGS)
    area_a = Account.area("A")
    postings = allocation_postings(result, id="a", at=AT, accounts={"area-A": area_a})
    payers = {p.entries[1][0].id: p.entries[0][0] for p in postings}
    assert payers == {"path": area_a, "garden": Account.heading("area-B")}
    # posting twice posts each grant once
    ledger = Ledger(allow_overdraft=[area_a, Account.heading("area-B")])
    for p in postings + allocation_postings(result, id="a", at=AT, accounts={"area-A": area_a}):
        ledger = ledger.post(p)
    assert len(ledger.postings) == 2


def test_postings_of_a_plain_allocation_need_a_source() -> None:
    inst = AllocationInstance(budget=100, projects=[Proposal(id="p", cost=100)], ballots=[{"p"}])
    with pytest.raises(FundsError) as info:
        allocation_postings(greedy(inst), id="x", at=AT)
    assert info.value.code == "funds.no_source"
    (posting,) = allocation_postings(greedy(inst), id="x", at=AT, source=Account.area("A"))
    assert posting.delta(Account.project("p")) == Money(fen=100)
    halves = AllocationInstance(
        budget=1, projects=[Proposal(id="p", cost=Fraction(1, 2))], ballots=[{"p"}]
    )
    with pytest.raises(FundsError) as info:
        allocation_postings(greedy(halves), id="x", at=AT, source=Account.area("A"))
    assert info.value.code == "funds.not_whole_fen"


@pytest.mark.parametrize(
    ("headings", "overrides", "code"),
    [
        ([Heading(id="h", budget=1), Heading(id="h", budget=2)], [], "funds.duplicate_heading"),
        (
            [Heading(id="h", budget=1)],
            [Override(project="nope", action=OverrideAction.SKIP, reason="r", author="a")],
            "funds.unknown_project",
        ),
        (
            [Heading(id="h", budget=1)],
            [Override(project="rack", action=OverrideAction.FUND, reason="r", author="a")],
            "funds.override_does_not_fit",
        ),
        (
            [Heading(id="h", budget=10**6)],
            [
                Override(
                    project="rack", action=OverrideAction.FUND, reason="r", author="a", heading="x"
                )
            ],
            "funds.unknown_heading",
        ),
        (
            [Heading(id="h", budget=10**6)],
            [Override(project="rack", action=OverrideAction.SKIP, reason="r", author="a")] * 2,
            "funds.duplicate_override",
        ),
    ],
)
def test_bad_headings_and_overrides_are_refused(
    headings: list[Heading], overrides: list[Override], code: str
) -> None:
    with pytest.raises(FundsError) as info:
        allocate_headings(_instance(), headings, overrides=overrides)
    assert info.value.code == code


def test_overrides_need_a_reason_and_an_author() -> None:
    with pytest.raises(FundsError) as info:
        Override(project="p", action=OverrideAction.SKIP, reason=" ", author="a")
    assert info.value.code == "funds.bad_override"
    assert info.value.message_zh
    with pytest.raises(FundsError):
        Heading(id="h", budget=-1)
