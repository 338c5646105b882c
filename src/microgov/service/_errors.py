"""The service's one refusal: a command refused on the facts the service holds."""

from __future__ import annotations

from collections.abc import Iterable

from microgov.errors import Refused
from microgov.policy import Figure, Verdict

__all__ = ["CommandRefused", "refusal", "verdict"]


class CommandRefused(Refused):
    """A command refused by the service (服务拒绝执行命令); nothing was written.

    Every refusal of :class:`~microgov.service.Service` is one of these, whatever rule
    refused it (a lifecycle guard, a hand outside the scope, a fund too small, no
    authority): :attr:`code` is the first failing verdict's reason code (see
    :data:`microgov.policy.REASONS`), :attr:`verdicts` every verdict, and
    ``details["command"]`` the command's name.

    Example:
        >>> err = CommandRefused("No.", "不可。", code="service.unknown_project",
        ...                      command="accept")
        >>> err.code, err.details["command"], isinstance(err, Refused)
        ('service.unknown_project', 'accept', True)
    """

    default_code = "service.refused"


def verdict(rule: str, passed: bool, code: str, en: str, zh: str, **figures: Figure) -> Verdict:
    """A verdict of a service rule (a small helper for the service's own checks).

    Example:
        >>> verdict("service.project", False, "service.unknown_project", "No.", "无。").code
        'service.unknown_project'
    """
    return Verdict(
        rule=rule, passed=passed, code=code, message_en=en, message_zh=zh, figures=figures
    )


def refusal(command: str, verdicts: Iterable[Verdict], **details: object) -> CommandRefused:
    """The refusal of ``command`` resting on ``verdicts`` (the failing ones are named).

    Example:
        >>> v = verdict("service.project", False, "service.unknown_project", "No such project.",
        ...             "没有该项目。")
        >>> err = refusal("accept", [v], project="p-1")
        >>> err.code, err.message_en
        ('service.unknown_project', "Command 'accept' refused: No such project.")
    """
    given = tuple(verdicts)
    failing = [v for v in given if not v.passed] or list(given)
    en = "; ".join(v.message_en for v in failing)
    zh = "；".join(v.message_zh for v in failing)
    return CommandRefused(
        f"Command {command!r} refused: {en}",
        f"命令 {command!r} 被拒绝：{zh}",
        verdicts=given,
        command=command,
        codes=tuple(v.code for v in failing),
        **details,  # type: ignore[arg-type]
    )
