"""SLA figures in bulk: summaries, rollups up the governance graph, rankings of areas."""

from __future__ import annotations

import enum
import warnings
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import Final, cast

import attrs

from microgov.errors import DataFormatError, NodeNotFound, PolicyError
from microgov.hierarchy import Hierarchy, Level
from microgov.sla._figures import (
    _now_before_post,
    _response_before_post,
    _topic_times,
)
from microgov.sla._policy import SlaPolicy, SlaTopic
from microgov.sla._schedule import _EPOCH, _aware, _frame, _local_epoch

__all__ = ["RankBy", "RankEntry", "Ranking", "SlaRollup", "SlaSummary", "rollup_sla", "summarize"]

_HALF: Final = Fraction(1, 2)
_P90: Final = Fraction(9, 10)
_US_PER_S: Final = 1_000_000
_US: Final = timedelta(microseconds=1)
_FLOAT_EXACT: Final = 2**53
_MAX_RUNS: Final = 64
"""More sorted runs than this in a subtree, if short, are merged into one (see _SHORT_RUN)."""
_SHORT_RUN: Final = 64
"""Runs averaging fewer response times than this are merged (when more than _MAX_RUNS).

A selection across k runs costs about 2·38·k bisections and a merge of n values about
n·log2(k) comparisons, so selecting is cheaper while runs are long (1,300 runs of 650 on
the 1,000,000-topic benchmark: about 8× fewer comparisons) and merging once runs are
short (many scopes with a few topics each, where selecting would cost more than n)."""
_ID: Final = itemgetter(1)


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


def _sort_durations(durations: list[int], top: int | None = None) -> None:
    """Sort response times (µs) in place; ``top`` is their maximum if already known."""
    if durations and (max(durations) if top is None else top) < _FLOAT_EXACT:
        # float(k) is exact for 0 <= k < 2**53 µs (285 years), so this is the exact
        # order of the integers; CPython sorts float keys much faster than large ints.
        durations.sort(key=float)
    else:
        durations.sort()


_Late = str | tuple[int, str]
"""An overdue topic as sorted: a text key (due, then id) or a (due, id) pair; see
:func:`_scan`."""


def _merged(runs: list[list[_Late]]) -> list[_Late]:
    """One sorted list from sorted ``runs`` (timsort finds and merges the runs)."""
    if len(runs) == 1:
        return runs[0]
    merged = list(chain.from_iterable(runs))
    merged.sort()
    return merged


def _select(runs: list[list[int]], rank: int) -> int:
    """The ``rank``-th smallest (1-based) of the union of sorted ``runs``, exactly.

    A binary search on the integer value: the smallest ``v`` with at least ``rank``
    values ``<= v`` is that value.  O(k log k-range) bisections for k runs.
    """
    if len(runs) == 1:
        return runs[0][rank - 1]
    low = min(run[0] for run in runs)
    high = max(run[-1] for run in runs)
    while low < high:
        mid = (low + high) // 2
        if sum(map(bisect_right, runs, repeat(mid))) >= rank:
            high = mid
        else:
            low = mid + 1
    return low


def _rank_of(count: int, p: Fraction) -> int:
    return -(-p.numerator * count // p.denominator)


class _Subtree:
    """A node's subtree in a rollup: its response times as sorted runs (one per scope
    below it, merged when there are more than ``_MAX_RUNS`` short ones), its counts,
    and its overdue topics' keys as sorted runs (merged into one per node).
    Percentiles are selected across the runs, so no level re-sorts what the level
    below has sorted.
    """

    __slots__ = ("answered", "before_next", "lapsed", "late", "runs", "total", "unanswered")

    def __init__(self) -> None:
        self.runs: list[list[int]] = []
        self.late: list[list[_Late]] = []
        self.answered = 0
        self.total = 0
        self.unanswered = 0
        self.lapsed = 0
        self.before_next = 0

    def add_own(self, acc: _Acc) -> None:
        durations = acc.durations
        if durations:
            _sort_durations(durations)
            self.runs.append(durations)
            self.answered += len(durations)
            self.total += sum(durations)
        if acc.overdue:
            acc.overdue.sort()
            self.late.append(acc.overdue)
        self.unanswered += acc.unanswered
        self.lapsed += acc.lapsed
        self.before_next += acc.before_next

    def add_child(self, child: _Subtree) -> None:
        self.runs.extend(child.runs)
        self.late.extend(child.late)
        self.answered += child.answered
        self.total += child.total
        self.unanswered += child.unanswered
        self.lapsed += child.lapsed
        self.before_next += child.before_next

    def finish(
        self, node: str | None, as_of: datetime, threshold: timedelta, read: Callable[[_Late], str]
    ) -> SlaSummary:
        if len(self.runs) > _MAX_RUNS and self.answered < _SHORT_RUN * len(self.runs):
            merged = list(chain.from_iterable(self.runs))
            _sort_durations(merged, max(run[-1] for run in self.runs))  # timsort merges runs
            self.runs = [merged]
        if len(self.late) > 1:
            self.late = [_merged(self.late)]
        runs, answered = self.runs, self.answered
        total = timedelta(microseconds=self.total)
        if answered:
            mean: timedelta | None = total / answered
            median: timedelta | None = timedelta(
                microseconds=_select(runs, _rank_of(answered, _HALF))
            )
            p90: timedelta | None = timedelta(microseconds=_select(runs, _rank_of(answered, _P90)))
        else:
            mean = median = p90 = None
        cut = threshold // _US
        return SlaSummary(
            node=node,
            as_of=as_of,
            count=answered + self.unanswered,
            answered=answered,
            total_response=total,
            mean=mean,
            median=median,
            p90=p90,
            within=sum(map(bisect_right, runs, repeat(cut))),
            decided=answered + self.lapsed,
            answered_before_next_patrol=self.before_next,
            overdue=tuple(map(read, self.late[0])) if self.late else (),
        )


class _Acc:
    """A mutable accumulator, private to one bulk computation."""

    __slots__ = (
        "before_next",
        "durations",
        "first_id",
        "lapsed",
        "overdue",
        "unanswered",
    )

    def __init__(self, first_id: str) -> None:
        self.first_id = first_id
        self.durations: list[int] = []  # µs (exact), of answered topics
        self.unanswered = 0
        self.lapsed = 0  # unanswered with the "within" threshold passed
        self.before_next = 0
        self.overdue: list[_Late] = []  # keys of the overdue topics (see _scan)


_FIELDS: Final = attrgetter("id", "scope", "category", "raised_at", "first_response_at")


def _offsets(
    epoch: datetime, rows: list[tuple[str, str, str, datetime, datetime | None]]
) -> tuple[list[timedelta], list[timedelta | None]]:
    """Each topic's post and response as offsets from ``epoch`` (``datetime - epoch``)."""
    try:
        raised = [row[3] - epoch for row in rows]
        responses = [None if row[4] is None else row[4] - epoch for row in rows]
    except TypeError:  # a naive datetime or not a datetime: name the topic and field
        for row in rows:
            _topic_times(_Row(row))
        raise DataFormatError(  # a tzinfo that fails: no datetime to blame
            "A topic time could not be read as a timezone-aware datetime.",
            "有议题时间无法读取为带时区的日期时间。",
            code="sla.bad_topic",
        ) from None
    return raised, responses


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


def _accumulate(
    topics: Iterable[SlaTopic], policy: SlaPolicy, now: datetime
) -> tuple[dict[str, _Acc], Callable[[_Late], str]]:
    """Every topic's figures, accumulated per scope node, and how to read an overdue id.

    Times are offsets from an epoch.  The fast frame's epoch is local midnight in the
    schedule's zone, where subtracting a datetime of the same zone is plain wall-clock
    arithmetic (≈10× faster than converting through UTC); it is used only when the
    zone keeps one UTC offset over the whole span (always for Asia/Shanghai), so wall
    clock equals elapsed time.  Otherwise every time is taken relative to 1970-01-01
    UTC (exact elapsed time in any zone).  One day table of patrols, one bisection per
    topic.
    """
    _aware(now, "now")
    try:
        rows = list(map(_FIELDS, topics))
    except AttributeError:
        raise DataFormatError(
            "Every topic needs id, scope, category, raised_at and first_response_at.",
            "每个议题都需要 id、scope、category、raised_at 和 first_response_at。",
            code="sla.bad_topic",
        ) from None
    if not rows:
        return {}, cast(Callable[[_Late], str], _ID)
    schedule = policy.schedule
    zone = schedule.zone
    epoch = _local_epoch(zone, now)
    raised, responses = _offsets(epoch, rows)
    now_at = now - epoch
    first, last = min(raised), max(raised)
    known = [r for r in responses if r is not None]
    span = [first, last, now_at, *([min(known), max(known)] if known else [])]
    if not _frame(zone, now, span):
        epoch = _EPOCH
        raised, responses = _offsets(epoch, rows)
        now_at = now - epoch
        first, last = min(raised), max(raised)
    if last > now_at:
        k = raised.index(last)
        raise _now_before_post(rows[k][0], rows[k][3], now)
    starts, ends = schedule._table(epoch, first, last)
    targets = dict(policy.category_targets)
    # Every due time lies in [first post, last patrol or post + the longest target].
    low = first // _US
    high = (max(last, starts[-1]) + max([policy.target, *targets.values()])) // _US
    pad = 10 ** len(str(high - low))  # due - low + pad: one digit more, fixed width
    frame = _Frame(
        epoch=epoch,
        zone=zone,
        now_at=now_at,
        starts=starts,
        ends=ends,
        default=policy.target,
        targets=targets,
        lapse_cut=now_at - policy.within,  # unanswered, posted before it: lapsed
        shift=pad - low,
    )
    try:
        buckets = _scan(rows, raised, responses, frame, text=True)
    except TypeError:  # an id that is not a string, or a bad scope: read as pairs
        buckets = _scan(rows, raised, responses, frame, text=False)
        return buckets, cast(Callable[[_Late], str], _ID)
    return buckets, cast(Callable[[_Late], str], itemgetter(slice(len(str(pad)), None)))


@attrs.frozen(kw_only=True)
class _Frame:
    """What :func:`_scan` needs besides the topics: the frame, the day table, targets."""

    epoch: datetime
    zone: tzinfo
    now_at: timedelta
    starts: list[timedelta]
    ends: list[timedelta]
    default: timedelta
    targets: dict[str, timedelta]
    lapse_cut: timedelta
    shift: int


def _scan(
    rows: list[tuple[str, str, str, datetime, datetime | None]],
    raised: list[timedelta],
    responses: list[timedelta | None],
    frame: _Frame,
    *,
    text: bool,
) -> dict[str, _Acc]:
    """One pass over the topics, in input order: each one's patrol, due time and figures.

    An overdue topic is kept as a sort key.  With ``text``, the key is its due time in µs
    in fixed-width decimal (``due + shift``), then its id: the keys' string order is the
    (due, id) order, and CPython sorts and merges strings fast (``memcmp``), so each
    level merges its children's sorted keys by one plain sort.  A ``TypeError`` (an id
    that is not a string) then escapes, and the caller scans again without ``text``:
    the key is the (due, id) pair, as exact and slower.

    Raises:
        DataFormatError: ``sla.response_before_post``; ``sla.bad_topic`` for a scope or
            category that cannot be a key (without ``text``).
    """
    epoch, zone, now_at, starts, ends = (
        frame.epoch,
        frame.zone,
        frame.now_at,
        frame.starts,
        frame.ends,
    )
    default, target_get, lapse_cut, shift = (
        frame.default,
        frame.targets.get,
        frame.lapse_cut,
        frame.shift,
    )
    buckets: dict[str, _Acc] = {}
    get = buckets.get
    try:
        for (topic_id, scope, category, _, _), t, r in zip(rows, raised, responses, strict=True):
            acc = get(scope)
            if acc is None:
                acc = buckets[scope] = _Acc(topic_id)
            i = bisect_right(ends, t)  # the patrol the post waited for
            s = starts[i]
            due = (t if t > s else s) + target_get(category, default)
            if r is None or r > now_at:  # not answered by now
                acc.unanswered += 1
                if now_at > due:
                    if text:
                        acc.overdue.append(str(due // _US + shift) + topic_id)
                    else:
                        acc.overdue.append((due // _US, topic_id))
                if t < lapse_cut:
                    acc.lapsed += 1
            else:
                if r < t:
                    raise _response_before_post(
                        topic_id, (epoch + t).astimezone(zone), (epoch + r).astimezone(zone)
                    )
                acc.durations.append((r - t) // _US)
                if r > due:
                    if text:
                        acc.overdue.append(str(due // _US + shift) + topic_id)
                    else:
                        acc.overdue.append((due // _US, topic_id))
                if r < starts[i + 1]:
                    acc.before_next += 1
    except TypeError:  # an unhashable scope or category (or, with text, an id)
        if text:
            raise
        bad = next(
            (row for row in rows if type(row[1]) is not str or type(row[2]) is not str), rows[0]
        )
        raise DataFormatError(
            f"Topic {bad[0]!r:.60}: scope and category must be strings.",
            f"议题 {bad[0]!r:.60}：scope 和 category 应为字符串。",
            code="sla.bad_topic",
            topic_id=str(bad[0]),
        ) from None
    return buckets


def summarize(
    topics: Iterable[SlaTopic], policy: SlaPolicy | None = None, *, now: datetime
) -> SlaSummary:
    """The SLA figures of a set of topics as of ``now`` (no graph needed).

    The same figures as :func:`~microgov.sla.topic_sla` gives one by one, in bulk:
    the patrols of each day are computed once and each post finds its patrol by
    bisection. Complexity O(n log n) for n topics (the sort for the percentiles).

    Args:
        topics: Any :class:`SlaTopic` values.
        policy: The SLA parameters (default :class:`SlaPolicy`).
        now: The instant to judge at (aware), not before any post.

    Returns:
        A :class:`SlaSummary` with ``node=None``.

    Raises:
        DataFormatError: ``time.not_aware``,
            ``sla.response_before_post`` or ``sla.bad_topic`` for a bad topic.
        PolicyError: ``time.not_aware`` for a naive ``now``; ``sla.now_before_post``.
        CalendarError: If the patrols needed fall in a year the calendar does not cover.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> s = summarize([], now=datetime(2026, 10, 12, tzinfo=SHANGHAI))
        >>> s.count, s.median, s.share_within
        (0, None, None)
    """
    policy = SlaPolicy() if policy is None else policy
    buckets, read = _accumulate(topics, policy, now)
    total = _Subtree()
    for acc in buckets.values():
        total.add_own(acc)
    return total.finish(None, now, policy.within, read)


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
        >>> from microgov.hierarchy import Level
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
        >>> r = rollup_sla(meilan_xihu(), [Post()], now=datetime(2026, 10, 13, tzinfo=SHANGHAI))
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
            >>> r = rollup_sla(meilan_xihu(), [], now=datetime(2026, 1, 5, tzinfo=SHANGHAI))
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
            >>> r = rollup_sla(meilan_xihu(), [], now=datetime(2026, 1, 5, tzinfo=SHANGHAI))
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
            >>> r = rollup_sla(meilan_xihu(), [], now=datetime(2026, 1, 5, tzinfo=SHANGHAI))
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
    hierarchy: Hierarchy,
    topics: Iterable[SlaTopic],
    policy: SlaPolicy | None = None,
    *,
    now: datetime,
) -> SlaRollup:
    """SLA figures per node of the governance graph — grid, area, large community, town.

    The graph comes first, as in every other call that takes it. Before this release the
    order was ``rollup_sla(topics, hierarchy)``; that order still works, with a
    :class:`DeprecationWarning`.

    Each topic counts at its scope node and at every node above it. Complexity: one
    pass over the n topics (a bisection each in a day table of patrols), one sort of
    each scope's response times, then one pass over the m nodes from the leaves up:
    a node keeps its subtree's sorted runs (merged into one when there are more than
    64 short ones) and selects its median and p90 across them by binary search, so no
    level re-sorts the level below; overdue topics are sorted once per scope on a
    string key (due time, then id) and merged level by level with plain string
    sorts. About O(n log n + n·d_overdue + m) for overdue lists d levels deep.

    Args:
        hierarchy: The governance graph.
        topics: Any :class:`SlaTopic` values; each ``scope`` must be a node of
            ``hierarchy``.
        policy: The SLA parameters (default :class:`SlaPolicy`).
        now: The instant to judge at (aware), not before any post.

    Returns:
        The :class:`SlaRollup`.

    Raises:
        NodeNotFound: ``sla.unknown_scope`` for a topic whose scope is not in the graph.
        DataFormatError: For a bad topic (see :func:`summarize`).
        PolicyError: ``time.not_aware`` for a naive ``now``; ``sla.now_before_post``.
        CalendarError: If the patrols needed fall in a year the calendar does not cover.

    Example:
        >>> from datetime import datetime
        >>> from microgov.calendar import SHANGHAI
        >>> from microgov.datasets import meilan_xihu
        >>> class Post:
        ...     id, scope, category = "t1", "area-99", "parking"
        ...     raised_at = datetime(2026, 10, 12, 8, tzinfo=SHANGHAI)
        ...     first_response_at = None
        >>> rollup_sla(meilan_xihu(), [Post()], now=datetime(2026, 10, 13, tzinfo=SHANGHAI))
        Traceback (most recent call last):
        ...
        microgov.errors.NodeNotFound: Topic 't1' was raised on 'area-99', which is not ...
    """
    first: object = hierarchy
    second: object = topics
    if not isinstance(first, Hierarchy) and isinstance(second, Hierarchy):
        warnings.warn(
            "rollup_sla(topics, hierarchy) is deprecated: pass the graph first, "
            "rollup_sla(hierarchy, topics).",
            DeprecationWarning,
            stacklevel=2,
        )
        hierarchy, topics = second, cast(Iterable[SlaTopic], first)
    policy = SlaPolicy() if policy is None else policy
    buckets, read = _accumulate(topics, policy, now)
    for scope, acc in buckets.items():
        if scope not in hierarchy:
            raise NodeNotFound(
                f"Topic {acc.first_id!r} was raised on {scope!r}, which is not a node of the "
                "governance graph.",
                f"议题 {acc.first_id!r} 所属的 {scope!r} 不是治理层级图中的节点。",
                code="sla.unknown_scope",
                node_id=scope,
                topic_id=acc.first_id,
            )
    nodes = hierarchy.nodes()
    subtrees: dict[str, _Subtree] = {}
    done: dict[str, SlaSummary] = {}
    for node in reversed(nodes):  # every node after all the nodes inside it
        own = buckets.get(node.id)
        sub = subtrees.get(node.id)
        if own is None and sub is None:
            continue
        if sub is None:
            sub = subtrees[node.id] = _Subtree()
        if own is not None:
            sub.add_own(own)
        done[node.id] = sub.finish(node.id, now, policy.within, read)
        if node.parent is not None:
            above = subtrees.get(node.parent)
            if above is None:
                above = subtrees[node.parent] = _Subtree()
            above.add_child(sub)
    ordered = {n.id: done[n.id] for n in nodes if n.id in done}
    return SlaRollup(as_of=now, policy=policy, hierarchy=hierarchy, summaries=ordered)
