"""The built-in guards: pure rules a transition may require, by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from microgov._checks import aware_datetime
from microgov._time import SHANGHAI
from microgov._verdict import Figure, Verdict
from microgov.errors import DataFormatError
from microgov.policy import MAJORITY_RULE_PREFIX, QUORUM_RULE_PREFIX

if TYPE_CHECKING:
    from microgov.lifecycle._apply import Command, Context

__all__ = [
    "DEFAULT_GUARDS",
    "Guard",
    "evaluation_passed",
    "notice_elapsed",
    "objection_none",
    "verdicts_all_passed",
    "vote_of",
    "vote_passed",
]

Guard = Callable[[str, "Command", "Context"], Verdict]
"""A named rule a transition may require: ``(state, command, context) -> Verdict``.

The built-in guards read what the command carries; :class:`microgov.service.Service` is
the front door that fills it from recorded facts (the tally, the checks, the notice end,
the objections, the scores), so that no caller brings its own.

A guard is pure: it reads only its arguments and returns a verdict — a failing one,
never an exception, when the rule is simply not met.  It raises
:class:`~microgov.errors.DataFormatError` only for input it cannot judge (a payload
field of the wrong type).
"""

_EVALUATION_PREFIXES: Final = ("evaluation.", "scoring.")


def _verdict(rule: str, passed: bool, code: str, en: str, zh: str, **figures: Figure) -> Verdict:
    return Verdict(
        rule=rule, passed=passed, code=code, message_en=en, message_zh=zh, figures=figures
    )


def verdicts_all_passed(state: str, command: Command, context: Context) -> Verdict:
    """Guard ``verdicts.all_passed``: the command carries verdicts, and every one passed.

    Inputs: ``command.verdicts`` (e.g. the checks of an acceptance inspection 验收).

    Codes: ``verdicts.all_passed``; ``verdicts.none`` (no verdict supplied);
    ``verdicts.failed`` (figures name the failing codes).

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.lifecycle import Command
        >>> from microgov.policy import Verdict
        >>> ok = Verdict(rule="check.a", passed=True, code="check.ok", message_en="ok",
        ...              message_zh="通过")
        >>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> verdicts_all_passed("in_progress", Command(name="complete", item="p", actor="u",
        ...                     at=at, verdicts=(ok,)), None).code
        'verdicts.all_passed'
        >>> verdicts_all_passed("in_progress", Command(name="complete", item="p", actor="u",
        ...                     at=at), None).code
        'verdicts.none'
    """
    rule = "verdicts.all_passed"
    given = command.verdicts
    if not given:
        return _verdict(
            rule,
            False,
            "verdicts.none",
            "No verdict was supplied with the command.",
            "命令未附带任何规则结论。",
            count=0,
        )
    failing = [v.code for v in given if not v.passed]
    if failing:
        return _verdict(
            rule,
            False,
            "verdicts.failed",
            f"{len(failing)} of {len(given)} supplied verdict(s) failed: {', '.join(failing)}.",
            f"所附 {len(given)} 项结论中有 {len(failing)} 项未通过：{'、'.join(failing)}。",
            count=len(given),
            failed=", ".join(failing),
        )
    return _verdict(
        rule,
        True,
        "verdicts.all_passed",
        f"All {len(given)} supplied verdict(s) passed.",
        f"所附 {len(given)} 项结论均已通过。",
        count=len(given),
    )


def vote_passed(state: str, command: Command, context: Context) -> Verdict:
    """Guard ``vote.passed``: the command carries a passed vote (举手接纳).

    Inputs: ``command.verdicts``, a vote tally's verdicts: at least one whose rule
    starts with :data:`~microgov.policy.QUORUM_RULE_PREFIX` (``quorum.``) and one whose
    rule starts with :data:`~microgov.policy.MAJORITY_RULE_PREFIX` (``majority.``), as
    :mod:`microgov.policy`'s quorum and majority rules name them, and every verdict
    supplied passed.

    Codes: ``vote.passed``; ``vote.incomplete`` (no quorum or no majority verdict);
    ``vote.not_passed`` (figures name the failing codes).

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.lifecycle import Command
        >>> from microgov.policy import Verdict
        >>> q = Verdict(rule="quorum.residents_meeting", passed=True, code="quorum.met",
        ...             message_en="quorum", message_zh="达到法定人数")
        >>> m = Verdict(rule="majority.residents_meeting", passed=False, code="majority.not_met",
        ...             message_en="no majority", message_zh="未过半数")
        >>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> vote_passed("hand_raised", Command(name="accept", item="p", actor="u", at=at,
        ...             verdicts=(q, m)), None).code
        'vote.not_passed'
        >>> vote_passed("hand_raised", Command(name="accept", item="p", actor="u", at=at,
        ...             verdicts=(q,)), None).code
        'vote.incomplete'
    """
    rule = "vote.passed"
    given = command.verdicts
    has_quorum = any(v.rule.startswith(QUORUM_RULE_PREFIX) for v in given)
    has_majority = any(v.rule.startswith(MAJORITY_RULE_PREFIX) for v in given)
    if not (has_quorum and has_majority):
        missing = [
            name
            for name, present in (("quorum", has_quorum), ("majority", has_majority))
            if not present
        ]
        return _verdict(
            rule,
            False,
            "vote.incomplete",
            f"The vote's {' and '.join(missing)} verdict(s) were not supplied.",
            f"未附表决的{'、'.join('法定人数' if m == 'quorum' else '多数' for m in missing)}"
            "结论。",
            quorum=has_quorum,
            majority=has_majority,
        )
    failing = [v.code for v in given if not v.passed]
    if failing:
        return _verdict(
            rule,
            False,
            "vote.not_passed",
            f"The vote did not pass: {', '.join(failing)}.",
            f"表决未通过：{'、'.join(failing)}。",
            failed=", ".join(failing),
        )
    return _verdict(
        rule,
        True,
        "vote.passed",
        "The vote passed: quorum and majority met.",
        "表决通过：达到法定人数并获多数同意。",
        count=len(given),
    )


def vote_of(family: str) -> Guard:
    """Guard ``vote.passed`` for one vote family only: the residents' or the owners' vote.

    :func:`vote_passed` accepts any quorum and majority verdicts; a project whose policy
    says which vote must decide it (:meth:`microgov.policy.PolicySet.vote_family` — the
    owners' decision for a project touching common parts when
    ``owners_decide_common_parts`` is set) registers this guard instead, so the other
    vote's verdicts do not count.

    Args:
        family: The vote family, e.g. ``'owners_decision'`` or ``'residents_meeting'``.

    Returns:
        A guard with the codes of :func:`vote_passed`; ``vote.incomplete`` also when the
        verdicts supplied are of another family (figure ``family``).

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.lifecycle import Command
        >>> from microgov.policy import Verdict
        >>> q = Verdict(rule="quorum.residents_meeting", passed=True, code="quorum.met",
        ...             message_en="quorum", message_zh="达到法定人数")
        >>> m = Verdict(rule="majority.residents_meeting", passed=True, code="majority.met",
        ...             message_en="majority", message_zh="过半数")
        >>> cmd = Command(name="accept", item="p", actor="u",
        ...               at=datetime(2026, 1, 5, tzinfo=timezone.utc), verdicts=(q, m))
        >>> vote_of("residents_meeting")("hand_raised", cmd, None).code
        'vote.passed'
        >>> vote_of("owners_decision")("hand_raised", cmd, None).code
        'vote.incomplete'
    """

    def guard(state: str, command: Command, context: Context) -> Verdict:
        mine = tuple(
            v
            for v in command.verdicts
            if v.rule in (f"{QUORUM_RULE_PREFIX}{family}", f"{MAJORITY_RULE_PREFIX}{family}")
        )
        if len({v.rule for v in mine}) < 2:
            return _verdict(
                "vote.passed",
                False,
                "vote.incomplete",
                f"The {family!r} vote's quorum and majority verdicts were not supplied.",
                f"未附 {family!r} 表决的法定人数和多数结论。",
                family=family,
            )
        narrowed = attrs.evolve(command, verdicts=mine)
        return vote_passed(state, narrowed, context)

    return guard


def _aware_datetime(value: object, field: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise DataFormatError(
                f"payload.{field} is not an ISO 8601 datetime: {value!r}.",
                f"payload.{field} 不是 ISO 8601 日期时间：{value!r}。",
                code="lifecycle.bad_payload",
                field=field,
            ) from None
    return aware_datetime(value, f"payload.{field}")


def notice_elapsed(state: str, command: Command, context: Context) -> Verdict:
    """Guard ``notice.elapsed``: the public-notice period (公示期) is over.

    Inputs: ``command.payload["notice_ends_at"]``, a timezone-aware ISO 8601 datetime
    (string, or a ``datetime``) that the caller computed with the working-day calendar
    and the policy's notice period; the command's time ``command.at`` must be at or
    after it.

    Codes: ``notice.elapsed``; ``notice.running``; ``notice.not_given`` (no
    ``notice_ends_at``).

    Raises:
        DataFormatError: ``lifecycle.bad_payload`` if ``notice_ends_at`` is not an
            aware ISO 8601 datetime.

    Example:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from microgov.lifecycle import Command
        >>> at = datetime(2026, 3, 9, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> c = Command(name="evaluate", item="p", actor="u", at=at,
        ...             payload={"notice_ends_at": "2026-03-09T00:00:00+08:00"})
        >>> notice_elapsed("publicised", c, None).code
        'notice.elapsed'
    """
    rule = "notice.elapsed"
    raw = command.payload.get("notice_ends_at")
    if raw is None:
        return _verdict(
            rule,
            False,
            "notice.not_given",
            "The end of the notice period (notice_ends_at) was not given.",
            "未提供公示期截止时间（notice_ends_at）。",
        )
    ends = _aware_datetime(raw, "notice_ends_at")
    at = command.at.astimezone(SHANGHAI)
    ends_local = ends.astimezone(SHANGHAI)
    if command.at >= ends:
        return _verdict(
            rule,
            True,
            "notice.elapsed",
            f"The notice period ended at {ends_local.isoformat()}.",
            f"公示期已于 {ends_local.isoformat()} 届满。",
            ends_at=ends_local.isoformat(),
            at=at.isoformat(),
        )
    return _verdict(
        rule,
        False,
        "notice.running",
        f"The notice period runs until {ends_local.isoformat()}; it is {at.isoformat()}.",
        f"公示期至 {ends_local.isoformat()} 届满，当前为 {at.isoformat()}。",
        ends_at=ends_local.isoformat(),
        at=at.isoformat(),
    )


def evaluation_passed(state: str, command: Command, context: Context) -> Verdict:
    """Guard ``evaluation.passed``: the residents' evaluation (评价) passed.

    Inputs: ``command.verdicts``: at least one scoring result whose rule starts with
    ``evaluation.`` or ``scoring.``, and every such verdict passed (other verdicts are
    ignored).

    Codes: ``evaluation.passed``; ``evaluation.missing``; ``evaluation.failed``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.lifecycle import Command
        >>> from microgov.policy import Verdict
        >>> s = Verdict(rule="scoring.satisfaction", passed=True, code="scoring.passed",
        ...             message_en="82% satisfied", message_zh="满意率 82%")
        >>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> evaluation_passed("publicised", Command(name="evaluate", item="p", actor="u", at=at,
        ...                   verdicts=(s,)), None).code
        'evaluation.passed'
    """
    rule = "evaluation.passed"
    scores = [v for v in command.verdicts if v.rule.startswith(_EVALUATION_PREFIXES)]
    if not scores:
        return _verdict(
            rule,
            False,
            "evaluation.missing",
            "No evaluation (scoring) verdict was supplied.",
            "未附评价（评分）结论。",
        )
    failing = [v.code for v in scores if not v.passed]
    if failing:
        return _verdict(
            rule,
            False,
            "evaluation.failed",
            f"The evaluation did not pass: {', '.join(failing)}.",
            f"评价未通过：{'、'.join(failing)}。",
            failed=", ".join(failing),
        )
    return _verdict(
        rule,
        True,
        "evaluation.passed",
        "The evaluation passed.",
        "评价通过。",
        count=len(scores),
    )


def objection_none(state: str, command: Command, context: Context) -> Verdict:
    """Guard ``objection.none``: no objection stands against the project.

    Inputs: ``command.payload["objections"]``, the number of objections still
    outstanding (an ``int``; 0 passes).

    Codes: ``objection.none``; ``objection.outstanding``; ``objection.not_given``.

    Raises:
        DataFormatError: ``lifecycle.bad_payload`` if ``objections`` is not a
            non-negative int.

    Example:
        >>> from datetime import datetime, timezone
        >>> from microgov.lifecycle import Command
        >>> at = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> objection_none("publicised", Command(name="evaluate", item="p", actor="u", at=at,
        ...                payload={"objections": 2}), None).code
        'objection.outstanding'
    """
    rule = "objection.none"
    raw = command.payload.get("objections")
    if raw is None:
        return _verdict(
            rule,
            False,
            "objection.not_given",
            "The number of outstanding objections (objections) was not given.",
            "未提供尚未处理的异议数量（objections）。",
        )
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise DataFormatError(
            f"payload.objections must be a non-negative integer, got {raw!r}.",
            f"payload.objections 须为非负整数，实际为 {raw!r}。",
            code="lifecycle.bad_payload",
            field="objections",
        )
    if raw:
        return _verdict(
            rule,
            False,
            "objection.outstanding",
            f"{raw} objection(s) are outstanding.",
            f"尚有 {raw} 项异议未处理。",
            objections=raw,
        )
    return _verdict(
        rule,
        True,
        "objection.none",
        "No objection is outstanding.",
        "无未处理的异议。",
        objections=0,
    )


DEFAULT_GUARDS: Final[Mapping[str, Guard]] = MappingProxyType(
    {
        "evaluation.passed": evaluation_passed,
        "notice.elapsed": notice_elapsed,
        "objection.none": objection_none,
        "verdicts.all_passed": verdicts_all_passed,
        "vote.passed": vote_passed,
    }
)
"""The built-in guard registry (read-only); extend it with ``{**DEFAULT_GUARDS, ...}``.

========================  ==========================================================
``verdicts.all_passed``   ``command.verdicts`` non-empty and all passed
``vote.passed``           ``command.verdicts`` has ``quorum.*`` and ``majority.*``
                          verdicts, and all passed
``notice.elapsed``        ``command.at`` ≥ ``payload["notice_ends_at"]`` (aware ISO)
``evaluation.passed``     ``evaluation.*`` / ``scoring.*`` verdicts present and passed
``objection.none``        ``payload["objections"] == 0``
========================  ==========================================================
"""
