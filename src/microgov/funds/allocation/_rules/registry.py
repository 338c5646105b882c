"""The rules by name: :data:`RULES`, :func:`run_rule` and :func:`allocate_election`."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Literal

from microgov.errors import FundsError
from microgov.funds.allocation._instance import Allocation, AllocationInstance
from microgov.funds.allocation._pabulib import PbElection
from microgov.funds.allocation._rules.greedy import greedy
from microgov.funds.allocation._rules.mes import equal_shares
from microgov.funds.allocation._ties import TieBreak

__all__ = ["RULES", "RankBy", "allocate_election", "default_rank_by", "run_rule"]

RankBy = Literal["votes", "score"]


def _threshold(election: PbElection) -> Fraction:
    text = election.meta.get("min_project_score_threshold")
    try:
        return Fraction(text) if text else Fraction(0)
    except ValueError:
        raise FundsError(
            f"META min_project_score_threshold is not a number: {text!r:.40}.",
            f"META 中的 min_project_score_threshold 不是数字：{text!r:.40}。",
            code="funds.bad_threshold",
            field="min_project_score_threshold",
        ) from None


RULES: Mapping[str, str] = {
    "greedy": "rank by votes (the file's score for pabulib files), skip what does not fit",
    "greedy-no-skip": "rank by votes, stop at the first project that does not fit",
    "greedy-threshold": "greedy among projects whose score reaches the file's threshold",
    "mes": "Method of Equal Shares, cost utilities, no completion",
    "mes-cardinality": "Method of Equal Shares, cardinality utilities, no completion",
    "mes-add1": "MES (cost) raising per-voter budgets one unit at a time (equalshares/add1)",
    "mes-add1-comparison": "mes-add1, then equalshares.net's comparison with greedy",
    "mes-utilitarian": "MES (cost), then greedy by votes on what is left",
}
"""The rule names :func:`run_rule` and ``microgov allocate`` accept, with a summary.

pabulib's names are accepted too: ``equalshares`` (= ``mes``), ``equalshares/add1``
and ``equalshares/add1-comparison``.

Example:
    >>> sorted(RULES)[:3]
    ['greedy', 'greedy-no-skip', 'greedy-threshold']
"""

_ALIASES = {
    "equalshares": "mes",
    "equalshares/add1": "mes-add1",
    "equalshares/add1-comparison": "mes-add1-comparison",
    "mes-cost": "mes",
}


def run_rule(
    instance: AllocationInstance,
    rule: str,
    *,
    by: RankBy = "votes",
    threshold: int | Fraction | None = None,
    tie: TieBreak = TieBreak.ID,
    seed: str | None = None,
) -> Allocation:
    """Run a rule by name (see :data:`RULES`; pabulib's names are accepted too).

    Args:
        instance: The election.
        rule: The rule's name.
        by: What greedy rules rank by: ``"votes"`` (supporters) or ``"score"`` (each
            project's given score: a cumulative file's points).
        threshold: The minimum score for ``greedy-threshold`` (default 0).
        tie: The tie-break.
        seed: The recorded seed of a public lot (with ``TieBreak.LOT``).

    Raises:
        FundsError: ``funds.unknown_rule`` naming the rules there are;
            ``funds.no_seed`` for a lot without a seed.

    Example:
        >>> from microgov.funds import AllocationInstance, Proposal
        >>> inst = AllocationInstance(budget=10, projects=[Proposal(id="a", cost=10)],
        ...                           ballots=[{"a"}])
        >>> run_rule(inst, "equalshares/add1").selected
        ('a',)
    """
    key = _ALIASES.get(rule, rule)
    if key == "greedy":
        return greedy(instance, by=by, name="greedy", tie=tie, seed=seed)
    if key == "greedy-no-skip":
        return greedy(instance, by=by, skip=False, name="greedy-no-skip", tie=tie, seed=seed)
    if key == "greedy-threshold":
        limit = Fraction(0) if threshold is None else Fraction(threshold)
        return greedy(instance, by=by, min_score=limit, name="greedy-threshold", tie=tie, seed=seed)
    if key == "mes":
        return equal_shares(instance, name="mes", tie=tie, seed=seed)
    if key == "mes-cardinality":
        return equal_shares(
            instance, utility="cardinality", name="mes-cardinality", tie=tie, seed=seed
        )
    if key == "mes-add1":
        return equal_shares(instance, completion="add1", name="mes-add1", tie=tie, seed=seed)
    if key == "mes-add1-comparison":
        return equal_shares(
            instance,
            completion="add1",
            comparison=True,
            name="mes-add1-comparison",
            tie=tie,
            seed=seed,
        )
    if key == "mes-utilitarian":
        return equal_shares(
            instance, completion="utilitarian", name="mes-utilitarian", tie=tie, seed=seed
        )
    names = ", ".join(sorted(RULES))
    raise FundsError(
        f"Unknown allocation rule {rule!r:.40}; the rules are: {names}.",
        f"未知的分配规则 {rule!r:.40}；可用的规则：{names}。",
        code="funds.unknown_rule",
        rule=rule,
    )


def default_rank_by(election: PbElection) -> RankBy:
    """What greedy ranks a pabulib election by unless told otherwise.

    pabulib's PROJECTS ``score`` column is the figure the city ranked by (a cumulative
    or scoring file's points); where the file has one, greedy ranks by it, else by
    votes (supporters).

    Example:
        >>> from microgov.funds import read_pabulib
        >>> e = read_pabulib("META\\nkey;value\\nbudget;10\\nvote_type;cumulative\\n"
        ...     "PROJECTS\\nproject_id;cost;votes;score\\na;6;1;3\\n"
        ...     "VOTES\\nvoter_id;vote;points\\n1;a;3\\n")
        >>> default_rank_by(e)
        'score'
    """
    return "score" if any("score" in p.fields for p in election.projects) else "votes"


def allocate_election(
    election: PbElection,
    rule: str | None = None,
    *,
    rank_by: RankBy | None = None,
    tie: TieBreak = TieBreak.ID,
    seed: str | None = None,
) -> Allocation:
    """Run a rule on a pabulib election as the file says (or as ``rule`` says).

    Greedy rules rank by ``rank_by``: ``"score"`` is the file's ``score`` column
    (else its ``votes`` column), ``"votes"`` the supporters counted from the ballots;
    the default is :func:`default_rank_by` (score where the file has the column).
    ``greedy-threshold`` takes META ``min_project_score_threshold`` as the minimum of
    that figure.  Without ``rule``, the file's META ``rule`` is used.  Ties follow
    ``tie`` (pabutools' order by default).

    Raises:
        FundsError: ``funds.unknown_rule`` for an unknown ``rule``;
            ``funds.no_rule`` when ``rule`` is None and the file names no rule
            microgov has (``rule;unknown``); ``funds.no_seed`` for a lot without a
            seed.
        DataFormatError: If the election has no usable budget.

    Example:
        >>> from microgov.funds import read_pabulib
        >>> e = read_pabulib("META\\nkey;value\\nbudget;100\\nvote_type;approval\\n"
        ...     "rule;greedy\\nPROJECTS\\nproject_id;cost;votes\\na;60;2\\nb;50;1\\n"
        ...     "VOTES\\nvoter_id;vote\\n1;a,b\\n2;a\\n")
        >>> allocate_election(e).selected, allocate_election(e, "mes").selected
        (('a',), ('a',))
    """
    name = rule or election.rule or "unknown"
    if rule is None and name not in RULES and name not in _ALIASES:
        names = ", ".join(sorted(RULES))
        raise FundsError(
            f"The file does not name a rule microgov has (rule: {name!r:.40}); "
            f"choose one of: {names}.",
            f"文件未写明 microgov 支持的规则（rule：{name!r:.40}）；请从以下规则中选择：{names}。",
            code="funds.no_rule",
            rule=name,
        )
    instance = AllocationInstance.from_pabulib(election)
    by = default_rank_by(election) if rank_by is None else rank_by
    if by == "score" and not any(p.score is not None for p in instance.projects):
        by = "votes"
    return run_rule(instance, name, by=by, threshold=_threshold(election), tie=tie, seed=seed)
