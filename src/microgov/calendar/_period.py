"""Periods (期限): a length of time in one unit — calendar days, working days or hours.

A notice period (公示期) or a response target is a :class:`Period`; the calendar
(:class:`~microgov.calendar.WorkCalendar`) counts it.  Policy sets hold periods, so
:mod:`microgov.policy` imports them from here (they moved from ``microgov.policy``,
which still exports them).
"""

from __future__ import annotations

import enum

import attrs

from microgov.errors import PolicyError

__all__ = ["Period", "PeriodUnit"]


class PeriodUnit(enum.Enum):
    """What a :class:`Period` counts: calendar days, Chinese working days or hours.

    Example:
        >>> PeriodUnit.WORKING_DAYS.label_zh, PeriodUnit.WORKING_DAYS.label_en
        ('工作日', 'working days')
    """

    CALENDAR_DAYS = "calendar_days"
    """Calendar days (自然日)."""
    WORKING_DAYS = "working_days"
    """Working days (工作日), make-up working days (调休) included; the calendar counts them."""
    HOURS = "hours"
    """Hours (小时)."""

    @property
    def label_zh(self) -> str:
        """The Chinese label, e.g. ``'工作日'``."""
        return {"calendar_days": "自然日", "working_days": "工作日", "hours": "小时"}[self.value]

    @property
    def label_en(self) -> str:
        """The English label, e.g. ``'working days'``."""
        return self.value.replace("_", " ")


def _check_amount(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 0:
        raise PolicyError(
            f"A period's amount must be a non-negative integer, got {value!r:.40}.",
            f"期限长度必须是非负整数，而不是 {value!r:.40}。",
            code="policy.bad_period",
            value=repr(value),
        )


def _check_unit(instance: object, attribute: attrs.Attribute[PeriodUnit], value: object) -> None:
    if not isinstance(value, PeriodUnit):
        raise PolicyError(
            f"A period's unit must be a PeriodUnit, got {value!r:.40}.",
            "期限单位必须是 PeriodUnit（自然日、工作日或小时）。",
            code="policy.bad_period",
            value=repr(value),
        )


@attrs.frozen
class Period:
    """A length of time in one unit, e.g. a notice period (公示期) of 5 working days.

    Counting it against a calendar is the calendar's job; this is only the amount
    and the unit.  ``Period(5, PeriodUnit.WORKING_DAYS)`` and the keyword form both
    work.

    Attributes:
        amount: How many units; a non-negative integer.
        unit: The unit.

    Raises:
        PolicyError: If ``amount`` is negative or not an integer, or ``unit`` is not a
            :class:`PeriodUnit` (code ``policy.bad_period``).

    Example:
        >>> p = Period(amount=5, unit=PeriodUnit.WORKING_DAYS)
        >>> str(p), p.label_zh
        ('5 working days', '5 个工作日')
        >>> Period(-1, PeriodUnit.HOURS)
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: A period's amount must be a non-negative integer, got -1. ...
    """

    amount: int = attrs.field(validator=_check_amount)
    unit: PeriodUnit = attrs.field(validator=_check_unit)

    @property
    def label_zh(self) -> str:
        """The period in Chinese, e.g. ``'5 个工作日'``."""
        return f"{self.amount} 个{self.unit.label_zh}"

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.label_en}"
