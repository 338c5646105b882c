"""A Sphinx directive that renders :data:`microgov.policy.REASONS` as a table.

Usage, in a MyST page::

    ```{reasons-table}
    ```

The table is built from the catalogue at build time, so the page never drifts from the
code. Only the code, whether it passes, the English and Chinese summaries and the
citations are shown; the catalogue itself is the reference.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from microgov.policy import REASONS, Citation, Reason

_HEADERS = ("Code", "Area", "Passes?", "English", "中文", "Citation (法律依据)")
_WIDTHS = (18, 8, 6, 26, 22, 20)


def _citations(entry: Reason) -> str:
    if entry.citation is None:
        return "—"
    text = str(entry.citation)
    if entry.see_also:
        also = "; ".join(_short(c) for c in entry.see_also)
        text += f"; see also: {also}"
    return text


def _short(citation: Citation) -> str:
    article = f" {citation.article}" if citation.article else ""
    unverified = " (UNVERIFIED)" if not citation.verified else ""
    return f"{citation.source}{article}{unverified}"


def _cell(content: nodes.Node | str) -> nodes.entry:
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(content) if isinstance(content, str) else content
    entry = nodes.entry()
    entry += paragraph
    return entry


def _row(cells: tuple[nodes.Node | str, ...]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += _cell(cell)
    return row


class ReasonsTable(SphinxDirective):
    """``reasons-table``: every reason code of :data:`microgov.policy.REASONS`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["reasons-table"])
        group = nodes.tgroup(cols=len(_HEADERS))
        table += group
        for width in _WIDTHS:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(_HEADERS)
        group += head
        body = nodes.tbody()
        for code, entry in REASONS.items():
            body += _row(
                (
                    nodes.literal(text=code),
                    entry.area,
                    "yes" if entry.passed else "no",
                    entry.summary_en,
                    entry.summary_zh,
                    _citations(entry),
                )
            )
        group += body
        return [table]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``reasons-table`` directive."""
    app.add_directive("reasons-table", ReasonsTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
