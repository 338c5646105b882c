"""Verdicts: what a rule decided, why, on which figures, under which law."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from fractions import Fraction
from types import MappingProxyType

import attrs

__all__ = ["Citation", "Figure", "Judgement", "Verdict", "judge"]

Figure = int | Fraction | str | bool | date | None
"""A value a rule used or computed: a count, an exact ratio, a date, a flag, a name."""


def _frozen_figures(value: Mapping[str, Figure]) -> Mapping[str, Figure]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Citation:
    """Where a rule comes from: the law or regulation, its article, when it is in force.

    Attributes:
        source: The instrument's name, e.g. ``'中华人民共和国城市居民委员会组织法（2018年修正）'``.
        article: The article, e.g. ``'第九条'``; None if the whole instrument.
        in_force_from: First day in force, if known.
        in_force_to: Last day in force, or None while it is in force.
        verified: False when the wording was not checked against the official text;
            the rule is then a parameter, not a claim about the law.
        note: Anything a reader should know (what was not verified, a translation).

    Example:
        >>> from datetime import date
        >>> c = Citation(source="中华人民共和国城市居民委员会组织法（2018年修正）",
        ...              article="第九条", in_force_to=date(2025, 12, 31))
        >>> c.in_force_on(date(2025, 12, 31)), c.in_force_on(date(2026, 1, 1))
        (True, False)
        >>> str(c)
        '中华人民共和国城市居民委员会组织法（2018年修正） 第九条 (in force … – 2025-12-31)'
    """

    source: str
    article: str | None = None
    in_force_from: date | None = None
    in_force_to: date | None = None
    verified: bool = True
    note: str | None = None

    def in_force_on(self, day: date) -> bool:
        """Whether the instrument is in force on ``day`` (both ends inclusive)."""
        starts, ends = self.in_force_from, self.in_force_to
        return (starts is None or starts <= day) and (ends is None or day <= ends)

    def __str__(self) -> str:
        start = self.in_force_from.isoformat() if self.in_force_from else "…"
        end = self.in_force_to.isoformat() if self.in_force_to else "…"
        article = f" {self.article}" if self.article else ""
        unverified = "; UNVERIFIED" if not self.verified else ""
        return f"{self.source}{article} (in force {start} – {end}{unverified})"


@attrs.frozen(kw_only=True)
class Verdict:
    """The outcome of one rule: passed or not, a stable reason code, the figures, the law.

    A rule never raises because it fails; it returns a failing verdict.  ``bool(v)``
    is ``v.passed``.

    Attributes:
        rule: The rule's stable name, e.g. ``'quorum.residents_meeting'``.
        passed: Whether the rule is satisfied.
        code: A stable reason code, e.g. ``'quorum.not_met'``.
        message_en: Why, in English.
        message_zh: Why, in Chinese.
        figures: The parameters and figures the rule used (read-only), e.g. the
            denominator of a ratio.
        citation: The law or regulation the rule comes from, if any.

    Example:
        >>> from fractions import Fraction
        >>> v = Verdict(rule="quorum.demo", passed=False, code="quorum.not_met",
        ...             message_en="30 of 60 present: not more than half.",
        ...             message_zh="到会 30 人，未超过应到 60 人的半数。",
        ...             figures={"present": 30, "entitled": 60, "threshold": Fraction(1, 2)})
        >>> bool(v), v.figures["entitled"]
        (False, 60)
    """

    rule: str
    passed: bool
    code: str
    message_en: str
    message_zh: str
    figures: Mapping[str, Figure] = attrs.field(
        factory=dict, converter=_frozen_figures, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )
    citation: Citation | None = None

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = "PASS" if self.passed else "FAIL"
        return f"[{mark} {self.code}] {self.message_en} / {self.message_zh}"


@attrs.frozen
class Judgement:
    """Several verdicts taken together: every one is kept, not just the first failure.

    Attributes:
        verdicts: All the verdicts, in the order given.

    Example:
        >>> ok = Verdict(rule="a", passed=True, code="a.ok", message_en="ok", message_zh="通过")
        >>> no = Verdict(rule="b", passed=False, code="b.no", message_en="no", message_zh="未通过")
        >>> j = judge(ok, no)
        >>> j.passed, [v.code for v in j.failures], len(j)
        (False, ['b.no'], 2)
    """

    verdicts: tuple[Verdict, ...]

    @property
    def passed(self) -> bool:
        """True when every verdict passed (and vacuously for none)."""
        return all(v.passed for v in self.verdicts)

    @property
    def failures(self) -> tuple[Verdict, ...]:
        """The verdicts that did not pass."""
        return tuple(v for v in self.verdicts if not v.passed)

    def __bool__(self) -> bool:
        return self.passed

    def __len__(self) -> int:
        return len(self.verdicts)

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self.verdicts)


def judge(*verdicts: Verdict | Iterable[Verdict]) -> Judgement:
    """Combine verdicts (or iterables of verdicts) into one :class:`Judgement`.

    Args:
        *verdicts: Verdicts, or iterables of them (e.g. other judgements).

    Returns:
        A judgement holding every verdict in order.

    Example:
        >>> ok = Verdict(rule="a", passed=True, code="a.ok", message_en="ok", message_zh="通过")
        >>> judge(ok, judge(ok, ok)).passed, len(judge(ok, [ok, ok]))
        (True, 3)
    """
    flat: list[Verdict] = []
    for item in verdicts:
        if isinstance(item, Verdict):
            flat.append(item)
        else:
            flat.extend(item)
    return Judgement(tuple(flat))
