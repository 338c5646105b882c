"""Sphinx directives that render the law behind microgov's rules, from the rules themselves.

Usage, in a MyST page::

    ```{law-rules-table}
    ```

    ```{law-provisions-table}
    ```

``law-rules-table`` lists every built-in rule (quorum presets, convening rules, owners'
decision rules, yearly obligations) with the article it applies, quoted, its source,
in-force dates, whether the wording was verified and the functions that apply it.
``law-provisions-table`` lists every provision of :data:`microgov.policy.PROVISIONS`.
Both are built at build time from the code, so the page never drifts from it.
"""

from __future__ import annotations

from collections.abc import Iterator

from _tables import Cell, build_table
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

import microgov.policy as policy
from microgov.policy import Citation

_RULE_HEADERS = (
    "Rule",
    "Applied by",
    "Article (quoted)",
    "Source",
    "In force",
    "Verified?",
)
_RULE_WIDTHS = (14, 14, 34, 16, 10, 6)
_PROVISION_HEADERS = ("Key", "Instrument, article", "Made by", "Text or note", "Read from")
_PROVISION_WIDTHS = (14, 16, 18, 36, 16)


def _dates(citation: Citation) -> str:
    start = citation.in_force_from.isoformat() if citation.in_force_from else "…"
    end = citation.in_force_to.isoformat() if citation.in_force_to else "…"
    return f"{start} – {end}"


def _literal(text: str) -> nodes.Node:
    return nodes.literal(text=text)


def _rules() -> Iterator[tuple[str, str, Citation]]:
    """(key, the functions applying it, citation) of every built-in rule."""
    for key, preset in policy.PRESETS.items():
        yield key, "policy.quorum_met, policy.majority_met, voting.tally", preset.citation
    for key, rule in policy.CONVENING_RULES.items():
        yield key, "policy.convening_met, voting.judge_petition", rule.citation
    for key, owners in policy.OWNERS_RULES.items():
        yield key, "policy.owners_decision, voting.decide_owners", owners.citation
    for key, obligation in policy.OBLIGATIONS.items():
        yield key, "meetings.yearly_compliance", obligation.citation


class LawRulesTable(SphinxDirective):
    """``law-rules-table``: every built-in rule with its article, quoted."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows: list[tuple[Cell, ...]] = [
            (
                _literal(key),
                applied_by,
                f"{c.article or ''} {c.note or ''}".strip(),
                c.source,
                _dates(c),
                "yes" if c.verified else "NO — a parameter",
            )
            for key, applied_by, c in _rules()
        ]
        return [build_table("law-rules-table", _RULE_HEADERS, _RULE_WIDTHS, rows)]


class LawProvisionsTable(SphinxDirective):
    """``law-provisions-table``: every provision of :data:`microgov.policy.PROVISIONS`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows: list[tuple[Cell, ...]] = [
            (
                _literal(key),
                f"{p.instrument} {p.article}",
                f"{p.organ}；{p.promulgation}",
                p.text if p.text else f"(not read) {p.note or ''}",
                p.read_from or "—",
            )
            for key, p in policy.PROVISIONS.items()
        ]
        return [build_table("law-provisions-table", _PROVISION_HEADERS, _PROVISION_WIDTHS, rows)]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the directives."""
    app.add_directive("law-rules-table", LawRulesTable)
    app.add_directive("law-provisions-table", LawProvisionsTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
