"""The double-entry ledger: balance, no overdraft, conservation, idempotent commands."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from microgov._time import SHANGHAI
from microgov.errors import FundsError
from microgov.funds import (
    EXTERNAL,
    TOWN_POOL,
    Account,
    AccountKind,
    Ledger,
    Money,
    Posting,
    close_period,
    fund_area,
    grant_tranche,
    reallocate,
    refund,
    spend,
    tranche_amounts,
)
from profiles import examples

AT = datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)
A1, A2 = Account.area("a1"), Account.area("a2")
P1, P2 = Account.project("p1"), Account.project("p2")


def yuan(n: int) -> Money:
    return Money.of_yuan(n)


def funded() -> Ledger:
    ledger = Ledger().post(fund_area(A1, yuan(100), id="c1", at=AT))
    return ledger.post(fund_area(A2, yuan(50), id="c2", at=AT))


def test_allocate_and_grant_move_money_and_keep_the_total_at_zero() -> None:
    ledger = funded().post(grant_tranche(P1, A1, yuan(30), id="c3", at=AT))
    assert ledger.balance(A1) == yuan(70)
    assert ledger.balance(P1) == yuan(30)
    assert ledger.balance(EXTERNAL) == yuan(-150)
    assert ledger.total() == Money(fen=0)
    assert list(ledger.balances()) == [A1, A2, EXTERNAL, P1]
    assert [p.id for p in ledger.history(A1)] == ["c1", "c3"]
    assert [p.id for p in ledger.history(P2)] == []


def test_post_returns_a_new_ledger_and_leaves_the_old_one_alone() -> None:
    before = funded()
    snapshot = before.balances()
    after = before.post(grant_tranche(P1, A1, yuan(30), id="c3", at=AT))
    assert after != before
    assert before.balances() == snapshot
    assert before.posted("c3") is None


def test_overspending_is_refused_with_account_balance_and_amount() -> None:
    ledger = funded()
    with pytest.raises(FundsError) as info:
        ledger.post(grant_tranche(P1, A2, yuan(51), id="c3", at=AT))
    err = info.value
    assert err.code == "funds.insufficient"
    assert dict(err.details) == {
        "account": "area_fund:a2",
        "balance_fen": 5000,
        "amount_fen": 5100,
        "posting_id": "c3",
    }
    assert "¥50.00" in err.message_en
    assert "¥51.00" in err.message_en
    assert "余额 ¥50.00" in err.message_zh
    assert ledger == funded()


def test_overdraft_is_allowed_only_for_the_accounts_named() -> None:
    ledger = Ledger(allow_overdraft=[TOWN_POOL])
    ledger = ledger.post(reallocate(A1, yuan(5), id="r1", at=AT))
    assert ledger.balance(TOWN_POOL) == yuan(-5)
    with pytest.raises(FundsError, match=r"funds\.insufficient"):
        ledger.post(grant_tranche(P1, A2, yuan(1), id="g1", at=AT))


def test_an_unbalanced_posting_cannot_be_built() -> None:
    with pytest.raises(FundsError) as info:
        Posting(id="x", at=AT, memo_en="", memo_zh="", entries=((A1, yuan(1)), (A2, yuan(-2))))
    assert info.value.code == "funds.unbalanced"
    assert info.value.details["total_fen"] == -100


@pytest.mark.parametrize(
    "entries",
    [
        (),
        ((A1, yuan(0)),),
        ((A1, yuan(1)), (A1, yuan(-1))),
        ((A1, 100), (A2, -100)),
        ((A1,), (A2,)),
        5,
    ],
)
def test_malformed_entries_are_refused(entries: object) -> None:
    with pytest.raises(FundsError) as info:
        Posting(id="x", at=AT, memo_en="", memo_zh="", entries=entries)  # type: ignore[arg-type]
    assert info.value.code == "funds.bad_entries"


def test_naive_times_and_empty_ids_are_refused() -> None:
    with pytest.raises(FundsError, match=r"time\.not_aware"):
        fund_area(A1, yuan(1), id="c1", at=datetime(2026, 1, 1))
    with pytest.raises(FundsError, match=r"funds\.bad_id"):
        fund_area(A1, yuan(1), id="", at=AT)
    with pytest.raises(FundsError, match=r"funds\.bad_id"):
        Account.area("")


def test_helpers_check_kinds_and_amounts() -> None:
    with pytest.raises(FundsError, match=r"funds\.wrong_kind"):
        fund_area(P1, yuan(1), id="c", at=AT)
    with pytest.raises(FundsError, match=r"funds\.wrong_kind"):
        grant_tranche(P1, EXTERNAL, yuan(1), id="c", at=AT)
    with pytest.raises(FundsError, match=r"funds\.wrong_kind"):
        reallocate(TOWN_POOL, yuan(1), id="c", at=AT)
    with pytest.raises(FundsError, match=r"funds\.wrong_kind"):
        spend(A1, yuan(1), id="c", at=AT)
    for bad in (yuan(0), yuan(-1), 100):
        with pytest.raises(FundsError, match=r"funds\.bad_amount"):
            fund_area(A1, bad, id="c", at=AT)  # type: ignore[arg-type]


def test_one_id_names_one_account_kind() -> None:
    ledger = funded()
    with pytest.raises(FundsError, match=r"funds\.account_kind"):
        ledger.post(grant_tranche(Account.project("a1"), A2, yuan(1), id="c9", at=AT))


def test_retrying_a_command_posts_once_and_a_different_retry_is_refused() -> None:
    ledger = funded()
    again = ledger.post(fund_area(A1, yuan(100), id="c1", at=AT))
    assert again is ledger
    assert len(ledger.postings) == 2
    with pytest.raises(FundsError) as info:
        ledger.post(fund_area(A1, yuan(101), id="c1", at=AT))
    assert info.value.code == "funds.conflicting_retry"
    assert info.value.details["posting_id"] == "c1"


def test_refund_returns_what_was_received_and_not_spent() -> None:
    ledger = funded().post(grant_tranche(P1, A1, yuan(60), id="g1", at=AT))
    ledger = ledger.post(spend(P1, yuan(25), id="s1", at=AT))
    posting = refund(ledger, P1, A1, id="r1", at=AT)
    assert posting.delta(P1) == yuan(-35)
    ledger = ledger.post(posting)
    assert ledger.balance(A1) == yuan(75)
    assert ledger.balance(P1) == Money(fen=0)
    # A retried refund is the same posting, so it posts once.
    assert refund(ledger, P1, A1, id="r1", at=AT) == posting
    with pytest.raises(FundsError, match=r"funds\.nothing_to_refund"):
        refund(ledger, P1, A1, id="r2", at=AT)


def test_close_period_moves_every_area_to_the_pool_once() -> None:
    end = datetime(2026, 12, 31, 16, 0, tzinfo=SHANGHAI)
    ledger = funded().post(grant_tranche(P1, A2, yuan(50), id="g1", at=AT))
    closed = close_period(ledger, at=end)
    assert [p.id for p in closed.postings[3:]] == ["close:2026:a1"]  # a2 is empty
    assert closed.balance(TOWN_POOL) == yuan(100)
    assert closed.balance(A1) == Money(fen=0)
    assert close_period(closed, at=end) == closed
    assert close_period(ledger, at=end, areas=["a2"]) == ledger
    with pytest.raises(FundsError, match=r"funds\.unknown_account"):
        close_period(ledger, at=end, areas=["nowhere"])
    # The Shanghai year names the period, whatever zone the time is given in.
    utc_end = datetime.fromisoformat("2026-12-31T17:00:00+00:00")  # 2027-01-01 in Shanghai
    assert close_period(ledger, at=utc_end).postings[-1].id == "close:2027:a1"


def test_reallocate_from_the_pool_after_close() -> None:
    ledger = close_period(funded(), at=datetime(2026, 12, 31, tzinfo=SHANGHAI))
    ledger = ledger.post(reallocate(A2, yuan(120), id="r1", at=AT))
    ledger = ledger.post(reallocate(P2, yuan(30), id="r2", at=AT))
    assert ledger.balance(TOWN_POOL) == Money(fen=0)
    assert ledger.balance(A2) == yuan(120)
    assert ledger.balance(P2) == yuan(30)


def test_tranche_amounts_split_exactly() -> None:
    half = Fraction(1, 2)
    assert tranche_amounts(Money(fen=1001), (half, half)) == (Money(fen=501), Money(fen=500))
    with pytest.raises(FundsError, match=r"funds\.bad_shares"):
        tranche_amounts(Money(fen=1001), (half,))
    with pytest.raises(FundsError, match=r"funds\.bad_amount"):
        tranche_amounts(Money(fen=-1), (Fraction(1),))


def test_public_names_are_sorted_and_documented() -> None:
    import microgov.funds

    exported = microgov.funds.__all__
    assert len(set(exported)) == len(exported)
    for name in exported:
        assert getattr(microgov.funds, name).__doc__ or name in {"EXTERNAL", "TOWN_POOL"}
    assert AccountKind.EXTERNAL.label_zh == "外部预算"


AREAS = (A1, A2, Account.area("a3"))
PROJECTS = (P1, P2)
SOURCES = (*AREAS, TOWN_POOL)
amounts = st.integers(min_value=1, max_value=5_000).map(lambda fen: Money(fen=fen))


class LedgerCommands(RuleBasedStateMachine):
    """Random commands, valid and not, checked against a plain dict model of balances."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        self.model: dict[Account, int] = {}
        self.seq = 0

    def next_id(self) -> str:
        self.seq += 1
        return f"cmd-{self.seq}"

    def held(self, account: Account) -> int:
        return self.model.get(account, 0)

    def apply(self, posting: Posting) -> None:
        """Post; it must succeed iff the model says every non-EXTERNAL account stays >= 0."""
        ok = all(
            a.kind is AccountKind.EXTERNAL or self.held(a) + d.fen >= 0 for a, d in posting.entries
        )
        before, snapshot = self.ledger, self.ledger.balances()
        if not ok:
            with pytest.raises(FundsError) as info:
                before.post(posting)
            assert info.value.code == "funds.insufficient"
            assert self.ledger == before
            assert before.balances() == snapshot
            return
        after = before.post(posting)
        for a, d in posting.entries:
            self.model[a] = self.held(a) + d.fen
        self.ledger = after

    @rule(area=st.sampled_from(AREAS), amount=amounts)
    def fund_area(self, area: Account, amount: Money) -> None:
        self.apply(fund_area(area, amount, id=self.next_id(), at=AT))

    @rule(project=st.sampled_from(PROJECTS), source=st.sampled_from(SOURCES), amount=amounts)
    def grant(self, project: Account, source: Account, amount: Money) -> None:
        self.apply(grant_tranche(project, source, amount, id=self.next_id(), at=AT))

    @rule(project=st.sampled_from(PROJECTS), amount=amounts)
    def spend(self, project: Account, amount: Money) -> None:
        self.apply(spend(project, amount, id=self.next_id(), at=AT))

    @rule(project=st.sampled_from(PROJECTS), to=st.sampled_from(SOURCES))
    def refund(self, project: Account, to: Account) -> None:
        if self.held(project) == 0:
            with pytest.raises(FundsError, match=r"funds\.nothing_to_refund"):
                refund(self.ledger, project, to, id=self.next_id(), at=AT)
            return
        self.apply(refund(self.ledger, project, to, id=self.next_id(), at=AT))
        assert self.held(project) == 0

    @rule(to=st.sampled_from(AREAS + PROJECTS), amount=amounts)
    def reallocate(self, to: Account, amount: Money) -> None:
        self.apply(reallocate(to, amount, id=self.next_id(), at=AT))

    @rule(year=st.integers(min_value=2025, max_value=2027))
    def close(self, year: int) -> None:
        inside = self.sum_of(AccountKind.AREA_FUND, AccountKind.TOWN_POOL)
        after = close_period(self.ledger, at=datetime(year, 12, 31, 18, tzinfo=SHANGHAI))
        for area in AREAS:
            if after.posted(f"close:{year}:{area.id}") and not self.ledger.posted(
                f"close:{year}:{area.id}"
            ):
                self.model[TOWN_POOL] = self.held(TOWN_POOL) + self.held(area)
                self.model[area] = 0
        self.ledger = after
        assert self.sum_of(AccountKind.AREA_FUND, AccountKind.TOWN_POOL) == inside

    @rule(a=st.sampled_from(SOURCES), b=st.sampled_from(PROJECTS), amount=amounts)
    def unbalanced(self, a: Account, b: Account, amount: Money) -> None:
        with pytest.raises(FundsError, match=r"funds\.unbalanced"):
            Posting(
                id=self.next_id(),
                at=AT,
                memo_en="",
                memo_zh="",
                entries=((a, -amount), (b, amount + Money(fen=1))),
            )

    @precondition(lambda self: bool(self.ledger.postings))
    @rule(data=st.data())
    def retry_same(self, data: st.DataObject) -> None:
        posting = data.draw(st.sampled_from(self.ledger.postings))
        assert self.ledger.post(attrs.evolve(posting)) is self.ledger

    @precondition(lambda self: bool(self.ledger.postings))
    @rule(data=st.data(), extra=amounts)
    def retry_different(self, data: st.DataObject, extra: Money) -> None:
        posting = data.draw(st.sampled_from(self.ledger.postings))
        (a, da), (b, db) = posting.entries[:2]
        changed = attrs.evolve(posting, entries=((a, da - extra), (b, db + extra)))
        before = self.ledger
        with pytest.raises(FundsError, match=r"funds\.conflicting_retry"):
            self.ledger.post(changed)
        assert self.ledger == before

    def sum_of(self, *kinds: AccountKind) -> int:
        return sum(m.fen for a, m in self.ledger.balances().items() if a.kind in kinds)

    @invariant()
    def balances_match_the_model_and_balance(self) -> None:
        balances = self.ledger.balances()
        assert {a: m.fen for a, m in balances.items()} == {
            a: v for a, v in self.model.items() if a in balances
        }
        assert self.ledger.total() == Money(fen=0)
        assert all(m.fen >= 0 for a, m in balances.items() if a.kind is not AccountKind.EXTERNAL)

    @invariant()
    def money_is_conserved(self) -> None:
        inside = self.sum_of(
            AccountKind.AREA_FUND, AccountKind.TOWN_POOL, AccountKind.PROJECT_GRANT
        )
        assert inside == -self.ledger.balance(EXTERNAL).fen

    @invariant()
    def every_command_posted_once(self) -> None:
        ids = [p.id for p in self.ledger.postings]
        assert len(ids) == len(set(ids))


LedgerCommands.TestCase.settings = settings(
    max_examples=examples(60), stateful_step_count=30, deadline=None
)
test_ledger_commands = LedgerCommands.TestCase


def test_replay_rebuilds_the_same_ledger_and_checks_every_posting() -> None:
    ledger = funded().post(grant_tranche(P1, A1, yuan(30), id="c3", at=AT))
    assert Ledger.replay(ledger.postings) == ledger
    assert hash(Ledger.replay(ledger.postings)) == hash(ledger)
    with pytest.raises(FundsError, match=r"funds\.insufficient"):
        Ledger.replay(ledger.postings[2:])
    overdrawn = Ledger.replay(ledger.postings[2:], allow_overdraft=[A1])
    assert overdrawn.balance(A1) == yuan(-30)
