"""Allocation instances: a budget, proposals with costs, and households' approvals.

An :class:`AllocationInstance` is what every allocation rule reads.  It is built from
microgov's own data (hand-accepted projects and the households that raised hands for
them) or converted from a pabulib election with :meth:`AllocationInstance.from_pabulib`.
The result of a rule is an :class:`Allocation`: the funded projects in the order the
rule funded them and an :class:`Explanation` for every project.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from fractions import Fraction
from typing import Final

import attrs

from microgov._checks import aware_datetime
from microgov.errors import FundsError
from microgov.funds.allocation._override import Override
from microgov.funds.allocation._pabulib import PbElection
from microgov.funds.allocation._ties import Tie, TieBreak

__all__ = [
    "Allocation",
    "AllocationInstance",
    "Explanation",
    "Outcome",
    "Proposal",
]


def _fraction(value: int | Fraction) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise FundsError(
            f"An amount must be an int or a Fraction, not {type(value).__name__}.",
            f"金额必须是整数或分数，而不是 {type(value).__name__}。",
            code="funds.bad_amount",
        )
    return Fraction(value)


def _optional_fraction(value: int | Fraction | None) -> Fraction | None:
    return None if value is None else _fraction(value)


def _strings(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Proposal:
    """A project that asks for money.

    Attributes:
        id: The project id (compared as a string when ties are broken).
        cost: What it costs, exactly (fen for microgov's own money; the file's unit for
            pabulib elections). Never negative.
        scope: The governance-graph node it belongs to (a residential area), or None.
        score: A score given from outside (the file's ``score`` or ``votes`` column),
            which greedy rules may rank by instead of counting approvals.
        name: A human name, for tables.
        categories: The categories it belongs to (green space, sport …), for
            headings' eligibility and the fairness figures.
        submitted: When it was submitted (timezone-aware), for
            ``TieBreak.SUBMISSION``; None when unknown.

    Raises:
        FundsError: ``funds.negative_cost``; ``time.not_aware`` for a
            ``submitted`` time without a timezone.

    Example:
        >>> Proposal(id="p1", cost=120_000, scope="area-01").cost
        Fraction(120000, 1)
        >>> sorted(Proposal(id="p2", cost=1, categories=["sport", "green"]).categories)
        ['green', 'sport']
    """

    id: str
    cost: Fraction = attrs.field(converter=_fraction)
    scope: str | None = None
    score: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    name: str = ""
    categories: frozenset[str] = attrs.field(default=frozenset(), converter=_strings)
    submitted: datetime | None = attrs.field(default=None)

    @submitted.validator
    def _check_submitted(self, _attribute: object, value: datetime | None) -> None:
        if value is not None:
            aware_datetime(
                value,
                "submitted",
                error=FundsError,
                where=f"Project {self.id!r:.40}",
                project=self.id,
            )

    @cost.validator
    def _check_cost(self, _attribute: object, value: Fraction) -> None:
        if value < 0:
            raise FundsError(
                f"Project {self.id!r:.40} has a negative cost.",
                f"项目 {self.id!r:.40} 的费用为负数。",
                code="funds.negative_cost",
                project=self.id,
            )


def _proposals(value: Iterable[Proposal]) -> tuple[Proposal, ...]:
    return tuple(value)


def _ballots(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    # Sorted tuples: one canonical form per set of approvals, a sixth of a frozenset's
    # memory (Warszawa 2026 has 61,668 ballots).
    return tuple(tuple(sorted(frozenset(b))) for b in value)


@attrs.frozen(kw_only=True)
class AllocationInstance:
    """A budget, the proposals and every voter's (household's) approvals.

    Checked when built: project ids are unique, every approval names a project, the
    budget is not negative.  Voters with empty ballots count: under the Method of
    Equal Shares each of the ``n`` voters holds ``budget / n``.

    Attributes:
        budget: The money to allocate, exactly.
        projects: The proposals, in any order (rules never depend on it).
        ballots: One set of approved project ids per voter, kept as a sorted tuple.
        unit: One currency unit in the amounts' terms: 1 for pabulib files (whole
            złoty, euro …), 100 for microgov's fen (one yuan).  ``add1`` completion
            raises per-voter budgets by one unit at a time.

    Raises:
        FundsError: ``funds.duplicate_project``, ``funds.unknown_project``,
            ``funds.negative_budget``.

    Example:
        >>> inst = AllocationInstance(
        ...     budget=100,
        ...     projects=[Proposal(id="a", cost=60), Proposal(id="b", cost=50)],
        ...     ballots=[{"a"}, {"a", "b"}, {"b"}],
        ... )
        >>> inst.approvals()
        {'a': 2, 'b': 2}
    """

    budget: Fraction = attrs.field(converter=_fraction)
    projects: tuple[Proposal, ...] = attrs.field(converter=_proposals)
    ballots: tuple[tuple[str, ...], ...] = attrs.field(converter=_ballots, repr=False)
    unit: Fraction = attrs.field(default=Fraction(1), converter=_fraction)

    def __attrs_post_init__(self) -> None:
        if self.unit <= 0:
            raise FundsError(
                "The currency unit must be positive.",
                "货币单位必须为正数。",
                code="funds.bad_unit",
            )
        if self.budget < 0:
            raise FundsError(
                "The budget is negative.",
                "预算为负数。",
                code="funds.negative_budget",
            )
        seen: set[str] = set()
        for p in self.projects:
            if p.id in seen:
                raise FundsError(
                    f"Project id {p.id!r:.40} appears twice.",
                    f"项目编号 {p.id!r:.40} 重复。",
                    code="funds.duplicate_project",
                    project=p.id,
                )
            seen.add(p.id)
        if not frozenset().union(*self.ballots) <= seen:
            self._unknown_approval(seen)

    def _unknown_approval(self, seen: set[str]) -> None:
        for number, ballot in enumerate(self.ballots, start=1):
            unknown = set(ballot) - seen
            if unknown:
                first = min(unknown)
                raise FundsError(
                    f"Ballot {number} approves {first!r:.40}, which is not a project.",
                    f"第 {number} 张选票赞成的 {first!r:.40} 不是本次的项目。",
                    code="funds.unknown_project",
                    project=first,
                    ballot=number,
                )

    def project(self, project_id: str) -> Proposal:
        """The proposal with this id.

        Raises:
            FundsError: ``funds.unknown_project`` if there is none.

        Example:
            >>> inst = AllocationInstance(budget=1, projects=[Proposal(id="a", cost=1)],
            ...                           ballots=[])
            >>> inst.project("a").cost
            Fraction(1, 1)
        """
        for p in self.projects:
            if p.id == project_id:
                return p
        raise FundsError(
            f"No project has the id {project_id!r:.40}.",
            f"没有编号为 {project_id!r:.40} 的项目。",
            code="funds.unknown_project",
            project=project_id,
        )

    def approvals(self) -> dict[str, int]:
        """How many voters approve each project, by project id (in ``projects`` order).

        Example:
            >>> AllocationInstance(budget=1, projects=[Proposal(id="a", cost=1)],
            ...                    ballots=[{"a"}, set()]).approvals()
            {'a': 1}
        """
        counts: Counter[str] = Counter()
        for ballot, voters in Counter(self.ballots).items():
            for project in ballot:
                counts[project] += voters
        return {p.id: counts[p.id] for p in self.projects}

    def restrict(
        self, project_ids: Iterable[str], *, budget: int | Fraction | None = None
    ) -> AllocationInstance:
        """The same election over a subset of the projects (ballots keep their voters).

        Args:
            project_ids: The projects to keep.
            budget: A new budget, or None to keep this one.

        Example:
            >>> inst = AllocationInstance(
            ...     budget=10, projects=[Proposal(id="a", cost=1), Proposal(id="b", cost=2)],
            ...     ballots=[{"a", "b"}])
            >>> r = inst.restrict(["b"], budget=5)
            >>> [p.id for p in r.projects], r.budget, r.ballots
            (['b'], Fraction(5, 1), (('b',),))
        """
        keep = frozenset(project_ids)
        return AllocationInstance(
            budget=self.budget if budget is None else budget,
            projects=[p for p in self.projects if p.id in keep],
            ballots=[[q for q in b if q in keep] for b in self.ballots],
            unit=self.unit,
        )

    @classmethod
    def from_pabulib(cls, election: PbElection) -> AllocationInstance:
        """Convert a pabulib election: every ballot becomes a set of approvals.

        Cumulative, scoring and ordinal ballots count as approval of every project they
        name (pabutools' cost and cardinality satisfactions do the same).  A project's
        ``score`` is the file's ``score`` column, else its ``votes`` column, else None;
        its ``categories`` are the file's comma-separated ``category`` column.

        Raises:
            DataFormatError: If META has no usable budget.
            FundsError: If a cost or score is negative.

        Example:
            >>> from microgov.funds import read_pabulib
            >>> e = read_pabulib("META\\nkey;value\\nbudget;100\\nvote_type;approval\\n"
            ...     "PROJECTS\\nproject_id;cost;votes\\na;60;2\\nb;50;1\\n"
            ...     "VOTES\\nvoter_id;vote\\n1;a,b\\n2;a\\n")
            >>> inst = AllocationInstance.from_pabulib(e)
            >>> inst.budget, [(p.id, p.score) for p in inst.projects], len(inst.ballots)
            (Fraction(100, 1), [('a', Fraction(2, 1)), ('b', Fraction(1, 1))], 2)
        """
        proposals = []
        for p in election.projects:
            text = p.fields.get("score") or p.fields.get("votes")
            score = _decimal_or_none(text)
            category = p.fields.get("category", "")
            proposals.append(
                Proposal(
                    id=p.id,
                    cost=p.cost,
                    score=score,
                    name=p.fields.get("name", ""),
                    categories=[c.strip() for c in category.split(",") if c.strip()],
                )
            )
        return cls(
            budget=election.budget,
            projects=proposals,
            ballots=[v.vote for v in election.voters],
        )


def _decimal_or_none(text: str | None) -> Fraction | None:
    if not text:
        return None
    try:
        return Fraction(text)
    except ValueError:
        return None


class Outcome(enum.Enum):
    """Why a project was funded or not (the ``outcome`` of an :class:`Explanation`).

    Example:
        >>> Outcome.DOES_NOT_FIT.value
        'does_not_fit'
    """

    FUNDED = "funded"
    FUNDED_BY_COMPLETION = "funded_by_completion"
    FUNDED_BY_POOL = "funded_by_pool"
    FUNDED_PARTIALLY = "funded_partially"
    FUNDED_BY_OVERRIDE = "funded_by_override"
    DOES_NOT_FIT = "does_not_fit"
    STOPPED = "stopped"
    BELOW_THRESHOLD = "below_threshold"
    OVER_CAP = "over_cap"
    NO_SUPPORTERS = "no_supporters"
    UNAFFORDABLE = "unaffordable"
    SKIPPED_BY_OVERRIDE = "skipped_by_override"
    NO_HEADING = "no_heading"


_FUNDED: Final = frozenset(
    {
        Outcome.FUNDED,
        Outcome.FUNDED_BY_COMPLETION,
        Outcome.FUNDED_BY_POOL,
        Outcome.FUNDED_PARTIALLY,
        Outcome.FUNDED_BY_OVERRIDE,
    }
)

_WHY = {
    Outcome.FUNDED: ("funded", "获得资助"),
    Outcome.FUNDED_BY_COMPLETION: (
        "funded when the rule completed the budget",
        "补足预算时获得资助",
    ),
    Outcome.FUNDED_BY_POOL: ("funded from the town pool", "由镇统筹资金资助"),
    Outcome.FUNDED_PARTIALLY: ("partly funded", "部分资助"),
    Outcome.FUNDED_BY_OVERRIDE: ("funded by an officer's override", "经人工调整予以资助"),
    Outcome.DOES_NOT_FIT: ("skipped: it does not fit in the money left", "跳过：剩余资金不足"),
    Outcome.STOPPED: (
        "not funded: the rule stopped at the first project that did not fit",
        "未资助：规则在第一个放不下的项目处停止",
    ),
    Outcome.BELOW_THRESHOLD: (
        "not eligible: support below the minimum",
        "不符合条件：支持数低于下限",
    ),
    Outcome.OVER_CAP: (
        "not eligible: its cost is over the project cap",
        "不符合条件：费用超过单项上限",
    ),
    Outcome.NO_SUPPORTERS: ("not funded: nobody approves it", "未资助：无人赞成"),
    Outcome.UNAFFORDABLE: (
        "not funded: its supporters' remaining shares do not cover its cost",
        "未资助：支持者剩余的份额不足以支付其费用",
    ),
    Outcome.SKIPPED_BY_OVERRIDE: (
        "not funded: skipped by an officer's override",
        "未资助：经人工调整不予资助",
    ),
    Outcome.NO_HEADING: (
        "not eligible under any heading",
        "不符合任何资金科目的条件",
    ),
}

_MEASURE_ZH: Final = {"votes": "票数", "score": "得分", "effective votes": "有效票数"}


def _tie_tuple(value: Iterable[Tie]) -> tuple[Tie, ...]:
    return tuple(value)


def _grants(value: Iterable[tuple[str, Fraction]]) -> tuple[tuple[str, Fraction], ...]:
    return tuple((h, Fraction(a)) for h, a in value)


@attrs.frozen(kw_only=True)
class Explanation:
    """Why one project was funded or not, with the figures a resident can check.

    Attributes:
        project: The project id.
        rank: Its place in the order the rule considered projects (1 = first).
        votes: How many voters approve it.
        score: What the rule ranked by (votes, the file's score, or for MES the
            effective vote count ``cost / ρ``), or None where nothing ranks it.
        cost: Its cost.
        outcome: Funded, or why not.
        money_left: The budget left right after the rule decided on it.
        rho: For the Method of Equal Shares: the price ρ per unit of utility at which
            its supporters bought it (None when not bought).
        supporters_money: For the Method of Equal Shares: what its supporters still
            held when it was bought, or at the end when it was not.
        ranked_by: What ``score`` is: ``"votes"``, ``"score"`` (the file's points or
            score) or ``"effective votes"`` (MES); None where nothing ranks it.
        ties: The ties it was part of (a rule may meet it in more than one), each
            named in :meth:`describe`.
        grants: Under headings: the money it got, per heading id, in fill order
            (empty for a rule run without headings: it gets its cost when funded).
        override: The officer's override applied to it, if any.

    Example:
        >>> e = Explanation(project="a", rank=1, votes=3, score=Fraction(3), cost=Fraction(60),
        ...                 outcome=Outcome.FUNDED, money_left=Fraction(40))
        >>> e.funded, e.describe()
        (True, 'a: rank 1, 3 votes, cost 60, funded; money left 40')
        >>> e = Explanation(project="b", rank=2, votes=3, score=Fraction(17), cost=Fraction(50),
        ...                 outcome=Outcome.DOES_NOT_FIT, money_left=Fraction(40),
        ...                 ranked_by="score")
        >>> e.describe()
        'b: rank 2, ranked by score 17, 3 votes, cost 50, skipped: it does not fit in the
        money left; money left 40'
    """

    project: str
    rank: int
    votes: int
    score: Fraction | None
    cost: Fraction
    outcome: Outcome
    money_left: Fraction
    rho: Fraction | None = None
    supporters_money: Fraction | None = None
    ranked_by: str | None = None
    ties: tuple[Tie, ...] = attrs.field(default=(), converter=_tie_tuple)
    grants: tuple[tuple[str, Fraction], ...] = attrs.field(default=(), converter=_grants)
    override: Override | None = None

    @property
    def funded(self) -> bool:
        """Whether the project got money (in full or, under a heading, partly).

        Example:
            >>> Explanation(project="a", rank=1, votes=0, score=None, cost=Fraction(1),
            ...             outcome=Outcome.NO_SUPPORTERS, money_left=Fraction(0)).funded
            False
        """
        return self.outcome in _FUNDED

    @property
    def paid(self) -> Fraction:
        """The money it got: its grants under headings, else its cost when funded.

        Example:
            >>> Explanation(project="a", rank=1, votes=1, score=None, cost=Fraction(80),
            ...             outcome=Outcome.FUNDED_PARTIALLY, money_left=Fraction(0),
            ...             grants=[("self-gov", Fraction(30))]).paid
            Fraction(30, 1)
        """
        if self.grants:
            return sum((a for _h, a in self.grants), Fraction(0))
        return self.cost if self.funded else Fraction(0)

    def describe(self, language: str = "en", *, unit: int | Fraction = 1) -> str:
        """One line for a resident, in English (``"en"``) or Chinese (``"zh"``).

        The line names the figure the project was ranked by when it is a score (votes
        are always shown; the Method of Equal Shares shows its ρ), the ties it was in,
        the headings that paid and any officer override.

        Args:
            language: ``"en"`` or ``"zh"``.
            unit: Show amounts divided by this (100 shows fen as yuan).

        Example:
            >>> e = Explanation(project="a", rank=2, votes=5, score=None, cost=Fraction(8000),
            ...                 outcome=Outcome.DOES_NOT_FIT, money_left=Fraction(4050))
            >>> e.describe("zh", unit=100)
            'a：第 2 位，5 票，费用 80，跳过：剩余资金不足；剩余资金 40.50'
        """
        en, zh = _WHY[self.outcome]

        def num(value: Fraction) -> str:
            return _num(value / unit)

        extra_en = extra_zh = ""
        if self.rho is not None:
            extra_en += f", rho {float(self.rho):.4g}"
            extra_zh += f"，ρ = {float(self.rho):.4g}"
        if self.supporters_money is not None:
            extra_en += f", supporters held {num(self.supporters_money)}"
            extra_zh += f"，支持者持有 {num(self.supporters_money)}"
        if self.grants:
            paid = ", ".join(f"{num(a)} from {h}" for h, a in self.grants)
            extra_en += f" ({paid})"
            extra_zh += "（" + "，".join(f"{h} 支付 {num(a)}" for h, a in self.grants) + "）"
        if self.override is not None:
            extra_en += f"; {self.override.describe()}"
            extra_zh += f"；{self.override.describe('zh')}"
        for tie in self.ties:
            extra_en += f"; {tie.describe()}"
            extra_zh += f"；{tie.describe('zh')}"
        ranked_en = ranked_zh = ""
        if self.ranked_by == "score" and self.score is not None:
            ranked_en = f"ranked by {self.ranked_by} {_num(self.score)}, "
            label = _MEASURE_ZH.get(str(self.ranked_by), str(self.ranked_by))
            ranked_zh = f"按{label} {_num(self.score)} 排序，"
        if language == "zh":
            return (
                f"{self.project}：第 {self.rank} 位，{ranked_zh}{self.votes} 票，"
                f"费用 {num(self.cost)}，{zh}{extra_zh}；剩余资金 {num(self.money_left)}"
            )
        return (
            f"{self.project}: rank {self.rank}, {ranked_en}{self.votes} votes, "
            f"cost {num(self.cost)}, {en}{extra_en}; money left {num(self.money_left)}"
        )


def _num(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}"


def _ties(value: Iterable[Tie]) -> tuple[Tie, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Allocation:
    """What a rule decided: the funded projects and an explanation for every project.

    Attributes:
        rule: The rule's name (``"greedy"``, ``"mes"``, ``"mes-add1"`` …).
        budget: The budget the rule had to respect.
        selected: The funded project ids, in the order the rule funded them.
        explanations: One per project, by rank.
        per_voter_budget: For the Method of Equal Shares: each voter's starting share
            in the run that was kept (after add1 increases).
        ties: Every tie the rule met, in the order it met them.
        tie_break: The tie-break the rule used.
        seed: The recorded seed of a public lot (``TieBreak.LOT``), else None.

    Example:
        >>> from microgov.funds import greedy
        >>> inst = AllocationInstance(budget=100,
        ...     projects=[Proposal(id="a", cost=60), Proposal(id="b", cost=50)],
        ...     ballots=[{"a"}, {"a", "b"}, {"b"}, {"a"}])
        >>> result = greedy(inst)
        >>> result.selected, result.cost, result.left
        (('a',), Fraction(60, 1), Fraction(40, 1))
    """

    rule: str
    budget: Fraction
    selected: tuple[str, ...]
    explanations: tuple[Explanation, ...]
    per_voter_budget: Fraction | None = None
    ties: tuple[Tie, ...] = attrs.field(default=(), converter=_ties)
    tie_break: TieBreak = TieBreak.ID
    seed: str | None = None

    @property
    def cost(self) -> Fraction:
        """The money the rule gave out (never more than ``budget``).

        Example:
            >>> Allocation(rule="x", budget=Fraction(5), selected=(), explanations=()).cost
            Fraction(0, 1)
        """
        return sum((e.paid for e in self.explanations), Fraction(0))

    @property
    def left(self) -> Fraction:
        """The money the rule left unspent.

        Example:
            >>> Allocation(rule="x", budget=Fraction(5), selected=(), explanations=()).left
            Fraction(5, 1)
        """
        return self.budget - self.cost

    def explanation(self, project_id: str) -> Explanation:
        """The explanation of one project.

        Raises:
            FundsError: ``funds.unknown_project``.

        Example:
            >>> from microgov.funds import greedy
            >>> inst = AllocationInstance(budget=1, projects=[Proposal(id="a", cost=1)],
            ...                           ballots=[{"a"}])
            >>> greedy(inst).explanation("a").outcome
            <Outcome.FUNDED: 'funded'>
        """
        for e in self.explanations:
            if e.project == project_id:
                return e
        raise FundsError(
            f"No project has the id {project_id!r:.40}.",
            f"没有编号为 {project_id!r:.40} 的项目。",
            code="funds.unknown_project",
            project=project_id,
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: ``{"rule", "budget", "selected", "explanations", "ties", …}``.

        Numbers are strings of exact fractions (``"1000"``, ``"1/3"``).

        Example:
            >>> from microgov.funds import greedy
            >>> inst = AllocationInstance(budget=1, projects=[Proposal(id="a", cost=1)],
            ...                           ballots=[{"a"}])
            >>> greedy(inst).to_dict()["selected"]
            ['a']
        """

        def opt(value: Fraction | None) -> str | None:
            return None if value is None else str(value)

        return {
            "rule": self.rule,
            "budget": str(self.budget),
            "selected": list(self.selected),
            "per_voter_budget": opt(self.per_voter_budget),
            "tie_break": self.tie_break.value,
            "seed": self.seed,
            "ties": [t.to_dict() for t in self.ties],
            "explanations": [
                {
                    "project": e.project,
                    "rank": e.rank,
                    "votes": e.votes,
                    "score": opt(e.score),
                    "ranked_by": e.ranked_by,
                    "cost": str(e.cost),
                    "funded": e.funded,
                    "paid": str(e.paid),
                    "outcome": e.outcome.value,
                    "why": e.describe(),
                    "money_left": str(e.money_left),
                    "rho": opt(e.rho),
                    "supporters_money": opt(e.supporters_money),
                    "grants": [[h, str(a)] for h, a in e.grants],
                    "override": None
                    if e.override is None
                    else {
                        "action": e.override.action.value,
                        "reason": e.override.reason,
                        "author": e.override.author,
                    },
                }
                for e in self.explanations
            ],
        }
