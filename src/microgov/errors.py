"""Every error microgov raises, under one base class.

Each error carries a stable :attr:`~MicrogovError.code` (``area.reason``, e.g.
``hierarchy.cycle``) that callers can branch on, the ids and fields involved in
:attr:`~MicrogovError.details`, and its message in English and in Chinese, so the
same exception can be logged for an engineer and shown to a policy officer.

The tree::

    MicrogovError
    ├── HierarchyError               the governance graph
    │   ├── NodeNotFound             (also a LookupError)
    │   ├── HierarchyValidationError every problem of a graph at once
    │   └── ChangeRefused            a change that would break the graph
    ├── InvalidCodeError             a malformed official code (also a ValueError)
    ├── DataFormatError              an unusable file or record (also a ValueError)
    ├── PolicyError                  a policy set or rule used wrongly
    │   └── CalendarError            a date the working-day calendar does not cover
    ├── Refused                      a command refused by a rule; carries the verdicts
    │   ├── TransitionRefused        a lifecycle command refused
    │   └── BallotRefused            a hand or ballot refused
    ├── AuditError                   an audit log that cannot be appended to or read
    ├── FundsError                   an amount, posting or ledger command refused
    ├── PersonalDataError            a key or stored personal value (also a ValueError);
    │                                public home microgov.personal
    └── StoreError                   an event store that cannot do what was asked;
        └── ConcurrencyError         a stale expected version; public home microgov.store

A public call of microgov never lets a bare ``KeyError``, ``TypeError`` or
``json.JSONDecodeError`` escape: bad input becomes one of these, and the state it
was applied to stays exactly as it was.

Example:
    >>> from microgov.errors import MicrogovError, NodeNotFound
    >>> err = NodeNotFound.for_id("grid-7")
    >>> err.code
    'hierarchy.unknown_node'
    >>> err.details["node_id"]
    'grid-7'
    >>> print(err.message_zh)
    找不到节点 'grid-7'。
    >>> isinstance(err, MicrogovError) and isinstance(err, LookupError)
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import ClassVar

import attrs

from microgov._redact import redact_text

__all__ = [
    "AuditError",
    "BallotRefused",
    "CalendarError",
    "ChangeRefused",
    "ConcurrencyError",
    "DataFormatError",
    "FundsError",
    "HierarchyError",
    "HierarchyValidationError",
    "InvalidCodeError",
    "MicrogovError",
    "NodeNotFound",
    "PersonalDataError",
    "PolicyError",
    "Problem",
    "Refused",
    "StoreError",
    "TransitionRefused",
]


class MicrogovError(Exception):
    """The base of every error microgov raises.

    Args:
        message_en: What went wrong, in English, for the people who run the system.
        message_zh: The same in Chinese (简体中文), for the policy officers who use it.
        code: A stable, dotted reason code; defaults to the class's ``default_code``.
        **details: The ids, fields and values involved (never personal data).

    Attributes:
        code: The stable reason code, e.g. ``"hierarchy.cycle"``.
        message_en: The English message.
        message_zh: The Chinese message.
        details: A read-only mapping of the ids and fields involved.

    Example:
        >>> err = MicrogovError("Something broke.", "出了问题。", code="demo.broken", node_id="a")
        >>> str(err)
        'Something broke. / 出了问题。 [demo.broken]'
        >>> dict(err.details)
        {'node_id': 'a'}
    """

    default_code: ClassVar[str] = "microgov.error"

    def __init__(
        self, message_en: str, message_zh: str, *, code: str | None = None, **details: object
    ) -> None:
        self.code: str = code or self.default_code
        message_en, message_zh = _redact(message_en), _redact(message_zh)
        self.message_en: str = message_en
        self.message_zh: str = message_zh
        self.details: Mapping[str, object] = MappingProxyType(
            {k: _redact(v) if isinstance(v, str) else v for k, v in details.items()}
        )
        super().__init__(f"{message_en} / {message_zh} [{self.code}]")

    def __reduce__(self) -> tuple[object, ...]:  # keep errors picklable across processes
        return (
            _rebuild,
            (type(self), self.message_en, self.message_zh, self.code, dict(self.details)),
        )


def _redact(text: str) -> str:
    """Mask clear identity and mobile numbers (PIPL Art. 28) before they can leave.

    Errors quote what they were given, and a personal number typed into the wrong field
    must not come back in clear in a message, a log line or an export.
    """
    if not any(ch.isdigit() for ch in text):
        return text
    return redact_text(text)


def _rebuild(
    cls: type[MicrogovError], en: str, zh: str, code: str, details: dict[str, object]
) -> MicrogovError:
    err = cls.__new__(cls)
    MicrogovError.__init__(err, en, zh, code=code, **details)
    return err


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a graph or a file, as reported by a validator.

    Validators collect every problem instead of stopping at the first, so that a
    policy officer fixing a file sees the whole list at once.

    Attributes:
        code: A stable reason code, e.g. ``"hierarchy.orphan"``.
        message_en: What is wrong, in English.
        message_zh: The same in Chinese.
        subject: The id of the node or link concerned, if any.
        field: The field concerned, if any (e.g. ``"code"``).
        location: Where in a file, if the problem came from one (e.g. ``"line 12"``).

    Example:
        >>> p = Problem(code="hierarchy.orphan", message_en="Parent 'x' is missing.",
        ...             message_zh="上级节点 'x' 不存在。", subject="g1", field="parent")
        >>> str(p)
        "g1.parent: Parent 'x' is missing. / 上级节点 'x' 不存在。 [hierarchy.orphan]"
    """

    code: str
    message_en: str = attrs.field(converter=_redact)
    message_zh: str = attrs.field(converter=_redact)
    subject: str | None = None
    field: str | None = None
    location: str | None = None

    def __str__(self) -> str:
        where = ".".join(p for p in (self.subject, self.field) if p)
        if self.location:
            where = f"{self.location}: {where}" if where else self.location
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.message_en} / {self.message_zh} [{self.code}]"


class HierarchyError(MicrogovError):
    """Something about the governance graph (层级/网格) is wrong.

    Example:
        >>> issubclass(HierarchyError, MicrogovError)
        True
    """

    default_code = "hierarchy.error"


class NodeNotFound(HierarchyError, LookupError):
    """A node id that is not in the graph was asked for.

    Example:
        >>> NodeNotFound.for_id("area-99").message_en
        "No node 'area-99' in the governance graph."
    """

    default_code = "hierarchy.unknown_node"

    @classmethod
    def for_id(cls, node_id: str) -> NodeNotFound:
        """Build the error for one missing node id.

        Args:
            node_id: The id that was not found.

        Returns:
            The error, with ``details["node_id"]`` set.

        Example:
            >>> NodeNotFound.for_id("x").details["node_id"]
            'x'
        """
        return cls(
            f"No node {node_id!r} in the governance graph.",
            f"找不到节点 {node_id!r}。",
            node_id=node_id,
        )

    def __str__(self) -> str:  # LookupError would otherwise quote the message like a key
        return Exception.__str__(self)


class HierarchyValidationError(HierarchyError):
    """A graph (or a file describing one) has problems; all of them are listed.

    Args:
        problems: Every problem found, in a stable order.

    Attributes:
        problems: The problems, as :class:`Problem` values.

    Example:
        >>> p = Problem(code="hierarchy.orphan", message_en="Parent missing.",
        ...             message_zh="上级节点不存在。", subject="g1")
        >>> err = HierarchyValidationError([p])
        >>> err.code, len(err.problems)
        ('hierarchy.invalid', 1)
    """

    default_code = "hierarchy.invalid"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        listing = "".join(f"\n  - {p}" for p in self.problems[:20])
        more = f"\n  … and {n - 20} more / 另有 {n - 20} 项" if n > 20 else ""
        super().__init__(
            f"The governance graph has {n} problem(s):{listing}{more}",
            f"治理层级图存在 {n} 个问题。",
            codes=tuple(sorted({p.code for p in self.problems})),
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems,))


class ChangeRefused(HierarchyError):
    """A change to the graph was refused; the graph is exactly as it was before.

    The :attr:`~MicrogovError.code` says why, e.g. ``hierarchy.has_children`` when
    removing a node that still has children without asking to cascade.

    Example:
        >>> err = ChangeRefused("Node 'a' still has children.", "节点 'a' 仍有下级。",
        ...                     code="hierarchy.has_children", node_id="a")
        >>> err.code
        'hierarchy.has_children'
    """

    default_code = "hierarchy.change_refused"


class InvalidCodeError(MicrogovError, ValueError):
    """An official code (division, statistical, grid, identity or credit code) is malformed.

    Example:
        >>> err = InvalidCodeError("Bad code.", "代码格式错误。", code="code.length", value="12")
        >>> isinstance(err, ValueError)
        True
    """

    default_code = "code.invalid"


class DataFormatError(MicrogovError, ValueError):
    """A file or record cannot be read; the message names the file, the record and the field.

    Args:
        message_en: What went wrong, in English.
        message_zh: The same in Chinese.
        code: A stable reason code (``data.json``, ``data.records`` …).
        problems: One :class:`Problem` per bad record or field, when the file could
            be read as a whole but some of its records could not; empty when the
            input is unusable altogether (not JSON, not a table, unreadable).
        **details: The source, line, field … involved.

    Attributes:
        problems: The per-record problems (possibly empty).

    Example:
        >>> err = DataFormatError("Line 3: 'level' is missing.", "第 3 行：缺少 'level'。",
        ...                       code="data.missing_field", source="areas.csv", line=3,
        ...                       field="level")
        >>> err.details["line"], err.details["field"], err.problems
        (3, 'level', ())
    """

    default_code = "data.format"

    def __init__(
        self,
        message_en: str,
        message_zh: str,
        *,
        code: str | None = None,
        problems: Iterable[Problem] = (),
        **details: object,
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message_en, message_zh, code=code, **details)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_data_error,
            (self.message_en, self.message_zh, self.code, self.problems, dict(self.details)),
        )


def _rebuild_data_error(
    en: str, zh: str, code: str, problems: tuple[Problem, ...], details: dict[str, object]
) -> DataFormatError:
    return DataFormatError(en, zh, code=code, problems=problems, **details)


class PolicyError(MicrogovError):
    """A policy set, preset or rule was given input that makes no sense.

    A rule that simply fails returns a failing verdict; this error is for input a
    rule cannot judge at all (a negative count, an unknown preset, a policy file
    with a bad field).

    Example:
        >>> err = PolicyError("Unknown preset 'x'.", "未知的规则预设 'x'。",
        ...                   code="policy.unknown_preset")
        >>> err.code
        'policy.unknown_preset'
    """

    default_code = "policy.error"


class CalendarError(PolicyError):
    """A date the working-day calendar has no data for; microgov never guesses.

    Example:
        >>> CalendarError("No data for 2027.", "缺少 2027 年数据。", code="calendar.not_covered",
        ...               year=2027).details["year"]
        2027
    """

    default_code = "calendar.not_covered"


class Refused(MicrogovError):
    """A command refused by one or more rules; nothing was changed.

    Args:
        message_en: Why, in English.
        message_zh: Why, in Chinese.
        verdicts: The verdicts the refusal rests on (each with its reason code).
        code: A stable reason code; defaults to the first failing verdict's code.
        **details: The ids involved.

    Attributes:
        verdicts: The verdicts, as ``microgov.policy.Verdict`` values.

    Example:
        >>> err = Refused("Not allowed.", "不允许。", verdicts=(), code="auth.outside")
        >>> err.code, err.verdicts
        ('auth.outside', ())
    """

    default_code = "refused"

    def __init__(
        self,
        message_en: str,
        message_zh: str,
        *,
        verdicts: Iterable[object] = (),
        code: str | None = None,
        **details: object,
    ) -> None:
        self.verdicts: tuple[object, ...] = tuple(verdicts)
        if code is None:
            failing = [v for v in self.verdicts if not getattr(v, "passed", True)]
            code = getattr(failing[0], "code", None) if failing else None
        super().__init__(message_en, message_zh, code=code, **details)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_refused,
            (
                type(self),
                self.message_en,
                self.message_zh,
                self.code,
                self.verdicts,
                dict(self.details),
            ),
        )


def _rebuild_refused(
    cls: type[Refused],
    en: str,
    zh: str,
    code: str,
    verdicts: tuple[object, ...],
    details: dict[str, object],
) -> Refused:
    return cls(en, zh, verdicts=verdicts, code=code, **details)


class TransitionRefused(Refused):
    """A lifecycle command was refused (wrong state, a failing guard, no authority).

    Example:
        >>> issubclass(TransitionRefused, Refused)
        True
    """

    default_code = "lifecycle.refused"


class BallotRefused(Refused):
    """A hand or ballot was refused (outside the scope, not open, a second hand …).

    Example:
        >>> issubclass(BallotRefused, Refused)
        True
    """

    default_code = "voting.refused"


class AuditError(MicrogovError):
    """An audit log was used wrongly (an append out of sequence, an unreadable export).

    A tampered log is not an exception: ``verify()`` reports what it finds.

    Example:
        >>> AuditError("Sequence gap.", "序号不连续。", code="audit.sequence").code
        'audit.sequence'
    """

    default_code = "audit.error"


class FundsError(MicrogovError):
    """An amount, posting or ledger command was refused; the ledger is exactly as it was.

    A malformed amount, an unbalanced posting, an overdraft, a conflicting retry.

    Example:
        >>> FundsError("Bad amount.", "金额格式错误。", code="funds.bad_amount").code
        'funds.bad_amount'
    """

    default_code = "funds.error"


class PersonalDataError(MicrogovError, ValueError):
    """A pseudonymization key or a stored personal value is unusable.

    Codes: ``personal.key`` (a key that is not bytes, too short or too uniform),
    ``personal.key_id`` (a malformed key id), ``personal.value`` (a digest or masked
    form that does not have its shape), ``personal.key_mismatch`` (a value digested
    under another key).  Messages never contain a key or a clear number.

    Example:
        >>> PersonalDataError("Bad key.", "密钥无效。", code="personal.key").code
        'personal.key'
    """

    default_code = "personal.error"


class StoreError(MicrogovError):
    """An event store that cannot do what was asked (存储错误).

    Codes: ``store.empty_append``, ``store.stream_mismatch``, ``store.draft_type``,
    ``store.bad_argument``, ``store.idempotency_conflict`` (a key reused for other
    events), ``store.genesis_mismatch`` (a store opened with another chain id),
    ``store.corrupt`` (a stored row that cannot be read: run ``verify()``),
    ``store.not_found``, ``store.bad_record`` (a stored event a repository cannot
    decode), ``store.unavailable`` (psycopg missing, a database error).

    Example:
        >>> from microgov.errors import MicrogovError
        >>> issubclass(StoreError, MicrogovError)
        True
    """

    default_code = "store.error"


class ConcurrencyError(StoreError):
    """An append whose expected stream version is stale: someone else appended first.

    Optimistic concurrency (乐观并发控制): a command reads a stream at version *n*,
    decides, and appends with ``expected_version=n``; if another instance appended in
    between, the append is refused and nothing is written.  Reload and decide again.

    Attributes:
        details: ``stream``, ``expected`` and ``actual`` versions.

    Example:
        >>> err = ConcurrencyError.stale("fund:a1", expected=3, actual=4)
        >>> err.code, err.details["actual"]
        ('store.concurrency', 4)
        >>> print(err.message_zh)
        流 'fund:a1' 的版本已是 4，而不是预期的 3：已有其他实例写入，请重新读取后再试。
    """

    default_code = "store.concurrency"

    @classmethod
    def stale(cls, stream: str, *, expected: int, actual: int) -> ConcurrencyError:
        """The error for an append expecting ``expected`` when the stream is at ``actual``.

        Args:
            stream: The stream appended to.
            expected: The version the caller expected.
            actual: The version the stream is at.

        Returns:
            The error.

        Example:
            >>> ConcurrencyError.stale("s", expected=0, actual=1).message_en
            "Stream 's' is at version 1, not the expected 0: another instance appended first; reload and try again."
        """  # noqa: E501
        return cls(
            f"Stream {stream!r} is at version {actual}, not the expected {expected}: "
            "another instance appended first; reload and try again.",
            f"流 {stream!r} 的版本已是 {actual}，而不是预期的 {expected}：已有其他实例写入，"
            "请重新读取后再试。",
            stream=stream,
            expected=expected,
            actual=actual,
        )
