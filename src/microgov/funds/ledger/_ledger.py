"""A double-entry, immutable ledger of special funds (专项资金), pools and project grants."""

from __future__ import annotations

import enum
import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime
from fractions import Fraction
from typing import Final

import attrs

from microgov._checks import aware_datetime
from microgov._time import SHANGHAI
from microgov.errors import FundsError
from microgov.funds.ledger._money import Money

__all__ = [
    "EXTERNAL",
    "TOWN_POOL",
    "Account",
    "AccountKind",
    "Ledger",
    "Posting",
    "allocate",
    "close_period",
    "fund_area",
    "fund_heading",
    "grant_tranche",
    "reallocate",
    "refund",
    "spend",
    "tranche_amounts",
]

_ZERO: Final = Money(fen=0)


class AccountKind(enum.Enum):
    """What an account holds.

    Example:
        >>> AccountKind.AREA_FUND.value, AccountKind.AREA_FUND.label_zh
        ('area_fund', '小区专项资金')
    """

    AREA_FUND = "area_fund"
    """A residential area's special fund (小区专项资金)."""
    TOWN_POOL = "town_pool"
    """The town's pool of returned money (镇级统筹资金池)."""
    PROJECT_GRANT = "project_grant"
    """Money granted to one micro-project (项目拨款)."""
    EXTERNAL = "external"
    """The budget source and the sink of money spent; the only kind that may go negative."""
    HEADING = "heading"
    """One funding heading (资金科目): a self-governance fund (自治金), a town-wide or a
    district fund, whose money an allocation over headings gives out."""

    @property
    def label_zh(self) -> str:
        """The Chinese name of the kind.

        Example:
            >>> AccountKind.TOWN_POOL.label_zh
            '镇统筹资金池'
        """
        return _KIND_ZH[self]


_KIND_ZH: Final = {
    AccountKind.AREA_FUND: "小区专项资金",
    AccountKind.TOWN_POOL: "镇统筹资金池",
    AccountKind.PROJECT_GRANT: "项目拨款",
    AccountKind.EXTERNAL: "外部预算",
    AccountKind.HEADING: "资金科目",
}


def _non_empty_id(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise FundsError(
            f"An account or posting id must be a non-empty string, got {value!r}.",
            f"账户或记账编号必须是非空字符串，实际为 {value!r}。",
            code="funds.bad_id",
            value=repr(value),
        )


@attrs.frozen(kw_only=True, order=True)
class Account:
    """A ledger account: a string id and a kind.

    Within one ledger an id names one account: using it with another kind is refused.

    Attributes:
        kind: What the account holds.
        id: The account's id, e.g. a residential area's or a project's node id.

    Example:
        >>> Account.area("xihu-1")
        Account(kind=<AccountKind.AREA_FUND: 'area_fund'>, id='xihu-1')
        >>> str(Account.project("p-7"))
        'project_grant:p-7'
    """

    kind: AccountKind = attrs.field(validator=attrs.validators.instance_of(AccountKind))
    id: str = attrs.field()

    @id.validator
    def _check_id(self, _attribute: object, value: object) -> None:
        _non_empty_id(self, _attribute, value)

    @classmethod
    def area(cls, area_id: str) -> Account:
        """A residential area's special fund (专项资金).

        Example:
            >>> Account.area("a1").kind
            <AccountKind.AREA_FUND: 'area_fund'>
        """
        return cls(kind=AccountKind.AREA_FUND, id=area_id)

    @classmethod
    def project(cls, project_id: str) -> Account:
        """The grant account of one micro-project.

        Example:
            >>> Account.project("p1").kind
            <AccountKind.PROJECT_GRANT: 'project_grant'>
        """
        return cls(kind=AccountKind.PROJECT_GRANT, id=project_id)

    @classmethod
    def heading(cls, heading_id: str) -> Account:
        """The account of one funding heading (资金科目).

        Example:
            >>> str(Account.heading("self-governance"))
            'heading:self-governance'
        """
        return cls(kind=AccountKind.HEADING, id=heading_id)

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


EXTERNAL: Final = Account(kind=AccountKind.EXTERNAL, id="external")
"""The default budget source and sink (外部预算)."""
TOWN_POOL: Final = Account(kind=AccountKind.TOWN_POOL, id="town-pool")
"""The default town pool of returned money (镇统筹资金池)."""


def _aware(_instance: object, _attribute: object, value: object) -> None:
    aware_datetime(value, "at", error=FundsError)


def _entries(value: Iterable[tuple[Account, Money]]) -> tuple[tuple[Account, Money], ...]:
    try:
        return tuple((account, delta) for account, delta in value)
    except (TypeError, ValueError) as exc:
        raise _bad_entries(value) from exc


def _bad_entries(value: object) -> FundsError:
    return FundsError(
        "Entries must be (Account, Money) pairs with distinct accounts, at least two of them.",
        "分录必须是 (账户, 金额) 对，至少两条且账户不重复。",
        code="funds.bad_entries",
        entries=repr(value),
    )


def _check_entries(
    instance: Posting, _attribute: object, value: tuple[tuple[Account, Money], ...]
) -> None:
    accounts = [a for a, _ in value]
    if (
        len(value) < 2
        or not all(isinstance(a, Account) and isinstance(d, Money) for a, d in value)
        or len(set(accounts)) != len(accounts)
    ):
        raise _bad_entries(value)
    total = sum(d.fen for _, d in value)
    if total != 0:
        raise FundsError(
            f"Posting {instance.id!r} does not balance: its entries sum to {Money(fen=total)}.",
            f"记账 {instance.id!r} 借贷不平衡：分录合计 {Money(fen=total)}。",
            code="funds.unbalanced",
            posting_id=instance.id,
            total_fen=total,
        )


@attrs.frozen(kw_only=True)
class Posting:
    """One balanced movement of money: every entry's delta sums to zero.

    The id is the command id and the idempotency key: posting the same posting
    twice posts it once.

    Attributes:
        id: The command id.
        at: When, a timezone-aware datetime.
        memo_en: What for, in English.
        memo_zh: The same in Chinese.
        entries: ``(account, delta)`` pairs, distinct accounts, deltas summing to zero.

    Raises:
        FundsError: ``funds.unbalanced`` when the deltas do not sum to zero,
            ``funds.bad_entries``, ``time.not_aware``, ``funds.bad_id``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> Posting(id="c1", at=datetime(2026, 3, 1, tzinfo=SHANGHAI), memo_en="x", memo_zh="x",
        ...         entries=((EXTERNAL, Money(fen=-1)), (TOWN_POOL, Money(fen=2))))
        Traceback (most recent call last):
        ...
        microgov.errors.FundsError: Posting 'c1' does not balance: its entries sum to ¥0.01. ...
    """

    id: str = attrs.field()
    at: datetime = attrs.field()
    memo_en: str
    memo_zh: str
    entries: tuple[tuple[Account, Money], ...] = attrs.field(
        converter=_entries, validator=_check_entries
    )

    @id.validator
    def _check_id(self, _attribute: object, value: object) -> None:
        _non_empty_id(self, _attribute, value)

    @at.validator
    def _check_at(self, _attribute: object, value: object) -> None:
        _aware(self, _attribute, value)

    def delta(self, account: Account) -> Money:
        """The change this posting makes to one account (zero if it does not touch it).

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> p = fund_area(Account.area("a1"), Money.of_yuan(5), id="c1",
            ...              at=datetime(2026, 1, 5, tzinfo=SHANGHAI))
            >>> str(p.delta(EXTERNAL)), str(p.delta(TOWN_POOL))
            ('-¥5.00', '¥0.00')
        """
        for acc, d in self.entries:
            if acc == account:
                return d
        return _ZERO


def _overdrafts(value: Iterable[Account]) -> frozenset[Account]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Ledger:
    """A double-entry ledger, immutable: :meth:`post` returns a new ledger.

    Every posting balances, so :meth:`total` is always zero (money is conserved);
    no account but an EXTERNAL one, or one listed in ``allow_overdraft``, ever
    goes below zero; a refused posting raises and leaves the ledger as it was.

    Build one empty (``Ledger()``, optionally with ``allow_overdraft``) and post
    to it, or rebuild one from stored postings with :meth:`replay`.

    Attributes:
        allow_overdraft: Accounts allowed to go below zero (by policy).

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> at = datetime(2026, 1, 5, 9, tzinfo=SHANGHAI)
        >>> area, project = Account.area("xihu-1"), Account.project("p-1")
        >>> ledger = Ledger().post(fund_area(area, Money.parse("30,000"), id="c1", at=at))
        >>> ledger = ledger.post(grant_tranche(project, area, Money.parse("12,000.50"),
        ...                                    id="c2", at=at))
        >>> str(ledger.balance(area)), str(ledger.balance(project)), str(ledger.total())
        ('¥17,999.50', '¥12,000.50', '¥0.00')
        >>> ledger.post(grant_tranche(project, area, Money.of_yuan(20_000), id="c3", at=at))
        Traceback (most recent call last):
        ...
        microgov.errors.FundsError: Account area_fund:xihu-1 holds ¥17,999.50, ...
    """

    allow_overdraft: frozenset[Account] = attrs.field(default=frozenset(), converter=_overdrafts)
    _postings: tuple[Posting, ...] = attrs.field(default=(), alias="_postings")
    _balances: Mapping[Account, Money] = attrs.field(
        factory=dict, hash=False, repr=False, alias="_balances"
    )
    _by_id: Mapping[str, Posting] = attrs.field(
        factory=dict, hash=False, eq=False, repr=False, alias="_by_id"
    )
    _kinds: Mapping[str, AccountKind] = attrs.field(
        factory=dict, hash=False, eq=False, repr=False, alias="_kinds"
    )

    @classmethod
    def replay(
        cls, postings: Iterable[Posting], *, allow_overdraft: Iterable[Account] = ()
    ) -> Ledger:
        """Rebuild a ledger by posting stored postings in order, checking each one.

        Args:
            postings: The postings, in the order they were posted.
            allow_overdraft: Accounts allowed to go below zero.

        Returns:
            The ledger.

        Raises:
            FundsError: as :meth:`post`, for the first posting refused.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> at = datetime(2026, 1, 5, tzinfo=SHANGHAI)
            >>> ledger = Ledger().post(fund_area(Account.area("a1"), Money.of_yuan(3), id="c1",
            ...                                 at=at))
            >>> Ledger.replay(ledger.postings) == ledger
            True
        """
        ledger = cls(allow_overdraft=frozenset(allow_overdraft))
        for posting in postings:
            ledger = ledger.post(posting)
        return ledger

    @property
    def postings(self) -> tuple[Posting, ...]:
        """Every posting, in the order posted.

        Example:
            >>> Ledger().postings
            ()
        """
        return self._postings

    def post(self, posting: Posting) -> Ledger:
        """Apply one posting and return the new ledger; this one is unchanged.

        Posting a posting whose id is already posted is a no-op when the content
        is the same (a retried command) and refused when it differs.
        O(accounts + postings) (the balances are copied).

        Args:
            posting: The posting.

        Returns:
            The new ledger (this very ledger for a retry).

        Raises:
            FundsError: ``funds.conflicting_retry`` for an id already posted with
                other content; ``funds.insufficient`` when an account would go below
                zero; ``funds.account_kind`` when an id is used with two kinds.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> p = fund_area(Account.area("a1"), Money.of_yuan(10), id="c1",
            ...              at=datetime(2026, 1, 5, tzinfo=SHANGHAI))
            >>> once = Ledger().post(p)
            >>> once.post(p) is once
            True
        """
        if not isinstance(posting, Posting):
            raise FundsError(
                f"Only a Posting can be posted, got {type(posting).__name__}.",
                f"只能记入 Posting，实际为 {type(posting).__name__}。",
                code="funds.bad_posting",
            )
        seen = self._by_id.get(posting.id)
        if seen is not None:
            if seen == posting:
                return self
            raise FundsError(
                f"Command {posting.id!r} was already posted with other content.",
                f"指令 {posting.id!r} 已以不同内容记账，拒绝重复提交。",
                code="funds.conflicting_retry",
                posting_id=posting.id,
            )
        for account, delta in posting.entries:
            known = self._kinds.get(account.id)
            if known is not None and known is not account.kind:
                raise FundsError(
                    f"Account id {account.id!r} is a {known.value}, not a {account.kind.value}.",
                    f"账户 {account.id!r} 属于{known.label_zh}，不是{account.kind.label_zh}。",
                    code="funds.account_kind",
                    account=account.id,
                )
            balance = self._balances.get(account, _ZERO)
            if (
                (balance + delta).fen < 0
                and account.kind is not AccountKind.EXTERNAL
                and account not in self.allow_overdraft
            ):
                raise FundsError(
                    f"Account {account} holds {balance}, less than the {-delta} "
                    f"posting {posting.id!r} takes from it.",
                    f"账户 {account} 余额 {balance}，不足以支出 {-delta}（记账 {posting.id!r}）。",
                    code="funds.insufficient",
                    account=str(account),
                    balance_fen=balance.fen,
                    amount_fen=-delta.fen,
                    posting_id=posting.id,
                )
        balances = dict(self._balances)
        kinds = dict(self._kinds)
        for account, delta in posting.entries:
            balances[account] = balances.get(account, _ZERO) + delta
            kinds[account.id] = account.kind
        by_id = dict(self._by_id)
        by_id[posting.id] = posting
        return Ledger(
            allow_overdraft=self.allow_overdraft,
            _postings=(*self._postings, posting),
            _balances=balances,
            _by_id=by_id,
            _kinds=kinds,
        )

    def balance(self, account: Account) -> Money:
        """The account's balance (zero for an account never posted to). O(1).

        Example:
            >>> str(Ledger().balance(TOWN_POOL))
            '¥0.00'
        """
        return self._balances.get(account, _ZERO)

    def balances(self) -> dict[Account, Money]:
        """Every account posted to and its balance, ordered by kind then id.

        Example:
            >>> Ledger().balances()
            {}
        """
        return {a: self._balances[a] for a in sorted(self._balances, key=_account_key)}

    def history(self, account: Account) -> tuple[Posting, ...]:
        """The postings that touch the account, in the order posted. O(postings).

        Example:
            >>> Ledger().history(EXTERNAL)
            ()
        """
        return tuple(p for p in self._postings if any(a == account for a, _ in p.entries))

    def total(self) -> Money:
        """The sum of every balance: always zero, as every posting balances.

        Example:
            >>> Ledger().total()
            Money(fen=0)
        """
        return Money(fen=sum(m.fen for m in self._balances.values()))

    def posted(self, posting_id: str) -> Posting | None:
        """The posting with this command id, if posted. O(1).

        Example:
            >>> Ledger().posted("c1") is None
            True
        """
        return self._by_id.get(posting_id)


def _account_key(account: Account) -> tuple[str, str]:
    return (account.kind.value, account.id)


def _positive(amount: Money) -> Money:
    if not isinstance(amount, Money) or amount.fen <= 0:
        raise FundsError(
            f"An amount to move must be a positive Money, got {amount!r}.",
            f"划转金额必须为正的 Money，实际为 {amount!r}。",
            code="funds.bad_amount",
            value=repr(amount),
        )
    return amount


def _require_kind(account: Account, role: str, *kinds: AccountKind) -> None:
    if not isinstance(account, Account) or account.kind not in kinds:
        names = ", ".join(k.value for k in kinds)
        names_zh = "、".join(k.label_zh for k in kinds)
        raise FundsError(
            f"The {role} account must be of kind {names}, got {account!r}.",
            f"{role} 账户必须是{names_zh}，实际为 {account!r}。",
            code="funds.wrong_kind",
            role=role,
            account=repr(account),
        )


def _move(
    source: Account,
    target: Account,
    amount: Money,
    *,
    id: str,
    at: datetime,
    memo_en: str,
    memo_zh: str,
) -> Posting:
    return Posting(
        id=id,
        at=at,
        memo_en=memo_en,
        memo_zh=memo_zh,
        entries=((source, -amount), (target, amount)),
    )


_FUNDING: Final = (AccountKind.AREA_FUND, AccountKind.TOWN_POOL, AccountKind.HEADING)


def fund_heading(
    heading: Account, amount: Money, *, id: str, at: datetime, source: Account = EXTERNAL
) -> Posting:
    """Post a budget to a funding heading's account (EXTERNAL → HEADING).

    Args:
        heading: A HEADING account (:meth:`Account.heading`).
        amount: A positive amount.
        id: The command id.
        at: When (timezone-aware).
        source: The EXTERNAL budget account.

    Returns:
        The posting.

    Raises:
        FundsError: ``funds.bad_amount``, ``funds.wrong_kind``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> p = fund_heading(Account.heading("self-gov"), Money.of_yuan(100), id="h1",
        ...                  at=datetime(2026, 1, 5, tzinfo=SHANGHAI))
        >>> p.memo_en, p.memo_zh
        ('Budget ¥100.00 for heading self-gov', '向资金科目 self-gov 拨付预算 ¥100.00')
    """
    _require_kind(heading, "heading", AccountKind.HEADING)
    _require_kind(source, "source", AccountKind.EXTERNAL)
    amount = _positive(amount)
    return _move(
        source,
        heading,
        amount,
        id=id,
        at=at,
        memo_en=f"Budget {amount} for heading {heading.id}",
        memo_zh=f"向资金科目 {heading.id} 拨付预算 {amount}",
    )


def fund_area(
    area: Account, amount: Money, *, id: str, at: datetime, source: Account = EXTERNAL
) -> Posting:
    """Post a budget to a residential area's special fund (EXTERNAL → AREA_FUND).

    Called ``allocate`` until this release: renamed because an allocation is what a rule
    decides (:class:`~microgov.funds.Allocation`); this only posts the money.

    Args:
        area: An AREA_FUND account.
        amount: A positive amount.
        id: The command id.
        at: When (timezone-aware).
        source: The EXTERNAL budget account.

    Returns:
        The posting (EXTERNAL → AREA_FUND).

    Raises:
        FundsError: ``funds.bad_amount``, ``funds.wrong_kind``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> p = fund_area(Account.area("a1"), Money.of_yuan(100), id="c1",
        ...               at=datetime(2026, 1, 5, tzinfo=SHANGHAI))
        >>> p.memo_en, p.memo_zh
        ('Allocate ¥100.00 to area a1', '向小区 a1 拨付专项资金 ¥100.00')
    """
    _require_kind(area, "area", AccountKind.AREA_FUND)
    _require_kind(source, "source", AccountKind.EXTERNAL)
    amount = _positive(amount)
    return _move(
        source,
        area,
        amount,
        id=id,
        at=at,
        memo_en=f"Allocate {amount} to area {area.id}",
        memo_zh=f"向小区 {area.id} 拨付专项资金 {amount}",
    )


def allocate(
    area: Account, amount: Money, *, id: str, at: datetime, source: Account = EXTERNAL
) -> Posting:
    """Deprecated: the old name of :func:`fund_area`; warns and posts the same.

    Example:
        >>> import warnings
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     p = allocate(Account.area("a1"), Money.of_yuan(1), id="c1",
        ...                  at=datetime(2026, 1, 5, tzinfo=SHANGHAI))
        >>> caught[0].category.__name__, p.memo_en
        ('DeprecationWarning', 'Allocate ¥1.00 to area a1')
    """
    warnings.warn(
        "microgov.funds.allocate is deprecated; use microgov.funds.fund_area.",
        DeprecationWarning,
        stacklevel=2,
    )
    return fund_area(area, amount, id=id, at=at, source=source)


def grant_tranche(
    project: Account, from_account: Account, amount: Money, *, id: str, at: datetime
) -> Posting:
    """Pay one tranche of a project's grant from an area fund, the town pool or a heading.

    Args:
        project: The PROJECT_GRANT account.
        from_account: An AREA_FUND, TOWN_POOL or HEADING account.
        amount: A positive amount (see :func:`tranche_amounts`).
        id: The command id.
        at: When (timezone-aware).

    Returns:
        The posting (AREA_FUND, TOWN_POOL or HEADING → PROJECT_GRANT).

    Raises:
        FundsError: ``funds.bad_amount``, ``funds.wrong_kind``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> p = grant_tranche(Account.project("p1"), TOWN_POOL, Money.of_yuan(3), id="c2",
        ...                   at=datetime(2026, 1, 5, tzinfo=SHANGHAI))
        >>> [(str(a), str(d)) for a, d in p.entries]
        [('town_pool:town-pool', '-¥3.00'), ('project_grant:p1', '¥3.00')]
    """
    _require_kind(project, "project", AccountKind.PROJECT_GRANT)
    _require_kind(from_account, "source", *_FUNDING)
    amount = _positive(amount)
    return _move(
        from_account,
        project,
        amount,
        id=id,
        at=at,
        memo_en=f"Grant tranche of {amount} to project {project.id} from {from_account}",
        memo_zh=f"从{from_account.kind.label_zh} {from_account.id} 向项目 {project.id} "
        f"拨付一期资金 {amount}",
    )


def spend(
    project: Account, amount: Money, *, id: str, at: datetime, sink: Account = EXTERNAL
) -> Posting:
    """Record money a project paid out (to a contractor, for materials …).

    Args:
        project: The PROJECT_GRANT account.
        amount: A positive amount.
        id: The command id.
        at: When (timezone-aware).
        sink: The EXTERNAL account the money leaves to.

    Returns:
        The posting (PROJECT_GRANT → EXTERNAL).

    Raises:
        FundsError: ``funds.bad_amount``, ``funds.wrong_kind``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> spend(Account.project("p1"), Money.of_yuan(2), id="c3",
        ...       at=datetime(2026, 1, 5, tzinfo=SHANGHAI)).memo_en
        'Project p1 spends ¥2.00'
    """
    _require_kind(project, "project", AccountKind.PROJECT_GRANT)
    _require_kind(sink, "sink", AccountKind.EXTERNAL)
    amount = _positive(amount)
    return _move(
        project,
        sink,
        amount,
        id=id,
        at=at,
        memo_en=f"Project {project.id} spends {amount}",
        memo_zh=f"项目 {project.id} 支出 {amount}",
    )


def refund(ledger: Ledger, project: Account, to: Account, *, id: str, at: datetime) -> Posting:
    """Return what a cancelled project received and did not spend.

    The amount is the project's balance in ``ledger``.  If ``id`` is already
    posted, that posting is returned, so that retrying the command posts once.

    Args:
        ledger: The ledger the refund is computed from.
        project: The PROJECT_GRANT account.
        to: Where the money goes back to: an AREA_FUND, TOWN_POOL or HEADING account.
        id: The command id.
        at: When (timezone-aware).

    Returns:
        The posting (PROJECT_GRANT → ``to``).

    Raises:
        FundsError: ``funds.nothing_to_refund`` when the project holds nothing;
            ``funds.wrong_kind``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> at = datetime(2026, 6, 1, tzinfo=SHANGHAI)
        >>> area, p = Account.area("a1"), Account.project("p1")
        >>> ledger = Ledger().post(fund_area(area, Money.of_yuan(10), id="c1", at=at))
        >>> ledger = ledger.post(grant_tranche(p, area, Money.of_yuan(6), id="c2", at=at))
        >>> ledger = ledger.post(spend(p, Money.of_yuan(1), id="c3", at=at))
        >>> ledger = ledger.post(refund(ledger, p, area, id="c4", at=at))
        >>> str(ledger.balance(area)), str(ledger.balance(p))
        ('¥9.00', '¥0.00')
    """
    _require_kind(project, "project", AccountKind.PROJECT_GRANT)
    _require_kind(to, "target", *_FUNDING)
    seen = ledger.posted(id)
    if seen is not None:
        return seen
    amount = ledger.balance(project)
    if amount.fen <= 0:
        raise FundsError(
            f"Project {project.id} holds {amount}: nothing to refund.",
            f"项目 {project.id} 余额 {amount}，无可退回资金。",
            code="funds.nothing_to_refund",
            account=str(project),
        )
    return _move(
        project,
        to,
        amount,
        id=id,
        at=at,
        memo_en=f"Refund {amount} unspent by project {project.id} to {to}",
        memo_zh=f"项目 {project.id} 未使用资金 {amount} 退回{to.kind.label_zh} {to.id}",
    )


def reallocate(
    to: Account, amount: Money, *, id: str, at: datetime, pool: Account = TOWN_POOL
) -> Posting:
    """Reallocate money from the town pool to an area fund or a project.

    Args:
        to: An AREA_FUND or PROJECT_GRANT account.
        amount: A positive amount.
        id: The command id.
        at: When (timezone-aware).
        pool: The TOWN_POOL account.

    Returns:
        The posting (TOWN_POOL → ``to``).

    Raises:
        FundsError: ``funds.bad_amount``, ``funds.wrong_kind``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> reallocate(Account.area("a2"), Money.of_yuan(7), id="r1",
        ...            at=datetime(2027, 2, 1, tzinfo=SHANGHAI)).memo_en
        'Reallocate ¥7.00 from the town pool town-pool to area_fund:a2'
    """
    _require_kind(to, "target", AccountKind.AREA_FUND, AccountKind.PROJECT_GRANT)
    _require_kind(pool, "pool", AccountKind.TOWN_POOL)
    amount = _positive(amount)
    return _move(
        pool,
        to,
        amount,
        id=id,
        at=at,
        memo_en=f"Reallocate {amount} from the town pool {pool.id} to {to}",
        memo_zh=f"从镇统筹资金池 {pool.id} 向{to.kind.label_zh} {to.id} 再分配 {amount}",
    )


def close_period(
    ledger: Ledger,
    *,
    at: datetime,
    areas: Iterable[str] | None = None,
    pool: Account = TOWN_POOL,
) -> Ledger:
    """Year-end close: move every area fund's balance to the town pool.

    One posting per area with a positive balance, in id order, each with the
    id ``f"close:{year}:{area_id}"`` (the year of ``at`` in Shanghai time).  An
    area already closed for that year is skipped, so closing twice closes once.

    Args:
        ledger: The ledger.
        at: When (timezone-aware); its Shanghai year names the period.
        areas: The area ids to close (default: every AREA_FUND account).
        pool: The TOWN_POOL account receiving the money.

    Returns:
        The new ledger.

    Raises:
        FundsError: ``funds.unknown_account`` for an id in ``areas`` that is not an
            area fund of the ledger; ``time.not_aware``; ``funds.wrong_kind``.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> at = datetime(2026, 12, 31, 17, tzinfo=SHANGHAI)
        >>> ledger = Ledger().post(fund_area(Account.area("a1"), Money.of_yuan(10), id="c1",
        ...                                 at=at))
        >>> closed = close_period(ledger, at=at)
        >>> [p.id for p in closed.postings], str(closed.balance(TOWN_POOL))
        (['c1', 'close:2026:a1'], '¥10.00')
        >>> close_period(closed, at=at) == closed
        True
    """
    _require_kind(pool, "pool", AccountKind.TOWN_POOL)
    _aware(None, None, at)
    year = at.astimezone(SHANGHAI).year
    funds = {a.id: a for a in ledger.balances() if a.kind is AccountKind.AREA_FUND}
    if areas is None:
        chosen = sorted(funds)
    else:
        chosen = sorted(set(areas))
        unknown = [a for a in chosen if a not in funds]
        if unknown:
            raise FundsError(
                f"No area fund {unknown[0]!r} in the ledger.",
                f"账本中没有小区专项资金账户 {unknown[0]!r}。",
                code="funds.unknown_account",
                account=unknown[0],
            )
    result = ledger
    for area_id in chosen:
        account = funds[area_id]
        pid = f"close:{year}:{area_id}"
        amount = result.balance(account)
        if result.posted(pid) is not None or amount.fen <= 0:
            continue
        result = result.post(
            _move(
                account,
                pool,
                amount,
                id=pid,
                at=at,
                memo_en=f"Year-end close {year}: area {area_id} returns {amount} to the pool",
                memo_zh=f"{year} 年终结转：小区 {area_id} 未用资金 {amount} 划入镇统筹资金池",
            )
        )
    return result


def tranche_amounts(total: Money, shares: tuple[Fraction, ...]) -> tuple[Money, ...]:
    """Split a grant into tranches, exactly (see :meth:`Money.split`).

    Args:
        total: The whole grant, not negative.
        shares: The tranche shares, e.g. ``PolicySet.tranches``; they must sum to 1.

    Returns:
        One amount per tranche, summing to ``total``.

    Raises:
        FundsError: ``funds.bad_shares``; ``funds.bad_amount`` for a negative total.

    Example:
        >>> [str(m) for m in tranche_amounts(Money.parse("10,000.01"),
        ...                                  (Fraction(1, 2), Fraction(1, 2)))]
        ['¥5,000.01', '¥5,000.00']
    """
    if not isinstance(total, Money) or total.fen < 0:
        raise FundsError(
            f"A grant must be a non-negative Money, got {total!r}.",
            f"拨款总额必须为非负的 Money，实际为 {total!r}。",
            code="funds.bad_amount",
            value=repr(total),
        )
    return total.split(shares)
