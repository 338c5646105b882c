"""The error of :mod:`microgov.report`."""

from __future__ import annotations

from microgov.errors import MicrogovError

__all__ = ["ReportError"]


class ReportError(MicrogovError):
    """A report or a what-if replay that cannot be made (报告错误).

    Codes: ``report.extra_missing`` (charts need the ``report`` extra, matplotlib),
    ``report.bad_language`` (a language other than ``zh`` or ``en``),
    ``report.unknown_node`` (a node the report's graph does not hold),
    ``report.bad_period`` (a period that ends before it starts),
    ``report.unusable_store`` (a store that cannot be read or holds no year),
    ``report.bad_policy`` (an alternative policy file that cannot be used; the field
    is named in ``details["field"]``), ``report.unknown_rule`` (an allocation rule
    microgov does not have).

    Example:
        >>> from microgov.errors import MicrogovError
        >>> err = ReportError.missing_extra()
        >>> err.code, isinstance(err, MicrogovError)
        ('report.extra_missing', True)
        >>> print(err.message_zh)  # doctest: +ELLIPSIS
        图表需要可选依赖 microgov[report]（matplotlib）：...
    """

    default_code = "report.error"

    @classmethod
    def missing_extra(cls) -> ReportError:
        """The error raised when charts are asked for without matplotlib installed.

        Returns:
            The error, code ``report.extra_missing``.

        Example:
            >>> ReportError.missing_extra().details["extra"]
            'report'
        """
        return cls(
            "Charts need the optional extra microgov[report] (matplotlib): "
            "pip install 'microgov[report]'; or render tables only (charts=False).",
            "图表需要可选依赖 microgov[report]（matplotlib）：pip install 'microgov[report]'；"
            "或只输出表格（charts=False）。",
            code="report.extra_missing",
            extra="report",
        )
