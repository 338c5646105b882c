"""SLA figures in bulk: summaries, rollups up the governance graph, rankings of areas."""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import chain, compress, repeat
from operator import add, attrgetter, gt, le, lt, not_, sub
from types import MappingProxyType
from typing import Final

import attrs

from microgov.errors import DataFormatError, NodeNotFound, PolicyError
from microgov.hierarchy import Hierarchy, Level
from microgov.sla._figures import (
    _now_before_post,
    _response_before_post,
    _topic_times,
)
from microgov.sla._policy import SlaPolicy, TopicLike
from microgov.sla._schedule import _EPOCH, _aware, _frame, _local_epoch

__all__ = ["RankBy", "RankEntry", "Ranking", "SlaRollup", "SlaSummary", "rollup_sla", "summarize"]

_HALF: Final = Fraction(1, 2)
_P90: Final = Fraction(9, 10)
_US_PER_S: Final = 1_000_000
_US: Final = timedelta(microseconds=1)
_FLOAT_EXACT: Final = 2**53


@attrs.frozen(kw_only=True)
class SlaSummary:
    """Response-time figures over a set of topics (one node's subtree, or any set).

    Response times (``mean``, ``median``, ``p90``, ``total_response``) are over the
    *answered* topics; unanswered ones count in ``count``, ``unanswered`` and, once
    due, in ``overdue``. Percentiles are nearest-rank (:func:`~microgov.sla.nearest_rank`),
    exact on timedeltas: ``median`` is the lower median. ``mean`` is
    ``total_response / answered`` rounded to the microsecond (half to even, as
    :class:`~datetime.timedelta` divides); :attr:`mean_seconds` is exact.

    Attributes:
        node: The node whose subtree this covers, or None for an arbitrary set.
        as_of: The instant judged at.
        count: Topics raised.
        answered: Topics answered by ``as_of``.
        total_response: The sum of the answered topics' response times.
        mean: The mean response time, or None if none answered.
        median: The nearest-rank median, or None.
        p90: The nearest-rank 90th percentile, or None.
        within: Topics answered within the policy's ``within`` threshold of the post.
        decided: Topics whose "within" outcome is known: answered, or unanswered
            with the threshold passed; the denominator of :attr:`share_within`.
        answered_before_next_patrol: Answered before the patrol after the one waited for.
        overdue: The overdue topics' ids, ordered by due time, then id.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from microgov.calendar import SHANGHAI
        >>> def at(h, m=0):
        ...     return datetime(2026, 10, 12, h, m, tzinfo=SHANGHAI)
        >>> class Post:
        ...     def __init__(self, id, raised, answered):
        ...         self.id, self.scope, self.category = id, "area-01", "parking"
        ...         self.raised_at, self.first_response_at = raised, answered
        >>> posts = [Post("a", at(8, 0), at(9, 0)), Post("b", at(10), at(16)),
        ...          Post("c", at(11), None)]
        >>> s = summarize(posts, now=at(20))
        >>> s.count, s.answered, s.median, s.p90
        (3, 2, datetime.timedelta(seconds=3600), datetime.timedelta(seconds=21600))
        >>> s.share_within, s.overdue
        (Fraction(1, 3), ('c',))
        >>> s.unanswered, s.overdue_count, s.mean, s.mean_seconds
        (1, 1, datetime.timedelta(seconds=12600), Fraction(12600, 1))
    """

    node: str | None
    as_of: datetime
    count: int
    answered: int
    total_response: timedelta
    mean: timedelta | None
    median: timedelta | None
    p90: timedelta | None
    within: int
    decided: int
    answered_before_next_patrol: int
    overdue: tuple[str, ...]

    @property
    def unanswered(self) -> int:
        """Topics not answered by :attr:`as_of`."""
        return self.count - self.answered

    @property
    def overdue_count(self) -> int:
        """How many topics are overdue."""
        return len(self.overdue)

    @property
    def share_within(self) -> Fraction | None:
        """``within / decided`` exactly, or None when nothing is decided yet."""
        return Fraction(self.within, self.decided) if self.decided else None

    @property
    def mean_seconds(self) -> Fraction | None:
        """The exact mean response time in seconds, or None if none answered."""
        if not self.answered:
            return None
        return Fraction(self.total_response // _US, self.answered * _US_PER_S)


def _rank_of(count: int, p: Fraction) -> int:
    return -(-p.numerator * count // p.denominator)


def _argsort(values: list[int]) -> list[int]:
    """The positions of ``values`` in the order of their values (stable), exactly."""
    if values and min(values) > -_FLOAT_EXACT and max(values) < _FLOAT_EXACT:
        # float(k) is exact for |k| < 2**53 µs (285 years), so this is the exact order
        # of the integers; CPython sorts float keys much faster than large ints.
        keys: list[float] | list[int] = list(map(float, values))
    else:
        keys = values
    return sorted(range(len(values)), key=keys.__getitem__)


def _group(scopes: Iterable[str]) -> dict[str, list[int]]:
    """Scope → the positions (0, 1, 2, … in ``scopes``) where it occurs, ascending."""
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for position, scope in enumerate(scopes):
        groups[scope].append(position)
    return groups


def _sorted_union(parts: list[list[int]]) -> list[int]:
    """The union of sorted lists of small integers, sorted (timsort merges the runs)."""
    if len(parts) == 1:
        return parts[0]
    merged = list(chain.from_iterable(parts))
    merged.sort()
    return merged


class _Leaves:
    """Every topic's figures, reduced per scope node: one bulk computation's state.

    Response times are held once, sorted, in ``values`` (µs); a scope's answered
    topics are the *ranks* (positions in ``values``) of their response times, in
    ascending order, so any set of scopes has its sorted response times as the
    sorted union of their rank lists, small integers that sort fast.  Overdue topics
    likewise: ``late_ids`` holds every overdue id in (due, id) order and a scope
    holds the positions of its own.  Counts are per scope.
    """

    __slots__ = (
        "before_next",
        "count",
        "cut_rank",
        "ids",
        "lapsed",
        "late",
        "late_ids",
        "runs",
        "scopes",
        "totals",
        "values",
    )

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.scopes: list[str] = []
        self.count: Counter[str] = Counter()  # scopes in order of first appearance
        self.lapsed: Counter[str] = Counter()  # unanswered with the "within" threshold passed
        self.before_next: Counter[str] = Counter()
        self.values: list[int] = []
        self.runs: dict[str, list[int]] = {}
        self.totals: dict[str, int] = {}
        self.late_ids: list[str] = []
        self.late: dict[str, list[int]] = {}
        self.cut_rank = 0  # response times ranked below this are within the threshold

    def first_id(self, scope: str) -> str:
        """The id of the first topic raised on ``scope``."""
        return self.ids[self.scopes.index(scope)]

    def summary(
        self,
        node: str | None,
        as_of: datetime,
        *,
        ranks: Sequence[int],
        late: Sequence[int],
        count: int,
        lapsed: int,
        before_next: int,
        total: int,
    ) -> SlaSummary:
        """The figures of a set of scopes, from their sorted ranks and overdue positions."""
        values = self.values
        answered = len(ranks)
        total_response = timedelta(microseconds=total)
        if answered:
            mean: timedelta | None = total_response / answered
            median: timedelta | None = timedelta(
                microseconds=values[ranks[_rank_of(answered, _HALF) - 1]]
            )
            p90: timedelta | None = timedelta(
                microseconds=values[ranks[_rank_of(answered, _P90) - 1]]
            )
        else:
            mean = median = p90 = None
        return SlaSummary(
            node=node,
            as_of=as_of,
            count=count,
            answered=answered,
            total_response=total_response,
            mean=mean,
            median=median,
            p90=p90,
            within=bisect_left(ranks, self.cut_rank),
            decided=answered + lapsed,
            answered_before_next_patrol=before_next,
            overdue=tuple(map(self.late_ids.__getitem__, late)),
        )


_GET_ID: Final = attrgetter("id")
_GET_SCOPE: Final = attrgetter("scope")
_GET_CATEGORY: Final = attrgetter("category")
_GET_RAISED: Final = attrgetter("raised_at")
_GET_RESPONSE: Final = attrgetter("first_response_at")


@attrs.frozen
class _Row:
    """A row seen as a topic, for the precise error of :func:`_topic_times`."""

    row: tuple[str, str, str, datetime, datetime | None]

    @property
    def id(self) -> str:
        return self.row[0]

    @property
    def scope(self) -> str:
        return self.row[1]

    @property
    def category(self) -> str:
        return self.row[2]

    @property
    def raised_at(self) -> datetime:
        return self.row[3]

    @property
    def first_response_at(self) -> datetime | None:
        return self.row[4]


def _micros(
    epoch: datetime,
    rows: list[tuple[str, str, str, datetime, datetime | None]],
    raised_at: list[datetime],
    responded: list[datetime | None],
) -> tuple[list[int], list[int | None]]:
    """Each topic's post and response in µs from ``epoch`` (``(datetime - epoch) // 1 µs``).

    ``rows`` is read only to name the topic of an error (it may be left empty until then).
    """
    try:
        raised = [(x - epoch) // _US for x in raised_at]
        responses = [None if x is None else (x - epoch) // _US for x in responded]
    except TypeError:  # a naive datetime or not a datetime: name the topic and field
        for row in rows:
            _topic_times(_Row(row))
        raise DataFormatError(  # a tzinfo that fails: no datetime to blame
            "A topic time could not be read as a timezone-aware datetime.",
            "有议题时间无法读取为带时区的日期时间。",
            code="sla.bad_topic",
        ) from None
    return raised, responses


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _first_problem(
    rows: list[tuple[str, str, str, datetime, datetime | None]],
    raised: list[int],
    responses: list[int | None],
    now_at: int,
    epoch: datetime,
    zone: tzinfo,
) -> DataFormatError:
    """The error of the first bad topic in input order: an unhashable scope or category, or
    a response (known by now) before the post.  Only called once a problem is known.
    """
    for row, t, r in zip(rows, raised, responses, strict=True):
        if not (_hashable(row[1]) and _hashable(row[2])):
            bad = next(
                (row for row in rows if type(row[1]) is not str or type(row[2]) is not str),
                rows[0],
            )
            return DataFormatError(
                f"Topic {bad[0]!r:.60}: scope and category must be strings.",
                f"议题 {bad[0]!r:.60}：scope 和 category 应为字符串。",
                code="sla.bad_topic",
                topic_id=str(bad[0]),
            )
        if r is not None and r <= now_at and r < t:
            return _response_before_post(
                row[0],
                (epoch + timedelta(microseconds=t)).astimezone(zone),
                (epoch + timedelta(microseconds=r)).astimezone(zone),
            )
    return DataFormatError(  # not reached: called only when a topic is at fault
        "A topic's scope or category could not be read.",
        "有议题的 scope 或 category 无法读取。",
        code="sla.bad_topic",
    )


def _accumulate(topics: Iterable[TopicLike], policy: SlaPolicy, now: datetime) -> _Leaves:
    """Every topic's figures, reduced per scope node (see :class:`_Leaves`).

    Times are integer µs from an epoch.  The fast frame's epoch is local midnight in
    the schedule's zone, where subtracting a datetime of the same zone is plain
    wall-clock arithmetic (≈10× faster than converting through UTC); it is used only
    when the zone keeps one UTC offset over the whole span (always for Asia/Shanghai),
    so wall clock equals elapsed time.  Otherwise every time is taken relative to
    1970-01-01 UTC (exact elapsed time in any zone).  One day table of patrols, one
    bisection per topic; every step is a pass over a column of integers.
    """
    _aware(now, "now")
    seq = topics if isinstance(topics, list | tuple) else list(topics)
    try:
        ids: list[str] = list(map(_GET_ID, seq))
        scopes: list[str] = list(map(_GET_SCOPE, seq))
        categories: list[str] = list(map(_GET_CATEGORY, seq))
        raised_at: list[datetime] = list(map(_GET_RAISED, seq))
        responded: list[datetime | None] = list(map(_GET_RESPONSE, seq))
    except AttributeError:
        raise DataFormatError(
            "Every topic needs id, scope, category, raised_at and first_response_at.",
            "每个议题都需要 id、scope、category、raised_at 和 first_response_at。",
            code="sla.bad_topic",
        ) from None
    leaves = _Leaves()
    if not ids:
        return leaves
    leaves.ids, leaves.scopes = ids, scopes
    rows: list[tuple[str, str, str, datetime, datetime | None]] = []

    def all_rows() -> list[tuple[str, str, str, datetime, datetime | None]]:
        if not rows:
            rows.extend(zip(ids, scopes, categories, raised_at, responded, strict=True))
        return rows

    schedule = policy.schedule
    zone = schedule.zone
    epoch = _local_epoch(zone, now)
    try:
        raised, responses = _micros(epoch, [], raised_at, responded)
    except DataFormatError:
        _micros(epoch, all_rows(), raised_at, responded)  # names the topic at fault
        raise
    now_at = (now - epoch) // _US
    known = [r for r in responses if r is not None]
    span = [min(raised), max(raised), now_at, *([min(known), max(known)] if known else [])]
    if not _frame(zone, now, [timedelta(microseconds=v) for v in span]):
        epoch = _EPOCH
        raised, responses = _micros(epoch, all_rows(), raised_at, responded)
        now_at = (now - epoch) // _US
    first, last = min(raised), max(raised)
    if last > now_at:
        k = raised.index(last)
        raise _now_before_post(ids[k], raised_at[k], now)
    starts_td, ends_td = schedule._table(
        epoch, timedelta(microseconds=first), timedelta(microseconds=last)
    )
    starts = [s // _US for s in starts_td]
    ends = [e // _US for e in ends_td]
    default = policy.target // _US
    targets = {category: target // _US for category, target in policy.category_targets.items()}
    lapse_cut = now_at - policy.within // _US  # unanswered and posted before it: lapsed
    n = len(ids)
    try:
        leaves.count = Counter(scopes)
        patrol = list(map(bisect_right, repeat(ends), raised))  # the patrol waited for
        clock = map(max, raised, map(starts.__getitem__, patrol))
        due = list(map(add, clock, map(targets.get, categories, repeat(default))))
    except TypeError:  # an unhashable scope or category
        raise _first_problem(all_rows(), raised, responses, now_at, epoch, zone) from None
    # A response after now is not known yet; an unanswered topic is judged as of now.
    later = now_at + 1
    known_by_now = [later if r is None or r > now_at else r for r in responses]
    answered = list(map(le, known_by_now, repeat(now_at)))
    settled = list(map(min, known_by_now, repeat(now_at)))  # the response, or now
    # Overdue: answered after the due time, or unanswered and due before now.
    late = list(compress(range(n), map(gt, settled, due)))
    # Answered topics.
    took = list(compress(range(n), answered))
    took_scopes = list(map(scopes.__getitem__, took))
    took_at = list(map(settled.__getitem__, took))
    durations = list(map(sub, took_at, map(raised.__getitem__, took)))
    if durations and min(durations) < 0:
        raise _first_problem(all_rows(), raised, responses, now_at, epoch, zone)
    next_start = map(starts.__getitem__, map(add, map(patrol.__getitem__, took), repeat(1)))
    leaves.before_next = Counter(compress(took_scopes, map(lt, took_at, next_start)))
    waiting = list(map(not_, answered))
    leaves.lapsed = Counter(
        compress(compress(scopes, waiting), map(gt, repeat(lapse_cut), compress(raised, waiting)))
    )
    # Response times: sorted once; each scope holds its ranks, in order.
    order = _argsort(durations)
    values = leaves.values = list(map(durations.__getitem__, order))
    leaves.cut_rank = bisect_right(values, policy.within // _US)
    runs = leaves.runs = _group(map(took_scopes.__getitem__, order))
    leaves.totals = {scope: sum(map(values.__getitem__, run)) for scope, run in runs.items()}
    # Overdue topics: sorted once by (due, id); each scope holds its positions, in order.
    late.sort(key=ids.__getitem__)
    late_due = list(map(due.__getitem__, late))
    late = list(map(late.__getitem__, _argsort(late_due)))  # stable: by due, then id
    leaves.late_ids = list(map(ids.__getitem__, late))
    leaves.late = _group(map(scopes.__getitem__, late))
    return leaves


class _Subtree:
    """A node's subtree in a rollup, while its children are gathered: their sorted rank
    lists and overdue positions (merged into one sorted list each when the node is
    reached), and its counts.
    """

    __slots__ = ("before_next", "count", "lapsed", "late", "ranks", "total")

    def __init__(self) -> None:
        self.ranks: list[list[int]] = []
        self.late: list[list[int]] = []
        self.count = 0
        self.lapsed = 0
        self.before_next = 0
        self.total = 0

    def add(self, child: _Subtree, ranks: list[int], late: list[int]) -> None:
        if ranks:
            self.ranks.append(ranks)
        if late:
            self.late.append(late)
        self.count += child.count
        self.lapsed += child.lapsed
        self.before_next += child.before_next
        self.total += child.total


def summarize(
    topics: Iterable[TopicLike], policy: SlaPolicy | None = None, *, now: datetime
) -> SlaSummary:
    """The SLA figures of a set of topics as of ``now`` (no graph needed).

    The same figures as :func:`~microgov.sla.topic_sla` gives one by one, in bulk:
    the patrols of each day are computed once and each post finds its patrol by
    bisection. Complexity O(n log n) for n topics (the sort for the percentiles).

    Args:
        topics: Any :class:`TopicLike` values.
        policy: The SLA parameters (default :class:`SlaPolicy`).
        now: The instant to judge at (aware), not before any post.

    Returns:
        A :class:`SlaSummary` with ``node=None``.

    Raises:
        DataFormatError: ``sla.naive_datetime``, ``sla.not_datetime``,
            ``sla.response_before_post`` or ``sla.bad_topic`` for a bad topic.
        PolicyError: ``sla.naive_datetime`` for a naive ``now``; ``sla.now_before_post``.
        CalendarError: If the patrols needed fall in a year the calendar does not cover.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> s = summarize([], now=datetime(2026, 10, 12, tzinfo=SHANGHAI))
        >>> s.count, s.median, s.share_within
        (0, None, None)
    """
    policy = SlaPolicy() if policy is None else policy
    leaves = _accumulate(topics, policy, now)
    return leaves.summary(
        None,
        now,
        ranks=range(len(leaves.values)),
        late=range(len(leaves.late_ids)),
        count=len(leaves.ids),
        lapsed=leaves.lapsed.total(),
        before_next=leaves.before_next.total(),
        total=sum(leaves.values),
    )


class RankBy(enum.Enum):
    """What areas are ranked by; shorter times rank first, a larger share ranks first.

    Example:
        >>> RankBy("p90") is RankBy.P90, RankBy.SHARE_WITHIN.value
        (True, 'share_within')
    """

    MEAN = "mean"
    """Mean response time (ranked on the exact mean)."""
    MEDIAN = "median"
    """Nearest-rank median response time."""
    P90 = "p90"
    """Nearest-rank 90th percentile of response time."""
    SHARE_WITHIN = "share_within"
    """Share of decided topics answered within the threshold."""


@attrs.frozen(kw_only=True)
class RankEntry:
    """One node in a :class:`Ranking`: its rank, value and sample, or why it is not ranked.

    Attributes:
        node: The node id.
        rank: 1 for the best; equal values share a rank (1, 2, 2, 4); None if not ranked.
        value: The measured value (a timedelta, or a Fraction for the share), or None.
        sample: The topics the value rests on (answered ones for times, decided ones
            for the share).
        note_en: Empty when ranked; otherwise why not, in English.
        note_zh: The same in Chinese.

    Example:
        >>> e = RankEntry(node="area-02", rank=None, value=None, sample=3,
        ...               note_en="not ranked: too few topics (3 < 30)",
        ...               note_zh="未排名：议题太少（3 < 30）")
        >>> e.ranked
        False
    """

    node: str
    rank: int | None
    value: timedelta | Fraction | None
    sample: int
    note_en: str = ""
    note_zh: str = ""

    @property
    def ranked(self) -> bool:
        """Whether the node was ranked."""
        return self.rank is not None


@attrs.frozen(kw_only=True)
class Ranking:
    """Nodes of one level ranked on one measure; small samples are listed apart, unranked.

    A node with fewer than ``min_sample`` topics in its sample is "not ranked: too
    few topics" — never placed last because of noise.

    Attributes:
        level: The level ranked.
        by: The measure.
        min_sample: The smallest sample ranked.
        ranked: The ranked nodes, best first (ties by node id).
        not_ranked: The others, by node id.

    Example:
        >>> r = Ranking(level=Level.RESIDENTIAL_AREA, by=RankBy.MEDIAN, min_sample=30,
        ...             ranked=(), not_ranked=())
        >>> len(r.ranked) + len(r.not_ranked)
        0
    """

    level: Level
    by: RankBy
    min_sample: int
    ranked: tuple[RankEntry, ...]
    not_ranked: tuple[RankEntry, ...]


def _frozen_summaries(value: Mapping[str, SlaSummary]) -> Mapping[str, SlaSummary]:
    return MappingProxyType(dict(value))


def _empty(node: str, as_of: datetime) -> SlaSummary:
    return SlaSummary(
        node=node,
        as_of=as_of,
        count=0,
        answered=0,
        total_response=timedelta(0),
        mean=None,
        median=None,
        p90=None,
        within=0,
        decided=0,
        answered_before_next_patrol=0,
        overdue=(),
    )


def _measure(s: SlaSummary, by: RankBy) -> tuple[int, Fraction | timedelta | None, Fraction]:
    """(sample, value shown, sort key: smaller is better)."""
    if by is RankBy.SHARE_WITHIN:
        share = s.share_within
        return s.decided, share, -share if share is not None else Fraction(0)
    value = {RankBy.MEAN: s.mean, RankBy.MEDIAN: s.median, RankBy.P90: s.p90}[by]
    if by is RankBy.MEAN:
        key = s.mean_seconds
    else:
        key = None if value is None else Fraction(value // _US, _US_PER_S)
    return s.answered, value, key if key is not None else Fraction(0)


@attrs.frozen(kw_only=True)
class SlaRollup:
    """SLA figures for every node of a governance graph, each over its whole subtree.

    A node's figures cover the topics raised on it and on every node inside it, so
    at every level counts, sums and overdue lists are the sums of their parts, and
    the median and p90 are recomputed from the underlying response times (never
    averaged averages).

    Attributes:
        as_of: The instant judged at.
        policy: The SLA parameters used.
        hierarchy: The governance graph.
        summaries: Node id → :class:`SlaSummary`, for every node with at least one
            topic in its subtree, in pre-order.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.datasets import meilan_xihu
        >>> class Post:
        ...     id, scope, category = "t1", "grid-01-1", "parking"
        ...     raised_at = datetime(2026, 10, 12, 8, tzinfo=SHANGHAI)
        ...     first_response_at = datetime(2026, 10, 12, 9, tzinfo=SHANGHAI)
        >>> r = rollup_sla([Post()], meilan_xihu(), now=datetime(2026, 10, 13, tzinfo=SHANGHAI))
        >>> list(r.summaries)
        ['luodian', 'meilan-xihu', 'area-01', 'grid-01-1']
        >>> r.summary("area-02").count
        0
    """

    as_of: datetime
    policy: SlaPolicy
    hierarchy: Hierarchy = attrs.field(eq=False, repr=False)
    summaries: Mapping[str, SlaSummary] = attrs.field(converter=_frozen_summaries, hash=False)

    def summary(self, node_id: str) -> SlaSummary:
        """The figures of one node's subtree (zero counts if it has no topic).

        Args:
            node_id: A node of the graph.

        Returns:
            Its :class:`SlaSummary`.

        Raises:
            NodeNotFound: If the node is not in the graph.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> from microgov.datasets import meilan_xihu
            >>> r = rollup_sla([], meilan_xihu(), now=datetime(2026, 1, 5, tzinfo=SHANGHAI))
            >>> r.summary("area-01").count
            0
        """
        found = self.summaries.get(node_id)
        if found is not None:
            return found
        self.hierarchy.node(node_id)  # NodeNotFound if unknown
        return _empty(node_id, self.as_of)

    def at(self, level: Level, *, under: str | None = None) -> tuple[SlaSummary, ...]:
        """The figures of every node of ``level`` (optionally inside ``under``), in pre-order.

        Nodes without topics are included, with zero counts.

        Args:
            level: E.g. ``Level.RESIDENTIAL_AREA``.
            under: Only nodes inside this node.

        Returns:
            One :class:`SlaSummary` per node.

        Raises:
            NodeNotFound: If ``under`` is not in the graph.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> from microgov.datasets import meilan_xihu
            >>> r = rollup_sla([], meilan_xihu(), now=datetime(2026, 1, 5, tzinfo=SHANGHAI))
            >>> len(r.at(Level.MICRO_GRID, under="area-01"))
            3
        """
        return tuple(self.summary(n.id) for n in self.hierarchy.nodes_at(level, under=under))

    def rank(
        self,
        level: Level,
        *,
        by: RankBy = RankBy.MEDIAN,
        under: str | None = None,
        min_sample: int | None = None,
    ) -> Ranking:
        """Rank the nodes of ``level`` against each other on one measure.

        Nodes whose sample (answered topics for times, decided topics for the share)
        is below ``min_sample`` are listed in ``not_ranked`` with the note
        "not ranked: too few topics" — a small area is not shamed by noise.

        Args:
            level: The level to rank, e.g. ``Level.RESIDENTIAL_AREA``.
            by: The measure (default the median response time).
            under: Only nodes inside this node.
            min_sample: The smallest sample ranked (default ``policy.min_sample``).

        Returns:
            The :class:`Ranking`.

        Raises:
            PolicyError: ``sla.bad_min_sample`` for a ``min_sample`` below 1.
            NodeNotFound: If ``under`` is not in the graph.

        Example:
            >>> from datetime import datetime
            >>> from microgov.calendar import SHANGHAI
            >>> from microgov.datasets import meilan_xihu
            >>> r = rollup_sla([], meilan_xihu(), now=datetime(2026, 1, 5, tzinfo=SHANGHAI))
            >>> ranking = r.rank(Level.RESIDENTIAL_AREA)
            >>> len(ranking.ranked), ranking.not_ranked[0].note_en
            (0, 'not ranked: too few topics (0 < 30)')
        """
        floor = self.policy.min_sample if min_sample is None else min_sample
        if type(floor) is not int or floor < 1:
            raise PolicyError(
                f"min_sample must be a whole number ≥ 1, not {floor!r:.40}.",
                f"min_sample 应为不小于 1 的整数，而不是 {floor!r:.40}。",
                code="sla.bad_min_sample",
            )
        if not isinstance(by, RankBy):
            raise PolicyError(
                f"by must be a RankBy, not {by!r:.40}.",
                f"by 应为 RankBy，而不是 {by!r:.40}。",
                code="sla.bad_rank_by",
            )
        scored: list[tuple[Fraction, str, Fraction | timedelta | None, int]] = []
        left_out: list[RankEntry] = []
        for s in self.at(level, under=under):
            node = str(s.node)
            sample, value, key = _measure(s, by)
            if sample < floor:
                left_out.append(
                    RankEntry(
                        node=node,
                        rank=None,
                        value=value,
                        sample=sample,
                        note_en=f"not ranked: too few topics ({sample} < {floor})",
                        note_zh=f"未排名：议题太少（{sample} < {floor}）",
                    )
                )
            else:
                scored.append((key, node, value, sample))
        scored.sort(key=lambda row: (row[0], row[1]))
        ranked: list[RankEntry] = []
        for position, (key, node, value, sample) in enumerate(scored, start=1):
            same = ranked and scored[position - 2][0] == key
            rank = ranked[-1].rank if same else position
            ranked.append(RankEntry(node=node, rank=rank, value=value, sample=sample))
        return Ranking(
            level=level,
            by=by,
            min_sample=floor,
            ranked=tuple(ranked),
            not_ranked=tuple(sorted(left_out, key=lambda e: e.node)),
        )


def rollup_sla(
    topics: Iterable[TopicLike],
    hierarchy: Hierarchy,
    policy: SlaPolicy | None = None,
    *,
    now: datetime,
) -> SlaRollup:
    """SLA figures per node of the governance graph — grid, area, large community, town.

    Each topic counts at its scope node and at every node above it. Complexity: one
    pass over the n topics (a bisection each in a day table of patrols), one sort of
    each scope's response times, then one pass over the m nodes from the leaves up:
    a node keeps its subtree's sorted runs (merged into one when there are more than
    64) and selects its median and p90 across them by binary search, so no level
    re-sorts the level below; overdue lists are merged level by level. About
    O(n log n + n·d_overdue + m) for overdue lists d levels deep.

    Args:
        topics: Any :class:`TopicLike` values; each ``scope`` must be a node of
            ``hierarchy``.
        hierarchy: The governance graph.
        policy: The SLA parameters (default :class:`SlaPolicy`).
        now: The instant to judge at (aware), not before any post.

    Returns:
        The :class:`SlaRollup`.

    Raises:
        NodeNotFound: ``sla.unknown_scope`` for a topic whose scope is not in the graph.
        DataFormatError: For a bad topic (see :func:`summarize`).
        PolicyError: ``sla.naive_datetime`` for a naive ``now``; ``sla.now_before_post``.
        CalendarError: If the patrols needed fall in a year the calendar does not cover.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.datasets import meilan_xihu
        >>> class Post:
        ...     id, scope, category = "t1", "area-99", "parking"
        ...     raised_at = datetime(2026, 10, 12, 8, tzinfo=SHANGHAI)
        ...     first_response_at = None
        >>> rollup_sla([Post()], meilan_xihu(), now=datetime(2026, 10, 13, tzinfo=SHANGHAI))
        Traceback (most recent call last):
        ...
        microgov.errors.NodeNotFound: Topic 't1' was raised on 'area-99', which is not ...
    """
    policy = SlaPolicy() if policy is None else policy
    leaves = _accumulate(topics, policy, now)
    for scope in leaves.count:
        if scope not in hierarchy:
            first_id = leaves.first_id(scope)
            raise NodeNotFound(
                f"Topic {first_id!r} was raised on {scope!r}, which is not a node of the "
                "governance graph.",
                f"议题 {first_id!r} 所属的 {scope!r} 不是治理层级图中的节点。",
                code="sla.unknown_scope",
                node_id=scope,
                topic_id=first_id,
            )
    nodes = hierarchy.nodes()
    subtrees: dict[str, _Subtree] = {}
    done: dict[str, SlaSummary] = {}
    count, lapsed, before_next = leaves.count, leaves.lapsed, leaves.before_next
    runs, late, totals = leaves.runs, leaves.late, leaves.totals
    for node in reversed(nodes):  # every node after all the nodes inside it
        node_id = node.id
        sub = subtrees.pop(node_id, None)
        if node_id in count:
            if sub is None:
                sub = _Subtree()
            sub.count += count[node_id]
            sub.lapsed += lapsed[node_id]
            sub.before_next += before_next[node_id]
            run = runs.get(node_id)
            if run is not None:
                sub.ranks.append(run)
                sub.total += totals[node_id]
            own_late = late.get(node_id)
            if own_late is not None:
                sub.late.append(own_late)
        elif sub is None:
            continue
        ranks = _sorted_union(sub.ranks) if sub.ranks else []
        overdue = _sorted_union(sub.late) if sub.late else []
        done[node_id] = leaves.summary(
            node_id,
            now,
            ranks=ranks,
            late=overdue,
            count=sub.count,
            lapsed=sub.lapsed,
            before_next=sub.before_next,
            total=sub.total,
        )
        if node.parent is not None:
            above = subtrees.get(node.parent)
            if above is None:
                above = subtrees[node.parent] = _Subtree()
            above.add(sub, ranks, overdue)
    ordered = {n.id: done[n.id] for n in nodes if n.id in done}
    return SlaRollup(as_of=now, policy=policy, hierarchy=hierarchy, summaries=ordered)
