"""Scoring ballots (打分): residents' annual scoring of committee cadres (两委干部年度考核打分)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from fractions import Fraction
from types import MappingProxyType
from typing import ClassVar

import attrs

from microgov._verdict import Verdict
from microgov.errors import DataFormatError
from microgov.hierarchy import Hierarchy
from microgov.policy import MeetingMode
from microgov.voting._common import (
    Recorded,
    aware,
    check_id,
    check_int,
    fail,
    refuse,
    window_verdicts,
)
from microgov.voting._common import (
    unique_voters as _unique_voters,
)
from microgov.voting._roll import Roll

__all__ = [
    "ScoreCard",
    "ScoreResults",
    "ScoringBallot",
    "ScoringState",
    "SubjectResult",
    "cast_scores",
    "score_results",
]

_BAD_BALLOT = "voting.invalid_ballot"
_RULE = "voting.scores"


def _ballot_id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name, code=_BAD_BALLOT)


def _subjects(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise DataFormatError(
            "subjects must be a collection of ids, not one string.",
            "subjects 须为编号的集合，而非单个字符串。",
            code=_BAD_BALLOT,
            field="subjects",
        )
    try:
        items = tuple(value)
    except TypeError:
        raise DataFormatError(
            f"subjects must be a collection of ids, got {value!r}.",
            f"subjects 须为编号的集合，实际为 {value!r}。",
            code=_BAD_BALLOT,
            field="subjects",
        ) from None
    for item in items:
        check_id(item, field="subjects", code=_BAD_BALLOT)
    if not items or len(set(items)) != len(items):
        raise DataFormatError(
            f"subjects must be one or more distinct ids, got {items!r}.",
            f"subjects 须为一个或多个互不相同的编号，实际为 {items!r}。",
            code=_BAD_BALLOT,
            field="subjects",
        )
    return items


def _score_bound(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    check_int(value, field=attribute.name, code=_BAD_BALLOT)


def _opens(value: datetime) -> datetime:
    return aware(value, field="opens_at")


def _closes(value: datetime) -> datetime:
    return aware(value, field="closes_at")


def _at(value: datetime) -> datetime:
    return aware(value, field="at")


@attrs.frozen(kw_only=True)
class ScoringBallot:
    """A scoring ballot: entitled residents give each cadre an integer score.

    Entitled are the verified adults whose home is inside the scope (the
    ``ALL_ADULTS`` mode of :meth:`Roll.entitled`); each casts at most one score card,
    scoring all or some of the subjects, from ``opens_at`` (inclusive) to
    ``closes_at`` (exclusive).

    Attributes:
        id: The ballot's stable id.
        scope: The node whose residents score (usually a residential area).
        subjects: The pseudonymous ids of the cadres scored, in display order.
        min_score: The lowest allowed score (inclusive).
        max_score: The highest allowed score (inclusive).
        opens_at: When scoring opens (timezone-aware; kept in Asia/Shanghai).
        closes_at: When scoring closes.

    Raises:
        DataFormatError: ``voting.invalid_ballot`` for a malformed field, an empty or
            repeated subject list, ``min_score > max_score`` or a window that closes
            before it opens; ``time.not_aware`` for a naive datetime.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> b = ScoringBallot(id="s2025", scope="a1", subjects=["c1", "c2"], min_score=0,
        ...                   max_score=100, opens_at=datetime(2025, 12, 1, tzinfo=sh),
        ...                   closes_at=datetime(2025, 12, 15, tzinfo=sh))
        >>> b.subjects
        ('c1', 'c2')
    """

    id: str = attrs.field(validator=_ballot_id)
    scope: str = attrs.field(validator=_ballot_id)
    subjects: tuple[str, ...] = attrs.field(converter=_subjects)
    min_score: int = attrs.field(validator=_score_bound)
    max_score: int = attrs.field(validator=_score_bound)
    opens_at: datetime = attrs.field(converter=_opens)
    closes_at: datetime = attrs.field(converter=_closes)

    def __attrs_post_init__(self) -> None:
        if self.min_score > self.max_score:
            raise DataFormatError(
                f"min_score {self.min_score} is above max_score {self.max_score}.",
                f"最低分 {self.min_score} 高于最高分 {self.max_score}。",
                code=_BAD_BALLOT,
                field="min_score",
            )
        if self.closes_at <= self.opens_at:
            raise DataFormatError(
                f"Ballot {self.id!r} closes ({self.closes_at.isoformat()}) before it opens "
                f"({self.opens_at.isoformat()}).",
                f"打分 {self.id!r} 的截止时间早于开始时间。",
                code=_BAD_BALLOT,
                field="closes_at",
            )


def _scores(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(sorted(value.items())))


@attrs.frozen(kw_only=True)
class ScoreCard:
    """One resident's scores on a ballot.

    Attributes:
        voter: The resident's pseudonymous id.
        scores: Subject id → score (read-only, sorted by subject).
        at: When the card was cast (Asia/Shanghai).

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> card = ScoreCard(voter="r1", scores={"c2": 80, "c1": 90},
        ...                  at=datetime(2025, 12, 2, tzinfo=ZoneInfo("Asia/Shanghai")))
        >>> dict(card.scores)
        {'c1': 90, 'c2': 80}
    """

    voter: str = attrs.field(validator=_ballot_id)
    scores: Mapping[str, int] = attrs.field(
        converter=_scores, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )
    at: datetime = attrs.field(converter=_at)


def _cards(value: Iterable[ScoreCard]) -> tuple[ScoreCard, ...]:
    cards = tuple(sorted(value, key=_voter_of))
    _unique_voters([c.voter for c in cards], "cards")
    return cards


def _voter_of(card: ScoreCard) -> str:
    return card.voter


@attrs.frozen(kw_only=True)
class ScoringState(Recorded[ScoreCard]):
    """The score cards cast so far on one ballot, sorted by voter.

    Attributes:
        ballot_id: The ballot's id.
        cards: One card per voter.

    Example:
        >>> ScoringState.start("s2025").cards
        ()
    """

    _poll_field: ClassVar[str] = "ballot_id"
    _entries_field: ClassVar[str] = "cards"
    _key: ClassVar[Callable[[ScoreCard], str]] = staticmethod(_voter_of)

    ballot_id: str = attrs.field(validator=_ballot_id)
    cards: tuple[ScoreCard, ...] = attrs.field(default=(), converter=_cards)

    card_of = Recorded.entry_of


def _check_state(ballot: ScoringBallot, state: ScoringState) -> None:
    if not isinstance(ballot, ScoringBallot) or not isinstance(state, ScoringState):
        raise DataFormatError(
            "Give a ScoringBallot and its ScoringState.",
            "请提供打分表（ScoringBallot）及其状态（ScoringState）。",
            code="voting.invalid_state",
        )
    if state.ballot_id != ballot.id:
        raise DataFormatError(
            f"The state belongs to ballot {state.ballot_id!r}, not {ballot.id!r}.",
            f"该状态属于打分 {state.ballot_id!r}，而非 {ballot.id!r}。",
            code="voting.wrong_state",
            ballot=ballot.id,
            state_ballot=state.ballot_id,
        )


def cast_scores(
    ballot: ScoringBallot,
    state: ScoringState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    voter: str,
    scores: Mapping[str, int],
    at: datetime,
) -> ScoringState:
    """Cast one resident's score card; return the new state.

    A card is refused when the ballot is not open at ``at`` (``voting.not_open``,
    ``voting.closed``), the voter is not on the roll (``voting.unknown_voter``), not
    verified (``voting.not_verified``), not an adult (``voting.not_adult``), lives
    outside the scope (``voting.outside_scope``), has already cast a card
    (``voting.second_ballot``), is one of the cadres scored (``voting.self_scoring``),
    or the card scores nothing (``voting.empty_card``), an unknown subject
    (``voting.unknown_subject``) or gives a score that is not an integer within
    ``[min_score, max_score]`` (``voting.score_out_of_range``).  Every failing
    reason is reported.

    Args:
        ballot: The ballot.
        state: Its current state.
        roll: The electoral roll.
        hierarchy: The governance graph.
        voter: The resident scoring.
        scores: Subject id → integer score, for all or some subjects.
        at: When (timezone-aware).

    Returns:
        The new state; ``state`` itself is unchanged.

    Raises:
        BallotRefused: Carrying the failing verdicts; nothing changes.
        DataFormatError: For a naive ``at``, scores that are not a mapping or a
            state of another ballot.
        NodeNotFound: If the scope or the voter's home is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.voting import Resident
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[Resident(id="r1", household="h1", home="b", adult=True,
        ...                                 verified=True)])
        >>> ballot = ScoringBallot(id="s", scope="a", subjects=["c1", "c2"], min_score=0,
        ...                        max_score=100, opens_at=datetime(2025, 12, 1, tzinfo=sh),
        ...                        closes_at=datetime(2025, 12, 15, tzinfo=sh))
        >>> state = cast_scores(ballot, ScoringState.start("s"), roll, h, voter="r1",
        ...                     scores={"c1": 95}, at=datetime(2025, 12, 2, tzinfo=sh))
        >>> dict(state.card_of("r1").scores)
        {'c1': 95}
        >>> cast_scores(ballot, state, roll, h, voter="r1", scores={"c2": 101},
        ...             at=datetime(2025, 12, 3, tzinfo=sh))
        Traceback (most recent call last):
        ...
        microgov.errors.BallotRefused: Score card refused: ...
    """
    _check_state(ballot, state)
    at = aware(at, field="at")
    if not isinstance(scores, Mapping):
        raise DataFormatError(
            f"scores must be a mapping of subject id to score, got {type(scores).__name__}.",
            f"scores 须为“对象编号 → 分数”的映射，实际为 {type(scores).__name__}。",
            code="voting.invalid_scores",
            field="scores",
        )
    hierarchy.node(ballot.scope)
    failures = window_verdicts(_RULE, ballot.opens_at, ballot.closes_at, at)
    failures.extend(_voter_verdicts(ballot, state, roll, hierarchy, voter=voter))
    failures.extend(_score_verdicts(ballot, scores))
    if failures:
        raise refuse(failures, "Score card", "打分", ballot=ballot.id, voter=str(voter))
    cards = list(state.cards)
    bisect.insort(cards, ScoreCard(voter=voter, scores=dict(scores), at=at), key=_voter_of)
    return state._with_entries(tuple(cards))


def _voter_verdicts(
    ballot: ScoringBallot, state: ScoringState, roll: Roll, hierarchy: Hierarchy, *, voter: str
) -> list[Verdict]:
    resident = roll.get(voter) if isinstance(voter, str) else None
    if resident is None:
        return [
            fail(
                _RULE,
                "voting.unknown_voter",
                f"{voter!r} is not on the roll.",
                f"{voter!r} 不在选民名册上。",
                voter=str(voter),
            )
        ]
    failures: list[Verdict] = []
    if not resident.verified:
        failures.append(
            fail(
                _RULE,
                "voting.not_verified",
                f"Resident {voter!r} has not passed real-name verification.",
                f"居民 {voter!r} 未通过实名认证。",
                voter=voter,
            )
        )
    if not resident.adult:
        failures.append(
            fail(
                _RULE,
                "voting.not_adult",
                f"Resident {voter!r} is not an adult (18+).",
                f"居民 {voter!r} 未满十八周岁。",
                voter=voter,
            )
        )
    if not hierarchy.is_within(resident.home, ballot.scope):
        failures.append(
            fail(
                _RULE,
                "voting.outside_scope",
                f"Resident {voter!r} lives in {resident.home!r}, outside {ballot.scope!r}.",
                f"居民 {voter!r} 住在 {resident.home!r}，不在 {ballot.scope!r} 范围内。",
                voter=voter,
                home=resident.home,
                scope=ballot.scope,
            )
        )
    if voter in ballot.subjects:
        failures.append(
            fail(
                _RULE,
                "voting.self_scoring",
                f"{voter!r} is scored on this ballot and may not score.",
                f"{voter!r} 是被考核对象，不能参与打分。",
                voter=voter,
            )
        )
    earlier = state.card_of(voter)
    if earlier is not None:
        failures.append(
            fail(
                _RULE,
                "voting.second_ballot",
                f"{voter!r} has already cast a score card ({earlier.at.isoformat()}).",
                f"{voter!r} 已于 {earlier.at.isoformat()} 打过分，每人只能打一次。",
                voter=voter,
                earlier_at=earlier.at.isoformat(),
            )
        )
    return failures


def _score_verdicts(ballot: ScoringBallot, scores: Mapping[str, int]) -> list[Verdict]:
    failures: list[Verdict] = []
    if not scores:
        failures.append(
            fail(
                _RULE,
                "voting.empty_card",
                "The score card scores nobody.",
                "打分表没有为任何对象打分。",
                scored=0,
                subjects=len(ballot.subjects),
            )
        )
    low, high = ballot.min_score, ballot.max_score
    for subject in sorted(scores, key=repr):
        score = scores[subject]
        if subject not in ballot.subjects:
            failures.append(
                fail(
                    _RULE,
                    "voting.unknown_subject",
                    f"{subject!r} is not scored on ballot {ballot.id!r}.",
                    f"{subject!r} 不是打分 {ballot.id!r} 的考核对象。",
                    subject=str(subject),
                )
            )
        elif not isinstance(score, int) or isinstance(score, bool) or not low <= score <= high:
            failures.append(
                fail(
                    _RULE,
                    "voting.score_out_of_range",
                    f"The score {score!r} for {subject!r} is not an integer from {low} to {high}.",
                    f"对 {subject!r} 的分数 {score!r} 不是 {low} 至 {high} 之间的整数。",
                    subject=subject,
                    score=repr(score),
                    min_score=low,
                    max_score=high,
                )
            )
    return failures


@attrs.frozen(kw_only=True)
class SubjectResult:
    """The scores one cadre received.

    Attributes:
        subject: The cadre's pseudonymous id.
        count: How many cards scored this subject.
        entitled: How many residents were entitled to score (the denominator).
        participation: ``count / entitled`` as an exact fraction; None if nobody
            was entitled.
        mean: The exact mean score; None without scores.
        median: The exact median (the mean of the two middle scores for an even
            count); None without scores.
        minimum: The lowest score; None without scores.
        maximum: The highest score; None without scores.

    Example:
        >>> from fractions import Fraction
        >>> r = SubjectResult(subject="c1", count=2, entitled=4, participation=Fraction(1, 2),
        ...                   mean=Fraction(85), median=Fraction(85), minimum=80, maximum=90)
        >>> r.participation
        Fraction(1, 2)
    """

    subject: str
    count: int
    entitled: int
    participation: Fraction | None
    mean: Fraction | None
    median: Fraction | None
    minimum: int | None
    maximum: int | None


@attrs.frozen(kw_only=True)
class ScoreResults:
    """The results of a scoring ballot: overall participation and one result per subject.

    Attributes:
        ballot_id: The ballot.
        ballots: How many score cards were cast.
        entitled: How many residents were entitled to score.
        participation: ``ballots / entitled`` exactly; None if nobody was entitled.
        subjects: One :class:`SubjectResult` per subject, in the ballot's order.
        evaluations: With a pass mark (``score_results(..., pass_mark=60)``), one
            evaluation verdict per subject, in the ballot's order (see
            :meth:`evaluation`); empty without one.

    Example:
        >>> ScoreResults(ballot_id="s", ballots=0, entitled=0, participation=None,
        ...              subjects=()).participation is None
        True
    """

    ballot_id: str
    ballots: int
    entitled: int
    participation: Fraction | None
    subjects: tuple[SubjectResult, ...]
    evaluations: tuple[Verdict, ...] = ()

    def evaluation(self, subject: str) -> Verdict:
        """The residents' evaluation (评价) of one subject: its mean score against the pass mark.

        The verdict's rule is ``evaluation.satisfaction``; its code ``evaluation.passed``
        when the exact mean score reaches the pass mark, else ``evaluation.failed`` (also
        when nobody scored). Its figures are the mean, the count and the pass mark. It is
        what the project lifecycle's ``evaluation.passed`` guard reads.

        Args:
            subject: A subject id of the ballot.

        Returns:
            The verdict.

        Raises:
            DataFormatError: ``voting.unknown_subject`` if it is not on the ballot;
                ``voting.no_pass_mark`` if the results were made without a pass mark.

        Example:
            >>> r = SubjectResult(subject="p-1", count=2, entitled=4, participation=None,
            ...                   mean=Fraction(125, 2), median=None, minimum=None, maximum=None)
            >>> res = ScoreResults(ballot_id="s", ballots=2, entitled=4, participation=None,
            ...                    subjects=(r,), evaluations=(_evaluation(r, 60),))
            >>> v = res.evaluation("p-1")
            >>> v.rule, v.code, v.figures["mean"]
            ('evaluation.satisfaction', 'evaluation.passed', Fraction(125, 2))
        """
        index = self.subjects.index(self.of(subject))
        if not self.evaluations:
            raise DataFormatError(
                f"Ballot {self.ballot_id!r} was summarised without a pass mark: give "
                "score_results(..., pass_mark=...) to evaluate it.",
                f"打分 {self.ballot_id!r} 汇总时未给出合格线，无法评价；请在 score_results "
                "中给出 pass_mark。",
                code="voting.no_pass_mark",
                ballot=self.ballot_id,
            )
        return self.evaluations[index]

    def of(self, subject: str) -> SubjectResult:
        """The result of one subject.

        Args:
            subject: A subject id of the ballot.

        Returns:
            Its result.

        Raises:
            DataFormatError: ``voting.unknown_subject`` if it is not on the ballot.

        Example:
            >>> r = SubjectResult(subject="c1", count=0, entitled=0, participation=None,
            ...                   mean=None, median=None, minimum=None, maximum=None)
            >>> ScoreResults(ballot_id="s", ballots=0, entitled=0, participation=None,
            ...              subjects=(r,)).of("c1").count
            0
        """
        for result in self.subjects:
            if result.subject == subject:
                return result
        raise DataFormatError(
            f"{subject!r} is not a subject of ballot {self.ballot_id!r}.",
            f"{subject!r} 不是打分 {self.ballot_id!r} 的考核对象。",
            code="voting.unknown_subject",
            subject=subject,
        )


def _ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def _median(ordered: list[int]) -> Fraction:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def score_results(
    ballot: ScoringBallot,
    state: ScoringState,
    roll: Roll,
    hierarchy: Hierarchy,
    *,
    pass_mark: int | None = None,
) -> ScoreResults:
    """Summarise a ballot exactly: participation, count, mean, median, min and max.

    The figures are those of ``state`` as given; publish them after the ballot
    closes.  All arithmetic is exact (:class:`fractions.Fraction`).  With a
    ``pass_mark``, the results also carry each subject's evaluation verdict
    (:meth:`ScoreResults.evaluation`), the one a project's ``evaluate`` command needs.

    Args:
        ballot: The ballot.
        state: Its state.
        roll: The electoral roll (for the denominator).
        hierarchy: The governance graph.
        pass_mark: The mean score an evaluation must reach to pass, between the
            ballot's ``min_score`` and ``max_score``; None for no evaluation.

    Returns:
        The results.

    Raises:
        DataFormatError: For a state of another ballot; ``voting.bad_pass_mark`` for a
            pass mark that is not a whole score of the ballot's range.
        NodeNotFound: If the scope or a home is not in the graph.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> from microgov.voting import Resident
        >>> sh = ZoneInfo("Asia/Shanghai")
        >>> h = Hierarchy([Node(id="a", level=Level.RESIDENTIAL_AREA, name="甲"),
        ...                Node(id="g", level=Level.MICRO_GRID, name="1", parent="a"),
        ...                Node(id="b", level=Level.BUILDING_GROUP, name="1", parent="g")])
        >>> roll = Roll(residents=[Resident(id=f"r{i}", household=f"h{i}", home="b",
        ...                                 adult=True, verified=True) for i in range(3)])
        >>> ballot = ScoringBallot(id="s", scope="a", subjects=["c1"], min_score=0,
        ...                        max_score=100, opens_at=datetime(2025, 12, 1, tzinfo=sh),
        ...                        closes_at=datetime(2025, 12, 15, tzinfo=sh))
        >>> state = ScoringState.start("s")
        >>> for voter, score in (("r0", 90), ("r1", 85)):
        ...     state = cast_scores(ballot, state, roll, h, voter=voter, scores={"c1": score},
        ...                         at=datetime(2025, 12, 2, tzinfo=sh))
        >>> res = score_results(ballot, state, roll, h, pass_mark=60)
        >>> res.participation, res.of("c1").median, res.of("c1").maximum
        (Fraction(2, 3), Fraction(175, 2), 90)
        >>> res.evaluation("c1").code
        'evaluation.passed'
    """
    _check_state(ballot, state)
    if pass_mark is not None and (
        type(pass_mark) is not int or not ballot.min_score <= pass_mark <= ballot.max_score
    ):
        raise DataFormatError(
            f"The pass mark must be a whole score from {ballot.min_score} to "
            f"{ballot.max_score}, not {pass_mark!r:.40}.",
            f"合格线须为 {ballot.min_score} 至 {ballot.max_score} 之间的整数分，"
            f"而不是 {pass_mark!r:.40}。",
            code="voting.bad_pass_mark",
            value=repr(pass_mark),
        )
    entitled = len(roll.entitled(hierarchy, scope=ballot.scope, mode=MeetingMode.ALL_ADULTS))
    by_subject: dict[str, list[int]] = {s: [] for s in ballot.subjects}
    for card in state.cards:
        for subject, score in card.scores.items():
            if subject in by_subject:
                by_subject[subject].append(score)
    results = []
    for subject in ballot.subjects:
        ordered = sorted(by_subject[subject])
        n = len(ordered)
        results.append(
            SubjectResult(
                subject=subject,
                count=n,
                entitled=entitled,
                participation=_ratio(n, entitled),
                mean=Fraction(sum(ordered), n) if n else None,
                median=_median(ordered) if n else None,
                minimum=ordered[0] if n else None,
                maximum=ordered[-1] if n else None,
            )
        )
    return ScoreResults(
        ballot_id=ballot.id,
        ballots=len(state.cards),
        entitled=entitled,
        participation=_ratio(len(state.cards), entitled),
        subjects=tuple(results),
        evaluations=() if pass_mark is None else tuple(_evaluation(r, pass_mark) for r in results),
    )


def _evaluation(result: SubjectResult, pass_mark: int) -> Verdict:
    mean = result.mean if result.mean is not None else Fraction(0)
    passed = mean >= pass_mark
    return Verdict(
        rule="evaluation.satisfaction",
        passed=passed,
        code="evaluation.passed" if passed else "evaluation.failed",
        message_en=(
            f"Residents' mean score {float(mean):.1f} from {result.count} card(s), "
            f"against the pass mark {pass_mark} (a setting, not a law)."
        ),
        message_zh=(
            f"居民评分均值 {float(mean):.1f}（{result.count} 份），"
            f"合格线 {pass_mark}（设定值，非法定）。"
        ),
        figures={"mean": mean, "count": result.count, "pass_mark": pass_mark},
    )
