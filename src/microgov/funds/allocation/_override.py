"""An allocation officer's override: fund or skip a project against the rule, on record."""

from __future__ import annotations

import enum

import attrs

from microgov.errors import FundsError

__all__ = ["Override", "OverrideAction"]


class OverrideAction(enum.Enum):
    """What an officer's override does.

    Example:
        >>> OverrideAction("fund") is OverrideAction.FUND
        True
    """

    FUND = "fund"
    """Fund the project before the rule runs, from its heading's money."""
    SKIP = "skip"
    """Leave the project out whatever the rule would decide."""


def _text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FundsError(
            f"An override needs a non-empty {attribute.name}.",
            f"人工调整必须写明{_FIELD_ZH.get(attribute.name, attribute.name)}。",
            code="funds.bad_override",
            field=attribute.name,
        )


_FIELD_ZH = {"project": "项目", "reason": "理由", "author": "决定人"}


@attrs.frozen(kw_only=True)
class Override:
    """An officer's decision to fund or skip a project against the rule, with who and why.

    The override is applied before the rule runs, is shown in the project's
    explanation, and the ledger posting of an overridden grant names it.

    Attributes:
        project: The project id.
        action: Fund or skip.
        reason: Why, as it will be published.
        author: Who decided (an officer's name or id).
        heading: For ``FUND``: the heading that pays (default: the first heading in
            fill order under which the project is eligible and that has the money).

    Raises:
        FundsError: ``funds.bad_override`` for an empty project, reason or author.

    Example:
        >>> o = Override(project="p7", action=OverrideAction.SKIP,
        ...              reason="site not available this year", author="officer Wang")
        >>> print(o.describe())
        officer override by officer Wang: skip (site not available this year)
        >>> print(o.describe("zh"))
        人工调整（officer Wang）：不予资助（site not available this year）
    """

    project: str = attrs.field(validator=_text)
    action: OverrideAction
    reason: str = attrs.field(validator=_text)
    author: str = attrs.field(validator=_text)
    heading: str | None = None

    def describe(self, language: str = "en") -> str:
        """One line: who overrode the rule, how and why.

        Args:
            language: ``"en"`` or ``"zh"``.

        Example:
            >>> Override(project="p", action=OverrideAction.FUND, reason="safety",
            ...          author="Li").describe()
            'officer override by Li: fund (safety)'
        """
        if language == "zh":
            what = "予以资助" if self.action is OverrideAction.FUND else "不予资助"
            return f"人工调整（{self.author}）：{what}（{self.reason}）"
        return f"officer override by {self.author}: {self.action.value} ({self.reason})"
