"""Fairness figures a policy officer can quote about any allocation.

:func:`fairness` reports, for one allocation of one election: how many households got
at least one project they supported funded; per area, its share of the money against
its share of the households; per category, its share of the support against its
share of the money, with the L1 distance between the two; and whether the outcome
satisfies EJR up to one project (:func:`ejr_up_to_one`), exactly where the search is
small enough and otherwise up to a stated bound.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from microgov.errors import FundsError
from microgov.funds.allocation._instance import Allocation, AllocationInstance

__all__ = [
    "AreaShare",
    "CategoryShare",
    "EjrCheck",
    "Fairness",
    "ejr_up_to_one",
    "fairness",
    "fairness_table",
]

DEFAULT_EJR_LIMIT = 200_000
"""How many project sets :func:`ejr_up_to_one` examines before it stops and says so."""


def _pct(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"


@attrs.frozen(kw_only=True)
class EjrCheck:
    """The answer to "does this outcome satisfy EJR up to one project?".

    EJR up to one (cost utilities): for every set T of projects and every group S of
    voters who all approve T with ``|S| / n ≥ cost(T) / budget``, some voter in S has
    funded projects worth at least ``cost(T)``, or would pass ``cost(T)`` with one more
    project of T.  A violation is a T whose supporters failing that test are numerous
    enough to deserve T on their own.

    Attributes:
        satisfied: True (no violation), False (``violation`` found), or None when the
            search stopped at its limit without finding one.
        exact: Whether every relevant project set was examined (the answer is proved).
        sets_checked: How many project sets were examined.
        violation: A violating project set, else None.
        group: How many voters of the violating set's supporters were short-changed.

    Example:
        >>> EjrCheck(satisfied=True, exact=True, sets_checked=7).describe()
        'EJR up to one project: satisfied (exact check, 7 project sets)'
    """

    satisfied: bool | None
    exact: bool
    sets_checked: int
    violation: tuple[str, ...] | None = None
    group: int = 0

    def describe(self, language: str = "en") -> str:
        """One line for a report.

        Example:
            >>> bounded = EjrCheck(satisfied=None, exact=False, sets_checked=200_000)
            >>> "并非证明" in bounded.describe("zh"), "not a proof" in bounded.describe()
            (True, True)
        """
        if language == "zh":
            head = "一项内的扩展合理代表性（EJR up to one）："
            if self.satisfied is False:
                assert self.violation is not None
                return (
                    f"{head}不满足：{self.group} 位共同支持 {'、'.join(self.violation)} 的"
                    f"投票者人数足以获得这些项目，却未得到相应资助"
                )
            if self.satisfied:
                return f"{head}满足（完整检查，{self.sets_checked} 个项目组合）"
            return (
                f"{head}在检查的前 {self.sets_checked} 个项目组合中未发现违反"
                f"（已达检查上限，并非证明）"
            )
        head = "EJR up to one project: "
        if self.satisfied is False:
            assert self.violation is not None
            return (
                f"{head}NOT satisfied: {self.group} voters who all approve "
                f"{', '.join(self.violation)} are enough to deserve them and got too little"
            )
        if self.satisfied:
            sets = "set" if self.sets_checked == 1 else "sets"
            return f"{head}satisfied (exact check, {self.sets_checked} project {sets})"
        return (
            f"{head}no violation among the first {self.sets_checked} project sets "
            f"(bounded check: the search stopped at its limit, this is not a proof)"
        )


def ejr_up_to_one(
    instance: AllocationInstance, selected: Iterable[str], *, limit: int = DEFAULT_EJR_LIMIT
) -> EjrCheck:
    """Check EJR up to one project (cost utilities) by a depth-first search over bitsets.

    Voters are numbered by what the outcome gives them (cheapest first), so "the
    supporters of T who got at most x" is one AND with a low-bits mask; the
    supporters of T are the AND of its projects' supporter bitsets.  The search adds
    projects to T depth-first and abandons a branch as soon as T's supporters can no
    longer afford it (``|S(T)| · budget < n · cost(T)``): adding projects only
    shrinks S(T) and raises cost(T), so nothing below it can be a violation.

    Args:
        instance: The election.
        selected: The funded projects.
        limit: How many project sets to examine at most; past it the answer is
            "no violation found so far" (``exact=False``).

    Returns:
        The answer, saying whether it is exact.

    Raises:
        FundsError: ``funds.unknown_project`` for a selected project that is not one.

    Complexity:
        At most ``limit`` sets, each one AND and one bit count over n bits.

    Example:
        >>> from microgov.funds import Proposal
        >>> inst = AllocationInstance(budget=100,
        ...     projects=[Proposal(id=i, cost=50) for i in "abc"],
        ...     ballots=[{"a", "b"}] * 3 + [{"c"}] * 3)
        >>> ejr_up_to_one(inst, ["a", "b"]).satisfied
        False
        >>> ejr_up_to_one(inst, ["a", "c"]).describe()
        'EJR up to one project: satisfied (exact check, 3 project sets)'
    """
    chosen = frozenset(selected)
    costs = {p.id: p.cost for p in instance.projects}
    for pid in chosen:
        if pid not in costs:
            instance.project(pid)  # raises funds.unknown_project
    n, budget = len(instance.ballots), instance.budget
    worth: dict[tuple[str, ...], Fraction] = {}
    for b in instance.ballots:
        if b not in worth:
            worth[b] = sum((costs[q] for q in b if q in chosen), Fraction(0))
    utility = [worth[b] for b in instance.ballots]
    order = sorted(range(n), key=utility.__getitem__)
    levels = [utility[i] for i in order]
    bits: dict[str, bytearray] = {p: bytearray(n // 8 + 1) for p in costs}
    for bit, voter in enumerate(order):
        byte, flag = bit >> 3, 1 << (bit & 7)
        for q in instance.ballots[voter]:
            bits[q][byte] |= flag
    support = {p: int.from_bytes(b, "little") for p, b in bits.items()}
    projects = sorted(
        (p for p in costs if costs[p] > 0 and support[p]),
        key=lambda p: (-support[p].bit_count(), costs[p], p),
    )
    checked = 0
    if n == 0:
        return EjrCheck(satisfied=True, exact=True, sets_checked=0)
    # (next project index, supporters of T, cost(T), max cost in T \ W, T)
    stack: list[tuple[int, int, Fraction, Fraction, tuple[str, ...]]] = [
        (0, (1 << n) - 1, Fraction(0), Fraction(0), ())
    ]
    while stack:
        start, mask, cost, top, members = stack.pop()
        for j in range(len(projects) - 1, start - 1, -1):
            p = projects[j]
            sub = mask & support[p]
            c = cost + costs[p]
            size = sub.bit_count()
            if size * budget < n * c:
                continue  # T ∪ {p} and every superset: not affordable by its supporters
            checked += 1
            if checked > limit:
                return EjrCheck(satisfied=None, exact=False, sets_checked=limit)
            t = (*members, p)
            m = top if p in chosen else max(top, costs[p])
            if m > 0:  # T has a project not funded
                k = min(bisect_right(levels, c - m), bisect_left(levels, c))
                failing = (sub & ((1 << k) - 1)).bit_count()
                if failing and failing * budget >= n * c:
                    return EjrCheck(
                        satisfied=False,
                        exact=True,
                        sets_checked=checked,
                        violation=tuple(sorted(t)),
                        group=failing,
                    )
            stack.append((j + 1, sub, c, m, t))
    return EjrCheck(satisfied=True, exact=True, sets_checked=checked)


@attrs.frozen(kw_only=True)
class AreaShare:
    """One area's share of the money against its share of the households.

    Example:
        >>> a = AreaShare(area="A", money=Fraction(30), money_share=Fraction(3, 10),
        ...               households=200, household_share=Fraction(1, 4))
        >>> a.describe()
        'A: 30.0% of the money, 25.0% of the households'
    """

    area: str
    money: Fraction
    money_share: Fraction
    households: int
    household_share: Fraction

    def describe(self, language: str = "en") -> str:
        """One line for a report.

        Example:
            >>> AreaShare(area="A", money=Fraction(0), money_share=Fraction(0),
            ...           households=1, household_share=Fraction(1)).describe("zh")
            'A：资金占比 0.0%，户数占比 100.0%'
        """
        if language == "zh":
            return (
                f"{self.area}：资金占比 {_pct(self.money_share)}，"
                f"户数占比 {_pct(self.household_share)}"
            )
        return (
            f"{self.area}: {_pct(self.money_share)} of the money, "
            f"{_pct(self.household_share)} of the households"
        )


@attrs.frozen(kw_only=True)
class CategoryShare:
    """One category's share of the support against its share of the money.

    Example:
        >>> CategoryShare(category="green", support_share=Fraction(1, 2),
        ...               money_share=Fraction(1, 4)).describe()
        'green: 50.0% of the support, 25.0% of the money'
    """

    category: str
    support_share: Fraction
    money_share: Fraction

    def describe(self, language: str = "en") -> str:
        """One line for a report.

        Example:
            >>> CategoryShare(category="sport", support_share=Fraction(1),
            ...               money_share=Fraction(1)).describe("zh")
            'sport：支持占比 100.0%，资金占比 100.0%'
        """
        if language == "zh":
            return (
                f"{self.category}：支持占比 {_pct(self.support_share)}，"
                f"资金占比 {_pct(self.money_share)}"
            )
        return (
            f"{self.category}: {_pct(self.support_share)} of the support, "
            f"{_pct(self.money_share)} of the money"
        )


def _areas(value: Iterable[AreaShare]) -> tuple[AreaShare, ...]:
    return tuple(value)


def _categories(value: Iterable[CategoryShare]) -> tuple[CategoryShare, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Fairness:
    """Fairness figures of one allocation (see :func:`fairness`).

    Attributes:
        rule: The allocation's rule.
        voters: How many households voted (ballots, empty ones included).
        served: How many of them have at least one funded project they supported.
        served_share: ``served / voters`` (0 when nobody voted).
        areas: Per area, money share against household share (empty when no
            household counts were given).
        categories: Per category, support share against money share.
        category_distance: The L1 distance between the categories' support shares
            and money shares (0 = money follows support exactly; at most 2).
        ejr: EJR up to one project.

    Example:
        >>> from microgov.funds import Proposal, greedy
        >>> inst = AllocationInstance(budget=100,
        ...     projects=[Proposal(id="a", cost=60), Proposal(id="b", cost=50)],
        ...     ballots=[{"a"}, {"a"}, {"b"}, set()])
        >>> f = fairness(inst, greedy(inst))
        >>> f.served, f.served_share
        (2, Fraction(1, 2))
    """

    rule: str
    voters: int
    served: int
    served_share: Fraction
    areas: tuple[AreaShare, ...] = attrs.field(converter=_areas)
    categories: tuple[CategoryShare, ...] = attrs.field(converter=_categories)
    category_distance: Fraction
    ejr: EjrCheck

    @property
    def area_distance(self) -> Fraction:
        """The L1 distance between the areas' money shares and household shares.

        0 when money follows households exactly; at most 2.  0 without area figures.

        Example:
            >>> f = Fairness(rule="x", voters=0, served=0, served_share=Fraction(0),
            ...     areas=[AreaShare(area="A", money=Fraction(1), money_share=Fraction(1),
            ...                      households=1, household_share=Fraction(1, 2)),
            ...            AreaShare(area="B", money=Fraction(0), money_share=Fraction(0),
            ...                      households=1, household_share=Fraction(1, 2))],
            ...     categories=[], category_distance=Fraction(0),
            ...     ejr=EjrCheck(satisfied=True, exact=True, sets_checked=0))
            >>> f.area_distance
            Fraction(1, 1)
        """
        return sum((abs(a.money_share - a.household_share) for a in self.areas), Fraction(0))

    def lines(self, language: str = "en") -> list[str]:
        """The figures as report lines, in English (``"en"``) or Chinese (``"zh"``).

        Example:
            >>> from microgov.funds import Proposal
            >>> inst = AllocationInstance(budget=100,
            ...     projects=[Proposal(id="a", cost=60, categories=["green"]),
            ...               Proposal(id="b", cost=50, categories=["sport"])],
            ...     ballots=[{"a"}, {"a"}, {"b"}])
            >>> from microgov.funds import greedy
            >>> for line in fairness(inst, greedy(inst)).lines():
            ...     print(line)
            households with a funded project they supported: 2 of 3 (66.7%)
            category green: 66.7% of the support, 100.0% of the money
            category sport: 33.3% of the support, 0.0% of the money
            category distance (L1, support vs money): 0.667
            EJR up to one project: satisfied (exact check, 1 project set)
        """
        zh = language == "zh"
        if zh:
            out = [
                f"有至少一个所支持项目获资助的户数：{self.served} / {self.voters}"
                f"（{_pct(self.served_share)}）"
            ]
        else:
            out = [
                f"households with a funded project they supported: {self.served} of "
                f"{self.voters} ({_pct(self.served_share)})"
            ]
        out += [("小区 " if zh else "area ") + a.describe(language) for a in self.areas]
        out += [("类别 " if zh else "category ") + c.describe(language) for c in self.categories]
        if self.categories:
            distance = f"{float(self.category_distance):.3g}"
            out.append(
                f"类别距离（L1，支持与资金）：{distance}"
                if zh
                else f"category distance (L1, support vs money): {distance}"
            )
        out.append(self.ejr.describe(language))
        return out

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (exact fractions as strings).

        Example:
            >>> from microgov.funds import Proposal
            >>> inst = AllocationInstance(budget=1, projects=[Proposal(id="a", cost=1)],
            ...                           ballots=[{"a"}])
            >>> from microgov.funds import greedy
            >>> fairness(inst, greedy(inst)).to_dict()["served_share"]
            '1'
        """
        return {
            "rule": self.rule,
            "voters": self.voters,
            "served": self.served,
            "served_share": str(self.served_share),
            "areas": [
                {
                    "area": a.area,
                    "money": str(a.money),
                    "money_share": str(a.money_share),
                    "households": a.households,
                    "household_share": str(a.household_share),
                }
                for a in self.areas
            ],
            "categories": [
                {
                    "category": c.category,
                    "support_share": str(c.support_share),
                    "money_share": str(c.money_share),
                }
                for c in self.categories
            ],
            "category_distance": str(self.category_distance),
            "ejr_up_to_one": {
                "satisfied": self.ejr.satisfied,
                "exact": self.ejr.exact,
                "sets_checked": self.ejr.sets_checked,
                "violation": None if self.ejr.violation is None else list(self.ejr.violation),
                "group": self.ejr.group,
                "why": self.ejr.describe(),
            },
        }


def _share(part: Fraction | int, whole: Fraction | int) -> Fraction:
    return Fraction(part) / whole if whole else Fraction(0)


def fairness(
    instance: AllocationInstance,
    allocation: Allocation,
    *,
    households: Mapping[str, int] | None = None,
    ejr_limit: int = DEFAULT_EJR_LIMIT,
) -> Fairness:
    """Fairness figures of an allocation a policy officer can quote.

    * Households served: voters (households: one hand each) with at least one funded
      project among those they approved, as a count and a share of all voters.
    * Per area (when ``households`` gives each area's household count): the share of
      the money its projects (by ``scope``) got against its share of the households.
    * Per category: the share of all approvals its projects got against the share of
      the money; a project in several categories counts equally in each.  The L1
      distance is the sum over categories of the absolute differences, as
      equalshares.net compares outcomes by category.
    * EJR up to one project: :func:`ejr_up_to_one`, exact below ``ejr_limit`` sets.

    Money counts what each project was paid (:attr:`Explanation.paid
    <microgov.funds.Explanation.paid>`): a partly funded project counts with its part.

    Args:
        instance: The election.
        allocation: Its allocation.
        households: Households per area id, for the area figures.
        ejr_limit: The EJR search bound.

    Returns:
        The figures.

    Raises:
        FundsError: ``funds.unknown_project`` for an allocation of other projects;
            ``funds.bad_households`` for a negative household count.

    Example:
        >>> from microgov.funds import Proposal
        >>> inst = AllocationInstance(budget=100,
        ...     projects=[Proposal(id="a", cost=60, scope="A"),
        ...               Proposal(id="b", cost=40, scope="B")],
        ...     ballots=[{"a"}, {"b"}, {"b"}])
        >>> from microgov.funds import greedy
        >>> f = fairness(inst, greedy(inst), households={"A": 100, "B": 300})
        >>> for area in f.areas:
        ...     print(area.describe())
        A: 60.0% of the money, 25.0% of the households
        B: 40.0% of the money, 75.0% of the households
    """
    paid = {e.project: e.paid for e in allocation.explanations if e.funded}
    for pid in paid:
        instance.project(pid)
    funded = frozenset(paid)
    served = sum(1 for b in instance.ballots if not funded.isdisjoint(b))
    voters = len(instance.ballots)
    total = sum(paid.values(), Fraction(0))
    areas: list[AreaShare] = []
    if households:
        bad = [a for a, h in households.items() if not isinstance(h, int) or h < 0]
        if bad:
            raise FundsError(
                f"Area {bad[0]!r:.40} has a household count that is not a whole number ≥ 0.",
                f"小区 {bad[0]!r:.40} 的户数不是非负整数。",
                code="funds.bad_households",
                area=bad[0],
            )
        everyone = sum(households.values())
        for area in sorted(households):
            money = sum(
                (paid.get(p.id, Fraction(0)) for p in instance.projects if p.scope == area),
                Fraction(0),
            )
            areas.append(
                AreaShare(
                    area=area,
                    money=money,
                    money_share=_share(money, total),
                    households=households[area],
                    household_share=_share(households[area], everyone),
                )
            )
    approvals = instance.approvals()
    support: dict[str, Fraction] = {}
    money_in: dict[str, Fraction] = {}
    for p in instance.projects:
        if not p.categories:
            continue
        k = len(p.categories)
        for c in p.categories:
            support[c] = support.get(c, Fraction(0)) + Fraction(approvals[p.id], k)
            money_in[c] = money_in.get(c, Fraction(0)) + paid.get(p.id, Fraction(0)) / k
    all_support, all_money = sum(support.values(), Fraction(0)), sum(money_in.values(), Fraction(0))
    categories = [
        CategoryShare(
            category=c,
            support_share=_share(support[c], all_support),
            money_share=_share(money_in[c], all_money),
        )
        for c in sorted(support)
    ]
    distance = sum((abs(c.support_share - c.money_share) for c in categories), Fraction(0))
    return Fairness(
        rule=allocation.rule,
        voters=voters,
        served=served,
        served_share=_share(served, voters),
        areas=areas,
        categories=categories,
        category_distance=distance,
        ejr=ejr_up_to_one(instance, funded, limit=ejr_limit),
    )


def _ejr_cell(check: EjrCheck) -> str:
    if check.satisfied is False:
        return "NO 否"
    if check.satisfied:
        return "yes 是"
    return "not proved 未证明"


def fairness_table(
    instance: AllocationInstance,
    allocations: Mapping[str, Allocation],
    *,
    households: Mapping[str, int] | None = None,
    ejr_limit: int = DEFAULT_EJR_LIMIT,
) -> list[str]:
    """Fairness figures of several allocations of one election, side by side (two languages).

    One column per allocation (e.g. MES and greedy), one row per figure: households
    served, the L1 distance between the areas' money and household shares (with
    ``households``), the L1 distance between the categories' support and money shares
    (when projects have categories), and EJR up to one project.

    Args:
        instance: The election.
        allocations: Column label → allocation.
        households: Households per area, for the area row.
        ejr_limit: The EJR search bound.

    Returns:
        The table's lines.

    Example:
        >>> from microgov.funds import Proposal, equal_shares, greedy
        >>> inst = AllocationInstance(budget=100,
        ...     projects=[Proposal(id=i, cost=50, scope=s) for i, s in zip("abc", "AAB")],
        ...     ballots=[{"a", "b"}] * 3 + [{"c"}] * 3)
        >>> for line in fairness_table(inst, {"MES": equal_shares(inst), "greedy": greedy(inst)},
        ...                            households={"A": 3, "B": 3}):
        ...     print(line)
                                                               MES         greedy
        households served 有项目获资助的户数               6 (100.0%)      3 (50.0%)
        areas: money vs households (L1) 资金与户数                   0              1
        EJR up to one project 一项内 EJR                        yes 是           NO 否
    """
    figures = {
        label: fairness(instance, a, households=households, ejr_limit=ejr_limit)
        for label, a in allocations.items()
    }
    width = max([16, *(len(label) + 2 for label in figures)])
    head = 48
    out = [" " * head + "".join(f"{label:>{width}}" for label in figures)]

    def row(name: str, cells: Iterable[str]) -> None:
        text = "".join(f"{c:>{width - _wide(c)}}" for c in cells)
        out.append(f"{name:<{head - _wide(name)}}{text}")

    row(
        "households served 有项目获资助的户数",
        (f"{f.served:,} ({_pct(f.served_share)})" for f in figures.values()),
    )
    if households:
        row(
            "areas: money vs households (L1) 资金与户数",
            (f"{float(f.area_distance):.3g}" for f in figures.values()),
        )
    if any(f.categories for f in figures.values()):
        row(
            "categories: support vs money (L1) 类别",
            (f"{float(f.category_distance):.3g}" for f in figures.values()),
        )
    row("EJR up to one project 一项内 EJR", (_ejr_cell(f.ejr) for f in figures.values()))
    return out


def _wide(text: str) -> int:
    """How many more columns than characters ``text`` takes (CJK characters take two)."""
    return sum(1 for ch in text if ord(ch) > 0x2E80)
